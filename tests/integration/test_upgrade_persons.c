/*
 * tests/integration/test_upgrade_persons.c — the schema step of personal
 * data (issue 17; allotted 8, GL_SCHEMA_VERSION_PERSONS): a ledger of the
 * version before has no `forgotten` table; `grandlivred --upgrade` takes it
 * to the new version with the table empty and no key store yet, and the
 * daemon then hands out a person's key and forgets it on it.
 */
#include "tests/support/harness.h"

#include "daemon/store/store.h"
#include "proto/request.h"
#include "proto/seal.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <lmdb.h>
#include <stdio.h>
#include <string.h>

static harness h;
static void setup(void) { h_setup(&h); }
static void teardown(void) { h_teardown(&h); }

TestSuite(upgrade_persons, .init = setup, .fini = teardown, .timeout = 120);

#define BEFORE (GL_SCHEMA_VERSION_PERSONS - 1)

/* The ledger as the version before left it: no forgotten table. */
static void make_previous_schema(void)
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
    cr_assert_eq(mdb_dbi_open(txn, "forgotten", 0, &dbi), 0);
    cr_assert_eq(mdb_drop(txn, dbi, 1), 0);
    cr_assert_eq(mdb_dbi_open(txn, "meta", 0, &meta), 0);
    uint8_t be[4];
    gl_be32(be, BEFORE);
    MDB_val k = {14, "schema_version"}, v = {4, be};
    cr_assert_eq(mdb_put(txn, meta, &k, &v, 0), 0);
    cr_assert_eq(mdb_txn_commit(txn), 0);
    mdb_env_close(env);
}

static int run(const char *args, char *out, size_t out_len)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "'%s/grandlivred' %s -c '%s' 2>&1", h_build_dir(), args, h.config);
    FILE *p = popen(cmd, "r");
    cr_assert(p);
    size_t n = fread(out, 1, out_len - 1, p);
    out[n] = '\0';
    return pclose(p);
}

static int call_code(uint16_t kind, const char *code)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_person_code_encode(&b, (gl_str){code, strlen(code)});
    gl_response r;
    int st = h_call(&h, K_ACCOUNTANT, kind, "alpha", 0, b.data, b.len, &r);
    gl_response_free(&r);
    gl_buf_free(&b);
    return st;
}

Test(upgrade_persons, the_previous_schema_is_upgraded_with_forgotten_empty)
{
    static const char *const accounts[] = {"411000"};
    h_open_accounts(&h, "alpha", accounts, 1);
    h_stop(&h);
    make_previous_schema();
    char out[4096], want[64];
    cr_assert_neq(run("", out, sizeof out), 0, "the daemon served an older ledger:\n%s", out);
    cr_assert_eq(run("--upgrade", out, sizeof out), 0, "%s", out);
    snprintf(want, sizeof want, "schema %u -> %u", BEFORE, BEFORE + 1);
    cr_expect(strstr(out, want) && strstr(out, "forgotten"), "%s", out);
    h_start(&h);
    cr_assert_eq(call_code(GL_KIND_PERSON_KEY, "U0001"), GL_OK);
    cr_assert_eq(call_code(GL_KIND_FORGET, "U0001"), GL_OK);
    cr_assert_eq(call_code(GL_KIND_FORGET, "U0001"), GL_ERR_PERSON_FORGOTTEN);
    cr_expect_geq(h_verify_chains(&h), 0);
}
