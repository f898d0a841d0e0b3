/*
 * proto/analytic.h — analytic accounting (issue 19; PROTOCOL.md §5.46 to
 * §5.52 and §5.4.1 line type 2): per tenant, analytic axes ("action", the
 * operation or project; "financeur", the funder; "salarie", the employee;
 * more may be opened) with their codes, the codes a line carries (one per
 * axis, or a distribution over several codes), the rules that make an axis
 * mandatory on some accounts, and the allocations of lines already posted
 * (events, never an edit of the entry).
 *
 * Names:
 *   axis: 1..GL_AN_AXIS_MAX bytes of [a-z0-9_-] ("action", "financeur")
 *   code: 1..GL_AN_CODE_MAX bytes of [A-Z0-9_.-], first A-Z or 0-9
 *         ("FSE-2026", "EMP007", "SUBV.VILLE")
 *   label: text (GL_LABEL_MAX, not blank for an axis or code being opened)
 *
 * The line item (line area, type GL_EXT_ANALYTIC = 2; at most
 * GL_AN_ITEM_MAX value bytes, so that it fits the line's area):
 *   (axis str8 | count u8 | (code str8 | amount_cents i64) * count)+
 * axes in strictly increasing byte order, 1..GL_AN_LINE_AXES_MAX of them;
 * within an axis, codes in strictly increasing byte order,
 * 1..GL_AN_SPLIT_MAX of them, each amount > 0.  One code is a share of
 * the whole line (its amount is the line's amount); several are a
 * distribution.  Any other shape is BAD_EXTENSION (structure, checked by
 * gl_ext_check); the shares of an axis not summing exactly to the line's
 * amount is 483 analytic_split_sum (gl_entry_check).  The daemon then
 * checks each axis and code open for the tenant (484, 485) and the
 * tenant's mandatory rules (486).
 *
 * Distributions given in percentages are turned into cents by the client
 * with gl_an_split_weights: the recharge's exact rule (gl_shares,
 * proto/group.h: floor of each share, the remainder to the largest weight,
 * the first of equals), so that the shares always sum to the line.
 *
 * Requests (§5.46-§5.52):
 *   ANALYTIC_AXIS_SET (46), writer, member own, accountant; event
 *     ANALYTIC_AXIS (18) = body:
 *     axis str8 | state u8 (GL_AN_OPEN 1, GL_AN_CLOSED 2) | label str8
 *     Opening an axis already open relabels it; closing keeps its codes
 *     and history (no new line may use it).  The same state and label
 *     again: empty reply, nothing written.  At most GL_AN_AXES_MAX axes.
 *   ANALYTIC_CODE_SET (47), event ANALYTIC_CODE (19) = body:
 *     axis str8 | code str8 | state u8 | label str8
 *     The axis must be open (484).  At most GL_AN_CODES_MAX per axis.
 *   ANALYTIC_RULE_SET (48), event ANALYTIC_RULE (20) = body:
 *     axis str8 | prefix str8 (an account number prefix, 1..GL_ACCOUNT_MAX
 *     of [0-9A-Z], first 1-9) | required u8 (1: lines on accounts starting
 *     with prefix must carry the axis; 0: that rule removed)
 *     At most GL_AN_RULES_MAX rules per tenant.  A rule applies to the
 *     POSTs after it (and to ANALYTIC_ALLOC: an allocation may not remove
 *     a required axis).
 *   ANALYTIC_AXES (49), reader, member own, accountant, auditor; body
 *     empty.  Reply: axes u16 | (axis str8 | state u8 | label str8 |
 *     codes u16 | (code str8 | state u8 | label str8)* |
 *     rules u16 | (prefix str8)*)* — axes by name, codes by code, the
 *     axis's required prefixes in byte order.
 *   ANALYTIC_ALLOC (50), writer, member own, accountant; event
 *     ANALYTIC_ALLOC (21) = body:
 *     count u16 (1..GL_AN_ALLOC_MAX) |
 *     (fy u16 | num u32 | line u16 (1-based) | item_len u8 | item)*
 *     item: the line item's value, where an axis may also have count 0
 *     (its allocation removed).  For each named axis, the allocation of
 *     that line replaces any earlier allocation of the same line and
 *     axis.  Refused: a line that does not exist, or of an à-nouveaux or
 *     result-closing entry (488); an axis the entry's own line carries
 *     (487: correct it with a reversal); an axis or code not open (484,
 *     485); shares not summing to the line (483); the same line and axis
 *     twice in the request (488).  Allowed in locked periods and closed
 *     years: an allocation changes the analysis, never the accounts.  All
 *     or nothing.
 *   ANALYTIC_BALANCE (51), reader; body:
 *     axis str8 | fy u16 | at u32 (YYYYMMDD; 0: the fiscal year's last day)
 *     Reply: at u32 | count u32 | (code str8 | account str8 | debit i64 |
 *     credit i64)* — per code and account, the debits and credits of the
 *     fiscal year's entries dated on or before at, shares of the lines
 *     the code carries (in their entry or by allocation), ordered by code
 *     then account; then, with code "" (not allocated), per account of
 *     classes 6 and 7, what the general balance holds beyond the
 *     allocated shares (rows of 0 and 0 left out).  Read from the
 *     indexes (month and day totals), never a scan of the entries.
 *   ANALYTIC_LEDGER (52), reader; body:
 *     axis str8 | code str8 | from u32 | to u32 (dates, inclusive; 0:
 *     open) | after_date u32 | after_fy u16 | after_num u32 |
 *     after_line u16 (the last row of the previous page; 0s: from the
 *     start) | limit u16 (1..GL_PAGE_MAX)
 *     Reply: count u16 | (date u32 | fy u16 | num u32 | line u16 |
 *     journal str8 | piece_ref str8 | account str8 | label str8 |
 *     amount_cents i64 (the code's share, debit > 0) | source u8
 *     (GL_AN_SOURCE_ENTRY 1: carried by the entry; GL_AN_SOURCE_ALLOC 2:
 *     by an allocation))* | more u8 (1: another page follows)
 *     in (date, fy, num, line) order.
 */
