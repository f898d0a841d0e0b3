/*
 * tests/integration/test_web_entry_actions.c — Entrée's actions in
 * `grandlivre web` against a real daemon, over HTTP from C: a reversal
 * through its confirmation form (swapped lines, links both ways, the CLI's
 * date rule), a double submit that reverses once, the refusals (already
 * reversed, locked period, another tenant, no CSRF token) shown again with
 * 422 and the ledger unchanged; lettering an invoice and its payment by
 * their checkboxes, the refusals before the daemon (one line, a sum that is
 * not zero) and unlettering.
 *
 * The HTTP client, web_start and login are tests/support/web_http.c's.
 */
#include "tests/support/harness.h"
#include "tests/support/web_http.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

static harness h;

static void setup(void) { web_suite_init(&h, true); }

static void teardown(void) { web_suite_fini(&h); }

TestSuite(web_entry_actions, .init = setup, .fini = teardown, .timeout = 120);

static void digest(uint8_t out[32]) { h_digest(&h, out); }

static void same_digest(const uint8_t before[32], const char *what)
{
    uint8_t after[32];
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32), "the ledger changed: %s", what);
}

static void post_cli(enum h_key k, const char *args)
{
    char out[512];
    cr_assert_eq(h_cli(&h, k, out, sizeof out, "%s", args), 0, "%s: %s", args, out);
}

/* The invoice 2025/1 (line 2: 401000 FOURN01 credit) and, unless amount is
 * NULL, its payment 2025/2 (line 1: 401000 FOURN01 debit amount). */
static void invoice_and_payment(const char *amount)
{
    post_cli(K_ALPHA,
             "post --tenant alpha --date 2025-03-31 --journal AC --piece F-031 --label "
             "'Fournitures' --debit 606400=1234,56 --credit 401000:FOURN01=1234,56");
    if (!amount)
        return;
    char args[300];
    snprintf(args, sizeof args,
             "post --tenant alpha --date 2025-04-02 --journal BQ --piece V-7 --label "
             "'Reglement' --debit 401000:FOURN01=%s --credit 512000=%s",
             amount, amount);
    post_cli(K_ALPHA, args);
}

/* The reversal form of entry id: its csrf and rid. */
static void reverse_form(const char *id, char csrf[65], char rid[17])
{
    char path[100];
    snprintf(path, sizeof path, "/reverse?id=%s&tenant=alpha", id);
    cr_assert_eq(http("GET", path, w.cookie, NULL), 200);
    page_hidden("csrf", csrf, 65);
    page_hidden("rid", rid, 17);
    cr_assert(csrf[0] && strlen(rid) == 16, "%s", rep.body);
}

/* The CLI's view of an entry as JSON (entry --format json). */
static void entry_json(const char *id, char *out, size_t cap)
{
    cr_assert_eq(h_cli(&h, K_ALPHA, out, cap, "entry --tenant alpha %s --format json", id), 0, "%s",
                 out);
}

Test(web_entry_actions, reverse_through_the_form)
{
    invoice_and_payment(NULL);
    web_start(K_ALPHA, "");
    login();
    cr_assert_eq(http("GET", "/entry?id=2025/1&tenant=alpha", w.cookie, NULL), 200);
    cr_assert(strstr(rep.body, "href=\"/reverse?id=2025/1&amp;tenant=alpha\""), "%s", rep.body);
    char csrf[65], rid[17], body[300];
    reverse_form("2025/1", csrf, rid);
    /* the confirmation: the CLI's label, the original's date, lines swapped */
    cr_assert(strstr(rep.body, "Contre-passation 2025/1"), "%s", rep.body);
    cr_assert(strstr(rep.body, "aria-describedby=\"rev-date-why\" value=\"31/03/2025\""), "%s",
              rep.body);
    char *l606 = strstr(rep.body, "<td>606400</td>");
    cr_assert_not_null(l606, "%s", rep.body);
    cr_assert(strstr(l606, "<td class=\"num\"></td><td class=\"num\">1 234,56</td>") ==
                  strstr(l606, "<td class=\"num\">"),
              "606400 was a debit, now a credit: %s", l606);
    snprintf(body, sizeof body, "csrf=%s&tenant=alpha&rid=%s&id=2025%%2F1&date=2025-03-31", csrf,
             rid);
    cr_assert_eq(http("POST", "/reverse", w.cookie, body), 303, "%s", rep.body);
    cr_assert(strstr(rep.head, "Location: /entry?id=2025/2&tenant=alpha&posted=1"), "%s", rep.head);
    cr_assert_eq(http("GET", "/entry?id=2025/2&tenant=alpha&posted=1", w.cookie, NULL), 200);
    cr_assert(strstr(rep.body, "Écriture 2025/2 passée."), "%s", rep.body);
    cr_assert(strstr(rep.body,
                     "<dt>Contre-passe</dt><dd><a href=\"/entry?id=2025/1&amp;"
                     "tenant=alpha\">2025/1</a>"),
              "%s", rep.body);
    cr_assert_eq(http("GET", "/entry?id=2025/1&tenant=alpha", w.cookie, NULL), 200);
    cr_assert(strstr(rep.body,
                     "<dt>Contre-passée par</dt><dd><a href=\"/entry?id=2025/2&amp;"
                     "tenant=alpha\">2025/2</a>"),
              "%s", rep.body);
    cr_assert_null(strstr(rep.body, "href=\"/reverse?"), "reversed once: no button");
    static char json[8192];
    entry_json("2025/2", json, sizeof json);
    cr_assert(strstr(json, "\"reverses\": \"2025/1\""), "%s", json);
    cr_assert(strstr(json, "\"label\": \"Contre-passation 2025/1\""), "%s", json);
    cr_assert(strstr(json, "\"date\": \"2025-03-31\""), "%s", json);
    char *a = strstr(json, "\"account\": \"606400\"");
    cr_assert(a && strstr(a, "\"side\": \"credit\""), "%s", json);
}

