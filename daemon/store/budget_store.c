/*
 * daemon/store/budget_store.c — the latest version of each budget in the
 * table analytic, tag 8 (budget_store.h).
 */
#include "budget_store.h"

#include "keys.h"

#include "proto/analytic.h"
#include "proto/assert.h"
#include "proto/status.h"

#include <string.h>

enum {
    HEAD_LEN = 4 + 1, /* tenant u32 | tag u8 */
    KEY_BUDGET_LEN = HEAD_LEN + GL_AN_CODE_MAX + 2,
};
_Static_assert(KEY_BUDGET_LEN == 23 && KEY_BUDGET_LEN <= STORE_KEY_MAX, "budget keys (§9)");

/* tenant | 8 | action[16] | fy; its first HEAD_LEN bytes are every
 * action's prefix, its first HEAD_LEN + 16 one action's. */
static void key_budget(uint8_t k[KEY_BUDGET_LEN], uint32_t tenant, gl_str action, uint16_t fy)
{
    GL_ASSERT(action.len <= GL_AN_CODE_MAX);
    gl_be32(k, tenant);
    k[4] = AN_TAG_BUDGETS;
    key_pad(k + HEAD_LEN, action, GL_AN_CODE_MAX);
    gl_be16(k + HEAD_LEN + GL_AN_CODE_MAX, fy);
}

static int budget_value(store_val v, budget_rec *out)
{
    gl_cur c;
    gl_cur_init_stored(&c, v.ptr, v.len);
    out->version = gl_get_u16(&c);
    out->recorded_ms = gl_get_i64(&c);
    out->rows.count = gl_get_u16(&c);
    out->rows.rows = c.pos;
    out->rows.rows_len = gl_cur_left(&c);
    if (gl_cur_status(&c) != GL_OK || out->version == 0 || out->rows.count > GL_BUDGET_ROWS_MAX)
        return GL_ERR_STORAGE;
    for (uint16_t i = 0; i < out->rows.count; i++) {
        gl_get_str8(&c, GL_ACCOUNT_MAX);
        gl_get_i64(&c);
    }
    return gl_cur_end(&c) == GL_OK ? GL_OK : GL_ERR_STORAGE;
}

int store_budget_get(store_txn *t, uint32_t tenant, gl_str action, uint16_t fy, budget_rec *out)
{
    uint8_t k[KEY_BUDGET_LEN];
    key_budget(k, tenant, action, fy);
    store_val v;
    int st = store_get(t, DB_ANALYTIC, k, sizeof k, &v);
    return st == GL_OK ? budget_value(v, out) : st;
}

int store_budget_put(store_txn *t, uint32_t tenant, gl_str action, uint16_t fy,
                     const budget_rec *rec)
{
    GL_ASSERT(rec->version >= 1 && rec->rows.count <= GL_BUDGET_ROWS_MAX);
    uint8_t k[KEY_BUDGET_LEN];
    key_budget(k, tenant, action, fy);
    gl_buf b;
    gl_buf_init(&b);
    gl_put_u16(&b, rec->version);
    gl_put_i64(&b, rec->recorded_ms);
    gl_put_u16(&b, rec->rows.count);
    gl_put_bytes(&b, rec->rows.rows, rec->rows.rows_len);
    int st =
        gl_buf_ok(&b) ? store_put(t, DB_ANALYTIC, k, sizeof k, b.data, b.len) : GL_ERR_INTERNAL;
    gl_buf_free(&b);
    return st;
}

int store_budgets_each(store_txn *t, uint32_t tenant, gl_str action, store_budget_fn fn, void *user,
                       uint32_t *count)
{
    uint8_t k[KEY_BUDGET_LEN];
    key_budget(k, tenant, action, 0);
    size_t plen = action.len ? HEAD_LEN + GL_AN_CODE_MAX : HEAD_LEN;
    store_scan sc;
    int st = store_scan_begin(&sc, t, DB_ANALYTIC, k, plen, plen);
    *count = 0;
    while (st == GL_OK && store_scan_next(&sc)) {
        budget_rec rec;
        if (sc.k.len != KEY_BUDGET_LEN || (st = budget_value(sc.v, &rec)) != GL_OK) {
            st = GL_ERR_STORAGE;
            break;
        }
        gl_str a = key_unpad(sc.k.ptr + HEAD_LEN, GL_AN_CODE_MAX);
        uint16_t fy = gl_rd16(sc.k.ptr + HEAD_LEN + GL_AN_CODE_MAX);
        if (fn && (st = fn(user, a, fy, &rec)) != GL_OK)
            break;
        ++*count;
    }
    return store_scan_close(&sc, st);
}
