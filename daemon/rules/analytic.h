/*
 * daemon/rules/analytic.h — what the analytic rules share (issue 19):
 * the open-ness of a line's axes and codes (484, 485) and the tenant's
 * mandatory rules (486), for POST (analytic_post.c) and ANALYTIC_ALLOC
 * (analytic_alloc.c).
 */
#ifndef GL_RULES_ANALYTIC_H
#define GL_RULES_ANALYTIC_H

#include "daemon/entries.h"
#include "daemon/ledger.h"

#include "proto/analytic.h"
#include "proto/limits.h"

#include <stdbool.h>
#include <stdint.h>

/* The tenant's rules, read once: (axis, account prefix) pairs. */
typedef struct an_rule {
    uint8_t axis_len, prefix_len;
    char axis[GL_AN_AXIS_MAX];
    char prefix[GL_ACCOUNT_MAX];
} an_rule;
typedef struct an_rules {
    uint32_t n;
    an_rule v[GL_AN_RULES_MAX];
} an_rules;
int an_rules_load(gl_exec *x, uint32_t tenant, an_rules *out);
/* The first rule that requires axis on account (an axis "" : any axis),
 * or NULL. */
const an_rule *an_rules_requiring(const an_rules *r, gl_str account, gl_str axis);

/* Every axis and code of split s open for tenant: GL_OK, or 484/485
 * refused with a detail that starts with `where` ("entry 2 line 3"). */
int an_split_open(gl_exec *x, uint32_t tenant, const gl_an_split *s, uint32_t item, uint32_t line,
                  const char *where);
/* The axis exists for tenant (open or closed), else 484 refused. */
int an_axis_known(gl_exec *x, uint32_t tenant, gl_str axis, uint32_t item, uint32_t line,
                  const char *where);

/* POST (rules/post.c): each line's analytic item names open axes and
 * codes (484, 485), and, for a POST request's entries, each line on an
 * account a rule names carries the rule's axis (486).  A tenant without
 * any axis costs one lookup per request (memoised in x). */
int analytic_check_entry(gl_exec *x, const gl_entry *e, const entry_lines *lines, uint32_t tenant,
                         uint32_t item);

/* POST (rules/post.c), once a reversal (fy/num, its lines) is written:
 * each of its lines takes the allocations (ANALYTIC_ALLOC) of the
 * reversed line it pairs with (gl_entry_opposite_pairs) as they stand,
 * stored and indexed as allocations (PROTOCOL.md §5.4 step 17, §5.50).
 * GL_OK at once for an entry that reverses nothing or a tenant without
 * axes; else the statuses of analytic_index_split and the store. */
int analytic_reversal_allocs(gl_exec *x, const gl_entry *e, const entry_lines *lines,
                             uint32_t tenant, uint16_t fy, uint32_t num);

/* gl_entry_check's 483 on line `line` of entry item: refused with a
 * detail naming the line, the axis, its shares' sum and the amount. */
int analytic_split_failed(gl_exec *x, const gl_entry *e, uint32_t item, uint32_t line);

#endif
