/*
 * tests/integration/test_journal.c — the journal-first writer (issue 16,
 * daemon/journal.h): a write is acknowledged once its journal record is
 * flushed, LMDB commits behind it every commit_interval_ms (here one
 * minute, so that nothing but the journal holds the writes under test).
 * A kill -9 before the LMDB commit loses nothing (the start replays the
 * journal, or `grandlivred --recover DIR` does offline); a retry gets the
 * original reply; a torn or stale record is ignored; a read sees every
 * write acknowledged before it (it waits for the commit), PING does not
 * force one; BACKUP holds every acknowledged write; a refused request adds
 * nothing; a clean stop leaves the journal empty.
 */
#include "tests/support/harness.h"

#include "daemon/store/store.h"
#include "proto/backup.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static harness h;
static char backups[400];

static void setup(void)
{
    h_opts o = {.daemon_extra = "commit_interval_ms = 60000\n"};
    h_setup_opts(&h, &o);
    static const char *const accounts[] = {"512000", "606100"};
    h_open_accounts(&h, "alpha", accounts, 2);
}
static void teardown(void) { h_teardown(&h); }

TestSuite(journal, .init = setup, .fini = teardown, .timeout = 120);

static void journal_path(char *out, size_t len)
{
    snprintf(out, len, "%s/data/journal.glj", h.dir);
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

static gl_entry_in entry(int64_t cents, gl_line_in l[2])
{
    return h_entry2("alpha", 20250301, "606100", "512000", cents, l);
}

static void post_ok(int64_t cents)
{
    gl_line_in l[2];
    gl_entry_in e = entry(cents, l);
    gl_response r;
    cr_assert_eq(h_post(&h, K_ALPHA, &e, 1, &r), GL_OK);
    gl_response_free(&r);
}

/* Opening accounts was acknowledged into the journal too: commit it (a
 * read waits for it), so that each test starts from LMDB = journal. */
static void settle(void) { cr_assert_eq(h_balance(&h, "alpha", "606100", 20251231), 0); }

Test(journal, kill9_before_the_lmdb_commit_keeps_the_entry_and_its_reply)
{
    settle();
    gl_line_in l[2];
    gl_entry_in e = entry(1234, l);
    gl_buf body;
    h_post_body(&body, &e, 1);
    gl_response r1, r2;
    cr_assert_eq(h_call(&h, K_ALPHA, GL_KIND_POST, "alpha", 77, body.data, body.len, &r1), GL_OK);
    h_kill9(&h);
    cr_assert_eq(h_entry_count(&h, "alpha"), 0,
                 "the entry is in LMDB already: the test does not exercise the journal");
    h_start(&h);
    cr_assert_eq(h_log_count(&h, "journal: replayed 1 record"), 1);
    cr_assert_eq(h_call(&h, K_ALPHA, GL_KIND_POST, "alpha", 77, body.data, body.len, &r2), GL_OK);
    cr_assert(r2.reply.flags & GL_REPLY_REPLAYED, "the retry was applied again");
    cr_assert_eq(r1.reply.body_len, r2.reply.body_len);
    cr_assert(!memcmp(r1.reply.body, r2.reply.body, r1.reply.body_len));
    cr_assert_eq(h_balance(&h, "alpha", "606100", 20251231), 1234);
    cr_assert_eq(h_entry_count(&h, "alpha"), 1);
    cr_assert_gt(h_verify_chains(&h), 0);
    gl_response_free(&r1);
    gl_response_free(&r2);
    gl_buf_free(&body);
}

Test(journal, recover_offline_then_the_verifier_checks_everything)
{
    settle();
    for (int i = 1; i <= 5; i++)
        post_ok(100 * i);
    h_kill9(&h);
    cr_assert_eq(h_entry_count(&h, "alpha"), 0);
    char out[512];
    cr_assert_eq(recover(out, sizeof out), 0, "%s", out);
    cr_assert(strstr(out, "recovered 5 records"), "%s", out);
    cr_assert_eq(h_entry_count(&h, "alpha"), 5);
    cr_assert_gt(h_verify_chains(&h), 0);
    cr_assert_eq(recover(out, sizeof out), 0, "%s", out); /* again: nothing more */
    cr_assert(strstr(out, "journal empty"), "%s", out);
    cr_assert_eq(h_entry_count(&h, "alpha"), 5);
    h_start(&h);
    cr_assert_eq(h_log_count(&h, "journal: replayed"), 0);
    cr_assert_eq(h_balance(&h, "alpha", "606100", 20251231), 1500);
    char path[400];
    snprintf(path, sizeof path, "%s/all.glar", h.dir);
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "archive --all -o '%s'", path), 0);
    cr_assert_eq(h_cli(&h, K_AUDITOR, out, sizeof out, "verify '%s'", path), 0, "%s", out);
}

