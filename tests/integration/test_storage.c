/*
 * tests/integration/test_storage.c — the ledger under storage faults and
 * operations, checked by the crash tests' independent checker
 * (tests/crash/check.c: chains, totals recomputed from the entries, no
 * request half-applied, every acknowledged request present once):
 *   - the map cap (map_size_mb) reached: 501 storage_full, reads go on,
 *     nothing corrupted, posting resumes after a restart with a larger cap
 *     (and a refused request leaves nothing behind in the totals the next
 *     request writes);
 *   - the file system full (a 4 MiB tmpfs mounted on the data directory;
 *     skipped with a message where mounting is not permitted): requests
 *     refused whole (501, or 500 when LMDB's write came out short), reads go
 *     on, posting resumes as soon as space returns, without a restart;
 *   - a hot backup taken while clients post: restored in place of the data
 *     directory it verifies, holds every request acknowledged before the
 *     backup was asked for and none sent after it answered, each tenant's
 *     chain a prefix of the original's, and the daemon serves it;
 *   - a data directory with a newer schema version: the daemon refuses to
 *     start (exit status 1, a message naming both versions), changing nothing;
 *   - SIGTERM under load: every reply is a success or 503, the daemon exits
 *     0, every acknowledged request is present and none is half-applied;
 *     requests left unanswered, re-sent with the same ids after a restart,
 *     are applied once.
 */
#include "tests/crash/torture.h"
#include "tests/support/harness.h"

#include "daemon/store/store.h"

#include "proto/query.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <lmdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#define MARKER "ST-"

static harness h;
static bool mounted;
static char mount_point[400];

static void open_accounts(void)
{
    static const char *const accounts[] = {"512000", "606100", "401000"};
    h_open_accounts(&h, "alpha", accounts, 3);
    h_open_accounts(&h, "beta", accounts, 3);
}

static void teardown(void)
{
    if (h.pid)
        h_stop(&h);
    if (mounted) {
        char cmd[512];
        snprintf(cmd, sizeof cmd, "umount '%s' 2>/dev/null", mount_point);
        if (system(cmd) != 0)
            fprintf(stderr, "cannot unmount %s\n", mount_point);
        mounted = false;
    }
    h_teardown(&h);
}

static void data_dir(char *out, size_t n) { snprintf(out, n, "%s/data", h.dir); }

/* The checker on the (stopped) daemon's data directory. */
static ck_result check_data(const tt_ack *acks, size_t n, int64_t cutoff)
{
    char dir[400];
    data_dir(dir, sizeof dir);
    ck_result r;
    int rc = ck_check(dir, acks, n, cutoff, MARKER, &r);
    if (rc != 0)
        ck_print(stderr, "check", &r);
    cr_assert_eq(rc, 0, "the ledger does not verify: %s (lost %ld, duplicated %ld)",
                 r.first_failure, r.lost_entries, r.duplicated);
    return r;
}

/* A POST body of n entries of tenant, debit 606100 / credit 512000, unique
 * piece references MARKER<tag>-<i>. */
static void post_body(gl_buf *body, const char *tenant, const char *tag, uint32_t n, int64_t cents)
{
    gl_buf_init(body);
    gl_put_u32(body, n);
    for (uint32_t i = 0; i < n; i++) {
        char piece[64];
        snprintf(piece, sizeof piece, "%s%s-%u", MARKER, tag, i);
        gl_line_in l[2] = {{"606100", "", "", "", GL_SIDE_DEBIT, cents},
                           {"512000", "", "", "", GL_SIDE_CREDIT, cents}};
        gl_entry_in e = {.tenant = tenant,
                         .journal = "OD",
                         .piece_ref = piece,
                         .label = "storage test",
                         .date = 20250101 + i % 28,
                         .piece_date = 20250101,
                         .line_count = 2,
                         .lines = l};
        cr_assert_eq(gl_entry_encode(body, &e), GL_OK);
    }
}

/* --- map cap and file system full --------------------------------------- */

static char last_detail[GL_DETAIL_MAX + 1];

/* Post batches until one is refused; returns its status (its detail in
 * last_detail), the cents acknowledged in *cents. */
