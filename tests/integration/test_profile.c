/*
 * tests/integration/test_profile.c — "set up once" (issue 14) through the
 * real `grandlivre` against the real daemon, with none of the four
 * GRANDLIVRE_* variables set unless a test sets one: `config init` writes
 * a profile (0600) from a sandbox's environment or from flags and never
 * replaces one without --force; the file then stands in for the
 * environment; flags win over the environment, which wins over the file;
 * --profile and GRANDLIVRE_PROFILE choose the profile; a member key
 * without --tenant posts and reads its own books, an accountant's key
 * without one is refused; a mistake in the file is refused naming its
 * line, before anything is sent (the ledger's digest is unchanged).
 */
#include "tests/support/harness.h"

#include "client/cli/cli.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

static harness h;
static char server_key[65], conf[400];
static char err_text[1 << 14];

static void setup(void)
{
    h_setup(&h);
    gl_hex(h.server_pk, 32, server_key);
    snprintf(conf, sizeof conf, "%s/xdg/grandlivre/config", h.dir);
}
static void teardown(void) { h_teardown(&h); }

TestSuite(profile_cli, .init = setup, .fini = teardown, .timeout = 90);

/* Run grandlivre with only `env` (assignments) of ours in its environment
 * and the configuration under DIR/xdg; stdout into out, stderr into
 * err_text.  Returns the exit status. */
