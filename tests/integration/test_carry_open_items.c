/*
 * tests/integration/test_carry_open_items.c — issue 17: open items carried
 * over at a close.  An account set to detailed (CARRY_MODE_SET, kind 27)
 * is carried into the à-nouveaux one line per open item, each with its
 * origin in the line extension open_item (PROTOCOL §5.4.1, line type 1),
 * so that lettering continues in the next year; a summarised account is
 * carried as before; the offline verifier recomputes the same close.
 */
#include "tests/support/harness.h"

#include "client/verify/archive.h"
#include "proto/carry.h"
#include "proto/chain.h"
#include "proto/query.h"
#include "proto/reply.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static harness h;
static const char *const chart[] = {"120000", "129000", "411000", "512000", "706000", "601000"};

static void setup(void)
{
    h_setup(&h);
    h_open_accounts(&h, "alpha", chart, sizeof chart / sizeof chart[0]);
}
static void teardown(void) { h_teardown(&h); }

TestSuite(carry_open_items, .init = setup, .fini = teardown, .timeout = 120);

#define EXPECT_UNCHANGED_AFTER(expr, status)                                                       \
    do {                                                                                           \
        uint8_t d0_[32], d1_[32];                                                                  \
        h_digest(&h, d0_);                                                                         \
        int st_ = (expr);                                                                          \
        h_digest(&h, d1_);                                                                         \
        cr_assert_eq(st_, status, "got %s, want %s", gl_status_name(st_), gl_status_name(status)); \
        cr_assert(!memcmp(d0_, d1_, 32), "the ledger changed after a refusal");                    \
    } while (0)

static int carry_mode_id(enum h_key k, const char *account, uint8_t mode, uint64_t id)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_carry_mode_q q = {{account, strlen(account)}, mode};
    gl_carry_mode_q_encode(&b, &q);
    gl_response r;
    int st = h_call(&h, k, GL_KIND_CARRY_MODE_SET, "alpha", id, b.data, b.len, &r);
    gl_response_free(&r);
    gl_buf_free(&b);
    return st;
}

static int carry_mode(enum h_key k, const char *account, uint8_t mode)
{
    return carry_mode_id(k, account, mode, 0);
}

/* An invoice (411000/aux debit, 706000 credit) or a payment (512000
 * debit, 411000/aux credit); the 411000 line is line 1 or 2. */
static uint32_t post_third(uint32_t date, const char *piece, const char *aux, bool payment,
                           int64_t cents)
{
    gl_line_in l[2] = {
        {"411000", aux, "", "", payment ? GL_SIDE_CREDIT : GL_SIDE_DEBIT, cents},
        {payment ? "512000" : "706000", "", "", "", payment ? GL_SIDE_DEBIT : GL_SIDE_CREDIT,
         cents},
    };
    if (payment) { /* the bank first */
        gl_line_in t = l[0];
        l[0] = l[1];
        l[1] = t;
    }
    gl_entry_in e = {.tenant = "alpha",
                     .journal = payment ? "BQ" : "VT",
                     .piece_ref = piece,
                     .label = payment ? "Règlement" : "Facture",
                     .date = date,
                     .piece_date = date,
                     .line_count = 2,
                     .lines = l};
    gl_response r;
    int st = h_post(&h, K_ALPHA, &e, 1, &r);
    cr_assert_eq(st, GL_OK, "%s %.*s", gl_status_name(st), (int)r.reply.detail.len,
                 r.reply.detail.ptr);
    uint32_t num = gl_rd32(r.reply.body + 4 + 2);
    gl_response_free(&r);
    return num;
}

static int letter(uint16_t fy1, uint32_t num1, uint16_t line1, uint16_t fy2, uint32_t num2,
                  uint16_t line2, const char *aux)
{
    gl_line_ref refs[2] = {{fy1, num1, line1}, {fy2, num2, line2}};
    gl_buf b;
    gl_buf_init(&b);
    gl_letter_q_encode(&b, (gl_str){"411000", 6}, (gl_str){aux, strlen(aux)}, refs, 2);
    gl_response r;
    int st = h_call(&h, K_ALPHA, GL_KIND_LETTER, "alpha", 0, b.data, b.len, &r);
    gl_response_free(&r);
    gl_buf_free(&b);
    return st;
}

