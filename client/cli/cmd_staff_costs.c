/*
 * client/cli/cmd_staff_costs.c — `grandlivre staff-costs --year Y
 * [--post]` (issue 19): each employee's gross employment costs of the
 * fiscal year (641x/645x lines carrying its code on the axis salarie,
 * ANALYTIC_BALANCE), its hourly rate by 1,720 h pro rata (Regulation (EU)
 * 2021/1060 art. 55(2)(a)) and those costs allocated to the actions by its
 * time sheets' hours (client/staff/staff_costs.h).  --post writes the
 * allocation as ANALYTIC_ALLOC events, never as entries: each 641x/645x
 * line of an employee in the year gets the axis action by the hours;
 * a line whose entry already carries action is left as it is and
 * reported.  Running it again gives the same allocations.
 */
#include "cli.h"
#include "cli_replies.h"
#include "i18n.h"

#include "client/analytic/an_client.h"
#include "client/staff/staff_post.h"
#include "client/timesheets/ts_client.h"

#include "proto/date.h"
#include "proto/query.h"
#include "proto/reply.h"
#include "proto/status.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    N_("usage: grandlivre staff-costs --year Y [--post]\n"
       "\n"
       "Each employee's gross employment costs of fiscal year Y: the 641x (salaries)\n"
       "and 645x (employer charges) lines carrying its code on the analytic axis\n"
       "salarie (not the net pay on 421). Its hourly rate: those costs divided by\n"
       "1,720 h times its working time (the mean of the bases of its time sheets of\n"
       "the year, one a month: full time for 11 months and half time in December\n"
       "give 1,648.33 h), in cents rounded half up (Regulation (EU) 2021/1060\n"
       "art. 55(2)(a)), the hours the daemon holds the year's time sheets to.\n"
       "The costs are allocated to the actions in proportion to the hours of its\n"
       "time sheets (grandlivre timesheets), to the cent: the amounts add up to the\n"
       "costs. Table with totals, or --format csv or json.\n"
       "--post: write that allocation into the books as analytic allocations (not as\n"
       "entries): each 641x/645x line of an employee in the year gets the axis action,\n"
       "its employees' shares split by their hours. A line whose entry carries action\n"
       "itself is left as it is and reported. Running it again gives the same\n"
       "allocations.\n"
       "\n"
       "Examples:\n"
       "  grandlivre staff-costs --tenant alpha --year 2026\n"
       "  grandlivre staff-costs --tenant alpha --year 2026 --post\n");

enum { OPT_YEAR = 2400, OPT_POST };

typedef struct sc_opts {
    const char *year;
    bool post;
} sc_opts;

static int on_opt(int opt, const char *arg, void *user)
{
    sc_opts *o = user;
    if (opt == OPT_YEAR)
        o->year = arg;
    else if (opt == OPT_POST)
        o->post = true;
    else
        return EXIT_USAGE;
    return 0;
}

/* A refused or failed analytic call, reported as every call is. */
static int an_report(cli *c, gl_an_call *k, int st, const char *what)
{
    if (st == GL_OK)
        return 0;
    if (gl_an_call_refused(k))
        return cli_reply(c, k->call_status, k->last_id, c->tenant, &k->resp);
    if (st == GL_ERR_NOMEM)
        return cli_nomem(what);
    cli_error("cannot read the daemon's reply (%s)", what);
    return EXIT_REFUSED;
}

static int add_sheets(const ts_batch *b, sc_year *y)
{
    for (size_t i = 0; i < b->n; i++) {
        gl_buf body;
        gl_buf_init(&body);
        ts_sheet_put(&body, &b->v[i], b->v[i].basis_per_mille);
        gl_timesheet s;
        uint32_t bad;
        int st =
            gl_buf_ok(&body) ? gl_ts_set_q_decode(body.data, body.len, &s, &bad) : GL_ERR_NOMEM;
        if (st == GL_OK)
            st = sc_add_sheet(y, &s);
        gl_buf_free(&body);
        if (st != GL_OK)
            return cli_nomem("the time sheets");
    }
    return 0;
}

