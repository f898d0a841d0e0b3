/*
 * tests/integration/test_durability.c — an acknowledged entry survives
 * SIGKILL: post, kill -9 right after the acknowledgements, restart, and every
 * acknowledged entry is there exactly once with a valid hash chain; a retry
 * with the same request id after the kill gets the original reply.
 */
#include "tests/support/harness.h"

#include "proto/query.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <string.h>

static harness h;
static void setup(void)
{
    h_setup(&h);
    static const char *const accounts[] = {"512000", "606100"};
    h_open_accounts(&h, "alpha", accounts, 2);
}
static void teardown(void) { h_teardown(&h); }

TestSuite(durability, .init = setup, .fini = teardown, .timeout = 120);

Test(durability, acknowledged_entries_survive_sigkill)
{
    int64_t expected = 0;
    long acked = 0;
    for (int round = 0; round < 5; round++) {
        for (int i = 0; i < 40; i++) {
            gl_line_in l[2];
            gl_entry_in e =
                h_entry2("alpha", 20250101 + (uint32_t)(i % 28), "606100", "512000", 100 + i, l);
            gl_response r;
            if (h_post(&h, K_ALPHA, &e, 1, &r) == GL_OK) {
                expected += 100 + i;
                acked++;
            }
            gl_response_free(&r);
        }
        h_kill9(&h);
        cr_assert_eq(h_entry_count(&h, "alpha"), acked, "entries lost or duplicated after kill -9");
        cr_assert_gt(h_verify_chains(&h), 0, "hash chain broken after kill -9");
        h_start(&h);
        cr_assert_eq(h_balance(&h, "alpha", "606100", 20251231), expected);
    }
    cr_assert_eq(acked, 200);
}

Test(durability, retry_after_kill_gets_the_original_reply)
{
    gl_line_in l[2];
    gl_entry_in e = h_entry2("alpha", 20250301, "606100", "512000", 1234, l);
    gl_buf body;
    h_post_body(&body, &e, 1);
    gl_response r1, r2;
    cr_assert_eq(h_call(&h, K_ALPHA, GL_KIND_POST, "alpha", 99, body.data, body.len, &r1), GL_OK);
    h_kill9(&h);
    h_start(&h);
    cr_assert_eq(h_call(&h, K_ALPHA, GL_KIND_POST, "alpha", 99, body.data, body.len, &r2), GL_OK);
    cr_assert(r2.reply.flags & GL_REPLY_REPLAYED);
    cr_assert_eq(r1.reply.body_len, r2.reply.body_len);
    cr_assert(!memcmp(r1.reply.body, r2.reply.body, r1.reply.body_len));
    cr_assert_eq(h_entry_count(&h, "alpha"), 1);
    cr_assert_eq(h_balance(&h, "alpha", "606100", 20251231), 1234);
    gl_response_free(&r1);
    gl_response_free(&r2);
    gl_buf_free(&body);
}

Test(durability, sigterm_stops_cleanly_and_keeps_everything)
{
    gl_line_in l[2];
    gl_entry_in e = h_entry2("alpha", 20250301, "606100", "512000", 1, l);
    gl_response r;
    cr_assert_eq(h_post(&h, K_ALPHA, &e, 1, &r), GL_OK);
    gl_response_free(&r);
    h_stop(&h);
    cr_assert_eq(h_entry_count(&h, "alpha"), 1);
    h_start(&h);
    cr_assert_eq(h_balance(&h, "alpha", "606100", 20251231), 1);
}
