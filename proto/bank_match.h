/*
 * proto/bank_match.h — bank reconciliation on the wire (issue 18, second
 * half; PROTOCOL.md §5.40, §5.41, §5.44, §5.45): matching a bank account's
 * statement lines with the ledger lines of its ledger account (pointage),
 * undoing a match, and the state of the reconciliation at a date.  The
 * rules of recurring bank-only lines are proto/bank_rule.h.
 *
 *   line ref (a ledger line): fy u16 | num u32 | line u16 (1-based), as
 *     LETTER's (proto/query.h gl_line_ref)
 *   set: nbank u8 (1..GL_BANK_MATCH_SIDE_MAX) | seq u32*nbank |
 *        nbook u8 (1..GL_BANK_MATCH_SIDE_MAX) | line ref*nbook
 *     Σ bank amounts (+ money in) = Σ ledger amounts (debit - credit):
 *     checked by the daemon and the offline verifier, not by the decoder.
 *   BANK_MATCH (40) body: account str8 | count u16 (1..GL_BANK_MATCH_BATCH_MAX)
 *     | set*count — all sets or none.
 *   BANK_MATCH reply: first_match u32 | count u16 (the matches get the ids
 *     first_match .. first_match+count-1, numbered 1, 2, ... per bank
 *     account, never reused).
 *   BANK_MATCH event (15) payload: account str8 | first_match u32 |
 *     count u16 | set*count (the request's sets as signed).
 *   BANK_UNMATCH (41) body, and event (16) payload: account str8 | match u32.
 *     Reply: empty.  A match undone stays in the chain; its lines are free
 *     again; an undone match cannot be undone twice.
 *   BANK_MATCHES (45) body: account str8 | after u32 (0: from the first) |
 *     limit u16 (1..GL_BANK_PAGE_MAX).
 *     Reply: count u32 | more u8 | row*count, row: match u32 | state u8
 *     (1 active, 2 undone) | envelope u64 (the BANK_MATCH's) | set.
 *   BANK_RECON (44) body: account str8 | at u32 (a valid date) | flags u8
 *     (bit 0 GL_BANK_RECON_LINES: the two lists; other bits reserved).
 *     Reply: head | nbank u32 | bank row*nbank | nbook u32 | book row*nbook
 *     | more u8 (1: a list was cut at GL_BANK_RECON_MAX rows).
 *     head: start u32 (the date the reconciliation starts: the first day of
 *       the first statement stored; 0 when no line is stored) | flags u8
 *       (bit 0: bank_opening known) | bank_opening i64 (that statement's
 *       opening balance) | bank_at i64 (the bank's balance at the end of
 *       day at: bank_opening + Σ the lines booked from start to at) |
 *       books_at i64 (the ledger account's balance at the end of day at, as
 *       BALANCE gives it) | last_statement u32 (the last day a stored
 *       statement covers; 0 if none)
 *     bank row: seq u32 | line (proto/bank.h gl_bank_line_put) — the lines
 *       booked from start to at not reconciled at at.
 *     book row: line ref | date u32 | amount i64 (debit > 0) | journal str8
 *       | piece str8 | label str8 — the ledger account's lines dated from
 *       start to at, à-nouveaux (journal AN) excepted, not reconciled at at.
 *     A line is reconciled at `at` when it belongs to an active match whose
 *     lines (both sides) are all dated on or before at.  Then, to the cent:
 *       books_at = bank_at - Σ bank rows + Σ book rows + residual
 *     and residual (the client computes it) is the opening difference the
 *     report shows: 0 when the first statement's opening equals the books.
 *
 * Pure: no allocation; decoded strings point into the bytes.
 */
#ifndef GL_PROTO_BANK_MATCH_H
#define GL_PROTO_BANK_MATCH_H

#include "bank.h"
#include "query.h"
#include "wire.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GL_BANK_MATCH_SIDE_MAX 32    /* lines on each side of one match */
#define GL_BANK_MATCH_BATCH_MAX 1000 /* sets per BANK_MATCH */
#define GL_BANK_RECON_MAX 20000      /* rows per list of BANK_RECON's reply */
#define GL_BANK_RECON_LINES 0x01
#define GL_BANK_MATCH_ACTIVE 1
#define GL_BANK_MATCH_UNDONE 2

/* One set, decoded: the seqs and refs point into the bytes. */
typedef struct gl_bank_match_set {
    uint8_t nbank, nbook;
    const uint8_t *seqs; /* nbank big-endian u32 */
    const uint8_t *refs; /* nbook * 8 bytes */
} gl_bank_match_set;
uint32_t gl_bank_match_seq(const gl_bank_match_set *s, uint8_t i);
gl_line_ref gl_bank_match_ref(const gl_bank_match_set *s, uint8_t i);
/* Append one set given as arrays. */
void gl_bank_match_set_put(gl_buf *b, const uint32_t *seqs, uint8_t nbank, const gl_line_ref *refs,
                           uint8_t nbook);
