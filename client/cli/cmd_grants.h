/*
 * client/cli/cmd_grants.h — `grandlivre grants` and `grandlivre budget`
 * (issue 19, PROTOCOL.md §5.55-§5.58): the commands, on the analytic
 * commands' connection and reporting (cmd_analytic.h) and the grants and
 * budgets calls (client/analytic/grant_client.h).  cmd_grants.c holds
 * grants; cmd_budget.c budget's dispatch, set and show; cmd_budget_import.c
 * the import of a CSV file.  `budget compare` is helper H's: it joins the
 * dispatch table of cmd_budget.c.
 */
#ifndef GL_CMD_GRANTS_H
#define GL_CMD_GRANTS_H

#include "cmd_analytic.h"

#include "client/analytic/grant_client.h"

#include <getopt.h>

/* A subcommand of grants or budget: its name and how many arguments it
 * takes after its name (args_max -1: any number from args_min). */
typedef struct gr_sub {
    const char *name;
    int args_min, args_max;
} gr_sub;
/* cli_parse with extra (handled by fn into user), then which of subs[0..n)
 * argv names, into *which; the help on stderr and EXIT_USAGE for none.
 * 0, -1 after --help, or an exit code. */
int gr_parse_sub(cli *c, int *argc, char ***argv, const struct option *extra, extra_handler fn,
                 void *user, const char *help_text, const gr_sub *subs, size_t n, size_t *which);

int cmd_grants(int argc, char **argv);
/* `grandlivre assets` and `grandlivre depreciation` (cmd_assets.c, issue 20). */
int cmd_assets(int argc, char **argv);
int cmd_depreciation(int argc, char **argv);
int cmd_budget(int argc, char **argv);
/* budget import FILE.csv --year Y (cmd_budget_import.c): every row
 * checked, and the actions open, before one BUDGET_SET per action; a
 * refusal of one puts back the versions already recorded.  0 or an exit
 * code. */
int budget_import(cli *c, const char *path, uint16_t fy);

/* A group and an amount as people type them into row: false with why
 * naming the text (a group of 1 to 20 digits, the first 6 or 7; an amount
 * of 0 or more, as 1200,00 or 1 200,00). */
bool budget_row_parse(const char *group, const char *amount, gl_budget_line *row, char *why,
                      size_t why_len);
/* Rows sorted by group that the daemon would take: none twice or starting
 * with another, their sum within GL_TOTAL_MAX_CENTS.  0, or the 1-based
 * row at fault with why. */
size_t budget_rows_ok(gl_budget_line *rows, size_t n, char *why, size_t why_len);
/* --year Y: 0 or EXIT_USAGE after a message. */
int budget_year(const char *arg, uint16_t *fy);

#endif
