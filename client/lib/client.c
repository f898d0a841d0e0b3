/*
 * client/lib/client.c — connection and calls.  A DEALER socket sends one
 * frame per request; the reply is matched by request id (a late reply to an
 * earlier, timed-out call is discarded).  Every wait is bounded by the
 * timeout: the client never hangs.
 *
 * Failures that ZeroMQ handles silently are watched through a socket
 * monitor: a refused or failed CURVE handshake (unknown key, wrong server
 * key, a peer without CURVE) and a connection dropped while a reply is
 * awaited (the daemon drops the connection of a message over its
 * ZMQ_MAXMSGSIZE, and so does this client for a reply over its own) end
 * the call at once with an error instead of a wait for the timeout.
 * libzmq gives up on an endpoint whose handshake failed (it does not
 * reconnect after a refusal), so the next call connects again: a key added
 * to the daemon's keyring since is then accepted.  Invariant: the client's
 * CURVE secret key never outlives the zmq_setsockopt that hands it to
 * libzmq.
 *
 * Every request is signed for the ledger id (protocol version 2): the
 * pinned one, or the one the daemon's PING reply gives, asked once (with
 * the all-zero id PING alone may carry) before the first other call.  It
 * is never asked again on the same gl_client: a daemon that comes back
 * with another ledger at the same endpoint gets requests signed for the
 * first one, and refuses them (206), rather than the client following it.
 */
#include "grandlivre.h"

#include "proto/query.h"
#include "proto/reply.h"

#include <errno.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#define CLIENT_MAXMSGSIZE ((int64_t)GL_MESSAGE_MAX + 8192)
#define MONITOR_ENDPOINT "inproc://gl-client-monitor"
#define HANDSHAKE_TRIES 3     /* handshakes cut short before a call gives up */
#define CONNECT_CHECK_MS 1000 /* refused connections for this long: no daemon there */
#define CONNECT_POLL_MS 100   /* how often an unconnected call looks again */
#define MONITOR_EVENTS                                                          \
    (ZMQ_EVENT_CONNECTED | ZMQ_EVENT_CONNECT_RETRIED | ZMQ_EVENT_DISCONNECTED | \
     ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL |     \
     ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH)

/* What the monitor has told us about the connection. */
enum link { LINK_WAITING, LINK_UP, LINK_LOST, LINK_FAILED };

struct gl_client {
    void *zctx;
    void *sock;
    void *monitor;
    gl_key key;
    char *endpoint;
    int timeout_ms;
    enum link link;
    int failure;                           /* the status of LINK_FAILED / LINK_LOST */
    int closed_in_handshake;               /* this call: handshakes the peer cut short */
    bool connected;                        /* the transport (socket) is up, handshake or not */
    bool refused;                          /* a connection attempt failed since the last one up */
    char error[256];                       /* gl_client_error */
    uint8_t ledger_id[GL_LEDGER_ID_BYTES]; /* what requests are signed for */
    bool ledger_known;                     /* pinned, or learnt from a PING reply */
};

static int fail(gl_client *c, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(gl_client *c, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->error, sizeof c->error, fmt, ap);
    va_end(ap);
    return status;
}

/* Set the CURVE client options: our keys derived from the Ed25519 pair. */
static int set_curve(void *sock, const gl_key *key, const uint8_t server_key[32])
{
    uint8_t curve_pk[32], curve_sk[32];
    int rc = -1;
    if (crypto_sign_ed25519_pk_to_curve25519(curve_pk, key->pk) == 0 &&
        crypto_sign_ed25519_sk_to_curve25519(curve_sk, key->sk) == 0)
        rc = zmq_setsockopt(sock, ZMQ_CURVE_SERVERKEY, server_key, 32) ||
                     zmq_setsockopt(sock, ZMQ_CURVE_PUBLICKEY, curve_pk, 32) ||
                     zmq_setsockopt(sock, ZMQ_CURVE_SECRETKEY, curve_sk, 32)
                 ? -1
                 : 0;
    sodium_memzero(curve_sk, sizeof curve_sk);
    return rc;
}

