/*
 * client/cli/cmd_export.c — what auditors take away: `grandlivre fec export`
 * (the FEC of one fiscal year, the file a French tax audit asks for) and
 * `grandlivre export hledger` (a journal that hledger reads, so that a
 * second, independent tool reproduces the trial balance).
 *
 * Both read the ledger the same way: PERIODS for the tenant's identity
 * (SIREN, first month of the fiscal year) and its years (closed or not),
 * ACCOUNTS_LIST for the chart's labels, then JOURNAL pages (with the letter
 * code and date of each line) in number order; the daemon's watermark keeps
 * every page on the same state of the ledger.  Entries are written as they
 * arrive (a large year is never held whole in memory) through the atomic
 * output writer (outfile.h): a reader never sees half a file, an existing
 * file is replaced only with --force, and a symbolic link is never
 * followed.  Which tenants a key may export is the daemon's business (a
 * member its own, the accountant and auditors any): the client asks, the
 * daemon refuses.
 *
 * hledger account types (declared with each account):
 *   E  equity, classes 10-14 (fonds propres, report à nouveau, résultat,
 *      subventions d'investissement, provisions réglementées)
 *   L  the rest of class 1 (15 provisions, 16-17 debts, 18, 19 fonds dédiés);
 *      class 4 by default (suppliers, staff, social bodies, State...); 519
 *   A  classes 2 and 3; class 5 (50, 54, 58, 59); the debit-side accounts of
 *      class 4: 409, 41 (except 419), 425, 4287, 4387, 441 (except 4419),
 *      4456, 4487, 461, 4687, 476, 481, 486, 49
 *   C  cash (an asset for hledger): 51 (except 519) and 53
 *   X  class 6 and 86 (emplois des contributions volontaires en nature)
 *   R  class 7 and 87 (contributions volontaires en nature)
 *   (none) the rest of class 8 and class 9: in no report of type.
 * 86 and 87 always balance (a year cannot close otherwise), so counting
 * them in the income statement leaves its net, the year's result, as is.
 */
#include "an_postings.h"
#include "an_shares.h"
#include "cli.h"
#include "cli_replies.h"
#include "outfile.h"
#include "cli_files.h"
#include "group_balance.h"

#include "client/fec/fec_write.h"
#include "client/input/chart.h"
#include "client/output/progress.h"
#include "proto/date.h"
#include "proto/entry.h"
#include "proto/group.h"
#include "proto/limits.h"
#include "proto/money.h"
#include "proto/query.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char fec_help[] =
    "usage: grandlivre fec export --tenant T --year YYYY [-o DIR] [--force]\n"
    "                             [--sep tab|pipe] [--encoding iso-8859-15|utf-8]\n"
    "\n"
    "Write the FEC (Fichier des Écritures Comptables, LPF art. A47 A-1) of tenant\n"
    "T's fiscal year YYYY (named by the calendar year it ends in) to\n"
    "DIR/<SIREN>FEC<AAAAMMJJ>.txt, AAAAMMJJ being the year's closing date (DIR:\n"
    "default the current directory), and print the file's path.\n"
    "\n"
    "The 18 columns of the regulation after a header line; a tab (default) or '|'\n"
    "between fields; ISO 8859-15 (default: a character it lacks is refused and the\n"
    "entry named) or UTF-8; dates AAAAMMJJ; amounts 1234,56 (0,00 on the other\n"
    "side); LF line ends. One line per entry line in the ledger's number order\n"
    "(the validation order); EcritureNum is the ledger's continuous number. The\n"
    "à-nouveaux are included; the result-closing entry (classes 6 and 7 into\n"
    "120/129, numbered last in its year) is left out. EcritureLet and DateLet\n"
    "carry the lettering; ValidDate is the day the daemon recorded the entry\n"
    "(French time); CompteLib is the chart's label; JournalLib comes from the usual\n"
    "codes (AN À-nouveaux, AC Achats, VT and VE Ventes, BQ Banque, OD Opérations\n"
    "diverses, SA Salaires, CV Contributions volontaires, CL Clôture; another code\n"
    "is its own label). A year not yet closed is exported too: the file is\n"
    "provisional, and standard error says so. The file is written under a\n"
    "temporary name and renamed: an existing file is never overwritten unless\n"
    "--force, and a symbolic link there is refused even with --force (never\n"
    "followed). A member may export its own tenant; the accountant and auditors\n"
    "any.\n"
    "\n"
    "Round trip: 'fec import' of a file then 'fec export' of the same year gives\n"
    "back the same lines in the same order, with these normalisations:\n"
    "  EcritureNum    the ledger's numbers (1, 2, 3... in the file's entry order),\n"
    "                 not the file's (often numbered per journal)\n"
    "  JournalLib     from the table above, not the file's\n"
    "  ValidDate      the file's (kept in the entry); the day of the import\n"
    "                 (the recording) where the file had none\n"
    "  CompteLib      the chart's label (--open-accounts opens missing accounts\n"
    "                 with the file's; existing accounts keep theirs)\n"
    "  Debit, Credit  1234,56 (a dot or a single decimal is rewritten; a\n"
    "                 Montant/Sens file comes back as Debit/Credit)\n"
    "  PieceRef, PieceDate  the entry's (its first line's); an empty PieceDate\n"
    "                 becomes EcritureDate\n"
    "  EcritureLib    an empty one becomes the entry's label (its first line's)\n"
    "  EcritureLet    the ledger's own codes (A, B... per account): each group\n"
    "                 of the file that sums to zero comes back as one code\n"
    "  DateLet        the file's (the latest of its group's lines)\n"
    "  Montantdevise, Idevise  left empty\n"
    "  text           spaces around fields trimmed; account numbers and journal\n"
    "                 codes upper-cased; charset, separator and line ends as asked\n"
    "--format csv or json is refused (975 format_unsupported): the FEC is the format.\n";

