/*
 * client/output/output.c — table / CSV / JSON rendering.  JSON is produced by
 * jansson (never by hand); amounts are exact integers there.  CSV text
 * cells are guarded against formula injection (output.h).
 */
#include "output.h"

#include "proto/money.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

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

static void cell_text(const out_table *t, size_t i, enum out_format fmt, char *buf, size_t buf_len,
                      const char **out)
{
    const cell *c = &t->cells[i];
    switch (t->cols[i % t->ncols].kind) {
    case OUT_TEXT: *out = c->text; return;
    case OUT_MONEY:
        *out =
            gl_money_format(c->value, fmt == OUT_TABLE_FR ? GL_MONEY_FRENCH : GL_MONEY_PLAIN, buf);
        return;
    case OUT_INT:
        snprintf(buf, buf_len, "%lld", (long long)c->value);
        *out = buf;
        return;
    }
}

/* Display width of UTF-8 text: count code points (good enough for labels). */
static size_t width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xc0) != 0x80)
            w++;
    return w;
}

static int render_table(const out_table *t, enum out_format fmt, FILE *f)
{
    size_t *w = calloc(t->ncols, sizeof *w);
    if (!w)
        return -1;
    char buf[64];
    const char *s;
    for (size_t c = 0; c < t->ncols; c++)
        w[c] = width(t->cols[c].name);
    for (size_t i = 0; i < t->count; i++) {
        cell_text(t, i, fmt, buf, sizeof buf, &s);
        size_t n = width(s);
        if (n > w[i % t->ncols])
            w[i % t->ncols] = n;
    }
    for (size_t c = 0; c < t->ncols; c++) {
        bool right = t->cols[c].kind != OUT_TEXT;
        size_t pad = w[c] - width(t->cols[c].name);
        fprintf(f, "%s%*s%s%*s", c ? "  " : "", right ? (int)pad : 0, "", t->cols[c].name,
                right || c + 1 == t->ncols ? 0 : (int)pad, "");
    }
    fputc('\n', f);
    for (size_t i = 0; i < t->count; i++) {
        size_t c = i % t->ncols;
        cell_text(t, i, fmt, buf, sizeof buf, &s);
        bool right = t->cols[c].kind != OUT_TEXT;
        size_t pad = w[c] - width(s);
        fprintf(f, "%s%*s%s%*s", c ? "  " : "", right ? (int)pad : 0, "", s,
                right || c + 1 == t->ncols ? 0 : (int)pad, "");
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

void out_csv_cell(FILE *f, const char *s, enum out_kind kind)
{
    /* Only text is guarded: an amount's minus sign is a number's, and
     * guarding it would turn every negative balance into text. */
    bool guard = kind == OUT_TEXT && formula_start(s);
    bool quote = strpbrk(s, ",\"\n\r") != NULL;
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

static int render_csv(const out_table *t, FILE *f)
{
    char buf[64];
    const char *s;
    for (size_t c = 0; c < t->ncols; c++) {
        if (c)
            fputc(',', f);
        out_csv_cell(f, t->cols[c].name, OUT_TEXT);
    }
    fputc('\n', f);
    for (size_t i = 0; i < t->count; i++) {
        size_t c = i % t->ncols;
        cell_text(t, i, OUT_CSV, buf, sizeof buf, &s);
        if (c)
            fputc(',', f);
        out_csv_cell(f, s, t->cols[c].kind);
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
        json_t *v = t->cols[c].kind == OUT_TEXT ? json_string(t->cells[i].text)
                                                : json_integer((json_int_t)t->cells[i].value);
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
    case OUT_CSV: rc = render_csv(t, f); break;
    case OUT_JSON: rc = render_json(t, f); break;
    default: rc = render_table(t, fmt, f); break;
    }
    return rc == 0 && !ferror(f) ? 0 : -1;
}
