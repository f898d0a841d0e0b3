/*
 * tests/unit/test_timesheet_proto.c — time sheets on the wire
 * (proto/timesheet.h): the sheet's codec both ways, its structural
 * refusals (counts, lengths, trailing bytes), each field rule of
 * gl_ts_check, the bounds of art. 55 (1,720 h pro rata, the month's 1.5
 * times a twelfth) at their edges, the year's basis, the list query and
 * the reply reader.
 */
#include "proto/kinds.h"
#include "proto/status.h"
#include "proto/timesheet.h"

#include <criterion/criterion.h>
#include <string.h>

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

/* A sheet of n rows (action, minutes) into b. */
static void sheet(gl_buf *b, const char *emp, uint32_t month, uint16_t basis, size_t n,
                  const char *const *actions, const uint32_t *minutes)
{
    gl_buf_init(b);
    gl_ts_head_put(b, S(emp), month, basis, (uint16_t)n);
    for (size_t i = 0; i < n; i++) {
        gl_ts_row r = {S(actions[i]), minutes[i]};
        gl_ts_row_put(b, &r);
    }
    cr_assert(gl_buf_ok(b));
}

static gl_ts_fault fault_of(const char *emp, uint32_t month, uint16_t basis, size_t n,
                            const char *const *actions, const uint32_t *minutes, uint32_t *row)
{
    gl_buf b;
    sheet(&b, emp, month, basis, n, actions, minutes);
    gl_timesheet s;
    uint32_t bad;
    cr_assert_eq(gl_ts_set_q_decode(b.data, b.len, &s, &bad), GL_OK);
    gl_ts_fault f = gl_ts_check(&s, row);
    gl_buf_free(&b);
    return f;
}

Test(timesheet_proto, a_sheet_round_trips_through_the_kind_table)
{
    const char *a[] = {"FSE-2026", "VILLE"};
    uint32_t m[] = {600, 90};
    gl_buf b;
    sheet(&b, "EMP001", 202603, 800, 2, a, m);
    gl_body body;
    uint32_t bad;
    cr_assert_eq(gl_body_decode(GL_KIND_TIMESHEET_SET, b.data, b.len, &body, &bad), GL_OK);
    const gl_timesheet *s = &body.timesheet;
    cr_expect(gl_str_eq(s->employee, "EMP001"));
    cr_expect_eq(s->month, 202603u);
    cr_expect_eq(s->basis_per_mille, 800);
    cr_expect_eq(s->count, 2);
    size_t pos = 0;
    gl_ts_row r;
    cr_assert(gl_ts_rows_next(s, &pos, &r));
    cr_expect(gl_str_eq(r.action, "FSE-2026"));
    cr_expect_eq(r.minutes, 600u);
    cr_assert(gl_ts_rows_next(s, &pos, &r));
    cr_expect(gl_str_eq(r.action, "VILLE"));
    cr_expect_eq(r.minutes, 90u);
    cr_expect_not(gl_ts_rows_next(s, &pos, &r));
    cr_expect_eq(gl_ts_minutes(s), 690u);
    uint32_t row;
    cr_expect_eq(gl_ts_check(s, &row), GL_TS_OK);
    gl_buf_free(&b);
}

Test(timesheet_proto, structure_refusals)
{
    gl_timesheet s;
    uint32_t bad;
    /* every truncation of a good body is refused */
    const char *a[] = {"A", "B"};
    uint32_t m[] = {1, 2};
    gl_buf b;
    sheet(&b, "EMP001", 202603, 1000, 2, a, m);
    for (size_t n = 0; n < b.len; n++)
        cr_expect_neq(gl_ts_set_q_decode(b.data, n, &s, &bad), GL_OK, "%zu bytes", n);
    /* a byte after it */
    gl_put_u8(&b, 0);
    cr_expect_eq(gl_ts_set_q_decode(b.data, b.len, &s, &bad), GL_ERR_TRAILING_BYTES);
    gl_buf_free(&b);
    /* a row cut: its 1-based number */
    gl_buf_init(&b);
    gl_ts_head_put(&b, S("EMP001"), 202603, 1000, 2);
    gl_ts_row r = {S("A"), 5};
    gl_ts_row_put(&b, &r);
    gl_put_u8(&b, 3);
    cr_expect_neq(gl_ts_set_q_decode(b.data, b.len, &s, &bad), GL_OK);
    cr_expect_eq(bad, 2u);
    gl_buf_free(&b);
    /* more rows than GL_TS_ROWS_MAX */
    gl_buf_init(&b);
    gl_ts_head_put(&b, S("EMP001"), 202603, 1000, GL_TS_ROWS_MAX + 1);
    cr_expect_eq(gl_ts_set_q_decode(b.data, b.len, &s, &bad), GL_ERR_COUNT_LIMIT);
    gl_buf_free(&b);
    /* an employee longer than a code */
    gl_buf_init(&b);
    gl_ts_head_put(&b, S("EMP0000000000000001"), 202603, 1000, 0);
    cr_expect_neq(gl_ts_set_q_decode(b.data, b.len, &s, &bad), GL_OK);
    gl_buf_free(&b);
}

