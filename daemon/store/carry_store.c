/*
 * daemon/store/carry_store.c — the carry_modes table; see carry_store.h.
 */
#include "carry_store.h"

#include "keys.h"

#include "proto/carry.h"
#include "proto/status.h"

int store_carry_mode_get(store_txn *t, uint32_t tenant, gl_str account, uint8_t *mode)
{
    uint8_t k[KEY_ACCOUNTS_LEN];
    store_val v;
    key_accounts(k, tenant, account); /* the same key shape as accounts */
    int st = store_get(t, DB_CARRY_MODES, k, sizeof k, &v);
    *mode = GL_CARRY_SUMMARISED;
    if (st == GL_ERR_NOT_FOUND)
        return GL_OK;
    if (st != GL_OK)
        return st;
    if (v.len != 1 || v.ptr[0] > GL_CARRY_DETAILED)
        return GL_ERR_INTERNAL;
    *mode = v.ptr[0];
    return GL_OK;
}

int store_carry_mode_put(store_txn *t, uint32_t tenant, gl_str account, uint8_t mode)
{
    uint8_t k[KEY_ACCOUNTS_LEN];
    key_accounts(k, tenant, account);
    return store_put(t, DB_CARRY_MODES, k, sizeof k, &mode, 1);
}
