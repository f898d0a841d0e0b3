/*
 * client/web/page_journal.c — Journal: the entries over a date range, one
 * row per line, filtered by the daemon (text, account prefix, auxiliary
 * account, amount, journal), a page of entries at a time (the daemon's
 * cursor in the "next page" link).  Each row links to its entry.
 */
#include "web.h"
#include "web_util.h"
#include "web_csv.h"
#include "web_filters.h"
#include "web_links.h"

#include "client/cli/i18n.h"
#include "proto/query.h"
#include "proto/reply.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define JOURNAL_PAGE_ENTRIES 100

void web_journal_rows(gl_buf *b, const web_req *r, const gl_reply_journal_row *row)
{
    const gl_entry *e = &row->entry;
    gl_line_iter it;
    gl_line l;
    gl_line_iter_init(&it, e);
    while (gl_line_next(&it, &l)) {
        gl_str label = l.label.len ? l.label : e->label;
        web_raw(b, "<tr><td>");
        web_entry_link(b, r, row->fy, row->num);
        web_raw(b, "</td><td>");
        web_date(b, e->date);
        web_raw(b, "</td><td>");
        web_escape(b, e->journal.ptr, e->journal.len);
        web_raw(b, "</td><td>");
        web_escape(b, e->piece_ref.ptr, e->piece_ref.len);
        web_raw(b, "</td>");
        web_line_cells(b, &l, label);
        web_raw(b, "</tr>\n");
    }
}

void web_journal_head(gl_buf *b)
{
    static const char *const heads[] = {N_("Entry"), N_("Date"),    N_("Journal"),
                                        N_("Piece"), N_("Account"), N_("Aux"),
                                        N_("Label"), N_("Debit"),   N_("Credit")};
    web_raw(b, "<table><thead><tr>");
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
        web_raw(b, i >= 7 ? "<th class=\"num\">" : "<th>");
        web_esc(b, _(heads[i]));
        web_raw(b, "</th>");
    }
    web_raw(b, "</tr></thead><tbody>\n");
}

void web_journal_foot(gl_buf *b) { web_raw(b, "</tbody></table>\n"); }

/* "/journal?FILTERS" escaped for an attribute, into a C string. */
static void journal_href(gl_buf *b, const web_filters *f)
{
    web_raw(b, "/journal?");
    web_filters_query(b, f);
    gl_put_u8(b, 0);
}

int page_journal(web_req *r, gl_buf *b)
{
    web_filters f;
    gl_buf scratch; /* a bad field's banner, for the page below */
    gl_buf_init(&scratch);
    bool ok = web_filters_read(r, &f, &scratch, true);
    gl_journal_q q = {
        .from = f.from_ymd, .to = f.to_ymd, .limit = JOURNAL_PAGE_ENTRIES, .filter = f.filter};
    if (q.filter.fields)
        q.flags |= GL_JOURNAL_FILTER;
    if (ok && web_csv_wanted(r)) {
        char name[128];
        web_csv_name(name, sizeof name, "journal", r->tenant, q.from, q.to);
        gl_buf_free(&scratch);
        return web_csv_journal(r, b, _("Journal"), "/journal", &q, NULL, NULL, name);
    }
    web_page_begin(b, r, _("Journal"), "/journal");
    gl_put_bytes(b, scratch.data, scratch.len);
    gl_buf_free(&scratch);
    web_filters_form(b, r, &f, "/journal", true);
    if (!ok) {
        web_page_end(b);
        return 200;
    }
    gl_buf href;
    gl_buf_init(&href);
    journal_href(&href, &f);
    if (gl_buf_ok(&href))
        web_csv_link(b, r, (const char *)href.data);
    gl_buf_free(&href);
    web_journal_cursor(r, &q);
    gl_buf body;
    gl_buf_init(&body);
    gl_journal_q_encode(&body, &q);
    gl_response resp;
    if (web_call(r, b, GL_KIND_JOURNAL, body.data, body.len, &resp) == 0) {
        gl_reply_journal rep;
        gl_reply_journal_iter it;
        gl_reply_journal_row row;
        if (gl_reply_journal_page(gl_reply_view(resp.reply.body, resp.reply.body_len), &q, &rep,
                                  &it) != GL_OK)
            web_banner(b, _("Cannot read the daemon's reply."), true);
        else {
            web_journal_head(b);
            uint32_t n = 0;
            while (gl_reply_journal_next(&it, &row) == 1) {
                web_journal_rows(b, r, &row);
                n++;
            }
            web_journal_foot(b);
            if (!n)
                web_banner(b, _("No entry matches."), false);
            if (rep.more) {
                web_raw(b, "<p class=\"pager\"><a href=\"/journal?");
                web_filters_query(b, &f);
                web_escf(b, "&after=%u/%u/%" PRIu64, q.after_fy, q.after_num, q.watermark);
                web_tenant_arg(b, r, "&amp;");
                web_raw(b, "\">");
                web_esc(b, _("Next page"));
                web_raw(b, " →</a></p>\n");
            }
        }
        gl_response_free(&resp);
    }
    gl_buf_free(&body);
    web_page_end(b);
    return 200;
}
