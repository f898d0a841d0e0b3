/*
 * tests/integration/test_payroll_cli.c — `grandlivre payroll import` end
 * to end (issue 19, "Payroll import"): a real daemon, tenant alpha's
 * payroll accounts open, axes salarie and action open with the sample's
 * actions, the mapping saved by `payroll csv-mapping`, and the sample
 * month of tests/data/payroll/ (four employees, 108 rows, 11 509,61).
 * The import posts one entry (journal SA, 31 March, PAIE-2026-03) whose
 * lines are checked one by one against sums made here from the file's
 * rows, with the employees' and actions' codes on the 641x/645x lines;
 * the same file again is a replay ("already imported"); every refusal
 * (972, 973, 974 before anything is sent; 485 from the daemon for an
 * employee code not open) leaves the ledger byte for byte as it was;
 * --open-codes opens the missing employee codes, labelled with the code.
 */
#include "tests/support/harness.h"

#include "client/payroll/payroll.h"
#include "proto/analytic.h"
#include "proto/entry.h"
#include "proto/query.h"
#include "proto/reply.h"
#include "proto/request.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static harness h;
static uint8_t digest_before[32];
static char out[65536], err[8192];

#define HAS(text, needle) cr_assert_not_null(strstr(text, needle), "missing: %s\n%s", needle, text)

static const char *const employees[] = {"EMP001", "EMP002", "EMP003", "EMP004"};

static void call_ok(uint16_t kind, gl_buf *b, const char *what)
{
    gl_response r = {0};
    int st = h_call(&h, K_ACCOUNTANT, kind, "alpha", 0, b->data, b->len, &r);
    cr_assert_eq(st, GL_OK, "%s: %s", what, gl_status_name(st));
    gl_response_free(&r);
    gl_buf_free(b);
}

static void axis_open(const char *axis, const char *label)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_an_axis_set_q q = {{axis, strlen(axis)}, GL_AN_OPEN, {label, strlen(label)}};
    gl_an_axis_set_q_encode(&b, &q);
    call_ok(GL_KIND_ANALYTIC_AXIS_SET, &b, axis);
}

static void code_open(const char *axis, const char *code, const char *label)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_an_code_set_q q = {
        {axis, strlen(axis)}, {code, strlen(code)}, GL_AN_OPEN, {label, strlen(label)}};
    gl_an_code_set_q_encode(&b, &q);
    call_ok(GL_KIND_ANALYTIC_CODE_SET, &b, code);
}

static void open_employees(void)
{
    static const char *const labels[] = {"Coordinatrice", "Animateur", "Animatrice", "Comptable"};
    for (size_t i = 0; i < 4; i++)
        code_open("salarie", employees[i], labels[i]);
}

static void setup(void)
{
    h_setup(&h);
    static const char *const accounts[] = {"421000", "431000", "437200", "437300", "442100",
                                           "447000", "631100", "641100", "645100", "645200",
                                           "645300", "645400", "645800"};
    h_open_accounts(&h, "alpha", accounts, sizeof accounts / sizeof accounts[0]);
    axis_open("salarie", "Salariés");
    axis_open("action", "Actions");
    code_open("action", "ACCOMP-2026", "Accompagnement 2026");
    code_open("action", "ATELIERS", "Ateliers");
    int rc = h_cli(&h, K_ACCOUNTANT, out, sizeof out,
                   "payroll csv-mapping default --tenant alpha --skip 1 --month 0 --employee 1 "
                   "--employee-name 2 --rubric 3 --account 4 --debit 5 --credit 6 --action 7");
    h_cli_err(&h, err, sizeof err);
    cr_assert_eq(rc, 0, "%s%s", out, err);
    HAS(out, "mapping default saved in");
    h_digest(&h, digest_before);
}

static void teardown(void) { h_teardown(&h); }

TestSuite(payroll_cli, .init = setup, .fini = teardown, .timeout = 120);

