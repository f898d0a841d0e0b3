/*
 * client/cli/cmd_timesheets.c — `grandlivre timesheets import|set|show`
 * (issue 19; PROTOCOL.md §5.53, §5.54): each employee's hours per action
 * and month, the basis of `staff-costs`.  A sheet replaces that
 * employee's month whole.  import checks the whole file first, then sends
 * its sheets one by one; if the daemon refuses one, the sheets already
 * sent are put back as they were, so that the file is recorded all or
 * nothing (the chain keeps both moves).
 */
#include "cli.h"
#include "i18n.h"

#include "client/timesheets/ts_client.h"

#include "proto/status.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] = N_(
    "usage: grandlivre timesheets import FILE.csv [--basis PCT]\n"
    "       grandlivre timesheets set EMPLOYEE MONTH ACTION=HOURS [ACTION=HOURS...] [--basis PCT]\n"
    "       grandlivre timesheets show [--year Y] [--employee E]\n"
    "\n"
    "Time sheets: the hours each employee (a code of the analytic axis salarie)\n"
    "worked on each action (codes of the axis action) in a month. A month's sheet\n"
    "replaces that employee's month whole. staff-costs allocates each employee's\n"
    "costs to the actions by these hours.\n"
    "HOURS: a number with a decimal comma or point, to the minute (7,5 or 7.25),\n"
    "or H:MM (7:30). MONTH: YYYY-MM.\n"
    "--basis PCT: the employee's working time in percent of full time (80). The\n"
    "hourly rate is the year's costs divided by 1,720 h times the mean of the\n"
    "working times of the year's sheets (Regulation (EU) 2021/1060 art.\n"
    "55(2)(a)); the daemon refuses a year's hours beyond those 1,720 h pro rata\n"
    "(art. 55(3)), and a month beyond 1.5 twelfths of 1,720 h times its own.\n"
    "Without --basis: the month's own sheet's, else the employee's nearest\n"
    "month's, else 100.\n"
    "import: lines employee;month;action;hours, and an optional fifth column, the\n"
    "working time in percent; ';' between fields; a header line is allowed; lines of the\n"
    "same employee, month and action add up. The whole file or nothing: a fault\n"
    "names its line (FILE:LINE).\n"
    "show: the sheets of fiscal year Y (default: this year), --format csv or json\n"
    "for a program (minutes in json).\n"
    "\n"
    "Examples:\n"
    "  grandlivre timesheets set --tenant alpha EMP001 2026-03 FSE-2026=120 VILLE=31,5\n"
    "  grandlivre timesheets import --tenant alpha heures-2026-03.csv\n"
    "  grandlivre timesheets show --tenant alpha --year 2026 --employee EMP001\n");

enum { OPT_BASIS = 2300, OPT_YEAR, OPT_EMPLOYEE };

typedef struct ts_opts {
    const char *basis, *year, *employee;
} ts_opts;

static int on_opt(int opt, const char *arg, void *user)
{
    ts_opts *o = user;
    if (opt == OPT_BASIS)
        o->basis = arg;
    else if (opt == OPT_YEAR)
        o->year = arg;
    else if (opt == OPT_EMPLOYEE)
        o->employee = arg;
    else
        return EXIT_USAGE;
    return 0;
}

/* "H:MM" of minutes. */
static void hm(uint64_t minutes, char out[32])
{
    snprintf(out, 32, "%llu:%02u", (unsigned long long)(minutes / 60), (unsigned)(minutes % 60));
}

/* The years whose sheets can hold the batch's months: a month of calendar
 * year Y is in fiscal year Y or Y + 1 (named by the year it ends in). */
static int fetch_around(cli *c, const ts_batch *b, ts_batch *stored)
{
    uint16_t years[64];
    size_t n = 0;
    for (size_t i = 0; i < b->n; i++)
        for (uint16_t y = (uint16_t)(b->v[i].month / 100), k = 0; k < 2; k++, y++) {
            size_t j = 0;
            while (j < n && years[j] != y)
                j++;
            if (j == n && n < sizeof years / sizeof years[0])
                years[n++] = y;
        }
    int rc = 0;
    for (size_t j = 0; rc == 0 && j < n; j++)
        rc = ts_fetch(c, years[j], "", stored);
    return rc;
}

static uint16_t basis_of(const ts_sheet *s, uint16_t given, const ts_batch *stored)
{
    if (s->basis_per_mille)
        return s->basis_per_mille;
    if (given)
        return given;
    const ts_sheet *old = ts_find(stored, s->employee, s->month);
    uint16_t near = ts_basis_near(stored, s->employee, s->month);
    return old ? old->basis_per_mille : near ? near : GL_TS_BASIS_FULL;
}