#ifndef GL_PROTO_ANALYTIC_H
#define GL_PROTO_ANALYTIC_H

#include "limits.h"
#include "wire.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GL_EXT_ANALYTIC 2           /* line area: the analytic codes of a line */
#define GL_AN_ITEM_MAX 254          /* value bytes: the item fits a line's area */
#define GL_AN_AXIS_MAX 16           /* axis name bytes */
#define GL_AN_CODE_MAX 16           /* code bytes */
#define GL_AN_LINE_AXES_MAX 8       /* axes on one line */
#define GL_AN_SPLIT_MAX 16          /* codes of one axis on one line */
#define GL_AN_AXES_MAX 16           /* axes per tenant */
#define GL_AN_CODES_MAX 2000        /* codes per axis */
#define GL_AN_RULES_MAX 200         /* mandatory rules per tenant */
#define GL_AN_ALLOC_MAX 10000       /* lines per ANALYTIC_ALLOC */
#define GL_AN_PERCENT_WHOLE 1000000 /* gl_an_split_weights: 100 % in 1/10000 % */

#define GL_AN_OPEN 1
#define GL_AN_CLOSED 2
#define GL_AN_SOURCE_ENTRY 1
#define GL_AN_SOURCE_ALLOC 2

/* Name syntax (axis, code). */
bool gl_an_axis_valid(gl_str axis);
bool gl_an_code_valid(gl_str code);

/* A line's analytic codes, decoded (views into the item's bytes). */
typedef struct gl_an_share {
    gl_str code;
    int64_t amount_cents;
} gl_an_share;
typedef struct gl_an_split {
    gl_str axis;
    uint8_t count; /* 0 only in an ANALYTIC_ALLOC item: the allocation removed */
    gl_an_share shares[GL_AN_SPLIT_MAX];
} gl_an_split;
typedef struct gl_analytic {
    uint8_t naxes;
    gl_an_split axes[GL_AN_LINE_AXES_MAX];
} gl_analytic;

/* Decode an item's value (value_len bytes).  allow_empty: an axis may
 * have count 0 (ANALYTIC_ALLOC).  GL_OK, or BAD_EXTENSION (a structure
 * out of the rules above: names, order, counts, amounts <= 0, length). */
