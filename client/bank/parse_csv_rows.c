/*
 * client/bank/parse_csv_rows.c — CSV text read row by row, and the
 * mapped date and amount fields (csv_rows.h): the bank's CSV statements
 * (parse_csv.c) and the payroll journal (client/payroll/) read files
 * through it.  Total on any bytes: never reads beyond the text.
 */
#include "bank_internal.h"
#include "csv_rows.h"

#include <stdlib.h>
#include <string.h>

struct gl_csv_rows {
    const char *s;
    char *utf8; /* the text converted from Windows-1252, or NULL */
    size_t n, i;
    uint32_t line;
    char sep;
    char field[GL_CSV_FIELDS_MAX][GL_CSV_FIELD_MAX + 1];
    size_t nf;
};
typedef struct gl_csv_rows csv;

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
            if (r->nf < GL_CSV_FIELDS_MAX)
                r->field[r->nf++][len] = '\0';
            len = 0;
            if (r->nf < GL_CSV_FIELDS_MAX)
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
        if (len < GL_CSV_FIELD_MAX && r->nf < GL_CSV_FIELDS_MAX)
            r->field[r->nf][len++] = ch;
    }
    if (quoted)
        *err = true;
    if (r->nf < GL_CSV_FIELDS_MAX)
        r->field[r->nf++][len] = '\0';
    if (!any && r->nf == 1 && !r->field[0][0])
        r->nf = 0;
    return true;
}

const char *gl_csv_rows_field(csv *r, int c, size_t *len)
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
uint32_t gl_csv_date(const char *s, size_t n, const char *fmt)
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
int gl_csv_amount(const char *s, size_t n, char decimal, int64_t *cents, const char **reason)
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

gl_csv_rows *gl_csv_rows_open(const uint8_t *b, size_t n, char separator)
{
    if (n >= 3 && !memcmp(b, "\xEF\xBB\xBF", 3))
        b += 3, n -= 3;
    csv *r = malloc(sizeof *r);
    if (!r)
        return NULL;
    r->utf8 = NULL;
    r->s = (const char *)b;
    if (!bank_utf8_valid(b, n)) {
        r->utf8 = bank_to_utf8(b, n, true, &n);
        if (!r->utf8) {
            free(r);
            return NULL;
        }
        r->s = r->utf8;
    }
    r->n = n;
    r->i = 0;
    r->line = 1;
    r->sep = separator;
    r->nf = 0;
    return r;
}

void gl_csv_rows_close(gl_csv_rows *r)
{
    if (r)
        free(r->utf8);
    free(r);
}

int gl_csv_rows_next(gl_csv_rows *r, uint32_t *line)
{
    bool bad_quote;
    if (!row(r, &bad_quote, line))
        return 0;
    return bad_quote ? -1 : 1;
}

bool gl_csv_rows_blank(const gl_csv_rows *r)
{
    return r->nf == 0 || (r->nf == 1 && !r->field[0][0]);
}
