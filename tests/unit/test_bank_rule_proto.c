/*
 * tests/unit/test_bank_rule_proto.c — the rules of recurring bank-only
 * lines (proto/bank_rule.h): the codec, each field refusal of
 * gl_bank_rule_check, and gl_bank_rule_applies (case, accents, '*', a part
 * of the label, amount ranges, negative amounts).
 */
#include "proto/bank_rule.h"
#include "proto/limits.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <string.h>

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

static gl_bank_rule fees(void)
{
    return (gl_bank_rule){.name = S("frais"),
                          .pattern = S("FRAIS*"),
                          .min_cents = -5000,
                          .max_cents = -1,
                          .counterpart = S("627800"),
                          .journal = S("BQ"),
                          .label = S("Frais bancaires")};
}

static gl_bank_line_w line(const char *label, int64_t amount_cents)
{
    return (gl_bank_line_w){.booking = 20260115, .amount_cents = amount_cents, .label = S(label)};
}

static bool hits(const gl_bank_rule *r, const char *label, int64_t amount_cents)
{
    gl_bank_line_w l = line(label, amount_cents);
    return gl_bank_rule_applies(r, &l);
}

static const char *fault(gl_bank_rule r)
{
    const char *field = NULL;
    bool ok = gl_bank_rule_check(&r, &field);
    cr_assert_eq(ok, field == NULL);
    return field ? field : "";
}

Test(bank_rule_proto, a_set_request_round_trips)
{
    gl_bank_rule_set_q q = {.account = S("512000"), .op = GL_BANK_RULE_SET_OP, .rule = fees()}, d;
    gl_buf b;
    gl_buf_init(&b);
    gl_bank_rule_set_q_encode(&b, &q);
    cr_assert_eq(gl_bank_rule_set_q_decode(b.data, b.len, &d), GL_OK);
    cr_expect(gl_str_eq(d.account, "512000"));
    cr_expect_eq(d.op, GL_BANK_RULE_SET_OP);
    cr_expect(gl_str_eq(d.rule.name, "frais") && gl_str_eq(d.rule.pattern, "FRAIS*"));
    cr_expect_eq(d.rule.min_cents, -5000);
    cr_expect_eq(d.rule.max_cents, -1);
    cr_expect(gl_str_eq(d.rule.counterpart, "627800") && gl_str_eq(d.rule.journal, "BQ"));
    cr_expect(gl_str_eq(d.rule.label, "Frais bancaires"));
    cr_expect_eq(gl_bank_rule_set_q_decode(b.data, b.len - 1, &d), GL_ERR_MALFORMED);
    gl_put_u8(&b, 0);
    cr_expect_eq(gl_bank_rule_set_q_decode(b.data, b.len, &d), GL_ERR_TRAILING_BYTES);
    gl_buf_free(&b);
}

