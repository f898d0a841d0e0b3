/*
 * proto/bank.h — bank accounts and bank statement lines in the ledger
 * (issue 18, PROTOCOL.md §5.36-§5.39): the bodies of BANK_ACCOUNT_SET
 * (36), BANK_IMPORT (37), BANK_LINES (38) and BANK_ACCOUNTS (39), their
 * replies, and the payloads of the chain events BANK_ACCOUNT (13) and
 * BANK_STATEMENT (14).
 *
 *   bank account record (BANK_ACCOUNT_SET's body, BANK_ACCOUNT's payload):
 *     account str8 | iban str8 | bic str8 | label str8
 *   BANK_IMPORT body:
 *     account str8 | account_id str8 | currency str8 | statement_id str8 |
 *     from u32 | to u32 | flags u8 | opening i64 | closing i64 |
 *     format u8 | file_sha256[32] | count u16 | line*count
 *   line:
 *     booking u32 | value u32 | amount i64 | label str8 | bank_ref str8 |
 *     end_to_end str8 | counterparty str8 | counterparty_iban str8 |
 *     source_line u32
 *   BANK_STATEMENT payload:
 *     account str8 | first_seq u32 | count u16 | index u16*count (the
 *     1-based places in the request of the lines stored, in order: the
 *     others were already there)
 *
 * Pure: no allocation; decoded strings point into the bytes.  Decoders
 * check syntax and the field rules that need no ledger (dates, amounts
 * not 0 and within GL_TOTAL_MAX_CENTS, reserved bits zero); the IBAN and
 * BIC rules are gl_bank_account_check's, which the daemon and the offline
 * verifier both apply.
 */
#ifndef GL_PROTO_BANK_H
#define GL_PROTO_BANK_H

#include "wire.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GL_BANK_IMPORT_MAX 1000 /* lines per BANK_IMPORT: the client splits larger statements */
#define GL_BANK_PAGE_MAX 1000   /* lines per BANK_LINES page */
#define GL_BANK_IBAN_MAX 34
#define GL_BANK_BIC_MAX 11
#define GL_BANK_NAME_MAX 70           /* an account's label; a counterparty's name */
#define GL_BANK_TEXT_MAX 140          /* a line's label */
#define GL_BANK_REF_LEN_MAX 35        /* bank_ref, end_to_end, statement_id */
#define GL_BANK_ACCOUNT_ID_LEN_MAX 34 /* IBAN or "RIB:" + 23 characters */
#define GL_BANK_HAS_OPENING 0x01
#define GL_BANK_HAS_CLOSING 0x02
#define GL_BANK_FLAGS_KNOWN 0x03
#define GL_BANK_FORMAT_MAX_ 4 /* client/bank/statement.h gl_bank_format */

typedef struct gl_bank_account {
    gl_str account, iban, bic, label;
} gl_bank_account;

void gl_bank_account_encode(gl_buf *b, const gl_bank_account *r);
/* One record from c (syntax only). */
int gl_bank_account_get(gl_cur *c, gl_bank_account *out);
/* A whole BANK_ACCOUNT_SET body: MALFORMED, TRAILING_BYTES, STRING_*. */
int gl_bank_account_decode(const uint8_t *body, size_t len, gl_bank_account *out);
/* The record's field rules: GL_OK, or *field names the one at fault:
 * "account" (not a class 51 account number: 468 bank_account_class, the
 * caller's status), "iban" (MOD 97-10, upper case, no space), "bic" (8 or
 * 11 of [A-Z0-9], the first six letters). */
bool gl_bank_account_check(const gl_bank_account *r, const char **field);
bool gl_bic_valid(gl_str s);
/* Is account_id (as a statement gives it: an IBAN, or "RIB:" and the 23
 * characters of a French RIB) the account whose IBAN is iban? */
bool gl_bank_account_id_matches(gl_str account_id, gl_str iban);

typedef struct gl_bank_line_w {
    uint32_t booking, value;
    int64_t amount_cents;
    gl_str label, bank_ref, end_to_end, counterparty, counterparty_iban;
    uint32_t source_line;
} gl_bank_line_w;

