/*
 * tests/integration/test_open_items_close.c — issue 17: one item, one line,
 * after a detailed close.  Once 2024 is closed with 411000 carried
 * detailed, 2024's open lines of 411000 are settled by the close and the
 * open items after it are the à-nouveaux lines (PROTOCOL §5.10, "settled
 * by the close"): LEDGER with OPEN_ITEMS lists each item once, OPEN_AT
 * at a date of 2025 gives the carried lines (a date of 2024 still gives
 * 2024's lines as they were), `receivables` ages a carried item from its
 * invoice's date, `letter --auto` letters a 2025 payment with the carried
 * line, and LETTER refuses a line the close carried (463).  A summarised
 * close keeps 2024's lines as the items.
 */
#include "tests/support/harness.h"

#include "proto/carry.h"
#include "proto/query.h"
#include "proto/reply.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static harness h;
static const char *const chart[] = {"120000", "129000", "411000", "512000", "706000"};

#define OUT_MAX (64 * 1024)
static char *out;

static void setup(void)
{
    h_setup(&h);
    h_open_accounts(&h, "alpha", chart, sizeof chart / sizeof chart[0]);
    out = malloc(OUT_MAX);
    cr_assert(out);
}
static void teardown(void)
{
    free(out);
    h_teardown(&h);
}

TestSuite(open_items_close, .init = setup, .fini = teardown, .timeout = 180);

#define EXPECT_UNCHANGED_AFTER(expr, status)                                                       \
    do {                                                                                           \
        uint8_t d0_[32], d1_[32];                                                                  \
        h_digest(&h, d0_);                                                                         \
        int st_ = (expr);                                                                          \
        h_digest(&h, d1_);                                                                         \
        cr_assert_eq(st_, status, "got %s, want %s", gl_status_name(st_), gl_status_name(status)); \
        cr_assert(!memcmp(d0_, d1_, 32), "the ledger changed after a refusal");                    \
    } while (0)

/* An invoice (411000/aux debit, line 1) or a payment (512000 debit,
 * 411000/aux credit, line 2); its number. */
static uint32_t post_third(uint32_t date, const char *piece, const char *aux, bool payment,
                           int64_t cents)
{
    gl_line_in inv[2] = {{"411000", aux, "", "", GL_SIDE_DEBIT, cents},
                         {"706000", "", "", "", GL_SIDE_CREDIT, cents}};
    gl_line_in pay[2] = {{"512000", "", "", "", GL_SIDE_DEBIT, cents},
                         {"411000", aux, "", "", GL_SIDE_CREDIT, cents}};
    gl_entry_in e = {.tenant = "alpha",
                     .journal = payment ? "BQ" : "VT",
                     .piece_ref = piece,
                     .label = payment ? "Règlement" : "Facture",
                     .date = date,
                     .piece_date = date,
                     .line_count = 2,
                     .lines = payment ? pay : inv};
    gl_response r;
    int st = h_post(&h, K_ALPHA, &e, 1, &r);
    cr_assert_eq(st, GL_OK, "%s %.*s", gl_status_name(st), (int)r.reply.detail.len,
                 r.reply.detail.ptr);
    uint32_t num = gl_rd32(r.reply.body + 4 + 2);
    gl_response_free(&r);
    return num;
}

/* Letter two lines of aux, as of `date` (the payment's: paid then). */
static int letter(uint16_t fy1, uint32_t num1, uint16_t line1, uint16_t fy2, uint32_t num2,
                  uint16_t line2, const char *aux, uint32_t date)
{
    gl_line_ref refs[2] = {{fy1, num1, line1}, {fy2, num2, line2}};
    gl_buf b;
    gl_buf_init(&b);
    gl_letter_q_encode_dated(&b, (gl_str){"411000", 6}, (gl_str){aux, strlen(aux)}, refs, 2, date);
    gl_response r;
    int st = h_call(&h, K_ALPHA, GL_KIND_LETTER, "alpha", 0, b.data, b.len, &r);
    gl_response_free(&r);
    gl_buf_free(&b);
    return st;
}

