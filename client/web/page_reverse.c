/*
 * client/web/page_reverse.c — Contre-passation: GET /reverse?id=FY/N
 * shows the reversal `grandlivre reverse` would post (the same lines,
 * debit and credit swapped, labelled "Contre-passation FY/N", naming the
 * entry) and the date it will carry, by the CLI's rule: the original's own
 * date while its period is open, else a date the user gives in an open
 * period.  POST /reverse posts it with the request id fixed when the page
 * was shown (a double submit is the daemon's replay: one reversal), then
 * sends the browser to the new entry; a refusal shows the page again with
 * 422 and the daemon's reason.
 *
 * Only what the daemon allows is offered: an entry not written by a year
 * close (flags 0) and not reversed yet; the daemon decides all the same.
 */
#include "web.h"
#include "web_form.h"
#include "web_links.h"

#include "client/cli/i18n.h"
#include "client/cli/reversal.h"
#include "proto/date.h"
#include "proto/entry.h"
#include "proto/query.h"
#include "proto/reply.h"
#include "proto/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct rev {
    uint16_t fy;
    uint32_t num;
    gl_response resp; /* ENTRY_GET's, which e points into */
    gl_reply_entry_get e;
    uint32_t locked; /* the tenant's locked-through month YYYYMM, 0 if none */
} rev;

static bool parse_id(const char *id, uint16_t *fy, uint32_t *num)
{
    const char *rest;
    return cli_entry_ref_parse(id, fy, num, &rest) == 0 && !*rest;
}

/* "2025-03-31" (a date field's value) or "31/03/2025"; one whole day. */
static bool parse_date(const char *s, uint32_t *ymd)
{
    unsigned d, m, y;
    char tail;
    size_t n = strlen(s);
    if (n == 10 && gl_date_parse(s, n, ymd))
        return true;
    if (sscanf(s, "%2u/%2u/%4u%c", &d, &m, &y, &tail) != 3 || n != 10)
        return false;
    *ymd = y * 10000 + m * 100 + d;
    return gl_date_valid(*ymd);
}

/* The entry and the tenant's lock; 0, or -1 with a banner in b. */
static int fetch(web_req *r, gl_buf *b, rev *v)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_entry_ref ref = {v->fy, v->num};
    gl_entry_ref_encode(&body, &ref);
    int rc = web_call(r, b, GL_KIND_ENTRY_GET, body.data, body.len, &v->resp);
    gl_buf_free(&body);
    if (rc)
        return -1;
    if (gl_reply_entry_get_decode(gl_reply_view(v->resp.reply.body, v->resp.reply.body_len),
                                  &v->e) != GL_OK) {
        web_banner(b, _("Cannot read the daemon's reply."), true);
        gl_response_free(&v->resp);
        return -1;
    }
    gl_response periods;
    gl_reply_periods p;
    if (web_call(r, b, GL_KIND_PERIODS, NULL, 0, &periods)) {
        gl_response_free(&v->resp);
        return -1;
    }
    v->locked = gl_reply_periods_decode(gl_reply_view(periods.reply.body, periods.reply.body_len),
                                        &p) == GL_OK
                    ? p.locked_through
                    : 0;
    gl_response_free(&periods);
    return 0;
}

/* The POST body of the reversal of v dated date (count 1, the entry), as
 * cmd_reverse builds it (cli_reversal_build): the same bytes for the same entry and date, so a
 * second submit is a replay. */
static int build(const rev *v, uint32_t date, gl_buf *out)
{
    const gl_entry *o = &v->e.entry;
    cli_reversal rv;
    int st = cli_reversal_build(&rv, o, v->fy, v->num, date);
    if (st == GL_OK) {
        gl_put_u32(out, 1);
        st = gl_entry_encode(out, &rv.entry);
    }
    cli_reversal_free(&rv);
    return st == GL_OK && gl_buf_ok(out) ? GL_OK : (st ? st : GL_ERR_NOMEM);
}

static bool in_locked_period(const rev *v) { return v->e.entry.date / 100 <= v->locked; }

static void item(gl_buf *b, const char *term)
{
    web_raw(b, "</dd><dt>");
    web_esc(b, term);
    web_raw(b, "</dt><dd>");
}

