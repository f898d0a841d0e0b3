/*
 * client/input/chart.h — the associations' standard charts of accounts,
 * embedded at build time by scripts/embed-chart: the chart for fiscal years
 * opened before 2025-01-01 (PCG with ANC 2018-06, data/chart-anc-2018-06.csv)
 * and the chart from that date (ANC 2022-06 and 2023-03,
 * data/chart-anc-2025.csv).  A fiscal year's chart is chosen by its first
 * day (proto/chart_rules.h).
 */
#ifndef GL_CHART_H
#define GL_CHART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct gl_chart_account {
    const char *account; /* e.g. "512000" */
    const char *label;   /* UTF-8 */
} gl_chart_account;

/* The tables, sorted by account (the generator refuses any other order). */
extern const gl_chart_account gl_standard_chart[]; /* before 2025 */
extern const size_t gl_standard_chart_count;
extern const gl_chart_account gl_chart_2025[];
extern const size_t gl_chart_2025_count;

typedef struct gl_chart {
    unsigned edition; /* 2018 or 2025 */
    const gl_chart_account *accounts;
    size_t count;
    const char *source; /* the data file */
} gl_chart;

/* The chart of an edition: 2025, or 2018 for any other. */
gl_chart gl_chart_get(unsigned edition);
/* The chart in force for a fiscal year whose first day is fy_start_ymd. */
gl_chart gl_chart_for_start(uint32_t fy_start_ymd);
/* The label of account in chart (exact number), or NULL. */
const char *gl_chart_label(const gl_chart *chart, const char *account, size_t account_len);
/* The label to show for a ledger account in a fiscal year starting on
 * fy_start_ymd: that year's standard label when the account is in that
 * year's chart and its ledger label is still a standard label (the one of
 * either chart); otherwise the ledger's own label. */
const char *gl_chart_label_for_year(const char *account, size_t account_len,
                                    const char *ledger_label, uint32_t fy_start_ymd);

#endif
