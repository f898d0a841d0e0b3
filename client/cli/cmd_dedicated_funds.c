/*
 * client/cli/cmd_dedicated_funds.c — `grandlivre dedicated-funds --year Y
 * [--post]` (issue 19, ANC 2018-06 art. 132-1): for each grant its funder
 * earmarked (GRANTS, GL_GRANT_DEDICATED), the fonds dédiés of fiscal year
 * Y computed by client/funds/ (the rules: funds.h), the year-end entries
 * that record them, and the annexe's "tableau de variation des fonds
 * dédiés" as a table, CSV, JSON or a printable HTML page.
 *
 * Every figure comes from the daemon's analytic indexes, never a scan:
 * ANALYTIC_BALANCE of axis `action` for year Y (the grants' products and
 * their actions' charges) and, per action, ANALYTIC_LEDGER of its code up
 * to Y's last day (the 6894 and 7894 lines: the chain of reports before Y,
 * and the year's entries if they were posted already).  --post sends the
 * proposed entries in one POST whose request id comes from its content:
 * sent again it is a replay; a grant whose year is booked already is
 * reported, never proposed twice.  Last, the statements' fonds dédiés
 * lines (bilan: 19 fonds dédiés; compte de résultat: 689 reports, 789
 * utilisations, as client/statements/ classifies them) are read from
 * BALANCE at Y's last day, the entries not yet posted added, and compared
 * with the annexe's totals.
 */
#include "cli.h"
#include "cli_fd.h"
#include "cli_replies.h"
#include "cmd_analytic.h"
#include "i18n.h"
#include "outfile.h"

#include "client/funds/funds.h"
#include "client/analytic/grant_client.h"
#include "client/funds/funds_annexe.h"
#include "client/input/entry_set.h"
#include "client/statements/statements.h"
#include "proto/date.h"
#include "proto/money.h"
#include "proto/query.h"
#include "proto/reply.h"
#include "proto/request.h"
#include "proto/status.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    N_("usage: grandlivre dedicated-funds --year Y --tenant T [--post]\n"
       "                                  [--format table|table-fr|csv|json|html]\n"
       "                                  [-o FILE [--force]]\n"
       "\n"
       "The fonds dédiés (règlement ANC 2018-06 art. 132-1) of fiscal year Y, per grant\n"
       "its funder earmarked for a defined project (grandlivre grants set --dedicated),\n"
       "the year-end entries that record them, and the annexe's table of changes in\n"
       "dedicated funds (tableau de variation des fonds dédiés).\n"
       "\n"
       "For each dedicated grant, from the analytic codes on axis action:\n"
       "  granted   its product recorded in Y: its account, with its action code\n"
       "            (grants of one action sharing an account share that product in\n"
       "            code order, each up to its amount, the last taking the rest);\n"
       "  charges   its action's charges in Y: class 6 with the code, 689 left out;\n"
       "  used      the year's grants first, then the fonds dédiés of earlier years,\n"
       "            never more than is available;\n"
       "  opening   the fonds dédiés at the start of Y: the 6894 lines with the action\n"
       "            code of earlier years less their 7894 lines (the à-nouveaux of\n"
       "            194000 carry no code); a line goes to the grant its label names\n"
       "            (\"Fonds dédiés CODE\"), else to the action's first grant.\n"
       "The entries (journal OD, dated Y's last day, piece FD-Y, label \"Fonds dédiés\n"
       "CODE\", every line with the grant's action and funder codes):\n"
       "  D 689400 / C 194000  the part of Y's grant not used (reports);\n"
       "  D 194000 / C 789400  the part of earlier years used in Y (utilisations).\n"
       "They are printed; --post posts them in one request (sent again, it is a replay).\n"
       "A grant whose year already holds 6894 or 7894 lines with its code is reported\n"
       "as booked and nothing is proposed for it; the table then shows the books, and\n"
       "warns when they differ from the computation.\n"
       "\n"
       "The annexe: per grant and in total, at opening, reports (6894), utilisations\n"
       "(7894), transfers (none are proposed: 0), at closing. Last, the statements'\n"
       "lines (bilan: fonds dédiés; compte de résultat: reports and utilisations en\n"
       "fonds dédiés) with the entries not yet posted are compared with the annexe.\n"
       "--format html writes the annexe as one page that prints on A4; -o writes a\n"
       "file (never over an existing one without --force). CSV and JSON (amounts in\n"
       "cents) give one row per grant.\n"
       "\n"
       "Example:\n"
       "  grandlivre dedicated-funds --year 2026 --tenant alpha\n"
       "  grandlivre dedicated-funds --year 2026 --tenant alpha --post\n"
       "  grandlivre dedicated-funds --year 2026 --tenant alpha --format html -o fd.html\n");