/* The absolute path of a sample (the CLI runs in the test's directory). */
static const char *sample(const char *name)
{
    static char path[PATH_MAX];
    char rel[256];
    snprintf(rel, sizeof rel, "tests/data/payroll/%s", name);
    cr_assert_not_null(realpath(rel, path), "%s (run from the top of the tree)", rel);
    return path;
}

static int import(const char *name, const char *options)
{
    int rc = h_cli(&h, K_ACCOUNTANT, out, sizeof out, "payroll import --tenant alpha %s '%s'",
                   options, sample(name));
    h_cli_err(&h, err, sizeof err);
    /* under make asan a refusal's exit status 1 could hide a report */
    cr_assert_null(strstr(err, "Sanitizer"), "%s", err);
    cr_assert_null(strstr(err, "runtime error"), "%s", err);
    return rc;
}

static void unchanged_by(const char *what)
{
    uint8_t after[32];
    h_digest(&h, after);
    cr_assert(!memcmp(digest_before, after, 32), "%s changed the ledger", what);
    cr_assert_eq(h_entry_count(&h, "alpha"), 0);
}

/* The sample's rows, read here with the mapping the test saved. */
static void sample_rows(gl_payroll_file *f)
{
    gl_payroll_mapping m;
    gl_payroll_mapping_defaults(&m);
    m.csv.skip_lines = 1;
    m.month_col = 0;
    m.employee_col = 1;
    m.rubric_col = 3;
    m.account_col = 4;
    m.debit_col = 5;
    m.credit_col = 6;
    m.action_col = 7;
    FILE *fp = fopen(sample("2026-03.csv"), "rb");
    cr_assert(fp);
    static uint8_t bytes[65536];
    size_t n = fread(bytes, 1, sizeof bytes, fp);
    fclose(fp);
    gl_payroll_error e;
    cr_assert_eq(gl_payroll_parse(bytes, n, &m, f, &e), 0);
}

/* The net of the rows of account (and employee and action, when not NULL). */
static int64_t rows_net(const gl_payroll_file *f, const char *account, const char *employee,
                        const char *action)
{
    int64_t net = 0;
    for (size_t i = 0; i < f->n; i++) {
        const gl_payroll_row *r = &f->rows[i];
        if (!strcmp(r->account, account) && (!employee || !strcmp(r->employee, employee)) &&
            (!action || !strcmp(r->action, action)))
            net += r->debit_cents - r->credit_cents;
    }
    return net;
}

/* A line's code on axis, "" if none. */
static void line_code(const gl_line *l, const char *axis, char *code)
{
    code[0] = '\0';
    gl_analytic a;
    if (!gl_line_analytic(l->ext, l->ext_len, &a))
        return;
    for (size_t i = 0; i < a.naxes; i++)
        if (a.axes[i].axis.len == strlen(axis) && !memcmp(a.axes[i].axis.ptr, axis, strlen(axis))) {
            cr_assert_eq(a.axes[i].count, 1);
            cr_assert_eq(a.axes[i].shares[0].amount_cents, l->amount_cents);
            memcpy(code, a.axes[i].shares[0].code.ptr, a.axes[i].shares[0].code.len);
            code[a.axes[i].shares[0].code.len] = '\0';
        }
}

