/*
 * proto/budget.c — budgets on the wire (issue 19, proto/budget.h): the
 * rows, BUDGET_SET's body and its field rules, the BUDGETS query and
 * reply.  Decoders are total: every malformed shape is a status, never a
 * read past the input.
 */
#include "budget.h"

#include "analytic.h"
#include "assert.h"
#include "limits.h"
#include "money.h"
#include "status.h"

#include <string.h>

void gl_budget_row_put(gl_buf *b, const gl_budget_row *r)
{
    gl_put_str8(b, r->group.ptr, r->group.len);
    gl_put_i64(b, r->amount_cents);
}

static void row_get(gl_cur *c, gl_budget_row *out)
{
    out->group = gl_get_str8(c, GL_ACCOUNT_MAX);
    out->amount_cents = gl_get_i64(c);
}

/* count rows from c, structure only: the rows' view, or the cursor's
 * status. */
static void rows_get(gl_cur *c, uint16_t count, gl_budget_rows *out)
{
    out->count = count;
    out->rows = c->pos;
    gl_budget_row row;
    for (uint32_t i = 0; i < count && gl_cur_status(c) == GL_OK; i++)
        row_get(c, &row);
    out->rows_len = gl_cur_status(c) == GL_OK ? (size_t)(c->pos - out->rows) : 0;
}

void gl_budget_iter_init(gl_budget_iter *it, const gl_budget_rows *r)
{
    gl_cur_init_stored(&it->cur, r->rows, r->rows_len);
    it->left = r->count;
}

bool gl_budget_next(gl_budget_iter *it, gl_budget_row *out)
{
    if (it->left == 0)
        return false;
    it->left--;
    row_get(&it->cur, out);
    GL_ASSERT(gl_cur_status(&it->cur) == GL_OK); /* checked by the decoder */
    return true;
}

void gl_budget_set_q_head(gl_buf *b, gl_str action, uint16_t fy, uint16_t count)
{
    gl_put_str8(b, action.ptr, action.len);
    gl_put_u16(b, fy);
    gl_put_u16(b, count);
}

int gl_budget_set_q_decode(const uint8_t *body, size_t len, gl_budget_set_q *out)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    out->action = gl_get_str8(&c, GL_AN_CODE_MAX);
    out->fy = gl_get_u16(&c);
    uint16_t count = gl_get_u16(&c);
    if (gl_cur_status(&c) == GL_OK && count > GL_BUDGET_ROWS_MAX)
        gl_cur_fail(&c, GL_ERR_COUNT_LIMIT);
    rows_get(&c, count, &out->rows);
    return gl_cur_end(&c);
}

bool gl_budget_group_valid(gl_str group)
{
    if (group.len < 1 || group.len > GL_ACCOUNT_MAX || (group.ptr[0] != '6' && group.ptr[0] != '7'))
        return false;
    for (size_t i = 1; i < group.len; i++)
        if (group.ptr[i] < '0' || group.ptr[i] > '9')
            return false;
    return true;
}

/* b strictly after a in byte order, and a not a prefix of b (b cannot be
 * a prefix of a: it sorts after). */
static bool group_after(gl_str a, gl_str b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    int c = memcmp(a.ptr, b.ptr, n);
    return c < 0; /* c == 0: equal, or a prefix of b */
}

/* The rows: each group valid and after the previous one, each amount in
 * [0, GL_TOTAL_MAX_CENTS], their sum too. */
static const char *rows_field(const gl_budget_rows *rows, uint32_t *bad_row)
{
    gl_budget_iter it;
    gl_budget_iter_init(&it, rows);
    gl_budget_row row, prev = {{NULL, 0}, 0};
    int64_t total = 0;
    for (uint32_t i = 1; gl_budget_next(&it, &row); i++) {
        *bad_row = i;
        if (!gl_budget_group_valid(row.group))
            return "group";
        if (i > 1 && !group_after(prev.group, row.group))
            return "order";
        if (row.amount_cents < 0 || row.amount_cents > GL_TOTAL_MAX_CENTS)
            return "amount";
        if (!gl_money_add(&total, row.amount_cents) || total > GL_TOTAL_MAX_CENTS)
            return "total";
        prev = row;
    }
    *bad_row = 0;
    return NULL;
}

bool gl_budget_check(const gl_budget_set_q *q, const char **field, uint32_t *bad_row)
{
    *bad_row = 0;
    if (!gl_an_code_valid(q->action))
        *field = "action";
    else if (q->fy < 1900 || q->fy > 2999)
        *field = "fy";
    else
        *field = rows_field(&q->rows, bad_row);
    return *field == NULL;
}

void gl_budgets_q_encode(gl_buf *b, const gl_budgets_q *q)
{
    gl_put_u16(b, q->fy);
    gl_put_str8(b, q->action.ptr, q->action.len);
}

int gl_budgets_q_decode(const uint8_t *body, size_t len, gl_budgets_q *out)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    out->fy = gl_get_u16(&c);
    out->action = gl_get_str8(&c, GL_AN_CODE_MAX);
    return gl_cur_end(&c);
}

void gl_budget_version_head_put(gl_buf *b, gl_str action, uint16_t fy, uint16_t version,
                                int64_t recorded_ms, uint16_t rows)
{
    gl_put_str8(b, action.ptr, action.len);
    gl_put_u16(b, fy);
    gl_put_u16(b, version);
    gl_put_i64(b, recorded_ms);
    gl_put_u16(b, rows);
}

int gl_budgets_reply_begin(const uint8_t *body, size_t len, gl_budgets_iter *it)
{
    gl_cur_init_stored(&it->cur, body, len);
    it->left = gl_get_u16(&it->cur);
    if (gl_cur_status(&it->cur) == GL_OK && it->left > GL_BUDGETS_MAX)
        gl_cur_fail(&it->cur, GL_ERR_MALFORMED);
    return gl_cur_status(&it->cur);
}

int gl_budgets_reply_next(gl_budgets_iter *it, gl_budget_version *out)
{
    gl_cur *c = &it->cur;
    if (gl_cur_status(c) != GL_OK)
        return gl_cur_status(c);
    if (it->left == 0) {
        int st = gl_cur_end(c);
        return st == GL_OK ? GL_ERR_NOT_FOUND : st;
    }
    it->left--;
    out->action = gl_get_str8(c, GL_AN_CODE_MAX);
    out->fy = gl_get_u16(c);
    out->version = gl_get_u16(c);
    out->recorded_ms = gl_get_i64(c);
    uint16_t count = gl_get_u16(c);
    if (gl_cur_status(c) == GL_OK && count > GL_BUDGET_ROWS_MAX)
        gl_cur_fail(c, GL_ERR_MALFORMED);
    rows_get(c, count, &out->rows);
    return gl_cur_status(c);
}