/* Lock 2024 and close it; the à-nouveaux entry's number in 2025. */
static uint32_t close_2024(void)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_lock_q lq = {202412, GL_LOCK_THROUGH};
    gl_lock_q_encode(&b, &lq);
    gl_response r;
    cr_assert_eq(h_call(&h, K_ACCOUNTANT, GL_KIND_LOCK, "alpha", 0, b.data, b.len, &r), GL_OK);
    gl_response_free(&r);
    b.len = 0;
    gl_close_q cq = {2024};
    gl_close_q_encode(&b, &cq);
    int st = h_call(&h, K_ACCOUNTANT, GL_KIND_CLOSE_YEAR, "alpha", 0, b.data, b.len, &r);
    cr_assert_eq(st, GL_OK, "%s %.*s", gl_status_name(st), (int)r.reply.detail.len,
                 r.reply.detail.ptr);
    gl_reply_close_year c;
    cr_assert_eq(
        gl_reply_close_year_decode((gl_str){(const char *)r.reply.body, r.reply.body_len}, &c),
        GL_OK);
    cr_assert_eq(c.opening_fy, 2025);
    gl_response_free(&r);
    gl_buf_free(&b);
    return c.opening_num;
}

/* The year 2024 of the test: DUPONT's F-001 (100.00, paid and
 * lettered) and F-002 (50.00, open); MARTIN's F-003 (70.00) and F-004
 * (30.00), open. */
static void year_2024(void)
{
    uint32_t f1 = post_third(20240310, "F-001", "DUPONT", false, 10000);
    cr_assert_eq(post_third(20240412, "F-002", "DUPONT", false, 5000), 2);
    cr_assert_eq(post_third(20240415, "F-003", "MARTIN", false, 7000), 3);
    uint32_t p1 = post_third(20240420, "R-001", "DUPONT", true, 10000);
    cr_assert_eq(post_third(20240501, "F-004", "MARTIN", false, 3000), 5);
    cr_assert_eq(letter(2024, f1, 1, 2024, p1, 2, "DUPONT"), GL_OK);
}

typedef struct an_line {
    char account[24], aux[24];
    uint8_t side;
    int64_t amount;
    uint8_t ext[GL_EXT_LINE_MAX];
    size_t ext_len;
} an_line;

/* The lines of entry fy/num (ENTRY_GET), in order; their count. */
static size_t entry_lines(uint16_t fy, uint32_t num, an_line *out, size_t max)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_entry_ref ref = {fy, num};
    gl_entry_ref_encode(&b, &ref);
    gl_response r;
    cr_assert_eq(h_call(&h, K_ACCOUNTANT, GL_KIND_ENTRY_GET, "alpha", 0, b.data, b.len, &r), GL_OK);
    gl_reply_entry_get g;
    cr_assert_eq(
        gl_reply_entry_get_decode((gl_str){(const char *)r.reply.body, r.reply.body_len}, &g),
        GL_OK);
    gl_line_iter it;
    gl_line l;
    size_t n = 0;
    gl_line_iter_init(&it, &g.entry);
    while (gl_line_next(&it, &l)) {
        cr_assert(n < max);
        an_line *o = &out[n++];
        snprintf(o->account, sizeof o->account, "%.*s", (int)l.account.len, l.account.ptr);
        snprintf(o->aux, sizeof o->aux, "%.*s", (int)l.aux.len, l.aux.ptr);
        o->side = l.side;
        o->amount = l.amount_cents;
        o->ext_len = l.ext_len;
        memcpy(o->ext, l.ext, l.ext_len);
    }
    gl_response_free(&r);
    gl_buf_free(&b);
    return n;
}

/* The exact bytes of an open_item: type 1, length, piece str8, date, fy,
 * num, line. */
static size_t open_item_bytes(uint8_t *out, const char *piece, uint32_t date, uint16_t fy,
                              uint32_t num, uint16_t line)
{
    size_t p = strlen(piece), n = 0;
    out[n++] = 1;
    out[n++] = (uint8_t)(1 + p + 12);
    out[n++] = (uint8_t)p;
    memcpy(out + n, piece, p);
    n += p;
    const uint8_t tail[12] = {(uint8_t)(date >> 24), (uint8_t)(date >> 16), (uint8_t)(date >> 8),
                              (uint8_t)date,         (uint8_t)(fy >> 8),    (uint8_t)fy,
                              (uint8_t)(num >> 24),  (uint8_t)(num >> 16),  (uint8_t)(num >> 8),
                              (uint8_t)num,          (uint8_t)(line >> 8),  (uint8_t)line};
    memcpy(out + n, tail, sizeof tail);
    return n + sizeof tail;
}

