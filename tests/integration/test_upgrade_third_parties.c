/*
 * tests/integration/test_upgrade_third_parties.c — schema 5 (issue 17):
 * a ledger of schema 4 has no third_parties table; `grandlivred --upgrade`
 * takes it to 5 with the registry empty, and the daemon then records and
 * lists third parties on it.
 */
#include "tests/integration/upgrade_support.h"
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
    static const char *const tables[] = {"third_parties"};
    up_roll_back(&h, tables, 1, 4);
}

Test(upgrade_third_parties, schema_4_is_upgraded_to_5_with_an_empty_registry)
{
    static const char *const accounts[] = {"401000"};
    h_open_accounts(&h, "alpha", accounts, 1);
    h_stop(&h);
    make_schema_4();
    char out[4096];
    cr_assert_neq(up_daemon(&h, "", out, sizeof out), 0, "the daemon served a schema 4 ledger:\n%s",
                  out);
    cr_expect(strstr(out, "schema version 4"), "%s", out);
    cr_assert_eq(up_daemon(&h, "--upgrade", out, sizeof out), 0, "%s", out);
    cr_expect(strstr(out, "schema 4 -> 5") && strstr(out, "third parties"), "%s", out);
    h_start(&h);
    gl_third_party r = {.code = {"EDF", 3},
                        .kind = GL_TP_SUPPLIER,
                        .collective = {"401000", 6},
                        .name = {"EDF", 3}};
    gl_buf b;
    gl_buf_init(&b);
    gl_put_u8(&b, GL_TP_MODE_ADD);
    gl_put_u16(&b, 1);
    gl_third_party_encode(&b, &r);
    gl_response resp;
    cr_expect_eq(
        h_call(&h, K_ACCOUNTANT, GL_KIND_THIRD_PARTY_SET, "alpha", 0, b.data, b.len, &resp), GL_OK,
        "the registry after the upgrade is not empty or not there");
    gl_response_free(&resp);
    gl_buf_free(&b);
    cr_expect_geq(h_verify_chains(&h), 0);
}
