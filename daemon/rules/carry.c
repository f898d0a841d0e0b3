/*
 * daemon/rules/carry.c — CARRY_MODE_SET (issue 17): the accountant chooses
 * how an account is carried over at the closes after it: summarised (one
 * à-nouveaux line per account and auxiliary account, the default) or
 * detailed (one line per open item, rules/close.c).  The setting is an
 * event in the tenant's chain (type 11), so that the offline verifier
 * recomputes the same close; it is kept in carry_modes.
 */
#include "daemon/handlers.h"
#include "daemon/ledger.h"
#include "daemon/store/carry_store.h"
#include "daemon/store/keys.h"

#include "proto/carry.h"
#include "proto/status.h"

int rules_carry_mode_set(gl_exec *x, const gl_body *rq)
{
    gl_carry_mode_q q = rq->carry_mode;
    tenant_rec rec;
    int st = exec_tenant_load(x, &rec);
    if (st != GL_OK)
        return st;
    if (!gl_account_valid(q.account))
        return exec_fail(x, GL_ERR_BAD_ACCOUNT, 0, 0, "%.*s is not an account number",
                         (int)q.account.len, q.account.ptr);
    uint8_t key[KEY_ACCOUNTS_LEN];
    store_val v;
    key_accounts(key, rec.number, q.account);
    if ((st = store_get(x->txn, DB_ACCOUNTS, key, sizeof key, &v)) == GL_ERR_NOT_FOUND)
        return exec_fail(x, GL_ERR_UNKNOWN_ACCOUNT, 0, 0, "account %.*s is not open",
                         (int)q.account.len, q.account.ptr);
    if (st != GL_OK)
        return st;
    if (q.account.ptr[0] < '1' || q.account.ptr[0] > '5')
        return exec_fail(x, GL_ERR_CARRY_MODE_CLASS, 0, 0,
                         "account %.*s is not carried over (classes 1 to 5 only)",
                         (int)q.account.len, q.account.ptr);
    uint8_t mode;
    if ((st = store_carry_mode_get(x->txn, rec.number, q.account, &mode)) != GL_OK)
        return st;
    if (mode == q.mode)
        return exec_fail(x, GL_ERR_CARRY_MODE_UNCHANGED, 0, 0, "account %.*s is already %s",
                         (int)q.account.len, q.account.ptr,
                         mode == GL_CARRY_DETAILED ? "detailed" : "summarised");
    if ((st = store_carry_mode_put(x->txn, rec.number, q.account, q.mode)) != GL_OK)
        return st;
    gl_buf ev;
    gl_buf_init(&ev);
    gl_event_head head = {x->envelope, 1, x->req->signer, x->req->request_id, x->now_ms};
    gl_event_head_encode(&ev, &head);
    gl_put_str8(&ev, q.account.ptr, q.account.len);
    gl_put_u8(&ev, q.mode);
    uint64_t seq;
    st = gl_buf_ok(&ev) ? chain_append(x->txn, x->req->tenant, &rec, GL_EVENT_CARRY_MODE, ev.data,
                                       ev.len, &seq)
                        : GL_ERR_INTERNAL;
    gl_buf_free(&ev);
    gl_put_u8(x->body, mode); /* reply: the previous mode */
    return st;
}
