/*
 * tests/integration/test_security.c — the adversarial suite: a hostile
 * network and hostile or buggy clients against the real daemon over real
 * sockets (CURVE, ZAP, raw ZeroMQ and raw TCP), each case checking the
 * specific error and that the ledger is unchanged (a digest of every LMDB
 * database, read directly, compared in the fixture's teardown; a case that
 * writes on purpose moves the baseline).
 *
 *   transport   no CURVE, wrong server key, unknown key, key mismatch,
 *               spoofed metadata, oversized messages (both directions)
 *   envelope    every bit flip, every truncation, padding, extra frames,
 *               protocol versions, replays, timestamps
 *   authz       a member in another member's tenant in every request kind,
 *               an auditor in every write kind
 *   limits      counts and strings at their maximum and one over, odd but
 *               valid UTF-8, invalid UTF-8, NUL bytes, amounts at INT64_MAX
 *               and sums that overflow
 *   keyring     reload on SIGHUP: new key, new tenant, revocation (and its
 *               history), rotation, removal, configurations refused
 *   peers       idle and half-open connections, 1,000 of them, the
 *               open-files limit (tcp://)
 *   curve_off   the one configuration without CURVE, and clients refusing it
 *   cli         the command line's server key, refusals, protected key files
 *
 * Other refusals (accounting rules, most decode errors) are in
 * test_refusals.c.
 */
#include "tests/support/harness.h"
#include "tests/integration/analytic_support.h"
#include "tests/integration/asset_support.h"
#include "tests/integration/grant_support.h"
#include "tests/integration/bank_support.h"

#include "proto/group.h"
#include "proto/kinds.h"
#include "proto/query.h"
#include "proto/request.h"
#include "proto/seal.h"
#include "proto/status.h"
#include "proto/third_party.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <lmdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#define FAILED                                                                    \
    (ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | \
     ZMQ_EVENT_HANDSHAKE_FAILED_AUTH)

static harness h;
static uint8_t digest_before[32];

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

/* The ledger as it is now becomes the one every refusal must leave. */
static void rebase(void) { h_digest(&h, digest_before); }

static void populate(void)
{
    static const char *const accounts[] = {"512000", "606100", "401000"};
    h_open_accounts(&h, "alpha", accounts, 3);
    h_open_accounts(&h, "beta", accounts, 3);
    gl_line_in l[2];
    gl_response r;
    gl_entry_in e = h_entry2("alpha", 20250110, "606100", "512000", 999, l);
    cr_assert_eq(h_post(&h, K_ALPHA, &e, 1, &r), GL_OK);
    gl_response_free(&r);
    e = h_entry2("beta", 20250111, "606100", "512000", 777, l);
    cr_assert_eq(h_post(&h, K_BETA, &e, 1, &r), GL_OK);
    gl_response_free(&r);
    rebase();
}

static void setup(void)
{
    h_setup(&h);
    populate();
}

/* The ledger is as the last rebase left it, and its chains verify.
 * Run at the end of each test's body (RTest, tests/support/harness.h). */
static void unchanged(void)
{
    uint8_t after[32];
    h_digest(&h, after);
    cr_assert(!memcmp(digest_before, after, 32), "the ledger changed");
    cr_assert_gt(h_verify_chains(&h), 0);
}

static void teardown(void) { h_teardown(&h); }

/* --- building requests by hand ------------------------------------------- */

static void sign(gl_buf *out, enum h_key k, uint16_t kind, const char *tenant, uint64_t id,
                 int64_t ts, const gl_buf *body)
{
    gl_buf_init(out);
    uint8_t ledger[GL_LEDGER_ID_BYTES];
    h_ledger_id(&h, ledger);
    cr_assert_eq(gl_request_encode(out, kind, ledger, h.keys[k].sk, tenant, id, ts,
                                   body ? body->data : NULL, body ? body->len : 0),
                 GL_OK);
}

/* Sign again after editing the bytes (the signature is the last 64). */
static void resign(gl_buf *req, enum h_key k)
{
    gl_buf m;
    gl_buf_init(&m);
    gl_put_bytes(&m, GL_SIGN_TAG, sizeof GL_SIGN_TAG);
    gl_put_bytes(&m, req->data, req->len - GL_SIG_BYTES);
    crypto_sign_detached(req->data + req->len - GL_SIG_BYTES, NULL, m.data, m.len, h.keys[k].sk);
    gl_buf_free(&m);
}

static void post_body(gl_buf *body, const char *tenant, int64_t cents)
{
    gl_line_in l[2];
    gl_entry_in e = h_entry2(tenant, 20250301, "606100", "512000", cents, l);
    h_post_body(body, &e, 1);
}

/* A signed POST of 5 cents into alpha by alpha. */
static void signed_post(gl_buf *req, uint64_t id)
{
    gl_buf body;
    post_body(&body, "alpha", 5);
    sign(req, K_ALPHA, GL_KIND_POST, "alpha", id, now_ms(), &body);
    gl_buf_free(&body);
}

/* Send bytes over an open raw socket and read the reply. */
static int exchange(void *sock, const void *bytes, size_t len, gl_response *r)
{
    cr_assert_eq(zmq_send(sock, bytes, len, 0), (int)len);
    zmq_msg_t m;
    zmq_msg_init(&m);
    cr_assert(zmq_msg_recv(&m, sock, 0) >= 0, "no reply");
    gl_buf_init(&r->raw);
    gl_put_bytes(&r->raw, zmq_msg_data(&m), zmq_msg_size(&m));
    zmq_msg_close(&m);
    cr_assert_eq(gl_reply_decode(r->raw.data, r->raw.len, &r->reply), GL_OK);
    return r->reply.status;
}

#define EXPECT_STATUS(call, want)                                                   \
    do {                                                                            \
        gl_response r_;                                                             \
        int st_ = (call);                                                           \
        cr_assert_eq(st_, (want), "got %s (%d), want %s", gl_status_name(st_), st_, \
                     gl_status_name(want));                                         \
        gl_response_free(&r_);                                                      \
    } while (0)

static bool socket_has_message(void *sock, int timeout_ms)
{
    zmq_pollitem_t it = {sock, 0, ZMQ_POLLIN, 0};
    return zmq_poll(&it, 1, timeout_ms) > 0;
}

static void ping_ok(enum h_key k)
{
    gl_response r;
    int st = h_call(&h, k, GL_KIND_PING, "", 0, NULL, 0, &r);
    cr_assert_eq(st, GL_OK, "ping: %s", gl_status_name(st));
    gl_response_free(&r);
}

/* A fresh library client for key k pinned to server_key; a call's status. */
static int call_with(const gl_key *key, const uint8_t *server_key, int timeout_ms, char *err,
                     size_t err_len)
{
    gl_client *c;
    gl_response r;
    cr_assert_eq(gl_client_open_pinned(&c, h.endpoint, key, server_key, timeout_ms, err, err_len),
                 GL_OK);
    int st = gl_call(c, GL_KIND_PING, "", 0, NULL, 0, &r);
    snprintf(err, err_len, "%s", gl_client_error(c));
    gl_response_free(&r);
    gl_client_close(c);
    return st;
}

/* ===================================================================== */
/* transport                                                              */
/* ===================================================================== */

TestSuite(transport, .init = setup, .fini = teardown, .timeout = 60);

RTest(transport, client_without_curve_is_refused_at_the_handshake)
{
    void *ctx = zmq_ctx_new(), *s = zmq_socket(ctx, ZMQ_DEALER), *m = h_monitor(ctx, s);
    int linger = 0;
    zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
    cr_assert(zmq_connect(s, h.endpoint) == 0);
    gl_buf req;
    signed_post(&req, 11);
    zmq_send(s, req.data, req.len, ZMQ_DONTWAIT);
    int ev = h_next_event(m, ZMQ_EVENT_HANDSHAKE_SUCCEEDED | FAILED, 5000, NULL);
    cr_assert(ev & FAILED, "handshake event 0x%x, want a failure", ev);
    cr_assert_not(socket_has_message(s, 0));
    gl_buf_free(&req);
    zmq_close(m);
    zmq_close(s);
    zmq_ctx_term(ctx);
    /* the library in clear (server key NULL) fails as fast, with an error */
    char err[256];
    int64_t t0 = mono_ms();
    /* connect (the peer says CURVE is on one side only) or, when libzmq
     * gives no detail (a slow daemon, valgrind), server_key naming both
     * causes */
    int st = call_with(&h.keys[K_ALPHA], NULL, 30000, err, sizeof err);
    cr_assert(st == GL_ERR_CONNECT || st == GL_ERR_SERVER_KEY, "%s", err);
    cr_assert_lt(mono_ms() - t0, 10000);
}

RTest(transport, wrong_server_key_fails_at_once_with_an_error)
{
    uint8_t wrong[32];
    char err[256];
    randombytes_buf(wrong, sizeof wrong);
    int64_t t0 = mono_ms();
    int st = call_with(&h.keys[K_ALPHA], wrong, 30000, err, sizeof err);
    cr_assert_eq(st, GL_ERR_SERVER_KEY, "%s: %s", gl_status_name(st), err);
    cr_assert_lt(mono_ms() - t0, 10000, "waited for the timeout instead of failing");
    cr_assert(strstr(err, "server key"), "%s", err);
}

RTest(transport, unknown_client_key_is_refused_at_the_handshake)
{
    char err[256];
    int64_t t0 = mono_ms();
    int st = call_with(&h.keys[K_STRANGER], h.server_pk, 30000, err, sizeof err);
    cr_assert_eq(st, GL_ERR_UNKNOWN_KEY, "%s: %s", gl_status_name(st), err);
    cr_assert_lt(mono_ms() - t0, 10000);
    /* the same at the ZeroMQ level: ZAP status 400, nothing delivered */
    void *ctx = zmq_ctx_new(), *s = h_raw_socket(&h, ctx, K_STRANGER), *m = h_monitor(ctx, s);
    uint32_t value;
    cr_assert_eq(h_next_event(m, ZMQ_EVENT_HANDSHAKE_SUCCEEDED | FAILED, 5000, &value),
                 ZMQ_EVENT_HANDSHAKE_FAILED_AUTH);
    cr_assert_eq(value, 400);
    zmq_close(m);
    zmq_close(s);
    zmq_ctx_term(ctx);
    cr_assert_gt(h_log_count(&h, "refused a connection"), 0);
}