typedef struct gl_bank_import_q {
    gl_str account, account_id, currency, statement_id;
    uint32_t from, to;
    uint8_t flags, format;
    int64_t opening_cents, closing_cents;
    const uint8_t *file_sha256; /* 32 bytes */
    uint16_t count;
    const uint8_t *lines; /* count lines, checked by decode */
    size_t lines_len;
} gl_bank_import_q;

/* Encode a body (the lines given as an array). */
void gl_bank_import_encode(gl_buf *b, const gl_bank_import_q *q, const gl_bank_line_w *lines);
/* Decode: MALFORMED, TRAILING_BYTES, STRING_*, COUNT_LIMIT (0 lines or
 * more than GL_BANK_IMPORT_MAX), BAD_DATE (a line's date, or from after
 * to), RESERVED_NONZERO (unknown flags, a balance given without its flag,
 * an unknown format), AMOUNT_NOT_POSITIVE (a line of 0), OVERFLOW (an
 * amount or balance beyond GL_TOTAL_MAX_CENTS); *bad_item the 1-based line
 * at fault (0 for the statement's own fields). */
int gl_bank_import_decode(const uint8_t *body, size_t len, gl_bank_import_q *out,
                          uint32_t *bad_item);
/* The lines of a decoded body in order: *pos starts at 0; false past the
 * last. */
bool gl_bank_import_next(const gl_bank_import_q *q, size_t *pos, gl_bank_line_w *out);

/* BANK_IMPORT's reply. */
typedef struct gl_bank_import_reply {
    uint32_t added, already;
    uint32_t first_seq; /* the id (bank account, seq) of the first line added; 0 if none */
    uint8_t gap;        /* 1: the opening differs from the previous statement's closing */
    int64_t gap_cents;  /* opening - previous closing */
    uint32_t prev_closing_date;
    int64_t prev_closing_cents;
} gl_bank_import_reply;
void gl_bank_import_reply_encode(gl_buf *b, const gl_bank_import_reply *r);
int gl_bank_import_reply_decode(const uint8_t *p, size_t len, gl_bank_import_reply *r);

/* BANK_STATEMENT event payload. */
void gl_bank_statement_event_encode(gl_buf *b, gl_str account, uint32_t first_seq,
                                    const uint16_t *index, uint16_t count);
/* *index points at count big-endian u16 in p. */
int gl_bank_statement_event_decode(const uint8_t *p, size_t len, gl_str *account,
                                   uint32_t *first_seq, const uint8_t **index, uint16_t *count);

/* BANK_LINES body: account str8 | from u32 | to u32 (0: no bound) |
 * after_date u32 | after_seq u32 (0 0: from the first). */
typedef struct gl_bank_lines_q {
    gl_str account;
    uint32_t from, to, after_date, after_seq;
} gl_bank_lines_q;
void gl_bank_lines_q_encode(gl_buf *b, const gl_bank_lines_q *q);
int gl_bank_lines_q_decode(const uint8_t *body, size_t len, gl_bank_lines_q *out);

/* One row of BANK_LINES' reply: count u32 | more u8 | row*count, row:
 * seq u32 | line (as in BANK_IMPORT) | matched u8 (0: the matcher comes
 * later) | envelope u64. */
typedef struct gl_bank_row {
    uint32_t seq;
    gl_bank_line_w line;
    uint8_t matched;
    uint64_t envelope;
} gl_bank_row;
void gl_bank_row_encode(gl_buf *b, const gl_bank_row *r);
int gl_bank_row_get(gl_cur *c, gl_bank_row *out);
void gl_bank_line_put(gl_buf *b, const gl_bank_line_w *l);
int gl_bank_line_get(gl_cur *c, gl_bank_line_w *out);

/* BANK_ACCOUNTS reply: count u32 | (record | lines u32 | flags u8 (bit 0:
 * a closing is known) | closing i64 | closing_date u32)*count. */
typedef struct gl_bank_account_row {
    gl_bank_account acct;
    uint32_t lines;
    uint8_t has_closing;
    int64_t closing_cents;
    uint32_t closing_date;
} gl_bank_account_row;
void gl_bank_account_row_encode(gl_buf *b, const gl_bank_account_row *r);
int gl_bank_account_row_get(gl_cur *c, gl_bank_account_row *out);

#endif
