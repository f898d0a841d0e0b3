/*
 * tests/integration/test_receivables.c — issue 17, the aged balance and
 * doubtful debts through the real `grandlivre` against a real daemon:
 * `receivables` per third party against an independent computation made
 * here (libc's calendar, the buckets written out), at the boundaries of
 * the buckets, from the invoice date and from the due date, a lettering
 * recorded after the date leaving the item open then, payables, --detail,
 * --doubtful, the HTML page; `impairment`'s proposal, its --post (balanced,
 * the accounts it moves), and the reversal a year later.  Every refusal
 * checks that the ledger's digest is unchanged.
 */
#include "tests/support/harness.h"

#include "proto/kinds.h"
#include "proto/query.h"
#include "proto/reminder.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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

TestSuite(receivables, .init = setup, .fini = teardown, .timeout = 240);

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
    h_cli_err(&h, err, sizeof err);
    cr_assert_eq(rc, 0, "grandlivre %s: exit %d\n%s\n%s", args, rc, out, err);
}

/* ---- the independent computation ---- */

static time_t noon(uint32_t ymd)
{
    struct tm tm = {.tm_year = (int)(ymd / 10000) - 1900,
                    .tm_mon = (int)(ymd / 100 % 100) - 1,
                    .tm_mday = (int)(ymd % 100),
                    .tm_hour = 12};
    return timegm(&tm);
}

