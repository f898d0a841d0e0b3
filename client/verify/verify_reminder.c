/*
 * client/verify/verify_reminder.c — the REMINDER events (10, issue 17):
 * each is re-derived from its signed REMINDER_RECORD request (the item it
 * names: the same third party and level, the request's date), its date is
 * not after the day it was recorded (French time), its third party is once
 * in the request, and every item of the request has its event (checked at
 * the run's end, verify_requests.c), as the daemon rules.
 */
#include "verify_int.h"

#include "proto/date.h"
#include "proto/limits.h"
#include "proto/reminder.h"

#include <string.h>

bool vf_event_reminder(vctx *v, const gl_event *ev)
{
    gl_str aux;
    uint8_t level;
    uint32_t date;
    if (gl_reminder_event_decode(ev->payload, ev->payload_len, &aux, &level, &date) != GL_OK)
        return vf_problem(v, GL_VP_RECORD, "the reminder does not decode");
    env_state *es = vf_event_request(v, ev, v->ts.seq);
    if (!es || !vf_expect_kind(v, es, GL_KIND_REMINDER_RECORD))
        return false;
    gl_reminder_q q;
    if (gl_reminder_q_decode_stored(es->req.body, es->req.body_len, &q) != GL_OK)
        return vf_problem(v, GL_VP_REQUEST, "its signed request's body does not decode");
    size_t pos = 0;
    gl_reminder_item it = {{NULL, 0}, 0}, other;
    bool found = false;
    for (uint32_t n = 1; !found && gl_reminder_q_next(&q, &pos, &it); n++)
        found = n == ev->head.item;
    if (!found || q.date != date || it.level != level || it.aux.len != aux.len ||
        memcmp(it.aux.ptr, aux.ptr, aux.len))
        return vf_problem(v, GL_VP_REQUEST, "not the reminder its signed request asked for");
    /* as the daemon rules (454): one third party once in a request */
    pos = 0;
    for (uint32_t n = 1; gl_reminder_q_next(&q, &pos, &other); n++)
        if (n != ev->head.item && other.aux.len == aux.len &&
            !memcmp(other.aux.ptr, aux.ptr, aux.len))
            return vf_problem(v, GL_VP_RULE,
                              "item %u: third party %.*s twice in its signed request",
                              ev->head.item, (int)aux.len, aux.ptr);
    if (date > gl_date_paris(ev->head.recorded_ms))
        return vf_problem(v, GL_VP_RULE, "a reminder dated after the day it was recorded");
    return true;
}
