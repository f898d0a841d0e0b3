/*
 * proto/entry.c — canonical entry bytes in both layouts: decode, iterate,
 * ledger-free checks, encode, re-encode.  Decoding reads the lines once to
 * validate them, so iterating them later is infallible (asserted).
 */
#include "entry.h"

#include "analytic.h"
#include "assert.h"
#include "carry.h"
#include "date.h"
#include "money.h"
#include "status.h"

#include <string.h>

/* One defined item's value: its length, then its content. */
static int ext_item_check(int area, unsigned type, const uint8_t *value, unsigned value_len)
{
    if (area == GL_EXT_AREA_ENTRY && type == GL_EXT_VALID_DATE) {
        if (value_len != GL_EXT_VALID_DATE_LEN)
            return GL_ERR_BAD_EXTENSION;
        return gl_date_valid(gl_rd32(value)) ? GL_OK : GL_ERR_BAD_DATE;
    }
    if (area == GL_EXT_AREA_LINE && type == GL_EXT_OPEN_ITEM) /* only a close writes it (456) */
        return gl_open_item_check(value, value_len);
    if (area == GL_EXT_AREA_LINE && type == GL_EXT_ANALYTIC) {
        gl_analytic a;
        return gl_analytic_decode(value, value_len, false, &a);
    }
    return GL_ERR_RESERVED_NONZERO; /* not defined for this area */
}

int gl_ext_check(const uint8_t *items, size_t len, int area)
{
    GL_ASSERT(area == GL_EXT_AREA_ENTRY || area == GL_EXT_AREA_LINE);
    if (len > (area == GL_EXT_AREA_ENTRY ? GL_EXT_ENTRY_MAX : GL_EXT_LINE_MAX))
        return GL_ERR_BAD_EXTENSION;
    size_t pos = 0;
    unsigned last_type = 0;
    while (pos < len) {
        if (len - pos < 2)
            return GL_ERR_BAD_EXTENSION; /* an item header cut by the area's end */
        unsigned type = items[pos], value_len = items[pos + 1];
        if (type <= last_type) /* type 0, a repeat, or out of order */
            return GL_ERR_BAD_EXTENSION;
        if (len - pos - 2 < value_len)
            return GL_ERR_BAD_EXTENSION;
        last_type = type;
        pos += 2 + value_len;
    }
    /* Well-formed: now what each item says, in order. */
    for (pos = 0; pos < len; pos += 2 + items[pos + 1]) {
        int st = ext_item_check(area, items[pos], items + pos + 2, items[pos + 1]);
        if (st != GL_OK)
            return st;
    }
    return GL_OK;
}

uint32_t gl_entry_valid_date(const gl_entry *e)
{
    for (size_t pos = 0; pos < e->ext_len; pos += 2 + e->ext[pos + 1])
        if (e->ext[pos] == GL_EXT_VALID_DATE) {
            GL_ASSERT(e->ext[pos + 1] == GL_EXT_VALID_DATE_LEN); /* checked at decode */
            return gl_rd32(e->ext + pos + 2);
        }
    return 0;
}

size_t gl_ext_valid_date_put(uint8_t out[2 + GL_EXT_VALID_DATE_LEN], uint32_t date)
{
    if (!date)
        return 0;
    out[0] = GL_EXT_VALID_DATE;
    out[1] = GL_EXT_VALID_DATE_LEN;
    gl_be32(out + 2, date);
    return 2 + GL_EXT_VALID_DATE_LEN;
}

/* ext_len u16 | items: the items are checked, and returned. */
static const uint8_t *ext_decode(gl_cur *c, int area, uint16_t *len_out)
{
    size_t max_len = area == GL_EXT_AREA_ENTRY ? GL_EXT_ENTRY_MAX : GL_EXT_LINE_MAX;
    uint16_t len = gl_get_u16(c);
    *len_out = 0;
    if (gl_cur_status(c) != GL_OK)
        return NULL;
    if (len > max_len) {
        gl_cur_fail(c, GL_ERR_BAD_EXTENSION);
        return NULL;
    }
    const uint8_t *items = gl_get_bytes(c, len);
    if (!items)
        return NULL;
    int st = gl_ext_check(items, len, area);
    if (st != GL_OK) {
        gl_cur_fail(c, st);
        return NULL;
    }
    *len_out = len;
    return items;
}

