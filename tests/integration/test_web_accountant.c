/*
 * tests/integration/test_web_accountant.c — the accountant's and the
 * auditor's pages of `grandlivre web` (helper D), run as a subprocess
 * against a real daemon and driven over HTTP from C: lock through the
 * confirmation page (the CLI agrees; a double submit locks once), close a
 * year, refusals (a member key, a month already locked, a close before the
 * lock, the auditor's read-only role, no CSRF token) shown with status 422
 * or 403 and the ledger's digest unchanged, the FEC download byte for byte
 * the CLI's export, the archive download accepted by `grandlivre verify`,
 * the statements download the CLI's HTML page, the group page, and the
 * navigation by role.
 */
#include "tests/support/harness.h"
#include "tests/support/web_http.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static harness h;

static void setup(void) { web_suite_init(&h, true); }

static void teardown(void) { web_suite_fini(&h); }

TestSuite(web_accountant, .init = setup, .fini = teardown, .timeout = 180);

static void post(const char *tenant, const char *date, const char *debit, const char *credit)
{
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0,
                       "post --tenant %s --date %s --journal OD --piece P-%s --label 'Op %s' "
                       "--debit %s --credit %s",
                       tenant, date, date, date, debit, credit),
                 0);
}

static void books(void)
{
    post("alpha", "2025-01-15", "606400=100", "401000=100");
    post("alpha", "2025-03-10", "512000=250", "706000=250");
    post("alpha", "2025-03-20", "512000=40", "706000=40");
}

static void same_digest(const uint8_t before[32])
{
    uint8_t after[32];
    h_digest(&h, after);
    cr_assert_eq(memcmp(before, after, 32), 0, "a refused request changed the ledger");
}

/* GET /lock?through=M, then the confirmation's form posted: the body. */
static void lock_form(const char *month, char *body, size_t cap)
{
    char path[128], csrf[65], rid[32];
    snprintf(path, sizeof path, "/lock?through=%s&tenant=alpha", month);
    cr_assert_eq(http("GET", path, w.cookie, NULL), 200, "%s", rep.body);
    page_hidden("csrf", csrf, sizeof csrf);
    page_hidden("rid", rid, sizeof rid);
    snprintf(body, cap, "csrf=%s&tenant=alpha&through=%s&rid=%s", csrf, month, rid);
}

Test(web_accountant, lock_through_the_form)
{
    books();
    web_start(K_ACCOUNTANT, "--tenant alpha");
    login();
    cr_assert_eq(http("GET", "/periods?tenant=alpha", w.cookie, NULL), 200);
    cr_assert(strstr(rep.body, "action=\"/lock\"") && strstr(rep.body, "value=\"2025-03\""),
              "the lock form lists the open months: %s", rep.body);
    /* the daemon's clock is past 2025: its months are open and overdue */
    cr_assert(strstr(rep.body, "<li class=\"overdue\"><span class=\"month\">03/2025"), "%s",
              rep.body);
    char body[300];
    lock_form("2025-03", body, sizeof body);
    /* the confirmation names every month it locks, with its entries */
    cr_assert(strstr(rep.body, "01/2025</td><td class=\"num\">1<") &&
                  strstr(rep.body, "02/2025</td><td class=\"num\">0<") &&
                  strstr(rep.body, "03/2025</td><td class=\"num\">2<"),
              "%s", rep.body);
    cr_assert_null(strstr(rep.body, "04/2025"), "%s", rep.body);
    cr_assert_eq(http("POST", "/lock", w.cookie, body), 303, "%s", rep.body);
    cr_assert(strstr(rep.head, "Location: /periods?locked=2025-03&tenant=alpha"), "%s", rep.head);
    cr_assert_eq(http("GET", "/periods?locked=2025-03&tenant=alpha", w.cookie, NULL), 200);
    cr_assert(strstr(rep.body, "<li class=\"locked\"><span class=\"month\">03/2025") &&
                  strstr(rep.body, "<li class=\"overdue\"><span class=\"month\">04/2025") &&
                  strstr(rep.body, "class=\"banner\""),
              "%s", rep.body);
    char out[4096];
    cr_assert_eq(h_cli(&h, K_AUDITOR, out, sizeof out, "periods --tenant alpha"), 0);
    cr_assert(strstr(out, "locked through 2025-03"), "the CLI agrees: %s", out);
}

