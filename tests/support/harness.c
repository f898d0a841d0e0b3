/*
 * tests/support/harness.c — see harness.h.  Waits are polls with a bounded
 * deadline, never fixed sleeps.
 */
#include "harness.h"

#include "proto/chain.h"
#include "proto/query.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <lmdb.h>
#include <signal.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

static const char *const key_names[K_COUNT] = {"alpha", "beta", "accountant", "auditor",
                                               "stranger"};

/* Every CLI the tests run speaks English whatever the tester's locale
 * (client/cli/i18n.h): the tests of the French output ask for it. */
static void __attribute__((constructor)) english_cli(void) { setenv("GRANDLIVRE_LANG", "en", 1); }

const char *h_build_dir(void)
{
    const char *b = getenv("GL_BUILD");
    return b && *b ? b : "build";
}

/* Role and tenant of each key when configured. */
static const char *const key_grants[K_COUNT] = {
    "role = member\ntenant = alpha\n", "role = member\ntenant = beta\n", "role = accountant\n",
    "role = auditor\n", "role = member\ntenant = gamma\n"};

void h_write_config(harness *h)
{
    char hex[65], tmp[400];
    snprintf(tmp, sizeof tmp, "%s.tmp", h->config);
    FILE *f = fopen(tmp, "w");
    cr_assert(f);
    fprintf(f,
            "[daemon]\ndata_dir = data\nendpoint = %s\n%s%s%s%s\n"
            "[group]\numbrella = alpha\n%s\n"
            "[tenant alpha]\nname = Alpha\nsiren = 111111111\n\n"
            "[tenant beta]\nname = Beta\nsiren = 222222222\n\n"
            "[tenant gamma]\nname = Gamma\nsiren = 333333333\nfirst_month = 7\n",
            h->endpoint,
            strstr(h->daemon_extra, "map_size_mb") ? "" : "map_size_mb = 1024\n", /* set once */
            /* LMDB commits every batch, so that the checks that read the
             * environment directly (h_digest...) see every acknowledged
             * write; tests/integration/test_journal.c sets its own */
            strstr(h->daemon_extra, "commit_interval_ms") ? "" : "commit_interval_ms = 0\n",
            h->opts.curve_off ? "curve = off\n" : "", h->daemon_extra, h->group_extra);
    for (int i = 0; i < K_COUNT; i++) {
        if (h->absent[i])
            continue;
        gl_hex(h->keys[i].pk, 32, hex);
        fprintf(f, "\n[key %s]\npublic = %s\n%s%s", key_names[i], hex, key_grants[i],
                h->revoked[i] ? "revoked = yes\n" : "");
    }
    fputs(h->extra_config, f);
    cr_assert(fclose(f) == 0);
    cr_assert(rename(tmp, h->config) == 0); /* a reload never sees half a file */
}

void h_setup(harness *h) { h_setup_opts(h, NULL); }