/* What the reversal will be: its head and its lines, swapped. */
static void preview(gl_buf *b, const web_req *r, const rev *v)
{
    const gl_entry *o = &v->e.entry;
    web_raw(b, "<dl class=\"entry\"><dt>");
    web_esc(b, _("Reverses"));
    web_raw(b, "</dt><dd>");
    web_entry_link(b, r, v->fy, v->num);
    web_raw(b, " (");
    web_date(b, o->date);
    web_raw(b, ")");
    item(b, _("Journal"));
    web_escape(b, o->journal.ptr, o->journal.len);
    item(b, _("Piece"));
    web_escape(b, o->piece_ref.ptr, o->piece_ref.len);
    item(b, _("Label"));
    web_escf(b, "Contre-passation %u/%u", v->fy, v->num);
    web_raw(b, "</dd></dl>\n<table><thead><tr>");
    static const char *const heads[] = {N_("Account"), N_("Aux"), N_("Label"), N_("Debit"),
                                        N_("Credit")};
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
        web_raw(b, i >= 3 ? "<th class=\"num\">" : "<th>");
        web_esc(b, _(heads[i]));
        web_raw(b, "</th>");
    }
    web_raw(b, "</tr></thead><tbody>\n");
    gl_line_iter it;
    gl_line l;
    gl_line_iter_init(&it, o);
    while (gl_line_next(&it, &l)) {
        l.side = l.side == GL_SIDE_DEBIT ? GL_SIDE_CREDIT : GL_SIDE_DEBIT;
        web_raw(b, "<tr>");
        web_line_cells(b, &l, l.label);
        web_raw(b, "</tr>\n");
    }
    web_raw(b, "</tbody></table>\n");
}

/* The page once the entry is read: why it cannot be reversed, or the
 * preview and the form (date: the text to show in the date field). */
static void confirm(gl_buf *b, const web_req *r, const rev *v, const char *date, uint64_t rid)
{
    if (v->e.entry.flags) {
        web_banner(b, _("This entry was written by a year close: it cannot be reversed."), true);
        return;
    }
    if (v->e.reversed_by_num) {
        web_raw(b, "<p class=\"banner problem\" role=\"alert\">");
        web_esc(b, _("This entry was already reversed by"));
        web_raw(b, " ");
        web_entry_link(b, r, v->e.reversed_by_fy, v->e.reversed_by_num);
        web_raw(b, ".</p>\n");
        return;
    }
    web_raw(b, "<p>");
    web_esc(b, _("The reversal (contre-passation) posts the same lines with debit and credit "
                 "swapped, naming the entry it reverses, signed by your key. There is no edit and "
                 "no delete: a correction is a reversal and a new entry."));
    web_raw(b, "</p>\n");
    preview(b, r, v);
    web_raw(b, "<form class=\"action\" method=\"post\" action=\"/reverse\">");
    web_act_hidden(b, r, rid);
    web_raw(b, "<input type=\"hidden\" name=\"id\" value=\"");
    web_escf(b, "%u/%u", v->fy, v->num);
    web_raw(b, "\"><label for=\"rev-date\">");
    web_esc(b, _("Date of the reversal"));
    /* text, not type=date: the browser would show its own locale's order */
    web_raw(b,
            "</label> <input type=\"text\" id=\"rev-date\" name=\"date\" required "
            "size=\"10\" inputmode=\"numeric\" placeholder=\"31/03/2025\" "
            "aria-describedby=\"rev-date-why\" value=\"");
    web_esc(b, date);
    web_raw(b, "\"> <button>");
    web_esc(b, _("Reverse"));
    web_raw(b, "</button> <a href=\"/entry?id=");
    web_escf(b, "%u/%u", v->fy, v->num);
    web_tenant_arg(b, r, "&amp;");
    web_raw(b, "\">");
    web_esc(b, _("Cancel"));
    web_raw(b, "</a><p id=\"rev-date-why\" class=\"hint\">");
    char text[300];
    if (in_locked_period(v))
        snprintf(text, sizeof text,
                 _("The entry's period is locked (through %02u/%04u): give the reversal a date in "
                   "an open period."),
                 v->locked % 100, v->locked / 100);
    else
        snprintf(text, sizeof text,
                 _("By default the entry's own date, so that the reversal lands in the same "
                   "period; it may not be earlier, nor in a locked period."));
    web_esc(b, text);
    web_raw(b, "</p></form>\n");
}