static int add_costs(cli *c, gl_an_call *k, uint16_t year, sc_year *y)
{
    gl_an_balance_q q = {{GL_TS_AXIS_EMPLOYEE, strlen(GL_TS_AXIS_EMPLOYEE)}, year, 0};
    gl_an_balance bal = {0};
    int st = gl_an_balance_get(k, &q, &bal);
    if (st == GL_ERR_ANALYTIC_AXIS_UNKNOWN && !gl_an_call_refused(k))
        st = GL_ERR_INTERNAL; /* not the daemon's answer: reported below */
    if (st == GL_ERR_ANALYTIC_AXIS_UNKNOWN) {
        cli_warn(
            "%s has no analytic axis salarie: no staff cost is read (grandlivre analytic "
            "axis open salarie)",
            c->tenant);
        return 0;
    }
    int rc = an_report(c, k, st, "staff-costs");
    for (size_t i = 0; rc == 0 && i < bal.n; i++) {
        const gl_an_balance_line *r = &bal.rows[i];
        int add = sc_add_costs(y, r->code, r->account, r->debit_cents, r->credit_cents);
        if (add == GL_ERR_NOMEM)
            rc = cli_nomem("the costs");
        else if (add != GL_OK) {
            cli_error("error %d %s: %s's costs", add, gl_status_name(add), r->code);
            rc = EXIT_REFUSED;
        }
    }
    gl_an_balance_free(&bal);
    return rc;
}

static void hm(uint64_t minutes, char out[32])
{
    snprintf(out, 32, "%llu:%02u", (unsigned long long)(minutes / 60), (unsigned)(minutes % 60));
}

/* One row: the employee's columns, then an action's. */
static void row(out_table *t, const sc_employee *e, const char *action, uint64_t minutes,
                int64_t amount_cents)
{
    char basis[16], year_h[32], h[32];
    snprintf(basis, sizeof basis, "%u.%u %%", (unsigned)(e->basis_per_mille / 10),
             (unsigned)(e->basis_per_mille % 10));
    hm(e->minutes, year_h);
    hm(minutes, h);
    out_cstr(t, e->code);
    out_cstr(t, e->basis_per_mille ? basis : "");
    out_cstr(t, year_h);
    out_money(t, e->costs_cents);
    if (e->has_rate)
        out_money(t, e->rate_cents);
    else
        out_cstr(t, "");
    out_cstr(t, action);
    out_cstr(t, h);
    out_money(t, amount_cents);
}

/* The totals row (tables only): the hours, the costs and the amounts
 * allocated of every employee; false when a sum leaves the int64 range. */
static bool total_row(out_table *t, const sc_year *y)
{
    uint64_t minutes = 0;
    int64_t costs = 0, allocated = 0;
    for (size_t i = 0; i < y->n; i++) {
        minutes += y->v[i].minutes;
        if (__builtin_add_overflow(costs, y->v[i].costs_cents, &costs))
            return false;
        for (size_t j = 0; j < y->v[i].n; j++)
            if (__builtin_add_overflow(allocated, y->v[i].actions[j].amount_cents, &allocated))
                return false;
    }
    char h[32];
    hm(minutes, h);
    out_cstr(t, _("total"));
    out_cstr(t, "");
    out_cstr(t, h);
    out_money(t, costs);
    out_cstr(t, "");
    out_cstr(t, "");
    out_cstr(t, h);
    out_money(t, allocated);
    return true;
}

static out_table *costs_table(const sc_year *y, bool totals, int64_t *unallocated)
{
    static const out_col cols[] = {{"employee", OUT_REF},      {"working_time", OUT_TEXT},
                                   {"year_hours", OUT_TEXT},   {"costs", OUT_MONEY},
                                   {"hourly_rate", OUT_MONEY}, {"action", OUT_REF},
                                   {"hours", OUT_TEXT},        {"amount", OUT_MONEY}};
    out_table *t = out_new(cols, 8);
    *unallocated = 0;
    for (size_t i = 0; t && i < y->n; i++) {
        const sc_employee *e = &y->v[i];
        if (e->n == 0 || e->minutes == 0) {
            row(t, e, "", 0, 0);
            *unallocated |= e->costs_cents != 0;
        }
        for (size_t j = 0; j < e->n; j++)
            row(t, e, e->actions[j].code, e->actions[j].minutes, e->actions[j].amount_cents);
    }
    if (t && totals && y->n)
        total_row(t, y);
    return t;
}

/* --post: the shares of each employee's 641x/645x lines. */
typedef struct collect_emp {
    sp_lines *lines;
    gl_str employee;
    int st;
} collect_emp;

static int on_employee_row(void *user, const gl_an_ledger_row *r)
{
    collect_emp *c = user;
    char account[GL_ACCOUNT_MAX + 1];
    snprintf(account, sizeof account, "%.*s", (int)r->account.len, r->account.ptr);
    if (!sc_staff_account(account) || r->amount_cents == 0)
        return 0;
    c->st = sp_add(c->lines, r->fy, r->num, r->line, c->employee, r->amount_cents);
    return c->st != GL_OK;
}

