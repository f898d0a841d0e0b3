/*
 * proto/reply_group.c — the reply bodies of STATS, BACKUP, KEYRING,
 * TENANTS and the group (KEYS_SET … GROUP_RECONCILE); see reply_group.h.
 *
 * Each list has one function that reads a row from a cursor: the decoder
 * runs it over every row once (so a decoded reply is known whole), and the
 * iterator runs it again over the checked bytes.  Nothing here allocates.
 */
#include "reply_group.h"

#include "assert.h"
#include "limits.h"
#include "status.h"

#include <string.h>

/* --- shared plumbing ------------------------------------------------------ */

static void put_str8(gl_buf *b, gl_str s) { gl_put_str8(b, s.ptr, s.len); }

/* Where the reading stands, as a view from `from`. */
static gl_str span(const uint8_t *from, const gl_cur *c)
{
    return (gl_str){(const char *)from, (size_t)(c->pos - from)};
}

/* The start of every decode: the body under the stored-text rule, the
 * struct zeroed. */
static void start(gl_cur *c, gl_str body, void *out, size_t size)
{
    gl_cur_init_stored(c, body.ptr, body.len);
    memset(out, 0, size);
}

/* The end of a decode: the bytes read from the body's start; the cursor's
 * first failure, or GL_OK (what follows is ignored: PROTOCOL.md §3). */
static int finish(const gl_cur *c, gl_str body, size_t *len)
{
    *len = (size_t)(c->pos - (const uint8_t *)body.ptr);
    return gl_cur_status(c);
}

/* Reads one row from the cursor into *row (a gl_reply_X_row). */
typedef void (*row_fn)(gl_cur *c, void *row);

/* Read `count` rows into scratch, each over the last, stopping at the first
 * failure: the view of the rows read. */
static gl_str rows_check(gl_cur *c, uint32_t count, row_fn read, void *scratch)
{
    const uint8_t *at = c->pos;
    for (uint32_t i = 0; i < count && gl_cur_status(c) == GL_OK; i++)
        read(c, scratch);
    return span(at, c);
}

static void init(gl_cur *c, gl_str rows, uint32_t count, uint32_t *left)
{
    gl_cur_init_stored(c, rows.ptr, rows.len);
    *left = count;
}

/* The iterators' step: 0 after the last row, 1 and *row, or -1 if the row
 * does not decode. */
static int row_next(gl_cur *c, uint32_t *left, row_fn read, void *row)
{
    if (!*left)
        return 0;
    read(c, row);
    (*left)--;
    return gl_cur_status(c) == GL_OK ? 1 : -1;
}

static void set_u16(gl_buf *b, size_t at, uint16_t v)
{
    if (gl_buf_ok(b)) {
        GL_ASSERT(at + 2 <= b->len);
        gl_be16(b->data + at, v);
    }
}

static void set_u32(gl_buf *b, size_t at, uint32_t v)
{
    if (gl_buf_ok(b)) {
        GL_ASSERT(at + 4 <= b->len);
        gl_be32(b->data + at, v);
    }
}

/* --- STATS ---------------------------------------------------------------- */

size_t gl_reply_stats_encode(gl_buf *b, const gl_reply_stats *r)
{
    gl_put_u64(b, r->rss_anon_kb);
    gl_put_u64(b, r->rss_file_kb);
    size_t at = b->len;
    gl_put_u16(b, r->count);
    return at;
}

void gl_reply_stats_put_row(gl_buf *b, const gl_reply_stats_row *row)
{
    gl_put_u16(b, row->kind);
    gl_put_u64(b, row->count);
    gl_put_u64(b, row->p50_ns);
    gl_put_u64(b, row->p99_ns);
    gl_put_u64(b, row->max_ns);
}

static void stats_row(gl_cur *c, void *out)
{
    gl_reply_stats_row *row = out;
    row->kind = gl_get_u16(c);
    row->count = gl_get_u64(c);
    row->p50_ns = gl_get_u64(c);
    row->p99_ns = gl_get_u64(c);
    row->max_ns = gl_get_u64(c);
}

int gl_reply_stats_decode(gl_str body, gl_reply_stats *out)
{
    gl_cur c;
    start(&c, body, out, sizeof *out);
    out->rss_anon_kb = gl_get_u64(&c);
    out->rss_file_kb = gl_get_u64(&c);
    out->count = gl_get_u16(&c);
    gl_reply_stats_row row;
    out->rows = rows_check(&c, out->count, stats_row, &row);
    return finish(&c, body, &out->len);
}