static void call_ok(uint16_t kind, gl_buf *b, gl_response *r)
{
    int st = h_call(&h, K_ACCOUNTANT, kind, "alpha", 0, b->data, b->len, r);
    cr_assert_eq(st, GL_OK, "%s %.*s", gl_status_name(st), (int)r->reply.detail.len,
                 r->reply.detail.ptr);
}

/* Lock 2024 and close it; the à-nouveaux entry's number in 2025. */
static uint32_t close_2024(void)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_lock_q lq = {202412, GL_LOCK_THROUGH};
    gl_lock_q_encode(&b, &lq);
    gl_response r;
    call_ok(GL_KIND_LOCK, &b, &r);
    gl_response_free(&r);
    b.len = 0;
    gl_close_q cq = {2024};
    gl_close_q_encode(&b, &cq);
    call_ok(GL_KIND_CLOSE_YEAR, &b, &r);
    gl_reply_close_year c;
    cr_assert_eq(
        gl_reply_close_year_decode((gl_str){(const char *)r.reply.body, r.reply.body_len}, &c),
        GL_OK);
    cr_assert_eq(c.opening_fy, 2025);
    gl_response_free(&r);
    gl_buf_free(&b);
    return c.opening_num;
}

static void detailed(void)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_carry_mode_q q = {{"411000", 6}, GL_CARRY_DETAILED};
    gl_carry_mode_q_encode(&b, &q);
    gl_response r;
    call_ok(GL_KIND_CARRY_MODE_SET, &b, &r);
    gl_response_free(&r);
    gl_buf_free(&b);
}

/* 2024: DUPONT's F-001 (100.00, paid and lettered) and F-002 (50.00,
 * open: 2024/2:1); MARTIN's F-003 (70.00, 2024/3:1) and F-004 (30.00,
 * 2024/5:1), open.  Closed: the à-nouveaux carry F-002, F-003, F-004 as
 * its lines 2, 3 and 4 when 411000 is detailed. */
static uint32_t year_2024_closed(void)
{
    uint32_t f1 = post_third(20240310, "F-001", "DUPONT", false, 10000);
    cr_assert_eq(post_third(20240412, "F-002", "DUPONT", false, 5000), 2);
    cr_assert_eq(post_third(20240415, "F-003", "MARTIN", false, 7000), 3);
    uint32_t p1 = post_third(20240420, "R-001", "DUPONT", true, 10000);
    cr_assert_eq(post_third(20240501, "F-004", "MARTIN", false, 3000), 5);
    cr_assert_eq(letter(2024, f1, 1, 2024, p1, 2, "DUPONT", 20240420), GL_OK);
    return close_2024();
}

typedef struct row {
    uint16_t fy, line;
    uint32_t num;
} row;

/* LEDGER of 411000 from 2024-01-01 to `to`, with OPEN_ITEMS (at 0) or
 * OPEN_AT at; its rows (every page). */
static size_t open_rows(uint32_t to, uint32_t at, row *rows, size_t max)
{
    gl_ledger_q q = {.account = {"411000", 6},
                     .from = 20240101,
                     .to = to,
                     .limit = 1000,
                     .flags = at ? GL_LEDGER_FILTER : GL_LEDGER_OPEN_ITEMS,
                     .filter = {.fields = at ? GL_FILTER_OPEN_AT : 0, .open_at = at}};
    gl_buf b;
    gl_buf_init(&b);
    gl_ledger_q_encode(&b, &q);
    gl_response r;
    cr_assert_eq(h_call(&h, K_ACCOUNTANT, GL_KIND_LEDGER, "alpha", 0, b.data, b.len, &r), GL_OK);
    gl_reply_ledger l;
    cr_assert_eq(gl_reply_ledger_decode((gl_str){(const char *)r.reply.body, r.reply.body_len}, &l),
                 GL_OK);
    cr_assert(!l.more);
    gl_reply_ledger_iter it;
    gl_reply_ledger_row x;
    size_t n = 0;
    gl_reply_ledger_iter_init(&it, &l);
    while (gl_reply_ledger_next(&it, &x) == 1) {
        cr_assert(n < max);
        rows[n++] = (row){x.fy, x.line, x.num};
    }
    gl_response_free(&r);
    gl_buf_free(&b);
    return n;
}

