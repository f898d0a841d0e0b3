/*
 * daemon/rules/bank_rules.c — the rules of recurring bank-only lines
 * (issue 18, PROTOCOL.md §5.42-§5.43): BANK_RULE_SET adds, replaces (by
 * name) or deletes a rule of a registered bank account; each change is a
 * BANK_RULE event (17) holding the signed body, so the chain keeps the
 * history; the same rule again writes nothing.  BANK_RULES lists them in
 * name order.  The rules are proposals only: `bank match` shows the entry
 * a rule gives, and the user's own POST records it.
 */
#include "daemon/handlers.h"
#include "daemon/ledger.h"
#include "daemon/store/bank_rule_store.h"
#include "daemon/store/bank_store.h"

#include "proto/bank_rule.h"
#include "proto/chain.h"
#include "proto/entry.h"
#include "proto/status.h"

#include <string.h>

static bool same_str(gl_str a, gl_str b)
{
    return a.len == b.len && (a.len == 0 || !memcmp(a.ptr, b.ptr, a.len));
}

static bool same_rule(const gl_bank_rule *a, const gl_bank_rule *b)
{
    return same_str(a->name, b->name) && same_str(a->pattern, b->pattern) &&
           a->min_cents == b->min_cents && a->max_cents == b->max_cents &&
           same_str(a->counterpart, b->counterpart) && same_str(a->journal, b->journal) &&
           same_str(a->label, b->label);
}

/* What each field's rule is, for the refusal's detail. */
static const char *field_rule(const char *field)
{
    static const struct {
        const char *field, *rule;
    } rules[] = {
        {"op", "1 (set) or 2 (delete)"},
        {"name", "1 to 32 characters among a-z, 0-9, _ and -"},
        {"pattern", "1 to 64 characters, not only '*' and spaces"},
        {"amount range", "min <= max within the largest amount, or both 0 for any amount"},
        {"counterpart",
         "an account number other than the bank account's own (A-Z 0-9, the first 1-9)"},
        {"journal", "a journal code of 1 to 8 characters A-Z 0-9, or empty for BQ"},
        {"label", "empty (the line's label) or not blank"},
    };
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if (!strcmp(rules[i].field, field))
            return rules[i].rule;
    return "";
}

static int invalid(gl_exec *x, const char *field)
{
    return exec_fail(x, GL_ERR_BANK_RULE_INVALID, 0, 0, "the rule's %s is out of its rule: %s",
                     field, field_rule(field));
}

/* A delete names the rule only: every other field empty or 0. */
static const char *delete_extra(const gl_bank_rule *r)
{
    if (r->pattern.len)
        return "pattern";
    if (r->min_cents || r->max_cents)
        return "amount range";
    if (r->counterpart.len)
        return "counterpart";
    if (r->journal.len)
        return "journal";
    return r->label.len ? "label" : NULL;
}

static int counterpart_open(gl_exec *x, uint32_t tenant, gl_str account)
{
    bool open;
    int st = bank_account_open(x, tenant, account, &open);
    if (st != GL_OK || open)
        return st;
    return exec_fail(x, GL_ERR_UNKNOWN_ACCOUNT, 0, 0,
                     "the counterpart %.*s is not an open account of the chart: open it first",
                     (int)account.len, account.ptr);
}

static int rule_delete(gl_exec *x, uint32_t tenant, const gl_bank_rule_set_q *q, bool *changed)
{
    const gl_bank_rule *r = &q->rule;
    const char *extra = delete_extra(r);
    if (extra)
        return exec_fail(x, GL_ERR_BANK_RULE_INVALID, 0, 0,
                         "a delete names the rule only: its %s must be empty", extra);
    gl_bank_rule old;
    int st = store_bank_rule_get(x->txn, tenant, q->account, r->name, &old);
    if (st == GL_ERR_NOT_FOUND)
        return exec_fail(x, GL_ERR_BANK_RULE_UNKNOWN, 0, 0, "bank account %.*s has no rule %.*s",
                         (int)q->account.len, q->account.ptr, (int)r->name.len, r->name.ptr);
    if (st == GL_OK)
        st = store_bank_rule_delete(x->txn, tenant, q->account, r->name);
    *changed = st == GL_OK;
    return st;
}