static const char hledger_help[] =
    "usage: grandlivre export hledger (--tenant T | --group) [--year YYYY] [-o FILE]\n"
    "                                 [--force] [--with-closing]\n"
    "\n"
    "Write a journal that hledger reads (hledger check -s passes) to FILE\n"
    "(default: standard output; a FILE is written under a temporary name and\n"
    "renamed, an existing one is replaced only with --force, and a symbolic link\n"
    "at FILE is refused even with --force: never followed).\n"
    "\n"
    "--year YYYY: the fiscal year YYYY only (each tenant's year named YYYY);\n"
    "without it, every fiscal year. Each year opens with its à-nouveaux, as in\n"
    "the ledger: ask hledger one fiscal year at a time (-p 2025, or -b and -e for a\n"
    "year starting in another month). The result-closing entries are left out, as\n"
    "in 'grandlivre balance' and the FEC (so 'hledger is' shows the year's result);\n"
    "--with-closing writes them too, tagged closing:result.\n"
    "\n"
    "Each account is declared with its chart label (a standard account whose label\n"
    "is still a standard one with the label of the chart of the fiscal year\n"
    "exported, without --year of the last one: 747000 is \"Quote-part des\n"
    "subventions d'investissement...\" from 2025) and an account type:\n"
    "  E  10-14 (equity)\n"
    "  L  15-19, and class 4 by default; 519\n"
    "  A  classes 2, 3 and 5; in class 4 the debit-side accounts 409, 41 (not 419),\n"
    "     425, 4287, 4387, 441 (not 4419), 4456, 4487, 461, 4687, 476, 481, 486, 49\n"
    "  C  cash: 51 (not 519) and 53\n"
    "  X  class 6 and 86;   R  class 7 and 87;   other class 8 and 9: no type\n"
    "so that 'hledger bs', 'hledger is' and 'hledger cf' work. A transaction per\n"
    "entry: its date, '*', the entry number as code '(2025/17)', the entry label\n"
    "(';' written ','), tags journal: and piece: (piece_date: when it differs,\n"
    "reverses:, opening: on à-nouveaux written by a close). A posting per line:\n"
    "the account, the amount in EUR with two decimals (credits negative), and the\n"
    "auxiliary account as a tag, aux:CODE (so 'hledger bal' is the trial balance\n"
    "and 'hledger bal tag:aux=U00012' one third party), the letter code as letter:,\n"
    "the auxiliary account's label as third_party: and the line's own label as\n"
    "label:. Labels and piece references are written only as tag values (or as\n"
    "the description), where hledger reads no tag: a label 'x, aux:Y' makes no\n"
    "aux tag. In tag values a ',' (which would end the value) is written ';'.\n"
    "\n"
    "Analytic codes (grandlivre analytic) are tags named by their axis: a line\n"
    "carrying one code per axis gets e.g. 'action:FSE-2026, financeur:FSE'; a\n"
    "line distributed over several codes is written as several postings of the\n"
    "same account, one per share (the shares of every axis laid end to end and\n"
    "cut where any axis changes code, so each posting has one code per axis), so\n"
    "that the journal still balances and 'hledger bal tag:action=FSE-2026' is the\n"
    "code's figure in 'grandlivre analytic balance'. Codes given afterwards by an\n"
    "allocation are tagged the same way, as they stand when the export is made.\n"
    "hledger matches tag names and values as regular expressions anywhere in the\n"
    "text: tag:action=^FSE-2026$ for that code alone.\n"
    "\n"
    "--group: every tenant of the group (the accountant and auditors only), each\n"
    "account prefixed with the tenant, e.g. agiie:606100, and each transaction\n"
    "tagged tenant:, so that 'hledger bal agiie:' is agiie's trial balance.\n"
    "--format csv or json is refused (975 format_unsupported).\n";

enum { OPT_YEAR = 4000, OPT_SEP, OPT_ENCODING, OPT_OUTPUT, OPT_FORCE, OPT_GROUP, OPT_WITH_CLOSING };

struct export_opts {
    int year;
    gl_fec_format fmt;
    const char *output;
    bool force, group, with_closing;
    /* fec export into a stream instead of a file (grandlivre web's
     * download): the FEC's legal name is copied into name (name_cap bytes)
     * and nothing is printed on standard output */
    FILE *to;
    char *name;
    size_t name_cap;
};

static int on_opt(int opt, const char *arg, void *user)
{
    struct export_opts *o = user;
    char *end;
    switch (opt) {
    case OPT_YEAR:
        errno = 0;
        o->year = (int)strtol(arg, &end, 10);
        if (errno || *end || o->year < 1900 || o->year > 2999) {
            cli_error("--year takes a fiscal year such as 2025 (the calendar year it ends in)");
            return EXIT_USAGE;
        }
        return 0;
    case OPT_SEP:
        if (!strcmp(arg, "tab"))
            o->fmt.sep = '\t';
        else if (!strcmp(arg, "pipe") || !strcmp(arg, "|"))
            o->fmt.sep = '|';
        else {
            cli_error("--sep takes tab or pipe");
            return EXIT_USAGE;
        }
        return 0;
    case OPT_ENCODING:
        if (!strcmp(arg, "iso-8859-15") || !strcmp(arg, "latin9") || !strcmp(arg, "latin-9"))
            o->fmt.charset = GL_FEC_OUT_LATIN9;
        else if (!strcmp(arg, "utf-8") || !strcmp(arg, "utf8"))
            o->fmt.charset = GL_FEC_OUT_UTF8;
        else {
            cli_error("--encoding takes iso-8859-15 or utf-8");
            return EXIT_USAGE;
        }
        return 0;
    case OPT_OUTPUT: o->output = arg; return 0;
    case OPT_FORCE: o->force = true; return 0;
    case OPT_GROUP: o->group = true; return 0;
    case OPT_WITH_CLOSING: o->with_closing = true; return 0;
    default: return EXIT_USAGE;
    }
}