RTest(transport, request_signed_by_an_unknown_key_over_a_known_connection_is_refused)
{
    gl_buf body, req;
    post_body(&body, "alpha", 5);
    sign(&req, K_STRANGER, GL_KIND_POST, "alpha", 12, now_ms(), &body);
    EXPECT_STATUS(h_send_raw_as(&h, K_ALPHA, req.data, req.len, &r_), GL_ERR_UNKNOWN_KEY);
    gl_buf_free(&req);
    gl_buf_free(&body);
}

RTest(transport, request_signed_by_one_key_over_another_keys_connection_is_refused)
{
    gl_buf req;
    signed_post(&req, 13);
    EXPECT_STATUS(h_send_raw_as(&h, K_BETA, req.data, req.len, &r_), GL_ERR_KEY_MISMATCH);
    EXPECT_STATUS(h_send_raw_as(&h, K_AUDITOR, req.data, req.len, &r_), GL_ERR_KEY_MISMATCH);
    gl_buf_free(&req);
    /* a member's connection carrying the accountant's signature: no escalation */
    gl_buf body;
    post_body(&body, "beta", 5);
    sign(&req, K_ACCOUNTANT, GL_KIND_POST, "beta", 14, now_ms(), &body);
    EXPECT_STATUS(h_send_raw_as(&h, K_ALPHA, req.data, req.len, &r_), GL_ERR_KEY_MISMATCH);
    gl_buf_free(&req);
    gl_buf_free(&body);
}

/* The daemon remembers each signer's X25519 form (daemon/admit.c): a key
 * already admitted over its own connection is still refused over another's. */
RTest(transport, a_signer_seen_on_its_own_connection_is_still_refused_over_another)
{
    gl_buf req;
    signed_post(&req, 15);
    EXPECT_STATUS(h_send_raw_as(&h, K_ALPHA, req.data, req.len, &r_), GL_OK);
    gl_buf_free(&req);
    rebase(); /* that post was accepted: the refusal below must change nothing */
    signed_post(&req, 16);
    EXPECT_STATUS(h_send_raw_as(&h, K_BETA, req.data, req.len, &r_), GL_ERR_KEY_MISMATCH);
    gl_buf_free(&req);
}

RTest(transport, peer_metadata_cannot_claim_another_identity)
{
    uint8_t alpha_curve[32];
    char meta[100];
    cr_assert(crypto_sign_ed25519_pk_to_curve25519(alpha_curve, h.keys[K_ALPHA].pk) == 0);
    void *ctx = zmq_ctx_new(), *s = zmq_socket(ctx, ZMQ_DEALER);
    uint8_t pk[32], sk[32];
    int linger = 0, timeout = 10000;
    cr_assert(crypto_sign_ed25519_pk_to_curve25519(pk, h.keys[K_BETA].pk) == 0);
    cr_assert(crypto_sign_ed25519_sk_to_curve25519(sk, h.keys[K_BETA].sk) == 0);
    zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(s, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    zmq_setsockopt(s, ZMQ_CURVE_SERVERKEY, h.server_pk, 32);
    zmq_setsockopt(s, ZMQ_CURVE_PUBLICKEY, pk, 32);
    zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, sk, 32);
    strcpy(meta, "X-User-Id:");
    sodium_bin2hex(meta + 10, 65, alpha_curve, 32);
    cr_assert(zmq_setsockopt(s, 95 /* ZMQ_METADATA */, meta, strlen(meta)) == 0);
    /* libzmq lets a peer set only X- properties, never User-Id itself */
    memcpy(meta, "User-Id:", 8);
    memmove(meta + 8, meta + 10, 65);
    cr_assert(zmq_setsockopt(s, 95, meta, strlen(meta)) != 0);
    cr_assert(zmq_connect(s, h.endpoint) == 0);
    gl_buf req;
    gl_response r;
    signed_post(&req, 15);
    cr_assert_eq(exchange(s, req.data, req.len, &r), GL_ERR_KEY_MISMATCH);
    gl_response_free(&r);
    gl_buf_free(&req);
    zmq_close(s);
    zmq_ctx_term(ctx);
}

RTest(transport, message_over_the_protocol_limit_is_refused_as_too_large)
{
    gl_buf big;
    gl_buf_init(&big);
    gl_put_bytes(&big, "GLRQ", 4);
    while (big.len < GL_MESSAGE_MAX + 1)
        gl_put_u8(&big, 0);
    EXPECT_STATUS(h_send_raw_as(&h, K_ALPHA, big.data, big.len, &r_), GL_ERR_TOO_LARGE);
    gl_buf_free(&big);
    ping_ok(K_ALPHA);
}

RTest(transport, message_over_the_socket_limit_drops_the_connection_only)
{
    void *ctx = zmq_ctx_new(), *s = h_raw_socket(&h, ctx, K_ALPHA), *m = h_monitor(ctx, s);
    cr_assert_eq(h_next_event(m, ZMQ_EVENT_HANDSHAKE_SUCCEEDED | FAILED, 5000, NULL),
                 ZMQ_EVENT_HANDSHAKE_SUCCEEDED);
    size_t n = GL_MESSAGE_MAX + 1024 + 1;
    uint8_t *huge = calloc(1, n);
    cr_assert(huge);
    cr_assert_eq(zmq_send(s, huge, n, 0), (int)n);
    free(huge);
    cr_assert_eq(h_next_event(m, ZMQ_EVENT_DISCONNECTED, 10000, NULL), ZMQ_EVENT_DISCONNECTED);
    cr_assert_not(socket_has_message(s, 0));
    zmq_close(m);
    zmq_close(s);
    zmq_ctx_term(ctx);
    ping_ok(K_ALPHA); /* everyone else is still served */
    ping_ok(K_BETA);
}

RTest(transport, library_never_sends_a_request_over_the_limit)
{
    size_t n = GL_MESSAGE_MAX;
    uint8_t *body = calloc(1, n);
    gl_response r;
    cr_assert(body);
    int st = gl_call(h_client(&h, K_ALPHA), GL_KIND_POST, "alpha", 0, body, n, &r);
    cr_assert_eq(st, GL_ERR_TOO_LARGE, "%s", gl_status_name(st));
    gl_response_free(&r);
    free(body);
}

/* A server that answers one request with a reply over the client's limit. */
struct fake_server {
    void *ctx;
    char endpoint[128];
    uint8_t pk[32], sk[32];
};

