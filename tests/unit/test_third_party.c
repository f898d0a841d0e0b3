/*
 * tests/unit/test_third_party.c — the registry of third parties' record
 * (proto/third_party.h): SIREN/SIRET by Luhn, IBAN by MOD 97-10, the light
 * e-mail check, the canonical bytes and their identifying block.
 */
#include "proto/status.h"
#include "proto/third_party.h"

#include <criterion/criterion.h>
#include <string.h>

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

Test(third_party, siren_and_siret_pass_luhn_and_nothing_else)
{
    cr_expect(gl_siren_valid(S("732829320")));
    cr_expect(gl_siren_valid(S("552100554")));
    cr_expect(gl_siren_valid(S("73282932000074")));
    cr_expect_not(gl_siren_valid(S("732829321")), "one digit changed");
    cr_expect_not(gl_siren_valid(S("73282932")), "8 digits");
    cr_expect_not(gl_siren_valid(S("7328293200007")), "13 digits");
    cr_expect_not(gl_siren_valid(S("73282932A")), "a letter");
    cr_expect_not(gl_siren_valid(S("732 829 320")), "spaces");
}

Test(third_party, iban_passes_mod_97_10_in_its_electronic_form)
{
    cr_expect(gl_iban_valid(S("FR7630006000011234567890189")));
    cr_expect(gl_iban_valid(S("DE89370400440532013000")));
    cr_expect(gl_iban_valid(S("GB82WEST12345698765432")));
    cr_expect_not(gl_iban_valid(S("FR7630006000011234567890188")), "the last digit changed");
    cr_expect_not(gl_iban_valid(S("fr7630006000011234567890189")), "lower case");
    cr_expect_not(gl_iban_valid(S("FR76 3000 6000 0112 3456 7890 189")), "spaces");
    cr_expect_not(gl_iban_valid(S("FR76")), "too short");
}

Test(third_party, email_check_is_light)
{
    cr_expect(gl_email_valid(S("tresorier@asso-exemple.fr")));
    cr_expect_not(gl_email_valid(S("tresorier.asso-exemple.fr")));
    cr_expect_not(gl_email_valid(S("@asso.fr")));
    cr_expect_not(gl_email_valid(S("a@b@asso.fr")));
    cr_expect_not(gl_email_valid(S("a@asso")));
    cr_expect_not(gl_email_valid(S("a b@asso.fr")));
    cr_expect_not(gl_email_valid(S("a@asso.fr.")));
}

Test(third_party, a_record_round_trips_and_its_identifying_fields_are_one_block)
{
    gl_third_party r = {.code = S("DUPONT"),
                        .kind = GL_TP_CUSTOMER,
                        .collective = S("411000"),
                        .siren = S(""),
                        .terms_days = 30,
                        .flags = GL_TP_NATURAL_PERSON,
                        .name = S("Jeanne Dupont"),
                        .address = S("3 rue des Lilas, 69003 Lyon"),
                        .email = S("jeanne@example.fr"),
                        .iban = S("FR7630006000011234567890189")};
    gl_buf b;
    gl_buf_init(&b);
    gl_third_party_encode(&b, &r);
    cr_assert(gl_buf_ok(&b));
    gl_cur c;
    gl_cur_init(&c, b.data, b.len);
    gl_third_party got;
    cr_assert_eq(gl_third_party_get(&c, &got), GL_OK);
    cr_assert_eq(gl_cur_end(&c), GL_OK);
    cr_expect_eq(got.raw_len, b.len);
    cr_expect_eq(got.kind, GL_TP_CUSTOMER);
    cr_expect_eq(got.terms_days, 30);
    cr_expect_eq(memcmp(got.name.ptr, "Jeanne Dupont", 13), 0);
    const char *field = "x";
    cr_expect_eq(gl_third_party_check(&got, &field), GL_OK);
    cr_expect_null(field);
    /* the block is the record's tail: name, address, e-mail, IBAN and nothing else */
    cr_expect_eq((const uint8_t *)got.ident.ptr + got.ident.len, b.data + b.len);
    size_t want = 1 + r.name.len + 2 + r.address.len + 1 + r.email.len + 1 + r.iban.len;
    cr_expect_eq(got.ident.len, want);
    cr_expect_eq(gl_rd16((const uint8_t *)got.ident.ptr - 2), want);
    gl_buf_free(&b);
}

