/*
 * client/input/entries_json.c — entries to post, read from a JSON document
 * with jansson; entries_json.h lists the accepted shapes and fields.
 *
 * Money never passes through floating point: an amount is either a string
 * read by gl_money_parse ("120.50", "-0,01") or a JSON integer of cents in
 * "debit_cents" / "credit_cents"; a JSON real is refused outright.  Signs
 * and zero amounts are kept as given, so that the daemon refuses them with
 * its own status (amount_not_positive) rather than the client guessing.
 * The same goes for the rules the daemon owns (at least two lines, balance,
 * account and journal syntax): this file checks only what the encoder needs
 * and what a person needs pointed out precisely — unknown fields (a typo must
 * not drop data), missing required fields, types, byte limits of
 * proto/limits.h, control characters, dates, and a piece reference and a
 * label that are not blank (mandatory in a FEC; proto/rules.h says what
 * blank is).  Every message names the 1-based entry and line at fault,
 * after the text line where that entry or line starts (json_pos.h).
 * Account numbers are upper-cased.
 *
 * Memory: jansson's tree is borrowed while an entry is built; the entry is
 * then copied into the caller's gl_entry_set, which owns everything.
 */
#include "entries_json.h"

#include "date_why.h"
#include "json_pos.h"
#include "client/analytic/an_spec.h"
#include "proto/date.h"
#include "proto/limits.h"
#include "proto/money.h"
#include "proto/rules.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AMOUNT_HINT "amounts must be strings like \"12.50\" or integer *_cents"
#define SHOW_MAX 40 /* bytes of a faulty value or key quoted in a message */

/* Where we are in the document, for messages. */
typedef struct json_ctx {
    size_t entry; /* 1-based entry being read, 0 outside entries */
    size_t line;  /* 1-based line being read, 0 outside lines */
    char *err;
    size_t err_len;
    const char *text; /* the document, for the text lines of messages */
    size_t text_len;
    bool single;          /* the document is one entry object */
    size_t *entry_lines;  /* text line where entry i + 1 starts (0: unknown) */
    size_t entry_lines_n; /* entries in entry_lines */
} json_ctx;

/* Room for one upper-cased account number per line, and its area (the
 * analytic item). */
typedef struct account_buf {
    char text[GL_ACCOUNT_MAX + 1];
    uint8_t area[2 + GL_AN_ITEM_MAX];
} account_buf;

static const char *const entry_fields[] = {
    "tenant", "date", "journal", "piece", "piece_date", "label", "lines", "comment", NULL,
};
static const char *const line_fields[] = {
    "account", "aux",         "aux_label",    "label",    "debit",
    "credit",  "debit_cents", "credit_cents", "analytic", NULL,
};

/* The four ways to give a line's amount; exactly one per line. */
static const struct amount_kind {
    const char *key;
    uint8_t side;
    bool cents;
} amount_kinds[] = {
    {"debit", GL_SIDE_DEBIT, false},
    {"credit", GL_SIDE_CREDIT, false},
    {"debit_cents", GL_SIDE_DEBIT, true},
    {"credit_cents", GL_SIDE_CREDIT, true},
};
#define AMOUNT_KINDS (sizeof amount_kinds / sizeof amount_kinds[0])

/* json_positions' callback: the text line of the object wanted. */
struct pos_wanted {
    size_t entry, line, text_line;
};
static void pos_find(void *user, size_t entry, size_t line, size_t text_line)
{
    struct pos_wanted *w = user;
    if (entry == w->entry && line == w->line)
        w->text_line = text_line;
}

/* The text line of the entry (or its line) being read; 0 if unknown, or
 * if the document is one line (its line says nothing). */
static size_t text_line_of(const json_ctx *c)
{
    struct pos_wanted w = {c->entry, c->line, 0};
    size_t len = c->text_len;
    while (len && (c->text[len - 1] == '\n' || c->text[len - 1] == '\r'))
        len--;
    if (!c->text || !memchr(c->text, '\n', len))
        return 0;
    if (c->entry)
        json_positions(c->text, c->text_len, c->single, pos_find, &w);
    if (!w.text_line && c->line) { /* at least the entry's */
        w.line = 0;
        json_positions(c->text, c->text_len, c->single, pos_find, &w);
    }
    return w.text_line;
}

