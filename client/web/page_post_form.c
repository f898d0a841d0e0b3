/*
 * client/web/page_post_form.c — the Saisie form as HTML: the templates'
 * links, the head of the entry (journal, dates, piece, label), its lines
 * (account and third party with a <datalist> each, so that completion
 * works without JavaScript), the totals, and each field's message.
 *
 * The accounts come from the tenant's chart (ACCOUNTS_LIST, as `grandlivre
 * accounts` asks), the third parties from the balance by auxiliary
 * account; a failure of either is a banner and the form still works.
 * /static/app.js adds live totals, rows, shortcuts and the draft.
 */
#include "page_post.h"
#include "web_util.h"

#include "client/cli/i18n.h"
#include "client/input/chart.h"
#include "proto/money.h"
#include "proto/query.h"
#include "proto/reply.h"

#include <stdio.h>
#include <string.h>

#define THIRD_PARTIES_BYTES (64u * 1024u) /* of names remembered: the datalist's bound */

/* The journal codes `grandlivre post --help` lists for entries a person
 * types (AN and CL are written by close-year). */
static const struct {
    const char *code, *name;
} journals[] = {
    {"AC", N_("purchases")}, {"VE", N_("sales")},         {"BQ", N_("bank")},
    {"CA", N_("cash")},      {"OD", N_("miscellaneous")},
};

/* The tenant's accounts, kept while the page is written (labels of lines). */
typedef struct accounts {
    bool ok;
    gl_response resp;
    gl_reply_accounts_list list;
    uint32_t fy_start;
} accounts;

static void accounts_load(web_req *r, gl_buf *b, accounts *a, uint32_t ymd)
{
    memset(a, 0, sizeof *a);
    a->fy_start = ymd / 10000 * 10000 + 101;
    if (web_call(r, b, GL_KIND_ACCOUNTS_LIST, NULL, 0, &a->resp))
        return;
    a->ok = gl_reply_accounts_list_decode(gl_reply_view(a->resp.reply.body, a->resp.reply.body_len),
                                          &a->list) == GL_OK;
    if (!a->ok) {
        gl_response_free(&a->resp);
        web_banner(b, _("Cannot read the daemon's reply."), true);
    }
}

static void accounts_free(accounts *a)
{
    if (a->ok)
        gl_response_free(&a->resp);
}

/* The label of account, as `grandlivre accounts` shows it; NULL if unknown. */
static const char *account_label(const accounts *a, const char *account, char *buf, size_t cap)
{
    if (!a->ok || !account[0])
        return NULL;
    gl_reply_accounts_list_iter it;
    gl_reply_accounts_list_row row;
    gl_reply_accounts_list_iter_init(&it, &a->list);
    size_t n = strlen(account);
    while (gl_reply_accounts_list_next(&it, &row) == 1)
        if (row.account.len == n && !memcmp(row.account.ptr, account, n)) {
            snprintf(buf, cap, "%.*s", (int)row.label.len, row.label.ptr);
            return gl_chart_label_for_year(account, n, buf, a->fy_start);
        }
    return NULL;
}

static void accounts_datalist(gl_buf *b, const accounts *a)
{
    web_raw(b, "<datalist id=\"accounts\">");
    gl_reply_accounts_list_iter it;
    gl_reply_accounts_list_row row;
    if (a->ok)
        gl_reply_accounts_list_iter_init(&it, &a->list);
    while (a->ok && gl_reply_accounts_list_next(&it, &row) == 1) {
        if (row.state != 1)
            continue; /* a closed account takes no entry */
        char account[GL_ACCOUNT_MAX + 1], label[GL_LABEL_MAX + 1];
        snprintf(account, sizeof account, "%.*s", (int)row.account.len, row.account.ptr);
        snprintf(label, sizeof label, "%.*s", (int)row.label.len, row.label.ptr);
        web_raw(b, "<option value=\"");
        web_esc(b, account);
        web_raw(b, "\" label=\"");
        web_esc(b, gl_chart_label_for_year(account, strlen(account), label, a->fy_start));
        web_raw(b, "\"></option>");
    }
    web_raw(b, "</datalist>\n");
}

