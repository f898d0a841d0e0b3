/*
 * client/web/page_letter.c — Lettrage of one third party (an account and
 * its auxiliary account, ?account=401000&aux=FOURN01): its open lines (the
 * daemon's LEDGER with the aux filter and OPEN_ITEMS, as `grandlivre ledger
 * --aux X --open`), a checkbox each; POST /letter sums the checked lines on
 * the server (the amounts are the daemon's, read again, never the
 * browser's) and refuses fewer than two lines or a sum that is not zero
 * before asking the daemon, else sends LETTER as `grandlivre letter` does;
 * then the lettered groups of that third party, each with a Délettrer
 * button (POST /unletter, as `grandlivre unletter`).
 *
 * Every form carries the request id fixed when it was shown: a double
 * submit is the daemon's replay, never a second lettering.
 */
#include "web.h"
#include "web_form.h"
#include "web_links.h"

#include "client/cli/i18n.h"
#include "proto/entry.h"
#include "proto/money.h"
#include "proto/query.h"
#include "proto/reply.h"
#include "proto/status.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct third {
    char account[GL_ACCOUNT_MAX + 1], aux[GL_AUX_MAX + 1];
} third;

/* The lines of the third party: one page of up to GL_PAGE_MAX. */
typedef struct lines {
    gl_response resp;
    gl_reply_ledger rep;
} lines;

/* The third party from the query (GET) or the form (POST): NULL, or what
 * is wrong with it (for a banner). */
static const char *read_third(const web_req *r, third *t)
{
    bool post = r->body != NULL;
    int a = post ? web_field(r, "account", t->account, sizeof t->account)
                 : web_arg(r, "account", t->account, sizeof t->account);
    int x = post ? web_field(r, "aux", t->aux, sizeof t->aux)
                 : web_arg(r, "aux", t->aux, sizeof t->aux);
    if (a != WEB_FORM_FOUND)
        t->account[0] = '\0';
    if (x != WEB_FORM_FOUND)
        t->aux[0] = '\0';
    for (char *p = t->account; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    if (!gl_account_valid((gl_str){t->account, strlen(t->account)}))
        return _("Account: an account number (0-9 A-Z, from a class 1-9).");
    if (!t->aux[0])
        return _("Which third party? Give its auxiliary account (aux), e.g. FOURN01.");
    return NULL;
}

/* "account=A&aux=X&tenant=T", percent-encoded (for a Location header). */
static void third_query(char *out, size_t cap, const web_req *r, const third *t)
{
    char a[3 * GL_ACCOUNT_MAX + 1], x[3 * GL_AUX_MAX + 1], tn[3 * GL_TENANT_MAX + 1];
    web_act_pct(a, sizeof a, t->account);
    web_act_pct(x, sizeof x, t->aux);
    web_act_pct(tn, sizeof tn, r->tenant);
    snprintf(out, cap, "account=%s&aux=%s&tenant=%s", a, x, tn);
}

/* LEDGER of the third party over every date; open: unlettered lines only.
 * 0, or -1 with a banner in b. */
static int fetch(web_req *r, gl_buf *b, const third *t, bool open, lines *out)
{
    gl_ledger_q q = {.account = {t->account, strlen(t->account)},
                     .from = 19000101,
                     .to = 29991231,
                     .limit = GL_PAGE_MAX,
                     .flags = GL_LEDGER_FILTER | (open ? GL_LEDGER_OPEN_ITEMS : 0),
                     .filter = {.fields = GL_FILTER_AUX, .aux = {t->aux, strlen(t->aux)}}};
    gl_buf body;
    gl_buf_init(&body);
    gl_ledger_q_encode(&body, &q);
    int rc = web_call(r, b, GL_KIND_LEDGER, body.data, body.len, &out->resp);
    gl_buf_free(&body);
    if (rc)
        return -1;
    if (gl_reply_ledger_decode(gl_reply_view(out->resp.reply.body, out->resp.reply.body_len),
                               &out->rep) != GL_OK) {
        web_banner(b, _("Cannot read the daemon's reply."), true);
        gl_response_free(&out->resp);
        return -1;
    }
    if (out->rep.more)
        web_banner(b, _("More lines than one page shows: only the first 1,000 are listed."), false);
    return 0;
}

static void pick_name(char out[48], const gl_reply_ledger_row *row)
{
    snprintf(out, 48, "pick-%u-%u-%u", row->fy, row->num, row->line);
}

static bool picked(const web_req *r, const gl_reply_ledger_row *row)
{
    char name[48], v[8];
    pick_name(name, row);
    return web_field(r, name, v, sizeof v) == WEB_FORM_FOUND;
}

static void money_cell(gl_buf *b, int64_t cents)
{
    web_raw(b, "<td class=\"num\">");
    if (cents)
        web_money(b, cents);
    web_raw(b, "</td>");
}

static void heads(gl_buf *b, const char *first)
{
    static const char *const names[] = {N_("Date"),  N_("Entry"), N_("Piece"),
                                        N_("Label"), N_("Debit"), N_("Credit")};
    web_raw(b, "<table><thead><tr><th>");
    web_esc(b, first);
    web_raw(b, "</th>");
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        web_raw(b, i >= 4 ? "<th class=\"num\">" : "<th>");
        web_esc(b, _(names[i]));
        web_raw(b, "</th>");
    }
    web_raw(b, "</tr></thead><tbody>\n");
}

