/*
 * client/cli/cli_tenant_hint.c — "the tenants this key may see" after a
 * refusal naming another (cli_tenant_hint.h).  One more read-only request,
 * whose own failure is silent: the refusal was already reported.
 */
#include "cli_tenant_hint.h"

#include "proto/reply_group.h"

#include <stdio.h>
#include <string.h>

bool cli_tenants_list(cli *c, char *out, size_t out_len)
{
    gl_response resp;
    gl_reply_tenants r;
    size_t n = 0;
    out[0] = '\0';
    int st = gl_call(c->client, GL_KIND_TENANTS, "", gl_request_id_random(), NULL, 0, &resp);
    if (st == GL_OK && resp.reply.status == GL_OK &&
        gl_reply_tenants_decode(gl_reply_view(resp.reply.body, resp.reply.body_len), &r) == GL_OK) {
        gl_reply_tenants_iter it;
        gl_reply_tenants_row row;
        gl_reply_tenants_iter_init(&it, &r);
        for (int k = 0; gl_reply_tenants_next(&it, &row) == 1 && n + 1 < out_len; k++) {
            int w = snprintf(out + n, out_len - n, "%s%.*s", k ? ", " : "", (int)row.id.len,
                             row.id.ptr);
            n = w < 0 ? n : n + (size_t)w;
        }
    }
    gl_response_free(&resp);
    return out[0] != '\0';
}

void cli_tenant_hint(cli *c, unsigned status, const char *asked)
{
    if (status != GL_ERR_UNKNOWN_TENANT && status != GL_ERR_FORBIDDEN_TENANT)
        return;
    gl_whoami w;
    if (!asked || !c->client || gl_client_whoami(c->client, &w) != GL_OK)
        return;
    if (w.role == 1) { /* a member: its own tenant, never another's name */
        if (strcmp(w.tenant, asked) != 0)
            cli_error(
                "this key may see tenant %s only (not %s): --tenant %s, or leave --tenant "
                "out",
                w.tenant, asked, w.tenant);
        return;
    }
    char list[1024];
    if (status == GL_ERR_UNKNOWN_TENANT && cli_tenants_list(c, list, sizeof list))
        cli_error("there is no tenant %s; the tenants this key may see: %s", asked, list);
}
