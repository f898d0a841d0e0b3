/*
 * client/web/page_balance.c — Balance (the trial balance at a date, by
 * account or by third party with ?aux=1) and Accueil (the home page: bank
 * and cash balances, the classes 5 accounts, and the result of the year to
 * date, from the same BALANCE).  Each account links to its grand livre.
 */
#include "web.h"
#include "web_util.h"
#include "web_csv.h"
#include "web_filters.h"
#include "web_form.h"

#include "client/cli/date_range.h"
#include "client/cli/i18n.h"
#include "proto/money.h"
#include "proto/query.h"
#include "proto/reply.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* The BALANCE at q: 0 with *rep decoded (views into resp, which the
 * caller frees), or -1 after a banner. */
static int ask_balance(web_req *r, gl_buf *b, const gl_balance_q *q, gl_response *resp,
                       gl_reply_balance *rep)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_balance_q_encode(&body, q);
    int rc = web_call(r, b, GL_KIND_BALANCE, body.data, body.len, resp);
    gl_buf_free(&body);
    if (rc)
        return -1;
    if (gl_reply_balance_decode_flags(gl_reply_view(resp->reply.body, resp->reply.body_len),
                                      q->flags, rep) != GL_OK) {
        web_banner(b, _("Cannot read the daemon's reply."), true);
        gl_response_free(resp);
        return -1;
    }
    return 0;
}

static void ledger_link(gl_buf *b, const web_req *r, gl_str account, gl_str aux)
{
    web_raw(b, "<a href=\"/ledger?account=");
    web_escape(b, account.ptr, account.len); /* [0-9A-Z]: nothing to encode */
    if (aux.len) {
        web_raw(b, "&amp;aux=");
        web_aux_pct(b, aux.ptr, aux.len);
    }
    web_tenant_arg(b, r, "&amp;");
    web_raw(b, "\">");
    web_escape(b, account.ptr, account.len);
    web_raw(b, "</a>");
}

static void money_cell(gl_buf *b, int64_t cents)
{
    web_raw(b, "<td class=\"num\">");
    web_money(b, cents);
    web_raw(b, "</td>");
}

static void heads(gl_buf *b, bool aux)
{
    web_raw(b, "<table><thead><tr><th>");
    web_esc(b, _("Account"));
    if (aux) {
        web_raw(b, "</th><th>");
        web_esc(b, _("Aux"));
    }
    web_raw(b, "</th><th>");
    web_esc(b, _("Label"));
    web_raw(b, "</th><th class=\"num\">");
    web_esc(b, _("Debit"));
    web_raw(b, "</th><th class=\"num\">");
    web_esc(b, _("Credit"));
    web_raw(b, "</th><th class=\"num\">");
    web_esc(b, _("Balance"));
    web_raw(b, "</th></tr></thead><tbody>\n");
}

int page_balance(web_req *r, gl_buf *b)
{
    char at_text[16] = "", aux_text[4] = "";
    uint32_t at = cli_today(), first;
    bool ok = web_arg(r, "at", at_text, sizeof at_text) != WEB_FORM_BAD &&
              web_arg(r, "aux", aux_text, sizeof aux_text) != WEB_FORM_BAD;
    char err[200] = "";
    if (ok && at_text[0] && date_span(at_text, &first, &at, err, sizeof err))
        ok = false;
    bool aux = aux_text[0] == '1';
    gl_balance_q q = {.at = at, .flags = aux ? GL_BALANCE_AUX | GL_BALANCE_AUX_LABELS : 0};
    if (ok && web_csv_wanted(r)) {
        char name[128];
        web_csv_name(name, sizeof name, aux ? "balance-tiers" : "balance", r->tenant, at, 0);
        return web_csv_balance(r, b, _("Trial balance"), "/balance", &q, name);
    }
    web_page_begin(b, r, _("Trial balance"), "/balance");
    web_filters_begin(b, r, "/balance");
    web_at_field(b, at_text);
    web_raw(b, "<label><span><input type=\"checkbox\" name=\"aux\" value=\"1\"");
    web_raw(b, aux ? " checked>" : ">");
    web_esc(b, _("by third party"));
    web_raw(b, "</span></label>");
    web_filters_end(b);
    if (!ok) {
        web_banner(b, err[0] ? err : _("At: a date such as 2025-03-31."), true);
        web_page_end(b);
        return 200;
    }
    gl_buf href;
    gl_buf_init(&href);
    web_raw(&href, aux ? "/balance?aux=1" : "/balance?");
    web_query_arg(&href, "at", at_text);
    gl_put_u8(&href, 0);
    if (gl_buf_ok(&href))
        web_csv_link(b, r, (const char *)href.data);
    gl_buf_free(&href);
    gl_response resp;
    gl_reply_balance rep;
    if (ask_balance(r, b, &q, &resp, &rep) == 0) {
        web_raw(b, "<p>");
        web_escf(b, _("Fiscal year %u, "), rep.fy);
        web_date(b, rep.from);
        web_raw(b, " – ");
        web_date(b, rep.at);
        web_raw(b, "</p>\n");
        heads(b, aux);
        int64_t total_debit = 0, total_credit = 0;
        bool overflow = false;
        gl_reply_balance_iter it;
        gl_reply_balance_row row;
        gl_reply_balance_iter_init(&it, &rep);
        while (gl_reply_balance_next(&it, &row) == 1) {
            int64_t balance = row.debit;
            overflow |= !gl_money_sub(&balance, row.credit) ||
                        !gl_money_add(&total_debit, row.debit) ||
                        !gl_money_add(&total_credit, row.credit);
            web_raw(b, "<tr><td>");
            ledger_link(b, r, row.account, aux ? row.aux : (gl_str){"", 0});
            if (aux) {
                web_raw(b, "</td><td>");
                web_escape(b, row.aux.ptr, row.aux.len);
                if (row.aux_label.len) {
                    web_raw(b, " ");
                    web_escape(b, row.aux_label.ptr, row.aux_label.len);
                }
            }
            web_raw(b, "</td><td>");
            web_escape(b, row.label.ptr, row.label.len);
            web_raw(b, "</td>");
            money_cell(b, row.debit);
            money_cell(b, row.credit);
            money_cell(b, balance);
            web_raw(b, "</tr>\n");
        }
        int64_t diff = total_debit;
        overflow |= !gl_money_sub(&diff, total_credit);
        web_raw(b, aux ? "<tr class=\"total\"><td colspan=\"3\">"
                       : "<tr class=\"total\"><td colspan=\"2\">");
        web_esc(b, _("Total"));
        web_raw(b, "</td>");
        money_cell(b, total_debit);
        money_cell(b, total_credit);
        money_cell(b, diff);
        web_raw(b, "</tr></tbody></table>\n");
        if (overflow)
            web_banner(b, _("The totals overflow."), true);
        gl_response_free(&resp);
    }
    web_page_end(b);
    return 200;
}

