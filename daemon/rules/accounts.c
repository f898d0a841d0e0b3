/*
 * daemon/rules/accounts.c — ACCOUNTS_OPEN: open accounts in a tenant's chart.
 * Each opening is an event in the tenant's chain.  In strict mode an account
 * already open refuses the whole request; in skip mode it is left as it is
 * (its label unchanged) and counted as skipped.
 *
 * An account that the chart of the tenant's current fiscal year abolished
 * (proto/chart_rules.h: 791000 once the current year opened on or after
 * 2025-01-01) is refused with account_abolished, naming its replacement,
 * unless the request says it opens accounts for earlier years' books
 * (GL_OPEN_HISTORY).  The current fiscal year is the one containing the day
 * in France of the request's recorded time (x->now_ms), as for lettering
 * dates.  Sub-accounts an association creates under a standing account
 * stay allowed; sub-accounts of an abolished one are abolished too.
 * A new account's number follows the numbering rule (proto/rules.h: three
 * digits first, class 1-8, 9 where the tenant enables analytic accounts);
 * accounts opened before the rule stay as they are.
 */
#include "daemon/handlers.h"
#include "daemon/ledger.h"
#include "daemon/store/keys.h"
#include "daemon/store/values.h"

#include "proto/assert.h"
#include "proto/chart_rules.h"
#include "proto/date.h"
#include "proto/entry.h"
#include "proto/query.h"
#include "proto/reply.h"
#include "proto/rules.h"
#include "proto/status.h"

#include <stdio.h>
#include <string.h>

/* Refuse an account the chart of the fiscal year starting on fy_start
 * abolished; the detail names the replacement. */
int chart_check_abolished(gl_exec *x, gl_str account, uint32_t fy_start, uint32_t item,
                          uint32_t line)
{
    const gl_chart_change *c = gl_chart_abolished(account, fy_start);
    if (!c)
        return GL_OK;
    char where[48], d[11];
    if (line)
        snprintf(where, sizeof where, "entry %u line %u", item, line);
    else
        snprintf(where, sizeof where, "item %u", item);
    return exec_fail(
        x, GL_ERR_ACCOUNT_ABOLISHED, item, line,
        "%s: account %.*s is abolished in fiscal years opened from 2025-01-01 (this one opened %s; "
        "règlement ANC 2022-06): %s%s%s%s%s",
        where, (int)account.len, account.ptr, gl_date_format(fy_start, d),
        c->replacement ? "use " : "", c->replacement ? c->replacement : "",
        c->replacement ? " (" : "", c->rule, c->replacement ? ")" : "");
}

static int open_one(gl_exec *x, tenant_rec *rec, const gl_account_item *a, uint32_t item,
                    uint8_t mode, uint32_t fy_start, uint32_t *opened, uint32_t *skipped)
{
    const gl_tenant_cfg *tc = gl_config_tenant(x->cfg, x->req->tenant.ptr, x->req->tenant.len);
    if (!gl_account_number_valid(a->account, tc && tc->analytic_class9))
        return exec_fail(x, GL_ERR_BAD_ACCOUNT, item, 0, "item %u: %.*s: %s", item,
                         (int)a->account.len, a->account.ptr, GL_ACCOUNT_RULE);
    if (!(mode & GL_OPEN_HISTORY)) {
        int ab = chart_check_abolished(x, a->account, fy_start, item, 0);
        if (ab != GL_OK)
            return ab;
    }
    uint8_t key[KEY_ACCOUNTS_LEN];
    store_val v;
    key_accounts(key, rec->number, a->account);
    int st = store_get(x->txn, DB_ACCOUNTS, key, sizeof key, &v);
    if (st == GL_OK) {
        if ((mode & GL_OPEN_SKIP_EXISTING) == 0)
            return exec_fail(x, GL_ERR_ACCOUNT_EXISTS, item, 0,
                             "item %u: account %.*s is already open", item, (int)a->account.len,
                             a->account.ptr);
        (*skipped)++;
        return GL_OK;
    }
    if (st != GL_ERR_NOT_FOUND)
        return st;
    gl_buf val;
    gl_buf_init(&val);
    store_account stored = {.state = 1, .label = a->label}; /* state: open */
    store_account_encode(&val, &stored);
    gl_buf ev;
    gl_buf_init(&ev);
    gl_event_head head = {x->envelope, item, x->req->signer, x->req->request_id, x->now_ms};
    gl_event_head_encode(&ev, &head);
    gl_put_str8(&ev, a->account.ptr, a->account.len);
    gl_put_str8(&ev, a->label.ptr, a->label.len);
    st = account_write(x, rec, key, sizeof key, &val, GL_EVENT_ACCOUNT_OPEN, &ev);
    if (st == GL_OK)
        (*opened)++;
    return st;
}

/* Store an account's record and append its chain event; both buffers are
 * freed.  GL_ERR_INTERNAL if either could not be built (out of memory). */
int account_write(gl_exec *x, tenant_rec *rec, const uint8_t *key, size_t key_len, gl_buf *val,
                  uint16_t event_type, gl_buf *ev)
{
    int st;
    uint64_t seq;
    if (!gl_buf_ok(val) || !gl_buf_ok(ev))
        st = GL_ERR_INTERNAL;
    else
        st = store_put(x->txn, DB_ACCOUNTS, key, key_len, val->data, val->len);
    if (st == GL_OK)
        st = chain_append(x->txn, x->req->tenant, rec, event_type, ev->data, ev->len, &seq);
    gl_buf_free(val);
    gl_buf_free(ev);
    return st;
}

int rules_accounts_open(gl_exec *x, const gl_body *rq)
{
    gl_accounts_open o = rq->accounts;
    int st;
    tenant_rec rec;
    if ((st = exec_tenant_load(x, &rec)) != GL_OK)
        return st;
    const gl_tenant_cfg *tc = gl_config_tenant(x->cfg, x->req->tenant.ptr, x->req->tenant.len);
    if (!tc)
        return exec_fail(x, GL_ERR_UNKNOWN_TENANT, 0, 0, "%s",
                         gl_status_message(GL_ERR_UNKNOWN_TENANT));
    /* The fiscal year the request was recorded in, by the day in France. */
    uint16_t fy_now = gl_fiscal_year(gl_date_paris(x->now_ms), tc->first_month);
    uint32_t fy_start = gl_fiscal_year_start(fy_now, tc->first_month);
    uint32_t opened = 0, skipped = 0, item = 0;
    gl_item_iter it;
    gl_account_item a;
    gl_account_iter_init(&it, &o);
    while (gl_account_next(&it, &a)) {
        item++;
        if ((st = open_one(x, &rec, &a, item, o.mode, fy_start, &opened, &skipped)) != GL_OK)
            return st;
    }
    gl_reply_accounts_open r = {opened, skipped};
    gl_reply_accounts_open_encode(x->body, &r);
    return GL_OK;
}
