/*
 * client/cli/cmd_analytic.c — `grandlivre analytic` (issue 19,
 * PROTOCOL.md §5.46-§5.52): the dispatch of its subcommands, and those
 * that are one request each: the axes with their codes and rules listed
 * (ANALYTIC_AXES), an axis or a code opened, relabelled or closed
 * (ANALYTIC_AXIS_SET, _CODE_SET), a rule required or dropped
 * (ANALYTIC_RULE_SET).  What the subcommands share (options, connecting,
 * reporting) is here too (cmd_analytic.h).
 */
#include "cmd_analytic.h"

#include "i18n.h"

#include "proto/status.h"

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    N_("usage: grandlivre analytic axes --tenant T [--format F]\n"
       "       grandlivre analytic axis open|close AXIS [--label TEXT]\n"
       "       grandlivre analytic code open|close AXIS CODE [--label TEXT]\n"
       "       grandlivre analytic codes import AXIS FILE.csv\n"
       "       grandlivre analytic rule require|drop AXIS PREFIX\n"
       "       grandlivre analytic balance --axis AXIS [--year Y] [--at DATE]\n"
       "       grandlivre analytic ledger --axis AXIS --code CODE [--from DATE] [--to DATE]\n"
       "       grandlivre analytic allocate FILE.csv\n"
       "       grandlivre analytic export FILE.csv [--year Y]\n"
       "\n"
       "Analytic accounting: what the money of each action (operation, project) and\n"
       "of each funder paid for, beside the accounts. An axis is one way of analysing\n"
       "the lines (action, financeur, salarie...: small letters, digits, _ and -, at\n"
       "most 16); its codes are the actions, funders or employees (FSE-2026, VILLE,\n"
       "EMP001: capitals, digits, _ . and -, at most 16), each with a label. A line of\n"
       "an entry carries at most one code per axis, or a distribution over several\n"
       "codes (FSE:60%,VILLE:40% or FSE:1200.00,VILLE:300.00: percentages summing to\n"
       "100 %, or amounts summing to the line's; percentages become cents by the\n"
       "recharge's exact rule, the remaining cent to the largest share), given with\n"
       "the entry (post: \"analytic\" in JSON, the analytic column in CSV). Codes are\n"
       "part of the signed entry, in the chain, verified offline.\n"
       "A rule makes an axis mandatory on the accounts starting with PREFIX (rule\n"
       "require action 6: every line of a class 6 account must carry an action code);\n"
       "it applies to the entries posted after it. Lines posted without codes are\n"
       "allocated afterwards (allocate: a signed allocation event, never an edit of\n"
       "the entry; allowed in locked periods and closed years, since it changes the\n"
       "analysis, never the accounts).\n"
       "axes lists the axes, their codes and rules; axis open opens an axis (or\n"
       "relabels it: --label is required), axis close closes it (its codes and history\n"
       "stay; no new line may use it); code open and close do the same for a code of an\n"
       "open axis; codes import opens the codes of a file (code;label per line).\n"
       "balance, ledger, allocate and export have their own --help.\n"
       "\n"
       "Examples:\n"
       "  grandlivre analytic axis open action --label 'Actions et projets'\n"
       "  grandlivre analytic code open action FSE-2026 --label 'Opération FSE 2026'\n"
       "  grandlivre analytic rule require action 6\n"
       "  grandlivre analytic balance --axis action --year 2026\n");

static const struct option all_options[] = {
    {"label", required_argument, NULL, AN_LABEL}, {"axis", required_argument, NULL, AN_AXIS},
    {"code", required_argument, NULL, AN_CODE},   {"year", required_argument, NULL, AN_YEAR},
    {"at", required_argument, NULL, AN_AT},       {"from", required_argument, NULL, AN_FROM},
    {"to", required_argument, NULL, AN_TO}};

static int on_opt(int opt, const char *arg, void *user)
{
    an_opts *o = user;
    if (opt < AN_LABEL || opt >= AN_COUNT_)
        return EXIT_USAGE;
    AN_OPT(o, opt) = arg;
    return 0;
}

