/*
 * client/cli/cli_format.c — `--format` on the commands that print a result
 * rather than a table (issue 14: "--format json either works or is refused
 * on every command").  A command with something to say builds a one-row
 * table of it and hands CSV and JSON to the output layer; one with nothing
 * that fits a format refuses it before doing anything (975), so that a
 * script never takes text for JSON.  `--format html`, which no table
 * format is, is taken out of argv by cli_parse_html for the commands that
 * write a page.
 */
#include "cli.h"

#include "proto/entry.h"

#include <stdio.h>
#include <string.h>

static const char *const format_names[] = {"table", "table-fr", "csv", "json", "csv-fr"};

bool cli_format_table(const cli *c) { return c->format == OUT_TABLE || c->format == OUT_TABLE_FR; }

int cli_format_refuse(const cli *c, const char *command)
{
    if (cli_format_table(c) || !c->format_given)
        return 0; /* a profile's format is for the commands that have it */
    size_t f = (size_t)c->format;
    cli_error("error %d %s: --format %s is not available for %s", GL_ERR_FORMAT_UNSUPPORTED,
              gl_status_name(GL_ERR_FORMAT_UNSUPPORTED),
              f < sizeof format_names / sizeof *format_names ? format_names[f] : "?", command);
    return EXIT_USAGE;
}

int cli_format_render(const cli *c, out_table *t)
{
    if (!t)
        return cli_nomem("the output");
    int rc = out_render(t, c->format, stdout) ? EXIT_USAGE : 0;
    out_free(t);
    return rc;
}

void cli_line_cells(out_table *t, const gl_entry *e, const gl_line *l)
{
    gl_str label = l->label.len ? l->label : e->label;
    out_date(t, e->date);
    out_text(t, e->journal.ptr, e->journal.len);
    out_text(t, e->piece_ref.ptr, e->piece_ref.len);
    out_text(t, l->account.ptr, l->account.len);
    out_text(t, l->aux.ptr, l->aux.len);
    out_text(t, label.ptr, label.len);
    out_money(t, l->side == GL_SIDE_DEBIT ? l->amount_cents : 0);
    out_money(t, l->side == GL_SIDE_CREDIT ? l->amount_cents : 0);
}

int cli_take_html(int argc, char **argv, bool *html)
{
    int n = 0;
    *html = false;
    for (int i = 0; i < argc; i++) {
        bool tail = n > 0 && !strcmp(argv[n - 1], "--format");
        if (!strcmp(argv[i], "--format=html") || (tail && !strcmp(argv[i], "html"))) {
            *html = true;
            n -= tail; /* the "--format" before it */
            continue;
        }
        argv[n++] = argv[i];
    }
    argv[n] = NULL;
    return n;
}

int cli_parse_html(cli *c, int *argc, char ***argv, const struct option *extra,
                   extra_handler handle_extra, void *user, const char *help, bool *html)
{
    cli_short_output_option(*argc, *argv);
    *argc = cli_take_html(*argc, *argv, html);
    return cli_parse(c, argc, argv, extra, handle_extra, user, help);
}
