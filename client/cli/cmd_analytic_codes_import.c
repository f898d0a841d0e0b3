/*
 * client/cli/cmd_analytic_codes_import.c — `grandlivre analytic codes
 * import AXIS FILE.csv` (issue 19): the codes of an axis opened from a
 * file, code;label per line (a header "code;label" optional).  Every row
 * is checked first (a code of the protocol's syntax, in capitals; a label
 * neither blank nor too long; no code twice): a bad one names its line
 * and nothing is sent (966).  The axis must be open.  Then one
 * ANALYTIC_CODE_SET per code that is not already open with that label: a
 * file imported again sends nothing.
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
    N_("usage: grandlivre analytic codes import AXIS FILE.csv --tenant T\n"
       "\n"
       "Open the codes of axis AXIS listed in FILE (- for standard input): one code and\n"
       "its label per line, separated by ';' (or a tab, or ','), fields optionally in\n"
       "double quotes; a first line \"code;label\" is a header and skipped, as are empty\n"
       "lines and lines starting with '#'. Codes are written in capitals (A-Z, 0-9, _ .\n"
       "and -, the first a letter or a digit, at most 16 bytes). Every line is checked\n"
       "before anything is sent: a bad one is named with its line number (error 966)\n"
       "and nothing is opened. A code already open with the same label is left as it is;\n"
       "one with another label is relabelled; a closed one is opened again. The axis\n"
       "must be open (grandlivre analytic axis open AXIS --label TEXT).\n"
       "\n"
       "Example:\n"
       "  grandlivre analytic codes import action actions-2026.csv --tenant alpha\n"
       "  with actions-2026.csv:  code;label\n"
       "                          FSE-2026;Opération FSE 2026\n"
       "                          ACCUEIL;Accueil de jour\n");

typedef struct code_row {
    char code[GL_AN_CODE_MAX + 1];
    char *label; /* into the file's text */
    unsigned line;
} code_row;

static bool is_header(char **cells, int n)
{
    return n == 2 && !strcasecmp(cells[0], "code") &&
           (!strcasecmp(cells[1], "label") || !strcasecmp(cells[1], "libellé") ||
            !strcasecmp(cells[1], "libelle"));
}

static int check_row(const an_csv *f, char **cells, int n, code_row *rows, size_t count)
{
    code_row *r = &rows[count];
    if (n != 2)
        return an_csv_refused(f, _("expected two fields: code;label"));
    if (!an_upper(cells[0], r->code, sizeof r->code) ||
        !gl_an_code_valid((gl_str){r->code, strlen(r->code)}))
        return an_csv_refused(f, _("not an analytic code (A-Z, 0-9, _ . and -, the first a "
                                   "letter or a digit, at most 16)"));
    size_t len = strlen(cells[1]);
    if (!len)
        return an_csv_refused(f, _("the label is blank"));
    if (len > GL_LABEL_MAX || !gl_utf8_valid(cells[1], len))
        return an_csv_refused(f, _("the label is longer than 200 bytes or not UTF-8 text"));
    for (size_t i = 0; i < count; i++)
        if (!strcmp(rows[i].code, r->code)) {
            char why[160];
            snprintf(why, sizeof why, _("code %s already on line %u"), r->code, rows[i].line);
            return an_csv_refused(f, why);
        }
    r->label = cells[1];
    r->line = f->line;
    return 0;
}

/* Every row of the file into *rows (*n), checked. */
static int read_codes(an_csv *f, code_row **rows, size_t *n)
{
    size_t cap = 0;
    *rows = NULL;
    *n = 0;
    char *cells[3];
    int k;
    while ((k = an_csv_next(f, cells, 3)) != 0) {
        if (k < 0)
            return an_csv_refused(f, _("a quote is not closed"));
        if (*n == 0 && is_header(cells, k))
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            code_row *p = realloc(*rows, cap * sizeof *p);
            if (!p)
                return cli_nomem("the codes file");
            *rows = p;
        }
        if (*n == GL_AN_CODES_MAX)
            return an_csv_refused(f, _("more than 2000 codes for one axis"));
        int rc = check_row(f, cells, k, *rows, *n);
        if (rc)
            return rc;
        (*n)++;
    }
    return 0;
}

/* One CODE_SET per row not already open with its label. */
static int send_codes(cli *c, gl_an_call *k, const gl_an_axis_info *x, const code_row *rows,
                      size_t n, const an_csv *f)
{
    size_t sent = 0;
    for (size_t i = 0; i < n; i++) {
        const gl_an_code_info *have = gl_an_axis_code_find(x, rows[i].code);
        if (have && have->state == GL_AN_OPEN && !strcmp(have->label, rows[i].label))
            continue;
        gl_an_code_set_q q = {{x->axis, strlen(x->axis)},
                              {rows[i].code, strlen(rows[i].code)},
                              GL_AN_OPEN,
                              {rows[i].label, strlen(rows[i].label)}};
        int rc = an_report(c, k, gl_an_code_set(k, &q));
        if (rc) {
            cli_error(_("%s:%u: code %s refused; the %zu codes before it are open"), f->path,
                      rows[i].line, rows[i].code, sent);
            return rc;
        }
        sent++;
    }
    fprintf(stderr,
            PLURAL(sent, "grandlivre: %s: axis %s: %zu code opened or relabelled, %zu as given\n",
                   "grandlivre: %s: axis %s: %zu codes opened or relabelled, %zu as given\n"),
            c->tenant, x->axis, sent, n - sent);
    return 0;
}

int cmd_analytic_codes_import(int argc, char **argv)
{
    an_opts o;
    cli c;
    int rc = an_parse(&c, &argc, &argv, 0, &o, _(help), 3);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (strcmp(argv[0], "import")) {
        fputs(_(help), stderr);
        return EXIT_USAGE;
    }
    const char *axis = argv[1];
    if ((rc = cli_format_refuse(&c, "analytic codes import")))
        return rc;
    an_csv f;
    code_row *rows = NULL;
    size_t n = 0;
    if ((rc = an_csv_open(&f, argv[2])) || (rc = read_codes(&f, &rows, &n))) {
        free(rows);
        an_csv_close(&f);
        return rc;
    }
    gl_an_call k = {0};
    gl_an_axes axes = {0};
    if (!(rc = an_connect(&c, &k)))
        rc = an_report(&c, &k, gl_an_axes_get(&k, &axes));
    const gl_an_axis_info *x = rc ? NULL : gl_an_axes_find(&axes, axis);
    if (!rc && (!x || x->state != GL_AN_OPEN)) {
        cli_error("error %d %s: %s — %s", GL_ERR_ANALYTIC_AXIS_UNKNOWN,
                  gl_status_name(GL_ERR_ANALYTIC_AXIS_UNKNOWN),
                  _(gl_status_message(GL_ERR_ANALYTIC_AXIS_UNKNOWN)), axis);
        rc = EXIT_REFUSED;
    }
    if (!rc)
        rc = send_codes(&c, &k, x, rows, n, &f);
    gl_an_axes_free(&axes);
    gl_an_call_done(&k);
    free(rows);
    an_csv_close(&f);
    cli_close(&c);
    return rc;
}
