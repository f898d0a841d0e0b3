/*
 * proto/query.c — request bodies: total decoders (daemon) and encoders
 * (client).  Each decoder validates every item once so that iteration
 * afterwards cannot fail.
 */
#include "query.h"

#include "assert.h"
#include "date.h"
#include "limits.h"
#include "status.h"

#include <string.h>

/* The text rule a body is read under: the strict one (admission), or the
 * stored-text one for a request the ledger holds (gl_cur_init_stored). */
static void body_cur_init(gl_cur *c, const uint8_t *body, size_t len, bool stored)
{
    if (stored)
        gl_cur_init_stored(c, body, len);
    else
        gl_cur_init(c, body, len);
}

static void account_item_decode(gl_cur *c, gl_account_item *it)
{
    it->account = gl_get_str8(c, GL_ACCOUNT_MAX);
    it->label = gl_get_str8(c, GL_LABEL_MAX);
}

/* The (account, label) items of ACCOUNTS_OPEN and ACCOUNT_LABEL after
 * their count: 1 to max of them, each decoded (bad_item names the first
 * that is not), nothing after them. */
static int account_items_decode(gl_cur *c, uint32_t max, gl_accounts_open *out, uint32_t *bad_item)
{
    if (out->count == 0)
        return GL_ERR_NO_ENTRIES;
    if (out->count > max)
        return GL_ERR_COUNT_LIMIT;
    out->items = c->pos;
    for (uint32_t i = 0; i < out->count; i++) {
        gl_account_item it;
        account_item_decode(c, &it);
        if (gl_cur_status(c) != GL_OK) {
            *bad_item = i + 1;
            return gl_cur_status(c);
        }
    }
    out->items_len = (size_t)(c->pos - out->items);
    return gl_cur_end(c);
}

static int accounts_open_decode(const uint8_t *body, size_t len, bool stored, gl_accounts_open *out,
                                uint32_t *bad_item)
{
    gl_cur c;
    body_cur_init(&c, body, len, stored);
    *bad_item = 0;
    out->mode = gl_get_u8(&c);
    out->count = gl_get_u32(&c);
    if (gl_cur_status(&c) != GL_OK)
        return gl_cur_status(&c);
    if ((out->mode & ~GL_OPEN_HISTORY) > GL_OPEN_SKIP_EXISTING)
        return GL_ERR_MALFORMED;
    return account_items_decode(&c, GL_ACCOUNTS_MAX, out, bad_item);
}

int gl_accounts_open_decode(const uint8_t *body, size_t len, gl_accounts_open *out,
                            uint32_t *bad_item)
{
    return accounts_open_decode(body, len, false, out, bad_item);
}

int gl_accounts_open_decode_stored(const uint8_t *body, size_t len, gl_accounts_open *out,
                                   uint32_t *bad_item)
{
    return accounts_open_decode(body, len, true, out, bad_item);
}

static int account_label_decode(const uint8_t *body, size_t len, bool stored, gl_accounts_open *out,
                                uint32_t *bad_item)
{
    gl_cur c;
    body_cur_init(&c, body, len, stored);
    *bad_item = 0;
    out->mode = 0;
    out->count = gl_get_u32(&c);
    if (gl_cur_status(&c) != GL_OK)
        return gl_cur_status(&c);
    return account_items_decode(&c, GL_LABELS_MAX, out, bad_item);
}

int gl_account_label_decode(const uint8_t *body, size_t len, gl_accounts_open *out,
                            uint32_t *bad_item)
{
    return account_label_decode(body, len, false, out, bad_item);
}

int gl_account_label_decode_stored(const uint8_t *body, size_t len, gl_accounts_open *out,
                                   uint32_t *bad_item)
{
    return account_label_decode(body, len, true, out, bad_item);
}

/* The iterators re-read what the decoder checked, under its rule (which
 * may have been the stored-text one): they must not apply a stricter one
 * (as gl_line_iter_init). */
void gl_account_iter_init(gl_item_iter *it, const gl_accounts_open *o)
{
    gl_cur_init_stored(&it->cur, o->items, o->items_len);
    it->left = o->count;
}