static void expect_line(const an_line *l, const char *account, const char *aux, uint8_t side,
                        int64_t amount)
{
    cr_assert_str_eq(l->account, account);
    cr_assert_str_eq(l->aux, aux);
    cr_assert_eq(l->side, side, "%s/%s side %c", account, aux, l->side);
    cr_assert_eq(l->amount, amount, "%s/%s amount %lld", account, aux, (long long)l->amount);
}

static void expect_open_item(const an_line *l, const char *piece, uint32_t date, uint32_t num,
                             uint16_t line)
{
    uint8_t want[GL_OPEN_ITEM_ITEM_MAX];
    size_t n = open_item_bytes(want, piece, date, 2024, num, line);
    cr_assert_eq(l->ext_len, n, "%s: ext_len %zu", piece, l->ext_len);
    cr_assert(!memcmp(l->ext, want, n), "%s: the open_item bytes differ", piece);
}

Test(carry_open_items, a_detailed_account_carries_one_line_per_open_item)
{
    cr_assert_eq(carry_mode(K_ACCOUNTANT, "411000", GL_CARRY_DETAILED), GL_OK);
    year_2024();
    uint32_t an = close_2024();
    an_line l[16];
    size_t n = entry_lines(2025, an, l, 16);
    cr_assert_eq(n, 5, "%zu lines", n);
    expect_line(&l[0], "120000", "", GL_SIDE_CREDIT, 25000);
    cr_assert_eq(l[0].ext_len, 0);
    expect_line(&l[1], "411000", "DUPONT", GL_SIDE_DEBIT, 5000);
    expect_open_item(&l[1], "F-002", 20240412, 2, 1);
    expect_line(&l[2], "411000", "MARTIN", GL_SIDE_DEBIT, 7000);
    expect_open_item(&l[2], "F-003", 20240415, 3, 1);
    expect_line(&l[3], "411000", "MARTIN", GL_SIDE_DEBIT, 3000);
    expect_open_item(&l[3], "F-004", 20240501, 5, 1);
    expect_line(&l[4], "512000", "", GL_SIDE_DEBIT, 10000);
    cr_assert_eq(l[4].ext_len, 0);
    /* per third party, the sum is the summarised figure: the balance */
    cr_assert_eq(l[2].amount + l[3].amount, 10000);
    cr_assert_eq(h_balance(&h, "alpha", "411000", 20250101), 15000);
    cr_assert(h_verify_chains(&h) > 0);
}

Test(carry_open_items, a_summarised_account_is_carried_as_before)
{
    year_2024();
    uint32_t an = close_2024();
    an_line l[16];
    size_t n = entry_lines(2025, an, l, 16);
    cr_assert_eq(n, 4, "%zu lines", n);
    expect_line(&l[1], "411000", "DUPONT", GL_SIDE_DEBIT, 5000);
    expect_line(&l[2], "411000", "MARTIN", GL_SIDE_DEBIT, 10000);
    cr_assert_eq(l[1].ext_len + l[2].ext_len, 0);
}

Test(carry_open_items, a_detailed_then_summarised_account_is_summarised)
{
    cr_assert_eq(carry_mode(K_ACCOUNTANT, "411000", GL_CARRY_DETAILED), GL_OK);
    cr_assert_eq(carry_mode(K_ACCOUNTANT, "411000", GL_CARRY_SUMMARISED), GL_OK);
    year_2024();
    an_line l[16];
    cr_assert_eq(entry_lines(2025, close_2024(), l, 16), 4);
}

