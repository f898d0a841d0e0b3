/*
 * client/cli/cmd_analytic_allocate.c — `grandlivre analytic allocate
 * FILE.csv` (issue 19, PROTOCOL.md §5.50): codes given afterwards to
 * lines already posted, by one signed ANALYTIC_ALLOC (never an edit of
 * the entry), all or nothing.  One row per line and axis:
 * entry;line;axis;codes (2026/123;2;action;FSE:60%,VILLE:40%), codes "-"
 * removing that axis's allocation.  Every row is checked first (the
 * reference, the line within its entry, the axis, the codes spec for the
 * line's amount, read from the daemon with ENTRY_GET, one per entry): a
 * bad one names its file line and nothing is sent (966); a refusal of the
 * daemon names the file line of the row at fault.
 */
#include "cmd_analytic.h"

#include "i18n.h"
#include "plural.h"

#include "proto/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char help[] =
    N_("usage: grandlivre analytic allocate FILE.csv --tenant T\n"
       "\n"
       "Allocate lines already posted to analytic codes: one signed allocation, never\n"
       "an edit of the entries, recorded whole or not at all. FILE (- for standard\n"
       "input) has one row per line and axis, separated by ';' (or a tab, or ','):\n"
       "  entry;line;axis;codes\n"
       "  2026/123;2;action;FSE-2026\n"
       "  2026/123;2;financeur;FSE:60%,VILLE:40%\n"
       "  2026/130;1;action;-\n"
       "entry is FY/NUM, line its 1-based line, codes one code (the whole line), a\n"
       "distribution in percentages (summing to 100 %, turned into cents by the\n"
       "recharge's exact rule) or in amounts (summing to the line's amount, decimal\n"
       "point), or - to remove the allocation of that axis. A header row naming the\n"
       "columns, empty lines and lines starting with '#' are skipped. An allocation\n"
       "replaces an earlier one of the same line and axis. Refused: a line that does\n"
       "not exist, of an à-nouveaux or closing entry; an axis the entry's line already\n"
       "carries (correct the entry by a reversal); a code not open; the same line and\n"
       "axis twice. Allowed in locked periods and closed years: it changes the\n"
       "analysis, never the accounts. Every row is checked before anything is sent; a\n"
       "refusal names the file's line. At most 10000 rows per file.\n"
       "\n"
       "Example:\n"
       "  grandlivre analytic allocate allocations-2025.csv --tenant alpha\n");

/* The line amounts of an entry, asked once. */
typedef struct entry_lines {
    uint16_t fy;
    uint32_t num;
    size_t n;
    int64_t *amounts_cents;
} entry_lines;

typedef struct alloc_file {
    an_csv f;
    gl_an_alloc_row *rows;
    unsigned *lines; /* the file line of each row */
    size_t n, cap;
    entry_lines *entries;
    size_t nentries, entries_cap;
} alloc_file;

static void alloc_free(alloc_file *a)
{
    for (size_t i = 0; i < a->nentries; i++)
        free(a->entries[i].amounts_cents);
    free(a->entries);
    free(a->rows);
    free(a->lines);
    an_csv_close(&a->f);
}

static bool is_header(char **cells, int n)
{
    return n == 4 && !strcasecmp(cells[0], "entry") && !strcasecmp(cells[1], "line");
}

/* The amounts of fy/num's lines: asked of the daemon the first time. */
static int entry_get(cli *c, gl_an_call *k, alloc_file *a, uint16_t fy, uint32_t num,
                     const entry_lines **out)
{
    for (size_t i = a->nentries; i-- > 0;)
        if (a->entries[i].fy == fy && a->entries[i].num == num) {
            *out = &a->entries[i];
            return 0;
        }
    if (a->nentries == a->entries_cap) {
        size_t cap = a->entries_cap ? a->entries_cap * 2 : 32;
        entry_lines *p = realloc(a->entries, cap * sizeof *p);
        if (!p)
            return cli_nomem("the allocation file");
        a->entries = p;
        a->entries_cap = cap;
    }
    entry_lines *e = &a->entries[a->nentries];
    *e = (entry_lines){fy, num, 0, malloc(GL_LINES_MAX * sizeof *e->amounts_cents)};
    if (!e->amounts_cents)
        return cli_nomem("the allocation file");
    int rc = an_report(c, k, gl_an_entry_amounts(k, fy, num, e->amounts_cents, &e->n));
    if (rc) {
        free(e->amounts_cents);
        cli_error(_("%s:%u: entry %u/%u: nothing was allocated"), a->f.path, a->f.line, fy, num);
        return rc;
    }
    *out = &a->entries[a->nentries++];
    return 0;
}

