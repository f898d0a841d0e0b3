/*
 * client/funders/fse.h — the FSE operation report (issue 19,
 * `grandlivre fse-report`): the costs of a European Social Fund operation
 * under Regulation (EU) 2021/1060, pure computation.
 *
 *  - direct staff costs: one row per (employee, month) of the time sheets
 *    on the operation's action in the period: its hours x the employee's
 *    hourly rate of the month's fiscal year (art. 55(2)(a): the year's
 *    gross employment costs / (1,720 h x the mean basis of the year's sheets)), rounded half up per
 *    row; the total is the sum of the rows;
 *  - flat rate 15 (art. 54(b)): indirect costs = 15 % of the direct staff
 *    costs; the other direct costs at actual: the action's class 6 lines
 *    other than 641x/645x (those are the staff costs, counted by hours);
 *  - flat rate 40 (art. 56): the remaining costs = 40 % of the direct
 *    staff costs; no other direct cost is declared;
 *  - flat rate 0: the other direct costs at actual, no flat amount;
 *  - resources: the action's class 7 lines by funder.
 */
#ifndef GL_FSE_H
#define GL_FSE_H

#include "funders.h"

typedef struct fse_staff {
    char employee[GL_AN_CODE_MAX + 1];
    uint32_t month; /* YYYYMM */
    uint32_t minutes;
    bool has_rate; /* false: no cost or no basis for the year (amount 0) */
    int64_t rate_cents;
    int64_t amount_cents; /* fse_compute */
} fse_staff;

typedef struct fse_report {
    uint8_t flat_rate; /* 0, 15, 40 */
    size_t nstaff, capstaff;
    fse_staff *staff;    /* by (employee, month) after fse_compute */
    fr_lines charges;    /* the action's class 6 lines (all, as read) */
    fr_lines other;      /* the other direct costs declared (fse_compute) */
    fr_lines resources;  /* class 7 lines by funder */
    fr_totals by_funder; /* fse_compute: funder -> total, by funder */
    int64_t staff_cents; /* the sum of the staff rows */
    int64_t flat_cents;  /* the flat amount */
    int64_t other_cents; /* the sum of `other` */
    int64_t total_cents; /* the total eligible costs */
    int64_t resources_cents;
    bool missing_rate; /* some row had no rate */
} fse_report;

void fse_report_free(fse_report *r);
/* A time sheet row (minutes on the action); GL_OK or GL_ERR_NOMEM. */
int fse_add_staff(fse_report *r, const char *employee, uint32_t month, uint32_t minutes,
                  bool has_rate, int64_t rate_cents);
/* The figures from the rows.  GL_OK, GL_ERR_NOMEM, GL_ERR_SUM_OVERFLOW. */
int fse_compute(fse_report *r);

#endif
