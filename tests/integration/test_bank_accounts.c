/*
 * tests/integration/test_bank_accounts.c — issue 18, bank accounts:
 * BANK_ACCOUNT_SET (36) registers the bank account of an open class 51
 * account (IBAN by MOD 97-10, BIC), each change a BANK_ACCOUNT event (13)
 * that the offline verifier checks against its signed request;
 * BANK_ACCOUNTS (39) lists them.  Every refusal (300, 301, 468, 469)
 * leaves the ledger's digest unchanged.
 */
#include "tests/integration/bank_support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static harness h;
static void setup(void)
{
    h_setup(&h);
    static const char *const accounts[] = {"512000", "512100", "411000", "706000", "627000"};
    h_open_accounts(&h, "alpha", accounts, 5);
    h_open_accounts(&h, "beta", accounts, 1);
}
static void teardown(void) { h_teardown(&h); }

TestSuite(bank_accounts, .init = setup, .fini = teardown, .timeout = 120);

Test(bank_accounts, a_bank_account_is_registered_and_listed)
{
    cr_assert_eq(bk_set(&h, K_ACCOUNTANT, "alpha", "512000", IBAN_A, "BNPAFRPP", "Compte courant"),
                 GL_OK);
    char out[1024];
    bk_list(&h, K_AUDITOR, "alpha", out, sizeof out);
    cr_expect_str_eq(out, "512000:" IBAN_A ":BNPAFRPP:Compte courant;");
    bk_list(&h, K_BETA, "beta", out, sizeof out);
    cr_expect_str_eq(out, "", "tenants are walls");
    cr_expect_geq(h_verify_chains(&h), 0);
}

Test(bank_accounts, setting_again_replaces_and_the_chain_keeps_the_history)
{
    cr_assert_eq(bk_set(&h, K_ACCOUNTANT, "alpha", "512000", IBAN_A, "", "Courant"), GL_OK);
    long before = bk_events(&h, "alpha", GL_EVENT_BANK_ACCOUNT);
    uint8_t d0[32];
    h_digest(&h, d0);
    cr_assert_eq(bk_set(&h, K_ALPHA, "alpha", "512000", IBAN_A, "", "Courant"), GL_OK);
    cr_expect_eq(bk_events(&h, "alpha", GL_EVENT_BANK_ACCOUNT), before,
                 "the same record again writes no event");
    cr_assert_eq(bk_set(&h, K_ALPHA, "alpha", "512000", IBAN_B, "CCBPFRPPVER", "Livret"), GL_OK);
    cr_expect_eq(bk_events(&h, "alpha", GL_EVENT_BANK_ACCOUNT), before + 1);
    char out[1024];
    bk_list(&h, K_ALPHA, "alpha", out, sizeof out);
    cr_expect_str_eq(out, "512000:" IBAN_B ":CCBPFRPPVER:Livret;");
}

Test(bank_accounts, a_wrong_iban_or_bic_is_refused_and_changes_nothing)
{
    uint8_t d[32];
    h_digest(&h, d);
    cr_expect_eq(bk_set(&h, K_ACCOUNTANT, "alpha", "512000", IBAN_BAD, "", ""), GL_ERR_BAD_BANK_ID,
                 "a wrong MOD 97 checksum");
    bk_unchanged(&h, d, "a wrong IBAN");
    cr_expect_eq(bk_set(&h, K_ACCOUNTANT, "alpha", "512000", "fr7630006000011234567890189", "", ""),
                 GL_ERR_BAD_BANK_ID, "lower case");
    cr_expect_eq(bk_set(&h, K_ACCOUNTANT, "alpha", "512000", IBAN_A, "BNP1FRPP", ""),
                 GL_ERR_BAD_BANK_ID, "a BIC whose first six are not letters");
    cr_expect_eq(bk_set(&h, K_ACCOUNTANT, "alpha", "512000", IBAN_A, "BNPAFRP", ""),
                 GL_ERR_BAD_BANK_ID, "a BIC of 7");
    bk_unchanged(&h, d, "a wrong BIC");
}

Test(bank_accounts, only_an_open_class_51_account_takes_a_bank_account)
{
    uint8_t d[32];
    h_digest(&h, d);
    cr_expect_eq(bk_set(&h, K_ACCOUNTANT, "alpha", "411000", IBAN_A, "", ""),
                 GL_ERR_BANK_ACCOUNT_CLASS);
    cr_expect_eq(bk_set(&h, K_ACCOUNTANT, "alpha", "512900", IBAN_A, "", ""),
                 GL_ERR_BANK_ACCOUNT_CLASS, "not open");
    bk_unchanged(&h, d, "a bank account on another account");
}

