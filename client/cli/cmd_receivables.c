/*
 * client/cli/cmd_receivables.c — `grandlivre receivables` (issue 17): the
 * aged balance (balance âgée) of the third parties of 411… (401… with
 * --payables) at a date, from the items open then (receivables.h), in
 * the buckets of aging.h; the items behind each figure (--detail); the
 * doubtful items (--doubtful); a table, CSV, JSON or one printable HTML
 * page.
 */
#include "cli.h"
#include "aging.h"
#include "i18n.h"
#include "receivables.h"

#include "client/statements/html.h"
#include "proto/date.h"
#include "proto/money.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: grandlivre receivables --tenant T --at DATE [--payables] [--by-due-date]\n"
    "                              [--detail] [--doubtful [--days N]] [--terms DAYS]\n"
    "                              [--format table|csv|json|html]\n"
    "\n"
    "The aged balance (balance âgée) at DATE of the third parties of the\n"
    "accounts 411… and 416… (customers and users, doubtful debts included;\n"
    "with --payables, 401… suppliers): per\n"
    "account and third party, the open items not yet due, overdue by 1-30,\n"
    "31-60, 61-90 and over 90 days, and the total. An open item is a line not\n"
    "lettered at DATE (a lettering recorded after DATE leaves it open at DATE);\n"
    "an unlettered payment is an item too, with its sign. An item is due its\n"
    "date plus the third party's payment terms (--terms, default 30 days); its\n"
    "age counts from its date (the invoice date), or from its due date with\n"
    "--by-due-date. After a close carrying the account in detail, an item\n"
    "carried over keeps its invoice's piece and date.\n"
    "  --detail      the items behind the figures, one row each\n"
    "  --doubtful    the items overdue by more than --days N days (default 180):\n"
    "                the doubtful debts the impairment proposes to write down\n"
    "  --format html one self-contained printable page (A4 landscape)\n";

enum { OPT_AT = 2000, OPT_PAYABLES, OPT_BY_DUE, OPT_DETAIL, OPT_DOUBTFUL, OPT_DAYS, OPT_TERMS };

struct rcv_opts {
    const char *at, *days, *terms;
    bool payables, by_due, detail, doubtful;
};

static int on_opt(int opt, const char *arg, void *user)
{
    struct rcv_opts *o = user;
    switch (opt) {
    case OPT_AT: o->at = arg; return 0;
    case OPT_PAYABLES: o->payables = true; return 0;
    case OPT_BY_DUE: o->by_due = true; return 0;
    case OPT_DETAIL: o->detail = true; return 0;
    case OPT_DOUBTFUL: o->doubtful = true; return 0;
    case OPT_DAYS: o->days = arg; return 0;
    case OPT_TERMS: o->terms = arg; return 0;
    default: return EXIT_USAGE;
    }
}

/* What the command prints, decided once. */
typedef struct view {
    uint32_t at;
    unsigned terms, days;
    bool payables, by_due;
} view;

/* The figures of one account and third party (items [first, end)). */
static bool group_row(const rcv_items *it, size_t first, size_t end, const view *v, aging_row *r)
{
    *r = (aging_row){{0}, 0};
    for (size_t i = first; i < end; i++)
        if (!aging_row_add(r, aging_bucket_of(v->at, it->v[i].date, it->v[i].terms_days, v->by_due),
                           it->v[i].cents))
            return false;
    return true;
}

static bool doubtful(const rcv_item *i, const view *v)
{
    return i->cents > 0 && aging_days_overdue(v->at, i->date, i->terms_days) > (int64_t)v->days;
}

/* ---- table, CSV, JSON ---- */

static out_table *summary_table(const rcv_items *it, const view *v, bool with_total)
{
    static const out_col cols[] = {
        {"account", OUT_TEXT}, {"aux", OUT_TEXT},     {"not_due", OUT_MONEY}, {"d1_30", OUT_MONEY},
        {"d31_60", OUT_MONEY}, {"d61_90", OUT_MONEY}, {"over_90", OUT_MONEY}, {"total", OUT_MONEY}};
    out_table *t = out_new(cols, 8);
    aging_row all = {{0}, 0};
    for (size_t g = 0; t && g < it->n;) {
        size_t e = rcv_group_end(it, g);
        aging_row r;
        if (!group_row(it, g, e, v, &r) || !aging_row_sum(&all, &r)) {
            out_free(t);
            return NULL;
        }
        out_cstr(t, it->v[g].account);
        out_cstr(t, it->v[g].aux);
        for (int b = 0; b < AGING_BUCKETS; b++)
            out_money(t, r.cents[b]);
        out_money(t, r.total);
        g = e;
    }
    if (t && with_total) {
        out_cstr(t, "TOTAL");
        out_cstr(t, "");
        for (int b = 0; b < AGING_BUCKETS; b++)
            out_money(t, all.cents[b]);
        out_money(t, all.total);
    }
    return t;
}

