/*
 * tests/integration/test_assets_large.c — issue 20's review: one
 * ASSET_POST writes at most GL_ENTRIES_MAX (10,000) entries, and the
 * offline verifier plans a post once, not once per entry.
 *
 * Suite assets_large: alpha's member key registers 101 assets in service
 * since 1 January 1926 over 100 years (the longest life).  Through 2025-12
 * the plan would write 101 x 100 = 10,100 entries: refused, 614
 * asset_post_large, the ledger digest unchanged.  Through 2024-12 it writes
 * 9,999 (101 x 99 fiscal years), then 2025 the last 101; the archive
 * verifies (offline verifier, `grandlivre verify`) in under 10 s (the time
 * printed: 46 s here when the verifier planned the post once per entry,
 * under 0.1 s since it plans it once).
 */
#include "tests/integration/asset_support.h"
#include "tests/integration/bank_support.h"
#include "tests/integration/forge_support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static harness h;

static void setup(void)
{
    h_setup(&h);
    as_open_accounts(&h, "alpha");
}
static void teardown(void) { h_teardown(&h); }
TestSuite(assets_large, .init = setup, .fini = teardown, .timeout = 600);

enum { ASSETS = 101 };

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

Test(assets_large, a_post_of_more_than_ten_thousand_entries_is_refused_and_split_verifies)
{
    static char codes[ASSETS][8];
    for (unsigned i = 0; i < ASSETS; i++) {
        gl_asset a = as_sample();
        snprintf(codes[i], sizeof codes[i], "OLD%03u", i);
        a.code = (gl_str){codes[i], strlen(codes[i])};
        a.acquired = a.start = 19260101;
        a.life_months = 1200;
        cr_assert_eq(as_set(&h, K_ALPHA, "alpha", &a), GL_OK, "%u: %s", i, as_detail);
    }
    uint8_t before[32];
    h_digest(&h, before);
    cr_expect_eq(as_depreciate(&h, K_ALPHA, "alpha", 202512, NULL), GL_ERR_ASSET_POST_LARGE, "%s",
                 as_detail);
    cr_expect(strstr(as_detail, "10000 entries") && strstr(as_detail, "earlier month"), "%s",
              as_detail);
    bk_unchanged(&h, before, "a post of 10,100 entries");
    uint32_t n = 0;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    cr_assert_eq(as_depreciate(&h, K_ALPHA, "alpha", 202412, &n), GL_OK, "%s", as_detail);
    cr_expect_eq(n, 9999);
    fprintf(stderr, "assets_large: 9,999 entries posted in %.1f s\n", seconds_since(&t0));
    cr_assert_eq(as_depreciate(&h, K_ALPHA, "alpha", 202512, &n), GL_OK, "%s", as_detail);
    cr_expect_eq(n, ASSETS);
    cr_expect_eq(h_balance(&h, "alpha", "281830", 20251231), -(int64_t)ASSETS * 3600);
    char path[400], out[16384];
    snprintf(path, sizeof path, "%s/all.glar", h.dir);
    fg_archive_to(&h, path);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = h_cli(&h, K_AUDITOR, out, sizeof out, "verify '%s'", path);
    double took = seconds_since(&t0);
    cr_assert_eq(rc, 0, "the archive does not verify (%d):\n%s", rc, out);
    fprintf(stderr, "assets_large: the archive of 10,100 depreciation entries verified in %.1f s\n",
            took);
    cr_expect_lt(took, 10.0, "the verifier replays the plan once per entry again (%.1f s)", took);
}
