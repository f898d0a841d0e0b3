/*
 * client/cli/cmd_annexe.c — `grandlivre annexe`: the annexe of one
 * association's annual accounts (client/annexe/) as a printable HTML page,
 * and as PDF through headless Chromium when it is installed.
 *
 * Reads (every call a read): PERIODS and the balance sheet of the year as
 * `statements` computes it (cli_stmt.h); BALANCE per auxiliary account at
 * the previous year's last day with its result-closing entry (the
 * opening) and at the year's last day without it; TIMESHEETS of the year
 * (staff numbers).  The year's movements are its debits and credits less
 * the à-nouveaux, which the close writes per (account, auxiliary) on the
 * side of the balance (PROTOCOL.md §5.10): an account's à-nouveaux debit is
 * the sum of its debit opening balances per auxiliary, its credit the sum
 * of its credit ones.  (An account kept in detailed mode carries its open
 * items instead: its increases and decreases are then both larger by the
 * items that offset each other; its closing is exact.  Only third-party
 * accounts are detailed, and of them the annexe shows closing balances
 * only.)  A previous year with entries that is not closed has no
 * à-nouveaux yet: the annexe then refuses, as the balance sheet would lack
 * the opening balances.  A first year (no earlier year with entries)
 * whose books were imported opens with the entries of journal AN on its
 * first day: they are its opening, not its movements (JOURNAL).
 */
#include "cli.h"
#include "cli_fd.h"
#include "cli_replies.h"
#include "cli_stmt.h"
#include "outfile.h"

#include "client/annexe/annexe.h"
#include "client/timesheets/ts_client.h"
#include "proto/date.h"
#include "proto/money.h"
#include "proto/query.h"
#include "proto/reply.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static const char help[] =
    "usage: grandlivre annexe --tenant T --year YYYY [-o FILE.html] [--pdf FILE.pdf]\n"
    "                         [--notes FILE] [--force]\n"
    "\n"
    "The annexe of the annual accounts of fiscal year YYYY (règlement ANC\n"
    "2018-06), in French, as one self-contained printable HTML page (A4, inline\n"
    "CSS, each table on its own page): the tables the books can compute and the\n"
    "narrative sections the accountant writes.\n"
    "\n"
    "Tables, from the accounts (opening = the previous year's balance after its\n"
    "closing, or, in a first year imported from other software, its entries of\n"
    "journal AN on its first day; increases and decreases = the year's debits\n"
    "and credits, the à-nouveaux left out):\n"
    "  fixed assets, gross (20-27) and their amortissements and dépréciations\n"
    "  (28, 29): opening, increases, decreases, closing, per account group;\n"
    "  provisions (15) and dépréciations of current assets (39, 49, 59);\n"
    "  fonds reportés et dédiés (19): opening, reports, uses, closing;\n"
    "  change in equity (fonds propres 10-14 and the year's result): opening,\n"
    "  appropriation of last year's result (movements of 106, 11, 12),\n"
    "  increases, decreases, closing;\n"
    "  receivables and payables by maturity: the books hold no due dates, so\n"
    "  loans 16 (but 1688) and receivables 267, 274-276 (but 2768) are over\n"
    "  one year, every other balance within one year;\n"
    "  contributions volontaires en nature (86, 87) by nature;\n"
    "  staff numbers from the year's time sheets (employees, mean full-time\n"
    "  equivalent over 12 months), else \"non renseigné\".\n"
    "\n"
    "Every table total that has a balance-sheet line is checked against it (as\n"
    "`grandlivre statements` computes the balance sheet): if one does not tie,\n"
    "each difference is printed on standard error, the page is written with the\n"
    "failed checks marked, and the exit status is 5.\n"
    "\n"
    "--notes FILE  the narrative sections, a UTF-8 text file: a line starting\n"
    "            with '#' opens a section, its text follows (blank lines between\n"
    "            paragraphs, \"- \" for a list item). Known sections: Règles et\n"
    "            méthodes comptables, Faits caractéristiques de l'exercice,\n"
    "            Engagements hors bilan, Événements postérieurs à la clôture;\n"
    "            others are printed after them. Text before the first heading\n"
    "            is ignored. Template: docs/annexe-notes-template.md. Without\n"
    "            --notes, each section says \"Non renseigné\".\n"
    "-o FILE, --output FILE\n"
    "            write the HTML page to FILE (under a temporary name, then\n"
    "            renamed) instead of standard output; an existing FILE needs\n"
    "            --force.\n"
    "--pdf FILE  also print the page to FILE as PDF with headless Chromium\n"
    "            (chromium must be installed: otherwise an error and status 2);\n"
    "            an existing FILE needs --force. Without -o, only the PDF is\n"
    "            written.\n"
    "\n"
    "The previous fiscal year, if it has entries, must be closed (its\n"
    "à-nouveaux are the opening). A year not closed gives a provisional annexe.\n";

