/*
 * client/funders/fse.c — the FSE operation report's figures (fse.h).
 */
#include "fse.h"

#include "client/staff/staff_costs.h"

#include "proto/status.h"

#include <stdlib.h>
#include <string.h>

void fse_report_free(fse_report *r)
{
    free(r->staff);
    fr_lines_free(&r->charges);
    fr_lines_free(&r->other);
    fr_lines_free(&r->resources);
    fr_totals_free(&r->by_funder);
    memset(r, 0, sizeof *r);
}

int fse_add_staff(fse_report *r, const char *employee, uint32_t month, uint32_t minutes,
                  bool has_rate, int64_t rate_cents)
{
    if (r->nstaff == r->capstaff) {
        size_t cap = r->capstaff ? r->capstaff * 2 : 16;
        fse_staff *v = realloc(r->staff, cap * sizeof *v);
        if (!v)
            return GL_ERR_NOMEM;
        r->staff = v;
        r->capstaff = cap;
    }
    fse_staff *s = &r->staff[r->nstaff++];
    memset(s, 0, sizeof *s);
    strncpy(s->employee, employee, sizeof s->employee - 1);
    s->month = month;
    s->minutes = minutes;
    s->has_rate = has_rate;
    s->rate_cents = has_rate ? rate_cents : 0;
    return GL_OK;
}

static int staff_cmp(const void *a, const void *b)
{
    const fse_staff *x = a, *y = b;
    int c = strcmp(x->employee, y->employee);
    return c ? c : (x->month > y->month) - (x->month < y->month);
}

static int sum_staff(fse_report *r)
{
    if (r->nstaff)
        qsort(r->staff, r->nstaff, sizeof *r->staff, staff_cmp);
    r->staff_cents = 0;
    r->missing_rate = false;
    for (size_t i = 0; i < r->nstaff; i++) {
        fse_staff *s = &r->staff[i];
        r->missing_rate |= !s->has_rate;
        if (!fr_minutes_cost(s->minutes, s->rate_cents, &s->amount_cents) ||
            __builtin_add_overflow(r->staff_cents, s->amount_cents, &r->staff_cents))
            return GL_ERR_SUM_OVERFLOW;
    }
    return GL_OK;
}

/* An entry of the fonds dédiés (reports 689, utilisations 789, ANC 2018-06
 * art. 132-1): it carries the grant's action code, but moves the grant
 * between years; no cost of the operation, no new resource. */
static bool dedicated_transfer(const char *account)
{
    return !strncmp(account, "689", 3) || !strncmp(account, "789", 3);
}

/* The other direct costs declared: class 6 but 641x/645x and the fonds
 * dédiés reports, unless 40 %. */
static int sum_other(fse_report *r)
{
    fr_lines_free(&r->other);
    r->other_cents = 0;
    for (size_t i = 0; r->flat_rate != 40 && i < r->charges.n; i++) {
        const fr_line *l = &r->charges.v[i];
        if (l->account[0] != '6' || sc_staff_account(l->account) || dedicated_transfer(l->account))
            continue;
        int st = fr_lines_add(&r->other, l);
        if (st != GL_OK)
            return st;
        if (__builtin_add_overflow(r->other_cents, l->amount_cents, &r->other_cents))
            return GL_ERR_SUM_OVERFLOW;
    }
    return GL_OK;
}

static int sum_resources(fse_report *r)
{
    fr_totals_free(&r->by_funder);
    r->resources_cents = 0;
    for (size_t i = 0; i < r->resources.n; i++) {
        const fr_line *l = &r->resources.v[i];
        if (dedicated_transfer(l->account))
            continue;
        int st = fr_totals_add(&r->by_funder, l->funder, l->amount_cents);
        if (st != GL_OK)
            return st;
        if (__builtin_add_overflow(r->resources_cents, l->amount_cents, &r->resources_cents))
            return GL_ERR_SUM_OVERFLOW;
    }
    fr_totals_sort(&r->by_funder);
    return GL_OK;
}

int fse_compute(fse_report *r)
{
    int st = sum_staff(r);
    if (st == GL_OK)
        st = sum_other(r);
    if (st == GL_OK)
        st = sum_resources(r);
    if (st != GL_OK)
        return st;
    r->flat_cents = 0;
    if (r->flat_rate && !fr_percent_of(r->staff_cents, r->flat_rate, &r->flat_cents))
        return GL_ERR_SUM_OVERFLOW;
    int64_t t;
    if (__builtin_add_overflow(r->staff_cents, r->flat_cents, &t) ||
        __builtin_add_overflow(t, r->other_cents, &r->total_cents))
        return GL_ERR_SUM_OVERFLOW;
    return GL_OK;
}