static int open_monitor(gl_client *c)
{
    if (zmq_socket_monitor(c->sock, MONITOR_ENDPOINT, MONITOR_EVENTS) != 0)
        return -1;
    c->monitor = zmq_socket(c->zctx, ZMQ_PAIR);
    int linger_ms = 0;
    if (!c->monitor || zmq_setsockopt(c->monitor, ZMQ_LINGER, &linger_ms, sizeof linger_ms) != 0)
        return -1;
    return zmq_connect(c->monitor, MONITOR_ENDPOINT);
}

int gl_client_open_pinned(gl_client **out, const char *endpoint, const gl_key *key,
                          const uint8_t *server_key, int timeout_ms, char *err, size_t err_len)
{
    *out = NULL;
    if (sodium_init() < 0) {
        snprintf(err, err_len, "libsodium failed to initialise");
        return GL_ERR_CONNECT;
    }
    gl_client *c = calloc(1, sizeof *c);
    if (!c)
        return GL_ERR_NOMEM;
    c->key = *key;
    c->timeout_ms = timeout_ms;
    c->endpoint = strdup(endpoint);
    c->zctx = c->endpoint ? zmq_ctx_new() : NULL;
    c->sock = c->zctx ? zmq_socket(c->zctx, ZMQ_DEALER) : NULL;
    int linger_ms = 0;
    int64_t max_msg = CLIENT_MAXMSGSIZE;
    if (!c->sock || zmq_setsockopt(c->sock, ZMQ_LINGER, &linger_ms, sizeof linger_ms) ||
        zmq_setsockopt(c->sock, ZMQ_MAXMSGSIZE, &max_msg, sizeof max_msg) ||
        (server_key && !zmq_has("curve")) ||
        (server_key && set_curve(c->sock, key, server_key) != 0) || open_monitor(c) != 0 ||
        zmq_connect(c->sock, endpoint) != 0) {
        snprintf(err, err_len, "cannot connect to %s: %s", endpoint,
                 server_key && !zmq_has("curve") ? "this libzmq has no CURVE"
                                                 : zmq_strerror(errno));
        gl_client_close(c);
        return GL_ERR_CONNECT;
    }
    *out = c;
    return GL_OK;
}

int gl_client_open(gl_client **out, const char *endpoint, const gl_key *key, int timeout_ms,
                   char *err, size_t err_len)
{
    uint8_t server_key[32];
    *out = NULL;
    if (gl_server_key_parse(getenv("GRANDLIVRE_SERVER_KEY"), server_key) != GL_OK) {
        snprintf(err, err_len,
                 "GRANDLIVRE_SERVER_KEY must hold the daemon's public key "
                 "(64 hex digits, from grandlivred --print-server-key)");
        return GL_ERR_CONNECT;
    }
    const char *ledger = getenv("GRANDLIVRE_LEDGER_ID");
    uint8_t ledger_id[GL_LEDGER_ID_BYTES];
    if (ledger && ledger[0] && gl_ledger_id_parse(ledger, ledger_id) != GL_OK) {
        snprintf(err, err_len,
                 "GRANDLIVRE_LEDGER_ID must hold the daemon's ledger id "
                 "(32 hex digits, from grandlivred --print-ledger-id or grandlivre whoami)");
        return GL_ERR_CONNECT;
    }
    int st = gl_client_open_pinned(out, endpoint, key, server_key, timeout_ms, err, err_len);
    if (st == GL_OK && ledger && ledger[0])
        gl_client_pin_ledger(*out, ledger_id);
    return st;
}

int gl_ledger_id_parse(const char *text, uint8_t out[GL_LEDGER_ID_BYTES])
{
    size_t len;
    if (!text || strlen(text) != 2 * GL_LEDGER_ID_BYTES ||
        sodium_hex2bin(out, GL_LEDGER_ID_BYTES, text, 2 * GL_LEDGER_ID_BYTES, NULL, &len, NULL) !=
            0 ||
        len != GL_LEDGER_ID_BYTES)
        return GL_ERR_USAGE;
    return GL_OK;
}

