/*
 * client/cli/cmd_fse_report.c — `grandlivre fse-report --grant CODE
 * [--from DATE] [--to DATE]` (issue 19): the costs and resources of a
 * European Social Fund operation (a grant with GL_GRANT_FSE, its action
 * and flat rate) under Regulation (EU) 2021/1060, with every figure's
 * evidence: the time sheet rows (employee, month, hours, rate, amount)
 * and the ledger lines (entry, date, piece, account, amount).  The
 * computation is client/funders/fse.h's; the rates are `staff-costs`'
 * (the fiscal year of each month); the lines the action's analytic ledger
 * with their funders (funders_cli.h).  Table, CSV, JSON or an A4 HTML page.
 */
#include "cli_replies.h"
#include "funders_cli.h"
#include "i18n.h"

#include "client/funders/fse.h"
#include "client/staff/staff_costs.h"
#include "client/statements/html.h"
#include "client/timesheets/ts_client.h"

#include "proto/date.h"
#include "proto/status.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* xgettext:no-c-format */
static const char help[] =
    /* xgettext:no-c-format */
    N_("usage: grandlivre fse-report --grant CODE [--from DATE] [--to DATE]\n"
       "                            [--format table|csv|json|html] [-o FILE]\n"
       "\n"
       "The report of a European Social Fund operation (a grant set with --fse) over\n"
       "a period (by default the grant's), under Regulation (EU) 2021/1060:\n"
       "  direct staff costs: for each employee and month, the hours of its time\n"
       "    sheets on the grant's action times its hourly rate (the gross employment\n"
       "    costs of the month's fiscal year / (1,720 h x the mean working time of\n"
       "    its sheets of that year), art. 55(2)(a), as grandlivre staff-costs\n"
       "    computes it);\n"
       "  flat rate 15: indirect costs = 15 % of the direct staff costs (art. 54(b)),\n"
       "    the other direct costs at actual (the action's class 6 lines but\n"
       "    641x/645x); flat rate 40: the remaining costs = 40 % of the direct staff\n"
       "    costs (art. 56), no other cost declared; none: the other direct costs at\n"
       "    actual;\n"
       "  resources: the action's class 7 lines by funder (axis financeur).\n"
       "Every figure comes with what is behind it: the time sheet rows and the\n"
       "entries' lines. Rates are in cents rounded half up, each row's staff cost\n"
       "is rounded half up, every total is the sum of the rows shown. Time sheets\n"
       "are monthly: the months from the month of --from to the month of --to count.\n"
       "--format html (or -o FILE) writes a printable A4 page.\n"
       "\n"
       "Examples:\n"
       "  grandlivre fse-report --tenant umbrella --grant FSE-2026\n"
       "  grandlivre fse-report --grant FSE-2026 --lang fr -o fse-2026.html\n");

static int date_opt(const char *name, const char *arg, uint32_t *ymd)
{
    if (arg && !gl_date_parse(arg, strlen(arg), ymd)) {
        cli_error(_("%s %s: a date, as 2026-03-31"), name, arg);
        return EXIT_USAGE;
    }
    return 0;
}

/* ---- the figures ---- */

/* The rows of one fiscal year's sheets on action within months
 * [m_from, m_to], at that year's rates. */
static int staff_of_year(const ts_batch *b, const sc_year *y, const char *action, uint32_t m_from,
                         uint32_t m_to, fse_report *r)
{
    for (size_t i = 0; i < b->n; i++) {
        const ts_sheet *s = &b->v[i];
        if (s->month < m_from || s->month > m_to)
            continue;
        const sc_employee *e = sc_employee_find(y, s->employee);
        for (size_t j = 0; j < s->n; j++) {
            if (strcmp(s->items[j].action, action))
                continue;
            bool has = e && e->has_rate;
            if (fse_add_staff(r, s->employee, s->month, s->items[j].minutes, has,
                              has ? e->rate_cents : 0) != GL_OK)
                return cli_nomem("the time sheets");
        }
    }
    return 0;
}

