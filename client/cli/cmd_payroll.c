/*
 * client/cli/cmd_payroll.c — `grandlivre payroll import FILE.csv`: the
 * month's payroll journal (journal de paie) read with a saved mapping
 * (client/payroll/), summed into one balanced entry in journal SA and
 * posted (POST, §5.4) with the employees' codes on axis salarie and the
 * actions on axis action (the lines' analytic items).  `payroll
 * csv-mapping` is dispatched to cmd_payroll_mapping.c.
 *
 * Imported once only: the POST's request id derives from the file's
 * bytes (BLAKE2b, as `post FILE` derives its batches' ids), so importing
 * the same file again is a replay: the daemon answers with the first
 * reply and the command says "already imported (entry 2026/NN)".  Before
 * posting, the month's standing entry is looked up (payroll_posted.c):
 * the same lines signed by another key say "already imported" too; other
 * lines (a corrected export) are refused 982 until it is reversed.
 * --open-codes first opens, on axis salarie, the employee codes the
 * daemon does not know (ANALYTIC_AXES, then ANALYTIC_CODE_SET each,
 * labelled with the code itself: never the person's name).
 */
#include "cmd_payroll.h"

#include "cli.h"
#include "i18n.h"
#include "plural.h"

#include "client/analytic/an_client.h"
#include "proto/analytic.h"
#include "proto/entry.h"
#include "proto/money.h"
#include "proto/reply.h"
#include "proto/request.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    N_("usage: grandlivre payroll import FILE.csv [--tenant T] [--mapping NAME] [--open-codes]\n"
       "                                 [--dry-run] [--new]\n"
       "       grandlivre payroll csv-mapping NAME --tenant T --month N --employee N ...\n"
       "\n"
       "Import the month's payroll journal (journal de paie) exported by the payroll\n"
       "software as CSV, one file a month, read with a saved mapping (payroll\n"
       "csv-mapping --help; without --mapping, the tenant's mapping named default; a\n"
       "NAME holding a / is a mapping file's path).  It posts ONE balanced entry in\n"
       "journal SA, dated the month's last day, piece PAIE-YYYY-MM, label \"Paie\n"
       "MM/YYYY\": the rows of accounts 641x and 645x (gross salary, employer charges)\n"
       "summed per account, employee and action, each line carrying the employee's code\n"
       "on analytic axis salarie and the action on axis action when the file gives one;\n"
       "the rows of the other accounts (421 net pay, 431/437 social bodies, 4421 tax\n"
       "withheld...) summed per account.  The employees' names are never read.\n"
       "\n"
       "Refused, nothing posted: a row that does not read (972 payroll_file_invalid: the\n"
       "file's line and column), a month whose debits and credits differ (973\n"
       "payroll_unbalanced: both totals and the difference), rows of several months\n"
       "(974 payroll_months).  A month is imported once only: importing the same file\n"
       "again, with this key or another, posts nothing and says \"already imported\n"
       "(entry 2026/NN)\"; a different file for a month already in the books (a\n"
       "corrected export) is refused (982 payroll_month_posted) until the month's\n"
       "entry is reversed (grandlivre reverse).  --new posts it again regardless.\n"
       "\n"
       "The employee codes must be open on axis salarie, and the actions on axis action\n"
       "(the daemon refuses 485 otherwise): open them first, e.g.\n"
       "  grandlivre analytic axis open salarie --label \"Salariés\"\n"
       "  grandlivre analytic code open salarie EMP001 --label \"Coordinatrice\"\n"
       "or give --open-codes, which opens the missing employee codes on axis salarie\n"
       "(labelled with the code itself, never the person's name) before posting.\n"
       "--dry-run prints the entry's lines and posts nothing (no daemon needed).\n");

enum { OPT_MAPPING = 4200, OPT_OPEN_CODES, OPT_DRY_RUN };

typedef struct payroll_opts {
    const char *mapping;
    bool open_codes, dry_run;
} payroll_opts;

static int on_opt(int opt, const char *arg, void *user)
{
    payroll_opts *o = user;
    if (opt == OPT_MAPPING)
        o->mapping = arg;
    else if (opt == OPT_OPEN_CODES)
        o->open_codes = true;
    else if (opt == OPT_DRY_RUN)
        o->dry_run = true;
    else
        return EXIT_USAGE;
    return 0;
}

