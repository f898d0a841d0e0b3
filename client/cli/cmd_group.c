/*
 * client/cli/cmd_group.c — the group's commands: `recharge keys set|show`,
 * `recharge`, `dues`, `group balance|statements|reconcile`.  For the
 * accountant and auditors; the daemon refuses members.
 */
#include "cli.h"
#include "cmd_recharge_plan.h"
#include "i18n.h"
#include "plural.h"
#include "group_annexe.h"
#include "group_balance.h"
#include "outfile.h"

#include "client/statements/statements.h"
#include "proto/chart_rules.h"
#include "proto/date.h"
#include "proto/group.h"
#include "proto/money.h"
#include "proto/reply_group.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char recharge_help[] =
    "usage: grandlivre recharge keys set --version V --file KEYS.csv [--format F]\n"
    "       grandlivre recharge keys show --version V [--format F]\n"
    "       grandlivre recharge --period YYYY-MM --amount 28500.00 --keys-version V\n"
    "                           [--date YYYY-MM-DD] [--accounts R,V,E,P] [--format F]\n"
    "       grandlivre recharge plan --year Y [--plan FILE] [--accounts R,V,E,P]\n"
    "                           [--post [--yes]] [--format F]\n"
    "       grandlivre recharge check --year Y [--plan FILE] [--format F]\n"
    "\n"
    "The cost-sharing agreement (convention de répartition des frais).\n"
    "keys set: store version V of the allocation keys, one 'tenant,weight' line\n"
    "per member (e.g. ETP: agiie,61); a version used by a recharge never changes.\n"
    "recharge: split AMOUNT of the umbrella's costs between the members by keys\n"
    "version V and post, in one atomic request, the umbrella's invoice to each\n"
    "member (411000 member / 706100) and each member's expense (628000 / 401000\n"
    "umbrella), dated --date (default the last day of the period), all with the\n"
    "piece reference RCH-YYYY-MM-VV. Rounding is exact: each share is the floor\n"
    "of AMOUNT x weight / total weight, and the remaining cents go to the member\n"
    "with the largest weight (the first of equals), so the shares always sum to\n"
    "AMOUNT. A refusal for one member (locked period, missing account) refuses\n"
    "the whole recharge. The accountant only.\n"
    "--accounts RECEIVABLE,REVENUE,EXPENSE,PAYABLE (default: 'accounts' of the\n"
    "[group] section of the client configuration file; --plan FILE likewise\n"
    "its 'plan'): the group's own accounts\n"
    "(e.g. 411GRP,706100,628800,401GRP), carried in the signed request: each\n"
    "must be open where it is used, and each member invoice then has its own\n"
    "piece (RCH-YYYY-MM-VV-CODE, the member's entry the same). Without it,\n"
    "411000/706100/628000/401000 and one piece for all, as before.\n"
    "plan: the year's exact-cost settlement (convention de mutualisation, CGI\n"
    "art. 261 B): the cost base from the umbrella's books month by month (the\n"
    "plan FILE: class 6 prefixes 'costs', 'exclude', funding 'deduct' accounts\n"
    "and 'deduct_amount', 'keys' and 'keys.MM' versions, 'budget', 'accounts';\n"
    "see docs/recharge-plan.example), each member's share by the keys in force\n"
    "each month (exact rounding), what was recharged, and the true-up (share -\n"
    "recharged). --post sends the true-up as one atomic RECHARGE_ADJUST dated\n"
    "31 December (invoices or credit notes), after confirmation or with --yes.\n"
    "check: the same report; warns when the recharges exceed the cost base (a\n"
    "margin: VAT risk) or when recharges plus funding exceed the costs (double\n"
    "funding); exit status 5 then, 0 otherwise.\n"
    "--format csv or json: recharge prints rows of tenant, entry, fy, num; keys\n"
    "show rows of version, used (0 or 1), tenant, weight; keys set one row of\n"
    "version, members.\n";

static const char dues_help[] =
    "usage: grandlivre dues --year YYYY --file DUES.csv [--date YYYY-MM-DD] [--format F]\n"
    "\n"
    "Post the annual membership dues (cotisations) of the members, one\n"
    "'tenant,amount' line each: the umbrella's 411000 member / 756100 and each\n"
    "member's 628100 / 401000 umbrella, dated --date (default 31 January), in\n"
    "one atomic request. The accountant only. --format csv or json prints the\n"
    "entries written as rows of tenant, entry (2025/3), fy, num.\n"
    "--accounts RECEIVABLE,REVENUE,EXPENSE,PAYABLE: the group's own accounts,\n"
    "carried in the signed request (one piece per member: COT-YYYY-CODE).\n";

