/*
 * proto/group.c — group request bodies and the exact allocation of a
 * recharge by keys.
 */
#include "group.h"

#include "accounts.h"
#include "date.h"
#include "entry.h"
#include "request.h"
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

/* The accounts block (issue 20), read if bytes are left (`required`: a
 * body that must carry it, else GL_ERR_ADJUST_NO_ACCOUNTS). */
static void accounts_decode(gl_cur *c, bool required, gl_group_accounts *a)
{
    *a = (gl_group_accounts){0};
    if (gl_cur_status(c) != GL_OK)
        return;
    if (gl_cur_left(c) == 0) {
        if (required)
            gl_cur_fail(c, GL_ERR_ADJUST_NO_ACCOUNTS);
        return;
    }
    a->carried = true;
    a->receivable = gl_get_str8(c, GL_ACCOUNT_MAX);
    a->revenue = gl_get_str8(c, GL_ACCOUNT_MAX);
    a->expense = gl_get_str8(c, GL_ACCOUNT_MAX);
    a->payable = gl_get_str8(c, GL_ACCOUNT_MAX);
    if (gl_cur_status(c) != GL_OK)
        return;
    const struct {
        gl_str s;
        const char *class_prefix;
    } want[4] = {{a->receivable, "41"}, {a->revenue, "7"}, {a->expense, "6"}, {a->payable, "40"}};
    for (int i = 0; i < 4; i++) {
        size_t n = strlen(want[i].class_prefix);
        if (!gl_account_valid(want[i].s) || want[i].s.len <= n ||
            memcmp(want[i].s.ptr, want[i].class_prefix, n)) {
            gl_cur_fail(c, GL_ERR_GROUP_ACCOUNT_CLASS);
            return;
        }
    }
}

void gl_group_accounts_encode(gl_buf *out, const gl_group_accounts *a)
{
    if (!a->carried)
        return;
    gl_put_str8(out, a->receivable.ptr, a->receivable.len);
    gl_put_str8(out, a->revenue.ptr, a->revenue.len);
    gl_put_str8(out, a->expense.ptr, a->expense.len);
    gl_put_str8(out, a->payable.ptr, a->payable.len);
}

static gl_str cstr(const char *s) { return (gl_str){s, strlen(s)}; }

gl_group_accounts gl_group_accounts_or_default(const gl_group_accounts *a, uint16_t kind)
{
    if (a->carried)
        return *a;
    bool dues = kind == GL_KIND_DUES;
    return (gl_group_accounts){false, cstr(GL_ACCOUNT_RECEIVABLE),
                               cstr(dues ? GL_ACCOUNT_DUES_REVENUE : GL_ACCOUNT_RECHARGE_REVENUE),
                               cstr(dues ? GL_ACCOUNT_DUES_EXPENSE : GL_ACCOUNT_RECHARGE_EXPENSE),
                               cstr(GL_ACCOUNT_PAYABLE)};
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
    accounts_decode(&c, false, &out->accounts);
    return gl_cur_end(&c);
}

void gl_recharge_q_encode(gl_buf *out, const gl_recharge_q *q)
{
    gl_put_u32(out, q->period_ym);
    gl_put_i64(out, q->amount_cents);
    gl_put_u16(out, q->version);
    gl_put_u32(out, q->date);
    gl_group_accounts_encode(out, &q->accounts);
}

/* DUES and RECHARGE_ADJUST: year | date | count | (tenant | amount)* |
 * accounts.  adjust: signed amounts never 0, the accounts required. */
static int year_items_decode(const uint8_t *body, size_t len, bool stored, bool adjust,
                             uint16_t *year, uint32_t *date, uint16_t *count, gl_group_item *items,
                             gl_group_accounts *accounts)
{
    gl_cur c;
    if (stored) /* a request the ledger holds: see gl_cur_init_stored */
        gl_cur_init_stored(&c, body, len);
    else
        gl_cur_init(&c, body, len);
    *year = gl_get_u16(&c);
    *date = gl_get_u32(&c);
    *count = gl_get_u16(&c);
    if (gl_cur_status(&c) == GL_OK &&
        (*year < 1900 || *year > 2999 || (*date && !gl_date_valid(*date))))
        gl_cur_fail(&c, GL_ERR_BAD_DATE);
    items_decode(&c, *count, items, true);
    for (uint16_t i = 0; i < *count && gl_cur_status(&c) == GL_OK; i++)
        if (adjust ? items[i].value == 0 || items[i].value == INT64_MIN : items[i].value <= 0)
            gl_cur_fail(&c, adjust ? GL_ERR_ADJUST_ZERO : GL_ERR_AMOUNT_NOT_POSITIVE);
    accounts_decode(&c, adjust, accounts);
    return gl_cur_end(&c);
}

static int dues_q_decode(const uint8_t *body, size_t len, bool stored, gl_dues_q *out)
{
    return year_items_decode(body, len, stored, false, &out->year, &out->date, &out->count,
                             out->items, &out->accounts);
}

int gl_recharge_adjust_q_decode(const uint8_t *body, size_t len, gl_recharge_adjust_q *out)
{
    return year_items_decode(body, len, false, true, &out->year, &out->date, &out->count,
                             out->items, &out->accounts);
}

int gl_recharge_adjust_q_decode_stored(const uint8_t *body, size_t len, gl_recharge_adjust_q *out)
{
    return year_items_decode(body, len, true, true, &out->year, &out->date, &out->count, out->items,
                             &out->accounts);
}

/* DUES and RECHARGE_ADJUST: the same layout. */
static void year_items_encode(gl_buf *out, uint16_t year, uint32_t date, uint16_t count,
                              const gl_group_item *items, const gl_group_accounts *accounts)
{
    gl_put_u16(out, year);
    gl_put_u32(out, date);
    items_encode(out, count, items, true);
    gl_group_accounts_encode(out, accounts);
}

void gl_recharge_adjust_q_encode(gl_buf *out, const gl_recharge_adjust_q *q)
{
    year_items_encode(out, q->year, q->date, q->count, q->items, &q->accounts);
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
    year_items_encode(out, q->year, q->date, q->count, q->items, &q->accounts);
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