static void *fake_server_main(void *arg)
{
    struct fake_server *f = arg;
    void *r = zmq_socket(f->ctx, ZMQ_ROUTER), *done = zmq_socket(f->ctx, ZMQ_PAIR);
    int one = 1, linger = 0;
    zmq_setsockopt(r, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(r, ZMQ_CURVE_SERVER, &one, sizeof one);
    zmq_setsockopt(r, ZMQ_CURVE_SECRETKEY, f->sk, 32);
    cr_assert(zmq_bind(r, f->endpoint) == 0);
    cr_assert(zmq_connect(done, "inproc://fake-done") == 0);
    zmq_send(done, "", 0, 0); /* bound */
    zmq_msg_t id, msg;
    zmq_msg_init(&id);
    zmq_msg_init(&msg);
    zmq_msg_recv(&id, r, 0);
    zmq_msg_recv(&msg, r, 0);
    size_t n = GL_MESSAGE_MAX + 8192 + 1;
    uint8_t *reply = calloc(1, n);
    zmq_msg_send(&id, r, ZMQ_SNDMORE);
    zmq_send(r, reply, n, 0);
    free(reply);
    zmq_msg_close(&msg);
    char c;
    zmq_recv(done, &c, 1, 0); /* keep the connection up until the client is done */
    zmq_close(done);
    zmq_close(r);
    return NULL;
}

RTest(transport, reply_over_the_clients_limit_is_an_error_not_a_hang)
{
    struct fake_server f = {.ctx = zmq_ctx_new()};
    snprintf(f.endpoint, sizeof f.endpoint, "ipc://%s/fake", h.dir);
    crypto_box_keypair(f.pk, f.sk);
    void *done = zmq_socket(f.ctx, ZMQ_PAIR);
    cr_assert(zmq_bind(done, "inproc://fake-done") == 0);
    pthread_t t;
    cr_assert(pthread_create(&t, NULL, fake_server_main, &f) == 0);
    char c;
    zmq_recv(done, &c, 1, 0);
    gl_client *cl;
    gl_response r;
    char err[256];
    cr_assert_eq(
        gl_client_open_pinned(&cl, f.endpoint, &h.keys[K_ALPHA], f.pk, 30000, err, sizeof err),
        GL_OK);
    int64_t t0 = mono_ms();
    int st = gl_call(cl, GL_KIND_PING, "", 0, NULL, 0, &r);
    int64_t took = mono_ms() - t0;
    cr_assert_eq(st, GL_ERR_CONNECT, "%s: %s", gl_status_name(st), gl_client_error(cl));
    cr_assert_lt(took, 10000, "waited %lld ms", (long long)took);
    gl_response_free(&r);
    gl_client_close(cl);
    zmq_send(done, "x", 1, 0);
    pthread_join(t, NULL);
    zmq_close(done);
    zmq_ctx_term(f.ctx);
}

/* ===================================================================== */
/* envelope                                                               */
/* ===================================================================== */

TestSuite(envelope, .init = setup, .fini = teardown, .timeout = 120);

RTest(envelope, every_bit_flip_of_a_signed_request_is_refused)
{
    gl_buf req;
    signed_post(&req, 21);
    void *ctx = zmq_ctx_new(), *s = h_raw_socket(&h, ctx, K_ALPHA);
    int counts[1000] = {0};
    for (size_t i = 0; i < req.len; i++) {
        for (int bit = 0; bit < 8; bit++) {
            gl_response r;
            req.data[i] ^= (uint8_t)(1u << bit);
            int st = exchange(s, req.data, req.len, &r);
            req.data[i] ^= (uint8_t)(1u << bit);
            cr_assert(st != GL_OK && (st / 100 == 1 || st == GL_ERR_BAD_SIGNATURE),
                      "byte %zu bit %d: %s (%d)", i, bit, gl_status_name(st), st);
            counts[st < 1000 ? st : 999]++;
            gl_response_free(&r);
        }
    }
    cr_log_info(
        "%zu flips: %d bad_signature, %d malformed, %d bad_magic, %d version, %d unknown_kind",
        req.len * 8, counts[200], counts[100], counts[101], counts[102], counts[103]);
    zmq_close(s);
    zmq_ctx_term(ctx);
    gl_buf_free(&req);
}

RTest(envelope, every_truncation_and_padding_is_refused)
{
    gl_buf req;
    signed_post(&req, 22);
    void *ctx = zmq_ctx_new(), *s = h_raw_socket(&h, ctx, K_ALPHA);
    gl_response r;
    for (size_t n = 0; n < req.len; n++) {
        int st = exchange(s, req.data, n, &r);
        cr_assert_eq(st, GL_ERR_MALFORMED, "cut at %zu: %s", n, gl_status_name(st));
        gl_response_free(&r);
    }
    for (int pad = 1; pad <= 64; pad++) {
        gl_put_u8(&req, (uint8_t)(pad * 37));
        int st = exchange(s, req.data, req.len, &r);
        cr_assert_eq(st, GL_ERR_TRAILING_BYTES, "%d bytes added: %s", pad, gl_status_name(st));
        gl_response_free(&r);
    }
    zmq_close(s);
    zmq_ctx_term(ctx);
    gl_buf_free(&req);
}

RTest(envelope, request_in_several_frames_is_refused)
{
    gl_buf req;
    signed_post(&req, 23);
    void *ctx = zmq_ctx_new(), *s = h_raw_socket(&h, ctx, K_ALPHA);
    gl_response r;
    cr_assert_eq(zmq_send(s, req.data, req.len / 2, ZMQ_SNDMORE), (int)(req.len / 2));
    int st = exchange(s, req.data + req.len / 2, req.len - req.len / 2, &r);
    cr_assert_eq(st, GL_ERR_TOO_LARGE, "%s", gl_status_name(st)); /* PROTOCOL.md §1.1 */
    gl_response_free(&r);
    zmq_close(s);
    zmq_ctx_term(ctx);
    gl_buf_free(&req);
}

RTest(envelope, unsupported_protocol_versions_are_refused_even_when_signed)
{
    static const uint16_t versions[] = {0, 1, 3, 0x0100, 0x0200, 0xffff};
    for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++) {
        gl_buf req;
        signed_post(&req, 24 + i);
        gl_be16(req.data + 4, versions[i]);
        resign(&req, K_ALPHA);
        EXPECT_STATUS(h_send_raw_as(&h, K_ALPHA, req.data, req.len, &r_), GL_ERR_VERSION);
        gl_buf_free(&req);
    }
}

RTest(envelope, replayed_request_gets_its_original_reply_and_writes_nothing)
{
    gl_buf req;
    signed_post(&req, 31);
    gl_response first, again;
    cr_assert_eq(h_send_raw_as(&h, K_ALPHA, req.data, req.len, &first), GL_OK);
    rebase(); /* the first one wrote; the replay must not */
    cr_assert_eq(h_send_raw_as(&h, K_ALPHA, req.data, req.len, &again), GL_OK);
    cr_assert(again.reply.flags & GL_REPLY_REPLAYED);
    cr_assert_eq(again.reply.body_len, first.reply.body_len);
    cr_assert(!memcmp(again.reply.body, first.reply.body, first.reply.body_len));
    gl_response_free(&first);
    gl_response_free(&again);
    /* the same id with another body: refused */
    gl_buf body, other;
    post_body(&body, "alpha", 6);
    sign(&other, K_ALPHA, GL_KIND_POST, "alpha", 31, now_ms(), &body);
    EXPECT_STATUS(h_send_raw_as(&h, K_ALPHA, other.data, other.len, &r_), GL_ERR_REQUEST_ID_REUSED);
    /* the same id by another key is another request: not a replay of alpha's */
    gl_buf_free(&body);
    gl_buf_free(&other);
    gl_buf_free(&req);
}

RTest(envelope, stale_and_absurd_timestamps_are_refused)
{
    static const int64_t absurd[] = {INT64_MIN, INT64_MIN + 1, -1, 0, INT64_MAX};
    int64_t now = now_ms();
    const int64_t window_ms = 300 * 1000; /* clock_skew_max_s default */
    int64_t stamps[] = {now - window_ms - 5000,
                        now + window_ms + 5000,
                        absurd[0],
                        absurd[1],
                        absurd[2],
                        absurd[3],
                        absurd[4]};
    gl_buf body;
    post_body(&body, "alpha", 5);
    for (size_t i = 0; i < sizeof stamps / sizeof stamps[0]; i++) {
        gl_buf req;
        sign(&req, K_ALPHA, GL_KIND_POST, "alpha", 40 + i, stamps[i], &body);
        EXPECT_STATUS(h_send_raw_as(&h, K_ALPHA, req.data, req.len, &r_), GL_ERR_STALE_TIMESTAMP);
        gl_buf_free(&req);
    }
    gl_buf_free(&body);
    /* inside the window (a read, so nothing is written): served */
    gl_buf req;
    sign(&req, K_ALPHA, GL_KIND_ACCOUNTS_LIST, "alpha", 49, now - window_ms + 5000, NULL);
    EXPECT_STATUS(h_send_raw_as(&h, K_ALPHA, req.data, req.len, &r_), GL_OK);
    gl_buf_free(&req);
    ping_ok(K_BETA);
}

/* ===================================================================== */
/* authz                                                                  */
/* ===================================================================== */

TestSuite(authz, .init = setup, .fini = teardown, .timeout = 60);

static bool last_envelope_of(const uint8_t *k, size_t kl, const uint8_t *v, size_t vl, void *user)
{
    struct {
        const uint8_t *signer;
        uint64_t number;
    } *want = user;
    gl_request r;
    if (kl == 8 && gl_request_decode(v, vl, &r) == GL_OK && !memcmp(r.signer, want->signer, 32))
        want->number = gl_rd64(k);
    return true;
}

/* A body that decodes for kind, naming tenant where the body names one.
 * False if this test does not know the kind yet. */
