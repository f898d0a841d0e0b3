/*
 * daemon/store/analytic_store.h — analytic accounting's own records
 * (issue 19, schema 11) in the table analytic, tags 1-4 (tag 5, the
 * analytic ledger, and an_totals are daemon/analytic_index.h's; tag 6 the
 * time sheets'):
 *
 *   analytic tenant u32 | 1 | axis            -> state u8 | codes u16 | label str8
 *            tenant u32 | 2 | axis[16] | code -> state u8 | label str8
 *            tenant u32 | 3 | axis[16] | prefix -> (empty): lines on accounts
 *                       starting with prefix must carry the axis
 *            tenant u32 | 4 | fy u16 | num u32 | line u16 | axis[16]
 *                       -> count u8 | (code str8 | amount i64)*: the
 *                       allocation of a posted line on an axis
 *
 * axis[16] is the axis name NUL-padded: with names of [a-z0-9_-], the
 * keys sort as the names do (a shorter name first), so a scan gives axes,
 * codes and prefixes in byte order.  `codes` counts the axis's codes (the
 * limit GL_AN_CODES_MAX is checked without a scan).
 */
#ifndef GL_ANALYTIC_STORE_H
#define GL_ANALYTIC_STORE_H

#include "store.h"

#include "proto/analytic.h"
#include "proto/wire.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct an_axis_rec {
    uint8_t state; /* GL_AN_OPEN, GL_AN_CLOSED */
    uint16_t ncodes;
    gl_str label;
} an_axis_rec;

typedef struct an_code_rec {
    uint8_t state;
    gl_str label;
} an_code_rec;

/* Gets: GL_OK (views valid until the transaction writes), GL_ERR_NOT_FOUND,
 * GL_ERR_STORAGE (a damaged value). */
int store_an_axis_get(store_txn *t, uint32_t tenant, gl_str axis, an_axis_rec *out);
int store_an_axis_put(store_txn *t, uint32_t tenant, gl_str axis, const an_axis_rec *r);
/* Does the tenant have any axis (one cursor seek): GL_OK and *any. */
int store_an_any_axis(store_txn *t, uint32_t tenant, bool *any);
/* The axes in name order: fn(user, axis, rec) for each (views valid
 * during the call); a status other than GL_OK from fn stops the walk and
 * is returned.  fn may be NULL; *count gets the number walked. */
typedef int (*store_an_axis_fn)(void *user, gl_str axis, const an_axis_rec *r);
int store_an_axes_each(store_txn *t, uint32_t tenant, store_an_axis_fn fn, void *user,
                       uint32_t *count);

int store_an_code_get(store_txn *t, uint32_t tenant, gl_str axis, gl_str code, an_code_rec *out);
int store_an_code_put(store_txn *t, uint32_t tenant, gl_str axis, gl_str code,
                      const an_code_rec *r);
typedef int (*store_an_code_fn)(void *user, gl_str code, const an_code_rec *r);
int store_an_codes_each(store_txn *t, uint32_t tenant, gl_str axis, store_an_code_fn fn, void *user,
                        uint32_t *count);

/* Rules: GL_OK if (axis, prefix) is required, GL_ERR_NOT_FOUND if not. */
int store_an_rule_get(store_txn *t, uint32_t tenant, gl_str axis, gl_str prefix);
int store_an_rule_put(store_txn *t, uint32_t tenant, gl_str axis, gl_str prefix);
int store_an_rule_del(store_txn *t, uint32_t tenant, gl_str axis, gl_str prefix);
/* The rules of one axis (axis not empty) or of every axis (axis ""), in
 * (axis, prefix) order. */
typedef int (*store_an_rule_fn)(void *user, gl_str axis, gl_str prefix);
int store_an_rules_each(store_txn *t, uint32_t tenant, gl_str axis, store_an_rule_fn fn, void *user,
                        uint32_t *count);

/* One allocation (fy, num, line, axis) -> split (count >= 1).  The get
 * copies the value into buf (the split's codes point into it), so that it
 * outlives the transaction's writes. */
typedef struct an_alloc_key {
    uint32_t tenant;
    uint16_t fy;
    uint32_t num;
    uint16_t line;
} an_alloc_key;
#define AN_ALLOC_VALUE_MAX (1 + GL_AN_SPLIT_MAX * (1 + GL_AN_CODE_MAX + 8))
int store_an_alloc_get(store_txn *t, const an_alloc_key *k, gl_str axis,
                       uint8_t buf[AN_ALLOC_VALUE_MAX], gl_an_split *out);
int store_an_alloc_put(store_txn *t, const an_alloc_key *k, const gl_an_split *s);
int store_an_alloc_del(store_txn *t, const an_alloc_key *k, gl_str axis);
/* The axes line k is allocated on, in name order: fn(user, axis) for
 * each (a view valid during the call; fn must not write); a status other
 * than GL_OK from fn stops the walk and is returned. */
typedef int (*store_an_alloc_fn)(void *user, gl_str axis);
int store_an_allocs_each(store_txn *t, const an_alloc_key *k, store_an_alloc_fn fn, void *user);

#endif
