/*
 * proto/grant.c — grants on the wire (issue 19, proto/grant.h): the
 * record's codec, its own field rules, GRANT_SET's body and the GRANTS
 * reply.  Decoders are total: every malformed shape is a status, never a
 * read past the input.
 */
#include "grant.h"

#include "analytic.h"
#include "date.h"
#include "entry.h"
#include "limits.h"
#include "rules.h"
#include "status.h"

#include <string.h>

/* Every field after the code (and the op byte, in a GRANT_SET). */
static void grant_rest_put(gl_buf *b, const gl_grant *g)
{
    gl_put_str8(b, g->label.ptr, g->label.len);
    gl_put_str8(b, g->funder.ptr, g->funder.len);
    gl_put_str8(b, g->action.ptr, g->action.len);
    gl_put_str8(b, g->account.ptr, g->account.len);
    gl_put_i64(b, g->amount_cents);
    gl_put_u32(b, g->from);
    gl_put_u32(b, g->to);
    gl_put_u8(b, g->flags);
    gl_put_u8(b, g->flat_rate);
}

void gl_grant_put(gl_buf *b, const gl_grant *g)
{
    gl_put_str8(b, g->code.ptr, g->code.len);
    grant_rest_put(b, g);
}

static void grant_rest_get(gl_cur *c, gl_grant *out)
{
    out->label = gl_get_str8(c, GL_LABEL_MAX);
    out->funder = gl_get_str8(c, GL_AN_CODE_MAX);
    out->action = gl_get_str8(c, GL_AN_CODE_MAX);
    out->account = gl_get_str8(c, GL_ACCOUNT_MAX);
    out->amount_cents = gl_get_i64(c);
    out->from = gl_get_u32(c);
    out->to = gl_get_u32(c);
    out->flags = gl_get_u8(c);
    out->flat_rate = gl_get_u8(c);
}

int gl_grant_get(gl_cur *c, gl_grant *out)
{
    out->code = gl_get_str8(c, GL_GRANT_CODE_MAX);
    grant_rest_get(c, out);
    return gl_cur_status(c);
}

/* A delete names the code only: every other field empty or 0, so that the
 * chain never carries data nobody reads. */
static const char *delete_field(const gl_grant *g)
{
    if (g->label.len)
        return "label";
    if (g->funder.len)
        return "funder";
    if (g->action.len)
        return "action";
    if (g->account.len)
        return "account";
    if (g->amount_cents)
        return "amount";
    if (g->from)
        return "from";
    if (g->to)
        return "to";
    if (g->flags)
        return "flags";
    return g->flat_rate ? "flat_rate" : NULL;
}

/* An open product account: the chart's syntax, class 7. */
static bool product_account(gl_str account)
{
    return gl_account_valid(account) && account.ptr[0] == '7';
}

static const char *set_field(const gl_grant *g)
{
    if (g->label.len == 0 || gl_text_blank(g->label))
        return "label";
    if (!gl_an_code_valid(g->funder))
        return "funder";
    if (!gl_an_code_valid(g->action))
        return "action";
    if (!product_account(g->account))
        return "account";
    if (g->amount_cents <= 0 || g->amount_cents > GL_TOTAL_MAX_CENTS)
        return "amount";
    if (!gl_date_valid(g->from))
        return "from";
    if (!gl_date_valid(g->to))
        return "to";
    if (g->from > g->to)
        return "period";
    if (g->flags & ~GL_GRANT_FLAGS_ALL)
        return "flags";
    if (g->flat_rate != 0 && g->flat_rate != GL_GRANT_FLAT_15 && g->flat_rate != GL_GRANT_FLAT_40)
        return "flat_rate";
    return NULL;
}

bool gl_grant_check(uint8_t op, const gl_grant *g, const char **field)
{
    if (!gl_an_code_valid(g->code) || g->code.len > GL_GRANT_CODE_MAX)
        *field = "code";
    else if (op == GL_GRANT_SET_OP)
        *field = set_field(g);
    else if (op == GL_GRANT_DELETE_OP)
        *field = delete_field(g);
    else
        *field = "op";
    return *field == NULL;
}

static bool str_same(gl_str a, gl_str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

bool gl_grant_same(const gl_grant *a, const gl_grant *b)
{
    return str_same(a->code, b->code) && str_same(a->label, b->label) &&
           str_same(a->funder, b->funder) && str_same(a->action, b->action) &&
           str_same(a->account, b->account) && a->amount_cents == b->amount_cents &&
           a->from == b->from && a->to == b->to && a->flags == b->flags &&
           a->flat_rate == b->flat_rate;
}

void gl_grant_set_q_encode(gl_buf *b, const gl_grant_set_q *q)
{
    gl_put_str8(b, q->grant.code.ptr, q->grant.code.len);
    gl_put_u8(b, q->op);
    grant_rest_put(b, &q->grant);
}

int gl_grant_set_q_decode(const uint8_t *body, size_t len, gl_grant_set_q *out)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    out->grant.code = gl_get_str8(&c, GL_GRANT_CODE_MAX);
    out->op = gl_get_u8(&c);
    grant_rest_get(&c, &out->grant);
    return gl_cur_end(&c);
}

int gl_grants_reply_begin(const uint8_t *body, size_t len, gl_grants_iter *it)
{
    gl_cur_init_stored(&it->cur, body, len);
    it->left = gl_get_u16(&it->cur);
    if (gl_cur_status(&it->cur) == GL_OK && it->left > GL_GRANTS_MAX)
        gl_cur_fail(&it->cur, GL_ERR_MALFORMED);
    return gl_cur_status(&it->cur);
}

int gl_grants_reply_next(gl_grants_iter *it, gl_grant *out)
{
    if (gl_cur_status(&it->cur) != GL_OK)
        return gl_cur_status(&it->cur);
    if (it->left == 0) {
        int st = gl_cur_end(&it->cur);
        return st == GL_OK ? GL_ERR_NOT_FOUND : st;
    }
    it->left--;
    return gl_grant_get(&it->cur, out);
}
