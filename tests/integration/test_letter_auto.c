/*
 * tests/integration/test_letter_auto.c — automatic lettering against the
 * real daemon: `grandlivre letter --auto` (same piece, exact pair, a sum
 * within the window, on 411 and 401, never across third parties), its dry
 * run (nothing changes), the LETTER_BATCH request it sends (PROTOCOL
 * §5.11a: all or nothing, the refused set named, member limits, replay),
 * the offline verifier on a ledger lettered so, and `ledger --open`'s
 * remaining amount of a partly paid invoice.
 */
#include "tests/support/harness.h"

#include "proto/query.h"
#include "proto/request.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static harness h;
static const char *const chart[] = {"401000", "411000", "512000", "606100", "706000"};

static void setup(void)
{
    h_setup(&h);
    h_open_accounts(&h, "alpha", chart, sizeof chart / sizeof chart[0]);
}
static void teardown(void) { h_teardown(&h); }

TestSuite(letter_auto, .init = setup, .fini = teardown, .timeout = 180);

#define EXPECT_UNCHANGED_AFTER(expr, status)                                                       \
    do {                                                                                           \
        uint8_t d0_[32], d1_[32];                                                                  \
        h_digest(&h, d0_);                                                                         \
        int st_ = (expr);                                                                          \
        h_digest(&h, d1_);                                                                         \
        cr_assert_eq(st_, status, "got %s, want %s", gl_status_name(st_), gl_status_name(status)); \
        cr_assert(!memcmp(d0_, d1_, 32), "the ledger changed after a refusal");                    \
    } while (0)

/* One entry whose line 1 is the third party's: amount > 0 a debit on
 * account (an invoice to a customer, a payment to a supplier), < 0 a
 * credit; line 2 the counterpart. */
static void post(const char *account, const char *aux, const char *piece, uint32_t date,
                 int64_t amount)
{
    bool customer = account[1] == '1';
    const char *other = amount > 0 ? (customer ? "706000" : "512000") : (customer ? "512000" : "606100");
    int64_t cents = amount > 0 ? amount : -amount;
    gl_line_in l[2] = {{account, aux, "", "", amount > 0 ? 'D' : 'C', cents},
                       {other, "", "", "", amount > 0 ? 'C' : 'D', cents}};
    gl_entry_in e = {.tenant = "alpha",
                     .journal = "OD",
                     .piece_ref = piece,
                     .label = "Test",
                     .date = date,
                     .piece_date = date,
                     .line_count = 2,
                     .lines = l};
    gl_response r;
    cr_assert_eq(h_post(&h, K_ALPHA, &e, 1, &r), GL_OK);
    gl_response_free(&r);
}

/* Entries 2025/1…12: what each rule finds, and what none may. */
static void scenario(void)
{
    post("411000", "U1", "F1", 20250105, 10000);  /* 1: invoice F1 */
    post("411000", "U1", "F1", 20250120, -10000); /* 2: its payment, under F1: piece */
    post("411000", "U2", "F2", 20250110, 5000);   /* 3 */
    post("411000", "U2", "R7", 20250301, -5000);  /* 4: same amount: pair */
    post("411000", "U3", "F3", 20250201, 3000);   /* 5 */
    post("411000", "U3", "F4", 20250205, 4500);   /* 6 */
    post("411000", "U3", "R8", 20250220, -7500);  /* 7: both at once: a sum */
    post("411000", "U4", "F5", 20250301, 8000);   /* 8 */
    post("411000", "U4", "R9", 20250310, -2000);  /* 9: partly paid: stays open */
    post("411000", "U5", "F6", 20250105, 4000);   /* 10 */
    post("411000", "U6", "F6", 20250106, -4000);  /* 11: another third party */
    post("401000", "S1", "A1", 20250105, -12000); /* 12: a supplier's invoice */
    post("401000", "S1", "V1", 20250115, 12000);  /* 13: paid */
}

static int open_lines(const char *account)
{
    char out[8192];
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out,
                       "ledger --tenant alpha --account %s --from 2025 --to 2025 --open --format csv",
                       account),
                 0);
    int n = 0;
    for (char *p = out; *p; p++)
        n += *p == '\n';
    return n - 1;
}

static char *cli_err(void)
{
    static char buf[8192];
    h_cli_err(&h, buf, sizeof buf);
    return buf;
}

