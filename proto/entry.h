/*
 * proto/entry.h — the canonical bytes of an accounting entry, as carried in
 * a POST body and kept, unchanged, in the ledger and its hash chain.
 *
 * Entry (big-endian):
 *   tenant str8 | date u32 YYYYMMDD | journal str8 | piece_ref str8 |
 *   piece_date u32 | label str8 | reverses_fy u16 | reverses_num u32 |
 *   flags u8 | line_count u16 | lines
 * flags: GL_ENTRY_RESULT_CLOSING (the year-end entry that zeroes classes 6
 * and 7; the FEC leaves it out) and GL_ENTRY_OPENING (the à-nouveaux written
 * by a year close).  Only the daemon sets them, in the entries a close
 * writes; a client must send 0.
 * Line:
 *   account str8 | aux str8 | aux_label str8 | label str8 | side u8 ('D'|'C') |
 *   amount_cents i64
 *
 * Decoding (gl_entry_decode) checks structure only: lengths, UTF-8, dates,
 * sides, counts <= GL_LINES_MAX.  gl_entry_check then applies the rules that
 * need no ledger: >= 2 lines, positive amounts, account/journal syntax,
 * debits = credits without overflow.  The daemon adds the rules that need the
 * ledger (tenant, chart, periods).
 */
#ifndef GL_ENTRY_H
#define GL_ENTRY_H

#include "limits.h"
#include "wire.h"

#include <stdbool.h>
#include <stdint.h>

#define GL_SIDE_DEBIT 'D'
#define GL_SIDE_CREDIT 'C'

#define GL_ENTRY_RESULT_CLOSING 0x01
#define GL_ENTRY_OPENING 0x02
#define GL_ENTRY_FLAGS_ALL (GL_ENTRY_RESULT_CLOSING | GL_ENTRY_OPENING)

typedef struct gl_line {
    gl_str account;
    gl_str aux;
    gl_str aux_label;
    gl_str label;
    uint8_t side;
    int64_t amount_cents;
} gl_line;

typedef struct gl_entry {
    gl_str tenant;
    uint32_t date;
    gl_str journal;
    gl_str piece_ref;
    uint32_t piece_date;
    gl_str label;
    uint16_t reverses_fy;
    uint32_t reverses_num;
    uint8_t flags;
    uint16_t line_count;
    const uint8_t *lines;   /* start of the encoded lines */
    size_t lines_len;
    const uint8_t *raw;     /* the whole canonical entry */
    size_t raw_len;
} gl_entry;

/* Decode one entry from c (advancing it). On error the cursor holds the
 * status; *e is unspecified. */
void gl_entry_decode(gl_cur *c, gl_entry *e);

/* Iterate the lines of a decoded entry.  Lines were validated by
 * gl_entry_decode, so gl_line_next cannot fail for a decoded entry. */
typedef struct gl_line_iter {
    gl_cur cur;
    uint16_t left;
} gl_line_iter;
void gl_line_iter_init(gl_line_iter *it, const gl_entry *e);
bool gl_line_next(gl_line_iter *it, gl_line *out);

/* Ledger-free rules. Returns GL_OK or TOO_FEW_LINES, AMOUNT_NOT_POSITIVE,
 * BAD_ACCOUNT, BAD_JOURNAL, OVERFLOW, UNBALANCED; *bad_line is set to the
 * 1-based line at fault (0 for entry-level faults). */
int gl_entry_check(const gl_entry *e, uint32_t *bad_line);

bool gl_account_valid(gl_str account);
bool gl_journal_valid(gl_str journal);

/* Signed amount of a line: debit positive, credit negative. */
int64_t gl_line_signed(const gl_line *l);

/* --- encoding (client side) --- */
typedef struct gl_line_in {
    const char *account, *aux, *aux_label, *label; /* NUL-terminated, "" if none */
    uint8_t side;
    int64_t amount_cents;
} gl_line_in;

typedef struct gl_entry_in {
    const char *tenant, *journal, *piece_ref, *label;
    uint32_t date, piece_date;
    uint16_t reverses_fy;
    uint32_t reverses_num;
    uint8_t flags;
    size_t line_count;
    const gl_line_in *lines;
} gl_entry_in;

/* Append the canonical bytes of e to out. Returns GL_OK, or
 * STRING_TOO_LONG / COUNT_LIMIT for arguments that cannot be encoded
 * (out is then unchanged in length), NOMEM. */
int gl_entry_encode(gl_buf *out, const gl_entry_in *e);

#endif
