/*
 * proto/reply.c — the reply bodies of the tenant kinds (PROTOCOL.md §5.1-
 * §5.15, §5.17a): decoders that validate every row once, so that iterating
 * afterwards cannot fail, and the encoders the daemon writes them with.
 */
#include "reply.h"

#include "limits.h"
#include "status.h"

#include <string.h>

#define TEXT_MAX 255 /* any str8: the reply says what the ledger holds */
#define SIGNER_BYTES 32
#define HASH_BYTES 32

/* Fields a decoder knows are read in order; what follows them is a later
 * version's (PROTOCOL.md §3): ignored, hence gl_cur_status, not gl_cur_end. */
static int known_fields(const gl_cur *c) { return gl_cur_status(c); }

static void cur_of(gl_cur *c, gl_str body) { gl_cur_init_stored(c, body.ptr, body.len); }

static gl_str str8(gl_cur *c) { return gl_get_str8(c, TEXT_MAX); }

static void put_str8(gl_buf *b, gl_str s) { gl_put_str8(b, s.ptr, s.len); }

/* The rows of a list: count of them read with read_row from c, each
 * validated; the view spans them.  Stops at the first failure. */
typedef void (*row_reader)(gl_cur *c, void *row, bool flag);

static gl_str rows_check(gl_cur *c, uint32_t count, row_reader read_row, void *row, bool flag)
{
    const uint8_t *start = c->pos;
    for (uint32_t i = 0; i < count && gl_cur_status(c) == GL_OK; i++)
        read_row(c, row, flag);
    return gl_reply_view(start, gl_cur_status(c) == GL_OK ? (size_t)(c->pos - start) : 0);
}

static void iter_init(gl_reply_iter *it, gl_str rows, uint32_t count, bool letters)
{
    gl_cur_init_stored(&it->cur, rows.ptr, rows.len);
    it->left = count;
    it->letters = letters;
}

static int iter_next(gl_reply_iter *it, row_reader read_row, void *row)
{
    if (it->left == 0)
        return 0;
    read_row(&it->cur, row, it->letters);
    it->left--;
    int st = gl_cur_status(&it->cur);
    return st == GL_OK ? 1 : -st;
}

static void patch32(gl_buf *b, size_t at, uint32_t v)
{
    if (gl_buf_ok(b))
        gl_be32(b->data + at, v);
}

static void patch16(gl_buf *b, size_t at, uint16_t v)
{
    if (gl_buf_ok(b))
        gl_be16(b->data + at, v);
}

/* --- PING --- */

int gl_reply_ping_decode(gl_str body, gl_reply_ping *out)
{
    gl_cur c;
    gl_cur_init(&c, body.ptr, body.len); /* a key's own text: the strict rule */
    out->version = gl_get_str8(&c, GL_PING_TEXT_MAX);
    out->now_ms = gl_get_i64(&c);
    out->ledger_id = gl_get_bytes(&c, GL_LEDGER_ID_BYTES);
    out->role = gl_get_u8(&c);
    out->tenant = gl_get_str8(&c, GL_TENANT_MAX);
    out->key_name = gl_get_str8(&c, GL_PING_TEXT_MAX);
    return known_fields(&c);
}

void gl_reply_ping_encode(gl_buf *b, const gl_reply_ping *r)
{
    put_str8(b, r->version);
    gl_put_i64(b, r->now_ms);
    gl_put_bytes(b, r->ledger_id, GL_LEDGER_ID_BYTES);
    gl_put_u8(b, r->role);
    put_str8(b, r->tenant);
    put_str8(b, r->key_name);
}

/* --- two counters: ACCOUNTS_OPEN, ACCOUNT_LABEL --- */

static int pair_decode(gl_str body, uint32_t *a, uint32_t *b)
{
    gl_cur c;
    cur_of(&c, body);
    *a = gl_get_u32(&c);
    *b = gl_get_u32(&c);
    return known_fields(&c);
}

