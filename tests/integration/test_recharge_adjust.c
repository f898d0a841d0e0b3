/*
 * tests/integration/test_recharge_adjust.c — issue 20 against the real
 * daemon: the group's accounts carried in RECHARGE bodies (one piece per
 * member), `recharge plan --post` whose true-up (RECHARGE_ADJUST, 62) makes
 * each member's recharged total equal its share of the umbrella's actual
 * costs to the cent (shares computed here by hand), `recharge check`'s
 * margin warning, the old form still accepted and verified, a forged
 * account caught offline, and every refusal leaving the ledger unchanged.
 * The harness's group: umbrella alpha, members beta and gamma (gamma's
 * fiscal years start in July).
 */
#include "tests/integration/analytic_support.h"
#include "tests/integration/forge_support.h"
#include "tests/support/harness.h"

#include "proto/chain.h"
#include "proto/group.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static harness h;

static const char *const umbrella_accounts[] = {"411GRP", "411000", "706100", "512000",
                                                "606300", "613200", "625100", "741000"};
static const char *const member_accounts[] = {"628800", "401GRP", "628000", "401000"};

static void setup(void)
{
    h_setup(&h);
    h_open_accounts(&h, "alpha", umbrella_accounts, 8);
    h_open_accounts(&h, "beta", member_accounts, 4);
    h_open_accounts(&h, "gamma", member_accounts, 4);
}
static void teardown(void) { h_teardown(&h); }

TestSuite(recharge_adjust, .init = setup, .fini = teardown, .timeout = 240);

static const gl_group_accounts GRP = {
    true, {"411GRP", 6}, {"706100", 6}, {"628800", 6}, {"401GRP", 6}};

static int send(enum h_key k, uint16_t kind, const gl_buf *b)
{
    gl_response r;
    int st = h_call(&h, k, kind, "", 0, b->data, b->len, &r);
    gl_response_free(&r);
    return st;
}

static int set_keys(uint16_t version, int64_t w_beta, int64_t w_gamma)
{
    gl_keys_q q = {
        .version = version, .count = 2, .items = {{{"beta", 4}, w_beta}, {{"gamma", 5}, w_gamma}}};
    gl_buf b;
    gl_buf_init(&b);
    gl_keys_q_encode(&b, &q);
    int st = send(K_ACCOUNTANT, GL_KIND_KEYS_SET, &b);
    gl_buf_free(&b);
    return st;
}

static int recharge(uint32_t ym, int64_t cents, uint16_t version, const gl_group_accounts *acc)
{
    gl_recharge_q q = {ym, cents, version, 0, acc ? *acc : (gl_group_accounts){0}};
    gl_buf b;
    gl_buf_init(&b);
    gl_recharge_q_encode(&b, &q);
    int st = send(K_ACCOUNTANT, GL_KIND_RECHARGE, &b);
    gl_buf_free(&b);
    return st;
}

static int adjust(enum h_key k, int64_t beta, int64_t gamma, const gl_group_accounts *acc)
{
    gl_recharge_adjust_q q = {.year = 2025, .count = 2, .accounts = *acc};
    q.items[0] = (gl_group_item){{"beta", 4}, beta};
    q.items[1] = (gl_group_item){{"gamma", 5}, gamma};
    gl_buf b;
    gl_buf_init(&b);
    gl_recharge_adjust_q_encode(&b, &q);
    int st = send(k, GL_KIND_RECHARGE_ADJUST, &b);
    gl_buf_free(&b);
    return st;
}

static void cost(uint32_t date, const char *debit, const char *credit, int64_t cents)
{
    gl_line_in lines[2];
    gl_entry_in e = h_entry2("alpha", date, debit, credit, cents, lines);
    gl_response r;
    cr_assert_eq(h_post(&h, K_ACCOUNTANT, &e, 1, &r), GL_OK);
    gl_response_free(&r);
}

/* A member's total on an account over calendar 2025 (gamma: two fiscal
 * years, July to June). */
static int64_t year_2025(const char *tenant, const char *account)
{
    if (!strcmp(tenant, "gamma"))
        return h_balance(&h, tenant, account, 20250630) + h_balance(&h, tenant, account, 20260630);
    return h_balance(&h, tenant, account, 20251231);
}

