/*
 * tests/integration/test_bank_match_cli.c — issue 18, the matching side of
 * the `grandlivre bank` command against a real daemon: `bank match --yes`
 * on a small statement (a receipt matched 1-1, a deposit of three cheques
 * matched as a group, a bank fee covered by a rule: its entry posted in
 * BQ and matched), a run again adds nothing, an entry posted by a run
 * stopped before its match is matched and not posted twice, a match by
 * hand, unmatch and the lines free again (and matched again), `bank
 * matches`, `bank rules set/list/delete`; and each refusal shown with its
 * code and message, the ledger unchanged (bank_match_cli_refusals).
 *
 * The books (tenant alpha, 512000, January 2026):
 *   2026/1  05/01  D 512000 / C 706000  250.00  FAC-A   (line 1: 512000)
 *   2026/2  10/01  D 512000 / C 411000  120.00  CHQ-A
 *   2026/3  10/01  D 512000 / C 411000   80.50  CHQ-B
 *   2026/4  10/01  D 512000 / C 411000   45.25  CHQ-C
 *   2026/5  20/01  D 401000 / C 512000   60.00  CHQ-EMIS (line 2: 512000; not cashed)
 * The statement (seqs 1-3):
 *   1  06/01  +250.00  VIR ADHERENT            B1
 *   2  12/01  +245.75  REMISE CHEQUES          B2
 *   3  15/01    -5.50  FRAIS TENUE DE COMPTE   B3
 */
#include "tests/integration/bank_support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static harness h;

/* Until helper A1's daemon kinds (BANK_MATCH, BANK_UNMATCH, BANK_RECON,
 * BANK_MATCHES) are merged, the tests that need them are disabled. */
#define NO_A1_YET true

static void post(uint32_t date, const char *debit, const char *credit, int64_t cents,
                 const char *journal, const char *piece)
{
    gl_line_in lines[2];
    gl_entry_in e = h_entry2("alpha", date, debit, credit, cents, lines);
    e.journal = journal;
    e.piece_ref = piece;
    gl_response r;
    cr_assert_eq(h_post(&h, K_ACCOUNTANT, &e, 1, &r), GL_OK, "%.*s", (int)r.reply.detail.len,
                 r.reply.detail.ptr);
    gl_response_free(&r);
}

static void books(void)
{
    h_setup(&h);
    static const char *const accounts[] = {"512000", "706000", "411000", "401000", "627800"};
    h_open_accounts(&h, "alpha", accounts, 5);
    cr_assert_eq(bk_set(&h, K_ACCOUNTANT, "alpha", "512000", IBAN_A, "", "Courant"), GL_OK);
    post(20260105, "512000", "706000", 25000, "VT", "FAC-A");
    post(20260110, "512000", "411000", 12000, "BQ", "CHQ-A");
    post(20260110, "512000", "411000", 8050, "BQ", "CHQ-B");
    post(20260110, "512000", "411000", 4525, "BQ", "CHQ-C");
    post(20260120, "401000", "512000", 6000, "BQ", "CHQ-EMIS");
    gl_bank_statement s;
    bk_statement(&s, IBAN_A, 3);
    bk_line(&s.lines[0], 20260106, 25000, "VIR ADHERENT", "B1");
    bk_line(&s.lines[1], 20260112, 24575, "REMISE CHEQUES", "B2");
    bk_line(&s.lines[2], 20260115, -550, "FRAIS TENUE DE COMPTE", "B3");
    gl_bank_import_result r;
    cr_assert_eq(bk_import(&h, K_ACCOUNTANT, "alpha", "512000", &s, &r), GL_OK, "%s", r.detail);
    free(s.lines);
}
static void teardown(void) { h_teardown(&h); }

TestSuite(bank_match_cli, .init = books, .fini = teardown, .timeout = 240);

#define MATCH "bank match --tenant alpha --account 512000 "

static int cli(char *out, size_t cap, const char *args)
{
    return h_cli(&h, K_ACCOUNTANT, out, cap, "%s", args);
}

static void rule_frais(void)
{
    char out[1024];
    int rc = cli(out, sizeof out,
                 "bank rules set --tenant alpha --account 512000 --name frais --pattern 'FRAIS*' "
                 "--counterpart 627800 --min -50,00 --max -0,01");
    cr_assert_eq(rc, 0, "%s", out);
}

/* The rows of `bank lines` (CSV) whose matched column says yes. */
static int matched_lines(void)
{
    char out[8192];
    cr_assert_eq(cli(out, sizeof out, "bank lines --tenant alpha --account 512000 --format csv"),
                 0);
    int n = 0;
    for (const char *p = out; (p = strstr(p, ",yes\n")); p++)
        n++;
    return n;
}

