/*
 * tests/integration/test_web_bank.c — Rapprochement bancaire in
 * `grandlivre web` (issue 18): against a real daemon, the page lists the
 * statement lines and the ledger lines of 512000 not reconciled, side by
 * side with their checkboxes; a balanced set POSTed is one match (its
 * lines leave both lists, it is listed with « Dépointer », which undoes
 * it); an unbalanced set is refused with its message and changes nothing;
 * « Valider toutes les propositions sûres » records the engine's sure
 * proposals; a rule created from a line gives the entry « Passer
 * l'écriture et pointer » posts and matches; a line matched with an
 * entry dated after the date gets no rule entry (not a free line); after
 * « Passer l'écriture et pointer » half done (posted, its match refused)
 * the page's « Pointer » carries a fresh request id and goes through; the
 * état de rapprochement
 * downloads as CSV; the auditor sees everything and no form, and a member
 * sees its own tenant only.
 */
#include "tests/integration/bank_support.h"
#include "tests/support/web_http.h"

#include "proto/bank_match.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static harness h;

/* The statement of January 2025: +250,00 (seq 1), -5,50 bank fees (seq
 * 2), -20,00 a cheque (seq 3); and the books: the dues received (+250,00)
 * and the cheque (-20,00); the fees are not in the books. */
static void setup(void)
{
    web_suite_init(&h, true);
    cr_assert_eq(bk_set(&h, K_ACCOUNTANT, "alpha", "512000", IBAN_A, "", "Courant"), GL_OK);
    gl_bank_statement s;
    bk_statement(&s, IBAN_A, 3);
    s.from_date = 20250101;
    s.to_date = 20250131;
    s.has_opening = s.has_closing = 1;
    s.opening_cents = 0;
    s.closing_cents = 25000 - 550 - 2000;
    bk_line(&s.lines[0], 20250106, 25000, "VIR COTISATION DUPONT", "R1");
    bk_line(&s.lines[1], 20250110, -550, "FRAIS TENUE DE COMPTE 01/25", "R2");
    bk_line(&s.lines[2], 20250120, -2000, "CHQ 1234", "R3");
    gl_bank_import_result r;
    cr_assert_eq(bk_import(&h, K_ACCOUNTANT, "alpha", "512000", &s, &r), GL_OK, "%s", r.detail);
    free(s.lines);
    char out[2048];
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out,
                       "post --date 2025-01-05 --journal BQ --piece VIR-01 --label 'Cotisation "
                       "DUPONT' --debit 512000=250 --credit 706000=250"),
                 0, "%s", out);
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out,
                       "post --date 2025-01-18 --journal BQ --piece CHQ1234 --label 'Fournitures' "
                       "--debit 606400=20 --credit 512000=20"),
                 0, "%s", out);
}

static void teardown(void) { web_suite_fini(&h); }

TestSuite(web_bank, .init = setup, .fini = teardown, .timeout = 180);

#define PAGE "/bank?account=512000&at=2025-01-31&tenant=alpha"

/* The name of the checkbox of the ledger line of that amount (cents). */
static void book_box(const char *cents, char out[48])
{
    const char *side = strstr(rep.body, "data-side=\"book\"");
    cr_assert(side, "%s", rep.body);
    char needle[64];
    snprintf(needle, sizeof needle, "data-cents=\"%s\"", cents);
    const char *box = strstr(side, needle);
    cr_assert(box, "no ledger line of %s: %s", cents, side);
    const char *name = box;
    while (name > side && strncmp(name, "name=\"", 6))
        name--;
    cr_assert_eq(sscanf(name + 6, "%47[^\"]", out), 1);
}

/* A form body: csrf of the page just read, a fresh request id, the
 * account and the date, then rest. */
static void form(char *out, size_t cap, const char *rest)
{
    char csrf[65];
    page_csrf(csrf);
    snprintf(out, cap, "csrf=%s&tenant=alpha&rid=%016llx&account=512000&at=2025-01-31&%s", csrf,
             (unsigned long long)gl_request_id_random(), rest);
}

static void open_page(enum h_key k)
{
    web_start(k, "");
    login();
    cr_assert_eq(http_get(PAGE, w.cookie), 200);
}