Test(journal, recover_without_a_journal_or_ledger_exits_0_and_a_damaged_ledger_1)
{
    h_stop(&h);
    char out[512], path[400];
    journal_path(path, sizeof path);
    cr_assert_eq(unlink(path), 0);
    cr_assert_eq(recover(out, sizeof out), 0, "%s", out);
    cr_assert(strstr(out, "journal empty"), "%s", out);
    snprintf(path, sizeof path, "%s/data/data.mdb", h.dir);
    int fd = open(path, O_WRONLY | O_TRUNC);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, "not an LMDB file, not at all, no", 32), 32);
    close(fd);
    cr_assert_eq(recover(out, sizeof out), 1, "%s", out);
    cr_assert(strstr(out, "refused"), "%s", out);
}

/* The journal's bytes after a kill: records 1.. of this round. */
static size_t read_journal(uint8_t *buf, size_t len)
{
    char path[400];
    journal_path(path, sizeof path);
    FILE *f = fopen(path, "rb");
    cr_assert(f);
    size_t n = fread(buf, 1, len, f);
    fclose(f);
    return n;
}

static void write_journal_at(long off, const void *bytes, size_t len)
{
    char path[400];
    journal_path(path, sizeof path);
    FILE *f = fopen(path, "r+b");
    cr_assert(f);
    cr_assert_eq(fseek(f, off, SEEK_SET), 0);
    cr_assert_eq(fwrite(bytes, 1, len, f), len);
    fclose(f);
}

/* The offset of the record after the one at off. */
static long next_record(const uint8_t *buf, long off)
{
    return off + 16 + (long)gl_rd32(buf + off + 12) + 16;
}

Test(journal, a_torn_tail_record_is_ignored_and_the_ones_before_replayed)
{
    settle();
    post_ok(1);
    post_ok(2);
    post_ok(4);
    h_kill9(&h);
    static uint8_t buf[1 << 16];
    read_journal(buf, sizeof buf);
    long third = next_record(buf, next_record(buf, 0));
    uint8_t byte = buf[third + 20] ^ 0x5a; /* inside its payload: the checksum fails */
    write_journal_at(third + 20, &byte, 1);
    char out[512];
    cr_assert_eq(recover(out, sizeof out), 0, "%s", out);
    cr_assert(strstr(out, "recovered 2 records"), "%s", out);
    cr_assert_eq(h_entry_count(&h, "alpha"), 2);
    cr_assert_gt(h_verify_chains(&h), 0);
    h_start(&h);
    cr_assert_eq(h_balance(&h, "alpha", "606100", 20251231), 3);
}

