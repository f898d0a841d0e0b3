/*
 * tests/integration/test_log_limit.c — the writer's operation log is
 * limited to WRITER_DIRECT_BYTES (daemon/store/store.h store_log_limit):
 * a request that writes more is committed to LMDB with the batches
 * journaled before it, its log dropped as it passes the limit instead of
 * held to the commit (the daemon's memory at 475,000 imported entries,
 * docs/benchmarks.md "Issue 17, memory").  LMDB commits here only every
 * minute, so that what is not journaled must be in LMDB's last commit.
 */
#include "tests/support/harness.h"

#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static harness h;

static void setup(void)
{
    h_opts o = {.daemon_extra = "commit_interval_ms = 60000\n"};
    h_setup_opts(&h, &o);
    static const char *const accounts[] = {"512000", "606100"};
    h_open_accounts(&h, "alpha", accounts, 2);
}
static void teardown(void) { h_teardown(&h); }

TestSuite(log_limit, .init = setup, .fini = teardown, .timeout = 180);

/* 2,000 entries: a log of well over WRITER_DIRECT_BYTES (512 KiB). */
#define LARGE 2000

static int post_large(const char *last_credit, gl_response *r)
{
    static gl_entry_in e[LARGE];
    static gl_line_in l[LARGE][2];
    for (int i = 0; i < LARGE; i++)
        e[i] = h_entry2("alpha", 20250301 + (uint32_t)(i % 28), "606100",
                        i == LARGE - 1 ? last_credit : "512000", 1, l[i]);
    return h_post(&h, K_ALPHA, e, LARGE, r);
}

static void post_small(int64_t cents)
{
    gl_line_in l[2];
    gl_entry_in e = h_entry2("alpha", 20250301, "606100", "512000", cents, l);
    gl_response r;
    cr_assert_eq(h_post(&h, K_ALPHA, &e, 1, &r), GL_OK);
    gl_response_free(&r);
}

/* grandlivred --recover on the test's data directory: its exit status and
 * standard output. */
static int recover(char *out, size_t out_len)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "'%s/grandlivred' --recover '%s/data' 2>&1", h_build_dir(), h.dir);
    FILE *p = popen(cmd, "r");
    cr_assert(p);
    size_t n = fread(out, 1, out_len - 1, p);
    out[n] = '\0';
    int rc = pclose(p);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* Opening accounts was journaled too: a read commits it. */
static void settle(void) { cr_assert_eq(h_balance(&h, "alpha", "606100", 20251231), 0); }

Test(log_limit, a_large_request_is_committed_with_the_journaled_ones_before_it)
{
    settle();
    post_small(7);
    h_kill9(&h);
    cr_assert_eq(h_entry_count(&h, "alpha"), 0, "LMDB committed the small request: no journal");
    h_start(&h);
    cr_assert_eq(h_log_count(&h, "journal: replayed 1 record"), 1);
    post_small(5); /* journaled again, then the large request commits both */
    gl_response r;
    cr_assert_eq(post_large("512000", &r), GL_OK, "%.*s", (int)r.reply.detail.len,
                 r.reply.detail.ptr);
    gl_response_free(&r);
    h_kill9(&h);
    cr_assert_eq(h_entry_count(&h, "alpha"), 2 + LARGE, "not in LMDB's commit");
    char out[512];
    cr_assert_eq(recover(out, sizeof out), 0, "%s", out);
    cr_assert(strstr(out, "journal empty"), "%s", out);
    h_start(&h);
    cr_assert_eq(h_balance(&h, "alpha", "606100", 20251231), 7 + 5 + LARGE);
    cr_assert_gt(h_verify_chains(&h), 0);
}

/* The large request's log passes the limit and is dropped, then the
 * request is refused (its last entry's account is not open): nothing of it
 * is kept, and the batch journaled before it keeps its log (it is still
 * replayed after a kill). */
Test(log_limit, a_refused_large_request_leaves_the_journaled_ones_whole)
{
    settle();
    post_small(11);
    cr_assert_eq(h_balance(&h, "alpha", "606100", 20251231), 11); /* a read: 11 in LMDB */
    post_small(13);                                               /* journaled only */
    uint8_t before[32], after[32];
    h_digest(&h, before);
    gl_response r;
    cr_assert_eq(post_large("445660", &r), GL_ERR_UNKNOWN_ACCOUNT);
    cr_assert_eq(r.reply.err_item, LARGE);
    gl_response_free(&r);
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32), "the refused request changed the ledger");
    h_kill9(&h);
    cr_assert_eq(h_entry_count(&h, "alpha"), 1, "LMDB committed the journaled request");
    h_start(&h);
    cr_assert_eq(h_log_count(&h, "journal: replayed 1 record"), 1);
    cr_assert_eq(h_balance(&h, "alpha", "606100", 20251231), 11 + 13);
    cr_assert_gt(h_verify_chains(&h), 0);
}
