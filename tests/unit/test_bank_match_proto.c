/*
 * tests/unit/test_bank_match_proto.c — proto/bank_match: round trips of
 * every body, reply and row, and each refusal of each decoder (with
 * bad_item where there is one), truncation at every length.
 */
#include "proto/bank_match.h"
#include "proto/limits.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <criterion/criterion.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const gl_str acct = {"512000", 6};

/* Exact-size heap copy so ASan catches any over-read. */
static uint8_t *dup_bytes(const uint8_t *p, size_t n)
{
    uint8_t *d = malloc(n ? n : 1);
    cr_assert_not_null(d);
    if (n)
        memcpy(d, p, n);
    return d;
}

static const uint32_t seqs3[] = {7, 8, 9};
static const gl_line_ref refs3[] = {{2026, 12, 1}, {2026, 13, 2}, {2025, 400, 3}};

/* A BANK_MATCH body of `count` sets: set i has i%3+1 bank seqs and
 * 3-i%3 ledger lines. */
static void match_body(gl_buf *b, uint16_t count)
{
    gl_buf_init(b);
    gl_bank_match_q_head(b, acct, count);
    for (uint16_t i = 0; i < count; i++)
        gl_bank_match_set_put(b, seqs3, (uint8_t)(i % 3 + 1), refs3, (uint8_t)(3 - i % 3));
}

static int match_decode(const uint8_t *p, size_t len, gl_bank_match_q *q, uint32_t *bad)
{
    uint8_t *d = dup_bytes(p, len);
    *bad = 12345;
    int st = gl_bank_match_q_decode(d, len, q, bad);
    free(d);
    return st;
}

Test(bank_match_proto, match_round_trip)
{
    gl_buf b;
    match_body(&b, 4);
    gl_bank_match_q q;
    uint32_t bad;
    cr_assert_eq(gl_bank_match_q_decode(b.data, b.len, &q, &bad), GL_OK);
    cr_expect_eq(bad, 0u);
    cr_expect(gl_str_eq(q.account, "512000"));
    cr_expect_eq(q.count, 4);
    size_t pos = 0;
    gl_bank_match_set s;
    for (uint16_t i = 0; i < 4; i++) {
        cr_assert(gl_bank_match_next(&q, &pos, &s));
        cr_expect_eq(s.nbank, i % 3 + 1);
        cr_expect_eq(s.nbook, 3 - i % 3);
        for (uint8_t k = 0; k < s.nbank; k++)
            cr_expect_eq(gl_bank_match_seq(&s, k), seqs3[k]);
        for (uint8_t k = 0; k < s.nbook; k++) {
            gl_line_ref r = gl_bank_match_ref(&s, k);
            cr_expect(r.fy == refs3[k].fy && r.num == refs3[k].num && r.line == refs3[k].line);
        }
    }
    cr_expect_not(gl_bank_match_next(&q, &pos, &s));
    gl_buf_free(&b);
}

Test(bank_match_proto, match_truncated_and_trailing)
{
    gl_buf b;
    match_body(&b, 3);
    gl_bank_match_q q;
    uint32_t bad;
    for (size_t n = 0; n < b.len; n++)
        cr_expect_eq(match_decode(b.data, n, &q, &bad), GL_ERR_MALFORMED, "len %zu", n);
    gl_put_u8(&b, 0);
    cr_expect_eq(match_decode(b.data, b.len, &q, &bad), GL_ERR_TRAILING_BYTES);
    gl_buf_free(&b);
}

Test(bank_match_proto, match_count_limits)
{
    gl_buf b;
    gl_bank_match_q q;
    uint32_t bad;
    match_body(&b, 0);
    cr_expect_eq(match_decode(b.data, b.len, &q, &bad), GL_ERR_COUNT_LIMIT);
    cr_expect_eq(bad, 0u);
    gl_buf_free(&b);
    match_body(&b, GL_BANK_MATCH_BATCH_MAX);
    cr_expect_eq(match_decode(b.data, b.len, &q, &bad), GL_OK);
    gl_buf_free(&b);
    match_body(&b, GL_BANK_MATCH_BATCH_MAX + 1);
    cr_expect_eq(match_decode(b.data, b.len, &q, &bad), GL_ERR_COUNT_LIMIT);
    cr_expect_eq(bad, 0u);
    gl_buf_free(&b);
}