Test(web_accountant, double_submit_locks_once)
{
    books();
    web_start(K_ACCOUNTANT, "--tenant alpha");
    login();
    char body[300];
    lock_form("2025-02", body, sizeof body);
    cr_assert_eq(http("POST", "/lock", w.cookie, body), 303, "%s", rep.body);
    uint8_t once[32];
    h_digest(&h, once);
    cr_assert_eq(http("POST", "/lock", w.cookie, body), 303, "the replay: %s", rep.body);
    same_digest(once);
    /* a new confirmation page for it: nothing left to lock, no form */
    cr_assert_eq(http("GET", "/lock?through=2025-02&tenant=alpha", w.cookie, NULL), 200);
    cr_assert(strstr(rep.body, "class=\"banner problem\""), "nothing to lock: %s", rep.body);
    cr_assert_null(strstr(rep.body, "name=\"rid\""), "%s", rep.body);
}

/* The accountant signed in on Périodes: its CSRF token, and the ledger's
 * digest before the forms posted from it. */
static void accountant_on_periods(char csrf[65], uint8_t before[32])
{
    web_start(K_ACCOUNTANT, "--tenant alpha");
    login();
    cr_assert_eq(http("GET", "/periods?tenant=alpha", w.cookie, NULL), 200);
    page_csrf(csrf);
    h_digest(&h, before);
}

Test(web_accountant, month_already_locked_refused)
{
    books();
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "lock --tenant alpha --through 2025-03 --yes"),
                 0);
    char csrf[65], body[300];
    uint8_t before[32];
    accountant_on_periods(csrf, before);
    snprintf(body, sizeof body, "csrf=%s&tenant=alpha&through=2025-02&rid=987654321", csrf);
    cr_assert_eq(http("POST", "/lock", w.cookie, body), 422, "%s", rep.body);
    cr_assert(strstr(rep.body, "already_locked") && strstr(rep.body, "role=\"alert\""), "%s",
              rep.body);
    /* a month past the daemon's current one: lock_ahead */
    snprintf(body, sizeof body, "csrf=%s&tenant=alpha&through=2999-01&rid=987654322", csrf);
    cr_assert_eq(http("POST", "/lock", w.cookie, body), 422, "%s", rep.body);
    cr_assert(strstr(rep.body, "lock_ahead"), "%s", rep.body);
    /* a form without its request id, or a month that is none */
    snprintf(body, sizeof body, "csrf=%s&tenant=alpha&through=2025-04", csrf);
    cr_assert_eq(http("POST", "/lock", w.cookie, body), 422, "%s", rep.body);
    snprintf(body, sizeof body, "csrf=%s&tenant=alpha&through=2025-13&rid=5", csrf);
    cr_assert_eq(http("POST", "/lock", w.cookie, body), 422, "%s", rep.body);
    same_digest(before);
}

Test(web_accountant, member_key_lock_and_close_refused)
{
    books();
    web_start(K_ALPHA, "");
    login();
    cr_assert_eq(http("GET", "/", w.cookie, NULL), 200);
    cr_assert_null(strstr(rep.body, "href=\"/periods"), "no accountant link for a member: %s",
                   rep.body);
    cr_assert_null(strstr(rep.body, "href=\"/group"));
    char csrf[65], body[300];
    page_hidden("csrf", csrf, sizeof csrf);
    uint8_t before[32];
    h_digest(&h, before);
    snprintf(body, sizeof body, "csrf=%s&through=2025-03&rid=424242", csrf);
    cr_assert_eq(http("POST", "/lock", w.cookie, body), 422, "%s", rep.body);
    cr_assert(strstr(rep.body, "role=\"alert\"") && strstr(rep.body, "forbidden"), "%s", rep.body);
    snprintf(body, sizeof body, "csrf=%s&year=2025&rid=434343", csrf);
    cr_assert_eq(http("POST", "/close", w.cookie, body), 422, "%s", rep.body);
    cr_assert(strstr(rep.body, "forbidden"), "%s", rep.body);
    same_digest(before);
}