enum { OPT_YEAR = 5100, OPT_OUTPUT, OPT_PDF, OPT_NOTES, OPT_FORCE };

struct ax_opts {
    long year;
    const char *output, *pdf, *notes;
    bool force;
};

static int on_opt(int opt, const char *arg, void *user)
{
    struct ax_opts *o = user;
    switch (opt) {
    case OPT_YEAR: return cli_stmt_year(arg, &o->year);
    case OPT_OUTPUT: o->output = arg; return 0;
    case OPT_PDF: o->pdf = arg; return 0;
    case OPT_NOTES: o->notes = arg; return 0;
    case OPT_FORCE: o->force = true; return 0;
    default: return EXIT_USAGE;
    }
}

/* ---- the year's movements ---- */

typedef struct mv {
    char account[STMT_ACCOUNT_MAX + 1];
    char aux[GL_AUX_MAX + 1];
    int64_t opening, debit, credit;
} mv;

typedef struct mvs {
    mv *v;
    size_t count, cap;
} mvs;

static int mv_cmp(const void *a, const void *b)
{
    const mv *x = a, *y = b;
    int d = strcmp(x->account, y->account);
    return d ? d : strcmp(x->aux, y->aux);
}

/* A new row at the end of out (zeroed), NULL when out of memory (said). */
static mv *mv_push(mvs *out)
{
    if (out->count == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 256;
        mv *v = realloc(out->v, cap * sizeof *v);
        if (!v) {
            cli_nomem("the balance rows");
            return NULL;
        }
        out->v = v;
        out->cap = cap;
    }
    mv *m = &out->v[out->count++];
    memset(m, 0, sizeof *m);
    return m;
}

/* BALANCE per (account, aux) at `at` with flags: each row appended to out,
 * into opening (debit - credit) or into debit and credit. */
static int read_balance(cli *c, const char *tenant, uint32_t at, uint8_t flags, bool opening,
                        mvs *out)
{
    gl_response resp;
    int rc = cli_stmt_balance_call(c, tenant, at, (uint8_t)(flags | GL_BALANCE_AUX), &resp);
    gl_reply_balance r = {0};
    if (rc == 0 &&
        gl_reply_balance_decode(gl_reply_view(resp.reply.body, resp.reply.body_len), &r) != GL_OK) {
        cli_error("cannot read the daemon's reply (balance of %s)", tenant);
        rc = EXIT_REFUSED;
    }
    gl_reply_balance_iter it;
    gl_reply_balance_row row;
    if (rc == 0)
        gl_reply_balance_iter_init(&it, &r);
    for (uint32_t i = 0; rc == 0 && i < r.count; i++) {
        if (gl_reply_balance_next(&it, &row) != 1 || row.account.len > STMT_ACCOUNT_MAX ||
            row.aux.len > GL_AUX_MAX) {
            cli_error("cannot read the daemon's reply (balance of %s)", tenant);
            rc = EXIT_REFUSED;
            break;
        }
        mv *m = mv_push(out);
        if (!m) {
            rc = EXIT_NOMEM;
            break;
        }
        memcpy(m->account, row.account.ptr, row.account.len);
        memcpy(m->aux, row.aux.ptr, row.aux.len);
        if (opening) {
            m->opening = row.debit;
            if (!gl_money_sub(&m->opening, row.credit)) {
                cli_error("an opening balance of %s overflows", tenant);
                rc = EXIT_REFUSED;
            }
        } else {
            m->debit = row.debit;
            m->credit = row.credit;
        }
    }
    gl_response_free(&resp);
    return rc;
}

/* A first year (no earlier year with entries) of books imported from
 * other software (fec import) opens with their à-nouveaux: the entries of
 * journal AN on the year's first day.  Their lines are the opening
 * balances, not the year's movements: each is appended as an opening and
 * as a movement of the opposite sign, so that the fold takes it out of the
 * year's debits or credits exactly. */
static int imported_opening_row(void *user, const gl_reply_journal_row *row)
{
    mvs *out = user;
    gl_line_iter it;
    gl_line l;
    gl_line_iter_init(&it, &row->entry);
    while (gl_line_next(&it, &l)) {
        if (l.account.len > STMT_ACCOUNT_MAX || l.aux.len > GL_AUX_MAX)
            return -1;
        mv *m = mv_push(out);
        if (!m)
            return EXIT_NOMEM;
        memcpy(m->account, l.account.ptr, l.account.len);
        memcpy(m->aux, l.aux.ptr, l.aux.len);
        bool debit = l.side == GL_SIDE_DEBIT;
        m->opening = debit ? l.amount_cents : -l.amount_cents;
        *(debit ? &m->debit : &m->credit) = -l.amount_cents;
    }
    return 0;
}

