/*
 * proto/date.h — calendar dates as u32 YYYYMMDD (sorts in date order when
 * stored big-endian), fiscal years and periods.
 *
 * A fiscal year is named by the calendar year in which it ends: with a first
 * month of 7, the year from 2024-07-01 to 2025-06-30 is fiscal year 2025.
 * Years are limited to 1900..2999 (a date outside is invalid).
 */
#ifndef GL_DATE_H
#define GL_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

bool gl_date_valid(uint32_t ymd);
/* A month YYYYMM: year 1900..2999 and month 1..12, checked on the parts
 * (division only) so that no value wraps into a valid one.  Every month
 * field of a request is checked with this, before anything is computed
 * from it. */
bool gl_month_valid(uint32_t ym);
/* The last day (YYYYMMDD) of a month; 0 (not a date) if ym is not a valid
 * month. */
uint32_t gl_month_last_day(uint32_t ym);
/* The month after ym (2999-12 gives 3000-01, itself not a valid month);
 * 0 if ym is not a valid month. */
uint32_t gl_month_next(uint32_t ym);
/* Parse ISO "YYYY-MM-DD" (exactly 10 bytes) or compact "YYYYMMDD" (8). */
bool gl_date_parse(const char *s, size_t len, uint32_t *ymd);
/* Write "YYYY-MM-DD" into out[11]. */
char *gl_date_format(uint32_t ymd, char out[11]);
int gl_days_in_month(unsigned year, unsigned month);

/* Fiscal year (by its end year) of a valid date, first_month in 1..12. */
uint16_t gl_fiscal_year(uint32_t ymd, unsigned first_month);
/* First and last day of fiscal year fy. */
uint32_t gl_fiscal_year_start(uint16_t fy, unsigned first_month);
uint32_t gl_fiscal_year_end(uint16_t fy, unsigned first_month);
/* The day after / before a valid date. */
uint32_t gl_date_next(uint32_t ymd);
uint32_t gl_date_prev(uint32_t ymd);

/* The calendar date in France (CET/CEST, the EU rule since 1996) of a
 * moment in milliseconds since 1970-01-01 UTC: the day a French
 * accountant would write, whatever the machine's time zone. */
uint32_t gl_date_paris(int64_t ms);

/* A moment in milliseconds since 1970-01-01 UTC as ISO 8601 UTC text to
 * the second ("2026-12-05T03:45:17Z"), or as a count ("-5 ms") before 1970
 * or from year 10000 on.  For messages and logs. */
#define GL_UTC_TEXT_MAX 32
void gl_utc_text(int64_t ms, char out[GL_UTC_TEXT_MAX]);

#endif