#define EXPECT_UNCHANGED_AFTER(expr, status)                                                       \
    do {                                                                                           \
        uint8_t d0_[32], d1_[32];                                                                  \
        h_digest(&h, d0_);                                                                         \
        int st_ = (expr);                                                                          \
        h_digest(&h, d1_);                                                                         \
        cr_assert_eq(st_, status, "got %s, want %s", gl_status_name(st_), gl_status_name(status)); \
        cr_assert(!memcmp(d0_, d1_, 32), "the ledger changed after a refusal");                    \
    } while (0)

Test(recharge_adjust, true_up_makes_each_recharged_total_its_share_of_actual_costs)
{
    /* the umbrella's actual costs and a grant paying for shared services */
    cost(20250115, "606300", "512000", 100001); /* January: 1,000.01 */
    cost(20250210, "613200", "512000", 200000); /* February: 2,000.00 */
    cost(20250220, "512000", "741000", 50000);  /* February: 500.00 of funding, deducted */
    cost(20250331, "625100", "512000", 33333);  /* March: 333.33 */
    cr_assert_eq(set_keys(1, 61, 48), GL_OK);
    cr_assert_eq(set_keys(2, 1, 1), GL_OK);
    cr_assert_eq(set_keys(3, 0, 1), GL_OK);
    /* provisional recharges, by other keys, some in the old form */
    cr_assert_eq(recharge(202501, 150000, 1, &GRP), GL_OK);
    cr_assert_eq(recharge(202502, 50000, 1, &GRP), GL_OK);
    cr_assert_eq(recharge(202503, 100000, 3, &GRP), GL_OK);
    cr_assert_eq(recharge(202504, 10000, 1, NULL), GL_OK); /* old form: 411000/628000 */
    char out[8192];
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, out, sizeof out,
                       "journal --tenant beta --from 2025-01-01 --to 2025-12-31 --format csv"),
                 0);
    cr_assert(strstr(out, "RCH-2025-01-V1-"), "one piece per member invoice:\n%s", out);
    cr_assert(strstr(out, "RCH-2025-04-V1,") || strstr(out, "RCH-2025-04-V1\""),
              "the old form keeps one piece:\n%s", out);
    /* the plan: class 6, 741 deducted, keys 1 then 2 from March */
    char plan[400];
    snprintf(plan, sizeof plan, "%s/plan.ini", h.dir);
    FILE *f = fopen(plan, "w");
    cr_assert(f);
    fputs(
        "# test plan\naccounts = 411GRP,706100,628800,401GRP\ncosts = 6\nexclude = 628\n"
        "deduct = 741\nkeys = 1\nkeys.03 = 2\n",
        f);
    fclose(f);
    int rc = h_cli(&h, K_ACCOUNTANT, out, sizeof out,
                   "recharge plan --year 2025 --plan '%s' --post --yes", plan);
    char err[4096];
    h_cli_err(&h, err, sizeof err);
    cr_assert_eq(rc, 0, "plan --post: %d\n%s\n%s", rc, out, err);
    /* by hand: January 1,000.01 by 61/48, February 1,500.00 by 61/48, March
     * 333.33 by 1/1; each floor, the remaining cent to the largest key (the
     * first of equals) */
    const int64_t beta = 55964 + 83945 + 16667, gamma = 44037 + 66055 + 16666;
    cr_assert_eq(beta + gamma, 100001 + 150000 + 33333);
    cr_expect_eq(year_2025("beta", "628800") + year_2025("beta", "628000"), beta, "%s", out);
    cr_expect_eq(year_2025("gamma", "628800") + year_2025("gamma", "628000"), gamma, "%s", out);
    cr_expect_eq(-h_balance(&h, "alpha", "706100", 20251231), beta + gamma);
    /* a credit note for gamma (recharged too much), an invoice for beta */
    cr_assert(strstr(out, "True-up posted for 2 members"), "%s", out);
    /* check: nothing to say now; plan again: nothing to true up */
    rc = h_cli(&h, K_ACCOUNTANT, out, sizeof out, "recharge check --year 2025 --plan '%s'", plan);
    cr_expect_eq(rc, 0, "check after the true-up: %d\n%s", rc, out);
    rc = h_cli(&h, K_ACCOUNTANT, out, sizeof out,
               "recharge plan --year 2025 --plan '%s' --post --yes", plan);
    cr_expect(rc == 0 && strstr(out, "Nothing to true up"), "%s", out);
    /* a recharge beyond the costs: a margin, exit 5 and a warning */
    cr_assert_eq(recharge(202512, 100000, 1, &GRP), GL_OK);
    rc = h_cli(&h, K_ACCOUNTANT, out, sizeof out, "recharge check --year 2025 --plan '%s'", plan);
    h_cli_err(&h, err, sizeof err);
    cr_expect_eq(rc, 5, "check with a margin: %d\n%s", rc, out);
    cr_expect(strstr(err, "261 B"), "%s", err);
    cr_assert_gt(h_verify_chains(&h), 0);
    /* the accounts are verified offline; a forged account is caught: beta's
     * first expense entry made 401GRQ, the signed body 411GRQ */
    char path[400];
    snprintf(path, sizeof path, "%s/ok.glar", h.dir);
    fg_archive_to(&h, path);
    rc = h_cli(&h, K_AUDITOR, out, sizeof out, "verify '%s'", path);
    cr_assert_eq(rc, 0, "verify: %d\n%s", rc, out);
    rc = fg_verify_forged(&h, "beta", GL_EVENT_ENTRY2, 1, "GRP", "GRQ", 3, out, sizeof out);
    fg_expect_found(rc, out, "not the entry its signed");
}

