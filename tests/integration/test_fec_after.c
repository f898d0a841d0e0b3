/*
 * tests/integration/test_fec_after.c — a POST that names the request it
 * follows (PROTOCOL.md §5.4 `follows`, daemon/rules/after.c), what lets
 * `grandlivre fec import` send batches ahead: applied only if that request
 * (same signer) was applied, else predecessor_not_applied (451) and nothing
 * changed; a predecessor never sent, refused, or signed by another key is
 * not applied; 0 in the field is malformed (one encoding per body).
 */
#include "tests/support/harness.h"

#include "proto/kinds.h"
#include "proto/request.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static harness h;
static void setup(void)
{
    h_setup(&h);
    static const char *const accounts[] = {"512000", "606100", "706000"};
    h_open_accounts(&h, "alpha", accounts, 3);
}
static void teardown(void) { h_teardown(&h); }

TestSuite(post_after, .init = setup, .fini = teardown, .timeout = 60);

/* POST of one entry of `cents` into alpha by key k with request id `id`,
 * following `follows` (0: the field left out). */
static int post_one(enum h_key k, uint64_t id, uint64_t follows, const char *credit,
                    gl_response *resp)
{
    gl_line_in l[2];
    gl_entry_in e = h_entry2("alpha", 20250115, "606100", credit, 1000, l);
    gl_buf body;
    gl_buf_init(&body);
    h_post_body(&body, &e, 1);
    if (follows)
        gl_put_u64(&body, follows);
    cr_assert(gl_buf_ok(&body));
    int st = h_call(&h, k, GL_KIND_POST, "alpha", id, body.data, body.len, resp);
    gl_buf_free(&body);
    return st;
}

static void digest_unchanged(const uint8_t before[32], const char *what)
{
    uint8_t after[32];
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32), "%s changed the ledger", what);
}

Test(post_after, a_post_following_a_request_never_sent_is_refused_and_changes_nothing)
{
    uint8_t before[32];
    h_digest(&h, before);
    gl_response r;
    cr_assert_eq(post_one(K_ALPHA, 1001, 999999, "512000", &r), GL_ERR_PREDECESSOR_NOT_APPLIED);
    cr_expect(memmem(r.reply.detail.ptr, r.reply.detail.len, "request 999999", 14), "%.*s",
              (int)r.reply.detail.len, r.reply.detail.ptr);
    gl_response_free(&r);
    digest_unchanged(before, "a POST following nothing");
    cr_assert_eq(h_entry_count(&h, "alpha"), 0);
}

Test(post_after, a_post_following_a_refused_request_is_refused_too)
{
    gl_response r;
    /* 700000 is not open: the predecessor is refused */
    cr_assert_eq(post_one(K_ALPHA, 2001, 0, "700000", &r), GL_ERR_UNKNOWN_ACCOUNT);
    gl_response_free(&r);
    uint8_t before[32];
    h_digest(&h, before);
    cr_assert_eq(post_one(K_ALPHA, 2002, 2001, "512000", &r), GL_ERR_PREDECESSOR_NOT_APPLIED);
    gl_response_free(&r);
    digest_unchanged(before, "a POST following a refused one");
    /* the predecessor fixed and applied under the same id: the follower goes */
    cr_assert_eq(post_one(K_ALPHA, 2001, 0, "512000", &r), GL_OK);
    gl_response_free(&r);
    cr_assert_eq(post_one(K_ALPHA, 2002, 2001, "512000", &r), GL_OK);
    gl_response_free(&r);
    cr_assert_eq(h_entry_count(&h, "alpha"), 2);
}

Test(post_after, a_post_following_an_applied_request_is_applied_and_replays)
{
    gl_response r;
    cr_assert_eq(post_one(K_ALPHA, 3001, 0, "512000", &r), GL_OK);
    gl_response_free(&r);
    cr_assert_eq(post_one(K_ALPHA, 3002, 3001, "512000", &r), GL_OK);
    cr_assert_eq(r.reply.flags & GL_REPLY_REPLAYED, 0);
    gl_response_free(&r);
    cr_assert_eq(post_one(K_ALPHA, 3002, 3001, "512000", &r), GL_OK);
    cr_assert_neq(r.reply.flags & GL_REPLY_REPLAYED, 0, "the same request again is a replay");
    gl_response_free(&r);
    cr_assert_eq(h_entry_count(&h, "alpha"), 2);
    cr_assert_geq(h_verify_chains(&h), 0);
}

Test(post_after, another_key_s_applied_request_is_not_this_one_s_predecessor)
{
    gl_response r;
    cr_assert_eq(post_one(K_ACCOUNTANT, 4001, 0, "512000", &r), GL_OK);
    gl_response_free(&r);
    uint8_t before[32];
    h_digest(&h, before);
    cr_assert_eq(post_one(K_ALPHA, 4002, 4001, "512000", &r), GL_ERR_PREDECESSOR_NOT_APPLIED);
    gl_response_free(&r);
    digest_unchanged(before, "a POST following another key's request");
    cr_assert_eq(h_entry_count(&h, "alpha"), 1);
}

Test(post_after, follows_zero_is_malformed_and_changes_nothing)
{
    gl_line_in l[2];
    gl_entry_in e = h_entry2("alpha", 20250115, "606100", "512000", 1000, l);
    gl_buf body;
    gl_buf_init(&body);
    h_post_body(&body, &e, 1);
    gl_put_u64(&body, 0);
    uint8_t before[32];
    h_digest(&h, before);
    gl_response r;
    cr_assert_eq(h_call(&h, K_ALPHA, GL_KIND_POST, "alpha", 5001, body.data, body.len, &r),
                 GL_ERR_MALFORMED);
    gl_response_free(&r);
    /* one byte more than the field: left over, as any extra byte */
    gl_put_u8(&body, 0);
    body.data[body.len - 2] = 1;
    cr_assert_eq(h_call(&h, K_ALPHA, GL_KIND_POST, "alpha", 5002, body.data, body.len, &r),
                 GL_ERR_TRAILING_BYTES);
    gl_response_free(&r);
    gl_buf_free(&body);
    digest_unchanged(before, "a malformed follows field");
}
