/*
 * client/payroll/payroll.h — the payroll journal (journal de paie) that
 * payroll software exports as CSV, one file a month, read with a saved
 * column mapping and summed into the month's one entry (issue 19,
 * "Payroll import"; `grandlivre payroll import`).  Pure: bytes in, rows
 * and lines out, no I/O, no daemon; the CLI (client/cli/cmd_payroll.c)
 * reads the file, posts the entry and opens the codes.
 *
 * The file: one row per employee and rubric ("Salaire de base", "URSSAF
 * maladie"), with the month or a date, the employee's code, the account,
 * the amount (a debit and a credit column, or one signed amount column:
 * positive a debit), optionally the rubric's words, the employee's name
 * and an analytic code of axis `action`.  The employee's name is never
 * read (a natural person's name is not sent to the daemon).
 *
 * The entry: journal SA, dated the month's last day, piece
 * "PAIE-YYYY-MM", label "Paie MM/YYYY"; the rows of accounts 641x and
 * 645x (gross salary, employer charges) summed per (account, employee,
 * action), each line carrying the employee's code on axis `salarie` and
 * the action on axis `action` when the file gives one; the rows of every
 * other account (421 net pay, 431/437 social bodies, 4421 tax withheld)
 * summed per account, without employee detail.  A group's debits and
 * credits are netted; a group netting to 0 gives no line.
 *
 * Refusals (client-local statuses, proto/status.h): 972 a row or field
 * that does not read (the file's line and the mapping's column), 973 the
 * month's debits and credits differ (both totals), 974 rows of several
 * months in one file.  A file is imported whole or not at all.
 */
#ifndef GL_PAYROLL_H
#define GL_PAYROLL_H

#include "client/bank/statement.h"
#include "proto/analytic.h"
#include "proto/limits.h"
#include "proto/status.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GL_PAYROLL_ROWS_MAX 100000 /* rows of one month's file */
#define GL_PAYROLL_RUBRIC_MAX 100  /* bytes of a rubric kept (cut at a character) */
#define GL_PAYROLL_JOURNAL "SA"
#define GL_PAYROLL_AXIS_EMPLOYEE "salarie"
#define GL_PAYROLL_AXIS_ACTION "action"

/* The saved mapping (`payroll csv-mapping`): the layout (separator,
 * decimal mark, date format, header lines skipped: csv's other columns
 * unused) and the columns, 0-based, -1 when absent. */
typedef struct gl_payroll_mapping {
    gl_bank_csv_mapping csv;
    int date_col;     /* a date in csv.date_format (its month is the row's), or: */
    int month_col;    /* YYYY-MM, MM/YYYY, MM-YYYY or YYYYMM */
    int employee_col; /* required: the employee's code (axis salarie) */
    int name_col;     /* the employee's name (employee_name_col): never read */
    int rubric_col;   /* the rubric's words: the lines' labels */
    int account_col;  /* required */
    int debit_col, credit_col;
    int amount_col; /* signed: positive a debit, negative a credit */
    int action_col; /* an analytic code of axis action; empty: none */
} gl_payroll_mapping;

/* Defaults: separator ';', decimal ',', DD/MM/YYYY, nothing skipped,
 * every column -1. */
void gl_payroll_mapping_defaults(gl_payroll_mapping *m);
/* Usable: the layout (gl_csv_layout_check), columns 0-63, a date or a
 * month column, the employee and account columns, an amount column or
 * both debit and credit columns.  0, or -1 with *reason (English msgid). */
int gl_payroll_mapping_check(const gl_payroll_mapping *m, const char **reason);
/* The INI text ("[csv]" section: the layout's keys, then date_col,
 * month_col, employee_col, employee_name_col, rubric_col, account_col, debit_col,
 * credit_col, amount_col, action_col when set).  Bytes, or -1 when buf
 * is too small. */
int gl_payroll_mapping_format(const gl_payroll_mapping *m, char *buf, size_t len);
/* Read INI text (defaults first, then checked): 0, or -1 with
 * *bad_line (1-based, 0: the mapping as a whole) and *reason. */
