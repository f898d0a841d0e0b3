/*
 * client/analytic/an_client.c — the analytic requests on the client
 * library (an_client.h): bodies encoded with proto/analytic.h, replies
 * read with its iterators and copied out where the caller keeps them.
 */
#include "an_client.h"

#include "proto/entry.h"
#include "proto/query.h"
#include "proto/reply.h"
#include "proto/request.h"
#include "proto/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gl_an_call_init(gl_an_call *k, gl_client *client, const char *tenant, uint64_t request_id)
{
    memset(k, 0, sizeof *k);
    k->client = client;
    k->tenant = tenant;
    k->request_id = request_id;
}

void gl_an_call_done(gl_an_call *k) { gl_response_free(&k->resp); }

bool gl_an_call_refused(const gl_an_call *k)
{
    return k->call_status != GL_OK || k->resp.reply.status != GL_OK;
}

/* One request; the previous reply freed.  GL_OK when the daemon
 * answered GL_OK. */
static int call(gl_an_call *k, uint16_t kind, const gl_buf *body, uint64_t given_id)
{
    gl_response_free(&k->resp);
    memset(&k->resp, 0, sizeof k->resp);
    if (!gl_buf_ok(body))
        return k->call_status = GL_ERR_NOMEM;
    k->last_id = given_id ? given_id : gl_request_id_random();
    k->call_status =
        gl_call(k->client, kind, k->tenant, k->last_id, body->data, body->len, &k->resp);
    if (k->call_status != GL_OK)
        return k->call_status;
    return k->resp.reply.status;
}

int gl_an_send(gl_an_call *k, uint16_t kind, gl_buf *body)
{
    int st = call(k, kind, body, gl_kind_writes(kind) ? k->request_id : 0);
    gl_buf_free(body);
    return st;
}

static int call_write(gl_an_call *k, uint16_t kind, gl_buf *body)
{
    int st = call(k, kind, body, k->request_id);
    gl_buf_free(body);
    return st;
}

static void copy_str(char *dst, size_t cap, gl_str s)
{
    size_t n = s.len < cap - 1 ? s.len : cap - 1;
    memcpy(dst, s.ptr, n);
    dst[n] = '\0';
}
#define COPY(dst, s) copy_str((dst), sizeof(dst), (s))

/* ---- ANALYTIC_AXES ---- */

static int axis_copy(const gl_an_axis_row *row, gl_an_axis_info *x)
{
    COPY(x->axis, row->axis);
    COPY(x->label, row->label);
    x->state = row->state;
    x->codes = calloc(row->ncodes ? row->ncodes : 1, sizeof *x->codes);
    x->rules = calloc(row->nrules ? row->nrules : 1, sizeof *x->rules);
    if (!x->codes || !x->rules)
        return GL_ERR_NOMEM;
    gl_cur codes;
    gl_cur_init(&codes, row->codes, row->codes_len);
    gl_an_code_row cr;
    while (x->ncodes < row->ncodes && gl_an_axis_code_next(&codes, &cr)) {
        gl_an_code_info *ci = &x->codes[x->ncodes++];
        COPY(ci->code, cr.code);
        COPY(ci->label, cr.label);
        ci->state = cr.state;
    }
    gl_cur rules;
    gl_cur_init(&rules, row->rules, row->rules_len);
    gl_str prefix;
    while (x->nrules < row->nrules && gl_an_axis_rule_next(&rules, &prefix))
        COPY(x->rules[x->nrules++], prefix);
    return x->ncodes == row->ncodes && x->nrules == row->nrules ? GL_OK : GL_ERR_BAD_REPLY;
}

int gl_an_axes_get(gl_an_call *k, gl_an_axes *out)
{
    memset(out, 0, sizeof *out);
    gl_buf body;
    gl_buf_init(&body);
    int st = call(k, GL_KIND_ANALYTIC_AXES, &body, 0);
    gl_buf_free(&body);
    if (st != GL_OK)
        return st;
    gl_an_axes_iter it;
    if (gl_an_axes_reply_begin(k->resp.reply.body, k->resp.reply.body_len, &it) != GL_OK)
        return GL_ERR_BAD_REPLY;
    if (!(out->axes = calloc(it.left ? it.left : 1, sizeof *out->axes)))
        return GL_ERR_NOMEM;
    gl_an_axis_row row;
    while ((st = gl_an_axes_reply_next(&it, &row)) == GL_OK) {
        st = axis_copy(&row, &out->axes[out->n++]);
        if (st != GL_OK)
            break;
    }
    if (st == GL_ERR_NOT_FOUND)
        return GL_OK;
    gl_an_axes_free(out);
    return st == GL_ERR_NOMEM ? st : GL_ERR_BAD_REPLY;
}

void gl_an_axes_free(gl_an_axes *a)
{
    for (size_t i = 0; a->axes && i < a->n; i++) {
        free(a->axes[i].codes);
        free(a->axes[i].rules);
    }
    free(a->axes);
    memset(a, 0, sizeof *a);
}

const gl_an_axis_info *gl_an_axes_find(const gl_an_axes *a, const char *axis)
{
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->axes[i].axis, axis) == 0)
            return &a->axes[i];
    return NULL;
}

const gl_an_code_info *gl_an_axis_code_find(const gl_an_axis_info *x, const char *code)
{
    for (size_t i = 0; x && i < x->ncodes; i++)
        if (strcmp(x->codes[i].code, code) == 0)
            return &x->codes[i];
    return NULL;
}

/* ---- writes ---- */

