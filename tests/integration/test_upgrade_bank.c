/*
 * tests/integration/test_upgrade_bank.c — schema 9 (issue 18): a ledger
 * of schema 8 has no bank tables; the daemon refuses to serve it,
 * `grandlivred --upgrade` takes it to 9 with bank_accounts, bank_lines and
 * bank_index empty, and the daemon then registers a bank account and
 * imports a statement on it.
 */
#include "tests/integration/bank_support.h"

#include "daemon/store/store.h"

#include <criterion/criterion.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static harness h;
static void setup(void) { h_setup(&h); }
static void teardown(void) { h_teardown(&h); }

TestSuite(upgrade_bank, .init = setup, .fini = teardown, .timeout = 120);

/* The ledger as schema 8 left it: no bank tables, version 8. */
static void make_schema_8(void)
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
    static const char *const tables[] = {"bank_accounts", "bank_lines", "bank_index"};
    for (size_t i = 0; i < 3; i++) {
        cr_assert_eq(mdb_dbi_open(txn, tables[i], 0, &dbi), 0, "%s", tables[i]);
        cr_assert_eq(mdb_drop(txn, dbi, 1), 0);
    }
    cr_assert_eq(mdb_dbi_open(txn, "meta", 0, &meta), 0);
    uint8_t be[4];
    gl_be32(be, GL_SCHEMA_VERSION_BANK - 1);
    MDB_val k = {14, "schema_version"}, v = {4, be};
    cr_assert_eq(mdb_put(txn, meta, &k, &v, 0), 0);
    cr_assert_eq(mdb_txn_commit(txn), 0);
    mdb_env_close(env);
}

static int run(const char *args, char *out, size_t cap)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "'%s/grandlivred' %s -c '%s' 2>&1", h_build_dir(), args, h.config);
    FILE *p = popen(cmd, "r");
    cr_assert(p);
    size_t n = fread(out, 1, cap - 1, p);
    out[n] = '\0';
    return pclose(p);
}

Test(upgrade_bank, schema_8_is_upgraded_to_9_with_empty_bank_tables)
{
    static const char *const accounts[] = {"512000"};
    h_open_accounts(&h, "alpha", accounts, 1);
    h_stop(&h);
    make_schema_8();
    char out[4096], want[64];
    cr_assert_neq(run("", out, sizeof out), 0, "the daemon served a schema 8 ledger:\n%s", out);
    snprintf(want, sizeof want, "schema version %d", GL_SCHEMA_VERSION_BANK - 1);
    cr_expect(strstr(out, want), "%s", out);
    cr_assert_eq(run("--upgrade", out, sizeof out), 0, "%s", out);
    snprintf(want, sizeof want, "schema %d -> %d", GL_SCHEMA_VERSION_BANK - 1,
             GL_SCHEMA_VERSION_BANK);
    cr_expect(strstr(out, want) && strstr(out, "bank accounts"), "%s", out);
    cr_assert_eq(run("--upgrade", out, sizeof out), 0, "a second run has nothing to do: %s", out);
    h_start(&h);
    cr_assert_eq(bk_set(&h, K_ACCOUNTANT, "alpha", "512000", IBAN_A, "", "Courant"), GL_OK);
    gl_bank_statement s;
    bk_statement(&s, IBAN_A, 1);
    bk_line(&s.lines[0], 20260105, 1000, "VIR", "R1");
    gl_bank_import_result r;
    cr_assert_eq(bk_import(&h, K_ACCOUNTANT, "alpha", "512000", &s, &r), GL_OK, "%s", r.detail);
    cr_expect_eq(r.added, 1);
    free(s.lines);
    cr_expect_geq(h_verify_chains(&h), 0);
}
