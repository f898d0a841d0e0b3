/*
 * client/cli/cmd_accounts.c — `grandlivre accounts list|open|label|import|load-chart|check`.
 *
 * Which chart: a fiscal year opened before 2025-01-01 is kept in the chart of
 * règlement ANC 2018-06 (data/chart-anc-2018-06.csv), one opened on or after
 * that day in the chart of règlement ANC 2022-06 (data/chart-anc-2025.csv);
 * proto/chart_rules.h holds what changed.  --year names the fiscal year
 * (default: the one containing today); the tenant's first month comes from
 * the daemon (PERIODS).
 */
#include "carry_mode.h"
#include "cli.h"
#include "plural.h"
#include "cli_replies.h"

#include "client/input/chart.h"
#include "proto/chart_rules.h"
#include "proto/date.h"
#include "proto/entry.h"
#include "proto/money.h"
#include "proto/query.h"
#include "proto/rules.h"

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: grandlivre accounts list --tenant T [--year Y] [--format F]\n"
    "       grandlivre accounts open --tenant T [--year Y] ACCOUNT LABEL\n"
    "       grandlivre accounts label --tenant T ACCOUNT LABEL\n"
    "       grandlivre accounts import --tenant T [--year Y] FILE\n"
    "       grandlivre accounts load-chart --tenant T [--year Y]\n"
    "       grandlivre accounts check --tenant T --year Y [--format F]\n"
    "       grandlivre accounts carry-mode --tenant T ACCOUNT detailed|summarised\n"
    "       grandlivre accounts carry-mode --tenant T [--format F]\n"
    "\n"
    "list        the tenant's chart: account, label, state; a standard account\n"
    "            whose label is still a standard one is shown with the label of\n"
    "            the chart of fiscal year Y (747000 reads \"Quote-part des\n"
    "            subventions d'investissement...\" from 2025, \"Subventions\n"
    "            d'exploitation - Fonds européens\" before)\n"
    "open        open one account (refused with account_exists if it is open)\n"
    "label       give an open account another label (ACCOUNT_LABEL, a signed\n"
    "            event in the tenant's chain; 405 unknown_account if it is not\n"
    "            open, 434 field_required if LABEL is blank; the same label\n"
    "            again changes nothing)\n"
    "import      open the accounts of FILE, one 'account;label' per line (';' or\n"
    "            tab separated, an optional header line); open accounts are kept\n"
    "load-chart  open the associations' standard chart of fiscal year Y (classes\n"
    "            1-8, built into the client); open accounts are kept\n"
    "check       every account used in fiscal year Y or the year before that the\n"
    "            chart of year Y abolished or gave another meaning, with the\n"
    "            account to use instead and the amounts (debit, credit, balance)\n"
    "carry-mode  how the year closes after it carry ACCOUNT (classes 1-5) into the\n"
    "            à-nouveaux: summarised (the default: one balance per account and\n"
    "            third party) or detailed (one line per open item, an unlettered\n"
    "            line of the closed year, with its piece, date and origin, so that\n"
    "            a payment of the next year letters the invoice's line); a signed\n"
    "            event in the tenant's chain (CARRY_MODE_SET), accountant only;\n"
    "            without ACCOUNT, every account of classes 1-5 with its mode and,\n"
    "            when set, the date (UTC) and the key (fingerprint) that set it\n"
    "            (read from the chain: members see their own tenant's)\n"
    "--format csv or json: open, import and load-chart print one row (tenant,\n"
    "opened, already_open), label one row (tenant, account, label, changed).\n"
    "\n"
    "Which chart applies: a fiscal year opened before 2025-01-01 is kept in the\n"
    "chart of règlement ANC 2018-06 on the PCG (data/chart-anc-2018-06.csv); a\n"
    "fiscal year opened on or after 2025-01-01 in the chart of règlement ANC\n"
    "2022-06 (data/chart-anc-2025.csv): no 79x transfers of charges, investment\n"
    "grants released through 747, disposals on 652/757, operating grants on 741.\n"
    "The daemon refuses (430 account_abolished, naming the replacement) to open\n"
    "an account abolished in the tenant's current fiscal year, or to post one in\n"
    "an entry of a fiscal year opened from 2025. --year Y names the fiscal year\n"
    "(by the calendar year it ends in; default: the one containing today); with\n"
    "a year before the 2025 chart, open/import/load-chart open the accounts for\n"
    "those books even if the 2025 chart abolished them. The statements follow\n"
    "the same boundary: the 2018-06 models before 2025, the 2025 models from\n"
    "then on ('grandlivre statements --help').\n"
    "\n"
    "Account numbers: 3-20 characters 0-9 A-Z, the first three digits, the first\n"
    "the class 1-8 (512, 512000, 411GRP; not 6A, 51, 0123); class 9 (analytic\n"
    "accounts) only where the tenant's configuration says analytic_class9 = yes.\n"
    "Accounts opened before this rule stay readable; new entries cannot use them.\n"
    "Members may only touch their own tenant; auditors may only list and check.\n";

