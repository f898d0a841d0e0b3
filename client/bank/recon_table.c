/*
 * client/bank/recon_table.c — the état de rapprochement as text for the
 * terminal (aligned: labels padded by display columns, amounts right
 * aligned, long labels cut with "…") and as CSV (one row per line, total
 * and sum, with a section column; amounts "1234.56", the client's CSV).
 */
#include "recon_render.h"

#include "proto/money.h"

#include "client/cli/i18n.h"
#include "client/output/output.h"

#include <string.h>

#define WIDTH_LABEL 62 /* a sum's label */
#define WIDTH_AMOUNT 18
#define WIDTH_REF 16
#define WIDTH_TEXT 33

typedef struct table_ctx {
    FILE *f;
    const gl_recon_report *r;
    size_t rows;
} table_ctx;

/* s then spaces up to width display columns (s cut to fit). */
static void pad(FILE *f, const char *s, size_t width)
{
    char cut[512];
    out_fit(s, width, cut, sizeof cut);
    fputs(cut, f);
    for (size_t w = out_display_width(cut); w < width; w++)
        fputc(' ', f);
}

static void amount_line(FILE *f, const char *indent, const char *label, int64_t cents)
{
    char m[GL_MONEY_TEXT_MAX];
    fputs(indent, f);
    pad(f, label, WIDTH_LABEL - strlen(indent));
    fprintf(f, "%*s\n", WIDTH_AMOUNT, recon_money(cents, m));
}

static void t_start(void *ctx, const gl_recon_report *r, const recon_totals *t)
{
    table_ctx *c = ctx;
    char line[320];
    fprintf(c->f, "%s\n", recon_title());
    recon_subtitle(r, line, sizeof line);
    fprintf(c->f, "%s\n", line);
    recon_period(r, line, sizeof line);
    fprintf(c->f, "%s\n", line);
    recon_note notes[RECON_NOTES_MAX];
    size_t n = recon_notes(r, t, notes);
    for (size_t i = 0; i < n; i++)
        fprintf(c->f, "%s %s\n", notes[i].alert ? "!!" : "--", notes[i].text);
    fputc('\n', c->f);
}

static void t_sum(void *ctx, recon_sum which, int64_t cents)
{
    table_ctx *c = ctx;
    char text[200], label[210], m[GL_MONEY_TEXT_MAX];
    recon_sum_label(c->r, which, text, sizeof text);
    snprintf(label, sizeof label, "%s%s", recon_sum_op(which), text);
    if (which == RECON_SUM_RECAP_STATEMENT)
        fputc('\n', c->f);
    if (which != RECON_SUM_DIFFERENCE) {
        amount_line(c->f, "", label, cents);
        if (which == RECON_SUM_STATEMENT)
            fputc('\n', c->f);
        return;
    }
    pad(c->f, label, WIDTH_LABEL);
    fprintf(c->f, "%*s  %s\n", WIDTH_AMOUNT, recon_money(cents, m), recon_difference_word(cents));
}

static void t_section(void *ctx, recon_section s)
{
    table_ctx *c = ctx;
    if (s == RECON_CREDITS)
        fprintf(c->f, "%s\n", recon_books_title());
    if (s == RECON_BANK_ONLY)
        fprintf(c->f, "\n%s\n", recon_section_title(s));
    else
        fprintf(c->f, "  %s\n", recon_section_title(s));
    const char *cols[4];
    recon_columns(s != RECON_BANK_ONLY, cols);
    fputs("    ", c->f);
    pad(c->f, cols[0], 12);
    pad(c->f, cols[1], WIDTH_REF + 1);
    pad(c->f, cols[2], WIDTH_TEXT);
    fprintf(c->f, "%*s\n", (int)(WIDTH_AMOUNT - 4 + strlen(cols[3]) - out_display_width(cols[3])),
            cols[3]);
    c->rows = 0;
}

