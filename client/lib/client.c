/*
 * client/lib/client.c — connection and calls.  A DEALER socket sends one
 * frame per request; the reply is matched by request id (a late reply to an
 * earlier, timed-out call is discarded).  Every wait is bounded by the
 * timeout: the client never hangs.
 */
#include "grandlivre.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

struct gl_client {
    void *zctx;
    void *sock;
    gl_key key;
    int timeout_ms;
};

int gl_client_open(gl_client **out, const char *endpoint, const gl_key *key, int timeout_ms,
                   char *err, size_t err_len)
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
    c->zctx = zmq_ctx_new();
    c->sock = c->zctx ? zmq_socket(c->zctx, ZMQ_DEALER) : NULL;
    int linger_ms = 0;
    int64_t max_msg = (int64_t)GL_MESSAGE_MAX + 8192;
    if (!c->sock || zmq_setsockopt(c->sock, ZMQ_LINGER, &linger_ms, sizeof linger_ms) ||
        zmq_setsockopt(c->sock, ZMQ_MAXMSGSIZE, &max_msg, sizeof max_msg) ||
        zmq_connect(c->sock, endpoint) != 0) {
        snprintf(err, err_len, "cannot connect to %s: %s", endpoint, zmq_strerror(errno));
        gl_client_close(c);
        return GL_ERR_CONNECT;
    }
    *out = c;
    return GL_OK;
}

void gl_client_close(gl_client *c)
{
    if (!c)
        return;
    if (c->sock)
        zmq_close(c->sock);
    if (c->zctx)
        zmq_ctx_term(c->zctx);
    gl_key_wipe(&c->key);
    free(c);
}

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

/* Receive one reply for request_id within the deadline. */
static int wait_reply(gl_client *c, uint64_t request_id, int64_t deadline_ms, gl_response *resp)
{
    for (;;) {
        int64_t left = deadline_ms - mono_ms();
        if (left <= 0)
            return GL_ERR_TIMEOUT;
        zmq_pollitem_t item = {c->sock, 0, ZMQ_POLLIN, 0};
        int n = zmq_poll(&item, 1, (long)left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return GL_ERR_CONNECT;
        if (n == 0)
            return GL_ERR_TIMEOUT;
        zmq_msg_t msg;
        zmq_msg_init(&msg);
        if (zmq_msg_recv(&msg, c->sock, 0) < 0) {
            zmq_msg_close(&msg);
            continue;
        }
        gl_buf_reset(&resp->raw);
        gl_put_bytes(&resp->raw, zmq_msg_data(&msg), zmq_msg_size(&msg));
        zmq_msg_close(&msg);
        if (!gl_buf_ok(&resp->raw))
            return GL_ERR_NOMEM;
        if (gl_reply_decode(resp->raw.data, resp->raw.len, &resp->reply) != GL_OK)
            continue; /* not a reply we understand: keep waiting */
        if (resp->reply.request_id == request_id || resp->reply.request_id == 0)
            return GL_OK;
    }
}

int gl_call(gl_client *c, uint16_t kind, const char *tenant, uint64_t request_id,
            const void *body, size_t body_len, gl_response *resp)
{
    gl_buf_init(&resp->raw);
    memset(&resp->reply, 0, sizeof resp->reply);
    if (request_id == 0)
        request_id = gl_request_id_random();
    gl_buf req;
    gl_buf_init(&req);
    int st = gl_request_encode(&req, kind, c->key.sk, tenant, request_id, now_ms(), body, body_len);
    if (st == GL_OK) {
        int64_t deadline = mono_ms() + c->timeout_ms;
        if (zmq_send(c->sock, req.data, req.len, ZMQ_DONTWAIT) < 0) {
            /* not connected yet: wait for the connection within the deadline */
            int timeout = c->timeout_ms;
            zmq_setsockopt(c->sock, ZMQ_SNDTIMEO, &timeout, sizeof timeout);
            if (zmq_send(c->sock, req.data, req.len, 0) < 0)
                st = errno == EAGAIN ? GL_ERR_TIMEOUT : GL_ERR_CONNECT;
        }
        if (st == GL_OK)
            st = wait_reply(c, request_id, deadline, resp);
    }
    gl_buf_free(&req);
    return st;
}

void gl_response_free(gl_response *resp)
{
    gl_buf_free(&resp->raw);
    memset(&resp->reply, 0, sizeof resp->reply);
}

uint64_t gl_request_id_for(const gl_key *key, uint16_t kind, const char *tenant,
                           const void *body, size_t body_len, uint64_t salt)
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

uint64_t gl_request_id_random(void)
{
    uint64_t id = 0;
    while (id == 0)
        randombytes_buf(&id, sizeof id);
    return id;
}
