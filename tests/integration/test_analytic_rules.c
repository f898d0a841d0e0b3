/*
 * tests/integration/test_analytic_rules.c — issue 19, the analytic rules
 * of the daemon: ANALYTIC_AXIS_SET, _CODE_SET, _RULE_SET (46-48) each an
 * event (18-20), the same again nothing; ANALYTIC_AXES (49) lists them;
 * a POST's line codes are open (484, 485) and sum to the line (483), and
 * the tenant's rules are met (486); ANALYTIC_ALLOC (50) gives, replaces
 * and removes the codes of posted lines (event 21), in locked periods and
 * closed years too, and refuses 483-488.  Every refusal (483-490, 300,
 * 301) leaves the ledger digest unchanged.
 */
#include "tests/integration/analytic_support.h"
#include "tests/integration/bank_support.h"

#include "proto/query.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

static harness h;

static const char *const chart[] = {"102000", "120000", "129000", "401000", "411000",
                                    "512000", "606100", "622600", "706000", "110000"};

static void setup(void)
{
    h_setup(&h);
    h_open_accounts(&h, "alpha", chart, sizeof chart / sizeof chart[0]);
    h_open_accounts(&h, "beta", chart, sizeof chart / sizeof chart[0]);
}
static void teardown(void) { h_teardown(&h); }

TestSuite(analytic_rules, .init = setup, .fini = teardown, .timeout = 240);
TestSuite(analytic_refused, .init = setup, .fini = teardown, .timeout = 240);
TestSuite(analytic_alloc, .init = setup, .fini = teardown, .timeout = 240);