void gl_reply_stats_iter_init(gl_reply_stats_iter *it, const gl_reply_stats *r)
{
    init(&it->c, r->rows, r->count, &it->left);
}

int gl_reply_stats_next(gl_reply_stats_iter *it, gl_reply_stats_row *row)
{
    return row_next(&it->c, &it->left, stats_row, row);
}

/* --- BACKUP --------------------------------------------------------------- */

void gl_reply_backup_encode(gl_buf *b, const gl_reply_backup *r)
{
    GL_ASSERT(r->path.len <= UINT16_MAX);
    gl_put_str16(b, r->path.ptr, r->path.len);
}

int gl_reply_backup_decode(gl_str body, gl_reply_backup *out)
{
    gl_cur c;
    start(&c, body, out, sizeof *out);
    out->path = gl_get_str16(&c, UINT16_MAX);
    return finish(&c, body, &out->len);
}

/* --- KEYRING -------------------------------------------------------------- */

size_t gl_reply_keyring_encode(gl_buf *b, const gl_reply_keyring *r)
{
    size_t at = b->len;
    gl_put_u32(b, r->count);
    return at;
}

void gl_reply_keyring_put_row(gl_buf *b, const gl_reply_keyring_row *row)
{
    GL_ASSERT(row->record.len <= UINT16_MAX);
    gl_put_bytes(b, row->public_key, GL_REPLY_KEY_BYTES);
    gl_put_u64(b, row->since_ms);
    gl_put_u16(b, (uint16_t)row->record.len);
    gl_put_bytes(b, row->record.ptr, row->record.len);
}

void gl_reply_keyring_set_count(gl_buf *b, size_t count_at, uint32_t count)
{
    set_u32(b, count_at, count);
}

static void keyring_row(gl_cur *c, void *out)
{
    gl_reply_keyring_row *row = out;
    row->public_key = gl_get_bytes(c, GL_REPLY_KEY_BYTES);
    row->since_ms = gl_get_u64(c);
    size_t n = gl_get_u16(c);
    const uint8_t *p = gl_get_bytes(c, n);
    row->record = p ? (gl_str){(const char *)p, n} : (gl_str){"", 0};
}

int gl_reply_keyring_decode(gl_str body, gl_reply_keyring *out)
{
    gl_cur c;
    start(&c, body, out, sizeof *out);
    out->count = gl_get_u32(&c);
    gl_reply_keyring_row row;
    out->rows = rows_check(&c, out->count, keyring_row, &row);
    return finish(&c, body, &out->len);
}

void gl_reply_keyring_iter_init(gl_reply_keyring_iter *it, const gl_reply_keyring *r)
{
    init(&it->c, r->rows, r->count, &it->left);
}

int gl_reply_keyring_next(gl_reply_keyring_iter *it, gl_reply_keyring_row *row)
{
    return row_next(&it->c, &it->left, keyring_row, row);
}

/* --- TENANTS -------------------------------------------------------------- */

size_t gl_reply_tenants_encode(gl_buf *b, const gl_reply_tenants *r)
{
    size_t at = b->len;
    gl_put_u16(b, r->count);
    return at;
}

void gl_reply_tenants_put_row(gl_buf *b, const gl_reply_tenants_row *row)
{
    put_str8(b, row->id);
    put_str8(b, row->name);
    put_str8(b, row->siren);
    gl_put_u8(b, row->first_month);
    put_str8(b, row->code);
}

void gl_reply_tenants_end(gl_buf *b, const gl_reply_tenants *r)
{
    put_str8(b, r->umbrella);
    put_str8(b, r->combination);
}

void gl_reply_tenants_set_count(gl_buf *b, size_t count_at, uint16_t count)
{
    set_u16(b, count_at, count);
}

/* Names and SIRENs come from the configuration: any str8. */
static void tenants_row(gl_cur *c, void *out)
{
    gl_reply_tenants_row *row = out;
    row->id = gl_get_str8(c, GL_TENANT_MAX);
    row->name = gl_get_str8(c, UINT8_MAX);
    row->siren = gl_get_str8(c, UINT8_MAX);
    row->first_month = gl_get_u8(c);
    row->code = gl_get_str8(c, GL_AUX_MAX);
}

