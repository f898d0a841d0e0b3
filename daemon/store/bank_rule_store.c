/*
 * daemon/store/bank_rule_store.c — the codec of the bank rules in
 * bank_index under tag 7 (bank_rule_store.h).
 */
#include "bank_rule_store.h"

#include "bank_store.h"

#include "proto/status.h"

#include <string.h>

#define INDEX_RULE 7

enum { KEY_BANK_RULE_MAX = KEY_BANK_ACCOUNT_PREFIX_LEN + 1 + GL_BANK_RULE_NAME_MAX };

static size_t key_bank_rule(uint8_t k[KEY_BANK_RULE_MAX], uint32_t tenant, gl_str account,
                            gl_str name)
{
    size_t n = name.len < GL_BANK_RULE_NAME_MAX ? name.len : GL_BANK_RULE_NAME_MAX;
    key_bank_prefix(k, tenant, account);
    k[KEY_BANK_ACCOUNT_PREFIX_LEN] = INDEX_RULE;
    if (n)
        memcpy(k + KEY_BANK_ACCOUNT_PREFIX_LEN + 1, name.ptr, n);
    return KEY_BANK_ACCOUNT_PREFIX_LEN + 1 + n;
}

static int rule_value(store_val v, gl_bank_rule *out)
{
    gl_cur c;
    gl_cur_init_stored(&c, v.ptr, v.len);
    gl_bank_rule_get(&c, out);
    return gl_cur_end(&c) == GL_OK ? GL_OK : GL_ERR_STORAGE;
}

int store_bank_rule_get(store_txn *t, uint32_t tenant, gl_str account, gl_str name,
                        gl_bank_rule *out)
{
    uint8_t k[KEY_BANK_RULE_MAX];
    size_t klen = key_bank_rule(k, tenant, account, name);
    store_val v;
    int st = store_get(t, DB_BANK_INDEX, k, klen, &v);
    return st == GL_OK ? rule_value(v, out) : st;
}

int store_bank_rule_put(store_txn *t, uint32_t tenant, gl_str account, const gl_bank_rule *r)
{
    uint8_t k[KEY_BANK_RULE_MAX];
    size_t klen = key_bank_rule(k, tenant, account, r->name);
    gl_buf b;
    gl_buf_init(&b);
    gl_bank_rule_put(&b, r);
    int st = gl_buf_ok(&b) ? store_put(t, DB_BANK_INDEX, k, klen, b.data, b.len) : GL_ERR_INTERNAL;
    gl_buf_free(&b);
    return st;
}

int store_bank_rule_delete(store_txn *t, uint32_t tenant, gl_str account, gl_str name)
{
    uint8_t k[KEY_BANK_RULE_MAX];
    size_t klen = key_bank_rule(k, tenant, account, name);
    return store_del(t, DB_BANK_INDEX, k, klen);
}

int store_bank_rules_each(store_txn *t, uint32_t tenant, gl_str account, store_bank_rule_fn fn,
                          void *user, uint32_t *count)
{
    uint8_t k[KEY_BANK_RULE_MAX];
    size_t plen = key_bank_rule(k, tenant, account, (gl_str){"", 0});
    store_scan sc;
    int st = store_scan_begin(&sc, t, DB_BANK_INDEX, k, plen, plen);
    *count = 0;
    while (st == GL_OK && store_scan_next(&sc)) {
        gl_bank_rule r;
        if ((st = rule_value(sc.v, &r)) != GL_OK || (fn && (st = fn(user, &r)) != GL_OK))
            break;
        ++*count;
    }
    return store_scan_close(&sc, st);
}