/* The third parties of the balance by auxiliary account at ymd, each
 * once (seen: those written already, one a line). */
static void third_parties_at(web_req *r, gl_buf *b, uint32_t ymd, gl_buf *seen)
{
    gl_balance_q q = {.at = ymd, .flags = GL_BALANCE_AUX | GL_BALANCE_AUX_LABELS};
    gl_response resp;
    /* quiet: the accounts' call said already if the daemon is away, and a
     * year with no books has no third parties */
    int st = web_balance_quiet(r, &q, &resp);
    if (st == GL_OK && resp.reply.status == GL_OK) {
        gl_reply_balance rep;
        gl_reply_balance_iter it;
        gl_reply_balance_row row;
        if (gl_reply_balance_decode_flags(gl_reply_view(resp.reply.body, resp.reply.body_len),
                                          q.flags, &rep) == GL_OK) {
            gl_reply_balance_iter_init(&it, &rep);
            while (gl_reply_balance_next(&it, &row) == 1 && seen->len < THIRD_PARTIES_BYTES) {
                char key[GL_AUX_MAX + 3];
                int n = snprintf(key, sizeof key, "\n%.*s\n", (int)row.aux.len, row.aux.ptr);
                if (!row.aux.len || n >= (int)sizeof key ||
                    (seen->len && memmem(seen->data, seen->len, key, (size_t)n)))
                    continue;
                gl_put_bytes(seen, key, (size_t)n);
                web_raw(b, "<option value=\"");
                web_escape(b, row.aux.ptr, row.aux.len);
                web_raw(b, "\" label=\"");
                web_escape(b, row.aux_label.ptr, row.aux_label.len);
                web_raw(b, "\"></option>");
            }
        }
    }
    gl_response_free(&resp);
}

/* The third parties the books know: the balances by auxiliary account of
 * this fiscal year and of the last (an entry of last year's books is
 * typed until they are closed). */
static void third_parties_datalist(web_req *r, gl_buf *b)
{
    web_raw(b, "<datalist id=\"third-parties\">");
    gl_buf seen;
    gl_buf_init(&seen);
    uint32_t today = cli_today();
    third_parties_at(r, b, today, &seen);
    third_parties_at(r, b, (today / 10000 - 1) * 10000 + 1231, &seen);
    gl_buf_free(&seen);
    web_raw(b, "</datalist>\n");
}

/* <input> of a field: name, value, its label's id, its message. */
static void input(gl_buf *b, const char *name, const char *value, const char *err,
                  const char *extra, const char *placeholder)
{
    web_raw(b, "<input id=\"f-");
    web_esc(b, name);
    web_raw(b, "\" name=\"");
    web_esc(b, name);
    web_raw(b, "\" value=\"");
    web_esc(b, value);
    web_raw(b, "\"");
    if (extra)
        web_raw(b, extra);
    if (placeholder) {
        web_raw(b, " placeholder=\"");
        web_esc(b, placeholder);
        web_raw(b, "\"");
    }
    if (err && err[0]) {
        web_raw(b, " aria-invalid=\"true\" aria-describedby=\"err-");
        web_esc(b, name);
        web_raw(b, "\"");
    }
    web_raw(b, ">");
}

static void field_error(gl_buf *b, const char *name, const char *err)
{
    if (!err[0])
        return;
    web_raw(b, "<span class=\"field-error\" id=\"err-");
    web_esc(b, name);
    web_raw(b, "\">");
    web_esc(b, err);
    web_raw(b, "</span>");
}

