/*
 * daemon/store/grant_store.h — the grants of a tenant (issue 19,
 * PROTOCOL.md §5.55-§5.56; schema 11), in the table analytic, tag 7:
 *
 *   analytic tenant u32 | 7 | code (1..16 bytes) -> the grant's record
 *            (proto/grant.h gl_grant_put, the code included)
 *
 * Codes of [A-Z0-9_.-] sort as their bytes do (a shorter code first): a
 * scan of the tag gives the grants in code order, which GRANTS answers
 * by copying the values.
 */
#ifndef GL_GRANT_STORE_H
#define GL_GRANT_STORE_H

#include "store.h"

#include "proto/grant.h"

#include <stdint.h>

#define AN_TAG_GRANTS 7

/* The grant of that code: GL_OK (its strings point into the value: valid
 * until the transaction writes), GL_ERR_NOT_FOUND, GL_ERR_STORAGE (a value
 * that does not decode, or under another code). */
int store_grant_get(store_txn *t, uint32_t tenant, gl_str code, gl_grant *out);
int store_grant_put(store_txn *t, uint32_t tenant, const gl_grant *g);
int store_grant_delete(store_txn *t, uint32_t tenant, gl_str code);

/* The grants in code order: fn(user, value, grant) for each (the record's
 * bytes and their decoding, valid during the call); a status other than
 * GL_OK from fn stops the walk and is returned.  fn may be NULL; *count
 * gets the number walked. */
typedef int (*store_grant_fn)(void *user, store_val value, const gl_grant *g);
int store_grants_each(store_txn *t, uint32_t tenant, store_grant_fn fn, void *user,
                      uint32_t *count);

#endif
