/*
 * client/web/page_search.c — Recherche: find entries by label text, piece
 * reference, amount, third party (aux), account, journal and dates, with
 * the daemon's JOURNAL filter (proto/find.c, read by web_filters.c as the
 * Journal page does), a page of entries at a time (the daemon's cursor in
 * the "next page" link), each line linking to its entry, and the whole
 * result as a CSV file (&format=csv, web_csv.c).
 *
 * The filter block has no piece field, but its text is matched in the
 * entry label, the line labels AND the piece reference (find.h): a piece
 * is sent as the text filter, and the rows are then kept when the piece
 * reference holds it (folded, as the daemon folds); with a label text too,
 * that text is checked here with the daemon's own rule (gl_find_entry).
 *
 * A field that cannot be read (not a date, not an amount, too long) is
 * shown next to the field with status 422, and the daemon is asked nothing.
 */
#include "web.h"
#include "web_util.h"
#include "web_csv.h"
#include "web_filters.h"
#include "web_form.h"
#include "web_links.h"

#include "client/cli/i18n.h"
#include "proto/find.h"
#include "proto/query.h"
#include "proto/reply.h"
#include "proto/textfold.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEARCH_PAGE_ENTRIES 50
/* Daemon pages read to fill one page when rows are kept here (piece). */
#define SEARCH_CALLS_MAX 20

typedef struct search {
    web_filters f;
    char piece[GL_PIECE_MAX + 1];
    char rows_text[8];
    uint16_t rows;
    const char *bad_field; /* the field at fault and why */
    char bad_text[200];
    gl_filter label_only; /* the label text, checked here when a piece is given */
} search;

/* The rows the daemon's filter cannot select: the piece, and the label
 * text when the piece took the filter's text. */
static bool keep_row(const gl_reply_journal_row *row, void *user)
{
    const search *s = user;
    if (!s->piece[0])
        return true;
    gl_str p = row->entry.piece_ref;
    return gl_text_contains(p.ptr, p.len, s->piece, strlen(s->piece)) &&
           gl_find_entry(&s->label_only, &row->entry);
}

static bool any_arg(const web_req *r)
{
    static const char *const names[] = {"text",    "piece", "amount", "aux",  "account",
                                        "journal", "from",  "to",     "after"};
    char v[GL_LABEL_MAX + 1];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (web_arg(r, names[i], v, sizeof v) != WEB_FORM_ABSENT)
            return true;
    return false;
}

/* Read and check every field: false with bad_field set (nothing asked). */
static bool read_search(web_req *r, search *s)
{
    gl_buf scratch; /* web_filters_read's banner: this page shows the field instead */
    gl_buf_init(&scratch);
    bool ok = web_filters_read(r, &s->f, &scratch, true);
    gl_buf_free(&scratch);
    if (!ok) {
        s->bad_field = s->f.bad_field;
        snprintf(s->bad_text, sizeof s->bad_text, "%s", s->f.bad_text);
        return false;
    }
    s->rows = SEARCH_PAGE_ENTRIES;
    if (web_arg(r, "rows", s->rows_text, sizeof s->rows_text) == WEB_FORM_FOUND) {
        char *end;
        long n = strtol(s->rows_text, &end, 10);
        if (*end || n < 1 || n > GL_PAGE_MAX)
            s->rows_text[0] = '\0';
        else
            s->rows = (uint16_t)n;
    }
    int got = web_arg(r, "piece", s->piece, sizeof s->piece);
    if (got == WEB_FORM_BAD) {
        s->piece[0] = '\0';
        s->bad_field = "piece";
        snprintf(s->bad_text, sizeof s->bad_text, _("Piece: at most %d bytes of text."),
                 GL_PIECE_MAX);
        return false;
    }
    if (!s->piece[0])
        return true;
    gl_filter *g = &s->f.filter;
    if (g->fields & GL_FILTER_TEXT) {
        s->label_only.fields = GL_FILTER_TEXT;
        s->label_only.text = g->text;
    }
    g->text = (gl_str){s->piece, strlen(s->piece)};
    g->fields |= GL_FILTER_TEXT;
    return true;
}

/* One labelled field, with its error next to it. */
static void field(gl_buf *b, const search *s, const char *label, const char *name,
                  const char *value, const char *type, const char *size, const char *hint)
{
    bool bad = s->bad_field && !strcmp(s->bad_field, name);
    web_raw(b, "<div class=\"field\"><label for=\"s-");
    web_raw(b, name);
    web_raw(b, "\">");
    web_esc(b, label);
    web_raw(b, "</label><input type=\"");
    web_raw(b, type);
    web_raw(b, "\" id=\"s-");
    web_raw(b, name);
    web_raw(b, "\" name=\"");
    web_raw(b, name);
    web_raw(b, "\" size=\"");
    web_raw(b, size);
    web_raw(b, "\" value=\"");
    web_esc(b, value);
    web_raw(b, "\"");
    if (hint) {
        web_raw(b, " placeholder=\"");
        web_esc(b, hint);
        web_raw(b, "\"");
    }
    if (bad) {
        web_raw(b, " aria-invalid=\"true\" aria-describedby=\"s-");
        web_raw(b, name);
        web_raw(b, "-error\" autofocus><span class=\"field-error\" id=\"s-");
        web_raw(b, name);
        web_raw(b, "-error\">");
        web_esc(b, s->bad_text);
        web_raw(b, "</span></div>");
    } else
        web_raw(b, "></div>");
}

