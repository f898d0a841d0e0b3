/*
 * client/web/page_entry.c — Entrée: one entry (?id=FY/NUM) with its
 * lines, who signed it (the key's fingerprint), when the daemon recorded
 * it, its letter codes and its reversal links both ways; the way to its
 * actions (Contre-passer: page_reverse.c; Lettrer on a third party's line:
 * page_letter.c), offered unless --read-only; and web_entry_link, the link
 * every other page's rows use to reach it.
 */
#include "web.h"
#include "web_form.h"
#include "web_links.h"

#include "client/cli/i18n.h"
#include "proto/query.h"
#include "proto/reply.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

void web_entry_link(gl_buf *b, const web_req *r, uint16_t fy, uint32_t num)
{
    web_raw(b, "<a href=\"/entry?id=");
    web_escf(b, "%u/%u", fy, num);
    web_tenant_arg(b, r, "&amp;");
    web_raw(b, "\">");
    web_escf(b, "%u/%u", fy, num);
    web_raw(b, "</a>");
}

void web_line_cells(gl_buf *b, const gl_line *l, gl_str label)
{
    web_raw(b, "<td>");
    web_escape(b, l->account.ptr, l->account.len);
    web_raw(b, "</td><td>");
    web_escape(b, l->aux.ptr, l->aux.len);
    web_raw(b, "</td><td>");
    web_escape(b, label.ptr, label.len);
    web_raw(b, "</td><td class=\"num\">");
    if (l->side == GL_SIDE_DEBIT)
        web_money(b, l->amount_cents);
    web_raw(b, "</td><td class=\"num\">");
    if (l->side == GL_SIDE_CREDIT)
        web_money(b, l->amount_cents);
    web_raw(b, "</td>");
}

static void item(gl_buf *b, const char *term)
{
    web_raw(b, "<dt>");
    web_esc(b, term);
    web_raw(b, "</dt><dd>");
}

static void recorded(gl_buf *b, int64_t ms)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return;
    web_escf(b, "%02d/%02d/%04d %02d:%02d:%02d UTC", tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900,
             tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* The third party's lettering page: /letter?account=A&aux=X&tenant=T. */
static void letter_link(gl_buf *b, const web_req *r, const gl_line *l, const char *text, unsigned n)
{
    char account[GL_ACCOUNT_MAX + 1], aux[GL_AUX_MAX + 1], pa[3 * GL_ACCOUNT_MAX + 1],
        px[3 * GL_AUX_MAX + 1];
    snprintf(account, sizeof account, "%.*s", (int)l->account.len, l->account.ptr);
    snprintf(aux, sizeof aux, "%.*s", (int)l->aux.len, l->aux.ptr);
    web_act_pct(pa, sizeof pa, account);
    web_act_pct(px, sizeof px, aux);
    web_raw(b, "<a href=\"/letter?account=");
    web_esc(b, pa);
    web_raw(b, "&amp;aux=");
    web_esc(b, px);
    web_tenant_arg(b, r, "&amp;");
    web_raw(b, "\" aria-label=\"");
    web_escf(b, _("Lettering of line %u (%s %s)"), n, account, aux);
    web_raw(b, "\">");
    web_esc(b, text);
    web_raw(b, "</a>");
}

static void entry_lines(gl_buf *b, const web_req *r, const gl_reply_entry_get *e)
{
    web_raw(b, "<table><thead><tr>");
    static const char *const heads[] = {N_("Line"),  N_("Account"), N_("Aux"),   N_("Label"),
                                        N_("Debit"), N_("Credit"),  N_("Letter")};
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
        web_raw(b, i == 4 || i == 5 ? "<th class=\"num\">" : "<th>");
        web_esc(b, _(heads[i]));
        web_raw(b, "</th>");
    }
    web_raw(b, "</tr></thead><tbody>\n");
    gl_line_iter it;
    gl_line l;
    gl_reply_letter_iter codes;
    gl_reply_entry_get_codes(e, &codes);
    gl_line_iter_init(&it, &e->entry);
    for (unsigned n = 1; gl_line_next(&it, &l); n++) {
        gl_reply_letter code = {{"", 0}, 0};
        if (e->code_count && gl_reply_letter_next(&codes, &code) != 1)
            code = (gl_reply_letter){{"", 0}, 0};
        web_raw(b, "<tr><td>");
        web_escf(b, "%u", n);
        web_raw(b, "</td>");
        web_line_cells(b, &l, l.label);
        web_raw(b, "<td>");
        char text[GL_LETTER_CODE_MAX + 1];
        snprintf(text, sizeof text, "%.*s", (int)code.code.len, code.code.ptr);
        if (!l.aux.len || r->app->read_only)
            web_esc(b, text);
        else /* the code leads to its group, an open line to its lettering */
            letter_link(b, r, &l, text[0] ? text : _("Letter it"), n);
        web_raw(b, "</td></tr>\n");
    }
    web_raw(b, "</tbody></table>\n");
}

