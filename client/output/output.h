/*
 * client/output/output.h — tabular output in the formats a person or a program
 * wants: an aligned table (amounts "1234.56" or, French, "1 234,56"), CSV
 * (header row, amounts "1234.56"), or JSON (an array of objects, amounts as
 * integer cents).  Cells are collected, then rendered once.  Used by the
 * CLI's commands and by the annual statements (client/statements/), which
 * is why it sits apart from both: it depends on proto/ and jansson only.
 *
 * CSV is opened in spreadsheets, and text cells hold what members wrote
 * (labels, piece references, auxiliary accounts): a text cell that starts
 * with '=', '+', '-', '@', TAB or CR is written with a leading "'" so that
 * no spreadsheet takes it for a formula (OWASP, "CSV injection").  Which
 * cells are text comes from the column's kind, never from the content:
 * amounts and integers are written as they are ("-12.34" stays a number).
 */
#ifndef GL_OUTPUT_H
#define GL_OUTPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum out_format { OUT_TABLE, OUT_TABLE_FR, OUT_CSV, OUT_JSON };

enum out_kind { OUT_TEXT, OUT_MONEY, OUT_INT };

typedef struct out_col {
    const char *name;
    enum out_kind kind;
} out_col;

typedef struct out_table out_table;

int out_parse_format(const char *s, enum out_format *f);
out_table *out_new(const out_col *cols, size_t ncols);
void out_free(out_table *t);
/* Cells are added left to right; a row ends after ncols cells. */
void out_text(out_table *t, const char *s, size_t len);
void out_cstr(out_table *t, const char *s);
void out_money(out_table *t, int64_t cents);
void out_int(out_table *t, int64_t v);
/* Write s as one CSV cell of a column of kind: a text cell starting with
 * a formula character gets a leading "'" (above); then the cell is quoted
 * when it holds a comma, a double quote, CR or LF (quotes doubled). */
void out_csv_cell(FILE *f, const char *s, enum out_kind kind);
/* Render to f. Returns 0 or -1 (out of memory or write error). */
int out_render(const out_table *t, enum out_format fmt, FILE *f);

#endif
