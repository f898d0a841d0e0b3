/*
 * tests/integration/test_web_post.c — Saisie (/post) of `grandlivre web`
 * against a real daemon, driven over HTTP from C: an entry posted through
 * the form is in the books with its lines; every refusal (the form's and
 * the daemon's) is a 422 that keeps the values, says why next to the field
 * at fault and changes nothing (ledger digest); the same form sent twice
 * posts one entry; no CSRF token, --read-only, no session, another
 * tenant's books, over-long or invalid fields and 1000 lines are refused.
 *
 * The HTTP client, web_start, login and page_csrf are
 * tests/support/web_http.c's.
 */
#include "tests/support/harness.h"
#include "tests/support/web_http.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static harness h;

static void setup(void) { web_suite_init(&h, true); }

static void teardown(void) { web_suite_fini(&h); }

TestSuite(web_post, .init = setup, .fini = teardown, .timeout = 120);

/* Start the server with key k (ARGS), sign in, read /post: its CSRF token
 * and request id. */
static void open_form(enum h_key k, const char *args, char csrf[65], char rid[17])
{
    web_start(k, args);
    login();
    cr_assert_eq(http("GET", "/post?tenant=alpha", w.cookie, NULL), 200, "%s", rep.body);
    page_csrf(csrf);
    page_hidden("rid", rid, 17);
}

/* A supplier invoice of 1 234,56 as the form sends it, lines the caller's. */
#define INVOICE_HEAD                                                                           \
    "tenant=alpha&lines=4&journal=AC&date=31%%2F03%%2F2025&piece=F-100&piece_date=2025-03-28&" \
    "label=Fournitures+de+mars&"
#define INVOICE_LINES                                                                              \
    "account0=606400&llabel0=Papier&debit0=1+234%%2C56&account1=401000&aux1=FOURN01&credit1=1234." \
    "56&account2=&debit2=&credit2="

static void unchanged(const uint8_t before[32])
{
    uint8_t after[32];
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32), "the ledger changed");
}

Test(web_post, form_shows_journals_accounts_and_templates)
{
    char csrf[65], rid[17];
    open_form(K_ALPHA, "", csrf, rid);
    cr_assert(strstr(rep.body, "<select id=\"f-journal\" name=\"journal\">"), "%s", rep.body);
    cr_assert(strstr(rep.body, "<option value=\"BQ\">"), "%s", rep.body);
    cr_assert(strstr(rep.body, "<option value=\"606400\" label=\"Fournitures administratives\">"),
              "the chart as a datalist: %s", rep.body);
    cr_assert(strstr(rep.body, "list=\"accounts\""));
    cr_assert(strstr(rep.body, "name=\"account3\""), "four lines");
    cr_assert_null(strstr(rep.body, "name=\"account4\""));
    cr_assert(strstr(rep.body, "href=\"/post?template=supplier-invoice&amp;tenant=alpha\""), "%s",
              rep.body);
    cr_assert(strstr(rep.body, "<script src=\"/static/app.js\" defer></script>"));
    cr_assert(strstr(rep.body, "aria-current=\"page\">Saisie</a>"), "%s", rep.body);
    cr_assert_eq(strlen(rid), 16);
    /* the script is served, the policy lets it run, from here only */
    cr_assert_eq(http("GET", "/static/app.js", w.cookie, NULL), 200);
    cr_assert(strstr(rep.head, "text/javascript"), "%s", rep.head);
    cr_assert(strstr(rep.head, "script-src 'self';"), "%s", rep.head);
    cr_assert(strstr(rep.body, "sessionStorage"));
    /* a new form, a new request id */
    char again[17];
    cr_assert_eq(http("GET", "/post?tenant=alpha", w.cookie, NULL), 200);
    page_hidden("rid", again, sizeof again);
    cr_assert_str_neq(rid, again);
}

