/*
 * proto/analytic_reports.c — the bodies of ANALYTIC_BALANCE (51) and
 * ANALYTIC_LEDGER (52) and their replies (proto/analytic.h; PROTOCOL.md
 * §5.51, §5.52).  The rest of analytic.h is proto/analytic.c.
 *
 * Query decoders check the structure and the fields' ranges only: a name
 * of the wrong syntax is an axis or code the tenant has not opened, which
 * the daemon answers with 484 or, for a code, with an empty page.  Reply
 * readers are total: any short or out-of-rule row is MALFORMED, never a
 * read past the body; trailing bytes after the last row are ignored
 * (PROTOCOL.md §3).
 */
#include "analytic.h"

#include "date.h"
#include "status.h"

/* A date field of a query: 0 (open) or a valid YYYYMMDD. */
static bool date_or_open(uint32_t ymd) { return ymd == 0 || gl_date_valid(ymd); }

void gl_an_balance_q_encode(gl_buf *b, const gl_an_balance_q *q)
{
    gl_put_str8(b, q->axis.ptr, q->axis.len);
    gl_put_u16(b, q->fy);
    gl_put_u32(b, q->at);
}

int gl_an_balance_q_decode(const uint8_t *body, size_t len, gl_an_balance_q *out)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    out->axis = gl_get_str8(&c, GL_AN_AXIS_MAX);
    out->fy = gl_get_u16(&c);
    out->at = gl_get_u32(&c);
    int st = gl_cur_end(&c);
    if (st == GL_OK && out->axis.len == 0)
        st = GL_ERR_MALFORMED;
    if (st == GL_OK && (out->fy == 0 || !date_or_open(out->at)))
        st = GL_ERR_BAD_DATE;
    return st;
}

void gl_an_ledger_q_encode(gl_buf *b, const gl_an_ledger_q *q)
{
    gl_put_str8(b, q->axis.ptr, q->axis.len);
    gl_put_str8(b, q->code.ptr, q->code.len);
    gl_put_u32(b, q->from);
    gl_put_u32(b, q->to);
    gl_put_u32(b, q->after_date);
    gl_put_u16(b, q->after_fy);
    gl_put_u32(b, q->after_num);
    gl_put_u16(b, q->after_line);
    gl_put_u16(b, q->limit);
}

int gl_an_ledger_q_decode(const uint8_t *body, size_t len, gl_an_ledger_q *out)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    out->axis = gl_get_str8(&c, GL_AN_AXIS_MAX);
    out->code = gl_get_str8(&c, GL_AN_CODE_MAX);
    out->from = gl_get_u32(&c);
    out->to = gl_get_u32(&c);
    out->after_date = gl_get_u32(&c);
    out->after_fy = gl_get_u16(&c);
    out->after_num = gl_get_u32(&c);
    out->after_line = gl_get_u16(&c);
    out->limit = gl_get_u16(&c);
    int st = gl_cur_end(&c);
    if (st == GL_OK && (out->axis.len == 0 || out->code.len == 0))
        st = GL_ERR_MALFORMED;
    if (st == GL_OK && (!date_or_open(out->from) || !date_or_open(out->to) ||
                        (out->from && out->to && out->from > out->to)))
        st = GL_ERR_BAD_DATE;
    if (st == GL_OK && (out->limit == 0 || out->limit > GL_PAGE_MAX))
        st = GL_ERR_COUNT_LIMIT;
    return st;
}

void gl_an_balance_row_put(gl_buf *b, const gl_an_balance_row *r)
{
    gl_put_str8(b, r->code.ptr, r->code.len);
    gl_put_str8(b, r->account.ptr, r->account.len);
    gl_put_i64(b, r->debit_cents);
    gl_put_i64(b, r->credit_cents);
}

int gl_an_balance_reply_begin(const uint8_t *body, size_t len, gl_an_balance_iter *it)
{
    gl_cur_init(&it->cur, body, len);
    it->at = gl_get_u32(&it->cur);
    it->left = gl_get_u32(&it->cur);
    return gl_cur_status(&it->cur);
}

