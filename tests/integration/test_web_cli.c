/*
 * tests/integration/test_web_cli.c — `grandlivre web` run as a subprocess
 * against a real daemon, driven over HTTP from C: the login token works
 * once, a page without a session shows no data, a wrong Host is refused,
 * logout needs the session's CSRF token, the journal shows a posted entry
 * with French amounts and dates, text from the URL comes back escaped, a
 * member key cannot see another tenant (a message, not an error page), a
 * daemon that is down gives a banner on a page that still loads.
 */
#include "tests/support/harness.h"
#include "tests/support/web_http.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static harness h;

static void setup(void) { web_suite_init(&h, true); }

static void teardown(void) { web_suite_fini(&h); }

TestSuite(web_cli, .init = setup, .fini = teardown, .timeout = 120);

Test(web_cli, login_token_works_once)
{
    web_start(K_ALPHA, "");
    char path[128];
    snprintf(path, sizeof path, "/login?token=%s", w.token);
    cr_assert_eq(http("GET", path, NULL, NULL), 303, "%s", rep.head);
    cr_assert(strstr(rep.head, "HttpOnly") && strstr(rep.head, "SameSite=Strict") &&
                  strstr(rep.head, "Path=/"),
              "%s", rep.head);
    cr_assert(strstr(rep.head, "Location: /"), "%s", rep.head);
    cr_assert_eq(http("GET", path, NULL, NULL), 401, "the token works once");
    cr_assert_eq(http("GET", "/login?token=0000", NULL, NULL), 401);
}

Test(web_cli, page_without_session_shows_no_data)
{
    char out[256];
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out,
                       "post --tenant alpha --date 2025-03-31 --journal AC --piece F-1 --label "
                       "'Secret supplies' --debit 606400=10 --credit 401000=10"),
                 0);
    web_start(K_ALPHA, "");
    cr_assert_eq(http("GET", "/journal?from=2025&to=2025", NULL, NULL), 401);
    cr_assert_null(strstr(rep.body, "Secret supplies"));
    cr_assert_eq(http("GET", "/", "gl_session=0123456789abcdef", NULL), 401);
    cr_assert_eq(http("GET", "/entry?id=2025/1", NULL, NULL), 401);
    cr_assert_null(strstr(rep.body, "Secret supplies"));
    /* every response carries the security headers, refusals too */
    cr_assert(strstr(rep.head, "Content-Security-Policy: default-src 'none'"), "%s", rep.head);
    cr_assert(strstr(rep.head, "X-Content-Type-Options: nosniff"));
    cr_assert(strstr(rep.head, "Referrer-Policy: no-referrer"));
    cr_assert(strstr(rep.head, "X-Frame-Options: DENY"));
}

Test(web_cli, wrong_host_refused)
{
    web_start(K_ALPHA, "");
    char path[128], evil[80];
    snprintf(path, sizeof path, "/login?token=%s", w.token);
    snprintf(evil, sizeof evil, "rebind.example:%d", w.port);
    cr_assert_eq(http_host("GET", path, evil, NULL, NULL), 421);
    cr_assert_eq(http_host("GET", path, "localhost", NULL, NULL), 421);
    login(); /* the refused requests did not use the token */
    cr_assert_eq(http_host("GET", "/", evil, w.cookie, NULL), 421);
    cr_assert_eq(http("GET", "/", w.cookie, NULL), 200);
}

Test(web_cli, logout_needs_the_csrf_token)
{
    web_start(K_ALPHA, "");
    login();
    cr_assert_eq(http("GET", "/", w.cookie, NULL), 200);
    char csrf[65], body[100];
    page_csrf(csrf);
    cr_assert_eq(http("POST", "/logout", w.cookie, ""), 403);
    cr_assert_eq(http("POST", "/logout", w.cookie, "csrf=0123"), 403);
    cr_assert_eq(http("GET", "/", w.cookie, NULL), 200, "still signed in");
    snprintf(body, sizeof body, "csrf=%s", csrf);
    cr_assert_eq(http("POST", "/logout", NULL, body), 403, "no session, no logout");
    cr_assert_eq(http("POST", "/logout", w.cookie, body), 303);
    cr_assert_eq(http("GET", "/", w.cookie, NULL), 401, "signed out");
}

/* Every form is checked before its handler: the CSRF token first (403
 * for a form that does not even exist), then the route (404). */