/* A line's cells after the first: date, entry, piece, label, debit, credit. */
static void row_cells(gl_buf *b, const web_req *r, const gl_reply_ledger_row *row)
{
    web_raw(b, "<td>");
    web_date(b, row->date);
    web_raw(b, "</td><td>");
    web_entry_link(b, r, row->fy, row->num);
    web_escf(b, ":%u", row->line);
    web_raw(b, "</td><td>");
    web_escape(b, row->piece_ref.ptr, row->piece_ref.len);
    web_raw(b, "</td><td>");
    web_escape(b, row->label.ptr, row->label.len);
    web_raw(b, "</td>");
    money_cell(b, row->amount > 0 ? row->amount : 0);
    money_cell(b, row->amount < 0 ? -row->amount : 0);
}

/* The open lines as a form; the checked ones (a POST's) stay checked, and
 * their sum, when summed, is shown under the list. */
static void open_form(gl_buf *b, const web_req *r, const third *t, const lines *open, uint64_t rid,
                      const int64_t *sum)
{
    web_raw(b, "<h2>");
    web_esc(b, _("Open lines"));
    web_raw(b, "</h2>\n");
    if (!open->rep.count) {
        web_raw(b, "<p>");
        web_esc(b, _("No open line: everything of this third party is lettered."));
        web_raw(b, "</p>\n");
        return;
    }
    web_raw(b, "<form class=\"letter\" method=\"post\" action=\"/letter\">");
    web_act_hidden(b, r, rid);
    web_raw(b, "<input type=\"hidden\" name=\"account\" value=\"");
    web_esc(b, t->account);
    web_raw(b, "\"><input type=\"hidden\" name=\"aux\" value=\"");
    web_esc(b, t->aux);
    web_raw(b, "\">\n");
    heads(b, _("Line"));
    gl_reply_ledger_iter it;
    gl_reply_ledger_row row;
    gl_reply_ledger_iter_init(&it, &open->rep);
    while (gl_reply_ledger_next(&it, &row) == 1) {
        char name[48];
        pick_name(name, &row);
        web_raw(b, "<tr><td><input type=\"checkbox\" value=\"1\" name=\"");
        web_esc(b, name);
        web_raw(b, "\" id=\"");
        web_esc(b, name);
        web_raw(b, picked(r, &row) ? "\" checked aria-label=\"" : "\" aria-label=\"");
        web_escf(b, _("Line %u/%u:%u"), row.fy, row.num, row.line);
        web_raw(b, "\"></td>");
        row_cells(b, r, &row);
        web_raw(b, "</tr>\n");
    }
    web_raw(b, "</tbody></table>\n");
    if (sum) {
        web_raw(b, "<p class=\"sum\" id=\"letter-sum\" role=\"status\">");
        web_esc(b, _("Sum of the checked lines:"));
        web_raw(b, " <strong>");
        web_money(b, *sum);
        web_raw(b, "</strong></p>\n");
    }
    web_raw(b, "<p class=\"actions\"><button name=\"action\" value=\"letter\">");
    web_esc(b, _("Letter them"));
    web_raw(b, "</button> <button name=\"action\" value=\"sum\" class=\"secondary\">");
    web_esc(b, _("Compute the sum"));
    web_raw(b, "</button></p></form>\n");
}

/* One lettered group: its code, its lines, the Délettrer form. */
static void group(gl_buf *b, const web_req *r, const third *t, const lines *all, gl_str code)
{
    web_raw(b, "<tr class=\"group\"><td colspan=\"7\"><strong>");
    web_escape(b, code.ptr, code.len);
    web_raw(b, "</strong> <form class=\"inline\" method=\"post\" action=\"/unletter\">");
    web_act_hidden(b, r, gl_request_id_random());
    web_raw(b, "<input type=\"hidden\" name=\"account\" value=\"");
    web_esc(b, t->account);
    web_raw(b, "\"><input type=\"hidden\" name=\"aux\" value=\"");
    web_esc(b, t->aux);
    web_raw(b, "\"><input type=\"hidden\" name=\"code\" value=\"");
    web_escape(b, code.ptr, code.len);
    web_raw(b, "\"><button class=\"secondary\" aria-label=\"");
    char text[80];
    snprintf(text, sizeof text, _("Unletter %.*s"), (int)code.len, code.ptr);
    web_esc(b, text);
    web_raw(b, "\">");
    web_esc(b, _("Unletter"));
    web_raw(b, "</button></form></td></tr>\n");
    gl_reply_ledger_iter it;
    gl_reply_ledger_row row;
    gl_reply_ledger_iter_init(&it, &all->rep);
    while (gl_reply_ledger_next(&it, &row) == 1) {
        if (row.letter.len != code.len || memcmp(row.letter.ptr, code.ptr, code.len))
            continue;
        web_raw(b, "<tr><td></td>");
        row_cells(b, r, &row);
        web_raw(b, "</tr>\n");
    }
}

