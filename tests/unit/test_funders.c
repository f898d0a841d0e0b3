/*
 * tests/unit/test_funders.c — issue 19, the funders' reports' pure
 * computations (client/funders/): the roundings (a row's staff cost, a
 * flat rate, a ratio, half up and half away from zero), the FSE figures
 * under each flat rate on a worked example, a product line split between
 * funders exactly, the CERFA 15059 headings of every class 6 and 7
 * account, and budget against actual (funders).
 */
#include "client/funders/budget_cmp.h"
#include "client/funders/cerfa.h"
#include "client/funders/fse.h"

#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

Test(funders, minutes_cost_half_up_per_row)
{
    int64_t c;
    cr_assert(fr_minutes_cost(625, 308, &c)); /* 3208.33 */
    cr_expect_eq(c, 3208);
    cr_assert(fr_minutes_cost(30, 301, &c)); /* 150.5 -> 151 */
    cr_expect_eq(c, 151);
    cr_assert(fr_minutes_cost(30, -301, &c)); /* half away from zero */
    cr_expect_eq(c, -151);
    cr_assert(fr_minutes_cost(60, 174, &c));
    cr_expect_eq(c, 174);
    cr_expect(!fr_minutes_cost(UINT64_MAX, INT64_MAX, &c));
}

Test(funders, percent_and_ratio)
{
    int64_t v;
    cr_assert(fr_percent_of(26908, 15, &v)); /* 4036.2 */
    cr_expect_eq(v, 4036);
    cr_assert(fr_percent_of(10, 15, &v)); /* 1.5 -> 2 */
    cr_expect_eq(v, 2);
    cr_assert(fr_percent_of(-10, 15, &v));
    cr_expect_eq(v, -2);
    cr_assert(fr_percent_of(26908, 40, &v)); /* 10763.2 */
    cr_expect_eq(v, 10763);
    cr_assert(fr_ratio_tenths(1200, 1100, &v)); /* 109.09 % */
    cr_expect_eq(v, 1091);
    cr_assert(fr_ratio_tenths(-100, 200, &v));
    cr_expect_eq(v, -500);
    cr_expect(!fr_ratio_tenths(1, 0, &v));
}

/* The worked example: EMP1 at 3.08 (60 h, 10:25), EMP2 at 1.74 (30 h),
 * purchases 1,200.00 and 400.00, a 641 line of 1,500.00 on the action. */
static void example(fse_report *r, uint8_t flat)
{
    memset(r, 0, sizeof *r);
    r->flat_rate = flat;
    cr_assert_eq(fse_add_staff(r, "EMP2", 202602, 1800, true, 174), GL_OK);
    cr_assert_eq(fse_add_staff(r, "EMP1", 202602, 625, true, 308), GL_OK);
    cr_assert_eq(fse_add_staff(r, "EMP1", 202601, 3600, true, 308), GL_OK);
    static const struct {
        const char *account;
        int64_t cents;
    } ch[] = {{"606000", 120000}, {"613200", 40000}, {"641100", 150000}, {"645100", 1}};
    for (size_t i = 0; i < 4; i++) {
        fr_line l = {.fy = 2026, .num = (uint32_t)i + 1, .line = 1, .amount_cents = ch[i].cents};
        snprintf(l.account, sizeof l.account, "%s", ch[i].account);
        cr_assert_eq(fr_lines_add(&r->charges, &l), GL_OK);
    }
    fr_line p = {.fy = 2026, .num = 9, .line = 2, .amount_cents = 5000000};
    snprintf(p.account, sizeof p.account, "741700");
    snprintf(p.funder, sizeof p.funder, "FSE");
    cr_assert_eq(fr_lines_add(&r->resources, &p), GL_OK);
}

Test(funders, fse_flat_15_indirect_and_other_costs_at_actual)
{
    fse_report r;
    example(&r, 15);
    cr_assert_eq(fse_compute(&r), GL_OK);
    cr_expect_str_eq(r.staff[0].employee, "EMP1");
    cr_expect_eq(r.staff[0].month, 202601);
    cr_expect_eq(r.staff[0].amount_cents, 18480);
    cr_expect_eq(r.staff[1].amount_cents, 3208);
    cr_expect_eq(r.staff[2].amount_cents, 5220);
    cr_expect_eq(r.staff_cents, 26908);
    cr_expect_eq(r.flat_cents, 4036);
    cr_expect_eq(r.other.n, 2); /* 641x and 645x are staff costs */
    cr_expect_eq(r.other_cents, 160000);
    cr_expect_eq(r.total_cents, 26908 + 4036 + 160000);
    cr_expect_eq(r.resources_cents, 5000000);
    cr_expect_eq(r.by_funder.n, 1);
    fse_report_free(&r);
}

