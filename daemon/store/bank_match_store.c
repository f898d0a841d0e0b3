/*
 * daemon/store/bank_match_store.c — the codecs of the matches in
 * bank_index (tags 3, 4, 5: bank_match_store.h).  Only this file reads
 * their bytes.
 */
#include "bank_match_store.h"

#include "keys.h"

#include "proto/status.h"

#include <stdlib.h>
#include <string.h>

#define INDEX_SEQ 1
#define INDEX_MATCH_SEQ 3
#define INDEX_MATCH_BOOK 4
#define INDEX_MATCH 5

enum { PREFIX = 4 + GL_ACCOUNT_MAX, KEY_SEQ = PREFIX + 1 + 4, KEY_BOOK = PREFIX + 1 + 8 };

static void key_head(uint8_t *k, uint32_t tenant, gl_str account, uint8_t tag)
{
    gl_be32(k, tenant);
    key_pad(k + 4, account, GL_ACCOUNT_MAX);
    k[PREFIX] = tag;
}

static void key_seq(uint8_t k[KEY_SEQ], uint8_t tag, uint32_t tenant, gl_str account, uint32_t seq)
{
    key_head(k, tenant, account, tag);
    gl_be32(k + PREFIX + 1, seq);
}

static void key_book(uint8_t k[KEY_BOOK], uint32_t tenant, gl_str account, gl_line_ref r)
{
    key_head(k, tenant, account, INDEX_MATCH_BOOK);
    gl_be16(k + PREFIX + 1, r.fy);
    gl_be32(k + PREFIX + 3, r.num);
    gl_be16(k + PREFIX + 7, r.line);
}

void key_bank_match(uint8_t k[KEY_BANK_MATCH_LEN], uint32_t tenant, gl_str account, uint32_t id)
{
    key_seq(k, INDEX_MATCH, tenant, account, id);
}

static int ref_get(store_txn *t, const uint8_t *k, size_t klen, bank_match_ref *out)
{
    store_val v;
    int st = store_get(t, DB_BANK_INDEX, k, klen, &v);
    if (st == GL_OK && v.len != 8)
        st = GL_ERR_STORAGE;
    if (st == GL_OK)
        *out = (bank_match_ref){gl_rd32(v.ptr), gl_rd32(v.ptr + 4)};
    return st;
}

int store_bank_seq_match(store_txn *t, uint32_t tenant, gl_str account, uint32_t seq,
                         bank_match_ref *out)
{
    uint8_t k[KEY_SEQ];
    key_seq(k, INDEX_MATCH_SEQ, tenant, account, seq);
    return ref_get(t, k, sizeof k, out);
}

int store_bank_book_match(store_txn *t, uint32_t tenant, gl_str account, gl_line_ref r,
                          bank_match_ref *out)
{
    uint8_t k[KEY_BOOK];
    key_book(k, tenant, account, r);
    return ref_get(t, k, sizeof k, out);
}

int store_bank_match_last(store_txn *t, uint32_t tenant, gl_str account, uint32_t *last)
{
    uint8_t k[KEY_BANK_MATCH_LEN];
    key_bank_match(k, tenant, account, 0);
    store_val v;
    int st = store_get(t, DB_BANK_INDEX, k, sizeof k, &v);
    *last = 0;
    if (st == GL_ERR_NOT_FOUND)
        return GL_OK;
    if (st == GL_OK && v.len != 4)
        st = GL_ERR_STORAGE;
    if (st == GL_OK)
        *last = gl_rd32(v.ptr);
    return st;
}

/* Index (or free, ref NULL) every line of set s. */
static int index_lines(store_txn *t, uint32_t tenant, gl_str account, const gl_bank_match_set *s,
                       const uint8_t *ref)
{
    int st = GL_OK;
    for (uint8_t i = 0; st == GL_OK && i < s->nbank; i++) {
        uint8_t k[KEY_SEQ];
        key_seq(k, INDEX_MATCH_SEQ, tenant, account, gl_bank_match_seq(s, i));
        st = ref ? store_put(t, DB_BANK_INDEX, k, sizeof k, ref, 8)
                 : store_del(t, DB_BANK_INDEX, k, sizeof k);
    }
    for (uint8_t i = 0; st == GL_OK && i < s->nbook; i++) {
        uint8_t k[KEY_BOOK];
        key_book(k, tenant, account, gl_bank_match_ref(s, i));
        st = ref ? store_put(t, DB_BANK_INDEX, k, sizeof k, ref, 8)
                 : store_del(t, DB_BANK_INDEX, k, sizeof k);
    }
    return st;
}

static int match_write(store_txn *t, uint32_t tenant, gl_str account, uint32_t id,
                       const bank_match_rec *m)
{
    uint8_t k[KEY_BANK_MATCH_LEN];
    key_bank_match(k, tenant, account, id);
    gl_buf b;
    gl_buf_init(&b);
    gl_put_u8(&b, m->state);
    gl_put_u64(&b, m->envelope);
    gl_put_u32(&b, m->last);
    gl_put_u8(&b, m->set.nbank);
    gl_put_bytes(&b, m->set.seqs, (size_t)m->set.nbank * 4);
    gl_put_u8(&b, m->set.nbook);
    gl_put_bytes(&b, m->set.refs, (size_t)m->set.nbook * 8);
    int st =
        gl_buf_ok(&b) ? store_put(t, DB_BANK_INDEX, k, sizeof k, b.data, b.len) : GL_ERR_INTERNAL;
    gl_buf_free(&b);
    return st;
}