int gl_payroll_mapping_parse(const char *text, gl_payroll_mapping *m, unsigned *bad_line,
                             const char **reason);

/* One row of the file. */
typedef struct gl_payroll_row {
    uint32_t line;  /* 1-based line of the file */
    uint32_t month; /* YYYYMM */
    char employee[GL_AN_CODE_MAX + 1];
    char action[GL_AN_CODE_MAX + 1]; /* "" when none */
    char account[GL_ACCOUNT_MAX + 1];
    char rubric[GL_PAYROLL_RUBRIC_MAX + 1]; /* "" when none */
    int64_t debit_cents, credit_cents;      /* >= 0 each */
} gl_payroll_row;

typedef struct gl_payroll_file {
    gl_payroll_row *rows; /* malloc'd, file order */
    size_t n, cap;
    size_t zero_rows; /* rows of 0.00 (or no amount): left out */
} gl_payroll_file;

/* Where and why a file is refused.  status: GL_ERR_PAYROLL_FILE_INVALID
 * (line, col, column, reason), _UNBALANCED (debit_cents, credit_cents),
 * _MONTHS (line: the first row of months[1]), or GL_ERR_NOMEM. */
typedef struct gl_payroll_error {
    int status;
    uint32_t line;      /* 1-based; 0: the file as a whole */
    int col;            /* the mapping's column, -1 if none */
    const char *column; /* the column's role ("account"), NULL if none */
    const char *reason; /* English msgid */
    int64_t debit_cents, credit_cents;
    uint32_t months[2];
} gl_payroll_error;

/* Read n bytes (UTF-8, else Windows-1252; a BOM dropped) with m into
 * *out (rows of one month, each checked).  0, or -1 with *err and *out
 * empty.  Total on any input. */
int gl_payroll_parse(const uint8_t *bytes, size_t n, const gl_payroll_mapping *m,
                     gl_payroll_file *out, gl_payroll_error *err);
void gl_payroll_file_free(gl_payroll_file *f);

/* Accounts 641x and 645x: a line per employee (and action). */
bool gl_payroll_account_detailed(const char *account);

/* One line of the month's entry. */
typedef struct gl_payroll_line {
    char account[GL_ACCOUNT_MAX + 1];
    char employee[GL_AN_CODE_MAX + 1];     /* "" for the accounts summed whole */
    char action[GL_AN_CODE_MAX + 1];       /* "" when none */
    char label[GL_PAYROLL_RUBRIC_MAX + 1]; /* the rubric when the rows summed share one, else "" */
    uint8_t side;                          /* GL_SIDE_DEBIT or GL_SIDE_CREDIT */
    int64_t amount_cents;                  /* > 0 */
} gl_payroll_line;

typedef struct gl_payroll_summary {
    uint32_t month;                    /* YYYYMM */
    uint32_t date;                     /* the month's last day */
    char piece[16];                    /* PAIE-YYYY-MM */
    char label[16];                    /* Paie MM/YYYY */
    int64_t debit_cents, credit_cents; /* the rows' totals (equal) */
    size_t n;
    gl_payroll_line *lines; /* malloc'd: by account, employee, action */
    size_t employees;       /* distinct employee codes of the file */
} gl_payroll_summary;

/* Sum a parsed file into its month's entry: 0, or -1 with *err
 * (_UNBALANCED, an overflow as _FILE_INVALID, more than GL_LINES_MAX
 * lines as _FILE_INVALID, or GL_ERR_NOMEM); *out empty then. */
int gl_payroll_summarise(const gl_payroll_file *f, gl_payroll_summary *out, gl_payroll_error *err);
void gl_payroll_summary_free(gl_payroll_summary *s);

/* The distinct employee codes of a summary's lines, sorted: codes[i]
 * point into s (valid while s is); their count.  codes holds s->n. */
size_t gl_payroll_employees(const gl_payroll_summary *s, const char **codes);

/* Line i's analytic item (type, length, value) for its extension area:
 * the employee on axis salarie, the action on axis action; its length,
 * 0 when the line carries none. */
size_t gl_payroll_line_item(const gl_payroll_line *l, uint8_t out[2 + GL_AN_ITEM_MAX]);

#endif