bool gl_account_next(gl_item_iter *it, gl_account_item *out)
{
    if (it->left == 0)
        return false;
    account_item_decode(&it->cur, out);
    GL_ASSERT(gl_cur_status(&it->cur) == GL_OK);
    it->left--;
    return true;
}

int gl_post_decode(const uint8_t *body, size_t len, gl_post *out, uint32_t *bad_item)
{
    return gl_post_decode_layout(body, len, GL_LAYOUT_2, out, bad_item);
}

static int post_decode(const uint8_t *body, size_t len, int layout, bool stored, gl_post *out,
                       uint32_t *bad_item)
{
    gl_cur c;
    out->layout = (uint8_t)layout;
    body_cur_init(&c, body, len, stored);
    *bad_item = 0;
    out->follows = 0;
    out->count = gl_get_u32(&c);
    if (gl_cur_status(&c) != GL_OK)
        return gl_cur_status(&c);
    if (out->count == 0)
        return GL_ERR_NO_ENTRIES;
    if (out->count > GL_ENTRIES_MAX)
        return GL_ERR_COUNT_LIMIT;
    out->entries = c.pos;
    for (uint32_t i = 0; i < out->count; i++) {
        gl_entry e;
        gl_entry_decode_layout(&c, &e, layout);
        if (gl_cur_status(&c) != GL_OK) {
            *bad_item = i + 1;
            return gl_cur_status(&c);
        }
    }
    out->entries_len = (size_t)(c.pos - out->entries);
    out->follows = 0;
    if (layout == GL_LAYOUT_2 && gl_cur_left(&c) >= 8) {
        out->follows = gl_get_u64(&c);
        if (out->follows == 0)
            return GL_ERR_MALFORMED;
    }
    return gl_cur_end(&c);
}

int gl_post_decode_layout(const uint8_t *body, size_t len, int layout, gl_post *out,
                          uint32_t *bad_item)
{
    return post_decode(body, len, layout, false, out, bad_item);
}

int gl_post_decode_layout_stored(const uint8_t *body, size_t len, int layout, gl_post *out,
                                 uint32_t *bad_item)
{
    return post_decode(body, len, layout, true, out, bad_item);
}

void gl_post_iter_init(gl_item_iter *it, const gl_post *p)
{
    gl_cur_init_stored(&it->cur, p->entries, p->entries_len); /* see gl_account_iter_init */
    it->left = p->count;
    it->layout = p->layout;
}

bool gl_post_next(gl_item_iter *it, gl_entry *out)
{
    if (it->left == 0)
        return false;
    gl_entry_decode_layout(&it->cur, out, it->layout);
    GL_ASSERT(gl_cur_status(&it->cur) == GL_OK);
    it->left--;
    return true;
}

static void date_or_zero(gl_cur *c, uint32_t *out)
{
    *out = gl_get_u32(c);
    if (gl_cur_status(c) == GL_OK && *out != 0 && !gl_date_valid(*out))
        gl_cur_fail(c, GL_ERR_BAD_DATE);
}

static void date_required(gl_cur *c, uint32_t *out)
{
    *out = gl_get_u32(c);
    if (gl_cur_status(c) == GL_OK && !gl_date_valid(*out))
        gl_cur_fail(c, GL_ERR_BAD_DATE);
}

int gl_balance_q_decode(const uint8_t *body, size_t len, gl_balance_q *out)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    date_required(&c, &out->at);
    out->flags = gl_get_u8(&c);
    if (gl_cur_status(&c) == GL_OK &&
        (out->flags & ~(GL_BALANCE_AUX | GL_BALANCE_AFTER_CLOSING | GL_BALANCE_AUX_LABELS)))
        gl_cur_fail(&c, GL_ERR_RESERVED_NONZERO);
    return gl_cur_end(&c);
}

void gl_balance_q_encode(gl_buf *out, const gl_balance_q *q)
{
    gl_put_u32(out, q->at);
    gl_put_u8(out, q->flags);
}