/* The lock and close pages say a tenant the daemon does not know as
 * every other page does (one web write call, web_write). */
Test(web_accountant, lock_and_close_of_an_unknown_tenant_say_the_key_cannot_see_it)
{
    books();
    char csrf[65], body[300];
    uint8_t before[32];
    accountant_on_periods(csrf, before);
    static const char *const forms[][2] = {{"/lock", "through=2025-03&rid=525252"},
                                           {"/close", "year=2025&rid=535353"}};
    for (size_t i = 0; i < 2; i++) {
        snprintf(body, sizeof body, "csrf=%s&tenant=nosuch&%s", csrf, forms[i][1]);
        cr_assert_eq(http("POST", forms[i][0], w.cookie, body), 422, "%s", rep.body);
        cr_assert(strstr(rep.body, "Votre clé ne peut pas voir l’association nosuch (erreur 302"),
                  "%s: %s", forms[i][0], rep.body);
    }
    same_digest(before);
}

Test(web_accountant, csrf_missing_refused)
{
    books();
    web_start(K_ACCOUNTANT, "--tenant alpha");
    login();
    uint8_t before[32];
    h_digest(&h, before);
    cr_assert_eq(http("POST", "/lock", w.cookie, "tenant=alpha&through=2025-03&rid=55"), 403);
    cr_assert_eq(http("POST", "/close", w.cookie, "tenant=alpha&year=2025&rid=56"), 403);
    same_digest(before);
}

Test(web_accountant, close_the_year)
{
    books();
    web_start(K_ACCOUNTANT, "--tenant alpha");
    login();
    /* before every month is locked: the page warns, the daemon refuses */
    cr_assert_eq(http("GET", "/close?year=2025&tenant=alpha", w.cookie, NULL), 200);
    cr_assert(strstr(rep.body, "120000") && strstr(rep.body, "190,00"), "the result: %s", rep.body);
    cr_assert(strstr(rep.body, "class=\"banner problem\""), "not locked: %s", rep.body);
    char csrf[65], rid[32], body[300];
    page_hidden("csrf", csrf, sizeof csrf);
    page_hidden("rid", rid, sizeof rid);
    snprintf(body, sizeof body, "csrf=%s&tenant=alpha&year=2025&rid=%s", csrf, rid);
    uint8_t before[32];
    h_digest(&h, before);
    cr_assert_eq(http("POST", "/close", w.cookie, body), 422, "%s", rep.body);
    same_digest(before);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "lock --tenant alpha --through 2025-12 --yes"),
                 0);
    long entries = h_entry_count(&h, "alpha");
    cr_assert_eq(http("GET", "/close?year=2025&tenant=alpha", w.cookie, NULL), 200);
    cr_assert_null(strstr(rep.body, "class=\"banner problem\""), "%s", rep.body);
    page_hidden("rid", rid, sizeof rid);
    snprintf(body, sizeof body, "csrf=%s&tenant=alpha&year=2025&rid=%s", csrf, rid);
    cr_assert_eq(http("POST", "/close", w.cookie, body), 303, "%s", rep.body);
    cr_assert(strstr(rep.head, "Location: /periods?closed=2025&tenant=alpha"), "%s", rep.head);
    cr_assert_eq(http("POST", "/close", w.cookie, body), 303, "the double submit is a replay");
    /* the close wrote its two entries (result, à-nouveaux) and nothing else */
    cr_assert_eq(h_entry_count(&h, "alpha"), entries + 2);
    cr_assert_eq(h_balance(&h, "alpha", "120000", 20260101), -19000);
    char out[4096];
    cr_assert_eq(h_cli(&h, K_AUDITOR, out, sizeof out, "periods --tenant alpha --format csv"), 0);
    cr_assert(strstr(out, "2025,2025-01-01,2025-12-31,") && strstr(out, ",closed,"), "%s", out);
    cr_assert_eq(http("GET", "/periods?tenant=alpha", w.cookie, NULL), 200);
    cr_assert(strstr(rep.body, "<li class=\"closed\"><span class=\"month\">06/2025"), "%s",
              rep.body);
}

