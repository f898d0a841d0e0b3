/*
 * client/timesheets/ts_input.c — time sheets as people type them
 * (ts_input.h): hours, months, working times, the CSV file.
 */
#include "ts_input.h"

#include "proto/date.h"
#include "proto/status.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOURS_MAX 10000u

/* Digits s[0..n) as a number below limit: true and *out. */
static bool digits(const char *s, size_t n, uint64_t limit, uint64_t *out)
{
    uint64_t v = 0;
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
        if (v >= limit)
            return false;
    }
    *out = v;
    return true;
}

/* "H:MM", MM below 60. */
static bool hours_colon(const char *s, size_t len, const char *colon, uint32_t *minutes)
{
    uint64_t h, m;
    size_t hl = (size_t)(colon - s), ml = len - hl - 1;
    if (ml != 2 || !digits(s, hl, HOURS_MAX, &h) || !digits(colon + 1, ml, 60, &m))
        return false;
    *minutes = (uint32_t)(h * 60 + m);
    return *minutes > 0;
}

bool ts_hours_parse(const char *s, size_t len, uint32_t *minutes)
{
    const char *colon = memchr(s, ':', len);
    if (colon)
        return hours_colon(s, len, colon, minutes);
    size_t dot = 0;
    while (dot < len && s[dot] != ',' && s[dot] != '.')
        dot++;
    uint64_t whole, frac = 0, scale = 1;
    if (!digits(s, dot, HOURS_MAX, &whole))
        return false;
    if (dot < len) {
        size_t fl = len - dot - 1;
        if (fl < 1 || fl > 4 || !digits(s + dot + 1, fl, 10000, &frac))
            return false;
        for (size_t i = 0; i < fl; i++)
            scale *= 10;
    }
    uint64_t num = (whole * scale + frac) * 60; /* minutes × scale */
    if (num % scale)
        return false; /* not a whole minute */
    *minutes = (uint32_t)(num / scale);
    return *minutes > 0;
}

bool ts_month_parse(const char *s, size_t len, uint32_t *ym)
{
    uint64_t y, m;
    if (len == 7 && s[4] == '-' && digits(s, 4, 10000, &y) && digits(s + 5, 2, 100, &m))
        *ym = (uint32_t)(y * 100 + m);
    else if (len == 6 && digits(s, 6, 1000000, &y))
        *ym = (uint32_t)y;
    else
        return false;
    return gl_month_valid(*ym);
}

bool ts_basis_parse(const char *s, size_t len, uint16_t *per_mille)
{
    if (len && s[len - 1] == '%')
        len--;
    while (len && s[len - 1] == ' ')
        len--;
    size_t dot = 0;
    while (dot < len && s[dot] != ',' && s[dot] != '.')
        dot++;
    uint64_t whole, tenth = 0;
    if (!digits(s, dot, 101, &whole))
        return false;
    if (dot < len && (len - dot != 2 || !digits(s + dot + 1, 1, 10, &tenth)))
        return false;
    uint64_t v = whole * 10 + tenth;
    if (v < 1 || v > GL_TS_BASIS_FULL)
        return false;
    *per_mille = (uint16_t)v;
    return true;
}

void ts_batch_free(ts_batch *b)
{
    free(b->v);
    memset(b, 0, sizeof *b);
}

static int cmp_key(const ts_sheet *s, const char *employee, uint32_t month)
{
    int c = strcmp(s->employee, employee);
    return c ? c : (s->month < month ? -1 : s->month > month);
}

/* The sheet of (employee, month), added if new; NULL: out of memory. */
static ts_sheet *sheet_of(ts_batch *b, const char *employee, uint32_t month, uint32_t line)
{
    size_t lo = 0, hi = b->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = cmp_key(&b->v[mid], employee, month);
        if (c == 0)
            return &b->v[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 16;
        ts_sheet *v = realloc(b->v, cap * sizeof *v);
        if (!v)
            return NULL;
        b->v = v;
        b->cap = cap;
    }
    memmove(&b->v[lo + 1], &b->v[lo], (b->n - lo) * sizeof *b->v);
    b->n++;
    ts_sheet *s = &b->v[lo];
    memset(s, 0, sizeof *s);
    snprintf(s->employee, sizeof s->employee, "%s", employee);
    s->month = month;
    s->line = line;
    return s;
}

static bool code_ok(const char *c) { return gl_an_code_valid((gl_str){c, strlen(c)}); }

/* Add to the sheet's row of action (kept in byte order). */
static int item_add(ts_sheet *s, const char *action, uint32_t minutes, char *err, size_t err_len)
{
    size_t i = 0;
    while (i < s->n && strcmp(s->items[i].action, action) < 0)
        i++;
    if (i < s->n && !strcmp(s->items[i].action, action)) {
        if (__builtin_add_overflow(s->items[i].minutes, minutes, &s->items[i].minutes)) {
            snprintf(err, err_len, "%s %u: too many minutes on %s", s->employee, (unsigned)s->month,
                     action);
            return GL_ERR_TIMESHEET_CSV;
        }
        return GL_OK;
    }
    if (s->n >= GL_TS_ROWS_MAX) {
        snprintf(err, err_len, "%s %u: more than %d actions in a month", s->employee,
                 (unsigned)s->month, GL_TS_ROWS_MAX);
        return GL_ERR_TIMESHEET_CSV;
    }
    memmove(&s->items[i + 1], &s->items[i], (s->n - i) * sizeof s->items[0]);
    s->n++;
    snprintf(s->items[i].action, sizeof s->items[i].action, "%s", action);
    s->items[i].minutes = minutes;
    return GL_OK;
}