static const char group_help[] =
    "usage: grandlivre group balance|statements|reconcile [--at DATE] [--format F]\n"
    "       grandlivre group balance|statements [--at DATE] --format html [-o FILE]\n"
    "       grandlivre group annexe [--at DATE] -o FILE.html\n"
    "\n"
    "The group's combined accounts (comptes combinés), read from one snapshot of\n"
    "every ledger, as of DATE (default today), from the first day of each\n"
    "entity's fiscal year:\n"
    "balance     the combined trial balance: one column per entity, the\n"
    "            eliminations, the adjustments (the combination ledger, [group]\n"
    "            combination in the daemon's configuration), the combined total\n"
    "            (never written into anyone's books) and, of it, the\n"
    "            reciprocal-flow differences (écarts de réciprocité)\n"
    "statements  the combined balance sheet and income statement, with class 8\n"
    "            below the result, in the same columns; a warning when the\n"
    "            reciprocal-flow differences are not zero\n"
    "reconcile   for every pair of entities: receivables/payables and\n"
    "            revenues/expenses each records with the other, matched,\n"
    "            mismatched or one-sided, the difference, and the lines left\n"
    "            without a counterpart on the other side\n"
    "annexe      the combined annexe's skeleton as one HTML file: the scope of\n"
    "            combination, the combination rules, the combined trial balance\n"
    "            and the reciprocal-flow differences with their lines.\n"
    "--format html writes balance or statements as one printable page (French),\n"
    "on standard output or into FILE (-o: a new file, never an existing one).\n"
    "Eliminations are line by line: each intercompany line (a line of class 4,\n"
    "6 or 7 naming another entity's code as aux) is paired with the other\n"
    "entity's line of the opposite amount, first of the same piece reference\n"
    "(a recharge's or dues' two entries), then of any piece; paired lines are\n"
    "eliminated on the accounts each side used, unpaired ones stay in the\n"
    "combined total as differences. The combined result is unchanged.\n"
    "The accountant and auditors only.\n";

enum {
    OPT_VERSION = 4000,
    OPT_FILE,
    OPT_PERIOD,
    OPT_AMOUNT,
    OPT_KEYS_VERSION,
    OPT_DATE,
    OPT_YEAR,
    OPT_AT,
    OPT_ACCOUNTS,
    OPT_PLAN,
    OPT_POST,
    OPT_YES,
    OPT_OUTPUT
};

struct group_opts {
    long version, year;
    const char *file, *period, *amount, *date, *at, *plan, *output;
    rc_accounts accounts;
    bool post, yes;
};

static int on_opt(int opt, const char *arg, void *user)
{
    struct group_opts *o = user;
    char *end;
    switch (opt) {
    case OPT_VERSION:
    case OPT_KEYS_VERSION:
        o->version = strtol(arg, &end, 10);
        if (*end || o->version < 0 || o->version > 65535) {
            cli_error("--version takes a number from 0 to 65535");
            return EXIT_USAGE;
        }
        return 0;
    case OPT_YEAR:
        o->year = strtol(arg, &end, 10);
        if (*end || o->year < 1900 || o->year > 2999) {
            cli_error("--year takes a year such as 2025");
            return EXIT_USAGE;
        }
        return 0;
    case OPT_FILE: o->file = arg; return 0;
    case OPT_PERIOD: o->period = arg; return 0;
    case OPT_AMOUNT: o->amount = arg; return 0;
    case OPT_DATE: o->date = arg; return 0;
    case OPT_AT: o->at = arg; return 0;
    case OPT_PLAN: o->plan = arg; return 0;
    case OPT_POST: o->post = true; return 0;
    case OPT_YES: o->yes = true; return 0;
    case OPT_ACCOUNTS:
        o->accounts.flag = true;
        if (rc_accounts_parse(arg, &o->accounts)) {
            cli_error(
                "--accounts takes RECEIVABLE,REVENUE,EXPENSE,PAYABLE: 41..., 7..., 6..., "
                "40... (e.g. 411GRP,706100,628800,401GRP)");
            return EXIT_USAGE;
        }
        return 0;
    case OPT_OUTPUT: o->output = arg; return 0;
    default: return EXIT_USAGE;
    }
}

static const struct option group_options[] = {
    {"version", required_argument, NULL, OPT_VERSION},
    {"file", required_argument, NULL, OPT_FILE},
    {"period", required_argument, NULL, OPT_PERIOD},
    {"amount", required_argument, NULL, OPT_AMOUNT},
    {"keys-version", required_argument, NULL, OPT_KEYS_VERSION},
    {"date", required_argument, NULL, OPT_DATE},
    {"year", required_argument, NULL, OPT_YEAR},
    {"at", required_argument, NULL, OPT_AT},
    {"accounts", required_argument, NULL, OPT_ACCOUNTS},
    {"plan", required_argument, NULL, OPT_PLAN},
    {"post", no_argument, NULL, OPT_POST},
    {"yes", no_argument, NULL, OPT_YES},
    {"output", required_argument, NULL, OPT_OUTPUT},
    {0},
};

