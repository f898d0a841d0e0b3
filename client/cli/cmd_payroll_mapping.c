/*
 * client/cli/cmd_payroll_mapping.c — `grandlivre payroll csv-mapping`:
 * save how to read a payroll software's journal (separator, decimal mark,
 * header lines, and the columns: month or date, employee, employee name,
 * rubric, account, debit and credit or a signed amount, action) under a
 * name, for `payroll import --mapping NAME`; `--list` lists a tenant's.
 * Offline, as `bank csv-mapping` (the same options for the layout, the
 * same place: <config dir>/grandlivre/payroll-csv/<tenant>/<name>.ini,
 * mapping_files.c); the text is client/payroll/payroll_mapping.c's.
 */
#include "cmd_payroll.h"

#include "cli.h"
#include "i18n.h"
#include "mapping_files.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    N_("usage: grandlivre payroll csv-mapping NAME --tenant T --month N --employee N\n"
       "                   --account N (--debit N --credit N | --amount N) [options]\n"
       "       grandlivre payroll csv-mapping --tenant T --list\n"
       "\n"
       "Save how to read the payroll journal (journal de paie) that the payroll\n"
       "software exports as CSV, for payroll import --mapping NAME (NAME default:\n"
       "the mapping named default).  Columns are numbered from 0.  An existing mapping\n"
       "of that name is replaced.  The file is read as UTF-8, else Windows-1252.\n"
       "\n"
       "  --separator C      ; , | or tab (default ;)\n"
       "  --decimal C        decimal mark: , or . (default ,)\n"
       "  --date-format F    for --date: e.g. DD/MM/YYYY (default), YYYY-MM-DD\n"
       "  --skip N           header lines to skip (default 0)\n"
       "  --month N          the month: YYYY-MM, MM/YYYY, MM-YYYY or YYYYMM; or\n"
       "  --date N           a date in --date-format (its month is the row's)\n"
       "  --employee N       the employee's code (required: a code of axis salarie)\n"
       "  --employee-name N  the employee's name: never read, never sent\n"
       "  --rubric N         the rubric (Salaire de base, URSSAF maladie...): line labels\n"
       "  --account N        the account (required)\n"
       "  --debit N          debit amount, and\n"
       "  --credit N         credit amount; or\n"
       "  --amount N         a signed amount: positive a debit, negative a credit\n"
       "  --action N         an analytic code of axis action (optional, may be empty)\n"
       "  --list             list the tenant's payroll mappings\n"
       "NAME may also be given as --name NAME, and the columns as bank csv-mapping\n"
       "spells them (--month-col, --employee-col...).\n");

#define NCOLS 10

static int save(const char *tenant, const char *name, const gl_payroll_mapping *m)
{
    const char *reason;
    char text[1024];
    if (gl_payroll_mapping_check(m, &reason)) {
        cli_error("%s", _(reason));
        return EXIT_USAGE;
    }
    if (gl_payroll_mapping_format(m, text, sizeof text) < 0)
        return cli_nomem("the mapping's text");
    return mapping_file_write(PAYROLL_MAPPING_FOLDER, tenant, name, text);
}

int payroll_mapping_load(const char *tenant, const char *name, gl_payroll_mapping *m)
{
    char path[MAPPING_PATH_MAX];
    char *text = mapping_file_read(PAYROLL_MAPPING_FOLDER, tenant, name, path);
    if (!text)
        return EXIT_USAGE;
    unsigned line;
    const char *reason;
    int rc = gl_payroll_mapping_parse(text, m, &line, &reason);
    free(text);
    if (rc) {
        cli_error("%s:%u: %s", path, line, _(reason));
        return EXIT_USAGE;
    }
    return 0;
}

int cmd_payroll_csv_mapping(int argc, char **argv)
{
    static const char *const names[NCOLS] = {"date",   "month",   "employee", "employee-name",
                                             "rubric", "account", "debit",    "credit",
                                             "amount", "action"};
    static const char *const alt[NCOLS] = {
        "date-col",    "month-col", "employee-col", "employee-name-col", "rubric-col",
        "account-col", "debit-col", "credit-col",   "amount-col",        "action-col"};
    gl_payroll_mapping m;
    gl_payroll_mapping_defaults(&m);
    int *const cols[NCOLS] = {&m.date_col,   &m.month_col,   &m.employee_col, &m.name_col,
                              &m.rubric_col, &m.account_col, &m.debit_col,    &m.credit_col,
                              &m.amount_col, &m.action_col};
    mapping_args a = {.tenant = getenv("GRANDLIVRE_TENANT")};
    int rc = mapping_parse_args(argc, argv, _(help), names, alt, cols, NCOLS, &m.csv, &a);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (!a.name && a.rest == 1)
        a.name = a.first, a.rest = 0;
    if (a.rest || !a.tenant || (!a.listing && !a.name)) {
        fputs(_(help), stderr);
        return EXIT_USAGE;
    }
    return a.listing ? mapping_file_list(PAYROLL_MAPPING_FOLDER, a.tenant)
                     : save(a.tenant, a.name, &m);
}