void h_setup_opts(harness *h, const h_opts *o)
{
    memset(h, 0, sizeof *h);
    if (o)
        h->opts = *o;
    cr_assert(sodium_init() >= 0);
    snprintf(h->dir, sizeof h->dir, "/tmp/gl-test-XXXXXX");
    cr_assert(mkdtemp(h->dir));
    if (h->opts.endpoint)
        snprintf(h->endpoint, sizeof h->endpoint, "%s", h->opts.endpoint);
    else
        snprintf(h->endpoint, sizeof h->endpoint, "ipc://%s/sock", h->dir);
    snprintf(h->daemon_extra, sizeof h->daemon_extra, "%s",
             h->opts.daemon_extra ? h->opts.daemon_extra : "");
    h->opts.endpoint = h->endpoint;
    h->opts.daemon_extra = h->daemon_extra;
    snprintf(h->config, sizeof h->config, "%s/grandlivred.conf", h->dir);
    char dir[sizeof h->dir];
    memcpy(dir, h->dir, sizeof dir);
    for (int i = 0; i < K_COUNT; i++) {
        char err[256];
        uint8_t pk[32];
        snprintf(h->key_path[i], sizeof h->key_path[i], "%s/%s.key", dir, key_names[i]);
        cr_assert(gl_key_generate(h->key_path[i], pk, err, sizeof err) == GL_OK, "%s", err);
        cr_assert(gl_key_load(h->key_path[i], &h->keys[i], err, sizeof err) == GL_OK, "%s", err);
    }
    h->absent[K_STRANGER] = true;
    h_write_config(h);
    h_start(h);
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void close_clients(harness *h)
{
    for (int i = 0; i < K_COUNT; i++) {
        gl_client_close(h->clients[i]);
        h->clients[i] = NULL;
    }
}

/* Waits are 6x longer when the daemon runs under a tool (valgrind). */
static int64_t wait_ms(int64_t ms) { return getenv("GL_DAEMON_WRAPPER") ? 6 * ms : ms; }

/* How long a test's request may wait for its reply: a bound against a hung
 * daemon, not a measure of speed (the largest requests of test_caps take
 * over 10 s on a loaded two-core machine under ASan). */
#define CALL_WAIT_MS 30000

/* The daemon's public key, as an operator gets it: --print-server-key. */
static void read_server_key(harness *h)
{
    char cmd[1024], line[128] = "";
    snprintf(cmd, sizeof cmd, "'%s/grandlivred' -c '%s' --print-server-key 2>>'%s/daemon.log'",
             h_build_dir(), h->config, h->dir);
    FILE *p = popen(cmd, "r");
    cr_assert(p);
    char *got = fgets(line, sizeof line, p);
    cr_assert_eq(pclose(p), 0, "grandlivred --print-server-key failed; see %s/daemon.log", h->dir);
    cr_assert(got);
    line[strcspn(line, "\n")] = '\0';
    cr_assert_eq(gl_server_key_parse(line, h->server_pk), GL_OK, "server key '%s'", line);
    setenv("GRANDLIVRE_SERVER_KEY", line, 1);
}

/* In the child: the daemon, under $GL_DAEMON_WRAPPER if set. */
static void exec_daemon(harness *h, const char *bin, const char *log)
{
    char wrapper[512], *argv[40];
    int argc = 0;
    if (h->opts.nofile) {
        struct rlimit rl = {h->opts.nofile, h->opts.nofile};
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    FILE *l = freopen(log, "a", stderr);
    (void)l;
    snprintf(wrapper, sizeof wrapper, "%s",
             getenv("GL_DAEMON_WRAPPER") ? getenv("GL_DAEMON_WRAPPER") : "");
    for (char *save = NULL, *w = strtok_r(wrapper, " ", &save); w && argc < 34;
         w = strtok_r(NULL, " ", &save))
        argv[argc++] = w;
    argv[argc++] = (char *)bin;
    argv[argc++] = "-c";
    argv[argc++] = h->config;
    argv[argc] = NULL;
    execvp(argv[0], argv);
    _exit(127);
}

/* Until the daemon has bound its ipc socket (the file exists), or it has
 * exited, or the deadline: a ping sent before then has its connection
 * refused, and libzmq tries again only after its reconnect interval
 * (100 ms), which every daemon start of the suites would wait for nothing.
 * A file left by a daemon killed with SIGKILL ends the wait at once: the
 * ping loop then waits as before. */
static void wait_socket_file(harness *h, pid_t pid, const char *log, int64_t deadline)
{
    if (strncmp(h->endpoint, "ipc://", 6) != 0)
        return;
    struct stat st;
    while (stat(h->endpoint + 6, &st) != 0 && mono_ms() < deadline) {
        int status;
        cr_assert(waitpid(pid, &status, WNOHANG) == 0, "grandlivred exited early; see %s", log);
        struct timespec ts = {0, 2000000};
        nanosleep(&ts, NULL);
    }
}

void h_start(harness *h)
{
    char bin[512], log[320];
    snprintf(bin, sizeof bin, "%s/grandlivred", h_build_dir());
    snprintf(log, sizeof log, "%s/daemon.log", h->dir);
    if (!h->opts.curve_off)
        read_server_key(h);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0)
        exec_daemon(h, bin, log);
    h->pid = pid;
    /* Ready when a ping answers (bounded: 10 s). */
    int64_t deadline = mono_ms() + wait_ms(10000);
    wait_socket_file(h, pid, log, deadline);
    for (;;) {
        gl_response r;
        gl_client *c;
        char err[256];
        cr_assert(gl_client_open_pinned(&c, h->endpoint, &h->keys[K_ACCOUNTANT],
                                        h->opts.curve_off ? NULL : h->server_pk, (int)wait_ms(200),
                                        err, sizeof err) == GL_OK);
        int st = gl_call(c, GL_KIND_PING, "", 0, NULL, 0, &r);
        gl_response_free(&r);
        gl_client_close(c);
        if (st == GL_OK)
            return;
        int status;
        cr_assert(waitpid(pid, &status, WNOHANG) == 0, "grandlivred exited early; see %s", log);
        cr_assert(mono_ms() < deadline, "grandlivred did not answer within 10 s");
    }
}

/* Wait for the daemon to exit; returns its wait status. */
static int wait_exit(harness *h)
{
    int status = 0;
    int64_t deadline = mono_ms() + wait_ms(10000);
    while (waitpid(h->pid, &status, WNOHANG) == 0) {
        cr_assert(mono_ms() < deadline, "grandlivred did not stop within 10 s");
        struct timespec ts = {0, 5000000};
        nanosleep(&ts, NULL);
    }
    h->pid = 0;
    return status;
}

static void show_log(harness *h)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "cat '%s/daemon.log' >&2", h->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "(no daemon log)\n");
}

