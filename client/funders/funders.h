/*
 * client/funders/funders.h — the funders' reports (issue 19): pure
 * computations, no I/O.  The commands (client/cli/cmd_fse_report.c,
 * cmd_grant_report.c, cmd_budget_compare.c) fetch, this computes.
 *
 * Rounding (every figure exact, in cents):
 *  - an hourly rate is in cents rounded half up (client/staff's
 *    sc_rate_cents: costs / (1,720 h x the mean basis of the year's sheets));
 *  - a time sheet row's staff cost is its minutes x the rate / 60,
 *    rounded half up per row (fr_minutes_cost);
 *  - a flat rate is the percentage of the direct staff costs rounded half
 *    up (fr_percent_of);
 *  - every total is the sum of the rows shown, never recomputed from
 *    hours.
 * Money is int64 cents, overflow checked: a function returns false (or
 * GL_ERR_SUM_OVERFLOW) rather than wrap.
 */
#ifndef GL_FUNDERS_H
#define GL_FUNDERS_H

#include "proto/analytic.h"
#include "proto/limits.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* minutes x rate_cents / 60, rounded half up (half away from zero for a
 * negative rate); false outside the int64 range. */
bool fr_minutes_cost(uint64_t minutes, int64_t rate_cents, int64_t *cost_cents);
/* cents x pct / 100 rounded half up (half away from zero); false outside
 * the int64 range. */
bool fr_percent_of(int64_t cents, unsigned pct, int64_t *out_cents);
/* actual / planned in tenths of a percent, rounded half up (half away from
 * zero); false when planned is 0 (no percentage) or out of range. */
bool fr_ratio_tenths(int64_t actual_cents, int64_t planned_cents, int64_t *tenths);
/* Does account start with prefix? */
bool fr_prefix(const char *account, const char *prefix);

/* One ledger line behind a figure (an ANALYTIC_LEDGER row of the action,
 * its share of the line): amount_cents is > 0 for a charge's debit and a
 * product's credit (the ledger's sign turned for products). */
typedef struct fr_line {
    uint16_t fy;
    uint32_t num;
    uint16_t line;
    uint32_t date;
    char journal[GL_JOURNAL_MAX + 1];
    char piece[GL_PIECE_MAX + 1];
    char account[GL_ACCOUNT_MAX + 1];
    char label[GL_LABEL_MAX + 1];
    char funder[GL_AN_CODE_MAX + 1]; /* products: the financeur code, "" none */
    int64_t amount_cents;
} fr_line;

typedef struct fr_lines {
    size_t n, cap;
    fr_line *v;
} fr_lines;
void fr_lines_free(fr_lines *l);
/* A copy of *x appended; GL_OK or GL_ERR_NOMEM. */
int fr_lines_add(fr_lines *l, const fr_line *x);

/* A funder's share of one ledger line (an ANALYTIC_LEDGER row of the axis
 * financeur). */
typedef struct fr_fshare {
    uint16_t fy;
    uint32_t num;
    uint16_t line;
    char funder[GL_AN_CODE_MAX + 1];
    int64_t amount_cents; /* as the ledger gives it (debit > 0) */
} fr_fshare;
typedef struct fr_fshares {
    size_t n, cap;
    fr_fshare *v;
} fr_fshares;
void fr_fshares_free(fr_fshares *s);
int fr_fshares_add(fr_fshares *s, const fr_fshare *x);
void fr_fshares_sort(fr_fshares *s);

/* The product lines of products split by funder: a line whose financeur
 * shares are known (s sorted) becomes one line per funder, the action's
 * share distributed in proportion to the funders' shares of the line
 * (gl_shares: exact, the lines sum to the action's share); a line without
 * any funder keeps funder "".  Result in *out (appended).  GL_OK,
 * GL_ERR_NOMEM, GL_ERR_SUM_OVERFLOW. */
int fr_split_by_funder(const fr_lines *products, const fr_fshares *s, fr_lines *out);

/* A total per key (funder, heading, group), in order of first insertion. */
typedef struct fr_total {
    char key[GL_AN_CODE_MAX + GL_ACCOUNT_MAX + 2];
    int64_t cents;
} fr_total;
typedef struct fr_totals {
    size_t n, cap;
    fr_total *v;
} fr_totals;
void fr_totals_free(fr_totals *t);
/* Add cents to key's total; GL_OK, GL_ERR_NOMEM, GL_ERR_SUM_OVERFLOW. */
int fr_totals_add(fr_totals *t, const char *key, int64_t cents);
/* Sort by key (byte order). */
void fr_totals_sort(fr_totals *t);
const fr_total *fr_totals_find(const fr_totals *t, const char *key);

#endif