Test(web_bank, the_page_lists_both_sides_and_writes_nothing)
{
    uint8_t d0[32], d1[32];
    h_digest(&h, d0);
    open_page(K_ACCOUNTANT);
    h_digest(&h, d1);
    cr_assert(!memcmp(d0, d1, 32), "a visit writes nothing");
    cr_expect(strstr(rep.body, "href=\"/bank?tenant=alpha\""), "in the navigation: %s", rep.body);
    const char *bank = strstr(rep.body, "data-side=\"bank\"");
    const char *book = strstr(rep.body, "data-side=\"book\"");
    cr_assert(bank && book && bank < book, "%s", rep.body);
    cr_expect(strstr(bank, "name=\"b-1\" data-cents=\"25000\""), "%s", bank);
    cr_expect(strstr(bank, "<td>FRAIS TENUE DE COMPTE 01/25</td><td>R2</td>"), "%s", bank);
    cr_expect(strstr(bank, "name=\"b-3\" data-cents=\"-2000\""), "%s", bank);
    cr_expect(strstr(book, "data-cents=\"25000\""), "%s", book);
    cr_expect(strstr(book, "CHQ1234") && strstr(book, "<td class=\"num\">-20,00</td>"), "%s", book);
    cr_expect(strstr(rep.body, "id=\"bank-match-form\""), "the form of « Pointer »");
    cr_expect(strstr(rep.body, "action=\"/bank/match-sure\""), "the sure proposals");
    cr_expect(strstr(rep.body, "href=\"/bank/rule?account=512000&amp;at=2025-01-31&amp;seq=2"),
              "« Créer une règle » from a line: %s", rep.body);
    cr_expect(strstr(rep.body, "/bank/report?account=512000&amp;at=2025-01-31&amp;format=csv"),
              "the report's CSV");
}

Test(web_bank, a_balanced_set_is_one_match_and_unmatch_undoes_it)
{
    open_page(K_ACCOUNTANT);
    char box[48], rest[128], body[512];
    book_box("-2000", box);
    snprintf(rest, sizeof rest, "b-3=1&%s=1", box);
    form(body, sizeof body, rest);
    uint8_t d0[32], d1[32], d2[32];
    h_digest(&h, d0);
    cr_assert_eq(http("POST", "/bank/match", w.cookie, body), 303, "%s", rep.body);
    h_digest(&h, d1);
    cr_assert(memcmp(d0, d1, 32), "the match is recorded");
    cr_expect(strstr(rep.head, "matched=1"), "%s", rep.head);
    cr_assert_eq(http("POST", "/bank/match", w.cookie, body), 303, "the replay: %s", rep.body);
    h_digest(&h, d2);
    cr_assert(!memcmp(d1, d2, 32), "a double submit records nothing more");
    cr_assert_eq(http_get(PAGE, w.cookie), 200);
    cr_expect(!strstr(rep.body, "name=\"b-3\""), "the line left the list: %s", rep.body);
    cr_expect(!strstr(strstr(rep.body, "data-side=\"book\""), "data-cents=\"-2000\""),
              "the ledger line too");
    const char *m = strstr(rep.body, "class=\"matches\"");
    cr_assert(m, "%s", rep.body);
    cr_expect(strstr(m, "CHQ 1234"), "%s", m);
    cr_expect(strstr(m, "name=\"match\" value=\"1\""), "« Dépointer »: %s", m);
    form(body, sizeof body, "match=1");
    cr_assert_eq(http("POST", "/bank/unmatch", w.cookie, body), 303, "%s", rep.body);
    cr_assert_eq(http_get(PAGE, w.cookie), 200);
    cr_expect(strstr(rep.body, "name=\"b-3\""), "the line is to match again: %s", rep.body);
    cr_expect(strstr(rep.body, "<tr class=\"undone\"><td>1</td>"), "%s", rep.body);
    cr_expect_geq(h_verify_chains(&h), 0);
}

