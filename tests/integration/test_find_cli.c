/*
 * tests/integration/test_find_cli.c — issue 14 "find anything" through the
 * real `grandlivre` against a real daemon: the journal and ledger filters
 * (each alone and combined, run by the daemon), text found whatever its
 * case and accents, partial dates and hledger's -b/-e, a filter whose
 * matches span several pages, `ledger --aux` with the third party's own
 * opening balance, `ledger --open --at` across a year close with its
 * à-nouveaux, and the line reference on every row (table, CSV, JSON) that
 * `letter` takes.  Every refusal checks the ledger's digest is unchanged.
 */
#include "tests/support/harness.h"

#include "proto/kinds.h"
#include "proto/query.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static harness h;

#define OUT_MAX (256 * 1024)
static char *out;

static void setup(void)
{
    h_setup(&h);
    out = malloc(OUT_MAX);
    cr_assert(out);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "accounts load-chart --tenant alpha --year 2024"),
                 0);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "accounts load-chart --tenant alpha --year 2025"),
                 0);
}

static void teardown(void)
{
    free(out);
    h_teardown(&h);
}

TestSuite(find_cli, .init = setup, .fini = teardown, .timeout = 180);

/* What the CLI wrote on stderr since the last call. */
static void last_err(char *buf, size_t len) { h_cli_err(&h, buf, len); }

