/*
 * daemon/rules/timesheet.c — time sheets (issue 19, PROTOCOL.md §5.53,
 * §5.54): TIMESHEET_SET replaces one employee's sheet of one month (count
 * 0 clears it) and appends a TIMESHEET event (22) holding the signed body;
 * the same sheet again writes nothing.  TIMESHEETS lists a fiscal year's
 * sheets in (employee, month) order.
 *
 * The rules hold the hours declared to the hours behind the hourly rate
 * that `grandlivre staff-costs` computes (Regulation (EU) 2021/1060 art.
 * 55(2)(a) and (3)): an employee's minutes of a fiscal year never pass
 * 1,720 h pro rata of the year's basis (the mean of its sheets' bases), and a
 * month never holds more than 1.5 times a twelfth of that (proto/timesheet.h).
 * A closed fiscal year's sheets no longer change: its costs are final.
 */
#include "daemon/handlers.h"
#include "daemon/ledger.h"
#include "daemon/periods.h"
#include "daemon/store/analytic_store.h"
#include "daemon/store/timesheet_store.h"

#include "proto/analytic.h"
#include "proto/chain.h"
#include "proto/date.h"
#include "proto/status.h"
#include "proto/timesheet.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* The 1-based months of a fiscal year a sheet can fall in. */
#define YEAR_MONTHS 12

static unsigned first_month_of(gl_exec *x)
{
    const gl_tenant_cfg *tc = gl_config_tenant(x->cfg, x->req->tenant.ptr, x->req->tenant.len);
    return tc && tc->first_month ? tc->first_month : 1;
}

/* Minutes as "H h MM" for the details. */
static void hours_text(char out[32], uint64_t minutes)
{
    snprintf(out, 32, "%" PRIu64 " h %02u", minutes / 60u, (unsigned)(minutes % 60u));
}

static int check_fault(gl_exec *x, const gl_timesheet *s)
{
    uint32_t row;
    gl_ts_fault f = gl_ts_check(s, &row);
    char have[32], max[32];
    switch (f) {
    case GL_TS_OK: return GL_OK;
    case GL_TS_BAD_BASIS:
        return exec_fail(x, GL_ERR_TIMESHEET_BASIS, 0, 0,
                         "basis_per_mille %u is out of 1..1000 (1000: full time)",
                         (unsigned)s->basis_per_mille);
    case GL_TS_BAD_EMPLOYEE:
        return exec_fail(x, GL_ERR_TIMESHEET_INVALID, 0, 0,
                         "the employee is not a code (1 to 16 of A-Z 0-9 _ . -, first A-Z 0-9)");
    case GL_TS_BAD_MONTH:
        return exec_fail(x, GL_ERR_TIMESHEET_INVALID, 0, 0, "month %u is not a YYYYMM",
                         (unsigned)s->month);
    case GL_TS_BAD_ACTION:
        return exec_fail(x, GL_ERR_TIMESHEET_INVALID, row, 0, "row %u: the action is not a code",
                         (unsigned)row);
    case GL_TS_ACTION_ORDER:
        return exec_fail(x, GL_ERR_TIMESHEET_INVALID, row, 0,
                         "row %u: actions in strictly increasing byte order, each once",
                         (unsigned)row);
    case GL_TS_ZERO_MINUTES:
        return exec_fail(x, GL_ERR_TIMESHEET_INVALID, row, 0, "row %u: 0 minutes", (unsigned)row);
    case GL_TS_MONTH_OVER:
        hours_text(have, gl_ts_minutes(s));
        hours_text(max, gl_ts_month_minutes_max(s->basis_per_mille));
        return exec_fail(x, GL_ERR_TIMESHEET_MONTH_OVER, 0, 0,
                         "%.*s %u: %s declared in the month, at most %s for a basis of %u per "
                         "mille",
                         (int)s->employee.len, s->employee.ptr, (unsigned)s->month, have, max,
                         (unsigned)s->basis_per_mille);
    }
    return GL_ERR_INTERNAL;
}

