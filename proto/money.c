/*
 * proto/money.c — exact decimal parsing and formatting of cent amounts.
 * Accumulation is done on the negative side so that INT64_MIN parses.
 */
#include "money.h"

#include <string.h>

bool gl_money_add(int64_t *acc, int64_t v)
{
    int64_t r;
    if (__builtin_add_overflow(*acc, v, &r))
        return false;
    *acc = r;
    return true;
}

bool gl_money_sub(int64_t *acc, int64_t v)
{
    int64_t r;
    if (__builtin_sub_overflow(*acc, v, &r))
        return false;
    *acc = r;
    return true;
}

/* Accumulate one digit into a non-positive value: v = v*10 - d. */
static bool push_digit(int64_t *v, int d)
{
    int64_t r;
    if (__builtin_mul_overflow(*v, 10, &r) || __builtin_sub_overflow(r, d, &r))
        return false;
    *v = r;
    return true;
}

bool gl_money_parse(const char *s, size_t len, int64_t *cents)
{
    size_t i = 0;
    bool negative = false;
    if (i < len && (s[i] == '-' || s[i] == '+')) {
        negative = s[i] == '-';
        i++;
    }
    int64_t v = 0; /* kept <= 0 */
    size_t int_digits = 0, frac_digits = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9') {
        if (!push_digit(&v, s[i] - '0'))
            return false;
        int_digits++;
        i++;
    }
    if (i < len && (s[i] == '.' || s[i] == ',')) {
        i++;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            if (frac_digits == 2)
                return false; /* a third decimal */
            if (!push_digit(&v, s[i] - '0'))
                return false;
            frac_digits++;
            i++;
        }
        if (frac_digits == 0)
            return false; /* "12." */
    }
    if (i != len || int_digits + frac_digits == 0 || int_digits == 0)
        return false;
    for (; frac_digits < 2; frac_digits++)
        if (!push_digit(&v, 0))
            return false;
    if (!negative) {
        if (v == INT64_MIN)
            return false;
        v = -v;
    }
    *cents = v;
    return true;
}

char *gl_money_format(int64_t cents, enum gl_money_style style, char *out)
{
    /* Work on the magnitude as uint64 so INT64_MIN is fine. */
    uint64_t mag = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
    char rev[GL_MONEY_TEXT_MAX];
    size_t n = 0;
    rev[n++] = (char)('0' + mag % 10);
    mag /= 10;
    rev[n++] = (char)('0' + mag % 10);
    mag /= 10;
    rev[n++] = style == GL_MONEY_PLAIN ? '.' : ',';
    int group = 0;
    do {
        if (style == GL_MONEY_FRENCH && group == 3) {
            rev[n++] = ' ';
            group = 0;
        }
        rev[n++] = (char)('0' + mag % 10);
        mag /= 10;
        group++;
    } while (mag);
    if (cents < 0)
        rev[n++] = '-';
    for (size_t k = 0; k < n; k++)
        out[k] = rev[n - 1 - k];
    out[n] = '\0';
    return out;
}
