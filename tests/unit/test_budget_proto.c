/*
 * tests/unit/test_budget_proto.c — proto/budget (issue 19): BUDGET_SET's
 * body round trip and its rules (498: the row and the field), the BUDGETS
 * query and reply read back, every truncation refused.
 */
#include "proto/budget.h"
#include "proto/kinds.h"
#include "proto/limits.h"
#include "proto/request.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

/* A BUDGET_SET body of rows given as "group" and amounts. */
static void body(gl_buf *b, const char *action, uint16_t fy, const char *const *groups,
                 const int64_t *amounts, uint16_t n)
{
    gl_buf_init(b);
    gl_budget_set_q_head(b, S(action), fy, n);
    for (uint16_t i = 0; i < n; i++) {
        gl_budget_row r = {S(groups[i]), amounts[i]};
        gl_budget_row_put(b, &r);
    }
    cr_assert(gl_buf_ok(b));
}

/* The field at fault ("" when none) and its row. */
static const char *check(const char *action, uint16_t fy, const char *const *groups,
                         const int64_t *amounts, uint16_t n, uint32_t *row)
{
    gl_buf b;
    body(&b, action, fy, groups, amounts, n);
    gl_body q;
    uint32_t bad;
    cr_assert_eq(gl_body_decode(GL_KIND_BUDGET_SET, b.data, b.len, &q, &bad), GL_OK);
    const char *field = "unset";
    bool ok = gl_budget_check(&q.budget_set, &field, row);
    gl_buf_free(&b);
    cr_expect_eq(ok, field == NULL);
    return field ? field : "";
}

Test(budget_proto, a_budget_passes_its_rules)
{
    const char *g[] = {"60", "641", "645", "7417", "748"};
    int64_t a[] = {1200000, 4500000, 1800000, 11900000, 0};
    uint32_t row = 9;
    cr_expect_str_eq((char *)check("AGIIE", 2026, g, a, 5, &row), "");
    cr_expect_eq(row, 0u);
    cr_expect_str_eq((char *)check("AGIIE", 2026, g, a, 0, &row), "", "a withdrawal");
    const char *one[] = {"6"};
    int64_t max[] = {GL_TOTAL_MAX_CENTS};
    cr_expect_str_eq((char *)check("AGIIE", 1900, one, max, 1, &row), "");
    const char *g20[] = {"69999999999999999999"};
    cr_expect_str_eq((char *)check("AGIIE", 2999, g20, a, 1, &row), "");
}

Test(budget_proto, a_row_out_of_its_rule_is_named_with_its_row)
{
    int64_t a[] = {100, 200, 300};
    uint32_t row = 0;
    struct {
        const char *groups[3];
        int64_t amounts[3];
        const char *field;
        uint32_t row;
    } cases[] = {
        {{"60", "5", "70"}, {1, 2, 3}, "group", 2},
        {{"60", "6a", "70"}, {1, 2, 3}, "group", 2},
        {{"60", "", "70"}, {1, 2, 3}, "group", 2},
        {{"60", "64", "8"}, {1, 2, 3}, "group", 3},
        {{"64", "60", "70"}, {1, 2, 3}, "order", 2},
        {{"60", "60", "70"}, {1, 2, 3}, "order", 2},
        {{"60", "601", "70"}, {1, 2, 3}, "order", 2},
        {{"60", "64", "70"}, {1, -1, 3}, "amount", 2},
        {{"60", "64", "70"}, {1, GL_TOTAL_MAX_CENTS + 1, 3}, "amount", 2},
        {{"60", "64", "70"}, {GL_TOTAL_MAX_CENTS, 0, 1}, "total", 3},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cr_expect_str_eq((char *)check("AGIIE", 2026, cases[i].groups, cases[i].amounts, 3, &row),
                         (char *)cases[i].field, "case %zu", i);
        cr_expect_eq(row, cases[i].row, "case %zu", i);
    }
    const char *g[] = {"60", "64", "70"};
    cr_expect_str_eq((char *)check("", 2026, g, a, 3, &row), "action");
    cr_expect_eq(row, 0u);
    cr_expect_str_eq((char *)check("agiie", 2026, g, a, 3, &row), "action");
    cr_expect_str_eq((char *)check("AGIIE", 1899, g, a, 3, &row), "fy");
    cr_expect_str_eq((char *)check("AGIIE", 3000, g, a, 3, &row), "fy");
    cr_expect_str_eq((char *)check("AGIIE", 0, g, a, 3, &row), "fy");
}