void h_stop(harness *h)
{
    close_clients(h);
    if (!h->pid)
        return;
    kill(h->pid, SIGTERM);
    int status = wait_exit(h);
    /* a clean stop exits 0; under ASan a leak or error at exit does not */
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        show_log(h);
        cr_assert_fail("grandlivred did not stop cleanly (wait status %d)", status);
    }
}

void h_kill9(harness *h)
{
    close_clients(h);
    if (!h->pid)
        return;
    kill(h->pid, SIGKILL);
    (void)wait_exit(h);
}

void h_teardown(harness *h)
{
    h_stop(h);
    for (int i = 0; i < K_COUNT; i++)
        gl_key_wipe(&h->keys[i]);
    if (!getenv("GL_KEEP_TEST_DIRS")) {
        char cmd[400];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", h->dir);
        cr_assert(system(cmd) == 0);
    }
}

gl_client *h_client(harness *h, enum h_key k)
{
    if (!h->clients[k]) {
        char err[256];
        cr_assert(gl_client_open_pinned(&h->clients[k], h->endpoint, &h->keys[k],
                                        h->opts.curve_off ? NULL : h->server_pk,
                                        (int)wait_ms(CALL_WAIT_MS), err, sizeof err) == GL_OK,
                  "%s", err);
    }
    return h->clients[k];
}

void h_ledger_id(harness *h, uint8_t out[GL_LEDGER_ID_BYTES])
{
    gl_client *c = h_client(h, K_ACCOUNTANT);
    int st = gl_client_ledger_id(c, out);
    cr_assert_eq(st, GL_OK, "no ledger id from the daemon: %s (%s)", gl_status_name(st),
                 gl_client_error(c));
}

int h_call(harness *h, enum h_key k, uint16_t kind, const char *tenant, uint64_t request_id,
           const void *body, size_t body_len, gl_response *resp)
{
    int st = gl_call(h_client(h, k), kind, tenant, request_id, body, body_len, resp);
    if (st / 100 == 2) /* refused when connecting (unknown or revoked key) */
        return st;
    cr_assert_eq(st, GL_OK, "no reply from the daemon: %s (%s)", gl_status_name(st),
                 gl_client_error(h_client(h, k)));
    return resp->reply.status;
}

void *h_raw_socket(harness *h, void *ctx, enum h_key k)
{
    void *s = zmq_socket(ctx, ZMQ_DEALER);
    int linger = 0, timeout = (int)wait_ms(10000);
    cr_assert(s);
    zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(s, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    if (!h->opts.curve_off) {
        uint8_t pk[32], sk[32];
        cr_assert(crypto_sign_ed25519_pk_to_curve25519(pk, h->keys[k].pk) == 0);
        cr_assert(crypto_sign_ed25519_sk_to_curve25519(sk, h->keys[k].sk) == 0);
        cr_assert(zmq_setsockopt(s, ZMQ_CURVE_SERVERKEY, h->server_pk, 32) == 0);
        cr_assert(zmq_setsockopt(s, ZMQ_CURVE_PUBLICKEY, pk, 32) == 0);
        cr_assert(zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, sk, 32) == 0);
        sodium_memzero(sk, sizeof sk);
    }
    cr_assert(zmq_connect(s, h->endpoint) == 0);
    return s;
}

