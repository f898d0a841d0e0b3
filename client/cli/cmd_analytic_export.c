/*
 * client/cli/cmd_analytic_export.c — `grandlivre analytic export FILE
 * [--year Y]`: the analytic file beside the FEC (issue 19).  The FEC
 * itself stays the regulation's 18 columns, untouched; the analysis of
 * its lines goes into this separate file, one row per share, keyed to the
 * FEC by JournalCode, EcritureNum and LigneNum (the line's 1-based place
 * in its entry, the order the FEC writes them), in the FEC's conventions:
 * a header line, tab or '|' between fields, dates AAAAMMJJ, amounts with
 * a decimal comma and no thousands separator, LF line ends.  Every field
 * is a code (journal, account, axis, analytic code: ASCII by their
 * rules), so the file reads the same in ISO 8859-15 and UTF-8.
 *
 * The shares come from the daemon's analytic ledger (an_shares.h): those a
 * line carries in its entry (Source "entry") and those an allocation gave
 * it afterwards (Source "allocation"), as they stand now.  A line not
 * analysed on an axis has no row for it.  Per account and code, the rows
 * sum to the analytic balance (tested).
 */
#include "an_shares.h"
#include "cli.h"
#include "cli_replies.h"
#include "i18n.h"
#include "outfile.h"

#include "client/fec/fec_write.h"
#include "proto/date.h"
#include "proto/money.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    N_("usage: grandlivre analytic export FILE [--year YYYY] [--sep tab|pipe] [--force]\n"
       "\n"
       "Write the analytic file of the tenant's ledger beside its FEC: the FEC keeps\n"
       "the regulation's 18 columns (grandlivre fec export), and the analysis of its\n"
       "lines goes here, one row per share of a line on an axis. The columns:\n"
       "  JournalCode     the entry's journal, as in the FEC\n"
       "  EcritureNum     the entry's number in the ledger, as in the FEC\n"
       "  EcritureDate    the entry's date, AAAAMMJJ\n"
       "  CompteNum       the line's account\n"
       "  LigneNum        the line's place in its entry (1, 2...: the FEC's order)\n"
       "  Axe             the analytic axis (action, financeur, salarie...)\n"
       "  CodeAnalytique  the code of that axis\n"
       "  Montant         the share, 1234,56 (decimal comma, no thousands separator)\n"
       "  Sens            D (debit) or C (credit), the line's side\n"
       "  Source          entry (the entry carries the code) or allocation (given\n"
       "                  afterwards by 'grandlivre analytic allocate')\n"
       "A header line first; a tab (default) or '|' between fields; LF line ends;\n"
       "rows in the FEC's order (entry number, line), then by axis and code. A line\n"
       "distributed over several codes has one row per code, their amounts summing\n"
       "exactly to the line's; a line not analysed on an axis has no row for it.\n"
       "Summed per account and code, the rows give 'grandlivre analytic balance'.\n"
       "\n"
       "--year YYYY: fiscal year YYYY only (named by the calendar year it ends in,\n"
       "as fec export); without it, every year. FILE '-' is standard output;\n"
       "otherwise FILE is written under a temporary name and renamed, an existing\n"
       "one replaced only with --force (a symbolic link is never followed).\n"
       "--format csv or json is refused (975 format_unsupported): this is the format.\n");

enum { OPT_YEAR = 4600 + 40, OPT_SEP, OPT_FORCE };

struct export_opts {
    int year;
    char sep;
    bool force;
};

/* A fiscal year 1900-2999, the whole argument: true and *year. */
static bool year_arg(const char *arg, int *year)
{
    char *end;
    errno = 0;
    long y = strtol(arg, &end, 10);
    *year = (int)y;
    return !errno && !*end && end != arg && y >= 1900 && y <= 2999;
}

static int on_opt(int opt, const char *arg, void *user)
{
    struct export_opts *o = user;
    if (opt == OPT_FORCE) {
        o->force = true;
    } else if (opt == OPT_YEAR && !year_arg(arg, &o->year)) {
        cli_error(_("--year takes a fiscal year such as 2026 (the calendar year it ends in)"));
        return EXIT_USAGE;
    } else if (opt == OPT_SEP) {
        bool tab = !strcmp(arg, "tab"), pipe = !strcmp(arg, "pipe") || !strcmp(arg, "|");
        if (!tab && !pipe) {
            cli_error(_("--sep takes tab or pipe"));
            return EXIT_USAGE;
        }
        o->sep = tab ? '\t' : '|';
    } else if (opt != OPT_YEAR) {
        return EXIT_USAGE;
    }
    return 0;
}

static const char *const columns[] = {"JournalCode", "EcritureNum", "EcritureDate",   "CompteNum",
                                      "LigneNum",    "Axe",         "CodeAnalytique", "Montant",
                                      "Sens",        "Source"};

