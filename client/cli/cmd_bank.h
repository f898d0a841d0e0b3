/*
 * client/cli/cmd_bank.h — `grandlivre bank` (issue 18): the dispatcher
 * (cmd_bank.c) and what the statement parsers' side exports to it
 * (client/bank/, helper L's part): `bank csv-mapping` and `bank parse`
 * are theirs, called with argv[0] the subcommand's name; and the saved
 * CSV mapping `bank import --mapping NAME` uses.
 */
#ifndef GL_CMD_BANK_H
#define GL_CMD_BANK_H

#include "bank_offline.h" /* bank csv-mapping, bank parse, bank_mapping_load */

int cmd_bank(int argc, char **argv);
/* `bank report` and `bank status` (cmd_bank_report.c), argv[0] the subcommand. */
int cmd_bank_report(int argc, char **argv);
#endif
