/*
 * tests/integration/test_upgrade_bank.c — schema 9 (issue 18): a ledger
 * of schema 8 has no bank tables; the daemon refuses to serve it,
 * `grandlivred --upgrade` takes it to 9 with bank_accounts, bank_lines and
 * bank_index empty, and the daemon then registers a bank account and
 * imports a statement on it.
 */
#include "tests/integration/upgrade_support.h"
#include "tests/integration/bank_support.h"

#include "daemon/store/store.h"

#include <criterion/criterion.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static harness h;
static void setup(void) { h_setup(&h); }
static void teardown(void) { h_teardown(&h); }

TestSuite(upgrade_bank, .init = setup, .fini = teardown, .timeout = 120);

/* The ledger as schema 8 left it: no bank tables, version 8. */
static void make_schema_8(void)
{
    static const char *const tables[] = {"bank_accounts", "bank_lines", "bank_index"};
    up_roll_back(&h, tables, 3, GL_SCHEMA_VERSION_BANK - 1);
}

static int run(const char *args, char *out, size_t cap) { return up_daemon(&h, args, out, cap); }

Test(upgrade_bank, schema_8_is_upgraded_to_9_with_empty_bank_tables)
{
    static const char *const accounts[] = {"512000"};
    h_open_accounts(&h, "alpha", accounts, 1);
    h_stop(&h);
    make_schema_8();
    char out[4096], want[64];
    cr_assert_neq(run("", out, sizeof out), 0, "the daemon served a schema 8 ledger:\n%s", out);
    snprintf(want, sizeof want, "schema version %d", GL_SCHEMA_VERSION_BANK - 1);
    cr_expect(strstr(out, want), "%s", out);
    cr_assert_eq(run("--upgrade", out, sizeof out), 0, "%s", out);
    snprintf(want, sizeof want, "schema %d -> %d", GL_SCHEMA_VERSION_BANK - 1,
             GL_SCHEMA_VERSION_BANK);
    cr_expect(strstr(out, want) && strstr(out, "bank accounts"), "%s", out);
    cr_assert_eq(run("--upgrade", out, sizeof out), 0, "a second run has nothing to do: %s", out);
    h_start(&h);
    cr_assert_eq(bk_set(&h, K_ACCOUNTANT, "alpha", "512000", IBAN_A, "", "Courant"), GL_OK);
    gl_bank_statement s;
    bk_statement(&s, IBAN_A, 1);
    bk_line(&s.lines[0], 20260105, 1000, "VIR", "R1");
    gl_bank_import_result r;
    cr_assert_eq(bk_import(&h, K_ACCOUNTANT, "alpha", "512000", &s, &r), GL_OK, "%s", r.detail);
    cr_expect_eq(r.added, 1);
    free(s.lines);
    cr_expect_geq(h_verify_chains(&h), 0);
}