/* ------------------------------------------------------------------ */
/* What the daemon tells about a tenant                                */
/* ------------------------------------------------------------------ */

typedef struct year_info {
    uint16_t fy;
    uint32_t from, to, entries;
    bool closed;
} year_info;

typedef struct tenant_info {
    char name[256], siren[256];
    unsigned first_month;
    year_info *years;
    size_t year_count;
} tenant_info;

static void copy_str(char *dst, size_t size, gl_str s)
{
    snprintf(dst, size, "%.*s", (int)s.len, s.ptr);
}

/* PERIODS: the tenant's identity and fiscal years.  0 or an exit code. */
static int fetch_tenant(cli *c, const char *tenant, tenant_info *ti)
{
    memset(ti, 0, sizeof *ti);
    gl_response resp;
    gl_reply_periods p;
    int rc = cli_periods(c, tenant, &resp, &p);
    if (rc == 0) {
        copy_str(ti->name, sizeof ti->name, p.name);
        copy_str(ti->siren, sizeof ti->siren, p.siren);
        ti->first_month = p.first_month;
        ti->years = calloc(p.count ? p.count : 1, sizeof *ti->years);
        if (!ti->years) {
            cli_error("out of memory");
            rc = EXIT_USAGE;
        }
        gl_reply_periods_iter it;
        gl_reply_periods_row row;
        gl_reply_periods_iter_init(&it, &p);
        while (rc == 0 && gl_reply_periods_next(&it, &row) == 1) {
            year_info *y = &ti->years[ti->year_count++];
            y->fy = row.fy;
            y->from = row.start;
            y->to = row.end;
            y->entries = row.last_num;
            y->closed = row.closed != 0;
        }
    }
    gl_response_free(&resp);
    return rc;
}

static const year_info *find_year(const tenant_info *ti, uint16_t fy)
{
    for (size_t i = 0; i < ti->year_count; i++)
        if (ti->years[i].fy == fy)
            return &ti->years[i];
    return NULL;
}

/* The chart: account numbers and labels, sorted by account. */
typedef struct chart_row {
    char *account;
    char *label;
} chart_row;

typedef struct chart {
    chart_row *rows;
    size_t count;
} chart;

static int cmp_row(const void *a, const void *b)
{
    return strcmp(((const chart_row *)a)->account, ((const chart_row *)b)->account);
}

static void chart_free(chart *ch)
{
    for (size_t i = 0; i < ch->count; i++) {
        free(ch->rows[i].account);
        free(ch->rows[i].label);
    }
    free(ch->rows);
    ch->rows = NULL;
    ch->count = 0;
}

/* ACCOUNTS_LIST.  0 or an exit code (ch left empty). */
static int fetch_chart(cli *c, const char *tenant, chart *ch)
{
    memset(ch, 0, sizeof *ch);
    gl_response resp;
    int rc = cli_call(c, GL_KIND_ACCOUNTS_LIST, tenant, NULL, 0, &resp);
    if (rc == 0) {
        gl_reply_accounts_list list;
        int st = gl_reply_accounts_list_decode(gl_reply_view(resp.reply.body, resp.reply.body_len),
                                               &list);
        if (st == GL_OK)
            ch->rows = calloc(list.count ? list.count : 1, sizeof *ch->rows);
        if (!ch->rows)
            rc = EXIT_REFUSED;
        gl_reply_accounts_list_iter it;
        gl_reply_accounts_list_row row;
        gl_reply_accounts_list_iter_init(&it, &list);
        while (rc == 0 && gl_reply_accounts_list_next(&it, &row) == 1) {
            gl_str a = row.account, l = row.label;
            if (a.len > GL_ACCOUNT_MAX) {
                st = GL_ERR_STRING_TOO_LONG;
                break;
            }
            chart_row *r = &ch->rows[ch->count];
            r->account = strndup(a.ptr, a.len);
            r->label = strndup(l.ptr, l.len);
            if (!r->account || !r->label) {
                free(r->account);
                free(r->label);
                rc = EXIT_REFUSED;
                break;
            }
            ch->count++;
        }
        if (rc == 0 && st != GL_OK)
            rc = EXIT_REFUSED;
        if (rc != 0) {
            cli_error("cannot read the daemon's reply (accounts of %s)", tenant);
            chart_free(ch);
        } else {
            qsort(ch->rows, ch->count, sizeof *ch->rows, cmp_row);
        }
    }
    gl_response_free(&resp);
    return rc;
}

/* Standard labels as the chart of the fiscal year starting on fy_start
 * words them (a tenant's own labels kept): CompteLib of a 2025-chart year
 * says "Quote-part des subventions d'investissement…" for 747000. */
static int chart_year_labels(chart *ch, uint32_t fy_start)
{
    for (size_t i = 0; i < ch->count; i++) {
        chart_row *r = &ch->rows[i];
        const char *l = gl_chart_label_for_year(r->account, strlen(r->account), r->label, fy_start);
        if (l != r->label) {
            char *copy = strdup(l);
            if (!copy)
                return EXIT_REFUSED;
            free(r->label);
            r->label = copy;
        }
    }
    return 0;
}

