/*
 * daemon/periods.c — period locks and fiscal-year states; see periods.h.
 */
#include "periods.h"

#include "store/keys.h"
#include "store/values.h"

#include "proto/assert.h"
#include "proto/date.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <string.h>

int periods_locked_through(store_txn *t, uint32_t tenant, uint32_t *ym)
{
    uint8_t k[KEY_PERIODS_LEN];
    store_val v;
    key_periods(k, tenant, 0);
    int st = store_get(t, DB_PERIODS, k, sizeof k, &v);
    *ym = 0;
    if (st == GL_ERR_NOT_FOUND)
        return GL_OK;
    if (st == GL_OK) {
        st = store_lock_decode(v, ym);
        GL_ASSERT(st == GL_OK);
    }
    return st;
}

int periods_set_locked_through(store_txn *t, uint32_t tenant, uint32_t ym)
{
    uint8_t k[KEY_PERIODS_LEN], v[STORE_LOCK_LEN];
    key_periods(k, tenant, 0);
    store_lock_encode(v, ym);
    return store_put(t, DB_PERIODS, k, sizeof k, v, sizeof v);
}

int periods_year(store_txn *t, uint32_t tenant, uint16_t fy, year_state *out)
{
    uint8_t k[KEY_PERIODS_LEN];
    store_val v;
    memset(out, 0, sizeof *out);
    key_periods(k, tenant, fy);
    int st = store_get(t, DB_PERIODS, k, sizeof k, &v);
    if (st == GL_ERR_NOT_FOUND)
        return GL_OK;
    if (st != GL_OK)
        return st;
    st = store_year_state_decode(v, out);
    GL_ASSERT(st == GL_OK);
    return GL_OK;
}

int periods_set_year(store_txn *t, uint32_t tenant, uint16_t fy, const year_state *s)
{
    uint8_t k[KEY_PERIODS_LEN], v[STORE_YEAR_STATE_LEN];
    GL_ASSERT(fy != 0);
    key_periods(k, tenant, fy);
    store_year_state_encode(v, s);
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
    key_parts kp;
    *out = st == GL_OK && key_entries_parse(kv, &kp) && kp.tenant == tenant && kp.fy < fy;
    store_cursor_close(c);
    return st == GL_OK || st == GL_ERR_NOT_FOUND ? GL_OK : st;
}

uint32_t periods_next_month(uint32_t ym) { return gl_month_next(ym); }
