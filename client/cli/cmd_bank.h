/*
 * client/cli/cmd_bank.h — `grandlivre bank` (issue 18): the dispatcher
 * (cmd_bank.c) and what the statement parsers' side exports to it
 * (client/bank/, helper L's part): `bank csv-mapping` and `bank parse`
 * are theirs, called with argv[0] the subcommand's name; and the saved
 * CSV mapping `bank import --mapping NAME` uses.
 */
#ifndef GL_CMD_BANK_H
#define GL_CMD_BANK_H

#include "client/bank/statement.h"

#include <stddef.h>

int cmd_bank(int argc, char **argv);
int cmd_bank_csv_mapping(int argc, char **argv);
int cmd_bank_parse(int argc, char **argv);
/* Load the CSV mapping saved as NAME by `bank csv-mapping`: 0, or -1 with
 * a sentence in err. */
int bank_csv_mapping_load(const char *name, gl_bank_csv_mapping *out, char *err, size_t err_len);

#endif