static bool body_for(uint16_t kind, const char *tenant, gl_buf *b)
{
    gl_buf_init(b);
    gl_line_ref refs[2] = {{2025, 1, 1}, {2025, 1, 2}};
    gl_group_item item = {{tenant, strlen(tenant)}, 100};
    switch (kind) {
    case GL_KIND_PING:
    case GL_KIND_ACCOUNTS_LIST:
    case GL_KIND_PERIODS:
    case GL_KIND_STATS:
    case GL_KIND_KEYRING:
    case GL_KIND_TENANTS: return true;
    case GL_KIND_ACCOUNTS_OPEN:
        gl_put_u8(b, GL_OPEN_STRICT);
        gl_put_u32(b, 1);
        gl_put_str8(b, "627000", 6);
        gl_put_str8(b, "x", 1);
        return true;
    case GL_KIND_POST: {
        gl_buf_free(b);
        post_body(b, tenant, 5);
        return true;
    }
    case GL_KIND_BALANCE: gl_balance_q_encode(b, &(gl_balance_q){.at = 20251231}); return true;
    case GL_KIND_JOURNAL:
        gl_journal_q_encode(b, &(gl_journal_q){.from = 20250101, .to = 20251231, .limit = 10});
        return true;
    case GL_KIND_LEDGER:
        gl_ledger_q_encode(
            b, &(gl_ledger_q){
                   .account = {"512000", 6}, .from = 20250101, .to = 20251231, .limit = 10});
        return true;
    case GL_KIND_ENTRY_GET: gl_entry_ref_encode(b, &(gl_entry_ref){2025, 1}); return true;
    case GL_KIND_LOCK: gl_lock_q_encode(b, &(gl_lock_q){202501, GL_LOCK_THROUGH}); return true;
    case GL_KIND_CLOSE_YEAR: gl_close_q_encode(b, &(gl_close_q){2025}); return true;
    case GL_KIND_LETTER:
        gl_letter_q_encode(b, (gl_str){"401000", 6}, (gl_str){"", 0}, refs, 2);
        return true;
    case GL_KIND_UNLETTER:
        gl_unletter_q_encode(b, &(gl_unletter_q){{"401000", 6}, {"AA", 2}});
        return true;
    case GL_KIND_LETTER_BATCH: {
        gl_buf one;
        gl_buf_init(&one);
        gl_letter_q_encode(&one, (gl_str){"401000", 6}, (gl_str){"", 0}, refs, 2);
        gl_put_u16(b, 1);
        gl_letter_batch_put(b, &one);
        gl_buf_free(&one);
        return true;
    }
    case GL_KIND_CHAIN: gl_chain_q_encode(b, &(gl_chain_q){0, 10}); return true;
    case GL_KIND_CARRY_MODE_SET:
        gl_carry_mode_q_encode(b, &(gl_carry_mode_q){{"411000", 6}, GL_CARRY_DETAILED});
        return true;
    case GL_KIND_ENVELOPE: {
        struct {
            const uint8_t *signer;
            uint64_t number;
        } want = {h.keys[!strcmp(tenant, "beta") ? K_BETA : K_ALPHA].pk, 0};
        h_db_each(&h, "envelopes", last_envelope_of, &want);
        cr_assert(want.number);
        gl_put_u64(b, want.number);
        return true;
    }
    case GL_KIND_KEYS_SET: {
        gl_keys_q q = {.version = 1, .count = 1};
        q.items[0] = item;
        gl_keys_q_encode(b, &q);
        return true;
    }
    case GL_KIND_KEYS_GET: gl_put_u16(b, 1); return true;
    case GL_KIND_RECHARGE:
        gl_recharge_q_encode(b, &(gl_recharge_q){202501, 100, 1, 0, {0}});
        return true;
    case GL_KIND_DUES: {
        gl_dues_q q = {.year = 2025, .count = 1};
        q.items[0] = item;
        gl_dues_q_encode(b, &q);
        return true;
    }
    case GL_KIND_RECHARGE_ADJUST: {
        gl_recharge_adjust_q q = {.year = 2025, .count = 1};
        q.items[0] = item;
        q.accounts =
            (gl_group_accounts){true, {"411000", 6}, {"706100", 6}, {"628000", 6}, {"401000", 6}};
        gl_recharge_adjust_q_encode(b, &q);
        return true;
    }
    case GL_KIND_GROUP_BALANCE:
        gl_group_balance_q_encode(b, &(gl_group_balance_q){.at = 20251231, .limit = GL_PAGE_MAX});
        return true;
    case GL_KIND_GROUP_RECONCILE: gl_put_u32(b, 20251231); return true;
    case GL_KIND_BACKUP: gl_put_str16(b, "gl-never-written.mdb", 20); return true;
    case GL_KIND_ACCOUNT_LABEL:
        gl_put_u32(b, 1);
        gl_put_str8(b, "512000", 6);
        gl_put_str8(b, "Banque", 6);
        return true;
    case GL_KIND_THIRD_PARTY_SET: {
        gl_third_party r = {.code = {"EDF", 3},
                            .kind = GL_TP_SUPPLIER,
                            .collective = {"401000", 6},
                            .name = {"EDF", 3}};
        gl_put_u8(b, GL_TP_MODE_SET);
        gl_put_u16(b, 1);
        gl_third_party_encode(b, &r);
        return true;
    }
    case GL_KIND_THIRD_PARTIES:
        gl_tp_list_encode(b, &(gl_tp_list_q){{"", 0}, {"", 0}});
        return true;
    case GL_KIND_REMINDERS: return true;
    case GL_KIND_REMINDER_RECORD:
        gl_put_u32(b, 20250630);
        gl_put_u16(b, 1);
        gl_put_str8(b, "CLI01", 5);
        gl_put_u8(b, 1);
        return true;
    case GL_KIND_PERSON_KEY:
    case GL_KIND_FORGET: gl_person_code_encode(b, (gl_str){"U0001", 5}); return true;
    case GL_KIND_BANK_ACCOUNTS: return true;
    case GL_KIND_BANK_ACCOUNT_SET:
    case GL_KIND_BANK_IMPORT:
    case GL_KIND_BANK_LINES:
    case GL_KIND_BANK_MATCH:
    case GL_KIND_BANK_UNMATCH:
    case GL_KIND_BANK_RECON:
    case GL_KIND_BANK_MATCHES: bk_any_body(kind, b); return true;
    case GL_KIND_BANK_RULE_SET:
    case GL_KIND_BANK_RULES: bk_any_body(kind, b); return true;
    case GL_KIND_ANALYTIC_AXIS_SET:
    case GL_KIND_ANALYTIC_CODE_SET:
    case GL_KIND_ANALYTIC_RULE_SET:
    case GL_KIND_ANALYTIC_AXES:
    case GL_KIND_ANALYTIC_ALLOC:
    case GL_KIND_ANALYTIC_BALANCE:
    case GL_KIND_ANALYTIC_LEDGER: an_any_body(kind, b); return true;
    case GL_KIND_TIMESHEET_SET:
        gl_ts_head_put(b, (gl_str){"EMP1", 4}, 202603, 1000, 0);
        return true;
    case GL_KIND_TIMESHEETS: gl_ts_list_q_encode(b, &(gl_ts_list_q){2026, {"", 0}}); return true;
    case GL_KIND_GRANT_SET:
    case GL_KIND_GRANTS:
    case GL_KIND_BUDGET_SET:
    case GL_KIND_BUDGETS: gr_any_body(kind, b); return true;
    case GL_KIND_ASSET_SET:
    case GL_KIND_ASSETS:
    case GL_KIND_ASSET_POST: as_any_body(kind, b); return true;
    default: return false;
    }
}

/* body_for covers the kind table (proto/kinds.h): a kind added there
 * without a body here fails. */
RTest(authz, body_for_covers_every_kind_of_the_table)
{
    size_t n;
    const gl_kind_info *t = gl_kind_table(&n);
    for (size_t i = 0; i < n; i++) {
        gl_buf b;
        cr_assert(body_for(t[i].kind, "beta", &b), "no body for %s: add one to body_for()",
                  t[i].name);
        cr_assert(gl_buf_ok(&b));
        gl_body decoded;
        uint32_t bad;
        int st = gl_body_decode(t[i].kind, b.data, b.len, &decoded, &bad);
        cr_expect_eq(st, GL_OK, "body_for(%s) does not decode: %s", t[i].name, gl_status_name(st));
        gl_buf_free(&b);
    }
}

RTest(authz, member_touching_another_tenant_is_refused_in_every_request_kind)
{
    int checked = 0;
    for (uint16_t kind = 1; kind <= GL_KIND_MAX_; kind++) {
        if (!gl_kind_known(kind) || kind == GL_KIND_PING) /* PING touches no tenant */
            continue;
        gl_buf body;
        cr_assert(body_for(kind, "beta", &body), "no body for kind %u (%s): add one to body_for()",
                  kind, gl_kind_name(kind));
        gl_response r;
        int st = h_call(&h, K_ALPHA, kind, "beta", 0, body.data, body.len, &r);
        /* ENVELOPE: another key's request is not_found to a member, like a
         * number that does not exist (test_member_view.c) */
        cr_expect(st == GL_ERR_FORBIDDEN_TENANT || st == GL_ERR_FORBIDDEN_ROLE ||
                      (kind == GL_KIND_ENVELOPE && st == GL_ERR_NOT_FOUND),
                  "alpha's %s in beta: %s (%d)", gl_kind_name(kind), gl_status_name(st), st);
        gl_response_free(&r);
        gl_buf_free(&body);
        checked++;
    }
    cr_assert_gt(checked, 10);
    /* a post whose header names alpha but whose entry is beta's, and the reverse */
    gl_buf body;
    post_body(&body, "beta", 5);
    EXPECT_STATUS(h_call(&h, K_ALPHA, GL_KIND_POST, "alpha", 0, body.data, body.len, &r_),
                  GL_ERR_FORBIDDEN_TENANT);
    gl_buf_free(&body);
    post_body(&body, "alpha", 5);
    EXPECT_STATUS(h_call(&h, K_ALPHA, GL_KIND_POST, "beta", 0, body.data, body.len, &r_),
                  GL_ERR_FORBIDDEN_TENANT);
    gl_buf_free(&body);
}

RTest(authz, auditor_writing_is_refused_in_every_write_kind)
{
    int checked = 0;
    for (uint16_t kind = 1; kind <= GL_KIND_MAX_; kind++) {
        if (!gl_kind_known(kind) || !gl_kind_writes(kind))
            continue;
        gl_buf body;
        cr_assert(body_for(kind, "alpha", &body), "no body for kind %u (%s)", kind,
                  gl_kind_name(kind));
        gl_response r;
        int st = h_call(&h, K_AUDITOR, kind, "alpha", 0, body.data, body.len, &r);
        cr_expect_eq(st, GL_ERR_FORBIDDEN_ROLE, "the auditor's %s: %s (%d)", gl_kind_name(kind),
                     gl_status_name(st), st);
        gl_response_free(&r);
        gl_buf_free(&body);
        checked++;
    }
    cr_assert_gt(checked, 3);
}

/* ===================================================================== */
/* limits                                                                 */
/* ===================================================================== */

TestSuite(limits, .init = setup, .fini = teardown, .timeout = 60);

/* An entry's fields, any bytes (for strings its encoder would refuse). */
struct raw_entry {
    gl_str tenant, journal, piece, label, debit, credit, aux, aux_label, line_label;
    int64_t cents;
    uint16_t lines; /* lines-1 debits of cents, one credit of the total */
    uint8_t flags;  /* only the daemon's year close may set them */
};

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

static struct raw_entry default_entry(void)
{
    return (struct raw_entry){S("alpha"), S("OD"), S("P1"), S("x"), S("606100"), S("512000"),
                              S(""),      S(""),   S(""),   5,      2,           0};
}

static void put_str(gl_buf *b, gl_str s)
{
    gl_put_u8(b, (uint8_t)s.len);
    gl_put_bytes(b, s.ptr, s.len);
}

static void put_line(gl_buf *b, const struct raw_entry *e, gl_str account, uint8_t side,
                     int64_t cents)
{
    put_str(b, account);
    put_str(b, e->aux);
    put_str(b, e->aux_label);
    put_str(b, e->line_label);
    gl_put_u8(b, side);
    gl_put_i64(b, cents);
    gl_put_u16(b, 0); /* empty extension area */
}

