/*
 * daemon/asof.c — balances as of a date from per-account month and day
 * totals; see asof.h.
 */
#include "asof.h"

#include "store/keys.h"

#include "proto/assert.h"
#include "proto/money.h"
#include "proto/status.h"

#include <stdbool.h>
#include <string.h>

typedef struct acc_total {
    uint8_t account[KEY_ACCOUNT_W];
    int64_t debit, credit;
    bool used;
} acc_total;

static int add(acc_total *a, const uint8_t *v)
{
    a->used = true;
    return gl_money_add(&a->debit, (int64_t)gl_rd64(v)) && gl_money_add(&a->credit, (int64_t)gl_rd64(v + 8))
               ? GL_OK
               : GL_ERR_OVERFLOW;
}

/* Add the days of month ym up to `at` of one account. */
static int add_days(store_cursor *days, uint32_t tenant, uint16_t fy, acc_total *a, uint32_t ym, uint32_t at)
{
    uint8_t k[KEY_ACCT_PERIOD_LEN];
    gl_be32(k, tenant);
    gl_be16(k + 4, fy);
    memcpy(k + 6, a->account, KEY_ACCOUNT_W);
    gl_be32(k + 6 + KEY_ACCOUNT_W, ym * 100);
    store_val kv, v;
    int st;
    for (st = store_seek(days, k, sizeof k, &kv, &v); st == GL_OK && store_has_prefix(kv, k, 6 + KEY_ACCOUNT_W);
         st = store_next(days, &kv, &v)) {
        uint32_t day = gl_rd32(kv.ptr + 6 + KEY_ACCOUNT_W);
        if (day > at)
            break;
        if ((st = add(a, v.ptr)) != GL_OK)
            return st;
    }
    return st == GL_ERR_NOT_FOUND ? GL_OK : st;
}

static int finish(store_cursor *days, uint32_t tenant, uint16_t fy, acc_total *a, uint32_t at, asof_fn fn,
                  void *user, bool month_seen)
{
    int st = month_seen ? add_days(days, tenant, fy, a, at / 100, at) : GL_OK;
    if (st == GL_OK && a->used)
        st = fn(user, a->account, a->debit, a->credit);
    memset(a, 0, sizeof *a);
    return st;
}

int asof_accounts(store_txn *t, uint32_t tenant, uint16_t fy, uint32_t at, asof_fn fn, void *user)
{
    return asof_accounts_after(t, tenant, fy, at, NULL, fn, user);
}

int asof_accounts_after(store_txn *t, uint32_t tenant, uint16_t fy, uint32_t at, const uint8_t *after,
                        asof_fn fn, void *user)
{
    uint8_t prefix[6], start[KEY_ACCT_PERIOD_LEN];
    gl_be32(prefix, tenant);
    gl_be16(prefix + 4, fy);
    memcpy(start, prefix, 6);
    size_t start_len = 6;
    if (after) { /* past every month of `after` (the closing month 42949672 included) */
        memcpy(start + 6, after, KEY_ACCOUNT_W);
        gl_be32(start + 6 + KEY_ACCOUNT_W, UINT32_MAX);
        start_len = sizeof start;
    }
    uint32_t at_ym = at / 100;
    store_cursor *months, *days;
    int st = store_cursor_open(t, DB_ACCT_MONTHS, &months);
    if (st != GL_OK)
        return st;
    if ((st = store_cursor_open(t, DB_ACCT_DAYS, &days)) != GL_OK) {
        store_cursor_close(months);
        return st;
    }
    acc_total cur = {0};
    bool have = false, month_seen = false;
    store_val k, v;
    for (st = store_seek(months, start, start_len, &k, &v); st == GL_OK && store_has_prefix(k, prefix, 6);
         st = store_next(months, &k, &v)) {
        GL_ASSERT(k.len == KEY_ACCT_PERIOD_LEN && v.len == 16);
        const uint8_t *account = k.ptr + 6;
        if (after && memcmp(account, after, KEY_ACCOUNT_W) <= 0)
            continue;
        uint32_t ym = gl_rd32(account + KEY_ACCOUNT_W);
        if (have && memcmp(cur.account, account, KEY_ACCOUNT_W)) {
            if ((st = finish(days, tenant, fy, &cur, at, fn, user, month_seen)) != GL_OK)
                break;
            have = month_seen = false;
        }
        if (!have) {
            memcpy(cur.account, account, KEY_ACCOUNT_W);
            have = true;
        }
        if (ym < at_ym && (st = add(&cur, v.ptr)) != GL_OK)
            break;
        month_seen |= ym == at_ym;
    }
    if (st == GL_ERR_NOT_FOUND || st == GL_OK)
        st = have ? finish(days, tenant, fy, &cur, at, fn, user, month_seen) : GL_OK;
    store_cursor_close(days);
    store_cursor_close(months);
    return st == ASOF_STOP ? GL_OK : st;
}
