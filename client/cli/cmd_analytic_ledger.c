/*
 * client/cli/cmd_analytic_ledger.c — `grandlivre analytic ledger --axis A
 * --code C [--from DATE] [--to DATE]` (issue 19, PROTOCOL.md §5.52): the
 * analytic grand livre of one code, every line that carries it (in its
 * entry or by an allocation) with the code's share as debit or credit and
 * a running balance, read page after page (an_client.h).
 */
#include "cmd_analytic.h"

#include "date_range.h"
#include "i18n.h"

#include "proto/money.h"
#include "proto/status.h"

#include <stdio.h>
#include <string.h>

static const char help[] =
    N_("usage: grandlivre analytic ledger --axis AXIS --code CODE --tenant T [--from DATE]\n"
       "                                  [--to DATE] [--format F]\n"
       "\n"
       "The analytic ledger (grand livre analytique) of code CODE of axis AXIS: every\n"
       "line that carries the code, by its entry or by an allocation made afterwards,\n"
       "in date order, with the entry and line (2026/12:2), journal, piece, account,\n"
       "label, the code's share as debit or credit (the whole line, or its part of a\n"
       "distribution), the running balance and where the code comes from (entry or\n"
       "allocation). --from and --to are inclusive and may be partial (2026, 2026-03);\n"
       "without them, every date. Tables end with the totals; CSV (csv-fr) and JSON\n"
       "(amounts in cents) give the rows.\n"
       "\n"
       "Example:\n"
       "  grandlivre analytic ledger --axis action --code FSE-2026 --from 2026 --tenant alpha\n");

typedef struct ledger_walk {
    const cli *c;
    out_table *t;
    int64_t debit_cents, credit_cents, balance_cents;
    bool overflow;
    size_t rows;
} ledger_walk;

static int on_row(void *user, const gl_an_ledger_row *r)
{
    ledger_walk *w = user;
    if (r->amount_cents == INT64_MIN) { /* no credit to print for it */
        w->overflow = true;
        return 0;
    }
    int64_t debit = r->amount_cents > 0 ? r->amount_cents : 0;
    int64_t credit = r->amount_cents < 0 ? -r->amount_cents : 0;
    w->overflow |= !gl_money_add(&w->debit_cents, debit) ||
                   !gl_money_add(&w->credit_cents, credit) ||
                   !gl_money_add(&w->balance_cents, r->amount_cents);
    char ref[48];
    snprintf(ref, sizeof ref, "%u/%u:%u", r->fy, r->num, r->line);
    const char *source = r->source == GL_AN_SOURCE_ALLOC ? N_("allocation") : N_("entry");
    out_date(w->t, r->date);
    out_cstr(w->t, ref);
    out_text(w->t, r->journal.ptr, r->journal.len);
    out_text(w->t, r->piece_ref.ptr, r->piece_ref.len);
    out_text(w->t, r->account.ptr, r->account.len);
    out_text(w->t, r->label.ptr, r->label.len);
    out_money(w->t, debit);
    out_money(w->t, credit);
    out_money(w->t, w->balance_cents);
    out_cstr(w->t, cli_format_table(w->c) ? _(source) : source);
    w->rows++;
    return 0;
}

static void total_row(ledger_walk *w)
{
    out_date(w->t, 0);
    out_cstr(w->t, "TOTAL");
    for (int i = 0; i < 4; i++)
        out_cstr(w->t, "");
    out_money(w->t, w->debit_cents);
    out_money(w->t, w->credit_cents);
    out_money(w->t, w->balance_cents);
    out_cstr(w->t, "");
}

static int dates(const an_opts *o, uint32_t *from, uint32_t *to)
{
    date_bounds b = {AN_OPT(o, AN_FROM), AN_OPT(o, AN_TO), NULL, NULL};
    char err[200];
    int st = date_range(&b, 19000101, 29991231, from, to, err, sizeof err);
    if (st) {
        cli_error("error %d %s: %s", st, gl_status_name(st), err);
        return EXIT_USAGE;
    }
    if (!b.from)
        *from = 0;
    if (!b.to)
        *to = 0;
    return 0;
}

static int walk(cli *c, gl_an_call *k, const gl_an_ledger_q *q)
{
    static const out_col cols[] = {
        {"date", OUT_DATE},     {"line", OUT_REF},   {"journal", OUT_REF}, {"piece", OUT_TEXT},
        {"account", OUT_REF},   {"label", OUT_TEXT}, {"debit", OUT_MONEY}, {"credit", OUT_MONEY},
        {"balance", OUT_MONEY}, {"source", OUT_TEXT}};
    ledger_walk w = {c, out_new(cols, 10), 0, 0, 0, false, 0};
    if (!w.t)
        return cli_nomem("the analytic ledger");
    int rc = an_report(c, k, gl_an_ledger_each(k, q, on_row, &w));
    if (!rc && w.overflow) {
        cli_error("the totals overflow");
        rc = EXIT_REFUSED;
    }
    if (rc) {
        out_free(w.t);
        return rc;
    }
    if (cli_format_table(c)) {
        printf(_("Analytic ledger — %s — axis %.*s, code %.*s\n"), c->tenant, (int)q->axis.len,
               q->axis.ptr, (int)q->code.len, q->code.ptr);
        if (!w.rows) {
            printf("%s\n", _("(no line)"));
            out_free(w.t);
            return 0;
        }
        total_row(&w);
    }
    return cli_format_render(c, w.t);
}

int cmd_analytic_ledger(int argc, char **argv)
{
    an_opts o;
    cli c;
    unsigned mask =
        AN_OPT_BIT(AN_AXIS) | AN_OPT_BIT(AN_CODE) | AN_OPT_BIT(AN_FROM) | AN_OPT_BIT(AN_TO);
    int rc = an_parse(&c, &argc, &argv, mask, &o, _(help), 0);
    if (rc)
        return rc < 0 ? 0 : rc;
    const char *axis = AN_OPT(&o, AN_AXIS);
    char code[GL_AN_CODE_MAX + 2];
    if (!axis || !AN_OPT(&o, AN_CODE)) {
        fputs(_(help), stderr);
        return EXIT_USAGE;
    }
    if (!an_upper(AN_OPT(&o, AN_CODE), code, sizeof code)) {
        cli_error(_("'%s' is not an analytic code (A-Z, 0-9, _ . and -, the first a letter or "
                    "a digit, at most 16)"),
                  AN_OPT(&o, AN_CODE));
        return EXIT_USAGE;
    }
    gl_an_ledger_q q = {.axis = {axis, strlen(axis)}, .code = {code, strlen(code)}};
    if ((rc = dates(&o, &q.from, &q.to)))
        return rc;
    gl_an_call k = {0};
    if (!(rc = an_connect(&c, &k)))
        rc = walk(&c, &k, &q);
    gl_an_call_done(&k);
    cli_close(&c);
    return rc;
}
