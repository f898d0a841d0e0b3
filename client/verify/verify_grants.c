/*
 * client/verify/verify_grants.c — the replay of grants and budgets
 * (issue 19, PROTOCOL.md §5.55, §5.57, proto/grant.h, proto/budget.h).
 * Events 23-24 of a tenant's chain, in order:
 *   GRANT (23): its signed GRANT_SET's body byte for byte; its fields pass
 *     gl_grant_check (496); a set names a funder and an action open on
 *     the axes `financeur` and `action` at that point (484, 485) and an
 *     account the chain opened; a new code leaves at most GL_GRANTS_MAX
 *     grants (490); a set never repeats the grant as it stands (the
 *     daemon writes nothing then); a delete names a grant set and not
 *     deleted since (497);
 *   BUDGET (24): its signed BUDGET_SET's body byte for byte; it passes
 *     gl_budget_check (498); its action is open at that point; it is
 *     version n + 1 of its (action, fy), n the pair's events before it,
 *     at most GL_BUDGET_VERSIONS_MAX, and a new pair leaves at most
 *     GL_BUDGETS_MAX budgets (499); its rows are not the latest version's,
 *     and a withdrawal (no row) is of a budget set before (the daemon
 *     writes nothing then).
 *
 * State per tenant (struct vf_grants, hung on tstate, made by the first
 * event 23 or 24): each grant's record as it stands (a BLAKE2b digest of
 * its bytes) and each budget's version count and rows' digest.
 */
#include "verify_int.h"

#include "proto/analytic.h"
#include "proto/budget.h"
#include "proto/chain.h"
#include "proto/grant.h"

#include <sodium.h>
#include <stdio.h>

typedef struct code_key {
    uint8_t len;
    char code[GL_GRANT_CODE_MAX];
} code_key;
typedef struct grant_val {
    uint8_t set; /* 1 while the grant stands */
    uint8_t digest[16];
} grant_val;
typedef struct budget_key {
    uint8_t len;
    char action[GL_AN_CODE_MAX];
    uint16_t fy;
} budget_key;
typedef struct budget_val {
    uint16_t versions;
    uint8_t digest[16]; /* of the latest version's rows */
} budget_val;

struct vf_grants {
    map grants;  /* code_key -> grant_val */
    map budgets; /* budget_key -> budget_val */
    uint32_t standing, budget_count;
};

void vf_grants_free(struct vf_grants *g)
{
    if (!g)
        return;
    vf_map_free(&g->grants);
    vf_map_free(&g->budgets);
    free(g);
}

static struct vf_grants *state(vctx *v)
{
    if (!v->ts.grants) {
        struct vf_grants *g = calloc(1, sizeof *g);
        if (!g) {
            vf_out_of_memory(v);
            return NULL;
        }
        vf_map_init(&g->grants, sizeof(code_key), sizeof(grant_val));
        vf_map_init(&g->budgets, sizeof(budget_key), sizeof(budget_val));
        v->ts.grants = g;
    }
    return v->ts.grants;
}

static void digest16(uint8_t out[16], const void *p, size_t n)
{
    crypto_generichash(out, 16, p, n, NULL, 0);
}

#define S_(s) (int)(s).len, (s).ptr
#define FUNDER_AXIS ((gl_str){GL_GRANT_FUNDER_AXIS, sizeof GL_GRANT_FUNDER_AXIS - 1})
#define ACTION_AXIS ((gl_str){GL_GRANT_ACTION_AXIS, sizeof GL_GRANT_ACTION_AXIS - 1})

/* A set: the funder, the action, the account; the count; a change. */
static bool grant_set(vctx *v, struct vf_grants *s, const gl_grant *g, grant_val *val,
                      const uint8_t digest[16])
{
    if (!vf_analytic_code_open(v, "grant's funder", FUNDER_AXIS, g->funder) ||
        !vf_analytic_code_open(v, "grant's action", ACTION_AXIS, g->action))
        return false;
    acct_key ak = vf_make_acct_key(g->account);
    acct_val *a = vf_map_get(&v->ts.accounts, &ak, false, &v->nomem);
    if (!a || !a->opened)
        return vf_problem(v, GL_VP_RULE,
                          "grant %.*s: its account %.*s is not an open account (405)", S_(g->code),
                          S_(g->account));
    if (val->set && !memcmp(val->digest, digest, 16))
        return vf_problem(v, GL_VP_RULE,
                          "grant %.*s set again as it stood: the daemon writes "
                          "nothing then",
                          S_(g->code));
    if (!val->set && s->standing >= GL_GRANTS_MAX)
        return vf_problem(v, GL_VP_RULE, "grant %.*s: more than %u grants (490)", S_(g->code),
                          (unsigned)GL_GRANTS_MAX);
    s->standing += !val->set;
    val->set = 1;
    memcpy(val->digest, digest, 16);
    return true;
}

