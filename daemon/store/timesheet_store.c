/*
 * daemon/store/timesheet_store.c — the codec of the time sheets in the
 * table analytic under tag 6 (timesheet_store.h).
 */
#include "timesheet_store.h"

#include "keys.h"

#include "proto/analytic.h"
#include "proto/assert.h"
#include "proto/status.h"

#include <string.h>

#define TAG_TIMESHEET 6

enum {
    KEY_TS_PREFIX_LEN = 4 + 1,                                       /* tenant | 6 */
    KEY_TS_EMPLOYEE_PREFIX_LEN = KEY_TS_PREFIX_LEN + GL_AN_CODE_MAX, /* one employee's */
    KEY_TS_LEN = KEY_TS_EMPLOYEE_PREFIX_LEN + 4,
};

static void key_ts(uint8_t k[KEY_TS_LEN], uint32_t tenant, gl_str employee, uint32_t month)
{
    gl_be32(k, tenant);
    k[4] = TAG_TIMESHEET;
    key_pad(k + KEY_TS_PREFIX_LEN, employee, GL_AN_CODE_MAX);
    gl_be32(k + KEY_TS_EMPLOYEE_PREFIX_LEN, month);
}

static int sheet_value(store_val v, gl_timesheet *out)
{
    gl_cur c;
    gl_cur_init_stored(&c, v.ptr, v.len);
    uint32_t bad;
    if (gl_ts_get(&c, out, &bad) != GL_OK || gl_cur_end(&c) != GL_OK)
        return GL_ERR_STORAGE;
    return GL_OK;
}

int store_ts_get(store_txn *t, uint32_t tenant, gl_str employee, uint32_t month, gl_timesheet *out)
{
    uint8_t k[KEY_TS_LEN];
    key_ts(k, tenant, employee, month);
    store_val v;
    int st = store_get(t, DB_ANALYTIC, k, sizeof k, &v);
    return st == GL_OK ? sheet_value(v, out) : st;
}

int store_ts_put(store_txn *t, uint32_t tenant, const gl_timesheet *s)
{
    GL_ASSERT(s->count > 0 && s->employee.len <= GL_AN_CODE_MAX);
    uint8_t k[KEY_TS_LEN];
    key_ts(k, tenant, s->employee, s->month);
    gl_buf b;
    gl_buf_init(&b);
    gl_ts_head_put(&b, s->employee, s->month, s->basis_per_mille, s->count);
    gl_put_bytes(&b, s->rows, s->rows_len);
    int st =
        gl_buf_ok(&b) ? store_put(t, DB_ANALYTIC, k, sizeof k, b.data, b.len) : GL_ERR_INTERNAL;
    gl_buf_free(&b);
    return st;
}

int store_ts_delete(store_txn *t, uint32_t tenant, gl_str employee, uint32_t month)
{
    uint8_t k[KEY_TS_LEN];
    key_ts(k, tenant, employee, month);
    return store_del(t, DB_ANALYTIC, k, sizeof k);
}

/* Seek the scan to (employee, month) of the key k (a stored key's bytes). */
static void seek_to(store_scan *sc, uint32_t tenant, const uint8_t *emp_padded, uint32_t month)
{
    uint8_t k[KEY_TS_LEN];
    key_ts(k, tenant, (gl_str){"", 0}, month);
    memcpy(k + KEY_TS_PREFIX_LEN, emp_padded, GL_AN_CODE_MAX);
    store_scan_seek(sc, k, sizeof k, sc->prefix_len);
}

int store_ts_each(store_txn *t, uint32_t tenant, gl_str employee, uint32_t from, uint32_t to,
                  store_ts_fn fn, void *user)
{
    uint8_t k[KEY_TS_LEN];
    key_ts(k, tenant, employee, from);
    size_t plen = employee.len ? KEY_TS_EMPLOYEE_PREFIX_LEN : KEY_TS_PREFIX_LEN;
    store_scan sc;
    int st = store_scan_begin(&sc, t, DB_ANALYTIC, k, employee.len ? sizeof k : plen, plen);
    while (st == GL_OK && store_scan_next(&sc)) {
        if (sc.k.len != KEY_TS_LEN) {
            st = GL_ERR_STORAGE;
            break;
        }
        const uint8_t *emp = sc.k.ptr + KEY_TS_PREFIX_LEN;
        uint32_t month = gl_rd32(sc.k.ptr + KEY_TS_EMPLOYEE_PREFIX_LEN);
        if (month < from) {
            seek_to(&sc, tenant, emp, from); /* this employee's first month of the range */
            continue;
        }
        if (month > to) {
            if (employee.len)
                break;
            if (month != UINT32_MAX)
                seek_to(&sc, tenant, emp, UINT32_MAX); /* past this employee */
            continue;
        }
        gl_timesheet s;
        if ((st = sheet_value(sc.v, &s)) != GL_OK || (st = fn(user, &s)) != GL_OK)
            break;
    }
    return store_scan_close(&sc, st);
}
