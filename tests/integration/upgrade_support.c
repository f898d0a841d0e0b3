/*
 * tests/integration/upgrade_support.c — see upgrade_support.h.
 */
#include "tests/integration/upgrade_support.h"

#include "proto/wire.h"

#include <criterion/criterion.h>
#include <lmdb.h>
#include <stdio.h>

void up_roll_back(harness *h, const char *const *drop, size_t n, uint32_t version)
{
    char dir[400];
    snprintf(dir, sizeof dir, "%s/data", h->dir);
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi, meta;
    cr_assert_eq(mdb_env_create(&env), 0);
    mdb_env_set_maxdbs(env, 64);
    mdb_env_set_mapsize(env, 1024ull << 20);
    cr_assert_eq(mdb_env_open(env, dir, MDB_NOTLS, 0600), 0);
    cr_assert_eq(mdb_txn_begin(env, NULL, 0, &txn), 0);
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(mdb_dbi_open(txn, drop[i], 0, &dbi), 0, "%s", drop[i]);
        cr_assert_eq(mdb_drop(txn, dbi, 1), 0);
    }
    cr_assert_eq(mdb_dbi_open(txn, "meta", 0, &meta), 0);
    uint8_t be[4];
    gl_be32(be, version);
    MDB_val k = {14, "schema_version"}, v = {4, be};
    cr_assert_eq(mdb_put(txn, meta, &k, &v, 0), 0);
    cr_assert_eq(mdb_txn_commit(txn), 0);
    mdb_env_close(env);
}

int up_daemon(harness *h, const char *args, char *out, size_t cap)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "'%s/grandlivred' %s -c '%s' 2>&1", h_build_dir(), args, h->config);
    FILE *p = popen(cmd, "r");
    cr_assert(p);
    size_t n = fread(out, 1, cap - 1, p);
    out[n] = '\0';
    return pclose(p);
}
