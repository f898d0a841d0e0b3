/*
 * client/payroll/payroll_parse.c — a month's payroll journal (CSV) read
 * with its mapping into rows (payroll.h).  The text, its charset, quotes
 * and fields are read as the bank's CSV statements are
 * (client/bank/csv_rows.h), and so are dates and amounts.  The first
 * `skip` lines and empty lines are left out, and so are rows of 0.00 (a
 * rubric the software prints for every employee, "Réduction générale
 * 0,00").  Every other row names its month, employee and account; a row
 * that does not read is refused with its line and column (972), a row of
 * another month than the first row's with its line (974).  The
 * employee's name column is never read.
 */
#include "payroll.h"

#include "client/bank/csv_rows.h"
#include "proto/date.h"
#include "proto/entry.h"

#include <stdlib.h>
#include <string.h>

#ifndef N_
#define N_(s) (s)
#endif

/* The largest amount a row may state (10^13 euros), as a bank line:
 * a month's sum of GL_PAYROLL_ROWS_MAX rows stays far inside int64. */
#define ROW_AMOUNT_MAX_CENTS 1000000000000000LL

static int refuse(gl_payroll_error *err, uint32_t line, int col, const char *column,
                  const char *reason)
{
    memset(err, 0, sizeof *err);
    err->status = GL_ERR_PAYROLL_FILE_INVALID;
    err->line = line;
    err->col = col;
    err->column = column;
    err->reason = reason;
    return -1;
}

static int nomem(gl_payroll_error *err)
{
    refuse(err, 0, -1, NULL, N_("out of memory"));
    err->status = GL_ERR_NOMEM;
    return -1;
}

/* A month written YYYY-MM, MM/YYYY, MM-YYYY or YYYYMM: YYYYMM, 0 if bad. */
static uint32_t month_text(const char *s, size_t n)
{
    if (n != 6 && n != 7)
        return 0;
    bool year_first = n == 7 && (s[4] == '-' || s[4] == '/');
    size_t sep = n == 6 ? n : year_first ? 4 : 2; /* n == 6: none */
    if (n == 7 && s[sep] != '-' && s[sep] != '/')
        return 0;
    uint32_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == sep)
            continue;
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (uint32_t)(s[i] - '0');
    }
    uint32_t ym = n == 6 || year_first ? v : (v % 10000) * 100 + v / 10000;
    return gl_month_valid(ym) ? ym : 0;
}

/* The row's month, from its date or month column. */
static int row_month(gl_csv_rows *r, const gl_payroll_mapping *m, uint32_t line, uint32_t *ym,
                     gl_payroll_error *err)
{
    size_t n;
    const char *f;
    if (m->date_col >= 0) {
        f = gl_csv_rows_field(r, m->date_col, &n);
        uint32_t ymd = f && n ? gl_csv_date(f, n, m->csv.date_format) : 0;
        if (!ymd)
            return refuse(err, line, m->date_col, N_("date"),
                          N_("not a date in the mapping's format"));
        *ym = ymd / 100;
        return 0;
    }
    f = gl_csv_rows_field(r, m->month_col, &n);
    *ym = f ? month_text(f, n) : 0;
    if (!*ym)
        return refuse(err, line, m->month_col, N_("month"),
                      N_("not a month (YYYY-MM, MM/YYYY, MM-YYYY or YYYYMM)"));
    return 0;
}

/* A code of an analytic axis into out (GL_AN_CODE_MAX + 1). */
static int row_code(gl_csv_rows *r, int col, const char *column, bool required, uint32_t line,
                    char *out, gl_payroll_error *err)
{
    size_t n = 0;
    const char *f = col >= 0 ? gl_csv_rows_field(r, col, &n) : NULL;
    out[0] = '\0';
    if (!f || !n) {
        if (!required)
            return 0;
        return refuse(err, line, col, column,
                      N_("empty: a row of an account 641x or 645x names its employee"));
    }
    if (!gl_an_code_valid((gl_str){f, n}))
        return refuse(err, line, col, column,
                      N_("not an analytic code (1 to 16 of A-Z 0-9 _ . -, first a letter or a "
                         "digit)"));
    memcpy(out, f, n);
    out[n] = '\0';
    return 0;
}

/* One amount field: 0 and *cents (0 when empty), or -1. */
static int row_amount(gl_csv_rows *r, int col, const char *column, char decimal, uint32_t line,
                      int64_t *cents, gl_payroll_error *err)
{
    size_t n = 0;
    const char *reason, *f = gl_csv_rows_field(r, col, &n);
    *cents = 0;
    if (!f || !n)
        return 0;
    if (gl_csv_amount(f, n, decimal, cents, &reason))
        return refuse(err, line, col, column, reason);
    if (*cents > ROW_AMOUNT_MAX_CENTS || *cents < -ROW_AMOUNT_MAX_CENTS)
        return refuse(err, line, col, column, N_("an amount beyond 10^13 euros"));
    return 0;
}

/* The row's debit and credit, each >= 0: a negative debit is a credit
 * (a reversal), and so on. */
