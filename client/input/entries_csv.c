/*
 * client/input/entries_csv.c — entries to post, read from a CSV file;
 * entries_csv.h documents the header, separators and grouping of rows.
 *
 * Like entries_json.c, this file checks what the encoder needs and what a
 * person needs pointed out precisely (columns, dates, amounts, lengths,
 * control characters, blank piece or label), naming the file's line; the
 * ledger rules (balance, accounts of the chart, periods) stay the daemon's
 * (or `post --dry-run`'s).  Money never passes through floating point:
 * amounts go through gl_money_parse.
 *
 * Memory: the rows of the entry being read are kept (their fields owned
 * here) until the entry is complete, then copied into the caller's
 * gl_entry_set, which owns everything.
 */
#include "entries_csv.h"

#include "date_why.h"
#include "client/analytic/an_spec.h"
#include "proto/date.h"
#include "proto/limits.h"
#include "proto/money.h"
#include "proto/rules.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum col {
    C_TENANT,
    C_DATE,
    C_JOURNAL,
    C_PIECE,
    C_PIECE_DATE,
    C_LABEL,
    C_ACCOUNT,
    C_AUX,
    C_AUX_LABEL,
    C_LINE_LABEL,
    C_DEBIT,
    C_CREDIT,
    C_ANALYTIC,
    C_COUNT
};

static const struct column {
    const char *name;
    size_t max; /* bytes */
    bool required;
} columns[C_COUNT] = {
    [C_TENANT] = {"tenant", GL_TENANT_MAX, false},
    [C_DATE] = {"date", 10, true},
    [C_JOURNAL] = {"journal", GL_JOURNAL_MAX, true},
    [C_PIECE] = {"piece", GL_PIECE_MAX, true},
    [C_PIECE_DATE] = {"piece_date", 10, false},
    [C_LABEL] = {"label", GL_LABEL_MAX, true},
    [C_ACCOUNT] = {"account", GL_ACCOUNT_MAX, true},
    [C_AUX] = {"aux", GL_AUX_MAX, false},
    [C_AUX_LABEL] = {"aux_label", GL_LABEL_MAX, false},
    [C_LINE_LABEL] = {"line_label", GL_LABEL_MAX, false},
    [C_DEBIT] = {"debit", 32, true},
    [C_CREDIT] = {"credit", 32, true},
    [C_ANALYTIC] = {"analytic", GL_AN_TEXT_MAX, false},
};

#define FIELDS_MAX 64 /* columns a row may have */

typedef struct csv_row {
    char *field[C_COUNT]; /* owned, "" for a column the file lacks */
    size_t line;
} csv_row;

typedef struct csv_ctx {
    const char *p, *end;
    char sep;
    size_t line; /* 1-based line of the cursor */
    int map
        [FIELDS_MAX]; /* file column -> enum col, -1 ignored (never: unknown columns are refused) */
    size_t ncols;
    char *err;
    size_t err_len;
} csv_ctx;

/* "line N: message" into the caller's buffer; always -1, for `return fail(...)`. */
__attribute__((format(printf, 3, 4))) static int fail(csv_ctx *c, size_t line, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (c->err && c->err_len)
        snprintf(c->err, c->err_len, "line %zu: %s", line, msg);
    return -1;
}

/* Read one field at the cursor into a new string (*out), stopping after its
 * separator or at the end of the row (*row_end set).  -1 on a malformed
 * quote or no memory. */
static int read_field(csv_ctx *c, char **out, bool *row_end)
{
    size_t cap = 16, n = 0;
    char *s = malloc(cap);
    if (!s)
        return fail(c, c->line, "out of memory");
    bool quoted = c->p < c->end && *c->p == '"';
    size_t start_line = c->line;
    if (quoted)
        c->p++;
    *row_end = false;
    for (;;) {
        if (c->p >= c->end) {
            if (quoted) {
                free(s);
                return fail(c, start_line, "a quoted field is never closed");
            }
            *row_end = true;
            break;
        }
        char ch = *c->p;
        if (quoted && ch == '"') {
            if (c->p + 1 < c->end && c->p[1] == '"') {
                c->p += 2;
                ch = '"';
            } else {
                c->p++;
                quoted = false;
                if (c->p < c->end && *c->p != c->sep && *c->p != '\n' && *c->p != '\r') {
                    free(s);
                    return fail(
                        c, c->line,
                        "text after a closing quote (a quote inside a field is written \"\")");
                }
                continue;
            }
        } else if (!quoted && ch == c->sep) {
            c->p++;
            break;
        } else if (!quoted && (ch == '\n' || ch == '\r')) {
            if (ch == '\r' && c->p + 1 < c->end && c->p[1] == '\n')
                c->p++;
            c->p++;
            c->line++;
            *row_end = true;
            break;
        } else {
            if (ch == '\n')
                c->line++;
            c->p++;
        }
        if (n + 2 > cap) {
            char *t = realloc(s, cap *= 2);
            if (!t) {
                free(s);
                return fail(c, c->line, "out of memory");
            }
            s = t;
        }
        s[n++] = ch;
    }
    s[n] = '\0';
    *out = s;
    return 0;
}

