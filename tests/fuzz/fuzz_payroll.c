/*
 * tests/fuzz/fuzz_payroll.c — libFuzzer target for the payroll journal's
 * reading and summing (client/payroll/): any bytes must give the rows of
 * one month and a balanced entry, or one located refusal, never a crash,
 * a leak or a read past the end.  The first byte chooses what reads the
 * rest: 0 a journal with the samples' mapping (';', decimal comma, month,
 * debit and credit columns), 1 a journal with a signed-amount mapping
 * (tab, '.', ISO dates), 2 a mapping's INI text.  On success: every row
 * of the first row's month, amounts >= 0 and not both 0; the summary's
 * lines > 0, debits = credits = the rows' totals, an employee on every
 * 641x/645x line and on no other.  On refusal: no row kept and a status
 * among 972-974 (or nomem).
 * Seeds: tests/fuzz/corpus/fuzz_payroll/ (the files of
 * tests/data/payroll/, each behind its byte).
 */
#include "client/payroll/payroll.h"

#include "proto/entry.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static gl_payroll_mapping mapping(int which)
{
    gl_payroll_mapping m;
    gl_payroll_mapping_defaults(&m);
    if (which == 0) {
        m.csv.skip_lines = 1;
        m.month_col = 0, m.employee_col = 1, m.name_col = 2, m.rubric_col = 3;
        m.account_col = 4, m.debit_col = 5, m.credit_col = 6, m.action_col = 7;
    } else {
        m.csv.separator = '\t';
        m.csv.decimal = '.';
        strcpy(m.csv.date_format, "YYYY-MM-DD");
        m.date_col = 0, m.employee_col = 1, m.account_col = 2, m.amount_col = 3;
        m.action_col = 4;
    }
    return m;
}

static void check_summary(const gl_payroll_file *f, const gl_payroll_summary *s)
{
    int64_t d = 0, c = 0;
    for (size_t i = 0; i < s->n; i++) {
        const gl_payroll_line *l = &s->lines[i];
        if (l->amount_cents <= 0 ||
            gl_payroll_account_detailed(l->account) != (l->employee[0] != '\0'))
            abort();
        *(l->side == GL_SIDE_DEBIT ? &d : &c) += l->amount_cents;
        uint8_t item[2 + GL_AN_ITEM_MAX];
        if (l->employee[0] && !gl_payroll_line_item(l, item))
            abort();
    }
    if (d != c || s->debit_cents != s->credit_cents || d > s->debit_cents || !f->n)
        abort();
}

static void journal(const uint8_t *data, size_t size, int which)
{
    gl_payroll_mapping m = mapping(which);
    gl_payroll_file f;
    gl_payroll_error err;
    if (gl_payroll_parse(data, size, &m, &f, &err)) {
        if (f.rows || f.n ||
            (err.status != GL_ERR_PAYROLL_FILE_INVALID && err.status != GL_ERR_PAYROLL_MONTHS &&
             err.status != GL_ERR_NOMEM))
            abort();
        return;
    }
    for (size_t i = 0; i < f.n; i++)
        if (f.rows[i].month != f.rows[0].month || f.rows[i].debit_cents < 0 ||
            f.rows[i].credit_cents < 0 || (!f.rows[i].debit_cents && !f.rows[i].credit_cents))
            abort();
    gl_payroll_summary s;
    if (gl_payroll_summarise(&f, &s, &err) == 0) {
        check_summary(&f, &s);
        gl_payroll_summary_free(&s);
    } else if (s.lines ||
               (err.status != GL_ERR_PAYROLL_UNBALANCED &&
                err.status != GL_ERR_PAYROLL_FILE_INVALID && err.status != GL_ERR_NOMEM)) {
        abort();
    }
    gl_payroll_file_free(&f);
}

static void mapping_text(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return;
    memcpy(text, data, size);
    text[size] = '\0';
    gl_payroll_mapping m;
    unsigned line;
    const char *reason;
    if (gl_payroll_mapping_parse(text, &m, &line, &reason) == 0) {
        char back[1024];
        gl_payroll_mapping again;
        if (gl_payroll_mapping_format(&m, back, sizeof back) < 0 ||
            gl_payroll_mapping_parse(back, &again, &line, &reason) || memcmp(&m, &again, sizeof m))
            abort();
    }
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > (1u << 20))
        return 0;
    if (data[0] % 3 == 2)
        mapping_text(data + 1, size - 1);
    else
        journal(data + 1, size - 1, data[0] % 3);
    return 0;
}
