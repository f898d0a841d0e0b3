/*
 * daemon/rules/asset.c — the fixed-asset register of a tenant (issue 20,
 * PROTOCOL.md §5.59-§5.61).
 *
 * ASSET_SET registers an asset under its code (an ASSET event, 25, holding
 * the signed body), or relabels it: its terms never change once
 * registered (601).  ASSET_POST is like RECHARGE: the body says what
 * (depreciate every asset held through a month, or dispose of one), and
 * the daemon writes the entries itself from the register with
 * proto/asset.h's gl_asset_post_plan, through the normal entry path (every
 * POST rule holds: locked periods, closed years, open accounts), then the
 * register's new state and an ASSET_POST event (26) after the entries.
 * The offline verifier replays the same plan.  ASSETS lists the register.
 */
#include "daemon/entries.h"
#include "daemon/handlers.h"
#include "daemon/ledger.h"
#include "daemon/rules/grant.h"
#include "daemon/store/asset_store.h"

#include "proto/asset.h"
#include "proto/chain.h"
#include "proto/date.h"
#include "proto/reply_group.h"
#include "proto/status.h"

#include <stdlib.h>
#include <string.h>

#define S_(s) (int)(s).len, (s).ptr

static const char *const field_rules[][2] = {
    {"code", "1 to 16 characters among A-Z, 0-9, _, . and -, the first A-Z or 0-9"},
    {"account", "a fixed-asset account (class 2, not 28 or 29)"},
    {"label", "not blank"},
    {"acquired", "a date YYYYMMDD"},
    {"cost", "more than 0, at most the largest amount"},
    {"method", "1 (straight-line) or 2 (declining balance)"},
    {"life", "1 to 1200 months"},
    {"start", "a date YYYYMMDD on or after the acquisition"},
    {"residual", "0 or more, less than the cost"},
    {"grant_account", "a 13x account (not 139) with a grant, empty without"},
    {"grant", "0 to the cost"},
    {"acquisition", "both the fiscal year and the number of the entry, or neither"},
    {"plan", "a plan the method allows (declining: 3 years or more, in whole years)"},
    {"op", "1 (depreciate) or 2 (dispose)"},
    {"through", "a month YYYYMM to depreciate through, 0 in a disposal"},
    {"date", "the disposal's date YYYYMMDD, 0 in a depreciation"},
    {"proceeds", "0 or more (0 in a depreciation)"},
    {"proceeds_account", "a 512x, 462x or 467x account with proceeds, empty without"},
};

static const char *rule_of(const char *field)
{
    return gr_rule_of(field_rules, sizeof field_rules / sizeof field_rules[0], field);
}

static int account_open(gl_exec *x, uint32_t tenant, gl_str account, const char *what)
{
    bool open = false;
    int st = bank_account_open(x, tenant, account, &open);
    if (st == GL_OK && !open)
        st = exec_fail(x, GL_ERR_UNKNOWN_ACCOUNT, 0, 0,
                       "the asset's %s %.*s is not an open account of the chart: open it first",
                       what, S_(account));
    return st;
}

/* The acquisition entry, when named: in the books, debiting the account. */
static int acquisition(gl_exec *x, uint32_t tenant, const gl_asset *a)
{
    if (!a->acq_fy)
        return GL_OK;
    gl_entry e;
    store_entry raw;
    int st = ledger_read_entry(x->txn, tenant, a->acq_fy, a->acq_num, &e, &raw);
    bool debits = false;
    if (st == GL_OK) {
        gl_line_iter it;
        gl_line l;
        gl_line_iter_init(&it, &e);
        while (gl_line_next(&it, &l))
            debits |= l.side == GL_SIDE_DEBIT && l.account.len == a->account.len &&
                      !memcmp(l.account.ptr, a->account.ptr, l.account.len);
    }
    if (st == GL_ERR_NOT_FOUND || (st == GL_OK && !debits))
        return exec_fail(x, GL_ERR_ASSET_ACQUISITION, 0, 0,
                         "entry %u/%u %s: it cannot be the acquisition of asset %.*s",
                         (unsigned)a->acq_fy, (unsigned)a->acq_num,
                         st == GL_OK ? "does not debit the asset's account" : "is not in the books",
                         S_(a->code));
    return st;
}

