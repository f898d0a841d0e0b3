/*
 * client/bank/parse_csv.c — a bank's CSV export read with a saved mapping
 * (gl_bank_csv_mapping, `bank csv-mapping`): for banks that export
 * nothing else.  One statement, with no balances (CSV exports state none
 * in a form one can rely on), no account (the import names it) and
 * currency EUR.
 *
 * The text is UTF-8 if it is valid UTF-8 (a BOM is dropped), else
 * Windows-1252, as French banks' exports are.  Fields are separated by
 * the mapping's separator; a field may be quoted "..." with "" for a
 * quote (and then hold the separator or a line break).  The first
 * `skip_lines` lines are skipped, and so are empty lines.  A row gives a
 * line: the date in the mapping's format, the label, the amount (signed)
 * or the debit and credit columns (a debit is money out whatever its
 * written sign; one of the two filled), with the mapping's decimal mark;
 * spaces (also non-breaking) inside an amount are thousands separators.
 * A row whose amount is 0 is left out (notes); a row with no amount at
 * all, or a bad date, is refused with its line.
 */
#include "bank_internal.h"
#include "csv_rows.h"

#include <stdlib.h>
#include <string.h>

static int fail(gl_bank_error *err, uint32_t line, const char *reason)
{
    return bank_fail(err, GL_BANK_FORMAT_CSV, line, reason);
}

/* The row's signed amount; 1 if it has none. */
static int row_amount(gl_csv_rows *r, const gl_bank_csv_mapping *m, int64_t *cents,
                      const char **reason)
{
    size_t n;
    const char *f;
    if (m->amount_col >= 0) {
        f = gl_csv_rows_field(r, m->amount_col, &n);
        if (!f || !n)
            return 1;
        return gl_csv_amount(f, n, m->decimal, cents, reason);
    }
    int64_t debit = 0, credit = 0;
    const char *d = gl_csv_rows_field(r, m->debit_col, &n);
    if (d && n && gl_csv_amount(d, n, m->decimal, &debit, reason))
        return -1;
    size_t dn = d ? n : 0;
    const char *c = gl_csv_rows_field(r, m->credit_col, &n);
    if (c && n && gl_csv_amount(c, n, m->decimal, &credit, reason))
        return -1;
    if (!dn && !(c && n))
        return 1;
    if (dn && c && n && debit && credit) {
        *reason = N_("a row with both a debit and a credit");
        return -1;
    }
    *cents = credit ? credit : debit < 0 ? debit : -debit;
    return 0;
}

static int one_row(gl_csv_rows *r, const gl_bank_csv_mapping *m, gl_bank_statement *st,
                   gl_bank_error *err, gl_bank_notes *notes, uint32_t line)
{
    const char *reason, *f;
    size_t n;
    int64_t cents = 0;
    int a = row_amount(r, m, &cents, &reason);
    if (a < 0)
        return fail(err, line, reason);
    if (a > 0)
        return fail(err, line, N_("a row without an amount"));
    f = gl_csv_rows_field(r, m->date_col, &n);
    uint32_t booked = f ? gl_csv_date(f, n, m->date_format) : 0;
    if (!booked)
        return fail(err, line, N_("a row without a valid date in the mapping's format"));
    uint32_t value = 0;
    if (m->value_date_col >= 0 && (f = gl_csv_rows_field(r, m->value_date_col, &n)) && n &&
        !(value = gl_csv_date(f, n, m->date_format)))
        return fail(err, line, N_("a row without a valid date in the mapping's format"));
    if (cents == 0) {
        notes->zero_lines++;
        return 0;
    }
    gl_bank_line *l = bank_new_line(st);
    if (!l)
        return fail(err, line, N_("out of memory"));
    l->booking_date = booked;
    l->value_date = value;
    l->amount_cents = cents;
    l->source_line = line;
    if ((f = gl_csv_rows_field(r, m->label_col, &n)))
        bank_text(l->label, GL_BANK_LABEL_MAX, f, n);
    if ((f = gl_csv_rows_field(r, m->ref_col, &n)))
        bank_text(l->bank_ref, GL_BANK_REF_MAX, f, n);
    if (!st->from_date || booked < st->from_date)
        st->from_date = booked;
    if (booked > st->to_date)
        st->to_date = booked;
    return 0;
}

static int parse_text(gl_csv_rows *r, const gl_bank_csv_mapping *m, gl_bank_statements *out,
                      gl_bank_error *err, gl_bank_notes *notes)
{
    const char *reason;
    if (gl_bank_mapping_check(m, &reason))
        return fail(err, 0, reason);
    gl_bank_statement *st = bank_new_statement(out);
    if (!st)
        return fail(err, 0, N_("out of memory"));
    memcpy(st->currency, "EUR", 4);
    uint32_t line;
    for (int more; (more = gl_csv_rows_next(r, &line));) {
        if (more < 0)
            return fail(err, line, N_("a quoted field that is never closed"));
        if (line <= m->skip_lines || gl_csv_rows_blank(r))
            continue;
        if (one_row(r, m, st, err, notes, line))
            return -1;
    }
    return 0;
}

int bank_parse_csv(const uint8_t *b, size_t n, const gl_bank_csv_mapping *m,
                   gl_bank_statements *out, gl_bank_error *err, gl_bank_notes *notes)
{
    gl_csv_rows *r = gl_csv_rows_open(b, n, m->separator);
    if (!r)
        return fail(err, 0, N_("out of memory"));
    int rc = parse_text(r, m, out, err, notes);
    gl_csv_rows_close(r);
    return rc;
}
