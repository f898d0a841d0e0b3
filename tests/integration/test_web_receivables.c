/*
 * tests/integration/test_web_receivables.c — Créances and Relances in
 * `grandlivre web` (issue 17): the aged balance of the tenant at a date,
 * its items in detail, its CSV (the bytes of `receivables --format
 * csv-fr`); the reminders the next run would send, and each letter, the
 * very bytes `reminders --out` writes.  Read-only: the ledger's digest is
 * unchanged by every visit; a member sees its own tenant only.
 */
#include "tests/support/harness.h"
#include "tests/support/web_http.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static harness h;

static void setup(void) { web_suite_init(&h, true); }

static void teardown(void) { web_suite_fini(&h); }

TestSuite(web_receivables, .init = setup, .fini = teardown, .timeout = 180);

static void post(const char *date, const char *piece, const char *aux, const char *amount)
{
    char out[2048];
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out,
                       "post --tenant alpha --date %s --journal VT --piece %s --label 'Cotisation "
                       "%s' --debit 411000:%s=%s --credit 706000=%s",
                       date, piece, aux, aux, amount, amount),
                 0, "%s", out);
}

/* DUPONT owes 120,00 € since 10/01/2025 (due 09/02: 50 days late at
 * 31/03, 31-60 days); MARTIN 1 234,56 € since 20/03 (not yet due). */
static void invoices(void)
{
    post("2025-01-10", "F-001", "DUPONT", "120");
    post("2025-03-20", "F-002", "MARTIN", "1234.56");
}

/* The body of the last reply from `from` on, or NULL. */
static const char *after(const char *from, const char *needle)
{
    return from ? strstr(from, needle) : NULL;
}

Test(web_receivables, the_aged_balance_puts_each_third_party_in_its_bucket)
{
    invoices();
    uint8_t d0[32], d1[32];
    h_digest(&h, d0);
    web_start(K_ACCOUNTANT, "");
    login();
    cr_assert_eq(http_get("/receivables?at=2025-03-31&tenant=alpha", w.cookie), 200);
    h_digest(&h, d1);
    cr_assert(!memcmp(d0, d1, 32), "a visit writes nothing");
    cr_expect(strstr(rep.body, "<title>Créances"), "%s", rep.body);
    cr_expect(strstr(rep.body, "href=\"/receivables"), "in the navigation");
    const char *d = after(strstr(rep.body, ">DUPONT</a>"), "</td>");
    cr_assert(d, "%s", rep.body);
    /* 80 days old at 31/03 (aged from the invoice date, as the command):
     * not due 0, 1-30 0, 31-60 0, 61-90 120,00, over 90 0, total 120,00 */
    static const char want[] =
        "</td><td class=\"num\">0,00</td><td class=\"num\">0,00</td>"
        "<td class=\"num\">0,00</td><td class=\"num\">120,00</td>"
        "<td class=\"num\">0,00</td><td class=\"num\">120,00</td>";
    cr_expect(!strncmp(d, want, strlen(want)), "%.300s", d);
    const char *m = after(strstr(rep.body, ">MARTIN</a>"), "</td>");
    cr_assert(m, "%s", rep.body);
    cr_expect(strstr(m, "<td class=\"num\">1\u00a0234,56</td>") ||
                  strstr(m, "<td class=\"num\">1 234,56</td>") ||
                  strstr(m, "<td class=\"num\">1\u202f234,56</td>"),
              "%.300s", m);
    cr_expect(strstr(rep.body, "1 354,56") || strstr(rep.body, "1\u00a0354,56") ||
                  strstr(rep.body, "1\u202f354,56"),
              "the total");
    cr_expect(!strstr(rep.body, "F-001"), "no detail unless asked");
}

Test(web_receivables, the_detail_lists_the_items_behind_the_figures)
{
    invoices();
    web_start(K_ACCOUNTANT, "");
    login();
    cr_assert_eq(http_get("/receivables?at=2025-03-31&detail=1&tenant=alpha", w.cookie), 200);
    const char *f1 = strstr(rep.body, "<td>F-001</td>");
    cr_assert(f1, "%s", rep.body);
    cr_expect(strstr(rep.body, "<td>09/02/2025</td>"), "the due date: %s", rep.body);
    cr_expect(strstr(f1, "<td class=\"num\">50</td>"), "50 days late: %.400s", f1);
    cr_expect(strstr(rep.body, "href=\"/entry?id=2025/"), "each item links to its entry");
}

Test(web_receivables, the_csv_is_the_commands)
{
    invoices();
    static char cli_out[65536];
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, cli_out, sizeof cli_out,
                       "--lang fr receivables --tenant alpha --at 2025-03-31 --format csv-fr"),
                 0);
    web_start(K_ACCOUNTANT, "");
    login();
    cr_assert_eq(http_get("/receivables?at=2025-03-31&format=csv&tenant=alpha", w.cookie), 200);
    cr_expect(strstr(rep.head, "text/csv"), "%s", rep.head);
    cr_expect(strstr(rep.head, "creances-alpha-2025-03-31.csv"), "%s", rep.head);
    cr_expect_eq(rep.body_len, strlen(cli_out), "web:\n%s\ncli:\n%s", rep.body, cli_out);
    cr_expect(!memcmp(rep.body, cli_out, strlen(cli_out)), "web:\n%s\ncli:\n%s", rep.body, cli_out);
}

