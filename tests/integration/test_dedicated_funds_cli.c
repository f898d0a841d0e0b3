/*
 * tests/integration/test_dedicated_funds_cli.c — issue 19, `grandlivre
 * dedicated-funds` against a real daemon: a grant the departmental
 * council earmarked for project P (50 000.00, 2026-2027, dedicated), its
 * product and its charges posted with the action code, then the fonds
 * dédiés of 2026 (14 500.00 reported) and of 2027 (10 000.00 used, 4 500.00
 * left), posted with --post; the balance of 194000 equals the annexe's
 * closing; a second --post is reported and writes nothing (the ledger's
 * digest unchanged); the statements' fonds dédiés lines tie to the annexe
 * (bilan 19, compte de résultat 689/789); the annexe as an A4 HTML page,
 * in French under --lang fr.
 *
 * The books (tenant alpha):
 *   grant CD59-P-2026: funder CD59, action PROJ-P, account 741700,
 *     50 000.00, 2026-01-01 to 2027-12-31, dedicated
 *   2026/1  01/02/2026  D 512000 / C 741700 50 000.00 (action PROJ-P, financeur CD59)
 *   2026/2  30/06/2026  D 606000 / C 401000  5 500.00 (action PROJ-P)
 *   2026/3  30/09/2026  D 641100 / C 512000 30 000.00 (action PROJ-P)
 *   2027/1  31/03/2027  D 606000 / C 401000 10 000.00 (action PROJ-P)
 */
#include "tests/support/harness.h"

#include "proto/grant.h"
#include "proto/request.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static harness h;

static int cli(char *out, size_t cap, const char *args)
{
    return h_cli(&h, K_ACCOUNTANT, out, cap, "%s", args);
}

/* Run args as the accountant; it must succeed; stdout into out. */
static void ok_out(const char *args, char *out, size_t cap)
{
    char err[4096];
    int rc = cli(out, cap, args);
    h_cli_err(&h, err, sizeof err);
    cr_assert_eq(rc, 0, "%s: exit %d\n%s%s", args, rc, out, err);
}

static void ok(const char *args)
{
    char out[16384];
    ok_out(args, out, sizeof out);
}

static void file(const char *name, const char *text, char *path, size_t cap)
{
    snprintf(path, cap, "%s/%s", h.dir, name);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(text, f);
    cr_assert(fclose(f) == 0);
}

static const char entries_json[] =
    "{\"entries\": [\n"
    "{\"date\": \"2026-02-01\", \"journal\": \"BQ\", \"piece\": \"CD59-1\",\n"
    " \"label\": \"Subvention projet P\", \"lines\": [\n"
    "  {\"account\": \"512000\", \"debit\": \"50000.00\"},\n"
    "  {\"account\": \"741700\", \"credit\": \"50000.00\",\n"
    "   \"analytic\": {\"action\": \"PROJ-P\", \"financeur\": \"CD59\"}}]},\n"
    "{\"date\": \"2026-06-30\", \"journal\": \"AC\", \"piece\": \"F-1\",\n"
    " \"label\": \"Fournitures P\", \"lines\": [\n"
    "  {\"account\": \"606000\", \"debit\": \"5500.00\", \"analytic\": {\"action\": \"PROJ-P\"}},\n"
    "  {\"account\": \"401000\", \"credit\": \"5500.00\"}]},\n"
    "{\"date\": \"2026-09-30\", \"journal\": \"OD\", \"piece\": \"PAIE-09\",\n"
    " \"label\": \"Salaires P\", \"lines\": [\n"
    "  {\"account\": \"641100\", \"debit\": \"30000.00\", \"analytic\": {\"action\": \"PROJ-P\"}},\n"
    "  {\"account\": \"512000\", \"credit\": \"30000.00\"}]},\n"
    "{\"date\": \"2027-03-31\", \"journal\": \"AC\", \"piece\": \"F-2\",\n"
    " \"label\": \"Fournitures P\", \"lines\": [\n"
    "  {\"account\": \"606000\", \"debit\": \"10000.00\", \"analytic\": {\"action\": \"PROJ-P\"}},\n"
    "  {\"account\": \"401000\", \"credit\": \"10000.00\"}]}]}\n";

