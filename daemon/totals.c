/*
 * daemon/totals.c — open-addressing hash table of totals; see totals.h.
 */
#include "totals.h"

#include "proto/assert.h"
#include "proto/money.h"
#include "proto/status.h"
#include "proto/wire.h"
#include "store/values.h"

#include <stdlib.h>
#include <string.h>

void totals_init(totals_cache *c) { memset(c, 0, sizeof *c); }

void totals_free(totals_cache *c)
{
    free(c->slots);
    free(c->deferred);
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

/* The slot of (db, key), found or made (used, counted; *fresh if made). */
static totals_slot *slot_of(totals_cache *c, enum store_db db, const uint8_t *key, size_t key_len,
                            bool *fresh, int *st)
{
    GL_ASSERT(key_len <= TOTALS_KEY_MAX);
    *st = GL_OK;
    if ((c->count + 1) * 2 > c->cap && (*st = grow(c)) != GL_OK)
        return NULL;
    totals_slot *s = find(c->slots, c->cap, db, key, key_len);
    *fresh = !s->used;
    if (s->used)
        return s;
    memcpy(s->key, key, key_len);
    s->key_len = (uint8_t)key_len;
    s->db = (uint8_t)db;
    s->used = true;
    s->debit = s->credit = 0;
    c->count++;
    return s;
}

totals_slot *totals_get(totals_cache *c, store_txn *t, enum store_db db, const uint8_t *key,
                        size_t key_len, int *st)
{
    bool fresh;
    totals_slot *s = slot_of(c, db, key, key_len, &fresh, st);
    if (!s || !fresh) {
        GL_ASSERT(!s || s->kind == TOTALS_LOADED);
        return s;
    }
    s->kind = TOTALS_LOADED;
    store_val v;
    int rc = store_get(t, db, key, key_len, &v);
    if (rc != GL_OK && rc != GL_ERR_NOT_FOUND) {
        s->used = false; /* the last slot made: taken back as it was */
        c->count--;
        *st = rc;
        return NULL;
    }
    store_pair pair = {0, 0};
    if (rc == GL_OK) {
        rc = store_pair_decode(v, &pair);
        GL_ASSERT(rc == GL_OK);
    }
    s->debit = pair.debit;
    s->credit = pair.credit;
    return s;
}

totals_slot *totals_deferred(totals_cache *c, enum store_db db, const uint8_t *key, size_t key_len,
                             bool *fresh, int *st)
{
    totals_slot *s = slot_of(c, db, key, key_len, fresh, st);
    GL_ASSERT(!s || *fresh || s->kind != TOTALS_LOADED);
    return s;
}

void totals_discard(totals_cache *c)
{
    if (c->slots)
        memset(c->slots, 0, c->cap * sizeof *c->slots);
    c->count = 0;
}

static int slot_cmp(const void *a, const void *b)
{
    const totals_slot *x = *(totals_slot *const *)a, *y = *(totals_slot *const *)b;
    if (x->db != y->db)
        return x->db < y->db ? -1 : 1;
    int c = memcmp(x->key, y->key, x->key_len < y->key_len ? x->key_len : y->key_len);
    return c ? c : (int)x->key_len - (int)y->key_len;
}

/* side += delta, checked. */
static int side_add(int64_t *side, int64_t delta)
{
    int64_t sum = *side;
    if (!gl_money_add(&sum, delta))
        return GL_ERR_TOTAL_LIMIT;
    if (sum < 0)
        return GL_ERR_STORAGE; /* an index out of step with the chain */
    *side = sum;
    return GL_OK;
}

/* One deferred slot through cur, a cursor on its table. */
static int deferred_apply(store_txn *t, store_cursor *cur, const totals_slot *s)
{
    enum store_db db = (enum store_db)s->db;
    if (s->kind == TOTALS_ROW_PUT) /* no look first: a new key is found once, by the put */
        return store_cursor_put(t, cur, db, s->key, s->key_len, s->row, s->row_len, false);
    store_val v;
    int st = store_cursor_find(cur, s->key, s->key_len, &v);
    if (st != GL_OK && st != GL_ERR_NOT_FOUND)
        return st;
    bool found = st == GL_OK;
    switch (s->kind) {
    case TOTALS_DELTA: {
        store_pair p = {0, 0};
        if (found && store_pair_decode(v, &p) != GL_OK)
            return GL_ERR_STORAGE;
        if ((st = side_add(&p.debit, s->debit)) != GL_OK ||
            (st = side_add(&p.credit, s->credit)) != GL_OK)
            return st;
        uint8_t nv[STORE_PAIR_LEN];
        store_pair_encode(nv, p);
        return store_cursor_put(t, cur, db, s->key, s->key_len, nv, sizeof nv, found);
    }
    case TOTALS_ROW_DEL:
        if (!found)
            return s->must_exist ? GL_ERR_STORAGE : GL_OK;
        return store_cursor_del(t, cur, db, s->key, s->key_len);
    default: return GL_ERR_INTERNAL;
    }
}

/* The deferred slots (collected in c->deferred, n of them), sorted by
 * table and key, one cursor a table. */
static int deferred_flush(totals_cache *c, store_txn *t, size_t n)
{
    qsort(c->deferred, n, sizeof *c->deferred, slot_cmp);
    store_cursor *cur = NULL;
    int st = GL_OK;
    for (size_t i = 0; st == GL_OK && i < n; i++) {
        if (!i || c->deferred[i]->db != c->deferred[i - 1]->db) {
            if (cur)
                store_cursor_close(cur);
            cur = NULL;
            if ((st = store_cursor_open(t, (enum store_db)c->deferred[i]->db, &cur)) != GL_OK)
                break;
        }
        st = deferred_apply(t, cur, c->deferred[i]);
    }
    if (cur)
        store_cursor_close(cur);
    return st;
}

int totals_flush(totals_cache *c, store_txn *t)
{
    int st = GL_OK;
    size_t n = 0;
    if (c->count > c->deferred_cap) {
        totals_slot **d = realloc(c->deferred, c->cap * sizeof *d);
        if (!d)
            st = GL_ERR_INTERNAL;
        else
            c->deferred = d, c->deferred_cap = c->cap;
    }
    for (size_t i = 0; st == GL_OK && i < c->cap; i++) {
        totals_slot *s = &c->slots[i];
        if (!s->used)
            continue;
        if (s->kind != TOTALS_LOADED) {
            c->deferred[n++] = s;
            continue;
        }
        uint8_t v[STORE_PAIR_LEN];
        store_pair_encode(v, (store_pair){s->debit, s->credit});
        st = store_put(t, (enum store_db)s->db, s->key, s->key_len, v, sizeof v);
    }
    if (st == GL_OK && n)
        st = deferred_flush(c, t, n);
    totals_discard(c); /* refused: none of the request's sums may outlive it */
    return st;
}