static void card(gl_buf *b, const char *title, int64_t cents, const char *note)
{
    web_raw(b, "<div class=\"card\"><div>");
    web_esc(b, title);
    web_raw(b, "</div><div class=\"amount\">");
    web_money(b, cents);
    web_raw(b, "</div>");
    if (note) {
        web_raw(b, "<div>");
        web_esc(b, note);
        web_raw(b, "</div>");
    }
    web_raw(b, "</div>\n");
}

int page_home(web_req *r, gl_buf *b)
{
    web_page_begin(b, r, _("Home"), "/");
    uint32_t today = cli_today();
    gl_balance_q q = {.at = today};
    web_home_tp tp = {0};
    gl_response resp;
    gl_reply_balance rep;
    if (ask_balance(r, b, &q, &resp, &rep) == 0) {
        /* classes 5 (bank and cash), and the result: income (7) less
         * expenses (6), credit minus debit */
        int64_t cash = 0, result = 0;
        bool overflow = false;
        gl_reply_balance_iter it;
        gl_reply_balance_row row;
        gl_reply_balance_iter_init(&it, &rep);
        gl_buf rows;
        gl_buf_init(&rows);
        while (gl_reply_balance_next(&it, &row) == 1) {
            char cls = row.account.len ? row.account.ptr[0] : '0';
            int64_t balance = row.debit;
            overflow |= !gl_money_sub(&balance, row.credit);
            if (cls == '6' || cls == '7')
                overflow |= !gl_money_sub(&result, balance);
            web_home_tp_add(&tp, row.account);
            if (cls != '5')
                continue;
            overflow |= !gl_money_add(&cash, balance);
            web_raw(&rows, "<tr><td>");
            ledger_link(&rows, r, row.account, (gl_str){"", 0});
            web_raw(&rows, "</td><td>");
            web_escape(&rows, row.label.ptr, row.label.len);
            web_raw(&rows, "</td>");
            money_cell(&rows, row.debit);
            money_cell(&rows, row.credit);
            money_cell(&rows, balance);
            web_raw(&rows, "</tr>\n");
        }
        char period[80];
        snprintf(period, sizeof period, _("fiscal year %u to date"), rep.fy);
        web_raw(b, "<div class=\"cards\">");
        card(b, _("Bank and cash"), cash, NULL);
        card(b, _("Result"), result, period);
        web_home_last_year(r, b, today, &tp);
        web_raw(b, "</div>\n<h2>");
        web_esc(b, _("Bank and cash accounts"));
        web_raw(b, "</h2>\n");
        heads(b, false);
        gl_put_bytes(b, rows.data, rows.len);
        if (!gl_buf_ok(&rows))
            b->failed = true;
        web_raw(b, "</tbody></table>\n");
        if (overflow)
            web_banner(b, _("The totals overflow."), true);
        gl_buf_free(&rows);
        gl_response_free(&resp);
        web_raw(b, "<p><a href=\"/journal");
        web_tenant_arg(b, r, "?");
        web_raw(b, "\">");
        web_esc(b, _("The entries of the year"));
        web_raw(b, " →</a></p>\n");
        web_home_open_items(r, b, &tp, today);
        web_home_unlocked(r, b, today);
        web_recent_entries(r, b);
    }
    web_page_end(b);
    return 200;
}
