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

#include <stdlib.h>
#include <string.h>

#define FIELDS_MAX 64
#define FIELD_MAX 512

typedef struct {
    const char *s;
    size_t n, i;
    uint32_t line;
    char sep;
    char field[FIELDS_MAX][FIELD_MAX + 1];
    size_t nf;
} csv;

/* One row into r->field; false at the end of the text.  *err on a quote never closed. */
static bool row(csv *r, bool *err, uint32_t *first_line)
{
    *err = false;
    r->nf = 0;
    if (r->i >= r->n)
        return false;
    *first_line = r->line;
    size_t len = 0;
    bool quoted = false, any = false;
    r->field[0][0] = '\0';
    while (r->i < r->n) {
        char ch = r->s[r->i++];
        if (quoted) {
            if (ch == '"' && r->i < r->n && r->s[r->i] == '"')
                r->i++;
            else if (ch == '"') {
                quoted = false;
                continue;
            }
            r->line += ch == '\n';
        } else if (ch == '"' && len == 0) {
            quoted = true;
            any = true;
            continue;
        } else if (ch == r->sep || ch == '\n') {
            if (r->nf < FIELDS_MAX)
                r->field[r->nf++][len] = '\0';
            len = 0;
            if (r->nf < FIELDS_MAX)
                r->field[r->nf][0] = '\0';
            if (ch == '\n') {
                r->line++;
                return true;
            }
            any = true;
            continue;
        } else if (ch == '\r') {
            continue;
        }
        any = true;
        if (len < FIELD_MAX && r->nf < FIELDS_MAX)
            r->field[r->nf][len++] = ch;
    }
    if (quoted)
        *err = true;
    if (r->nf < FIELDS_MAX)
        r->field[r->nf++][len] = '\0';
    if (!any && r->nf == 1 && !r->field[0][0])
        r->nf = 0;
    return true;
}

/* The field of column col, trimmed; NULL if the row has no such column. */
static const char *col(csv *r, int c, size_t *len)
{
    if (c < 0 || (size_t)c >= r->nf)
        return NULL;
    char *f = r->field[c];
    size_t n = strlen(f);
    while (n && (unsigned char)f[n - 1] <= ' ')
        f[--n] = '\0';
    while (*f && (unsigned char)*f <= ' ')
        f++, n--;
    *len = n;
    return f;
}

/* A date in format fmt ("DD/MM/YYYY", "YYYY-MM-DD", "DD.MM.YY" ...). 0 if bad. */
static uint32_t mapped_date(const char *s, size_t n, const char *fmt)
{
    uint32_t d = 0, m = 0, y = 0;
    size_t i = 0, f = 0, fl = strlen(fmt);
    int ydigits = 0;
    while (f < fl) {
        uint32_t *dst = fmt[f] == 'D' ? &d : fmt[f] == 'M' ? &m : fmt[f] == 'Y' ? &y : NULL;
        if (!dst) {
            if (i >= n || s[i] != fmt[f])
                return 0;
            i++, f++;
            continue;
        }
        char k = fmt[f];
        while (f < fl && fmt[f] == k) {
            if (i >= n || s[i] < '0' || s[i] > '9')
                return 0;
            *dst = *dst * 10 + (uint32_t)(s[i] - '0');
            ydigits += k == 'Y';
            i++, f++;
        }
    }
    if (i != n && !(i < n && s[i] == ' ')) /* a time may follow the date */
        return 0;
    if (ydigits == 2)
        y += y < 80 ? 2000 : 1900;
    uint32_t ymd = y * 10000 + m * 100 + d;
    return bank_valid_date(ymd) ? ymd : 0;
}

/* s[i] is a '.' that separates thousands: three digits follow it, then
 * the end, the decimal comma, a space or another point ("1.234.567,89"),
 * and a digit precedes it.  "12.34" read with a decimal comma is refused,
 * never taken as 1 234. */
static bool thousands_point(const char *s, size_t n, size_t i)
{
    if (i == 0 || s[i - 1] < '0' || s[i - 1] > '9' || n - i < 4)
        return false;
    for (size_t k = 1; k <= 3; k++)
        if (s[i + k] < '0' || s[i + k] > '9')
            return false;
    return n - i == 4 || s[i + 4] == ',' || s[i + 4] == '.' || s[i + 4] == ' ';
}

/* An amount field: spaces, non-breaking spaces and the other mark than
 * the decimal one as thousands separator removed. */