/* The file the CLI wrote at path, whole. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc((size_t)n + 1);
    cr_assert_eq(fread(data, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return data;
}

Test(web_accountant, fec_download_is_the_cli_export)
{
    post("alpha", "2025-02-11", "606400=12,34", "401000:FOURN01=12,34");
    books();
    web_start(K_ACCOUNTANT, "--tenant alpha");
    login();
    cr_assert_eq(http("GET", "/fec?year=2025&tenant=alpha", w.cookie, NULL), 200, "%s", rep.body);
    cr_assert(strstr(rep.head, "attachment; filename=\"111111111FEC20251231.txt\""), "%s",
              rep.head);
    cr_assert_eq(
        h_cli(&h, K_ACCOUNTANT, NULL, 0, "fec export --tenant alpha --year 2025 -o %s", h.dir), 0);
    char path[600];
    snprintf(path, sizeof path, "%s/111111111FEC20251231.txt", h.dir);
    size_t len;
    char *cli = slurp(path, &len);
    cr_assert_eq(rep.body_len, len, "web %zu bytes, CLI %zu", rep.body_len, len);
    cr_assert_eq(memcmp(rep.body, cli, len), 0, "byte for byte");
    free(cli);
    /* a year without entries: a page saying so */
    cr_assert_eq(http("GET", "/fec?year=2020&tenant=alpha", w.cookie, NULL), 200);
    cr_assert_null(strstr(rep.head, "attachment"));
    cr_assert(strstr(rep.body, "role=\"alert\""), "%s", rep.body);
}

Test(web_accountant, archive_download_verifies)
{
    books();
    web_start(K_AUDITOR, "--tenant alpha");
    login();
    cr_assert_eq(http("GET", "/archive?tenant=alpha", w.cookie, NULL), 200, "%s", rep.body);
    cr_assert(strstr(rep.head, "attachment; filename=\"archive-alpha-"), "%s", rep.head);
    cr_assert(rep.body_len > 8 && !memcmp(rep.body, "GLARCHV1", 8));
    char path[600];
    snprintf(path, sizeof path, "%s/web.glarchive", h.dir);
    FILE *f = fopen(path, "wb");
    cr_assert_eq(fwrite(rep.body, 1, rep.body_len, f), rep.body_len);
    fclose(f);
    char out[8192];
    cr_assert_eq(h_cli(&h, K_AUDITOR, out, sizeof out, "verify %s", path), 0, "%s", out);
}

Test(web_accountant, statements_download_is_the_cli_page)
{
    books();
    web_start(K_ACCOUNTANT, "--tenant alpha");
    login();
    cr_assert_eq(http("GET", "/statements?tenant=alpha", w.cookie, NULL), 200);
    cr_assert(strstr(rep.body, "action=\"/statements/file\"") &&
                  strstr(rep.body, "href=\"/statements/file?year=2025&amp;tenant=alpha\""),
              "the form and a link per fiscal year: %s", rep.body);
    cr_assert_eq(http("GET", "/statements/file?year=2025&tenant=alpha", w.cookie, NULL), 200, "%s",
                 rep.body);
    cr_assert(strstr(rep.head, "attachment; filename=\"etats-alpha-2025.html\""), "%s", rep.head);
    cr_assert(strstr(rep.head, "Content-Type: text/html"), "%s", rep.head);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0,
                       "statements --tenant alpha --year 2025 --format html -o %s/st.html", h.dir),
                 0);
    char path[600];
    snprintf(path, sizeof path, "%s/st.html", h.dir);
    size_t len;
    char *cli = slurp(path, &len);
    cr_assert_eq(rep.body_len, len);
    cr_assert_eq(memcmp(rep.body, cli, len), 0, "the CLI's page, byte for byte");
    free(cli);
    cr_assert_eq(http("GET", "/statements/file?year=2025&group=1&tenant=alpha", w.cookie, NULL),
                 200);
    cr_assert(strstr(rep.head, "attachment; filename=\"etats-groupe-2025.html\""), "%s", rep.head);
}

