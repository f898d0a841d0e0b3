/*
 * client/web/page_bank.c — Rapprochement bancaire (issue 18): one
 * registered bank account of the tenant at a date (by default the last
 * day its statements cover): the bank's and the books' balances, the
 * proposals of the engine (client/bank/match.h) each with « Valider » and
 * « Valider toutes les propositions sûres », the entries the rules give
 * for the bank lines no proposal covers (« Passer l'écriture et pointer »),
 * the statement lines not reconciled beside the ledger lines of the
 * account not reconciled, with checkboxes, the live totals of each side's
 * selection and « Pointer » (page_bank_js in web_js.c enables it when the
 * totals are equal; the server sums again from the daemon's amounts,
 * page_bank_match.c), then the matches with « Dépointer »
 * (page_bank_matches.c) and the état de rapprochement
 * (page_bank_report.c).  An auditor, or --read-only, sees it all without
 * a button; a member key its own tenant only (the daemon's wall).
 */
#include "web_bank.h"
#include "web_form.h"
#include "web_books.h"
#include "web_util.h"

#include "client/cli/i18n.h"
#include "proto/money.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void web_nav_bank(gl_buf *b, const web_req *r, const char *active)
{
    web_bank_accts a;
    /* asked only of a daemon that answers (web_role backs off a minute
     * after a failure): the link costs no page a second timeout */
    if (!r->tenant[0] || !web_role(r->app) || web_bank_accts_load((web_req *)r, b, true, &a) ||
        !a.n)
        return;
    web_nav_link(b, r, "/bank", _("Bank reconciliation"), active);
}

void web_bank_hidden(gl_buf *b, const web_req *r, const web_bank_pick *p, uint64_t rid)
{
    web_act_hidden(b, r, rid);
    web_raw(b, "<input type=\"hidden\" name=\"account\" value=\"");
    web_esc(b, p->account);
    web_raw(b, "\"><input type=\"hidden\" name=\"at\" value=\"");
    web_esc(b, p->at_text);
    web_raw(b, "\">");
}

int web_bank_back(web_req *r, const web_bank_pick *p, const char *name, const char *value)
{
    char query[300], v[200];
    web_bank_pick_query(query, sizeof query, r, p);
    web_act_pct(v, sizeof v, value);
    snprintf(r->location, sizeof r->location, "/bank?%s&%s=%s", query, name, v);
    return 303;
}

int web_bank_refused(web_req *r, gl_buf *b, web_bank_pick *p, const char *why)
{
    web_page_begin(b, r, _("Bank reconciliation"), "/bank");
    web_banner(b, why, true);
    /* a fresh id: the form's may have been spent by a write that went
     * through before the refusal (a rule's entry posted, its match refused) */
    web_bank_body(r, b, p, gl_request_id_random());
    web_page_end(b);
    return 422;
}

/* The account and date chooser (GET). */
static void chooser(gl_buf *b, const web_req *r, const web_bank_accts *a, const web_bank_pick *p)
{
    web_filters_begin(b, r, "/bank");
    web_raw(b, "<label>");
    web_esc(b, _("Bank account"));
    web_raw(b, " <select name=\"account\">");
    for (size_t i = 0; i < a->n; i++) {
        web_raw(b, "<option value=\"");
        web_esc(b, a->v[i].account);
        web_raw(b, strcmp(a->v[i].account, p->account) ? "\">" : "\" selected>");
        web_esc(b, a->v[i].account);
        web_raw(b, " — ");
        web_esc(b, a->v[i].label[0] ? a->v[i].label : a->v[i].iban);
        web_raw(b, "</option>");
    }
    web_raw(b, "</select></label>");
    web_at_field(b, p->at_text);
    web_filters_end(b);
}

static void set_at(web_bank_pick *p, uint32_t at)
{
    p->at = at;
    snprintf(p->at_text, sizeof p->at_text, "%04u-%02u-%02u", at / 10000, at / 100 % 100, at % 100);
}

/* Which account: the one asked if registered, else the first. */
static bool pick_account(gl_buf *b, const web_bank_accts *a, web_bank_pick *p)
{
    if (!p->account[0]) {
        snprintf(p->account, sizeof p->account, "%s", a->v[0].account);
        return true;
    }
    for (size_t i = 0; i < a->n; i++)
        if (!strcmp(a->v[i].account, p->account))
            return true;
    web_banner(b, _("This account is not a registered bank account of the tenant."), true);
    return false;
}