void gl_client_pin_ledger(gl_client *c, const uint8_t id[GL_LEDGER_ID_BYTES])
{
    memcpy(c->ledger_id, id, GL_LEDGER_ID_BYTES);
    c->ledger_known = true;
}

void gl_client_close(gl_client *c)
{
    if (!c)
        return;
    if (c->sock)
        zmq_socket_monitor(c->sock, NULL, 0);
    if (c->monitor)
        zmq_close(c->monitor);
    if (c->sock)
        zmq_close(c->sock);
    if (c->zctx)
        zmq_ctx_term(c->zctx);
    gl_key_wipe(&c->key);
    free(c->endpoint);
    free(c);
}

const char *gl_client_error(const gl_client *c) { return c ? c->error : ""; }

int gl_server_key_parse(const char *text, uint8_t out[32])
{
    size_t len;
    if (!text || strlen(text) != 64 || sodium_hex2bin(out, 32, text, 64, NULL, &len, NULL) != 0 ||
        len != 32)
        return GL_ERR_USAGE;
    return GL_OK;
}

void gl_fingerprint(const uint8_t pk[32], char out[GL_FINGERPRINT_LEN])
{
    uint8_t h[32];
    char hex[17];
    crypto_generichash(h, sizeof h, pk, 32, NULL, 0);
    sodium_bin2hex(hex, sizeof hex, h, 8);
    snprintf(out, GL_FINGERPRINT_LEN, "%.4s-%.4s-%.4s-%.4s", hex, hex + 4, hex + 8, hex + 12);
}

/* --- the monitor ------------------------------------------------------- */

static void on_event(gl_client *c, uint16_t event, uint32_t value)
{
    switch (event) {
    case ZMQ_EVENT_CONNECTED:
        c->connected = true;
        c->refused = false;
        break;
    case ZMQ_EVENT_CONNECT_RETRIED: c->refused = true; break;
    case ZMQ_EVENT_HANDSHAKE_SUCCEEDED: c->link = LINK_UP; break;
    case ZMQ_EVENT_DISCONNECTED:
        c->connected = false;
        if (c->link == LINK_UP) {
            c->link = LINK_LOST;
            c->failure = fail(c, GL_ERR_CONNECT,
                              "the daemon closed the connection before replying "
                              "(it drops a message over its size limit this way)");
        }
        break;
    case ZMQ_EVENT_HANDSHAKE_FAILED_AUTH:
        c->link = LINK_FAILED;
        c->failure = value == 400 ? fail(c, GL_ERR_UNKNOWN_KEY,
                                         "the daemon refused this key when connecting "
                                         "(it is not in its keyring, or it was revoked)")
                                  : fail(c, GL_ERR_CONNECT,
                                         "the daemon refused the connection (ZAP status %u)",
                                         (unsigned)value);
        break;
    case ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL:
        c->link = LINK_FAILED;
        /* A message the pinned key cannot open: the peer holds another key. */
        c->failure =
            value == ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH
                ? fail(c, GL_ERR_CONNECT,
                       "the peer does not use the same security (CURVE on one "
                       "side only); refusing to talk to it")
            : value == ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC
                ? fail(c, GL_ERR_SERVER_KEY,
                       "the daemon at %s answers with another key than the "
                       "pinned server key (compare it with grandlivred --print-server-key)",
                       c->endpoint)
                : fail(c, GL_ERR_CONNECT, "secure handshake failed (protocol error 0x%x)",
                       (unsigned)value);
        break;
    case ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL:
        /* A wrong server key, a daemon without CURVE, or a busy daemon whose
         * handshake timeout struck: libzmq tries again, and so do we, a few
         * times. */
        if (++c->closed_in_handshake < HANDSHAKE_TRIES)
            break;
        c->link = LINK_FAILED;
        c->failure = fail(
            c, GL_ERR_SERVER_KEY,
            "the peer at %s closed the connection during the secure "
            "handshake %d times: it holds another key than the pinned server key (compare it with "
            "grandlivred --print-server-key), or it is a daemon without CURVE",
            c->endpoint, c->closed_in_handshake);
        break;
    default: break;
    }
}