/* Write "file line L: entry N line M: " and the message into the caller's
 * buffer.  Always returns -1 so that callers can `return fail(...)`. */
__attribute__((format(printf, 2, 3))) static int fail(json_ctx *c, const char *fmt, ...)
{
    if (!c->err || c->err_len == 0)
        return -1;
    int n = 0;
    size_t text_line = c->entry ? text_line_of(c) : 0;
    if (text_line) /* what an editor shows, then what the document holds */
        n = snprintf(c->err, c->err_len, "file line %zu: ", text_line);
    if (n < 0 || (size_t)n >= c->err_len)
        n = 0;
    int m = 0;
    if (c->entry && c->line)
        m = snprintf(c->err + n, c->err_len - (size_t)n, "entry %zu line %zu: ", c->entry, c->line);
    else if (c->entry)
        m = snprintf(c->err + n, c->err_len - (size_t)n, "entry %zu: ", c->entry);
    if (m > 0)
        n += m;
    if ((size_t)n < c->err_len) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->err + n, c->err_len - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* Copy at most SHOW_MAX bytes of s into out for a message, stopping before a
 * cut UTF-8 sequence and replacing control bytes, so that a hostile value
 * cannot garble a terminal.  out holds SHOW_MAX + 4 bytes ("..." appended). */
static const char *show(const char *s, size_t len, char out[SHOW_MAX + 4])
{
    size_t n = len < SHOW_MAX ? len : SHOW_MAX;
    if (n < len)
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--; /* s[n] continues a character: cut before it starts */
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        out[i] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
    }
    strcpy(out + n, n < len ? "..." : "");
    return out;
}

static bool field_known(const char *key, const char *const *allowed)
{
    for (size_t i = 0; allowed[i]; i++)
        if (strcmp(key, allowed[i]) == 0)
            return true;
    return false;
}

/* The first member of obj whose name is not in allowed, or NULL. */
static const char *unknown_field(json_t *obj, const char *const *allowed)
{
    const char *key;
    json_t *value;
    json_object_foreach(obj, key, value)
    {
        (void)value;
        if (!field_known(key, allowed))
            return key;
    }
    return NULL;
}

/* Refuse any member of obj that is not in allowed. */
static int check_fields(json_ctx *c, json_t *obj, const char *const *allowed)
{
    const char *key = unknown_field(obj, allowed);
    char shown[SHOW_MAX + 4];
    if (key)
        return fail(c, "unknown field \"%s\"", show(key, strlen(key), shown));
    return 0;
}

/* String member key of obj into *out (borrowed from the tree).  Absent:
 * *out = dflt, or "missing" when dflt is NULL.  Refuses other JSON types,
 * values longer than max bytes and control characters (jansson has already
 * refused invalid UTF-8 and NUL). */
static int get_str(json_ctx *c, json_t *obj, const char *key, size_t max, const char *dflt,
                   const char **out)
{
    json_t *v = json_object_get(obj, key);
    if (!v) {
        if (!dflt)
            return fail(c, "missing \"%s\"", key);
        *out = dflt;
        return 0;
    }
    if (!json_is_string(v))
        return fail(c, "\"%s\" must be a string", key);
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (len > max)
        return fail(c, "field \"%s\" longer than %zu bytes", key, max);
    if (!gl_utf8_valid(s, len))
        return fail(
            c,
            gl_utf8_valid_with_bidi(s, len)
                ? "field \"%s\" holds a bidirectional control character (U+202A-U+202E, U+2066-U+2069)"
                : "field \"%s\" holds a control character",
            key);
    *out = s;
    return 0;
}

/* ISO date member key of obj into *ymd.  Absent: *ymd = dflt, or "missing"
 * when dflt is 0. */