static bool has_row(const row *rows, size_t n, uint16_t fy, uint32_t num, uint16_t line)
{
    for (size_t i = 0; i < n; i++)
        if (rows[i].fy == fy && rows[i].num == num && rows[i].line == line)
            return true;
    return false;
}

/* The letter code of line fy/num:line ("" if none), into code. */
static void line_code(uint16_t fy, uint32_t num, uint16_t line, char *code, size_t len)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_entry_ref ref = {fy, num};
    gl_entry_ref_encode(&b, &ref);
    gl_response r;
    call_ok(GL_KIND_ENTRY_GET, &b, &r);
    gl_reply_entry_get g;
    cr_assert_eq(
        gl_reply_entry_get_decode((gl_str){(const char *)r.reply.body, r.reply.body_len}, &g),
        GL_OK);
    gl_reply_letter_iter it;
    gl_reply_letter lc;
    gl_reply_entry_get_codes(&g, &it);
    code[0] = '\0';
    for (uint16_t i = 1; i <= line; i++) {
        cr_assert_eq(gl_reply_letter_next(&it, &lc), 1);
        if (i == line)
            snprintf(code, len, "%.*s", (int)lc.code.len, lc.code.ptr);
    }
    gl_response_free(&r);
    gl_buf_free(&b);
}

Test(open_items_close, ledger_open_lists_each_item_once_after_a_detailed_close)
{
    detailed();
    uint32_t an = year_2024_closed();
    row rows[32];
    size_t n = open_rows(20251231, 0, rows, 32);
    cr_assert_eq(n, 3, "%zu open rows: 2024's lines and their à-nouveaux both?", n);
    for (uint16_t line = 2; line <= 4; line++)
        cr_assert(has_row(rows, n, 2025, an, line), "à-nouveaux line %u", line);
    char csv[4096];
    int rc = h_cli(&h, K_ACCOUNTANT, csv, sizeof csv,
                   "ledger --tenant alpha --account 411000 --open --from 2024-01-01 "
                   "--to 2025-12-31 --format csv");
    cr_assert_eq(rc, 0, "%s", csv);
    cr_assert(strstr(csv, "F-003 of 2024-04-15") && !strstr(csv, "2024/3:1"), "%s", csv);
}

Test(open_items_close, open_at_after_the_close_gives_the_carried_lines_and_inside_it_the_years)
{
    detailed();
    uint32_t an = year_2024_closed();
    uint32_t pay = post_third(20250203, "R-002", "MARTIN", true, 7000);
    cr_assert_eq(letter(2025, an, 3, 2025, pay, 2, "MARTIN", 20250203), GL_OK); /* F-003 paid */
    row rows[32];
    /* inside 2024: its items as they were, the à-nouveaux not yet there */
    size_t n = open_rows(20241231, 20241231, rows, 32);
    cr_assert_eq(n, 3, "%zu rows at 2024-12-31", n);
    cr_assert(has_row(rows, n, 2024, 2, 1) && has_row(rows, n, 2024, 3, 1) &&
              has_row(rows, n, 2024, 5, 1));
    /* after the close: the carried lines, F-003 paid */
    n = open_rows(20250630, 20250630, rows, 32);
    cr_assert_eq(n, 2, "%zu rows at 2025-06-30: an item paid in 2025 still open in 2024?", n);
    cr_assert(has_row(rows, n, 2025, an, 2) && has_row(rows, n, 2025, an, 4));
    /* on 2025-02-02, before the payment, F-003 was open: once */
    n = open_rows(20250202, 20250202, rows, 32);
    cr_assert_eq(n, 3, "%zu rows at 2025-02-02", n);
    cr_assert(has_row(rows, n, 2025, an, 3));
    cr_assert_gt(h_verify_chains(&h), 0);
}

