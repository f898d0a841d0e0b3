/*
 * tests/integration/test_client_startup.c — what a `grandlivre` process does
 * before its one request (issue 16: the process under 5 ms).
 *
 *  - It loads no library that only `grandlivre web` uses: libmicrohttpd and
 *    GnuTLS (with its eight dependencies) are loaded by dlopen when the web
 *    server starts (client/web/web_mhd_lazy.c), not by every ping.
 *  - A pinned ledger id (GRANDLIVRE_LEDGER_ID, as scripts/sandbox exports
 *    it) spares the PING that asks the daemon for it: `balance` is then one
 *    round trip.  The daemon's STATS counts the pings it served.
 */
#include "tests/support/harness.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static harness h;
static uint8_t digest_before[32];

static void setup(void)
{
    h_setup(&h);
    static const char *const accounts[] = {"512000", "606100"};
    h_open_accounts(&h, "alpha", accounts, 2);
    h_digest(&h, digest_before);
}

/* Nothing here writes: the ledger is the one setup left, and its chains
 * verify.
 * Run at the end of each test's body (RTest, tests/support/harness.h). */
static void unchanged(void)
{
    uint8_t after[32];
    h_digest(&h, after);
    cr_assert(!memcmp(digest_before, after, 32), "the ledger changed");
}

static void teardown(void) { h_teardown(&h); }

TestSuite(client_startup, .init = setup, .fini = teardown, .timeout = 60);

/* Run `grandlivre ARGS` as the accountant with env (assignments, may be
 * "") before it; stdout into out, stderr into err.  Exit status. */
static int run(const char *env, const char *args, char *out, size_t out_len, char *err,
               size_t err_len)
{
    char server_key[65] = "", cmd[4096], out_path[400], err_path[400];
    gl_hex(h.server_pk, 32, server_key);
    snprintf(out_path, sizeof out_path, "%s/startup.out", h.dir);
    snprintf(err_path, sizeof err_path, "%s/startup.err", h.dir);
    snprintf(cmd, sizeof cmd,
             "%s XDG_CONFIG_HOME='%s' GRANDLIVRE_ENDPOINT='%s' GRANDLIVRE_KEY='%s' "
             "GRANDLIVRE_SERVER_KEY='%s' '%s/grandlivre' %s </dev/null >'%s' 2>'%s'",
             env, h.dir, h.endpoint, h.key_path[K_ACCOUNTANT], server_key, h_build_dir(), args,
             out_path, err_path);
    int status = system(cmd);
    const char *paths[2] = {out_path, err_path};
    char *bufs[2] = {out, err};
    size_t lens[2] = {out_len, err_len};
    for (int i = 0; i < 2; i++) {
        FILE *f = fopen(paths[i], "r");
        size_t n = f ? fread(bufs[i], 1, lens[i] - 1, f) : 0;
        bufs[i][n] = '\0';
        if (f)
            fclose(f);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The env assignment that pins this daemon's ledger id. */
static void pin_env(char *out, size_t len)
{
    uint8_t id[GL_LEDGER_ID_BYTES];
    char hex[2 * GL_LEDGER_ID_BYTES + 1] = "";
    h_ledger_id(&h, id);
    gl_hex(id, sizeof id, hex);
    snprintf(out, len, "GRANDLIVRE_LEDGER_ID=%s", hex);
}

/* The pings the daemon has served, from `grandlivre stats` (pinned: the
 * stats request itself is no ping). */
static long pings_served(void)
{
    static char out[16384], err[4096];
    char env[80];
    pin_env(env, sizeof env);
    cr_assert_eq(run(env, "stats", out, sizeof out, err, sizeof err), 0, "%s", err);
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
        long n;
        if (sscanf(line, "ping %ld", &n) == 1)
            return n;
    }
    return 0; /* no row: none served */
}

RTest(client_startup, a_ping_loads_no_web_library)
{
    static char out[4096], err[262144];
#ifdef __SANITIZE_ADDRESS__
    /* gcc links its sanitizer runtimes with --no-as-needed, which stays in
     * force for the libraries after them: libmicrohttpd is then NEEDED. */
    cr_skip_test("the sanitizer build links every library as needed");
#endif
    /* LD_DEBUG=libs: the loader names every object it loads, on stderr */
    cr_assert_eq(run("LD_DEBUG=libs", "ping", out, sizeof out, err, sizeof err), 0, "%s", out);
    cr_assert(strstr(out, "grandlivred"), "the ping answered: %s", out);
    cr_assert(strstr(err, "libzmq"), "LD_DEBUG shows the libraries loaded");
    cr_assert_null(strstr(err, "libmicrohttpd"), "libmicrohttpd loaded by a ping");
    cr_assert_null(strstr(err, "libgnutls"), "GnuTLS loaded by a ping");
}

RTest(client_startup, a_pinned_ledger_id_spares_the_ping)
{
    char env[80];
    static char out[16384], err[4096];
    pin_env(env, sizeof env);
    long before = pings_served();
    cr_assert_eq(run(env, "balance --tenant alpha", out, sizeof out, err, sizeof err), 0, "%s",
                 err);
    cr_assert_eq(pings_served(), before, "a pinned balance asked for the ledger id");
    /* unpinned: one PING first, for the id */
    cr_assert_eq(run("", "balance --tenant alpha", out, sizeof out, err, sizeof err), 0, "%s", err);
    cr_assert_eq(pings_served(), before + 1);
}

RTest(client_startup, a_stale_pin_is_refused_with_its_status_and_writes_nothing)
{
    static char out[16384], err[4096];
    int rc = run("GRANDLIVRE_LEDGER_ID=00112233445566778899aabbccddeeff", "balance --tenant alpha",
                 out, sizeof out, err, sizeof err);
    cr_assert_neq(rc, 0);
    cr_assert(strstr(err, "206 wrong_ledger"), "%s", err);
    cr_assert(strstr(err, "00112233445566778899aabbccddeeff"), "the pinned id is named: %s", err);
}
