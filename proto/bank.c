/*
 * proto/bank.c — the codecs of bank accounts and statement lines (issue
 * 18, proto/bank.h).  Every decoder is total: a cursor over the bytes,
 * one status at the end, never a read past the end.
 */
#include "bank.h"

#include "date.h"
#include "entry.h"
#include "limits.h"
#include "status.h"
#include "third_party.h"

#include <string.h>

void gl_bank_account_encode(gl_buf *b, const gl_bank_account *r)
{
    gl_put_str8(b, r->account.ptr, r->account.len);
    gl_put_str8(b, r->iban.ptr, r->iban.len);
    gl_put_str8(b, r->bic.ptr, r->bic.len);
    gl_put_str8(b, r->label.ptr, r->label.len);
}

int gl_bank_account_get(gl_cur *c, gl_bank_account *out)
{
    out->account = gl_get_str8(c, GL_ACCOUNT_MAX);
    out->iban = gl_get_str8(c, GL_BANK_IBAN_MAX);
    out->bic = gl_get_str8(c, GL_BANK_BIC_MAX);
    out->label = gl_get_str8(c, GL_BANK_NAME_MAX);
    return gl_cur_status(c);
}

int gl_bank_account_decode(const uint8_t *body, size_t len, gl_bank_account *out)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    gl_bank_account_get(&c, out);
    return gl_cur_end(&c);
}

bool gl_bic_valid(gl_str s)
{
    if (s.len != 8 && s.len != 11)
        return false;
    for (size_t i = 0; i < s.len; i++) {
        char ch = s.ptr[i];
        bool letter = ch >= 'A' && ch <= 'Z', digit = ch >= '0' && ch <= '9';
        if (i < 6 ? !letter : !(letter || digit))
            return false;
    }
    return true;
}

bool gl_bank_account_check(const gl_bank_account *r, const char **field)
{
    *field = NULL;
    if (!gl_account_valid(r->account) || r->account.len < 2 || memcmp(r->account.ptr, "51", 2))
        *field = "account";
    else if (!gl_iban_valid(r->iban))
        *field = "iban";
    else if (r->bic.len && !gl_bic_valid(r->bic))
        *field = "bic";
    return *field == NULL;
}

bool gl_bank_account_id_matches(gl_str id, gl_str iban)
{
    if (id.len == iban.len && !memcmp(id.ptr, iban.ptr, id.len))
        return true;
    /* a French RIB is the IBAN's last 23 characters (FR or MC, 27 in all) */
    static const char rib[] = "RIB:";
    return id.len == 4 + 23 && !memcmp(id.ptr, rib, 4) && iban.len == 27 &&
           (!memcmp(iban.ptr, "FR", 2) || !memcmp(iban.ptr, "MC", 2)) &&
           !memcmp(id.ptr + 4, iban.ptr + 4, 23);
}

static bool amount_ok(int64_t a) { return a >= -GL_TOTAL_MAX_CENTS && a <= GL_TOTAL_MAX_CENTS; }

void gl_bank_line_put(gl_buf *b, const gl_bank_line_w *l)
{
    gl_put_u32(b, l->booking);
    gl_put_u32(b, l->value);
    gl_put_i64(b, l->amount_cents);
    gl_put_str8(b, l->label.ptr, l->label.len);
    gl_put_str8(b, l->bank_ref.ptr, l->bank_ref.len);
    gl_put_str8(b, l->end_to_end.ptr, l->end_to_end.len);
    gl_put_str8(b, l->counterparty.ptr, l->counterparty.len);
    gl_put_str8(b, l->counterparty_iban.ptr, l->counterparty_iban.len);
    gl_put_u32(b, l->source_line);
}

int gl_bank_line_get(gl_cur *c, gl_bank_line_w *out)
{
    out->booking = gl_get_u32(c);
    out->value = gl_get_u32(c);
    out->amount_cents = gl_get_i64(c);
    out->label = gl_get_str8(c, GL_BANK_TEXT_MAX);
    out->bank_ref = gl_get_str8(c, GL_BANK_REF_LEN_MAX);
    out->end_to_end = gl_get_str8(c, GL_BANK_REF_LEN_MAX);
    out->counterparty = gl_get_str8(c, GL_BANK_NAME_MAX);
    out->counterparty_iban = gl_get_str8(c, GL_BANK_ACCOUNT_ID_LEN_MAX);
    out->source_line = gl_get_u32(c);
    return gl_cur_status(c);
}

