/*
 * tests/integration/test_grants_cli.c — issue 19, `grandlivre grants` and
 * `grandlivre budget` against a real daemon, as a person runs them: grants
 * set (with every flag), replaced, listed as a table (with the total per
 * action), CSV and JSON, deleted; a budget set, a second version, show
 * with its version and date; a file imported whole (a header, French
 * amounts, several actions); a file with a bad row refused at its line
 * with nothing sent; refusals with their code and message, the ledger
 * unchanged; a refusal of the daemon after the checks puts back what the
 * file recorded before it (grants_cli).
 */
#include "tests/integration/bank_support.h"
#include "tests/integration/grant_support.h"
#include "tests/support/harness.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static harness h;

static int cli(char *out, size_t cap, const char *args)
{
    return h_cli(&h, K_ACCOUNTANT, out, cap, "%s", args);
}

static void ok(const char *args)
{
    char out[8192], err[4096];
    int rc = cli(out, sizeof out, args);
    h_cli_err(&h, err, sizeof err);
    cr_assert_eq(rc, 0, "%s: exit %d\n%s%s", args, rc, out, err);
}

/* Run args; it must fail with exit status want and say says on stderr,
 * the ledger unchanged. */
static void refused(const char *args, int want, const char *says)
{
    char out[8192], err[4096];
    uint8_t before[32];
    h_digest(&h, before);
    h_cli_err(&h, err, sizeof err);
    int rc = cli(out, sizeof out, args);
    h_cli_err(&h, err, sizeof err);
    cr_expect_eq(rc, want, "%s: exit %d\n%s%s", args, rc, out, err);
    cr_expect(strstr(err, says), "%s: '%s' not in:\n%s", args, says, err);
    bk_unchanged(&h, before, args);
}

static void file(const char *name, const char *text, char *path, size_t cap)
{
    snprintf(path, cap, "%s/%s", h.dir, name);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(text, f);
    cr_assert(fclose(f) == 0);
}

static void books(void)
{
    h_setup(&h);
    static const char *const accounts[] = {"512000", "606000", "641100", "741700", "747000"};
    h_open_accounts(&h, "alpha", accounts, 5);
    ok("analytic axis open action --tenant alpha --label Actions");
    ok("analytic axis open financeur --tenant alpha --label Financeurs");
    ok("analytic code open action AGIIE --tenant alpha --label Insertion");
    ok("analytic code open action MOBIL --tenant alpha --label Mobilité");
    ok("analytic code open financeur FSE --tenant alpha --label 'Fonds social européen'");
    ok("analytic code open financeur CD59 --tenant alpha --label 'Département du Nord'");
}
static void teardown(void) { h_teardown(&h); }
TestSuite(grants_cli, .init = books, .fini = teardown, .timeout = 240);

Test(grants_cli, set_list_replace_and_delete)
{
    ok("grants set FSE-2026 --tenant alpha --label 'FSE inclusion 2026' --funder FSE --action "
       "AGIIE --account 741700 --amount 119000,00 --from 2026-01-01 --to 2026-12-31 --dedicated "
       "--fse --flat-rate 15");
    ok("grants set cd59-agiie-2026 --tenant alpha --label 'CD59 insertion' --funder cd59 "
       "--action agiie --account 747000 --amount 25000.00 --from 2026-01-01 --to 2026-12-31");
    char out[8192];
    cr_assert_eq(cli(out, sizeof out, "grants list --tenant alpha --format csv"), 0, "%s", out);
    cr_expect_str_eq(out,
                     "code,label,funder,action,account,amount,from,to,dedicated,fse,flat_rate\n"
                     "CD59-AGIIE-2026,CD59 insertion,CD59,AGIIE,747000,25000.00,2026-01-01,"
                     "2026-12-31,0,0,0\n"
                     "FSE-2026,FSE inclusion 2026,FSE,AGIIE,741700,119000.00,2026-01-01,"
                     "2026-12-31,1,1,15\n");
    cr_assert_eq(cli(out, sizeof out, "grants list --tenant alpha --lang en"), 0, "%s", out);
    cr_expect(strstr(out, "Grants — alpha"), "%s", out);
    cr_expect(strstr(out, "TOTAL "), "%s", out);
    cr_expect(strstr(out, "144,000.00") || strstr(out, "144000.00"), "%s", out);
    cr_assert_eq(cli(out, sizeof out, "grants list --tenant alpha --format json"), 0, "%s", out);
    cr_expect(strstr(out, "\"flat_rate\": 15") || strstr(out, "\"flat_rate\":15"), "%s", out);
    ok("grants set FSE-2026 --tenant alpha --label 'FSE inclusion 2026' --funder FSE --action "
       "AGIIE --account 741700 --amount 120000 --from 2026-01-01 --to 2026-12-31 --flat-rate 40");
    ok("grants delete CD59-AGIIE-2026 --tenant alpha");
    cr_assert_eq(cli(out, sizeof out, "grants list --tenant alpha --format csv"), 0, "%s", out);
    cr_expect(strstr(out,
                     "FSE-2026,FSE inclusion 2026,FSE,AGIIE,741700,120000.00,2026-01-01,"
                     "2026-12-31,0,0,40\n"),
              "%s", out);
    cr_expect(!strstr(out, "CD59-AGIIE"), "%s", out);
}