/* Read every event waiting on the monitor. */
static void read_events(gl_client *c)
{
    for (;;) {
        zmq_msg_t head, addr;
        zmq_msg_init(&head);
        if (zmq_msg_recv(&head, c->monitor, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&head);
            return;
        }
        zmq_msg_init(&addr);
        if (zmq_msg_more(&head))
            zmq_msg_recv(&addr, c->monitor, 0);
        if (zmq_msg_size(&head) == 6) {
            const uint8_t *d = zmq_msg_data(&head);
            uint16_t event;
            uint32_t value;
            memcpy(&event, d, 2); /* host order, as libzmq writes them */
            memcpy(&value, d + 2, 4);
            on_event(c, event, value);
        }
        zmq_msg_close(&head);
        zmq_msg_close(&addr);
    }
}

/* --- calls ------------------------------------------------------------- */

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Nothing listens at the endpoint: every connection attempt since the
 * call began CONNECT_CHECK_MS ago was refused (ipc: no socket file, or
 * one no daemon holds; tcp: a reset).  Told apart from a slow daemon,
 * which accepts the connection and is left the whole timeout to answer.
 * GL_ERR_NO_DAEMON or GL_OK (keep waiting). */
static int check_absent(gl_client *c, int64_t since_ms)
{
    if (c->connected || !c->refused || mono_ms() - since_ms < CONNECT_CHECK_MS)
        return GL_OK;
    return fail(c, GL_ERR_NO_DAEMON, "no daemon answering at %s", c->endpoint);
}

/* How long to poll: until the deadline, or the next look at the link. */
static long poll_ms(const gl_client *c, int64_t left_ms)
{
    return !c->connected && left_ms > CONNECT_POLL_MS ? CONNECT_POLL_MS : (long)left_ms;
}

/* Take one message off the socket; GL_OK if it is our reply. */
static int take_reply(gl_client *c, uint64_t request_id, gl_response *resp)
{
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    if (zmq_msg_recv(&msg, c->sock, ZMQ_DONTWAIT) < 0) {
        zmq_msg_close(&msg);
        return GL_ERR_TIMEOUT;
    }
    gl_buf_reset(&resp->raw);
    gl_put_bytes(&resp->raw, zmq_msg_data(&msg), zmq_msg_size(&msg));
    zmq_msg_close(&msg);
    if (!gl_buf_ok(&resp->raw))
        return GL_ERR_NOMEM;
    if (gl_reply_decode(resp->raw.data, resp->raw.len, &resp->reply) != GL_OK)
        return GL_ERR_TIMEOUT; /* not a reply we understand: keep waiting */
    if (resp->reply.request_id == request_id || resp->reply.request_id == 0)
        return GL_OK;
    return GL_ERR_TIMEOUT; /* a late reply to an earlier call */
}

/* Wait for the reply to request_id until deadline_ms, or a failure.  A
 * reply already received wins over a failure seen at the same time. */
static int wait_reply(gl_client *c, uint64_t request_id, int64_t since_ms, int64_t deadline_ms,
                      gl_response *resp)
{
    for (;;) {
        int st = take_reply(c, request_id, resp);
        if (st != GL_ERR_TIMEOUT)
            return st;
        read_events(c);
        if (c->link == LINK_FAILED || c->link == LINK_LOST)
            return c->failure;
        if ((st = check_absent(c, since_ms)) != GL_OK)
            return st;
        int64_t left = deadline_ms - mono_ms();
        if (left <= 0)
            return fail(c, GL_ERR_TIMEOUT, "no reply within %d ms", c->timeout_ms);
        zmq_pollitem_t items[] = {{c->sock, 0, ZMQ_POLLIN, 0}, {c->monitor, 0, ZMQ_POLLIN, 0}};
        if (zmq_poll(items, 2, poll_ms(c, left)) < 0 && errno != EINTR)
            return fail(c, GL_ERR_CONNECT, "poll: %s", zmq_strerror(errno));
    }
}

