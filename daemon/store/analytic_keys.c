/*
 * daemon/store/analytic_keys.c — the analytic indexes' keys and values;
 * see analytic_keys.h.
 */
#include "analytic_keys.h"

#include "proto/assert.h"
#include "proto/status.h"

#include <string.h>

void key_an_totals(uint8_t k[KEY_AN_TOTALS_LEN], uint32_t tenant, uint8_t tag, uint16_t fy,
                   gl_str axis, gl_str code, gl_str account, uint32_t period)
{
    GL_ASSERT(tag == AN_TOTALS_MONTH || tag == AN_TOTALS_DAY);
    gl_be32(k, tenant);
    k[4] = tag;
    gl_be16(k + 5, fy);
    key_pad(k + 7, axis, KEY_AN_AXIS_W);
    uint8_t *p = k + KEY_AN_TOTALS_AXIS_PREFIX_LEN;
    gl_be32(p, period);
    key_pad(p + 4, code, KEY_AN_CODE_W);
    key_pad(p + 4 + KEY_AN_CODE_W, account, KEY_ACCOUNT_W);
}

bool key_an_totals_parse(store_val k, an_key_parts *p)
{
    memset(p, 0, sizeof *p);
    if (k.len != KEY_AN_TOTALS_LEN)
        return false;
    const uint8_t *b = k.ptr;
    p->tenant = gl_rd32(b);
    p->tag = b[4];
    p->fy = gl_rd16(b + 5);
    p->axis = b + 7;
    b += KEY_AN_TOTALS_AXIS_PREFIX_LEN;
    p->period = gl_rd32(b);
    p->pair = p->code = b + 4;
    p->account = p->code + KEY_AN_CODE_W;
    return p->tag == AN_TOTALS_MONTH || p->tag == AN_TOTALS_DAY;
}

void key_an_lines(uint8_t k[KEY_AN_LINES_LEN], uint32_t tenant, gl_str axis, gl_str code,
                  uint32_t date, uint16_t fy, uint32_t num, uint16_t line)
{
    gl_be32(k, tenant);
    k[4] = AN_TAG_LINES;
    key_pad(k + 5, axis, KEY_AN_AXIS_W);
    key_pad(k + 5 + KEY_AN_AXIS_W, code, KEY_AN_CODE_W);
    uint8_t *p = k + KEY_AN_LINES_CODE_PREFIX_LEN;
    gl_be32(p, date);
    gl_be16(p + 4, fy);
    gl_be32(p + 6, num);
    gl_be16(p + 10, line);
}

bool key_an_lines_parse(store_val k, an_key_parts *p)
{
    memset(p, 0, sizeof *p);
    if (k.len != KEY_AN_LINES_LEN)
        return false;
    const uint8_t *b = k.ptr;
    p->tenant = gl_rd32(b);
    p->tag = b[4];
    p->axis = b + 5;
    p->code = p->axis + KEY_AN_AXIS_W;
    b += KEY_AN_LINES_CODE_PREFIX_LEN;
    p->date = gl_rd32(b);
    p->fy = gl_rd16(b + 4);
    p->num = gl_rd32(b + 6);
    p->line = gl_rd16(b + 10);
    return p->tag == AN_TAG_LINES;
}

void store_an_line_encode(uint8_t v[STORE_AN_LINE_LEN], store_an_line l)
{
    gl_be64(v, (uint64_t)l.amount_cents);
    v[8] = l.source;
}

int store_an_line_decode(store_val v, store_an_line *out)
{
    if (v.len != STORE_AN_LINE_LEN)
        return GL_ERR_STORAGE;
    out->amount_cents = (int64_t)gl_rd64(v.ptr);
    out->source = v.ptr[8];
    bool ok = out->amount_cents != 0 &&
              (out->source == GL_AN_SOURCE_ENTRY || out->source == GL_AN_SOURCE_ALLOC);
    return ok ? GL_OK : GL_ERR_STORAGE;
}
