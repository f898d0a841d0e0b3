/*
 * client/web/page_group.c — Groupe: the group's combined trial balance
 * (one column per entity, the eliminations, the combined total) and the
 * intercompany reconciliation at a date, as `grandlivre group balance` and
 * `group reconcile` show them.  For the accountant and the auditor: the
 * daemon refuses a member key, and the page says so in a banner.
 *
 * The pages of GROUP_BALANCE are read as the CLI reads them (every page
 * after the first sends the first one's watermark), decoded by
 * group_balance.c's checked decoder; the requests are about no tenant.
 */
#include "web.h"
#include "web_util.h"
#include "web_books.h"
#include "web_form.h"

#include "client/cli/date_range.h"
#include "client/cli/group_balance.h"
#include "client/cli/i18n.h"
#include "proto/group.h"
#include "proto/reply_group.h"
#include "proto/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One read about no tenant: 0 with resp filled, or -1 after a banner. */
static int group_call(web_req *r, gl_buf *b, uint16_t kind, const gl_buf *body, gl_response *resp)
{
    return web_call_for(r, b, kind, "", body->data, body->len, resp);
}

/* Every page of the combined balance at `at` into g (zeroed first). */
static int read_balance(web_req *r, gl_buf *b, uint32_t at, group_balance *g)
{
    memset(g, 0, sizeof *g);
    int rc = 0;
    do {
        if (g->pages == GROUP_PAGES_MAX) {
            web_banner(b, _("The group balance is too large to show."), true);
            rc = -1;
            break;
        }
        gl_buf body;
        group_balance_request(g, at, &body);
        gl_response resp = {0};
        rc = group_call(r, b, GL_KIND_GROUP_BALANCE, &body, &resp);
        gl_buf_free(&body);
        if (rc == 0) {
            int st = group_balance_page(g, resp.reply.body, resp.reply.body_len);
            if (st != GL_OK) {
                char text[400];
                snprintf(text, sizeof text, "%s (error %d %s: %s)",
                         _("Cannot read the daemon's reply."), st, gl_status_name(st), g->why);
                web_banner(b, text, true);
                rc = -1;
            }
            gl_response_free(&resp);
        }
    } while (rc == 0 && g->more);
    group_balance_seal(g);
    return rc;
}

static void show_balance(gl_buf *b, const group_balance *g)
{
    size_t ncols = GROUP_COLS(g); /* each entity, eliminations, adjustments, combined */
    web_raw(b, "<h2>");
    web_esc(b, _("Combined trial balance (debit - credit)"));
    web_raw(b, "</h2><div class=\"wide\"><table><thead><tr>");
    web_th(b, _("Account"), false);
    web_th(b, _("Label"), false);
    for (size_t i = 0; i < g->entities; i++)
        web_th(b, g->ids[i], true);
    web_th(b, _("Eliminations"), true);
    web_th(b, _("Adjustments"), true);
    web_th(b, _("Combined"), true);
    web_th(b, _("Of which reciprocal-flow differences"), true);
    web_raw(b, "</tr></thead><tbody>\n");
    /* column totals in 128 bits, as the CLI sums them; the differences last */
    __int128 totals[STMT_COLS_MAX + 1] = {0};
    for (size_t k = 0; k < g->count; k++) {
        web_raw(b, "<tr><td>");
        web_esc(b, g->accounts[k]);
        web_raw(b, "</td><td>");
        web_esc(b, g->labels[k]);
        web_raw(b, "</td>");
        for (size_t i = 0; i <= ncols; i++) {
            int64_t v = i < ncols ? g->rows[k].net[i] : g->gaps[k];
            web_money_td(b, v);
            totals[i] += v;
        }
        web_raw(b, "</tr>\n");
    }
    web_raw(b, "<tr class=\"total\"><td>");
    web_esc(b, _("Total"));
    web_raw(b, "</td><td></td>");
    for (size_t i = 0; i <= ncols; i++) {
        if (totals[i] > INT64_MAX || totals[i] < INT64_MIN)
            web_raw(b, "<td class=\"num\">—</td>");
        else
            web_money_td(b, (int64_t)totals[i]);
    }
    web_raw(b, "</tr></tbody></table></div>\n");
}

static const char *pair_status(uint8_t s)
{
    switch (s) {
    case 0: return _("matched");
    case 1: return _("mismatched");
    case 2: return _("one-sided");
    default: return "?";
    }
}