void gl_page_limit_check(gl_cur *c, uint16_t limit)
{
    if (gl_cur_status(c) == GL_OK && (limit == 0 || limit > GL_PAGE_MAX))
        gl_cur_fail(c, GL_ERR_COUNT_LIMIT);
}

/* One text field of a filter: 1..max bytes, or bad_filter. */
static gl_str filter_str(gl_cur *c, size_t max)
{
    gl_str s = gl_get_str8(c, 255);
    if (gl_cur_status(c) == GL_OK && (s.len == 0 || s.len > max))
        gl_cur_fail(c, GL_ERR_BAD_FILTER);
    return s;
}

void gl_filter_decode(gl_cur *c, gl_filter *out, uint8_t allowed)
{
    gl_filter f = {.fields = gl_get_u8(c)};
    if (gl_cur_status(c) == GL_OK && (f.fields == 0 || (f.fields & ~allowed)))
        gl_cur_fail(c, GL_ERR_BAD_FILTER);
    if (f.fields & GL_FILTER_ACCOUNT) {
        f.account = filter_str(c, GL_ACCOUNT_MAX);
        if (gl_cur_status(c) == GL_OK && !gl_account_valid(f.account))
            gl_cur_fail(c, GL_ERR_BAD_FILTER);
    }
    if (f.fields & GL_FILTER_AUX)
        f.aux = filter_str(c, GL_AUX_MAX);
    if (f.fields & GL_FILTER_TEXT)
        f.text = filter_str(c, GL_LABEL_MAX);
    if (f.fields & GL_FILTER_JOURNAL) {
        f.journal = filter_str(c, GL_JOURNAL_MAX);
        if (gl_cur_status(c) == GL_OK && !gl_journal_valid(f.journal))
            gl_cur_fail(c, GL_ERR_BAD_FILTER);
    }
    if (f.fields & GL_FILTER_AMOUNT) {
        f.amount = gl_get_i64(c);
        if (gl_cur_status(c) == GL_OK && (f.amount <= 0 || f.amount > GL_FILTER_AMOUNT_MAX))
            gl_cur_fail(c, GL_ERR_BAD_FILTER);
    }
    if (f.fields & GL_FILTER_OPEN_AT)
        date_required(c, &f.open_at);
    *out = f;
}

void gl_filter_encode(gl_buf *out, const gl_filter *f)
{
    gl_put_u8(out, f->fields);
    if (f->fields & GL_FILTER_ACCOUNT)
        gl_put_str8(out, f->account.ptr, f->account.len);
    if (f->fields & GL_FILTER_AUX)
        gl_put_str8(out, f->aux.ptr, f->aux.len);
    if (f->fields & GL_FILTER_TEXT)
        gl_put_str8(out, f->text.ptr, f->text.len);
    if (f->fields & GL_FILTER_JOURNAL)
        gl_put_str8(out, f->journal.ptr, f->journal.len);
    if (f->fields & GL_FILTER_AMOUNT)
        gl_put_i64(out, f->amount);
    if (f->fields & GL_FILTER_OPEN_AT)
        gl_put_u32(out, f->open_at);
}

static int range_check(gl_cur *c, uint32_t from, uint32_t to, uint16_t limit)
{
    if (gl_cur_status(c) == GL_OK && from > to)
        gl_cur_fail(c, GL_ERR_DATE_RANGE);
    gl_page_limit_check(c, limit);
    return gl_cur_end(c);
}

int gl_journal_q_decode(const uint8_t *body, size_t len, gl_journal_q *out)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    date_required(&c, &out->from);
    date_required(&c, &out->to);
    out->watermark = gl_get_u64(&c);
    out->after_fy = gl_get_u16(&c);
    out->after_num = gl_get_u32(&c);
    out->limit = gl_get_u16(&c);
    out->flags = gl_get_u8(&c);
    out->filter = (gl_filter){0};
    if (gl_cur_status(&c) == GL_OK && (out->flags & ~(GL_JOURNAL_LETTERS | GL_JOURNAL_FILTER)))
        gl_cur_fail(&c, GL_ERR_RESERVED_NONZERO);
    if (gl_cur_status(&c) == GL_OK && (out->flags & GL_JOURNAL_FILTER))
        gl_filter_decode(&c, &out->filter, GL_FILTER_ALL & ~GL_FILTER_OPEN_AT);
    return range_check(&c, out->from, out->to, out->limit);
}

