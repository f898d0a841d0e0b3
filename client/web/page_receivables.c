/*
 * client/web/page_receivables.c — Créances: the aged balance (balance
 * âgée) of the tenant's third parties at a date, as `grandlivre
 * receivables` computes it (client/cli/receivables.h, aging.h): per account
 * and third party, the open items not yet due, overdue by 1-30, 31-60,
 * 61-90 and over 90 days, and the total; each third party links to its
 * grand livre, "détail" lists the items behind the figures, and the CSV
 * is the command's (--format csv-fr, with --detail for the detail).
 * Accounts starting with 40 are payables (the sign turned, as
 * --payables).  Read-only.
 */
#include "web_rcv.h"
#include "web_csv.h"
#include "web_filters.h"
#include "web_form.h"
#include "web_util.h"

#include "client/cli/aging.h"
#include "client/cli/date_range.h"
#include "client/cli/i18n.h"
#include "client/output/output.h"
#include "proto/money.h"

#include <stdio.h>
#include <string.h>

int web_rcv_collect(web_req *r, gl_buf *b, const char *prefix, uint32_t at, bool payables,
                    rcv_items *out)
{
    *out = (rcv_items){0};
    /* asked first through web_call, so that a refusal (another tenant's
     * books for a member key, the daemon away) is the page's banner */
    gl_response resp;
    if (web_call(r, b, GL_KIND_ACCOUNTS_LIST, NULL, 0, &resp))
        return -1;
    gl_response_free(&resp);
    cli *c = r->app->c;
    const char *tenant = c->tenant;
    c->tenant = r->tenant;
    third_party_registry_forget(); /* another tenant's, or changed since */
    /* the customers' default is 411 with 416 (doubtful items transferred
     * by impairment), as the CLI's receivables and reminders read them */
    int rc = !payables && !strcmp(prefix, "411") ? rcv_collect_customers(c, at, 30, out)
                                                 : rcv_collect(c, prefix, at, payables, 30, out);
    c->tenant = tenant;
    if (rc) {
        web_banner(b, _("Cannot read the open items (the daemon refused, or the totals overflow)."),
                   true);
        return -1;
    }
    return 0;
}

bool web_rcv_at(web_req *r, char *at_text, size_t cap, uint32_t *at, const char **why)
{
    uint32_t first;
    char err[200];
    *at = cli_today();
    *why = NULL;
    if (web_arg(r, "at", at_text, cap) == WEB_FORM_BAD ||
        (at_text[0] && date_span(at_text, &first, at, err, sizeof err))) {
        *why = N_("At: a date such as 2025-03-31.");
        return false;
    }
    return true;
}

/* The page's choices: the date, the accounts, the detail. */
typedef struct rcv_page {
    char at_text[16], account[GL_ACCOUNT_MAX + 1], detail[4];
    uint32_t at;
    bool payables, with_detail;
} rcv_page;

static void form(gl_buf *b, const web_req *r, const rcv_page *p)
{
    web_filters_begin(b, r, "/receivables");
    web_at_field(b, p->at_text);
    web_raw(b, "<label>");
    web_esc(b, _("Accounts starting with"));
    web_raw(b, " <input name=\"account\" size=\"8\" value=\"");
    web_esc(b, p->account);
    web_raw(b, "\"></label><label><span><input type=\"checkbox\" name=\"detail\" value=\"1\"");
    web_raw(b, p->with_detail ? " checked>" : ">");
    web_esc(b, _("items in detail"));
    web_raw(b, "</span></label>");
    web_filters_end(b);
}

/* aging.h's buckets, for a person (the CLI's HTML pages write French only) */
static const char *const bucket_heads[AGING_BUCKETS] = {
    N_("Not yet due"), N_("1-30 days"), N_("31-60 days"), N_("61-90 days"), N_("Over 90 days")};

static void heads(gl_buf *b)
{
    web_raw(b, "<table class=\"aging\"><thead><tr>");
    web_th(b, _("Account"), false);
    web_th(b, _("Third party"), false);
    for (int k = 0; k < AGING_BUCKETS; k++)
        web_th(b, _(bucket_heads[k]), true);
    web_th(b, _("Total"), true);
    web_raw(b, "</tr></thead><tbody>\n");
}