static int row_sides(gl_csv_rows *r, const gl_payroll_mapping *m, uint32_t line,
                     gl_payroll_row *row, gl_payroll_error *err)
{
    int64_t debit = 0, credit = 0;
    char dec = m->csv.decimal;
    if (m->amount_col >= 0) {
        if (row_amount(r, m->amount_col, N_("amount"), dec, line, &debit, err))
            return -1;
    } else if (row_amount(r, m->debit_col, N_("debit"), dec, line, &debit, err) ||
               row_amount(r, m->credit_col, N_("credit"), dec, line, &credit, err)) {
        return -1;
    }
    int64_t net = debit - credit; /* both within +-10^15: no overflow */
    row->debit_cents = net > 0 ? net : 0;
    row->credit_cents = net < 0 ? -net : 0;
    return 0;
}

/* The rubric's words, cut at a character boundary to fit. */
static void row_rubric(gl_csv_rows *r, int col, char *out)
{
    size_t n = 0;
    const char *f = col >= 0 ? gl_csv_rows_field(r, col, &n) : NULL;
    if (!f)
        n = 0;
    if (n > GL_PAYROLL_RUBRIC_MAX) {
        n = GL_PAYROLL_RUBRIC_MAX;
        while (n && ((unsigned char)f[n] & 0xC0) == 0x80)
            n--;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = (unsigned char)f[i] < ' ' ? ' ' : f[i];
    out[n] = '\0';
}

static int row_account(gl_csv_rows *r, const gl_payroll_mapping *m, uint32_t line, char *out,
                       gl_payroll_error *err)
{
    size_t n = 0;
    const char *f = gl_csv_rows_field(r, m->account_col, &n);
    if (!f || !n)
        return refuse(err, line, m->account_col, N_("account"), N_("empty: no account"));
    if (n > GL_ACCOUNT_MAX || !gl_account_valid((gl_str){f, n}))
        return refuse(err, line, m->account_col, N_("account"),
                      N_("not an account number (digits and capitals, first 1 to 9)"));
    memcpy(out, f, n);
    out[n] = '\0';
    return 0;
}

static gl_payroll_row *new_row(gl_payroll_file *f)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 64;
        gl_payroll_row *rows = realloc(f->rows, cap * sizeof *rows);
        if (!rows)
            return NULL;
        f->rows = rows;
        f->cap = cap;
    }
    gl_payroll_row *row = &f->rows[f->n++];
    memset(row, 0, sizeof *row);
    return row;
}

static int one_row(gl_csv_rows *r, const gl_payroll_mapping *m, uint32_t line, gl_payroll_file *out,
                   gl_payroll_error *err)
{
    gl_payroll_row row = {.line = line};
    if (row_sides(r, m, line, &row, err))
        return -1;
    if (!row.debit_cents && !row.credit_cents) {
        out->zero_rows++;
        return 0;
    }
    if (row_month(r, m, line, &row.month, err) || row_account(r, m, line, row.account, err) ||
        row_code(r, m->employee_col, N_("employee"), gl_payroll_account_detailed(row.account), line,
                 row.employee, err) ||
        row_code(r, m->action_col, N_("action"), false, line, row.action, err))
        return -1;
    row_rubric(r, m->rubric_col, row.rubric);
    if (out->n && row.month != out->rows[0].month) {
        memset(err, 0, sizeof *err);
        err->status = GL_ERR_PAYROLL_MONTHS;
        err->line = line;
        err->col = -1;
        err->months[0] = out->rows[0].month;
        err->months[1] = row.month;
        return -1;
    }
    if (out->n == GL_PAYROLL_ROWS_MAX)
        return refuse(err, line, -1, NULL, N_("more rows than a month's file may hold (100000)"));
    gl_payroll_row *slot = new_row(out);
    if (!slot)
        return nomem(err);
    *slot = row;
    return 0;
}

static int read_rows(gl_csv_rows *r, const gl_payroll_mapping *m, gl_payroll_file *out,
                     gl_payroll_error *err)
{
    uint32_t line;
    for (int more; (more = gl_csv_rows_next(r, &line));) {
        if (more < 0)
            return refuse(err, line, -1, NULL, N_("a quoted field that is never closed"));
        if (line <= m->csv.skip_lines || gl_csv_rows_blank(r))
            continue;
        if (one_row(r, m, line, out, err))
            return -1;
    }
    if (!out->n)
        return refuse(err, 0, -1, NULL, N_("no row with an amount: an empty payroll journal"));
    return 0;
}

int gl_payroll_parse(const uint8_t *bytes, size_t n, const gl_payroll_mapping *m,
                     gl_payroll_file *out, gl_payroll_error *err)
{
    const char *reason;
    memset(out, 0, sizeof *out);
    if (gl_payroll_mapping_check(m, &reason))
        return refuse(err, 0, -1, NULL, reason);
    gl_csv_rows *r = gl_csv_rows_open(bytes, n, m->csv.separator);
    if (!r)
        return nomem(err);
    int rc = read_rows(r, m, out, err);
    gl_csv_rows_close(r);
    if (rc)
        gl_payroll_file_free(out);
    return rc;
}

void gl_payroll_file_free(gl_payroll_file *f)
{
    free(f->rows);
    memset(f, 0, sizeof *f);
}

bool gl_payroll_account_detailed(const char *account)
{
    return !strncmp(account, "641", 3) || !strncmp(account, "645", 3);
}
