/*
 * tests/integration/grant_support.h — what the grants and budgets tests
 * share (issue 19): a body of each kind 55-58 that decodes (the suites
 * that send every kind: member_view, authz), and requests built and sent
 * through the harness.
 */
#ifndef GL_TEST_GRANT_SUPPORT_H
#define GL_TEST_GRANT_SUPPORT_H

#include "tests/support/harness.h"

#include "proto/budget.h"
#include "proto/grant.h"
#include "proto/request.h"
#include "proto/status.h"

/* A body of kind 55-58 that decodes. */
void gr_any_body(uint16_t kind, gl_buf *b);

/* The last refusal's detail (gr_* calls below). */
extern char gr_detail[512];

/* The grant FSE-2026 of funder FSE for action AGIIE on 741700, 2026. */
gl_grant gr_sample(void);
/* GRANT_SET: the reply's status. */
int gr_set(harness *h, enum h_key k, const char *tenant, uint8_t op, const gl_grant *g);
/* BUDGET_SET of rows "group=cents" (n may be 0). */
int gr_budget(harness *h, enum h_key k, const char *tenant, const char *action, uint16_t fy,
              const char *const *rows, size_t n);
/* GRANTS as "code:funder:action:account:cents:from-to:flags:rate;". */
int gr_grants_text(harness *h, enum h_key k, const char *tenant, char *out, size_t cap);
/* BUDGETS as "action/fy v<version>[group=cents,...];". */
int gr_budgets_text(harness *h, enum h_key k, const char *tenant, uint16_t fy, const char *action,
                    char *out, size_t cap);

#endif
