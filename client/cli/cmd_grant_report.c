/*
 * client/cli/cmd_grant_report.c — `grandlivre grant-report --grant CODE
 * [--year Y]` (issue 19): the compte-rendu financier de subvention (CERFA
 * n° 15059) of a grant's action for a fiscal year: the form's headings of
 * charges and products, planned (the action's latest budget version of
 * the year, BUDGETS) against actual (ANALYTIC_BALANCE of the axis action
 * at the year's end), the variance and the percentage; under 74 a row per
 * funder (actual: the action's 74x lines by their financeur code,
 * funders_cli.h; planned: the grants of that funder for the action whose
 * period meets the year); the grant's amount and the share of the
 * action's charges it covers.  Headings in client/funders/cerfa.h.
 */
#include "cli_replies.h"
#include "cmd_grants.h"
#include "funders_cli.h"
#include "i18n.h"

#include "client/funders/cerfa.h"
#include "client/statements/html.h"

#include "proto/date.h"
#include "proto/status.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    N_("usage: grandlivre grant-report --grant CODE [--year Y]\n"
       "                              [--format table|csv|json|html] [-o FILE]\n"
       "\n"
       "The compte-rendu financier de subvention (CERFA n° 15059) of the action a grant\n"
       "pays for, for fiscal year Y (by default the year of the grant's last day):\n"
       "for each heading of the form (charges 60 to 68 and 86, products 70, 74, 75 to\n"
       "78 and 87), the planned amount (the action's latest budget of the year,\n"
       "grandlivre budget), the actual (the action's analytic balance at the year's\n"
       "end), the variance (actual - planned) and the actual in percent of the\n"
       "planned. Under 74 Operating grants, one row per funder: the actual of the\n"
       "action's 74x lines carrying its code on the axis financeur, and as planned\n"
       "the grants of that funder for the action (grandlivre grants). Accounts of no\n"
       "heading of the form (69, 71-73, 79) are in an \"other\" row of their side so\n"
       "that the totals are the ledger's. Last: the grant's amount and the share of\n"
       "the action's charges it covers. --format html (or -o FILE) writes a printable\n"
       "A4 page.\n"
       "\n"
       "Examples:\n"
       "  grandlivre grant-report --tenant alpha --grant CD59-AGIIE-2026\n"
       "  grandlivre grant-report --grant CD59-AGIIE-2026 --lang fr -o cr-2026.html\n");

typedef struct report {
    const cli *c;
    gl_grant_info g;
    uint16_t fy;
    uint32_t from, to;
    int budget_version; /* 0: no budget */
    cerfa_report r;
    bool has_cover;
    int64_t cover_tenths; /* the grant / the actual charges */
} report;

/* ---- the figures ---- */

static int add_budget(cli *c, gl_an_call *k, report *p)
{
    gl_budget_list l = {0};
    int rc = an_report(c, k, gl_budgets_get(k, p->fy, p->g.action, &l));
    const gl_budget_info *b = rc ? NULL : gl_budget_list_find(&l, p->g.action, p->fy);
    p->budget_version = b ? b->version : 0;
    for (size_t i = 0; b && rc == 0 && i < b->nrows; i++) {
        int st = cerfa_add_planned(&p->r, b->rows[i].group, b->rows[i].amount_cents);
        if (st != GL_OK)
            rc = fr_compute_failed(st, b->rows[i].group);
    }
    gl_budget_list_free(&l);
    return rc;
}

static int add_actual(cli *c, gl_an_call *k, report *p)
{
    gl_an_balance bal = {0};
    gl_an_balance_q q = {{"action", 6}, p->fy, 0};
    int rc = an_report(c, k, gl_an_balance_get(k, &q, &bal));
    for (size_t i = 0; rc == 0 && i < bal.n; i++) {
        const gl_an_balance_line *x = &bal.rows[i];
        int st = strcmp(x->code, p->g.action)
                     ? GL_OK
                     : cerfa_add_actual(&p->r, x->account, x->debit_cents, x->credit_cents);
        if (st != GL_OK)
            rc = fr_compute_failed(st, "the actual");
    }
    gl_an_balance_free(&bal);
    return rc;
}

/* 74: the actual per funder, and the grants of each funder for the action
 * meeting the year as planned. */
