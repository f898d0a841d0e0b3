/*
 * tests/unit/test_staff_costs.c — the staff costs of a year
 * (client/staff/staff_costs.h): the 1,720-hour rate full time and part
 * time, rounded half up to the cent; only 641x/645x count; the year's
 * basis is the latest sheet's; the costs allocated to the actions exactly
 * (the shares sum to the costs, checked against an independent
 * computation); one line's axis `action` from its employees' shares.
 */
#include "client/staff/staff_costs.h"

#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

/* Add a sheet of rows "ACTION=MIN,..." for emp. */
static void add(sc_year *y, const char *emp, uint32_t month, uint16_t basis, const char *rows)
{
    gl_buf b;
    gl_buf_init(&b);
    char copy[256];
    snprintf(copy, sizeof copy, "%s", rows);
    gl_ts_row r[16];
    uint16_t n = 0;
    for (char *save, *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(t, '=');
        *eq = '\0';
        r[n++] = (gl_ts_row){S(t), (uint32_t)strtoul(eq + 1, NULL, 10)};
    }
    gl_ts_head_put(&b, S(emp), month, basis, n);
    for (uint16_t i = 0; i < n; i++)
        gl_ts_row_put(&b, &r[i]);
    gl_timesheet s;
    uint32_t bad;
    cr_assert_eq(gl_ts_set_q_decode(b.data, b.len, &s, &bad), GL_OK);
    cr_assert_eq(sc_add_sheet(y, &s), GL_OK);
    gl_buf_free(&b);
}

Test(staff_costs, the_rate_divides_the_costs_by_1720_hours_pro_rata)
{
    int64_t r;
    /* 43,000.00 full time: 25.00 an hour exactly */
    cr_assert(sc_rate_cents(4300000, 1000, &r));
    cr_expect_eq(r, 2500);
    /* 80 %: 1,376 h; 34,400.00 / 1,376 = 25.00 */
    cr_assert(sc_rate_cents(3440000, 800, &r));
    cr_expect_eq(r, 2500);
    /* half up: 30,000.00 / 1,720 = 17.4418... -> 17.44; 30,008.60 / 1,720 = 17.4469... */
    cr_assert(sc_rate_cents(3000000, 1000, &r));
    cr_expect_eq(r, 1744);
    cr_assert(sc_rate_cents(86, 1000, &r)); /* 0.05 exactly: 86 / 1720 = 0.05 */
    cr_expect_eq(r, 0);
    cr_assert(sc_rate_cents(860, 1000, &r)); /* 0.5 cent: half up */
    cr_expect_eq(r, 1);
    cr_assert(sc_rate_cents(859, 1000, &r));
    cr_expect_eq(r, 0);
    cr_assert(sc_rate_cents(-860, 1000, &r));
    cr_expect_eq(r, -1);
    cr_expect_not(sc_rate_cents(100, 0, &r));
    /* the largest costs do not overflow */
    cr_assert(sc_rate_cents(INT64_MAX, 1, &r));
    cr_expect_gt(r, INT64_MAX / 2000);
}

Test(staff_costs, only_641_and_645_count_as_costs)
{
    sc_year y = {0};
    cr_assert_eq(sc_add_costs(&y, "EMP1", "641100", 300000, 0), GL_OK);
    cr_assert_eq(sc_add_costs(&y, "EMP1", "645100", 130000, 10000), GL_OK);
    cr_assert_eq(sc_add_costs(&y, "EMP1", "421000", 0, 230000), GL_OK);
    cr_assert_eq(sc_add_costs(&y, "EMP1", "606000", 5000, 0), GL_OK);
    cr_assert_eq(sc_add_costs(&y, "", "641100", 5000, 0), GL_OK); /* not allocated */
    cr_assert_eq(y.n, 1u);
    cr_expect_eq(sc_employee_find(&y, "EMP1")->costs_cents, 420000);
    cr_expect_eq(sc_add_costs(&y, "EMP1", "641100", INT64_MAX, 0), GL_ERR_SUM_OVERFLOW);
    sc_year_free(&y);
}

Test(staff_costs, part_time_uses_the_mean_of_the_sheets_bases)
{
    sc_year y = {0};
    add(&y, "EMP1", 202611, 800, "FSE=600");
    add(&y, "EMP1", 202603, 1000, "FSE=600,VILLE=60");
    cr_assert_eq(sc_add_costs(&y, "EMP1", "641000", 3440000, 0), GL_OK);
    cr_assert_eq(sc_compute(&y), GL_OK);
    const sc_employee *e = sc_employee_find(&y, "EMP1");
    cr_expect_eq(e->basis_per_mille, 900); /* (800 + 1000) / 2 */
    cr_expect_eq(e->minutes, 1260u);
    cr_expect(e->has_rate);
    /* 34,400 / (1,720 h x 0.9 = 1,548 h) = 22.2222: 22.22 */
    cr_expect_eq(e->rate_cents, 2222);
    /* an employee with costs and no sheet has no rate */
    cr_assert_eq(sc_add_costs(&y, "EMP2", "641000", 100, 0), GL_OK);
    cr_assert_eq(sc_compute(&y), GL_OK);
    cr_expect_not(sc_employee_find(&y, "EMP2")->has_rate);
    sc_year_free(&y);
}

