/*
 * daemon/periods.c — period locks and fiscal-year states; see periods.h.
 */
#include "periods.h"

#include "store/keys.h"

#include "proto/assert.h"
#include "proto/date.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <string.h>

#define YEAR_STATE_LEN (1 + 4 + 2 + 4 + 8 + 8)

static void key_period(uint8_t k[6], uint32_t tenant, uint16_t fy)
{
    gl_be32(k, tenant);
    gl_be16(k + 4, fy);
}

int periods_locked_through(store_txn *t, uint32_t tenant, uint32_t *ym)
{
    uint8_t k[6];
    store_val v;
    key_period(k, tenant, 0);
    int st = store_get(t, DB_PERIODS, k, sizeof k, &v);
    *ym = 0;
    if (st == GL_ERR_NOT_FOUND)
        return GL_OK;
    if (st == GL_OK) {
        GL_ASSERT(v.len == 4);
        *ym = gl_rd32(v.ptr);
    }
    return st;
}

int periods_set_locked_through(store_txn *t, uint32_t tenant, uint32_t ym)
{
    uint8_t k[6], v[4];
    key_period(k, tenant, 0);
    gl_be32(v, ym);
    return store_put(t, DB_PERIODS, k, sizeof k, v, sizeof v);
}

int periods_year(store_txn *t, uint32_t tenant, uint16_t fy, year_state *out)
{
    uint8_t k[6];
    store_val v;
    memset(out, 0, sizeof *out);
    key_period(k, tenant, fy);
    int st = store_get(t, DB_PERIODS, k, sizeof k, &v);
    if (st == GL_ERR_NOT_FOUND)
        return GL_OK;
    if (st != GL_OK)
        return st;
    GL_ASSERT(v.len == YEAR_STATE_LEN);
    out->closed = v.ptr[0] != 0;
    out->result_num = gl_rd32(v.ptr + 1);
    out->opening_fy = gl_rd16(v.ptr + 5);
    out->opening_num = gl_rd32(v.ptr + 7);
    out->result_cents = (int64_t)gl_rd64(v.ptr + 11);
    out->closed_ms = (int64_t)gl_rd64(v.ptr + 19);
    return GL_OK;
}

int periods_set_year(store_txn *t, uint32_t tenant, uint16_t fy, const year_state *s)
{
    uint8_t k[6], v[YEAR_STATE_LEN];
    GL_ASSERT(fy != 0);
    key_period(k, tenant, fy);
    v[0] = s->closed ? 1 : 0;
    gl_be32(v + 1, s->result_num);
    gl_be16(v + 5, s->opening_fy);
    gl_be32(v + 7, s->opening_num);
    gl_be64(v + 11, (uint64_t)s->result_cents);
    gl_be64(v + 19, (uint64_t)s->closed_ms);
    return store_put(t, DB_PERIODS, k, sizeof k, v, sizeof v);
}

int periods_has_entries_before(store_txn *t, uint32_t tenant, uint16_t fy, bool *out)
{
    uint8_t k[KEY_ENTRIES_LEN];
    key_entries(k, tenant, 0, 0);
    store_cursor *c;
    store_val kv, v;
    int st = store_cursor_open(t, DB_ENTRIES, &c);
    if (st != GL_OK)
        return st;
    st = store_seek(c, k, sizeof k, &kv, &v);
    *out = st == GL_OK && kv.len == KEY_ENTRIES_LEN && gl_rd32(kv.ptr) == tenant && gl_rd16(kv.ptr + 4) < fy;
    store_cursor_close(c);
    return st == GL_OK || st == GL_ERR_NOT_FOUND ? GL_OK : st;
}

uint32_t periods_next_month(uint32_t ym) { return gl_month_next(ym); }