int gl_reply_accounts_open_decode(gl_str body, gl_reply_accounts_open *out)
{
    return pair_decode(body, &out->opened, &out->skipped);
}

void gl_reply_accounts_open_encode(gl_buf *b, const gl_reply_accounts_open *r)
{
    gl_put_u32(b, r->opened);
    gl_put_u32(b, r->skipped);
}

int gl_reply_account_label_decode(gl_str body, gl_reply_account_label *out)
{
    return pair_decode(body, &out->changed, &out->unchanged);
}

void gl_reply_account_label_encode(gl_buf *b, const gl_reply_account_label *r)
{
    gl_put_u32(b, r->changed);
    gl_put_u32(b, r->unchanged);
}

/* --- ACCOUNTS_LIST --- */

static void accounts_row(gl_cur *c, void *p, bool flag)
{
    (void)flag;
    gl_reply_accounts_list_row *row = p;
    row->account = str8(c);
    row->label = str8(c);
    row->state = gl_get_u8(c);
}

int gl_reply_accounts_list_decode(gl_str body, gl_reply_accounts_list *out)
{
    gl_cur c;
    gl_reply_accounts_list_row row;
    cur_of(&c, body);
    out->count = gl_get_u32(&c);
    out->rows = rows_check(&c, out->count, accounts_row, &row, false);
    return known_fields(&c);
}

void gl_reply_accounts_list_iter_init(gl_reply_accounts_list_iter *it,
                                      const gl_reply_accounts_list *r)
{
    iter_init(it, r->rows, r->count, false);
}

int gl_reply_accounts_list_next(gl_reply_accounts_list_iter *it, gl_reply_accounts_list_row *row)
{
    return iter_next(it, accounts_row, row);
}

void gl_reply_accounts_list_encode(gl_buf *b, const gl_reply_accounts_list *r)
{
    gl_put_u32(b, r->count);
    gl_put_bytes(b, r->rows.ptr, r->rows.len);
}

size_t gl_reply_accounts_list_begin(gl_buf *b)
{
    size_t at = b->len;
    gl_put_u32(b, 0);
    return at;
}

void gl_reply_accounts_list_put_row(gl_buf *b, const gl_reply_accounts_list_row *row)
{
    put_str8(b, row->account);
    put_str8(b, row->label);
    gl_put_u8(b, row->state);
}

void gl_reply_accounts_list_end(gl_buf *b, size_t count_at, uint32_t count)
{
    patch32(b, count_at, count);
}

/* --- POST --- */

static void post_row(gl_cur *c, void *p, bool flag)
{
    (void)flag;
    gl_reply_post_row *row = p;
    row->fy = gl_get_u16(c);
    row->num = gl_get_u32(c);
}

int gl_reply_post_decode(gl_str body, gl_reply_post *out)
{
    gl_cur c;
    gl_reply_post_row row;
    cur_of(&c, body);
    out->count = gl_get_u32(&c);
    out->rows = rows_check(&c, out->count, post_row, &row, false);
    return known_fields(&c);
}

void gl_reply_post_iter_init(gl_reply_post_iter *it, const gl_reply_post *r)
{
    iter_init(it, r->rows, r->count, false);
}

int gl_reply_post_next(gl_reply_post_iter *it, gl_reply_post_row *row)
{
    return iter_next(it, post_row, row);
}

void gl_reply_post_encode(gl_buf *b, const gl_reply_post *r)
{
    gl_put_u32(b, r->count);
    gl_put_bytes(b, r->rows.ptr, r->rows.len);
}

void gl_reply_post_begin(gl_buf *b, uint32_t count) { gl_put_u32(b, count); }

void gl_reply_post_put_row(gl_buf *b, const gl_reply_post_row *row)
{
    gl_put_u16(b, row->fy);
    gl_put_u32(b, row->num);
}

/* --- BALANCE --- */

