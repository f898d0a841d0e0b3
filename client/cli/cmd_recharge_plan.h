/*
 * client/cli/cmd_recharge_plan.h — `recharge plan` and `recharge check`
 * (issue 20), and the group's accounts given on the command line or in the
 * plan (`--accounts RECEIVABLE,REVENUE,EXPENSE,PAYABLE`).
 */
#ifndef GL_CMD_RECHARGE_PLAN_H
#define GL_CMD_RECHARGE_PLAN_H

#include "cli.h"

#include "proto/group.h"
#include "proto/limits.h"

#include <stdbool.h>

typedef struct rc_accounts {
    char text[4][GL_ACCOUNT_MAX + 1];
    gl_group_accounts a; /* pointing into text; a.carried false: none given */
    bool flag;           /* given by --accounts (wins over the plan's) */
} rc_accounts;

/* "411GRP,706100,628800,401GRP" into out (each of its class, as the daemon
 * decodes it): 0, or -1 for text out of that rule. */
int rc_accounts_parse(const char *text, rc_accounts *out);

/* plan (check false) or check of year `year`: see cmd_recharge_plan.c.
 * The accounts: --accounts, else the plan's, else [group]'s, else today's.
 * Returns 0, EXIT_CHECK (check: a warning), or an exit code. */
int rc_plan_command(cli *c, bool check, long year, const char *plan_file, const rc_accounts *acc,
                    bool post, bool yes);

#endif
