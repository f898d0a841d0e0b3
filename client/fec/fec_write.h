/*
 * client/fec/fec_write.h — writing a FEC (Fichier des Écritures Comptables,
 * LPF art. A47 A-1) from the ledger's entries.  Pure: entries in, bytes out
 * into a gl_buf, no I/O, no allocation besides the buffer's.
 *
 * The file: a header line with the 18 column names, then one line per entry
 * line, fields joined by one separator (tab or '|'), each line ending in LF.
 * Dates AAAAMMJJ; amounts with a decimal comma and no thousands separator
 * ("1234,56", zero "0,00"); Montantdevise and Idevise empty.  Text is
 * written in ISO 8859-15 (converted from the ledger's UTF-8; a character the
 * charset lacks is refused, never replaced) or in UTF-8.  A field may not
 * hold the separator (refused: the FEC has no quoting).  The reader,
 * client/fec/fec_read.c, reads every file written here back to the same
 * entries.
 *
 * What goes in each column of an entry line:
 *   JournalCode   the entry's journal     JournalLib  gl_fec_journal_label
 *   EcritureNum   the ledger's number     EcritureDate  the entry's date
 *   CompteNum     the line's account      CompteLib   the chart's label
 *   CompAuxNum    the line's aux          CompAuxLib  the line's aux label
 *   PieceRef      the entry's piece       PieceDate   the entry's piece date
 *   EcritureLib   the line's label, or the entry's when the line has none
 *   Debit/Credit  the line's amount on its side, 0,00 on the other
 *   EcritureLet / DateLet  the line's letter code and date (empty if none)
 *   ValidDate     the entry's validation date (extension type 1, kept from
 *                 an imported FEC), else the day the daemon recorded it,
 *                 in French time
 * The result-closing entry (GL_ENTRY_RESULT_CLOSING) is left out, as the
 * regulation wants (it is numbered last in its year: numbering stays
 * continuous).
 */
#ifndef GL_FEC_WRITE_H
#define GL_FEC_WRITE_H

#include "proto/entry.h"
#include "proto/money.h"
#include "proto/wire.h"

#include <stddef.h>
#include <stdint.h>

#define GL_FEC_COLUMNS 18

/* The column names, in the regulation's order. */
extern const char *const gl_fec_columns[GL_FEC_COLUMNS];

enum gl_fec_charset {
    GL_FEC_OUT_LATIN9, /* ISO 8859-15 (the default: a charset the regulation names) */
    GL_FEC_OUT_UTF8,
};

typedef struct gl_fec_format {
    char sep; /* '\t' or '|' */
    enum gl_fec_charset charset;
} gl_fec_format;

/* Results of the record writers. */
enum {
    GL_FEC_OK = 0,
    GL_FEC_UNREPRESENTABLE = -1, /* a character ISO 8859-15 lacks */
    GL_FEC_SEPARATOR = -2,       /* a field holds the separator */
    GL_FEC_NOT_TEXT = -3,        /* not UTF-8, or a control character */
    GL_FEC_NOMEM = -4,
};

/* "1234,56" for a non-negative amount of cents (asserted); out holds
 * GL_MONEY_TEXT_MAX bytes.  Returns out. */
char *gl_fec_amount(int64_t cents, char out[GL_MONEY_TEXT_MAX]);

/* "AAAAMMJJ" into out[9]; "" for 0 (no date).  Returns out. */
char *gl_fec_date(uint32_t ymd, char out[9]);

/* The calendar day (YYYYMMDD) in metropolitan France (CET, CEST from the
 * last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC)
 * of a timestamp in milliseconds since the epoch.  Independent of the
 * machine's time zone, so two exports of the same ledger are identical. */
uint32_t gl_fec_paris_date(int64_t ms);

/* The usual label of a journal code (AN À-nouveaux, AC Achats, VT and VE
 * Ventes, BQ Banque, OD Opérations diverses, SA Salaires, CV Contributions
 * volontaires, CL Clôture), in UTF-8; NULL for another code. */
const char *gl_fec_journal_label(gl_str code);

/* "<SIREN>FEC<AAAAMMJJ>.txt" into out.  Returns 0, or -1 if siren is not
 * exactly 9 digits, the date is not valid or out is too small (out is then
 * ""). */
int gl_fec_file_name(const char *siren, uint32_t closing_ymd, char *out, size_t out_len);

/* Append s[0..len) (UTF-8) to out in ISO 8859-15.  Returns GL_FEC_OK, or
 * GL_FEC_UNREPRESENTABLE / GL_FEC_NOT_TEXT with *bad_cp the code point at
 * fault (0 for a malformed sequence); out is then unchanged. */
int gl_fec_to_latin9(gl_buf *out, const char *s, size_t len, uint32_t *bad_cp);

/* Append the header line. */
int gl_fec_put_header(gl_buf *out, const gl_fec_format *f);

/* Append one line from 18 UTF-8 fields (column order).  Returns GL_FEC_OK
 * or an error with *bad_field the 0-based column at fault and *bad_cp the
 * code point (GL_FEC_UNREPRESENTABLE); out is then unchanged. */
int gl_fec_put_record(gl_buf *out, const gl_fec_format *f, const gl_str fields[GL_FEC_COLUMNS],
                      size_t *bad_field, uint32_t *bad_cp);

/* The letter code and date of one line (empty code and 0: unlettered). */
typedef struct gl_fec_letter {
    gl_str code;
    uint32_t date;
} gl_fec_letter;

/* Where an entry comes from in the ledger. */
typedef struct gl_fec_entry_meta {
    uint16_t fy;
    uint32_t num;
    int64_t recorded_ms;
    const gl_fec_letter *letters; /* one per line, or NULL: none lettered */
} gl_fec_entry_meta;

/* The chart label of an account ("" if unknown). */
typedef gl_str (*gl_fec_label_fn)(void *user, gl_str account);

/* Append the lines of entry e (none for the result-closing entry).
 * Returns the number of lines written (>= 0), or an error (< 0) with a
 * message naming the entry, line and column in err ("entry 2025/17, line
 * 2, EcritureLib: U+2019 is not in ISO 8859-15"); out is then unchanged. */
int gl_fec_put_entry(gl_buf *out, const gl_fec_format *f, const gl_entry *e,
                     const gl_fec_entry_meta *m, gl_fec_label_fn label, void *user, char *err,
                     size_t err_len);

#endif