/* The rows of `bank matches` (CSV) in that state. */
static int matches_in(const char *state)
{
    char out[8192], needle[32];
    cr_assert_eq(cli(out, sizeof out, "bank matches --tenant alpha --account 512000 --format csv"),
                 0, "%s", out);
    snprintf(needle, sizeof needle, ",%s,", state);
    int n = 0;
    for (const char *p = out; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

Test(bank_match_cli, yes_matches_the_sure_ones_and_posts_the_rule_entries, .disabled = NO_A1_YET)
{
    rule_frais();
    long entries = h_entry_count(&h, "alpha");
    char out[16384];
    int rc = cli(out, sizeof out, MATCH "--at 2026-01-31 --yes --wide");
    cr_assert_eq(rc, 0, "%s", out);
    cr_expect(strstr(out, "amount"), "the 1-1 by amount:\n%s", out);
    cr_expect(strstr(out, "grouping"), "the deposit of three cheques:\n%s", out);
    cr_expect(strstr(out, "rule frais"), "the fee:\n%s", out);
    cr_expect(strstr(out, "BQ FRAIS TENUE DE COMPTE → 627800"), "%s", out);
    cr_expect(strstr(out, "2 proposals (2 sure), 1 rule entry"), "%s", out);
    cr_expect(strstr(out, "2 matches recorded: 1 to 2"), "%s", out);
    cr_expect(strstr(out, "1 match recorded: 3"), "%s", out);
    cr_expect_eq(h_entry_count(&h, "alpha"), entries + 1, "the fee's entry");
    cr_expect_eq(h_balance(&h, "alpha", "627800", 20260131), 550);
    cr_expect_eq(h_balance(&h, "alpha", "512000", 20260131), 25000 + 24575 - 6000 - 550);
    cr_expect_eq(matched_lines(), 3, "every statement line matched");
    cr_expect_eq(matches_in("active"), 3);
    /* the entry: journal BQ, piece the bank reference, the bank line's date */
    rc = cli(out, sizeof out, "ledger --tenant alpha --account 627800 --format csv");
    cr_assert_eq(rc, 0, "%s", out);
    cr_expect(strstr(out, "2026-01-15,BQ,B3"), "%s", out);
    cr_expect_geq(h_verify_chains(&h), 0);
}

Test(bank_match_cli, a_run_again_adds_nothing, .disabled = NO_A1_YET)
{
    rule_frais();
    char out[16384];
    cr_assert_eq(cli(out, sizeof out, MATCH "--at 2026-01-31 --yes"), 0, "%s", out);
    long entries = h_entry_count(&h, "alpha");
    uint8_t before[32];
    h_digest(&h, before);
    int rc = cli(out, sizeof out, MATCH "--at 2026-01-31 --yes");
    cr_assert_eq(rc, 0, "%s", out);
    cr_expect(strstr(out, "nothing to match"), "%s", out);
    cr_expect(strstr(out, "0 statement lines and 1 ledger lines not matched"), "%s", out);
    cr_expect_eq(h_entry_count(&h, "alpha"), entries);
    bk_unchanged(&h, before, "bank match --yes run again");
}

/* A run stopped after posting the fee's entry, before matching it: the
 * next run matches that entry and posts none. */
Test(bank_match_cli, an_entry_posted_by_a_stopped_run_is_matched_not_posted_again,
     .disabled = NO_A1_YET)
{
    rule_frais();
    post(20260115, "627800", "512000", 550, "BQ", "B3");
    long entries = h_entry_count(&h, "alpha");
    char out[16384];
    int rc = cli(out, sizeof out, MATCH "--at 2026-01-31 --yes");
    cr_assert_eq(rc, 0, "%s", out);
    cr_expect_eq(h_entry_count(&h, "alpha"), entries, "posted twice:\n%s", out);
    cr_expect_eq(h_balance(&h, "alpha", "627800", 20260131), 550);
    cr_expect_eq(matched_lines(), 3, "%s", out);
}

Test(bank_match_cli, without_yes_and_without_a_terminal_it_only_shows, .disabled = NO_A1_YET)
{
    rule_frais();
    uint8_t before[32];
    h_digest(&h, before);
    char out[16384], err[2048];
    int rc = cli(out, sizeof out, MATCH "--at 2026-01-31 --wide");
    cr_assert_eq(rc, 0, "%s", out);
    cr_expect(strstr(out, "rule frais"), "%s", out);
    cr_expect(strstr(out, "to post"), "%s", out);
    h_cli_err(&h, err, sizeof err);
    cr_expect(strstr(err, "not on a terminal: nothing recorded"), "%s", err);
    bk_unchanged(&h, before, "bank match without --yes");
    /* JSON for a program: one document, the proposals' lines */
    rc = cli(out, sizeof out, MATCH "--at 2026-01-31 --format json");
    cr_assert_eq(rc, 0, "%s", out);
    cr_expect(out[0] == '[' && strstr(out, "\"kind\""), "%s", out);
    cr_expect_null(strstr(out, "proposals ("), "no text around the JSON:\n%s", out);
}

Test(bank_match_cli, no_rules_leaves_the_fee_alone, .disabled = NO_A1_YET)
{
    rule_frais();
    long entries = h_entry_count(&h, "alpha");
    char out[16384];
    cr_assert_eq(cli(out, sizeof out, MATCH "--at 2026-01-31 --yes --no-rules"), 0, "%s", out);
    cr_expect_eq(h_entry_count(&h, "alpha"), entries);
    cr_expect_eq(matched_lines(), 2);
}

Test(bank_match_cli, a_match_by_hand_then_unmatch_frees_its_lines_and_it_can_be_made_again,
     .disabled = NO_A1_YET)
{
    char out[4096];
    int rc = cli(out, sizeof out, MATCH "--bank 1 --lines 2026/1:1");
    cr_assert_eq(rc, 0, "%s", out);
    cr_expect(strstr(out, "1 match recorded: 1"), "%s", out);
    cr_expect_eq(matched_lines(), 1);
    /* the deposit: one statement line, three ledger lines, FY/NUM/LINE */
    rc = cli(out, sizeof out, MATCH "--bank 512000:2 --lines 2026/2/1,2026/3/1,2026/4/1");
    cr_assert_eq(rc, 0, "%s", out);
    cr_expect(strstr(out, "1 match recorded: 2"), "%s", out);
    rc = cli(out, sizeof out, "bank matches --tenant alpha --account 512000 --format csv");
    cr_assert_eq(rc, 0, "%s", out);
    cr_expect(strstr(out, "1,active,1,2026/1:1,2026-01-06,250.00"), "%s", out);
    cr_expect(strstr(out, "2,active,2,2026/2:1 2026/3:1 2026/4:1,2026-01-12,245.75"), "%s", out);
    rc = cli(out, sizeof out, "bank unmatch --tenant alpha --account 512000 --match 1");
    cr_assert_eq(rc, 0, "%s", out);
    cr_expect(strstr(out, "match 1 of 512000 undone"), "%s", out);
    cr_expect_eq(matched_lines(), 1, "the receipt is free again");
    cr_expect_eq(matches_in("undone"), 1);
    /* the same match again: a new one, not a replay of the first */
    rc = cli(out, sizeof out, MATCH "--bank 1 --lines 2026/1:1");
    cr_assert_eq(rc, 0, "%s", out);
    cr_expect(strstr(out, "1 match recorded: 3"), "%s", out);
    cr_expect_eq(matched_lines(), 2);
    rc = cli(out, sizeof out, "bank matches --tenant alpha --account 512000 --json");
    cr_assert_eq(rc, 0, "%s", out);
    cr_expect(strstr(out, "\"state\": \"undone\""), "%s", out);
    cr_expect_geq(h_verify_chains(&h), 0);
}

Test(bank_match_cli, rules_set_list_replace_delete)
{
    char out[4096];
    cr_assert_eq(cli(out, sizeof out, "bank rules --tenant alpha --account 512000"), 0);
    cr_expect(strstr(out, "no rule on 512000"), "%s", out);
    rule_frais();
    int rc = cli(out, sizeof out, "bank rules --tenant alpha --account 512000 --format csv");
    cr_assert_eq(rc, 0, "%s", out);
    cr_expect(strstr(out, "frais,FRAIS*,-50.00,-0.01,627800,BQ,"), "%s", out);
    rc = cli(out, sizeof out,
             "bank rules set --tenant alpha --account 512000 --name frais --pattern 'COMMISSION' "
             "--counterpart 627800 --journal bq2 --label 'Frais bancaires'");
    cr_assert_eq(rc, 0, "%s", out);
    cr_expect(strstr(out, "rule frais set on 512000"), "%s", out);
    rc = cli(out, sizeof out, "bank rules --tenant alpha --account 512000 --format csv");
    cr_expect(strstr(out, "frais,COMMISSION,0.00,0.00,627800,BQ2,Frais bancaires"), "%s", out);
    cr_expect_null(strstr(out, "FRAIS*"), "replaced:\n%s", out);
    rc = cli(out, sizeof out, "bank rules delete --tenant alpha --account 512000 --name frais");
    cr_assert_eq(rc, 0, "%s", out);
    cr_expect(strstr(out, "rule frais deleted from 512000"), "%s", out);
    rc = cli(out, sizeof out, "bank rules --tenant alpha --account 512000 --format csv");
    cr_expect_null(strstr(out, "frais"), "%s", out);
    /* set again after the delete: applied, not taken for a replay */
    rule_frais();
    rc = cli(out, sizeof out, "bank rules --tenant alpha --account 512000 --format csv");
    cr_expect(strstr(out, "frais,FRAIS*"), "%s", out);
}

/* ---- refusals: the code and message shown, nothing changed ---- */

static uint8_t before[32];
static void refusal_books(void)
{
    books();
    h_digest(&h, before);
}
static void unchanged(void) { bk_unchanged(&h, before, "a refusal"); }

TestSuite(bank_match_cli_refusals, .init = refusal_books, .fini = teardown, .timeout = 240);

/* Run args as the accountant: exit status want, and stderr names the
 * status code and its name. */
static void refused(const char *args, int want, const char *code)
{
    char out[4096], err[4096];
    int rc = cli(out, sizeof out, args);
    h_cli_err(&h, err, sizeof err);
    cr_expect_eq(rc, want, "%s: exit %d\n%s%s", args, rc, out, err);
    cr_expect(strstr(err, code), "%s: no '%s' in:\n%s", args, code, err);
}

RTest(bank_match_cli_refusals, an_unbalanced_match, .disabled = NO_A1_YET)
{
    refused(MATCH "--bank 1 --lines 2026/2:1", 1, "478 bank_match_unbalanced");
}

RTest(bank_match_cli_refusals, a_ledger_line_of_another_account, .disabled = NO_A1_YET)
{
    refused(MATCH "--bank 1 --lines 2026/1:2", 1, "476 bank_book_line");
}

RTest(bank_match_cli_refusals, a_statement_line_that_does_not_exist, .disabled = NO_A1_YET)
{
    refused(MATCH "--bank 99 --lines 2026/1:1", 1, "474 bank_line_unknown");
}

RTest(bank_match_cli_refusals, a_line_matched_already, .disabled = NO_A1_YET)
{
    char out[1024];
    cr_assert_eq(cli(out, sizeof out, MATCH "--bank 1 --lines 2026/1:1"), 0, "%s", out);
    h_digest(&h, before);
    refused(MATCH "--bank 1 --lines 2026/5:2,2026/1:1", 1, "475 bank_line_matched");
    refused(MATCH "--bank 3 --lines 2026/1:1", 1, "477 bank_book_matched");
}

RTest(bank_match_cli_refusals, unmatch_of_a_match_that_does_not_exist, .disabled = NO_A1_YET)
{
    refused("bank unmatch --tenant alpha --account 512000 --match 7", 1, "479 bank_match_unknown");
}

RTest(bank_match_cli_refusals, rules_refused)
{
    refused("bank rules delete --tenant alpha --account 512000 --name frais", 1,
            "481 bank_rule_unknown");
    refused(
        "bank rules set --tenant alpha --account 512000 --name Frais --pattern FRAIS "
        "--counterpart 627800",
        1, "480 bank_rule_invalid");
    refused(
        "bank rules set --tenant alpha --account 512000 --name frais --pattern FRAIS "
        "--counterpart 628000",
        1, "405 unknown_account");
    refused(
        "bank rules set --tenant alpha --account 512100 --name frais --pattern FRAIS "
        "--counterpart 627800",
        1, "470 bank_not_registered");
}

/* Usage errors: named, exit 2, nothing sent. */
RTest(bank_match_cli_refusals, bad_options_send_nothing)
{
    refused(MATCH "--bank 1 --lines 2026/x", 2, "--lines: \"2026/x\"");
    refused(MATCH "--bank 1,,2 --lines 2026/1:1", 2, "--bank: \"\"");
    refused(MATCH "--bank 512100:1 --lines 2026/1:1", 2, "--bank: \"512100:1\"");
    refused(MATCH "--bank 1", 2, "--bank and --lines go together");
    refused(MATCH "--bank 1 --lines 2026/1:1 --yes", 2, "--bank and --lines record one match");
    refused(MATCH "--window-days 5000", 2, "--window-days 5000");
    refused(MATCH "--max-lines 33", 2, "--max-lines 33");
    refused("bank unmatch --tenant alpha --account 512000 --match 0", 2, "--match 0");
    refused(
        "bank rules set --tenant alpha --account 512000 --name frais --pattern F "
        "--counterpart 627800 --min 1,234",
        2, "--min 1,234");
    refused("bank rules set --tenant alpha --account 512000 --name frais", 2,
            "--name, --pattern and --counterpart are required");
    refused("bank match --tenant alpha", 2, "--account is required");
}

/* A member writes on its own tenant only (the daemon's wall, through the CLI). */
RTest(bank_match_cli_refusals, a_member_cannot_match_another_tenant, .disabled = NO_A1_YET)
{
    char out[1024], err[2048];
    int rc = h_cli(&h, K_BETA, out, sizeof out, MATCH "--bank 1 --lines 2026/1:1");
    h_cli_err(&h, err, sizeof err);
    cr_expect_eq(rc, 1, "%s%s", out, err);
}
