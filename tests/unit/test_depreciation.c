/*
 * tests/unit/test_depreciation.c — proto/depreciation (issue 20): the
 * 360-day count, the straight-line and declining plans against tables
 * worked out independently (by hand for the textbook case, by a separate
 * Python implementation counting day by day for the others), the pro rata
 * edges (the 1st, the 31st, 29 February, the end of February), a residual
 * value, a fiscal year starting in July, a disposal mid-year, the grant's
 * release, and properties over every start day of two years: monthly
 * charges sum to the plan, the cumulated never goes down nor above cost -
 * residual, and the straight line equals a day-by-day count; and the
 * generated year's assets against tests/data/assets-expected-2025.csv,
 * which tests/data/test_assets_year computes in Python on its own.
 */
#include "proto/date.h"
#include "proto/depreciation.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

static gl_dep_asset asset(int64_t cost, uint16_t life, uint32_t start, uint8_t method)
{
    gl_dep_asset a;
    memset(&a, 0, sizeof a);
    a.cost_cents = cost;
    a.life_months = life;
    a.start = start;
    a.method = method;
    a.first_month = 1;
    return a;
}

static uint32_t fy_end(unsigned y, unsigned first_month)
{
    return gl_fiscal_year_end((uint16_t)y, first_month);
}

/* The charges of n fiscal years from the one ending in y0 equal want[]. */
static void plan_is(const gl_dep_asset *a, unsigned y0, const int64_t *want, size_t n)
{
    int64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        uint16_t fy = (uint16_t)(y0 + i);
        int64_t c = gl_dep_charge(a, gl_fiscal_year_start(fy, a->first_month),
                                  gl_fiscal_year_end(fy, a->first_month));
        cr_assert_eq(c, want[i], "fiscal year %u: %lld, want %lld", (unsigned)fy, (long long)c,
                     (long long)want[i]);
        total += c;
    }
    cr_assert_eq(gl_dep_cumulated(a, fy_end(y0 + (unsigned)n - 1, a->first_month)), total);
}

#define PLAN(a, y0, ...)                                            \
    do {                                                            \
        static const int64_t want_[] = {__VA_ARGS__};               \
        plan_is(&(a), (y0), want_, sizeof want_ / sizeof want_[0]); \
    } while (0)

Test(depreciation, days360_counts_months_of_30_days)
{
    cr_assert_eq(gl_days360(20250101, 20251231), 360);
    cr_assert_eq(gl_days360(20250101, 20250131), 30);
    cr_assert_eq(gl_days360(20250101, 20250130), 30); /* the 31st adds nothing */
    cr_assert_eq(gl_days360(20250201, 20250228), 30); /* end of February: a whole month */
    cr_assert_eq(gl_days360(20240201, 20240229), 30);
    cr_assert_eq(gl_days360(20240201, 20240228), 28); /* not the last day in 2024 */
    cr_assert_eq(gl_days360(20250131, 20250131), 1);  /* a start on the 31st counts one day */
    cr_assert_eq(gl_days360(20250131, 20250201), 2);
    cr_assert_eq(gl_days360(20250228, 20250228), 3); /* the 28th, "29th", "30th" */
    cr_assert_eq(gl_days360(20240229, 20240229), 2);
    cr_assert_eq(gl_days360(20250315, 20251231), 286);
    cr_assert_eq(gl_days360(20250101, 20291231), 1800);
    cr_assert_eq(gl_days360(20250102, 20250101), 0);
    cr_assert_eq(gl_days360(20250230, 20251231), 0); /* not a date */
    cr_assert_eq(gl_days360(0, 20251231), 0);
}