/* Two good sets, then the third built by `bad_set`: refused with bad_item 3. */
static void expect_third_refused(void (*bad_set)(gl_buf *), int want)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_bank_match_q_head(&b, acct, 3);
    gl_bank_match_set_put(&b, seqs3, 1, refs3, 1);
    gl_bank_match_set_put(&b, seqs3, 3, refs3, 2);
    bad_set(&b);
    gl_bank_match_q q;
    uint32_t bad;
    cr_expect_eq(match_decode(b.data, b.len, &q, &bad), want);
    cr_expect_eq(bad, 3u);
    gl_buf_free(&b);
}

static void set_no_bank(gl_buf *b) { gl_bank_match_set_put(b, seqs3, 0, refs3, 1); }
static void set_no_book(gl_buf *b) { gl_bank_match_set_put(b, seqs3, 1, refs3, 0); }
static void set_too_many_bank(gl_buf *b)
{
    uint32_t seqs[GL_BANK_MATCH_SIDE_MAX + 1];
    for (uint32_t i = 0; i <= GL_BANK_MATCH_SIDE_MAX; i++)
        seqs[i] = i + 1;
    gl_bank_match_set_put(b, seqs, GL_BANK_MATCH_SIDE_MAX + 1, refs3, 1);
}
static void set_too_many_book(gl_buf *b)
{
    gl_line_ref refs[GL_BANK_MATCH_SIDE_MAX + 1];
    for (uint16_t i = 0; i <= GL_BANK_MATCH_SIDE_MAX; i++)
        refs[i] = (gl_line_ref){2026, 1, (uint16_t)(i + 1)};
    gl_bank_match_set_put(b, seqs3, 1, refs, GL_BANK_MATCH_SIDE_MAX + 1);
}
static void put_one_ref(gl_buf *b, gl_line_ref r) { gl_bank_match_set_put(b, seqs3, 1, &r, 1); }
static void set_line_zero(gl_buf *b) { put_one_ref(b, (gl_line_ref){2026, 5, 0}); }
static void set_num_zero(gl_buf *b) { put_one_ref(b, (gl_line_ref){2026, 0, 1}); }
static void set_fy_zero(gl_buf *b) { put_one_ref(b, (gl_line_ref){0, 5, 1}); }
static void set_cut(gl_buf *b)
{
    gl_put_u8(b, 2);
    gl_put_u32(b, 1);
}

Test(bank_match_proto, match_set_refusals_name_the_set)
{
    expect_third_refused(set_no_bank, GL_ERR_COUNT_LIMIT);
    expect_third_refused(set_no_book, GL_ERR_COUNT_LIMIT);
    expect_third_refused(set_too_many_bank, GL_ERR_COUNT_LIMIT);
    expect_third_refused(set_too_many_book, GL_ERR_COUNT_LIMIT);
    expect_third_refused(set_line_zero, GL_ERR_MALFORMED);
    expect_third_refused(set_num_zero, GL_ERR_MALFORMED);
    expect_third_refused(set_fy_zero, GL_ERR_MALFORMED);
    expect_third_refused(set_cut, GL_ERR_MALFORMED);
}

Test(bank_match_proto, match_side_max_accepted)
{
    gl_buf b;
    gl_buf_init(&b);
    uint32_t seqs[GL_BANK_MATCH_SIDE_MAX];
    gl_line_ref refs[GL_BANK_MATCH_SIDE_MAX];
    for (uint16_t i = 0; i < GL_BANK_MATCH_SIDE_MAX; i++) {
        seqs[i] = i + 1u;
        refs[i] = (gl_line_ref){2026, 1, (uint16_t)(i + 1)};
    }
    gl_bank_match_q_head(&b, acct, 1);
    gl_bank_match_set_put(&b, seqs, GL_BANK_MATCH_SIDE_MAX, refs, GL_BANK_MATCH_SIDE_MAX);
    gl_bank_match_q q;
    uint32_t bad;
    cr_expect_eq(match_decode(b.data, b.len, &q, &bad), GL_OK);
    gl_buf_free(&b);
}