Test(web_receivables, the_reminders_page_lists_whom_to_remind_and_the_letter_is_the_commands)
{
    invoices();
    char dir[600], path[700], out[4096];
    snprintf(dir, sizeof dir, "%s/letters", h.dir);
    cr_assert_eq(mkdir(dir, 0700), 0);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, out, sizeof out,
                       "reminders --tenant alpha --at 2025-03-31 --out '%s'", dir),
                 0, "%s", out);
    uint8_t d0[32], d1[32];
    h_digest(&h, d0);
    web_start(K_ACCOUNTANT, "");
    login();
    cr_assert_eq(http_get("/reminders?at=2025-03-31&tenant=alpha", w.cookie), 200);
    cr_expect(strstr(rep.body, "<title>Relances"), "%s", rep.body);
    const char *d = strstr(rep.body, "<td>DUPONT");
    cr_assert(d, "%s", rep.body);
    cr_expect(strstr(d, "relance amiable"), "level 1: %.500s", d);
    cr_expect(strstr(d, "<td class=\"num\">120,00</td>"), "%.500s", d);
    cr_expect(!strstr(rep.body, "<td>MARTIN"), "not yet due: not reminded");
    cr_assert(strstr(d, "href=\"/reminders/letter?aux=DUPONT&amp;at=2025-03-31&amp;tenant=alpha\""),
              "%.600s", d);
    cr_assert_eq(http_get("/reminders/letter?aux=DUPONT&at=2025-03-31&tenant=alpha", w.cookie),
                 200);
    h_digest(&h, d1);
    cr_assert(!memcmp(d0, d1, 32), "a visit writes nothing");
    snprintf(path, sizeof path, "%s/relance-1-DUPONT-20250331.html", dir);
    FILE *f = fopen(path, "rb");
    cr_assert(f, "%s", path);
    static char file[65536];
    size_t n = fread(file, 1, sizeof file, f);
    fclose(f);
    file[n < sizeof file ? n : sizeof file - 1] = '\0';
    /* the same letter; only its stylesheet is linked (the web's policy
     * refuses an inline style), and served with the same rules */
    const char *web_body = strstr(rep.body, "</head>"), *file_body = strstr(file, "</head>");
    cr_assert(web_body && file_body, "%s", rep.body);
    cr_expect_str_eq(web_body, file_body);
    cr_expect(strstr(rep.body, "<link rel=\"stylesheet\" href=\"/static/letter.css\">"), "%s",
              rep.body);
    cr_expect(strstr(file, "<style>@page{size:A4;"), "%s", file);
    char css[512];
    snprintf(css, sizeof css, "%s", strstr(file, "<style>") + 7);
    *strstr(css, "</style>") = '\0';
    cr_assert_eq(http_get("/static/letter.css", w.cookie), 200);
    cr_expect_str_eq(rep.body, css);
    /* a third party with nothing overdue has no letter */
    cr_assert_eq(http_get("/reminders/letter?aux=MARTIN&at=2025-03-31&tenant=alpha", w.cookie),
                 200);
    cr_expect(strstr(rep.body, "class=\"banner"), "%s", rep.body);
}

Test(web_receivables, a_member_sees_its_own_tenant_only)
{
    invoices();
    web_start(K_BETA, "");
    login();
    cr_assert_eq(http_get("/receivables?at=2025-03-31&tenant=alpha", w.cookie), 200);
    cr_expect(!strstr(rep.body, "DUPONT"), "%s", rep.body);
    cr_assert_eq(http_get("/reminders?at=2025-03-31&tenant=alpha", w.cookie), 200);
    cr_expect(!strstr(rep.body, "DUPONT"), "%s", rep.body);
    cr_assert_eq(http_get("/reminders/letter?aux=DUPONT&at=2025-03-31&tenant=alpha", w.cookie),
                 200);
    cr_expect(!strstr(rep.body, "DUPONT"), "%s", rep.body);
}

Test(web_receivables, a_bad_date_is_said_and_asks_nothing)
{
    web_start(K_ALPHA, "");
    login();
    cr_assert_eq(http_get("/receivables?at=2025-13-45", w.cookie), 200);
    cr_expect(strstr(rep.body, "class=\"banner"), "%s", rep.body);
    cr_assert_eq(http_get("/receivables?account=41%3B1", w.cookie), 200);
    cr_expect(strstr(rep.body, "class=\"banner"), "%s", rep.body);
}

/* The hidden field name of the form of the third party's row (the first
 * after "<td>AUX"). */
