/*
 * tests/integration/test_staff_costs_cli.c — issue 19, `grandlivre
 * staff-costs` end to end against the real daemon (helpers A1's and A2's
 * analytic rules and index): the costs of 641x/645x per employee from
 * the axis salarie (a line split between two employees counted by its
 * shares), the 1,720-hour rate full time and part time, the allocation by
 * hours to the cent; --post allocates each line on the axis action
 * (ANALYTIC_ALLOC), leaves a line whose entry carries action as it is,
 * and a second --post writes nothing.  The action balance afterwards is
 * checked against the figures computed here by hand.
 */
#include "tests/integration/analytic_support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

static harness h;

static void setup(void)
{
    h_setup(&h);
    static const char *const accounts[] = {"641000", "645000", "421000", "431000", "512000"};
    h_open_accounts(&h, "alpha", accounts, 5);
    cr_assert_eq(an_axis(&h, K_ACCOUNTANT, "alpha", "salarie", GL_AN_OPEN, "Salariés"), GL_OK);
    cr_assert_eq(an_axis(&h, K_ACCOUNTANT, "alpha", "action", GL_AN_OPEN, "Actions"), GL_OK);
    static const char *const emps[] = {"EMP1", "EMP2"}, *const acts[] = {"FSE", "VILLE", "DEP"};
    for (size_t i = 0; i < 2; i++)
        cr_assert_eq(an_code(&h, K_ACCOUNTANT, "alpha", "salarie", emps[i], GL_AN_OPEN, emps[i]),
                     GL_OK);
    for (size_t i = 0; i < 3; i++)
        cr_assert_eq(an_code(&h, K_ACCOUNTANT, "alpha", "action", acts[i], GL_AN_OPEN, acts[i]),
                     GL_OK);
}
static void teardown(void) { h_teardown(&h); }

TestSuite(staff_costs_cli, .init = setup, .fini = teardown, .timeout = 240);

/* The year: EMP1 5,300.00 (3,000 + 1,300 charges + half of 2,000),
 * EMP2 1,500.00 (half of 2,000 + 500 on a line carrying DEP itself). */
static void post_year(void)
{
    gl_an_split s;
    s = an_one("salarie", "EMP1", 300000);
    cr_assert_eq(
        an_post(&h, K_ACCOUNTANT, "alpha", 20260131, "641000", "421000", 300000, &s, 1, NULL),
        GL_OK, "%s", an_detail);
    s = an_one("salarie", "EMP1", 130000);
    cr_assert_eq(
        an_post(&h, K_ACCOUNTANT, "alpha", 20260131, "645000", "431000", 130000, &s, 1, NULL),
        GL_OK, "%s", an_detail);
    s = an_two("salarie", "EMP1", 100000, "EMP2", 100000);
    cr_assert_eq(
        an_post(&h, K_ACCOUNTANT, "alpha", 20260228, "641000", "421000", 200000, &s, 1, NULL),
        GL_OK, "%s", an_detail);
    gl_an_split two[2] = {an_one("salarie", "EMP2", 50000), an_one("action", "DEP", 50000)};
    cr_assert_eq(
        an_post(&h, K_ACCOUNTANT, "alpha", 20260331, "641000", "421000", 50000, two, 2, NULL),
        GL_OK, "%s", an_detail);
    /* not a cost: the net pay paid */
    cr_assert_eq(
        an_post(&h, K_ACCOUNTANT, "alpha", 20260405, "421000", "512000", 230000, NULL, 0, NULL),
        GL_OK, "%s", an_detail);
}

static void cli_ok(const char *args, char *out, size_t cap)
{
    char err[4096];
    int rc = h_cli(&h, K_ACCOUNTANT, out, cap, "%s", args);
    h_cli_err(&h, err, sizeof err);
    cr_assert_eq(rc, 0, "%s: %s", args, err);
}

/* ANALYTIC_BALANCE of axis action as "code:account:debit;". */
static void action_balance(char *out, size_t cap)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_an_balance_q q = {{"action", 6}, 2026, 0};
    gl_an_balance_q_encode(&b, &q);
    gl_response r;
    cr_assert_eq(h_call(&h, K_AUDITOR, GL_KIND_ANALYTIC_BALANCE, "alpha", 0, b.data, b.len, &r),
                 GL_OK);
    gl_an_balance_iter it;
    gl_an_balance_row row;
    out[0] = '\0';
    cr_assert_eq(gl_an_balance_reply_begin(r.reply.body, r.reply.body_len, &it), GL_OK);
    while (gl_an_balance_reply_next(&it, &row) == GL_OK) {
        size_t used = strlen(out);
        snprintf(out + used, cap - used, "%.*s:%.*s:%lld;", (int)row.code.len, row.code.ptr,
                 (int)row.account.len, row.account.ptr,
                 (long long)(row.debit_cents - row.credit_cents));
    }
    gl_response_free(&r);
    gl_buf_free(&b);
}