int an_parse(cli *c, int *argc, char ***argv, unsigned mask, an_opts *o, const char *help_text,
             int nargs)
{
    struct option extra[AN_COUNT_ - AN_LABEL + 1];
    size_t n = 0;
    for (size_t i = 0; i < sizeof all_options / sizeof all_options[0]; i++)
        if (mask & AN_OPT_BIT(all_options[i].val))
            extra[n++] = all_options[i];
    extra[n] = (struct option){0};
    memset(o, 0, sizeof *o);
    int rc = cli_parse(c, argc, argv, extra, on_opt, o, help_text);
    if (!rc && nargs >= 0 && *argc != nargs) {
        fputs(help_text, stderr);
        return EXIT_USAGE;
    }
    return rc;
}

int an_connect(cli *c, gl_an_call *k)
{
    int rc = cli_need_tenant(c);
    if (!rc)
        rc = cli_connect(c);
    if (!rc)
        gl_an_call_init(k, c->client, c->tenant, c->request_id);
    return rc;
}

int an_report(cli *c, gl_an_call *k, int st)
{
    if (st == GL_OK || gl_an_call_refused(k))
        return cli_reply(c, k->call_status, k->last_id, k->tenant, &k->resp);
    if (st == GL_ERR_NOMEM)
        return cli_nomem("the analytic request");
    if (st == GL_ERR_BAD_REPLY) {
        cli_error("cannot read the daemon's reply (%s)", gl_status_name(st));
        return EXIT_REFUSED;
    }
    cli_error("error %d %s: %s", st, gl_status_name(st), _(gl_status_message(st)));
    return EXIT_USAGE;
}

int an_spec_refused(const char *where, const gl_an_spec_error *e)
{
    char text[GL_AN_SPEC_DETAIL_MAX + 256];
    cli_error("%s: %s", where, gl_an_spec_error_text(e, _(e->reason), text, sizeof text));
    return EXIT_USAGE;
}

bool an_upper(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    for (; in && *in; in++) {
        if (n + 1 >= cap)
            return false;
        out[n++] = (char)toupper((unsigned char)*in);
    }
    out[n] = '\0';
    return true;
}

static gl_str S(const char *s) { return (gl_str){s, s ? strlen(s) : 0}; }

/* ---- axes ---- */

static const char *state_word(const cli *c, uint8_t state)
{
    const char *w = state == GL_AN_OPEN ? N_("open") : N_("closed");
    return cli_format_table(c) ? _(w) : w;
}

static void axis_rows(const cli *c, out_table *t, const gl_an_axis_info *x)
{
    char rules[GL_AN_RULES_MAX * (GL_ACCOUNT_MAX + 1) + 1] = "";
    size_t n = 0;
    for (size_t i = 0; i < x->nrules && n + GL_ACCOUNT_MAX + 2 < sizeof rules; i++)
        n += (size_t)snprintf(rules + n, sizeof rules - n, "%s%s", i ? " " : "", x->rules[i]);
    out_cstr(t, x->axis);
    out_cstr(t, "");
    out_cstr(t, state_word(c, x->state));
    out_cstr(t, x->label);
    out_cstr(t, rules);
    for (size_t i = 0; i < x->ncodes; i++) {
        out_cstr(t, x->axis);
        out_cstr(t, x->codes[i].code);
        out_cstr(t, state_word(c, x->codes[i].state));
        out_cstr(t, x->codes[i].label);
        out_cstr(t, "");
    }
}

