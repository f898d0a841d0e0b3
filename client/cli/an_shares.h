/*
 * client/cli/an_shares.h — every analytic share of a tenant's lines dated
 * in a range, as the exports need them (`grandlivre analytic export`, the
 * analytic file beside the FEC; `grandlivre export hledger`, whose
 * postings take the allocated codes as tags): ANALYTIC_AXES for the axes
 * and their codes, then ANALYTIC_LEDGER of every code of every axis
 * (open or closed: a closed code keeps its history), gathered into one
 * array sorted by (fy, num, line, axis, code), the FEC's order.  Amounts
 * are signed (debit > 0), as the ledger gives them.
 *
 * Memory: one row (about 90 bytes) per share; a line of one entry
 * carrying two axes is two rows.
 */
#ifndef GL_AN_SHARES_H
#define GL_AN_SHARES_H

#include "cli.h"

#include "proto/analytic.h"
#include "proto/limits.h"

#include <stddef.h>
#include <stdint.h>

typedef struct an_share {
    uint16_t fy;
    uint32_t num;
    uint16_t line; /* 1-based */
    uint32_t date;
    uint8_t source; /* GL_AN_SOURCE_ENTRY or GL_AN_SOURCE_ALLOC */
    int64_t signed_cents;
    char journal[GL_JOURNAL_MAX + 1];
    char account[GL_ACCOUNT_MAX + 1];
    char axis[GL_AN_AXIS_MAX + 1];
    char code[GL_AN_CODE_MAX + 1];
} an_share;

typedef struct an_shares {
    an_share *rows;
    size_t count, cap;
} an_shares;

/* The shares of tenant's lines dated from..to (inclusive) whose source is
 * in sources (a mask: 1 << GL_AN_SOURCE_ENTRY, 1 << GL_AN_SOURCE_ALLOC),
 * sorted.  0, or an exit code after a message (a refusal is reported as
 * cli_call reports it); out is then empty. */
int an_shares_fetch(cli *c, const char *tenant, uint32_t from, uint32_t to, unsigned sources,
                    an_shares *out);
/* The rows of line fy/num:line (*n of them, sorted by axis then code), or
 * NULL with *n 0. */
const an_share *an_shares_of_line(const an_shares *s, uint16_t fy, uint32_t num, uint16_t line,
                                  size_t *n);
void an_shares_free(an_shares *s);

#endif