/* flag: the row ends with its aux_label (request flag GL_BALANCE_AUX_LABELS). */
static void balance_row(gl_cur *c, void *p, bool flag)
{
    gl_reply_balance_row *row = p;
    row->account = str8(c);
    row->aux = str8(c);
    row->label = str8(c);
    row->debit = gl_get_i64(c);
    row->credit = gl_get_i64(c);
    row->aux_label = flag ? str8(c) : (gl_str){"", 0};
}

int gl_reply_balance_decode_flags(gl_str body, uint8_t request_flags, gl_reply_balance *out)
{
    gl_cur c;
    gl_reply_balance_row row;
    cur_of(&c, body);
    out->aux_labels = (request_flags & GL_BALANCE_AUX_LABELS) != 0;
    out->fy = gl_get_u16(&c);
    out->from = gl_get_u32(&c);
    out->at = gl_get_u32(&c);
    out->count = gl_get_u32(&c);
    out->rows = rows_check(&c, out->count, balance_row, &row, out->aux_labels);
    return known_fields(&c);
}

int gl_reply_balance_decode(gl_str body, gl_reply_balance *out)
{
    return gl_reply_balance_decode_flags(body, 0, out);
}

void gl_reply_balance_iter_init(gl_reply_balance_iter *it, const gl_reply_balance *r)
{
    iter_init(it, r->rows, r->count, r->aux_labels);
}

int gl_reply_balance_next(gl_reply_balance_iter *it, gl_reply_balance_row *row)
{
    return iter_next(it, balance_row, row);
}

size_t gl_reply_balance_begin(gl_buf *b, const gl_reply_balance *head)
{
    gl_put_u16(b, head->fy);
    gl_put_u32(b, head->from);
    gl_put_u32(b, head->at);
    size_t at = b->len;
    gl_put_u32(b, head->count);
    return at;
}

void gl_reply_balance_encode(gl_buf *b, const gl_reply_balance *r)
{
    gl_reply_balance_begin(b, r);
    gl_put_bytes(b, r->rows.ptr, r->rows.len);
}

void gl_reply_balance_put_row(gl_buf *b, const gl_reply_balance_row *row)
{
    put_str8(b, row->account);
    put_str8(b, row->aux);
    put_str8(b, row->label);
    gl_put_i64(b, row->debit);
    gl_put_i64(b, row->credit);
}

void gl_reply_balance_put_row_named(gl_buf *b, const gl_reply_balance_row *row)
{
    gl_reply_balance_put_row(b, row);
    put_str8(b, row->aux_label);
}

void gl_reply_balance_end(gl_buf *b, size_t count_at, uint32_t count)
{
    patch32(b, count_at, count);
}

/* --- letters --- */

static void letter_read(gl_cur *c, gl_reply_letter *l, bool dated)
{
    l->code = str8(c);
    l->date = dated ? gl_get_u32(c) : 0;
}

/* Skip n letters (validating them); the view of their bytes. */
static gl_str letters_check(gl_cur *c, uint16_t n, bool dated)
{
    const uint8_t *start = c->pos;
    gl_reply_letter l;
    for (uint16_t i = 0; i < n && gl_cur_status(c) == GL_OK; i++)
        letter_read(c, &l, dated);
    return gl_reply_view(start, gl_cur_status(c) == GL_OK ? (size_t)(c->pos - start) : 0);
}

static void letters_init(gl_reply_letter_iter *it, gl_str view, uint16_t n, bool dated)
{
    gl_cur_init_stored(&it->cur, view.ptr, view.len);
    it->left = n;
    it->dated = dated;
}

int gl_reply_letter_next(gl_reply_letter_iter *it, gl_reply_letter *out)
{
    if (it->left == 0)
        return 0;
    letter_read(&it->cur, out, it->dated);
    it->left--;
    int st = gl_cur_status(&it->cur);
    return st == GL_OK ? 1 : -st;
}

void gl_reply_letter_put(gl_buf *b, const gl_reply_letter *l, bool dated)
{
    put_str8(b, l->code);
    if (dated)
        gl_put_u32(b, l->date);
}

