/*
 * tests/unit/test_grant_proto.c — proto/grant (issue 19): GRANT_SET's body
 * round trip, every field rule (496's field names), a delete naming the
 * code only, the GRANTS reply read back, every truncation refused.
 */
#include "proto/grant.h"
#include "proto/kinds.h"
#include "proto/limits.h"
#include "proto/request.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

static gl_grant sample(void)
{
    return (gl_grant){.code = S("FSE-2026"),
                      .label = S("FSE inclusion 2026"),
                      .funder = S("FSE"),
                      .action = S("AGIIE"),
                      .account = S("741700"),
                      .amount_cents = 11900000,
                      .from = 20260101,
                      .to = 20261231,
                      .flags = GL_GRANT_DEDICATED | GL_GRANT_FSE,
                      .flat_rate = GL_GRANT_FLAT_15};
}

static const char *field_of(uint8_t op, const gl_grant *g)
{
    const char *field = "unset";
    bool ok = gl_grant_check(op, g, &field);
    cr_expect_eq(ok, field == NULL);
    return field ? field : "";
}

/* The sample with one field broken: case i of the table below. */
static gl_grant broken(int i)
{
    gl_grant g = sample();
    switch (i) {
    case 0: g.code = S(""); break;
    case 1: g.code = S("fse-2026"); break;
    case 2: g.code = S("-FSE"); break;
    case 3: g.code = S("ABCDEFGHIJKLMNOPQ"); break;
    case 4: g.label = S(""); break;
    case 5: g.label = S("   "); break;
    case 6: g.funder = S(""); break;
    case 7: g.funder = S("fse"); break;
    case 8: g.action = S(""); break;
    case 9: g.action = S("A B"); break;
    case 10: g.account = S("641000"); break;
    case 11: g.account = S(""); break;
    case 12: g.account = S("7a"); break;
    case 13: g.amount_cents = 0; break;
    case 14: g.amount_cents = -1; break;
    case 15: g.amount_cents = GL_TOTAL_MAX_CENTS + 1; break;
    case 16: g.from = 20260230; break;
    case 17: g.to = 0; break;
    case 18: g.from = 20270101; break;
    case 19: g.flags = 0x04; break;
    case 20: g.flat_rate = 20; break;
    case 21: g.flat_rate = 1; break;
    default: cr_assert_fail("case %d", i);
    }
    return g;
}

Test(grant_proto, a_field_out_of_its_rule_is_named)
{
    static const char *fields[] = {
        "code",   "code",   "code",    "code",    "label",     "label",    "funder", "funder",
        "action", "action", "account", "account", "account",   "amount",   "amount", "amount",
        "from",   "to",     "period",  "flags",   "flat_rate", "flat_rate"};
    gl_grant g = sample();
    cr_expect_str_eq((char *)field_of(GL_GRANT_SET_OP, &g), "");
    for (int i = 0; i < (int)(sizeof fields / sizeof fields[0]); i++) {
        g = broken(i);
        cr_expect_str_eq((char *)field_of(GL_GRANT_SET_OP, &g), (char *)fields[i], "case %d", i);
    }
}

Test(grant_proto, the_boundaries_pass)
{
    gl_grant g = sample();
    g.amount_cents = 1;
    g.from = g.to = 20260228; /* one day */
    g.flags = 0;
    g.flat_rate = 0;
    g.code = S("ABCDEFGHIJKLMNOP");
    cr_expect_str_eq((char *)field_of(GL_GRANT_SET_OP, &g), "");
    g.amount_cents = GL_TOTAL_MAX_CENTS;
    g.flat_rate = GL_GRANT_FLAT_40;
    g.account = S("7");
    cr_expect_str_eq((char *)field_of(GL_GRANT_SET_OP, &g), "");
}

Test(grant_proto, a_delete_names_the_code_only)
{
    gl_grant d = {.code = S("FSE-2026")};
    cr_expect_str_eq((char *)field_of(GL_GRANT_DELETE_OP, &d), "");
    gl_grant g = sample();
    cr_expect_str_eq((char *)field_of(GL_GRANT_DELETE_OP, &g), "label");
    d.flat_rate = 15;
    cr_expect_str_eq((char *)field_of(GL_GRANT_DELETE_OP, &d), "flat_rate");
    d = (gl_grant){.code = S("FSE-2026")};
    cr_expect_str_eq((char *)field_of(0, &d), "op");
    cr_expect_str_eq((char *)field_of(3, &d), "op");
    d.code = S("");
    cr_expect_str_eq((char *)field_of(GL_GRANT_DELETE_OP, &d), "code");
}