static int post_until_refused(int64_t *cents, int max_requests)
{
    static int seq; /* piece references stay unique across calls */
    for (int i = 0; i < max_requests; i++) {
        gl_buf body;
        char tag[32];
        snprintf(tag, sizeof tag, "fill%d", seq++);
        post_body(&body, "alpha", tag, 100, 1000);
        gl_response r;
        int st = h_call(&h, K_ALPHA, GL_KIND_POST, "alpha", gl_request_id_random(), body.data,
                        body.len, &r);
        snprintf(last_detail, sizeof last_detail, "%.*s", (int)r.reply.detail.len,
                 r.reply.detail.ptr ? r.reply.detail.ptr : "");
        gl_response_free(&r);
        gl_buf_free(&body);
        if (st != GL_OK)
            return st;
        *cents += 100 * 1000;
    }
    return GL_OK;
}

TestSuite(storage, .fini = teardown, .timeout = 120);

/* `grandlivre post` of 200 one-euro entries until refused (pages freed by
 * earlier commits may still be reused); returns the last exit status, the
 * client's standard error in text. */
static int cli_post_until_refused(int64_t *cents, char *text, size_t text_len)
{
    char json[400], err_path[400];
    snprintf(json, sizeof json, "%s/big.json", h.dir);
    FILE *f = fopen(json, "w");
    cr_assert(f);
    fputs("{\"entries\": [", f);
    for (int i = 0; i < 200; i++)
        fprintf(
            f,
            "%s{\"tenant\": \"alpha\", \"date\": \"2025-03-31\", \"journal\": \"OD\", \"piece\": \"BIG-%d\", "
            "\"piece_date\": \"2025-03-31\", \"label\": \"x\", \"lines\": [{\"account\": \"606100\", "
            "\"debit\": \"1.00\"}, {\"account\": \"512000\", \"credit\": \"1.00\"}]}",
            i ? ", " : "", i);
    fputs("]}\n", f);
    cr_assert(fclose(f) == 0);
    int rc = 0;
    for (int i = 0; i < 20 && rc == 0; i++) {
        rc = h_cli(&h, K_ALPHA, NULL, 0, "post --tenant alpha --new '%s'", json);
        if (rc == 0)
            *cents += 200 * 100;
    }
    snprintf(err_path, sizeof err_path, "%s/cli.err", h.dir);
    f = fopen(err_path, "r");
    size_t got = f ? fread(text, 1, text_len - 1, f) : 0;
    text[got] = '\0';
    if (f)
        fclose(f);
    return rc;
}

/* After each refusal the daemon is restarted before anything else is
 * written: see the next test for why. */
Test(storage, map_cap_reached_refuses_then_resumes_after_raising_it)
{
    h_opts o = {.daemon_extra = "map_size_mb = 2\n"};
    h_setup_opts(&h, &o);
    open_accounts();
    int64_t cents = 0;
    int st = post_until_refused(&cents, 400);
    cr_assert_eq(st, GL_ERR_MAP_FULL, "the 2 MiB map should fill up, got %s", gl_status_name(st));
    cr_log_info("map cap: 501 storage_full after %lld cents, detail \"%s\"", (long long)cents,
                last_detail);
    cr_assert_gt(cents, 0);
    /* reads keep working, and show exactly what was acknowledged */
    cr_assert_eq(h_balance(&h, "alpha", "606100", 20251231), cents);
    cr_assert_eq(h_cli(&h, K_ALPHA, NULL, 0, "balance --tenant alpha --at 2025-12-31"), 0);
    h_stop(&h);
    check_data(NULL, 0, INT64_MAX);
    /* the client names the cause */
    h_start(&h);
    char text[8192];
    cr_assert_eq(cli_post_until_refused(&cents, text, sizeof text), 1, "post should be refused");
    cr_assert(strstr(text, "501 storage_full"),
              "the client's message does not name storage_full: %s", text);
    cr_assert_eq(h_balance(&h, "alpha", "606100", 20251231), cents);
    h_stop(&h);
    struct stat sb;
    char path[400];
    snprintf(path, sizeof path, "%s/data/data.mdb", h.dir);
    cr_assert(stat(path, &sb) == 0 && sb.st_size <= 2 << 20, "the file outgrew the 2 MiB cap");
    check_data(NULL, 0, INT64_MAX);
    /* space returns: a larger cap, a restart, and posting resumes */
    snprintf(h.daemon_extra, sizeof h.daemon_extra, "map_size_mb = 8\n");
    h_write_config(&h);
    h_start(&h);
    int64_t more = 0;
    cr_assert_eq(post_until_refused(&more, 3), GL_OK);
    cr_assert_eq(h_balance(&h, "alpha", "606100", 20251231), cents + more);
    h_stop(&h);
    check_data(NULL, 0, INT64_MAX);
}