Test(web_post, posts_an_entry_through_the_form)
{
    char csrf[65], rid[17], body[2048];
    h_cli(&h, K_ALPHA, NULL, 0,
          "post --tenant alpha --date 2025-03-01 --journal AC --piece X "
          "--label Other --debit 606400=1 --credit 401000:FOURN01=1");
    open_form(K_ALPHA, "", csrf, rid);
    cr_assert(strstr(rep.body, "<option value=\"FOURN01\""), "third parties known: %s", rep.body);
    snprintf(body, sizeof body, "csrf=%s&rid=%s&" INVOICE_HEAD INVOICE_LINES, csrf, rid);
    cr_assert_eq(http("POST", "/post", w.cookie, body), 303, "%s", rep.body);
    cr_assert(strstr(rep.head, "Location: /post?done=2025/2&tenant=alpha"), "%s", rep.head);
    cr_assert_eq(http("GET", "/post?done=2025/2&tenant=alpha", w.cookie, NULL), 200);
    cr_assert(strstr(rep.body, "Écriture 2025/2 passée"), "%s", rep.body);
    cr_assert(strstr(rep.body, "href=\"/entry?id=2025/2&amp;tenant=alpha\""), "%s", rep.body);
    cr_assert(strstr(rep.body, "data-posted"));
    cr_assert_eq(http("GET", "/entry?id=2025/2&tenant=alpha", w.cookie, NULL), 200);
    cr_assert(strstr(rep.body, "F-100") && strstr(rep.body, "Fournitures de mars") &&
                  strstr(rep.body, "FOURN01") && strstr(rep.body, "Papier") &&
                  strstr(rep.body, "1 234,56") && strstr(rep.body, "31/03/2025"),
              "%s", rep.body);
    char out[4096];
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out,
                       "journal --tenant alpha --from 2025-03-31 --to 2025-03-31 --format csv"),
                 0, "%s", out);
    cr_assert(strstr(out, "606400") && strstr(out, "401000") && strstr(out, "1234.56"), "%s", out);
}

/* Post body (csrf and rid prepended), expect 422, the ledger unchanged,
 * the message of the field named by id in the page, and the values kept. */
static void refused(const char *csrf, const char *rid, const char *fields, const char *id,
                    const char *needle)
{
    uint8_t before[32];
    h_digest(&h, before);
    size_t cap = strlen(fields) + 200;
    char *body = malloc(cap);
    snprintf(body, cap, "csrf=%s&rid=%s&%s", csrf, rid, fields);
    cr_assert_eq(http("POST", "/post", w.cookie, body), 422, "%s %s", rep.head, rep.body);
    free(body);
    unchanged(before);
    cr_assert(strstr(rep.body, "class=\"banner problem\""), "a summary banner: %s", rep.body);
    char span[80];
    snprintf(span, sizeof span, "class=\"field-error\" id=\"%s\"", id);
    char *at = strstr(rep.body, span);
    cr_assert_not_null(at, "no message at %s: %s", id, rep.body);
    char *close = strstr(at, "</span>");
    cr_assert(needle == NULL || (strstr(at, needle) && strstr(at, needle) < close),
              "'%s' not in the message at %s: %.300s", needle, id, at);
}

Test(web_post, unbalanced_refused_at_the_totals)
{
    char csrf[65], rid[17];
    open_form(K_ALPHA, "", csrf, rid);
    refused(csrf, rid,
            "tenant=alpha&lines=4&journal=AC&date=31%2F03%2F2025&piece=F-100&label=Fournitures&"
            "account0=606400&debit0=100&account1=401000&credit1=99%2C99",
            "err-total", "0,01");
    cr_assert(strstr(rep.body, "value=\"F-100\"") && strstr(rep.body, "value=\"99,99\"") &&
                  strstr(rep.body, "value=\"31/03/2025\""),
              "values kept: %s", rep.body);
    cr_assert(strstr(rep.body, "<option value=\"AC\" selected>"), "%s", rep.body);
    cr_assert(strstr(rep.body, "name=\"rid\" value=\"") && strstr(rep.body, rid),
              "the same request id");
}

Test(web_post, bad_date_refused_at_the_date)
{
    char csrf[65], rid[17];
    open_form(K_ALPHA, "", csrf, rid);
    refused(csrf, rid,
            "tenant=alpha&lines=2&journal=BQ&date=30%2F02%2F2025&piece=P&label=L&account0=627000&"
            "debit0=5&account1=512000&credit1=5",
            "err-date", "30/02/2025");
    cr_assert(strstr(rep.body, "aria-invalid=\"true\" aria-describedby=\"err-date\""), "%s",
              rep.body);
    refused(csrf, rid,
            "tenant=alpha&lines=2&journal=BQ&date=demain&piece=P&label=L&account0=627000&"
            "debit0=5&account1=512000&credit1=5",
            "err-date", "31/03/2025");
    refused(csrf, rid,
            "tenant=alpha&lines=2&journal=BQ&date=2025-03-01&piece_date=2025-13-01&piece=P&"
            "label=L&account0=627000&debit0=5&account1=512000&credit1=5",
            "err-piece_date", "13");
}

