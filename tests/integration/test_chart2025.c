/*
 * tests/integration/test_chart2025.c — the 2025 chart against the real
 * daemon: opening an account the chart of the tenant's current fiscal year
 * abolished is refused (430 account_abolished, the replacement named, the
 * ledger unchanged), so is posting one in an entry of a fiscal year opened
 * on or after 2025-01-01, while the books of earlier years keep it; the
 * client's `accounts load-chart --year` and `accounts check` on a 2024
 * ledger continued into 2025.  The daemon's clock is the real one (December
 * 2026 or later when this was written, so every tenant's current fiscal year
 * is kept in the 2025 chart); earlier years are reached through entry dates
 * and the history flag.
 */
#include "tests/support/harness.h"

#include "client/input/chart.h"
#include "proto/chart_rules.h"
#include "proto/query.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static harness h;
static void setup(void) { h_setup(&h); }
static void teardown(void) { h_teardown(&h); }

TestSuite(chart2025, .init = setup, .fini = teardown, .timeout = 120);

static int open_mode(const char *tenant, uint8_t mode, const char *account, gl_response *r)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_put_u8(&body, mode);
    gl_put_u32(&body, 1);
    gl_put_str8(&body, account, strlen(account));
    gl_put_str8(&body, "Compte", 6);
    int st = h_call(&h, K_ACCOUNTANT, GL_KIND_ACCOUNTS_OPEN, tenant, 0, body.data, body.len, r);
    gl_buf_free(&body);
    return st;
}

static bool detail_has(const gl_response *r, const char *needle)
{
    char d[600];
    snprintf(d, sizeof d, "%.*s", (int)r->reply.detail.len, r->reply.detail.ptr);
    return strstr(d, needle) != NULL;
}

static int post2(const char *tenant, uint32_t date, const char *debit, const char *credit,
                 gl_response *r)
{
    gl_line_in lines[2];
    gl_entry_in e = h_entry2(tenant, date, debit, credit, 12345, lines);
    return h_post(&h, K_ACCOUNTANT, &e, 1, r);
}