static int check_year_open(gl_exec *x, uint32_t tenant, uint32_t month)
{
    uint16_t fy = gl_fiscal_year(month * 100u + 1u, first_month_of(x));
    year_state ys;
    int st = periods_year(x->txn, tenant, fy, &ys);
    if (st != GL_OK || !ys.closed)
        return st;
    return exec_fail(x, GL_ERR_TIMESHEET_YEAR_CLOSED, 0, 0,
                     "month %u belongs to fiscal year %u, closed", (unsigned)month, (unsigned)fy);
}

/* Is axis open for tenant (*axis_open), and code open on it
 * (*code_open)?  GL_OK or the store's status. */
static int analytic_code_state(store_txn *t, uint32_t tenant, gl_str axis, gl_str code,
                               bool *axis_open, bool *code_open)
{
    an_axis_rec ax;
    an_code_rec cr;
    *axis_open = *code_open = false;
    int st = store_an_axis_get(t, tenant, axis, &ax);
    if (st == GL_ERR_NOT_FOUND)
        return GL_OK;
    if (st != GL_OK)
        return st;
    *axis_open = ax.state == GL_AN_OPEN;
    st = store_an_code_get(t, tenant, axis, code, &cr);
    if (st == GL_ERR_NOT_FOUND)
        return GL_OK;
    *code_open = st == GL_OK && cr.state == GL_AN_OPEN;
    return st;
}

/* 484 unless axis is open, 485 unless code is open on it (row: the
 * 1-based row naming it, 0 for the employee). */
static int ts_code_check(gl_exec *x, uint32_t tenant, const char *axis, gl_str code, uint32_t row)
{
    gl_str ax = {axis, strlen(axis)};
    bool axis_open, code_open;
    int st = analytic_code_state(x->txn, tenant, ax, code, &axis_open, &code_open);
    if (st != GL_OK)
        return st;
    if (!axis_open)
        return exec_fail(x, GL_ERR_ANALYTIC_AXIS_UNKNOWN, row, 0,
                         "the analytic axis %s is not open: open it first (grandlivre analytic "
                         "axis open %s)",
                         axis, axis);
    if (!code_open)
        return exec_fail(x, GL_ERR_ANALYTIC_CODE_UNKNOWN, row, 0,
                         "%s%.*s is not an open code of the axis %s", row ? "an action: " : "",
                         (int)code.len, code.ptr, axis);
    return GL_OK;
}

static int check_codes(gl_exec *x, uint32_t tenant, const gl_timesheet *s)
{
    int st = ts_code_check(x, tenant, GL_TS_AXIS_EMPLOYEE, s->employee, 0);
    size_t pos = 0;
    gl_ts_row r;
    for (uint32_t i = 1; st == GL_OK && gl_ts_rows_next(s, &pos, &r); i++)
        st = ts_code_check(x, tenant, GL_TS_AXIS_ACTION, r.action, i);
    return st;
}

static bool same_sheet(const gl_timesheet *a, const gl_timesheet *b)
{
    return a->basis_per_mille == b->basis_per_mille && a->count == b->count &&
           a->rows_len == b->rows_len && (!a->rows_len || !memcmp(a->rows, b->rows, a->rows_len));
}

/* The year of the sheet's month once s replaces the stored one. */
typedef struct year_sum {
    uint32_t skip_month;
    uint32_t n;
    uint32_t basis_sum;
    uint64_t minutes;
} year_sum;

static int add_sheet(void *user, const gl_timesheet *s)
{
    year_sum *y = user;
    if (s->month == y->skip_month)
        return GL_OK;
    if (y->n >= YEAR_MONTHS)
        return GL_ERR_STORAGE; /* a fiscal year has 12 months: a damaged index */
    y->n++;
    y->basis_sum += s->basis_per_mille;
    y->minutes += gl_ts_minutes(s);
    return GL_OK;
}

