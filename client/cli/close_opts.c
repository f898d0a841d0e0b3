/*
 * client/cli/close_opts.c — the options shared by the period and entry
 * commands (close_opts.h).
 */
#include "close_opts.h"

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void close_upper(char *s)
{
    for (; *s; s++)
        *s = (char)toupper((unsigned char)*s);
}

enum { OPT_THROUGH = 3000, OPT_PERIOD, OPT_YEAR, OPT_DATE, OPT_ACCOUNT, OPT_AUX, OPT_TO };

static int on_opt(int opt, const char *arg, void *user)
{
    struct close_opts *o = user;
    char *end;
    switch (opt) {
    case OPT_THROUGH: o->through = arg; return 0;
    case OPT_PERIOD: o->period = arg; return 0;
    case OPT_DATE: o->date = arg; return 0;
    case OPT_ACCOUNT: o->account = arg; return 0;
    case OPT_AUX: o->aux = arg; return 0;
    case OPT_YEAR:
        o->year = (int)strtol(arg, &end, 10);
        if (*end || o->year < 1900 || o->year > 2998) {
            cli_error("--year takes a fiscal year such as 2025 (the calendar year it ends in)");
            return EXIT_USAGE;
        }
        return 0;
    case OPT_TO:
        if (o->to_count == CLOSE_TO_MAX) {
            cli_error("at most 16 --to");
            return EXIT_USAGE;
        }
        o->to[o->to_count++] = arg;
        return 0;
    default: return EXIT_USAGE;
    }
}

static const struct option close_options[] = {
    {"through", required_argument, NULL, OPT_THROUGH},
    {"period", required_argument, NULL, OPT_PERIOD},
    {"year", required_argument, NULL, OPT_YEAR},
    {"date", required_argument, NULL, OPT_DATE},
    {"account", required_argument, NULL, OPT_ACCOUNT},
    {"aux", required_argument, NULL, OPT_AUX},
    {"to", required_argument, NULL, OPT_TO},
    {0},
};

int close_parse(cli *c, int *argc, char ***argv, struct close_opts *o, const char *help)
{
    memset(o, 0, sizeof *o);
    return cli_parse(c, argc, argv, close_options, on_opt, o, help);
}

int close_start(cli *c, int *argc, char ***argv, struct close_opts *o, const char *help, int nargs)
{
    int rc = close_parse(c, argc, argv, o, help);
    if (rc)
        return rc;
    if (*argc != nargs) {
        fputs(help, stderr);
        return EXIT_USAGE;
    }
    if ((rc = cli_need_tenant(c)) || (rc = cli_connect(c)))
        return rc;
    return 0;
}

int close_finish(cli *c, int rc)
{
    cli_close(c);
    return rc < 0 ? 0 : rc;
}