Test(bank_match_proto, match_account_refusals)
{
    gl_buf b;
    gl_buf_init(&b);
    char longacct[GL_ACCOUNT_MAX + 1];
    memset(longacct, '5', sizeof longacct);
    gl_put_str8(&b, longacct, sizeof longacct);
    gl_put_u16(&b, 1);
    gl_bank_match_set_put(&b, seqs3, 1, refs3, 1);
    gl_bank_match_q q;
    uint32_t bad;
    cr_expect_eq(match_decode(b.data, b.len, &q, &bad), GL_ERR_STRING_TOO_LONG);
    cr_expect_eq(bad, 0u);
    gl_buf_reset(&b);
    gl_put_str8(&b, "51\x01", 3);
    gl_put_u16(&b, 1);
    gl_bank_match_set_put(&b, seqs3, 1, refs3, 1);
    cr_expect_eq(match_decode(b.data, b.len, &q, &bad), GL_ERR_STRING_INVALID);
    gl_buf_free(&b);
}

Test(bank_match_proto, match_reply_round_trip)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_bank_match_reply_encode(&b, &(gl_bank_match_reply){.first_match = 41, .count = 3});
    gl_bank_match_reply r;
    cr_assert_eq(gl_bank_match_reply_decode(b.data, b.len, &r), GL_OK);
    cr_expect_eq(r.first_match, 41u);
    cr_expect_eq(r.count, 3);
    cr_expect_eq(gl_bank_match_reply_decode(b.data, b.len - 1, &r), GL_ERR_MALFORMED);
    gl_put_u8(&b, 0);
    cr_expect_eq(gl_bank_match_reply_decode(b.data, b.len, &r), GL_ERR_TRAILING_BYTES);
    gl_buf_free(&b);
}

Test(bank_match_proto, match_event_round_trip)
{
    gl_buf body, ev;
    match_body(&body, 2);
    gl_bank_match_q q;
    uint32_t bad;
    cr_assert_eq(gl_bank_match_q_decode(body.data, body.len, &q, &bad), GL_OK);
    gl_buf_init(&ev);
    gl_bank_match_event_encode(&ev, q.account, 17, &q);
    uint32_t first = 0;
    gl_bank_match_q e;
    cr_assert_eq(gl_bank_match_event_decode(ev.data, ev.len, &first, &e), GL_OK);
    cr_expect_eq(first, 17u);
    cr_expect(gl_str_eq(e.account, "512000"));
    cr_expect_eq(e.count, 2);
    cr_expect_eq(e.len, q.len);
    cr_expect_eq(memcmp(e.sets, q.sets, q.len), 0);
    for (size_t n = 0; n < ev.len; n++) {
        uint8_t *d = dup_bytes(ev.data, n);
        cr_expect_eq(gl_bank_match_event_decode(d, n, &first, &e), GL_ERR_MALFORMED);
        free(d);
    }
    gl_put_u8(&ev, 0);
    cr_expect_eq(gl_bank_match_event_decode(ev.data, ev.len, &first, &e), GL_ERR_TRAILING_BYTES);
    gl_buf_free(&ev);
    gl_buf_free(&body);
}

Test(bank_match_proto, unmatch)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_bank_unmatch_q_encode(&b, &(gl_bank_unmatch_q){acct, 9});
    gl_bank_unmatch_q q;
    cr_assert_eq(gl_bank_unmatch_q_decode(b.data, b.len, &q), GL_OK);
    cr_expect(gl_str_eq(q.account, "512000"));
    cr_expect_eq(q.match, 9u);
    for (size_t n = 0; n < b.len; n++)
        cr_expect_eq(gl_bank_unmatch_q_decode(b.data, n, &q), GL_ERR_MALFORMED);
    gl_put_u8(&b, 0);
    cr_expect_eq(gl_bank_unmatch_q_decode(b.data, b.len, &q), GL_ERR_TRAILING_BYTES);
    gl_buf_reset(&b);
    gl_bank_unmatch_q_encode(&b, &(gl_bank_unmatch_q){acct, 0});
    cr_expect_eq(gl_bank_unmatch_q_decode(b.data, b.len, &q), GL_ERR_MALFORMED);
    gl_buf_free(&b);
}

