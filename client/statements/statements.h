/*
 * client/statements/statements.h — the balance sheet (bilan) and income
 * statement (compte de résultat) of associations (ANC 2018-06 presentation,
 * simplified to its main headings), with the contributions volontaires en
 * nature (class 8) below the result, computed from account balances.
 *
 * Input: per account, its net balance (debit - credit) in each of `ncols`
 * columns (e.g. one entity, or each entity of the group, the eliminations
 * and the combined total).  Pure presentation: no I/O besides the output
 * table, no daemon.
 */
#ifndef GL_STATEMENTS_H
#define GL_STATEMENTS_H

#include "client/cli/output.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STMT_COLS_MAX 72

typedef struct stmt_account {
    const char *account;
    int64_t net[STMT_COLS_MAX]; /* debit - credit */
} stmt_account;

typedef struct stmt_input {
    size_t ncols;
    const char *col_names[STMT_COLS_MAX];
    const stmt_account *accounts;
    size_t count;
} stmt_input;

/* One line of a statement: its heading and its amount per column (shown
 * positive on the side it belongs to). */
typedef struct stmt_line {
    const char *section;  /* "ACTIF", "PASSIF", "CHARGES", "PRODUITS", ... */
    const char *label;
    int64_t amount[STMT_COLS_MAX];
    bool total;
} stmt_line;

#define STMT_LINES_MAX 64

typedef struct stmt_result {
    stmt_line lines[STMT_LINES_MAX];
    size_t count;
    bool overflow;
} stmt_result;

/* Compute every line.  Totals: actif = passif (the result of the year, not
 * yet closed into 120/129, is part of the fonds propres), result = produits -
 * charges, class 8 emplois = contributions. */
void stmt_compute(const stmt_input *in, stmt_result *out);
/* Find a line by label (for tests). */
const stmt_line *stmt_find(const stmt_result *r, const char *label);
/* Render as a table (label column, one money column per input column). */
int stmt_render(const stmt_input *in, const stmt_result *r, enum out_format fmt, FILE *f);

#endif
