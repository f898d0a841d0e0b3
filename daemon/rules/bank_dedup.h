/*
 * daemon/rules/bank_dedup.h — which lines of a BANK_IMPORT are already
 * stored (PROTOCOL.md §5.37 step 7), each decided by a constant number of
 * lookups (the bank reference, the day index of store/bank_store.h) and a
 * table of this request's (day, amount, label) in memory:
 *
 *   - a line with a bank reference already stored (or recognised) is
 *     already there;
 *   - else, a line with a bank reference is *recognised* as one of the
 *     lines of its (day, amount, label) that earlier requests stored and
 *     that no reference of its file's format covers yet (the same
 *     movement imported first from a CSV export, without references, or
 *     an OFX file, whose FITIDs are not a CAMT.053's references, then
 *     from a CAMT.053): already there, its reference recorded so that it
 *     is never stored later;
 *   - a line without a reference that is the n-th of its (day, amount,
 *     label) without one in this request is already there when earlier
 *     requests stored at least n lines of that day, amount and label
 *     (with or without a reference: a CSV after the CAMT.053 of its days);
 *   - else it is new, and counted in the day index at once (under its
 *     format's references if it has one).
 */
#ifndef GL_BANK_DEDUP_H
#define GL_BANK_DEDUP_H

#include "daemon/store/store.h"

#include "proto/bank.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct bank_dedup bank_dedup;

/* For a request of `lines` lines from a file of format (0..
 * GL_BANK_FORMAT_MAX_, checked by the decoder); NULL when memory is
 * short. */
bank_dedup *bank_dedup_new(uint16_t lines, uint32_t tenant, gl_str account, uint8_t format);
void bank_dedup_free(bank_dedup *d);
/* How many lines were recognised by their reference so far. */
uint32_t bank_dedup_recognised(const bank_dedup *d);
/* Is l, the request's next line, already stored (*already)?  A line
 * recognised by its reference has it recorded here; a new one is counted
 * in the day index here, and the caller must store it
 * (store_bank_line_put).  GL_OK or the store's status. */
int bank_dedup_line(bank_dedup *d, store_txn *t, const gl_bank_line_w *l, bool *already);

#endif