static int staff_rows(cli *c, gl_an_call *k, const char *action, uint32_t from, uint32_t to,
                      fse_report *r)
{
    unsigned fm;
    int rc = cli_first_month(c, &fm);
    uint16_t fy_from = rc ? 0 : gl_fiscal_year(from, fm), fy_to = rc ? 0 : gl_fiscal_year(to, fm);
    for (uint16_t fy = fy_from; rc == 0 && fy <= fy_to; fy++) {
        ts_batch b = {0};
        sc_year y = {0};
        rc = staff_year_load(c, k, fy, &b, &y);
        if (rc == 0)
            rc = staff_of_year(&b, &y, action, from / 100, to / 100, r);
        sc_year_free(&y);
        ts_batch_free(&b);
    }
    return rc;
}

static int fetch(cli *c, const gl_grant_info *g, uint32_t from, uint32_t to, fse_report *r)
{
    gl_an_call k;
    gl_an_call_init(&k, c->client, c->tenant, c->request_id);
    r->flat_rate = g->flat_rate;
    int rc = staff_rows(c, &k, g->action, from, to, r);
    if (rc == 0)
        rc = fr_action_lines(c, &k, g->action, from, to, &r->charges, &r->resources);
    gl_an_call_done(&k);
    int st = rc == 0 ? fse_compute(r) : GL_OK;
    return st == GL_OK ? rc : fr_compute_failed(st, "the FSE report's sums");
}

/* ---- table, CSV, JSON ---- */

static const out_col cols[] = {
    {"section", OUT_REF}, {"item", OUT_TEXT},   {"entry", OUT_REF},  {"date", OUT_DATE},
    {"piece", OUT_REF},   {"account", OUT_REF}, {"label", OUT_TEXT}, {"employee", OUT_REF},
    {"month", OUT_REF},   {"hours", OUT_TEXT},  {"rate", OUT_MONEY}, {"amount", OUT_MONEY},
};
enum {
    C_SECTION,
    C_ITEM,
    C_ENTRY,
    C_DATE,
    C_PIECE,
    C_ACCOUNT,
    C_LABEL,
    C_EMPLOYEE,
    C_MONTH,
    C_HOURS,
    C_RATE,
    C_AMOUNT,
    C_N
};

static void hours_text(uint64_t minutes, char out[32])
{
    snprintf(out, 32, "%llu:%02u", (unsigned long long)(minutes / 60), (unsigned)(minutes % 60));
}

static void month_text(uint32_t ym, char out[16])
{
    snprintf(out, 16, "%04u-%02u", (unsigned)(ym / 100), (unsigned)(ym % 100));
}

/* A row of the summary: item and amount, the other cells empty. */
static void sum_row(out_table *t, const char *section, const char *item, int64_t cents)
{
    out_cstr(t, section);
    out_cstr(t, item);
    for (int i = C_ENTRY; i < C_RATE; i++)
        i == C_DATE ? out_date(t, 0) : out_cstr(t, "");
    out_cstr(t, "");
    out_money(t, cents);
}

static void staff_row(out_table *t, const fse_staff *s)
{
    char h[32], m[16];
    hours_text(s->minutes, h);
    month_text(s->month, m);
    out_cstr(t, "staff");
    out_cstr(t, _("time sheet"));
    out_cstr(t, "");
    out_date(t, 0);
    out_cstr(t, "");
    out_cstr(t, "");
    out_cstr(t, "");
    out_cstr(t, s->employee);
    out_cstr(t, m);
    out_cstr(t, h);
    if (s->has_rate)
        out_money(t, s->rate_cents);
    else
        out_cstr(t, "");
    out_money(t, s->amount_cents);
}

