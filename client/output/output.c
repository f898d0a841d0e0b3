/*
 * client/output/output.c — table / CSV / JSON rendering.  JSON is produced by
 * jansson (never by hand); amounts are exact integers there.  CSV text
 * cells are guarded against formula injection (output.h).  Tables fit
 * the terminal by cutting text cells with an ellipsis, counted in display
 * columns (an accented letter is 2 bytes and 1 column).
 */
#include "output.h"

#include "proto/date.h"
#include "proto/money.h"

#include <jansson.h>
#include <libintl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static bool wide_tables; /* --wide: text cells whole */

void out_set_wide(bool wide) { wide_tables = wide; }

typedef struct cell {
    char *text;    /* text cells */
    int64_t value; /* money (cents) and int cells */
} cell;

struct out_table {
    const out_col *cols;
    size_t ncols;
    cell *cells;
    size_t count, cap;
    bool failed;
    uint64_t table_hidden; /* bit c: column c is left out of aligned tables */
};

int out_parse_format(const char *s, enum out_format *f)
{
    if (!strcmp(s, "table"))
        *f = OUT_TABLE;
    else if (!strcmp(s, "table-fr"))
        *f = OUT_TABLE_FR;
    else if (!strcmp(s, "csv"))
        *f = OUT_CSV;
    else if (!strcmp(s, "json"))
        *f = OUT_JSON;
    else if (!strcmp(s, "csv-fr"))
        *f = OUT_CSV_FR;
    else
        return -1;
    return 0;
}

out_table *out_new(const out_col *cols, size_t ncols)
{
    out_table *t = calloc(1, sizeof *t);
    if (t) {
        t->cols = cols;
        t->ncols = ncols;
    }
    return t;
}

void out_hide_in_table(out_table *t, size_t col)
{
    if (t && col < t->ncols && col < 64)
        t->table_hidden |= (uint64_t)1 << col;
}

static bool hidden(const out_table *t, size_t c) { return c < 64 && (t->table_hidden >> c & 1); }

void out_free(out_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->count; i++)
        free(t->cells[i].text);
    free(t->cells);
    free(t);
}

static cell *push(out_table *t)
{
    if (t->failed)
        return NULL;
    if (t->count == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        cell *c = realloc(t->cells, cap * sizeof *c);
        if (!c) {
            t->failed = true;
            return NULL;
        }
        t->cells = c;
        t->cap = cap;
    }
    cell *c = &t->cells[t->count++];
    memset(c, 0, sizeof *c);
    return c;
}

void out_text(out_table *t, const char *s, size_t len)
{
    cell *c = push(t);
    if (!c)
        return;
    c->text = strndup(s ? s : "", s ? len : 0);
    if (!c->text)
        t->failed = true;
}

void out_cstr(out_table *t, const char *s) { out_text(t, s, s ? strlen(s) : 0); }

void out_money(out_table *t, int64_t cents)
{
    cell *c = push(t);
    if (c)
        c->value = cents;
}

void out_int(out_table *t, int64_t v) { out_money(t, v); }

void out_date(out_table *t, uint32_t ymd) { out_money(t, ymd); }

/* "31/03/2025" from 20250331 (French tables). */
static char *date_french(uint32_t ymd, char *buf, size_t buf_len)
{
    snprintf(buf, buf_len, "%02u/%02u/%04u", ymd % 100, ymd / 100 % 100, ymd / 10000);
    return buf;
}

static void cell_text(const out_table *t, size_t i, enum out_format fmt, char *buf, size_t buf_len,
                      const char **out)
{
    const cell *c = &t->cells[i];
    switch (t->cols[i % t->ncols].kind) {
    case OUT_TEXT:
    case OUT_REF: *out = c->text; return;
    case OUT_MONEY:
        *out = gl_money_format(c->value,
                               fmt == OUT_TABLE_FR ? GL_MONEY_FRENCH
                               : fmt == OUT_CSV_FR ? GL_MONEY_COMMA
                                                   : GL_MONEY_PLAIN,
                               buf);
        return;
    case OUT_DATE:
        if (c->value <= 0 || c->value > 99991231)
            *out = "";
        else if (fmt == OUT_TABLE_FR)
            *out = date_french((uint32_t)c->value, buf, buf_len);
        else
            *out = gl_date_format((uint32_t)c->value, buf);
        return;
    case OUT_INT:
        snprintf(buf, buf_len, "%lld", (long long)c->value);
        *out = buf;
        return;
    }
}

