/*
 * proto/carry.c — the open_item line extension and CARRY_MODE_SET's body;
 * see carry.h.
 */
#include "carry.h"

#include "accounts.h"
#include "date.h"
#include "limits.h"
#include "status.h"

#include <stdio.h>
#include <string.h>

int gl_open_item_check(const uint8_t *value, size_t value_len)
{
    if (value_len < 1 + GL_OPEN_ITEM_FIXED)
        return GL_ERR_BAD_EXTENSION;
    size_t p = value[0];
    if (p > GL_PIECE_MAX || value_len != 1 + p + GL_OPEN_ITEM_FIXED)
        return GL_ERR_BAD_EXTENSION;
    const uint8_t *f = value + 1 + p;
    uint16_t fy = gl_rd16(f + 4);
    if (fy < 1900 || fy > 2999 || gl_rd32(f + 6) == 0 || gl_rd16(f + 10) == 0)
        return GL_ERR_BAD_EXTENSION;
    return gl_date_valid(gl_rd32(f)) ? GL_OK : GL_ERR_BAD_DATE;
}

bool gl_line_open_item(const uint8_t *ext, size_t ext_len, gl_open_item *out)
{
    for (size_t pos = 0; pos + 2 <= ext_len; pos += 2 + (size_t)ext[pos + 1]) {
        if (ext[pos] != GL_EXT_OPEN_ITEM)
            continue;
        const uint8_t *v = ext + pos + 2;
        size_t p = v[0];
        const uint8_t *f = v + 1 + p;
        *out = (gl_open_item){
            {(const char *)v + 1, p}, gl_rd32(f), gl_rd16(f + 4), gl_rd32(f + 6), gl_rd16(f + 10)};
        return true;
    }
    return false;
}

size_t gl_open_item_put(uint8_t out[GL_OPEN_ITEM_ITEM_MAX], const gl_open_item *o)
{
    size_t p = o->piece_ref.len > GL_PIECE_MAX ? GL_PIECE_MAX : o->piece_ref.len;
    out[0] = GL_EXT_OPEN_ITEM;
    out[1] = (uint8_t)(1 + p + GL_OPEN_ITEM_FIXED);
    out[2] = (uint8_t)p;
    if (p)
        memcpy(out + 3, o->piece_ref.ptr, p);
    uint8_t *f = out + 3 + p;
    gl_be32(f, o->date);
    gl_be16(f + 4, o->fy);
    gl_be32(f + 6, o->num);
    gl_be16(f + 10, o->line);
    return 2 + 1 + p + GL_OPEN_ITEM_FIXED;
}

static int carry_mode_decode(const uint8_t *body, size_t len, bool stored, gl_carry_mode_q *out)
{
    gl_cur c;
    if (stored)
        gl_cur_init_stored(&c, body, len);
    else
        gl_cur_init(&c, body, len);
    out->account = gl_get_str8(&c, GL_ACCOUNT_MAX);
    out->mode = gl_get_u8(&c);
    int st = gl_cur_end(&c);
    if (st == GL_OK && out->mode > GL_CARRY_DETAILED)
        st = GL_ERR_RESERVED_NONZERO;
    return st;
}

int gl_carry_mode_q_decode(const uint8_t *body, size_t len, gl_carry_mode_q *out)
{
    return carry_mode_decode(body, len, false, out);
}

int gl_carry_mode_q_decode_stored(const uint8_t *body, size_t len, gl_carry_mode_q *out)
{
    return carry_mode_decode(body, len, true, out);
}

void gl_carry_mode_q_encode(gl_buf *out, const gl_carry_mode_q *q)
{
    gl_put_str8(out, q->account.ptr, q->account.len);
    gl_put_u8(out, q->mode);
}

gl_entry_in gl_opening_entry(gl_opening_text *text, const char *tenant, size_t tenant_len,
                             uint16_t next_fy, unsigned first_month, size_t n,
                             const gl_line_in *lines, const gl_ext_in *ext)
{
    snprintf(text->piece, sizeof text->piece, GL_CLOSE_OPENING_PIECE, next_fy);
    snprintf(text->label, sizeof text->label, GL_CLOSE_OPENING_LABEL, next_fy);
    snprintf(text->tenant, sizeof text->tenant, "%.*s", (int)tenant_len, tenant);
    uint32_t date = gl_fiscal_year_start(next_fy, first_month);
    return (gl_entry_in){.tenant = text->tenant,
                         .journal = GL_CLOSE_OPENING_JOURNAL,
                         .piece_ref = text->piece,
                         .label = text->label,
                         .date = date,
                         .piece_date = date,
                         .flags = GL_ENTRY_OPENING,
                         .line_count = n,
                         .lines = lines,
                         .line_ext = ext};
}
