/*
 * tests/integration/test_upgrade_assets.c — schema 12 (issue 20): a
 * ledger of schema 11 has no table assets; the daemon refuses to serve
 * it, `grandlivred --upgrade` brings it to 12, and its register, empty,
 * then takes an asset bought before the upgrade and depreciates it.
 */
#include "tests/integration/upgrade_support.h"
#include "tests/integration/asset_support.h"

#include "daemon/store/store.h"

#include <criterion/criterion.h>
#include <lmdb.h>
#include <stdio.h>
#include <string.h>

static harness h;
static void setup(void) { h_setup(&h); }
static void teardown(void) { h_teardown(&h); }

TestSuite(upgrade_assets, .init = setup, .fini = teardown, .timeout = 120);

/* The ledger as schema 11 left it: without the table, version 11. */
static void make_schema_11(void)
{
    static const char *const tables[] = {"assets"};
    up_roll_back(&h, tables, 1, GL_SCHEMA_VERSION_ASSETS - 1);
}

static int run(const char *args, char *out, size_t cap) { return up_daemon(&h, args, out, cap); }

Test(upgrade_assets, schema_11_is_upgraded_to_12_and_its_register_works)
{
    as_open_accounts(&h, "alpha");
    gl_line_in l[2];
    gl_entry_in e = h_entry2("alpha", 20250701, "218300", "404000", 360000, l);
    gl_response r;
    cr_assert_eq(h_post(&h, K_ALPHA, &e, 1, &r), GL_OK);
    gl_response_free(&r);
    h_stop(&h);
    make_schema_11();
    char out[4096], want[64];
    cr_assert_neq(run("", out, sizeof out), 0, "the daemon served a schema 11 ledger:\n%s", out);
    cr_assert_eq(run("--upgrade", out, sizeof out), 0, "%s", out);
    snprintf(want, sizeof want, "schema %d -> %d", GL_SCHEMA_VERSION_ASSETS - 1,
             GL_SCHEMA_VERSION_ASSETS);
    cr_expect(strstr(out, want) && strstr(out, "fixed-asset register"), "%s", out);
    cr_assert_eq(run("--upgrade", out, sizeof out), 0, "a second run has nothing to do: %s", out);
    h_start(&h);
    char list[256];
    cr_assert_eq(as_list_text(&h, K_AUDITOR, "alpha", list, sizeof list), GL_OK, "%s", as_detail);
    cr_expect_str_eq(list, "");
    gl_asset a = as_sample();
    a.acq_fy = 2025;
    a.acq_num = 1;
    cr_assert_eq(as_set(&h, K_ALPHA, "alpha", &a), GL_OK, "%s", as_detail);
    cr_assert_eq(as_depreciate(&h, K_ALPHA, "alpha", 202512, NULL), GL_OK, "%s", as_detail);
    cr_expect_eq(h_balance(&h, "alpha", "681100", 20251231), 60000);
    cr_expect_gt(h_verify_chains(&h), 0);
}
