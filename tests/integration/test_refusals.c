/*
 * tests/integration/test_refusals.c — every refusal a client can cause gets
 * its own status, and leaves the ledger byte-for-byte as before (a digest of
 * every LMDB database, read directly, before and after).
 */
#include "tests/support/harness.h"

#include "proto/query.h"
#include "proto/request.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

static harness h;
static uint8_t digest_before[32];

static void setup(void)
{
    h_setup(&h);
    static const char *const accounts[] = {"512000", "606100", "401000"};
    h_open_accounts(&h, "alpha", accounts, 3);
    h_open_accounts(&h, "beta", accounts, 3);
    gl_line_in l[2];
    gl_entry_in e = h_entry2("alpha", 20250110, "606100", "512000", 999, l);
    gl_response r;
    cr_assert_eq(h_post(&h, K_ALPHA, &e, 1, &r), GL_OK);
    gl_response_free(&r);
    h_digest(&h, digest_before);
}

/* The ledger as setup left it, and its chains verify: at the end of
 * each test's body (RTest, tests/support/harness.h). */
static void unchanged(void)
{
    uint8_t after[32];
    h_digest(&h, after);
    cr_assert(!memcmp(digest_before, after, 32), "the ledger changed after a refusal");
    cr_assert_gt(h_verify_chains(&h), 0);
}

static void teardown(void) { h_teardown(&h); }

TestSuite(refusal, .init = setup, .fini = teardown, .timeout = 60);

static int post_lines(enum h_key k, const char *tenant, gl_line_in *lines, size_t n, gl_response *r)
{
    gl_entry_in e = {.tenant = tenant,
                     .journal = "OD",
                     .piece_ref = "R1",
                     .label = "x",
                     .date = 20250301,
                     .piece_date = 20250301,
                     .line_count = n,
                     .lines = lines};
    return h_post(&h, k, &e, 1, r);
}

#define EXPECT_REFUSAL(call, status)                                                \
    do {                                                                            \
        gl_response r_;                                                             \
        int st_ = call;                                                             \
        cr_assert_eq(st_, status, "got %s (%d), want %s", gl_status_name(st_), st_, \
                     gl_status_name(status));                                       \
        gl_response_free(&r_);                                                      \
    } while (0)

RTest(refusal, unbalanced)
{
    gl_line_in l[2] = {{"606100", "", "", "", 'D', 1000}, {"512000", "", "", "", 'C', 999}};
    EXPECT_REFUSAL(post_lines(K_ALPHA, "alpha", l, 2, &r_), GL_ERR_UNBALANCED);
}

RTest(refusal, zero_amount)
{
    gl_line_in l[3] = {{"606100", "", "", "", 'D', 0},
                       {"606100", "", "", "", 'D', 5},
                       {"512000", "", "", "", 'C', 5}};
    gl_response r;
    cr_assert_eq(post_lines(K_ALPHA, "alpha", l, 3, &r), GL_ERR_AMOUNT_NOT_POSITIVE);
    cr_assert_eq(r.reply.err_item, 1);
    cr_assert_eq(r.reply.err_line, 1);
    gl_response_free(&r);
}

RTest(refusal, negative_amount)
{
    gl_line_in l[2] = {{"606100", "", "", "", 'D', -5}, {"512000", "", "", "", 'C', -5}};
    EXPECT_REFUSAL(post_lines(K_ALPHA, "alpha", l, 2, &r_), GL_ERR_AMOUNT_NOT_POSITIVE);
}

RTest(refusal, single_line)
{
    gl_line_in l[1] = {{"606100", "", "", "", 'D', 5}};
    EXPECT_REFUSAL(post_lines(K_ALPHA, "alpha", l, 1, &r_), GL_ERR_TOO_FEW_LINES);
}

RTest(refusal, unknown_account)
{
    gl_line_in l[2] = {{"606100", "", "", "", 'D', 5}, {"627000", "", "", "", 'C', 5}};
    gl_response r;
    cr_assert_eq(post_lines(K_ALPHA, "alpha", l, 2, &r), GL_ERR_UNKNOWN_ACCOUNT);
    cr_assert_eq(r.reply.err_line, 2);
    cr_assert(r.reply.detail.len > 0);
    gl_response_free(&r);
}

RTest(refusal, malformed_account_number)
{
    gl_line_in l[2] = {{"606100", "", "", "", 'D', 5}, {"0512", "", "", "", 'C', 5}};
    EXPECT_REFUSAL(post_lines(K_ALPHA, "alpha", l, 2, &r_), GL_ERR_BAD_ACCOUNT);
}

