/*
 * client/web/page_ledger.c — Grand livre: one account's lines over a date
 * range with the opening balance and the running balance (as `grandlivre
 * ledger`), filtered by the daemon; up to 1,000 lines (the rest: narrow the
 * dates).  Each row links to its entry.
 */
#include "web.h"
#include "web_csv.h"
#include "web_filters.h"
#include "web_links.h"

#include "client/cli/i18n.h"
#include "proto/money.h"
#include "proto/query.h"
#include "proto/reply.h"

#include <string.h>

static void money_cell(gl_buf *b, int64_t cents, bool blank_zero)
{
    web_raw(b, "<td class=\"num\">");
    if (cents || !blank_zero)
        web_money(b, cents);
    web_raw(b, "</td>");
}

static void ledger_rows(gl_buf *b, const web_req *r, const gl_reply_ledger *rep, bool opening_row,
                        uint32_t from)
{
    int64_t running = opening_row ? rep->opening : 0;
    uint16_t fy = 0;
    bool overflow = false;
    if (opening_row) {
        web_raw(b, "<tr><td>");
        web_date(b, from);
        web_raw(b, "</td><td></td><td></td><td>");
        web_esc(b, _("Opening balance"));
        web_raw(b, "</td><td></td><td></td><td></td>");
        money_cell(b, running, false);
        web_raw(b, "<td></td></tr>\n");
    }
    gl_reply_ledger_iter it;
    gl_reply_ledger_row row;
    gl_reply_ledger_iter_init(&it, rep);
    while (gl_reply_ledger_next(&it, &row) == 1) {
        if (fy && row.fy != fy)
            running = 0; /* a new fiscal year opens with its à-nouveaux */
        fy = row.fy;
        overflow |= !gl_money_add(&running, row.amount);
        web_raw(b, "<tr><td>");
        web_date(b, row.date);
        web_raw(b, "</td><td>");
        web_entry_link(b, r, row.fy, row.num);
        web_raw(b, "</td><td>");
        web_escape(b, row.journal.ptr, row.journal.len);
        web_raw(b, "</td><td>");
        web_escape(b, row.label.ptr, row.label.len);
        web_raw(b, "</td><td>");
        web_escape(b, row.aux.ptr, row.aux.len);
        web_raw(b, "</td>");
        money_cell(b, row.amount > 0 ? row.amount : 0, true);
        money_cell(b, row.amount < 0 ? -row.amount : 0, true);
        money_cell(b, running, false);
        web_raw(b, "<td>");
        web_escape(b, row.letter.ptr, row.letter.len);
        web_raw(b, "</td></tr>\n");
    }
    web_raw(b, "</tbody></table>\n");
    if (overflow)
        web_banner(b, _("The totals overflow."), true);
}

static void heads(gl_buf *b)
{
    static const char *const names[] = {N_("Date"),   N_("Entry"),   N_("Journal"),
                                        N_("Label"),  N_("Aux"),     N_("Debit"),
                                        N_("Credit"), N_("Balance"), N_("Letter")};
    web_raw(b, "<table><thead><tr>");
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        web_raw(b, i >= 5 && i <= 7 ? "<th class=\"num\">" : "<th>");
        web_esc(b, _(names[i]));
        web_raw(b, "</th>");
    }
    web_raw(b, "</tr></thead><tbody>\n");
}

/* The file of every line of the filter (&format=csv), or 0 when the
 * fields are not right: the page then says what is wrong. */
static int ledger_csv(web_req *r, gl_buf *b)
{
    web_filters f;
    gl_buf scratch;
    gl_buf_init(&scratch);
    bool ok = web_filters_read(r, &f, &scratch, false);
    gl_buf_free(&scratch);
    if (!ok || !f.account[0] || !gl_account_valid((gl_str){f.account, strlen(f.account)}))
        return 0;
    gl_ledger_q q = {.account = {f.account, strlen(f.account)},
                     .from = f.from_ymd,
                     .to = f.to_ymd,
                     .filter = f.filter};
    if (q.filter.fields)
        q.flags |= GL_LEDGER_FILTER;
    char who[GL_TENANT_MAX + GL_ACCOUNT_MAX + 2], name[128];
    snprintf(who, sizeof who, "%s-%s", r->tenant, f.account);
    web_csv_name(name, sizeof name, "grand-livre", who, q.from, q.to);
    return web_csv_ledger(r, b, _("General ledger"), "/ledger", &q, name);
}

int page_ledger(web_req *r, gl_buf *b)
{
    web_filters f;
    if (web_csv_wanted(r)) {
        int status = ledger_csv(r, b);
        if (status)
            return status;
    }
    web_page_begin(b, r, _("General ledger"), "/ledger");
    bool ok = web_filters_read(r, &f, b, false);
    web_filters_form(b, r, &f, "/ledger", true);
    if (ok && !f.account[0]) {
        web_banner(b, _("Which account? Give it in the Account field (e.g. 512)."), false);
        ok = false;
    } else if (ok && !gl_account_valid((gl_str){f.account, strlen(f.account)})) {
        web_banner(b, _("Account: an account number (0-9 A-Z, from a class 1-9)."), true);
        ok = false;
    }
    if (!ok) {
        web_page_end(b);
        return 200;
    }
    gl_buf href;
    gl_buf_init(&href);
    web_raw(&href, "/ledger?");
    web_filters_query(&href, &f);
    gl_put_u8(&href, 0);
    if (gl_buf_ok(&href))
        web_csv_link(b, r, (const char *)href.data);
    gl_buf_free(&href);
    gl_ledger_q q = {.account = {f.account, strlen(f.account)},
                     .from = f.from_ymd,
                     .to = f.to_ymd,
                     .limit = GL_PAGE_MAX,
                     .filter = f.filter};
    if (q.filter.fields)
        q.flags |= GL_LEDGER_FILTER;
    gl_buf body;
    gl_buf_init(&body);
    gl_ledger_q_encode(&body, &q);
    gl_response resp;
    if (web_call(r, b, GL_KIND_LEDGER, body.data, body.len, &resp) == 0) {
        gl_reply_ledger rep;
        if (gl_reply_ledger_decode(gl_reply_view(resp.reply.body, resp.reply.body_len), &rep) !=
            GL_OK)
            web_banner(b, _("Cannot read the daemon's reply."), true);
        else {
            web_raw(b, "<h2>");
            web_esc(b, f.account);
            web_raw(b, "</h2>\n");
            heads(b);
            ledger_rows(b, r, &rep, !q.filter.fields || q.filter.fields == GL_FILTER_AUX, q.from);
            if (rep.more)
                web_banner(b, _("More lines than one page shows: narrow the dates."), false);
        }
        gl_response_free(&resp);
    }
    gl_buf_free(&body);
    web_page_end(b);
    return 200;
}