Test(web_bank, an_unbalanced_set_is_refused_and_changes_nothing)
{
    open_page(K_ACCOUNTANT);
    char box[48], rest[128], body[512];
    book_box("-2000", box);
    snprintf(rest, sizeof rest, "b-1=1&%s=1", box);
    form(body, sizeof body, rest);
    uint8_t d0[32], d1[32];
    h_digest(&h, d0);
    cr_assert_eq(http("POST", "/bank/match", w.cookie, body), 422, "%s", rep.body);
    cr_expect(strstr(rep.body, "class=\"banner problem\""), "%s", rep.body);
    cr_expect(strstr(rep.body, "250,00") && strstr(rep.body, "-20,00") && strstr(rep.body, "478"),
              "both totals and the status said: %s", rep.body);
    cr_expect(strstr(rep.body, "name=\"b-1\" data-cents=\"25000\" checked"),
              "the selection kept: %s", rep.body);
    /* no line on one side */
    form(body, sizeof body, "b-1=1");
    cr_assert_eq(http("POST", "/bank/match", w.cookie, body), 422, "%s", rep.body);
    /* a line that is not the account's unmatched line */
    form(body, sizeof body, "b-99=1&l-2025-99-1=1");
    cr_assert_eq(http("POST", "/bank/match", w.cookie, body), 422, "%s", rep.body);
    h_digest(&h, d1);
    cr_assert(!memcmp(d0, d1, 32), "the ledger changed after a refusal");
}

Test(web_bank, the_sure_proposals_are_recorded_in_one_request)
{
    open_page(K_ACCOUNTANT);
    const char *p = strstr(rep.body, "class=\"proposals\"");
    cr_assert(p, "%s", rep.body);
    cr_expect(strstr(p, "VIR COTISATION DUPONT"), "%s", p);
    char body[512];
    form(body, sizeof body, "x=1");
    cr_assert_eq(http("POST", "/bank/match-sure", w.cookie, body), 303, "%s", rep.body);
    cr_assert_eq(http_get(PAGE, w.cookie), 200);
    cr_expect(!strstr(rep.body, "name=\"b-1\""), "the dues matched: %s", rep.body);
    cr_expect(strstr(rep.body, "name=\"b-2\""), "the fees are in no proposal");
}

Test(web_bank, a_rule_from_a_line_gives_the_entry_posted_and_matched)
{
    open_page(K_ACCOUNTANT);
    cr_assert_eq(http_get("/bank/rule?account=512000&at=2025-01-31&seq=2&tenant=alpha", w.cookie),
                 200);
    cr_expect(strstr(rep.body, "name=\"pattern\" value=\"FRAIS TENUE DE COMPTE\""), "%s", rep.body);
    cr_expect(strstr(rep.body, "name=\"name\" value=\"frais-tenue-de-compte\""), "%s", rep.body);
    cr_expect(strstr(rep.body, "name=\"journal\" value=\"BQ\""), "%s", rep.body);
    char body[700];
    form(body, sizeof body,
         "seq=2&name=frais&pattern=FRAIS+TENUE*&counterpart=627000&min=&max=&journal=BQ&label=");
    cr_assert_eq(http("POST", "/bank/rule", w.cookie, body), 303, "%s", rep.body);
    cr_assert_eq(http_get(PAGE, w.cookie), 200);
    const char *e = strstr(rep.body, "class=\"rule-entries\"");
    cr_assert(e, "%s", rep.body);
    cr_expect(strstr(e, "627000"), "%s", e);
    form(body, sizeof body, "seq=2");
    cr_assert_eq(http("POST", "/bank/rule-entry", w.cookie, body), 303, "%s", rep.body);
    cr_expect(strstr(rep.head, "posted=2025%2F3"), "%s", rep.head);
    cr_expect_eq(h_balance(&h, "alpha", "627000", 20251231), 550);
    cr_assert_eq(http_get(PAGE, w.cookie), 200);
    cr_expect(!strstr(rep.body, "name=\"b-2\""), "the fees are matched: %s", rep.body);
    /* a rule refused by its own rules changes nothing */
    uint8_t d0[32], d1[32];
    h_digest(&h, d0);
    form(body, sizeof body, "name=Bad+Name&pattern=X&counterpart=627000&journal=BQ");
    cr_assert_eq(http("POST", "/bank/rule", w.cookie, body), 422, "%s", rep.body);
    h_digest(&h, d1);
    cr_assert(!memcmp(d0, d1, 32), "the ledger changed after a refusal");
}

/* A form body with the request id rid. */
static void form_rid(char *out, size_t cap, uint64_t rid, const char *rest)
{
    char csrf[65];
    page_csrf(csrf);
    snprintf(out, cap, "csrf=%s&tenant=alpha&rid=%016llx&account=512000&at=2025-01-31&%s", csrf,
             (unsigned long long)rid, rest);
}

