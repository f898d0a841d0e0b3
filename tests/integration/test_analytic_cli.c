/*
 * tests/integration/test_analytic_cli.c — issue 19, `grandlivre analytic`
 * and the analytic codes of `grandlivre post` against a real daemon, as a
 * person runs them: axes and codes opened (one by one and from a file), a
 * rule required, entries posted in JSON and CSV with one code and with
 * distributions (percentages, amounts), the analytic balance and ledger
 * read as tables (the text compared whole) and as CSV, a line allocated
 * afterwards from a file, and every refusal shown with its code and
 * message, the ledger unchanged (analytic_cli_refusals); a member cannot
 * read another tenant's analytic balance.
 *
 * The books (tenant alpha, 2026), after analytic_books():
 *   axes action (Actions) and financeur (Financeurs); codes action
 *   FSE-2026 (Opération FSE 2026), ACCUEIL (Accueil de jour), AIDE (Aide
 *   aux devoirs) from a file; financeur FSE, VILLE; rule: action on 6.
 *   2026/1  10/03  D 606400 1500.00 action=FSE-2026, financeur FSE 60 % VILLE 40 %
 *                  C 401000 1500.00
 *   2026/2  31/03  D 641100 1000.01 action ACCUEIL 50 % AIDE 50 % (CSV)
 *                  C 421000 1000.01
 *   2026/3  15/04  D 512000 / C 706000 200.00 (no code: 706 needs none)
 */
#include "tests/support/harness.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static harness h;

static int cli(char *out, size_t cap, const char *args)
{
    return h_cli(&h, K_ACCOUNTANT, out, cap, "%s", args);
}

/* Run args as the accountant; it must succeed. */
static void ok(const char *args)
{
    char out[8192], err[4096];
    int rc = cli(out, sizeof out, args);
    h_cli_err(&h, err, sizeof err);
    cr_assert_eq(rc, 0, "%s: exit %d\n%s%s", args, rc, out, err);
}

/* Write text to DIR/name; its path into path. */
static void file(const char *name, const char *text, char *path, size_t cap)
{
    snprintf(path, cap, "%s/%s", h.dir, name);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(text, f);
    cr_assert(fclose(f) == 0);
}

static const char entries_json[] =
    "{\"entries\": [{\"date\": \"2026-03-10\", \"journal\": \"AC\", \"piece\": \"F-101\",\n"
    " \"label\": \"Fournitures atelier\", \"lines\": [\n"
    "  {\"account\": \"606400\", \"debit\": \"1500.00\",\n"
    "   \"analytic\": {\"action\": \"FSE-2026\", \"financeur\": \"FSE:60%,VILLE:40%\"}},\n"
    "  {\"account\": \"401000\", \"credit\": \"1500.00\"}]}]}\n";

static const char entries_csv[] =
    "date;journal;piece;label;account;debit;credit;analytic\n"
    "2026-03-31;OD;PAIE-03;Salaires mars;641100;1000,01;;\"action=ACCUEIL:50%,AIDE:50%\"\n"
    "2026-03-31;OD;PAIE-03;Salaires mars;421000;;1000,01;\n";

static const char sale_json[] =
    "{\"date\": \"2026-04-15\", \"journal\": \"VE\", \"piece\": \"V-1\", \"label\": \"Vente\",\n"
    " \"lines\": [{\"account\": \"512000\", \"debit\": \"200.00\"},\n"
    "  {\"account\": \"706000\", \"credit\": \"200.00\"}]}\n";

static void analytic_books(void)
{
    h_setup(&h);
    static const char *const accounts[] = {"401000", "421000", "512000",
                                           "606400", "641100", "706000"};
    h_open_accounts(&h, "alpha", accounts, 6);
    char path[400];
    ok("analytic axis open action --tenant alpha --label Actions");
    ok("analytic axis open financeur --tenant alpha --label Financeurs");
    ok("analytic code open action fse-2026 --tenant alpha --label 'Opération FSE 2026'");
    file("codes.csv",
         "code;label\nACCUEIL;Accueil de jour\n\n# the homework club\nAIDE;\"Aide aux devoirs\"\n",
         path, sizeof path);
    char args[600];
    snprintf(args, sizeof args, "analytic codes import action %s --tenant alpha", path);
    ok(args);
    ok("analytic code open financeur FSE --tenant alpha --label 'Fonds social européen'");
    ok("analytic code open financeur VILLE --tenant alpha --label 'Ville'");
    ok("analytic rule require action 6 --tenant alpha");
    file("entries.json", entries_json, path, sizeof path);
    snprintf(args, sizeof args, "post --tenant alpha %s", path);
    ok(args);
    file("entries.csv", entries_csv, path, sizeof path);
    snprintf(args, sizeof args, "post --tenant alpha %s", path);
    ok(args);
    file("sale.json", sale_json, path, sizeof path);
    snprintf(args, sizeof args, "post --tenant alpha %s", path);
    ok(args);
}