/* The lettered groups of the third party, each code once, in the order
 * its first line comes. */
static void lettered(web_req *r, gl_buf *b, const third *t)
{
    lines all;
    if (fetch(r, b, t, false, &all))
        return;
    web_raw(b, "<h2>");
    web_esc(b, _("Lettered lines"));
    web_raw(b, "</h2>\n");
    bool any = false;
    gl_reply_ledger_iter it, seen;
    gl_reply_ledger_row row, before;
    gl_reply_ledger_iter_init(&it, &all.rep);
    while (gl_reply_ledger_next(&it, &row) == 1) {
        if (!row.letter.len)
            continue;
        bool first = true;
        gl_reply_ledger_iter_init(&seen, &all.rep);
        while (first && gl_reply_ledger_next(&seen, &before) == 1 &&
               (before.fy != row.fy || before.num != row.num || before.line != row.line))
            first = before.letter.len != row.letter.len ||
                    memcmp(before.letter.ptr, row.letter.ptr, row.letter.len);
        if (!first)
            continue;
        if (!any)
            heads(b, _("Code"));
        any = true;
        group(b, r, t, &all, row.letter);
    }
    if (any)
        web_raw(b, "</tbody></table>\n");
    else {
        web_raw(b, "<p>");
        web_esc(b, _("No lettered line yet."));
        web_raw(b, "</p>\n");
    }
    gl_response_free(&all.resp);
}

static void page_head(gl_buf *b, web_req *r, const third *t)
{
    char title[120];
    snprintf(title, sizeof title, _("Lettering %s %s"), t->account, t->aux);
    web_page_begin(b, r, title, "/letter");
}

/* The whole page after the banners: the open lines (the form, with the
 * sum of a POST's checked lines when given) and the lettered groups. */
static void body(web_req *r, gl_buf *b, const third *t, uint64_t rid, const int64_t *sum)
{
    lines open;
    if (fetch(r, b, t, true, &open))
        return;
    open_form(b, r, t, &open, rid, sum);
    gl_response_free(&open.resp);
    lettered(r, b, t);
}

static void notice(web_req *r, gl_buf *b, const char *name, const char *fmt)
{
    char code[GL_LETTER_CODE_MAX + 1], text[120];
    if (web_arg(r, name, code, sizeof code) != WEB_FORM_FOUND)
        return;
    snprintf(text, sizeof text, fmt, code);
    web_banner(b, text, false);
}

int page_letter(web_req *r, gl_buf *b)
{
    third t = {"", ""};
    const char *bad = read_third(r, &t);
    page_head(b, r, &t);
    if (bad) {
        web_banner(b, bad, true);
        web_page_end(b);
        return 200;
    }
    notice(r, b, "lettered", _("Lines lettered: %s"));
    notice(r, b, "unlettered", _("Lettering %s removed: its lines are open again."));
    body(r, b, &t, gl_request_id_random(), NULL);
    web_page_end(b);
    return 200;
}

/* The checked lines among all the third party's lines (lettered ones too:
 * a double submit names lines its first submit lettered, and the daemon
 * then replays the first answer): their references (refs: room for every
 * row) and their sum; false if the sum overflows. */
static bool checked(const web_req *r, const lines *all, gl_line_ref *refs, uint16_t *count,
                    int64_t *sum)
{
    gl_reply_ledger_iter it;
    gl_reply_ledger_row row;
    bool fits = true;
    *count = 0;
    *sum = 0;
    gl_reply_ledger_iter_init(&it, &all->rep);
    while (gl_reply_ledger_next(&it, &row) == 1)
        if (picked(r, &row) && *count < GL_LETTER_LINES_MAX) {
            refs[(*count)++] = (gl_line_ref){row.fy, row.num, row.line};
            fits &= gl_money_add(sum, row.amount);
        }
    return fits;
}