Test(chart2025, opening_an_abolished_account_in_a_2025_chart_year_is_refused)
{
    static const struct {
        const char *account, *named;
    } cases[] = {
        {"791000", "649000"}, {"777000", "747000"}, {"675000", "652000"}, {"775400", "757100"},
        {"791100", "649000"}, {"746000", "741000"}, {"671200", "658200"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t before[32], after[32];
        h_digest(&h, before);
        gl_response r;
        for (uint8_t mode = GL_OPEN_STRICT; mode <= GL_OPEN_SKIP_EXISTING; mode++) {
            cr_assert_eq(open_mode("alpha", mode, cases[i].account, &r), GL_ERR_ACCOUNT_ABOLISHED,
                         "%s", cases[i].account);
            cr_assert_eq(r.reply.err_item, 1);
            cr_assert(detail_has(&r, cases[i].named), "%s: %.*s", cases[i].account,
                      (int)r.reply.detail.len, r.reply.detail.ptr);
            cr_assert(detail_has(&r, "2022-06"));
            gl_response_free(&r);
        }
        h_digest(&h, after);
        cr_assert_eq(memcmp(before, after, 32), 0, "digest changed by a refused %s",
                     cases[i].account);
    }
    /* The July tenant too: its current fiscal year opened in 2025 or later. */
    gl_response r;
    cr_assert_eq(open_mode("gamma", GL_OPEN_STRICT, "797000", &r), GL_ERR_ACCOUNT_ABOLISHED);
    gl_response_free(&r);
}

Test(chart2025, standing_accounts_and_their_sub_accounts_open)
{
    static const char *const ok[] = {"747000", "741000", "741700", "742000", "652000",
                                     "757100", "649000", "671000", "790000", "790"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        gl_response r;
        cr_assert_eq(open_mode("alpha", GL_OPEN_STRICT, ok[i], &r), GL_OK, "%s: %.*s", ok[i],
                     (int)r.reply.detail.len, r.reply.detail.ptr);
        gl_response_free(&r);
    }
}

Test(chart2025, the_history_flag_opens_them_for_earlier_books)
{
    gl_response r;
    cr_assert_eq(open_mode("alpha", GL_OPEN_STRICT | GL_OPEN_HISTORY, "791000", &r), GL_OK);
    gl_response_free(&r);
    cr_assert_eq(open_mode("alpha", 0x04, "777000", &r), GL_ERR_MALFORMED); /* unknown flag */
    gl_response_free(&r);
}

Test(chart2025, posting_an_abolished_account_follows_the_entry_s_fiscal_year)
{
    static const char *const accounts[] = {"512000", "641100"};
    h_open_accounts(&h, "alpha", accounts, 2);
    h_open_accounts(&h, "gamma", accounts, 2);
    gl_response r;
    cr_assert_eq(open_mode("alpha", GL_OPEN_STRICT | GL_OPEN_HISTORY, "791000", &r), GL_OK);
    gl_response_free(&r);
    cr_assert_eq(open_mode("gamma", GL_OPEN_STRICT | GL_OPEN_HISTORY, "791000", &r), GL_OK);
    gl_response_free(&r);

    /* A calendar tenant: 2024 accepted, 2025 refused. */
    cr_assert_eq(post2("alpha", 20241231, "512000", "791000", &r), GL_OK);
    gl_response_free(&r);
    uint8_t before[32], after[32];
    h_digest(&h, before);
    cr_assert_eq(post2("alpha", 20250101, "512000", "791000", &r), GL_ERR_ACCOUNT_ABOLISHED);
    cr_assert_eq(r.reply.err_item, 1);
    cr_assert_eq(r.reply.err_line, 2);
    cr_assert(detail_has(&r, "entry 1 line 2"));
    cr_assert(detail_has(&r, "649000"));
    gl_response_free(&r);
    h_digest(&h, after);
    cr_assert_eq(memcmp(before, after, 32), 0);

    /* A July tenant: the year 2024-07-01 to 2025-06-30 opened in 2024 and
     * keeps the earlier chart to its end; the next one does not. */
    cr_assert_eq(post2("gamma", 20250630, "512000", "791000", &r), GL_OK);
    gl_response_free(&r);
    h_digest(&h, before);
    cr_assert_eq(post2("gamma", 20250701, "512000", "791000", &r), GL_ERR_ACCOUNT_ABOLISHED);
    gl_response_free(&r);
    h_digest(&h, after);
    cr_assert_eq(memcmp(before, after, 32), 0);
    cr_assert_eq(h_balance(&h, "alpha", "791000", 20241231), -12345);
    cr_assert_eq(h_balance(&h, "gamma", "791000", 20250630), -12345);
}

Test(chart2025, load_chart_takes_the_chart_of_the_year)
{
    char out[1 << 16];
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "accounts load-chart --tenant alpha"), 0);
    cr_assert_eq(
        h_cli(&h, K_ACCOUNTANT, out, sizeof out, "accounts list --tenant alpha --format csv"), 0);
    cr_assert(strstr(out, "652000,"));
    cr_assert(strstr(out, "747000,Quote-part des subventions"));
    cr_assert_null(strstr(out, "791000,"));
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "accounts load-chart --tenant beta --year 2024"),
                 0);
    cr_assert_eq(
        h_cli(&h, K_ACCOUNTANT, out, sizeof out, "accounts list --tenant beta --format csv"), 0);
    cr_assert(strstr(out, "791000,"));
    cr_assert(strstr(out, "777000,"));
    cr_assert_null(strstr(out, "652000,"));
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "accounts load-chart --tenant beta --year 1900"),
                 2);
}

