/*
 * client/web/web_layout.c — the page around every page's content, the
 * checked query arguments, and web_call: the daemon asked, its failure
 * shown as a banner on a page that still loads.
 */
#include "web.h"
#include "web_bank.h"
#include "web_util.h"
#include "web_form.h"

#include "client/cli/i18n.h"
#include "proto/status.h"

#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

int web_arg(const web_req *r, const char *name, char *out, size_t cap)
{
    const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
    if (!v || !v[0])
        return WEB_FORM_ABSENT;
    size_t n = strlen(v);
    if (n >= cap || !gl_utf8_valid(v, n))
        return WEB_FORM_BAD;
    memcpy(out, v, n + 1);
    return WEB_FORM_FOUND;
}

int web_field(const web_req *r, const char *name, char *out, size_t cap)
{
    if (!r->body)
        return WEB_FORM_ABSENT;
    return web_form_get(r->body, r->body_len, name, out, cap);
}

void web_tenant_arg(gl_buf *b, const web_req *r, const char *lead)
{
    if (!r->tenant[0])
        return;
    web_raw(b, lead);
    web_raw(b, "tenant=");
    /* a tenant id is [a-z0-9-]: nothing to percent-encode, escaped all the same */
    web_esc(b, r->tenant);
}

void web_page_begin(gl_buf *b, const web_req *r, const char *title, const char *active)
{
    web_raw(b, "<!DOCTYPE html>\n<html lang=\"");
    web_raw(b, i18n_french() ? "fr" : "en");
    web_raw(b,
            "\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>");
    web_esc(b, title);
    web_raw(b,
            " — Grand Livre</title><link rel=\"stylesheet\" href=\"/static/style.css\">"
            "</head><body><header><nav>");
    web_raw(b, "<span class=\"brand\">Grand Livre</span>");
    web_nav_link(b, r, "/", _("Home"), active);
    web_nav_link(b, r, "/post", _("Post an entry"), active);
    web_nav_link(b, r, "/journal", _("Journal"), active);
    web_nav_link(b, r, "/ledger", _("General ledger"), active);
    web_nav_link(b, r, "/balance", _("Trial balance"), active);
    web_nav_link(b, r, "/search", _("Search entries"), active);
    web_nav_link(b, r, "/third-parties", _("Third parties"), active);
    web_nav_link(b, r, "/receivables", _("Receivables"), active);
    web_nav_link(b, r, "/reminders", _("Reminders"), active);
    web_nav_bank(b, r, active);  /* a tenant with a bank account (page_bank.c) */
    web_nav_books(b, r, active); /* accountant and auditor (web_role.c) */
    web_raw(b, "</nav>");
    web_tenant_switcher(b, r, active);
    web_raw(b,
            "<form class=\"logout\" method=\"post\" action=\"/logout\">"
            "<input type=\"hidden\" name=\"csrf\" value=\"");
    web_esc(b, r->csrf);
    web_raw(b, "\"><button>");
    web_esc(b, _("Sign out"));
    web_raw(b, "</button></form></header><main><h1>");
    web_esc(b, title);
    if (r->tenant[0]) {
        web_raw(b, " <span class=\"tenant-name\">");
        web_esc(b, r->tenant);
        web_raw(b, "</span>");
    }
    web_raw(b, "</h1>\n");
}

void web_page_end(gl_buf *b) { web_raw(b, "</main></body></html>\n"); }

void web_banner(gl_buf *b, const char *text, bool problem)
{
    web_raw(b, problem ? "<p class=\"banner problem\" role=\"alert\">" : "<p class=\"banner\">");
    web_esc(b, text);
    web_raw(b, "</p>\n");
}

int web_call(web_req *r, gl_buf *b, uint16_t kind, const void *body, size_t body_len,
             gl_response *resp)
{
    if (!r->tenant[0]) {
        web_banner(b, _("No tenant: give one in the Tenant field above."), false);
        memset(resp, 0, sizeof *resp);
        return -1;
    }
    return web_call_for(r, b, kind, r->tenant, body, body_len, resp);
}

int web_call_for(web_req *r, gl_buf *b, uint16_t kind, const char *tenant, const void *body,
                 size_t body_len, gl_response *resp)
{
    cli *c = r->app->c;
    char text[600];
    int st = gl_call(c->client, kind, tenant, gl_request_id_random(), body, body_len, resp);
    if (st == GL_OK && resp->reply.status == GL_OK)
        return 0;
    if (st != GL_OK && st / 100 != 2)
        snprintf(text, sizeof text, _("The daemon does not answer (%s): the page shows no data."),
                 gl_client_error(c->client));
    else {
        int code = st != GL_OK ? st : resp->reply.status;
        if (tenant[0] && (code == GL_ERR_FORBIDDEN_TENANT || code == GL_ERR_UNKNOWN_TENANT))
            snprintf(text, sizeof text, _("Your key cannot see tenant %s (error %d %s)."), tenant,
                     code, gl_status_name(code));
        else
            snprintf(text, sizeof text, _("The daemon refused: error %d %s: %s"), code,
                     gl_status_name(code), _(gl_status_message(code)));
    }
    web_banner(b, text, true);
    gl_response_free(resp);
    return -1;
}