Test(web_entry_actions, double_submit_reverses_once)
{
    invoice_and_payment(NULL);
    web_start(K_ALPHA, "");
    login();
    char csrf[65], rid[17], body[300], first[4096];
    reverse_form("2025/1", csrf, rid);
    snprintf(body, sizeof body, "csrf=%s&tenant=alpha&rid=%s&id=2025%%2F1&date=2025-03-31", csrf,
             rid);
    cr_assert_eq(http("POST", "/reverse", w.cookie, body), 303, "%s", rep.body);
    snprintf(first, sizeof first, "%s", strstr(rep.head, "Location:"));
    uint8_t before[32];
    digest(before);
    cr_assert_eq(http("POST", "/reverse", w.cookie, body), 303, "the replay: %s", rep.body);
    cr_assert(strstr(rep.head, "Location: /entry?id=2025/2&tenant=alpha&posted=1"), "%s", rep.head);
    same_digest(before, "a second submit");
    char out[4096];
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, "entry --tenant alpha 2025/3"), 1,
                 "no third entry: %s", out);
}

Test(web_entry_actions, reverse_of_a_reversed_entry_refused)
{
    invoice_and_payment(NULL);
    post_cli(K_ALPHA, "reverse --tenant alpha 2025/1");
    web_start(K_ALPHA, "");
    login();
    cr_assert_eq(http("GET", "/reverse?id=2025/1&tenant=alpha", w.cookie, NULL), 200);
    cr_assert(strstr(rep.body, "déjà été contre-passée par"), "%s", rep.body);
    cr_assert_null(strstr(rep.body, "action=\"/reverse\""), "no form: %s", rep.body);
    /* a form shown before the CLI's reversal, posted after it */
    char csrf[65], body[300];
    page_hidden("csrf", csrf, sizeof csrf);
    uint8_t before[32];
    digest(before);
    snprintf(body, sizeof body,
             "csrf=%s&tenant=alpha&rid=00000000000000ab&id=2025%%2F1&date=2025-03-31", csrf);
    cr_assert_eq(http("POST", "/reverse", w.cookie, body), 422);
    cr_assert(strstr(rep.body, "erreur 417"), "%s", rep.body);
    cr_assert(strstr(rep.body, "déjà été contre-passée par"), "%s", rep.body);
    same_digest(before, "a second reversal");
    /* a year-close entry has no button either: checked by the daemon's flag */
}

