/*
 * client/analytic/an_spec.c — the codes spec of one axis read into a
 * split, and written back (an_spec.h).  The spec is cut at ',' into
 * parts, each "CODE" or "CODE:VALUE" where VALUE ends in '%' (a
 * percentage) or not (an amount); the parts are sorted by code before
 * the cents are computed, so that the rounding does not depend on the
 * order the person wrote them in.
 */
#include "an_spec.h"

#include "proto/money.h"
#include "proto/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_(s) (s) /* msgids: translated where they are printed */

/* 100 % in the 1/10000 % of gl_an_split_weights, and its decimals */
#define PERCENT_DECIMALS 4

enum part_kind { PART_WHOLE, PART_PERCENT, PART_AMOUNT };

typedef struct part {
    gl_str code;
    enum part_kind kind;
    int64_t value; /* 1/10000 % or cents */
} part;

static int refuse(gl_an_spec_error *err, const char *reason, const char *p, size_t n)
{
    if (err) {
        err->reason = reason;
        if (n > GL_AN_SPEC_DETAIL_MAX)
            n = GL_AN_SPEC_DETAIL_MAX;
        memcpy(err->detail, p ? p : "", p ? n : 0);
        err->detail[p ? n : 0] = '\0';
    }
    return GL_ERR_INPUT;
}

static int refuse_str(gl_an_spec_error *err, const char *reason, gl_str s)
{
    return refuse(err, reason, s.ptr, s.len);
}

static gl_str trim(const char *p, size_t n)
{
    while (n && (*p == ' ' || *p == '\t'))
        p++, n--;
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    return (gl_str){p, n};
}

/* "60", "33.3333": 1/10000 % in *out; false on anything else (more than
 * 4 decimals, a sign, over 100 %). */
static bool percent_parse(gl_str s, int64_t *out)
{
    int64_t v = 0;
    size_t i = 0, decimals = 0;
    bool dot = false, digits = false;
    for (; i < s.len; i++) {
        char ch = s.ptr[i];
        if (ch == '.' && !dot) {
            dot = true;
            continue;
        }
        if (ch < '0' || ch > '9' || (dot && ++decimals > PERCENT_DECIMALS) ||
            v > GL_AN_PERCENT_WHOLE)
            return false;
        v = v * 10 + (ch - '0');
        digits = true;
    }
    if (!digits || (dot && !decimals))
        return false;
    for (; decimals < PERCENT_DECIMALS; decimals++)
        v *= 10;
    if (v > GL_AN_PERCENT_WHOLE)
        return false;
    *out = v;
    return true;
}

/* An amount with a decimal point only (',' separates the codes). */
static bool amount_parse(gl_str s, int64_t *out)
{
    return s.len && !memchr(s.ptr, ',', s.len) && s.ptr[0] != '-' && s.ptr[0] != '+' &&
           gl_money_parse(s.ptr, s.len, out);
}

static int part_parse(gl_str text, part *out, gl_an_spec_error *err)
{
    const char *colon = memchr(text.ptr, ':', text.len);
    gl_str code = trim(text.ptr, colon ? (size_t)(colon - text.ptr) : text.len);
    if (!code.len)
        return refuse_str(err, N_("a code is missing"), text);
    if (!gl_an_code_valid(code))
        return refuse_str(err,
                          N_("not an analytic code (capitals, digits, '_', '.', '-'; "
                             "at most 16 bytes)"),
                          code);
    *out = (part){code, PART_WHOLE, 0};
    if (!colon)
        return GL_OK;
    gl_str value = trim(colon + 1, text.len - (size_t)(colon + 1 - text.ptr));
    if (value.len && value.ptr[value.len - 1] == '%') {
        out->kind = PART_PERCENT;
        if (!percent_parse(trim(value.ptr, value.len - 1), &out->value))
            return refuse_str(err,
                              N_("not a percentage (up to 4 decimals after a '.', "
                                 "at most 100%)"),
                              text);
    } else {
        out->kind = PART_AMOUNT;
        if (!amount_parse(value, &out->value))
            return refuse_str(err, N_("not an amount (digits, at most 2 decimals after a '.')"),
                              text);
    }
    if (out->value <= 0)
        return refuse_str(err, N_("a code's share must be more than 0"), text);
    return GL_OK;
}

