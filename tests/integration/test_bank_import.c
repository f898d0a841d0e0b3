/*
 * tests/integration/test_bank_import.c — issue 18, statement lines in the
 * ledger: BANK_IMPORT (37) stores a statement's lines under the registered
 * bank account, never twice (bank references; else the n-th identical
 * line of a day), reports a gap between a statement's opening and the
 * previous closing, and records a BANK_STATEMENT event (14) that the
 * offline verifier re-derives from the signed request; BANK_LINES (38)
 * pages them.  The statements are built in memory (the parsers are helper
 * L's) and sent by the client library's gl_client_bank_import.  Every
 * refusal (300, 301, 470-472, decode errors) leaves the digest unchanged.
 */
#include "tests/integration/bank_support.h"

#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static harness h;
static void setup(void)
{
    h_setup(&h);
    static const char *const accounts[] = {"512000", "512100", "411000"};
    h_open_accounts(&h, "alpha", accounts, 3);
    h_open_accounts(&h, "beta", accounts, 1);
    cr_assert_eq(bk_set(&h, K_ACCOUNTANT, "alpha", "512000", IBAN_A, "", "Courant"), GL_OK);
    cr_assert_eq(bk_set(&h, K_ACCOUNTANT, "beta", "512000", IBAN_B, "", "Courant"), GL_OK);
}
static void teardown(void) { h_teardown(&h); }

TestSuite(bank_import, .init = setup, .fini = teardown, .timeout = 240);

/* January: three lines with references, opening 1000.00, closing 1224.50. */
static void january(gl_bank_statement *s)
{
    bk_statement(s, IBAN_A, 3);
    s->from_date = 20260101;
    s->to_date = 20260131;
    s->has_opening = s->has_closing = 1;
    s->opening_cents = 100000;
    s->closing_cents = 122450;
    bk_line(&s->lines[0], 20260105, 25000, "VIR COTISATIONS", "R1");
    bk_line(&s->lines[1], 20260110, -550, "FRAIS TENUE DE COMPTE", "R2");
    bk_line(&s->lines[2], 20260120, -2000, "CHQ 1234", "R3");
}

static void release(gl_bank_statement *s) { free(s->lines); }

Test(bank_import, a_statement_is_stored_and_listed_with_its_ids)
{
    gl_bank_statement s;
    january(&s);
    gl_bank_import_result r;
    cr_assert_eq(bk_import(&h, K_ACCOUNTANT, "alpha", "512000", &s, &r), GL_OK, "%s", r.detail);
    cr_expect_eq(r.added, 3);
    cr_expect_eq(r.already, 0);
    cr_expect_eq(r.opening.first_seq, 1);
    cr_expect_eq(r.opening.gap, 0);
    char out[2048];
    uint32_t n;
    cr_assert_eq(bk_lines(&h, K_AUDITOR, "alpha", "512000", 0, 0, out, sizeof out, &n), GL_OK);
    cr_expect_str_eq(out,
                     "20260105:25000:VIR COTISATIONS:1;20260110:-550:FRAIS TENUE DE "
                     "COMPTE:2;20260120:-2000:CHQ 1234:3;");
    cr_assert_eq(bk_lines(&h, K_ALPHA, "alpha", "512000", 20260106, 20260115, out, sizeof out, &n),
                 GL_OK);
    cr_expect_str_eq(out, "20260110:-550:FRAIS TENUE DE COMPTE:2;");
    cr_expect_eq(bk_events(&h, "alpha", GL_EVENT_BANK_STATEMENT), 1);
    cr_expect_geq(h_verify_chains(&h), 0);
    release(&s);
}