Test(web_entry_actions, reverse_in_a_locked_month)
{
    invoice_and_payment(NULL);
    post_cli(K_ACCOUNTANT, "lock --tenant alpha --through 2025-03 --yes");
    web_start(K_ALPHA, "");
    login();
    char csrf[65], rid[17], body[300];
    reverse_form("2025/1", csrf, rid);
    cr_assert(strstr(rep.body, "value=\"\""), "no default date in a locked period: %s", rep.body);
    cr_assert(strstr(rep.body, "verrouillée"), "%s", rep.body);
    uint8_t before[32];
    digest(before);
    snprintf(body, sizeof body, "csrf=%s&tenant=alpha&rid=%s&id=2025%%2F1&date=2025-03-31", csrf,
             rid);
    cr_assert_eq(http("POST", "/reverse", w.cookie, body), 422);
    cr_assert(strstr(rep.body, "erreur 411"), "%s", rep.body);
    cr_assert(strstr(rep.body, "action=\"/reverse\""), "the form again: %s", rep.body);
    snprintf(body, sizeof body, "csrf=%s&tenant=alpha&rid=%s&id=2025%%2F1", csrf, rid);
    cr_assert_eq(http("POST", "/reverse", w.cookie, body), 422, "no date: the CLI's rule");
    snprintf(body, sizeof body, "csrf=%s&tenant=alpha&rid=%s&id=2025%%2F1&date=31%%2F02%%2F2025",
             csrf, rid);
    cr_assert_eq(http("POST", "/reverse", w.cookie, body), 422, "no such day");
    same_digest(before, "a reversal in a locked month");
    /* the same request id, a date in an open month: posted */
    snprintf(body, sizeof body, "csrf=%s&tenant=alpha&rid=%s&id=2025%%2F1&date=15%%2F04%%2F2025",
             csrf, rid);
    cr_assert_eq(http("POST", "/reverse", w.cookie, body), 303, "%s", rep.body);
    static char json[8192];
    entry_json("2025/2", json, sizeof json);
    cr_assert(strstr(json, "\"date\": \"2025-04-15\""), "%s", json);
}

/* Post the lettering form with the lines picks ("pick-2025-1-2&...") and
 * the action; returns the status. */
static int letter_post(const char *picks, const char *action)
{
    cr_assert_eq(http("GET", "/letter?account=401000&aux=FOURN01&tenant=alpha", w.cookie, NULL),
                 200);
    char csrf[65], rid[17], body[600];
    page_hidden("csrf", csrf, sizeof csrf);
    page_hidden("rid", rid, sizeof rid);
    snprintf(body, sizeof body,
             "csrf=%s&tenant=alpha&rid=%s&account=401000&aux=FOURN01&%s&action=%s", csrf, rid,
             picks, action);
    return http("POST", "/letter", w.cookie, body);
}

Test(web_entry_actions, letter_two_lines_summing_to_zero)
{
    invoice_and_payment("1234,56");
    web_start(K_ALPHA, "");
    login();
    cr_assert_eq(http("GET", "/entry?id=2025/1&tenant=alpha", w.cookie, NULL), 200);
    cr_assert(strstr(rep.body, "href=\"/letter?account=401000&amp;aux=FOURN01&amp;tenant=alpha\""),
              "a Lettrer link on the third party's line: %s", rep.body);
    cr_assert_eq(http("GET", "/letter?account=401000&aux=FOURN01&tenant=alpha", w.cookie, NULL),
                 200);
    cr_assert(strstr(rep.body, "name=\"pick-2025-1-2\"") &&
                  strstr(rep.body, "name=\"pick-2025-2-1\""),
              "%s", rep.body);
    cr_assert_null(strstr(rep.body, "pick-2025-1-1"), "606400 is not this third party's");
    /* the sum computed on the server, nothing written */
    uint8_t before[32];
    digest(before);
    cr_assert_eq(letter_post("pick-2025-1-2=1&pick-2025-2-1=1", "sum"), 200);
    cr_assert(strstr(rep.body, "<strong>0,00</strong>"), "%s", rep.body);
    same_digest(before, "computing the sum");
    cr_assert_eq(letter_post("pick-2025-1-2=1&pick-2025-2-1=1", "letter"), 303, "%s", rep.body);
    cr_assert(strstr(rep.head,
                     "Location: /letter?account=401000&aux=FOURN01&tenant=alpha&"
                     "lettered=A"),
              "%s", rep.head);
    cr_assert_eq(
        http("GET", "/letter?account=401000&aux=FOURN01&tenant=alpha&lettered=A", w.cookie, NULL),
        200);
    cr_assert(strstr(rep.body, "Lignes lettrées : A"), "%s", rep.body);
    cr_assert(strstr(rep.body, "name=\"code\" value=\"A\""), "the group, to unletter: %s",
              rep.body);
    cr_assert_null(strstr(rep.body, "name=\"pick-"), "nothing open: %s", rep.body);
    static char json[8192];
    entry_json("2025/1", json, sizeof json);
    cr_assert(strstr(json, "\"letter\": \"A\""), "%s", json);
    cr_assert_eq(http("GET", "/entry?id=2025/2&tenant=alpha", w.cookie, NULL), 200);
    cr_assert(strstr(rep.body,
                     "tenant=alpha\" aria-label=\"Lettrage de la ligne 1 (401000 "
                     "FOURN01)\">A</a>"),
              "the code on the entry: %s", rep.body);
}