static void put_entry(gl_buf *b, const struct raw_entry *e)
{
    put_str(b, e->tenant);
    gl_put_u32(b, 20250301);
    put_str(b, e->journal);
    put_str(b, e->piece);
    gl_put_u32(b, 20250301);
    put_str(b, e->label);
    gl_put_u16(b, 0);
    gl_put_u32(b, 0);
    gl_put_u8(b, e->flags);
    gl_put_u16(b, 0); /* empty extension area */
    gl_put_u16(b, e->lines);
    for (uint16_t i = 0; i + 1 < e->lines; i++)
        put_line(b, e, e->debit, GL_SIDE_DEBIT, e->cents);
    /* the credit balances the debits; wrapped (not UB) when they overflow */
    put_line(b, e, e->credit, GL_SIDE_CREDIT,
             (int64_t)((uint64_t)e->cents * (uint64_t)(e->lines - 1)));
}

static int post_entries(enum h_key k, const struct raw_entry *e, uint32_t n, gl_response *r)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_put_u32(&b, n);
    for (uint32_t i = 0; i < n; i++)
        put_entry(&b, &e[i]);
    cr_assert(gl_buf_ok(&b));
    int st = h_call(&h, k, GL_KIND_POST, "alpha", 0, b.data, b.len, r);
    gl_buf_free(&b);
    return st;
}

static int post_one(struct raw_entry e, gl_response *r) { return post_entries(K_ALPHA, &e, 1, r); }

static char *repeat(char c, size_t n)
{
    static char buf[8][300];
    static int next;
    char *b = buf[next++ % 8];
    memset(b, c, n);
    b[n] = '\0';
    return b;
}

RTest(limits, counts_one_over_their_maximum_are_refused)
{
    struct raw_entry e = default_entry();
    e.lines = GL_LINES_MAX + 1;
    e.cents = 1;
    EXPECT_STATUS(post_one(e, &r_), GL_ERR_COUNT_LIMIT);
    gl_buf b;
    gl_buf_init(&b);
    gl_put_u8(&b, GL_OPEN_STRICT);
    gl_put_u32(&b, GL_ACCOUNTS_MAX + 1);
    for (int i = 0; i <= GL_ACCOUNTS_MAX; i++) {
        char a[16];
        int n = snprintf(a, sizeof a, "6%05d", i);
        gl_put_str8(&b, a, (size_t)n);
        gl_put_str8(&b, "x", 1);
    }
    EXPECT_STATUS(h_call(&h, K_ACCOUNTANT, GL_KIND_ACCOUNTS_OPEN, "alpha", 0, b.data, b.len, &r_),
                  GL_ERR_COUNT_LIMIT);
    gl_buf_reset(&b);
    e = default_entry();
    gl_put_u32(&b, GL_ENTRIES_MAX + 1);
    for (int i = 0; i <= GL_ENTRIES_MAX; i++)
        put_entry(&b, &e);
    EXPECT_STATUS(h_call(&h, K_ALPHA, GL_KIND_POST, "alpha", 0, b.data, b.len, &r_),
                  GL_ERR_COUNT_LIMIT);
    gl_buf_reset(&b);
    gl_journal_q_encode(
        &b, &(gl_journal_q){.from = 20250101, .to = 20251231, .limit = GL_PAGE_MAX + 1});
    EXPECT_STATUS(h_call(&h, K_ALPHA, GL_KIND_JOURNAL, "alpha", 0, b.data, b.len, &r_),
                  GL_ERR_COUNT_LIMIT);
    gl_buf_free(&b);
}

RTest(limits, daemon_only_flags_cannot_lift_the_line_limit)
{
    struct raw_entry e = default_entry();
    e.lines = GL_LINES_MAX + 500;
    e.cents = 1;
    e.flags = 0x02; /* GL_ENTRY_OPENING: the daemon's opening entries may be long */
    EXPECT_STATUS(post_one(e, &r_), GL_ERR_RESERVED_NONZERO);
    e.lines = 2;
    e.flags = 0x01; /* GL_ENTRY_RESULT_CLOSING */
    EXPECT_STATUS(post_one(e, &r_), GL_ERR_RESERVED_NONZERO);
}

RTest(limits, counts_at_their_maximum_are_accepted)
{
    struct raw_entry e = default_entry();
    e.lines = GL_LINES_MAX;
    e.cents = 1;
    EXPECT_STATUS(post_one(e, &r_), GL_OK);
    rebase();
}

RTest(limits, strings_one_over_their_limit_are_refused)
{
    struct {
        const char *what;
        struct raw_entry e;
    } cases[] = {
        {"entry label", default_entry()}, {"piece", default_entry()},
        {"journal", default_entry()},     {"account", default_entry()},
        {"aux", default_entry()},         {"aux label", default_entry()},
        {"line label", default_entry()},  {"tenant", default_entry()},
    };
    cases[0].e.label = S(repeat('L', GL_LABEL_MAX + 1));
    cases[1].e.piece = S(repeat('P', GL_PIECE_MAX + 1));
    cases[2].e.journal = S(repeat('J', GL_JOURNAL_MAX + 1));
    cases[3].e.debit = S(repeat('6', GL_ACCOUNT_MAX + 1));
    cases[4].e.aux = S(repeat('A', GL_AUX_MAX + 1));
    cases[5].e.aux_label = S(repeat('B', GL_LABEL_MAX + 1));
    cases[6].e.line_label = S(repeat('C', GL_LABEL_MAX + 1));
    cases[7].e.tenant = S(repeat('t', GL_TENANT_MAX + 1));
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gl_response r;
        int st = post_one(cases[i].e, &r);
        cr_expect_eq(st, GL_ERR_STRING_TOO_LONG, "%s: %s (%d)", cases[i].what, gl_status_name(st),
                     st);
        gl_response_free(&r);
    }
    /* and in the envelope: a tenant id one byte too long */
    gl_buf req;
    sign(&req, K_ALPHA, GL_KIND_ACCOUNTS_LIST, "alpha", 51, now_ms(), NULL);
    gl_buf bad;
    gl_buf_init(&bad);
    gl_put_bytes(&bad, req.data, 56); /* magic, version, kind, ledger id, signer */
    put_str(&bad, S(repeat('t', GL_TENANT_MAX + 1)));
    gl_put_bytes(&bad, req.data + 57 + 5, req.len - 57 - 5);
    resign(&bad, K_ALPHA);
    EXPECT_STATUS(h_send_raw_as(&h, K_ALPHA, bad.data, bad.len, &r_), GL_ERR_STRING_TOO_LONG);
    gl_buf_free(&bad);
    gl_buf_free(&req);
}

RTest(limits, strings_at_their_limit_are_accepted)
{
    struct raw_entry e = default_entry();
    e.label = S(repeat('L', GL_LABEL_MAX));
    e.piece = S(repeat('P', GL_PIECE_MAX));
    e.aux = S(repeat('A', GL_AUX_MAX));
    e.aux_label = S(repeat('B', GL_LABEL_MAX));
    e.line_label = S(repeat('C', GL_LABEL_MAX));
    EXPECT_STATUS(post_one(e, &r_), GL_OK);
    rebase();
}

RTest(limits, odd_but_valid_utf8_is_kept_byte_for_byte)
{
    static const char *const odd[] = {
        "\xF0\x9F\x98\x80",          /* U+1F600, four bytes */
        "e\xCC\x81\xCC\x81\xCC\x81", /* e with three combining acute accents */
        "\xE2\x80\x8F"
        "abc", /* RIGHT-TO-LEFT MARK (the overrides are refused: test_text.c) */
        "\xE2\x80\x8D\xE2\x80\x8B",                 /* zero-width joiner and space */
        "\xEF\xBB\xBF",                             /* a BOM inside a label */
        "\xF4\x8F\xBF\xBF",                         /* U+10FFFF, the last code point */
        "\xEF\xBF\xBE\xEF\xBF\xBF",                 /* noncharacters U+FFFE U+FFFF */
        "\xE2\x80\xA8",                             /* LINE SEPARATOR */
        "\xC2\xA0",                                 /* NO-BREAK SPACE, first after the C1 range */
        "\xD8\xA7\xD9\x84\xE0\xA4\xA8\xE0\xA4\xBF", /* Arabic, Devanagari */
    };
    char label[GL_LABEL_MAX + 1] = "";
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++)
        strcat(label, odd[i]);
    cr_assert_leq(strlen(label), GL_LABEL_MAX);
    struct raw_entry e = default_entry();
    e.label = S(label);
    e.line_label = S(odd[2]);
    e.aux = S(odd[0]);
    e.aux_label = S(odd[6]);
    EXPECT_STATUS(post_one(e, &r_), GL_OK);
    cr_assert(h_entries_contain(&h, label, strlen(label)), "the label was not kept byte for byte");
    rebase();
}

RTest(limits, invalid_utf8_is_refused)
{
    static const char *const bad[] = {
        "\xC0\xAF",             /* overlong '/' */
        "\xE0\x80\xAF",         /* overlong, three bytes */
        "\xED\xA0\x80",         /* surrogate U+D800 */
        "\xF4\x90\x80\x80",     /* U+110000 */
        "\x80",                 /* lone continuation byte */
        "\xE2\x82",             /* truncated sequence */
        "\xF8\x88\x80\x80\x80", /* five-byte form */
        "\xFF",
        "\xC2\x85",  /* NEL, a C1 control */
        "a\x1b[31m", /* ESC: a terminal escape */
        "\x7f",      /* DEL */
        "\xE2\x80\xAE"
        "abc", /* RIGHT-TO-LEFT OVERRIDE: a printed label would lie */
        "\xE2\x81\xA6"
        "abc", /* LEFT-TO-RIGHT ISOLATE */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct raw_entry e = default_entry();
        e.label = S(bad[i]);
        gl_response r;
        int st = post_one(e, &r);
        cr_expect_eq(st, GL_ERR_STRING_INVALID, "case %zu: %s", i, gl_status_name(st));
        gl_response_free(&r);
    }
}

