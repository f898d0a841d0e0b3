/*
 * daemon/store/bank_store.c — the codecs of bank_accounts, bank_lines and
 * bank_index (bank_store.h).  Only this file reads their bytes.
 */
#include "bank_store.h"

#include "keys.h"

#include "proto/status.h"

#include <string.h>

#define INDEX_SEQ 1
#define INDEX_REF 2

void key_bank_prefix(uint8_t *k, uint32_t tenant, gl_str account)
{
    gl_be32(k, tenant);
    key_pad(k + 4, account, GL_ACCOUNT_MAX);
}

int store_bank_account_value(store_val v, bank_state *out)
{
    gl_cur c;
    gl_cur_init_stored(&c, v.ptr, v.len);
    out->lines = gl_get_u32(&c);
    out->has_closing = gl_get_u8(&c);
    out->closing_cents = gl_get_i64(&c);
    out->closing_date = gl_get_u32(&c);
    gl_bank_account_get(&c, &out->acct);
    return gl_cur_end(&c) == GL_OK ? GL_OK : GL_ERR_STORAGE;
}

int store_bank_account_get(store_txn *t, uint32_t tenant, gl_str account, bank_state *out)
{
    uint8_t k[KEY_BANK_ACCOUNT_PREFIX_LEN];
    key_bank_prefix(k, tenant, account);
    store_val v;
    int st = store_get(t, DB_BANK_ACCOUNTS, k, sizeof k, &v);
    return st == GL_OK ? store_bank_account_value(v, out) : st;
}

int store_bank_account_put(store_txn *t, uint32_t tenant, const bank_state *s)
{
    uint8_t k[KEY_BANK_ACCOUNT_PREFIX_LEN];
    key_bank_prefix(k, tenant, s->acct.account);
    gl_buf b;
    gl_buf_init(&b);
    gl_put_u32(&b, s->lines);
    gl_put_u8(&b, s->has_closing);
    gl_put_i64(&b, s->closing_cents);
    gl_put_u32(&b, s->closing_date);
    gl_bank_account_encode(&b, &s->acct);
    int st = gl_buf_ok(&b) ? store_put(t, DB_BANK_ACCOUNTS, k, sizeof k, b.data, b.len)
                           : GL_ERR_INTERNAL;
    gl_buf_free(&b);
    return st;
}

void key_bank_lines(uint8_t k[KEY_BANK_LINES_LEN], uint32_t tenant, gl_str account,
                    uint32_t booking, uint32_t seq)
{
    key_bank_prefix(k, tenant, account);
    gl_be32(k + KEY_BANK_ACCOUNT_PREFIX_LEN, booking);
    gl_be32(k + KEY_BANK_ACCOUNT_PREFIX_LEN + 4, seq);
}

int store_bank_line_value(store_val k, store_val v, bank_stored *out)
{
    if (k.len != KEY_BANK_LINES_LEN)
        return GL_ERR_STORAGE;
    out->seq = gl_rd32(k.ptr + KEY_BANK_ACCOUNT_PREFIX_LEN + 4);
    gl_cur c;
    gl_cur_init_stored(&c, v.ptr, v.len);
    gl_bank_line_get(&c, &out->line);
    out->matched = gl_get_u8(&c);
    out->envelope = gl_get_u64(&c);
    out->item = gl_get_u16(&c);
    return gl_cur_end(&c) == GL_OK ? GL_OK : GL_ERR_STORAGE;
}

static void key_bank_ref(uint8_t *k, size_t *len, uint32_t tenant, gl_str account, gl_str ref)
{
    key_bank_prefix(k, tenant, account);
    k[KEY_BANK_ACCOUNT_PREFIX_LEN] = INDEX_REF;
    memcpy(k + KEY_BANK_ACCOUNT_PREFIX_LEN + 1, ref.ptr, ref.len);
    *len = KEY_BANK_ACCOUNT_PREFIX_LEN + 1 + ref.len;
}

int store_bank_line_put(store_txn *t, uint32_t tenant, gl_str account, const bank_stored *l)
{
    uint8_t k[KEY_BANK_LINES_LEN];
    key_bank_lines(k, tenant, account, l->line.booking, l->seq);
    gl_buf b;
    gl_buf_init(&b);
    gl_bank_line_put(&b, &l->line);
    gl_put_u8(&b, l->matched);
    gl_put_u64(&b, l->envelope);
    gl_put_u16(&b, l->item);
    int st =
        gl_buf_ok(&b) ? store_put(t, DB_BANK_LINES, k, sizeof k, b.data, b.len) : GL_ERR_INTERNAL;
    gl_buf_free(&b);
    if (st != GL_OK)
        return st;
    uint8_t ik[KEY_BANK_INDEX_SEQ_LEN], date[4], seq[4];
    key_bank_prefix(ik, tenant, account);
    ik[KEY_BANK_ACCOUNT_PREFIX_LEN] = INDEX_SEQ;
    gl_be32(ik + KEY_BANK_ACCOUNT_PREFIX_LEN + 1, l->seq);
    gl_be32(date, l->line.booking);
    if ((st = store_put(t, DB_BANK_INDEX, ik, sizeof ik, date, 4)) != GL_OK ||
        !l->line.bank_ref.len)
        return st;
    uint8_t rk[KEY_BANK_ACCOUNT_PREFIX_LEN + 1 + GL_BANK_REF_LEN_MAX];
    size_t rlen;
    key_bank_ref(rk, &rlen, tenant, account, l->line.bank_ref);
    gl_be32(seq, l->seq);
    return store_put(t, DB_BANK_INDEX, rk, rlen, seq, 4);
}

int store_bank_ref_get(store_txn *t, uint32_t tenant, gl_str account, gl_str ref, uint32_t *seq)
{
    uint8_t rk[KEY_BANK_ACCOUNT_PREFIX_LEN + 1 + GL_BANK_REF_LEN_MAX];
    size_t rlen;
    key_bank_ref(rk, &rlen, tenant, account, ref);
    store_val v;
    int st = store_get(t, DB_BANK_INDEX, rk, rlen, &v);
    if (st == GL_OK && v.len != 4)
        st = GL_ERR_STORAGE;
    if (st == GL_OK)
        *seq = gl_rd32(v.ptr);
    return st;
}

int store_bank_day_count(store_txn *t, uint32_t tenant, gl_str account, uint32_t booking,
                         int64_t amount, gl_str label, uint64_t except, uint32_t *count)
{
    uint8_t k[KEY_BANK_LINES_LEN];
    key_bank_lines(k, tenant, account, booking, 0);
    store_scan s;
    int st = store_scan_begin(&s, t, DB_BANK_LINES, k, sizeof k, KEY_BANK_ACCOUNT_PREFIX_LEN + 4);
    *count = 0;
    while (st == GL_OK && store_scan_next(&s)) {
        bank_stored l;
        if ((st = store_bank_line_value(s.k, s.v, &l)) != GL_OK)
            break;
        if (l.envelope != except && l.line.amount_cents == amount &&
            l.line.label.len == label.len && !memcmp(l.line.label.ptr, label.ptr, label.len))
            (*count)++;
    }
    return store_scan_close(&s, st);
}