/* An entry_len u32 | entry in layout 2, decoded under the stored rule; the
 * whole entry must be consumed. */
static void entry_read(gl_cur *c, gl_entry *e)
{
    uint32_t len = gl_get_u32(c);
    const uint8_t *raw = gl_get_bytes(c, len);
    if (!raw) {
        memset(e, 0, sizeof *e);
        return;
    }
    gl_cur ec;
    gl_cur_init_stored(&ec, raw, len);
    gl_entry_decode(&ec, e);
    int st = gl_cur_end(&ec);
    if (st != GL_OK) {
        gl_cur_fail(c, st);
        memset(e, 0, sizeof *e);
    }
}

static int entry_put(gl_buf *b, const gl_entry *e)
{
    size_t len_at = b->len;
    gl_put_u32(b, 0);
    if (gl_entry_put(b, e, GL_LAYOUT_2) != GL_OK || !gl_buf_ok(b))
        return GL_ERR_NOMEM;
    gl_be32(b->data + len_at, (uint32_t)(b->len - len_at - 4));
    return GL_OK;
}

/* --- JOURNAL --- */

static void journal_row(gl_cur *c, void *p, bool letters)
{
    gl_reply_journal_row *row = p;
    row->fy = gl_get_u16(c);
    row->num = gl_get_u32(c);
    row->recorded_ms = gl_get_i64(c);
    row->signer = gl_get_bytes(c, SIGNER_BYTES);
    entry_read(c, &row->entry);
    row->letters =
        letters ? letters_check(c, row->entry.line_count, true) : gl_reply_view(c->pos, 0);
}

int gl_reply_journal_decode(gl_str body, bool letters, gl_reply_journal *out)
{
    gl_cur c;
    gl_reply_journal_row row;
    cur_of(&c, body);
    out->letters = letters;
    out->watermark = gl_get_u64(&c);
    out->more = gl_get_u8(&c);
    out->next_fy = gl_get_u16(&c);
    out->next_num = gl_get_u32(&c);
    out->count = gl_get_u32(&c);
    out->rows = rows_check(&c, out->count, journal_row, &row, letters);
    return known_fields(&c);
}

void gl_reply_journal_iter_init(gl_reply_journal_iter *it, const gl_reply_journal *r)
{
    iter_init(it, r->rows, r->count, r->letters);
}

int gl_reply_journal_next(gl_reply_journal_iter *it, gl_reply_journal_row *row)
{
    return iter_next(it, journal_row, row);
}

void gl_reply_journal_letters(const gl_reply_journal_row *row, gl_reply_letter_iter *it)
{
    letters_init(it, row->letters, row->letters.len ? row->entry.line_count : 0, true);
}

int gl_reply_journal_page(gl_str body, gl_journal_q *q, gl_reply_journal *out,
                          gl_reply_journal_iter *it)
{
    int st = gl_reply_journal_decode(body, q->flags & GL_JOURNAL_LETTERS, out);
    if (st != GL_OK)
        return st;
    q->watermark = out->watermark;
    q->after_fy = out->next_fy;
    q->after_num = out->next_num;
    gl_reply_journal_iter_init(it, out);
    return GL_OK;
}

void gl_reply_journal_encode(gl_buf *b, const gl_reply_journal *r)
{
    gl_put_u64(b, r->watermark);
    gl_put_u8(b, r->more);
    gl_put_u16(b, r->next_fy);
    gl_put_u32(b, r->next_num);
    gl_put_u32(b, r->count);
    gl_put_bytes(b, r->rows.ptr, r->rows.len);
}

int gl_reply_journal_put_row(gl_buf *b, const gl_reply_journal_row *row)
{
    gl_put_u16(b, row->fy);
    gl_put_u32(b, row->num);
    gl_put_i64(b, row->recorded_ms);
    gl_put_bytes(b, row->signer, SIGNER_BYTES);
    return entry_put(b, &row->entry);
}

