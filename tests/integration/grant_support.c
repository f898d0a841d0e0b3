/*
 * tests/integration/grant_support.c — what the grants and budgets tests
 * share (grant_support.h).
 */
#include "tests/integration/grant_support.h"

#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char gr_detail[512];

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

gl_grant gr_sample(void)
{
    return (gl_grant){.code = S("FSE-2026"),
                      .label = S("FSE inclusion 2026"),
                      .funder = S("FSE"),
                      .action = S("AGIIE"),
                      .account = S("741700"),
                      .amount_cents = 11900000,
                      .from = 20260101,
                      .to = 20261231,
                      .flags = GL_GRANT_DEDICATED | GL_GRANT_FSE,
                      .flat_rate = GL_GRANT_FLAT_15};
}

/* "group=cents" into b as a row. */
static void row_put(gl_buf *b, const char *row)
{
    const char *eq = strchr(row, '=');
    cr_assert_not_null(eq, "row %s", row);
    gl_budget_row r = {{row, (size_t)(eq - row)}, strtoll(eq + 1, NULL, 10)};
    gl_budget_row_put(b, &r);
}

void gr_any_body(uint16_t kind, gl_buf *b)
{
    switch (kind) {
    case GL_KIND_GRANT_SET: {
        gl_grant_set_q q = {GL_GRANT_SET_OP, gr_sample()};
        gl_grant_set_q_encode(b, &q);
        break;
    }
    case GL_KIND_BUDGET_SET:
        gl_budget_set_q_head(b, S("AGIIE"), 2026, 1);
        row_put(b, "60=100");
        break;
    case GL_KIND_BUDGETS: gl_budgets_q_encode(b, &(gl_budgets_q){0, S("")}); break;
    default: break; /* GRANTS: empty */
    }
}

static int send(harness *h, enum h_key k, uint16_t kind, const char *tenant, gl_buf *b,
                gl_response *r)
{
    cr_assert(gl_buf_ok(b));
    int st = h_call(h, k, kind, tenant, gl_request_id_random(), b->data, b->len, r);
    snprintf(gr_detail, sizeof gr_detail, "%.*s", (int)r->reply.detail.len, r->reply.detail.ptr);
    gl_buf_free(b);
    return st;
}

int gr_set(harness *h, enum h_key k, const char *tenant, uint8_t op, const gl_grant *g)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_grant_set_q q = {op, *g};
    gl_grant_set_q_encode(&b, &q);
    gl_response r;
    int st = send(h, k, GL_KIND_GRANT_SET, tenant, &b, &r);
    gl_response_free(&r);
    return st;
}

int gr_budget(harness *h, enum h_key k, const char *tenant, const char *action, uint16_t fy,
              const char *const *rows, size_t n)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_budget_set_q_head(&b, S(action), fy, (uint16_t)n);
    for (size_t i = 0; i < n; i++)
        row_put(&b, rows[i]);
    gl_response r;
    int st = send(h, k, GL_KIND_BUDGET_SET, tenant, &b, &r);
    gl_response_free(&r);
    return st;
}

int gr_grants_text(harness *h, enum h_key k, const char *tenant, char *out, size_t cap)
{
    gl_response r;
    int st = h_call(h, k, GL_KIND_GRANTS, tenant, 0, NULL, 0, &r);
    snprintf(gr_detail, sizeof gr_detail, "%.*s", (int)r.reply.detail.len, r.reply.detail.ptr);
    out[0] = '\0';
    if (st == GL_OK) {
        gl_grants_iter it;
        gl_grant g;
        size_t len = 0;
        cr_assert_eq(gl_grants_reply_begin(r.reply.body, r.reply.body_len, &it), GL_OK);
        while ((st = gl_grants_reply_next(&it, &g)) == GL_OK) {
            len += (size_t)snprintf(out + len, cap - len,
                                    "%.*s:%.*s:%.*s:%.*s:%" PRId64 ":%u-%u:%u:%u;", (int)g.code.len,
                                    g.code.ptr, (int)g.funder.len, g.funder.ptr, (int)g.action.len,
                                    g.action.ptr, (int)g.account.len, g.account.ptr, g.amount_cents,
                                    (unsigned)g.from, (unsigned)g.to, g.flags, g.flat_rate);
            cr_assert_lt(len, cap);
        }
        cr_assert_eq(st, GL_ERR_NOT_FOUND);
        st = GL_OK;
    }
    gl_response_free(&r);
    return st;
}

int gr_budgets_text(harness *h, enum h_key k, const char *tenant, uint16_t fy, const char *action,
                    char *out, size_t cap)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_budgets_q_encode(&b, &(gl_budgets_q){fy, S(action)});
    gl_response r;
    int st = send(h, k, GL_KIND_BUDGETS, tenant, &b, &r);
    out[0] = '\0';
    if (st == GL_OK) {
        gl_budgets_iter it;
        gl_budget_version v;
        size_t len = 0;
        cr_assert_eq(gl_budgets_reply_begin(r.reply.body, r.reply.body_len, &it), GL_OK);
        while ((st = gl_budgets_reply_next(&it, &v)) == GL_OK) {
            cr_expect_gt(v.recorded_ms, 0);
            len += (size_t)snprintf(out + len, cap - len, "%.*s/%u v%u[", (int)v.action.len,
                                    v.action.ptr, (unsigned)v.fy, (unsigned)v.version);
            gl_budget_iter ri;
            gl_budget_row row;
            gl_budget_iter_init(&ri, &v.rows);
            while (gl_budget_next(&ri, &row) && len < cap)
                len += (size_t)snprintf(out + len, cap - len, "%.*s=%" PRId64 ",",
                                        (int)row.group.len, row.group.ptr, row.amount_cents);
            len += (size_t)snprintf(out + len, cap - len, "];");
            cr_assert_lt(len, cap);
        }
        cr_assert_eq(st, GL_ERR_NOT_FOUND);
        st = GL_OK;
    }
    gl_response_free(&r);
    return st;
}
