/*
 * client/verify/verify_timesheet.c — the TIMESHEET events (22, issue 19,
 * PROTOCOL.md §5.53), in chain order: each is its signed TIMESHEET_SET
 * request's body byte for byte (item 1); the sheet passes its own field
 * rules (a code's syntax, a month, a basis of 1..1000, actions in strict
 * order, minutes > 0, the month within 1.5 twelfths of 1,720 h pro rata:
 * 492, 493, 495); its employee is a code open on the axis `salarie` and
 * each action one open on the axis `action` at that point (484, 485: the
 * replayed analytic codes, vf_analytic_code_open, the employee's even
 * when the sheet clears the month, as the daemon checks it); and once it
 * replaces its month, the employee's minutes of the fiscal year holding
 * the month stay within 1,720 h pro rata of the mean basis of the year's
 * sheets (491, gl_ts_year_minutes_cap).  The fiscal year is that of the
 * tenant's first month as the archive carries it (the one the entries'
 * years are checked with).  A month of a closed year (494) is the
 * daemon's alone.
 *
 * State per tenant (struct vf_timesheets, hung on tstate, made by the
 * first event 22): per (employee, fiscal year), each month's basis and
 * minutes as the sheets stand (basis 0: no sheet).
 */
#include "verify_int.h"

#include "proto/analytic.h"
#include "proto/date.h"
#include "proto/timesheet.h"

#include <stdlib.h>
#include <string.h>

#define YEAR_MONTHS 12

typedef struct year_key {
    uint8_t len;
    char employee[GL_AN_CODE_MAX];
    uint16_t fy;
} year_key;
typedef struct year_val {
    uint16_t basis[YEAR_MONTHS]; /* 0: no sheet that month */
    uint64_t minutes[YEAR_MONTHS];
} year_val;

struct vf_timesheets {
    map years; /* year_key -> year_val */
};

void vf_timesheets_free(struct vf_timesheets *t)
{
    if (!t)
        return;
    vf_map_free(&t->years);
    free(t);
}

static struct vf_timesheets *state(vctx *v)
{
    if (!v->ts.timesheets) {
        struct vf_timesheets *t = calloc(1, sizeof *t);
        if (!t) {
            vf_out_of_memory(v);
            return NULL;
        }
        vf_map_init(&t->years, sizeof(year_key), sizeof(year_val));
        v->ts.timesheets = t;
    }
    return v->ts.timesheets;
}

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

#define S_(s) (int)(s).len, (s).ptr

/* The employee and every action open at this point (484, 485). */
static bool codes_open(vctx *v, const gl_timesheet *s)
{
    static const gl_str employee_axis = {GL_TS_AXIS_EMPLOYEE, sizeof GL_TS_AXIS_EMPLOYEE - 1};
    static const gl_str action_axis = {GL_TS_AXIS_ACTION, sizeof GL_TS_AXIS_ACTION - 1};
    if (!vf_analytic_code_open(v, "time sheet's employee", employee_axis, s->employee))
        return false;
    size_t pos = 0;
    gl_ts_row r;
    while (gl_ts_rows_next(s, &pos, &r))
        if (!vf_analytic_code_open(v, "time sheet's action", action_axis, r.action))
            return false;
    return true;
}

/* The sheet replaces its month in its employee's fiscal year, which then
 * holds at most gl_ts_year_minutes_cap of its sheets' bases (491). */
static bool year_within_cap(vctx *v, const gl_timesheet *s)
{
    struct vf_timesheets *t = state(v);
    if (!t)
        return false;
    unsigned fm = v->ts.at->first_month;
    uint16_t fy = gl_fiscal_year(s->month * 100u + 1u, fm);
    uint32_t start = gl_fiscal_year_start(fy, fm) / 100u;
    uint32_t at = (s->month / 100u * 12u + s->month % 100u) - (start / 100u * 12u + start % 100u);
    if (at >= YEAR_MONTHS)
        return vf_problem(v, GL_VP_RULE, "the time sheet's month %u is outside its fiscal year %u",
                          (unsigned)s->month, (unsigned)fy);
    year_key k;
    memset(&k, 0, sizeof k);
    k.len = (uint8_t)s->employee.len; /* <= GL_AN_CODE_MAX: decoded */
    memcpy(k.employee, s->employee.ptr, s->employee.len);
    k.fy = fy;
    year_val *y = vf_map_get(&t->years, &k, true, &v->nomem);
    if (!y)
        return vf_out_of_memory(v);
    y->basis[at] = s->count ? s->basis_per_mille : 0;
    y->minutes[at] = s->count ? gl_ts_minutes(s) : 0;
    uint32_t n = 0, basis_sum = 0;
    uint64_t minutes = 0;
    for (size_t i = 0; i < YEAR_MONTHS; i++)
        if (y->basis[i]) {
            n++;
            basis_sum += y->basis[i];
            minutes += y->minutes[i];
        }
    uint64_t cap = gl_ts_year_minutes_cap(basis_sum, n);
    if (n == 0 || minutes <= cap)
        return true;
    return vf_problem(v, GL_VP_RULE,
                      "the time sheets of %.*s hold %llu minutes in fiscal year %u, beyond the "
                      "%llu of 1,720 h pro rata of their mean basis (491)",
                      S_(s->employee), (unsigned long long)minutes, (unsigned)fy,
                      (unsigned long long)cap);
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
    return codes_open(v, &s) && year_within_cap(v, &s);
}
