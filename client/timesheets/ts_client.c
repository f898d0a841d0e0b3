/*
 * client/timesheets/ts_client.c — TIMESHEETS read into owned sheets,
 * TIMESHEET_SET sent (ts_client.h).
 */
#include "ts_client.h"

#include "proto/request.h"
#include "proto/status.h"

#include <stdio.h>
#include <string.h>

static int add_stored(ts_batch *out, const gl_timesheet *s)
{
    char emp[GL_AN_CODE_MAX + 1], err[160];
    snprintf(emp, sizeof emp, "%.*s", (int)s->employee.len, s->employee.ptr);
    size_t pos = 0;
    gl_ts_row r;
    while (gl_ts_rows_next(s, &pos, &r)) {
        char action[GL_AN_CODE_MAX + 1];
        snprintf(action, sizeof action, "%.*s", (int)r.action.len, r.action.ptr);
        int st = ts_batch_add(out, emp, s->month, action, r.minutes, s->basis_per_mille, 0, err,
                              sizeof err);
        if (st == GL_ERR_NOMEM)
            return cli_nomem("the time sheets");
        if (st != GL_OK) {
            cli_error("cannot read the daemon's reply (timesheets: %s)", err);
            return EXIT_REFUSED;
        }
    }
    return 0;
}

int ts_fetch(cli *c, uint16_t year, const char *employee, ts_batch *out)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_ts_list_q q = {year, {employee, strlen(employee)}};
    gl_ts_list_q_encode(&body, &q);
    gl_response resp = {0};
    int rc = gl_buf_ok(&body)
                 ? cli_call(c, GL_KIND_TIMESHEETS, c->tenant, body.data, body.len, &resp)
                 : cli_nomem("the request");
    gl_buf_free(&body);
    gl_ts_reply_iter it;
    gl_timesheet s;
    int st = GL_OK;
    if (rc == 0 && gl_ts_reply_begin(resp.reply.body, resp.reply.body_len, &it) != GL_OK)
        st = GL_ERR_MALFORMED;
    while (rc == 0 && st == GL_OK && (st = gl_ts_reply_next(&it, &s)) == GL_OK)
        rc = add_stored(out, &s);
    if (rc == 0 && st != GL_ERR_NOT_FOUND) {
        cli_error("cannot read the daemon's reply (timesheets)");
        rc = EXIT_REFUSED;
    }
    gl_response_free(&resp);
    return rc;
}

int ts_send(cli *c, const ts_sheet *s, uint16_t basis_per_mille)
{
    gl_buf body;
    gl_buf_init(&body);
    ts_sheet_put(&body, s, basis_per_mille);
    gl_response resp = {0};
    bool was_new = c->new_id;
    c->new_id = true; /* the same sheet may be sent again on purpose (put back) */
    int rc = gl_buf_ok(&body)
                 ? cli_call(c, GL_KIND_TIMESHEET_SET, c->tenant, body.data, body.len, &resp)
                 : cli_nomem("the request");
    c->new_id = was_new;
    gl_buf_free(&body);
    gl_response_free(&resp);
    return rc;
}

const ts_sheet *ts_find(const ts_batch *b, const char *employee, uint32_t month)
{
    for (size_t i = 0; i < b->n; i++)
        if (b->v[i].month == month && !strcmp(b->v[i].employee, employee))
            return &b->v[i];
    return NULL;
}

uint16_t ts_basis_near(const ts_batch *b, const char *employee, uint32_t month)
{
    const ts_sheet *before = NULL, *after = NULL;
    for (size_t i = 0; i < b->n; i++) {
        const ts_sheet *s = &b->v[i];
        if (strcmp(s->employee, employee))
            continue;
        if (s->month <= month && (!before || s->month > before->month))
            before = s;
        if (s->month > month && (!after || s->month < after->month))
            after = s;
    }
    return before ? before->basis_per_mille : after ? after->basis_per_mille : 0;
}