/* `accounts label`: one ACCOUNT_LABEL item (count u32 | account str8 | label str8). */
static int account_label(cli *c, const char *account, const char *label)
{
    if (strlen(label) > GL_LABEL_MAX) {
        cli_error("label too long (at most %d bytes)", GL_LABEL_MAX);
        return EXIT_USAGE;
    }
    gl_buf body;
    gl_buf_init(&body);
    gl_put_u32(&body, 1);
    gl_put_str8(&body, account, strlen(account));
    gl_put_str8(&body, label, strlen(label));
    gl_response resp;
    int rc = gl_buf_ok(&body)
                 ? cli_call(c, GL_KIND_ACCOUNT_LABEL, c->tenant, body.data, body.len, &resp)
                 : EXIT_USAGE;
    gl_buf_free(&body);
    gl_reply_account_label r;
    if (rc == 0 && gl_reply_account_label_decode(
                       gl_reply_view(resp.reply.body, resp.reply.body_len), &r) != GL_OK) {
        cli_error("cannot read the daemon's reply (account label)");
        rc = EXIT_REFUSED;
    }
    if (rc == 0)
        fprintf(stderr, "grandlivre: %s: account %s %s\n", c->tenant, account,
                r.changed ? "relabelled" : "already has that label");
    if (rc == 0 && !cli_format_table(c)) {
        static const out_col cols[] = {
            {"tenant", OUT_TEXT}, {"account", OUT_TEXT}, {"label", OUT_TEXT}, {"changed", OUT_INT}};
        out_table *t = out_new(cols, 4);
        if (t) {
            out_cstr(t, c->tenant);
            out_cstr(t, account);
            out_cstr(t, label);
            out_int(t, r.changed ? 1 : 0);
        }
        rc = cli_format_render(c, t);
    }
    gl_response_free(&resp);
    return rc;
}

enum { OPT_YEAR = 2000 };

static int on_opt(int opt, const char *arg, void *user)
{
    long *year = user;
    if (opt != OPT_YEAR)
        return EXIT_USAGE;
    char *end;
    long y = strtol(arg, &end, 10);
    if (*arg == '\0' || *end != '\0' || y < 1901 || y > 2999) {
        cli_error("--year: expected a fiscal year 1901-2999, got '%s'", arg);
        return EXIT_USAGE;
    }
    *year = y;
    return 0;
}

/* The first day of fiscal year `year` (0: the one containing today). */
static int year_start(cli *c, long year, uint32_t *start)
{
    unsigned fm;
    int rc = cli_first_month(c, &fm);
    if (rc)
        return rc;
    uint16_t fy = year ? (uint16_t)year : gl_fiscal_year(cli_today(), fm);
    *start = gl_fiscal_year_start(fy, fm);
    return 0;
}