Test(journal, a_record_with_a_wrong_seq_is_ignored)
{
    settle();
    post_ok(1);
    post_ok(2);
    h_kill9(&h);
    static uint8_t buf[1 << 16];
    read_journal(buf, sizeof buf);
    long second = next_record(buf, 0);
    /* renumber the second record (and make its checksum right again):
     * a stale record of an earlier round looks like this */
    uint64_t seq = gl_rd64(buf + second + 4);
    uint8_t be[8];
    gl_be64(be, seq + 7);
    memcpy(buf + second + 4, be, 8);
    size_t len = gl_rd32(buf + second + 12);
    crypto_generichash(buf + second + 16 + len, 16, buf + second, 16 + len, NULL, 0);
    write_journal_at(second, buf + second, 16 + len + 16);
    char out[512];
    cr_assert_eq(recover(out, sizeof out), 0, "%s", out);
    cr_assert(strstr(out, "recovered 1 record"), "%s", out);
    cr_assert_eq(h_entry_count(&h, "alpha"), 1);
}

Test(journal, a_read_from_another_connection_sees_the_write_just_acknowledged)
{
    settle();
    for (int i = 1; i <= 3; i++) {
        post_ok(10 * i);
        cr_assert_eq(h_entry_count(&h, "alpha"), i - 1, "LMDB committed before the read asked");
        /* h_balance asks with the auditor's key: not the poster's connection */
        cr_assert_eq(h_balance(&h, "alpha", "606100", 20251231), 10 * i * (i + 1) / 2);
        cr_assert_eq(h_entry_count(&h, "alpha"), i, "the read did not wait for the commit");
    }
}

Test(journal, ping_does_not_force_a_commit)
{
    settle();
    post_ok(5);
    gl_response r;
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(h_call(&h, K_ALPHA, GL_KIND_PING, "", 0, NULL, 0, &r), GL_OK);
        gl_response_free(&r);
    }
    cr_assert_eq(h_entry_count(&h, "alpha"), 0, "PING made LMDB commit");
    cr_assert_eq(h_balance(&h, "alpha", "606100", 20251231), 5);
    cr_assert_eq(h_entry_count(&h, "alpha"), 1);
}

Test(journal, backup_holds_every_acknowledged_write)
{
    h_stop(&h);
    snprintf(backups, sizeof backups, "%s/backups", h.dir);
    cr_assert_eq(mkdir(backups, 0700), 0);
    snprintf(h.daemon_extra, sizeof h.daemon_extra, "commit_interval_ms = 60000\nbackup_dir = %s\n",
             backups);
    h_write_config(&h);
    h_start(&h);
    post_ok(42);
    cr_assert_eq(h_entry_count(&h, "alpha"), 0);
    gl_buf b;
    gl_buf_init(&b);
    gl_backup_q_encode(&b, "copy.mdb", 8);
    gl_response r;
    cr_assert_eq(h_call(&h, K_ACCOUNTANT, GL_KIND_BACKUP, "", 0, b.data, b.len, &r), GL_OK);
    gl_response_free(&r);
    gl_buf_free(&b);
    /* the copy, restored as the only data of a daemon, holds the entry */
    h_stop(&h);
    char cmd[1400];
    snprintf(cmd, sizeof cmd,
             "rm -rf '%s/data'/*.mdb '%s/data/journal.glj' && mv '%s/copy.mdb' '%s/data/data.mdb'",
             h.dir, h.dir, backups, h.dir);
    cr_assert_eq(system(cmd), 0);
    cr_assert_eq(h_entry_count(&h, "alpha"), 1);
    h_start(&h);
    cr_assert_eq(h_balance(&h, "alpha", "606100", 20251231), 42);
}

