/* client/bank/statement.h — a bank statement as read from a bank's file
 * (CAMT.053, CFONB 120, OFX 1.x/2.x, CSV with a saved mapping), before the
 * client sends its lines to the daemon (issue 18).  Plain data: the parsers
 * (client/bank/parse_*.c) fill it from bytes, `bank import` sends it.
 * Depends on nothing but the C library.
 *
 * Amounts are exact int64 cents, signed from the account holder's side:
 * a credit on the bank account (money in) is positive, a debit negative.
 * Dates are u32 YYYYMMDD, the calendar date written in the file (never
 * shifted into another time zone).  Text is UTF-8 (converted from the
 * file's charset by the parser), trimmed, at most the sizes below (longer
 * text is cut at a character boundary, never refused). */
#ifndef GL_BANK_STATEMENT_H
#define GL_BANK_STATEMENT_H

#include <stddef.h>
#include <stdint.h>

#define GL_BANK_LABEL_MAX 140     /* bytes, without the NUL */
#define GL_BANK_REF_MAX 35        /* a bank reference, an end-to-end id */
#define GL_BANK_PARTY_MAX 70      /* a counterparty's name */
#define GL_BANK_ACCOUNT_ID_MAX 34 /* an IBAN, or a RIB written as one */
#define GL_BANK_ERROR_MAX 160

typedef enum {
    GL_BANK_FORMAT_AUTO = 0, /* detect from the content */
    GL_BANK_FORMAT_CAMT053 = 1,
    GL_BANK_FORMAT_CFONB120 = 2,
    GL_BANK_FORMAT_OFX = 3, /* 1.x (SGML) or 2.x (XML) */
    GL_BANK_FORMAT_CSV = 4, /* needs a mapping */
} gl_bank_format;

/* One movement as the bank reported it. */
typedef struct {
    uint32_t booking_date;                    /* date of the booking (comptabilisation) */
    uint32_t value_date;                      /* date de valeur; 0 if the file has none */
    int64_t amount_cents;                     /* + money in, - money out; never 0 */
    char label[GL_BANK_LABEL_MAX + 1];        /* the bank's words, as received */
    char bank_ref[GL_BANK_REF_MAX + 1];       /* the bank's id of this transaction
                                            (CAMT AcctSvcrRef/NtryRef, OFX FITID,
                                            CFONB reference); "" if none */
    char end_to_end_id[GL_BANK_REF_MAX + 1];  /* SEPA EndToEndId, cheque number; "" if none */
    char counterparty[GL_BANK_PARTY_MAX + 1]; /* debtor/creditor name; "" if none */
    char counterparty_iban[GL_BANK_ACCOUNT_ID_MAX + 1]; /* "" if none */
    uint32_t source_line; /* 1-based line (or XML element line) in the file */
} gl_bank_line;

/* One statement: one account, one period.  A CFONB file or a CAMT
 * document may hold several; the parsers return them in file order. */
typedef struct {
    char account_id[GL_BANK_ACCOUNT_ID_MAX +
                    1];                     /* IBAN, or "RIB:bbbbbgggggccccccccccckk" for a RIB */
    char currency[4];                       /* ISO 4217, e.g. "EUR" */
    char statement_id[GL_BANK_REF_MAX + 1]; /* CAMT Stmt/Id, OFX none: "" */
    uint32_t from_date, to_date;            /* first and last day covered */
    int has_opening;                        /* the file states an opening balance */
    int64_t opening_cents;                  /* solde de début, + in credit */
    int has_closing;
    int64_t closing_cents; /* solde de fin */
    size_t n_lines;
    gl_bank_line *lines; /* malloc'd; gl_bank_statements_free releases */
} gl_bank_statement;

typedef struct {
    size_t n;
    gl_bank_statement *items; /* malloc'd */
} gl_bank_statements;

/* Where a file was refused: the format tried, the 1-based line (or the
 * XML element's line), and the reason in English (msgid: the CLI
 * translates it). */
typedef struct {
    gl_bank_format format;
    uint32_t line;
    char reason[GL_BANK_ERROR_MAX + 1];
} gl_bank_error;

/* The CSV mapping `bank csv-mapping` saves (client/bank/csv_mapping.c). */
typedef struct {
    char separator;       /* ';' ',' '\t' */
    char decimal;         /* ',' or '.' */
    char date_format[16]; /* "DD/MM/YYYY", "YYYY-MM-DD", "DD.MM.YYYY" ... */
    unsigned skip_lines;  /* header lines to skip */
    int date_col;         /* 0-based columns; -1 when absent */
    int value_date_col;
    int label_col;
    int amount_col; /* signed amount, or: */
    int debit_col, credit_col;
    int ref_col;
} gl_bank_csv_mapping;