Test(web_post, line_faults_refused_at_the_line)
{
    char csrf[65], rid[17];
    open_form(K_ALPHA, "", csrf, rid);
    /* the form's rules: an amount, one side, an account number */
    refused(csrf, rid,
            "tenant=alpha&lines=3&journal=BQ&date=2025-03-01&piece=P&label=L&account0=627000&"
            "debit0=5%2C001&account1=512000&credit1=5",
            "err-line0", "5,001");
    refused(csrf, rid,
            "tenant=alpha&lines=3&journal=BQ&date=2025-03-01&piece=P&label=L&account0=627000&"
            "debit0=5&account1=512000&debit1=5&credit1=5",
            "err-line1", NULL);
    refused(csrf, rid,
            "tenant=alpha&lines=3&journal=BQ&date=2025-03-01&piece=P&label=L&account0=627000&"
            "debit0=5&account2=0ABC&credit2=5",
            "err-line2", NULL);
    /* the daemon's: an account the tenant's chart does not have (line 2 of
     * the entry is line 3 of the form: the empty line is skipped) */
    refused(csrf, rid,
            "tenant=alpha&lines=3&journal=BQ&date=2025-03-01&piece=P&label=L&account0=627000&"
            "debit0=5&account2=519999&credit2=5",
            "err-line2", "405");
    refused(csrf, rid,
            "tenant=alpha&lines=3&journal=BQ&date=2025-03-01&piece=P&label=L&"
            "account0=627000&debit0=5",
            "err-total", NULL);
}

Test(web_post, locked_period_refused_at_the_date)
{
    char out[512];
    cr_assert_eq(
        h_cli(&h, K_ACCOUNTANT, out, sizeof out, "lock --tenant alpha --through 2025-01 --yes"), 0,
        "%s", out);
    char csrf[65], rid[17];
    open_form(K_ALPHA, "", csrf, rid);
    refused(csrf, rid,
            "tenant=alpha&lines=2&journal=BQ&date=15%2F01%2F2025&piece=P&label=Frais&"
            "account0=627000&debit0=5&account1=512000&credit1=5",
            "err-date", "411");
    cr_assert(strstr(rep.body, "value=\"Frais\""));
}

Test(web_post, double_submit_posts_once)
{
    char csrf[65], rid[17], body[2048];
    open_form(K_ALPHA, "", csrf, rid);
    snprintf(body, sizeof body, "csrf=%s&rid=%s&" INVOICE_HEAD INVOICE_LINES, csrf, rid);
    cr_assert_eq(http("POST", "/post", w.cookie, body), 303, "%s", rep.body);
    cr_assert(strstr(rep.head, "Location: /post?done=2025/1&tenant=alpha"), "%s", rep.head);
    uint8_t first[32];
    h_digest(&h, first);
    cr_assert_eq(http("POST", "/post", w.cookie, body), 303, "%s", rep.body);
    cr_assert(strstr(rep.head, "Location: /post?done=2025/1&again=1&tenant=alpha"), "%s", rep.head);
    unchanged(first);
    cr_assert_eq(http("GET", "/post?done=2025/1&again=1&tenant=alpha", w.cookie, NULL), 200);
    cr_assert(strstr(rep.body, "Déjà passée sous le numéro 2025/1"), "%s", rep.body);
    cr_assert_eq(http("GET", "/entry?id=2025/2&tenant=alpha", w.cookie, NULL), 200);
    cr_assert_null(strstr(rep.body, "F-100"), "no second entry");
    /* the same request id with other content: refused, a new id offered */
    char other[2048], fresh[17];
    snprintf(other, sizeof other, "csrf=%s&rid=%s&" INVOICE_HEAD INVOICE_LINES "&llabel1=Autre",
             csrf, rid);
    cr_assert_eq(http("POST", "/post", w.cookie, other), 422, "%s", rep.body);
    unchanged(first);
    page_hidden("rid", fresh, sizeof fresh);
    cr_assert_str_neq(fresh, rid);
}

Test(web_post, csrf_session_and_read_only_refused)
{
    char csrf[65], rid[17], body[2048];
    open_form(K_ALPHA, "", csrf, rid);
    uint8_t before[32];
    h_digest(&h, before);
    snprintf(body, sizeof body, "rid=%s&" INVOICE_HEAD INVOICE_LINES, rid);
    cr_assert_eq(http("POST", "/post", w.cookie, body), 403);
    snprintf(body, sizeof body, "csrf=%s&rid=%s&" INVOICE_HEAD INVOICE_LINES, csrf, rid);
    cr_assert_eq(http("POST", "/post", NULL, body), 401, "no session");
    unchanged(before);
    web_stop();
    open_form(K_ALPHA, "--read-only", csrf, rid);
    snprintf(body, sizeof body, "csrf=%s&rid=%s&" INVOICE_HEAD INVOICE_LINES, csrf, rid);
    cr_assert_eq(http("POST", "/post", w.cookie, body), 403);
    unchanged(before);
}

