/*
 * client/bank/recon_report.c — the état de rapprochement (client/bank/
 * match.h): its sums, checked to the cent, and its four renderings.
 *
 * One walk (recon_walk) visits the report in the order an auditor reads
 * it, and each format is a set of callbacks over that walk:
 *   the bank statement's balance at the date;
 *   the ledger lines not yet on the statement, credits (cheques issued,
 *     direct debits not yet debited) then debits (deposits and transfers
 *     not yet credited), each with its total;
 *   the statement lines not in the books, with their total;
 *   the recap: statement balance + ledger lines not on the statement
 *     - statement lines not in the books = reconciled bank balance; the
 *     books' balance; the difference (books - reconciled), 0,00 when the
 *     reconciliation holds, else an unexplained opening difference, said
 *     loudly.
 * Amounts carry the bank's sign on both sides (money in > 0, a debit of
 * the 512 account).  Nothing is recomputed per format: every total comes
 * from the same checked sums.
 */
#include "match.h"
#include "recon_render.h"

#include "proto/money.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool gl_recon_report_sums(gl_recon_report *r)
{
    int64_t bank = 0, book = 0;
    for (size_t i = 0; i < r->nbank; i++)
        if (!gl_money_add(&bank, r->bank[i].line.amount_cents))
            return false;
    for (size_t i = 0; i < r->nbook; i++)
        if (!gl_money_add(&book, r->book[i].amount_cents))
            return false;
    int64_t reconciled = r->head.bank_at_cents, residual = r->head.books_at_cents;
    if (!gl_money_sub(&reconciled, bank) || !gl_money_add(&reconciled, book) ||
        !gl_money_sub(&residual, reconciled))
        return false;
    r->bank_not_in_books_cents = bank;
    r->books_not_on_bank_cents = book;
    r->residual_cents = residual;
    return true;
}

/* The totals the walk shows, from the checked sums (credits and debits of
 * the ledger side apart). */
static bool totals(const gl_recon_report *r, recon_totals *t)
{
    gl_recon_report s = *r;
    if (!gl_recon_report_sums(&s))
        return false;
    *t = (recon_totals){0};
    for (size_t i = 0; i < r->nbook; i++) {
        int64_t *side = r->book[i].amount_cents < 0 ? &t->credits_cents : &t->debits_cents;
        if (!gl_money_add(side, r->book[i].amount_cents))
            return false;
    }
    t->bank_cents = s.bank_not_in_books_cents;
    t->books_cents = s.books_not_on_bank_cents;
    t->residual_cents = s.residual_cents;
    t->reconciled_cents = r->head.bank_at_cents;
    return gl_money_sub(&t->reconciled_cents, t->bank_cents) &&
           gl_money_add(&t->reconciled_cents, t->books_cents);
}

static void book_section(const gl_recon_report *r, const recon_walker *w, recon_section sec,
                         int64_t total)
{
    w->section(w->ctx, sec);
    for (size_t i = 0; i < r->nbook; i++) {
        const gl_recon_book *k = &r->book[i];
        if ((k->amount_cents < 0) != (sec == RECON_CREDITS))
            continue;
        recon_row row = {k->date, k->piece, k->label, k->amount_cents, k, NULL};
        w->row(w->ctx, sec, &row);
    }
    w->total(w->ctx, sec, total);
}

static void bank_section(const gl_recon_report *r, const recon_walker *w, int64_t total)
{
    w->section(w->ctx, RECON_BANK_ONLY);
    for (size_t i = 0; i < r->nbank; i++) {
        const gl_bank_line_w *l = &r->bank[i].line;
        gl_str ref = l->bank_ref.len ? l->bank_ref : l->end_to_end;
        recon_row row = {l->booking, ref, l->label, l->amount_cents, NULL, &r->bank[i]};
        w->row(w->ctx, RECON_BANK_ONLY, &row);
    }
    w->total(w->ctx, RECON_BANK_ONLY, total);
}

bool recon_walk(const gl_recon_report *r, const recon_walker *w)
{
    recon_totals t;
    if (!totals(r, &t))
        return false;
    w->start(w->ctx, r, &t);
    w->sum(w->ctx, RECON_SUM_STATEMENT, r->head.bank_at_cents);
    book_section(r, w, RECON_CREDITS, t.credits_cents);
    book_section(r, w, RECON_DEBITS, t.debits_cents);
    bank_section(r, w, t.bank_cents);
    w->sum(w->ctx, RECON_SUM_RECAP_STATEMENT, r->head.bank_at_cents);
    w->sum(w->ctx, RECON_SUM_PLUS_BOOKS, t.books_cents);
    w->sum(w->ctx, RECON_SUM_MINUS_BANK, t.bank_cents);
    w->sum(w->ctx, RECON_SUM_RECONCILED, t.reconciled_cents);
    w->sum(w->ctx, RECON_SUM_BOOKS, r->head.books_at_cents);
    w->sum(w->ctx, RECON_SUM_DIFFERENCE, t.residual_cents);
    return true;
}

char *gl_recon_report_render(const gl_recon_report *r, gl_recon_format f)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out)
        return NULL;
    bool ok;
    switch (f) {
    case GL_RECON_CSV: ok = recon_render_csv(r, out); break;
    case GL_RECON_JSON: ok = recon_render_json(r, out); break;
    case GL_RECON_HTML: ok = recon_render_html(r, out); break;
    default: ok = recon_render_table(r, out); break;
    }
    if (fclose(out) != 0 || !ok) {
        free(text);
        return NULL;
    }
    return text;
}