static out_table *items_table(const rcv_items *it, const view *v, bool only_doubtful)
{
    static const out_col cols[] = {{"account", OUT_TEXT}, {"aux", OUT_TEXT}, {"ref", OUT_REF},
                                   {"date", OUT_DATE},    {"due", OUT_DATE}, {"piece", OUT_TEXT},
                                   {"label", OUT_TEXT},   {"days", OUT_INT}, {"bucket", OUT_TEXT},
                                   {"amount", OUT_MONEY}};
    out_table *t = out_new(cols, 10);
    for (size_t i = 0; t && i < it->n; i++) {
        const rcv_item *x = &it->v[i];
        if (only_doubtful && !doubtful(x, v))
            continue;
        int64_t overdue = aging_days_overdue(v->at, x->date, x->terms_days);
        out_cstr(t, x->account);
        out_cstr(t, x->aux);
        out_cstr(t, x->ref);
        out_date(t, x->date);
        out_date(t, x->due);
        out_cstr(t, x->piece);
        out_cstr(t, x->label);
        out_int(t, overdue > 0 ? overdue : 0);
        out_cstr(t, aging_bucket_name(aging_bucket_of(v->at, x->date, x->terms_days, v->by_due)));
        out_money(t, x->cents);
    }
    return t;
}

/* ---- HTML ---- */

static const char html_css[] =
    "@page{size:A4 landscape;margin:15mm}body{font-family:sans-serif;font-size:10pt}"
    "table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:2px 4px}"
    "td.n{text-align:right;white-space:nowrap}tr.t td{font-weight:bold}h1{font-size:14pt}";

static void html_money_cell(FILE *f, int64_t cents)
{
    char m[STMT_HTML_MONEY_MAX];
    fprintf(f, "<td class=\"n\">%s</td>", stmt_html_money(cents, m));
}

static void html_cell(FILE *f, const char *s)
{
    fputs("<td>", f);
    stmt_html_escape(f, s);
    fputs("</td>", f);
}

static void html_head(FILE *f, const char *name, const char *siren, const view *v, bool doubt)
{
    char d[11];
    fputs("<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>", f);
    fputs(doubt ? "Créances douteuses" : "Balance âgée", f);
    fprintf(f, "</title><style>%s</style></head><body>\n<h1>", html_css);
    fputs(doubt         ? "Créances douteuses"
          : v->payables ? "Balance âgée fournisseurs"
                        : "Balance âgée clients et usagers",
          f);
    fputs("</h1>\n<p>", f);
    stmt_html_escape(f, name);
    if (siren && siren[0]) {
        fputs(" — SIREN ", f);
        stmt_html_escape(f, siren);
    }
    fprintf(f, " — au %s — échéance : date + %u jours ; âge compté depuis la date %s</p>\n",
            rcv_date_fr(v->at, d), v->terms, v->by_due ? "d'échéance" : "de la pièce");
}

static int html_summary(FILE *f, const rcv_items *it, const view *v, const char *name,
                        const char *siren)
{
    html_head(f, name, siren, v, false);
    fputs("<table><tr><th>Compte</th><th>Tiers</th>", f);
    for (int b = 0; b < AGING_BUCKETS; b++)
        fprintf(f, "<th>%s</th>", aging_bucket_heading(b));
    fputs("<th>Total</th></tr>\n", f);
    aging_row all = {{0}, 0};
    for (size_t g = 0; g < it->n;) {
        size_t e = rcv_group_end(it, g);
        aging_row r;
        if (!group_row(it, g, e, v, &r) || !aging_row_sum(&all, &r))
            return -1;
        fputs("<tr>", f);
        html_cell(f, it->v[g].account);
        html_cell(f, it->v[g].aux);
        for (int b = 0; b < AGING_BUCKETS; b++)
            html_money_cell(f, r.cents[b]);
        html_money_cell(f, r.total);
        fputs("</tr>\n", f);
        g = e;
    }
    fputs("<tr class=\"t\"><td colspan=\"2\">Total</td>", f);
    for (int b = 0; b < AGING_BUCKETS; b++)
        html_money_cell(f, all.cents[b]);
    html_money_cell(f, all.total);
    fputs("</tr></table>\n", f);
    return 0;
}

static int html_items(FILE *f, const rcv_items *it, const view *v, bool only_doubtful)
{
    fputs(
        "<h2>Détail des pièces</h2>\n<table><tr><th>Compte</th><th>Tiers</th><th>Écriture"
        "</th><th>Date</th><th>Échéance</th><th>Pièce</th><th>Libellé</th><th>Jours de retard"
        "</th><th>Montant</th></tr>\n",
        f);
    int64_t total = 0;
    for (size_t i = 0; i < it->n; i++) {
        const rcv_item *x = &it->v[i];
        if (only_doubtful && !doubtful(x, v))
            continue;
        char d1[11], d2[11], days[24];
        int64_t overdue = aging_days_overdue(v->at, x->date, x->terms_days);
        snprintf(days, sizeof days, "%lld", (long long)(overdue > 0 ? overdue : 0));
        fputs("<tr>", f);
        html_cell(f, x->account);
        html_cell(f, x->aux);
        html_cell(f, x->ref);
        html_cell(f, rcv_date_fr(x->date, d1));
        html_cell(f, rcv_date_fr(x->due, d2));
        html_cell(f, x->piece);
        html_cell(f, x->label);
        fprintf(f, "<td class=\"n\">%s</td>", days);
        html_money_cell(f, x->cents);
        fputs("</tr>\n", f);
        if (!gl_money_add(&total, x->cents))
            return -1;
    }
    fputs("<tr class=\"t\"><td colspan=\"8\">Total</td>", f);
    html_money_cell(f, total);
    fputs("</tr></table>\n", f);
    return 0;
}

