/*
 * daemon/zap.c — see zap.h.  A ZAP request is 7 frames: version "1.0",
 * request id, domain, address, routing id, mechanism, credentials (for
 * CURVE: the client's 32-byte public key).  The reply is 6 frames: version,
 * request id, status code ("200" admits, "400" refuses), status text, user
 * id, metadata.  Anything unexpected (another version, domain or mechanism,
 * a frame too long, too many frames) is refused, never admitted.
 */
#include "zap.h"

#include "log.h"

#include "proto/assert.h"

#include <errno.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#define ZAP_FRAMES 7
#define ZAP_FRAME_MAX 256
#define ZAP_BATCH_MAX 256 /* answered per call, so that requests are served too */

typedef struct zap_req {
    uint8_t frame[ZAP_FRAMES][ZAP_FRAME_MAX];
    size_t len[ZAP_FRAMES];
    int frames;
    bool too_long;
} zap_req;

int zap_open(zap *z, void *zctx, char *err, size_t err_len)
{
    memset(z, 0, sizeof *z);
    int linger_ms = 0;
    z->sock = zmq_socket(zctx, ZMQ_REP);
    if (!z->sock || zmq_setsockopt(z->sock, ZMQ_LINGER, &linger_ms, sizeof linger_ms) != 0 ||
        zmq_bind(z->sock, ZAP_ENDPOINT) != 0) {
        snprintf(err, err_len, "cannot bind the ZAP handler on %s: %s", ZAP_ENDPOINT,
                 zmq_strerror(errno));
        zap_close(z);
        return -1;
    }
    return 0;
}

void zap_close(zap *z)
{
    if (z->sock)
        zmq_close(z->sock);
    z->sock = NULL;
}

/* Read every frame of one request (keeping the first ZAP_FRAMES). 0, or -1
 * if none was waiting. */
static int read_request(void *sock, zap_req *r)
{
    memset(r, 0, sizeof *r);
    bool more = true;
    for (int i = 0; more; i++) {
        zmq_msg_t m;
        zmq_msg_init(&m);
        if (zmq_msg_recv(&m, sock, i == 0 ? ZMQ_DONTWAIT : 0) < 0) {
            zmq_msg_close(&m);
            return i == 0 ? -1 : 0;
        }
        more = zmq_msg_more(&m);
        if (i < ZAP_FRAMES) {
            size_t n = zmq_msg_size(&m);
            r->too_long |= n > ZAP_FRAME_MAX;
            r->len[i] = n > ZAP_FRAME_MAX ? ZAP_FRAME_MAX : n;
            memcpy(r->frame[i], zmq_msg_data(&m), r->len[i]);
        }
        r->frames = i + 1;
        zmq_msg_close(&m);
    }
    return 0;
}

static bool frame_is(const zap_req *r, int i, const char *text)
{
    return r->len[i] == strlen(text) && !memcmp(r->frame[i], text, r->len[i]);
}

/* The verdict on one request: NULL (admitted, key set) or the refusal. */
static const char *judge(const zap_req *r, const gl_config *cfg, const gl_key_cfg **key)
{
    *key = NULL;
    if (r->frames != ZAP_FRAMES || r->too_long || !frame_is(r, 0, "1.0"))
        return "malformed ZAP request";
    if (!frame_is(r, 2, ZAP_DOMAIN))
        return "unknown ZAP domain";
    if (!frame_is(r, 5, "CURVE") || r->len[6] != 32)
        return "not a CURVE handshake";
    *key = gl_config_key_by_curve(cfg, r->frame[6]);
    if (!*key)
        return "unknown key";
    if ((*key)->revoked)
        return "revoked key";
    return NULL;
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Log a refusal, at most ZAP_LOG_PER_MINUTE a minute (a hostile network
 * must not fill the log); never a key, only its first bytes. */
static void log_refusal(zap *z, const zap_req *r, const char *why)
{
    int64_t now = mono_ms();
    if (now - z->window_ms >= 60000) {
        if (z->suppressed)
            log_line(GL_LOG_WARN, "zap", "%u more connections refused in the last minute",
                     z->suppressed);
        z->window_ms = now;
        z->logged = z->suppressed = 0;
    }
    if (z->logged++ >= ZAP_LOG_PER_MINUTE) {
        z->suppressed++;
        return;
    }
    char curve[17] = "";
    if (r->frames == ZAP_FRAMES && r->len[6] == 32)
        sodium_bin2hex(curve, sizeof curve, r->frame[6], 8);
    log_line(GL_LOG_WARN, "zap", "refused a connection from %.*s: %s%s%s",
             r->frames > 3 ? (int)r->len[3] : 0, (const char *)r->frame[3], why,
             curve[0] ? ", CURVE key " : "", curve[0] ? curve : "");
}

static void send_reply(void *sock, const zap_req *r, const char *code, const char *text,
                       const char *user_id)
{
    zmq_send(sock, "1.0", 3, ZMQ_SNDMORE);
    zmq_send(sock, r->frame[1], r->frames > 1 ? r->len[1] : 0, ZMQ_SNDMORE);
    zmq_send(sock, code, strlen(code), ZMQ_SNDMORE);
    zmq_send(sock, text, strlen(text), ZMQ_SNDMORE);
    zmq_send(sock, user_id, strlen(user_id), ZMQ_SNDMORE);
    zmq_send(sock, "", 0, 0);
}

int zap_answer(zap *z, const gl_config *cfg)
{
    int answered = 0;
    zap_req r;
    while (answered < ZAP_BATCH_MAX && read_request(z->sock, &r) == 0) {
        const gl_key_cfg *key;
        const char *why = judge(&r, cfg, &key);
        if (why) {
            log_refusal(z, &r, why);
            send_reply(z->sock, &r, "400", why, "");
        } else {
            char user_id[65];
            sodium_bin2hex(user_id, sizeof user_id, key->curve, 32);
            send_reply(z->sock, &r, "200", "OK", user_id);
        }
        answered++;
    }
    return answered;
}

int zap_user_id_parse(const char *s, uint8_t curve[32])
{
    size_t bin_len;
    if (!s || strlen(s) != 64 || sodium_hex2bin(curve, 32, s, 64, NULL, &bin_len, NULL) != 0 ||
        bin_len != 32)
        return -1;
    return 0;
}