int h_send_raw_as(harness *h, enum h_key k, const void *bytes, size_t len, gl_response *resp)
{
    void *ctx = zmq_ctx_new();
    void *s = h_raw_socket(h, ctx, k);
    cr_assert(zmq_send(s, bytes, len, 0) == (int)len);
    zmq_msg_t m;
    zmq_msg_init(&m);
    int n = zmq_msg_recv(&m, s, 0);
    cr_assert(n >= 0, "no reply to raw bytes");
    gl_buf_init(&resp->raw);
    gl_put_bytes(&resp->raw, zmq_msg_data(&m), zmq_msg_size(&m));
    zmq_msg_close(&m);
    zmq_close(s);
    zmq_ctx_term(ctx);
    cr_assert(gl_reply_decode(resp->raw.data, resp->raw.len, &resp->reply) == GL_OK);
    return resp->reply.status;
}

int h_send_raw(harness *h, const void *bytes, size_t len, gl_response *resp)
{
    enum h_key k = K_ACCOUNTANT;
    for (int i = 0; i < K_COUNT && len >= 24 + 32; i++) /* the signer follows the ledger id */
        if (!h->absent[i] && !h->revoked[i] &&
            !memcmp((const uint8_t *)bytes + 24, h->keys[i].pk, 32))
            k = (enum h_key)i;
    return h_send_raw_as(h, k, bytes, len, resp);
}

void *h_monitor(void *ctx, void *sock)
{
    static int n;
    char ep[64];
    snprintf(ep, sizeof ep, "inproc://h-monitor-%d", n++);
    cr_assert(zmq_socket_monitor(sock, ep, ZMQ_EVENT_ALL) == 0);
    void *m = zmq_socket(ctx, ZMQ_PAIR);
    int linger = 0;
    zmq_setsockopt(m, ZMQ_LINGER, &linger, sizeof linger);
    cr_assert(m && zmq_connect(m, ep) == 0);
    return m;
}

int h_next_event(void *monitor, int mask, int timeout_ms, uint32_t *value)
{
    int64_t deadline = mono_ms() + wait_ms(timeout_ms);
    for (int64_t left; (left = deadline - mono_ms()) > 0;) {
        zmq_pollitem_t it = {monitor, 0, ZMQ_POLLIN, 0};
        if (zmq_poll(&it, 1, (long)left) <= 0)
            continue;
        zmq_msg_t head, addr;
        zmq_msg_init(&head);
        zmq_msg_init(&addr);
        zmq_msg_recv(&head, monitor, 0);
        if (zmq_msg_more(&head))
            zmq_msg_recv(&addr, monitor, 0);
        uint16_t ev = 0;
        uint32_t v = 0;
        if (zmq_msg_size(&head) == 6) {
            memcpy(&ev, zmq_msg_data(&head), 2);
            memcpy(&v, (const uint8_t *)zmq_msg_data(&head) + 2, 4);
        }
        zmq_msg_close(&head);
        zmq_msg_close(&addr);
        if (ev & mask) {
            if (value)
                *value = v;
            return ev;
        }
    }
    return 0;
}

int h_free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    cr_assert(fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0);
    cr_assert(getsockname(fd, (struct sockaddr *)&a, &len) == 0);
    close(fd);
    return ntohs(a.sin_port);
}

int h_log_count(harness *h, const char *needle)
{
    char path[400], line[2048];
    snprintf(path, sizeof path, "%s/daemon.log", h->dir);
    FILE *f = fopen(path, "r");
    int n = 0;
    while (f && fgets(line, sizeof line, f))
        n += strstr(line, needle) != NULL;
    if (f)
        fclose(f);
    return n;
}

bool h_reload(harness *h)
{
    int applied = h_log_count(h, "reload: applied"), refused = h_log_count(h, "reload: refused");
    h_write_config(h);
    cr_assert(h->pid && kill(h->pid, SIGHUP) == 0);
    int64_t deadline = mono_ms() + wait_ms(10000);
    for (;;) {
        if (h_log_count(h, "reload: applied") > applied)
            return true;
        if (h_log_count(h, "reload: refused") > refused)
            return false;
        cr_assert(mono_ms() < deadline, "grandlivred did not report on the reload within 10 s");
        struct timespec ts = {0, 2000000};
        nanosleep(&ts, NULL);
    }
}

