/*
 * tests/unit/test_reply.c — proto/reply.h, the reply bodies of kinds 1-15
 * and 18: for each, the sample body (tests/fuzz/reply_cases.h) decodes and
 * re-encodes row by row to exactly its bytes; every truncation is refused
 * MALFORMED (but where a field is documented as absent in older bodies);
 * bytes appended after the known fields are ignored (PROTOCOL.md §3); the
 * bytes the daemon wrote by hand before the codecs are still the bytes.
 */
#include "tests/fuzz/reply_cases.h"

#include "proto/query.h"

#include <criterion/criterion.h>

#include <stdio.h>

static gl_str view(const gl_buf *b) { return gl_reply_view(b->data, b->len); }

static void sample(int k, gl_buf *b)
{
    gl_buf_init(b);
    reply_case_sample(k, b);
    cr_assert(gl_buf_ok(b) && b->len > 0, "%s: sample", reply_case_name[k]);
}

Test(reply, every_sample_round_trips)
{
    for (int k = 0; k < RC_COUNT; k++) {
        gl_buf b, out;
        sample(k, &b);
        gl_buf_init(&out);
        cr_assert_eq(reply_case_roundtrip(k, view(&b), &out), GL_OK, "%s", reply_case_name[k]);
        cr_assert(gl_buf_ok(&out) && out.len == b.len && memcmp(out.data, b.data, b.len) == 0, "%s",
                  reply_case_name[k]);
        gl_buf_free(&out);
        gl_buf_free(&b);
    }
}

/* Where a cut still decodes: ENVELOPE is any bytes; PERIODS without its
 * last 8 bytes is a body of a daemon from before the overdue months. */
static bool cut_decodes(int k, size_t cut, size_t len)
{
    return k == RC_ENVELOPE || (k == RC_PERIODS && cut >= len - 8);
}

Test(reply, every_truncation_is_refused)
{
    for (int k = 0; k < RC_COUNT; k++) {
        gl_buf b;
        sample(k, &b);
        for (size_t cut = 0; cut < b.len; cut++) {
            gl_buf out;
            gl_buf_init(&out);
            int st = reply_case_roundtrip(k, gl_reply_view(b.data, cut), &out);
            if (cut_decodes(k, cut, b.len))
                cr_assert_eq(st, GL_OK, "%s cut at %zu", reply_case_name[k], cut);
            else
                cr_assert_eq(st, GL_ERR_MALFORMED, "%s cut at %zu of %zu: %d", reply_case_name[k],
                             cut, b.len, st);
            gl_buf_free(&out);
        }
        gl_buf_free(&b);
    }
}

Test(reply, trailing_bytes_are_ignored)
{
    for (int k = 0; k < RC_COUNT; k++) {
        if (k == RC_ENVELOPE) /* the whole body is the request */
            continue;
        gl_buf b, out;
        sample(k, &b);
        size_t len = b.len;
        gl_put_bytes(&b, "\x01\x02\x03\x04\x05\x06\x07\x08\x09", 9);
        gl_buf_init(&out);
        cr_assert_eq(reply_case_roundtrip(k, view(&b), &out), GL_OK, "%s", reply_case_name[k]);
        cr_assert(out.len == len && memcmp(out.data, b.data, len) == 0, "%s", reply_case_name[k]);
        gl_buf_free(&out);
        gl_buf_free(&b);
    }
}

/* The example: `fec export` tolerated a PERIODS field appended
 * after the rows and `statements` refused it.  Now one decoder: a body
 * with the overdue months and one more field, a body without them (an
 * older daemon), both decode, with the same rows. */
