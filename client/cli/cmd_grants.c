/*
 * client/cli/cmd_grants.c — `grandlivre grants` (issue 19, PROTOCOL.md
 * §5.55-§5.56): the grants (subventions) of a tenant, what each funder
 * granted for an action, on which product account, for which period:
 * set (add or replace by code), delete, list.  One request each
 * (GRANT_SET, GRANTS) through client/analytic/grant_client.h.
 */
#include "cmd_grants.h"

#include "i18n.h"

#include "proto/date.h"
#include "proto/money.h"
#include "proto/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    N_("usage: grandlivre grants set CODE --label TEXT --funder F --action A --account ACCOUNT\n"
       "                             --amount AMOUNT --from DATE --to DATE [--dedicated]\n"
       "                             [--fse] [--flat-rate 15|40]\n"
       "       grandlivre grants delete CODE\n"
       "       grandlivre grants list [--format F]\n"
       "\n"
       "The grants (subventions) of a tenant: what a funder granted for an action\n"
       "(an operation or a project), recorded on a product account, for a period.\n"
       "CODE is the grant's own code (A-Z, 0-9, _ . and -, at most 16: FSE-2026,\n"
       "CD59-AGIIE-2026); the funder is a code open on the analytic axis financeur,\n"
       "the action a code open on the axis action (grandlivre analytic code open),\n"
       "the account an open account of class 7 (741700, 747000). AMOUNT is the sum\n"
       "granted (119000,00 or 119000.00), DATE a day (2026-01-01).\n"
       "--dedicated: the funder earmarked the grant for a defined project: fonds\n"
       "dédiés apply to what is not used by the year's end. --fse: a European Social\n"
       "Fund operation. --flat-rate 15: indirect costs at 15 per cent of the direct\n"
       "staff costs (Reg. (EU) 2021/1060 art. 54(b)); 40: every other cost at 40 per\n"
       "cent of the direct staff costs (art. 56).\n"
       "set adds the grant, or replaces the grant of that code; delete removes it\n"
       "(the chain keeps its history: every change is a signed event); list gives\n"
       "them in code order, with the total granted per action for people.\n"
       "\n"
       "Examples:\n"
       "  grandlivre grants set FSE-2026 --label 'FSE inclusion 2026' --funder FSE \\\n"
       "      --action AGIIE --account 741700 --amount 119000,00 --from 2026-01-01 \\\n"
       "      --to 2026-12-31 --dedicated --fse --flat-rate 15\n"
       "  grandlivre grants list --format csv\n");

enum {
    GR_LABEL = 5500,
    GR_FUNDER,
    GR_ACTION,
    GR_ACCOUNT,
    GR_AMOUNT,
    GR_FROM,
    GR_TO,
    GR_RATE,
    GR_DEDICATED,
    GR_FSE,
    GR_COUNT_
};

typedef struct gr_opts {
    const char *v[GR_COUNT_ - GR_LABEL];
} gr_opts;

static int on_opt(int opt, const char *arg, void *user)
{
    gr_opts *o = user;
    if (opt < GR_LABEL || opt >= GR_COUNT_)
        return EXIT_USAGE;
    o->v[opt - GR_LABEL] = arg ? arg : "1";
    return 0;
}

static const char *opt(const gr_opts *o, int which) { return o->v[which - GR_LABEL]; }

static gl_str S(const char *s) { return (gl_str){s, s ? strlen(s) : 0}; }

/* A code as people type it, in capitals: false (a message) if it is not
 * one. */
static bool code_arg(const char *what, const char *arg, char *out, size_t cap)
{
    if (an_upper(arg, out, cap) && gl_an_code_valid(S(out)))
        return true;
    cli_error(_("%s '%s' is not a code (A-Z, 0-9, _ . and -, the first a letter or a digit, at "
                "most 16)"),
              what, arg);
    return false;
}

/* The options of set into g (its strings point into bufs and argv). */
typedef struct set_bufs {
    char code[GL_GRANT_CODE_MAX + 2], funder[GL_AN_CODE_MAX + 2], action[GL_AN_CODE_MAX + 2];
    char account[GL_ACCOUNT_MAX + 2];
} set_bufs;

static int need(const gr_opts *o, int which, const char *name)
{
    if (opt(o, which))
        return 0;
    cli_error(_("grants set: %s is required (grandlivre grants --help)"), name);
    return EXIT_USAGE;
}