void gl_journal_q_encode(gl_buf *out, const gl_journal_q *q)
{
    gl_put_u32(out, q->from);
    gl_put_u32(out, q->to);
    gl_put_u64(out, q->watermark);
    gl_put_u16(out, q->after_fy);
    gl_put_u32(out, q->after_num);
    gl_put_u16(out, q->limit);
    gl_put_u8(out, q->flags);
    if (q->flags & GL_JOURNAL_FILTER)
        gl_filter_encode(out, &q->filter);
}

int gl_chain_q_decode(const uint8_t *body, size_t len, gl_chain_q *out)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    out->after_seq = gl_get_u64(&c);
    out->limit = gl_get_u16(&c);
    gl_page_limit_check(&c, out->limit);
    return gl_cur_end(&c);
}

void gl_chain_q_encode(gl_buf *out, const gl_chain_q *q)
{
    gl_put_u64(out, q->after_seq);
    gl_put_u16(out, q->limit);
}

int gl_u64_body_decode(const uint8_t *body, size_t len, uint64_t *out)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    *out = gl_get_u64(&c);
    return gl_cur_end(&c);
}

int gl_ledger_q_decode(const uint8_t *body, size_t len, gl_ledger_q *out)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    out->account = gl_get_str8(&c, GL_ACCOUNT_MAX);
    date_required(&c, &out->from);
    date_required(&c, &out->to);
    out->watermark = gl_get_u64(&c);
    date_or_zero(&c, &out->after_date);
    out->after_fy = gl_get_u16(&c);
    out->after_num = gl_get_u32(&c);
    out->after_line = gl_get_u16(&c);
    out->limit = gl_get_u16(&c);
    out->flags = gl_get_u8(&c);
    out->filter = (gl_filter){0};
    if (gl_cur_status(&c) == GL_OK && (out->flags & ~(GL_LEDGER_OPEN_ITEMS | GL_LEDGER_FILTER)))
        gl_cur_fail(&c, GL_ERR_RESERVED_NONZERO);
    if (gl_cur_status(&c) == GL_OK && (out->flags & GL_LEDGER_FILTER))
        gl_filter_decode(&c, &out->filter, GL_FILTER_ALL & ~GL_FILTER_ACCOUNT);
    return range_check(&c, out->from, out->to, out->limit);
}

void gl_ledger_q_encode(gl_buf *out, const gl_ledger_q *q)
{
    gl_put_str8(out, q->account.ptr, q->account.len);
    gl_put_u32(out, q->from);
    gl_put_u32(out, q->to);
    gl_put_u64(out, q->watermark);
    gl_put_u32(out, q->after_date);
    gl_put_u16(out, q->after_fy);
    gl_put_u32(out, q->after_num);
    gl_put_u16(out, q->after_line);
    gl_put_u16(out, q->limit);
    gl_put_u8(out, q->flags);
    if (q->flags & GL_LEDGER_FILTER)
        gl_filter_encode(out, &q->filter);
}

int gl_entry_ref_decode(const uint8_t *body, size_t len, gl_entry_ref *out)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    out->fy = gl_get_u16(&c);
    out->num = gl_get_u32(&c);
    if (gl_cur_status(&c) == GL_OK && (out->fy < 1900 || out->fy > 2999 || out->num == 0))
        gl_cur_fail(&c, GL_ERR_NOT_FOUND);
    return gl_cur_end(&c);
}

void gl_entry_ref_encode(gl_buf *out, const gl_entry_ref *r)
{
    gl_put_u16(out, r->fy);
    gl_put_u32(out, r->num);
}

