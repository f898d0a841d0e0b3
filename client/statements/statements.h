/*
 * client/statements/statements.h — the annual accounts of an association in
 * the model of their fiscal year: the balance sheet (bilan: actif, passif,
 * classes 1-5), the income statement (compte de résultat: produits and
 * charges of classes 6-7, the intermediate results and the excédent ou
 * déficit) and, below the result, the contributions volontaires en nature
 * (class 8: 87 contributions, 86 emplois).
 *
 * Two models.  A fiscal year opened before 2025-01-01 is presented in the
 * models of règlement ANC 2018-06 (STMT_MODEL_2018); one opened on or after
 * that day in the models of 2018-06 as coordinated by règlement ANC 2023-03
 * with the PCG modernised by règlement ANC 2022-06 (STMT_MODEL_2025): no
 * transfers of charges, the release of investment grants (747) and the
 * disposals of fixed assets (757 / 652) in the operating result, an
 * exceptional result limited to major and unusual events.  Which heading
 * differs, and the sources: docs/chart-2025.md.  The balance sheet and the
 * contributions en nature have the same headings in both.
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
 * The comparative year in the 2025 model.  A column whose balances were
 * recorded in the earlier chart (the 2024 column of a 2025 statement; an
 * entity of the group whose fiscal year opened before 2025) is flagged in
 * `map_2018`: each of its accounts that the 2025 chart abolished or gave
 * another meaning is classified as the 2025 account the table of
 * proto/chart_rules.h presents it as (777000 as 747000, a 2024 747000 —
 * then European operating funds — as 741000, 791000 as a deduction of
 * 649000...), as the first application of 2022-06 asks (reclassified, not
 * restated: the result is the same).  The amounts so reclassified are kept
 * per table row and column (`mapped`) for the note that shows them.
 *
 * Money is exact: int64 cents, every sum checked (proto/money.h); an
 * overflow sets `overflow` and the amounts must then not be used.
 */
#ifndef GL_STATEMENTS_H
#define GL_STATEMENTS_H

#include "client/output/output.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define STMT_COLS_MAX 72
#define STMT_LINES_MAX 128
#define STMT_COL_NAME_MAX 48
#define STMT_ACCOUNT_MAX 20
/* rows of proto/chart_rules.c's table that a reclassification can come from */
#define STMT_MAP_ROWS 32

enum stmt_model {
    STMT_MODEL_2018 = 0, /* règlement ANC 2018-06: fiscal years opened before 2025-01-01 */
    STMT_MODEL_2025 =
        1, /* 2018-06 coordinated by 2023-03 with the PCG of 2022-06: from 2025-01-01 */
};

/* The model of a fiscal year whose first day is fy_start_ymd (the same
 * boundary as its chart: proto/chart_rules.h). */
enum stmt_model stmt_model_for_start(uint32_t fy_start_ymd);
/* The regulation a model follows, in French, e.g. "règlement ANC n° 2018-06". */
const char *stmt_model_name(enum stmt_model m);
/* The model's name as a year: 2018 or 2025. */
unsigned stmt_model_year(enum stmt_model m);

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
    /* Adjustments (the combination ledger): each is classified by the side
     * of the balance it corrects, the net of the columns before it on the
     * same account (an adjustment of -x on a 411 whose entities hold +x
     * reduces the receivables, it is no debt); by its own sign when those
     * columns hold nothing on that account. */
    STMT_COL_ADJUSTMENTS,
    /* Line by line, the sum of the columns sum_from .. this one - 1 (which
     * must not be sums themselves): the combined column. */
    STMT_COL_SUM,
};

typedef struct stmt_input {
    enum stmt_model model; /* 0: STMT_MODEL_2018 */
    size_t ncols;
    const char *col_names[STMT_COLS_MAX];
    enum stmt_col_kind col_kind[STMT_COLS_MAX];
    size_t sum_from[STMT_COLS_MAX];
    /* STMT_MODEL_2025 only: the column's balances are in the earlier chart
     * and are reclassified by proto/chart_rules.h (ignored for sums, which
     * add the lines of their columns) */
    bool map_2018[STMT_COLS_MAX];
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
    bool major;           /* a grand total or a result (emphasised) */
    const char *key;      /* stable id, e.g. "actif.disponibilites" */
    const char *section;  /* the part's name, e.g. "ACTIF" */
    const char *label;    /* the ANC 2018-06 heading */
    const char *accounts; /* ITEM: its account prefixes, e.g. "d41 491" */
    int64_t amount[STMT_COLS_MAX];
    /* ACTIF only: the amortissements et dépréciations deducted (the 28, 29,
     * 39, 49 and 59 balances of the line, credit - debit), so that the
     * gross value is amount + deprec; 0 on every other line */
    int64_t deprec[STMT_COLS_MAX];
} stmt_line;