/* Queue the request; a DEALER with no connection yet waits for one. */
static int send_request(gl_client *c, const gl_buf *req, int64_t since_ms, int64_t deadline_ms)
{
    while (zmq_send(c->sock, req->data, req->len, ZMQ_DONTWAIT) < 0) {
        if (errno != EAGAIN && errno != EINTR)
            return fail(c, GL_ERR_CONNECT, "cannot send: %s", zmq_strerror(errno));
        read_events(c);
        if (c->link == LINK_FAILED)
            return c->failure;
        int st = check_absent(c, since_ms);
        if (st != GL_OK)
            return st;
        int64_t left = deadline_ms - mono_ms();
        if (left <= 0)
            return fail(c, GL_ERR_TIMEOUT, "could not send within %d ms", c->timeout_ms);
        zmq_pollitem_t items[] = {{c->sock, 0, ZMQ_POLLOUT, 0}, {c->monitor, 0, ZMQ_POLLIN, 0}};
        zmq_poll(items, 2, poll_ms(c, left));
    }
    return GL_OK;
}

/* The signed bytes of one request for ledger_id into req (reset first). */
static int encode_signed(gl_client *c, uint16_t kind, const uint8_t *ledger_id, const char *tenant,
                         uint64_t request_id, const void *body, size_t body_len, gl_buf *req)
{
    gl_buf_reset(req);
    int st = gl_request_encode(req, kind, ledger_id, c->key.sk, tenant, request_id, now_ms(), body,
                               body_len);
    if (st == GL_OK && req->len > GL_MESSAGE_MAX)
        st = GL_ERR_TOO_LARGE;
    if (st != GL_OK)
        fail(c, st, "cannot encode the request: %s", gl_status_message(st));
    return st;
}

/* Send signed bytes, waiting (until the timeout) for a connection. */
static int send_signed(gl_client *c, const gl_buf *req)
{
    int st = GL_OK;
    /* What happened before this call (a failed attempt, a reconnection)
     * is past: only what happens from now on decides this call. */
    read_events(c);
    if (c->link == LINK_FAILED) {
        zmq_disconnect(c->sock, c->endpoint); /* whatever is left of the refused attempt */
        if (zmq_connect(c->sock, c->endpoint) != 0)
            st = fail(c, GL_ERR_CONNECT, "cannot connect to %s: %s", c->endpoint,
                      zmq_strerror(errno));
    }
    if (c->link != LINK_UP)
        c->link = LINK_WAITING;
    c->closed_in_handshake = 0;
    int64_t since = mono_ms();
    return st == GL_OK ? send_request(c, req, since, since + c->timeout_ms) : st;
}

/* One signed request for ledger_id and its reply. */
static int call_once(gl_client *c, uint16_t kind, const uint8_t *ledger_id, const char *tenant,
                     uint64_t request_id, const void *body, size_t body_len, gl_response *resp)
{
    gl_buf req;
    gl_buf_init(&req);
    int st = encode_signed(c, kind, ledger_id, tenant, request_id, body, body_len, &req);
    int64_t since = mono_ms();
    if (st == GL_OK)
        st = send_signed(c, &req);
    if (st == GL_OK)
        st = wait_reply(c, request_id, since, since + c->timeout_ms, resp);
    gl_buf_free(&req);
    return st;
}

/* Learn the ledger id from a successful PING reply (if not known yet). */
static int learn_ledger(gl_client *c, const gl_response *resp)
{
    gl_reply_ping p;
    if (resp->reply.status != GL_OK || c->ledger_known)
        return GL_OK;
    if (gl_reply_ping_decode(gl_reply_view(resp->reply.body, resp->reply.body_len), &p) != GL_OK ||
        gl_ledger_id_is_zero(p.ledger_id))
        return fail(c, GL_ERR_VERSION,
                    "the daemon's PING reply carries no ledger id "
                    "(a daemon older than protocol version 2?)");
    memcpy(c->ledger_id, p.ledger_id, GL_LEDGER_ID_BYTES);
    c->ledger_known = true;
    return GL_OK;
}

/* A PING signed for the known ledger id, or for none (all zero). */
static int ping(gl_client *c, gl_response *resp)
{
    static const uint8_t zero[GL_LEDGER_ID_BYTES];
    int st = call_once(c, GL_KIND_PING, c->ledger_known ? c->ledger_id : zero, "",
                       gl_request_id_random(), NULL, 0, resp);
    return st == GL_OK ? learn_ledger(c, resp) : st;
}

