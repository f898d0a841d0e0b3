/*
 * proto/analytic.c — analytic accounting (issue 19, proto/analytic.h):
 * names, the line item (line extension type 2), its sort, check and
 * weights, the AXIS/CODE/RULE_SET and ALLOC bodies and the AXES reply.
 * The BALANCE and LEDGER codecs are in analytic_reports.c.  Decoders are
 * total: every malformed shape is a status, never a read past the input.
 */
#include "analytic.h"

#include "assert.h"
#include "group.h"
#include "money.h"
#include "status.h"

#include <string.h>

/* --- names --- */

static bool axis_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
}

static bool code_first(char ch) { return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'); }

static bool code_char(char ch) { return code_first(ch) || ch == '_' || ch == '.' || ch == '-'; }

bool gl_an_axis_valid(gl_str axis)
{
    if (axis.len < 1 || axis.len > GL_AN_AXIS_MAX)
        return false;
    for (size_t i = 0; i < axis.len; i++)
        if (!axis_char(axis.ptr[i]))
            return false;
    return true;
}

bool gl_an_code_valid(gl_str code)
{
    if (code.len < 1 || code.len > GL_AN_CODE_MAX || !code_first(code.ptr[0]))
        return false;
    for (size_t i = 1; i < code.len; i++)
        if (!code_char(code.ptr[i]))
            return false;
    return true;
}

/* Byte order of two names: memcmp on the common part, then the shorter
 * first. */
static int name_cmp(gl_str a, gl_str b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    int c = n ? memcmp(a.ptr, b.ptr, n) : 0;
    if (c != 0)
        return c;
    return a.len < b.len ? -1 : a.len > b.len ? 1 : 0;
}

/* --- the line item --- */

/* One axis: axis str8 | count u8 | (code str8 | amount i64)*count. */
static bool split_get(gl_cur *c, bool allow_empty, gl_an_split *s)
{
    s->axis = gl_get_str8(c, GL_AN_AXIS_MAX);
    s->count = gl_get_u8(c);
    if (gl_cur_status(c) != GL_OK || !gl_an_axis_valid(s->axis))
        return false;
    if (s->count > GL_AN_SPLIT_MAX || (s->count == 0 && !allow_empty))
        return false;
    for (uint8_t i = 0; i < s->count; i++) {
        gl_an_share *sh = &s->shares[i];
        sh->code = gl_get_str8(c, GL_AN_CODE_MAX);
        sh->amount_cents = gl_get_i64(c);
        if (gl_cur_status(c) != GL_OK || !gl_an_code_valid(sh->code) || sh->amount_cents <= 0)
            return false;
        if (i > 0 && name_cmp(s->shares[i - 1].code, sh->code) >= 0)
            return false;
    }
    return true;
}

int gl_analytic_decode(const uint8_t *value, size_t value_len, bool allow_empty, gl_analytic *out)
{
    out->naxes = 0;
    if (value_len < 1 || value_len > GL_AN_ITEM_MAX)
        return GL_ERR_BAD_EXTENSION;
    gl_cur c;
    gl_cur_init(&c, value, value_len);
    while (gl_cur_left(&c) > 0) {
        if (out->naxes == GL_AN_LINE_AXES_MAX)
            return GL_ERR_BAD_EXTENSION;
        gl_an_split *s = &out->axes[out->naxes];
        if (!split_get(&c, allow_empty, s))
            return GL_ERR_BAD_EXTENSION;
        if (out->naxes > 0 && name_cmp(out->axes[out->naxes - 1].axis, s->axis) >= 0)
            return GL_ERR_BAD_EXTENSION;
        out->naxes++;
    }
    return GL_OK;
}

bool gl_line_analytic(const uint8_t *ext, size_t ext_len, gl_analytic *out)
{
    for (size_t pos = 0; pos + 2 <= ext_len; pos += 2 + (size_t)ext[pos + 1])
        if (ext[pos] == GL_EXT_ANALYTIC)
            return gl_analytic_decode(ext + pos + 2, ext[pos + 1], false, out) == GL_OK;
    out->naxes = 0;
    return false;
}

int gl_analytic_check_sum(const gl_analytic *a, int64_t amount_cents, size_t *bad_axis)
{
    for (size_t i = 0; i < a->naxes; i++) {
        const gl_an_split *s = &a->axes[i];
        if (s->count == 0)
            continue;
        int64_t sum = 0;
        bool ok = true;
        for (size_t j = 0; j < s->count && ok; j++)
            ok = gl_money_add(&sum, s->shares[j].amount_cents);
        if (!ok || sum != amount_cents) {
            *bad_axis = i;
            return GL_ERR_ANALYTIC_SPLIT_SUM;
        }
    }
    return GL_OK;
}

int gl_analytic_encode(const gl_analytic *a, uint8_t out[GL_AN_ITEM_MAX], size_t *out_len)
{
    gl_buf b;
    gl_buf_init(&b);
    for (size_t i = 0; i < a->naxes; i++) {
        const gl_an_split *s = &a->axes[i];
        gl_put_str8(&b, s->axis.ptr, s->axis.len);
        gl_put_u8(&b, s->count);
        for (size_t j = 0; j < s->count; j++) {
            gl_put_str8(&b, s->shares[j].code.ptr, s->shares[j].code.len);
            gl_put_i64(&b, s->shares[j].amount_cents);
        }
    }
    int st = GL_OK;
    if (!gl_buf_ok(&b))
        st = GL_ERR_NOMEM;
    else if (b.len > GL_AN_ITEM_MAX)
        st = GL_ERR_BAD_EXTENSION;
    else {
        if (b.len)
            memcpy(out, b.data, b.len);
        *out_len = b.len;
    }
    gl_buf_free(&b);
    return st;
}

size_t gl_analytic_item_put(uint8_t out[2 + GL_AN_ITEM_MAX], const gl_analytic *a)
{
    size_t len = 0;
    if (gl_analytic_encode(a, out + 2, &len) != GL_OK)
        return 0;
    out[0] = GL_EXT_ANALYTIC;
    out[1] = (uint8_t)len;
    return 2 + len;
}

static void shares_sort(gl_an_split *s)
{
    for (size_t i = 1; i < s->count; i++)
        for (size_t j = i; j > 0 && name_cmp(s->shares[j - 1].code, s->shares[j].code) > 0; j--) {
            gl_an_share t = s->shares[j];
            s->shares[j] = s->shares[j - 1];
            s->shares[j - 1] = t;
        }
}

static void axes_sort(gl_analytic *a)
{
    for (size_t i = 1; i < a->naxes; i++)
        for (size_t j = i; j > 0 && name_cmp(a->axes[j - 1].axis, a->axes[j].axis) > 0; j--) {
            gl_an_split t = a->axes[j];
            a->axes[j] = a->axes[j - 1];
            a->axes[j - 1] = t;
        }
}

bool gl_analytic_sort(gl_analytic *a)
{
    axes_sort(a);
    for (size_t i = 0; i < a->naxes; i++) {
        if (i > 0 && name_cmp(a->axes[i - 1].axis, a->axes[i].axis) == 0)
            return false;
        gl_an_split *s = &a->axes[i];
        shares_sort(s);
        for (size_t j = 1; j < s->count; j++)
            if (name_cmp(s->shares[j - 1].code, s->shares[j].code) == 0)
                return false;
    }
    return true;
}

bool gl_an_split_weights(int64_t amount_cents, const int64_t *weights, size_t n, int64_t *shares)
{
    if (n == 0 || amount_cents <= 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (weights[i] <= 0)
            return false;
    if (!gl_shares(amount_cents, weights, n, shares))
        return false;
    for (size_t i = 0; i < n; i++)
        if (shares[i] <= 0)
            return false;
    return true;
}

/* --- AXIS/CODE/RULE_SET --- */

void gl_an_axis_set_q_encode(gl_buf *b, const gl_an_axis_set_q *q)
{
    gl_put_str8(b, q->axis.ptr, q->axis.len);
    gl_put_u8(b, q->state);
    gl_put_str8(b, q->label.ptr, q->label.len);
}

int gl_an_axis_set_q_decode(const uint8_t *body, size_t len, gl_an_axis_set_q *out)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    out->axis = gl_get_str8(&c, GL_AN_AXIS_MAX);
    out->state = gl_get_u8(&c);
    out->label = gl_get_str8(&c, GL_LABEL_MAX);
    return gl_cur_end(&c);
}

void gl_an_code_set_q_encode(gl_buf *b, const gl_an_code_set_q *q)
{
    gl_put_str8(b, q->axis.ptr, q->axis.len);
    gl_put_str8(b, q->code.ptr, q->code.len);
    gl_put_u8(b, q->state);
    gl_put_str8(b, q->label.ptr, q->label.len);
}

int gl_an_code_set_q_decode(const uint8_t *body, size_t len, gl_an_code_set_q *out)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    out->axis = gl_get_str8(&c, GL_AN_AXIS_MAX);
    out->code = gl_get_str8(&c, GL_AN_CODE_MAX);
    out->state = gl_get_u8(&c);
    out->label = gl_get_str8(&c, GL_LABEL_MAX);
    return gl_cur_end(&c);
}