Test(depreciation, valid_rules)
{
    gl_dep_asset a = asset(100000, 60, 20250101, GL_DEP_STRAIGHT);
    cr_assert(gl_dep_valid(&a));
    cr_assert_not(gl_dep_valid(NULL));
    gl_dep_asset b = a;
    b.cost_cents = 0;
    cr_assert_not(gl_dep_valid(&b));
    b = a, b.residual_cents = 100000;
    cr_assert_not(gl_dep_valid(&b));
    b = a, b.residual_cents = -1;
    cr_assert_not(gl_dep_valid(&b));
    b = a, b.grant_cents = 100001;
    cr_assert_not(gl_dep_valid(&b));
    b = a, b.grant_cents = -1;
    cr_assert_not(gl_dep_valid(&b));
    b = a, b.start = 20250229;
    cr_assert_not(gl_dep_valid(&b));
    b = a, b.disposal = 20241231;
    cr_assert_not(gl_dep_valid(&b));
    b = a, b.disposal = 20250132;
    cr_assert_not(gl_dep_valid(&b));
    b = a, b.disposal = 20250101;
    cr_assert(gl_dep_valid(&b));
    b = a, b.life_months = 0;
    cr_assert_not(gl_dep_valid(&b));
    b = a, b.life_months = 1201;
    cr_assert_not(gl_dep_valid(&b));
    b = a, b.first_month = 0;
    cr_assert_not(gl_dep_valid(&b));
    b = a, b.first_month = 13;
    cr_assert_not(gl_dep_valid(&b));
    b = a, b.method = 0;
    cr_assert_not(gl_dep_valid(&b));
    b = a, b.method = GL_DEP_DECLINING;
    cr_assert(gl_dep_valid(&b));
    b.life_months = 24; /* under 3 years */
    cr_assert_not(gl_dep_valid(&b));
    b.life_months = 42; /* not whole years */
    cr_assert_not(gl_dep_valid(&b));
    /* an invalid asset computes nothing */
    b.life_months = 0;
    cr_assert_eq(gl_dep_cumulated(&b, 20301231), 0);
    cr_assert_eq(gl_dep_charge(&b, 20250101, 20301231), 0);
    gl_dep_disposal out;
    cr_assert_not(gl_dep_disposal_split(&b, &out));
    cr_assert_not(gl_dep_disposal_split(&a, &out)); /* not disposed of */
}

/* Any bytes: false or true, never a crash; whatever is valid computes. */
Test(depreciation, valid_is_total)
{
    uint64_t x = 88172645463325252u;
    for (int i = 0; i < 200000; i++) {
        gl_dep_asset a;
        unsigned char *p = (unsigned char *)&a;
        for (size_t k = 0; k < sizeof a; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            p[k] = (unsigned char)x;
        }
        if (i % 2) { /* half of them near the rules */
            a.start = 19000101 + (uint32_t)(x % 11000000);
            a.disposal = i % 4 == 1 ? 0 : a.start + (uint32_t)(x >> 40) % 30000;
            a.life_months %= 1300;
            a.method %= 3;
            a.first_month %= 14;
            if (i % 8 == 1)
                a.cost_cents = INT64_MAX, a.residual_cents = 0, a.grant_cents = INT64_MAX;
        }
        if (!gl_dep_valid(&a))
            continue;
        int64_t base = a.cost_cents - a.residual_cents;
        int64_t c = gl_dep_cumulated(&a, 29991231);
        cr_assert(c >= 0 && c <= base);
        cr_assert(gl_dep_grant_cumulated(&a, 29991231) <= a.grant_cents);
        gl_dep_disposal d;
        if (gl_dep_disposal_split(&a, &d))
            cr_assert_eq(d.accumulated_cents + d.net_book_cents, a.cost_cents);
    }
}

/* Straight line (linéaire), tables from the independent implementation. */
Test(depreciation, straight_line_plans)
{
    gl_dep_asset a = asset(1200000, 60, 20250101, GL_DEP_STRAIGHT); /* on the 1st */
    PLAN(a, 2025, 240000, 240000, 240000, 240000, 240000, 0);
    a = asset(100000, 36, 20250131, GL_DEP_STRAIGHT); /* on the 31st */
    PLAN(a, 2025, 30648, 33333, 33333, 2686);
    cr_assert_eq(gl_dep_cumulated(&a, 20280129), 100000); /* 1 080 days */
    cr_assert_eq(gl_dep_cumulated(&a, 20280128), 99907);
    a = asset(250000, 48, 20240229, GL_DEP_STRAIGHT); /* 29 February */
    PLAN(a, 2024, 52430, 62500, 62500, 62500, 10070);
    a = asset(90000, 36, 20250228, GL_DEP_STRAIGHT); /* end of February */
    PLAN(a, 2025, 25250, 30000, 30000, 4750);
    cr_assert_eq(gl_dep_charge(&a, 20250201, 20250228), 250); /* 3 days of 1 080 */
    a = asset(2000000, 60, 20250315, GL_DEP_STRAIGHT);        /* a residual value */
    a.residual_cents = 500000;
    PLAN(a, 2025, 238333, 300000, 300000, 300000, 300000, 61667);
    cr_assert_eq(gl_dep_cumulated(&a, 20991231), 1500000);
    a = asset(360000, 36, 20250915, GL_DEP_STRAIGHT); /* fiscal year from July */
    a.first_month = 7;
    PLAN(a, 2026, 95333, 120000, 120000, 24667);
    cr_assert_eq(gl_dep_cumulated(&a, 20250914), 0);
}

/* Declining balance (dégressif): the textbook case (10 000,00 on 1 April,
 * 5 years, 35 %: 2 625,00, 2 581,25, 1 677,81, then the straight line over
 * the two years left, 1 557,97 twice) and tables for the other
 * coefficients. */
