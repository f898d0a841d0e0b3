/*
 * proto/timesheet.h — time sheets (issue 19; PROTOCOL.md §5.53, §5.54):
 * per tenant, per employee (a code of the analytic axis `salarie`) and per
 * month, the minutes worked on each action (codes of the axis `action`),
 * with the employee's working time.  `grandlivre staff-costs` divides each
 * employee's gross employment costs of a year (accounts 641x/645x) by the
 * hours behind the European rate and allocates them to the actions in
 * proportion to these minutes.
 *
 * The rate (Regulation (EU) 2021/1060 art. 55(2)(a)): the annual gross
 * employment costs divided by 1,720 hours for a person working full time,
 * by the same pro rata of 1,720 hours for part time: basis_per_mille 1000
 * is full time (1,720 h = 103,200 minutes a year), 800 is 80 % (1,376 h).
 * Art. 55(3): the hours declared never exceed the hours behind the rate.
 *
 *   sheet = TIMESHEET_SET (53) body = TIMESHEET event (22) payload:
 *     employee str8 (a code, proto/analytic.h) | month u32 (YYYYMM) |
 *     basis_per_mille u16 (1..1000) | count u16 (0..GL_TS_ROWS_MAX) |
 *     (action str8 (a code) | minutes u32 (> 0))*count
 *   actions in strictly increasing byte order.  It replaces that
 *   employee's sheet for that month; count 0 clears the month.  The same
 *   sheet again (or clearing a month without a sheet): empty reply,
 *   nothing written.  Reply: empty.
 *   TIMESHEETS (54) body: year u16 (a fiscal year) | employee str8 (""
 *     every employee).  Reply: count u32 | sheet*count, the sheets of
 *     the months of that fiscal year, in (employee, month) order.
 *
 * The year of a sheet is the tenant's fiscal year holding its month
 * (gl_fiscal_year, proto/date.h).  The basis of an employee's year is the
 * mean of the bases of the year's sheets, one per month that has one
 * (full time January-November and 50 % in December: 11,500 / 12 =
 * 958.33 per mille, 1,648 h 20 — not the 860 h of the latest month
 * alone; with a sheet every month, it is exactly the sum over the months
 * of basis × 1,720 h / 12, "1,720 h pro rata"): the year's minutes may
 * not pass gl_ts_year_minutes_cap of it (491), a month's minutes not
 * gl_ts_month_minutes_max of the sheet's basis (492: 1.5 times a twelfth
 * of the year, 215 h for full time: beyond the legal maximum of 48 hours
 * a week, so a real month always fits).
 *
 * Pure: no allocation; decoded strings point into the bytes.
 */
#ifndef GL_PROTO_TIMESHEET_H
#define GL_PROTO_TIMESHEET_H

#include "wire.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GL_TS_ROWS_MAX 64     /* actions on one employee's month */
#define GL_TS_BASIS_FULL 1000 /* basis_per_mille of full time */
#define GL_TS_YEAR_HOURS 1720 /* hours of a full-time year (art. 55(2)(a)) */
#define GL_TS_AXIS_EMPLOYEE "salarie"
#define GL_TS_AXIS_ACTION "action"

/* One row of a sheet. */
typedef struct gl_ts_row {
    gl_str action;
    uint32_t minutes;
} gl_ts_row;

/* A sheet (the TIMESHEET_SET body, a TIMESHEETS reply row), decoded: the
 * rows are walked with gl_ts_rows_next. */
typedef struct gl_timesheet {
    gl_str employee;
    uint32_t month;
    uint16_t basis_per_mille;
    uint16_t count;
    const uint8_t *rows; /* count rows, structure checked by the decoder */
    size_t rows_len;
} gl_timesheet;

/* Encoding: the head, then count rows with gl_ts_row_put. */
void gl_ts_head_put(gl_buf *b, gl_str employee, uint32_t month, uint16_t basis_per_mille,
                    uint16_t count);