static int mapped_amount(const char *s, size_t n, char decimal, int64_t *cents, const char **reason)
{
    char buf[64];
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.' && decimal == ',' && !thousands_point(s, n, i)) {
            *reason =
                N_("malformed amount: a point that is not a thousands separator "
                   "(the mapping's decimal mark is the comma)");
            return -1;
        }
        if (s[i] == ' ' || s[i] == '\'' || (s[i] == '.' && decimal == ','))
            continue;
        if (i + 1 < n && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA0) {
            i++;
            continue;
        }
        if (i + 2 < n && !memcmp(s + i, "\xE2\x80\xAF", 3)) { /* narrow no-break space */
            i += 2;
            continue;
        }
        if (o == sizeof buf)
            break;
        buf[o++] = s[i];
    }
    if (o == sizeof buf) {
        *reason = N_("malformed amount");
        return -1;
    }
    return bank_amount(buf, o, decimal, cents, reason);
}

static int fail(gl_bank_error *err, uint32_t line, const char *reason)
{
    return bank_fail(err, GL_BANK_FORMAT_CSV, line, reason);
}

/* The row's signed amount; 1 if it has none. */
static int row_amount(csv *r, const gl_bank_csv_mapping *m, int64_t *cents, const char **reason)
{
    size_t n;
    const char *f;
    if (m->amount_col >= 0) {
        f = col(r, m->amount_col, &n);
        if (!f || !n)
            return 1;
        return mapped_amount(f, n, m->decimal, cents, reason);
    }
    int64_t debit = 0, credit = 0;
    const char *d = col(r, m->debit_col, &n);
    if (d && n && mapped_amount(d, n, m->decimal, &debit, reason))
        return -1;
    size_t dn = d ? n : 0;
    const char *c = col(r, m->credit_col, &n);
    if (c && n && mapped_amount(c, n, m->decimal, &credit, reason))
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

static int one_row(csv *r, const gl_bank_csv_mapping *m, gl_bank_statement *st, gl_bank_error *err,
                   gl_bank_notes *notes, uint32_t line)
{
    const char *reason, *f;
    size_t n;
    int64_t cents = 0;
    int a = row_amount(r, m, &cents, &reason);
    if (a < 0)
        return fail(err, line, reason);
    if (a > 0)
        return fail(err, line, N_("a row without an amount"));
    f = col(r, m->date_col, &n);
    uint32_t booked = f ? mapped_date(f, n, m->date_format) : 0;
    if (!booked)
        return fail(err, line, N_("a row without a valid date in the mapping's format"));
    uint32_t value = 0;
    if (m->value_date_col >= 0 && (f = col(r, m->value_date_col, &n)) && n &&
        !(value = mapped_date(f, n, m->date_format)))
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
    if ((f = col(r, m->label_col, &n)))
        bank_text(l->label, GL_BANK_LABEL_MAX, f, n);
    if ((f = col(r, m->ref_col, &n)))
        bank_text(l->bank_ref, GL_BANK_REF_MAX, f, n);
    if (!st->from_date || booked < st->from_date)
        st->from_date = booked;
    if (booked > st->to_date)
        st->to_date = booked;
    return 0;
}

static int parse_text(csv *r, const gl_bank_csv_mapping *m, gl_bank_statements *out,
                      gl_bank_error *err, gl_bank_notes *notes)
{
    const char *reason;
    if (gl_bank_mapping_check(m, &reason))
        return fail(err, 0, reason);
    gl_bank_statement *st = bank_new_statement(out);
    if (!st)
        return fail(err, 0, N_("out of memory"));
    memcpy(st->currency, "EUR", 4);
    bool bad_quote;
    uint32_t line;
    while (row(r, &bad_quote, &line)) {
        if (bad_quote)
            return fail(err, line, N_("a quoted field that is never closed"));
        if (line <= m->skip_lines || r->nf == 0 || (r->nf == 1 && !r->field[0][0]))
            continue;
        if (one_row(r, m, st, err, notes, line))
            return -1;
    }
    return 0;
}

int bank_parse_csv(const uint8_t *b, size_t n, const gl_bank_csv_mapping *m,
                   gl_bank_statements *out, gl_bank_error *err, gl_bank_notes *notes)
{
    if (n >= 3 && !memcmp(b, "\xEF\xBB\xBF", 3))
        b += 3, n -= 3;
    char *u = NULL;
    const char *text = (const char *)b;
    if (!bank_utf8_valid(b, n)) {
        u = bank_to_utf8(b, n, true, &n);
        if (!u)
            return fail(err, 0, N_("out of memory"));
        text = u;
    }
    csv *r = malloc(sizeof *r);
    int rc = r ? 0 : fail(err, 0, N_("out of memory"));
    if (r) {
        r->s = text;
        r->n = n;
        r->i = 0;
        r->line = 1;
        r->sep = m->separator;
        rc = parse_text(r, m, out, err, notes);
    }
    free(r);
    free(u);
    return rc;
}