static void set_grant(const char *tenant)
{
    gl_grant_set_q q = {.op = GL_GRANT_SET_OP,
                        .grant = {.code = {"CD59-P-2026", 11},
                                  .label = {"Projet P", 8},
                                  .funder = {"CD59", 4},
                                  .action = {"PROJ-P", 6},
                                  .account = {"741700", 6},
                                  .amount_cents = 5000000,
                                  .from = 20260101,
                                  .to = 20271231,
                                  .flags = GL_GRANT_DEDICATED}};
    gl_buf body;
    gl_buf_init(&body);
    gl_grant_set_q_encode(&body, &q);
    gl_response resp;
    int st = h_call(&h, K_ACCOUNTANT, GL_KIND_GRANT_SET, tenant, 0, body.data, body.len, &resp);
    cr_assert_eq(st, GL_OK, "GRANT_SET: %d", st);
    gl_response_free(&resp);
    gl_buf_free(&body);
}

/* The books of the header in tenant, with its accounts[0..n) open. */
static void books_in(const char *tenant, const char *const *accounts, size_t n)
{
    char path[400], args[600];
    h_open_accounts(&h, tenant, accounts, n);
    static const char *const setup[] = {
        "analytic axis open action --tenant %s --label Actions",
        "analytic axis open financeur --tenant %s --label Financeurs",
        "analytic code open action PROJ-P --tenant %s --label 'Projet P'",
        "analytic code open financeur CD59 --tenant %s --label 'Département du Nord'"};
    for (size_t i = 0; i < 4; i++) {
        snprintf(args, sizeof args, setup[i], tenant);
        ok(args);
    }
    set_grant(tenant);
    file("entries.json", entries_json, path, sizeof path);
    snprintf(args, sizeof args, "post --tenant %s %s", tenant, path);
    ok(args);
}

static void books(void)
{
    h_setup(&h);
    static const char *const accounts[] = {"194000", "401000", "512000", "606000",
                                           "641100", "689400", "741700", "789400"};
    books_in("alpha", accounts, 8);
}

static void teardown(void) { h_teardown(&h); }

TestSuite(dedicated_funds_cli, .init = books, .fini = teardown, .timeout = 240);

static const char csv_head[] =
    "grant,label,funder,action,account,granted,charges,used_of_year,"
    "at_opening,reports,uses,transfers,at_closing,state\n";

Test(dedicated_funds_cli, the_grant_spent_over_two_years)
{
    char out[16384], err[4096];
    ok_out("dedicated-funds --year 2026 --tenant alpha --format csv", out, sizeof out);
    char want[1024];
    snprintf(want, sizeof want,
             "%sCD59-P-2026,Projet P,CD59,PROJ-P,741700,50000.00,35500.00,35500.00,0.00,14500.00,"
             "0.00,0.00,14500.00,proposed\n",
             csv_head);
    cr_assert_str_eq(out, want);
    /* printed, not posted */
    cr_assert_eq(h_balance(&h, "alpha", "194000", 20261231), 0);

    ok_out("dedicated-funds --year 2026 --tenant alpha --post", out, sizeof out);
    cr_assert(strstr(out, "FD-2026"), "%s", out);
    cr_assert(strstr(out, "The statements tie to the annexe"), "%s", out);
    cr_assert_eq(h_balance(&h, "alpha", "194000", 20261231), -1450000);
    cr_assert_eq(h_balance(&h, "alpha", "689400", 20261231), 1450000);

    /* again: reported as booked, nothing written */
    uint8_t before[32], after[32];
    h_digest(&h, before);
    ok_out("dedicated-funds --year 2026 --tenant alpha --post", out, sizeof out);
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32), "a second --post wrote");
    cr_assert(strstr(out, "booked"), "%s", out);
    cr_assert(strstr(out, "No entry to propose."), "%s", out);
    ok_out("dedicated-funds --year 2026 --tenant alpha --format csv", out, sizeof out);
    cr_assert(strstr(out, ",0.00,14500.00,0.00,0.00,14500.00,booked\n"), "%s", out);

    /* 2027: 10 000 spent, from the fonds dédiés of 2026 */
    ok_out("dedicated-funds --year 2027 --tenant alpha --format csv", out, sizeof out);
    snprintf(want, sizeof want,
             "%sCD59-P-2026,Projet P,CD59,PROJ-P,741700,0.00,10000.00,0.00,14500.00,0.00,"
             "10000.00,0.00,4500.00,proposed\n",
             csv_head);
    cr_assert_str_eq(out, want);
    ok_out("dedicated-funds --year 2027 --tenant alpha --post", out, sizeof out);
    h_cli_err(&h, err, sizeof err);
    cr_assert(strstr(out, "FD-2027"), "%s", out);
    /* 2026 is not closed: 2027's 194000 holds its movements only; both
     * years together hold the annexe's closing */
    int64_t fund =
        h_balance(&h, "alpha", "194000", 20261231) + h_balance(&h, "alpha", "194000", 20271231);
    cr_assert_eq(fund, -450000);
    cr_assert_eq(h_balance(&h, "alpha", "789400", 20271231), -1000000);
    h_digest(&h, before);
    ok_out("dedicated-funds --year 2027 --tenant alpha --post", out, sizeof out);
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32), "a second --post of 2027 wrote");
}

