/*
 * tests/unit/test_analytic_reports.c — proto/analytic_reports.c: round
 * trips of the ANALYTIC_BALANCE and ANALYTIC_LEDGER bodies and replies,
 * each refusal of each decoder, and the reply readers at every truncated
 * length (never a read past the body: the copies are exact-size heap
 * blocks for ASan).
 */
#include "proto/analytic.h"
#include "proto/limits.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <criterion/criterion.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define S(lit) ((gl_str){lit, sizeof lit - 1})

static uint8_t *dup_bytes(const uint8_t *p, size_t n)
{
    uint8_t *d = malloc(n ? n : 1);
    cr_assert_not_null(d);
    if (n)
        memcpy(d, p, n);
    return d;
}

static int balance_q_decode(const gl_buf *b, size_t len, gl_an_balance_q *q)
{
    uint8_t *d = dup_bytes(b->data, len);
    int st = gl_an_balance_q_decode(d, len, q);
    free(d);
    return st;
}

static int ledger_q_decode(const gl_buf *b, size_t len, gl_an_ledger_q *q)
{
    uint8_t *d = dup_bytes(b->data, len);
    int st = gl_an_ledger_q_decode(d, len, q);
    free(d);
    return st;
}

Test(analytic_reports, balance_query_round_trip)
{
    gl_an_balance_q q = {S("action"), 2026, 20260615}, out;
    gl_buf b;
    gl_buf_init(&b);
    gl_an_balance_q_encode(&b, &q);
    cr_assert_eq(gl_an_balance_q_decode(b.data, b.len, &out), GL_OK);
    cr_expect(gl_str_eq(out.axis, "action"));
    cr_expect_eq(out.fy, 2026);
    cr_expect_eq(out.at, 20260615u);
    q.at = 0; /* the year's last day */
    gl_buf_reset(&b);
    gl_an_balance_q_encode(&b, &q);
    cr_expect_eq(gl_an_balance_q_decode(b.data, b.len, &out), GL_OK);
    cr_expect_eq(out.at, 0u);
    for (size_t n = 0; n < b.len; n++)
        cr_expect_neq(balance_q_decode(&b, n, &out), GL_OK, "length %zu", n);
    gl_put_u8(&b, 0);
    cr_expect_eq(gl_an_balance_q_decode(b.data, b.len, &out), GL_ERR_TRAILING_BYTES);
    gl_buf_free(&b);
}

Test(analytic_reports, balance_query_refusals)
{
    const struct {
        gl_an_balance_q q;
        int st;
    } cases[] = {
        {{S(""), 2026, 0}, GL_ERR_MALFORMED},
        {{S("action"), 0, 0}, GL_ERR_BAD_DATE},
        {{S("action"), 2026, 20260231}, GL_ERR_BAD_DATE},
        {{S("action"), 2026, 1}, GL_ERR_BAD_DATE},
        {{S("abcdefghijklmnopq"), 2026, 0}, GL_ERR_STRING_TOO_LONG}, /* 17 bytes */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gl_buf b;
        gl_buf_init(&b);
        gl_an_balance_q_encode(&b, &cases[i].q);
        gl_an_balance_q out;
        cr_expect_eq(gl_an_balance_q_decode(b.data, b.len, &out), cases[i].st, "case %zu", i);
        gl_buf_free(&b);
    }
}

static gl_an_ledger_q ledger_q(void)
{
    return (gl_an_ledger_q){
        S("financeur"), S("FSE-2026"), 20260101, 20261231, 20260301, 2026, 42, 3, 100};
}

Test(analytic_reports, ledger_query_round_trip)
{
    gl_an_ledger_q q = ledger_q(), out;
    gl_buf b;
    gl_buf_init(&b);
    gl_an_ledger_q_encode(&b, &q);
    cr_assert_eq(gl_an_ledger_q_decode(b.data, b.len, &out), GL_OK);
    cr_expect(gl_str_eq(out.axis, "financeur"));
    cr_expect(gl_str_eq(out.code, "FSE-2026"));
    cr_expect_eq(out.from, 20260101u);
    cr_expect_eq(out.to, 20261231u);
    cr_expect_eq(out.after_date, 20260301u);
    cr_expect_eq(out.after_fy, 2026);
    cr_expect_eq(out.after_num, 42u);
    cr_expect_eq(out.after_line, 3);
    cr_expect_eq(out.limit, 100);
    for (size_t n = 0; n < b.len; n++)
        cr_expect_neq(ledger_q_decode(&b, n, &out), GL_OK, "length %zu", n);
    gl_buf_free(&b);
}

Test(analytic_reports, ledger_query_open_dates)
{
    gl_an_ledger_q q = ledger_q(), out;
    q.from = q.to = 0;
    q.limit = GL_PAGE_MAX;
    gl_buf b;
    gl_buf_init(&b);
    gl_an_ledger_q_encode(&b, &q);
    cr_expect_eq(gl_an_ledger_q_decode(b.data, b.len, &out), GL_OK);
    gl_buf_free(&b);
}

