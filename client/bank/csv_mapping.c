/*
 * client/bank/csv_mapping.c — the CSV mapping as INI text, as
 * `bank csv-mapping` saves it (one small file per mapping, see
 * client/cli/cmd_bank_mapping.c for where) and `bank parse --mapping`
 * reads it back (inih).  Written and read here so that the file's layout
 * is in one place:
 *
 *   [csv]
 *   separator = semicolon  (semicolon, comma, tab or pipe: inih takes a
 *                          ';' after a space for a comment)
 *   decimal = ,
 *   date_format = DD/MM/YYYY
 *   skip = 1
 *   date_col = 0
 *   label_col = 2
 *   debit_col = 3
 *   credit_col = 4         (columns 0-based; a column not written is absent)
 */
#include "bank_internal.h"

#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gl_bank_mapping_defaults(gl_bank_csv_mapping *m)
{
    memset(m, 0, sizeof *m);
    m->separator = ';';
    m->decimal = ',';
    memcpy(m->date_format, "DD/MM/YYYY", 11);
    m->date_col = m->value_date_col = m->label_col = m->amount_col = -1;
    m->debit_col = m->credit_col = m->ref_col = -1;
}

/* DD, MM and YYYY (or YY) once each, separated by one character each. */
static bool date_format_ok(const char *f)
{
    int d = 0, m = 0, y = 0;
    for (size_t i = 0; f[i];) {
        size_t k = 1;
        while (f[i + k] == f[i])
            k++;
        if (f[i] == 'D')
            d += k == 2 ? 1 : 9;
        else if (f[i] == 'M')
            m += k == 2 ? 1 : 9;
        else if (f[i] == 'Y')
            y += k == 2 || k == 4 ? 1 : 9;
        else if (k != 1 || (f[i] >= '0' && f[i] <= '9'))
            return false;
        i += k;
    }
    return d == 1 && m == 1 && y == 1;
}

int gl_csv_layout_check(const gl_bank_csv_mapping *m, const char **reason)
{
    if (!strchr(";,\t|", m->separator) || !m->separator)
        return *reason = N_("the separator must be ; , | or tab"), -1;
    if ((m->decimal != ',' && m->decimal != '.') || m->decimal == m->separator)
        return *reason = N_("the decimal mark must be , or . and differ from the separator"), -1;
    if (!memchr(m->date_format, '\0', sizeof m->date_format) || !date_format_ok(m->date_format))
        return *reason = N_("the date format must hold DD, MM and YYYY (or YY), e.g. DD/MM/YYYY"),
               -1;
    if (m->skip_lines > 1000)
        return *reason = N_("at most 1000 lines may be skipped"), -1;
    return 0;
}

int gl_bank_mapping_check(const gl_bank_csv_mapping *m, const char **reason)
{
    const int cols[] = {m->date_col,  m->value_date_col, m->label_col, m->amount_col,
                        m->debit_col, m->credit_col,     m->ref_col};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        if (cols[i] < -1 || cols[i] >= 64)
            return *reason = N_("a column number must be between 0 and 63"), -1;
    if (gl_csv_layout_check(m, reason))
        return -1;
    if (m->date_col < 0 || m->label_col < 0)
        return *reason = N_("a mapping needs a date column and a label column"), -1;
    return gl_csv_amount_columns_check(m->amount_col, m->debit_col, m->credit_col, reason);
}

int gl_csv_amount_columns_check(int amount_col, int debit_col, int credit_col, const char **reason)
{
    if ((amount_col >= 0) == (debit_col >= 0 || credit_col >= 0) ||
        (amount_col < 0 && (debit_col < 0 || credit_col < 0)))
        return *reason = N_("a mapping needs an amount column, or a debit and a credit column"), -1;
    return 0;
}

static const char *separator_name(char sep)
{
    return sep == '\t' ? "tab" : sep == ';' ? "semicolon" : sep == ',' ? "comma" : "pipe";
}

