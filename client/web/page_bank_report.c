/*
 * client/web/page_bank_report.c — the état de rapprochement of one bank
 * account at a date (GET /bank/report?account=A&at=D&format=html|csv), the
 * very text `grandlivre bank report` writes (gl_recon_report_render,
 * client/bank/match.h): the bank's and the books' balances, the lines on
 * one side only and the two reconciled to the cent.  The HTML is
 * self-contained with its CSS inline, which the site's
 * Content-Security-Policy forbids on its own pages, so both are served as
 * a download (as Statements are) to open, print and file.
 */
#include "web_bank.h"
#include "web_form.h"

#include "client/cli/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The report of p from s and the account's registration. */
static void fill(gl_recon_report *rep, const web_bank_state *s, const web_bank_pick *p,
                 const web_bank_accts *a)
{
    memset(rep, 0, sizeof *rep);
    rep->account = (gl_str){p->account, strlen(p->account)};
    for (size_t i = 0; i < a->n; i++)
        if (!strcmp(a->v[i].account, p->account)) {
            rep->iban = (gl_str){a->v[i].iban, strlen(a->v[i].iban)};
            rep->label = (gl_str){a->v[i].label, strlen(a->v[i].label)};
        }
    rep->at = p->at;
    rep->head = s->head;
    rep->bank = s->bank;
    rep->nbank = s->nbank;
    rep->book = s->book;
    rep->nbook = s->nbook;
    rep->truncated = s->more;
}

/* The text of the report, or NULL with why. */
static char *render(web_req *r, gl_buf *note, const web_bank_pick *p, bool csv, const char **why)
{
    web_bank_accts a;
    web_bank_state s;
    *why = NULL;
    if (web_bank_accts_load(r, note, false, &a) || web_bank_state_load(r, note, p, false, &s))
        return NULL;
    gl_recon_report rep;
    fill(&rep, &s, p, &a);
    char *text = NULL;
    if (!gl_recon_report_sums(&rep))
        *why = _("The report's totals overflow.");
    else if (!(text = gl_recon_report_render(&rep, csv ? GL_RECON_CSV : GL_RECON_HTML)))
        *why = _("Out of memory.");
    web_bank_state_free(&s);
    return text;
}

int page_bank_report(web_req *r, gl_buf *b)
{
    web_bank_pick p;
    char format[8] = "";
    const char *why = web_bank_pick_read(r, &p);
    if (!why && (!p.account[0] || !p.at))
        why = _("Which bank account, at which date? Choose them on the reconciliation page.");
    bool csv =
        web_arg(r, "format", format, sizeof format) == WEB_FORM_FOUND && !strcmp(format, "csv");
    gl_buf note;
    gl_buf_init(&note);
    char *text = why ? NULL : render(r, &note, &p, csv, &why);
    if (text) {
        gl_put_bytes(b, text, strlen(text));
        free(text);
        gl_buf_free(&note);
        r->content_type = csv ? "text/csv; charset=utf-8" : "text/html; charset=utf-8";
        snprintf(r->download, sizeof r->download, "rapprochement-%s-%s-%s.%s", r->tenant, p.account,
                 p.at_text, csv ? "csv" : "html");
        return 200;
    }
    web_page_begin(b, r, _("Bank reconciliation"), "/bank");
    gl_put_bytes(b, note.data, note.len);
    if (why)
        web_banner(b, why, true);
    web_page_end(b);
    gl_buf_free(&note);
    return 200;
}