Test(open_items_close, receivables_after_the_close_age_a_carried_item_from_its_invoice)
{
    detailed();
    uint32_t an = year_2024_closed();
    uint32_t pay = post_third(20250203, "R-002", "MARTIN", true, 7000);
    cr_assert_eq(letter(2025, an, 3, 2025, pay, 2, "MARTIN", 20250203), GL_OK);
    int rc = h_cli(&h, K_ACCOUNTANT, out, OUT_MAX,
                   "receivables --tenant alpha --at 2025-06-30 --detail --format csv");
    cr_assert_eq(rc, 0, "%s", out);
    cr_assert(!strstr(out, "F-003"), "F-003, paid in 2025, still open:\n%s", out);
    /* F-004 of 2024-05-01, due 30 days later: 395 days overdue, over 90 */
    char want[128];
    snprintf(want, sizeof want, "411000,MARTIN,2025/%u:4,2024-05-01,2024-05-31,F-004,", an);
    cr_assert(strstr(out, want), "want %s in:\n%s", want, out);
    cr_assert(strstr(out, ",395,"), "%s", out);
    rc = h_cli(&h, K_ACCOUNTANT, out, OUT_MAX,
               "receivables --tenant alpha --at 2025-06-30 --format csv");
    cr_assert_eq(rc, 0, "%s", out);
    cr_assert(strstr(out, "\n411000,MARTIN,0.00,0.00,0.00,0.00,30.00,30.00"), "%s", out);
    cr_assert(strstr(out, "\n411000,DUPONT,0.00,0.00,0.00,0.00,50.00,50.00"), "%s", out);
}

Test(open_items_close, letter_auto_pairs_a_next_year_payment_with_the_carried_line)
{
    detailed();
    uint32_t an = year_2024_closed();
    /* MARTIN pays F-004 in 2025, naming it */
    uint32_t pay = post_third(20250301, "F-004", "MARTIN", true, 3000);
    int rc = h_cli(&h, K_ACCOUNTANT, out, OUT_MAX,
                   "letter --auto --tenant alpha --account 411000 --format csv");
    cr_assert_eq(rc, 0, "%s", out);
    char old[16], carried[16], paid[16];
    line_code(2024, 5, 1, old, sizeof old);
    line_code(2025, an, 4, carried, sizeof carried);
    line_code(2025, pay, 2, paid, sizeof paid);
    cr_assert_str_empty(old, "2024's F-004 lettered %s: the close settled it", old);
    cr_assert(carried[0] && !strcmp(carried, paid), "carried '%s', payment '%s'\n%s", carried, paid,
              out);
    cr_assert(strstr(out, "same piece"), "the same piece rule, through the invoice's piece:\n%s",
              out);
    /* nothing else to letter: F-002 and F-003 stay open, once each */
    row rows[32];
    cr_assert_eq(open_rows(20251231, 0, rows, 32), 2);
    cr_assert_gt(h_verify_chains(&h), 0);
}

Test(open_items_close, lettering_a_line_the_close_carried_is_refused)
{
    detailed();
    uint32_t an = year_2024_closed();
    uint32_t pay = post_third(20250203, "R-002", "MARTIN", true, 7000);
    EXPECT_UNCHANGED_AFTER(letter(2024, 3, 1, 2025, pay, 2, "MARTIN", 20250203),
                           GL_ERR_LETTER_CARRIED_LINE);
    /* nor with its own carried copy */
    EXPECT_UNCHANGED_AFTER(letter(2025, an, 3, 2024, 3, 1, "MARTIN", 20250203),
                           GL_ERR_LETTER_CARRIED_LINE);
    cr_assert_eq(letter(2025, an, 3, 2025, pay, 2, "MARTIN", 20250203), GL_OK);
    cr_assert_gt(h_verify_chains(&h), 0);
}

Test(open_items_close, a_summarised_close_keeps_the_years_lines_as_the_items)
{
    uint32_t an = year_2024_closed();
    uint32_t pay = post_third(20250203, "R-002", "MARTIN", true, 7000);
    row rows[32];
    /* at a date of 2025: 2024's lines, the à-nouveaux' balances left out */
    size_t n = open_rows(20250630, 20250630, rows, 32);
    cr_assert_eq(n, 4, "%zu rows", n);
    cr_assert(has_row(rows, n, 2024, 3, 1) && !has_row(rows, n, 2025, an, 3));
    /* nothing to letter across the close: the payment is lettered with
     * 2024's invoice itself, as before */
    cr_assert_eq(letter(2024, 3, 1, 2025, pay, 2, "MARTIN", 20250203), GL_OK);
    n = open_rows(20250630, 20250630, rows, 32);
    cr_assert_eq(n, 2, "%zu rows", n);
}
