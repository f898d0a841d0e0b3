/*
 * client/cli/cli_fd.h — the fonds dédiés per dedicated grant as
 * `dedicated-funds` computes them (cmd_dedicated_funds.c), for the annexe's
 * table (cmd_annexe.c).
 */
#ifndef GL_CLI_FD_H
#define GL_CLI_FD_H

#include "cli.h"

#include "client/annexe/annexe.h"

/* The tenant's dedicated grants of fiscal year fy on a connected c: their
 * rows and, last, the total row, into *rows (malloc'd, *n rows; none when
 * the tenant has no dedicated grant).  0 or an exit status (reported). */
int cli_fd_annexe_rows(cli *c, uint16_t fy, ax_grant_row **rows, size_t *n);

#endif
