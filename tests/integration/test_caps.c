/*
 * tests/integration/test_caps.c — one member must not block group-wide work
 * (issue 11, item 3), against the real daemon.
 *
 * Totals are capped by construction (and, since schema 3, so are a tenant's
 * open books: test_year_cap.c): no write takes a debit or credit total
 * of an account (any stored total: per fiscal year, per auxiliary and day,
 * per month, per day, per partner) above 2^56 cents, and a member's own
 * writes not above 2^52, so that the accountant always has headroom (the
 * recharges and dues naming a member still post) and the combined column of
 * up to 65 entities never overflows an int64.  A write over a cap is
 * refused whole with total_limit (427), naming the entry, the line and the
 * account; the ledger is left byte for byte as it was.
 *
 * GROUP_BALANCE is paged like JOURNAL: a member opening 75 000 accounts
 * with long labels made the one-page reply larger than the client accepts;
 * pages keep the ledger as it stood at the first page (watermark).
 * The harness's group: umbrella alpha (code ALPHA), members beta and gamma.
 */
#include "tests/support/harness.h"

#include "proto/group.h"
#include "proto/limits.h"
#include "proto/query.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define P52 ((int64_t)1 << 52)
#define P55 ((int64_t)1 << 55)
#define P56 ((int64_t)1 << 56)

static harness h;

static void setup(void)
{
    h_setup(&h);
    for (const char *const *t = (const char *const[]){"alpha", "beta", "gamma", NULL}; *t; t++)
        cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "accounts load-chart --tenant %s", *t), 0);
}
static void teardown(void) { h_teardown(&h); }

TestSuite(caps, .init = setup, .fini = teardown, .timeout = 120);

#define EXPECT_UNCHANGED_AFTER(expr, status)                                                       \
    do {                                                                                           \
        uint8_t d0_[32], d1_[32];                                                                  \
        h_digest(&h, d0_);                                                                         \
        int st_ = (expr);                                                                          \
        h_digest(&h, d1_);                                                                         \
        cr_assert_eq(st_, status, "line %d: got %s, want %s", __LINE__, gl_status_name(st_),       \
                     gl_status_name(status));                                                      \
        cr_assert(!memcmp(d0_, d1_, 32), "line %d: the ledger changed after a refusal", __LINE__); \
    } while (0)

static gl_response last; /* the reply of the last post() */

/* Post one entry of `tenant` dated 2025-01-15 with key k: lines given as
 * (account, aux, side, cents). */
static int post_n(enum h_key k, const char *tenant, const gl_line_in *lines, size_t n)
{
    gl_entry_in e = {.tenant = tenant,
                     .journal = "OD",
                     .piece_ref = "CAP",
                     .label = "caps",
                     .date = 20250115,
                     .piece_date = 20250115,
                     .line_count = n,
                     .lines = lines};
    gl_response_free(&last);
    return h_post(&h, k, &e, 1, &last);
}

static int post2(enum h_key k, const char *tenant, const char *da, const char *daux, const char *ca,
                 const char *caux, int64_t cents)
{
    gl_line_in l[2] = {{da, daux, "", "", 'D', cents}, {ca, caux, "", "", 'C', cents}};
    return post_n(k, tenant, l, 2);
}

static bool detail_has(const char *needle)
{
    char d[GL_DETAIL_MAX + 1];
    snprintf(d, sizeof d, "%.*s", (int)last.reply.detail.len, last.reply.detail.ptr);
    return strstr(d, needle) != NULL;
}