Test(bank_import, the_same_statement_twice_adds_nothing_and_an_overlapping_one_only_the_new)
{
    gl_bank_statement s;
    january(&s);
    gl_bank_import_result r;
    cr_assert_eq(bk_import(&h, K_ACCOUNTANT, "alpha", "512000", &s, &r), GL_OK);
    cr_assert_eq(bk_import(&h, K_ACCOUNTANT, "alpha", "512000", &s, &r), GL_OK);
    cr_expect_eq(r.added, 0);
    cr_expect_eq(r.already, 3);
    cr_expect_eq(r.opening.gap, 0, "the same statement has no gap with itself");
    /* 20-31 January again and February's first line */
    gl_bank_statement o;
    bk_statement(&o, RIB_A, 2);
    bk_line(&o.lines[0], 20260120, -2000, "CHQ 1234", "R3");
    bk_line(&o.lines[1], 20260203, 1500, "REMISE CHQ", "R4");
    cr_assert_eq(bk_import(&h, K_ALPHA, "alpha", "512000", &o, &r), GL_OK, "%s", r.detail);
    cr_expect_eq(r.added, 1);
    cr_expect_eq(r.already, 1);
    cr_expect_eq(r.opening.first_seq, 4);
    uint32_t n;
    cr_assert_eq(bk_lines(&h, K_ALPHA, "alpha", "512000", 0, 0, NULL, 0, &n), GL_OK);
    cr_expect_eq(n, 4);
    release(&s);
    release(&o);
}

/* Without references: the n-th identical (date, amount, label) line of a
 * day in one import is the n-th of that day in another. */
Test(bank_import, lines_without_reference_follow_the_nth_identical_rule)
{
    gl_bank_statement a, b;
    bk_statement(&a, IBAN_A, 3);
    bk_line(&a.lines[0], 20260301, -500, "FRAIS", NULL);
    bk_line(&a.lines[1], 20260301, -500, "FRAIS", NULL);
    bk_line(&a.lines[2], 20260302, -500, "FRAIS", NULL);
    gl_bank_import_result r;
    cr_assert_eq(bk_import(&h, K_ACCOUNTANT, "alpha", "512000", &a, &r), GL_OK);
    cr_expect_eq(r.added, 3, "two identical lines of a day are two lines");
    bk_statement(&b, "", 4);
    bk_line(&b.lines[0], 20260301, -500, "FRAIS", NULL);
    bk_line(&b.lines[1], 20260301, -500, "FRAIS", NULL);
    bk_line(&b.lines[2], 20260301, -500, "FRAIS", NULL);
    bk_line(&b.lines[3], 20260301, -500, "FRAIS BIS", NULL);
    cr_assert_eq(bk_import(&h, K_ACCOUNTANT, "alpha", "512000", &b, &r), GL_OK);
    cr_expect_eq(r.added, 2, "the third FRAIS of 1 March and FRAIS BIS");
    cr_expect_eq(r.already, 2);
    cr_assert_eq(bk_import(&h, K_ACCOUNTANT, "alpha", "512000", &b, &r), GL_OK);
    cr_expect_eq(r.added, 0);
    uint32_t n;
    cr_assert_eq(bk_lines(&h, K_ACCOUNTANT, "alpha", "512000", 20260301, 20260301, NULL, 0, &n),
                 GL_OK);
    cr_expect_eq(n, 4);
    release(&a);
    release(&b);
}

Test(bank_import, a_gap_between_statements_is_imported_and_reported)
{
    gl_bank_statement s, f;
    january(&s);
    gl_bank_import_result r;
    cr_assert_eq(bk_import(&h, K_ACCOUNTANT, "alpha", "512000", &s, &r), GL_OK);
    bk_statement(&f, IBAN_A, 1);
    f.from_date = 20260201;
    f.to_date = 20260228;
    f.has_opening = f.has_closing = 1;
    f.opening_cents = 122000; /* 4.50 lost */
    f.closing_cents = 123500;
    bk_line(&f.lines[0], 20260203, 1500, "REMISE CHQ", "R4");
    cr_assert_eq(bk_import(&h, K_ACCOUNTANT, "alpha", "512000", &f, &r), GL_OK);
    cr_expect_eq(r.added, 1, "imported all the same");
    cr_expect_eq(r.opening.gap, 1);
    cr_expect_eq(r.opening.gap_cents, -450);
    cr_expect_eq(r.opening.prev_closing_cents, 122450);
    cr_expect_eq(r.opening.prev_closing_date, 20260131);
    char out[256];
    h_cli_err(&h, out, sizeof out); /* nothing here: the gap is in the reply */
    release(&s);
    release(&f);
}

