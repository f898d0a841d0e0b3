/*
 * client/web/web_act.c — what the Entrée actions (page_reverse.c,
 * page_letter.c) share: the request id a form carries from the moment it
 * is shown (so that a double submit is the daemon's replay, never a second
 * write), the daemon asked with it and its refusal's status kept (a
 * refused form is shown again with 422), and a text percent-encoded for a
 * URL.  web_write is every write of the web pages (the accountant's lock
 * and close too): one refusal text whichever page asks.
 */
#include "web.h"
#include "web_form.h"

#include "client/cli/i18n.h"
#include "proto/status.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void web_act_hidden(gl_buf *b, const web_req *r, uint64_t rid)
{
    web_raw(b, "<input type=\"hidden\" name=\"csrf\" value=\"");
    web_esc(b, r->csrf);
    web_raw(b, "\"><input type=\"hidden\" name=\"tenant\" value=\"");
    web_esc(b, r->tenant);
    web_raw(b, "\"><input type=\"hidden\" name=\"rid\" value=\"");
    web_escf(b, "%016" PRIx64, rid);
    web_raw(b, "\">");
}

uint64_t web_act_rid(const web_req *r)
{
    char hex[17];
    uint64_t rid = 0;
    if (web_field(r, "rid", hex, sizeof hex) != WEB_FORM_FOUND || strlen(hex) != 16)
        return 0;
    for (const char *p = hex; *p; p++) {
        if (!isxdigit((unsigned char)*p))
            return 0;
        rid = rid << 4 |
              (uint64_t)(isdigit((unsigned char)*p) ? *p - '0'
                                                    : tolower((unsigned char)*p) - 'a' + 10);
    }
    return rid;
}

int web_write(web_req *r, uint16_t kind, uint64_t rid, const void *body, size_t body_len,
              gl_response *resp, char *why, size_t why_len)
{
    memset(resp, 0, sizeof *resp);
    if (!r->tenant[0]) {
        snprintf(why, why_len, "%s", _("No tenant: give one in the Tenant field above."));
        return GL_ERR_UNKNOWN_TENANT;
    }
    int st = gl_call(r->app->c->client, kind, r->tenant, rid, body, body_len, resp);
    if (st == GL_OK && resp->reply.status == GL_OK)
        return 0;
    int code = st != GL_OK ? st : resp->reply.status;
    /* a failed call's response holds no reply to quote */
    gl_str detail = st == GL_OK ? resp->reply.detail : (gl_str){0};
    if (st != GL_OK && st / 100 != 2)
        snprintf(why, why_len, _("The daemon does not answer (%s): nothing was written."),
                 gl_client_error(r->app->c->client));
    else if (code == GL_ERR_FORBIDDEN_TENANT || code == GL_ERR_UNKNOWN_TENANT)
        snprintf(why, why_len, _("Your key cannot see tenant %s (error %d %s)."), r->tenant, code,
                 gl_status_name(code));
    else if (detail.len)
        snprintf(why, why_len, _("The daemon refused: error %d %s: %s (%.*s)"), code,
                 gl_status_name(code), _(gl_status_message(code)), (int)detail.len, detail.ptr);
    else
        snprintf(why, why_len, _("The daemon refused: error %d %s: %s"), code, gl_status_name(code),
                 _(gl_status_message(code)));
    gl_response_free(resp);
    return code ? code : -1;
}

int web_act_call(web_req *r, gl_buf *b, uint16_t kind, uint64_t rid, const void *body,
                 size_t body_len, gl_response *resp)
{
    char why[600];
    int rc = web_write(r, kind, rid, body, body_len, resp, why, sizeof why);
    if (rc)
        web_banner(b, why, true);
    return rc;
}

void web_act_pct(char *out, size_t cap, const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && n + 4 <= cap; p++) {
        if (isalnum(*p) || strchr("-._~", *p))
            out[n++] = (char)*p;
        else
            n += (size_t)snprintf(out + n, cap - n, "%%%02X", *p);
    }
    if (cap)
        out[n < cap ? n : cap - 1] = '\0';
}
