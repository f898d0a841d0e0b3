/*
 * daemon/rules/lock.c — LOCK: the accountant locks a tenant's periods
 * (months) through a given month, in order.  A locked period never reopens:
 * locking a month already locked is refused (already_locked); a lock never
 * runs ahead of the current month in France at the request's recorded time
 * (lock_ahead: a typo such as 2052-01 would block every post for decades);
 * in "next only" mode the month must be the one right after the last
 * locked month, or, when nothing is locked yet, the first month of the
 * books, so that it never locks earlier months silently (lock_order).  The
 * last month of a fiscal year whose classes 8 or 9 do not balance is not
 * locked (class_year_unbalanced, classes.c): the entry that repairs them
 * must stay possible.  The lock is an event in the tenant's chain.
 */
#include "daemon/calendar.h"
#include "daemon/handlers.h"
#include "daemon/ledger.h"
#include "daemon/periods.h"

#include "proto/assert.h"
#include "proto/date.h"
#include "proto/query.h"
#include "proto/reply.h"
#include "proto/status.h"

#include <stdbool.h>

/* Nothing locked yet, one month asked for: it must be the first month of
 * its fiscal year, and no earlier fiscal year may hold entries; otherwise
 * the months before it would be locked without being named. */
static int check_first_period(gl_exec *x, const tenant_rec *rec, uint32_t ym)
{
    const gl_tenant_cfg *tc = gl_config_tenant(x->cfg, x->req->tenant.ptr, x->req->tenant.len);
    if (!tc)
        return exec_fail(x, GL_ERR_UNKNOWN_TENANT, 0, 0, "%s",
                         gl_status_message(GL_ERR_UNKNOWN_TENANT));
    uint16_t fy = gl_fiscal_year(ym * 100 + 1, tc->first_month);
    uint32_t first = gl_fiscal_year_start(fy, tc->first_month) / 100;
    bool earlier;
    int st = periods_has_entries_before(x->txn, rec->number, fy, &earlier);
    if (st != GL_OK)
        return st;
    if (earlier)
        return exec_fail(
            x, GL_ERR_LOCK_ORDER, 0, 0,
            "nothing is locked yet and fiscal years before %u hold entries: locking %04u-%02u alone "
            "would lock them too; lock their months first, or name them all with --through",
            fy, ym / 100, ym % 100);
    if (ym != first)
        return exec_fail(
            x, GL_ERR_LOCK_ORDER, 0, 0,
            "nothing is locked yet: locking %04u-%02u alone would lock %04u-%02u to %04u-%02u too; "
            "the first period to lock is %04u-%02u (or name them all with --through)",
            ym / 100, ym % 100, first / 100, first % 100, calendar_month_add(ym, -1) / 100,
            calendar_month_add(ym, -1) % 100, first / 100, first % 100);
    return GL_OK;
}

int rules_lock(gl_exec *x, const gl_body *rq)
{
    gl_lock_q q = rq->lock;
    int st;
    tenant_rec rec;
    if ((st = exec_tenant_load(x, &rec)) != GL_OK)
        return st;
    uint32_t locked;
    if ((st = periods_locked_through(x->txn, rec.number, &locked)) != GL_OK)
        return st;
    if (q.through_ym <= locked)
        return exec_fail(x, GL_ERR_ALREADY_LOCKED, 0, 0,
                         "%04u-%02u is already locked (locked through %04u-%02u)",
                         q.through_ym / 100, q.through_ym % 100, locked / 100, locked % 100);
    uint32_t now_ym = calendar_month(x->now_ms);
    if (q.through_ym > now_ym)
        return exec_fail(
            x, GL_ERR_LOCK_AHEAD, 0, 0,
            "%04u-%02u is after the current month, %04u-%02u (French time): periods lock up to the "
            "current month at most",
            q.through_ym / 100, q.through_ym % 100, now_ym / 100, now_ym % 100);
    if (q.mode == GL_LOCK_NEXT_ONLY && locked && q.through_ym != periods_next_month(locked))
        return exec_fail(x, GL_ERR_LOCK_ORDER, 0, 0, "the next period to lock is %04u-%02u",
                         periods_next_month(locked) / 100, periods_next_month(locked) % 100);
    const gl_tenant_cfg *tc = gl_config_tenant(x->cfg, x->req->tenant.ptr, x->req->tenant.len);
    if (!tc)
        return exec_fail(x, GL_ERR_UNKNOWN_TENANT, 0, 0, "%s",
                         gl_status_message(GL_ERR_UNKNOWN_TENANT));
    if ((st = classes_check_lock(x, rec.number, tc->first_month, locked, q.through_ym)) != GL_OK)
        return st;
    if (q.mode == GL_LOCK_NEXT_ONLY && !locked &&
        (st = check_first_period(x, &rec, q.through_ym)) != GL_OK)
        return st;
    if ((st = periods_set_locked_through(x->txn, rec.number, q.through_ym)) != GL_OK)
        return st;
    uint32_t from = locked ? periods_next_month(locked) : 0;
    gl_buf ev;
    gl_buf_init(&ev);
    gl_event_head head = {x->envelope, 1, x->req->signer, x->req->request_id, x->now_ms};
    gl_event_head_encode(&ev, &head);
    gl_put_u32(&ev, from);
    gl_put_u32(&ev, q.through_ym);
    uint64_t seq;
    st = gl_buf_ok(&ev)
             ? chain_append(x->txn, x->req->tenant, &rec, GL_EVENT_LOCK, ev.data, ev.len, &seq)
             : GL_ERR_INTERNAL;
    gl_buf_free(&ev);
    gl_reply_lock r = {locked, q.through_ym};
    gl_reply_lock_encode(x->body, &r);
    return st;
}
