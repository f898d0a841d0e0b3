/*
 * client/input/chart.c — lookups in the embedded charts (chart.h).
 */
#include "chart.h"

#include "proto/chart_rules.h"

#include <string.h>

gl_chart gl_chart_get(unsigned edition)
{
    if (edition == 2025)
        return (gl_chart){2025, gl_chart_2025, gl_chart_2025_count, "data/chart-anc-2025.csv"};
    return (gl_chart){2018, gl_standard_chart, gl_standard_chart_count,
                      "data/chart-anc-2018-06.csv"};
}

gl_chart gl_chart_for_start(uint32_t fy_start_ymd)
{
    return gl_chart_get(gl_chart_edition(fy_start_ymd));
}

const char *gl_chart_label(const gl_chart *chart, const char *account, size_t account_len)
{
    size_t lo = 0, hi = chart->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *a = chart->accounts[mid].account;
        size_t a_len = strlen(a);
        int cmp = memcmp(a, account, a_len < account_len ? a_len : account_len);
        if (cmp == 0)
            cmp = a_len < account_len ? -1 : a_len > account_len;
        if (cmp == 0)
            return chart->accounts[mid].label;
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const char *gl_chart_label_for_year(const char *account, size_t account_len,
                                    const char *ledger_label, uint32_t fy_start_ymd)
{
    gl_chart year = gl_chart_for_start(fy_start_ymd);
    const char *label = gl_chart_label(&year, account, account_len);
    if (!label || !ledger_label)
        return ledger_label;
    for (unsigned e = 2018; e <= 2025; e += 7) {
        gl_chart c = gl_chart_get(e);
        const char *std = gl_chart_label(&c, account, account_len);
        if (std && strcmp(std, ledger_label) == 0)
            return label;
    }
    return ledger_label;
}