Test(caps, a_member_cannot_take_a_total_above_2_52)
{
    /* 2^52 + 1 cents credited to 401000 in one entry: the third line */
    gl_line_in over[3] = {{"512000", "", "", "", 'D', P52 / 2},
                          {"606100", "", "", "", 'D', P52 / 2 + 1},
                          {"401000", "ALPHA", "", "", 'C', P52 + 1}};
    EXPECT_UNCHANGED_AFTER(post_n(K_BETA, "beta", over, 3), GL_ERR_TOTAL_LIMIT);
    cr_assert_eq(last.reply.err_item, 1);
    cr_assert_eq(last.reply.err_line, 3);
    cr_assert(detail_has("401000"), "the detail names the account: %.*s",
              (int)last.reply.detail.len, last.reply.detail.ptr);
    /* exactly 2^52 is accepted */
    gl_line_in exact[3] = {{"512000", "", "", "", 'D', P52 / 2},
                           {"606100", "", "", "", 'D', P52 / 2},
                           {"401000", "ALPHA", "", "", 'C', P52}};
    cr_assert_eq(post_n(K_BETA, "beta", exact, 3), GL_OK);
    cr_assert_eq(h_balance(&h, "beta", "401000", 20251231), -P52);
    /* then not one cent more, on any day, with or without auxiliary */
    EXPECT_UNCHANGED_AFTER(post2(K_BETA, "beta", "512000", "", "401000", "", 1),
                           GL_ERR_TOTAL_LIMIT);
    cr_assert_eq(last.reply.err_line, 2);
    EXPECT_UNCHANGED_AFTER(post2(K_BETA, "beta", "512000", "", "401000", "ALPHA", 1),
                           GL_ERR_TOTAL_LIMIT);
    /* the other side still has room: 512000 holds 2^51 */
    cr_assert_eq(post2(K_BETA, "beta", "512000", "", "408000", "", P52 / 2), GL_OK);
    cr_assert_gt(h_verify_chains(&h), 0);
}

Test(caps, the_accountant_has_headroom_up_to_2_56)
{
    cr_assert_eq(post2(K_BETA, "beta", "512000", "", "401000", "ALPHA", P52), GL_OK);
    /* the accountant takes the member's 401000 as far as the tenant's open
     * books allow (2^55, test_year_cap.c): 2^56 is then out of reach of
     * any account but by a single line */
    cr_assert_eq(post2(K_ACCOUNTANT, "beta", "512000", "", "401000", "ALPHA", P55 - P52), GL_OK);
    cr_assert_eq(h_balance(&h, "beta", "401000", 20251231), -P55);
    EXPECT_UNCHANGED_AFTER(post2(K_ACCOUNTANT, "beta", "606100", "", "401000", "ALPHA", 1),
                           GL_ERR_YEAR_TOTAL_LIMIT);
    cr_assert_eq(last.reply.err_line, 1);
    EXPECT_UNCHANGED_AFTER(post2(K_ACCOUNTANT, "beta", "606100", "", "401000", "ALPHA", P56 + 1),
                           GL_ERR_TOTAL_LIMIT);
    cr_assert_eq(last.reply.err_line, 1);
    cr_assert(detail_has("606100"));
    /* the member, above its own limit, adds nothing either */
    EXPECT_UNCHANGED_AFTER(post2(K_BETA, "beta", "606100", "", "401000", "", 1),
                           GL_ERR_TOTAL_LIMIT);
    cr_assert_gt(h_verify_chains(&h), 0);
}

