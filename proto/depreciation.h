/*
 * proto/depreciation.h — the depreciation plan (plan d'amortissement) of a
 * fixed asset and the split of a disposal, computed identically by the
 * client (which proposes and posts the entries), the daemon (which refuses
 * a period posted twice) and the offline verifier.  Pure: no I/O, integer
 * cents, every result exact.  Issue 20.
 *
 * Time: a 360-day year of twelve 30-day months (the usual French practice,
 * "prorata temporis"): the days from a to b inclusive are
 * gl_days360(a, b) = (Yb-Ya)*360 + (Mb-Ma)*30 + (Db'-Da') + 1 where a day 31
 * counts as 30, and the last day of February counts as 30 when it ends a
 * range (so that a full month is always 30 days).  Documented in
 * proto/PROTOCOL.md.
 *
 * Cumulative rule: every charge is the difference of two cumulative
 * depreciations rounded down to the cent, cumulated(date) - cumulated(day
 * before from), so that the charges of any cut into periods sum exactly to
 * the same total and the last one lands on cost - residual.
 *
 * Methods:
 *   GL_DEP_STRAIGHT (linéaire): cumulated(d) = floor((cost - residual) *
 *     days360(start, d) / (life_months * 30)), capped at cost - residual.
 *   GL_DEP_DECLINING (dégressif, CGI art. 39 A): rate = coefficient /
 *     (life in years), the coefficient 1.25 for 3-4 years, 1.75 for 5-6,
 *     2.25 beyond (as the ratios 5/4, 7/4, 9/4; refused under 3 years or
 *     for a life that is not whole years); from the first day of the month
 *     of start, each fiscal year charges floor(net value at its start *
 *     rate * its months / 12) (whole months, the first month counted whole,
 *     so the first year may be short), until the straight-line rate over
 *     the remaining years, 1 / (fiscal years left in the plan, this one
 *     included), is strictly higher, from which year on the year charges
 *     floor(net value / years left).  The plan has as many fiscal years as
 *     the life has years (a short first year is not made up at the end: the
 *     last year is the life-in-years'th and charges the whole remaining net
 *     value, the textbook French practice).  Within a fiscal year, the
 *     year's charge accrues by days360 like the straight line, from the
 *     first day of the fiscal year (of the month of start in the first):
 *     floor(charge * days360(year start, d) / (its months * 30)).
 *
 * A disposal (cession, mise au rebut) stops the plan on its date; the
 * disposal entry's split is gl_dep_disposal.  An investment grant (13x,
 * gl_dep_asset.grant_cents) is taken to income (777) by the same plan in
 * proportion: grant_cumulated(d) = floor(grant * cumulated(d) /
 * (cost - residual)); at disposal, what remains goes to 777 and both 13x
 * and 139x are closed.
 *
 * Accounts: 675, 775 and 777 are those of the 2018 chart (ANC 2018-06);
 * a year kept in the 2025 chart uses 652 (net book value of assets sold),
 * 757 (proceeds) and 747 (grant released) instead (proto/chart_rules.c
 * abolishes the former).  Nothing here depends on the accounts.
 */
#ifndef GL_DEPRECIATION_H
#define GL_DEPRECIATION_H

#include <stdbool.h>
#include <stdint.h>

enum { GL_DEP_STRAIGHT = 1, GL_DEP_DECLINING = 2 };

typedef struct gl_dep_asset {
    int64_t cost_cents;     /* acquisition cost (excluding recoverable VAT), > 0 */
    int64_t residual_cents; /* 0 <= residual < cost */
    int64_t grant_cents;    /* investment grant spread by the plan; 0 <= grant <= cost */
    uint32_t start;         /* YYYYMMDD: first day of depreciation (mise en service) */
    uint32_t disposal;      /* YYYYMMDD of the disposal, 0 while held */
    uint16_t life_months;   /* useful life, 1..1200 */
    uint8_t method;         /* GL_DEP_STRAIGHT or GL_DEP_DECLINING */
    uint8_t first_month;    /* the tenant's fiscal year's first month, 1..12 */
} gl_dep_asset;

/* Whether a's fields are in their rule (the declining method needs a life
 * of at least 36 months, in whole years; disposal is 0 or a valid date on
 * or after start).  Total: any field values give true or false, and every
 * function below returns 0 (false) for an asset that is not valid or a
 * date that is not one. */
bool gl_dep_valid(const gl_dep_asset *a);

/* Days from a to b inclusive on the 360-day calendar (0 when b < a). */
uint32_t gl_days360(uint32_t a, uint32_t b);

/* Cumulative depreciation at the end of day d (0 before start; stops at
 * the disposal date; never above cost - residual). */
int64_t gl_dep_cumulated(const gl_dep_asset *a, uint32_t d);

/* The charge of [from, to] (dates, from <= to): cumulated(to) -
 * cumulated(day before from). */
int64_t gl_dep_charge(const gl_dep_asset *a, uint32_t from, uint32_t to);

/* The grant's part taken to income by the end of day d. */
int64_t gl_dep_grant_cumulated(const gl_dep_asset *a, uint32_t d);

/* The disposal of a on a->disposal (set, >= start): what the entry writes.
 * D 28x accumulated_cents, D 675 net_book_cents / C 2x cost_cents; the
 * grant's accounts closed: D 13x the whole grant / C 139x
 * grant_released_cents (taken to income by the plan to that date) / C 777
 * grant_remaining_cents (the rest, taken to income on disposal). */
typedef struct gl_dep_disposal {
    int64_t accumulated_cents;
    int64_t net_book_cents;
    int64_t grant_remaining_cents;
    int64_t grant_released_cents;
} gl_dep_disposal;
bool gl_dep_disposal_split(const gl_dep_asset *a, gl_dep_disposal *out);

#endif