Test(carry_open_items, a_next_year_payment_letters_the_carried_invoice)
{
    cr_assert_eq(carry_mode(K_ACCOUNTANT, "411000", GL_CARRY_DETAILED), GL_OK);
    year_2024();
    uint32_t an = close_2024();
    uint32_t pay = post_third(20250203, "R-002", "MARTIN", true, 7000);
    /* F-003 is line 3 of the à-nouveaux */
    EXPECT_UNCHANGED_AFTER(letter(2025, an, 4, 2025, pay, 2, "MARTIN"), GL_ERR_LETTER_UNBALANCED);
    cr_assert_eq(letter(2025, an, 3, 2025, pay, 2, "MARTIN"), GL_OK);
    /* the next close carries F-004 with its 2024 origin, not the line of 2025 */
    cr_assert_eq(post_third(20250301, "F-005", "MARTIN", false, 2000), pay + 1);
    gl_buf b;
    gl_buf_init(&b);
    gl_lock_q lq = {202512, GL_LOCK_THROUGH};
    gl_lock_q_encode(&b, &lq);
    gl_response r;
    cr_assert_eq(h_call(&h, K_ACCOUNTANT, GL_KIND_LOCK, "alpha", 0, b.data, b.len, &r), GL_OK);
    gl_response_free(&r);
    b.len = 0;
    gl_close_q cq = {2025};
    gl_close_q_encode(&b, &cq);
    cr_assert_eq(h_call(&h, K_ACCOUNTANT, GL_KIND_CLOSE_YEAR, "alpha", 0, b.data, b.len, &r),
                 GL_OK);
    gl_reply_close_year c;
    cr_assert_eq(
        gl_reply_close_year_decode((gl_str){(const char *)r.reply.body, r.reply.body_len}, &c),
        GL_OK);
    gl_response_free(&r);
    gl_buf_free(&b);
    an_line l[16];
    size_t n = entry_lines(2026, c.opening_num, l, 16);
    cr_assert_eq(n, 5, "%zu lines", n);
    expect_line(&l[1], "411000", "DUPONT", GL_SIDE_DEBIT, 5000);
    expect_open_item(&l[1], "F-002", 20240412, 2, 1);
    expect_line(&l[2], "411000", "MARTIN", GL_SIDE_DEBIT, 3000);
    expect_open_item(&l[2], "F-004", 20240501, 5, 1);
    expect_line(&l[3], "411000", "MARTIN", GL_SIDE_DEBIT, 2000);
    uint8_t want[GL_OPEN_ITEM_ITEM_MAX];
    size_t wn = open_item_bytes(want, "F-005", 20250301, 2025, pay + 1, 1);
    cr_assert(l[3].ext_len == wn && !memcmp(l[3].ext, want, wn));
}

Test(carry_open_items, a_posted_line_carrying_an_open_item_is_refused)
{
    uint8_t item[GL_OPEN_ITEM_ITEM_MAX];
    size_t n = open_item_bytes(item, "F-001", 20240310, 2024, 1, 1);
    gl_line_in l[2] = {{"411000", "DUPONT", "", "", GL_SIDE_DEBIT, 100},
                       {"706000", "", "", "", GL_SIDE_CREDIT, 100}};
    gl_ext_in ext[2] = {{item, n}, {0}};
    gl_entry_in e = {.tenant = "alpha",
                     .journal = "VT",
                     .piece_ref = "F-009",
                     .label = "Facture",
                     .date = 20240601,
                     .piece_date = 20240601,
                     .line_count = 2,
                     .lines = l,
                     .line_ext = ext};
    gl_response r;
    EXPECT_UNCHANGED_AFTER(h_post(&h, K_ALPHA, &e, 1, &r), GL_ERR_OPEN_ITEM_RESERVED);
    cr_assert_eq(r.reply.err_item, 1);
    cr_assert_eq(r.reply.err_line, 1);
    gl_response_free(&r);
    EXPECT_UNCHANGED_AFTER(h_post(&h, K_ACCOUNTANT, &e, 1, &r), GL_ERR_OPEN_ITEM_RESERVED);
    gl_response_free(&r);
    /* a malformed one is refused at decode */
    item[1] = (uint8_t)(item[1] - 1);
    ext[0].len = n - 1;
    EXPECT_UNCHANGED_AFTER(h_post(&h, K_ALPHA, &e, 1, &r), GL_ERR_BAD_EXTENSION);
    gl_response_free(&r);
}

Test(carry_open_items, only_the_accountant_sets_a_carry_mode_and_each_refusal_has_its_status)
{
    EXPECT_UNCHANGED_AFTER(carry_mode(K_ALPHA, "411000", GL_CARRY_DETAILED), GL_ERR_FORBIDDEN_ROLE);
    EXPECT_UNCHANGED_AFTER(carry_mode(K_AUDITOR, "411000", GL_CARRY_DETAILED),
                           GL_ERR_FORBIDDEN_ROLE);
    EXPECT_UNCHANGED_AFTER(carry_mode(K_ACCOUNTANT, "411000", GL_CARRY_SUMMARISED),
                           GL_ERR_CARRY_MODE_UNCHANGED);
    EXPECT_UNCHANGED_AFTER(carry_mode(K_ACCOUNTANT, "706000", GL_CARRY_DETAILED),
                           GL_ERR_CARRY_MODE_CLASS);
    EXPECT_UNCHANGED_AFTER(carry_mode(K_ACCOUNTANT, "401000", GL_CARRY_DETAILED),
                           GL_ERR_UNKNOWN_ACCOUNT);
    EXPECT_UNCHANGED_AFTER(carry_mode(K_ACCOUNTANT, "411000", 2), GL_ERR_RESERVED_NONZERO);
    cr_assert_eq(carry_mode(K_ACCOUNTANT, "411000", GL_CARRY_DETAILED), GL_OK);
    EXPECT_UNCHANGED_AFTER(carry_mode(K_ACCOUNTANT, "411000", GL_CARRY_DETAILED),
                           GL_ERR_CARRY_MODE_UNCHANGED);
}