int gl_reply_tenants_decode(gl_str body, gl_reply_tenants *out)
{
    gl_cur c;
    start(&c, body, out, sizeof *out);
    out->count = gl_get_u16(&c);
    gl_reply_tenants_row row;
    out->rows = rows_check(&c, out->count, tenants_row, &row);
    out->umbrella = gl_get_str8(&c, GL_TENANT_MAX);
    if (gl_cur_status(&c) == GL_OK && gl_cur_left(&c)) /* an older daemon ends here */
        out->combination = gl_get_str8(&c, GL_TENANT_MAX);
    return finish(&c, body, &out->len);
}

void gl_reply_tenants_iter_init(gl_reply_tenants_iter *it, const gl_reply_tenants *r)
{
    init(&it->c, r->rows, r->count, &it->left);
}

int gl_reply_tenants_next(gl_reply_tenants_iter *it, gl_reply_tenants_row *row)
{
    return row_next(&it->c, &it->left, tenants_row, row);
}

/* --- KEYS_SET, KEYS_GET --------------------------------------------------- */

void gl_reply_keys_set_encode(gl_buf *b, const gl_reply_keys_set *r)
{
    gl_put_u16(b, r->version);
    gl_put_u16(b, r->count);
}

int gl_reply_keys_set_decode(gl_str body, gl_reply_keys_set *out)
{
    gl_cur c;
    start(&c, body, out, sizeof *out);
    out->version = gl_get_u16(&c);
    out->count = gl_get_u16(&c);
    return finish(&c, body, &out->len);
}

size_t gl_reply_keys_get_encode(gl_buf *b, const gl_reply_keys_get *r)
{
    gl_put_u8(b, r->used);
    gl_put_u16(b, r->version);
    size_t at = b->len;
    gl_put_u16(b, r->count);
    return at;
}

void gl_reply_keys_get_put_row(gl_buf *b, const gl_reply_keys_row *row)
{
    put_str8(b, row->tenant);
    gl_put_u32(b, row->weight);
}

static void keys_row(gl_cur *c, void *out)
{
    gl_reply_keys_row *row = out;
    row->tenant = gl_get_str8(c, GL_TENANT_MAX);
    row->weight = gl_get_u32(c);
}

int gl_reply_keys_get_decode(gl_str body, gl_reply_keys_get *out)
{
    gl_cur c;
    start(&c, body, out, sizeof *out);
    out->used = gl_get_u8(&c);
    out->version = gl_get_u16(&c);
    out->count = gl_get_u16(&c);
    gl_reply_keys_row row;
    out->rows = rows_check(&c, out->count, keys_row, &row);
    return finish(&c, body, &out->len);
}

void gl_reply_keys_get_iter_init(gl_reply_keys_get_iter *it, const gl_reply_keys_get *r)
{
    init(&it->c, r->rows, r->count, &it->left);
}

int gl_reply_keys_get_next(gl_reply_keys_get_iter *it, gl_reply_keys_row *row)
{
    return row_next(&it->c, &it->left, keys_row, row);
}

/* --- RECHARGE, DUES ------------------------------------------------------- */

size_t gl_reply_posted_encode(gl_buf *b, const gl_reply_posted *r)
{
    size_t at = b->len;
    gl_put_u32(b, r->count);
    return at;
}

void gl_reply_posted_put_row(gl_buf *b, const gl_reply_posted_row *row)
{
    put_str8(b, row->tenant);
    gl_put_u16(b, row->fy);
    gl_put_u32(b, row->num);
}

void gl_reply_posted_set_count(gl_buf *b, size_t count_at, uint32_t count)
{
    set_u32(b, count_at, count);
}

static void posted_row(gl_cur *c, void *out)
{
    gl_reply_posted_row *row = out;
    row->tenant = gl_get_str8(c, GL_TENANT_MAX);
    row->fy = gl_get_u16(c);
    row->num = gl_get_u32(c);
}

int gl_reply_posted_decode(gl_str body, gl_reply_posted *out)
{
    gl_cur c;
    start(&c, body, out, sizeof *out);
    out->count = gl_get_u32(&c);
    gl_reply_posted_row row;
    out->rows = rows_check(&c, out->count, posted_row, &row);
    return finish(&c, body, &out->len);
}

