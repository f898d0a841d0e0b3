/*
 * client/analytic/grant_client.c — the grants and budgets requests on the
 * client library (grant_client.h): bodies encoded with proto/grant.h and
 * proto/budget.h, replies read with their iterators and copied out.
 */
#include "grant_client.h"

#include "proto/money.h"
#include "proto/request.h"
#include "proto/status.h"

#include <stdlib.h>
#include <string.h>

/* One request of body b (freed here), the previous reply freed: GL_OK
 * when the daemon answered GL_OK.  Writes take k's request id, or a
 * fresh one; reads a fresh one. */
static int send_body(gl_an_call *k, uint16_t kind, gl_buf *b)
{
    gl_response_free(&k->resp);
    memset(&k->resp, 0, sizeof k->resp);
    int st = GL_ERR_NOMEM;
    if (gl_buf_ok(b)) {
        bool writes = gl_kind_writes(kind);
        k->last_id = writes && k->request_id ? k->request_id : gl_request_id_random();
        st = k->call_status =
            gl_call(k->client, kind, k->tenant, k->last_id, b->data, b->len, &k->resp);
        if (st == GL_OK)
            st = k->resp.reply.status;
    } else {
        k->call_status = st;
    }
    gl_buf_free(b);
    return st;
}

static void copy_str(char *dst, size_t cap, gl_str s)
{
    size_t n = s.len < cap - 1 ? s.len : cap - 1;
    if (n)
        memcpy(dst, s.ptr, n);
    dst[n] = '\0';
}
#define COPY(dst, s) copy_str((dst), sizeof(dst), (s))

static gl_str view(const char *s) { return (gl_str){s, strlen(s)}; }

/* ---- grants ---- */

static void grant_copy(const gl_grant *g, gl_grant_info *out)
{
    COPY(out->code, g->code);
    COPY(out->label, g->label);
    COPY(out->funder, g->funder);
    COPY(out->action, g->action);
    COPY(out->account, g->account);
    out->amount_cents = g->amount_cents;
    out->from = g->from;
    out->to = g->to;
    out->flags = g->flags;
    out->flat_rate = g->flat_rate;
}

int gl_grants_get(gl_an_call *k, gl_grant_list *out)
{
    memset(out, 0, sizeof *out);
    gl_buf body;
    gl_buf_init(&body);
    int st = send_body(k, GL_KIND_GRANTS, &body);
    if (st != GL_OK)
        return st;
    gl_grants_iter it;
    if (gl_grants_reply_begin(k->resp.reply.body, k->resp.reply.body_len, &it) != GL_OK)
        return GL_ERR_BAD_REPLY;
    if (!(out->grants = calloc(it.left ? it.left : 1, sizeof *out->grants)))
        return GL_ERR_NOMEM;
    gl_grant g;
    while ((st = gl_grants_reply_next(&it, &g)) == GL_OK)
        grant_copy(&g, &out->grants[out->n++]);
    if (st == GL_ERR_NOT_FOUND)
        return GL_OK;
    gl_grant_list_free(out);
    return GL_ERR_BAD_REPLY;
}

void gl_grant_list_free(gl_grant_list *l)
{
    free(l->grants);
    memset(l, 0, sizeof *l);
}

const gl_grant_info *gl_grant_list_find(const gl_grant_list *l, const char *code)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->grants[i].code, code) == 0)
            return &l->grants[i];
    return NULL;
}

bool gl_grant_list_sum(const gl_grant_list *l, const char *action, const char *funder,
                       size_t *count, int64_t *sum_cents)
{
    *count = 0;
    *sum_cents = 0;
    for (size_t i = 0; i < l->n; i++) {
        const gl_grant_info *g = &l->grants[i];
        if ((action && strcmp(g->action, action) != 0) ||
            (funder && strcmp(g->funder, funder) != 0))
            continue;
        if (!gl_money_add(sum_cents, g->amount_cents))
            return false;
        ++*count;
    }
    return true;
}

gl_grant gl_grant_view(const gl_grant_info *info)
{
    return (gl_grant){.code = view(info->code),
                      .label = view(info->label),
                      .funder = view(info->funder),
                      .action = view(info->action),
                      .account = view(info->account),
                      .amount_cents = info->amount_cents,
                      .from = info->from,
                      .to = info->to,
                      .flags = info->flags,
                      .flat_rate = info->flat_rate};
}