Test(chart2025, check_lists_what_a_2024_ledger_must_move_in_2025)
{
    char out[1 << 16];
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "accounts load-chart --tenant alpha --year 2024"),
                 0);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "accounts load-chart --tenant alpha --year 2025"),
                 0);
    gl_response r;
    cr_assert_eq(post2("alpha", 20240315, "641100", "791000", &r), GL_OK); /* 123.45 */
    gl_response_free(&r);
    cr_assert_eq(post2("alpha", 20241231, "139000", "777000", &r), GL_OK);
    gl_response_free(&r);
    cr_assert_eq(post2("alpha", 20240601, "512000", "747000", &r), GL_OK); /* FSE, 2018 meaning */
    gl_response_free(&r);
    cr_assert_eq(post2("alpha", 20240601, "512000", "706000", &r), GL_OK); /* unchanged */
    gl_response_free(&r);
    cr_assert_eq(post2("alpha", 20250601, "512000", "741000", &r), GL_OK);
    gl_response_free(&r);
    cr_assert_eq(post2("alpha", 20250601, "512000", "742000", &r),
                 GL_OK); /* équilibre, 2025 meaning */
    gl_response_free(&r);
    cr_assert_eq(h_cli(&h, K_AUDITOR, out, sizeof out,
                       "accounts check --tenant alpha --year 2025 --format csv"),
                 0);
    cr_assert(strstr(out, "fiscal_year,account,label,change,use,rule,debit,credit,balance\n"), "%s",
              out);
    cr_assert(strstr(out, "2024,791000,Transferts de charges d'exploitation,abolished,,"), "%s",
              out);
    cr_assert(strstr(out, ",0.00,123.45,-123.45\n"), "%s", out);
    cr_assert(strstr(out, "2024,777000,"), "%s", out);
    cr_assert(strstr(out, ",abolished,747000,"), "%s", out);
    cr_assert(strstr(out, "2024,747000,"), "%s", out);
    cr_assert(strstr(out, ",new meaning,741000,"), "%s", out);
    cr_assert(strstr(out, "2025,742000,"), "%s", out);
    cr_assert_null(strstr(out, "706000"), "%s", out);
    cr_assert_null(strstr(out, "741000,Subventions"), "%s", out);
    /* A year kept in the earlier chart has nothing to check. */
    cr_assert_eq(h_cli(&h, K_AUDITOR, out, sizeof out, "accounts check --tenant alpha --year 2024"),
                 0);
    cr_assert(strstr(out, "nothing to check"), "%s", out);
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "accounts check --tenant alpha"),
                 2); /* --year required */
}

/* An account a 2025-chart year may use: one of the 2025 chart, or a
 * sub-account the association opened under one (741700 under 741000),
 * never one the 2025 chart abolished. */
static bool in_2025_chart(const char *account)
{
    gl_chart c = gl_chart_get(2025);
    gl_str a = {account, strlen(account)};
    if (gl_chart_abolished(a, GL_CHART_2025_FROM))
        return false;
    if (gl_chart_label(&c, account, strlen(account)))
        return true;
    char parent[8];
    snprintf(parent, sizeof parent, "%.3s000", account);
    return strlen(account) == 6 && gl_chart_label(&c, parent, 6) && !gl_chart_change_of(a);
}

