/*
 * tests/integration/test_upgrade_bank_days.c — schema 10: a ledger of
 * schema 9 has bank lines but no day index (bank_index tag 6); the daemon
 * refuses to serve it, `grandlivred --upgrade` builds the index from the
 * stored lines, and the daemon then recognises the lines already there:
 * the same CSV again adds nothing, the CAMT.053 of those days only what
 * the CSV lacked.
 */
#include "tests/integration/upgrade_support.h"
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

TestSuite(upgrade_bank_days, .init = setup, .fini = teardown, .timeout = 120);

enum { DAY_KEY_LEN = 4 + GL_ACCOUNT_MAX + 1 + 4 + 8 + 8, TAG_AT = 4 + GL_ACCOUNT_MAX };

/* The ledger as schema 9 left it: no day index, version 9.  The number
 * of day keys removed. */
static int make_schema_9(void)
{
    char dir[400];
    snprintf(dir, sizeof dir, "%s/data", h.dir);
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi, meta;
    MDB_cursor *cur;
    cr_assert_eq(mdb_env_create(&env), 0);
    mdb_env_set_maxdbs(env, 64);
    mdb_env_set_mapsize(env, 1024ull << 20);
    cr_assert_eq(mdb_env_open(env, dir, MDB_NOTLS, 0600), 0);
    cr_assert_eq(mdb_txn_begin(env, NULL, 0, &txn), 0);
    cr_assert_eq(mdb_dbi_open(txn, "bank_index", 0, &dbi), 0);
    cr_assert_eq(mdb_cursor_open(txn, dbi, &cur), 0);
    MDB_val k, v;
    int removed = 0;
    for (int rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        const uint8_t *p = k.mv_data;
        if (k.mv_size == DAY_KEY_LEN && p[TAG_AT] == 6) {
            cr_assert_eq(mdb_cursor_del(cur, 0), 0);
            removed++;
        }
    }
    mdb_cursor_close(cur);
    cr_assert_eq(mdb_dbi_open(txn, "meta", 0, &meta), 0);
    uint8_t be[4];
    gl_be32(be, GL_SCHEMA_VERSION_BANK_DAYS - 1);
    MDB_val mk = {14, "schema_version"}, mv = {4, be};
    cr_assert_eq(mdb_put(txn, meta, &mk, &mv, 0), 0);
    cr_assert_eq(mdb_txn_commit(txn), 0);
    mdb_env_close(env);
    return removed;
}

static int run(const char *args, char *out, size_t cap) { return up_daemon(&h, args, out, cap); }

static void csv(gl_bank_statement *s)
{
    bk_statement(s, "", 3);
    bk_line(&s->lines[0], 20260105, 25000, "VIR COTISATIONS", NULL);
    bk_line(&s->lines[1], 20260110, -550, "FRAIS", NULL);
    bk_line(&s->lines[2], 20260110, -550, "FRAIS", NULL);
}

Test(upgrade_bank_days, schema_9_is_upgraded_to_10_with_the_day_index_of_its_lines)
{
    static const char *const accounts[] = {"512000"};
    h_open_accounts(&h, "alpha", accounts, 1);
    cr_assert_eq(bk_set(&h, K_ACCOUNTANT, "alpha", "512000", IBAN_A, "", "Courant"), GL_OK);
    gl_bank_statement a, b;
    csv(&a);
    gl_bank_import_result r;
    cr_assert_eq(bk_import(&h, K_ACCOUNTANT, "alpha", "512000", &a, &r), GL_OK, "%s", r.detail);
    bk_statement(&b, IBAN_A, 1);
    bk_line(&b.lines[0], 20260120, -2000, "CHQ 1234", "R4");
    cr_assert_eq(bk_import(&h, K_ACCOUNTANT, "alpha", "512000", &b, &r), GL_OK, "%s", r.detail);
    h_stop(&h);
    cr_assert_eq(make_schema_9(), 3, "three (day, amount, label) before the upgrade");
    char out[4096], want[64];
    cr_assert_neq(run("", out, sizeof out), 0, "the daemon served a schema 9 ledger:\n%s", out);
    cr_assert_eq(run("--upgrade", out, sizeof out), 0, "%s", out);
    snprintf(want, sizeof want, "schema %d -> %d", GL_SCHEMA_VERSION_BANK_DAYS - 1,
             GL_SCHEMA_VERSION_BANK_DAYS);
    cr_expect(strstr(out, want) && strstr(out, "day index"), "%s", out);
    cr_assert_eq(run("--upgrade", out, sizeof out), 0, "a second run has nothing to do: %s", out);
    h_start(&h);
    cr_assert_eq(bk_import(&h, K_ACCOUNTANT, "alpha", "512000", &a, &r), GL_OK, "%s", r.detail);
    cr_expect_eq(r.added, 0, "the CSV again: its lines are in the rebuilt index");
    cr_expect_eq(r.already, 3);
    gl_bank_statement c;
    bk_statement(&c, IBAN_A, 4);
    bk_line(&c.lines[0], 20260105, 25000, "VIR COTISATIONS", "R1");
    bk_line(&c.lines[1], 20260110, -550, "FRAIS", "R2");
    bk_line(&c.lines[2], 20260110, -550, "FRAIS", "R3");
    bk_line(&c.lines[3], 20260120, -2000, "CHQ 1234", "R4");
    cr_assert_eq(bk_import(&h, K_ACCOUNTANT, "alpha", "512000", &c, &r), GL_OK, "%s", r.detail);
    cr_expect_eq(r.added, 0, "the CAMT of those days: every movement already there");
    cr_expect_eq(r.already, 4);
    /* R4's line is covered by a CAMT reference since the upgrade: a new
     * reference of that day, amount and label is a second cheque */
    bk_line(&c.lines[3], 20260120, -2000, "CHQ 1234", "R5");
    c.n_lines = 1;
    memmove(&c.lines[0], &c.lines[3], sizeof c.lines[0]);
    cr_assert_eq(bk_import(&h, K_ACCOUNTANT, "alpha", "512000", &c, &r), GL_OK, "%s", r.detail);
    cr_expect_eq(r.added, 1, "never taken for R4's line");
    free(a.lines);
    free(b.lines);
    free(c.lines);
    cr_expect_geq(h_verify_chains(&h), 0);
}