Test(staff_costs_cli, rates_and_the_allocation_by_hours)
{
    char out[8192];
    post_year();
    cli_ok("timesheets set --tenant alpha EMP1 2026-01 FSE=60 VILLE=20", out, sizeof out);
    cli_ok("timesheets set --tenant alpha EMP2 2026-02 DEP=10 FSE=30 --basis 50", out, sizeof out);
    cli_ok("staff-costs --tenant alpha --year 2026 --format csv", out, sizeof out);
    /* EMP1: 5,300.00 / 1,720 h = 3.0814 -> 3.08; by 60 h and 20 h: 3,975.00 and 1,325.00.
     * EMP2 at 50 %: 1,500.00 / 860 h = 1.7442 -> 1.74; by 10 h and 30 h: 375.00, 1,125.00. */
    cr_expect_str_eq(out,
                     "employee,working_time,year_hours,costs,hourly_rate,action,hours,amount\n"
                     "EMP1,100.0 %,80:00,5300.00,3.08,FSE,60:00,3975.00\n"
                     "EMP1,100.0 %,80:00,5300.00,3.08,VILLE,20:00,1325.00\n"
                     "EMP2,50.0 %,40:00,1500.00,1.74,DEP,10:00,375.00\n"
                     "EMP2,50.0 %,40:00,1500.00,1.74,FSE,30:00,1125.00\n");
    /* a table ends with the totals: 120 h, 6,800.00 allocated whole */
    cli_ok("staff-costs --tenant alpha --year 2026", out, sizeof out);
    char *total = strstr(out, "total");
    cr_assert(total, "%s", out);
    cr_expect(strstr(total, "120:00") && strstr(total, "6800.00"), "%s", out);
}

Test(staff_costs_cli, post_allocates_each_line_once_and_again_writes_nothing)
{
    char out[8192], bal[2048];
    post_year();
    cli_ok("timesheets set --tenant alpha EMP1 2026-01 FSE=60 VILLE=20", out, sizeof out);
    cli_ok("timesheets set --tenant alpha EMP2 2026-02 DEP=10 FSE=30 --basis 50", out, sizeof out);
    cli_ok("staff-costs --tenant alpha --year 2026 --post", out, sizeof out);
    cr_expect(strstr(out,
                     "3 lines allocated on the axis action; 1 left as their entry carries it; "
                     "0 without hours"),
              "%s", out);
    cr_expect(strstr(out, "entry 2026/4 line 1: its entry carries the axis action"), "%s", out);
    /* by hand: 3,000.00 -> FSE 2,250.00 VILLE 750.00; 1,300.00 (645) -> 975.00 and 325.00;
     * 2,000.00 -> EMP1's 1,000.00 (750.00, 250.00), EMP2's 1,000.00 (DEP 250.00, FSE 750.00);
     * DEP also 500.00 of its own entry */
    action_balance(bal, sizeof bal);
    cr_expect_str_eq(bal,
                     "DEP:641000:75000;FSE:641000:375000;FSE:645000:97500;"
                     "VILLE:641000:100000;VILLE:645000:32500;");
    long events = h_verify_chains(&h);
    cr_assert_gt(events, 0);
    cli_ok("staff-costs --tenant alpha --year 2026 --post", out, sizeof out);
    cr_expect_eq(h_verify_chains(&h), events, "a second --post wrote an event");
    action_balance(bal, sizeof bal);
    cr_expect_str_eq(bal,
                     "DEP:641000:75000;FSE:641000:375000;FSE:645000:97500;"
                     "VILLE:641000:100000;VILLE:645000:32500;");
}

Test(staff_costs_cli, an_employee_without_hours_is_reported_not_allocated)
{
    char out[8192], err[4096];
    post_year();
    cli_ok("timesheets set --tenant alpha EMP1 2026-01 FSE=60", out, sizeof out);
    int rc =
        h_cli(&h, K_ACCOUNTANT, out, sizeof out, "staff-costs --tenant alpha --year 2026 --post");
    h_cli_err(&h, err, sizeof err);
    cr_assert_eq(rc, 0, "%s", err);
    cr_expect(strstr(out, "EMP2 has no hours in the year"), "%s", out);
    cr_expect(strstr(out,
                     "2 lines allocated on the axis action; 1 left as their entry carries it; "
                     "1 without hours"),
              "%s", out);
    cr_expect(strstr(err, "without hours are not allocated"), "%s", err);
}