int rules_asset_set(gl_exec *x, const gl_body *rq)
{
    const gl_asset *a = &rq->asset;
    tenant_rec rec;
    int st = exec_tenant_load(x, &rec);
    if (st != GL_OK)
        return st;
    const char *field;
    if (!gl_asset_check(a, &field))
        return exec_fail(x, GL_ERR_ASSET_INVALID, 0, 0, "the asset's %s is out of its rule: %s",
                         field, rule_of(field));
    gl_asset_state old;
    st = store_asset_get(x->txn, rec.number, a->code, &old);
    if (st == GL_OK) {
        if (gl_asset_same(&old.asset, a))
            return GL_OK; /* nothing written */
        if (!gl_asset_same_terms(&old.asset, a))
            return exec_fail(x, GL_ERR_ASSET_EXISTS, 0, 0,
                             "asset %.*s is registered with other terms: only its label may "
                             "change (dispose of it and register another code)",
                             S_(a->code));
        old.asset = *a;
        st = store_asset_put(x->txn, rec.number, &old);
    } else if (st == GL_ERR_NOT_FOUND) {
        uint32_t count;
        if ((st = account_open(x, rec.number, a->account, "account")) == GL_OK &&
            a->grant_cents > 0)
            st = account_open(x, rec.number, a->grant_account, "grant account");
        if (st == GL_OK)
            st = acquisition(x, rec.number, a);
        if (st == GL_OK)
            st = store_assets_each(x->txn, rec.number, NULL, NULL, &count);
        if (st == GL_OK && count >= GL_ASSETS_MAX)
            return exec_fail(x, GL_ERR_ASSET_FULL, 0, 0,
                             "the tenant already has %u fixed assets, the most it may hold",
                             (unsigned)GL_ASSETS_MAX);
        if (st == GL_OK)
            st = store_asset_put(x->txn, rec.number, &(gl_asset_state){.asset = *a});
    }
    if (st == GL_OK)
        st = bank_event_signed_body(x, &rec, GL_EVENT_ASSET);
    return st;
}

typedef struct post_ctx {
    gl_exec *x;
    uint32_t item;
} post_ctx;

static int post_one(void *user, const gl_entry_in *e, size_t asset)
{
    (void)asset;
    post_ctx *p = user;
    return rules_entry_write(p->x, ++p->item, e);
}

static int refused(gl_exec *x, const gl_asset_post_q *q, const gl_asset_state *rows, size_t n,
                   const gl_asset_refusal *why)
{
    gl_str code = why->asset < n ? rows[why->asset].asset.code : q->code;
    switch (why->status) {
    case GL_ERR_ASSET_UNKNOWN:
        return exec_fail(x, why->status, 0, 0, "the tenant has no fixed asset %.*s", S_(code));
    case GL_ERR_ASSET_POSTED:
        return exec_fail(x, why->status, 0, 0,
                         "asset %.*s is already depreciated through %04u-%02u: month %04u-%02u "
                         "was posted",
                         S_(code), rows[why->asset].through / 100, rows[why->asset].through % 100,
                         q->through / 100, q->through % 100);
    case GL_ERR_ASSET_NOTHING:
        return exec_fail(x, why->status, 0, 0,
                         "no fixed asset held is in service by the end of %04u-%02u",
                         q->through / 100, q->through % 100);
    case GL_ERR_ASSET_DISPOSED:
        return exec_fail(x, why->status, 0, 0, "asset %.*s was disposed of on %u", S_(code),
                         rows[why->asset].disposed);
    case GL_ERR_ASSET_DISPOSAL_DATE:
        return exec_fail(x, why->status, 0, 0,
                         "asset %.*s cannot leave the books on %u: its depreciation starts on %u "
                         "and is posted through %04u-%02u",
                         S_(code), q->date, rows[why->asset].asset.start,
                         rows[why->asset].through / 100, rows[why->asset].through % 100);
    case GL_ERR_ASSET_POST_LARGE:
        return exec_fail(x, why->status, 0, 0,
                         "the depreciation through %04u-%02u would write more than %u entries, "
                         "the most one request may write: depreciate through an earlier month "
                         "first",
                         q->through / 100, q->through % 100, (unsigned)GL_ENTRIES_MAX);
    default: return why->status;
    }
}

