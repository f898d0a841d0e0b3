/*
 * client/cli/cmd_journal.c — `grandlivre journal` (entries over a date range,
 * in number order) and `grandlivre ledger` (one account's lines over a date
 * range with running balance).  Both page through the daemon's replies; the
 * daemon's watermark keeps every page on the same state of the ledger.
 */
#include "cli.h"
#include "i18n.h"
#include "cli_replies.h"

#include "proto/date.h"
#include "proto/entry.h"
#include "proto/money.h"
#include "proto/query.h"

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char journal_help[] =
    "usage: grandlivre journal --tenant T [--from DATE] [--to DATE] [--format F]\n"
    "\n"
    "Every entry dated from DATE to DATE (inclusive; default: the whole current\n"
    "calendar year), in number order, one row per line: entry number\n"
    "(fiscal-year/number), date, journal, piece, account, auxiliary account,\n"
    "label, debit, credit.\n";

static const char ledger_help[] =
    "usage: grandlivre ledger --tenant T --account A [--from DATE] [--to DATE] [--open]\n"
    "                         [--format F]\n"
    "\n"
    "The general ledger (grand livre) of one account: its opening balance in the\n"
    "fiscal year of --from, then every line dated from --from to --to with its\n"
    "running balance (debit - credit) and its letter code (lettrage). The running\n"
    "balance restarts at each new fiscal year, which opens with its à-nouveaux.\n"
    "--open lists only the unlettered lines (open items), without opening balance.\n";

enum { OPT_FROM = 2000, OPT_TO, OPT_ACCOUNT, OPT_OPEN };

struct range_opts {
    const char *from, *to, *account;
    bool open_items;
};

static int on_opt(int opt, const char *arg, void *user)
{
    struct range_opts *o = user;
    switch (opt) {
    case OPT_FROM: o->from = arg; return 0;
    case OPT_TO: o->to = arg; return 0;
    case OPT_ACCOUNT: o->account = arg; return 0;
    case OPT_OPEN: o->open_items = true; return 0;
    default: return EXIT_USAGE;
    }
}

static const struct option range_options[] = {{"from", required_argument, NULL, OPT_FROM},
                                              {"to", required_argument, NULL, OPT_TO},
                                              {"account", required_argument, NULL, OPT_ACCOUNT},
                                              {"open", no_argument, NULL, OPT_OPEN},
                                              {0}};

static int parse_range(const struct range_opts *o, uint32_t *from, uint32_t *to)
{
    uint32_t today = cli_today();
    *from = today / 10000 * 10000 + 101;
    *to = today / 10000 * 10000 + 1231;
    int rc = 0;
    if (o->from && (rc = cli_date(o->from, "--from", from)))
        return rc;
    if (o->to && (rc = cli_date(o->to, "--to", to)))
        return rc;
    if (*from > *to) {
        cli_error("--from is after --to");
        return EXIT_USAGE;
    }
    return 0;
}

static void journal_rows(out_table *t, uint16_t fy, uint32_t num, const gl_entry *e)
{
    char name[32];
    snprintf(name, sizeof name, "%u/%u", fy, num);
    gl_line_iter it;
    gl_line l;
    gl_line_iter_init(&it, e);
    while (gl_line_next(&it, &l)) {
        gl_str label = l.label.len ? l.label : e->label;
        out_cstr(t, name);
        out_date(t, e->date);
        out_text(t, e->journal.ptr, e->journal.len);
        out_text(t, e->piece_ref.ptr, e->piece_ref.len);
        out_text(t, l.account.ptr, l.account.len);
        out_text(t, l.aux.ptr, l.aux.len);
        out_text(t, label.ptr, label.len);
        out_money(t, l.side == GL_SIDE_DEBIT ? l.amount_cents : 0);
        out_money(t, l.side == GL_SIDE_CREDIT ? l.amount_cents : 0);
    }
}

/* One row of the journal into the table (cli_journal's callback). */
static int journal_row(void *t, const gl_reply_journal_row *row)
{
    journal_rows(t, row->fy, row->num, &row->entry);
    return 0;
}

int cmd_journal(int argc, char **argv)
{
    struct range_opts o = {0};
    cli c;
    int rc = cli_parse(&c, &argc, &argv, range_options, on_opt, &o, journal_help);
    if (rc)
        return rc < 0 ? 0 : rc;
    gl_journal_q q = {.limit = GL_PAGE_MAX};
    if (argc || o.account || o.open_items) {
        fputs(journal_help, stderr);
        return EXIT_USAGE;
    }
    if ((rc = parse_range(&o, &q.from, &q.to)) || (rc = cli_need_tenant(&c)) ||
        (rc = cli_connect(&c)))
        return rc;
    static const out_col cols[] = {
        {"entry", OUT_TEXT}, {"date", OUT_DATE},    {"journal", OUT_TEXT},
        {"piece", OUT_TEXT}, {"account", OUT_TEXT}, {"aux", OUT_TEXT},
        {"label", OUT_TEXT}, {"debit", OUT_MONEY},  {"credit", OUT_MONEY}};
    out_table *t = out_new(cols, 9);
    if ((rc = cli_journal(&c, c.tenant, &q, journal_row, t)) < 0) {
        cli_error("cannot read the daemon's reply");
        rc = EXIT_REFUSED;
    }
    if (rc == 0 && (!t || out_render(t, c.format, stdout)))
        rc = EXIT_USAGE;
    out_free(t);
    cli_close(&c);
    return rc;
}