int store_bank_match_put(store_txn *t, uint32_t tenant, gl_str account, uint32_t id,
                         const bank_match_rec *m)
{
    uint8_t k[KEY_BANK_MATCH_LEN], last[4], ref[8];
    key_bank_match(k, tenant, account, 0);
    gl_be32(last, id);
    gl_be32(ref, id);
    gl_be32(ref + 4, m->last);
    int st = store_put(t, DB_BANK_INDEX, k, sizeof k, last, sizeof last);
    if (st == GL_OK)
        st = match_write(t, tenant, account, id, m);
    return st == GL_OK ? index_lines(t, tenant, account, &m->set, ref) : st;
}

int store_bank_match_value(store_val k, store_val v, uint32_t *id, bank_match_rec *out)
{
    if (k.len != KEY_BANK_MATCH_LEN)
        return GL_ERR_STORAGE;
    *id = gl_rd32(k.ptr + KEY_BANK_MATCH_PREFIX_LEN);
    gl_cur c;
    gl_cur_init_stored(&c, v.ptr, v.len);
    out->state = gl_get_u8(&c);
    out->envelope = gl_get_u64(&c);
    out->last = gl_get_u32(&c);
    gl_bank_match_set_get(&c, &out->set);
    return gl_cur_end(&c) == GL_OK ? GL_OK : GL_ERR_STORAGE;
}

int store_bank_match_get(store_txn *t, uint32_t tenant, gl_str account, uint32_t id,
                         bank_match_rec *out)
{
    uint8_t k[KEY_BANK_MATCH_LEN];
    key_bank_match(k, tenant, account, id);
    store_val v;
    int st = store_get(t, DB_BANK_INDEX, k, sizeof k, &v);
    uint32_t got;
    return st == GL_OK ? store_bank_match_value((store_val){k, sizeof k}, v, &got, out) : st;
}

int store_bank_match_undo(store_txn *t, uint32_t tenant, gl_str account, uint32_t id)
{
    bank_match_rec m;
    int st = store_bank_match_get(t, tenant, account, id, &m);
    if (st != GL_OK)
        return st;
    /* the record's bytes are LMDB's until the next write: copy the set */
    uint8_t set[2 + GL_BANK_MATCH_SIDE_MAX * 12];
    memcpy(set, m.set.seqs, (size_t)m.set.nbank * 4);
    memcpy(set + m.set.nbank * 4, m.set.refs, (size_t)m.set.nbook * 8);
    m.set.seqs = set;
    m.set.refs = set + m.set.nbank * 4;
    m.state = GL_BANK_MATCH_UNDONE;
    if ((st = match_write(t, tenant, account, id, &m)) != GL_OK)
        return st;
    return index_lines(t, tenant, account, &m.set, NULL);
}

/* The bank_lines key of seq (through its tag 1 index). */
static int line_key(store_txn *t, uint32_t tenant, gl_str account, uint32_t seq,
                    uint8_t lk[KEY_BANK_LINES_LEN])
{
    uint8_t k[KEY_SEQ];
    key_seq(k, INDEX_SEQ, tenant, account, seq);
    store_val v;
    int st = store_get(t, DB_BANK_INDEX, k, sizeof k, &v);
    if (st == GL_OK && v.len != 4)
        st = GL_ERR_STORAGE;
    if (st == GL_OK)
        key_bank_lines(lk, tenant, account, gl_rd32(v.ptr), seq);
    return st;
}

int store_bank_line_by_seq(store_txn *t, uint32_t tenant, gl_str account, uint32_t seq,
                           bank_stored *out)
{
    uint8_t lk[KEY_BANK_LINES_LEN];
    int st = line_key(t, tenant, account, seq, lk);
    store_val lv;
    if (st != GL_OK)
        return st;
    if ((st = store_get(t, DB_BANK_LINES, lk, sizeof lk, &lv)) != GL_OK)
        return st == GL_ERR_NOT_FOUND ? GL_ERR_STORAGE : st;
    return store_bank_line_value((store_val){lk, sizeof lk}, lv, out);
}

int store_bank_line_matched(store_txn *t, uint32_t tenant, gl_str account, uint32_t seq,
                            uint8_t matched)
{
    uint8_t lk[KEY_BANK_LINES_LEN];
    int st = line_key(t, tenant, account, seq, lk);
    store_val lv;
    if (st == GL_OK)
        st = store_get(t, DB_BANK_LINES, lk, sizeof lk, &lv);
    if (st != GL_OK)
        return st == GL_ERR_NOT_FOUND ? GL_ERR_STORAGE : st;
    /* matched u8 | envelope u64 | item u16 end the value (bank_store.h) */
    if (lv.len < 11)
        return GL_ERR_STORAGE;
    uint8_t *copy = malloc(lv.len);
    if (!copy)
        return GL_ERR_INTERNAL;
    memcpy(copy, lv.ptr, lv.len);
    copy[lv.len - 11] = matched;
    st = store_put(t, DB_BANK_LINES, lk, sizeof lk, copy, lv.len);
    free(copy);
    return st;
}