static void teardown(void) { h_teardown(&h); }

TestSuite(analytic_cli, .init = analytic_books, .fini = teardown, .timeout = 240);

/* stdout of args (which must succeed) equals want. */
static void prints(const char *args, const char *want)
{
    char out[8192], err[4096];
    int rc = cli(out, sizeof out, args);
    h_cli_err(&h, err, sizeof err);
    cr_assert_eq(rc, 0, "%s: exit %d\n%s%s", args, rc, out, err);
    cr_assert_str_eq(out, want, "%s printed:\n%s", args, out);
}

Test(analytic_cli, axes_codes_and_rules_listed)
{
    prints("analytic axes --tenant alpha --format csv",
           "axis,code,state,label,required_on\n"
           "action,,open,Actions,6\n"
           "action,ACCUEIL,open,Accueil de jour,\n"
           "action,AIDE,open,Aide aux devoirs,\n"
           "action,FSE-2026,open,Opération FSE 2026,\n"
           "financeur,,open,Financeurs,\n"
           "financeur,FSE,open,Fonds social européen,\n"
           "financeur,VILLE,open,Ville,\n");
    /* a file imported again sends nothing; a closed code shows as closed */
    char path[400], args[600], err[4096];
    snprintf(path, sizeof path, "%s/codes.csv", h.dir);
    snprintf(args, sizeof args, "analytic codes import action %s --tenant alpha", path);
    ok(args);
    ok("analytic code close action AIDE --tenant alpha");
    h_cli_err(&h, err, sizeof err);
    char out[8192];
    cr_assert_eq(cli(out, sizeof out, "analytic axes --tenant alpha --format csv"), 0);
    cr_assert(strstr(out, "action,AIDE,closed,Aide aux devoirs,\n"), "%s", out);
}

Test(analytic_cli, balance_as_a_person_reads_it)
{
    prints("analytic balance --axis action --year 2026 --tenant alpha --wide",
           "Analytic balance — alpha — axis action — fiscal year 2026, 2026-01-01 to 2026-12-31\n"
           "code      label               account    debit  credit  balance\n"
           "ACCUEIL   Accueil de jour     641100    500.01    0.00   500.01\n"
           "ACCUEIL   Total                         500.01    0.00   500.01\n"
           "AIDE      Aide aux devoirs    641100    500.00    0.00   500.00\n"
           "AIDE      Total                         500.00    0.00   500.00\n"
           "FSE-2026  Opération FSE 2026  606400   1500.00    0.00  1500.00\n"
           "FSE-2026  Total                        1500.00    0.00  1500.00\n"
           "          not allocated       706000      0.00  200.00  -200.00\n"
           "          Total                           0.00  200.00  -200.00\n"
           "TOTAL                                  2500.01  200.00  2300.01\n");
    prints("analytic balance --axis financeur --at 2026-03-15 --tenant alpha --format csv",
           "code,label,account,debit,credit,balance\n"
           "FSE,Fonds social européen,606400,900.00,0.00,900.00\n"
           "VILLE,Ville,606400,600.00,0.00,600.00\n");
    /* before the entries: nothing */
    prints("analytic balance --axis financeur --at 2026-03-01 --tenant alpha --format csv",
           "code,label,account,debit,credit,balance\n");
}

Test(analytic_cli, balance_in_french)
{
    char out[8192];
    cr_assert_eq(
        cli(out, sizeof out, "analytic balance --axis action --year 2026 --tenant alpha --lang fr"),
        0);
    cr_assert(strstr(out, "code"), "%s", out);
    cr_assert(strstr(out, "libellé"), "%s", out);
    cr_assert(strstr(out, "compte"), "%s", out);
    cr_assert(strstr(out, "débit"), "%s", out);
    cr_assert(strstr(out, "1 500,00"), "%s", out);
    cr_assert(strstr(out, "01/01/2026"), "%s", out);
}

