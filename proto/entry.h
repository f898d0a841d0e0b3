/*
 * proto/entry.h — the canonical bytes of an accounting entry, as carried in
 * a POST body and kept, unchanged, in the ledger and its hash chain.
 *
 * Entry, layout 2 (protocol version 2; big-endian):
 *   tenant str8 | date u32 YYYYMMDD | journal str8 | piece_ref str8 |
 *   piece_date u32 | label str8 | reverses_fy u16 | reverses_num u32 |
 *   flags u8 | ext | line_count u16 | lines
 * Line, layout 2:
 *   account str8 | aux str8 | aux_label str8 | label str8 | side u8 ('D'|'C') |
 *   amount_cents i64 | ext
 * Layout 1 (protocol version 1, the history written before it) is the same
 * without the two `ext` fields.  Stored entries are never rewritten: a
 * layout-1 entry stays layout 1 in its chain event for ever (chain.h tells
 * the layouts apart by event type), and readers may present it in layout 2
 * with empty areas (gl_entry_put).
 *
 * ext, the extension area (type-length-value), is how later fields
 * (analytic codes, open-item references) join an entry or a line without a
 * new layout:
 *   ext_len u16 | (type u8 | len u8 | value[len])*      (ext_len bytes of items)
 * One canonical encoding: item types 1-255 strictly increasing (so each at
 * most once), items filling the area exactly, ext_len at most
 * GL_EXT_ENTRY_MAX / GL_EXT_LINE_MAX; anything else is BAD_EXTENSION.
 * Defined types (PROTOCOL.md §5.4.1), each for one kind of area:
 *   entry type 1 GL_EXT_VALID_DATE: u32 YYYYMMDD, the date the entry was
 *   validated in the books it came from (a FEC's ValidDate); a value of
 *   another length is BAD_EXTENSION, a date that is not valid BAD_DATE.
 *   line type 1 GL_EXT_OPEN_ITEM (proto/carry.h, written by a close only);
 *   line type 2 GL_EXT_ANALYTIC (proto/analytic.h): the line's analytic
 *   codes, a value out of its structure BAD_EXTENSION.
 * Any other well-formed item (a type not defined for its area) is
 * RESERVED_NONZERO: nothing a client sends is kept unless it is understood.
 *
 * flags: GL_ENTRY_RESULT_CLOSING (the year-end entry that zeroes classes 6
 * and 7; the FEC leaves it out) and GL_ENTRY_OPENING (the à-nouveaux written
 * by a year close).  Only the daemon sets them, in the entries a close
 * writes; a client must send 0.
 *
 * Decoding (gl_entry_decode) checks structure only: lengths, UTF-8, dates,
 * sides, counts <= GL_LINES_MAX, extension areas.  gl_entry_check then
 * applies the rules that need no ledger: >= 2 lines, positive amounts,
 * account/journal syntax, debits = credits without overflow.  The daemon
 * adds the rules that need the ledger (tenant, chart, periods).
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

#define GL_LAYOUT_1 1         /* protocol version 1: no extension areas (history) */
#define GL_LAYOUT_2 2         /* protocol version 2: an extension area per entry and per line */
#define GL_LAYOUT GL_LAYOUT_2 /* the layout of today's requests and writes */

typedef struct gl_line {
    gl_str account;
    gl_str aux;
    gl_str aux_label;
    gl_str label;
    uint8_t side;
    int64_t amount_cents;
    const uint8_t *ext; /* the extension area's items (layout 2), ext_len bytes */
    uint16_t ext_len;
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
    uint8_t layout;     /* GL_LAYOUT_1 or GL_LAYOUT_2 */
    const uint8_t *ext; /* the extension area's items (layout 2), ext_len bytes */
    uint16_t ext_len;
    uint16_t line_count;
    const uint8_t *lines; /* start of the encoded lines */
    size_t lines_len;
    const uint8_t *raw; /* the whole canonical entry */
    size_t raw_len;
} gl_entry;

/* Decode one entry in layout 2 from c (advancing it). On error the cursor
 * holds the status; *e is unspecified. */
void gl_entry_decode(gl_cur *c, gl_entry *e);
/* The same in a given layout (GL_LAYOUT_1 for the history). */
void gl_entry_decode_layout(gl_cur *c, gl_entry *e, int layout);

/* The areas, and the item types defined in each. */
#define GL_EXT_AREA_ENTRY 1
#define GL_EXT_AREA_LINE 2
#define GL_EXT_VALID_DATE 1 /* entry area: validation date u32 YYYYMMDD */
#define GL_EXT_VALID_DATE_LEN 4