/* Send account items in requests of at most GL_ACCOUNTS_MAX. */
static int open_accounts(cli *c, const char *const *accounts, const char *const *labels, size_t n,
                         uint8_t mode)
{
    uint32_t opened = 0, skipped = 0;
    for (size_t start = 0; start < n; start += GL_ACCOUNTS_MAX) {
        size_t count = n - start < GL_ACCOUNTS_MAX ? n - start : GL_ACCOUNTS_MAX;
        gl_buf body;
        gl_buf_init(&body);
        gl_put_u8(&body, mode);
        gl_put_u32(&body, (uint32_t)count);
        for (size_t i = start; i < start + count; i++) {
            if (strlen(accounts[i]) > GL_ACCOUNT_MAX || strlen(labels[i]) > GL_LABEL_MAX) {
                cli_error("account %s: number or label too long", accounts[i]);
                gl_buf_free(&body);
                return EXIT_USAGE;
            }
            gl_put_str8(&body, accounts[i], strlen(accounts[i]));
            gl_put_str8(&body, labels[i], strlen(labels[i]));
        }
        gl_response resp;
        int rc = gl_buf_ok(&body)
                     ? cli_call(c, GL_KIND_ACCOUNTS_OPEN, c->tenant, body.data, body.len, &resp)
                     : cli_nomem("the accounts request");
        gl_buf_free(&body);
        gl_reply_accounts_open r;
        if (rc == 0 && gl_reply_accounts_open_decode(
                           gl_reply_view(resp.reply.body, resp.reply.body_len), &r) != GL_OK) {
            cli_error("cannot read the daemon's reply (accounts opened)");
            rc = EXIT_REFUSED;
        }
        if (rc == 0) {
            opened += r.opened;
            skipped += r.skipped;
        }
        gl_response_free(&resp);
        if (rc)
            return rc;
    }
    fprintf(stderr,
            PLURAL(opened, "grandlivre: %s: %u account opened, %u already open\n",
                   "grandlivre: %s: %u accounts opened, %u already open\n"),
            c->tenant, opened, skipped);
    if (cli_format_table(c))
        return 0;
    static const out_col cols[] = {
        {"tenant", OUT_TEXT}, {"opened", OUT_INT}, {"already_open", OUT_INT}};
    out_table *t = out_new(cols, 3);
    if (t) {
        out_cstr(t, c->tenant);
        out_int(t, opened);
        out_int(t, skipped);
    }
    return cli_format_render(c, t);
}

/* The tenant's accounts; standard labels as the chart of the fiscal year
 * starting on fy_start words them (client/input/chart.h). */
static int accounts_list(cli *c, uint32_t fy_start)
{
    gl_response resp;
    int rc = cli_call(c, GL_KIND_ACCOUNTS_LIST, c->tenant, NULL, 0, &resp);
    if (rc == 0) {
        static const out_col cols[] = {
            {"account", OUT_TEXT}, {"label", OUT_TEXT}, {"state", OUT_TEXT}};
        out_table *t = out_new(cols, 3);
        gl_reply_accounts_list r;
        int st =
            gl_reply_accounts_list_decode(gl_reply_view(resp.reply.body, resp.reply.body_len), &r);
        gl_reply_accounts_list_iter it;
        gl_reply_accounts_list_row row;
        gl_reply_accounts_list_iter_init(&it, &r);
        while (st == GL_OK && gl_reply_accounts_list_next(&it, &row) == 1) {
            char label[256];
            snprintf(label, sizeof label, "%.*s", (int)row.label.len, row.label.ptr);
            out_text(t, row.account.ptr, row.account.len);
            out_cstr(t, gl_chart_label_for_year(row.account.ptr, row.account.len, label, fy_start));
            out_cstr(t, row.state == 1 ? "open" : "closed");
        }
        if (st != GL_OK || !t || out_render(t, c->format, stdout)) {
            cli_error("cannot read or print the daemon's reply");
            rc = EXIT_REFUSED;
        }
        out_free(t);
    }
    gl_response_free(&resp);
    return rc;
}

/* The mode flag for opening accounts for the books of a fiscal year. */
static uint8_t history_flag(uint32_t fy_start)
{
    return gl_chart_edition(fy_start) < 2025 ? GL_OPEN_HISTORY : 0;
}

static int load_chart(cli *c, uint32_t fy_start)
{
    gl_chart chart = gl_chart_for_start(fy_start);
    const char **a = calloc(chart.count, sizeof *a);
    const char **l = calloc(chart.count, sizeof *l);
    int rc = EXIT_USAGE;
    if (a && l) {
        for (size_t i = 0; i < chart.count; i++) {
            a[i] = chart.accounts[i].account;
            l[i] = chart.accounts[i].label;
        }
        char d[11];
        fprintf(stderr, "grandlivre: %s: the chart of the fiscal year opened %s: %s\n", c->tenant,
                gl_date_format(fy_start, d), chart.source);
        rc = open_accounts(c, a, l, chart.count,
                           (uint8_t)(GL_OPEN_SKIP_EXISTING | history_flag(fy_start)));
    }
    free(a);
    free(l);
    return rc;
}