static uint32_t days_before(uint32_t ymd, int days)
{
    time_t t = noon(ymd) - (time_t)days * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    return (uint32_t)((tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday);
}

static long age_days(uint32_t from, uint32_t to) { return (long)((noon(to) - noon(from)) / 86400); }

/* Not due while age from the invoice <= terms; then 1-30, 31-60, 61-90,
 * over 90 by the age from the invoice (or from the due date). */
static int expected_bucket(uint32_t at, uint32_t date, int terms, int by_due)
{
    long since_invoice = age_days(date, at), overdue = since_invoice - terms;
    if (overdue <= 0)
        return 0;
    long age = by_due ? overdue : since_invoice;
    return age <= 30 ? 1 : age <= 60 ? 2 : age <= 90 ? 3 : 4;
}

#define AT 20250630u

typedef struct inv {
    const char *aux;
    int days_old;
    long cents;
} inv;

/* Invoices to chosen ages at AT: the boundaries of both ways of ageing. */
static const inv invoices[] = {
    {"U1", 0, 1000},    {"U1", 29, 2000},   {"U1", 30, 3000},   {"U1", 31, 4000},
    {"U1", 60, 5000},   {"U1", 61, 6000},   {"U2", 90, 7000},   {"U2", 91, 8000},
    {"U2", 120, 9000},  {"U2", 121, 10000}, {"U2", 150, 11000}, {"U2", 151, 12000},
    {"U3", 210, 13000}, {"U3", 211, 2500},  {"U3", 400, 14050},
};
#define NINV (sizeof invoices / sizeof invoices[0])

static void post_invoices(void)
{
    for (size_t i = 0; i < NINV; i++) {
        char d[11];
        uint32_t date = days_before(AT, invoices[i].days_old);
        snprintf(d, sizeof d, "%04u-%02u-%02u", date / 10000, date / 100 % 100, date % 100);
        gl_ok(K_ALPHA,
              "post --tenant alpha --date %s --journal VT --piece F-%zu --label Facture "
              "--debit 411000:%s=%ld.%02ld --credit 706000=%ld.%02ld",
              d, i + 1, invoices[i].aux, invoices[i].cents / 100, invoices[i].cents % 100,
              invoices[i].cents / 100, invoices[i].cents % 100);
    }
}

/* The CSV row of a third party: its six amounts in cents. */
static bool csv_row(const char *aux, long v[6])
{
    char needle[64];
    snprintf(needle, sizeof needle, "\n411000,%s,", aux);
    const char *p = strstr(out, needle);
    if (!p)
        return false;
    p += strlen(needle);
    for (int k = 0; k < 6; k++) {
        char *end;
        long units = strtol(p, &end, 10);
        long cents = 0;
        if (*end == '.') {
            cents = strtol(end + 1, &end, 10);
            if (p[0] == '-')
                cents = -cents;
        }
        v[k] = units * 100 + cents;
        p = end + 1;
    }
    return true;
}

static void expect_aged(int by_due)
{
    static const char *const auxes[] = {"U1", "U2", "U3"};
    for (size_t a = 0; a < 3; a++) {
        long want[6] = {0};
        for (size_t i = 0; i < NINV; i++)
            if (!strcmp(invoices[i].aux, auxes[a])) {
                int b = expected_bucket(AT, days_before(AT, invoices[i].days_old), 30, by_due);
                want[b] += invoices[i].cents;
                want[5] += invoices[i].cents;
            }
        long got[6];
        cr_assert(csv_row(auxes[a], got), "%s missing:\n%s", auxes[a], out);
        for (int k = 0; k < 6; k++)
            cr_expect_eq(got[k], want[k], "%s column %d (by_due %d): %ld, expected %ld\n%s",
                         auxes[a], k, by_due, got[k], want[k], out);
    }
}

Test(receivables, aged_buckets_match_an_independent_computation)
{
    post_invoices();
    gl_ok(K_ALPHA, "receivables --tenant alpha --at 2025-06-30 --format csv");
    cr_expect(!strncmp(out, "account,aux,not_due,d1_30,d31_60,d61_90,over_90,total\n", 54), "%s",
              out);
    expect_aged(0);
    gl_ok(K_ALPHA, "receivables --tenant alpha --at 2025-06-30 --by-due-date --format csv");
    expect_aged(1);
    /* the table adds the total row */
    gl_ok(K_ALPHA, "receivables --tenant alpha --at 2025-06-30");
    cr_expect(strstr(out, "TOTAL") && strstr(out, "1075.50"), "%s", out);
}

Test(receivables, an_item_lettered_after_the_date_is_open_at_the_date)
{
    gl_ok(K_ALPHA,
          "post --tenant alpha --date 2025-01-10 --journal VT --piece F-1 --label Facture "
          "--debit 411000:U1=100 --credit 706000=100");
    gl_ok(K_ALPHA,
          "post --tenant alpha --date 2025-03-10 --journal BQ --piece R-1 --label "
          "Reglement --debit 512000=100 --credit 411000:U1=100");
    gl_line_ref refs[2] = {{2025, 1, 1}, {2025, 2, 2}};
    gl_buf body;
    gl_buf_init(&body);
    gl_letter_q_encode_dated(&body, (gl_str){"411000", 6}, (gl_str){"U1", 2}, refs, 2, 20250320);
    gl_response r;
    cr_assert_eq(h_call(&h, K_ACCOUNTANT, GL_KIND_LETTER, "alpha", 0, body.data, body.len, &r),
                 GL_OK);
    gl_response_free(&r);
    gl_buf_free(&body);
    /* on 2025-03-15 the payment is in, not yet lettered: both items open,
     * summing to zero; the invoice 64 days old, the payment not yet due */
    gl_ok(K_ALPHA, "receivables --tenant alpha --at 2025-03-15 --format csv");
    cr_expect(strstr(out, "\n411000,U1,-100.00,0.00,0.00,100.00,0.00,0.00"), "%s", out);
    gl_ok(K_ALPHA, "receivables --tenant alpha --at 2025-03-15 --detail --format csv");
    cr_expect(strstr(out, "2025/1:1") && strstr(out, "2025/2:2"), "%s", out);
    /* lettered on 2025-03-20: nothing open from then */
    gl_ok(K_ALPHA, "receivables --tenant alpha --at 2025-03-20 --format csv");
    cr_expect(!strstr(out, "U1"), "%s", out);
    /* before the payment, the invoice alone */
    gl_ok(K_ALPHA, "receivables --tenant alpha --at 2025-02-09 --format csv");
    cr_expect(strstr(out, "\n411000,U1,100.00,0.00,0.00,0.00,0.00,100.00"), "due on 02-09:\n%s",
              out);
}

Test(receivables, payables_age_the_suppliers_invoices)
{
    gl_ok(K_ALPHA,
          "post --tenant alpha --date 2025-04-01 --journal AC --piece A-1 --label Achat "
          "--debit 606100=250 --credit 401000:F1=250");
    gl_ok(K_ALPHA,
          "post --tenant alpha --date 2025-06-20 --journal VT --piece F-1 --label Facture "
          "--debit 411000:U9=40 --credit 706000=40");
    gl_ok(K_ALPHA, "receivables --tenant alpha --at 2025-06-30 --payables --format csv");
    /* 90 days old: 61-90 from the invoice, 31-60 from the due date */
    cr_expect(strstr(out, "\n401000,F1,0.00,0.00,0.00,250.00,0.00,250.00"), "%s", out);
    cr_expect(!strstr(out, "U9"), "no customer among the suppliers:\n%s", out);
    gl_ok(K_ALPHA,
          "receivables --tenant alpha --at 2025-06-30 --payables --by-due-date --format csv");
    cr_expect(strstr(out, "\n401000,F1,0.00,0.00,250.00,0.00,0.00,250.00"), "%s", out);
    gl_ok(K_ALPHA, "receivables --tenant alpha --at 2025-06-30 --format json");
    cr_expect(strstr(out, "\"aux\": \"U9\"") && !strstr(out, "F1"), "%s", out);
}

Test(receivables, doubtful_lists_items_overdue_beyond_the_threshold)
{
    post_invoices();
    gl_ok(K_ALPHA, "receivables --tenant alpha --at 2025-06-30 --doubtful --format csv");
    /* overdue by more than 180 days: 211 days old or more (30 days' terms);
     * 210 days old is 180 days overdue, not beyond */
    cr_expect(strstr(out, ",U3,") && strstr(out, "25.00") && strstr(out, "140.50"), "%s", out);
    cr_expect(!strstr(out, "130.00"), "%s", out);
    cr_expect(!strstr(out, ",U1,") && !strstr(out, ",U2,"), "%s", out);
    gl_ok(K_ALPHA, "receivables --tenant alpha --at 2025-06-30 --doubtful --days 120 --format csv");
    cr_expect(strstr(out, "120.00") && !strstr(out, "110.00"), "151 days old, 121 overdue:\n%s",
              out);
}

Test(receivables, the_html_page_is_self_contained_and_french)
{
    post_invoices();
    gl_ok(K_ALPHA, "receivables --tenant alpha --at 2025-06-30 --detail --format html");
    cr_expect(!strncmp(out, "<!DOCTYPE html>", 15), "%.200s", out);
    cr_expect(strstr(out, "Balance âgée") && strstr(out, "Plus de 90 j"), "%s", out);
    cr_expect(strstr(out, "1\u202f075,50"), "the total, French:\n%s", out);
    cr_expect(strstr(out, "30/06/2025"), "dates the French way:\n%s", out);
    cr_expect(strstr(out, "Détail des pièces") && strstr(out, "F-15"), "%s", out);
    cr_expect(!strstr(out, "<script") && !strstr(out, "http"), "self-contained:\n%s", out);
}

Test(receivables, refusals_change_nothing)
{
    post_invoices();
    uint8_t before[32], after[32];
    h_digest(&h, before);
    static const char *const bad[] = {
        "receivables --tenant alpha",
        "receivables --tenant alpha --at 2025-02-30",
        "receivables --tenant alpha --at 2025-06-30 --days 10",
        "receivables --tenant alpha --at 2025-06-30 --doubtful --days -1",
        "receivables --tenant alpha --at 2025-06-30 --terms x",
        "impairment --tenant alpha --at 2025-06-30 --rate 101 --post",
        "impairment --tenant alpha --at 2025-06-30 --rate 12.345 --post",
        "impairment --tenant alpha --post",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_expect_eq(h_cli(&h, K_ACCOUNTANT, out, OUT_MAX, "%s", bad[i]), 2, "%s", bad[i]);
    /* a member may not post in another tenant */
    cr_expect_eq(
        h_cli(&h, K_ALPHA, out, OUT_MAX, "impairment --tenant beta --at 2025-06-30 --post"), 1);
    /* the proposal alone posts nothing */
    gl_ok(K_ACCOUNTANT, "impairment --tenant alpha --at 2025-06-30 --rate 50");
    h_digest(&h, after);
    cr_expect(!memcmp(before, after, 32), "the digest changed");
}

Test(receivables, impairment_proposes_and_posts_balanced_entries)
{
    post_invoices();
    /* doubtful: U3's 25,00 and 140,50 (overdue by more than 180 days) */
    gl_ok(K_ACCOUNTANT, "impairment --tenant alpha --at 2025-06-30 --rate 33.33 --format csv");
    /* one transfer per item, under its invoice's piece (416 carries it) */
    cr_expect(strstr(out, "1,Transfert en créances douteuses,416000,U3,140.50,0.00"), "%s", out);
    cr_expect(strstr(out, "1,Transfert en créances douteuses,411000,U3,0.00,140.50"), "%s", out);
    cr_expect(strstr(out, "2,Transfert en créances douteuses,416000,U3,25.00,0.00"), "%s", out);
    /* per item: 8,3325 → 8,33 and 46,82865 → 46,83: 55,16 */
    cr_expect(strstr(out, "Dépréciation des créances douteuses,681740,,55.16,0.00"), "%s", out);
    cr_expect(strstr(out, "Dépréciation des créances douteuses,491000,,0.00,55.16"), "%s", out);
    cr_expect(!strstr(out, "Reprise"), "nothing to reverse in the first year:\n%s", out);
    gl_ok(K_ACCOUNTANT, "impairment --tenant alpha --at 2025-06-30 --rate 33.33 --post");
    cr_expect_eq(h_balance(&h, "alpha", "416000", AT), 16550);
    /* the fiscal year 2025's own lines (2024 is not closed: no à-nouveaux) */
    cr_expect_eq(h_balance(&h, "alpha", "411000", AT), 107550 - 29550 - 16550);
    cr_expect_eq(h_balance(&h, "alpha", "491000", AT), -5516);
    cr_expect_eq(h_balance(&h, "alpha", "681740", AT), 5516);
    cr_expect_gt(h_verify_chains(&h), 0);
    /* a later year-end (--days 400: U1's and U2's items not yet
     * doubtful): last year's dépréciation reversed, the 416 items
     * written down again at the new rate (the 411 items were lettered
     * with their transfer line by --post) */
    gl_ok(K_ACCOUNTANT,
          "impairment --tenant alpha --at 2025-12-31 --days 400 --rate 100 --format csv");
    cr_expect(!strstr(out, "Transfert"), "U3 already on 416:\n%s", out);
    cr_expect(strstr(out, "Reprise des dépréciations de créances antérieures,491000,,55.16,0.00"),
              "%s", out);
    cr_expect(strstr(out, "Reprise des dépréciations de créances antérieures,781740,,0.00,55.16"),
              "%s", out);
    cr_expect(strstr(out, "Dépréciation des créances douteuses,681740,,165.50,0.00"), "%s", out);
}

/* A whole file into out. */
static void read_whole(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "%s missing", path);
    size_t n = fread(out, 1, OUT_MAX - 1, f);
    out[n] = '\0';
    fclose(f);
}

Test(receivables, reminders_write_one_letter_per_overdue_third_party)
{
    /* U1: one invoice overdue (45 days old) and one not yet due, a partial
     * payment unlettered; U4: nothing overdue; U5: overdue but paid more */
    gl_ok(K_ALPHA,
          "post --tenant alpha --date 2025-05-16 --journal VT --piece F-1 --label "
          "'Aide à domicile avril' --debit 411000:U1=120 --credit 706000=120");
    gl_ok(K_ALPHA,
          "post --tenant alpha --date 2025-06-20 --journal VT --piece F-2 --label "
          "'Aide à domicile mai' --debit 411000:U1=80 --credit 706000=80");
    gl_ok(K_ALPHA,
          "post --tenant alpha --date 2025-06-25 --journal BQ --piece R-1 --label "
          "Acompte --debit 512000=20 --credit 411000:U1=20");
    gl_ok(K_ALPHA,
          "post --tenant alpha --date 2025-06-10 --journal VT --piece F-3 --label "
          "Transport --debit 411000:U4=55 --credit 706000=55");
    gl_ok(K_ALPHA,
          "post --tenant alpha --date 2025-04-01 --journal VT --piece F-4 --label "
          "Transport --debit 411000:U5=30 --credit 706000=30");
    gl_ok(K_ALPHA,
          "post --tenant alpha --date 2025-06-01 --journal BQ --piece R-2 --label "
          "Paiement --debit 512000=35 --credit 411000:U5=35");
    uint8_t before[32], after[32];
    h_digest(&h, before);
    gl_ok(K_ALPHA, "reminders --tenant alpha --at 2025-06-30 --format csv");
    cr_expect(strstr(out, "\nU1,1,1,100.00,\n"), "U1: 120 overdue less 20 paid:\n%s", out);
    cr_expect(!strstr(out, "U4") && !strstr(out, "U5"), "only who owes overdue items:\n%s", out);

    char dir[400];
    snprintf(dir, sizeof dir, "%s/relances", h.dir);
    cr_assert_eq(mkdir(dir, 0700), 0);
    gl_ok(K_ALPHA, "reminders --tenant alpha --at 2025-06-30 --out %s", dir);
    char path[500];
    snprintf(path, sizeof path, "%s/relance-1-U1-20250630.html", dir);
    read_whole(path);
    cr_expect(strstr(out, "Relance amiable") && strstr(out, "Alpha") &&
                  strstr(out, "SIREN 111111111"),
              "%s", out);
    cr_expect(strstr(out, "F-1") && strstr(out, "Aide à domicile avril") &&
                  strstr(out, "16/05/2025") && strstr(out, "15/06/2025"),
              "the overdue item, its date and due date:\n%s", out);
    cr_expect(!strstr(out, "F-2"), "not yet due: not asked:\n%s", out);
    cr_expect(strstr(out, "-20,00") && strstr(out, "100,00"), "the payment, the total:\n%s", out);
    cr_expect(!strstr(out, "<script") && !strstr(out, "http"), "self-contained:\n%s", out);
    snprintf(path, sizeof path, "%s/relance-1-U4-20250630.html", dir);
    cr_expect(access(path, F_OK) != 0, "no letter to U4");

    gl_ok(K_ALPHA, "reminders --tenant alpha --at 2025-06-30 --level 3 --out %s", dir);
    snprintf(path, sizeof path, "%s/relance-3-U1-20250630.html", dir);
    read_whole(path);
    cr_expect(strstr(out, "Mise en demeure") && strstr(out, "taux légal"), "%s", out);
    /* a letter already written is never replaced */
    cr_expect_eq(h_cli(&h, K_ALPHA, out, OUT_MAX,
                       "reminders --tenant alpha --at 2025-06-30 --level 3 --out %s", dir),
                 2);
    cr_expect_eq(
        h_cli(&h, K_ALPHA, out, OUT_MAX, "reminders --tenant alpha --at 2025-06-30 --level 4"), 2);
    h_digest(&h, after);
    cr_expect(!memcmp(before, after, 32), "reminders write nothing in the ledger");
}

Test(receivables, recorded_reminders_raise_the_next_level_replay_and_verify)
{
    gl_ok(K_ALPHA,
          "post --tenant alpha --date 2025-03-01 --journal VT --piece F-1 --label "
          "Transport --debit 411000:U1=50 --credit 706000=50");
    gl_ok(K_ALPHA,
          "post --tenant alpha --date 2025-03-05 --journal VT --piece F-2 --label "
          "Transport --debit 411000:U2=70 --credit 706000=70");
    gl_ok(K_ALPHA, "reminders --tenant alpha --at 2025-06-30 --format csv");
    cr_expect(strstr(out, "\nU1,1,") && strstr(out, "\nU2,1,"), "nothing recorded: 1\n%s", out);
    gl_ok(K_ALPHA, "reminders --tenant alpha --at 2025-06-30 --record --format csv");
    gl_ok(K_ALPHA, "reminders --tenant alpha --at 2025-07-15 --format csv");
    cr_expect(strstr(out, "\nU1,2,") && strstr(out, "\nU2,2,"), "then 2:\n%s", out);
    /* the same record again is a replay: the level stays proposed at 2 */
    gl_ok(K_ALPHA, "reminders --tenant alpha --at 2025-06-30 --level 1 --record --format csv");
    gl_ok(K_ALPHA, "reminders --tenant alpha --at 2025-07-15 --format csv");
    cr_expect(strstr(out, "\nU1,2,"), "a replay records nothing more:\n%s", out);
    gl_ok(K_ACCOUNTANT, "reminders --tenant alpha --at 2025-07-15 --record --format csv");
    gl_ok(K_ALPHA, "reminders --tenant alpha --at 2025-08-01 --record --format csv");
    cr_expect(strstr(out, "\nU1,3,"), "then 3:\n%s", out);
    gl_ok(K_ALPHA, "reminders --tenant alpha --at 2025-09-01 --format csv");
    cr_expect(strstr(out, "\nU1,3,"), "and 3 stays:\n%s", out);
    /* the daemon's reader: per third party, the last level, date, count */
    gl_response r;
    cr_assert_eq(h_call(&h, K_ALPHA, GL_KIND_REMINDERS, "alpha", 0, NULL, 0, &r), GL_OK);
    size_t pos = 4;
    gl_reminder_row row;
    cr_assert(gl_reminders_reply_next(r.reply.body, r.reply.body_len, &pos, &row));
    cr_expect(row.aux.len == 2 && !memcmp(row.aux.ptr, "U1", 2) && row.level == 3 &&
              row.date == 20250801 && row.count == 3);
    gl_response_free(&r);
    /* the events re-derive from their requests */
    cr_expect_gt(h_verify_chains(&h), 0);
    char path[400];
    snprintf(path, sizeof path, "%s/alpha.glar", h.dir);
    gl_ok(K_ACCOUNTANT, "archive --tenant alpha -o %s", path);
    gl_ok(K_ACCOUNTANT, "verify %s", path);
    cr_expect(!strstr(out, "types this program does not know"), "the reminders are known:\n%s",
              out);
}

/* A raw REMINDER_RECORD as key k: its status. */
static int record_raw(enum h_key k, const char *tenant, uint32_t date,
                      const gl_reminder_item *items, uint16_t n)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_reminder_q_encode(&body, date, items, n);
    gl_response r;
    int st = h_call(&h, k, GL_KIND_REMINDER_RECORD, tenant, 0, body.data, body.len, &r);
    gl_response_free(&r);
    gl_buf_free(&body);
    return st;
}