Test(bank_import, a_statement_of_another_account_is_refused_and_changes_nothing)
{
    gl_bank_statement s;
    january(&s);
    snprintf(s.account_id, sizeof s.account_id, "%s", IBAN_B);
    uint8_t d[32];
    h_digest(&h, d);
    gl_bank_import_result r;
    cr_expect_eq(bk_import(&h, K_ACCOUNTANT, "alpha", "512000", &s, &r), GL_ERR_BANK_OTHER_ACCOUNT);
    cr_expect(strstr(r.detail, IBAN_B), "%s", r.detail);
    snprintf(s.account_id, sizeof s.account_id, "RIB:20041010050500013M02606");
    cr_expect_eq(bk_import(&h, K_ACCOUNTANT, "alpha", "512000", &s, &r), GL_ERR_BANK_OTHER_ACCOUNT,
                 "another RIB");
    bk_unchanged(&h, d, "another account's statement");
    snprintf(s.account_id, sizeof s.account_id, IBAN_A);
    cr_expect_eq(bk_import(&h, K_ACCOUNTANT, "alpha", "512100", &s, &r),
                 GL_ERR_BANK_NOT_REGISTERED);
    snprintf(s.currency, sizeof s.currency, "USD");
    cr_expect_eq(bk_import(&h, K_ACCOUNTANT, "alpha", "512000", &s, &r), GL_ERR_BANK_CURRENCY);
    bk_unchanged(&h, d, "an unregistered account, a statement in dollars");
    release(&s);
}

Test(bank_import, a_bad_line_is_refused_whole_naming_its_file_line)
{
    gl_bank_statement s;
    january(&s);
    s.lines[1].amount_cents = 0;
    s.lines[1].source_line = 17;
    uint8_t d[32];
    h_digest(&h, d);
    gl_bank_import_result r;
    cr_expect_eq(bk_import(&h, K_ACCOUNTANT, "alpha", "512000", &s, &r),
                 GL_ERR_AMOUNT_NOT_POSITIVE);
    cr_expect_eq(r.source_line, 17);
    s.lines[1].amount_cents = -550;
    s.lines[2].booking_date = 20260231;
    cr_expect_eq(bk_import(&h, K_ACCOUNTANT, "alpha", "512000", &s, &r), GL_ERR_BAD_DATE);
    bk_unchanged(&h, d, "a bad line");
    release(&s);
}

Test(bank_import, members_import_their_own_tenant_only_and_auditors_none)
{
    gl_bank_statement s;
    january(&s);
    uint8_t d[32];
    h_digest(&h, d);
    gl_bank_import_result r;
    cr_expect_eq(bk_import(&h, K_ALPHA, "beta", "512000", &s, &r), GL_ERR_FORBIDDEN_TENANT);
    cr_expect_eq(bk_import(&h, K_AUDITOR, "alpha", "512000", &s, &r), GL_ERR_FORBIDDEN_ROLE);
    bk_unchanged(&h, d, "a refused member or auditor");
    uint32_t n;
    cr_expect_eq(bk_lines(&h, K_ALPHA, "beta", "512000", 0, 0, NULL, 0, &n),
                 GL_ERR_FORBIDDEN_TENANT);
    cr_assert_eq(bk_import(&h, K_ALPHA, "alpha", "512000", &s, &r), GL_OK);
    /* beta's statement of beta's account: alpha's lines are not there */
    snprintf(s.account_id, sizeof s.account_id, IBAN_B);
    cr_assert_eq(bk_import(&h, K_BETA, "beta", "512000", &s, &r), GL_OK);
    cr_expect_eq(r.added, 3, "tenants are walls: the same references are beta's own");
    release(&s);
}