Test(timesheet_proto, field_rules_each_refused)
{
    uint32_t row;
    const char *ok[] = {"A", "B"}, *same[] = {"A", "A"}, *desc[] = {"B", "A"}, *low[] = {"a"};
    const char *prefix[] = {"AB", "ABC"}, *shorter[] = {"ABC", "AB"};
    uint32_t m[] = {60, 60}, zero[] = {60, 0};
    cr_expect_eq(fault_of("EMP1", 202603, 1000, 2, ok, m, &row), GL_TS_OK);
    cr_expect_eq(fault_of("EMP1", 202603, 1000, 2, prefix, m, &row), GL_TS_OK);
    cr_expect_eq(fault_of("EMP1", 202603, 1000, 0, ok, m, &row), GL_TS_OK); /* a clear */
    cr_expect_eq(fault_of("EMP1", 202603, 0, 2, ok, m, &row), GL_TS_BAD_BASIS);
    cr_expect_eq(fault_of("EMP1", 202603, 1001, 2, ok, m, &row), GL_TS_BAD_BASIS);
    uint32_t twelve[] = {12};
    cr_expect_eq(fault_of("EMP1", 202603, 1, 1, ok, twelve, &row), GL_TS_OK);
    cr_expect_eq(fault_of("", 202603, 1000, 2, ok, m, &row), GL_TS_BAD_EMPLOYEE);
    cr_expect_eq(fault_of("emp1", 202603, 1000, 2, ok, m, &row), GL_TS_BAD_EMPLOYEE);
    cr_expect_eq(fault_of("EMP1", 202613, 1000, 2, ok, m, &row), GL_TS_BAD_MONTH);
    cr_expect_eq(fault_of("EMP1", 202600, 1000, 2, ok, m, &row), GL_TS_BAD_MONTH);
    cr_expect_eq(fault_of("EMP1", 20260301, 1000, 2, ok, m, &row), GL_TS_BAD_MONTH);
    cr_expect_eq(fault_of("EMP1", 202603, 1000, 1, low, m, &row), GL_TS_BAD_ACTION);
    cr_expect_eq(row, 1u);
    cr_expect_eq(fault_of("EMP1", 202603, 1000, 2, same, m, &row), GL_TS_ACTION_ORDER);
    cr_expect_eq(row, 2u);
    cr_expect_eq(fault_of("EMP1", 202603, 1000, 2, desc, m, &row), GL_TS_ACTION_ORDER);
    cr_expect_eq(fault_of("EMP1", 202603, 1000, 2, shorter, m, &row), GL_TS_ACTION_ORDER);
    cr_expect_eq(fault_of("EMP1", 202603, 1000, 2, ok, zero, &row), GL_TS_ZERO_MINUTES);
    cr_expect_eq(row, 2u);
}

Test(timesheet_proto, the_1720_hour_year_pro_rata)
{
    cr_expect_eq(gl_ts_year_minutes_max(1000), 1720u * 60u);
    cr_expect_eq(gl_ts_year_minutes_max(800), 1376u * 60u);
    cr_expect_eq(gl_ts_year_minutes_max(500), 860u * 60u);
    cr_expect_eq(gl_ts_year_minutes_max(1), 103u);     /* 103.2 rounded down */
    cr_expect_eq(gl_ts_year_minutes_max(333), 34365u); /* 34,365.6 rounded down */
}