/* Put back sheets [0, sent) as stored holds them (or cleared). */
static void put_back(cli *c, const ts_batch *b, size_t sent, const ts_batch *stored)
{
    size_t failed = 0;
    for (size_t i = sent; i-- > 0;) {
        const ts_sheet *old = ts_find(stored, b->v[i].employee, b->v[i].month);
        ts_sheet clear = b->v[i];
        clear.n = 0;
        failed += ts_send(c, old ? old : &clear,
                          old ? old->basis_per_mille : b->v[i].basis_per_mille) != 0;
    }
    if (failed)
        cli_error("%zu sheets already sent could not be put back: check with timesheets show",
                  failed);
    else if (sent)
        fprintf(stderr, _("grandlivre: the %zu sheets already sent were put back as they were\n"),
                sent);
}

/* Send every sheet of b; on a refusal, put the ones sent back. */
static int send_all(cli *c, const char *file, ts_batch *b, uint16_t given)
{
    ts_batch stored = {0};
    int rc = fetch_around(c, b, &stored);
    for (size_t i = 0; rc == 0 && i < b->n; i++)
        b->v[i].basis_per_mille = basis_of(&b->v[i], given, &stored);
    size_t sent = 0;
    for (; rc == 0 && sent < b->n; sent++) {
        const ts_sheet *s = &b->v[sent];
        rc = ts_send(c, s, s->basis_per_mille);
        if (rc && file)
            cli_error("%s:%u: %s %04u-%02u: the daemon refused this sheet; nothing was recorded",
                      file, (unsigned)s->line, s->employee, (unsigned)(s->month / 100),
                      (unsigned)(s->month % 100));
        if (rc)
            put_back(c, b, sent, &stored);
    }
    ts_batch_free(&stored);
    return rc;
}

static int parse_basis(const char *arg, uint16_t *basis)
{
    *basis = 0;
    if (arg && !ts_basis_parse(arg, strlen(arg), basis)) {
        cli_error("--basis %s: the working time in %% of full time, 0,1 to 100", arg);
        return EXIT_USAGE;
    }
    return 0;
}

static int cmd_import(cli *c, const char *file, const ts_opts *o)
{
    uint16_t given;
    int rc = parse_basis(o->basis, &given);
    size_t len;
    char *text = rc ? NULL : cli_read_file(file, &len);
    if (rc || !text)
        return rc ? rc : EXIT_USAGE;
    ts_batch b = {0};
    char err[256];
    int st = ts_csv_parse(text, len, &b, err, sizeof err);
    free(text);
    if (st == GL_ERR_NOMEM)
        rc = cli_nomem("the time sheets");
    else if (st != GL_OK) {
        cli_error("%s: error %d %s: %s", file, st, gl_status_name(st), err);
        rc = EXIT_USAGE;
    }
    if (rc == 0 && (rc = cli_connect(c)) == 0 && (rc = send_all(c, file, &b, given)) == 0)
        printf(_("%s: %zu time sheets recorded from %s\n"), c->tenant, b.n, file);
    ts_batch_free(&b);
    return rc;
}

static int cmd_set(cli *c, int argc, char **argv, const ts_opts *o)
{
    uint16_t given;
    uint32_t month;
    int rc = parse_basis(o->basis, &given);
    if (rc)
        return rc;
    if (!ts_month_parse(argv[2], strlen(argv[2]), &month)) {
        cli_error("%s: the month is YYYY-MM", argv[2]);
        return EXIT_USAGE;
    }
    char emp[GL_AN_CODE_MAX + 2];
    snprintf(emp, sizeof emp, "%s", argv[1]);
    for (char *p = emp; *p; p++)
        *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
    ts_batch b = {0};
    char err[256];
    for (int i = 3; rc == 0 && i < argc; i++) {
        char *eq = strchr(argv[i], '='), action[GL_AN_CODE_MAX + 2];
        uint32_t minutes;
        if (!eq || !ts_hours_parse(eq + 1, strlen(eq + 1), &minutes)) {
            cli_error("%s: error %d %s: %s", argv[i], GL_ERR_HOURS_TEXT,
                      gl_status_name(GL_ERR_HOURS_TEXT), _(gl_status_message(GL_ERR_HOURS_TEXT)));
            rc = EXIT_USAGE;
            break;
        }
        snprintf(action, sizeof action, "%.*s", (int)(eq - argv[i]), argv[i]);
        for (char *p = action; *p; p++)
            *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
        int st = ts_batch_add(&b, emp, month, action, minutes, 0, 0, err, sizeof err);
        if (st != GL_OK) {
            cli_error("%s", st == GL_ERR_NOMEM ? "out of memory" : err);
            rc = st == GL_ERR_NOMEM ? EXIT_NOMEM : EXIT_USAGE;
        }
    }
    if (rc == 0 && (rc = cli_connect(c)) == 0 && (rc = send_all(c, NULL, &b, given)) == 0) {
        char total[32];
        uint64_t m = 0;
        for (size_t i = 0; i < b.v[0].n; i++)
            m += b.v[0].items[i].minutes;
        hm(m, total);
        printf(_("%s: time sheet of %s for %04u-%02u recorded: %s h, working time %u.%u %%\n"),
               c->tenant, emp, (unsigned)(month / 100), (unsigned)(month % 100), total,
               (unsigned)(b.v[0].basis_per_mille / 10), (unsigned)(b.v[0].basis_per_mille % 10));
    }
    ts_batch_free(&b);
    return rc;
}

