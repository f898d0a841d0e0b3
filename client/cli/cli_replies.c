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

/* Ask for the JOURNAL page *q names, without waiting: its request id in
 * *id.  0 or an exit code (reported). */
static int ask_page(cli *c, const char *tenant, const gl_journal_q *q, uint64_t *id)
{
    gl_buf body, req;
    gl_buf_init(&body);
    gl_buf_init(&req);
    gl_journal_q_encode(&body, q);
    *id = gl_request_id_random();
    int st = gl_buf_ok(&body) ? gl_sign_request(c->client, GL_KIND_JOURNAL, tenant, *id, body.data,
                                                body.len, &req)
                              : GL_ERR_NOMEM;
    if (st == GL_OK)
        st = gl_send_signed(c->client, &req);
    gl_buf_free(&body);
    gl_buf_free(&req);
    if (st == GL_OK)
        return 0;
    gl_response resp = {0};
    int rc = cli_reply(c, st, *id, tenant, &resp);
    gl_response_free(&resp);
    return rc;
}

/* Each page asked for as soon as the one before arrives, before that one
 * goes to fn: the daemon reads page k + 1 while the client writes page k
 * (fec export, issue 16).  One request outstanding, the pages in the same
 * order under the same watermark, so the same rows.  Memory: the page
 * being read and the next one in flight, GL_REPLY_BODY_MAX each at most. */
int cli_journal(cli *c, const char *tenant, gl_journal_q *q, cli_journal_fn fn, void *user)
{
    uint64_t id;
    int rc = ask_page(c, tenant, q, &id);
    bool more = rc == 0;
    while (rc == 0 && more) {
        gl_response resp;
        rc = cli_reply(c, gl_recv(c->client, id, &resp), id, tenant, &resp);
        gl_reply_journal r;
        gl_reply_journal_iter it;
        gl_reply_journal_row row;
        gl_str page = gl_reply_view(resp.reply.body, resp.reply.body_len);
        if (rc == 0 && gl_reply_journal_page(page, q, &r, &it) != GL_OK)
            rc = -1;
        more = rc == 0 && r.more;
        if (more)
            rc = ask_page(c, tenant, q, &id); /* q now holds the next page's cursor */
        while (rc == 0 && gl_reply_journal_next(&it, &row) == 1)
            rc = fn(user, &row);
        gl_response_free(&resp);
    }
    return rc;
}

uint16_t cli_periods_first_fy(const gl_reply_periods *p)
{
    gl_reply_periods_iter it;
    gl_reply_periods_row row;
    gl_reply_periods_iter_init(&it, p);
    return gl_reply_periods_next(&it, &row) == 1 ? row.fy : 0;
}