/* « Passer l'écriture et pointer » half done: the entry posted, its match
 * refused (its second request id, rid + 1, spent by the rule's form).  The
 * page shown again carries a fresh id in « Pointer »'s form: the manual
 * match of the posted entry with its line is recorded, not refused 202. */
Test(web_bank, after_a_half_done_rule_entry_a_manual_match_goes_through)
{
    open_page(K_ACCOUNTANT);
    uint64_t rid = gl_request_id_random() | 1; /* rid + 1 does not wrap */
    rid &= ~(uint64_t)0 >> 1;
    char body[700];
    form_rid(
        body, sizeof body, rid + 1,
        "seq=2&name=frais&pattern=FRAIS+TENUE*&counterpart=627000&min=&max=&journal=BQ&label=");
    cr_assert_eq(http("POST", "/bank/rule", w.cookie, body), 303, "%s", rep.body);
    cr_assert_eq(http_get(PAGE, w.cookie), 200);
    form_rid(body, sizeof body, rid, "seq=2");
    cr_assert_eq(http("POST", "/bank/rule-entry", w.cookie, body), 422, "%s", rep.body);
    cr_expect(strstr(rep.body, "202 request_id_reused"), "the match refused: %s", rep.body);
    cr_assert_eq(h_balance(&h, "alpha", "627000", 20251231), 550, "the entry is posted");
    /* « Pointer » as the page shows it again: its own request id */
    const char *f = strstr(rep.body, "id=\"bank-match-form\"");
    cr_assert(f, "%s", rep.body);
    const char *at = strstr(f, "name=\"rid\" value=\"");
    unsigned long long page_rid = 0;
    cr_assert(at && sscanf(at + strlen("name=\"rid\" value=\""), "%16llx", &page_rid) == 1, "%s",
              f);
    cr_expect_neq(page_rid, (unsigned long long)rid, "the spent id shown again");
    char box[48], rest[128];
    book_box("-550", box);
    snprintf(rest, sizeof rest, "b-2=1&%s=1", box);
    form_rid(body, sizeof body, page_rid, rest);
    cr_assert_eq(http("POST", "/bank/match", w.cookie, body), 303, "%s", rep.body);
    cr_assert_eq(http_get(PAGE, w.cookie), 200);
    cr_expect(!strstr(rep.body, "name=\"b-2\""), "the fees are matched: %s", rep.body);
    cr_expect_geq(h_verify_chains(&h), 0);
}

/* The fees of January 10 matched with an entry of February 1: at January
 * 31 the report still counts them (the match is not whole by then), but
 * they are not free: no rule entry, no checkbox, and « Passer l'écriture
 * et pointer » for them posts nothing. */
Test(web_bank, a_line_matched_after_the_date_gets_no_rule_entry)
{
    char out[2048];
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out,
                       "post --date 2025-02-01 --journal BQ --piece FRAIS-01 --label 'Frais' "
                       "--debit 627000=5.50 --credit 512000=5.50"),
                 0, "%s", out);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, out, sizeof out,
                       "bank match --tenant alpha --account 512000 --bank 2 --lines 2025/3:2"),
                 0, "%s", out);
    open_page(K_ACCOUNTANT);
    char body[700];
    form(body, sizeof body,
         "seq=2&name=frais&pattern=FRAIS+TENUE*&counterpart=627000&min=&max=&journal=BQ&label=");
    cr_assert_eq(http("POST", "/bank/rule", w.cookie, body), 303, "%s", rep.body);
    cr_assert_eq(http_get(PAGE, w.cookie), 200);
    cr_expect(!strstr(rep.body, "class=\"rule-entries\""), "%s", rep.body);
    cr_expect(!strstr(rep.body, "name=\"b-2\""), "not a free line: %s", rep.body);
    cr_expect(strstr(rep.body, "<td class=\"num\">224,50</td><td class=\"muted\">3 "),
              "the balances still count it (its 3 lines): %s", rep.body);
    uint8_t d0[32], d1[32];
    h_digest(&h, d0);
    form(body, sizeof body, "seq=2");
    cr_assert_eq(http("POST", "/bank/rule-entry", w.cookie, body), 422, "%s", rep.body);
    h_digest(&h, d1);
    cr_assert(!memcmp(d0, d1, 32), "a second entry for the fees");
}

