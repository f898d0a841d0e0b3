/*
 * client/web/page_close.c — Clôture: close a fiscal year as `grandlivre
 * close-year` does.  The confirmation page says what the daemon will
 * write (the result entry on 120000 or 129000 for the result so far, the
 * à-nouveaux of the next year, the year closed for ever) and what it
 * requires (every month of the year locked, the previous year closed), so
 * that the accountant sees a refusal coming; the daemon stays the judge.
 * The request id is fixed by the confirmation page (hidden field rid): a
 * double submit closes once.
 */
#include "web_books.h"
#include "web_form.h"

#include "client/cli/i18n.h"
#include "proto/money.h"
#include "proto/query.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool year_arg(const char *text, uint16_t *fy)
{
    char *end;
    unsigned long v = strtoul(text, &end, 10);
    if (!text[0] || *end || v < 1900 || v > 2999)
        return false;
    *fy = (uint16_t)v;
    return true;
}

/* The year's row in PERIODS, and whether the year before it holds
 * entries and is open. */
static bool find_year(const gl_reply_periods *p, uint16_t fy, gl_reply_periods_row *out,
                      bool *previous_open)
{
    gl_reply_periods_iter it;
    gl_reply_periods_row row;
    bool found = false;
    *previous_open = false;
    gl_reply_periods_iter_init(&it, p);
    while (gl_reply_periods_next(&it, &row) == 1) {
        if (row.fy == fy) {
            *out = row;
            found = true;
        } else if (row.fy + 1 == fy && !row.closed)
            *previous_open = true;
    }
    return found;
}

static void item(gl_buf *b, const char *text)
{
    web_raw(b, "<li>");
    web_esc(b, text);
    web_raw(b, "</li>");
}

/* What the close will write and require, in words. */
static void close_plan(web_req *r, gl_buf *b, const gl_reply_periods *p,
                       const gl_reply_periods_row *row, bool previous_open)
{
    int64_t result = 0;
    bool known = web_year_result(r, b, row->end, &result) == 0 && result != INT64_MIN;
    char text[400], m[GL_MONEY_TEXT_MAX];
    web_raw(b, "<ul class=\"plan\">");
    if (known) {
        gl_money_format(result < 0 ? -result : result, GL_MONEY_FRENCH, m);
        snprintf(text, sizeof text,
                 result >= 0 ? _("The result entry (journal CL, %02u/%02u/%04u) zeroes classes 6 "
                                 "and 7 into 120000: a surplus of %s €.")
                             : _("The result entry (journal CL, %02u/%02u/%04u) zeroes classes 6 "
                                 "and 7 into 129000: a deficit of %s €."),
                 row->end % 100, row->end / 100 % 100, row->end / 10000, m);
        item(b, text);
    }
    snprintf(text, sizeof text,
             _("The à-nouveaux (journal AN, the first day of fiscal year %u) carry every class 1-5 "
               "balance forward."),
             row->fy + 1u);
    item(b, text);
    item(b, _("The year is then closed for ever: no entry can be added to it."));
    web_raw(b, "</ul>\n");
    uint32_t last_month = row->end / 100;
    if (p->locked_through < last_month) {
        if (p->locked_through)
            snprintf(text, sizeof text,
                     _("Every month of the year must be locked first: the periods are locked "
                       "through %02u/%04u, the year ends in %02u/%04u. The daemon will refuse the "
                       "close."),
                     p->locked_through % 100, p->locked_through / 100, last_month % 100,
                     last_month / 100);
        else
            snprintf(text, sizeof text,
                     _("Every month of the year must be locked first: no period is locked yet, "
                       "the year ends in %02u/%04u. The daemon will refuse the close."),
                     last_month % 100, last_month / 100);
        web_banner(b, text, true);
    }
    if (previous_open) {
        snprintf(
            text, sizeof text,
            _("Fiscal year %u is not closed: close it first. The daemon will refuse this one."),
            row->fy - 1u);
        web_banner(b, text, true);
    }
}

int page_close(web_req *r, gl_buf *b)
{
    char text[16];
    uint16_t fy;
    if (web_arg(r, "year", text, sizeof text) != WEB_FORM_FOUND || !year_arg(text, &fy))
        return web_form_refused(
            r, b, _("Close a fiscal year"),
            _("Year: a fiscal year such as 2025 (the calendar year it ends in)."));
    char title[120];
    snprintf(title, sizeof title, _("Close fiscal year %u"), fy);
    web_page_begin(b, r, title, "/periods");
    gl_response resp;
    gl_reply_periods p;
    if (web_periods(r, b, &resp, &p)) {
        web_page_end(b);
        return 200;
    }
    gl_reply_periods_row row;
    bool previous_open;
    if (!find_year(&p, fy, &row, &previous_open)) {
        web_banner(b, _("This fiscal year holds no entries."), true);
    } else if (row.closed) {
        web_banner(b, _("This fiscal year is already closed."), true);
    } else {
        web_raw(b, "<p>");
        web_date(b, row.start);
        web_raw(b, " – ");
        web_date(b, row.end);
        web_escf(b, " · %u ", row.last_num);
        web_esc(b, _("entries"));
        web_raw(b, "</p>\n");
        close_plan(r, b, &p, &row, previous_open);
        web_raw(b, "<form method=\"post\" action=\"/close\">");
        web_form_hidden(b, r);
        web_markf(b,
                  "<input type=\"hidden\" name=\"year\" value=\"%u\">"
                  "<input type=\"hidden\" name=\"rid\" value=\"%" PRIu64 "\">",
                  fy, gl_request_id_random());
        web_raw(b, "<button class=\"danger\">");
        web_esc(b, _("Close the year for ever"));
        web_raw(b, "</button> <a href=\"/periods");
        web_tenant_arg(b, r, "?");
        web_raw(b, "\">");
        web_esc(b, _("Cancel"));
        web_raw(b, "</a></form>\n");
    }
    gl_response_free(&resp);
    web_page_end(b);
    return 200;
}

int form_close(web_req *r, gl_buf *b)
{
    char text[16], rid_text[32];
    uint16_t fy;
    uint64_t rid;
    if (web_field(r, "year", text, sizeof text) != WEB_FORM_FOUND || !year_arg(text, &fy))
        return web_form_refused(
            r, b, _("Close a fiscal year"),
            _("Year: a fiscal year such as 2025 (the calendar year it ends in)."));
    if (web_field(r, "rid", rid_text, sizeof rid_text) != WEB_FORM_FOUND ||
        !web_rid_parse(rid_text, &rid))
        return web_form_refused(r, b, _("Close a fiscal year"),
                                _("The form has no request id: reload the confirmation page."));
    gl_buf body;
    gl_buf_init(&body);
    gl_close_q q = {.fy = fy};
    gl_close_q_encode(&body, &q);
    gl_response resp;
    char why[600];
    int rc = web_write(r, GL_KIND_CLOSE_YEAR, rid, body.data, body.len, &resp, why, sizeof why);
    gl_buf_free(&body);
    if (rc)
        return web_form_refused(r, b, _("Close a fiscal year"), why);
    gl_response_free(&resp);
    char path[64];
    snprintf(path, sizeof path, "/periods?closed=%u", fy);
    web_redirect(r, path);
    return 303;
}
