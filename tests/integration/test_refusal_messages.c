/*
 * tests/integration/test_refusal_messages.c — issue 14, "refusals echo the
 * values that matter and say what to do", through the real `grandlivre`
 * against a real daemon: an unbalanced entry shows both totals and the
 * difference (the daemon's detail, not only --dry-run's); an account that
 * is not open is named with the commands that open it; an impossible date
 * says the day does not exist; an unknown tenant lists the tenants this key
 * may see, and a member's key never learns another's.  Beside them, two
 * more of the readings: `balance --aux` shows the third party's
 * name, `periods` an open year's provisional result.  Every refusal checks
 * the ledger's digest is unchanged.
 */
#include "tests/support/harness.h"

#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

static harness h;

static const char *const accounts[] = {"401000", "411000", "512000", "606100", "706000"};

static void setup(void)
{
    h_setup(&h);
    h_open_accounts(&h, "alpha", accounts, sizeof accounts / sizeof accounts[0]);
}

static void teardown(void) { h_teardown(&h); }

TestSuite(refusal_messages, .init = setup, .fini = teardown, .timeout = 120);

/* What the CLI wrote on stderr since the last call. */
static void last_err(char *out, size_t len) { h_cli_err(&h, out, len); }

/* Run the CLI with key k expecting exit code want and the ledger unchanged;
 * its stderr into err. */
#define REFUSED_UNCHANGED(k, want, err, ...)                                          \
    do {                                                                              \
        uint8_t before_[32], after_[32];                                              \
        char out_[8192];                                                              \
        last_err(err, sizeof err);                                                    \
        h_digest(&h, before_);                                                        \
        cr_assert_eq(h_cli(&h, k, out_, sizeof out_, __VA_ARGS__), want, "%s", out_); \
        h_digest(&h, after_);                                                         \
        cr_assert(!memcmp(before_, after_, 32), "a refusal changed the ledger");      \
        last_err(err, sizeof err);                                                    \
    } while (0)

#define ENTRY "post --date 2025-03-31 --journal AC --piece F-1 --label Fournitures "

Test(refusal_messages, an_unbalanced_entry_shows_both_totals_and_the_difference)
{
    char err[8192];
    /* sent to the daemon (no --dry-run): its detail carries the totals */
    REFUSED_UNCHANGED(K_ALPHA, 1, err, "%s",
                      ENTRY "--tenant alpha --debit 606100=120,50 --credit 401000=120");
    cr_assert(strstr(err, "unbalanced: debits 120.50, credits 120.00, difference 0.50"), "%s", err);
    /* and through the library: the reply's detail itself */
    gl_line_in l[2] = {{"606100", "", "", "", 'D', 1000}, {"512000", "", "", "", 'C', 999}};
    gl_entry_in e = {.tenant = "alpha",
                     .journal = "BQ",
                     .piece_ref = "P",
                     .label = "x",
                     .date = 20250105,
                     .piece_date = 20250105,
                     .line_count = 2,
                     .lines = l};
    uint8_t before[32], after[32];
    h_digest(&h, before);
    gl_response r;
    cr_assert_eq(h_post(&h, K_ALPHA, &e, 1, &r), GL_ERR_UNBALANCED);
    char detail[600];
    snprintf(detail, sizeof detail, "%.*s", (int)r.reply.detail.len, r.reply.detail.ptr);
    gl_response_free(&r);
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32));
    cr_assert_str_eq(detail, "entry 1: unbalanced: debits 10.00, credits 9.99, difference 0.01");
}

/* Post one entry of lines l through the library: the refusal's detail. */
static void refused_detail(const char *journal, gl_line_in *l, size_t n, int want, char *detail,
                           size_t len)
{
    gl_entry_in e = {.tenant = "alpha",
                     .journal = journal,
                     .piece_ref = "P",
                     .label = "x",
                     .date = 20250105,
                     .piece_date = 20250105,
                     .line_count = n,
                     .lines = l};
    uint8_t before[32], after[32];
    h_digest(&h, before);
    gl_response r;
    cr_assert_eq(h_post(&h, K_ALPHA, &e, 1, &r), want);
    snprintf(detail, len, "%.*s", (int)r.reply.detail.len, r.reply.detail.ptr);
    gl_response_free(&r);
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32), "a refusal changed the ledger");
}

