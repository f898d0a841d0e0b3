/*
 * client/cli/cli_stmt.h — what `grandlivre statements` reads from the
 * daemon, shared with `grandlivre annexe` (cmd_annexe.c), which ties its
 * tables to the same balance sheet: the tenant's fiscal years (PERIODS) and
 * the balances per account of one day (BALANCE per auxiliary account, debit
 * and credit balances summed apart), both in cmd_statements.c.
 */
#ifndef GL_CLI_STMT_H
#define GL_CLI_STMT_H

#include "cli.h"

#include "client/statements/statements.h"
#include "proto/limits.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define YEARS_SPAN 1100 /* fiscal years 1900..2999 */

typedef struct tenant_info {
    char id[GL_TENANT_MAX + 1];
    char name[256], siren[64], code[64];
    unsigned first_month;
    bool with_entries[YEARS_SPAN]; /* [fy - 1900] */
    bool closed[YEARS_SPAN];       /* [fy - 1900] */
} tenant_info;

/* Rows for stmt_compute, owning their account names. */
typedef struct cli_stmt_rows {
    stmt_account *v;
    char (*names)[STMT_ACCOUNT_MAX + 1];
    size_t count, cap;
} cli_stmt_rows;

/* --year's value into *year: 0, or EXIT_USAGE after a message. */
int cli_stmt_year(const char *arg, long *year);

bool cli_stmt_has_entries(const tenant_info *t, unsigned fy);
bool cli_stmt_is_closed(const tenant_info *t, unsigned fy);

/* PERIODS of tenant into t: 0 or an exit status (reported). */
int cli_stmt_periods(cli *c, const char *tenant, tenant_info *t);

/* BALANCE per auxiliary account at `at` into column 0 of out (per account,
 * one row with the sum of its debit balances and one with the sum of its
 * credit balances): 0 or an exit status (reported). */
int cli_stmt_balance(cli *c, const char *tenant, uint32_t at, cli_stmt_rows *out);
void cli_stmt_rows_free(cli_stmt_rows *r);

/* The BALANCE request at `at` with flags (GL_BALANCE_*): 0 with resp to
 * free, or an exit status (reported; resp to free all the same). */
int cli_stmt_balance_call(cli *c, const char *tenant, uint32_t at, uint8_t flags,
                          gl_response *resp);

/* The balance sheet of t's fiscal year fy as `statements --tenant` computes
 * it, into r: column 0 the year (gross_detail set), column 1 the previous
 * year when it has entries (*with_prev); now receives the year's rows.  0
 * or an exit status (reported: e.g. no entries in fy). */
int cli_stmt_tenant_bilan(cli *c, const tenant_info *t, uint16_t fy, stmt_result *r,
                          cli_stmt_rows *now, bool *with_prev);

#endif