/* Where the items of a members file came from: a refusal of item i names
 * path:line[i - 1] (issue 14: the file's line, not an item index). */
struct items_source {
    const char *path;
    size_t line[GL_GROUP_MEMBERS_MAX];
};

/* Read "tenant,value" lines (an optional header) into items; values are
 * weights (whole numbers) or amounts (decimal). Strings point into text.
 * Blank lines count as lines (an editor shows them). */
static int read_items(char *text, struct items_source *src, bool amounts, gl_group_item *items,
                      uint16_t *count)
{
    const char *path = src->path;
    *count = 0;
    size_t lineno = 0;
    for (char *line = text, *next; line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if (!next && !line[0])
            break; /* after the last newline */
        lineno++;
        line[strcspn(line, "\r")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        char *sep = strpbrk(line, ",;\t");
        int64_t v = -1;
        char *end = NULL;
        if (sep) {
            *sep = '\0';
            if (amounts) {
                if (!gl_money_parse(sep + 1, strlen(sep + 1), &v))
                    v = -1;
            } else {
                long long w = strtoll(sep + 1, &end, 10);
                v = *end || w < 0 || w > UINT32_MAX ? -1 : w;
            }
        }
        if (v < 0 && lineno == 1)
            continue; /* header */
        if (v < 0 || !line[0] || strlen(line) > GL_TENANT_MAX) {
            cli_error("%s:%zu: expected 'tenant,%s'", path, lineno, amounts ? "amount" : "weight");
            return EXIT_USAGE;
        }
        if (*count == GL_GROUP_MEMBERS_MAX) {
            cli_error("%s: more than %d members", path, GL_GROUP_MEMBERS_MAX);
            return EXIT_USAGE;
        }
        src->line[*count] = lineno;
        items[*count].tenant = (gl_str){line, strlen(line)};
        items[(*count)++].value = v;
    }
    if (*count == 0) {
        cli_error("%s: no members listed", path);
        return EXIT_USAGE;
    }
    return 0;
}

static gl_str body_of(const gl_response *resp)
{
    return gl_reply_view(resp->reply.body, resp->reply.body_len);
}

/* The entries written, one per member: "tenant fy/num" lines, or with
 * --format csv or json rows of tenant, entry ("2025/3"), fy and num. */
static int print_posted(const cli *c, const gl_response *resp)
{
    gl_reply_posted r;
    if (gl_reply_posted_decode(body_of(resp), &r) != GL_OK)
        return EXIT_REFUSED;
    gl_reply_posted_iter it;
    gl_reply_posted_row row;
    gl_reply_posted_iter_init(&it, &r);
    static const out_col cols[] = {
        {"tenant", OUT_TEXT}, {"entry", OUT_TEXT}, {"fy", OUT_INT}, {"num", OUT_INT}};
    out_table *t = cli_format_table(c) ? NULL : out_new(cols, 4);
    while (gl_reply_posted_next(&it, &row) == 1) {
        if (cli_format_table(c)) {
            printf("%.*s %u/%u\n", (int)row.tenant.len, row.tenant.ptr, row.fy, row.num);
        } else if (t) {
            char entry[32];
            snprintf(entry, sizeof entry, "%u/%u", row.fy, row.num);
            out_text(t, row.tenant.ptr, row.tenant.len);
            out_cstr(t, entry);
            out_int(t, row.fy);
            out_int(t, row.num);
        }
    }
    return cli_format_table(c) ? 0 : cli_format_render(c, t);
}

/* src: the file the body's items came from (NULL if none). */
static int call_print(cli *c, uint16_t kind, const gl_buf *body,
                      int (*print)(const cli *, const gl_response *),
                      const struct items_source *src, const gl_group_item *items, uint16_t count)
{
    gl_response resp;
    int rc = gl_buf_ok(body) ? cli_call(c, kind, "", body->data, body->len, &resp)
                             : cli_nomem("the request");
    uint32_t item = rc == EXIT_REFUSED ? resp.reply.err_item : 0;
    if (src && item >= 1 && item <= count)
        cli_error("%s:%zu: the refused line (%.*s)", src->path, src->line[item - 1],
                  (int)items[item - 1].tenant.len, items[item - 1].tenant.ptr);
    if (rc == 0 && print)
        rc = print(c, &resp);
    gl_response_free(&resp);
    return rc;
}

/* A version of the keys: a title and "tenant,weight" lines, or with
 * --format csv or json rows of version, used, tenant, weight. */
static int print_keys(const cli *c, const gl_response *resp)
{
    gl_reply_keys_get r;
    if (gl_reply_keys_get_decode(body_of(resp), &r) != GL_OK)
        return EXIT_REFUSED;
    static const out_col cols[] = {
        {"version", OUT_INT}, {"used", OUT_INT}, {"tenant", OUT_TEXT}, {"weight", OUT_INT}};
    out_table *t = cli_format_table(c) ? NULL : out_new(cols, 4);
    if (cli_format_table(c))
        printf("keys version %u (%s)\n", r.version,
               r.used ? "used: never changes" : "not used yet");
    gl_reply_keys_get_iter it;
    gl_reply_keys_row row;
    gl_reply_keys_get_iter_init(&it, &r);
    while (gl_reply_keys_get_next(&it, &row) == 1) {
        if (cli_format_table(c)) {
            printf("%.*s,%lld\n", (int)row.tenant.len, row.tenant.ptr, (long long)row.weight);
        } else if (t) {
            out_int(t, r.version);
            out_int(t, r.used ? 1 : 0);
            out_text(t, row.tenant.ptr, row.tenant.len);
            out_int(t, (int64_t)row.weight);
        }
    }
    return cli_format_table(c) ? 0 : cli_format_render(c, t);
}

/* keys set: "keys version V stored (N members)", or one row. */
static int print_keys_stored(const cli *c, long version, unsigned members)
{
    if (cli_format_table(c)) {
        printf(PLURAL(members, "keys version %ld stored (%u member)\n",
                      "keys version %ld stored (%u members)\n"),
               version, members);
        return 0;
    }
    static const out_col cols[] = {{"version", OUT_INT}, {"members", OUT_INT}};
    out_table *t = out_new(cols, 2);
    if (t) {
        out_int(t, version);
        out_int(t, members);
    }
    return cli_format_render(c, t);
}

static int keys_command(cli *c, const struct group_opts *o, int argc, char **argv)
{
    gl_buf body;
    gl_buf_init(&body);
    int rc;
    if (argc == 2 && !strcmp(argv[1], "set") && o->file && o->version >= 0) {
        size_t len;
        char *text = cli_read_file(o->file, &len);
        gl_keys_q q = {.version = (uint16_t)o->version};
        struct items_source src = {.path = o->file};
        rc = text ? read_items(text, &src, false, q.items, &q.count) : EXIT_USAGE;
        if (rc == 0) {
            gl_keys_q_encode(&body, &q);
            rc = call_print(c, GL_KIND_KEYS_SET, &body, NULL, &src, q.items, q.count);
            if (rc == 0)
                rc = print_keys_stored(c, o->version, q.count);
        }
        free(text);
    } else if (argc == 2 && !strcmp(argv[1], "show")) {
        gl_put_u16(&body, (uint16_t)o->version);
        rc = call_print(c, GL_KIND_KEYS_GET, &body, print_keys, NULL, NULL, 0);
    } else {
        fputs(recharge_help, stderr);
        rc = EXIT_USAGE;
    }
    gl_buf_free(&body);
    return rc;
}

static int parse_month(const char *s, uint32_t *ym)
{
    char buf[16];
    uint32_t d;
    if (!s || strlen(s) != 7)
        return -1;
    snprintf(buf, sizeof buf, "%s-01", s);
    if (!gl_date_parse(buf, 10, &d))
        return -1;
    *ym = d / 100;
    return 0;
}

/* The client configuration's [group] (profile.h) where flags left them
 * unset: the accounts and the plan file. */
static int group_profile(const cli *c, struct group_opts *o)
{
    if (!o->accounts.a.carried && c->prof.group_accounts[0] &&
        rc_accounts_parse(c->prof.group_accounts, &o->accounts)) {
        char why[PATH_MAX + 200];
        snprintf(why, sizeof why,
                 "%s:%d: [group] accounts takes RECEIVABLE,REVENUE,EXPENSE,PAYABLE: 41..., "
                 "7..., 6..., 40...",
                 c->prof.path, c->prof.group_accounts_line);
        return cli_local_error(GL_ERR_CONFIG_INVALID, why);
    }
    if (!o->plan && c->prof.group_plan[0])
        o->plan = c->prof.group_plan;
    return 0;
}

int cmd_recharge(int argc, char **argv)
{
    struct group_opts o = {.version = -1};
    cli c;
    int rc = cli_parse(&c, &argc, &argv, group_options, on_opt, &o, recharge_help);
    if (rc)
        return rc < 0 ? 0 : rc;
    if ((rc = group_profile(&c, &o)))
        return rc;
    if (argc == 1 && (!strcmp(argv[0], "plan") || !strcmp(argv[0], "check"))) {
        bool check = !strcmp(argv[0], "check");
        if (!o.year || (check && o.post)) {
            fputs(recharge_help, stderr);
            return EXIT_USAGE;
        }
        rc = rc_plan_command(&c, check, o.year, o.plan, &o.accounts, o.post, o.yes);
        cli_close(&c);
        return rc;
    }
    if ((rc = cli_connect(&c)))
        return rc;
    if (argc >= 1 && !strcmp(argv[0], "keys")) {
        rc = keys_command(&c, &o, argc, argv);
    } else {
        gl_recharge_q q = {.version = (uint16_t)o.version, .accounts = o.accounts.a};
        if (argc || o.version < 0 || parse_month(o.period, &q.period_ym) || !o.amount ||
            !gl_money_parse(o.amount, strlen(o.amount), &q.amount_cents) || q.amount_cents <= 0 ||
            (o.date && cli_date(o.date, "--date", &q.date))) {
            fputs(recharge_help, stderr);
            rc = EXIT_USAGE;
        } else {
            gl_buf body;
            gl_buf_init(&body);
            gl_recharge_q_encode(&body, &q);
            rc = call_print(&c, GL_KIND_RECHARGE, &body, print_posted, NULL, NULL, 0);
            gl_buf_free(&body);
        }
    }
    cli_close(&c);
    return rc;
}

int cmd_dues(int argc, char **argv)
{
    struct group_opts o = {.version = -1};
    cli c;
    int rc = cli_parse(&c, &argc, &argv, group_options, on_opt, &o, dues_help);
    if (rc)
        return rc < 0 ? 0 : rc;
    if ((rc = group_profile(&c, &o)))
        return rc;
    gl_dues_q q = {.year = (uint16_t)o.year, .accounts = o.accounts.a};
    if (argc || !o.year || !o.file || (o.date && cli_date(o.date, "--date", &q.date))) {
        fputs(dues_help, stderr);
        return EXIT_USAGE;
    }
    size_t len;
    char *text = cli_read_file(o.file, &len);
    struct items_source src = {.path = o.file};
    rc = text ? read_items(text, &src, true, q.items, &q.count) : EXIT_USAGE;
    if (rc == 0 && (rc = cli_connect(&c)) == 0) {
        gl_buf body;
        gl_buf_init(&body);
        gl_dues_q_encode(&body, &q);
        rc = call_print(&c, GL_KIND_DUES, &body, print_posted, &src, q.items, q.count);
        gl_buf_free(&body);
        cli_close(&c);
    }
    free(text);
    return rc;
}

/* --- combined accounts (all pages of GROUP_BALANCE: group_balance.c) --- */

/* The reciprocal-flow differences after a table, and a warning (stderr)
 * when they are not zero. */
static void print_gaps(const cli *c, const group_balance *g)
{
    __int128 gaps[3];
    group_balance_gaps(g, gaps);
    bool table = c->format == OUT_TABLE || c->format == OUT_TABLE_FR;
    for (int k = 1; k <= 2 && table; k++) {
        char m[GL_MONEY_TEXT_MAX];
        gl_money_format(group_gap_i64(gaps[k]),
                        c->format == OUT_TABLE_FR ? GL_MONEY_FRENCH : GL_MONEY_PLAIN, m);
        printf(k == 1 ? _("Reciprocal-flow differences, receivables/payables: %s\n")
                      : _("Reciprocal-flow differences, revenues/expenses: %s\n"),
               m);
    }
    if (gaps[1] || gaps[2])
        group_gaps_warn();
}

static int print_group_balance(const cli *c, const group_balance *g)
{
    size_t ncols = GROUP_COLS(g); /* each entity, eliminations, adjustments, combined */
    out_col cols[STMT_COLS_MAX + 3];
    cols[0] = (out_col){"account", OUT_TEXT};
    cols[1] = (out_col){"label", OUT_TEXT};
    for (size_t i = 0; i < g->entities; i++)
        cols[i + 2] = (out_col){g->ids[i], OUT_MONEY};
    cols[GROUP_ELIM(g) + 2] = (out_col){"eliminations", OUT_MONEY};
    cols[GROUP_ADJ(g) + 2] = (out_col){"adjustments", OUT_MONEY};
    cols[GROUP_COMBINED(g) + 2] = (out_col){"combined", OUT_MONEY};
    cols[ncols + 2] = (out_col){"differences", OUT_MONEY};
    out_table *t = out_new(cols, ncols + 3);
    if (!t)
        return EXIT_USAGE;
    /* column totals in 128 bits: each column sums to zero over balanced
     * books, but a running sum in account order may pass the int64 range */
    __int128 totals[STMT_COLS_MAX + 1] = {0};
    for (size_t r = 0; r < g->count; r++) {
        out_cstr(t, g->accounts[r]);
        out_cstr(t, g->labels[r]);
        for (size_t i = 0; i <= ncols; i++) {
            int64_t v = i < ncols ? g->rows[r].net[i] : g->gaps[r];
            out_money(t, v);
            totals[i] += v;
        }
    }
    bool table = c->format == OUT_TABLE || c->format == OUT_TABLE_FR;
    if (table) {
        for (size_t i = 0; i <= ncols; i++)
            if (totals[i] > INT64_MAX || totals[i] < INT64_MIN) {
                out_free(t);
                return cli_local_error(GL_ERR_SUM_OVERFLOW,
                                       i < g->entities
                                           ? "the total of an entity's column"
                                           : "the total of the eliminations or combined column");
            }
        char d[11];
        printf("Combined trial balance of the group as of %s (balances: debit - credit)\n",
               gl_date_format(g->at, d));
        if (g->combination[0])
            printf(_("Adjustments: the combination ledger %s (fiscal year %u)\n"), g->combination,
                   g->combination_fy);
        out_cstr(t, "TOTAL");
        out_cstr(t, "");
        for (size_t i = 0; i <= ncols; i++)
            out_money(t, (int64_t)totals[i]);
    }
    int rc = out_render(t, c->format, stdout) ? EXIT_USAGE : 0;
    out_free(t);
    if (rc == 0)
        print_gaps(c, g);
    return rc;
}

static const group_entity_info *info_find(const group_entity_info *info, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(info[i].id, id))
            return &info[i];
    return NULL;
}