RTest(refusal, entry_total_overflow)
{
    gl_line_in l[3] = {{"606100", "", "", "", 'D', INT64_MAX},
                       {"606100", "", "", "", 'D', 1},
                       {"512000", "", "", "", 'C', INT64_MAX}};
    EXPECT_REFUSAL(post_lines(K_ALPHA, "alpha", l, 3, &r_), GL_ERR_OVERFLOW);
}

RTest(refusal, account_total_overflow)
{
    /* 606100 already holds 999 cents of debit: INT64_MAX more would overflow
     * it, and passes the cap on totals first (issue 11). */
    gl_line_in l[2] = {{"606100", "", "", "", 'D', INT64_MAX},
                       {"512000", "", "", "", 'C', INT64_MAX}};
    EXPECT_REFUSAL(post_lines(K_ALPHA, "alpha", l, 2, &r_), GL_ERR_TOTAL_LIMIT);
}

RTest(refusal, member_posts_into_another_member)
{
    gl_line_in l[2] = {{"606100", "", "", "", 'D', 5}, {"512000", "", "", "", 'C', 5}};
    EXPECT_REFUSAL(post_lines(K_ALPHA, "beta", l, 2, &r_), GL_ERR_FORBIDDEN_TENANT);
}

RTest(refusal, member_hides_another_member_in_a_batch)
{
    gl_line_in l[2][2];
    gl_entry_in e[2] = {h_entry2("alpha", 20250301, "606100", "512000", 5, l[0]),
                        h_entry2("beta", 20250301, "606100", "512000", 5, l[1])};
    gl_response r;
    cr_assert_eq(h_post(&h, K_ALPHA, e, 2, &r), GL_ERR_FORBIDDEN_TENANT);
    cr_assert_eq(r.reply.err_item, 2);
    gl_response_free(&r);
}

RTest(refusal, member_reads_another_member)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_balance_q q = {.at = 20251231};
    gl_balance_q_encode(&body, &q);
    EXPECT_REFUSAL(h_call(&h, K_ALPHA, GL_KIND_BALANCE, "beta", 0, body.data, body.len, &r_),
                   GL_ERR_FORBIDDEN_TENANT);
    EXPECT_REFUSAL(h_call(&h, K_ALPHA, GL_KIND_ACCOUNTS_LIST, "beta", 0, NULL, 0, &r_),
                   GL_ERR_FORBIDDEN_TENANT);
    gl_journal_q j = {.from = 20250101, .to = 20251231, .limit = 10};
    gl_buf_reset(&body);
    gl_journal_q_encode(&body, &j);
    EXPECT_REFUSAL(h_call(&h, K_ALPHA, GL_KIND_JOURNAL, "beta", 0, body.data, body.len, &r_),
                   GL_ERR_FORBIDDEN_TENANT);
    gl_ledger_q lq = {.account = {"512000", 6}, .from = 20250101, .to = 20251231, .limit = 10};
    gl_buf_reset(&body);
    gl_ledger_q_encode(&body, &lq);
    EXPECT_REFUSAL(h_call(&h, K_ALPHA, GL_KIND_LEDGER, "beta", 0, body.data, body.len, &r_),
                   GL_ERR_FORBIDDEN_TENANT);
    gl_buf_free(&body);
}

RTest(refusal, member_opens_account_in_another_member)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_put_u8(&body, GL_OPEN_STRICT);
    gl_put_u32(&body, 1);
    gl_put_str8(&body, "627000", 6);
    gl_put_str8(&body, "x", 1);
    EXPECT_REFUSAL(h_call(&h, K_ALPHA, GL_KIND_ACCOUNTS_OPEN, "beta", 0, body.data, body.len, &r_),
                   GL_ERR_FORBIDDEN_TENANT);
    gl_buf_free(&body);
}

RTest(refusal, auditor_posts)
{
    gl_line_in l[2] = {{"606100", "", "", "", 'D', 5}, {"512000", "", "", "", 'C', 5}};
    EXPECT_REFUSAL(post_lines(K_AUDITOR, "alpha", l, 2, &r_), GL_ERR_FORBIDDEN_ROLE);
}

RTest(refusal, auditor_opens_accounts)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_put_u8(&body, GL_OPEN_STRICT);
    gl_put_u32(&body, 1);
    gl_put_str8(&body, "627000", 6);
    gl_put_str8(&body, "x", 1);
    EXPECT_REFUSAL(
        h_call(&h, K_AUDITOR, GL_KIND_ACCOUNTS_OPEN, "alpha", 0, body.data, body.len, &r_),
        GL_ERR_FORBIDDEN_ROLE);
    gl_buf_free(&body);
}