int gl_grant_set(gl_an_call *k, const gl_grant *g)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_grant_set_q_encode(&body, &(gl_grant_set_q){GL_GRANT_SET_OP, *g});
    return send_body(k, GL_KIND_GRANT_SET, &body);
}

int gl_grant_delete(gl_an_call *k, const char *code)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_grant_set_q_encode(&body, &(gl_grant_set_q){GL_GRANT_DELETE_OP, {.code = view(code)}});
    return send_body(k, GL_KIND_GRANT_SET, &body);
}

/* ---- budgets ---- */

static int budget_copy(const gl_budget_version *v, gl_budget_info *out)
{
    COPY(out->action, v->action);
    out->fy = v->fy;
    out->version = v->version;
    out->recorded_ms = v->recorded_ms;
    if (!(out->rows = calloc(v->rows.count ? v->rows.count : 1, sizeof *out->rows)))
        return GL_ERR_NOMEM;
    gl_budget_iter it;
    gl_budget_row r;
    gl_budget_iter_init(&it, &v->rows);
    while (gl_budget_next(&it, &r)) {
        gl_budget_line *l = &out->rows[out->nrows++];
        COPY(l->group, r.group);
        l->amount_cents = r.amount_cents;
    }
    return GL_OK;
}

int gl_budgets_get(gl_an_call *k, uint16_t fy, const char *action, gl_budget_list *out)
{
    memset(out, 0, sizeof *out);
    gl_buf body;
    gl_buf_init(&body);
    gl_budgets_q_encode(&body, &(gl_budgets_q){fy, view(action ? action : "")});
    int st = send_body(k, GL_KIND_BUDGETS, &body);
    if (st != GL_OK)
        return st;
    gl_budgets_iter it;
    if (gl_budgets_reply_begin(k->resp.reply.body, k->resp.reply.body_len, &it) != GL_OK)
        return GL_ERR_BAD_REPLY;
    if (!(out->budgets = calloc(it.left ? it.left : 1, sizeof *out->budgets)))
        return GL_ERR_NOMEM;
    gl_budget_version v;
    while ((st = gl_budgets_reply_next(&it, &v)) == GL_OK)
        if ((st = budget_copy(&v, &out->budgets[out->n++])) != GL_OK)
            break;
    if (st == GL_ERR_NOT_FOUND)
        return GL_OK;
    gl_budget_list_free(out);
    return st == GL_ERR_NOMEM ? st : GL_ERR_BAD_REPLY;
}

void gl_budget_list_free(gl_budget_list *l)
{
    for (size_t i = 0; l->budgets && i < l->n; i++)
        free(l->budgets[i].rows);
    free(l->budgets);
    memset(l, 0, sizeof *l);
}

const gl_budget_info *gl_budget_list_find(const gl_budget_list *l, const char *action, uint16_t fy)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->budgets[i].fy == fy && strcmp(l->budgets[i].action, action) == 0)
            return &l->budgets[i];
    return NULL;
}

static int line_cmp(const void *a, const void *b)
{
    return strcmp(((const gl_budget_line *)a)->group, ((const gl_budget_line *)b)->group);
}

bool gl_budget_lines_sort(gl_budget_line *rows, size_t n)
{
    if (n > 1)
        qsort(rows, n, sizeof *rows, line_cmp);
    for (size_t i = 1; i < n; i++)
        if (strcmp(rows[i - 1].group, rows[i].group) == 0)
            return false;
    return true;
}

int gl_budget_set(gl_an_call *k, const char *action, uint16_t fy, const gl_budget_line *rows,
                  size_t n)
{
    if (n > GL_BUDGET_ROWS_MAX)
        return GL_ERR_COUNT_LIMIT;
    gl_buf body;
    gl_buf_init(&body);
    gl_budget_set_q_head(&body, view(action), fy, (uint16_t)n);
    for (size_t i = 0; i < n; i++)
        gl_budget_row_put(&body, &(gl_budget_row){view(rows[i].group), rows[i].amount_cents});
    return send_body(k, GL_KIND_BUDGET_SET, &body);
}
