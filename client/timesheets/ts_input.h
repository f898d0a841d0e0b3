/*
 * client/timesheets/ts_input.h — time sheets as people type them (issue
 * 19, `grandlivre timesheets import|set`): hours to the minute, months,
 * working times, and the CSV file `employee;month;action;hours` (an
 * optional fifth column: the working time in %), read whole into the
 * sheets it gives, each one employee's month.  Pure: no I/O.
 *
 *   hours: "7,5" or "7.5" (a decimal comma or point, at most 4 decimals,
 *          a whole number of minutes: 0.05 h is 3 min, 0.01 h is refused),
 *          or "7:30" (hours and minutes); more than 0
 *   month: "2026-03" or "202603"
 *   working time: "80", "80%", "80,5" (percent of full time, to the
 *          tenth: 1 to 1000 per mille)
 * Codes are taken in upper case.  Rows of the same employee, month and
 * action add up.  A first line whose month is not a month is a header.
 */
#ifndef GL_TS_INPUT_H
#define GL_TS_INPUT_H

#include "proto/analytic.h"
#include "proto/timesheet.h"
#include "proto/wire.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Minutes of hours text: true, or false when it is not hours to the
 * minute (or 0, or above 10,000 h). */
bool ts_hours_parse(const char *s, size_t len, uint32_t *minutes);
bool ts_month_parse(const char *s, size_t len, uint32_t *ym);
bool ts_basis_parse(const char *s, size_t len, uint16_t *per_mille);

typedef struct ts_item {
    char action[GL_AN_CODE_MAX + 1];
    uint32_t minutes;
} ts_item;

typedef struct ts_sheet {
    char employee[GL_AN_CODE_MAX + 1];
    uint32_t month;
    uint16_t basis_per_mille; /* 0: not given (the caller decides) */
    uint32_t line;            /* the file's first line of it (0: not from a file) */
    size_t n;
    ts_item items[GL_TS_ROWS_MAX]; /* by action */
} ts_sheet;

typedef struct ts_batch {
    size_t n, cap;
    ts_sheet *v; /* by (employee, month) */
} ts_batch;

void ts_batch_free(ts_batch *b);
/* Add minutes of action to (employee, month), basis 0 or the working
 * time given.  GL_OK; or GL_ERR_NOMEM; or GL_ERR_TIMESHEET_CSV with a
 * sentence in err: a code out of its syntax, a basis other than the
 * sheet's, more than GL_TS_ROWS_MAX actions, minutes past 2^32. */
int ts_batch_add(ts_batch *b, const char *employee, uint32_t month, const char *action,
                 uint32_t minutes, uint16_t basis_per_mille, uint32_t line, char *err,
                 size_t err_len);
/* The whole CSV text into b: GL_OK, GL_ERR_NOMEM, or GL_ERR_TIMESHEET_CSV
 * with "line N: ..." in err (the first fault; b then holds what came
 * before). */
int ts_csv_parse(const char *text, size_t len, ts_batch *b, char *err, size_t err_len);
/* The TIMESHEET_SET body of s with basis. */
void ts_sheet_put(gl_buf *b, const ts_sheet *s, uint16_t basis_per_mille);

#endif
