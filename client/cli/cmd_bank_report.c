/*
 * client/cli/cmd_bank_report.c — `grandlivre bank report` (the état de
 * rapprochement of one bank account at a date, PROTOCOL.md §5.44) and
 * `grandlivre bank status` (per bank account: the last statement, what is
 * not yet matched on either side at that date, the opening difference).
 * Both read BANK_ACCOUNTS (39) and BANK_RECON (44); the report is
 * computed and written by client/bank/recon_*.c.  Dispatched by cmd_bank.c
 * with argv[0] the subcommand's name.
 */
#include "cmd_bank.h"

#include "cli.h"
#include "i18n.h"
#include "outfile.h"

#include "client/bank/match.h"
#include "proto/date.h"
#include "proto/request.h"
#include "proto/status.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    N_("usage: grandlivre bank report --tenant T --account 512000 [--at DATE]\n"
       "                              [--format table|csv|json|html] [-o FILE [--force]]\n"
       "       grandlivre bank status --tenant T [--format table|csv|json]\n"
       "\n"
       "report prints the état de rapprochement of a bank account at DATE (default:\n"
       "today), as an auditor files it: the bank statement's balance at that date, the\n"
       "entries in the books not yet on the statement (cheques issued and direct debits\n"
       "not yet debited; deposits and transfers not yet credited), the statement lines\n"
       "not in the books, the reconciled bank balance, the balance per the books, and\n"
       "the difference between them, 0.00 when the books and the bank agree (any other\n"
       "difference comes from before the first statement imported and is shown as an\n"
       "unexplained opening difference). A line counts as reconciled at DATE when it\n"
       "belongs to a match (bank match) whose lines are all dated on or before DATE.\n"
       "--format html writes one self-contained page that prints on A4; -o writes a\n"
       "file (never over an existing one without --force).\n"
       "\n"
       "status lists each registered bank account with its last statement's date and,\n"
       "at that date, the statement lines and the entries in the books not yet matched\n"
       "(count and total) and the opening difference.\n");

enum { OPT_ACCOUNT = 4200, OPT_AT, OPT_OUTPUT, OPT_FORCE, OPT_COUNT_ };

typedef struct report_opts {
    const char *account, *at, *output;
    bool force, html;
} report_opts;

static int on_opt(int opt, const char *arg, void *user)
{
    report_opts *o = user;
    switch (opt) {
    case OPT_ACCOUNT: o->account = arg; return 0;
    case OPT_AT: o->at = arg; return 0;
    case OPT_OUTPUT: o->output = arg; return 0;
    case OPT_FORCE: o->force = true; return 0;
    default: return EXIT_USAGE;
    }
}

/* The account as typed ("512 000", "512000"), upper case without spaces. */
static bool account_arg(const char *in, char out[GL_ACCOUNT_MAX + 1])
{
    size_t n = 0;
    for (const char *p = in; *p; p++) {
        if (*p == ' ')
            continue;
        if (n == GL_ACCOUNT_MAX)
            return false;
        out[n++] = (char)toupper((unsigned char)*p);
    }
    out[n] = '\0';
    return n > 0;
}

/* ---- what the daemon tells ---- */

/* BANK_RECON's reply, decoded; its strings point into resp. */
typedef struct recon_reply {
    gl_response resp;
    gl_bank_recon_head head;
    gl_recon_bank *bank;
    gl_recon_book *book;
    uint32_t nbank, nbook;
    bool more;
} recon_reply;

static void recon_reply_free(recon_reply *r)
{
    free(r->bank);
    free(r->book);
    gl_response_free(&r->resp);
}

static int bad_reply(void)
{
    cli_error("error %d %s: %s", GL_ERR_BAD_REPLY, gl_status_name(GL_ERR_BAD_REPLY),
              _(gl_status_message(GL_ERR_BAD_REPLY)));
    return EXIT_REFUSED;
}

static int decode_recon(recon_reply *r)
{
    gl_cur cur;
    gl_cur_init_stored(&cur, r->resp.reply.body, r->resp.reply.body_len);
    if (gl_bank_recon_head_get(&cur, &r->head) != GL_OK)
        return bad_reply();
    r->nbank = gl_get_u32(&cur);
    if (r->nbank > GL_BANK_RECON_MAX || !(r->bank = calloc(r->nbank + 1, sizeof *r->bank)))
        return r->nbank > GL_BANK_RECON_MAX ? bad_reply() : cli_nomem("the statement lines");
    for (uint32_t i = 0; i < r->nbank; i++)
        if (gl_bank_recon_bank_get(&cur, &r->bank[i].seq, &r->bank[i].line) != GL_OK)
            return bad_reply();
    r->nbook = gl_get_u32(&cur);
    if (r->nbook > GL_BANK_RECON_MAX || !(r->book = calloc(r->nbook + 1, sizeof *r->book)))
        return r->nbook > GL_BANK_RECON_MAX ? bad_reply() : cli_nomem("the ledger lines");
    for (uint32_t i = 0; i < r->nbook; i++)
        if (gl_bank_book_row_get(&cur, &r->book[i]) != GL_OK)
            return bad_reply();
    r->more = gl_get_u8(&cur) != 0;
    return gl_cur_status(&cur) == GL_OK ? 0 : bad_reply();
}

