/*
 * client/web/web_tenants.c — the tenant switcher: the accountant's and
 * the auditor's keys see every tenant (TENANTS, asked once when the server
 * starts); a member key sees its own only, and gets no switcher.
 */
#include "web.h"

#include "client/cli/cli_tenant_hint.h"
#include "client/cli/i18n.h"
#include "proto/reply_group.h"
#include "proto/request.h"

#include <stdio.h>
#include <string.h>

static bool add_tenant(void *user, const gl_reply_tenants_row *row)
{
    web_app *app = user;
    if (app->tenant_count >= WEB_TENANTS_MAX)
        return false;
    uint16_t n = app->tenant_count++;
    snprintf(app->tenants[n].id, sizeof app->tenants[n].id, "%.*s", (int)row->id.len, row->id.ptr);
    snprintf(app->tenants[n].name, sizeof app->tenants[n].name, "%.*s", (int)row->name.len,
             row->name.ptr);
    return true;
}

void web_tenants_load(web_app *app)
{
    app->tenant_count = 0;
    cli_tenants_each(app->c, add_tenant, app);
}

static void switcher_list(gl_buf *b, const web_req *r)
{
    const web_app *app = r->app;
    web_raw(b, " <select name=\"tenant\">");
    for (uint16_t i = 0; i < app->tenant_count; i++) {
        web_raw(b, "<option value=\"");
        web_esc(b, app->tenants[i].id);
        web_raw(b, strcmp(app->tenants[i].id, r->tenant) ? "\">" : "\" selected>");
        web_esc(b, app->tenants[i].id);
        if (app->tenants[i].name[0]) {
            web_raw(b, " — ");
            web_esc(b, app->tenants[i].name);
        }
        web_raw(b, "</option>");
    }
    web_raw(b, "</select>");
}

void web_tenant_switcher(gl_buf *b, const web_req *r, const char *active)
{
    const cli *c = r->app->c;
    /* a member key sees its own tenant only, whether implied by the key or
     * named with --tenant */
    if (c->source[PF_TENANT] == SRC_KEY || web_role(r->app) == WEB_ROLE_MEMBER)
        return;
    web_raw(b, "<form class=\"tenant\" method=\"get\" action=\"");
    web_raw(b, active);
    web_raw(b, "\"><label>");
    web_esc(b, _("Tenant"));
    if (r->app->tenant_count)
        switcher_list(b, r);
    else {
        web_raw(b, " <input name=\"tenant\" size=\"12\" value=\"");
        web_esc(b, r->tenant);
        web_raw(b, "\">");
    }
    web_raw(b, "</label> <button>");
    web_esc(b, _("Switch"));
    web_raw(b, "</button></form>");
}