Test(refusal_messages, the_daemon_names_the_line_journal_and_count_at_fault)
{
    char d[600];
    gl_line_in neg[2] = {{"606100", "", "", "", 'D', 500}, {"512000", "", "", "", 'C', -5}};
    refused_detail("BQ", neg, 2, GL_ERR_AMOUNT_NOT_POSITIVE, d, sizeof d);
    cr_assert(strstr(d, "entry 1 line 2 (512000 credit -0.05): "), "%s", d);
    gl_line_in ok[2] = {{"606100", "", "", "", 'D', 500}, {"512000", "", "", "", 'C', 500}};
    refused_detail("bq!", ok, 2, GL_ERR_BAD_JOURNAL, d, sizeof d);
    cr_assert(strstr(d, "entry 1: journal \"bq!\": "), "%s", d);
    refused_detail("BQ", ok, 1, GL_ERR_TOO_FEW_LINES, d, sizeof d);
    cr_assert(strstr(d, "entry 1: 1 line: an entry needs at least two lines"), "%s", d);
}

Test(refusal_messages, an_account_not_open_is_named_with_how_to_open_it)
{
    char err[8192];
    REFUSED_UNCHANGED(K_ALPHA, 1, err, "%s",
                      ENTRY "--tenant alpha --debit 606400=10 --credit 401000=10");
    cr_assert(strstr(err,
                     "account 606400 is not open for alpha: grandlivre accounts open --tenant "
                     "alpha 606400 \"label\", or load the chart with grandlivre accounts "
                     "load-chart --tenant alpha"),
              "%s", err);
    /* what it says works */
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0,
                       "accounts open --tenant alpha 606400 'Fournitures non stockables'"),
                 0);
    char out[4096];
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, "%s",
                       ENTRY "--tenant alpha --debit 606400=10 --credit 401000=10"),
                 0, "%s", out);
}

Test(refusal_messages, an_impossible_date_says_the_day_does_not_exist)
{
    char err[8192];
    REFUSED_UNCHANGED(K_ALPHA, 2, err, "%s",
                      "post --tenant alpha --date 2025-02-30 --journal AC --piece P --label L "
                      "--debit 606100=10 --credit 401000=10");
    cr_assert(strstr(err,
                     "'2025-02-30' is not a date: the day does not exist (February 2025 has "
                     "28 days)"),
              "%s", err);
    REFUSED_UNCHANGED(K_ALPHA, 2, err, "balance --tenant alpha --at 2024-02-30");
    cr_assert(strstr(err, "the day does not exist (February 2024 has 29 days)"), "%s", err);
    REFUSED_UNCHANGED(K_ALPHA, 2, err, "balance --tenant alpha --at 2025-13-01");
    cr_assert(strstr(err, "there is no month 13"), "%s", err);
    /* in an entries file: its line */
    char path[400];
    snprintf(path, sizeof path, "%s/e.csv", h.dir);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(
        "date;journal;piece;label;account;debit;credit\n"
        "2025-04-31;AC;P;L;606100;10;\n"
        ";;;;401000;;10\n",
        f);
    fclose(f);
    REFUSED_UNCHANGED(K_ALPHA, 2, err, "post --tenant alpha '%s'", path);
    cr_assert(strstr(err,
                     "line 2: bad date \"2025-04-31\": the day does not exist (April 2025 "
                     "has 30 days)"),
              "%s", err);
}

Test(refusal_messages, an_unknown_tenant_lists_the_tenants_this_key_may_see)
{
    char err[8192];
    REFUSED_UNCHANGED(K_ACCOUNTANT, 1, err, "balance --tenant alhpa --at 2025-12-31");
    cr_assert(strstr(err,
                     "there is no tenant alhpa; the tenants this key may see: alpha, beta, "
                     "gamma"),
              "%s", err);
    REFUSED_UNCHANGED(K_ACCOUNTANT, 1, err, "%s",
                      ENTRY "--tenant alhpa --debit 606100=10 --credit 401000=10");
    cr_assert(strstr(err, "the tenants this key may see: alpha, beta, gamma"), "%s", err);
    cr_assert(strstr(err, "unknown tenant 'alhpa'"), "%s", err);
    /* a member's key: its own tenant only, never the others' names */
    REFUSED_UNCHANGED(K_ALPHA, 1, err, "balance --tenant zeta --at 2025-12-31");
    cr_assert(strstr(err, "this key may see tenant alpha only (not zeta)"), "%s", err);
    cr_assert_null(strstr(err, "gamma"), "%s", err);
    REFUSED_UNCHANGED(K_ALPHA, 1, err, "balance --tenant beta --at 2025-12-31");
    cr_assert(strstr(err, "this key may see tenant alpha only (not beta)"), "%s", err);
    cr_assert_null(strstr(err, "gamma"), "%s", err);
}

