/*
 * daemon/main.c — grandlivred: arguments, configuration, signals, and the
 * transport loop.
 *
 * The main thread owns the ZeroMQ ROUTER socket.  For each message it runs
 * the decode, authenticate and authorise stages (so signature checks never
 * load the writer), then hands the job to the writer thread (requests that
 * change the ledger) or the reader thread (queries), and sends each reply
 * when its job comes back.  SIGTERM/SIGINT stop intake, let the workers
 * finish and commit what they hold, answer it, and close the environment.
 */
#include "config.h"
#include "job.h"
#include "ledger.h"
#include "stats.h"
#include "workers.h"
#include "store/store.h"

#include "proto/limits.h"
#include "proto/request.h"
#include "proto/status.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: grandlivred -c CONFIG [-n] [--pidfile FILE]\n"
            "\n"
            "The Grand Livre ledger daemon: one double-entry ledger per tenant in LMDB,\n"
            "Ed25519-signed requests over ZeroMQ.\n"
            "\n"
            "  -c, --config FILE   configuration file (INI; see README.md)\n"
            "  -n, --check         check the configuration, report every error as\n"
            "                      file:line: message, and exit (0 if valid)\n"
            "      --pidfile FILE  write the process id to FILE once serving\n"
            "  -h, --help          this text\n"
            "\n"
            "Stops cleanly on SIGTERM or SIGINT.\n");
}

struct server {
    const gl_config *cfg;
    store *st;
    void *zctx, *router, *to_writer, *to_reader;
    worker writer, reader;
    gl_stats stats;
};

static void send_reply(struct server *s, const uint8_t *peer, size_t peer_len, const gl_buf *reply)
{
    if (zmq_send(s->router, peer, peer_len, ZMQ_SNDMORE) < 0 ||
        zmq_send(s->router, reply->data, reply->len, 0) < 0)
        fprintf(stderr, "grandlivred: cannot send a reply: %s\n", zmq_strerror(errno));
}

/* Refuse a request before it reaches a worker. */
static void refuse(struct server *s, job *j, int status, uint32_t item, const char *detail)
{
    job_reply(j, status, 0, item, 0, detail, NULL);
    send_reply(s, j->peer, j->peer_len, &j->reply);
    job_free(j);
}

/* Read one [peer][payload] message from the router into a new job. */
static job *receive_job(struct server *s)
{
    job *j = calloc(1, sizeof *j);
    zmq_msg_t part;
    zmq_msg_init(&part);
    int n = zmq_msg_recv(&part, s->router, ZMQ_DONTWAIT);
    if (!j || n < 0 || (size_t)n > sizeof j->peer || !zmq_msg_more(&part)) {
        zmq_msg_close(&part);
        free(j);
        return NULL;
    }
    j->peer_len = (size_t)n;
    memcpy(j->peer, zmq_msg_data(&part), j->peer_len);
    zmq_msg_close(&part);
    zmq_msg_init(&part);
    n = zmq_msg_recv(&part, s->router, 0);
    bool extra = n >= 0 && zmq_msg_more(&part);
    if (n >= 0) {
        j->msg_len = (size_t)n;
        j->msg = malloc(j->msg_len ? j->msg_len : 1);
        if (j->msg)
            memcpy(j->msg, zmq_msg_data(&part), j->msg_len);
    }
    zmq_msg_close(&part);
    while (extra) { /* drop any further frames: a request is one frame */
        zmq_msg_init(&part);
        extra = zmq_msg_recv(&part, s->router, 0) >= 0 && zmq_msg_more(&part);
        zmq_msg_close(&part);
        j->msg_len = GL_MESSAGE_MAX + 1; /* refuse as malformed below */
    }
    if (n < 0 || !j->msg) {
        job_free(j);
        return NULL;
    }
    return j;
}

