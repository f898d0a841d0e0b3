/*
 * client/cli/cmd_budget.c — `grandlivre budget` (issue 19, PROTOCOL.md
 * §5.57-§5.58): the budgets (budgets prévisionnels) of a tenant's actions
 * per fiscal year, by group of accounts, versioned: set records a new
 * version of one action's budget, show lists the latest versions with
 * their number and date; import (cmd_budget_import.c) reads a file.
 * What set and import share (a row's text, --year) is here too.
 */
#include "cmd_grants.h"

#include "i18n.h"

#include "proto/date.h"
#include "proto/limits.h"
#include "proto/money.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    N_("usage: grandlivre budget set ACTION --year Y GROUP=AMOUNT [GROUP=AMOUNT...]\n"
       "       grandlivre budget import FILE.csv --year Y\n"
       "       grandlivre budget show [--year Y] [--action A] [--format F]\n"
       "       grandlivre budget compare --year Y [--at DATE] [--action A] [--format F]\n"
       "\n"
       "The budgets (budgets prévisionnels) of the actions of a tenant: for an action\n"
       "(a code open on the analytic axis action) and a fiscal year, the amounts\n"
       "planned per group of accounts, a group being an account prefix of class 6\n"
       "(charges: 60, 64, 641) or 7 (products: 74, 7417). No group may start with\n"
       "another (64 and 641 in one budget would count 641 twice).\n"
       "set records a new version of ACTION's budget for year Y with the rows given\n"
       "(nothing is replaced: the chain keeps every version, the latest is the\n"
       "budget; the same rows as the latest version record nothing); with no row, a\n"
       "version that withdraws the budget. import reads FILE.csv (action;group;amount\n"
       "per line, a header line allowed) and records one version per action of the\n"
       "file, all or nothing: a row out of its rule stops it with the file's line,\n"
       "before anything is sent. show lists the latest version of each budget, with\n"
       "its number and the day it was recorded; for people, each budget ends with its\n"
       "charges and products. compare sets each group of the latest versions against the\n"
       "actual of the action (grandlivre budget compare --help).\n"
       "\n"
       "Examples:\n"
       "  grandlivre budget set AGIIE --year 2026 60=12000,00 641=45000,00 7417=119000,00\n"
       "  grandlivre budget import budgets-2026.csv --year 2026\n"
       "  grandlivre budget show --year 2026 --format csv\n");

enum { BU_YEAR = 5700, BU_ACTION, BU_COUNT_ };

typedef struct bu_opts {
    const char *year, *action;
} bu_opts;

static int on_opt(int opt, const char *arg, void *user)
{
    bu_opts *o = user;
    if (opt == BU_YEAR)
        o->year = arg;
    else if (opt == BU_ACTION)
        o->action = arg;
    else
        return EXIT_USAGE;
    return 0;
}

static gl_str S(const char *s) { return (gl_str){s, s ? strlen(s) : 0}; }

int budget_year(const char *arg, uint16_t *fy)
{
    char *end;
    long y = arg ? strtol(arg, &end, 10) : 0;
    if (!arg || *end || y < 1900 || y > 2999) {
        cli_error(_("--year %s: a fiscal year, as 2026"), arg ? arg : "");
        return EXIT_USAGE;
    }
    *fy = (uint16_t)y;
    return 0;
}

/* An amount as people write it: spaces between thousands left out. */
static bool amount_text(const char *s, int64_t *cents)
{
    char buf[64];
    size_t n = 0;
    for (; *s && n + 1 < sizeof buf; s++)
        if (*s != ' ')
            buf[n++] = *s;
    buf[n] = '\0';
    return !*s && gl_money_parse(buf, n, cents) && *cents >= 0;
}

