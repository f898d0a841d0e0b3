/*
 * tests/integration/test_assets_verify.c — the offline verifier replays
 * the fixed-asset register (issue 20, client/verify/verify_assets.c).
 * Suite assets_verify: a real daemon registers alpha's computer with an
 * investment grant, depreciates it through 2026-06 and disposes of it on
 * 2026-09-15; the archive verifies.  Then each forged archive (one event
 * and its signed request changed the same way, the request signed again,
 * every hash after it recomputed) fails: an asset's cost changed (the
 * entries the daemon wrote are no longer the plan's), an ASSET_POST's
 * month changed (its entries are not the ones its body gives).
 */
#include "tests/integration/asset_support.h"
#include "tests/integration/forge_support.h"

#include "proto/chain.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

static harness h;

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

static void setup(void)
{
    h_setup(&h);
    as_open_accounts(&h, "alpha");
    gl_asset a = as_sample();
    a.grant_account = S("131000");
    a.grant_cents = 180000;
    cr_assert_eq(as_set(&h, K_ACCOUNTANT, "alpha", &a), GL_OK, "%s", as_detail);
    cr_assert_eq(as_depreciate(&h, K_ACCOUNTANT, "alpha", 202606, NULL), GL_OK, "%s", as_detail);
    gl_asset_post_q q = {.op = GL_ASSET_DISPOSE,
                         .code = S("ORDI-1"),
                         .date = 20260915,
                         .proceeds_cents = 100000,
                         .proceeds_account = S("512000")};
    cr_assert_eq(as_post(&h, K_ACCOUNTANT, "alpha", &q, NULL), GL_OK, "%s", as_detail);
}
static void teardown(void) { h_teardown(&h); }
TestSuite(assets_verify, .init = setup, .fini = teardown, .timeout = 240);

Test(assets_verify, a_good_archive_verifies)
{
    char path[400], out[16384];
    snprintf(path, sizeof path, "%s/all.glar", h.dir);
    fg_archive_to(&h, path);
    int rc = h_cli(&h, K_AUDITOR, out, sizeof out, "verify '%s'", path);
    cr_assert_eq(rc, 0, "the archive does not verify (%d):\n%s", rc, out);
}

Test(assets_verify, an_asset_whose_cost_was_changed_is_found)
{
    /* cost 3,600.00 = 360000 cents = 0x57E40 */
    char out[16384];
    int rc = fg_verify_forged(&h, "alpha", GL_EVENT_ASSET, 1, "\x00\x05\x7e\x40",
                              "\x00\x06\x7e\x40", 4, out, sizeof out);
    fg_expect_found(rc, out, "not the entry its signed asset post");
}

Test(assets_verify, an_asset_post_whose_month_was_changed_is_found)
{
    /* through 202606 = 0x3176E */
    char out[16384];
    int rc = fg_verify_forged(&h, "alpha", GL_EVENT_ASSET_POST, 1, "\x00\x03\x17\x6e",
                              "\x00\x03\x17\x6d", 4, out, sizeof out);
    fg_expect_found(rc, out, "not the entry its signed asset post");
}

Test(assets_verify, an_acquisition_entry_that_is_not_the_purchase_is_found)
{
    /* the asset names no acquisition (0 | 0): forged to name entry 2025/1,
     * the depreciation's own entry, which credits 281830 (the record ends
     * grant_cents 180000 = 0x2BF20 | acq_fy u16 | acq_num u32) */
    char out[16384];
    int rc =
        fg_verify_forged(&h, "alpha", GL_EVENT_ASSET, 1, "\x02\xbf\x20\x00\x00\x00\x00\x00\x00",
                         "\x02\xbf\x20\x07\xe9\x00\x00\x00\x01", 9, out, sizeof out);
    fg_expect_found(rc, out, "is not its acquisition before it (603)");
}

/* The verifier plans a post once for all its entries (not once per
 * entry): an entry the plan does not give, or one it gives that is not
 * there, is still found. */
Test(assets_verify, an_entry_more_than_the_plan_gives_is_found)
{
    /* through 202606 -> 202512: the plan gives 2025's entry alone, the
     * chain holds 2026's too */
    char out[16384];
    int rc = fg_verify_forged(&h, "alpha", GL_EVENT_ASSET_POST, 1, "\x00\x03\x17\x6e",
                              "\x00\x03\x17\x10", 4, out, sizeof out);
    fg_expect_found(rc, out, "gives for item 2");
}

Test(assets_verify, an_entry_the_plan_gives_that_is_not_there_is_found)
{
    /* a screen from 2025-07-01 depreciated through 202512 (1 entry),
     * forged to 202612: the plan gives 2026's entry too */
    gl_asset a = as_sample();
    a.code = S("ECRAN-1");
    cr_assert_eq(as_set(&h, K_ACCOUNTANT, "alpha", &a), GL_OK, "%s", as_detail);
    uint32_t n;
    cr_assert_eq(as_depreciate(&h, K_ACCOUNTANT, "alpha", 202512, &n), GL_OK, "%s", as_detail);
    cr_assert_eq(n, 1);
    char out[16384];
    int rc = fg_verify_forged(&h, "alpha", GL_EVENT_ASSET_POST, 3, "\x00\x03\x17\x10",
                              "\x00\x03\x17\x74", 4, out, sizeof out);
    fg_expect_found(rc, out, "the asset post writes 2 entries, the chain holds 1 before its event");
}