static int amount_arg(const char *arg, int64_t *cents)
{
    if (gl_money_parse(arg, strlen(arg), cents) && *cents > 0)
        return 0;
    cli_error(_("--amount %s: an amount more than 0, as 119000,00"), arg);
    return EXIT_USAGE;
}

static int rate_arg(const char *arg, uint8_t *rate)
{
    if (!arg)
        return 0;
    if (!strcmp(arg, "15") || !strcmp(arg, "40")) {
        *rate = (uint8_t)atoi(arg);
        return 0;
    }
    cli_error(_("--flat-rate %s: 15 or 40 (per cent of the direct staff costs)"), arg);
    return EXIT_USAGE;
}

static int set_grant(const char *code, const gr_opts *o, set_bufs *b, gl_grant *g)
{
    static const struct {
        int which;
        const char *name;
    } required[] = {{GR_LABEL, "--label"},   {GR_FUNDER, "--funder"},
                    {GR_ACTION, "--action"}, {GR_ACCOUNT, "--account"},
                    {GR_AMOUNT, "--amount"}, {GR_FROM, "--from"},
                    {GR_TO, "--to"}};
    int rc = 0;
    for (size_t i = 0; !rc && i < sizeof required / sizeof required[0]; i++)
        rc = need(o, required[i].which, required[i].name);
    if (rc)
        return rc;
    memset(g, 0, sizeof *g);
    if (!code_arg(_("the grant's code"), code, b->code, sizeof b->code) ||
        !code_arg("--funder", opt(o, GR_FUNDER), b->funder, sizeof b->funder) ||
        !code_arg("--action", opt(o, GR_ACTION), b->action, sizeof b->action) ||
        !an_upper(opt(o, GR_ACCOUNT), b->account, sizeof b->account))
        return EXIT_USAGE;
    if ((rc = amount_arg(opt(o, GR_AMOUNT), &g->amount_cents)) ||
        (rc = cli_date(opt(o, GR_FROM), "--from", &g->from)) ||
        (rc = cli_date(opt(o, GR_TO), "--to", &g->to)) ||
        (rc = rate_arg(opt(o, GR_RATE), &g->flat_rate)))
        return rc;
    g->code = S(b->code);
    g->label = S(opt(o, GR_LABEL));
    g->funder = S(b->funder);
    g->action = S(b->action);
    g->account = S(b->account);
    g->flags = (uint8_t)((opt(o, GR_DEDICATED) ? GL_GRANT_DEDICATED : 0) |
                         (opt(o, GR_FSE) ? GL_GRANT_FSE : 0));
    const char *field;
    if (!gl_grant_check(GL_GRANT_SET_OP, g, &field)) {
        cli_error(_("grants set: the grant's %s is out of its rule (grandlivre grants --help)"),
                  field);
        return EXIT_USAGE;
    }
    return 0;
}

static int written(cli *c, gl_an_call *k, int st, const char *what, const char *code)
{
    int rc = an_report(c, k, st);
    gl_an_call_done(k);
    if (!rc)
        fprintf(stderr, "grandlivre: %s: %s %s\n", c->tenant, what, code);
    return rc;
}

static int cmd_set(cli *c, const char *code, const gr_opts *o)
{
    set_bufs b;
    gl_grant g;
    int rc = set_grant(code, o, &b, &g);
    gl_an_call k;
    if (rc || (rc = an_connect(c, &k)))
        return rc;
    return written(c, &k, gl_grant_set(&k, &g), _("grant recorded:"), b.code);
}

static int cmd_delete(cli *c, const char *code)
{
    char upper[GL_GRANT_CODE_MAX + 2];
    if (!code_arg(_("the grant's code"), code, upper, sizeof upper))
        return EXIT_USAGE;
    gl_an_call k;
    int rc = an_connect(c, &k);
    if (rc)
        return rc;
    return written(c, &k, gl_grant_delete(&k, upper), _("grant deleted:"), upper);
}

/* ---- list ---- */

static void grant_row(out_table *t, const gl_grant_info *g)
{
    out_cstr(t, g->code);
    out_cstr(t, g->label);
    out_cstr(t, g->funder);
    out_cstr(t, g->action);
    out_cstr(t, g->account);
    out_money(t, g->amount_cents);
    out_date(t, g->from);
    out_date(t, g->to);
    out_int(t, (g->flags & GL_GRANT_DEDICATED) != 0);
    out_int(t, (g->flags & GL_GRANT_FSE) != 0);
    out_int(t, g->flat_rate);
}

