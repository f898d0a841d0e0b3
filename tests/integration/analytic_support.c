/*
 * tests/integration/analytic_support.c — what the analytic tests share
 * (analytic_support.h).
 */
#include "tests/integration/analytic_support.h"

#include "proto/reply.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

char an_detail[512];

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

gl_an_split an_one(const char *axis, const char *code, int64_t cents)
{
    gl_an_split s = {.axis = S(axis), .count = 1};
    s.shares[0] = (gl_an_share){S(code), cents};
    return s;
}

gl_an_split an_two(const char *axis, const char *a, int64_t a_cents, const char *b, int64_t b_cents)
{
    gl_an_split s = {.axis = S(axis), .count = 2};
    s.shares[0] = (gl_an_share){S(a), a_cents};
    s.shares[1] = (gl_an_share){S(b), b_cents};
    return s;
}

void an_any_body(uint16_t kind, gl_buf *b)
{
    switch (kind) {
    case GL_KIND_ANALYTIC_AXIS_SET:
        gl_an_axis_set_q_encode(b, &(gl_an_axis_set_q){S("action"), GL_AN_OPEN, S("Actions")});
        break;
    case GL_KIND_ANALYTIC_CODE_SET:
        gl_an_code_set_q_encode(
            b, &(gl_an_code_set_q){S("action"), S("FSE-2026"), GL_AN_OPEN, S("FSE 2026")});
        break;
    case GL_KIND_ANALYTIC_RULE_SET:
        gl_an_rule_set_q_encode(b, &(gl_an_rule_set_q){S("action"), S("6"), 1});
        break;
    case GL_KIND_ANALYTIC_ALLOC: {
        gl_an_alloc_row row = {.fy = 2025, .num = 1, .line = 1, .codes = {.naxes = 1}};
        row.codes.axes[0] = an_one("action", "FSE-2026", 100);
        gl_put_u16(b, 1);
        gl_an_alloc_row_put(b, &row);
        break;
    }
    case GL_KIND_ANALYTIC_BALANCE: /* axis | fy | at (written by hand: §5.51) */
        gl_put_str8(b, "action", 6);
        gl_put_u16(b, 2025);
        gl_put_u32(b, 0);
        break;
    case GL_KIND_ANALYTIC_LEDGER: /* axis | code | from | to | after (4) | limit (§5.52) */
        gl_put_str8(b, "action", 6);
        gl_put_str8(b, "FSE-2026", 8);
        gl_put_u32(b, 0);
        gl_put_u32(b, 0);
        gl_put_u32(b, 0);
        gl_put_u16(b, 0);
        gl_put_u32(b, 0);
        gl_put_u16(b, 0);
        gl_put_u16(b, 10);
        break;
    default: break; /* ANALYTIC_AXES: empty */
    }
}

static int send(harness *h, enum h_key k, uint16_t kind, const char *tenant, gl_buf *b)
{
    cr_assert(gl_buf_ok(b));
    gl_response r;
    int st = h_call(h, k, kind, tenant, gl_request_id_random(), b->data, b->len, &r);
    snprintf(an_detail, sizeof an_detail, "%.*s", (int)r.reply.detail.len, r.reply.detail.ptr);
    gl_response_free(&r);
    gl_buf_free(b);
    return st;
}

int an_axis(harness *h, enum h_key k, const char *tenant, const char *axis, uint8_t state,
            const char *label)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_an_axis_set_q_encode(&b, &(gl_an_axis_set_q){S(axis), state, S(label)});
    return send(h, k, GL_KIND_ANALYTIC_AXIS_SET, tenant, &b);
}

int an_code(harness *h, enum h_key k, const char *tenant, const char *axis, const char *code,
            uint8_t state, const char *label)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_an_code_set_q_encode(&b, &(gl_an_code_set_q){S(axis), S(code), state, S(label)});
    return send(h, k, GL_KIND_ANALYTIC_CODE_SET, tenant, &b);
}

