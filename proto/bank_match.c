/*
 * proto/bank_match.c — the codecs of bank reconciliation (issue 18,
 * proto/bank_match.h): match sets, BANK_MATCH / BANK_UNMATCH /
 * BANK_MATCHES / BANK_RECON bodies and replies, the BANK_MATCH event.
 * Every decoder is total: a cursor over the bytes, one status at the end.
 */
#include "bank_match.h"

#include "date.h"
#include "limits.h"
#include "status.h"

static void put_ref(gl_buf *b, gl_line_ref r)
{
    gl_put_u16(b, r.fy);
    gl_put_u32(b, r.num);
    gl_put_u16(b, r.line);
}

static gl_line_ref ref_at(const uint8_t *p)
{
    return (gl_line_ref){gl_rd16(p), gl_rd32(p + 2), gl_rd16(p + 6)};
}

static bool ref_ok(gl_line_ref r) { return r.fy != 0 && r.num != 0 && r.line != 0; }

uint32_t gl_bank_match_seq(const gl_bank_match_set *s, uint8_t i)
{
    return gl_rd32(s->seqs + (size_t)i * 4);
}

gl_line_ref gl_bank_match_ref(const gl_bank_match_set *s, uint8_t i)
{
    return ref_at(s->refs + (size_t)i * 8);
}

void gl_bank_match_set_put(gl_buf *b, const uint32_t *seqs, uint8_t nbank, const gl_line_ref *refs,
                           uint8_t nbook)
{
    gl_put_u8(b, nbank);
    for (uint8_t i = 0; i < nbank; i++)
        gl_put_u32(b, seqs[i]);
    gl_put_u8(b, nbook);
    for (uint8_t i = 0; i < nbook; i++)
        put_ref(b, refs[i]);
}

/* One side's count: 1..GL_BANK_MATCH_SIDE_MAX. */
static uint8_t side_count(gl_cur *c)
{
    uint8_t n = gl_get_u8(c);
    if (gl_cur_status(c) == GL_OK && (n == 0 || n > GL_BANK_MATCH_SIDE_MAX))
        gl_cur_fail(c, GL_ERR_COUNT_LIMIT);
    return n;
}

int gl_bank_match_set_get(gl_cur *c, gl_bank_match_set *out)
{
    out->nbank = side_count(c);
    out->seqs = gl_get_bytes(c, (size_t)out->nbank * 4);
    out->nbook = side_count(c);
    out->refs = gl_get_bytes(c, (size_t)out->nbook * 8);
    for (uint8_t i = 0; gl_cur_status(c) == GL_OK && i < out->nbook; i++)
        if (!ref_ok(gl_bank_match_ref(out, i)))
            gl_cur_fail(c, GL_ERR_MALFORMED);
    return gl_cur_status(c);
}

void gl_bank_match_q_head(gl_buf *b, gl_str account, uint16_t count)
{
    gl_put_str8(b, account.ptr, account.len);
    gl_put_u16(b, count);
}

/* From the count on (the account, and first_match for an event, read):
 * count, then every set. */
static int sets_decode(gl_cur *c, gl_bank_match_q *out, uint32_t *bad_item)
{
    *bad_item = 0;
    out->count = gl_get_u16(c);
    if (gl_cur_status(c) == GL_OK && (out->count == 0 || out->count > GL_BANK_MATCH_BATCH_MAX))
        gl_cur_fail(c, GL_ERR_COUNT_LIMIT);
    if (gl_cur_status(c) != GL_OK)
        return gl_cur_status(c);
    out->sets = c->pos;
    for (uint32_t i = 1; i <= out->count; i++) {
        gl_bank_match_set s;
        if (gl_bank_match_set_get(c, &s) != GL_OK) {
            *bad_item = i;
            return gl_cur_status(c);
        }
    }
    out->len = (size_t)(c->pos - out->sets);
    return gl_cur_end(c);
}

int gl_bank_match_q_decode(const uint8_t *body, size_t len, gl_bank_match_q *out,
                           uint32_t *bad_item)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    out->account = gl_get_str8(&c, GL_ACCOUNT_MAX);
    return sets_decode(&c, out, bad_item);
}

bool gl_bank_match_next(const gl_bank_match_q *q, size_t *pos, gl_bank_match_set *out)
{
    if (*pos >= q->len)
        return false;
    gl_cur c;
    gl_cur_init_stored(&c, q->sets + *pos, q->len - *pos);
    if (gl_bank_match_set_get(&c, out) != GL_OK)
        return false;
    *pos = (size_t)(c.pos - q->sets);
    return true;
}

void gl_bank_match_reply_encode(gl_buf *b, const gl_bank_match_reply *r)
{
    gl_put_u32(b, r->first_match);
    gl_put_u16(b, r->count);
}

int gl_bank_match_reply_decode(const uint8_t *p, size_t len, gl_bank_match_reply *r)
{
    gl_cur c;
    gl_cur_init(&c, p, len);
    r->first_match = gl_get_u32(&c);
    r->count = gl_get_u16(&c);
    return gl_cur_end(&c);
}

void gl_bank_match_event_encode(gl_buf *b, gl_str account, uint32_t first_match,
                                const gl_bank_match_q *q)
{
    gl_put_str8(b, account.ptr, account.len);
    gl_put_u32(b, first_match);
    gl_put_u16(b, q->count);
    gl_put_bytes(b, q->sets, q->len);
}

int gl_bank_match_event_decode(const uint8_t *p, size_t len, uint32_t *first_match,
                               gl_bank_match_q *out)
{
    gl_cur c;
    gl_cur_init_stored(&c, p, len);
    out->account = gl_get_str8(&c, GL_ACCOUNT_MAX);
    *first_match = gl_get_u32(&c);
    uint32_t bad_item;
    return sets_decode(&c, out, &bad_item);
}