static void free_fields(char **f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(f[i]);
}

/* Read one row: its fields (owned) into f, their number into *n.  *n = 0
 * at the end of the text. */
static int read_row(csv_ctx *c, char **f, size_t *n, size_t *line)
{
    *n = 0;
    *line = c->line;
    if (c->p >= c->end)
        return 0;
    bool row_end = false;
    while (!row_end) {
        if (*n == FIELDS_MAX) {
            free_fields(f, *n);
            return fail(c, *line, "more than %d fields", FIELDS_MAX);
        }
        if (read_field(c, &f[*n], &row_end)) {
            free_fields(f, *n);
            return -1;
        }
        (*n)++;
    }
    return 0;
}

/* An empty row, or a comment (first field starts with '#'). */
static bool row_skipped(char **f, size_t n)
{
    if (n && f[0][0] == '#')
        return true;
    for (size_t i = 0; i < n; i++)
        if (f[i][0])
            return false;
    return true;
}

void gl_field_trim(char *s)
{
    size_t n = strlen(s), i = 0;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    while (s[i] == ' ' || s[i] == '\t')
        i++;
    memmove(s, s + i, n - i + 1);
}

static int read_header(csv_ctx *c, char **f, size_t n, size_t line)
{
    bool seen[C_COUNT] = {0};
    for (size_t i = 0; i < n; i++) {
        gl_field_trim(f[i]);
        int k = -1;
        for (int j = 0; j < C_COUNT; j++)
            if (!strcasecmp(f[i], columns[j].name))
                k = j;
        if (k < 0)
            return fail(
                c, line,
                "unknown column \"%.40s\" in the header (columns: date, journal, piece, "
                "piece_date, label, account, aux, aux_label, line_label, debit, credit, analytic, "
                "tenant)",
                f[i]);
        if (seen[k])
            return fail(c, line, "column \"%s\" twice in the header", columns[k].name);
        seen[k] = true;
        c->map[i] = k;
    }
    c->ncols = n;
    for (int j = 0; j < C_COUNT; j++)
        if (columns[j].required && !seen[j])
            return fail(c, line, "the header has no \"%s\" column", columns[j].name);
    return 0;
}

/* The separator: ';' if the header line holds one, else ','. */
static char detect_sep(const char *p, const char *end)
{
    for (; p < end && *p != '\n'; p++)
        if (*p == ';')
            return ';';
    return ',';
}

/* Check one field's text: length, UTF-8 without control characters. */
static int check_text(csv_ctx *c, const csv_row *r, int k)
{
    const char *s = r->field[k];
    size_t len = strlen(s);
    if (len > columns[k].max)
        return fail(c, r->line, "%s longer than %zu bytes", columns[k].name, columns[k].max);
    if (!gl_utf8_valid(s, len))
        return fail(c, r->line, "%s holds a control character or is not UTF-8", columns[k].name);
    return 0;
}

static int parse_date(csv_ctx *c, const csv_row *r, int k, uint32_t *ymd)
{
    const char *s = r->field[k];
    char why[80];
    if (strlen(s) != 10 || !gl_date_parse(s, 10, ymd))
        return fail(c, r->line, "bad %s \"%.20s\": %s", columns[k].name, s,
                    date_why(s, strlen(s), why, sizeof why));
    return 0;
}

/* Side and amount of a row: exactly one of debit and credit. */
static int parse_amount(csv_ctx *c, const csv_row *r, gl_line_in *l)
{
    const char *d = r->field[C_DEBIT], *cr = r->field[C_CREDIT];
    if (d[0] && cr[0])
        return fail(c, r->line, "both debit and credit given: one amount per row");
    if (!d[0] && !cr[0])
        return fail(c, r->line, "no amount: give debit or credit");
    const char *s = d[0] ? d : cr;
    if (!gl_money_parse(s, strlen(s), &l->amount_cents))
        return fail(
            c, r->line,
            "bad amount \"%.32s\" (digits, at most two decimals after '.' or ',', no spaces)", s);
    l->side = d[0] ? GL_SIDE_DEBIT : GL_SIDE_CREDIT;
    return 0;
}