Test(third_party, check_names_the_field_at_fault)
{
    gl_third_party r = {.code = S("EDF"),
                        .kind = GL_TP_SUPPLIER,
                        .collective = S("401000"),
                        .siren = S("552081318"),
                        .name = S("EDF")};
    const char *field;
    cr_expect_eq(gl_third_party_check(&r, &field), GL_ERR_BAD_THIRD_PARTY);
    cr_expect_str_eq((char *)field, "siret");
    r.siren = S("");
    r.kind = 7;
    cr_expect_eq(gl_third_party_check(&r, &field), GL_ERR_BAD_THIRD_PARTY);
    cr_expect_str_eq((char *)field, "kind");
    r.kind = GL_TP_SUPPLIER;
    r.terms_days = 366;
    cr_expect_eq(gl_third_party_check(&r, &field), GL_ERR_BAD_THIRD_PARTY);
    cr_expect_str_eq((char *)field, "terms_days");
    r.terms_days = 365;
    r.flags = GL_TP_SEALED; /* only a natural person's block is sealed (issue 17, persons) */
    cr_expect_eq(gl_third_party_check(&r, &field), GL_ERR_BAD_THIRD_PARTY);
    cr_expect_str_eq((char *)field, "sealed");
    r.flags = GL_TP_SEALED | GL_TP_NATURAL_PERSON; /* shorter than any sealed block */
    cr_expect_eq(gl_third_party_check(&r, &field), GL_ERR_BAD_THIRD_PARTY);
    cr_expect_str_eq((char *)field, "sealed");
    r.flags = 0x04;
    cr_expect_eq(gl_third_party_check(&r, &field), GL_ERR_BAD_THIRD_PARTY);
    cr_expect_str_eq((char *)field, "flags");
    r.flags = 0;
    cr_expect_eq(gl_third_party_check(&r, &field), GL_OK);
    cr_expect_eq(gl_tp_kind_of("user"), GL_TP_CUSTOMER);
    cr_expect_eq(gl_tp_kind_of("funder"), GL_TP_FUNDER);
    cr_expect_eq(gl_tp_kind_of("nobody"), 0);
}

Test(third_party, set_body_decodes_and_names_the_bad_item)
{
    gl_third_party r = {
        .code = S("EDF"), .kind = GL_TP_SUPPLIER, .collective = S("401000"), .name = S("EDF")};
    gl_buf b;
    gl_buf_init(&b);
    gl_put_u8(&b, GL_TP_MODE_ADD);
    gl_put_u16(&b, 2);
    gl_third_party_encode(&b, &r);
    gl_third_party_encode(&b, &r);
    gl_tp_set_q q;
    uint32_t bad = 0;
    cr_expect_eq(gl_tp_set_decode(b.data, b.len, &q, &bad), GL_OK);
    cr_expect_eq(q.count, 2);
    cr_expect_eq(gl_tp_set_decode(b.data, b.len - 1, &q, &bad), GL_ERR_MALFORMED);
    cr_expect_eq(bad, 2);
    b.data[0] = 2;
    cr_expect_eq(gl_tp_set_decode(b.data, b.len, &q, &bad), GL_ERR_RESERVED_NONZERO);
    b.data[0] = 0;
    b.data[2] = 0;
    cr_expect_eq(gl_tp_set_decode(b.data, b.len, &q, &bad), GL_ERR_COUNT_LIMIT);
    gl_buf_free(&b);
}
