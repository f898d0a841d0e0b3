/*
 * tests/integration/test_post.c — posting and reading back through the real
 * daemon: numbering, balances as of dates, per-auxiliary balances, journal
 * and ledger pages, fiscal years that do not start in January, replays.
 */
#include "tests/support/harness.h"

#include "proto/query.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static harness h;
static void setup(void)
{
    h_setup(&h);
    static const char *const accounts[] = {"512000", "606100", "401000", "706000", "411000"};
    h_open_accounts(&h, "alpha", accounts, 5);
    h_open_accounts(&h, "beta", accounts, 5);
    h_open_accounts(&h, "gamma", accounts, 5);
}
static void teardown(void) { h_teardown(&h); }

TestSuite(post, .init = setup, .fini = teardown, .timeout = 60);

static void reply_numbers(const gl_response *r, uint16_t *fy, uint32_t *num, uint32_t max)
{
    gl_cur c;
    gl_cur_init(&c, r->reply.body, r->reply.body_len);
    uint32_t n = gl_get_u32(&c);
    cr_assert_leq(n, max);
    for (uint32_t i = 0; i < n; i++) {
        fy[i] = gl_get_u16(&c);
        num[i] = gl_get_u32(&c);
    }
    cr_assert_eq(gl_cur_end(&c), GL_OK);
}

Test(post, numbers_are_continuous_per_fiscal_year)
{
    gl_line_in l[4][2];
    gl_entry_in e[4] = {
        h_entry2("alpha", 20250115, "606100", "512000", 1000, l[0]),
        h_entry2("alpha", 20250116, "606100", "512000", 2000, l[1]),
        h_entry2("alpha", 20241231, "606100", "512000", 3000, l[2]),
        h_entry2("alpha", 20250301, "606100", "512000", 4000, l[3]),
    };
    gl_response r;
    cr_assert_eq(h_post(&h, K_ALPHA, e, 4, &r), GL_OK);
    uint16_t fy[4];
    uint32_t num[4];
    reply_numbers(&r, fy, num, 4);
    gl_response_free(&r);
    cr_assert(fy[0] == 2025 && num[0] == 1);
    cr_assert(fy[1] == 2025 && num[1] == 2);
    cr_assert(fy[2] == 2024 && num[2] == 1);
    cr_assert(fy[3] == 2025 && num[3] == 3);
}

Test(post, balances_as_of_dates_include_only_earlier_days)
{
    gl_line_in l[3][2];
    gl_entry_in e[3] = {
        h_entry2("alpha", 20250115, "606100", "512000", 1000, l[0]),
        h_entry2("alpha", 20250210, "606100", "512000", 250, l[1]),
        h_entry2("alpha", 20251231, "606100", "512000", 7, l[2]),
    };
    gl_response r;
    cr_assert_eq(h_post(&h, K_ALPHA, e, 3, &r), GL_OK);
    gl_response_free(&r);
    cr_assert_eq(h_balance(&h, "alpha", "606100", 20250114), 0);
    cr_assert_eq(h_balance(&h, "alpha", "606100", 20250115), 1000);
    cr_assert_eq(h_balance(&h, "alpha", "606100", 20250209), 1000);
    cr_assert_eq(h_balance(&h, "alpha", "606100", 20250210), 1250);
    cr_assert_eq(h_balance(&h, "alpha", "606100", 20251230), 1250);
    cr_assert_eq(h_balance(&h, "alpha", "606100", 20251231), 1257);
    cr_assert_eq(h_balance(&h, "alpha", "512000", 20251231), -1257);
    /* the next fiscal year starts from zero (no closing yet) */
    cr_assert_eq(h_balance(&h, "alpha", "606100", 20260101), 0);
}

Test(post, fiscal_year_from_july)
{
    gl_line_in l[2][2];
    gl_entry_in e[2] = {
        h_entry2("gamma", 20240701, "606100", "512000", 100, l[0]),
        h_entry2("gamma", 20250630, "606100", "512000", 200, l[1]),
    };
    gl_response r;
    cr_assert_eq(h_post(&h, K_ACCOUNTANT, e, 2, &r), GL_OK);
    uint16_t fy[2];
    uint32_t num[2];
    reply_numbers(&r, fy, num, 2);
    gl_response_free(&r);
    cr_assert(fy[0] == 2025 && num[0] == 1 && fy[1] == 2025 && num[1] == 2);
    cr_assert_eq(h_balance(&h, "gamma", "606100", 20250630), 300);
    cr_assert_eq(h_balance(&h, "gamma", "606100", 20250701), 0);
}

