/*
 * daemon/store/asset_store.h — the fixed-asset register of a tenant
 * (issue 20, PROTOCOL.md §5.59-§5.61; schema 12), in the table assets:
 *
 *   assets tenant u32 | code (1..16 bytes) -> the row (proto/asset.h
 *          gl_asset_state_put: the record as registered, through,
 *          disposed, proceeds)
 *
 * Codes of [A-Z0-9_.-] sort as their bytes do: a scan gives the register
 * in code order, which ASSETS answers by copying the values and ASSET_POST
 * plans from.
 */
#ifndef GL_ASSET_STORE_H
#define GL_ASSET_STORE_H

#include "store.h"

#include "proto/asset.h"

#include <stddef.h>
#include <stdint.h>

/* The row of that code: GL_OK (strings into the value: valid until the
 * transaction writes), GL_ERR_NOT_FOUND, GL_ERR_STORAGE (a value that does
 * not decode, or under another code). */
int store_asset_get(store_txn *t, uint32_t tenant, gl_str code, gl_asset_state *out);
int store_asset_put(store_txn *t, uint32_t tenant, const gl_asset_state *s);

/* The rows in code order: fn(user, value, row) for each; fn may be NULL;
 * *count gets the number walked. */
typedef int (*store_asset_fn)(void *user, store_val value, const gl_asset_state *s);
int store_assets_each(store_txn *t, uint32_t tenant, store_asset_fn fn, void *user,
                      uint32_t *count);

/* The whole register, copied: *rows (malloc'd, *n of them; free it) whose
 * strings point into *copy (gl_buf_free it), so that both outlive the
 * transaction's writes.  GL_OK, GL_ERR_INTERNAL (no memory) or the store's
 * status. */
int store_assets_load(store_txn *t, uint32_t tenant, gl_asset_state **rows, size_t *n,
                      gl_buf *copy);

#endif
