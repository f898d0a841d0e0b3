/*
 * daemon/totals.c — open-addressing hash table of totals; see totals.h.
 */
#include "totals.h"

#include "proto/assert.h"
#include "proto/status.h"
#include "proto/wire.h"
#include "store/values.h"

#include <stdlib.h>
#include <string.h>

void totals_init(totals_cache *c) { memset(c, 0, sizeof *c); }

void totals_free(totals_cache *c)
{
    free(c->slots);
    totals_init(c);
}

/* Eight bytes a step (FNV-1a, a byte a step, was 4 % of a batch's writer
 * instructions; issue 16): a multiply and a shift mix each word. */
static uint64_t hash(enum store_db db, const uint8_t *key, size_t len)
{
    uint64_t h = 0x9e3779b97f4a7c15u ^ ((uint64_t)db << 56) ^ len, w;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        memcpy(&w, key + i, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdu;
        h ^= h >> 32;
    }
    w = 0;
    memcpy(&w, key + i, len - i);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53u;
    return h ^ h >> 29;
}

static totals_slot *find(totals_slot *slots, size_t cap, enum store_db db, const uint8_t *key,
                         size_t len)
{
    size_t i = hash(db, key, len) & (cap - 1);
    for (;; i = (i + 1) & (cap - 1)) {
        totals_slot *s = &slots[i];
        if (!s->used || (s->db == db && s->key_len == len && !memcmp(s->key, key, len)))
            return s;
    }
}

static int grow(totals_cache *c)
{
    size_t cap = c->cap ? c->cap * 2 : 1024;
    totals_slot *n = calloc(cap, sizeof *n);
    if (!n)
        return GL_ERR_INTERNAL;
    for (size_t i = 0; i < c->cap; i++)
        if (c->slots[i].used)
            *find(n, cap, c->slots[i].db, c->slots[i].key, c->slots[i].key_len) = c->slots[i];
    free(c->slots);
    c->slots = n;
    c->cap = cap;
    return GL_OK;
}

totals_slot *totals_get(totals_cache *c, store_txn *t, enum store_db db, const uint8_t *key,
                        size_t key_len, int *st)
{
    GL_ASSERT(key_len <= TOTALS_KEY_MAX);
    *st = GL_OK;
    if ((c->count + 1) * 2 > c->cap && (*st = grow(c)) != GL_OK)
        return NULL;
    totals_slot *s = find(c->slots, c->cap, db, key, key_len);
    if (s->used)
        return s;
    store_val v;
    int rc = store_get(t, db, key, key_len, &v);
    if (rc != GL_OK && rc != GL_ERR_NOT_FOUND) {
        *st = rc;
        return NULL;
    }
    memcpy(s->key, key, key_len);
    s->key_len = (uint8_t)key_len;
    s->db = (uint8_t)db;
    s->used = true;
    store_pair pair = {0, 0};
    if (rc == GL_OK) {
        rc = store_pair_decode(v, &pair);
        GL_ASSERT(rc == GL_OK);
    }
    s->debit = pair.debit;
    s->credit = pair.credit;
    c->count++;
    return s;
}

void totals_discard(totals_cache *c)
{
    if (c->slots)
        memset(c->slots, 0, c->cap * sizeof *c->slots);
    c->count = 0;
}

int totals_flush(totals_cache *c, store_txn *t)
{
    for (size_t i = 0; i < c->cap; i++) {
        totals_slot *s = &c->slots[i];
        if (!s->used)
            continue;
        uint8_t v[STORE_PAIR_LEN];
        store_pair_encode(v, (store_pair){s->debit, s->credit});
        int st = store_put(t, (enum store_db)s->db, s->key, s->key_len, v, sizeof v);
        if (st != GL_OK) {
            totals_discard(c); /* the request is refused: none of its sums may outlive it */
            return st;
        }
    }
    totals_discard(c);
    return GL_OK;
}