/* The first day of the fiscal year fy of tenant id (TENANTS' first month). */
static uint32_t year_start(const group_entity_info *info, size_t n, const char *id, uint16_t fy)
{
    const group_entity_info *e = info_find(info, n, id);
    return gl_fiscal_year_start(fy, e && e->first_month ? e->first_month : 1);
}

/* The combined statements of g into r (entities, eliminations, adjustments,
 * combined), in the model of the umbrella's fiscal year, an entity's year
 * opened before 2025 reclassified as `statements --group` does (info: the
 * tenants' first months); 0 or an exit code after printing it. */
static int compute_statements(const group_balance *g, const group_entity_info *info, size_t n,
                              stmt_result *r)
{
    stmt_input in = {.ncols = GROUP_COLS(g), .accounts = g->rows, .count = g->count};
    if (g->entities)
        in.model = stmt_model_for_start(year_start(info, n, g->ids[0], g->fy[0]));
    for (size_t i = 0; i < g->entities; i++) {
        in.col_names[i] = g->ids[i];
        in.map_2018[i] = gl_chart_edition(year_start(info, n, g->ids[i], g->fy[i])) < 2025;
        in.map_2018[GROUP_ELIM(g)] |= in.map_2018[i];
    }
    in.map_2018[GROUP_ADJ(g)] =
        g->combination[0] &&
        gl_chart_edition(year_start(info, n, g->combination, g->combination_fy)) < 2025;
    in.col_names[GROUP_ELIM(g)] = "eliminations";
    in.col_kind[GROUP_ELIM(g)] = STMT_COL_ELIMINATIONS;
    /* the adjustments are the combination ledger's balances: each is
     * classified by the side of the entities' balance it corrects */
    in.col_names[GROUP_ADJ(g)] = "adjustments";
    in.col_kind[GROUP_ADJ(g)] = STMT_COL_ADJUSTMENTS;
    in.col_names[GROUP_COMBINED(g)] = "combined"; /* line by line: the columns before */
    in.col_kind[GROUP_COMBINED(g)] = STMT_COL_SUM;
    stmt_compute(&in, r);
    return r->overflow ? cli_local_error(GL_ERR_SUM_OVERFLOW, "a line of the combined statements")
                       : 0;
}

