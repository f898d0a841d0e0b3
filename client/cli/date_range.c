/*
 * client/cli/date_range.c — partial dates and hledger's -b/-e (see
 * date_range.h).  Years are those of proto/date.h (1900..2999).
 */
#include "date_range.h"
#include "i18n.h"

#include "proto/date.h"
#include "proto/status.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* n digits at s, into *v. */
static bool digits(const char *s, size_t n, unsigned *v)
{
    *v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        *v = *v * 10 + (unsigned)(s[i] - '0');
    }
    return true;
}

int date_span(const char *s, uint32_t *first, uint32_t *last, char *err, size_t err_len)
{
    size_t n = strlen(s);
    unsigned y = 0, m = 0, d = 0;
    bool shape = (n == 4 || (n == 7 && s[4] == '-') || (n == 10 && s[4] == '-' && s[7] == '-')) &&
                 digits(s, 4, &y) && (n < 7 || digits(s + 5, 2, &m)) &&
                 (n < 10 || digits(s + 8, 2, &d));
    if (!shape) {
        snprintf(err, err_len, _("%s: not a date (YYYY, YYYY-MM or YYYY-MM-DD)"), s);
        return GL_ERR_BAD_DATE_TEXT;
    }
    if (y < 1900 || y > 2999) {
        snprintf(err, err_len, _("%s: the year must be 1900 to 2999"), s);
        return GL_ERR_BAD_DATE_TEXT;
    }
    if (n >= 7 && (m < 1 || m > 12)) {
        snprintf(err, err_len, _("%s: no such month"), s);
        return GL_ERR_BAD_DATE_TEXT;
    }
    if (n == 10 && (d < 1 || (int)d > gl_days_in_month(y, m))) {
        snprintf(err, err_len, _("%s: that day does not exist"), s);
        return GL_ERR_BAD_DATE_TEXT;
    }
    uint32_t base = (uint32_t)y * 10000;
    if (n == 4) {
        *first = base + 101;
        *last = base + 1231;
    } else if (n == 7) {
        *first = base + m * 100 + 1;
        *last = gl_month_last_day(y * 100 + m);
    } else {
        *first = *last = base + m * 100 + d;
    }
    return 0;
}

/* A bound given by both of its options is refused (GL_ERR_USAGE). */
static int one_bound(const char *a, const char *a_name, const char *b, const char *b_name,
                     char *err, size_t err_len)
{
    if (a && b) {
        snprintf(err, err_len, _("%s and %s both give the same bound: use one"), a_name, b_name);
        return GL_ERR_USAGE;
    }
    return 0;
}

int date_range(const date_bounds *b, uint32_t default_from, uint32_t default_to, uint32_t *from,
               uint32_t *to, char *err, size_t err_len)
{
    int st;
    uint32_t first, last;
    if ((st = one_bound(b->from, "--from", b->begin, "-b", err, err_len)) ||
        (st = one_bound(b->to, "--to", b->end, "-e", err, err_len)))
        return st;
    *from = default_from;
    *to = default_to;
    const char *start = b->from ? b->from : b->begin;
    if (start) {
        if ((st = date_span(start, &first, &last, err, err_len)))
            return st;
        *from = first;
    }
    if (b->to) {
        if ((st = date_span(b->to, &first, &last, err, err_len)))
            return st;
        *to = last;
    } else if (b->end) {
        if ((st = date_span(b->end, &first, &last, err, err_len)))
            return st;
        if (first == 19000101) {
            snprintf(err, err_len, _("-e %s: no day before it"), b->end);
            return GL_ERR_EMPTY_RANGE;
        }
        *to = gl_date_prev(first);
    }
    if (*from > *to) {
        char f[11], t[11];
        snprintf(err, err_len, _("from %s to %s holds no day"), gl_date_format(*from, f),
                 gl_date_format(*to, t));
        return GL_ERR_EMPTY_RANGE;
    }
    return 0;
}