Test(bank_import, a_replayed_import_changes_nothing)
{
    gl_bank_statement s;
    january(&s);
    gl_buf b;
    gl_buf_init(&b);
    cr_assert_eq(gl_bank_import_body(&b, "512000", &s, GL_BANK_FORMAT_OFX, NULL, 0, 3), GL_OK);
    gl_response r;
    cr_assert_eq(h_call(&h, K_ACCOUNTANT, GL_KIND_BANK_IMPORT, "alpha", 777, b.data, b.len, &r),
                 GL_OK);
    gl_response_free(&r);
    uint8_t d[32];
    h_digest(&h, d);
    cr_expect_eq(h_call(&h, K_ACCOUNTANT, GL_KIND_BANK_IMPORT, "alpha", 777, b.data, b.len, &r),
                 GL_OK);
    gl_bank_import_reply rep;
    cr_assert_eq(gl_bank_import_reply_decode(r.reply.body, r.reply.body_len, &rep), GL_OK);
    cr_expect_eq(rep.added, 3, "the first reply, as sent");
    gl_response_free(&r);
    bk_unchanged(&h, d, "a replayed import");
    gl_buf_free(&b);
    release(&s);
}

Test(bank_import, a_large_statement_goes_in_several_requests)
{
    gl_bank_statement s;
    size_t n = 2 * GL_BANK_IMPORT_MAX + 500;
    bk_statement(&s, IBAN_A, n);
    s.has_opening = s.has_closing = 1;
    for (size_t i = 0; i < n; i++) {
        char ref[16];
        snprintf(ref, sizeof ref, "T%zu", i);
        bk_line(&s.lines[i], 20260101 + (uint32_t)(i % 28), (int64_t)i + 1, "VIR", ref);
        s.closing_cents += (int64_t)i + 1;
    }
    gl_bank_import_result r;
    cr_assert_eq(bk_import(&h, K_ACCOUNTANT, "alpha", "512000", &s, &r), GL_OK, "%s", r.detail);
    cr_expect_eq(r.requests, 3);
    cr_expect_eq(r.added, n);
    uint32_t count;
    cr_assert_eq(bk_lines(&h, K_ACCOUNTANT, "alpha", "512000", 0, 0, NULL, 0, &count), GL_OK);
    cr_expect_eq(count, n, "every page");
    cr_assert_eq(bk_import(&h, K_ACCOUNTANT, "alpha", "512000", &s, &r), GL_OK);
    cr_expect_eq(r.added, 0);
    cr_expect_eq(r.already, n);
    release(&s);
}

Test(bank_import, lines_survive_a_restart)
{
    gl_bank_statement s;
    january(&s);
    gl_bank_import_result r;
    cr_assert_eq(bk_import(&h, K_ACCOUNTANT, "alpha", "512000", &s, &r), GL_OK);
    h_stop(&h);
    h_start(&h);
    uint32_t n;
    cr_assert_eq(bk_lines(&h, K_ACCOUNTANT, "alpha", "512000", 0, 0, NULL, 0, &n), GL_OK);
    cr_expect_eq(n, 3);
    cr_assert_eq(bk_import(&h, K_ACCOUNTANT, "alpha", "512000", &s, &r), GL_OK);
    cr_expect_eq(r.added, 0, "the references are kept too");
    release(&s);
}

Test(bank_import, verify_rederives_the_lines_and_flags_a_forged_statement_event)
{
    gl_bank_statement s;
    january(&s);
    gl_bank_import_result r;
    cr_assert_eq(bk_import(&h, K_ACCOUNTANT, "alpha", "512000", &s, &r), GL_OK);
    s.lines[2].booking_date = 20260121; /* a new line; R1 and R2 already there */
    snprintf(s.lines[2].bank_ref, sizeof s.lines[2].bank_ref, "R9");
    cr_assert_eq(bk_import(&h, K_ACCOUNTANT, "alpha", "512000", &s, &r), GL_OK);
    cr_assert_eq(r.added, 1);
    char out[16384];
    /* the first statement event's last index 3 becomes 4: a line the
     * request does not hold */
    int rc = bk_verify_tampered(&h, GL_EVENT_BANK_STATEMENT, NULL, out, sizeof out);
    cr_expect_neq(rc, 0, "a forged statement event verified:\n%s", out);
    cr_expect(strstr(out, "bank statement"), "%s", out);
    release(&s);
}