/* Split one "account;label" line in place. Returns 0, 1 (skip), -1 (bad). */
static int split_line(char *line, char **account, char **label)
{
    line[strcspn(line, "\r\n")] = '\0';
    if (!line[0] || line[0] == '#')
        return 1;
    char *sep = strpbrk(line, ";\t");
    if (!sep)
        return -1;
    *sep = '\0';
    *account = line;
    *label = sep + 1;
    for (char *p = *account; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    gl_str s = {*account, strlen(*account)};
    return gl_account_number_valid(s, true)
               ? 0
               : -1; /* class 9: the daemon knows the tenant's setting */
}

static int accounts_import(cli *c, const char *path, uint8_t flags)
{
    size_t len;
    char *data = cli_read_file(path, &len);
    if (!data)
        return EXIT_USAGE;
    size_t cap = 1024, n = 0, lineno = 0;
    char **a = malloc(cap * sizeof *a), **l = malloc(cap * sizeof *l);
    int rc = 0;
    char *save = NULL;
    for (char *line = strtok_r(data, "\n", &save); line && a && l && rc == 0;
         line = strtok_r(NULL, "\n", &save)) {
        lineno++;
        char *acc, *lab;
        int r = split_line(line, &acc, &lab);
        if (r == 1 || (r == -1 && lineno == 1)) /* blank, comment, header */
            continue;
        if (r == -1) {
            cli_error("%s:%zu: expected 'account;label' with a valid account number", path, lineno);
            rc = EXIT_USAGE;
            break;
        }
        if (n == cap) {
            cap *= 2;
            char **na = realloc(a, cap * sizeof *a), **nl = na ? realloc(l, cap * sizeof *l) : NULL;
            if (na)
                a = na;
            if (nl)
                l = nl;
            if (!na || !nl) {
                rc = EXIT_USAGE;
                break;
            }
        }
        a[n] = acc;
        l[n] = lab;
        n++;
    }
    if (rc == 0 && (!a || !l))
        rc = EXIT_USAGE;
    if (rc == 0 && n == 0) {
        cli_error("%s: no accounts found", path);
        rc = EXIT_USAGE;
    }
    if (rc == 0)
        rc = open_accounts(c, (const char *const *)a, (const char *const *)l, n,
                           (uint8_t)(GL_OPEN_SKIP_EXISTING | flags));
    free(a);
    free(l);
    free(data);
    return rc;
}

/* Add the rows of one fiscal year's trial balance (at its last day, before
 * the result-closing entry) whose account the 2025 chart changed. */
static int check_year(cli *c, uint16_t fy, unsigned first_month, out_table *t, unsigned *found)
{
    gl_balance_q q = {.at = gl_fiscal_year_end(fy, first_month), .flags = 0};
    gl_buf body;
    gl_buf_init(&body);
    gl_balance_q_encode(&body, &q);
    gl_response resp;
    int rc = cli_call(c, GL_KIND_BALANCE, c->tenant, body.data, body.len, &resp);
    gl_buf_free(&body);
    if (rc) {
        gl_response_free(&resp);
        return rc;
    }
    gl_reply_balance r;
    int st = gl_reply_balance_decode(gl_reply_view(resp.reply.body, resp.reply.body_len), &r);
    gl_reply_balance_iter it;
    gl_reply_balance_row row;
    gl_reply_balance_iter_init(&it, &r);
    bool overflow = false;
    while (st == GL_OK && gl_reply_balance_next(&it, &row) == 1) {
        gl_str account = row.account, label = row.label;
        int64_t debit = row.debit, credit = row.credit, balance = debit;
        overflow |= !gl_money_sub(&balance, credit);
        const gl_chart_change *ch = gl_chart_change_of(account);
        if (!ch || (debit == 0 && credit == 0))
            continue;
        char y[8];
        snprintf(y, sizeof y, "%u", fy);
        out_cstr(t, y);
        out_text(t, account.ptr, account.len);
        out_text(t, label.ptr, label.len);
        out_cstr(t, ch->kind == GL_CHART_ABOLISHED ? "abolished" : "new meaning");
        out_cstr(t, ch->replacement ? ch->replacement : "");
        out_cstr(t, ch->rule);
        out_money(t, debit);
        out_money(t, credit);
        out_money(t, balance);
        (*found)++;
    }
    if (st != GL_OK || overflow) {
        cli_error("cannot read the daemon's reply (trial balance %u)", fy);
        rc = EXIT_REFUSED;
    }
    gl_response_free(&resp);
    return rc;
}

/* `accounts check`: the accounts of fiscal year fy and the year before that
 * the chart of fy (starting on fy_start) abolished or gave another meaning. */
static int accounts_check(cli *c, uint16_t fy, uint32_t fy_start)
{
    gl_chart chart = gl_chart_for_start(fy_start);
    char d[11];
    if (chart.edition < 2025) {
        printf("Fiscal year %u (opened %s) is kept in %s: nothing to check.\n", fy,
               gl_date_format(fy_start, d), chart.source);
        return 0;
    }
    unsigned fm;
    int rc = cli_first_month(c, &fm);
    if (rc)
        return rc;
    static const out_col cols[] = {
        {"fiscal_year", OUT_TEXT}, {"account", OUT_TEXT}, {"label", OUT_TEXT},
        {"change", OUT_TEXT},      {"use", OUT_TEXT},     {"rule", OUT_TEXT},
        {"debit", OUT_MONEY},      {"credit", OUT_MONEY}, {"balance", OUT_MONEY}};
    out_table *t = out_new(cols, 9);
    unsigned found = 0;
    if (!t)
        return EXIT_USAGE;
    rc = check_year(c, (uint16_t)(fy - 1), fm, t, &found);
    if (rc == 0)
        rc = check_year(c, fy, fm, t, &found);
    bool table = c->format == OUT_TABLE || c->format == OUT_TABLE_FR;
    if (rc == 0 && table)
        printf(
            "Accounts check — %s — fiscal years %u and %u against %s (fiscal year %u opened %s)\n",
            c->tenant, fy - 1, fy, chart.source, fy, gl_date_format(fy_start, d));
    if (rc == 0 && out_render(t, c->format, stdout))
        rc = EXIT_USAGE;
    if (rc == 0 && table)
        printf(PLURAL(found, "%u account to move to the %u chart\n",
                      "%u accounts to move to the %u chart\n"),
               found, chart.edition);
    out_free(t);
    return rc;
}

int cmd_accounts(int argc, char **argv)
{
    static const struct option extra[] = {{"year", required_argument, NULL, OPT_YEAR}, {0}};
    long year = 0;
    cli c;
    int rc = cli_parse(&c, &argc, &argv, extra, on_opt, &year, help);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (argc < 1) {
        fputs(help, stderr);
        return EXIT_USAGE;
    }
    const char *sub = argv[0];
    bool ok_args = (!strcmp(sub, "list") && argc == 1) || (!strcmp(sub, "open") && argc == 3) ||
                   (!strcmp(sub, "label") && argc == 3) || (!strcmp(sub, "import") && argc == 2) ||
                   (!strcmp(sub, "load-chart") && argc == 1) ||
                   (!strcmp(sub, "check") && argc == 1 && year) ||
                   (!strcmp(sub, "carry-mode") && (argc == 3 || argc == 1));
    if (!ok_args) {
        fputs(help, stderr);
        return EXIT_USAGE;
    }
    if ((rc = cli_need_tenant(&c)) || (rc = cli_connect(&c)))
        return rc;
    uint32_t fy_start = 0;
    bool need_start = year || !strcmp(sub, "load-chart") || !strcmp(sub, "list");
    if (need_start && (rc = year_start(&c, year, &fy_start))) {
        cli_close(&c);
        return rc;
    }
    uint8_t flags = year ? history_flag(fy_start) : 0;
    if (!strcmp(sub, "list")) {
        rc = accounts_list(&c, fy_start);
    } else if (!strcmp(sub, "open")) {
        char acc[GL_ACCOUNT_MAX + 2];
        snprintf(acc, sizeof acc, "%s", argv[1]);
        for (char *p = acc; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        const char *a = acc, *l = argv[2];
        if (!gl_account_number_valid((gl_str){acc, strlen(acc)}, true)) {
            cli_error("%s: %s", acc, GL_ACCOUNT_RULE);
            rc = EXIT_USAGE;
        } else {
            rc = open_accounts(&c, &a, &l, 1, (uint8_t)(GL_OPEN_STRICT | flags));
        }
    } else if (!strcmp(sub, "label")) {
        char acc[GL_ACCOUNT_MAX + 2];
        snprintf(acc, sizeof acc, "%s", argv[1]);
        for (char *p = acc; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        rc = account_label(&c, acc, argv[2]);
    } else if (!strcmp(sub, "carry-mode")) {
        rc = argc == 1 ? accounts_carry_list(&c) : accounts_carry_mode(&c, argv[1], argv[2]);
    } else if (!strcmp(sub, "import")) {
        rc = accounts_import(&c, argv[1], flags);
    } else if (!strcmp(sub, "check")) {
        rc = accounts_check(&c, (uint16_t)year, fy_start);
    } else {
        rc = load_chart(&c, fy_start);
    }
    cli_close(&c);
    return rc;
}
