/*
 * tests/integration/test_funders_reports.c — issue 19, the funders'
 * reports end to end against the real daemon: `fse-report` (the direct
 * staff costs from the time sheets at the 1,720-hour rates, the flat rates
 * 15 and 40, the other direct costs, the resources by funder with a line
 * split between two funders; its totals equal to the sums of the rows
 * behind them and to the entries posted here), `grant-report` (the CERFA
 * 15059 columns against the budget set and the action's analytic
 * balance), `budget compare` (at the year's end and at a date), the HTML
 * pages, and the refusals (funders_reports).
 *
 * The books of the test, by hand (fiscal year 2026):
 *   EMP1 gross costs 4,000.00 + 1,300.00 = 5,300.00, full time: 5,300.00 /
 *     1,720 h = 3.0814 -> 3.08 an hour; EMP2 1,500.00 at 50 %: / 860 h =
 *     1.7442 -> 1.74 (that line also carries the action AGIIE);
 *   time sheets on AGIIE: EMP1 2026-01 60 h -> 184.80; EMP1 2026-02 10:25
 *     -> 625 min x 3.08 / 60 = 32.0833 -> 32.08; EMP2 2026-02 30 h -> 52.20;
 *     direct staff costs 269.08; 15 % -> 40.362 -> 40.36; 40 % -> 107.632
 *     -> 107.63;
 *   other direct costs of AGIIE: 606000 1,200.00 + half of 613200 800.00
 *     = 1,600.00 (the 641100 line of EMP2 is a staff cost: not declared);
 *   resources of AGIIE: 741700 50,000.00 (FSE), 747000 10,000.00 (CD59
 *     40 %, FSE 60 %), 706000 300.00 (no funder): FSE 56,000.00, CD59
 *     4,000.00, none 300.00, total 60,300.00.
 */
#include "tests/integration/analytic_support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static harness h;

static int cli(char *out, size_t cap, const char *args)
{
    return h_cli(&h, K_ACCOUNTANT, out, cap, "%s", args);
}

static void ok(const char *args)
{
    char out[16384], err[4096];
    int rc = cli(out, sizeof out, args);
    h_cli_err(&h, err, sizeof err);
    cr_assert_eq(rc, 0, "%s: exit %d\n%s%s", args, rc, out, err);
}

static void run_ok(const char *args, char *out, size_t cap)
{
    char err[4096];
    int rc = cli(out, cap, args);
    h_cli_err(&h, err, sizeof err);
    cr_assert_eq(rc, 0, "%s: exit %d\n%s%s", args, rc, out, err);
}

static void file(const char *name, const char *text, char *path, size_t cap)
{
    snprintf(path, cap, "%s/%s", h.dir, name);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(text, f);
    cr_assert(fclose(f) == 0);
}

static const char entries_json[] =
    "{\"entries\": [\n"
    "{\"date\": \"2026-01-31\", \"journal\": \"OD\", \"piece\": \"PAIE-01\", \"label\": \"Paie\",\n"
    " \"lines\": [\n"
    "  {\"account\": \"641100\", \"debit\": \"4000.00\", \"analytic\": {\"salarie\": \"EMP1\"}},\n"
    "  {\"account\": \"645100\", \"debit\": \"1300.00\", \"analytic\": {\"salarie\": \"EMP1\"}},\n"
    "  {\"account\": \"641100\", \"debit\": \"1500.00\",\n"
    "   \"analytic\": {\"salarie\": \"EMP2\", \"action\": \"AGIIE\"}},\n"
    "  {\"account\": \"421000\", \"credit\": \"5500.00\"},\n"
    "  {\"account\": \"431000\", \"credit\": \"1300.00\"}]},\n"
    "{\"date\": \"2026-03-10\", \"journal\": \"AC\", \"piece\": \"F-101\", \"label\": \"Fournitures\",\n"
    " \"lines\": [\n"
    "  {\"account\": \"606000\", \"debit\": \"1200.00\", \"analytic\": {\"action\": \"AGIIE\"}},\n"
    "  {\"account\": \"401000\", \"credit\": \"1200.00\"}]},\n"
    "{\"date\": \"2026-04-12\", \"journal\": \"AC\", \"piece\": \"F-102\", \"label\": \"Location\",\n"
    " \"lines\": [\n"
    "  {\"account\": \"613200\", \"debit\": \"800.00\",\n"
    "   \"analytic\": {\"action\": \"AGIIE:50%,MOBIL:50%\"}},\n"
    "  {\"account\": \"401000\", \"credit\": \"800.00\"}]},\n"
    "{\"date\": \"2026-05-20\", \"journal\": \"OD\", \"piece\": \"SUB-1\", \"label\": \"FSE avance\",\n"
    " \"lines\": [\n"
    "  {\"account\": \"512000\", \"debit\": \"50000.00\"},\n"
    "  {\"account\": \"741700\", \"credit\": \"50000.00\",\n"
    "   \"analytic\": {\"action\": \"AGIIE\", \"financeur\": \"FSE\"}}]},\n"
    "{\"date\": \"2026-06-15\", \"journal\": \"OD\", \"piece\": \"SUB-2\", \"label\": \"Cofinancement\",\n"
    " \"lines\": [\n"
    "  {\"account\": \"512000\", \"debit\": \"10000.00\"},\n"
    "  {\"account\": \"747000\", \"credit\": \"10000.00\",\n"
    "   \"analytic\": {\"action\": \"AGIIE\", \"financeur\": \"CD59:40%,FSE:60%\"}}]},\n"
    "{\"date\": \"2026-07-01\", \"journal\": \"VE\", \"piece\": \"V-1\", \"label\": \"Vente\",\n"
    " \"lines\": [\n"
    "  {\"account\": \"512000\", \"debit\": \"300.00\"},\n"
    "  {\"account\": \"706000\", \"credit\": \"300.00\", \"analytic\": {\"action\": \"AGIIE\"}}]}\n"
    "]}\n";

