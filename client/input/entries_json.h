/*
 * client/input/entries_json.h — reading entries to post from JSON (jansson).
 *
 * Accepted documents: {"entries": [entry, ...]}, a bare array of entries, or
 * one entry object.  Entry fields: "tenant" (optional, default_tenant
 * otherwise), "date" (ISO "YYYY-MM-DD", required), "journal" (required),
 * "piece" (optional), "piece_date" (optional, default = date), "label",
 * "lines": [line, ...].  Line fields: "account" (required), "aux",
 * "aux_label", "label", and exactly one of "debit" / "credit" (decimal
 * string "120.50", or integer cents through "debit_cents" / "credit_cents"),
 * and "analytic" (optional, issue 19): the line's analytic codes, an
 * object axis -> codes spec ({"action": "FSE-2026", "financeur":
 * "FSE:60%,VILLE:40%"}: client/analytic/an_spec.h), put in the line's
 * area as its item (proto/analytic.h); a spec out of its rule is refused
 * with its entry and line.
 * JSON real numbers are refused for amounts (no floating point near money).
 * Unknown fields are refused (a typo must not silently drop data), except
 * "comment" (any JSON value, ignored) in an entry and beside "entries": JSON
 * has no comments, and the files of examples/ explain themselves.
 */
#ifndef GL_ENTRIES_JSON_H
#define GL_ENTRIES_JSON_H

#include "entry_set.h"

#include <stddef.h>

/* Returns 0, or -1 with "entry N line M: reason" (or a JSON syntax message
 * with line and column) in err; out is left empty on failure. */
int gl_entries_from_json(const char *text, size_t len, const char *default_tenant,
                         gl_entry_set *out, char *err, size_t err_len);

#endif
