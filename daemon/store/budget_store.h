/*
 * daemon/store/budget_store.h — the budgets of a tenant (issue 19,
 * PROTOCOL.md §5.57-§5.58; schema 11), in the table analytic, tag 8:
 *
 *   analytic tenant u32 | 8 | action[16] | fy u16 -> version u16 |
 *            recorded_ms i64 | count u16 | (group str8 | amount i64)*count
 *
 * Only the latest version of each (action, fy) is stored, with its number
 * (1, 2, ...: the count of BUDGET_SET events of that pair in the chain)
 * and the writer's batch time; the earlier versions are in the chain.  A
 * version of count 0 withdraws the budget and stays stored (its number
 * goes on counting).  action[16] is the code NUL-padded, so that a scan
 * gives the budgets in (action, fy) order.
 */
#ifndef GL_BUDGET_STORE_H
#define GL_BUDGET_STORE_H

#include "store.h"

#include "proto/budget.h"

#include <stdint.h>

#define AN_TAG_BUDGETS 8

typedef struct budget_rec {
    uint16_t version;
    int64_t recorded_ms;
    gl_budget_rows rows; /* views into the value: valid until the transaction writes */
} budget_rec;

/* GL_OK, GL_ERR_NOT_FOUND, GL_ERR_STORAGE (a value that does not decode). */
int store_budget_get(store_txn *t, uint32_t tenant, gl_str action, uint16_t fy, budget_rec *out);
/* rec->rows already checked (gl_budget_check). */
int store_budget_put(store_txn *t, uint32_t tenant, gl_str action, uint16_t fy,
                     const budget_rec *rec);

/* The budgets of one action (action not empty) or of every action (""),
 * in (action, fy) order: fn(user, action, fy, rec) for each; a status
 * other than GL_OK from fn stops the walk and is returned.  fn may be
 * NULL; *count gets the number walked. */
typedef int (*store_budget_fn)(void *user, gl_str action, uint16_t fy, const budget_rec *rec);
int store_budgets_each(store_txn *t, uint32_t tenant, gl_str action, store_budget_fn fn, void *user,
                       uint32_t *count);

#endif