Test(journal, a_refused_request_adds_nothing_to_the_ledger_or_the_journal)
{
    settle();
    post_ok(3);
    cr_assert_eq(h_balance(&h, "alpha", "606100", 20251231), 3);
    uint8_t before[32], after[32];
    h_digest(&h, before);
    static uint8_t j1[1 << 16], j2[1 << 16];
    size_t n1 = read_journal(j1, sizeof j1);
    gl_line_in l[2];
    gl_entry_in e = h_entry2("alpha", 20250301, "606100", "999999", 5, l); /* no such account */
    gl_response r;
    cr_assert_neq(h_post(&h, K_ALPHA, &e, 1, &r), GL_OK);
    gl_response_free(&r);
    size_t n2 = read_journal(j2, sizeof j2);
    cr_assert(n1 == n2 && !memcmp(j1, j2, n1), "the refused request wrote to the journal");
    h_kill9(&h);
    char out[512];
    cr_assert_eq(recover(out, sizeof out), 0, "%s", out);
    cr_assert(strstr(out, "journal empty"), "%s", out);
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32), "the refusal changed the ledger");
}

Test(journal, a_clean_stop_commits_and_leaves_the_journal_empty)
{
    settle();
    post_ok(8);
    post_ok(9);
    h_stop(&h);
    cr_assert_eq(h_entry_count(&h, "alpha"), 2, "the stop did not commit");
    char out[512];
    cr_assert_eq(recover(out, sizeof out), 0, "%s", out);
    cr_assert(strstr(out, "journal empty"), "%s", out);
    h_start(&h);
    cr_assert_eq(h_log_count(&h, "journal: replayed"), 0);
    cr_assert_eq(h_balance(&h, "alpha", "606100", 20251231), 17);
}

/* --upgrade from schema 3 (no journal_seq, no journal): step 3 -> 4
 * records journal_seq 0 and the daemon starts on it. */
Test(journal, upgrade_from_schema_3_records_journal_seq_0)
{
    post_ok(6);
    h_stop(&h);
    char dir[400], err[512], path[400];
    snprintf(dir, sizeof dir, "%s/data", h.dir);
    snprintf(path, sizeof path, "%s/journal.glj", dir);
    cr_assert_eq(unlink(path), 0);
    store *s;
    uint32_t version;
    cr_assert_eq(store_open_existing(&s, dir, 64u << 20, &version, err, sizeof err), GL_OK, "%s",
                 err);
    store_txn *t;
    cr_assert_eq(store_begin(s, NULL, false, &t), GL_OK);
    cr_assert_eq(store_schema_put(t, 3), GL_OK);
    cr_assert_eq(store_del(t, DB_META, "journal_seq", 11), GL_OK);
    cr_assert_eq(store_commit(t), GL_OK);
    store_close(s);
    char cmd[1200], out[2048];
    snprintf(cmd, sizeof cmd, "'%s/grandlivred' --upgrade -c '%s' 2>&1", h_build_dir(), h.config);
    FILE *p = popen(cmd, "r");
    cr_assert(p);
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    cr_assert_eq(pclose(p), 0, "%s", out);
    cr_assert(strstr(out, "schema 3 -> 4"), "%s", out);
    cr_assert_eq(store_open_existing(&s, dir, 64u << 20, &version, err, sizeof err), GL_OK, "%s",
                 err);
    cr_assert_eq(version, GL_SCHEMA_VERSION);
    uint64_t seq = 99;
    cr_assert_eq(store_begin(s, NULL, true, &t), GL_OK);
    cr_assert_eq(store_journal_seq_get(t, &seq), GL_OK);
    store_abort(t);
    store_close(s);
    cr_assert_eq(seq, 0);
    h_start(&h);
    cr_assert_eq(h_balance(&h, "alpha", "606100", 20251231), 6);
}

/* A daemon holds its journal: --recover on its directory is refused and
 * changes nothing (recovering under a live writer would apply records
 * twice). */
Test(journal, recover_refuses_a_directory_a_daemon_is_running_on)
{
    settle();
    post_ok(2);
    char out[512];
    cr_assert_eq(recover(out, sizeof out), 1, "%s", out);
    cr_assert(strstr(out, "in use"), "%s", out);
    cr_assert_eq(h_entry_count(&h, "alpha"), 0, "--recover wrote under a running daemon");
    cr_assert_eq(h_balance(&h, "alpha", "606100", 20251231), 2);
}
