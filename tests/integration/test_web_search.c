/*
 * tests/integration/test_web_search.c — Recherche and the CSV exports of
 * `grandlivre web` against a real daemon, over HTTP from C: each search
 * field finds its entries and only them (the piece through the daemon's
 * text filter, kept by its piece reference), pages follow the daemon's
 * cursor, a bad field is refused next to it with 422 and the daemon asked
 * nothing, a member key searching another tenant gets a banner and no data;
 * the CSV of Journal, Grand livre, Balance (both views) and Recherche is
 * byte for byte the CLI's `--format csv-fr` of the same filter (every page
 * of the daemon), a formula-looking label is neutralised, and the CSV needs
 * the session.  The small HTTP client and web_start/login are
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

TestSuite(web_search, .init = setup, .fini = teardown, .timeout = 180);

/* Four entries of alpha, numbered 2025/1 to 2025/4 in this order. */
static void post_four(void)
{
    static const char *const posts[] = {
        "--date 2025-03-31 --journal AC --piece F-031 --label 'Électricité mars' "
        "--debit 606100=1234,56 --credit 401000:EDF=1234,56",
        "--date 2025-04-02 --journal BQ --piece V-7 --label 'Règlement EDF' "
        "--debit 401000:EDF=1234,56 --credit 512000=1234,56",
        "--date 2025-01-15 --journal BQ --piece S-1 --label Subvention "
        "--debit 512000=5000 --credit 740000=5000",
        "--date 2025-06-10 --journal AC --piece F-099 --label Fournitures "
        "--debit 606400=80 --credit 401000:BURO=80",
    };
    char out[256];
    for (size_t i = 0; i < 4; i++)
        cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, "post --tenant alpha %s", posts[i]), 0,
                     "%s", posts[i]);
}

/* GET path (with the session); the entries 2025/1..4 found are 1 in *found. */
static void search(const char *path, const char *expect)
{
    cr_assert_eq(http("GET", path, w.cookie, NULL), 200, "%s: %s", path, rep.body);
    char got[8] = "";
    for (int n = 1; n <= 4; n++) {
        char link[40];
        snprintf(link, sizeof link, ">2025/%d</a>", n);
        got[n - 1] = strstr(rep.body, link) ? '1' : '0';
    }
    cr_assert_str_eq(got, expect, "%s: %s", path, rep.body);
}

Test(web_search, each_filter_finds_its_entries)
{
    post_four();
    web_start(K_ACCOUNTANT, "--tenant alpha");
    login();
    /* the nav link, the empty form */
    cr_assert_eq(http("GET", "/search", w.cookie, NULL), 200);
    cr_assert(strstr(rep.body, "href=\"/search?tenant=alpha\" aria-current=\"page\">Recherche</a>"),
              "%s", rep.body);
    cr_assert(strstr(rep.body, "name=\"piece\""), "%s", rep.body);
    search("/search?text=electricite&from=2025&to=2025", "1000");
    search("/search?text=REGLEMENT&from=2025&to=2025", "0100");
    search("/search?piece=v-7&from=2025&to=2025", "0100");
    /* the piece is not looked for in the labels: "EDF" is in 2025/2's label */
    search("/search?piece=EDF&from=2025&to=2025", "0000");
    cr_assert(strstr(rep.body, "Aucune écriture ne correspond à cette recherche"), "%s", rep.body);
    /* a piece and a label text: both must hold */
    search("/search?piece=F-&text=fourn&from=2025&to=2025", "0001");
    search("/search?piece=F-&from=2025&to=2025", "1001");
    search("/search?amount=1234%2C56&from=2025&to=2025", "1100");
    search("/search?amount=1234.56&aux=EDF&from=2025&to=2025", "1100");
    search("/search?aux=BURO&from=2025&to=2025", "0001");
    search("/search?account=74&from=2025&to=2025", "0010");
    search("/search?journal=ac&from=2025&to=2025", "1001");
    search("/search?from=2025-04&to=2025-12", "0101");
    search("/search?amount=80&text=electricite&from=2025&to=2025", "0000");
    /* the filters are kept in the form, each line links to its entry */
    search("/search?text=%C3%A9lectricit%C3%A9&amount=1234%2C56&from=2025&to=2025", "1000");
    cr_assert(strstr(rep.body, "name=\"text\" size=\"24\" value=\"électricité\""), "%s", rep.body);
    cr_assert(strstr(rep.body, "name=\"amount\" size=\"10\" value=\"1234,56\""), "%s", rep.body);
    cr_assert(strstr(rep.body, "href=\"/entry?id=2025/1&amp;tenant=alpha\""), "%s", rep.body);
    cr_assert(strstr(rep.body, "format=csv"), "the export link: %s", rep.body);
}

