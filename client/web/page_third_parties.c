/*
 * client/web/page_third_parties.c — Tiers: the tenant's registry of third
 * parties (THIRD_PARTIES, read-only), then the group entities of the
 * daemon's configuration, one row each: code, name, kind, collective
 * account, SIRET, payment terms, e-mail, origin.
 */
#include "web.h"
#include "web_util.h"

#include "client/cli/i18n.h"
#include "proto/limits.h"
#include "proto/third_party.h"

#include <stdio.h>
#include <string.h>

static void tp_head(gl_buf *b)
{
    static const char *const heads[] = {N_("Code"),    N_("Name"),  N_("Kind"),
                                        N_("Account"), N_("SIRET"), N_("Terms (days)"),
                                        N_("E-mail"),  N_("Origin")};
    web_raw(b, "<table><thead><tr>");
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
        web_raw(b, "<th>");
        web_esc(b, _(heads[i]));
        web_raw(b, "</th>");
    }
    web_raw(b, "</tr></thead><tbody>\n");
}

static void tp_cell(gl_buf *b, gl_str s)
{
    web_raw(b, "<td>");
    web_escape(b, s.ptr, s.len);
    web_raw(b, "</td>");
}

static void tp_row(gl_buf *b, uint8_t source, const gl_third_party *t)
{
    const char *kind = gl_tp_kind_name(t->kind);
    char terms[8];
    snprintf(terms, sizeof terms, "%u", t->terms_days);
    web_raw(b, "<tr>");
    tp_cell(b, t->code);
    const char *forgotten = _("(forgotten)"); /* a forgotten person's block stays sealed */
    tp_cell(b, t->flags & GL_TP_SEALED ? (gl_str){forgotten, strlen(forgotten)} : t->name);
    tp_cell(b, (gl_str){kind ? kind : "?", kind ? strlen(kind) : 1});
    tp_cell(b, t->collective);
    tp_cell(b, t->siren);
    tp_cell(b, (gl_str){terms, strlen(terms)});
    tp_cell(b, t->email);
    web_raw(b, "<td>");
    web_esc(b, source == GL_TP_FROM_CONFIG ? _("configuration") : _("registry"));
    web_raw(b, "</td></tr>\n");
}

/* One page of THIRD_PARTIES after code `after` into the table; its last
 * registry code into last, and whether more follow. */
static int tp_page(web_req *r, gl_buf *b, const char *after, char *last, bool *more, uint32_t *n)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_tp_list_encode(&body, &(gl_tp_list_q){{"", 0}, {after, strlen(after)}});
    gl_response resp;
    int rc = web_call(r, b, GL_KIND_THIRD_PARTIES, body.data, body.len, &resp);
    gl_buf_free(&body);
    if (rc)
        return rc;
    gl_tp_reply p;
    gl_tp_reply_open(&p, resp.reply.body, resp.reply.body_len);
    *more = p.more;
    uint8_t source;
    gl_third_party t;
    while (gl_tp_reply_next(&p, &source, &t)) {
        tp_row(b, source, &t);
        (*n)++;
        if (source == GL_TP_FROM_REGISTRY)
            snprintf(last, GL_AUX_MAX + 1, "%.*s", (int)t.code.len, t.code.ptr);
    }
    if (gl_tp_reply_end(&p) != GL_OK) {
        *more = false;
        web_raw(b, "</tbody></table>\n");
        web_banner(b, _("Cannot read the daemon's reply."), true);
        web_raw(b, "<table><tbody>\n");
    }
    gl_response_free(&resp);
    return 0;
}

int page_third_parties(web_req *r, gl_buf *b)
{
    web_page_begin(b, r, _("Third parties"), "/third-parties");
    tp_head(b);
    char last[GL_AUX_MAX + 1] = "";
    bool more = true;
    uint32_t n = 0;
    while (more && tp_page(r, b, last, last, &more, &n) == 0)
        ;
    web_raw(b, "</tbody></table>\n");
    if (!n)
        web_banner(b, _("No third party in the registry."), false);
    web_page_end(b);
    return 200;
}
