/*
 * daemon/asof.c — balances as of a date from per-account month and day
 * totals; see asof.h.
 */
#include "asof.h"

#include "store/keys.h"
#include "store/values.h"

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

static int add(acc_total *a, store_val v)
{
    store_pair p;
    a->used = true;
    if (store_pair_decode(v, &p) != GL_OK)
        return GL_ERR_STORAGE;
    return gl_money_add(&a->debit, p.debit) && gl_money_add(&a->credit, p.credit) ? GL_OK
                                                                                  : GL_ERR_OVERFLOW;
}

/* Add the days of month ym up to `at` of one account. */
static int add_days(store_scan *days, uint32_t tenant, uint16_t fy, acc_total *a, uint32_t ym,
                    uint32_t at)
{
    uint8_t k[KEY_ACCT_PERIOD_LEN];
    key_acct_period(k, tenant, fy, key_unpad(a->account, KEY_ACCOUNT_W), ym * 100);
    store_scan_seek(days, k, sizeof k, KEY_YEAR_ACCOUNT_PREFIX_LEN);
    int st = GL_OK;
    key_parts kp;
    while (st == GL_OK && store_scan_next(days)) {
        if (!key_acct_period_parse(days->k, &kp))
            st = GL_ERR_STORAGE;
        else if (kp.period > at)
            break;
        else
            st = add(a, days->v);
    }
    if (st != GL_OK)
        return st;
    return days->st == GL_ERR_NOT_FOUND ? GL_OK : days->st;
}

static int finish(store_scan *days, uint32_t tenant, uint16_t fy, acc_total *a, uint32_t at,
                  asof_fn fn, void *user, bool month_seen)
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

int asof_accounts_after(store_txn *t, uint32_t tenant, uint16_t fy, uint32_t at,
                        const uint8_t *after, asof_fn fn, void *user)
{
    uint8_t start[KEY_ACCT_PERIOD_LEN];
    size_t start_len = KEY_TENANT_FY_PREFIX_LEN;
    key_tenant_fy(start, tenant, fy);
    if (after) { /* past every month of `after` (the closing month 42949672 included) */
        key_acct_period(start, tenant, fy, key_unpad(after, KEY_ACCOUNT_W), UINT32_MAX);
        start_len = sizeof start;
    }
    uint32_t at_ym = at / 100;
    store_scan months, days;
    int st = store_scan_open(&days, t, DB_ACCT_DAYS);
    if (st != GL_OK)
        return st;
    if ((st = store_scan_begin(&months, t, DB_ACCT_MONTHS, start, start_len,
                               KEY_TENANT_FY_PREFIX_LEN)) != GL_OK) {
        store_scan_close(&days, st);
        return store_scan_close(&months, st);
    }
    acc_total cur = {0};
    bool have = false, month_seen = false;
    while (st == GL_OK && store_scan_next(&months)) {
        key_parts kp;
        bool parsed = key_acct_period_parse(months.k, &kp);
        GL_ASSERT(parsed && months.v.len == STORE_PAIR_LEN);
        const uint8_t *account = kp.account;
        if (after && memcmp(account, after, KEY_ACCOUNT_W) <= 0)
            continue;
        uint32_t ym = kp.period;
        if (have && memcmp(cur.account, account, KEY_ACCOUNT_W)) {
            if ((st = finish(&days, tenant, fy, &cur, at, fn, user, month_seen)) != GL_OK)
                break;
            have = month_seen = false;
        }
        if (!have) {
            memcpy(cur.account, account, KEY_ACCOUNT_W);
            have = true;
        }
        if (ym < at_ym && (st = add(&cur, months.v)) != GL_OK)
            break;
        month_seen |= ym == at_ym;
    }
    st = store_scan_close(&months, st);
    if (st == GL_OK)
        st = have ? finish(&days, tenant, fy, &cur, at, fn, user, month_seen) : GL_OK;
    st = store_scan_close(&days, st);
    return st == ASOF_STOP ? GL_OK : st;
}