void h_open_accounts(harness *h, const char *tenant, const char *const *accounts, size_t n)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_put_u8(&body, GL_OPEN_STRICT);
    gl_put_u32(&body, (uint32_t)n);
    for (size_t i = 0; i < n; i++) {
        gl_put_str8(&body, accounts[i], strlen(accounts[i]));
        gl_put_str8(&body, "Compte", 6);
    }
    gl_response r;
    int st = h_call(h, K_ACCOUNTANT, GL_KIND_ACCOUNTS_OPEN, tenant, 0, body.data, body.len, &r);
    cr_assert_eq(st, GL_OK, "opening accounts: %s", gl_status_name(st));
    gl_response_free(&r);
    gl_buf_free(&body);
}

gl_entry_in h_entry2(const char *tenant, uint32_t date, const char *debit_account,
                     const char *credit_account, int64_t cents, gl_line_in lines[2])
{
    lines[0] = (gl_line_in){debit_account, "", "", "", GL_SIDE_DEBIT, cents};
    lines[1] = (gl_line_in){credit_account, "", "", "", GL_SIDE_CREDIT, cents};
    return (gl_entry_in){.tenant = tenant,
                         .journal = "OD",
                         .piece_ref = "P1",
                         .label = "test",
                         .date = date,
                         .piece_date = date,
                         .line_count = 2,
                         .lines = lines};
}

void h_post_body(gl_buf *body, const gl_entry_in *entries, size_t n)
{
    gl_buf_init(body);
    gl_put_u32(body, (uint32_t)n);
    for (size_t i = 0; i < n; i++)
        cr_assert(gl_entry_encode(body, &entries[i]) == GL_OK);
}

int h_post(harness *h, enum h_key k, const gl_entry_in *entries, size_t n, gl_response *resp)
{
    gl_buf body;
    h_post_body(&body, entries, n);
    int st = h_call(h, k, GL_KIND_POST, entries[0].tenant, gl_request_id_random(), body.data,
                    body.len, resp);
    gl_buf_free(&body);
    return st;
}

int64_t h_balance(harness *h, const char *tenant, const char *account, uint32_t at)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_balance_q q = {.at = at};
    gl_balance_q_encode(&body, &q);
    gl_response r;
    int st = h_call(h, K_AUDITOR, GL_KIND_BALANCE, tenant, 0, body.data, body.len, &r);
    cr_assert_eq(st, GL_OK, "balance: %s", gl_status_name(st));
    gl_cur c;
    gl_cur_init(&c, r.reply.body, r.reply.body_len);
    gl_get_u16(&c);
    gl_get_u32(&c);
    gl_get_u32(&c);
    uint32_t n = gl_get_u32(&c);
    int64_t result = 0;
    for (uint32_t i = 0; i < n; i++) {
        gl_str a = gl_get_str8(&c, 255);
        gl_get_str8(&c, 255);
        gl_get_str8(&c, 255);
        int64_t d = gl_get_i64(&c), cr = gl_get_i64(&c);
        if (gl_str_eq(a, account))
            result = d - cr;
    }
    cr_assert_eq(gl_cur_end(&c), GL_OK);
    gl_response_free(&r);
    gl_buf_free(&body);
    return result;
}

/* --- direct LMDB reads (independent of the daemon's code) --- */

static const char *const db_names[] = {
    "meta",        "tenants",   "accounts",      "events",        "entries",       "by_account",
    "balances",    "daily",     "requests",      "envelopes",     "keyring",       "periods",
    "reversed",    "letters",   "lettered",      "partner_daily", "partner_lines", "recharge_keys",
    "acct_months", "acct_days", "aux_labels",    "year_totals",   "third_parties", "reminders",
    "carry_modes", "forgotten", "bank_accounts", "bank_lines",    "bank_index"};