enum { OPT_YEAR = 5300, OPT_POST, OPT_OUTPUT, OPT_FORCE };

typedef struct fd_opts {
    long year;
    bool post, html, force;
    const char *output;
} fd_opts;

static int on_opt(int opt, const char *arg, void *user)
{
    fd_opts *o = user;
    switch (opt) {
    case OPT_YEAR:
        if (strlen(arg) != 4 || strspn(arg, "0123456789") != 4 || (o->year = atol(arg)) < 1901) {
            cli_error(_("--year %s: a fiscal year, as 2026"), arg);
            return EXIT_USAGE;
        }
        return 0;
    case OPT_POST: o->post = true; return 0;
    case OPT_OUTPUT: o->output = arg; return 0;
    case OPT_FORCE: o->force = true; return 0;
    default: return EXIT_USAGE;
    }
}

/* What the daemon tells, owned. */
typedef struct fd_books {
    fd_year year;
    char entity[256];
    fd_grant *grants;
    size_t ngrants;
    fd_balance_row *balance;
    size_t nbalance;
    fd_history_row *history;
    size_t nhistory, history_cap;
} fd_books;

static void books_free(fd_books *b)
{
    free(b->grants);
    free(b->balance);
    free(b->history);
}

static bool copy(char *dst, size_t cap, gl_str s)
{
    if (s.len >= cap)
        return false;
    memcpy(dst, s.ptr, s.len);
    dst[s.len] = '\0';
    return true;
}

static int bad_reply(const char *what)
{
    cli_error(_("cannot read the daemon's reply (%s)"), what);
    return EXIT_REFUSED;
}

static void grant_copy(fd_grant *d, const gl_grant_info *g)
{
    *d = (fd_grant){.amount_cents = g->amount_cents, .from = g->from, .to = g->to};
    snprintf(d->code, sizeof d->code, "%s", g->code);
    snprintf(d->label, sizeof d->label, "%s", g->label);
    snprintf(d->funder, sizeof d->funder, "%s", g->funder);
    snprintf(d->action, sizeof d->action, "%s", g->action);
    snprintf(d->account, sizeof d->account, "%s", g->account);
}

/* GRANTS (grant_client.h): the dedicated ones, in code order. */
static int fetch_grants(cli *c, gl_an_call *k, fd_books *b)
{
    gl_grant_list l = {0};
    int rc = an_report(c, k, gl_grants_get(k, &l));
    if (!rc && !(b->grants = calloc(l.n + 1, sizeof *b->grants)))
        rc = cli_nomem("the grants");
    for (size_t i = 0; !rc && i < l.n; i++)
        if (l.grants[i].flags & GL_GRANT_DEDICATED)
            grant_copy(&b->grants[b->ngrants++], &l.grants[i]);
    gl_grant_list_free(&l);
    return rc;
}

static bool is_action(const fd_books *b, const char *code)
{
    for (size_t i = 0; i < b->ngrants; i++)
        if (!strcmp(b->grants[i].action, code))
            return true;
    return false;
}

