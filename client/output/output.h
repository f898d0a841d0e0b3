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
 *
 * For people (the table formats): column headers are translated with
 * gettext at render time (the English names in out_col are the msgids, so
 * no caller changes for a language); OUT_TABLE_FR writes amounts
 * "1 234,56" and dates "31/03/2025"; text columns are cut with an ellipsis
 * "…" so that a row fits the terminal (out_set_wide turns that off).
 * Machines (CSV, JSON) get English names, dot decimals and ISO dates
 * whatever the language; OUT_CSV_FR is CSV for French spreadsheets: ';'
 * between cells, decimal comma, a UTF-8 byte order mark first.
 */
#ifndef GL_OUTPUT_H
#define GL_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum out_format { OUT_TABLE, OUT_TABLE_FR, OUT_CSV, OUT_JSON, OUT_CSV_FR };

/* OUT_DATE: a u32 YYYYMMDD (0: empty), "2025-03-31", in French tables "31/03/2025". */
/* OUT_REF: text a table never cuts (a line reference people copy,
 * 2025/12:2); OUT_TEXT may be cut with "…" to fit the terminal. */
enum out_kind { OUT_TEXT, OUT_REF, OUT_MONEY, OUT_INT, OUT_DATE };

typedef struct out_col {
    const char *name;
    enum out_kind kind;
} out_col;

typedef struct out_table out_table;

int out_parse_format(const char *s, enum out_format *f);
out_table *out_new(const out_col *cols, size_t ncols);
void out_free(out_table *t);
/* Leave column col out of aligned tables (CSV and JSON keep it): a column
 * another one repeats for the eye (a line reference holds its entry). */
void out_hide_in_table(out_table *t, size_t col);
/* Cells are added left to right; a row ends after ncols cells. */
void out_text(out_table *t, const char *s, size_t len);
void out_cstr(out_table *t, const char *s);
void out_money(out_table *t, int64_t cents);
void out_int(out_table *t, int64_t v);
void out_date(out_table *t, uint32_t ymd);
/* Tables show text cells whole (--wide) instead of fitting them to the
 * terminal's width (stdout a terminal) or to OUT_WIDTH_DEFAULT columns. */
void out_set_wide(bool wide);
#define OUT_WIDTH_DEFAULT 100
/* Print head, then tail cut (out_fit) so that the line fits where a table
 * would (whole with --wide), then a newline: a title above a table. */
void out_title(FILE *f, const char *head, const char *tail);
/* Display columns of UTF-8 text: combining and zero-width characters 0,
 * East Asian wide ones 2, others 1 (an invalid byte counts 1). */
size_t out_display_width(const char *s);
/* Copy s into out (out_len bytes) cut to at most max_cols display
 * columns, on a character boundary, ending with "…" when cut.  Returns
 * out. */
char *out_fit(const char *s, size_t max_cols, char *out, size_t out_len);
/* Write s as one CSV cell of a column of kind: a text cell starting with
 * a formula character gets a leading "'" (above); then the cell is quoted
 * when it holds a comma, a double quote, CR or LF (quotes doubled). */
void out_csv_cell(FILE *f, const char *s, enum out_kind kind);
/* The same with a separator of choice (',' or ';': a cell holding it is quoted). */
void out_csv_cell_sep(FILE *f, const char *s, enum out_kind kind, char sep);
/* Render to f. Returns 0 or -1 (out of memory or write error). */
int out_render(const out_table *t, enum out_format fmt, FILE *f);

#endif