/* A request refused with storage_full while the writer flushed its totals
 * must leave nothing behind for the next request (this test found a bug:
 * totals_flush did not empty the writer's write-behind cache on a failed
 * put, so the refused request's sums were written with the next request
 * that succeeded; fixed in daemon/totals.c). */
Test(storage, a_request_refused_for_space_leaves_nothing_behind)
{
    h_opts o = {.daemon_extra = "map_size_mb = 2\n"};
    h_setup_opts(&h, &o);
    open_accounts();
    int64_t cents = 0;
    cr_assert_eq(post_until_refused(&cents, 400), GL_ERR_MAP_FULL);
    char text[8192];
    cli_post_until_refused(&cents, text,
                           sizeof text); /* writes that still fit, in the same process */
    cr_assert_eq(
        h_balance(&h, "alpha", "606100", 20251231), cents,
        "the balance includes a request refused with storage_full: totals_flush (daemon/totals.c) "
        "must discard its cache when a put fails");
    h_stop(&h);
    check_data(NULL, 0, INT64_MAX);
}

Test(storage, file_system_full_refuses_then_resumes_when_space_returns)
{
    h_setup(&h);
    open_accounts();
    h_stop(&h);
    char data[400], saved[420], cmd[1400];
    data_dir(data, sizeof data);
    snprintf(saved, sizeof saved, "%s.saved", data);
    cr_assert(rename(data, saved) == 0);
    cr_assert(mkdir(data, 0700) == 0);
    snprintf(mount_point, sizeof mount_point, "%s", data);
    snprintf(cmd, sizeof cmd, "mount -t tmpfs -o size=4m,mode=0700 tmpfs '%s' 2>/dev/null", data);
    if (system(cmd) != 0) {
        cr_assert(rmdir(data) == 0 && rename(saved, data) == 0);
        cr_skip_test(
            "cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN): the map cap test covers 501");
    }
    mounted = true;
    snprintf(cmd, sizeof cmd, "cp -a '%s'/. '%s'/ && rm -rf '%s'", saved, data, saved);
    cr_assert(system(cmd) == 0);
    h_start(&h);
    /* fill the file system but for a little room (512 KiB) */
    char filler[450];
    snprintf(filler, sizeof filler, "%s/filler", data);
    struct statvfs vfs;
    cr_assert(statvfs(data, &vfs) == 0);
    long long room = (long long)vfs.f_bavail * (long long)vfs.f_frsize - (512 << 10);
    int fd = open(filler, O_WRONLY | O_CREAT | O_EXCL, 0600);
    cr_assert(fd >= 0);
    static char block[65536];
    memset(block, 'x', sizeof block);
    for (long long done = 0; done < room;) {
        ssize_t w =
            write(fd, block,
                  room - done < (long long)sizeof block ? (size_t)(room - done) : sizeof block);
        if (w <= 0)
            break;
        done += w;
    }
    cr_assert(close(fd) == 0);
    int64_t cents = 0;
    int st = post_until_refused(&cents, 400);
    /* LMDB reports ENOSPC (501 storage_full) or, when its write was short,
     * EIO (500 storage): both refuse the request whole. */
    cr_assert(st == GL_ERR_MAP_FULL || st == GL_ERR_STORAGE,
              "a full file system should refuse the request, got %s", gl_status_name(st));
    cr_assert_gt(cents, 0, "nothing was posted before the file system filled up");
    cr_log_info("file system full: %d %s after %lld cents, detail \"%s\"", st, gl_status_name(st),
                (long long)cents, last_detail);
    cr_assert_eq(h_balance(&h, "alpha", "606100", 20251231), cents);
    st = post_until_refused(&cents, 1);
    cr_assert(st == GL_ERR_MAP_FULL || st == GL_ERR_STORAGE, "still full: still refused");
    /* space returns: posting resumes without a restart */
    cr_assert(unlink(filler) == 0);
    int64_t before = cents;
    cr_assert_eq(post_until_refused(&cents, 5), GL_OK,
                 "posting did not resume once space returned");
    cr_assert_eq(h_balance(&h, "alpha", "606100", 20251231), cents);
    cr_assert_gt(cents, before);
    h_stop(&h);
    check_data(NULL, 0, INT64_MAX);
}

