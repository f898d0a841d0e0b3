/*
 * client/web/web_role.c — what the key may do, as the daemon says it (its
 * role, from one PING on the first page), the navigation links that only
 * the accountant and the auditor see, and the signed write with a request
 * id fixed when its form was shown.
 *
 * The links are a convenience, not a wall: the daemon refuses a member
 * key every request of these pages whatever the navigation shows.
 */
#include "web.h"
#include "web_books.h"

#include "client/cli/i18n.h"
#include "proto/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void web_role_load(web_app *app)
{
    gl_whoami w;
    if (gl_client_whoami(app->c->client, &w) == GL_OK)
        app->role = w.role;
}

uint8_t web_role(web_app *app)
{
    if (!app->role) /* a daemon down at start is asked again on the next page */
        web_role_load(app);
    return app->role;
}

static void link(gl_buf *b, const web_req *r, const char *path, const char *label,
                 const char *active)
{
    web_raw(b, "<a href=\"");
    web_raw(b, path);
    web_tenant_arg(b, r, "?");
    web_raw(b, !strcmp(path, active) ? "\" aria-current=\"page\">" : "\">");
    web_esc(b, label);
    web_raw(b, "</a>");
}

void web_nav_books(gl_buf *b, const web_req *r, const char *active)
{
    uint8_t role = web_role(r->app);
    if (role != WEB_ROLE_ACCOUNTANT && role != WEB_ROLE_AUDITOR)
        return;
    link(b, r, "/periods", _("Periods"), active);
    link(b, r, "/group", _("Group"), active);
    link(b, r, "/statements", _("Statements"), active);
}

void web_form_hidden(gl_buf *b, const web_req *r)
{
    web_raw(b, "<input type=\"hidden\" name=\"csrf\" value=\"");
    web_esc(b, r->csrf);
    web_raw(b, "\">");
    if (r->tenant[0]) {
        web_raw(b, "<input type=\"hidden\" name=\"tenant\" value=\"");
        web_esc(b, r->tenant);
        web_raw(b, "\">");
    }
}

int web_write(web_req *r, uint16_t kind, uint64_t request_id, const void *body, size_t body_len,
              gl_response *resp, char *why, size_t why_len, int *status)
{
    cli *c = r->app->c;
    *status = 0;
    if (!r->tenant[0]) {
        snprintf(why, why_len, "%s", _("No tenant: give one in the Tenant field above."));
        memset(resp, 0, sizeof *resp);
        return -1;
    }
    int st = gl_call(c->client, kind, r->tenant, request_id, body, body_len, resp);
    if (st == GL_OK && resp->reply.status == GL_OK)
        return 0;
    if (st != GL_OK && st / 100 != 2) {
        snprintf(why, why_len, _("The daemon does not answer (%s): nothing was written."),
                 gl_client_error(c->client));
    } else {
        int code = st != GL_OK ? st : resp->reply.status;
        gl_str detail = st == GL_OK ? resp->reply.detail : (gl_str){0};
        *status = code;
        snprintf(why, why_len, _("The daemon refused: error %d %s: %s"), code,
                 gl_status_name(code), _(gl_status_message(code)));
        size_t n = strlen(why);
        if (detail.len && n < why_len)
            snprintf(why + n, why_len - n, " — %.*s", (int)detail.len, detail.ptr);
    }
    gl_response_free(resp);
    return -1;
}

void web_markf(gl_buf *b, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    web_raw(b, text);
}