static void labelled(gl_buf *b, const char *name, const char *label, const char *value,
                     const char *err, const char *extra, const char *placeholder)
{
    web_raw(b, "<label for=\"f-");
    web_esc(b, name);
    web_raw(b, "\">");
    web_esc(b, label);
    web_raw(b, "</label>");
    input(b, name, value, err, extra, placeholder);
    field_error(b, name, err);
}

static void journal_select(gl_buf *b, const post_form *f)
{
    web_raw(b, "<label for=\"f-journal\">");
    web_esc(b, _("Journal"));
    web_raw(b, "</label><select id=\"f-journal\" name=\"journal\"");
    if (f->err_journal[0])
        web_raw(b, " aria-invalid=\"true\" aria-describedby=\"err-journal\"");
    web_raw(b, ">");
    bool known = false;
    for (size_t i = 0; i < sizeof journals / sizeof journals[0]; i++) {
        bool sel = !strcmp(f->journal, journals[i].code);
        known |= sel;
        web_raw(b, "<option value=\"");
        web_esc(b, journals[i].code);
        web_raw(b, sel ? "\" selected>" : "\">");
        web_escf(b, "%s — %s", journals[i].code, _(journals[i].name));
        web_raw(b, "</option>");
    }
    if (!known && f->journal[0]) { /* kept as sent, to be corrected */
        web_raw(b, "<option selected value=\"");
        web_esc(b, f->journal);
        web_raw(b, "\">");
        web_esc(b, f->journal);
        web_raw(b, "</option>");
    }
    web_raw(b, "</select>");
    field_error(b, "journal", f->err_journal);
}

static void entry_head(gl_buf *b, const post_form *f)
{
    web_raw(b, "<fieldset class=\"entry-head\"><legend>");
    web_esc(b, _("Entry"));
    web_raw(b, "</legend><div>");
    journal_select(b, f);
    web_raw(b, "</div><div>");
    /* the form of a date, not a value: "JJ/MM/AAAA" in French */
    const char *date_form = _("DD/MM/YYYY");
    labelled(b, "date", _("Date"), f->date, f->err_date, " autocomplete=\"off\" size=\"11\"",
             date_form);
    web_raw(b, "</div><div>");
    labelled(b, "piece", _("Piece"), f->piece, f->err_piece, " autocomplete=\"off\" size=\"14\"",
             NULL);
    web_raw(b, "</div><div>");
    labelled(b, "piece_date", _("Piece date"), f->piece_date, f->err_piece_date,
             " autocomplete=\"off\" size=\"11\"", date_form);
    web_raw(b, "</div><div class=\"wide\">");
    labelled(b, "label", _("Label"), f->label, f->err_label, " autocomplete=\"off\"", NULL);
    web_raw(b, "</div></fieldset>\n");
}

static void line_input(gl_buf *b, const char *field, size_t i, const char *value, const char *aria,
                       const char *extra, bool invalid)
{
    char name[32];
    snprintf(name, sizeof name, "%s%zu", field, i);
    web_raw(b, "<td><input name=\"");
    web_esc(b, name);
    web_raw(b, "\" value=\"");
    web_esc(b, value);
    web_raw(b, "\" aria-label=\"");
    web_escf(b, "%s, %s %zu", aria, _("line"), i + 1);
    web_raw(b, "\"");
    web_raw(b, extra);
    if (invalid) {
        web_raw(b, " aria-invalid=\"true\" aria-describedby=\"err-line");
        web_escf(b, "%zu", i);
        web_raw(b, "\"");
    }
    web_raw(b, ">");
}