static void expect_entry(uint16_t fy, uint32_t num)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_entry_ref_encode(&b, &(gl_entry_ref){fy, num});
    gl_response r = {0};
    cr_assert_eq(h_call(&h, K_ACCOUNTANT, GL_KIND_ENTRY_GET, "alpha", 0, b.data, b.len, &r), GL_OK);
    gl_buf_free(&b);
    gl_reply_entry_get g;
    cr_assert_eq(gl_reply_entry_get_decode(gl_reply_view(r.reply.body, r.reply.body_len), &g),
                 GL_OK);
    const gl_entry *e = &g.entry;
    cr_expect_eq(e->date, 20260331);
    cr_expect(e->journal.len == 2 && !memcmp(e->journal.ptr, "SA", 2));
    cr_expect(e->piece_ref.len == 12 && !memcmp(e->piece_ref.ptr, "PAIE-2026-03", 12));
    cr_expect(e->label.len == 12 && !memcmp(e->label.ptr, "Paie 03/2026", 12));
    cr_expect_eq(e->line_count, 31);
    /* the employees' names (column 2 of the file) are nowhere in it */
    cr_expect_null(memmem(e->raw, e->raw_len, "DUPONT", 6));
    cr_expect_null(memmem(e->raw, e->raw_len, "Karim", 5));
    gl_payroll_file f;
    sample_rows(&f);
    gl_line_iter it;
    gl_line l;
    gl_line_iter_init(&it, e);
    int64_t debit = 0;
    size_t detailed = 0;
    while (gl_line_next(&it, &l)) {
        char account[GL_ACCOUNT_MAX + 1], employee[GL_AN_CODE_MAX + 1], action[GL_AN_CODE_MAX + 1];
        snprintf(account, sizeof account, "%.*s", (int)l.account.len, l.account.ptr);
        line_code(&l, "salarie", employee);
        line_code(&l, "action", action);
        bool det = gl_payroll_account_detailed(account);
        cr_expect_eq(det, employee[0] != '\0', "%s carries an employee: %s", account, employee);
        int64_t net = rows_net(&f, account, det ? employee : NULL, det ? action : NULL);
        cr_expect_eq(l.side == GL_SIDE_DEBIT ? l.amount_cents : -l.amount_cents, net, "%s %s %s",
                     account, employee, action);
        if (!det)
            cr_expect_eq(l.ext_len, 0, "%s carries no code", account);
        if (det && !strcmp(employee, "EMP002"))
            cr_expect_str_eq(action, "ACCOMP-2026");
        if (det && !strcmp(employee, "EMP001"))
            cr_expect_str_eq(action, "");
        detailed += det;
        debit += l.side == GL_SIDE_DEBIT ? l.amount_cents : 0;
    }
    cr_expect_eq(detailed, 24);
    cr_expect_eq(debit, 1150961);
    gl_payroll_file_free(&f);
    gl_response_free(&r);
}

Test(payroll_cli, the_month_is_one_entry_with_its_codes)
{
    open_employees();
    h_digest(&h, digest_before);
    int rc = import("2026-03.csv", "");
    cr_assert_eq(rc, 0, "%s%s", out, err);
    HAS(out, "posted 2026/1: Paie 03/2026 — lines: 31, employees: 4, total 11509.61");
    cr_assert_eq(h_entry_count(&h, "alpha"), 1);
    expect_entry(2026, 1);
    cr_expect_eq(h_balance(&h, "alpha", "641100", 20260331), 827000);
    cr_expect_eq(h_balance(&h, "alpha", "421000", 20260331), -626162);
    cr_assert_gt(h_verify_chains(&h), 0);
}

/* The analytic balance of axis salarie at the month's end, per employee:
 * each one's 641x/645x lines of the file, and nothing else allocated. */