Test(letter_auto, dry_run_shows_the_sets_and_changes_nothing)
{
    scenario();
    char out[8192];
    uint8_t d0[32], d1[32];
    h_digest(&h, d0);
    int rc = h_cli(&h, K_ALPHA, out, sizeof out,
                   "letter --auto --tenant alpha --dry-run --format csv");
    h_digest(&h, d1);
    cr_assert_eq(rc, 0, "%s", cli_err());
    cr_assert(!memcmp(d0, d1, 32), "a dry run changed the ledger");
    cr_assert(strstr(out, "S1,401000,same amount,2025/12:1 2025/13:1,120.00,\n"), "%s", out);
    cr_assert(strstr(out, "U1,411000,same piece,2025/1:1 2025/2:1,100.00,\n"), "%s", out);
    cr_assert(strstr(out, "U2,411000,same amount,2025/3:1 2025/4:1,50.00,\n"), "%s", out);
    cr_assert(strstr(out, "U3,411000,sum within window,2025/5:1 2025/6:1 2025/7:1,75.00,\n"),
              "%s", out);
    cr_assert(!strstr(out, "U4") && !strstr(out, "U5") && !strstr(out, "U6"), "%s", out);
    cr_assert_eq(open_lines("411000"), 11);
}

Test(letter_auto, letters_every_set_in_one_request_and_verify_passes)
{
    scenario();
    char out[8192];
    int rc = h_cli(&h, K_ALPHA, out, sizeof out, "letter --auto --tenant alpha --format csv");
    cr_assert_eq(rc, 0, "%s", cli_err());
    /* codes per account, in the order of the sets */
    cr_assert(strstr(out, "S1,401000,same amount,2025/12:1 2025/13:1,120.00,A\n"), "%s", out);
    cr_assert(strstr(out, "U1,411000,same piece,2025/1:1 2025/2:1,100.00,A\n"), "%s", out);
    cr_assert(strstr(out, "U2,411000,same amount,2025/3:1 2025/4:1,50.00,B\n"), "%s", out);
    cr_assert(strstr(out, "U3,411000,sum within window,2025/5:1 2025/6:1 2025/7:1,75.00,C\n"),
              "%s", out);
    cr_assert_eq(open_lines("411000"), 4, "U4's two lines, U5's and U6's");
    cr_assert_eq(open_lines("401000"), 0);
    /* a second run finds nothing more */
    rc = h_cli(&h, K_ALPHA, out, sizeof out, "letter --auto --tenant alpha");
    cr_assert_eq(rc, 0, "%s", cli_err());
    cr_assert(strstr(out, "nothing to letter"), "%s", out);
    cr_assert_gt(h_verify_chains(&h), 0);
    char path[400];
    snprintf(path, sizeof path, "%s/all.glar", h.dir);
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "archive --all -o '%s'", path), 0, "%s", cli_err());
    rc = h_cli(&h, K_AUDITOR, out, sizeof out, "verify '%s'", path);
    cr_assert_eq(rc, 0, "verify exited %d:\n%s\n%s", rc, out, cli_err());
}

Test(letter_auto, the_window_and_the_options_narrow_what_is_lettered)
{
    scenario();
    char out[8192];
    /* U3's payment comes 19 days after its first invoice */
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out,
                       "letter --auto --tenant alpha --window 10 --dry-run --format csv"),
                 0, "%s", cli_err());
    cr_assert(!strstr(out, "U3"), "%s", out);
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out,
                       "letter --auto --tenant alpha --account 411000 --aux U2 --format csv"),
                 0, "%s", cli_err());
    cr_assert(strstr(out, "U2,411000,same amount,2025/3:1 2025/4:1,50.00,A\n"), "%s", out);
    cr_assert(!strstr(out, "U1") && !strstr(out, "S1"), "%s", out);
    cr_assert_eq(open_lines("411000"), 9);
    cr_assert_eq(open_lines("401000"), 2);
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, "letter --auto --tenant alpha --window x"),
                 2);
}

/* A LETTER body of two refs (line 1 of entries a and b of 2025). */
static void put_set(gl_buf *b, const char *account, const char *aux, uint32_t a, uint32_t c)
{
    gl_line_ref refs[2] = {{2025, a, 1}, {2025, c, 1}};
    gl_buf one;
    gl_buf_init(&one);
    gl_letter_q_encode(&one, (gl_str){account, strlen(account)}, (gl_str){aux, strlen(aux)}, refs,
                       2);
    gl_letter_batch_put(b, &one);
    gl_buf_free(&one);
}

static int batch(enum h_key k, uint64_t request_id, const gl_buf *b, gl_response *r)
{
    return h_call(&h, k, GL_KIND_LETTER_BATCH, "alpha", request_id, b->data, b->len, r);
}