int gl_csv_layout_format(const gl_bank_csv_mapping *m, char *buf, size_t len)
{
    int n = snprintf(buf, len, "[csv]\nseparator = %s\ndecimal = %c\ndate_format = %s\nskip = %u\n",
                     separator_name(m->separator), m->decimal, m->date_format, m->skip_lines);
    return n < 0 || (size_t)n >= len ? -1 : n;
}

int gl_bank_mapping_format(const gl_bank_csv_mapping *m, char *buf, size_t len)
{
    int n = gl_csv_layout_format(m, buf, len);
    const struct {
        const char *key;
        int col;
    } cols[] = {{"date_col", m->date_col},   {"value_date_col", m->value_date_col},
                {"label_col", m->label_col}, {"amount_col", m->amount_col},
                {"debit_col", m->debit_col}, {"credit_col", m->credit_col},
                {"ref_col", m->ref_col}};
    for (size_t i = 0; n >= 0 && (size_t)n < len && i < sizeof cols / sizeof cols[0]; i++)
        if (cols[i].col >= 0)
            n += snprintf(buf + n, len - (size_t)n, "%s = %d\n", cols[i].key, cols[i].col);
    return n < 0 || (size_t)n >= len ? -1 : n;
}

typedef struct {
    gl_bank_csv_mapping *m;
    const char *reason;
} reading;

int gl_csv_mapping_number(const char *v, long *out)
{
    char *end;
    if (!*v || *v < '0' || *v > '9')
        return -1;
    *out = strtol(v, &end, 10);
    return *end || *out > 1000 ? -1 : 0;
}

int gl_csv_layout_key(gl_bank_csv_mapping *m, const char *key, const char *v)
{
    long n = 0;
    if (!strcmp(key, "separator")) {
        if (!strcmp(v, "tab"))
            m->separator = '\t';
        else if (!strcmp(v, "semicolon"))
            m->separator = ';';
        else if (!strcmp(v, "comma"))
            m->separator = ',';
        else if (!strcmp(v, "pipe"))
            m->separator = '|';
        else if (strlen(v) == 1)
            m->separator = v[0];
        else
            return 0;
    } else if (!strcmp(key, "decimal")) {
        if (strlen(v) != 1)
            return 0;
        m->decimal = v[0];
    } else if (!strcmp(key, "date_format")) {
        if (strlen(v) >= sizeof m->date_format)
            return 0;
        strcpy(m->date_format, v);
    } else if (!strcmp(key, "skip")) {
        if (gl_csv_mapping_number(v, &n))
            return 0;
        m->skip_lines = (unsigned)n;
    } else {
        return -1;
    }
    return 1;
}

static int on_key(void *user, const char *section, const char *key, const char *v)
{
    reading *r = user;
    gl_bank_csv_mapping *m = r->m;
    long n = 0;
    static const char *const col_keys[] = {"date_col",  "value_date_col", "label_col", "amount_col",
                                           "debit_col", "credit_col",     "ref_col"};
    int *const cols[] = {&m->date_col,  &m->value_date_col, &m->label_col, &m->amount_col,
                         &m->debit_col, &m->credit_col,     &m->ref_col};
    r->reason = N_("unknown key or bad value in the mapping");
    if (strcmp(section, "csv"))
        return 0;
    int layout = gl_csv_layout_key(m, key, v);
    if (layout == 0)
        return 0;
    if (layout < 0) {
        size_t i = 0;
        while (i < 7 && strcmp(key, col_keys[i]))
            i++;
        if (i == 7 || gl_csv_mapping_number(v, &n))
            return 0;
        *cols[i] = (int)n;
    }
    r->reason = NULL;
    return 1;
}

int gl_bank_mapping_parse(const char *text, gl_bank_csv_mapping *m, unsigned *bad_line,
                          const char **reason)
{
    gl_bank_mapping_defaults(m);
    reading r = {m, NULL};
    int line = ini_parse_string(text, on_key, &r);
    if (line) {
        *bad_line = line > 0 ? (unsigned)line : 0;
        *reason = r.reason ? r.reason : N_("malformed mapping file");
        return -1;
    }
    *bad_line = 0;
    return gl_bank_mapping_check(m, reason);
}
