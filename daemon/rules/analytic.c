/*
 * daemon/rules/analytic.c — the analytic axes, codes and rules of a tenant
 * (issue 19, PROTOCOL.md §5.46-§5.49): ANALYTIC_AXIS_SET opens, relabels
 * or closes an axis; ANALYTIC_CODE_SET a code of an open axis;
 * ANALYTIC_RULE_SET makes an axis mandatory on the accounts starting with
 * a prefix, or removes that rule.  Each change is an event of the
 * tenant's chain (18, 19, 20) holding the signed body; the same state
 * and label again writes nothing.  Closing keeps the codes and the
 * history: no new line may use them.  ANALYTIC_AXES lists the axes with
 * their codes and required prefixes, in byte order.
 */
#include "daemon/handlers.h"
#include "daemon/ledger.h"
#include "daemon/store/analytic_store.h"

#include "proto/analytic.h"
#include "proto/chain.h"
#include "proto/limits.h"
#include "proto/rules.h"
#include "proto/status.h"

#include <string.h>

/* A set that leaves the label empty keeps the stored one (*label set to
 * it); true if the state and label are already so: nothing to write. */
static bool already_so(uint8_t old_state, gl_str old_label, uint8_t state, gl_str *label)
{
    if (!label->len)
        *label = old_label;
    return old_state == state && label->len == old_label.len &&
           (!label->len || !memcmp(label->ptr, old_label.ptr, label->len));
}

static int invalid(gl_exec *x, const char *field, const char *rule)
{
    return exec_fail(x, GL_ERR_ANALYTIC_INVALID, 0, 0, "the %s is out of its rule: %s", field,
                     rule);
}

#define AXIS_RULE "1 to 16 characters among a-z, 0-9, _ and -"
#define CODE_RULE "1 to 16 characters among A-Z, 0-9, _, . and -, the first A-Z or 0-9"
#define PREFIX_RULE "1 to 20 characters among 0-9 and A-Z, the first 1-9"

/* The state, and a label that is not blank when opening. */
static int check_state_label(gl_exec *x, uint8_t state, gl_str label)
{
    if (state != GL_AN_OPEN && state != GL_AN_CLOSED)
        return invalid(x, "state", "1 (open) or 2 (closed)");
    if (state == GL_AN_OPEN && gl_text_blank(label))
        return invalid(x, "label", "not blank when opening");
    if (label.len && gl_text_blank(label))
        return invalid(x, "label", "empty (closing keeps the label) or not blank");
    return GL_OK;
}

static int axis_unknown(gl_exec *x, gl_str axis)
{
    return exec_fail(x, GL_ERR_ANALYTIC_AXIS_UNKNOWN, 0, 0,
                     "axis %.*s is not open: grandlivre analytic axis open %.*s --label ...",
                     (int)axis.len, axis.ptr, (int)axis.len, axis.ptr);
}

/* A new axis: within the tenant's limit. */
static int axis_room(gl_exec *x, uint32_t tenant)
{
    uint32_t count;
    int st = store_an_axes_each(x->txn, tenant, NULL, NULL, &count);
    if (st == GL_OK && count >= GL_AN_AXES_MAX)
        return exec_fail(x, GL_ERR_ANALYTIC_FULL, 0, 0,
                         "the tenant already has %u analytic axes, the most it may hold",
                         (unsigned)GL_AN_AXES_MAX);
    return st;
}

static int axis_set(gl_exec *x, uint32_t tenant, const gl_an_axis_set_q *q, bool *changed)
{
    an_axis_rec old = {0}, rec = {q->state, 0, q->label};
    int st = store_an_axis_get(x->txn, tenant, q->axis, &old);
    if (st == GL_ERR_NOT_FOUND && q->state == GL_AN_CLOSED)
        return axis_unknown(x, q->axis);
    if (st == GL_ERR_NOT_FOUND)
        st = axis_room(x, tenant);
    else if (st == GL_OK && already_so(old.state, old.label, rec.state, &rec.label))
        return GL_OK; /* the same again: nothing written */
    rec.ncodes = old.ncodes;
    if (st == GL_OK && (st = store_an_axis_put(x->txn, tenant, q->axis, &rec)) == GL_OK)
        *changed = true;
    return st;
}