Test(chart2025, the_demo_s_2025_books_use_only_the_2025_chart)
{
    char cmd[1024], path[400];
    snprintf(cmd, sizeof cmd,
             "python3 scripts/gen-group-year --year 2025 --out %s/group --seed 1 --quiet", h.dir);
    cr_assert_eq(system(cmd), 0);
    /* Every account of the five FEC files, and those the daemon's group
     * requests and year close write (daemon/rules/group.c, close.c). */
    char used[512][24];
    size_t n = 0;
    static const char *const daemon_accounts[] = {"706100", "628000", "628100", "756100",
                                                  "411000", "401000", "120000", "129000"};
    for (size_t i = 0; i < sizeof daemon_accounts / sizeof daemon_accounts[0]; i++)
        snprintf(used[n++], sizeof used[0], "%s", daemon_accounts[i]);
    static const char *const tenants[] = {"gessa", "agiie", "proxim", "vital", "vsm"};
    bool fse = false;
    for (size_t t = 0; t < 5; t++) {
        snprintf(path, sizeof path, "%s/group/%s-2025.txt", h.dir, tenants[t]);
        FILE *f = fopen(path, "r");
        cr_assert(f, "%s", path);
        char line[4096];
        cr_assert(fgets(line, sizeof line, f)); /* header */
        while (fgets(line, sizeof line, f)) {
            char *p = line;
            for (int col = 0; col < 4 && p; col++)
                p = strchr(p, '\t') ? strchr(p, '\t') + 1 : NULL;
            cr_assert(p, "%s: %s", path, line);
            char account[24];
            size_t len = strcspn(p, "\t");
            cr_assert_lt(len, sizeof account);
            memcpy(account, p, len);
            account[len] = '\0';
            fse |= strstr(line, "Fonds social européen") && !strncmp(account, "741", 3);
            bool seen = false;
            for (size_t k = 0; k < n && !seen; k++)
                seen = !strcmp(used[k], account);
            if (!seen) {
                cr_assert_lt(n, 512);
                snprintf(used[n++], sizeof used[0], "%s", account);
            }
        }
        fclose(f);
    }
    cr_assert_gt(n, 20);
    for (size_t k = 0; k < n; k++) {
        cr_log_info("demo 2025 uses %s", used[k]);
        cr_assert(in_2025_chart(used[k]), "the demo's 2025 books use %s, not in the 2025 chart",
                  used[k]);
        cr_assert_neq(strncmp(used[k], "79", 2), 0, "%s", used[k]);
    }
    cr_assert(fse, "the European Social Fund grant is on an operating grant account (741)");
}

Test(chart2025, fec_comptelib_is_the_label_of_each_year_s_chart)
{
    char out[1 << 16], cmd[1024];
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "accounts load-chart --tenant alpha --year 2024"),
                 0);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "accounts load-chart --tenant alpha --year 2025"),
                 0);
    gl_response r;
    cr_assert_eq(post2("alpha", 20240601, "512000", "747000", &r), GL_OK);
    gl_response_free(&r);
    cr_assert_eq(post2("alpha", 20250601, "139000", "747000", &r), GL_OK);
    gl_response_free(&r);
    for (int y = 2024; y <= 2025; y++) {
        snprintf(cmd, sizeof cmd, "%s/fec%d", h.dir, y);
        cr_assert_eq(mkdir(cmd, 0700), 0);
        cr_assert_eq(h_cli(&h, K_AUDITOR, out, sizeof out,
                           "fec export --tenant alpha --year %d --encoding utf-8 -o %s", y, cmd),
                     0);
        snprintf(cmd, sizeof cmd, "cat %s/fec%d/*.txt", h.dir, y);
        FILE *p = popen(cmd, "r");
        cr_assert(p);
        size_t n = fread(out, 1, sizeof out - 1, p);
        out[n] = '\0';
        pclose(p);
        if (y == 2024) {
            cr_assert(
                strstr(out,
                       "\t747000\tSubventions d'exploitation - Fonds européens (FSE, FEDER)\t"),
                "%s", out);
        } else {
            cr_assert(
                strstr(out,
                       "\t747000\tQuote-part des subventions d'investissement virée au résultat de "
                       "l'exercice\t"),
                "%s", out);
            cr_assert(strstr(out, "\t139000\t"), "%s", out);
        }
    }
}