bool vf_event_grant(vctx *v, const gl_event *ev)
{
    gl_grant_set_q q;
    if (gl_grant_set_q_decode(ev->payload, ev->payload_len, &q) != GL_OK)
        return vf_problem(v, GL_VP_RECORD, "the grant's record does not decode");
    if (!vf_event_signed_body(v, ev, GL_KIND_GRANT_SET, "grant"))
        return false;
    const char *field;
    if (!gl_grant_check(q.op, &q.grant, &field))
        return vf_problem(v, GL_VP_RULE, "grant %.*s: its %s is out of its rule (496)",
                          S_(q.grant.code), field);
    struct vf_grants *s = state(v);
    code_key k;
    memset(&k, 0, sizeof k);
    k.len = (uint8_t)q.grant.code.len; /* <= GL_GRANT_CODE_MAX: gl_grant_check */
    copy_bytes(k.code, q.grant.code.ptr, k.len);
    grant_val *val = s ? vf_map_get(&s->grants, &k, true, &v->nomem) : NULL;
    if (!val)
        return vf_out_of_memory(v);
    if (q.op == GL_GRANT_SET_OP) {
        gl_buf b;
        gl_buf_init(&b);
        gl_grant_put(&b, &q.grant);
        uint8_t digest[16];
        if (!gl_buf_ok(&b))
            return vf_out_of_memory(v);
        digest16(digest, b.data, b.len);
        gl_buf_free(&b);
        return grant_set(v, s, &q.grant, val, digest);
    }
    if (!val->set)
        return vf_problem(v, GL_VP_RULE, "grant %.*s deleted, but not set at that point (497)",
                          S_(q.grant.code));
    val->set = 0;
    s->standing--;
    return true;
}

bool vf_event_budget(vctx *v, const gl_event *ev)
{
    gl_budget_set_q q;
    if (gl_budget_set_q_decode(ev->payload, ev->payload_len, &q) != GL_OK)
        return vf_problem(v, GL_VP_RECORD, "the budget's record does not decode");
    if (!vf_event_signed_body(v, ev, GL_KIND_BUDGET_SET, "budget"))
        return false;
    const char *field;
    uint32_t row;
    if (!gl_budget_check(&q, &field, &row))
        return vf_problem(v, GL_VP_RULE,
                          "budget of %.*s for %u: row %u: its %s is out of its rule "
                          "(498)",
                          S_(q.action), (unsigned)q.fy, (unsigned)row, field);
    if (!vf_analytic_code_open(v, "budget's action", ACTION_AXIS, q.action))
        return false;
    struct vf_grants *s = state(v);
    budget_key k;
    memset(&k, 0, sizeof k);
    k.len = (uint8_t)q.action.len; /* <= GL_AN_CODE_MAX: gl_budget_check */
    copy_bytes(k.action, q.action.ptr, k.len);
    k.fy = q.fy;
    budget_val *val = s ? vf_map_get(&s->budgets, &k, true, &v->nomem) : NULL;
    if (!val)
        return vf_out_of_memory(v);
    uint8_t digest[16];
    digest16(digest, q.rows.rows, q.rows.rows_len);
    if (!val->versions && !q.rows.count)
        return vf_problem(v, GL_VP_RULE,
                          "budget of %.*s for %u withdrawn, but never set: the daemon writes "
                          "nothing then",
                          S_(q.action), (unsigned)q.fy);
    if (val->versions && !memcmp(val->digest, digest, 16))
        return vf_problem(v, GL_VP_RULE,
                          "budget of %.*s for %u: version %u repeats version %u: "
                          "the daemon writes nothing then",
                          S_(q.action), (unsigned)q.fy, (unsigned)val->versions + 1,
                          (unsigned)val->versions);
    if (val->versions >= GL_BUDGET_VERSIONS_MAX ||
        (!val->versions && s->budget_count >= GL_BUDGETS_MAX))
        return vf_problem(v, GL_VP_RULE,
                          "budget of %.*s for %u: more versions or budgets than "
                          "allowed (499)",
                          S_(q.action), (unsigned)q.fy);
    s->budget_count += !val->versions;
    val->versions++;
    memcpy(val->digest, digest, 16);
    return true;
}
