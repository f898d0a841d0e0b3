/*
 * proto/chain.c — the per-tenant hash chain (BLAKE2b-256).
 */
#include "chain.h"

#include "assert.h"
#include "status.h"

#include <sodium.h>
#include <string.h>

void gl_chain_hash(const char *tenant, size_t tenant_len, uint64_t seq,
                   const uint8_t prev_hash[GL_HASH_BYTES], uint16_t type, const uint8_t *body,
                   uint32_t body_len, uint8_t out[GL_HASH_BYTES])
{
    GL_ASSERT(tenant_len <= 255);
    crypto_generichash_state st;
    uint8_t tl = (uint8_t)tenant_len, seq_be[8], type_be[2], len_be[4];
    gl_be64(seq_be, seq);
    gl_be16(type_be, type);
    gl_be32(len_be, body_len);
    crypto_generichash_init(&st, NULL, 0, GL_HASH_BYTES);
    crypto_generichash_update(&st, (const uint8_t *)GL_CHAIN_TAG, sizeof GL_CHAIN_TAG);
    crypto_generichash_update(&st, &tl, 1);
    crypto_generichash_update(&st, (const uint8_t *)tenant, tenant_len);
    crypto_generichash_update(&st, seq_be, 8);
    crypto_generichash_update(&st, prev_hash, GL_HASH_BYTES);
    crypto_generichash_update(&st, type_be, 2);
    crypto_generichash_update(&st, len_be, 4);
    crypto_generichash_update(&st, body, body_len);
    crypto_generichash_final(&st, out, GL_HASH_BYTES);
}

void gl_event_head_encode(gl_buf *out, const gl_event_head *h)
{
    gl_put_u64(out, h->envelope);
    gl_put_u32(out, h->item);
    gl_put_bytes(out, h->signer, 32);
    gl_put_u64(out, h->request_id);
    gl_put_i64(out, h->recorded_ms);
}

void gl_event_encode(gl_buf *out, const char *tenant, size_t tenant_len, uint64_t seq,
                     const uint8_t prev_hash[GL_HASH_BYTES], uint16_t type, const uint8_t *body,
                     uint32_t body_len)
{
    uint8_t hash[GL_HASH_BYTES];
    gl_chain_hash(tenant, tenant_len, seq, prev_hash, type, body, body_len, hash);
    gl_put_u16(out, type);
    gl_put_u32(out, body_len);
    gl_put_bytes(out, body, body_len);
    gl_put_bytes(out, prev_hash, GL_HASH_BYTES);
    gl_put_bytes(out, hash, GL_HASH_BYTES);
}

int gl_event_decode(const void *data, size_t len, gl_event *ev)
{
    memset(ev, 0, sizeof *ev);
    gl_cur c;
    gl_cur_init(&c, data, len);
    ev->type = gl_get_u16(&c);
    ev->body_len = gl_get_u32(&c);
    ev->body = gl_get_bytes(&c, ev->body_len);
    ev->prev_hash = gl_get_bytes(&c, GL_HASH_BYTES);
    ev->hash = gl_get_bytes(&c, GL_HASH_BYTES);
    int st = gl_cur_end(&c);
    if (st != GL_OK)
        return st;
    gl_cur b;
    gl_cur_init(&b, ev->body, ev->body_len);
    ev->head.envelope = gl_get_u64(&b);
    ev->head.item = gl_get_u32(&b);
    ev->head.signer = gl_get_bytes(&b, 32);
    ev->head.request_id = gl_get_u64(&b);
    ev->head.recorded_ms = gl_get_i64(&b);
    if (gl_cur_status(&b) != GL_OK)
        return gl_cur_status(&b);
    ev->payload = b.pos;
    ev->payload_len = gl_cur_left(&b);
    return GL_OK;
}

int gl_event_verify(const gl_event *ev, const char *tenant, size_t tenant_len, uint64_t seq,
                    const uint8_t expected_prev[GL_HASH_BYTES])
{
    uint8_t h[GL_HASH_BYTES];
    if (memcmp(ev->prev_hash, expected_prev, GL_HASH_BYTES) != 0)
        return GL_ERR_MALFORMED;
    gl_chain_hash(tenant, tenant_len, seq, ev->prev_hash, ev->type, ev->body, ev->body_len, h);
    return memcmp(h, ev->hash, GL_HASH_BYTES) == 0 ? GL_OK : GL_ERR_MALFORMED;
}

int gl_event_entry_layout(uint16_t type)
{
    return type == GL_EVENT_ENTRY ? GL_LAYOUT_1 : type == GL_EVENT_ENTRY2 ? GL_LAYOUT_2 : 0;
}

uint16_t gl_event_entry_type(int layout)
{
    GL_ASSERT(layout == GL_LAYOUT_1 || layout == GL_LAYOUT_2);
    return layout == GL_LAYOUT_1 ? GL_EVENT_ENTRY : GL_EVENT_ENTRY2;
}

int gl_event_entry(const gl_event *ev, uint16_t *fy, uint32_t *num, gl_entry *e)
{
    int layout = gl_event_entry_layout(ev->type);
    if (!layout)
        return GL_ERR_NOT_FOUND;
    gl_cur c;
    gl_cur_init_stored(&c, ev->payload, ev->payload_len); /* a record of the chain: stored text */
    *fy = gl_get_u16(&c);
    *num = gl_get_u32(&c);
    if (gl_cur_status(&c) != GL_OK)
        return gl_cur_status(&c);
    gl_entry_decode_layout(&c, e, layout);
    return gl_cur_end(&c);
}