/* gl_fec_label_fn over a chart. */
static gl_str chart_label(void *user, gl_str account)
{
    const chart *ch = user;
    size_t lo = 0, hi = ch->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *a = ch->rows[mid].account;
        int cmp = strncmp(a, account.ptr, account.len);
        if (cmp == 0)
            cmp = a[account.len] ? 1 : 0;
        if (cmp == 0)
            return (gl_str){ch->rows[mid].label, strlen(ch->rows[mid].label)};
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (gl_str){"", 0};
}

/* ------------------------------------------------------------------ */
/* Journal pages                                                       */
/* ------------------------------------------------------------------ */

/* Called for every entry in number order; returns 0 or an exit code. */
typedef int (*entry_fn)(void *user, const gl_fec_entry_meta *m, const gl_entry *e);

struct walk {
    gl_fec_letter *letters; /* GL_LINES_MAX */
    entry_fn fn;
    void *user;
};

/* One JOURNAL row to w->fn, its letters (asked with GL_JOURNAL_LETTERS)
 * copied into w->letters. */
static int walk_row(void *user, const gl_reply_journal_row *row)
{
    struct walk *w = user;
    gl_fec_entry_meta m = {
        .letters = w->letters, .fy = row->fy, .num = row->num, .recorded_ms = row->recorded_ms};
    gl_reply_letter_iter li;
    gl_reply_letter l;
    gl_reply_journal_letters(row, &li);
    for (uint16_t i = 0; gl_reply_letter_next(&li, &l) == 1; i++) {
        w->letters[i].code = l.code;
        w->letters[i].date = l.date;
    }
    return w->fn(w->user, &m, &row->entry);
}

/* Every entry of tenant dated from..to, in number order, to fn. */
static int walk_journal(cli *c, const char *tenant, uint32_t from, uint32_t to, entry_fn fn,
                        void *user)
{
    struct walk w = {calloc(GL_LINES_MAX, sizeof *w.letters), fn, user};
    if (!w.letters) {
        cli_error("out of memory");
        return EXIT_USAGE;
    }
    gl_journal_q q = {.from = from, .to = to, .limit = GL_PAGE_MAX, .flags = GL_JOURNAL_LETTERS};
    int rc = cli_journal(c, tenant, &q, walk_row, &w);
    if (rc < 0) {
        cli_error("cannot read the daemon's reply (journal of %s)", tenant);
        rc = EXIT_REFUSED;
    }
    free(w.letters);
    return rc;
}

/* ------------------------------------------------------------------ */
/* fec export                                                          */
/* ------------------------------------------------------------------ */

#define FLUSH_BYTES (1u << 20)

typedef struct fec_state {
    gl_fec_format fmt;
    const chart *ch;
    gl_buf buf;
    FILE *f;
    uint16_t fy;
    uint32_t expect_num; /* the next number, for the continuity check */
    uint32_t closing_num;
    size_t entries, lines, gaps;
    gl_progress bar;
} fec_state;

static int fec_entry(void *user, const gl_fec_entry_meta *m, const gl_entry *e)
{
    fec_state *s = user;
    char err[256];
    if (m->fy != s->fy)
        return 0;
    if (s->closing_num || m->num != s->expect_num)
        s->gaps++; /* nothing may follow the result-closing entry, nor be missing */
    s->expect_num = m->num + 1;
    if (e->flags & GL_ENTRY_RESULT_CLOSING) {
        s->closing_num = m->num;
        return 0;
    }
    int n = gl_fec_put_entry(&s->buf, &s->fmt, e, m, chart_label, (void *)s->ch, err, sizeof err);
    if (n < 0) {
        cli_error("fec export: %s%s; nothing was written", err,
                  n == GL_FEC_UNREPRESENTABLE ? " (--encoding utf-8 keeps every character)"
                  : n == GL_FEC_SEPARATOR     ? " (--sep tab avoids it)"
                                              : "");
        return EXIT_USAGE;
    }
    s->entries++;
    s->lines += (size_t)n;
    gl_progress_set(&s->bar, s->entries);
    if (s->buf.len >= FLUSH_BYTES) {
        if (fwrite(s->buf.data, 1, s->buf.len, s->f) != s->buf.len) {
            cli_error("fec export: write error: %s", strerror(errno));
            return EXIT_USAGE;
        }
        gl_buf_reset(&s->buf);
    }
    return 0;
}