static void entry_head(gl_buf *b, const web_req *r, const gl_reply_entry_get *e)
{
    const gl_entry *en = &e->entry;
    web_raw(b, "<dl class=\"entry\">");
    item(b, _("Date"));
    web_date(b, en->date);
    item(b, _("Journal"));
    web_escape(b, en->journal.ptr, en->journal.len);
    item(b, _("Piece"));
    web_escape(b, en->piece_ref.ptr, en->piece_ref.len);
    item(b, _("Label"));
    web_escape(b, en->label.ptr, en->label.len);
    item(b, _("Signed by"));
    char fp[GL_FINGERPRINT_LEN];
    gl_fingerprint(e->signer, fp);
    web_esc(b, fp);
    item(b, _("Recorded"));
    recorded(b, e->recorded_ms);
    if (en->reverses_num) {
        item(b, _("Reverses"));
        web_entry_link(b, r, en->reverses_fy, en->reverses_num);
    }
    if (e->reversed_by_num) {
        item(b, _("Reversed by"));
        web_entry_link(b, r, e->reversed_by_fy, e->reversed_by_num);
    }
    web_raw(b, "</dd></dl>\n");
}

/* Contre-passer, where the daemon would allow it: not an entry of a year
 * close (flags), not reversed yet. */
static void entry_actions(gl_buf *b, const web_req *r, const gl_reply_entry_get *e)
{
    if (r->app->read_only || e->entry.flags || e->reversed_by_num)
        return;
    web_raw(b, "<p class=\"actions\"><a class=\"button\" href=\"/reverse?id=");
    web_escf(b, "%u/%u", e->fy, e->num);
    web_tenant_arg(b, r, "&amp;");
    web_raw(b, "\">");
    web_esc(b, _("Reverse this entry"));
    web_raw(b, "</a></p>\n");
}

int page_entry(web_req *r, gl_buf *b)
{
    char id[32] = "";
    uint16_t fy = 0;
    uint32_t num = 0;
    const char *rest = "";
    web_arg(r, "id", id, sizeof id);
    char title[64];
    snprintf(title, sizeof title, "%s %s", _("Entry"), id);
    web_page_begin(b, r, title, "/entry");
    if (cli_entry_ref_parse(id, &fy, &num, &rest) || *rest) {
        web_banner(b, _("Which entry? An entry number such as 2025/12."), true);
        web_page_end(b);
        return 200;
    }
    char posted[8];
    if (web_arg(r, "posted", posted, sizeof posted) == WEB_FORM_FOUND) {
        char text[80];
        snprintf(text, sizeof text, _("Entry %u/%u posted."), fy, num);
        web_banner(b, text, false);
    }
    gl_buf body;
    gl_buf_init(&body);
    gl_entry_ref ref = {(uint16_t)fy, num};
    gl_entry_ref_encode(&body, &ref);
    gl_response resp;
    if (web_call(r, b, GL_KIND_ENTRY_GET, body.data, body.len, &resp) == 0) {
        gl_reply_entry_get e;
        if (gl_reply_entry_get_decode(gl_reply_view(resp.reply.body, resp.reply.body_len), &e) !=
            GL_OK)
            web_banner(b, _("Cannot read the daemon's reply."), true);
        else {
            entry_head(b, r, &e);
            entry_actions(b, r, &e);
            entry_lines(b, r, &e);
        }
        gl_response_free(&resp);
    }
    gl_buf_free(&body);
    web_page_end(b);
    return 200;
}
