/*
 * daemon/store/bank_store.h — the bank accounts and their statement lines
 * (schema 9, issue 18; PROTOCOL.md §9):
 *
 *   bank_accounts tenant u32 | account[20] -> lines u32 (the last line's
 *              seq: ids go 1, 2, ... per bank account) | flags u8 (bit 0:
 *              a closing balance is known) | closing i64 | closing_date u32
 *              | the record (proto/bank.h: account, iban, bic, label)
 *   bank_lines tenant u32 | account[20] | booking u32 | seq u32 -> the line
 *              as BANK_IMPORT gave it (proto/bank.h gl_bank_line_put) |
 *              matched u8 (0; the matcher comes later) | envelope u64 |
 *              item u16 (its place in the request)
 *              In date order per bank account: BANK_LINES pages a date
 *              range with one cursor, and a matcher looking for a line of
 *              an amount within ±N days reads only those days.
 *   bank_index tenant u32 | account[20] | 1 | seq u32 -> booking u32 (a
 *              line's id to its bank_lines key)
 *              tenant u32 | account[20] | 2 | bank_ref -> seq u32 (the
 *              bank's transaction ids already stored: never twice)
 *              tags 3, 4, 5 (schema 10): the matches, as
 *              bank_match_store.h says (tags 6, 7: the bank rules); a
 *              line's matched byte is 1 while it is in an active match
 */
#ifndef GL_BANK_STORE_H
#define GL_BANK_STORE_H

#include "store.h"

#include "proto/bank.h"
#include "proto/wire.h"

#include <stdbool.h>
#include <stdint.h>

enum {
    KEY_BANK_ACCOUNT_PREFIX_LEN = 4 + GL_ACCOUNT_MAX, /* tenant | account */
    KEY_BANK_LINES_LEN = 4 + GL_ACCOUNT_MAX + 4 + 4,
    KEY_BANK_INDEX_SEQ_LEN = 4 + GL_ACCOUNT_MAX + 1 + 4,
};
_Static_assert(KEY_BANK_LINES_LEN == 32 && KEY_BANK_INDEX_SEQ_LEN == 29, "store.h key sizes");

/* tenant u32 | account[20]: the first KEY_BANK_ACCOUNT_PREFIX_LEN bytes of
 * every key of the three tables (bank_rule_store.c builds its own on it). */
void key_bank_prefix(uint8_t *k, uint32_t tenant, gl_str account);

/* A bank account's state and record (the record's strings point into the
 * value: valid until the transaction writes or ends). */
typedef struct bank_state {
    uint32_t lines;
    uint8_t has_closing;
    int64_t closing_cents;
    uint32_t closing_date;
    gl_bank_account acct;
} bank_state;

/* GL_OK, GL_ERR_NOT_FOUND (never registered), GL_ERR_STORAGE. */
int store_bank_account_get(store_txn *t, uint32_t tenant, gl_str account, bank_state *out);
int store_bank_account_put(store_txn *t, uint32_t tenant, const bank_state *s);
/* Decode a bank_accounts value (a scan's). */
int store_bank_account_value(store_val v, bank_state *out);

/* A stored line. */
typedef struct bank_stored {
    uint32_t seq;
    gl_bank_line_w line;
    uint8_t matched;
    uint64_t envelope;
    uint16_t item;
} bank_stored;

void key_bank_lines(uint8_t k[KEY_BANK_LINES_LEN], uint32_t tenant, gl_str account,
                    uint32_t booking, uint32_t seq);
/* Decode a bank_lines record. */
int store_bank_line_value(store_val k, store_val v, bank_stored *out);
/* Store a new line (its id seq, its bank_ref in the index if any). */
int store_bank_line_put(store_txn *t, uint32_t tenant, gl_str account, const bank_stored *l);
/* The seq of the line stored with that bank_ref: GL_OK, GL_ERR_NOT_FOUND. */
int store_bank_ref_get(store_txn *t, uint32_t tenant, gl_str account, gl_str ref, uint32_t *seq);
/* How many lines of that day have this amount and label, leaving out
 * those of envelope `except` (the request being written). */
int store_bank_day_count(store_txn *t, uint32_t tenant, gl_str account, uint32_t booking,
                         int64_t amount, gl_str label, uint64_t except, uint32_t *count);

#endif