static MDB_env *open_env(harness *h)
{
    MDB_env *env;
    char path[400];
    snprintf(path, sizeof path, "%s/data", h->dir);
    cr_assert(mdb_env_create(&env) == 0);
    mdb_env_set_maxdbs(env, 32);
    mdb_env_set_mapsize(env, 1024ull << 20);
    int rc = mdb_env_open(env, path, MDB_RDONLY | MDB_NOTLS, 0600);
    cr_assert(rc == 0, "mdb_env_open: %s", mdb_strerror(rc));
    return env;
}

void h_digest(harness *h, uint8_t out[32])
{
    MDB_env *env = open_env(h);
    MDB_txn *txn;
    cr_assert(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn) == 0);
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, 32);
    for (size_t i = 0; i < sizeof db_names / sizeof db_names[0]; i++) {
        MDB_dbi dbi;
        if (mdb_dbi_open(txn, db_names[i], 0, &dbi) != 0)
            continue;
        MDB_cursor *c;
        MDB_val k, v;
        cr_assert(mdb_cursor_open(txn, dbi, &c) == 0);
        crypto_generichash_update(&st, (const uint8_t *)db_names[i], strlen(db_names[i]) + 1);
        while (mdb_cursor_get(c, &k, &v, MDB_NEXT) == 0) {
            uint8_t lens[16];
            gl_be64(lens, k.mv_size);
            gl_be64(lens + 8, v.mv_size);
            crypto_generichash_update(&st, lens, 16);
            crypto_generichash_update(&st, k.mv_data, k.mv_size);
            crypto_generichash_update(&st, v.mv_data, v.mv_size);
        }
        mdb_cursor_close(c);
    }
    crypto_generichash_final(&st, out, 32);
    mdb_txn_abort(txn);
    mdb_env_close(env);
}

/* Verify one tenant's chain: every event hash, links, sequence, and that
 * every entry event holds a balanced entry. */
static long verify_tenant(MDB_txn *txn, MDB_dbi events, const char *tenant, size_t tlen,
                          uint32_t number)
{
    MDB_cursor *c;
    MDB_val k, v;
    uint8_t prefix[4], prev[GL_HASH_BYTES] = {0};
    gl_be32(prefix, number);
    cr_assert(mdb_cursor_open(txn, events, &c) == 0);
    k.mv_data = prefix;
    k.mv_size = 4;
    long count = 0;
    uint64_t expect_seq = 1;
    int rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
    for (; rc == 0 && k.mv_size == 12 && !memcmp(k.mv_data, prefix, 4);
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        uint64_t seq = gl_rd64((const uint8_t *)k.mv_data + 4);
        gl_event ev;
        if (seq != expect_seq || gl_event_decode(v.mv_data, v.mv_size, &ev) != GL_OK ||
            gl_event_verify(&ev, tenant, tlen, seq, prev) != GL_OK) {
            mdb_cursor_close(c);
            return -1;
        }
        if (gl_event_entry_layout(ev.type)) {
            gl_entry e;
            uint16_t fy;
            uint32_t num, bad;
            if (gl_event_entry(&ev, &fy, &num, &e) != GL_OK || gl_entry_check(&e, &bad) != GL_OK) {
                mdb_cursor_close(c);
                return -1;
            }
        }
        memcpy(prev, ev.hash, GL_HASH_BYTES);
        expect_seq++;
        count++;
    }
    mdb_cursor_close(c);
    return count;
}

long h_verify_chains(harness *h)
{
    MDB_env *env = open_env(h);
    MDB_txn *txn;
    MDB_dbi tenants, events;
    cr_assert(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn) == 0);
    cr_assert(mdb_dbi_open(txn, "tenants", 0, &tenants) == 0);
    cr_assert(mdb_dbi_open(txn, "events", 0, &events) == 0);
    MDB_cursor *c;
    MDB_val k, v;
    cr_assert(mdb_cursor_open(txn, tenants, &c) == 0);
    long total = 0;
    while (total >= 0 && mdb_cursor_get(c, &k, &v, MDB_NEXT) == 0) {
        uint32_t number = gl_rd32(v.mv_data);
        uint64_t head_seq = gl_rd64((const uint8_t *)v.mv_data + 4);
        long n = verify_tenant(txn, events, k.mv_data, k.mv_size, number);
        if (n < 0 || (uint64_t)n != head_seq)
            total = -1;
        else
            total += n;
    }
    mdb_cursor_close(c);
    mdb_txn_abort(txn);
    mdb_env_close(env);
    return total;
}

