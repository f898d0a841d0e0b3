/*
 * client/payroll/payroll_mapping.c — the payroll journal's column mapping
 * as INI text, as `payroll csv-mapping` saves it and `payroll import
 * --mapping` reads it back (inih).  The layout keys (separator, decimal,
 * date_format, skip) are the bank mapping's, read and written by the same
 * code (client/bank/csv_mapping.c); the columns are the payroll's:
 *
 *   [csv]
 *   separator = semicolon
 *   decimal = ,
 *   date_format = DD/MM/YYYY
 *   skip = 1
 *   month_col = 0
 *   employee_col = 1
 *   ...                    (0-based; a column not written is absent)
 */
#include "payroll.h"

#include <ini.h>
#include <stdio.h>
#include <string.h>

#ifndef N_
#define N_(s) (s)
#endif

#define NCOLS 10

static const char *const col_keys[NCOLS] = {
    "date_col",    "month_col", "employee_col", "employee_name_col", "rubric_col",
    "account_col", "debit_col", "credit_col",   "amount_col",        "action_col"};

/* The mapping's columns, in col_keys' order. */
static void columns(gl_payroll_mapping *m, int *cols[NCOLS])
{
    int *const all[NCOLS] = {&m->date_col,   &m->month_col,   &m->employee_col, &m->name_col,
                             &m->rubric_col, &m->account_col, &m->debit_col,    &m->credit_col,
                             &m->amount_col, &m->action_col};
    memcpy(cols, all, sizeof all);
}

void gl_payroll_mapping_defaults(gl_payroll_mapping *m)
{
    memset(m, 0, sizeof *m);
    gl_bank_mapping_defaults(&m->csv);
    int *cols[NCOLS];
    columns(m, cols);
    for (size_t i = 0; i < NCOLS; i++)
        *cols[i] = -1;
}

int gl_payroll_mapping_check(const gl_payroll_mapping *m, const char **reason)
{
    int *cols[NCOLS];
    columns((gl_payroll_mapping *)m, cols);
    for (size_t i = 0; i < NCOLS; i++)
        if (*cols[i] < -1 || *cols[i] >= 64)
            return *reason = N_("a column number must be between 0 and 63"), -1;
    if (gl_csv_layout_check(&m->csv, reason))
        return -1;
    if (m->date_col < 0 && m->month_col < 0)
        return *reason = N_("a payroll mapping needs a date column or a month column"), -1;
    if (m->employee_col < 0 || m->account_col < 0)
        return *reason = N_("a payroll mapping needs an employee column and an account column"), -1;
    return gl_csv_amount_columns_check(m->amount_col, m->debit_col, m->credit_col, reason);
}

int gl_payroll_mapping_format(const gl_payroll_mapping *m, char *buf, size_t len)
{
    int n = gl_csv_layout_format(&m->csv, buf, len);
    int *cols[NCOLS];
    columns((gl_payroll_mapping *)m, cols);
    for (size_t i = 0; n >= 0 && (size_t)n < len && i < NCOLS; i++)
        if (*cols[i] >= 0)
            n += snprintf(buf + n, len - (size_t)n, "%s = %d\n", col_keys[i], *cols[i]);
    return n < 0 || (size_t)n >= len ? -1 : n;
}

static int on_key(void *user, const char *section, const char *key, const char *v)
{
    gl_payroll_mapping *m = user;
    if (strcmp(section, "csv"))
        return 0;
    int layout = gl_csv_layout_key(&m->csv, key, v);
    if (layout >= 0)
        return layout;
    int *cols[NCOLS];
    columns(m, cols);
    long n;
    for (size_t i = 0; i < NCOLS; i++)
        if (!strcmp(key, col_keys[i])) {
            if (gl_csv_mapping_number(v, &n))
                return 0;
            *cols[i] = (int)n;
            return 1;
        }
    return 0;
}

int gl_payroll_mapping_parse(const char *text, gl_payroll_mapping *m, unsigned *bad_line,
                             const char **reason)
{
    gl_payroll_mapping_defaults(m);
    int line = ini_parse_string(text, on_key, m);
    if (line) {
        *bad_line = line > 0 ? (unsigned)line : 0;
        *reason =
            line > 0 ? N_("unknown key or bad value in the mapping") : N_("malformed mapping file");
        return -1;
    }
    *bad_line = 0;
    return gl_payroll_mapping_check(m, reason);
}