int ts_batch_add(ts_batch *b, const char *employee, uint32_t month, const char *action,
                 uint32_t minutes, uint16_t basis_per_mille, uint32_t line, char *err,
                 size_t err_len)
{
    if (!code_ok(employee) || !code_ok(action)) {
        snprintf(err, err_len, "%s is not a code (1 to 16 of A-Z 0-9 _ . -, first A-Z 0-9)",
                 code_ok(employee) ? action : employee);
        return GL_ERR_TIMESHEET_CSV;
    }
    ts_sheet *s = sheet_of(b, employee, month, line);
    if (!s)
        return GL_ERR_NOMEM;
    if (basis_per_mille && s->basis_per_mille && s->basis_per_mille != basis_per_mille) {
        snprintf(err, err_len, "%s %u: two working times in one month", employee, (unsigned)month);
        return GL_ERR_TIMESHEET_CSV;
    }
    if (basis_per_mille)
        s->basis_per_mille = basis_per_mille;
    return item_add(s, action, minutes, err, err_len);
}

/* The next field of a line (separator ';'), trimmed of spaces and quotes,
 * upper-cased when upper. */
static size_t field(const char **p, const char *end, char *out, size_t cap, bool upper)
{
    const char *s = *p;
    const char *e = memchr(s, ';', (size_t)(end - s));
    if (!e)
        e = end;
    *p = e < end ? e + 1 : end;
    while (s < e && (*s == ' ' || *s == '\t'))
        s++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        e--;
    if (e - s >= 2 && *s == '"' && e[-1] == '"')
        s++, e--;
    size_t n = 0;
    for (; s < e && n + 1 < cap; s++)
        out[n++] = upper ? (char)toupper((unsigned char)*s) : *s;
    out[n] = '\0';
    return s < e ? SIZE_MAX : n; /* SIZE_MAX: too long for out */
}

typedef struct row {
    char employee[64], month[64], action[64], hours[64], basis[64];
    size_t nfields;
} row;

static void row_read(const char *s, const char *end, row *r)
{
    char *cells[] = {r->employee, r->month, r->action, r->hours, r->basis};
    r->nfields = 1;
    for (const char *q = s; q < end; q++)
        r->nfields += *q == ';';
    for (size_t i = 0; i < 5; i++) {
        cells[i][0] = '\0';
        if (i < r->nfields && field(&s, end, cells[i], 64, i == 0 || i == 2) == SIZE_MAX)
            cells[i][0] = '\x01'; /* too long: refused below as out of its rule */
    }
}

static int row_add(ts_batch *b, const row *r, uint32_t line, char *err, size_t err_len)
{
    uint32_t month, minutes;
    uint16_t basis = 0;
    char why[160] = "";
    if (r->nfields < 4 || r->nfields > 5)
        snprintf(why, sizeof why, "%zu fields, not employee;month;action;hours[;working time]",
                 r->nfields);
    else if (!ts_month_parse(r->month, strlen(r->month), &month))
        snprintf(why, sizeof why, "month %s is not YYYY-MM", r->month);
    else if (!ts_hours_parse(r->hours, strlen(r->hours), &minutes))
        snprintf(why, sizeof why,
                 "hours %s: a number with a decimal comma or point, to the "
                 "minute (7,5 or 7:30)",
                 r->hours);
    else if (r->basis[0] && !ts_basis_parse(r->basis, strlen(r->basis), &basis))
        snprintf(why, sizeof why, "working time %s: a percentage of full time, 0,1 to 100",
                 r->basis);
    int st = GL_ERR_TIMESHEET_CSV;
    if (!why[0])
        st = ts_batch_add(b, r->employee, month, r->action, minutes, basis, line, why, sizeof why);
    if (st == GL_ERR_TIMESHEET_CSV)
        snprintf(err, err_len, "line %u: %s", (unsigned)line, why);
    return st;
}

int ts_csv_parse(const char *text, size_t len, ts_batch *b, char *err, size_t err_len)
{
    const char *p = text, *end = text + len;
    if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
        p += 3;
    for (uint32_t line = 1; p < end; line++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *trim = le;
        while (trim > p && (trim[-1] == '\r' || trim[-1] == ' '))
            trim--;
        if (trim > p) {
            row r;
            row_read(p, trim, &r);
            uint32_t ym;
            bool header = line == 1 && !ts_month_parse(r.month, strlen(r.month), &ym);
            int st = header ? GL_OK : row_add(b, &r, line, err, err_len);
            if (st != GL_OK)
                return st;
        }
        p = nl ? nl + 1 : end;
    }
    if (b->n == 0) {
        snprintf(err, err_len, "the file holds no time sheet row");
        return GL_ERR_TIMESHEET_CSV;
    }
    return GL_OK;
}

void ts_sheet_put(gl_buf *b, const ts_sheet *s, uint16_t basis_per_mille)
{
    gl_ts_head_put(b, (gl_str){s->employee, strlen(s->employee)}, s->month, basis_per_mille,
                   (uint16_t)s->n);
    for (size_t i = 0; i < s->n; i++) {
        gl_ts_row r = {{s->items[i].action, strlen(s->items[i].action)}, s->items[i].minutes};
        gl_ts_row_put(b, &r);
    }
}
