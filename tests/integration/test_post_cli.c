/*
 * tests/integration/test_post_cli.c — posting without JSON through the real
 * `grandlivre` against a real daemon (issue 14): one entry on the command
 * line (auxiliary account, French and dot decimals, several lines a side,
 * the entry number printed), a replay saying "already posted as" and --new
 * posting again, --dry-run sending nothing, CSV files with refusals naming
 * their line, and every file of examples/ posting into a fresh ledger.
 * Every refusal checks the ledger's digest is unchanged.
 */
#include "tests/support/harness.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static harness h;

static void setup(void)
{
    h_setup(&h);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "accounts load-chart --tenant alpha --year 2025"),
                 0);
}

static void teardown(void) { h_teardown(&h); }

TestSuite(post_cli, .init = setup, .fini = teardown, .timeout = 120);

/* What the CLI wrote on stderr since the last call. */
static void last_err(char *out, size_t len) { h_cli_err(&h, out, len); }

#define SUPPLIER                                                                              \
    "post --tenant alpha --date 2025-03-31 --journal ac --piece F-031 --label 'Fournitures' " \
    "--debit 606400=100,50 --debit 606300=20.00:'Entretien: seaux' --credit 401000:FOURN01=120,50"

Test(post_cli, command_line_entry_posts_and_prints_its_number)
{
    char out[4096], err[4096];
    last_err(err, sizeof err);
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, SUPPLIER), 0, "%s", out);
    cr_assert(strstr(out, "2025/1"), "%s", out);
    cr_assert_eq(h_entry_count(&h, "alpha"), 1);
    cr_assert_eq(h_balance(&h, "alpha", "606400", 20251231), 10050);
    cr_assert_eq(h_balance(&h, "alpha", "606300", 20251231), 2000);
    cr_assert_eq(h_balance(&h, "alpha", "401000", 20251231), -12050);
}

Test(post_cli, replay_says_already_posted_and_new_posts_again)
{
    char out[4096], err[4096];
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, SUPPLIER), 0);
    last_err(err, sizeof err);
    uint8_t before[32], after[32];
    h_digest(&h, before);
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, SUPPLIER), 0);
    last_err(err, sizeof err);
    cr_assert(strstr(err, "already posted as 2025/1 (--new to post it again)"), "%s", err);
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32), "a replay wrote something");
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, SUPPLIER " --new"), 0);
    last_err(err, sizeof err);
    cr_assert(strstr(out, "2025/2"), "%s", out);
    cr_assert(!strstr(err, "already posted as"), "%s", err);
    cr_assert_eq(h_entry_count(&h, "alpha"), 2);
}

Test(post_cli, dry_run_prints_the_lines_and_sends_nothing)
{
    char out[4096], err[4096];
    uint8_t before[32], after[32];
    h_digest(&h, before);
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, SUPPLIER " --dry-run"), 0);
    cr_assert(strstr(out, "FOURN01") && strstr(out, "Entretien: seaux") && strstr(out, "120.50"),
              "%s", out);
    /* unbalanced: both totals and the difference */
    cr_assert_eq(
        h_cli(&h, K_ALPHA, out, sizeof out,
              "post --tenant alpha --dry-run --date 2025-03-31 --journal AC --piece P --label L "
              "--debit 606400=10 --credit 401000=9,99"),
        1);
    last_err(err, sizeof err);
    cr_assert(strstr(err, "error 403 unbalanced: debits 10.00, credits 9.99, difference 0.01"),
              "%s", err);
    /* an account number the rule refuses, a class 8 line alone */
    cr_assert_eq(
        h_cli(&h, K_ALPHA, out, sizeof out,
              "post --tenant alpha --dry-run --date 2025-03-31 --journal OD --piece P --label L "
              "--debit 0123=10 --credit 512000=10"),
        1);
    last_err(err, sizeof err);
    cr_assert(strstr(err, "line 1: error 407"), "%s", err);
    cr_assert_eq(
        h_cli(&h, K_ALPHA, out, sizeof out,
              "post --tenant alpha --dry-run --date 2025-03-31 --journal OD --piece P --label L "
              "--debit 864000=10 --credit 512000=10"),
        1);
    last_err(err, sizeof err);
    cr_assert(strstr(err, "error 423"), "%s", err);
    /* a file too */
    char path[400];
    snprintf(path, sizeof path, "%s/e.csv", h.dir);
    FILE *f = fopen(path, "w");
    fputs(
        "date;journal;piece;label;account;debit;credit\n2025-01-02;BQ;R1;Frais;627000;1,00;\n"
        ";;;;512000;;1,00\n",
        f);
    fclose(f);
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, "post --tenant alpha --dry-run %s", path), 0);
    cr_assert(strstr(out, "627000"), "%s", out);
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32), "a dry run wrote something");
    cr_assert_eq(h_entry_count(&h, "alpha"), 0);
}