#define UNCHANGED_AFTER(call, want)                                                      \
    do {                                                                                 \
        uint8_t before_[32];                                                             \
        h_digest(&h, before_);                                                           \
        int st_ = (call);                                                                \
        cr_expect_eq(st_, (want), "%s: %s (%s)", #call, gl_status_name(st_), an_detail); \
        bk_unchanged(&h, before_, #call);                                                \
    } while (0)

/* alpha: axes action (codes FSE-2026, VILLE) and financeur (FSE, VILLE). */
static void alpha_axes(void)
{
    cr_assert_eq(an_axis(&h, K_ALPHA, "alpha", "action", GL_AN_OPEN, "Actions"), GL_OK);
    cr_assert_eq(an_axis(&h, K_ACCOUNTANT, "alpha", "financeur", GL_AN_OPEN, "Financeurs"), GL_OK);
    cr_assert_eq(an_code(&h, K_ALPHA, "alpha", "action", "FSE-2026", GL_AN_OPEN, "Insertion FSE"),
                 GL_OK);
    cr_assert_eq(an_code(&h, K_ALPHA, "alpha", "action", "VILLE", GL_AN_OPEN, "Quartiers"), GL_OK);
    cr_assert_eq(an_code(&h, K_ALPHA, "alpha", "financeur", "FSE", GL_AN_OPEN, "Fonds social"),
                 GL_OK);
    cr_assert_eq(an_code(&h, K_ALPHA, "alpha", "financeur", "VILLE", GL_AN_OPEN, "Ville"), GL_OK);
}

static void axes_are(const char *tenant, const char *want)
{
    char got[2048];
    an_axes_text(&h, K_AUDITOR, tenant, got, sizeof got);
    cr_expect_str_eq(got, want);
}

Test(analytic_rules, axes_codes_and_rules_are_listed_and_each_change_is_an_event)
{
    axes_are("alpha", "");
    alpha_axes();
    cr_assert_eq(an_rule(&h, K_ALPHA, "alpha", "action", "6", 1), GL_OK);
    cr_assert_eq(an_rule(&h, K_ALPHA, "alpha", "action", "706", 1), GL_OK);
    axes_are("alpha",
             "action:1:Actions[FSE-2026:1:Insertion FSE,VILLE:1:Quartiers,](6,706,);"
             "financeur:1:Financeurs[FSE:1:Fonds social,VILLE:1:Ville,]();");
    cr_expect_eq(bk_events(&h, "alpha", GL_EVENT_ANALYTIC_AXIS), 2);
    cr_expect_eq(bk_events(&h, "alpha", GL_EVENT_ANALYTIC_CODE), 4);
    cr_expect_eq(bk_events(&h, "alpha", GL_EVENT_ANALYTIC_RULE), 2);
    /* the same again: accepted, nothing written but the envelope */
    cr_expect_eq(an_axis(&h, K_ALPHA, "alpha", "action", GL_AN_OPEN, "Actions"), GL_OK);
    cr_expect_eq(an_code(&h, K_ALPHA, "alpha", "action", "VILLE", GL_AN_OPEN, "Quartiers"), GL_OK);
    cr_expect_eq(an_rule(&h, K_ALPHA, "alpha", "action", "6", 1), GL_OK);
    cr_expect_eq(an_rule(&h, K_ALPHA, "alpha", "financeur", "7", 0), GL_OK, "no such rule");
    cr_expect_eq(bk_events(&h, "alpha", GL_EVENT_ANALYTIC_AXIS), 2);
    cr_expect_eq(bk_events(&h, "alpha", GL_EVENT_ANALYTIC_CODE), 4);
    cr_expect_eq(bk_events(&h, "alpha", GL_EVENT_ANALYTIC_RULE), 2);
    /* relabel, close (the label kept), drop a rule */
    cr_expect_eq(an_axis(&h, K_ALPHA, "alpha", "financeur", GL_AN_OPEN, "Funders"), GL_OK);
    cr_expect_eq(an_code(&h, K_ALPHA, "alpha", "action", "VILLE", GL_AN_CLOSED, ""), GL_OK);
    cr_expect_eq(an_rule(&h, K_ALPHA, "alpha", "action", "706", 0), GL_OK);
    cr_expect_eq(an_axis(&h, K_ALPHA, "alpha", "financeur", GL_AN_CLOSED, ""), GL_OK);
    axes_are("alpha",
             "action:1:Actions[FSE-2026:1:Insertion FSE,VILLE:2:Quartiers,](6,);"
             "financeur:2:Funders[FSE:1:Fonds social,VILLE:1:Ville,]();");
    cr_expect_eq(bk_events(&h, "alpha", GL_EVENT_ANALYTIC_AXIS), 4);
    cr_expect_eq(bk_events(&h, "alpha", GL_EVENT_ANALYTIC_CODE), 5);
    cr_expect_eq(bk_events(&h, "alpha", GL_EVENT_ANALYTIC_RULE), 3);
    axes_are("beta", "");
    cr_assert_gt(h_verify_chains(&h), 0);
}

Test(analytic_rules, a_post_carries_codes_and_distributions)
{
    alpha_axes();
    gl_an_split s[2] = {an_one("action", "FSE-2026", 150000),
                        an_two("financeur", "FSE", 90000, "VILLE", 60000)};
    uint32_t num;
    cr_expect_eq(an_post(&h, K_ALPHA, "alpha", 20260115, "606100", "512000", 150000, s, 2, &num),
                 GL_OK, "%s", an_detail);
    cr_expect_eq(an_post(&h, K_ALPHA, "alpha", 20260116, "606100", "512000", 500, NULL, 0, &num),
                 GL_OK, "a line without codes, no rule");
    cr_expect_eq(h_entry_count(&h, "alpha"), 2);
}

Test(analytic_refused, a_post_with_codes_not_open_is_refused)
{
    uint32_t num;
    gl_an_split fse = an_one("action", "FSE-2026", 1000);
    /* beta has no axis at all */
    UNCHANGED_AFTER(an_post(&h, K_BETA, "beta", 20260115, "606100", "512000", 1000, &fse, 1, &num),
                    GL_ERR_ANALYTIC_AXIS_UNKNOWN);
    cr_expect(strstr(an_detail, "line 1") && strstr(an_detail, "action"), "%s", an_detail);
    alpha_axes();
    gl_an_split zone = an_one("zone", "NORD", 1000), other = an_one("action", "AUTRE", 1000);
    UNCHANGED_AFTER(
        an_post(&h, K_ALPHA, "alpha", 20260115, "606100", "512000", 1000, &zone, 1, &num),
        GL_ERR_ANALYTIC_AXIS_UNKNOWN);
    UNCHANGED_AFTER(
        an_post(&h, K_ALPHA, "alpha", 20260115, "606100", "512000", 1000, &other, 1, &num),
        GL_ERR_ANALYTIC_CODE_UNKNOWN);
    cr_expect(strstr(an_detail, "AUTRE") && strstr(an_detail, "action"), "%s", an_detail);
    /* closed: a code, then an axis */
    cr_assert_eq(an_code(&h, K_ALPHA, "alpha", "action", "FSE-2026", GL_AN_CLOSED, ""), GL_OK);
    UNCHANGED_AFTER(
        an_post(&h, K_ALPHA, "alpha", 20260115, "606100", "512000", 1000, &fse, 1, &num),
        GL_ERR_ANALYTIC_CODE_UNKNOWN);
    cr_assert_eq(an_code(&h, K_ALPHA, "alpha", "action", "FSE-2026", GL_AN_OPEN, "FSE"), GL_OK);
    cr_expect_eq(an_post(&h, K_ALPHA, "alpha", 20260115, "606100", "512000", 1000, &fse, 1, &num),
                 GL_OK, "reopened");
    cr_assert_eq(an_axis(&h, K_ALPHA, "alpha", "action", GL_AN_CLOSED, ""), GL_OK);
    UNCHANGED_AFTER(
        an_post(&h, K_ALPHA, "alpha", 20260115, "606100", "512000", 1000, &fse, 1, &num),
        GL_ERR_ANALYTIC_AXIS_UNKNOWN);
}

Test(analytic_refused, shares_not_summing_to_the_line_are_483)
{
    alpha_axes();
    uint32_t num;
    gl_an_split two = an_two("financeur", "FSE", 600, "VILLE", 399);
    UNCHANGED_AFTER(
        an_post(&h, K_ALPHA, "alpha", 20260115, "606100", "512000", 1000, &two, 1, &num),
        GL_ERR_ANALYTIC_SPLIT_SUM);
    cr_expect(strstr(an_detail, "line 1") && strstr(an_detail, "financeur") &&
                  strstr(an_detail, "9.99") && strstr(an_detail, "10.00"),
              "%s", an_detail);
    gl_an_split one = an_one("action", "VILLE", 999);
    UNCHANGED_AFTER(
        an_post(&h, K_ALPHA, "alpha", 20260115, "606100", "512000", 1000, &one, 1, &num),
        GL_ERR_ANALYTIC_SPLIT_SUM);
    cr_expect(strstr(an_detail, "line 1"), "%s", an_detail);
}

Test(analytic_refused, a_rule_requires_its_axis_on_its_accounts)
{
    alpha_axes();
    cr_assert_eq(an_rule(&h, K_ALPHA, "alpha", "action", "6", 1), GL_OK);
    uint32_t num;
    UNCHANGED_AFTER(
        an_post(&h, K_ALPHA, "alpha", 20260115, "606100", "512000", 1000, NULL, 0, &num),
        GL_ERR_ANALYTIC_REQUIRED);
    cr_expect(strstr(an_detail, "line 1") && strstr(an_detail, "606100") &&
                  strstr(an_detail, "action"),
              "%s", an_detail);
    gl_an_split fin = an_one("financeur", "FSE", 1000);
    UNCHANGED_AFTER(
        an_post(&h, K_ALPHA, "alpha", 20260115, "606100", "512000", 1000, &fin, 1, &num),
        GL_ERR_ANALYTIC_REQUIRED);
    /* the credit line (512000) is not on a 6 account: needs nothing */
    gl_an_split act = an_one("action", "VILLE", 1000);
    cr_expect_eq(an_post(&h, K_ALPHA, "alpha", 20260115, "606100", "512000", 1000, &act, 1, &num),
                 GL_OK, "%s", an_detail);
    cr_expect_eq(an_post(&h, K_ALPHA, "alpha", 20260115, "512000", "706000", 1000, NULL, 0, &num),
                 GL_OK, "no rule on 7");
    cr_assert_eq(an_rule(&h, K_ALPHA, "alpha", "action", "6", 0), GL_OK);
    cr_expect_eq(an_post(&h, K_ALPHA, "alpha", 20260115, "606100", "512000", 1000, NULL, 0, &num),
                 GL_OK, "the rule dropped");
}

Test(analytic_refused, set_fields_out_of_their_rule_are_489)
{
    UNCHANGED_AFTER(an_axis(&h, K_ALPHA, "alpha", "Action", GL_AN_OPEN, "x"),
                    GL_ERR_ANALYTIC_INVALID);
    cr_expect(strstr(an_detail, "axis"), "%s", an_detail);
    UNCHANGED_AFTER(an_axis(&h, K_ALPHA, "alpha", "action", 3, "x"), GL_ERR_ANALYTIC_INVALID);
    UNCHANGED_AFTER(an_axis(&h, K_ALPHA, "alpha", "action", GL_AN_OPEN, " "),
                    GL_ERR_ANALYTIC_INVALID);
    UNCHANGED_AFTER(an_axis(&h, K_ALPHA, "alpha", "action", GL_AN_OPEN, ""),
                    GL_ERR_ANALYTIC_INVALID);
    UNCHANGED_AFTER(an_axis(&h, K_ALPHA, "alpha", "action", GL_AN_CLOSED, ""),
                    GL_ERR_ANALYTIC_AXIS_UNKNOWN);
    cr_assert_eq(an_axis(&h, K_ALPHA, "alpha", "action", GL_AN_OPEN, "Actions"), GL_OK);
    UNCHANGED_AFTER(an_code(&h, K_ALPHA, "alpha", "action", "fse", GL_AN_OPEN, "x"),
                    GL_ERR_ANALYTIC_INVALID);
    cr_expect(strstr(an_detail, "code"), "%s", an_detail);
    UNCHANGED_AFTER(an_code(&h, K_ALPHA, "alpha", "action", "-X", GL_AN_OPEN, "x"),
                    GL_ERR_ANALYTIC_INVALID);
    UNCHANGED_AFTER(an_code(&h, K_ALPHA, "alpha", "zone", "X", GL_AN_OPEN, "x"),
                    GL_ERR_ANALYTIC_AXIS_UNKNOWN);
    UNCHANGED_AFTER(an_code(&h, K_ALPHA, "alpha", "action", "X", GL_AN_CLOSED, ""),
                    GL_ERR_ANALYTIC_CODE_UNKNOWN);
    UNCHANGED_AFTER(an_rule(&h, K_ALPHA, "alpha", "action", "06", 1), GL_ERR_ANALYTIC_INVALID);
    cr_expect(strstr(an_detail, "prefix"), "%s", an_detail);
    UNCHANGED_AFTER(an_rule(&h, K_ALPHA, "alpha", "action", "6a", 1), GL_ERR_ANALYTIC_INVALID);
    UNCHANGED_AFTER(an_rule(&h, K_ALPHA, "alpha", "action", "6", 2), GL_ERR_ANALYTIC_INVALID);
    UNCHANGED_AFTER(an_rule(&h, K_ALPHA, "alpha", "zone", "6", 1), GL_ERR_ANALYTIC_AXIS_UNKNOWN);
    UNCHANGED_AFTER(an_rule(&h, K_ALPHA, "alpha", "zone", "6", 0), GL_ERR_ANALYTIC_AXIS_UNKNOWN);
}

Test(analytic_refused, no_more_axes_than_allowed_490)
{
    char name[8];
    for (int i = 0; i < GL_AN_AXES_MAX; i++) {
        snprintf(name, sizeof name, "ax%02d", i);
        cr_assert_eq(an_axis(&h, K_ALPHA, "alpha", name, GL_AN_OPEN, "Axe"), GL_OK);
    }
    UNCHANGED_AFTER(an_axis(&h, K_ALPHA, "alpha", "one-more", GL_AN_OPEN, "Axe"),
                    GL_ERR_ANALYTIC_FULL);
    cr_expect_eq(an_axis(&h, K_ALPHA, "alpha", "ax00", GL_AN_OPEN, "Relabelled"), GL_OK,
                 "an axis already there is no new one");
    cr_expect_eq(an_axis(&h, K_BETA, "beta", "one-more", GL_AN_OPEN, "Axe"), GL_OK, "per tenant");
}

Test(analytic_refused, no_more_codes_than_allowed_490)
{
    cr_assert_eq(an_axis(&h, K_ALPHA, "alpha", "salarie", GL_AN_OPEN, "Salariés"), GL_OK);
    char code[16];
    for (int i = 0; i < GL_AN_CODES_MAX; i++) {
        snprintf(code, sizeof code, "EMP%04d", i);
        cr_assert_eq(an_code(&h, K_ALPHA, "alpha", "salarie", code, GL_AN_OPEN, "Salarié"), GL_OK,
                     "%s", code);
    }
    UNCHANGED_AFTER(an_code(&h, K_ALPHA, "alpha", "salarie", "EMP9999", GL_AN_OPEN, "x"),
                    GL_ERR_ANALYTIC_FULL);
    cr_expect_eq(an_code(&h, K_ALPHA, "alpha", "salarie", "EMP0000", GL_AN_CLOSED, ""), GL_OK,
                 "a code already there is no new one");
    cr_assert_eq(an_axis(&h, K_ALPHA, "alpha", "action", GL_AN_OPEN, "Actions"), GL_OK);
    cr_expect_eq(an_code(&h, K_ALPHA, "alpha", "action", "EMP9999", GL_AN_OPEN, "x"), GL_OK,
                 "per axis");
}

Test(analytic_refused, no_more_rules_than_allowed_490)
{
    cr_assert_eq(an_axis(&h, K_ALPHA, "alpha", "action", GL_AN_OPEN, "Actions"), GL_OK);
    char prefix[8];
    for (int i = 1; i <= GL_AN_RULES_MAX; i++) {
        snprintf(prefix, sizeof prefix, "%d", i);
        cr_assert_eq(an_rule(&h, K_ALPHA, "alpha", "action", prefix, 1), GL_OK, "%s", prefix);
    }
    UNCHANGED_AFTER(an_rule(&h, K_ALPHA, "alpha", "action", "999", 1), GL_ERR_ANALYTIC_FULL);
    cr_expect_eq(an_rule(&h, K_ALPHA, "alpha", "action", "6", 1), GL_OK, "already there");
    cr_expect_eq(an_rule(&h, K_ALPHA, "alpha", "action", "6", 0), GL_OK);
    cr_expect_eq(an_rule(&h, K_ALPHA, "alpha", "action", "999", 1), GL_OK, "room again");
}

Test(analytic_refused, another_tenant_and_the_auditor_are_refused)
{
    UNCHANGED_AFTER(an_axis(&h, K_ALPHA, "beta", "action", GL_AN_OPEN, "Actions"),
                    GL_ERR_FORBIDDEN_TENANT);
    UNCHANGED_AFTER(an_code(&h, K_ALPHA, "beta", "action", "X", GL_AN_OPEN, "x"),
                    GL_ERR_FORBIDDEN_TENANT);
    UNCHANGED_AFTER(an_rule(&h, K_ALPHA, "beta", "action", "6", 1), GL_ERR_FORBIDDEN_TENANT);
    gl_an_alloc_row row = {.fy = 2026, .num = 1, .line = 1, .codes = {.naxes = 1}};
    row.codes.axes[0] = an_one("action", "X", 100);
    UNCHANGED_AFTER(an_alloc(&h, K_ALPHA, "beta", &row, 1), GL_ERR_FORBIDDEN_TENANT);
    UNCHANGED_AFTER(an_axis(&h, K_AUDITOR, "alpha", "action", GL_AN_OPEN, "Actions"),
                    GL_ERR_FORBIDDEN_ROLE);
    UNCHANGED_AFTER(an_alloc(&h, K_AUDITOR, "alpha", &row, 1), GL_ERR_FORBIDDEN_ROLE);
    gl_response r;
    cr_expect_eq(h_call(&h, K_ALPHA, GL_KIND_ANALYTIC_AXES, "beta", 0, NULL, 0, &r),
                 GL_ERR_FORBIDDEN_TENANT);
    gl_response_free(&r);
}

/* --- ANALYTIC_ALLOC --- */

static gl_an_alloc_row row1(uint16_t fy, uint32_t num, uint16_t line, gl_an_split s)
{
    gl_an_alloc_row r = {.fy = fy, .num = num, .line = line, .codes = {.naxes = 1}};
    r.codes.axes[0] = s;
    return r;
}

typedef struct alloc_count {
    uint32_t tenant_tag; /* not read: all tenants */
    long n;
} alloc_count;

static bool count_alloc(const uint8_t *k, size_t k_len, const uint8_t *v, size_t v_len, void *user)
{
    (void)v, (void)v_len;
    if (k_len > 4 && k[4] == 4)
        ((alloc_count *)user)->n++;
    return true;
}

static long allocations(void)
{
    alloc_count c = {0, 0};
    h_db_each(&h, "analytic", count_alloc, &c);
    return c.n;
}

Test(analytic_alloc, an_allocation_is_given_replaced_and_removed)
{
    alpha_axes();
    uint32_t num;
    gl_an_split act = an_one("action", "FSE-2026", 1000);
    cr_assert_eq(an_post(&h, K_ALPHA, "alpha", 20260115, "606100", "512000", 1000, &act, 1, &num),
                 GL_OK);
    gl_an_alloc_row r = row1(2026, num, 1, an_one("financeur", "FSE", 1000));
    cr_expect_eq(an_alloc(&h, K_ALPHA, "alpha", &r, 1), GL_OK, "%s", an_detail);
    cr_expect_eq(bk_events(&h, "alpha", GL_EVENT_ANALYTIC_ALLOC), 1);
    cr_expect_eq(allocations(), 1);
    cr_expect_eq(an_alloc(&h, K_ALPHA, "alpha", &r, 1), GL_OK, "the same again");
    cr_expect_eq(bk_events(&h, "alpha", GL_EVENT_ANALYTIC_ALLOC), 1, "nothing written");
    r = row1(2026, num, 1, an_two("financeur", "FSE", 700, "VILLE", 300));
    cr_expect_eq(an_alloc(&h, K_ACCOUNTANT, "alpha", &r, 1), GL_OK, "%s", an_detail);
    cr_expect_eq(bk_events(&h, "alpha", GL_EVENT_ANALYTIC_ALLOC), 2);
    cr_expect_eq(allocations(), 1, "replaced");
    /* the credit line too, and both axes of it */
    gl_an_alloc_row both = {.fy = 2026, .num = num, .line = 2, .codes = {.naxes = 2}};
    both.codes.axes[0] = an_one("action", "VILLE", 1000);
    both.codes.axes[1] = an_one("financeur", "VILLE", 1000);
    cr_expect_eq(an_alloc(&h, K_ALPHA, "alpha", &both, 1), GL_OK, "%s", an_detail);
    cr_expect_eq(allocations(), 3);
    r = row1(2026, num, 1, (gl_an_split){.axis = {"financeur", 9}, .count = 0});
    cr_expect_eq(an_alloc(&h, K_ALPHA, "alpha", &r, 1), GL_OK, "removed: %s", an_detail);
    cr_expect_eq(allocations(), 2);
    cr_expect_eq(bk_events(&h, "alpha", GL_EVENT_ANALYTIC_ALLOC), 4);
    cr_expect_eq(an_alloc(&h, K_ALPHA, "alpha", &r, 1), GL_OK, "removed again: nothing");
    cr_expect_eq(bk_events(&h, "alpha", GL_EVENT_ANALYTIC_ALLOC), 4);
    cr_assert_gt(h_verify_chains(&h), 0);
}

Test(analytic_alloc, refusals_483_to_488_change_nothing)
{
    alpha_axes();
    uint32_t num;
    gl_an_split act = an_one("action", "FSE-2026", 1000);
    cr_assert_eq(an_post(&h, K_ALPHA, "alpha", 20260115, "606100", "512000", 1000, &act, 1, &num),
                 GL_OK);
    gl_an_alloc_row r = row1(2026, num + 1, 1, an_one("financeur", "FSE", 1000));
    UNCHANGED_AFTER(an_alloc(&h, K_ALPHA, "alpha", &r, 1), GL_ERR_ANALYTIC_LINE_UNKNOWN);
    r = row1(2026, num, 3, an_one("financeur", "FSE", 1000));
    UNCHANGED_AFTER(an_alloc(&h, K_ALPHA, "alpha", &r, 1), GL_ERR_ANALYTIC_LINE_UNKNOWN);
    r = row1(2026, num, 0, an_one("financeur", "FSE", 1000));
    UNCHANGED_AFTER(an_alloc(&h, K_ALPHA, "alpha", &r, 1), GL_ERR_ANALYTIC_LINE_UNKNOWN);
    gl_an_alloc_row twice[2] = {row1(2026, num, 2, an_one("financeur", "FSE", 1000)),
                                row1(2026, num, 2, an_one("financeur", "VILLE", 1000))};
    UNCHANGED_AFTER(an_alloc(&h, K_ALPHA, "alpha", twice, 2), GL_ERR_ANALYTIC_LINE_UNKNOWN);
    cr_expect(strstr(an_detail, "twice"), "%s", an_detail);
    r = row1(2026, num, 1, an_one("action", "VILLE", 1000));
    UNCHANGED_AFTER(an_alloc(&h, K_ALPHA, "alpha", &r, 1), GL_ERR_ANALYTIC_IN_ENTRY);
    r = row1(2026, num, 2, an_one("zone", "NORD", 1000));
    UNCHANGED_AFTER(an_alloc(&h, K_ALPHA, "alpha", &r, 1), GL_ERR_ANALYTIC_AXIS_UNKNOWN);
    r = row1(2026, num, 2, an_one("action", "NORD", 1000));
    UNCHANGED_AFTER(an_alloc(&h, K_ALPHA, "alpha", &r, 1), GL_ERR_ANALYTIC_CODE_UNKNOWN);
    r = row1(2026, num, 2, an_two("action", "FSE-2026", 500, "VILLE", 499));
    UNCHANGED_AFTER(an_alloc(&h, K_ALPHA, "alpha", &r, 1), GL_ERR_ANALYTIC_SPLIT_SUM);
    /* all or nothing: a good row before a bad one is not kept */
    gl_an_alloc_row good_bad[2] = {row1(2026, num, 2, an_one("action", "VILLE", 1000)),
                                   row1(2026, num + 9, 1, an_one("action", "VILLE", 1000))};
    UNCHANGED_AFTER(an_alloc(&h, K_ALPHA, "alpha", good_bad, 2), GL_ERR_ANALYTIC_LINE_UNKNOWN);
    cr_expect(strstr(an_detail, "row 2"), "%s", an_detail);
    /* 486: an allocation may replace a required axis, not remove it */
    cr_assert_eq(an_post(&h, K_ALPHA, "alpha", 20260116, "622600", "512000", 800, NULL, 0, &num),
                 GL_OK);
    r = row1(2026, num, 1, an_one("action", "VILLE", 800));
    cr_assert_eq(an_alloc(&h, K_ALPHA, "alpha", &r, 1), GL_OK, "%s", an_detail);
    cr_assert_eq(an_rule(&h, K_ALPHA, "alpha", "action", "62", 1), GL_OK);
    r = row1(2026, num, 1, (gl_an_split){.axis = {"action", 6}, .count = 0});
    UNCHANGED_AFTER(an_alloc(&h, K_ALPHA, "alpha", &r, 1), GL_ERR_ANALYTIC_REQUIRED);
    r = row1(2026, num, 1, an_one("action", "FSE-2026", 800));
    cr_expect_eq(an_alloc(&h, K_ALPHA, "alpha", &r, 1), GL_OK, "replaced: %s", an_detail);
}

static int accountant(uint16_t kind, gl_buf *b)
{
    gl_response r;
    int st = h_call(&h, K_ACCOUNTANT, kind, "alpha", gl_request_id_random(), b->data, b->len, &r);
    snprintf(an_detail, sizeof an_detail, "%.*s", (int)r.reply.detail.len, r.reply.detail.ptr);
    gl_response_free(&r);
    gl_buf_free(b);
    return st;
}

Test(analytic_alloc, locked_periods_and_closed_years_are_allowed_an_entries_are_not)
{
    alpha_axes();
    uint32_t num;
    cr_assert_eq(an_post(&h, K_ALPHA, "alpha", 20250315, "606100", "512000", 1200, NULL, 0, &num),
                 GL_OK);
    cr_assert_eq(an_post(&h, K_ALPHA, "alpha", 20250316, "102000", "512000", 5000, NULL, 0, NULL),
                 GL_OK);
    gl_buf b;
    gl_buf_init(&b);
    gl_lock_q_encode(&b, &(gl_lock_q){202512, GL_LOCK_THROUGH});
    cr_assert_eq(accountant(GL_KIND_LOCK, &b), GL_OK, "%s", an_detail);
    gl_an_alloc_row r = row1(2025, num, 1, an_one("action", "VILLE", 1200));
    cr_expect_eq(an_alloc(&h, K_ALPHA, "alpha", &r, 1), GL_OK, "locked: %s", an_detail);
    gl_buf_init(&b);
    gl_close_q_encode(&b, &(gl_close_q){2025});
    cr_assert_eq(accountant(GL_KIND_CLOSE_YEAR, &b), GL_OK, "%s", an_detail);
    r = row1(2025, num, 1, an_one("action", "FSE-2026", 1200));
    cr_expect_eq(an_alloc(&h, K_ALPHA, "alpha", &r, 1), GL_OK, "closed: %s", an_detail);
    /* the close's entries: the result entry (2025/3) and the à-nouveaux (2026/1) */
    r = row1(2025, num + 2, 1, an_one("action", "VILLE", 1200));
    UNCHANGED_AFTER(an_alloc(&h, K_ALPHA, "alpha", &r, 1), GL_ERR_ANALYTIC_LINE_UNKNOWN);
    cr_expect(strstr(an_detail, "year close"), "%s", an_detail);
    r = row1(2026, 1, 1, an_one("action", "VILLE", 3800));
    UNCHANGED_AFTER(an_alloc(&h, K_ALPHA, "alpha", &r, 1), GL_ERR_ANALYTIC_LINE_UNKNOWN);
    cr_expect(strstr(an_detail, "year close"), "%s", an_detail);
}