RTest(limits, nul_bytes_in_strings_are_refused)
{
    static const char with_nul[] = {'a', 0, 'b'};
    gl_str nul = {with_nul, sizeof with_nul};
    gl_str account_nul = {
        "6061\0"
        "00",
        7};
    struct raw_entry cases[8];
    for (int i = 0; i < 8; i++)
        cases[i] = default_entry();
    cases[0].label = nul;
    cases[1].piece = nul;
    cases[2].journal = (gl_str){"O\0D", 3};
    cases[3].debit = account_nul;
    cases[4].aux = nul;
    cases[5].aux_label = nul;
    cases[6].line_label = nul;
    cases[7].tenant = (gl_str){"alpha\0", 6};
    for (int i = 0; i < 8; i++) {
        gl_response r;
        int st = post_one(cases[i], &r);
        cr_expect_eq(st, GL_ERR_STRING_INVALID, "case %d: %s", i, gl_status_name(st));
        gl_response_free(&r);
    }
}

RTest(limits, amounts_at_int64_max_and_sums_that_overflow)
{
    static const char *const fresh[] = {"607000", "512100"};
    h_open_accounts(&h, "alpha", fresh, 2);
    struct raw_entry e = default_entry();
    e.debit = S("607000");
    e.credit = S("512100");
    e.cents = GL_MEMBER_TOTAL_MAX_CENTS; /* the most a member's own writes reach (issue 11) */
    EXPECT_STATUS(post_one(e, &r_), GL_OK);
    rebase();
    e.cents = 1; /* one cent more on accounts holding the member's cap */
    EXPECT_STATUS(post_one(e, &r_), GL_ERR_TOTAL_LIMIT);
    e.cents = INT64_MAX; /* a single amount beyond every cap */
    EXPECT_STATUS(post_one(e, &r_), GL_ERR_TOTAL_LIMIT);
    e.cents = INT64_MIN;
    EXPECT_STATUS(post_one(e, &r_), GL_ERR_AMOUNT_NOT_POSITIVE);
    e = default_entry();
    e.cents = INT64_MAX / 2 + 1; /* two debit lines that sum past INT64_MAX */
    e.lines = 3;
    EXPECT_STATUS(post_one(e, &r_), GL_ERR_OVERFLOW);
    /* in one request: the second entry passes the cap, so the first is not kept */
    struct raw_entry two[2] = {default_entry(), default_entry()};
    two[0].cents = GL_MEMBER_TOTAL_MAX_CENTS - 10000;
    two[1].cents = 20000;
    gl_response r;
    cr_assert_eq(post_entries(K_ALPHA, two, 2, &r), GL_ERR_TOTAL_LIMIT);
    cr_assert_eq(r.reply.err_item, 2);
    gl_response_free(&r);
}

/* ===================================================================== */
/* keyring                                                                */
/* ===================================================================== */

TestSuite(keyring, .init = setup, .fini = teardown, .timeout = 60);

/* A DB_KEYRING record, decoded here independently of the daemon's code
 * (format in daemon/store/store.h). */
struct key_rec {
    uint8_t pub[32];
    int64_t since_ms, until_ms;
    uint8_t end, role;
    char tenant[32], name[80];
};

struct key_history {
    const uint8_t *pub;
    struct key_rec recs[8];
    int count;
};

static bool collect_history(const uint8_t *k, size_t kl, const uint8_t *v, size_t vl, void *user)
{
    struct key_history *kh = user;
    cr_assert_eq(kl, 40);
    if (memcmp(k, kh->pub, 32) || kh->count == 8)
        return true;
    struct key_rec *r = &kh->recs[kh->count++];
    gl_cur c;
    gl_cur_init(&c, v, vl);
    cr_assert_eq(gl_get_u8(&c), 1, "record format");
    memcpy(r->pub, k, 32);
    r->since_ms = (int64_t)gl_rd64(k + 32);
    r->until_ms = gl_get_i64(&c);
    r->end = gl_get_u8(&c);
    r->role = gl_get_u8(&c);
    gl_str t = gl_get_str8(&c, 255), n = gl_get_str8(&c, 255);
    cr_assert_eq(gl_cur_end(&c), GL_OK);
    snprintf(r->tenant, sizeof r->tenant, "%.*s", (int)t.len, t.ptr);
    snprintf(r->name, sizeof r->name, "%.*s", (int)n.len, n.ptr);
    return true;
}

static struct key_history history(enum h_key k)
{
    struct key_history kh = {.pub = h.keys[k].pk};
    h_db_each(&h, "keyring", collect_history, &kh);
    return kh;
}

/* Every entry signed by key k: its envelope verifies, and the keyring
 * history says k was valid when it was recorded. Returns how many. */
struct signed_check {
    const uint8_t *signer;
    struct key_history kh;
    int count;
};

static bool check_entry(const uint8_t *k, size_t kl, const uint8_t *v, size_t vl, void *user)
{
    struct signed_check *sc = user;
    (void)k;
    (void)kl;
    cr_assert_geq(vl, 8 + 8 + 8 + 32);
    if (memcmp(v + 24, sc->signer, 32))
        return true;
    uint64_t envelope = gl_rd64(v + 8);
    int64_t recorded_ms = (int64_t)gl_rd64(v + 16);
    bool valid = false;
    for (int i = 0; i < sc->kh.count; i++)
        valid |= recorded_ms >= sc->kh.recs[i].since_ms &&
                 (sc->kh.recs[i].until_ms == 0 || recorded_ms <= sc->kh.recs[i].until_ms);
    cr_assert(valid, "entry recorded at %lld outside every validity interval of its key",
              (long long)recorded_ms);
    sc->count++;
    (void)envelope;
    return true;
}

struct envelope_check {
    const uint8_t *signer;
    int verified;
};

static bool verify_envelope(const uint8_t *k, size_t kl, const uint8_t *v, size_t vl, void *user)
{
    struct envelope_check *ec = user;
    gl_request r;
    (void)k;
    (void)kl;
    cr_assert_eq(gl_request_decode(v, vl, &r), GL_OK);
    if (!memcmp(r.signer, ec->signer, 32)) {
        cr_assert_eq(gl_request_verify(&r), GL_OK, "a stored envelope no longer verifies");
        ec->verified++;
    }
    return true;
}

RTest(keyring, configuration_with_errors_is_refused_on_reload_and_the_running_one_kept)
{
    strcpy(h.extra_config, "\n[key broken]\npublic = 1234\nrole = boss\n");
    h.absent[K_STRANGER] = false; /* would add the stranger, were it accepted */
    cr_assert_not(h_reload(&h));
    cr_assert_gt(h_log_count(&h, "grandlivred.conf:"), 0,
                 "the errors were not reported with their line");
    ping_ok(K_ALPHA);
    char err[256];
    cr_assert_eq(call_with(&h.keys[K_STRANGER], h.server_pk, 10000, err, sizeof err),
                 GL_ERR_UNKNOWN_KEY);
}

RTest(keyring, change_that_needs_a_restart_is_refused_on_reload)
{
    strcpy(h.daemon_extra, "handshake_timeout_ms = 2000\n");
    cr_assert_not(h_reload(&h));
    cr_assert_gt(h_log_count(&h, "handshake_timeout_ms changed"), 0);
    ping_ok(K_ALPHA);
}

RTest(keyring, new_member_key_works_after_reload_and_nobody_is_dropped)
{
    gl_client *before = h_client(&h, K_ALPHA); /* connected before the reload */
    ping_ok(K_ALPHA);
    EXPECT_STATUS(h_call(&h, K_STRANGER, GL_KIND_PING, "", 0, NULL, 0, &r_), GL_ERR_UNKNOWN_KEY);
    h.absent[K_STRANGER] = false; /* a member of gamma */
    cr_assert(h_reload(&h));
    cr_assert_eq(h_client(&h, K_ALPHA), before);
    ping_ok(K_ALPHA);    /* the same connection, still served */
    ping_ok(K_STRANGER); /* the same client object that was refused: it reconnects */
    EXPECT_STATUS(h_call(&h, K_STRANGER, GL_KIND_ACCOUNTS_LIST, "gamma", 0, NULL, 0, &r_), GL_OK);
    EXPECT_STATUS(h_call(&h, K_STRANGER, GL_KIND_ACCOUNTS_LIST, "alpha", 0, NULL, 0, &r_),
                  GL_ERR_FORBIDDEN_TENANT);
    struct key_history kh = history(K_STRANGER);
    cr_assert_eq(kh.count, 1);
    cr_assert_eq(kh.recs[0].until_ms, 0);
    cr_assert_str_eq(kh.recs[0].tenant, "gamma");
    rebase(); /* the keyring history grew */
}

RTest(keyring, new_tenant_is_usable_after_reload)
{
    static const char *const accounts[] = {"512000"};
    gl_buf b;
    gl_buf_init(&b);
    gl_put_u8(&b, GL_OPEN_STRICT);
    gl_put_u32(&b, 1);
    gl_put_str8(&b, "512000", 6);
    gl_put_str8(&b, "x", 1);
    EXPECT_STATUS(h_call(&h, K_ACCOUNTANT, GL_KIND_ACCOUNTS_OPEN, "delta", 0, b.data, b.len, &r_),
                  GL_ERR_UNKNOWN_TENANT);
    gl_buf_free(&b);
    strcpy(h.extra_config, "\n[tenant delta]\nname = Delta\nsiren = 444444444\n");
    cr_assert(h_reload(&h));
    h_open_accounts(&h, "delta", accounts, 1);
    rebase();
}