/* The href of the pager's link, unescaped. */
static void next_link(char *path, size_t cap)
{
    char *next = strstr(rep.body, "<p class=\"pager\"><a href=\"");
    cr_assert_not_null(next, "%s", rep.body);
    char *o = path;
    for (next += strlen("<p class=\"pager\"><a href=\""); *next != '"' && o < path + cap - 1;
         next++)
        if (!strncmp(next, "&amp;", 5)) {
            *o++ = '&';
            next += 4;
        } else
            *o++ = *next;
    *o = '\0';
}

Test(web_search, pages_with_the_daemons_cursor)
{
    enum { N = 7 };
    static gl_entry_in entries[N];
    static gl_line_in lines[N][2];
    for (int i = 0; i < N; i++)
        entries[i] = h_entry2("alpha", 20250301, "606400", "512000", 4200, lines[i]);
    gl_response resp;
    cr_assert_eq(h_post(&h, K_ALPHA, entries, N, &resp), GL_OK);
    cr_assert_eq(resp.reply.status, GL_OK);
    gl_response_free(&resp);
    web_start(K_ALPHA, "");
    login();
    cr_assert_eq(http("GET", "/search?amount=42&from=2025&to=2025&rows=3", w.cookie, NULL), 200);
    cr_assert(strstr(rep.body, ">2025/1</a>") && strstr(rep.body, ">2025/3</a>"), "%s", rep.body);
    cr_assert_null(strstr(rep.body, ">2025/4</a>"));
    char path[600];
    next_link(path, sizeof path);
    cr_assert(strstr(path, "amount=42") && strstr(path, "rows=3"), "%s", path);
    cr_assert_eq(http("GET", path, w.cookie, NULL), 200, "%s", path);
    cr_assert(strstr(rep.body, ">2025/4</a>") && strstr(rep.body, ">2025/6</a>"), "%s", rep.body);
    cr_assert_null(strstr(rep.body, ">2025/3</a>"));
    cr_assert_null(strstr(rep.body, ">2025/7</a>"));
    next_link(path, sizeof path);
    cr_assert_eq(http("GET", path, w.cookie, NULL), 200, "%s", path);
    cr_assert(strstr(rep.body, ">2025/7</a>"), "%s", rep.body);
    cr_assert_null(strstr(rep.body, ">2025/6</a>"));
    cr_assert_null(strstr(rep.body, "class=\"pager\""), "the last page");
}

/* 422, the field marked invalid with its message next to it. */
static void refused_at(const char *path, const char *name)
{
    cr_assert_eq(http("GET", path, w.cookie, NULL), 422, "%s: %s", path, rep.body);
    char mark[80];
    snprintf(mark, sizeof mark, "name=\"%s\"", name);
    char *input = strstr(rep.body, mark);
    cr_assert_not_null(input, "%s", rep.body);
    char *end = strchr(input, '>');
    snprintf(mark, sizeof mark, "aria-describedby=\"s-%s-error\"", name);
    char *described = strstr(input, mark);
    cr_assert(described && described < end, "%s: %s", name, rep.body);
    snprintf(mark, sizeof mark, "<span class=\"field-error\" id=\"s-%s-error\">", name);
    cr_assert(strstr(rep.body, mark), "%s", rep.body);
    cr_assert_null(strstr(rep.body, "<table>"), "no result table");
    cr_assert_null(strstr(rep.body, "démon"), "no daemon banner: %s", rep.body);
}

