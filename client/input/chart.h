/*
 * client/input/chart.h — the associations' standard chart of accounts
 * (PCG with ANC 2018-06, classes 1-8), embedded at build time from
 * data/chart-anc-2018-06.csv by scripts/embed-chart.
 */
#ifndef GL_CHART_H
#define GL_CHART_H

#include <stddef.h>

typedef struct gl_chart_account {
    const char *account; /* e.g. "512000" */
    const char *label;   /* UTF-8 */
} gl_chart_account;

extern const gl_chart_account gl_standard_chart[];
extern const size_t gl_standard_chart_count;

#endif
