/*
 * proto/wire.h — bounded big-endian cursor (reading) and growable buffer
 * (writing): the only code in Grand Livre that touches raw wire bytes.
 *
 * Reading: a gl_cur walks [pos, end).  Every getter checks `end - pos < n`
 * before reading and, on a short read, sets the sticky error GL_ERR_MALFORMED
 * and returns zeros; callers check gl_cur_status() once at the end, so a
 * decoder is a straight sequence of gets and one check (total: never reads
 * past the end, never crashes).  Strings are returned as views into the
 * input (no allocation) and are checked for length and UTF-8.
 *
 * Writing: a gl_buf grows with realloc; on allocation failure it turns
 * sticky-failed and every later put is a no-op (check gl_buf_ok at the end).
 * All integers are big-endian so composite keys sort numerically in LMDB.
 */
#ifndef GL_WIRE_H
#define GL_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A borrowed byte string (not NUL-terminated). */
typedef struct gl_str {
    const char *ptr;
    size_t len;
} gl_str;

typedef struct gl_cur {
    const uint8_t *pos;
    const uint8_t *end;
    int status;  /* GL_OK until the first failure, then sticky */
    bool stored; /* reading what the daemon stored: see gl_cur_init_stored */
} gl_cur;

void gl_cur_init(gl_cur *c, const void *data, size_t len);
/* The same for bytes the daemon stored itself (ledger records): its strings
 * may hold the bidirectional controls that text written before they were
 * refused could hold (gl_utf8_valid_with_bidi), so that a ledger written
 * then stays readable; every other rule is the same. */
void gl_cur_init_stored(gl_cur *c, const void *data, size_t len);
size_t gl_cur_left(const gl_cur *c);
/* Record a failure (keeps the first one). Returns the status now held. */
int gl_cur_fail(gl_cur *c, int status);
int gl_cur_status(const gl_cur *c);
/* GL_OK if no failure and every byte consumed, else the error. */
int gl_cur_end(gl_cur *c);

uint8_t gl_get_u8(gl_cur *c);
uint16_t gl_get_u16(gl_cur *c);
uint32_t gl_get_u32(gl_cur *c);
uint64_t gl_get_u64(gl_cur *c);
int64_t gl_get_i64(gl_cur *c);
/* Borrow n raw bytes; NULL (and MALFORMED) when fewer remain. */
const uint8_t *gl_get_bytes(gl_cur *c, size_t n);
/* String with u8 length prefix, at most max_len bytes, passing the text
 * rule (gl_utf8_valid; gl_utf8_valid_with_bidi under gl_cur_init_stored).
 * Failures: MALFORMED, STRING_TOO_LONG, STRING_INVALID. */
gl_str gl_get_str8(gl_cur *c, size_t max_len);
/* Same with a u16 length prefix. */
gl_str gl_get_str16(gl_cur *c, size_t max_len);

/* The text rule of every string (PROTOCOL.md §1.2): true if [s, s+len) is
 * well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF) without C0
 * controls, DEL, C1 controls, or the bidirectional embedding, override and
 * isolate controls U+202A-U+202E and U+2066-U+2069 (they make a printed
 * label show another text than the one stored). */
bool gl_utf8_valid(const char *s, size_t len);
/* The same rule without the bidirectional controls: whether the bytes are
 * UTF-8 text at all (encoding detection; text stored before they were
 * refused). */
bool gl_utf8_valid_with_bidi(const char *s, size_t len);

typedef struct gl_buf {
    uint8_t *data;
    size_t len;
    size_t cap;
    bool failed;
} gl_buf;

void gl_buf_init(gl_buf *b);
void gl_buf_free(gl_buf *b);
void gl_buf_reset(gl_buf *b);
bool gl_buf_ok(const gl_buf *b);
void gl_put_bytes(gl_buf *b, const void *p, size_t n);
/* Room for n more bytes at the end of b (grown as gl_put_bytes grows it):
 * where they go, or NULL with b failed; b->len is not moved (the caller
 * writes there, then adds what it wrote). */
uint8_t *gl_buf_room(gl_buf *b, size_t n);
void gl_put_u8(gl_buf *b, uint8_t v);
void gl_put_u16(gl_buf *b, uint16_t v);
void gl_put_u32(gl_buf *b, uint32_t v);
void gl_put_u64(gl_buf *b, uint64_t v);
void gl_put_i64(gl_buf *b, int64_t v);
/* Length-prefixed strings; the caller guarantees len fits the prefix
 * (asserted). */
void gl_put_str8(gl_buf *b, const char *s, size_t len);
void gl_put_str16(gl_buf *b, const char *s, size_t len);

/* Fixed-width big-endian helpers on raw memory (for LMDB keys). */
void gl_be16(uint8_t *p, uint16_t v);
void gl_be32(uint8_t *p, uint32_t v);
void gl_be64(uint8_t *p, uint64_t v);
uint16_t gl_rd16(const uint8_t *p);
uint32_t gl_rd32(const uint8_t *p);
uint64_t gl_rd64(const uint8_t *p);

bool gl_str_eq(gl_str a, const char *b);

#endif