static int collect_lines(cli *c, gl_an_call *k, const sc_year *y, uint16_t year, sp_lines *l)
{
    unsigned fm;
    int rc = cli_first_month(c, &fm);
    for (size_t i = 0; rc == 0 && i < y->n; i++) {
        gl_an_ledger_q q = {.axis = {GL_TS_AXIS_EMPLOYEE, strlen(GL_TS_AXIS_EMPLOYEE)},
                            .code = {y->v[i].code, strlen(y->v[i].code)},
                            .from = gl_fiscal_year_start(year, fm),
                            .to = gl_fiscal_year_end(year, fm)};
        collect_emp ce = {l, q.code, GL_OK};
        int st = gl_an_ledger_each(k, &q, on_employee_row, &ce);
        if (ce.st == GL_ERR_NOMEM)
            rc = cli_nomem("the lines");
        else
            rc = an_report(c, k, st, "staff-costs --post");
    }
    sp_sort(l);
    return rc;
}

/* The lines of the last entry read that carry the axis action in the
 * entry itself: one ENTRY_GET per entry, not per line. */
typedef struct entry_memo {
    uint16_t fy;
    uint32_t num;
    bool carries[GL_LINES_MAX + 1]; /* by 1-based line */
} entry_memo;

static int entry_read(cli *c, uint16_t fy, uint32_t num, entry_memo *m)
{
    memset(m, 0, sizeof *m);
    gl_buf body;
    gl_buf_init(&body);
    gl_entry_ref ref = {fy, num};
    gl_entry_ref_encode(&body, &ref);
    gl_response resp = {0};
    int rc = gl_buf_ok(&body)
                 ? cli_call(c, GL_KIND_ENTRY_GET, c->tenant, body.data, body.len, &resp)
                 : cli_nomem("the request");
    gl_buf_free(&body);
    gl_reply_entry_get r;
    if (rc == 0 && gl_reply_entry_get_decode(gl_reply_view(resp.reply.body, resp.reply.body_len),
                                             &r) != GL_OK) {
        cli_error("cannot read the daemon's reply (entry %u/%u)", (unsigned)fy, (unsigned)num);
        rc = EXIT_REFUSED;
    }
    gl_line_iter it;
    gl_line l;
    if (rc == 0)
        gl_line_iter_init(&it, &r.entry);
    for (size_t i = 1; rc == 0 && i <= GL_LINES_MAX && gl_line_next(&it, &l); i++) {
        gl_analytic a;
        if (!gl_line_analytic(l.ext, l.ext_len, &a))
            continue;
        for (uint8_t x = 0; x < a.naxes; x++)
            m->carries[i] = m->carries[i] || gl_str_eq(a.axes[x].axis, GL_TS_AXIS_ACTION);
    }
    if (rc == 0) {
        m->fy = fy;
        m->num = num;
    }
    gl_response_free(&resp);
    return rc;
}

/* Does line (1-based) of entry fy/num carry the axis action in the entry
 * itself?  *carries; 0 or an exit code. */
static int entry_carries_action(cli *c, entry_memo *m, uint16_t fy, uint32_t num, uint16_t line,
                                bool *carries)
{
    int rc = m->fy == fy && m->num == num ? 0 : entry_read(c, fy, num, m);
    *carries = rc == 0 && line <= GL_LINES_MAX && m->carries[line];
    return rc;
}

typedef struct post_counts {
    size_t allocated, carried, no_hours;
} post_counts;