void gl_bank_unmatch_q_encode(gl_buf *b, const gl_bank_unmatch_q *q)
{
    gl_put_str8(b, q->account.ptr, q->account.len);
    gl_put_u32(b, q->match);
}

int gl_bank_unmatch_q_decode(const uint8_t *body, size_t len, gl_bank_unmatch_q *out)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    out->account = gl_get_str8(&c, GL_ACCOUNT_MAX);
    out->match = gl_get_u32(&c);
    if (gl_cur_status(&c) == GL_OK && out->match == 0)
        gl_cur_fail(&c, GL_ERR_MALFORMED);
    return gl_cur_end(&c);
}

void gl_bank_matches_q_encode(gl_buf *b, const gl_bank_matches_q *q)
{
    gl_put_str8(b, q->account.ptr, q->account.len);
    gl_put_u32(b, q->after);
    gl_put_u16(b, q->limit);
}

int gl_bank_matches_q_decode(const uint8_t *body, size_t len, gl_bank_matches_q *out)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    out->account = gl_get_str8(&c, GL_ACCOUNT_MAX);
    out->after = gl_get_u32(&c);
    out->limit = gl_get_u16(&c);
    if (gl_cur_status(&c) == GL_OK && (out->limit == 0 || out->limit > GL_BANK_PAGE_MAX))
        gl_cur_fail(&c, GL_ERR_COUNT_LIMIT);
    return gl_cur_end(&c);
}

void gl_bank_match_row_put(gl_buf *b, uint32_t match, uint8_t state, uint64_t envelope,
                           const uint32_t *seqs, uint8_t nbank, const gl_line_ref *refs,
                           uint8_t nbook)
{
    gl_put_u32(b, match);
    gl_put_u8(b, state);
    gl_put_u64(b, envelope);
    gl_bank_match_set_put(b, seqs, nbank, refs, nbook);
}

int gl_bank_match_row_get(gl_cur *c, gl_bank_match_row *out)
{
    out->match = gl_get_u32(c);
    out->state = gl_get_u8(c);
    out->envelope = gl_get_u64(c);
    if (gl_cur_status(c) == GL_OK && out->state != GL_BANK_MATCH_ACTIVE &&
        out->state != GL_BANK_MATCH_UNDONE)
        gl_cur_fail(c, GL_ERR_MALFORMED);
    gl_bank_match_set_get(c, &out->set);
    return gl_cur_status(c);
}

void gl_bank_recon_q_encode(gl_buf *b, const gl_bank_recon_q *q)
{
    gl_put_str8(b, q->account.ptr, q->account.len);
    gl_put_u32(b, q->at);
    gl_put_u8(b, q->flags);
}

int gl_bank_recon_q_decode(const uint8_t *body, size_t len, gl_bank_recon_q *out)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    out->account = gl_get_str8(&c, GL_ACCOUNT_MAX);
    out->at = gl_get_u32(&c);
    out->flags = gl_get_u8(&c);
    int st = gl_cur_end(&c);
    if (st == GL_OK && !gl_date_valid(out->at))
        st = GL_ERR_BAD_DATE;
    if (st == GL_OK && (out->flags & ~GL_BANK_RECON_LINES))
        st = GL_ERR_RESERVED_NONZERO;
    return st;
}

void gl_bank_recon_head_put(gl_buf *b, const gl_bank_recon_head *h)
{
    gl_put_u32(b, h->start);
    gl_put_u8(b, h->flags);
    gl_put_i64(b, h->bank_opening_cents);
    gl_put_i64(b, h->bank_at_cents);
    gl_put_i64(b, h->books_at_cents);
    gl_put_u32(b, h->last_statement);
}

int gl_bank_recon_head_get(gl_cur *c, gl_bank_recon_head *out)
{
    out->start = gl_get_u32(c);
    out->flags = gl_get_u8(c);
    out->bank_opening_cents = gl_get_i64(c);
    out->bank_at_cents = gl_get_i64(c);
    out->books_at_cents = gl_get_i64(c);
    out->last_statement = gl_get_u32(c);
    return gl_cur_status(c);
}

void gl_bank_book_row_put(gl_buf *b, const gl_bank_book_row *r)
{
    put_ref(b, r->ref);
    gl_put_u32(b, r->date);
    gl_put_i64(b, r->amount_cents);
    gl_put_str8(b, r->journal.ptr, r->journal.len);
    gl_put_str8(b, r->piece.ptr, r->piece.len);
    gl_put_str8(b, r->label.ptr, r->label.len);
}

int gl_bank_book_row_get(gl_cur *c, gl_bank_book_row *out)
{
    const uint8_t *p = gl_get_bytes(c, 8);
    out->ref = p ? ref_at(p) : (gl_line_ref){0, 0, 0};
    out->date = gl_get_u32(c);
    out->amount_cents = gl_get_i64(c);
    out->journal = gl_get_str8(c, GL_JOURNAL_MAX);
    out->piece = gl_get_str8(c, GL_PIECE_MAX);
    out->label = gl_get_str8(c, GL_LABEL_MAX);
    return gl_cur_status(c);
}

void gl_bank_recon_bank_put(gl_buf *b, uint32_t seq, const gl_bank_line_w *l)
{
    gl_put_u32(b, seq);
    gl_bank_line_put(b, l);
}

int gl_bank_recon_bank_get(gl_cur *c, uint32_t *seq, gl_bank_line_w *out)
{
    *seq = gl_get_u32(c);
    return gl_bank_line_get(c, out);
}