Test(caps, single_amounts_above_the_caps_are_refused)
{
    EXPECT_UNCHANGED_AFTER(post2(K_BETA, "beta", "606100", "", "512000", "", P52 + 1),
                           GL_ERR_TOTAL_LIMIT);
    cr_assert_eq(last.reply.err_line, 1);
    EXPECT_UNCHANGED_AFTER(post2(K_BETA, "beta", "606100", "", "512000", "", INT64_MAX),
                           GL_ERR_TOTAL_LIMIT);
    EXPECT_UNCHANGED_AFTER(post2(K_ALPHA, "alpha", "606100", "", "512000", "", INT64_MAX),
                           GL_ERR_TOTAL_LIMIT);
    EXPECT_UNCHANGED_AFTER(post2(K_ACCOUNTANT, "beta", "606100", "", "512000", "", P56 + 1),
                           GL_ERR_TOTAL_LIMIT);
    EXPECT_UNCHANGED_AFTER(post2(K_ACCOUNTANT, "gamma", "606100", "", "512000", "", INT64_MAX),
                           GL_ERR_TOTAL_LIMIT);
    /* an entry whose own debit lines overflow an int64 is still overflow */
    gl_line_in own[3] = {{"606100", "", "", "", 'D', INT64_MAX},
                         {"606100", "", "", "", 'D', 1},
                         {"512000", "", "", "", 'C', INT64_MAX}};
    EXPECT_UNCHANGED_AFTER(post_n(K_ACCOUNTANT, "beta", own, 3), GL_ERR_OVERFLOW);
    /* in one request, a second entry over the cap refuses the first too */
    gl_line_in a[2] = {{"606100", "", "", "", 'D', 100}, {"512000", "", "", "", 'C', 100}};
    gl_line_in b[2] = {{"606100", "", "", "", 'D', P52}, {"512000", "", "", "", 'C', P52}};
    gl_entry_in two[2] = {{.tenant = "beta",
                           .journal = "OD",
                           .piece_ref = "P",
                           .label = "a",
                           .date = 20250110,
                           .piece_date = 20250110,
                           .line_count = 2,
                           .lines = a},
                          {.tenant = "beta",
                           .journal = "OD",
                           .piece_ref = "P",
                           .label = "b",
                           .date = 20250111,
                           .piece_date = 20250111,
                           .line_count = 2,
                           .lines = b}};
    gl_response_free(&last);
    EXPECT_UNCHANGED_AFTER(h_post(&h, K_BETA, two, 2, &last), GL_ERR_TOTAL_LIMIT);
    cr_assert_eq(last.reply.err_item, 2);
    cr_assert_eq(last.reply.err_line, 1);
    gl_response_free(&last);
}

static int call(enum h_key k, uint16_t kind, gl_buf *b)
{
    gl_response_free(&last);
    int st = h_call(&h, k, kind, "", 0, b->data, b->len, &last);
    gl_buf_free(b);
    return st;
}

static int recharge(uint32_t ym, int64_t cents)
{
    gl_recharge_q q = {ym, cents, 1, 0, {0}};
    gl_buf b;
    gl_buf_init(&b);
    gl_recharge_q_encode(&b, &q);
    return call(K_ACCOUNTANT, GL_KIND_RECHARGE, &b);
}

Test(caps, recharge_and_dues_still_post_after_a_member_filled_its_cap)
{
    gl_keys_q keys = {.version = 1, .count = 2, .items = {{{"beta", 4}, 1}, {{"gamma", 5}, 1}}};
    gl_buf b;
    gl_buf_init(&b);
    gl_keys_q_encode(&b, &keys);
    cr_assert_eq(call(K_ACCOUNTANT, GL_KIND_KEYS_SET, &b), GL_OK);
    /* the member cannot fill its payable to the umbrella beyond 2^52 ... */
    EXPECT_UNCHANGED_AFTER(post2(K_BETA, "beta", "512000", "", "401000", "ALPHA", INT64_MAX),
                           GL_ERR_TOTAL_LIMIT);
    /* ... and filling it to 2^52 leaves the accountant its headroom */
    cr_assert_eq(post2(K_BETA, "beta", "512000", "", "401000", "ALPHA", P52), GL_OK);
    cr_assert_eq(recharge(202501, 1000000), GL_OK);
    gl_dues_q dues = {
        .year = 2025, .count = 2, .items = {{{"beta", 4}, 50000}, {{"gamma", 5}, 50000}}};
    gl_buf_init(&b);
    gl_dues_q_encode(&b, &dues);
    cr_assert_eq(call(K_ACCOUNTANT, GL_KIND_DUES, &b), GL_OK);
    cr_assert_eq(h_balance(&h, "beta", "401000", 20251231), -(P52 + 500000 + 50000));
    /* the recharge builder goes through the same checks: with beta's open
     * books filled to 2^55 by the accountant (test_year_cap.c), a share of
     * one cent refuses the whole recharge, at beta's entry (item 2); no
     * account total can pass 2^56 before the books do (PROTOCOL.md §10) */
    cr_assert_eq(post2(K_ACCOUNTANT, "beta", "606100", "", "512000", "", P55 - P52 - 550000),
                 GL_OK);
    EXPECT_UNCHANGED_AFTER(recharge(202502, 2), GL_ERR_YEAR_TOTAL_LIMIT);
    cr_assert_eq(last.reply.err_item, 2);
    cr_assert(detail_has("beta") && detail_has("2^55"), "%.*s", (int)last.reply.detail.len,
              last.reply.detail.ptr);
    cr_assert_gt(h_verify_chains(&h), 0);
}