static int by_code(const void *a, const void *b)
{
    const part *x = a, *y = b;
    size_t n = x->code.len < y->code.len ? x->code.len : y->code.len;
    int c = memcmp(x->code.ptr, y->code.ptr, n);
    return c ? c : (x->code.len > y->code.len) - (x->code.len < y->code.len);
}

/* Cut spec into parts; sorted by code, none twice, one kind. */
static int parts_read(const char *spec, size_t len, part *parts, size_t *n, gl_an_spec_error *err)
{
    *n = 0;
    for (size_t start = 0; start <= len;) {
        const char *comma = memchr(spec + start, ',', len - start);
        size_t end = comma ? (size_t)(comma - spec) : len;
        if (*n == GL_AN_SPLIT_MAX)
            return refuse(err, N_("more than 16 codes on one axis"), spec, len);
        int st = part_parse((gl_str){spec + start, end - start}, &parts[*n], err);
        if (st != GL_OK)
            return st;
        (*n)++;
        start = end + 1;
    }
    qsort(parts, *n, sizeof *parts, by_code);
    for (size_t i = 1; i < *n; i++) {
        if (by_code(&parts[i - 1], &parts[i]) == 0)
            return refuse_str(err, N_("a code is given twice"), parts[i].code);
        if (parts[i].kind != parts[0].kind)
            return refuse(err,
                          N_("give every code a percentage, or every code an amount, "
                             "not a mix"),
                          spec, len);
    }
    if (*n > 1 && parts[0].kind == PART_WHOLE)
        return refuse(err, N_("several codes need a percentage or an amount each"), spec, len);
    return GL_OK;
}

static int refuse_sum(gl_an_spec_error *err, const char *reason, int64_t got, int64_t want,
                      bool percent)
{
    char a[GL_MONEY_TEXT_MAX], b[GL_MONEY_TEXT_MAX], text[GL_AN_SPEC_DETAIL_MAX + 1];
    if (percent)
        snprintf(text, sizeof text, "%lld.%04lld%% != 100%%", (long long)(got / 10000),
                 (long long)(got % 10000));
    else
        snprintf(text, sizeof text, "%s != %s", gl_money_format(got, GL_MONEY_PLAIN, a),
                 gl_money_format(want, GL_MONEY_PLAIN, b));
    return refuse(err, reason, text, strlen(text));
}

static int shares_compute(const part *parts, size_t n, int64_t amount_cents, gl_an_split *out,
                          gl_an_spec_error *err)
{
    int64_t weights[GL_AN_SPLIT_MAX], shares[GL_AN_SPLIT_MAX], sum = 0;
    for (size_t i = 0; i < n; i++) {
        weights[i] = parts[i].kind == PART_WHOLE ? amount_cents : parts[i].value;
        if (!gl_money_add(&sum, weights[i]))
            return refuse(err, N_("the amounts overflow"), NULL, 0);
    }
    if (parts[0].kind == PART_PERCENT && sum != GL_AN_PERCENT_WHOLE)
        return refuse_sum(err, N_("the percentages do not sum to 100%"), sum, 0, true);
    if (parts[0].kind == PART_AMOUNT && sum != amount_cents)
        return refuse_sum(err, N_("the amounts do not sum to the line's amount"), sum, amount_cents,
                          false);
    if (parts[0].kind == PART_PERCENT) {
        if (!gl_an_split_weights(amount_cents, weights, n, shares))
            return refuse(err, N_("a code would get 0.00 of the line"), NULL, 0);
    } else {
        memcpy(shares, weights, n * sizeof *shares);
    }
    out->count = (uint8_t)n;
    for (size_t i = 0; i < n; i++)
        out->shares[i] = (gl_an_share){parts[i].code, shares[i]};
    return GL_OK;
}

int gl_an_spec_parse(gl_str axis, const char *spec, size_t len, int64_t amount_cents,
                     unsigned flags, gl_an_split *out, gl_an_spec_error *err)
{
    memset(out, 0, sizeof *out);
    out->axis = axis;
    if (!gl_an_axis_valid(axis))
        return refuse_str(err,
                          N_("not an analytic axis (small letters, digits, '_', '-'; "
                             "at most 16 bytes)"),
                          axis);
    if (amount_cents <= 0)
        return refuse(err, N_("the line's amount must be more than 0"), NULL, 0);
    gl_str whole = trim(spec, len);
    if (!whole.len)
        return refuse(err, N_("no analytic code given"), NULL, 0);
    if (whole.len == 1 && whole.ptr[0] == '-') {
        if (flags & GL_AN_SPEC_REMOVE)
            return GL_OK;
        return refuse(err, N_("\"-\" (no code) is for an allocation only"), NULL, 0);
    }
    part parts[GL_AN_SPLIT_MAX];
    size_t n;
    int st = parts_read(whole.ptr, whole.len, parts, &n, err);
    return st == GL_OK ? shares_compute(parts, n, amount_cents, out, err) : st;
}

