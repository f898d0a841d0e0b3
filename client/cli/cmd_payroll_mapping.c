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

#include <errno.h>
#include <getopt.h>
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

enum {
    OPT_TENANT = 3000,
    OPT_NAME_ARG,
    OPT_SEP,
    OPT_DEC,
    OPT_DATEFMT,
    OPT_SKIP,
    OPT_LIST,
    OPT_HELP,
    OPT_LANG,
    OPT_COL /* + index of the column option; + NCOLS: its -col spelling */
};

#define NCOLS 10

static const char *const col_opts[NCOLS] = {"date",   "month",   "employee", "employee-name",
                                            "rubric", "account", "debit",    "credit",
                                            "amount", "action"};

static const char *const col_opts_long[NCOLS] = {
    "date-col",    "month-col", "employee-col", "employee-name-col", "rubric-col",
    "account-col", "debit-col", "credit-col",   "amount-col",        "action-col"};

/* A column or count option's value: 0-1000. */
static int number_arg(const char *opt, const char *v, long *out)
{
    char *end;
    errno = 0;
    *out = strtol(v, &end, 10);
    if (!v[0] || *end || errno || *out < 0 || *out > 1000) {
        cli_error("%s: a number from 0 to 1000 expected, not '%s'", opt, v);
        return EXIT_USAGE;
    }
    return 0;
}

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

/* The layout's options (as bank csv-mapping's). */
static int layout_opt(int opt, const char *arg, gl_payroll_mapping *m)
{
    long v;
    switch (opt) {
    case OPT_SEP:
        m->csv.separator = !strcmp(arg, "tab") ? '\t' : strlen(arg) == 1 ? arg[0] : 0;
        break;
    case OPT_DEC: m->csv.decimal = strlen(arg) == 1 ? arg[0] : 0; break;
    case OPT_DATEFMT:
        if (strlen(arg) >= sizeof m->csv.date_format)
            m->csv.date_format[0] = 'X'; /* refused by the check */
        else
            strcpy(m->csv.date_format, arg);
        break;
    case OPT_SKIP:
        if (number_arg("--skip", arg, &v))
            return EXIT_USAGE;
        m->csv.skip_lines = (unsigned)v;
        break;
    default: return -1;
    }
    return 0;
}

static int column_opt(int opt, const char *arg, gl_payroll_mapping *m)
{
    int *const cols[NCOLS] = {&m->date_col,   &m->month_col,   &m->employee_col, &m->name_col,
                              &m->rubric_col, &m->account_col, &m->debit_col,    &m->credit_col,
                              &m->amount_col, &m->action_col};
    int i = (opt - OPT_COL) % NCOLS;
    long v;
    if (number_arg(col_opts[i], arg, &v))
        return EXIT_USAGE;
    *cols[i] = (int)v;
    return 0;
}

int cmd_payroll_csv_mapping(int argc, char **argv)
{
    struct option opts[10 + 2 * NCOLS] = {{"tenant", required_argument, NULL, OPT_TENANT},
                                          {"name", required_argument, NULL, OPT_NAME_ARG},
                                          {"separator", required_argument, NULL, OPT_SEP},
                                          {"decimal", required_argument, NULL, OPT_DEC},
                                          {"date-format", required_argument, NULL, OPT_DATEFMT},
                                          {"skip", required_argument, NULL, OPT_SKIP},
                                          {"list", no_argument, NULL, OPT_LIST},
                                          {"help", no_argument, NULL, OPT_HELP},
                                          {"lang", required_argument, NULL, OPT_LANG}};
    for (int i = 0; i < NCOLS; i++) {
        opts[9 + i] = (struct option){col_opts[i], required_argument, NULL, OPT_COL + i};
        opts[9 + NCOLS + i] =
            (struct option){col_opts_long[i], required_argument, NULL, OPT_COL + NCOLS + i};
    }
    opts[9 + 2 * NCOLS] = (struct option){0};
    gl_payroll_mapping m;
    gl_payroll_mapping_defaults(&m);
    const char *tenant = getenv("GRANDLIVRE_TENANT"), *name = NULL;
    bool listing = false;
    int opt, rc = 0;
    optind = 1;
    opterr = 0;
    while (!rc && (opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (opt == OPT_TENANT)
            tenant = optarg;
        else if (opt == OPT_NAME_ARG)
            name = optarg;
        else if (opt == OPT_LIST)
            listing = true;
        else if (opt == OPT_LANG)
            i18n_set_lang(optarg);
        else if (opt == OPT_HELP)
            return fputs(_(help), stdout), 0;
        else if (opt >= OPT_COL && opt < OPT_COL + 2 * NCOLS)
            rc = column_opt(opt, optarg, &m);
        else if ((rc = layout_opt(opt, optarg, &m)) < 0)
            return fputs(_(help), stderr), EXIT_USAGE;
    }
    if (rc)
        return rc;
    if (!name && optind < argc)
        name = argv[optind++];
    if (optind < argc || !tenant || (!listing && !name)) {
        fputs(_(help), stderr);
        return EXIT_USAGE;
    }
    return listing ? mapping_file_list(PAYROLL_MAPPING_FOLDER, tenant) : save(tenant, name, &m);
}