int gl_lock_q_decode(const uint8_t *body, size_t len, gl_lock_q *out)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    out->through_ym = gl_get_u32(&c);
    out->mode = gl_get_u8(&c);
    if (gl_cur_status(&c) == GL_OK && !gl_month_valid(out->through_ym))
        gl_cur_fail(&c, GL_ERR_BAD_DATE);
    if (gl_cur_status(&c) == GL_OK && out->mode > GL_LOCK_NEXT_ONLY)
        gl_cur_fail(&c, GL_ERR_RESERVED_NONZERO);
    return gl_cur_end(&c);
}

void gl_lock_q_encode(gl_buf *out, const gl_lock_q *q)
{
    gl_put_u32(out, q->through_ym);
    gl_put_u8(out, q->mode);
}

int gl_close_q_decode(const uint8_t *body, size_t len, gl_close_q *out)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    out->fy = gl_get_u16(&c);
    if (gl_cur_status(&c) == GL_OK && (out->fy < 1900 || out->fy > 2998))
        gl_cur_fail(&c, GL_ERR_BAD_DATE);
    return gl_cur_end(&c);
}

void gl_close_q_encode(gl_buf *out, const gl_close_q *q) { gl_put_u16(out, q->fy); }

static int letter_q_decode(const uint8_t *body, size_t len, bool stored, gl_letter_q *out)
{
    gl_cur c;
    body_cur_init(&c, body, len, stored);
    out->account = gl_get_str8(&c, GL_ACCOUNT_MAX);
    out->aux = gl_get_str8(&c, GL_AUX_MAX);
    out->count = gl_get_u16(&c);
    if (gl_cur_status(&c) == GL_OK && out->count < 2)
        gl_cur_fail(&c, GL_ERR_NO_ENTRIES);
    if (gl_cur_status(&c) == GL_OK && out->count > GL_LETTER_LINES_MAX)
        gl_cur_fail(&c, GL_ERR_COUNT_LIMIT);
    out->refs = gl_get_bytes(&c, (size_t)out->count * 8);
    for (uint16_t i = 0; gl_cur_status(&c) == GL_OK && i < out->count; i++) {
        gl_line_ref r = gl_letter_ref(out, i);
        if (r.num == 0 || r.line == 0 || r.fy < 1900 || r.fy > 2999)
            gl_cur_fail(&c, GL_ERR_MALFORMED);
    }
    /* The optional lettering date: exactly four more bytes, a valid date.
     * Any other tail is left to gl_cur_end (trailing_bytes). */
    out->date = 0;
    if (gl_cur_status(&c) == GL_OK && c.end - c.pos == 4) {
        out->date = gl_get_u32(&c);
        if (!gl_date_valid(out->date))
            gl_cur_fail(&c, GL_ERR_BAD_DATE);
    }
    return gl_cur_end(&c);
}

int gl_letter_q_decode(const uint8_t *body, size_t len, gl_letter_q *out)
{
    return letter_q_decode(body, len, false, out);
}

int gl_letter_q_decode_stored(const uint8_t *body, size_t len, gl_letter_q *out)
{
    return letter_q_decode(body, len, true, out);
}

gl_line_ref gl_letter_ref(const gl_letter_q *q, uint16_t i)
{
    GL_ASSERT(i < q->count);
    const uint8_t *p = q->refs + (size_t)i * 8;
    return (gl_line_ref){gl_rd16(p), gl_rd32(p + 2), gl_rd16(p + 6)};
}

void gl_letter_q_encode(gl_buf *out, gl_str account, gl_str aux, const gl_line_ref *refs,
                        uint16_t count)
{
    gl_letter_q_encode_dated(out, account, aux, refs, count, 0);
}

void gl_letter_q_encode_dated(gl_buf *out, gl_str account, gl_str aux, const gl_line_ref *refs,
                              uint16_t count, uint32_t date)
{
    gl_put_str8(out, account.ptr, account.len);
    gl_put_str8(out, aux.ptr, aux.len);
    gl_put_u16(out, count);
    for (uint16_t i = 0; i < count; i++) {
        gl_put_u16(out, refs[i].fy);
        gl_put_u32(out, refs[i].num);
        gl_put_u16(out, refs[i].line);
    }
    if (date)
        gl_put_u32(out, date);
}