/* The third party's cell: its code and name, a link to its grand livre. */
static void tp_cell(gl_buf *b, const web_req *r, const rcv_item *x)
{
    web_raw(b, "<td><a href=\"/ledger?account=");
    web_esc(b, x->account);
    web_raw(b, "&amp;aux=");
    web_aux_pct(b, x->aux, strlen(x->aux));
    web_tenant_arg(b, r, "&amp;");
    web_raw(b, "\">");
    web_esc(b, x->aux);
    web_raw(b, "</a>");
    char name[256];
    if (third_party_name(x->aux, name, sizeof name)) {
        web_raw(b, " ");
        web_esc(b, name);
    }
    web_raw(b, "</td>");
}

static bool summary(gl_buf *b, const web_req *r, const rcv_items *it, const rcv_page *p)
{
    heads(b);
    aging_row all = {{0}, 0};
    for (size_t g = 0; g < it->n;) {
        size_t e = rcv_group_end(it, g);
        aging_row row;
        if (!rcv_group_row(it, g, e, p->at, false, &row) || !aging_row_sum(&all, &row))
            return false;
        web_raw(b, "<tr><td>");
        web_esc(b, it->v[g].account);
        web_raw(b, "</td>");
        tp_cell(b, r, &it->v[g]);
        for (int k = 0; k < AGING_BUCKETS; k++)
            web_money_td(b, row.cents[k]);
        web_money_td(b, row.total);
        web_raw(b, "</tr>\n");
        g = e;
    }
    web_raw(b, "<tr class=\"total\"><td colspan=\"2\">");
    web_esc(b, _("Total"));
    web_raw(b, "</td>");
    for (int k = 0; k < AGING_BUCKETS; k++)
        web_money_td(b, all.cents[k]);
    web_money_td(b, all.total);
    web_raw(b, "</tr></tbody></table>\n");
    return true;
}

static void detail_row(gl_buf *b, const web_req *r, const rcv_item *x, uint32_t at)
{
    int64_t late = aging_days_overdue(at, x->date, x->terms_days);
    web_raw(b, "<tr><td>");
    web_esc(b, x->account);
    web_raw(b, "</td><td>");
    web_esc(b, x->aux);
    web_raw(b, "</td><td><a href=\"/entry?id=");
    char id[32];
    snprintf(id, sizeof id, "%s", x->ref);
    char *colon = strchr(id, ':'); /* FY/N:LINE: the entry is FY/N */
    if (colon)
        *colon = '\0';
    web_esc(b, id);
    web_tenant_arg(b, r, "&amp;");
    web_raw(b, "\">");
    web_esc(b, x->ref);
    web_raw(b, "</a></td><td>");
    web_date(b, x->date);
    web_raw(b, "</td><td>");
    web_date(b, x->due);
    web_raw(b, "</td><td>");
    web_esc(b, x->piece);
    web_raw(b, "</td><td>");
    web_esc(b, x->label);
    web_raw(b, "</td><td class=\"num\">");
    web_escf(b, "%lld", (long long)(late > 0 ? late : 0));
    web_raw(b, "</td>");
    web_money_td(b, x->cents);
    web_raw(b, "</tr>\n");
}

static bool detail(gl_buf *b, const web_req *r, const rcv_items *it, uint32_t at)
{
    web_raw(b, "<h2>");
    web_esc(b, _("Items in detail"));
    web_raw(b, "</h2>\n<table class=\"aging\"><thead><tr>");
    static const char *const h[] = {N_("Account"), N_("Third party"), N_("Entry"),
                                    N_("Date"),    N_("Due"),         N_("Piece"),
                                    N_("Label"),   N_("Days late"),   N_("Amount")};
    for (size_t k = 0; k < sizeof h / sizeof h[0]; k++)
        web_th(b, _(h[k]), k >= 7);
    web_raw(b, "</tr></thead><tbody>\n");
    int64_t total = 0;
    for (size_t i = 0; i < it->n; i++) {
        detail_row(b, r, &it->v[i], at);
        if (!gl_money_add(&total, it->v[i].cents))
            return false;
    }
    web_raw(b, "<tr class=\"total\"><td colspan=\"8\">");
    web_esc(b, _("Total"));
    web_raw(b, "</td>");
    web_money_td(b, total);
    web_raw(b, "</tr></tbody></table>\n");
    return true;
}

