/*
 * daemon/transport.c — see transport.h.  Invariants: the ROUTER socket
 * never binds before the ZAP handler, and never binds at all unless every
 * CURVE option took (a CURVE server without an enforced ZAP domain admits
 * any client key when no handler answers: libzmq 4.3's "Stonehouse" mode);
 * a request reaches admission only with the identity its connection was
 * admitted with; the server's secret key is wiped from this process's
 * memory once libzmq holds it.
 */
#include "transport.h"

#include "fileio.h"
#include "job.h"
#include "keyring.h"
#include "log.h"
#include "workers.h"

#include "proto/request.h"
#include "proto/status.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

#ifndef ZMQ_ZAP_ENFORCE_DOMAIN
#define ZMQ_ZAP_ENFORCE_DOMAIN 93 /* libzmq 4.3 draft API, present in Debian's build */
#endif

/* --- the server's long-term key -------------------------------------- */

#define KEY_HEAD "grandlivred-server-key v1\npublic: "
#define KEY_MID "\nsecret: "
#define KEY_TEXT_LEN (sizeof KEY_HEAD - 1 + 64 + sizeof KEY_MID - 1 + 64 + 1)

static int parse_server_key(const char *text, size_t n, uint8_t pk[32], uint8_t sk[32])
{
    const char *pub = text + sizeof KEY_HEAD - 1, *mid = pub + 64, *sec = mid + sizeof KEY_MID - 1;
    size_t len;
    uint8_t derived[32];
    if (n != KEY_TEXT_LEN || memcmp(text, KEY_HEAD, sizeof KEY_HEAD - 1) ||
        memcmp(mid, KEY_MID, sizeof KEY_MID - 1) || text[n - 1] != '\n' ||
        sodium_hex2bin(pk, 32, pub, 64, NULL, &len, NULL) || len != 32 ||
        sodium_hex2bin(sk, 32, sec, 64, NULL, &len, NULL) || len != 32)
        return -1;
    int rc =
        crypto_scalarmult_base(derived, sk) == 0 && sodium_memcmp(derived, pk, 32) == 0 ? 0 : -1;
    sodium_memzero(derived, sizeof derived);
    return rc;
}

/* 0 loaded, 1 no such file, -1 error (err set). */
static int read_server_key(const char *path, uint8_t pk[32], uint8_t sk[32], char *err,
                           size_t err_len)
{
    struct stat sb;
    int fd = file_open_read(path, &sb, err, err_len);
    if (fd == FILE_ABSENT)
        return 1;
    if (fd < 0)
        return -1;
    if (!S_ISREG(sb.st_mode) || (sb.st_mode & 077)) {
        snprintf(err, err_len,
                 "%s is readable by others or not a file (mode %03o): run chmod 600 %s", path,
                 (unsigned)(sb.st_mode & 0777), path);
        close(fd);
        return -1;
    }
    char text[KEY_TEXT_LEN + 1];
    ssize_t n = read(fd, text, sizeof text);
    close(fd);
    int rc = n > 0 && parse_server_key(text, (size_t)n, pk, sk) == 0 ? 0 : -1;
    sodium_memzero(text, sizeof text);
    if (rc)
        snprintf(err, err_len, "%s is not a grandlivred server key file (or its keys do not match)",
                 path);
    return rc;
}

/* 0 created, 1 someone else created it first, -1 error. */
static int create_server_key(const char *dir, const char *path, char *err, size_t err_len)
{
    uint8_t pk[32], sk[32];
    char text[KEY_TEXT_LEN + 1], pk_hex[65], sk_hex[65], tmp[PATH_MAX + 32];
    crypto_box_keypair(pk, sk);
    sodium_bin2hex(pk_hex, sizeof pk_hex, pk, 32);
    sodium_bin2hex(sk_hex, sizeof sk_hex, sk, 32);
    int n = snprintf(text, sizeof text, "%s%s%s%s\n", KEY_HEAD, pk_hex, KEY_MID, sk_hex);
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    bool ok =
        fd >= 0 && n == (int)KEY_TEXT_LEN && write(fd, text, (size_t)n) == n && fsync(fd) == 0;
    if (fd >= 0)
        ok = close(fd) == 0 && ok;
    sodium_memzero(sk, sizeof sk);
    sodium_memzero(sk_hex, sizeof sk_hex);
    sodium_memzero(text, sizeof text);
    int rc = ok ? link(tmp, path) : -1;
    int link_errno = errno;
    if (fd >= 0)
        unlink(tmp);
    if (!ok || (rc != 0 && link_errno != EEXIST)) {
        snprintf(err, err_len, "cannot create %s: %s", path, strerror(ok ? link_errno : errno));
        return -1;
    }
    if (rc != 0)
        return 1;
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return 0;
}