Test(web_post, member_cannot_post_for_another_tenant)
{
    char csrf[65], rid[17], body[2048];
    open_form(K_ALPHA, "", csrf, rid);
    uint8_t before[32];
    h_digest(&h, before);
    snprintf(body, sizeof body,
             "csrf=%s&rid=%s&tenant=beta&lines=2&journal=BQ&date=2025-03-01&piece=P&label=L&"
             "account0=627000&debit0=5&account1=512000&credit1=5",
             csrf, rid);
    cr_assert_eq(http("POST", "/post", w.cookie, body), 422, "%s", rep.body);
    unchanged(before);
    cr_assert(strstr(rep.body,
                     "Votre clé ne peut pas passer d’écriture pour l’association beta "
                     "(erreur 300"),
              "%s", rep.body);
    cr_assert(strstr(rep.body, "<nav>"), "a page, not an error page");
}

/* The accountant posts for any tenant: the tenant field of the form. */
Test(web_post, accountant_posts_for_any_tenant)
{
    char csrf[65], rid[17], body[2048];
    open_form(K_ACCOUNTANT, "--tenant alpha", csrf, rid);
    cr_assert_eq(http("GET", "/post?tenant=beta", w.cookie, NULL), 200);
    cr_assert(strstr(rep.body, "name=\"tenant\" value=\"beta\""), "%s", rep.body);
    page_hidden("rid", rid, 17);
    snprintf(body, sizeof body,
             "csrf=%s&rid=%s&tenant=beta&lines=2&journal=BQ&date=2025-03-01&piece=B-7&label=Frais&"
             "account0=627000&debit0=5&account1=512000&credit1=5",
             csrf, rid);
    cr_assert_eq(http("POST", "/post", w.cookie, body), 303, "%s", rep.body);
    cr_assert(strstr(rep.head, "Location: /post?done=2025/1&tenant=beta"), "%s", rep.head);
    char out[2048];
    cr_assert_eq(h_cli(&h, K_BETA, out, sizeof out, "journal --tenant beta --from 2025 --to 2025"),
                 0, "%s", out);
    cr_assert(strstr(out, "B-7"), "%s", out);
    cr_assert_eq(
        h_cli(&h, K_ALPHA, out, sizeof out, "journal --tenant alpha --from 2025 --to 2025"), 0,
        "%s", out);
    cr_assert_null(strstr(out, "B-7"), "not in alpha: %s", out);
}

Test(web_post, bad_input_refused_clearly)
{
    char csrf[65], rid[17];
    open_form(K_ALPHA, "", csrf, rid);
    char label[400] = "";
    memset(label, 'a', 210);
    char fields[1024];
    snprintf(fields, sizeof fields,
             "tenant=alpha&lines=2&journal=BQ&date=2025-03-01&piece=P&label=%s&account0=627000&"
             "debit0=5&account1=512000&credit1=5",
             label);
    refused(csrf, rid, fields, "err-label", "200");
    memset(label, 'a', 300);
    snprintf(fields, sizeof fields,
             "tenant=alpha&lines=2&journal=BQ&date=2025-03-01&piece=P&label=%s&account0=627000&"
             "debit0=5&account1=512000&credit1=5",
             label);
    refused(csrf, rid, fields, "err-label", "UTF-8");
    refused(csrf, rid,
            "tenant=alpha&lines=2&journal=BQ&date=2025-03-01&piece=P%FF%FE&label=L&"
            "account0=627000&debit0=5&account1=512000&credit1=5",
            "err-piece", "UTF-8");
    refused(csrf, rid,
            "tenant=alpha&lines=2&journal=B%3CQ&date=2025-03-01&piece=P&label=L&account0=627000&"
            "debit0=5&account1=512000&credit1=5",
            "err-journal", NULL);
    cr_assert(strstr(rep.body, "B&lt;Q") && !strstr(rep.body, "B<Q"), "escaped");
    refused(csrf, rid,
            "tenant=alpha&lines=2&journal=BQ&date=2025-03-01&piece=P&label=L&account0=627000&"
            "debit0=99999999999999999999&account1=512000&credit1=5",
            "err-line0", NULL);
    /* 1000 lines: a clear refusal, not a crash and not a 413 */
    size_t cap = 64000;
    char *many = malloc(cap);
    size_t n = (size_t)snprintf(
        many, cap, "tenant=alpha&lines=1000&journal=BQ&date=2025-03-01&piece=P&label=L");
    for (int i = 0; i < 1000; i++)
        n += (size_t)snprintf(many + n, cap - n, "&account%d=6270&debit%d=1", i, i);
    cr_assert_lt(n, cap);
    uint8_t before[32];
    h_digest(&h, before);
    char *body = malloc(cap + 200);
    snprintf(body, cap + 200, "csrf=%s&rid=%s&%s", csrf, rid, many);
    cr_assert_eq(http("POST", "/post", w.cookie, body), 422, "%s", rep.head);
    cr_assert(strstr(rep.body, "class=\"banner problem\"") && strstr(rep.body, "200"), "%s",
              rep.body);
    unchanged(before);
    free(body);
    free(many);
    cr_assert_eq(http("GET", "/post?tenant=alpha", w.cookie, NULL), 200, "still serving");
}