Test(bank_import, cli_lists_lines_as_json)
{
    gl_bank_statement s;
    january(&s);
    gl_bank_import_result r;
    cr_assert_eq(bk_import(&h, K_ACCOUNTANT, "alpha", "512000", &s, &r), GL_OK);
    char out[8192];
    int rc = h_cli(&h, K_ALPHA, out, sizeof out,
                   "bank lines --tenant alpha --account 512000 --from 2026-01-06 --json");
    cr_assert_eq(rc, 0, "%s", out);
    cr_expect(strstr(out, "\"512000:2\""), "%s", out);
    cr_expect(strstr(out, "FRAIS TENUE DE COMPTE"), "%s", out);
    cr_expect(!strstr(out, "VIR COTISATIONS"), "%s", out);
    release(&s);
}

/* The whole path: a bank's CAMT.053 file (tests/data/bank, run from the
 * top of the tree) read by the parsers and imported; the same file again
 * adds nothing. */
Test(bank_import, cli_imports_a_camt_file_once)
{
    char path[PATH_MAX], out[4096];
    cr_assert(realpath("tests/data/bank/camt053_v02.xml", path), "run from the top of the tree");
    int rc = h_cli(&h, K_ACCOUNTANT, out, sizeof out,
                   "bank account set --tenant alpha --account 512100 "
                   "--iban FR7630004001230001234567843");
    cr_assert_eq(rc, 0, "%s", out);
    rc = h_cli(&h, K_ACCOUNTANT, out, sizeof out,
               "bank import --tenant alpha --account 512100 '%s'", path);
    cr_assert_eq(rc, 0, "%s", out);
    cr_expect(strstr(out, " added, 0 already there") || strstr(out, "ajoutée"), "%s", out);
    cr_expect(!strstr(out, " 0 lines added"), "%s", out);
    rc = h_cli(&h, K_ACCOUNTANT, out, sizeof out,
               "bank import --tenant alpha --account 512100 '%s'", path);
    cr_assert_eq(rc, 0, "%s", out);
    cr_expect(strstr(out, "0 lines added") || strstr(out, "0 ligne"), "%s", out);
    rc = h_cli(&h, K_ACCOUNTANT, out, sizeof out,
               "bank lines --tenant alpha --account 512100 --json");
    cr_assert_eq(rc, 0, "%s", out);
    cr_expect(strstr(out, "REM0012345"), "%s", out);
}

/* Two identical lines of one day without a bank reference are two lines,
 * even in a statement larger than one request: the client never cuts a
 * day in two (the review of wave 11 found the second coffee of the day
 * dropped when the cut fell between them). */
Test(bank_import, identical_lines_of_a_day_are_kept_when_the_statement_is_split)
{
    gl_bank_statement s;
    size_t n = GL_BANK_IMPORT_MAX + 1;
    bk_statement(&s, IBAN_A, n);
    for (size_t i = 0; i + 2 < n; i++) {
        char ref[16];
        snprintf(ref, sizeof ref, "T%zu", i);
        bk_line(&s.lines[i], 20260105, (int64_t)i + 1, "VIR", ref);
    }
    bk_line(&s.lines[n - 2], 20260106, -350, "CB CAFE", "");
    bk_line(&s.lines[n - 1], 20260106, -350, "CB CAFE", "");
    gl_bank_import_result r;
    cr_assert_eq(bk_import(&h, K_ACCOUNTANT, "alpha", "512000", &s, &r), GL_OK, "%s", r.detail);
    cr_expect_eq(r.requests, 2);
    cr_expect_eq(r.added, n, "added %u, already %u", r.added, r.already);
    cr_expect_eq(r.already, 0);
    cr_assert_eq(bk_import(&h, K_ACCOUNTANT, "alpha", "512000", &s, &r), GL_OK);
    cr_expect_eq(r.added, 0, "the same file again adds nothing");
    release(&s);
}