static int read_imported_opening(cli *c, uint32_t first_day, mvs *out)
{
    gl_journal_q q = {
        .from = first_day, .to = first_day, .limit = GL_PAGE_MAX, .flags = GL_JOURNAL_FILTER};
    q.filter.fields = GL_FILTER_JOURNAL;
    q.filter.journal = (gl_str){"AN", 2};
    int rc = cli_journal(c, c->tenant, &q, imported_opening_row, out);
    if (rc < 0) {
        cli_error("cannot read the daemon's reply (journal AN of %s)", c->tenant);
        return EXIT_REFUSED;
    }
    return rc;
}

/* Fold the rows per account: opening, and the year's debits and credits
 * less the à-nouveaux (when the year has them) per (account, aux). */
static int fold(mvs *m, bool with_an, ax_account **out, size_t *n)
{
    qsort(m->v, m->count, sizeof *m->v, mv_cmp);
    ax_account *a = calloc(m->count ? m->count : 1, sizeof *a);
    if (!a)
        return cli_nomem("the annexe's accounts");
    size_t k = 0;
    bool ok = true;
    for (size_t i = 0; i < m->count;) {
        size_t j = i;
        int64_t o = 0, d = 0, cr = 0;
        /* one (account, aux): its opening row and its year row */
        for (; j < m->count && !mv_cmp(&m->v[i], &m->v[j]); j++) {
            ok &= gl_money_add(&o, m->v[j].opening);
            ok &= gl_money_add(&d, m->v[j].debit);
            ok &= gl_money_add(&cr, m->v[j].credit);
        }
        if (m->v[i].account[0] > '5')
            o = 0; /* classes 6-9 are not carried forward (their rows before the close) */
        if (with_an && o > 0)
            ok &= gl_money_sub(&d, o);
        if (with_an && o < 0)
            ok &= gl_money_add(&cr, o);
        if (k == 0 || strcmp(a[k - 1].account, m->v[i].account)) {
            a[k].account = m->v[i].account;
            k++;
        }
        ok &= gl_money_add(&a[k - 1].opening, o);
        ok &= gl_money_add(&a[k - 1].debit, d);
        ok &= gl_money_add(&a[k - 1].credit, cr);
        i = j;
    }
    if (!ok) {
        free(a);
        cli_error("a total of the annexe exceeds the 64-bit cent range");
        return EXIT_REFUSED;
    }
    *out = a;
    *n = k;
    return 0;
}

static void staff_of(const ts_batch *b, ax_staff *s)
{
    memset(s, 0, sizeof *s);
    uint64_t basis = 0;
    for (size_t i = 0; i < b->n; i++) {
        if (i == 0 || strcmp(b->v[i].employee, b->v[i - 1].employee))
            s->employees++;
        basis += b->v[i].basis_per_mille;
    }
    s->known = s->employees > 0;
    s->fte_per_mille = (basis + 6) / 12;
}

/* ---- PDF through Chromium ---- */

