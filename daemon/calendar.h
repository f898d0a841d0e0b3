/*
 * daemon/calendar.h — the rules that read the daemon's clock (issue 13):
 * the French calendar month of a request's recorded time (the writer's
 * batch time, x->now_ms, stored in every chain event, so that an offline
 * verifier reaches the same answer), the last day an entry may be dated,
 * and the closing deadline of a month.
 *
 * - A lock never runs ahead: periods lock through the current month at
 *   most (lock_ahead, 438).
 * - Entries are dated at most the last day of the fiscal year that is
 *   `future_years` (a tenant setting, default 1) after the current one
 *   (date_ahead, 439).
 * - A month's closing deadline is the end of the following month (PCG,
 *   Code de commerce L123-22: the chronology of each period is frozen at
 *   the latest before the end of the following period): a month still
 *   unlocked after it is overdue, flagged by PERIODS and in the warning of
 *   a successful post into it.
 *
 * Pure functions of their arguments: no storage, no clock reading.
 */
#ifndef GL_CALENDAR_H
#define GL_CALENDAR_H

#include <stdint.h>

/* The calendar month (YYYYMM) in France of a daemon time (ms since 1970). */
uint32_t calendar_month(int64_t now_ms);
/* ym plus n months (n may be negative). */
uint32_t calendar_month_add(uint32_t ym, int n);
/* The last month whose closing deadline has passed at now_ms (two months
 * before the current one): months up to it must be locked. */
uint32_t calendar_last_due_month(int64_t now_ms);
/* The last day an entry of a tenant (first_month, future_years) may be
 * dated at now_ms; 0 when no valid date is beyond it (years end at 2999). */
uint32_t calendar_last_entry_date(int64_t now_ms, unsigned first_month, unsigned future_years);

#endif
