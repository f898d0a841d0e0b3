/*
 * daemon/rules/accounts.c — ACCOUNTS_OPEN: open accounts in a tenant's chart.
 * Each opening is an event in the tenant's chain.  In strict mode an account
 * already open refuses the whole request; in skip mode it is left as it is
 * (its label unchanged) and counted as skipped.  A new account's number
 * follows the numbering rule (proto/rules.h: three digits first, class 1-8,
 * 9 where the tenant enables analytic accounts); accounts opened before
 * the rule stay as they are.
 */
#include "daemon/ledger.h"
#include "daemon/store/keys.h"

#include "proto/assert.h"
#include "proto/entry.h"
#include "proto/query.h"
#include "proto/rules.h"
#include "proto/status.h"

#include <string.h>

static int open_one(gl_exec *x, tenant_rec *rec, const gl_account_item *a, uint32_t item,
                    uint8_t mode, uint32_t *opened, uint32_t *skipped)
{
    const gl_tenant_cfg *tc = gl_config_tenant(x->cfg, x->req->tenant.ptr, x->req->tenant.len);
    if (!gl_account_number_valid(a->account, tc && tc->analytic_class9))
        return exec_fail(x, GL_ERR_BAD_ACCOUNT, item, 0, "item %u: %.*s: %s", item, (int)a->account.len,
                         a->account.ptr, GL_ACCOUNT_RULE);
    uint8_t key[KEY_ACCOUNTS_LEN];
    store_val v;
    key_accounts(key, rec->number, a->account);
    int st = store_get(x->txn, DB_ACCOUNTS, key, sizeof key, &v);
    if (st == GL_OK) {
        if (mode == GL_OPEN_STRICT)
            return exec_fail(x, GL_ERR_ACCOUNT_EXISTS, item, 0, "item %u: account %.*s is already open",
                             item, (int)a->account.len, a->account.ptr);
        (*skipped)++;
        return GL_OK;
    }
    if (st != GL_ERR_NOT_FOUND)
        return st;
    gl_buf val;
    gl_buf_init(&val);
    gl_put_u8(&val, 1); /* state: open */
    gl_put_str8(&val, a->label.ptr, a->label.len);
    gl_buf ev;
    gl_buf_init(&ev);
    gl_event_head head = {x->envelope, item, x->req->signer, x->req->request_id, x->now_ms};
    gl_event_head_encode(&ev, &head);
    gl_put_str8(&ev, a->account.ptr, a->account.len);
    gl_put_str8(&ev, a->label.ptr, a->label.len);
    uint64_t seq;
    if (!gl_buf_ok(&val) || !gl_buf_ok(&ev))
        st = GL_ERR_INTERNAL;
    else
        st = store_put(x->txn, DB_ACCOUNTS, key, sizeof key, val.data, val.len);
    if (st == GL_OK)
        st = chain_append(x->txn, x->req->tenant, rec, GL_EVENT_ACCOUNT_OPEN, ev.data, ev.len, &seq);
    gl_buf_free(&val);
    gl_buf_free(&ev);
    if (st == GL_OK)
        (*opened)++;
    return st;
}

int rules_accounts_open(gl_exec *x)
{
    gl_accounts_open o;
    uint32_t bad_item;
    int st = gl_accounts_open_decode(x->req->body, x->req->body_len, &o, &bad_item);
    GL_ASSERT(st == GL_OK);
    tenant_rec rec;
    if ((st = tenant_load(x->txn, x->req->tenant, &rec)) != GL_OK)
        return exec_fail(x, st, 0, 0, "%s", gl_status_message(st));
    uint32_t opened = 0, skipped = 0, item = 0;
    gl_item_iter it;
    gl_account_item a;
    gl_account_iter_init(&it, &o);
    while (gl_account_next(&it, &a)) {
        item++;
        if ((st = open_one(x, &rec, &a, item, o.mode, &opened, &skipped)) != GL_OK)
            return st;
    }
    gl_put_u32(x->body, opened);
    gl_put_u32(x->body, skipped);
    return GL_OK;
}