static int add_funders(cli *c, gl_an_call *k, report *p)
{
    fr_lines charges = {0}, products = {0};
    int rc = fr_action_lines(c, k, p->g.action, p->from, p->to, &charges, &products);
    int st = GL_OK;
    for (size_t i = 0; rc == 0 && st == GL_OK && i < products.n; i++)
        if (fr_prefix(products.v[i].account, "74"))
            st = fr_totals_add(&p->r.funders, products.v[i].funder, products.v[i].amount_cents);
    gl_grant_list l = {0};
    if (rc == 0 && st == GL_OK)
        rc = an_report(c, k, gl_grants_get(k, &l));
    for (size_t i = 0; rc == 0 && st == GL_OK && i < l.n; i++) {
        const gl_grant_info *g = &l.grants[i];
        if (!strcmp(g->action, p->g.action) && g->from <= p->to && g->to >= p->from)
            st = fr_totals_add(&p->r.funders_planned, g->funder, g->amount_cents);
    }
    for (size_t i = 0; rc == 0 && st == GL_OK && i < p->r.funders_planned.n; i++)
        st = fr_totals_add(&p->r.funders, p->r.funders_planned.v[i].key, 0); /* every funder */
    fr_totals_sort(&p->r.funders);
    gl_grant_list_free(&l);
    fr_lines_free(&charges);
    fr_lines_free(&products);
    return rc ? rc : st == GL_OK ? 0 : fr_compute_failed(st, "the funders");
}

static int fetch(cli *c, report *p)
{
    gl_an_call k;
    gl_an_call_init(&k, c->client, c->tenant, c->request_id);
    int rc = add_budget(c, &k, p);
    if (rc == 0)
        rc = add_actual(c, &k, p);
    if (rc == 0)
        rc = add_funders(c, &k, p);
    gl_an_call_done(&k);
    if (rc == 0 && cerfa_total(&p->r) != GL_OK)
        rc = fr_compute_failed(GL_ERR_SUM_OVERFLOW, "the totals");
    if (rc == 0)
        p->has_cover =
            fr_ratio_tenths(p->g.amount_cents, p->r.actual[CERFA_CHARGE], &p->cover_tenths);
    return rc;
}

/* ---- rows, for every format ---- */

typedef void (*row_fn)(void *user, const char *side, const char *heading, const char *label,
                       int64_t planned, int64_t actual, const char *cls);

static void funder_rows(const report *p, row_fn fn, void *user)
{
    for (size_t i = 0; i < p->r.funders.n; i++) {
        const fr_total *a = &p->r.funders.v[i];
        const fr_total *pl = fr_totals_find(&p->r.funders_planned, a->key);
        char h[GL_AN_CODE_MAX + 8];
        snprintf(h, sizeof h, "74 %s", a->key[0] ? a->key : "-");
        fn(user, "product", h, a->key[0] ? a->key : _("(no funder)"), pl ? pl->cents : 0, a->cents,
           "s");
    }
}

static void each_row(const report *p, row_fn fn, void *user)
{
    size_t n;
    const cerfa_heading *h = cerfa_headings(&n);
    for (int side = CERFA_CHARGE; side <= CERFA_PRODUCT; side++) {
        const char *sname = side == CERFA_CHARGE ? "charge" : "product";
        for (size_t i = 0; i < n; i++) {
            if (h[i].side != side)
                continue;
            fn(user, sname, h[i].code, _(h[i].label), p->r.rows[i].planned_cents,
               p->r.rows[i].actual_cents, NULL);
            if (!strcmp(h[i].code, "74"))
                funder_rows(p, fn, user);
        }
        fn(user, sname, "total", side == CERFA_CHARGE ? _("Total charges") : _("Total products"),
           p->r.planned[side], p->r.actual[side], "t");
    }
}

static void table_row(void *user, const char *side, const char *heading, const char *label,
                      int64_t planned, int64_t actual, const char *cls)
{
    (void)cls;
    out_table *t = user;
    int64_t tenths = 0;
    bool has = fr_ratio_tenths(actual, planned, &tenths);
    char pct[32];
    out_cstr(t, side);
    out_cstr(t, heading);
    out_cstr(t, label);
    out_money(t, planned);
    out_money(t, actual);
    out_money(t, actual - planned); /* both within the caps: no overflow */
    out_cstr(t, fr_ratio_text(has, tenths, pct));
}

static out_table *cerfa_table(const report *p)
{
    static const out_col cols[] = {{"side", OUT_REF},     {"heading", OUT_REF},
                                   {"label", OUT_TEXT},   {"planned", OUT_MONEY},
                                   {"actual", OUT_MONEY}, {"variance", OUT_MONEY},
                                   {"percent", OUT_TEXT}};
    out_table *t = out_new(cols, sizeof cols / sizeof cols[0]);
    if (!t)
        return NULL;
    each_row(p, table_row, t);
    char pct[32];
    out_cstr(t, "grant");
    out_cstr(t, p->g.code);
    out_cstr(t, _("the grant, and the share of the action's actual charges it covers"));
    out_money(t, p->g.amount_cents);
    out_money(t, p->g.amount_cents);
    out_money(t, 0);
    out_cstr(t, fr_ratio_text(p->has_cover, p->cover_tenths, pct));
    return t;
}