Test(grants_cli, refusals_say_why)
{
    refused(
        "grants set X --tenant alpha --label L --funder FSE --action AGIIE --account 741700 "
        "--amount 10 --from 2026-01-01 --to 2026-12-31 --flat-rate 20",
        2, "--flat-rate 20: 15 or 40");
    refused(
        "grants set X --tenant alpha --label L --funder FSE --action AGIIE --account 606000 "
        "--amount 10 --from 2026-01-01 --to 2026-12-31",
        2, "the grant's account is out of its rule");
    refused(
        "grants set X --tenant alpha --label L --funder FSE --action AGIIE --account 741700 "
        "--amount 10 --from 2026-12-31 --to 2026-01-01",
        2, "the grant's period is out of its rule");
    refused(
        "grants set X --tenant alpha --label L --funder FSE --action AGIIE --account 741700 "
        "--from 2026-01-01 --to 2026-12-31",
        2, "--amount is required");
    refused(
        "grants set X --tenant alpha --label L --funder VILLE --action AGIIE --account 741700 "
        "--amount 10 --from 2026-01-01 --to 2026-12-31",
        1, "485");
    refused(
        "grants set X --tenant alpha --label L --funder FSE --action AGIIE --account 748000 "
        "--amount 10 --from 2026-01-01 --to 2026-12-31",
        1, "405");
    refused("grants delete NOPE --tenant alpha", 1, "497 grant_unknown");
}

Test(grants_cli, budgets_set_show_versions)
{
    ok("budget set AGIIE --year 2026 --tenant alpha 60=12000,00 641=45000,00 7417=119000,00");
    ok("budget set agiie --year 2026 --tenant alpha 7417=119000,00 641=46000 60=12000");
    char out[8192];
    cr_assert_eq(cli(out, sizeof out, "budget show --tenant alpha --format csv"), 0, "%s", out);
    cr_expect(strstr(out, "action,fy,version,recorded,group,amount\n"), "%s", out);
    cr_expect(strstr(out, "AGIIE,2026,2,"), "%s", out);
    cr_expect(strstr(out, ",641,46000.00\n"), "%s", out);
    cr_expect(!strstr(out, "charges"), "%s", out);
    cr_assert_eq(cli(out, sizeof out, "budget show --tenant alpha --year 2026 --lang en"), 0, "%s",
                 out);
    cr_expect(strstr(out, "charges"), "%s", out);
    cr_expect(strstr(out, "58,000.00") || strstr(out, "58000.00"), "%s", out);
    ok("budget set AGIIE --year 2026 --tenant alpha");
    cr_assert_eq(cli(out, sizeof out, "budget show --tenant alpha --action AGIIE --format csv"), 0,
                 "%s", out);
    cr_expect(strstr(out, "AGIIE,2026,3,"), "%s", out);
    refused("budget set AGIIE --year 2026 --tenant alpha 64=1 641=2", 2, "starts with group 64");
    refused("budget set AGIIE --year 2026 --tenant alpha 64=1 64=2", 2, "is there twice");
    refused("budget set AGIIE --year 2026 --tenant alpha 51=1", 2, "'51' is not a group");
    refused("budget set AGIIE --tenant alpha 60=1", 2, "--year");
    refused("budget set NOPE --year 2026 --tenant alpha 60=1", 1, "485");
}