Test(analytic_reports, ledger_query_refusals)
{
    gl_an_ledger_q base = ledger_q();
    gl_an_ledger_q cases[7];
    int want[7];
    for (size_t i = 0; i < 7; i++)
        cases[i] = base;
    cases[0].axis = S(""), want[0] = GL_ERR_MALFORMED;
    cases[1].code = S(""), want[1] = GL_ERR_MALFORMED;
    cases[2].from = 20261301, want[2] = GL_ERR_BAD_DATE;
    cases[3].to = 7, want[3] = GL_ERR_BAD_DATE;
    cases[4].from = 20261231, cases[4].to = 20260101, want[4] = GL_ERR_BAD_DATE;
    cases[5].limit = 0, want[5] = GL_ERR_COUNT_LIMIT;
    cases[6].limit = GL_PAGE_MAX + 1, want[6] = GL_ERR_COUNT_LIMIT;
    for (size_t i = 0; i < 7; i++) {
        gl_buf b;
        gl_buf_init(&b);
        gl_an_ledger_q_encode(&b, &cases[i]);
        gl_an_ledger_q out;
        cr_expect_eq(gl_an_ledger_q_decode(b.data, b.len, &out), want[i], "case %zu", i);
        gl_buf_free(&b);
    }
}

static const gl_an_balance_row balance_rows[] = {
    {S("ACT1"), S("601000"), 12345, 0},
    {S("ACT1"), S("706000"), 0, INT64_MAX},
    {S(""), S("641000"), 1, 2}, /* not allocated */
};

static void balance_reply(gl_buf *b)
{
    gl_buf_init(b);
    gl_put_u32(b, 20260630);
    gl_put_u32(b, 3);
    for (size_t i = 0; i < 3; i++)
        gl_an_balance_row_put(b, &balance_rows[i]);
}

Test(analytic_reports, balance_reply_round_trip)
{
    gl_buf b;
    balance_reply(&b);
    gl_an_balance_iter it;
    gl_an_balance_row r;
    cr_assert_eq(gl_an_balance_reply_begin(b.data, b.len, &it), GL_OK);
    cr_expect_eq(it.at, 20260630u);
    for (size_t i = 0; i < 3; i++) {
        cr_assert_eq(gl_an_balance_reply_next(&it, &r), GL_OK);
        cr_expect_eq(r.code.len, balance_rows[i].code.len);
        cr_expect_eq(memcmp(r.account.ptr, balance_rows[i].account.ptr, r.account.len), 0);
        cr_expect_eq(r.debit_cents, balance_rows[i].debit_cents);
        cr_expect_eq(r.credit_cents, balance_rows[i].credit_cents);
    }
    cr_expect_eq(gl_an_balance_reply_next(&it, &r), GL_ERR_NOT_FOUND);
    cr_expect_eq(gl_an_balance_reply_next(&it, &r), GL_ERR_NOT_FOUND);
    gl_buf_free(&b);
}

/* Read every row of a (maybe cut) reply: the first status that is not OK. */
static int balance_read_all(const uint8_t *p, size_t len)
{
    uint8_t *d = dup_bytes(p, len);
    gl_an_balance_iter it;
    gl_an_balance_row r;
    int st = gl_an_balance_reply_begin(d, len, &it);
    while (st == GL_OK)
        st = gl_an_balance_reply_next(&it, &r);
    free(d);
    return st;
}

Test(analytic_reports, balance_reply_truncated)
{
    gl_buf b;
    balance_reply(&b);
    cr_expect_eq(balance_read_all(b.data, b.len), GL_ERR_NOT_FOUND);
    for (size_t n = 0; n < b.len; n++)
        cr_expect_eq(balance_read_all(b.data, n), GL_ERR_MALFORMED, "length %zu", n);
    gl_buf_free(&b);
}

Test(analytic_reports, balance_reply_bad_rows)
{
    const gl_an_balance_row bad[] = {
        {S("A"), S(""), 1, 1},
        {S("A"), S("601"), -1, 0},
        {S("A"), S("601"), 0, -5},
    };
    for (size_t i = 0; i < 3; i++) {
        gl_buf b;
        gl_buf_init(&b);
        gl_put_u32(&b, 20260101);
        gl_put_u32(&b, 1);
        gl_an_balance_row_put(&b, &bad[i]);
        cr_expect_eq(balance_read_all(b.data, b.len), GL_ERR_MALFORMED, "row %zu", i);
        gl_buf_free(&b);
    }
}

static const gl_an_ledger_row ledger_rows[] = {
    {20260105, 2026, 1, 2, S("AC"), S("F-12"), S("601000"), S("Fournitures"), 6000,
     GL_AN_SOURCE_ENTRY},
    {20260105, 2026, 1, 3, S("AC"), S(""), S("706000"), S(""), -250, GL_AN_SOURCE_ALLOC},
};