static void line_decode(gl_cur *c, gl_line *l, int layout)
{
    l->account = gl_get_str8(c, GL_ACCOUNT_MAX);
    l->aux = gl_get_str8(c, GL_AUX_MAX);
    l->aux_label = gl_get_str8(c, GL_LABEL_MAX);
    l->label = gl_get_str8(c, GL_LABEL_MAX);
    l->side = gl_get_u8(c);
    l->amount_cents = gl_get_i64(c);
    if (gl_cur_status(c) == GL_OK && l->side != GL_SIDE_DEBIT && l->side != GL_SIDE_CREDIT)
        gl_cur_fail(c, GL_ERR_BAD_SIDE);
    l->ext = NULL;
    l->ext_len = 0;
    if (layout == GL_LAYOUT_2)
        l->ext = ext_decode(c, GL_EXT_AREA_LINE, &l->ext_len);
}

static void date_field(gl_cur *c, uint32_t *out)
{
    *out = gl_get_u32(c);
    if (gl_cur_status(c) == GL_OK && !gl_date_valid(*out))
        gl_cur_fail(c, GL_ERR_BAD_DATE);
}

void gl_entry_decode(gl_cur *c, gl_entry *e) { gl_entry_decode_layout(c, e, GL_LAYOUT_2); }

void gl_entry_decode_layout(gl_cur *c, gl_entry *e, int layout)
{
    GL_ASSERT(layout == GL_LAYOUT_1 || layout == GL_LAYOUT_2);
    memset(e, 0, sizeof *e);
    e->layout = (uint8_t)layout;
    e->raw = c->pos;
    e->tenant = gl_get_str8(c, GL_TENANT_MAX);
    date_field(c, &e->date);
    e->journal = gl_get_str8(c, GL_JOURNAL_MAX);
    e->piece_ref = gl_get_str8(c, GL_PIECE_MAX);
    date_field(c, &e->piece_date);
    e->label = gl_get_str8(c, GL_LABEL_MAX);
    e->reverses_fy = gl_get_u16(c);
    e->reverses_num = gl_get_u32(c);
    e->flags = gl_get_u8(c);
    if (gl_cur_status(c) == GL_OK && (e->flags & ~GL_ENTRY_FLAGS_ALL))
        gl_cur_fail(c, GL_ERR_RESERVED_NONZERO);
    if (layout == GL_LAYOUT_2)
        e->ext = ext_decode(c, GL_EXT_AREA_ENTRY, &e->ext_len);
    e->line_count = gl_get_u16(c);
    /* Only the entries a year close writes (flagged) may exceed GL_LINES_MAX. */
    if (gl_cur_status(c) == GL_OK && e->line_count > GL_LINES_MAX && !e->flags)
        gl_cur_fail(c, GL_ERR_COUNT_LIMIT);
    if (gl_cur_status(c) == GL_OK && (e->reverses_fy == 0) != (e->reverses_num == 0))
        gl_cur_fail(c, GL_ERR_MALFORMED);
    e->lines = c->pos;
    for (uint16_t i = 0; i < e->line_count && gl_cur_status(c) == GL_OK; i++) {
        gl_line l;
        line_decode(c, &l, layout);
    }
    e->lines_len = (size_t)(c->pos - e->lines);
    e->raw_len = (size_t)(c->pos - e->raw);
}

void gl_line_iter_init(gl_line_iter *it, const gl_entry *e)
{
    /* gl_entry_decode checked these lines under its cursor's rules (a
     * stored entry's may hold text written before a rule was added):
     * re-reading them must not apply a stricter one. */
    gl_cur_init_stored(&it->cur, e->lines, e->lines_len);
    it->left = e->line_count;
    it->layout = e->layout;
}

bool gl_line_next(gl_line_iter *it, gl_line *out)
{
    if (it->left == 0)
        return false;
    line_decode(&it->cur, out, it->layout);
    GL_ASSERT(gl_cur_status(&it->cur) == GL_OK);
    it->left--;
    return true;
}