static int print_html(cli *c, const rcv_items *it, const view *v, const struct rcv_opts *o)
{
    char name[256] = "", siren[64] = "";
    int rc = rcv_association(c, name, sizeof name, siren, sizeof siren);
    if (rc)
        return rc;
    if (o->doubtful) {
        html_head(stdout, name, siren, v, true);
        rc = html_items(stdout, it, v, true);
    } else {
        rc = html_summary(stdout, it, v, name, siren);
        if (rc == 0 && o->detail)
            rc = html_items(stdout, it, v, false);
    }
    fputs("</body></html>\n", stdout);
    if (rc) {
        cli_error("the totals overflow");
        return EXIT_REFUSED;
    }
    return fflush(stdout) ? EXIT_USAGE : 0;
}

static int print_tables(const cli *c, const rcv_items *it, const view *v, const struct rcv_opts *o)
{
    bool table = c->format == OUT_TABLE || c->format == OUT_TABLE_FR;
    out_table *t = o->doubtful ? items_table(it, v, true)
                   : o->detail ? items_table(it, v, false)
                               : summary_table(it, v, table);
    if (!t) {
        cli_error("the totals overflow, or out of memory");
        return EXIT_REFUSED;
    }
    if (table) {
        char d[11];
        printf(o->doubtful   ? _("Doubtful debts — %s — at %s, overdue by more than %u days\n")
               : v->payables ? _("Aged balance of suppliers — %s — at %s, terms %u days\n")
                             : _("Aged balance of customers — %s — at %s, terms %u days\n"),
               c->tenant, i18n_date(v->at, d), o->doubtful ? v->days : v->terms);
    }
    int rc = out_render(t, c->format, stdout) ? EXIT_USAGE : 0;
    out_free(t);
    return rc;
}

/* The options shared with impairment and reminders: the date, the terms. */
static int parse_view(const struct rcv_opts *o, view *v)
{
    *v = (view){.terms = 30, .days = 180, .payables = o->payables, .by_due = o->by_due};
    if (!o->at) {
        cli_error("--at DATE is required: the date of the aged balance");
        return EXIT_USAGE;
    }
    int rc = cli_date(o->at, "--at", &v->at);
    if (rc == 0 && o->terms)
        rc = rcv_parse_uint(o->terms, "--terms", 3650, &v->terms);
    if (rc == 0 && o->days)
        rc = rcv_parse_uint(o->days, "--days", 36500, &v->days);
    return rc;
}

int cmd_receivables(int argc, char **argv)
{
    static const struct option extra[] = {{"at", required_argument, NULL, OPT_AT},
                                          {"payables", no_argument, NULL, OPT_PAYABLES},
                                          {"by-due-date", no_argument, NULL, OPT_BY_DUE},
                                          {"detail", no_argument, NULL, OPT_DETAIL},
                                          {"doubtful", no_argument, NULL, OPT_DOUBTFUL},
                                          {"days", required_argument, NULL, OPT_DAYS},
                                          {"terms", required_argument, NULL, OPT_TERMS},
                                          {0}};
    bool html = rcv_take_html_format(&argc, argv);
    struct rcv_opts o = {0};
    cli c;
    int rc = rcv_parse(&c, &argc, &argv, extra, on_opt, &o, help);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (o.days && !o.doubtful) {
        cli_error("--days N goes with --doubtful");
        return EXIT_USAGE;
    }
    view v;
    if ((rc = parse_view(&o, &v)) || (rc = cli_need_tenant(&c)) || (rc = cli_connect(&c)))
        return rc;
    rcv_items it;
    rc = o.payables ? rcv_collect(&c, "401", v.at, true, v.terms, &it)
                    : rcv_collect_customers(&c, v.at, v.terms, &it);
    if (rc == 0)
        rc = html ? print_html(&c, &it, &v, &o) : print_tables(&c, &it, &v, &o);
    rcv_items_free(&it);
    cli_close(&c);
    return rc;
}

bool rcv_group_row(const rcv_items *it, size_t first, size_t end, uint32_t at, bool by_due,
                   aging_row *r)
{
    view v = {.at = at, .by_due = by_due};
    return group_row(it, first, end, &v, r);
}

out_table *rcv_aging_table(const rcv_items *it, uint32_t at, bool by_due, bool with_total)
{
    view v = {.at = at, .by_due = by_due};
    return summary_table(it, &v, with_total);
}

out_table *rcv_detail_table(const rcv_items *it, uint32_t at, bool by_due)
{
    view v = {.at = at, .by_due = by_due};
    return items_table(it, &v, false);
}
