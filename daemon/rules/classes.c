/*
 * daemon/rules/classes.c — classes 8 and 9 balance among themselves
 * (issue 13 item 1; the rule and what counts as a repair are in
 * proto/rules.h).
 *
 * Class 8 (contributions volontaires en nature: 86 emplois = 87
 * contributions) and class 9 (analytic accounts, where a tenant keeps them
 * in its general ledger) are not carried forward by the year close, which
 * refuses a year whose classes 8-9 do not sum to zero (class_unbalanced).
 * An entry that leaves them unbalanced would so block the close for ever
 * once the year's last month is locked.  Two guards:
 *  - POST (and every entry RECHARGE and DUES write): an entry's class 8
 *    lines, and its class 9 lines, each sum to zero, unless the entry
 *    repairs its fiscal year's class net (class_entry_unbalanced);
 *  - LOCK: the last month of a fiscal year is not locked while that year's
 *    class 8 or class 9 net is not zero (class_year_unbalanced), so the
 *    repair stays possible until the year balances.
 * The year's class nets come from the per-year account totals (balances
 * database).  Within a request those totals are written behind (totals.c):
 * the cache is flushed into the request's transaction before they are read,
 * which happens only for an entry that is not balanced by class (rare).
 */
#include "daemon/ledger.h"
#include "daemon/store/keys.h"
#include "daemon/store/values.h"
#include "daemon/totals.h"

#include "proto/date.h"
#include "proto/money.h"
#include "proto/rules.h"
#include "proto/status.h"

#include <string.h>

/* The net (debit - credit) of every class 8 account of tenant's fiscal
 * year fy in nets[0], of every class 9 account in nets[1]. */
static int year_class_nets(gl_exec *x, uint32_t tenant, uint16_t fy, int64_t nets[2])
{
    if (x->totals) { /* what this request wrote so far must be in the store */
        int st = totals_flush(x->totals, x->txn);
        if (st != GL_OK)
            return st;
    }
    nets[0] = nets[1] = 0;
    uint8_t from[KEY_BALANCES_LEN];
    key_balances(from, tenant, fy, (gl_str){"8", 1});
    store_scan s;
    int st = store_scan_begin(&s, x->txn, DB_BALANCES, from, sizeof from, KEY_TENANT_FY_PREFIX_LEN);
    while (st == GL_OK && store_scan_next(&s)) {
        key_parts kp;
        store_pair p;
        if (!key_balances_parse(s.k, &kp) || store_pair_decode(s.v, &p) != GL_OK) {
            st = GL_ERR_STORAGE;
            break;
        }
        char cls = (char)kp.account[0];
        if (cls != '8' && cls != '9')
            break;
        int64_t *net = &nets[cls - '8'];
        if (!gl_money_add(net, p.debit) || !gl_money_sub(net, p.credit)) {
            st = GL_ERR_OVERFLOW;
            break;
        }
    }
    st = store_scan_close(&s, st);
    if (st == GL_ERR_OVERFLOW)
        return exec_fail(x, st, 0, 0,
                         "the class 8 or 9 total of fiscal year %u exceeds the 64-bit cent range",
                         fy);
    return st;
}

int classes_check_entry(gl_exec *x, const gl_entry *e, uint32_t tenant, uint16_t fy, uint32_t item)
{
    int64_t entry_nets[2];
    gl_entry_class_nets(e, entry_nets);
    if (entry_nets[0] == 0 && entry_nets[1] == 0)
        return GL_OK;
    int64_t year_nets[2];
    int st = year_class_nets(x, tenant, fy, year_nets);
    if (st != GL_OK)
        return st;
    for (int c = 0; c < 2; c++) {
        if (entry_nets[c] == 0)
            continue;
        int64_t after = year_nets[c];
        bool fits = gl_money_add(&after, entry_nets[c]);
        if (fits && gl_class_repairs(year_nets[c], after))
            continue;
        char n[GL_MONEY_TEXT_MAX], y[GL_MONEY_TEXT_MAX];
        gl_money_format(entry_nets[c], GL_MONEY_PLAIN, n);
        gl_money_format(year_nets[c], GL_MONEY_PLAIN, y);
        if (year_nets[c] == 0)
            return exec_fail(
                x, GL_ERR_CLASS_ENTRY_UNBALANCED, item, 0,
                "entry %u: its class %d lines sum to %s (debit - credit); they must sum to zero",
                item, 8 + c, n);
        return exec_fail(
            x, GL_ERR_CLASS_ENTRY_UNBALANCED, item, 0,
            "entry %u: its class %d lines sum to %s; fiscal year %u's class %d total is %s, and an "
            "entry not balanced by class must bring it closer to zero without passing it",
            item, 8 + c, n, fy, 8 + c, y);
    }
    return GL_OK;
}

/* The first fiscal year holding totals for tenant, or 0 if none does. */
static int first_year(gl_exec *x, uint32_t tenant, uint16_t *fy)
{
    uint8_t prefix[KEY_TENANT_PREFIX_LEN];
    key_tenant(prefix, tenant);
    store_scan s;
    *fy = 0;
    int st = store_scan_begin(&s, x->txn, DB_BALANCES, prefix, sizeof prefix, sizeof prefix);
    if (st == GL_OK && store_scan_next(&s)) {
        key_parts kp;
        if (key_balances_parse(s.k, &kp))
            *fy = kp.fy;
        else
            st = GL_ERR_STORAGE;
    }
    return store_scan_close(&s, st);
}

int classes_check_lock(gl_exec *x, uint32_t tenant, unsigned first_month, uint32_t locked_ym,
                       uint32_t through_ym)
{
    /* the fiscal years whose last month this lock reaches: locked < last
     * month <= through */
    uint16_t lo, hi = gl_fiscal_year(through_ym * 100 + 1, first_month);
    if (gl_fiscal_year_end(hi, first_month) / 100 > through_ym)
        hi--;
    int st;
    if (locked_ym) {
        uint32_t next = locked_ym % 100 == 12 ? (locked_ym / 100 + 1) * 100 + 1 : locked_ym + 1;
        lo = gl_fiscal_year(next * 100 + 1, first_month);
    } else if ((st = first_year(x, tenant, &lo)) != GL_OK) {
        return st;
    } else if (lo == 0) {
        return GL_OK; /* no entries yet */
    }
    for (uint32_t fy = lo; fy <= hi; fy++) {
        int64_t nets[2];
        if ((st = year_class_nets(x, tenant, (uint16_t)fy, nets)) != GL_OK)
            return st;
        for (int c = 0; c < 2; c++) {
            if (nets[c] == 0)
                continue;
            char m[GL_MONEY_TEXT_MAX];
            uint32_t last = gl_fiscal_year_end((uint16_t)fy, first_month) / 100;
            return exec_fail(
                x, GL_ERR_CLASS_YEAR_UNBALANCED, 0, 0,
                "fiscal year %u: its class %d accounts sum to %s (debit - credit), not zero; %04u-%02u, "
                "its last month, cannot be locked until an entry brings them back to zero%s",
                fy, 8 + c, gl_money_format(nets[c], GL_MONEY_PLAIN, m), last / 100, last % 100,
                c == 0 ? " (86 must equal 87)" : "");
        }
    }
    return GL_OK;
}