Test(funders, fse_flat_40_no_other_cost_and_none_at_actual)
{
    fse_report r;
    example(&r, 40);
    cr_assert_eq(fse_compute(&r), GL_OK);
    cr_expect_eq(r.flat_cents, 10763);
    cr_expect_eq(r.other.n, 0);
    cr_expect_eq(r.other_cents, 0);
    cr_expect_eq(r.total_cents, 26908 + 10763);
    fse_report_free(&r);
    example(&r, 0);
    cr_assert_eq(fse_compute(&r), GL_OK);
    cr_expect_eq(r.flat_cents, 0);
    cr_expect_eq(r.total_cents, 26908 + 160000);
    fse_report_free(&r);
}

Test(funders, fse_a_row_without_rate_counts_zero_and_is_said)
{
    fse_report r = {0};
    cr_assert_eq(fse_add_staff(&r, "EMP9", 202603, 600, false, 999), GL_OK);
    cr_assert_eq(fse_compute(&r), GL_OK);
    cr_expect(r.missing_rate);
    cr_expect_eq(r.staff_cents, 0);
    fse_report_free(&r);
}

Test(funders, a_product_line_split_between_funders_exactly)
{
    fr_lines products = {0}, out = {0};
    fr_fshares s = {0};
    fr_line p = {.fy = 2026, .num = 5, .line = 2, .amount_cents = 1000001};
    snprintf(p.account, sizeof p.account, "747000");
    cr_assert_eq(fr_lines_add(&products, &p), GL_OK);
    fr_line q = {.fy = 2026, .num = 6, .line = 2, .amount_cents = 30000};
    snprintf(q.account, sizeof q.account, "706000");
    cr_assert_eq(fr_lines_add(&products, &q), GL_OK);
    /* the funders' shares as the financeur ledger gives them: credits < 0 */
    fr_fshare a = {2026, 5, 2, "FSE", -600001}, b = {2026, 5, 2, "CD59", -400000};
    cr_assert_eq(fr_fshares_add(&s, &a), GL_OK);
    cr_assert_eq(fr_fshares_add(&s, &b), GL_OK);
    fr_fshares_sort(&s);
    cr_assert_eq(fr_split_by_funder(&products, &s, &out), GL_OK);
    cr_assert_eq(out.n, 3);
    cr_expect_str_eq(out.v[0].funder, "CD59");
    cr_expect_eq(out.v[0].amount_cents, 400000);
    cr_expect_str_eq(out.v[1].funder, "FSE");
    cr_expect_eq(out.v[1].amount_cents, 600001);
    cr_expect_str_eq(out.v[2].funder, "");
    cr_expect_eq(out.v[2].amount_cents, 30000);
    fr_lines_free(&products);
    fr_lines_free(&out);
    fr_fshares_free(&s);
}

/* Every account of classes 6 and 7 (two digits, then a third) has a
 * heading of its side; 86 and 87 theirs; classes 1-5 and other 8x none. */
Test(funders, cerfa_headings_map_every_class_6_and_7_account)
{
    size_t n;
    const cerfa_heading *h = cerfa_headings(&n);
    cr_assert_eq(n, 19);
    for (int d = 60; d <= 79; d++)
        for (int e = 0; e <= 9; e++) {
            char acc[8];
            snprintf(acc, sizeof acc, "%d%d000", d, e);
            int i = cerfa_heading_of(acc);
            cr_assert(i >= 0, "%s", acc);
            cr_expect_eq(h[i].side, d < 70 ? CERFA_CHARGE : CERFA_PRODUCT, "%s", acc);
            char two[3] = {acc[0], acc[1], '\0'};
            bool own = (d >= 60 && d <= 68) || d == 70 || (d >= 74 && d <= 78);
            cr_expect_str_eq(h[i].code, own ? two : (d < 70 ? "6" : "7"), "%s", acc);
        }
    cr_expect_str_eq(h[cerfa_heading_of("864000")].code, "86");
    cr_expect_str_eq(h[cerfa_heading_of("870000")].code, "87");
    cr_expect_eq(cerfa_heading_of("860"), cerfa_heading_of("86"));
    cr_expect_eq(cerfa_heading_of("512000"), -1);
    cr_expect_eq(cerfa_heading_of("401000"), -1);
    cr_expect_eq(cerfa_heading_of("890000"), -1);
    cr_expect_eq(cerfa_heading_of("6"), cerfa_heading_of("690000"));
}

