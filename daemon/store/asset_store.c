/*
 * daemon/store/asset_store.c — the fixed-asset register in the table
 * assets (asset_store.h).
 */
#include "asset_store.h"

#include "proto/assert.h"
#include "proto/status.h"

#include <stdlib.h>
#include <string.h>

enum {
    HEAD_LEN = 4, /* tenant u32 */
    KEY_ASSET_MAX = HEAD_LEN + GL_ASSET_CODE_MAX,
};
_Static_assert(KEY_ASSET_MAX <= STORE_KEY_MAX, "asset keys fit a scan's start");

static size_t key_asset(uint8_t k[KEY_ASSET_MAX], uint32_t tenant, gl_str code)
{
    GL_ASSERT(code.len <= GL_ASSET_CODE_MAX);
    gl_be32(k, tenant);
    if (code.len)
        memcpy(k + HEAD_LEN, code.ptr, code.len);
    return HEAD_LEN + code.len;
}

/* The value decodes, whole, and names the key's code. */
static int asset_value(store_val k, store_val v, gl_asset_state *out)
{
    gl_cur c;
    gl_cur_init_stored(&c, v.ptr, v.len);
    gl_asset_state_get(&c, out);
    if (gl_cur_end(&c) != GL_OK || k.len != HEAD_LEN + out->asset.code.len ||
        memcmp(k.ptr + HEAD_LEN, out->asset.code.ptr, out->asset.code.len) != 0)
        return GL_ERR_STORAGE;
    return GL_OK;
}

int store_asset_get(store_txn *t, uint32_t tenant, gl_str code, gl_asset_state *out)
{
    uint8_t k[KEY_ASSET_MAX];
    size_t klen = key_asset(k, tenant, code);
    store_val v;
    int st = store_get(t, DB_ASSETS, k, klen, &v);
    return st == GL_OK ? asset_value((store_val){k, klen}, v, out) : st;
}

int store_asset_put(store_txn *t, uint32_t tenant, const gl_asset_state *s)
{
    uint8_t k[KEY_ASSET_MAX];
    size_t klen = key_asset(k, tenant, s->asset.code);
    gl_buf b;
    gl_buf_init(&b);
    gl_asset_state_put(&b, s);
    int st = gl_buf_ok(&b) ? store_put(t, DB_ASSETS, k, klen, b.data, b.len) : GL_ERR_INTERNAL;
    gl_buf_free(&b);
    return st;
}

int store_assets_each(store_txn *t, uint32_t tenant, store_asset_fn fn, void *user, uint32_t *count)
{
    uint8_t k[KEY_ASSET_MAX];
    size_t plen = key_asset(k, tenant, (gl_str){"", 0});
    store_scan sc;
    int st = store_scan_begin(&sc, t, DB_ASSETS, k, plen, plen);
    *count = 0;
    while (st == GL_OK && store_scan_next(&sc)) {
        gl_asset_state s;
        if ((st = asset_value(sc.k, sc.v, &s)) != GL_OK ||
            (fn && (st = fn(user, sc.v, &s)) != GL_OK))
            break;
        ++*count;
    }
    return store_scan_close(&sc, st);
}

/* Each value after the other, each preceded by its length. */
static int copy_value(void *user, store_val value, const gl_asset_state *s)
{
    (void)s;
    gl_put_u32(user, (uint32_t)value.len);
    gl_put_bytes(user, value.ptr, value.len);
    return GL_OK;
}

int store_assets_load(store_txn *t, uint32_t tenant, gl_asset_state **rows, size_t *n, gl_buf *copy)
{
    uint32_t count;
    *rows = NULL;
    *n = 0;
    int st = store_assets_each(t, tenant, copy_value, copy, &count);
    if (st != GL_OK)
        return st;
    if (!gl_buf_ok(copy) || !(*rows = calloc(count ? count : 1, sizeof **rows)))
        return GL_ERR_INTERNAL;
    gl_cur c;
    gl_cur_init_stored(&c, copy->data, copy->len);
    for (uint32_t i = 0; i < count; i++) {
        uint32_t len = gl_get_u32(&c);
        const uint8_t *p = gl_get_bytes(&c, len);
        gl_cur one;
        gl_cur_init_stored(&one, p, p ? len : 0);
        gl_asset_state_get(&one, &(*rows)[i]);
        if (gl_cur_end(&one) != GL_OK)
            gl_cur_fail(&c, GL_ERR_STORAGE);
    }
    *n = count;
    return gl_cur_status(&c) == GL_OK ? GL_OK : GL_ERR_STORAGE;
}