Test(web_cli, forms_need_the_csrf_token)
{
    web_start(K_ALPHA, "");
    login();
    cr_assert_eq(http("GET", "/", w.cookie, NULL), 200);
    char csrf[65], body[120];
    page_csrf(csrf);
    cr_assert_eq(http("POST", "/no-such-form", w.cookie, "x=1"), 403);
    snprintf(body, sizeof body, "csrf=%.63sx", csrf);
    cr_assert_eq(http("POST", "/no-such-form", w.cookie, body), 403, "a wrong token");
    snprintf(body, sizeof body, "x=1&csrf=%s", csrf);
    cr_assert_eq(http("POST", "/no-such-form", w.cookie, body), 404);
    cr_assert_eq(http("POST", "/no-such-form", NULL, body), 401, "no session");
}

Test(web_cli, journal_shows_a_posted_entry_in_french)
{
    char out[256];
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out,
                       "post --tenant alpha --date 2025-03-31 --journal AC --piece F-031 --label "
                       "'Fournitures <b>' --debit 606400=1234,56 --credit 401000:FOURN01=1234,56"),
                 0);
    web_start(K_ACCOUNTANT, "--tenant alpha");
    login();
    cr_assert_eq(http("GET", "/journal?from=2025-01-01&to=2025-12-31", w.cookie, NULL), 200);
    cr_assert(strstr(rep.body, "1 234,56"), "%s", rep.body);
    cr_assert(strstr(rep.body, "31/03/2025"), "%s", rep.body);
    cr_assert(strstr(rep.body, "<html lang=\"fr\">") && strstr(rep.body, ">Grand livre</a>") &&
                  strstr(rep.body, ">Écriture</th>"),
              "French: %s", rep.body);
    cr_assert(strstr(rep.body, "Fournitures &lt;b&gt;"), "%s", rep.body);
    cr_assert_null(strstr(rep.body, "Fournitures <b>"));
    cr_assert(strstr(rep.body, "href=\"/entry?id=2025/1&amp;tenant=alpha\""), "%s", rep.body);
    /* the daemon's filters: an amount and a text that match, one that does not */
    cr_assert_eq(
        http("GET", "/journal?from=2025&to=2025&amount=1234%2C56&text=fourn", w.cookie, NULL), 200);
    cr_assert(strstr(rep.body, "F-031"), "%s", rep.body);
    cr_assert_eq(http("GET", "/journal?from=2025&to=2025&account=7", w.cookie, NULL), 200);
    cr_assert_null(strstr(rep.body, "F-031"));
    /* the entry, the grand livre, the balance */
    cr_assert_eq(http("GET", "/entry?id=2025/1&tenant=alpha", w.cookie, NULL), 200);
    cr_assert(strstr(rep.body, "FOURN01") && strstr(rep.body, "1 234,56"), "%s", rep.body);
    cr_assert_eq(http("GET", "/ledger?account=401000&from=2025&to=2025", w.cookie, NULL), 200);
    cr_assert(strstr(rep.body, "-1 234,56"), "%s", rep.body);
    cr_assert_eq(http("GET", "/balance?at=2025-12-31", w.cookie, NULL), 200);
    cr_assert(strstr(rep.body, "606400") && strstr(rep.body, "1 234,56"), "%s", rep.body);
    cr_assert_null(strstr(rep.body, "FOURN01"), "by account: no third party");
    cr_assert_eq(http("GET", "/balance?at=2025-12-31&aux=1", w.cookie, NULL), 200);
    cr_assert(strstr(rep.body, "FOURN01") && strstr(rep.body, "aux=FOURN01"), "by third party: %s",
              rep.body);
}

Test(web_cli, tenant_switcher_for_the_accountant_not_for_a_member)
{
    web_start(K_ACCOUNTANT, "--tenant alpha");
    login();
    cr_assert_eq(http("GET", "/", w.cookie, NULL), 200);
    cr_assert(strstr(rep.body, "<select name=\"tenant\">"), "%s", rep.body);
    cr_assert(strstr(rep.body, "<option value=\"alpha\" selected>"), "%s", rep.body);
    cr_assert(strstr(rep.body, "<option value=\"beta\">"), "%s", rep.body);
    cr_assert_eq(http("GET", "/?tenant=beta", w.cookie, NULL), 200);
    cr_assert(strstr(rep.body, "<option value=\"beta\" selected>"), "%s", rep.body);
    web_stop();
    web_start(K_ALPHA, "");
    login();
    cr_assert_eq(http("GET", "/", w.cookie, NULL), 200);
    cr_assert_null(strstr(rep.body, "name=\"tenant\""), "a member has no switcher: %s", rep.body);
    cr_assert(strstr(rep.body, "alpha"), "%s", rep.body);
    web_stop();
    /* nor when its tenant is named with --tenant (review of wave 8) */
    web_start(K_ALPHA, "--tenant alpha");
    login();
    cr_assert_eq(http("GET", "/", w.cookie, NULL), 200);
    cr_assert_null(strstr(rep.body, "class=\"tenant\""), "a member has no switcher: %s", rep.body);
}