int gl_call(gl_client *c, uint16_t kind, const char *tenant, uint64_t request_id, const void *body,
            size_t body_len, gl_response *resp)
{
    gl_buf_init(&resp->raw);
    memset(&resp->reply, 0, sizeof resp->reply);
    c->error[0] = '\0';
    if (request_id == 0)
        request_id = gl_request_id_random();
    if (!c->ledger_known && kind != GL_KIND_PING) {
        /* The daemon's refusal of the PING (unknown key, clock) would be
         * this request's too: it is the answer. */
        int st = ping(c, resp);
        if (st != GL_OK || resp->reply.status != GL_OK)
            return st;
        gl_response_free(resp);
        gl_buf_init(&resp->raw);
    }
    static const uint8_t zero[GL_LEDGER_ID_BYTES];
    int st = call_once(c, kind, c->ledger_known ? c->ledger_id : zero, tenant, request_id, body,
                       body_len, resp);
    if (st == GL_OK && kind == GL_KIND_PING)
        st = learn_ledger(c, resp);
    return st;
}

int gl_sign_request(gl_client *c, uint16_t kind, const char *tenant, uint64_t request_id,
                    const void *body, size_t body_len, gl_buf *req)
{
    c->error[0] = '\0';
    uint8_t id[GL_LEDGER_ID_BYTES];
    int st = gl_client_ledger_id(c, id);
    return st == GL_OK ? encode_signed(c, kind, id, tenant, request_id, body, body_len, req) : st;
}

int gl_send_signed(gl_client *c, const gl_buf *req)
{
    c->error[0] = '\0';
    return send_signed(c, req);
}

int gl_recv(gl_client *c, uint64_t request_id, gl_response *resp)
{
    gl_buf_init(&resp->raw);
    memset(&resp->reply, 0, sizeof resp->reply);
    c->error[0] = '\0';
    int64_t since = mono_ms();
    return wait_reply(c, request_id, since, since + c->timeout_ms, resp);
}

int gl_client_ledger_id(gl_client *c, uint8_t out[GL_LEDGER_ID_BYTES])
{
    if (!c->ledger_known) {
        gl_response resp;
        gl_buf_init(&resp.raw);
        c->error[0] = '\0';
        int st = ping(c, &resp);
        if (st == GL_OK && resp.reply.status != GL_OK) {
            st = resp.reply.status;
            fail(c, st, "%.*s", (int)resp.reply.detail.len, resp.reply.detail.ptr);
        }
        gl_response_free(&resp);
        if (st != GL_OK)
            return st;
    }
    memcpy(out, c->ledger_id, GL_LEDGER_ID_BYTES);
    return GL_OK;
}

static void copy_text(char *dst, size_t dst_len, gl_str s)
{
    size_t n = s.len < dst_len - 1 ? s.len : dst_len - 1;
    memcpy(dst, s.ptr, n);
    dst[n] = '\0';
}

int gl_client_whoami(gl_client *c, gl_whoami *out)
{
    memset(out, 0, sizeof *out);
    gl_response resp;
    int st = gl_call(c, GL_KIND_PING, "", 0, NULL, 0, &resp);
    if (st == GL_OK && resp.reply.status != GL_OK) {
        st = resp.reply.status;
        fail(c, st, "%.*s", (int)resp.reply.detail.len, resp.reply.detail.ptr);
    }
    gl_reply_ping p;
    if (st == GL_OK &&
        gl_reply_ping_decode(gl_reply_view(resp.reply.body, resp.reply.body_len), &p) != GL_OK)
        st = fail(c, GL_ERR_VERSION, "the daemon's PING reply does not decode");
    if (st == GL_OK) {
        memcpy(out->ledger_id, p.ledger_id, GL_LEDGER_ID_BYTES);
        out->role = p.role;
        copy_text(out->tenant, sizeof out->tenant, p.tenant);
        copy_text(out->key_name, sizeof out->key_name, p.key_name);
        copy_text(out->version, sizeof out->version, p.version);
        out->now_ms = p.now_ms;
    }
    gl_response_free(&resp);
    return st;
}