static void books(void)
{
    h_setup(&h);
    static const char *const accounts[] = {"401000", "421000", "431000", "512000",
                                           "606000", "613200", "641100", "645100",
                                           "706000", "741700", "747000"};
    h_open_accounts(&h, "alpha", accounts, 11);
    ok("analytic axis open action --tenant alpha --label Actions");
    ok("analytic axis open financeur --tenant alpha --label Financeurs");
    ok("analytic axis open salarie --tenant alpha --label Salariés");
    ok("analytic code open action AGIIE --tenant alpha --label Insertion");
    ok("analytic code open action MOBIL --tenant alpha --label Mobilité");
    ok("analytic code open financeur FSE --tenant alpha --label 'Fonds social européen'");
    ok("analytic code open financeur CD59 --tenant alpha --label 'Département du Nord'");
    ok("analytic code open salarie EMP1 --tenant alpha --label 'Salarié 1'");
    ok("analytic code open salarie EMP2 --tenant alpha --label 'Salarié 2'");
    char path[400], args[600];
    file("entries.json", entries_json, path, sizeof path);
    snprintf(args, sizeof args, "post --tenant alpha %s", path);
    ok(args);
    ok("timesheets set --tenant alpha EMP1 2026-01 AGIIE=60 MOBIL=20");
    ok("timesheets set --tenant alpha EMP1 2026-02 AGIIE=10:25");
    ok("timesheets set --tenant alpha EMP2 2026-02 AGIIE=30 --basis 50");
    ok("grants set FSE-2026 --tenant alpha --label 'FSE inclusion 2026' --funder FSE --action "
       "AGIIE --account 741700 --amount 119000,00 --from 2026-01-01 --to 2026-12-31 --fse "
       "--flat-rate 15");
    ok("grants set CD59-AGIIE --tenant alpha --label 'CD59 insertion' --funder CD59 --action "
       "AGIIE --account 747000 --amount 4000,00 --from 2026-01-01 --to 2026-12-31");
}
static void teardown(void) { h_teardown(&h); }
TestSuite(funders_reports, .init = books, .fini = teardown, .timeout = 240);

/* The rows of CSV text whose first cell is section, each line into out. */
static void csv_section(const char *csv, const char *section, char *out, size_t cap)
{
    size_t n = strlen(section), used = 0;
    out[0] = '\0';
    for (const char *p = csv; *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) + 1 : strlen(p);
        if (!strncmp(p, section, n) && p[n] == ',' && used + len < cap) {
            memcpy(out + used, p, len);
            used += len;
            out[used] = '\0';
        }
        p += len;
    }
}

