/*
 * tests/unit/test_tp_reply.c — the THIRD_PARTIES reply read one record at a
 * time (gl_tp_reply_*, proto/third_party.h): the one decoder the CLI's
 * `third-parties list` and the web's Tiers page share.
 */
#include "proto/status.h"
#include "proto/third_party.h"

#include <criterion/criterion.h>
#include <string.h>

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

/* A reply of two records (one of the registry, one of the configuration). */
static void two_records(gl_buf *b, uint32_t count)
{
    gl_third_party a = {.code = S("DUPONT"),
                        .kind = GL_TP_CUSTOMER,
                        .collective = S("411000"),
                        .siren = S(""),
                        .terms_days = 30,
                        .name = S("Jeanne Dupont"),
                        .address = S(""),
                        .email = S(""),
                        .iban = S("")};
    gl_third_party g = a;
    g.code = S("GRP-LYON");
    g.name = S("Antenne de Lyon");
    gl_buf_init(b);
    gl_put_u32(b, count);
    gl_put_u8(b, 1); /* more */
    gl_put_u8(b, GL_TP_FROM_REGISTRY);
    gl_third_party_encode(b, &a);
    gl_put_u8(b, GL_TP_FROM_CONFIG);
    gl_third_party_encode(b, &g);
}

Test(tp_reply, reads_every_record_with_its_source_then_the_more_flag)
{
    gl_buf b;
    two_records(&b, 2);
    gl_tp_reply p;
    cr_assert_eq(gl_tp_reply_open(&p, b.data, b.len), GL_OK);
    cr_expect_eq(p.count, 2);
    cr_expect(p.more);
    uint8_t source;
    gl_third_party t;
    cr_assert(gl_tp_reply_next(&p, &source, &t));
    cr_expect_eq(source, GL_TP_FROM_REGISTRY);
    cr_expect(t.code.len == 6 && !memcmp(t.code.ptr, "DUPONT", 6));
    cr_assert(gl_tp_reply_next(&p, &source, &t));
    cr_expect_eq(source, GL_TP_FROM_CONFIG);
    cr_expect(t.name.len == 15 && !memcmp(t.name.ptr, "Antenne de Lyon", 15));
    cr_expect_not(gl_tp_reply_next(&p, &source, &t), "two records only");
    cr_expect_eq(gl_tp_reply_end(&p), GL_OK);
    gl_buf_free(&b);
}

Test(tp_reply, a_count_that_does_not_match_the_records_is_a_bad_reply)
{
    uint8_t source;
    gl_third_party t;
    gl_tp_reply p;
    gl_buf b;
    two_records(&b, 3); /* one record missing */
    cr_assert_eq(gl_tp_reply_open(&p, b.data, b.len), GL_OK);
    while (gl_tp_reply_next(&p, &source, &t))
        ;
    cr_expect_neq(gl_tp_reply_end(&p), GL_OK, "a missing record");
    gl_buf_free(&b);
    two_records(&b, 1); /* one record too many */
    cr_assert_eq(gl_tp_reply_open(&p, b.data, b.len), GL_OK);
    while (gl_tp_reply_next(&p, &source, &t))
        ;
    cr_expect_neq(gl_tp_reply_end(&p), GL_OK, "bytes after the last record");
    gl_buf_free(&b);
}

Test(tp_reply, a_cut_head_or_record_is_a_bad_reply)
{
    gl_buf b;
    two_records(&b, 2);
    gl_tp_reply p;
    cr_expect_neq(gl_tp_reply_open(&p, b.data, 3), GL_OK, "the head cut");
    uint8_t source;
    gl_third_party t;
    cr_assert_eq(gl_tp_reply_open(&p, b.data, b.len - 1), GL_OK);
    cr_expect(gl_tp_reply_next(&p, &source, &t));
    cr_expect_not(gl_tp_reply_next(&p, &source, &t), "the second record cut");
    cr_expect_neq(gl_tp_reply_end(&p), GL_OK);
    gl_buf_free(&b);
}
