/*
 * proto/carry.h — open items carried over at a year's close (issue 17):
 * the line extension item `open_item` (PROTOCOL §5.4.1, line type 1) and
 * the body of CARRY_MODE_SET (kind 27, §5.27).
 *
 * open_item (line area, type 1), the invoice or payment an à-nouveaux line
 * carries, written only by the daemon's close (a client's POST carrying it
 * is refused 456 open_item_reserved):
 *   piece_ref str8 (<= 64 bytes) | date u32 YYYYMMDD | fy u16 | num u32 | line u16
 * len = 1 + p + 12 (13 to 77 bytes).
 *
 * CARRY_MODE_SET body: account str8 (<= 20) | mode u8 (0 summarised, 1 detailed).
 */
#ifndef GL_CARRY_H
#define GL_CARRY_H

#include "entry.h"
#include "wire.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GL_EXT_OPEN_ITEM 1    /* line area: the open item an à-nouveaux line carries */
#define GL_OPEN_ITEM_FIXED 12 /* date u32 | fy u16 | num u32 | line u16 */
#define GL_OPEN_ITEM_ITEM_MAX (2 + 1 + 64 + GL_OPEN_ITEM_FIXED) /* one item, head included */

typedef struct gl_open_item {
    gl_str piece_ref;
    uint32_t date; /* the origin line's entry date */
    uint16_t fy;
    uint32_t num;
    uint16_t line;
} gl_open_item;

/* The value of an open_item (value_len bytes): GL_OK, BAD_EXTENSION (the
 * lengths do not add up, the piece is over 64 bytes, fy outside 1900-2999,
 * num or line 0) or BAD_DATE (the date is not one). */
int gl_open_item_check(const uint8_t *value, size_t value_len);
/* The open_item of a line's area (decoded: its items were checked);
 * false when the line carries none. */
bool gl_line_open_item(const uint8_t *ext, size_t ext_len, gl_open_item *out);
/* Write a line area holding only the item (head included) into out and
 * return its length. */
size_t gl_open_item_put(uint8_t out[GL_OPEN_ITEM_ITEM_MAX], const gl_open_item *o);

enum gl_carry_mode {
    GL_CARRY_SUMMARISED = 0, /* one à-nouveaux line per (account, aux): the default */
    GL_CARRY_DETAILED = 1,   /* one per open item */
};

typedef struct gl_carry_mode_q {
    gl_str account;
    uint8_t mode;
} gl_carry_mode_q;
/* account str8 (<= 20: STRING_TOO_LONG) | mode u8 (> 1: RESERVED_NONZERO). */
int gl_carry_mode_q_decode(const uint8_t *body, size_t len, gl_carry_mode_q *out);
int gl_carry_mode_q_decode_stored(const uint8_t *body, size_t len, gl_carry_mode_q *out);
void gl_carry_mode_q_encode(gl_buf *out, const gl_carry_mode_q *q);

/* The à-nouveaux entry that opens fiscal year next_fy, as the close writes
 * it and the offline verifier rebuilds it: journal AN, piece "AN-<fy>",
 * label "À-nouveaux <fy>", dated the year's first day.  The piece, label
 * and tenant are copied into text, which must outlive the entry; lines
 * and ext (NULL: every line's area empty) are the caller's. */
typedef struct gl_opening_text {
    char piece[32], label[64], tenant[GL_TENANT_MAX + 1];
} gl_opening_text;
gl_entry_in gl_opening_entry(gl_opening_text *text, const char *tenant, size_t tenant_len,
                             uint16_t next_fy, unsigned first_month, size_t n,
                             const gl_line_in *lines, const gl_ext_in *ext);

#endif