static const char *money(int64_t cents, char out[GL_MONEY_TEXT_MAX])
{
    return gl_money_format(cents, i18n_french() ? GL_MONEY_FRENCH : GL_MONEY_PLAIN, out);
}

/* A refusal of the file (972-974), with its place, printed. */
static int refused(const char *path, const gl_payroll_error *e)
{
    char a[GL_MONEY_TEXT_MAX], b[GL_MONEY_TEXT_MAX], d[GL_MONEY_TEXT_MAX];
    if (e->status == GL_ERR_NOMEM)
        return cli_nomem("the payroll journal");
    const char *name = gl_status_name(e->status), *msg = _(gl_status_message(e->status));
    if (e->status == GL_ERR_PAYROLL_UNBALANCED)
        cli_error("%s: error %d %s: %s — debits %s, credits %s, difference %s", path, e->status,
                  name, msg, money(e->debit_cents, a), money(e->credit_cents, b),
                  money(e->debit_cents - e->credit_cents, d));
    else if (e->status == GL_ERR_PAYROLL_MONTHS)
        cli_error("%s:%u: error %d %s: %s — %04u-%02u after %04u-%02u", path, e->line, e->status,
                  name, msg, e->months[1] / 100, e->months[1] % 100, e->months[0] / 100,
                  e->months[0] % 100);
    else if (e->column)
        cli_error("%s:%u: %s (mapping column %d): error %d %s: %s — %s", path, e->line,
                  _(e->column), e->col, e->status, name, msg, _(e->reason));
    else if (e->line)
        cli_error("%s:%u: error %d %s: %s — %s", path, e->line, e->status, name, msg, _(e->reason));
    else
        cli_error("%s: error %d %s: %s — %s", path, e->status, name, msg, _(e->reason));
    return EXIT_REFUSED;
}

/* The file read and summed: 0, or an exit code after the message. */
static int read_month(const char *path, const gl_payroll_mapping *m, uint8_t digest[32],
                      gl_payroll_summary *s)
{
    size_t len;
    char *bytes = cli_read_file(path, &len);
    if (!bytes)
        return EXIT_USAGE;
    crypto_generichash(digest, 32, (const uint8_t *)bytes, len, NULL, 0);
    gl_payroll_file f;
    gl_payroll_error err;
    int rc = gl_payroll_parse((const uint8_t *)bytes, len, m, &f, &err);
    free(bytes);
    if (rc)
        return refused(path, &err);
    rc = gl_payroll_summarise(&f, s, &err);
    gl_payroll_file_free(&f);
    return rc ? refused(path, &err) : 0;
}

static void print_lines(const gl_payroll_summary *s)
{
    char a[GL_MONEY_TEXT_MAX], date[11];
    printf("%s  %s  %s  %s\n", GL_PAYROLL_JOURNAL, i18n_date(s->date, date), s->piece, s->label);
    for (size_t i = 0; i < s->n; i++) {
        const gl_payroll_line *l = &s->lines[i];
        printf("  %-8s %-10s %-12s %s %14s  %s\n", l->account, l->employee, l->action,
               l->side == GL_SIDE_DEBIT ? "D" : "C", money(l->amount_cents, a), l->label);
    }
}

/* A refusal of an analytic call, reported as cli_call would. */
static int an_refused(cli *c, gl_an_call *k, int st)
{
    if (st == GL_ERR_NOMEM && k->call_status == GL_OK)
        return cli_nomem("the analytic axes");
    if (!gl_an_call_refused(k)) {
        cli_error("cannot read the daemon's reply (analytic axes)");
        return EXIT_REFUSED;
    }
    int rc = cli_reply(c, k->call_status, k->last_id, c->tenant, &k->resp);
    if (k->call_status == GL_OK && k->resp.reply.status == GL_ERR_ANALYTIC_AXIS_UNKNOWN)
        cli_error("open the axis first: grandlivre analytic axis open salarie --label TEXT");
    return rc;
}