Test(carry_open_items, a_carry_mode_request_sent_again_is_a_replay)
{
    cr_assert_eq(carry_mode_id(K_ACCOUNTANT, "411000", GL_CARRY_DETAILED, 0x5eed), GL_OK);
    EXPECT_UNCHANGED_AFTER(carry_mode_id(K_ACCOUNTANT, "411000", GL_CARRY_DETAILED, 0x5eed), GL_OK);
}

/* ------------------------------------------------------------------ */
/* The offline verifier                                                */
/* ------------------------------------------------------------------ */

static void path_of(char *out, size_t len, const char *name)
{
    snprintf(out, len, "%s/%s", h.dir, name);
}

static int verify_file(const char *name, char *out, size_t len)
{
    char path[400];
    path_of(path, sizeof path, name);
    return h_cli(&h, K_AUDITOR, out, len, "verify '%s'", path);
}

static uint8_t *read_all(const char *name, size_t *len)
{
    char path[400];
    path_of(path, sizeof path, name);
    FILE *f = fopen(path, "rb");
    cr_assert(f);
    cr_assert(fseek(f, 0, SEEK_END) == 0);
    long size = ftell(f);
    rewind(f);
    uint8_t *b = malloc((size_t)size);
    cr_assert(b && fread(b, 1, (size_t)size, f) == (size_t)size);
    fclose(f);
    *len = (size_t)size;
    return b;
}

/* The archive with one byte of entry fy/num's event flipped at the first
 * occurrence of `needle` in it (+ offset), every hash after it rebuilt:
 * what someone rewriting history would write. */
static void tamper(const char *from, const char *to, uint16_t fy, uint32_t num,
                   const uint8_t *needle, size_t needle_len, size_t offset)
{
    size_t len;
    uint8_t *bytes = read_all(from, &len);
    gl_archive a;
    char err[256];
    cr_assert_eq(gl_archive_read(bytes, len, &a, err, sizeof err), GL_OK, "%s", err);
    gl_archive_tenant *t = (gl_archive_tenant *)gl_archive_tenant_find(&a, (gl_str){"alpha", 5});
    cr_assert(t && t->has_chain);
    gl_buf *bufs = calloc(t->event_count, sizeof *bufs);
    cr_assert(bufs);
    uint8_t prev[GL_HASH_BYTES] = {0};
    bool done = false;
    for (uint32_t i = 0; i < t->event_count; i++) {
        gl_event ev;
        cr_assert_eq(gl_event_decode(t->events[i].record, t->events[i].record_len, &ev), GL_OK);
        uint8_t *body = malloc(ev.body_len);
        cr_assert(body);
        memcpy(body, ev.body, ev.body_len);
        if (gl_event_entry_layout(ev.type) && gl_rd16(ev.payload) == fy &&
            gl_rd32(ev.payload + 2) == num) {
            uint8_t *at = memmem(body, ev.body_len, needle, needle_len);
            cr_assert(at, "the bytes to alter are not in entry %u/%u", fy, num);
            at[offset] ^= 0x01;
            done = true;
        }
        gl_buf_init(&bufs[i]);
        gl_event_encode(&bufs[i], t->id.ptr, t->id.len, i + 1, prev, ev.type, body, ev.body_len);
        free(body);
        cr_assert(gl_buf_ok(&bufs[i]));
        memcpy(prev, bufs[i].data + bufs[i].len - GL_HASH_BYTES, GL_HASH_BYTES);
        t->events[i] = (gl_archive_event){i + 1, bufs[i].data, (uint32_t)bufs[i].len};
    }
    cr_assert(done);
    memcpy(t->head_hash, prev, GL_HASH_BYTES);
    gl_buf out;
    gl_buf_init(&out);
    cr_assert_eq(gl_archive_encode(&out, &a, err, sizeof err), GL_OK, "%s", err);
    char path[400];
    path_of(path, sizeof path, to);
    FILE *f = fopen(path, "wb");
    cr_assert(f && fwrite(out.data, 1, out.len, f) == out.len);
    cr_assert(fclose(f) == 0);
    gl_buf_free(&out);
    for (uint32_t i = 0; i < t->event_count; i++)
        gl_buf_free(&bufs[i]);
    free(bufs);
    gl_archive_free(&a);
    free(bytes);
}

