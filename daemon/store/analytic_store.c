/*
 * daemon/store/analytic_store.c — the codecs of analytic accounting's
 * records in the table analytic, tags 1-4 (analytic_store.h).
 */
#include "analytic_store.h"

#include "keys.h"

#include "proto/assert.h"
#include "proto/limits.h"
#include "proto/status.h"

#include <string.h>

enum {
    TAG_AXIS = 1,
    TAG_CODE = 2,
    TAG_RULE = 3,
    TAG_ALLOC = 4,
    HEAD_LEN = 4 + 1, /* tenant u32 | tag u8 */
    KEY_AN_MAX = HEAD_LEN + GL_AN_AXIS_MAX + GL_ACCOUNT_MAX,
    ALLOC_KEY_LEN = HEAD_LEN + 2 + 4 + 2 + GL_AN_AXIS_MAX,
};
_Static_assert(KEY_AN_MAX <= STORE_KEY_MAX && GL_AN_CODE_MAX <= GL_ACCOUNT_MAX,
               "analytic keys fit a scan's start");

static size_t key_head(uint8_t *k, uint32_t tenant, uint8_t tag)
{
    gl_be32(k, tenant);
    k[4] = tag;
    return HEAD_LEN;
}

/* tenant | tag | axis[16] | name: the key's length (name may be empty: a
 * scan's start). */
static size_t key_axis_name(uint8_t k[KEY_AN_MAX], uint32_t tenant, uint8_t tag, gl_str axis,
                            gl_str name)
{
    GL_ASSERT(axis.len <= GL_AN_AXIS_MAX && name.len <= GL_ACCOUNT_MAX);
    size_t n = key_head(k, tenant, tag);
    key_pad(k + n, axis, GL_AN_AXIS_MAX);
    n += GL_AN_AXIS_MAX;
    if (name.len)
        memcpy(k + n, name.ptr, name.len);
    return n + name.len;
}

static size_t key_axis(uint8_t k[KEY_AN_MAX], uint32_t tenant, gl_str axis)
{
    GL_ASSERT(axis.len <= GL_AN_AXIS_MAX);
    size_t n = key_head(k, tenant, TAG_AXIS);
    if (axis.len)
        memcpy(k + n, axis.ptr, axis.len);
    return n + axis.len;
}

static gl_str key_tail(store_val k, size_t from)
{
    return (gl_str){(const char *)k.ptr + from, k.len - from};
}

/* --- axes --- */

static int axis_value(store_val v, an_axis_rec *out)
{
    gl_cur c;
    gl_cur_init_stored(&c, v.ptr, v.len);
    out->state = gl_get_u8(&c);
    out->ncodes = gl_get_u16(&c);
    out->label = gl_get_str8(&c, GL_LABEL_MAX);
    return gl_cur_end(&c) == GL_OK ? GL_OK : GL_ERR_STORAGE;
}

int store_an_axis_get(store_txn *t, uint32_t tenant, gl_str axis, an_axis_rec *out)
{
    uint8_t k[KEY_AN_MAX];
    size_t klen = key_axis(k, tenant, axis);
    store_val v;
    int st = store_get(t, DB_ANALYTIC, k, klen, &v);
    return st == GL_OK ? axis_value(v, out) : st;
}

/* state u8 | [codes u16 (an axis)] | label str8 under key k. */
static int put_state_label(store_txn *t, const uint8_t *k, size_t klen, uint8_t state,
                           const uint16_t *ncodes, gl_str label)
{
    uint8_t v[1 + 2 + 1 + GL_LABEL_MAX];
    size_t n = 0;
    v[n++] = state;
    if (ncodes) {
        gl_be16(v + n, *ncodes);
        n += 2;
    }
    GL_ASSERT(label.len <= GL_LABEL_MAX);
    v[n++] = (uint8_t)label.len;
    if (label.len)
        memcpy(v + n, label.ptr, label.len);
    return store_put(t, DB_ANALYTIC, k, klen, v, n + label.len);
}

int store_an_axis_put(store_txn *t, uint32_t tenant, gl_str axis, const an_axis_rec *r)
{
    uint8_t k[KEY_AN_MAX];
    size_t klen = key_axis(k, tenant, axis);
    return put_state_label(t, k, klen, r->state, &r->ncodes, r->label);
}

