/*
 * tests/unit/test_seal.c — proto/seal: the identifying block round trip,
 * its sealed form (the overhead, opening only with the person's key, a
 * flipped byte refused), and the codecs of PERSON_KEY/FORGET and their
 * chain event.
 */
#include "proto/seal.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <sodium.h>

#include <string.h>

static gl_str s(const char *p) { return (gl_str){p, strlen(p)}; }

static void block_of(gl_buf *b)
{
    gl_identity id = {s("Jeanne Dupont"), s("3 rue des Lilas, 35000 Rennes"),
                      s("jeanne@example.fr"), s("FR7630006000011234567890189")};
    gl_buf_init(b);
    gl_identity_encode(b, &id);
    cr_assert(gl_buf_ok(b));
}

Test(seal, identity_block_round_trip)
{
    gl_buf b;
    block_of(&b);
    gl_identity out;
    cr_assert_eq(gl_identity_decode(b.data, b.len, &out), GL_OK);
    cr_assert_eq(out.name.len, 13);
    cr_assert(!memcmp(out.name.ptr, "Jeanne Dupont", 13));
    cr_assert(!memcmp(out.iban.ptr, "FR76", 4));
    cr_assert_neq(gl_identity_decode(b.data, b.len - 1, &out), GL_OK);
    gl_buf_free(&b);
}

Test(seal, sealed_block_opens_only_with_the_persons_key)
{
    cr_assert(sodium_init() >= 0);
    uint8_t pk[GL_PERSON_PK_BYTES], sk[GL_PERSON_SK_BYTES], pk2[32], sk2[32];
    crypto_box_keypair(pk, sk);
    crypto_box_keypair(pk2, sk2);
    gl_buf b, sealed, open;
    block_of(&b);
    gl_buf_init(&sealed);
    gl_buf_init(&open);
    cr_assert_eq(gl_identity_seal(pk, b.data, b.len, &sealed), GL_OK);
    cr_assert_eq(sealed.len, b.len + GL_SEAL_OVERHEAD);
    cr_assert_null(memmem(sealed.data, sealed.len, "Dupont", 6), "the name shows through");
    cr_assert(!gl_identity_open(pk2, sk2, sealed.data, sealed.len, &open));
    open.len = 0;
    cr_assert(gl_identity_open(pk, sk, sealed.data, sealed.len, &open));
    cr_assert_eq(open.len, b.len);
    cr_assert(!memcmp(open.data, b.data, b.len));
    sealed.data[GL_SEAL_OVERHEAD + 2] ^= 1;
    open.len = 0;
    cr_assert(!gl_identity_open(pk, sk, sealed.data, sealed.len, &open), "tampered bytes opened");
    cr_assert(!gl_identity_open(pk, sk, sealed.data, GL_SEAL_OVERHEAD - 1, &open));
    gl_buf_free(&b);
    gl_buf_free(&sealed);
    gl_buf_free(&open);
}

Test(seal, person_code_body)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_person_code_encode(&b, s("U0042"));
    gl_str code;
    cr_assert_eq(gl_person_code_decode(b.data, b.len, &code), GL_OK);
    cr_assert_eq(code.len, 5);
    cr_assert_neq(gl_person_code_decode(b.data, b.len - 1, &code), GL_OK);
    uint8_t empty = 0;
    cr_assert_eq(gl_person_code_decode(&empty, 1, &code), GL_ERR_MALFORMED);
    uint8_t longer[32] = {21};
    memset(longer + 1, 'A', 21);
    cr_assert_neq(gl_person_code_decode(longer, 22, &code), GL_OK);
    gl_buf_free(&b);
}

Test(seal, forget_event_payload)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_forget_ev_encode(&b, &(gl_forget_ev){s("U0042"), 20370101});
    gl_forget_ev e;
    cr_assert_eq(gl_forget_ev_decode(b.data, b.len, &e), GL_OK);
    cr_assert_eq(e.date, 20370101);
    cr_assert(!memcmp(e.code.ptr, "U0042", 5));
    cr_assert_eq(b.len, 1 + 5 + 4);
    gl_buf_free(&b);
}
