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

#include <errno.h>
#include <getopt.h>
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

enum {
    OPT_TENANT = 3000,
    OPT_NAME,
    OPT_SEP,
    OPT_DEC,
    OPT_DATEFMT,
    OPT_SKIP,
    OPT_LIST,
    OPT_HELP,
    OPT_LANG,
    OPT_COL /* + index of the column option */
};

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

int cmd_bank_csv_mapping(int argc, char **argv)
{
    static const char *const col_opts[] = {"date-col",  "value-date-col", "label-col", "amount-col",
                                           "debit-col", "credit-col",     "ref-col"};
    struct option opts[] = {{"tenant", required_argument, NULL, OPT_TENANT},
                            {"name", required_argument, NULL, OPT_NAME},
                            {"separator", required_argument, NULL, OPT_SEP},
                            {"decimal", required_argument, NULL, OPT_DEC},
                            {"date-format", required_argument, NULL, OPT_DATEFMT},
                            {"skip", required_argument, NULL, OPT_SKIP},
                            {"list", no_argument, NULL, OPT_LIST},
                            {"help", no_argument, NULL, OPT_HELP},
                            {"lang", required_argument, NULL, OPT_LANG},
                            {col_opts[0], required_argument, NULL, OPT_COL + 0},
                            {col_opts[1], required_argument, NULL, OPT_COL + 1},
                            {col_opts[2], required_argument, NULL, OPT_COL + 2},
                            {col_opts[3], required_argument, NULL, OPT_COL + 3},
                            {col_opts[4], required_argument, NULL, OPT_COL + 4},
                            {col_opts[5], required_argument, NULL, OPT_COL + 5},
                            {col_opts[6], required_argument, NULL, OPT_COL + 6},
                            {0}};
    gl_bank_csv_mapping m;
    gl_bank_mapping_defaults(&m);
    int *const cols[] = {&m.date_col,  &m.value_date_col, &m.label_col, &m.amount_col,
                         &m.debit_col, &m.credit_col,     &m.ref_col};
    const char *tenant = getenv("GRANDLIVRE_TENANT"), *name = NULL;
    bool listing = false;
    long v;
    int opt, rc = 0;
    optind = 1;
    opterr = 0;
    while (!rc && (opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (opt) {
        case OPT_TENANT: tenant = optarg; break;
        case OPT_NAME: name = optarg; break;
        case OPT_LIST: listing = true; break;
        case OPT_LANG: i18n_set_lang(optarg); break;
        case OPT_HELP: fputs(_(help), stdout); return 0;
        case OPT_SEP:
            m.separator = !strcmp(optarg, "tab") ? '\t' : strlen(optarg) == 1 ? optarg[0] : 0;
            break;
        case OPT_DEC: m.decimal = strlen(optarg) == 1 ? optarg[0] : 0; break;
        case OPT_DATEFMT:
            if (strlen(optarg) >= sizeof m.date_format)
                m.date_format[0] = 'X'; /* refused by the check */
            else
                strcpy(m.date_format, optarg);
            break;
        case OPT_SKIP:
            rc = number_arg("--skip", optarg, &v);
            m.skip_lines = (unsigned)v;
            break;
        default:
            if (opt >= OPT_COL && opt < OPT_COL + 7) {
                rc = number_arg(col_opts[opt - OPT_COL], optarg, &v);
                *cols[opt - OPT_COL] = (int)v;
                break;
            }
            fputs(_(help), stderr);
            return EXIT_USAGE;
        }
    }
    if (rc)
        return rc;
    if (optind < argc || !tenant || (!listing && !name)) {
        fputs(_(help), stderr);
        return EXIT_USAGE;
    }
    return listing ? mapping_file_list(BANK_MAPPING_FOLDER, tenant) : save(tenant, name, &m);
}