int store_an_any_axis(store_txn *t, uint32_t tenant, bool *any)
{
    uint8_t k[HEAD_LEN];
    key_head(k, tenant, TAG_AXIS);
    store_scan sc;
    int st = store_scan_begin(&sc, t, DB_ANALYTIC, k, sizeof k, sizeof k);
    *any = st == GL_OK && store_scan_next(&sc);
    return store_scan_close(&sc, st);
}

int store_an_axes_each(store_txn *t, uint32_t tenant, store_an_axis_fn fn, void *user,
                       uint32_t *count)
{
    uint8_t k[HEAD_LEN];
    key_head(k, tenant, TAG_AXIS);
    store_scan sc;
    int st = store_scan_begin(&sc, t, DB_ANALYTIC, k, sizeof k, sizeof k);
    *count = 0;
    while (st == GL_OK && store_scan_next(&sc)) {
        an_axis_rec r;
        if ((st = axis_value(sc.v, &r)) != GL_OK ||
            (fn && (st = fn(user, key_tail(sc.k, HEAD_LEN), &r)) != GL_OK))
            break;
        ++*count;
    }
    return store_scan_close(&sc, st);
}

/* --- codes --- */

static int code_value(store_val v, an_code_rec *out)
{
    gl_cur c;
    gl_cur_init_stored(&c, v.ptr, v.len);
    out->state = gl_get_u8(&c);
    out->label = gl_get_str8(&c, GL_LABEL_MAX);
    return gl_cur_end(&c) == GL_OK ? GL_OK : GL_ERR_STORAGE;
}

int store_an_code_get(store_txn *t, uint32_t tenant, gl_str axis, gl_str code, an_code_rec *out)
{
    uint8_t k[KEY_AN_MAX];
    size_t klen = key_axis_name(k, tenant, TAG_CODE, axis, code);
    store_val v;
    int st = store_get(t, DB_ANALYTIC, k, klen, &v);
    return st == GL_OK ? code_value(v, out) : st;
}

int store_an_code_put(store_txn *t, uint32_t tenant, gl_str axis, gl_str code, const an_code_rec *r)
{
    uint8_t k[KEY_AN_MAX];
    size_t klen = key_axis_name(k, tenant, TAG_CODE, axis, code);
    return put_state_label(t, k, klen, r->state, NULL, r->label);
}

int store_an_codes_each(store_txn *t, uint32_t tenant, gl_str axis, store_an_code_fn fn, void *user,
                        uint32_t *count)
{
    uint8_t k[KEY_AN_MAX];
    size_t plen = key_axis_name(k, tenant, TAG_CODE, axis, (gl_str){"", 0});
    store_scan sc;
    int st = store_scan_begin(&sc, t, DB_ANALYTIC, k, plen, plen);
    *count = 0;
    while (st == GL_OK && store_scan_next(&sc)) {
        an_code_rec r;
        if ((st = code_value(sc.v, &r)) != GL_OK ||
            (fn && (st = fn(user, key_tail(sc.k, plen), &r)) != GL_OK))
            break;
        ++*count;
    }
    return store_scan_close(&sc, st);
}

/* --- rules --- */

int store_an_rule_get(store_txn *t, uint32_t tenant, gl_str axis, gl_str prefix)
{
    uint8_t k[KEY_AN_MAX];
    size_t klen = key_axis_name(k, tenant, TAG_RULE, axis, prefix);
    store_val v;
    return store_get(t, DB_ANALYTIC, k, klen, &v);
}

int store_an_rule_put(store_txn *t, uint32_t tenant, gl_str axis, gl_str prefix)
{
    uint8_t k[KEY_AN_MAX];
    size_t klen = key_axis_name(k, tenant, TAG_RULE, axis, prefix);
    return store_put(t, DB_ANALYTIC, k, klen, "", 0);
}

int store_an_rule_del(store_txn *t, uint32_t tenant, gl_str axis, gl_str prefix)
{
    uint8_t k[KEY_AN_MAX];
    size_t klen = key_axis_name(k, tenant, TAG_RULE, axis, prefix);
    return store_del(t, DB_ANALYTIC, k, klen);
}

