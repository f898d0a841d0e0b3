/*
 * daemon/entries.h — the entry writer and reader: how an entry of the
 * ledger is stored (its number, chain event, stored bytes, per-account
 * lines, balances, daily, month and day totals, intercompany lines and its
 * tenant's year totals) and read back.  The request handlers that write
 * entries (rules/post.c, rules/close.c, and through them rules/group.c)
 * and the readers (reader.c, group_reader.c, rules/letter.c) all sit
 * above it; it sits above store/ and knows nothing of the rules but the
 * caps of every total (proto/limits.h).
 */
#ifndef GL_ENTRIES_H
#define GL_ENTRIES_H

#include "ledger.h"

#include "proto/entry.h"

#include <stdbool.h>
#include <stdint.h>

/* The date under which a result-closing entry's deltas are stored: after
 * every real day. */
#define GL_CLOSING_DAY UINT32_MAX

/* Write a checked entry of tenant (rec) in fiscal year fy: its number (the
 * next of the year), chain event, stored bytes, per-account lines, balances
 * and daily deltas (a result-closing entry's deltas go under the date
 * GL_CLOSING_DAY, after every real day), and its tenant's year totals
 * (store.h year_totals).  Every total is checked against its cap before it
 * is stored (TOTAL_LIMIT, YEAR_TOTAL_LIMIT with x's detail).  item is the
 * entry's place in its request.  A status other than GL_OK leaves the
 * request's transaction to be aborted. */
int ledger_write_entry(gl_exec *x, const gl_entry *e, gl_str tenant_id, tenant_rec *rec,
                       uint16_t fy, uint32_t item, uint32_t *num_out);

/* An entry's lines, decoded once for all its checks and writes (a POST of
 * 1,000 entries decoded each line six times: issue 16). */
typedef struct entry_lines {
    const gl_line *v;
    uint32_t n;
    gl_line *own; /* a year close's entry of more than GL_LINES_MAX lines */
} entry_lines;
/* Decode e's lines (e passed gl_entry_check, or is a year close's) into the
 * calling thread's buffer, valid until the next call on this thread, or
 * for more than GL_LINES_MAX lines onto the heap (entry_lines_free).
 * GL_OK or GL_ERR_INTERNAL (out of memory). */
int entry_lines_decode(const gl_entry *e, entry_lines *out);
void entry_lines_free(entry_lines *lines);
/* True if a line's account is of class 8 or 9 (rules/classes.c). */
bool entry_lines_class89(const entry_lines *lines);
/* ledger_write_entry with e's lines already decoded (entry_lines_decode). */
int ledger_write_entry_lines(gl_exec *x, const gl_entry *e, const entry_lines *lines,
                             gl_str tenant_id, tenant_rec *rec, uint16_t fy, uint32_t item,
                             uint32_t *num_out);
/* The year close of fy (rules/close.c), after its two entries: take fy's
 * totals out of the tenant's open books (year_totals fy 0, store.h). */
int ledger_year_totals_close(gl_exec *x, uint32_t tenant, uint16_t fy);
/* Read and decode a stored entry, in its own layout (its bytes stay valid
 * until the transaction ends); *raw gets the stored value's head
 * (store/values.h).  GL_ERR_NOT_FOUND if there is none, GL_ERR_STORAGE if
 * it is damaged. */
int ledger_read_entry(store_txn *t, uint32_t tenant, uint16_t fy, uint32_t num, gl_entry *e,
                      store_entry *raw);

#endif