static void t_row(void *ctx, recon_section s, const recon_row *row)
{
    (void)s;
    table_ctx *c = ctx;
    char d[11], ref[GL_PIECE_MAX + 1], label[GL_LABEL_MAX + 1], m[GL_MONEY_TEXT_MAX];
    fprintf(c->f, "    %-12s", i18n_date(row->date, d));
    pad(c->f, recon_cstr(row->ref, ref, sizeof ref), WIDTH_REF);
    fputc(' ', c->f);
    pad(c->f, recon_cstr(row->label, label, sizeof label), WIDTH_TEXT);
    fprintf(c->f, "%*s\n", WIDTH_AMOUNT - 4, recon_money(row->amount_cents, m));
    c->rows++;
}

static void t_total(void *ctx, recon_section s, int64_t cents)
{
    (void)s;
    table_ctx *c = ctx;
    if (!c->rows)
        fprintf(c->f, "    %s\n", recon_none());
    amount_line(c->f, "    ", recon_total_label(), cents);
}

bool recon_render_table(const gl_recon_report *r, FILE *f)
{
    table_ctx c = {f, r, 0};
    recon_walker w = {&c, t_start, t_sum, t_section, t_row, t_total};
    return recon_walk(r, &w) && !ferror(f);
}

/* ---- CSV ---- */

static const char *const sum_keys[RECON_SUM_COUNT_] = {"statement_balance",
                                                       "recap_statement_balance",
                                                       "plus_books_not_on_statement",
                                                       "minus_statement_not_in_books",
                                                       "reconciled_balance",
                                                       "books_balance",
                                                       "difference"};
static const char *const section_keys[] = {"books_credit", "books_debit", "statement_only"};
static const char *const total_keys[] = {"books_credit_total", "books_debit_total",
                                         "statement_only_total"};

typedef struct csv_ctx {
    out_table *t;
    const gl_recon_report *r;
} csv_ctx;

static void c_start(void *ctx, const gl_recon_report *r, const recon_totals *t)
{
    (void)ctx, (void)r, (void)t;
}

static void c_sum(void *ctx, recon_sum which, int64_t cents)
{
    csv_ctx *c = ctx;
    char label[200];
    recon_sum_label(c->r, which, label, sizeof label);
    out_cstr(c->t, sum_keys[which]);
    out_date(c->t, c->r->at);
    out_cstr(c->t, "");
    out_cstr(c->t, label);
    out_money(c->t, cents);
}

static void c_section(void *ctx, recon_section s) { (void)ctx, (void)s; }

static void c_row(void *ctx, recon_section s, const recon_row *row)
{
    csv_ctx *c = ctx;
    out_cstr(c->t, section_keys[s]);
    out_date(c->t, row->date);
    out_text(c->t, row->ref.ptr ? row->ref.ptr : "", row->ref.len);
    out_text(c->t, row->label.ptr ? row->label.ptr : "", row->label.len);
    out_money(c->t, row->amount_cents);
}

static void c_total(void *ctx, recon_section s, int64_t cents)
{
    csv_ctx *c = ctx;
    out_cstr(c->t, total_keys[s]);
    out_date(c->t, c->r->at);
    out_cstr(c->t, "");
    out_cstr(c->t, recon_section_title(s));
    out_money(c->t, cents);
}

bool recon_render_csv(const gl_recon_report *r, FILE *f)
{
    static const out_col cols[] = {{"section", OUT_REF},
                                   {"date", OUT_DATE},
                                   {"reference", OUT_REF},
                                   {"label", OUT_TEXT},
                                   {"amount", OUT_MONEY}};
    csv_ctx c = {out_new(cols, sizeof cols / sizeof cols[0]), r};
    if (!c.t)
        return false;
    recon_walker w = {&c, c_start, c_sum, c_section, c_row, c_total};
    bool ok = recon_walk(r, &w) && out_render(c.t, OUT_CSV, f) == 0;
    out_free(c.t);
    return ok;
}