/* A line's own rules (after its syntax). */
static int line_check(const gl_bank_line_w *l)
{
    if (!gl_date_valid(l->booking) || (l->value && !gl_date_valid(l->value)))
        return GL_ERR_BAD_DATE;
    if (l->amount_cents == 0)
        return GL_ERR_AMOUNT_NOT_POSITIVE;
    return amount_ok(l->amount_cents) ? GL_OK : GL_ERR_OVERFLOW;
}

void gl_bank_import_encode(gl_buf *b, const gl_bank_import_q *q, const gl_bank_line_w *lines)
{
    static const uint8_t zero[32];
    gl_put_str8(b, q->account.ptr, q->account.len);
    gl_put_str8(b, q->account_id.ptr, q->account_id.len);
    gl_put_str8(b, q->currency.ptr, q->currency.len);
    gl_put_str8(b, q->statement_id.ptr, q->statement_id.len);
    gl_put_u32(b, q->from);
    gl_put_u32(b, q->to);
    gl_put_u8(b, q->flags);
    gl_put_i64(b, q->opening_cents);
    gl_put_i64(b, q->closing_cents);
    gl_put_u8(b, q->format);
    gl_put_bytes(b, q->file_sha256 ? q->file_sha256 : zero, 32);
    gl_put_u16(b, q->count);
    for (uint16_t i = 0; i < q->count; i++)
        gl_bank_line_put(b, &lines[i]);
}

/* The statement's own fields after their syntax. */
static int head_check(const gl_bank_import_q *q)
{
    if ((q->from && !gl_date_valid(q->from)) || (q->to && !gl_date_valid(q->to)) ||
        (q->from && q->to && q->from > q->to))
        return GL_ERR_BAD_DATE;
    if ((q->flags & ~GL_BANK_FLAGS_KNOWN) || q->format > GL_BANK_FORMAT_MAX_ ||
        (!(q->flags & GL_BANK_HAS_OPENING) && q->opening_cents) ||
        (!(q->flags & GL_BANK_HAS_CLOSING) && q->closing_cents))
        return GL_ERR_RESERVED_NONZERO;
    if (!amount_ok(q->opening_cents) || !amount_ok(q->closing_cents))
        return GL_ERR_OVERFLOW;
    if (q->count == 0 || q->count > GL_BANK_IMPORT_MAX)
        return GL_ERR_COUNT_LIMIT;
    return GL_OK;
}

int gl_bank_import_decode(const uint8_t *body, size_t len, gl_bank_import_q *out,
                          uint32_t *bad_item)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    *bad_item = 0;
    out->account = gl_get_str8(&c, GL_ACCOUNT_MAX);
    out->account_id = gl_get_str8(&c, GL_BANK_ACCOUNT_ID_LEN_MAX);
    out->currency = gl_get_str8(&c, 3);
    out->statement_id = gl_get_str8(&c, GL_BANK_REF_LEN_MAX);
    out->from = gl_get_u32(&c);
    out->to = gl_get_u32(&c);
    out->flags = gl_get_u8(&c);
    out->opening_cents = gl_get_i64(&c);
    out->closing_cents = gl_get_i64(&c);
    out->format = gl_get_u8(&c);
    out->file_sha256 = gl_get_bytes(&c, 32);
    out->count = gl_get_u16(&c);
    int st = gl_cur_status(&c);
    if (st == GL_OK)
        st = head_check(out);
    if (st != GL_OK)
        return st;
    out->lines = c.pos;
    for (uint32_t i = 1; i <= out->count; i++) {
        gl_bank_line_w l;
        if ((st = gl_bank_line_get(&c, &l)) == GL_OK)
            st = line_check(&l);
        if (st != GL_OK) {
            *bad_item = i;
            return st;
        }
    }
    out->lines_len = (size_t)(c.pos - out->lines);
    return gl_cur_end(&c);
}

bool gl_bank_import_next(const gl_bank_import_q *q, size_t *pos, gl_bank_line_w *out)
{
    if (*pos >= q->lines_len)
        return false;
    gl_cur c;
    gl_cur_init_stored(&c, q->lines + *pos, q->lines_len - *pos);
    if (gl_bank_line_get(&c, out) != GL_OK)
        return false;
    *pos = (size_t)(c.pos - q->lines);
    return true;
}