Test(depreciation, declining_plans)
{
    gl_dep_asset a = asset(1000000, 60, 20250401, GL_DEP_DECLINING);
    PLAN(a, 2025, 262500, 258125, 167781, 155797, 155797, 0);
    cr_assert_eq(gl_dep_charge(&a, 20250401, 20250430), 262500 / 9); /* a whole month */
    a = asset(300000, 36, 20251001, GL_DEP_DECLINING); /* 1.25: 41.67 %, switch in year 2 */
    PLAN(a, 2025, 31250, 134375, 134375, 0);
    a = asset(800000, 120, 20250617, GL_DEP_DECLINING); /* 2.25: 22.5 % */
    PLAN(a, 2025, 105000, 156375, 121190, 93922, 72790, 56412, 48577, 48578, 48578, 48578, 0);
    a = asset(500000, 48, 20250115, GL_DEP_DECLINING); /* fiscal year from July */
    a.first_month = 7;
    PLAN(a, 2025, 78125, 140625, 140625, 140625, 0);
    /* the first month counts whole: mid-January already has half of it */
    cr_assert_eq(gl_dep_cumulated(&a, 20250115), 78125 * 15 / 180);
}

Test(depreciation, disposal_mid_year)
{
    gl_dep_asset a = asset(1000000, 60, 20230101, GL_DEP_DECLINING);
    a.disposal = 20251015;
    a.grant_cents = 400000;
    PLAN(a, 2023, 350000, 227500, 117067, 0);
    gl_dep_disposal d;
    cr_assert(gl_dep_disposal_split(&a, &d));
    cr_assert_eq(d.accumulated_cents, 694567);
    cr_assert_eq(d.net_book_cents, 305433);
    cr_assert_eq(gl_dep_grant_cumulated(&a, 20251015), 694567 * 4 / 10);
    cr_assert_eq(d.grant_remaining_cents, 400000 - 277826);
    cr_assert_eq(d.grant_released_cents, 277826, "139x closed by what the plan released");
    gl_dep_asset s = asset(1800000, 48, 20250101, GL_DEP_STRAIGHT);
    s.disposal = 20251020;
    PLAN(s, 2025, 362500, 0);
    cr_assert(gl_dep_disposal_split(&s, &d));
    cr_assert_eq(d.accumulated_cents, 362500);
    cr_assert_eq(d.net_book_cents, 1437500);
    cr_assert_eq(d.grant_remaining_cents, 0);
}

Test(depreciation, grant_released_in_proportion)
{
    gl_dep_asset a = asset(2460000, 60, 20250314, GL_DEP_STRAIGHT);
    a.grant_cents = 1200000;
    /* 2025: 287 days of 1 800 */
    cr_assert_eq(gl_dep_cumulated(&a, 20251231), 2460000 * 287 / 1800);
    cr_assert_eq(gl_dep_grant_cumulated(&a, 20251231), (int64_t)1200000 * 392233 / 2460000);
    cr_assert_eq(gl_dep_grant_cumulated(&a, 20301231), 1200000);
    cr_assert_eq(gl_dep_grant_cumulated(&a, 20250313), 0);
}

/* The day-by-day count: every calendar day weighs 1, a 31st 0 (1 when it
 * starts the range), the last day of February 30 - its day + 1. */
static uint32_t days_by_day(uint32_t a, uint32_t b)
{
    uint32_t n = 0;
    for (uint32_t d = a; d <= b; d = gl_date_next(d)) {
        unsigned day = d % 100, m = d / 100 % 100, y = d / 10000;
        if (day == 31)
            n += d == a;
        else if (m == 2 && (int)day == gl_days_in_month(y, 2))
            n += 30 - day + 1;
        else
            n += 1;
    }
    return n;
}

/* Every start day of 2024 and 2025, both methods, fiscal years from
 * January and from July, with and without a residual and a disposal. */