static out_table *sheets_table(const ts_batch *b)
{
    static const out_col cols[] = {{"employee", OUT_REF},      {"month", OUT_REF},
                                   {"working_time", OUT_TEXT}, {"action", OUT_REF},
                                   {"hours", OUT_TEXT},        {"minutes", OUT_INT}};
    out_table *t = out_new(cols, 6);
    if (t)
        out_hide_in_table(t, 5);
    for (size_t i = 0; t && i < b->n; i++)
        for (size_t j = 0; j < b->v[i].n; j++) {
            const ts_sheet *s = &b->v[i];
            char month[16], basis[16], hours[32];
            snprintf(month, sizeof month, "%04u-%02u", (unsigned)(s->month / 100),
                     (unsigned)(s->month % 100));
            snprintf(basis, sizeof basis, "%u.%u %%", (unsigned)(s->basis_per_mille / 10),
                     (unsigned)(s->basis_per_mille % 10));
            hm(s->items[j].minutes, hours);
            out_cstr(t, s->employee);
            out_cstr(t, month);
            out_cstr(t, basis);
            out_cstr(t, s->items[j].action);
            out_cstr(t, hours);
            out_int(t, s->items[j].minutes);
        }
    return t;
}

static int cmd_show(cli *c, const ts_opts *o)
{
    unsigned year = cli_today() / 10000;
    if (o->year && (sscanf(o->year, "%u", &year) != 1 || year < 1900 || year > 2999)) {
        cli_error("--year %s: a year, 1900 to 2999", o->year);
        return EXIT_USAGE;
    }
    char emp[GL_AN_CODE_MAX + 2] = "";
    snprintf(emp, sizeof emp, "%s", o->employee ? o->employee : "");
    for (char *p = emp; *p; p++)
        *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
    ts_batch b = {0};
    int rc = cli_connect(c);
    if (rc == 0)
        rc = ts_fetch(c, (uint16_t)year, emp, &b);
    if (rc == 0 && b.n == 0 && cli_format_table(c))
        printf(_("%s: no time sheet in fiscal year %u\n"), c->tenant, year);
    if (rc == 0)
        rc = cli_format_render(c, sheets_table(&b));
    ts_batch_free(&b);
    return rc;
}

int cmd_timesheets(int argc, char **argv)
{
    static const struct option extra[] = {{"basis", required_argument, NULL, OPT_BASIS},
                                          {"year", required_argument, NULL, OPT_YEAR},
                                          {"employee", required_argument, NULL, OPT_EMPLOYEE},
                                          {0}};
    ts_opts o = {0};
    cli c;
    int rc = cli_parse(&c, &argc, &argv, extra, on_opt, &o, _(help));
    if (rc)
        return rc < 0 ? 0 : rc;
    const char *sub = argc >= 1 ? argv[0] : "";
    bool ok = (!strcmp(sub, "import") && argc == 2) || (!strcmp(sub, "set") && argc >= 4) ||
              (!strcmp(sub, "show") && argc == 1);
    if (!ok) {
        fputs(_(help), stderr);
        return EXIT_USAGE;
    }
    char what[32];
    snprintf(what, sizeof what, "timesheets %s", sub);
    if ((strcmp(sub, "show") && (rc = cli_format_refuse(&c, what))) || (rc = cli_need_tenant(&c)))
        return rc;
    if (!strcmp(sub, "import"))
        rc = cmd_import(&c, argv[1], &o);
    else if (!strcmp(sub, "set"))
        rc = cmd_set(&c, argc, argv, &o);
    else
        rc = cmd_show(&c, &o);
    cli_close(&c);
    return rc;
}
