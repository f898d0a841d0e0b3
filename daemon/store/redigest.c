/*
 * daemon/store/redigest.c — see redigest.h.  Walks the `envelopes` database
 * once (one write transaction: an upgrade runs with the daemon stopped) and
 * rewrites the request records of version 1 requests in place.
 */
#include "redigest.h"

#include "keys.h"

#include "proto/request.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define REPLY_VERSION_AT 4 /* "GLRP" | version u16 */

struct counts {
    size_t carried, current, kept, unmatched;
};

/* The record of one version 1 request: carried over while it still holds
 * the request's version 1 digest and a version 1 reply.  The request's
 * bytes (borrowed from LMDB) are used up before anything is written. */
static int redigest_one(store_txn *t, const gl_request *q, struct counts *n)
{
    uint8_t d1[32], d2[32], k[KEY_REQUESTS_LEN];
    gl_request_digest(q, d1);
    if (gl_request_digest_v2(q, d2) != GL_OK) {
        n->kept++; /* today's decoder refuses its body: it cannot come back in version 2 */
        return GL_OK;
    }
    key_requests(k, q->signer, q->request_id);
    store_val v;
    int st = store_get(t, DB_REQUESTS, k, sizeof k, &v);
    if (st == GL_ERR_NOT_FOUND) {
        n->unmatched++;
        return GL_OK;
    }
    if (st != GL_OK)
        return st;
    bool v1_reply = v.len >= 32 + REPLY_VERSION_AT + 2 &&
                    gl_rd16(v.ptr + 32 + REPLY_VERSION_AT) == GL_PROTOCOL_VERSION_1;
    if (v.len < 32 || memcmp(v.ptr, d1, 32) || !v1_reply) {
        if (v.len >= 32 && !memcmp(v.ptr, d2, 32))
            n->current++; /* carried over already */
        else
            n->unmatched++;
        return GL_OK;
    }
    gl_buf rec;
    gl_buf_init(&rec);
    gl_put_bytes(&rec, d2, 32);
    gl_put_bytes(&rec, v.ptr + 32, v.len - 32);
    if (!gl_buf_ok(&rec)) {
        gl_buf_free(&rec);
        return GL_ERR_STORAGE;
    }
    gl_be16(rec.data + 32 + REPLY_VERSION_AT, GL_PROTOCOL_VERSION); /* the same reply layout */
    st = store_put(t, DB_REQUESTS, k, sizeof k, rec.data, rec.len);
    gl_buf_free(&rec);
    if (st == GL_OK)
        n->carried++;
    return st;
}

int store_upgrade_redigest_v1(store *s, char *msg, size_t msg_len)
{
    store_txn *t;
    int st = store_begin(s, NULL, false, &t);
    if (st != GL_OK) {
        snprintf(msg, msg_len, "cannot begin a write transaction (%s)", gl_status_name(st));
        return st;
    }
    store_cursor *c;
    store_val k, v;
    struct counts n = {0};
    size_t envelopes = 0;
    if ((st = store_cursor_open(t, DB_ENVELOPES, &c)) != GL_OK) {
        store_abort(t);
        snprintf(msg, msg_len, "cannot read the envelopes (%s)", gl_status_name(st));
        return st;
    }
    for (st = store_seek(c, NULL, 0, &k, &v); st == GL_OK; st = store_next(c, &k, &v)) {
        gl_request q;
        envelopes++;
        if (gl_request_decode_any(v.ptr, v.len, &q) != GL_OK ||
            q.version != GL_PROTOCOL_VERSION_1 || !gl_kind_writes(q.kind))
            continue;
        if ((st = redigest_one(t, &q, &n)) != GL_OK)
            break;
    }
    store_cursor_close(c);
    if (st != GL_ERR_NOT_FOUND) {
        store_abort(t);
        snprintf(msg, msg_len, "cannot carry the request records over (%s): nothing was changed",
                 gl_status_name(st));
        return st;
    }
    if ((st = store_commit(t)) != GL_OK) {
        snprintf(msg, msg_len, "cannot commit the request records (%s): nothing was changed",
                 gl_status_name(st));
        return st;
    }
    snprintf(
        msg, msg_len,
        "%zu envelopes read: %zu version 1 request records carried over to version 2, %zu already carried "
        "over, %zu kept (bodies today's decoder refuses), %zu without a matching record",
        envelopes, n.carried, n.current, n.kept, n.unmatched);
    return GL_OK;
}
