/*
 * proto/date.c — Gregorian calendar arithmetic on YYYYMMDD integers.
 */
#include "date.h"

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