/* --- LEDGER --- */

static void ledger_row(gl_cur *c, void *p, bool flag)
{
    (void)flag;
    gl_reply_ledger_row *row = p;
    row->date = gl_get_u32(c);
    row->fy = gl_get_u16(c);
    row->num = gl_get_u32(c);
    row->line = gl_get_u16(c);
    row->journal = str8(c);
    row->piece_ref = str8(c);
    row->label = str8(c);
    row->aux = str8(c);
    row->amount = gl_get_i64(c);
    row->letter = str8(c);
}

int gl_reply_ledger_decode(gl_str body, gl_reply_ledger *out)
{
    gl_cur c;
    gl_reply_ledger_row row;
    cur_of(&c, body);
    out->watermark = gl_get_u64(&c);
    out->more = gl_get_u8(&c);
    out->next_date = gl_get_u32(&c);
    out->next_fy = gl_get_u16(&c);
    out->next_num = gl_get_u32(&c);
    out->next_line = gl_get_u16(&c);
    out->opening = gl_get_i64(&c);
    out->count = gl_get_u32(&c);
    out->rows = rows_check(&c, out->count, ledger_row, &row, false);
    return known_fields(&c);
}

void gl_reply_ledger_iter_init(gl_reply_ledger_iter *it, const gl_reply_ledger *r)
{
    iter_init(it, r->rows, r->count, false);
}

int gl_reply_ledger_next(gl_reply_ledger_iter *it, gl_reply_ledger_row *row)
{
    return iter_next(it, ledger_row, row);
}

void gl_reply_ledger_encode(gl_buf *b, const gl_reply_ledger *r)
{
    gl_put_u64(b, r->watermark);
    gl_put_u8(b, r->more);
    gl_put_u32(b, r->next_date);
    gl_put_u16(b, r->next_fy);
    gl_put_u32(b, r->next_num);
    gl_put_u16(b, r->next_line);
    gl_put_i64(b, r->opening);
    gl_put_u32(b, r->count);
    gl_put_bytes(b, r->rows.ptr, r->rows.len);
}

void gl_reply_ledger_put_row(gl_buf *b, const gl_reply_ledger_row *row)
{
    gl_put_u32(b, row->date);
    gl_put_u16(b, row->fy);
    gl_put_u32(b, row->num);
    gl_put_u16(b, row->line);
    put_str8(b, row->journal);
    put_str8(b, row->piece_ref);
    put_str8(b, row->label);
    put_str8(b, row->aux);
    gl_put_i64(b, row->amount);
    put_str8(b, row->letter);
}

/* --- ENTRY_GET --- */

int gl_reply_entry_get_decode(gl_str body, gl_reply_entry_get *out)
{
    gl_cur c;
    cur_of(&c, body);
    out->fy = gl_get_u16(&c);
    out->num = gl_get_u32(&c);
    out->recorded_ms = gl_get_i64(&c);
    out->signer = gl_get_bytes(&c, SIGNER_BYTES);
    out->reversed_by_fy = gl_get_u16(&c);
    out->reversed_by_num = gl_get_u32(&c);
    entry_read(&c, &out->entry);
    out->code_count = gl_get_u16(&c);
    out->codes = letters_check(&c, out->code_count, false);
    return known_fields(&c);
}

void gl_reply_entry_get_codes(const gl_reply_entry_get *r, gl_reply_letter_iter *it)
{
    letters_init(it, r->codes, r->code_count, false);
}

int gl_reply_entry_get_begin(gl_buf *b, const gl_reply_entry_get *head)
{
    gl_put_u16(b, head->fy);
    gl_put_u32(b, head->num);
    gl_put_i64(b, head->recorded_ms);
    gl_put_bytes(b, head->signer, SIGNER_BYTES);
    gl_put_u16(b, head->reversed_by_fy);
    gl_put_u32(b, head->reversed_by_num);
    int st = entry_put(b, &head->entry);
    gl_put_u16(b, head->code_count);
    return st;
}

