/*
 * client/web/page_periods.c — Périodes: the tenant's fiscal years (dates,
 * entries, open or closed, result, provisional result so far) and the
 * state of each of their months (closed, locked, open; overdue), as
 * `grandlivre periods` shows them; and the lock: a month chosen, a
 * confirmation page saying which months it locks for ever and how many
 * entries each holds (as `grandlivre lock` shows them), then the signed
 * LOCK through that month.
 *
 * The confirmation page fixes the request id (hidden field rid): a second
 * submit of the same form is the daemon's replay of the first, never a
 * second lock.  The daemon stays the judge of every rule (order, already
 * locked, lock_ahead, class_year_unbalanced): its refusal is shown with
 * the form's page, status 422, and nothing is written.
 */
#include "web_books.h"
#include "web_util.h"
#include "web_form.h"

#include "client/cli/cli_replies.h"
#include "client/cli/i18n.h"
#include "client/cli/plural.h"
#include "proto/date.h"
#include "proto/money.h"
#include "proto/query.h"

#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOCK_MONTHS_MAX 240 /* twenty years of months on one confirmation page */

int web_periods(web_req *r, gl_buf *b, gl_response *resp, gl_reply_periods *p)
{
    if (web_call(r, b, GL_KIND_PERIODS, NULL, 0, resp))
        return -1;
    if (gl_reply_periods_decode(gl_reply_view(resp->reply.body, resp->reply.body_len), p) !=
            GL_OK ||
        p->first_month < 1 || p->first_month > 12) {
        web_banner(b, _("Cannot read the daemon's reply."), true);
        gl_response_free(resp);
        return -1;
    }
    return 0;
}

int web_year_result(web_req *r, gl_buf *b, uint32_t year_end, int64_t *out)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_balance_q q = {.at = year_end};
    gl_balance_q_encode(&body, &q);
    gl_response resp;
    int rc = web_call(r, b, GL_KIND_BALANCE, body.data, body.len, &resp);
    gl_buf_free(&body);
    if (rc)
        return -1;
    gl_reply_balance rep;
    *out = 0;
    if (gl_reply_balance_decode(gl_reply_view(resp.reply.body, resp.reply.body_len), &rep) !=
        GL_OK) {
        web_banner(b, _("Cannot read the daemon's reply."), true);
        rc = -1;
    }
    gl_reply_balance_iter it;
    gl_reply_balance_row row;
    if (rc == 0)
        gl_reply_balance_iter_init(&it, &rep);
    while (rc == 0 && gl_reply_balance_next(&it, &row) == 1) {
        if (!row.account.len || (row.account.ptr[0] != '6' && row.account.ptr[0] != '7'))
            continue;
        if (!gl_money_add(out, row.credit) || !gl_money_sub(out, row.debit)) {
            web_banner(b, _("The result of the year overflows."), true);
            rc = -1;
        }
    }
    gl_response_free(&resp);
    return rc;
}

bool web_month_parse(const char *s, uint32_t *ym)
{
    char buf[16];
    uint32_t d;
    if (strlen(s) != 7 || s[4] != '-')
        return false;
    snprintf(buf, sizeof buf, "%s-01", s);
    if (!gl_date_parse(buf, 10, &d))
        return false;
    *ym = d / 100;
    return true;
}

uint32_t web_month_next(uint32_t ym) { return ym % 100 == 12 ? (ym / 100 + 1) * 100 + 1 : ym + 1; }

bool web_rid_parse(const char *s, uint64_t *rid)
{
    char *end;
    if (!s[0] || strlen(s) > 20 || s[0] < '0' || s[0] > '9')
        return false;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || v == 0 || v == ULLONG_MAX)
        return false;
    *rid = v;
    return true;
}

void web_month(gl_buf *b, uint32_t ym) { web_escf(b, "%02u/%04u", ym % 100, ym / 100); }

int web_form_refused(web_req *r, gl_buf *b, const char *title, const char *why)
{
    web_page_begin(b, r, title, "/periods");
    web_banner(b, why, true);
    web_raw(b, "<p><a href=\"/periods");
    web_tenant_arg(b, r, "?");
    web_raw(b, "\">");
    web_esc(b, _("Back to the periods"));
    web_raw(b, "</a></p>\n");
    web_page_end(b);
    return 422;
}

/* ---- Périodes ---- */

static bool may_write(web_req *r)
{
    return !r->app->read_only && web_role(r->app) == WEB_ROLE_ACCOUNTANT;
}

/* The state of month ym of a year (closed or not) given the lock and the
 * overdue months. */
