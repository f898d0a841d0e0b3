/*
 * daemon/rules/budget.c — the budgets of a tenant (issue 19, PROTOCOL.md
 * §5.57-§5.58): BUDGET_SET records a new version of an action's budget
 * for a fiscal year (a BUDGET event, 24, holding the signed body: its
 * place among the pair's events is its number); nothing is replaced in
 * the chain, the store keeps the latest version with its number and
 * time.  The same rows as the latest version write nothing.  BUDGETS
 * gives the latest version of each budget, in (action, fy) order.
 */
#include "daemon/handlers.h"
#include "daemon/ledger.h"
#include "daemon/rules/analytic.h"
#include "daemon/rules/grant.h"
#include "daemon/store/budget_store.h"

#include "proto/analytic.h"
#include "proto/assert.h"
#include "proto/budget.h"
#include "proto/chain.h"
#include "proto/grant.h"
#include "proto/status.h"

#include <string.h>

static const char *const field_rules[][2] = {
    {"action", "1 to 16 characters among A-Z, 0-9, _, . and -, the first A-Z or 0-9"},
    {"fy", "a fiscal year from 1900 to 2999"},
    {"group", "an account prefix of 1 to 20 digits, the first 6 or 7"},
    {"order", "groups in increasing order, none starting with another"},
    {"amount", "0 or more, at most the largest amount"},
    {"total", "the amounts sum to at most the largest amount"},
};

static int invalid(gl_exec *x, const char *field, uint32_t row)
{
    if (row)
        return exec_fail(
            x, GL_ERR_BUDGET_INVALID, 0, 0, "row %u: the budget's %s is out of its rule: %s",
            (unsigned)row, field,
            gr_rule_of(field_rules, sizeof field_rules / sizeof field_rules[0], field));
    return exec_fail(x, GL_ERR_BUDGET_INVALID, 0, 0, "the budget's %s is out of its rule: %s",
                     field,
                     gr_rule_of(field_rules, sizeof field_rules / sizeof field_rules[0], field));
}

static bool rows_same(const gl_budget_rows *a, const gl_budget_rows *b)
{
    return a->count == b->count && a->rows_len == b->rows_len &&
           (a->rows_len == 0 || !memcmp(a->rows, b->rows, a->rows_len));
}

/* A new budget: within the tenant's limit. */
static int budget_room(gl_exec *x, uint32_t tenant)
{
    uint32_t count;
    int st = store_budgets_each(x->txn, tenant, (gl_str){"", 0}, NULL, NULL, &count);
    if (st == GL_OK && count >= GL_BUDGETS_MAX)
        return exec_fail(x, GL_ERR_BUDGET_FULL, 0, 0,
                         "the tenant already has %u budgets, the most it may hold",
                         (unsigned)GL_BUDGETS_MAX);
    return st;
}

/* The version this set makes: 1 for a new budget, else the latest + 1;
 * 0 (nothing to write) when the rows are the latest version's, or for a
 * withdrawal of a budget that never was. */
static int next_version(gl_exec *x, uint32_t tenant, const gl_budget_set_q *q, uint16_t *version)
{
    budget_rec old;
    int st = store_budget_get(x->txn, tenant, q->action, q->fy, &old);
    *version = 0;
    if (st == GL_ERR_NOT_FOUND && q->rows.count == 0)
        return GL_OK;
    if (st == GL_ERR_NOT_FOUND) {
        st = budget_room(x, tenant);
        *version = st == GL_OK ? 1 : 0;
        return st;
    }
    if (st != GL_OK || rows_same(&old.rows, &q->rows))
        return st;
    if (old.version >= GL_BUDGET_VERSIONS_MAX)
        return exec_fail(x, GL_ERR_BUDGET_FULL, 0, 0,
                         "the budget of %.*s for %u already has %u versions, the most it may hold",
                         (int)q->action.len, q->action.ptr, (unsigned)q->fy,
                         (unsigned)GL_BUDGET_VERSIONS_MAX);
    *version = (uint16_t)(old.version + 1);
    return GL_OK;
}

int rules_budget_set(gl_exec *x, const gl_body *rq)
{
    const gl_budget_set_q *q = &rq->budget_set;
    tenant_rec rec;
    int st = exec_tenant_load(x, &rec);
    if (st != GL_OK)
        return st;
    const char *field;
    uint32_t row;
    if (!gl_budget_check(q, &field, &row))
        return invalid(x, field, row);
    if ((st = gr_code_open(x, rec.number, GL_GRANT_ACTION_AXIS, q->action,
                           "the budget's action")) != GL_OK)
        return st;
    uint16_t version;
    if ((st = next_version(x, rec.number, q, &version)) != GL_OK || version == 0)
        return st;
    budget_rec nrec = {version, x->now_ms, q->rows};
    if ((st = store_budget_put(x->txn, rec.number, q->action, q->fy, &nrec)) != GL_OK)
        return st;
    return bank_event_signed_body(x, &rec, GL_EVENT_BUDGET);
}

typedef struct budgets_out {
    gl_buf *b;
    uint16_t fy; /* 0: every year */
    uint32_t n;
} budgets_out;

static int put_budget(void *user, gl_str action, uint16_t fy, const budget_rec *r)
{
    budgets_out *o = user;
    if (o->fy && o->fy != fy)
        return GL_OK;
    gl_budget_version_head_put(o->b, action, fy, r->version, r->recorded_ms, r->rows.count);
    gl_put_bytes(o->b, r->rows.rows, r->rows.rows_len);
    o->n++;
    return GL_OK;
}

int query_budgets(gl_exec *x, const gl_body *rq)
{
    const gl_budgets_q *q = &rq->budgets;
    if (q->action.len && !gl_an_code_valid(q->action))
        return invalid(x, "action", 0);
    if (q->fy && (q->fy < 1900 || q->fy > 2999))
        return invalid(x, "fy", 0);
    tenant_rec rec;
    size_t at;
    budgets_out o = {x->body, q->fy, 0};
    uint32_t walked;
    int st = gr_reply_begin(x, &rec, &at);
    if (st == GL_OK)
        st = store_budgets_each(x->txn, rec.number, q->action, put_budget, &o, &walked);
    if (st == GL_ERR_NOT_FOUND) /* configured, nothing written yet: no budget */
        return GL_OK;
    return st == GL_OK ? gr_reply_count(x, at, o.n) : st;
}