/* The JSON amount (cents) of the statements' line key in out. */
static long long stmt_amount(const char *out, const char *key)
{
    char needle[128];
    snprintf(needle, sizeof needle, "\"key\": \"%s\"", key);
    const char *p = strstr(out, needle);
    cr_assert(p, "%s not in the statements", key);
    p = strstr(p, "\"2026\": ");
    cr_assert(p);
    return atoll(p + 8);
}

Test(dedicated_funds_cli, the_statements_tie_to_the_annexe)
{
    static char out[262144];
    ok("dedicated-funds --year 2026 --tenant alpha --post");
    ok_out("statements --tenant alpha --year 2026 --format json", out, sizeof out);
    cr_assert_eq(stmt_amount(out, "passif.fonds_dedies"), 1450000);
    cr_assert_eq(stmt_amount(out, "cr.reports_fonds_dedies"), 1450000);
    ok_out("dedicated-funds --year 2026 --tenant alpha --format json", out, sizeof out);
    cr_assert(strstr(out, "\"at_closing\": 1450000"), "%s", out);
    cr_assert(strstr(out, "\"reports\": 1450000"), "%s", out);
}

Test(dedicated_funds_cli, the_annexe_as_a_french_a4_page)
{
    char out[16384], path[400], args[600];
    snprintf(path, sizeof path, "%s/fd.html", h.dir);
    snprintf(args, sizeof args,
             "dedicated-funds --year 2026 --tenant alpha --lang fr --format html -o %s", path);
    ok_out(args, out, sizeof out);
    FILE *f = fopen(path, "r");
    cr_assert(f);
    size_t n = fread(out, 1, sizeof out - 1, f);
    out[n] = '\0';
    fclose(f);
    cr_assert(strstr(out, "@page{size:A4"), "%s", out);
    cr_assert(strstr(out, "<html lang=\"fr\">"), "%s", out);
    cr_assert(strstr(out, "Exercice 2026, 01/01/2026"), "%s", out);
    cr_assert(strstr(out, "CD59-P-2026"), "%s", out);
    cr_assert(strstr(out,
                     "14\xE2\x80\xAF"
                     "500,00"),
              "%s", out);
    /* printed before --post: the page says the entries are not posted */
    cr_assert(strstr(out, "<ul class=\"notes\"><li>") && strstr(out, "FD-2026"), "%s", out);
    /* not over an existing file without --force */
    cr_assert_eq(cli(out, sizeof out, args), 2);
}

Test(dedicated_funds_cli, refusals_leave_the_ledger_unchanged)
{
    char out[4096];
    uint8_t before[32], after[32];
    h_digest(&h, before);
    cr_assert_eq(cli(out, sizeof out, "dedicated-funds --tenant alpha"), 2);
    cr_assert_eq(cli(out, sizeof out, "dedicated-funds --year 20x6 --tenant alpha"), 2);
    /* an auditor reads, and may not post */
    cr_assert_eq(
        h_cli(&h, K_AUDITOR, out, sizeof out, "dedicated-funds --year 2026 --tenant alpha"), 0);
    cr_assert_eq(
        h_cli(&h, K_AUDITOR, out, sizeof out, "dedicated-funds --year 2026 --tenant alpha --post"),
        1);
    char err[4096];
    h_cli_err(&h, err, sizeof err);
    cr_assert(!strstr(err, "Sanitizer") && !strstr(err, "runtime error"), "%s", err);
    /* a tenant without a dedicated grant: said, nothing proposed */
    char text[4096];
    ok_out("dedicated-funds --year 2026 --tenant beta", text, sizeof text);
    cr_assert(strstr(text, "No dedicated grant"), "%s", text);
    cr_assert(strstr(text, "No entry to propose."), "%s", text);
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32));
}