static int fec_export(cli *c, const struct export_opts *o)
{
    tenant_info ti;
    chart ch = {0};
    int rc = fetch_tenant(c, c->tenant, &ti);
    char name[64], path[PATH_MAX], err[PATH_MAX + 256];
    uint32_t from = 0, to = 0;
    if (rc == 0) {
        from = gl_fiscal_year_start((uint16_t)o->year, ti.first_month);
        to = gl_fiscal_year_end((uint16_t)o->year, ti.first_month);
        if (gl_fec_file_name(ti.siren, to, name, sizeof name) != 0) {
            cli_error(
                "fec export: %s has no valid SIREN ('%s'): set it in the daemon's configuration",
                c->tenant, ti.siren);
            rc = EXIT_USAGE;
        }
    }
    if (rc == 0 && o->to)
        snprintf(o->name, o->name_cap, "%s", name);
    if (rc == 0 && !o->to) {
        int n = snprintf(path, sizeof path, "%s/%s", o->output ? o->output : ".", name);
        struct stat sb;
        if (n < 0 || (size_t)n >= sizeof path) {
            cli_error("fec export: the output directory name is too long");
            rc = EXIT_USAGE;
        } else if (stat(o->output ? o->output : ".", &sb) != 0 || !S_ISDIR(sb.st_mode)) {
            cli_error("fec export: %s is not a directory", o->output ? o->output : ".");
            rc = EXIT_USAGE;
        } else if (outfile_check(path, o->force, err, sizeof err) != GL_OK) {
            cli_error("fec export: %s", err);
            rc = EXIT_USAGE;
        }
    }
    const year_info *y = rc == 0 ? find_year(&ti, (uint16_t)o->year) : NULL;
    if (rc == 0 && !y) {
        cli_error("fec export: fiscal year %d of %s holds no entries", o->year, c->tenant);
        rc = EXIT_USAGE;
    }
    if (rc == 0)
        rc = fetch_chart(c, c->tenant, &ch);
    if (rc == 0)
        rc = chart_year_labels(&ch, from);
    outfile of = {.dir_fd = -1, .f = o->to};
    if (rc == 0 && !o->to &&
        outfile_open(&of, path, OUTFILE_MODE_PUBLIC, o->force, err, sizeof err) != GL_OK) {
        cli_error("fec export: %s", err);
        rc = EXIT_USAGE;
    }
    fec_state s = {.fmt = o->fmt, .ch = &ch, .f = of.f, .fy = (uint16_t)o->year, .expect_num = 1};
    gl_buf_init(&s.buf);
    if (rc == 0) {
        gl_fec_put_header(&s.buf, &s.fmt);
        gl_progress_start(&s.bar, "fec export", "entries", y->entries);
        rc = walk_journal(c, c->tenant, from, to, fec_entry, &s);
        gl_progress_finish(&s.bar);
    }
    if (rc == 0 && (!gl_buf_ok(&s.buf) || fwrite(s.buf.data, 1, s.buf.len, of.f) != s.buf.len)) {
        cli_error("fec export: cannot write %s: %s", path, strerror(errno));
        rc = EXIT_USAGE;
    }
    if (rc == 0 && s.gaps) {
        cli_error(
            "fec export: the numbering of fiscal year %d is not continuous; nothing was written",
            o->year);
        rc = EXIT_REFUSED;
    }
    if (rc == 0 && !o->to && outfile_commit(&of, err, sizeof err) != GL_OK) {
        cli_error("fec export: %s", err);
        rc = EXIT_USAGE;
    }
    if (!o->to)
        outfile_abort(&of); /* removes the temporary file unless committed */
    gl_buf_free(&s.buf);
    if (rc == 0) {
        fprintf(
            stderr,
            "grandlivre: fec export: %s fiscal year %d (%u-%02u-%02u to %u-%02u-%02u): %zu entries, %zu lines%s\n",
            c->tenant, o->year, from / 10000, from / 100 % 100, from % 100, to / 10000,
            to / 100 % 100, to % 100, s.entries, s.lines,
            s.closing_num ? ", the result-closing entry left out" : "");
        if (!y->closed)
            fprintf(
                stderr,
                "grandlivre: fec export: fiscal year %d of %s is not closed: this FEC is PROVISIONAL\n",
                o->year, c->tenant);
        if (!o->to)
            printf("%s\n", path);
    }
    chart_free(&ch);
    free(ti.years);
    return rc;
}

int cli_fec_export_to(cli *c, int year, FILE *f, char *name, size_t name_cap)
{
    struct export_opts o = {.year = year,
                            .fmt = {'\t', GL_FEC_OUT_LATIN9},
                            .to = f,
                            .name = name,
                            .name_cap = name_cap};
    name[0] = '\0';
    return fec_export(c, &o);
}

/* `grandlivre fec export ...`: argv[0] is "export". */
int cmd_fec_export(int argc, char **argv)
{
    static const struct option extra[] = {{"year", required_argument, NULL, OPT_YEAR},
                                          {"sep", required_argument, NULL, OPT_SEP},
                                          {"encoding", required_argument, NULL, OPT_ENCODING},
                                          {"output", required_argument, NULL, OPT_OUTPUT},
                                          {"force", no_argument, NULL, OPT_FORCE},
                                          {0}};
    struct export_opts o = {.fmt = {'\t', GL_FEC_OUT_LATIN9}};
    cli c;
    cli_short_output_option(argc, argv);
    int rc = cli_parse(&c, &argc, &argv, extra, on_opt, &o, fec_help);
    if (rc == 0)
        rc = cli_format_refuse(&c, "fec export (the FEC's format is the law's)");
    if (rc)
        return rc < 0 ? 0 : rc;
    if (argc || !o.year) {
        if (!o.year)
            cli_error("fec export: --year is required");
        fputs(fec_help, stderr);
        return EXIT_USAGE;
    }
    if ((rc = cli_need_tenant(&c)) || (rc = cli_connect(&c)))
        return rc;
    rc = fec_export(&c, &o);
    cli_close(&c);
    return rc;
}

/* ------------------------------------------------------------------ */
/* export hledger                                                      */
/* ------------------------------------------------------------------ */

static bool starts(const char *account, const char *prefix)
{
    return strncmp(account, prefix, strlen(prefix)) == 0;
}

/* The hledger account type of an account number (see the top of the file),
 * or 0 for none. */
static char hledger_type(const char *a)
{
    static const char *const debit_side_4[] = {"409",  "41",  "425",  "4287", "4387", "441", "4456",
                                               "4487", "461", "4687", "476",  "481",  "486", "49"};
    switch (a[0]) {
    case '1': return a[1] >= '0' && a[1] <= '4' ? 'E' : 'L';
    case '2':
    case '3': return 'A';
    case '4':
        if (starts(a, "419") || starts(a, "4419"))
            return 'L';
        for (size_t i = 0; i < sizeof debit_side_4 / sizeof debit_side_4[0]; i++)
            if (starts(a, debit_side_4[i]))
                return 'A';
        return 'L';
    case '5':
        if (starts(a, "519"))
            return 'L';
        return starts(a, "51") || starts(a, "53") ? 'C' : 'A';
    case '6': return 'X';
    case '7': return 'R';
    case '8': return starts(a, "86") ? 'X' : starts(a, "87") ? 'R' : 0;
    default: return 0;
    }
}

