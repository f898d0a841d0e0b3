/*
 * client/cli/cmd_lock.c — `grandlivre lock`: lock a tenant's periods
 * (months) for ever, after showing what will be locked.
 *
 * A lock never reopens, so the command first reads the tenant's state
 * (PERIODS: the locked-through month, the fiscal years holding entries) and
 * the entries of the months to lock (JOURNAL, paged), and shows them: each
 * month with its number of entries, the total, and the months still
 * unlocked before the one named (which --through locks with it and
 * --period refuses to).  On a terminal it then asks; without one (standard
 * input is not a terminal: a script, a pipe) it requires --yes, so that no
 * script locks by accident and no test waits on a question.  The daemon
 * stays the judge of every rule (order, already locked, not beyond the
 * current month): the summary only helps the person decide.
 */
#include "cli.h"
#include "cli_replies.h"

#include "proto/date.h"
#include "proto/entry.h"
#include "proto/query.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const char lock_help[] =
    "usage: grandlivre lock --tenant T (--through YYYY-MM | --period YYYY-MM) [--yes] [--format F]\n"
    "\n"
    "Lock the tenant's periods (months): no entry dated in a locked period is\n"
    "accepted any more, and a locked period never reopens. --through locks every\n"
    "open month up to and including YYYY-MM, in order; --period locks exactly one\n"
    "month: the one right after the last locked month or, when nothing is locked\n"
    "yet, the first month of the books (of the earliest fiscal year holding\n"
    "entries), so that no earlier month is ever locked without being named. No\n"
    "month after the current one (French time) can be locked (lock_ahead).\n"
    "\n"
    "It first shows what it will lock: the months, the entries in each, and the\n"
    "months still unlocked before YYYY-MM; then asks for confirmation on the\n"
    "terminal (y or yes; anything else locks nothing and exits 1). Without a\n"
    "terminal (a script), --yes is required and the summary goes to standard\n"
    "error. The accountant only. Each lock is a signed event in the tenant's\n"
    "chain. --format csv or json prints the result as one row: tenant,\n"
    "locked_through, previous (YYYY-MM; empty when nothing was locked).\n"
    "\n"
    "The last month of a fiscal year is not locked while that year's class 8\n"
    "(86 = 87) or class 9 accounts do not sum to zero (class_year_unbalanced):\n"
    "post the entry that brings them back to zero first.\n";

enum { OPT_THROUGH = 3100, OPT_PERIOD, OPT_YES };

struct lock_opts {
    const char *through, *period;
    bool yes;
};

static int on_opt(int opt, const char *arg, void *user)
{
    struct lock_opts *o = user;
    switch (opt) {
    case OPT_THROUGH: o->through = arg; return 0;
    case OPT_PERIOD: o->period = arg; return 0;
    case OPT_YES: o->yes = true; return 0;
    default: return EXIT_USAGE;
    }
}

static const struct option lock_options[] = {
    {"through", required_argument, NULL, OPT_THROUGH},
    {"period", required_argument, NULL, OPT_PERIOD},
    {"yes", no_argument, NULL, OPT_YES},
    {0},
};

/* "YYYY-MM" -> YYYYMM; -1 if it is not a valid month. */
static int parse_month(const char *s, uint32_t *ym)
{
    uint32_t d;
    char buf[16];
    if (strlen(s) != 7 || s[4] != '-')
        return -1;
    snprintf(buf, sizeof buf, "%s-01", s);
    if (!gl_date_parse(buf, 10, &d))
        return -1;
    *ym = d / 100;
    return 0;
}

static uint32_t month_next(uint32_t ym)
{
    return ym % 100 == 12 ? (ym / 100 + 1) * 100 + 1 : ym + 1;
}
static uint32_t month_prev(uint32_t ym)
{
    return ym % 100 == 1 ? (ym / 100 - 1) * 100 + 12 : ym - 1;
}
uint32_t cli_months_between(uint32_t a, uint32_t b)
{
    return (b / 100 - a / 100) * 12 + b % 100 - a % 100 + 1;
}

/* Where cli_count_months counts. */
typedef struct month_counts {
    uint32_t from, through;
    uint32_t *counts;
    uint64_t *entries;
} month_counts;

/* One entry of the journal counted in its month (cli_journal's callback). */
static int count_row(void *user, const gl_reply_journal_row *row)
{
    month_counts *m = user;
    uint32_t ym = row->entry.date / 100;
    if (ym >= m->from && ym <= m->through) {
        m->counts[cli_months_between(m->from, ym) - 1]++;
        (*m->entries)++;
    }
    return 0;
}