Test(reply, periods_old_and_grown_bodies_decode_alike)
{
    gl_buf b;
    sample(RC_PERIODS, &b);
    gl_reply_periods now, old, grown;
    cr_assert_eq(gl_reply_periods_decode(view(&b), &now), GL_OK);
    cr_assert(now.has_overdue);
    cr_assert_eq(now.overdue_from, 202501);
    cr_assert_eq(now.overdue_through, 202503);
    cr_assert_eq(gl_reply_periods_decode(gl_reply_view(b.data, b.len - 8), &old), GL_OK);
    cr_assert(!old.has_overdue);
    cr_assert_eq(old.overdue_from, 0);
    gl_put_u32(&b, 0xdeadbeef); /* a field of a later version */
    cr_assert_eq(gl_reply_periods_decode(view(&b), &grown), GL_OK);
    cr_assert_eq(grown.overdue_through, 202503);
    cr_assert_eq(old.count, 2);
    cr_assert_eq(grown.count, 2);
    gl_reply_periods_iter it;
    gl_reply_periods_row row;
    gl_reply_periods_iter_init(&it, &old);
    cr_assert_eq(gl_reply_periods_next(&it, &row), 1);
    cr_assert_eq(row.fy, 2024);
    cr_assert_eq(row.result_cents, 4567);
    cr_assert_eq(gl_reply_periods_next(&it, &row), 1);
    cr_assert_eq(row.fy, 2025);
    cr_assert_eq(gl_reply_periods_next(&it, &row), 0);
    gl_buf_free(&b);
}

/* Text in a reply passes the stored-text rule: a control byte is refused
 * with the string status, not read as text. */
Test(reply, bad_text_in_a_row_is_refused)
{
    gl_buf b;
    gl_buf_init(&b);
    size_t at = gl_reply_accounts_list_begin(&b);
    gl_reply_accounts_list_row row = {{"512000", 6}, {"Ban\x01que", 7}, 1};
    gl_reply_accounts_list_put_row(&b, &row);
    gl_reply_accounts_list_end(&b, at, 1);
    gl_reply_accounts_list r;
    cr_assert_eq(gl_reply_accounts_list_decode(view(&b), &r), GL_ERR_STRING_INVALID);
    gl_buf_free(&b);
}

/* A count that promises more rows than the body holds is refused up front,
 * before any row is handed out. */
Test(reply, count_past_the_rows_is_refused)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_reply_post_begin(&b, 1000000);
    gl_reply_post_row row = {2025, 1};
    gl_reply_post_put_row(&b, &row);
    gl_reply_post r;
    cr_assert_eq(gl_reply_post_decode(view(&b), &r), GL_ERR_MALFORMED);
    gl_buf_free(&b);
}

/* A JOURNAL row whose entry does not decode (a line count past its lines)
 * is refused with the entry decoder's status. */
Test(reply, journal_row_with_a_broken_entry_is_refused)
{
    gl_buf b;
    sample(RC_JOURNAL, &b);
    /* 19 header bytes, fy 2, num 4, recorded_ms 8, signer 32, entry_len 4:
     * the entry starts at 69; drop its last byte and fix entry_len. */
    uint32_t len = gl_rd32(b.data + 65);
    gl_be32(b.data + 65, len - 1);
    gl_reply_journal r;
    cr_assert_eq(gl_reply_journal_decode(gl_reply_view(b.data, b.len - 1), false, &r),
                 GL_ERR_MALFORMED);
    gl_buf_free(&b);
}

/* PROTOCOL.md §11.2: the PING reply body of the worked example, byte for
 * byte (now_ms 0, the accountant's key). */
Test(reply, ping_worked_example)
{
    static const uint8_t body[] = {0x0f, 'g',  'r',  'a',  'n',  'd',  'l',  'i',  'v',  'r',  'e',
                                   'd',  ' ',  '0',  '.',  '1',  0,    0,    0,    0,    0,    0,
                                   0,    0,    0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
                                   0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x02, 0x00, 0x0a, 'a',
                                   'c',  'c',  'o',  'u',  'n',  't',  'a',  'n',  't'};
    gl_reply_ping p;
    cr_assert_eq(gl_reply_ping_decode(gl_reply_view(body, sizeof body), &p), GL_OK);
    cr_assert_eq(p.role, 2);
    cr_assert(gl_str_eq(p.key_name, "accountant"));
    gl_buf b;
    gl_buf_init(&b);
    gl_reply_ping_encode(&b, &p);
    cr_assert(b.len == sizeof body && memcmp(b.data, body, sizeof body) == 0);
    gl_buf_free(&b);
}