void gl_reply_entry_get_encode(gl_buf *b, const gl_reply_entry_get *r)
{
    if (gl_reply_entry_get_begin(b, r) == GL_OK)
        gl_put_bytes(b, r->codes.ptr, r->codes.len);
}

/* --- LOCK, CLOSE_YEAR, LETTER, UNLETTER --- */

int gl_reply_lock_decode(gl_str body, gl_reply_lock *out)
{
    return pair_decode(body, &out->previous, &out->through);
}

void gl_reply_lock_encode(gl_buf *b, const gl_reply_lock *r)
{
    gl_put_u32(b, r->previous);
    gl_put_u32(b, r->through);
}

int gl_reply_close_year_decode(gl_str body, gl_reply_close_year *out)
{
    gl_cur c;
    cur_of(&c, body);
    out->result_fy = gl_get_u16(&c);
    out->result_num = gl_get_u32(&c);
    out->opening_fy = gl_get_u16(&c);
    out->opening_num = gl_get_u32(&c);
    out->result_cents = gl_get_i64(&c);
    return known_fields(&c);
}

void gl_reply_close_year_encode(gl_buf *b, const gl_reply_close_year *r)
{
    gl_put_u16(b, r->result_fy);
    gl_put_u32(b, r->result_num);
    gl_put_u16(b, r->opening_fy);
    gl_put_u32(b, r->opening_num);
    gl_put_i64(b, r->result_cents);
}

int gl_reply_letter_done_decode(gl_str body, gl_reply_letter_done *out)
{
    gl_cur c;
    cur_of(&c, body);
    out->code = str8(&c);
    out->date = gl_get_u32(&c);
    return known_fields(&c);
}

void gl_reply_letter_done_encode(gl_buf *b, const gl_reply_letter_done *r)
{
    put_str8(b, r->code);
    gl_put_u32(b, r->date);
}

int gl_reply_unletter_decode(gl_str body, gl_reply_unletter *out)
{
    gl_cur c;
    cur_of(&c, body);
    out->count = gl_get_u16(&c);
    return known_fields(&c);
}

void gl_reply_unletter_encode(gl_buf *b, const gl_reply_unletter *r) { gl_put_u16(b, r->count); }

/* --- PERIODS --- */

static void periods_row(gl_cur *c, void *p, bool flag)
{
    (void)flag;
    gl_reply_periods_row *row = p;
    row->fy = gl_get_u16(c);
    row->start = gl_get_u32(c);
    row->end = gl_get_u32(c);
    row->last_num = gl_get_u32(c);
    row->closed = gl_get_u8(c);
    row->result_num = gl_get_u32(c);
    row->opening_fy = gl_get_u16(c);
    row->opening_num = gl_get_u32(c);
    row->result_cents = gl_get_i64(c);
}

int gl_reply_periods_decode(gl_str body, gl_reply_periods *out)
{
    gl_cur c;
    gl_reply_periods_row row;
    cur_of(&c, body);
    out->name = str8(&c);
    out->siren = str8(&c);
    out->first_month = gl_get_u8(&c);
    out->code = str8(&c);
    out->locked_through = gl_get_u32(&c);
    out->count = gl_get_u16(&c);
    out->rows = rows_check(&c, out->count, periods_row, &row, false);
    /* The overdue months came later: a body without them is a daemon's
     * from before (PROTOCOL.md §5.13). */
    out->has_overdue = gl_cur_status(&c) == GL_OK && gl_cur_left(&c) >= 8;
    out->overdue_from = out->has_overdue ? gl_get_u32(&c) : 0;
    out->overdue_through = out->has_overdue ? gl_get_u32(&c) : 0;
    return known_fields(&c);
}

void gl_reply_periods_iter_init(gl_reply_periods_iter *it, const gl_reply_periods *r)
{
    iter_init(it, r->rows, r->count, false);
}