static int check_year(gl_exec *x, uint32_t tenant, const gl_timesheet *s)
{
    uint16_t fy = gl_fiscal_year(s->month * 100u + 1u, first_month_of(x));
    unsigned fm = first_month_of(x);
    uint32_t from = gl_fiscal_year_start(fy, fm) / 100u, to = gl_fiscal_year_end(fy, fm) / 100u;
    year_sum y = {.skip_month = s->month};
    int st = store_ts_each(x->txn, tenant, s->employee, from, to, add_sheet, &y);
    if (st != GL_OK)
        return st;
    if (s->count) {
        y.n++;
        y.basis_sum += s->basis_per_mille;
        y.minutes += gl_ts_minutes(s);
    }
    uint64_t max = gl_ts_year_minutes_cap(y.basis_sum, y.n);
    if (y.n == 0 || y.minutes <= max)
        return GL_OK;
    char have[32], cap[32];
    hours_text(have, y.minutes);
    hours_text(cap, max);
    return exec_fail(x, GL_ERR_TIMESHEET_HOURS_OVER, 0, 0,
                     "%.*s: %s declared in fiscal year %u, beyond the %s behind the hourly rate "
                     "(1,720 h x the mean basis of its %u sheets, %u/%u per mille)",
                     (int)s->employee.len, s->employee.ptr, have, (unsigned)fy, cap, (unsigned)y.n,
                     (unsigned)y.basis_sum, (unsigned)y.n);
}

int rules_timesheet_set(gl_exec *x, const gl_body *rq)
{
    const gl_timesheet *s = &rq->timesheet;
    tenant_rec rec;
    int st = exec_tenant_load(x, &rec);
    if (st != GL_OK || (st = check_fault(x, s)) != GL_OK ||
        (st = check_year_open(x, rec.number, s->month)) != GL_OK ||
        (st = check_codes(x, rec.number, s)) != GL_OK)
        return st;
    gl_timesheet old;
    st = store_ts_get(x->txn, rec.number, s->employee, s->month, &old);
    if (st != GL_OK && st != GL_ERR_NOT_FOUND)
        return st;
    bool stored = st == GL_OK;
    if ((stored && s->count && same_sheet(&old, s)) || (!stored && !s->count))
        return GL_OK; /* unchanged: nothing written, no event */
    if ((st = check_year(x, rec.number, s)) != GL_OK)
        return st;
    st = s->count ? store_ts_put(x->txn, rec.number, s)
                  : store_ts_delete(x->txn, rec.number, s->employee, s->month);
    return st == GL_OK ? bank_event_signed_body(x, &rec, GL_EVENT_TIMESHEET) : st;
}

static int put_sheet(void *user, const gl_timesheet *s)
{
    gl_buf *b = user;
    gl_ts_head_put(b, s->employee, s->month, s->basis_per_mille, s->count);
    gl_put_bytes(b, s->rows, s->rows_len);
    return gl_buf_ok(b) ? GL_OK : GL_ERR_INTERNAL;
}

/* How many sheets put_sheet wrote: counted by a wrapper. */
typedef struct sheet_count {
    gl_buf *body;
    uint32_t n;
} sheet_count;

static int count_sheet(void *user, const gl_timesheet *s)
{
    sheet_count *c = user;
    c->n++;
    return put_sheet(c->body, s);
}

int query_timesheets(gl_exec *x, const gl_body *rq)
{
    const gl_ts_list_q *q = &rq->timesheets;
    if (q->employee.len && !gl_an_code_valid(q->employee))
        return exec_fail(x, GL_ERR_TIMESHEET_INVALID, 0, 0,
                         "the employee is not a code (1 to 16 of A-Z 0-9 _ . -, first A-Z 0-9)");
    if (q->year < 1900 || q->year > 2999)
        return exec_fail(x, GL_ERR_TIMESHEET_INVALID, 0, 0, "year %u is out of 1900..2999",
                         (unsigned)q->year);
    size_t count_at = x->body->len;
    gl_put_u32(x->body, 0);
    tenant_rec rec;
    int st = bank_read_tenant(x, &rec);
    if (st == GL_ERR_NOT_FOUND)
        return GL_OK; /* nothing written for the tenant yet: no sheet */
    if (st != GL_OK)
        return st;
    unsigned fm = first_month_of(x);
    uint32_t from = gl_fiscal_year_start(q->year, fm) / 100u;
    uint32_t to = gl_fiscal_year_end(q->year, fm) / 100u;
    sheet_count c = {x->body, 0};
    st = store_ts_each(x->txn, rec.number, q->employee, from, to, count_sheet, &c);
    if (st != GL_OK)
        return st;
    gl_be32(x->body->data + count_at, c.n);
    return GL_OK;
}