static char *read_file(const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", h.dir, name);
    FILE *f = fopen(path, "rb");
    cr_assert(f, "%s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc((size_t)n + 1);
    cr_assert(data);
    cr_assert_eq(fread(data, 1, (size_t)n, f), (size_t)n);
    data[n] = '\0';
    fclose(f);
    if (len)
        *len = (size_t)n;
    return data;
}

Test(caps, the_combined_column_cannot_overflow)
{
    /* before the caps, INT64_MAX on each entity made the client's combined
     * column overflow ("cannot read the daemon's reply") */
    EXPECT_UNCHANGED_AFTER(post2(K_ACCOUNTANT, "alpha", "606100", "", "512000", "", INT64_MAX),
                           GL_ERR_TOTAL_LIMIT);
    /* the most the accountant may put on one account, in each entity: the
     * open books' cap (2^55, test_year_cap.c) */
    for (const char *const *t = (const char *const[]){"alpha", "beta", "gamma", NULL}; *t; t++)
        cr_assert_eq(post2(K_ACCOUNTANT, *t, "606100", "", "512000", "", P55), GL_OK, "%s", *t);
    EXPECT_UNCHANGED_AFTER(post2(K_BETA, "beta", "606100", "", "512000", "", 1),
                           GL_ERR_TOTAL_LIMIT);
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "group balance --at 2025-01-31 --format csv"), 0);
    char *out = read_file("cli.out", NULL);
    /* 3 x 2^55 cents = 1 080 863 910 568 919.04 */
    cr_assert(strstr(out, "606100,") && strstr(out, ",1080863910568919.04"), "%s", out);
    cr_assert(strstr(out, ",-1080863910568919.04"), "%s", out);
    free(out);
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "group statements --at 2025-01-31 --format csv"), 0);
}

/* ---- GROUP_BALANCE pages ------------------------------------------------ */

TestSuite(group_pages, .init = setup, .fini = teardown, .timeout = 180);

/* One page as this test decodes it (independently of the client). */
typedef struct gb_row {
    char account[GL_ACCOUNT_MAX + 1];
    int64_t net[3], elim, gap;
} gb_row;

typedef struct gb {
    gb_row rows[64];
    size_t count;
} gb;

