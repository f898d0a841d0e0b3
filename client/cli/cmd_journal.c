/*
 * client/cli/cmd_journal.c — `grandlivre journal` (entries over a date range,
 * in number order) and `grandlivre ledger` (one account's lines over a date
 * range with running balance).  Both page through the daemon's replies; the
 * daemon's watermark keeps every page on the same state of the ledger.
 */
#include "cli.h"
#include "i18n.h"
#include "cli_replies.h"
#include "date_range.h"
#include "letter_match.h"

#include "proto/date.h"
#include "proto/entry.h"
#include "proto/money.h"
#include "proto/query.h"
#include "proto/status.h"

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char journal_help[] =
    "usage: grandlivre journal --tenant T [DATES] [FILTERS] [--format F]\n"
    "\n"
    "Every entry dated from --from to --to (inclusive; default: the whole current\n"
    "calendar year), in number order, one row per line: entry number\n"
    "(fiscal-year/number), date, journal, piece, account, auxiliary account,\n"
    "label, debit, credit, and the line reference (fiscal-year/number:line, as\n"
    "letter and reverse take it).\n"
    "\n"
    "DATES: --from DATE, --to DATE, -b DATE, -e DATE. A DATE may be a year\n"
    "(2025), a month (2025-03) or a day (2025-03-15):\n"
    "--from starts at its first day, --to ends at its last (--to 2025-03 runs\n"
    "through 31 March); -b is --from, -e ends before it (-e 2025-04 also runs\n"
    "through 31 March), as in hledger.\n"
    "\n"
    "FILTERS, run by the daemon (an entry is shown whole, all its lines, when\n"
    "it matches every filter given):\n"
    "  --account PREFIX   one line's account starts with PREFIX (6 = class 6)\n"
    "  --aux CODE         one line's auxiliary account is CODE\n"
    "  --text TEXT        TEXT in the entry label, a line label or the piece,\n"
    "                     ignoring case and accents (--search is the same)\n"
    "  --amount AMOUNT    one line's amount, debit or credit (120,50 or 120.50)\n"
    "  --journal CODE     the entry's journal code\n"
    "The line filters (--account, --aux, --amount) must all hold on one line.\n";

static const char ledger_help[] =
    "usage: grandlivre ledger --tenant T --account A [--from DATE] [--to DATE] [-b DATE]\n"
    "                         [-e DATE] [--open [--at DATE]] [--aux CODE] [--text TEXT]\n"
    "                         [--amount AMOUNT] [--journal CODE] [--format F]\n"
    "\n"
    "The general ledger (grand livre) of one account: its opening balance in the\n"
    "fiscal year of --from, then every line dated from --from to --to with its\n"
    "running balance (debit - credit), its letter code (lettrage) and its line\n"
    "reference (fiscal-year/number:line, as letter and reverse take it). The\n"
    "running balance restarts at each new fiscal year, which opens with its\n"
    "à-nouveaux. Dates may be partial, and -b/-e are as in hledger (see\n"
    "grandlivre journal --help).\n"
    "--open lists only the unlettered lines (open items), without opening balance,\n"
    "with what remains open of each (remaining): per third party, the lines\n"
    "against its balance (payments) are applied to its oldest items first, so\n"
    "that a partly paid invoice shows what it still owes.\n"
    "--open --at DATE lists the items open at DATE: every line of the account\n"
    "dated up to DATE (from --from, default: the first entry, across fiscal\n"
    "years) that was not lettered on or before DATE (a line lettered later was\n"
    "still open then), each once: the à-nouveaux entries are left out, since\n"
    "their lines carry forward items that are listed by their own lines.\n"
    "\n"
    "Filters, run by the daemon, each line matching every one given:\n"
    "  --aux CODE         the auxiliary account (third party) CODE; alone, the\n"
    "                     opening balance is that third party's\n"
    "  --text TEXT        TEXT in the entry label, the line label or the piece,\n"
    "                     ignoring case and accents (--search is the same)\n"
    "  --amount AMOUNT    the line's amount, debit or credit (120,50 or 120.50)\n"
    "  --journal CODE     the entry's journal code\n"
    "With --text, --amount or --journal there is no opening balance: the\n"
    "running balance adds the lines shown.\n";

