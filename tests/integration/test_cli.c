/*
 * tests/integration/test_cli.c — the real `grandlivre` and `grandlivred`
 * programs: configuration checking, key files, timeouts, exit codes, and FEC
 * import of a generated year (its trial balance equal to totals computed
 * here from the file, a rerun posting nothing, a malformed file posting
 * nothing).
 */
#include "tests/support/harness.h"

#include "client/fec/fec_read.h"
#include "client/input/entry_set.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int run(const char *cmd, char *out, size_t out_len)
{
    FILE *p = popen(cmd, "r");
    cr_assert(p);
    size_t n = fread(out, 1, out_len - 1, p);
    out[n] = '\0';
    int status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

Test(cli, config_check_reports_every_error_with_its_line)
{
    char dir[] = "/tmp/gl-cfg-XXXXXX", path[128], cmd[512], out[4096];
    cr_assert(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/bad.conf", dir);
    FILE *f = fopen(path, "w");
    fprintf(
        f,
        "[daemon]\ndata_dir = data\nmap_size_mb = lots\n\n[tenant Bad!]\nname = x\nsiren = 12\n\n"
        "[key k]\npublic = 00\nrole = boss\n");
    fclose(f);
    snprintf(cmd, sizeof cmd, "%s/grandlivred -n -c %s 2>&1", h_build_dir(), path);
    cr_assert_eq(run(cmd, out, sizeof out), 1);
    char want[256];
    const int lines[] = {3, 5, 7, 10, 11};
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        snprintf(want, sizeof want, "%s:%d: ", path, lines[i]);
        cr_expect(strstr(out, want), "missing '%s' in:\n%s", want, out);
    }
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert(system(cmd) == 0);
}

Test(cli, keygen_is_private_and_never_overwrites)
{
    char dir[] = "/tmp/gl-key-XXXXXX", cmd[512], out[256], path[128];
    cr_assert(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/k.key", dir);
    snprintf(cmd, sizeof cmd, "%s/grandlivre keygen --out %s 2>&1", h_build_dir(), path);
    cr_assert_eq(run(cmd, out, sizeof out), 0);
    cr_assert_eq(strcspn(out, "\n"), 64, "public key line: %s", out);
    struct stat sb;
    cr_assert(stat(path, &sb) == 0);
    cr_assert_eq(sb.st_mode & 0777, 0600);
    char before[1024], after[1024];
    FILE *f = fopen(path, "r");
    size_t n = fread(before, 1, sizeof before, f);
    fclose(f);
    cr_assert_eq(run(cmd, out, sizeof out), 4);
    f = fopen(path, "r");
    cr_assert_eq(fread(after, 1, sizeof after, f), n);
    fclose(f);
    cr_assert(!memcmp(before, after, n));
    /* loose permissions are refused */
    chmod(path, 0644);
    snprintf(cmd, sizeof cmd,
             "%s/grandlivre ping --endpoint ipc://%s/none --key %s --timeout 1 2>&1", h_build_dir(),
             dir, path);
    cr_assert_eq(run(cmd, out, sizeof out), 4);
    cr_assert(strstr(out, "readable by others"), "%s", out);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert(system(cmd) == 0);
}

Test(cli, no_daemon_means_a_timeout_not_a_hang)
{
    char dir[] = "/tmp/gl-to-XXXXXX", cmd[512], out[1024], path[128];
    cr_assert(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/k.key", dir);
    snprintf(cmd, sizeof cmd, "%s/grandlivre keygen --out %s >/dev/null", h_build_dir(), path);
    cr_assert(system(cmd) == 0);
    snprintf(
        cmd, sizeof cmd,
        "%s/grandlivre balance --tenant x --endpoint ipc://%s/none --key %s --server-key %064d --timeout 1 2>&1",
        h_build_dir(), dir, path, 0);
    time_t t0 = time(NULL);
    cr_assert_eq(run(cmd, out, sizeof out), 3);
    cr_assert_leq(time(NULL) - t0, 5);
    cr_assert(strstr(out, "no daemon answering at ipc://"), "%s", out);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert(system(cmd) == 0);
}

static harness h;
static void setup(void) { h_setup(&h); }
static void teardown(void) { h_teardown(&h); }

Test(cli_daemon, refusal_exit_code_and_message, .init = setup, .fini = teardown, .timeout = 60)
{
    char path[400], out[256];
    snprintf(path, sizeof path, "%s/bad.json", h.dir);
    FILE *f = fopen(path, "w");
    fprintf(
        f,
        "{\"date\":\"2025-01-02\",\"journal\":\"OD\",\"piece\":\"P1\",\"label\":\"L\",\"lines\":[{\"account\":\"512000\",\"debit\":\"1.00\"},"
        "{\"account\":\"606100\",\"credit\":\"1.01\"}]}");
    fclose(f);
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, "post --tenant alpha %s", path), 1);
    snprintf(path, sizeof path, "%s/cli.err", h.dir);
    f = fopen(path, "r");
    char err[4096];
    size_t n = fread(err, 1, sizeof err - 1, f);
    err[n] = '\0';
    fclose(f);
    cr_assert(strstr(err, "error 403 unbalanced"), "%s", err);
}

/* Totals per account computed from the FEC file itself (no daemon code). */
static int64_t fec_account_balance(const gl_entry_set *set, const char *account)
{
    int64_t s = 0;
    for (size_t i = 0; i < set->count; i++)
        for (size_t l = 0; l < set->entries[i].line_count; l++) {
            const gl_line_in *line = &set->entries[i].lines[l];
            if (!strcmp(line->account, account))
                s += line->side == 'D' ? line->amount_cents : -line->amount_cents;
        }
    return s;
}

Test(cli_daemon, fec_import_of_a_generated_year, .init = setup, .fini = teardown, .timeout = 120)
{
    char fec[400], cmd[1024], *out = malloc(1 << 20);
    snprintf(fec, sizeof fec, "%s/year.txt", h.dir);
    snprintf(cmd, sizeof cmd,
             "python3 scripts/gen-year --tenant alpha --year 2025 --entries 3000 --seed 7 > %s",
             fec);
    cr_assert(system(cmd) == 0);
    /* without --open-accounts: refused, nothing posted */
    uint8_t d0[32], d1[32];
    h_digest(&h, d0);
    cr_assert_eq(h_cli(&h, K_ALPHA, NULL, 0, "fec import --tenant alpha %s", fec), 2);
    h_digest(&h, d1);
    cr_assert(!memcmp(d0, d1, 32));
    /* with it: imported */
    cr_assert_eq(h_cli(&h, K_ALPHA, NULL, 0, "fec import --tenant alpha --open-accounts %s", fec),
                 0);
    size_t len;
    FILE *f = fopen(fec, "rb");
    char *data = malloc(1 << 24);
    len = fread(data, 1, 1 << 24, f);
    fclose(f);
    gl_entry_set set;
    gl_entry_set_init(&set);
    char err[256];
    cr_assert_eq(gl_fec_read(data, len, "alpha", GL_FEC_ENC_AUTO, &set, err, sizeof err), 0, "%s",
                 err);
    cr_assert_eq(h_entry_count(&h, "alpha"), (long)set.count);
    for (size_t i = 0; i < set.account_count; i++) {
        const char *a = set.accounts[i].account;
        cr_assert_eq(h_balance(&h, "alpha", a, 20251231), fec_account_balance(&set, a),
                     "account %s", a);
    }
    /* the same file again posts nothing */
    h_digest(&h, d0);
    cr_assert_eq(h_cli(&h, K_ALPHA, NULL, 0, "fec import --tenant alpha --open-accounts %s", fec),
                 0);
    h_digest(&h, d1);
    cr_assert(!memcmp(d0, d1, 32), "a rerun of the same import changed the ledger");
    /* a malformed file posts nothing */
    f = fopen(fec, "ab");
    fprintf(
        f,
        "OD\tOperations diverses\t999999\t20251231\t512000\tBanque\t\t\t\t20251231\tx\t10,00\t0,00\t\t\t20251231\t\t\n");
    fclose(f);
    cr_assert_eq(h_cli(&h, K_ALPHA, NULL, 0, "fec import --tenant alpha %s", fec), 2);
    h_digest(&h, d1);
    cr_assert(!memcmp(d0, d1, 32));
    cr_assert_gt(h_verify_chains(&h), 0);
    gl_entry_set_free(&set);
    free(data);
    free(out);
}