Test(bank_match_proto, matches_query)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_bank_matches_q_encode(&b, &(gl_bank_matches_q){acct, 5, GL_BANK_PAGE_MAX});
    gl_bank_matches_q q;
    cr_assert_eq(gl_bank_matches_q_decode(b.data, b.len, &q), GL_OK);
    cr_expect_eq(q.after, 5u);
    cr_expect_eq(q.limit, GL_BANK_PAGE_MAX);
    for (size_t n = 0; n < b.len; n++)
        cr_expect_eq(gl_bank_matches_q_decode(b.data, n, &q), GL_ERR_MALFORMED);
    gl_put_u8(&b, 0);
    cr_expect_eq(gl_bank_matches_q_decode(b.data, b.len, &q), GL_ERR_TRAILING_BYTES);
    gl_buf_reset(&b);
    gl_bank_matches_q_encode(&b, &(gl_bank_matches_q){acct, 0, 0});
    cr_expect_eq(gl_bank_matches_q_decode(b.data, b.len, &q), GL_ERR_COUNT_LIMIT);
    gl_buf_reset(&b);
    gl_bank_matches_q_encode(&b, &(gl_bank_matches_q){acct, 0, GL_BANK_PAGE_MAX + 1});
    cr_expect_eq(gl_bank_matches_q_decode(b.data, b.len, &q), GL_ERR_COUNT_LIMIT);
    gl_buf_free(&b);
}

Test(bank_match_proto, match_row)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_bank_match_row_put(&b, 3, GL_BANK_MATCH_UNDONE, 0x0102030405060708ull, seqs3, 2, refs3, 3);
    gl_cur c;
    gl_cur_init(&c, b.data, b.len);
    gl_bank_match_row r;
    cr_assert_eq(gl_bank_match_row_get(&c, &r), GL_OK);
    cr_expect_eq(gl_cur_end(&c), GL_OK);
    cr_expect_eq(r.match, 3u);
    cr_expect_eq(r.state, GL_BANK_MATCH_UNDONE);
    cr_expect_eq(r.envelope, 0x0102030405060708ull);
    cr_expect_eq(r.set.nbank, 2);
    cr_expect_eq(r.set.nbook, 3);
    cr_expect_eq(gl_bank_match_seq(&r.set, 1), 8u);
    cr_expect_eq(gl_bank_match_ref(&r.set, 2).num, 400u);
    for (size_t n = 0; n < b.len; n++) {
        gl_cur_init(&c, b.data, n);
        cr_expect_eq(gl_bank_match_row_get(&c, &r), GL_ERR_MALFORMED);
    }
    b.data[4] = 3; /* an unknown state */
    gl_cur_init(&c, b.data, b.len);
    cr_expect_eq(gl_bank_match_row_get(&c, &r), GL_ERR_MALFORMED);
    gl_buf_free(&b);
}