/* ANALYTIC_BALANCE of `action` for the year: the grants' actions' rows. */
static int fetch_balance(cli *c, gl_an_call *k, fd_books *b)
{
    gl_an_balance_q q = {{FD_ACTION_AXIS, strlen(FD_ACTION_AXIS)}, b->year.fy, 0};
    gl_an_balance ab = {0};
    int rc = an_report(c, k, gl_an_balance_get(k, &q, &ab));
    if (!rc && !(b->balance = calloc(ab.n + 1, sizeof *b->balance)))
        rc = cli_nomem("the analytic balance");
    for (size_t i = 0; !rc && i < ab.n; i++) {
        const gl_an_balance_line *l = &ab.rows[i];
        if (!l->code[0] || !is_action(b, l->code))
            continue;
        fd_balance_row *r = &b->balance[b->nbalance++];
        snprintf(r->code, sizeof r->code, "%s", l->code);
        snprintf(r->account, sizeof r->account, "%s", l->account);
        r->debit_cents = l->debit_cents;
        r->credit_cents = l->credit_cents;
    }
    gl_an_balance_free(&ab);
    return rc;
}

typedef struct ledger_ctx {
    fd_books *b;
    const char *code;
} ledger_ctx;

/* A 6894/7894 line of the code into the history. */
static int on_ledger_row(void *user, const gl_an_ledger_row *row)
{
    ledger_ctx *x = user;
    fd_books *b = x->b;
    fd_history_row h = {
        .date = row->date, .fy = row->fy, .num = row->num, .amount_cents = row->amount_cents};
    if (!copy(h.account, sizeof h.account, row->account) || !fd_history_account(h.account))
        return 0;
    snprintf(h.code, sizeof h.code, "%s", x->code);
    copy(h.label, sizeof h.label, row->label);
    if (b->nhistory == b->history_cap) {
        size_t cap = b->history_cap ? 2 * b->history_cap : 64;
        fd_history_row *v = realloc(b->history, cap * sizeof *v);
        if (!v)
            return GL_ERR_NOMEM;
        b->history = v;
        b->history_cap = cap;
    }
    b->history[b->nhistory++] = h;
    return 0;
}

/* ANALYTIC_LEDGER of each action of the grants, up to the year's end. */
static int fetch_history(cli *c, gl_an_call *k, fd_books *b)
{
    int rc = 0;
    for (size_t i = 0; !rc && i < b->ngrants; i++) {
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = !strcmp(b->grants[j].action, b->grants[i].action);
        if (seen)
            continue;
        const char *code = b->grants[i].action;
        gl_an_ledger_q q = {.axis = {FD_ACTION_AXIS, strlen(FD_ACTION_AXIS)},
                            .code = {code, strlen(code)},
                            .to = b->year.to};
        ledger_ctx x = {b, code};
        int st = gl_an_ledger_each(k, &q, on_ledger_row, &x);
        rc = st == GL_ERR_NOMEM ? cli_nomem("the fonds dédiés lines") : an_report(c, k, st);
    }
    return rc;
}

/* PERIODS: the first month (the year's dates) and the association's name. */
static int fetch_year(cli *c, uint16_t fy, fd_books *b)
{
    gl_response resp;
    gl_reply_periods p;
    int rc = cli_periods(c, c->tenant, &resp, &p);
    if (!rc) {
        b->year = (fd_year){fy, gl_fiscal_year_start(fy, p.first_month),
                            gl_fiscal_year_end(fy, p.first_month)};
        snprintf(b->entity, sizeof b->entity, "%.*s", (int)p.name.len, p.name.ptr);
    }
    gl_response_free(&resp);
    return rc;
}

/* ---- the statements' lines ---- */

typedef struct fd_tie {
    int64_t fund_cents, reports_cents, uses_cents; /* as the statements show them */
} fd_tie;