static int gb_page(uint32_t at, uint64_t *watermark, char after[GL_ACCOUNT_MAX + 1], uint16_t limit,
                   gb *out, bool *more)
{
    gl_group_balance_q q = {
        .at = at, .watermark = *watermark, .after = {after, strlen(after)}, .limit = limit};
    gl_buf b;
    gl_buf_init(&b);
    gl_group_balance_q_encode(&b, &q);
    int st = call(K_AUDITOR, GL_KIND_GROUP_BALANCE, &b);
    if (st != GL_OK)
        return st;
    gl_cur c;
    gl_cur_init(&c, last.reply.body, last.reply.body_len);
    *watermark = gl_get_u64(&c);
    *more = gl_get_u8(&c);
    gl_str next = gl_get_str8(&c, GL_ACCOUNT_MAX);
    snprintf(after, GL_ACCOUNT_MAX + 1, "%.*s", (int)next.len, next.ptr);
    cr_assert_eq(gl_get_u32(&c), at);
    cr_assert_eq(gl_get_u8(&c), 3);
    for (int i = 0; i < 3; i++) {
        gl_get_str8(&c, GL_TENANT_MAX);
        gl_get_u16(&c);
    }
    uint32_t n = gl_get_u32(&c);
    cr_assert_leq(n, limit);
    for (uint32_t i = 0; i < n; i++) {
        cr_assert_lt(out->count, 64);
        gb_row *r = &out->rows[out->count++];
        gl_str a = gl_get_str8(&c, GL_ACCOUNT_MAX);
        snprintf(r->account, sizeof r->account, "%.*s", (int)a.len, a.ptr);
        gl_get_str8(&c, GL_LABEL_MAX);
        for (int e = 0; e < 3; e++)
            r->net[e] = gl_get_i64(&c);
        r->elim = gl_get_i64(&c);
        if (out->count > 1)
            cr_assert_lt(strcmp(out->rows[out->count - 2].account, r->account), 0,
                         "rows in account order");
    }
    /* the tail: no combination ledger, a difference and no adjustment a row */
    cr_assert_eq(gl_get_str8(&c, GL_TENANT_MAX).len, 0);
    gl_get_u16(&c);
    for (uint32_t i = 0; i < n; i++) {
        out->rows[out->count - n + i].gap = gl_get_i64(&c);
        cr_assert_eq(gl_get_i64(&c), 0);
    }
    cr_assert_eq(gl_cur_end(&c), GL_OK);
    return GL_OK;
}

static void gb_all(uint32_t at, uint16_t limit, gb *out, void (*between)(int page))
{
    memset(out, 0, sizeof *out);
    uint64_t watermark = 0;
    char after[GL_ACCOUNT_MAX + 1] = "";
    bool more = true;
    for (int page = 0; more; page++) {
        cr_assert_lt(page, 200, "the pages do not end");
        cr_assert_eq(gb_page(at, &watermark, after, limit, out, &more), GL_OK);
        if (between)
            between(page);
    }
}

static void same_rows(const gb *a, const gb *b)
{
    cr_assert_eq(a->count, b->count);
    for (size_t i = 0; i < a->count; i++) {
        cr_assert_str_eq(a->rows[i].account, b->rows[i].account);
        for (int e = 0; e < 3; e++)
            cr_assert_eq(a->rows[i].net[e], b->rows[i].net[e], "%s entity %d", a->rows[i].account,
                         e);
        cr_assert_eq(a->rows[i].elim, b->rows[i].elim, "%s elimination", a->rows[i].account);
        cr_assert_eq(a->rows[i].gap, b->rows[i].gap, "%s difference", a->rows[i].account);
    }
}

/* Writes between pages: more on accounts of later pages, a new account,
 * and a half of an intercompany pair that no longer matches. */
static void write_between(int page)
{
    if (page != 0)
        return;
    cr_assert_eq(post2(K_BETA, "beta", "628000", "", "401000", "ALPHA", 100), GL_OK);
    cr_assert_eq(post2(K_ALPHA, "alpha", "512000", "", "706100", "", 700), GL_OK);
    cr_assert_eq(post2(K_ACCOUNTANT, "gamma", "691000", "", "512000", "", 900), GL_OK);
    cr_assert_eq(post2(K_ALPHA, "alpha", "411000", "GAMMA", "706100", "", 5), GL_OK);
}