int an_rule(harness *h, enum h_key k, const char *tenant, const char *axis, const char *prefix,
            uint8_t required)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_an_rule_set_q_encode(&b, &(gl_an_rule_set_q){S(axis), S(prefix), required});
    return send(h, k, GL_KIND_ANALYTIC_RULE_SET, tenant, &b);
}

int an_alloc(harness *h, enum h_key k, const char *tenant, const gl_an_alloc_row *rows, size_t n)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_put_u16(&b, (uint16_t)n);
    for (size_t i = 0; i < n; i++)
        gl_an_alloc_row_put(&b, &rows[i]);
    return send(h, k, GL_KIND_ANALYTIC_ALLOC, tenant, &b);
}

int an_post(harness *h, enum h_key k, const char *tenant, uint32_t date, const char *debit,
            const char *credit, int64_t cents, const gl_an_split *axes, size_t naxes, uint32_t *num)
{
    gl_line_in lines[2];
    gl_entry_in e = h_entry2(tenant, date, debit, credit, cents, lines);
    uint8_t item[2 + GL_AN_ITEM_MAX];
    gl_ext_in ext[2] = {{0}, {0}};
    if (naxes) {
        gl_analytic a = {.naxes = (uint8_t)naxes};
        for (size_t i = 0; i < naxes; i++)
            a.axes[i] = axes[i];
        cr_assert(gl_analytic_sort(&a));
        size_t n = gl_analytic_item_put(item, &a);
        cr_assert_gt(n, 0u);
        ext[0] = (gl_ext_in){item, n};
        e.line_ext = ext;
    }
    gl_response r;
    int st = h_post(h, k, &e, 1, &r);
    snprintf(an_detail, sizeof an_detail, "%.*s", (int)r.reply.detail.len, r.reply.detail.ptr);
    if (st == GL_OK && num) {
        gl_reply_post p;
        gl_reply_post_iter it;
        gl_reply_post_row row;
        cr_assert_eq(
            gl_reply_post_decode((gl_str){(const char *)r.reply.body, r.reply.body_len}, &p),
            GL_OK);
        gl_reply_post_iter_init(&it, &p);
        cr_assert_eq(gl_reply_post_next(&it, &row), 1);
        *num = row.num;
    }
    gl_response_free(&r);
    return st;
}

void an_axes_text(harness *h, enum h_key k, const char *tenant, char *out, size_t cap)
{
    gl_response r;
    cr_assert_eq(h_call(h, k, GL_KIND_ANALYTIC_AXES, tenant, 0, NULL, 0, &r), GL_OK);
    gl_an_axes_iter it;
    gl_an_axis_row row;
    size_t len = 0;
    out[0] = '\0';
    cr_assert_eq(gl_an_axes_reply_begin(r.reply.body, r.reply.body_len, &it), GL_OK);
    int st;
    while ((st = gl_an_axes_reply_next(&it, &row)) == GL_OK) {
        len += (size_t)snprintf(out + len, cap - len, "%.*s:%u:%.*s[", (int)row.axis.len,
                                row.axis.ptr, row.state, (int)row.label.len, row.label.ptr);
        gl_cur c;
        gl_an_code_row code;
        gl_cur_init(&c, row.codes, row.codes_len);
        while (gl_an_axis_code_next(&c, &code) && len < cap)
            len += (size_t)snprintf(out + len, cap - len, "%.*s:%u:%.*s,", (int)code.code.len,
                                    code.code.ptr, code.state, (int)code.label.len, code.label.ptr);
        len += (size_t)snprintf(out + len, cap - len, "](");
        gl_str prefix;
        gl_cur_init(&c, row.rules, row.rules_len);
        while (gl_an_axis_rule_next(&c, &prefix) && len < cap)
            len += (size_t)snprintf(out + len, cap - len, "%.*s,", (int)prefix.len, prefix.ptr);
        len += (size_t)snprintf(out + len, cap - len, ");");
        cr_assert_lt(len, cap);
    }
    cr_assert_eq(st, GL_ERR_NOT_FOUND);
    gl_response_free(&r);
}