Test(grants_cli, a_file_is_imported_whole_or_not_at_all)
{
    char path[400], bad[400], out[8192];
    file("budgets.csv",
         "action;group;amount\n"
         "AGIIE;60;12 000,00\n"
         "AGIIE;641;45000,00\n"
         "mobil;7417;8000\n"
         "AGIIE;7417;119000,00\n",
         path, sizeof path);
    char args[600];
    snprintf(args, sizeof args, "budget import '%s' --year 2026 --tenant alpha", path);
    ok(args);
    cr_assert_eq(cli(out, sizeof out, "budget show --tenant alpha --format csv"), 0, "%s", out);
    cr_expect(strstr(out, ",60,12000.00\n"), "%s", out);
    cr_expect(strstr(out, "MOBIL,2026,1,"), "%s", out);
    file("bad.csv",
         "AGIIE;60;1\n"
         "MOBIL;60;2\n"
         "MOBIL;6x;3\n",
         bad, sizeof bad);
    snprintf(args, sizeof args, "budget import '%s' --year 2026 --tenant alpha", bad);
    refused(args, 2, "bad.csv:3: error 966");
    file("closed.csv", "AGIIE;60;1\nOTHER;60;2\n", bad, sizeof bad);
    snprintf(args, sizeof args, "budget import '%s' --year 2026 --tenant alpha", bad);
    refused(args, 2, "closed.csv:2: error 966");
    file("prefix.csv", "AGIIE;64;1\nAGIIE;641;2\n", bad, sizeof bad);
    snprintf(args, sizeof args, "budget import '%s' --year 2026 --tenant alpha", bad);
    refused(args, 2, "prefix.csv:2: error 966");
    char after[8192];
    cr_assert_eq(cli(after, sizeof after, "budget show --tenant alpha --format csv"), 0);
    cr_expect_str_eq(after, out, "nothing sent");
}

/* The daemon refuses the second action of a file (499: the tenant holds
 * 1,000 budgets) after the checks passed: the first action's version is
 * put back as it was, and the refusal is reported. */
Test(grants_cli, a_refusal_after_the_checks_puts_back_what_was_recorded)
{
    const char *one[] = {"60=100"};
    cr_assert_eq(gr_budget(&h, K_ACCOUNTANT, "alpha", "AGIIE", 2026, one, 1), GL_OK, "%s",
                 gr_detail);
    for (unsigned y = 1900, n = 1; n < GL_BUDGETS_MAX; y++) {
        if (y == 2026)
            continue;
        cr_assert_eq(gr_budget(&h, K_ACCOUNTANT, "alpha", "MOBIL", (uint16_t)y, one, 1), GL_OK,
                     "%u: %s", y, gr_detail);
        n++;
    }
    cr_expect_eq(gr_budget(&h, K_ACCOUNTANT, "alpha", "MOBIL", 2026, one, 1), GL_ERR_BUDGET_FULL);
    char path[400], args[600], out[8192], err[4096];
    file("full.csv", "AGIIE;60;5\nAGIIE;641;7\nMOBIL;60;1\n", path, sizeof path);
    snprintf(args, sizeof args, "budget import '%s' --year 2026 --tenant alpha", path);
    h_cli_err(&h, err, sizeof err);
    cr_expect_eq(cli(out, sizeof out, args), 1, "%s", out);
    h_cli_err(&h, err, sizeof err);
    cr_expect(strstr(err, "499 budget_full"), "%s", err);
    cr_expect(strstr(err, "1 of the 1 budgets recorded before the refusal put back"), "%s", err);
    cr_assert_eq(cli(out, sizeof out, "budget show --tenant alpha --action AGIIE --format csv"), 0);
    cr_expect(strstr(out, "AGIIE,2026,3,") && strstr(out, ",60,1.00\n") && !strstr(out, ",641,"),
              "version 3 holds version 1's rows:\n%s", out);
}