bool budget_row_parse(const char *group, const char *amount, gl_budget_line *row, char *why,
                      size_t why_len)
{
    if (!gl_budget_group_valid(S(group))) {
        snprintf(why, why_len,
                 _("'%s' is not a group of accounts (1 to 20 digits, the first 6 "
                   "or 7)"),
                 group);
        return false;
    }
    if (!amount_text(amount, &row->amount_cents)) {
        snprintf(why, why_len, _("'%s' is not an amount of 0 or more (as 1200,00)"), amount);
        return false;
    }
    snprintf(row->group, sizeof row->group, "%s", group);
    return true;
}

size_t budget_rows_ok(gl_budget_line *rows, size_t n, char *why, size_t why_len)
{
    for (size_t i = 1; i < n; i++)
        if (!strncmp(rows[i - 1].group, rows[i].group, strlen(rows[i - 1].group))) {
            snprintf(why, why_len,
                     !strcmp(rows[i - 1].group, rows[i].group)
                         ? _("group %s is there twice")
                         : _("group %s starts with group %s: its lines would count twice"),
                     rows[i].group, rows[i - 1].group);
            return i + 1;
        }
    int64_t total = 0;
    for (size_t i = 0; i < n; i++)
        if (!gl_money_add(&total, rows[i].amount_cents) || total > GL_TOTAL_MAX_CENTS) {
            snprintf(why, why_len, "%s", _("the amounts sum beyond the largest amount"));
            return i + 1;
        }
    return 0;
}

static int cmd_set(cli *c, int argc, char **argv, const bu_opts *o)
{
    char action[GL_AN_CODE_MAX + 2], why[256];
    uint16_t fy;
    int rc = budget_year(o->year, &fy);
    if (rc)
        return rc;
    if (!an_upper(argv[1], action, sizeof action) || !gl_an_code_valid(S(action))) {
        cli_error(_("'%s' is not an action code (A-Z, 0-9, _ . and -, at most 16)"), argv[1]);
        return EXIT_USAGE;
    }
    size_t n = (size_t)(argc - 2);
    if (n > GL_BUDGET_ROWS_MAX) {
        cli_error(_("a budget has at most %d rows"), GL_BUDGET_ROWS_MAX);
        return EXIT_USAGE;
    }
    gl_budget_line *rows = calloc(n ? n : 1, sizeof *rows);
    if (!rows)
        return cli_nomem("the budget's rows");
    for (size_t i = 0; !rc && i < n; i++) {
        char *arg = argv[2 + i], *eq = strchr(arg, '=');
        if (eq)
            *eq = '\0';
        if (!eq || !budget_row_parse(arg, eq + 1, &rows[i], why, sizeof why)) {
            cli_error(_("budget set: %s: %s (GROUP=AMOUNT)"), eq ? why : arg, eq ? arg : "");
            rc = EXIT_USAGE;
        }
    }
    gl_budget_lines_sort(rows, n); /* a group twice: budget_rows_ok */
    if (!rc && budget_rows_ok(rows, n, why, sizeof why)) {
        cli_error("budget set: %s", why);
        rc = EXIT_USAGE;
    }
    gl_an_call k;
    if (!rc && !(rc = an_connect(c, &k))) {
        rc = an_report(c, &k, gl_budget_set(&k, action, fy, rows, n));
        gl_an_call_done(&k);
        if (!rc)
            fprintf(stderr, _("grandlivre: %s: budget of %s for %u recorded\n"), c->tenant, action,
                    (unsigned)fy);
    }
    free(rows);
    return rc;
}

/* ---- show ---- */

static void budget_row(out_table *t, const gl_budget_info *b, uint32_t recorded, const char *group,
                       int64_t amount_cents)
{
    out_cstr(t, b->action);
    out_int(t, b->fy);
    out_int(t, b->version);
    out_date(t, recorded);
    out_cstr(t, group);
    out_money(t, amount_cents);
}

/* A budget's rows, then (people) its charges and products; a withdrawn
 * budget one row without a group. */
