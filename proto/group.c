/*
 * proto/group.c — group request bodies and the exact allocation of a
 * recharge by keys.
 */
#include "group.h"

#include "date.h"
#include "limits.h"
#include "query.h"
#include "status.h"

#include <string.h>

static int items_decode(gl_cur *c, uint16_t count, gl_group_item *items, bool amounts)
{
    if (gl_cur_status(c) == GL_OK && count == 0)
        return gl_cur_fail(c, GL_ERR_NO_ENTRIES);
    if (gl_cur_status(c) == GL_OK && count > GL_GROUP_MEMBERS_MAX)
        return gl_cur_fail(c, GL_ERR_COUNT_LIMIT);
    for (uint16_t i = 0; i < count && gl_cur_status(c) == GL_OK; i++) {
        items[i].tenant = gl_get_str8(c, GL_TENANT_MAX);
        items[i].value = amounts ? gl_get_i64(c) : (int64_t)gl_get_u32(c);
    }
    return gl_cur_status(c);
}

static void items_encode(gl_buf *out, uint16_t count, const gl_group_item *items, bool amounts)
{
    gl_put_u16(out, count);
    for (uint16_t i = 0; i < count; i++) {
        gl_put_str8(out, items[i].tenant.ptr, items[i].tenant.len);
        if (amounts)
            gl_put_i64(out, items[i].value);
        else
            gl_put_u32(out, (uint32_t)items[i].value);
    }
}

int gl_keys_q_decode(const uint8_t *body, size_t len, gl_keys_q *out)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    out->version = gl_get_u16(&c);
    out->count = gl_get_u16(&c);
    items_decode(&c, out->count, out->items, false);
    return gl_cur_end(&c);
}

void gl_keys_q_encode(gl_buf *out, const gl_keys_q *q)
{
    gl_put_u16(out, q->version);
    items_encode(out, q->count, q->items, false);
}

int gl_recharge_q_decode(const uint8_t *body, size_t len, gl_recharge_q *out)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    out->period_ym = gl_get_u32(&c);
    out->amount_cents = gl_get_i64(&c);
    out->version = gl_get_u16(&c);
    out->date = gl_get_u32(&c);
    if (gl_cur_status(&c) == GL_OK &&
        (!gl_month_valid(out->period_ym) || (out->date && !gl_date_valid(out->date))))
        gl_cur_fail(&c, GL_ERR_BAD_DATE);
    if (gl_cur_status(&c) == GL_OK && out->amount_cents <= 0)
        gl_cur_fail(&c, GL_ERR_AMOUNT_NOT_POSITIVE);
    return gl_cur_end(&c);
}

void gl_recharge_q_encode(gl_buf *out, const gl_recharge_q *q)
{
    gl_put_u32(out, q->period_ym);
    gl_put_i64(out, q->amount_cents);
    gl_put_u16(out, q->version);
    gl_put_u32(out, q->date);
}

static int dues_q_decode(const uint8_t *body, size_t len, bool stored, gl_dues_q *out)
{
    gl_cur c;
    if (stored) /* a request the ledger holds: see gl_cur_init_stored */
        gl_cur_init_stored(&c, body, len);
    else
        gl_cur_init(&c, body, len);
    out->year = gl_get_u16(&c);
    out->date = gl_get_u32(&c);
    out->count = gl_get_u16(&c);
    if (gl_cur_status(&c) == GL_OK &&
        (out->year < 1900 || out->year > 2999 || (out->date && !gl_date_valid(out->date))))
        gl_cur_fail(&c, GL_ERR_BAD_DATE);
    items_decode(&c, out->count, out->items, true);
    for (uint16_t i = 0; i < out->count && gl_cur_status(&c) == GL_OK; i++)
        if (out->items[i].value <= 0)
            gl_cur_fail(&c, GL_ERR_AMOUNT_NOT_POSITIVE);
    return gl_cur_end(&c);
}

int gl_dues_q_decode(const uint8_t *body, size_t len, gl_dues_q *out)
{
    return dues_q_decode(body, len, false, out);
}

int gl_dues_q_decode_stored(const uint8_t *body, size_t len, gl_dues_q *out)
{
    return dues_q_decode(body, len, true, out);
}

void gl_dues_q_encode(gl_buf *out, const gl_dues_q *q)
{
    gl_put_u16(out, q->year);
    gl_put_u32(out, q->date);
    items_encode(out, q->count, q->items, true);
}

int gl_u16_body_decode(const uint8_t *body, size_t len, uint16_t *out)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    *out = gl_get_u16(&c);
    return gl_cur_end(&c);
}

int gl_date_body_decode(const uint8_t *body, size_t len, uint32_t *out)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    *out = gl_get_u32(&c);
    if (gl_cur_status(&c) == GL_OK && !gl_date_valid(*out))
        gl_cur_fail(&c, GL_ERR_BAD_DATE);
    return gl_cur_end(&c);
}

int gl_group_balance_q_decode(const uint8_t *body, size_t len, gl_group_balance_q *out)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    out->at = gl_get_u32(&c);
    if (gl_cur_status(&c) == GL_OK && !gl_date_valid(out->at))
        gl_cur_fail(&c, GL_ERR_BAD_DATE);
    out->watermark = gl_get_u64(&c);
    out->after = gl_get_str8(&c, GL_ACCOUNT_MAX);
    out->limit = gl_get_u16(&c);
    gl_page_limit_check(&c, out->limit);
    return gl_cur_end(&c);
}

void gl_group_balance_q_encode(gl_buf *out, const gl_group_balance_q *q)
{
    gl_put_u32(out, q->at);
    gl_put_u64(out, q->watermark);
    gl_put_str8(out, q->after.ptr, q->after.len);
    gl_put_u16(out, q->limit);
}

bool gl_shares(int64_t amount_cents, const int64_t *weights, size_t n, int64_t *shares)
{
    __int128 total = 0, given = 0;
    size_t largest = 0;
    for (size_t i = 0; i < n; i++) {
        if (weights[i] < 0)
            return false;
        total += weights[i];
        if (weights[i] > weights[largest])
            largest = i;
    }
    if (total == 0 || amount_cents < 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        shares[i] = (int64_t)((__int128)amount_cents * weights[i] / total);
        given += shares[i];
    }
    shares[largest] += (int64_t)(amount_cents - given);
    return true;
}