Test(dedicated_funds_cli, the_table_as_a_person_reads_it)
{
    char out[16384], err[4096];
    ok_out("dedicated-funds --year 2026 --tenant alpha --wide", out, sizeof out);
    cr_assert_str_eq(
        out,
        "Fonds dédiés — alpha — fiscal year 2026, 2026-01-01 to 2026-12-31\n"
        "grant        funder  action   granted   charges  used_of_year  at_opening   reports  uses  "
        "transfers  at_closing\n"
        "CD59-P-2026  CD59    PROJ-P  50000.00  35500.00      35500.00        0.00  14500.00  0.00  "
        "     0.00    14500.00\n"
        "TOTAL                        50000.00  35500.00      35500.00        0.00  14500.00  0.00  "
        "     0.00    14500.00\n"
        "Entries:\n"
        "date        journal  piece    account  label                        debit    credit  "
        "codes\n"
        "2026-12-31  OD       FD-2026  689400   Fonds dédiés CD59-P-2026  14500.00      0.00  "
        "action=PROJ-P;financeur=CD59\n"
        "2026-12-31  OD       FD-2026  194000   Fonds dédiés CD59-P-2026      0.00  14500.00  "
        "action=PROJ-P;financeur=CD59\n"
        "The statements tie to the annexe: fonds dédiés (bilan) 14500.00, reports (689) "
        "14500.00, utilisations (789) 0.00.\n",
        "%s", out);
    /* nothing posted without --post, and it says so */
    cr_assert_eq(cli(out, sizeof out, "dedicated-funds --year 2026 --tenant alpha"), 0);
    h_cli_err(&h, err, sizeof err);
    cr_assert(strstr(err, "not posted: run again with --post"), "%s", err);
    cr_assert_eq(h_balance(&h, "alpha", "194000", 20261231), 0);
}

/* Tenant beta never opened 689400: --post is refused by the daemon (the
 * account named), nothing is written, and the entries stay proposed. */
Test(dedicated_funds_cli, accounts_not_open_refuse_the_post)
{
    static const char *const accounts[] = {"194000", "401000", "512000", "606000",
                                           "641100", "741700", "789400"};
    books_in("beta", accounts, 7);
    char out[16384], err[4096];
    uint8_t before[32], after[32];
    h_digest(&h, before);
    cr_assert_eq(cli(out, sizeof out, "dedicated-funds --year 2026 --tenant beta --post"), 1);
    h_cli_err(&h, err, sizeof err);
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32), "a refused --post wrote");
    cr_assert(strstr(err, "689400"), "%s", err);
    cr_assert(!strstr(err, "Sanitizer") && !strstr(err, "runtime error"), "%s", err);
    ok_out("dedicated-funds --year 2026 --tenant beta --format csv", out, sizeof out);
    cr_assert(strstr(out, ",14500.00,proposed\n"), "%s", out);
}

/* 2026 closed: the à-nouveau of 194000 (no code) carries the 14 500.00
 * into 2027; the opening of 2027 still comes from the chain of reports,
 * and after 2027's entries 194000 holds the annexe's closing, 4 500.00,
 * which the statements show. */
Test(dedicated_funds_cli, a_closed_year_carries_the_funds)
{
    static const char *const result[] = {"110000", "119000", "120000", "129000"};
    h_open_accounts(&h, "alpha", result, 4);
    char out[16384];
    ok("dedicated-funds --year 2026 --tenant alpha --post");
    ok("lock --yes --tenant alpha --through 2026-12");
    ok("close-year --tenant alpha --year 2026");
    cr_assert_eq(h_balance(&h, "alpha", "194000", 20270101), -1450000);
    ok_out("dedicated-funds --year 2027 --tenant alpha --post", out, sizeof out);
    cr_assert(strstr(out,
                     "The statements tie to the annexe: fonds dédiés (bilan) 4500.00, "
                     "reports (689) 0.00, utilisations (789) 10000.00."),
              "%s", out);
    cr_assert_eq(h_balance(&h, "alpha", "194000", 20271231), -450000);
    ok_out("dedicated-funds --year 2027 --tenant alpha --format csv", out, sizeof out);
    cr_assert(strstr(out, ",14500.00,0.00,10000.00,0.00,4500.00,booked\n"), "%s", out);
}
