/*
 * client/cli/cmd_bank_mapping.c — `grandlivre bank csv-mapping`: save the
 * layout of a bank's CSV export (separator, decimal mark, date format,
 * columns, header lines) under a name, for `bank import --mapping NAME`
 * and `bank parse --mapping NAME`; `--list` lists a tenant's mappings.
 * Offline: the mapping is a small INI file of this machine's user
 * (client/bank/csv_mapping.c writes and reads its text), one per
 * tenant and name under <config dir>/grandlivre/bank-csv/
 * (mapping_files.c).
 */
#include "bank_offline.h"
#include "cli.h"
#include "i18n.h"
#include "mapping_files.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BANK_MAPPING_FOLDER "bank-csv"

static const char help[] =
    N_("usage: grandlivre bank csv-mapping --tenant T --name NAME [options]\n"
       "       grandlivre bank csv-mapping --tenant T --list\n"
       "\n"
       "Save how to read a bank's CSV export, for bank import --mapping NAME.\n"
       "Columns are numbered from 0.  An existing mapping of that name is replaced.\n"
       "\n"
       "  --separator C      ; , | or tab (default ;)\n"
       "  --decimal C        decimal mark: , or . (default ,)\n"
       "  --date-format F    e.g. DD/MM/YYYY (default), YYYY-MM-DD, DD.MM.YY\n"
       "  --skip N           header lines to skip (default 0)\n"
       "  --date-col N       booking date (required)\n"
       "  --value-date-col N value date\n"
       "  --label-col N      label (required)\n"
       "  --amount-col N     signed amount, or both of:\n"
       "  --debit-col N      money out\n"
       "  --credit-col N     money in\n"
       "  --ref-col N        the bank's reference of the line\n"
       "  --list             list the tenant's mappings\n");

int bank_mapping_path(const char *tenant, const char *name, char *out, size_t len)
{
    return mapping_file_path(BANK_MAPPING_FOLDER, tenant, name, out, len);
}

int bank_mapping_load(const char *tenant, const char *name, gl_bank_csv_mapping *m)
{
    char path[MAPPING_PATH_MAX];
    char *text = mapping_file_read(BANK_MAPPING_FOLDER, tenant, name, path);
    if (!text)
        return EXIT_USAGE;
    unsigned line;
    const char *reason;
    int rc = gl_bank_mapping_parse(text, m, &line, &reason);
    free(text);
    if (rc) {
        cli_error("%s:%u: %s", path, line, _(reason));
        return EXIT_USAGE;
    }
    return 0;
}

static int save(const char *tenant, const char *name, const gl_bank_csv_mapping *m)
{
    const char *reason;
    char text[1024];
    if (gl_bank_mapping_check(m, &reason)) {
        cli_error("%s", _(reason));
        return EXIT_USAGE;
    }
    if (gl_bank_mapping_format(m, text, sizeof text) < 0) {
        cli_error("malformed tenant or mapping name: letters, digits, - and _, at most 32");
        return EXIT_USAGE;
    }
    return mapping_file_write(BANK_MAPPING_FOLDER, tenant, name, text);
}

int cmd_bank_csv_mapping(int argc, char **argv)
{
    static const char *const col_opts[] = {"date-col",  "value-date-col", "label-col", "amount-col",
                                           "debit-col", "credit-col",     "ref-col"};
    gl_bank_csv_mapping m;
    gl_bank_mapping_defaults(&m);
    int *const cols[] = {&m.date_col,  &m.value_date_col, &m.label_col, &m.amount_col,
                         &m.debit_col, &m.credit_col,     &m.ref_col};
    mapping_args a = {.tenant = getenv("GRANDLIVRE_TENANT")};
    int rc = mapping_parse_args(argc, argv, _(help), col_opts, NULL, cols, 7, &m, &a);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (a.rest || !a.tenant || (!a.listing && !a.name)) {
        fputs(_(help), stderr);
        return EXIT_USAGE;
    }
    return a.listing ? mapping_file_list(BANK_MAPPING_FOLDER, a.tenant)
                     : save(a.tenant, a.name, &m);
}
