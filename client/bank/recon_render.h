/*
 * client/bank/recon_render.h — private to the état de rapprochement
 * (recon_report.c and its formats recon_table.c, recon_json.c,
 * recon_html.c): the walk every format follows, the totals it shows, and
 * the texts (English msgids, translated by gettext where printed) all
 * formats share.
 */
#ifndef GL_BANK_RECON_RENDER_H
#define GL_BANK_RECON_RENDER_H

#include "match.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef enum {
    RECON_CREDITS = 0,   /* ledger credits not on the statement: cheques issued, debits */
    RECON_DEBITS = 1,    /* ledger debits not on the statement: deposits, transfers */
    RECON_BANK_ONLY = 2, /* statement lines not in the books */
} recon_section;

typedef enum {
    RECON_SUM_STATEMENT = 0, /* the statement's balance at the date, first */
    RECON_SUM_RECAP_STATEMENT,
    RECON_SUM_PLUS_BOOKS,
    RECON_SUM_MINUS_BANK,
    RECON_SUM_RECONCILED,
    RECON_SUM_BOOKS,
    RECON_SUM_DIFFERENCE,
    RECON_SUM_COUNT_
} recon_sum;

typedef struct recon_totals {
    int64_t credits_cents, debits_cents; /* the ledger side's two lists */
    int64_t books_cents;                 /* their sum */
    int64_t bank_cents;                  /* the statement lines not in the books */
    int64_t reconciled_cents;            /* statement + books_cents - bank_cents */
    int64_t residual_cents;              /* books' balance - reconciled */
} recon_totals;

typedef struct recon_row {
    uint32_t date;
    gl_str ref; /* the piece, or the bank's reference */
    gl_str label;
    int64_t amount_cents;
    const gl_recon_book *book; /* one of these two */
    const gl_recon_bank *bank;
} recon_row;

typedef struct recon_walker {
    void *ctx;
    void (*start)(void *ctx, const gl_recon_report *r, const recon_totals *t);
    void (*sum)(void *ctx, recon_sum which, int64_t cents);
    void (*section)(void *ctx, recon_section s);
    void (*row)(void *ctx, recon_section s, const recon_row *row);
    void (*total)(void *ctx, recon_section s, int64_t cents);
} recon_walker;

/* Visit the report; false (nothing visited) when a total overflows. */
bool recon_walk(const gl_recon_report *r, const recon_walker *w);

/* Texts, translated: a section's title, the title of the two ledger
 * lists together, a sum's label (with the report's date where it says
 * "at"), the column titles (book: the ledger lists, else the bank's). */
const char *recon_section_title(recon_section s);
const char *recon_books_title(void);
void recon_sum_label(const gl_recon_report *r, recon_sum which, char *out, size_t cap);
/* What the recap writes before a sum's label: "+ ", "- ", "= " or "". */
const char *recon_sum_op(recon_sum which);
const char *recon_title(void);
void recon_columns(bool book, const char *out[4]);
const char *recon_none(void);
const char *recon_total_label(void);

/* What the reader must know before the numbers: no statement, no opening
 * balance, lists cut, the statements stop before the date, an unexplained
 * difference (alert: said loudly). */
#define RECON_NOTES_MAX 6
typedef struct recon_note {
    char text[320];
    bool alert;
} recon_note;
size_t recon_notes(const gl_recon_report *r, const recon_totals *t, recon_note *out);
/* "Account 512000 (label), IBAN FR76..." and "at 31/12/2025; from ...". */
void recon_subtitle(const gl_recon_report *r, char *out, size_t cap);
void recon_period(const gl_recon_report *r, char *out, size_t cap);

/* Cents as the language writes them in text: "-1 234,56" in French,
 * "-1234.56" in English (out: GL_MONEY_TEXT_MAX bytes). */
char *recon_money(int64_t cents, char *out);
/* Words said after the difference: "reconciled to the cent" or, loudly,
 * the unexplained opening difference. */
const char *recon_difference_word(int64_t residual_cents);

/* A gl_str as a C string in out (cap bytes), cut at a UTF-8 boundary. */
char *recon_cstr(gl_str s, char *out, size_t cap);

/* The formats: false on an overflow or a write error. */
bool recon_render_table(const gl_recon_report *r, FILE *f);
bool recon_render_csv(const gl_recon_report *r, FILE *f);
bool recon_render_json(const gl_recon_report *r, FILE *f);
bool recon_render_html(const gl_recon_report *r, FILE *f);

#endif
