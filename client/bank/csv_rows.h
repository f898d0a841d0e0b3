/*
 * client/bank/csv_rows.h — CSV text read row by row, and the date and
 * amount fields of a saved mapping: what the bank's CSV statements
 * (parse_csv.c) and the payroll journal (client/payroll/) share, so that
 * both read a file the same way.
 *
 * The bytes are UTF-8 if they are valid UTF-8 (a BOM is dropped), else
 * Windows-1252, converted.  Fields are separated by the separator; a
 * field may be quoted "..." with "" for a quote (and then hold the
 * separator or a line break).  At most GL_CSV_FIELDS_MAX fields of
 * GL_CSV_FIELD_MAX bytes a row (more is cut, never refused).  Depends on
 * the bank parsers' amount and charset helpers and the C library.
 */
#ifndef GL_CSV_ROWS_H
#define GL_CSV_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GL_CSV_FIELDS_MAX 64
#define GL_CSV_FIELD_MAX 512

typedef struct gl_csv_rows gl_csv_rows;

/* A reader over n bytes (not copied when they are UTF-8: they must
 * outlive the reader).  NULL when out of memory. */
gl_csv_rows *gl_csv_rows_open(const uint8_t *bytes, size_t n, char separator);
void gl_csv_rows_close(gl_csv_rows *r);
/* The next row: 1 and *line (the 1-based line it starts on), 0 at the
 * end of the text, -1 when a quoted field is never closed (*line set). */
int gl_csv_rows_next(gl_csv_rows *r, uint32_t *line);
/* The row is empty (no field, or one empty field). */
bool gl_csv_rows_blank(const gl_csv_rows *r);
/* Field col (0-based) of the row, trimmed of spaces and control
 * characters, *len its length; NULL if the row has no such column. */
const char *gl_csv_rows_field(gl_csv_rows *r, int col, size_t *len);

/* A date written in fmt ("DD/MM/YYYY", "YYYY-MM-DD", "DD.MM.YY": DD, MM
 * and YYYY or YY once each; a time may follow after a space), as
 * YYYYMMDD; 0 if malformed or impossible. */
uint32_t gl_csv_date(const char *s, size_t n, const char *fmt);
/* An amount written with the decimal mark ',' or '.': spaces, no-break
 * spaces, apostrophes and (with a decimal comma) points of thousands
 * removed; at most 2 significant decimals.  0 and *cents, or -1 and
 * *reason (an English msgid). */
int gl_csv_amount(const char *s, size_t n, char decimal, int64_t *cents, const char **reason);

#endif