/* The sum of the last cell (an amount, "123.45") of each CSV line. */
static long long last_cells_cents(const char *lines)
{
    long long sum = 0;
    for (const char *p = lines; *p;) {
        const char *e = strchr(p, '\n');
        const char *c = e;
        while (c > p && c[-1] != ',')
            c--;
        double v = atof(c); /* the test's reading only: cents below */
        sum += (long long)(v * 100 + (v < 0 ? -0.5 : 0.5));
        p = e + 1;
    }
    return sum;
}

/* ---- the HTML pages, kept in build/test-output and looked at in a real
 * browser ---- */

static void output_path(const char *name, char *path, size_t cap)
{
    char dir[400];
    snprintf(dir, sizeof dir, "%s/test-output", h_build_dir());
    mkdir(dir, 0755);
    snprintf(path, cap, "%s/%s", dir, name);
}

static void read_page(const char *path, char *out, size_t cap)
{
    FILE *f = fopen(path, "r");
    cr_assert(f, "%s", path);
    size_t n = fread(out, 1, cap - 1, f);
    out[n] = '\0';
    fclose(f);
    cr_assert(!strncmp(out, "<!DOCTYPE html>", 15), "%s", out);
    cr_assert(strstr(out, "@page{size:A4"), "%s", out);
    cr_assert_null(strstr(out, "<script"));
    cr_assert_null(strstr(out, "src="));
}

/* Render path in headless Chromium into png (bounded by timeout(1)); a
 * PNG of some size, not a blank page. */
static void screenshot(const char *path, const char *png)
{
    if (access("/usr/bin/chromium", X_OK) != 0)
        cr_skip_test("/usr/bin/chromium is not installed");
    char profile[] = "/tmp/gl-chromium-XXXXXX", cmd[2048];
    cr_assert(mkdtemp(profile));
    unlink(png);
    snprintf(cmd, sizeof cmd,
             "timeout -k 5 120 /usr/bin/chromium --headless --no-sandbox --disable-gpu "
             "--disable-dev-shm-usage --no-first-run --disable-background-networking "
             "--disable-component-update --disable-sync --user-data-dir=%s --screenshot=%s "
             "--window-size=900,1300 'file://%s' >%s/chromium.log 2>&1",
             profile, png, path, h.dir);
    int status = system(cmd);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", profile);
    cr_assert(system(cmd) == 0);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
              "chromium failed (status %d), see %s/chromium.log", status, h.dir);
    struct stat st;
    cr_assert(stat(png, &st) == 0, "no screenshot %s", png);
    cr_assert_gt(st.st_size, 20000, "a screenshot of %ld bytes is blank", (long)st.st_size);
}

Test(funders_reports, fse_report_flat_15_rows_and_totals)
{
    static char out[65536], part[16384];
    run_ok("fse-report --tenant alpha --grant fse-2026 --format csv", out, sizeof out);
    cr_assert(strstr(out,
                     "section,item,entry,date,piece,account,label,employee,month,hours,"
                     "rate,amount\n"),
              "%s", out);
    csv_section(out, "summary", part, sizeof part);
    cr_expect_str_eq(part,
                     "summary,direct staff costs,,,,,,,,,0.00,269.08\n"
                     "summary,\"indirect costs, 15 % of direct staff costs (art. 54(b))\","
                     ",,,,,,,,0.00,40.36\n"
                     "summary,other direct costs at actual,,,,,,,,,0.00,1600.00\n"
                     "summary,total eligible costs,,,,,,,,,0.00,1909.44\n");
    csv_section(out, "staff", part, sizeof part);
    cr_expect_str_eq(part,
                     "staff,time sheet,,,,,,EMP1,2026-01,60:00,3.08,184.80\n"
                     "staff,time sheet,,,,,,EMP1,2026-02,10:25,3.08,32.08\n"
                     "staff,time sheet,,,,,,EMP2,2026-02,30:00,1.74,52.20\n");
    cr_expect_eq(last_cells_cents(part), 26908);
    csv_section(out, "other_direct_costs", part, sizeof part);
    cr_expect(strstr(part, ",2026-03-10,F-101,606000,Fournitures,,,,0.00,1200.00\n"), "%s", part);
    cr_expect(strstr(part, ",2026-04-12,F-102,613200,Location,,,,0.00,400.00\n"), "%s", part);
    cr_expect(!strstr(part, "641100"), "%s", part);
    cr_expect_eq(last_cells_cents(part), 160000);
    csv_section(out, "resources", part, sizeof part);
    cr_expect_str_eq(part,
                     "resources,(no funder),,,,,,,,,0.00,300.00\n"
                     "resources,CD59,,,,,,,,,0.00,4000.00\n"
                     "resources,FSE,,,,,,,,,0.00,56000.00\n"
                     "resources,total resources,,,,,,,,,0.00,60300.00\n");
    csv_section(out, "resource", part, sizeof part);
    cr_expect(strstr(part, "resource,CD59,"), "%s", part);
    cr_expect(strstr(part, ",SUB-2,747000,Cofinancement,,,,0.00,4000.00\n"), "%s", part);
    cr_expect(strstr(part, ",SUB-2,747000,Cofinancement,,,,0.00,6000.00\n"), "%s", part);
    cr_expect(strstr(part, ",SUB-1,741700,FSE avance,,,,0.00,50000.00\n"), "%s", part);
    cr_expect_eq(last_cells_cents(part), 6030000);
}

