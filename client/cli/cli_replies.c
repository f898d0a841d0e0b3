/*
 * client/cli/cli_replies.c — requests several commands make for the same
 * reply, decoded once (proto/reply.h).
 */
#include "client/cli/cli_replies.h"

#include <stddef.h>

int cli_periods(cli *c, const char *tenant, gl_response *resp, gl_reply_periods *out)
{
    int rc = cli_call(c, GL_KIND_PERIODS, tenant, NULL, 0, resp);
    if (rc == 0 && (gl_reply_periods_decode(gl_reply_view(resp->reply.body, resp->reply.body_len), out) != GL_OK ||
                    out->first_month < 1 || out->first_month > 12)) {
        cli_error("cannot read the daemon's reply (periods of %s)", tenant);
        rc = EXIT_REFUSED;
    }
    return rc;
}

int cli_first_month(cli *c, unsigned *first_month)
{
    gl_response resp;
    gl_reply_periods p;
    int rc = cli_periods(c, c->tenant, &resp, &p);
    if (rc == 0)
        *first_month = p.first_month;
    gl_response_free(&resp);
    return rc;
}
