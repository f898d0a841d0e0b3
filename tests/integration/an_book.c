/*
 * tests/integration/an_book.c — analytic requests for helper C's suites
 * (an_book.h).
 */
#include "tests/integration/an_book.h"

#include "proto/reply.h"
#include "proto/request.h"
#include "proto/status.h"

#include <criterion/criterion.h>

#include <string.h>

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

static void call(harness *h, uint16_t kind, gl_buf *body)
{
    cr_assert(gl_buf_ok(body));
    gl_response r;
    int st = h_call(h, K_ACCOUNTANT, kind, "alpha", 0, body->data, body->len, &r);
    cr_assert_eq(st, GL_OK, "%s: %d %.*s", gl_kind_name(kind), st, (int)r.reply.detail.len,
                 r.reply.detail.ptr);
    gl_response_free(&r);
    gl_buf_free(body);
}

void anb_axis(harness *h, const char *axis, uint8_t state, const char *label)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_an_axis_set_q_encode(&b, &(gl_an_axis_set_q){S(axis), state, S(label)});
    call(h, GL_KIND_ANALYTIC_AXIS_SET, &b);
}

void anb_code(harness *h, const char *axis, const char *code, uint8_t state, const char *label)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_an_code_set_q_encode(&b, &(gl_an_code_set_q){S(axis), S(code), state, S(label)});
    call(h, GL_KIND_ANALYTIC_CODE_SET, &b);
}

void anb_rule(harness *h, const char *axis, const char *prefix)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_an_rule_set_q_encode(&b, &(gl_an_rule_set_q){S(axis), S(prefix), 1});
    call(h, GL_KIND_ANALYTIC_RULE_SET, &b);
}

void anb_alloc(harness *h, const gl_an_alloc_row *rows, size_t n)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_put_u16(&b, (uint16_t)n);
    for (size_t i = 0; i < n; i++)
        gl_an_alloc_row_put(&b, &rows[i]);
    call(h, GL_KIND_ANALYTIC_ALLOC, &b);
}

void anb_split(gl_analytic *a, const char *axis, size_t n, const char *const *codes,
               const int64_t *cents)
{
    cr_assert_lt(a->naxes, GL_AN_LINE_AXES_MAX);
    gl_an_split *s = &a->axes[a->naxes++];
    s->axis = S(axis);
    s->count = (uint8_t)n;
    for (size_t i = 0; i < n; i++)
        s->shares[i] = (gl_an_share){S(codes[i]), cents[i]};
}

uint32_t anb_post(harness *h, uint32_t date, const char *debit, const char *credit, int64_t cents,
                  gl_analytic *codes)
{
    gl_line_in l[2];
    gl_entry_in e = h_entry2("alpha", date, debit, credit, cents, l);
    uint8_t item[2 + GL_AN_ITEM_MAX];
    gl_ext_in ext[2] = {{0}, {0}};
    if (codes) {
        cr_assert(gl_analytic_sort(codes));
        ext[0] = (gl_ext_in){item, gl_analytic_item_put(item, codes)};
        cr_assert(ext[0].len);
        e.line_ext = ext;
    }
    gl_response r;
    cr_assert_eq(h_post(h, K_ACCOUNTANT, &e, 1, &r), GL_OK);
    cr_assert_eq(r.reply.status, GL_OK, "%.*s", (int)r.reply.detail.len, r.reply.detail.ptr);
    gl_reply_post p;
    gl_reply_post_iter it;
    gl_reply_post_row row;
    cr_assert_eq(gl_reply_post_decode((gl_str){(const char *)r.reply.body, r.reply.body_len}, &p),
                 GL_OK);
    gl_reply_post_iter_init(&it, &p);
    cr_assert_eq(gl_reply_post_next(&it, &row), 1);
    gl_response_free(&r);
    return row.num;
}