/* One set from c: COUNT_LIMIT for a side of 0 or more than
 * GL_BANK_MATCH_SIDE_MAX; a ref's line 0 or fy/num 0: MALFORMED. */
int gl_bank_match_set_get(gl_cur *c, gl_bank_match_set *out);

typedef struct gl_bank_match_q {
    gl_str account;
    uint16_t count;
    const uint8_t *sets; /* count sets, checked by decode */
    size_t len;
} gl_bank_match_q;
/* Encode the head; the caller then puts count sets. */
void gl_bank_match_q_head(gl_buf *b, gl_str account, uint16_t count);
/* MALFORMED, TRAILING_BYTES, STRING_*, COUNT_LIMIT; *bad_item the 1-based
 * set at fault (0: the head). */
int gl_bank_match_q_decode(const uint8_t *body, size_t len, gl_bank_match_q *out,
                           uint32_t *bad_item);
/* Walk the sets: *pos starts at 0; false after the last. */
bool gl_bank_match_next(const gl_bank_match_q *q, size_t *pos, gl_bank_match_set *out);

typedef struct gl_bank_match_reply {
    uint32_t first_match;
    uint16_t count;
} gl_bank_match_reply;
void gl_bank_match_reply_encode(gl_buf *b, const gl_bank_match_reply *r);
int gl_bank_match_reply_decode(const uint8_t *p, size_t len, gl_bank_match_reply *r);

/* BANK_MATCH event payload: the body with first_match after the account. */
void gl_bank_match_event_encode(gl_buf *b, gl_str account, uint32_t first_match,
                                const gl_bank_match_q *q);
int gl_bank_match_event_decode(const uint8_t *p, size_t len, uint32_t *first_match,
                               gl_bank_match_q *out);

typedef struct gl_bank_unmatch_q {
    gl_str account;
    uint32_t match; /* not 0 */
} gl_bank_unmatch_q;
void gl_bank_unmatch_q_encode(gl_buf *b, const gl_bank_unmatch_q *q);
int gl_bank_unmatch_q_decode(const uint8_t *body, size_t len, gl_bank_unmatch_q *out);

typedef struct gl_bank_matches_q {
    gl_str account;
    uint32_t after;
    uint16_t limit;
} gl_bank_matches_q;
void gl_bank_matches_q_encode(gl_buf *b, const gl_bank_matches_q *q);
int gl_bank_matches_q_decode(const uint8_t *body, size_t len, gl_bank_matches_q *out);
typedef struct gl_bank_match_row {
    uint32_t match;
    uint8_t state;
    uint64_t envelope;
    gl_bank_match_set set;
} gl_bank_match_row;
void gl_bank_match_row_put(gl_buf *b, uint32_t match, uint8_t state, uint64_t envelope,
                           const uint32_t *seqs, uint8_t nbank, const gl_line_ref *refs,
                           uint8_t nbook);
int gl_bank_match_row_get(gl_cur *c, gl_bank_match_row *out);

typedef struct gl_bank_recon_q {
    gl_str account;
    uint32_t at;
    uint8_t flags;
} gl_bank_recon_q;
void gl_bank_recon_q_encode(gl_buf *b, const gl_bank_recon_q *q);
int gl_bank_recon_q_decode(const uint8_t *body, size_t len, gl_bank_recon_q *out);

typedef struct gl_bank_recon_head {
    uint32_t start;
    uint8_t flags; /* bit 0: bank_opening known */
    int64_t bank_opening_cents, bank_at_cents, books_at_cents;
    uint32_t last_statement;
} gl_bank_recon_head;
void gl_bank_recon_head_put(gl_buf *b, const gl_bank_recon_head *h);
int gl_bank_recon_head_get(gl_cur *c, gl_bank_recon_head *out);

typedef struct gl_bank_book_row {
    gl_line_ref ref;
    uint32_t date;
    int64_t amount_cents; /* debit > 0, credit < 0 */
    gl_str journal, piece, label;
} gl_bank_book_row;
void gl_bank_book_row_put(gl_buf *b, const gl_bank_book_row *r);
int gl_bank_book_row_get(gl_cur *c, gl_bank_book_row *out);
/* A bank row of BANK_RECON: seq u32 | line. */
void gl_bank_recon_bank_put(gl_buf *b, uint32_t seq, const gl_bank_line_w *l);
int gl_bank_recon_bank_get(gl_cur *c, uint32_t *seq, gl_bank_line_w *out);

#endif