/* The allocation rows of every line, sent by GL_AN_ALLOC_MAX. */
static int post(cli *c, gl_an_call *k, const sc_year *y, const sp_lines *l, post_counts *n)
{
    gl_an_alloc_row *rows = calloc(l->n ? l->n : 1, sizeof *rows);
    entry_memo *memo = calloc(1, sizeof *memo);
    if (!rows || !memo) {
        free(rows);
        free(memo);
        return cli_nomem("the allocations");
    }
    size_t nrows = 0, end;
    int rc = 0;
    FILE *out = cli_format_table(c) ? stdout : stderr; /* never inside a CSV or JSON */
    for (size_t pos = 0; rc == 0 && sp_next_line(l, pos, &end); pos = end) {
        const sp_share *s = &l->v[pos];
        bool carries;
        if ((rc = entry_carries_action(c, memo, s->fy, s->num, s->line, &carries)) != 0)
            break;
        if (carries) {
            fprintf(out,
                    _("entry %u/%u line %u: its entry carries the axis action: left as it is\n"),
                    (unsigned)s->fy, (unsigned)s->num, (unsigned)s->line);
            n->carried++;
            continue;
        }
        gl_an_share shares[GL_AN_SPLIT_MAX];
        size_t ns = 0;
        for (size_t i = pos; i < end && ns < GL_AN_SPLIT_MAX; i++)
            shares[ns++] =
                (gl_an_share){{l->v[i].employee, strlen(l->v[i].employee)}, l->v[i].amount_cents};
        gl_an_alloc_row *r = &rows[nrows];
        *r = (gl_an_alloc_row){s->fy, s->num, s->line, {.naxes = 1}};
        gl_str who;
        int st = sc_line_split(y, shares, ns, &r->codes.axes[0], &who);
        if (st != GL_OK) {
            fprintf(out, _("entry %u/%u line %u: not allocated: %.*s has %s\n"), (unsigned)s->fy,
                    (unsigned)s->num, (unsigned)s->line, (int)who.len, who.ptr,
                    st == GL_ERR_NOT_FOUND ? _("no hours in the year")
                                           : _("more actions than a line may carry (16)"));
            n->no_hours++;
            continue;
        }
        nrows++;
    }
    for (size_t done = 0; rc == 0 && done < nrows; done += GL_AN_ALLOC_MAX) {
        size_t m = nrows - done < GL_AN_ALLOC_MAX ? nrows - done : GL_AN_ALLOC_MAX;
        rc = an_report(c, k, gl_an_alloc_send(k, rows + done, m), "staff-costs --post");
    }
    if (rc == 0)
        n->allocated = nrows;
    free(rows);
    free(memo);
    return rc;
}

int staff_year_load(cli *c, gl_an_call *k, uint16_t year, ts_batch *b, sc_year *y)
{
    int rc = ts_fetch(c, year, "", b);
    if (rc == 0)
        rc = add_sheets(b, y);
    if (rc == 0)
        rc = add_costs(c, k, year, y);
    if (rc == 0 && sc_compute(y) != GL_OK) {
        cli_error("error %d %s: a sum of the staff costs", GL_ERR_SUM_OVERFLOW,
                  gl_status_name(GL_ERR_SUM_OVERFLOW));
        rc = EXIT_REFUSED;
    }
    return rc;
}

static int run(cli *c, uint16_t year, bool do_post)
{
    gl_an_call k;
    gl_an_call_init(&k, c->client, c->tenant, c->request_id);
    ts_batch b = {0};
    sc_year y = {0};
    int64_t unallocated = 0;
    int rc = staff_year_load(c, &k, year, &b, &y);
    if (rc == 0 && y.n == 0 && cli_format_table(c))
        printf(_("%s: no staff cost nor time sheet in fiscal year %u\n"), c->tenant,
               (unsigned)year);
    if (rc == 0)
        rc = cli_format_render(c, costs_table(&y, cli_format_table(c), &unallocated));
    if (rc == 0 && unallocated)
        cli_warn("staff costs of employees without hours are not allocated to any action");
    if (rc == 0 && do_post) {
        sp_lines l = {0};
        post_counts n = {0};
        rc = collect_lines(c, &k, &y, year, &l);
        if (rc == 0)
            rc = post(c, &k, &y, &l, &n);
        if (rc == 0)
            fprintf(cli_format_table(c) ? stdout : stderr,
                    _("%s: %zu lines allocated on the axis action; %zu left as their entry "
                      "carries it; %zu without hours\n"),
                    c->tenant, n.allocated, n.carried, n.no_hours);
        sp_lines_free(&l);
    }
    sc_year_free(&y);
    ts_batch_free(&b);
    gl_an_call_done(&k);
    return rc;
}

int cmd_staff_costs(int argc, char **argv)
{
    static const struct option extra[] = {
        {"year", required_argument, NULL, OPT_YEAR}, {"post", no_argument, NULL, OPT_POST}, {0}};
    sc_opts o = {0};
    cli c;
    int rc = cli_parse(&c, &argc, &argv, extra, on_opt, &o, _(help));
    if (rc)
        return rc < 0 ? 0 : rc;
    unsigned year;
    if (argc != 0 || !o.year) {
        fputs(_(help), stderr);
        return EXIT_USAGE;
    }
    if (sscanf(o.year, "%u", &year) != 1 || year < 1900 || year > 2999) {
        cli_error("--year %s: a year, 1900 to 2999", o.year);
        return EXIT_USAGE;
    }
    if ((rc = cli_need_tenant(&c)) || (rc = cli_connect(&c)))
        return rc;
    rc = run(&c, (uint16_t)year, o.post);
    cli_close(&c);
    return rc;
}