static int get_date(json_ctx *c, json_t *obj, const char *key, uint32_t dflt, uint32_t *ymd)
{
    json_t *v = json_object_get(obj, key);
    if (!v) {
        if (!dflt)
            return fail(c, "missing \"%s\"", key);
        *ymd = dflt;
        return 0;
    }
    if (!json_is_string(v))
        return fail(c, "\"%s\" must be a string like \"2024-01-31\"", key);
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    char shown[SHOW_MAX + 4], why[80];
    if (len != 10 || !gl_date_parse(s, len, ymd))
        return fail(c, "bad date \"%s\" in \"%s\": %s", show(s, len, shown), key,
                    date_why(s, len, why, sizeof why));
    return 0;
}

/* Which of the four amount members the line has; -1 with the error set
 * unless exactly one. */
static int amount_kind_of(json_ctx *c, json_t *line)
{
    int found = -1;
    for (size_t i = 0; i < AMOUNT_KINDS; i++) {
        if (!json_object_get(line, amount_kinds[i].key))
            continue;
        if (found >= 0)
            return fail(c, "both \"%s\" and \"%s\" given: exactly one amount per line",
                        amount_kinds[found].key, amount_kinds[i].key);
        found = (int)i;
    }
    if (found < 0)
        return fail(c,
                    "no amount: give one of \"debit\", \"credit\", \"debit_cents\", "
                    "\"credit_cents\"");
    return found;
}

/* Side and amount of a line, sign kept as given. */
static int get_amount(json_ctx *c, json_t *line, gl_line_in *l)
{
    int k = amount_kind_of(c, line);
    if (k < 0)
        return -1;
    const struct amount_kind *kind = &amount_kinds[k];
    json_t *v = json_object_get(line, kind->key);
    if (kind->cents) {
        if (!json_is_integer(v))
            return fail(c, "\"%s\": " AMOUNT_HINT, kind->key);
        l->amount_cents = (int64_t)json_integer_value(v);
    } else {
        if (!json_is_string(v))
            return fail(c, "\"%s\": " AMOUNT_HINT, kind->key);
        const char *s = json_string_value(v);
        size_t len = json_string_length(v);
        char shown[SHOW_MAX + 4];
        if (!gl_money_parse(s, len, &l->amount_cents))
            return fail(c,
                        "bad amount \"%s\" in \"%s\" (digits, at most two decimals "
                        "after '.' or ',', no spaces, within int64 cents)",
                        show(s, len, shown), kind->key);
    }
    l->side = kind->side;
    return 0;
}

/* ASCII upper-case copy of an account number that fits GL_ACCOUNT_MAX. */
static void upper_copy(char *dst, const char *src)
{
    size_t i = 0;
    for (; src[i] && i < GL_ACCOUNT_MAX; i++) {
        char ch = src[i];
        dst[i] = ch >= 'a' && ch <= 'z' ? (char)(ch - 'a' + 'A') : ch;
    }
    dst[i] = '\0';
}

/* "analytic": {"axis": "codes spec", ...} (client/analytic/an_spec.h)
 * for a line of amount_cents, into the line's area (*area_len 0: none). */
static int read_analytic(json_ctx *c, json_t *jl, int64_t amount_cents, account_buf *acct,
                         size_t *area_len)
{
    json_t *obj = json_object_get(jl, "analytic"), *v;
    const char *axis;
    char shown[SHOW_MAX + 4], why[GL_AN_SPEC_DETAIL_MAX + 160];
    gl_an_spec_error e;
    gl_analytic a = {0};
    *area_len = 0;
    if (!obj || amount_cents <= 0) /* the daemon refuses the line: amount_not_positive */
        return 0;
    if (!json_is_object(obj))
        return fail(c, "\"analytic\" must be an object: {\"action\": \"FSE-2026\", ...}");
    json_object_foreach(obj, axis, v)
    {
        if (!json_is_string(v))
            return fail(c, "\"analytic\": axis \"%s\": the codes must be a string",
                        show(axis, strlen(axis), shown));
        if (gl_an_line_add(&a, (gl_str){axis, strlen(axis)}, json_string_value(v),
                           json_string_length(v), amount_cents, 0, &e) != GL_OK)
            return fail(c, "\"analytic\": axis \"%s\": %s", show(axis, strlen(axis), shown),
                        gl_an_spec_error_text(&e, e.reason, why, sizeof why));
    }
    if (gl_an_line_finish(&a, &e) != GL_OK)
        return fail(c, "\"analytic\": %s", gl_an_spec_error_text(&e, e.reason, why, sizeof why));
    *area_len = a.naxes ? gl_analytic_item_put(acct->area, &a) : 0;
    return 0;
}

