/*
 * proto/find.h — what a JOURNAL or LEDGER filter (gl_filter, §5.6.1)
 * matches, written once, pure, for the daemon's scans and the tests.
 *
 * An entry (JOURNAL) matches when every field given holds: journal = the
 * entry's journal code; text found (folded, proto/textfold.h) in the entry
 * label, the piece reference or any line's label; and one line carries
 * together every line field given (account prefix, aux, amount on either
 * side).  A matching entry is returned whole, all its lines.
 *
 * A line (LEDGER) matches when every field given holds for it: journal,
 * text found in the entry label, the piece reference or this line's label,
 * aux, amount.  open_at is the daemon's (it needs the lettering), not here.
 */
#ifndef GL_FIND_H
#define GL_FIND_H

#include "entry.h"
#include "query.h"

#include <stdbool.h>

/* Whether the decoded entry e matches f (no fields: always). */
bool gl_find_entry(const gl_filter *f, const gl_entry *e);
/* Whether line l of the decoded entry e matches f (account is not checked:
 * LEDGER reads one account). */
bool gl_find_line(const gl_filter *f, const gl_entry *e, const gl_line *l);

#endif
