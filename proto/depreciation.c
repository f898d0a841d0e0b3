/*
 * proto/depreciation.c — the depreciation plan of a fixed asset (issue
 * 20): the 360-day count, the straight-line and declining-balance
 * cumulated depreciation, the investment grant's release and the disposal
 * split.  Integer cents only; products go through __int128 so that no
 * value of the struct can overflow (see proto/depreciation.h).
 */
#include "proto/depreciation.h"

#include "proto/date.h"

typedef __int128 i128;

/* A day of a range on the 360-day calendar: 31 counts as 30, and the last
 * day of February counts as 30 when it ends the range. */
static unsigned day30(uint32_t ymd, bool ends)
{
    unsigned y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
    if (d > 30)
        return 30;
    if (ends && m == 2 && (int)d == gl_days_in_month(y, 2))
        return 30;
    return d;
}

uint32_t gl_days360(uint32_t a, uint32_t b)
{
    if (!gl_date_valid(a) || !gl_date_valid(b) || b < a)
        return 0;
    int64_t ya = a / 10000, ma = a / 100 % 100, yb = b / 10000, mb = b / 100 % 100;
    int64_t n =
        (yb - ya) * 360 + (mb - ma) * 30 + (int64_t)day30(b, true) - (int64_t)day30(a, false) + 1;
    return n > 0 ? (uint32_t)n : 0;
}

/* The declining coefficient as num/4 (CGI art. 39 A): 5/4 for 3-4 years,
 * 7/4 for 5-6, 9/4 beyond. */
static int64_t coef4(unsigned years) { return years <= 4 ? 5 : years <= 6 ? 7 : 9; }

bool gl_dep_valid(const gl_dep_asset *a)
{
    if (!a)
        return false;
    if (a->cost_cents <= 0 || a->residual_cents < 0 || a->residual_cents >= a->cost_cents)
        return false;
    if (a->grant_cents < 0 || a->grant_cents > a->cost_cents)
        return false;
    if (!gl_date_valid(a->start))
        return false;
    if (a->disposal != 0 && (!gl_date_valid(a->disposal) || a->disposal < a->start))
        return false;
    if (a->life_months < 1 || a->life_months > 1200)
        return false;
    if (a->first_month < 1 || a->first_month > 12)
        return false;
    if (a->method == GL_DEP_STRAIGHT)
        return true;
    if (a->method == GL_DEP_DECLINING)
        return a->life_months >= 36 && a->life_months % 12 == 0;
    return false;
}

static int64_t straight(const gl_dep_asset *a, int64_t base, uint32_t d)
{
    int64_t total = (int64_t)a->life_months * 30;
    int64_t days = gl_days360(a->start, d);
    if (days >= total)
        return base;
    return (int64_t)((i128)base * days / total);
}

/* The months of the plan's fiscal year k (1-based): the first runs from the
 * month of start to the end of its fiscal year, the others are whole. */
static int64_t year_months(const gl_dep_asset *a, unsigned k)
{
    if (k > 1)
        return 12;
    int m = (int)(a->start / 100 % 100);
    return ((a->first_month - m - 1) % 12 + 12) % 12 + 1;
}

/* Year k's charge given the net value nv at its start, over a plan of
 * `years` fiscal years: the declining annuity pro rata of its months, or
 * nv spread over the remaining years once that rate is higher, the last
 * year taking what remains. */
static int64_t declining_year(const gl_dep_asset *a, unsigned years, unsigned k, int64_t nv)
{
    unsigned left = years - k + 1;
    if (left <= 1)
        return nv;
    /* straight-line over the remaining years, 1/left, against the declining
     * rate coef/years: 4 * years > coef4 * left */
    if ((int64_t)4 * years > coef4(years) * left)
        return nv / left;
    return (int64_t)((i128)nv * coef4(years) * year_months(a, k) / ((i128)4 * years * 12));
}

static int64_t declining(const gl_dep_asset *a, int64_t base, uint32_t d)
{
    unsigned years = a->life_months / 12;
    uint32_t from = a->start / 100 * 100 + 1; /* the month of start counts whole */
    uint16_t fy1 = gl_fiscal_year(from, a->first_month);
    uint16_t fyd = gl_fiscal_year(d, a->first_month);
    unsigned k = (unsigned)(fyd - fy1) + 1;
    if (k > years)
        return base;
    int64_t cum = 0;
    for (unsigned j = 1; j < k; j++)
        cum += declining_year(a, years, j, base - cum);
    int64_t charge = declining_year(a, years, k, base - cum);
    uint32_t ystart = k == 1 ? from : gl_fiscal_year_start(fyd, a->first_month);
    int64_t span = year_months(a, k) * 30;
    int64_t days = gl_days360(ystart, d);
    if (days > span)
        days = span;
    cum += (int64_t)((i128)charge * days / span);
    return cum < base ? cum : base;
}

int64_t gl_dep_cumulated(const gl_dep_asset *a, uint32_t d)
{
    if (!gl_dep_valid(a) || !gl_date_valid(d))
        return 0;
    if (a->disposal != 0 && d > a->disposal)
        d = a->disposal;
    if (d < a->start)
        return 0;
    int64_t base = a->cost_cents - a->residual_cents;
    return a->method == GL_DEP_STRAIGHT ? straight(a, base, d) : declining(a, base, d);
}

/* cumulated(day before from), 0 when from is on or before start. */
static int64_t before(const gl_dep_asset *a, uint32_t from)
{
    if (!gl_dep_valid(a) || from <= a->start)
        return 0;
    return gl_dep_cumulated(a, gl_date_prev(from));
}

int64_t gl_dep_charge(const gl_dep_asset *a, uint32_t from, uint32_t to)
{
    if (!gl_date_valid(from) || !gl_date_valid(to) || to < from)
        return 0;
    return gl_dep_cumulated(a, to) - before(a, from);
}

int64_t gl_dep_grant_cumulated(const gl_dep_asset *a, uint32_t d)
{
    if (!gl_dep_valid(a) || a->grant_cents == 0)
        return 0;
    int64_t base = a->cost_cents - a->residual_cents;
    return (int64_t)((i128)a->grant_cents * gl_dep_cumulated(a, d) / base);
}

bool gl_dep_disposal_split(const gl_dep_asset *a, gl_dep_disposal *out)
{
    if (!out || !gl_dep_valid(a) || a->disposal == 0)
        return false;
    int64_t acc = gl_dep_cumulated(a, a->disposal);
    out->accumulated_cents = acc;
    out->net_book_cents = a->cost_cents - acc;
    out->grant_released_cents = gl_dep_grant_cumulated(a, a->disposal);
    out->grant_remaining_cents = a->grant_cents - out->grant_released_cents;
    return true;
}
