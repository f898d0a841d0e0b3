/*
 * tests/integration/test_bank_match_free.c — issue 18, `bank match` works
 * on free lines only (client/bank/match_inputs.c), against a real daemon:
 *   - a statement line whose match's other side is dated after --at is
 *     listed by BANK_RECON as not reconciled at --at, yet it is not free:
 *     `--yes` with a rule that applies to it posts nothing and fails
 *     nothing, the ledger unchanged;
 *   - a ledger line dated 2 days before the first statement's first day
 *     is matched by `--yes` with its bank line (EXACT), and no rule entry
 *     is posted for that bank line (a second payment).
 *
 * The books (tenant alpha, 512000, 2026):
 *   2026/1  03/01  D 431000 / C 512000  312.00  BQ URSSAF-12  (line 2: 512000)
 *   2026/2  01/02  D 627800 / C 512000    5.50  BQ FRAIS-JAN  (line 2: 512000)
 * The first statement (05/01-31/01; seqs 1-2):
 *   1  05/01  -312.00  PRLV SEPA URSSAF        B1
 *   2  31/01    -5.50  FRAIS TENUE DE COMPTE   B2
 * Rules: frais (FRAIS* -> 627800), urssaf (PRLV*URSSAF -> 431000).
 */
#include "tests/integration/bank_support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static harness h;

static void post(uint32_t date, const char *debit, const char *credit, int64_t cents,
                 const char *piece)
{
    gl_line_in lines[2];
    gl_entry_in e = h_entry2("alpha", date, debit, credit, cents, lines);
    e.journal = "BQ";
    e.piece_ref = piece;
    gl_response r;
    cr_assert_eq(h_post(&h, K_ACCOUNTANT, &e, 1, &r), GL_OK, "%.*s", (int)r.reply.detail.len,
                 r.reply.detail.ptr);
    gl_response_free(&r);
}

static int cli(char *out, size_t cap, const char *args)
{
    return h_cli(&h, K_ACCOUNTANT, out, cap, "%s", args);
}

static void rule(const char *args)
{
    char out[1024];
    int rc = h_cli(&h, K_ACCOUNTANT, out, sizeof out,
                   "bank rules set --tenant alpha --account 512000 %s", args);
    cr_assert_eq(rc, 0, "%s", out);
}

static void books(void)
{
    h_setup(&h);
    static const char *const accounts[] = {"512000", "431000", "627800"};
    h_open_accounts(&h, "alpha", accounts, 3);
    cr_assert_eq(bk_set(&h, K_ACCOUNTANT, "alpha", "512000", IBAN_A, "", "Courant"), GL_OK);
    post(20260103, "431000", "512000", 31200, "URSSAF-12");
    post(20260201, "627800", "512000", 550, "FRAIS-JAN");
    gl_bank_statement s;
    bk_statement(&s, IBAN_A, 2);
    s.from_date = 20260105;
    s.to_date = 20260131;
    s.has_opening = s.has_closing = 1;
    s.opening_cents = 100000;
    s.closing_cents = 100000 - 31200 - 550;
    bk_line(&s.lines[0], 20260105, -31200, "PRLV SEPA URSSAF", "B1");
    bk_line(&s.lines[1], 20260131, -550, "FRAIS TENUE DE COMPTE", "B2");
    gl_bank_import_result r;
    cr_assert_eq(bk_import(&h, K_ACCOUNTANT, "alpha", "512000", &s, &r), GL_OK, "%s", r.detail);
    free(s.lines);
    rule("--name frais --pattern 'FRAIS*' --counterpart 627800 --min -50,00 --max -0,01");
    rule("--name urssaf --pattern 'PRLV*URSSAF' --counterpart 431000");
}
static void teardown(void) { h_teardown(&h); }

TestSuite(bank_match_free, .init = books, .fini = teardown, .timeout = 240);

#define MATCH "bank match --tenant alpha --account 512000 "

/* The fee of January 31 matched with the entry of February 1: at January
 * 31 BANK_RECON lists it (the match is not whole by then), but it is not
 * free: no rule entry, no refusal, nothing changed. */
Test(bank_match_free, a_line_matched_after_at_attracts_no_rule_entry)
{
    char out[16384];
    int rc = cli(out, sizeof out, MATCH "--bank 1 --lines 2026/1:2");
    cr_assert_eq(rc, 0, "%s", out);
    rc = cli(out, sizeof out, MATCH "--bank 2 --lines 2026/2:2");
    cr_assert_eq(rc, 0, "%s", out);
    long entries = h_entry_count(&h, "alpha");
    uint8_t before[32];
    h_digest(&h, before);
    rc = cli(out, sizeof out, MATCH "--at 2026-01-31 --yes");
    cr_expect_eq(rc, 0, "%s", out);
    cr_expect_null(strstr(out, "rule frais"), "%s", out);
    cr_expect(strstr(out, "statement lines not matched: 0"), "%s", out);
    cr_expect_eq(h_entry_count(&h, "alpha"), entries, "a second entry for the fee:\n%s", out);
    bk_unchanged(&h, before, "bank match --yes on lines matched after --at");
    /* the report still lists the fee as not reconciled at January 31 */
    rc = cli(out, sizeof out, "bank report --tenant alpha --account 512000 --at 2026-01-31");
    cr_assert_eq(rc, 0, "%s", out);
    cr_expect(strstr(out, "FRAIS TENUE DE COMPTE"), "%s", out);
}

/* The URSSAF debit booked on January 3, debited on the 5th: the first
 * statement starts on the 5th, the engine still sees the ledger line. */
Test(bank_match_free, a_ledger_line_just_before_the_first_statement_is_matched)
{
    long entries = h_entry_count(&h, "alpha");
    char out[16384];
    int rc = cli(out, sizeof out, MATCH "--at 2026-01-20 --yes --wide");
    cr_assert_eq(rc, 0, "%s", out);
    cr_expect(strstr(out, "amount"), "the 1-1 by amount:\n%s", out);
    cr_expect_null(strstr(out, "rule urssaf"), "%s", out);
    cr_expect(strstr(out, "1 match recorded: 1"), "%s", out);
    cr_expect_eq(h_entry_count(&h, "alpha"), entries, "a second payment:\n%s", out);
    cr_expect_eq(h_balance(&h, "alpha", "431000", 20260131), 31200);
    rc = cli(out, sizeof out, "bank matches --tenant alpha --account 512000 --format csv");
    cr_assert_eq(rc, 0, "%s", out);
    cr_expect(strstr(out, "2026/1:2"), "matched with the ledger line of January 3:\n%s", out);
    /* run again: nothing left, nothing posted */
    uint8_t before[32];
    h_digest(&h, before);
    rc = cli(out, sizeof out, MATCH "--at 2026-01-20 --yes");
    cr_assert_eq(rc, 0, "%s", out);
    cr_expect(strstr(out, "nothing to match"), "%s", out);
    bk_unchanged(&h, before, "bank match --yes run again");
}