int gl_reply_periods_next(gl_reply_periods_iter *it, gl_reply_periods_row *row)
{
    return iter_next(it, periods_row, row);
}

size_t gl_reply_periods_begin(gl_buf *b, const gl_reply_periods *head)
{
    put_str8(b, head->name);
    put_str8(b, head->siren);
    gl_put_u8(b, head->first_month);
    put_str8(b, head->code);
    gl_put_u32(b, head->locked_through);
    size_t at = b->len;
    gl_put_u16(b, head->count);
    return at;
}

void gl_reply_periods_put_row(gl_buf *b, const gl_reply_periods_row *row)
{
    gl_put_u16(b, row->fy);
    gl_put_u32(b, row->start);
    gl_put_u32(b, row->end);
    gl_put_u32(b, row->last_num);
    gl_put_u8(b, row->closed);
    gl_put_u32(b, row->result_num);
    gl_put_u16(b, row->opening_fy);
    gl_put_u32(b, row->opening_num);
    gl_put_i64(b, row->result_cents);
}

void gl_reply_periods_end(gl_buf *b, size_t count_at, const gl_reply_periods *r)
{
    if (r->has_overdue) {
        gl_put_u32(b, r->overdue_from);
        gl_put_u32(b, r->overdue_through);
    }
    patch16(b, count_at, r->count);
}

void gl_reply_periods_encode(gl_buf *b, const gl_reply_periods *r)
{
    size_t at = gl_reply_periods_begin(b, r);
    gl_put_bytes(b, r->rows.ptr, r->rows.len);
    gl_reply_periods_end(b, at, r);
}

/* --- CHAIN --- */

static void chain_row(gl_cur *c, void *p, bool flag)
{
    (void)flag;
    gl_reply_chain_row *row = p;
    row->seq = gl_get_u64(c);
    row->record_len = gl_get_u32(c);
    row->record = gl_get_bytes(c, row->record_len);
}

int gl_reply_chain_decode(gl_str body, gl_reply_chain *out)
{
    gl_cur c;
    gl_reply_chain_row row;
    cur_of(&c, body);
    out->chain_seq = gl_get_u64(&c);
    out->head_hash = gl_get_bytes(&c, HASH_BYTES);
    out->count = gl_get_u16(&c);
    out->rows = rows_check(&c, out->count, chain_row, &row, false);
    return known_fields(&c);
}

void gl_reply_chain_iter_init(gl_reply_chain_iter *it, const gl_reply_chain *r)
{
    iter_init(it, r->rows, r->count, false);
}

int gl_reply_chain_next(gl_reply_chain_iter *it, gl_reply_chain_row *row)
{
    return iter_next(it, chain_row, row);
}

size_t gl_reply_chain_begin(gl_buf *b, const gl_reply_chain *head)
{
    gl_put_u64(b, head->chain_seq);
    gl_put_bytes(b, head->head_hash, HASH_BYTES);
    size_t at = b->len;
    gl_put_u16(b, head->count);
    return at;
}

void gl_reply_chain_put_row(gl_buf *b, const gl_reply_chain_row *row)
{
    gl_put_u64(b, row->seq);
    gl_put_u32(b, row->record_len);
    gl_put_bytes(b, row->record, row->record_len);
}

void gl_reply_chain_end(gl_buf *b, size_t count_at, uint16_t count) { patch16(b, count_at, count); }

void gl_reply_chain_encode(gl_buf *b, const gl_reply_chain *r)
{
    gl_reply_chain_begin(b, r);
    gl_put_bytes(b, r->rows.ptr, r->rows.len);
}

/* --- ENVELOPE --- */

int gl_reply_envelope_decode(gl_str body, gl_reply_envelope *out)
{
    out->request = body;
    return GL_OK;
}

void gl_reply_envelope_encode(gl_buf *b, const gl_reply_envelope *r)
{
    gl_put_bytes(b, r->request.ptr, r->request.len);
}
