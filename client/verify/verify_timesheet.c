/*
 * client/verify/verify_timesheet.c — the TIMESHEET events (22, issue 19,
 * PROTOCOL.md §5.53): each is its signed TIMESHEET_SET request's body byte
 * for byte (item 1), and the sheet passes its own field rules (a code's
 * syntax, a month, a basis of 1..1000, actions in strict order, minutes >
 * 0, the month within 1.5 twelfths of 1,720 h pro rata).  The rules that
 * need the tenant's fiscal years and analytic codes (491, 494, 484/485)
 * are the daemon's: the archive does not carry the tenant's first month.
 */
#include "verify_int.h"

#include "proto/timesheet.h"

#include <string.h>

static const char *fault_text(gl_ts_fault f)
{
    switch (f) {
    case GL_TS_OK: return "";
    case GL_TS_BAD_BASIS: return "a working time out of 1..1000 per mille (493)";
    case GL_TS_BAD_MONTH: return "a month that is not a YYYYMM (495)";
    case GL_TS_BAD_EMPLOYEE: return "an employee that is not a code (495)";
    case GL_TS_BAD_ACTION: return "an action that is not a code (495)";
    case GL_TS_ACTION_ORDER: return "actions out of order or twice (495)";
    case GL_TS_ZERO_MINUTES: return "a row of 0 minutes (495)";
    case GL_TS_MONTH_OVER: return "more hours than a month holds (492)";
    }
    return "a fault";
}

bool vf_event_timesheet(vctx *v, const gl_event *ev)
{
    gl_timesheet s;
    uint32_t bad;
    if (gl_ts_set_q_decode(ev->payload, ev->payload_len, &s, &bad) != GL_OK)
        return vf_problem(v, GL_VP_RECORD, "the time sheet's record does not decode");
    env_state *es = vf_event_request(v, ev, v->ts.seq);
    if (!es || !vf_expect_kind(v, es, GL_KIND_TIMESHEET_SET))
        return false;
    if (ev->head.item != 1 || es->req.body_len != ev->payload_len ||
        memcmp(es->req.body, ev->payload, ev->payload_len))
        return vf_problem(v, GL_VP_REQUEST,
                          "the time sheet of %.*s for %u is not the one its signed request sets",
                          (int)s.employee.len, s.employee.ptr, (unsigned)s.month);
    gl_ts_fault f = gl_ts_check(&s, &bad);
    if (f != GL_TS_OK)
        return vf_problem(v, GL_VP_RULE, "the time sheet of %.*s for %u holds %s",
                          (int)s.employee.len, s.employee.ptr, (unsigned)s.month, fault_text(f));
    return true;
}
