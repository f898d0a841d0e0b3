/*
 * tests/unit/test_text_stored.c — the request-body decoders under the
 * stored-text rule (the _stored entry points of proto/query.h and
 * proto/group.h): a body signed before the bidirectional controls were
 * refused (issue 11 item 11b) holds them, and the offline verifier must
 * still read it, while admission (the decoders without _stored) refuses
 * it.  For each body that carries text: the strict decoder says
 * string_invalid, the stored one decodes, its iterator walks every item
 * (gl_post_next and gl_account_next assert on an item that does not
 * decode), and every other part of the text rule still holds.
 */
#include "proto/entry.h"
#include "proto/group.h"
#include "proto/query.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <criterion/criterion.h>

#include <string.h>

#define RLO "\xe2\x80\xae" /* U+202E RIGHT-TO-LEFT OVERRIDE */
#define PDI "\xe2\x81\xa9" /* U+2069 POP DIRECTIONAL ISOLATE */

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

Test(text_stored, post_bodies_in_both_layouts)
{
    for (int layout = GL_LAYOUT_1; layout <= GL_LAYOUT_2; layout++) {
        gl_line_in l[2] = {{"606100", "", "", "Fournitures " RLO "tes", GL_SIDE_DEBIT, 100},
                           {"512000", "", "", "", GL_SIDE_CREDIT, 100}};
        gl_entry_in in[2] = {{.tenant = "alpha",
                              .date = 20250301,
                              .piece_date = 20250301,
                              .journal = "OD",
                              .piece_ref = "P1",
                              .label = "plain",
                              .line_count = 2,
                              .lines = l},
                             {.tenant = "alpha",
                              .date = 20250302,
                              .piece_date = 20250302,
                              .journal = "OD",
                              .piece_ref = "P2" PDI,
                              .label = RLO "abc",
                              .line_count = 2,
                              .lines = l}};
        gl_buf b;
        gl_buf_init(&b);
        gl_put_u32(&b, 2);
        for (int i = 0; i < 2; i++)
            cr_assert_eq(gl_entry_encode_layout(&b, &in[i], layout), GL_OK);
        gl_post p;
        uint32_t bad;
        cr_expect_eq(gl_post_decode_layout(b.data, b.len, layout, &p, &bad), GL_ERR_STRING_INVALID);
        cr_expect_eq(bad, 1, "the first entry's line label");
        cr_assert_eq(gl_post_decode_layout_stored(b.data, b.len, layout, &p, &bad), GL_OK,
                     "layout %d", layout);
        gl_item_iter it;
        gl_entry e;
        int n = 0, lines = 0;
        gl_post_iter_init(&it, &p);
        while (gl_post_next(&it, &e)) {
            n++;
            gl_line_iter li;
            gl_line ln;
            gl_line_iter_init(&li, &e);
            while (gl_line_next(&li, &ln))
                lines++;
        }
        cr_expect_eq(n, 2);
        cr_expect_eq(lines, 4);
        cr_expect(gl_str_eq(e.label, RLO "abc"));
        gl_buf_free(&b);
    }
}

Test(text_stored, accounts_open_letter_unletter_and_dues)
{
    gl_buf b;
    uint32_t bad;
    /* ACCOUNTS_OPEN: a label */
    gl_buf_init(&b);
    gl_put_u8(&b, GL_OPEN_STRICT);
    gl_put_u32(&b, 2);
    gl_put_str8(&b, "512000", 6);
    gl_put_str8(&b, "Banque", 6);
    gl_put_str8(&b, "606100", 6);
    gl_put_str8(&b, "Achats " RLO "x", 11);
    gl_accounts_open o;
    cr_expect_eq(gl_accounts_open_decode(b.data, b.len, &o, &bad), GL_ERR_STRING_INVALID);
    cr_expect_eq(bad, 2);
    cr_assert_eq(gl_accounts_open_decode_stored(b.data, b.len, &o, &bad), GL_OK);
    gl_item_iter it;
    gl_account_item a;
    int n = 0;
    gl_account_iter_init(&it, &o);
    while (gl_account_next(&it, &a))
        n++;
    cr_expect_eq(n, 2);
    cr_expect(gl_str_eq(a.label, "Achats " RLO "x"));
    gl_buf_free(&b);

    /* LETTER: the aux (free text) */
    gl_buf_init(&b);
    gl_line_ref refs[2] = {{2025, 1, 1}, {2025, 2, 1}};
    gl_letter_q_encode(&b, S("401000"), S("F" RLO), refs, 2);
    gl_letter_q lq;
    cr_expect_eq(gl_letter_q_decode(b.data, b.len, &lq), GL_ERR_STRING_INVALID);
    cr_expect_eq(gl_letter_q_decode_stored(b.data, b.len, &lq), GL_OK);
    cr_expect(gl_str_eq(lq.aux, "F" RLO));
    gl_buf_free(&b);

    /* UNLETTER: the code */
    gl_buf_init(&b);
    gl_unletter_q_encode(&b, &(gl_unletter_q){S("401000"), S(PDI)});
    gl_unletter_q uq;
    cr_expect_eq(gl_unletter_q_decode(b.data, b.len, &uq), GL_ERR_STRING_INVALID);
    cr_expect_eq(gl_unletter_q_decode_stored(b.data, b.len, &uq), GL_OK);
    gl_buf_free(&b);

    /* DUES: a tenant */
    gl_buf_init(&b);
    gl_dues_q dq = {.year = 2025, .count = 1};
    dq.items[0] = (gl_group_item){S("al" RLO), 100};
    gl_dues_q_encode(&b, &dq);
    cr_expect_eq(gl_dues_q_decode(b.data, b.len, &dq), GL_ERR_STRING_INVALID);
    cr_expect_eq(gl_dues_q_decode_stored(b.data, b.len, &dq), GL_OK);
    gl_buf_free(&b);
}

/* Only the bidirectional controls are let through: a C0 control, a C1
 * control or broken UTF-8 is refused by both decoders. */
Test(text_stored, the_rest_of_the_text_rule_holds)
{
    static const char *const bad_text[] = {"a\tb",
                                           "a\xc2\x85"
                                           "b",
                                           "a\xe2\x80", "\xc0\xaf"};
    for (size_t i = 0; i < sizeof bad_text / sizeof bad_text[0]; i++) {
        gl_buf b;
        gl_buf_init(&b);
        gl_put_u8(&b, GL_OPEN_STRICT);
        gl_put_u32(&b, 1);
        gl_put_str8(&b, "512000", 6);
        gl_put_str8(&b, bad_text[i], strlen(bad_text[i]));
        gl_accounts_open o;
        uint32_t bad;
        cr_expect_eq(gl_accounts_open_decode(b.data, b.len, &o, &bad), GL_ERR_STRING_INVALID,
                     "text %zu", i);
        cr_expect_eq(gl_accounts_open_decode_stored(b.data, b.len, &o, &bad), GL_ERR_STRING_INVALID,
                     "text %zu", i);
        gl_buf_reset(&b);
        gl_unletter_q_encode(&b, &(gl_unletter_q){S("401000"), S(bad_text[i])});
        gl_unletter_q uq;
        cr_expect_eq(gl_unletter_q_decode_stored(b.data, b.len, &uq), GL_ERR_STRING_INVALID,
                     "text %zu", i);
        gl_buf_free(&b);
    }
}
