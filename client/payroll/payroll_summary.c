/*
 * client/payroll/payroll_summary.c — a month's payroll rows summed into
 * the lines of its one entry (payroll.h): per (account, employee, action)
 * on accounts 641x and 645x, per account elsewhere; each group netted
 * (debits minus credits) to one line on the side it falls, none when it
 * nets to 0.  The rows' debit and credit totals must be equal (973,
 * both totals given), checked before any line is built; every sum is
 * checked for overflow.  Lines come sorted by account, employee and
 * action, so that the same file always gives the same entry.
 */
#include "payroll.h"

#include "proto/date.h"
#include "proto/entry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef N_
#define N_(s) (s)
#endif

/* A group being summed: its key, its net, its rubric. */
typedef struct group {
    const gl_payroll_row *first; /* the key: account, employee and action of this row */
    bool detailed;
    int64_t net_cents;
    bool one_rubric; /* every row of the group has first's rubric */
} group;

static int fail(gl_payroll_error *err, int status, const char *reason)
{
    memset(err, 0, sizeof *err);
    err->status = status;
    err->col = -1;
    err->reason = reason;
    return -1;
}

static int cmp_key(const gl_payroll_row *a, bool detailed_a, const gl_payroll_row *b,
                   bool detailed_b)
{
    int c = strcmp(a->account, b->account);
    if (c || !detailed_a || !detailed_b)
        return c;
    c = strcmp(a->employee, b->employee);
    return c ? c : strcmp(a->action, b->action);
}

static int cmp_rows(const void *x, const void *y)
{
    const gl_payroll_row *a = *(const gl_payroll_row *const *)x;
    const gl_payroll_row *b = *(const gl_payroll_row *const *)y;
    int c = cmp_key(a, gl_payroll_account_detailed(a->account), b,
                    gl_payroll_account_detailed(b->account));
    return c ? c : (a->line > b->line) - (a->line < b->line);
}

/* The rows' totals, checked equal. */
static int totals(const gl_payroll_file *f, gl_payroll_summary *out, gl_payroll_error *err)
{
    int64_t d = 0, c = 0;
    for (size_t i = 0; i < f->n; i++)
        if (__builtin_add_overflow(d, f->rows[i].debit_cents, &d) ||
            __builtin_add_overflow(c, f->rows[i].credit_cents, &c))
            return fail(err, GL_ERR_PAYROLL_FILE_INVALID,
                        N_("the file's total exceeds the 64-bit cent range"));
    out->debit_cents = d;
    out->credit_cents = c;
    if (d != c) {
        fail(err, GL_ERR_PAYROLL_UNBALANCED, NULL);
        err->debit_cents = d;
        err->credit_cents = c;
        return -1;
    }
    return 0;
}

/* The line of a group, appended when it does not net to 0. */
static void emit(const group *g, gl_payroll_summary *out)
{
    if (!g->first || g->net_cents == 0)
        return;
    gl_payroll_line *l = &out->lines[out->n++];
    memset(l, 0, sizeof *l);
    memcpy(l->account, g->first->account, sizeof l->account);
    if (g->detailed) {
        memcpy(l->employee, g->first->employee, sizeof l->employee);
        memcpy(l->action, g->first->action, sizeof l->action);
    }
    if (g->one_rubric)
        memcpy(l->label, g->first->rubric, sizeof l->label);
    l->side = g->net_cents > 0 ? GL_SIDE_DEBIT : GL_SIDE_CREDIT;
    l->amount_cents = g->net_cents > 0 ? g->net_cents : -g->net_cents;
}

