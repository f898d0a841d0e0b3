/*
 * tests/integration/test_upgrade_persons.c — the schema step of personal
 * data (issue 17; allotted 8, GL_SCHEMA_VERSION_PERSONS): a ledger of the
 * version before has no `forgotten` table; `grandlivred --upgrade` takes it
 * to the new version with the table empty and no key store yet, and the
 * daemon then hands out a person's key and forgets it on it.
 */
#include "tests/integration/upgrade_support.h"
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
    static const char *const tables[] = {"forgotten"};
    up_roll_back(&h, tables, 1, BEFORE);
}

static int run(const char *args, char *out, size_t out_len)
{
    return up_daemon(&h, args, out, out_len);
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
