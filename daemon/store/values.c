/*
 * daemon/store/values.c — the value codecs; see values.h.
 */
#include "values.h"

#include "proto/assert.h"
#include "proto/entry.h"
#include "proto/status.h"

#include <string.h>

void store_tenant_encode(uint8_t v[STORE_TENANT_LEN], const tenant_rec *r)
{
    gl_be32(v, r->number);
    gl_be64(v + 4, r->chain_seq);
    memcpy(v + 12, r->head, GL_HASH_BYTES);
}

int store_tenant_decode(store_val v, tenant_rec *r)
{
    if (v.len != STORE_TENANT_LEN)
        return GL_ERR_STORAGE;
    r->number = gl_rd32(v.ptr);
    r->chain_seq = gl_rd64(v.ptr + 4);
    memcpy(r->head, v.ptr + 12, GL_HASH_BYTES);
    return GL_OK;
}

void store_account_encode(gl_buf *out, const store_account *a)
{
    gl_put_u8(out, a->state);
    gl_put_str8(out, a->label.ptr, a->label.len);
    if (a->rest_len)
        gl_put_bytes(out, a->rest, a->rest_len);
}

int store_account_decode(store_val v, store_account *a)
{
    gl_cur c;
    gl_cur_init_stored(&c, v.ptr, v.len);
    a->state = gl_get_u8(&c);
    a->label = gl_get_str8(&c, GL_LABEL_MAX);
    if (gl_cur_status(&c) != GL_OK)
        return GL_ERR_STORAGE;
    a->rest = c.pos;
    a->rest_len = (size_t)(v.ptr + v.len - c.pos);
    return GL_OK;
}

void store_entry_encode(gl_buf *out, const store_entry *e)
{
    GL_ASSERT(e->layout == GL_LAYOUT_1 || e->layout == GL_LAYOUT_2);
    gl_put_u64(out, e->event_seq);
    gl_put_u64(out, e->envelope);
    gl_put_i64(out, e->recorded_ms);
    gl_put_bytes(out, e->signer, 32);
    if (e->layout == GL_LAYOUT_2)
        gl_put_u8(out, STORE_ENTRY_LAYOUT2_MARK);
    gl_put_bytes(out, e->entry, e->entry_len);
}

int store_entry_decode(store_val v, store_entry *e)
{
    if (v.len <= STORE_ENTRY_HEAD_LEN + 1)
        return GL_ERR_STORAGE;
    e->event_seq = gl_rd64(v.ptr);
    e->envelope = gl_rd64(v.ptr + 8);
    e->recorded_ms = (int64_t)gl_rd64(v.ptr + 16);
    e->signer = v.ptr + 24;
    bool marked = v.ptr[STORE_ENTRY_HEAD_LEN] == STORE_ENTRY_LAYOUT2_MARK;
    e->layout = marked ? GL_LAYOUT_2 : GL_LAYOUT_1;
    e->entry = v.ptr + STORE_ENTRY_HEAD_LEN + marked;
    e->entry_len = v.len - STORE_ENTRY_HEAD_LEN - marked;
    return GL_OK;
}

uint32_t store_entry_date(const store_entry *e)
{
    GL_ASSERT(e->entry_len >= 1 && e->entry_len - 1 >= (size_t)e->entry[0] + 4);
    return gl_rd32(e->entry + 1 + e->entry[0]);
}

static void put_two(uint8_t v[16], uint64_t a, uint64_t b)
{
    gl_be64(v, a);
    gl_be64(v + 8, b);
}

void store_pair_encode(uint8_t v[STORE_PAIR_LEN], store_pair p)
{
    put_two(v, (uint64_t)p.debit, (uint64_t)p.credit);
}

int store_pair_decode(store_val v, store_pair *p)
{
    if (v.len != STORE_PAIR_LEN)
        return GL_ERR_STORAGE;
    p->debit = (int64_t)gl_rd64(v.ptr);
    p->credit = (int64_t)gl_rd64(v.ptr + 8);
    return GL_OK;
}

bool store_scan_next_daily(store_scan *s, key_parts *kp, store_pair *p, int *st)
{
    if (!store_scan_next(s))
        return false;
    if (!key_daily_parse(s->k, kp) || store_pair_decode(s->v, p) != GL_OK) {
        *st = GL_ERR_STORAGE;
        return false;
    }
    return true;
}

void store_line_encode(uint8_t v[STORE_LINE_LEN], store_line l)
{
    put_two(v, (uint64_t)l.amount, l.envelope);
}

int store_line_decode(store_val v, store_line *l)
{
    if (v.len != STORE_LINE_LEN)
        return GL_ERR_STORAGE;
    l->amount = (int64_t)gl_rd64(v.ptr);
    l->envelope = gl_rd64(v.ptr + 8);
    return GL_OK;
}

void store_lock_encode(uint8_t v[STORE_LOCK_LEN], uint32_t locked_ym) { gl_be32(v, locked_ym); }

int store_lock_decode(store_val v, uint32_t *locked_ym)
{
    if (v.len != STORE_LOCK_LEN)
        return GL_ERR_STORAGE;
    *locked_ym = gl_rd32(v.ptr);
    return GL_OK;
}

void store_year_state_encode(uint8_t v[STORE_YEAR_STATE_LEN], const year_state *s)
{
    v[0] = s->closed ? 1 : 0;
    gl_be32(v + 1, s->result_num);
    gl_be16(v + 5, s->opening_fy);
    gl_be32(v + 7, s->opening_num);
    gl_be64(v + 11, (uint64_t)s->result_cents);
    gl_be64(v + 19, (uint64_t)s->closed_ms);
}

