/*
 * client/statements/html.h — the statements as one self-contained printable
 * HTML page: UTF-8, inline CSS only (no script, no external asset), A4
 * pages (@page; portrait up to three amount columns, landscape beyond),
 * French number formatting ("1 234,56" with narrow no-break spaces), a title
 * with the association's or the group's name, SIREN, fiscal year, dates and
 * the regulation whose model is used, then the bilan (actif, passif), the
 * compte de résultat and, below the result, the contributions volontaires
 * en nature; last, when a column was reclassified into the 2025 model, the
 * note with the table used, account by account.  Every text that comes
 * from outside (names, column titles, notes) is escaped.
 */
#ifndef GL_STATEMENTS_HTML_H
#define GL_STATEMENTS_HTML_H

#include "statements.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define STMT_DOC_NOTES_MAX 16

typedef struct stmt_doc {
    const char *heading; /* e.g. "Comptes annuels" or "Comptes combinés" */
    const char *entity;  /* the association's or the group's name */
    const char *siren;   /* 9 digits, or NULL / "" */
    uint16_t fy;         /* the fiscal year (named by the year it ends in) */
    uint32_t from, to;   /* its first and last day, YYYYMMDD */
    uint32_t printed;    /* the day the document is made (0: not shown) */
    const char *detail;  /* a line under the period (e.g. the entities), or NULL */
    /* per amount column: the title (NULL: the result's column name) and a
     * second line such as the period it covers (NULL: none) */
    const char *col_titles[STMT_COLS_MAX];
    const char *col_notes[STMT_COLS_MAX];
    /* remarks printed under the title (differing fiscal years, a check that
     * failed), in order */
    const char *notes[STMT_DOC_NOTES_MAX];
    size_t note_count;
    /* the fiscal year is not closed: « provisoire » in the title, in a
     * banner, and in a mark fixed on the page and a page-margin box, both of
     * which a browser prints on every sheet */
    bool provisional;
} stmt_doc;

/* Write the page to f.  Returns 0, or -1 on a write error. */
int stmt_render_html(const stmt_result *r, const stmt_doc *doc, FILE *f);

/* The title block's lines under the h1: "<p class=who>ENTITY · SIREN …</p>"
 * then "<p class=period>Exercice du FROM au TO · montants en euros · ", the
 * period paragraph left open for the caller to end.  Escaped. */
void stmt_html_who(FILE *f, const char *entity, const char *siren, uint32_t from, uint32_t to);

/* Write s with &, <, >, " and ' escaped (text and attribute values);
 * NULL writes nothing. */
void stmt_html_escape(FILE *f, const char *s);
/* The same for len bytes of s (NUL bytes written as they are). */
void stmt_html_escape_n(FILE *f, const char *s, size_t len);

/* Format cents the French way for HTML into out (at least
 * STMT_HTML_MONEY_MAX bytes): "-1 234,56" with U+202F NARROW NO-BREAK
 * SPACE between groups of thousands.  Returns out. */
#define STMT_HTML_MONEY_MAX 64
char *stmt_html_money(int64_t cents, char *out);

#endif
