/*
 * client/staff/staff_costs.h — the staff costs of a year by employee and
 * action (issue 19, `grandlivre staff-costs`): pure computation, no I/O.
 *
 * Per employee (a code of the axis `salarie`):
 *  - the gross employment costs of the fiscal year: the debits less the
 *    credits of accounts 641x (salaries) and 645x (employer charges) that
 *    carry the employee's code, as ANALYTIC_BALANCE of the axis gives
 *    them (the net pay on 421 is not a cost);
 *  - the hourly rate of Regulation (EU) 2021/1060 art. 55(2)(a): the costs
 *    divided by 1,720 h pro rata of the year's basis (the mean of the
 *    bases of its sheets, one per month, as the daemon's 491 rule takes
 *    it: gl_ts_year_minutes_cap), in cents rounded half up
 *    (sc_rate_mean_cents);
 *  - the hours of its time sheets per action, and the costs allocated to
 *    the actions in proportion to them, exactly (gl_shares: the shares
 *    sum to the costs, the remainder to the largest).
 * And for `--post`, the axis `action` of one ledger line from the shares
 * the line gives each employee (sc_line_split).
 */
#ifndef GL_STAFF_COSTS_H
#define GL_STAFF_COSTS_H

#include "proto/analytic.h"
#include "proto/timesheet.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sc_action {
    char code[GL_AN_CODE_MAX + 1];
    uint64_t minutes;
    int64_t amount_cents; /* the costs allocated to it (sc_compute) */
} sc_action;

typedef struct sc_employee {
    char code[GL_AN_CODE_MAX + 1];
    uint16_t basis_per_mille; /* the year's mean, rounded half up; 0: no sheet */
    uint32_t basis_sum;       /* Σ the bases of the year's sheets */
    uint32_t months;          /* how many sheets (months) the year has */
    int64_t costs_cents;      /* 641x/645x debits - credits */
    uint64_t minutes;
    bool has_rate;
    int64_t rate_cents; /* per hour (sc_compute), when has_rate */
    size_t n, cap;
    sc_action *actions; /* by code */
} sc_employee;

typedef struct sc_year {
    size_t n, cap;
    sc_employee *v; /* by code */
} sc_year;

void sc_year_free(sc_year *y);
/* The employee of code, added if new (NULL: out of memory). */
sc_employee *sc_employee_of(sc_year *y, const char *code);
const sc_employee *sc_employee_find(const sc_year *y, const char *code);
/* Add a sheet's minutes per action and its basis to the year's mean
 * (one sheet a month).  GL_OK or GL_ERR_NOMEM. */
int sc_add_sheet(sc_year *y, const gl_timesheet *s);
/* Is account a staff cost (641x or 645x)? */
bool sc_staff_account(const char *account);
/* Add a balance row of the axis `salarie` (code, account, debit,
 * credit) when account is a staff cost.  GL_OK, GL_ERR_NOMEM,
 * GL_ERR_SUM_OVERFLOW. */
int sc_add_costs(sc_year *y, const char *code, const char *account, int64_t debit_cents,
                 int64_t credit_cents);
/* The hourly rate: costs × 1000 / (1,720 × basis), rounded half up (half
 * away from zero for a negative cost); false if basis is 0 or the rate
 * leaves the int64 range. */
bool sc_rate_cents(int64_t costs_cents, uint16_t basis_per_mille, int64_t *rate_cents);
/* The same for the mean basis of n sheets whose bases sum to basis_sum:
 * costs × 1000 × n / (1,720 × basis_sum); false if either is 0. */
bool sc_rate_mean_cents(int64_t costs_cents, uint32_t basis_sum, uint32_t n, int64_t *rate_cents);
/* Rates and allocations of every employee.  GL_OK or GL_ERR_SUM_OVERFLOW. */
int sc_compute(sc_year *y);

/* One ledger line's shares on the axis `salarie` (code, amount > 0, as
 * the line item holds them): the axis `action` of the line, each
 * employee's share split by its minutes per action (gl_shares), summed
 * per action, codes in byte order, the shares summing to the line.
 * GL_OK and *out (axis "action", views into y's codes: valid while y
 * is), or why not: GL_ERR_NOT_FOUND (an employee without hours; *who
 * names it), GL_ERR_COUNT_LIMIT (more than GL_AN_SPLIT_MAX actions). */
int sc_line_split(const sc_year *y, const gl_an_share *shares, size_t n, gl_an_split *out,
                  gl_str *who);

#endif