RTest(refusal, account_already_open)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_put_u8(&body, GL_OPEN_STRICT);
    gl_put_u32(&body, 2);
    gl_put_str8(&body, "627000", 6);
    gl_put_str8(&body, "new", 3);
    gl_put_str8(&body, "512000", 6);
    gl_put_str8(&body, "again", 5);
    gl_response r;
    cr_assert_eq(
        h_call(&h, K_ACCOUNTANT, GL_KIND_ACCOUNTS_OPEN, "alpha", 0, body.data, body.len, &r),
        GL_ERR_ACCOUNT_EXISTS);
    cr_assert_eq(r.reply.err_item, 2); /* and 627000, item 1, was not kept */
    gl_response_free(&r);
    gl_buf_free(&body);
}

RTest(refusal, unknown_tenant)
{
    gl_line_in l[2] = {{"606100", "", "", "", 'D', 5}, {"512000", "", "", "", 'C', 5}};
    EXPECT_REFUSAL(post_lines(K_ACCOUNTANT, "nobody", l, 2, &r_), GL_ERR_UNKNOWN_TENANT);
}

RTest(refusal, unknown_key)
{
    EXPECT_REFUSAL(h_call(&h, K_STRANGER, GL_KIND_ACCOUNTS_LIST, "alpha", 0, NULL, 0, &r_),
                   GL_ERR_UNKNOWN_KEY);
}

static void signed_post(gl_buf *out, enum h_key k, uint64_t id)
{
    gl_line_in l[2];
    gl_entry_in e = h_entry2("alpha", 20250301, "606100", "512000", 5, l);
    gl_buf body;
    h_post_body(&body, &e, 1);
    gl_buf_init(out);
    uint8_t ledger[GL_LEDGER_ID_BYTES];
    h_ledger_id(&h, ledger);
    cr_assert_eq(gl_request_encode(out, GL_KIND_POST, ledger, h.keys[k].sk, "alpha", id,
                                   (int64_t)time(NULL) * 1000, body.data, body.len),
                 GL_OK);
    gl_buf_free(&body);
}

RTest(refusal, forged_signature)
{
    gl_buf req;
    signed_post(&req, K_ALPHA, 5);
    req.data[req.len - 1] ^= 0x01;
    EXPECT_REFUSAL(h_send_raw(&h, req.data, req.len, &r_), GL_ERR_BAD_SIGNATURE);
    gl_buf_free(&req);
}

RTest(refusal, body_altered_after_signing)
{
    gl_buf req;
    signed_post(&req, K_ALPHA, 5);
    req.data[req.len - 64 - 1] ^= 0x01; /* last byte of the amount */
    EXPECT_REFUSAL(h_send_raw(&h, req.data, req.len, &r_), GL_ERR_BAD_SIGNATURE);
    gl_buf_free(&req);
}

RTest(refusal, signed_by_one_key_claiming_another)
{
    gl_buf req;
    signed_post(&req, K_STRANGER, 5);
    memcpy(req.data + 8, h.keys[K_ALPHA].pk, 32); /* signer field: alpha's key */
    EXPECT_REFUSAL(h_send_raw(&h, req.data, req.len, &r_), GL_ERR_BAD_SIGNATURE);
    gl_buf_free(&req);
}

RTest(refusal, request_id_reused_with_another_body)
{
    gl_line_in l[2];
    gl_entry_in e = h_entry2("alpha", 20250301, "606100", "512000", 5, l);
    gl_buf body;
    h_post_body(&body, &e, 1);
    gl_response r;
    cr_assert_eq(h_call(&h, K_ALPHA, GL_KIND_POST, "alpha", 4242, body.data, body.len, &r), GL_OK);
    gl_response_free(&r);
    gl_buf_free(&body);
    h_digest(&h, digest_before); /* the accepted post is the new baseline */
    e = h_entry2("alpha", 20250301, "606100", "512000", 6, l);
    h_post_body(&body, &e, 1);
    EXPECT_REFUSAL(h_call(&h, K_ALPHA, GL_KIND_POST, "alpha", 4242, body.data, body.len, &r_),
                   GL_ERR_REQUEST_ID_REUSED);
    gl_buf_free(&body);
}