static void show_lines(gl_buf *b, const gl_reply_reconcile_pair *p)
{
    gl_reply_reconcile_iter lines;
    gl_reply_reconcile_line l;
    gl_reply_reconcile_lines_init(&lines, p);
    while (gl_reply_reconcile_line_next(&lines, &l) == 1) {
        web_raw(b, "<tr class=\"detail\"><td></td><td>");
        web_escape(b, l.tenant.ptr, l.tenant.len);
        web_markf(b, " %u/%u</td><td>", l.fy, l.num);
        web_date(b, l.date);
        web_raw(b, " ");
        web_escape(b, l.account.ptr, l.account.len);
        web_raw(b, " ");
        web_escape(b, l.label.ptr, l.label.len);
        web_raw(b, "</td><td></td>");
        web_money_td(b, l.amount);
        web_raw(b, "<td></td><td></td></tr>\n");
    }
}

static void show_reconcile(web_req *r, gl_buf *b, uint32_t at)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_put_u32(&body, at);
    gl_response resp = {0};
    web_raw(b, "<h2>");
    web_esc(b, _("Intercompany reconciliation"));
    web_raw(b, "</h2>\n");
    int rc = group_call(r, b, GL_KIND_GROUP_RECONCILE, &body, &resp);
    gl_buf_free(&body);
    if (rc)
        return;
    gl_reply_reconcile rep;
    if (gl_reply_reconcile_decode(gl_reply_view(resp.reply.body, resp.reply.body_len), &rep) !=
        GL_OK) {
        web_banner(b, _("Cannot read the daemon's reply."), true);
        gl_response_free(&resp);
        return;
    }
    web_raw(b, "<table><thead><tr>");
    web_th(b, _("Entity"), false);
    web_th(b, _("Partner"), false);
    web_th(b, _("Kind"), false);
    web_th(b, _("Entity records"), true);
    web_th(b, _("Partner records"), true);
    web_th(b, _("Status"), false);
    web_th(b, _("Difference"), true);
    web_raw(b, "</tr></thead><tbody>\n");
    gl_reply_reconcile_iter it;
    gl_reply_reconcile_pair p;
    gl_reply_reconcile_iter_init(&it, &rep);
    while (gl_reply_reconcile_next(&it, &p) == 1) {
        web_raw(b, p.status ? "<tr class=\"open\"><td>" : "<tr><td>");
        web_escape(b, p.tenant_a.ptr, p.tenant_a.len);
        web_raw(b, "</td><td>");
        web_escape(b, p.tenant_b.ptr, p.tenant_b.len);
        web_raw(b, "</td><td>");
        web_esc(b, p.category == 1 ? _("receivables/payables") : _("revenues/expenses"));
        web_raw(b, "</td>");
        web_money_td(b, p.pos_a);
        web_money_td(b, p.pos_b);
        web_raw(b, "<td>");
        web_esc(b, pair_status(p.status));
        web_raw(b, "</td>");
        web_money_td(b, p.diff);
        web_raw(b, "</tr>\n");
        show_lines(b, &p);
    }
    if (!rep.pairs) {
        web_raw(b, "<tr><td colspan=\"7\">");
        web_esc(b, _("No intercompany amounts."));
        web_raw(b, "</td></tr>");
    }
    web_raw(b, "</tbody></table>\n");
    gl_response_free(&resp);
}

int page_group(web_req *r, gl_buf *b)
{
    char at_text[16] = "", err[200] = "";
    uint32_t at = cli_today(), first;
    web_page_begin(b, r, _("Group"), "/group");
    bool ok = web_arg(r, "at", at_text, sizeof at_text) != WEB_FORM_BAD;
    if (ok && at_text[0] && date_span(at_text, &first, &at, err, sizeof err))
        ok = false;
    web_filters_begin(b, r, "/group");
    web_at_field(b, at_text);
    web_filters_end(b);
    if (!ok) {
        web_banner(b, err[0] ? err : _("At: a date such as 2025-03-31."), true);
        web_page_end(b);
        return 200;
    }
    web_raw(b, "<p>");
    web_esc(b, _("As of"));
    web_raw(b, " ");
    web_date(b, at);
    web_raw(b, "</p>\n");
    group_balance *g = calloc(1, sizeof *g);
    if (!g) {
        web_banner(b, _("Out of memory."), true);
        web_page_end(b);
        return 500;
    }
    if (read_balance(r, b, at, g) == 0) {
        show_balance(b, g);
        show_reconcile(r, b, at);
    }
    group_balance_free(g);
    free(g);
    web_page_end(b);
    return 200;
}