Test(payroll_cli, the_employees_costs_in_the_analytic_balance)
{
    open_employees();
    cr_assert_eq(import("2026-03.csv", ""), 0, "%s%s", out, err);
    gl_buf b;
    gl_buf_init(&b);
    gl_an_balance_q q = {{"salarie", 7}, 2026, 20260331};
    gl_an_balance_q_encode(&b, &q);
    gl_response r = {0};
    cr_assert_eq(h_call(&h, K_ACCOUNTANT, GL_KIND_ANALYTIC_BALANCE, "alpha", 0, b.data, b.len, &r),
                 GL_OK);
    gl_buf_free(&b);
    gl_an_balance_iter it;
    gl_an_balance_row row;
    cr_assert_eq(gl_an_balance_reply_begin(r.reply.body, r.reply.body_len, &it), GL_OK);
    gl_payroll_file f;
    sample_rows(&f);
    int64_t per_employee[4] = {0}, expected[4] = {0};
    int st;
    while ((st = gl_an_balance_reply_next(&it, &row)) == GL_OK) {
        if (!row.code.len)
            continue; /* not allocated: the other accounts of classes 6 and 7 */
        char code[GL_AN_CODE_MAX + 1], account[GL_ACCOUNT_MAX + 1];
        snprintf(code, sizeof code, "%.*s", (int)row.code.len, row.code.ptr);
        snprintf(account, sizeof account, "%.*s", (int)row.account.len, row.account.ptr);
        cr_expect(gl_payroll_account_detailed(account), "%s on %s", code, account);
        cr_expect_eq(row.debit_cents - row.credit_cents, rows_net(&f, account, code, NULL), "%s %s",
                     code, account);
        for (size_t i = 0; i < 4; i++)
            if (!strcmp(code, employees[i]))
                per_employee[i] += row.debit_cents - row.credit_cents;
    }
    cr_assert_eq(st, GL_ERR_NOT_FOUND);
    for (size_t k = 0; k < f.n; k++)
        for (size_t i = 0; i < 4; i++)
            if (gl_payroll_account_detailed(f.rows[k].account) &&
                !strcmp(f.rows[k].employee, employees[i]))
                expected[i] += f.rows[k].debit_cents - f.rows[k].credit_cents;
    for (size_t i = 0; i < 4; i++)
        cr_expect_eq(per_employee[i], expected[i], "%s", employees[i]);
    cr_expect_eq(per_employee[1], 225000 + 49996 + 3500 + 13523 + 9450 + 1800); /* EMP002 */
    gl_payroll_file_free(&f);
    gl_response_free(&r);
}

Test(payroll_cli, the_same_file_again_is_a_replay)
{
    open_employees();
    cr_assert_eq(import("2026-03.csv", ""), 0, "%s%s", out, err);
    uint8_t once[32], twice[32];
    h_digest(&h, once);
    int rc = import("2026-03.csv", "");
    cr_assert_eq(rc, 0, "%s%s", out, err);
    HAS(out, "PAIE-2026-03: already imported (entry 2026/1)");
    h_digest(&h, twice);
    cr_assert(!memcmp(once, twice, 32), "the replay wrote");
    cr_assert_eq(h_entry_count(&h, "alpha"), 1);
    /* the same bytes in Windows-1252 are another file: refused as no
     * other month is, but never as a replay of the first */
    cr_assert_eq(import("2026-03-cp1252.csv", "--dry-run"), 0, "%s%s", out, err);
}

