/*
 * client/input/date_why.c — see date_why.h.  Reads the ISO form only
 * (YYYY-MM-DD, the one the help texts teach); anything else gets the
 * expected form.
 */
#include "date_why.h"

#include "proto/date.h"

#include <stdio.h>

static const char *const month_names[12] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

/* n digits of s as a number, or -1. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

const char *date_why(const char *s, size_t len, char *out, size_t out_len)
{
    int y = -1, m = -1, d = -1;
    if (len == 10 && s[4] == '-' && s[7] == '-') {
        y = digits(s, 4);
        m = digits(s + 5, 2);
        d = digits(s + 8, 2);
    }
    if (y < 0 || m < 0 || d < 0)
        snprintf(out, out_len, "expected YYYY-MM-DD");
    else if (y < 1900 || y > 2999)
        snprintf(out, out_len, "the year must be 1900-2999");
    else if (m < 1 || m > 12)
        snprintf(out, out_len, "there is no month %02d", m);
    else if (d < 1 || d > gl_days_in_month((unsigned)y, (unsigned)m))
        snprintf(out, out_len, "the day does not exist (%s %d has %d days)", month_names[m - 1],
                 y, gl_days_in_month((unsigned)y, (unsigned)m));
    else
        snprintf(out, out_len, "expected YYYY-MM-DD");
    return out;
}
