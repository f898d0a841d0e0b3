/*
 * proto/wire.c — bounded cursor and growable buffer; see wire.h.
 * Every bound check is written `left < n`, never `pos + n > end`, so that no
 * pointer past the end of the input is ever formed.
 */
#include "wire.h"

#include "assert.h"
#include "status.h"

#include <stdlib.h>
#include <string.h>

void gl_cur_init(gl_cur *c, const void *data, size_t len)
{
    c->pos = data;
    c->end = len ? c->pos + len : c->pos; /* NULL + 0 is undefined in C */
    c->status = GL_OK;
    c->stored = false;
}

void gl_cur_init_stored(gl_cur *c, const void *data, size_t len)
{
    gl_cur_init(c, data, len);
    c->stored = true;
}

size_t gl_cur_left(const gl_cur *c) { return (size_t)(c->end - c->pos); }

int gl_cur_fail(gl_cur *c, int status)
{
    if (c->status == GL_OK)
        c->status = status;
    c->pos = c->end; /* nothing more will be read */
    return c->status;
}

int gl_cur_status(const gl_cur *c) { return c->status; }

int gl_cur_end(gl_cur *c)
{
    if (c->status == GL_OK && c->pos != c->end)
        c->status = GL_ERR_TRAILING_BYTES;
    return c->status;
}

const uint8_t *gl_get_bytes(gl_cur *c, size_t n)
{
    if (c->status != GL_OK || gl_cur_left(c) < n) {
        gl_cur_fail(c, GL_ERR_MALFORMED);
        return NULL;
    }
    const uint8_t *p = c->pos;
    c->pos += n;
    return p;
}

uint8_t gl_get_u8(gl_cur *c)
{
    const uint8_t *p = gl_get_bytes(c, 1);
    return p ? p[0] : 0;
}

uint16_t gl_get_u16(gl_cur *c)
{
    const uint8_t *p = gl_get_bytes(c, 2);
    return p ? gl_rd16(p) : 0;
}

uint32_t gl_get_u32(gl_cur *c)
{
    const uint8_t *p = gl_get_bytes(c, 4);
    return p ? gl_rd32(p) : 0;
}

uint64_t gl_get_u64(gl_cur *c)
{
    const uint8_t *p = gl_get_bytes(c, 8);
    return p ? gl_rd64(p) : 0;
}

int64_t gl_get_i64(gl_cur *c)
{
    uint64_t u = gl_get_u64(c);
    int64_t v;
    memcpy(&v, &u, sizeof v); /* two's complement, no UB */
    return v;
}

static gl_str get_str(gl_cur *c, size_t len, size_t max_len)
{
    gl_str s = {"", 0};
    if (c->status != GL_OK)
        return s;
    if (len > max_len) {
        gl_cur_fail(c, GL_ERR_STRING_TOO_LONG);
        return s;
    }
    const uint8_t *p = gl_get_bytes(c, len);
    if (!p)
        return s;
    bool text = c->stored ? gl_utf8_valid_with_bidi((const char *)p, len)
                          : gl_utf8_valid((const char *)p, len);
    if (!text) {
        gl_cur_fail(c, GL_ERR_STRING_INVALID);
        return s;
    }
    s.ptr = (const char *)p;
    s.len = len;
    return s;
}

gl_str gl_get_str8(gl_cur *c, size_t max_len)
{
    size_t len = gl_get_u8(c);
    return get_str(c, len, max_len);
}

gl_str gl_get_str16(gl_cur *c, size_t max_len)
{
    size_t len = gl_get_u16(c);
    return get_str(c, len, max_len);
}

/* The bidirectional embedding and override controls (LRE, RLE, PDF, LRO,
 * RLO) and isolates (LRI, RLI, FSI, PDI): "\u202e1 00.0" prints as
 * "0.00 1".  The marks (U+200E, U+200F, U+061C) reorder nothing and stay. */
