/*
 * tests/integration/test_review_11.c — defects found by the adversarial
 * review of issue 11's fixes (reviewer R1), each a test that failed on the
 * merged fixes.
 *
 * Text stored before the bidirectional-control rule (item 11b) must stay
 * readable by every reader, not only by the daemon's own record readers:
 * the CLI decodes the entries a JOURNAL reply carries, and GROUP_BALANCE
 * decodes the chain events written after its watermark.  The old ledger is
 * made here as test_text.c makes it: "QQQ" patched to U+202E (same length)
 * in the stored records, the daemon stopped.
 */
#include "tests/support/harness.h"

#include "proto/group.h"
#include "proto/query.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static harness h;
static const char *const chart[] = {"120000", "129000", "401000", "512000", "606100"};

static void setup(void)
{
    h_setup(&h);
    h_open_accounts(&h, "alpha", chart, sizeof chart / sizeof chart[0]);
}
static void teardown(void) { h_teardown(&h); }

TestSuite(review_11, .init = setup, .fini = teardown, .timeout = 120);

/* Replace every "QQQ" in the values of database db by U+202E, the daemon
 * being stopped.  Returns the number of values changed. */
static int patch_stored(const char *db)
{
    char dir[400];
    snprintf(dir, sizeof dir, "%s/data", h.dir);
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    MDB_cursor *c;
    cr_assert(mdb_env_create(&env) == 0 && mdb_env_set_maxdbs(env, 64) == 0);
    cr_assert(mdb_env_open(env, dir, MDB_NOTLS, 0600) == 0);
    cr_assert(mdb_txn_begin(env, NULL, 0, &txn) == 0);
    cr_assert(mdb_dbi_open(txn, db, 0, &dbi) == 0, "no database %s", db);
    cr_assert(mdb_cursor_open(txn, dbi, &c) == 0);
    MDB_val k, v;
    int changed = 0;
    for (int rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        uint8_t *copy = malloc(v.mv_size);
        cr_assert(copy);
        memcpy(copy, v.mv_data, v.mv_size);
        bool hit = false;
        for (size_t i = 0; i + 3 <= v.mv_size; i++)
            if (!memcmp(copy + i, "QQQ", 3)) {
                memcpy(copy + i, "\xe2\x80\xae", 3);
                hit = true;
            }
        if (hit) {
            MDB_val nv = {v.mv_size, copy};
            cr_assert(mdb_cursor_put(c, &k, &nv, MDB_CURRENT) == 0);
            changed++;
        }
        free(copy);
    }
    mdb_cursor_close(c);
    cr_assert(mdb_txn_commit(txn) == 0);
    mdb_env_close(env);
    return changed;
}

static void post_old(void)
{
    gl_line_in l[2] = {{"606100", "", "", "ligne QQQ", GL_SIDE_DEBIT, 100},
                       {"401000", "FOURN", "Bureau QQQ", "", GL_SIDE_CREDIT, 100}};
    gl_entry_in e = {.tenant = "alpha",
                     .date = 20250301,
                     .piece_date = 20250301,
                     .journal = "AC",
                     .piece_ref = "F-QQQ",
                     .label = "Loyer QQQ",
                     .line_count = 2,
                     .lines = l};
    gl_response r;
    cr_assert_eq(h_post(&h, K_ALPHA, &e, 1, &r), GL_OK);
    gl_response_free(&r);
}

/* The CLI's journal decodes each entry of the reply: an entry stored before
 * the rule is one the daemon serves, so the CLI must read it. */
Test(review_11, cli_journal_reads_text_stored_before_the_bidi_rule)
{
    post_old();
    h_stop(&h);
    cr_assert_eq(patch_stored("entries"), 1);
    cr_assert_eq(patch_stored("events"), 1);
    h_start(&h);
    char out[8192];
    int rc = h_cli(&h, K_ALPHA, out, sizeof out,
                   "journal --tenant alpha --from 2025-01-01 --to 2025-12-31");
    cr_assert_eq(rc, 0, "journal of a ledger holding text from before the rule failed: %d", rc);
    cr_expect(strstr(out, "Loyer \xe2\x80\xae") != NULL,
              "the stored label is not shown as stored: %s", out);
}

/* GROUP_BALANCE takes the entries written after its watermark off the
 * totals by decoding their chain events: one holding text from before the
 * rule is no damaged storage.  (A year close writes such text anew: it
 * carries a stored auxiliary label into the à-nouveaux.) */
Test(review_11, group_balance_reads_late_entries_stored_before_the_bidi_rule)
{
    post_old();
    h_stop(&h);
    cr_assert_eq(patch_stored("entries"), 1);
    cr_assert_eq(patch_stored("events"), 1);
    h_start(&h);
    gl_buf b;
    gl_buf_init(&b);
    gl_group_balance_q_encode(
        &b, &(gl_group_balance_q){.at = 20251231, .watermark = 1, .after = {"", 0}, .limit = 1000});
    gl_response r;
    int st = h_call(&h, K_AUDITOR, GL_KIND_GROUP_BALANCE, "", 0, b.data, b.len, &r);
    cr_assert_eq(st, GL_OK, "group balance with the old entry after its watermark: %s %.*s",
                 gl_status_name(st), (int)r.reply.detail.len, r.reply.detail.ptr);
    gl_response_free(&r);
    gl_buf_free(&b);
}