static void handle_request(struct server *s)
{
    job *j = receive_job(s);
    if (!j)
        return;
    int st = j->msg_len > GL_MESSAGE_MAX ? GL_ERR_TOO_LARGE : gl_request_decode(j->msg, j->msg_len, &j->req);
    if (st != GL_OK) {
        memset(&j->req, 0, sizeof j->req);
        refuse(s, j, st, 0, NULL);
        return;
    }
    char detail[GL_DETAIL_MAX];
    uint32_t item;
    st = job_admit(j, s->cfg, detail, sizeof detail, &item);
    if (st != GL_OK) {
        refuse(s, j, st, item, detail);
        return;
    }
    if (j->req.kind == GL_KIND_STATS) { /* answered here: the statistics live on this thread */
        gl_buf body;
        gl_buf_init(&body);
        stats_encode(&s->stats, &body);
        job_reply(j, gl_buf_ok(&body) ? GL_OK : GL_ERR_INTERNAL, 0, 0, 0, NULL, &body);
        gl_buf_free(&body);
        send_reply(s, j->peer, j->peer_len, &j->reply);
        job_free(j);
        return;
    }
    void *to = gl_kind_writes(j->req.kind) ? s->to_writer : s->to_reader;
    if (job_ptr_send(to, j) != 0) {
        refuse(s, j, GL_ERR_INTERNAL, 0, "cannot queue the request");
        return;
    }
}

/* A job came back from a worker: answer it. Returns false for the worker's
 * final NULL. */
static bool handle_done(struct server *s, void *sock)
{
    int rc;
    job *j = job_ptr_recv(sock, ZMQ_DONTWAIT, &rc);
    if (rc != 0)
        return true;
    if (!j)
        return false;
    if (j->exec_end_ns > j->exec_start_ns && j->exec_start_ns > 0)
        stats_record(&s->stats, j->req.kind, (uint64_t)(j->exec_end_ns - j->exec_start_ns));
    send_reply(s, j->peer, j->peer_len, &j->reply);
    job_free(j);
    return true;
}

static int bind_pair(struct server *s, void **sock, const char *endpoint)
{
    *sock = zmq_socket(s->zctx, ZMQ_PAIR);
    return *sock && zmq_bind(*sock, endpoint) == 0 ? 0 : -1;
}

static int open_transport(struct server *s)
{
    s->zctx = zmq_ctx_new();
    s->router = zmq_socket(s->zctx, ZMQ_ROUTER);
    int64_t max_msg = GL_MESSAGE_MAX + 1024;
    int linger_ms = 0, hwm = 100000;
    if (!s->router ||
        zmq_setsockopt(s->router, ZMQ_MAXMSGSIZE, &max_msg, sizeof max_msg) ||
        zmq_setsockopt(s->router, ZMQ_LINGER, &linger_ms, sizeof linger_ms) ||
        zmq_setsockopt(s->router, ZMQ_RCVHWM, &hwm, sizeof hwm) ||
        zmq_setsockopt(s->router, ZMQ_SNDHWM, &hwm, sizeof hwm) ||
        zmq_bind(s->router, s->cfg->endpoint) != 0) {
        fprintf(stderr, "grandlivred: cannot listen on %s: %s\n", s->cfg->endpoint, zmq_strerror(errno));
        return -1;
    }
    if (bind_pair(s, &s->to_writer, "inproc://gl-writer") || bind_pair(s, &s->to_reader, "inproc://gl-reader")) {
        fprintf(stderr, "grandlivred: cannot create worker sockets: %s\n", zmq_strerror(errno));
        return -1;
    }
    return 0;
}

