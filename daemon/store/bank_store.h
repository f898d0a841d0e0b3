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
 *              bank's transaction ids already stored: never twice; 0 for
 *              a reference recognised as a line stored without one,
 *              PROTOCOL.md §5.37 step 7)
 *              tenant u32 | account[20] | 6 | booking u32 | amount i64 |
 *              label hash[8] -> count u32 | covered u32 * 5 (schema 10:
 *              how many lines of that day, amount and label are stored,
 *              and per file format how many of them a bank reference of
 *              that format covers — stored with one, or recognised by one;
 *              the hash is BLAKE2b-64 of the label's bytes): the
 *              duplicates of BANK_IMPORT in one lookup
 *              tags 3-5: helper A1's matches; tag 7: bank_rule_store.h
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
    BANK_LABEL_HASH_LEN = 8,
    KEY_BANK_DAY_LEN = 4 + GL_ACCOUNT_MAX + 1 + 4 + 8 + BANK_LABEL_HASH_LEN,
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
/* The day index (tag 6): the lines stored of l's (booking day, amount,
 * label), and per file format (proto/bank.h format: 0 unknown, 1
 * CAMT.053, 2 CFONB 120, 3 OFX, 4 CSV) how many of them a bank reference
 * of that format covers: a format's references name its movements its
 * own way (a CAMT.053's AcctSvcrRef is not an OFX FITID). */
enum { BANK_FORMATS = GL_BANK_FORMAT_MAX_ + 1, BANK_DAY_VALUE_LEN = 4 + 4 * BANK_FORMATS };
typedef struct bank_day {
    uint32_t count;
    uint32_t covered[BANK_FORMATS];
} bank_day;
/* BLAKE2b with 8 bytes of output of the label's bytes. */
void bank_label_hash(gl_str label, uint8_t out[BANK_LABEL_HASH_LEN]);
/* l's counts (zeros when none is stored): GL_OK, GL_ERR_STORAGE. */
int store_bank_day_get(store_txn *t, uint32_t tenant, gl_str account, const gl_bank_line_w *l,
                       bank_day *out);
/* One more line l stored, from a file of format (BANK_IMPORT's caller,
 * bank_dedup.c; the upgrade to schema 10). */
int store_bank_day_count_line(store_txn *t, uint32_t tenant, gl_str account,
                              const gl_bank_line_w *l, uint8_t format);
/* l's bank reference, of a file of format, recognised as one of the lines
 * of its day, amount and label that no reference of that format covers:
 * the reference recorded (seq 0), one more of them covered. */
int store_bank_ref_claim(store_txn *t, uint32_t tenant, gl_str account, const gl_bank_line_w *l,
                         uint8_t format);

#endif