/* s with every `from` byte written `to`. */
static void put_replaced(FILE *f, gl_str s, char from, char to)
{
    for (size_t i = 0; i < s.len; i++)
        fputc(s.ptr[i] == from ? to : s.ptr[i], f);
}

/* Text that members wrote (labels, piece references, aux codes) goes into
 * a comment only as the value of a tag of ours.  hledger reads tags in
 * every comment: a NAME:VALUE whose NAME is the last word before a ':' and
 * whose VALUE runs to the next ',' or the end of the line.  Free text in a
 * comment would make a tag of any "word:" in it (a label "x, aux:PROXIM"
 * would tag the posting aux:PROXIM, and `closing:` would fake a closing
 * entry); inside a value a ':' is plain text, so it is enough to write the
 * value's ',' as ';' (the only byte that ends a value: the protocol admits
 * no line break in text).  The text stays readable, and no tag name of
 * ours holds another (hledger matches tag names as regular expressions:
 * tag:aux must not find the aux's label, hence third_party:). The entry's
 * own label is the transaction's description, where hledger reads no tags
 * (its ';' would start the comment, so it is written ','). */
static void put_tag(FILE *f, const char **sep, const char *name, gl_str value)
{
    fprintf(f, "%s%s:", *sep, name);
    put_replaced(f, value, ',', ';');
    *sep = ", ";
}

typedef struct hl_state {
    FILE *f;
    const char *prefix; /* "agiie:" with --group, else "" */
    const char *tenant;
    bool group, with_closing;
    size_t entries, left_out;
    an_shares allocs; /* the tenant's allocated shares (an_shares.h) */
} hl_state;

static void hl_date(FILE *f, uint32_t ymd)
{
    fprintf(f, "%04u-%02u-%02u", ymd / 10000, ymd / 100 % 100, ymd % 100);
}

/* One posting of line l (amount signed_cents) with its tags, the codes
 * of its axes[0..naxes) those of segment seg (NULL: none). */
static void hl_posting(hl_state *s, const gl_fec_entry_meta *m, const gl_entry *e, const gl_line *l,
                       uint16_t n, int64_t signed_cents, const gl_an_split *axes, size_t naxes,
                       const an_segment *seg)
{
    FILE *f = s->f;
    char amount[GL_MONEY_TEXT_MAX], account[GL_TENANT_MAX + GL_ACCOUNT_MAX + 2];
    snprintf(account, sizeof account, "%s%.*s", s->prefix, (int)l->account.len, l->account.ptr);
    fprintf(f, "    %-28s  %18s EUR", account,
            gl_money_format(signed_cents, GL_MONEY_PLAIN, amount));
    const gl_fec_letter *let = &m->letters[n];
    bool own_label = l->label.len && !(l->label.len == e->label.len &&
                                       !memcmp(l->label.ptr, e->label.ptr, l->label.len));
    const char *sep = "  ; ";
    if (l->aux.len)
        put_tag(f, &sep, "aux", l->aux);
    if (let->code.len) {
        put_tag(f, &sep, "letter", let->code);
        fputs(", letter_date:", f);
        hl_date(f, let->date);
    }
    if (l->aux_label.len)
        put_tag(f, &sep, "third_party", l->aux_label);
    if (own_label)
        put_tag(f, &sep, "label", l->label);
    for (size_t a = 0; seg && a < naxes; a++) {
        char name[GL_AN_AXIS_MAX + 1];
        snprintf(name, sizeof name, "%.*s", (int)axes[a].axis.len, axes[a].axis.ptr);
        put_tag(f, &sep, name, axes[a].shares[seg->code[a]].code);
    }
    fputc('\n', f);
}

static int split_axis_cmp(const void *pa, const void *pb)
{
    const gl_an_split *a = pa, *b = pb;
    size_t n = a->axis.len < b->axis.len ? a->axis.len : b->axis.len;
    int c = memcmp(a->axis.ptr, b->axis.ptr, n);
    return c ? c : (a->axis.len > b->axis.len) - (a->axis.len < b->axis.len);
}

/* The axes of line n of entry m: those its entry carries, then those
 * allocated to it (the daemon refuses an allocation of a carried axis),
 * by axis name.  Their number. */
static size_t hl_line_axes(const hl_state *s, const gl_fec_entry_meta *m, const gl_line *l,
                           uint16_t n, gl_an_split axes[AN_POSTING_AXES_MAX])
{
    gl_analytic own;
    size_t count = 0;
    if (l->ext_len && gl_line_analytic(l->ext, l->ext_len, &own))
        for (uint8_t i = 0; i < own.naxes && count < AN_POSTING_AXES_MAX; i++)
            axes[count++] = own.axes[i];
    size_t k;
    const an_share *r = an_shares_of_line(&s->allocs, m->fy, m->num, (uint16_t)(n + 1), &k);
    for (size_t i = 0; i < k; i++) {
        bool same = i && !strcmp(r[i].axis, r[i - 1].axis);
        if (!same && count == AN_POSTING_AXES_MAX)
            break;
        gl_an_split *x = same ? &axes[count - 1] : &axes[count++];
        if (!same)
            *x = (gl_an_split){.axis = {r[i].axis, strlen(r[i].axis)}};
        if (x->count < GL_AN_SPLIT_MAX)
            x->shares[x->count++] =
                (gl_an_share){{r[i].code, strlen(r[i].code)},
                              r[i].signed_cents < 0 ? -r[i].signed_cents : r[i].signed_cents};
    }
    if (count > 1)
        qsort(axes, count, sizeof *axes, split_axis_cmp);
    return count;
}

