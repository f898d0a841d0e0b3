/*
 * tests/integration/test_registry_damaged.c — a damaged row of the
 * registry of third parties (wave 11, helper H).  The daemon treats it as
 * it treats every damaged row: it starts (it reads no registry at start),
 * and each request that reads the row is refused with `storage` (500), its
 * detail naming the row, and changes nothing; the rest of the ledger is
 * served.  The client's commands that load the registry first
 * (third_party_registry_load: receivables, reminders) stop with that
 * message, never crash.
 */
#include "tests/support/harness.h"

#include "proto/request.h"
#include "proto/status.h"
#include "proto/third_party.h"

#include <criterion/criterion.h>
#include <lmdb.h>

#include <stdio.h>
#include <string.h>

static harness h;
static void setup(void)
{
    h_setup(&h);
    static const char *const accounts[] = {"411000", "706000", "512000"};
    h_open_accounts(&h, "alpha", accounts, 3);
}
static void teardown(void) { h_teardown(&h); }
TestSuite(registry_damaged, .init = setup, .fini = teardown, .timeout = 120);

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

static void set_tp(const char *code, const char *name)
{
    gl_third_party r = {.code = S(code),
                        .kind = GL_TP_CUSTOMER,
                        .collective = S("411000"),
                        .siren = S(""),
                        .name = S(name),
                        .address = S(""),
                        .email = S(""),
                        .iban = S(""),
                        .terms_days = 30};
    gl_buf b;
    gl_buf_init(&b);
    gl_put_u8(&b, GL_TP_MODE_SET);
    gl_put_u16(&b, 1);
    gl_third_party_encode(&b, &r);
    gl_response resp;
    int st = h_call(&h, K_ACCOUNTANT, GL_KIND_THIRD_PARTY_SET, "alpha", 0, b.data, b.len, &resp);
    cr_assert_eq(st, GL_OK, "%d %.*s", st, (int)resp.reply.detail.len, resp.reply.detail.ptr);
    gl_response_free(&resp);
    gl_buf_free(&b);
}

/* With the daemon stopped: the registry row whose key ends with code's
 * bytes (padded) becomes three bytes that decode as no record. */
static void damage_row(const char *code)
{
    char dir[400];
    snprintf(dir, sizeof dir, "%s/data", h.dir);
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    MDB_cursor *cur;
    cr_assert(mdb_env_create(&env) == 0 && mdb_env_set_maxdbs(env, 64) == 0);
    cr_assert(mdb_env_set_mapsize(env, 1024ull << 20) == 0);
    cr_assert(mdb_env_open(env, dir, MDB_NOTLS, 0600) == 0);
    cr_assert(mdb_txn_begin(env, NULL, 0, &txn) == 0);
    cr_assert(mdb_dbi_open(txn, "third_parties", 0, &dbi) == 0);
    cr_assert(mdb_cursor_open(txn, dbi, &cur) == 0);
    MDB_val k, v;
    bool found = false;
    uint8_t key[64];
    size_t key_len = 0;
    for (int rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0 && !found;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT))
        if (k.mv_size > 4 && k.mv_size <= sizeof key &&
            !memcmp((const uint8_t *)k.mv_data + 4, code, strlen(code))) {
            memcpy(key, k.mv_data, k.mv_size);
            key_len = k.mv_size;
            found = true;
        }
    mdb_cursor_close(cur);
    cr_assert(found, "no row for %s", code);
    MDB_val kk = {key_len, key}, bad = {3, "\x07\x07\x07"};
    cr_assert(mdb_put(txn, dbi, &kk, &bad, 0) == 0);
    cr_assert(mdb_txn_commit(txn) == 0);
    mdb_env_close(env);
}

Test(registry_damaged, a_damaged_row_is_refused_by_name_and_nothing_crashes)
{
    set_tp("C0500", "Mairie de Lyon");
    set_tp("C0501", "Club de Gerland");
    h_stop(&h);
    damage_row("C0500");
    h_start(&h); /* asserts that it answers */
    uint8_t d0[32], d1[32];
    h_digest(&h, d0);
    /* the registry's page: refused by name */
    gl_buf b;
    gl_buf_init(&b);
    gl_tp_list_encode(&b, &(gl_tp_list_q){{"", 0}, {"", 0}});
    gl_response r;
    int st = h_call(&h, K_AUDITOR, GL_KIND_THIRD_PARTIES, "alpha", 0, b.data, b.len, &r);
    gl_buf_free(&b);
    cr_expect_eq(st, GL_ERR_STORAGE, "THIRD_PARTIES over a damaged row: %d", st);
    char detail[600];
    snprintf(detail, sizeof detail, "%.*s", (int)r.reply.detail.len, r.reply.detail.ptr);
    gl_response_free(&r);
    cr_expect(strstr(detail, "C0500") && strstr(detail, "damaged"),
              "the refusal does not name the damaged row: '%s'", detail);
    /* a line naming it: refused, nothing changed */
    gl_line_in l[2];
    gl_entry_in e = h_entry2("alpha", 20250105, "411000", "706000", 4200, l);
    l[0].aux = "C0500";
    l[0].aux_label = "Mairie";
    st = h_post(&h, K_ACCOUNTANT, &e, 1, &r);
    gl_response_free(&r);
    cr_expect_eq(st, GL_ERR_STORAGE, "a POST naming the damaged row: %d", st);
    h_digest(&h, d1);
    cr_assert(!memcmp(d0, d1, 32), "the ledger changed after a refusal");
    /* the client's commands that load the registry stop with the message */
    char out[8192], err[8192];
    int rc = h_cli(&h, K_ALPHA, out, sizeof out, "receivables --tenant alpha --at 2025-06-30");
    h_cli_err(&h, err, sizeof err);
    cr_expect(rc > 0 && rc < 64, "receivables over a damaged registry: exit %d\n%s", rc, err);
    cr_expect(strstr(err, "C0500"), "receivables does not say which row: %s", err);
    /* the rest is served: an entry on another code, a balance */
    l[0].aux = "C0501";
    l[0].aux_label = "";
    st = h_post(&h, K_ACCOUNTANT, &e, 1, &r);
    gl_response_free(&r);
    cr_expect_eq(st, GL_OK, "a POST on a sound row: %d", st);
    cr_expect_eq(h_balance(&h, "alpha", "706000", 20251231), -4200);
}