Test(receivables, reminder_record_refusals_change_nothing)
{
    uint8_t before[32], after[32];
    h_digest(&h, before);
    gl_reminder_item ok = {{"U1", 2}, 1}, bad_level = {{"U2", 2}, 4}, zero = {{"U2", 2}, 0},
                     empty = {{"", 0}, 1};
    gl_reminder_item twice[] = {ok, ok};
    cr_expect_eq(record_raw(K_ALPHA, "alpha", 20250630, &bad_level, 1), GL_ERR_REMINDER_LEVEL);
    cr_expect_eq(record_raw(K_ALPHA, "alpha", 20250630, &zero, 1), GL_ERR_REMINDER_LEVEL);
    cr_expect_eq(record_raw(K_ALPHA, "alpha", 20250630, &empty, 1), GL_ERR_FIELD_REQUIRED);
    cr_expect_eq(record_raw(K_ALPHA, "alpha", 20250630, twice, 2), GL_ERR_REMINDER_TWICE);
    cr_expect_eq(record_raw(K_ALPHA, "alpha", 20991231, &ok, 1), GL_ERR_REMINDER_DATE_AHEAD);
    cr_expect_eq(record_raw(K_ALPHA, "alpha", 20250231, &ok, 1), GL_ERR_BAD_DATE);
    cr_expect_eq(record_raw(K_ALPHA, "alpha", 20250630, &ok, 0), GL_ERR_COUNT_LIMIT);
    /* a member records only its own tenant's; an auditor none */
    cr_expect_eq(record_raw(K_ALPHA, "beta", 20250630, &ok, 1), GL_ERR_FORBIDDEN_TENANT);
    cr_expect_eq(record_raw(K_AUDITOR, "alpha", 20250630, &ok, 1), GL_ERR_FORBIDDEN_ROLE);
    gl_response r;
    cr_expect_eq(h_call(&h, K_ALPHA, GL_KIND_REMINDERS, "beta", 0, NULL, 0, &r),
                 GL_ERR_FORBIDDEN_TENANT);
    gl_response_free(&r);
    h_digest(&h, after);
    cr_expect(!memcmp(before, after, 32), "a refused record changed the ledger");
}