/* --open-codes: the employee codes that axis salarie does not hold
 * opened, labelled with the code (ANALYTIC_AXES, then CODE_SET each);
 * a code there but closed is left closed (the daemon then refuses the
 * entry: reopen it by hand if the employee came back). */
static int open_codes(cli *c, const gl_payroll_summary *s)
{
    const char **codes = calloc(s->n + 1, sizeof *codes);
    if (!codes)
        return cli_nomem("the employee codes");
    size_t n = gl_payroll_employees(s, codes);
    gl_an_call k;
    gl_an_call_init(&k, c->client, c->tenant, 0);
    gl_an_axes axes = {0};
    int st = gl_an_axes_get(&k, &axes), rc = st == GL_OK ? 0 : an_refused(c, &k, st);
    const gl_an_axis_info *axis = gl_an_axes_find(&axes, GL_PAYROLL_AXIS_EMPLOYEE);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (axis && gl_an_axis_code_find(axis, codes[i]))
            continue;
        gl_str code = {codes[i], strlen(codes[i])};
        gl_an_code_set_q q = {
            {GL_PAYROLL_AXIS_EMPLOYEE, strlen(GL_PAYROLL_AXIS_EMPLOYEE)}, code, GL_AN_OPEN, code};
        if ((st = gl_an_code_set(&k, &q)) != GL_OK)
            rc = an_refused(c, &k, st);
        else
            printf(_("code %s opened on axis %s\n"), codes[i], GL_PAYROLL_AXIS_EMPLOYEE);
    }
    gl_an_axes_free(&axes);
    gl_an_call_done(&k);
    free(codes);
    return rc;
}

/* The POST body of the month's entry (count 1, the entry). */
static int entry_body(const cli *c, const gl_payroll_summary *s, gl_buf *body)
{
    gl_line_in *lines = calloc(s->n + 1, sizeof *lines);
    gl_ext_in *exts = calloc(s->n + 1, sizeof *exts);
    uint8_t(*items)[2 + GL_AN_ITEM_MAX] = calloc(s->n + 1, sizeof *items);
    int rc = lines && exts && items ? 0 : cli_nomem("the payroll entry");
    for (size_t i = 0; rc == 0 && i < s->n; i++) {
        const gl_payroll_line *l = &s->lines[i];
        lines[i] = (gl_line_in){l->account, "", "", l->label, l->side, l->amount_cents};
        exts[i] = (gl_ext_in){items[i], gl_payroll_line_item(l, items[i])};
    }
    gl_entry_in e = {.tenant = c->tenant,
                     .journal = GL_PAYROLL_JOURNAL,
                     .piece_ref = s->piece,
                     .label = s->label,
                     .date = s->date,
                     .piece_date = s->date,
                     .line_count = s->n,
                     .lines = lines,
                     .line_ext = exts};
    if (rc == 0) {
        gl_put_u32(body, 1);
        int st = gl_entry_encode(body, &e);
        if (st != GL_OK) {
            cli_error("the payroll entry: %s", _(gl_status_message(st)));
            rc = EXIT_USAGE;
        } else if (!gl_buf_ok(body)) {
            rc = cli_nomem("the payroll entry");
        }
    }
    free(lines);
    free(exts);
    free(items);
    return rc;
}

/* What the POST's reply says, printed. */
static int report(const gl_response *resp, const gl_payroll_summary *s)
{
    gl_reply_post r;
    gl_reply_post_iter it;
    gl_reply_post_row row;
    if (gl_reply_post_decode(gl_reply_view(resp->reply.body, resp->reply.body_len), &r) != GL_OK ||
        r.count != 1 || (gl_reply_post_iter_init(&it, &r), gl_reply_post_next(&it, &row)) != 1) {
        cli_error("cannot read the daemon's reply (entry numbers)");
        return EXIT_REFUSED;
    }
    char a[GL_MONEY_TEXT_MAX];
    if (resp->reply.flags & GL_REPLY_REPLAYED) {
        printf(_("%s: already imported (entry %u/%u)\n"), s->piece, row.fy, row.num);
        return 0;
    }
    printf(_("posted %u/%u: %s — lines: %zu, employees: %zu, total %s\n"), row.fy, row.num,
           s->label, s->n, s->employees, money(s->debit_cents, a));
    return 0;
}