Test(funders_reports, fse_report_flat_40_declares_no_other_cost)
{
    ok("grants set FSE-2026 --tenant alpha --label 'FSE inclusion 2026' --funder FSE --action "
       "AGIIE --account 741700 --amount 119000,00 --from 2026-01-01 --to 2026-12-31 --fse "
       "--flat-rate 40");
    static char out[65536], part[16384];
    run_ok("fse-report --tenant alpha --grant FSE-2026 --format csv", out, sizeof out);
    csv_section(out, "summary", part, sizeof part);
    cr_expect_str_eq(part,
                     "summary,direct staff costs,,,,,,,,,0.00,269.08\n"
                     "summary,\"remaining costs, 40 % of direct staff costs (art. 56)\","
                     ",,,,,,,,0.00,107.63\n"
                     "summary,other direct costs at actual,,,,,,,,,0.00,0.00\n"
                     "summary,total eligible costs,,,,,,,,,0.00,376.71\n");
    csv_section(out, "other_direct_costs", part, sizeof part);
    cr_expect_str_eq(part, "");
    /* a period of January only: one time sheet row, no purchase */
    run_ok(
        "fse-report --tenant alpha --grant FSE-2026 --from 2026-01-01 --to 2026-01-31 "
        "--format json",
        out, sizeof out);
    cr_expect(strstr(out, "\"month\": \"2026-01\"") || strstr(out, "\"month\":\"2026-01\""), "%s",
              out);
    cr_expect(!strstr(out, "2026-02"), "%s", out);
}

Test(funders_reports, fse_report_people_and_html)
{
    static char out[65536];
    run_ok("fse-report --tenant alpha --grant FSE-2026 --lang en", out, sizeof out);
    cr_expect(strstr(out, "FSE operation report — alpha: FSE-2026"), "%s", out);
    cr_expect(strstr(out, "1,909.44") || strstr(out, "1909.44"), "%s", out);
    cr_expect(strstr(out, "sums of the rows shown"), "%s", out);
    char path[400], png[400], args[600];
    output_path("fse-report.html", path, sizeof path);
    output_path("fse-report.png", png, sizeof png);
    snprintf(args, sizeof args,
             "fse-report --tenant alpha --grant FSE-2026 --lang fr --force -o %s", path);
    ok(args);
    read_page(path, out, sizeof out);
    cr_expect(strstr(out, "269,08") && strstr(out, "1\u202f909,44"), "%s", out);
    cr_expect(strstr(out, "EMP2") && strstr(out, "F-101"), "%s", out);
    screenshot(path, png);
}

