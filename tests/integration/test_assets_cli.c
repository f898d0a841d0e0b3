/*
 * tests/integration/test_assets_cli.c — issue 20, `grandlivre assets` and
 * `grandlivre depreciation` against a real daemon: add, list, show the
 * plan (csv), import the generated year's JSON file; the depreciation's
 * entries shown first, refused without confirmation (989, nothing sent),
 * posted with --yes, refused the second time (604); a disposal shown and
 * posted.
 */
#include "tests/integration/asset_support.h"
#include "tests/integration/bank_support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

static harness h;

static void setup(void)
{
    h_setup(&h);
    as_open_accounts(&h, "alpha");
}
static void teardown(void) { h_teardown(&h); }
TestSuite(assets_cli, .init = setup, .fini = teardown, .timeout = 240);

static char out[16384], err[8192];

static int run(const char *args)
{
    h_cli_err(&h, err, sizeof err);
    int rc = h_cli(&h, K_ACCOUNTANT, out, sizeof out, "%s", args);
    h_cli_err(&h, err, sizeof err);
    return rc;
}

static void ok(const char *args)
{
    int rc = run(args);
    cr_assert_eq(rc, 0, "%s: exit %d\n%s%s", args, rc, out, err);
}

#define ADD                                                                                        \
    "assets add ordi-1 --tenant alpha --account 218300 --label Ordinateurs --acquired 2025-07-01 " \
    "--cost 3600,00 --life 36 --grant-account 131000 --grant 1800,00"

Test(assets_cli, add_list_show_depreciate_and_dispose)
{
    ok(ADD);
    ok("assets list --tenant alpha --format csv");
    cr_expect(strstr(out, "ORDI-1"), "%s", out);
    ok("assets show ORDI-1 --tenant alpha --format csv");
    cr_expect(strstr(out, "2025") && strstr(out, "600.00") && strstr(out, "1200.00"), "%s", out);
    uint8_t before[32];
    h_digest(&h, before);
    cr_expect_eq(run("depreciation --tenant alpha --through 2026-06"), 1, "%s%s", out, err);
    cr_expect(strstr(out, "DOT-2025-12") && strstr(out, "681100"), "%s", out);
    cr_expect(strstr(err, "not confirmed"), "%s", err);
    bk_unchanged(&h, before, "depreciation without --yes");
    ok("depreciation --tenant alpha --through 2026-06 --yes");
    cr_expect(strstr(out, "DOT-2026-06") && strstr(out, "139100"), "%s", out);
    cr_expect_eq(h_balance(&h, "alpha", "681100", 20251231), 60000);
    h_digest(&h, before);
    cr_expect_eq(run("depreciation --tenant alpha --through 2026-06 --yes"), 1, "%s%s", out, err);
    cr_expect(strstr(err, "never posted twice"), "%s", err);
    bk_unchanged(&h, before, "depreciation again");
    ok("assets dispose ORDI-1 --tenant alpha --date 2026-09-15 --proceeds 1000,00 "
       "--proceeds-account 512000 --yes");
    cr_expect(strstr(out, "CES-ORDI-1") && strstr(out, "652000"), "%s", out);
    cr_expect_eq(h_balance(&h, "alpha", "757000", 20261231), -100000);
    cr_expect_gt(h_verify_chains(&h), 0);
}

Test(assets_cli, import_reads_the_generated_years_file)
{
    char path[400];
    snprintf(path, sizeof path, "%s/assets-alpha-2025.json", h.dir);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(
        "{\"tenant\": \"alpha\", \"year\": 2025, \"first_month\": 1, \"assets\": [\n"
        " {\"code\": \"AGIIE-INFO1\", \"account\": \"218300\", \"label\": \"Ordinateurs\",\n"
        "  \"acquired\": \"2025-05-12\", \"cost_cents\": 384000, \"method\": \"straight\",\n"
        "  \"life_months\": 36, \"start\": \"2025-05-12\", \"residual_cents\": 0,\n"
        "  \"grant_account\": \"\", \"grant_cents\": 0, \"disposal\": \"\",\n"
        "  \"proceeds_cents\": 0, \"proceeds_account\": \"\", \"entry_journal\": \"BQ\",\n"
        "  \"entry_piece\": \"IMMO2025-AGIIE-INFO1\"}]}\n",
        f);
    fclose(f);
    char args[600];
    snprintf(args, sizeof args, "assets import --tenant alpha '%s'", path);
    ok(args);
    char list[256];
    cr_assert_eq(as_list_text(&h, K_AUDITOR, "alpha", list, sizeof list), GL_OK);
    cr_expect_str_eq(list, "AGIIE-INFO1:0:0:0;");
}