/* The registry of third parties (issue 17) gives each its payment terms
 * and its name: an invoice of 45 days is not yet due for a third party
 * registered with 60 days, and its reminder names it. */
Test(receivables, the_registry_gives_terms_and_names)
{
    gl_ok(K_ALPHA,
          "third-parties add --tenant alpha U1 --name 'Mme Durand' --collective 411000 "
          "--terms-days 60");
    gl_ok(K_ALPHA, "third-parties add --tenant alpha U2 --name 'M. Martin' --collective 411000");
    gl_ok(K_ALPHA,
          "post --tenant alpha --date 2025-05-16 --journal VT --piece F-1 --label "
          "'Aide à domicile avril' --debit 411000:U1=120 --credit 706000=120");
    gl_ok(K_ALPHA,
          "post --tenant alpha --date 2025-05-16 --journal VT --piece F-2 --label "
          "'Aide à domicile avril' --debit 411000:U2=80 --credit 706000=80");
    gl_ok(K_ALPHA, "receivables --tenant alpha --at 2025-06-30 --format csv");
    long v[6];
    cr_assert(csv_row("U1", v), "%s", out);
    cr_expect_eq(v[0], 12000, "60 days of terms: not yet due:\n%s", out);
    cr_assert(csv_row("U2", v), "%s", out);
    cr_expect_eq(v[0], 0, "no terms in the registry: the default 30 days:\n%s", out);
    char dir[400], path[500];
    snprintf(dir, sizeof dir, "%s/relances", h.dir);
    cr_assert_eq(mkdir(dir, 0700), 0);
    gl_ok(K_ALPHA, "reminders --tenant alpha --at 2025-06-30 --out %s", dir);
    snprintf(path, sizeof path, "%s/relance-1-U2-20250630.html", dir);
    read_whole(path);
    cr_expect(strstr(out, "M. Martin<br>Tiers U2"), "%s", out);
    snprintf(path, sizeof path, "%s/relance-1-U1-20250630.html", dir);
    cr_expect_neq(access(path, F_OK), 0, "U1 is not overdue");
}