Test(web_cli, home_shows_bank_result_and_last_entries)
{
    char out[256], today[16];
    time_t t = time(NULL);
    strftime(today, sizeof today, "%Y-%m-%d", localtime(&t));
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out,
                       "post --tenant alpha --date %s --journal BQ --piece C-1 --label 'Cotisation "
                       "annuelle' --debit 512000=1250,40 --credit 756000=1250,40",
                       today),
                 0, "%s", out);
    web_start(K_ALPHA, "");
    login();
    cr_assert_eq(http("GET", "/", w.cookie, NULL), 200);
    /* bank and cash, the result (income 756000), the 512000 row, the last entry */
    char *cards = strstr(rep.body, "class=\"cards\"");
    cr_assert_not_null(cards, "%s", rep.body);
    cr_assert(strstr(cards, "1 250,40"), "%s", rep.body);
    cr_assert(strstr(rep.body, "Banque et caisse") && strstr(rep.body, "Résultat"), "%s", rep.body);
    cr_assert(strstr(rep.body, "Dernières écritures"), "%s", rep.body);
    cr_assert(strstr(rep.body, "Cotisation annuelle"), "%s", rep.body);
}

Test(web_cli, journal_pages_with_the_daemons_cursor)
{
    enum { N = 105 }; /* more than one page of 100 entries */
    static gl_entry_in entries[N];
    static gl_line_in lines[N][2];
    for (int i = 0; i < N; i++)
        entries[i] = h_entry2("alpha", 20250301, "606400", "512000", 100 + i, lines[i]);
    gl_response resp;
    cr_assert_eq(h_post(&h, K_ALPHA, entries, N, &resp), GL_OK);
    cr_assert_eq(resp.reply.status, GL_OK);
    gl_response_free(&resp);
    web_start(K_ALPHA, "");
    login();
    cr_assert_eq(http("GET", "/journal?from=2025&to=2025", w.cookie, NULL), 200);
    cr_assert(strstr(rep.body, ">2025/100</a>"), "%s", rep.body);
    cr_assert_null(strstr(rep.body, ">2025/101</a>"));
    char *next = strstr(rep.body, "<p class=\"pager\"><a href=\"");
    cr_assert_not_null(next, "%s", rep.body);
    char path[300], *o = path;
    for (next += strlen("<p class=\"pager\"><a href=\""); *next != '"' && o < path + 290; next++)
        if (!strncmp(next, "&amp;", 5)) {
            *o++ = '&';
            next += 4;
        } else
            *o++ = *next;
    *o = '\0';
    cr_assert_eq(http("GET", path, w.cookie, NULL), 200, "%s", path);
    cr_assert(strstr(rep.body, ">2025/101</a>") && strstr(rep.body, ">2025/105</a>"), "%s",
              rep.body);
    cr_assert_null(strstr(rep.body, ">2025/100</a>"));
    cr_assert_null(strstr(rep.body, "class=\"pager\""), "the last page");
}

Test(web_cli, text_from_the_url_comes_back_escaped)
{
    web_start(K_ALPHA, "");
    login();
    cr_assert_eq(
        http("GET", "/journal?text=%3Cscript%3Ealert(1)%3C%2Fscript%3E%22", w.cookie, NULL), 200);
    cr_assert_null(strstr(rep.body, "<script"), "%s", rep.body);
    cr_assert(strstr(rep.body, "&lt;script&gt;alert(1)&lt;/script&gt;&quot;"), "%s", rep.body);
}