/* The rows the post changed, stored. */
static int store_changes(gl_exec *x, uint32_t tenant, const gl_asset_state *before,
                         gl_asset_state *after, size_t n)
{
    int st = GL_OK;
    for (size_t i = 0; i < n && st == GL_OK; i++)
        if (before[i].through != after[i].through || before[i].disposed != after[i].disposed)
            st = store_asset_put(x->txn, tenant, &after[i]);
    return st;
}

static int post_event(gl_exec *x, uint32_t item)
{
    tenant_rec rec; /* the entries moved the chain's head */
    int st = exec_tenant_load(x, &rec);
    return st == GL_OK ? event_signed_body_item(x, &rec, GL_EVENT_ASSET_POST, item) : st;
}

int rules_asset_post(gl_exec *x, const gl_body *rq)
{
    const gl_asset_post_q *q = &rq->asset_post;
    tenant_rec rec;
    int st = exec_tenant_load(x, &rec);
    if (st != GL_OK)
        return st;
    const char *field;
    if (!gl_asset_post_check(q, &field))
        return exec_fail(x, GL_ERR_ASSET_POST_INVALID, 0, 0,
                         "the request's %s is out of its rule: %s", field, rule_of(field));
    const gl_tenant_cfg *tc = gl_config_tenant(x->cfg, x->req->tenant.ptr, x->req->tenant.len);
    if (!tc)
        return exec_fail(x, GL_ERR_INTERNAL, 0, 0, "the tenant's configuration is gone");
    gl_asset_state *rows = NULL, *after = NULL;
    size_t n = 0;
    gl_buf copy;
    gl_buf_init(&copy);
    st = store_assets_load(x->txn, rec.number, &rows, &n, &copy);
    char tenant[GL_TENANT_MAX + 1];
    str_copy(tenant, sizeof tenant, x->req->tenant);
    post_ctx p = {x, 0};
    size_t count_at = gl_reply_posted_encode(x->body, &(gl_reply_posted){0});
    gl_asset_refusal why = {0};
    if (st == GL_OK) {
        st = gl_asset_post_plan(q, rows, n, (uint8_t)tc->first_month, tenant, post_one, &p, &why);
        if (st != GL_OK && why.status == st)
            st = refused(x, q, rows, n, &why);
    }
    if (st == GL_OK && !(after = malloc((n ? n : 1) * sizeof *after)))
        st = GL_ERR_INTERNAL;
    if (st == GL_OK) {
        memcpy(after, rows, n * sizeof *after);
        gl_asset_post_apply(q, after, n);
        st = store_changes(x, rec.number, rows, after, n);
    }
    if (st == GL_OK)
        st = post_event(x, p.item + 1);
    if (st == GL_OK)
        gl_reply_posted_set_count(x->body, count_at, p.item);
    free(after);
    free(rows);
    gl_buf_free(&copy);
    return st;
}

static int put_row(void *user, store_val value, const gl_asset_state *s)
{
    (void)s;
    gl_put_bytes(user, value.ptr, value.len);
    return GL_OK;
}

static int asset_rows(gl_exec *x, uint32_t tenant, uint32_t *n)
{
    return store_assets_each(x->txn, tenant, put_row, x->body, n);
}

int query_assets(gl_exec *x, const gl_body *rq)
{
    (void)rq;
    return gr_query_rows(x, asset_rows);
}
