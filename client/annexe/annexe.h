/*
 * client/annexe/annexe.h — the tables of the annexe of an association's
 * annual accounts (règlement ANC 2018-06, annexe; issue 20) that the books
 * can compute, and their ties to the balance sheet.  Pure computation: no
 * I/O but the renderer (annexe_html.c), no daemon, no gettext (the page is
 * in French, as the accounts it belongs to).
 *
 * Input: per account, its balance at the opening of the year (debit -
 * credit, after the previous year's result-closing entry: classes 6-7 are
 * 0 there, 120/129 hold the result), its debits and credits of the year
 * without the à-nouveaux, and (class 8) its balance of the year; plus the
 * balance sheet of the year (stmt_result, column 0 the year, column 1 the
 * previous year if any) and the rows it was computed from (the same
 * stmt_account rows: balances per auxiliary account, debit and credit
 * parts apart), for the table of receivables and payables.
 *
 * Tables (each row: label, accounts, amounts; a total row):
 *  - AX_GROSS   immobilisations, valeurs brutes (classes 20-27 but 28/29):
 *               opening, increases (debits), decreases (credits), closing;
 *               one row per account group 20, 21, 22, 23, 24, 25, 26, 27;
 *  - AX_DEPREC  amortissements (28) and dépréciations (29) of the fixed
 *               assets: opening, dotations (credits), reprises and
 *               sorties (debits), closing, shown as credit - debit;
 *  - AX_PROV    provisions (15: 151 risques, other 15 charges) and the
 *               dépréciations of the actif circulant (39, 49, 59): the same
 *               columns;
 *  - AX_FUNDS   fonds reportés et dédiés (19x per account): opening,
 *               reports (credits), utilisations (debits), closing;
 *  - AX_EQUITY  variation des fonds propres: one row per heading of the
 *               balance sheet's "Fonds propres" (accounts 10-14 and the
 *               year's result): opening, affectation du résultat (the
 *               year's movements of 106, 11 and 12), increases, decreases,
 *               closing; the year's result is the increase (surplus) or
 *               decrease (deficit) of its row;
 *  - AX_MATURITY créances et dettes by maturity: gross amount, à un an au
 *               plus, à plus d'un an.  The books record no due dates, so
 *               the rule is by account: loans and borrowings 16 (but 1688,
 *               accrued interest) and the receivables of the actif
 *               immobilisé 27 (but 2768) are over one year, everything
 *               else (classes 4 and 5, 1688, 2768) within one year.  Rows:
 *               the receivables headings of the actif (gross) and the debt
 *               headings of the passif, each as the balance sheet places
 *               its balances;
 *  - AX_CVN     contributions volontaires en nature by nature (the balance
 *               sheet's CVN headings: 870/871/875, 860/861/862/864).
 *
 * Ties: every table total that has a balance-sheet line equal to it is
 * checked (ax_tie_check): gross closing = gross of "Total I — Actif
 * immobilisé", depreciation closing = its amortissements et dépréciations,
 * 15 = "Total III — Provisions", 39+49+59 = the actif circulant's
 * dépréciations, 19 = "Total II — Fonds reportés et dédiés", each equity
 * row's closing = its heading, the equity total's closing = "Total I —
 * Fonds propres" and its opening = the previous year's, each receivable and
 * debt row = its heading (the receivables gross), the CVN totals = theirs.
 *
 * Money: int64 cents, every sum checked; an overflow sets `overflow`.
 */
#ifndef GL_ANNEXE_H
#define GL_ANNEXE_H

#include "client/statements/statements.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct ax_account {
    const char *account;
    int64_t opening;       /* debit - credit at the opening */
    int64_t debit, credit; /* the year's movements, à-nouveaux left out (each >= 0) */
} ax_account;

enum ax_table { AX_GROSS, AX_DEPREC, AX_PROV, AX_FUNDS, AX_EQUITY, AX_MATURITY, AX_CVN, AX_TABLES };

#define AX_COLS_MAX 5
#define AX_ROWS_MAX 24
#define AX_LABEL_MAX 120

typedef struct ax_row {
    char label[AX_LABEL_MAX];
    const char *accounts; /* e.g. "21", "c40"; NULL for none */
    const char *key;      /* the balance-sheet heading it ties to, or NULL */
    int64_t v[AX_COLS_MAX];
    bool title;    /* a group title (no amounts) */
    bool subtotal; /* a subtotal of the rows since the last title */
} ax_row;