Test(web_cli, member_cannot_see_another_tenant)
{
    char out[256];
    cr_assert_eq(h_cli(&h, K_BETA, out, sizeof out,
                       "post --tenant beta --date 2025-03-31 --journal AC --piece B-1 --label "
                       "'Beta only' --debit 606400=10 --credit 401000=10"),
                 0);
    uint8_t before[32], after[32];
    h_digest(&h, before);
    web_start(K_ALPHA, "");
    login();
    cr_assert_eq(http("GET", "/journal?tenant=beta&from=2025&to=2025", w.cookie, NULL), 200,
                 "a message, not an error page");
    cr_assert_null(strstr(rep.body, "Beta only"));
    cr_assert(strstr(rep.body, "Votre clé ne peut pas voir l’association beta (erreur 300"), "%s",
              rep.body);
    cr_assert_eq(http("GET", "/entry?id=2025/1&tenant=beta", w.cookie, NULL), 200);
    cr_assert_null(strstr(rep.body, "Beta only"));
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32));
}

Test(web_cli, daemon_down_gives_a_banner)
{
    web_start(K_ALPHA, "");
    login();
    h_stop(&h);
    cr_assert_eq(http("GET", "/", w.cookie, NULL), 200);
    cr_assert(strstr(rep.body, "class=\"banner problem\""), "%s", rep.body);
    cr_assert(strstr(rep.body, "<nav>"), "the page still loads");
    h_start(&h);
    cr_assert_eq(http("GET", "/", w.cookie, NULL), 200);
    cr_assert_null(strstr(rep.body, "class=\"banner problem\""), "back: %s", rep.body);
}

/* TLS itself: test_web_tls.c (web_tls::*). */
Test(web_cli, non_loopback_without_tls_refused)
{
    char out[512], err[1024];
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, "web --listen 0.0.0.0:0"), 2);
    h_cli_err(&h, err, sizeof err);
    cr_assert(strstr(err, "needs TLS"), "%s", err);
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, "web --tls-cert c.pem --tls-key k.pem"), 2,
                 "files that are not there");
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, "web --listen nonsense"), 2);
}

Test(web_cli, read_only_refuses_posts)
{
    web_start(K_ALPHA, "--read-only");
    login();
    cr_assert_eq(http("POST", "/entry", w.cookie, "x=1"), 403);
    cr_assert_eq(http("GET", "/", w.cookie, NULL), 200);
}

/* A link previewer's HEAD does not spend the one-time token (review of
 * wave 8), and the session cookie's name holds the port, so that another
 * server of 127.0.0.1 neither receives nor replaces it. */
Test(web_cli, head_does_not_spend_the_token_and_the_cookie_names_its_port)
{
    web_start(K_ALPHA, "");
    char path[128];
    snprintf(path, sizeof path, "/login?token=%s", w.token);
    cr_assert_eq(http("HEAD", path, NULL, NULL), 200);
    cr_assert_eq(http("GET", path, NULL, NULL), 303, "%s", rep.head);
    char want[64];
    snprintf(want, sizeof want, "Set-Cookie: gl_session_%d=", w.port);
    cr_assert(strstr(rep.head, want), "%s", rep.head);
}

/* A tenant that is no tenant's id is refused, never read as the default
 * tenant (a tampered form must not write elsewhere than it names). */
Test(web_cli, a_bad_tenant_is_refused_not_defaulted)
{
    web_start(K_ALPHA, "");
    login();
    cr_assert_eq(http("GET", "/journal?tenant=a%26x%3D1", w.cookie, NULL), 400);
    cr_assert_eq(http("GET", "/journal?tenant=%FF", w.cookie, NULL), 400);
    cr_assert_eq(http("GET", "/journal?tenant=abcdefghijklmnopq", w.cookie, NULL), 400);
    cr_assert_eq(http("GET", "/journal?tenant=alpha", w.cookie, NULL), 200);
}

/* An entry number is digits only: a sign, a space or a number past 2^32
 * is no entry, said on the page without asking the daemon (review of
 * wave 8: sscanf("%u") took "-1" and wrapped 99999999999999999999). */
Test(web_cli, entry_numbers_are_digits_only)
{
    web_start(K_ALPHA, "");
    login();
    const char *bad[] = {"/entry?id=2025/-1",         "/entry?id=2025/+1",
                         "/entry?id=%202025/1",       "/entry?id=2025/99999999999999999999",
                         "/entry?id=2025/4294967296", "/entry?id=1899/1",
                         "/entry?id=2025/0",          "/entry?id=2025/1x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_eq(http("GET", bad[i], w.cookie, NULL), 200, "%s", bad[i]);
        cr_assert(strstr(rep.body, "2025/12"), "%s: %s", bad[i], rep.body);
    }
}