static bool head_empty(const csv_row *r)
{
    return !r->field[C_DATE][0] && !r->field[C_JOURNAL][0] && !r->field[C_PIECE][0] &&
           !r->field[C_LABEL][0];
}

static bool same_head(const csv_row *a, const csv_row *b)
{
    static const int head[] = {C_TENANT, C_DATE, C_JOURNAL, C_PIECE, C_PIECE_DATE, C_LABEL};
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
        if (strcmp(a->field[head[i]], b->field[head[i]]))
            return false;
    return true;
}

void gl_field_upper(char *s)
{
    for (; *s; s++)
        if (*s >= 'a' && *s <= 'z')
            *s = (char)(*s - 'a' + 'A');
}

/* The row's analytic column (axis=spec;axis=spec) for its amount, into
 * area (*len bytes; 0: none). */
static int parse_analytic(csv_ctx *c, const csv_row *r, const gl_line_in *l,
                          uint8_t area[2 + GL_AN_ITEM_MAX], size_t *len)
{
    const char *s = r->field[C_ANALYTIC];
    gl_analytic a;
    gl_an_spec_error e;
    char why[GL_AN_SPEC_DETAIL_MAX + 160];
    *len = 0;
    if (check_text(c, r, C_ANALYTIC))
        return -1;
    if (l->amount_cents <= 0) /* the daemon refuses the line: amount_not_positive */
        return 0;
    if (gl_an_text_parse(s, strlen(s), l->amount_cents, 0, &a, &e) != GL_OK)
        return fail(c, r->line, "analytic: %s",
                    gl_an_spec_error_text(&e, e.reason, why, sizeof why));
    *len = a.naxes ? gl_analytic_item_put(area, &a) : 0;
    return 0;
}

/* Build the entry of rows[0..n) (rows[0] carries its head) and add it. */
static int flush_entry(csv_ctx *c, csv_row *rows, size_t n, const char *default_tenant,
                       gl_entry_set *out)
{
    const csv_row *h = &rows[0];
    gl_entry_in e;
    memset(&e, 0, sizeof e);
    for (int k = 0; k < C_COUNT; k++)
        if (check_text(c, h, k))
            return -1;
    e.tenant = h->field[C_TENANT][0] ? h->field[C_TENANT] : default_tenant;
    e.journal = h->field[C_JOURNAL];
    e.piece_ref = h->field[C_PIECE];
    e.label = h->field[C_LABEL];
    gl_field_upper(h->field[C_JOURNAL]);
    if (parse_date(c, h, C_DATE, &e.date))
        return -1;
    e.piece_date = e.date;
    if (h->field[C_PIECE_DATE][0] && parse_date(c, h, C_PIECE_DATE, &e.piece_date))
        return -1;
    if (!e.journal[0])
        return fail(c, h->line, "no journal");
    if (gl_text_blank((gl_str){e.piece_ref, strlen(e.piece_ref)}))
        return fail(c, h->line, "piece is blank: the piece reference is mandatory");
    if (gl_text_blank((gl_str){e.label, strlen(e.label)}))
        return fail(c, h->line,
                    "label is blank: the entry's label is mandatory (line_label may be empty)");
    if (n > GL_LINES_MAX)
        return fail(c, h->line, "%zu lines, more than the %d allowed per entry", n, GL_LINES_MAX);
    gl_line_in *lines = calloc(n, sizeof *lines);
    gl_ext_in *areas = calloc(n, sizeof *areas);
    uint8_t(*items)[2 + GL_AN_ITEM_MAX] = calloc(n, sizeof *items);
    if (!lines || !areas || !items) {
        free(lines);
        free(areas);
        free(items);
        return fail(c, h->line, "out of memory");
    }
    int rc = 0;
    bool any_area = false;
    for (size_t i = 0; i < n && rc == 0; i++) {
        csv_row *r = &rows[i];
        for (int k = C_ACCOUNT; k <= C_CREDIT && rc == 0; k++)
            rc = check_text(c, r, k);
        if (rc)
            break;
        if (!r->field[C_ACCOUNT][0]) {
            rc = fail(c, r->line, "no account");
            break;
        }
        gl_field_upper(r->field[C_ACCOUNT]);
        lines[i] = (gl_line_in){.account = r->field[C_ACCOUNT],
                                .aux = r->field[C_AUX],
                                .aux_label = r->field[C_AUX_LABEL],
                                .label = r->field[C_LINE_LABEL]};
        rc = parse_amount(c, r, &lines[i]);
        areas[i].items = items[i];
        if (rc == 0)
            rc = parse_analytic(c, r, &lines[i], items[i], &areas[i].len);
        any_area |= areas[i].len > 0;
    }
    if (rc == 0) {
        e.lines = lines;
        e.line_count = n;
        e.line_ext = any_area ? areas : NULL;
        if (gl_entry_set_add(out, &e, h->line))
            rc = fail(c, h->line, "out of memory");
    }
    free(lines);
    free(areas);
    free(items);
    return rc;
}