static void serve(struct server *s)
{
    bool writer_alive = true, reader_alive = true, stopping = false;
    while (writer_alive || reader_alive) {
        if (stop_requested && !stopping) {
            stopping = true;
            fprintf(stderr, "grandlivred: stopping\n");
            job_ptr_send(s->to_writer, NULL);
            job_ptr_send(s->to_reader, NULL);
        }
        zmq_pollitem_t items[] = {
            {s->to_writer, 0, ZMQ_POLLIN, 0},
            {s->to_reader, 0, ZMQ_POLLIN, 0},
            {s->router, 0, ZMQ_POLLIN, 0},
        };
        int n = zmq_poll(items, stopping ? 2 : 3, 500);
        if (n < 0)
            continue; /* EINTR: check the flag */
        if (items[0].revents & ZMQ_POLLIN)
            writer_alive = handle_done(s, s->to_writer);
        if (items[1].revents & ZMQ_POLLIN)
            reader_alive = handle_done(s, s->to_reader);
        if (!stopping && (items[2].revents & ZMQ_POLLIN))
            for (int k = 0; k < 64; k++) {
                int ev = 0;
                size_t evlen = sizeof ev;
                zmq_getsockopt(s->router, ZMQ_EVENTS, &ev, &evlen);
                if (!(ev & ZMQ_POLLIN))
                    break;
                handle_request(s);
            }
    }
}

static int write_pidfile(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "%ld\n", (long)getpid());
    return fclose(f);
}

static int run(const gl_config *cfg, const char *pidfile)
{
    struct server s = {.cfg = cfg};
    char err[512];
    if (store_open(&s.st, cfg->data_dir, cfg->map_size_mb << 20, err, sizeof err) != GL_OK) {
        fprintf(stderr, "grandlivred: %s\n", err);
        return 1;
    }
    if (ledger_init_tenants(s.st, cfg) != GL_OK) {
        fprintf(stderr, "grandlivred: cannot record the configured tenants\n");
        store_close(s.st);
        return 1;
    }
    if (open_transport(&s) != 0) {
        zmq_ctx_term(s.zctx);
        store_close(s.st);
        return 1;
    }
    s.writer = (worker){.zctx = s.zctx, .endpoint = "inproc://gl-writer", .st = s.st, .batch_max = cfg->batch_max};
    s.reader = (worker){.zctx = s.zctx, .endpoint = "inproc://gl-reader", .st = s.st, .batch_max = 1};
    if (writer_start(&s.writer) || reader_start(&s.reader)) {
        fprintf(stderr, "grandlivred: cannot start threads\n");
        return 1;
    }
    if (pidfile && write_pidfile(pidfile) != 0)
        fprintf(stderr, "grandlivred: cannot write %s: %s\n", pidfile, strerror(errno));
    fprintf(stderr, "grandlivred: serving %zu tenants on %s\n", cfg->tenant_count, cfg->endpoint);
    serve(&s);
    worker_join(&s.writer);
    worker_join(&s.reader);
    zmq_close(s.router);
    zmq_close(s.to_writer);
    zmq_close(s.to_reader);
    zmq_ctx_term(s.zctx);
    store_close(s.st);
    if (pidfile)
        unlink(pidfile);
    fprintf(stderr, "grandlivred: stopped\n");
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"config", required_argument, NULL, 'c'},
        {"check", no_argument, NULL, 'n'},
        {"pidfile", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *config_path = NULL, *pidfile = NULL;
    bool check_only = false;
    int opt;
    while ((opt = getopt_long(argc, argv, "c:nh", options, NULL)) != -1) {
        switch (opt) {
        case 'c': config_path = optarg; break;
        case 'n': check_only = true; break;
        case 'p': pidfile = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (!config_path || optind != argc) {
        usage(stderr);
        return 2;
    }
    if (sodium_init() < 0) {
        fprintf(stderr, "grandlivred: libsodium failed to initialise\n");
        return 1;
    }
    gl_config cfg;
    int errors = gl_config_load(config_path, &cfg);
    for (size_t i = 0; i < cfg.error_count; i++)
        fprintf(stderr, "%s\n", cfg.errors[i]);
    if (errors || check_only) {
        if (check_only && !errors)
            fprintf(stderr, "%s: configuration ok (%zu tenants, %zu keys)\n", config_path, cfg.tenant_count, cfg.key_count);
        gl_config_free(&cfg);
        return errors ? 1 : 0;
    }
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    int rc = run(&cfg, pidfile);
    gl_config_free(&cfg);
    return rc;
}