static void search_form(gl_buf *b, const web_req *r, const search *s)
{
    const web_filters *f = &s->f;
    web_raw(b, "<form class=\"search\" method=\"get\" action=\"/search\" role=\"search\">");
    if (r->tenant[0]) {
        web_raw(b, "<input type=\"hidden\" name=\"tenant\" value=\"");
        web_esc(b, r->tenant);
        web_raw(b, "\">");
    }
    field(b, s, _("Label"), "text", f->text, "search", "24", NULL);
    field(b, s, _("Piece"), "piece", s->piece, "text", "10", NULL);
    field(b, s, _("Amount"), "amount", f->amount, "text", "10", "1234,56");
    field(b, s, _("Third party"), "aux", f->aux, "text", "10", NULL);
    field(b, s, _("Account"), "account", f->account, "text", "8", NULL);
    field(b, s, _("Journal"), "journal", f->journal, "text", "4", NULL);
    field(b, s, _("From"), "from", f->from, "text", "10", _("YYYY-MM-DD"));
    field(b, s, _("To"), "to", f->to, "text", "10", _("YYYY-MM-DD"));
    web_raw(b, "<div class=\"field\"><button>");
    web_esc(b, _("Search"));
    web_raw(b, "</button></div></form>\n");
}

/* The address of this search (escaped for an attribute), without cursor. */
static void search_href(gl_buf *b, const search *s)
{
    web_raw(b, "/search?");
    web_filters_query(b, &s->f);
    web_query_arg(b, "piece", s->piece);
    web_query_arg(b, "rows", s->rows_text);
}

static void results(web_req *r, gl_buf *b, search *s, gl_journal_q *q)
{
    uint32_t shown = 0;
    bool more = true, table = false;
    for (int calls = 0; more && shown < s->rows && calls < SEARCH_CALLS_MAX; calls++) {
        gl_buf body;
        gl_buf_init(&body);
        gl_journal_q_encode(&body, q);
        gl_response resp;
        int rc = web_call(r, b, GL_KIND_JOURNAL, body.data, body.len, &resp);
        gl_buf_free(&body);
        if (rc) {
            if (table)
                web_journal_foot(b);
            return;
        }
        gl_reply_journal rep;
        gl_reply_journal_iter it;
        gl_reply_journal_row row;
        if (gl_reply_journal_page(gl_reply_view(resp.reply.body, resp.reply.body_len), q, &rep,
                                  &it) != GL_OK) {
            gl_response_free(&resp);
            if (table)
                web_journal_foot(b);
            web_banner(b, _("Cannot read the daemon's reply."), true);
            return;
        }
        more = rep.more;
        while (gl_reply_journal_next(&it, &row) == 1) {
            if (!keep_row(&row, s))
                continue;
            if (!table) {
                web_journal_head(b);
                table = true;
            }
            web_journal_rows(b, r, &row);
            shown++;
        }
        gl_response_free(&resp);
    }
    if (table)
        web_journal_foot(b);
    else if (!more)
        web_banner(b, _("No entry matches this search. Try fewer fields, or a word of the label."),
                   false);
    if (more) {
        web_raw(b, "<p class=\"pager\"><a href=\"");
        search_href(b, s);
        web_escf(b, "&after=%u/%u/%" PRIu64, q->after_fy, q->after_num, q->watermark);
        web_tenant_arg(b, r, "&amp;");
        web_raw(b, "\">");
        web_esc(b, _("Next page"));
        web_raw(b, " →</a></p>\n");
    }
}

int page_search(web_req *r, gl_buf *b)
{
    search s;
    memset(&s, 0, sizeof s);
    bool asked = any_arg(r);
    bool ok = read_search(r, &s);
    gl_journal_q q = {.from = s.f.from_ymd,
                      .to = s.f.to_ymd,
                      .limit = s.rows,
                      .filter = s.f.filter,
                      .flags = s.f.filter.fields ? GL_JOURNAL_FILTER : 0};
    if (ok && asked && web_csv_wanted(r)) {
        char name[128];
        web_csv_name(name, sizeof name, "recherche", r->tenant, q.from, q.to);
        return web_csv_journal(r, b, _("Search entries"), "/search", &q, keep_row, &s, name);
    }
    web_page_begin(b, r, _("Search entries"), "/search");
    search_form(b, r, &s);
    if (!ok) {
        web_banner(b, _("The search was not run: correct the field shown."), true);
        web_page_end(b);
        return 422;
    }
    if (!asked) {
        web_banner(b, _("Fill in one or more fields: every entry that matches them all is listed."),
                   false);
        web_page_end(b);
        return 200;
    }
    gl_buf href;
    gl_buf_init(&href);
    search_href(&href, &s);
    gl_put_u8(&href, 0);
    if (gl_buf_ok(&href))
        web_csv_link(b, r, (const char *)href.data);
    gl_buf_free(&href);
    /* the dates in effect: the current year when none are given */
    web_raw(b, "<p class=\"period\">");
    web_esc(b, _("Period searched:"));
    web_raw(b, " ");
    web_date(b, q.from);
    web_raw(b, " – ");
    web_date(b, q.to);
    web_raw(b, "</p>\n");
    web_journal_cursor(r, &q);
    results(r, b, &s, &q);
    web_page_end(b);
    return 200;
}