enum {
    OPT_FROM = 2000,
    OPT_TO,
    OPT_ACCOUNT,
    OPT_OPEN,
    OPT_BEGIN,
    OPT_END,
    OPT_AUX,
    OPT_TEXT,
    OPT_AMOUNT,
    OPT_JOURNAL,
    OPT_AT,
    OPT_PAGE_ROWS
};

struct range_opts {
    date_bounds dates;
    const char *account, *aux, *text, *amount, *journal, *at, *page_rows;
    bool open_items;
};

static int on_opt(int opt, const char *arg, void *user)
{
    struct range_opts *o = user;
    switch (opt) {
    case OPT_FROM: o->dates.from = arg; return 0;
    case OPT_TO: o->dates.to = arg; return 0;
    case OPT_BEGIN: o->dates.begin = arg; return 0;
    case OPT_END: o->dates.end = arg; return 0;
    case OPT_ACCOUNT: o->account = arg; return 0;
    case OPT_OPEN: o->open_items = true; return 0;
    case OPT_AUX: o->aux = arg; return 0;
    case OPT_TEXT: o->text = arg; return 0;
    case OPT_AMOUNT: o->amount = arg; return 0;
    case OPT_JOURNAL: o->journal = arg; return 0;
    case OPT_AT: o->at = arg; return 0;
    case OPT_PAGE_ROWS: o->page_rows = arg; return 0;
    default: return EXIT_USAGE;
    }
}

/* --page-rows (1-1000, default 1000) is the rows the daemon sends per page:
 * left out of --help (for tests and slow links); the output is the same. */
static const struct option range_options[] = {{"from", required_argument, NULL, OPT_FROM},
                                              {"to", required_argument, NULL, OPT_TO},
                                              {"begin", required_argument, NULL, OPT_BEGIN},
                                              {"end", required_argument, NULL, OPT_END},
                                              {"account", required_argument, NULL, OPT_ACCOUNT},
                                              {"open", no_argument, NULL, OPT_OPEN},
                                              {"aux", required_argument, NULL, OPT_AUX},
                                              {"text", required_argument, NULL, OPT_TEXT},
                                              {"search", required_argument, NULL, OPT_TEXT},
                                              {"amount", required_argument, NULL, OPT_AMOUNT},
                                              {"journal", required_argument, NULL, OPT_JOURNAL},
                                              {"at", required_argument, NULL, OPT_AT},
                                              {"page-rows", required_argument, NULL, OPT_PAGE_ROWS},
                                              {0}};

/* hledger's -b DATE and -e DATE: getopt_long is given long names only. */
static void short_date_options(int argc, char **argv)
{
    static char begin[] = "--begin", end[] = "--end";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--"))
            return;
        if (!strcmp(argv[i], "-b"))
            argv[i] = begin;
        else if (!strcmp(argv[i], "-e"))
            argv[i] = end;
    }
}

/* A refusal of the command line with its client-local status. */
static int refuse(int status, const char *what)
{
    cli_error("error %d %s: %s", status, gl_status_name(status), what);
    return EXIT_USAGE;
}

static int parse_range(const struct range_opts *o, uint32_t default_from, uint32_t *from,
                       uint32_t *to)
{
    uint32_t today = cli_today();
    char err[200];
    int st = date_range(&o->dates, default_from ? default_from : today / 10000 * 10000 + 101,
                        today / 10000 * 10000 + 1231, from, to, err, sizeof err);
    return st ? refuse(st, err) : 0;
}

/* The filter the options give (fields 0 if none); pointers into argv and
 * into the caller's buffers. */
struct filter_text {
    char account[GL_ACCOUNT_MAX + 1], journal[GL_JOURNAL_MAX + 1];
};

static void upper_copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src);
    for (char *p = dst; *p; p++)
        *p = (char)toupper((unsigned char)*p);
}