int rules_analytic_axis_set(gl_exec *x, const gl_body *rq)
{
    const gl_an_axis_set_q *q = &rq->an_axis_set;
    tenant_rec rec;
    int st = exec_tenant_load(x, &rec);
    if (st != GL_OK)
        return st;
    if (!gl_an_axis_valid(q->axis))
        return invalid(x, "axis", AXIS_RULE);
    if ((st = check_state_label(x, q->state, q->label)) != GL_OK)
        return st;
    bool changed = false;
    st = axis_set(x, rec.number, q, &changed);
    if (st == GL_OK && changed)
        st = bank_event_signed_body(x, &rec, GL_EVENT_ANALYTIC_AXIS);
    return st;
}

/* The axis of a code or rule: open (484 otherwise). */
static int axis_open(gl_exec *x, uint32_t tenant, gl_str axis, an_axis_rec *out)
{
    int st = store_an_axis_get(x->txn, tenant, axis, out);
    if (st == GL_ERR_NOT_FOUND || (st == GL_OK && out->state != GL_AN_OPEN))
        return axis_unknown(x, axis);
    return st;
}

/* A new code: within the axis's limit, counted in the axis's record. */
static int code_count_up(gl_exec *x, uint32_t tenant, gl_str axis, an_axis_rec *ax)
{
    if (ax->ncodes >= GL_AN_CODES_MAX)
        return exec_fail(x, GL_ERR_ANALYTIC_FULL, 0, 0,
                         "axis %.*s already has %u codes, the most it may hold", (int)axis.len,
                         axis.ptr, (unsigned)GL_AN_CODES_MAX);
    ax->ncodes++;
    return store_an_axis_put(x->txn, tenant, axis, ax);
}

static int code_set(gl_exec *x, uint32_t tenant, const gl_an_code_set_q *q, bool *changed)
{
    an_axis_rec ax;
    int st = axis_open(x, tenant, q->axis, &ax);
    if (st != GL_OK)
        return st;
    an_code_rec old = {0}, rec = {q->state, q->label};
    st = store_an_code_get(x->txn, tenant, q->axis, q->code, &old);
    if (st == GL_ERR_NOT_FOUND && q->state == GL_AN_CLOSED)
        return exec_fail(x, GL_ERR_ANALYTIC_CODE_UNKNOWN, 0, 0, "axis %.*s has no code %.*s",
                         (int)q->axis.len, q->axis.ptr, (int)q->code.len, q->code.ptr);
    if (st == GL_ERR_NOT_FOUND)
        st = code_count_up(x, tenant, q->axis, &ax);
    else if (st == GL_OK && already_so(old.state, old.label, rec.state, &rec.label))
        return GL_OK;
    if (st != GL_OK)
        return st;
    st = store_an_code_put(x->txn, tenant, q->axis, q->code, &rec);
    *changed = st == GL_OK;
    return st;
}

int rules_analytic_code_set(gl_exec *x, const gl_body *rq)
{
    const gl_an_code_set_q *q = &rq->an_code_set;
    tenant_rec rec;
    int st = exec_tenant_load(x, &rec);
    if (st != GL_OK)
        return st;
    if (!gl_an_axis_valid(q->axis))
        return invalid(x, "axis", AXIS_RULE);
    if (!gl_an_code_valid(q->code))
        return invalid(x, "code", CODE_RULE);
    if ((st = check_state_label(x, q->state, q->label)) != GL_OK)
        return st;
    bool changed = false;
    st = code_set(x, rec.number, q, &changed);
    if (st == GL_OK && changed)
        st = bank_event_signed_body(x, &rec, GL_EVENT_ANALYTIC_CODE);
    return st;
}

/* 1..GL_ACCOUNT_MAX of [0-9A-Z], the first 1-9. */
static bool prefix_valid(gl_str p)
{
    if (p.len < 1 || p.len > GL_ACCOUNT_MAX || p.ptr[0] < '1' || p.ptr[0] > '9')
        return false;
    for (size_t i = 1; i < p.len; i++)
        if (!((p.ptr[i] >= '0' && p.ptr[i] <= '9') || (p.ptr[i] >= 'A' && p.ptr[i] <= 'Z')))
            return false;
    return true;
}

static int rule_add(gl_exec *x, uint32_t tenant, const gl_an_rule_set_q *q, bool *changed)
{
    an_axis_rec ax;
    int st = axis_open(x, tenant, q->axis, &ax);
    if (st != GL_OK)
        return st;
    st = store_an_rule_get(x->txn, tenant, q->axis, q->prefix);
    if (st == GL_OK)
        return GL_OK; /* already required */
    if (st != GL_ERR_NOT_FOUND)
        return st;
    uint32_t count;
    if ((st = store_an_rules_each(x->txn, tenant, (gl_str){"", 0}, NULL, NULL, &count)) != GL_OK)
        return st;
    if (count >= GL_AN_RULES_MAX)
        return exec_fail(x, GL_ERR_ANALYTIC_FULL, 0, 0,
                         "the tenant already has %u analytic rules, the most it may hold",
                         (unsigned)GL_AN_RULES_MAX);
    st = store_an_rule_put(x->txn, tenant, q->axis, q->prefix);
    *changed = st == GL_OK;
    return st;
}

