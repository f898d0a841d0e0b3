/*
 * client/cli/main.c — `grandlivre`: the command-line client that
 * associations, the shared accountant and auditors run.  Dispatches to one
 * file per subcommand (cmd_*.c); each has its own --help.  Options may come
 * before the command (`grandlivre --tenant agiie balance`) as after it:
 * those before are moved behind the command's name, so each command parses
 * them as its own.
 */
#include "cli.h"
#include "third_parties.h"
#include "i18n.h"
#include "complete.h"
#include "cmd_bank.h"
#include "cmd_analytic.h"
#include "cmd_grants.h"
#include "cmd_payroll.h"

#include "proto/limits.h"
#include "proto/version.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <zmq.h>

static const char usage_text[] =
    "usage: grandlivre COMMAND [options] [arguments]\n"
    "\n"
    "Commands:\n"
    "  keygen     create a key file (Ed25519) and print its public key\n"
    "  ping       check that the daemon answers and who you are to it\n"
    "  whoami     your key, the daemon, its ledger id, your role there\n"
    "  accounts   list, open, import, relabel accounts; load the chart of a year; check\n"
    "  post       post entries from a JSON file (all or none)\n"
    "  balance    trial balance (balance générale) as of a date\n"
    "  journal    entries over a date range\n"
    "  ledger     one account's lines with running balance (grand livre)\n"
    "  fec        import or export a FEC file (Fichier des Écritures Comptables)\n"
    "  export     export hledger: a journal that hledger reads\n"
    "  entry      show one entry (e.g. 2025/123), its letter codes, its reversal\n"
    "  reverse    post the reversal (contre-passation) of an entry\n"
    "  letter     match lines of a third-party account (lettrage); unletter undoes\n"
    "  lock       lock periods (months) of a tenant, in order, for ever\n"
    "  periods    lock and fiscal-year status of a tenant\n"
    "  close-year close a fiscal year: result to 120/129, à-nouveaux of the next\n"
    "  appropriate  post the general assembly's appropriation of a result\n"
    "  recharge   allocation keys and cost recharges between the umbrella and members\n"
    "  dues       the members' annual dues to the umbrella\n"
    "  group      combined balance, statements and intercompany reconciliation\n"
    "  statements bilan, compte de résultat and contributions en nature of a year, in its model (2018-06 or 2025)\n"
    "  annexe     the annexe of a year's accounts: fixed assets, provisions, funds, equity, maturities (HTML, PDF)\n"
    "  stats      the daemon's service times per request kind and its memory\n"
    "  backup     a consistent hot copy of the whole ledger (accountant)\n"
    "  archive    everything an auditor needs to verify tenants offline, in one file\n"
    "  verify     verify an archive offline: signatures, hash chains, numbering, balances\n"
    "  config     write (init) or show the client's configuration file and its profiles\n"
    "  web        the books in a browser, served on this machine (127.0.0.1)\n"
    "  third-parties  the registry of third parties (tiers): add, set, list, show, import\n"
    "  receivables  aged balance (balance âgée) of customers or suppliers; doubtful debts\n"
    "  reminders  reminder letters (relances) for overdue items, printable HTML\n"
    "  impairment year-end entries for doubtful debts: 416, dépréciation 491/681740\n"
    "  bank       bank accounts and statements (rapprochement): account, import, lines\n"
    "  analytic   analytic accounting: axes, codes, rules, balance, ledger, allocations\n"
    "  timesheets the hours of each employee per action and month: import, set, show\n"
    "  staff-costs  each employee's 641x/645x costs of a year by action, 1,720 h rate\n"
    "  grants     the grants (subventions) of funders for actions: set, delete, list\n"
    "  assets     the fixed-asset register (immobilisations): add, import, list, show, dispose\n"
    "  depreciation  the depreciation entries (dotations) through a month, once confirmed\n"
    "  budget     actions' budgets per year, versioned: set, import, show, compare\n"
    "  dedicated-funds  fonds dédiés per dedicated grant: year-end entries, annexe table\n"
    "  payroll    the payroll journal (journal de paie) imported: one entry a month, journal SA\n"
    "  fse-report   an FSE operation's costs (staff, flat rate) and resources, with evidence\n"
    "  grant-report the compte-rendu financier of a grant (CERFA 15059): budget and actual\n"
    "\n"
    "Common options (every command that talks to the daemon):\n"
    "  --endpoint URL    daemon address (env GRANDLIVRE_ENDPOINT)\n"
    "  --key FILE        your key file (env GRANDLIVRE_KEY)\n"
    "  --server-key HEX  the daemon's public key, pinned (env GRANDLIVRE_SERVER_KEY)\n"
    "  --tenant ID       the tenant (association) to work on (env GRANDLIVRE_TENANT);\n"
    "                    without one, a member's key works on its own tenant\n"
    "  --profile NAME    the profile of ~/.config/grandlivre/config to use (env\n"
    "                    GRANDLIVRE_PROFILE; default [default]): flags win over the\n"
    "                    environment, which wins over the file (grandlivre config)\n"
    "  --timeout SEC     give up after SEC seconds without an answer (default 30)\n"
    "  --format F        table (default), table-fr, csv, csv-fr or json; in CSV a\n"
    "                    text cell starting with = + - @ TAB or CR gets a leading '\n"
    "                    (no spreadsheet runs it as a formula); amounts stay numbers;\n"
    "                    csv-fr is for French spreadsheets (';', decimal comma, BOM);\n"
    "                    json is one document on stdout (amounts in cents), or the\n"
    "                    command refuses it (975: archive, verify, fec/hledger export)\n"
    "  --lang L          fr, en or auto (env GRANDLIVRE_LANG, profile's lang; auto,\n"
    "                    the default, is French under a French locale): messages,\n"
    "                    headers, and in tables dates 31/03/2025, amounts 1 234,56\n"
    "  --wide            tables show labels whole instead of cutting them (…) to\n"
    "                    fit the terminal (or 100 columns when not a terminal)\n"
    "  --request-id N    use this request id (a retry with the same id is safe)\n"
    "  --new             use a fresh random request id instead of one derived\n"
    "                    from the content (by default, posting the same content\n"
    "                    twice returns the first reply and writes nothing)\n"
    "\n"
    "Options may come before or after COMMAND.  grandlivre --version prints the\n"
    "versions of the program, its protocol and its libraries.\n"
    "Run 'grandlivre COMMAND --help' for a command's own options.\n"
    "Exit status: 0 ok, 1 refused by the daemon, 2 usage or input error,\n"
    "3 daemon unreachable or no answer in time, 4 key file problem,\n"
    "5 statements written but a check failed, 6 out of memory.\n";