/* GL_OK and *out, GL_ERR_NOT_FOUND after the last row, or MALFORMED. */
int gl_an_balance_reply_next(gl_an_balance_iter *it, gl_an_balance_row *out)
{
    if (gl_cur_status(&it->cur) != GL_OK)
        return gl_cur_status(&it->cur);
    if (it->left == 0)
        return GL_ERR_NOT_FOUND;
    out->code = gl_get_str8(&it->cur, GL_AN_CODE_MAX);
    out->account = gl_get_str8(&it->cur, GL_ACCOUNT_MAX);
    out->debit_cents = gl_get_i64(&it->cur);
    out->credit_cents = gl_get_i64(&it->cur);
    if (gl_cur_status(&it->cur) == GL_OK &&
        (out->account.len == 0 || out->debit_cents < 0 || out->credit_cents < 0))
        gl_cur_fail(&it->cur, GL_ERR_MALFORMED);
    if (gl_cur_status(&it->cur) != GL_OK)
        return GL_ERR_MALFORMED;
    it->left--;
    return GL_OK;
}

void gl_an_ledger_row_put(gl_buf *b, const gl_an_ledger_row *r)
{
    gl_put_u32(b, r->date);
    gl_put_u16(b, r->fy);
    gl_put_u32(b, r->num);
    gl_put_u16(b, r->line);
    gl_put_str8(b, r->journal.ptr, r->journal.len);
    gl_put_str8(b, r->piece_ref.ptr, r->piece_ref.len);
    gl_put_str8(b, r->account.ptr, r->account.len);
    gl_put_str8(b, r->label.ptr, r->label.len);
    gl_put_i64(b, r->amount_cents);
    gl_put_u8(b, r->source);
}

/* The page's last byte, read as soon as no row is left. */
static void read_more(gl_an_ledger_iter *it)
{
    it->more = gl_get_u8(&it->cur);
    if (gl_cur_status(&it->cur) == GL_OK && it->more > 1)
        gl_cur_fail(&it->cur, GL_ERR_MALFORMED);
}

int gl_an_ledger_reply_begin(const uint8_t *body, size_t len, gl_an_ledger_iter *it)
{
    gl_cur_init(&it->cur, body, len);
    it->left = gl_get_u16(&it->cur);
    it->more = 0;
    if (gl_cur_status(&it->cur) == GL_OK && it->left > GL_PAGE_MAX)
        gl_cur_fail(&it->cur, GL_ERR_MALFORMED);
    if (it->left == 0)
        read_more(it);
    return gl_cur_status(&it->cur);
}

static bool ledger_row_valid(const gl_an_ledger_row *r)
{
    return gl_date_valid(r->date) && r->num != 0 && r->line != 0 && r->account.len != 0 &&
           r->amount_cents != 0 &&
           (r->source == GL_AN_SOURCE_ENTRY || r->source == GL_AN_SOURCE_ALLOC);
}

int gl_an_ledger_reply_next(gl_an_ledger_iter *it, gl_an_ledger_row *out)
{
    gl_cur *c = &it->cur;
    if (gl_cur_status(c) != GL_OK)
        return gl_cur_status(c);
    if (it->left == 0)
        return GL_ERR_NOT_FOUND;
    out->date = gl_get_u32(c);
    out->fy = gl_get_u16(c);
    out->num = gl_get_u32(c);
    out->line = gl_get_u16(c);
    out->journal = gl_get_str8(c, GL_JOURNAL_MAX);
    out->piece_ref = gl_get_str8(c, GL_PIECE_MAX);
    out->account = gl_get_str8(c, GL_ACCOUNT_MAX);
    out->label = gl_get_str8(c, GL_LABEL_MAX);
    out->amount_cents = gl_get_i64(c);
    out->source = gl_get_u8(c);
    if (gl_cur_status(c) == GL_OK && !ledger_row_valid(out))
        gl_cur_fail(c, GL_ERR_MALFORMED);
    if (gl_cur_status(c) != GL_OK)
        return GL_ERR_MALFORMED;
    if (--it->left == 0)
        read_more(it);
    return gl_cur_status(c) == GL_OK ? GL_OK : GL_ERR_MALFORMED;
}