static void head_text(const report *p)
{
    char a[11], b[11];
    printf(_("Compte-rendu financier (CERFA 15059) — %s: %s (%s)\n"), p->c->tenant, p->g.code,
           p->g.label);
    printf(_("Action %s, funder %s, fiscal year %u (%s to %s)\n"), p->g.action, p->g.funder,
           (unsigned)p->fy, i18n_date(p->from, a), i18n_date(p->to, b));
    if (p->budget_version)
        printf(_("Planned: budget version %d\n"), p->budget_version);
    else
        printf("%s\n", _("Planned: no budget for that year (grandlivre budget set)"));
}

/* ---- HTML ---- */

static void html_row(void *user, const char *side, const char *heading, const char *label,
                     int64_t planned, int64_t actual, const char *cls)
{
    (void)side;
    FILE *f = user;
    char pl[STMT_HTML_MONEY_MAX], ac[STMT_HTML_MONEY_MAX], va[STMT_HTML_MONEY_MAX], pct[32];
    int64_t tenths = 0;
    bool has = fr_ratio_tenths(actual, planned, &tenths);
    const char *cells[] = {strcmp(heading, "total") ? heading : "",
                           label,
                           stmt_html_money(planned, pl),
                           stmt_html_money(actual, ac),
                           stmt_html_money(actual - planned, va),
                           fr_ratio_text(has, tenths, pct)};
    static const bool num[] = {false, false, true, true, true, true};
    fr_html_row(f, cells, num, 6, cls, false);
}

static void html_page(FILE *f, const void *user)
{
    const report *p = user;
    char title[512], a[11], b[11], m[STMT_HTML_MONEY_MAX], pct[32];
    snprintf(title, sizeof title, _("Compte-rendu financier de subvention — %s"), p->g.code);
    fr_html_begin(f, title);
    fputs("<p>CERFA n° 15059 — ", f);
    stmt_html_escape(f, p->c->tenant);
    fputs(" — ", f);
    stmt_html_escape(f, p->g.label);
    fprintf(f, "</p>\n<p>%s ", _("Action"));
    stmt_html_escape(f, p->g.action);
    fprintf(f, ", %s ", _("funder"));
    stmt_html_escape(f, p->g.funder);
    fprintf(f, ", %s %u (%s – %s)</p>\n", _("fiscal year"), (unsigned)p->fy, i18n_date(p->from, a),
            i18n_date(p->to, b));
    static const bool num[] = {false, false, true, true, true, true};
    const char *head[] = {"", _("heading"), _("planned"), _("actual"), _("variance"), "%"};
    fprintf(f, "<table>\n");
    fr_html_row(f, head, num, 6, NULL, true);
    each_row(p, html_row, f);
    fputs("</table>\n", f);
    fprintf(f, "<p>%s: %s — %s: %s</p>\n", _("Grant"), stmt_html_money(p->g.amount_cents, m),
            _("share of the action's actual charges"),
            p->has_cover ? fr_ratio_text(true, p->cover_tenths, pct) : "—");
    if (p->budget_version)
        fprintf(f, "<p class=\"note\">%s %d</p>\n", _("Planned: budget version"),
                p->budget_version);
    fr_html_end(f);
}

static int year_of(cli *c, const fr_opts *o, report *p)
{
    unsigned fm;
    int rc = cli_first_month(c, &fm);
    if (rc)
        return rc;
    p->fy = gl_fiscal_year(p->g.to, fm);
    if (o->year && (rc = budget_year(o->year, &p->fy)))
        return rc;
    p->from = gl_fiscal_year_start(p->fy, fm);
    p->to = gl_fiscal_year_end(p->fy, fm);
    return 0;
}

static int run(cli *c, const fr_opts *o)
{
    report p = {.c = c};
    gl_an_call k;
    int rc = an_connect(c, &k);
    if (rc)
        return rc;
    rc = fr_grant_get(c, &k, o->grant, &p.g);
    gl_an_call_done(&k);
    if (rc == 0)
        rc = year_of(c, o, &p);
    if (rc == 0 && cerfa_init(&p.r) != GL_OK)
        rc = cli_nomem("the report");
    if (rc == 0)
        rc = fetch(c, &p);
    if (rc == 0 && (o->html || o->output)) {
        rc = fr_html_write(o->output, o->force, html_page, &p);
    } else if (rc == 0) {
        if (cli_format_table(c))
            head_text(&p);
        rc = cli_format_render(c, cerfa_table(&p));
    }
    cerfa_free(&p.r);
    return rc;
}

int cmd_grant_report(int argc, char **argv)
{
    static const struct option extra[] = {{"grant", required_argument, NULL, FR_GRANT},
                                          {"year", required_argument, NULL, FR_YEAR},
                                          {"output", required_argument, NULL, FR_OUTPUT},
                                          {"force", no_argument, NULL, FR_FORCE},
                                          {0}};
    return fr_main(argc, argv, extra, _(help), run);
}
