/*
 * client/cli/cli_replies.c — requests several commands make for the same
 * reply, decoded once (proto/reply.h).
 */
#include "client/cli/cli_replies.h"

#include <stddef.h>

int cli_periods(cli *c, const char *tenant, gl_response *resp, gl_reply_periods *out)
{
    int rc = cli_call(c, GL_KIND_PERIODS, tenant, NULL, 0, resp);
    if (rc == 0 && (gl_reply_periods_decode(gl_reply_view(resp->reply.body, resp->reply.body_len),
                                            out) != GL_OK ||
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

int cli_journal(cli *c, const char *tenant, gl_journal_q *q, cli_journal_fn fn, void *user)
{
    bool more = true;
    int rc = 0;
    while (rc == 0 && more) {
        gl_buf body;
        gl_buf_init(&body);
        gl_journal_q_encode(&body, q);
        if (!gl_buf_ok(&body)) {
            gl_buf_free(&body);
            return cli_nomem("the journal request");
        }
        gl_response resp;
        rc = cli_call(c, GL_KIND_JOURNAL, tenant, body.data, body.len, &resp);
        gl_buf_free(&body);
        gl_reply_journal r;
        gl_reply_journal_iter it;
        gl_reply_journal_row row;
        gl_str page = gl_reply_view(resp.reply.body, resp.reply.body_len);
        if (rc == 0 && gl_reply_journal_page(page, q, &r, &it) != GL_OK)
            rc = -1;
        more = rc == 0 && r.more;
        while (rc == 0 && gl_reply_journal_next(&it, &row) == 1)
            rc = fn(user, &row);
        gl_response_free(&resp);
    }
    return rc;
}
