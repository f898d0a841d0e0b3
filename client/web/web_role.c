/*
 * client/web/web_role.c — what the key may do, as the daemon says it (its
 * role, from one PING on the first page) and the navigation links that
 * only the accountant and the auditor see.  Their pages write through
 * web_write (web_act.c), as Entrée's actions do.
 *
 * The links are a convenience, not a wall: the daemon refuses a member
 * key every request of these pages whatever the navigation shows.
 */
#include "web.h"
#include "web_util.h"
#include "web_books.h"

#include "client/cli/i18n.h"
#include "proto/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* When the role was last asked in vain (a daemon down): asked again a
 * minute later at the earliest, so that pages do not each wait for a
 * PING's timeout on top of their own request's. */
static time_t role_failed_at;
#define ROLE_RETRY_S 60

void web_role_load(web_app *app)
{
    gl_whoami w;
    if (gl_client_whoami(app->c->client, &w) == GL_OK)
        app->role = w.role;
    else
        role_failed_at = time(NULL);
}

uint8_t web_role(web_app *app)
{
    if (!app->role && (!role_failed_at || time(NULL) - role_failed_at >= ROLE_RETRY_S))
        web_role_load(app);
    return app->role;
}

void web_redirect(web_req *r, const char *path_query)
{
    size_t n = (size_t)snprintf(r->location, sizeof r->location, "%s", path_query);
    if (!r->tenant[0] || n >= sizeof r->location)
        return;
    n += (size_t)snprintf(r->location + n, sizeof r->location - n, "&tenant=");
    /* a tenant id is [a-z0-9-]; anything else is percent-encoded, never a
     * byte that could end the Location header */
    for (const char *t = r->tenant; *t && n + 4 < sizeof r->location; t++) {
        unsigned char ch = (unsigned char)*t;
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
            ch == '-' || ch == '_')
            r->location[n++] = (char)ch;
        else
            n += (size_t)snprintf(r->location + n, sizeof r->location - n, "%%%02X", ch);
    }
    r->location[n] = '\0';
}

void web_nav_books(gl_buf *b, const web_req *r, const char *active)
{
    uint8_t role = web_role(r->app);
    if (role != WEB_ROLE_ACCOUNTANT && role != WEB_ROLE_AUDITOR)
        return;
    web_nav_link(b, r, "/periods", _("Periods"), active);
    web_nav_link(b, r, "/group", _("Group"), active);
    web_nav_link(b, r, "/statements", _("Statements"), active);
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

void web_markf(gl_buf *b, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    web_raw(b, text);
}
