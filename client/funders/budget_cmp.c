/*
 * client/funders/budget_cmp.c — budget against actual (budget_cmp.h).
 */
#include "budget_cmp.h"

#include <string.h>

bool bc_actual(const char *action, const char *group, const gl_an_balance_line *rows, size_t n,
               int64_t *actual_cents)
{
    bool product = group[0] == '7';
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(rows[i].code, action) || !fr_prefix(rows[i].account, group))
            continue;
        int64_t v;
        if ((product ? __builtin_sub_overflow(rows[i].credit_cents, rows[i].debit_cents, &v)
                     : __builtin_sub_overflow(rows[i].debit_cents, rows[i].credit_cents, &v)) ||
            __builtin_add_overflow(sum, v, &sum))
            return false;
    }
    *actual_cents = sum;
    return true;
}

bool bc_finish(bc_row *r)
{
    if (__builtin_sub_overflow(r->actual_cents, r->budget_cents, &r->variance_cents))
        return false;
    r->has_ratio = r->budget_cents != 0;
    return !r->has_ratio || fr_ratio_tenths(r->actual_cents, r->budget_cents, &r->ratio_tenths);
}