Test(group_pages, pages_show_the_ledger_as_it_stood_at_the_first_page)
{
    /* a matched pair: alpha invoices beta 3.00, beta books it */
    cr_assert_eq(post2(K_ALPHA, "alpha", "411000", "BETA", "706100", "", 300), GL_OK);
    cr_assert_eq(post2(K_BETA, "beta", "628000", "", "401000", "ALPHA", 300), GL_OK);
    cr_assert_eq(post2(K_BETA, "beta", "606100", "", "512000", "", 40), GL_OK);
    cr_assert_eq(post2(K_ACCOUNTANT, "gamma", "606100", "", "512000", "", 60), GL_OK);
    gb before, paged, after;
    gb_all(20250630, GL_PAGE_MAX, &before, NULL);
    cr_assert_eq(before.count, 6); /* 401000 411000 512000 606100 628000 706100 */
    /* (gamma's fiscal year 2025 runs from July 2024 to June 2025: dated
     * 2025-01-15, its entries are in every entity's year as of 2025-06-30) */
    gb_all(20250630, 1, &paged, write_between); /* one row a page, writes after the first */
    same_rows(&paged, &before);
    size_t i;
    for (i = 0; i < before.count && strcmp(before.rows[i].account, "411000"); i++)
        ;
    cr_assert_eq(before.rows[i].elim, -300, "matched as of the first page");
    cr_assert_eq(before.rows[i].gap, 0);
    /* a new read sees the writes: beta's second expense finds no invoice
     * (a difference), the first pair is still eliminated line by line */
    gb_all(20250630, 2, &after, NULL);
    cr_assert_eq(after.count, 7);
    for (i = 0; i < after.count && strcmp(after.rows[i].account, "411000"); i++)
        ;
    cr_assert_eq(after.rows[i].elim, -300, "the matched lines stay eliminated");
    for (i = 0; i < after.count && strcmp(after.rows[i].account, "401000"); i++)
        ;
    cr_assert_eq(after.rows[i].elim, 300);
    cr_assert_eq(after.rows[i].gap, -100, "beta's 401000 line without a counterpart");
    /* a page of several rows, later pages after writes: the same */
    gb_all(20250630, 3, &paged, NULL);
    same_rows(&paged, &after);
}

Test(group_pages, page_request_refusals)
{
    uint64_t wm = 0;
    char after[GL_ACCOUNT_MAX + 1] = "";
    bool more;
    gb out = {0};
    cr_assert_eq(gb_page(20251231, &wm, after, 0, &out, &more), GL_ERR_COUNT_LIMIT);
    cr_assert_eq(gb_page(20251231, &wm, after, GL_PAGE_MAX + 1, &out, &more), GL_ERR_COUNT_LIMIT);
    cr_assert_eq(gb_page(20250231, &wm, after, 10, &out, &more), GL_ERR_BAD_DATE);
    /* the old body (at u32 alone) is too short */
    gl_buf b;
    gl_buf_init(&b);
    gl_put_u32(&b, 20251231);
    cr_assert_eq(call(K_AUDITOR, GL_KIND_GROUP_BALANCE, &b), GL_ERR_MALFORMED);
    gl_buf_init(&b);
    gl_put_u32(&b, 20251231);
    gl_put_u64(&b, 0);
    gl_put_str8(&b, "123456789012345678901", 21);
    gl_put_u16(&b, 10);
    cr_assert_eq(call(K_AUDITOR, GL_KIND_GROUP_BALANCE, &b), GL_ERR_STRING_TOO_LONG);
    gl_buf_init(&b);
    gl_group_balance_q_encode(&b, &(gl_group_balance_q){.at = 20251231, .limit = 10});
    gl_put_u8(&b, 0);
    cr_assert_eq(call(K_AUDITOR, GL_KIND_GROUP_BALANCE, &b), GL_ERR_TRAILING_BYTES);
    gl_response_free(&last);
}

#define MANY 75000
#define PER_ENTRY 999

/* The member opens MANY accounts 6xxxxxxx with 200-byte labels and moves
 * each by one cent: the unpaged combined balance of the group (about 242
 * bytes a row) no longer fit in one reply. */
