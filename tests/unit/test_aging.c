/*
 * tests/unit/test_aging.c — client/cli/aging (issue 17, the aged
 * balance): day arithmetic against libc's own calendar (timegm), the
 * bucket of an item at the boundaries (day 30/31, 60/61, 90/91) from the
 * invoice date and from the due date, checked sums, the impairment's
 * rounding; and the standard charts' accounts the impairment posts to.
 */
#include "client/cli/aging.h"
#include "client/input/chart.h"

#include <criterion/criterion.h>

#include <stdint.h>
#include <string.h>
#include <time.h>

/* The independent computation: libc's calendar, in whole days. */
static int64_t libc_days(uint32_t ymd)
{
    struct tm tm = {.tm_year = (int)(ymd / 10000) - 1900,
                    .tm_mon = (int)(ymd / 100 % 100) - 1,
                    .tm_mday = (int)(ymd % 100),
                    .tm_hour = 12};
    return ((int64_t)timegm(&tm) - 43200) / 86400; /* exact: midnight */
}

static uint32_t libc_add(uint32_t ymd, int days)
{
    struct tm tm = {.tm_year = (int)(ymd / 10000) - 1900,
                    .tm_mon = (int)(ymd / 100 % 100) - 1,
                    .tm_mday = (int)(ymd % 100) + days,
                    .tm_hour = 12};
    time_t t = timegm(&tm);
    struct tm out;
    gmtime_r(&t, &out);
    return (uint32_t)((out.tm_year + 1900) * 10000 + (out.tm_mon + 1) * 100 + out.tm_mday);
}

Test(aging, day_numbers_agree_with_libc_over_years_and_leap_days)
{
    static const uint32_t dates[] = {19700101, 19000228, 19000301, 20000229, 20000301,
                                     20231231, 20240229, 20240301, 20251231, 21000301};
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++)
        cr_expect_eq(aging_day_number(dates[i]), libc_days(dates[i]), "%u", dates[i]);
    for (int d = -400; d <= 800; d += 7) {
        cr_expect_eq(aging_add_days(20240115, d), libc_add(20240115, d), "%d", d);
        cr_expect_eq(aging_days_between(20240115, libc_add(20240115, d)), d);
    }
}

Test(aging, not_yet_due_until_the_due_date_inclusive)
{
    /* invoice 2025-01-10, 30 days: due 2025-02-09 */
    cr_expect_eq(aging_due_date(20250110, 30), 20250209u);
    cr_expect_eq(aging_bucket_of(20250209, 20250110, 30, false), AGING_NOT_DUE);
    cr_expect_eq(aging_bucket_of(20250209, 20250110, 30, true), AGING_NOT_DUE);
    cr_expect_eq(aging_days_overdue(20250210, 20250110, 30), 1);
    cr_expect_eq(aging_bucket_of(20250210, 20250110, 30, true), AGING_1_30);
    /* from the invoice date, 31 days old on its first overdue day */
    cr_expect_eq(aging_bucket_of(20250210, 20250110, 30, false), AGING_31_60);
    /* an item dated on the day of the balance, no terms: not yet due */
    cr_expect_eq(aging_bucket_of(20250110, 20250110, 0, false), AGING_NOT_DUE);
}

/* The boundaries: an item aged exactly n days, with no terms (so the
 * invoice date and the due date agree), and with 30 days' terms counted
 * from the due date. */
Test(aging, boundaries_30_31_60_61_90_91)
{
    static const struct {
        int days;
        enum aging_bucket b;
    } cases[] = {{1, AGING_1_30},   {30, AGING_1_30},  {31, AGING_31_60},   {60, AGING_31_60},
                 {61, AGING_61_90}, {90, AGING_61_90}, {91, AGING_OVER_90}, {400, AGING_OVER_90}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t at = 20250315;
        uint32_t inv = libc_add(at, -cases[i].days);
        cr_expect_eq(aging_bucket_of(at, inv, 0, false), cases[i].b, "%d days", cases[i].days);
        cr_expect_eq(aging_bucket_of(at, inv, 0, true), cases[i].b, "%d days", cases[i].days);
        uint32_t inv30 = libc_add(at, -cases[i].days - 30);
        cr_expect_eq(aging_bucket_of(at, inv30, 30, true), cases[i].b, "due + %d", cases[i].days);
    }
}

Test(aging, rows_sum_exactly_and_refuse_overflow_unchanged)
{
    aging_row r = {{0}, 0};
    cr_assert(aging_row_add(&r, AGING_1_30, 12050));
    cr_assert(aging_row_add(&r, AGING_OVER_90, -3000));
    cr_expect_eq(r.cents[AGING_1_30], 12050);
    cr_expect_eq(r.total, 9050);
    aging_row big = {{0}, 0};
    cr_assert(aging_row_add(&big, AGING_NOT_DUE, INT64_MAX - 1));
    aging_row before = big;
    cr_expect(!aging_row_add(&big, AGING_1_30, 10), "the total would overflow");
    cr_expect(!memcmp(&big, &before, sizeof big), "unchanged on overflow");
    aging_row sum = r;
    cr_expect(!aging_row_sum(&sum, &big));
    cr_expect(!memcmp(&sum, &r, sizeof r));
}

Test(aging, impairment_rounds_to_the_nearest_cent)
{
    int64_t v = -1;
    cr_assert(aging_impairment(10000, 5000, &v)); /* 100,00 at 50 % */
    cr_expect_eq(v, 5000);
    cr_assert(aging_impairment(1, 5000, &v)); /* 0,005 → 0,01 */
    cr_expect_eq(v, 1);
    cr_assert(aging_impairment(33333, 3333, &v)); /* 111,0999 → 111,10 */
    cr_expect_eq(v, 11110);
    cr_assert(aging_impairment(12345, 10000, &v));
    cr_expect_eq(v, 12345);
    cr_expect(!aging_impairment(100, 10001, &v), "over 100 %");
    cr_expect(!aging_impairment(INT64_MAX, 2, &v), "overflow");
}

static bool has(const gl_chart_account *chart, size_t n, const char *account)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(chart[i].account, account))
            return true;
    return false;
}

Test(chart_impairment, both_charts_have_the_accounts_of_the_impairment)
{
    static const char *const needed[] = {"411000", "416000", "491000", "681740",
                                         "781700", "781730", "781740"};
    for (size_t i = 0; i < sizeof needed / sizeof needed[0]; i++) {
        cr_expect(has(gl_standard_chart, gl_standard_chart_count, needed[i]), "%s", needed[i]);
        cr_expect(has(gl_chart_2025, gl_chart_2025_count, needed[i]), "2025: %s", needed[i]);
    }
}