Test(timesheet_proto, the_month_bound_at_its_edge)
{
    cr_expect_eq(gl_ts_month_minutes_max(1000), 215u * 60u);
    cr_expect_eq(gl_ts_month_minutes_max(800), 172u * 60u);
    cr_expect_eq(gl_ts_month_minutes_max(1), 12u); /* 12.9 rounded down */
    const char *a[] = {"A", "B"};
    uint32_t at[] = {12000, 900}, over[] = {12000, 901};
    uint32_t row;
    cr_expect_eq(fault_of("EMP1", 202603, 1000, 2, a, at, &row), GL_TS_OK);
    cr_expect_eq(fault_of("EMP1", 202603, 1000, 2, a, over, &row), GL_TS_MONTH_OVER);
    /* no overflow: the largest minutes of every row */
    const char *big[] = {"A", "B"};
    uint32_t max[] = {UINT32_MAX, UINT32_MAX};
    cr_expect_eq(fault_of("EMP1", 202603, 1000, 2, big, max, &row), GL_TS_MONTH_OVER);
}

Test(timesheet_proto, the_year_cap_is_1720_h_pro_rata_of_the_mean_basis)
{
    /* full time January-November, 50 % in December: 11,500 / 12 per
     * mille, 1,720 h x 11,500 / 12,000 = 1,648 h 20 = 98,900 minutes (the
     * latest month alone would give 860 h) */
    cr_expect_eq(gl_ts_year_minutes_cap(11u * 1000u + 500u, 12), 98900u);
    cr_expect_eq(gl_ts_year_minutes_cap(1000u + 800u, 2), 92880u); /* 900: 1,548 h */
    cr_expect_eq(gl_ts_year_minutes_cap(12u * 1000u, 12), 103200u);
    cr_expect_eq(gl_ts_year_minutes_cap(800, 1), gl_ts_year_minutes_max(800));
    cr_expect_eq(gl_ts_year_minutes_cap(1000u + 1u, 3), 34434u); /* 34,434.4 rounded down */
    cr_expect_eq(gl_ts_year_minutes_cap(0, 0), 0u);
}

Test(timesheet_proto, list_query_and_reply)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_ts_list_q q = {2026, S("EMP001")};
    gl_ts_list_q_encode(&b, &q);
    gl_body body;
    uint32_t bad;
    cr_assert_eq(gl_body_decode(GL_KIND_TIMESHEETS, b.data, b.len, &body, &bad), GL_OK);
    cr_expect_eq(body.timesheets.year, 2026);
    cr_expect(gl_str_eq(body.timesheets.employee, "EMP001"));
    cr_expect_neq(gl_body_decode(GL_KIND_TIMESHEETS, b.data, b.len - 1, &body, &bad), GL_OK);
    gl_put_u8(&b, 0);
    cr_expect_eq(gl_body_decode(GL_KIND_TIMESHEETS, b.data, b.len, &body, &bad),
                 GL_ERR_TRAILING_BYTES);

    /* a reply of two sheets */
    gl_buf_reset(&b);
    gl_put_u32(&b, 2);
    gl_ts_head_put(&b, S("EMP001"), 202601, 1000, 1);
    gl_ts_row r = {S("A"), 60};
    gl_ts_row_put(&b, &r);
    gl_ts_head_put(&b, S("EMP002"), 202602, 500, 0);
    gl_ts_reply_iter it;
    gl_timesheet s;
    cr_assert_eq(gl_ts_reply_begin(b.data, b.len, &it), GL_OK);
    cr_assert_eq(gl_ts_reply_next(&it, &s), GL_OK);
    cr_expect(gl_str_eq(s.employee, "EMP001"));
    cr_expect_eq(gl_ts_minutes(&s), 60u);
    cr_assert_eq(gl_ts_reply_next(&it, &s), GL_OK);
    cr_expect_eq(s.basis_per_mille, 500);
    cr_expect_eq(gl_ts_reply_next(&it, &s), GL_ERR_NOT_FOUND);
    /* a reply with a byte too many, or a sheet fewer */
    gl_put_u8(&b, 0);
    cr_assert_eq(gl_ts_reply_begin(b.data, b.len, &it), GL_OK);
    gl_ts_reply_next(&it, &s);
    gl_ts_reply_next(&it, &s);
    cr_expect_eq(gl_ts_reply_next(&it, &s), GL_ERR_MALFORMED);
    gl_be32(b.data, 3);
    cr_assert_eq(gl_ts_reply_begin(b.data, b.len - 1, &it), GL_OK);
    gl_ts_reply_next(&it, &s);
    gl_ts_reply_next(&it, &s);
    cr_expect_eq(gl_ts_reply_next(&it, &s), GL_ERR_MALFORMED);
    cr_expect_eq(gl_ts_reply_begin(b.data, 3, &it), GL_ERR_MALFORMED);
    gl_buf_free(&b);
}