static int rule_drop(gl_exec *x, uint32_t tenant, const gl_an_rule_set_q *q, bool *changed)
{
    an_axis_rec ax;
    int st = store_an_axis_get(x->txn, tenant, q->axis, &ax);
    if (st == GL_ERR_NOT_FOUND)
        return axis_unknown(x, q->axis);
    if (st == GL_OK)
        st = store_an_rule_del(x->txn, tenant, q->axis, q->prefix);
    if (st == GL_ERR_NOT_FOUND)
        return GL_OK; /* no such rule: nothing to remove, nothing written */
    *changed = st == GL_OK;
    return st;
}

int rules_analytic_rule_set(gl_exec *x, const gl_body *rq)
{
    const gl_an_rule_set_q *q = &rq->an_rule_set;
    tenant_rec rec;
    int st = exec_tenant_load(x, &rec);
    if (st != GL_OK)
        return st;
    if (!gl_an_axis_valid(q->axis))
        return invalid(x, "axis", AXIS_RULE);
    if (!prefix_valid(q->prefix))
        return invalid(x, "prefix", PREFIX_RULE);
    if (q->required > 1)
        return invalid(x, "required flag", "1 (required) or 0 (rule removed)");
    bool changed = false;
    st = q->required ? rule_add(x, rec.number, q, &changed) : rule_drop(x, rec.number, q, &changed);
    if (st == GL_OK && changed)
        st = bank_event_signed_body(x, &rec, GL_EVENT_ANALYTIC_RULE);
    return st;
}

/* --- ANALYTIC_AXES --- */

typedef struct axes_out {
    gl_exec *x;
    uint32_t tenant;
} axes_out;

static int put_code(void *user, gl_str code, const an_code_rec *r)
{
    gl_buf *b = user;
    gl_put_str8(b, code.ptr, code.len);
    gl_put_u8(b, r->state);
    gl_put_str8(b, r->label.ptr, r->label.len);
    return GL_OK;
}

static int put_prefix(void *user, gl_str axis, gl_str prefix)
{
    (void)axis;
    gl_put_str8(user, prefix.ptr, prefix.len);
    return GL_OK;
}

/* One axis's row: its head, its codes, its rules (each count written
 * once walked). */
static int put_axis(void *user, gl_str axis, const an_axis_rec *r)
{
    axes_out *o = user;
    gl_buf *b = o->x->body;
    gl_put_str8(b, axis.ptr, axis.len);
    gl_put_u8(b, r->state);
    gl_put_str8(b, r->label.ptr, r->label.len);
    size_t at = b->len;
    uint32_t n;
    gl_put_u16(b, 0);
    int st = store_an_codes_each(o->x->txn, o->tenant, axis, put_code, b, &n);
    if (st != GL_OK || !gl_buf_ok(b))
        return st != GL_OK ? st : GL_ERR_INTERNAL;
    gl_be16(b->data + at, (uint16_t)n);
    at = b->len;
    gl_put_u16(b, 0);
    st = store_an_rules_each(o->x->txn, o->tenant, axis, put_prefix, b, &n);
    if (st != GL_OK || !gl_buf_ok(b))
        return st != GL_OK ? st : GL_ERR_INTERNAL;
    gl_be16(b->data + at, (uint16_t)n);
    return GL_OK;
}

int query_analytic_axes(gl_exec *x, const gl_body *rq)
{
    (void)rq;
    tenant_rec rec;
    int st = bank_read_tenant(x, &rec);
    size_t at = x->body->len;
    gl_put_u16(x->body, 0);
    if (st == GL_ERR_NOT_FOUND) /* configured, nothing written yet: no axis */
        return gl_buf_ok(x->body) ? GL_OK : GL_ERR_INTERNAL;
    if (st != GL_OK)
        return st;
    axes_out o = {x, rec.number};
    uint32_t n;
    if ((st = store_an_axes_each(x->txn, rec.number, put_axis, &o, &n)) != GL_OK)
        return st;
    if (!gl_buf_ok(x->body))
        return GL_ERR_INTERNAL;
    gl_be16(x->body->data + at, (uint16_t)n);
    return GL_OK;
}
