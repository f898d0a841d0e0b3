/*
 * daemon/store/grant_store.c — the grants in the table analytic, tag 7
 * (grant_store.h).
 */
#include "grant_store.h"

#include "proto/assert.h"
#include "proto/status.h"

#include <string.h>

enum {
    HEAD_LEN = 4 + 1, /* tenant u32 | tag u8 */
    KEY_GRANT_MAX = HEAD_LEN + GL_GRANT_CODE_MAX,
};
_Static_assert(KEY_GRANT_MAX <= STORE_KEY_MAX, "grant keys fit a scan's start");

static size_t key_grant(uint8_t k[KEY_GRANT_MAX], uint32_t tenant, gl_str code)
{
    GL_ASSERT(code.len <= GL_GRANT_CODE_MAX);
    gl_be32(k, tenant);
    k[4] = AN_TAG_GRANTS;
    if (code.len)
        memcpy(k + HEAD_LEN, code.ptr, code.len);
    return HEAD_LEN + code.len;
}

/* The value decodes, whole, and names the key's code. */
static int grant_value(store_val k, store_val v, gl_grant *out)
{
    gl_cur c;
    gl_cur_init_stored(&c, v.ptr, v.len);
    gl_grant_get(&c, out);
    if (gl_cur_end(&c) != GL_OK || k.len != HEAD_LEN + out->code.len ||
        memcmp(k.ptr + HEAD_LEN, out->code.ptr, out->code.len) != 0)
        return GL_ERR_STORAGE;
    return GL_OK;
}

int store_grant_get(store_txn *t, uint32_t tenant, gl_str code, gl_grant *out)
{
    uint8_t k[KEY_GRANT_MAX];
    size_t klen = key_grant(k, tenant, code);
    store_val v;
    int st = store_get(t, DB_ANALYTIC, k, klen, &v);
    return st == GL_OK ? grant_value((store_val){k, klen}, v, out) : st;
}

int store_grant_put(store_txn *t, uint32_t tenant, const gl_grant *g)
{
    uint8_t k[KEY_GRANT_MAX];
    size_t klen = key_grant(k, tenant, g->code);
    gl_buf b;
    gl_buf_init(&b);
    gl_grant_put(&b, g);
    int st = gl_buf_ok(&b) ? store_put(t, DB_ANALYTIC, k, klen, b.data, b.len) : GL_ERR_INTERNAL;
    gl_buf_free(&b);
    return st;
}

int store_grant_delete(store_txn *t, uint32_t tenant, gl_str code)
{
    uint8_t k[KEY_GRANT_MAX];
    size_t klen = key_grant(k, tenant, code);
    return store_del(t, DB_ANALYTIC, k, klen);
}

int store_grants_each(store_txn *t, uint32_t tenant, store_grant_fn fn, void *user, uint32_t *count)
{
    uint8_t k[KEY_GRANT_MAX];
    size_t plen = key_grant(k, tenant, (gl_str){"", 0});
    store_scan sc;
    int st = store_scan_begin(&sc, t, DB_ANALYTIC, k, plen, plen);
    *count = 0;
    while (st == GL_OK && store_scan_next(&sc)) {
        gl_grant g;
        if ((st = grant_value(sc.k, sc.v, &g)) != GL_OK ||
            (fn && (st = fn(user, sc.v, &g)) != GL_OK))
            break;
        ++*count;
    }
    return store_scan_close(&sc, st);
}
