/*
 * tests/unit/test_payroll_parse.c — the payroll journal read with its
 * mapping (client/payroll/payroll_parse.c, payroll_mapping.c): the
 * sample month (UTF-8 and Windows-1252), months written four ways,
 * signed amounts, zero rows left out, the name column never read, the
 * mapping's INI text both ways, and every refusal with its line and
 * column (972, 974).
 */
#include "payroll_util.h"

#include "proto/status.h"

static gl_payroll_mapping inline_mapping(void)
{
    gl_payroll_mapping m;
    gl_payroll_mapping_defaults(&m);
    m.month_col = 0;
    m.employee_col = 1;
    m.name_col = 2;
    m.rubric_col = 3;
    m.account_col = 4;
    m.debit_col = 5;
    m.credit_col = 6;
    m.action_col = 7;
    return m;
}

static int parse_text(const char *text, const gl_payroll_mapping *m, gl_payroll_file *f,
                      gl_payroll_error *err)
{
    return gl_payroll_parse((const uint8_t *)text, strlen(text), m, f, err);
}

/* A refusal of text: its status, line, column and role. */
static void expect_refused(const char *text, const gl_payroll_mapping *m, int status, uint32_t line,
                           int col, const char *column)
{
    gl_payroll_file f;
    gl_payroll_error err;
    cr_assert_eq(parse_text(text, m, &f, &err), -1, "accepted: %s", text);
    cr_expect_eq(err.status, status, "status %d for %s", err.status, text);
    cr_expect_eq(err.line, line, "line %u for %s", err.line, text);
    cr_expect_eq(err.col, col, "column %d for %s", err.col, text);
    if (column)
        cr_expect_str_eq(err.column, column);
    cr_expect_eq(f.n, 0);
    cr_expect_null(f.rows);
}

Test(payroll_parse, sample_month)
{
    gl_payroll_file f;
    gl_payroll_error err;
    cr_assert_eq(payroll_parse_sample("2026-03.csv", &f, &err), 0, "line %u: %s", err.line,
                 err.reason);
    cr_assert_eq(f.n, 108);
    cr_expect_eq(f.zero_rows, 0);
    const gl_payroll_row *r = &f.rows[0];
    cr_expect_eq(r->line, 2);
    cr_expect_eq(r->month, 202603);
    cr_expect_str_eq(r->employee, "EMP001");
    cr_expect_str_eq(r->account, "641100");
    cr_expect_str_eq(r->rubric, "Salaire de base");
    cr_expect_str_eq(r->action, "");
    cr_expect_eq(r->debit_cents, 260000);
    cr_expect_eq(r->credit_cents, 0);
    int64_t d = 0, c = 0;
    for (size_t i = 0; i < f.n; i++) {
        cr_expect_eq(f.rows[i].month, 202603);
        d += f.rows[i].debit_cents;
        c += f.rows[i].credit_cents;
    }
    cr_expect_eq(d, 1150961);
    cr_expect_eq(c, 1150961);
    gl_payroll_file_free(&f);
}

Test(payroll_parse, windows_1252_same_rows)
{
    gl_payroll_file a, b;
    gl_payroll_error err;
    cr_assert_eq(payroll_parse_sample("2026-03.csv", &a, &err), 0);
    cr_assert_eq(payroll_parse_sample("2026-03-cp1252.csv", &b, &err), 0, "line %u: %s", err.line,
                 err.reason);
    cr_assert_eq(a.n, b.n);
    for (size_t i = 0; i < a.n; i++) {
        cr_expect_str_eq(a.rows[i].rubric, b.rows[i].rubric);
        cr_expect_eq(a.rows[i].debit_cents, b.rows[i].debit_cents);
        cr_expect_eq(a.rows[i].credit_cents, b.rows[i].credit_cents);
    }
    cr_expect_str_eq(a.rows[1].rubric, "CSG déductible");
    gl_payroll_file_free(&a);
    gl_payroll_file_free(&b);
}

Test(payroll_parse, months_written_four_ways)
{
    static const char *const months[] = {"2026-03", "03/2026", "03-2026", "202603"};
    gl_payroll_mapping m = inline_mapping();
    for (size_t i = 0; i < 4; i++) {
        char text[256];
        snprintf(text, sizeof text, "%s;EMP001;X;Salaire;641100;100,00;;\n", months[i]);
        gl_payroll_file f;
        gl_payroll_error err;
        cr_assert_eq(parse_text(text, &m, &f, &err), 0, "%s: %s", months[i], err.reason);
        cr_expect_eq(f.rows[0].month, 202603, "%s", months[i]);
        gl_payroll_file_free(&f);
    }
}