/* --- clients posting in threads ----------------------------------------- */

typedef struct poster {
    enum h_key key;
    const char *tenant; /* NULL: the accountant's two-tenant batches */
    int index;
    atomic_bool *stop;
    int timeout_ms;
    tt_ack *acks;
    size_t n_acks, cap;
    int64_t *sent_ns; /* send time of each request, by sequence */
    uint64_t *rids;
    size_t n_sent;
    int bad_status;    /* a reply neither 0 nor 503 */
    int shutting_down; /* 503 replies */
    bool transport_failed;
    pthread_t thread;
} poster;

#define POSTS_MAX 200000

static void poster_ack(poster *p, uint64_t rid, const gl_reply *rep, const char *const *tenants)
{
    if (p->n_acks == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 1024;
        p->acks = realloc(p->acks, p->cap * sizeof *p->acks);
    }
    tt_ack *a = &p->acks[p->n_acks++];
    memset(a, 0, sizeof *a);
    a->t_ns = tt_now_ns();
    memcpy(a->signer, h.keys[p->key].pk, 32);
    a->request_id = rid;
    a->kind = GL_KIND_POST;
    gl_cur c;
    gl_cur_init(&c, rep->body, rep->body_len);
    a->ref_count = gl_get_u32(&c);
    a->refs = calloc(a->ref_count + 1, sizeof *a->refs);
    for (uint32_t i = 0; i < a->ref_count; i++) {
        snprintf(a->refs[i].tenant, sizeof a->refs[i].tenant, "%s", tenants[i]);
        a->refs[i].fy = gl_get_u16(&c);
        a->refs[i].num = gl_get_u32(&c);
    }
    a->body_len = rep->body_len;
    a->body = malloc(rep->body_len + 1);
    memcpy(a->body, rep->body, rep->body_len);
}

/* The body of a poster's request seq. */
static void poster_body(poster *p, size_t seq, gl_buf *body, const char **tenants)
{
    char tag[48];
    snprintf(tag, sizeof tag, "p%d-%zu", p->index, seq);
    if (p->tenant) {
        post_body(body, p->tenant, tag, 1, 100 + (int64_t)seq);
        tenants[0] = p->tenant;
        return;
    }
    gl_buf a, b;
    post_body(&a, "alpha", tag, 1, 7);
    post_body(&b, "beta", tag, 1, 7);
    gl_buf_init(body);
    gl_put_u32(body, 2);
    gl_put_bytes(body, a.data + 4, a.len - 4);
    gl_put_bytes(body, b.data + 4, b.len - 4);
    gl_buf_free(&a);
    gl_buf_free(&b);
    tenants[0] = "alpha";
    tenants[1] = "beta";
}

static void *poster_main(void *arg)
{
    poster *p = arg;
    gl_client *c = NULL;
    char err[256];
    if (gl_client_open_pinned(&c, h.endpoint, &h.keys[p->key], h.server_pk, p->timeout_ms, err,
                              sizeof err) != GL_OK) {
        p->transport_failed = true;
        return NULL;
    }
    for (size_t seq = 0; !atomic_load(p->stop) && seq < POSTS_MAX; seq++) {
        gl_buf body;
        const char *tenants[2];
        poster_body(p, seq, &body, tenants);
        uint64_t rid = ((uint64_t)p->index + 1) << 40 | (seq + 1);
        p->rids[seq] = rid;
        p->sent_ns[seq] = tt_now_ns();
        p->n_sent = seq + 1;
        gl_response r;
        int st =
            gl_call(c, GL_KIND_POST, p->tenant ? p->tenant : "alpha", rid, body.data, body.len, &r);
        gl_buf_free(&body);
        if (st != GL_OK) { /* the daemon went away: this one stays unanswered */
            p->transport_failed = true;
            gl_response_free(&r);
            break;
        }
        if (r.reply.status == GL_OK)
            poster_ack(p, rid, &r.reply, tenants);
        else if (r.reply.status == GL_ERR_SHUTTING_DOWN)
            p->shutting_down++;
        else if (!p->bad_status)
            p->bad_status = r.reply.status;
        gl_response_free(&r);
    }
    gl_client_close(c);
    return NULL;
}