static int letter_batch_decode(const uint8_t *body, size_t len, bool stored,
                               gl_letter_batch_q *out, uint32_t *bad_item)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    out->count = gl_get_u16(&c);
    if (gl_cur_status(&c) == GL_OK && out->count == 0)
        gl_cur_fail(&c, GL_ERR_NO_ENTRIES);
    if (gl_cur_status(&c) == GL_OK && out->count > GL_LETTER_BATCH_MAX)
        gl_cur_fail(&c, GL_ERR_COUNT_LIMIT);
    out->sets = c.pos;
    out->len = gl_cur_status(&c) == GL_OK ? (size_t)(c.end - c.pos) : 0;
    for (uint16_t i = 0; gl_cur_status(&c) == GL_OK && i < out->count; i++) {
        uint16_t n = gl_get_u16(&c);
        const uint8_t *set = gl_get_bytes(&c, n);
        gl_letter_q q;
        int st = gl_cur_status(&c) == GL_OK ? letter_q_decode(set, n, stored, &q) : GL_OK;
        if (st != GL_OK)
            gl_cur_fail(&c, st);
        if (gl_cur_status(&c) != GL_OK)
            *bad_item = (uint32_t)i + 1;
    }
    return gl_cur_end(&c);
}

int gl_letter_batch_q_decode(const uint8_t *body, size_t len, gl_letter_batch_q *out,
                             uint32_t *bad_item)
{
    return letter_batch_decode(body, len, false, out, bad_item);
}

int gl_letter_batch_q_decode_stored(const uint8_t *body, size_t len, gl_letter_batch_q *out,
                                    uint32_t *bad_item)
{
    return letter_batch_decode(body, len, true, out, bad_item);
}

bool gl_letter_batch_next(const gl_letter_batch_q *q, size_t *pos, gl_letter_q *set)
{
    if (*pos + 2 > q->len)
        return false;
    size_t n = gl_rd16(q->sets + *pos);
    GL_ASSERT(*pos + 2 + n <= q->len); /* the decoder checked every set */
    int st = gl_letter_q_decode_stored(q->sets + *pos + 2, n, set);
    GL_ASSERT(st == GL_OK);
    *pos += 2 + n;
    return true;
}

void gl_letter_batch_put(gl_buf *out, const gl_buf *letter_body)
{
    gl_put_u16(out, (uint16_t)letter_body->len);
    gl_put_bytes(out, letter_body->data, letter_body->len);
}

void gl_letter_batch_count(gl_buf *out, uint16_t count)
{
    if (out->len >= 2 && gl_buf_ok(out)) {
        out->data[0] = (uint8_t)(count >> 8);
        out->data[1] = (uint8_t)count;
    }
}

static int unletter_q_decode(const uint8_t *body, size_t len, bool stored, gl_unletter_q *out)
{
    gl_cur c;
    body_cur_init(&c, body, len, stored);
    out->account = gl_get_str8(&c, GL_ACCOUNT_MAX);
    out->code = gl_get_str8(&c, GL_LETTER_CODE_MAX);
    return gl_cur_end(&c);
}

int gl_unletter_q_decode(const uint8_t *body, size_t len, gl_unletter_q *out)
{
    return unletter_q_decode(body, len, false, out);
}

int gl_unletter_q_decode_stored(const uint8_t *body, size_t len, gl_unletter_q *out)
{
    return unletter_q_decode(body, len, true, out);
}

void gl_unletter_q_encode(gl_buf *out, const gl_unletter_q *q)
{
    gl_put_str8(out, q->account.ptr, q->account.len);
    gl_put_str8(out, q->code.ptr, q->code.len);
}

size_t gl_letter_code(uint32_t index, char out[GL_LETTER_CODE_MAX + 1])
{
    char rev[8];
    size_t n = 0;
    while (index > 0 && n < sizeof rev) {
        index--;
        rev[n++] = (char)('A' + index % 26);
        index /= 26;
    }
    if (index > 0 || n > GL_LETTER_CODE_MAX) {
        out[0] = '\0';
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = rev[n - 1 - i];
    out[n] = '\0';
    return n;
}
