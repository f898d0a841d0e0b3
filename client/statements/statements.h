/*
 * client/statements/statements.h — the annual accounts of an association in
 * the presentation of règlement ANC 2018-06: the balance sheet (bilan:
 * actif, passif, classes 1-5), the income statement (compte de résultat:
 * produits and charges of classes 6-7, the intermediate results and the
 * excédent ou déficit) and, below the result, the contributions volontaires
 * en nature (class 8: 87 contributions, 86 emplois).
 *
 * Input: account balances (net = debit - credit) in `ncols` columns — one
 * fiscal year of one association, or each entity of the group, the
 * eliminations and the combined total.  Output: every line of the
 * statements, with its amount per column shown on the side the line belongs
 * to (an asset or a charge as debit - credit, a liability or a produit as
 * credit - debit).  Pure computation: no I/O except the rendering
 * functions, no daemon.
 *
 * Mapping.  Each heading lists account prefixes, each usable for any
 * balance ("491"), a debit balance only ("d41") or a credit balance only
 * ("c40"); an account goes to the heading of the LONGEST prefix that accepts
 * its balance, within each statement.  So a 401 supplier with a debit
 * balance is an asset (autres créances), a 512 bank with a credit balance a
 * liability (dettes auprès des établissements de crédit), a 28 depreciation
 * reduces the fixed assets.  Catch-all prefixes ("2", "d4", "c5", "6"...)
 * give every account of classes 1-7 exactly one heading of the bilan, every
 * account of classes 6-7 one of the compte de résultat and every 86/87
 * account one of the contributions en nature; classes 6 and 7 also form, in
 * the passif, the "Résultat de l'exercice" (produits - charges not yet
 * closed into 120/129), which is what makes TOTAL ACTIF = TOTAL PASSIF.
 * Other accounts (class 9, class 8 outside 86/87) are in no statement and
 * are counted in `ignored`.
 *
 * Money is exact: int64 cents, every sum checked (proto/money.h); an
 * overflow sets `overflow` and the amounts must then not be used.
 */
#ifndef GL_STATEMENTS_H
#define GL_STATEMENTS_H

#include "client/cli/output.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define STMT_COLS_MAX 72
#define STMT_LINES_MAX 128
#define STMT_COL_NAME_MAX 48
#define STMT_ACCOUNT_MAX 20

typedef struct stmt_account {
    const char *account;
    int64_t net[STMT_COLS_MAX]; /* debit - credit */
} stmt_account;

enum stmt_col_kind {
    /* Balances, each classified by its own sign. */
    STMT_COL_BALANCE = 0,
    /* Eliminations: amounts that remove intercompany balances from the
     * columns before; each is classified by the side of the balance it
     * removes (an elimination of -x on 411 reduces the receivables). */
    STMT_COL_ELIMINATIONS,
    /* Line by line, the sum of the columns sum_from .. this one - 1 (which
     * must not be sums themselves): the combined column. */
    STMT_COL_SUM,
};

typedef struct stmt_input {
    size_t ncols;
    const char *col_names[STMT_COLS_MAX];
    enum stmt_col_kind col_kind[STMT_COLS_MAX];
    size_t sum_from[STMT_COLS_MAX];
    const stmt_account *accounts; /* the same account may appear several times */
    size_t count;
} stmt_input;

enum stmt_part { STMT_ACTIF, STMT_PASSIF, STMT_RESULTAT, STMT_CVN };
enum stmt_kind { STMT_TITLE, STMT_ITEM, STMT_TOTAL };
/* The three statements an account can appear in. */
enum stmt_statement { STMT_BILAN, STMT_CR, STMT_CVN_STATEMENT };

/* One line: a group title (no amounts), a heading fed by accounts, or a
 * total / intermediate result computed from other lines. */
typedef struct stmt_line {
    enum stmt_part part;
    enum stmt_kind kind;
    bool major;          /* a grand total or a result (emphasised) */
    const char *key;     /* stable id, e.g. "actif.disponibilites" */
    const char *section; /* the part's name, e.g. "ACTIF" */
    const char *label;   /* the ANC 2018-06 heading */
    const char *accounts; /* ITEM: its account prefixes, e.g. "d41 491" */
    int64_t amount[STMT_COLS_MAX];
} stmt_line;

typedef struct stmt_result {
    size_t ncols;
    char col_names[STMT_COLS_MAX][STMT_COL_NAME_MAX];
    stmt_line lines[STMT_LINES_MAX];
    size_t count;
    bool overflow;
    /* input rows with a balance that no statement takes (class 9, class 8
     * outside 86/87), and the first of them */
    size_t ignored;
    char ignored_example[STMT_ACCOUNT_MAX + 1];
} stmt_result;

/* Compute every line of every statement.  Never fails: an overflow sets
 * out->overflow (the amounts are then meaningless); accounts in no
 * statement are counted in out->ignored.  Asserts on a malformed input
 * (ncols out of range, a sum column reaching past itself or over a sum). */
void stmt_compute(const stmt_input *in, stmt_result *out);

/* Append column `col` of src (computed by stmt_compute, e.g. the previous
 * year) to dst as its last column, named `name`.  Returns 0, or -1 if dst
 * has no room left (dst unchanged).  Propagates src's overflow and ignored
 * accounts. */
int stmt_append_column(stmt_result *dst, const stmt_result *src, size_t col, const char *name);

/* A line by key ("passif.total") or by label; NULL if none. */
const stmt_line *stmt_find(const stmt_result *r, const char *key_or_label);

/* The key of the heading that receives a balance of `net` (its sign only
 * matters) on `account` in one statement, or NULL if the account is not
 * part of that statement. */
const char *stmt_classify(enum stmt_statement s, const char *account, int64_t net);

/* Check column col: TOTAL ACTIF = TOTAL PASSIF, the result in the passif =
 * the result of the compte de résultat, contributions en nature = their
 * emplois.  Returns 0, or -1 with the first discrepancy described in why. */
int stmt_check(const stmt_result *r, size_t col, char *why, size_t why_len);

/* The same checks, every one of them: each that fails is described in
 * why[0], why[1]... (at most max, STMT_CHECKS_MAX being every check) and
 * their number is returned (0: the column holds).  An overflow is one
 * failure that ends the list (the amounts then mean nothing). */
#define STMT_CHECKS_MAX 3
#define STMT_WHY_MAX 200
size_t stmt_check_all(const stmt_result *r, size_t col, char why[][STMT_WHY_MAX], size_t max);

/* Check the heading table itself (every total refers to earlier lines, no
 * two prefixes of a statement accept the same balance).  Returns 0 or -1
 * with the reason in why.  For the tests. */
int stmt_table_check(char *why, size_t why_len);

/* Render as a table (table / table-fr: section, heading and one column per
 * amount column, group titles and all-zero headings left out) or as data
 * (csv / json: section, key, heading and the amounts, every heading and
 * total; JSON amounts in integer cents).  Returns 0 or -1 (out of memory,
 * write error). */
int stmt_render(const stmt_result *r, enum out_format fmt, FILE *f);

#endif