/* One UTF-8 character at s: its code point into *cp and its length in
 * bytes (an invalid or cut sequence: one byte, code point -1). */
static size_t utf8_next(const unsigned char *s, long *cp)
{
    unsigned char b = s[0];
    size_t n = b < 0x80                 ? 1
               : b >= 0xc2 && b <= 0xdf ? 2
               : b >= 0xe0 && b <= 0xef ? 3
               : b >= 0xf0 && b <= 0xf4 ? 4
                                        : 0;
    if (n == 0) {
        *cp = -1;
        return 1;
    }
    long v = n == 1 ? s[0] : s[0] & (0x7f >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            *cp = -1;
            return 1;
        }
        v = v << 6 | (s[i] & 0x3f);
    }
    *cp = v;
    return n;
}

/* Display columns of one code point: 0 for combining and zero-width
 * characters, 2 for East Asian wide and emoji, 1 otherwise (wcwidth would
 * need a UTF-8 LC_CTYPE, which a machine may lack). */
static size_t cp_width(long cp)
{
    static const long zero[][2] = {
        {0x0300, 0x036f}, {0x1ab0, 0x1aff}, {0x1dc0, 0x1dff}, {0x200b, 0x200f}, {0x202a, 0x202e},
        {0x2060, 0x2064}, {0x20d0, 0x20ff}, {0xfe00, 0xfe0f}, {0xfe20, 0xfe2f}, {0xfeff, 0xfeff}};
    static const long two[][2] = {{0x1100, 0x115f},   {0x2e80, 0x303e},  {0x3041, 0x33ff},
                                  {0x3400, 0x4dbf},   {0x4e00, 0x9fff},  {0xa000, 0xa4cf},
                                  {0xac00, 0xd7a3},   {0xf900, 0xfaff},  {0xfe30, 0xfe4f},
                                  {0xff00, 0xff60},   {0xffe0, 0xffe6},  {0x1f300, 0x1f64f},
                                  {0x1f900, 0x1f9ff}, {0x20000, 0x3fffd}};
    if (cp < 0x300)
        return cp < 0 || cp >= 0x20 ? 1 : 0;
    for (size_t i = 0; i < sizeof zero / sizeof zero[0]; i++)
        if (cp >= zero[i][0] && cp <= zero[i][1])
            return 0;
    for (size_t i = 0; i < sizeof two / sizeof two[0]; i++)
        if (cp >= two[i][0] && cp <= two[i][1])
            return 2;
    return 1;
}

size_t out_display_width(const char *s)
{
    size_t w = 0;
    long cp;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        p += utf8_next(p, &cp);
        w += cp_width(cp);
    }
    return w;
}

char *out_fit(const char *s, size_t max_cols, char *out, size_t out_len)
{
    static const char ellipsis[] = "\xe2\x80\xa6"; /* "…", one column */
    if (out_len == 0)
        return out;
    size_t len = strlen(s);
    if (out_display_width(s) <= max_cols && len < out_len) {
        memcpy(out, s, len + 1);
        return out;
    }
    /* Keep whole characters while they and the ellipsis fit in max_cols
     * columns and out_len bytes; then the characters of width 0 that
     * follow (accents belong to the letter before them). */
    const unsigned char *p = (const unsigned char *)s;
    size_t cols = 0, bytes = 0;
    long cp;
    while (p[bytes]) {
        size_t n = utf8_next(p + bytes, &cp), w = cp_width(cp);
        if ((w && cols + w + 1 > max_cols) || bytes + n + sizeof ellipsis > out_len)
            break;
        cols += w;
        bytes += n;
    }
    memcpy(out, s, bytes);
    if (max_cols > 0 && bytes + sizeof ellipsis <= out_len)
        memcpy(out + bytes, ellipsis, sizeof ellipsis);
    else
        out[bytes] = '\0';
    return out;
}

