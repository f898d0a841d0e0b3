/*
 * proto/reminder.c — see reminder.h.
 */
#include "reminder.h"

#include "date.h"
#include "limits.h"
#include "status.h"

static int decode(const uint8_t *body, size_t len, bool stored, gl_reminder_q *out)
{
    gl_cur c;
    if (stored)
        gl_cur_init_stored(&c, body, len);
    else
        gl_cur_init(&c, body, len);
    out->date = gl_get_u32(&c);
    out->count = gl_get_u16(&c);
    if (gl_cur_status(&c) == GL_OK && !gl_date_valid(out->date))
        gl_cur_fail(&c, GL_ERR_BAD_DATE);
    if (gl_cur_status(&c) == GL_OK && (out->count == 0 || out->count > GL_REMINDERS_MAX))
        gl_cur_fail(&c, GL_ERR_COUNT_LIMIT);
    out->items = c.pos;
    for (uint16_t i = 0; gl_cur_status(&c) == GL_OK && i < out->count; i++) {
        gl_str aux = gl_get_str8(&c, GL_AUX_MAX);
        uint8_t level = gl_get_u8(&c);
        if (gl_cur_status(&c) == GL_OK && aux.len == 0)
            gl_cur_fail(&c, GL_ERR_FIELD_REQUIRED);
        if (gl_cur_status(&c) == GL_OK && (level < 1 || level > GL_REMINDER_LEVEL_MAX))
            gl_cur_fail(&c, GL_ERR_REMINDER_LEVEL);
    }
    out->items_len = gl_cur_status(&c) == GL_OK ? (size_t)(c.pos - out->items) : 0;
    return gl_cur_end(&c);
}

int gl_reminder_q_decode(const uint8_t *body, size_t len, gl_reminder_q *out)
{
    return decode(body, len, false, out);
}

int gl_reminder_q_decode_stored(const uint8_t *body, size_t len, gl_reminder_q *out)
{
    return decode(body, len, true, out);
}

bool gl_reminder_q_next(const gl_reminder_q *q, size_t *pos, gl_reminder_item *out)
{
    if (*pos >= q->items_len)
        return false;
    const uint8_t *p = q->items + *pos;
    out->aux = (gl_str){(const char *)p + 1, p[0]};
    out->level = p[1 + p[0]];
    *pos += 2 + (size_t)p[0];
    return true;
}

void gl_reminder_q_encode(gl_buf *out, uint32_t date, const gl_reminder_item *items, uint16_t count)
{
    gl_put_u32(out, date);
    gl_put_u16(out, count);
    for (uint16_t i = 0; i < count; i++) {
        gl_put_str8(out, items[i].aux.ptr, items[i].aux.len);
        gl_put_u8(out, items[i].level);
    }
}

void gl_reminder_row_encode(gl_buf *out, const gl_reminder_row *r)
{
    gl_put_str8(out, r->aux.ptr, r->aux.len);
    gl_put_u8(out, r->level);
    gl_put_u32(out, r->date);
    gl_put_u32(out, r->count);
}

int gl_reminders_reply_count(const uint8_t *body, size_t len, uint32_t *count)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    *count = gl_get_u32(&c);
    return gl_cur_status(&c);
}

bool gl_reminders_reply_next(const uint8_t *body, size_t len, size_t *pos, gl_reminder_row *out)
{
    if (*pos >= len)
        return false;
    gl_cur c;
    gl_cur_init(&c, body + *pos, len - *pos);
    out->aux = gl_get_str8(&c, GL_AUX_MAX);
    out->level = gl_get_u8(&c);
    out->date = gl_get_u32(&c);
    out->count = gl_get_u32(&c);
    if (gl_cur_status(&c) != GL_OK)
        return false;
    *pos += (size_t)(c.pos - (body + *pos));
    return true;
}

void gl_reminder_event_encode(gl_buf *out, gl_str aux, uint8_t level, uint32_t date)
{
    gl_put_str8(out, aux.ptr, aux.len);
    gl_put_u8(out, level);
    gl_put_u32(out, date);
}

int gl_reminder_event_decode(const uint8_t *p, size_t len, gl_str *aux, uint8_t *level,
                             uint32_t *date)
{
    gl_cur c;
    gl_cur_init_stored(&c, p, len);
    *aux = gl_get_str8(&c, GL_AUX_MAX);
    *level = gl_get_u8(&c);
    *date = gl_get_u32(&c);
    return gl_cur_end(&c);
}