RTest(keyring, revoked_key_is_refused_and_what_it_signed_still_verifies)
{
    gl_client *old_session = h_client(&h, K_ALPHA);
    ping_ok(K_ALPHA);
    h.revoked[K_ALPHA] = true;
    cr_assert(h_reload(&h));
    rebase();
    /* the connection opened before: every request refused, even a ping */
    gl_buf body;
    post_body(&body, "alpha", 5);
    EXPECT_STATUS(h_call(&h, K_ALPHA, GL_KIND_POST, "alpha", 0, body.data, body.len, &r_),
                  GL_ERR_KEY_REVOKED);
    EXPECT_STATUS(h_call(&h, K_ALPHA, GL_KIND_PING, "", 0, NULL, 0, &r_), GL_ERR_KEY_REVOKED);
    cr_assert_eq(h_client(&h, K_ALPHA), old_session);
    gl_buf_free(&body);
    /* a new connection: refused at the handshake */
    char err[256];
    cr_assert_eq(call_with(&h.keys[K_ALPHA], h.server_pk, 10000, err, sizeof err),
                 GL_ERR_UNKNOWN_KEY, "%s", err);
    /* the history: one interval, closed by revocation */
    struct key_history kh = history(K_ALPHA);
    cr_assert_eq(kh.count, 1);
    cr_assert_eq(kh.recs[0].end, 1, "end reason %u", kh.recs[0].end);
    cr_assert_gt(kh.recs[0].until_ms, kh.recs[0].since_ms);
    /* what alpha signed before: inside the interval, and its signature verifies */
    struct signed_check sc = {h.keys[K_ALPHA].pk, kh, 0};
    h_db_each(&h, "entries", check_entry, &sc);
    cr_assert_eq(sc.count, 1);
    struct envelope_check ec = {h.keys[K_ALPHA].pk, 0};
    h_db_each(&h, "envelopes", verify_envelope, &ec);
    cr_assert_eq(ec.verified, 1);
    cr_assert_gt(h_verify_chains(&h), 0);
}

RTest(keyring, revocation_outlives_a_configuration_that_forgets_it)
{
    h.revoked[K_ALPHA] = true;
    cr_assert(h_reload(&h));
    h.revoked[K_ALPHA] = false;
    cr_assert(h_reload(&h));
    cr_assert_gt(h_log_count(&h, "stays revoked"), 0);
    char err[256];
    cr_assert_eq(call_with(&h.keys[K_ALPHA], h.server_pk, 10000, err, sizeof err),
                 GL_ERR_UNKNOWN_KEY);
    h_stop(&h); /* and across a restart */
    h_start(&h);
    cr_assert_eq(call_with(&h.keys[K_ALPHA], h.server_pk, 10000, err, sizeof err),
                 GL_ERR_UNKNOWN_KEY);
    struct key_history kh = history(K_ALPHA);
    cr_assert_eq(kh.count, 1, "a revoked key got a new validity interval");
    rebase();
}

RTest(keyring, rotation_replaces_a_members_key)
{
    char hex[65];
    gl_hex(h.keys[K_STRANGER].pk, 32, hex);
    snprintf(h.extra_config, sizeof h.extra_config,
             "\n[key alpha-2026]\npublic = %s\nrole = member\ntenant = alpha\n", hex);
    h.revoked[K_ALPHA] = true;
    cr_assert(h_reload(&h));
    gl_buf body;
    post_body(&body, "alpha", 5);
    EXPECT_STATUS(h_call(&h, K_STRANGER, GL_KIND_POST, "alpha", 0, body.data, body.len, &r_),
                  GL_OK);
    /* the old key: refused on its open connection, and when connecting */
    EXPECT_STATUS(h_call(&h, K_ALPHA, GL_KIND_POST, "alpha", 0, body.data, body.len, &r_),
                  GL_ERR_KEY_REVOKED);
    char err[256];
    cr_assert_eq(call_with(&h.keys[K_ALPHA], h.server_pk, 10000, err, sizeof err),
                 GL_ERR_UNKNOWN_KEY);
    gl_buf_free(&body);
    struct key_history old = history(K_ALPHA), new = history(K_STRANGER);
    cr_assert(old.count == 1 && old.recs[0].end == 1);
    cr_assert(new.count == 1 && new.recs[0].until_ms == 0 && !strcmp(new.recs[0].tenant, "alpha"));
    rebase();
}

RTest(keyring, removed_key_is_unknown_and_its_history_kept)
{
    gl_client *old_session = h_client(&h, K_BETA);
    ping_ok(K_BETA);
    h.absent[K_BETA] = true;
    cr_assert(h_reload(&h));
    EXPECT_STATUS(h_call(&h, K_BETA, GL_KIND_PING, "", 0, NULL, 0, &r_), GL_ERR_UNKNOWN_KEY);
    cr_assert_eq(h_client(&h, K_BETA), old_session);
    struct key_history kh = history(K_BETA);
    cr_assert(kh.count == 1 && kh.recs[0].end == 2 && kh.recs[0].until_ms > 0);
    /* back in the configuration: a new interval, the old one kept */
    h.absent[K_BETA] = false;
    cr_assert(h_reload(&h));
    ping_ok(K_BETA);
    kh = history(K_BETA);
    cr_assert_eq(kh.count, 2);
    cr_assert(kh.recs[1].since_ms >= kh.recs[0].until_ms && kh.recs[1].until_ms == 0);
    rebase();
}

/* Empty the keyring history, as in a ledger written before it existed
 * (the daemon stopped). */
static void erase_history(void)
{
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    char path[400];
    snprintf(path, sizeof path, "%s/data", h.dir);
    cr_assert(mdb_env_create(&env) == 0);
    mdb_env_set_maxdbs(env, 64);
    mdb_env_set_mapsize(env, 1024ull << 20);
    cr_assert(mdb_env_open(env, path, 0, 0600) == 0);
    cr_assert(mdb_txn_begin(env, NULL, 0, &txn) == 0);
    cr_assert(mdb_dbi_open(txn, "keyring", 0, &dbi) == 0);
    cr_assert(mdb_drop(txn, dbi, 0) == 0);
    cr_assert(mdb_txn_commit(txn) == 0);
    mdb_env_close(env);
}

RTest(keyring, ledger_older_than_its_history_keeps_its_entries_valid)
{
    h_stop(&h);
    erase_history();
    h_start(&h);
    struct key_history kh = history(K_ALPHA);
    cr_assert_eq(kh.count, 1);
    cr_assert_eq(kh.recs[0].since_ms, 0,
                 "the keys of an older ledger are valid from its beginning");
    struct signed_check sc = {h.keys[K_ALPHA].pk, kh, 0};
    h_db_each(&h, "entries", check_entry, &sc);
    cr_assert_eq(sc.count, 1);
    /* a fresh ledger's keys start when they were recorded */
    struct key_history stranger = history(K_STRANGER);
    cr_assert_eq(stranger.count, 0);
    rebase();
}

/* ===================================================================== */
/* peers                                                                  */
/* ===================================================================== */

/* The daemon's handshake timeout here; 6x under valgrind (GL_DAEMON_WRAPPER),
 * where an honest handshake takes longer. */
#define SLOW (getenv("GL_DAEMON_WRAPPER") ? 6 : 1)
#define HANDSHAKE_MS (1000 * SLOW)

static char tcp_endpoint[64], tcp_extra[64];

static void setup_tcp_with(int handshake_ms, unsigned nofile)
{
    snprintf(tcp_endpoint, sizeof tcp_endpoint, "tcp://127.0.0.1:%d", h_free_port());
    snprintf(tcp_extra, sizeof tcp_extra, "handshake_timeout_ms = %d\n", handshake_ms);
    h_opts o = {.endpoint = tcp_endpoint, .daemon_extra = tcp_extra, .nofile = nofile};
    h_setup_opts(&h, &o);
    populate();
}

static void setup_tcp(void) { setup_tcp_with(HANDSHAKE_MS, 0); }
static void setup_tcp_few_files(void) { setup_tcp_with(300 * SLOW, 64); }

/* n raw TCP connections to the daemon; with `greet`, each sends the first
 * bytes of a ZMTP greeting and stops there (half-open handshakes). */