static int parse_filter(const struct range_opts *o, gl_filter *f, struct filter_text *ft)
{
    *f = (gl_filter){0};
    if (o->account) {
        upper_copy(ft->account, sizeof ft->account, o->account);
        f->account = (gl_str){ft->account, strlen(ft->account)};
        if (strlen(o->account) > GL_ACCOUNT_MAX || !gl_account_valid(f->account)) {
            cli_error("--account %s: an account or its first digits (0-9 A-Z, from a class 1-9)",
                      o->account);
            return EXIT_USAGE;
        }
        f->fields |= GL_FILTER_ACCOUNT;
    }
    if (o->aux) {
        if (!o->aux[0] || strlen(o->aux) > GL_AUX_MAX) {
            cli_error("--aux %s: an auxiliary account of 1 to %d characters", o->aux, GL_AUX_MAX);
            return EXIT_USAGE;
        }
        f->aux = (gl_str){o->aux, strlen(o->aux)};
        f->fields |= GL_FILTER_AUX;
    }
    if (o->text) {
        if (!o->text[0] || strlen(o->text) > GL_LABEL_MAX) {
            cli_error("--text: 1 to %d bytes of text", GL_LABEL_MAX);
            return EXIT_USAGE;
        }
        f->text = (gl_str){o->text, strlen(o->text)};
        f->fields |= GL_FILTER_TEXT;
    }
    if (o->journal) {
        upper_copy(ft->journal, sizeof ft->journal, o->journal);
        f->journal = (gl_str){ft->journal, strlen(ft->journal)};
        if (strlen(o->journal) > GL_JOURNAL_MAX || !gl_journal_valid(f->journal)) {
            cli_error("--journal %s: a journal code (1 to %d of A-Z 0-9, see post --help)",
                      o->journal, GL_JOURNAL_MAX);
            return EXIT_USAGE;
        }
        f->fields |= GL_FILTER_JOURNAL;
    }
    if (o->amount) {
        if (!gl_money_parse(o->amount, strlen(o->amount), &f->amount) || f->amount <= 0 ||
            f->amount > GL_FILTER_AMOUNT_MAX) {
            cli_error("--amount %s: a positive amount, at most two decimals after ',' or '.'",
                      o->amount);
            return EXIT_USAGE;
        }
        f->fields |= GL_FILTER_AMOUNT;
    }
    return 0;
}

static int parse_page_rows(const struct range_opts *o, uint16_t *limit)
{
    *limit = GL_PAGE_MAX;
    if (!o->page_rows)
        return 0;
    char *end;
    long n = strtol(o->page_rows, &end, 10);
    if (*end || n < 1 || n > GL_PAGE_MAX) {
        cli_error("--page-rows %s: 1 to %d", o->page_rows, GL_PAGE_MAX);
        return EXIT_USAGE;
    }
    *limit = (uint16_t)n;
    return 0;
}

/* "2025/123:2": the line reference letter and reverse take. */
static void line_ref(char out[32], uint16_t fy, uint32_t num, uint16_t line)
{
    snprintf(out, 32, "%u/%u:%u", fy, num, line);
}