Test(chart2025, the_close_from_2024_into_2025_carries_classes_1_to_5_unchanged)
{
    /* docs/chart-2025.md: no account of classes 1-5 changed, so the
     * à-nouveaux of the first 2025-chart year are the ordinary ones. */
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "accounts load-chart --tenant alpha --year 2024"),
                 0);
    gl_response r;
    cr_assert_eq(post2("alpha", 20240110, "512000", "102000", &r), GL_OK);
    gl_response_free(&r);
    cr_assert_eq(post2("alpha", 20240310, "641100", "512000", &r), GL_OK);
    gl_response_free(&r);
    cr_assert_eq(post2("alpha", 20240410, "468700", "791000", &r),
                 GL_OK); /* a refund, 2018 style */
    gl_response_free(&r);
    cr_assert_eq(post2("alpha", 20241210, "512000", "777000", &r), GL_OK);
    gl_response_free(&r);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "lock --yes --tenant alpha --through 2024-12"),
                 0);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "close-year --tenant alpha --year 2024"), 0);
    static const char *const sheet[] = {"512000", "102000", "468700"};
    for (size_t i = 0; i < sizeof sheet / sizeof sheet[0]; i++)
        cr_assert_eq(h_balance(&h, "alpha", sheet[i], 20250101),
                     h_balance(&h, "alpha", sheet[i], 20241231), "%s", sheet[i]);
    cr_assert_eq(h_balance(&h, "alpha", "120000", 20250101), -12345); /* the 2024 surplus */
    cr_assert_eq(h_balance(&h, "alpha", "512000", 20250101), 12345);
    cr_assert_eq(h_balance(&h, "alpha", "791000", 20250101), 0); /* class 7 is not carried */
    char path[400];
    snprintf(path, sizeof path, "%s/alpha.gla", h.dir);
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "archive --tenant alpha -o %s", path), 0);
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "verify %s", path), 0);
}

/* ---- labels of the year shown; FEC files of earlier years -------------- */

static void read_file_into(const char *path, char *out, size_t cap)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "%s", path);
    size_t n = fread(out, 1, cap - 1, f);
    out[n] = '\0';
    fclose(f);
}

/* The line of a journal or listing that starts with prefix, copied. */
static const char *line_starting(const char *text, const char *prefix, char *line, size_t cap)
{
    for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (!strncmp(p, prefix, strlen(prefix))) {
            size_t n = strcspn(p, "\n");
            snprintf(line, cap, "%.*s", (int)(n < cap ? n : cap - 1), p);
            return line;
        }
    return NULL;
}

Test(chart2025, accounts_list_shows_the_labels_of_the_year)
{
    char out[1 << 16], line[512];
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "accounts load-chart --tenant alpha --year 2024"),
                 0);
    cr_assert_eq(
        h_cli(&h, K_ACCOUNTANT, NULL, 0, "accounts open --tenant alpha 741700 'FSE 2024-2027'"), 0);
    /* default: the current fiscal year, kept in the 2025 chart */
    cr_assert_eq(h_cli(&h, K_AUDITOR, out, sizeof out, "accounts list --tenant alpha --format csv"),
                 0);
    cr_assert(line_starting(out, "747000,", line, sizeof line), "%s", out);
    cr_assert_str_eq(
        line,
        "747000,Quote-part des subventions d'investissement virée au résultat de l'exercice,open");
    cr_assert(line_starting(out, "741000,", line, sizeof line));
    cr_assert_str_eq(line, "741000,Subventions d'exploitation,open");
    cr_assert(
        line_starting(out, "791000,", line, sizeof line)); /* not in the 2025 chart: as recorded */
    cr_assert_str_eq(line, "791000,Transferts de charges d'exploitation,open");
    cr_assert(line_starting(out, "741700,", line, sizeof line)); /* the tenant's own */
    cr_assert_str_eq(line, "741700,FSE 2024-2027,open");
    /* a year kept in the earlier chart */
    cr_assert_eq(h_cli(&h, K_AUDITOR, out, sizeof out,
                       "accounts list --tenant alpha --year 2024 --format csv"),
                 0);
    cr_assert(line_starting(out, "747000,", line, sizeof line), "%s", out);
    cr_assert_str_eq(line,
                     "747000,\"Subventions d'exploitation - Fonds européens (FSE, FEDER)\",open");
    cr_assert(line_starting(out, "741000,", line, sizeof line));
    cr_assert_str_eq(line, "741000,Subventions d'exploitation - État,open");
    cr_assert(line_starting(out, "741700,", line, sizeof line));
    cr_assert_str_eq(line, "741700,FSE 2024-2027,open");
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "accounts list --tenant alpha --year 1800"), 2);
}