/* Parse `len` bytes.  Returns 0 and fills `out` (every statement checked:
 * opening + sum of lines = closing where the file states both), or -1 and
 * fills `err`, with `out` left empty.  Total on any input: never crashes,
 * never reads beyond `len`.  `mapping` is used for CSV only (may be NULL
 * otherwise). */
int gl_bank_parse(const uint8_t *bytes, size_t len, gl_bank_format format,
                  const gl_bank_csv_mapping *mapping, gl_bank_statements *out, gl_bank_error *err);

/* The format detected from the content, or GL_BANK_FORMAT_AUTO if none. */
gl_bank_format gl_bank_detect(const uint8_t *bytes, size_t len);

void gl_bank_statements_free(gl_bank_statements *s);

/* ---- Added by the parsers (client/bank/parse.c, csv_mapping.c) ---- */

/* What a file held besides its statement lines, for the user to see
 * (`bank parse` prints it): nothing here is imported. */
typedef struct {
    size_t pending_entries; /* CAMT entries not booked (Sts PDNG, INFO): kept aside,
                               neither lines nor part of the balance check */
    int64_t pending_cents;  /* their sum, signed */
    size_t zero_lines;      /* movements of 0.00, left out (a line is never 0) */
} gl_bank_notes;

/* gl_bank_parse, also filling *notes (zeroed first; may be NULL). */
int gl_bank_parse_noted(const uint8_t *bytes, size_t len, gl_bank_format format,
                        const gl_bank_csv_mapping *mapping, gl_bank_statements *out,
                        gl_bank_error *err, gl_bank_notes *notes);

/* "camt053", "cfonb120", "ofx", "csv" ("auto" for AUTO). */
const char *gl_bank_format_name(gl_bank_format f);
/* The format of a --format value (the names above, also "camt", "cfonb");
 * -1 if unknown. */
int gl_bank_format_parse(const char *name);

/* A CSV mapping as its INI text (client/bank/csv_mapping.c):
 *   [csv]  separator = semicolon (comma, tab, pipe)  decimal = ,  date_format = DD/MM/YYYY  skip = 1
 *          date_col = 0  value_date_col  label_col  amount_col  debit_col
 *          credit_col  ref_col   (0-based; absent or -1: no such column)
 * gl_bank_mapping_defaults: separator ';', decimal ',', DD/MM/YYYY, no
 * line skipped, every column -1. */
void gl_bank_mapping_defaults(gl_bank_csv_mapping *m);
/* The mapping is usable: a date and a label column, an amount column or
 * both debit and credit columns, a known date format, a separator other
 * than the decimal mark.  0, or -1 with *reason (English msgid). */
int gl_bank_mapping_check(const gl_bank_csv_mapping *m, const char **reason);
/* Write m as INI text into buf (NUL-ended).  Bytes written, or -1 if
 * buf is too small. */
int gl_bank_mapping_format(const gl_bank_csv_mapping *m, char *buf, size_t len);
/* The layout part of a mapping (separator, decimal mark, date format,
 * lines skipped), which other CSV mappings share (the payroll journal's,
 * client/payroll/): checked (0, or -1 with *reason), written as the
 * "[csv]" section's first keys (bytes, or -1 if buf is too small), and
 * one INI key read (1 taken, 0 a bad value, -1 not a layout key). */
int gl_csv_layout_check(const gl_bank_csv_mapping *m, const char **reason);
int gl_csv_layout_format(const gl_bank_csv_mapping *m, char *buf, size_t len);
int gl_csv_layout_key(gl_bank_csv_mapping *m, const char *key, const char *v);
/* One signed amount column, or both a debit and a credit column (the
 * others -1): 0, or -1 with *reason. */
int gl_csv_amount_columns_check(int amount_col, int debit_col, int credit_col, const char **reason);
/* A column number or a count in a mapping file: digits only, 0-1000.
 * 0 and *out, or -1. */
int gl_csv_mapping_number(const char *v, long *out);
/* Read INI text (NUL-ended) into m (defaults first, then checked).
 * 0, or -1 with *bad_line (1-based; 0 = the mapping as a whole is
 * unusable) and *reason. */
int gl_bank_mapping_parse(const char *text, gl_bank_csv_mapping *m, unsigned *bad_line,
                          const char **reason);

#endif
