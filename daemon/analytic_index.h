/*
 * daemon/analytic_index.h — the indexes of analytic accounting (issue 19,
 * schema 11), derived from the chain, never the record:
 *   an_totals: the debits and credits per (tenant, fiscal year, axis,
 *     code, account) and month, and per day, as acct_months/acct_days
 *     hold them per account (written through the request's totals
 *     cache), from which ANALYTIC_BALANCE answers at any date;
 *   analytic (the tag of the analytic ledger): per (tenant, axis, code)
 *     the lines in (date, fy, num, line) order with the code's share,
 *     from which ANALYTIC_LEDGER pages.
 * A line's shares are indexed when its entry is written (the codes it
 * carries), when an ANALYTIC_ALLOC gives or takes codes (sign -1 for
 * the allocation replaced, +1 for the new one), and when a reversal takes
 * its reversed lines' allocations (+1, rules/analytic_post.c).
 */
#ifndef GL_ANALYTIC_INDEX_H
#define GL_ANALYTIC_INDEX_H

#include "ledger.h"

#include "proto/analytic.h"

#include <stdint.h>

/* One line of a stored entry, as the indexes key it. */
typedef struct an_line_ref {
    uint32_t tenant; /* the tenant's number */
    uint16_t fy;
    uint32_t num;
    uint16_t line; /* 1-based */
    uint32_t date; /* the entry's date */
    gl_str account;
    int64_t signed_cents; /* the line's amount, debit > 0 */
} an_line_ref;

/* Add (sign +1) or take away (sign -1) the shares of split (one axis) of
 * the line ref, from source (GL_AN_SOURCE_ENTRY or _ALLOC), in x's
 * transaction and totals cache.  GL_OK, or a storage status / an overflow
 * (the total cap's status) with x->detail set. */
int analytic_index_split(gl_exec *x, const an_line_ref *ref, const gl_an_split *split, int sign,
                         uint8_t source);

/* POST's write path (daemon/entries.c): index every axis of the analytic
 * item a line's area holds (ext, ext_len bytes, checked by gl_ext_check),
 * +1 from GL_AN_SOURCE_ENTRY; GL_OK at once for a line without one.  The
 * statuses of analytic_index_split. */
int analytic_index_line(gl_exec *x, const an_line_ref *ref, const uint8_t *ext, size_t ext_len);

#endif
