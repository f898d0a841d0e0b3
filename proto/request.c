/*
 * proto/request.c — envelope encode/decode, signing and verification, in
 * version 2 and (for the history) version 1; the idempotency digest.
 */
#include "request.h"

#include "assert.h"
#include "entry.h"
#include "kinds.h"
#include "query.h"
#include "status.h"

#include <sodium.h>
#include <string.h>

static const uint8_t request_magic[4] = {'G', 'L', 'R', 'Q'};
static const uint8_t reply_magic[4] = {'G', 'L', 'R', 'P'};

/* The three read the kind table (kinds.c). */
bool gl_kind_writes(uint16_t kind)
{
    const gl_kind_info *k = gl_kind_info_of(kind);
    return k && k->thread == GL_THREAD_WRITER;
}

bool gl_kind_known(uint16_t kind) { return gl_kind_info_of(kind) != NULL; }

const char *gl_kind_name(uint16_t kind)
{
    const gl_kind_info *k = gl_kind_info_of(kind);
    return k ? k->name : "unknown";
}

/* Tenant ids: 1..GL_TENANT_MAX of [a-z0-9_-]; empty allowed for PING. */
bool gl_tenant_id_chars_ok(gl_str t)
{
    for (size_t i = 0; i < t.len; i++) {
        char c = t.ptr[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return false;
    }
    return true;
}

static int request_decode(const void *data, size_t len, gl_request *out, bool any_version)
{
    memset(out, 0, sizeof *out);
    if (len > GL_MESSAGE_MAX)
        return GL_ERR_TOO_LARGE;
    gl_cur c;
    gl_cur_init(&c, data, len);
    const uint8_t *magic = gl_get_bytes(&c, 4);
    if (!magic)
        return gl_cur_status(&c);
    if (memcmp(magic, request_magic, 4) != 0)
        return GL_ERR_BAD_MAGIC;
    out->version = gl_get_u16(&c);
    if (gl_cur_status(&c) == GL_OK && out->version != GL_PROTOCOL_VERSION &&
        !(any_version && out->version == GL_PROTOCOL_VERSION_1))
        return GL_ERR_VERSION;
    out->kind = gl_get_u16(&c);
    if (gl_cur_status(&c) == GL_OK && !gl_kind_known(out->kind))
        return GL_ERR_UNKNOWN_KIND;
    if (out->version != GL_PROTOCOL_VERSION_1)
        out->ledger_id = gl_get_bytes(&c, GL_LEDGER_ID_BYTES);
    out->signer = gl_get_bytes(&c, GL_PUBKEY_BYTES);
    out->tenant = gl_get_str8(&c, GL_TENANT_MAX);
    if (gl_cur_status(&c) == GL_OK && !gl_tenant_id_chars_ok(out->tenant))
        gl_cur_fail(&c, GL_ERR_STRING_INVALID);
    out->request_id = gl_get_u64(&c);
    /* 0 is reserved: replies to requests that cannot be decoded carry it */
    if (gl_cur_status(&c) == GL_OK && out->request_id == 0)
        gl_cur_fail(&c, GL_ERR_MALFORMED);
    out->timestamp_ms = gl_get_i64(&c);
    out->body_len = gl_get_u32(&c);
    out->body = gl_get_bytes(&c, out->body_len);
    out->signature = gl_get_bytes(&c, GL_SIG_BYTES);
    int st = gl_cur_end(&c);
    if (st != GL_OK)
        return st;
    out->raw = data;
    out->raw_len = len;
    return GL_OK;
}

int gl_request_decode(const void *data, size_t len, gl_request *out)
{
    return request_decode(data, len, out, false);
}

int gl_request_decode_any(const void *data, size_t len, gl_request *out)
{
    return request_decode(data, len, out, true);
}

bool gl_ledger_id_is_zero(const uint8_t id[GL_LEDGER_ID_BYTES])
{
    uint8_t any = 0;
    for (size_t i = 0; i < GL_LEDGER_ID_BYTES; i++)
        any |= id[i];
    return any == 0;
}

/* The signed message: the version's tag (with its NUL) then the envelope. */
static void signed_message(gl_buf *m, uint16_t version, const uint8_t *env, size_t env_len)
{
    if (version == GL_PROTOCOL_VERSION_1)
        gl_put_bytes(m, GL_SIGN_TAG_1, sizeof GL_SIGN_TAG_1);
    else
        gl_put_bytes(m, GL_SIGN_TAG, sizeof GL_SIGN_TAG);
    gl_put_bytes(m, env, env_len);
}

int gl_request_verify(const gl_request *req)
{
    GL_ASSERT(req->raw && req->raw_len >= GL_SIG_BYTES);
    /* Verify over tag || envelope-without-signature using the multi-part
     * API-free path: build the message once (requests are bounded). */
    size_t env_len = req->raw_len - GL_SIG_BYTES;
    gl_buf m;
    gl_buf_init(&m);
    signed_message(&m, req->version, req->raw, env_len);
    int st = GL_OK;
    if (!gl_buf_ok(&m))
        st = GL_ERR_INTERNAL;
    else if (crypto_sign_verify_detached(req->signature, m.data, m.len, req->signer) != 0)
        st = GL_ERR_BAD_SIGNATURE;
    gl_buf_free(&m);
    return st;
}

static int request_encode(gl_buf *out, uint16_t version, uint16_t kind, const uint8_t *ledger_id,
                          const uint8_t *secret_key, const char *tenant, uint64_t request_id,
                          int64_t timestamp_ms, const void *body, size_t body_len)
{
    size_t tlen = strlen(tenant);
    if (tlen > GL_TENANT_MAX)
        return GL_ERR_STRING_TOO_LONG;
    if (body_len > GL_MESSAGE_MAX)
        return GL_ERR_TOO_LARGE;
    gl_buf_reset(out);
    gl_put_bytes(out, request_magic, 4);
    gl_put_u16(out, version);
    gl_put_u16(out, kind);
    if (version != GL_PROTOCOL_VERSION_1)
        gl_put_bytes(out, ledger_id, GL_LEDGER_ID_BYTES);
    gl_put_bytes(out, secret_key + 32, GL_PUBKEY_BYTES);
    gl_put_str8(out, tenant, tlen);
    gl_put_u64(out, request_id);
    gl_put_i64(out, timestamp_ms);
    gl_put_u32(out, (uint32_t)body_len);
    gl_put_bytes(out, body, body_len);
    if (!gl_buf_ok(out))
        return GL_ERR_NOMEM;
    gl_buf m;
    gl_buf_init(&m);
    signed_message(&m, version, out->data, out->len);
    if (!gl_buf_ok(&m)) {
        gl_buf_free(&m);
        return GL_ERR_NOMEM;
    }
    uint8_t sig[GL_SIG_BYTES];
    crypto_sign_detached(sig, NULL, m.data, m.len, secret_key);
    gl_buf_free(&m);
    gl_put_bytes(out, sig, sizeof sig);
    if (!gl_buf_ok(out))
        return GL_ERR_NOMEM;
    if (out->len > GL_MESSAGE_MAX)
        return GL_ERR_TOO_LARGE;
    return GL_OK;
}

int gl_request_encode(gl_buf *out, uint16_t kind, const uint8_t ledger_id[GL_LEDGER_ID_BYTES],
                      const uint8_t *secret_key, const char *tenant, uint64_t request_id,
                      int64_t timestamp_ms, const void *body, size_t body_len)
{
    GL_ASSERT(ledger_id);
    return request_encode(out, GL_PROTOCOL_VERSION, kind, ledger_id, secret_key, tenant, request_id,
                          timestamp_ms, body, body_len);
}

int gl_request_encode_v1(gl_buf *out, uint16_t kind, const uint8_t *secret_key, const char *tenant,
                         uint64_t request_id, int64_t timestamp_ms, const void *body,
                         size_t body_len)
{
    return request_encode(out, GL_PROTOCOL_VERSION_1, kind, NULL, secret_key, tenant, request_id,
                          timestamp_ms, body, body_len);
}

void gl_digest(uint16_t kind, gl_str tenant, const uint8_t *body, size_t body_len, uint8_t out[32])
{
    GL_ASSERT(tenant.len <= GL_TENANT_MAX && body_len <= UINT32_MAX);
    crypto_generichash_state st;
    uint8_t head[2 + 1];
    gl_be16(head, kind);
    head[2] = (uint8_t)tenant.len;
    uint8_t blen[4];
    gl_be32(blen, (uint32_t)body_len);
    crypto_generichash_init(&st, NULL, 0, 32);
    crypto_generichash_update(&st, (const uint8_t *)"grandlivre/digest/v1", 20);
    crypto_generichash_update(&st, head, sizeof head);
    crypto_generichash_update(&st, (const uint8_t *)tenant.ptr, tenant.len);
    crypto_generichash_update(&st, blen, sizeof blen);
    crypto_generichash_update(&st, body, body_len);
    crypto_generichash_final(&st, out, 32);
}

void gl_request_digest(const gl_request *req, uint8_t out[32])
{
    gl_digest(req->kind, req->tenant, req->body, req->body_len, out);
}

int gl_request_body_v2(const gl_request *req, gl_buf *out)
{
    if (req->version != GL_PROTOCOL_VERSION_1 || req->kind != GL_KIND_POST) {
        gl_put_bytes(out, req->body, req->body_len);
        return gl_buf_ok(out) ? GL_OK : GL_ERR_NOMEM;
    }
    gl_post p;
    uint32_t bad_item;
    int st = gl_post_decode_layout(req->body, req->body_len, GL_LAYOUT_1, &p, &bad_item);
    if (st != GL_OK)
        return st;
    gl_put_u32(out, p.count);
    gl_item_iter it;
    gl_entry e;
    gl_post_iter_init(&it, &p);
    while (st == GL_OK && gl_post_next(&it, &e))
        st = gl_entry_put(out, &e, GL_LAYOUT_2);
    return st;
}

int gl_request_digest_v2(const gl_request *req, uint8_t out[32])
{
    gl_buf body;
    gl_buf_init(&body);
    int st = gl_request_body_v2(req, &body);
    if (st == GL_OK)
        gl_digest(req->kind, req->tenant, body.data, body.len, out);
    gl_buf_free(&body);
    return st;
}

int gl_reply_decode(const void *data, size_t len, gl_reply *out)
{
    memset(out, 0, sizeof *out);
    if (len > GL_MESSAGE_MAX + 8192) /* what a client's socket accepts */
        return GL_ERR_TOO_LARGE;
    gl_cur c;
    gl_cur_init(&c, data, len);
    const uint8_t *magic = gl_get_bytes(&c, 4);
    if (!magic)
        return gl_cur_status(&c);
    if (memcmp(magic, reply_magic, 4) != 0)
        return GL_ERR_BAD_MAGIC;
    out->version = gl_get_u16(&c);
    if (gl_cur_status(&c) == GL_OK && out->version != GL_PROTOCOL_VERSION &&
        out->version != GL_PROTOCOL_VERSION_1)
        return GL_ERR_VERSION;
    out->status = gl_get_u16(&c);
    out->request_id = gl_get_u64(&c);
    out->flags = gl_get_u8(&c);
    out->err_item = gl_get_u32(&c);
    out->err_line = gl_get_u32(&c);
    out->detail = gl_get_str16(&c, GL_DETAIL_MAX);
    out->body_len = gl_get_u32(&c);
    out->body = gl_get_bytes(&c, out->body_len);
    return gl_cur_end(&c);
}

void gl_reply_encode(gl_buf *out, const gl_reply *r)
{
    size_t dlen = r->detail.len > GL_DETAIL_MAX ? GL_DETAIL_MAX : r->detail.len;
    /* cut on a character boundary: never before a UTF-8 continuation byte */
    while (dlen > 0 && dlen < r->detail.len && ((unsigned char)r->detail.ptr[dlen] & 0xc0) == 0x80)
        dlen--;
    gl_put_bytes(out, reply_magic, 4);
    gl_put_u16(out, GL_PROTOCOL_VERSION);
    gl_put_u16(out, r->status);
    gl_put_u64(out, r->request_id);
    gl_put_u8(out, r->flags);
    gl_put_u32(out, r->err_item);
    gl_put_u32(out, r->err_line);
    gl_put_str16(out, r->detail.ptr ? r->detail.ptr : "", dlen);
    gl_put_u32(out, r->body_len);
    gl_put_bytes(out, r->body, r->body_len);
}
