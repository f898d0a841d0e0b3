/*
 * daemon/rules/grant.h — what the grants and budgets handlers share
 * (issue 19, daemon/rules/grant.c and budget.c): a code open on an axis,
 * the detail of a field's rule, and the head and count of their replies.
 */
#ifndef GL_RULES_GRANT_H
#define GL_RULES_GRANT_H

#include "daemon/handlers.h"
#include "daemon/ledger.h"

#include "proto/wire.h"

#include <stddef.h>
#include <stdint.h>

/* code open on axis for tenant, else 484/485 refused with a detail that
 * starts with `where` ("the grant's funder"). */
int gr_code_open(gl_exec *x, uint32_t tenant, const char *axis, gl_str code, const char *where);

/* The rule of field in rules[0..n) ({field, rule} pairs), "" if none. */
const char *gr_rule_of(const char *const (*rules)[2], size_t n, const char *field);

/* A reply that starts with a count u16: the count's place put (at
 * *count_at) and the read's tenant into *rec.  GL_OK; GL_ERR_NOT_FOUND
 * when the tenant is configured but nothing was written for it (the
 * reply is then complete: a count of 0); or a failure. */
int gr_reply_begin(gl_exec *x, tenant_rec *rec, size_t *count_at);
/* The count n written at count_at: GL_OK, or GL_ERR_INTERNAL when the
 * reply ran out of memory. */
int gr_reply_count(gl_exec *x, size_t count_at, uint32_t n);
/* A read whose reply is count u16 | rows: rows(x, tenant, &n) appends the
 * tenant's n rows to x->body (GRANTS, ASSETS); a tenant never written to
 * has none. */
typedef int (*gr_rows_fn)(gl_exec *x, uint32_t tenant, uint32_t *n);
int gr_query_rows(gl_exec *x, gr_rows_fn rows);

#endif
