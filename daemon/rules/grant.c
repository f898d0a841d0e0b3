/*
 * daemon/rules/grant.c — grants (issue 19, PROTOCOL.md §5.55-§5.56).
 * Placeholder until the handlers land on this branch.
 */
#include "daemon/handlers.h"
#include "daemon/ledger.h"

#include "proto/status.h"

int rules_grant_set(gl_exec *x, const gl_body *rq)
{
    (void)rq;
    return exec_fail(x, GL_ERR_INTERNAL, 0, 0, "grants are not served yet");
}

int query_grants(gl_exec *x, const gl_body *rq)
{
    (void)rq;
    return exec_fail(x, GL_ERR_INTERNAL, 0, 0, "grants are not served yet");
}

int rules_budget_set(gl_exec *x, const gl_body *rq)
{
    (void)rq;
    return exec_fail(x, GL_ERR_INTERNAL, 0, 0, "budgets are not served yet");
}

int query_budgets(gl_exec *x, const gl_body *rq)
{
    (void)rq;
    return exec_fail(x, GL_ERR_INTERNAL, 0, 0, "budgets are not served yet");
}
