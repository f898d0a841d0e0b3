/*
 * client/cli/cmd_balance.c — `grandlivre balance`: the trial balance
 * (balance générale) of the fiscal year containing a date, from its first
 * day (so including its opening entries) up to that date inclusive.
 */
#include "cli.h"
#include "i18n.h"
#include "cli_replies.h"

#include "proto/date.h"
#include "proto/money.h"
#include "proto/query.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char help[] =
    "usage: grandlivre balance --tenant T [--at DATE] [--aux] [--format F]\n"
    "\n"
    "Trial balance of the fiscal year that contains DATE (default today), from\n"
    "the first day of that year to DATE inclusive: per account, total debit,\n"
    "total credit and balance (debit - credit). --aux gives one row per account\n"
    "and auxiliary account (balance auxiliaire), with the third party's name\n"
    "(aux_label: the first label its lines gave it). CSV: header row, one row per\n"
    "account, amounts 1234.56, a text cell starting with = + - @ TAB or CR\n"
    "written with a leading ' (never a formula). JSON: amounts in integer cents.\n"
    "\n"
    "For a closed year, the balance on its last day shows the year before its\n"
    "result-closing entry (classes 6 and 7 as the annual accounts print them);\n"
    "--after-closing includes that entry (classes 6 and 7 at zero, 120/129 set).\n";

enum { OPT_AT = 2000, OPT_AUX, OPT_AFTER_CLOSING };

struct balance_opts {
    const char *at;
    bool aux, after_closing;
};

static int on_opt(int opt, const char *arg, void *user)
{
    struct balance_opts *o = user;
    if (opt == OPT_AT)
        o->at = arg;
    else if (opt == OPT_AUX)
        o->aux = true;
    else if (opt == OPT_AFTER_CLOSING)
        o->after_closing = true;
    else
        return EXIT_USAGE;
    return 0;
}

out_table *cli_balance_table(bool aux)
{
    static const out_col cols_acc[] = {{"account", OUT_TEXT},
                                       {"label", OUT_TEXT},
                                       {"debit", OUT_MONEY},
                                       {"credit", OUT_MONEY},
                                       {"balance", OUT_MONEY}};
    static const out_col cols_aux[] = {
        {"account", OUT_TEXT}, {"aux", OUT_TEXT},     {"aux_label", OUT_TEXT}, {"label", OUT_TEXT},
        {"debit", OUT_MONEY},  {"credit", OUT_MONEY}, {"balance", OUT_MONEY}};
    return aux ? out_new(cols_aux, 7) : out_new(cols_acc, 5);
}

static int print_balance(const cli *c, const gl_response *resp, uint8_t flags)
{
    bool aux = flags & GL_BALANCE_AUX;
    gl_reply_balance r;
    int st = gl_reply_balance_decode_flags(gl_reply_view(resp->reply.body, resp->reply.body_len),
                                           flags, &r);
    uint16_t fy = r.fy;
    uint32_t from = r.from, at = r.at;
    out_table *t = cli_balance_table(aux);
    int64_t total_debit = 0, total_credit = 0;
    bool overflow = false;
    gl_reply_balance_iter it;
    gl_reply_balance_row row;
    gl_reply_balance_iter_init(&it, &r);
    while (st == GL_OK && gl_reply_balance_next(&it, &row) == 1) {
        gl_str account = row.account, a = row.aux, label = row.label;
        int64_t debit = row.debit, credit = row.credit, balance = debit;
        overflow |= !gl_money_sub(&balance, credit) || !gl_money_add(&total_debit, debit) ||
                    !gl_money_add(&total_credit, credit);
        out_text(t, account.ptr, account.len);
        if (aux) {
            out_text(t, a.ptr, a.len);
            out_text(t, row.aux_label.ptr, row.aux_label.len);
        }
        out_text(t, label.ptr, label.len);
        out_money(t, debit);
        out_money(t, credit);
        out_money(t, balance);
    }
    if (st != GL_OK || !t || overflow) {
        cli_error("cannot read the daemon's reply%s", overflow ? " (totals overflow)" : "");
        out_free(t);
        return EXIT_REFUSED;
    }
    bool table = c->format == OUT_TABLE || c->format == OUT_TABLE_FR;
    if (table) {
        char f[11], a2[11];
        printf(_("Trial balance — %s — fiscal year %u, %s to %s\n"), c->tenant, fy,
               i18n_date(from, f), i18n_date(at, a2));
        int64_t diff = total_debit;
        if (!gl_money_sub(&diff, total_credit)) {
            cli_error("the totals overflow");
            out_free(t);
            return EXIT_REFUSED;
        }
        out_cstr(t, "TOTAL");
        if (aux) {
            out_cstr(t, "");
            out_cstr(t, "");
        }
        out_cstr(t, "");
        out_money(t, total_debit);
        out_money(t, total_credit);
        out_money(t, diff);
    }
    int rc = out_render(t, c->format, stdout) ? EXIT_USAGE : 0;
    out_free(t);
    return rc;
}

int cmd_balance(int argc, char **argv)
{
    static const struct option extra[] = {{"at", required_argument, NULL, OPT_AT},
                                          {"aux", no_argument, NULL, OPT_AUX},
                                          {"after-closing", no_argument, NULL, OPT_AFTER_CLOSING},
                                          {0}};
    struct balance_opts o = {0};
    cli c;
    int rc = cli_parse(&c, &argc, &argv, extra, on_opt, &o, help);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (argc) {
        fputs(help, stderr);
        return EXIT_USAGE;
    }
    gl_balance_q q = {.at = cli_today(),
                      .flags = (uint8_t)((o.aux ? GL_BALANCE_AUX | GL_BALANCE_AUX_LABELS : 0) |
                                         (o.after_closing ? GL_BALANCE_AFTER_CLOSING : 0))};
    if (o.at && (rc = cli_date(o.at, "--at", &q.at)))
        return rc;
    if ((rc = cli_need_tenant(&c)) || (rc = cli_connect(&c)))
        return rc;
    gl_buf body;
    gl_buf_init(&body);
    gl_balance_q_encode(&body, &q);
    gl_response resp;
    rc = cli_call(&c, GL_KIND_BALANCE, c.tenant, body.data, body.len, &resp);
    if (rc == 0)
        rc = print_balance(&c, &resp, q.flags);
    gl_response_free(&resp);
    gl_buf_free(&body);
    cli_close(&c);
    return rc;
}
