/*
 * tests/integration/test_model.c — random sequences of valid and invalid
 * posts (and account openings) against the real daemon and against a naive
 * in-memory ledger kept here; at the end every balance, as of several dates,
 * is equal, and the hash chains verify.  A deliberately wrong model (one
 * cent off) is also compared, to show that the comparison can fail.
 */
#include "tests/support/harness.h"

#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#define ACCOUNTS 6
#define TENANTS 2
#define DAYS 59

static const char *const accounts[ACCOUNTS] = {"512000", "606100", "401000",
                                               "706000", "411000", "641100"};
static const char *const tenants[TENANTS] = {"alpha", "beta"};

/* model[t][a][d]: net debit of account a in tenant t on day d of 2025. */
static int64_t model[TENANTS][ACCOUNTS + 1][DAYS];
static harness h;

static void setup(void)
{
    h_setup(&h);
    for (int t = 0; t < TENANTS; t++)
        h_open_accounts(&h, tenants[t], accounts, ACCOUNTS);
}
static void teardown(void) { h_teardown(&h); }

TestSuite(model, .init = setup, .fini = teardown, .timeout = 180);

static uint32_t day_date(int d)
{
    return d < 31 ? 20250101 + (uint32_t)d : 20250201 + (uint32_t)(d - 31);
}

static int64_t model_balance(int t, int a, int upto_day)
{
    int64_t s = 0;
    for (int d = 0; d <= upto_day; d++)
        s += model[t][a][d];
    return s;
}

/* One random operation: a post that is valid or broken in one random way. */
static void random_post(unsigned *seed)
{
    int t = rand_r(seed) % TENANTS, d = rand_r(seed) % DAYS, nlines = 2 + rand_r(seed) % 4;
    int fault = rand_r(seed) % 6; /* 0: unbalanced 1: unknown account 2: zero 3+: valid */
    enum h_key key = rand_r(seed) % 2 ? K_ACCOUNTANT : (t == 0 ? K_ALPHA : K_BETA);
    if (rand_r(seed) % 10 == 0)
        key = t == 0 ? K_BETA : K_ALPHA; /* a member writing into the other: refused */
    gl_line_in lines[6];
    int idx[6];
    int64_t total = 0;
    for (int i = 0; i < nlines - 1; i++) {
        idx[i] = rand_r(seed) % ACCOUNTS;
        int64_t amt = 1 + rand_r(seed) % 100000;
        lines[i] = (gl_line_in){accounts[idx[i]], "", "", "", 'D', amt};
        total += amt;
    }
    idx[nlines - 1] = rand_r(seed) % ACCOUNTS;
    lines[nlines - 1] = (gl_line_in){accounts[idx[nlines - 1]], "", "", "", 'C', total};
    if (fault == 0)
        lines[nlines - 1].amount_cents += 1;
    if (fault == 1)
        lines[0].account = "999999";
    if (fault == 2)
        lines[0].amount_cents = 0;
    gl_entry_in e = {.tenant = tenants[t],
                     .journal = "OD",
                     .piece_ref = "M",
                     .label = "model",
                     .date = day_date(d),
                     .piece_date = day_date(d),
                     .line_count = (size_t)nlines,
                     .lines = lines};
    gl_response r;
    int st = h_post(&h, key, &e, 1, &r);
    gl_response_free(&r);
    bool should_pass = fault >= 3 && !(key != K_ACCOUNTANT && key != (t == 0 ? K_ALPHA : K_BETA));
    cr_assert_eq(st == GL_OK, should_pass, "status %s for fault %d", gl_status_name(st), fault);
    if (st != GL_OK)
        return;
    for (int i = 0; i < nlines; i++)
        model[t][idx[i]][d] +=
            lines[i].side == 'D' ? lines[i].amount_cents : -lines[i].amount_cents;
}

static int compare_all(int64_t fault_cents)
{
    static const int check_days[] = {0, 15, 30, 31, 45, DAYS - 1};
    int mismatches = 0;
    for (int t = 0; t < TENANTS; t++)
        for (int a = 0; a < ACCOUNTS; a++)
            for (size_t k = 0; k < sizeof check_days / sizeof check_days[0]; k++) {
                int d = check_days[k];
                int64_t want = model_balance(t, a, d) + (a == 0 && t == 0 ? fault_cents : 0);
                mismatches += h_balance(&h, tenants[t], accounts[a], day_date(d)) != want;
            }
    return mismatches;
}

Test(model, random_posts_match_a_naive_ledger)
{
    unsigned seed = 20251127;
    memset(model, 0, sizeof model);
    for (int i = 0; i < 400; i++)
        random_post(&seed);
    cr_assert_eq(compare_all(0), 0, "daemon balances differ from the model");
    /* the comparison has teeth: a model one cent off is caught */
    cr_assert_gt(compare_all(1), 0);
    cr_assert_gt(h_verify_chains(&h), 0);
}