/* The sorted rows into groups and lines (out->lines holds n rows). */
static int group_rows(const gl_payroll_row **sorted, size_t n, gl_payroll_summary *out,
                      gl_payroll_error *err)
{
    group g = {0};
    for (size_t i = 0; i < n; i++) {
        const gl_payroll_row *r = sorted[i];
        bool detailed = gl_payroll_account_detailed(r->account);
        if (!g.first || cmp_key(g.first, g.detailed, r, detailed)) {
            emit(&g, out);
            g = (group){r, detailed, 0, true};
        }
        if (__builtin_add_overflow(g.net_cents, r->debit_cents, &g.net_cents) ||
            __builtin_sub_overflow(g.net_cents, r->credit_cents, &g.net_cents))
            return fail(err, GL_ERR_PAYROLL_FILE_INVALID,
                        N_("a line's sum exceeds the 64-bit cent range"));
        g.one_rubric = g.one_rubric && !strcmp(g.first->rubric, r->rubric);
    }
    emit(&g, out);
    if (out->n > GL_LINES_MAX)
        return fail(err, GL_ERR_PAYROLL_FILE_INVALID,
                    N_("the month's entry would have more than 1000 lines"));
    return 0;
}

static void name_entry(gl_payroll_summary *out, uint32_t month)
{
    out->month = month;
    out->date = gl_month_last_day(month);
    snprintf(out->piece, sizeof out->piece, "PAIE-%04u-%02u", (unsigned)(month / 100) % 10000,
             (unsigned)(month % 100));
    snprintf(out->label, sizeof out->label, "Paie %02u/%04u", (unsigned)(month % 100),
             (unsigned)(month / 100) % 10000);
}

int gl_payroll_summarise(const gl_payroll_file *f, gl_payroll_summary *out, gl_payroll_error *err)
{
    memset(out, 0, sizeof *out);
    if (!f->n)
        return fail(err, GL_ERR_PAYROLL_FILE_INVALID,
                    N_("no row with an amount: an empty payroll journal"));
    if (totals(f, out, err))
        return -1;
    const gl_payroll_row **sorted = malloc(f->n * sizeof *sorted);
    out->lines = malloc(f->n * sizeof *out->lines);
    if (!sorted || !out->lines) {
        free(sorted);
        gl_payroll_summary_free(out);
        return fail(err, GL_ERR_NOMEM, N_("out of memory"));
    }
    for (size_t i = 0; i < f->n; i++)
        sorted[i] = &f->rows[i];
    qsort(sorted, f->n, sizeof *sorted, cmp_rows);
    int rc = group_rows(sorted, f->n, out, err);
    free(sorted);
    if (rc) {
        gl_payroll_summary_free(out);
        return -1;
    }
    name_entry(out, f->rows[0].month);
    const char **codes = malloc((out->n + 1) * sizeof *codes);
    out->employees = codes ? gl_payroll_employees(out, codes) : 0;
    free(codes);
    return 0;
}

void gl_payroll_summary_free(gl_payroll_summary *s)
{
    free(s->lines);
    memset(s, 0, sizeof *s);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

size_t gl_payroll_employees(const gl_payroll_summary *s, const char **codes)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->lines[i].employee[0])
            codes[n++] = s->lines[i].employee;
    qsort(codes, n, sizeof *codes, cmp_str);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!k || strcmp(codes[k - 1], codes[i]))
            codes[k++] = codes[i];
    return k;
}

size_t gl_payroll_line_item(const gl_payroll_line *l, uint8_t out[2 + GL_AN_ITEM_MAX])
{
    if (!l->employee[0] && !l->action[0])
        return 0;
    gl_analytic a = {0};
    const struct {
        const char *axis, *code;
    } axes[2] = {{GL_PAYROLL_AXIS_ACTION, l->action}, {GL_PAYROLL_AXIS_EMPLOYEE, l->employee}};
    for (size_t i = 0; i < 2; i++) {
        if (!axes[i].code[0])
            continue;
        gl_an_split *s = &a.axes[a.naxes++];
        s->axis = (gl_str){axes[i].axis, strlen(axes[i].axis)};
        s->count = 1;
        s->shares[0] = (gl_an_share){{axes[i].code, strlen(axes[i].code)}, l->amount_cents};
    }
    if (!gl_analytic_sort(&a))
        return 0;
    return gl_analytic_item_put(out, &a);
}