/* One line object into *l; the account text goes to acct, and its area
 * (*area_len bytes of acct->area). */
static int read_line(json_ctx *c, json_t *jl, gl_line_in *l, account_buf *acct, size_t *area_len)
{
    if (!json_is_object(jl))
        return fail(c, "a line must be an object");
    const char *account;
    if (check_fields(c, jl, line_fields) ||
        get_str(c, jl, "account", GL_ACCOUNT_MAX, NULL, &account) ||
        get_str(c, jl, "aux", GL_AUX_MAX, "", &l->aux) ||
        get_str(c, jl, "aux_label", GL_LABEL_MAX, "", &l->aux_label) ||
        get_str(c, jl, "label", GL_LABEL_MAX, "", &l->label) || get_amount(c, jl, l) ||
        read_analytic(c, jl, l->amount_cents, acct, area_len))
        return -1;
    upper_copy(acct->text, account);
    l->account = acct->text;
    return 0;
}

/* The fields of an entry other than its lines. */
static int read_head(json_ctx *c, json_t *je, const char *default_tenant, gl_entry_in *e)
{
    if (check_fields(c, je, entry_fields) ||
        get_str(c, je, "tenant", GL_TENANT_MAX, default_tenant, &e->tenant) ||
        get_date(c, je, "date", 0, &e->date) ||
        get_str(c, je, "journal", GL_JOURNAL_MAX, NULL, &e->journal) ||
        get_str(c, je, "piece", GL_PIECE_MAX, NULL, &e->piece_ref) ||
        get_date(c, je, "piece_date", e->date, &e->piece_date) ||
        get_str(c, je, "label", GL_LABEL_MAX, NULL, &e->label))
        return -1;
    if (gl_text_blank((gl_str){e->piece_ref, strlen(e->piece_ref)}))
        return fail(c, "\"piece\" is blank: the piece reference is mandatory");
    if (gl_text_blank((gl_str){e->label, strlen(e->label)}))
        return fail(c,
                    "\"label\" is blank: the entry's label is mandatory (a line's may be empty)");
    return 0;
}

/* The "lines" array of an entry; *count is set once it is known. */
static json_t *lines_array(json_ctx *c, json_t *je, size_t *count)
{
    json_t *jl = json_object_get(je, "lines");
    if (!jl) {
        fail(c, "missing \"lines\"");
        return NULL;
    }
    if (!json_is_array(jl)) {
        fail(c, "\"lines\" must be an array");
        return NULL;
    }
    *count = json_array_size(jl);
    if (*count > GL_LINES_MAX) {
        fail(c, "%zu lines, more than the %d allowed per entry", *count, GL_LINES_MAX);
        return NULL;
    }
    return jl;
}