static int *open_raw(int n, bool greet)
{
    int port = atoi(strrchr(tcp_endpoint, ':') + 1);
    int *fds = calloc((size_t)n, sizeof *fds);
    static const uint8_t partial[] = {0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, 3};
    for (int i = 0; i < n; i++) {
        struct sockaddr_in a = {.sin_family = AF_INET,
                                .sin_port = htons((uint16_t)port),
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        fds[i] = socket(AF_INET, SOCK_STREAM, 0);
        cr_assert(fds[i] >= 0, "socket: %s", strerror(errno));
        cr_assert(connect(fds[i], (struct sockaddr *)&a, sizeof a) == 0, "connect: %s",
                  strerror(errno));
        if (greet && i % 2 == 0)
            cr_assert_eq(write(fds[i], partial, sizeof partial), (ssize_t)sizeof partial);
        cr_assert(fcntl(fds[i], F_SETFL, O_NONBLOCK) == 0);
    }
    return fds;
}

/* Wait until the daemon has closed all n connections (EOF after whatever
 * it sent); returns how many it closed before the deadline. */
static int wait_closed(int *fds, int n, int timeout_ms)
{
    struct pollfd *p = calloc((size_t)n, sizeof *p);
    int closed = 0;
    for (int i = 0; i < n; i++)
        p[i] = (struct pollfd){.fd = fds[i], .events = POLLIN};
    int64_t deadline = mono_ms() + timeout_ms;
    while (closed < n && mono_ms() < deadline) {
        if (poll(p, (nfds_t)n, (int)(deadline - mono_ms())) <= 0)
            continue;
        for (int i = 0; i < n; i++) {
            if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char buf[256];
            ssize_t r = read(p[i].fd, buf, sizeof buf);
            if (r == 0 || (r < 0 && errno != EAGAIN)) {
                close(p[i].fd);
                p[i].fd = -1;
                closed++;
            }
        }
    }
    for (int i = 0; i < n; i++)
        if (p[i].fd >= 0)
            close(p[i].fd);
    free(p);
    free(fds);
    return closed;
}

TestSuite(peers, .fini = teardown, .timeout = 90);

RTest(peers, silent_connections_do_not_stop_others_and_are_closed, .init = setup_tcp)
{
    int *fds = open_raw(2, false);
    int64_t t0 = mono_ms();
    ping_ok(K_ALPHA);
    ping_ok(K_BETA);
    cr_assert_lt(mono_ms() - t0, HANDSHAKE_MS, "others waited for the silent connection");
    cr_assert_eq(wait_closed(fds, 2, HANDSHAKE_MS + 5000), 2,
                 "the daemon kept a silent connection");
}

RTest(peers, a_thousand_half_open_connections_do_not_stop_service, .init = setup_tcp)
{
    enum { N = 1000 };
    int *fds = open_raw(N, true);
    int64_t t0 = mono_ms();
    ping_ok(K_ALPHA);
    gl_line_in l[2];
    gl_entry_in e = h_entry2("alpha", 20250301, "606100", "512000", 5, l);
    gl_response r;
    cr_assert_eq(h_post(&h, K_ALPHA, &e, 1, &r), GL_OK);
    gl_response_free(&r);
    int64_t served_ms = mono_ms() - t0;
    cr_log_info("served in %lld ms beside %d half-open connections", (long long)served_ms, N);
    cr_assert_lt(served_ms, HANDSHAKE_MS,
                 "a client waited for the half-open connections to expire");
    int closed = wait_closed(fds, N, HANDSHAKE_MS + 10000);
    cr_assert_eq(closed, N, "%d of %d half-open connections still open", N - closed, N);
    rebase();
}

RTest(peers, at_the_open_files_limit_the_daemon_survives_and_recovers, .init = setup_tcp_few_files)
{
    enum { N = 200 }; /* over the daemon's 64 descriptors */
    gl_client *established = h_client(&h, K_ALPHA);
    ping_ok(K_ALPHA);
    int *fds = open_raw(N, true);
    /* an established connection keeps being served at the limit */
    ping_ok(K_ALPHA);
    cr_assert_eq(h_client(&h, K_ALPHA), established);
    /* a new client waits in the backlog (or is cut short, and tries
     * again), then is served once the half-open connections time out and
     * free their descriptors */
    char err[256];
    int64_t t0 = mono_ms();
    int st, tries = 0;
    do
        st = call_with(&h.keys[K_BETA], h.server_pk, 30000, err, sizeof err);
    while ((st == GL_ERR_CONNECT || st == GL_ERR_SERVER_KEY) && ++tries < 20 &&
           mono_ms() - t0 < 30000); /* cut short in the handshake: server_key */
    cr_assert_eq(st, GL_OK, "%s: %s", gl_status_name(st), err);
    cr_log_info("a new client was served after %lld ms and %d failed tries at the limit",
                (long long)(mono_ms() - t0), tries);
    int status;
    cr_assert_eq(waitpid(h.pid, &status, WNOHANG), 0, "the daemon died at the limit");
    cr_assert_gt(h_log_count(&h, "cannot accept connections"), 0,
                 "the daemon did not say it ran out");
    wait_closed(fds, N, 20000);
}

/* ===================================================================== */
/* curve_off                                                              */
/* ===================================================================== */

static void setup_plain(void)
{
    h_opts o = {.curve_off = true};
    h_setup_opts(&h, &o);
    populate();
}

TestSuite(curve_off, .init = setup_plain, .fini = teardown, .timeout = 60);

RTest(curve_off, client_expecting_curve_refuses_a_daemon_without_it)
{
    uint8_t some_key[32];
    char err[256];
    randombytes_buf(some_key, sizeof some_key);
    int64_t t0 = mono_ms();
    int st = call_with(&h.keys[K_ALPHA], some_key, 30000, err, sizeof err);
    /* libzmq reports the mismatch either with a detail (same security:
     * connect) or as a peer closing during the handshake, which the client
     * cannot tell from another key (server_key, naming both causes). */
    cr_assert(st == GL_ERR_CONNECT || st == GL_ERR_SERVER_KEY, "%s", gl_status_name(st));
    cr_assert_lt(mono_ms() - t0, 10000);
    if (st == GL_ERR_SERVER_KEY)
        cr_assert(strstr(err, "without CURVE"), "%s", err);
    else
        cr_assert(strstr(err, "handshake") || strstr(err, "same security"), "%s", err);
    cr_assert_gt(h_log_count(&h, "curve = off"), 0,
                 "the daemon did not warn that it runs in clear");
}

RTest(curve_off, is_refused_on_tcp)
{
    char path[400], cmd[800];
    snprintf(path, sizeof path, "%s/tcp.conf", h.dir);
    FILE *f = fopen(path, "w");
    fprintf(f, "[daemon]\ndata_dir = data2\nendpoint = tcp://127.0.0.1:5555\ncurve = off\n");
    fclose(f);
    snprintf(
        cmd, sizeof cmd,
        "'%s/grandlivred' -n -c '%s' 2>&1 | grep -q '%s:4: curve = off is refused on a tcp://'",
        h_build_dir(), path, path);
    cr_assert_eq(system(cmd), 0);
}

/* ===================================================================== */
/* cli                                                                    */
/* ===================================================================== */

TestSuite(cli_security, .init = setup, .fini = teardown, .timeout = 60);

static int run(const char *env, const char *args, char *out, size_t out_len)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "%s '%s/grandlivre' %s 2>&1", env, h_build_dir(), args);
    FILE *p = popen(cmd, "r");
    cr_assert(p);
    size_t n = fread(out, 1, out_len - 1, p);
    out[n] = '\0';
    int status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

RTest(cli_security, no_server_key_means_no_connection)
{
    char args[1024], out[2048];
    snprintf(args, sizeof args, "ping --endpoint '%s' --key '%s'", h.endpoint, h.key_path[K_ALPHA]);
    cr_assert_eq(run("env -u GRANDLIVRE_SERVER_KEY", args, out, sizeof out), 2, "%s", out);
    cr_assert(strstr(out, "no server key"), "%s", out);
    cr_assert_eq(run("GRANDLIVRE_SERVER_KEY=abcd", args, out, sizeof out), 2, "%s", out);
}

RTest(cli_security, wrong_server_key_and_unknown_key_exit_codes)
{
    char args[1024], out[2048], env[200];
    snprintf(args, sizeof args, "ping --endpoint '%s' --key '%s' --timeout 30", h.endpoint,
             h.key_path[K_ALPHA]);
    snprintf(env, sizeof env, "GRANDLIVRE_SERVER_KEY=%064d", 7);
    int64_t t0 = mono_ms();
    cr_assert_eq(run(env, args, out, sizeof out), 3, "%s", out);
    cr_assert_lt(mono_ms() - t0, 10000);
    char hex[65];
    gl_hex(h.server_pk, 32, hex);
    snprintf(env, sizeof env, "GRANDLIVRE_SERVER_KEY=%s", hex);
    snprintf(args, sizeof args, "ping --endpoint '%s' --key '%s'", h.endpoint,
             h.key_path[K_STRANGER]);
    cr_assert_eq(run(env, args, out, sizeof out), 1, "%s", out);
    cr_assert(strstr(out, "201 unknown_key"), "%s", out);
}

RTest(cli_security, protected_key_file_needs_its_passphrase)
{
    char path[400], args[1024], out[2048], env[300], hex[65];
    snprintf(path, sizeof path, "%s/protected.key", h.dir);
    snprintf(args, sizeof args, "keygen --passphrase --out '%s'", path);
    cr_assert_eq(run("GRANDLIVRE_PASSPHRASE='la phrase'", args, out, sizeof out), 0, "%s", out);
    cr_assert_eq(strcspn(out, "\n"), 64, "%s", out);
    cr_assert(strstr(out, "\nfingerprint: "), "%s", out);
    snprintf(h.extra_config, sizeof h.extra_config,
             "\n[key protected]\npublic = %.64s\nrole = auditor\n", out);
    cr_assert(h_reload(&h));
    rebase();
    gl_hex(h.server_pk, 32, hex);
    snprintf(args, sizeof args, "ping --endpoint '%s' --key '%s'", h.endpoint, path);
    snprintf(env, sizeof env, "GRANDLIVRE_SERVER_KEY=%s GRANDLIVRE_PASSPHRASE='la phrase'", hex);
    cr_assert_eq(run(env, args, out, sizeof out), 0, "%s", out);
    snprintf(env, sizeof env, "GRANDLIVRE_SERVER_KEY=%s GRANDLIVRE_PASSPHRASE='la phrasf'", hex);
    cr_assert_eq(run(env, args, out, sizeof out), 4, "%s", out);
    cr_assert(strstr(out, "wrong passphrase"), "%s", out);
    snprintf(env, sizeof env, "GRANDLIVRE_SERVER_KEY=%s GRANDLIVRE_PASSPHRASE= setsid -w", hex);
    cr_assert_eq(run(env, args, out, sizeof out), 4, "%s", out); /* no terminal, no passphrase */
    cr_assert_null(strstr(out, "la phrase"), "the passphrase was printed");
}

RTest(cli_security, config_check_reports_bad_security_settings)
{
    char path[400], cmd[1200], out[4096];
    snprintf(path, sizeof path, "%s/bad.conf", h.dir);
    FILE *f = fopen(path, "w");
    fprintf(f,
            "[daemon]\ndata_dir = d\ncurve = maybe\nhandshake_timeout_ms = 5\n\n"
            "[key k]\npublic = %064d\nrole = auditor\nrevoked = perhaps\n",
            1);
    fclose(f);
    snprintf(cmd, sizeof cmd, "'%s/grandlivred' -n -c '%s' 2>&1", h_build_dir(), path);
    FILE *p = popen(cmd, "r");
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    cr_assert_neq(pclose(p), 0);
    const char *want[] = {":3: curve must be on or off", ":4: handshake_timeout_ms must be",
                          ":9: revoked must be yes or no"};
    for (size_t i = 0; i < 3; i++)
        cr_expect(strstr(out, want[i]), "missing '%s' in:\n%s", want[i], out);
}