static int read_tenants(cli *c, group_entity_info *info, size_t max, size_t *count);

static int print_group_statements(cli *c, const group_balance *g)
{
    static group_entity_info info[GL_GROUP_MEMBERS_MAX + 2];
    size_t n = 0;
    stmt_result *r = calloc(1, sizeof *r);
    if (!r)
        return cli_nomem("the combined statements");
    int rc = read_tenants(c, info, sizeof info / sizeof info[0], &n);
    if (rc == 0)
        rc = compute_statements(g, info, n, r);
    if (rc == 0 && (c->format == OUT_TABLE || c->format == OUT_TABLE_FR)) {
        char d[11];
        printf("Combined statements of the group (comptes combinés) as of %s\n",
               gl_date_format(g->at, d));
    }
    if (rc == 0)
        rc = stmt_render(r, c->format, stdout) ? EXIT_USAGE : 0;
    free(r);
    if (rc == 0)
        print_gaps(c, g);
    return rc;
}

static const char *const pair_status[] = {"matched", "mismatched", "one-sided"};

static int print_reconcile(const cli *c, const gl_response *resp)
{
    static const out_col cols[] = {
        {"entity", OUT_TEXT},          {"partner", OUT_TEXT},          {"kind", OUT_TEXT},
        {"entity_records", OUT_MONEY}, {"partner_records", OUT_MONEY}, {"status", OUT_TEXT},
        {"difference", OUT_MONEY}};
    static const out_col lcols[] = {{"entity", OUT_TEXT},      {"partner", OUT_TEXT},
                                    {"recorded_by", OUT_TEXT}, {"entry", OUT_TEXT},
                                    {"date", OUT_DATE},        {"account", OUT_TEXT},
                                    {"amount", OUT_MONEY},     {"label", OUT_TEXT}};
    out_table *t = out_new(cols, 7), *lt = out_new(lcols, 8);
    gl_reply_reconcile r;
    bool ok = gl_reply_reconcile_decode(body_of(resp), &r) == GL_OK;
    gl_reply_reconcile_iter it, lines;
    gl_reply_reconcile_pair p;
    gl_reply_reconcile_line l;
    size_t open = 0, listed = 0;
    gl_reply_reconcile_iter_init(&it, &r);
    while (ok && t && lt && gl_reply_reconcile_next(&it, &p) == 1) {
        out_text(t, p.tenant_a.ptr, p.tenant_a.len);
        out_text(t, p.tenant_b.ptr, p.tenant_b.len);
        out_cstr(t, p.category == 1 ? "receivables/payables" : "revenues/expenses");
        out_money(t, p.pos_a);
        out_money(t, p.pos_b);
        out_cstr(t, p.status < 3 ? pair_status[p.status] : "?");
        out_money(t, p.diff);
        open += p.status != 0;
        listed += p.unmatched;
        gl_reply_reconcile_lines_init(&lines, &p);
        while (gl_reply_reconcile_line_next(&lines, &l) == 1) {
            char e[32];
            snprintf(e, sizeof e, "%u/%u", l.fy, l.num);
            out_text(lt, p.tenant_a.ptr, p.tenant_a.len);
            out_text(lt, p.tenant_b.ptr, p.tenant_b.len);
            out_text(lt, l.tenant.ptr, l.tenant.len);
            out_cstr(lt, e);
            out_date(lt, l.date);
            out_text(lt, l.account.ptr, l.account.len);
            out_money(lt, l.amount);
            out_text(lt, l.label.ptr, l.label.len);
        }
    }
    int rc = ok && t && lt ? 0 : EXIT_REFUSED;
    bool table = c->format == OUT_TABLE || c->format == OUT_TABLE_FR;
    if (rc == 0 && table) {
        char d[11];
        printf(PLURAL(r.pairs, "Intercompany reconciliation as of %s: %u pair, %zu not matched\n",
                      "Intercompany reconciliation as of %s: %u pairs, %zu not matched\n"),
               gl_date_format(r.at, d), r.pairs, open);
    }
    if (rc == 0 && out_render(t, c->format, stdout))
        rc = EXIT_USAGE;
    if (rc == 0 && listed && table) {
        printf(
            _("\nLines without a counterpart on the other side (reciprocal-flow "
              "differences):\n"));
        rc = out_render(lt, c->format, stdout) ? EXIT_USAGE : 0;
    } else if (rc == 0 && listed && c->format != OUT_JSON) {
        rc = out_render(lt, c->format, stdout) ? EXIT_USAGE : 0;
    }
    out_free(t);
    out_free(lt);
    return rc;
}

