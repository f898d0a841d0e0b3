/*
 * daemon/store/carry_store.h — carry_modes (schema 7, issue 17): how each
 * account of a tenant is carried over at a close, set by CARRY_MODE_SET.
 *   carry_modes tenant u32 | account[20] -> mode u8 (proto/carry.h: 0
 *               summarised, 1 detailed); no record: summarised
 */
#ifndef GL_CARRY_STORE_H
#define GL_CARRY_STORE_H

#include "store.h"

#include "proto/wire.h"

#include <stdint.h>

/* The account's mode (GL_CARRY_SUMMARISED when never set): GL_OK or a
 * store error. */
int store_carry_mode_get(store_txn *t, uint32_t tenant, gl_str account, uint8_t *mode);
int store_carry_mode_put(store_txn *t, uint32_t tenant, gl_str account, uint8_t mode);

#endif
