/*
 * client/cli/cmd_analytic_balance.c — `grandlivre analytic balance --axis
 * A [--year Y] [--at DATE]` (issue 19, PROTOCOL.md §5.51): per code of the
 * axis and account, the debits and credits of the fiscal year's lines up
 * to a date (the codes' shares, carried by the entries or allocated
 * afterwards), then what classes 6 and 7 hold beyond them ("not
 * allocated", code ""), as the daemon reads them from its indexes.  For
 * people, each code's rows end with its total and the table with the
 * grand total; CSV and JSON give the rows only.
 */
#include "cmd_analytic.h"

#include "cli_replies.h"
#include "i18n.h"

#include "proto/date.h"
#include "proto/money.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    N_("usage: grandlivre analytic balance --axis AXIS --tenant T [--year Y] [--at DATE]\n"
       "                                   [--format F]\n"
       "\n"
       "The analytic balance of axis AXIS: per code and account, the debits, credits\n"
       "and balance (debit - credit) of the lines of fiscal year Y dated up to DATE\n"
       "inclusive (default: the year's last day; without --year, the fiscal year that\n"
       "contains DATE, by default today). A line counts for its code's share: the\n"
       "whole line for one code, its part for a distribution; codes carried by the\n"
       "entry or allocated afterwards (grandlivre analytic allocate). Then, as \"not\n"
       "allocated\" (code empty), what the accounts of classes 6 and 7 hold beyond the\n"
       "allocated shares. Tables give each code's total and the grand total; CSV\n"
       "(csv-fr for French spreadsheets) and JSON (amounts in cents) give the rows.\n"
       "Read from the daemon's indexes, never a scan of the entries.\n"
       "\n"
       "Example:\n"
       "  grandlivre analytic balance --axis action --year 2026 --tenant alpha\n");

/* Totals of one code, or of the whole table. */
typedef struct totals {
    int64_t debit_cents, credit_cents;
} totals;

static bool add(totals *t, int64_t debit, int64_t credit)
{
    return gl_money_add(&t->debit_cents, debit) && gl_money_add(&t->credit_cents, credit);
}

/* A row of the table: the balance computed, checked. */
static bool row(out_table *t, const char *code, const char *label, const char *account,
                int64_t debit, int64_t credit)
{
    int64_t balance = debit;
    if (!gl_money_sub(&balance, credit))
        return false;
    out_cstr(t, code);
    out_cstr(t, label);
    out_cstr(t, account);
    out_money(t, debit);
    out_money(t, credit);
    out_money(t, balance);
    return true;
}

static const char *code_label(const cli *c, const gl_an_axis_info *x, const char *code)
{
    if (!code[0])
        return cli_format_table(c) ? _("not allocated") : "";
    const gl_an_code_info *ci = gl_an_axis_code_find(x, code);
    return ci ? ci->label : "";
}

/* The rows, with per-code and grand totals for people. */
static out_table *balance_table(const cli *c, const gl_an_balance *b, const gl_an_axis_info *x,
                                bool *overflow)
{
    static const out_col cols[] = {{"code", OUT_REF},     {"label", OUT_TEXT},
                                   {"account", OUT_REF},  {"debit", OUT_MONEY},
                                   {"credit", OUT_MONEY}, {"balance", OUT_MONEY}};
    bool people = cli_format_table(c);
    out_table *t = out_new(cols, 6);
    totals code = {0}, all = {0};
    bool ok = true;
    for (size_t i = 0; t && ok && i < b->n; i++) {
        const gl_an_balance_line *l = &b->rows[i];
        ok = row(t, l->code, code_label(c, x, l->code), l->account, l->debit_cents,
                 l->credit_cents) &&
             add(&code, l->debit_cents, l->credit_cents) &&
             add(&all, l->debit_cents, l->credit_cents);
        bool last = i + 1 == b->n || strcmp(b->rows[i + 1].code, l->code);
        if (ok && people && last) {
            ok = row(t, l->code, _("Total"), "", code.debit_cents, code.credit_cents);
            code = (totals){0};
        }
    }
    if (t && ok && people && b->n)
        ok = row(t, "TOTAL", "", "", all.debit_cents, all.credit_cents);
    *overflow = !ok;
    return t;
}

/* fy and at of the request from --year and --at. */
static int period(cli *c, const an_opts *o, gl_an_balance_q *q, unsigned *first_month)
{
    int rc = cli_first_month(c, first_month);
    if (rc)
        return rc;
    if (AN_OPT(o, AN_AT) && (rc = cli_date(AN_OPT(o, AN_AT), "--at", &q->at)))
        return rc;
    if (AN_OPT(o, AN_YEAR)) {
        char *end;
        long y = strtol(AN_OPT(o, AN_YEAR), &end, 10);
        if (*end || y < 1900 || y > 2999) {
            cli_error(_("--year %s: a fiscal year, as 2026"), AN_OPT(o, AN_YEAR));
            return EXIT_USAGE;
        }
        q->fy = (uint16_t)y;
    } else {
        q->fy = gl_fiscal_year(q->at ? q->at : cli_today(), *first_month);
        if (!q->at)
            q->at = cli_today();
    }
    return 0;
}

static int print(cli *c, const gl_an_balance *b, const char *axis, const gl_an_axis_info *x,
                 uint16_t fy, unsigned first_month)
{
    bool overflow;
    out_table *t = balance_table(c, b, x, &overflow);
    if (t && overflow) {
        out_free(t);
        cli_error("the totals overflow");
        return EXIT_REFUSED;
    }
    if (t && cli_format_table(c)) {
        char from[11], at[11];
        printf(_("Analytic balance — %s — axis %s — fiscal year %u, %s to %s\n"), c->tenant, axis,
               fy, i18n_date(gl_fiscal_year_start(fy, first_month), from), i18n_date(b->at, at));
        if (!b->n) {
            printf("%s\n", _("(no line)"));
            out_free(t);
            return 0;
        }
    }
    return cli_format_render(c, t);
}

int cmd_analytic_balance(int argc, char **argv)
{
    an_opts o;
    cli c;
    unsigned mask = AN_OPT_BIT(AN_AXIS) | AN_OPT_BIT(AN_YEAR) | AN_OPT_BIT(AN_AT);
    int rc = an_parse(&c, &argc, &argv, mask, &o, _(help), 0);
    if (rc)
        return rc < 0 ? 0 : rc;
    const char *axis = AN_OPT(&o, AN_AXIS);
    if (!axis) {
        fputs(_(help), stderr);
        return EXIT_USAGE;
    }
    gl_an_call k = {0};
    gl_an_balance_q q = {{axis, strlen(axis)}, 0, 0};
    unsigned first_month = 1;
    gl_an_balance b = {0};
    gl_an_axes axes = {0};
    if (!(rc = an_connect(&c, &k)) && !(rc = period(&c, &o, &q, &first_month)) &&
        !(rc = an_report(&c, &k, gl_an_balance_get(&k, &q, &b))) &&
        !(rc = an_report(&c, &k, gl_an_axes_get(&k, &axes))))
        rc = print(&c, &b, axis, gl_an_axes_find(&axes, axis), q.fy, first_month);
    gl_an_axes_free(&axes);
    gl_an_balance_free(&b);
    gl_an_call_done(&k);
    cli_close(&c);
    return rc;
}