static void journal_rows(out_table *t, uint16_t fy, uint32_t num, const gl_entry *e)
{
    char name[32];
    snprintf(name, sizeof name, "%u/%u", fy, num);
    gl_line_iter it;
    gl_line l;
    gl_line_iter_init(&it, e);
    for (uint16_t n = 1; gl_line_next(&it, &l); n++) {
        char ref[32];
        line_ref(ref, fy, num, n);
        out_cstr(t, name);
        cli_line_cells(t, e, &l);
        out_cstr(t, ref);
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
    short_date_options(argc, argv);
    int rc = cli_parse(&c, &argc, &argv, range_options, on_opt, &o, journal_help);
    if (rc)
        return rc < 0 ? 0 : rc;
    gl_journal_q q = {.limit = GL_PAGE_MAX};
    if (argc || o.open_items || o.at) {
        fputs(journal_help, stderr);
        return EXIT_USAGE;
    }
    struct filter_text ft;
    if ((rc = parse_range(&o, 0, &q.from, &q.to)) || (rc = parse_filter(&o, &q.filter, &ft)) ||
        (rc = parse_page_rows(&o, &q.limit)) || (rc = cli_need_tenant(&c)) ||
        (rc = cli_connect(&c)))
        return rc;
    if (q.filter.fields)
        q.flags |= GL_JOURNAL_FILTER;
    static const out_col cols[] = {
        {"entry", OUT_REF},    {"date", OUT_DATE}, {"journal", OUT_TEXT}, {"piece", OUT_TEXT},
        {"account", OUT_TEXT}, {"aux", OUT_TEXT},  {"label", OUT_TEXT},   {"debit", OUT_MONEY},
        {"credit", OUT_MONEY}, {"ref", OUT_REF}};
    out_table *t = out_new(cols, 10);
    out_hide_in_table(t, 0); /* the reference 2025/12:2 shows the entry */
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
    const int64_t *remaining; /* --open: each row's remaining amount (letter_match.h) */
    size_t row;
};

void cli_ledger_opening_row(out_table *t, uint32_t from, int64_t opening)
{
    out_date(t, from);
    out_cstr(t, "");
    out_cstr(t, "");
    out_cstr(t, "");
    out_cstr(t, "opening balance");
    out_cstr(t, "");
    out_money(t, 0);
    out_money(t, 0);
    out_money(t, opening);
    out_cstr(t, "");
    out_cstr(t, "");
}

void cli_ledger_cursor(const gl_reply_ledger *r, gl_ledger_q *q, bool *more)
{
    q->watermark = r->watermark;
    *more = r->more;
    q->after_date = r->next_date;
    q->after_fy = r->next_fy;
    q->after_num = r->next_num;
    q->after_line = r->next_line;
}

static int ledger_page(const gl_response *resp, out_table *t, gl_ledger_q *q, bool *more,
                       struct ledger_state *s, bool first)
{
    gl_reply_ledger r;
    if (gl_reply_ledger_decode(gl_reply_view(resp->reply.body, resp->reply.body_len), &r) != GL_OK)
        return -1;
    cli_ledger_cursor(&r, q, more);
    int64_t opening = r.opening;
    if (first) {
        s->running = opening;
        cli_ledger_opening_row(t, q->from, opening);
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
        char name[32], ref[32];
        snprintf(name, sizeof name, "%u/%u", fy, num);
        line_ref(ref, fy, num, row.line);
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
        out_cstr(t, ref);
        if (s->remaining)
            out_money(t, s->remaining[s->row++]);
    }
    return !s->overflow ? 0 : -1;
}

/* --open: the pages are kept until the last one, so that each row can show
 * what remains open of it (a partly paid invoice), which depends on its
 * third party's other rows (lm_remaining: payments applied oldest first). */
struct open_pages {
    gl_response *v;
    size_t n, cap, rows;
};

/* Keep resp (taken) and move the cursor past it. 0 or -1. */
static int keep_page(struct open_pages *p, gl_response *resp, gl_ledger_q *q, bool *more)
{
    gl_reply_ledger r;
    if (gl_reply_ledger_decode(gl_reply_view(resp->reply.body, resp->reply.body_len), &r) != GL_OK)
        return -1;
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 8;
        gl_response *v = realloc(p->v, cap * sizeof *v);
        if (!v)
            return -1;
        p->v = v;
        p->cap = cap;
    }
    p->v[p->n++] = *resp;
    p->rows += r.count;
    cli_ledger_cursor(&r, q, more);
    return 0;
}

/* Every kept row with its remaining amount; the pages freed. 0 or -1. */
static int render_open(struct open_pages *p, out_table *t, gl_ledger_q *q, const char *account)
{
    lm_line *lines = calloc(p->rows + 1, sizeof *lines);
    int64_t *rem = calloc(p->rows + 1, sizeof *rem);
    size_t n = 0;
    for (size_t i = 0; lines && rem && i < p->n; i++) {
        gl_reply_ledger r;
        gl_reply_ledger_iter it;
        gl_reply_ledger_row row;
        gl_reply_ledger_decode(gl_reply_view(p->v[i].reply.body, p->v[i].reply.body_len), &r);
        gl_reply_ledger_iter_init(&it, &r);
        while (n < p->rows && gl_reply_ledger_next(&it, &row) == 1) {
            lm_line *l = &lines[n++];
            snprintf(l->account, sizeof l->account, "%s", account);
            snprintf(l->aux, sizeof l->aux, "%.*s", (int)row.aux.len, row.aux.ptr);
            l->amount = row.amount;
            l->date = row.date;
            l->ref = (gl_line_ref){row.fy, row.num, row.line};
        }
    }
    int rc = lines && rem && n == p->rows && lm_remaining(lines, n, rem) == 0 ? 0 : -1;
    struct ledger_state s = {.remaining = rem};
    bool more;
    for (size_t i = 0; i < p->n; i++) {
        if (rc == 0)
            rc = ledger_page(&p->v[i], t, q, &more, &s, false);
        gl_response_free(&p->v[i]);
    }
    free(p->v);
    free(lines);
    free(rem);
    return rc;
}