static bool tie_add(fd_tie *t, enum stmt_model m, const gl_reply_balance_row *row)
{
    char account[GL_ACCOUNT_MAX + 1];
    int64_t net = row->debit, minus = 0;
    if (!copy(account, sizeof account, row->account) || !gl_money_sub(&net, row->credit) ||
        !gl_money_sub(&minus, net))
        return false;
    const char *b = stmt_classify_in(m, STMT_BILAN, account, net);
    const char *r = stmt_classify_in(m, STMT_CR, account, net);
    if (b && !strcmp(b, "passif.fonds_dedies") && !gl_money_add(&t->fund_cents, minus))
        return false;
    if (r && !strcmp(r, "cr.reports_fonds_dedies") && !gl_money_add(&t->reports_cents, net))
        return false;
    if (r && !strcmp(r, "cr.utilisations_fonds_dedies") && !gl_money_add(&t->uses_cents, minus))
        return false;
    return true;
}

/* BALANCE at the year's last day, classified as the statements do. */
static int fetch_tie(cli *c, const fd_year *y, fd_tie *t)
{
    gl_balance_q q = {.at = y->to};
    gl_buf body;
    gl_buf_init(&body);
    gl_balance_q_encode(&body, &q);
    gl_response resp;
    int rc = gl_buf_ok(&body) ? cli_call(c, GL_KIND_BALANCE, c->tenant, body.data, body.len, &resp)
                              : cli_nomem("the balance request");
    gl_buf_free(&body);
    if (rc)
        return rc;
    gl_reply_balance r;
    gl_reply_balance_iter it;
    gl_reply_balance_row row;
    enum stmt_model m = stmt_model_for_start(y->from);
    *t = (fd_tie){0};
    bool ok =
        gl_reply_balance_decode(gl_reply_view(resp.reply.body, resp.reply.body_len), &r) == GL_OK;
    if (ok)
        gl_reply_balance_iter_init(&it, &r);
    for (uint32_t i = 0; ok && i < r.count; i++)
        ok = gl_reply_balance_next(&it, &row) == 1 && tie_add(t, m, &row);
    gl_response_free(&resp);
    return ok ? 0 : bad_reply("balance");
}

/* The statements with the entries not posted yet, against the annexe. */
static int check_tie(cli *c, const fd_books *b, const fd_entry *e, size_t ne, const fd_totals *tot,
                     bool people)
{
    fd_tie t;
    int rc = fetch_tie(c, &b->year, &t);
    for (size_t i = 0; !rc && i < ne; i++) {
        bool report = e[i].kind == FD_ENTRY_REPORT;
        if (!gl_money_add(report ? &t.reports_cents : &t.uses_cents, e[i].amount_cents) ||
            !(report ? gl_money_add(&t.fund_cents, e[i].amount_cents)
                     : gl_money_sub(&t.fund_cents, e[i].amount_cents)))
            rc = bad_reply("balance");
    }
    if (rc)
        return rc;
    char a[3][GL_MONEY_TEXT_MAX];
    bool ties = t.fund_cents == tot->closing_cents && t.reports_cents == tot->reports_cents &&
                t.uses_cents == tot->uses_cents;
    enum gl_money_style style = c->format == OUT_TABLE_FR ? GL_MONEY_FRENCH : GL_MONEY_PLAIN;
    gl_money_format(t.fund_cents, style, a[0]);
    gl_money_format(t.reports_cents, style, a[1]);
    gl_money_format(t.uses_cents, style, a[2]);
    if (ties && people)
        printf(_("The statements tie to the annexe: fonds dédiés (bilan) %s, reports (689) %s, "
                 "utilisations (789) %s.\n"),
               a[0], a[1], a[2]);
    else if (!ties)
        cli_warn(_("the statements (with the entries not posted yet) do not tie to the annexe: "
                   "fonds dédiés (bilan) %s, reports (689) %s, utilisations (789) %s; fonds "
                   "dédiés without a grant's action code, or an earlier year not closed (its "
                   "à-nouveaux missing), explain a difference"),
                 a[0], a[1], a[2]);
    return 0;
}

/* ---- posting ---- */

