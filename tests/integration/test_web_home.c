/*
 * tests/integration/test_web_home.c — Accueil completed, against a real
 * daemon through `grandlivre web`: the result of the year to date beside
 * last year's same period, the open customer and supplier items per third
 * party (count, amount, oldest date; a lettered invoice is not open), the
 * months not yet locked, each linking to its page.  Dates are relative to
 * today (the web server's clock is the real one): this year, last year
 * up to the same day, the last day of last year.
 */
#include "tests/support/harness.h"
#include "tests/support/web_http.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static harness h;

static void setup(void) { web_suite_init(&h, false); }

static void teardown(void) { web_suite_fini(&h); }

TestSuite(web_home, .init = setup, .fini = teardown, .timeout = 120);

/* The text of the page from `from` to the next `until` (copied). */
static char section[60000];
static const char *part(const char *from, const char *until)
{
    const char *a = strstr(rep.body, from);
    cr_assert_not_null(a, "no %s in %s", from, rep.body);
    const char *z = strstr(a, until);
    size_t n = z ? (size_t)(z - a) : strlen(a);
    snprintf(section, sizeof section, "%.*s", (int)n, a);
    return section;
}

struct days {
    int y, m, d;      /* today */
    char today[16];   /* YYYY-MM-DD */
    char same[16];    /* the same day last year */
    char first[16];   /* 1 January last year */
    char last[16];    /* 31 December last year */
    char same_fr[16]; /* DD/MM/YYYY */
    char first_fr[16];
    bool same_is_last; /* today is 31 December */
};

static void days_now(struct days *d)
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    d->y = tm.tm_year + 1900, d->m = tm.tm_mon + 1, d->d = tm.tm_mday;
    int sd = d->m == 2 && d->d == 29 ? 28 : d->d;
    snprintf(d->today, sizeof d->today, "%04d-%02d-%02d", d->y, d->m, d->d);
    snprintf(d->same, sizeof d->same, "%04d-%02d-%02d", d->y - 1, d->m, sd);
    snprintf(d->first, sizeof d->first, "%04d-01-01", d->y - 1);
    snprintf(d->last, sizeof d->last, "%04d-12-31", d->y - 1);
    snprintf(d->same_fr, sizeof d->same_fr, "%02d/%02d/%04d", sd, d->m, d->y - 1);
    snprintf(d->first_fr, sizeof d->first_fr, "01/01/%04d", d->y - 1);
    d->same_is_last = d->m == 12 && d->d == 31;
}

static void post(const char *date, const char *piece, const char *debit, const char *credit)
{
    char out[512];
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out,
                       "post --tenant alpha --date %s --journal OD --piece %s --label 'Test %s' "
                       "--debit %s --credit %s",
                       date, piece, piece, debit, credit),
                 0, "post %s: %s", piece, out);
}

/* Last year: supplier FOURN01 an invoice of 300,00 (paid, lettered) and
 * one of 200,00; FOURN02 two of 120,00 and 80,50; customer CLI01 a sale of
 * 1 500,00; on 31 December CLI02 a sale of 10 000,00.  This year, today: a
 * contribution of 1 000,00 into the bank. */
static void the_books(const struct days *d)
{
    post(d->first, "F1", "606400=300", "401000:FOURN01=300");    /* 2025/1 */
    post(d->same, "F2", "606400=200", "401000:FOURN01=200");     /* /2 */
    post(d->same, "P1", "401000:FOURN01=300", "512000=300");     /* /3 */
    post(d->first, "F3", "606400=120", "401000:FOURN02=120");    /* /4 */
    post(d->same, "F4", "606400=80,50", "401000:FOURN02=80,50"); /* /5 */
    post(d->first, "V1", "411000:CLI01=1500", "706000=1500");    /* /6 */
    post(d->last, "V2", "411000:CLI02=10000", "706000=10000");   /* /7 */
    post(d->today, "C1", "512000=1000", "756000=1000");
    char out[256];
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, out, sizeof out,
                       "letter --tenant alpha --account 401000 --aux FOURN01 %d/1:2 %d/3:1",
                       d->y - 1, d->y - 1),
                 0, "%s", out);
}

Test(web_home, result_against_last_years_same_period)
{
    struct days d;
    days_now(&d);
    the_books(&d);
    web_start(K_ALPHA, "");
    login();
    cr_assert_eq(http_get("/", w.cookie), 200);
    /* the server's time, for scripts/bench-web */
    cr_assert(strstr(rep.head, "Server-Timing: app;dur="), "%s", rep.head);
    const char *cards = part("class=\"cards\"", "</div>\n<h2>");
    /* this year: 1 000,00; last year to the same day: 1 500,00 less
     * 700,50 of invoices (and the sale of 31 December only on that day) */
    cr_assert(strstr(cards, ">1 000,00<"), "%s", cards);
    const char *last = strstr(cards, "id=\"last-year\"");
    cr_assert_not_null(last, "%s", cards);
    cr_assert(strstr(last, d.same_is_last ? ">10 799,50<" : ">799,50<"), "%s", last);
    cr_assert(strstr(last, d.first_fr) && strstr(last, d.same_fr), "the period: %s", last);
}

