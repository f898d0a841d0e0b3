/*
 * client/verify/verify_map.c — the open-addressing hash map of fixed-size
 * keys and values that holds a chain's replayed ledger, and the builders of
 * its keys (types in verify_int.h).
 */
#include "verify_int.h"

#include "proto/hash.h"

static uint8_t *slot_at(const map *m, size_t i) { return m->slots + i * m->stride; }

void vf_map_init(map *m, size_t key_size, size_t val_size)
{
    memset(m, 0, sizeof *m);
    m->key_len = key_size;
    m->key_size = (key_size + 7) & ~(size_t)7;
    m->val_size = (val_size + 7) & ~(size_t)7;
    m->stride = 8 + m->key_size + m->val_size;
}

void vf_map_free(map *m)
{
    free(m->slots);
    m->slots = NULL;
    m->cap = m->count = 0;
}

static uint64_t hash_key(const void *key, size_t n)
{
    uint64_t h = gl_fnv1a64(key, n);
    return h ^ (h >> 29);
}

static bool map_grow(map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    if (cap > SIZE_MAX / m->stride)
        return false;
    uint8_t *slots = calloc(cap, m->stride);
    if (!slots)
        return false;
    map old = *m;
    m->slots = slots;
    m->cap = cap;
    for (size_t i = 0; i < old.cap; i++) {
        uint8_t *s = slot_at(&old, i);
        if (!s[0])
            continue;
        size_t j = hash_key(s + 8, m->key_len) & (cap - 1);
        while (slot_at(m, j)[0])
            j = (j + 1) & (cap - 1);
        memcpy(slot_at(m, j), s, m->stride);
    }
    free(old.slots);
    return true;
}

/* The value of key (zeroed when created); NULL if absent and !create, or
 * when memory ran out (*nomem set).  key must be key_size bytes with any
 * padding zeroed. */
void *vf_map_get(map *m, const void *key, bool create, bool *nomem)
{
    if (create && (m->count + 1) * 2 > m->cap && !map_grow(m)) {
        *nomem = true;
        return NULL;
    }
    if (!m->cap)
        return NULL;
    size_t j = hash_key(key, m->key_len) & (m->cap - 1);
    for (;;) {
        uint8_t *s = slot_at(m, j);
        if (!s[0])
            break;
        if (!memcmp(s + 8, key, m->key_len))
            return s + 8 + m->key_size;
        j = (j + 1) & (m->cap - 1);
    }
    if (!create)
        return NULL;
    uint8_t *s = slot_at(m, j);
    s[0] = 1;
    memcpy(s + 8, key, m->key_len);
    m->count++;
    return s + 8 + m->key_size;
}

bal_key vf_make_bal_key(uint16_t fy, gl_str account, gl_str aux)
{
    bal_key k;
    memset(&k, 0, sizeof k);
    k.fy = fy;
    k.alen = (uint8_t)account.len;
    k.xlen = (uint8_t)aux.len;
    copy_bytes(k.account, account.ptr, account.len); /* lengths bounded by the decoder */
    copy_bytes(k.aux, aux.ptr, aux.len);
    return k;
}

acct_key vf_make_acct_key(gl_str account)
{
    acct_key k;
    memset(&k, 0, sizeof k);
    k.len = (uint8_t)account.len;
    copy_bytes(k.account, account.ptr, account.len);
    return k;
}

num_key vf_make_num_key(uint16_t fy, uint32_t num)
{
    num_key k;
    memset(&k, 0, sizeof k);
    k.fy = fy;
    k.num = num;
    return k;
}

bool vf_next_balance(const map *m, size_t *i, const bal_key **k, const bal_val **b)
{
    for (; *i < m->cap; (*i)++) {
        const uint8_t *s = slot_at(m, *i);
        if (!s[0])
            continue;
        *k = (const bal_key *)(s + 8);
        *b = (const bal_val *)(s + 8 + m->key_size);
        (*i)++;
        return true;
    }
    return false;
}