static int post_entries(cli *c, const fd_entry *e, size_t n)
{
    gl_entry_set set;
    gl_entry_set_init(&set);
    int rc = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        gl_line_in lines[2] = {
            {e[i].debit_account, "", "", e[i].label, GL_SIDE_DEBIT, e[i].amount_cents},
            {e[i].credit_account, "", "", e[i].label, GL_SIDE_CREDIT, e[i].amount_cents}};
        gl_ext_in ext[2] = {{e[i].item, e[i].item_len}, {e[i].item, e[i].item_len}};
        gl_entry_in in = {.tenant = c->tenant,
                          .journal = FD_JOURNAL,
                          .piece_ref = e[i].piece,
                          .label = e[i].label,
                          .date = e[i].date,
                          .piece_date = e[i].date,
                          .lines = lines,
                          .line_count = 2,
                          .line_ext = ext};
        if (gl_entry_set_add(&set, &in, 0))
            rc = cli_nomem("the fonds dédiés entries");
    }
    if (!rc)
        rc = post_entry_set(c, &set, "dedicated-funds");
    gl_entry_set_free(&set);
    return rc;
}

/* ---- printing ---- */

/* Write text to -o's file or standard output. */
static int write_out(const fd_opts *o, const char *text, size_t len)
{
    if (o->output) {
        char err[PATH_MAX + 256];
        if (outfile_write(o->output, text, len, OUTFILE_MODE_PUBLIC, o->force, err, sizeof err) ==
            GL_OK)
            return 0;
        cli_error("%s", err);
        return EXIT_USAGE;
    }
    if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
        cli_error(_("cannot write the table: %s"), strerror(errno));
        return EXIT_USAGE;
    }
    return 0;
}

static void html_doc(const fd_books *b, fd_doc *d)
{
    static const char *method[FD_DOC_METHOD_MAX];
    method[0] =
        _("Reports: the part of the year's dedicated grants not used at the close "
          "(account 6894). Utilisations: the part of earlier years' fonds dédiés used "
          "in the year (account 7894). Transfers: none.");
    method[1] =
        _("A grant's use is the charges of its action (analytic axis action, class 6, "
          "689 left out) in the year: the year's grant first, then the fonds dédiés "
          "of earlier years.");
    method[2] = NULL;
    *d = (fd_doc){.lang = i18n_french() ? "fr" : "en",
                  .title = _("Changes in dedicated funds"),
                  .subtitle = _("Fonds dédiés sur subventions d'exploitation (194)"),
                  .entity = b->entity,
                  .period_word = _("Fiscal year"),
                  .funder_word = _("funder"),
                  .action_word = _("action"),
                  .total_word = _("Total"),
                  .col_grant = _("Grant"),
                  .col_amounts = {_("At opening"), _("Reports (6894)"), _("Utilisations (7894)"),
                                  _("Transfers"), _("At closing")},
                  .fy = b->year.fy,
                  .from = b->year.from,
                  .to = b->year.to,
                  .printed = cli_today(),
                  .footer = _("Règlement ANC n° 2018-06, art. 132-1 — grandlivre dedicated-funds")};
    for (size_t k = 0; k < FD_DOC_METHOD_MAX; k++)
        d->method[k] = method[k];
}

/* The page's remarks: entries proposed and not posted, books that differ
 * from the computation. */
static void html_notes(const fd_books *b, const fd_result *r, bool proposed, fd_doc *d,
                       char notes[][200])
{
    if (proposed) {
        snprintf(notes[d->note_count], 200,
                 _("Provisional: the year-end entries (piece FD-%u) are not posted yet "
                   "(grandlivre dedicated-funds --post)."),
                 b->year.fy);
        d->notes[d->note_count] = notes[d->note_count];
        d->note_count++;
    }
    for (size_t i = 0; i < b->ngrants && d->note_count < FD_DOC_NOTES_MAX; i++)
        if (r[i].differs) {
            snprintf(notes[d->note_count], 200,
                     _("%s: the entries booked differ from the computation."), r[i].grant->code);
            d->notes[d->note_count] = notes[d->note_count];
            d->note_count++;
        }
}