static const char *month_state(uint32_t ym, bool closed, uint32_t locked, uint32_t late_from,
                               uint32_t late_through, const char **cls)
{
    if (closed) {
        *cls = "closed";
        return _("closed");
    }
    if (ym <= locked) {
        *cls = "locked";
        return _("locked");
    }
    if (late_from && ym >= late_from && ym <= late_through) {
        *cls = "overdue";
        return _("open, overdue");
    }
    *cls = "open";
    return _("open");
}

static void months_row(gl_buf *b, const gl_reply_periods_row *row, uint32_t locked,
                       uint32_t late_from, uint32_t late_through)
{
    web_raw(b, "<ol class=\"months\">");
    for (uint32_t ym = row->start / 100; ym <= row->end / 100; ym = web_month_next(ym)) {
        const char *cls,
            *state = month_state(ym, row->closed, locked, late_from, late_through, &cls);
        web_raw(b, "<li class=\"");
        web_raw(b, cls);
        web_raw(b, "\"><span class=\"month\">");
        web_month(b, ym);
        web_raw(b, "</span> <span class=\"state\">");
        web_esc(b, state);
        web_raw(b, "</span></li>");
    }
    web_raw(b, "</ol>");
}

static void year_links(gl_buf *b, const web_req *r, uint16_t fy, bool closed, bool write)
{
    web_raw(b, "<td>");
    web_markf(b, "<a href=\"/fec?year=%u", fy);
    web_tenant_arg(b, r, "&amp;");
    web_raw(b, "\">");
    web_esc(b, _("FEC"));
    web_raw(b, "</a>");
    if (!closed && write) {
        web_markf(b, " · <a href=\"/close?year=%u", fy);
        web_tenant_arg(b, r, "&amp;");
        web_raw(b, "\">");
        web_esc(b, _("Close the year"));
        web_raw(b, "</a>");
    }
    web_raw(b, "</td>");
}

/* The years' table, then each year's months. */
static void years(web_req *r, gl_buf *b, const gl_reply_periods *p, bool write)
{
    web_raw(b, "<table><thead><tr>");
    web_th(b, _("Fiscal year"), false);
    web_th(b, _("From"), false);
    web_th(b, _("To"), false);
    web_th(b, _("Entries"), true);
    web_th(b, _("State"), false);
    web_th(b, _("Result"), true);
    web_th(b, _("Provisional result"), true);
    web_th(b, _("Closing entries"), false);
    web_th(b, "", false);
    web_raw(b, "</tr></thead><tbody>\n");
    gl_reply_periods_iter it;
    gl_reply_periods_row row;
    gl_reply_periods_iter_init(&it, p);
    while (gl_reply_periods_next(&it, &row) == 1) {
        int64_t so_far = 0;
        if (!row.closed && web_year_result(r, b, row.end, &so_far))
            so_far = 0; /* the banner says why */
        web_markf(b, "<tr><td>%u</td><td>", row.fy);
        web_date(b, row.start);
        web_raw(b, "</td><td>");
        web_date(b, row.end);
        web_markf(b, "</td><td class=\"num\">%u</td><td>", row.last_num);
        web_esc(b, row.closed ? _("closed") : _("open"));
        web_raw(b, "</td>");
        web_money_td(b, row.closed ? row.result_cents : 0);
        web_money_td(b, so_far);
        web_raw(b, "<td>");
        if (row.result_num)
            web_escf(b, "%u/%u ", row.fy, row.result_num);
        if (row.opening_num)
            web_escf(b, "%u/%u", row.opening_fy, row.opening_num);
        web_raw(b, "</td>");
        year_links(b, r, row.fy, row.closed, write);
        web_raw(b, "</tr>\n");
    }
    web_raw(b, "</tbody></table>\n");
    gl_reply_periods_iter_init(&it, p);
    while (gl_reply_periods_next(&it, &row) == 1) {
        web_raw(b, "<h2>");
        web_escf(b, _("Fiscal year %u"), row.fy);
        web_raw(b, "</h2>");
        months_row(b, &row, p->locked_through, p->overdue_from, p->overdue_through);
    }
}

/* The lock form: a GET to the confirmation page, the open months listed. */
static void lock_form(gl_buf *b, const web_req *r, const gl_reply_periods *p)
{
    uint32_t first = 0, last = cli_today() / 100;
    gl_reply_periods_iter it;
    gl_reply_periods_row row;
    gl_reply_periods_iter_init(&it, p);
    while (gl_reply_periods_next(&it, &row) == 1)
        if (!first)
            first = row.start / 100;
    if (p->locked_through)
        first = web_month_next(p->locked_through);
    web_raw(b, "<h2>");
    web_esc(b, _("Lock periods"));
    web_raw(b, "</h2>");
    web_filters_begin(b, r, "/lock");
    web_raw(b, "<label>");
    web_esc(b, _("Lock through the month"));
    web_raw(b, " <select name=\"through\">");
    unsigned n = 0;
    for (uint32_t ym = first; first && ym <= last && n < LOCK_MONTHS_MAX;
         ym = web_month_next(ym), n++) {
        web_markf(b, "<option value=\"%04u-%02u\">", ym / 100, ym % 100);
        web_month(b, ym);
        web_raw(b, "</option>");
    }
    web_raw(b, "</select></label><button>");
    web_esc(b, _("Review the lock"));
    web_raw(b, "</button></form>\n");
}