int gl_an_axis_set(gl_an_call *k, const gl_an_axis_set_q *q)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_an_axis_set_q_encode(&body, q);
    return call_write(k, GL_KIND_ANALYTIC_AXIS_SET, &body);
}

int gl_an_code_set(gl_an_call *k, const gl_an_code_set_q *q)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_an_code_set_q_encode(&body, q);
    return call_write(k, GL_KIND_ANALYTIC_CODE_SET, &body);
}

int gl_an_rule_set(gl_an_call *k, const gl_an_rule_set_q *q)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_an_rule_set_q_encode(&body, q);
    return call_write(k, GL_KIND_ANALYTIC_RULE_SET, &body);
}

int gl_an_alloc_send(gl_an_call *k, const gl_an_alloc_row *rows, size_t n)
{
    if (n == 0 || n > GL_AN_ALLOC_MAX)
        return GL_ERR_COUNT_LIMIT;
    gl_buf body;
    gl_buf_init(&body);
    gl_put_u16(&body, (uint16_t)n);
    for (size_t i = 0; i < n; i++)
        gl_an_alloc_row_put(&body, &rows[i]);
    return call_write(k, GL_KIND_ANALYTIC_ALLOC, &body);
}

/* ---- ANALYTIC_BALANCE ---- */

int gl_an_balance_get(gl_an_call *k, const gl_an_balance_q *q, gl_an_balance *out)
{
    memset(out, 0, sizeof *out);
    gl_buf body;
    gl_buf_init(&body);
    gl_an_balance_q_encode(&body, q);
    int st = call(k, GL_KIND_ANALYTIC_BALANCE, &body, 0);
    gl_buf_free(&body);
    if (st != GL_OK)
        return st;
    gl_an_balance_iter it;
    if (gl_an_balance_reply_begin(k->resp.reply.body, k->resp.reply.body_len, &it) != GL_OK)
        return GL_ERR_BAD_REPLY;
    out->at = it.at;
    if (!(out->rows = calloc(it.left ? it.left : 1, sizeof *out->rows)))
        return GL_ERR_NOMEM;
    gl_an_balance_row r;
    while ((st = gl_an_balance_reply_next(&it, &r)) == GL_OK) {
        gl_an_balance_line *l = &out->rows[out->n++];
        COPY(l->code, r.code);
        COPY(l->account, r.account);
        l->debit_cents = r.debit_cents;
        l->credit_cents = r.credit_cents;
    }
    if (st == GL_ERR_NOT_FOUND)
        return GL_OK;
    gl_an_balance_free(out);
    return GL_ERR_BAD_REPLY;
}

void gl_an_balance_free(gl_an_balance *b)
{
    free(b->rows);
    memset(b, 0, sizeof *b);
}

/* ---- ANALYTIC_LEDGER ---- */

/* One page: fn per row, the cursor moved past the last; *more. */
static int ledger_page(gl_an_call *k, gl_an_ledger_q *q, gl_an_ledger_fn fn, void *user, bool *more)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_an_ledger_q_encode(&body, q);
    int st = call(k, GL_KIND_ANALYTIC_LEDGER, &body, 0);
    gl_buf_free(&body);
    if (st != GL_OK)
        return st;
    gl_an_ledger_iter it;
    if (gl_an_ledger_reply_begin(k->resp.reply.body, k->resp.reply.body_len, &it) != GL_OK)
        return GL_ERR_BAD_REPLY;
    gl_an_ledger_row r;
    size_t rows = 0;
    while ((st = gl_an_ledger_reply_next(&it, &r)) == GL_OK) {
        int rc = fn(user, &r);
        if (rc)
            return rc;
        q->after_date = r.date;
        q->after_fy = r.fy;
        q->after_num = r.num;
        q->after_line = r.line;
        rows++;
    }
    if (st != GL_ERR_NOT_FOUND)
        return GL_ERR_BAD_REPLY;
    *more = it.more && rows; /* a page without a row cannot move the cursor */
    return GL_OK;
}

int gl_an_ledger_each(gl_an_call *k, const gl_an_ledger_q *q, gl_an_ledger_fn fn, void *user)
{
    gl_an_ledger_q page = *q;
    page.after_date = 0;
    page.after_fy = 0;
    page.after_num = 0;
    page.after_line = 0;
    page.limit = GL_PAGE_MAX;
    bool more = true;
    int st = GL_OK;
    while (st == GL_OK && more)
        st = ledger_page(k, &page, fn, user, &more);
    return st;
}

/* ---- ENTRY_GET ---- */

int gl_an_entry_amounts(gl_an_call *k, uint16_t fy, uint32_t num, int64_t *amounts_cents, size_t *n)
{
    *n = 0;
    gl_buf body;
    gl_buf_init(&body);
    gl_entry_ref ref = {fy, num};
    gl_entry_ref_encode(&body, &ref);
    int st = call(k, GL_KIND_ENTRY_GET, &body, 0);
    gl_buf_free(&body);
    if (st != GL_OK)
        return st;
    gl_reply_entry_get r;
    if (gl_reply_entry_get_decode(gl_reply_view(k->resp.reply.body, k->resp.reply.body_len), &r) !=
        GL_OK)
        return GL_ERR_BAD_REPLY;
    gl_line_iter it;
    gl_line l;
    gl_line_iter_init(&it, &r.entry);
    while (*n < GL_LINES_MAX && gl_line_next(&it, &l))
        amounts_cents[(*n)++] = l.amount_cents;
    return GL_OK;
}