Test(web_search, bad_filter_is_422_next_to_the_field)
{
    post_four();
    web_start(K_ALPHA, "");
    login();
    uint8_t before[32], after[32];
    h_digest(&h, before);
    /* the daemon stopped: a search that reached it would show its banner */
    h_stop(&h);
    refused_at("/search?amount=douze", "amount");
    cr_assert(strstr(rep.body, "value=\"douze\""), "the value is kept: %s", rep.body);
    refused_at("/search?amount=1%2C234", "amount");
    refused_at("/search?amount=-5", "amount");
    refused_at("/search?from=31-31-2025&text=x", "from");
    refused_at("/search?to=2025-13", "to");
    refused_at("/search?from=2025-06&to=2025-01", "to");
    refused_at("/search?account=ABC", "account");
    refused_at("/search?journal=a%2Fb", "journal");
    char path[700] = "/search?piece=";
    memset(path + strlen(path), 'P', GL_PIECE_MAX + 1);
    refused_at(path, "piece");
    snprintf(path, sizeof path, "/search?text=");
    memset(path + strlen(path), 't', GL_LABEL_MAX + 1);
    refused_at(path, "text");
    refused_at("/search?text=%FF%FE", "text");
    /* the CSV of a bad search is the same refusal, not a file */
    refused_at("/search?amount=douze&format=csv", "amount");
    cr_assert_null(strstr(rep.head, "Content-Disposition"));
    /* a good one does reach for the daemon (it is down: a banner) */
    cr_assert_eq(http("GET", "/search?amount=12", w.cookie, NULL), 200);
    cr_assert(strstr(rep.body, "class=\"banner problem\""), "%s", rep.body);
    h_start(&h);
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32));
}

Test(web_search, member_cannot_search_another_tenant)
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
    cr_assert_eq(http("GET", "/search?tenant=beta&text=beta&from=2025&to=2025", w.cookie, NULL),
                 200, "a message, not an error page");
    cr_assert_null(strstr(rep.body, "Beta only"));
    cr_assert_null(strstr(rep.body, "B-1"));
    cr_assert(strstr(rep.body, "Votre clé ne peut pas voir l’association beta (erreur 300"), "%s",
              rep.body);
    /* nor its CSV: the page with the banner, no file */
    cr_assert_eq(
        http("GET", "/search?tenant=beta&text=beta&from=2025&to=2025&format=csv", w.cookie, NULL),
        200);
    cr_assert_null(strstr(rep.head, "Content-Disposition"), "%s", rep.head);
    cr_assert_null(strstr(rep.body, "Beta only"));
    cr_assert(strstr(rep.body, "Votre clé ne peut pas voir l’association beta"), "%s", rep.body);
    cr_assert_eq(http("GET", "/journal?tenant=beta&from=2025&to=2025&format=csv", w.cookie, NULL),
                 200);
    cr_assert_null(strstr(rep.head, "Content-Disposition"), "%s", rep.head);
    cr_assert_null(strstr(rep.body, "Beta only"));
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32));
}

static char cli_out[1 << 20];

/* GET path&format=csv is a file named name, equal to the CLI's output of
 * args with --format csv-fr. */