/* For people: one line per action after the grants, code TOTAL, the sum
 * granted for it. */
static bool action_totals(out_table *t, const gl_grant_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        bool first = true;
        for (size_t j = 0; j < i && first; j++)
            first = strcmp(l->grants[j].action, l->grants[i].action) != 0;
        size_t count;
        int64_t sum;
        if (!first)
            continue;
        if (!gl_grant_list_sum(l, l->grants[i].action, NULL, &count, &sum))
            return false;
        gl_grant_info total = {.code = "TOTAL", .amount_cents = sum};
        snprintf(total.action, sizeof total.action, "%s", l->grants[i].action);
        grant_row(t, &total);
    }
    return true;
}

static int cmd_list(cli *c)
{
    static const out_col cols[] = {
        {"code", OUT_REF},      {"label", OUT_TEXT},   {"funder", OUT_REF},   {"action", OUT_REF},
        {"account", OUT_REF},   {"amount", OUT_MONEY}, {"from", OUT_DATE},    {"to", OUT_DATE},
        {"dedicated", OUT_INT}, {"fse", OUT_INT},      {"flat_rate", OUT_INT}};
    gl_an_call k;
    int rc = an_connect(c, &k);
    if (rc)
        return rc;
    gl_grant_list l;
    rc = an_report(c, &k, gl_grants_get(&k, &l));
    gl_an_call_done(&k);
    if (rc)
        return rc;
    if (!l.n && cli_format_table(c)) {
        printf(_("%s: no grant (grandlivre grants set CODE ...)\n"), c->tenant);
        gl_grant_list_free(&l);
        return 0;
    }
    out_table *t = out_new(cols, sizeof cols / sizeof cols[0]);
    for (size_t i = 0; t && i < l.n; i++)
        grant_row(t, &l.grants[i]);
    bool ok = !t || !cli_format_table(c) || action_totals(t, &l);
    gl_grant_list_free(&l);
    if (!ok) {
        out_free(t);
        cli_error("the totals overflow");
        return EXIT_REFUSED;
    }
    if (t && cli_format_table(c))
        printf(_("Grants — %s\n"), c->tenant);
    return cli_format_render(c, t);
}

int gr_parse_sub(cli *c, int *argc, char ***argv, const struct option *extra, extra_handler fn,
                 void *user, const char *help_text, const gr_sub *subs, size_t n, size_t *which)
{
    int rc = cli_parse(c, argc, argv, extra, fn, user, help_text);
    if (rc)
        return rc;
    int args = *argc - 1;
    for (*which = 0; *argc >= 1 && *which < n; ++*which) {
        const gr_sub *s = &subs[*which];
        if (!strcmp((*argv)[0], s->name) && args >= s->args_min &&
            (s->args_max < 0 || args <= s->args_max))
            return 0;
    }
    fputs(help_text, stderr);
    return EXIT_USAGE;
}

int cmd_grants(int argc, char **argv)
{
    static const struct option extra[] = {{"label", required_argument, NULL, GR_LABEL},
                                          {"funder", required_argument, NULL, GR_FUNDER},
                                          {"action", required_argument, NULL, GR_ACTION},
                                          {"account", required_argument, NULL, GR_ACCOUNT},
                                          {"amount", required_argument, NULL, GR_AMOUNT},
                                          {"from", required_argument, NULL, GR_FROM},
                                          {"to", required_argument, NULL, GR_TO},
                                          {"flat-rate", required_argument, NULL, GR_RATE},
                                          {"dedicated", no_argument, NULL, GR_DEDICATED},
                                          {"fse", no_argument, NULL, GR_FSE},
                                          {0}};
    static const gr_sub subs[] = {{"set", 1, 1}, {"delete", 1, 1}, {"list", 0, 0}};
    gr_opts o = {0};
    cli c;
    size_t sub;
    int rc = gr_parse_sub(&c, &argc, &argv, extra, on_opt, &o, _(help), subs, 3, &sub);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (sub != 2 && (rc = cli_format_refuse(&c, "grants")))
        return rc;
    rc = sub == 0 ? cmd_set(&c, argv[1], &o) : sub == 1 ? cmd_delete(&c, argv[1]) : cmd_list(&c);
    cli_close(&c);
    return rc;
}
