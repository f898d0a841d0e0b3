/*
 * tests/integration/test_assets.c — issue 20, the fixed-asset register in
 * the daemon: ASSET_SET (59) registers an asset (event 25; the same again
 * nothing; a new label relabels), ASSETS (60) lists the register with each
 * asset's state, ASSET_POST (61) makes the daemon write the depreciation
 * through a month (one entry per asset and fiscal year, never twice for
 * the same month) or a disposal (the depreciation to its date, then the
 * disposal entry), with an investment grant's 139/777.  Every refusal
 * (600-607, 609, 405, 300, 301) leaves the ledger digest unchanged.
 */
#include "tests/integration/asset_support.h"
#include "tests/integration/bank_support.h"

#include "proto/chain.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

static harness h;

static void setup(void)
{
    h_setup(&h);
    as_open_accounts(&h, "alpha");
}
static void teardown(void) { h_teardown(&h); }

TestSuite(assets, .init = setup, .fini = teardown, .timeout = 240);
TestSuite(assets_refused, .init = setup, .fini = teardown, .timeout = 240);

#define UNCHANGED_AFTER(call, want)                                                      \
    do {                                                                                 \
        uint8_t before_[32];                                                             \
        h_digest(&h, before_);                                                           \
        int st_ = (call);                                                                \
        cr_expect_eq(st_, (want), "%s: %s (%s)", #call, gl_status_name(st_), as_detail); \
        bk_unchanged(&h, before_, #call);                                                \
    } while (0)

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

static void register_is(const char *want)
{
    char got[4096];
    cr_assert_eq(as_list_text(&h, K_AUDITOR, "alpha", got, sizeof got), GL_OK, "%s", as_detail);
    cr_expect_str_eq(got, want);
}

/* The purchase: D 218300 / C 404000 3,600.00 on 2025-07-01 (entry 2025/1). */
static void purchase(void)
{
    gl_line_in l[2];
    gl_entry_in e = h_entry2("alpha", 20250701, "218300", "404000", 360000, l);
    gl_response r;
    cr_assert_eq(h_post(&h, K_ALPHA, &e, 1, &r), GL_OK);
    gl_response_free(&r);
}

Test(assets, register_relabel_and_list)
{
    register_is("");
    purchase();
    gl_asset a = as_sample();
    a.acq_fy = 2025;
    a.acq_num = 1;
    cr_assert_eq(as_set(&h, K_ALPHA, "alpha", &a), GL_OK, "%s", as_detail);
    cr_expect_eq(bk_events(&h, "alpha", GL_EVENT_ASSET), 1);
    cr_assert_eq(as_set(&h, K_ACCOUNTANT, "alpha", &a), GL_OK);
    cr_expect_eq(bk_events(&h, "alpha", GL_EVENT_ASSET), 1, "the same again: no event");
    a.label = S("Ordinateurs et écrans");
    cr_assert_eq(as_set(&h, K_ACCOUNTANT, "alpha", &a), GL_OK, "%s", as_detail);
    cr_expect_eq(bk_events(&h, "alpha", GL_EVENT_ASSET), 2, "a relabelling is an event");
    register_is("ORDI-1:0:0:0;");
    cr_expect_gt(h_verify_chains(&h), 0);
}

Test(assets, depreciation_through_a_month_posted_once_then_refused)
{
    gl_asset a = as_sample();
    cr_assert_eq(as_set(&h, K_ALPHA, "alpha", &a), GL_OK, "%s", as_detail);
    uint32_t n;
    cr_assert_eq(as_depreciate(&h, K_ALPHA, "alpha", 202606, &n), GL_OK, "%s", as_detail);
    cr_expect_eq(n, 2, "one entry per fiscal year: 2025 and 2026");
    cr_expect_eq(h_balance(&h, "alpha", "681100", 20251231), 60000, "six months of 2025");
    /* balances of the fiscal year 2026 (2025 is not closed) */
    cr_expect_eq(h_balance(&h, "alpha", "281830", 20260630), -60000);
    cr_expect_eq(h_balance(&h, "alpha", "681100", 20260630), 60000);
    register_is("ORDI-1:202606:0:0;");
    UNCHANGED_AFTER(as_depreciate(&h, K_ALPHA, "alpha", 202606, NULL), GL_ERR_ASSET_POSTED);
    UNCHANGED_AFTER(as_depreciate(&h, K_ACCOUNTANT, "alpha", 202603, NULL), GL_ERR_ASSET_POSTED);
    cr_assert_eq(as_depreciate(&h, K_ALPHA, "alpha", 202607, &n), GL_OK, "%s", as_detail);
    cr_expect_eq(n, 1);
    cr_expect_eq(h_balance(&h, "alpha", "281830", 20260731), -70000);
    cr_expect_eq(bk_events(&h, "alpha", GL_EVENT_ASSET_POST), 2);
    cr_expect_gt(h_verify_chains(&h), 0);
}

Test(assets, an_investment_grant_is_taken_to_income_with_the_plan)
{
    gl_asset a = as_sample();
    a.grant_account = S("131000");
    a.grant_cents = 180000; /* half the cost */
    cr_assert_eq(as_set(&h, K_ALPHA, "alpha", &a), GL_OK, "%s", as_detail);
    cr_assert_eq(as_depreciate(&h, K_ALPHA, "alpha", 202512, NULL), GL_OK, "%s", as_detail);
    cr_expect_eq(h_balance(&h, "alpha", "681100", 20251231), 60000);
    cr_expect_eq(h_balance(&h, "alpha", "139100", 20251231), 30000);
    cr_expect_eq(h_balance(&h, "alpha", "747000", 20251231), -30000);
}

Test(assets, a_disposal_mid_year_depreciates_to_its_date_then_leaves_the_books)
{
    purchase();
    gl_asset a = as_sample();
    a.grant_account = S("131000");
    a.grant_cents = 180000;
    cr_assert_eq(as_set(&h, K_ALPHA, "alpha", &a), GL_OK, "%s", as_detail);
    cr_assert_eq(as_depreciate(&h, K_ALPHA, "alpha", 202606, NULL), GL_OK, "%s", as_detail);
    gl_asset_post_q q = {.op = GL_ASSET_DISPOSE,
                         .code = S("ORDI-1"),
                         .date = 20260915,
                         .proceeds_cents = 100000,
                         .proceeds_account = S("512000")};
    uint32_t n;
    cr_assert_eq(as_post(&h, K_ALPHA, "alpha", &q, &n), GL_OK, "%s", as_detail);
    cr_expect_eq(n, 2, "the depreciation to the date, then the disposal");
    /* 2.5 months more: 250.00; accumulated 1,450.00, net book value
     * 2,150.00 (balances of the fiscal year 2026: 2025 is not closed) */
    cr_expect_eq(h_balance(&h, "alpha", "681100", 20261231), 60000 + 25000);
    cr_expect_eq(h_balance(&h, "alpha", "281830", 20261231), 145000 - 85000);
    cr_expect_eq(h_balance(&h, "alpha", "218300", 20261231), -360000);
    cr_expect_eq(h_balance(&h, "alpha", "652000", 20261231), 215000);
    cr_expect_eq(h_balance(&h, "alpha", "757000", 20261231), -100000);
    cr_expect_eq(h_balance(&h, "alpha", "512000", 20261231), 100000);
    /* the grant: 300.00 in 2025, 425.00 in 2026 by the plan, the
     * remaining 1,075.00 at disposal; its accounts closed: D 131000 the
     * whole 1,800.00 (never received here) / C 139100 the 725.00 released */
    cr_expect_eq(h_balance(&h, "alpha", "747000", 20261231), -(42500 + 107500));
    cr_expect_eq(h_balance(&h, "alpha", "131000", 20261231), 180000);
    cr_expect_eq(h_balance(&h, "alpha", "139100", 20261231), 42500 - 72500);
    cr_expect_eq(
        h_balance(&h, "alpha", "139100", 20251231) + h_balance(&h, "alpha", "139100", 20261231), 0);
    register_is("ORDI-1:202609:20260915:100000;");
    UNCHANGED_AFTER(as_post(&h, K_ALPHA, "alpha", &q, NULL), GL_ERR_ASSET_DISPOSED);
    UNCHANGED_AFTER(as_depreciate(&h, K_ALPHA, "alpha", 202610, NULL), GL_ERR_ASSET_NOTHING);
    cr_expect_gt(h_verify_chains(&h), 0);
}

/* A grant of 1,000.00 received on 131000 for a 2,000.00 asset depreciated
 * over 12 months from 1 January 2025 (bought and the grant received in
 * January): 250.00 released through March, the
 * disposal on 30 June releases 250.00 more (half the grant), then closes
 * the grant's accounts: D 131000 1,000.00 / C 139100 500.00 / C 747000
 * 500.00.  Both are at 0, 747000 holds the grant whole. */
Test(assets, a_disposal_closes_the_grant_account_and_its_139)
{
    gl_line_in l[4];
    gl_entry_in e[2] = {h_entry2("alpha", 20250101, "218300", "512000", 200000, l),
                        h_entry2("alpha", 20250102, "512000", "131000", 100000, l + 2)};
    gl_response r;
    cr_assert_eq(h_post(&h, K_ALPHA, e, 2, &r), GL_OK);
    gl_response_free(&r);
    gl_asset a = as_sample();
    a.acquired = a.start = 20250101;
    a.cost_cents = 200000;
    a.life_months = 12;
    a.grant_account = S("131000");
    a.grant_cents = 100000;
    cr_assert_eq(as_set(&h, K_ALPHA, "alpha", &a), GL_OK, "%s", as_detail);
    cr_assert_eq(as_depreciate(&h, K_ALPHA, "alpha", 202503, NULL), GL_OK, "%s", as_detail);
    cr_expect_eq(h_balance(&h, "alpha", "139100", 20251231), 25000);
    gl_asset_post_q q = {.op = GL_ASSET_DISPOSE, .code = S("ORDI-1"), .date = 20250630};
    cr_assert_eq(as_post(&h, K_ALPHA, "alpha", &q, NULL), GL_OK, "%s", as_detail);
    cr_expect_eq(h_balance(&h, "alpha", "131000", 20251231), 0);
    cr_expect_eq(h_balance(&h, "alpha", "139100", 20251231), 0);
    cr_expect_eq(h_balance(&h, "alpha", "747000", 20251231), -(50000 + 50000),
                 "half released by the plan, the remaining half on disposal");
    cr_expect_eq(h_balance(&h, "alpha", "218300", 20251231), 0);
    cr_expect_eq(h_balance(&h, "alpha", "281830", 20251231), 0);
    cr_expect_eq(h_balance(&h, "alpha", "652000", 20251231), 100000);
    cr_expect_gt(h_verify_chains(&h), 0);
}

Test(assets_refused, each_refusal_leaves_the_ledger_unchanged)
{
    gl_asset a = as_sample();
    UNCHANGED_AFTER(as_depreciate(&h, K_ALPHA, "alpha", 202606, NULL), GL_ERR_ASSET_NOTHING);
    gl_asset bad = a;
    bad.account = S("281830");
    UNCHANGED_AFTER(as_set(&h, K_ALPHA, "alpha", &bad), GL_ERR_ASSET_INVALID);
    cr_expect(strstr(as_detail, "account"), "%s", as_detail);
    bad = a;
    bad.residual_cents = a.cost_cents;
    UNCHANGED_AFTER(as_set(&h, K_ALPHA, "alpha", &bad), GL_ERR_ASSET_INVALID);
    bad = a;
    bad.acq_fy = 2025;
    bad.acq_num = 99;
    UNCHANGED_AFTER(as_set(&h, K_ALPHA, "alpha", &bad), GL_ERR_ASSET_ACQUISITION);
    bad = a;
    bad.account = S("218400");
    UNCHANGED_AFTER(as_set(&h, K_ALPHA, "alpha", &bad), GL_ERR_UNKNOWN_ACCOUNT);
    cr_assert_eq(as_set(&h, K_ALPHA, "alpha", &a), GL_OK, "%s", as_detail);
    bad = a;
    bad.cost_cents = 400000;
    UNCHANGED_AFTER(as_set(&h, K_ALPHA, "alpha", &bad), GL_ERR_ASSET_EXISTS);
    gl_asset_post_q q = {.op = GL_ASSET_DISPOSE, .code = S("NOPE"), .date = 20260301};
    UNCHANGED_AFTER(as_post(&h, K_ALPHA, "alpha", &q, NULL), GL_ERR_ASSET_UNKNOWN);
    q.op = 3;
    UNCHANGED_AFTER(as_post(&h, K_ALPHA, "alpha", &q, NULL), GL_ERR_ASSET_POST_INVALID);
    q = (gl_asset_post_q){.op = GL_ASSET_DISPOSE,
                          .code = S("ORDI-1"),
                          .date = 20260301,
                          .proceeds_cents = 100,
                          .proceeds_account = S("606100")};
    UNCHANGED_AFTER(as_post(&h, K_ALPHA, "alpha", &q, NULL), GL_ERR_ASSET_POST_INVALID);
    cr_assert_eq(as_depreciate(&h, K_ALPHA, "alpha", 202603, NULL), GL_OK, "%s", as_detail);
    q.proceeds_cents = 0;
    q.proceeds_account = S("");
    UNCHANGED_AFTER(as_post(&h, K_ALPHA, "alpha", &q, NULL), GL_ERR_ASSET_DISPOSAL_DATE);
    q.date = 20250630;
    UNCHANGED_AFTER(as_post(&h, K_ALPHA, "alpha", &q, NULL), GL_ERR_ASSET_DISPOSAL_DATE);
    cr_expect_gt(h_verify_chains(&h), 0);
}

Test(assets_refused, an_entry_on_an_account_not_open_refuses_the_whole_post)
{
    static const char *const more[] = {"215400"};
    h_open_accounts(&h, "alpha", more, 1);
    gl_asset a = as_sample();
    a.code = S("MACH-1");
    a.account = S("215400"); /* its 281540 is not open */
    cr_assert_eq(as_set(&h, K_ALPHA, "alpha", &a), GL_OK, "%s", as_detail);
    gl_asset b = as_sample();
    cr_assert_eq(as_set(&h, K_ALPHA, "alpha", &b), GL_OK, "%s", as_detail);
    UNCHANGED_AFTER(as_depreciate(&h, K_ALPHA, "alpha", 202512, NULL), GL_ERR_UNKNOWN_ACCOUNT);
    cr_expect(strstr(as_detail, "281540"), "%s", as_detail);
}

Test(assets_refused, a_member_writes_its_own_register_and_an_auditor_only_reads)
{
    gl_asset a = as_sample();
    UNCHANGED_AFTER(as_set(&h, K_BETA, "alpha", &a), GL_ERR_FORBIDDEN_TENANT);
    UNCHANGED_AFTER(as_set(&h, K_AUDITOR, "alpha", &a), GL_ERR_FORBIDDEN_ROLE);
    cr_assert_eq(as_set(&h, K_ALPHA, "alpha", &a), GL_OK, "%s", as_detail);
    UNCHANGED_AFTER(as_depreciate(&h, K_BETA, "alpha", 202512, NULL), GL_ERR_FORBIDDEN_TENANT);
    UNCHANGED_AFTER(as_depreciate(&h, K_AUDITOR, "alpha", 202512, NULL), GL_ERR_FORBIDDEN_ROLE);
    char got[256];
    cr_expect_eq(as_list_text(&h, K_BETA, "alpha", got, sizeof got), GL_ERR_FORBIDDEN_TENANT);
    cr_expect_eq(as_list_text(&h, K_BETA, "beta", got, sizeof got), GL_OK);
    cr_expect_str_eq(got, "");
}

Test(assets_refused, the_register_holds_at_most_a_thousand_assets)
{
    gl_asset a = as_sample();
    char code[16];
    for (unsigned i = 0; i < GL_ASSETS_MAX; i++) {
        snprintf(code, sizeof code, "A%04u", i);
        a.code = S(code);
        cr_assert_eq(as_set(&h, K_ACCOUNTANT, "alpha", &a), GL_OK, "%u: %s", i, as_detail);
    }
    a.code = S("ONE-TOO-MANY");
    UNCHANGED_AFTER(as_set(&h, K_ACCOUNTANT, "alpha", &a), GL_ERR_ASSET_FULL);
    a.code = S("A0007");
    a.label = S("Relabelled");
    cr_expect_eq(as_set(&h, K_ACCOUNTANT, "alpha", &a), GL_OK, "a relabelling is no new asset");
}