static void line_row(gl_buf *b, const post_line *l, size_t i, const accounts *a)
{
    bool bad = l->err[0] != 0;
    web_raw(b, "<tr class=\"line\">");
    line_input(b, "account", i, l->account, _("Account"),
               " list=\"accounts\" class=\"account\" autocomplete=\"off\" size=\"9\"", bad);
    char buf[GL_LABEL_MAX + 1];
    const char *name = account_label(a, l->account, buf, sizeof buf);
    web_raw(b, "<span class=\"account-label\">");
    if (name)
        web_esc(b, name);
    web_raw(b, "</span>");
    if (bad) {
        web_raw(b, "<span class=\"field-error\" id=\"err-line");
        web_escf(b, "%zu", i);
        web_raw(b, "\">");
        web_esc(b, l->err);
        web_raw(b, "</span>");
    }
    web_raw(b, "</td>");
    line_input(b, "aux", i, l->aux, _("Third party"),
               " list=\"third-parties\" autocomplete=\"off\" size=\"10\"", false);
    web_raw(b, "</td>");
    line_input(b, "llabel", i, l->label, _("Line label"), " autocomplete=\"off\"", false);
    web_raw(b, "</td>");
    line_input(b, "debit", i, l->debit, _("Debit"),
               l->side_hint == 'D' ? " class=\"amount debit\" inputmode=\"decimal\" size=\"11\" "
                                     "placeholder=\"0,00\""
                                   : " class=\"amount debit\" inputmode=\"decimal\" size=\"11\"",
               false);
    web_raw(b, "</td>");
    line_input(b, "credit", i, l->credit, _("Credit"),
               l->side_hint == 'C' ? " class=\"amount credit\" inputmode=\"decimal\" size=\"11\" "
                                     "placeholder=\"0,00\""
                                   : " class=\"amount credit\" inputmode=\"decimal\" size=\"11\"",
               false);
    web_raw(b, "</td></tr>\n");
}

/* The totals the server can tell from the amounts as typed (unreadable
 * ones count 0): the same cells app.js keeps up to date. */
static void totals_row(gl_buf *b, const post_form *f)
{
    int64_t debit = 0, credit = 0;
    for (size_t i = 0; i < f->line_count; i++) {
        int64_t d = 0, c = 0;
        const post_line *l = &f->lines[i];
        if (!gl_money_parse(l->debit, strlen(l->debit), &d) ||
            __builtin_add_overflow(debit, d, &debit))
            d = 0;
        if (!gl_money_parse(l->credit, strlen(l->credit), &c) ||
            __builtin_add_overflow(credit, c, &credit))
            c = 0;
    }
    int64_t diff;
    if (__builtin_sub_overflow(debit, credit, &diff))
        diff = 0;
    web_raw(b, "<tfoot><tr class=\"total\"><td colspan=\"3\">");
    web_esc(b, _("Total"));
    web_raw(b, " <span class=\"difference\">");
    web_esc(b, _("difference"));
    web_raw(b, " <output id=\"total-diff\">");
    web_money(b, diff);
    web_raw(b, "</output></span>");
    if (f->err_total[0]) {
        web_raw(b, "<span class=\"field-error\" id=\"err-total\" role=\"alert\">");
        web_esc(b, f->err_total);
        web_raw(b, "</span>");
    }
    web_raw(b, "</td><td class=\"num\"><output id=\"total-debit\">");
    web_money(b, debit);
    web_raw(b, "</output></td><td class=\"num\"><output id=\"total-credit\">");
    web_money(b, credit);
    web_raw(b, "</output></td></tr></tfoot>\n");
}

static void lines_table(gl_buf *b, const post_form *f, const accounts *a)
{
    web_raw(b, "<table class=\"entry-lines\"><caption>");
    web_esc(b, _("Lines"));
    web_raw(b, "</caption><thead><tr>");
    static const char *const heads[] = {N_("Account"), N_("Third party"), N_("Line label"),
                                        N_("Debit"), N_("Credit")};
    for (size_t i = 0; i < 5; i++) {
        web_raw(b, i >= 3 ? "<th class=\"num\">" : "<th>");
        web_esc(b, _(heads[i]));
        web_raw(b, "</th>");
    }
    web_raw(b, "</tr></thead><tbody id=\"lines\">\n");
    for (size_t i = 0; i < f->line_count; i++)
        line_row(b, &f->lines[i], i, a);
    web_raw(b, "</tbody>");
    totals_row(b, f);
    web_raw(b, "</table>\n");
}

