/*
 * daemon/rules/grant.c — the grants of a tenant (issue 19, PROTOCOL.md
 * §5.55-§5.56): GRANT_SET adds, replaces (by code) or deletes what a
 * funder granted for an action; each change is a GRANT event (23) holding
 * the signed body, so the chain keeps the history; the same record again
 * writes nothing.  The funder and the action must be codes open on the
 * axes `financeur` and `action`, the account an open product account.
 * GRANTS lists them in code order.
 */
#include "daemon/handlers.h"
#include "daemon/ledger.h"
#include "daemon/rules/analytic.h"
#include "daemon/rules/grant.h"
#include "daemon/store/grant_store.h"

#include "proto/assert.h"
#include "proto/chain.h"
#include "proto/grant.h"
#include "proto/status.h"

#include <string.h>

/* What each field's rule is, for the refusal's detail. */
static const char *const field_rules[][2] = {
    {"code", "1 to 16 characters among A-Z, 0-9, _, . and -, the first A-Z or 0-9"},
    {"op", "1 (set) or 2 (delete)"},
    {"label", "not blank"},
    {"funder", "a code of the axis financeur"},
    {"action", "a code of the axis action"},
    {"account", "a product account (class 7)"},
    {"amount", "more than 0, at most the largest amount"},
    {"from", "a date YYYYMMDD"},
    {"to", "a date YYYYMMDD"},
    {"period", "from on or before to"},
    {"flags", "bit 0 dedicated, bit 1 FSE, the others 0"},
    {"flat_rate", "0, 15 or 40"},
};

const char *gr_rule_of(const char *const (*rules)[2], size_t n, const char *field)
{
    size_t i = 0;
    while (i < n && strcmp(rules[i][0], field) != 0)
        i++;
    return i < n ? rules[i][1] : "";
}

static int invalid(gl_exec *x, uint8_t op, const char *field)
{
    if (op == GL_GRANT_DELETE_OP && strcmp(field, "code") != 0)
        return exec_fail(x, GL_ERR_GRANT_INVALID, 0, 0,
                         "a delete names the grant's code only: its %s must be empty", field);
    return exec_fail(x, GL_ERR_GRANT_INVALID, 0, 0, "the grant's %s is out of its rule: %s", field,
                     gr_rule_of(field_rules, sizeof field_rules / sizeof field_rules[0], field));
}

int gr_code_open(gl_exec *x, uint32_t tenant, const char *axis, gl_str code, const char *where)
{
    gl_an_split s = {.axis = {axis, strlen(axis)}, .count = 1};
    s.shares[0] = (gl_an_share){code, 1};
    return an_split_open(x, tenant, &s, 0, 0, where);
}

/* An open account of the chart, else 405. */
static int account_open(gl_exec *x, uint32_t tenant, gl_str account)
{
    bool open = false;
    int st = bank_account_open(x, tenant, account, &open);
    if (st == GL_OK && !open)
        st = exec_fail(x, GL_ERR_UNKNOWN_ACCOUNT, 0, 0,
                       "the grant's account %.*s is not an open account of the chart: open it "
                       "first",
                       (int)account.len, account.ptr);
    return st;
}

/* A new grant: within the tenant's limit. */
static int grant_room(gl_exec *x, uint32_t tenant)
{
    uint32_t count;
    int st = store_grants_each(x->txn, tenant, NULL, NULL, &count);
    if (st == GL_OK && count >= GL_GRANTS_MAX)
        return exec_fail(x, GL_ERR_ANALYTIC_FULL, 0, 0,
                         "the tenant already has %u grants, the most it may hold",
                         (unsigned)GL_GRANTS_MAX);
    return st;
}

static int grant_set(gl_exec *x, uint32_t tenant, const gl_grant *g, bool *changed)
{
    int st = gr_code_open(x, tenant, GL_GRANT_FUNDER_AXIS, g->funder, "the grant's funder");
    if (st == GL_OK)
        st = gr_code_open(x, tenant, GL_GRANT_ACTION_AXIS, g->action, "the grant's action");
    if (st == GL_OK)
        st = account_open(x, tenant, g->account);
    if (st != GL_OK)
        return st;
    gl_grant old;
    st = store_grant_get(x->txn, tenant, g->code, &old);
    if (st == GL_OK && gl_grant_same(&old, g))
        return GL_OK; /* *changed stays false: nothing written */
    if (st == GL_ERR_NOT_FOUND)
        st = grant_room(x, tenant);
    if (st == GL_OK && (st = store_grant_put(x->txn, tenant, g)) == GL_OK)
        *changed = true;
    return st;
}

static int grant_delete(gl_exec *x, uint32_t tenant, gl_str code, bool *changed)
{
    gl_grant old;
    int st = store_grant_get(x->txn, tenant, code, &old);
    if (st == GL_ERR_NOT_FOUND)
        return exec_fail(x, GL_ERR_GRANT_UNKNOWN, 0, 0, "the tenant has no grant %.*s",
                         (int)code.len, code.ptr);
    if (st == GL_OK && (st = store_grant_delete(x->txn, tenant, code)) == GL_OK)
        *changed = true;
    return st;
}

int rules_grant_set(gl_exec *x, const gl_body *rq)
{
    const gl_grant_set_q *q = &rq->grant_set;
    tenant_rec rec;
    int st = exec_tenant_load(x, &rec);
    if (st != GL_OK)
        return st;
    const char *field;
    if (!gl_grant_check(q->op, &q->grant, &field))
        return invalid(x, q->op, field);
    bool changed = false;
    st = q->op == GL_GRANT_SET_OP ? grant_set(x, rec.number, &q->grant, &changed)
                                  : grant_delete(x, rec.number, q->grant.code, &changed);
    if (st == GL_OK && changed)
        st = bank_event_signed_body(x, &rec, GL_EVENT_GRANT);
    return st;
}

static int put_grant(void *user, store_val value, const gl_grant *g)
{
    (void)g;
    gl_put_bytes(user, value.ptr, value.len);
    return GL_OK;
}

int gr_reply_begin(gl_exec *x, tenant_rec *rec, size_t *count_at)
{
    *count_at = x->body->len;
    gl_put_u16(x->body, 0);
    int st = bank_read_tenant(x, rec);
    if (st == GL_ERR_NOT_FOUND && !gl_buf_ok(x->body))
        st = GL_ERR_INTERNAL;
    return st;
}

int gr_reply_count(gl_exec *x, size_t count_at, uint32_t n)
{
    if (!gl_buf_ok(x->body))
        return GL_ERR_INTERNAL;
    GL_ASSERT(n <= UINT16_MAX);
    gl_be16(x->body->data + count_at, (uint16_t)n);
    return GL_OK;
}

int gr_query_rows(gl_exec *x, gr_rows_fn rows)
{
    tenant_rec rec;
    size_t at;
    uint32_t n = 0;
    int st = gr_reply_begin(x, &rec, &at);
    if (st == GL_OK)
        st = rows(x, rec.number, &n);
    if (st == GL_ERR_NOT_FOUND) /* configured, nothing written yet: no row */
        return GL_OK;
    return st == GL_OK ? gr_reply_count(x, at, n) : st;
}

static int grant_rows(gl_exec *x, uint32_t tenant, uint32_t *n)
{
    return store_grants_each(x->txn, tenant, put_grant, x->body, n);
}

int query_grants(gl_exec *x, const gl_body *rq)
{
    (void)rq;
    return gr_query_rows(x, grant_rows);
}
