/*
 * client/cli/aging.h — the aged balance (balance âgée) of third
 * parties' open items, pure: day arithmetic on YYYYMMDD dates, the bucket
 * of an item at a date, checked sums in cents.  No I/O; depends on proto/
 * only for the money helpers.  Used by `grandlivre receivables`,
 * `reminders` and `impairment` (client/cli/cmd_receivables.c).
 *
 * An item is a line of a third-party account open at the date of the
 * balance (not lettered then).  Its due date is its date plus the third
 * party's payment terms.  It is "not yet due" while the date of the balance
 * is on or before its due date; otherwise its age in days is counted from
 * its date (the invoice date, the default) or from its due date
 * (--by-due-date), and falls in 1-30, 31-60, 61-90 or over 90 days.
 */
#ifndef GL_AGING_H
#define GL_AGING_H

#include <stdbool.h>
#include <stdint.h>

enum aging_bucket {
    AGING_NOT_DUE,
    AGING_1_30,
    AGING_31_60,
    AGING_61_90,
    AGING_OVER_90,
    AGING_BUCKETS
};

/* Days from 1970-01-01 to a valid YYYYMMDD date (negative before). */
int64_t aging_day_number(uint32_t ymd);
/* The YYYYMMDD date `days` days after ymd (before it when negative). */
uint32_t aging_add_days(uint32_t ymd, int64_t days);
/* Days from `from` to `to` (negative when to is earlier). */
int64_t aging_days_between(uint32_t from, uint32_t to);

/* The due date of an item dated `date` with payment terms of terms_days. */
uint32_t aging_due_date(uint32_t date, unsigned terms_days);
/* Days past its due date at `at` (0 or less: not yet due). */
int64_t aging_days_overdue(uint32_t at, uint32_t date, unsigned terms_days);
/* The bucket of an item dated `date` at `at`. */
enum aging_bucket aging_bucket_of(uint32_t at, uint32_t date, unsigned terms_days,
                                  bool by_due_date);

/* One third party's figures: each bucket and the total, in cents. */
typedef struct aging_row {
    int64_t cents[AGING_BUCKETS];
    int64_t total;
} aging_row;

/* Add an item's amount to its bucket and to the total; false on
 * overflow (the row is then unchanged). */
bool aging_row_add(aging_row *r, enum aging_bucket b, int64_t cents);
/* Add a whole row into another (the grand total); false on overflow
 * (into unchanged). */
bool aging_row_sum(aging_row *into, const aging_row *r);

/* The impairment (dépréciation) of `cents` at rate_bp basis points
 * (10000 = 100 %), rounded to the nearest cent, halves away from zero;
 * false when rate_bp is over 10000 or the product overflows. */
bool aging_impairment(int64_t cents, unsigned rate_bp, int64_t *out);

/* The bucket's column name (not_due, d1_30, ...) and its heading. */
const char *aging_bucket_name(enum aging_bucket b);
const char *aging_bucket_heading(enum aging_bucket b);

#endif