void gl_an_rule_set_q_encode(gl_buf *b, const gl_an_rule_set_q *q)
{
    gl_put_str8(b, q->axis.ptr, q->axis.len);
    gl_put_str8(b, q->prefix.ptr, q->prefix.len);
    gl_put_u8(b, q->required);
}

int gl_an_rule_set_q_decode(const uint8_t *body, size_t len, gl_an_rule_set_q *out)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    out->axis = gl_get_str8(&c, GL_AN_AXIS_MAX);
    out->prefix = gl_get_str8(&c, GL_ACCOUNT_MAX);
    out->required = gl_get_u8(&c);
    return gl_cur_end(&c);
}

/* --- ALLOC --- */

/* fy u16 | num u32 | line u16 | item_len u8 | item: the row's structure
 * (cursor errors), then its item (false: BAD_EXTENSION). */
static bool alloc_row_get(gl_cur *c, gl_an_alloc_row *out)
{
    out->fy = gl_get_u16(c);
    out->num = gl_get_u32(c);
    out->line = gl_get_u16(c);
    uint8_t item_len = gl_get_u8(c);
    const uint8_t *item = gl_get_bytes(c, item_len);
    if (gl_cur_status(c) != GL_OK)
        return true; /* the cursor holds the status */
    return gl_analytic_decode(item, item_len, true, &out->codes) == GL_OK;
}

