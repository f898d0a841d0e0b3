/*
 * daemon/store/year_totals.c — computing year_totals from the per-account
 * balances; see year_totals.h.
 */
#include "year_totals.h"

#include "keys.h"
#include "values.h"

#include "proto/status.h"
#include "proto/wire.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* a += b, saturating at INT64_MAX (both >= 0). */
static void add_saturating(int64_t *a, int64_t b) { *a = b > INT64_MAX - *a ? INT64_MAX : *a + b; }

static int put_pair(store_txn *t, uint32_t tenant, uint16_t fy, const int64_t sums[2])
{
    uint8_t k[KEY_YEAR_TOTALS_LEN], v[STORE_PAIR_LEN];
    key_year_totals(k, tenant, fy);
    store_pair_encode(v, (store_pair){sums[0], sums[1]});
    return store_put(t, DB_YEAR_TOTALS, k, sizeof k, v, sizeof v);
}

/* Whether periods marks (tenant, fy) closed (its year state). */
static int year_closed(store_txn *t, uint32_t tenant, uint16_t fy, bool *closed)
{
    uint8_t k[KEY_PERIODS_LEN];
    store_val v;
    year_state ys;
    key_periods(k, tenant, fy);
    int st = store_get(t, DB_PERIODS, k, sizeof k, &v);
    if (st == GL_OK)
        st = store_year_state_decode(v, &ys);
    *closed = st == GL_OK && ys.closed;
    return st == GL_ERR_NOT_FOUND ? GL_OK : st;
}

/* The year (tenant, fy) summed in year[]: stored, and added to the open
 * books of its tenant unless closed. */
static int end_year(store_txn *t, uint32_t tenant, uint16_t fy, const int64_t year[2],
                    int64_t open[2])
{
    bool closed;
    int st = year_closed(t, tenant, fy, &closed);
    if (st == GL_OK && !closed) {
        add_saturating(&open[0], year[0]);
        add_saturating(&open[1], year[1]);
    }
    return st == GL_OK ? put_pair(t, tenant, fy, year) : st;
}

int store_year_totals_compute(store_txn *t, char *err, size_t err_len)
{
    store_cursor *c;
    store_val k, v;
    int st = store_cursor_open(t, DB_BALANCES, &c);
    if (st != GL_OK) {
        snprintf(err, err_len, "cannot read the balances");
        return st;
    }
    bool any = false;
    uint32_t tenant = 0;
    uint16_t fy = 0;
    int64_t year[2] = {0, 0}, open[2] = {0, 0};
    for (st = store_seek(c, "", 0, &k, &v); st == GL_OK; st = store_next(c, &k, &v)) {
        key_parts kp;
        store_pair pair;
        if (!key_balances_parse(k, &kp) || store_pair_decode(v, &pair) != GL_OK) {
            snprintf(err, err_len, "a balances record is damaged");
            st = GL_ERR_STORAGE;
            break;
        }
        uint32_t kt = kp.tenant;
        uint16_t kfy = kp.fy;
        if (any && (kt != tenant || kfy != fy)) {
            if ((st = end_year(t, tenant, fy, year, open)) != GL_OK)
                break;
            year[0] = year[1] = 0;
            if (kt != tenant) {
                if ((st = put_pair(t, tenant, 0, open)) != GL_OK)
                    break;
                open[0] = open[1] = 0;
            }
        }
        any = true;
        tenant = kt;
        fy = kfy;
        int64_t d = pair.debit, cr = pair.credit;
        add_saturating(&year[0], d > 0 ? d : 0);
        add_saturating(&year[1], cr > 0 ? cr : 0);
    }
    store_cursor_close(c);
    if (st == GL_ERR_NOT_FOUND)
        st = GL_OK;
    if (st == GL_OK && any && (st = end_year(t, tenant, fy, year, open)) == GL_OK)
        st = put_pair(t, tenant, 0, open);
    if (st != GL_OK && !err[0])
        snprintf(err, err_len, "cannot write the year totals");
    return st;
}