/* Line n: one posting, tagged with one code per axis; a line distributed
 * on some axis, one posting per segment (an_postings.h), so that the
 * journal still balances and each code's postings sum to its share. */
static void hl_line(hl_state *s, const gl_fec_entry_meta *m, const gl_entry *e, const gl_line *l,
                    uint16_t n)
{
    gl_an_split axes[AN_POSTING_AXES_MAX];
    an_segment segs[AN_SEGMENTS_MAX];
    size_t naxes = hl_line_axes(s, m, l, n, axes);
    size_t nseg = naxes ? an_segments(axes, naxes, l->amount_cents, segs) : 0;
    int64_t sign = l->side == GL_SIDE_DEBIT ? 1 : -1;
    if (!nseg)
        hl_posting(s, m, e, l, n, sign * l->amount_cents, NULL, 0, NULL);
    for (size_t i = 0; i < nseg; i++)
        hl_posting(s, m, e, l, n, sign * segs[i].cents, axes, naxes, &segs[i]);
}

static int hl_entry(void *user, const gl_fec_entry_meta *m, const gl_entry *e)
{
    hl_state *s = user;
    FILE *f = s->f;
    if ((e->flags & GL_ENTRY_RESULT_CLOSING) && !s->with_closing) {
        s->left_out++;
        return 0;
    }
    fputc('\n', f);
    hl_date(f, e->date);
    fprintf(f, " * (%u/%u) ", m->fy, m->num);
    put_replaced(f, e->label, ';', ',');
    const char *sep = "  ; ";
    put_tag(f, &sep, "journal", e->journal);
    put_tag(f, &sep, "piece", e->piece_ref);
    if (e->piece_date != e->date) {
        fputs(", piece_date:", f);
        hl_date(f, e->piece_date);
    }
    if (e->reverses_num)
        fprintf(f, ", reverses:%u/%u", e->reverses_fy, e->reverses_num);
    if (e->flags & GL_ENTRY_OPENING)
        fputs(", opening:", f);
    if (e->flags & GL_ENTRY_RESULT_CLOSING)
        fputs(", closing:result", f);
    if (s->group)
        fprintf(f, ", tenant:%s", s->tenant);
    fputc('\n', f);
    gl_line_iter it;
    gl_line l;
    gl_line_iter_init(&it, e);
    for (uint16_t n = 0; gl_line_next(&it, &l); n++)
        hl_line(s, m, e, &l, n);
    s->entries++;
    return ferror(f) ? EXIT_USAGE : 0;
}

/* GROUP_BALANCE names every tenant of the group (the umbrella first): its
 * first page of one row is enough.  *names gets up to max ids.  0 or an
 * exit code. */
static int fetch_group(cli *c, char names[][GL_TENANT_MAX + 1], size_t max, size_t *count)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_group_balance_q q = {.at = cli_today(), .limit = 1};
    gl_group_balance_q_encode(&body, &q);
    gl_response resp = {0};
    int rc = gl_buf_ok(&body) ? cli_call(c, GL_KIND_GROUP_BALANCE, "", body.data, body.len, &resp)
                              : EXIT_USAGE;
    gl_buf_free(&body);
    *count = 0;
    if (rc == 0) {
        group_balance *g = calloc(1, sizeof *g);
        int st = g ? group_balance_page(g, resp.reply.body, resp.reply.body_len) : GL_ERR_NOMEM;
        if (st != GL_OK)
            rc = cli_local_error(st, g ? g->why : "");
        for (size_t i = 0; rc == 0 && i < g->entities && *count < max; i++)
            memcpy(names[(*count)++], g->ids[i], GL_TENANT_MAX + 1);
        if (rc == 0 && *count < g->entities)
            rc = cli_local_error(GL_ERR_ANSWER_TOO_LARGE,
                                 "more tenants in the group than the export holds");
        if (g)
            group_balance_free(g);
        free(g);
    }
    gl_response_free(&resp);
    return rc;
}

static int hledger_tenant(cli *c, const struct export_opts *o, const char *tenant, hl_state *s)
{
    tenant_info ti;
    chart ch;
    int rc = fetch_tenant(c, tenant, &ti);
    if (rc == 0)
        rc = fetch_chart(c, tenant, &ch);
    if (rc) {
        free(ti.years);
        return rc;
    }
    char prefix[GL_TENANT_MAX + 2] = "";
    if (o->group)
        snprintf(prefix, sizeof prefix, "%s:", tenant);
    FILE *f = s->f;
    uint32_t from = 0, to = 0;
    if (o->year) {
        from = gl_fiscal_year_start((uint16_t)o->year, ti.first_month);
        to = gl_fiscal_year_end((uint16_t)o->year, ti.first_month);
    } else if (ti.year_count) {
        from = ti.years[0].from;
        to = ti.years[0].to;
        for (size_t i = 1; i < ti.year_count; i++) {
            from = ti.years[i].from < from ? ti.years[i].from : from;
            to = ti.years[i].to > to ? ti.years[i].to : to;
        }
    }
    /* standard labels as the chart of the (last) fiscal year exported words
     * them: the accounts are declared once for the whole journal */
    uint16_t label_fy =
        o->year ? (uint16_t)o->year : gl_fiscal_year(to ? to : cli_today(), ti.first_month);
    uint32_t label_start = gl_fiscal_year_start(label_fy, ti.first_month);
    rc = chart_year_labels(&ch, label_start);
    fprintf(f, "\n; %s: %s, SIREN %s, fiscal years from month %u", tenant, ti.name, ti.siren,
            ti.first_month);
    if (from)
        fprintf(f, "; entries dated %u-%02u-%02u to %u-%02u-%02u", from / 10000, from / 100 % 100,
                from % 100, to / 10000, to / 100 % 100, to % 100);
    fputc('\n', f);
    for (size_t i = 0; i < ti.year_count; i++) {
        const year_info *y = &ti.years[i];
        if (!o->year || y->fy == o->year)
            fprintf(f, "; fiscal year %u: %s\n", y->fy,
                    y->closed ? "closed" : "open (provisional)");
    }
    fprintf(f, "; account labels: the chart of fiscal year %u (%s)\n", label_fy,
            gl_chart_for_start(label_start).source);
    for (size_t i = 0; i < ch.count; i++) {
        char t = hledger_type(ch.rows[i].account);
        fprintf(f, "account %s%s", prefix, ch.rows[i].account);
        const char *sep = "  ; ";
        if (t) {
            fprintf(f, "%stype: %c", sep, t);
            sep = ", ";
        }
        if (ch.rows[i].label[0])
            put_tag(f, &sep, "label", (gl_str){ch.rows[i].label, strlen(ch.rows[i].label)});
        fputc('\n', f);
    }
    s->prefix = prefix;
    s->tenant = tenant;
    if (rc == 0 && from)
        rc = an_shares_fetch(c, tenant, from, to, 1u << GL_AN_SOURCE_ALLOC, &s->allocs);
    if (rc == 0 && from)
        rc = walk_journal(c, tenant, from, to, hl_entry, s);
    an_shares_free(&s->allocs);
    if (rc == 0 && ferror(f)) {
        cli_error("export hledger: write error: %s", strerror(errno));
        rc = EXIT_USAGE;
    }
    chart_free(&ch);
    free(ti.years);
    return rc;
}