static void ledger_reply(gl_buf *b, uint16_t n, uint8_t more)
{
    gl_buf_init(b);
    gl_put_u16(b, n);
    for (uint16_t i = 0; i < n; i++)
        gl_an_ledger_row_put(b, &ledger_rows[i]);
    gl_put_u8(b, more);
}

static int ledger_read_all(const uint8_t *p, size_t len, uint8_t *more, size_t *rows)
{
    uint8_t *d = dup_bytes(p, len);
    gl_an_ledger_iter it;
    gl_an_ledger_row r;
    *rows = 0;
    int st = gl_an_ledger_reply_begin(d, len, &it);
    while (st == GL_OK && (st = gl_an_ledger_reply_next(&it, &r)) == GL_OK)
        (*rows)++;
    *more = it.more;
    free(d);
    return st;
}

Test(analytic_reports, ledger_reply_round_trip)
{
    gl_buf b;
    ledger_reply(&b, 2, 1);
    gl_an_ledger_iter it;
    gl_an_ledger_row r;
    cr_assert_eq(gl_an_ledger_reply_begin(b.data, b.len, &it), GL_OK);
    cr_assert_eq(gl_an_ledger_reply_next(&it, &r), GL_OK);
    cr_expect_eq(r.date, 20260105u);
    cr_expect_eq(r.fy, 2026);
    cr_expect_eq(r.num, 1u);
    cr_expect_eq(r.line, 2);
    cr_expect(gl_str_eq(r.journal, "AC"));
    cr_expect(gl_str_eq(r.piece_ref, "F-12"));
    cr_expect(gl_str_eq(r.account, "601000"));
    cr_expect(gl_str_eq(r.label, "Fournitures"));
    cr_expect_eq(r.amount_cents, 6000);
    cr_expect_eq(r.source, GL_AN_SOURCE_ENTRY);
    cr_expect_eq(it.more, 0);
    cr_assert_eq(gl_an_ledger_reply_next(&it, &r), GL_OK);
    cr_expect_eq(r.amount_cents, -250);
    cr_expect_eq(r.source, GL_AN_SOURCE_ALLOC);
    cr_expect_eq(it.more, 1);
    cr_expect_eq(gl_an_ledger_reply_next(&it, &r), GL_ERR_NOT_FOUND);
    cr_expect_eq(gl_an_ledger_reply_next(&it, &r), GL_ERR_NOT_FOUND);
    cr_expect_eq(it.more, 1);
    gl_buf_free(&b);
}

Test(analytic_reports, ledger_reply_empty_and_truncated)
{
    gl_buf b;
    uint8_t more;
    size_t rows;
    ledger_reply(&b, 0, 0);
    cr_expect_eq(ledger_read_all(b.data, b.len, &more, &rows), GL_ERR_NOT_FOUND);
    cr_expect_eq(rows, 0u);
    gl_buf_free(&b);
    ledger_reply(&b, 2, 1);
    cr_expect_eq(ledger_read_all(b.data, b.len, &more, &rows), GL_ERR_NOT_FOUND);
    cr_expect_eq(rows, 2u);
    cr_expect_eq(more, 1);
    for (size_t n = 0; n < b.len; n++)
        cr_expect_eq(ledger_read_all(b.data, n, &more, &rows), GL_ERR_MALFORMED, "length %zu", n);
    gl_buf_free(&b);
}

Test(analytic_reports, ledger_reply_bad_rows)
{
    gl_an_ledger_row bad[6];
    for (size_t i = 0; i < 6; i++)
        bad[i] = ledger_rows[0];
    bad[0].date = 20260230;
    bad[1].num = 0;
    bad[2].line = 0;
    bad[3].account = S("");
    bad[4].amount_cents = 0;
    bad[5].source = 3;
    for (size_t i = 0; i < 6; i++) {
        gl_buf b;
        gl_buf_init(&b);
        gl_put_u16(&b, 1);
        gl_an_ledger_row_put(&b, &bad[i]);
        gl_put_u8(&b, 0);
        uint8_t more;
        size_t rows;
        cr_expect_eq(ledger_read_all(b.data, b.len, &more, &rows), GL_ERR_MALFORMED, "row %zu", i);
        gl_buf_free(&b);
    }
    gl_buf b;
    ledger_reply(&b, 1, 2); /* more is 0 or 1 */
    uint8_t more;
    size_t rows;
    cr_expect_eq(ledger_read_all(b.data, b.len, &more, &rows), GL_ERR_MALFORMED);
    gl_buf_free(&b);
    gl_buf_init(&b);
    gl_put_u16(&b, GL_PAGE_MAX + 1);
    cr_expect_eq(ledger_read_all(b.data, b.len, &more, &rows), GL_ERR_MALFORMED);
    gl_buf_free(&b);
}
