/*
 * daemon/store/keyring_store.c — DB_KEYRING records (see keyring_store.h
 * and the format in store.h).  Values are checked on the way out as on the
 * way in: a record that does not decode is a storage error, never trusted.
 */
#include "keyring_store.h"

#include "proto/assert.h"
#include "proto/status.h"

#include <string.h>

void keyring_rec_key(const keyring_rec *r, uint8_t key[KEYRING_KEY_LEN])
{
    GL_ASSERT(r->since_ms >= 0);
    memcpy(key, r->pub, 32);
    gl_be64(key + 32, (uint64_t)r->since_ms);
}

bool keyring_key_parse(const uint8_t *key, size_t key_len, const uint8_t **signer,
                       uint64_t *since_ms)
{
    if (key_len != KEYRING_KEY_LEN)
        return false;
    *signer = key;
    *since_ms = gl_rd64(key + 32);
    return true;
}

void keyring_rec_value(const keyring_rec *r, gl_buf *out)
{
    GL_ASSERT(r->until_ms >= 0 && (r->until_ms == 0) == (r->end == KEYRING_OPEN));
    gl_buf_reset(out);
    gl_put_u8(out, KEYRING_REC_FORMAT);
    gl_put_i64(out, r->until_ms);
    gl_put_u8(out, r->end);
    gl_put_u8(out, r->role);
    gl_put_str8(out, r->tenant, strlen(r->tenant));
    gl_put_str8(out, r->name, strlen(r->name));
}

static void copy_str(char *dst, size_t dst_len, gl_str s)
{
    GL_ASSERT(s.len < dst_len);
    memcpy(dst, s.ptr, s.len);
    dst[s.len] = '\0';
}

int keyring_rec_decode(const uint8_t *key, size_t key_len, const uint8_t *val, size_t val_len,
                       keyring_rec *out)
{
    memset(out, 0, sizeof *out);
    if (key_len != KEYRING_KEY_LEN)
        return GL_ERR_STORAGE;
    memcpy(out->pub, key, 32);
    uint64_t since = gl_rd64(key + 32);
    gl_cur c;
    gl_cur_init_stored(&c, val, val_len);
    uint8_t format = gl_get_u8(&c);
    out->until_ms = gl_get_i64(&c);
    out->end = gl_get_u8(&c);
    out->role = gl_get_u8(&c);
    gl_str tenant = gl_get_str8(&c, GL_TENANT_MAX);
    gl_str name = gl_get_str8(&c, KEYRING_NAME_MAX);
    if (gl_cur_end(&c) != GL_OK || format != KEYRING_REC_FORMAT || since > INT64_MAX ||
        out->until_ms < 0 || out->end > KEYRING_CHANGED ||
        (out->until_ms == 0) != (out->end == KEYRING_OPEN))
        return GL_ERR_STORAGE;
    out->since_ms = (int64_t)since;
    copy_str(out->tenant, sizeof out->tenant, tenant);
    copy_str(out->name, sizeof out->name, name);
    return GL_OK;
}

int keyring_rec_latest(store_txn *t, const uint8_t pub[32], keyring_rec *out)
{
    uint8_t bound[KEYRING_KEY_LEN];
    memcpy(bound, pub, 32);
    memset(bound + 32, 0xff, 8);
    store_cursor *c;
    store_val k, v;
    int st = store_cursor_open(t, DB_KEYRING, &c);
    if (st != GL_OK)
        return st;
    st = store_seek_before(c, bound, sizeof bound, &k, &v);
    if (st == GL_OK && !store_has_prefix(k, pub, 32))
        st = GL_ERR_NOT_FOUND;
    if (st == GL_OK)
        st = keyring_rec_decode(k.ptr, k.len, v.ptr, v.len, out);
    store_cursor_close(c);
    return st;
}

int keyring_rec_put(store_txn *t, const keyring_rec *r)
{
    uint8_t key[KEYRING_KEY_LEN];
    gl_buf val;
    gl_buf_init(&val);
    keyring_rec_key(r, key);
    keyring_rec_value(r, &val);
    int st = gl_buf_ok(&val) ? store_put(t, DB_KEYRING, key, sizeof key, val.data, val.len)
                             : GL_ERR_INTERNAL;
    gl_buf_free(&val);
    return st;
}

int keyring_rec_each(store_txn *t, int (*fn)(const keyring_rec *r, void *user), void *user)
{
    store_cursor *c;
    store_val k, v;
    int st = store_cursor_open(t, DB_KEYRING, &c);
    if (st != GL_OK)
        return st;
    for (st = store_seek(c, "", 0, &k, &v); st == GL_OK; st = store_next(c, &k, &v)) {
        keyring_rec r;
        if ((st = keyring_rec_decode(k.ptr, k.len, v.ptr, v.len, &r)) != GL_OK)
            break;
        if ((st = fn(&r, user)) != GL_OK)
            break;
    }
    store_cursor_close(c);
    return st == GL_ERR_NOT_FOUND ? GL_OK : st;
}