static void line_row(out_table *t, const char *section, const fr_line *l)
{
    char ref[32];
    snprintf(ref, sizeof ref, "%u/%u:%u", (unsigned)l->fy, (unsigned)l->num, (unsigned)l->line);
    out_cstr(t, section);
    out_cstr(t, l->funder[0] ? l->funder : "");
    out_cstr(t, ref);
    out_date(t, l->date);
    out_cstr(t, l->piece);
    out_cstr(t, l->account);
    out_cstr(t, l->label);
    out_cstr(t, "");
    out_cstr(t, "");
    out_cstr(t, "");
    out_cstr(t, "");
    out_money(t, l->amount_cents);
}

static const char *flat_item(uint8_t rate)
{
    /* xgettext:no-c-format */
    return rate == 15 ? _("indirect costs, 15 % of direct staff costs (art. 54(b))")
           /* xgettext:no-c-format */
           : rate == 40 ? _("remaining costs, 40 % of direct staff costs (art. 56)")
                        : _("no flat rate");
}

static void summary_rows(out_table *t, const fse_report *r)
{
    sum_row(t, "summary", _("direct staff costs"), r->staff_cents);
    sum_row(t, "summary", flat_item(r->flat_rate), r->flat_cents);
    sum_row(t, "summary", _("other direct costs at actual"), r->other_cents);
    sum_row(t, "summary", _("total eligible costs"), r->total_cents);
    for (size_t i = 0; i < r->by_funder.n; i++)
        sum_row(t, "resources", r->by_funder.v[i].key[0] ? r->by_funder.v[i].key : _("(no funder)"),
                r->by_funder.v[i].cents);
    sum_row(t, "resources", _("total resources"), r->resources_cents);
}

static out_table *section_table(const fse_report *r, int which, bool people)
{
    out_table *t = out_new(cols, C_N);
    if (!t)
        return NULL;
    static const int hide[][C_N] = {
        {C_ENTRY, C_DATE, C_PIECE, C_ACCOUNT, C_LABEL, C_EMPLOYEE, C_MONTH, C_HOURS, C_RATE, -1},
        {C_SECTION, C_ITEM, C_ENTRY, C_DATE, C_PIECE, C_ACCOUNT, C_LABEL, -1},
        {C_SECTION, C_ITEM, C_EMPLOYEE, C_MONTH, C_HOURS, C_RATE, -1},
        {C_SECTION, C_EMPLOYEE, C_MONTH, C_HOURS, C_RATE, -1}};
    for (int i = 0; people && which >= 0 && hide[which][i] >= 0 && i < C_N; i++)
        out_hide_in_table(t, (size_t)hide[which][i]);
    if (which < 0 || which == 0)
        summary_rows(t, r);
    for (size_t i = 0; (which < 0 || which == 1) && i < r->nstaff; i++)
        staff_row(t, &r->staff[i]);
    if (people && which == 1)
        sum_row(t, "", _("total"), r->staff_cents);
    for (size_t i = 0; (which < 0 || which == 2) && i < r->other.n; i++)
        line_row(t, "other_direct_costs", &r->other.v[i]);
    if (people && which == 2)
        sum_row(t, "", _("total"), r->other_cents);
    for (size_t i = 0; (which < 0 || which == 3) && i < r->resources.n; i++)
        line_row(t, "resource", &r->resources.v[i]);
    if (people && which == 3)
        sum_row(t, "", _("total"), r->resources_cents);
    return t;
}

static void head_text(const cli *c, const gl_grant_info *g, uint32_t from, uint32_t to)
{
    char a[11], b[11];
    printf(_("FSE operation report — %s: %s (%s)\n"), c->tenant, g->code, g->label);
    printf(_("Action %s, funder %s, period %s to %s, flat rate: %s\n"), g->action, g->funder,
           i18n_date(from, a), i18n_date(to, b),
           g->flat_rate ? (g->flat_rate == 15 ? "15 %" : "40 %") : _("none"));
}