Test(payroll_cli, refusals_name_the_line_and_change_nothing)
{
    open_employees();
    h_digest(&h, digest_before);
    static const struct {
        const char *file, *needle;
    } cases[] = {
        {"unbalanced.csv",
         "unbalanced.csv: error 973 payroll_unbalanced: the payroll journal's debits and credits "
         "differ; nothing was imported — debits 11509.61, credits 11509.62, difference -0.01"},
        {"two-months.csv", "two-months.csv:109: error 974 payroll_months"},
        {"bad-amount.csv", "bad-amount.csv:11: debit (mapping column 5): error 972"},
        {"no-employee.csv", "no-employee.csv:2: employee (mapping column 1): error 972"},
        {"bad-month.csv", "bad-month.csv:5: month (mapping column 0): error 972"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = import(cases[i].file, "");
        cr_expect_eq(rc, 1, "%s: %d", cases[i].file, rc);
        HAS(err, cases[i].needle);
        unchanged_by(cases[i].file);
    }
}

Test(payroll_cli, an_employee_not_open_is_refused_then_open_codes_opens_it)
{
    code_open("salarie", "EMP001", "Coordinatrice");
    h_digest(&h, digest_before);
    int rc = import("2026-03.csv", "");
    cr_assert_eq(rc, 1, "%s%s", out, err);
    HAS(err, "485");
    unchanged_by("an employee code not open");
    rc = import("2026-03.csv", "--open-codes");
    cr_assert_eq(rc, 0, "%s%s", out, err);
    cr_expect_null(strstr(out, "code EMP001 opened"));
    HAS(out, "code EMP002 opened on axis salarie");
    HAS(out, "code EMP004 opened on axis salarie");
    HAS(out, "posted 2026/1");
    /* the codes opened are labelled with the code, never a name */
    rc = h_cli(&h, K_ACCOUNTANT, out, sizeof out, "analytic axes --tenant alpha --format csv");
    h_cli_err(&h, err, sizeof err);
    if (rc == 0) {
        cr_expect_null(strstr(out, "BENALI"));
        cr_expect_null(strstr(out, "Karim"));
    }
}

/* The March sample with the first salary 10.00 higher and its CSG 10.00
 * higher: a corrected export of the same month, balanced. */
static const char *corrected_march(void)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/2026-03-corrected.csv", h.dir);
    FILE *in = fopen(sample("2026-03.csv"), "r"), *o = fopen(path, "w");
    cr_assert(in && o);
    char line[512];
    int changed = 0;
    while (fgets(line, sizeof line, in)) {
        char *p;
        if ((p = strstr(line, ";641100;2600,00;")) && !changed++)
            memcpy(p, ";641100;2610,00;", 16);
        else if ((p = strstr(line, ";431000;;173,71;")))
            memcpy(p, ";431000;;183,71;", 16), changed++;
        fputs(line, o);
    }
    fclose(in);
    fclose(o);
    cr_assert_eq(changed, 2);
    return path;
}

static int import_path(enum h_key k, const char *path, const char *options)
{
    int rc = h_cli(&h, k, out, sizeof out, "payroll import --tenant alpha %s '%s'", options, path);
    h_cli_err(&h, err, sizeof err);
    return rc;
}

Test(payroll_cli, the_month_stands_once_whoever_imports_it)
{
    open_employees();
    cr_assert_eq(import("2026-03.csv", ""), 0, "%s%s", out, err);
    uint8_t once[32], after[32];
    h_digest(&h, once);
    /* the same file signed by the member's own key: no second entry */
    cr_assert_eq(import_path(K_ALPHA, sample("2026-03.csv"), ""), 0, "%s%s", out, err);
    HAS(out, "PAIE-2026-03: already imported (entry 2026/1)");
    h_digest(&h, after);
    cr_assert(!memcmp(once, after, 32), "another key's import wrote");
    /* a corrected export of the month: refused until the entry is reversed */
    const char *fixed = corrected_march();
    cr_assert_eq(import_path(K_ACCOUNTANT, fixed, ""), 1, "%s%s", out, err);
    HAS(err, "error 982 payroll_month_posted");
    HAS(err,
        "PAIE-2026-03 is entry 2026/1; reverse it first (grandlivre reverse --tenant alpha "
        "2026/1)");
    h_digest(&h, after);
    cr_assert(!memcmp(once, after, 32), "the refusal wrote");
    cr_assert_eq(h_entry_count(&h, "alpha"), 1);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, out, sizeof out, "reverse --tenant alpha 2026/1"), 0, "%s",
                 out);
    cr_assert_eq(import_path(K_ACCOUNTANT, fixed, ""), 0, "%s%s", out, err);
    HAS(out, "posted 2026/3");
    cr_assert_eq(h_entry_count(&h, "alpha"), 3);
    /* the corrected month stands: the original file is now another month's lines */
    cr_assert_eq(import("2026-03.csv", ""), 1, "%s%s", out, err);
    HAS(err, "PAIE-2026-03 is entry 2026/3");
    cr_assert_eq(h_entry_count(&h, "alpha"), 3);
}