void gl_reply_posted_iter_init(gl_reply_posted_iter *it, const gl_reply_posted *r)
{
    init(&it->c, r->rows, r->count, &it->left);
}

int gl_reply_posted_next(gl_reply_posted_iter *it, gl_reply_posted_row *row)
{
    return row_next(&it->c, &it->left, posted_row, row);
}

/* --- GROUP_BALANCE -------------------------------------------------------- */

size_t gl_reply_group_balance_encode(gl_buf *b, const gl_reply_group_balance *r)
{
    gl_put_u64(b, r->watermark);
    gl_put_u8(b, r->more);
    put_str8(b, r->next);
    gl_put_u32(b, r->at);
    gl_put_u8(b, r->n);
    for (size_t i = 0; i < r->n; i++) {
        put_str8(b, r->entities[i].tenant);
        gl_put_u16(b, r->entities[i].fy);
    }
    size_t at = b->len;
    gl_put_u32(b, r->count);
    return at;
}

void gl_reply_group_balance_put_row(gl_buf *b, uint8_t n, const gl_reply_group_balance_row *row)
{
    put_str8(b, row->account);
    put_str8(b, row->label);
    for (size_t i = 0; i < n; i++)
        gl_put_i64(b, row->net[i]);
    gl_put_i64(b, row->elim);
}

void gl_reply_group_balance_set_count(gl_buf *b, size_t count_at, uint32_t count)
{
    set_u32(b, count_at, count);
}

static void group_balance_row(gl_cur *c, uint8_t n, gl_reply_group_balance_row *row)
{
    row->account = gl_get_str8(c, GL_ACCOUNT_MAX);
    row->label = gl_get_str8(c, GL_LABEL_MAX);
    for (size_t i = 0; i < n; i++)
        row->net[i] = gl_get_i64(c);
    row->elim = gl_get_i64(c);
}

int gl_reply_group_balance_decode(gl_str body, gl_reply_group_balance *out)
{
    gl_cur c;
    start(&c, body, out, sizeof *out);
    out->watermark = gl_get_u64(&c);
    out->more = gl_get_u8(&c);
    out->next = gl_get_str8(&c, GL_ACCOUNT_MAX);
    out->at = gl_get_u32(&c);
    out->n = gl_get_u8(&c);
    for (size_t i = 0; i < out->n && gl_cur_status(&c) == GL_OK; i++) {
        out->entities[i].tenant = gl_get_str8(&c, GL_TENANT_MAX);
        out->entities[i].fy = gl_get_u16(&c);
    }
    out->count = gl_get_u32(&c);
    const uint8_t *rows_at = c.pos;
    gl_reply_group_balance_row row; /* its row size depends on n: not through rows_check */
    for (uint32_t i = 0; i < out->count && gl_cur_status(&c) == GL_OK; i++)
        group_balance_row(&c, out->n, &row);
    out->rows = span(rows_at, &c);
    if (gl_cur_status(&c) == GL_OK && gl_cur_left(&c)) {
        out->has_tail = 1;
        out->combination = gl_get_str8(&c, GL_TENANT_MAX);
        out->combination_fy = gl_get_u16(&c);
        const uint8_t *extras_at = c.pos;
        for (uint32_t i = 0; i < out->count && gl_cur_status(&c) == GL_OK; i++)
            (void)gl_get_bytes(&c, 16);
        out->extras = span(extras_at, &c);
    }
    return finish(&c, body, &out->len);
}

void gl_reply_group_balance_put_tail(gl_buf *b, const gl_reply_group_balance_tail *t)
{
    put_str8(b, t->combination);
    gl_put_u16(b, t->fy);
}

void gl_reply_group_balance_put_extra(gl_buf *b, int64_t gap, int64_t adj)
{
    gl_put_i64(b, gap);
    gl_put_i64(b, adj);
}

void gl_reply_group_balance_iter_init(gl_reply_group_balance_iter *it,
                                      const gl_reply_group_balance *r)
{
    init(&it->c, r->rows, r->count, &it->left);
    gl_cur_init_stored(&it->extras, r->extras.ptr, r->extras.len);
    it->n = r->n;
    it->has_tail = r->has_tail;
}