Test(post, balance_per_auxiliary_account)
{
    gl_line_in l1[2] = {{"606100", "", "", "", 'D', 500},
                        {"401000", "F1", "Fournisseur 1", "", 'C', 500}};
    gl_line_in l2[2] = {{"606100", "", "", "", 'D', 300},
                        {"401000", "F2", "Fournisseur 2", "", 'C', 300}};
    gl_entry_in e[2] = {
        {.tenant = "alpha",
         .journal = "AC",
         .piece_ref = "A",
         .label = "x",
         .date = 20250105,
         .piece_date = 20250105,
         .line_count = 2,
         .lines = l1},
        {.tenant = "alpha",
         .journal = "AC",
         .piece_ref = "B",
         .label = "y",
         .date = 20250106,
         .piece_date = 20250106,
         .line_count = 2,
         .lines = l2},
    };
    gl_response r;
    cr_assert_eq(h_post(&h, K_ALPHA, e, 2, &r), GL_OK);
    gl_response_free(&r);
    char out[4096];
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out,
                       "balance --tenant alpha --at 2025-12-31 --aux --format csv"),
                 0);
    /* account,aux,aux_label (the third party's name, issue 14),label,... */
    cr_assert(strstr(out, "401000,F1,Fournisseur 1,Fournisseurs,0.00,5.00,-5.00") ||
                  strstr(out, "401000,F1,Fournisseur 1,Compte,0.00,5.00,-5.00"),
              "%s", out);
    cr_assert(strstr(out, "401000,F2,Fournisseur 2,Compte,0.00,3.00,-3.00"), "%s", out);
    cr_assert(strstr(out, "606100,,,Compte,8.00,0.00,8.00"), "%s", out);
}

Test(post, journal_pages_through_many_entries)
{
    enum { N = 2500 };
    static gl_line_in l[N][2];
    static gl_entry_in e[N];
    for (int i = 0; i < N; i++)
        e[i] = h_entry2("alpha", 20250101 + (uint32_t)(i % 28), "606100", "512000", i + 1, l[i]);
    gl_response r;
    cr_assert_eq(h_post(&h, K_ALPHA, e, N, &r), GL_OK);
    gl_response_free(&r);
    char *out = malloc(1 << 22);
    cr_assert_eq(h_cli(&h, K_AUDITOR, out, 1 << 22,
                       "journal --tenant alpha --from 2025-01-01 --to 2025-12-31 --format csv"),
                 0);
    size_t lines = 0;
    for (char *p = out; *p; p++)
        lines += *p == '\n';
    cr_assert_eq(lines, 1 + 2 * N, "journal rows: %zu", lines);
    cr_assert_eq(
        h_cli(
            &h, K_AUDITOR, out, 1 << 22,
            "ledger --tenant alpha --account 512000 --from 2025-01-01 --to 2025-12-31 --format csv"),
        0);
    lines = 0;
    for (char *p = out; *p; p++)
        lines += *p == '\n';
    cr_assert_eq(lines, 1 + 1 + N, "ledger rows: %zu", lines);
    /* the last running balance is the sum 1..N credited (then the empty
     * letter code and the line reference) */
    char expect[64];
    snprintf(expect, sizeof expect, ",%lld.%02lld,,2025/", -(long long)N * (N + 1) / 2 / 100,
             (long long)N * (N + 1) / 2 % 100);
    cr_assert(strstr(out, expect), "expected a final balance ending %s", expect);
    free(out);
}

Test(post, same_request_again_returns_original_reply_and_changes_nothing)
{
    gl_line_in l[2];
    gl_entry_in e = h_entry2("alpha", 20250115, "606100", "512000", 1000, l);
    gl_buf body;
    h_post_body(&body, &e, 1);
    gl_response r1, r2;
    cr_assert_eq(h_call(&h, K_ALPHA, GL_KIND_POST, "alpha", 77, body.data, body.len, &r1), GL_OK);
    uint8_t before[32], after[32];
    h_digest(&h, before);
    cr_assert_eq(h_call(&h, K_ALPHA, GL_KIND_POST, "alpha", 77, body.data, body.len, &r2), GL_OK);
    h_digest(&h, after);
    cr_assert(r2.reply.flags & GL_REPLY_REPLAYED);
    cr_assert_eq(r1.reply.body_len, r2.reply.body_len);
    cr_assert(!memcmp(r1.reply.body, r2.reply.body, r1.reply.body_len));
    cr_assert(!memcmp(before, after, 32));
    cr_assert_eq(h_balance(&h, "alpha", "606100", 20251231), 1000);
    gl_response_free(&r1);
    gl_response_free(&r2);
    gl_buf_free(&body);
}

Test(post, accountant_posts_to_two_tenants_atomically)
{
    gl_line_in l[2][2];
    gl_entry_in e[2] = {
        h_entry2("alpha", 20250115, "411000", "706000", 1000, l[0]),
        h_entry2("beta", 20250115, "606100", "401000", 1000, l[1]),
    };
    gl_response r;
    cr_assert_eq(h_post(&h, K_ACCOUNTANT, e, 2, &r), GL_OK);
    gl_response_free(&r);
    cr_assert_eq(h_balance(&h, "alpha", "706000", 20251231), -1000);
    cr_assert_eq(h_balance(&h, "beta", "606100", 20251231), 1000);
    /* the second entry fails: neither is kept */
    uint8_t before[32], after[32];
    h_digest(&h, before);
    e[1] = h_entry2("beta", 20250115, "606100", "699999", 1000, l[1]);
    cr_assert_eq(h_post(&h, K_ACCOUNTANT, e, 2, &r), GL_ERR_UNKNOWN_ACCOUNT);
    cr_assert_eq(r.reply.err_item, 2);
    cr_assert_eq(r.reply.err_line, 2);
    gl_response_free(&r);
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32));
    cr_assert_gt(h_verify_chains(&h), 0);
}