static int rule_set(gl_exec *x, uint32_t tenant, const gl_bank_rule_set_q *q, bool *changed)
{
    const gl_bank_rule *r = &q->rule;
    const char *field;
    if (!gl_bank_rule_check(r, &field))
        return invalid(x, field);
    if (same_str(r->counterpart, q->account))
        return invalid(x, "counterpart");
    int st = counterpart_open(x, tenant, r->counterpart);
    if (st != GL_OK)
        return st;
    gl_bank_rule old;
    st = store_bank_rule_get(x->txn, tenant, q->account, r->name, &old);
    if (st == GL_OK && same_rule(&old, r))
        return GL_OK; /* *changed stays false: nothing written */
    if (st == GL_ERR_NOT_FOUND) {
        uint32_t count;
        if ((st = store_bank_rules_each(x->txn, tenant, q->account, NULL, NULL, &count)) != GL_OK)
            return st;
        if (count >= GL_BANK_RULES_MAX)
            return exec_fail(x, GL_ERR_BANK_RULES_FULL, 0, 0,
                             "bank account %.*s already has %u rules, the most it may hold",
                             (int)q->account.len, q->account.ptr, (unsigned)GL_BANK_RULES_MAX);
    } else if (st != GL_OK) {
        return st;
    }
    st = store_bank_rule_put(x->txn, tenant, q->account, r);
    *changed = st == GL_OK;
    return st;
}

int rules_bank_rule_set(gl_exec *x, const gl_body *rq)
{
    const gl_bank_rule_set_q *q = &rq->bank_rule_set;
    tenant_rec rec;
    int st = exec_tenant_load(x, &rec);
    if (st != GL_OK || (st = bank_registered(x, rec.number, q->account)) != GL_OK)
        return st;
    if (q->op != GL_BANK_RULE_SET_OP && q->op != GL_BANK_RULE_DELETE_OP)
        return invalid(x, "op");
    const char *field;
    gl_bank_rule probe = q->rule;
    if (q->op == GL_BANK_RULE_DELETE_OP && !gl_bank_rule_check(&probe, &field) &&
        !strcmp(field, "name"))
        return invalid(x, "name");
    bool changed = false;
    st = q->op == GL_BANK_RULE_SET_OP ? rule_set(x, rec.number, q, &changed)
                                      : rule_delete(x, rec.number, q, &changed);
    if (st == GL_OK && changed)
        st = bank_event_signed_body(x, &rec, GL_EVENT_BANK_RULE);
    return st;
}

static int put_rule(void *user, const gl_bank_rule *r)
{
    gl_bank_rule_put(user, r);
    return GL_OK;
}

int query_bank_rules(gl_exec *x, const gl_body *rq)
{
    gl_str account = rq->bank_account_name;
    tenant_rec rec;
    int st = bank_read_tenant(x, &rec);
    bank_state s;
    if (st == GL_OK)
        st = store_bank_account_get(x->txn, rec.number, account, &s);
    if (st == GL_ERR_NOT_FOUND)
        return exec_fail(x, GL_ERR_BANK_NOT_REGISTERED, 0, 0,
                         "account %.*s has no registered bank account", (int)account.len,
                         account.ptr);
    if (st != GL_OK)
        return st;
    size_t count_at = x->body->len;
    gl_put_u32(x->body, 0);
    uint32_t count;
    st = store_bank_rules_each(x->txn, rec.number, account, put_rule, x->body, &count);
    if (st != GL_OK)
        return st;
    if (!gl_buf_ok(x->body))
        return GL_ERR_INTERNAL;
    gl_be32(x->body->data + count_at, count);
    return GL_OK;
}