static int fetch_recon(cli *c, const char *account, uint32_t at, uint8_t flags, recon_reply *out)
{
    *out = (recon_reply){0};
    gl_buf body;
    gl_buf_init(&body);
    gl_bank_recon_q q = {{account, strlen(account)}, at, flags};
    gl_bank_recon_q_encode(&body, &q);
    int rc = gl_buf_ok(&body)
                 ? cli_call(c, GL_KIND_BANK_RECON, c->tenant, body.data, body.len, &out->resp)
                 : cli_nomem("the request");
    gl_buf_free(&body);
    return rc ? rc : decode_recon(out);
}

/* BANK_ACCOUNTS's reply: the rows are read one after the other. */
typedef struct accounts_reply {
    gl_response resp;
    gl_cur cur;
    uint32_t left;
} accounts_reply;

static int fetch_accounts(cli *c, accounts_reply *a)
{
    *a = (accounts_reply){0};
    int rc = cli_call(c, GL_KIND_BANK_ACCOUNTS, c->tenant, NULL, 0, &a->resp);
    if (rc)
        return rc;
    gl_cur_init_stored(&a->cur, a->resp.reply.body, a->resp.reply.body_len);
    a->left = gl_get_u32(&a->cur);
    return gl_cur_status(&a->cur) == GL_OK ? 0 : bad_reply();
}

/* The next row: 1, 0 after the last, or an exit code. */
static int next_account(accounts_reply *a, gl_bank_account_row *row)
{
    if (!a->left)
        return 0;
    a->left--;
    return gl_bank_account_row_get(&a->cur, row) == GL_OK ? 1 : -bad_reply();
}

/* ---- bank report ---- */

/* Write text to -o's file or standard output. */
static int write_out(const report_opts *o, const char *text)
{
    if (o->output) {
        char err[PATH_MAX + 256];
        if (outfile_write(o->output, text, strlen(text), OUTFILE_MODE_PUBLIC, o->force, err,
                          sizeof err) == GL_OK)
            return 0;
        cli_error("%s", err);
        return EXIT_USAGE;
    }
    if (fputs(text, stdout) < 0 || fflush(stdout) != 0) {
        cli_error("cannot write the report: %s", strerror(errno));
        return EXIT_USAGE;
    }
    return 0;
}

static gl_recon_format recon_format(const cli *c, const report_opts *o)
{
    if (o->html)
        return GL_RECON_HTML;
    if (c->format == OUT_JSON)
        return GL_RECON_JSON;
    return c->format == OUT_CSV || c->format == OUT_CSV_FR ? GL_RECON_CSV : GL_RECON_TABLE;
}

static int overflow(const char *account)
{
    cli_error("error %d %s: %s (%s)", GL_ERR_RECON_OVERFLOW, gl_status_name(GL_ERR_RECON_OVERFLOW),
              _(gl_status_message(GL_ERR_RECON_OVERFLOW)), account);
    return EXIT_REFUSED;
}

/* The report from the two replies (the bank account's row found or not). */
static int print_report(const cli *c, const report_opts *o, const char *account,
                        const gl_bank_account *acct, uint32_t at, const recon_reply *rr)
{
    gl_recon_report r = {.account = {account, strlen(account)},
                         .iban = acct ? acct->iban : (gl_str){"", 0},
                         .label = acct ? acct->label : (gl_str){"", 0},
                         .at = at,
                         .head = rr->head,
                         .bank = rr->bank,
                         .nbank = rr->nbank,
                         .book = rr->book,
                         .nbook = rr->nbook,
                         .truncated = rr->more};
    if (!gl_recon_report_sums(&r))
        return overflow(account);
    char *text = gl_recon_report_render(&r, recon_format(c, o));
    if (!text)
        return cli_nomem("the report");
    int rc = write_out(o, text);
    free(text);
    if (!rc && r.residual_cents)
        cli_warn("%s: the reconciliation leaves an unexplained opening difference", account);
    return rc;
}