Test(web_home, open_items_per_third_party)
{
    struct days d;
    days_now(&d);
    the_books(&d);
    uint8_t before[32], after[32];
    h_digest(&h, before);
    web_start(K_ALPHA, "");
    login();
    cr_assert_eq(http_get("/", w.cookie), 200);
    /* suppliers: FOURN01 one item (the 300,00 is lettered with its
     * payment), FOURN02 two; owed by us, positive */
    const char *sup = part("id=\"suppliers\"", "</table>");
    char want[200];
    snprintf(want, sizeof want,
             "401000 FOURN01</a></td><td class=\"num\">1</td><td "
             "class=\"num\">200,00</td><td>%s</td>",
             d.same_fr);
    cr_assert(strstr(sup, want), "%s\nwant %s", sup, want);
    snprintf(want, sizeof want,
             "401000 FOURN02</a></td><td class=\"num\">2</td><td "
             "class=\"num\">200,50</td><td>%s</td>",
             d.first_fr);
    cr_assert(strstr(sup, want), "%s\nwant %s", sup, want);
    cr_assert(strstr(sup, "<td class=\"num\">3</td><td class=\"num\">400,50</td>"), "total: %s",
              sup);
    /* customers: owed to us */
    const char *cus = part("id=\"customers\"", "</table>");
    snprintf(want, sizeof want,
             "411000 CLI01</a></td><td class=\"num\">1</td><td "
             "class=\"num\">1 500,00</td><td>%s</td>",
             d.first_fr);
    cr_assert(strstr(cus, want), "%s\nwant %s", cus, want);
    snprintf(want, sizeof want,
             "411000 CLI02</a></td><td class=\"num\">1</td><td "
             "class=\"num\">10 000,00</td><td>31/12/%d</td>",
             d.y - 1);
    cr_assert(strstr(cus, want), "%s\nwant %s", cus, want);
    cr_assert(strstr(cus, "<td class=\"num\">2</td><td class=\"num\">11 500,00</td>"), "total: %s",
              cus);
    /* each third party links to its grand livre since its oldest item */
    snprintf(want, sizeof want,
             "href=\"/ledger?account=411000&amp;aux=CLI01&amp;from=%s&amp;tenant=alpha\"", d.first);
    cr_assert(strstr(cus, want), "%s\nwant %s", cus, want);
    snprintf(want, sizeof want, "/ledger?account=411000&aux=CLI01&from=%s", d.first);
    cr_assert_eq(http_get(want, w.cookie), 200);
    cr_assert(strstr(rep.body, "CLI01") && strstr(rep.body, "1 500,00"), "%s", rep.body);
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32), "reading changes nothing");
}

Test(web_home, no_open_item_said)
{
    web_start(K_ALPHA, "");
    login();
    cr_assert_eq(http_get("/", w.cookie), 200);
    cr_assert(strstr(part("id=\"customers\"", "</p>"), "</h3>\n<p>"), "%s", rep.body);
    cr_assert(strstr(part("id=\"suppliers\"", "</p>"), "</h3>\n<p>"), "%s", rep.body);
    cr_assert_null(strstr(rep.body, "class=\"open-items\""));
}

Test(web_home, months_not_yet_locked)
{
    struct days d;
    days_now(&d);
    the_books(&d);
    web_start(K_ALPHA, "");
    login();
    cr_assert_eq(http_get("/", w.cookie), 200);
    /* nothing locked: from the first month of last year through this one */
    char want[120];
    snprintf(want, sizeof want, "01/%d – %02d/%d (%d mois)", d.y - 1, d.m, d.y, 12 + d.m);
    const char *u = part("id=\"unlocked\"", "<h2>");
    cr_assert(strstr(u, want), "%s\nwant %s", u, want);
    /* locking is the accountant's: a member's Accueil does not offer it */
    cr_assert_null(strstr(u, "href=\"/periods"), "%s", u);
    /* the months past their closing deadline (two months before this one) */
    cr_assert(strstr(u, "class=\"overdue\""), "%s", u);
    web_stop();
    char out[256];
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, out, sizeof out,
                       "lock --tenant alpha --through %d-06 --yes", d.y - 1),
                 0, "%s", out);
    web_start(K_ALPHA, "");
    login();
    cr_assert_eq(http_get("/", w.cookie), 200);
    snprintf(want, sizeof want, "07/%d – %02d/%d (%d mois)", d.y - 1, d.m, d.y, 6 + d.m);
    u = part("id=\"unlocked\"", "</a></p>");
    cr_assert(strstr(u, want), "%s\nwant %s", u, want);
}