/* --version: this program's, the wire protocol's, and the libraries' it
 * runs with (those loaded, not those compiled against). */
static void print_version(void)
{
    int zmq_major, zmq_minor, zmq_patch;
    zmq_version(&zmq_major, &zmq_minor, &zmq_patch);
    printf("grandlivre %s\nprotocol version %d\n", GL_RELEASE, GL_PROTOCOL_VERSION);
    printf("libzmq %d.%d.%d%s, libsodium %s, jansson %s\n", zmq_major, zmq_minor, zmq_patch,
           zmq_has("curve") ? " (CURVE)" : " (no CURVE)", sodium_version_string(),
           jansson_version_str());
}

/* The common options that take a value as the next argument (--opt VALUE):
 * that value is no command name. */
static bool takes_value(const char *arg)
{
    static const char *const with_value[] = {"--endpoint",   "--key",     "--server-key",
                                             "--tenant",     "--timeout", "--format",
                                             "--request-id", "--profile", "--lang"};
    for (size_t i = 0; i < sizeof with_value / sizeof with_value[0]; i++)
        if (!strcmp(arg, with_value[i]))
            return true;
    return false;
}

/* --lang as early as the first message: a mistake in the options is said
 * in the language asked for (cli_parse applies it again, with the
 * profile's, and names a bad value). */