int gl_an_alloc_q_decode(const uint8_t *body, size_t len, gl_an_alloc_q *out, uint32_t *bad_item)
{
    *bad_item = 0;
    gl_cur c;
    gl_cur_init(&c, body, len);
    out->count = gl_get_u16(&c);
    if (gl_cur_status(&c) == GL_OK && (out->count < 1 || out->count > GL_AN_ALLOC_MAX))
        gl_cur_fail(&c, GL_ERR_COUNT_LIMIT);
    out->rows = c.pos;
    gl_an_alloc_row row;
    for (uint32_t i = 0; i < out->count && gl_cur_status(&c) == GL_OK; i++)
        if (!alloc_row_get(&c, &row)) {
            *bad_item = i + 1;
            return GL_ERR_BAD_EXTENSION;
        }
    out->rows_len = gl_cur_status(&c) == GL_OK ? (size_t)(c.pos - out->rows) : 0;
    return gl_cur_end(&c);
}

void gl_an_alloc_iter_init(gl_an_alloc_iter *it, const gl_an_alloc_q *q)
{
    gl_cur_init(&it->cur, q->rows, q->rows_len);
    it->left = q->count;
}

bool gl_an_alloc_next(gl_an_alloc_iter *it, gl_an_alloc_row *out)
{
    if (it->left == 0)
        return false;
    it->left--;
    bool ok = alloc_row_get(&it->cur, out);
    GL_ASSERT(ok && gl_cur_status(&it->cur) == GL_OK); /* checked by the decoder */
    return true;
}

void gl_an_alloc_row_put(gl_buf *b, const gl_an_alloc_row *row)
{
    uint8_t item[GL_AN_ITEM_MAX];
    size_t item_len = 0;
    int st = gl_analytic_encode(&row->codes, item, &item_len);
    GL_ASSERT(st == GL_OK); /* the caller builds items that fit */
    gl_put_u16(b, row->fy);
    gl_put_u32(b, row->num);
    gl_put_u16(b, row->line);
    gl_put_u8(b, (uint8_t)item_len);
    gl_put_bytes(b, item, item_len);
}

/* --- the AXES reply --- */

int gl_an_axes_reply_begin(const uint8_t *body, size_t len, gl_an_axes_iter *it)
{
    gl_cur_init(&it->cur, body, len);
    it->left = gl_get_u16(&it->cur);
    return gl_cur_status(&it->cur);
}

static bool code_row_get(gl_cur *c, gl_an_code_row *out)
{
    out->code = gl_get_str8(c, GL_AN_CODE_MAX);
    out->state = gl_get_u8(c);
    out->label = gl_get_str8(c, GL_LABEL_MAX);
    return gl_cur_status(c) == GL_OK;
}

int gl_an_axes_reply_next(gl_an_axes_iter *it, gl_an_axis_row *out)
{
    if (gl_cur_status(&it->cur) != GL_OK)
        return gl_cur_status(&it->cur);
    if (it->left == 0)
        return GL_ERR_NOT_FOUND;
    it->left--;
    gl_cur *c = &it->cur;
    out->axis = gl_get_str8(c, GL_AN_AXIS_MAX);
    out->state = gl_get_u8(c);
    out->label = gl_get_str8(c, GL_LABEL_MAX);
    out->ncodes = gl_get_u16(c);
    out->codes = c->pos;
    gl_an_code_row code;
    for (uint32_t i = 0; i < out->ncodes && gl_cur_status(c) == GL_OK; i++)
        code_row_get(c, &code);
    out->codes_len = gl_cur_status(c) == GL_OK ? (size_t)(c->pos - out->codes) : 0;
    out->nrules = gl_get_u16(c);
    out->rules = c->pos;
    for (uint32_t i = 0; i < out->nrules && gl_cur_status(c) == GL_OK; i++)
        gl_get_str8(c, GL_ACCOUNT_MAX);
    out->rules_len = gl_cur_status(c) == GL_OK ? (size_t)(c->pos - out->rules) : 0;
    return gl_cur_status(c);
}

bool gl_an_axis_code_next(gl_cur *codes, gl_an_code_row *out)
{
    if (gl_cur_left(codes) == 0 || gl_cur_status(codes) != GL_OK)
        return false;
    return code_row_get(codes, out);
}

bool gl_an_axis_rule_next(gl_cur *rules, gl_str *prefix)
{
    if (gl_cur_left(rules) == 0 || gl_cur_status(rules) != GL_OK)
        return false;
    *prefix = gl_get_str8(rules, GL_ACCOUNT_MAX);
    return gl_cur_status(rules) == GL_OK;
}