Test(web_post, add_lines_without_javascript)
{
    char csrf[65], rid[17], body[2048];
    open_form(K_ALPHA, "", csrf, rid);
    uint8_t before[32];
    h_digest(&h, before);
    snprintf(body, sizeof body, "csrf=%s&rid=%s&" INVOICE_HEAD INVOICE_LINES "&add=1", csrf, rid);
    cr_assert_eq(http("POST", "/post", w.cookie, body), 200, "%s", rep.body);
    unchanged(before);
    cr_assert(strstr(rep.body, "name=\"account7\"") && !strstr(rep.body, "name=\"account8\""),
              "four more lines: %s", rep.body);
    cr_assert(strstr(rep.body, "value=\"FOURN01\"") && strstr(rep.body, "value=\"1 234,56\""),
              "values kept");
    cr_assert(strstr(rep.body, "name=\"lines\" id=\"line-count\" value=\"8\""), "%s", rep.body);
    cr_assert(strstr(rep.body, rid), "the same request id");
    cr_assert(strstr(rep.body, "Fournitures administratives"), "the account's label");
}

Test(web_post, templates_use_accounts_of_the_chart)
{
    static const char *const names[] = {"supplier-invoice", "supplier-payment", "customer-receipt",
                                        "membership-fee",   "bank-fees",        "payroll"};
    static char chart[200000];
    cr_assert_eq(
        h_cli(&h, K_ALPHA, chart, sizeof chart, "accounts list --tenant alpha --format csv"), 0);
    web_start(K_ALPHA, "");
    login();
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[128];
        snprintf(path, sizeof path, "/post?template=%s&tenant=alpha", names[i]);
        cr_assert_eq(http("GET", path, w.cookie, NULL), 200);
        int accounts = 0;
        for (char *p = strstr(rep.body, "name=\"account"); p; p = strstr(p + 1, "name=\"account")) {
            char account[32] = "";
            if (sscanf(p, "name=\"account%*d\" value=\"%31[^\"]", account) != 1)
                continue;
            char row[40];
            snprintf(row, sizeof row, "\n%s,", account);
            cr_assert(strstr(chart, row), "%s: %s not in the chart", names[i], account);
            accounts++;
        }
        cr_assert_geq(accounts, 2, "%s: %s", names[i], rep.body);
    }
    cr_assert_eq(http("GET", "/post?template=nonsense&tenant=alpha", w.cookie, NULL), 200);
    cr_assert(strstr(rep.body, "class=\"banner problem\""));
}

/* The daemon away: the form comes back (503) with its values; sent again
 * once it is back, the entry is posted, once. */
Test(web_post, daemon_down_keeps_the_form)
{
    char csrf[65], rid[17], body[2048];
    open_form(K_ALPHA, "", csrf, rid);
    snprintf(body, sizeof body, "csrf=%s&rid=%s&" INVOICE_HEAD INVOICE_LINES, csrf, rid);
    h_stop(&h);
    cr_assert_eq(http("POST", "/post", w.cookie, body), 503, "%s", rep.head);
    cr_assert(strstr(rep.body, "Le démon ne répond pas"), "%s", rep.body);
    cr_assert(strstr(rep.body, "value=\"F-100\"") && strstr(rep.body, rid), "values kept");
    h_start(&h);
    uint8_t before[32];
    h_digest(&h, before);
    cr_assert_eq(http("POST", "/post", w.cookie, body), 303, "%s", rep.body);
    cr_assert(strstr(rep.head, "Location: /post?done=2025/1&tenant=alpha"), "%s", rep.head);
    cr_assert_eq(http("POST", "/post", w.cookie, body), 303);
    cr_assert(strstr(rep.head, "again=1"), "%s", rep.head);
}