/* One row of the balances' table: a text, an amount, a note. */
static void balance_row(gl_buf *b, const char *title, int64_t cents, const char *note)
{
    web_raw(b, "<tr><th scope=\"row\">");
    web_esc(b, title);
    web_raw(b, "</th>");
    web_money_td(b, cents);
    web_raw(b, "<td class=\"muted\">");
    if (note)
        web_esc(b, note);
    web_raw(b, "</td></tr>\n");
}

/* A link to the état de rapprochement of p, as HTML or CSV. */
static void report_link(gl_buf *b, const web_req *r, const web_bank_pick *p, const char *format,
                        const char *text)
{
    web_raw(b, "<a href=\"/bank/report?account=");
    web_esc(b, p->account);
    web_raw(b, "&amp;at=");
    web_esc(b, p->at_text);
    web_raw(b, "&amp;format=");
    web_raw(b, format);
    web_tenant_arg(b, r, "&amp;");
    web_raw(b, "\">");
    web_esc(b, text);
    web_raw(b, "</a>");
}

static int64_t side_sum(const web_bank_state *s, bool bank_side)
{
    int64_t sum = 0;
    size_t n = bank_side ? s->report_nbank : s->report_nbook;
    for (size_t i = 0; i < n; i++)
        if (!gl_money_add(&sum, bank_side ? s->report_bank[i].line.amount_cents
                                          : s->report_book[i].amount_cents))
            return 0;
    return sum;
}

static void balances(gl_buf *b, const web_req *r, const web_bank_state *s, const web_bank_pick *p)
{
    char note[120];
    web_raw(b, "<table class=\"narrow bank-balances\"><tbody>\n");
    balance_row(b, _("Balance per the bank"), s->head.bank_at_cents, NULL);
    balance_row(b, _("Balance per the books"), s->head.books_at_cents, NULL);
    snprintf(note, sizeof note, _("%zu statement lines"), s->report_nbank);
    balance_row(b, _("On the statement, not in the books"), side_sum(s, true), note);
    snprintf(note, sizeof note, _("%zu ledger lines"), s->report_nbook);
    balance_row(b, _("In the books, not on the statement"), side_sum(s, false), note);
    web_raw(b, "</tbody></table>\n<p class=\"export\">");
    if (s->head.last_statement) {
        web_esc(b, _("Last statement:"));
        web_raw(b, " ");
        web_date(b, s->head.last_statement);
        web_raw(b, ". ");
    }
    web_esc(b, _("État de rapprochement at this date:"));
    web_raw(b, " ");
    report_link(b, r, p, "html", _("printable page (HTML)"));
    web_raw(b, " · ");
    report_link(b, r, p, "csv", _("CSV"));
    web_raw(b, "</p>\n");
}

/* A bank row's cells: date, label, reference, amount. */
static void bank_cells(gl_buf *b, const gl_recon_bank *x)
{
    web_raw(b, "<td>");
    web_date(b, x->line.booking);
    web_raw(b, "</td><td>");
    web_escape(b, x->line.label.ptr, x->line.label.len);
    web_raw(b, "</td><td>");
    gl_str ref = x->line.bank_ref.len ? x->line.bank_ref : x->line.end_to_end;
    web_escape(b, ref.ptr, ref.len);
    web_raw(b, "</td>");
    web_money_td(b, x->line.amount_cents);
}

/* A ledger row's cells: date, entry and piece, label, amount. */
static void book_cells(gl_buf *b, const web_req *r, const gl_recon_book *x)
{
    web_raw(b, "<td>");
    web_date(b, x->date);
    web_raw(b, "</td><td>");
    web_bank_ref_link(b, r, &x->ref);
    if (x->piece.len) {
        web_raw(b, " ");
        web_escape(b, x->piece.ptr, x->piece.len);
    }
    web_raw(b, "</td><td>");
    web_escape(b, x->label.ptr, x->label.len);
    web_raw(b, "</td>");
    web_money_td(b, x->amount_cents);
}

static const char *why_text(gl_match_why why)
{
    switch (why) {
    case GL_MATCH_REFERENCE: return _("reference and amount");
    case GL_MATCH_EXACT: return _("same amount, close dates");
    case GL_MATCH_GROUP: return _("several lines for one");
    }
    return "";
}