Test(web_entry_actions, letter_refusals_before_the_daemon)
{
    invoice_and_payment("1000");
    web_start(K_ALPHA, "");
    login();
    uint8_t before[32];
    digest(before);
    cr_assert_eq(letter_post("pick-2025-1-2=1&pick-2025-2-1=1", "letter"), 422);
    cr_assert(strstr(rep.body, "totalisent -234,56"), "%s", rep.body);
    cr_assert(strstr(rep.body, "name=\"pick-2025-1-2\" id=\"pick-2025-1-2\" checked"),
              "the choice kept: %s", rep.body);
    cr_assert_eq(letter_post("pick-2025-1-2=1", "letter"), 422);
    cr_assert(strstr(rep.body, "au moins deux lignes"), "%s", rep.body);
    cr_assert_eq(letter_post("x=1", "letter"), 422, "none");
    same_digest(before, "a refused lettering");
}

Test(web_entry_actions, double_letter_submit_letters_once)
{
    invoice_and_payment("1234,56");
    web_start(K_ALPHA, "");
    login();
    cr_assert_eq(http("GET", "/letter?account=401000&aux=FOURN01&tenant=alpha", w.cookie, NULL),
                 200);
    char csrf[65], rid[17], body[600], first[300];
    page_hidden("csrf", csrf, sizeof csrf);
    page_hidden("rid", rid, sizeof rid);
    snprintf(body, sizeof body,
             "csrf=%s&tenant=alpha&rid=%s&account=401000&aux=FOURN01&pick-2025-1-2=1&"
             "pick-2025-2-1=1&action=letter",
             csrf, rid);
    cr_assert_eq(http("POST", "/letter", w.cookie, body), 303, "%s", rep.body);
    snprintf(first, sizeof first, "%s", strstr(rep.head, "Location:"));
    uint8_t before[32];
    digest(before);
    cr_assert_eq(http("POST", "/letter", w.cookie, body), 303, "the replay: %s", rep.body);
    cr_assert(!strncmp(strstr(rep.head, "Location:"), first, strcspn(first, "\r\n")),
              "the same code: %s / %s", first, rep.head);
    same_digest(before, "a second submit");
    /* the same lines with another request id: already lettered (421) */
    snprintf(body, sizeof body,
             "csrf=%s&tenant=alpha&rid=00000000000000aa&account=401000&aux=FOURN01&"
             "pick-2025-1-2=1&pick-2025-2-1=1&action=letter",
             csrf);
    cr_assert_eq(http("POST", "/letter", w.cookie, body), 422);
    cr_assert(strstr(rep.body, "erreur 421"), "%s", rep.body);
    same_digest(before, "lettering twice");
}

Test(web_entry_actions, unletter_opens_again)
{
    invoice_and_payment("1234,56");
    post_cli(K_ALPHA, "letter --tenant alpha --account 401000 --aux FOURN01 2025/1:2 2025/2:1");
    web_start(K_ALPHA, "");
    login();
    cr_assert_eq(http("GET", "/letter?account=401000&aux=FOURN01&tenant=alpha", w.cookie, NULL),
                 200);
    char csrf[65], body[300];
    page_hidden("csrf", csrf, sizeof csrf);
    char *form = strstr(rep.body, "action=\"/unletter\"");
    cr_assert_not_null(form, "%s", rep.body);
    char *r = strstr(form, "name=\"rid\" value=\"");
    cr_assert_not_null(r);
    char rid[17];
    cr_assert_eq(sscanf(r, "name=\"rid\" value=\"%16[0-9a-f]", rid), 1);
    snprintf(body, sizeof body, "csrf=%s&tenant=alpha&rid=%s&account=401000&aux=FOURN01&code=A",
             csrf, rid);
    cr_assert_eq(http("POST", "/unletter", w.cookie, body), 303, "%s", rep.body);
    cr_assert(strstr(rep.head, "&unlettered=A"), "%s", rep.head);
    static char json[8192];
    entry_json("2025/1", json, sizeof json);
    cr_assert(strstr(json, "\"letter\": \"\""), "%s", json);
    cr_assert_eq(
        http("GET", "/letter?account=401000&aux=FOURN01&tenant=alpha&unlettered=A", w.cookie, NULL),
        200);
    cr_assert(strstr(rep.body, "name=\"pick-2025-1-2\""), "open again: %s", rep.body);
    /* an unknown code: refused by the daemon, shown with 422 */
    uint8_t before[32];
    digest(before);
    snprintf(body, sizeof body,
             "csrf=%s&tenant=alpha&rid=00000000000000cd&account=401000&aux=FOURN01&code=ZZ", csrf);
    cr_assert_eq(http("POST", "/unletter", w.cookie, body), 422);
    cr_assert(strstr(rep.body, "erreur 410"), "%s", rep.body);
    same_digest(before, "unlettering nothing");
}