/* ---- balance --aux names the third party ---- */

Test(refusal_messages, balance_aux_shows_the_third_partys_name)
{
    char out[8192], path[400];
    snprintf(path, sizeof path, "%s/aux.csv", h.dir);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(
        "date;journal;piece;label;account;aux;aux_label;debit;credit\n"
        "2025-03-31;AC;F-1;Fournitures;606100;;;120,50;\n"
        ";;;;401000;FOURN01;Papeterie Martin;;120,50\n"
        "2025-04-02;BQ;V-1;Paiement;401000;FOURN01;Autre libellé;120,50;\n"
        ";;;;512000;;;;120,50\n",
        f);
    fclose(f);
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, "post --tenant alpha '%s'", path), 0, "%s",
                 out);
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out,
                       "balance --tenant alpha --at 2025-12-31 --aux --format csv"),
                 0);
    /* the first label the aux was given, beside the account's */
    cr_assert(strstr(out, "account,aux,aux_label,label,debit,credit,balance\n"), "%s", out);
    cr_assert(strstr(out, "401000,FOURN01,Papeterie Martin,"), "%s", out);
    cr_assert(strstr(out, "\n512000,,,"), "%s", out);
    cr_assert_null(strstr(out, "Autre libellé"), "%s", out);
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out,
                       "balance --tenant alpha --at 2025-12-31 --aux --format json"),
                 0);
    cr_assert(strstr(out, "\"aux_label\": \"Papeterie Martin\""), "%s", out);
    cr_assert_eq(
        h_cli(&h, K_ALPHA, out, sizeof out, "balance --tenant alpha --at 2025-12-31 --aux"), 0);
    cr_assert(strstr(out, "Papeterie Martin") && strstr(out, "TOTAL"), "%s", out);
    /* as of a date inside the year (the daily path), the same name */
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out,
                       "balance --tenant alpha --at 2025-03-31 --aux --format csv"),
                 0);
    cr_assert(strstr(out, "401000,FOURN01,Papeterie Martin,"), "%s", out);
    /* without --aux: the rows as they were, no name column */
    cr_assert_eq(
        h_cli(&h, K_ALPHA, out, sizeof out, "balance --tenant alpha --at 2025-12-31 --format csv"),
        0);
    cr_assert(strstr(out, "account,label,debit,credit,balance\n"), "%s", out);
    cr_assert_null(strstr(out, "Papeterie"), "%s", out);
}

/* ---- periods: an open year's provisional result ---- */

Test(refusal_messages, periods_shows_the_provisional_result_of_an_open_year)
{
    char out[8192];
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out,
                       "post --tenant alpha --date 2025-02-10 --journal VT --piece R-1 "
                       "--label Cotisations --debit 512000=500 --credit 706000=500"),
                 0, "%s", out);
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, "%s",
                       ENTRY "--tenant alpha --debit 606100=120,25 --credit 512000=120,25"),
                 0, "%s", out);
    /* produits 500.00 - charges 120.25 */
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, "periods --tenant alpha --format json"), 0);
    cr_assert(strstr(out, "\"provisional_result\": 37975"), "%s", out);
    cr_assert(strstr(out, "\"result\": 0"), "%s", out);
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, "periods --tenant alpha --format csv"), 0);
    cr_assert(strstr(out, ",provisional_result\n") && strstr(out, ",379.75\n"), "%s", out);
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, "periods --tenant alpha"), 0);
    cr_assert(strstr(out, "379.75"), "%s", out);
    /* a deficit is negative */
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out,
                       "post --tenant alpha --date 2025-05-10 --journal AC --piece F-2 "
                       "--label Achat --debit 606100=1000 --credit 512000=1000"),
                 0, "%s", out);
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, "periods --tenant alpha --format json"), 0);
    cr_assert(strstr(out, "\"provisional_result\": -62025"), "%s", out);
}

