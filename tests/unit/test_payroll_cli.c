/*
 * tests/unit/test_payroll_cli.c — the payroll commands that need no
 * daemon: `payroll csv-mapping` saves its INI file under
 * $XDG_CONFIG_HOME/grandlivre/payroll-csv/<tenant>/ (NAME given bare or
 * as --name, columns spelt both ways), lists it, refuses an unusable
 * mapping; `payroll import --dry-run` prints the month's entry, and
 * refuses a broken file with exit 1 before any daemon is asked.
 */
#include "client/cli/cli.h"
#include "client/cli/cmd_payroll.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char cfg[] = "/tmp/gl-payroll-cli-XXXXXX";

static void setup(void)
{
    cr_assert(mkdtemp(cfg));
    setenv("XDG_CONFIG_HOME", cfg, 1);
    unsetenv("GRANDLIVRE_TENANT");
    setenv("GRANDLIVRE_LANG", "en", 1);
}

/* Run cmd with argv (NULL-ended) and stdout into out (NUL-ended). */
static int run(int (*cmd)(int, char **), const char *const *args, char *out, size_t cap)
{
    char *argv[40];
    int argc = 0;
    while (args[argc]) {
        argv[argc] = strdup(args[argc]);
        argc++;
    }
    argv[argc] = NULL;
    char path[] = "/tmp/gl-payroll-out-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    fflush(stdout);
    int saved = dup(1);
    dup2(fd, 1);
    int rc = cmd(argc, argv);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    lseek(fd, 0, SEEK_SET);
    ssize_t n = read(fd, out, cap - 1);
    out[n > 0 ? n : 0] = '\0';
    close(fd);
    unlink(path);
    for (int i = 0; i < argc; i++)
        free(argv[i]);
    return rc;
}

static char out[16384];

Test(payroll_cli_offline, csv_mapping_saved_listed_and_refused, .init = setup)
{
    const char *const save[] = {"csv-mapping", "paie", "--tenant",       "asso1", "--skip",    "1",
                                "--month",     "0",    "--employee-col", "1",     "--account", "4",
                                "--debit",     "5",    "--credit-col",   "6",     "--action",  "7",
                                NULL};
    cr_assert_eq(run(cmd_payroll_csv_mapping, save, out, sizeof out), 0, "%s", out);
    cr_expect(strstr(out, "mapping paie saved in"));
    char path[512], text[1024];
    snprintf(path, sizeof path, "%s/grandlivre/payroll-csv/asso1/paie.ini", cfg);
    FILE *f = fopen(path, "r");
    cr_assert(f, "%s", path);
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    cr_expect(strstr(text,
                     "skip = 1\nmonth_col = 0\nemployee_col = 1\naccount_col = 4\n"
                     "debit_col = 5\ncredit_col = 6\naction_col = 7\n"),
              "%s", text);
    const char *const by_name[] = {"csv-mapping", "--name",   "autre",      "--tenant", "asso1",
                                   "--date",      "0",        "--employee", "1",        "--account",
                                   "2",           "--amount", "3",          NULL};
    cr_assert_eq(run(cmd_payroll_csv_mapping, by_name, out, sizeof out), 0);
    const char *const list[] = {"csv-mapping", "--tenant", "asso1", "--list", NULL};
    cr_assert_eq(run(cmd_payroll_csv_mapping, list, out, sizeof out), 0);
    cr_expect_str_eq(out, "autre\npaie\n");
    /* no employee column: refused, nothing written */
    const char *const bad[] = {"csv-mapping", "x", "--tenant", "asso1", "--month", "0",
                               "--account",   "2", "--amount", "3",     NULL};
    cr_expect_eq(run(cmd_payroll_csv_mapping, bad, out, sizeof out), EXIT_USAGE);
    snprintf(path, sizeof path, "%s/grandlivre/payroll-csv/asso1/x.ini", cfg);
    cr_expect_neq(access(path, F_OK), 0);
    /* a column that is no number */
    const char *const nan[] = {"csv-mapping", "y", "--tenant", "asso1", "--month", "A", NULL};
    cr_expect_eq(run(cmd_payroll_csv_mapping, nan, out, sizeof out), EXIT_USAGE);
}

Test(payroll_cli_offline, dry_run_prints_the_entry_and_refusals_exit_1, .init = setup)
{
    const char *const dry[] = {"payroll",
                               "import",
                               "--dry-run",
                               "--mapping",
                               "tests/data/payroll/mapping.ini",
                               "tests/data/payroll/2026-03.csv",
                               NULL};
    cr_assert_eq(run(cmd_payroll, dry, out, sizeof out), 0, "%s", out);
    cr_expect(strstr(out, "SA  2026-03-31  PAIE-2026-03  Paie 03/2026\n"), "%s", out);
    cr_expect(strstr(out, "  641100   EMP002     ACCOMP-2026  D        2250.00  \n"), "%s", out);
    cr_expect(strstr(out, "  421000                           C        6261.62  Net à payer\n"),
              "%s", out);
    cr_expect_null(strstr(out, "DUPONT"));
    static const char *const broken[] = {"tests/data/payroll/unbalanced.csv",
                                         "tests/data/payroll/two-months.csv",
                                         "tests/data/payroll/bad-amount.csv"};
    for (size_t i = 0; i < 3; i++) {
        const char *const args[] = {
            "payroll", "import", "--dry-run", "--mapping", "tests/data/payroll/mapping.ini",
            broken[i], NULL};
        cr_expect_eq(run(cmd_payroll, args, out, sizeof out), EXIT_REFUSED, "%s", broken[i]);
        cr_expect_str_eq(out, "");
    }
}
