/*
 * tests/integration/test_grants_verify.c — the offline verifier replays
 * grants and budgets (issue 19, client/verify/verify_grants.c).  Suite
 * grants_verify: a real daemon writes alpha's axes, codes, two grants (one
 * deleted) and three versions of budgets; the archive verifies.  Then each
 * forged archive (one event and its signed request changed the same way,
 * the request signed again with the accountant's key, every hash after it
 * recomputed: only the replay of the rule can find it) fails for its
 * reason: a grant's funder not open, a delete of a grant never set, a
 * budget's groups out of order, a grant's flat rate out of its rule, a
 * budget of a closed action, a version repeating the latest.  Without verify_grants.c the verifier
 * skipped events 23 and 24 (their signatures only): each passed.
 */
#include "tests/integration/an_book.h"
#include "tests/integration/forge_support.h"
#include "tests/integration/grant_support.h"

#include "client/verify/archive.h"
#include "proto/chain.h"
#include "proto/request.h"
#include "proto/status.h"

#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static harness h;

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

static void book(void)
{
    anb_axis(&h, "action", GL_AN_OPEN, "Actions");
    anb_axis(&h, "financeur", GL_AN_OPEN, "Financeurs");
    anb_code(&h, "action", "AGIIE", GL_AN_OPEN, "Insertion");
    anb_code(&h, "action", "MOBIL", GL_AN_OPEN, "Mobilite");
    anb_code(&h, "action", "OLD25", GL_AN_OPEN, "Ancienne");
    anb_code(&h, "action", "OLD25", GL_AN_CLOSED, "");
    anb_code(&h, "financeur", "FSE", GL_AN_OPEN, "FSE");
    anb_code(&h, "financeur", "VILLE", GL_AN_OPEN, "Ville");
    anb_code(&h, "financeur", "GONE", GL_AN_OPEN, "Parti");
    anb_code(&h, "financeur", "GONE", GL_AN_CLOSED, "");
    gl_grant g = gr_sample();
    cr_assert_eq(gr_set(&h, K_ACCOUNTANT, "alpha", GL_GRANT_SET_OP, &g), GL_OK, "%s", gr_detail);
    gl_grant v = g;
    v.code = S("VILLE-2026");
    v.funder = S("VILLE");
    v.flags = 0;
    v.flat_rate = 0;
    cr_assert_eq(gr_set(&h, K_ACCOUNTANT, "alpha", GL_GRANT_SET_OP, &v), GL_OK, "%s", gr_detail);
    gl_grant d = {.code = S("VILLE-2026")};
    cr_assert_eq(gr_set(&h, K_ACCOUNTANT, "alpha", GL_GRANT_DELETE_OP, &d), GL_OK, "%s", gr_detail);
    const char *v1[] = {"60=1200000", "641=4500000"};
    const char *v2[] = {"60=1300000", "641=4500000"};
    cr_assert_eq(gr_budget(&h, K_ACCOUNTANT, "alpha", "AGIIE", 2026, v1, 2), GL_OK, "%s",
                 gr_detail);
    cr_assert_eq(gr_budget(&h, K_ACCOUNTANT, "alpha", "AGIIE", 2026, v2, 2), GL_OK, "%s",
                 gr_detail);
    cr_assert_eq(gr_budget(&h, K_ACCOUNTANT, "alpha", "MOBIL", 2026, v2, 2), GL_OK, "%s",
                 gr_detail);
}

static void setup(void)
{
    h_setup(&h);
    static const char *const accounts[] = {"512000", "606000", "741700"};
    h_open_accounts(&h, "alpha", accounts, 3);
    book();
}
static void teardown(void) { h_teardown(&h); }
TestSuite(grants_verify, .init = setup, .fini = teardown, .timeout = 240);

static int verify_forged(uint16_t type, int which, const void *from, const void *to, size_t len,
                         char *out, size_t out_len)
{
    return fg_verify_forged(&h, "alpha", type, which, from, to, len, out, out_len);
}

Test(grants_verify, a_good_archive_verifies)
{
    char path[400], out[16384];
    snprintf(path, sizeof path, "%s/all.glar", h.dir);
    fg_archive_to(&h, path);
    int rc = h_cli(&h, K_AUDITOR, out, sizeof out, "verify '%s'", path);
    cr_assert_eq(rc, 0, "the archive does not verify (%d):\n%s", rc, out);
}

Test(grants_verify, a_grant_of_a_funder_not_open_is_found)
{
    char out[16384];
    int rc = verify_forged(GL_EVENT_GRANT, 1,
                           "\x03"
                           "FSE",
                           "\x03"
                           "XYZ",
                           4, out, sizeof out);
    fg_expect_found(rc, out, "grant's funder: analytic code XYZ of axis financeur is not open");
    rc = verify_forged(GL_EVENT_GRANT, 2, "\x05VILLE", "\x05GONE.", 6, out, sizeof out);
    fg_expect_found(rc, out, "grant's funder: analytic code GONE. of axis financeur is not open");
}

Test(grants_verify, a_delete_of_a_grant_never_set_is_found)
{
    char out[16384];
    int rc =
        verify_forged(GL_EVENT_GRANT, 3, "\x0aVILLE-2026", "\x0aVILLE-2027", 11, out, sizeof out);
    fg_expect_found(rc, out, "grant VILLE-2027 deleted, but not set at that point (497)");
}

Test(grants_verify, a_flat_rate_out_of_its_rule_is_found)
{
    /* FSE-2026's flags 3 and flat rate 15 end its record */
    char out[16384];
    int rc = verify_forged(GL_EVENT_GRANT, 1, "\x03\x0f", "\x03\x14", 2, out, sizeof out);
    fg_expect_found(rc, out, "grant FSE-2026: its flat_rate is out of its rule (496)");
}

Test(grants_verify, a_budget_out_of_order_or_of_a_closed_action_is_found)
{
    char out[16384];
    int rc = verify_forged(GL_EVENT_BUDGET, 1,
                           "\x03"
                           "641",
                           "\x03"
                           "600",
                           4, out, sizeof out);
    fg_expect_found(rc, out, "budget of AGIIE for 2026: row 2: its order is out of its rule (498)");
    rc = verify_forged(GL_EVENT_BUDGET, 3, "\x05MOBIL", "\x05OLD25", 6, out, sizeof out);
    fg_expect_found(rc, out, "budget's action: analytic code OLD25 of axis action is closed");
}

Test(grants_verify, a_version_repeating_the_latest_is_found)
{
    /* AGIIE's second version differs from its first by 60's amount only */
    uint8_t from[3 + 8] =
        "\x02"
        "60",
                     to[3 + 8] =
                         "\x02"
                         "60";
    gl_be64(from + 3, 1300000);
    gl_be64(to + 3, 1200000);
    char out[16384];
    int rc = verify_forged(GL_EVENT_BUDGET, 2, from, to, sizeof from, out, sizeof out);
    fg_expect_found(rc, out, "budget of AGIIE for 2026: version 2 repeats version 1");
}