Test(group_pages, a_member_with_75000_accounts_does_not_block_the_group_balance)
{
    char label[GL_LABEL_MAX + 1];
    memset(label, 'x', GL_LABEL_MAX);
    label[GL_LABEL_MAX] = '\0';
    for (int from = 0; from < MANY; from += GL_ACCOUNTS_MAX) {
        gl_buf b;
        gl_buf_init(&b);
        int n = MANY - from < GL_ACCOUNTS_MAX ? MANY - from : GL_ACCOUNTS_MAX;
        gl_put_u8(&b, GL_OPEN_STRICT);
        gl_put_u32(&b, (uint32_t)n);
        for (int i = from; i < from + n; i++) {
            char acc[16];
            snprintf(acc, sizeof acc, "6%07d", i);
            memcpy(label, acc, 8);
            gl_put_str8(&b, acc, 8);
            gl_put_str8(&b, label, GL_LABEL_MAX);
        }
        gl_response_free(&last);
        cr_assert_eq(h_call(&h, K_BETA, GL_KIND_ACCOUNTS_OPEN, "beta", 0, b.data, b.len, &last),
                     GL_OK);
        gl_buf_free(&b);
    }
    static char accs[MANY][12];
    static gl_entry_in entries[MANY / PER_ENTRY + 1];
    size_t ne = 0;
    for (int from = 0; from < MANY; from += PER_ENTRY, ne++) {
        int n = MANY - from < PER_ENTRY ? MANY - from : PER_ENTRY;
        gl_line_in *l = calloc((size_t)n + 1, sizeof *l);
        cr_assert(l);
        for (int i = 0; i < n; i++) {
            snprintf(accs[from + i], sizeof accs[from + i], "6%07d", from + i);
            l[i] = (gl_line_in){accs[from + i], "", "", "", 'D', 1};
        }
        l[n] = (gl_line_in){"512000", "", "", "", 'C', n};
        entries[ne] = (gl_entry_in){.tenant = "beta",
                                    .journal = "OD",
                                    .piece_ref = "MANY",
                                    .label = "cent",
                                    .date = 20250601,
                                    .piece_date = 20250601,
                                    .line_count = (size_t)n + 1,
                                    .lines = l};
    }
    gl_response_free(&last);
    cr_assert_eq(h_post(&h, K_BETA, entries, ne, &last), GL_OK);
    for (size_t i = 0; i < ne; i++)
        free((void *)entries[i].lines);
    /* the group balance pages through them */
    int rc = h_cli(&h, K_AUDITOR, NULL, 0, "group balance --at 2025-12-31 --format csv");
    char *err = read_file("cli.err", NULL);
    cr_assert_eq(rc, 0, "group balance failed: %s", err);
    free(err);
    size_t len;
    char *out = read_file("cli.out", &len);
    size_t rows = 0;
    for (size_t i = 0; i < len; i++)
        rows += out[i] == '\n';
    cr_assert_geq(rows, MANY + 2, "%zu lines", rows); /* header, 512000, the 75 000 accounts */
    cr_assert(strstr(out, "\n60074999,60074999xxx"), "the last account is there");
    cr_assert(strstr(out, "\n512000,") && strstr(out, ",-750.00,"), "beta's bank: -750.00");
    free(out);
    /* the combined statements read the same pages */
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "group statements --at 2025-12-31 --format csv"), 0);
    /* an unpaged reply over the message size is refused by name (the
     * member's own trial balance), not dropped */
    gl_buf b;
    gl_buf_init(&b);
    gl_balance_q_encode(&b, &(gl_balance_q){.at = 20251231});
    gl_response_free(&last);
    cr_assert_eq(h_call(&h, K_AUDITOR, GL_KIND_BALANCE, "beta", 0, b.data, b.len, &last),
                 GL_ERR_REPLY_TOO_LARGE);
    cr_assert(detail_has("balance"), "%.*s", (int)last.reply.detail.len, last.reply.detail.ptr);
    gl_buf_free(&b);
    gl_response_free(&last);
}