/* One proposal: its lines (bank then books), and « Valider ». */
static void proposal(gl_buf *b, web_req *r, const web_bank_state *s, const web_bank_pick *p,
                     const gl_match_prop *m, bool may_write)
{
    web_raw(b, "<tbody class=\"proposal\"><tr class=\"group\"><td colspan=\"4\"><strong>");
    web_esc(b, why_text(m->why));
    web_raw(b, "</strong>");
    if (m->sure) {
        web_raw(b, " <span class=\"sure\">");
        web_esc(b, _("sure"));
        web_raw(b, "</span>");
    }
    if (may_write) {
        web_raw(b, " <form class=\"inline\" method=\"post\" action=\"/bank/match\">");
        web_bank_hidden(b, r, p, gl_request_id_random());
        char name[48];
        for (uint8_t k = 0; k < m->nbank; k++) {
            web_bank_seq_name(name, sizeof name, s->bank[m->bank[k]].seq);
            web_raw(b, "<input type=\"hidden\" value=\"1\" name=\"");
            web_esc(b, name);
            web_raw(b, "\">");
        }
        for (uint8_t k = 0; k < m->nbook; k++) {
            web_bank_ref_name(name, sizeof name, &s->book[m->book[k]].ref);
            web_raw(b, "<input type=\"hidden\" value=\"1\" name=\"");
            web_esc(b, name);
            web_raw(b, "\">");
        }
        web_raw(b, "<button>");
        web_esc(b, _("Validate"));
        web_raw(b, "</button></form>");
    }
    web_raw(b, "</td></tr>\n");
    for (uint8_t k = 0; k < m->nbank; k++) {
        web_raw(b, "<tr class=\"bank\">");
        bank_cells(b, &s->bank[m->bank[k]]);
        web_raw(b, "</tr>\n");
    }
    for (uint8_t k = 0; k < m->nbook; k++) {
        web_raw(b, "<tr class=\"book\">");
        book_cells(b, r, &s->book[m->book[k]]);
        web_raw(b, "</tr>\n");
    }
    web_raw(b, "</tbody>\n");
}

static void four_heads(gl_buf *b, const char *second, const char *third)
{
    web_raw(b, "<thead><tr>");
    web_th(b, _("Date"), false);
    web_th(b, second, false);
    web_th(b, third, false);
    web_th(b, _("Amount"), true);
    web_raw(b, "</tr></thead>\n");
}

static void proposals(gl_buf *b, web_req *r, const web_bank_state *s, const web_bank_pick *p,
                      bool may_write)
{
    if (!s->nprops)
        return;
    web_raw(b, "<h2>");
    web_esc(b, _("Proposed matches"));
    web_raw(b, "</h2>\n");
    size_t sure = 0;
    for (size_t i = 0; i < s->nprops; i++)
        sure += s->props[i].sure;
    if (may_write && sure) {
        web_raw(b, "<form class=\"action\" method=\"post\" action=\"/bank/match-sure\">");
        web_bank_hidden(b, r, p, gl_request_id_random());
        web_raw(b, "<button>");
        web_esc(b, _("Validate every sure proposal"));
        web_markf(b, " (%zu)", sure);
        web_raw(b, "</button></form>\n");
    }
    web_raw(b, "<table class=\"proposals\">");
    four_heads(b, _("Label or entry"), _("Reference or label"));
    for (size_t i = 0; i < s->nprops; i++)
        proposal(b, r, s, p, &s->props[i], may_write);
    web_raw(b, "</table>\n");
}

static void rule_entry(gl_buf *b, web_req *r, const web_bank_state *s, const web_bank_pick *p,
                       const gl_rule_entry *e, bool may_write)
{
    const gl_recon_bank *x = &s->bank[e->bank_index];
    const gl_bank_rule *rule = &s->rules[e->rule_index];
    web_raw(b, "<tr>");
    bank_cells(b, x);
    web_raw(b, "<td>");
    web_escape(b, rule->name.ptr, rule->name.len);
    web_raw(b, "</td><td>");
    web_esc(b, e->journal);
    web_raw(b, " ");
    web_esc(b, e->piece);
    web_raw(b, " — ");
    web_esc(b, e->bank_account);
    web_raw(b, " / ");
    web_esc(b, e->counterpart);
    web_raw(b, "</td><td>");
    if (may_write) {
        web_raw(b, "<form class=\"inline\" method=\"post\" action=\"/bank/rule-entry\">");
        web_bank_hidden(b, r, p, gl_request_id_random());
        web_markf(b, "<input type=\"hidden\" name=\"seq\" value=\"%" PRIu32 "\"><button>", x->seq);
        web_esc(b, _("Post the entry and match"));
        web_raw(b, "</button></form>");
    }
    web_raw(b, "</td></tr>\n");
}