int cmd_ledger(int argc, char **argv)
{
    struct range_opts o = {0};
    cli c;
    short_date_options(argc, argv);
    int rc = cli_parse(&c, &argc, &argv, range_options, on_opt, &o, ledger_help);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (argc || !o.account || strlen(o.account) > GL_ACCOUNT_MAX) {
        fputs(ledger_help, stderr);
        return EXIT_USAGE;
    }
    if (o.at && !o.open_items) {
        cli_error("--at DATE goes with --open: ledger --open --at DATE lists the items open then");
        return EXIT_USAGE;
    }
    char account[GL_ACCOUNT_MAX + 1];
    snprintf(account, sizeof account, "%s", o.account);
    for (char *p = account; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    /* --open --at: the items open at a date are the filter's OPEN_AT over
     * every line up to it (the daemon leaves out those lettered by then);
     * --open alone keeps the flag: unlettered today. */
    bool open_at = o.open_items && o.at;
    gl_ledger_q q = {.account = {account, strlen(account)},
                     .limit = GL_PAGE_MAX,
                     .flags = o.open_items && !open_at ? GL_LEDGER_OPEN_ITEMS : 0};
    struct range_opts lo = o;
    lo.account = NULL;
    struct filter_text ft;
    if ((rc = parse_filter(&lo, &q.filter, &ft)) || (rc = parse_page_rows(&o, &q.limit)))
        return rc;
    if (open_at) {
        uint32_t at_first, at_last;
        char err[200];
        int st = date_span(o.at, &at_first, &at_last, err, sizeof err);
        if (st)
            return refuse(st, err);
        if (o.dates.to || o.dates.end) {
            cli_error("--open --at DATE lists up to DATE: give no --to or -e");
            return EXIT_USAGE;
        }
        lo.dates.to = o.at;
        q.filter.fields |= GL_FILTER_OPEN_AT;
        q.filter.open_at = at_last;
    }
    if ((rc = parse_range(&lo, open_at ? 19000101 : 0, &q.from, &q.to)) ||
        (rc = cli_need_tenant(&c)) || (rc = cli_connect(&c)))
        return rc;
    if (q.filter.fields)
        q.flags |= GL_LEDGER_FILTER;
    static const out_col cols[] = {
        {"date", OUT_DATE},     {"entry", OUT_REF},   {"journal", OUT_TEXT}, {"piece", OUT_TEXT},
        {"label", OUT_TEXT},    {"aux", OUT_TEXT},    {"debit", OUT_MONEY},  {"credit", OUT_MONEY},
        {"balance", OUT_MONEY}, {"letter", OUT_TEXT}, {"ref", OUT_REF}, {"remaining", OUT_MONEY}};
    out_table *t = out_new(cols, o.open_items ? 12 : 11);
    out_hide_in_table(t, 1); /* the reference 2025/12:2 shows the entry */
    struct ledger_state s = {0};
    struct open_pages open = {0};
    bool more = true, first = true;
    while (rc == 0 && more) {
        gl_buf body;
        gl_buf_init(&body);
        gl_ledger_q_encode(&body, &q);
        gl_response resp;
        rc = cli_call(&c, GL_KIND_LEDGER, c.tenant, body.data, body.len, &resp);
        if (rc == 0 && o.open_items) {
            if (keep_page(&open, &resp, &q, &more) != 0) {
                gl_response_free(&resp);
                cli_error("cannot read the daemon's reply");
                rc = EXIT_REFUSED;
            }
            gl_buf_free(&body);
            continue;
        }
        bool opening_row =
            first && !o.open_items && (!q.filter.fields || q.filter.fields == GL_FILTER_AUX);
        if (rc == 0 && ledger_page(&resp, t, &q, &more, &s, opening_row) != 0) {
            cli_error("cannot read the daemon's reply");
            rc = EXIT_REFUSED;
        }
        first = false;
        gl_response_free(&resp);
        gl_buf_free(&body);
    }
    if (o.open_items && render_open(&open, t, &q, account) != 0 && rc == 0) {
        cli_error("cannot read the daemon's reply");
        rc = EXIT_REFUSED;
    }
    if (rc == 0 && (c.format == OUT_TABLE || c.format == OUT_TABLE_FR))
        printf(_("General ledger — %s — account %s%s%s\n"), c.tenant, account, o.aux ? " — " : "",
               o.aux ? o.aux : "");
    if (rc == 0 && (!t || out_render(t, c.format, stdout)))
        rc = EXIT_USAGE;
    out_free(t);
    cli_close(&c);
    return rc;
}