bool gl_account_valid(gl_str a)
{
    if (a.len < 1 || a.len > GL_ACCOUNT_MAX || a.ptr[0] < '1' || a.ptr[0] > '9')
        return false;
    for (size_t i = 0; i < a.len; i++) {
        char ch = a.ptr[i];
        if (!((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z')))
            return false;
    }
    return true;
}

bool gl_journal_valid(gl_str j)
{
    if (j.len < 1 || j.len > GL_JOURNAL_MAX)
        return false;
    for (size_t i = 0; i < j.len; i++) {
        char ch = j.ptr[i];
        if (!((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z')))
            return false;
    }
    return true;
}

int64_t gl_line_signed(const gl_line *l)
{
    GL_ASSERT(l->amount_cents > 0);
    return l->side == GL_SIDE_DEBIT ? l->amount_cents : -l->amount_cents;
}

static bool same_str(gl_str a, gl_str b) { return a.len == b.len && !memcmp(a.ptr, b.ptr, a.len); }

/* Opposite lines: the same account, third party, amount and analytic codes
 * (so that a reversal undoes the analysis too), sides swapped. */
static bool lines_opposite(const gl_line *a, const gl_line *b)
{
    return a->amount_cents == b->amount_cents && a->side != b->side &&
           same_str(a->account, b->account) && same_str(a->aux, b->aux) &&
           same_str(gl_line_analytic_bytes(a->ext, a->ext_len),
                    gl_line_analytic_bytes(b->ext, b->ext_len));
}

bool gl_entry_opposite_pairs(const gl_entry *a, const gl_entry *b, uint16_t pair[GL_LINES_MAX])
{
    if (a->line_count != b->line_count || a->line_count > GL_LINES_MAX)
        return false;
    uint8_t used[(GL_LINES_MAX + 7) / 8] = {0};
    gl_line_iter ia, ib;
    gl_line la, lb;
    uint16_t n = 0;
    gl_line_iter_init(&ia, a);
    while (gl_line_next(&ia, &la)) {
        uint16_t k = 0;
        bool found = false;
        gl_line_iter_init(&ib, b);
        for (; !found && gl_line_next(&ib, &lb); k++)
            if (!(used[k / 8] & 1u << k % 8) && lines_opposite(&la, &lb)) {
                used[k / 8] |= (uint8_t)(1u << k % 8);
                pair[n] = (uint16_t)(k + 1);
                found = true;
            }
        if (!found)
            return false;
        n++;
    }
    return true;
}

/* The line's analytic shares (if any) sum to its amount on every axis. */
static bool line_shares_sum(const gl_line *l)
{
    gl_analytic a;
    size_t bad_axis;
    if (!gl_line_analytic(l->ext, l->ext_len, &a))
        return true;
    return gl_analytic_check_sum(&a, l->amount_cents, &bad_axis) == GL_OK;
}

int gl_entry_check(const gl_entry *e, uint32_t *bad_line)
{
    *bad_line = 0;
    if (!gl_journal_valid(e->journal))
        return GL_ERR_BAD_JOURNAL;
    if (e->line_count < 2)
        return GL_ERR_TOO_FEW_LINES;
    int64_t debit = 0, credit = 0;
    gl_line_iter it;
    gl_line l;
    uint32_t n = 0;
    gl_line_iter_init(&it, e);
    while (gl_line_next(&it, &l)) {
        n++;
        *bad_line = n;
        if (!gl_account_valid(l.account))
            return GL_ERR_BAD_ACCOUNT;
        if (l.amount_cents <= 0)
            return GL_ERR_AMOUNT_NOT_POSITIVE;
        if (!gl_money_add(l.side == GL_SIDE_DEBIT ? &debit : &credit, l.amount_cents))
            return GL_ERR_OVERFLOW;
        if (!line_shares_sum(&l))
            return GL_ERR_ANALYTIC_SPLIT_SUM;
    }
    *bad_line = 0;
    if (debit != credit)
        return GL_ERR_UNBALANCED;
    return GL_OK;
}

static bool fits(const char *s, size_t max) { return strlen(s) <= max; }

static void put_ext(gl_buf *out, const uint8_t *items, size_t len)
{
    gl_put_u16(out, (uint16_t)len);
    gl_put_bytes(out, items, len);
}

int gl_entry_encode(gl_buf *out, const gl_entry_in *e)
{
    return gl_entry_encode_layout(out, e, GL_LAYOUT_2);
}

int gl_entry_encode_layout(gl_buf *out, const gl_entry_in *e, int layout)
{
    GL_ASSERT(layout == GL_LAYOUT_1 || layout == GL_LAYOUT_2);
    size_t ext_max = layout == GL_LAYOUT_2 ? GL_EXT_ENTRY_MAX : 0;
    if (!fits(e->tenant, GL_TENANT_MAX) || !fits(e->journal, GL_JOURNAL_MAX) ||
        !fits(e->piece_ref, GL_PIECE_MAX) || !fits(e->label, GL_LABEL_MAX))
        return GL_ERR_STRING_TOO_LONG;
    if (e->line_count > (e->flags ? UINT16_MAX : GL_LINES_MAX))
        return GL_ERR_COUNT_LIMIT;
    if (e->ext.len > ext_max)
        return GL_ERR_BAD_EXTENSION;
    for (size_t i = 0; i < e->line_count; i++) {
        const gl_line_in *l = &e->lines[i];
        if (!fits(l->account, GL_ACCOUNT_MAX) || !fits(l->aux, GL_AUX_MAX) ||
            !fits(l->aux_label, GL_LABEL_MAX) || !fits(l->label, GL_LABEL_MAX))
            return GL_ERR_STRING_TOO_LONG;
        if (e->line_ext && e->line_ext[i].len > (layout == GL_LAYOUT_2 ? GL_EXT_LINE_MAX : 0))
            return GL_ERR_BAD_EXTENSION;
    }
    gl_put_str8(out, e->tenant, strlen(e->tenant));
    gl_put_u32(out, e->date);
    gl_put_str8(out, e->journal, strlen(e->journal));
    gl_put_str8(out, e->piece_ref, strlen(e->piece_ref));
    gl_put_u32(out, e->piece_date);
    gl_put_str8(out, e->label, strlen(e->label));
    gl_put_u16(out, e->reverses_fy);
    gl_put_u32(out, e->reverses_num);
    gl_put_u8(out, e->flags);
    if (layout == GL_LAYOUT_2)
        put_ext(out, e->ext.items, e->ext.len);
    gl_put_u16(out, (uint16_t)e->line_count);
    for (size_t i = 0; i < e->line_count; i++) {
        const gl_line_in *l = &e->lines[i];
        gl_put_str8(out, l->account, strlen(l->account));
        gl_put_str8(out, l->aux, strlen(l->aux));
        gl_put_str8(out, l->aux_label, strlen(l->aux_label));
        gl_put_str8(out, l->label, strlen(l->label));
        gl_put_u8(out, l->side);
        gl_put_i64(out, l->amount_cents);
        if (layout == GL_LAYOUT_2)
            put_ext(out, e->line_ext ? e->line_ext[i].items : NULL,
                    e->line_ext ? e->line_ext[i].len : 0);
    }
    return gl_buf_ok(out) ? GL_OK : GL_ERR_NOMEM;
}

/* Every area of a decoded entry empty? */
static bool areas_empty(const gl_entry *e)
{
    if (e->ext_len)
        return false;
    gl_line_iter it;
    gl_line l;
    gl_line_iter_init(&it, e);
    while (gl_line_next(&it, &l))
        if (l.ext_len)
            return false;
    return true;
}

int gl_entry_put(gl_buf *out, const gl_entry *e, int layout)
{
    GL_ASSERT(layout == GL_LAYOUT_1 || layout == GL_LAYOUT_2);
    if (e->layout == layout) {
        gl_put_bytes(out, e->raw, e->raw_len);
        return gl_buf_ok(out) ? GL_OK : GL_ERR_NOMEM;
    }
    if (layout == GL_LAYOUT_1 && !areas_empty(e))
        return GL_ERR_BAD_EXTENSION;
    gl_put_str8(out, e->tenant.ptr, e->tenant.len);
    gl_put_u32(out, e->date);
    gl_put_str8(out, e->journal.ptr, e->journal.len);
    gl_put_str8(out, e->piece_ref.ptr, e->piece_ref.len);
    gl_put_u32(out, e->piece_date);
    gl_put_str8(out, e->label.ptr, e->label.len);
    gl_put_u16(out, e->reverses_fy);
    gl_put_u32(out, e->reverses_num);
    gl_put_u8(out, e->flags);
    if (layout == GL_LAYOUT_2)
        put_ext(out, e->ext, e->ext_len);
    gl_put_u16(out, e->line_count);
    gl_line_iter it;
    gl_line l;
    gl_line_iter_init(&it, e);
    while (gl_line_next(&it, &l)) {
        gl_put_str8(out, l.account.ptr, l.account.len);
        gl_put_str8(out, l.aux.ptr, l.aux.len);
        gl_put_str8(out, l.aux_label.ptr, l.aux_label.len);
        gl_put_str8(out, l.label.ptr, l.label.len);
        gl_put_u8(out, l.side);
        gl_put_i64(out, l.amount_cents);
        if (layout == GL_LAYOUT_2)
            put_ext(out, l.ext, l.ext_len);
    }
    return gl_buf_ok(out) ? GL_OK : GL_ERR_NOMEM;
}
