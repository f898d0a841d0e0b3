/*
 * client/cli/funders_cli.h — what the funders' reports (issue 19:
 * fse-report, grant-report, budget compare) share in the CLI: the
 * `--format html` and `-o FILE` options, the grant looked up, the lines of
 * an action read from the analytic ledger with their funders, and the
 * printable page's frame.
 *
 * Funders: a product line's funder is read from the analytic ledger of
 * the axis financeur (every code of the axis, over the same period),
 * joined by (fy, num, line) with the action's ledger; a line carrying
 * several funders is split in proportion to their shares (exactly,
 * gl_shares).  Allocations made afterwards (ANALYTIC_ALLOC) count as the
 * entry's own codes do.  An entry is read (ENTRY_GET, once) only for the
 * label of its lines that have none of their own.
 */
#ifndef GL_FUNDERS_CLI_H
#define GL_FUNDERS_CLI_H

#include "cmd_analytic.h"

#include "client/analytic/grant_client.h"
#include "client/funders/funders.h"

#include <getopt.h>
#include <stdio.h>

/* The options of fse-report and grant-report. */
enum { FR_GRANT = 5900, FR_FROM, FR_TO, FR_YEAR, FR_OUTPUT, FR_FORCE };
typedef struct fr_opts {
    const char *grant, *from, *to, *year, *output;
    bool force, html;
} fr_opts;
/* A report's command: `-o FILE` and `--format html` (which cli_parse
 * does not know) taken out of argv, then cli_parse with extra (options
 * FR_*), no argument left and --grant given (else the help on stderr and
 * EXIT_USAGE), then run.  The exit code. */
int fr_main(int argc, char **argv, const struct option *extra, const char *help,
            int (*run)(cli *c, const fr_opts *o));
/* The grant of code (upper-cased) into *g; 0 or an exit code (reported;
 * an unknown grant: EXIT_USAGE with a message). */
int fr_grant_get(cli *c, gl_an_call *k, const char *code, gl_grant_info *g);
/* The action's ANALYTIC_LEDGER rows from..to: class 6 into charges
 * (amount as the ledger has it, debit > 0), class 7 into products
 * (credit > 0), each product with its funder(s) (above).  0 or an exit
 * code. */
int fr_action_lines(cli *c, gl_an_call *k, const char *action, uint32_t from, uint32_t to,
                    fr_lines *charges, fr_lines *products);
/* An exit code for a computation's status (overflow, memory). */
int fr_compute_failed(int st, const char *what);

/* The page: doctype, A4 print CSS, title; and its end.  Amounts by
 * stmt_html_money, text by stmt_html_escape. */
void fr_html_begin(FILE *f, const char *title);
void fr_html_end(FILE *f);
/* One table row: cells[0..n), those with num[i] right-aligned; cls a
 * class of the row or NULL. */
void fr_html_row(FILE *f, const char *const *cells, const bool *num, size_t n, const char *cls,
                 bool head);
/* Write the page (fn writes its body into f) to path, or stdout for NULL
 * or "-".  0 or an exit code. */
int fr_html_write(const char *path, bool force, void (*fn)(FILE *f, const void *user),
                  const void *user);
/* tenths of a percent as "97.5 %" (French: "97,5 %") into out (32). */
char *fr_ratio_text(bool has, int64_t tenths, char out[32]);

#endif