Test(web_accountant, auditor_reads_but_cannot_lock)
{
    books();
    post("beta", "2025-04-01", "411000=75", "706000=75");
    web_start(K_AUDITOR, "--tenant alpha");
    login();
    cr_assert_eq(http("GET", "/", w.cookie, NULL), 200);
    cr_assert(strstr(rep.body, "href=\"/periods?tenant=alpha\"") &&
                  strstr(rep.body, "href=\"/group?tenant=alpha\"") &&
                  strstr(rep.body, "href=\"/statements?tenant=alpha\""),
              "the auditor's navigation: %s", rep.body);
    cr_assert_eq(http("GET", "/periods?tenant=alpha", w.cookie, NULL), 200);
    cr_assert_null(strstr(rep.body, "action=\"/lock\""), "no lock form: %s", rep.body);
    cr_assert(strstr(rep.body, "href=\"/fec?year=2025&amp;tenant=alpha\"") &&
                  strstr(rep.body, "href=\"/archive?tenant=alpha\""),
              "%s", rep.body);
    cr_assert_eq(http("GET", "/group?at=2025-12-31", w.cookie, NULL), 200);
    cr_assert(strstr(rep.body, ">alpha</th>") && strstr(rep.body, ">beta</th>") &&
                  strstr(rep.body, "706000") && strstr(rep.body, "-365,00"),
              "the combined balance: %s", rep.body);
    cr_assert_null(strstr(rep.body, "role=\"alert\""), "%s", rep.body);
    cr_assert_eq(http("GET", "/fec?year=2025&tenant=alpha", w.cookie, NULL), 200);
    cr_assert(strstr(rep.head, "attachment"), "%s", rep.head);
    char csrf[65], body[300];
    cr_assert_eq(http("GET", "/", w.cookie, NULL), 200);
    page_hidden("csrf", csrf, sizeof csrf);
    uint8_t before[32];
    h_digest(&h, before);
    snprintf(body, sizeof body, "csrf=%s&tenant=alpha&through=2025-03&rid=777", csrf);
    cr_assert_eq(http("POST", "/lock", w.cookie, body), 422, "%s", rep.body);
    cr_assert(strstr(rep.body, "role=\"alert\"") && strstr(rep.body, "forbidden"), "%s", rep.body);
    same_digest(before);
}

Test(web_accountant, member_cannot_read_the_group)
{
    books();
    web_start(K_ALPHA, "");
    login();
    cr_assert_eq(http("GET", "/group?at=2025-12-31", w.cookie, NULL), 200);
    cr_assert(strstr(rep.body, "role=\"alert\""), "a banner, not an error page: %s", rep.body);
    cr_assert_null(strstr(rep.body, ">beta</th>"));
    /* another tenant's FEC, archive or statements: the page says so, no file */
    const char *paths[] = {"/fec?year=2025&tenant=beta", "/archive?tenant=beta",
                           "/statements/file?year=2025&tenant=beta"};
    for (size_t i = 0; i < 3; i++) {
        cr_assert_eq(http("GET", paths[i], w.cookie, NULL), 200);
        cr_assert_null(strstr(rep.head, "attachment"), "%s: %s", paths[i], rep.head);
        cr_assert(strstr(rep.body, "role=\"alert\"") && strstr(rep.body, "beta"), "%s: %s",
                  paths[i], rep.body);
    }
}