static void free_rows(csv_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free_fields(rows[i].field, C_COUNT);
}

/* Turn a file row (fields f[0..n)) into a csv_row by the header's map. */
static int to_row(csv_ctx *c, char **f, size_t n, size_t line, csv_row *r)
{
    if (n != c->ncols) {
        free_fields(f, n);
        return fail(c, line, "%zu fields, the header has %zu (separator '%c')", n, c->ncols,
                    c->sep);
    }
    memset(r, 0, sizeof *r);
    r->line = line;
    for (size_t i = 0; i < n; i++) {
        gl_field_trim(f[i]);
        r->field[c->map[i]] = f[i];
    }
    for (int k = 0; k < C_COUNT; k++)
        if (!r->field[k] && !(r->field[k] = calloc(1, 1))) {
            free_fields(r->field, C_COUNT);
            return fail(c, line, "out of memory");
        }
    return 0;
}

static int read_body(csv_ctx *c, const char *default_tenant, gl_entry_set *out)
{
    char *f[FIELDS_MAX];
    size_t n, line;
    bool header = false;
    csv_row *rows = NULL;
    size_t count = 0, cap = 0;
    int rc = 0;
    while (rc == 0) {
        if ((rc = read_row(c, f, &n, &line)) || n == 0)
            break;
        if (row_skipped(f, n)) {
            free_fields(f, n);
            continue;
        }
        if (!header) {
            rc = read_header(c, f, n, line);
            free_fields(f, n);
            header = true;
            continue;
        }
        csv_row r;
        if ((rc = to_row(c, f, n, line, &r)))
            break;
        bool continues = count && (head_empty(&r) || same_head(&r, &rows[0]));
        if (!continues && count) {
            rc = flush_entry(c, rows, count, default_tenant, out);
            free_rows(rows, count);
            count = 0;
        } else if (!continues && head_empty(&r)) {
            rc =
                fail(c, line, "the first row of an entry needs its date, journal, piece and label");
        }
        if (rc == 0 && count == cap) {
            csv_row *t = realloc(rows, (cap = cap ? cap * 2 : 8) * sizeof *rows);
            if (!t)
                rc = fail(c, line, "out of memory");
            else
                rows = t;
        }
        if (rc) {
            free_fields(r.field, C_COUNT);
            break;
        }
        rows[count++] = r;
    }
    if (rc == 0 && !header)
        rc = fail(c, c->line, "no header row (date;journal;piece;label;account;debit;credit...)");
    if (rc == 0 && count)
        rc = flush_entry(c, rows, count, default_tenant, out);
    free_rows(rows, count);
    free(rows);
    return rc;
}

int gl_entries_from_csv(const char *text, size_t len, const char *default_tenant, gl_entry_set *out,
                        char *err, size_t err_len)
{
    csv_ctx c = {.p = text ? text : "", .line = 1, .err = err, .err_len = err_len};
    c.end = c.p + (text ? len : 0);
    if (err && err_len)
        err[0] = '\0';
    if (c.end - c.p >= 3 && !memcmp(c.p, "\xEF\xBB\xBF", 3))
        c.p += 3;
    if (memchr(c.p, '\0', (size_t)(c.end - c.p)))
        return fail(&c, 1, "the file holds a NUL byte: not a CSV text file");
    /* The header is the first line not a comment: look for its separator. */
    const char *h = c.p;
    while (h < c.end && (*h == '#' || *h == '\n' || *h == '\r')) {
        const char *nl = memchr(h, '\n', (size_t)(c.end - h));
        h = nl ? nl + 1 : c.end;
    }
    c.sep = detect_sep(h, c.end);
    int rc = read_body(&c, default_tenant ? default_tenant : "", out);
    if (rc)
        gl_entry_set_free(out);
    return rc;
}
