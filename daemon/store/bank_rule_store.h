/*
 * daemon/store/bank_rule_store.h — the rules of recurring bank-only lines
 * (issue 18, PROTOCOL.md §5.42-§5.43; schema 10), in the table bank_index:
 *
 *   bank_index tenant u32 | account[20] | 7 | name -> the rule
 *              (proto/bank_rule.h gl_bank_rule_put)
 *
 * The names' bytes sort as the names do ([a-z0-9_-], a shorter name first):
 * a scan of the prefix gives the rules in name order.
 */
#ifndef GL_BANK_RULE_STORE_H
#define GL_BANK_RULE_STORE_H

#include "store.h"

#include "proto/bank_rule.h"

#include <stdint.h>

/* The rule named name: GL_OK (its strings point into the value: valid
 * until the transaction writes), GL_ERR_NOT_FOUND, GL_ERR_STORAGE. */
int store_bank_rule_get(store_txn *t, uint32_t tenant, gl_str account, gl_str name,
                        gl_bank_rule *out);
int store_bank_rule_put(store_txn *t, uint32_t tenant, gl_str account, const gl_bank_rule *r);
int store_bank_rule_delete(store_txn *t, uint32_t tenant, gl_str account, gl_str name);

/* The rules of a bank account in name order: fn(user, rule) for each
 * (its strings valid during the call); a status other than GL_OK from fn
 * stops the walk and is returned.  *count gets the number walked. */
typedef int (*store_bank_rule_fn)(void *user, const gl_bank_rule *r);
int store_bank_rules_each(store_txn *t, uint32_t tenant, gl_str account, store_bank_rule_fn fn,
                          void *user, uint32_t *count);

#endif