static int list_axes(cli *c)
{
    static const out_col cols[] = {{"axis", OUT_REF},
                                   {"code", OUT_REF},
                                   {"state", OUT_TEXT},
                                   {"label", OUT_TEXT},
                                   {"required_on", OUT_TEXT}};
    gl_an_call k;
    int rc = an_connect(c, &k);
    if (rc)
        return rc;
    gl_an_axes axes;
    rc = an_report(c, &k, gl_an_axes_get(&k, &axes));
    gl_an_call_done(&k);
    if (rc)
        return rc;
    if (!axes.n && cli_format_table(c)) {
        printf(_("%s: no analytic axis (grandlivre analytic axis open AXIS --label TEXT)\n"),
               c->tenant);
        gl_an_axes_free(&axes);
        return 0;
    }
    out_table *t = out_new(cols, 5);
    for (size_t i = 0; t && i < axes.n; i++)
        axis_rows(c, t, &axes.axes[i]);
    gl_an_axes_free(&axes);
    if (t && cli_format_table(c))
        printf(_("Analytic axes — %s\n"), c->tenant);
    return cli_format_render(c, t);
}

/* ---- axis, code, rule ---- */

static int bad_name(const char *what, const char *name)
{
    if (!strcmp(what, "axis"))
        cli_error(_("'%s' is not an axis name (a-z, 0-9, _ and -, at most 16)"), name);
    else
        cli_error(_("'%s' is not an analytic code (A-Z, 0-9, _ . and -, the first a letter or "
                    "a digit, at most 16)"),
                  name);
    return EXIT_USAGE;
}

/* open needs a label (not blank); close keeps the one it has. */
static int state_of(const char *verb, const char *label, uint8_t *state)
{
    if (!strcmp(verb, "open")) {
        if (!label || !*label || strspn(label, " \t") == strlen(label)) {
            cli_error(_("open: --label TEXT is required (the name people read)"));
            return EXIT_USAGE;
        }
        *state = GL_AN_OPEN;
        return 0;
    }
    if (!strcmp(verb, "close")) {
        *state = GL_AN_CLOSED;
        return 0;
    }
    cli_error(_("'%s': open or close"), verb);
    return EXIT_USAGE;
}

static int done(cli *c, gl_an_call *k, int st, const char *what)
{
    int rc = an_report(c, k, st);
    gl_an_call_done(k);
    if (!rc)
        fprintf(stderr, "grandlivre: %s: %s\n", c->tenant, what);
    return rc;
}

static int axis_set(cli *c, char **argv, const an_opts *o)
{
    uint8_t state;
    int rc = state_of(argv[1], AN_OPT(o, AN_LABEL), &state);
    if (rc)
        return rc;
    if (!gl_an_axis_valid(S(argv[2])))
        return bad_name("axis", argv[2]);
    gl_an_call k;
    if ((rc = an_connect(c, &k)))
        return rc;
    gl_an_axis_set_q q = {S(argv[2]), state, S(state == GL_AN_OPEN ? AN_OPT(o, AN_LABEL) : "")};
    char what[GL_AN_AXIS_MAX + 64];
    snprintf(what, sizeof what, state == GL_AN_OPEN ? _("axis %s open") : _("axis %s closed"),
             argv[2]);
    return done(c, &k, gl_an_axis_set(&k, &q), what);
}

static int code_set(cli *c, char **argv, const an_opts *o)
{
    uint8_t state;
    int rc = state_of(argv[1], AN_OPT(o, AN_LABEL), &state);
    char code[GL_AN_CODE_MAX + 2];
    if (rc)
        return rc;
    if (!gl_an_axis_valid(S(argv[2])))
        return bad_name("axis", argv[2]);
    if (!an_upper(argv[3], code, sizeof code) || !gl_an_code_valid(S(code)))
        return bad_name("code", argv[3]);
    gl_an_call k;
    if ((rc = an_connect(c, &k)))
        return rc;
    gl_an_code_set_q q = {S(argv[2]), S(code), state,
                          S(state == GL_AN_OPEN ? AN_OPT(o, AN_LABEL) : "")};
    char what[GL_AN_AXIS_MAX + GL_AN_CODE_MAX + 64];
    snprintf(what, sizeof what,
             state == GL_AN_OPEN ? _("code %s of axis %s open") : _("code %s of axis %s closed"),
             code, argv[2]);
    return done(c, &k, gl_an_code_set(&k, &q), what);
}