static int render_people(const cli *c, const gl_grant_info *g, uint32_t from, uint32_t to,
                         const fse_report *r)
{
    static const char *titles[] = {N_("Summary"), N_("Direct staff costs (time sheets)"),
                                   N_("Other direct costs (entries)"),
                                   N_("Resources by funder (entries)")};
    head_text(c, g, from, to);
    int rc = 0;
    for (int i = 0; rc == 0 && i < 4; i++) {
        if ((i == 2 && r->flat_rate == 40))
            continue;
        printf("\n%s\n", _(titles[i]));
        out_table *t = section_table(r, i, true);
        rc = t ? out_render(t, c->format, stdout) : cli_nomem("the report");
        out_free(t);
    }
    puts(
        _("\nRates in cents rounded half up; each row's staff cost rounded half up; totals "
          "are the sums of the rows shown."));
    return rc;
}

/* ---- HTML ---- */

typedef struct page {
    const cli *c;
    const gl_grant_info *g;
    uint32_t from, to;
    const fse_report *r;
} page;

static void html_amount_row(FILE *f, const char *item, int64_t cents, const char *cls)
{
    char m[STMT_HTML_MONEY_MAX];
    const char *cells[] = {item, stmt_html_money(cents, m)};
    static const bool num[] = {false, true};
    fr_html_row(f, cells, num, 2, cls, false);
}

static void html_summary(FILE *f, const fse_report *r)
{
    fprintf(f, "<h2>%s</h2>\n<table>\n", _("Summary"));
    html_amount_row(f, _("direct staff costs"), r->staff_cents, NULL);
    html_amount_row(f, flat_item(r->flat_rate), r->flat_cents, NULL);
    if (r->flat_rate != 40)
        html_amount_row(f, _("other direct costs at actual"), r->other_cents, NULL);
    html_amount_row(f, _("total eligible costs"), r->total_cents, "t");
    for (size_t i = 0; i < r->by_funder.n; i++)
        html_amount_row(f, r->by_funder.v[i].key[0] ? r->by_funder.v[i].key : _("(no funder)"),
                        r->by_funder.v[i].cents, "s");
    html_amount_row(f, _("total resources"), r->resources_cents, "t");
    fputs("</table>\n", f);
}

static void html_staff(FILE *f, const fse_report *r)
{
    static const bool num[] = {false, false, true, true, true};
    const char *head[] = {_("employee"), _("month"), _("hours"), _("rate"), _("amount")};
    fprintf(f, "<h2>%s</h2>\n<table>\n", _("Direct staff costs (time sheets)"));
    fr_html_row(f, head, num, 5, NULL, true);
    for (size_t i = 0; i < r->nstaff; i++) {
        const fse_staff *s = &r->staff[i];
        char h[32], m[16], rate[STMT_HTML_MONEY_MAX], amt[STMT_HTML_MONEY_MAX];
        hours_text(s->minutes, h);
        month_text(s->month, m);
        const char *cells[] = {s->employee, m, h,
                               s->has_rate ? stmt_html_money(s->rate_cents, rate) : "",
                               stmt_html_money(s->amount_cents, amt)};
        fr_html_row(f, cells, num, 5, NULL, false);
    }
    char t[STMT_HTML_MONEY_MAX];
    const char *tot[] = {_("total"), "", "", "", stmt_html_money(r->staff_cents, t)};
    fr_html_row(f, tot, num, 5, "t", false);
    fputs("</table>\n", f);
}

static void html_lines(FILE *f, const char *title, const fr_lines *l, int64_t total, bool funder)
{
    static const bool num[] = {false, false, false, false, false, false, true};
    const char *head[] = {
        _("entry"), _("date"),  _("piece"), _("account"), funder ? _("funder") : "",
        _("label"), _("amount")};
    fprintf(f, "<h2>%s</h2>\n<table>\n", title);
    fr_html_row(f, head, num, 7, NULL, true);
    for (size_t i = 0; i < l->n; i++) {
        const fr_line *x = &l->v[i];
        char ref[32], d[11], m[STMT_HTML_MONEY_MAX];
        snprintf(ref, sizeof ref, "%u/%u:%u", (unsigned)x->fy, (unsigned)x->num, (unsigned)x->line);
        const char *cells[] = {ref,
                               i18n_date(x->date, d),
                               x->piece,
                               x->account,
                               x->funder,
                               x->label,
                               stmt_html_money(x->amount_cents, m)};
        fr_html_row(f, cells, num, 7, NULL, false);
    }
    char t[STMT_HTML_MONEY_MAX];
    const char *tot[] = {_("total"), "", "", "", "", "", stmt_html_money(total, t)};
    fr_html_row(f, tot, num, 7, "t", false);
    fputs("</table>\n", f);
}

