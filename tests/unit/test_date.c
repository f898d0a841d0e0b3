/*
 * tests/unit/test_date.c — proto/date: YYYYMMDD validity, parsing and
 * formatting, fiscal years (named by their end year), next/prev day.
 */
#include "proto/date.h"

#include <criterion/criterion.h>

#include <stdint.h>
#include <string.h>

/* ---- validity: refusals first ----------------------------------------- */

Test(date, invalid_dates)
{
    static const uint32_t bad[] = {
        0,        1,          19000229,           /* 1900 is not a leap year (divisible by 100) */
        21000229,                                 /* neither is 2100 */
        20230229,                                 /* 2023 is not a leap year */
        20240230,                                 /* February has 29 days at most */
        20240100,                                 /* day 0 */
        20241200, 20240001,                       /* month 0 */
        20241301,                                 /* month 13 */
        20249901, 20240132,                       /* day 32 */
        20240431,                                 /* April has 30 days */
        20240631, 20240931,   20241131, 18991231, /* year 1899: before the range */
        30000101,                                 /* year 3000: after the range */
        99991231, UINT32_MAX,
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_expect(!gl_date_valid(bad[i]), "%u must be invalid", (unsigned)bad[i]);
}

Test(date, valid_dates)
{
    static const uint32_t good[] = {
        19000101, /* first day of the range */
        29991231, /* last day of the range */
        20000229, /* 2000 is a leap year (divisible by 400) */
        20240229, /* 2024 is a leap year */
        19040229, 20240131, 20240331, 20240430, 20240531, 20240630, 20240731,
        20240831, 20240930, 20241031, 20241130, 20241231, 20230228,
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        cr_expect(gl_date_valid(good[i]), "%u must be valid", (unsigned)good[i]);
}

Test(date, days_in_month)
{
    cr_expect_eq(gl_days_in_month(2024, 0), 0);
    cr_expect_eq(gl_days_in_month(2024, 13), 0);
    cr_expect_eq(gl_days_in_month(2000, 2), 29);
    cr_expect_eq(gl_days_in_month(1900, 2), 28);
    cr_expect_eq(gl_days_in_month(2024, 2), 29);
    cr_expect_eq(gl_days_in_month(2023, 2), 28);
    cr_expect_eq(gl_days_in_month(2024, 1), 31);
    cr_expect_eq(gl_days_in_month(2024, 4), 30);
    cr_expect_eq(gl_days_in_month(2024, 12), 31);
}

/* ---- parse ------------------------------------------------------------- */

Test(date, parse_refusals)
{
    static const char *const bad[] = {
        "",           "2024",       "2024-1-1",   "2024-01-1",   "2024-01-010",
        "2024/01/01", "2024-01_01", "20240101 ",  " 20240101",   "2024010",
        "202401011",  "24-01-2024", "2024-13-01",                              /* month 13 */
        "2024-00-10", "2024-02-30", "2023-02-29", "1900-02-29",  "1899-12-31", /* out of range */
        "3000-01-01", "2024-01-00",                                            /* day 0 */
        "20241301",   "20240100",   "18991231",   "+2024-01-01", "2024-+1-01",
        "2024--1-01", "202A0101",   "2024-0a-01", "2024 01 01",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint32_t v = 12345;
        cr_expect(!gl_date_parse(bad[i], strlen(bad[i]), &v), "\"%s\" must be refused", bad[i]);
        cr_expect_eq(v, 12345u, "\"%s\" changed the target on refusal", bad[i]);
    }
}

Test(date, parse_iso_and_compact)
{
    static const struct {
        const char *text;
        uint32_t ymd;
    } ok[] = {
        {"2024-01-01", 20240101}, {"20240101", 20240101},   {"2000-02-29", 20000229},
        {"20000229", 20000229},   {"2024-02-29", 20240229}, {"1900-01-01", 19000101},
        {"2999-12-31", 29991231}, {"29991231", 29991231},   {"2025-06-30", 20250630},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        uint32_t v = 0;
        cr_expect(gl_date_parse(ok[i].text, strlen(ok[i].text), &v), "\"%s\"", ok[i].text);
        cr_expect_eq(v, ok[i].ymd, "\"%s\" gave %u", ok[i].text, (unsigned)v);
    }
    /* Length is authoritative: trailing bytes beyond len are not read. */
    uint32_t v = 0;
    cr_expect(gl_date_parse("2024-03-15XYZ", 10, &v));
    cr_expect_eq(v, 20240315u);
}

Test(date, format)
{
    char out[11];
    cr_expect_str_eq(gl_date_format(20240229, out), "2024-02-29");
    cr_expect_str_eq(gl_date_format(19000101, out), "1900-01-01");
    cr_expect_str_eq(gl_date_format(29991231, out), "2999-12-31");
    /* Format then parse gives the same date back. */
    uint32_t v = 0;
    gl_date_format(20250630, out);
    cr_expect(gl_date_parse(out, strlen(out), &v));
    cr_expect_eq(v, 20250630u);
}

/* ---- fiscal years ----------------------------------------------------- */

Test(date, fiscal_year_calendar)
{
    /* first_month 1: the fiscal year is the calendar year. */
    cr_expect_eq(gl_fiscal_year(20240101, 1), 2024);
    cr_expect_eq(gl_fiscal_year(20240701, 1), 2024);
    cr_expect_eq(gl_fiscal_year(20241231, 1), 2024);
    cr_expect_eq(gl_fiscal_year(20250101, 1), 2025);
    cr_expect_eq(gl_fiscal_year_start(2024, 1), 20240101u);
    cr_expect_eq(gl_fiscal_year_end(2024, 1), 20241231u);
}

Test(date, fiscal_year_july)
{
    /* first_month 7: 2024-07-01 .. 2025-06-30 is fiscal year 2025. */
    cr_expect_eq(gl_fiscal_year(20240630, 7), 2024);
    cr_expect_eq(gl_fiscal_year(20240701, 7), 2025);
    cr_expect_eq(gl_fiscal_year(20241231, 7), 2025);
    cr_expect_eq(gl_fiscal_year(20250101, 7), 2025);
    cr_expect_eq(gl_fiscal_year(20250630, 7), 2025);
    cr_expect_eq(gl_fiscal_year(20250701, 7), 2026);
    cr_expect_eq(gl_fiscal_year_start(2025, 7), 20240701u);
    cr_expect_eq(gl_fiscal_year_end(2025, 7), 20250630u);
}

Test(date, fiscal_year_every_first_month)
{
    /* For every first month: start and end are valid, start is in the
     * fiscal year, end is in it, and the day after end starts the next. */
    for (unsigned fm = 1; fm <= 12; fm++) {
        for (unsigned fy = 1901; fy <= 2998; fy += 97) {
            uint32_t s = gl_fiscal_year_start((uint16_t)fy, fm);
            uint32_t e = gl_fiscal_year_end((uint16_t)fy, fm);
            cr_expect(gl_date_valid(s), "fm %u fy %u start %u", fm, fy, (unsigned)s);
            cr_expect(gl_date_valid(e), "fm %u fy %u end %u", fm, fy, (unsigned)e);
            cr_expect_eq(gl_fiscal_year(s, fm), fy, "fm %u fy %u start", fm, fy);
            cr_expect_eq(gl_fiscal_year(e, fm), fy, "fm %u fy %u end", fm, fy);
            cr_expect_eq(gl_fiscal_year(gl_date_prev(s), fm), fy - 1, "fm %u fy %u", fm, fy);
            cr_expect_eq(gl_date_next(e), gl_fiscal_year_start((uint16_t)(fy + 1), fm),
                         "fm %u fy %u", fm, fy);
        }
    }
    /* A fiscal year starting in March ends on the last day of February. */
    cr_expect_eq(gl_fiscal_year_end(2024, 3), 20240229u);
    cr_expect_eq(gl_fiscal_year_end(2023, 3), 20230228u);
    cr_expect_eq(gl_fiscal_year_start(2024, 3), 20230301u);
}

/* ---- next / prev -------------------------------------------------------- */

Test(date, next_and_prev_table)
{
    static const struct {
        uint32_t day, next;
    } rows[] = {
        {20240115, 20240116},                       /* within a month */
        {20240131, 20240201},                       /* month end */
        {20240228, 20240229},                       /* leap February */
        {20240229, 20240301}, {20230228, 20230301}, /* common February */
        {20000228, 20000229}, {19000228, 19000301}, {20240430, 20240501},
        {20241130, 20241201}, {20241231, 20250101}, /* year end */
        {19991231, 20000101}, {19000101, 19000102}, {29991230, 29991231},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        cr_expect_eq(gl_date_next(rows[i].day), rows[i].next, "next(%u)", (unsigned)rows[i].day);
        cr_expect_eq(gl_date_prev(rows[i].next), rows[i].day, "prev(%u)", (unsigned)rows[i].next);
    }
}

Test(date, next_prev_walk_a_leap_year)
{
    /* 366 steps from 2024-01-01 reach 2025-01-01 and every day is valid. */
    uint32_t d = 20240101;
    for (int i = 0; i < 366; i++) {
        cr_assert(gl_date_valid(d), "%u", (unsigned)d);
        uint32_t n = gl_date_next(d);
        cr_assert_gt(n, d);
        cr_assert_eq(gl_date_prev(n), d);
        d = n;
    }
    cr_expect_eq(d, 20250101u);
}

/* ---- months YYYYMM (issue 11, item 2) ---------------------------------- */

Test(date, month_valid_refuses_every_month_out_of_range)
{
    /* The old check, gl_date_valid(ym * 100 + 1) in 32 bits, accepted the
     * first of these: (202501 + 2^30) * 100 + 1 wraps to 20250101. */
    static const uint32_t bad[] = {
        202501u + (1u << 30),
        0,
        1,
        12,
        100,
        1900,
        190000,
        190013,
        189912,
        189901,
        202500,
        202513,
        202599,
        299913,
        300001,
        300012,
        999912,
        20250101, /* a date is not a month */
        INT32_MAX,
        (uint32_t)INT32_MAX + 1u,
        42949672u,
        42949672u + 202501u,
        UINT32_MAX,
        UINT32_MAX - 1,
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_expect(!gl_month_valid(bad[i]), "%u must be invalid", (unsigned)bad[i]);
    /* every month that wraps to a valid date is refused: scan the ones
     * that wrap (ym * 100 >= 2^32) around each multiple of 2^32 / 100 */
    for (uint64_t k = 1; k < 100; k++) {
        uint32_t base = (uint32_t)((k << 32) / 100);
        for (uint32_t d = 0; d < 400000; d += 7) {
            uint32_t ym = base + d;
            if (gl_date_valid(ym * 100 + 1))
                cr_assert(!gl_month_valid(ym), "%u wraps to a valid date and must be invalid",
                          (unsigned)ym);
        }
    }
}

Test(date, month_valid_boundaries)
{
    static const uint32_t good[] = {190001, 190012, 202501, 202412, 299901, 299912};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        cr_expect(gl_month_valid(good[i]), "%u must be valid", (unsigned)good[i]);
    /* exhaustively: valid iff year 1900..2999 and month 1..12 */
    for (uint32_t ym = 180000; ym < 310000; ym++) {
        bool want = ym / 100 >= 1900 && ym / 100 <= 2999 && ym % 100 >= 1 && ym % 100 <= 12;
        cr_assert_eq(gl_month_valid(ym), want, "%u", (unsigned)ym);
    }
}

Test(date, month_last_day_and_next)
{
    static const struct {
        uint32_t ym, last, next;
    } rows[] = {
        {190001, 19000131, 190002}, {190002, 19000228, 190003}, /* 1900: not leap */
        {200002, 20000229, 200003}, {202402, 20240229, 202403}, {202502, 20250228, 202503},
        {202504, 20250430, 202505}, {202512, 20251231, 202601}, {299912, 29991231, 300001},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        cr_expect_eq(gl_month_last_day(rows[i].ym), rows[i].last, "last day of %u",
                     (unsigned)rows[i].ym);
        cr_expect(gl_date_valid(gl_month_last_day(rows[i].ym)));
        cr_expect_eq(gl_month_next(rows[i].ym), rows[i].next, "month after %u",
                     (unsigned)rows[i].ym);
    }
    /* the month after the last of the range is not a valid month */
    cr_expect(!gl_month_valid(gl_month_next(299912)));
}