Test(post_cli, command_line_refusals_change_nothing)
{
    char out[4096], err[4096];
    uint8_t before[32], after[32];
    h_digest(&h, before);
    last_err(err, sizeof err);
    /* syntax: no '=' */
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out,
                       "post --tenant alpha --date 2025-03-31 --journal AC --piece P --label L "
                       "--debit 606400 --credit 401000=1"),
                 2);
    last_err(err, sizeof err);
    cr_assert(strstr(err, "ACCOUNT[:AUX]=AMOUNT[:LABEL]"), "%s", err);
    /* three decimals */
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out,
                       "post --tenant alpha --date 2025-03-31 --journal AC --piece P --label L "
                       "--debit 606400=1,234 --credit 401000=1"),
                 2);
    /* a missing --label */
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out,
                       "post --tenant alpha --date 2025-03-31 --journal AC --piece P "
                       "--debit 606400=1 --credit 401000=1"),
                 2);
    /* an account the tenant has not opened: the daemon refuses */
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out,
                       "post --tenant alpha --date 2025-03-31 --journal AC --piece P --label L "
                       "--debit 606499=1 --credit 401000=1"),
                 1);
    /* a FILE and an entry both */
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, SUPPLIER " /dev/null"), 2);
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32));
}

Test(post_cli, csv_file_posts_and_its_refusals_name_the_line)
{
    char out[4096], err[4096], path[400];
    snprintf(path, sizeof path, "%s/e.csv", h.dir);
    FILE *f = fopen(path, "w");
    fputs(
        "# two entries\ndate,journal,piece,label,account,aux,debit,credit\n"
        "2025-01-02,VE,FA1,Atelier,411000,U1,\"60,00\",\n2025-01-02,VE,FA1,Atelier,706000,,,60.00\n"
        "2025-01-09,BQ,R1,Encaissement,512000,,60,\n,,,,411000,U1,,60\n",
        f);
    fclose(f);
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, "post --tenant alpha %s", path), 0);
    cr_assert(strstr(out, "2025/1") && strstr(out, "2025/2"), "%s", out);
    cr_assert_eq(h_balance(&h, "alpha", "411000", 20251231), 0);
    cr_assert_eq(h_balance(&h, "alpha", "512000", 20251231), 6000);
    uint8_t before[32], after[32];
    h_digest(&h, before);
    last_err(err, sizeof err);
    f = fopen(path, "w");
    fputs(
        "date;journal;piece;label;account;debit;credit\n2025-01-03;BQ;R2;Frais;627000;1,00;\n"
        ";;;;512000;;1,001\n",
        f);
    fclose(f);
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, "post --tenant alpha %s", path), 2);
    last_err(err, sizeof err);
    cr_assert(strstr(err, "line 3: bad amount \"1,001\""), "%s", err);
    /* a daemon refusal names the entry's first line in the file */
    f = fopen(path, "w");
    fputs(
        "date;journal;piece;label;account;debit;credit\n2025-01-03;BQ;R2;Frais;627000;1,00;\n"
        ";;;;512000;;1,00\n2025-01-04;BQ;R3;Frais;627000;2,00;\n;;;;512000;;1,00\n",
        f);
    fclose(f);
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, "post --tenant alpha %s", path), 1);
    last_err(err, sizeof err);
    cr_assert(strstr(err, "entry 2 of the input, starting at line 4"), "%s", err);
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32));
}

/* The folder of the sources: the build directory's parent. */
static void examples_dir(char *out, size_t len)
{
    char build[512];
    snprintf(build, sizeof build, "%s", h_build_dir());
    snprintf(out, len, "%s/examples", dirname(build));
}

Test(post_cli, every_example_file_posts)
{
    char dir[600], out[8192];
    examples_dir(dir, sizeof dir);
    DIR *d = opendir(dir);
    cr_assert(d, "no %s", dir);
    struct dirent *de;
    int files = 0;
    bool json = false, csv = false;
    while ((de = readdir(d))) {
        size_t n = strlen(de->d_name);
        bool is_json = n > 5 && !strcmp(de->d_name + n - 5, ".json");
        bool is_csv = n > 4 && !strcmp(de->d_name + n - 4, ".csv");
        if (!is_json && !is_csv)
            continue;
        json |= is_json;
        csv |= is_csv;
        files++;
        long before = h_entry_count(&h, "alpha");
        cr_expect_eq(
            h_cli(&h, K_ALPHA, out, sizeof out, "post --tenant alpha '%s/%s'", dir, de->d_name), 0,
            "%s did not post", de->d_name);
        cr_expect_gt(h_entry_count(&h, "alpha"), before, "%s posted nothing", de->d_name);
    }
    closedir(d);
    cr_assert_geq(files, 6);
    cr_assert(json && csv);
    /* the class 8 example balanced within class 8; supplier and user settled */
    cr_assert_eq(
        h_balance(&h, "alpha", "864000", 20251231) + h_balance(&h, "alpha", "875000", 20251231), 0);
    cr_assert_eq(h_balance(&h, "alpha", "401000", 20251231), 0);
    cr_assert_eq(h_balance(&h, "alpha", "411000", 20251231), 0);
    cr_assert_eq(h_balance(&h, "alpha", "441700", 20251231), 0);
}

Test(post_cli, help_lists_the_journal_codes)
{
    char out[8192];
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, "post --help"), 0);
    cr_assert(strstr(out, "AC purchases") && strstr(out, "BQ bank") &&
                  strstr(out, "OD miscellaneous"),
              "%s", out);
}