Test(bank_accounts, a_member_sets_its_own_tenant_only_and_an_auditor_none)
{
    uint8_t d[32];
    h_digest(&h, d);
    cr_expect_eq(bk_set(&h, K_ALPHA, "beta", "512000", IBAN_A, "", ""), GL_ERR_FORBIDDEN_TENANT);
    cr_expect_eq(bk_set(&h, K_AUDITOR, "alpha", "512000", IBAN_A, "", ""), GL_ERR_FORBIDDEN_ROLE);
    bk_unchanged(&h, d, "a refused member or auditor");
    cr_expect_eq(bk_set(&h, K_BETA, "beta", "512000", IBAN_A, "", ""), GL_OK);
}

Test(bank_accounts, a_replayed_request_changes_nothing)
{
    gl_buf b;
    bk_set_body(&b, "512000", IBAN_A, "", "Courant");
    gl_response r;
    cr_assert_eq(
        h_call(&h, K_ACCOUNTANT, GL_KIND_BANK_ACCOUNT_SET, "alpha", 4242, b.data, b.len, &r),
        GL_OK);
    gl_response_free(&r);
    uint8_t d[32];
    h_digest(&h, d);
    cr_expect_eq(
        h_call(&h, K_ACCOUNTANT, GL_KIND_BANK_ACCOUNT_SET, "alpha", 4242, b.data, b.len, &r), GL_OK,
        "the same request again: its first reply");
    gl_response_free(&r);
    bk_unchanged(&h, d, "a replay");
    gl_buf_free(&b);
    bk_set_body(&b, "512000", IBAN_B, "", "Autre");
    cr_expect_eq(
        h_call(&h, K_ACCOUNTANT, GL_KIND_BANK_ACCOUNT_SET, "alpha", 4242, b.data, b.len, &r),
        GL_ERR_REQUEST_ID_REUSED);
    gl_response_free(&r);
    bk_unchanged(&h, d, "a request id used again for another body");
    gl_buf_free(&b);
}

Test(bank_accounts, registrations_survive_a_restart)
{
    cr_assert_eq(bk_set(&h, K_ACCOUNTANT, "alpha", "512100", IBAN_B, "", "Livret"), GL_OK);
    h_stop(&h);
    h_start(&h);
    char out[1024];
    bk_list(&h, K_ACCOUNTANT, "alpha", out, sizeof out);
    cr_expect_str_eq(out, "512100:" IBAN_B "::Livret;");
}

Test(bank_accounts, verify_checks_bank_account_events_against_their_signed_requests)
{
    cr_assert_eq(bk_set(&h, K_ACCOUNTANT, "alpha", "512000", IBAN_A, "", "Compte courant"), GL_OK);
    char out[16384];
    int rc = bk_verify_tampered(&h, GL_EVENT_BANK_ACCOUNT, "courant", out, sizeof out);
    cr_expect_neq(rc, 0, "a tampered bank account verified:\n%s", out);
    cr_expect(strstr(out, "bank account"), "%s", out);
}

Test(bank_accounts, cli_sets_and_lists)
{
    char out[4096];
    int rc = h_cli(&h, K_ACCOUNTANT, out, sizeof out,
                   "bank account set --tenant alpha --account 512000 --iban 'FR76 3000 6000 0112 "
                   "3456 7890 189' --bic bnpafrpp --label 'Compte courant'");
    cr_assert_eq(rc, 0, "%s", out);
    rc = h_cli(&h, K_ACCOUNTANT, out, sizeof out, "bank account list --tenant alpha --format csv");
    cr_assert_eq(rc, 0, "%s", out);
    cr_expect(strstr(out, IBAN_A), "%s", out);
    cr_expect(strstr(out, "BNPAFRPP"), "%s", out);
    rc = h_cli(
        &h, K_ACCOUNTANT, out, sizeof out,
        "bank account set --tenant alpha --account 512000 --iban FR7630006000011234567890188");
    cr_expect_eq(rc, 1, "%s", out);
}

/* One bank account, one ledger account: the IBAN of 512000 cannot also be
 * 512100's (each statement imported into both would count its lines
 * twice: review of wave 11); another tenant may hold it (its own books),
 * and 512000 may be registered again with it. */
Test(bank_accounts, an_iban_is_the_bank_account_of_one_ledger_account_only)
{
    cr_assert_eq(bk_set(&h, K_ACCOUNTANT, "alpha", "512000", IBAN_A, "", "Courant"), GL_OK);
    uint8_t d[32];
    h_digest(&h, d);
    cr_expect_eq(bk_set(&h, K_ACCOUNTANT, "alpha", "512100", IBAN_A, "", "Doublon"),
                 GL_ERR_BANK_IBAN_TAKEN);
    bk_unchanged(&h, d, "an IBAN registered twice");
    cr_expect_eq(bk_set(&h, K_ACCOUNTANT, "alpha", "512000", IBAN_A, "", "Compte courant"), GL_OK,
                 "the same ledger account keeps its IBAN");
    cr_expect_eq(bk_set(&h, K_ACCOUNTANT, "alpha", "512100", IBAN_B, "", "Livret"), GL_OK);
    cr_expect_eq(bk_set(&h, K_ACCOUNTANT, "beta", "512000", IBAN_A, "", ""), GL_OK,
                 "another tenant's books");
}
