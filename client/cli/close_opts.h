/*
 * client/cli/close_opts.h — the options and the start and finish steps that
 * the commands of the books' periods (cmd_periods.c: close-year, periods,
 * appropriate) and of their entries (cmd_entries.c: entry, reverse, letter,
 * unletter) share.
 *
 * Every one of these commands accepts the same options (--through, --period,
 * --year, --date, --account, --aux, --to) and reads the ones it needs, so
 * that an option given to the wrong command is ignored the same way by all.
 */
#ifndef GL_CLOSE_OPTS_H
#define GL_CLOSE_OPTS_H

#include "cli.h"

enum { CLOSE_TO_MAX = 16 }; /* most --to of one appropriate */

struct close_opts {
    const char *through, *period, *date, *account, *aux;
    int year;
    const char *to[CLOSE_TO_MAX];
    int to_count;
};

/* Parse the common and the shared options out of argv into o (zeroed
 * first).  Returns 0, -1 when --help was shown, or an exit code after a
 * message. */
int close_parse(cli *c, int *argc, char ***argv, struct close_opts *o, const char *help);

/* close_parse, then require exactly nargs arguments (else print help and
 * return EXIT_USAGE), a tenant, and connect.  Returns 0, -1 (help shown) or
 * an exit code. */
int close_start(cli *c, int *argc, char ***argv, struct close_opts *o, const char *help, int nargs);

/* Disconnect; the command's exit code (-1, help shown, becomes 0). */
int close_finish(cli *c, int rc);

/* Upper-case an ASCII string in place (account numbers, letter codes). */
void close_upper(char *s);

#endif
