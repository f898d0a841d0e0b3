/*
 * tests/unit/test_transport.c — the daemon's CURVE server socket and ZAP
 * handler against real libzmq sockets (ipc:// in a temporary directory; no
 * daemon).  First the libzmq 4.3 trap, shown on a plain CURVE server (any
 * client key admitted when no ZAP handler answers); then that
 * transport_curve_server refuses in exactly that situation; then the ZAP
 * handler: a known key admitted with its User-Id (and a peer's own X-*
 * metadata kept apart from it), unknown and revoked keys refused.
 */
#include "daemon/transport.h"
#include "daemon/zap.h"
#include "tests/support/harness.h"

#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

#define FAILED                                                                    \
    (ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | \
     ZMQ_EVENT_HANDSHAKE_FAILED_AUTH)

static char dir[64], endpoint[128];
static void *ctx;
static uint8_t server_pk[32], server_sk[32];

static void setup(void)
{
    cr_assert(sodium_init() >= 0);
    snprintf(dir, sizeof dir, "/tmp/gl-transport-XXXXXX");
    cr_assert(mkdtemp(dir));
    snprintf(endpoint, sizeof endpoint, "ipc://%s/sock", dir);
    ctx = zmq_ctx_new();
    crypto_box_keypair(server_pk, server_sk);
}

static void teardown(void)
{
    zmq_ctx_term(ctx);
    char path[128];
    snprintf(path, sizeof path, "%s/sock", dir);
    unlink(path);
    rmdir(dir);
}

TestSuite(transport, .init = setup, .fini = teardown, .timeout = 30);

static void *router(bool secure)
{
    void *r = zmq_socket(ctx, ZMQ_ROUTER);
    int linger = 0, one = 1;
    char err[256];
    zmq_setsockopt(r, ZMQ_LINGER, &linger, sizeof linger);
    if (secure) {
        cr_assert_eq(transport_curve_server(r, server_sk, err, sizeof err), 0, "%s", err);
    } else { /* CURVE as most examples set it up: no ZAP domain, nothing enforced */
        zmq_setsockopt(r, ZMQ_CURVE_SERVER, &one, sizeof one);
        zmq_setsockopt(r, ZMQ_CURVE_SECRETKEY, server_sk, 32);
    }
    cr_assert(zmq_bind(r, endpoint) == 0);
    return r;
}