Test(web_bank, the_report_downloads_as_csv)
{
    open_page(K_ACCOUNTANT);
    cr_assert_eq(
        http_get("/bank/report?account=512000&at=2025-01-31&format=csv&tenant=alpha", w.cookie),
        200);
    cr_expect(strstr(rep.head, "text/csv"), "%s", rep.head);
    cr_expect(strstr(rep.head, "rapprochement-alpha-512000-2025-01-31.csv"), "%s", rep.head);
    cr_expect(strstr(rep.body, "FRAIS TENUE DE COMPTE"), "%s", rep.body);
    cr_assert_eq(
        http_get("/bank/report?account=512000&at=2025-01-31&format=html&tenant=alpha", w.cookie),
        200);
    cr_expect(strstr(rep.head, "text/html"), "%s", rep.head);
    cr_expect(strstr(rep.head, "rapprochement-alpha-512000-2025-01-31.html"), "%s", rep.head);
    cr_expect(strstr(rep.body, "FRAIS TENUE DE COMPTE"), "%s", rep.body);
}

Test(web_bank, the_date_is_the_last_statements_unless_asked)
{
    web_start(K_ACCOUNTANT, "");
    login();
    cr_assert_eq(http_get("/bank?tenant=alpha", w.cookie), 200);
    cr_expect(strstr(rep.body, "<option value=\"512000\" selected>"), "%s", rep.body);
    cr_expect(strstr(rep.body, "name=\"at\" size=\"10\" value=\"2025-01-31\""), "%s", rep.body);
    cr_assert_eq(http_get("/bank?account=512000&at=2025-01-08&tenant=alpha", w.cookie), 200);
    cr_expect(strstr(rep.body, "name=\"b-1\""), "%s", rep.body);
    cr_expect(!strstr(rep.body, "name=\"b-2\""), "a line after the date: %s", rep.body);
}

Test(web_bank, a_tenant_without_a_bank_account_is_told_and_has_no_link)
{
    web_start(K_BETA, "");
    login();
    cr_assert_eq(http_get("/bank", w.cookie), 200);
    cr_expect(strstr(rep.body, "class=\"banner\""), "%s", rep.body);
    cr_expect(!strstr(rep.body, "href=\"/bank"), "no link in the navigation: %s", rep.body);
    cr_expect(!strstr(rep.body, "<form class=\"filters\" method=\"get\" action=\"/bank\""), "%s",
              rep.body);
}

Test(web_bank, the_auditor_sees_everything_and_no_form)
{
    open_page(K_AUDITOR);
    cr_expect(strstr(rep.body, "FRAIS TENUE DE COMPTE"), "%s", rep.body);
    cr_expect(strstr(rep.body, "CHQ1234"), "%s", rep.body);
    cr_expect(!strstr(rep.body, "type=\"checkbox\""), "%s", rep.body);
    cr_expect(!strstr(rep.body, "action=\"/bank/"), "no form: %s", rep.body);
    /* and a POST all the same is the daemon's refusal */
    char box[48] = "l-2025-2-2", rest[128], body[512];
    snprintf(rest, sizeof rest, "b-3=1&%s=1", box);
    form(body, sizeof body, rest);
    uint8_t d0[32], d1[32];
    h_digest(&h, d0);
    int st = http("POST", "/bank/match", w.cookie, body);
    cr_expect(st == 422 || st == 403, "%d %s", st, rep.body);
    h_digest(&h, d1);
    cr_assert(!memcmp(d0, d1, 32), "the auditor wrote");
}

Test(web_bank, a_member_sees_its_own_tenant_only)
{
    web_start(K_BETA, "");
    login();
    cr_assert_eq(http_get(PAGE, w.cookie), 200);
    cr_expect(!strstr(rep.body, "FRAIS"), "%s", rep.body);
    cr_expect(!strstr(rep.body, "type=\"checkbox\""), "%s", rep.body);
    cr_assert_eq(
        http_get("/bank/report?account=512000&at=2025-01-31&format=csv&tenant=alpha", w.cookie),
        200);
    cr_expect(!strstr(rep.body, "FRAIS"), "%s", rep.body);
}
