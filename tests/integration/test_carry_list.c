/*
 * tests/integration/test_carry_list.c — `grandlivre accounts carry-mode
 * --tenant T` with no account lists every account of classes 1 to 5 with
 * its carry-over mode (summarised unless set), and, for those set, when
 * and by which key (the CARRY_MODE events of the tenant's chain, read with
 * CHAIN: no reader kind).  Table and JSON; a member sees its own tenant's.
 */
#include "tests/support/harness.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

static harness h;
static const char *const chart[] = {"401000", "411000", "512000", "706000"};

static void setup(void)
{
    h_setup(&h);
    h_open_accounts(&h, "alpha", chart, sizeof chart / sizeof chart[0]);
}
static void teardown(void) { h_teardown(&h); }

TestSuite(carry_list, .init = setup, .fini = teardown, .timeout = 120);

Test(carry_list, every_account_of_classes_1_to_5_is_listed_with_its_mode_and_who_set_it)
{
    char out[8192];
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, out, sizeof out,
                       "accounts carry-mode --tenant alpha 411000 detailed"),
                 0);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, out, sizeof out,
                       "accounts carry-mode --tenant alpha 401000 detailed"),
                 0);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, out, sizeof out,
                       "accounts carry-mode --tenant alpha 401000 summarised"),
                 0);
    uint8_t d0[32], d1[32];
    h_digest(&h, d0);
    int rc =
        h_cli(&h, K_ALPHA, out, sizeof out, "accounts carry-mode --tenant alpha --format json");
    h_digest(&h, d1);
    cr_assert_eq(rc, 0, "%s", out);
    cr_assert(!memcmp(d0, d1, 32), "a listing writes nothing");
    /* 411000 detailed, set by a key; 401000 set back to summarised, by a
     * key too; 512000 never set: summarised, no date; 706000 (class 7) is
     * never carried: not listed */
    const char *a = strstr(out, "\"411000\""), *s = strstr(out, "\"401000\""),
               *b = strstr(out, "\"512000\"");
    cr_assert(a && s && b, "%s", out);
    cr_assert(!strstr(out, "706000"), "%s", out);
    cr_assert(s < a && a < b, "in account order: %s", out);
    cr_assert(strstr(a, "\"mode\": \"detailed\"") && strstr(a, "\"mode\": \"detailed\"") < s + 1000,
              "%s", out);
    const char *a_end = strchr(a, '}'), *s_end = strchr(s, '}'), *b_end = strchr(b, '}');
    cr_assert(strstr(s, "\"mode\": \"summarised\"") < s_end, "%s", out);
    cr_assert(strstr(a, "\"mode\": \"detailed\"") < a_end, "%s", out);
    cr_assert(strstr(b, "\"mode\": \"summarised\"") < b_end, "%s", out);
    const char *set_by = strstr(a, "\"set_by\": \"");
    cr_assert(set_by && set_by < a_end && set_by[11] != '"', "a fingerprint: %s", out);
    cr_assert(strstr(s, "\"set_by\": \"") < s_end, "%s", out);
    const char *none = strstr(b, "\"set_by\": \"\"");
    cr_assert(none && none < b_end, "never set: no key: %s", out);
}

Test(carry_list, the_table_names_the_modes_in_french)
{
    char out[8192];
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, out, sizeof out,
                       "accounts carry-mode --tenant alpha 411000 detailed"),
                 0);
    cr_assert_eq(
        h_cli(&h, K_ACCOUNTANT, out, sizeof out, "--lang fr accounts carry-mode --tenant alpha"), 0,
        "%s", out);
    const char *a = strstr(out, "411000");
    cr_assert(a && strstr(a, "détaillé"), "%s", out);
    cr_assert(strstr(out, "512000") && strstr(strstr(out, "512000"), "résumé"), "%s", out);
}

Test(carry_list, another_tenants_modes_are_refused_to_a_member)
{
    char out[8192];
    uint8_t d0[32], d1[32];
    h_digest(&h, d0);
    int rc = h_cli(&h, K_BETA, out, sizeof out, "accounts carry-mode --tenant alpha");
    h_digest(&h, d1);
    cr_assert_eq(rc, 1, "%s", out);
    cr_assert(!memcmp(d0, d1, 32));
}