/* Check an extension area's items (ext_len bytes, after the length) of an
 * area (GL_EXT_AREA_ENTRY or _LINE): GL_OK (empty, or only defined items
 * with good values), BAD_EXTENSION (not canonical: a type 0, types not
 * strictly increasing, an item running past the area, an area over its
 * limit; or a defined type with a value of the wrong length), BAD_DATE (a
 * validation date that is not a date) or RESERVED_NONZERO (a well-formed
 * item of a type not defined for that area).  Structure is checked first,
 * over the whole area, then the items in order. */
int gl_ext_check(const uint8_t *items, size_t len, int area);

/* The validation date an entry's area carries (GL_EXT_VALID_DATE), or 0
 * if none (layout 1, or the item absent).  The entry must be decoded. */
uint32_t gl_entry_valid_date(const gl_entry *e);

/* Write the items of an entry area carrying validation date `date` into
 * out (GL_EXT_VALID_DATE_LEN + 2 bytes) and return their length; 0 (an
 * empty area) when date is 0. */
size_t gl_ext_valid_date_put(uint8_t out[2 + GL_EXT_VALID_DATE_LEN], uint32_t date);

/* Iterate the lines of a decoded entry.  Lines were validated by
 * gl_entry_decode, so gl_line_next cannot fail for a decoded entry. */
typedef struct gl_line_iter {
    gl_cur cur;
    uint16_t left;
    uint8_t layout;
} gl_line_iter;
void gl_line_iter_init(gl_line_iter *it, const gl_entry *e);
bool gl_line_next(gl_line_iter *it, gl_line *out);

/* Ledger-free rules. Returns GL_OK or TOO_FEW_LINES, AMOUNT_NOT_POSITIVE,
 * BAD_ACCOUNT, BAD_JOURNAL, OVERFLOW, ANALYTIC_SPLIT_SUM (a line's
 * analytic shares on an axis not summing to its amount), UNBALANCED;
 * *bad_line is set to the 1-based line at fault (0 for entry-level
 * faults). */
int gl_entry_check(const gl_entry *e, uint32_t *bad_line);

bool gl_account_valid(gl_str account);
bool gl_journal_valid(gl_str journal);

/* Signed amount of a line: debit positive, credit negative. */
int64_t gl_line_signed(const gl_line *l);

/* Does a reverse b (POST's step 14, PROTOCOL.md §5.4): the same line
 * count, and each line of a, in order, pairs with the first line of b not
 * yet paired that has the same account, aux, amount and analytic item
 * bytes on the other side.  pair[i] gets the 1-based number in b of the
 * line that line i + 1 of a pairs with (the reversal's line takes that
 * line's allocations, §5.50).  Both entries decoded. */
bool gl_entry_opposite_pairs(const gl_entry *a, const gl_entry *b, uint16_t pair[GL_LINES_MAX]);

/* --- encoding (client side) --- */
typedef struct gl_line_in {
    const char *account, *aux, *aux_label, *label; /* NUL-terminated, "" if none */
    uint8_t side;
    int64_t amount_cents;
} gl_line_in;

/* An extension area's items to encode, written as given. */
typedef struct gl_ext_in {
    const uint8_t *items;
    size_t len;
} gl_ext_in;

typedef struct gl_entry_in {
    const char *tenant, *journal, *piece_ref, *label;
    uint32_t date, piece_date;
    uint16_t reverses_fy;
    uint32_t reverses_num;
    uint8_t flags;
    size_t line_count;
    const gl_line_in *lines;
    gl_ext_in ext;             /* the entry's extension area ({0}: empty) */
    const gl_ext_in *line_ext; /* NULL: every line's area empty; else line_count areas */
} gl_entry_in;

/* Append the canonical bytes of e to out, in layout 2.  The extension
 * areas are written as given (their items are not checked: tests build
 * wrong ones).  Returns GL_OK, or STRING_TOO_LONG / COUNT_LIMIT /
 * BAD_EXTENSION (an area over its limit) for arguments that cannot be
 * encoded (out is then unchanged in length), NOMEM. */
int gl_entry_encode(gl_buf *out, const gl_entry_in *e);
/* The same in a given layout: GL_LAYOUT_1 (history, for tests and for
 * rebuilding what a version 1 request wrote) refuses a non-empty area with
 * BAD_EXTENSION. */
int gl_entry_encode_layout(gl_buf *out, const gl_entry_in *e, int layout);

/* Append a decoded entry's canonical bytes in layout (its own: a copy of
 * e->raw; layout 2 from 1: the same fields with empty areas; layout 1 from
 * 2: only when every area is empty, else BAD_EXTENSION).  GL_OK, NOMEM. */
int gl_entry_put(gl_buf *out, const gl_entry *e, int layout);

#endif