static int add_row(alloc_file *a)
{
    if (a->n == GL_AN_ALLOC_MAX)
        return an_csv_refused(&a->f, _("more than 10000 rows: split the file (each file is "
                                       "recorded whole or not at all)"));
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 64;
        gl_an_alloc_row *r = realloc(a->rows, cap * sizeof *r);
        if (r)
            a->rows = r;
        unsigned *l = r ? realloc(a->lines, cap * sizeof *l) : NULL;
        if (!l)
            return cli_nomem("the allocation file");
        a->lines = l;
        a->cap = cap;
    }
    memset(&a->rows[a->n], 0, sizeof a->rows[a->n]);
    a->lines[a->n] = a->f.line;
    return 0;
}

/* The same line and axis on an earlier row: its file line, else 0. */
static unsigned earlier(const alloc_file *a, const gl_an_alloc_row *r)
{
    for (size_t i = 0; i < a->n; i++) {
        const gl_an_alloc_row *x = &a->rows[i];
        const gl_str *ax = &x->codes.axes[0].axis, *rx = &r->codes.axes[0].axis;
        if (x->fy == r->fy && x->num == r->num && x->line == r->line && ax->len == rx->len &&
            !memcmp(ax->ptr, rx->ptr, ax->len))
            return a->lines[i];
    }
    return 0;
}

static int check_row(cli *c, gl_an_call *k, alloc_file *a, char **cells, int n)
{
    if (n != 4)
        return an_csv_refused(&a->f, _("expected four fields: entry;line;axis;codes"));
    int rc = add_row(a);
    gl_an_alloc_row *r = rc ? NULL : &a->rows[a->n];
    const char *rest;
    char *end;
    if (rc)
        return rc;
    if (cli_entry_ref_parse(cells[0], &r->fy, &r->num, &rest) || *rest)
        return an_csv_refused(&a->f, _("the entry is not FY/NUM (2026/123)"));
    unsigned long line = strtoul(cells[1], &end, 10);
    if (*end || !cells[1][0] || line == 0 || line > GL_LINES_MAX)
        return an_csv_refused(&a->f, _("the line is not a line number (1, 2...)"));
    r->line = (uint16_t)line;
    const entry_lines *e = NULL;
    if ((rc = entry_get(c, k, a, r->fy, r->num, &e)))
        return rc;
    if (!e || line > e->n)
        return an_csv_refused(&a->f, _("the entry has no such line"));
    gl_an_spec_error err;
    if (gl_an_spec_parse((gl_str){cells[2], strlen(cells[2])}, cells[3], strlen(cells[3]),
                         e->amounts_cents[line - 1], GL_AN_SPEC_REMOVE, &r->codes.axes[0],
                         &err) != GL_OK) {
        char why[GL_AN_SPEC_DETAIL_MAX + 256];
        return an_csv_refused(&a->f, gl_an_spec_error_text(&err, _(err.reason), why, sizeof why));
    }
    r->codes.naxes = 1;
    unsigned before = earlier(a, r);
    if (before) {
        char why[160];
        snprintf(why, sizeof why, _("the same line and axis as line %u"), before);
        return an_csv_refused(&a->f, why);
    }
    a->n++;
    return 0;
}

static int read_rows(cli *c, gl_an_call *k, alloc_file *a)
{
    char *cells[5];
    int n;
    while ((n = an_csv_next(&a->f, cells, 5)) != 0) {
        if (n < 0)
            return an_csv_refused(&a->f, _("a quote is not closed"));
        if (a->n == 0 && is_header(cells, n))
            continue;
        int rc = check_row(c, k, a, cells, n);
        if (rc)
            return rc;
    }
    if (!a->n)
        return an_csv_refused(&a->f, _("no allocation in the file"));
    return 0;
}

static int send(cli *c, gl_an_call *k, alloc_file *a)
{
    int rc = an_report(c, k, gl_an_alloc_send(k, a->rows, a->n));
    uint32_t item = k->resp.reply.err_item;
    if (rc && item && item <= a->n)
        cli_error(_("%s:%u: the row refused; nothing was allocated"), a->f.path,
                  a->lines[item - 1]);
    else if (rc)
        cli_error(_("%s: nothing was allocated"), a->f.path);
    else
        fprintf(stderr,
                PLURAL(a->n, "grandlivre: %s: %zu allocation recorded (%zu entries)\n",
                       "grandlivre: %s: %zu allocations recorded (%zu entries)\n"),
                c->tenant, a->n, a->nentries);
    return rc;
}

int cmd_analytic_allocate(int argc, char **argv)
{
    an_opts o;
    cli c;
    int rc = an_parse(&c, &argc, &argv, 0, &o, _(help), 1);
    if (rc)
        return rc < 0 ? 0 : rc;
    if ((rc = cli_format_refuse(&c, "analytic allocate")))
        return rc;
    alloc_file a = {0};
    gl_an_call k = {0};
    if (!(rc = an_csv_open(&a.f, argv[0])) && !(rc = an_connect(&c, &k)) &&
        !(rc = read_rows(&c, &k, &a)))
        rc = send(&c, &k, &a);
    gl_an_call_done(&k);
    alloc_free(&a);
    cli_close(&c);
    return rc;
}