int store_year_state_decode(store_val v, year_state *s)
{
    if (v.len != STORE_YEAR_STATE_LEN)
        return GL_ERR_STORAGE;
    s->closed = v.ptr[0] != 0;
    s->result_num = gl_rd32(v.ptr + 1);
    s->opening_fy = gl_rd16(v.ptr + 5);
    s->opening_num = gl_rd32(v.ptr + 7);
    s->result_cents = (int64_t)gl_rd64(v.ptr + 11);
    s->closed_ms = (int64_t)gl_rd64(v.ptr + 19);
    return GL_OK;
}

void store_reversed_encode(uint8_t v[STORE_REVERSED_LEN], store_reversed r)
{
    gl_be16(v, r.fy);
    gl_be32(v + 2, r.num);
}

int store_reversed_decode(store_val v, store_reversed *r)
{
    if (v.len != STORE_REVERSED_LEN)
        return GL_ERR_STORAGE;
    r->fy = gl_rd16(v.ptr);
    r->num = gl_rd32(v.ptr + 2);
    return GL_OK;
}

void store_letter_next_encode(uint8_t v[STORE_LETTER_NEXT_LEN], uint32_t index)
{
    gl_be32(v, index);
}

int store_letter_next_decode(store_val v, uint32_t *index)
{
    if (v.len != STORE_LETTER_NEXT_LEN)
        return GL_ERR_STORAGE;
    *index = gl_rd32(v.ptr);
    return GL_OK;
}

void store_lettering_encode(gl_buf *out, const store_lettering *l)
{
    gl_put_u32(out, l->date);
    gl_put_str8(out, l->aux.ptr, l->aux.len);
    gl_put_u16(out, l->count);
    gl_put_bytes(out, l->refs, (size_t)l->count * STORE_LETTER_REF_LEN);
}

int store_lettering_decode(store_val v, store_lettering *l)
{
    gl_cur c;
    gl_cur_init_stored(&c, v.ptr, v.len);
    l->date = gl_get_u32(&c);
    l->aux = gl_get_str8(&c, GL_AUX_MAX);
    l->count = gl_get_u16(&c);
    l->refs = gl_get_bytes(&c, (size_t)l->count * STORE_LETTER_REF_LEN);
    return gl_cur_end(&c) == GL_OK ? GL_OK : GL_ERR_STORAGE;
}

void store_lettering_ref(const uint8_t *refs, uint16_t i, uint16_t *fy, uint32_t *num,
                         uint16_t *line)
{
    const uint8_t *p = refs + (size_t)i * STORE_LETTER_REF_LEN;
    *fy = gl_rd16(p);
    *num = gl_rd32(p + 2);
    *line = gl_rd16(p + 6);
}

void store_lettered_encode(uint8_t v[STORE_LETTERED_LEN], gl_str code, uint32_t date)
{
    key_pad(v, code, KEY_CODE_W);
    gl_be32(v + KEY_CODE_W, date);
}

int store_lettered_decode(store_val v, store_lettered *l)
{
    if (v.len != STORE_LETTERED_LEN)
        return GL_ERR_STORAGE;
    l->code = key_unpad(v.ptr, KEY_CODE_W);
    l->date = gl_rd32(v.ptr + KEY_CODE_W);
    return GL_OK;
}

void store_partner_line_encode(uint8_t v[STORE_PARTNER_LINE_LEN], gl_str account, int64_t amount)
{
    key_pad(v, account, KEY_ACCOUNT_W);
    gl_be64(v + KEY_ACCOUNT_W, (uint64_t)amount);
}

int store_partner_line_decode(store_val v, store_partner_line *l)
{
    if (v.len != STORE_PARTNER_LINE_LEN)
        return GL_ERR_STORAGE;
    l->account = v.ptr;
    l->amount = (int64_t)gl_rd64(v.ptr + KEY_ACCOUNT_W);
    return GL_OK;
}

void store_recharge_keys_encode(gl_buf *out, const store_recharge_keys *r)
{
    gl_put_u8(out, r->used ? 1 : 0);
    gl_put_bytes(out, r->keys, r->keys_len);
}

int store_recharge_keys_decode(store_val v, store_recharge_keys *r)
{
    if (v.len < 1)
        return GL_ERR_STORAGE;
    r->used = v.ptr[0] != 0;
    r->keys = v.ptr + 1;
    r->keys_len = v.len - 1;
    return GL_OK;
}

void store_aux_label_encode(uint8_t v[STORE_AUX_LABEL_MAX], gl_str label, size_t *len)
{
    GL_ASSERT(label.len <= GL_LABEL_MAX);
    v[0] = (uint8_t)label.len;
    if (label.len)
        memcpy(v + 1, label.ptr, label.len);
    *len = 1 + label.len;
}

int store_aux_label_decode(store_val v, gl_str *label)
{
    if (v.len < 1 || v.ptr[0] > v.len - 1)
        return GL_ERR_STORAGE;
    *label = (gl_str){(const char *)v.ptr + 1, v.ptr[0]};
    return GL_OK;
}

void store_request_encode(gl_buf *out, const uint8_t digest[32], const uint8_t *reply,
                          size_t reply_len)
{
    gl_put_bytes(out, digest, 32);
    gl_put_bytes(out, reply, reply_len);
}

int store_request_decode(store_val v, store_request *r)
{
    if (v.len < 32)
        return GL_ERR_STORAGE;
    r->digest = v.ptr;
    r->reply = v.ptr + 32;
    r->reply_len = v.len - 32;
    return GL_OK;
}