int transport_server_key(const char *data_dir, uint8_t pk[32], uint8_t sk[32], char *err,
                         size_t err_len)
{
    char path[PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/%s", data_dir, SERVER_KEY_FILE);
    if (mkdir(data_dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, err_len, "cannot create %s: %s", data_dir, strerror(errno));
        return -1;
    }
    int rc = read_server_key(path, pk, sk, err, err_len);
    if (rc == 1 && (rc = create_server_key(data_dir, path, err, err_len)) >= 0)
        rc = read_server_key(path, pk, sk, err, err_len);
    return rc == 0 ? 0 : -1;
}

/* --- sockets ----------------------------------------------------------- */

int transport_curve_server(void *sock, const uint8_t sk[32], char *err, size_t err_len)
{
    int one = 1;
    if (!zmq_has("curve")) {
        snprintf(err, err_len, "this libzmq has no CURVE support (zmq_has(\"curve\") is false)");
        return -1;
    }
    if (zmq_setsockopt(sock, ZMQ_CURVE_SERVER, &one, sizeof one) != 0 ||
        zmq_setsockopt(sock, ZMQ_CURVE_SECRETKEY, sk, 32) != 0) {
        snprintf(err, err_len, "cannot make the socket a CURVE server: %s", zmq_strerror(errno));
        return -1;
    }
    if (zmq_setsockopt(sock, ZMQ_ZAP_DOMAIN, ZAP_DOMAIN, strlen(ZAP_DOMAIN)) != 0 ||
        zmq_setsockopt(sock, ZMQ_ZAP_ENFORCE_DOMAIN, &one, sizeof one) != 0) {
        snprintf(err, err_len,
                 "cannot enforce ZAP authentication (ZMQ_ZAP_DOMAIN, ZMQ_ZAP_ENFORCE_DOMAIN): %s; "
                 "refusing to serve CURVE that would admit any key",
                 zmq_strerror(errno));
        return -1;
    }
    return 0;
}

static int router_options(void *r, const gl_config *cfg)
{
    int64_t max_msg = TRANSPORT_MAXMSGSIZE;
    int linger_ms = 0, rcvhwm = TRANSPORT_QUEUE_MAX, sndhwm = 10 * TRANSPORT_QUEUE_MAX, one = 1;
    int backlog = TRANSPORT_BACKLOG;
    int handshake_ms = (int)cfg->handshake_timeout_ms;
    return zmq_setsockopt(r, ZMQ_MAXMSGSIZE, &max_msg, sizeof max_msg) ||
                   zmq_setsockopt(r, ZMQ_LINGER, &linger_ms, sizeof linger_ms) ||
                   zmq_setsockopt(r, ZMQ_RCVHWM, &rcvhwm, sizeof rcvhwm) ||
                   zmq_setsockopt(r, ZMQ_SNDHWM, &sndhwm, sizeof sndhwm) ||
                   zmq_setsockopt(r, ZMQ_HANDSHAKE_IVL, &handshake_ms, sizeof handshake_ms) ||
                   zmq_setsockopt(r, ZMQ_TCP_KEEPALIVE, &one, sizeof one) ||
                   zmq_setsockopt(r, ZMQ_BACKLOG, &backlog, sizeof backlog)
               ? -1
               : 0;
}

#define MONITOR_ENDPOINT "inproc://gl-router-monitor"
#define ACCEPT_LOG_MS 10000

static int open_monitor(transport *t)
{
    if (zmq_socket_monitor(t->router, MONITOR_ENDPOINT, ZMQ_EVENT_ACCEPT_FAILED) != 0)
        return -1;
    t->monitor = zmq_socket(t->zctx, ZMQ_PAIR);
    return t->monitor && zmq_connect(t->monitor, MONITOR_ENDPOINT) == 0 ? 0 : -1;
}

/* Read the monitor's events; say, now and then, that accepting fails. */
static void accept_events(transport *t)
{
    zmq_msg_t head, addr;
    for (int n = 0; n < 4096; n++) {
        zmq_msg_init(&head);
        if (zmq_msg_recv(&head, t->monitor, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&head);
            break;
        }
        uint32_t err = 0;
        if (zmq_msg_size(&head) == 6)
            memcpy(&err, (const uint8_t *)zmq_msg_data(&head) + 2, 4);
        zmq_msg_init(&addr);
        if (zmq_msg_more(&head))
            zmq_msg_recv(&addr, t->monitor, 0);
        zmq_msg_close(&head);
        zmq_msg_close(&addr);
        t->accept_failures++;
        int64_t now = gl_now_ms();
        if (now - t->accept_logged_ms >= ACCEPT_LOG_MS) {
            log_line(GL_LOG_ERROR, "transport",
                     "cannot accept connections: %s (%u times); they wait until "
                     "others close",
                     strerror((int)err), t->accept_failures);
            t->accept_logged_ms = now;
            t->accept_failures = 0;
        }
    }
}

static int bind_pair(transport *t, void **sock, const char *endpoint)
{
    *sock = zmq_socket(t->zctx, ZMQ_PAIR);
    return *sock && zmq_bind(*sock, endpoint) == 0 ? 0 : -1;
}

int transport_open(transport *t, const gl_config *cfg, const uint8_t server_sk[32], char *err,
                   size_t err_len)
{
    memset(t, 0, sizeof *t);
    t->cfg = cfg;
    t->zctx = zmq_ctx_new();
    if (!t->zctx) {
        snprintf(err, err_len, "cannot create a ZeroMQ context: %s", zmq_strerror(errno));
        return -1;
    }
    if (cfg->curve && zap_open(&t->zap, t->zctx, err, err_len) != 0)
        goto fail;
    t->router = zmq_socket(t->zctx, ZMQ_ROUTER);
    if (!t->router || router_options(t->router, cfg) != 0) {
        snprintf(err, err_len, "cannot set up the socket: %s", zmq_strerror(errno));
        goto fail;
    }
    if (cfg->curve && transport_curve_server(t->router, server_sk, err, err_len) != 0)
        goto fail;
    if (open_monitor(t) != 0) {
        snprintf(err, err_len, "cannot monitor the socket: %s", zmq_strerror(errno));
        goto fail;
    }
    if (zmq_bind(t->router, cfg->endpoint) != 0) {
        snprintf(err, err_len, "cannot listen on %s: %s", cfg->endpoint, zmq_strerror(errno));
        goto fail;
    }
    if (bind_pair(t, &t->to_writer, TRANSPORT_WRITER_ENDPOINT) ||
        bind_pair(t, &t->to_reader, TRANSPORT_READER_ENDPOINT)) {
        snprintf(err, err_len, "cannot create worker sockets: %s", zmq_strerror(errno));
        goto fail;
    }
    unsigned threads = verify_pool_size(cfg->verify_threads);
    if (verify_pool_start(&t->pool, t->zctx, threads) != 0) {
        snprintf(err, err_len, "cannot start the signature threads: %s", zmq_strerror(errno));
        goto fail;
    }
    log_line(GL_LOG_INFO, "transport", "checking signatures on %u thread%s", threads,
             threads == 1 ? "" : "s");
    return 0;
fail:
    transport_close(t);
    return -1;
}

void transport_close(transport *t)
{
    verify_pool_stop(&t->pool);
    if (t->monitor)
        zmq_socket_monitor(t->router, NULL, 0);
    void *socks[] = {t->monitor, t->router, t->to_writer, t->to_reader};
    for (size_t i = 0; i < sizeof socks / sizeof socks[0]; i++)
        if (socks[i])
            zmq_close(socks[i]);
    zap_close(&t->zap);
    if (t->zctx)
        zmq_ctx_term(t->zctx);
    memset(t, 0, sizeof *t);
}

/* --- requests and replies ---------------------------------------------- */

static void send_reply(transport *t, const job *j)
{
    if (zmq_send(t->router, j->peer, j->peer_len, ZMQ_SNDMORE) < 0 ||
        zmq_send(t->router, j->reply.data, j->reply.len, 0) < 0)
        log_line(GL_LOG_ERROR, "transport", "cannot send a reply: %s", zmq_strerror(errno));
}

/* Refuse a request before it reaches a worker. */
static void refuse(transport *t, job *j, int status, uint32_t item, const char *detail)
{
    job_reply(j, status, 0, item, 0, detail, NULL);
    send_reply(t, j);
    job_free(j);
}

/* The identity libzmq attached to a message: the User-Id our ZAP handler
 * set for its connection.  Nothing the peer sent (X-* properties) counts. */
static int take_identity(transport *t, job *j, zmq_msg_t *part)
{
    if (!t->cfg->curve)
        return GL_OK;
    if (zap_user_id_parse(zmq_msg_gets(part, "User-Id"), j->peer_curve_key) != 0)
        return GL_ERR_KEY_MISMATCH;
    j->has_peer_curve_key = true;
    return GL_OK;
}

/* Read one [routing id][payload] message into a new job; *status is the
 * refusal it already deserves (GL_OK if none).  NULL if nothing to read. */
static job *receive_job(transport *t, int *status)
{
    job *j = calloc(1, sizeof *j);
    zmq_msg_t part;
    zmq_msg_init(&part);
    int n = zmq_msg_recv(&part, t->router, ZMQ_DONTWAIT);
    if (!j || n < 0 || (size_t)n > sizeof j->peer || !zmq_msg_more(&part)) {
        zmq_msg_close(&part);
        free(j);
        return NULL;
    }
    j->peer_len = (size_t)n;
    memcpy(j->peer, zmq_msg_data(&part), j->peer_len);
    zmq_msg_close(&part);
    zmq_msg_init(&part);
    n = zmq_msg_recv(&part, t->router, 0);
    bool extra = n >= 0 && zmq_msg_more(&part);
    *status = n >= 0 ? take_identity(t, j, &part) : GL_OK;
    if (n >= 0) {
        j->msg_len = (size_t)n;
        j->msg = malloc(j->msg_len ? j->msg_len : 1);
        if (j->msg)
            memcpy(j->msg, zmq_msg_data(&part), j->msg_len);
    }
    zmq_msg_close(&part);
    while (extra) { /* a request is one frame: drop the rest, refuse (PROTOCOL.md: too_large) */
        zmq_msg_init(&part);
        extra = zmq_msg_recv(&part, t->router, 0) >= 0 && zmq_msg_more(&part);
        zmq_msg_close(&part);
        if (*status == GL_OK)
            *status = GL_ERR_TOO_LARGE;
    }
    if (n < 0 || !j->msg) {
        job_free(j);
        return NULL;
    }
    return j;
}

/* Authenticate and authorise (admit.c) under the configuration in force. */
static int admit(transport *t, job *j, char *detail, size_t detail_len, uint32_t *item)
{
    j->ledger_id = t->ledger_id;
    return job_admit(j, t->cfg, detail, detail_len, item);
}

static void answer_stats(transport *t, job *j)
{
    gl_buf body;
    gl_buf_init(&body);
    stats_encode(&t->stats, &body);
    job_reply(j, gl_buf_ok(&body) ? GL_OK : GL_ERR_INTERNAL, 0, 0, 0, NULL, &body);
    gl_buf_free(&body);
    send_reply(t, j);
    job_free(j);
}

/* --- reads wait for the writes acknowledged before them ----------------- */

/* A read admitted while acknowledged writes are only in the journal: the
 * reader's snapshot would not see them, so it waits for the LMDB commit
 * that holds them (the writer commits when asked: writer_commit_token). */
struct parked {
    job *j;
    uint64_t seq; /* the last acknowledged journal record at its admission */
    struct parked *next;
};

/* PING reads no ledger data (every command sends one first: it must not
 * cost a commit); STATS never reaches here. */
static bool must_wait(const job *j)
{
    return j->req.kind != GL_KIND_PING && writer_committed_seq() < writer_acked_seq();
}

static void ask_commit(transport *t)
{
    if (!t->commit_asked && job_ptr_send(t->to_writer, writer_commit_token) == 0)
        t->commit_asked = true;
}

static void park_read(transport *t, job *j)
{
    struct parked *p = malloc(sizeof *p);
    if (!p) {
        refuse(t, j, GL_ERR_INTERNAL, 0, "out of memory");
        return;
    }
    *p = (struct parked){.j = j, .seq = writer_acked_seq()};
    if (t->parked_tail)
        t->parked_tail->next = p;
    else
        t->parked_head = p;
    t->parked_tail = p;
    ask_commit(t);
}

/* Hand the parked reads whose writes LMDB has committed to the reader, in
 * order; ask for another commit if some still wait. */
static void release_parked(transport *t)
{
    uint64_t committed = writer_committed_seq();
    while (t->parked_head && t->parked_head->seq <= committed) {
        struct parked *p = t->parked_head;
        t->parked_head = p->next;
        if (!t->parked_head)
            t->parked_tail = NULL;
        if (job_ptr_send(t->to_reader, p->j) != 0)
            refuse(t, p->j, GL_ERR_INTERNAL, 0, "cannot queue the request");
        free(p);
    }
    if (t->parked_head)
        ask_commit(t);
}

/* Admit a received request whose signature is known and hand it on (or
 * refuse it): in arrival order, on this thread. */
static void admit_received(transport *t, job *j)
{
    int st = j->received_status;
    if (st == GL_ERR_KEY_MISMATCH) {
        refuse(t, j, st, 0, "the connection has no authenticated key");
        return;
    }
    if (st != GL_OK) {
        refuse(t, j, st, 0, NULL);
        return;
    }
    char detail[GL_DETAIL_MAX];
    uint32_t item;
    if ((st = admit(t, j, detail, sizeof detail, &item)) != GL_OK) {
        refuse(t, j, st, item, detail);
        return;
    }
    if (j->req.kind == GL_KIND_STATS) { /* answered here: the statistics live on this thread */
        answer_stats(t, j);
        return;
    }
    if (!gl_kind_writes(j->req.kind) && must_wait(j)) {
        park_read(t, j);
        return;
    }
    void *to = gl_kind_writes(j->req.kind) ? t->to_writer : t->to_reader;
    if (job_ptr_send(to, j) != 0)
        refuse(t, j, GL_ERR_INTERNAL, 0, "cannot queue the request");
}

/* Admit the received requests, oldest first, as far as their signatures
 * are known: a request never overtakes one received before it. */
static void admit_ready(transport *t)
{
    while (t->received_head && t->received_head->ready) {
        job *j = t->received_head;
        t->received_head = j->next_received;
        if (!t->received_head)
            t->received_tail = NULL;
        t->received_count--;
        j->next_received = NULL;
        admit_received(t, j);
    }
}

static void handle_request(transport *t)
{
    int st;
    job *j = receive_job(t, &st);
    if (!j)
        return;
    if (st == GL_OK)
        st = j->msg_len > GL_MESSAGE_MAX ? GL_ERR_TOO_LARGE
                                         : gl_request_decode(j->msg, j->msg_len, &j->req);
    if (st != GL_OK)
        memset(&j->req, 0, sizeof j->req);
    j->received_status = st;
    if (t->received_tail)
        t->received_tail->next_received = j;
    else
        t->received_head = j;
    t->received_tail = j;
    t->received_count++;
    /* Refused already, or no thread takes it: admission checks the
     * signature itself (sig_checked stays false). */
    j->ready = st != GL_OK || verify_pool_submit(&t->pool, j) != 0;
    admit_ready(t);
}

/* The requests thread i has checked. */
static void handle_verified(transport *t, unsigned i)
{
    job *j;
    while ((j = verify_pool_take(&t->pool, i)))
        j->ready = true;
    admit_ready(t);
}

/* --- reload ------------------------------------------------------------ */

static void start_reload(transport *t, transport_reload_fn next, void *user)
{
    const gl_config *cfg = next(user, t->cfg);
    if (!cfg)
        return; /* next() said why */
    job *j = keyring_job_new(cfg, t->cfg);
    if (!j || job_ptr_send(t->to_writer, j) != 0) {
        log_line(GL_LOG_ERROR, "transport",
                 "reload: refused: cannot queue the keyring sync; "
                 "keeping the running configuration");
        job_free(j);
        return;
    }
    t->reload_busy = true;
}

static void finish_reload(transport *t, job *j)
{
    char detail[GL_DETAIL_MAX];
    int st = keyring_job_status(j, detail, sizeof detail);
    if (st == GL_OK) {
        t->cfg = j->cfg;
        log_line(GL_LOG_INFO, "transport", "reload: applied (%zu tenants, %zu keys)",
                 t->cfg->tenant_count, t->cfg->key_count);
    } else if (st == GL_ERR_INPUT) {
        log_line(GL_LOG_ERROR, "transport",
                 "reload: refused: %s; keeping the running configuration", detail);
    } else {
        log_line(GL_LOG_ERROR, "transport",
                 "reload: refused: cannot record the keyring (%s); "
                 "keeping the running configuration",
                 detail);
    }
    t->reload_busy = false;
    job_free(j);
}

/* Every job that came back from a worker: answer them all before admitting
 * more requests, so that a commit's replies leave together and its clients
 * come back in time for the next commit (measured: +21 % posting rate from
 * 32 clients, lower p99).  Returns false after the worker's final NULL. */
static bool handle_done(transport *t, void *sock)
{
    for (;;) {
        int rc;
        job *j = job_ptr_recv(sock, ZMQ_DONTWAIT, &rc);
        if (rc != 0)
            return true;
        if (!j)
            return false;
        if ((void *)j == writer_commit_token) {
            t->commit_asked = false;
            release_parked(t);
            continue;
        }
        if (keyring_job_is(j)) {
            finish_reload(t, j);
            continue;
        }
        if (j->exec_end_ns > j->exec_start_ns && j->exec_start_ns > 0)
            stats_record(&t->stats, j->req.kind, (uint64_t)(j->exec_end_ns - j->exec_start_ns));
        send_reply(t, j);
        job_free(j);
    }
}

static void drain_router(transport *t)
{
    for (int k = 0; k < 64 && t->received_count < TRANSPORT_RECEIVED_MAX; k++) {
        int ev = 0;
        size_t evlen = sizeof ev;
        zmq_getsockopt(t->router, ZMQ_EVENTS, &ev, &evlen);
        if (!(ev & ZMQ_POLLIN))
            break;
        handle_request(t);
    }
}

void transport_serve(transport *t, volatile sig_atomic_t *stop, volatile sig_atomic_t *reload,
                     transport_reload_fn next, void *user)
{
    bool writer_alive = true, reader_alive = true, stopping = false, workers_told = false;
    while (writer_alive || reader_alive) {
        if (*stop && !stopping) {
            stopping = true;
            log_line(GL_LOG_INFO, "transport", "stopping");
        }
        if (stopping && !workers_told && !t->received_head && !t->parked_head &&
            !t->commit_asked) { /* the received ones admitted, the parked ones read */
            workers_told = true;
            job_ptr_send(t->to_writer, NULL);
            job_ptr_send(t->to_reader, NULL);
        }
        if (*reload && !stopping && !t->reload_busy && !t->received_head) {
            *reload = 0;
            start_reload(t, next, user);
        }
        zmq_pollitem_t items[5 + VERIFY_POOL_MAX] = {{t->to_writer, 0, ZMQ_POLLIN, 0},
                                                     {t->to_reader, 0, ZMQ_POLLIN, 0},
                                                     {t->monitor, 0, ZMQ_POLLIN, 0}};
        int count = 3, zap_at = -1, router_at = -1, pool_at = count;
        for (unsigned i = 0; i < t->pool.started; i++)
            items[count++] = (zmq_pollitem_t){t->pool.socks[i], 0, ZMQ_POLLIN, 0};
        if (!stopping && t->zap.sock) {
            zap_at = count;
            items[count++] = (zmq_pollitem_t){t->zap.sock, 0, ZMQ_POLLIN, 0};
        }
        /* no intake while a keyring sync is with the writer or about to be,
         * nor while too many requests wait for their signature check */
        if (!stopping && !t->reload_busy && !*reload &&
            t->received_count < TRANSPORT_RECEIVED_MAX) {
            router_at = count;
            items[count++] = (zmq_pollitem_t){t->router, 0, ZMQ_POLLIN, 0};
        }
        if (zmq_poll(items, count, 500) < 0)
            continue; /* EINTR: check the flags */
        if (items[0].revents & ZMQ_POLLIN) {
            writer_alive = handle_done(t, t->to_writer);
            release_parked(t); /* the writer may have committed on its own */
        }
        if (items[1].revents & ZMQ_POLLIN)
            reader_alive = handle_done(t, t->to_reader);
        if (items[2].revents & ZMQ_POLLIN)
            accept_events(t);
        for (unsigned i = 0; i < t->pool.started; i++)
            if (items[pool_at + (int)i].revents & ZMQ_POLLIN)
                handle_verified(t, i);
        if (zap_at >= 0 && (items[zap_at].revents & ZMQ_POLLIN))
            zap_answer(&t->zap, t->cfg);
        if (router_at >= 0 && (items[router_at].revents & ZMQ_POLLIN))
            drain_router(t);
    }
}