long h_entry_count(harness *h, const char *tenant)
{
    MDB_env *env = open_env(h);
    MDB_txn *txn;
    MDB_dbi tenants, entries;
    cr_assert(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn) == 0);
    cr_assert(mdb_dbi_open(txn, "tenants", 0, &tenants) == 0);
    cr_assert(mdb_dbi_open(txn, "entries", 0, &entries) == 0);
    MDB_val k = {strlen(tenant), (void *)tenant}, v;
    cr_assert(mdb_get(txn, tenants, &k, &v) == 0);
    uint8_t prefix[4];
    memcpy(prefix, v.mv_data, 4);
    MDB_cursor *c;
    cr_assert(mdb_cursor_open(txn, entries, &c) == 0);
    k.mv_data = prefix;
    k.mv_size = 4;
    long n = 0;
    for (int rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
         rc == 0 && !memcmp(k.mv_data, prefix, 4); rc = mdb_cursor_get(c, &k, &v, MDB_NEXT))
        n++;
    mdb_cursor_close(c);
    mdb_txn_abort(txn);
    mdb_env_close(env);
    return n;
}

bool h_entries_contain(harness *h, const void *bytes, size_t len)
{
    MDB_env *env = open_env(h);
    MDB_txn *txn;
    MDB_dbi entries;
    MDB_cursor *c;
    MDB_val k, v;
    cr_assert(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn) == 0);
    cr_assert(mdb_dbi_open(txn, "entries", 0, &entries) == 0);
    cr_assert(mdb_cursor_open(txn, entries, &c) == 0);
    bool found = false;
    while (!found && mdb_cursor_get(c, &k, &v, MDB_NEXT) == 0)
        found = memmem(v.mv_data, v.mv_size, bytes, len) != NULL;
    mdb_cursor_close(c);
    mdb_txn_abort(txn);
    mdb_env_close(env);
    return found;
}

void h_db_each(harness *h, const char *db, h_record_fn fn, void *user)
{
    MDB_env *env = open_env(h);
    MDB_txn *txn;
    MDB_dbi dbi;
    MDB_cursor *c;
    MDB_val k, v;
    cr_assert(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn) == 0);
    cr_assert(mdb_dbi_open(txn, db, 0, &dbi) == 0, "no database %s", db);
    cr_assert(mdb_cursor_open(txn, dbi, &c) == 0);
    while (mdb_cursor_get(c, &k, &v, MDB_NEXT) == 0 &&
           fn(k.mv_data, k.mv_size, v.mv_data, v.mv_size, user))
        ;
    mdb_cursor_close(c);
    mdb_txn_abort(txn);
    mdb_env_close(env);
}

int h_cli(harness *h, enum h_key k, char *out, size_t out_len, const char *fmt, ...)
{
    char args[2048], cmd[4096], outfile[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(outfile, sizeof outfile, "%s/cli.out", h->dir);
    char server_key[65] = "";
    gl_hex(h->server_pk, 32, server_key);
    /* XDG_CONFIG_HOME: the tester's own client configuration file
     * (~/.config/grandlivre/config) is never read. */
    snprintf(
        cmd, sizeof cmd,
        "XDG_CONFIG_HOME='%s' GRANDLIVRE_ENDPOINT='%s' GRANDLIVRE_KEY='%s' GRANDLIVRE_SERVER_KEY='%s' '%s/grandlivre' </dev/null %s >'%s' 2>>'%s/cli.err'",
        h->dir, h->endpoint, h->key_path[k], server_key, h_build_dir(), args, outfile, h->dir);
    int status = system(cmd);
    if (out) {
        FILE *f = fopen(outfile, "r");
        size_t n = f ? fread(out, 1, out_len - 1, f) : 0;
        out[n] = '\0';
        if (f)
            fclose(f);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void h_cli_err(harness *h, char *out, size_t len)
{
    char path[400];
    snprintf(path, sizeof path, "%s/cli.err", h->dir);
    FILE *f = fopen(path, "r");
    out[0] = '\0';
    if (!f)
        return;
    fseek(f, (long)h->cli_err_seen, SEEK_SET);
    size_t n = fread(out, 1, len - 1, f);
    out[n] = '\0';
    h->cli_err_seen += n;
    fclose(f);
}