Test(analytic_cli, ledger_of_a_code)
{
    prints(
        "analytic ledger --axis financeur --code FSE --tenant alpha --wide",
        "Analytic ledger — alpha — axis financeur, code FSE\n"
        "date        line      journal  piece  account  label                 debit  credit  balance  "
        "source\n"
        "2026-03-10  2026/1:1  AC       F-101  606400   Fournitures atelier  900.00    0.00   900.00  "
        "entry\n"
        "            TOTAL                                                   900.00    0.00   900.00  "
        "\n");
    prints("analytic ledger --axis action --code ACCUEIL --from 2026-04 --tenant alpha",
           "Analytic ledger — alpha — axis action, code ACCUEIL\n(no line)\n");
}

Test(analytic_cli, allocate_afterwards)
{
    char path[400], args[600], err[4096];
    file("alloc.csv",
         "entry;line;axis;codes\n"
         "2026/3;2;action;ACCUEIL:150.00,AIDE:50.00\n"
         "2026/3;2;financeur;VILLE\n",
         path, sizeof path);
    snprintf(args, sizeof args, "analytic allocate %s --tenant alpha", path);
    ok(args);
    prints("analytic balance --axis action --year 2026 --tenant alpha --format csv",
           "code,label,account,debit,credit,balance\n"
           "ACCUEIL,Accueil de jour,641100,500.01,0.00,500.01\n"
           "ACCUEIL,Accueil de jour,706000,0.00,150.00,-150.00\n"
           "AIDE,Aide aux devoirs,641100,500.00,0.00,500.00\n"
           "AIDE,Aide aux devoirs,706000,0.00,50.00,-50.00\n"
           "FSE-2026,Opération FSE 2026,606400,1500.00,0.00,1500.00\n");
    prints("analytic ledger --axis action --code AIDE --tenant alpha --format csv",
           "date,line,journal,piece,account,label,debit,credit,balance,source\n"
           "2026-03-31,2026/2:1,OD,PAIE-03,641100,Salaires mars,500.00,0.00,500.00,entry\n"
           "2026-04-15,2026/3:2,VE,V-1,706000,Vente,0.00,50.00,450.00,allocation\n");
    /* removed again: "-" */
    file("unalloc.csv", "2026/3;2;action;-\n", path, sizeof path);
    snprintf(args, sizeof args, "analytic allocate %s --tenant alpha", path);
    ok(args);
    h_cli_err(&h, err, sizeof err);
    char out[8192];
    cr_assert_eq(cli(out, sizeof out,
                     "analytic balance --axis action --tenant alpha "
                     "--year 2026 --format csv"),
                 0);
    cr_assert(strstr(out, ",,706000,0.00,200.00,-200.00\n"), "%s", out);
}

/* post --dry-run shows the codes in cents as they will be signed. */
Test(analytic_cli, dry_run_shows_the_codes_in_cents)
{
    char path[400], args[600];
    file("dry.csv",
         "date;journal;piece;label;account;debit;credit;analytic\n"
         "2026-05-02;AC;F-7;Achat;606400;100,00;;\"action=ACCUEIL:33.3333%,AIDE:66.6667%\"\n"
         "2026-05-02;AC;F-7;Achat;401000;;100,00;\n",
         path, sizeof path);
    snprintf(args, sizeof args, "post --tenant alpha --dry-run --format csv %s", path);
    prints(args,
           "input,line,tenant,date,journal,piece,account,aux,label,debit,credit,analytic\n"
           "1,1,alpha,2026-05-02,AC,F-7,606400,,Achat,100.00,0.00,"
           "\"action=ACCUEIL:33.33,AIDE:66.67\"\n"
           "1,2,alpha,2026-05-02,AC,F-7,401000,,Achat,0.00,100.00,\n");
}

/* A reversal carries the entry's codes: each code nets to zero, and the
 * rule on class 6 (action required) lets it through. */
Test(analytic_cli, a_reversal_carries_the_codes)
{
    ok("reverse --tenant alpha 2026/1 --date 2026-03-20");
    prints("analytic balance --axis financeur --year 2026 --tenant alpha --format csv",
           "code,label,account,debit,credit,balance\n"
           "FSE,Fonds social européen,606400,900.00,900.00,0.00\n"
           "VILLE,Ville,606400,600.00,600.00,0.00\n"
           ",,641100,1000.01,0.00,1000.01\n"
           ",,706000,0.00,200.00,-200.00\n");
    char out[8192];
    cr_assert_eq(cli(out, sizeof out, "entry --tenant alpha 2026/4 --format json"), 0);
    cr_assert(strstr(out, "\"analytic\": {"), "%s", out);
    cr_assert(strstr(out, "\"action\": \"FSE-2026\""), "%s", out);
    cr_assert(strstr(out, "\"financeur\": \"FSE:900.00,VILLE:600.00\""), "%s", out);
    cr_assert_eq(cli(out, sizeof out, "entry --tenant alpha 2026/2"), 0);
    cr_assert(strstr(out, "line 1, analytic codes: action=ACCUEIL:500.01,AIDE:500.00\n"), "%s",
              out);
}

