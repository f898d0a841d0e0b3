/*
 * tests/integration/test_post_once.c — the rules of a POST of several
 * entries, now that the writer decodes each entry's lines once and keeps
 * per-request lookups (an account found open and not abolished, the day's
 * calendar limits, the warnings after the first one counted, not formatted):
 * a later entry of the same request still gets every refusal and warning it
 * got when each entry was looked up on its own.  Issue 16 (helper P).
 */
#include "tests/support/harness.h"

#include "proto/query.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

static harness h;
static void setup(void) { h_setup(&h); }
static void teardown(void) { h_teardown(&h); }

TestSuite(post_once, .init = setup, .fini = teardown, .timeout = 120);

static int open_history(const char *tenant, const char *account)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_put_u8(&body, GL_OPEN_STRICT | GL_OPEN_HISTORY);
    gl_put_u32(&body, 1);
    gl_put_str8(&body, account, strlen(account));
    gl_put_str8(&body, "Compte", 6);
    gl_response r;
    int st = h_call(&h, K_ACCOUNTANT, GL_KIND_ACCOUNTS_OPEN, tenant, 0, body.data, body.len, &r);
    gl_response_free(&r);
    gl_buf_free(&body);
    return st;
}

static void detail_of(const gl_response *r, char *out, size_t len)
{
    snprintf(out, len, "%.*s", (int)r->reply.detail.len, r->reply.detail.ptr);
}

/* The same account in two entries of one request: open and kept by the
 * chart of 2024, abolished by the chart of 2025.  The second entry is
 * refused at its own line; nothing of the request remains. */
Test(post_once, an_account_kept_in_2024_is_refused_in_a_2025_entry_of_the_same_request)
{
    static const char *const accounts[] = {"512000"};
    h_open_accounts(&h, "alpha", accounts, 1);
    cr_assert_eq(open_history("alpha", "791000"), GL_OK);
    gl_line_in l1[2], l2[2], l3[2];
    gl_entry_in e[3] = {h_entry2("alpha", 20241230, "512000", "791000", 100, l1),
                        h_entry2("alpha", 20241231, "512000", "791000", 200, l2),
                        h_entry2("alpha", 20250101, "512000", "791000", 300, l3)};
    uint8_t before[32], after[32];
    h_digest(&h, before);
    gl_response r;
    cr_assert_eq(h_post(&h, K_ACCOUNTANT, e, 3, &r), GL_ERR_ACCOUNT_ABOLISHED);
    cr_assert_eq(r.reply.err_item, 3);
    cr_assert_eq(r.reply.err_line, 2);
    char d[600];
    detail_of(&r, d, sizeof d);
    cr_assert(strstr(d, "entry 3 line 2: account 791000 is abolished"), "%s", d);
    gl_response_free(&r);
    h_digest(&h, after);
    cr_assert_eq(memcmp(before, after, 32), 0);
    /* the first two alone are accepted */
    cr_assert_eq(h_post(&h, K_ACCOUNTANT, e, 2, &r), GL_OK);
    gl_response_free(&r);
    cr_assert_eq(h_balance(&h, "alpha", "791000", 20241231), -300);
}

/* An account not open, after entries whose accounts are: its entry and
 * line are named, and the ledger is unchanged. */
Test(post_once, an_account_not_open_after_open_ones_names_its_entry_and_line)
{
    static const char *const accounts[] = {"512000", "641100", "706000"};
    h_open_accounts(&h, "alpha", accounts, 3);
    gl_line_in l[4][2];
    gl_entry_in e[4] = {h_entry2("alpha", 20250110, "641100", "512000", 100, l[0]),
                        h_entry2("alpha", 20250111, "512000", "706000", 200, l[1]),
                        h_entry2("alpha", 20250112, "641100", "512000", 300, l[2]),
                        h_entry2("alpha", 20250113, "512000", "706100", 400, l[3])};
    uint8_t before[32], after[32];
    h_digest(&h, before);
    gl_response r;
    cr_assert_eq(h_post(&h, K_ACCOUNTANT, e, 4, &r), GL_ERR_UNKNOWN_ACCOUNT);
    cr_assert_eq(r.reply.err_item, 4);
    cr_assert_eq(r.reply.err_line, 2);
    char d[600];
    detail_of(&r, d, sizeof d);
    cr_assert(strstr(d, "entry 4 line 2: account 706100 is not open for alpha"), "%s", d);
    gl_response_free(&r);
    h_digest(&h, after);
    cr_assert_eq(memcmp(before, after, 32), 0);
}

/* Three entries in overdue unlocked months: the reply keeps the first
 * warning's full text and counts the two others. */
Test(post_once, overdue_warnings_keep_the_first_text_and_count_the_others)
{
    static const char *const accounts[] = {"512000", "641100"};
    h_open_accounts(&h, "alpha", accounts, 2);
    gl_line_in l[3][2];
    gl_entry_in e[3] = {h_entry2("alpha", 20250310, "641100", "512000", 100, l[0]),
                        h_entry2("alpha", 20250410, "641100", "512000", 200, l[1]),
                        h_entry2("alpha", 20250510, "641100", "512000", 300, l[2])};
    gl_response r;
    cr_assert_eq(h_post(&h, K_ACCOUNTANT, e, 3, &r), GL_OK);
    char d[600];
    detail_of(&r, d, sizeof d);
    cr_assert_str_eq(
        d,
        "clôture en retard: entry 1 is dated 2025-03-10, and 2025-03 is still unlocked "
        "after its closing deadline 2025-04-30 (each month is locked by the end of "
        "the following one) (and 2 more such warnings in this request)");
    gl_response_free(&r);
    /* one entry alone: its own warning, no count */
    cr_assert_eq(h_post(&h, K_ACCOUNTANT, &e[1], 1, &r), GL_OK);
    detail_of(&r, d, sizeof d);
    cr_assert_str_eq(d,
                     "clôture en retard: entry 1 is dated 2025-04-10, and 2025-04 is still "
                     "unlocked after its closing deadline 2025-05-31 (each month is locked by "
                     "the end of the following one)");
    gl_response_free(&r);
}

/* A class 8 line in the second entry only: the entries without class 8 or
 * 9 lines pass, the one whose class 8 lines do not sum to zero is refused. */
Test(post_once, a_class_8_entry_after_ordinary_ones_is_checked)
{
    static const char *const accounts[] = {"512000", "641100", "801000", "802000"};
    h_open_accounts(&h, "alpha", accounts, 4);
    gl_line_in l[2][2];
    gl_entry_in e[2] = {h_entry2("alpha", 20250110, "641100", "512000", 100, l[0]),
                        h_entry2("alpha", 20250111, "801000", "512000", 200, l[1])};
    uint8_t before[32], after[32];
    h_digest(&h, before);
    gl_response r;
    cr_assert_eq(h_post(&h, K_ACCOUNTANT, e, 2, &r), GL_ERR_CLASS_ENTRY_UNBALANCED);
    cr_assert_eq(r.reply.err_item, 2);
    gl_response_free(&r);
    h_digest(&h, after);
    cr_assert_eq(memcmp(before, after, 32), 0);
}