static int gl(char *out, size_t out_len, const char *env, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int gl(char *out, size_t out_len, const char *env, const char *fmt, ...)
{
    char args[2048], cmd[4096], out_path[400], err_path[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(out_path, sizeof out_path, "%s/gl.out", h.dir);
    snprintf(err_path, sizeof err_path, "%s/gl.err", h.dir);
    snprintf(
        cmd, sizeof cmd,
        "env -u GRANDLIVRE_ENDPOINT -u GRANDLIVRE_KEY -u GRANDLIVRE_SERVER_KEY -u GRANDLIVRE_TENANT "
        "-u GRANDLIVRE_PROFILE -u GRANDLIVRE_LEDGER_ID HOME='%s' XDG_CONFIG_HOME='%s/xdg' %s '%s/grandlivre' %s "
        "</dev/null >'%s' 2>'%s'",
        h.dir, h.dir, env ? env : "", h_build_dir(), args, out_path, err_path);
    int status = system(cmd);
    FILE *f = fopen(err_path, "r");
    size_t n = f ? fread(err_text, 1, sizeof err_text - 1, f) : 0;
    err_text[n] = '\0';
    if (f)
        fclose(f);
    if (out) {
        f = fopen(out_path, "r");
        n = f ? fread(out, 1, out_len - 1, f) : 0;
        out[n] = '\0';
        if (f)
            fclose(f);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The environment a sandbox exports, for key k. */
static const char *sandbox_env(enum h_key k)
{
    static char env[1200];
    snprintf(env, sizeof env,
             "GRANDLIVRE_ENDPOINT='%s' GRANDLIVRE_SERVER_KEY=%s GRANDLIVRE_KEY='%s'", h.endpoint,
             server_key, h.key_path[k]);
    return env;
}

static char *read_conf(void)
{
    static char buf[8192];
    FILE *f = fopen(conf, "r");
    cr_assert(f, "no %s", conf);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

Test(profile_cli, init_from_a_sandbox_then_the_file_replaces_the_environment)
{
    char out[8192];
    cr_assert_eq(gl(out, sizeof out, NULL, "balance"), EXIT_USAGE, "nothing configured yet");
    cr_assert_eq(gl(out, sizeof out, sandbox_env(K_ACCOUNTANT), "config init --tenant alpha"), 0,
                 "%s", err_text);
    struct stat st;
    cr_assert(stat(conf, &st) == 0);
    cr_assert_eq(st.st_mode & 0777, 0600, "mode %o", st.st_mode & 0777);
    cr_assert(strstr(read_conf(), "[default]\n"), "%s", read_conf());
    cr_assert_eq(gl(out, sizeof out, NULL, "balance --at 2025-12-31"), 0, "%s", err_text);
    cr_assert(strstr(out, "Trial balance — alpha"), "%s", out);
    cr_assert_eq(gl(out, sizeof out, NULL, "ping"), 0, "%s", err_text);
    cr_assert_eq(gl(out, sizeof out, NULL, "config show"), 0, "%s", err_text);
    char want[600];
    snprintf(want, sizeof want, "endpoint    %s  (%s:2 [default])", h.endpoint, conf);
    cr_assert(strstr(out, want), "want %s in:\n%s", want, out);
    cr_assert(strstr(out, "tenant      alpha  ("), "%s", out);
}

Test(profile_cli, init_never_replaces_a_profile_without_force)
{
    char out[4096], before[8192];
    cr_assert_eq(gl(out, sizeof out, sandbox_env(K_ACCOUNTANT), "config init --tenant alpha"), 0,
                 "%s", err_text);
    cr_assert_eq(gl(out, sizeof out, sandbox_env(K_AUDITOR), "config init --profile audit"), 0,
                 "%s", err_text);
    snprintf(before, sizeof before, "%s", read_conf());
    cr_assert(strstr(before, "[default]") && strstr(before, "[audit]"), "%s", before);
    cr_assert_eq(gl(out, sizeof out, sandbox_env(K_BETA), "config init --tenant beta"), EXIT_USAGE);
    cr_assert(strstr(err_text, "error 961 profile_exists") && strstr(err_text, "profile [default]"),
              "%s", err_text);
    cr_assert_str_eq(read_conf(), before, "the file is as it was");
    cr_assert_eq(gl(out, sizeof out, sandbox_env(K_BETA), "config init --tenant beta --force"), 0,
                 "%s", err_text);
    const char *now = read_conf();
    cr_assert(strstr(now, "tenant     = beta") && !strstr(now, "tenant     = alpha"), "%s", now);
    cr_assert(strstr(now, "[audit]") && strstr(now, h.key_path[K_AUDITOR]),
              "the other profile is kept:\n%s", now);
    struct stat st;
    cr_assert(stat(conf, &st) == 0 && (st.st_mode & 0777) == 0600);
    cr_assert_eq(gl(out, sizeof out, NULL, "config init --endpoint ipc:///x --key k"), EXIT_USAGE,
                 "no server key");
    cr_assert(strstr(err_text, "no server_key"), "%s", err_text);
}

Test(profile_cli, flags_win_over_environment_over_file)
{
    char out[8192], env[1600];
    /* The file names a daemon that is not there and tenant alpha. */
    cr_assert_eq(gl(out, sizeof out, NULL,
                    "config init --endpoint ipc://%s/nobody.sock --server-key %s --key '%s' "
                    "--tenant alpha",
                    h.dir, server_key, h.key_path[K_ACCOUNTANT]),
                 0, "%s", err_text);
    cr_assert_eq(gl(out, sizeof out, NULL, "balance --timeout 1"), EXIT_UNREACHABLE,
                 "the file's endpoint is used");
    snprintf(env, sizeof env, "GRANDLIVRE_ENDPOINT='%s' GRANDLIVRE_TENANT=beta", h.endpoint);
    cr_assert_eq(gl(out, sizeof out, env, "balance --timeout 5"), 0, "the environment wins: %s",
                 err_text);
    cr_assert(strstr(out, "Trial balance — beta"), "%s", out);
    cr_assert_eq(gl(out, sizeof out, env, "balance --tenant gamma --timeout 5"), 0, "%s", err_text);
    cr_assert(strstr(out, "Trial balance — gamma"), "the flag wins: %s", out);
    cr_assert_eq(
        gl(out, sizeof out, env, "balance --endpoint ipc://%s/nobody.sock --timeout 1", h.dir),
        EXIT_UNREACHABLE, "the flag wins over the environment");
    cr_assert_eq(gl(out, sizeof out, env, "config show --tenant gamma"), 0);
    cr_assert(strstr(out, "tenant      gamma  (flag --tenant)"), "%s", out);
    cr_assert(strstr(out, "(environment GRANDLIVRE_ENDPOINT)"), "%s", out);
    cr_assert(strstr(out, "[default])"), "the key from the file: %s", out);
}

Test(profile_cli, profile_flag_and_environment_choose)
{
    char out[8192];
    cr_assert_eq(gl(out, sizeof out, sandbox_env(K_ACCOUNTANT), "config init --tenant alpha"), 0,
                 "%s", err_text);
    cr_assert_eq(gl(out, sizeof out, sandbox_env(K_ACCOUNTANT),
                    "config init --profile b --tenant beta --format csv"),
                 0, "%s", err_text);
    cr_assert_eq(gl(out, sizeof out, NULL, "balance"), 0, "%s", err_text);
    cr_assert(strstr(out, "Trial balance — alpha"), "%s", out);
    cr_assert_eq(gl(out, sizeof out, "GRANDLIVRE_PROFILE=b", "balance"), 0, "%s", err_text);
    cr_assert(!strstr(out, "Trial balance") && strstr(out, "account,"),
              "profile b: csv of beta:\n%s", out);
    cr_assert_eq(gl(out, sizeof out, "GRANDLIVRE_PROFILE=b", "balance --profile default"), 0, "%s",
                 err_text);
    cr_assert(strstr(out, "Trial balance — alpha"), "--profile wins: %s", out);
    cr_assert_eq(gl(out, sizeof out, "GRANDLIVRE_PROFILE=b", "balance --format table"), 0, "%s",
                 err_text);
    cr_assert(strstr(out, "Trial balance — beta"), "--format wins over the file: %s", out);
    cr_assert_eq(gl(out, sizeof out, NULL, "balance --profile nope"), EXIT_USAGE);
    cr_assert(strstr(err_text, "error 962 no_profile") && strstr(err_text, "it has: default, b"),
              "%s", err_text);
}

static void write_entry(const char *path, const char *piece)
{
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fprintf(
        f,
        "{\"date\":\"2025-01-02\",\"journal\":\"OD\",\"piece\":\"%s\",\"label\":\"L\",\"lines\":["
        "{\"account\":\"512000\",\"debit\":\"1.00\"},{\"account\":\"606100\",\"credit\":\"1.00\"}]}",
        piece);
    fclose(f);
}

Test(profile_cli, member_key_without_tenant_posts_and_reads_its_own_books)
{
    static const char *const accounts[] = {"512000", "606100"};
    h_open_accounts(&h, "alpha", accounts, 2);
    char out[8192], path[400];
    cr_assert_eq(gl(out, sizeof out, sandbox_env(K_ALPHA), "config init"), 0, "%s", err_text);
    cr_assert(!strstr(read_conf(), "tenant"), "no tenant in the profile:\n%s", read_conf());
    snprintf(path, sizeof path, "%s/e.json", h.dir);
    write_entry(path, "P-MEMBER");
    long before = h_entry_count(&h, "alpha");
    cr_assert_eq(gl(out, sizeof out, NULL, "post '%s'", path), 0, "%s", err_text);
    cr_assert_eq(h_entry_count(&h, "alpha"), before + 1);
    cr_assert_eq(gl(out, sizeof out, NULL, "journal --from 2025-01-01 --to 2025-12-31"), 0, "%s",
                 err_text);
    cr_assert(strstr(out, "P-MEMBER"), "%s", out);
    cr_assert_eq(gl(out, sizeof out, NULL, "balance --at 2025-12-31"), 0, "%s", err_text);
    cr_assert(strstr(out, "Trial balance — alpha"), "%s", out);
    /* An accountant's key answers for every tenant: no tenant is refused. */
    cr_assert_eq(gl(out, sizeof out, sandbox_env(K_ACCOUNTANT), "config init --profile acc"), 0,
                 "%s", err_text);
    uint8_t d0[32], d1[32];
    h_digest(&h, d0);
    cr_assert_eq(gl(out, sizeof out, NULL, "balance --profile acc"), EXIT_USAGE);
    cr_assert(strstr(err_text, "no tenant") && strstr(err_text, "accountant's"), "%s", err_text);
    h_digest(&h, d1);
    cr_assert(!memcmp(d0, d1, 32));
}

Test(profile_cli, a_mistake_in_the_file_is_refused_at_its_line)
{
    char out[4096], path[400];
    cr_assert_eq(gl(out, sizeof out, sandbox_env(K_ALPHA), "config init --tenant alpha"), 0, "%s",
                 err_text);
    FILE *f = fopen(conf, "a");
    fputs("timeout = 5\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/e.json", h.dir);
    write_entry(path, "P-BAD");
    uint8_t d0[32], d1[32];
    h_digest(&h, d0);
    cr_assert_eq(gl(out, sizeof out, NULL, "post '%s'", path), EXIT_USAGE);
    char want[500];
    snprintf(want, sizeof want,
             "error 960 config_invalid: the client configuration file is invalid — %s:6: unknown "
             "setting 'timeout'",
             conf);
    cr_assert(strstr(err_text, want), "want %s in %s", want, err_text);
    h_digest(&h, d1);
    cr_assert(!memcmp(d0, d1, 32), "nothing was sent");
    /* Even with every setting given as flags: the file is read, and wrong. */
    cr_assert_eq(gl(out, sizeof out, sandbox_env(K_ALPHA), "ping"), EXIT_USAGE);
}
