/*
 * daemon/rules/reminder.c — REMINDER_RECORD (25) and REMINDERS (26),
 * issue 17: which reminder (level 1 relance amiable, 2 second rappel, 3
 * mise en demeure) was sent to which third party and when, so that the
 * next run of `grandlivre reminders` proposes the next level.
 *
 * The table "reminders" keeps, per tenant and third party (the key of
 * aux_labels: tenant u32 | aux padded), the last reminder recorded and how
 * many were: level u8 | date u32 | count u32.  Each third party recorded
 * is also a REMINDER event (10) in the tenant's chain (aux, level, date),
 * which the offline verifier re-derives from the signed request.  The
 * reminder's date is the letter's; never after the day it is recorded.
 */
#include "daemon/config.h"
#include "daemon/handlers.h"
#include "daemon/ledger.h"
#include "daemon/store/keys.h"
#include "daemon/store/store.h"

#include "proto/chain.h"
#include "proto/date.h"
#include "proto/reminder.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <string.h>

#define REMINDER_VALUE_LEN 9 /* level u8 | date u32 | count u32 */

static bool seen_before(const gl_reminder_q *q, size_t end, gl_str aux)
{
    size_t pos = 0;
    gl_reminder_item it;
    while (pos < end && gl_reminder_q_next(q, &pos, &it))
        if (it.aux.len == aux.len && !memcmp(it.aux.ptr, aux.ptr, aux.len))
            return true;
    return false;
}

static int record_one(gl_exec *x, tenant_rec *rec, const gl_reminder_q *q,
                      const gl_reminder_item *it, uint32_t item)
{
    uint8_t key[KEY_AUX_LABELS_LEN];
    key_aux_labels(key, rec->number, it->aux);
    store_val v;
    uint32_t count = 0;
    int st = store_get(x->txn, DB_REMINDERS, key, sizeof key, &v);
    if (st == GL_OK && v.len == REMINDER_VALUE_LEN)
        count = gl_rd32(v.ptr + 5);
    else if (st != GL_ERR_NOT_FOUND && st != GL_OK)
        return st;
    else if (st == GL_OK)
        return GL_ERR_STORAGE; /* a damaged record */
    uint8_t val[REMINDER_VALUE_LEN];
    val[0] = it->level;
    gl_be32(val + 1, q->date);
    gl_be32(val + 5, count + 1);
    if ((st = store_put(x->txn, DB_REMINDERS, key, sizeof key, val, sizeof val)) != GL_OK)
        return st;
    gl_buf ev;
    gl_buf_init(&ev);
    gl_event_head head = {x->envelope, item, x->req->signer, x->req->request_id, x->now_ms};
    gl_event_head_encode(&ev, &head);
    gl_reminder_event_encode(&ev, it->aux, it->level, q->date);
    uint64_t seq;
    st = gl_buf_ok(&ev)
             ? chain_append(x->txn, x->req->tenant, rec, GL_EVENT_REMINDER, ev.data, ev.len, &seq)
             : GL_ERR_INTERNAL;
    gl_buf_free(&ev);
    return st;
}

int rules_reminder_record(gl_exec *x, const gl_body *rq)
{
    gl_reminder_q q = rq->reminder;
    int st;
    tenant_rec rec;
    if ((st = exec_tenant_load(x, &rec)) != GL_OK)
        return st;
    uint32_t today = gl_date_paris(x->now_ms);
    if (q.date > today) {
        char d[11], t[11];
        return exec_fail(x, GL_ERR_REMINDER_DATE_AHEAD, 0, 0,
                         "reminder date %s is after today (%s)", gl_date_format(q.date, d),
                         gl_date_format(today, t));
    }
    size_t pos = 0, at = 0;
    uint32_t item = 0;
    gl_reminder_item it;
    while (gl_reminder_q_next(&q, &pos, &it)) {
        item++;
        if (seen_before(&q, at, it.aux))
            return exec_fail(x, GL_ERR_REMINDER_TWICE, item, 0, "item %u: third party %.*s twice",
                             item, (int)it.aux.len, it.aux.ptr);
        if ((st = record_one(x, &rec, &q, &it, item)) != GL_OK)
            return st;
        at = pos;
    }
    gl_put_u32(x->body, item);
    return gl_buf_ok(x->body) ? GL_OK : GL_ERR_INTERNAL;
}

int query_reminders(gl_exec *x, const gl_body *rq)
{
    (void)rq;
    tenant_rec rec;
    const gl_tenant_cfg *tc = gl_config_tenant(x->cfg, x->req->tenant.ptr, x->req->tenant.len);
    int st = tc ? tenant_load(x->txn, x->req->tenant, &rec) : GL_ERR_UNKNOWN_TENANT;
    if (st != GL_OK)
        return exec_fail(x, st, 0, 0, "%s", gl_status_message(st));
    uint8_t prefix[KEY_TENANT_PREFIX_LEN];
    key_tenant(prefix, rec.number);
    store_scan s;
    if ((st = store_scan_begin(&s, x->txn, DB_REMINDERS, prefix, sizeof prefix, sizeof prefix)) !=
        GL_OK)
        return store_scan_close(&s, st);
    size_t count_at = x->body->len;
    gl_put_u32(x->body, 0);
    uint32_t count = 0;
    while (st == GL_OK && store_scan_next(&s)) {
        key_parts kp;
        if (!key_aux_labels_parse(s.k, &kp) || s.v.len != REMINDER_VALUE_LEN) {
            st = GL_ERR_STORAGE;
            break;
        }
        const uint8_t *p = s.v.ptr;
        gl_reminder_row row = {key_unpad(kp.aux, KEY_AUX_W), p[0], gl_rd32(p + 1), gl_rd32(p + 5)};
        gl_reminder_row_encode(x->body, &row);
        count++;
    }
    if ((st = store_scan_close(&s, st)) != GL_OK)
        return st;
    if (!gl_buf_ok(x->body))
        return GL_ERR_INTERNAL;
    gl_be32(x->body->data + count_at, count);
    return GL_OK;
}