static const char *chromium_path(void)
{
    static const char *const names[] = {"/usr/bin/chromium", "/usr/bin/chromium-browser",
                                        "/usr/lib/chromium/chromium"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (access(names[i], X_OK) == 0)
            return names[i];
    return NULL;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

static int print_pdf(const char *browser, const char *html, const char *pdf)
{
    char profile_dir[] = "/tmp/gl-annexe-XXXXXX";
    if (!mkdtemp(profile_dir)) {
        cli_error("cannot create a temporary directory: %s", strerror(errno));
        return EXIT_USAGE;
    }
    char abs_html[PATH_MAX], url[PATH_MAX + 16], out_arg[PATH_MAX + 32], dir_arg[64];
    if (!realpath(html, abs_html)) {
        cli_error("cannot find %s: %s", html, strerror(errno));
        nftw(profile_dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
        return EXIT_USAGE;
    }
    snprintf(url, sizeof url, "file://%s", abs_html);
    snprintf(out_arg, sizeof out_arg, "--print-to-pdf=%s", pdf);
    snprintf(dir_arg, sizeof dir_arg, "--user-data-dir=%s", profile_dir);
    char *argv[] = {(char *)browser,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-pdf-header-footer",
                    dir_arg,
                    out_arg,
                    url,
                    NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int err = posix_spawn(&pid, browser, &fa, NULL, argv, environ), status = 0;
    posix_spawn_file_actions_destroy(&fa);
    if (err == 0)
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
    nftw(profile_dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    FILE *f = err ? NULL : fopen(pdf, "rb");
    char magic[5] = "";
    if (f) {
        if (fread(magic, 1, 4, f) != 4)
            magic[0] = '\0';
        fclose(f);
    }
    if (err || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || memcmp(magic, "%PDF", 4)) {
        cli_error("%s could not print %s to PDF (%s)", browser, html,
                  err ? strerror(err) : "no PDF written");
        return EXIT_USAGE;
    }
    return 0;
}

/* ---- the command ---- */

static int write_page(const struct ax_opts *o, const char *path, const ax_result *r,
                      const stmt_result *bilan, const ax_doc *doc)
{
    outfile of = {.dir_fd = -1};
    char err[PATH_MAX + 256];
    FILE *f = stdout;
    if (path) {
        if (outfile_open(&of, path, OUTFILE_MODE_PUBLIC, o->force || path != o->output, err,
                         sizeof err) != GL_OK) {
            cli_error("%s", err);
            return EXIT_USAGE;
        }
        f = of.f;
    }
    int rc = ax_render_html(r, bilan, doc, f);
    int saved = errno;
    if (rc == 0 && path && outfile_commit(&of, err, sizeof err) != GL_OK) {
        cli_error("%s", err);
        rc = EXIT_USAGE;
    } else if (rc == 0 && !path && fflush(f) != 0) {
        saved = errno;
        rc = -1;
    }
    outfile_abort(&of);
    if (rc < 0) {
        cli_error("cannot write %s: %s", path ? path : "the annexe", strerror(saved));
        rc = EXIT_USAGE;
    }
    return rc;
}

static int load_notes(const char *path, ax_notes *notes)
{
    memset(notes, 0, sizeof *notes);
    if (!path)
        return 0;
    size_t len;
    char *text = cli_read_file(path, &len);
    if (!text) {
        cli_error("cannot read %s: %s", path, strerror(errno));
        return EXIT_USAGE;
    }
    char why[256];
    int rc = ax_notes_parse(text, len, notes, why, sizeof why) ? EXIT_USAGE : 0;
    if (rc)
        cli_error("%s: %s", path, why);
    free(text);
    return rc;
}

static int report_ties(const ax_result *r)
{
    for (size_t i = 0; i < r->tie_count; i++) {
        const ax_tie *t = &r->ties[i];
        if (t->ok)
            continue;
        char a[GL_MONEY_TEXT_MAX], b[GL_MONEY_TEXT_MAX], d[GL_MONEY_TEXT_MAX];
        int64_t diff = t->table;
        bool sub_ok = gl_money_sub(&diff, t->bilan);
        cli_error(
            "the annexe does not tie to the balance sheet: %s: table %s, balance sheet %s, "
            "difference %s",
            t->what, gl_money_format(t->table, GL_MONEY_PLAIN, a),
            gl_money_format(t->bilan, GL_MONEY_PLAIN, b),
            sub_ok ? gl_money_format(diff, GL_MONEY_PLAIN, d) : "?");
    }
    return r->failed ? EXIT_CHECK : 0;
}

static int annexe(cli *c, const struct ax_opts *o, const ax_notes *notes, const char *browser)
{
    int rc;
    tenant_info *t = calloc(1, sizeof *t);
    stmt_result *bilan = calloc(1, sizeof *bilan);
    ax_result *r = calloc(1, sizeof *r);
    cli_stmt_rows now = {0};
    mvs m = {0};
    ax_account *accounts = NULL;
    size_t count = 0;
    ts_batch sheets = {0};
    ax_grant_row *grants = NULL;
    bool with_prev;
    if (!t || !bilan || !r) {
        rc = cli_nomem("the annexe");
        goto out;
    }
    uint16_t fy = (uint16_t)o->year;
    if ((rc = cli_stmt_periods(c, c->tenant, t)) ||
        (rc = cli_stmt_tenant_bilan(c, t, fy, bilan, &now, &with_prev)))
        goto out;
    bool prev_closed = cli_stmt_is_closed(t, fy - 1u);
    if (with_prev && !prev_closed) {
        cli_error(
            "fiscal year %u of %s is not closed: the annexe of %u needs its à-nouveaux "
            "(close %u first)",
            fy - 1u, c->tenant, fy, fy - 1u);
        rc = EXIT_USAGE;
        goto out;
    }
    uint32_t to = gl_fiscal_year_end(fy, t->first_month);
    if (with_prev &&
        (rc = read_balance(c, c->tenant, gl_fiscal_year_end((uint16_t)(fy - 1), t->first_month),
                           GL_BALANCE_AFTER_CLOSING, true, &m)))
        goto out;
    if (!with_prev && (rc = read_imported_opening(c, gl_fiscal_year_start(fy, t->first_month), &m)))
        goto out;
    if ((rc = read_balance(c, c->tenant, to, 0, false, &m)) ||
        (rc = fold(&m, with_prev && prev_closed, &accounts, &count)))
        goto out;
    ax_input in = {.model = bilan->model,
                   .accounts = accounts,
                   .count = count,
                   .bilan_rows = now.v,
                   .bilan_count = now.count,
                   .bilan = bilan,
                   .with_prev = with_prev};
    ax_compute(&in, r);
    ax_tie_check(r, bilan, with_prev);
    ax_doc doc = {.entity = t->name,
                  .siren = t->siren,
                  .fy = fy,
                  .from = gl_fiscal_year_start(fy, t->first_month),
                  .to = to,
                  .printed = cli_today(),
                  .provisional = !cli_stmt_is_closed(t, fy),
                  .with_prev = with_prev,
                  .notes = notes};
    /* the fonds dédiés per grant, when the 19 accounts moved */
    if (r->t[AX_FUNDS].any && cli_fd_annexe_rows(c, fy, &grants, &doc.ngrants) != 0)
        cli_warn("the fonds dédiés per grant are left out of the annexe (grants unreadable)");
    doc.grants = grants;
    if (ts_fetch(c, fy, "", &sheets) == 0)
        staff_of(&sheets, &doc.staff);
    else
        cli_warn("the staff numbers are left \"non renseigné\" (time sheets unreadable)");
    /* the PDF needs a file: the HTML one, or a temporary one beside it */
    char tmp_html[] = "/tmp/gl-annexe-XXXXXX.html";
    const char *html = o->output;
    if (!html && o->pdf) {
        int fd = mkstemps(tmp_html, 5);
        if (fd < 0) {
            cli_error("cannot create a temporary file: %s", strerror(errno));
            rc = EXIT_USAGE;
            goto out;
        }
        close(fd);
        html = tmp_html;
    }
    if ((rc = write_page(o, html, r, bilan, &doc)) == 0 && o->pdf)
        rc = print_pdf(browser, html, o->pdf);
    if (html == tmp_html)
        unlink(tmp_html);
    int tied = report_ties(r);
    if (rc == 0)
        rc = tied;
out:
    free(grants);
    ts_batch_free(&sheets);
    free(accounts);
    free(m.v);
    cli_stmt_rows_free(&now);
    free(t);
    free(bilan);
    free(r);
    return rc;
}

int cmd_annexe(int argc, char **argv)
{
    static const struct option extra[] = {{"year", required_argument, NULL, OPT_YEAR},
                                          {"output", required_argument, NULL, OPT_OUTPUT},
                                          {"pdf", required_argument, NULL, OPT_PDF},
                                          {"notes", required_argument, NULL, OPT_NOTES},
                                          {"force", no_argument, NULL, OPT_FORCE},
                                          {0}};
    struct ax_opts o = {0};
    cli c;
    cli_short_output_option(argc, argv);
    int rc = cli_parse(&c, &argc, &argv, extra, on_opt, &o, help);
    if (rc == 0 && (argc || !o.year)) {
        fputs(help, stderr);
        rc = EXIT_USAGE;
    }
    if (rc == 0)
        rc = cli_format_refuse(&c, "annexe"); /* one HTML page (and PDF): no table, CSV or JSON */
    if (rc == 0)
        rc = cli_need_tenant(&c);
    char err[PATH_MAX + 256];
    const char *browser = NULL;
    for (int k = 0; rc == 0 && k < 2; k++) {
        const char *path = k ? o.pdf : o.output;
        if (path && outfile_check(path, o.force, err, sizeof err) != GL_OK) {
            cli_error("%s", err); /* before asking the daemon anything */
            rc = EXIT_USAGE;
        }
    }
    if (rc == 0 && o.pdf && !(browser = chromium_path())) {
        cli_error(
            "--pdf needs Chromium (/usr/bin/chromium), which is not installed; write the "
            "HTML page with -o and print it from a browser");
        rc = EXIT_USAGE;
    }
    ax_notes notes = {0};
    if (rc == 0)
        rc = load_notes(o.notes, &notes);
    if (rc == 0 && (rc = cli_connect(&c)) == 0) {
        rc = annexe(&c, &o, &notes, browser);
        cli_close(&c);
    }
    ax_notes_free(&notes);
    return rc < 0 ? 0 : rc;
}
