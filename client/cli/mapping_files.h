/*
 * client/cli/mapping_files.h — the saved CSV mappings of this machine's
 * user, one small INI file per tenant and name:
 * <config dir>/grandlivre/<folder>/<tenant>/<name>.ini (the config dir:
 * $XDG_CONFIG_HOME, else ~/.config), folder "bank-csv" for `bank
 * csv-mapping`, "payroll-csv" for `payroll csv-mapping`.  Where the files
 * are, reading, writing and listing them, in one place; what a file says
 * is its command's (client/bank/csv_mapping.c, client/payroll/).
 */
#ifndef GL_MAPPING_FILES_H
#define GL_MAPPING_FILES_H

#include "client/bank/statement.h"

#include <stdbool.h>
#include <stddef.h>

#define MAPPING_PATH_MAX 4096
#define MAPPING_COLS_MAX 16 /* column options of one command */

/* A tenant's or mapping's name: [A-Za-z0-9_-]{1,32}. */
bool mapping_name_ok(const char *s);
/* The file of tenant's mapping name in folder into out: 0, or -1 if no
 * directory is known or a name is malformed. */
int mapping_file_path(const char *folder, const char *tenant, const char *name, char *out,
                      size_t len);
/* The text of mapping name (a path when it holds a '/'), malloc'd and
 * NUL-ended, its path in path[MAPPING_PATH_MAX]; NULL after printing
 * the error (no tenant, malformed name, unreadable file). */
char *mapping_file_read(const char *folder, const char *tenant, const char *name, char *path);
/* Write text as tenant's mapping name (directories made 0700, an older
 * file replaced) and say where: 0, or EXIT_USAGE after the error. */
int mapping_file_write(const char *folder, const char *tenant, const char *name, const char *text);
/* Print tenant's mapping names in folder, one a line, sorted: 0 or
 * EXIT_USAGE. */
int mapping_file_list(const char *folder, const char *tenant);

/* The arguments of a mapping command: --tenant T (default
 * GRANDLIVRE_TENANT), --name NAME, --list, and what is left after the
 * options (rest of them, the first in first). */
typedef struct mapping_args {
    const char *tenant, *name;
    bool listing;
    int rest;
    const char *first;
} mapping_args;

/* Parse a mapping command's options (getopt_long, no short options):
 * the shared ones (--tenant, --name, --list, --help, --lang and the
 * layout: --separator ; , | or tab, --decimal, --date-format, --skip N,
 * into *layout) and the command's columns (--names[i] N, and --alt[i] N
 * when alt and alt[i] are not NULL, into *cols[i]; 0-1000).  0, -1 after
 * --help (exit 0), or an exit code after the message or the help. */
int mapping_parse_args(int argc, char **argv, const char *help, const char *const *names,
                       const char *const *alt, int *const *cols, size_t ncols,
                       gl_bank_csv_mapping *layout, mapping_args *a);

#endif