static int post_month(cli *c, const uint8_t digest[32], const gl_payroll_summary *s)
{
    gl_buf body;
    gl_buf_init(&body);
    int rc = entry_body(c, s, &body);
    uint64_t given = c->request_id;
    if (rc == 0 && !c->request_id && !c->new_id) {
        uint8_t seed[40]; /* the file's digest and batch 0, as `post FILE` */
        memcpy(seed, digest, 32);
        gl_be64(seed + 32, 0);
        c->request_id = gl_request_id_for(&c->key, GL_KIND_POST, c->tenant, seed, sizeof seed, 0);
    }
    gl_response resp;
    memset(&resp, 0, sizeof resp);
    if (rc == 0)
        rc = cli_call(c, GL_KIND_POST, c->tenant, body.data, body.len, &resp);
    if (rc == EXIT_REFUSED && resp.reply.status == GL_ERR_REQUEST_ID_REUSED)
        cli_error(
            "this file was imported before and read otherwise then (another mapping?): "
            "nothing posted; --new posts it as a new entry");
    if (rc == 0)
        rc = report(&resp, s);
    gl_response_free(&resp);
    c->request_id = given;
    gl_buf_free(&body);
    return rc;
}

/* Before posting (not with --new): the month already in the books with
 * these lines is "already imported" (another key imported this file); with
 * other lines, a corrected export: refused until the entry is reversed. */
static int guard(cli *c, const gl_payroll_summary *s, bool *done)
{
    payroll_standing st;
    int rc = payroll_posted(c, s, &st);
    if (rc == 0 && st.same.num) {
        printf(_("%s: already imported (entry %u/%u)\n"), s->piece, st.same.fy, st.same.num);
        *done = true;
    } else if (rc == 0 && st.other.num) {
        cli_error(
            "error %d %s: %s — %s is entry %u/%u; reverse it first "
            "(grandlivre reverse --tenant %s %u/%u), or give --new",
            GL_ERR_PAYROLL_POSTED, gl_status_name(GL_ERR_PAYROLL_POSTED),
            _(gl_status_message(GL_ERR_PAYROLL_POSTED)), s->piece, st.other.fy, st.other.num,
            c->tenant, st.other.fy, st.other.num);
        rc = EXIT_REFUSED;
    }
    return rc;
}

static int import(cli *c, const payroll_opts *o, const char *path)
{
    gl_payroll_mapping m;
    int rc = payroll_mapping_load(c->tenant, o->mapping ? o->mapping : PAYROLL_MAPPING_DEFAULT, &m);
    uint8_t digest[32];
    gl_payroll_summary s = {0};
    if (rc == 0)
        rc = read_month(path, &m, digest, &s);
    if (rc == 0 && o->dry_run)
        print_lines(&s);
    else if (rc == 0 && !(rc = cli_connect(c))) {
        bool done = false;
        if (!c->new_id && !c->request_id)
            rc = guard(c, &s, &done);
        if (rc == 0 && !done && !(o->open_codes && (rc = open_codes(c, &s))))
            rc = post_month(c, digest, &s);
    }
    gl_payroll_summary_free(&s);
    return rc;
}

int cmd_payroll(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "csv-mapping"))
        return cmd_payroll_csv_mapping(argc - 1, argv + 1);
    static const struct option extra[] = {{"mapping", required_argument, NULL, OPT_MAPPING},
                                          {"open-codes", no_argument, NULL, OPT_OPEN_CODES},
                                          {"dry-run", no_argument, NULL, OPT_DRY_RUN},
                                          {0}};
    payroll_opts o = {0};
    cli c;
    int rc = cli_parse(&c, &argc, &argv, extra, on_opt, &o, _(help));
    if (rc)
        return rc < 0 ? 0 : rc;
    if (argc != 2 || strcmp(argv[0], "import")) {
        fputs(_(help), stderr);
        return EXIT_USAGE;
    }
    if ((rc = cli_format_refuse(&c, "payroll import")) ||
        (!o.dry_run && (rc = cli_need_tenant(&c))))
        return rc;
    rc = import(&c, &o, argv[1]);
    cli_close(&c);
    return rc;
}