void gl_ts_row_put(gl_buf *b, const gl_ts_row *r);
/* A whole sheet (head and rows) from c: GL_OK, or MALFORMED, STRING_*,
 * COUNT_LIMIT (count above GL_TS_ROWS_MAX; *bad_row then 0) with *bad_row
 * the 1-based row at fault.  Structure only: gl_ts_check says the rest. */
int gl_ts_get(gl_cur *c, gl_timesheet *out, uint32_t *bad_row);
/* The TIMESHEET_SET body: gl_ts_get and nothing after it. */
int gl_ts_set_q_decode(const uint8_t *body, size_t len, gl_timesheet *out, uint32_t *bad_row);
/* The rows of a decoded sheet: *pos starts at 0; false after the last. */
bool gl_ts_rows_next(const gl_timesheet *s, size_t *pos, gl_ts_row *out);

/* The sheet's field rules, what is neither storage nor chart:
 * GL_TS_OK, or which rule it breaks (*bad_row: the 1-based row, else 0). */
typedef enum gl_ts_fault {
    GL_TS_OK = 0,
    GL_TS_BAD_BASIS,    /* basis_per_mille out of 1..1000 (493) */
    GL_TS_BAD_MONTH,    /* not a YYYYMM of years 1900..2999 (495) */
    GL_TS_BAD_EMPLOYEE, /* not a code's syntax (495) */
    GL_TS_BAD_ACTION,   /* an action not a code's syntax (495) */
    GL_TS_ACTION_ORDER, /* actions not strictly increasing (495) */
    GL_TS_ZERO_MINUTES, /* a row of 0 minutes (495) */
    GL_TS_MONTH_OVER,   /* Σ minutes above gl_ts_month_minutes_max (492) */
} gl_ts_fault;
gl_ts_fault gl_ts_check(const gl_timesheet *s, uint32_t *bad_row);
/* The sheet's minutes (at most GL_TS_ROWS_MAX * UINT32_MAX: no overflow). */
uint64_t gl_ts_minutes(const gl_timesheet *s);

/* Minutes a year of that basis holds: basis × 1,720 h / 1000, in
 * minutes, rounded down (103,200 for 1000; 82,560 for 800). */
uint64_t gl_ts_year_minutes_max(uint16_t basis_per_mille);
/* Minutes a month of that basis holds: 1.5 × a twelfth of the year,
 * rounded down (12,900 = 215 h for 1000). */
uint64_t gl_ts_month_minutes_max(uint16_t basis_per_mille);
/* Minutes a year of n sheets holds whose bases sum to basis_sum (the
 * year's basis is their mean): 103,200 × basis_sum / (1000 × n), rounded
 * down, in one division; 0 when n is 0.  gl_ts_year_minutes_max(b) is
 * gl_ts_year_minutes_cap(b, 1). */
uint64_t gl_ts_year_minutes_cap(uint32_t basis_sum, uint32_t n);

/* TIMESHEETS (54). */
typedef struct gl_ts_list_q {
    uint16_t year;
    gl_str employee; /* "" every employee */
} gl_ts_list_q;
void gl_ts_list_q_encode(gl_buf *b, const gl_ts_list_q *q);
/* MALFORMED, TRAILING_BYTES, STRING_*; the year and the employee's
 * syntax are the daemon's (495). */
int gl_ts_list_q_decode(const uint8_t *body, size_t len, gl_ts_list_q *out);

/* The reply, read sheet by sheet. */
typedef struct gl_ts_reply_iter {
    gl_cur cur;
    uint32_t left;
} gl_ts_reply_iter;
int gl_ts_reply_begin(const uint8_t *body, size_t len, gl_ts_reply_iter *it);
/* GL_OK and *out, GL_ERR_NOT_FOUND after the last (the body then fully
 * read), or MALFORMED. */
int gl_ts_reply_next(gl_ts_reply_iter *it, gl_timesheet *out);

#endif