static void page_head(gl_buf *b, web_req *r, const char *id)
{
    char title[80];
    snprintf(title, sizeof title, _("Reverse entry %s"), id);
    web_page_begin(b, r, title, "/reverse");
}

int page_reverse(web_req *r, gl_buf *b)
{
    char id[32] = "";
    web_arg(r, "id", id, sizeof id);
    page_head(b, r, id);
    rev v = {0};
    if (!parse_id(id, &v.fy, &v.num)) {
        web_banner(b, _("Which entry? An entry number such as 2025/12."), true);
    } else if (fetch(r, b, &v) == 0) {
        char date[11] = "";
        uint32_t d = v.e.entry.date;
        if (!in_locked_period(&v)) /* French, as every date the pages show */
            snprintf(date, sizeof date, "%02u/%02u/%04u", d % 100, d / 100 % 100, d / 10000);
        confirm(b, r, &v, date, gl_request_id_random());
        gl_response_free(&v.resp);
    }
    web_page_end(b);
    return 200;
}

/* The date posted, or the CLI's default; 0 with the reason in a banner. */
static uint32_t posted_date(const web_req *r, gl_buf *b, const rev *v, char *text, size_t cap)
{
    uint32_t date = 0;
    int got = web_field(r, "date", text, cap);
    if (got == WEB_FORM_BAD || (got == WEB_FORM_FOUND && !parse_date(text, &date))) {
        web_banner(b, _("Date of the reversal: a date such as 2025-03-31 or 31/03/2025."), true);
        return 0;
    }
    if (got != WEB_FORM_FOUND && in_locked_period(v)) {
        web_banner(b,
                   _("The entry's period is locked: give the reversal a date in an open period."),
                   true);
        return 0;
    }
    return date ? date : v->e.entry.date;
}

int form_reverse(web_req *r, gl_buf *b)
{
    char id[32] = "", date_text[32] = "";
    web_field(r, "id", id, sizeof id);
    page_head(b, r, id);
    rev v = {0};
    uint64_t rid = web_act_rid(r);
    if (!parse_id(id, &v.fy, &v.num)) {
        web_banner(b, _("Which entry? An entry number such as 2025/12."), true);
    } else if (!rid) {
        web_banner(b, _("This form has no request id: reload the page and try again."), true);
    } else if (fetch(r, b, &v) == 0) {
        uint32_t date = posted_date(r, b, &v, date_text, sizeof date_text);
        gl_buf body;
        gl_buf_init(&body);
        gl_response resp;
        if (date && build(&v, date, &body) != GL_OK)
            web_banner(b, _("The reversal cannot be written (too large)."), true);
        else if (date && web_act_call(r, b, GL_KIND_POST, rid, body.data, body.len, &resp) == 0) {
            gl_reply_post p = {0, {NULL, 0}};
            gl_reply_post_iter it;
            gl_reply_post_row row = {0, 0};
            if (gl_reply_post_decode(gl_reply_view(resp.reply.body, resp.reply.body_len), &p) ==
                GL_OK)
                gl_reply_post_iter_init(&it, &p);
            if (p.count && gl_reply_post_next(&it, &row) == 1) {
                char tenant[3 * GL_TENANT_MAX + 1];
                web_act_pct(tenant, sizeof tenant, r->tenant);
                snprintf(r->location, sizeof r->location, "/entry?id=%u/%u&tenant=%s&posted=1",
                         row.fy, row.num, tenant);
            }
            gl_response_free(&resp);
            gl_buf_free(&body);
            gl_response_free(&v.resp);
            if (r->location[0])
                return 303;
            web_banner(b, _("Cannot read the daemon's reply."), true);
            web_page_end(b);
            return 422;
        }
        gl_buf_free(&body);
        /* refused: the same form again (what was typed, the same request
         * id), or why the entry cannot be reversed now */
        gl_response_free(&v.resp);
        rev again = {.fy = v.fy, .num = v.num};
        if (fetch(r, b, &again) == 0) {
            confirm(b, r, &again, date_text, rid);
            gl_response_free(&again.resp);
        }
    }
    web_page_end(b);
    return 422;
}