/* TENANTS' rows into info (at most max). */
static int read_tenants(cli *c, group_entity_info *info, size_t max, size_t *count)
{
    gl_response resp = {0};
    int rc = cli_call(c, GL_KIND_TENANTS, "", NULL, 0, &resp);
    gl_reply_tenants r;
    *count = 0;
    if (rc == 0 && gl_reply_tenants_decode(body_of(&resp), &r) == GL_OK) {
        gl_reply_tenants_iter it;
        gl_reply_tenants_row row;
        gl_reply_tenants_iter_init(&it, &r);
        while (*count < max && gl_reply_tenants_next(&it, &row) == 1) {
            group_entity_info *e = &info[(*count)++];
            snprintf(e->id, sizeof e->id, "%.*s", (int)row.id.len, row.id.ptr);
            snprintf(e->code, sizeof e->code, "%.*s", (int)row.code.len, row.code.ptr);
            snprintf(e->name, sizeof e->name, "%.*s", (int)row.name.len, row.name.ptr);
            snprintf(e->siren, sizeof e->siren, "%.*s", (int)row.siren.len, row.siren.ptr);
            e->first_month = row.first_month;
        }
    }
    gl_response_free(&resp);
    return rc;
}

enum group_page { PAGE_ANNEXE, PAGE_BALANCE, PAGE_STATEMENTS };

