/*
 * tests/integration/test_months.c — month fields (YYYYMM) of requests
 * against the real daemon (issue 11, item 2).
 *
 * LOCK `through` and RECHARGE `period` used to be checked as
 * gl_date_valid(ym * 100 + 1) in 32-bit arithmetic, so 202501 + 2^30
 * wrapped to 2025-01-01 and passed: LOCK then locked the tenant for ever
 * and RECHARGE reached an assertion in the recharge builder, stopping the
 * daemon for every tenant.  Every month out of 1900-01 .. 2999-12 must be
 * refused with bad_date (109) before anything is computed from it, the
 * ledger left byte for byte as it was, and the daemon still serving.
 */
#include "tests/support/harness.h"

#include "proto/group.h"
#include "proto/query.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

static harness h;

static void setup(void)
{
    h_setup(&h);
    for (const char *const *t = (const char *const[]){"alpha", "beta", "gamma", NULL}; *t; t++)
        cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "accounts load-chart --tenant %s", *t), 0);
}
static void teardown(void) { h_teardown(&h); }

TestSuite(months, .init = setup, .fini = teardown, .timeout = 120);

/* Months that are not 1900-01 .. 2999-12, several of which wrap to a valid
 * date when multiplied by 100 in 32 bits. */
static const uint32_t bad_months[] = {
    202501u + (1u << 30), /* wraps to 2025-01-01 */
    0,
    1,
    190000, /* month 0 */
    190013, /* month 13 */
    189912, /* year 1899 */
    202500,
    202513,
    202599,
    299913,
    300001, /* year 3000 */
    999912,
    INT32_MAX,
    (uint32_t)INT32_MAX + 1u,
    2147483647u - 202501u,
    42949672u + 202501u, /* 0xFFFFFFFF / 100 + a month */
    UINT32_MAX,
    UINT32_MAX - 1,
};

#define BAD_MONTHS (sizeof bad_months / sizeof bad_months[0])

static int lock_tenant(const char *tenant, uint32_t ym, uint8_t mode)
{
    gl_lock_q q = {ym, mode};
    gl_buf b;
    gl_buf_init(&b);
    gl_lock_q_encode(&b, &q);
    gl_response r;
    int st = h_call(&h, K_ACCOUNTANT, GL_KIND_LOCK, tenant, 0, b.data, b.len, &r);
    gl_response_free(&r);
    gl_buf_free(&b);
    return st;
}

static int lock(uint32_t ym, uint8_t mode) { return lock_tenant("beta", ym, mode); }

static int set_keys(uint16_t version)
{
    gl_keys_q q = {
        .version = version, .count = 2, .items = {{{"beta", 4}, 61}, {{"gamma", 5}, 48}}};
    gl_buf b;
    gl_buf_init(&b);
    gl_keys_q_encode(&b, &q);
    gl_response r;
    int st = h_call(&h, K_ACCOUNTANT, GL_KIND_KEYS_SET, "", 0, b.data, b.len, &r);
    gl_response_free(&r);
    gl_buf_free(&b);
    return st;
}

static int recharge(uint32_t ym, uint32_t date)
{
    gl_recharge_q q = {ym, 2850000, 1, date, {0}};
    gl_buf b;
    gl_buf_init(&b);
    gl_recharge_q_encode(&b, &q);
    gl_response r;
    int st = h_call(&h, K_ACCOUNTANT, GL_KIND_RECHARGE, "", 0, b.data, b.len, &r);
    gl_response_free(&r);
    gl_buf_free(&b);
    return st;
}

static int ping(void)
{
    gl_response r;
    int st = h_call(&h, K_AUDITOR, GL_KIND_PING, "", 0, NULL, 0, &r);
    gl_response_free(&r);
    return st;
}

#define EXPECT_UNCHANGED_AFTER(expr, status, what)                                        \
    do {                                                                                  \
        uint8_t d0_[32], d1_[32];                                                         \
        h_digest(&h, d0_);                                                                \
        int st_ = (expr);                                                                 \
        h_digest(&h, d1_);                                                                \
        cr_assert_eq(st_, status, "%s: got %s, want %s", what, gl_status_name(st_),       \
                     gl_status_name(status));                                             \
        cr_assert(!memcmp(d0_, d1_, 32), "%s: the ledger changed after a refusal", what); \
    } while (0)