Test(funders, cerfa_planned_and_actual_by_heading)
{
    cerfa_report r;
    cr_assert_eq(cerfa_init(&r), GL_OK);
    cr_assert_eq(cerfa_add_planned(&r, "60", 100000), GL_OK);
    cr_assert_eq(cerfa_add_planned(&r, "641", 2000000), GL_OK);
    cr_assert_eq(cerfa_add_planned(&r, "645", 800000), GL_OK);
    cr_assert_eq(cerfa_add_planned(&r, "7", 5000), GL_OK); /* the products' other row */
    cr_assert_eq(cerfa_add_planned(&r, "741", 5000000), GL_OK);
    cr_assert_eq(cerfa_add_actual(&r, "606000", 120000, 0), GL_OK);
    cr_assert_eq(cerfa_add_actual(&r, "609000", 0, 20000), GL_OK); /* a rebate */
    cr_assert_eq(cerfa_add_actual(&r, "741700", 0, 5000000), GL_OK);
    cr_assert_eq(cerfa_add_actual(&r, "512000", 99, 0), GL_OK); /* no heading: left out */
    cr_assert_eq(cerfa_total(&r), GL_OK);
    int i60 = cerfa_heading_of("60"), i64 = cerfa_heading_of("64"), i74 = cerfa_heading_of("74");
    cr_expect_eq(r.rows[i60].planned_cents, 100000);
    cr_expect_eq(r.rows[i60].actual_cents, 100000);
    cr_expect_eq(r.rows[i64].planned_cents, 2800000);
    cr_expect_eq(r.rows[i74].actual_cents, 5000000);
    cr_expect_eq(r.planned[CERFA_CHARGE], 2900000);
    cr_expect_eq(r.planned[CERFA_PRODUCT], 5005000);
    cr_expect_eq(r.actual[CERFA_CHARGE], 100000);
    cr_expect_eq(r.actual[CERFA_PRODUCT], 5000000);
    cerfa_free(&r);
}

Test(funders, budget_against_actual_by_group)
{
    gl_an_balance_line rows[] = {
        {"AGIIE", "606000", 120000, 0},    {"AGIIE", "641100", 150000, 0},
        {"AGIIE", "741700", 0, 5000000},   {"MOBIL", "606000", 99999, 0},
        {"AGIIE", "613200", 40000, 10000}, {"", "606000", 7, 0},
    };
    int64_t a;
    cr_assert(bc_actual("AGIIE", "60", rows, 6, &a));
    cr_expect_eq(a, 120000);
    cr_assert(bc_actual("AGIIE", "6", rows, 6, &a));
    cr_expect_eq(a, 300000);
    cr_assert(bc_actual("AGIIE", "74", rows, 6, &a)); /* products: credit - debit */
    cr_expect_eq(a, 5000000);
    bc_row r = {.group = "60", .budget_cents = 110000, .actual_cents = 120000};
    cr_assert(bc_finish(&r));
    cr_expect_eq(r.variance_cents, 10000);
    cr_expect(r.has_ratio);
    cr_expect_eq(r.ratio_tenths, 1091);
    bc_row z = {.group = "62", .budget_cents = 0, .actual_cents = 500};
    cr_assert(bc_finish(&z));
    cr_expect(!z.has_ratio);
}

/* The fonds dédiés entries carry the grant's action code: a report (6894)
 * is no cost of the operation and a use of earlier years' funds (7894) no
 * new resource (the grant's product was counted in its year). */
Test(funders, fse_leaves_the_fonds_dedies_entries_out)
{
    fse_report r;
    example(&r, 15);
    fr_line report = {.fy = 2026, .num = 20, .line = 1, .amount_cents = 70000};
    snprintf(report.account, sizeof report.account, "689400");
    cr_assert_eq(fr_lines_add(&r.charges, &report), GL_OK);
    fr_line use = {.fy = 2026, .num = 21, .line = 2, .amount_cents = 30000};
    snprintf(use.account, sizeof use.account, "789400");
    snprintf(use.funder, sizeof use.funder, "FSE");
    cr_assert_eq(fr_lines_add(&r.resources, &use), GL_OK);
    cr_assert_eq(fse_compute(&r), GL_OK);
    cr_expect_eq(r.other.n, 2);
    cr_expect_eq(r.other_cents, 160000);
    cr_expect_eq(r.resources_cents, 5000000);
    fse_report_free(&r);
}