Test(carry_open_items, the_verifier_recomputes_a_detailed_close_and_names_an_altered_item)
{
    cr_assert_eq(carry_mode(K_ACCOUNTANT, "411000", GL_CARRY_DETAILED), GL_OK);
    year_2024();
    uint32_t an = close_2024();
    char path[400], out[16384];
    path_of(path, sizeof path, "all.glar");
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "archive --all -o '%s'", path), 0);
    int rc = verify_file("all.glar", out, sizeof out);
    cr_assert_eq(rc, 0, "verify exited %d:\n%s", rc, out);
    /* F-003's origin entry number (3 -> 2, still a valid open_item) altered */
    uint8_t item[GL_OPEN_ITEM_ITEM_MAX];
    size_t n = open_item_bytes(item, "F-003", 20240415, 2024, 3, 1);
    tamper("all.glar", "item.glar", 2025, an, item, n, n - 3);
    rc = verify_file("item.glar", out, sizeof out);
    cr_assert_eq(rc, 1, "verify exited %d:\n%s", rc, out);
    cr_assert(strstr(out, "à-nouveaux are not the ones the close writes"), "%s", out);
    /* its line number made 0: no open_item at all, refused as it decodes */
    tamper("all.glar", "line0.glar", 2025, an, item, n, n - 1);
    rc = verify_file("line0.glar", out, sizeof out);
    cr_assert_eq(rc, 1, "verify exited %d:\n%s", rc, out);
    cr_assert(strstr(out, "bad_extension"), "%s", out);
}

Test(carry_open_items, the_cli_sets_a_carry_mode)
{
    char out[4096];
    uint8_t d0[32], d1[32];
    h_digest(&h, d0);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, out, sizeof out,
                       "accounts carry-mode --tenant alpha 411000 annuel"),
                 2);
    h_digest(&h, d1);
    cr_assert(!memcmp(d0, d1, 32));
    cr_assert_eq(
        h_cli(&h, K_ALPHA, out, sizeof out, "accounts carry-mode --tenant alpha 411000 detailed"),
        1);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, out, sizeof out,
                       "accounts carry-mode --tenant alpha 411000 detailed"),
                 0);
    /* the mode is in force: the next close details 411000 */
    EXPECT_UNCHANGED_AFTER(carry_mode(K_ACCOUNTANT, "411000", GL_CARRY_DETAILED),
                           GL_ERR_CARRY_MODE_UNCHANGED);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, out, sizeof out,
                       "accounts carry-mode --tenant alpha 411000 résumé"),
                 0);
    EXPECT_UNCHANGED_AFTER(carry_mode(K_ACCOUNTANT, "411000", GL_CARRY_SUMMARISED),
                           GL_ERR_CARRY_MODE_UNCHANGED);
}

Test(carry_open_items, ledger_open_and_the_entry_view_show_an_open_items_origin)
{
    cr_assert_eq(carry_mode(K_ACCOUNTANT, "411000", GL_CARRY_DETAILED), GL_OK);
    year_2024();
    uint32_t an = close_2024();
    char out[16384];
    int rc =
        h_cli(&h, K_ACCOUNTANT, out, sizeof out,
              "ledger --tenant alpha --account 411000 --open --from 2025-01-01 --to 2025-12-31 "
              "--format csv");
    cr_assert_eq(rc, 0, "%s", out);
    cr_assert(strstr(out, "F-003 of 2024-04-15") && strstr(out, "F-004 of 2024-05-01"), "%s", out);
    rc = h_cli(&h, K_ACCOUNTANT, out, sizeof out, "entry --tenant alpha 2025/%u --format csv", an);
    cr_assert_eq(rc, 0, "%s", out);
    cr_assert(strstr(out, "F-002 of 2024-04-12"), "%s", out);
    rc = h_cli(&h, K_ACCOUNTANT, out, sizeof out, "entry --tenant alpha 2025/%u --format json", an);
    cr_assert_eq(rc, 0, "%s", out);
    cr_assert(strstr(out, "\"origin\"") && strstr(out, "\"2024/4:1\"") == NULL &&
                  strstr(out, "\"2024/5:1\""),
              "%s", out);
}