Test(bank_rule_proto, a_name_longer_than_the_limit_is_refused_by_the_decoder)
{
    char name[GL_BANK_RULE_NAME_MAX + 2];
    memset(name, 'a', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    gl_bank_rule_set_q q = {.account = S("512000"), .op = 1, .rule = fees()}, d;
    q.rule.name = S(name);
    gl_buf b;
    gl_buf_init(&b);
    gl_bank_rule_set_q_encode(&b, &q);
    cr_expect_eq(gl_bank_rule_set_q_decode(b.data, b.len, &d), GL_ERR_STRING_TOO_LONG);
    gl_buf_free(&b);
}

Test(bank_rule_proto, a_valid_rule_passes)
{
    cr_expect_str_eq(fault(fees()), "");
    gl_bank_rule r = fees();
    r.min_cents = r.max_cents = 0;
    r.journal = r.label = S("");
    cr_expect_str_eq(fault(r), "", "any amount, the default journal and the line's label");
    r.name = S("urssaf_2026-mensuel");
    cr_expect_str_eq(fault(r), "");
}

Test(bank_rule_proto, each_field_refusal_names_its_field)
{
    gl_bank_rule r = fees();
    r.name = S("");
    cr_expect_str_eq(fault(r), "name");
    r.name = S("Frais");
    cr_expect_str_eq(fault(r), "name", "upper case");
    r.name = S("frais bancaires");
    cr_expect_str_eq(fault(r), "name", "a space");
    r.name = S("frais\xc3\xa9");
    cr_expect_str_eq(fault(r), "name", "an accent");

    r = fees();
    r.pattern = S("");
    cr_expect_str_eq(fault(r), "pattern");
    r.pattern = S("*");
    cr_expect_str_eq(fault(r), "pattern", "matches every label");
    r.pattern = S(" * ** ");
    cr_expect_str_eq(fault(r), "pattern");

    r = fees();
    r.min_cents = 100;
    r.max_cents = -100;
    cr_expect_str_eq(fault(r), "amount range", "min above max");
    r.min_cents = -GL_TOTAL_MAX_CENTS - 1;
    cr_expect_str_eq(fault(r), "amount range", "beyond the largest amount");
    r.min_cents = 0;
    r.max_cents = GL_TOTAL_MAX_CENTS + 1;
    cr_expect_str_eq(fault(r), "amount range");

    r = fees();
    r.counterpart = S("");
    cr_expect_str_eq(fault(r), "counterpart");
    r.counterpart = S("0627");
    cr_expect_str_eq(fault(r), "counterpart");
    r.counterpart = S("627 800");
    cr_expect_str_eq(fault(r), "counterpart");

    r = fees();
    r.journal = S("bq");
    cr_expect_str_eq(fault(r), "journal", "the journal code syntax of POST");
    r.journal = S("B-Q");
    cr_expect_str_eq(fault(r), "journal");

    r = fees();
    r.label = S("   ");
    cr_expect_str_eq(fault(r), "label", "blank");
}

Test(bank_rule_proto, the_pattern_ignores_case_and_accents)
{
    gl_bank_rule r = fees();
    r.min_cents = r.max_cents = 0;
    cr_expect(hits(&r, "frais tenue de compte", -1200));
    cr_expect(hits(&r, "Frais Tenue De Compte", 1200));
    r.pattern = S("electricite");
    cr_expect(hits(&r, "PRLV \xc3\x89LECTRICIT\xc3\x89 DE FRANCE", -8000));
    r.pattern = S("\xc3\x89LECTRICIT\xc3\x89");
    cr_expect(hits(&r, "prlv electricite", -8000));
    r.pattern = S("gaz");
    cr_expect_not(hits(&r, "prlv electricite", -8000));
}

Test(bank_rule_proto, a_star_stands_for_any_run_at_start_middle_and_end)
{
    gl_bank_rule r = fees();
    r.min_cents = r.max_cents = 0;
    r.pattern = S("*URSSAF");
    cr_expect(hits(&r, "PRLV SEPA URSSAF IDF", -45000));
    r.pattern = S("PRLV*URSSAF");
    cr_expect(hits(&r, "PRLV SEPA URSSAF IDF", -45000));
    cr_expect(hits(&r, "PRLVURSSAF", -45000), "an empty run");
    cr_expect_not(hits(&r, "URSSAF PRLV", -45000), "the pieces in order");
    r.pattern = S("PRLV**SEPA*IDF*");
    cr_expect(hits(&r, "PRLV SEPA URSSAF IDF", -45000));
    r.pattern = S("SEPA*SEPA");
    cr_expect_not(hits(&r, "PRLV SEPA URSSAF", -45000), "one SEPA only");
    cr_expect(hits(&r, "SEPA X SEPA", -45000));
    r.pattern = S("a*ab");
    cr_expect(hits(&r, "xaaab", -1), "the second piece after the first");
}

Test(bank_rule_proto, the_pattern_need_only_match_a_part_of_the_label)
{
    gl_bank_rule r = fees();
    r.min_cents = r.max_cents = 0;
    r.pattern = S("TENUE");
    cr_expect(hits(&r, "FRAIS TENUE DE COMPTE T1", -1200));
    r.pattern = S("FRAIS TENUE DE COMPTE T1 ET PLUS");
    cr_expect_not(hits(&r, "FRAIS TENUE DE COMPTE T1", -1200), "a pattern longer than the label");
    cr_expect_not(hits(&r, "", -1200));
}

Test(bank_rule_proto, the_amount_range_is_inclusive_and_signed)
{
    gl_bank_rule r = fees(); /* FRAIS*, -50,00 .. -0,01 */
    cr_expect(hits(&r, "FRAIS", -5000), "the lower bound");
    cr_expect(hits(&r, "FRAIS", -1), "the upper bound");
    cr_expect_not(hits(&r, "FRAIS", -5001));
    cr_expect_not(hits(&r, "FRAIS", 1200), "a refund of fees is a credit");
    r.min_cents = 100;
    r.max_cents = 100;
    cr_expect(hits(&r, "FRAIS", 100), "one exact amount");
    cr_expect_not(hits(&r, "FRAIS", -100));
    r.min_cents = r.max_cents = 0;
    cr_expect(hits(&r, "FRAIS", -GL_TOTAL_MAX_CENTS), "0 0: any amount");
    cr_expect(hits(&r, "FRAIS", GL_TOTAL_MAX_CENTS));
}