Test(chart2025, hledger_declares_the_labels_of_the_year)
{
    char out[1 << 16], line[512], path[400];
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "accounts load-chart --tenant alpha --year 2024"),
                 0);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "accounts load-chart --tenant alpha --year 2025"),
                 0);
    gl_response r;
    cr_assert_eq(post2("alpha", 20240601, "512000", "747000", &r), GL_OK); /* FSE, 2018 meaning */
    gl_response_free(&r);
    cr_assert_eq(post2("alpha", 20251231, "139000", "747000", &r), GL_OK); /* grant released */
    gl_response_free(&r);
    static const struct {
        const char *year, *label;
    } cases[] = {
        {"--year 2024", "label:Subventions d'exploitation - Fonds européens (FSE; FEDER)"},
        {"--year 2025",
         "label:Quote-part des subventions d'investissement virée au résultat de l'exercice"},
        {"",
         "label:Quote-part des subventions d'investissement virée au résultat de l'exercice"}, /* the last */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(path, sizeof path, "%s/alpha%zu.journal", h.dir, i);
        cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "export hledger --tenant alpha %s -o %s",
                           cases[i].year, path),
                     0);
        read_file_into(path, out, sizeof out);
        cr_assert(line_starting(out, "account 747000", line, sizeof line), "%s", out);
        cr_assert(strstr(line, cases[i].label), "%s: %s", cases[i].year, line);
        cr_assert(
            line_starting(out, "account 791000", line, sizeof line)); /* the 2024 load opened it */
        cr_assert(strstr(line, "label:Transferts de charges d'exploitation"), "%s", line);
    }
}

#define FEC_HEADER                                                                           \
    "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\t" \
    "CompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\t"    \
    "ValidDate\tMontantdevise\tIdevise\n"
/* One FEC line: journal OD, PieceDate = ValidDate = date. */
#define FEC_LINE(num, date, acct, lib, debit, credit)                                    \
    "OD\tOpérations diverses\t" num "\t" date "\t" acct "\t" lib "\t\t\tP" num "\t" date \
    "\tPièce " num "\t" debit "\t" credit "\t\t\t" date "\t\t\n"

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    cr_assert(f, "%s", path);
    cr_assert_eq(fputs(text, f) >= 0, true);
    cr_assert_eq(fclose(f), 0);
}

Test(chart2025, fec_import_of_an_earlier_year_opens_the_accounts_of_its_chart)
{
    char path[400];
    /* a 2023 file, kept in the earlier chart: a refund on 791000 */
    snprintf(path, sizeof path, "%s/fec2023.txt", h.dir);
    write_text(
        path,
        FEC_HEADER FEC_LINE("1", "20230315", "468700", "Produits à recevoir", "100,00", "0,00")
            FEC_LINE("1", "20230315", "791000", "Transferts de charges d'exploitation", "0,00",
                     "100,00") FEC_LINE("2", "20230320", "512000", "Banque", "50,00", "0,00")
                FEC_LINE("2", "20230320", "706000", "Prestations de services", "0,00", "50,00"));
    cr_assert_eq(h_cli(&h, K_ALPHA, NULL, 0, "fec import --tenant alpha --open-accounts %s", path),
                 0);
    cr_assert_eq(h_balance(&h, "alpha", "791000", 20231231), -10000);
    cr_assert_eq(h_balance(&h, "alpha", "706000", 20231231), -5000);
    /* a 2025 file may not open it: refused, nothing changed */
    snprintf(path, sizeof path, "%s/fec2025.txt", h.dir);
    write_text(path, FEC_HEADER FEC_LINE("1", "20250315", "468700", "Produits à recevoir", "100,00",
                                         "0,00")
                         FEC_LINE("1", "20250315", "797000",
                                  "Transferts de charges exceptionnelles", "0,00", "100,00"));
    uint8_t before[32], after[32];
    h_digest(&h, before);
    cr_assert_eq(h_cli(&h, K_ALPHA, NULL, 0, "fec import --tenant alpha --open-accounts %s", path),
                 1);
    h_digest(&h, after);
    cr_assert_eq(memcmp(before, after, 32), 0, "a refused import changed the ledger");
}
