/*
 * client/cli/cmd_budget_import.c — `grandlivre budget import FILE.csv
 * --year Y` (issue 19, PROTOCOL.md §5.57): the budgets of a year from a
 * file, action;group;amount per line (a header line allowed; ';', a tab
 * or ',' between cells, as the analytic files), one BUDGET_SET per action
 * of the file.  All or nothing: every row is checked (its action, group
 * and amount, each action's groups together) and every action found open
 * before anything is sent, a refusal naming the file's line; if the
 * daemon still refuses one action, the versions recorded before it are
 * put back (their previous rows recorded again, or withdrawn when there
 * were none), so that the latest versions are what they were.
 */
#include "cmd_grants.h"

#include "i18n.h"

#include "proto/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define IMPORT_ROWS_MAX (GL_BUDGET_ROWS_MAX * 64) /* rows of one file */

typedef struct import_row {
    char action[GL_AN_CODE_MAX + 1];
    unsigned line;
    gl_budget_line row;
} import_row;

typedef struct import_file {
    import_row *rows;
    size_t n;
} import_file;

static int row_cmp(const void *a, const void *b)
{
    const import_row *x = a, *y = b;
    int c = strcmp(x->action, y->action);
    if (!c)
        c = strcmp(x->row.group, y->row.group);
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* A first row naming its columns (action;group;amount, or in French
 * action;groupe;montant: its first cell "action" and no digit in its
 * amount's) is a header. */
static bool header(char **cells, size_t read)
{
    return read == 0 && !strcasecmp(cells[0], "action") && !strpbrk(cells[2], "0123456789");
}

/* One row into out (its action in capitals): 0, or the refusal. */
static int row_read(const an_csv *f, char **cells, int ncells, import_row *out)
{
    char why[256];
    if (ncells != 3)
        return an_csv_refused(f, _("a row is action;group;amount"));
    if (!an_upper(cells[0], out->action, sizeof out->action) ||
        !gl_an_code_valid((gl_str){out->action, strlen(out->action)})) {
        snprintf(why, sizeof why, _("'%s' is not an action code"), cells[0]);
        return an_csv_refused(f, why);
    }
    if (!budget_row_parse(cells[1], cells[2], &out->row, why, sizeof why))
        return an_csv_refused(f, why);
    out->line = f->line;
    return 0;
}

static int file_read(const char *path, import_file *in)
{
    an_csv f;
    int rc = an_csv_open(&f, path);
    if (rc)
        return rc;
    if (!(in->rows = calloc(IMPORT_ROWS_MAX, sizeof *in->rows))) {
        an_csv_close(&f);
        return cli_nomem("the budget file");
    }
    char *cells[4];
    int n;
    while (!rc && (n = an_csv_next(&f, cells, 4)) != 0) {
        if (n < 0)
            rc = an_csv_refused(&f, _("a quote is not closed"));
        else if (n == 3 && header(cells, in->n))
            continue;
        else if (in->n == IMPORT_ROWS_MAX)
            rc = an_csv_refused(&f, _("too many rows"));
        else if (!(rc = row_read(&f, cells, n, &in->rows[in->n])))
            in->n++;
    }
    an_csv_close(&f);
    return rc;
}

/* The line of the file a refusal names. */
static int line_refused(const char *path, unsigned line, const char *why)
{
    an_csv f = {.path = path, .line = line};
    return an_csv_refused(&f, why);
}

/* Each action's rows together: none twice, none starting with another,
 * the sum in range.  lines gets the rows in the file's sorted order. */
static int actions_check(const char *path, const import_file *in, gl_budget_line *lines)
{
    char why[256];
    for (size_t i = 0; i < in->n; i++)
        lines[i] = in->rows[i].row;
    for (size_t start = 0, end; start < in->n; start = end) {
        for (end = start + 1; end < in->n && !strcmp(in->rows[end].action, in->rows[start].action);)
            end++;
        if (end - start > GL_BUDGET_ROWS_MAX)
            return line_refused(path, in->rows[end - 1].line,
                                _("more than 500 rows for an action"));
        size_t bad = budget_rows_ok(lines + start, end - start, why, sizeof why);
        if (bad)
            return line_refused(path, in->rows[start + bad - 1].line, why);
    }
    return 0;
}

/* Every action of the file open on the axis action. */
static int actions_open(cli *c, gl_an_call *k, const char *path, const import_file *in)
{
    gl_an_axes axes;
    int rc = an_report(c, k, gl_an_axes_get(k, &axes));
    if (rc)
        return rc;
    const gl_an_axis_info *x = gl_an_axes_find(&axes, GL_GRANT_ACTION_AXIS);
    for (size_t i = 0; !rc && i < in->n; i++) {
        const gl_an_code_info *ci = gl_an_axis_code_find(x, in->rows[i].action);
        if (!x || x->state != GL_AN_OPEN || !ci || ci->state != GL_AN_OPEN) {
            char why[128];
            snprintf(why, sizeof why, _("action %s is not open on the axis action"),
                     in->rows[i].action);
            rc = line_refused(path, in->rows[i].line, why);
        }
    }
    gl_an_axes_free(&axes);
    return rc;
}

/* The first `done` actions put back as `before` holds them. */
static void put_back(gl_an_call *k, const import_file *in, size_t done, uint16_t fy,
                     const gl_budget_list *before)
{
    gl_response saved = k->resp; /* the refusal, reported after */
    int saved_status = k->call_status;
    uint64_t saved_id = k->last_id;
    memset(&k->resp, 0, sizeof k->resp);
    size_t back = 0;
    for (size_t i = 0, actions = 0; i < in->n && actions < done; i++) {
        if (i && !strcmp(in->rows[i].action, in->rows[i - 1].action))
            continue;
        actions++;
        const gl_budget_info *b = gl_budget_list_find(before, in->rows[i].action, fy);
        back +=
            gl_budget_set(k, in->rows[i].action, fy, b ? b->rows : NULL, b ? b->nrows : 0) == GL_OK;
    }
    gl_response_free(&k->resp);
    k->resp = saved;
    k->call_status = saved_status;
    k->last_id = saved_id;
    cli_warn(_("%zu of the %zu budgets recorded before the refusal put back as they were"), back,
             done);
}

/* One BUDGET_SET per action, in action order. */
static int send_all(cli *c, gl_an_call *k, const import_file *in, const gl_budget_line *lines,
                    uint16_t fy, const gl_budget_list *before)
{
    size_t done = 0;
    for (size_t start = 0, end; start < in->n; start = end) {
        for (end = start + 1; end < in->n && !strcmp(in->rows[end].action, in->rows[start].action);)
            end++;
        int st = gl_budget_set(k, in->rows[start].action, fy, lines + start, end - start);
        if (st != GL_OK) {
            if (done)
                put_back(k, in, done, fy, before);
            return an_report(c, k, st);
        }
        done++;
    }
    fprintf(stderr, _("grandlivre: %s: budgets of %zu actions for %u recorded\n"), c->tenant, done,
            (unsigned)fy);
    return 0;
}

int budget_import(cli *c, const char *path, uint16_t fy)
{
    import_file in = {0};
    gl_budget_line *lines = NULL;
    gl_an_call k = {0};
    gl_budget_list before = {0};
    int rc = file_read(path, &in);
    if (!rc && !in.n) {
        cli_error(_("%s: no budget row"), path);
        rc = EXIT_USAGE;
    }
    if (!rc)
        qsort(in.rows, in.n, sizeof *in.rows, row_cmp);
    if (!rc && !(lines = calloc(in.n, sizeof *lines)))
        rc = cli_nomem("the budget file");
    if (!rc)
        rc = actions_check(path, &in, lines);
    if (!rc && !(rc = an_connect(c, &k)) && !(rc = actions_open(c, &k, path, &in)) &&
        !(rc = an_report(c, &k, gl_budgets_get(&k, fy, NULL, &before))))
        rc = send_all(c, &k, &in, lines, fy, &before);
    gl_budget_list_free(&before);
    gl_an_call_done(&k);
    free(lines);
    free(in.rows);
    return rc;
}
