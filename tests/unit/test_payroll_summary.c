/*
 * tests/unit/test_payroll_summary.c — a month's rows summed into its
 * entry (client/payroll/payroll_summary.c): the sample month against an
 * independent sum made here row by row, the entry's date, piece and
 * label, netting, labels, the order of the lines, the analytic item of a
 * line, and the refusals (973 with both totals, overflow).
 */
#include "payroll_util.h"

#include "proto/entry.h"
#include "proto/status.h"

static void summarise_ok(const char *sample, gl_payroll_file *f, gl_payroll_summary *s)
{
    gl_payroll_error err;
    cr_assert_eq(payroll_parse_sample(sample, f, &err), 0, "line %u: %s", err.line, err.reason);
    cr_assert_eq(gl_payroll_summarise(f, s, &err), 0, "status %d", err.status);
}

/* The net (debit - credit) of the rows of account, and of employee and
 * action when they are given ("" for none, NULL for any). */
static int64_t model_net(const gl_payroll_file *f, const char *account, const char *employee,
                         const char *action)
{
    int64_t net = 0;
    for (size_t i = 0; i < f->n; i++) {
        const gl_payroll_row *r = &f->rows[i];
        if (strcmp(r->account, account) || (employee && strcmp(r->employee, employee)) ||
            (action && strcmp(r->action, action)))
            continue;
        net += r->debit_cents - r->credit_cents;
    }
    return net;
}

Test(payroll_summary, sample_month_against_a_model)
{
    gl_payroll_file f;
    gl_payroll_summary s;
    summarise_ok("2026-03.csv", &f, &s);
    cr_expect_eq(s.month, 202603);
    cr_expect_eq(s.date, 20260331);
    cr_expect_str_eq(s.piece, "PAIE-2026-03");
    cr_expect_str_eq(s.label, "Paie 03/2026");
    cr_expect_eq(s.debit_cents, 1150961);
    cr_expect_eq(s.credit_cents, 1150961);
    cr_expect_eq(s.employees, 4);
    int64_t d = 0, c = 0;
    size_t detailed = 0;
    for (size_t i = 0; i < s.n; i++) {
        const gl_payroll_line *l = &s.lines[i];
        bool det = gl_payroll_account_detailed(l->account);
        int64_t net = model_net(&f, l->account, det ? l->employee : NULL, det ? l->action : NULL);
        int64_t signed_cents = l->side == GL_SIDE_DEBIT ? l->amount_cents : -l->amount_cents;
        cr_expect_eq(signed_cents, net, "line %zu %s %s", i, l->account, l->employee);
        cr_expect_gt(l->amount_cents, 0);
        cr_expect_eq(det, l->employee[0] != '\0', "%s", l->account);
        detailed += det;
        *(l->side == GL_SIDE_DEBIT ? &d : &c) += l->amount_cents;
        if (i)
            cr_expect_leq(strcmp(s.lines[i - 1].account, l->account), 0);
    }
    cr_expect_eq(d, c);
    /* 641100 and 645100/200/300/400/800 per employee: 4 x 6 */
    cr_expect_eq(detailed, 24);
    /* 421, 431, 437200, 437300, 442100, 447, 631100 summed whole */
    cr_expect_eq(s.n, 24 + 7);
    /* EMP002's gross: salaire de base and heures supplémentaires, one
     * line (two rubrics: no label), with its action */
    const gl_payroll_line *emp2 = NULL;
    for (size_t i = 0; i < s.n; i++)
        if (!strcmp(s.lines[i].account, "641100") && !strcmp(s.lines[i].employee, "EMP002"))
            emp2 = &s.lines[i];
    cr_assert(emp2);
    cr_expect_eq(emp2->amount_cents, 225000);
    cr_expect_str_eq(emp2->action, "ACCOMP-2026");
    cr_expect_str_eq(emp2->label, "");
    /* one rubric: its words */
    for (size_t i = 0; i < s.n; i++)
        if (!strcmp(s.lines[i].account, "421000"))
            cr_expect_str_eq(s.lines[i].label, "Net à payer");
    gl_payroll_summary_free(&s);
    gl_payroll_file_free(&f);
}

