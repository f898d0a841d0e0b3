/*
 * tests/integration/test_web_third_parties.c — Tiers in `grandlivre web`:
 * the tenant's registry of third parties, read-only, with the group
 * entities of the daemon's configuration (issue 17).
 */
#include "tests/support/harness.h"
#include "tests/support/web_http.h"

#include <criterion/criterion.h>
#include <string.h>

static harness h;

static void setup(void) { web_suite_init(&h, true); }

static void teardown(void) { web_suite_fini(&h); }

TestSuite(web_third_parties, .init = setup, .fini = teardown, .timeout = 180);

Test(web_third_parties, the_page_lists_the_registry_and_the_group_entities)
{
    char out[256];
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out,
                       "third-parties add --tenant alpha EDF --name 'EDF Entreprises' "
                       "--kind supplier --collective 401000 --siret 552081317 --terms-days 45"),
                 0);
    web_start(K_ALPHA, "");
    login();
    cr_assert_eq(http_get("/third-parties", w.cookie), 200, "%s", rep.body);
    cr_expect(strstr(rep.body, "<title>Tiers"), "%s", rep.body);
    cr_expect(strstr(rep.body, "<td>EDF</td><td>EDF Entreprises</td><td>supplier</td>"
                               "<td>401000</td><td>552081317</td><td>45</td>"),
              "%s", rep.body);
    cr_expect(strstr(rep.body, "<td>BETA</td><td>Beta</td><td>group</td>"), "%s", rep.body);
    cr_expect(strstr(rep.body, "href=\"/third-parties"), "no link in the navigation");
}