static void notice(web_req *r, gl_buf *b)
{
    char text[16], msg[200];
    uint32_t ym;
    if (web_arg(r, "locked", text, sizeof text) == WEB_FORM_FOUND && web_month_parse(text, &ym)) {
        snprintf(msg, sizeof msg, _("Periods locked through %02u/%04u."), ym % 100, ym / 100);
        web_banner(b, msg, false);
    }
    unsigned long fy;
    char *end;
    if (web_arg(r, "closed", text, sizeof text) == WEB_FORM_FOUND &&
        (fy = strtoul(text, &end, 10)) >= 1900 && fy <= 2999 && !*end) {
        snprintf(msg, sizeof msg, _("Fiscal year %lu closed."), fy);
        web_banner(b, msg, false);
    }
}

int page_periods(web_req *r, gl_buf *b)
{
    web_page_begin(b, r, _("Periods"), "/periods");
    notice(r, b);
    gl_response resp;
    gl_reply_periods p;
    if (web_periods(r, b, &resp, &p)) {
        web_page_end(b);
        return 200;
    }
    web_raw(b, "<p>");
    web_escape(b, p.name.ptr, p.name.len);
    if (p.siren.len) {
        web_raw(b, " — SIREN ");
        web_escape(b, p.siren.ptr, p.siren.len);
    }
    web_raw(b, " — ");
    if (p.locked_through) {
        char text[120];
        snprintf(text, sizeof text, _("periods locked through %02u/%04u"), p.locked_through % 100,
                 p.locked_through / 100);
        web_esc(b, text);
    } else
        web_esc(b, _("no period locked"));
    web_raw(b, "</p>\n");
    if (p.overdue_from) {
        char text[300];
        snprintf(text, sizeof text,
                 _("Closing overdue: %02u/%04u to %02u/%04u are still open after their deadline "
                   "(each month is to be locked by the end of the following month)."),
                 p.overdue_from % 100, p.overdue_from / 100, p.overdue_through % 100,
                 p.overdue_through / 100);
        web_banner(b, text, true);
    }
    bool write = may_write(r);
    years(r, b, &p, write);
    if (write)
        lock_form(b, r, &p);
    web_raw(b, "<h2>");
    web_esc(b, _("Downloads"));
    web_raw(b, "</h2><p><a href=\"/archive");
    web_tenant_arg(b, r, "?");
    web_raw(b, "\">");
    web_esc(b, _("Verification archive of the tenant"));
    web_raw(b, "</a> · <a href=\"/statements");
    web_tenant_arg(b, r, "?");
    web_raw(b, "\">");
    web_esc(b, _("Statements"));
    web_raw(b, "</a></p>\n");
    gl_response_free(&resp);
    web_page_end(b);
    return 200;
}

/* ---- the lock: confirmation, then the signed request ---- */

typedef struct lock_plan {
    uint32_t from, through, months;
    uint32_t counts[LOCK_MONTHS_MAX];
    uint64_t entries;
    bool counted;
} lock_plan;

/* The months a lock through `through` locks, as `grandlivre lock` finds
 * them: from the month after the lock or, when nothing is locked, from the
 * start of the earliest fiscal year holding entries (or of through's). */
static void plan_months(const gl_reply_periods *p, uint32_t through, lock_plan *lp)
{
    uint16_t first_fy = cli_periods_first_fy(p);
    uint16_t fy = gl_fiscal_year(through * 100 + 1, p->first_month);
    if (first_fy && first_fy < fy)
        fy = first_fy;
    lp->from = p->locked_through ? web_month_next(p->locked_through)
                                 : gl_fiscal_year_start(fy, p->first_month) / 100;
    lp->through = through;
    lp->months = lp->from <= through ? cli_months_between(lp->from, through) : 0;
}