struct ledger_state {
    int64_t running;
    uint16_t fy;
    bool overflow;
};

static int ledger_page(const gl_response *resp, out_table *t, gl_ledger_q *q, bool *more,
                       struct ledger_state *s, bool first)
{
    gl_reply_ledger r;
    if (gl_reply_ledger_decode(gl_reply_view(resp->reply.body, resp->reply.body_len), &r) != GL_OK)
        return -1;
    q->watermark = r.watermark;
    *more = r.more;
    q->after_date = r.next_date;
    q->after_fy = r.next_fy;
    q->after_num = r.next_num;
    q->after_line = r.next_line;
    int64_t opening = r.opening;
    if (first) {
        s->running = opening;
        out_date(t, q->from);
        out_cstr(t, "");
        out_cstr(t, "");
        out_cstr(t, "");
        out_cstr(t, "opening balance");
        out_cstr(t, "");
        out_money(t, 0);
        out_money(t, 0);
        out_money(t, opening);
        out_cstr(t, "");
    }
    gl_reply_ledger_iter it;
    gl_reply_ledger_row row;
    gl_reply_ledger_iter_init(&it, &r);
    while (gl_reply_ledger_next(&it, &row) == 1) {
        uint32_t date = row.date, num = row.num;
        uint16_t fy = row.fy;
        gl_str journal = row.journal, piece = row.piece_ref, label = row.label, aux = row.aux;
        int64_t amount = row.amount;
        gl_str code = row.letter;
        if (s->fy && fy != s->fy)
            s->running = 0; /* a new fiscal year opens with its à-nouveaux */
        s->fy = fy;
        s->overflow |= !gl_money_add(&s->running, amount);
        char name[32];
        snprintf(name, sizeof name, "%u/%u", fy, num);
        out_date(t, date);
        out_cstr(t, name);
        out_text(t, journal.ptr, journal.len);
        out_text(t, piece.ptr, piece.len);
        out_text(t, label.ptr, label.len);
        out_text(t, aux.ptr, aux.len);
        out_money(t, amount > 0 ? amount : 0);
        out_money(t, amount < 0 ? -amount : 0);
        out_money(t, s->running);
        out_text(t, code.ptr, code.len);
    }
    return !s->overflow ? 0 : -1;
}

int cmd_ledger(int argc, char **argv)
{
    struct range_opts o = {0};
    cli c;
    int rc = cli_parse(&c, &argc, &argv, range_options, on_opt, &o, ledger_help);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (argc || !o.account || strlen(o.account) > GL_ACCOUNT_MAX) {
        fputs(ledger_help, stderr);
        return EXIT_USAGE;
    }
    char account[GL_ACCOUNT_MAX + 1];
    snprintf(account, sizeof account, "%s", o.account);
    for (char *p = account; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    gl_ledger_q q = {.account = {account, strlen(account)},
                     .limit = GL_PAGE_MAX,
                     .flags = o.open_items ? GL_LEDGER_OPEN_ITEMS : 0};
    if ((rc = parse_range(&o, &q.from, &q.to)) || (rc = cli_need_tenant(&c)) ||
        (rc = cli_connect(&c)))
        return rc;
    static const out_col cols[] = {
        {"date", OUT_DATE},     {"entry", OUT_TEXT}, {"journal", OUT_TEXT}, {"piece", OUT_TEXT},
        {"label", OUT_TEXT},    {"aux", OUT_TEXT},   {"debit", OUT_MONEY},  {"credit", OUT_MONEY},
        {"balance", OUT_MONEY}, {"letter", OUT_TEXT}};
    out_table *t = out_new(cols, 10);
    struct ledger_state s = {0};
    bool more = true, first = true;
    while (rc == 0 && more) {
        gl_buf body;
        gl_buf_init(&body);
        gl_ledger_q_encode(&body, &q);
        gl_response resp;
        rc = cli_call(&c, GL_KIND_LEDGER, c.tenant, body.data, body.len, &resp);
        if (rc == 0 && ledger_page(&resp, t, &q, &more, &s, first && !o.open_items) != 0) {
            cli_error("cannot read the daemon's reply");
            rc = EXIT_REFUSED;
        }
        first = false;
        gl_response_free(&resp);
        gl_buf_free(&body);
    }
    if (rc == 0 && (c.format == OUT_TABLE || c.format == OUT_TABLE_FR))
        printf(_("General ledger — %s — account %s\n"), c.tenant, account);
    if (rc == 0 && (!t || out_render(t, c.format, stdout)))
        rc = EXIT_USAGE;
    out_free(t);
    cli_close(&c);
    return rc;
}