static bool budget_rows(const cli *c, out_table *t, const gl_budget_info *b)
{
    bool people = cli_format_table(c);
    uint32_t recorded = gl_date_paris(b->recorded_ms);
    if (!b->nrows) {
        budget_row(t, b, recorded, people ? _("(withdrawn)") : "", 0);
        return true;
    }
    int64_t sums[2] = {0, 0}; /* class 6, class 7 */
    for (size_t i = 0; i < b->nrows; i++) {
        budget_row(t, b, recorded, b->rows[i].group, b->rows[i].amount_cents);
        if (!gl_money_add(&sums[b->rows[i].group[0] == '7'], b->rows[i].amount_cents))
            return false;
    }
    if (people) {
        budget_row(t, b, recorded, _("charges"), sums[0]);
        budget_row(t, b, recorded, _("products"), sums[1]);
    }
    return true;
}

static int cmd_show(cli *c, const bu_opts *o)
{
    static const out_col cols[] = {{"action", OUT_REF},  {"fy", OUT_INT},
                                   {"version", OUT_INT}, {"recorded", OUT_DATE},
                                   {"group", OUT_REF},   {"amount", OUT_MONEY}};
    uint16_t fy = 0;
    char action[GL_AN_CODE_MAX + 2] = "";
    int rc = o->year ? budget_year(o->year, &fy) : 0;
    if (rc)
        return rc;
    if (o->action &&
        (!an_upper(o->action, action, sizeof action) || !gl_an_code_valid(S(action)))) {
        cli_error(_("--action %s: not an action code"), o->action);
        return EXIT_USAGE;
    }
    gl_an_call k;
    if ((rc = an_connect(c, &k)))
        return rc;
    gl_budget_list l;
    rc = an_report(c, &k, gl_budgets_get(&k, fy, action, &l));
    gl_an_call_done(&k);
    if (rc)
        return rc;
    if (!l.n && cli_format_table(c)) {
        printf(_("%s: no budget (grandlivre budget set ACTION --year Y GROUP=AMOUNT...)\n"),
               c->tenant);
        gl_budget_list_free(&l);
        return 0;
    }
    out_table *t = out_new(cols, sizeof cols / sizeof cols[0]);
    bool ok = true;
    for (size_t i = 0; t && ok && i < l.n; i++)
        ok = budget_rows(c, t, &l.budgets[i]);
    gl_budget_list_free(&l);
    if (!ok) {
        out_free(t);
        cli_error("the totals overflow");
        return EXIT_REFUSED;
    }
    if (t && cli_format_table(c))
        printf(_("Budgets — %s\n"), c->tenant);
    return cli_format_render(c, t);
}

int cmd_budget(int argc, char **argv)
{
    /* Subcommands with their own options and help: compare
     * (cmd_budget_compare.c). */
    static const struct {
        const char *name;
        int (*run)(int, char **);
    } own[] = {{"compare", cmd_budget_compare}};
    for (size_t i = 0; argc >= 2 && i < sizeof own / sizeof own[0]; i++)
        if (own[i].run && !strcmp(argv[1], own[i].name))
            return own[i].run(argc - 1, argv + 1);
    static const struct option extra[] = {{"year", required_argument, NULL, BU_YEAR},
                                          {"action", required_argument, NULL, BU_ACTION},
                                          {0}};
    static const gr_sub subs[] = {{"set", 1, -1}, {"show", 0, 0}, {"import", 1, 1}};
    cli c;
    bu_opts o = {0};
    size_t sub = 0;
    int rc = gr_parse_sub(&c, &argc, &argv, extra, on_opt, &o, _(help), subs, 3, &sub);
    if (rc < 0)
        return 0; /* --help */
    if (rc)
        return rc;
    bool set = sub == 0, show = sub == 1;
    if (!show && (rc = cli_format_refuse(&c, "budget")))
        return rc;
    if (sub == 2) {
        uint16_t fy;
        rc = budget_year(o.year, &fy);
        if (!rc)
            rc = budget_import(&c, argv[1], fy);
    } else {
        rc = set ? cmd_set(&c, argc, argv, &o) : cmd_show(&c, &o);
    }
    cli_close(&c);
    return rc;
}
