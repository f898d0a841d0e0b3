/*
 * tests/unit/test_store_log.c — the write transaction's operation log
 * (daemon/store/store.h) and its limit: the writer journals a batch's log
 * only while it is small; past WRITER_DIRECT_BYTES it commits LMDB instead,
 * so a larger log is dropped as it passes the limit (store_log_over) rather
 * than held to the commit (an FEC batch of 10,000 entries: a 12 MB log in
 * a 16 MiB buffer, the largest single block of the daemon's peak, issue 17's
 * memory regression).  What the transaction writes is not changed: only
 * what the log keeps.
 */
#include "daemon/store/keys.h"
#include "daemon/store/store.h"

#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];
static store *s;

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/gl-storelog-XXXXXX");
    cr_assert(mkdtemp(dir));
    char err[256];
    cr_assert_eq(store_open(&s, dir, 64u << 20, err, sizeof err), GL_OK, "%s", err);
}

static void teardown(void)
{
    store_close(s);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(store_log, .init = setup, .fini = teardown);

#define VAL_BYTES 1000u /* a value: 8 + 8 (key) + 1000 bytes of log per put */
#define OP_BYTES (8u + KEY_ENVELOPES_LEN + VAL_BYTES)

static void put_n(store_txn *t, uint64_t first, unsigned n)
{
    static uint8_t val[VAL_BYTES];
    for (unsigned i = 0; i < n; i++) {
        uint8_t k[KEY_ENVELOPES_LEN];
        key_envelopes(k, first + i);
        cr_assert_eq(store_put(t, DB_ENVELOPES, k, sizeof k, val, sizeof val), GL_OK);
    }
}

static bool has_envelope(uint64_t n)
{
    store_txn *t;
    cr_assert_eq(store_begin(s, NULL, true, &t), GL_OK);
    uint8_t k[KEY_ENVELOPES_LEN];
    store_val v;
    key_envelopes(k, n);
    int st = store_get(t, DB_ENVELOPES, k, sizeof k, &v);
    store_abort(t);
    return st == GL_OK;
}

Test(store_log, a_log_under_the_limit_holds_every_operation)
{
    store_txn *root, *child;
    cr_assert_eq(store_begin(s, NULL, false, &root), GL_OK);
    store_log_enable(root);
    store_log_limit(root, 100 * OP_BYTES);
    cr_assert_eq(store_begin(s, root, false, &child), GL_OK);
    put_n(child, 1, 50);
    cr_assert_eq(store_commit(child), GL_OK);
    size_t len;
    bool ok;
    store_log_data(root, &len, &ok);
    cr_assert(ok);
    cr_assert_eq(len, 50 * OP_BYTES);
    cr_assert_not(store_log_over(root));
    cr_assert_eq(store_commit(root), GL_OK);
}

/* The case of the import: one request (a child) writes past the limit. */
Test(store_log, a_child_past_the_limit_drops_the_log_not_the_writes)
{
    store_txn *root, *child;
    cr_assert_eq(store_begin(s, NULL, false, &root), GL_OK);
    store_log_enable(root);
    store_log_limit(root, 100 * OP_BYTES);
    cr_assert_eq(store_begin(s, root, false, &child), GL_OK);
    put_n(child, 1, 2000); /* 2 MB of operations */
    cr_assert(store_log_over(child));
    size_t len;
    bool ok;
    store_log_data(child, &len, &ok);
    cr_assert_eq(len, 0, "the child still holds %zu bytes of log", len);
    cr_assert_eq(store_commit(child), GL_OK);
    cr_assert(store_log_over(root));
    store_log_data(root, &len, &ok);
    cr_assert(ok);
    cr_assert_eq(len, 0, "the root holds %zu bytes of log", len);
    cr_assert_eq(store_commit(root), GL_OK);
    cr_assert(has_envelope(1) && has_envelope(2000));
}

/* The limit counts the parent's log: small requests journaled together
 * pass it too; an aborted child leaves the parent's log as it was. */
Test(store_log, the_limit_counts_what_the_parent_holds)
{
    store_txn *root, *child;
    cr_assert_eq(store_begin(s, NULL, false, &root), GL_OK);
    store_log_enable(root);
    store_log_limit(root, 100 * OP_BYTES);
    cr_assert_eq(store_begin(s, root, false, &child), GL_OK);
    put_n(child, 1, 60);
    cr_assert_eq(store_commit(child), GL_OK);
    cr_assert_eq(store_begin(s, root, false, &child), GL_OK);
    put_n(child, 61, 60); /* 120 in all: past the limit */
    cr_assert(store_log_over(child));
    store_abort(child);
    cr_assert_not(store_log_over(root));
    size_t len;
    bool ok;
    store_log_data(root, &len, &ok);
    cr_assert_eq(len, 60 * OP_BYTES);
    cr_assert_eq(store_begin(s, root, false, &child), GL_OK);
    put_n(child, 61, 60);
    cr_assert_eq(store_commit(child), GL_OK);
    cr_assert(store_log_over(root));
    cr_assert_eq(store_commit(root), GL_OK);
    cr_assert(has_envelope(1) && has_envelope(120));
}

Test(store_log, no_limit_keeps_everything)
{
    store_txn *root;
    cr_assert_eq(store_begin(s, NULL, false, &root), GL_OK);
    store_log_enable(root);
    put_n(root, 1, 2000);
    size_t len;
    bool ok;
    store_log_data(root, &len, &ok);
    cr_assert(ok);
    cr_assert_eq(len, 2000 * OP_BYTES);
    cr_assert_not(store_log_over(root));
    store_log_reset(root);
    store_log_data(root, &len, &ok);
    cr_assert_eq(len, 0);
    cr_assert_eq(store_commit(root), GL_OK);
}