void gl_bank_import_reply_encode(gl_buf *b, const gl_bank_import_reply *r)
{
    gl_put_u32(b, r->added);
    gl_put_u32(b, r->already);
    gl_put_u32(b, r->first_seq);
    gl_put_u8(b, r->gap);
    gl_put_i64(b, r->gap_cents);
    gl_put_u32(b, r->prev_closing_date);
    gl_put_i64(b, r->prev_closing_cents);
}

int gl_bank_import_reply_decode(const uint8_t *p, size_t len, gl_bank_import_reply *r)
{
    gl_cur c;
    gl_cur_init(&c, p, len);
    r->added = gl_get_u32(&c);
    r->already = gl_get_u32(&c);
    r->first_seq = gl_get_u32(&c);
    r->gap = gl_get_u8(&c);
    r->gap_cents = gl_get_i64(&c);
    r->prev_closing_date = gl_get_u32(&c);
    r->prev_closing_cents = gl_get_i64(&c);
    return gl_cur_end(&c);
}

void gl_bank_statement_event_encode(gl_buf *b, gl_str account, uint32_t first_seq,
                                    const uint16_t *index, uint16_t count)
{
    gl_put_str8(b, account.ptr, account.len);
    gl_put_u32(b, first_seq);
    gl_put_u16(b, count);
    for (uint16_t i = 0; i < count; i++)
        gl_put_u16(b, index[i]);
}

int gl_bank_statement_event_decode(const uint8_t *p, size_t len, gl_str *account,
                                   uint32_t *first_seq, const uint8_t **index, uint16_t *count)
{
    gl_cur c;
    gl_cur_init_stored(&c, p, len);
    *account = gl_get_str8(&c, GL_ACCOUNT_MAX);
    *first_seq = gl_get_u32(&c);
    *count = gl_get_u16(&c);
    *index = gl_get_bytes(&c, (size_t)*count * 2);
    return gl_cur_end(&c);
}

void gl_bank_lines_q_encode(gl_buf *b, const gl_bank_lines_q *q)
{
    gl_put_str8(b, q->account.ptr, q->account.len);
    gl_put_u32(b, q->from);
    gl_put_u32(b, q->to);
    gl_put_u32(b, q->after_date);
    gl_put_u32(b, q->after_seq);
}

int gl_bank_lines_q_decode(const uint8_t *body, size_t len, gl_bank_lines_q *out)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    out->account = gl_get_str8(&c, GL_ACCOUNT_MAX);
    out->from = gl_get_u32(&c);
    out->to = gl_get_u32(&c);
    out->after_date = gl_get_u32(&c);
    out->after_seq = gl_get_u32(&c);
    int st = gl_cur_end(&c);
    if (st == GL_OK &&
        ((out->from && !gl_date_valid(out->from)) || (out->to && !gl_date_valid(out->to)) ||
         (out->from && out->to && out->from > out->to)))
        st = GL_ERR_BAD_DATE;
    return st;
}

void gl_bank_row_encode(gl_buf *b, const gl_bank_row *r)
{
    gl_put_u32(b, r->seq);
    gl_bank_line_put(b, &r->line);
    gl_put_u8(b, r->matched);
    gl_put_u64(b, r->envelope);
}

int gl_bank_row_get(gl_cur *c, gl_bank_row *out)
{
    out->seq = gl_get_u32(c);
    gl_bank_line_get(c, &out->line);
    out->matched = gl_get_u8(c);
    out->envelope = gl_get_u64(c);
    return gl_cur_status(c);
}

void gl_bank_account_row_encode(gl_buf *b, const gl_bank_account_row *r)
{
    gl_bank_account_encode(b, &r->acct);
    gl_put_u32(b, r->lines);
    gl_put_u8(b, r->has_closing);
    gl_put_i64(b, r->closing_cents);
    gl_put_u32(b, r->closing_date);
}

int gl_bank_account_row_get(gl_cur *c, gl_bank_account_row *out)
{
    gl_bank_account_get(c, &out->acct);
    out->lines = gl_get_u32(c);
    out->has_closing = gl_get_u8(c);
    out->closing_cents = gl_get_i64(c);
    out->closing_date = gl_get_u32(c);
    return gl_cur_status(c);
}
