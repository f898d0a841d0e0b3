/*
 * tests/unit/test_bank_rule_entry.c — client/bank/rule_entry.c: the POST
 * body of a rule's entry decodes to one balanced entry of two lines, the
 * bank account first (debited when money came in, credited when it went
 * out), the counterpart second, labelled, dated, in the rule's journal
 * with the piece given; a line of 0 gives no body; the BANK_MATCH body is
 * one set: the bank line with line 1 of the entry posted.
 */
#include "client/bank/rule_entry.h"

#include "proto/entry.h"
#include "proto/query.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

static gl_rule_entry fees(int64_t cents)
{
    gl_rule_entry e;
    memset(&e, 0, sizeof e);
    e.date = 20250110;
    e.amount_cents = cents;
    strcpy(e.journal, "BQ");
    strcpy(e.piece, "R2");
    strcpy(e.label, "FRAIS TENUE DE COMPTE");
    strcpy(e.bank_account, "512000");
    strcpy(e.counterpart, "627800");
    return e;
}

/* The lines of the one entry of a POST body as "ACCOUNT:SIDE:CENTS;". */
static void lines_of(const gl_buf *b, gl_entry *e, char *out, size_t cap)
{
    gl_post p;
    uint32_t bad = 0;
    cr_assert_eq(gl_post_decode(b->data, b->len, &p, &bad), GL_OK, "item %u", bad);
    cr_assert_eq(p.count, 1);
    gl_item_iter items;
    gl_post_iter_init(&items, &p);
    cr_assert(gl_post_next(&items, e));
    cr_assert_eq(gl_entry_check(e, &bad), GL_OK, "line %u", bad);
    gl_line_iter it;
    gl_line l;
    size_t n = 0;
    out[0] = '\0';
    gl_line_iter_init(&it, e);
    while (gl_line_next(&it, &l))
        n += (size_t)snprintf(out + n, cap - n, "%.*s:%c:%lld;", (int)l.account.len, l.account.ptr,
                              l.side, (long long)l.amount_cents);
}

Test(bank_rule_entry, fees_paid_credit_the_bank_and_debit_the_counterpart)
{
    gl_rule_entry e = fees(-550);
    gl_buf b;
    gl_buf_init(&b);
    cr_assert_eq(gl_rule_entry_post_body(&b, "alpha", &e), GL_OK);
    gl_entry en;
    char out[200];
    lines_of(&b, &en, out, sizeof out);
    cr_expect_str_eq(out, "512000:C:550;627800:D:550;");
    cr_expect_eq(en.date, 20250110);
    cr_expect(gl_str_eq(en.journal, "BQ"));
    cr_expect(gl_str_eq(en.piece_ref, "R2"));
    cr_expect(gl_str_eq(en.label, "FRAIS TENUE DE COMPTE"));
    gl_buf_free(&b);
}

Test(bank_rule_entry, money_in_debits_the_bank)
{
    gl_rule_entry e = fees(1234);
    strcpy(e.counterpart, "768000");
    gl_buf b;
    gl_buf_init(&b);
    cr_assert_eq(gl_rule_entry_post_body(&b, "alpha", &e), GL_OK);
    gl_entry en;
    char out[200];
    lines_of(&b, &en, out, sizeof out);
    cr_expect_str_eq(out, "512000:D:1234;768000:C:1234;");
    gl_buf_free(&b);
}

Test(bank_rule_entry, a_line_of_zero_gives_no_body)
{
    gl_rule_entry e = fees(0);
    gl_buf b;
    gl_buf_init(&b);
    cr_expect_eq(gl_rule_entry_post_body(&b, "alpha", &e), GL_ERR_AMOUNT_NOT_POSITIVE);
    cr_expect_eq(b.len, 0);
    e = fees(INT64_MIN);
    cr_expect_eq(gl_rule_entry_post_body(&b, "alpha", &e), GL_ERR_AMOUNT_NOT_POSITIVE);
    cr_expect_eq(b.len, 0);
    gl_buf_free(&b);
}

Test(bank_rule_entry, the_match_is_the_bank_line_with_line_one_of_the_entry)
{
    gl_rule_entry e = fees(-550);
    gl_buf b;
    gl_buf_init(&b);
    gl_rule_entry_match_body(&b, &e, 7, 2025, 42);
    gl_bank_match_q q;
    uint32_t bad = 0;
    cr_assert_eq(gl_bank_match_q_decode(b.data, b.len, &q, &bad), GL_OK, "set %u", bad);
    cr_expect(gl_str_eq(q.account, "512000"));
    cr_assert_eq(q.count, 1);
    size_t pos = 0;
    gl_bank_match_set s;
    cr_assert(gl_bank_match_next(&q, &pos, &s));
    cr_assert_eq(s.nbank, 1);
    cr_assert_eq(s.nbook, 1);
    cr_expect_eq(gl_bank_match_seq(&s, 0), 7);
    gl_line_ref ref = gl_bank_match_ref(&s, 0);
    cr_expect_eq(ref.fy, 2025);
    cr_expect_eq(ref.num, 42);
    cr_expect_eq(ref.line, GL_RULE_ENTRY_BANK_LINE);
    cr_expect(!gl_bank_match_next(&q, &pos, &s));
    gl_buf_free(&b);
}
