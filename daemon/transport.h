/*
 * daemon/transport.h — the daemon's only network-facing code: the ZeroMQ
 * ROUTER socket clients connect to, secured with CURVE, the ZAP handler
 * that admits keys (zap.h), the server's long-term CURVE key, and the loop
 * of the transport thread (the main thread).
 *
 * Every connection is CURVE-encrypted unless the configuration says
 * `curve = off` (refused on tcp://).  With CURVE, each message carries the
 * User-Id the ZAP handler set for its connection: the transport copies it
 * into job->peer_curve_key, and admission refuses a request signed by any
 * other key (key_mismatch).  Limits on the socket: ZMQ_MAXMSGSIZE (a larger
 * message drops its connection, unread), ZMQ_HANDSHAKE_IVL (a connection
 * that does not finish its handshake in time is closed, so idle or
 * half-open connections cannot pile up), per-connection queue bounds.
 * When the process runs out of descriptors, libzmq cannot accept: waiting
 * connections stay in the kernel's backlog (libzmq 4.3 retries at once, so
 * one I/O thread spins) until connections close; the transport logs it,
 * at most every ten seconds, and keeps serving established connections.
 *
 * The loop decodes and admits each request (decode, signature, keyring,
 * role, tenants: admit.c), hands it to the writer or the reader thread,
 * and sends each reply when its job comes back.  The signatures are checked
 * on the threads of verify_pool.h (as many as cores, or [daemon]
 * verify_threads); the requests wait for theirs in arrival order, so that
 * the rest of admission, the refusals and the hand-over to the workers keep
 * the order in which requests were received, as when one thread did all.
 * On reload (and on stop) it first admits the requests already received;
 * on reload it then sends the new
 * configuration's keyring sync to the writer (keyring.h), reads no request
 * until the sync comes back committed, and then switches to that
 * configuration (for admission and for the ZAP handler).  So every write
 * admitted under the old keyring is committed no later than the sync that
 * ends it (recorded_ms <= until_ms in the history); requests admitted
 * before keep the configuration they were admitted under (job->cfg), which
 * the caller keeps alive.
 */
#ifndef GL_TRANSPORT_H
#define GL_TRANSPORT_H

#include "config.h"
#include "stats.h"
#include "verify_pool.h"
#include "zap.h"

#include "proto/limits.h"

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TRANSPORT_MAXMSGSIZE ((int64_t)GL_MESSAGE_MAX + 1024) /* larger: connection dropped */
#define TRANSPORT_QUEUE_MAX 1000    /* messages queued per connection, each way */
#define TRANSPORT_BACKLOG 1024      /* connections the kernel holds until accepted */
#define TRANSPORT_RECEIVED_MAX 1024 /* requests awaiting their signature check */
#define TRANSPORT_WRITER_ENDPOINT "inproc://gl-writer"
#define TRANSPORT_READER_ENDPOINT "inproc://gl-reader"
#define SERVER_KEY_FILE "server.key" /* in data_dir */

typedef struct transport {
    void *zctx, *router, *to_writer, *to_reader;
    void *monitor; /* the router's accept failures (out of descriptors) */
    int64_t accept_logged_ms;
    unsigned accept_failures;
    zap zap;
    const gl_config *cfg; /* admits new requests and connections */
    gl_stats stats;
    bool reload_busy;                      /* a keyring sync job is with the writer */
    uint8_t ledger_id[GL_LEDGER_ID_BYTES]; /* requests must be signed for it (set before serving) */
    verify_pool pool;                      /* checks signatures (verify_pool.h) */
    struct job *received_head, *received_tail; /* in arrival order, until admitted */
    size_t received_count;
    struct parked *parked_head, *parked_tail; /* reads waiting for LMDB's commit (workers.h) */
    bool commit_asked;                        /* writer_commit_token is with the writer */
} transport;

/* Load the daemon's CURVE key pair from data_dir/server.key, creating the
 * directory (0700) and the file (0600, never overwritten) if missing.
 * Refuses a file readable by others or that does not hold a matching pair.
 * 0, or -1 with a sentence in err. */
int transport_server_key(const char *data_dir, uint8_t pk[32], uint8_t sk[32], char *err,
                         size_t err_len);

/* Make sock a CURVE server with secret key sk that only a ZAP handler can
 * admit clients to (ZAP domain set and enforced).  Refuses when libzmq has
 * no CURVE.  0, or -1 with a sentence in err. */
int transport_curve_server(void *sock, const uint8_t sk[32], char *err, size_t err_len);

/* Bind everything for cfg (server_sk: the CURVE secret key, ignored when
 * cfg->curve is off).  0, or -1 with a sentence in err (t then closed). */
int transport_open(transport *t, const gl_config *cfg, const uint8_t server_sk[32], char *err,
                   size_t err_len);
void transport_close(transport *t);

/* Given the running configuration, returns the one to switch to, or NULL
 * (having said why). */
typedef const gl_config *(*transport_reload_fn)(void *user, const gl_config *running);

/* Serve until *stop is set and both workers have answered their final
 * NULL.  When *reload is set, clears it and calls next(user). */
void transport_serve(transport *t, volatile sig_atomic_t *stop, volatile sig_atomic_t *reload,
                     transport_reload_fn next, void *user);

#endif