/* ---- files name their lines; plurals ---- */

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert(f, "%s", path);
    fputs(text, f);
    fclose(f);
}

Test(refusal_messages, a_refused_member_of_a_dues_file_is_named_by_its_line)
{
    char err[8192], path[400];
    snprintf(path, sizeof path, "%s/dues.csv", h.dir);
    /* a header, a blank line: line 3 holds the tenant the daemon refuses */
    write_file(path, "tenant,amount\n\nzeta,50\nbeta,100\n");
    REFUSED_UNCHANGED(K_ACCOUNTANT, 1, err, "dues --year 2025 --file '%s'", path);
    cr_assert(strstr(err, "dues.csv:3: the refused line (zeta)"), "%s", err);
    cr_assert(strstr(err, "'zeta' is not a member of the group"), "%s", err);
    /* a line the client refuses itself: its number too, blank lines counted */
    write_file(path, "tenant,amount\n\nbeta,100\ngamma\n");
    REFUSED_UNCHANGED(K_ACCOUNTANT, 2, err, "dues --year 2025 --file '%s'", path);
    cr_assert(strstr(err, "dues.csv:4: expected 'tenant,amount'"), "%s", err);
}

Test(refusal_messages, a_json_entries_file_names_the_line_of_the_refused_entry)
{
    char err[8192], path[400];
    snprintf(path, sizeof path, "%s/e.json", h.dir);
    write_file(
        path,
        "[\n"
        "  {\"date\": \"2025-01-02\", \"journal\": \"BQ\", \"piece\": \"P1\", \"label\": \"L\",\n"
        "   \"lines\": [{\"account\": \"606100\", \"debit\": \"1.00\"},\n"
        "             {\"account\": \"512000\", \"credit\": \"1.00\"}]},\n"
        "  {\"date\": \"2025-01-03\", \"journal\": \"BQ\", \"piece\": \"P2\", \"label\": \"L\",\n"
        "   \"lines\": [{\"account\": \"606400\", \"debit\": \"1.00\"},\n"
        "             {\"account\": \"512000\", \"credit\": \"1.00\"}]}\n"
        "]\n");
    /* the daemon refuses entry 2: its line in the file */
    REFUSED_UNCHANGED(K_ALPHA, 1, err, "post --tenant alpha '%s'", path);
    cr_assert(strstr(err, "account 606400 is not open for alpha"), "%s", err);
    cr_assert(strstr(err, "entry 2 of the input, starting at line 5"), "%s", err);
    /* the client refuses a line of it: the line's own text line */
    write_file(
        path,
        "[\n"
        "  {\"date\": \"2025-01-02\", \"journal\": \"BQ\", \"piece\": \"P1\", \"label\": \"L\",\n"
        "   \"lines\": [{\"account\": \"606100\", \"debit\": \"1.00\"},\n"
        "             {\"account\": \"512000\", \"credit\": 1.0}]}\n"
        "]\n");
    REFUSED_UNCHANGED(K_ALPHA, 2, err, "post --tenant alpha '%s'", path);
    cr_assert(strstr(err, "file line 4: entry 1 line 2: \"credit\""), "%s", err);
}

Test(refusal_messages, counts_take_the_singular_for_one)
{
    char out[4096], err[8192];
    last_err(err, sizeof err);
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, "%s",
                       ENTRY "--tenant alpha --dry-run --debit 606100=1 --credit 512000=1"),
                 0);
    last_err(err, sizeof err);
    cr_assert(strstr(err, "post --dry-run: 1 entry checked, nothing sent"), "%s", err);
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, "%s",
                       ENTRY "--tenant alpha --debit 606100=1 --credit 512000=1"),
                 0);
    last_err(err, sizeof err);
    cr_assert(strstr(err, ": 1 entry accepted"), "%s", err);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, out, sizeof out, "accounts open --tenant alpha 606400 F"),
                 0);
    last_err(err, sizeof err);
    cr_assert(strstr(err, "alpha: 1 account opened, 0 already open"), "%s", err);
}
