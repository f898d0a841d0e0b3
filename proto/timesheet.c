/*
 * proto/timesheet.c — time sheets on the wire (issue 19,
 * proto/timesheet.h): the sheet's codec (the TIMESHEET_SET body, the
 * TIMESHEET event and each row of the TIMESHEETS reply share it), its
 * field rules and the bounds of art. 55 of Regulation (EU) 2021/1060.
 * Decoders are total and never allocate; the rules are pure.
 */
#include "timesheet.h"

#include "analytic.h"
#include "date.h"
#include "status.h"

#include <string.h>

/* Minutes of a full-time year: 1,720 h. */
#define YEAR_MINUTES_FULL ((uint64_t)GL_TS_YEAR_HOURS * 60u)

void gl_ts_head_put(gl_buf *b, gl_str employee, uint32_t month, uint16_t basis_per_mille,
                    uint16_t count)
{
    gl_put_str8(b, employee.ptr, employee.len);
    gl_put_u32(b, month);
    gl_put_u16(b, basis_per_mille);
    gl_put_u16(b, count);
}

void gl_ts_row_put(gl_buf *b, const gl_ts_row *r)
{
    gl_put_str8(b, r->action.ptr, r->action.len);
    gl_put_u32(b, r->minutes);
}

static void row_get(gl_cur *c, gl_ts_row *out)
{
    out->action = gl_get_str8(c, GL_AN_CODE_MAX);
    out->minutes = gl_get_u32(c);
}

int gl_ts_get(gl_cur *c, gl_timesheet *out, uint32_t *bad_row)
{
    *bad_row = 0;
    out->employee = gl_get_str8(c, GL_AN_CODE_MAX);
    out->month = gl_get_u32(c);
    out->basis_per_mille = gl_get_u16(c);
    out->count = gl_get_u16(c);
    int st = gl_cur_status(c);
    if (st != GL_OK)
        return st;
    if (out->count > GL_TS_ROWS_MAX)
        return gl_cur_fail(c, GL_ERR_COUNT_LIMIT);
    out->rows = c->pos;
    size_t before = gl_cur_left(c);
    for (uint16_t i = 0; i < out->count; i++) {
        gl_ts_row r;
        row_get(c, &r);
        if ((st = gl_cur_status(c)) != GL_OK) {
            *bad_row = i + 1u;
            return st;
        }
    }
    out->rows_len = before - gl_cur_left(c);
    return GL_OK;
}

int gl_ts_set_q_decode(const uint8_t *body, size_t len, gl_timesheet *out, uint32_t *bad_row)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    int st = gl_ts_get(&c, out, bad_row);
    return st != GL_OK ? st : gl_cur_end(&c);
}

bool gl_ts_rows_next(const gl_timesheet *s, size_t *pos, gl_ts_row *out)
{
    if (*pos >= s->rows_len)
        return false;
    gl_cur c;
    gl_cur_init(&c, s->rows + *pos, s->rows_len - *pos);
    row_get(&c, out);
    if (gl_cur_status(&c) != GL_OK)
        return false; /* not reached for a decoded sheet */
    *pos = s->rows_len - gl_cur_left(&c);
    return true;
}

/* a < b in byte order, a shorter prefix first. */
static bool str_before(gl_str a, gl_str b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    int cmp = n ? memcmp(a.ptr, b.ptr, n) : 0;
    return cmp < 0 || (cmp == 0 && a.len < b.len);
}

/* The rows' own rules: code syntax, strict order, minutes > 0. */
static gl_ts_fault rows_check(const gl_timesheet *s, uint32_t *bad_row)
{
    size_t pos = 0;
    gl_ts_row r, prev = {{NULL, 0}, 0};
    for (uint32_t i = 1; gl_ts_rows_next(s, &pos, &r); i++) {
        *bad_row = i;
        if (!gl_an_code_valid(r.action))
            return GL_TS_BAD_ACTION;
        if (i > 1 && !str_before(prev.action, r.action))
            return GL_TS_ACTION_ORDER;
        if (r.minutes == 0)
            return GL_TS_ZERO_MINUTES;
        prev = r;
    }
    *bad_row = 0;
    return GL_TS_OK;
}

gl_ts_fault gl_ts_check(const gl_timesheet *s, uint32_t *bad_row)
{
    *bad_row = 0;
    if (!gl_an_code_valid(s->employee))
        return GL_TS_BAD_EMPLOYEE;
    if (!gl_month_valid(s->month))
        return GL_TS_BAD_MONTH;
    if (s->basis_per_mille < 1 || s->basis_per_mille > GL_TS_BASIS_FULL)
        return GL_TS_BAD_BASIS;
    gl_ts_fault f = rows_check(s, bad_row);
    if (f != GL_TS_OK)
        return f;
    return gl_ts_minutes(s) > gl_ts_month_minutes_max(s->basis_per_mille) ? GL_TS_MONTH_OVER
                                                                          : GL_TS_OK;
}

uint64_t gl_ts_minutes(const gl_timesheet *s)
{
    uint64_t sum = 0;
    size_t pos = 0;
    gl_ts_row r;
    while (gl_ts_rows_next(s, &pos, &r))
        sum += r.minutes; /* <= GL_TS_ROWS_MAX * UINT32_MAX < 2^38 */
    return sum;
}

uint64_t gl_ts_year_minutes_max(uint16_t basis_per_mille)
{
    return gl_ts_year_minutes_cap(basis_per_mille, 1);
}

uint64_t gl_ts_month_minutes_max(uint16_t basis_per_mille)
{
    /* 1.5 × (year / 12) = year × 3 / 24, one division: the least rounding */
    return YEAR_MINUTES_FULL * basis_per_mille * 3u / (GL_TS_BASIS_FULL * 24u);
}

uint64_t gl_ts_year_minutes_cap(uint32_t basis_sum, uint32_t n)
{
    if (n == 0)
        return 0;
    return YEAR_MINUTES_FULL * basis_sum / ((uint64_t)GL_TS_BASIS_FULL * n);
}

void gl_ts_list_q_encode(gl_buf *b, const gl_ts_list_q *q)
{
    gl_put_u16(b, q->year);
    gl_put_str8(b, q->employee.ptr, q->employee.len);
}

int gl_ts_list_q_decode(const uint8_t *body, size_t len, gl_ts_list_q *out)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    out->year = gl_get_u16(&c);
    out->employee = gl_get_str8(&c, GL_AN_CODE_MAX);
    return gl_cur_end(&c);
}

int gl_ts_reply_begin(const uint8_t *body, size_t len, gl_ts_reply_iter *it)
{
    gl_cur_init(&it->cur, body, len);
    it->left = gl_get_u32(&it->cur);
    return gl_cur_status(&it->cur) == GL_OK ? GL_OK : GL_ERR_MALFORMED;
}

int gl_ts_reply_next(gl_ts_reply_iter *it, gl_timesheet *out)
{
    if (it->left == 0)
        return gl_cur_end(&it->cur) == GL_OK ? GL_ERR_NOT_FOUND : GL_ERR_MALFORMED;
    uint32_t bad;
    if (gl_ts_get(&it->cur, out, &bad) != GL_OK)
        return GL_ERR_MALFORMED;
    it->left--;
    return GL_OK;
}