/* ---- refusals: the code and message shown, nothing changed ---- */

static uint8_t before[32];
static void refusal_books(void)
{
    analytic_books();
    h_digest(&h, before);
}
static void unchanged(void)
{
    uint8_t after[32];
    h_digest(&h, after);
    cr_assert_eq(memcmp(before, after, 32), 0, "a refusal changed the ledger");
}

TestSuite(analytic_cli_refusals, .init = refusal_books, .fini = teardown, .timeout = 240);

/* Run args as key k: exit status want, and stderr holds needle. */
static void refused_as(enum h_key k, const char *args, int want, const char *needle)
{
    char out[4096], err[4096];
    int rc = h_cli(&h, k, out, sizeof out, "%s", args);
    h_cli_err(&h, err, sizeof err);
    cr_expect_eq(rc, want, "%s: exit %d\n%s%s", args, rc, out, err);
    cr_expect(strstr(err, needle), "%s: no '%s' in:\n%s", args, needle, err);
    /* under make asan, a refusal's path is checked too (its exit is 1 or 2 anyway) */
    cr_expect(!strstr(err, "Sanitizer") && !strstr(err, "runtime error"), "%s:\n%s", args, err);
}

static void refused(const char *args, int want, const char *needle)
{
    refused_as(K_ACCOUNTANT, args, want, needle);
}

/* post FILE holding text: refused with needle */
static void post_refused(const char *name, const char *text, int want, const char *needle)
{
    char path[400], args[600];
    file(name, text, path, sizeof path);
    snprintf(args, sizeof args, "post --tenant alpha %s", path);
    refused(args, want, needle);
}

#define ONE_LINE(account, side, analytic)                                                   \
    "{\"date\": \"2026-05-02\", \"journal\": \"OD\", \"piece\": \"X\", \"label\": \"X\",\n" \
    " \"lines\": [{\"account\": \"" account "\", \"" side "\": \"10.00\"" analytic          \
    "},\n"                                                                                  \
    "  {\"account\": \"512000\", \"" side "\": \"-10.00\"}]}\n"

RTest(analytic_cli_refusals, posts_refused_by_the_daemon)
{
    post_refused("no-action.json",
                 "{\"date\": \"2026-05-02\", \"journal\": \"AC\", \"piece\": \"F-9\", "
                 "\"label\": \"X\", \"lines\": [{\"account\": \"606400\", \"debit\": \"10.00\"}, "
                 "{\"account\": \"401000\", \"credit\": \"10.00\"}]}\n",
                 1, "486 analytic_required");
    post_refused("unknown-code.json",
                 "{\"date\": \"2026-05-02\", \"journal\": \"AC\", \"piece\": \"F-9\", "
                 "\"label\": \"X\", \"lines\": [{\"account\": \"606400\", \"debit\": \"10.00\", "
                 "\"analytic\": {\"action\": \"NOPE\"}}, "
                 "{\"account\": \"401000\", \"credit\": \"10.00\"}]}\n",
                 1, "485 analytic_code_unknown");
    post_refused("unknown-axis.json",
                 "{\"date\": \"2026-05-02\", \"journal\": \"AC\", \"piece\": \"F-9\", "
                 "\"label\": \"X\", \"lines\": [{\"account\": \"606400\", \"debit\": \"10.00\", "
                 "\"analytic\": {\"action\": \"ACCUEIL\", \"projet\": \"P1\"}}, "
                 "{\"account\": \"401000\", \"credit\": \"10.00\"}]}\n",
                 1, "484 analytic_axis_unknown");
}