/* The file: the command's table in csv-fr. */
static int csv(web_req *r, gl_buf *b, const rcv_items *it, const rcv_page *p)
{
    out_table *t = p->with_detail ? rcv_detail_table(it, p->at, false)
                                  : rcv_aging_table(it, p->at, false, false);
    char name[128];
    web_csv_name(name, sizeof name, p->with_detail ? "creances-detail" : "creances", r->tenant,
                 p->at, 0);
    int rc = web_csv_send(r, b, _("Receivables"), "/receivables", t, name);
    out_free(t);
    return rc;
}

static bool read_page(web_req *r, rcv_page *p, const char **why)
{
    memset(p, 0, sizeof *p);
    if (!web_rcv_at(r, p->at_text, sizeof p->at_text, &p->at, why))
        return false;
    if (web_arg(r, "account", p->account, sizeof p->account) == WEB_FORM_BAD ||
        web_arg(r, "detail", p->detail, sizeof p->detail) == WEB_FORM_BAD) {
        *why = N_("Accounts: a prefix such as 411.");
        return false;
    }
    for (const char *s = p->account; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z'))) {
            *why = N_("Accounts: a prefix such as 411.");
            return false;
        }
    if (!p->account[0])
        snprintf(p->account, sizeof p->account, "411");
    p->payables = !strncmp(p->account, "40", 2);
    p->with_detail = p->detail[0] == '1';
    return true;
}

int page_receivables(web_req *r, gl_buf *b)
{
    rcv_page p;
    const char *why;
    bool ok = read_page(r, &p, &why);
    rcv_items it = {0};
    if (ok && web_csv_wanted(r)) {
        gl_buf note;
        gl_buf_init(&note);
        int rc = web_rcv_collect(r, &note, p.account, p.at, p.payables, &it);
        if (rc == 0)
            rc = csv(r, b, &it, &p);
        else {
            web_page_begin(b, r, _("Receivables"), "/receivables");
            gl_put_bytes(b, note.data, note.len);
            web_page_end(b);
            rc = 200;
        }
        gl_buf_free(&note);
        rcv_items_free(&it);
        return rc;
    }
    web_page_begin(b, r, _("Receivables"), "/receivables");
    form(b, r, &p);
    if (!ok) {
        web_banner(b, _(why), true);
        web_page_end(b);
        return 200;
    }
    gl_buf href;
    gl_buf_init(&href);
    web_raw(&href, "/receivables?");
    web_query_arg(&href, "at", p.at_text);
    web_query_arg(&href, "account", p.account);
    web_query_arg(&href, "detail", p.with_detail ? "1" : "");
    gl_put_u8(&href, 0);
    if (gl_buf_ok(&href))
        web_csv_link(b, r, (const char *)href.data);
    gl_buf_free(&href);
    if (web_rcv_collect(r, b, p.account, p.at, p.payables, &it) == 0) {
        web_raw(b, "<p>");
        web_esc(b, _("Aged balance at "));
        web_date(b, p.at);
        web_esc(b, _(" — due: the item's date plus the third party's payment terms (30 days "
                     "if none); age counted from the item's date."));
        web_raw(b, "</p>\n");
        bool fine = summary(b, r, &it, &p) && (!p.with_detail || detail(b, r, &it, p.at));
        if (!fine)
            web_banner(b, _("The totals overflow."), true);
        else if (!it.n)
            web_banner(b, _("No open item at that date."), false);
    }
    rcv_items_free(&it);
    web_page_end(b);
    return 200;
}