static void templates_list(gl_buf *b, const web_req *r)
{
    web_raw(b,
            "<nav class=\"templates\" aria-labelledby=\"templates-title\"><h2 "
            "id=\"templates-title\">");
    web_esc(b, _("Templates"));
    web_raw(b, "</h2><ul>");
    for (size_t i = 0; i < post_template_count; i++) {
        web_raw(b, "<li><a href=\"/post?template=");
        web_esc(b, post_templates[i].name);
        web_tenant_arg(b, r, "&amp;");
        web_raw(b, "\">");
        web_esc(b, _(post_templates[i].title));
        web_raw(b, "</a></li>");
    }
    web_raw(b, "</ul></nav>\n");
}

static void hidden(gl_buf *b, const char *name, const char *value)
{
    web_raw(b, "<input type=\"hidden\" name=\"");
    web_esc(b, name);
    web_raw(b, "\" value=\"");
    web_esc(b, value);
    web_raw(b, "\">");
}

static void done_banner(gl_buf *b, const web_req *r, const char *done, bool again)
{
    char text[200];
    snprintf(text, sizeof text,
             again ? _("Already posted as %s: the same form was sent twice, nothing was posted "
                       "again.")
                   : _("Entry %s posted."),
             done);
    web_raw(b, "<p class=\"banner posted\" role=\"status\" data-posted=\"1\">");
    web_esc(b, text);
    web_raw(b, " <a href=\"/entry?id=");
    web_esc(b, done);
    web_tenant_arg(b, r, "&amp;");
    web_raw(b, "\">");
    web_esc(b, _("See the entry"));
    web_raw(b, "</a></p>\n");
}

void post_form_page(web_req *r, gl_buf *b, post_form *f, const char *done, bool again)
{
    web_page_begin(b, r, _("Post an entry"), "/post");
    if (done)
        done_banner(b, r, done, again);
    if (f->summary[0])
        web_banner(b, f->summary, true);
    uint32_t ymd = cli_today();
    accounts a;
    accounts_load(r, b, &a, ymd);
    templates_list(b, r);
    web_raw(b,
            "<form id=\"post-form\" class=\"entry-form\" method=\"post\" action=\"/post\" "
            "data-fresh=\"");
    web_raw(b, f->fresh ? "1" : "0");
    web_raw(b, "\" data-tenant=\"");
    web_esc(b, r->tenant);
    web_raw(b, "\">");
    hidden(b, "csrf", r->csrf);
    hidden(b, "rid", f->rid);
    hidden(b, "tenant", r->tenant);
    char count[16];
    snprintf(count, sizeof count, "%zu", f->line_count);
    web_raw(b, "<input type=\"hidden\" name=\"lines\" id=\"line-count\" value=\"");
    web_esc(b, count);
    web_raw(b, "\">");
    entry_head(b, f);
    lines_table(b, f, &a);
    web_raw(b, "<p class=\"actions\"><button type=\"submit\" class=\"primary\">");
    web_esc(b, _("Post the entry"));
    web_raw(b, "</button> <button type=\"submit\" name=\"add\" value=\"1\" id=\"add-lines\">");
    web_esc(b, _("Add lines"));
    web_raw(b, "</button></p><p class=\"shortcuts\" id=\"shortcuts\" hidden>");
    web_esc(b, _("Keyboard: Alt+L adds a line, Ctrl+Enter posts the entry."));
    web_raw(b, "</p><p class=\"draft\" id=\"draft-note\" role=\"status\" hidden>");
    web_esc(b, _("Your unsent entry was restored."));
    web_raw(b, "</p></form>\n");
    accounts_datalist(b, &a);
    if (a.ok)
        third_parties_datalist(r, b);
    accounts_free(&a);
    web_raw(b, "<script src=\"/static/app.js\" defer></script>\n");
    web_page_end(b);
}
