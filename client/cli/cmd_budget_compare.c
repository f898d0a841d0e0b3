/*
 * client/cli/cmd_budget_compare.c — `grandlivre budget compare --year Y
 * [--at DATE] [--action A]` (issue 19): budget against actual.  For each
 * action's latest budget version of the year (BUDGETS) and each of its
 * groups: the amount budgeted, the actual as of the date (ANALYTIC_BALANCE
 * of the axis action: the action's rows whose account starts with the
 * group, charges debit - credit for a group of class 6, products credit -
 * debit for class 7), the variance (actual - budget) and actual / budget
 * in percent.  Computation in client/funders/budget_cmp.h.
 */
#include "cmd_grants.h"
#include "funders_cli.h"
#include "i18n.h"

#include "client/funders/budget_cmp.h"

#include "proto/date.h"
#include "proto/status.h"

#include <stdlib.h>
#include <string.h>

static const char help[] =
    N_("usage: grandlivre budget compare --year Y [--at DATE] [--action A] [--format F]\n"
       "\n"
       "Budget against actual: for each action's budget of fiscal year Y (its latest\n"
       "version, whose number is shown) and each group of accounts in it, the amount\n"
       "budgeted, the actual as of DATE (by default the year's last day: the analytic\n"
       "balance of the axis action, the action's lines on accounts starting with the\n"
       "group; charges for a group of class 6, products for class 7), the variance\n"
       "(actual - budget) and the actual in percent of the budget. For people, each\n"
       "action ends with its charges and products. Table, --format csv or json.\n"
       "\n"
       "Examples:\n"
       "  grandlivre budget compare --tenant alpha --year 2026\n"
       "  grandlivre budget compare --year 2026 --at 2026-06-30 --action AGIIE --format csv\n");

enum { BC_YEAR = 5950, BC_AT, BC_ACTION };

typedef struct bc_opts {
    const char *year, *at, *action;
} bc_opts;

static int on_opt(int opt, const char *arg, void *user)
{
    bc_opts *o = user;
    if (opt == BC_YEAR)
        o->year = arg;
    else if (opt == BC_AT)
        o->at = arg;
    else if (opt == BC_ACTION)
        o->action = arg;
    else
        return EXIT_USAGE;
    return 0;
}

static void cells(out_table *t, const gl_budget_info *b, const bc_row *r)
{
    char pct[32];
    out_cstr(t, b->action);
    out_int(t, b->version);
    out_cstr(t, r->group);
    out_money(t, r->budget_cents);
    out_money(t, r->actual_cents);
    out_money(t, r->variance_cents);
    out_cstr(t, fr_ratio_text(r->has_ratio, r->ratio_tenths, pct));
}

/* The rows of one budget, then (people) its charges and products. */
static bool budget_rows(out_table *t, const gl_budget_info *b, const gl_an_balance *bal,
                        bool people)
{
    bc_row side[2] = {{.group = ""}, {.group = ""}};
    snprintf(side[0].group, sizeof side[0].group, "%s", _("charges"));
    snprintf(side[1].group, sizeof side[1].group, "%s", _("products"));
    for (size_t i = 0; i < b->nrows; i++) {
        bc_row r = {.budget_cents = b->rows[i].amount_cents};
        snprintf(r.group, sizeof r.group, "%s", b->rows[i].group);
        if (!bc_actual(b->action, r.group, bal->rows, bal->n, &r.actual_cents) || !bc_finish(&r))
            return false;
        cells(t, b, &r);
        bc_row *s = &side[r.group[0] == '7'];
        if (__builtin_add_overflow(s->budget_cents, r.budget_cents, &s->budget_cents) ||
            __builtin_add_overflow(s->actual_cents, r.actual_cents, &s->actual_cents))
            return false;
    }
    for (int i = 0; people && b->nrows && i < 2; i++) {
        if (!bc_finish(&side[i]))
            return false;
        cells(t, b, &side[i]);
    }
    return true;
}

static int run(cli *c, const bc_opts *o)
{
    static const out_col cols[] = {
        {"action", OUT_REF},   {"version", OUT_INT},    {"group", OUT_REF},   {"budget", OUT_MONEY},
        {"actual", OUT_MONEY}, {"variance", OUT_MONEY}, {"percent", OUT_TEXT}};
    uint16_t fy;
    uint32_t at = 0;
    char action[GL_AN_CODE_MAX + 2] = "";
    int rc = budget_year(o->year, &fy);
    if (rc)
        return rc;
    if (o->at && !gl_date_parse(o->at, strlen(o->at), &at)) {
        cli_error(_("--at %s: a date, as 2026-03-31"), o->at);
        return EXIT_USAGE;
    }
    if (o->action && !an_upper(o->action, action, sizeof action)) {
        cli_error(_("--action %s: not an action code"), o->action);
        return EXIT_USAGE;
    }
    gl_an_call k;
    if ((rc = an_connect(c, &k)))
        return rc;
    gl_budget_list l = {0};
    gl_an_balance bal = {0};
    gl_an_balance_q q = {{"action", 6}, fy, at};
    rc = an_report(c, &k, gl_budgets_get(&k, fy, action, &l));
    if (rc == 0 && l.n)
        rc = an_report(c, &k, gl_an_balance_get(&k, &q, &bal));
    gl_an_call_done(&k);
    out_table *t = rc == 0 ? out_new(cols, sizeof cols / sizeof cols[0]) : NULL;
    bool ok = true;
    for (size_t i = 0; t && ok && i < l.n; i++)
        ok = budget_rows(t, &l.budgets[i], &bal, cli_format_table(c));
    if (rc == 0 && !ok) {
        out_free(t);
        t = NULL;
        rc = fr_compute_failed(GL_ERR_SUM_OVERFLOW, "budget compare");
    }
    if (rc == 0 && cli_format_table(c)) {
        char d[11];
        printf(_("Budget against actual — %s, fiscal year %u, as of %s\n"), c->tenant, (unsigned)fy,
               i18n_date(bal.at ? bal.at : at, d));
        if (!l.n)
            printf("%s\n", _("no budget (grandlivre budget set ACTION --year Y GROUP=AMOUNT...)"));
    }
    if (rc == 0)
        rc = cli_format_render(c, t);
    gl_budget_list_free(&l);
    gl_an_balance_free(&bal);
    return rc;
}

int cmd_budget_compare(int argc, char **argv)
{
    static const struct option extra[] = {{"year", required_argument, NULL, BC_YEAR},
                                          {"at", required_argument, NULL, BC_AT},
                                          {"action", required_argument, NULL, BC_ACTION},
                                          {0}};
    bc_opts o = {0};
    cli c;
    int rc = cli_parse(&c, &argc, &argv, extra, on_opt, &o, _(help));
    if (rc)
        return rc < 0 ? 0 : rc;
    if (argc != 0 || !o.year) {
        fputs(_(help), stderr);
        return EXIT_USAGE;
    }
    rc = run(&c, &o);
    cli_close(&c);
    return rc;
}
