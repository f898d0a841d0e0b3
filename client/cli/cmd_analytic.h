/*
 * client/cli/cmd_analytic.h — what the files of `grandlivre analytic`
 * share (issue 19, PROTOCOL.md §5.46-§5.52): the options of every
 * subcommand, the analytic call started on the connection, and one way of
 * reporting its outcome.  cmd_analytic.c dispatches: axes, axis, code,
 * rule there; codes import, balance, ledger and allocate in a file each;
 * export (helper C's file) through cmd_analytic_export.
 */
#ifndef GL_CMD_ANALYTIC_H
#define GL_CMD_ANALYTIC_H

#include "cli.h"

#include "client/analytic/an_client.h"
#include "client/analytic/an_spec.h"

#include <stdbool.h>

enum { AN_LABEL = 4600, AN_AXIS, AN_CODE, AN_YEAR, AN_AT, AN_FROM, AN_TO, AN_COUNT_ };
#define AN_OPT_BIT(o) (1u << ((o)-AN_LABEL))

typedef struct an_opts {
    const char *v[AN_COUNT_ - AN_LABEL];
} an_opts;
#define AN_OPT(o, which) ((o)->v[(which)-AN_LABEL])

/* cli_parse with the options of mask (AN_OPT_BIT of each) besides the
 * common ones, then nargs arguments left (-1: any number), else the help
 * on stderr and EXIT_USAGE.  0, -1 after --help, or an exit code. */
int an_parse(cli *c, int *argc, char ***argv, unsigned mask, an_opts *o, const char *help,
             int nargs);
/* The tenant required, connected; k started on it (--request-id kept for
 * the writes).  0 or an exit code. */
int an_connect(cli *c, gl_an_call *k);
/* Report the outcome st of an an_client call (an_client.h): a refusal or
 * a transport failure as cli_reply says them, an unreadable reply, out of
 * memory; success: cli_reply's note or warning, 0.  Returns the exit
 * code. */
int an_report(cli *c, gl_an_call *k, int st);
/* Print a codes spec's refusal: "grandlivre: WHERE: reason: detail",
 * reason translated; EXIT_USAGE. */
int an_spec_refused(const char *where, const gl_an_spec_error *e);

/* An account prefix or a code as people type them: in capitals (ASCII),
 * into out (cap bytes); false when it does not fit. */
bool an_upper(const char *in, char *out, size_t cap);

/* The analytic files (codes import, allocate: analytic_csv.c): read
 * whole, a UTF-8 byte order mark skipped, the separator ';' (else a tab,
 * else ',') from the first line that is neither empty nor a comment; rows
 * with content only (empty lines and lines starting with '#' skipped). */
typedef struct an_csv {
    const char *path;
    char *text, *p;
    char sep;
    unsigned line; /* the file line of the last row read */
} an_csv;
/* 0, or EXIT_USAGE after a message. */
int an_csv_open(an_csv *f, const char *path);
/* The next row's cells (at most max): their number, 0 at the end, -1 for
 * an unclosed quote.  Cells are trimmed of spaces and tabs. */
int an_csv_next(an_csv *f, char **cells, int max);
void an_csv_close(an_csv *f);
/* "grandlivre: PATH:LINE: error 966 analytic_file: message — why",
 * EXIT_USAGE. */
int an_csv_refused(const an_csv *f, const char *why);

int cmd_analytic(int argc, char **argv);
int cmd_analytic_codes_import(int argc, char **argv); /* cmd_analytic_codes_import.c */
int cmd_analytic_balance(int argc, char **argv);      /* cmd_analytic_balance.c */
int cmd_analytic_ledger(int argc, char **argv);       /* cmd_analytic_ledger.c */
int cmd_analytic_allocate(int argc, char **argv);     /* cmd_analytic_allocate.c */

#endif
