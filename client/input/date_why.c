/*
 * client/input/date_why.c — see date_why.h.  Reads the ISO form only
 * (YYYY-MM-DD, the one the help texts teach); anything else gets the
 * expected form.
 */
#include "date_why.h"

#include "proto/date.h"

#include <libintl.h>
#include <stdio.h>

/* N_ for xgettext: translated where printed */
#define N_(s) (s)
static const char *const month_names[12] = {
    N_("January"), N_("February"), N_("March"),     N_("April"),   N_("May"),      N_("June"),
    N_("July"),    N_("August"),   N_("September"), N_("October"), N_("November"), N_("December")};

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
        snprintf(out, out_len, gettext("expected YYYY-MM-DD"));
    else if (y < 1900 || y > 2999)
        snprintf(out, out_len, gettext("the year must be 1900-2999"));
    else if (m < 1 || m > 12)
        snprintf(out, out_len, gettext("there is no month %02d"), m);
    else if (d < 1 || d > gl_days_in_month((unsigned)y, (unsigned)m))
        snprintf(out, out_len, gettext("the day does not exist (%s %d has %d days)"),
                 gettext(month_names[m - 1]), y, gl_days_in_month((unsigned)y, (unsigned)m));
    else
        snprintf(out, out_len, gettext("expected YYYY-MM-DD"));
    return out;
}
