/*
 * tests/integration/test_upgrade_analytic.c — schema 11 (issue 19): a
 * ledger of schema 10 has neither the table analytic nor an_totals; the
 * daemon refuses to serve it, `grandlivred --upgrade` brings it to 11,
 * and its entries, posted before analytic accounting, can then be
 * allocated, and new ones carry codes.
 */
#include "tests/integration/upgrade_support.h"
#include "tests/integration/analytic_support.h"

#include "daemon/store/store.h"

#include <criterion/criterion.h>
#include <lmdb.h>
#include <stdio.h>
#include <string.h>

static harness h;
static void setup(void) { h_setup(&h); }
static void teardown(void) { h_teardown(&h); }

TestSuite(upgrade_analytic, .init = setup, .fini = teardown, .timeout = 120);

/* The ledger as schema 10 left it: without the two tables, version 10. */
static void make_schema_10(void)
{
    static const char *const tables[] = {"analytic", "an_totals"};
    up_roll_back(&h, tables, 2, GL_SCHEMA_VERSION_ANALYTIC - 1);
}

static int run(const char *args, char *out, size_t cap) { return up_daemon(&h, args, out, cap); }

Test(upgrade_analytic, schema_10_is_upgraded_to_11_and_its_entries_can_be_allocated)
{
    static const char *const accounts[] = {"512000", "606100"};
    h_open_accounts(&h, "alpha", accounts, 2);
    uint32_t num;
    cr_assert_eq(an_post(&h, K_ALPHA, "alpha", 20260115, "606100", "512000", 1500, NULL, 0, &num),
                 GL_OK);
    h_stop(&h);
    make_schema_10();
    char out[4096], want[64];
    cr_assert_neq(run("", out, sizeof out), 0, "the daemon served a schema 10 ledger:\n%s", out);
    cr_assert_eq(run("--upgrade", out, sizeof out), 0, "%s", out);
    snprintf(want, sizeof want, "schema %d -> %d", GL_SCHEMA_VERSION_ANALYTIC - 1,
             GL_SCHEMA_VERSION_ANALYTIC);
    cr_expect(strstr(out, want) && strstr(out, "analytic"), "%s", out);
    cr_assert_eq(run("--upgrade", out, sizeof out), 0, "a second run has nothing to do: %s", out);
    h_start(&h);
    char axes[256];
    an_axes_text(&h, K_AUDITOR, "alpha", axes, sizeof axes);
    cr_expect_str_eq(axes, "");
    cr_assert_eq(an_axis(&h, K_ALPHA, "alpha", "action", GL_AN_OPEN, "Actions"), GL_OK);
    cr_assert_eq(an_code(&h, K_ALPHA, "alpha", "action", "FSE-2026", GL_AN_OPEN, "FSE"), GL_OK);
    gl_an_alloc_row row = {.fy = 2026, .num = num, .line = 1, .codes = {.naxes = 1}};
    row.codes.axes[0] = an_one("action", "FSE-2026", 1500);
    cr_expect_eq(an_alloc(&h, K_ALPHA, "alpha", &row, 1), GL_OK, "%s", an_detail);
    gl_an_split s = an_one("action", "FSE-2026", 700);
    cr_expect_eq(an_post(&h, K_ALPHA, "alpha", 20260116, "606100", "512000", 700, &s, 1, NULL),
                 GL_OK, "%s", an_detail);
    cr_expect_gt(h_verify_chains(&h), 0);
}