static void rule_entries(gl_buf *b, web_req *r, const web_bank_state *s, const web_bank_pick *p,
                         bool may_write)
{
    if (!s->nentries)
        return;
    web_raw(b, "<h2>");
    web_esc(b, _("Entries the rules give"));
    web_raw(b, "</h2>\n<table class=\"rule-entries\"><thead><tr>");
    web_th(b, _("Date"), false);
    web_th(b, _("Label"), false);
    web_th(b, _("Reference"), false);
    web_th(b, _("Amount"), true);
    web_th(b, _("Rule"), false);
    web_th(b, _("Entry"), false);
    web_th(b, "", false);
    web_raw(b, "</tr></thead><tbody>\n");
    for (size_t i = 0; i < s->nentries; i++)
        rule_entry(b, r, s, p, &s->entries[i], may_write);
    web_raw(b, "</tbody></table>\n");
}

static bool checked(const web_req *r, const char *name)
{
    char v[8];
    return web_field(r, name, v, sizeof v) == WEB_FORM_FOUND;
}

static void checkbox(gl_buf *b, const web_req *r, const char *name, int64_t cents, const char *aria,
                     bool may_write)
{
    web_raw(b, "<td>");
    if (may_write) {
        web_raw(b, "<input type=\"checkbox\" value=\"1\" name=\"");
        web_esc(b, name);
        web_markf(b, "\" data-cents=\"%" PRId64 "\"", cents);
        web_raw(b, checked(r, name) ? " checked aria-label=\"" : " aria-label=\"");
        web_esc(b, aria);
        web_raw(b, "\">");
    }
    web_raw(b, "</td>");
}

static void empty_row(gl_buf *b, int columns)
{
    web_markf(b, "<tr><td colspan=\"%d\" class=\"muted\">", columns);
    web_esc(b, _("None: every line up to this date is matched."));
    web_raw(b, "</td></tr>\n");
}

static void bank_side(gl_buf *b, web_req *r, const web_bank_state *s, const web_bank_pick *p,
                      bool may_write)
{
    web_raw(b, "<div class=\"bank-side\" data-side=\"bank\"><h2>");
    web_esc(b, _("Statement lines not matched"));
    web_raw(b, "</h2><table><thead><tr><th></th>");
    web_th(b, _("Date"), false);
    web_th(b, _("Label"), false);
    web_th(b, _("Reference"), false);
    web_th(b, _("Amount"), true);
    if (may_write)
        web_th(b, "", false);
    web_raw(b, "</tr></thead><tbody>\n");
    if (!s->nbank)
        empty_row(b, may_write ? 6 : 5);
    for (size_t i = 0; i < s->nbank; i++) {
        char name[48];
        web_bank_seq_name(name, sizeof name, s->bank[i].seq);
        web_raw(b, "<tr>");
        char aria[GL_LABEL_MAX + 64];
        snprintf(aria, sizeof aria, _("Statement line %u of %02u/%02u: %.*s"), s->bank[i].seq,
                 s->bank[i].line.booking % 100, s->bank[i].line.booking / 100 % 100,
                 (int)s->bank[i].line.label.len, s->bank[i].line.label.ptr);
        checkbox(b, r, name, s->bank[i].line.amount_cents, aria, may_write);
        bank_cells(b, &s->bank[i]);
        if (may_write) {
            web_raw(b, "<td><a class=\"rule-link\" href=\"/bank/rule?account=");
            web_esc(b, p->account);
            web_raw(b, "&amp;at=");
            web_esc(b, p->at_text);
            web_markf(b, "&amp;seq=%" PRIu32, s->bank[i].seq);
            web_tenant_arg(b, r, "&amp;");
            web_raw(b, "\">");
            web_esc(b, _("Create a rule"));
            web_raw(b, "</a></td>");
        }
        web_raw(b, "</tr>\n");
    }
    web_raw(b, "</tbody></table></div>\n");
}

