/*
 * tests/integration/test_upgrade_third_parties.c — schema 5 (issue 17):
 * a ledger of schema 4 has no third_parties table; `grandlivred --upgrade`
 * takes it to 5 with the registry empty, and the daemon then records and
 * lists third parties on it.
 */
#include "tests/support/harness.h"

#include "daemon/store/store.h"
#include "proto/request.h"
#include "proto/status.h"
#include "proto/third_party.h"

#include <criterion/criterion.h>
#include <lmdb.h>
#include <stdio.h>
#include <string.h>

static harness h;
static void setup(void) { h_setup(&h); }
static void teardown(void) { h_teardown(&h); }

TestSuite(upgrade_third_parties, .init = setup, .fini = teardown, .timeout = 120);

/* The ledger as schema 4 left it: no third_parties table, version 4. */
static void make_schema_4(void)
{
    char dir[400];
    snprintf(dir, sizeof dir, "%s/data", h.dir);
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi, meta;
    cr_assert_eq(mdb_env_create(&env), 0);
    mdb_env_set_maxdbs(env, 64);
    mdb_env_set_mapsize(env, 1024ull << 20);
    cr_assert_eq(mdb_env_open(env, dir, MDB_NOTLS, 0600), 0);
    cr_assert_eq(mdb_txn_begin(env, NULL, 0, &txn), 0);
    cr_assert_eq(mdb_dbi_open(txn, "third_parties", 0, &dbi), 0);
    cr_assert_eq(mdb_drop(txn, dbi, 1), 0);
    cr_assert_eq(mdb_dbi_open(txn, "meta", 0, &meta), 0);
    uint8_t be[4];
    gl_be32(be, 4);
    MDB_val k = {14, "schema_version"}, v = {4, be};
    cr_assert_eq(mdb_put(txn, meta, &k, &v, 0), 0);
    cr_assert_eq(mdb_txn_commit(txn), 0);
    mdb_env_close(env);
}

Test(upgrade_third_parties, schema_4_is_upgraded_to_5_with_an_empty_registry)
{
    static const char *const accounts[] = {"401000"};
    h_open_accounts(&h, "alpha", accounts, 1);
    h_stop(&h);
    make_schema_4();
    char cmd[1200], out[4096];
    snprintf(cmd, sizeof cmd, "'%s/grandlivred' -c '%s' 2>&1", h_build_dir(), h.config);
    FILE *p = popen(cmd, "r");
    cr_assert(p);
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    cr_assert_neq(pclose(p), 0, "the daemon served a schema 4 ledger:\n%s", out);
    cr_expect(strstr(out, "schema version 4"), "%s", out);
    snprintf(cmd, sizeof cmd, "'%s/grandlivred' --upgrade -c '%s' 2>&1", h_build_dir(), h.config);
    p = popen(cmd, "r");
    cr_assert(p);
    n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    cr_assert_eq(pclose(p), 0, "%s", out);
    cr_expect(strstr(out, "schema 4 -> 5") && strstr(out, "third parties"), "%s", out);
    h_start(&h);
    gl_third_party r = {.code = {"EDF", 3}, .kind = GL_TP_SUPPLIER, .collective = {"401000", 6},
                        .name = {"EDF", 3}};
    gl_buf b;
    gl_buf_init(&b);
    gl_put_u8(&b, GL_TP_MODE_ADD);
    gl_put_u16(&b, 1);
    gl_third_party_encode(&b, &r);
    gl_response resp;
    cr_expect_eq(h_call(&h, K_ACCOUNTANT, GL_KIND_THIRD_PARTY_SET, "alpha", 0, b.data, b.len, &resp),
                 GL_OK, "the registry after the upgrade is not empty or not there");
    gl_response_free(&resp);
    gl_buf_free(&b);
    cr_expect_geq(h_verify_chains(&h), 0);
}