int gl_analytic_decode(const uint8_t *value, size_t value_len, bool allow_empty, gl_analytic *out);
/* The analytic item of a line's area (ext, ext_len bytes, already checked
 * by gl_ext_check): true and *out filled, false if the line carries none. */
bool gl_line_analytic(const uint8_t *ext, size_t ext_len, gl_analytic *out);
/* The analytic item's value bytes of a line's area ("" if none): two
 * lines carry the same codes when these bytes are equal (the encoding is
 * canonical).  A reversal's line carries its reversed line's codes. */
gl_str gl_line_analytic_bytes(const uint8_t *ext, size_t ext_len);
/* The shares of every axis sum exactly to amount_cents (an axis of count
 * 0 is skipped): GL_OK or GL_ERR_ANALYTIC_SPLIT_SUM (*bad_axis: its
 * index). */
int gl_analytic_check_sum(const gl_analytic *a, int64_t amount_cents, size_t *bad_axis);
/* The value bytes of a (as sorted and given; not checked) into out:
 * GL_OK, or BAD_EXTENSION if they would pass GL_AN_ITEM_MAX. */
int gl_analytic_encode(const gl_analytic *a, uint8_t out[GL_AN_ITEM_MAX], size_t *out_len);
/* The whole line item (type, length, value) for a line's area:
 * its length, 0 if the value would pass GL_AN_ITEM_MAX. */
size_t gl_analytic_item_put(uint8_t out[2 + GL_AN_ITEM_MAX], const gl_analytic *a);
/* Sort a's axes by name and each axis's codes by code (clients build
 * them in any order).  false if an axis or a code is there twice. */
bool gl_analytic_sort(gl_analytic *a);

/* A distribution by weights (percentages in 1/10000 %, summing to
 * GL_AN_PERCENT_WHOLE, or any positive weights): shares[i] by the
 * recharge's exact rule (gl_shares).  false if a weight is <= 0, the
 * weights sum to 0, or a share would be 0 (a code that gets nothing). */
bool gl_an_split_weights(int64_t amount_cents, const int64_t *weights, size_t n, int64_t *shares);

/* Bodies (the structs carry views into the body). */
typedef struct gl_an_axis_set_q {
    gl_str axis;
    uint8_t state;
    gl_str label;
} gl_an_axis_set_q;
void gl_an_axis_set_q_encode(gl_buf *b, const gl_an_axis_set_q *q);
int gl_an_axis_set_q_decode(const uint8_t *body, size_t len, gl_an_axis_set_q *out);

typedef struct gl_an_code_set_q {
    gl_str axis, code;
    uint8_t state;
    gl_str label;
} gl_an_code_set_q;
void gl_an_code_set_q_encode(gl_buf *b, const gl_an_code_set_q *q);
int gl_an_code_set_q_decode(const uint8_t *body, size_t len, gl_an_code_set_q *out);

typedef struct gl_an_rule_set_q {
    gl_str axis, prefix;
    uint8_t required;
} gl_an_rule_set_q;
void gl_an_rule_set_q_encode(gl_buf *b, const gl_an_rule_set_q *q);
int gl_an_rule_set_q_decode(const uint8_t *body, size_t len, gl_an_rule_set_q *out);

/* ANALYTIC_ALLOC: decoded lazily, row by row (up to GL_AN_ALLOC_MAX). */
typedef struct gl_an_alloc_q {
    const uint8_t *rows; /* count rows, checked by the decoder */
    size_t rows_len;
    uint16_t count;
} gl_an_alloc_q;
typedef struct gl_an_alloc_row {
    uint16_t fy;
    uint32_t num;
    uint16_t line;
    gl_analytic codes; /* axes of count 0: allocation removed */
} gl_an_alloc_row;
typedef struct gl_an_alloc_iter {
    gl_cur cur;
    uint16_t left;
} gl_an_alloc_iter;
/* Decode and check every row's structure (the items with
 * gl_analytic_decode, allow_empty): GL_OK, MALFORMED/TRAILING_BYTES/
 * COUNT_LIMIT, or BAD_EXTENSION (*bad_item: the 1-based row). */