static int write_page(FILE *f, enum group_page page, const group_annexe_in *in)
{
    if (page == PAGE_ANNEXE)
        return group_annexe_html(f, in);
    if (page == PAGE_BALANCE)
        return group_balance_html(f, in);
    stmt_result *r = calloc(1, sizeof *r);
    int rc = !r ? -1
             : compute_statements(in->g, in->info, in->info_count, r)
                 ? -2
                 : group_statements_html(f, in, r, cli_today());
    free(r);
    return rc;
}

/* The HTML pages (`group annexe -o FILE.html`, `group balance|statements
 * --format html [-o FILE]`): the balance, the reconciliation (the annexe's
 * differences) and the tenants' names, then the page, written whole or not
 * (outfile.h) or on standard output. */
static int group_html(cli *c, uint32_t at, const char *path, enum group_page page)
{
    group_balance g;
    gl_response rresp = {0};
    gl_reply_reconcile rec = {0};
    static group_entity_info info[GL_GROUP_MEMBERS_MAX + 2];
    size_t ninfo = 0;
    int rc = cli_group_balance(c, at, &g);
    if (rc == 0 && page == PAGE_ANNEXE) {
        gl_buf body;
        gl_buf_init(&body);
        gl_put_u32(&body, at);
        rc = gl_buf_ok(&body)
                 ? cli_call(c, GL_KIND_GROUP_RECONCILE, "", body.data, body.len, &rresp)
                 : cli_nomem("the reconciliation request");
        gl_buf_free(&body);
        if (rc == 0 && gl_reply_reconcile_decode(body_of(&rresp), &rec) != GL_OK)
            rc = cli_local_error(GL_ERR_BAD_REPLY, "the reconciliation does not decode");
    }
    if (rc == 0)
        rc = read_tenants(c, info, sizeof info / sizeof info[0], &ninfo);
    outfile of = {.dir_fd = -1};
    char err[PATH_MAX + 256];
    if (rc == 0 && path &&
        outfile_open(&of, path, OUTFILE_MODE_PUBLIC, false, err, sizeof err) != GL_OK) {
        cli_error("%s", err);
        rc = EXIT_USAGE;
    }
    if (rc == 0) {
        group_annexe_in in = {.g = &g, .rec = &rec, .info = info, .info_count = ninfo};
        FILE *f = path ? of.f : stdout;
        int w = write_page(f, page, &in);
        if (w == -2) {
            rc = EXIT_REFUSED; /* reported */
        } else if (w != 0 ||
                   (path ? outfile_commit(&of, err, sizeof err) != GL_OK : fflush(stdout) != 0)) {
            cli_error("cannot write %s", path ? path : "the page");
            rc = EXIT_USAGE;
        }
    }
    outfile_abort(&of);
    __int128 gaps[3];
    group_balance_gaps(&g, gaps);
    if (rc == 0 && (gaps[1] || gaps[2]))
        group_gaps_warn();
    gl_response_free(&rresp);
    group_balance_free(&g);
    return rc;
}