/* Read one entry object and append it to out. */
static int read_entry(json_ctx *c, json_t *je, const char *default_tenant, gl_entry_set *out)
{
    if (!json_is_object(je))
        return fail(c, "an entry must be an object");
    gl_entry_in e;
    memset(&e, 0, sizeof e);
    size_t n = 0;
    json_t *jl = NULL;
    if (read_head(c, je, default_tenant, &e) || !(jl = lines_array(c, je, &n)))
        return -1;
    gl_line_in *lines = calloc(n ? n : 1, sizeof *lines);
    account_buf *accounts = calloc(n ? n : 1, sizeof *accounts);
    gl_ext_in *areas = calloc(n ? n : 1, sizeof *areas);
    int rc = lines && accounts && areas ? 0 : fail(c, "out of memory");
    bool any_area = false;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        c->line = i + 1;
        areas[i].items = accounts[i].area;
        rc = read_line(c, json_array_get(jl, i), &lines[i], &accounts[i], &areas[i].len);
        any_area |= areas[i].len > 0;
    }
    if (rc == 0) {
        c->line = 0;
        e.lines = lines;
        e.line_count = n;
        e.line_ext = any_area ? areas : NULL;
        size_t at = c->entry <= c->entry_lines_n ? c->entry_lines[c->entry - 1] : 0;
        if (gl_entry_set_add(out, &e, at) != 0)
            rc = fail(c, "out of memory");
    }
    free(lines);
    free(accounts);
    free(areas);
    return rc;
}

/* The array of entries in any of the three accepted shapes.  For a single
 * entry object, *single is set and the object itself is returned. */
static json_t *entries_of(json_ctx *c, json_t *root, bool *single)
{
    *single = false;
    if (json_is_array(root))
        return root;
    if (!json_is_object(root)) {
        fail(c, "document: expected an object or an array of entries");
        return NULL;
    }
    json_t *list = json_object_get(root, "entries");
    if (!list) {
        *single = true;
        return root;
    }
    static const char *const wrapper_fields[] = {"entries", "comment", NULL};
    const char *key = unknown_field(root, wrapper_fields);
    char shown[SHOW_MAX + 4];
    if (key) {
        fail(c, "document: unknown field \"%s\" beside \"entries\"", show(key, strlen(key), shown));
        return NULL;
    }
    if (!json_is_array(list)) {
        fail(c, "document: \"entries\" must be an array");
        return NULL;
    }
    return list;
}

/* json_positions' callback: every entry's text line. */
static void pos_entries(void *user, size_t entry, size_t line, size_t text_line)
{
    json_ctx *c = user;
    if (!line && entry && entry <= c->entry_lines_n)
        c->entry_lines[entry - 1] = text_line;
}

static int read_document(json_ctx *c, json_t *root, const char *default_tenant, gl_entry_set *out)
{
    bool single;
    json_t *list = entries_of(c, root, &single);
    if (!list)
        return -1;
    c->single = single;
    size_t n = single ? 1 : json_array_size(list);
    c->entry_lines = calloc(n ? n : 1, sizeof *c->entry_lines);
    if (!c->entry_lines)
        return fail(c, "out of memory");
    c->entry_lines_n = n;
    json_positions(c->text, c->text_len, single, pos_entries, c);
    if (single) {
        c->entry = 1;
        return read_entry(c, list, default_tenant, out);
    }
    for (size_t i = 0; i < json_array_size(list); i++) {
        c->entry = i + 1;
        if (read_entry(c, json_array_get(list, i), default_tenant, out) != 0)
            return -1;
    }
    return 0;
}

int gl_entries_from_json(const char *text, size_t len, const char *default_tenant,
                         gl_entry_set *out, char *err, size_t err_len)
{
    json_ctx c = {0, 0, err, err_len, text, text ? len : 0, false, NULL, 0};
    if (err && err_len)
        err[0] = '\0';
    json_error_t jerr;
    json_t *root = json_loadb(text ? text : "", text ? len : 0, JSON_REJECT_DUPLICATES, &jerr);
    int rc;
    if (!root) {
        /* jansson quotes the offending input: keep control bytes out. */
        for (char *p = jerr.text; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f)
                *p = '?';
        rc = fail(&c, "JSON syntax error at line %d, column %d: %s", jerr.line, jerr.column,
                  jerr.text);
    } else {
        rc = read_document(&c, root, default_tenant, out);
        free(c.entry_lines);
        json_decref(root);
    }
    if (rc != 0)
        gl_entry_set_free(out);
    return rc;
}