/* A column's header as people read it: translated (gettext; "" is the
 * catalog's header entry, never looked up). */
static const char *header(const out_col *col)
{
    return col->name[0] ? gettext(col->name) : col->name;
}

/* The columns a table may take: the terminal's when f is one, else
 * OUT_WIDTH_DEFAULT (a file or a pipe: an 80-100 column reader). */
static size_t table_budget(FILE *f)
{
    struct winsize ws;
    int fd = fileno(f);
    if (fd >= 0 && isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
        return ws.ws_col;
    return OUT_WIDTH_DEFAULT;
}

/* Narrow the widest text columns, one column at a time, until the row
 * fits budget (two spaces between columns); a text column keeps at least
 * 8 columns, or 5 when that is not enough (a ledger row with its line
 * reference); a header wider than its cells may be cut too. */
static void fit_widths(const out_table *t, size_t *w, size_t budget)
{
    static const size_t floor_cols[] = {8, 5};
    size_t total = 0, shown = 0;
    for (size_t c = 0; c < t->ncols; c++) {
        if (!hidden(t, c)) {
            total += w[c];
            shown++;
        }
    }
    total += shown ? 2 * (shown - 1) : 0;
    for (size_t f = 0; f < sizeof floor_cols / sizeof *floor_cols; f++) {
        while (total > budget) {
            size_t widest = t->ncols;
            for (size_t c = 0; c < t->ncols; c++) {
                if (t->cols[c].kind == OUT_TEXT && !hidden(t, c) && w[c] > floor_cols[f] &&
                    (widest == t->ncols || w[c] > w[widest]))
                    widest = c;
            }
            if (widest == t->ncols)
                break; /* nothing left to narrow at this floor */
            w[widest]--;
            total--;
        }
    }
}

void out_title(FILE *f, const char *head, const char *tail)
{
    size_t budget = table_budget(f), used = out_display_width(head);
    size_t room = used + 20 < budget ? budget - used : 20;
    char fit[4096];
    fprintf(f, "%s%s\n", head, wide_tables ? tail : out_fit(tail, room, fit, sizeof fit));
}

/* first, last: the cell opens or ends its printed row. */
static void table_cell(FILE *f, size_t c, const out_table *t, const char *s, size_t w, bool first,
                       bool last)
{
    bool right =
        t->cols[c].kind != OUT_TEXT && t->cols[c].kind != OUT_REF && t->cols[c].kind != OUT_DATE;
    char fit[4096];
    if (out_display_width(s) > w)
        s = out_fit(s, w, fit, sizeof fit);
    size_t n = out_display_width(s), pad = w > n ? w - n : 0;
    fprintf(f, "%s%*s%s%*s", first ? "" : "  ", right ? (int)pad : 0, "", s,
            right || last ? 0 : (int)pad, "");
}

static int render_table(const out_table *t, enum out_format fmt, FILE *f)
{
    size_t *w = calloc(t->ncols, sizeof *w);
    if (!w)
        return -1;
    char buf[64];
    const char *s;
    size_t first = t->ncols, last = 0; /* the first and last printed columns */
    for (size_t c = 0; c < t->ncols; c++) {
        w[c] = out_display_width(header(&t->cols[c]));
        if (!hidden(t, c)) {
            first = first < c ? first : c;
            last = c;
        }
    }
    for (size_t i = 0; i < t->count; i++) {
        cell_text(t, i, fmt, buf, sizeof buf, &s);
        size_t n = out_display_width(s);
        if (n > w[i % t->ncols])
            w[i % t->ncols] = n;
    }
    if (!wide_tables)
        fit_widths(t, w, table_budget(f));
    for (size_t c = 0; c < t->ncols; c++) {
        if (!hidden(t, c))
            table_cell(f, c, t, header(&t->cols[c]), w[c], c == first, c == last);
    }
    fputc('\n', f);
    for (size_t i = 0; i < t->count; i++) {
        size_t c = i % t->ncols;
        if (!hidden(t, c)) {
            cell_text(t, i, fmt, buf, sizeof buf, &s);
            table_cell(f, c, t, s, w[c], c == first, c == last);
        }
        if (c + 1 == t->ncols)
            fputc('\n', f);
    }
    free(w);
    return 0;
}

/* The first characters that make a spreadsheet read a cell as a formula
 * (OWASP, "CSV injection"): '=' '+' '-' '@', and TAB and CR, which some
 * spreadsheets skip before looking for one. */
static bool formula_start(const char *s) { return *s && strchr("=+-@\t\r", *s) != NULL; }

void out_csv_cell(FILE *f, const char *s, enum out_kind kind) { out_csv_cell_sep(f, s, kind, ','); }

void out_csv_cell_sep(FILE *f, const char *s, enum out_kind kind, char sep)
{
    /* Only text is guarded: an amount's minus sign is a number's, and
     * guarding it would turn every negative balance into text. */
    bool guard = (kind == OUT_TEXT || kind == OUT_REF) && formula_start(s);
    bool quote = strpbrk(s, "\"\n\r") != NULL || strchr(s, sep) != NULL;
    if (quote)
        fputc('"', f);
    if (guard)
        fputc('\'', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    if (quote)
        fputc('"', f);
}

/* CSV, or with fmt OUT_CSV_FR the French spreadsheets' CSV: a byte order
 * mark (so that they read UTF-8), ';' between cells, decimal commas and
 * headers in the user's language. */
static int render_csv(const out_table *t, enum out_format fmt, FILE *f)
{
    char buf[64];
    const char *s;
    bool fr = fmt == OUT_CSV_FR;
    char sep = fr ? ';' : ',';
    if (fr)
        fputs("\xef\xbb\xbf", f);
    for (size_t c = 0; c < t->ncols; c++) {
        if (c)
            fputc(sep, f);
        out_csv_cell_sep(f, fr ? header(&t->cols[c]) : t->cols[c].name, OUT_TEXT, sep);
    }
    fputc('\n', f);
    for (size_t i = 0; i < t->count; i++) {
        size_t c = i % t->ncols;
        cell_text(t, i, fmt, buf, sizeof buf, &s);
        if (c)
            fputc(sep, f);
        out_csv_cell_sep(f, s, t->cols[c].kind, sep);
        if (c + 1 == t->ncols)
            fputc('\n', f);
    }
    return 0;
}

static int render_json(const out_table *t, FILE *f)
{
    json_t *rows = json_array(), *row = NULL;
    int rc = rows ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < t->count; i++) {
        size_t c = i % t->ncols;
        if (c == 0) {
            row = json_object();
            if (!row || json_array_append_new(rows, row)) {
                rc = -1;
                break;
            }
        }
        char buf[64];
        const char *date;
        json_t *v;
        if (t->cols[c].kind == OUT_DATE) {
            cell_text(t, i, OUT_JSON, buf, sizeof buf, &date);
            v = json_string(date);
        } else {
            v = t->cols[c].kind == OUT_TEXT || t->cols[c].kind == OUT_REF
                    ? json_string(t->cells[i].text)
                    : json_integer((json_int_t)t->cells[i].value);
        }
        if (!v || json_object_set_new(row, t->cols[c].name, v))
            rc = -1;
    }
    if (rc == 0 && json_dumpf(rows, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0)
        fputc('\n', f);
    else
        rc = -1;
    json_decref(rows);
    return rc;
}

int out_render(const out_table *t, enum out_format fmt, FILE *f)
{
    if (t->failed)
        return -1;
    int rc;
    switch (fmt) {
    case OUT_CSV:
    case OUT_CSV_FR: rc = render_csv(t, fmt, f); break;
    case OUT_JSON: rc = render_json(t, f); break;
    default: rc = render_table(t, fmt, f); break;
    }
    return rc == 0 && !ferror(f) ? 0 : -1;
}