Test(payroll_parse, date_column_signed_amount_and_zero_rows)
{
    gl_payroll_mapping m;
    gl_payroll_mapping_defaults(&m);
    m.csv.separator = ',';
    m.csv.decimal = '.';
    strcpy(m.csv.date_format, "YYYY-MM-DD");
    m.date_col = 0;
    m.employee_col = 1;
    m.account_col = 2;
    m.amount_col = 3;
    static const char text[] =
        "2026-03-31,EMP001,641100,\"1 200.50\"\n"
        "2026-03-31,EMP001,641100,-0.50\n"
        "2026-03-31,,421000,-1200.00\n"
        "2026-03-31,EMP002,645100,0.00\n"
        "\n";
    gl_payroll_file f;
    gl_payroll_error err;
    cr_assert_eq(parse_text(text, &m, &f, &err), 0, "line %u: %s", err.line, err.reason);
    cr_assert_eq(f.n, 3);
    cr_expect_eq(f.zero_rows, 1);
    cr_expect_eq(f.rows[0].debit_cents, 120050);
    cr_expect_eq(f.rows[1].credit_cents, 50); /* a negative amount is a credit */
    cr_expect_eq(f.rows[1].debit_cents, 0);
    cr_expect_eq(f.rows[2].credit_cents, 120000);
    cr_expect_str_eq(f.rows[2].employee, "");
    gl_payroll_file_free(&f);
}

Test(payroll_parse, negative_debit_is_a_credit)
{
    gl_payroll_mapping m = inline_mapping();
    gl_payroll_file f;
    gl_payroll_error err;
    cr_assert_eq(parse_text("03/2026;EMP001;X;Absence;641100;-80,00;;\n", &m, &f, &err), 0);
    cr_expect_eq(f.rows[0].debit_cents, 0);
    cr_expect_eq(f.rows[0].credit_cents, 8000);
    gl_payroll_file_free(&f);
}

Test(payroll_parse, the_name_column_is_never_read)
{
    /* a name that no field rule would accept, and a quote never closed
     * would be refused: the name column is skipped whatever it holds */
    gl_payroll_mapping m = inline_mapping();
    gl_payroll_file f;
    gl_payroll_error err;
    cr_assert_eq(parse_text("03/2026;EMP001;\x01\x02 Zoé;Salaire;641100;10,00;;\n", &m, &f, &err),
                 0);
    cr_expect_null(memmem(&f.rows[0], sizeof f.rows[0], "Zo", 2));
    cr_expect_str_eq(f.rows[0].rubric, "Salaire");
    gl_payroll_file_free(&f);
}

Test(payroll_parse, refusals_name_line_and_column)
{
    gl_payroll_mapping m = inline_mapping();
    const char *ok = "03/2026;EMP001;X;Salaire;641100;100,00;;\n";
    char text[512];
    /* the month: impossible, too many digits (fuzz_payroll's first find:
     * seven digits overran the digits' buffer), a separator misplaced */
    static const char *const bad_months[] = {"13/2026", "2026033", "20260303", "2026/3",
                                             "202-603", "03.2026", "2026-3-"};
    for (size_t i = 0; i < sizeof bad_months / sizeof bad_months[0]; i++) {
        snprintf(text, sizeof text, "%s%s;EMP001;X;S;641100;1,00;;\n", ok, bad_months[i]);
        expect_refused(text, &m, GL_ERR_PAYROLL_FILE_INVALID, 2, 0, "month");
    }
    /* the account: missing, malformed */
    snprintf(text, sizeof text, "%s03/2026;EMP001;X;S;;1,00;;\n", ok);
    expect_refused(text, &m, GL_ERR_PAYROLL_FILE_INVALID, 2, 4, "account");
    snprintf(text, sizeof text, "%s03/2026;EMP001;X;S;0641;1,00;;\n", ok);
    expect_refused(text, &m, GL_ERR_PAYROLL_FILE_INVALID, 2, 4, "account");
    /* the employee: required on 641x and 645x, a code's syntax */
    snprintf(text, sizeof text, "%s03/2026;;X;S;645100;1,00;;\n", ok);
    expect_refused(text, &m, GL_ERR_PAYROLL_FILE_INVALID, 2, 1, "employee");
    snprintf(text, sizeof text, "%s03/2026;emp 1;X;S;421000;;1,00;\n", ok);
    expect_refused(text, &m, GL_ERR_PAYROLL_FILE_INVALID, 2, 1, "employee");
    /* the action's syntax */
    snprintf(text, sizeof text, "%s03/2026;EMP001;X;S;641100;1,00;;fse 2026\n", ok);
    expect_refused(text, &m, GL_ERR_PAYROLL_FILE_INVALID, 2, 7, "action");
    /* amounts: a third decimal, not a number, a point with a decimal comma */
    snprintf(text, sizeof text, "%s03/2026;EMP001;X;S;641100;1,005;;\n", ok);
    expect_refused(text, &m, GL_ERR_PAYROLL_FILE_INVALID, 2, 5, "debit");
    snprintf(text, sizeof text, "%s03/2026;EMP001;X;S;421000;;abc;\n", ok);
    expect_refused(text, &m, GL_ERR_PAYROLL_FILE_INVALID, 2, 6, "credit");
    /* a quote never closed: the line it opens on */
    snprintf(text, sizeof text, "%s03/2026;EMP001;\"X;S;641100;1,00;;\n", ok);
    expect_refused(text, &m, GL_ERR_PAYROLL_FILE_INVALID, 2, -1, NULL);
    /* an empty journal */
    expect_refused("", &m, GL_ERR_PAYROLL_FILE_INVALID, 0, -1, NULL);
    expect_refused("03/2026;EMP001;X;S;641100;0,00;;\n", &m, GL_ERR_PAYROLL_FILE_INVALID, 0, -1,
                   NULL);
}