static void html_page(FILE *f, const void *user)
{
    const page *p = user;
    char title[512], a[11], b[11];
    snprintf(title, sizeof title, _("FSE operation report — %s"), p->g->code);
    fr_html_begin(f, title);
    fprintf(f, "<p>");
    stmt_html_escape(f, p->c->tenant);
    fputs(" — ", f);
    stmt_html_escape(f, p->g->label);
    fprintf(f, "</p>\n<p>%s ", _("Action"));
    stmt_html_escape(f, p->g->action);
    fprintf(f, ", %s ", _("funder"));
    stmt_html_escape(f, p->g->funder);
    fprintf(f, ", %s %s – %s</p>\n", _("period"), i18n_date(p->from, a), i18n_date(p->to, b));
    html_summary(f, p->r);
    html_staff(f, p->r);
    if (p->r->flat_rate != 40)
        html_lines(f, _("Other direct costs (entries)"), &p->r->other, p->r->other_cents, false);
    html_lines(f, _("Resources by funder (entries)"), &p->r->resources, p->r->resources_cents,
               true);
    fprintf(f, "<p class=\"note\">%s</p>\n",
            _("Regulation (EU) 2021/1060: hourly rate = annual gross employment costs / 1,720 h "
              "pro rata of the working time (art. 55(2)(a)). Rates in cents rounded half up; "
              "each row's staff cost rounded half up; totals are the sums of the rows shown."));
    fr_html_end(f);
}

static int run(cli *c, const fr_opts *o)
{
    gl_an_call k;
    int rc = an_connect(c, &k);
    if (rc)
        return rc;
    gl_grant_info g;
    rc = fr_grant_get(c, &k, o->grant, &g);
    gl_an_call_done(&k);
    if (rc)
        return rc;
    if (!(g.flags & GL_GRANT_FSE))
        cli_warn("grant %s is not marked as an FSE operation (grants set --fse)", g.code);
    uint32_t from = g.from, to = g.to;
    if ((rc = date_opt("--from", o->from, &from)) || (rc = date_opt("--to", o->to, &to)))
        return rc;
    if (from > to) {
        cli_error(_("--from is after --to"));
        return EXIT_USAGE;
    }
    fse_report r = {0};
    rc = fetch(c, &g, from, to, &r);
    if (rc == 0 && r.missing_rate)
        cli_warn(
            "an employee has no hourly rate for a year (no 641x/645x costs on the axis "
            "salarie, or no working time): its rows count 0");
    if (rc == 0 && (o->html || o->output)) {
        page p = {c, &g, from, to, &r};
        rc = fr_html_write(o->output, o->force, html_page, &p);
    } else if (rc == 0 && cli_format_table(c)) {
        rc = render_people(c, &g, from, to, &r);
    } else if (rc == 0) {
        rc = cli_format_render(c, section_table(&r, -1, false));
    }
    fse_report_free(&r);
    return rc;
}

int cmd_fse_report(int argc, char **argv)
{
    static const struct option extra[] = {{"grant", required_argument, NULL, FR_GRANT},
                                          {"from", required_argument, NULL, FR_FROM},
                                          {"to", required_argument, NULL, FR_TO},
                                          {"output", required_argument, NULL, FR_OUTPUT},
                                          {"force", no_argument, NULL, FR_FORCE},
                                          {0}};
    return fr_main(argc, argv, extra, _(help), run);
}