/* A client with a fresh CURVE key pair (or the given one). */
static void *client(const uint8_t *pk, const uint8_t *sk, const char *metadata)
{
    uint8_t p[32], s[32];
    if (!pk) {
        crypto_box_keypair(p, s);
        pk = p;
        sk = s;
    }
    void *d = zmq_socket(ctx, ZMQ_DEALER);
    int linger = 0;
    zmq_setsockopt(d, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(d, ZMQ_CURVE_SERVERKEY, server_pk, 32);
    zmq_setsockopt(d, ZMQ_CURVE_PUBLICKEY, pk, 32);
    zmq_setsockopt(d, ZMQ_CURVE_SECRETKEY, sk, 32);
    if (metadata)
        cr_assert(zmq_setsockopt(d, 95 /* ZMQ_METADATA */, metadata, strlen(metadata)) == 0);
    return d;
}

static bool router_got_message(void *r, int timeout_ms, char *user_id, char *x_user_id)
{
    zmq_pollitem_t it = {r, 0, ZMQ_POLLIN, 0};
    if (zmq_poll(&it, 1, timeout_ms) <= 0)
        return false;
    zmq_msg_t id, body;
    zmq_msg_init(&id);
    zmq_msg_init(&body);
    zmq_msg_recv(&id, r, 0);
    zmq_msg_recv(&body, r, 0);
    const char *u = zmq_msg_gets(&body, "User-Id"), *x = zmq_msg_gets(&body, "X-User-Id");
    if (user_id)
        snprintf(user_id, 80, "%s", u ? u : "");
    if (x_user_id)
        snprintf(x_user_id, 80, "%s", x ? x : "");
    zmq_msg_close(&id);
    zmq_msg_close(&body);
    return true;
}

Test(transport, plain_curve_server_without_zap_admits_any_key)
{
    /* The trap, shown so that the next test is known not to pass vacuously. */
    void *r = router(false), *d = client(NULL, NULL, NULL);
    void *m = h_monitor(ctx, d);
    cr_assert(zmq_connect(d, endpoint) == 0);
    cr_assert_eq(zmq_send(d, "hi", 2, 0), 2);
    cr_assert_eq(h_next_event(m, ZMQ_EVENT_HANDSHAKE_SUCCEEDED | FAILED, 5000, NULL),
                 ZMQ_EVENT_HANDSHAKE_SUCCEEDED);
    cr_assert(router_got_message(r, 5000, NULL, NULL),
              "the unknown key was admitted, as libzmq does");
    zmq_close(m);
    zmq_close(d);
    zmq_close(r);
}

Test(transport, daemon_curve_server_without_zap_refuses_any_key)
{
    void *r = router(true), *d = client(NULL, NULL, NULL);
    void *m = h_monitor(ctx, d);
    cr_assert(zmq_connect(d, endpoint) == 0);
    zmq_send(d, "hi", 2, ZMQ_DONTWAIT);
    int ev = h_next_event(m, ZMQ_EVENT_HANDSHAKE_SUCCEEDED | FAILED, 5000, NULL);
    cr_assert(ev & FAILED, "handshake event 0x%x, want a failure", ev);
    cr_assert_not(router_got_message(r, 0, NULL, NULL));
    zmq_close(m);
    zmq_close(d);
    zmq_close(r);
}

/* A one-key configuration: the key's CURVE key pair is (pk, sk). */
static void one_key_config(gl_config *cfg, gl_key_cfg *key, uint8_t pk[32], uint8_t sk[32],
                           bool revoked)
{
    memset(cfg, 0, sizeof *cfg);
    memset(key, 0, sizeof *key);
    crypto_box_keypair(pk, sk);
    snprintf(key->name, sizeof key->name, "k");
    key->has_pub = 1;
    key->has_curve = true;
    key->revoked = revoked;
    key->role = GL_ROLE_AUDITOR;
    memcpy(key->curve, pk, 32);
    cfg->keys = key;
    cfg->key_count = 1;
    cfg->curve = true;
}

/* Serve ZAP for cfg until the client's handshake ends; returns its event. */
static int handshake(zap *z, const gl_config *cfg, void *monitor)
{
    for (int i = 0; i < 500; i++) {
        zap_answer(z, cfg);
        int ev = h_next_event(monitor, ZMQ_EVENT_HANDSHAKE_SUCCEEDED | FAILED, 10, NULL);
        if (ev)
            return ev;
    }
    return 0;
}

Test(transport, zap_refuses_unknown_and_revoked_keys)
{
    cr_redirect_stderr(); /* the refusals are logged */
    zap z;
    char err[256];
    gl_config cfg;
    gl_key_cfg key;
    uint8_t pk[32], sk[32];
    cr_assert_eq(zap_open(&z, ctx, err, sizeof err), 0, "%s", err);
    one_key_config(&cfg, &key, pk, sk, true);
    void *r = router(true);
    void *revoked = client(pk, sk, NULL), *stranger = client(NULL, NULL, NULL);
    void *m1 = h_monitor(ctx, revoked), *m2 = h_monitor(ctx, stranger);
    cr_assert(zmq_connect(revoked, endpoint) == 0 && zmq_connect(stranger, endpoint) == 0);
    cr_assert_eq(handshake(&z, &cfg, m1), ZMQ_EVENT_HANDSHAKE_FAILED_AUTH);
    cr_assert_eq(handshake(&z, &cfg, m2), ZMQ_EVENT_HANDSHAKE_FAILED_AUTH);
    cr_assert_not(router_got_message(r, 0, NULL, NULL));
    zmq_close(m1);
    zmq_close(m2);
    zmq_close(revoked);
    zmq_close(stranger);
    zmq_close(r);
    zap_close(&z);
}

Test(transport, zap_admits_a_known_key_and_names_it_in_user_id)
{
    zap z;
    char err[256], user_id[80], x_user_id[80], want[65];
    gl_config cfg;
    gl_key_cfg key;
    uint8_t pk[32], sk[32], other[32];
    cr_assert_eq(zap_open(&z, ctx, err, sizeof err), 0, "%s", err);
    one_key_config(&cfg, &key, pk, sk, false);
    void *r = router(true);
    /* the peer claims another identity in its own metadata: kept apart */
    randombytes_buf(other, sizeof other);
    char spoof[100] = "X-User-Id:";
    sodium_bin2hex(spoof + 10, 65, other, 32);
    void *d = client(pk, sk, spoof);
    void *m = h_monitor(ctx, d);
    cr_assert(zmq_connect(d, endpoint) == 0);
    zmq_send(d, "hi", 2, ZMQ_DONTWAIT);
    cr_assert_eq(handshake(&z, &cfg, m), ZMQ_EVENT_HANDSHAKE_SUCCEEDED);
    cr_assert(router_got_message(r, 5000, user_id, x_user_id));
    sodium_bin2hex(want, sizeof want, pk, 32);
    cr_assert_str_eq(user_id, want);
    cr_assert_str_eq(x_user_id, spoof + 10);
    uint8_t parsed[32];
    cr_assert_eq(zap_user_id_parse(user_id, parsed), 0);
    cr_assert(!memcmp(parsed, pk, 32));
    cr_assert_neq(zap_user_id_parse("", parsed), 0);
    cr_assert_neq(zap_user_id_parse(NULL, parsed), 0);
    zmq_close(m);
    zmq_close(d);
    zmq_close(r);
    zap_close(&z);
}

Test(transport, server_key_is_private_and_kept)
{
    uint8_t pk[32], sk[32], pk2[32], sk2[32];
    char err[256], data[128], file[160];
    snprintf(data, sizeof data, "%s/data", dir);
    snprintf(file, sizeof file, "%s/%s", data, SERVER_KEY_FILE);
    cr_assert_eq(transport_server_key(data, pk, sk, err, sizeof err), 0, "%s", err);
    struct stat sb;
    cr_assert(stat(file, &sb) == 0);
    cr_assert_eq(sb.st_mode & 0777, 0600);
    cr_assert_eq(transport_server_key(data, pk2, sk2, err, sizeof err), 0, "%s", err);
    cr_assert(!memcmp(pk, pk2, 32) && !memcmp(sk, sk2, 32), "the key changed between starts");
    chmod(file, 0644);
    cr_assert_neq(transport_server_key(data, pk2, sk2, err, sizeof err), 0);
    cr_assert(strstr(err, "readable by others"), "%s", err);
    chmod(file, 0600);
    FILE *f = fopen(file, "r+");
    fseek(f, -3, SEEK_END);
    fputc('z', f); /* no longer hex */
    fputc('z', f);
    fclose(f);
    cr_assert_neq(transport_server_key(data, pk2, sk2, err, sizeof err), 0,
                  "a damaged key was accepted");
    unlink(file);
    rmdir(data);
}
