/*
 * client/input/entries_csv.h — reading entries to post from a CSV file, for
 * the treasurer who keeps a spreadsheet: one row per entry LINE.
 *
 * The first row that is not a comment is the header; its columns may come
 * in any order, names case-insensitive:
 *   date;journal;piece;piece_date;label;account;aux;aux_label;line_label;debit;credit;analytic
 * date, journal, piece, label, account and one of debit/credit per row are
 * required; piece_date (default: date), aux, aux_label and line_label are
 * optional columns; tenant is an optional column too (default --tenant).
 * analytic (optional, issue 19) holds the line's analytic codes,
 * axis=codes;axis=codes, each codes spec as client/analytic/an_spec.h
 * reads it ("action=FSE-2026;financeur=FSE:60%,VILLE:40%"), in double
 * quotes since it holds the separators; empty: no code.  A refusal names
 * the file's line ("line 3: analytic: the percentages do not sum to
 * 100%: 90.0000% != 100%").
 * The separator is ';' or ',', whichever the header holds (';' if both).
 * Fields may be double-quoted ("" inside for one quote), so that a ','
 * file can carry "120,50".  Amounts: digits with at most two decimals
 * after '.' or ',' (French or dot decimals), on one side only per row.
 * A row with an empty date, journal, piece and label continues the entry
 * above; a row that gives them starts a new entry unless they equal the
 * previous row's (so a spreadsheet may repeat them on every row).  Empty
 * rows and rows whose first field starts with '#' are skipped (comments).
 * A UTF-8 byte order mark is skipped.  Every refusal names the file's line.
 */
#ifndef GL_ENTRIES_CSV_H
#define GL_ENTRIES_CSV_H

#include "entry_set.h"

#include <stddef.h>

/* Returns 0, or -1 with "line N: reason" in err; out is left empty on
 * failure.  Each entry's source_line is the file line of its first row. */
int gl_entries_from_csv(const char *text, size_t len, const char *default_tenant, gl_entry_set *out,
                        char *err, size_t err_len);

/* The fields of an entry as a person typed them, in a CSV file or the
 * web's Saisie, cleaned alike: spaces and tabs at both ends removed (a
 * date or an amount pasted), and a journal or account in capitals (ASCII
 * letters only), both in place. */
void gl_field_trim(char *s);
void gl_field_upper(char *s);

#endif