/* PROTOCOL.md §11.2: the POST reply body (count 1, 2025/1). */
Test(reply, post_worked_example)
{
    static const uint8_t body[] = {0, 0, 0, 1, 0x07, 0xe9, 0, 0, 0, 1};
    gl_buf b;
    gl_buf_init(&b);
    gl_reply_post_begin(&b, 1);
    gl_reply_post_row row = {2025, 1};
    gl_reply_post_put_row(&b, &row);
    cr_assert(b.len == sizeof body && memcmp(b.data, body, sizeof body) == 0);
    gl_buf_free(&b);
}

/* The layouts the daemon wrote by hand before the codecs, field by field:
 * the encoders give the same bytes. */
Test(reply, encoders_write_the_documented_layouts)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_reply_close_year cy = {2024, 120, 2025, 1, -4567};
    gl_reply_close_year_encode(&b, &cy);
    gl_buf m;
    gl_buf_init(&m);
    gl_put_u16(&m, 2024);
    gl_put_u32(&m, 120);
    gl_put_u16(&m, 2025);
    gl_put_u32(&m, 1);
    gl_put_i64(&m, -4567);
    cr_assert(b.len == 20 && m.len == 20 && memcmp(b.data, m.data, 20) == 0);
    gl_buf_reset(&b);
    gl_buf_reset(&m);
    gl_reply_letter_done ld = {{"AC", 2}, 20250301};
    gl_reply_letter_done_encode(&b, &ld);
    gl_put_str8(&m, "AC", 2);
    gl_put_u32(&m, 20250301);
    cr_assert(b.len == m.len && memcmp(b.data, m.data, m.len) == 0);
    gl_buf_free(&b);
    gl_buf_free(&m);
}

/* issue 14: `balance --aux` names the third party.  With the request flag
 * GL_BALANCE_AUX_LABELS each row ends with its aux_label; without it a row
 * is the bytes it always was, whatever the struct's aux_label holds. */
Test(reply, balance_rows_carry_the_aux_name_only_when_asked)
{
    gl_buf b;
    sample(RC_BALANCE_NAMED, &b);
    gl_reply_balance r;
    cr_assert_eq(gl_reply_balance_decode_flags(view(&b), GL_BALANCE_AUX_LABELS, &r), GL_OK);
    cr_assert_eq(r.count, 3);
    gl_reply_balance_iter it;
    gl_reply_balance_row row;
    static const char *const names[] = {"Papeterie", "Client un", ""};
    gl_reply_balance_iter_init(&it, &r);
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(gl_reply_balance_next(&it, &row), 1);
        cr_assert(row.aux_label.len == strlen(names[i]) &&
                      !memcmp(row.aux_label.ptr, names[i], row.aux_label.len),
                  "row %d", i);
    }
    cr_assert_eq(gl_reply_balance_next(&it, &row), 0);
    gl_buf_free(&b);

    gl_buf plain, named;
    gl_buf_init(&plain);
    gl_buf_init(&named);
    gl_reply_balance_row one = {{"411000", 6}, {"C01", 3}, {"Usagers", 7}, 1, 0, {"Client", 6}};
    gl_reply_balance_put_row(&plain, &one);
    gl_reply_balance_put_row_named(&named, &one);
    /* 3 str8 + 2 i64: the old row; the named one adds one str8 at its end. */
    cr_assert_eq(plain.len, 7 + 4 + 8 + 16);
    cr_assert(named.len == plain.len + 7 && !memcmp(named.data, plain.data, plain.len));
    gl_buf_free(&plain);
    gl_buf_free(&named);

    sample(RC_BALANCE, &b);
    cr_assert_eq(gl_reply_balance_decode(view(&b), &r), GL_OK);
    gl_reply_balance_iter_init(&it, &r);
    cr_assert_eq(gl_reply_balance_next(&it, &row), 1);
    cr_assert_eq(row.aux_label.len, 0);
    gl_buf_free(&b);
}
