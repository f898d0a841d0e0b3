/*
 * tests/integration/test_grants.c — issue 19, grants and budgets in the
 * daemon: GRANT_SET (55) adds, replaces and deletes a grant (event 23;
 * the same again nothing), GRANTS (56) lists them; BUDGET_SET (57) makes
 * a new version of an action's budget for a year (event 24; the same rows
 * again nothing; count 0 withdraws), BUDGETS (58) gives the latest
 * versions.  Every refusal (496-499, 484, 485, the account not open, 490,
 * 300, 301) leaves the ledger digest unchanged; a member writes its own
 * tenant only; an auditor reads and never writes.
 */
#include "tests/integration/analytic_support.h"
#include "tests/integration/bank_support.h"
#include "tests/integration/grant_support.h"

#include "proto/chain.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

static harness h;

static const char *const chart[] = {"512000", "606100", "641100", "645100", "741700", "706000"};

static void setup(void)
{
    h_setup(&h);
    h_open_accounts(&h, "alpha", chart, sizeof chart / sizeof chart[0]);
    h_open_accounts(&h, "beta", chart, sizeof chart / sizeof chart[0]);
}
static void teardown(void) { h_teardown(&h); }

TestSuite(grants, .init = setup, .fini = teardown, .timeout = 240);
TestSuite(grants_refused, .init = setup, .fini = teardown, .timeout = 240);
TestSuite(budgets, .init = setup, .fini = teardown, .timeout = 240);