Test(payroll_summary, netting_and_actions)
{
    gl_payroll_mapping m;
    gl_payroll_mapping_defaults(&m);
    m.month_col = 0;
    m.employee_col = 1;
    m.account_col = 2;
    m.amount_col = 3;
    m.action_col = 4;
    static const char text[] =
        "2026-02;EMP001;641100;1000,00;FSE-2026\n"
        "2026-02;EMP001;641100;500,00;VILLE\n"
        "2026-02;EMP001;641100;-100,00;VILLE\n"
        "2026-02;EMP002;645100;50,00;\n"
        "2026-02;EMP002;645100;-50,00;\n"
        "2026-02;EMP001;421000;-1400,00;\n";
    gl_payroll_file f;
    gl_payroll_summary s;
    gl_payroll_error err;
    cr_assert_eq(gl_payroll_parse((const uint8_t *)text, strlen(text), &m, &f, &err), 0);
    cr_assert_eq(gl_payroll_summarise(&f, &s, &err), 0);
    cr_expect_str_eq(s.piece, "PAIE-2026-02");
    cr_expect_eq(s.date, 20260228);
    cr_assert_eq(s.n, 3); /* EMP002's 645100 nets to 0: no line */
    cr_expect_str_eq(s.lines[0].account, "421000");
    cr_expect_eq(s.lines[0].side, GL_SIDE_CREDIT);
    cr_expect_eq(s.lines[0].amount_cents, 140000);
    cr_expect_str_eq(s.lines[0].employee, "");
    cr_expect_str_eq(s.lines[1].action, "FSE-2026");
    cr_expect_eq(s.lines[1].amount_cents, 100000);
    cr_expect_str_eq(s.lines[2].action, "VILLE");
    cr_expect_eq(s.lines[2].amount_cents, 40000);
    cr_expect_eq(s.employees, 1);
    gl_payroll_summary_free(&s);
    gl_payroll_file_free(&f);
}

Test(payroll_summary, unbalanced_gives_both_totals)
{
    gl_payroll_file f;
    gl_payroll_summary s;
    gl_payroll_error err;
    cr_assert_eq(payroll_parse_sample("unbalanced.csv", &f, &err), 0);
    cr_assert_eq(gl_payroll_summarise(&f, &s, &err), -1);
    cr_expect_eq(err.status, GL_ERR_PAYROLL_UNBALANCED);
    cr_expect_eq(err.debit_cents, 1150961);
    cr_expect_eq(err.credit_cents, 1150962);
    cr_expect_null(s.lines);
    gl_payroll_file_free(&f);
}

Test(payroll_summary, overflow_refused)
{
    gl_payroll_row rows[12];
    gl_payroll_file f = {rows, 12, 12, 0};
    for (size_t i = 0; i < 12; i++) {
        rows[i] = (gl_payroll_row){.line = (uint32_t)i + 1, .month = 202603};
        strcpy(rows[i].account, i % 2 ? "421000" : "641100");
        strcpy(rows[i].employee, "EMP001");
        *(i % 2 ? &rows[i].credit_cents : &rows[i].debit_cents) = INT64_MAX / 4;
    }
    gl_payroll_summary s;
    gl_payroll_error err;
    cr_assert_eq(gl_payroll_summarise(&f, &s, &err), -1);
    cr_expect_eq(err.status, GL_ERR_PAYROLL_FILE_INVALID);
}

Test(payroll_summary, line_item_carries_employee_and_action)
{
    gl_payroll_line l = {.account = "641100",
                         .employee = "EMP003",
                         .action = "ATELIERS",
                         .side = GL_SIDE_DEBIT,
                         .amount_cents = 152000};
    uint8_t item[2 + GL_AN_ITEM_MAX];
    size_t n = gl_payroll_line_item(&l, item);
    cr_assert_gt(n, 2);
    cr_expect_eq(item[0], GL_EXT_ANALYTIC);
    cr_expect_eq(item[1], n - 2);
    gl_analytic a;
    cr_assert_eq(gl_analytic_decode(item + 2, n - 2, false, &a), GL_OK);
    cr_assert_eq(a.naxes, 2);
    cr_expect_eq(a.axes[0].axis.len, 6);
    cr_expect_eq(memcmp(a.axes[0].axis.ptr, "action", 6), 0);
    cr_expect_eq(memcmp(a.axes[0].shares[0].code.ptr, "ATELIERS", 8), 0);
    cr_expect_eq(memcmp(a.axes[1].axis.ptr, "salarie", 7), 0);
    cr_expect_eq(memcmp(a.axes[1].shares[0].code.ptr, "EMP003", 6), 0);
    cr_expect_eq(a.axes[1].shares[0].amount_cents, 152000);
    size_t bad;
    cr_expect_eq(gl_analytic_check_sum(&a, 152000, &bad), GL_OK);
    /* no action: the employee only; an account summed whole: nothing */
    l.action[0] = '\0';
    n = gl_payroll_line_item(&l, item);
    cr_assert_eq(gl_analytic_decode(item + 2, n - 2, false, &a), GL_OK);
    cr_expect_eq(a.naxes, 1);
    gl_payroll_line whole = {.account = "421000", .side = GL_SIDE_CREDIT, .amount_cents = 5};
    cr_expect_eq(gl_payroll_line_item(&whole, item), 0);
}
