/*
 * client/funds/funds_annexe.h — the fonds dédiés of funds.h rendered: the
 * per-grant table (table, CSV, JSON through client/output/), the proposed
 * entries as ledger rows, and the annexe "tableau de variation des fonds
 * dédiés" (ANC 2018-06: à l'ouverture, reports, utilisations, transferts,
 * à la clôture; per grant and in total) as one self-contained printable
 * HTML page (A4 portrait, inline CSS, every outside text escaped).  The
 * page's words are the caller's (translated), so that this folder needs
 * no gettext.
 */
#ifndef GL_FUNDS_ANNEXE_H
#define GL_FUNDS_ANNEXE_H

#include "funds.h"

#include "client/output/output.h"

#include <stdbool.h>
#include <stdio.h>

/* Per grant: grant, label, funder, action, account, granted, charges,
 * used_of_year, at_opening, reports, uses, transfers, at_closing, state
 * ("proposed", "booked", "booked, differs"); people: a TOTAL row, label,
 * account and state hidden (the state is said under the table).  NULL when out of memory. */
out_table *fd_table(const fd_result *r, size_t n, const fd_totals *totals, bool people);

/* The entries' lines: date, journal, piece, account, label, debit,
 * credit, codes.  NULL when out of memory. */
out_table *fd_entries_table(const fd_entry *e, size_t n);

#define FD_DOC_NOTES_MAX 8
#define FD_DOC_METHOD_MAX 6
typedef struct fd_doc {
    const char *lang;     /* "en", "fr" */
    const char *title;    /* "Tableau de variation des fonds dédiés" */
    const char *subtitle; /* "Fonds dédiés sur subventions d'exploitation (194)" */
    const char *entity;   /* the association's name */
    const char *period_word, *funder_word, *action_word, *total_word;
    const char *col_grant;
    const char *col_amounts[5]; /* opening, reports, uses, transfers, closing */
    uint16_t fy;
    uint32_t from, to, printed; /* printed 0: not shown */
    const char *notes[FD_DOC_NOTES_MAX];
    size_t note_count;
    const char *method[FD_DOC_METHOD_MAX]; /* paragraphs under the table, NULL-ended */
    const char *footer;
} fd_doc;

/* Write the page to f: 0, or -1 on a write error. */
int fd_render_html(const fd_result *r, size_t n, const fd_totals *t, const fd_doc *doc, FILE *f);

#endif