Test(grant_proto, the_body_round_trips_through_the_kind_table)
{
    gl_grant_set_q q = {.op = GL_GRANT_SET_OP, .grant = sample()};
    gl_buf b;
    gl_buf_init(&b);
    gl_grant_set_q_encode(&b, &q);
    cr_assert(gl_buf_ok(&b));
    /* code(9) op(1) label(19) funder(4) action(6) account(7) 8 4 4 1 1 */
    cr_expect_eq(b.len, 9u + 1 + 19 + 4 + 6 + 7 + 8 + 4 + 4 + 1 + 1);
    cr_expect_eq(b.data[9], GL_GRANT_SET_OP, "op right after the code");
    gl_body body;
    uint32_t bad = 9;
    cr_assert_eq(gl_body_decode(GL_KIND_GRANT_SET, b.data, b.len, &body, &bad), GL_OK);
    cr_expect_eq(body.grant_set.op, GL_GRANT_SET_OP);
    cr_expect(gl_grant_same(&body.grant_set.grant, &q.grant));
    for (size_t n = 0; n < b.len; n++) {
        uint8_t *cut = malloc(n ? n : 1);
        memcpy(cut, b.data, n);
        cr_expect_neq(gl_grant_set_q_decode(cut, n, &body.grant_set), GL_OK, "cut at %zu", n);
        free(cut);
    }
    gl_put_u8(&b, 0);
    cr_expect_eq(gl_grant_set_q_decode(b.data, b.len, &body.grant_set), GL_ERR_TRAILING_BYTES);
    gl_buf_free(&b);
    cr_expect(gl_kind_writes(GL_KIND_GRANT_SET));
    cr_expect_not(gl_kind_writes(GL_KIND_GRANTS));
    cr_expect_eq(gl_body_decode(GL_KIND_GRANTS, NULL, 0, &body, &bad), GL_OK);
    cr_expect_eq(gl_body_decode(GL_KIND_GRANTS, (const uint8_t *)"x", 1, &body, &bad),
                 GL_ERR_TRAILING_BYTES);
}

Test(grant_proto, same_tells_every_field)
{
    gl_grant a = sample();
    for (int i = 0; i < 22; i++) {
        gl_grant b = broken(i);
        cr_expect_not(gl_grant_same(&a, &b), "case %d", i);
    }
    gl_grant c = sample();
    cr_expect(gl_grant_same(&a, &c));
}

Test(grant_proto, the_grants_reply_reads_back)
{
    gl_grant g[2] = {sample(), sample()};
    g[1].code = S("VILLE-2026");
    g[1].flags = 0;
    g[1].flat_rate = 0;
    gl_buf b;
    gl_buf_init(&b);
    gl_put_u16(&b, 2);
    gl_grant_put(&b, &g[0]);
    gl_grant_put(&b, &g[1]);
    cr_assert(gl_buf_ok(&b));
    gl_grants_iter it;
    gl_grant out;
    cr_assert_eq(gl_grants_reply_begin(b.data, b.len, &it), GL_OK);
    for (int i = 0; i < 2; i++) {
        cr_assert_eq(gl_grants_reply_next(&it, &out), GL_OK);
        cr_expect(gl_grant_same(&out, &g[i]), "record %d", i);
    }
    cr_expect_eq(gl_grants_reply_next(&it, &out), GL_ERR_NOT_FOUND);
    /* one byte more: trailing; one less: malformed */
    gl_put_u8(&b, 0);
    cr_assert_eq(gl_grants_reply_begin(b.data, b.len, &it), GL_OK);
    cr_expect_eq(gl_grants_reply_next(&it, &out), GL_OK);
    cr_expect_eq(gl_grants_reply_next(&it, &out), GL_OK);
    cr_expect_eq(gl_grants_reply_next(&it, &out), GL_ERR_TRAILING_BYTES);
    cr_assert_eq(gl_grants_reply_begin(b.data, b.len - 2, &it), GL_OK);
    cr_expect_eq(gl_grants_reply_next(&it, &out), GL_OK);
    cr_expect_eq(gl_grants_reply_next(&it, &out), GL_ERR_MALFORMED);
    cr_expect_eq(gl_grants_reply_next(&it, &out), GL_ERR_MALFORMED, "sticky");
    gl_buf_free(&b);
    uint8_t none[2] = {0, 0};
    cr_assert_eq(gl_grants_reply_begin(none, 2, &it), GL_OK);
    cr_expect_eq(gl_grants_reply_next(&it, &out), GL_ERR_NOT_FOUND);
    uint8_t many[2] = {0x03, 0xE9}; /* 1001 */
    cr_expect_eq(gl_grants_reply_begin(many, 2, &it), GL_ERR_MALFORMED);
}

Test(grant_proto, statuses_have_names)
{
    cr_expect_str_eq((char *)gl_status_name(GL_ERR_GRANT_INVALID), "grant_invalid");
    cr_expect_str_eq((char *)gl_status_name(GL_ERR_GRANT_UNKNOWN), "grant_unknown");
    cr_expect_str_eq((char *)gl_status_name(GL_ERR_BUDGET_INVALID), "budget_invalid");
    cr_expect_str_eq((char *)gl_status_name(GL_ERR_BUDGET_FULL), "budget_full");
    cr_expect_eq(GL_ERR_GRANT_INVALID, 496);
    cr_expect_eq(GL_ERR_BUDGET_FULL, 499);
    cr_expect_eq(GL_KIND_GRANT_SET, 55);
    cr_expect_eq(GL_KIND_BUDGETS, 58);
}