Test(funders_reports, grant_report_cerfa_columns)
{
    ok("budget set AGIIE --year 2026 --tenant alpha 60=1000 613=500 641=20000 645=8000 "
       "741=50000 747=12000");
    static char out[65536];
    run_ok("grant-report --tenant alpha --grant FSE-2026 --format csv", out, sizeof out);
    cr_expect(strstr(out, "side,heading,label,planned,actual,variance,percent\n"), "%s", out);
    cr_expect(strstr(out, "charge,60,Purchases,1000.00,1200.00,200.00,120.0 %\n"), "%s", out);
    cr_expect(strstr(out, "charge,61,External services,500.00,400.00,-100.00,80.0 %\n"), "%s", out);
    cr_expect(strstr(out, "charge,64,Staff costs,28000.00,1500.00,-26500.00,5.4 %\n"), "%s", out);
    cr_expect(strstr(out, "charge,62,Other external services,0.00,0.00,0.00,\n"), "%s", out);
    cr_expect(strstr(out, "charge,total,Total charges,29500.00,3100.00,-26400.00,10.5 %\n"), "%s",
              out);
    cr_expect(strstr(out, "product,70,Sales of goods and services,0.00,300.00,300.00,\n"), "%s",
              out);
    cr_expect(strstr(out, "product,74,Operating grants,62000.00,60000.00,-2000.00,96.8 %\n"), "%s",
              out);
    cr_expect(strstr(out, "product,74 CD59,CD59,4000.00,4000.00,0.00,100.0 %\n"), "%s", out);
    cr_expect(strstr(out, "product,74 FSE,FSE,119000.00,56000.00,-63000.00,47.1 %\n"), "%s", out);
    cr_expect(strstr(out, "product,total,Total products,62000.00,60300.00,-1700.00,97.3 %\n"), "%s",
              out);
    /* 119,000.00 / 3,100.00 = 3838.7 % */
    cr_expect(strstr(out, "grant,FSE-2026,"), "%s", out);
    cr_expect(strstr(out, ",119000.00,119000.00,0.00,3838.7 %\n"), "%s", out);
    char path[400], png[400], args[600];
    output_path("grant-report.html", path, sizeof path);
    output_path("grant-report.png", png, sizeof png);
    snprintf(args, sizeof args,
             "grant-report --tenant alpha --grant FSE-2026 --format html --force -o %s", path);
    ok(args);
    read_page(path, out, sizeof out);
    cr_expect(strstr(out, "CERFA n° 15059") && strstr(out, "29\u202f500,00"), "%s", out);
    screenshot(path, png);
}

Test(funders_reports, budget_compare_at_dates)
{
    ok("budget set AGIIE --year 2026 --tenant alpha 60=1000 613=500 641=20000 645=8000 "
       "741=50000 747=12000");
    ok("budget set AGIIE --year 2026 --tenant alpha 60=1100 613=500 641=20000 645=8000 "
       "741=50000 747=12000");
    static char out[16384];
    run_ok("budget compare --tenant alpha --year 2026 --format csv", out, sizeof out);
    cr_expect_str_eq(out,
                     "action,version,group,budget,actual,variance,percent\n"
                     "AGIIE,2,60,1100.00,1200.00,100.00,109.1 %\n"
                     "AGIIE,2,613,500.00,400.00,-100.00,80.0 %\n"
                     "AGIIE,2,641,20000.00,1500.00,-18500.00,7.5 %\n"
                     "AGIIE,2,645,8000.00,0.00,-8000.00,0.0 %\n"
                     "AGIIE,2,741,50000.00,50000.00,0.00,100.0 %\n"
                     "AGIIE,2,747,12000.00,10000.00,-2000.00,83.3 %\n");
    run_ok("budget compare --tenant alpha --year 2026 --at 2026-04-30 --action agiie --format csv",
           out, sizeof out);
    cr_expect(strstr(out, "AGIIE,2,60,1100.00,1200.00,100.00,109.1 %\n"), "%s", out);
    cr_expect(strstr(out, "AGIIE,2,741,50000.00,0.00,-50000.00,0.0 %\n"), "%s", out);
    run_ok("budget compare --tenant alpha --year 2026 --lang en", out, sizeof out);
    cr_expect(strstr(out, "Budget against actual — alpha, fiscal year 2026"), "%s", out);
    cr_expect(strstr(out, "charges") && strstr(out, "products"), "%s", out);
}

Test(funders_reports, refusals_leave_the_ledger_as_it_was)
{
    uint8_t before[32], after[32];
    h_digest(&h, before);
    char out[4096], err[4096];
    cr_expect_eq(cli(out, sizeof out, "fse-report --tenant alpha --grant NOPE"), 2);
    h_cli_err(&h, err, sizeof err);
    cr_expect(strstr(err, "no grant NOPE"), "%s", err);
    cr_expect_eq(
        cli(out, sizeof out, "fse-report --tenant alpha --grant FSE-2026 --from 2026-13-01"), 2);
    cr_expect_eq(cli(out, sizeof out, "fse-report --tenant alpha"), 2);
    cr_expect_eq(cli(out, sizeof out, "grant-report --tenant alpha --grant NOPE"), 2);
    cr_expect_eq(cli(out, sizeof out, "budget compare --tenant alpha"), 2);
    h_digest(&h, after);
    cr_expect_eq(memcmp(before, after, 32), 0);
}
