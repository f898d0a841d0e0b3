/*
 * client/bank/amount.c — the one place where the statement parsers turn
 * written amounts into exact int64 cents: decimal comma or point, a
 * leading sign, CFONB's overpunched last digit.  No floating point: the
 * digits are accumulated as integers with every step bounded, and a
 * third significant decimal is refused rather than rounded (a bank
 * statement that does not add up to the cent must not be made to).
 */
#include "bank_internal.h"

#include <string.h>

int bank_add_cents(int64_t *acc, int64_t v)
{
    const int64_t lim = GL_BANK_AMOUNT_MAX_CENTS * 1000;
    int64_t r;
    if (__builtin_add_overflow(*acc, v, &r) || r > lim || r < -lim)
        return -1;
    *acc = r;
    return 0;
}

/* Digits s[0..n) as cents with `decimals` of them after the point.
 * 0, or -1 and *reason. */
static int digits_cents(const char *s, size_t n, size_t decimals, int64_t *cents,
                        const char **reason)
{
    int64_t v = 0;
    size_t whole = n - decimals;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            *reason = N_("malformed amount");
            return -1;
        }
        int d = s[i] - '0';
        if (i >= whole + 2) { /* beyond the cents */
            if (d) {
                *reason = N_("amount with more than two decimals");
                return -1;
            }
            continue;
        }
        v = v * 10 + d;
        if (v > GL_BANK_AMOUNT_MAX_CENTS) {
            *reason = N_("amount too large");
            return -1;
        }
    }
    for (size_t k = decimals; k < 2; k++) { /* fewer than two decimals written */
        v *= 10;
        if (v > GL_BANK_AMOUNT_MAX_CENTS) {
            *reason = N_("amount too large");
            return -1;
        }
    }
    *cents = v;
    return 0;
}

int bank_amount(const char *s, size_t n, char radix, int64_t *cents, const char **reason)
{
    bool negative = false;
    if (n && (s[0] == '-' || s[0] == '+')) {
        negative = s[0] == '-';
        s++, n--;
    }
    char digits[64];
    size_t nd = 0, decimals = 0;
    bool seen_radix = false;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if ((ch == '.' || ch == ',') && (!radix || ch == radix) && !seen_radix) {
            seen_radix = true;
            continue;
        }
        if (ch < '0' || ch > '9' || nd == sizeof digits) {
            *reason = N_("malformed amount");
            return -1;
        }
        digits[nd++] = ch;
        decimals += seen_radix;
    }
    if (!nd) {
        *reason = N_("malformed amount");
        return -1;
    }
    int64_t v;
    if (digits_cents(digits, nd, decimals, &v, reason))
        return -1;
    *cents = negative ? -v : v;
    return 0;
}

int bank_amount_cfonb(const char *s, unsigned decimals, int64_t *cents, const char **reason)
{
    static const char pos[] = "{ABCDEFGHI", neg[] = "}JKLMNOPQR";
    char digits[14];
    memcpy(digits, s, 13);
    const char *p = strchr(pos, s[13]), *q = p ? NULL : strchr(neg, s[13]);
    if (!s[13] || (!p && !q)) {
        *reason = N_("malformed CFONB amount: its last character must be a sign letter");
        return -1;
    }
    digits[13] = (char)('0' + (p ? p - pos : q - neg));
    int64_t v;
    if (decimals > 13 || digits_cents(digits, 14, decimals, &v, reason))
        return decimals > 13 ? (*reason = N_("malformed amount"), -1) : -1;
    *cents = q ? -v : v;
    return 0;
}