static void posters_start(poster *ps, int n, atomic_bool *stop, int timeout_ms)
{
    static const enum h_key keys[] = {K_ALPHA, K_BETA, K_ACCOUNTANT};
    static const char *const tenants[] = {"alpha", "beta", NULL};
    for (int i = 0; i < n; i++) {
        memset(&ps[i], 0, sizeof ps[i]);
        ps[i].key = keys[i % 3];
        ps[i].tenant = tenants[i % 3];
        ps[i].index = i;
        ps[i].stop = stop;
        ps[i].timeout_ms = timeout_ms;
        ps[i].sent_ns = calloc(POSTS_MAX, sizeof *ps[i].sent_ns);
        ps[i].rids = calloc(POSTS_MAX, sizeof *ps[i].rids);
        cr_assert(ps[i].sent_ns && ps[i].rids);
        cr_assert(pthread_create(&ps[i].thread, NULL, poster_main, &ps[i]) == 0);
    }
}

static void posters_join(poster *ps, int n)
{
    for (int i = 0; i < n; i++)
        pthread_join(ps[i].thread, NULL);
}

/* Every poster's acknowledgements in one array (borrowed pointers). */
static tt_ack *all_acks(poster *ps, int n, size_t *count)
{
    size_t total = 0;
    for (int i = 0; i < n; i++)
        total += ps[i].n_acks;
    tt_ack *all = calloc(total + 1, sizeof *all);
    *count = 0;
    for (int i = 0; i < n; i++)
        for (size_t k = 0; k < ps[i].n_acks; k++)
            all[(*count)++] = ps[i].acks[k];
    return all;
}

static void posters_free(poster *ps, int n)
{
    for (int i = 0; i < n; i++) {
        for (size_t k = 0; k < ps[i].n_acks; k++)
            tt_ack_free(&ps[i].acks[k]);
        free(ps[i].acks);
        free(ps[i].sent_ns);
        free(ps[i].rids);
    }
}

static bool request_recorded(const char *dir, const uint8_t signer[32], uint64_t rid)
{
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    cr_assert(mdb_env_create(&env) == 0 && mdb_env_set_maxdbs(env, 64) == 0);
    cr_assert(mdb_env_open(env, dir, MDB_RDONLY | MDB_NOTLS, 0600) == 0);
    cr_assert(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn) == 0);
    cr_assert(mdb_dbi_open(txn, "requests", 0, &dbi) == 0);
    uint8_t k[40];
    memcpy(k, signer, 32);
    gl_be64(k + 32, rid);
    MDB_val key = {40, k}, v;
    bool found = mdb_get(txn, dbi, &key, &v) == 0;
    mdb_txn_abort(txn);
    mdb_env_close(env);
    return found;
}