int store_an_rules_each(store_txn *t, uint32_t tenant, gl_str axis, store_an_rule_fn fn, void *user,
                        uint32_t *count)
{
    uint8_t k[KEY_AN_MAX];
    size_t plen = axis.len ? key_axis_name(k, tenant, TAG_RULE, axis, (gl_str){"", 0})
                           : key_head(k, tenant, TAG_RULE);
    store_scan sc;
    int st = store_scan_begin(&sc, t, DB_ANALYTIC, k, plen, plen);
    *count = 0;
    while (st == GL_OK && store_scan_next(&sc)) {
        if (sc.k.len <= HEAD_LEN + GL_AN_AXIS_MAX) {
            st = GL_ERR_STORAGE;
            break;
        }
        gl_str a = key_unpad(sc.k.ptr + HEAD_LEN, GL_AN_AXIS_MAX);
        if (fn && (st = fn(user, a, key_tail(sc.k, HEAD_LEN + GL_AN_AXIS_MAX))) != GL_OK)
            break;
        ++*count;
    }
    return store_scan_close(&sc, st);
}

/* --- allocations --- */

static void key_alloc(uint8_t k[ALLOC_KEY_LEN], const an_alloc_key *a, gl_str axis)
{
    size_t n = key_head(k, a->tenant, TAG_ALLOC);
    gl_be16(k + n, a->fy);
    gl_be32(k + n + 2, a->num);
    gl_be16(k + n + 6, a->line);
    key_pad(k + n + 8, axis, GL_AN_AXIS_MAX);
}

int store_an_alloc_get(store_txn *t, const an_alloc_key *a, gl_str axis,
                       uint8_t buf[AN_ALLOC_VALUE_MAX], gl_an_split *out)
{
    uint8_t k[ALLOC_KEY_LEN];
    key_alloc(k, a, axis);
    store_val v;
    int st = store_get(t, DB_ANALYTIC, k, sizeof k, &v);
    if (st != GL_OK)
        return st;
    if (v.len > AN_ALLOC_VALUE_MAX)
        return GL_ERR_STORAGE;
    memcpy(buf, v.ptr, v.len);
    gl_cur c;
    gl_cur_init_stored(&c, buf, v.len);
    out->axis = axis;
    out->count = gl_get_u8(&c);
    if (out->count < 1 || out->count > GL_AN_SPLIT_MAX)
        return GL_ERR_STORAGE;
    for (uint8_t i = 0; i < out->count; i++) {
        out->shares[i].code = gl_get_str8(&c, GL_AN_CODE_MAX);
        out->shares[i].amount_cents = gl_get_i64(&c);
    }
    return gl_cur_end(&c) == GL_OK ? GL_OK : GL_ERR_STORAGE;
}

int store_an_alloc_put(store_txn *t, const an_alloc_key *a, const gl_an_split *s)
{
    uint8_t k[ALLOC_KEY_LEN];
    key_alloc(k, a, s->axis);
    gl_buf b;
    gl_buf_init(&b);
    gl_put_u8(&b, s->count);
    for (uint8_t i = 0; i < s->count; i++) {
        gl_put_str8(&b, s->shares[i].code.ptr, s->shares[i].code.len);
        gl_put_i64(&b, s->shares[i].amount_cents);
    }
    int st =
        gl_buf_ok(&b) ? store_put(t, DB_ANALYTIC, k, sizeof k, b.data, b.len) : GL_ERR_INTERNAL;
    gl_buf_free(&b);
    return st;
}

int store_an_alloc_del(store_txn *t, const an_alloc_key *a, gl_str axis)
{
    uint8_t k[ALLOC_KEY_LEN];
    key_alloc(k, a, axis);
    return store_del(t, DB_ANALYTIC, k, sizeof k);
}

int store_an_allocs_each(store_txn *t, const an_alloc_key *a, store_an_alloc_fn fn, void *user)
{
    uint8_t k[ALLOC_KEY_LEN];
    key_alloc(k, a, (gl_str){"", 0});
    enum { LINE_LEN = ALLOC_KEY_LEN - GL_AN_AXIS_MAX };
    store_scan sc;
    int st = store_scan_begin(&sc, t, DB_ANALYTIC, k, LINE_LEN, LINE_LEN);
    while (st == GL_OK && store_scan_next(&sc)) {
        if (sc.k.len != ALLOC_KEY_LEN) {
            st = GL_ERR_STORAGE;
            break;
        }
        st = fn(user, key_unpad(sc.k.ptr + LINE_LEN, GL_AN_AXIS_MAX));
    }
    return store_scan_close(&sc, st);
}
