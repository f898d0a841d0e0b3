/*
 * proto/chart_rules.h — which associations' chart of accounts applies to a
 * fiscal year, and what the 2025 chart abolished or gave another meaning.
 *
 * Règlement ANC n° 2022-06 (the PCG's modernised chart and statements)
 * applies to fiscal years opened on or after 2025-01-01, associations
 * included (règlement ANC 2018-06 refers to the PCG for what it does not
 * cover; coordinated by règlement ANC 2023-03).  A fiscal year's chart is
 * chosen by its first day.  The table below is the one place that says
 * which accounts of the earlier chart (data/chart-anc-2018-06.csv) the 2025
 * chart (data/chart-anc-2025.csv) no longer has, or has given another
 * meaning, and where their amounts go; tests/unit/test_chart_rules.c checks
 * it against both charts.  Each row's source is in docs/chart-2025.md.
 *
 * Shared by the daemon (refusing abolished accounts, status 430), the
 * client (`accounts check`, labels per year) and offline verification.
 * Pure: constant data and lookups, no allocation.
 */
#ifndef GL_CHART_RULES_H
#define GL_CHART_RULES_H

#include "proto/wire.h"

#include <stddef.h>
#include <stdint.h>

/* The first day of the first fiscal year kept in the 2025 chart. */
#define GL_CHART_2025_FROM 20250101u

/* 2018 (the chart of règlement ANC 2018-06 on the PCG of 2014) or 2025, for
 * a fiscal year whose first day is fy_start_ymd. */
unsigned gl_chart_edition(uint32_t fy_start_ymd);

enum gl_chart_change_kind {
    GL_CHART_ABOLISHED = 1,  /* not in the 2025 chart: refused from 2025 on */
    GL_CHART_REPURPOSED = 2, /* still in the 2025 chart, with another meaning */
};

typedef struct gl_chart_change {
    const char *account; /* in the earlier chart, e.g. "791000" */
    const char *root;    /* its number in the PCG: it and every sub-account, e.g. "791" */
    uint8_t kind;        /* enum gl_chart_change_kind */
    const char
        *replacement; /* the 2025 account that takes its amounts, NULL if none is one-to-one */
    const char *rule; /* what to do instead, one phrase (UTF-8) */
    /* rows without a replacement only: the 2025 account under which a
     * balance of this account, in a fiscal year kept in the earlier chart,
     * is presented in the 2025 statement models (its previous-year column) */
    const char *presented_as;
} gl_chart_change;

extern const gl_chart_change gl_chart_changes_2025[];
extern const size_t gl_chart_changes_2025_count;

/* The change that covers account: the row whose root is the longest prefix
 * of account (791000, 791100 and 7910 are all covered by 791000's row), or
 * NULL when the 2025 chart changed nothing there. */
const gl_chart_change *gl_chart_change_of(gl_str account);

/* The ABOLISHED row covering account when the fiscal year starting on
 * fy_start_ymd is kept in the 2025 chart; NULL when the account may be used
 * in that year (sub-accounts of standing accounts included). */
const gl_chart_change *gl_chart_abolished(gl_str account, uint32_t fy_start_ymd);

/* The 2025 account under which a balance of account, recorded in a fiscal
 * year kept in the earlier chart, is presented in the 2025 statement models
 * (règlement 2022-06's first application: the comparative year is
 * reclassified into the new headings, never restated): the replacement of
 * its row, the row's presented_as when there is no one-to-one replacement
 * (the 79x transfers of charges, shown as deductions of the charges they
 * refunded), or NULL when the 2025 chart changed nothing there and the
 * account is presented as it is.  c is gl_chart_change_of(account). */
const char *gl_chart_presented_2025(const gl_chart_change *c);

#endif