int cmd_group(int argc, char **argv)
{
    struct group_opts o = {.version = -1};
    cli c;
    bool html = false;
    int rc = cli_parse_html(&c, &argc, &argv, group_options, on_opt, &o, group_help, &html);
    if (rc)
        return rc < 0 ? 0 : rc;
    uint32_t at = cli_today();
    if (argc != 1 || (o.at && cli_date(o.at, "--at", &at))) {
        fputs(group_help, stderr);
        return EXIT_USAGE;
    }
    bool balance = !strcmp(argv[0], "balance"), statements = !strcmp(argv[0], "statements");
    bool reconcile = !strcmp(argv[0], "reconcile"), annexe = !strcmp(argv[0], "annexe");
    /* the annexe is a file; balance and statements write HTML on --format
     * html (to -o FILE or standard output); -o goes with HTML only */
    bool page_ok = annexe ? o.output && !html : (balance || statements) && (html || !o.output);
    if (!page_ok && (!reconcile || html || o.output)) {
        fputs(group_help, stderr);
        return EXIT_USAGE;
    }
    char err[PATH_MAX + 256];
    if (o.output && outfile_check(o.output, false, err, sizeof err) != GL_OK) {
        cli_error("%s", err); /* before asking the daemon anything */
        return EXIT_USAGE;
    }
    if ((rc = cli_connect(&c)))
        return rc;
    if (annexe || html) {
        rc = group_html(&c, at, o.output,
                        annexe    ? PAGE_ANNEXE
                        : balance ? PAGE_BALANCE
                                  : PAGE_STATEMENTS);
    } else if (reconcile) {
        gl_buf body;
        gl_buf_init(&body);
        gl_put_u32(&body, at);
        gl_response resp = {0};
        rc = gl_buf_ok(&body)
                 ? cli_call(&c, GL_KIND_GROUP_RECONCILE, "", body.data, body.len, &resp)
                 : cli_nomem("the reconciliation request");
        if (rc == 0)
            rc = print_reconcile(&c, &resp);
        gl_response_free(&resp);
        gl_buf_free(&body);
    } else {
        group_balance g;
        rc = cli_group_balance(&c, at, &g);
        if (rc == 0)
            rc = balance ? print_group_balance(&c, &g) : print_group_statements(&c, &g);
        group_balance_free(&g);
    }
    cli_close(&c);
    return rc;
}
