/*
 * client/funders/budget_cmp.h — budget against actual (issue 19,
 * `grandlivre budget compare`): per budget group of an action, the
 * budget's amount against the action's analytic balance rows whose
 * account starts with the group (charges for a group of class 6: debit -
 * credit; products for class 7: credit - debit), the variance (actual -
 * budget) and the ratio.  Pure computation.
 */
#ifndef GL_BUDGET_CMP_H
#define GL_BUDGET_CMP_H

#include "funders.h"

#include "client/analytic/an_client.h"

typedef struct bc_row {
    char group[GL_ACCOUNT_MAX + 1];
    int64_t budget_cents, actual_cents, variance_cents;
    bool has_ratio;
    int64_t ratio_tenths; /* actual / budget, tenths of a percent */
} bc_row;

/* The actual of group for action from the rows of an analytic balance
 * of the axis action.  false on overflow. */
bool bc_actual(const char *action, const char *group, const gl_an_balance_line *rows, size_t n,
               int64_t *actual_cents);
/* variance and ratio of a row whose budget and actual are set; false on
 * overflow. */
bool bc_finish(bc_row *r);

#endif