Test(payroll_parse, several_months_refused_at_the_first_other_row)
{
    gl_payroll_mapping m = inline_mapping();
    gl_payroll_file f;
    gl_payroll_error err;
    static const char text[] =
        "03/2026;EMP001;X;S;641100;1,00;;\n"
        "03/2026;EMP001;X;S;421000;;1,00;\n"
        "04/2026;EMP001;X;S;641100;1,00;;\n";
    cr_assert_eq(parse_text(text, &m, &f, &err), -1);
    cr_expect_eq(err.status, GL_ERR_PAYROLL_MONTHS);
    cr_expect_eq(err.line, 3);
    cr_expect_eq(err.months[0], 202603);
    cr_expect_eq(err.months[1], 202604);
}

Test(payroll_parse, broken_samples)
{
    static const struct {
        const char *file;
        int status;
        uint32_t line;
        const char *column;
    } cases[] = {{"two-months.csv", GL_ERR_PAYROLL_MONTHS, 109, NULL},
                 {"bad-amount.csv", GL_ERR_PAYROLL_FILE_INVALID, 11, "debit"},
                 {"no-employee.csv", GL_ERR_PAYROLL_FILE_INVALID, 2, "employee"},
                 {"bad-month.csv", GL_ERR_PAYROLL_FILE_INVALID, 5, "month"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gl_payroll_file f;
        gl_payroll_error err;
        cr_assert_eq(payroll_parse_sample(cases[i].file, &f, &err), -1, "%s", cases[i].file);
        cr_expect_eq(err.status, cases[i].status, "%s", cases[i].file);
        cr_expect_eq(err.line, cases[i].line, "%s: line %u", cases[i].file, err.line);
        if (cases[i].column)
            cr_expect_str_eq(err.column, cases[i].column, "%s", cases[i].file);
    }
}

Test(payroll_mapping, ini_both_ways)
{
    gl_payroll_mapping m = inline_mapping(), back;
    m.csv.skip_lines = 2;
    m.csv.separator = '\t';
    char text[1024];
    cr_assert_gt(gl_payroll_mapping_format(&m, text, sizeof text), 0);
    cr_expect(strstr(text, "separator = tab\n"));
    cr_expect(strstr(text, "employee_col = 1\n"));
    cr_expect(!strstr(text, "amount_col"));
    unsigned line;
    const char *reason = NULL;
    cr_assert_eq(gl_payroll_mapping_parse(text, &back, &line, &reason), 0, "%u: %s", line, reason);
    cr_expect_eq(memcmp(&m, &back, sizeof m), 0);
    cr_expect_eq(gl_payroll_mapping_format(&m, text, 20), -1);
}

Test(payroll_mapping, refusals)
{
    gl_payroll_mapping m;
    unsigned line;
    const char *reason;
    cr_expect_eq(gl_payroll_mapping_parse("[csv]\nmonth_col = 0\naccount_col = 1\ndebit_col = 2\n"
                                          "credit_col = 3\n",
                                          &m, &line, &reason),
                 -1);
    cr_expect_str_eq(reason, "a payroll mapping needs an employee column and an account column");
    cr_expect_eq(gl_payroll_mapping_parse("[csv]\nemployee_col = 0\naccount_col = 1\n"
                                          "amount_col = 2\n",
                                          &m, &line, &reason),
                 -1);
    cr_expect_str_eq(reason, "a payroll mapping needs a date column or a month column");
    cr_expect_eq(gl_payroll_mapping_parse("[csv]\nmonth_col = 0\nemployee_col = 1\n"
                                          "account_col = 2\namount_col = 3\ndebit_col = 4\n",
                                          &m, &line, &reason),
                 -1);
    cr_expect_str_eq(reason, "a mapping needs an amount column, or a debit and a credit column");
    cr_expect_eq(
        gl_payroll_mapping_parse("[csv]\nmonth_col = 0\nwages_col = 1\n", &m, &line, &reason), -1);
    cr_expect_eq(line, 3);
    cr_expect_eq(gl_payroll_mapping_parse("[csv]\nmonth_col = x\n", &m, &line, &reason), -1);
    cr_expect_eq(line, 2);
}
