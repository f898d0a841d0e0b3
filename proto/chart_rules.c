/*
 * proto/chart_rules.c — the 2025 chart's changes to the associations' chart
 * (see chart_rules.h).  Sources per row: docs/chart-2025.md.
 */
#include "chart_rules.h"

#include <string.h>

/* Sorted by account.  Replacements are accounts of data/chart-anc-2025.csv
 * (tests/unit/test_chart_rules.c checks every row against both charts). */
const gl_chart_change gl_chart_changes_2025[] = {
    {"671200", "6712", GL_CHART_ABOLISHED, "658200",
     "penalties and fines are operating charges (658200)", NULL},
    {"675000", "675", GL_CHART_ABOLISHED, "652000",
     "the book value of fixed assets sold is an operating charge (652000)", NULL},
    {"675400", "6754", GL_CHART_ABOLISHED, "652100",
     "the book value of bequeathed assets sold is an operating charge (652100)", NULL},
    {"742000", "742", GL_CHART_REPURPOSED, "741000",
     "742000 now means subventions d'équilibre: operating grants go to 741000", NULL},
    {"743000", "743", GL_CHART_ABOLISHED, "741000",
     "operating grants go to 741000, whoever the funder", NULL},
    {"744000", "744", GL_CHART_ABOLISHED, "741000",
     "operating grants go to 741000, whoever the funder", NULL},
    {"746000", "746", GL_CHART_ABOLISHED, "741000",
     "operating grants go to 741000, whoever the funder", NULL},
    {"747000", "747", GL_CHART_REPURPOSED, "741000",
     "747000 now means the release of investment grants: operating grants (European funds included) go to 741000",
     NULL},
    {"748000", "748", GL_CHART_ABOLISHED, "741000",
     "operating grants go to 741000, whoever the funder", NULL},
    {"775000", "775", GL_CHART_ABOLISHED, "757000",
     "the proceeds of fixed assets sold are operating income (757000)", NULL},
    {"775400", "7754", GL_CHART_ABOLISHED, "757100",
     "the proceeds of bequeathed assets sold are operating income (757100)", NULL},
    {"777000", "777", GL_CHART_ABOLISHED, "747000", "investment grants are released through 747000",
     NULL},
    {"791000", "791", GL_CHART_ABOLISHED, NULL,
     "transfers of charges are abolished: credit the charge account the refund concerns (649000 for staff costs)",
     "649000"},
    {"796000", "796", GL_CHART_ABOLISHED, NULL,
     "transfers of charges are abolished: credit the financial charge account concerned", "668000"},
    {"797000", "797", GL_CHART_ABOLISHED, NULL,
     "transfers of charges are abolished: credit the charge account concerned", "678000"},
};
const size_t gl_chart_changes_2025_count =
    sizeof gl_chart_changes_2025 / sizeof gl_chart_changes_2025[0];

unsigned gl_chart_edition(uint32_t fy_start_ymd)
{
    return fy_start_ymd >= GL_CHART_2025_FROM ? 2025 : 2018;
}

const gl_chart_change *gl_chart_change_of(gl_str account)
{
    const gl_chart_change *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < gl_chart_changes_2025_count; i++) {
        const gl_chart_change *c = &gl_chart_changes_2025[i];
        size_t n = strlen(c->root);
        if (n <= account.len && n > best_len && memcmp(account.ptr, c->root, n) == 0) {
            best = c;
            best_len = n;
        }
    }
    return best;
}

const gl_chart_change *gl_chart_abolished(gl_str account, uint32_t fy_start_ymd)
{
    if (gl_chart_edition(fy_start_ymd) < 2025)
        return NULL;
    const gl_chart_change *c = gl_chart_change_of(account);
    return c && c->kind == GL_CHART_ABOLISHED ? c : NULL;
}

const char *gl_chart_presented_2025(const gl_chart_change *c)
{
    if (!c)
        return NULL;
    return c->replacement ? c->replacement : c->presented_as;
}