int cli_count_months(cli *c, const char *tenant, uint32_t from, uint32_t through, uint32_t *counts,
                     uint64_t *entries)
{
    gl_journal_q q = {.from = from * 100 + 1,
                      .to =
                          through * 100 + (uint32_t)gl_days_in_month(through / 100, through % 100),
                      .limit = GL_PAGE_MAX};
    month_counts m = {from, through, counts, entries};
    return cli_journal(c, tenant, &q, count_row, &m);
}

/* What a lock would do, as far as the client can see. */
typedef struct lock_plan {
    uint32_t locked;         /* locked through before, 0 if none */
    uint32_t first_unlocked; /* the first month not locked (the books' start when nothing is) */
    uint32_t from, through;  /* the months this lock would lock */
    uint32_t *counts;        /* entries per month from..through */
    uint32_t months;
    uint64_t entries;
} lock_plan;

/* PERIODS: the lock, the first month and the earliest fiscal year holding
 * entries (trailing fields are ignored: the reply may grow). */
static int read_periods(cli *c, uint32_t *locked, unsigned *first_month, uint16_t *first_fy)
{
    gl_response resp;
    gl_reply_periods p;
    int rc = cli_periods(c, c->tenant, &resp, &p);
    if (rc == 0) {
        *first_month = p.first_month;
        *locked = p.locked_through;
        *first_fy = cli_periods_first_fy(&p);
    }
    gl_response_free(&resp);
    return rc;
}

/* Count the entries of each month from..through (JOURNAL, every page of
 * one watermark). */
static int count_entries(cli *c, lock_plan *p)
{
    int rc = cli_count_months(c, c->tenant, p->from, p->through, p->counts, &p->entries);
    if (rc < 0) {
        cli_error("cannot read the daemon's reply (journal of %s)", c->tenant);
        rc = EXIT_REFUSED;
    }
    return rc;
}

static int make_plan(cli *c, uint32_t through, uint8_t mode, lock_plan *p)
{
    memset(p, 0, sizeof *p);
    unsigned first_month;
    uint16_t first_fy;
    int rc = read_periods(c, &p->locked, &first_month, &first_fy);
    if (rc)
        return rc;
    p->through = through;
    if (through <= p->locked)
        return 0; /* nothing to show: the daemon answers already_locked */
    /* nothing locked: the books start with the earliest fiscal year
     * holding entries, or the fiscal year of the month named */
    uint16_t fy = gl_fiscal_year(through * 100 + 1, first_month);
    if (first_fy && first_fy < fy)
        fy = first_fy;
    p->first_unlocked =
        p->locked ? month_next(p->locked) : gl_fiscal_year_start(fy, first_month) / 100;
    p->from = mode == GL_LOCK_THROUGH ? p->first_unlocked : through;
    p->months = cli_months_between(p->from, through);
    p->counts = calloc(p->months, sizeof *p->counts);
    if (!p->counts)
        return cli_nomem("the months to lock");
    return count_entries(c, p);
}

#define MONTHS_LISTED_MAX 24 /* beyond, only the months holding entries are listed */

/* The summary, on standard error (the terminal when asking). Returns
 * whether asking makes sense (the daemon would not refuse what it sees). */
static bool show_plan(const cli *c, const lock_plan *p, uint8_t mode)
{
    if (!p->months)
        return false;
    const char *how = mode == GL_LOCK_THROUGH ? "--through" : "--period";
    fprintf(stderr,
            "%s: lock %s %04u-%02u locks %s for ever (no entry dated in %s will be accepted):\n",
            c->tenant, how, p->through / 100, p->through % 100,
            p->months > 1 ? "these months" : "this month", p->months > 1 ? "them" : "it");
    uint32_t hidden = 0;
    for (uint32_t i = 0, ym = p->from; i < p->months; i++, ym = month_next(ym)) {
        if (p->months > MONTHS_LISTED_MAX && !p->counts[i]) {
            hidden++;
            continue;
        }
        fprintf(stderr, "  %04u-%02u  %u %s\n", ym / 100, ym % 100, p->counts[i],
                p->counts[i] == 1 ? "entry" : "entries");
    }
    if (hidden)
        fprintf(stderr, "  (%u more months without entries)\n", hidden);
    fprintf(stderr, "%s: %u %s, %llu %s\n", c->tenant, p->months,
            p->months == 1 ? "month" : "months", (unsigned long long)p->entries,
            p->entries == 1 ? "entry" : "entries");
    if (!p->locked && mode == GL_LOCK_THROUGH)
        fprintf(
            stderr,
            "%s: nothing is locked yet: every earlier month is locked too (none holds entries)\n",
            c->tenant);
    bool unlocked_before = p->first_unlocked < p->through;
    if (unlocked_before) {
        uint32_t last = month_prev(p->through), n = cli_months_between(p->first_unlocked, last);
        fprintf(stderr, "%s: still unlocked before %04u-%02u: %04u-%02u to %04u-%02u (%u %s, %s)\n",
                c->tenant, p->through / 100, p->through % 100, p->first_unlocked / 100,
                p->first_unlocked % 100, last / 100, last % 100, n, n == 1 ? "month" : "months",
                mode == GL_LOCK_THROUGH ? "locked with it"
                                        : "--period will not lock over them: use --through");
    }
    return mode == GL_LOCK_THROUGH || !unlocked_before;
}

