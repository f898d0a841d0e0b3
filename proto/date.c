/*
 * proto/date.c — Gregorian calendar arithmetic on YYYYMMDD integers.
 */
#include "date.h"

#include <stdbool.h>
#include <stdio.h>

static bool leap(unsigned y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int gl_days_in_month(unsigned year, unsigned month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    return month == 2 && leap(year) ? 29 : days[month - 1];
}

bool gl_date_valid(uint32_t ymd)
{
    unsigned y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
    if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1)
        return false;
    return (int)d <= gl_days_in_month(y, m);
}

bool gl_month_valid(uint32_t ym)
{
    uint32_t y = ym / 100, m = ym % 100;
    return y >= 1900 && y <= 2999 && m >= 1 && m <= 12;
}

uint32_t gl_month_last_day(uint32_t ym)
{
    if (!gl_month_valid(ym))
        return 0;
    return ym * 100 + (uint32_t)gl_days_in_month(ym / 100, ym % 100);
}

uint32_t gl_month_next(uint32_t ym)
{
    if (!gl_month_valid(ym))
        return 0;
    return ym % 100 == 12 ? (ym / 100 + 1) * 100 + 1 : ym + 1;
}

static bool digits(const char *s, size_t n, unsigned *out)
{
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    *out = v;
    return true;
}

bool gl_date_parse(const char *s, size_t len, uint32_t *ymd)
{
    unsigned y, m, d;
    if (len == 10) {
        if (s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) || !digits(s + 5, 2, &m) ||
            !digits(s + 8, 2, &d))
            return false;
    } else if (len == 8) {
        if (!digits(s, 4, &y) || !digits(s + 4, 2, &m) || !digits(s + 6, 2, &d))
            return false;
    } else {
        return false;
    }
    uint32_t v = y * 10000 + m * 100 + d;
    if (!gl_date_valid(v))
        return false;
    *ymd = v;
    return true;
}

char *gl_date_format(uint32_t ymd, char out[11])
{
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)(ymd / 10000) % 10000,
             (unsigned)(ymd / 100 % 100), (unsigned)(ymd % 100));
    return out;
}

uint16_t gl_fiscal_year(uint32_t ymd, unsigned first_month)
{
    unsigned y = ymd / 10000, m = ymd / 100 % 100;
    if (first_month > 1 && m >= first_month)
        y++;
    return (uint16_t)y;
}

uint32_t gl_fiscal_year_start(uint16_t fy, unsigned first_month)
{
    unsigned y = first_month > 1 ? fy - 1u : fy;
    return y * 10000 + first_month * 100 + 1;
}

uint32_t gl_fiscal_year_end(uint16_t fy, unsigned first_month)
{
    unsigned m = first_month > 1 ? first_month - 1 : 12;
    return (uint32_t)fy * 10000 + m * 100 + (unsigned)gl_days_in_month(fy, m);
}

uint32_t gl_date_next(uint32_t ymd)
{
    unsigned y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
    if ((int)d < gl_days_in_month(y, m))
        return ymd + 1;
    if (m < 12)
        return y * 10000 + (m + 1) * 100 + 1;
    return (y + 1) * 10000 + 101;
}

uint32_t gl_date_prev(uint32_t ymd)
{
    unsigned y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
    if (d > 1)
        return ymd - 1;
    if (m > 1)
        return y * 10000 + (m - 1) * 100 + (unsigned)gl_days_in_month(y, m - 1);
    return (y - 1) * 10000 + 1231;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/* The date of a day count, as YYYYMMDD (years outside 0..9999 clamp). */
static uint32_t civil_from_days(int64_t z, int64_t *year)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    *year = y;
    if (y < 0)
        return 101;
    if (y > 9999)
        return 99991231;
    return (uint32_t)(y * 10000 + m * 100 + d);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Milliseconds of 01:00 UTC on the last Sunday of a month of year y. */
static int64_t last_sunday_1h_ms(int64_t y, unsigned month)
{
    int64_t last = days_from_civil(y, month, 31); /* March and October have 31 days */
    int64_t weekday = ((last + 4) % 7 + 7) % 7;   /* 1970-01-01 was a Thursday; 0 = Sunday */
    return (last - weekday) * 86400000 + 3600000;
}

uint32_t gl_date_paris(int64_t ms)
{
    const int64_t hour_ms = 3600000, day_ms = 86400000;
    int64_t year;
    (void)civil_from_days(floor_div(ms, day_ms), &year);
    bool summer = ms >= last_sunday_1h_ms(year, 3) && ms < last_sunday_1h_ms(year, 10);
    int64_t offset_ms = summer ? 2 * hour_ms : hour_ms;
    int64_t local = ms > INT64_MAX - offset_ms ? INT64_MAX : ms + offset_ms;
    return civil_from_days(floor_div(local, day_ms), &year);
}

void gl_utc_text(int64_t ms, char out[GL_UTC_TEXT_MAX])
{
    const int64_t day_ms = 86400000, first_year_10000_ms = 253402300800000LL;
    if (ms < 0 || ms >= first_year_10000_ms) {
        snprintf(out, GL_UTC_TEXT_MAX, "%lld ms", (long long)ms);
        return;
    }
    int64_t year;
    uint32_t ymd = civil_from_days(ms / day_ms, &year);
    unsigned secs = (unsigned)(ms % day_ms / 1000);
    snprintf(out, GL_UTC_TEXT_MAX, "%04u-%02u-%02uT%02u:%02u:%02uZ", ymd / 10000, ymd / 100 % 100,
             ymd % 100, secs / 3600, secs / 60 % 60, secs % 60);
}