Test(letter_auto, one_bad_set_refuses_the_batch_and_names_it)
{
    scenario();
    gl_buf b;
    gl_buf_init(&b);
    gl_response r;
    /* set 2 mixes two third parties */
    gl_put_u16(&b, 0);
    put_set(&b, "411000", "U1", 1, 2);
    put_set(&b, "411000", "U5", 10, 11);
    gl_letter_batch_count(&b, 2);
    EXPECT_UNCHANGED_AFTER(batch(K_ALPHA, 0, &b, &r), GL_ERR_LETTER_MISMATCH);
    cr_expect_eq(r.reply.err_item, 2);
    cr_expect_eq(r.reply.err_line, 2);
    cr_expect(r.reply.detail.len > 7 && !memcmp(r.reply.detail.ptr, "set 2: ", 7), "%.*s",
              (int)r.reply.detail.len, r.reply.detail.ptr);
    gl_response_free(&r);
    /* set 3 takes a line set 1 letters */
    gl_buf_reset(&b);
    gl_put_u16(&b, 0);
    put_set(&b, "411000", "U1", 1, 2);
    put_set(&b, "411000", "U2", 3, 4);
    put_set(&b, "411000", "U1", 2, 1);
    gl_letter_batch_count(&b, 3);
    EXPECT_UNCHANGED_AFTER(batch(K_ALPHA, 0, &b, &r), GL_ERR_ALREADY_LETTERED);
    cr_expect_eq(r.reply.err_item, 3);
    gl_response_free(&r);
    /* a set that does not sum to zero */
    gl_buf_reset(&b);
    gl_put_u16(&b, 0);
    put_set(&b, "411000", "U4", 8, 9);
    gl_letter_batch_count(&b, 1);
    EXPECT_UNCHANGED_AFTER(batch(K_ALPHA, 0, &b, &r), GL_ERR_LETTER_UNBALANCED);
    cr_expect_eq(r.reply.err_item, 1);
    gl_response_free(&r);
    cr_assert_eq(open_lines("411000"), 11);
    gl_buf_free(&b);
}

Test(letter_auto, member_limits_and_replay)
{
    scenario();
    gl_buf b;
    gl_buf_init(&b);
    gl_put_u16(&b, 0);
    put_set(&b, "411000", "U1", 1, 2);
    put_set(&b, "411000", "U2", 3, 4);
    gl_letter_batch_count(&b, 2);
    gl_response r;
    EXPECT_UNCHANGED_AFTER(batch(K_BETA, 0, &b, &r), GL_ERR_FORBIDDEN_TENANT);
    gl_response_free(&r);
    EXPECT_UNCHANGED_AFTER(batch(K_AUDITOR, 0, &b, &r), GL_ERR_FORBIDDEN_ROLE);
    gl_response_free(&r);
    cr_assert_eq(batch(K_ALPHA, 0x5eedULL, &b, &r), GL_OK);
    cr_assert_eq(r.reply.body_len, 2 + 2 * (2 + 4));
    cr_assert_eq(r.reply.body[0] * 256 + r.reply.body[1], 2);
    cr_assert_eq(r.reply.body[3], 'A');
    cr_assert_eq(r.reply.body[9], 'B');
    gl_response_free(&r);
    /* the same request again: its first reply, nothing written */
    EXPECT_UNCHANGED_AFTER(batch(K_ALPHA, 0x5eedULL, &b, &r), GL_OK);
    cr_assert(r.reply.flags & GL_REPLY_REPLAYED);
    cr_assert_eq(r.reply.body[9], 'B');
    gl_response_free(&r);
    cr_assert_eq(open_lines("411000"), 7);
    gl_buf_free(&b);
    cr_assert_gt(h_verify_chains(&h), 0);
}

Test(letter_auto, a_partly_paid_invoice_shows_what_it_still_owes)
{
    scenario();
    char out[8192];
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, "letter --auto --tenant alpha"), 0, "%s",
                 cli_err());
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out,
                       "ledger --tenant alpha --account 411000 --from 2025 --to 2025 --open "
                       "--format csv"),
                 0, "%s", cli_err());
    cr_assert(strstr(out, ",remaining\n"), "%s", out);
    /* U4: invoiced 80.00, paid 20.00: 60.00 remains of the invoice */
    cr_assert(strstr(out, ",U4,80.00,0.00,") && strstr(out, ",2025/8:1,60.00\n"), "%s", out);
    cr_assert(strstr(out, ",2025/9:1,0.00\n"), "%s", out);
    /* U5 and U6, each a line standing alone: the whole line remains */
    cr_assert(strstr(out, ",2025/10:1,40.00\n"), "%s", out);
    cr_assert(strstr(out, ",2025/11:1,-40.00\n"), "%s", out);
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out,
                       "ledger --tenant alpha --account 411000 --from 2025 --to 2025 --open "
                       "--format json --page-rows 1"),
                 0, "%s", cli_err());
    cr_assert(strstr(out, "\"remaining\""), "%s", out);
}
