/*
 * client/web/web_util.c — markup and requests several pages share
 * (web_util.h): one writer each, so that the pages give the same bytes.
 */
#include "web_util.h"

#include "web_form.h"
#include "web_html.h"

#include "client/cli/i18n.h"

#include <stdio.h>
#include <string.h>

void web_nav_link(gl_buf *b, const web_req *r, const char *path, const char *label,
                  const char *active)
{
    web_raw(b, "<a href=\"");
    web_raw(b, path);
    web_tenant_arg(b, r, "?");
    web_raw(b, !strcmp(path, active) ? "\" aria-current=\"page\">" : "\">");
    web_esc(b, label);
    web_raw(b, "</a>");
}

void web_th(gl_buf *b, const char *text, bool num)
{
    web_raw(b, num ? "<th class=\"num\">" : "<th>");
    web_esc(b, text);
    web_raw(b, "</th>");
}

void web_money_td(gl_buf *b, int64_t cents)
{
    web_raw(b, "<td class=\"num\">");
    web_money(b, cents);
    web_raw(b, "</td>");
}

void web_filters_begin(gl_buf *b, const web_req *r, const char *action)
{
    web_raw(b, "<form class=\"filters\" method=\"get\" action=\"");
    web_raw(b, action);
    web_raw(b, "\">");
    if (r->tenant[0]) {
        web_raw(b, "<input type=\"hidden\" name=\"tenant\" value=\"");
        web_esc(b, r->tenant);
        web_raw(b, "\">");
    }
}

void web_at_field(gl_buf *b, const char *at_text)
{
    web_raw(b, "<label>");
    web_esc(b, _("At"));
    web_raw(b, " <input name=\"at\" size=\"10\" value=\"");
    web_esc(b, at_text);
    web_raw(b, "\"></label>");
}

void web_filters_end(gl_buf *b)
{
    web_raw(b, "<button>");
    web_esc(b, _("Show"));
    web_raw(b, "</button></form>\n");
}

void web_aux_pct(gl_buf *b, const char *aux, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)aux[i];
        if ((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z'))
            gl_put_u8(b, ch);
        else
            web_escf(b, "%%%02X", ch);
    }
}

int web_balance_quiet(web_req *r, const gl_balance_q *q, gl_response *resp)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_balance_q_encode(&body, q);
    int st = gl_call(r->app->c->client, GL_KIND_BALANCE, r->tenant, gl_request_id_random(),
                     body.data, body.len, resp);
    gl_buf_free(&body);
    return st;
}

void web_journal_cursor(web_req *r, gl_journal_q *q)
{
    char v[48]; /* "65535/4294967295/18446744073709551615" fits */
    unsigned fy, num;
    unsigned long long wm;
    if (web_arg(r, "after", v, sizeof v) == WEB_FORM_FOUND &&
        sscanf(v, "%u/%u/%llu", &fy, &num, &wm) == 3 && fy <= UINT16_MAX) {
        q->after_fy = (uint16_t)fy;
        q->after_num = num;
        q->watermark = wm;
    }
}
