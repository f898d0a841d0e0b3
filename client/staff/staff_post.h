/*
 * client/staff/staff_post.h — `staff-costs --post` (issue 19): the
 * ANALYTIC_ALLOC rows that give each 641x/645x line of the year carrying
 * employees' codes (axis `salarie`) the axis `action`, by the year's
 * hours of those employees per action (sc_line_split).  Collected from
 * the analytic ledger of each employee; sorted by line.  Pure: the CLI
 * feeds the rows and sends the allocations.
 */
#ifndef GL_STAFF_POST_H
#define GL_STAFF_POST_H

#include "staff_costs.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One employee's share of one line (an ANALYTIC_LEDGER row). */
typedef struct sp_share {
    uint16_t fy;
    uint32_t num;
    uint16_t line;
    char employee[GL_AN_CODE_MAX + 1];
    int64_t amount_cents; /* the share, > 0 (the ledger's debit or credit alike) */
} sp_share;

typedef struct sp_lines {
    size_t n, cap;
    sp_share *v;
} sp_lines;

void sp_lines_free(sp_lines *l);
/* Add a share; GL_OK or GL_ERR_NOMEM. */
int sp_add(sp_lines *l, uint16_t fy, uint32_t num, uint16_t line, gl_str employee,
           int64_t amount_cents);
/* Sort by (fy, num, line, employee). */
void sp_sort(sp_lines *l);
/* The group of shares of one line starting at *pos: [*pos, *end). false
 * at the end. */
bool sp_next_line(const sp_lines *l, size_t pos, size_t *end);

#endif