static void same_csv(const char *path, const char *name, const char *args)
{
    cr_assert_eq(http("GET", path, w.cookie, NULL), 200, "%s: %s", path, rep.body);
    cr_assert(strstr(rep.head, "Content-Type: text/csv; charset=utf-8"), "%s", rep.head);
    char disposition[200];
    snprintf(disposition, sizeof disposition, "Content-Disposition: attachment; filename=\"%s\"",
             name);
    cr_assert(strstr(rep.head, disposition), "%s: %s", path, rep.head);
    cr_assert_eq(
        h_cli(&h, K_ACCOUNTANT, cli_out, sizeof cli_out, "%s --lang fr --format csv-fr", args), 0,
        "%s", args);
    cr_assert(!strncmp(cli_out, "\xEF\xBB\xBF", 3), "csv-fr starts with a BOM");
    cr_assert_eq(strlen(rep.body), strlen(cli_out), "%s: %zu bytes, the CLI %zu", path,
                 strlen(rep.body), strlen(cli_out));
    cr_assert_str_eq(rep.body, cli_out, "%s", path);
}

Test(web_search, csv_identical_to_the_cli)
{
    post_four();
    /* more lines than a daemon page holds (1,000): every page is in the file */
    enum { N = 1003 };
    static gl_entry_in entries[N];
    static gl_line_in lines[N][2];
    for (int i = 0; i < N; i++)
        entries[i] = h_entry2("alpha", 20250301, "606400", "512000", 100 + i, lines[i]);
    gl_response resp;
    cr_assert_eq(h_post(&h, K_ALPHA, entries, N, &resp), GL_OK);
    cr_assert_eq(resp.reply.status, GL_OK);
    gl_response_free(&resp);
    web_start(K_ACCOUNTANT, "--tenant alpha");
    login();
    same_csv("/journal?from=2025&to=2025&format=csv&tenant=alpha",
             "journal-alpha-2025-01-01-2025-12-31.csv",
             "journal --tenant alpha --from 2025 --to 2025");
    cr_assert_geq(strlen(rep.body), 2000 * 40, "every page: %zu bytes", strlen(rep.body));
    cr_assert(strstr(rep.body, "2025/1007;"), "the last entry is there");
    cr_assert(strstr(rep.body, "1 234,56") || strstr(rep.body, "1234,56"), "decimal comma");
    same_csv("/journal?from=2025-03&to=2025-06&journal=AC&format=csv",
             "journal-alpha-2025-03-01-2025-06-30.csv",
             "journal --tenant alpha --from 2025-03 --to 2025-06 --journal AC");
    same_csv("/ledger?account=512000&from=2025&to=2025&format=csv",
             "grand-livre-alpha-512000-2025-01-01-2025-12-31.csv",
             "ledger --tenant alpha --account 512000 --from 2025 --to 2025");
    cr_assert(strstr(rep.body, "opening balance"), "%.300s", rep.body);
    same_csv("/ledger?account=401000&aux=EDF&from=2025&to=2025&format=csv",
             "grand-livre-alpha-401000-2025-01-01-2025-12-31.csv",
             "ledger --tenant alpha --account 401000 --aux EDF --from 2025 --to 2025");
    same_csv("/ledger?account=512000&text=reglement&from=2025&to=2025&format=csv",
             "grand-livre-alpha-512000-2025-01-01-2025-12-31.csv",
             "ledger --tenant alpha --account 512000 --text reglement --from 2025 --to 2025");
    same_csv("/balance?at=2025-12-31&format=csv", "balance-alpha-2025-12-31.csv",
             "balance --tenant alpha --at 2025-12-31");
    same_csv("/balance?at=2025-12-31&aux=1&format=csv", "balance-tiers-alpha-2025-12-31.csv",
             "balance --tenant alpha --at 2025-12-31 --aux");
    cr_assert(strstr(rep.body, "EDF"), "%s", rep.body);
    same_csv("/search?text=electricite&from=2025&to=2025&format=csv",
             "recherche-alpha-2025-01-01-2025-12-31.csv",
             "journal --tenant alpha --text electricite --from 2025 --to 2025");
    cr_assert(strstr(rep.body, "F-031"), "%s", rep.body);
    same_csv("/search?amount=1234%2C56&aux=EDF&format=csv&from=2025&to=2025",
             "recherche-alpha-2025-01-01-2025-12-31.csv",
             "journal --tenant alpha --amount 1234,56 --aux EDF --from 2025 --to 2025");
    /* the search of everything over the year: all the pages too */
    same_csv("/search?account=6&from=2025&to=2025&format=csv",
             "recherche-alpha-2025-01-01-2025-12-31.csv",
             "journal --tenant alpha --account 6 --from 2025 --to 2025");
    cr_assert(strstr(rep.body, "2025/1007;"), "the last entry is there");
    /* the pages show the link to their file */
    cr_assert_eq(http("GET", "/journal?from=2025&to=2025&journal=AC", w.cookie, NULL), 200);
    cr_assert(strstr(rep.body,
                     "href=\"/journal?from=2025&amp;to=2025&amp;journal=AC&amp;format="
                     "csv&amp;tenant=alpha\" download>Exporter en CSV</a>"),
              "%s", rep.body);
    cr_assert_eq(http("GET", "/ledger?account=512000&from=2025&to=2025", w.cookie, NULL), 200);
    cr_assert(strstr(rep.body, "account=512000&amp;format=csv&amp;tenant=alpha\" download>"), "%s",
              rep.body);
    cr_assert_eq(http("GET", "/balance?at=2025-12-31&aux=1", w.cookie, NULL), 200);
    cr_assert(strstr(rep.body,
                     "href=\"/balance?aux=1&amp;at=2025-12-31&amp;format=csv&amp;"
                     "tenant=alpha\" download>"),
              "%s", rep.body);
}

