/*
 * tests/integration/test_impairment_letter.c — issue 17: `impairment
 * --post` letters what it transfers.  Each doubtful item of 411 is moved
 * to 416000 by its own entry, under the invoice's piece reference, and
 * lettered with its transfer line in the LETTER_BATCH that follows the
 * POST: the customer's 411 is clean, 416 carries the items (aged balance,
 * reminders), the offline verifier passes, and a second run proposes
 * nothing (nor a run finding a transfer its predecessor did not letter).
 * An item carried by a detailed close is transferred under its invoice.
 */
#include "tests/support/harness.h"

#include "proto/carry.h"
#include "proto/query.h"
#include "proto/reply.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static harness h;

#define OUT_MAX (128 * 1024)
static char *out;

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

static void setup(void)
{
    h_setup(&h);
    out = malloc(OUT_MAX);
    cr_assert(out);
    gl_ok(K_ACCOUNTANT, "accounts load-chart --tenant alpha --year 2024");
    gl_ok(K_ACCOUNTANT, "accounts load-chart --tenant alpha --year 2025");
}

static void teardown(void)
{
    free(out);
    h_teardown(&h);
}

TestSuite(impairment_letter, .init = setup, .fini = teardown, .timeout = 240);

static void invoice(const char *date, const char *piece, const char *aux, const char *amount)
{
    gl_ok(K_ALPHA,
          "post --tenant alpha --date %s --journal VT --piece %s --label Facture "
          "--debit 411000:%s=%s --credit 706000=%s",
          date, piece, aux, amount, amount);
}

/* U3's F-1 (140,50) and F-2 (25,00), overdue by more than 180 days on
 * 2025-06-30 (terms 30 days); U1's F-3, recent. */
static void invoices(void)
{
    invoice("2024-11-01", "F-1", "U3", "140.50");
    invoice("2024-12-01", "F-2", "U3", "25.00");
    invoice("2025-06-01", "F-3", "U1", "10.00");
}

/* receivables --detail at 2025-06-30 (CSV) into out. */
static void detail(void)
{
    gl_ok(K_ACCOUNTANT, "receivables --tenant alpha --at 2025-06-30 --detail --format csv");
}

Test(impairment_letter, post_letters_each_transferred_item_and_a_rerun_proposes_nothing)
{
    invoices();
    gl_ok(K_ACCOUNTANT, "impairment --tenant alpha --at 2025-06-30 --format csv");
    cr_assert(strstr(out, "1,Transfert en créances douteuses,416000,U3,140.50,0.00") &&
                  strstr(out, "2,Transfert en créances douteuses,416000,U3,25.00,0.00"),
              "one transfer per item:\n%s", out);
    gl_ok(K_ACCOUNTANT, "impairment --tenant alpha --at 2025-06-30 --post");
    cr_assert_eq(h_balance(&h, "alpha", "416000", 20250630), 16550);
    detail();
    cr_assert(!strstr(out, "411000,U3,"), "U3's 411 items are still open:\n%s", out);
    cr_assert(strstr(out, "411000,U1,"), "%s", out);
    /* under their pieces, aged from their invoices */
    cr_assert(strstr(out, ",2024-11-01,2024-12-01,F-1,Transfert en créances douteuses,") &&
                  strstr(out, ",2024-12-01,2024-12-31,F-2,Transfert en créances douteuses,") &&
                  strstr(out, "416000,U3,"),
              "416 carries the items under their pieces:\n%s", out);
    cr_assert_gt(h_verify_chains(&h), 0);
    /* again: nothing twice */
    uint8_t d0[32], d1[32];
    h_digest(&h, d0);
    gl_ok(K_ACCOUNTANT, "impairment --tenant alpha --at 2025-06-30 --post");
    h_digest(&h, d1);
    cr_assert(!memcmp(d0, d1, 32), "a second run changed the ledger:\n%s", out);
    cr_assert(strstr(out, "already posted") && strstr(out, "nothing to post"), "%s", out);
}

Test(impairment_letter, a_run_stopped_before_its_letters_letters_them_without_a_second_transfer)
{
    invoices();
    /* what a run stopped between its POST and its LETTER_BATCH left */
    gl_ok(K_ACCOUNTANT,
          "post --tenant alpha --date 2025-06-30 --journal OD --piece F-1 "
          "--label 'Transfert en créances douteuses' --debit 416000:U3=140.50 "
          "--credit 411000:U3=140.50");
    gl_ok(K_ACCOUNTANT, "impairment --tenant alpha --at 2025-06-30 --rate 0 --post");
    cr_assert_eq(h_balance(&h, "alpha", "416000", 20250630), 16550, "F-1 transferred twice?");
    detail();
    cr_assert(!strstr(out, "411000,U3,"), "U3's 411 items are still open:\n%s", out);
    cr_assert_gt(h_verify_chains(&h), 0);
}

static void call_ok(uint16_t kind, gl_buf *b)
{
    gl_response r;
    int st = h_call(&h, K_ACCOUNTANT, kind, "alpha", 0, b->data, b->len, &r);
    cr_assert_eq(st, GL_OK, "%s %.*s", gl_status_name(st), (int)r.reply.detail.len,
                 r.reply.detail.ptr);
    gl_response_free(&r);
    b->len = 0;
}

Test(impairment_letter, a_carried_item_is_transferred_under_its_invoice)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_carry_mode_q mq = {{"411000", 6}, GL_CARRY_DETAILED};
    gl_carry_mode_q_encode(&b, &mq);
    call_ok(GL_KIND_CARRY_MODE_SET, &b);
    invoices();
    gl_lock_q lq = {202412, GL_LOCK_THROUGH};
    gl_lock_q_encode(&b, &lq);
    call_ok(GL_KIND_LOCK, &b);
    gl_close_q cq = {2024};
    gl_close_q_encode(&b, &cq);
    call_ok(GL_KIND_CLOSE_YEAR, &b);
    gl_buf_free(&b);
    detail();
    cr_assert(strstr(out, ",2024-11-01,2024-12-01,F-1,"), "F-1 aged from its invoice:\n%s", out);
    gl_ok(K_ACCOUNTANT, "impairment --tenant alpha --at 2025-06-30 --post");
    detail();
    cr_assert(!strstr(out, "411000,U3,"), "U3's carried items are still open:\n%s", out);
    cr_assert(strstr(out, ",F-1,Transfert en créances douteuses,") &&
                  strstr(out, ",F-2,Transfert en créances douteuses,"),
              "%s", out);
    cr_assert_gt(h_verify_chains(&h), 0);
}