/* Independent: floor of each share, the remainder to the largest weight. */
Test(staff_costs, the_allocation_is_exact_and_proportional)
{
    sc_year y = {0};
    add(&y, "EMP1", 202601, 1000, "A=100,B=100,C=100");
    cr_assert_eq(sc_add_costs(&y, "EMP1", "641000", 100000, 0), GL_OK); /* 1,000.00 */
    cr_assert_eq(sc_compute(&y), GL_OK);
    const sc_employee *e = sc_employee_find(&y, "EMP1");
    cr_assert_eq(e->n, 3u);
    cr_expect_eq(e->actions[0].amount_cents, 33334); /* the remainder to the first of equals */
    cr_expect_eq(e->actions[1].amount_cents, 33333);
    cr_expect_eq(e->actions[2].amount_cents, 33333);
    sc_year_free(&y);

    /* random weights: the shares always sum to the costs, each within a cent of its part */
    unsigned seed = 7;
    for (int round = 0; round < 200; round++) {
        sc_year z = {0};
        char rows[128] = "";
        uint64_t mins[4], total = 0;
        for (int i = 0; i < 4; i++) {
            seed = seed * 1103515245u + 12345u;
            mins[i] = 1 + (seed >> 8) % 5000;
            total += mins[i];
            size_t used = strlen(rows);
            snprintf(rows + used, sizeof rows - used, "%sA%d=%llu", i ? "," : "", i,
                     (unsigned long long)mins[i]);
        }
        add(&z, "EMP1", 202601, 1000, rows);
        int64_t costs = (int64_t)(seed % 10000000) + 1;
        cr_assert_eq(sc_add_costs(&z, "EMP1", "645000", costs, 0), GL_OK);
        cr_assert_eq(sc_compute(&z), GL_OK);
        const sc_employee *x = sc_employee_find(&z, "EMP1");
        int64_t sum = 0;
        for (int i = 0; i < 4; i++) {
            __int128 exact = (__int128)costs * (int64_t)mins[i];
            int64_t floor_share = (int64_t)(exact / (int64_t)total);
            int64_t got = x->actions[i].amount_cents;
            cr_expect(got == floor_share || got - floor_share < 4, "round %d action %d", round, i);
            sum += got;
        }
        cr_expect_eq(sum, costs, "round %d", round);
        sc_year_free(&z);
    }
}

Test(staff_costs, one_lines_action_axis_from_its_employees_shares)
{
    sc_year y = {0};
    add(&y, "EMP1", 202601, 1000, "FSE=300,VILLE=100");
    add(&y, "EMP2", 202601, 1000, "DEP=60,FSE=60");
    gl_an_share shares[] = {{S("EMP1"), 40000}, {S("EMP2"), 10001}};
    gl_an_split a;
    gl_str who;
    cr_assert_eq(sc_line_split(&y, shares, 2, &a, &who), GL_OK);
    cr_expect(gl_str_eq(a.axis, "action"));
    cr_assert_eq(a.count, 3);
    cr_expect(gl_str_eq(a.shares[0].code, "DEP"));
    cr_expect_eq(a.shares[0].amount_cents, 5001); /* EMP2: 10,001 by 1:1, the remainder to DEP */
    cr_expect(gl_str_eq(a.shares[1].code, "FSE"));
    cr_expect_eq(a.shares[1].amount_cents, 30000 + 5000);
    cr_expect(gl_str_eq(a.shares[2].code, "VILLE"));
    cr_expect_eq(a.shares[2].amount_cents, 10000);
    cr_expect_eq(a.shares[0].amount_cents + a.shares[1].amount_cents + a.shares[2].amount_cents,
                 50001);
    /* an employee without hours names itself */
    gl_an_share stranger[] = {{S("EMP9"), 100}};
    cr_expect_eq(sc_line_split(&y, stranger, 1, &a, &who), GL_ERR_NOT_FOUND);
    cr_expect(gl_str_eq(who, "EMP9"));
    sc_year_free(&y);
}

Test(staff_costs, full_time_eleven_months_then_half_time_in_december)
{
    sc_year y = {0};
    for (unsigned m = 1; m <= 11; m++)
        add(&y, "EMP1", 202600u + m, 1000, "FSE=600");
    add(&y, "EMP1", 202612, 500, "FSE=300");
    /* 49,450 EUR of costs over 1,720 h x (11 x 1000 + 500) / 12,000 =
     * 1,648.33 h: 30.00 EUR an hour (the December basis alone, 860 h,
     * would give 57.50) */
    cr_assert_eq(sc_add_costs(&y, "EMP1", "641000", 4945000, 0), GL_OK);
    cr_assert_eq(sc_compute(&y), GL_OK);
    const sc_employee *e = sc_employee_find(&y, "EMP1");
    cr_expect_eq(e->basis_sum, 11500u);
    cr_expect_eq(e->months, 12u);
    cr_expect_eq(e->basis_per_mille, 958); /* 958.33 */
    cr_expect(e->has_rate);
    cr_expect_eq(e->rate_cents, 3000);
    int64_t r;
    cr_expect(sc_rate_mean_cents(4945000, 11500, 12, &r));
    cr_expect_eq(r, 3000);
    cr_expect_not(sc_rate_mean_cents(100, 0, 0, &r));
    sc_year_free(&y);
}