/* Run the CLI as key k; asserts exit 0; the output in `out`. */
static void gl_ok(enum h_key k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void gl_ok(enum h_key k, const char *fmt, ...)
{
    char args[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    int rc = h_cli(&h, k, out, OUT_MAX, "%s", args);
    char err[4096];
    last_err(err, sizeof err);
    cr_assert_eq(rc, 0, "grandlivre %s: exit %d\n%s\n%s", args, rc, out, err);
}

static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* Post one entry from the command line as the member. */
#define POST(date, journal, piece, label, lines)                                                  \
    gl_ok(K_ALPHA, "post --tenant alpha --date %s --journal %s --piece %s --label '%s' %s", date, \
          journal, piece, label, lines)

/* The books of the filter tests, all in 2025:
 *   2025/1  AC F-031 "Électricité mars"  606100 120,50 / 401000:FOURN01 120,50
 *   2025/2  AC F-032 "Fournitures"       606400 100,00, 606300 20,50 "Entretien" /
 *                                        401000:FOURN02 120,50
 *   2025/3  BQ R-1   "Règlement EDF"     401000:FOURN01 120,50 / 512000 120,50
 *   2025/4  VT V-1   "Cotisation"        411000:ADH7 30,00 / 756000 30,00   (in April)
 */
static void books(void)
{
    POST("2025-03-05", "AC", "F-031", "\xc3\x89lectricit\xc3\xa9 mars",
         "--debit 606100=120,50 --credit 401000:FOURN01=120,50");
    POST("2025-03-10", "AC", "F-032", "Fournitures",
         "--debit 606400=100 --debit 606300=20.50:Entretien --credit 401000:FOURN02=120,50");
    POST("2025-03-31", "BQ", "R-1", "R\xc3\xa8glement EDF",
         "--debit 401000:FOURN01=120,50 --credit 512000=120,50");
    POST("2025-04-01", "VT", "V-1", "Cotisation", "--debit 411000:ADH7=30 --credit 756000=30");
}

#define JOURNAL "journal --tenant alpha --from 2025 --to 2025 --format csv "

/* The entries a journal output shows: count of distinct "2025/N," cells
 * seen at the start of rows, as a bit set of N. */
static unsigned entries_shown(void)
{
    unsigned set = 0;
    for (const char *p = out; (p = strstr(p, "\n2025/")); p++) {
        unsigned n = (unsigned)strtoul(p + 6, NULL, 10);
        if (n < 32)
            set |= 1u << n;
    }
    return set;
}
#define E(n) (1u << (n))

Test(find_cli, text_is_found_whatever_its_case_and_accents)
{
    books();
    gl_ok(K_ALPHA, JOURNAL "--text electricite");
    cr_expect_eq(entries_shown(), E(1), "%s", out);
    cr_expect_eq(count_of(out, "\n2025/1,"), 2, "the entry whole, both lines:\n%s", out);
    gl_ok(K_ALPHA, JOURNAL "--search '\xc3\x89LECTRICIT\xc3\x89'");
    cr_expect_eq(entries_shown(), E(1), "%s", out);
    gl_ok(K_ALPHA, JOURNAL "--text REGLEMENT");
    cr_expect_eq(entries_shown(), E(3), "%s", out);
    gl_ok(K_ALPHA, JOURNAL "--text entretien"); /* a line's label */
    cr_expect_eq(entries_shown(), E(2), "%s", out);
    gl_ok(K_ALPHA, JOURNAL "--text f-03"); /* the piece */
    cr_expect_eq(entries_shown(), E(1) | E(2), "%s", out);
    gl_ok(K_ALPHA, JOURNAL "--text loyer");
    cr_expect_eq(entries_shown(), 0u, "%s", out);
}

Test(find_cli, each_filter_alone_and_combined)
{
    books();
    gl_ok(K_ALPHA, JOURNAL "--account 6063");
    cr_expect_eq(entries_shown(), E(2), "%s", out);
    gl_ok(K_ALPHA, JOURNAL "--account 6");
    cr_expect_eq(entries_shown(), E(1) | E(2), "%s", out);
    gl_ok(K_ALPHA, JOURNAL "--aux FOURN01");
    cr_expect_eq(entries_shown(), E(1) | E(3), "%s", out);
    gl_ok(K_ALPHA, JOURNAL "--amount 120,50");
    cr_expect_eq(entries_shown(), E(1) | E(2) | E(3), "%s", out);
    gl_ok(K_ALPHA, JOURNAL "--amount 20.5");
    cr_expect_eq(entries_shown(), E(2), "%s", out);
    gl_ok(K_ALPHA, JOURNAL "--journal bq");
    cr_expect_eq(entries_shown(), E(3), "%s", out);
    /* combined: every filter must hold; line filters on one line */
    gl_ok(K_ALPHA, JOURNAL "--aux FOURN01 --journal AC");
    cr_expect_eq(entries_shown(), E(1), "%s", out);
    gl_ok(K_ALPHA, JOURNAL "--account 512 --aux FOURN01");
    cr_expect_eq(entries_shown(), 0u, "512 and FOURN01 are on two lines:\n%s", out);
    gl_ok(K_ALPHA, JOURNAL "--account 401 --amount 120,50 --text edf");
    cr_expect_eq(entries_shown(), E(3), "%s", out);
    /* the ledger: one line per row, each matching */
    gl_ok(K_ALPHA,
          "ledger --tenant alpha --account 401000 --from 2025 --to 2025 --format csv "
          "--aux FOURN02");
    cr_expect(strstr(out, "2025/2:3"), "%s", out);
    cr_expect(!strstr(out, "2025/1:2") && !strstr(out, "2025/3:1"), "%s", out);
    gl_ok(K_ALPHA,
          "ledger --tenant alpha --account 401000 --from 2025 --to 2025 --format csv "
          "--text 'r\xc3\xa9glement'");
    cr_expect(strstr(out, "2025/3:1") && !strstr(out, "2025/1:2"), "%s", out);
    gl_ok(K_ALPHA,
          "ledger --tenant alpha --account 401000 --from 2025 --to 2025 --format csv "
          "--journal AC --amount 120,50");
    cr_expect(strstr(out, "2025/1:2") && strstr(out, "2025/2:3") && !strstr(out, "2025/3:1"), "%s",
              out);
    cr_expect(!strstr(out, "opening balance"), "no opening with a text/amount/journal:\n%s", out);
}

Test(find_cli, partial_dates_and_hledger_begin_end)
{
    books();
    gl_ok(K_ALPHA, "journal --tenant alpha --from 2025-03 --to 2025-03 --format csv");
    cr_expect_eq(entries_shown(), E(1) | E(2) | E(3), "%s", out);
    gl_ok(K_ALPHA, "journal --tenant alpha -b 2025-03 -e 2025-04 --format csv");
    cr_expect_eq(entries_shown(), E(1) | E(2) | E(3), "-e is exclusive:\n%s", out);
    gl_ok(K_ALPHA, "journal --tenant alpha -b 2025-03-10 -e 2025-03-31 --format csv");
    cr_expect_eq(entries_shown(), E(2), "%s", out);
    gl_ok(K_ALPHA, "journal --tenant alpha --from 2025-03-31 --to 2025-04 --format csv");
    cr_expect_eq(entries_shown(), E(3) | E(4), "%s", out);
    gl_ok(K_ALPHA, "journal --tenant alpha --from 2025 --to 2025-02 --format csv");
    cr_expect_eq(entries_shown(), 0u, "%s", out);
    gl_ok(K_ALPHA, "journal --tenant alpha -b 2025 -e 2026 --format csv");
    cr_expect_eq(entries_shown(), E(1) | E(2) | E(3) | E(4), "%s", out);
    gl_ok(K_ALPHA, "ledger --tenant alpha --account 512000 -b 2025-03-31 -e 2025-04 --format csv");
    cr_expect(strstr(out, "2025/3:2"), "%s", out);
}

Test(find_cli, a_filter_matching_across_page_boundaries)
{
    /* 15 entries, every third an "Électricité" one: 5 matches; pages of 2
     * (and of 1) rows make the daemon skip rows between and across pages */
    for (int i = 1; i <= 15; i++) {
        char piece[16], lines[128];
        snprintf(piece, sizeof piece, "P-%02d", i);
        snprintf(lines, sizeof lines, "--debit 606100=%d,00 --credit 512000=%d,00", i, i);
        POST("2025-05-02", "AC", piece, i % 3 == 0 ? "Electricit\xc3\xa9" : "Divers", lines);
    }
    unsigned want = E(3) | E(6) | E(9) | E(12) | E(15);
    gl_ok(K_ALPHA, JOURNAL "--text electricite --page-rows 2");
    cr_expect_eq(entries_shown(), want, "%s", out);
    cr_expect_eq(count_of(out, "\n2025/"), 10u, "each entry once, whole:\n%s", out);
    gl_ok(K_ALPHA, JOURNAL "--text electricite --page-rows 1");
    cr_expect_eq(entries_shown(), want, "%s", out);
    cr_expect_eq(count_of(out, "\n2025/"), 10u, "%s", out);
    gl_ok(K_ALPHA,
          "ledger --tenant alpha --account 606100 --from 2025 --to 2025 --format csv "
          "--text ELECTRICITE --page-rows 2");
    cr_expect_eq(count_of(out, ":1\n"), 5u, "%s", out);
    for (int n = 3; n <= 15; n += 3) {
        char ref[32];
        snprintf(ref, sizeof ref, "2025/%d:1\n", n);
        cr_expect(strstr(out, ref), "%s missing:\n%s", ref, out);
    }
    /* and the running balance adds only the lines shown: 3+6+9+12+15 */
    cr_expect(strstr(out, ",45.00,"), "%s", out);
}

Test(find_cli, ledger_aux_shows_one_third_party_with_its_own_opening)
{
    books();
    POST("2025-02-01", "AC", "F-001", "Ancienne facture",
         "--debit 606100=10 --credit 401000:FOURN02=10");
    gl_ok(K_ALPHA,
          "ledger --tenant alpha --account 401000 --aux FOURN02 --from 2025-03 --to 2025 "
          "--format csv");
    /* opening of FOURN02 alone on 2025-03-01: -10,00; then its invoice */
    cr_expect(strstr(out, "opening balance"), "%s", out);
    cr_expect(strstr(out, ",-10.00,"), "%s", out);
    cr_expect(strstr(out, ",-130.50,"), "the running balance of FOURN02:\n%s", out);
    cr_expect(!strstr(out, "FOURN01"), "%s", out);
    gl_ok(K_ALPHA, "ledger --tenant alpha --account 401000 --aux FOURN02 --from 2025-03 --to 2025");
    cr_expect(strstr(out, "FOURN02"), "%s", out);
}

/* Letter lines of 401000 FOURN01 on a given date (a FEC's DateLet) with
 * the accountant's key, through the LETTER request. */
static void letter_on(uint32_t date, gl_line_ref a, gl_line_ref b)
{
    gl_line_ref refs[2] = {a, b};
    gl_buf body;
    gl_buf_init(&body);
    gl_letter_q_encode_dated(&body, (gl_str){"401000", 6}, (gl_str){"FOURN01", 7}, refs, 2, date);
    gl_response r;
    int st = h_call(&h, K_ACCOUNTANT, GL_KIND_LETTER, "alpha", 0, body.data, body.len, &r);
    cr_assert_eq(st, GL_OK, "letter: %d", st);
    gl_response_free(&r);
    gl_buf_free(&body);
}

Test(find_cli, open_at_lists_each_item_once_across_a_year_close)
{
    /* 2024: an invoice of FOURN01 not paid by the year's end */
    POST("2024-11-15", "AC", "F-100", "Chauffage",
         "--debit 606100=300 --credit 401000:FOURN01=300");
    POST("2024-01-10", "BQ", "D-1", "Dotation", "--debit 512000=1000 --credit 102000=1000");
    gl_ok(K_ACCOUNTANT, "lock --yes --tenant alpha --through 2024-12");
    gl_ok(K_ACCOUNTANT, "close-year --tenant alpha --year 2024");
    /* the à-nouveaux carry it into 2025 */
    gl_ok(K_ALPHA, "ledger --tenant alpha --account 401000 --from 2025 --to 2025 --format csv");
    cr_expect(strstr(out, ",AN,"), "the à-nouveaux should show in the plain ledger:\n%s", out);
    /* 2025: its payment, lettered with the invoice on 2025-03-01 */
    POST("2025-02-10", "BQ", "R-100", "Paiement chauffage",
         "--debit 401000:FOURN01=300 --credit 512000=300");
    letter_on(20250301, (gl_line_ref){2024, 1, 2}, (gl_line_ref){2025, 2, 1});

    gl_ok(K_ALPHA, "ledger --tenant alpha --account 401000 --open --at 2024-12-31 --format csv");
    cr_expect_eq(count_of(out, "2024/1:2"), 1u, "%s", out);
    cr_expect(!strstr(out, ",AN,") && !strstr(out, "2025/"), "%s", out);

    gl_ok(K_ALPHA, "ledger --tenant alpha --account 401000 --open --at 2025-02-15 --format csv");
    cr_expect_eq(count_of(out, "2024/1:2"), 1u, "the invoice once, not again as an à-nouveau:\n%s",
                 out);
    cr_expect_eq(count_of(out, "2025/2:1"), 1u, "the payment, lettered only later:\n%s", out);
    cr_expect(!strstr(out, ",AN,"), "%s", out);
    cr_expect_eq(count_of(out, "\n"), 3u, "header and two items:\n%s", out);

    gl_ok(K_ALPHA, "ledger --tenant alpha --account 401000 --open --at 2025-03-01 --format csv");
    cr_expect_eq(count_of(out, "\n"), 1u, "lettered on that day: nothing open:\n%s", out);
    /* --open alone: unlettered today, as before */
    gl_ok(K_ALPHA,
          "ledger --tenant alpha --account 401000 --open --from 2024 --to 2025 "
          "--format csv");
    cr_expect(!strstr(out, "2024/1:2") && !strstr(out, "2025/2:1"), "%s", out);
}

Test(find_cli, every_row_shows_the_line_reference_that_letter_takes)
{
    books();
    gl_ok(K_ALPHA, "journal --tenant alpha --from 2025 --to 2025");
    cr_expect(strstr(out, "2025/2:3") && strstr(out, "2025/4:2"), "%s", out);
    gl_ok(K_ALPHA, "journal --tenant alpha --from 2025 --to 2025 --format json");
    cr_expect(strstr(out, "\"ref\": \"2025/2:2\""), "%s", out);
    gl_ok(K_ALPHA, "ledger --tenant alpha --account 401000 --from 2025 --to 2025 --format json");
    cr_expect(strstr(out, "\"ref\": \"2025/3:1\""), "%s", out);
    gl_ok(K_ALPHA, "ledger --tenant alpha --account 401000 --from 2025 --to 2025 --format csv");
    cr_expect(strstr(out, ",ref\n"), "%s", out);
    /* entry (and reverse) take the entry part of a reference as it is */
    gl_ok(K_ALPHA, "entry --tenant alpha 2025/3:1 --format csv");
    cr_expect(strstr(out, "R-1") || strstr(out, "EDF"), "%s", out);
    /* the references as shown letter the invoice and its payment */
    gl_ok(K_ACCOUNTANT, "letter --tenant alpha --account 401000 --aux FOURN01 2025/1:2 2025/3:1");
    gl_ok(K_ALPHA,
          "ledger --tenant alpha --account 401000 --from 2025 --to 2025 --open "
          "--format csv");
    cr_expect(!strstr(out, "2025/1:2") && strstr(out, "2025/2:3"), "%s", out);
}

/* ---- refusals ------------------------------------------------------------ */

static void cli_refused(const char *args, int want_rc, const char *want_err)
{
    uint8_t before[32], after[32];
    char err[4096];
    last_err(err, sizeof err);
    h_digest(&h, before);
    int rc = h_cli(&h, K_ALPHA, out, OUT_MAX, "%s", args);
    last_err(err, sizeof err);
    cr_expect_eq(rc, want_rc, "%s: exit %d\n%s", args, rc, err);
    cr_expect(strstr(err, want_err), "%s: want [%s] in:\n%s", args, want_err, err);
    h_digest(&h, after);
    cr_expect(!memcmp(before, after, 32), "%s changed the ledger", args);
}

Test(find_cli, refusals_name_the_value_and_change_nothing)
{
    books();
    cli_refused("journal --tenant alpha --from 2025-02-30", 2,
                "error 969 bad_date_text: 2025-02-30: that day does not exist");
    cli_refused("ledger --tenant alpha --account 401000 --to 2025-13", 2,
                "error 969 bad_date_text: 2025-13: no such month");
    cli_refused("journal --tenant alpha -e 2025-3", 2, "2025-3: not a date");
    cli_refused("journal --tenant alpha --from 2025-04 --to 2025-03", 2,
                "error 970 empty_range: from 2025-04-01 to 2025-03-31 holds no day");
    cli_refused("journal --tenant alpha -b 2025-03 -e 2025-03", 2, "error 970 empty_range");
    cli_refused("journal --tenant alpha --from 2025 -b 2025", 2, "--from and -b");
    cli_refused("ledger --tenant alpha --account 401000 --open --at 2025-02-29", 2,
                "2025-02-29: that day does not exist");
    cli_refused("ledger --tenant alpha --account 401000 --at 2025-03-01", 2,
                "--at DATE goes with --open");
    cli_refused("journal --tenant alpha --amount 12,345", 2, "--amount 12,345");
    cli_refused("journal --tenant alpha --account 06", 2, "--account 06");
    cli_refused("journal --tenant alpha --journal 'A C'", 2, "--journal A C");
}

Test(find_cli, a_bad_filter_block_is_refused_443_by_the_daemon)
{
    books();
    struct {
        gl_filter f;
        int want;
    } bad[] = {
        {{.fields = 0}, GL_ERR_BAD_FILTER},
        {{.fields = 0x40}, GL_ERR_BAD_FILTER},
        {{.fields = GL_FILTER_AUX, .aux = {"", 0}}, GL_ERR_BAD_FILTER},
        {{.fields = GL_FILTER_AMOUNT, .amount = -5}, GL_ERR_BAD_FILTER},
        {{.fields = GL_FILTER_OPEN_AT, .open_at = 20250101}, GL_ERR_BAD_FILTER},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint8_t before[32], after[32];
        h_digest(&h, before);
        gl_journal_q q = {.from = 20250101,
                          .to = 20251231,
                          .limit = 10,
                          .flags = GL_JOURNAL_FILTER,
                          .filter = bad[i].f};
        gl_buf body;
        gl_buf_init(&body);
        gl_journal_q_encode(&body, &q);
        gl_response r;
        int st = h_call(&h, K_ALPHA, GL_KIND_JOURNAL, "alpha", 0, body.data, body.len, &r);
        cr_expect_eq(st, bad[i].want, "case %zu: %d", i, st);
        gl_response_free(&r);
        gl_buf_free(&body);
        /* cut short: malformed */
        gl_buf_init(&body);
        gl_filter ok = {.fields = GL_FILTER_TEXT, .text = {"edf", 3}};
        q.filter = ok;
        gl_journal_q_encode(&body, &q);
        st = h_call(&h, K_ALPHA, GL_KIND_JOURNAL, "alpha", 0, body.data, body.len - 1, &r);
        cr_expect_eq(st, GL_ERR_MALFORMED, "cut: %d", st);
        gl_response_free(&r);
        gl_buf_free(&body);
        h_digest(&h, after);
        cr_expect(!memcmp(before, after, 32), "case %zu changed the ledger", i);
    }
    /* LEDGER refuses the account field: the account is its own */
    gl_ledger_q lq = {.account = {"401000", 6},
                      .from = 20250101,
                      .to = 20251231,
                      .limit = 10,
                      .flags = GL_LEDGER_FILTER,
                      .filter = {.fields = GL_FILTER_ACCOUNT, .account = {"4", 1}}};
    gl_buf body;
    gl_buf_init(&body);
    gl_ledger_q_encode(&body, &lq);
    gl_response r;
    cr_expect_eq(h_call(&h, K_ALPHA, GL_KIND_LEDGER, "alpha", 0, body.data, body.len, &r),
                 GL_ERR_BAD_FILTER);
    gl_response_free(&r);
    gl_buf_free(&body);
}