typedef struct ax_tab {
    const char *title;
    size_t ncols;
    const char *cols[AX_COLS_MAX];
    ax_row rows[AX_ROWS_MAX];
    size_t count;
    int64_t total[AX_COLS_MAX];
    bool any;      /* some amount is not zero */
    bool no_total; /* the rows do not add up to one total (créances and dettes) */
} ax_tab;

typedef struct ax_input {
    enum stmt_model model;
    const ax_account *accounts; /* one row per account (the same account at most once) */
    size_t count;
    const stmt_account *bilan_rows; /* what the bilan's column 0 was computed from */
    size_t bilan_count;
    const stmt_result *bilan; /* the CVN headings are its own (columns 0 and 1) */
    bool with_prev;           /* bilan has the previous year in column 1 */
} ax_input;

#define AX_TIES_MAX 48
#define AX_WHY_MAX 200
typedef struct ax_tie {
    char what[AX_WHY_MAX];
    int64_t table, bilan;
    bool ok;
} ax_tie;

typedef struct ax_result {
    ax_tab t[AX_TABLES];
    bool overflow;
    ax_tie ties[AX_TIES_MAX];
    size_t tie_count;
    /* their failures (table != bilan) */
    size_t failed;
} ax_result;

/* The tables.  Never fails: an overflow sets out->overflow. */
void ax_compute(const ax_input *in, ax_result *out);

/* Check every tie of r against bilan (column 0: the year; column 1, when
 * with_prev: the previous year), fill r->ties and return the number that
 * fail (also r->failed).  An overflow of either counts as one failure. */
size_t ax_tie_check(ax_result *r, const stmt_result *bilan, bool with_prev);

/* The narrative sections, from the accountant's notes file
 * (docs/annexe-notes-template.md): "# Heading" lines open a section, the
 * text up to the next heading is its body.  The four sections of the
 * annexe are known by their heading (case and accents as written in the
 * template; the comparison ignores case of ASCII letters and surrounding
 * spaces); any other heading is kept as an extra section, in order. */
enum ax_section {
    AX_RULES,   /* Règles et méthodes comptables */
    AX_EVENTS,  /* Faits caractéristiques de l'exercice */
    AX_COMMIT,  /* Engagements hors bilan */
    AX_AFTER,   /* Événements postérieurs à la clôture */
    AX_SECTIONS /* known sections */
};
#define AX_EXTRA_MAX 8
typedef struct ax_notes {
    char *body[AX_SECTIONS]; /* malloc'd text, or NULL (non renseigné) */
    char *extra_title[AX_EXTRA_MAX];
    char *extra_body[AX_EXTRA_MAX];
    size_t extra;
} ax_notes;

/* The heading of a known section, as the page prints it. */
const char *ax_section_title(enum ax_section s);
/* Parse text (len bytes, UTF-8).  Returns 0, or -1 with a sentence in why
 * (out of memory, a NUL byte, more than AX_EXTRA_MAX other sections, a
 * section twice); notes is then freed. */
int ax_notes_parse(const char *text, size_t len, ax_notes *notes, char *why, size_t why_len);
void ax_notes_free(ax_notes *notes);

/* Staff numbers from the time sheets of the year: distinct employees and
 * the mean full-time equivalent over 12 months, in thousandths. */
typedef struct ax_staff {
    bool known; /* time sheets recorded employees this year */
    size_t employees;
    uint64_t fte_per_mille;
} ax_staff;

/* The fonds dédiés per dedicated grant, as `dedicated-funds` computes them
 * (client/funds/: the booked amounts when the year's entries exist, else
 * the computed ones); the last row, `total`, their sum. */
typedef struct ax_grant_row {
    char grant[40], funder[40], label[AX_LABEL_MAX];
    int64_t v[5]; /* opening, reports, uses, transfers, closing */
    bool total;
} ax_grant_row;

typedef struct ax_doc {
    const char *entity, *siren;
    uint16_t fy;
    uint32_t from, to, printed;
    bool provisional;
    bool with_prev;
    const ax_notes *notes;
    ax_staff staff;
    const ax_grant_row *grants; /* or NULL */
    size_t ngrants;             /* the total row included */
} ax_doc;

/* The page: self-contained HTML, A4 portrait, a page break between the
 * tables, every outside text escaped.  0 or -1 on a write error. */
int ax_render_html(const ax_result *r, const stmt_result *bilan, const ax_doc *doc, FILE *f);

#endif