Test(bank_match_proto, recon_query)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_bank_recon_q_encode(&b, &(gl_bank_recon_q){acct, 20261231, GL_BANK_RECON_LINES});
    gl_bank_recon_q q;
    cr_assert_eq(gl_bank_recon_q_decode(b.data, b.len, &q), GL_OK);
    cr_expect_eq(q.at, 20261231u);
    cr_expect_eq(q.flags, GL_BANK_RECON_LINES);
    for (size_t n = 0; n < b.len; n++)
        cr_expect_eq(gl_bank_recon_q_decode(b.data, n, &q), GL_ERR_MALFORMED);
    gl_put_u8(&b, 0);
    cr_expect_eq(gl_bank_recon_q_decode(b.data, b.len, &q), GL_ERR_TRAILING_BYTES);
    gl_buf_reset(&b);
    gl_bank_recon_q_encode(&b, &(gl_bank_recon_q){acct, 20260231, 0});
    cr_expect_eq(gl_bank_recon_q_decode(b.data, b.len, &q), GL_ERR_BAD_DATE);
    gl_buf_reset(&b);
    gl_bank_recon_q_encode(&b, &(gl_bank_recon_q){acct, 0, 0});
    cr_expect_eq(gl_bank_recon_q_decode(b.data, b.len, &q), GL_ERR_BAD_DATE);
    gl_buf_reset(&b);
    gl_bank_recon_q_encode(&b, &(gl_bank_recon_q){acct, 20261231, 0x02});
    cr_expect_eq(gl_bank_recon_q_decode(b.data, b.len, &q), GL_ERR_RESERVED_NONZERO);
    gl_buf_free(&b);
}

Test(bank_match_proto, recon_reply_rows)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_bank_recon_head h = {20260101, 1, -12345, 500000, -INT64_C(720575940379279), 20260331};
    gl_bank_recon_head_put(&b, &h);
    gl_bank_line_w l = {.booking = 20260105,
                        .value = 20260106,
                        .amount_cents = -4250,
                        .label = {"FRAIS", 5},
                        .bank_ref = {"R1", 2},
                        .source_line = 12};
    gl_bank_recon_bank_put(&b, 77, &l);
    gl_bank_book_row br = {{2026, 31, 2}, 20260107, 12000, {"BQ", 2}, {"CHQ 1234", 8}, {"Don", 3}};
    gl_bank_book_row_put(&b, &br);
    size_t full = b.len;

    gl_cur c;
    gl_cur_init(&c, b.data, full);
    gl_bank_recon_head h2;
    uint32_t seq;
    gl_bank_line_w l2;
    gl_bank_book_row br2;
    cr_assert_eq(gl_bank_recon_head_get(&c, &h2), GL_OK);
    cr_assert_eq(gl_bank_recon_bank_get(&c, &seq, &l2), GL_OK);
    cr_assert_eq(gl_bank_book_row_get(&c, &br2), GL_OK);
    cr_expect_eq(gl_cur_end(&c), GL_OK);
    cr_expect(h2.start == h.start && h2.flags == 1 && h2.bank_opening_cents == -12345 &&
              h2.bank_at_cents == 500000 && h2.books_at_cents == h.books_at_cents &&
              h2.last_statement == 20260331);
    cr_expect(seq == 77 && l2.amount_cents == -4250 && l2.booking == 20260105 &&
              gl_str_eq(l2.label, "FRAIS") && l2.source_line == 12);
    cr_expect(br2.ref.fy == 2026 && br2.ref.num == 31 && br2.ref.line == 2);
    cr_expect(br2.date == 20260107 && br2.amount_cents == 12000);
    cr_expect(gl_str_eq(br2.journal, "BQ") && gl_str_eq(br2.piece, "CHQ 1234") &&
              gl_str_eq(br2.label, "Don"));
    for (size_t n = 0; n < full; n++) {
        gl_cur_init(&c, b.data, n);
        gl_bank_recon_head_get(&c, &h2);
        gl_bank_recon_bank_get(&c, &seq, &l2);
        cr_expect_eq(gl_bank_book_row_get(&c, &br2), GL_ERR_MALFORMED, "len %zu", n);
    }
    gl_buf_free(&b);
}

Test(bank_match_proto, book_row_journal_too_long)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_bank_book_row br = {{2026, 1, 1}, 20260107, 1, {"ABCDEFGHI", 9}, {"", 0}, {"", 0}};
    gl_bank_book_row_put(&b, &br);
    gl_cur c;
    gl_cur_init(&c, b.data, b.len);
    cr_expect_eq(gl_bank_book_row_get(&c, &br), GL_ERR_STRING_TOO_LONG);
    gl_buf_free(&b);
}