static void row_field(const char *aux, const char *name, char *out, size_t cap)
{
    char needle[64], fmt[32];
    snprintf(needle, sizeof needle, "<td>%s", aux);
    const char *row = strstr(rep.body, needle);
    cr_assert(row, "no row %s in %s", aux, rep.body);
    snprintf(needle, sizeof needle, "name=\"%s\" value=\"", name);
    const char *p = strstr(row, needle);
    cr_assert(p, "no %s in %s", name, row);
    snprintf(fmt, sizeof fmt, "%%%zu[^\"]", cap - 1);
    cr_assert_eq(sscanf(p + strlen(needle), fmt, out), 1);
}

Test(web_receivables, mark_as_sent_records_the_reminder_once_and_the_next_level_is_proposed)
{
    invoices();
    web_start(K_ACCOUNTANT, "");
    login();
    cr_assert_eq(http_get("/reminders?at=2025-03-31&tenant=alpha", w.cookie), 200);
    char csrf[65], rid[17], level[4], body[512];
    row_field("DUPONT", "csrf", csrf, sizeof csrf);
    row_field("DUPONT", "rid", rid, sizeof rid);
    row_field("DUPONT", "level", level, sizeof level);
    cr_assert_str_eq(level, "1");
    snprintf(body, sizeof body, "csrf=%s&tenant=alpha&rid=%s&aux=DUPONT&level=1&at=2025-03-31",
             csrf, rid);
    uint8_t d0[32], d1[32], d2[32];
    h_digest(&h, d0);
    cr_assert_eq(http("POST", "/reminders", w.cookie, body), 303, "%s", rep.body);
    h_digest(&h, d1);
    cr_assert(memcmp(d0, d1, 32), "the reminder is recorded");
    cr_assert_eq(http("POST", "/reminders", w.cookie, body), 303, "the replay: %s", rep.body);
    h_digest(&h, d2);
    cr_assert(!memcmp(d1, d2, 32), "a double submit records nothing more");
    cr_assert_eq(http_get("/reminders?at=2025-03-31&tenant=alpha&sent=DUPONT", w.cookie), 200);
    cr_expect(strstr(rep.body, "DUPONT est enregistrée comme envoyée"), "%s", rep.body);
    const char *d = strstr(rep.body, "<td>DUPONT");
    cr_assert(d);
    cr_expect(strstr(d, "2 — second rappel"), "%.400s", d);
    char out[4096];
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, out, sizeof out,
                       "reminders --tenant alpha --at 2025-03-31 --format csv"),
                 0);
    cr_expect(strstr(out, "DUPONT,2,"), "the CLI proposes level 2 too: %s", out);
}

Test(web_receivables, a_refused_mark_as_sent_changes_nothing)
{
    invoices();
    web_start(K_ACCOUNTANT, "");
    login();
    cr_assert_eq(http_get("/reminders?at=2025-03-31&tenant=alpha", w.cookie), 200);
    char csrf[65], rid[17], body[512];
    row_field("DUPONT", "csrf", csrf, sizeof csrf);
    row_field("DUPONT", "rid", rid, sizeof rid);
    uint8_t d0[32], d1[32];
    h_digest(&h, d0);
    /* a level out of 1-3: refused here */
    snprintf(body, sizeof body, "csrf=%s&tenant=alpha&rid=%s&aux=DUPONT&level=4&at=2025-03-31",
             csrf, rid);
    cr_assert_eq(http("POST", "/reminders", w.cookie, body), 422, "%s", rep.body);
    /* dated after today: the daemon's refusal (455), said */
    snprintf(body, sizeof body, "csrf=%s&tenant=alpha&rid=%s&aux=DUPONT&level=1&at=2999-12-31",
             csrf, rid);
    cr_assert_eq(http("POST", "/reminders", w.cookie, body), 422, "%s", rep.body);
    cr_expect(strstr(rep.body, "455"), "%s", rep.body);
    h_digest(&h, d1);
    cr_assert(!memcmp(d0, d1, 32), "the ledger changed after a refusal");
}

Test(web_receivables, the_auditor_and_read_only_have_no_mark_as_sent)
{
    invoices();
    web_start(K_AUDITOR, "");
    login();
    cr_assert_eq(http_get("/reminders?at=2025-03-31&tenant=alpha", w.cookie), 200);
    cr_expect(strstr(rep.body, "<td>DUPONT"), "%s", rep.body);
    cr_expect(!strstr(rep.body, "method=\"post\" action=\"/reminders\""), "%s", rep.body);
    web_stop();
    web_start(K_ACCOUNTANT, "--read-only");
    login();
    cr_assert_eq(http_get("/reminders?at=2025-03-31&tenant=alpha", w.cookie), 200);
    cr_expect(strstr(rep.body, "<td>DUPONT"), "%s", rep.body);
    cr_expect(!strstr(rep.body, "method=\"post\" action=\"/reminders\""), "%s", rep.body);
}