Test(budget_proto, the_body_decodes_exactly)
{
    const char *g[] = {"60", "641"};
    int64_t a[] = {1200000, 4500000};
    gl_buf b;
    body(&b, "AGIIE", 2026, g, a, 2);
    cr_expect_eq(b.len, 6u + 2 + 2 + (3 + 8) + (4 + 8));
    gl_budget_set_q q;
    cr_assert_eq(gl_budget_set_q_decode(b.data, b.len, &q), GL_OK);
    cr_expect_eq(q.fy, 2026);
    cr_expect_eq(q.rows.count, 2);
    gl_budget_iter it;
    gl_budget_row r;
    gl_budget_iter_init(&it, &q.rows);
    for (int i = 0; i < 2; i++) {
        cr_assert(gl_budget_next(&it, &r));
        cr_expect_eq(r.group.len, strlen(g[i]));
        cr_expect_eq(memcmp(r.group.ptr, g[i], r.group.len), 0);
        cr_expect_eq(r.amount_cents, a[i]);
    }
    cr_expect_not(gl_budget_next(&it, &r));
    for (size_t n = 0; n < b.len; n++) {
        uint8_t *cut = malloc(n ? n : 1);
        memcpy(cut, b.data, n);
        cr_expect_neq(gl_budget_set_q_decode(cut, n, &q), GL_OK, "cut at %zu", n);
        free(cut);
    }
    gl_put_u8(&b, 0);
    cr_expect_eq(gl_budget_set_q_decode(b.data, b.len, &q), GL_ERR_TRAILING_BYTES);
    gl_buf_free(&b);
    /* count above GL_BUDGET_ROWS_MAX */
    gl_buf_init(&b);
    gl_budget_set_q_head(&b, S("AGIIE"), 2026, GL_BUDGET_ROWS_MAX + 1);
    cr_expect_eq(gl_budget_set_q_decode(b.data, b.len, &q), GL_ERR_COUNT_LIMIT);
    gl_buf_free(&b);
}

Test(budget_proto, the_budgets_query_round_trips)
{
    gl_budgets_q q = {.fy = 2026, .action = S("AGIIE")};
    gl_buf b;
    gl_buf_init(&b);
    gl_budgets_q_encode(&b, &q);
    cr_expect_eq(b.len, 2u + 1 + 5);
    gl_body out;
    uint32_t bad;
    cr_assert_eq(gl_body_decode(GL_KIND_BUDGETS, b.data, b.len, &out, &bad), GL_OK);
    cr_expect_eq(out.budgets.fy, 2026);
    cr_expect_eq(out.budgets.action.len, 5u);
    cr_expect_eq(gl_body_decode(GL_KIND_BUDGETS, b.data, b.len - 1, &out, &bad), GL_ERR_MALFORMED);
    gl_buf_free(&b);
    uint8_t every[3] = {0, 0, 0};
    cr_assert_eq(gl_budgets_q_decode(every, 3, &out.budgets), GL_OK);
    cr_expect_eq(out.budgets.fy, 0);
    cr_expect_eq(out.budgets.action.len, 0u);
    cr_expect(gl_kind_writes(GL_KIND_BUDGET_SET));
    cr_expect_not(gl_kind_writes(GL_KIND_BUDGETS));
}

Test(budget_proto, the_budgets_reply_reads_back)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_put_u16(&b, 2);
    gl_budget_version_head_put(&b, S("AGIIE"), 2026, 3, 1767225600123, 2);
    gl_budget_row r1 = {S("60"), 100}, r2 = {S("74"), 250};
    gl_budget_row_put(&b, &r1);
    gl_budget_row_put(&b, &r2);
    gl_budget_version_head_put(&b, S("MOBIL"), 2026, 1, 5, 0);
    cr_assert(gl_buf_ok(&b));
    gl_budgets_iter it;
    gl_budget_version v;
    cr_assert_eq(gl_budgets_reply_begin(b.data, b.len, &it), GL_OK);
    cr_assert_eq(gl_budgets_reply_next(&it, &v), GL_OK);
    cr_expect_eq(v.fy, 2026);
    cr_expect_eq(v.version, 3);
    cr_expect_eq(v.recorded_ms, 1767225600123);
    cr_expect_eq(v.rows.count, 2);
    gl_budget_iter ri;
    gl_budget_row r;
    gl_budget_iter_init(&ri, &v.rows);
    cr_assert(gl_budget_next(&ri, &r));
    cr_expect_eq(r.amount_cents, 100);
    cr_assert(gl_budget_next(&ri, &r));
    cr_expect_eq(r.amount_cents, 250);
    cr_expect_not(gl_budget_next(&ri, &r));
    cr_assert_eq(gl_budgets_reply_next(&it, &v), GL_OK);
    cr_expect_eq(v.action.len, 5u);
    cr_expect_eq(v.rows.count, 0);
    cr_expect_eq(gl_budgets_reply_next(&it, &v), GL_ERR_NOT_FOUND);
    for (size_t n = 2; n < b.len; n++) {
        int st = gl_budgets_reply_begin(b.data, n, &it);
        while (st == GL_OK)
            st = gl_budgets_reply_next(&it, &v);
        cr_expect_eq(st, GL_ERR_MALFORMED, "cut at %zu", n);
    }
    gl_put_u8(&b, 0);
    int st = gl_budgets_reply_begin(b.data, b.len, &it);
    while (st == GL_OK)
        st = gl_budgets_reply_next(&it, &v);
    cr_expect_eq(st, GL_ERR_TRAILING_BYTES);
    gl_buf_free(&b);
}
