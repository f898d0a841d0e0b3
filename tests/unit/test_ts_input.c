/*
 * tests/unit/test_ts_input.c — time sheets as people type them
 * (client/timesheets/ts_input.h): hours to the minute (decimal comma or
 * point, H:MM), months, working times, and the CSV file read whole, its
 * refusals naming the line.
 */
#include "client/timesheets/ts_input.h"

#include "proto/status.h"

#include <criterion/criterion.h>
#include <string.h>

static bool hours(const char *s, uint32_t *m) { return ts_hours_parse(s, strlen(s), m); }

Test(ts_input, hours_to_the_minute)
{
    uint32_t m;
    cr_assert(hours("7,5", &m));
    cr_expect_eq(m, 450u);
    cr_assert(hours("7.25", &m));
    cr_expect_eq(m, 435u);
    cr_assert(hours("0.05", &m));
    cr_expect_eq(m, 3u);
    cr_assert(hours("7:30", &m));
    cr_expect_eq(m, 450u);
    cr_assert(hours("151,6667", &m) == false); /* 9,100.002 minutes */
    cr_assert(hours("1.5", &m));
    cr_expect_eq(m, 90u);
    cr_assert(hours("12", &m));
    cr_expect_eq(m, 720u);
    static const char *const bad[] = {"",    "0",    "0,00", "0.01", "7,",   ",5",    "7.12345",
                                      "7:5", "7:60", "-1",   "1e2",  "7,5h", "10000", "a"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_expect_not(hours(bad[i], &m), "%s", bad[i]);
}

Test(ts_input, months_and_working_times)
{
    uint32_t ym;
    uint16_t b;
    cr_expect(ts_month_parse("2026-03", 7, &ym) && ym == 202603);
    cr_expect(ts_month_parse("202612", 6, &ym) && ym == 202612);
    cr_expect_not(ts_month_parse("2026-13", 7, &ym));
    cr_expect_not(ts_month_parse("2026-3", 6, &ym));
    cr_expect_not(ts_month_parse("26-03", 5, &ym));
    cr_expect(ts_basis_parse("80", 2, &b) && b == 800);
    cr_expect(ts_basis_parse("80%", 3, &b) && b == 800);
    cr_expect(ts_basis_parse("100 %", 5, &b) && b == 1000);
    cr_expect(ts_basis_parse("62,5", 4, &b) && b == 625);
    cr_expect(ts_basis_parse("0.1", 3, &b) && b == 1);
    cr_expect_not(ts_basis_parse("0", 1, &b));
    cr_expect_not(ts_basis_parse("100.1", 5, &b));
    cr_expect_not(ts_basis_parse("101", 3, &b));
    cr_expect_not(ts_basis_parse("62,55", 5, &b));
}

static int parse(const char *text, ts_batch *b, char *err)
{
    memset(b, 0, sizeof *b);
    return ts_csv_parse(text, strlen(text), b, err, 256);
}

Test(ts_input, a_file_gives_its_sheets_in_order)
{
    const char *text =
        "\xEF\xBB\xBF"
        "employee;month;action;hours\r\n"
        "emp2;2026-03;fse;7,5\r\n"
        "EMP1;2026-03;VILLE;1:00;80\n"
        "\n"
        "EMP1;2026-03;FSE;2\n"
        "EMP2;2026-03;FSE;0.5\n"
        "EMP1;2026-02;FSE;3;\n";
    ts_batch b;
    char err[256] = "";
    cr_assert_eq(parse(text, &b, err), GL_OK, "%s", err);
    cr_assert_eq(b.n, 3u);
    cr_expect_str_eq(b.v[0].employee, "EMP1");
    cr_expect_eq(b.v[0].month, 202602u);
    cr_expect_eq(b.v[0].basis_per_mille, 0);
    cr_expect_eq(b.v[0].line, 7u);
    cr_expect_eq(b.v[1].month, 202603u);
    cr_expect_eq(b.v[1].basis_per_mille, 800);
    cr_assert_eq(b.v[1].n, 2u);
    cr_expect_str_eq(b.v[1].items[0].action, "FSE");
    cr_expect_eq(b.v[1].items[0].minutes, 120u);
    cr_expect_str_eq(b.v[1].items[1].action, "VILLE");
    cr_expect_str_eq(b.v[2].employee, "EMP2");
    cr_assert_eq(b.v[2].n, 1u);
    cr_expect_eq(b.v[2].items[0].minutes, 480u); /* the rows of one action add up */
    gl_buf body;
    gl_buf_init(&body);
    ts_sheet_put(&body, &b.v[1], 800);
    gl_timesheet s;
    uint32_t bad;
    cr_assert_eq(gl_ts_set_q_decode(body.data, body.len, &s, &bad), GL_OK);
    cr_expect_eq(gl_ts_check(&s, &bad), GL_TS_OK);
    cr_expect_eq(gl_ts_minutes(&s), 180u);
    gl_buf_free(&body);
    ts_batch_free(&b);
}

Test(ts_input, each_fault_names_its_line)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"EMP1;2026-03;FSE\n", "line 1: 3 fields"},
        {"EMP1;2026-03;FSE;1;80;x\n", "line 1: 6 fields"},
        {"EMP1;2026-03;FSE;1\nEMP1;2026-13;FSE;1\n", "line 2: month 2026-13"},
        {"EMP1;2026-03;FSE;0,01\n", "line 1: hours 0,01"},
        {"EMP1;2026-03;FSE;1;120\n", "line 1: working time 120"},
        {"EMP1;2026-03;F S E;1\n", "line 1: F S E is not a code"},
        {"EMP1;2026-03;FSE;1;80\nEMP1;2026-03;DEP;1;90\n", "line 2: EMP1 202603: two working"},
        {"employee;month;action;hours\n", "no time sheet row"},
        {"EMP1;2026-03;FSE;1\nemployee;month;action;hours\n", "line 2: month month"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ts_batch b;
        char err[256] = "";
        cr_expect_eq(parse(cases[i].text, &b, err), GL_ERR_TIMESHEET_CSV, "case %zu", i);
        cr_expect(strstr(err, cases[i].want), "case %zu: %s", i, err);
        ts_batch_free(&b);
    }
}