Test(storage, hot_backup_during_writes_restores_a_consistent_prefix)
{
    h_setup(&h);
    /* BACKUP writes only into the configured backup_dir: here the test's
     * directory (the daemon is restarted with it). */
    h_stop(&h);
    snprintf(h.daemon_extra, sizeof h.daemon_extra, "backup_dir = %s\n", h.dir);
    h_write_config(&h);
    h_start(&h);
    open_accounts();
    atomic_bool stop = false;
    poster ps[3];
    posters_start(ps, 3, &stop, 10000);
    tt_sleep_ms(700);
    char backup[400];
    snprintf(backup, sizeof backup, "%s/backup.mdb", h.dir);
    int64_t t_asked = tt_now_ns();
    char said[512];
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, said, sizeof said, "backup backup.mdb"), 0,
                 "grandlivre backup failed");
    cr_assert(!strncmp(said, backup, strlen(backup)) && said[strlen(backup)] == '\n',
              "backup said %s", said);
    int64_t t_answered = tt_now_ns();
    tt_sleep_ms(400);
    atomic_store(&stop, true);
    posters_join(ps, 3);
    for (int i = 0; i < 3; i++) {
        cr_assert(!ps[i].transport_failed && !ps[i].bad_status, "poster %d: %s", i,
                  gl_status_name(ps[i].bad_status));
        cr_assert_gt(ps[i].n_acks, 0);
    }
    h_stop(&h);
    size_t n;
    tt_ack *acks = all_acks(ps, 3, &n);
    check_data(acks, n, INT64_MAX); /* the original: everything */

    /* Restore as documented: an empty data directory, the copy as data.mdb
     * (mode 0600), and the server's key file (not in the copy). */
    char data[400], orig[420], cmd[1400];
    data_dir(data, sizeof data);
    snprintf(orig, sizeof orig, "%s.orig", data);
    cr_assert(rename(data, orig) == 0);
    snprintf(
        cmd, sizeof cmd,
        "install -d -m 0700 '%s' && install -m 0600 '%s' '%s/data.mdb' && cp -p '%s/server.key' '%s/'",
        data, backup, data, orig, data);
    cr_assert(system(cmd) == 0);
    /* It verifies, and holds every request acknowledged before the backup was asked for. */
    ck_result r = check_data(acks, n, t_asked);
    cr_assert_gt(r.acked_entries, 0,
                 "nothing was acknowledged before the backup: the test proves nothing");
    /* Nothing sent after the backup answered is in it. */
    long after = 0, absent = 0;
    for (int i = 0; i < 3; i++)
        for (size_t k = 0; k < ps[i].n_sent; k++)
            if (ps[i].sent_ns[k] > t_answered) {
                after++;
                absent += !request_recorded(data, h.keys[ps[i].key].pk, ps[i].rids[k]);
            }
    cr_assert_gt(after, 0, "no request was sent after the backup");
    cr_assert_eq(absent, after, "%ld requests sent after the backup answered are in it",
                 after - absent);
    /* Each tenant's chain in the copy is a prefix of the original's. */
    ck_chain_head heads[8];
    int nh = ck_chain_heads(data, heads, 8);
    cr_assert_gt(nh, 0);
    for (int i = 0; i < nh; i++) {
        uint8_t hash[32];
        if (!heads[i].seq)
            continue;
        cr_assert(ck_event_hash(orig, heads[i].tenant, heads[i].seq, hash),
                  "%s: event %llu missing in the original", heads[i].tenant,
                  (unsigned long long)heads[i].seq);
        cr_assert(!memcmp(hash, heads[i].hash, 32),
                  "%s: the copy's chain is not a prefix of the original's", heads[i].tenant);
    }
    int64_t e_copy = ck_last_envelope(data), e_orig = ck_last_envelope(orig);
    cr_assert(e_copy > 0 && e_copy < e_orig, "envelopes: copy %lld, original %lld",
              (long long)e_copy, (long long)e_orig);
    /* The daemon serves the restored ledger and takes new entries. */
    h_start(&h);
    int64_t bal = h_balance(&h, "alpha", "606100", 20251231);
    gl_buf body;
    post_body(&body, "alpha", "restored", 1, 5);
    gl_response resp;
    cr_assert_eq(h_call(&h, K_ALPHA, GL_KIND_POST, "alpha", gl_request_id_random(), body.data,
                        body.len, &resp),
                 GL_OK);
    gl_response_free(&resp);
    gl_buf_free(&body);
    cr_assert_eq(h_balance(&h, "alpha", "606100", 20251231), bal + 5);
    h_stop(&h);
    check_data(acks, n, t_asked);
    free(acks);
    posters_free(ps, 3);
}

/* --- schema version ------------------------------------------------------ */

static void set_schema_version(uint32_t version)
{
    char dir[400];
    data_dir(dir, sizeof dir);
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    cr_assert(mdb_env_create(&env) == 0 && mdb_env_set_maxdbs(env, 64) == 0);
    cr_assert(mdb_env_open(env, dir, MDB_NOTLS, 0600) == 0);
    cr_assert(mdb_txn_begin(env, NULL, 0, &txn) == 0);
    cr_assert(mdb_dbi_open(txn, "meta", 0, &dbi) == 0);
    uint8_t be[4];
    gl_be32(be, version);
    MDB_val k = {14, "schema_version"}, v = {4, be};
    cr_assert(mdb_put(txn, dbi, &k, &v, 0) == 0);
    cr_assert(mdb_txn_commit(txn) == 0);
    mdb_env_close(env);
}