Test(web_search, formula_label_neutralised_in_csv)
{
    char out[256];
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out,
                       "post --tenant alpha --date 2025-05-05 --journal AC --piece '+33' --label "
                       "'=HYPERLINK(1)' --debit 606400=10 --credit 401000:@EVIL=10"),
                 0);
    web_start(K_ALPHA, "");
    login();
    cr_assert_eq(http("GET", "/search?text=hyperlink&from=2025&to=2025&format=csv", w.cookie, NULL),
                 200);
    cr_assert(strstr(rep.head, "text/csv"), "%s", rep.head);
    cr_assert(strstr(rep.body, ";'=HYPERLINK(1);"), "%s", rep.body);
    cr_assert(strstr(rep.body, ";'+33;"), "%s", rep.body);
    cr_assert(strstr(rep.body, ";'@EVIL;"), "%s", rep.body);
    cr_assert_null(strstr(rep.body, ";=HYPERLINK"), "%s", rep.body);
    cr_assert_null(strstr(rep.body, ";+33"), "%s", rep.body);
    /* on the page, the label is text */
    cr_assert_eq(http("GET", "/search?text=hyperlink&from=2025&to=2025", w.cookie, NULL), 200);
    cr_assert(strstr(rep.body, ">=HYPERLINK(1)<"), "%s", rep.body);
}

Test(web_search, csv_needs_the_session)
{
    post_four();
    web_start(K_ALPHA, "");
    static const char *const paths[] = {
        "/search?text=electricite&from=2025&to=2025&format=csv",
        "/journal?from=2025&to=2025&format=csv",
        "/ledger?account=512000&from=2025&to=2025&format=csv",
        "/balance?at=2025-12-31&format=csv",
    };
    for (size_t i = 0; i < 4; i++) {
        cr_assert_eq(http("GET", paths[i], NULL, NULL), 401, "%s", paths[i]);
        cr_assert_null(strstr(rep.head, "Content-Disposition"));
        cr_assert_null(strstr(rep.body, "lectricit"));
        cr_assert_eq(http("GET", paths[i], "gl_session=0123456789abcdef", NULL), 401);
        cr_assert_null(strstr(rep.body, "lectricit"));
    }
    login();
    cr_assert_eq(http("GET", paths[0], w.cookie, NULL), 200);
    cr_assert(strstr(rep.body, "lectricit"), "%s", rep.body);
}