RTest(analytic_cli_refusals, post_input_refused_by_the_client)
{
    post_refused("bad-spec.json",
                 "{\"date\": \"2026-05-02\", \"journal\": \"AC\", \"piece\": \"F-9\",\n"
                 "\"label\": \"X\", \"lines\": [\n"
                 "{\"account\": \"606400\", \"debit\": \"10.00\", "
                 "\"analytic\": {\"action\": \"ACCUEIL:60%,AIDE:30%\"}},\n"
                 "{\"account\": \"401000\", \"credit\": \"10.00\"}]}\n",
                 2, "entry 1 line 1: \"analytic\": axis \"action\": the percentages do not sum");
    post_refused("bad-spec.csv",
                 "date;journal;piece;label;account;debit;credit;analytic\n"
                 "2026-05-02;AC;F-9;X;606400;10,00;;\"action=ACCUEIL:6.00,AIDE:3.00\"\n"
                 "2026-05-02;AC;F-9;X;401000;;10,00;\n",
                 2, "line 2: analytic: the amounts do not sum to the line's amount: 9.00 != 10.00");
}

RTest(analytic_cli_refusals, allocations_refused_at_the_file_line)
{
    char path[400], args[600];
    file("a1.csv", "entry;line;axis;codes\n2026/3;2;action;ACCUEIL:50%\n", path, sizeof path);
    snprintf(args, sizeof args, "analytic allocate %s --tenant alpha", path);
    refused(args, 2, "a1.csv:2: error 966 analytic_file");
    file("a2.csv", "2026/3;2;action;ACCUEIL\n2026/3;9;action;ACCUEIL\n", path, sizeof path);
    snprintf(args, sizeof args, "analytic allocate %s --tenant alpha", path);
    refused(args, 2,
            "a2.csv:2: error 966 analytic_file: a row of the analytic file (codes or "
            "allocations) is invalid; nothing was sent — the entry has no such line");
    file("a3.csv", "2026/3;2;action;ACCUEIL\n2026/3;2;action;AIDE\n", path, sizeof path);
    snprintf(args, sizeof args, "analytic allocate %s --tenant alpha", path);
    refused(args, 2, "the same line and axis as line 1");
    /* the daemon's refusals name the row's file line */
    file("a4.csv", "# the sale\n2026/3;2;financeur;VILLE\n2026/1;1;action;AIDE\n", path,
         sizeof path);
    snprintf(args, sizeof args, "analytic allocate %s --tenant alpha", path);
    refused(args, 1, "487 analytic_in_entry");
    refused(args, 1, "a4.csv:3: the row refused; nothing was allocated");
    file("a5.csv", "2026/3;2;action;NOPE\n", path, sizeof path);
    snprintf(args, sizeof args, "analytic allocate %s --tenant alpha", path);
    refused(args, 1, "485 analytic_code_unknown");
    file("a6.csv", "2026/99;1;action;ACCUEIL\n", path, sizeof path);
    snprintf(args, sizeof args, "analytic allocate %s --tenant alpha", path);
    refused(args, 1, "a6.csv:1: entry 2026/99: nothing was allocated");
}

RTest(analytic_cli_refusals, codes_and_axes_refused)
{
    char path[400], args[600];
    file("bad-codes.csv", "code;label\nOK1;Bon\nnot a code;Mauvais\n", path, sizeof path);
    snprintf(args, sizeof args, "analytic codes import action %s --tenant alpha", path);
    refused(args, 2, "bad-codes.csv:3: error 966 analytic_file");
    file("codes.csv", "NEW1;Nouveau\n", path, sizeof path);
    snprintf(args, sizeof args, "analytic codes import projet %s --tenant alpha", path);
    refused(args, 1, "484 analytic_axis_unknown");
    refused("analytic code open projet P1 --tenant alpha --label P", 1,
            "484 analytic_axis_unknown");
    refused("analytic axis open Action --tenant alpha --label A", 2, "is not an axis name");
    refused("analytic axis open projet --tenant alpha", 2, "--label TEXT is required");
    refused("analytic rule require action 0 --tenant alpha", 2, "is not an account prefix");
    refused("analytic balance --axis projet --tenant alpha --year 2026", 1,
            "484 analytic_axis_unknown");
}

RTest(analytic_cli_refusals, a_member_reads_its_own_tenant_only)
{
    refused_as(K_BETA, "analytic balance --axis action --tenant alpha --year 2026", 1,
               "300 forbidden");
    refused_as(K_BETA, "analytic ledger --axis action --code ACCUEIL --tenant alpha", 1,
               "300 forbidden");
    refused_as(K_BETA, "analytic axes --tenant alpha", 1, "300 forbidden");
    char out[4096];
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out,
                       "analytic balance --axis action "
                       "--year 2026 --format csv"),
                 0);
    cr_assert(strstr(out, "FSE-2026,Opération FSE 2026,606400,1500.00"), "%s", out);
}