Test(storage, newer_schema_version_is_refused_at_start)
{
    h_setup(&h);
    open_accounts();
    h_stop(&h);
    set_schema_version(99);
    uint8_t before[32], after[32];
    h_digest(&h, before);
    char bin[512], log[400];
    snprintf(bin, sizeof bin, "%s/grandlivred", h_build_dir());
    snprintf(log, sizeof log, "%s/refused.log", h.dir);
    pid_t pid = tt_daemon_spawn(bin, h.config, log, NULL);
    cr_assert_gt(pid, 0);
    int status = tt_wait_exit(pid, 10000);
    if (status < 0) {
        kill(pid, SIGKILL);
        tt_wait_exit(pid, 5000);
        cr_assert_fail("the daemon started on a newer schema version");
    }
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 1, "exit status %d, expected 1", status);
    FILE *f = fopen(log, "r");
    char text[4096] = "";
    size_t got = f ? fread(text, 1, sizeof text - 1, f) : 0;
    text[got] = '\0';
    if (f)
        fclose(f);
    cr_assert(strstr(text, "schema version 99, newer than this grandlivred") &&
                  strstr(text, "refusing to open it"),
              "no clear message; the log says: %s", text);
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32), "the refused start changed the ledger");
    set_schema_version(GL_SCHEMA_VERSION); /* the same ledger opens again with its own version */
    h_start(&h);
    cr_assert_eq(h_balance(&h, "alpha", "606100", 20251231), 0);
}

/* --- graceful stop under load -------------------------------------------- */

Test(storage, sigterm_under_load_answers_or_drops_never_half)
{
    h_setup(&h);
    open_accounts();
    atomic_bool stop = false;
    poster ps[3];
    posters_start(ps, 3, &stop, 3000);
    tt_sleep_ms(600);
    pid_t pid = h.pid;
    cr_assert(kill(pid, SIGTERM) == 0);
    int status = tt_wait_exit(pid, 15000);
    h.pid = 0;
    cr_assert(status >= 0, "the daemon did not stop within 15 s of SIGTERM");
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "SIGTERM: wait status %d", status);
    cr_assert_gt(h_log_count(&h, "grandlivred: stopped"), 0);
    atomic_store(&stop, true);
    posters_join(ps, 3);
    long answered = 0;
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(ps[i].bad_status, 0, "poster %d got %s while stopping", i,
                     gl_status_name(ps[i].bad_status));
        answered += (long)ps[i].n_acks;
    }
    cr_assert_gt(answered, 0);
    size_t n;
    tt_ack *acks = all_acks(ps, 3, &n);
    check_data(acks, n, INT64_MAX);
    /* The requests left without an answer: applied whole or not at all
     * (checked above); re-sent with their ids they are applied exactly once. */
    char dir[400];
    data_dir(dir, sizeof dir);
    h_start(&h);
    long resent = 0;
    for (int i = 0; i < 3; i++) {
        size_t last = ps[i].n_sent;
        if (!last ||
            (ps[i].n_acks && ps[i].acks[ps[i].n_acks - 1].request_id == ps[i].rids[last - 1]))
            continue;
        gl_buf body;
        const char *tenants[2];
        poster_body(&ps[i], last - 1, &body, tenants);
        gl_response r;
        int st = h_call(&h, ps[i].key, GL_KIND_POST, ps[i].tenant ? ps[i].tenant : "alpha",
                        ps[i].rids[last - 1], body.data, body.len, &r);
        cr_assert_eq(st, GL_OK, "re-sent request refused: %s", gl_status_name(st));
        poster_ack(&ps[i], ps[i].rids[last - 1], &r.reply, tenants);
        gl_response_free(&r);
        gl_buf_free(&body);
        resent++;
    }
    h_stop(&h);
    free(acks);
    acks = all_acks(ps, 3, &n);
    ck_result r = check_data(acks, n, INT64_MAX);
    cr_assert_eq(r.duplicated, 0);
    cr_log_info("SIGTERM under load: %ld acknowledged, %ld re-sent after the restart", answered,
                resent);
    free(acks);
    posters_free(ps, 3);
}