int gl_reply_group_balance_next(gl_reply_group_balance_iter *it, gl_reply_group_balance_row *row)
{
    if (!it->left)
        return 0;
    group_balance_row(&it->c, it->n, row);
    row->gap = it->has_tail ? gl_get_i64(&it->extras) : 0;
    row->adj = it->has_tail ? gl_get_i64(&it->extras) : 0;
    it->left--;
    return gl_cur_status(&it->c) == GL_OK && gl_cur_status(&it->extras) == GL_OK ? 1 : -1;
}

/* --- GROUP_RECONCILE ------------------------------------------------------ */

size_t gl_reply_reconcile_encode(gl_buf *b, const gl_reply_reconcile *r)
{
    gl_put_u32(b, r->at);
    size_t at = b->len;
    gl_put_u16(b, r->pairs);
    return at;
}

void gl_reply_reconcile_set_count(gl_buf *b, size_t count_at, uint16_t pairs)
{
    set_u16(b, count_at, pairs);
}

size_t gl_reply_reconcile_put_pair(gl_buf *b, const gl_reply_reconcile_pair *pair)
{
    put_str8(b, pair->tenant_a);
    put_str8(b, pair->tenant_b);
    gl_put_u8(b, pair->category);
    gl_put_i64(b, pair->pos_a);
    gl_put_i64(b, pair->pos_b);
    gl_put_u8(b, pair->status);
    gl_put_i64(b, pair->diff);
    size_t at = b->len;
    gl_put_u16(b, pair->unmatched);
    return at;
}

void gl_reply_reconcile_put_line(gl_buf *b, const gl_reply_reconcile_line *line)
{
    put_str8(b, line->tenant);
    gl_put_u16(b, line->fy);
    gl_put_u32(b, line->num);
    gl_put_u32(b, line->date);
    put_str8(b, line->account);
    gl_put_i64(b, line->amount);
    put_str8(b, line->label);
}

void gl_reply_reconcile_set_unmatched(gl_buf *b, size_t unmatched_at, uint16_t unmatched)
{
    set_u16(b, unmatched_at, unmatched);
}

static void reconcile_line(gl_cur *c, void *out)
{
    gl_reply_reconcile_line *line = out;
    line->tenant = gl_get_str8(c, GL_TENANT_MAX);
    line->fy = gl_get_u16(c);
    line->num = gl_get_u32(c);
    line->date = gl_get_u32(c);
    line->account = gl_get_str8(c, GL_ACCOUNT_MAX);
    line->amount = gl_get_i64(c);
    line->label = gl_get_str8(c, GL_LABEL_MAX);
}

/* A pair and its lines (read through, so that the next pair follows). */
static void reconcile_pair(gl_cur *c, void *out)
{
    gl_reply_reconcile_pair *pair = out;
    pair->tenant_a = gl_get_str8(c, GL_TENANT_MAX);
    pair->tenant_b = gl_get_str8(c, GL_TENANT_MAX);
    pair->category = gl_get_u8(c);
    pair->pos_a = gl_get_i64(c);
    pair->pos_b = gl_get_i64(c);
    pair->status = gl_get_u8(c);
    pair->diff = gl_get_i64(c);
    pair->unmatched = gl_get_u16(c);
    gl_reply_reconcile_line line;
    pair->lines = rows_check(c, pair->unmatched, reconcile_line, &line);
}

int gl_reply_reconcile_decode(gl_str body, gl_reply_reconcile *out)
{
    gl_cur c;
    start(&c, body, out, sizeof *out);
    out->at = gl_get_u32(&c);
    out->pairs = gl_get_u16(&c);
    gl_reply_reconcile_pair pair;
    out->rows = rows_check(&c, out->pairs, reconcile_pair, &pair);
    return finish(&c, body, &out->len);
}

void gl_reply_reconcile_iter_init(gl_reply_reconcile_iter *it, const gl_reply_reconcile *r)
{
    init(&it->c, r->rows, r->pairs, &it->left);
}

int gl_reply_reconcile_next(gl_reply_reconcile_iter *it, gl_reply_reconcile_pair *pair)
{
    return row_next(&it->c, &it->left, reconcile_pair, pair);
}

void gl_reply_reconcile_lines_init(gl_reply_reconcile_iter *it, const gl_reply_reconcile_pair *pair)
{
    init(&it->c, pair->lines, pair->unmatched, &it->left);
}

int gl_reply_reconcile_line_next(gl_reply_reconcile_iter *it, gl_reply_reconcile_line *line)
{
    return row_next(&it->c, &it->left, reconcile_line, line);
}