static bool bidi_control(uint32_t cp)
{
    return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

static bool utf8_text(const char *str, size_t len, bool allow_bidi)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) {
            if (c < 0x20 || c == 0x7f)
                return false;
            i++;
            continue;
        }
        size_t n;
        uint32_t cp, min;
        if ((c & 0xe0) == 0xc0) {
            n = 1;
            cp = c & 0x1f;
            min = 0x80;
        } else if ((c & 0xf0) == 0xe0) {
            n = 2;
            cp = c & 0x0f;
            min = 0x800;
        } else if ((c & 0xf8) == 0xf0) {
            n = 3;
            cp = c & 0x07;
            min = 0x10000;
        } else
            return false;
        if (len - i - 1 < n)
            return false;
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        if (cp >= 0x80 && cp < 0xa0) /* C1 controls */
            return false;
        if (!allow_bidi && bidi_control(cp))
            return false;
        i += n + 1;
    }
    return true;
}

bool gl_utf8_valid(const char *str, size_t len) { return utf8_text(str, len, false); }
bool gl_utf8_valid_with_bidi(const char *str, size_t len) { return utf8_text(str, len, true); }

void gl_buf_init(gl_buf *b) { memset(b, 0, sizeof *b); }

void gl_buf_free(gl_buf *b)
{
    free(b->data);
    gl_buf_init(b);
}

void gl_buf_reset(gl_buf *b)
{
    b->len = 0;
    b->failed = false;
}

bool gl_buf_ok(const gl_buf *b) { return !b->failed; }

uint8_t *gl_buf_room(gl_buf *b, size_t n)
{
    if (b->failed)
        return NULL;
    if (b->cap - b->len < n || !b->data) { /* an empty buffer gets its first block even for 0 */
        size_t cap = b->cap ? b->cap : 256;
        while (cap - b->len < n) {
            if (cap > SIZE_MAX / 2) {
                b->failed = true;
                return NULL;
            }
            cap *= 2;
        }
        uint8_t *d = realloc(b->data, cap);
        if (!d) {
            b->failed = true;
            return NULL;
        }
        b->data = d;
        b->cap = cap;
    }
    return b->data + b->len;
}

void gl_put_bytes(gl_buf *b, const void *p, size_t n)
{
    if (n == 0)
        return;
    uint8_t *at = gl_buf_room(b, n);
    if (!at)
        return;
    if (n)
        memcpy(at, p, n);
    b->len += n;
}

void gl_put_u8(gl_buf *b, uint8_t v) { gl_put_bytes(b, &v, 1); }
void gl_put_u16(gl_buf *b, uint16_t v)
{
    uint8_t p[2];
    gl_be16(p, v);
    gl_put_bytes(b, p, 2);
}
void gl_put_u32(gl_buf *b, uint32_t v)
{
    uint8_t p[4];
    gl_be32(p, v);
    gl_put_bytes(b, p, 4);
}
void gl_put_u64(gl_buf *b, uint64_t v)
{
    uint8_t p[8];
    gl_be64(p, v);
    gl_put_bytes(b, p, 8);
}

void gl_put_i64(gl_buf *b, int64_t v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    gl_put_u64(b, u);
}

void gl_put_str8(gl_buf *b, const char *s, size_t len)
{
    GL_ASSERT(len <= UINT8_MAX);
    gl_put_u8(b, (uint8_t)len);
    gl_put_bytes(b, s, len);
}

void gl_put_str16(gl_buf *b, const char *s, size_t len)
{
    GL_ASSERT(len <= UINT16_MAX);
    gl_put_u16(b, (uint16_t)len);
    gl_put_bytes(b, s, len);
}

void gl_be16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}
void gl_be32(uint8_t *p, uint32_t v)
{
    for (int i = 3; i >= 0; i--) {
        p[i] = (uint8_t)v;
        v >>= 8;
    }
}
void gl_be64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--) {
        p[i] = (uint8_t)v;
        v >>= 8;
    }
}
uint16_t gl_rd16(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }
uint32_t gl_rd32(const uint8_t *p)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v = (v << 8) | p[i];
    return v;
}
uint64_t gl_rd64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | p[i];
    return v;
}

bool gl_str_eq(gl_str a, const char *b)
{
    size_t n = strlen(b);
    return a.len == n && (n == 0 || memcmp(a.ptr, b, n) == 0);
}
