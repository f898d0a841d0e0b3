/*
 * client/cli/third_parties_csv.c — `third-parties import FILE.csv`: a
 * header naming the columns (code, name, kind, collective, siret, address,
 * email, iban, terms_days, natural_person; code, name and collective
 * required), ';' or ',' separated (the header says which), fields
 * optionally in double quotes ("" for a quote).  Every row is checked
 * before anything is sent: a bad one names its line and column, and
 * nothing is imported (964).  The rows then go as THIRD_PARTY_SET requests
 * (add or replace) of at most GL_TP_SET_MAX records.
 */
#include "cli.h"
#include "i18n.h"
#include "third_parties.h"

#include "proto/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TP_COLS_MAX 16

int cli_csv_split(char **p, char sep, char **cells, int max)
{
    int n = 0;
    char *s = *p, *out;
    for (;;) {
        char *cell = out = s;
        if (*s == '"') {
            for (s++;; s++) {
                if (!*s)
                    return -1;
                if (*s == '"' && s[1] == '"')
                    *out++ = *s++;
                else if (*s == '"') {
                    s++;
                    break;
                } else
                    *out++ = *s;
            }
        }
        while (*s && *s != sep && *s != '\n') {
            if (*s != '\r')
                *out++ = *s;
            s++;
        }
        char end = *s;
        *out = '\0';
        if (n < max)
            cells[n++] = cell;
        if (end == sep) {
            s++;
            continue;
        }
        *p = end ? s + 1 : s;
        return n;
    }
}

static int bad_row(const char *path, unsigned line, const char *col, const char *why)
{
    cli_error("%s:%u: %s: error %d %s: %s — %s", path, line, col, GL_ERR_THIRD_PARTY_CSV,
              gl_status_name(GL_ERR_THIRD_PARTY_CSV), _(gl_status_message(GL_ERR_THIRD_PARTY_CSV)),
              why);
    return EXIT_USAGE;
}

/* The rows of text (after the header) into r (n of them). */
static int read_rows(const char *path, char *text, char sep, char **names, int ncols,
                     gl_third_party *r, char (*ibans)[40], size_t *n)
{
    unsigned line = 1;
    *n = 0;
    while (*text) {
        line++;
        char *cells[TP_COLS_MAX];
        int k = cli_csv_split(&text, sep, cells, TP_COLS_MAX);
        if (k == 1 && !cells[0][0])
            continue; /* an empty line */
        if (k != ncols)
            return bad_row(path, line, "-",
                           k < 0 ? _("a quote is not closed")
                                 : _("not as many cells as the header"));
        gl_third_party *t = &r[*n];
        *t = (gl_third_party){.kind = GL_TP_OTHER};
        for (int i = 0; i < k; i++) {
            const char *why;
            if (tp_field_set(t, names[i], cells[i], ibans[*n], sizeof ibans[*n], &why))
                return bad_row(path, line, names[i], _(why));
        }
        const char *field;
        if (tp_check(t, &field) != GL_OK)
            return bad_row(path, line, field, _(gl_status_message(GL_ERR_BAD_THIRD_PARTY)));
        (*n)++;
    }
    return 0;
}

static int check_header(const char *path, char **names, int n)
{
    bool code = false, name = false, collective = false;
    for (int i = 0; i < n; i++) {
        gl_third_party probe = {0};
        char iban[40];
        const char *why;
        if (tp_field_set(&probe, names[i], "", iban, sizeof iban, &why) &&
            !strcmp(why, "unknown column"))
            return bad_row(path, 1, names[i], _("unknown column"));
        code |= !strcmp(names[i], "code");
        name |= !strcmp(names[i], "name");
        collective |= !strcmp(names[i], "collective");
    }
    if (!code || !name || !collective)
        return bad_row(path, 1, "-",
                       _("the header must name the columns code, name and collective"));
    return 0;
}

int tp_import(cli *c, const char *path)
{
    size_t len;
    char *text = cli_read_file(path, &len);
    if (!text)
        return EXIT_USAGE;
    size_t rows = 1;
    for (size_t i = 0; i < len; i++)
        rows += text[i] == '\n';
    char sep = strchr(text, ';') && (!strchr(text, '\n') || strchr(text, ';') < strchr(text, '\n'))
                   ? ';'
                   : ',';
    char *names[TP_COLS_MAX], *p = text;
    int ncols = cli_csv_split(&p, sep, names, TP_COLS_MAX);
    gl_third_party *r = calloc(rows, sizeof *r);
    char(*ibans)[40] = calloc(rows, sizeof *ibans);
    int rc = !r || !ibans ? cli_nomem("the third parties file") : 0;
    size_t n = 0;
    if (rc == 0)
        rc = ncols < 0 ? bad_row(path, 1, "-", _("a quote is not closed"))
                       : check_header(path, names, ncols);
    if (rc == 0)
        rc = read_rows(path, p, sep, names, ncols, r, ibans, &n);
    uint32_t changed = 0;
    if (rc == 0 && n)
        rc = tp_send(c, GL_TP_MODE_SET, r, n, &changed);
    if (rc == 0)
        fprintf(stderr, _("grandlivre: %s: %zu third parties read, %u recorded\n"), c->tenant, n,
                changed);
    free(ibans);
    free(r);
    free(text);
    return rc;
}