typedef struct stmt_result {
    enum stmt_model model;
    size_t ncols;
    char col_names[STMT_COLS_MAX][STMT_COL_NAME_MAX];
    stmt_line lines[STMT_LINES_MAX];
    size_t count;
    bool overflow;
    /* input rows with a balance that no statement takes (class 9, class 8
     * outside 86/87), and the first of them */
    size_t ignored;
    char ignored_example[STMT_ACCOUNT_MAX + 1];
    /* reclassified into the 2025 model: per column, whether it was, and per
     * row of gl_chart_changes_2025 (same index) the net balance (debit -
     * credit) so presented; a sum column adds those of its columns */
    bool mapped_col[STMT_COLS_MAX];
    int64_t mapped[STMT_MAP_ROWS][STMT_COLS_MAX];
    /* set by the caller after stmt_compute: column 0 is rendered as the
     * model's actif presents it, Brut / Amortissements et dépréciations /
     * Net (stmt_render: two more columns "<name> gross" and "<name>
     * depreciation" before it; the HTML page: the actif's three columns) */
    bool gross_detail;
} stmt_result;

/* Compute every line of every statement.  Never fails: an overflow sets
 * out->overflow (the amounts are then meaningless); accounts in no
 * statement are counted in out->ignored.  Asserts on a malformed input
 * (ncols out of range, a sum column reaching past itself or over a sum). */
void stmt_compute(const stmt_input *in, stmt_result *out);

/* Append column `col` of src (computed by stmt_compute, e.g. the previous
 * year) to dst as its last column, named `name`.  Returns 0, or -1 if dst
 * has no room left or src is in another model (dst unchanged).  Propagates
 * src's overflow, ignored accounts and reclassifications. */
int stmt_append_column(stmt_result *dst, const stmt_result *src, size_t col, const char *name);

/* Whether an account's balance, in the actif, is a deduction (amortissements
 * 28, dépréciations 29, 39, 49, 59) rather than a gross value. */
bool stmt_is_deduction(const char *account);

/* The gross value of line l in column col: amount + deprec; false on an
 * overflow (*out then meaningless). */
bool stmt_gross(const stmt_line *l, size_t col, int64_t *out);

/* Whether a line is zero in every column (its depreciation too). */
bool stmt_line_zero(const stmt_result *r, const stmt_line *l);

/* A line by key ("passif.total") or by label; NULL if none. */
const stmt_line *stmt_find(const stmt_result *r, const char *key_or_label);

/* The key of the heading that receives a balance of `net` (its sign only
 * matters) on `account` in one statement of a model, or NULL if the account
 * is not part of that statement.  stmt_classify: the 2018 model. */
const char *stmt_classify_in(enum stmt_model m, enum stmt_statement s, const char *account,
                             int64_t net);
const char *stmt_classify(enum stmt_statement s, const char *account, int64_t net);
/* The heading (label) of a key in a model, or NULL. */
const char *stmt_heading(enum stmt_model m, const char *key);

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

/* Check the heading tables of both models (every total refers to earlier
 * lines, no two prefixes of a statement accept the same balance).  Returns
 * 0 or -1 with the reason in why.  For the tests. */
int stmt_table_check(char *why, size_t why_len);

/* Render as a table (table / table-fr: section, heading and one column per
 * amount column (with gross_detail, column 0 preceded by its gross value
 * and its amortissements et dépréciations: the gross of a line outside the
 * actif is its amount, its depreciation 0), group titles and all-zero headings left out, then the
 * reclassification note if any column was mapped) or as data (csv / json:
 * section, key, heading and the amounts, every heading and total; JSON
 * amounts in integer cents).  Returns 0 or -1 (out of memory, write
 * error). */
int stmt_render(const stmt_result *r, enum out_format fmt, FILE *f);

/* One line of the reclassification note: a row of gl_chart_changes_2025
 * with an amount in some mapped column. */
typedef struct stmt_map_line {
    const char *from;       /* the earlier chart's account, e.g. "777000" */
    const char *from_label; /* its label in that chart */
    const char *to;         /* the 2025 account it is presented as */
    const char *to_label;   /* its label in the 2025 chart */
    const char *heading;    /* the 2025 heading it lands in (compte de résultat) */
    size_t row;             /* index in gl_chart_changes_2025 */
} stmt_map_line;

/* The note's lines, in table order, into out (at most max); returns their
 * number (0: nothing was reclassified, or no column was mapped). */
size_t stmt_map_lines(const stmt_result *r, stmt_map_line *out, size_t max);

/* Write the note as plain text (after a table): a heading sentence, then
 * one line per reclassified account with its balance per mapped column
 * ("600.00 credit"; French numbers for OUT_TABLE_FR).  Writes nothing when
 * no column was mapped.  Returns 0 or -1 (write error). */
int stmt_render_map_note(const stmt_result *r, enum out_format fmt, FILE *f);

/* A net balance as an amount and its side: *abs_cents >= 0 and *credit,
 * or false for INT64_MIN, whose amount has no int64 (shown signed). */
bool stmt_balance_side(int64_t net, int64_t *abs_cents, bool *credit);

#endif