/* One share's row, fields joined by sep. */
static void put_row(gl_buf *b, char sep, const an_share *s)
{
    char date[9], amount[GL_MONEY_TEXT_MAX], text[256];
    int64_t cents = s->signed_cents < 0 ? -s->signed_cents : s->signed_cents;
    int n = snprintf(text, sizeof text, "%s%c%u%c%s%c%s%c%u%c%s%c%s%c%s%c%c%c%s\n", s->journal, sep,
                     (unsigned)s->num, sep, gl_fec_date(s->date, date), sep, s->account, sep,
                     (unsigned)s->line, sep, s->axis, sep, s->code, sep,
                     gl_fec_amount(cents, amount), sep, s->signed_cents < 0 ? 'C' : 'D', sep,
                     s->source == GL_AN_SOURCE_ALLOC ? "allocation" : "entry");
    gl_put_bytes(b, text, n > 0 && (size_t)n < sizeof text ? (size_t)n : 0);
}

/* The file's bytes into b: the header, then the rows of fiscal year
 * `year` (0: all). *rows and *allocated count them. */
static void build(gl_buf *b, char sep, const an_shares *s, int year, size_t *rows,
                  size_t *allocated)
{
    for (size_t i = 0; i < sizeof columns / sizeof columns[0]; i++) {
        if (i)
            gl_put_u8(b, (uint8_t)sep);
        gl_put_bytes(b, columns[i], strlen(columns[i]));
    }
    gl_put_u8(b, '\n');
    *rows = *allocated = 0;
    for (size_t i = 0; i < s->count; i++) {
        if (year && s->rows[i].fy != year)
            continue;
        put_row(b, sep, &s->rows[i]);
        ++*rows;
        *allocated += s->rows[i].source == GL_AN_SOURCE_ALLOC;
    }
}

static int write_out(const char *path, const gl_buf *b, bool force)
{
    char err[PATH_MAX + 256];
    if (!gl_buf_ok(b))
        return cli_nomem(_("the analytic file"));
    if (!strcmp(path, "-")) {
        if (fwrite(b->data, 1, b->len, stdout) != b->len || fflush(stdout) != 0) {
            cli_error(_("analytic export: write error: %s"), strerror(errno));
            return EXIT_USAGE;
        }
        return 0;
    }
    if (outfile_write(path, b->data, b->len, OUTFILE_MODE_PUBLIC, force, err, sizeof err) !=
        GL_OK) {
        cli_error(_("analytic export: %s"), err);
        return EXIT_USAGE;
    }
    return 0;
}

static int export_file(cli *c, const char *path, const struct export_opts *o)
{
    uint32_t from = 0, to = 0;
    if (o->year) {
        unsigned first_month;
        int rc = cli_first_month(c, &first_month);
        if (rc)
            return rc;
        from = gl_fiscal_year_start((uint16_t)o->year, first_month);
        to = gl_fiscal_year_end((uint16_t)o->year, first_month);
    }
    an_shares s;
    int rc = an_shares_fetch(c, c->tenant, from, to,
                             1u << GL_AN_SOURCE_ENTRY | 1u << GL_AN_SOURCE_ALLOC, &s);
    if (rc)
        return rc;
    gl_buf b;
    gl_buf_init(&b);
    size_t rows, allocated;
    build(&b, o->sep, &s, o->year, &rows, &allocated);
    rc = write_out(path, &b, o->force);
    if (rc == 0)
        fprintf(stderr,
                _("grandlivre: analytic export: %s: %zu shares (%zu by allocation) to %s\n"),
                c->tenant, rows, allocated, strcmp(path, "-") ? path : _("standard output"));
    gl_buf_free(&b);
    an_shares_free(&s);
    return rc;
}

/* `grandlivre analytic export ...`: argv[0] is "export". */
int cmd_analytic_export(int argc, char **argv)
{
    static const struct option extra[] = {{"year", required_argument, NULL, OPT_YEAR},
                                          {"sep", required_argument, NULL, OPT_SEP},
                                          {"force", no_argument, NULL, OPT_FORCE},
                                          {0}};
    struct export_opts o = {.sep = '\t'};
    cli c;
    int rc = cli_parse(&c, &argc, &argv, extra, on_opt, &o, _(help));
    if (rc == 0)
        rc = cli_format_refuse(&c, "analytic export");
    if (rc)
        return rc < 0 ? 0 : rc;
    if (argc != 1) {
        fputs(_(help), stderr);
        return EXIT_USAGE;
    }
    if ((rc = cli_need_tenant(&c)) || (rc = cli_connect(&c)))
        return rc;
    rc = export_file(&c, argv[0], &o);
    cli_close(&c);
    return rc;
}
