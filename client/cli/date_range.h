/*
 * client/cli/date_range.h — the dates `journal` and `ledger` take, which
 * may be partial as in hledger: `2025` (the year), `2025-03` (the month),
 * `2025-03-15` (the day).  --from and --to are inclusive (--to 2025-03 runs
 * through 31 March); -b is --from, -e is exclusive (-e 2025-04 runs through
 * 31 March).  Parsing only: no I/O, messages written into a caller buffer.
 */
#ifndef GL_CLI_DATE_RANGE_H
#define GL_CLI_DATE_RANGE_H

#include <stddef.h>
#include <stdint.h>

/* The first and last day (YYYYMMDD) that s covers.  Returns 0, or
 * GL_ERR_BAD_DATE_TEXT (969) with err naming the value and the fault
 * ("2025-02-30: that day does not exist", "2025-13: no such month"). */
int date_span(const char *s, uint32_t *first, uint32_t *last, char *err, size_t err_len);

/* The bounds given (each may be NULL: from/begin the start, to inclusive,
 * end exclusive), over the default [default_from, default_to] for those
 * not given, into an inclusive range.  Returns 0; GL_ERR_BAD_DATE_TEXT
 * (969) for a value that is no date; GL_ERR_USAGE (903) for two values of
 * one bound (--from and -b, --to and -e); GL_ERR_EMPTY_RANGE (970) when
 * the range holds no day.  err names the value at fault. */
typedef struct date_bounds {
    const char *from, *to, *begin, *end;
} date_bounds;
int date_range(const date_bounds *b, uint32_t default_from, uint32_t default_to, uint32_t *from,
               uint32_t *to, char *err, size_t err_len);

#endif