Test(web_entry_actions, member_on_another_tenant_refused)
{
    post_cli(K_BETA,
             "post --tenant beta --date 2025-03-31 --journal AC --piece B-1 --label "
             "'Beta only' --debit 606400=10 --credit 401000:FOURN01=10");
    post_cli(K_BETA,
             "post --tenant beta --date 2025-04-01 --journal BQ --piece B-2 --label "
             "'Beta paid' --debit 401000:FOURN01=10 --credit 512000=10");
    web_start(K_ALPHA, "");
    login();
    cr_assert_eq(http("GET", "/reverse?id=2025/1&tenant=beta", w.cookie, NULL), 200);
    cr_assert_null(strstr(rep.body, "Beta only"));
    cr_assert(strstr(rep.body, "Votre clé ne peut pas voir l’association beta"), "%s", rep.body);
    char csrf[65], body[400];
    page_hidden("csrf", csrf, sizeof csrf);
    uint8_t before[32];
    digest(before);
    snprintf(body, sizeof body,
             "csrf=%s&tenant=beta&rid=00000000000000ef&id=2025%%2F1&date=2025-04-30", csrf);
    cr_assert_eq(http("POST", "/reverse", w.cookie, body), 422);
    cr_assert(strstr(rep.body, "Votre clé ne peut pas voir l’association beta"), "%s", rep.body);
    snprintf(body, sizeof body,
             "csrf=%s&tenant=beta&rid=00000000000000ef&account=401000&aux=FOURN01&"
             "pick-2025-1-2=1&pick-2025-2-1=1&action=letter",
             csrf);
    cr_assert_eq(http("POST", "/letter", w.cookie, body), 422);
    cr_assert_null(strstr(rep.body, "Beta"));
    snprintf(body, sizeof body,
             "csrf=%s&tenant=beta&rid=00000000000000ef&account=401000&aux=FOURN01&code=A", csrf);
    cr_assert_eq(http("POST", "/unletter", w.cookie, body), 422);
    same_digest(before, "another tenant");
}

Test(web_entry_actions, csrf_missing_refused)
{
    invoice_and_payment("1234,56");
    web_start(K_ALPHA, "");
    login();
    char csrf[65], rid[17], body[400];
    reverse_form("2025/1", csrf, rid);
    uint8_t before[32];
    digest(before);
    snprintf(body, sizeof body, "tenant=alpha&rid=%s&id=2025%%2F1&date=2025-03-31", rid);
    cr_assert_eq(http("POST", "/reverse", w.cookie, body), 403);
    snprintf(body, sizeof body,
             "tenant=alpha&rid=%s&account=401000&aux=FOURN01&pick-2025-1-2=1&pick-2025-2-1=1&"
             "action=letter",
             rid);
    cr_assert_eq(http("POST", "/letter", w.cookie, body), 403);
    snprintf(body, sizeof body, "tenant=alpha&rid=%s&account=401000&aux=FOURN01&code=A", rid);
    cr_assert_eq(http("POST", "/unletter", w.cookie, body), 403);
    /* a form without its request id is refused too: no double submit possible */
    snprintf(body, sizeof body, "csrf=%s&tenant=alpha&id=2025%%2F1&date=2025-03-31", csrf);
    cr_assert_eq(http("POST", "/reverse", w.cookie, body), 422);
    same_digest(before, "no CSRF token");
}

Test(web_entry_actions, read_only_offers_no_action)
{
    invoice_and_payment("1234,56");
    web_start(K_ALPHA, "--read-only");
    login();
    cr_assert_eq(http("GET", "/entry?id=2025/1&tenant=alpha", w.cookie, NULL), 200);
    cr_assert_null(strstr(rep.body, "/reverse?"), "%s", rep.body);
    cr_assert_null(strstr(rep.body, "/letter?"), "%s", rep.body);
    cr_assert_eq(http("POST", "/reverse", w.cookie, "id=2025%2F1"), 403);
}