static int report(cli *c, const report_opts *o)
{
    char account[GL_ACCOUNT_MAX + 1], err[PATH_MAX + 256];
    uint32_t at = cli_today();
    int rc = 0;
    if (!o->account || !account_arg(o->account, account)) {
        cli_error("bank report: --account is required (a bank account such as 512000)");
        return EXIT_USAGE;
    }
    if ((o->at && (rc = cli_date(o->at, "--at", &at))))
        return rc;
    if (o->output && outfile_check(o->output, o->force, err, sizeof err) != GL_OK) {
        cli_error("%s", err); /* before asking the daemon anything */
        return EXIT_USAGE;
    }
    accounts_reply a;
    recon_reply rr = {0};
    if ((rc = fetch_accounts(c, &a)))
        return rc;
    gl_bank_account_row row, *found = NULL;
    int more = 0;
    while (!found && (more = next_account(&a, &row)) == 1)
        if (row.acct.account.len == strlen(account) &&
            !memcmp(row.acct.account.ptr, account, row.acct.account.len))
            found = &row;
    rc = more < 0 ? -more : 0;
    if (!rc && !(rc = fetch_recon(c, account, at, GL_BANK_RECON_LINES, &rr)))
        rc = print_report(c, o, account, found ? &found->acct : NULL, at, &rr);
    recon_reply_free(&rr);
    gl_response_free(&a.resp);
    return rc;
}

/* ---- bank status ---- */

static int status_row(cli *c, const gl_bank_account_row *row, out_table *t)
{
    char account[GL_ACCOUNT_MAX + 1];
    snprintf(account, sizeof account, "%.*s", (int)row->acct.account.len, row->acct.account.ptr);
    recon_reply probe, rr;
    int rc = fetch_recon(c, account, cli_today(), 0, &probe);
    uint32_t last = probe.head.last_statement;
    recon_reply_free(&probe);
    if (rc)
        return rc;
    if ((rc = fetch_recon(c, account, last ? last : cli_today(), GL_BANK_RECON_LINES, &rr))) {
        recon_reply_free(&rr);
        return rc;
    }
    gl_recon_report r = {
        .head = rr.head, .bank = rr.bank, .nbank = rr.nbank, .book = rr.book, .nbook = rr.nbook};
    if (!gl_recon_report_sums(&r))
        rc = overflow(account);
    if (!rc && rr.more)
        cli_warn("%s: more than %d lines not matched: the counts and totals are a part", account,
                 GL_BANK_RECON_MAX);
    if (!rc) {
        out_cstr(t, account);
        out_text(t, row->acct.iban.ptr, row->acct.iban.len);
        out_date(t, last);
        out_int(t, rr.nbank);
        out_money(t, r.bank_not_in_books_cents);
        out_int(t, rr.nbook);
        out_money(t, r.books_not_on_bank_cents);
        out_money(t, r.residual_cents);
    }
    recon_reply_free(&rr);
    return rc;
}

static int status(cli *c)
{
    static const out_col cols[] = {{"account", OUT_REF},
                                   {"iban", OUT_REF},
                                   {"last_statement", OUT_DATE},
                                   {"bank_unmatched", OUT_INT},
                                   {"bank_unmatched_amount", OUT_MONEY},
                                   {"books_unmatched", OUT_INT},
                                   {"books_unmatched_amount", OUT_MONEY},
                                   {"opening_difference", OUT_MONEY}};
    accounts_reply a;
    int rc = fetch_accounts(c, &a);
    if (rc)
        return rc;
    out_table *t = out_new(cols, sizeof cols / sizeof cols[0]);
    gl_bank_account_row row;
    int more = 0;
    while (t && !rc && (more = next_account(&a, &row)) == 1)
        rc = status_row(c, &row, t);
    gl_response_free(&a.resp);
    if (!rc && more < 0)
        rc = -more;
    if (rc) {
        out_free(t);
        return rc;
    }
    return cli_format_render(c, t);
}

int cmd_bank_report(int argc, char **argv)
{
    static const struct option extra[] = {{"account", required_argument, NULL, OPT_ACCOUNT},
                                          {"at", required_argument, NULL, OPT_AT},
                                          {"output", required_argument, NULL, OPT_OUTPUT},
                                          {"force", no_argument, NULL, OPT_FORCE},
                                          {0}};
    bool is_report = !strcmp(argv[0], "report");
    report_opts o = {0};
    cli c;
    int rc = cli_parse_html(&c, &argc, &argv, extra, on_opt, &o, _(help), &o.html);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (argc != 0 || (!is_report && (o.html || o.account || o.at || o.output))) {
        fputs(_(help), stderr);
        return EXIT_USAGE;
    }
    if ((rc = cli_need_tenant(&c)) || (rc = cli_connect(&c)))
        return rc;
    rc = is_report ? report(&c, &o) : status(&c);
    cli_close(&c);
    return rc;
}