int gl_an_alloc_q_decode(const uint8_t *body, size_t len, gl_an_alloc_q *out, uint32_t *bad_item);
void gl_an_alloc_iter_init(gl_an_alloc_iter *it, const gl_an_alloc_q *q);
bool gl_an_alloc_next(gl_an_alloc_iter *it, gl_an_alloc_row *out);
/* Encoding: count, then each row with gl_an_alloc_row_put. */
void gl_an_alloc_row_put(gl_buf *b, const gl_an_alloc_row *row);

typedef struct gl_an_balance_q {
    gl_str axis;
    uint16_t fy;
    uint32_t at;
} gl_an_balance_q;
void gl_an_balance_q_encode(gl_buf *b, const gl_an_balance_q *q);
int gl_an_balance_q_decode(const uint8_t *body, size_t len, gl_an_balance_q *out);

typedef struct gl_an_ledger_q {
    gl_str axis, code;
    uint32_t from, to;
    uint32_t after_date;
    uint16_t after_fy;
    uint32_t after_num;
    uint16_t after_line;
    uint16_t limit;
} gl_an_ledger_q;
void gl_an_ledger_q_encode(gl_buf *b, const gl_an_ledger_q *q);
int gl_an_ledger_q_decode(const uint8_t *body, size_t len, gl_an_ledger_q *out);

/* Replies: writers (daemon) and readers (client, verifier, tests). */
typedef struct gl_an_code_row {
    gl_str code;
    uint8_t state;
    gl_str label;
} gl_an_code_row;
typedef struct gl_an_axis_row {
    gl_str axis;
    uint8_t state;
    gl_str label;
    uint16_t ncodes, nrules;
    const uint8_t *codes; /* ncodes encoded code rows */
    size_t codes_len;
    const uint8_t *rules; /* nrules prefixes (str8) */
    size_t rules_len;
} gl_an_axis_row;
/* ANALYTIC_AXES reply, read axis by axis. */
typedef struct gl_an_axes_iter {
    gl_cur cur;
    uint16_t left;
} gl_an_axes_iter;
int gl_an_axes_reply_begin(const uint8_t *body, size_t len, gl_an_axes_iter *it);
/* GL_OK and *out (1 row), GL_ERR_NOT_FOUND at the end, or MALFORMED. */
int gl_an_axes_reply_next(gl_an_axes_iter *it, gl_an_axis_row *out);
/* The code rows and the prefixes of an axis row. */
bool gl_an_axis_code_next(gl_cur *codes, gl_an_code_row *out);
bool gl_an_axis_rule_next(gl_cur *rules, gl_str *prefix);

typedef struct gl_an_balance_row {
    gl_str code, account;
    int64_t debit_cents, credit_cents;
} gl_an_balance_row;
void gl_an_balance_row_put(gl_buf *b, const gl_an_balance_row *r);
typedef struct gl_an_balance_iter {
    gl_cur cur;
    uint32_t at;
    uint32_t left;
} gl_an_balance_iter;
int gl_an_balance_reply_begin(const uint8_t *body, size_t len, gl_an_balance_iter *it);
int gl_an_balance_reply_next(gl_an_balance_iter *it, gl_an_balance_row *out);

typedef struct gl_an_ledger_row {
    uint32_t date;
    uint16_t fy;
    uint32_t num;
    uint16_t line;
    gl_str journal, piece_ref, account, label;
    int64_t amount_cents;
    uint8_t source;
} gl_an_ledger_row;
void gl_an_ledger_row_put(gl_buf *b, const gl_an_ledger_row *r);
typedef struct gl_an_ledger_iter {
    gl_cur cur;
    uint16_t left;
    uint8_t more; /* read at the end */
} gl_an_ledger_iter;
int gl_an_ledger_reply_begin(const uint8_t *body, size_t len, gl_an_ledger_iter *it);
/* GL_OK and *out, GL_ERR_NOT_FOUND at the end (it->more then set), or
 * MALFORMED. */
int gl_an_ledger_reply_next(gl_an_ledger_iter *it, gl_an_ledger_row *out);

#endif