/* The HTML page, or the per-grant table in a machine format, into text. */
static int render(const cli *c, const fd_opts *o, const fd_books *b, const fd_result *r,
                  const fd_totals *t, bool proposed, char **text, size_t *len)
{
    FILE *f = open_memstream(text, len);
    if (!f)
        return cli_nomem("the table");
    int bad;
    if (o->html) {
        fd_doc d;
        char notes[FD_DOC_NOTES_MAX][200];
        html_doc(b, &d);
        html_notes(b, r, proposed, &d, notes);
        bad = fd_render_html(r, b->ngrants, t, &d, f);
    } else {
        out_table *tab = fd_table(r, b->ngrants, t, cli_format_table(c));
        bad = !tab || out_render(tab, c->format, f);
        out_free(tab);
    }
    if (fclose(f) || bad) {
        free(*text);
        *text = NULL;
        return cli_nomem("the table");
    }
    return 0;
}

static void print_title(const cli *c, const fd_books *b)
{
    char from[11], to[11];
    printf(_("Fonds dédiés — %s — fiscal year %u, %s to %s\n"), c->tenant, b->year.fy,
           i18n_date(b->year.from, from), i18n_date(b->year.to, to));
}

static void print_people(const cli *c, const fd_books *b, const fd_result *r, const fd_entry *e,
                         size_t ne)
{
    for (size_t i = 0; i < b->ngrants; i++)
        if (r[i].booked)
            printf(r[i].differs
                       ? _("%s: the year's fonds dédiés are booked (entry %u/%u) and differ "
                           "from the computation: reverse them and run again\n")
                       : _("%s: the year's fonds dédiés are booked (entry %u/%u)\n"),
                   r[i].grant->code, r[i].booked_fy, r[i].booked_num);
    if (!b->ngrants)
        printf("%s\n", _("No dedicated grant (grandlivre grants set CODE ... --dedicated)."));
    if (!ne) {
        printf("%s\n", _("No entry to propose."));
        return;
    }
    printf("%s\n", _("Entries:"));
    out_table *t = fd_entries_table(e, ne);
    if (t)
        out_render(t, c->format, stdout);
    out_free(t);
}

static int report(cli *c, const fd_opts *o, fd_books *b)
{
    fd_result *r = calloc(b->ngrants + 1, sizeof *r);
    fd_entry *e = calloc(2 * b->ngrants + 1, sizeof *e);
    fd_totals t;
    int rc = r && e ? 0 : cli_nomem("the fonds dédiés");
    if (!rc && (fd_compute(&b->year, b->grants, b->ngrants, b->balance, b->nbalance, b->history,
                           b->nhistory, r) != FD_OK ||
                fd_totals_sum(r, b->ngrants, &t) != FD_OK)) {
        cli_error("%s", _("the fonds dédiés overflow"));
        rc = EXIT_REFUSED;
    }
    size_t ne = rc ? 0 : fd_entries(&b->year, r, b->ngrants, e);
    char *text = NULL;
    size_t len = 0;
    bool people = !o->html && cli_format_table(c);
    if (!rc && people && !o->output)
        print_title(c, b);
    if (!rc && !(rc = render(c, o, b, r, &t, ne && !o->post, &text, &len)))
        rc = write_out(o, text, len);
    free(text);
    if (!rc && people)
        print_people(c, b, r, e, ne);
    if (!rc && !o->post && ne)
        fprintf(stderr, "grandlivre: %s\n", _("not posted: run again with --post to post them"));
    if (!rc && o->post && ne)
        rc = post_entries(c, e, ne);
    if (!rc)
        rc = check_tie(c, b, o->post ? NULL : e, o->post ? 0 : ne, &t, people);
    free(r);
    free(e);
    return rc;
}

