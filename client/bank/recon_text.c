/*
 * client/bank/recon_text.c — the words of the état de rapprochement, one
 * place for every format (recon_render.h): English msgids, French through
 * the client's gettext catalog, dates as the language writes them.
 */
#include "recon_render.h"

#include "proto/money.h"

#include "client/cli/i18n.h"

#include <stdio.h>
#include <string.h>

char *recon_cstr(gl_str s, char *out, size_t cap)
{
    size_t len = s.ptr ? s.len : 0;
    if (len >= cap) {
        len = cap - 1;
        while (len > 0 && ((unsigned char)s.ptr[len] & 0xC0) == 0x80)
            len--;
    }
    if (len)
        memcpy(out, s.ptr, len);
    out[len] = '\0';
    return out;
}

char *recon_money(int64_t cents, char *out)
{
    return gl_money_format(cents, i18n_french() ? GL_MONEY_FRENCH : GL_MONEY_PLAIN, out);
}

const char *recon_difference_word(int64_t residual_cents)
{
    return residual_cents ? _("UNEXPLAINED OPENING DIFFERENCE") : _("reconciled to the cent");
}

const char *recon_title(void) { return _("Bank reconciliation statement"); }
const char *recon_books_title(void) { return _("Entries in the books not on the bank statement"); }
const char *recon_none(void) { return _("none"); }
const char *recon_total_label(void) { return _("Total"); }

const char *recon_section_title(recon_section s)
{
    switch (s) {
    case RECON_CREDITS: return _("Cheques issued and direct debits not yet debited");
    case RECON_DEBITS: return _("Deposits and transfers not yet credited");
    default: return _("Bank statement lines not in the books");
    }
}

void recon_columns(bool book, const char *out[4])
{
    out[0] = _("Date");
    out[1] = book ? _("Piece") : _("Reference");
    out[2] = _("Label");
    out[3] = _("Amount");
}

const char *recon_sum_op(recon_sum which)
{
    switch (which) {
    case RECON_SUM_PLUS_BOOKS: return "+ ";
    case RECON_SUM_MINUS_BANK: return "- ";
    case RECON_SUM_RECONCILED: return "= ";
    default: return "";
    }
}

void recon_sum_label(const gl_recon_report *r, recon_sum which, char *out, size_t cap)
{
    char d[11];
    i18n_date(r->at, d);
    switch (which) {
    case RECON_SUM_STATEMENT: snprintf(out, cap, _("Bank statement balance at %s"), d); break;
    case RECON_SUM_RECAP_STATEMENT: snprintf(out, cap, "%s", _("Bank statement balance")); break;
    case RECON_SUM_PLUS_BOOKS: snprintf(out, cap, "%s", recon_books_title()); break;
    case RECON_SUM_MINUS_BANK:
        snprintf(out, cap, "%s", recon_section_title(RECON_BANK_ONLY));
        break;
    case RECON_SUM_RECONCILED: snprintf(out, cap, "%s", _("Reconciled bank balance")); break;
    case RECON_SUM_BOOKS: snprintf(out, cap, _("Balance per the books at %s"), d); break;
    default: snprintf(out, cap, "%s", _("Difference")); break;
    }
}

void recon_subtitle(const gl_recon_report *r, char *out, size_t cap)
{
    char account[GL_ACCOUNT_MAX + 1], iban[GL_BANK_IBAN_MAX + 1], label[GL_BANK_NAME_MAX + 1];
    recon_cstr(r->account, account, sizeof account);
    recon_cstr(r->iban, iban, sizeof iban);
    recon_cstr(r->label, label, sizeof label);
    if (label[0])
        snprintf(out, cap, _("Account %s (%s), IBAN %s"), account, label, iban);
    else
        snprintf(out, cap, _("Account %s, IBAN %s"), account, iban);
}

void recon_period(const gl_recon_report *r, char *out, size_t cap)
{
    char at[11], start[11], last[11];
    i18n_date(r->at, at);
    if (!r->head.start) {
        snprintf(out, cap, _("at %s"), at);
        return;
    }
    i18n_date(r->head.start, start);
    i18n_date(r->head.last_statement, last);
    snprintf(out, cap,
             _("at %s; reconciled from %s (the first statement imported); last statement %s"), at,
             start, last);
}

size_t recon_notes(const gl_recon_report *r, const recon_totals *t, recon_note *out)
{
    size_t n = 0;
    char d[11], m[GL_MONEY_TEXT_MAX];
    if (!r->head.start) {
        snprintf(
            out[n].text, sizeof out[n].text, "%s",
            _("No bank statement has been imported for this account: every entry in the books is listed as not on the statement."));
        out[n++].alert = true;
    } else if (!(r->head.flags & 0x01)) {
        snprintf(
            out[n].text, sizeof out[n].text, "%s",
            _("The first statement gives no opening balance (OFX files state none): the statement balance adds its lines from 0.00."));
        out[n++].alert = true;
    }
    if (r->head.last_statement && r->head.last_statement < r->at) {
        snprintf(
            out[n].text, sizeof out[n].text,
            _("The statements imported stop on %s: what the bank booked after that day is not known yet."),
            i18n_date(r->head.last_statement, d));
        out[n++].alert = false;
    }
    if (r->truncated) {
        snprintf(
            out[n].text, sizeof out[n].text,
            _("The lists were cut at %d lines each: the totals are those of the lines listed, and the difference does not hold."),
            GL_BANK_RECON_MAX);
        out[n++].alert = true;
    }
    if (t->residual_cents) {
        snprintf(
            out[n].text, sizeof out[n].text,
            _("UNEXPLAINED OPENING DIFFERENCE: %s. The first statement's opening balance does not equal the books on its first day; find the missing entry before filing this statement."),
            recon_money(t->residual_cents, m));
        out[n++].alert = true;
    }
    return n;
}