Test(months, lock_refuses_every_month_out_of_range)
{
    for (size_t i = 0; i < BAD_MONTHS; i++)
        for (uint8_t mode = 0; mode <= 1; mode++) {
            char what[64];
            snprintf(what, sizeof what, "LOCK %u mode %u", bad_months[i], mode);
            EXPECT_UNCHANGED_AFTER(lock(bad_months[i], mode), GL_ERR_BAD_DATE, what);
            cr_assert_eq(ping(), GL_OK, "%s: the daemon stopped serving", what);
        }
    /* the tenant is not locked for ever: its periods still lock in order */
    cr_assert_eq(lock(202501, GL_LOCK_NEXT_ONLY), GL_OK);
    cr_assert_eq(lock(202502, GL_LOCK_NEXT_ONLY), GL_OK);
}

Test(months, recharge_refuses_every_month_out_of_range)
{
    cr_assert_eq(set_keys(1), GL_OK);
    for (size_t i = 0; i < BAD_MONTHS; i++) {
        char what[64];
        snprintf(what, sizeof what, "RECHARGE %u", bad_months[i]);
        EXPECT_UNCHANGED_AFTER(recharge(bad_months[i], 0), GL_ERR_BAD_DATE, what);
        /* an explicit, valid date does not make a bad period acceptable */
        EXPECT_UNCHANGED_AFTER(recharge(bad_months[i], 20250131), GL_ERR_BAD_DATE, what);
        cr_assert_eq(ping(), GL_OK, "%s: the daemon stopped serving", what);
    }
    /* keys version 1 was never used: a valid recharge still works */
    cr_assert_eq(recharge(202501, 0), GL_OK);
    cr_assert_gt(h_verify_chains(&h), 0);
}

Test(months, the_first_and_last_months_of_the_range_are_accepted)
{
    /* LOCK (gamma): through 1900-01 is accepted; 2999-12 is a valid month
     * (it passes decoding) that the lock rules then refuse as ahead of the
     * current month (issue 13: locks cannot run ahead) */
    cr_assert_eq(lock_tenant("gamma", 190001, 0), GL_OK);
    EXPECT_UNCHANGED_AFTER(lock_tenant("gamma", 299912, 0), GL_ERR_LOCK_AHEAD, "LOCK 2999-12");
    /* nothing is after 2999-12: the next month does not exist */
    EXPECT_UNCHANGED_AFTER(lock_tenant("gamma", 300001, GL_LOCK_NEXT_ONLY), GL_ERR_BAD_DATE,
                           "LOCK 3000-01");
    EXPECT_UNCHANGED_AFTER(lock_tenant("gamma", 190001, GL_LOCK_NEXT_ONLY), GL_ERR_ALREADY_LOCKED,
                           "LOCK 1900-01 again");
    /* RECHARGE of 1900-01 and of 2999-12 to beta alone (gamma's fiscal
     * year 3000 would not exist), dated the last day of the period */
    gl_keys_q q = {.version = 2, .count = 1, .items = {{{"alpha", 5}, 1}}};
    q.items[0].tenant = (gl_str){"beta", 4};
    gl_buf b;
    gl_buf_init(&b);
    gl_keys_q_encode(&b, &q);
    gl_response r;
    cr_assert_eq(h_call(&h, K_ACCOUNTANT, GL_KIND_KEYS_SET, "", 0, b.data, b.len, &r), GL_OK);
    gl_response_free(&r);
    gl_buf_free(&b);
    for (uint32_t ym = 190001; ym <= 299912; ym = ym == 190001 ? 299912 : 300000) {
        gl_recharge_q rq = {ym, 100, 2, 0, {0}};
        gl_buf_init(&b);
        gl_recharge_q_encode(&b, &rq);
        /* 2999-12 decodes (a valid month) and is then refused as dated
         * after the next fiscal year (issue 13, date_ahead) */
        int want = ym == 299912 ? GL_ERR_DATE_AHEAD : GL_OK;
        cr_assert_eq(h_call(&h, K_ACCOUNTANT, GL_KIND_RECHARGE, "", 0, b.data, b.len, &r), want,
                     "RECHARGE %u", ym);
        gl_response_free(&r);
        gl_buf_free(&b);
    }
    cr_assert_eq(h_balance(&h, "alpha", "706100", 19001231), -100);
    cr_assert_eq(h_balance(&h, "alpha", "706100", 29991231), 0); /* the 2999 recharge was refused */
    cr_assert_gt(h_verify_chains(&h), 0);
}