static void book_side(gl_buf *b, web_req *r, const web_bank_state *s, bool may_write)
{
    web_raw(b, "<div class=\"bank-side\" data-side=\"book\"><h2>");
    web_esc(b, _("Ledger lines not matched"));
    web_raw(b, "</h2><table><thead><tr><th></th>");
    web_th(b, _("Date"), false);
    web_th(b, _("Piece"), false);
    web_th(b, _("Label"), false);
    web_th(b, _("Amount"), true);
    web_raw(b, "</tr></thead><tbody>\n");
    if (!s->nbook)
        empty_row(b, 5);
    for (size_t i = 0; i < s->nbook; i++) {
        char name[48];
        web_bank_ref_name(name, sizeof name, &s->book[i].ref);
        web_raw(b, "<tr>");
        char aria[GL_LABEL_MAX + 64];
        snprintf(aria, sizeof aria, _("Ledger line %u/%u:%u: %.*s"), s->book[i].ref.fy,
                 s->book[i].ref.num, s->book[i].ref.line, (int)s->book[i].label.len,
                 s->book[i].label.ptr);
        checkbox(b, r, name, s->book[i].amount_cents, aria, may_write);
        book_cells(b, r, &s->book[i]);
        web_raw(b, "</tr>\n");
    }
    web_raw(b, "</tbody></table></div>\n");
}

/* The two lists side by side; for a writer, in the form of « Pointer »
 * with the selection's totals (filled by the script). */
static void sides(gl_buf *b, web_req *r, const web_bank_state *s, const web_bank_pick *p,
                  uint64_t rid, bool may_write)
{
    if (may_write) {
        web_raw(b, "<form id=\"bank-match-form\" method=\"post\" action=\"/bank/match\">");
        web_bank_hidden(b, r, p, rid);
    }
    web_raw(b, "<div class=\"bank-sides\">");
    bank_side(b, r, s, p, may_write);
    book_side(b, r, s, may_write);
    web_raw(b, "</div>\n");
    if (!may_write)
        return;
    web_raw(b, "<p class=\"bank-totals\" role=\"status\">");
    web_esc(b, _("Checked on the statement:"));
    web_raw(b, " <strong id=\"bank-sum-bank\">—</strong> · ");
    web_esc(b, _("checked in the books:"));
    web_raw(b, " <strong id=\"bank-sum-book\">—</strong> <button id=\"bank-match-button\">");
    web_esc(b, _("Match"));
    web_raw(b, "</button></p></form>\n<script src=\"/static/app.js\" defer></script>\n");
}

/* The date when none was asked: the last statement's, or today. */
static int load_default(web_req *r, gl_buf *b, web_bank_pick *p, web_bank_state *s)
{
    bool asked = p->at != 0;
    if (!asked)
        set_at(p, cli_today());
    if (web_bank_state_load(r, b, p, true, s))
        return -1;
    if (asked || !s->head.last_statement || s->head.last_statement >= p->at)
        return 0;
    uint32_t last = s->head.last_statement;
    web_bank_state_free(s);
    set_at(p, last);
    return web_bank_state_load(r, b, p, true, s);
}

void web_bank_body(web_req *r, gl_buf *b, web_bank_pick *p, uint64_t rid)
{
    web_bank_accts a;
    if (web_bank_accts_load(r, b, false, &a))
        return;
    if (!a.n) {
        web_banner(b,
                   _("No bank account is registered for this tenant: the accountant registers "
                     "one with grandlivre bank account set, then imports its statements."),
                   false);
        return;
    }
    if (!pick_account(b, &a, p))
        return;
    web_bank_state s;
    int rc = load_default(r, b, p, &s);
    chooser(b, r, &a, p);
    if (rc)
        return;
    bool may_write = web_bank_may_write(r);
    balances(b, r, &s, p);
    proposals(b, r, &s, p, may_write);
    rule_entries(b, r, &s, p, may_write);
    sides(b, r, &s, p, rid, may_write);
    web_bank_state_free(&s);
    web_bank_matches(r, b, p, may_write);
}

static void notice(web_req *r, gl_buf *b, const char *name, const char *fmt)
{
    char v[64], text[200];
    if (web_arg(r, name, v, sizeof v) != WEB_FORM_FOUND)
        return;
    snprintf(text, sizeof text, fmt, v);
    web_banner(b, text, false);
}

int page_bank(web_req *r, gl_buf *b)
{
    web_bank_pick p;
    const char *why = web_bank_pick_read(r, &p);
    web_page_begin(b, r, _("Bank reconciliation"), "/bank");
    if (why) {
        web_banner(b, why, true);
        web_page_end(b);
        return 200;
    }
    notice(r, b, "matched", _("Matched: match %s recorded."));
    notice(r, b, "unmatched", _("Match %s undone: its lines are to match again."));
    notice(r, b, "rule", _("Rule %s saved."));
    notice(r, b, "posted", _("Entry %s posted and matched."));
    web_bank_body(r, b, &p, gl_request_id_random());
    web_page_end(b);
    return 200;
}