void gl_response_free(gl_response *resp)
{
    gl_buf_free(&resp->raw);
    memset(&resp->reply, 0, sizeof resp->reply);
}

/* A POST body whose extension areas are all empty, in layout 1: the bytes
 * a protocol 1 client hashed for the same content.  False otherwise. */
static bool post_as_layout_1(const void *body, size_t body_len, gl_buf *out)
{
    gl_post p;
    uint32_t bad;
    if (gl_post_decode(body, body_len, &p, &bad) != GL_OK)
        return false;
    gl_put_u32(out, p.count);
    gl_item_iter it;
    gl_entry e;
    gl_post_iter_init(&it, &p);
    while (gl_post_next(&it, &e))
        if (gl_entry_put(out, &e, GL_LAYOUT_1) != GL_OK)
            return false;
    return gl_buf_ok(out);
}

static uint64_t id_of(const gl_key *key, uint16_t kind, const char *tenant, const void *body,
                      size_t body_len, uint64_t salt)
{
    crypto_generichash_state st;
    uint8_t h[8], head[10];
    head[0] = (uint8_t)(kind >> 8);
    head[1] = (uint8_t)kind;
    for (int i = 0; i < 8; i++)
        head[2 + i] = (uint8_t)(salt >> (56 - 8 * i));
    crypto_generichash_init(&st, NULL, 0, sizeof h);
    crypto_generichash_update(&st, key->pk, 32);
    crypto_generichash_update(&st, head, sizeof head);
    crypto_generichash_update(&st, (const uint8_t *)tenant, strlen(tenant) + 1);
    crypto_generichash_update(&st, body, body_len);
    crypto_generichash_final(&st, h, sizeof h);
    uint64_t id = 0;
    for (int i = 0; i < 8; i++)
        id = id << 8 | h[i];
    return id ? id : 1;
}

uint64_t gl_request_id_for(const gl_key *key, uint16_t kind, const char *tenant, const void *body,
                           size_t body_len, uint64_t salt)
{
    /* The same content keeps the id it had under protocol 1, so that a
     * command run again after the upgrade is recognised as a retry. */
    gl_buf v1;
    gl_buf_init(&v1);
    uint64_t id = kind == GL_KIND_POST && post_as_layout_1(body, body_len, &v1)
                      ? id_of(key, kind, tenant, v1.data, v1.len, salt)
                      : id_of(key, kind, tenant, body, body_len, salt);
    gl_buf_free(&v1);
    return id;
}

uint64_t gl_request_id_next(uint64_t last, int64_t now_ms, uint32_t rnd)
{
    uint64_t ms = now_ms > GL_REQUEST_ID_EPOCH_MS ? (uint64_t)(now_ms - GL_REQUEST_ID_EPOCH_MS) : 0;
    uint64_t id =
        ms << GL_REQUEST_ID_RANDOM_BITS | (rnd & ((UINT32_C(1) << GL_REQUEST_ID_RANDOM_BITS) - 1));
    /* After last, always: a clock set back, or more draws in one ms than
     * the random bits spread, continue from the previous id. */
    return id > last ? id : last + 1;
}

/* Why time-ordered and why this cannot turn into a false
 * request_id_reused: in one process the ids strictly increase (the
 * compare-and-swap below), so its threads never draw the same one.  Two
 * processes signing with the same key collide only when both draw in the
 * same millisecond the same 22 random bits (1 in 4,194,304 for such a
 * pair); a person's commands, or the sandbox's scripts, do not draw two ids
 * of one key in one millisecond from two processes in practice.  Ids
 * derived from content (gl_request_id_for) are unchanged. */
static _Atomic uint64_t last_request_id;

uint64_t gl_request_id_random(void)
{
    uint64_t last = atomic_load(&last_request_id), id;
    do
        id = gl_request_id_next(last, now_ms(), randombytes_random());
    while (!atomic_compare_exchange_weak(&last_request_id, &last, id));
    return id;
}
