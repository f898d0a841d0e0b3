/*
 * client/cli/cli_tenant_hint.c — "the tenants this key may see" after a
 * refusal naming another (cli_tenant_hint.h).  One more read-only request,
 * whose own failure is silent: the refusal was already reported.
 */
#include "cli_tenant_hint.h"

#include "proto/reply_group.h"

#include <stdio.h>
#include <string.h>

void cli_tenants_each(cli *c, bool (*row_fn)(void *user, const gl_reply_tenants_row *row),
                      void *user)
{
    gl_response resp;
    gl_reply_tenants r;
    int st = gl_call(c->client, GL_KIND_TENANTS, "", gl_request_id_random(), NULL, 0, &resp);
    if (st == GL_OK && resp.reply.status == GL_OK &&
        gl_reply_tenants_decode(gl_reply_view(resp.reply.body, resp.reply.body_len), &r) == GL_OK) {
        gl_reply_tenants_iter it;
        gl_reply_tenants_row row;
        gl_reply_tenants_iter_init(&it, &r);
        while (gl_reply_tenants_next(&it, &row) == 1 && row_fn(user, &row))
            ;
    }
    gl_response_free(&resp);
}

struct tenant_text {
    char *out;
    size_t len, used;
};

static bool add_tenant(void *user, const gl_reply_tenants_row *row)
{
    struct tenant_text *t = user;
    int w = snprintf(t->out + t->used, t->len - t->used, "%s%.*s", t->used ? ", " : "",
                     (int)row->id.len, row->id.ptr);
    t->used = w < 0 ? t->used : t->used + (size_t)w;
    return t->used + 1 < t->len;
}

bool cli_tenants_list(cli *c, char *out, size_t out_len)
{
    struct tenant_text t = {out, out_len, 0};
    out[0] = '\0';
    if (out_len > 1)
        cli_tenants_each(c, add_tenant, &t);
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
