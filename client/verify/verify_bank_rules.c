/*
 * client/verify/verify_bank_rules.c — the BANK_RULE events (17, issue 18,
 * PROTOCOL.md §5.42): each is its signed BANK_RULE_SET request's body
 * byte for byte, on a bank account the chain registered; its op is known;
 * a set's rule passes gl_bank_rule_check, its counterpart is not the bank
 * account and was opened by the chain, and a new name leaves at most
 * GL_BANK_RULES_MAX rules on the bank account; a delete names a rule the
 * chain set and not deleted since, and nothing else.
 *
 * State per tenant (struct vf_bank_rules, hung on tstate): the names set
 * per bank account, and their count.
 */
#include "verify_int.h"

#include "proto/bank_rule.h"
#include "proto/chain.h"

#include <stdio.h>

typedef struct rule_key {
    uint8_t alen, nlen;
    char account[GL_ACCOUNT_MAX];
    char name[GL_BANK_RULE_NAME_MAX];
} rule_key;

struct vf_bank_rules {
    map names;  /* rule_key -> uint8_t: 1 while the rule is set */
    map counts; /* acct_key (the bank account) -> uint32_t: the rules set */
};

void vf_bank_rules_free(struct vf_bank_rules *b)
{
    if (!b)
        return;
    vf_map_free(&b->names);
    vf_map_free(&b->counts);
    free(b);
}

static struct vf_bank_rules *state(vctx *v)
{
    if (!v->ts.bank_rules) {
        v->ts.bank_rules = calloc(1, sizeof *v->ts.bank_rules);
        if (!v->ts.bank_rules)
            return NULL;
        vf_map_init(&v->ts.bank_rules->names, sizeof(rule_key), sizeof(uint8_t));
        vf_map_init(&v->ts.bank_rules->counts, sizeof(acct_key), sizeof(uint32_t));
    }
    return v->ts.bank_rules;
}

static rule_key make_key(gl_str account, gl_str name)
{
    rule_key k;
    memset(&k, 0, sizeof k);
    k.alen = (uint8_t)account.len;
    k.nlen = (uint8_t)name.len;
    copy_bytes(k.account, account.ptr, account.len);
    copy_bytes(k.name, name.ptr, name.len);
    return k;
}

/* A set: the rule's fields, its counterpart opened, the count. */
static bool check_set(vctx *v, const gl_bank_rule_set_q *q, uint8_t *set, uint32_t *count)
{
    const char *field;
    if (!gl_bank_rule_check(&q->rule, &field))
        return vf_problem(v, GL_VP_RULE, "bank rule %.*s of %.*s: its %s is out of its rule",
                          (int)q->rule.name.len, q->rule.name.ptr, (int)q->account.len,
                          q->account.ptr, field);
    acct_key ck = vf_make_acct_key(q->rule.counterpart);
    acct_val *a = vf_map_get(&v->ts.accounts, &ck, false, &v->nomem);
    if (str_eq(q->rule.counterpart, q->account) || !a || !a->opened)
        return vf_problem(v, GL_VP_RULE,
                          "bank rule %.*s of %.*s: its counterpart %.*s is not an open account "
                          "other than the bank account",
                          (int)q->rule.name.len, q->rule.name.ptr, (int)q->account.len,
                          q->account.ptr, (int)q->rule.counterpart.len, q->rule.counterpart.ptr);
    if (!*set && *count >= GL_BANK_RULES_MAX)
        return vf_problem(v, GL_VP_RULE, "bank account %.*s: more than %u rules (482)",
                          (int)q->account.len, q->account.ptr, (unsigned)GL_BANK_RULES_MAX);
    *count += !*set;
    *set = 1;
    return true;
}

/* A delete: the name only, of a rule set. */
static bool check_delete(vctx *v, const gl_bank_rule_set_q *q, uint8_t *set, uint32_t *count)
{
    const gl_bank_rule *r = &q->rule;
    if (r->pattern.len || r->min_cents || r->max_cents || r->counterpart.len || r->journal.len ||
        r->label.len)
        return vf_problem(v, GL_VP_RULE, "a delete of bank rule %.*s carries a rule",
                          (int)r->name.len, r->name.ptr);
    if (!*set)
        return vf_problem(v, GL_VP_RULE, "bank rule %.*s of %.*s deleted, but never set (481)",
                          (int)r->name.len, r->name.ptr, (int)q->account.len, q->account.ptr);
    *set = 0;
    --*count;
    return true;
}

bool vf_event_bank_rule(vctx *v, const gl_event *ev)
{
    gl_bank_rule_set_q q;
    if (gl_bank_rule_set_q_decode(ev->payload, ev->payload_len, &q) != GL_OK)
        return vf_problem(v, GL_VP_RECORD, "the bank rule's record does not decode");
    env_state *es = vf_event_request(v, ev, v->ts.seq);
    if (!es || !vf_expect_kind(v, es, GL_KIND_BANK_RULE_SET))
        return false;
    if (ev->head.item != 1 || es->req.body_len != ev->payload_len ||
        memcmp(es->req.body, ev->payload, ev->payload_len))
        return vf_problem(v, GL_VP_REQUEST, "bank rule %.*s is not the one its signed request sets",
                          (int)q.rule.name.len, q.rule.name.ptr);
    if (!vf_bank_registered(v, q.account))
        return vf_problem(v, GL_VP_RULE, "a bank rule on %.*s, which has no bank account",
                          (int)q.account.len, q.account.ptr);
    if (q.op != GL_BANK_RULE_SET_OP && q.op != GL_BANK_RULE_DELETE_OP)
        return vf_problem(v, GL_VP_RULE, "a bank rule of an unknown op %u", (unsigned)q.op);
    struct vf_bank_rules *b = state(v);
    rule_key rk = make_key(q.account, q.rule.name);
    acct_key ak = vf_make_acct_key(q.account);
    uint8_t *set = b ? vf_map_get(&b->names, &rk, true, &v->nomem) : NULL;
    uint32_t *count = set ? vf_map_get(&b->counts, &ak, true, &v->nomem) : NULL;
    if (!count)
        return vf_out_of_memory(v);
    return q.op == GL_BANK_RULE_SET_OP ? check_set(v, &q, set, count)
                                       : check_delete(v, &q, set, count);
}
