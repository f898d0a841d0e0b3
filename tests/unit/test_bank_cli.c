/*
 * tests/unit/test_bank_cli.c — the offline `bank` subcommands, called as
 * the `bank` dispatcher calls them (client/cli/bank_offline.h):
 * `bank csv-mapping` saves an INI file under $XDG_CONFIG_HOME and lists
 * it; `bank parse --mapping` reads a CSV with it, `bank parse --json`
 * prints the statements; a refused file exits 2 with its line.
 */
#include "client/cli/bank_offline.h"
#include "client/cli/cli.h"

#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char cfg[] = "/tmp/gl-bank-cli-XXXXXX";

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
    char *argv[32];
    int argc = 0;
    while (args[argc]) {
        argv[argc] = strdup(args[argc]);
        argc++;
    }
    argv[argc] = NULL;
    char path[] = "/tmp/gl-bank-out-XXXXXX";
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

Test(bank_cli, csv_mapping_saved_listed_and_used, .init = setup)
{
    static char out[65536];
    const char *const save[] = {"csv-mapping",
                                "--tenant",
                                "agiie",
                                "--name",
                                "societe-generale",
                                "--separator",
                                ";",
                                "--decimal",
                                ",",
                                "--date-format",
                                "DD/MM/YYYY",
                                "--date-col",
                                "0",
                                "--value-date-col",
                                "1",
                                "--label-col",
                                "2",
                                "--debit-col",
                                "3",
                                "--credit-col",
                                "4",
                                "--skip",
                                "1",
                                NULL};
    cr_assert_eq(run(cmd_bank_csv_mapping, save, out, sizeof out), 0);
    char path[512];
    snprintf(path, sizeof path, "%s/grandlivre/bank-csv/agiie/societe-generale.ini", cfg);
    cr_assert_eq(access(path, R_OK), 0, "%s not written", path);
    const char *const list[] = {"csv-mapping", "--tenant", "agiie", "--list", NULL};
    cr_assert_eq(run(cmd_bank_csv_mapping, list, out, sizeof out), 0);
    cr_expect_str_eq(out, "societe-generale\n");
    const char *const parse[] = {"parse",
                                 "--tenant",
                                 "agiie",
                                 "--mapping",
                                 "societe-generale",
                                 "--json",
                                 "tests/data/bank/csv_fr_debit_credit.csv",
                                 NULL};
    cr_assert_eq(run(cmd_bank_parse, parse, out, sizeof out), 0);
    json_error_t e;
    json_t *doc = json_loads(out, 0, &e);
    cr_assert(doc, "not JSON: %s", out);
    cr_expect_str_eq(json_string_value(json_object_get(doc, "format")), "csv");
    json_t *lines = json_object_get(json_array_get(json_object_get(doc, "statements"), 0), "lines");
    cr_assert_eq(json_array_size(lines), 5);
    json_t *l1 = json_array_get(lines, 1);
    cr_expect_eq(json_integer_value(json_object_get(l1, "amount_cents")), -8990);
    cr_expect_str_eq(json_string_value(json_object_get(l1, "booking_date")), "2025-12-02");
    cr_expect_str_eq(json_string_value(json_object_get(l1, "value_date")), "2025-12-01");
    json_decref(doc);
}

Test(bank_cli, csv_mapping_refused_without_amount, .init = setup)
{
    char out[256];
    const char *const save[] = {"csv-mapping", "--tenant", "agiie",       "--name", "x",
                                "--date-col",  "0",        "--label-col", "1",      NULL};
    cr_expect_eq(run(cmd_bank_csv_mapping, save, out, sizeof out), EXIT_USAGE);
    const char *const bad_name[] = {"csv-mapping", "--tenant",     "agiie", "--name",
                                    "../x",        "--date-col",   "0",     "--label-col",
                                    "1",           "--amount-col", "2",     NULL};
    cr_expect_eq(run(cmd_bank_csv_mapping, bad_name, out, sizeof out), EXIT_USAGE);
    char path[512];
    snprintf(path, sizeof path, "%s/grandlivre", cfg);
    cr_expect_neq(access(path, F_OK), 0); /* nothing written */
}

Test(bank_cli, parse_text_and_refusal, .init = setup)
{
    static char out[65536];
    const char *const ok[] = {"parse", "tests/data/bank/cfonb_two_accounts.txt", NULL};
    cr_assert_eq(run(cmd_bank_parse, ok, out, sizeof out), 0);
    cr_expect(strstr(out, "format cfonb120, 4 statements"), "%s", out);
    cr_expect(strstr(out, "RIB:30004001230001234567843"), "%s", out);
    const char *const bad[] = {"parse", "tests/data/bank/bad_cfonb_119.txt", NULL};
    cr_redirect_stderr();
    cr_expect_eq(run(cmd_bank_parse, bad, out, sizeof out), EXIT_USAGE);
    const char *const unknown[] = {"parse", "--format", "qif", "x", NULL};
    cr_expect_eq(run(cmd_bank_parse, unknown, out, sizeof out), EXIT_USAGE);
    fflush(stderr);
    cr_expect_stderr_eq_str(
        "grandlivre: tests/data/bank/bad_cfonb_119.txt:4: a CFONB record must be 120 characters "
        "long (cfonb120)\ngrandlivre: unknown --format qif: camt053, cfonb120, ofx or csv\n");
}
