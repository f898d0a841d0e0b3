/*
 * daemon/rules/label.c — ACCOUNT_LABEL: change the labels of accounts
 * already open.  Each change is an event in the tenant's chain (account,
 * old label, new label), so that the offline verifier replays the chart's
 * labels as they stand.  An account whose label already is the one asked
 * is counted as unchanged and records nothing (a rerun of `fec import`
 * changes nothing).  An unknown account or a blank label refuses the whole
 * request.
 */
#include "daemon/handlers.h"
#include "daemon/ledger.h"
#include "daemon/store/keys.h"
#include "daemon/store/values.h"

#include "proto/assert.h"
#include "proto/query.h"
#include "proto/reply.h"
#include "proto/rules.h"
#include "proto/status.h"

#include <string.h>

static int label_one(gl_exec *x, tenant_rec *rec, const gl_account_item *a, uint32_t item,
                     uint32_t *changed, uint32_t *unchanged)
{
    if (gl_text_blank(a->label))
        return exec_fail(x, GL_ERR_FIELD_REQUIRED, item, 0,
                         "item %u: the new label of %.*s is blank", item, (int)a->account.len,
                         a->account.ptr);
    uint8_t key[KEY_ACCOUNTS_LEN];
    store_val v;
    key_accounts(key, rec->number, a->account);
    int st = store_get(x->txn, DB_ACCOUNTS, key, sizeof key, &v);
    if (st == GL_ERR_NOT_FOUND)
        return exec_fail(x, GL_ERR_UNKNOWN_ACCOUNT, item, 0, "item %u: account %.*s is not open",
                         item, (int)a->account.len, a->account.ptr);
    if (st != GL_OK)
        return st;
    store_account stored;
    if (store_account_decode(v, &stored) != GL_OK)
        return GL_ERR_INTERNAL;
    gl_str old = stored.label;
    if (old.len == a->label.len && memcmp(old.ptr, a->label.ptr, old.len) == 0) {
        (*unchanged)++;
        return GL_OK;
    }
    gl_buf val, ev;
    gl_buf_init(&val);
    gl_buf_init(&ev);
    store_account relabelled = stored; /* whatever follows the label, kept */
    relabelled.label = a->label;
    store_account_encode(&val, &relabelled);
    gl_event_head head = {x->envelope, item, x->req->signer, x->req->request_id, x->now_ms};
    gl_event_head_encode(&ev, &head);
    gl_put_str8(&ev, a->account.ptr, a->account.len);
    gl_put_str8(&ev, old.ptr, old.len); /* before the put: old points into the stored value */
    gl_put_str8(&ev, a->label.ptr, a->label.len);
    st = account_write(x, rec, key, sizeof key, &val, GL_EVENT_ACCOUNT_LABEL, &ev);
    if (st == GL_OK)
        (*changed)++;
    return st;
}

int rules_account_label(gl_exec *x, const gl_body *rq)
{
    gl_accounts_open o = rq->accounts;
    int st;
    tenant_rec rec;
    if ((st = exec_tenant_load(x, &rec)) != GL_OK)
        return st;
    uint32_t changed = 0, unchanged = 0, item = 0;
    gl_item_iter it;
    gl_account_item a;
    gl_account_iter_init(&it, &o);
    while (gl_account_next(&it, &a)) {
        item++;
        if ((st = label_one(x, &rec, &a, item, &changed, &unchanged)) != GL_OK)
            return st;
    }
    gl_reply_account_label r = {changed, unchanged};
    gl_reply_account_label_encode(x->body, &r);
    return GL_OK;
}