Test(recharge_adjust, refusals_leave_the_ledger_unchanged)
{
    cr_assert_eq(set_keys(1, 61, 48), GL_OK);
    gl_group_accounts bad = GRP;
    bad.receivable = (gl_str){"511000", 6}; /* not a 41 account */
    EXPECT_UNCHANGED_AFTER(recharge(202501, 100, 1, &bad), GL_ERR_GROUP_ACCOUNT_CLASS);
    EXPECT_UNCHANGED_AFTER(adjust(K_ACCOUNTANT, 100, -100, &bad), GL_ERR_GROUP_ACCOUNT_CLASS);
    gl_group_accounts closed = GRP;
    closed.expense = (gl_str){"628900", 6}; /* of its class, but not open */
    EXPECT_UNCHANGED_AFTER(recharge(202501, 100, 1, &closed), GL_ERR_GROUP_ACCOUNT_CLOSED);
    EXPECT_UNCHANGED_AFTER(adjust(K_ACCOUNTANT, 100, -100, &closed), GL_ERR_GROUP_ACCOUNT_CLOSED);
    EXPECT_UNCHANGED_AFTER(adjust(K_ACCOUNTANT, 100, 0, &GRP), GL_ERR_ADJUST_ZERO);
    EXPECT_UNCHANGED_AFTER(adjust(K_ACCOUNTANT, 100, -100, &(gl_group_accounts){0}),
                           GL_ERR_ADJUST_NO_ACCOUNTS);
    /* a member's key, the auditor's: never */
    EXPECT_UNCHANGED_AFTER(adjust(K_BETA, 100, -100, &GRP), GL_ERR_FORBIDDEN_ROLE);
    EXPECT_UNCHANGED_AFTER(adjust(K_AUDITOR, 100, -100, &GRP), GL_ERR_FORBIDDEN_ROLE);
    /* the umbrella is no member; one refusal refuses every pair */
    gl_recharge_adjust_q q = {.year = 2025, .count = 2, .accounts = GRP};
    q.items[0] = (gl_group_item){{"beta", 4}, 100};
    q.items[1] = (gl_group_item){{"alpha", 5}, 100};
    gl_buf b;
    gl_buf_init(&b);
    gl_recharge_adjust_q_encode(&b, &q);
    EXPECT_UNCHANGED_AFTER(send(K_ACCOUNTANT, GL_KIND_RECHARGE_ADJUST, &b), GL_ERR_NOT_MEMBER);
    /* the old form is still accepted (and the new) */
    cr_assert_eq(recharge(202501, 100, 1, NULL), GL_OK);
    cr_assert_eq(adjust(K_ACCOUNTANT, 7, -3, &GRP), GL_OK);
    cr_assert_eq(year_2025("beta", "628800"), 7);
    cr_assert_eq(year_2025("gamma", "628800"), -3);
    /* dues carry their accounts too; all of it verified offline */
    gl_dues_q d = {.year = 2025, .count = 1, .accounts = GRP};
    d.items[0] = (gl_group_item){{"beta", 4}, 5000};
    gl_buf_reset(&b);
    gl_dues_q_encode(&b, &d);
    cr_assert_eq(send(K_ACCOUNTANT, GL_KIND_DUES, &b), GL_OK);
    gl_buf_free(&b);
    cr_assert_eq(year_2025("beta", "628800"), 5007);
    cr_assert_gt(h_verify_chains(&h), 0);
    char path[400], out[4096];
    snprintf(path, sizeof path, "%s/all.glar", h.dir);
    fg_archive_to(&h, path);
    int rc = h_cli(&h, K_AUDITOR, out, sizeof out, "verify '%s'", path);
    cr_assert_eq(rc, 0, "verify: %d\n%s", rc, out);
}

