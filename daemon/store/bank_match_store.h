/*
 * daemon/store/bank_match_store.h — the matches of a bank account's
 * statement lines with ledger lines (issue 18, schema 10; PROTOCOL.md
 * §5.40-§5.45), in bank_index beside the tags of bank_store.h:
 *
 *   tenant u32 | account[20] | 3 | seq u32 -> match u32 | last u32
 *       a statement line in an active match (deleted when it is undone)
 *   tenant u32 | account[20] | 4 | fy u16 | num u32 | line u16 -> match u32 |
 *       last u32: a ledger line in an active match (the same)
 *   tenant u32 | account[20] | 5 | match u32 -> state u8 (1 active, 2
 *       undone) | envelope u64 (the BANK_MATCH's) | last u32 | set (as
 *       proto/bank_match.h encodes it); match 0 -> the last id given u32
 *
 * last is the latest date of the match's lines, both sides (bank booking
 * dates, ledger entry dates): a match is reconciled at a date on or after
 * it (BANK_RECON).  A line is in one active match at most.  Stores
 * written before schema 10 hold no match: no upgrade step converts
 * anything.
 */
#ifndef GL_BANK_MATCH_STORE_H
#define GL_BANK_MATCH_STORE_H

#include "bank_store.h"
#include "store.h"

#include "proto/bank_match.h"
#include "proto/query.h"
#include "proto/wire.h"

#include <stdbool.h>
#include <stdint.h>

/* A line's active match: its id and last date. */
typedef struct bank_match_ref {
    uint32_t match, last;
} bank_match_ref;

/* GL_OK, GL_ERR_NOT_FOUND (in no active match), GL_ERR_STORAGE. */
int store_bank_seq_match(store_txn *t, uint32_t tenant, gl_str account, uint32_t seq,
                         bank_match_ref *out);
int store_bank_book_match(store_txn *t, uint32_t tenant, gl_str account, gl_line_ref r,
                          bank_match_ref *out);

/* A stored match (its set points into the value: valid until the
 * transaction writes or ends). */
typedef struct bank_match_rec {
    uint8_t state;
    uint64_t envelope;
    uint32_t last;
    gl_bank_match_set set;
} bank_match_rec;

/* The last match id given on that bank account (0: none). */
int store_bank_match_last(store_txn *t, uint32_t tenant, gl_str account, uint32_t *last);
/* Record match id (the next one: the last id becomes id) as active, and
 * index its lines. */
int store_bank_match_put(store_txn *t, uint32_t tenant, gl_str account, uint32_t id,
                         const bank_match_rec *m);
/* GL_OK, GL_ERR_NOT_FOUND, GL_ERR_STORAGE. */
int store_bank_match_get(store_txn *t, uint32_t tenant, gl_str account, uint32_t id,
                         bank_match_rec *out);
/* Mark an active match undone and free its lines. */
int store_bank_match_undo(store_txn *t, uint32_t tenant, gl_str account, uint32_t id);
/* The key of match id (a scan's start) and the length of the prefix that
 * holds one bank account's matches; decode a scanned record. */
enum {
    KEY_BANK_MATCH_LEN = 4 + GL_ACCOUNT_MAX + 1 + 4,
    KEY_BANK_MATCH_PREFIX_LEN = 4 + GL_ACCOUNT_MAX + 1
};
void key_bank_match(uint8_t k[KEY_BANK_MATCH_LEN], uint32_t tenant, gl_str account, uint32_t id);
int store_bank_match_value(store_val k, store_val v, uint32_t *id, bank_match_rec *out);

/* A statement line by its seq: GL_OK, GL_ERR_NOT_FOUND. */
int store_bank_line_by_seq(store_txn *t, uint32_t tenant, gl_str account, uint32_t seq,
                           bank_stored *out);
/* Set the matched flag BANK_LINES shows. */
int store_bank_line_matched(store_txn *t, uint32_t tenant, gl_str account, uint32_t seq,
                            uint8_t matched);

#endif