static int rule_set(cli *c, char **argv)
{
    bool require = !strcmp(argv[1], "require");
    char prefix[GL_ACCOUNT_MAX + 2];
    if (!require && strcmp(argv[1], "drop")) {
        cli_error(_("'%s': require or drop"), argv[1]);
        return EXIT_USAGE;
    }
    if (!gl_an_axis_valid(S(argv[2])))
        return bad_name("axis", argv[2]);
    if (!an_upper(argv[3], prefix, sizeof prefix) || !prefix[0] || prefix[0] < '1' ||
        prefix[0] > '9' ||
        strspn(prefix, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") != strlen(prefix)) {
        cli_error(_("'%s' is not an account prefix (digits and capitals, the first 1-9)"), argv[3]);
        return EXIT_USAGE;
    }
    gl_an_call k;
    int rc = an_connect(c, &k);
    if (rc)
        return rc;
    gl_an_rule_set_q q = {S(argv[2]), S(prefix), require ? 1 : 0};
    char what[GL_AN_AXIS_MAX + GL_ACCOUNT_MAX + 96];
    snprintf(what, sizeof what,
             require ? _("axis %s required on the accounts starting with %s")
                     : _("axis %s no longer required on the accounts starting with %s"),
             argv[2], prefix);
    return done(c, &k, gl_an_rule_set(&k, &q), what);
}

/* The index of the subcommand's word in argv (options moved before it by
 * main.c, `grandlivre --lang fr analytic balance`, skipped: every option
 * takes a value but those below), argc if none. */
static int subcommand_at(int argc, char **argv)
{
    static const char *const flags[] = {"--wide", "--new", "--help", "-h"};
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] != '-')
            return i;
        bool flag = strchr(argv[i], '=') != NULL;
        for (size_t f = 0; f < sizeof flags / sizeof flags[0]; f++)
            flag |= !strcmp(argv[i], flags[f]);
        i += !flag;
    }
    return argc;
}

int cmd_analytic(int argc, char **argv)
{
    int at = subcommand_at(argc, argv);
    if (at > 1 && at < argc) { /* the subcommand's word first, the options after it */
        char *word = argv[at];
        memmove(argv + 2, argv + 1, (size_t)(at - 1) * sizeof *argv);
        argv[1] = word;
    }
    static const struct {
        const char *name;
        int (*run)(int, char **);
    } own[] = {{"codes", cmd_analytic_codes_import},
               {"balance", cmd_analytic_balance},
               {"ledger", cmd_analytic_ledger},
               {"allocate", cmd_analytic_allocate},
               {"export", cmd_analytic_export}};
    for (size_t i = 0; argc >= 2 && i < sizeof own / sizeof own[0]; i++)
        if (!strcmp(argv[1], own[i].name))
            return own[i].run(argc - 1, argv + 1);
    an_opts o;
    cli c;
    int rc = an_parse(&c, &argc, &argv, AN_OPT_BIT(AN_LABEL), &o, _(help), -1);
    if (rc)
        return rc < 0 ? 0 : rc;
    const char *sub = argc >= 1 ? argv[0] : "";
    bool axes = !strcmp(sub, "axes") && argc == 1, axis = !strcmp(sub, "axis") && argc == 3,
         code = !strcmp(sub, "code") && argc == 4, rule = !strcmp(sub, "rule") && argc == 4;
    if (!axes && !axis && !code && !rule) {
        fputs(_(help), stderr);
        return EXIT_USAGE;
    }
    if (!axes && (rc = cli_format_refuse(&c, "analytic")))
        return rc;
    if (axes)
        rc = list_axes(&c);
    else if (axis)
        rc = axis_set(&c, argv, &o);
    else if (code)
        rc = code_set(&c, argv, &o);
    else
        rc = rule_set(&c, argv);
    cli_close(&c);
    return rc;
}