/* The client configuration's [group] gives the accounts (and is no profile). */
Test(recharge_adjust, group_section_of_the_client_configuration)
{
    cr_assert_eq(set_keys(1, 61, 48), GL_OK);
    char path[400], out[8192];
    snprintf(path, sizeof path, "%s/grandlivre", h.dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/grandlivre/config", h.dir);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs("[group]\naccounts = 411GRP,706100,628800,401GRP\n", f);
    fclose(f);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, out, sizeof out,
                       "recharge --period 2025-06 --amount 100.00 --keys-version 1"),
                 0, "%s", out);
    cr_assert_eq(year_2025("beta", "628800") + year_2025("gamma", "628800"), 10000);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, out, sizeof out,
                       "journal --tenant beta --from 2025-06-01 --to 2025-06-30 --format csv"),
                 0);
    cr_assert(strstr(out, "RCH-2025-06-V1-"), "%s", out);
    f = fopen(path, "w");
    cr_assert(f);
    fputs("[group]\naccounts = 511000,706100,628800,401GRP\n", f);
    fclose(f);
    uint8_t d0[32], d1[32];
    h_digest(&h, d0);
    cr_assert_neq(h_cli(&h, K_ACCOUNTANT, out, sizeof out,
                        "recharge --period 2025-07 --amount 100.00 --keys-version 1"),
                  0);
    h_digest(&h, d1);
    cr_assert(!memcmp(d0, d1, 32));
    char err[2048];
    h_cli_err(&h, err, sizeof err);
    cr_expect(strstr(err, "config:2"), "%s", err);
}

/* The plan counts the costs of some analytic codes, or leaves some out. */
static void plan_with(const char *lines, char *out, size_t cap)
{
    char plan[400];
    snprintf(plan, sizeof plan, "%s/plan-an.ini", h.dir);
    FILE *f = fopen(plan, "w");
    cr_assert(f);
    fprintf(f, "keys = 1\n%s", lines);
    fclose(f);
    int rc = h_cli(&h, K_ACCOUNTANT, out, cap, "recharge plan --year 2025 --plan '%s'", plan);
    cr_assert_eq(rc, 0, "%d\n%s", rc, out);
}

Test(recharge_adjust, plan_by_analytic_codes)
{
    cr_assert_eq(set_keys(1, 1, 1), GL_OK);
    cr_assert_eq(an_axis(&h, K_ACCOUNTANT, "alpha", "service", GL_AN_OPEN, "Services"), GL_OK);
    cr_assert_eq(an_code(&h, K_ACCOUNTANT, "alpha", "service", "MUT", GL_AN_OPEN, "Mutualisés"),
                 GL_OK);
    cr_assert_eq(an_code(&h, K_ACCOUNTANT, "alpha", "service", "PROJ-1", GL_AN_OPEN, "Projet"),
                 GL_OK);
    gl_an_split mut = an_one("service", "MUT", 100000), proj = an_one("service", "PROJ-1", 40000);
    cr_assert_eq(
        an_post(&h, K_ACCOUNTANT, "alpha", 20250110, "606300", "512000", 100000, &mut, 1, NULL),
        GL_OK);
    cr_assert_eq(
        an_post(&h, K_ACCOUNTANT, "alpha", 20250120, "613200", "512000", 40000, &proj, 1, NULL),
        GL_OK);
    cost(20250215, "625100", "512000", 30000); /* no code */
    char out[8192];
    plan_with("axis = service\ncodes = MUT\n", out, sizeof out);
    cr_expect(strstr(out, "cost base 1000.00"), "%s", out);
    plan_with("axis = service\nexclude_codes = PROJ-1\n", out, sizeof out);
    cr_expect(strstr(out, "cost base 1300.00"), "%s", out);
    plan_with("", out, sizeof out);
    cr_expect(strstr(out, "cost base 1700.00"), "%s", out);
}