int gl_an_line_add(gl_analytic *a, gl_str axis, const char *spec, size_t len, int64_t amount_cents,
                   unsigned flags, gl_an_spec_error *err)
{
    if (a->naxes == GL_AN_LINE_AXES_MAX)
        return refuse(err, N_("more than 8 analytic axes on one line"), NULL, 0);
    int st = gl_an_spec_parse(axis, spec, len, amount_cents, flags, &a->axes[a->naxes], err);
    if (st == GL_OK)
        a->naxes++;
    return st;
}

int gl_an_line_finish(gl_analytic *a, gl_an_spec_error *err)
{
    if (!gl_analytic_sort(a))
        return refuse(err, N_("an analytic axis is given twice"), NULL, 0);
    uint8_t value[GL_AN_ITEM_MAX];
    size_t n;
    if (a->naxes && gl_analytic_encode(a, value, &n) != GL_OK)
        return refuse(err, N_("too many analytic codes on one line (254 bytes at most)"), NULL, 0);
    return GL_OK;
}

int gl_an_text_parse(const char *text, size_t len, int64_t amount_cents, unsigned flags,
                     gl_analytic *out, gl_an_spec_error *err)
{
    memset(out, 0, sizeof *out);
    if (!trim(text, len).len)
        return GL_OK;
    for (size_t start = 0; start <= len;) {
        const char *semi = memchr(text + start, ';', len - start);
        size_t end = semi ? (size_t)(semi - text) : len;
        gl_str piece = {text + start, end - start};
        const char *eq = memchr(piece.ptr, '=', piece.len);
        if (!eq)
            return refuse_str(err, N_("expected axis=codes"), piece);
        gl_str axis = trim(piece.ptr, (size_t)(eq - piece.ptr));
        int st = gl_an_line_add(out, axis, eq + 1, piece.len - (size_t)(eq + 1 - piece.ptr),
                                amount_cents, flags, err);
        if (st != GL_OK)
            return st;
        start = end + 1;
    }
    return gl_an_line_finish(out, err);
}

char *gl_an_split_format(const gl_an_split *s, char *out)
{
    size_t n = 0;
    out[0] = '\0';
    if (!s->count)
        return strcpy(out, "-");
    if (s->count == 1) {
        snprintf(out, GL_AN_SPLIT_TEXT_MAX, "%.*s", (int)s->shares[0].code.len,
                 s->shares[0].code.ptr);
        return out;
    }
    for (uint8_t i = 0; i < s->count && i < GL_AN_SPLIT_MAX; i++) {
        char money[GL_MONEY_TEXT_MAX];
        n += (size_t)snprintf(out + n, GL_AN_SPLIT_TEXT_MAX - n, "%s%.*s:%s", i ? "," : "",
                              (int)s->shares[i].code.len, s->shares[i].code.ptr,
                              gl_money_format(s->shares[i].amount_cents, GL_MONEY_PLAIN, money));
    }
    return out;
}

char *gl_an_text_format(const gl_analytic *a, char *out)
{
    size_t n = 0;
    out[0] = '\0';
    for (uint8_t i = 0; i < a->naxes && i < GL_AN_LINE_AXES_MAX; i++) {
        char split[GL_AN_SPLIT_TEXT_MAX];
        n += (size_t)snprintf(out + n, GL_AN_TEXT_MAX - n, "%s%.*s=%s", i ? ";" : "",
                              (int)a->axes[i].axis.len, a->axes[i].axis.ptr,
                              gl_an_split_format(&a->axes[i], split));
    }
    return out;
}

char *gl_an_spec_error_text(const gl_an_spec_error *e, const char *reason, char *out, size_t n)
{
    if (e->detail[0])
        snprintf(out, n, "%s: %s", reason, e->detail);
    else
        snprintf(out, n, "%s", reason);
    return out;
}
