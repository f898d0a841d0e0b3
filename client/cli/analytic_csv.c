/*
 * client/cli/analytic_csv.c — the CSV files of `grandlivre analytic`
 * (codes import, allocate) read row by row with the file's line numbers,
 * and their refusals (966 analytic_file, naming the line): every row is
 * checked before anything is sent, so a refused file sends nothing.
 */
#include "cmd_analytic.h"

#include "client/input/entries_csv.h"
#include "i18n.h"

#include "proto/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int an_csv_open(an_csv *f, const char *path)
{
    size_t len;
    memset(f, 0, sizeof *f);
    f->path = path;
    if (!(f->text = cli_read_file(path, &len)))
        return EXIT_USAGE;
    if (strlen(f->text) != len) {
        free(f->text);
        f->text = NULL;
        cli_error(_("%s: not a text file (a NUL byte)"), path);
        return EXIT_USAGE;
    }
    f->p = f->text;
    if (!strncmp(f->p, "\xEF\xBB\xBF", 3))
        f->p += 3;
    const char *first = f->p; /* the first line with content */
    while (*first == '#' || *first == '\n' || *first == '\r') {
        const char *nl = strchr(first, '\n');
        first = nl ? nl + 1 : first + strlen(first);
    }
    size_t n = strcspn(first, "\n");
    f->sep = memchr(first, ';', n) ? ';' : memchr(first, '\t', n) ? '\t' : ',';
    return 0;
}

int an_csv_next(an_csv *f, char **cells, int max)
{
    while (f->p && *f->p) {
        f->line++;
        bool comment = *f->p == '#';
        int n = cli_csv_split(&f->p, f->sep, cells, max);
        if (n < 0)
            return -1;
        if (comment)
            continue;
        bool empty = true;
        for (int i = 0; i < n; i++) {
            gl_field_trim(cells[i]);
            empty &= !cells[i][0];
        }
        if (!empty)
            return n;
    }
    return 0;
}

void an_csv_close(an_csv *f)
{
    free(f->text);
    f->text = f->p = NULL;
}

int an_csv_refused(const an_csv *f, const char *why)
{
    cli_error("%s:%u: error %d %s: %s — %s", f->path, f->line, GL_ERR_ANALYTIC_FILE,
              gl_status_name(GL_ERR_ANALYTIC_FILE), _(gl_status_message(GL_ERR_ANALYTIC_FILE)),
              why);
    return EXIT_USAGE;
}