#define UNCHANGED_AFTER(call, want)                                                      \
    do {                                                                                 \
        uint8_t before_[32];                                                             \
        h_digest(&h, before_);                                                           \
        int st_ = (call);                                                                \
        cr_expect_eq(st_, (want), "%s: %s (%s)", #call, gl_status_name(st_), gr_detail); \
        bk_unchanged(&h, before_, #call);                                                \
    } while (0)

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

/* tenant: axes action (AGIIE, MOBIL) and financeur (FSE, VILLE). */
static void axes(const char *tenant, enum h_key k)
{
    cr_assert_eq(an_axis(&h, k, tenant, "action", GL_AN_OPEN, "Actions"), GL_OK);
    cr_assert_eq(an_axis(&h, k, tenant, "financeur", GL_AN_OPEN, "Financeurs"), GL_OK);
    cr_assert_eq(an_code(&h, k, tenant, "action", "AGIIE", GL_AN_OPEN, "Insertion"), GL_OK);
    cr_assert_eq(an_code(&h, k, tenant, "action", "MOBIL", GL_AN_OPEN, "Mobilite"), GL_OK);
    cr_assert_eq(an_code(&h, k, tenant, "financeur", "FSE", GL_AN_OPEN, "FSE"), GL_OK);
    cr_assert_eq(an_code(&h, k, tenant, "financeur", "VILLE", GL_AN_OPEN, "Ville"), GL_OK);
}

static void grants_are(enum h_key k, const char *tenant, const char *want)
{
    char got[4096];
    cr_assert_eq(gr_grants_text(&h, k, tenant, got, sizeof got), GL_OK, "%s", gr_detail);
    cr_expect_str_eq(got, want);
}

static void budgets_are(enum h_key k, const char *tenant, uint16_t fy, const char *action,
                        const char *want)
{
    char got[4096];
    cr_assert_eq(gr_budgets_text(&h, k, tenant, fy, action, got, sizeof got), GL_OK, "%s",
                 gr_detail);
    cr_expect_str_eq(got, want);
}

#define FSE_ROW "FSE-2026:FSE:AGIIE:741700:11900000:20260101-20261231:3:15;"

Test(grants, set_replace_and_delete_are_events_the_same_again_nothing)
{
    grants_are(K_ALPHA, "alpha", "");
    axes("alpha", K_ALPHA);
    gl_grant g = gr_sample();
    cr_assert_eq(gr_set(&h, K_ALPHA, "alpha", GL_GRANT_SET_OP, &g), GL_OK, "%s", gr_detail);
    grants_are(K_AUDITOR, "alpha", FSE_ROW);
    cr_expect_eq(bk_events(&h, "alpha", GL_EVENT_GRANT), 1);
    cr_expect_eq(gr_set(&h, K_ALPHA, "alpha", GL_GRANT_SET_OP, &g), GL_OK);
    cr_expect_eq(bk_events(&h, "alpha", GL_EVENT_GRANT), 1, "the same again: no event");
    gl_grant v = g;
    v.code = S("CD59-AGIIE-2026");
    v.funder = S("VILLE");
    v.amount_cents = 2500000;
    v.flags = 0;
    v.flat_rate = 0;
    cr_assert_eq(gr_set(&h, K_ACCOUNTANT, "alpha", GL_GRANT_SET_OP, &v), GL_OK, "%s", gr_detail);
    g.amount_cents = 12000000; /* replaced */
    g.flat_rate = GL_GRANT_FLAT_40;
    cr_assert_eq(gr_set(&h, K_ALPHA, "alpha", GL_GRANT_SET_OP, &g), GL_OK, "%s", gr_detail);
    grants_are(K_ALPHA, "alpha",
               "CD59-AGIIE-2026:VILLE:AGIIE:741700:2500000:20260101-20261231:0:0;"
               "FSE-2026:FSE:AGIIE:741700:12000000:20260101-20261231:3:40;");
    cr_expect_eq(bk_events(&h, "alpha", GL_EVENT_GRANT), 3);
    gl_grant d = {.code = S("CD59-AGIIE-2026")};
    cr_assert_eq(gr_set(&h, K_ALPHA, "alpha", GL_GRANT_DELETE_OP, &d), GL_OK, "%s", gr_detail);
    grants_are(K_ALPHA, "alpha", "FSE-2026:FSE:AGIIE:741700:12000000:20260101-20261231:3:40;");
    cr_expect_eq(bk_events(&h, "alpha", GL_EVENT_GRANT), 4);
    grants_are(K_BETA, "beta", "");
    cr_assert_gt(h_verify_chains(&h), 0);
}

Test(grants_refused, every_refusal_leaves_the_ledger_unchanged)
{
    gl_grant g = gr_sample();
    /* no axis yet */
    UNCHANGED_AFTER(gr_set(&h, K_ALPHA, "alpha", GL_GRANT_SET_OP, &g),
                    GL_ERR_ANALYTIC_AXIS_UNKNOWN);
    cr_expect(strstr(gr_detail, "funder"), "%s", gr_detail);
    axes("alpha", K_ALPHA);
    gl_grant x = g;
    x.funder = S("REGION");
    UNCHANGED_AFTER(gr_set(&h, K_ALPHA, "alpha", GL_GRANT_SET_OP, &x),
                    GL_ERR_ANALYTIC_CODE_UNKNOWN);
    x = g;
    x.action = S("NOPE");
    UNCHANGED_AFTER(gr_set(&h, K_ALPHA, "alpha", GL_GRANT_SET_OP, &x),
                    GL_ERR_ANALYTIC_CODE_UNKNOWN);
    cr_expect(strstr(gr_detail, "action"), "%s", gr_detail);
    cr_assert_eq(an_code(&h, K_ALPHA, "alpha", "action", "MOBIL", GL_AN_CLOSED, ""), GL_OK);
    x.action = S("MOBIL");
    UNCHANGED_AFTER(gr_set(&h, K_ALPHA, "alpha", GL_GRANT_SET_OP, &x),
                    GL_ERR_ANALYTIC_CODE_UNKNOWN);
    x = g;
    x.account = S("747000"); /* a product account, not opened */
    UNCHANGED_AFTER(gr_set(&h, K_ALPHA, "alpha", GL_GRANT_SET_OP, &x), GL_ERR_UNKNOWN_ACCOUNT);
    struct {
        const char *field;
        gl_grant g;
    } bad[] = {{"code", g},   {"label", g}, {"account", g},   {"amount", g},
               {"period", g}, {"flags", g}, {"flat_rate", g}, {"to", g}};
    bad[0].g.code = S("fse");
    bad[1].g.label = S("  ");
    bad[2].g.account = S("641100");
    bad[3].g.amount_cents = 0;
    bad[4].g.from = 20270101;
    bad[5].g.flags = 0x80;
    bad[6].g.flat_rate = 25;
    bad[7].g.to = 20261232;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        UNCHANGED_AFTER(gr_set(&h, K_ALPHA, "alpha", GL_GRANT_SET_OP, &bad[i].g),
                        GL_ERR_GRANT_INVALID);
        cr_expect(strstr(gr_detail, bad[i].field), "%s: %s", bad[i].field, gr_detail);
    }
    UNCHANGED_AFTER(gr_set(&h, K_ALPHA, "alpha", 3, &g), GL_ERR_GRANT_INVALID);
    gl_grant d = {.code = S("FSE-2026")};
    UNCHANGED_AFTER(gr_set(&h, K_ALPHA, "alpha", GL_GRANT_DELETE_OP, &d), GL_ERR_GRANT_UNKNOWN);
    cr_assert_eq(gr_set(&h, K_ALPHA, "alpha", GL_GRANT_SET_OP, &g), GL_OK, "%s", gr_detail);
    UNCHANGED_AFTER(gr_set(&h, K_ALPHA, "alpha", GL_GRANT_DELETE_OP, &g), GL_ERR_GRANT_INVALID);
    cr_expect(strstr(gr_detail, "delete"), "%s", gr_detail);
    grants_are(K_ALPHA, "alpha", FSE_ROW);
}

Test(grants_refused, roles_a_member_writes_its_own_tenant_an_auditor_reads)
{
    axes("alpha", K_ALPHA);
    axes("beta", K_BETA);
    gl_grant g = gr_sample();
    UNCHANGED_AFTER(gr_set(&h, K_BETA, "alpha", GL_GRANT_SET_OP, &g), GL_ERR_FORBIDDEN_TENANT);
    UNCHANGED_AFTER(gr_set(&h, K_AUDITOR, "alpha", GL_GRANT_SET_OP, &g), GL_ERR_FORBIDDEN_ROLE);
    const char *rows[] = {"60=100"};
    UNCHANGED_AFTER(gr_budget(&h, K_BETA, "alpha", "AGIIE", 2026, rows, 1),
                    GL_ERR_FORBIDDEN_TENANT);
    UNCHANGED_AFTER(gr_budget(&h, K_AUDITOR, "alpha", "AGIIE", 2026, rows, 1),
                    GL_ERR_FORBIDDEN_ROLE);
    cr_assert_eq(gr_set(&h, K_BETA, "beta", GL_GRANT_SET_OP, &g), GL_OK, "%s", gr_detail);
    cr_assert_eq(gr_budget(&h, K_BETA, "beta", "AGIIE", 2026, rows, 1), GL_OK, "%s", gr_detail);
    char got[256];
    cr_expect_eq(gr_grants_text(&h, K_ALPHA, "beta", got, sizeof got), GL_ERR_FORBIDDEN_TENANT);
    cr_expect_eq(gr_budgets_text(&h, K_ALPHA, "beta", 0, "", got, sizeof got),
                 GL_ERR_FORBIDDEN_TENANT);
    grants_are(K_AUDITOR, "beta", FSE_ROW);
    grants_are(K_ALPHA, "alpha", "");
    budgets_are(K_AUDITOR, "beta", 0, "", "AGIIE/2026 v1[60=100,];");
}

Test(grants_refused, a_tenant_holds_at_most_1000_grants)
{
    axes("alpha", K_ALPHA);
    gl_grant g = gr_sample();
    char code[17];
    g.code = (gl_str){code, 0};
    for (int i = 0; i < GL_GRANTS_MAX; i++) {
        g.code.len = (size_t)snprintf(code, sizeof code, "G%04d", i);
        cr_assert_eq(gr_set(&h, K_ALPHA, "alpha", GL_GRANT_SET_OP, &g), GL_OK, "%d: %s", i,
                     gr_detail);
    }
    g.code = S("G-MORE");
    UNCHANGED_AFTER(gr_set(&h, K_ALPHA, "alpha", GL_GRANT_SET_OP, &g), GL_ERR_ANALYTIC_FULL);
    g.code = S("G0007");
    g.amount_cents = 1;
    cr_expect_eq(gr_set(&h, K_ALPHA, "alpha", GL_GRANT_SET_OP, &g), GL_OK, "a replacement");
}

Test(budgets, each_set_is_a_version_the_same_rows_again_nothing)
{
    budgets_are(K_ALPHA, "alpha", 0, "", "");
    axes("alpha", K_ALPHA);
    const char *v1[] = {"60=1200000", "641=4500000", "7417=11900000"};
    const char *v2[] = {"60=1300000", "641=4500000", "645=1800000", "7417=11900000"};
    cr_assert_eq(gr_budget(&h, K_ALPHA, "alpha", "AGIIE", 2026, v1, 3), GL_OK, "%s", gr_detail);
    budgets_are(K_AUDITOR, "alpha", 2026, "AGIIE",
                "AGIIE/2026 v1[60=1200000,641=4500000,7417=11900000,];");
    cr_assert_eq(gr_budget(&h, K_ACCOUNTANT, "alpha", "AGIIE", 2026, v2, 4), GL_OK, "%s",
                 gr_detail);
    cr_assert_eq(gr_budget(&h, K_ALPHA, "alpha", "AGIIE", 2026, v2, 4), GL_OK, "%s", gr_detail);
    cr_expect_eq(bk_events(&h, "alpha", GL_EVENT_BUDGET), 2, "the same rows again: no event");
    cr_assert_eq(gr_budget(&h, K_ALPHA, "alpha", "AGIIE", 2027, v1, 1), GL_OK, "%s", gr_detail);
    cr_assert_eq(gr_budget(&h, K_ALPHA, "alpha", "MOBIL", 2026, v1 + 1, 1), GL_OK, "%s", gr_detail);
    budgets_are(K_ALPHA, "alpha", 0, "",
                "AGIIE/2026 v2[60=1300000,641=4500000,645=1800000,7417=11900000,];"
                "AGIIE/2027 v1[60=1200000,];MOBIL/2026 v1[641=4500000,];");
    budgets_are(K_ALPHA, "alpha", 2026, "",
                "AGIIE/2026 v2[60=1300000,641=4500000,645=1800000,7417=11900000,];"
                "MOBIL/2026 v1[641=4500000,];");
    budgets_are(K_ALPHA, "alpha", 0, "AGIIE",
                "AGIIE/2026 v2[60=1300000,641=4500000,645=1800000,7417=11900000,];"
                "AGIIE/2027 v1[60=1200000,];");
    budgets_are(K_ALPHA, "alpha", 2025, "", "");
    /* withdrawn: a version of no rows, and back */
    cr_assert_eq(gr_budget(&h, K_ALPHA, "alpha", "AGIIE", 2026, NULL, 0), GL_OK, "%s", gr_detail);
    budgets_are(K_ALPHA, "alpha", 2026, "AGIIE", "AGIIE/2026 v3[];");
    cr_assert_eq(gr_budget(&h, K_ALPHA, "alpha", "AGIIE", 2026, v1, 3), GL_OK, "%s", gr_detail);
    budgets_are(K_ALPHA, "alpha", 2026, "AGIIE",
                "AGIIE/2026 v4[60=1200000,641=4500000,7417=11900000,];");
    cr_expect_eq(bk_events(&h, "alpha", GL_EVENT_BUDGET), 6);
    budgets_are(K_BETA, "beta", 0, "", "");
    cr_assert_gt(h_verify_chains(&h), 0);
}

Test(budgets, refusals_leave_the_ledger_unchanged)
{
    const char *ok[] = {"60=100"};
    UNCHANGED_AFTER(gr_budget(&h, K_ALPHA, "alpha", "AGIIE", 2026, ok, 1),
                    GL_ERR_ANALYTIC_AXIS_UNKNOWN);
    axes("alpha", K_ALPHA);
    UNCHANGED_AFTER(gr_budget(&h, K_ALPHA, "alpha", "NOPE", 2026, ok, 1),
                    GL_ERR_ANALYTIC_CODE_UNKNOWN);
    struct {
        const char *rows[3];
        const char *detail;
    } bad[] = {
        {{"60=1", "5=2", "70=3"}, "row 2: the budget's group"},
        {{"64=1", "60=2", "70=3"}, "row 2: the budget's order"},
        {{"60=1", "601=2", "70=3"}, "row 2: the budget's order"},
        {{"60=1", "64=-2", "70=3"}, "row 2: the budget's amount"},
        {{"60=1", "64=2", "70=72057594037927937"}, "row 3: the budget's amount"},
        {{"60=72057594037927937", "64=0", "70=0"}, "row 1: the budget's amount"},
        {{"60=72057594037927936", "64=1", "70=0"}, "row 2: the budget's total"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        UNCHANGED_AFTER(gr_budget(&h, K_ALPHA, "alpha", "AGIIE", 2026, bad[i].rows, 3),
                        GL_ERR_BUDGET_INVALID);
        cr_expect(strstr(gr_detail, bad[i].detail), "case %zu: %s", i, gr_detail);
    }
    UNCHANGED_AFTER(gr_budget(&h, K_ALPHA, "alpha", "AGIIE", 0, ok, 1), GL_ERR_BUDGET_INVALID);
    UNCHANGED_AFTER(gr_budget(&h, K_ALPHA, "alpha", "agiie", 2026, ok, 1), GL_ERR_BUDGET_INVALID);
    char got[64];
    cr_expect_eq(gr_budgets_text(&h, K_ALPHA, "alpha", 0, "a b", got, sizeof got),
                 GL_ERR_BUDGET_INVALID);
    cr_expect_eq(gr_budgets_text(&h, K_ALPHA, "alpha", 3000, "", got, sizeof got),
                 GL_ERR_BUDGET_INVALID);
    cr_expect_eq(bk_events(&h, "alpha", GL_EVENT_BUDGET), 0);
}

Test(budgets, a_withdrawal_of_a_budget_never_set_writes_nothing)
{
    axes("alpha", K_ALPHA);
    cr_assert_eq(gr_budget(&h, K_ALPHA, "alpha", "AGIIE", 2026, NULL, 0), GL_OK, "%s", gr_detail);
    cr_expect_eq(bk_events(&h, "alpha", GL_EVENT_BUDGET), 0);
    budgets_are(K_ALPHA, "alpha", 0, "", "");
}