/* The annexe's rows of r (n grants) and their total t into out (n + 1). */
static void annexe_rows(const fd_result *r, size_t n, const fd_totals *t, ax_grant_row *out)
{
    for (size_t i = 0; i < n; i++) {
        ax_grant_row *g = &out[i];
        snprintf(g->grant, sizeof g->grant, "%s", r[i].grant->code);
        snprintf(g->funder, sizeof g->funder, "%s", r[i].grant->funder);
        snprintf(g->label, sizeof g->label, "%s", r[i].grant->label);
        int64_t v[5] = {r[i].opening_cents, fd_annexe_reports(&r[i]), fd_annexe_uses(&r[i]),
                        r[i].transfers_cents, fd_annexe_closing(&r[i])};
        memcpy(g->v, v, sizeof v);
    }
    ax_grant_row *tot = &out[n];
    tot->total = true;
    int64_t v[5] = {t->opening_cents, t->reports_cents, t->uses_cents, t->transfers_cents,
                    t->closing_cents};
    memcpy(tot->v, v, sizeof v);
}

int cli_fd_annexe_rows(cli *c, uint16_t fy, ax_grant_row **rows, size_t *n)
{
    *rows = NULL;
    *n = 0;
    fd_books b = {0};
    gl_an_call k = {0};
    gl_an_call_init(&k, c->client, c->tenant, c->request_id);
    int rc = fetch_year(c, fy, &b);
    if (!rc)
        rc = fetch_grants(c, &k, &b);
    if (!rc && b.ngrants && !(rc = fetch_balance(c, &k, &b)))
        rc = fetch_history(c, &k, &b);
    fd_result *r = NULL;
    fd_totals t;
    if (!rc && b.ngrants) {
        r = calloc(b.ngrants, sizeof *r);
        *rows = calloc(b.ngrants + 1, sizeof **rows);
        if (!r || !*rows)
            rc = cli_nomem("the fonds dédiés");
    }
    if (!rc && b.ngrants &&
        (fd_compute(&b.year, b.grants, b.ngrants, b.balance, b.nbalance, b.history, b.nhistory,
                    r) != FD_OK ||
         fd_totals_sum(r, b.ngrants, &t) != FD_OK)) {
        cli_error("%s", _("the fonds dédiés overflow"));
        rc = EXIT_REFUSED;
    }
    if (!rc && b.ngrants) {
        annexe_rows(r, b.ngrants, &t, *rows);
        *n = b.ngrants + 1;
    }
    if (rc) {
        free(*rows);
        *rows = NULL;
    }
    free(r);
    books_free(&b);
    gl_an_call_done(&k);
    return rc;
}

int cmd_dedicated_funds(int argc, char **argv)
{
    static const struct option extra[] = {{"year", required_argument, NULL, OPT_YEAR},
                                          {"post", no_argument, NULL, OPT_POST},
                                          {"output", required_argument, NULL, OPT_OUTPUT},
                                          {"force", no_argument, NULL, OPT_FORCE},
                                          {0}};
    fd_opts o = {0};
    cli c;
    int rc = cli_parse_html(&c, &argc, &argv, extra, on_opt, &o, _(help), &o.html);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (argc != 0 || !o.year) {
        fputs(_(help), stderr);
        return EXIT_USAGE;
    }
    char err[PATH_MAX + 256];
    if (o.output && outfile_check(o.output, o.force, err, sizeof err) != GL_OK) {
        cli_error("%s", err);
        return EXIT_USAGE;
    }
    fd_books b = {0};
    gl_an_call k = {0};
    if (!(rc = an_connect(&c, &k)) && !(rc = fetch_year(&c, (uint16_t)o.year, &b)) &&
        !(rc = fetch_grants(&c, &k, &b)) &&
        (!b.ngrants || (!(rc = fetch_balance(&c, &k, &b)) && !(rc = fetch_history(&c, &k, &b)))))
        rc = report(&c, &o, &b);
    books_free(&b);
    gl_an_call_done(&k);
    cli_close(&c);
    return rc;
}