Test(depreciation, properties_over_every_start_day)
{
    static const uint16_t lives[] = {36, 60, 120};
    unsigned checked = 0;
    for (uint32_t start = 20240101; start <= 20251231; start = gl_date_next(start)) {
        for (int v = 0; v < 12; v++) {
            uint8_t method = v % 2 ? GL_DEP_DECLINING : GL_DEP_STRAIGHT;
            gl_dep_asset a = asset(123456789 + start % 1000, lives[v / 2 % 3], start, method);
            a.first_month = v / 6 ? 7 : 1;
            a.residual_cents = v % 3 == 0 ? 1000001 : 0;
            a.grant_cents = v % 4 == 1 ? 50000000 : 0;
            if (start % 7 == 0) /* disposed of in June of the next year */
                a.disposal = (start / 10000 + 1) * 10000 + 615;
            cr_assert(gl_dep_valid(&a));
            int64_t base = a.cost_cents - a.residual_cents;
            int64_t sum = 0, prev = 0, gprev = 0;
            uint32_t month = start / 100;
            for (int i = 0; i < a.life_months + 12; i++, month = gl_month_next(month)) {
                uint32_t to = gl_month_last_day(month);
                int64_t c = gl_dep_charge(&a, month * 100 + 1, to);
                int64_t cum = gl_dep_cumulated(&a, to);
                cr_assert_geq(c, 0);
                sum += c;
                cr_assert_eq(sum, cum, "start %u month %u", start, month);
                cr_assert_geq(cum, prev);
                cr_assert_leq(cum, base);
                int64_t g = gl_dep_grant_cumulated(&a, to);
                cr_assert_geq(g, gprev);
                gprev = g, prev = cum;
                if (method == GL_DEP_STRAIGHT && !a.disposal && i % 5 == 0) {
                    int64_t want = base * days_by_day(start, to) / (a.life_months * 30);
                    cr_assert_eq(cum, want < base ? want : base, "start %u to %u", start, to);
                }
            }
            if (a.disposal) {
                gl_dep_disposal d;
                cr_assert(gl_dep_disposal_split(&a, &d));
                cr_assert_eq(d.accumulated_cents, sum);
                cr_assert_eq(d.grant_remaining_cents + gprev, a.grant_cents);
                cr_assert_eq(d.grant_released_cents, gprev);
            } else {
                cr_assert_eq(sum, base, "start %u v %d", start, v);
                cr_assert_eq(gprev, a.grant_cents);
            }
            checked++;
        }
    }
    cr_assert_eq(checked, 731 * 12);
}

/* The generated year's fixed assets (scripts/gen-group-year's ASSETS): the
 * figures tests/data/test_assets_year computed in Python, on its own, are
 * proto's to the cent. */
Test(depreciation, the_generated_year_s_assets_are_the_expected_csv)
{
    static const struct {
        const char *code;
        gl_dep_asset a;
    } assets[] = {
        {"AGIIE-INFO1", {384000, 0, 0, 20250512, 0, 36, GL_DEP_STRAIGHT, 1}},
        {"AGIIE-INFO2", {297000, 0, 0, 20251031, 0, 36, GL_DEP_STRAIGHT, 1}},
        {"PROXIM-MOB1", {648000, 0, 0, 20250617, 0, 120, GL_DEP_DECLINING, 1}},
        {"PROXIM-VEH1", {1680000, 0, 0, 20250101, 20251020, 48, GL_DEP_STRAIGHT, 1}},
        {"VSM-VEH1", {2460000, 0, 1200000, 20250314, 0, 60, GL_DEP_STRAIGHT, 1}},
    };
    FILE *f = fopen("tests/data/assets-expected-2025.csv", "r");
    cr_assert(f, "run from the top of the tree");
    char line[256];
    cr_assert(fgets(line, sizeof line, f));
    unsigned rows = 0;
    while (fgets(line, sizeof line, f)) {
        char tenant[16], code[24], kind[16];
        unsigned y, m, d;
        long long charge, cum, net, grel, gcum;
        cr_assert_eq(sscanf(line, "%15[^,],%23[^,],%15[^,],%u-%u-%u,%lld,%lld,%lld,%lld,%lld",
                            tenant, code, kind, &y, &m, &d, &charge, &cum, &net, &grel, &gcum),
                     11, "%s", line);
        const gl_dep_asset *a = NULL;
        for (size_t i = 0; i < sizeof assets / sizeof assets[0]; i++)
            if (!strcmp(assets[i].code, code))
                a = &assets[i].a;
        cr_assert(a, "%s", code);
        uint32_t date = y * 10000 + m * 100 + d;
        cr_assert_eq(gl_dep_cumulated(a, date), cum, "%s", line);
        cr_assert_eq(a->cost_cents - cum, net, "%s", line);
        if (!strcmp(kind, "year")) {
            cr_assert_eq(gl_dep_charge(a, y * 10000 + 101, date), charge, "%s", line);
            cr_assert_eq(gl_dep_grant_cumulated(a, date), gcum, "%s", line);
            cr_assert_eq(gl_dep_grant_cumulated(a, date) -
                             gl_dep_grant_cumulated(a, (y - 1) * 10000 + 1231),
                         grel, "%s", line);
        } else {
            gl_dep_disposal s;
            cr_assert(gl_dep_disposal_split(a, &s));
            cr_assert_eq(s.accumulated_cents, cum);
            cr_assert_eq(s.net_book_cents, net);
            cr_assert_eq(s.grant_remaining_cents, grel);
        }
        rows++;
    }
    fclose(f);
    cr_assert_eq(rows, 26);
}
