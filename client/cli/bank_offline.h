/*
 * client/cli/bank_offline.h — the `bank` subcommands that need no daemon
 * (issue 18): `bank csv-mapping` (cmd_bank_mapping.c) and `bank parse`
 * (cmd_bank_parse.c).  The `bank` dispatcher calls them with argv[0]
 * "csv-mapping" / "parse"; `bank import` loads a mapping with
 * bank_mapping_load.
 */
#ifndef GL_BANK_OFFLINE_H
#define GL_BANK_OFFLINE_H

#include "client/bank/statement.h"

#include <stddef.h>

int cmd_bank_csv_mapping(int argc, char **argv);
int cmd_bank_parse(int argc, char **argv);

/* The mapping NAME of tenant (saved by `bank csv-mapping`), or, when
 * name holds a '/', the mapping file at that path.  0, or an exit code
 * after printing the error. */
int bank_mapping_load(const char *tenant, const char *name, gl_bank_csv_mapping *m);
/* Where tenant's mapping name is (or is to be) saved:
 * <config dir>/grandlivre/bank-csv/<tenant>/<name>.ini (the config
 * dir: $XDG_CONFIG_HOME, else ~/.config).  -1 if no directory is known
 * or a name is not [A-Za-z0-9_-]{1,32}. */
int bank_mapping_path(const char *tenant, const char *name, char *out, size_t len);

#endif