/* LETTER of refs; 303 to the page with its code, or 0 (banner in b). */
static int letter(web_req *r, gl_buf *b, const third *t, uint64_t rid, const gl_line_ref *refs,
                  uint16_t count)
{
    gl_buf q;
    gl_buf_init(&q);
    gl_letter_q_encode(&q, (gl_str){t->account, strlen(t->account)},
                       (gl_str){t->aux, strlen(t->aux)}, refs, count);
    gl_response resp;
    int rc = web_act_call(r, b, GL_KIND_LETTER, rid, q.data, q.len, &resp);
    gl_buf_free(&q);
    if (rc)
        return 0;
    gl_reply_letter_done done;
    int status = 0;
    if (gl_reply_letter_done_decode(gl_reply_view(resp.reply.body, resp.reply.body_len), &done) !=
        GL_OK)
        web_banner(b, _("Cannot read the daemon's reply."), true);
    else {
        char query[200], code[3 * GL_LETTER_CODE_MAX + 1], raw[GL_LETTER_CODE_MAX + 1];
        snprintf(raw, sizeof raw, "%.*s", (int)done.code.len, done.code.ptr);
        web_act_pct(code, sizeof code, raw);
        third_query(query, sizeof query, r, t);
        snprintf(r->location, sizeof r->location, "/letter?%s&lettered=%s", query, code);
        status = 303;
    }
    gl_response_free(&resp);
    return status;
}

int form_letter(web_req *r, gl_buf *b)
{
    third t = {"", ""};
    const char *bad = read_third(r, &t);
    page_head(b, r, &t);
    uint64_t rid = web_act_rid(r);
    if (bad) {
        web_banner(b, bad, true);
        web_page_end(b);
        return 422;
    }
    if (!rid) {
        web_banner(b, _("This form has no request id: reload the page and try again."), true);
        web_page_end(b);
        return 422;
    }
    lines all;
    if (fetch(r, b, &t, false, &all)) {
        web_page_end(b);
        return 422;
    }
    gl_line_ref *refs = calloc(all.rep.count ? all.rep.count : 1, sizeof *refs);
    uint16_t count = 0;
    int64_t sum = 0;
    char action[16] = "";
    web_field(r, "action", action, sizeof action);
    int status = 422;
    if (!refs)
        web_banner(b, _("Out of memory."), true);
    else if (!checked(r, &all, refs, &count, &sum))
        web_banner(b, _("The sum of the checked lines overflows."), true);
    else if (!strcmp(action, "sum"))
        status = 200;
    else if (count < 2)
        web_banner(b, _("Check at least two lines to letter them together."), true);
    else if (sum) {
        char text[200], amount[40];
        gl_buf m;
        gl_buf_init(&m);
        web_money(&m, sum);
        snprintf(amount, sizeof amount, "%.*s", (int)m.len, m.data ? (const char *)m.data : "");
        gl_buf_free(&m);
        snprintf(text, sizeof text,
                 _("The checked lines sum to %s, not zero: lines lettered together must balance."),
                 amount);
        web_banner(b, text, true);
    } else if ((status = letter(r, b, &t, rid, refs, count)) == 0)
        status = 422;
    free(refs);
    gl_response_free(&all.resp);
    if (status != 303)
        body(r, b, &t, rid, &sum);
    web_page_end(b);
    return status;
}

int form_unletter(web_req *r, gl_buf *b)
{
    third t = {"", ""};
    const char *bad = read_third(r, &t);
    page_head(b, r, &t);
    char code[GL_LETTER_CODE_MAX + 1] = "";
    uint64_t rid = web_act_rid(r);
    if (bad) {
        web_banner(b, bad, true);
        web_page_end(b);
        return 422;
    }
    if (!rid || web_field(r, "code", code, sizeof code) != WEB_FORM_FOUND) {
        web_banner(b, _("This form has no request id: reload the page and try again."), true);
        body(r, b, &t, gl_request_id_random(), NULL);
        web_page_end(b);
        return 422;
    }
    for (char *p = code; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    gl_unletter_q q = {{t.account, strlen(t.account)}, {code, strlen(code)}};
    gl_buf body_q;
    gl_buf_init(&body_q);
    gl_unletter_q_encode(&body_q, &q);
    gl_response resp;
    int rc = web_act_call(r, b, GL_KIND_UNLETTER, rid, body_q.data, body_q.len, &resp);
    gl_buf_free(&body_q);
    if (rc == 0) {
        gl_response_free(&resp);
        char query[200], c[3 * GL_LETTER_CODE_MAX + 1];
        web_act_pct(c, sizeof c, code);
        third_query(query, sizeof query, r, &t);
        snprintf(r->location, sizeof r->location, "/letter?%s&unlettered=%s", query, c);
        return 303;
    }
    body(r, b, &t, gl_request_id_random(), NULL);
    web_page_end(b);
    return 422;
}