static void early_lang(int argc, char **argv)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--"); i++) {
        if (!strcmp(argv[i], "--lang") && i + 1 < argc)
            i18n_set_lang(argv[i + 1]);
        else if (!strncmp(argv[i], "--lang=", 7))
            i18n_set_lang(argv[i] + 7);
    }
}

/* Move the options before the command behind it: argv[1] becomes the
 * command.  Returns false when there is no command (options only). */
static bool command_first(int argc, char **argv)
{
    int i = 1;
    while (i < argc && argv[i][0] == '-' && strcmp(argv[i], "--"))
        i += takes_value(argv[i]) && i + 1 < argc ? 2 : 1;
    if (i >= argc || argv[i][0] == '-')
        return false;
    char *command = argv[i];
    memmove(argv + 2, argv + 1, (size_t)(i - 1) * sizeof *argv);
    argv[1] = command;
    return true;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int, char **);
    } commands[] = {
        {"keygen", cmd_keygen},
        {"ping", cmd_ping},
        {"whoami", cmd_whoami},
        {"accounts", cmd_accounts},
        {"post", cmd_post},
        {"balance", cmd_balance},
        {"journal", cmd_journal},
        {"ledger", cmd_ledger},
        {"fec", cmd_fec},
        {"lock", cmd_lock},
        {"close-year", cmd_close_year},
        {"periods", cmd_periods},
        {"entry", cmd_entry},
        {"reverse", cmd_reverse},
        {"letter", cmd_letter},
        {"unletter", cmd_unletter},
        {"appropriate", cmd_appropriate},
        {"recharge", cmd_recharge},
        {"dues", cmd_dues},
        {"group", cmd_group},
        {"statements", cmd_statements},
        {"annexe", cmd_annexe},
        {"export", cmd_export},
        {"stats", cmd_stats},
        {"backup", cmd_backup},
        {"archive", cmd_archive},
        {"verify", cmd_verify},
        {"config", cmd_config},
        {"web", cmd_web},
        {"third-parties", cmd_third_parties},
        {"receivables", cmd_receivables},
        {"reminders", cmd_reminders},
        {"impairment", cmd_impairment},
        {"bank", cmd_bank},
        {"analytic", cmd_analytic},
        {"timesheets", cmd_timesheets},
        {"staff-costs", cmd_staff_costs},
        {"grants", cmd_grants},
        {"assets", cmd_assets},
        {"depreciation", cmd_depreciation},
        {"budget", cmd_budget},
        {"dedicated-funds", cmd_dedicated_funds},
        {"payroll", cmd_payroll},
        {"fse-report", cmd_fse_report},
        {"grant-report", cmd_grant_report},
    };
    i18n_init();
    early_lang(argc, argv);
    if (argc >= 2 && !strcmp(argv[1], "--version")) {
        print_version();
        return 0;
    }
    if (argc >= 2 && argv[1][0] == '-' && strcmp(argv[1], "--help") && strcmp(argv[1], "-h") &&
        !command_first(argc, argv)) {
        cli_error("no command after the options (see grandlivre --help)");
        return EXIT_USAGE;
    }
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
        !strcmp(argv[1], "help")) {
        fputs(usage_text, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    if (sodium_init() < 0) {
        cli_error("libsodium failed to initialise");
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "__complete")) { /* hidden: the shell completion's words */
        const char *names[sizeof commands / sizeof commands[0]];
        for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
            names[i] = commands[i].name;
        return cmd_complete(argc - 1, argv + 1, names, sizeof names / sizeof names[0]);
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    cli_error("unknown command '%s' (see grandlivre --help)", argv[1]);
    return EXIT_USAGE;
}
