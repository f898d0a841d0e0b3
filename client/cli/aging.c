/*
 * client/cli/aging.c — see aging.h.
 */
#include "aging.h"

#include "proto/money.h"

/* Days from the civil date (proleptic Gregorian) to 1970-01-01: Howard
 * Hinnant's days_from_civil, in integers. */
int64_t aging_day_number(uint32_t ymd)
{
    int64_t y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

uint32_t aging_add_days(uint32_t ymd, int64_t days)
{
    int64_t z = aging_day_number(ymd) + days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = yoe + era * 400 + (m <= 2);
    return (uint32_t)(y * 10000 + m * 100 + d);
}

int64_t aging_days_between(uint32_t from, uint32_t to)
{
    return aging_day_number(to) - aging_day_number(from);
}

uint32_t aging_due_date(uint32_t date, unsigned terms_days)
{
    return aging_add_days(date, terms_days);
}

int64_t aging_days_overdue(uint32_t at, uint32_t date, unsigned terms_days)
{
    return aging_days_between(aging_due_date(date, terms_days), at);
}

enum aging_bucket aging_bucket_of(uint32_t at, uint32_t date, unsigned terms_days, bool by_due_date)
{
    if (aging_days_overdue(at, date, terms_days) <= 0)
        return AGING_NOT_DUE;
    int64_t age =
        by_due_date ? aging_days_overdue(at, date, terms_days) : aging_days_between(date, at);
    if (age <= 30)
        return AGING_1_30;
    if (age <= 60)
        return AGING_31_60;
    return age <= 90 ? AGING_61_90 : AGING_OVER_90;
}

bool aging_row_add(aging_row *r, enum aging_bucket b, int64_t cents)
{
    int64_t bucket = r->cents[b], total = r->total;
    if (!gl_money_add(&bucket, cents) || !gl_money_add(&total, cents))
        return false;
    r->cents[b] = bucket;
    r->total = total;
    return true;
}

bool aging_row_sum(aging_row *into, const aging_row *r)
{
    aging_row t = *into;
    for (int b = 0; b < AGING_BUCKETS; b++)
        if (!gl_money_add(&t.cents[b], r->cents[b]))
            return false;
    if (!gl_money_add(&t.total, r->total))
        return false;
    *into = t;
    return true;
}

bool aging_impairment(int64_t cents, unsigned rate_bp, int64_t *out)
{
    if (rate_bp > 10000)
        return false;
    int64_t product;
    if (__builtin_mul_overflow(cents, (int64_t)rate_bp, &product))
        return false;
    /* halves away from zero: 0,005 € is a cent */
    int64_t q = product / 10000, rem = product % 10000;
    if (rem >= 5000)
        q++;
    else if (rem <= -5000)
        q--;
    *out = q;
    return true;
}

const char *aging_bucket_name(enum aging_bucket b)
{
    static const char *const names[AGING_BUCKETS] = {"not_due", "d1_30", "d31_60", "d61_90",
                                                     "over_90"};
    return b < AGING_BUCKETS ? names[b] : "";
}

const char *aging_bucket_heading(enum aging_bucket b)
{
    static const char *const names[AGING_BUCKETS] = {"Non échu", "1-30 j", "31-60 j", "61-90 j",
                                                     "Plus de 90 j"};
    return b < AGING_BUCKETS ? names[b] : "";
}