RTest(refusal, malformed_bytes)
{
    static const uint8_t junk[] = {0xde, 0xad, 0xbe, 0xef, 0, 1, 2};
    EXPECT_REFUSAL(h_send_raw(&h, junk, sizeof junk, &r_), GL_ERR_BAD_MAGIC);
    EXPECT_REFUSAL(h_send_raw(&h, "GL", 2, &r_), GL_ERR_MALFORMED);
    gl_buf req;
    signed_post(&req, K_ALPHA, 9);
    EXPECT_REFUSAL(h_send_raw(&h, req.data, req.len - 1, &r_), GL_ERR_MALFORMED);
    gl_put_u8(&req, 0);
    EXPECT_REFUSAL(h_send_raw(&h, req.data, req.len, &r_), GL_ERR_TRAILING_BYTES);
    req.data[5] = 9; /* version 9 */
    EXPECT_REFUSAL(h_send_raw(&h, req.data, req.len, &r_), GL_ERR_VERSION);
    gl_buf_free(&req);
}

RTest(refusal, empty_message) { EXPECT_REFUSAL(h_send_raw(&h, "", 0, &r_), GL_ERR_MALFORMED); }

RTest(refusal, bad_date_inside_a_signed_request)
{
    gl_line_in l[2];
    gl_entry_in e = h_entry2("alpha", 20250230, "606100", "512000", 5, l); /* 30 February */
    EXPECT_REFUSAL(h_post(&h, K_ALPHA, &e, 1, &r_), GL_ERR_BAD_DATE);
}

RTest(refusal, oversized_batch)
{
    enum { N = GL_ENTRIES_MAX + 1 };
    static gl_line_in l[N][2];
    static gl_entry_in e[N];
    for (int i = 0; i < N; i++)
        e[i] = h_entry2("alpha", 20250301, "606100", "512000", 1, l[i]);
    EXPECT_REFUSAL(h_post(&h, K_ALPHA, e, N, &r_), GL_ERR_COUNT_LIMIT);
}

RTest(refusal, empty_batch)
{
    uint8_t body[4] = {0};
    EXPECT_REFUSAL(h_call(&h, K_ALPHA, GL_KIND_POST, "alpha", 0, body, 4, &r_), GL_ERR_NO_ENTRIES);
}

RTest(refusal, nul_byte_in_a_label)
{
    gl_line_in l[2];
    gl_entry_in e = h_entry2("alpha", 20250301, "606100", "512000", 5, l);
    gl_buf body;
    h_post_body(&body, &e, 1);
    /* the entry label "test" sits right after the piece date: find and poison it */
    uint8_t *p = memmem(body.data, body.len, "test", 4);
    cr_assert(p);
    p[1] = 0;
    EXPECT_REFUSAL(h_call(&h, K_ALPHA, GL_KIND_POST, "alpha", 0, body.data, body.len, &r_),
                   GL_ERR_STRING_INVALID);
    gl_buf_free(&body);
}

RTest(refusal, reversal_of_a_missing_entry)
{
    gl_line_in l[2];
    gl_entry_in e = h_entry2("alpha", 20250301, "512000", "606100", 999, l);
    e.reverses_fy = 2025;
    e.reverses_num = 99;
    EXPECT_REFUSAL(h_post(&h, K_ALPHA, &e, 1, &r_), GL_ERR_NOT_FOUND);
}

RTest(refusal, stale_timestamp)
{
    gl_line_in l[2];
    gl_entry_in e = h_entry2("alpha", 20250301, "606100", "512000", 5, l);
    gl_buf body, req;
    h_post_body(&body, &e, 1);
    gl_buf_init(&req);
    uint8_t ledger[GL_LEDGER_ID_BYTES];
    h_ledger_id(&h, ledger);
    int64_t hour_ago_ms = ((int64_t)time(NULL) - 3600) * 1000;
    cr_assert_eq(gl_request_encode(&req, GL_KIND_POST, ledger, h.keys[K_ALPHA].sk, "alpha", 31,
                                   hour_ago_ms, body.data, body.len),
                 GL_OK);
    EXPECT_REFUSAL(h_send_raw(&h, req.data, req.len, &r_), GL_ERR_STALE_TIMESTAMP);
    gl_buf_reset(&req);
    int64_t hour_ahead_ms = ((int64_t)time(NULL) + 3600) * 1000;
    cr_assert_eq(gl_request_encode(&req, GL_KIND_POST, ledger, h.keys[K_ALPHA].sk, "alpha", 32,
                                   hour_ahead_ms, body.data, body.len),
                 GL_OK);
    EXPECT_REFUSAL(h_send_raw(&h, req.data, req.len, &r_), GL_ERR_STALE_TIMESTAMP);
    gl_buf_free(&req);
    gl_buf_free(&body);
}
