/*
 * tests/integration/test_bank_recon_years.c — BANK_RECON's books_at
 * (PROTOCOL §5.44) across a fiscal year not yet closed: an état de
 * rapprochement dated in January 2026 while 2025 is still open counts
 * 2025's balance (no à-nouveaux of it exist yet), and gives the same
 * books_at, with a residual of 0, once 2025 is locked and closed; a year
 * closed earlier (2024) is counted once, through 2025's à-nouveaux.
 *
 * The book, tenant alpha (statement 2025-12-01 to 2026-01-31, opening
 * 500.00):
 *   2025-11-15  512000 D 500.00 / 110000        (before the statement)
 *   2025-12-10  512000 D 250.00 / 706000        2025-12-11 +250.00
 *   2026-01-05  627800 D  20.00 / 512000        2026-01-06  -20.00
 *   2026-01-30  512000 D  15.00 / 706000        (in transit)
 * Nothing matched: at 2026-01-31 bank_at = 730.00, the bank rows sum to
 * 230.00, the book rows to 245.00, so books_at must be 745.00.
 */
#include "tests/integration/bank_support.h"

#include "proto/query.h"

#include <criterion/criterion.h>
#include <stdlib.h>

static harness h;

static void setup(void)
{
    h_setup(&h);
    static const char *const accounts[] = {"512000", "706000", "627800",
                                           "110000", "120000", "129000"};
    h_open_accounts(&h, "alpha", accounts, 6);
    cr_assert_eq(bk_set(&h, K_ACCOUNTANT, "alpha", "512000", IBAN_A, "", "Courant"), GL_OK);
}
static void teardown(void) { h_teardown(&h); }

TestSuite(bank_recon_years, .init = setup, .fini = teardown, .timeout = 240);

static void post(uint32_t date, const char *debit, const char *credit, int64_t cents)
{
    gl_line_in l[2];
    gl_entry_in e = h_entry2("alpha", date, debit, credit, cents, l);
    gl_response r;
    cr_assert_eq(h_post(&h, K_ACCOUNTANT, &e, 1, &r), GL_OK);
    cr_assert_eq(r.reply.status, GL_OK, "%.*s", (int)r.reply.detail.len, r.reply.detail.ptr);
    gl_response_free(&r);
}

/* The accountant's request of that kind with body b (freed): its status. */
static int accountant(uint16_t kind, gl_buf *b)
{
    gl_response r;
    int st = h_call(&h, K_ACCOUNTANT, kind, "alpha", 0, b->data, b->len, &r);
    if (st != GL_OK)
        cr_log_error("kind %u: %.*s", kind, (int)r.reply.detail.len, r.reply.detail.ptr);
    gl_response_free(&r);
    gl_buf_free(b);
    return st;
}

/* Lock every month through December of fy, then close fy. */
static void lock_and_close(uint16_t fy)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_lock_q_encode(&b, &(gl_lock_q){(uint32_t)fy * 100 + 12, GL_LOCK_THROUGH});
    cr_assert_eq(accountant(GL_KIND_LOCK, &b), GL_OK);
    gl_buf_init(&b);
    gl_close_q_encode(&b, &(gl_close_q){fy});
    cr_assert_eq(accountant(GL_KIND_CLOSE_YEAR, &b), GL_OK);
}

/* The statement, then the lines of the book from December on. */
static void december_to_january(void)
{
    gl_bank_statement s;
    gl_bank_import_result r;
    bk_statement(&s, IBAN_A, 2);
    s.from_date = 20251201;
    s.to_date = 20260131;
    s.has_opening = s.has_closing = 1;
    s.opening_cents = 50000;
    s.closing_cents = 73000;
    bk_line(&s.lines[0], 20251211, 25000, "VIR COTISATIONS", "R1");
    bk_line(&s.lines[1], 20260106, -2000, "CHQ 1234", "R2");
    cr_assert_eq(bk_import(&h, K_ACCOUNTANT, "alpha", "512000", &s, &r), GL_OK, "%s", r.detail);
    free(s.lines);
    post(20251210, "512000", "706000", 25000);
    post(20260105, "627800", "512000", 2000);
    post(20260130, "512000", "706000", 1500);
}

typedef struct recon {
    gl_bank_recon_head h;
    int64_t residual_cents; /* books_at - (bank_at - bank rows + book rows) */
    uint32_t nbook;
} recon;

static void recon_at(uint32_t at, recon *o)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_bank_recon_q_encode(&b, &(gl_bank_recon_q){{"512000", 6}, at, GL_BANK_RECON_LINES});
    gl_response r;
    cr_assert_eq(h_call(&h, K_AUDITOR, GL_KIND_BANK_RECON, "alpha", 0, b.data, b.len, &r), GL_OK);
    gl_buf_free(&b);
    gl_cur c;
    gl_cur_init(&c, r.reply.body, r.reply.body_len);
    cr_assert_eq(gl_bank_recon_head_get(&c, &o->h), GL_OK);
    int64_t reconciled = o->h.bank_at_cents;
    for (uint32_t i = 0, n = gl_get_u32(&c); i < n; i++) {
        uint32_t seq;
        gl_bank_line_w l;
        cr_assert_eq(gl_bank_recon_bank_get(&c, &seq, &l), GL_OK);
        reconciled -= l.amount_cents;
    }
    o->nbook = gl_get_u32(&c);
    for (uint32_t i = 0; i < o->nbook; i++) {
        gl_bank_book_row row;
        cr_assert_eq(gl_bank_book_row_get(&c, &row), GL_OK);
        reconciled += row.amount_cents;
    }
    cr_assert_eq(gl_get_u8(&c), 0);
    cr_assert_eq(gl_cur_end(&c), GL_OK);
    gl_response_free(&r);
    o->residual_cents = o->h.books_at_cents - reconciled;
}

static void expect_balanced(const recon *o)
{
    cr_expect_eq(o->h.bank_at_cents, 73000);
    cr_expect_eq(o->h.books_at_cents, 74500, "books_at %lld", (long long)o->h.books_at_cents);
    cr_expect_eq(o->residual_cents, 0, "residual %lld", (long long)o->residual_cents);
    cr_expect_eq(o->nbook, 3, "the à-nouveaux are never a book row");
}

Test(bank_recon_years, the_open_year_before_is_carried)
{
    post(20251115, "512000", "110000", 50000);
    december_to_january();
    recon o;
    recon_at(20260131, &o);
    expect_balanced(&o);
    /* dated in 2025, nothing before it is counted twice */
    recon_at(20251231, &o);
    cr_expect_eq(o.h.books_at_cents, 75000);
    cr_expect_eq(o.residual_cents, 0);
    /* closed, the same report from 2026's à-nouveaux */
    lock_and_close(2025);
    cr_assert_eq(h_balance(&h, "alpha", "512000", 20260101), 75000);
    recon_at(20260131, &o);
    expect_balanced(&o);
}

Test(bank_recon_years, a_year_closed_earlier_counts_once)
{
    post(20240615, "512000", "110000", 30000);
    lock_and_close(2024);
    post(20251115, "512000", "110000", 20000);
    december_to_january();
    recon o;
    recon_at(20260131, &o);
    expect_balanced(&o);
    lock_and_close(2025);
    recon_at(20260131, &o);
    expect_balanced(&o);
}

Test(bank_recon_years, two_open_years_before)
{
    /* 2024 and 2025 both open: both carried into a report dated in 2026 */
    post(20240615, "512000", "110000", 30000);
    post(20251115, "512000", "110000", 20000);
    december_to_january();
    recon o;
    recon_at(20260131, &o);
    expect_balanced(&o);
}