static void plan_show(gl_buf *b, const lock_plan *lp)
{
    web_raw(b, "<table class=\"narrow\"><thead><tr>");
    web_th(b, _("Month"), false);
    if (lp->counted)
        web_th(b, _("Entries"), true);
    web_raw(b, "</tr></thead><tbody>");
    uint32_t ym = lp->from;
    for (uint32_t i = 0; i < lp->months; i++, ym = web_month_next(ym)) {
        web_raw(b, "<tr><td>");
        web_month(b, ym);
        if (lp->counted)
            web_markf(b, "</td><td class=\"num\">%u", lp->counts[i]);
        web_raw(b, "</td></tr>");
    }
    if (lp->counted) {
        web_raw(b, "<tr class=\"total\"><td>");
        web_esc(b, _("Total"));
        web_markf(b, "</td><td class=\"num\">%" PRIu64 "</td></tr>", lp->entries);
    }
    web_raw(b, "</tbody></table>\n");
}

int page_lock(web_req *r, gl_buf *b)
{
    char text[16];
    uint32_t through;
    if (web_arg(r, "through", text, sizeof text) != WEB_FORM_FOUND ||
        !web_month_parse(text, &through))
        return web_form_refused(r, b, _("Lock periods"),
                                _("Month: choose the last month to lock, such as 2025-03."));
    web_page_begin(b, r, _("Lock periods"), "/periods");
    gl_response resp;
    gl_reply_periods p;
    if (web_periods(r, b, &resp, &p)) {
        web_page_end(b);
        return 200;
    }
    lock_plan *lp = calloc(1, sizeof *lp);
    if (!lp) {
        gl_response_free(&resp);
        web_banner(b, _("Out of memory."), true);
        web_page_end(b);
        return 500;
    }
    plan_months(&p, through, lp);
    gl_response_free(&resp);
    if (!lp->months || through <= p.locked_through) {
        char msg[200];
        snprintf(msg, sizeof msg,
                 _("Nothing to lock: the periods are already locked through %02u/%04u."),
                 p.locked_through % 100, p.locked_through / 100);
        web_banner(b, msg, true);
    } else if (lp->months > LOCK_MONTHS_MAX) {
        web_banner(b, _("Too many months at once: lock an earlier month first."), true);
    } else {
        lp->counted = cli_count_months(r->app->c, r->tenant, lp->from, lp->through, lp->counts,
                                       &lp->entries) == 0;
        web_raw(b, "<p class=\"warning\">");
        char msg[300];
        snprintf(msg, sizeof msg,
                 PLURAL(lp->months,
                        "Locking through %02u/%04u locks this %u month for ever: no entry dated in "
                        "it will be accepted any more, and a locked month never reopens.",
                        "Locking through %02u/%04u locks these %u months for ever: no entry dated "
                        "in them will be accepted any more, and a locked month never reopens."),
                 through % 100, through / 100, lp->months);
        web_esc(b, msg);
        web_raw(b, "</p>\n");
        plan_show(b, lp);
        web_raw(b, "<form method=\"post\" action=\"/lock\">");
        web_form_hidden(b, r);
        web_markf(b,
                  "<input type=\"hidden\" name=\"through\" value=\"%04u-%02u\">"
                  "<input type=\"hidden\" name=\"rid\" value=\"%" PRIu64 "\">",
                  through / 100, through % 100, gl_request_id_random());
        web_raw(b, "<button class=\"danger\">");
        web_esc(b, _("Lock for ever"));
        web_raw(b, "</button> <a href=\"/periods");
        web_tenant_arg(b, r, "?");
        web_raw(b, "\">");
        web_esc(b, _("Cancel"));
        web_raw(b, "</a></form>\n");
    }
    free(lp);
    web_page_end(b);
    return 200;
}

int form_lock(web_req *r, gl_buf *b)
{
    char text[16], rid_text[32];
    uint32_t through;
    uint64_t rid;
    if (web_field(r, "through", text, sizeof text) != WEB_FORM_FOUND ||
        !web_month_parse(text, &through))
        return web_form_refused(r, b, _("Lock periods"),
                                _("Month: choose the last month to lock, such as 2025-03."));
    if (web_field(r, "rid", rid_text, sizeof rid_text) != WEB_FORM_FOUND ||
        !web_rid_parse(rid_text, &rid))
        return web_form_refused(r, b, _("Lock periods"),
                                _("The form has no request id: reload the confirmation page."));
    gl_buf body;
    gl_buf_init(&body);
    gl_lock_q q = {.through_ym = through, .mode = GL_LOCK_THROUGH};
    gl_lock_q_encode(&body, &q);
    gl_response resp;
    char why[600];
    int rc = web_write(r, GL_KIND_LOCK, rid, body.data, body.len, &resp, why, sizeof why);
    gl_buf_free(&body);
    if (rc)
        return web_form_refused(r, b, _("Lock periods"), why);
    gl_response_free(&resp);
    char path[64];
    snprintf(path, sizeof path, "/periods?locked=%04u-%02u", through / 100, through % 100);
    web_redirect(r, path);
    return 303;
}