/* Ask on the terminal (standard input and error). */
static bool confirm(const cli *c, const lock_plan *p)
{
    fprintf(stderr, "Lock %s of %s for ever? [y/N] ",
            p->months == 1 ? "this month" : "these months", c->tenant);
    fflush(stderr);
    char line[32];
    if (!fgets(line, sizeof line, stdin))
        return false;
    line[strcspn(line, "\r\n")] = '\0';
    return !strcasecmp(line, "y") || !strcasecmp(line, "yes") || !strcasecmp(line, "o") ||
           !strcasecmp(line, "oui");
}

/* --format csv or json: one row, tenant, through and previous as YYYY-MM
 * (previous empty when nothing was locked before). */
static int print_lock(const cli *c, const gl_reply_lock *r)
{
    static const out_col cols[] = {
        {"tenant", OUT_TEXT}, {"locked_through", OUT_TEXT}, {"previous", OUT_TEXT}};
    char now[16], before[16] = "";
    snprintf(now, sizeof now, "%04u-%02u", r->through / 100, r->through % 100);
    if (r->previous)
        snprintf(before, sizeof before, "%04u-%02u", r->previous / 100, r->previous % 100);
    out_table *t = out_new(cols, 3);
    if (t) {
        out_cstr(t, c->tenant);
        out_cstr(t, now);
        out_cstr(t, before);
    }
    return cli_format_render(c, t);
}

int cmd_lock(int argc, char **argv)
{
    struct lock_opts o = {0};
    cli c;
    int rc = cli_parse(&c, &argc, &argv, lock_options, on_opt, &o, lock_help);
    if (rc)
        return rc < 0 ? 0 : rc;
    gl_lock_q q = {0};
    if (argc || (!o.through) == (!o.period) ||
        parse_month(o.through ? o.through : o.period, &q.through_ym)) {
        fputs(lock_help, stderr);
        return EXIT_USAGE;
    }
    q.mode = o.period ? GL_LOCK_NEXT_ONLY : GL_LOCK_THROUGH;
    if (!o.yes && !isatty(STDIN_FILENO)) {
        cli_error("a lock is for ever: without a terminal to confirm on, give --yes");
        return EXIT_USAGE;
    }
    if ((rc = cli_need_tenant(&c)) || (rc = cli_connect(&c)))
        return rc;
    lock_plan p;
    rc = make_plan(&c, q.through_ym, q.mode, &p);
    bool ask = rc == 0 && show_plan(&c, &p, q.mode) && !o.yes;
    if (ask && !confirm(&c, &p)) {
        fprintf(stderr, "grandlivre: nothing locked\n");
        rc = EXIT_REFUSED;
    }
    free(p.counts);
    gl_response resp = {0};
    gl_buf body;
    gl_buf_init(&body);
    if (rc == 0) {
        gl_lock_q_encode(&body, &q);
        rc = cli_call(&c, GL_KIND_LOCK, c.tenant, body.data, body.len, &resp);
    }
    gl_reply_lock r;
    if (rc == 0 &&
        gl_reply_lock_decode(gl_reply_view(resp.reply.body, resp.reply.body_len), &r) != GL_OK) {
        cli_error("cannot read the daemon's reply (lock of %s)", c.tenant);
        rc = EXIT_REFUSED;
    }
    if (rc == 0 && !cli_format_table(&c)) {
        rc = print_lock(&c, &r);
    } else if (rc == 0) {
        uint32_t before = r.previous, now = r.through;
        if (before)
            printf("%s: locked through %04u-%02u (was %04u-%02u)\n", c.tenant, now / 100, now % 100,
                   before / 100, before % 100);
        else
            printf("%s: locked through %04u-%02u\n", c.tenant, now / 100, now % 100);
    }
    gl_response_free(&resp);
    gl_buf_free(&body);
    cli_close(&c);
    return rc;
}