/* The umbrella and its members. */
#define GROUP_TENANTS_MAX (GL_GROUP_MEMBERS_MAX + 1)

static int hledger_export(cli *c, const struct export_opts *o)
{
    char names[GROUP_TENANTS_MAX][GL_TENANT_MAX + 1];
    size_t count = 0;
    int rc = 0;
    if (o->group) {
        rc = fetch_group(c, names, GROUP_TENANTS_MAX, &count);
    } else {
        snprintf(names[0], sizeof names[0], "%s", c->tenant);
        count = 1;
    }
    outfile of = {.dir_fd = -1};
    char err[PATH_MAX + 256];
    if (rc == 0 && o->output &&
        outfile_open(&of, o->output, OUTFILE_MODE_PUBLIC, o->force, err, sizeof err) != GL_OK) {
        cli_error("export hledger: %s", err);
        rc = EXIT_USAGE;
    }
    if (rc)
        return rc;
    hl_state s = {
        .f = o->output ? of.f : stdout, .group = o->group, .with_closing = o->with_closing};
    fprintf(s.f, "; Grand Livre: hledger journal of %s", o->group ? "the group" : c->tenant);
    if (o->year)
        fprintf(s.f, ", fiscal year %d", o->year);
    fprintf(
        s.f,
        "\n; amounts in EUR, debit positive; the result-closing entries %s\n"
        "; account types: E 10-14; L 15-19, class 4 by default, 519; A classes 2, 3, 5 and the\n"
        "; debit-side accounts of class 4; C 51 and 53; X class 6 and 86; R class 7 and 87\n"
        "commodity 1000.00 EUR\n",
        o->with_closing ? "are included (tagged closing:result)" : "are left out");
    for (size_t i = 0; rc == 0 && i < count; i++)
        rc = hledger_tenant(c, o, names[i], &s);
    if (rc == 0 && (fflush(s.f) != 0 || ferror(s.f))) {
        cli_error("export hledger: write error: %s", strerror(errno));
        rc = EXIT_USAGE;
    }
    if (rc == 0 && o->output && outfile_commit(&of, err, sizeof err) != GL_OK) {
        cli_error("export hledger: %s", err);
        rc = EXIT_USAGE;
    }
    outfile_abort(&of); /* removes the temporary file unless committed */
    if (rc == 0)
        fprintf(stderr, "grandlivre: export hledger: %zu entries of %zu tenant(s)%s%s%s\n",
                s.entries, count, s.left_out ? ", the result-closing entries left out" : "",
                o->output ? " to " : "", o->output ? o->output : "");
    return rc;
}

/* `grandlivre export hledger ...`: argv[0] is "export". */
int cmd_export(int argc, char **argv)
{
    static const struct option extra[] = {{"year", required_argument, NULL, OPT_YEAR},
                                          {"output", required_argument, NULL, OPT_OUTPUT},
                                          {"force", no_argument, NULL, OPT_FORCE},
                                          {"group", no_argument, NULL, OPT_GROUP},
                                          {"with-closing", no_argument, NULL, OPT_WITH_CLOSING},
                                          {0}};
    if (argc < 2 || strcmp(argv[1], "hledger") != 0) {
        bool help = argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"));
        fputs(hledger_help, help ? stdout : stderr);
        if (help)
            fputs("\nSee also 'grandlivre fec export --help'.\n", stdout);
        return help ? 0 : EXIT_USAGE;
    }
    argc--;
    argv++;
    struct export_opts o = {0};
    cli c;
    cli_short_output_option(argc, argv);
    int rc = cli_parse(&c, &argc, &argv, extra, on_opt, &o, hledger_help);
    if (rc == 0)
        rc = cli_format_refuse(&c, "export hledger (hledger's journal is the format)");
    if (rc)
        return rc < 0 ? 0 : rc;
    if (argc) {
        fputs(hledger_help, stderr);
        return EXIT_USAGE;
    }
    if ((!o.group && (rc = cli_need_tenant(&c))) || (rc = cli_connect(&c)))
        return rc;
    rc = hledger_export(&c, &o);
    cli_close(&c);
    return rc;
}
