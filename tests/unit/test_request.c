/*
 * tests/unit/test_request.c — proto/request: the signed request envelope
 * (encode, decode, verify, digest) and the reply envelope.  Real Ed25519
 * keys from libsodium.  Refusals first: every bit flip, every truncation,
 * every field that can be wrong; then the round trips.
 */
#include "proto/entry.h"
#include "proto/limits.h"
#include "proto/query.h"
#include "proto/request.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <criterion/criterion.h>
#include <sodium.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Offsets of the version 2 envelope fields for a tenant of length tl. */
#define OFF_VERSION 4
#define OFF_KIND 6
#define OFF_LEDGER 8
#define OFF_SIGNER 24
#define OFF_TENANT_LEN 56
#define OFF_TENANT 57
#define OFF_REQUEST_ID(tl) (57 + (tl))
#define OFF_TIMESTAMP(tl) (65 + (tl))
#define OFF_BODY_LEN(tl) (73 + (tl))
#define OFF_BODY(tl) (77 + (tl))

/* The ledger every test request is signed for. */
static const uint8_t ledger[GL_LEDGER_ID_BYTES] = {0x6c, 0x65, 0x64, 0x67, 0x65, 0x72, 0x2d, 0x69,
                                                   0x64, 0x2d, 0x74, 0x65, 0x73, 0x74, 0x00, 0x01};
static uint8_t pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
static uint8_t pk2[crypto_sign_PUBLICKEYBYTES], sk2[crypto_sign_SECRETKEYBYTES];

static void keys(void)
{
    cr_assert_geq(sodium_init(), 0);
    crypto_sign_keypair(pk, sk);
    crypto_sign_keypair(pk2, sk2);
}

TestSuite(request, .init = keys);

/* A realistic body: a journal query. */
static void journal_body(gl_buf *b, uint16_t limit)
{
    gl_journal_q q = {.from = 20240101,
                      .to = 20241231,
                      .watermark = 42,
                      .after_fy = 2024,
                      .after_num = 7,
                      .limit = limit};
    gl_buf_init(b);
    gl_journal_q_encode(b, &q);
    cr_assert(gl_buf_ok(b));
}

/* Encode a JOURNAL request for tenant "acme" into out. */
static void sample_request(gl_buf *out, uint64_t request_id, int64_t ts, uint16_t limit)
{
    gl_buf body;
    journal_body(&body, limit);
    gl_buf_init(out);
    cr_assert_eq(gl_request_encode(out, GL_KIND_JOURNAL, ledger, sk, "acme", request_id, ts,
                                   body.data, body.len),
                 GL_OK);
    gl_buf_free(&body);
}

/* Copy into an exact-size heap block so ASan sees any over-read. */
static uint8_t *dup_bytes(const uint8_t *p, size_t n)
{
    uint8_t *d = malloc(n ? n : 1);
    cr_assert_not_null(d);
    if (n)
        memcpy(d, p, n);
    return d;
}

static int decode_copy(const uint8_t *p, size_t n, gl_request *r)
{
    uint8_t *d = dup_bytes(p, n);
    int st = gl_request_decode(d, n, r);
    if (st == GL_OK)
        st = gl_request_verify(r);
    free(d);
    return st;
}

/* ---- refusals --------------------------------------------------------- */

Test(request, flipped_bit_anywhere_never_verifies)
{
    gl_buf m;
    sample_request(&m, 1001, 1700000000000, 100);
    uint8_t *copy = malloc(m.len);
    cr_assert_not_null(copy);
    size_t decode_errors = 0, sig_errors = 0;
    for (size_t pos = 0; pos < m.len; pos++) {
        for (int bit = 0; bit < 8; bit++) {
            memcpy(copy, m.data, m.len);
            copy[pos] ^= (uint8_t)(1u << bit);
            gl_request r;
            int st = gl_request_decode(copy, m.len, &r);
            if (st != GL_OK) {
                decode_errors++;
                continue;
            }
            st = gl_request_verify(&r);
            cr_expect_eq(st, GL_ERR_BAD_SIGNATURE, "byte %zu bit %d: status %d", pos, bit, st);
            sig_errors++;
        }
    }
    cr_expect_eq(decode_errors + sig_errors, m.len * 8);
    cr_expect_gt(decode_errors, 0u);
    cr_expect_gt(sig_errors, 0u);
    free(copy);
    gl_buf_free(&m);
}

Test(request, truncation_at_every_length_is_an_error)
{
    gl_buf m;
    sample_request(&m, 1002, 1700000000000, 100);
    for (size_t n = 0; n < m.len; n++) {
        gl_request r;
        uint8_t *d = dup_bytes(m.data, n);
        int st = gl_request_decode(d, n, &r);
        cr_expect_neq(st, GL_OK, "prefix of %zu bytes decoded", n);
        cr_expect_eq(st, GL_ERR_MALFORMED, "prefix of %zu bytes: %d", n, st);
        free(d);
    }
    gl_buf_free(&m);
}

Test(request, wrong_magic)
{
    gl_buf m;
    sample_request(&m, 1, 1, 10);
    gl_request r;
    for (size_t i = 0; i < 4; i++) {
        m.data[i] ^= 0x20;
        cr_expect_eq(decode_copy(m.data, m.len, &r), GL_ERR_BAD_MAGIC, "magic byte %zu", i);
        m.data[i] ^= 0x20;
    }
    /* A reply is not a request. */
    memcpy(m.data, "GLRP", 4);
    cr_expect_eq(decode_copy(m.data, m.len, &r), GL_ERR_BAD_MAGIC);
    gl_buf_free(&m);
}

Test(request, versions_other_than_2_are_refused)
{
    gl_buf m;
    sample_request(&m, 1, 1, 10);
    gl_request r;
    static const uint16_t versions[] = {0, 1, 3, 0x0102, 0xffff};
    for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++) {
        gl_be16(m.data + OFF_VERSION, versions[i]);
        cr_expect_eq(decode_copy(m.data, m.len, &r), GL_ERR_VERSION, "version %u", versions[i]);
    }
    gl_buf_free(&m);
}

/* A genuine version 1 request (the history): refused by the decoder the
 * daemon uses, read and verified by the one for stored requests. */
Test(request, version_1_is_refused_on_arrival_and_verified_as_history)
{
    gl_buf body, m;
    journal_body(&body, 10);
    gl_buf_init(&m);
    cr_assert_eq(gl_request_encode_v1(&m, GL_KIND_JOURNAL, sk, "acme", 9, 1, body.data, body.len),
                 GL_OK);
    cr_assert_eq(m.len, 125 + 4 + body.len);
    gl_request r;
    cr_expect_eq(gl_request_decode(m.data, m.len, &r), GL_ERR_VERSION);
    cr_assert_eq(gl_request_decode_any(m.data, m.len, &r), GL_OK);
    cr_expect_eq(r.version, 1);
    cr_expect_null(r.ledger_id);
    cr_expect_eq(gl_request_verify(&r), GL_OK);
    cr_expect(gl_str_eq(r.tenant, "acme"));
    /* signed under the version 1 tag, not the version 2 one */
    gl_buf msg;
    gl_buf_init(&msg);
    gl_put_bytes(&msg, "grandlivre/request/v1", 22);
    gl_put_bytes(&msg, m.data, m.len - 64);
    cr_expect_eq(crypto_sign_verify_detached(m.data + m.len - 64, msg.data, msg.len, pk), 0);
    gl_buf_reset(&msg);
    gl_put_bytes(&msg, "grandlivre/request/v2", 22);
    gl_put_bytes(&msg, m.data, m.len - 64);
    cr_expect_neq(crypto_sign_verify_detached(m.data + m.len - 64, msg.data, msg.len, pk), 0);
    /* any bit flipped: never verifies */
    for (size_t pos = 0; pos < m.len; pos++)
        for (int bit = 0; bit < 8; bit++) {
            m.data[pos] ^= (uint8_t)(1u << bit);
            int st = gl_request_decode_any(m.data, m.len, &r);
            if (st == GL_OK)
                st = gl_request_verify(&r);
            cr_expect_neq(st, GL_OK, "v1 byte %zu bit %d", pos, bit);
            m.data[pos] ^= (uint8_t)(1u << bit);
        }
    gl_buf_free(&msg);
    gl_buf_free(&m);
    gl_buf_free(&body);
}

Test(request, ledger_id_is_signed_and_decoded)
{
    gl_buf m;
    sample_request(&m, 1, 1, 10);
    gl_request r;
    cr_assert_eq(decode_copy(m.data, m.len, &r), GL_OK);
    cr_assert_eq(gl_request_decode(m.data, m.len, &r), GL_OK);
    cr_expect_arr_eq(r.ledger_id, ledger, GL_LEDGER_ID_BYTES);
    cr_expect_eq(r.ledger_id, m.data + OFF_LEDGER);
    for (size_t i = 0; i < GL_LEDGER_ID_BYTES * 8;
         i++) { /* another ledger's request: not this signature */
        m.data[OFF_LEDGER + i / 8] ^= (uint8_t)(1u << (i % 8));
        cr_expect_eq(decode_copy(m.data, m.len, &r), GL_ERR_BAD_SIGNATURE, "ledger bit %zu", i);
        m.data[OFF_LEDGER + i / 8] ^= (uint8_t)(1u << (i % 8));
    }
    static const uint8_t zero[GL_LEDGER_ID_BYTES];
    cr_expect(gl_ledger_id_is_zero(zero));
    cr_expect_not(gl_ledger_id_is_zero(ledger));
    uint8_t one_bit[GL_LEDGER_ID_BYTES] = {0};
    one_bit[GL_LEDGER_ID_BYTES - 1] = 0x80;
    cr_expect_not(gl_ledger_id_is_zero(one_bit));
    gl_buf_free(&m);
}

Test(request, unknown_kinds)
{
    static const uint16_t kinds[] = {0, GL_KIND_MAX_ + 1, 99, 0x0100, UINT16_MAX};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        gl_buf m;
        gl_buf_init(&m);
        cr_assert_eq(gl_request_encode(&m, kinds[i], ledger, sk, "acme", 1, 1, NULL, 0), GL_OK);
        gl_request r;
        cr_expect_eq(decode_copy(m.data, m.len, &r), GL_ERR_UNKNOWN_KIND, "kind %u",
                     (unsigned)kinds[i]);
        gl_buf_free(&m);
    }
}

Test(request, tenant_charset_refused)
{
    static const char *const bad[] = {"Acme",        "ACME", "acme corp", "acme.fr",
                                      "acm\xc3\xa9", "a/b",  "a+b"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gl_buf m;
        gl_buf_init(&m);
        cr_assert_eq(gl_request_encode(&m, GL_KIND_PING, ledger, sk, bad[i], 1, 1, NULL, 0), GL_OK);
        gl_request r;
        cr_expect_eq(decode_copy(m.data, m.len, &r), GL_ERR_STRING_INVALID, "tenant \"%s\"",
                     bad[i]);
        gl_buf_free(&m);
    }
}

Test(request, tenant_too_long)
{
    gl_buf m;
    gl_buf_init(&m);
    /* The encoder refuses 17 bytes... */
    cr_expect_eq(
        gl_request_encode(&m, GL_KIND_PING, ledger, sk, "abcdefghijklmnopq", 1, 1, NULL, 0),
        GL_ERR_STRING_TOO_LONG);
    /* ...and so does the decoder, for a hand-built envelope. */
    gl_buf_reset(&m);
    gl_put_bytes(&m, "GLRQ", 4);
    gl_put_u16(&m, GL_PROTOCOL_VERSION);
    gl_put_u16(&m, GL_KIND_PING);
    gl_put_bytes(&m, ledger, GL_LEDGER_ID_BYTES);
    gl_put_bytes(&m, pk, 32);
    gl_put_str8(&m, "abcdefghijklmnopq", 17);
    gl_put_u64(&m, 1);
    gl_put_i64(&m, 1);
    gl_put_u32(&m, 0);
    uint8_t sig[64] = {0};
    gl_put_bytes(&m, sig, 64);
    gl_request r;
    cr_expect_eq(decode_copy(m.data, m.len, &r), GL_ERR_STRING_TOO_LONG);
    gl_buf_free(&m);
}

Test(request, trailing_byte)
{
    gl_buf m;
    sample_request(&m, 1, 1, 10);
    gl_put_u8(&m, 0);
    gl_request r;
    cr_expect_eq(decode_copy(m.data, m.len, &r), GL_ERR_TRAILING_BYTES);
    gl_buf_free(&m);
}

Test(request, body_len_past_end)
{
    gl_buf m;
    sample_request(&m, 1, 1, 10);
    static const uint32_t lens[] = {UINT32_MAX, GL_MESSAGE_MAX, 1000};
    for (size_t i = 0; i < 3; i++) {
        gl_be32(m.data + OFF_BODY_LEN(4), lens[i]);
        gl_request r;
        cr_expect_eq(decode_copy(m.data, m.len, &r), GL_ERR_MALFORMED, "body_len %u",
                     (unsigned)lens[i]);
    }
    gl_buf_free(&m);
}

Test(request, too_large)
{
    /* The decoder refuses by length before reading anything. */
    size_t n = (size_t)GL_MESSAGE_MAX + 1;
    uint8_t *big = calloc(1, n);
    cr_assert_not_null(big);
    memcpy(big, "GLRQ", 4);
    gl_request r;
    cr_expect_eq(gl_request_decode(big, n, &r), GL_ERR_TOO_LARGE);
    /* The encoder refuses a body that cannot fit with its envelope. */
    gl_buf m;
    gl_buf_init(&m);
    cr_expect_eq(gl_request_encode(&m, GL_KIND_POST, ledger, sk, "acme", 1, 1, big, n),
                 GL_ERR_TOO_LARGE);
    cr_expect_eq(gl_request_encode(&m, GL_KIND_POST, ledger, sk, "acme", 1, 1, big, GL_MESSAGE_MAX),
                 GL_ERR_TOO_LARGE);
    gl_buf_free(&m);
    free(big);
}

Test(request, wrong_signer_key)
{
    gl_buf m;
    sample_request(&m, 1, 1, 10);
    memcpy(m.data + OFF_SIGNER, pk2, 32);
    gl_request r;
    cr_expect_eq(decode_copy(m.data, m.len, &r), GL_ERR_BAD_SIGNATURE);
    /* All-zero (small order) public key. */
    memset(m.data + OFF_SIGNER, 0, 32);
    cr_expect_eq(decode_copy(m.data, m.len, &r), GL_ERR_BAD_SIGNATURE);
    gl_buf_free(&m);
}

Test(request, signature_of_another_request_does_not_verify)
{
    gl_buf a, b;
    sample_request(&a, 1, 1, 10);
    sample_request(&b, 2, 1, 10);
    cr_assert_eq(a.len, b.len);
    memcpy(a.data + a.len - 64, b.data + b.len - 64, 64);
    gl_request r;
    cr_expect_eq(decode_copy(a.data, a.len, &r), GL_ERR_BAD_SIGNATURE);
    gl_buf_free(&a);
    gl_buf_free(&b);
}

/* ---- round trips ------------------------------------------------------ */

Test(request, encode_decode_round_trip)
{
    gl_buf body;
    journal_body(&body, 250);
    gl_buf m;
    gl_buf_init(&m);
    cr_assert_eq(gl_request_encode(&m, GL_KIND_JOURNAL, ledger, sk, "asso-velo_75", UINT64_MAX,
                                   INT64_MIN, body.data, body.len),
                 GL_OK);
    cr_assert_eq(m.len, (size_t)OFF_BODY(12) + body.len + 64);

    gl_request r;
    cr_assert_eq(gl_request_decode(m.data, m.len, &r), GL_OK);
    cr_expect_eq(r.version, GL_PROTOCOL_VERSION);
    cr_expect_eq(r.kind, GL_KIND_JOURNAL);
    cr_expect_arr_eq(r.signer, pk, 32);
    cr_expect(gl_str_eq(r.tenant, "asso-velo_75"));
    cr_expect_eq(r.request_id, UINT64_MAX);
    cr_expect_eq(r.timestamp_ms, INT64_MIN);
    cr_expect_eq(r.body_len, body.len);
    cr_expect_arr_eq(r.body, body.data, body.len);
    cr_expect_eq(r.signature, m.data + m.len - 64);
    cr_expect_eq(r.raw, m.data);
    cr_expect_eq(r.raw_len, m.len);
    cr_expect_eq(gl_request_verify(&r), GL_OK);

    /* The body decodes as what was sent. */
    gl_journal_q q;
    cr_expect_eq(gl_journal_q_decode(r.body, r.body_len, &q), GL_OK);
    cr_expect_eq(q.limit, 250);
    gl_buf_free(&m);
    gl_buf_free(&body);
}

Test(request, exact_bytes_and_signed_message)
{
    /* The envelope layout of request.h, byte for byte, and the signature
     * over GL_SIGN_TAG (with its NUL) || every byte before the signature. */
    const uint8_t body[] = {0xde, 0xad};
    gl_buf m;
    gl_buf_init(&m);
    cr_assert_eq(gl_request_encode(&m, GL_KIND_PING, ledger, sk, "t1", 0x0102030405060708ull, -2,
                                   body, sizeof body),
                 GL_OK);
    gl_buf want;
    gl_buf_init(&want);
    gl_put_bytes(&want, "GLRQ", 4);
    gl_put_bytes(&want, (const uint8_t[]){0, 2, 0, 1}, 4);
    gl_put_bytes(&want, ledger, GL_LEDGER_ID_BYTES);
    gl_put_bytes(&want, pk, 32);
    gl_put_bytes(&want, (const uint8_t[]){2, 't', '1'}, 3);
    gl_put_bytes(&want, (const uint8_t[]){1, 2, 3, 4, 5, 6, 7, 8}, 8);
    gl_put_bytes(&want, (const uint8_t[]){0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe}, 8);
    gl_put_bytes(&want, (const uint8_t[]){0, 0, 0, 2, 0xde, 0xad}, 6);
    cr_assert_eq(m.len, want.len + 64);
    cr_expect_arr_eq(m.data, want.data, want.len);

    gl_buf signed_msg;
    gl_buf_init(&signed_msg);
    gl_put_bytes(&signed_msg, "grandlivre/request/v2", 22); /* with NUL */
    gl_put_bytes(&signed_msg, want.data, want.len);
    cr_expect_eq(
        crypto_sign_verify_detached(m.data + want.len, signed_msg.data, signed_msg.len, pk), 0);
    gl_buf_free(&signed_msg);
    gl_buf_free(&want);
    gl_buf_free(&m);
}

Test(request, every_kind_round_trips_and_empty_tenant_for_ping)
{
    for (uint16_t k = 1; k <= GL_KIND_MAX_; k++) {
        if (!gl_kind_known(k)) { /* gaps in the numbering are refused */
            gl_buf m;
            gl_buf_init(&m);
            cr_assert_eq(gl_request_encode(&m, k, ledger, sk, "acme", k, 0, NULL, 0), GL_OK);
            gl_request r;
            cr_expect_eq(decode_copy(m.data, m.len, &r), GL_ERR_UNKNOWN_KIND, "kind %u",
                         (unsigned)k);
            gl_buf_free(&m);
            continue;
        }
        gl_buf m;
        gl_buf_init(&m);
        cr_assert_eq(
            gl_request_encode(&m, k, ledger, sk, k == GL_KIND_PING ? "" : "acme", k, 0, NULL, 0),
            GL_OK);
        gl_request r;
        cr_expect_eq(decode_copy(m.data, m.len, &r), GL_OK, "kind %u", (unsigned)k);
        cr_expect_eq(r.kind, k);
        cr_expect_eq(r.body_len, 0u);
        cr_expect_str_neq((char *)gl_kind_name(k), "unknown");
        gl_buf_free(&m);
    }
    cr_expect_str_eq((char *)gl_kind_name(0), "unknown");
    cr_expect_str_eq((char *)gl_kind_name(99), "unknown");
    cr_expect(gl_kind_writes(GL_KIND_POST));
    cr_expect(gl_kind_writes(GL_KIND_ACCOUNTS_OPEN));
    cr_expect(!gl_kind_writes(GL_KIND_PING));
    cr_expect(!gl_kind_writes(GL_KIND_BALANCE));
    cr_expect(!gl_kind_writes(GL_KIND_JOURNAL));
    cr_expect(!gl_kind_writes(GL_KIND_LEDGER));
    cr_expect(!gl_kind_writes(GL_KIND_ACCOUNTS_LIST));
}

Test(request, tenant_of_max_length)
{
    gl_buf m;
    gl_buf_init(&m);
    cr_assert_eq(gl_request_encode(&m, GL_KIND_PING, ledger, sk, "abcdefghijklmn-_", 1, 1, NULL, 0),
                 GL_OK);
    gl_request r;
    cr_expect_eq(decode_copy(m.data, m.len, &r), GL_OK);
    gl_buf_free(&m);
}

/* ---- digest ----------------------------------------------------------- */

static void digest_of(const gl_buf *m, uint8_t out[32])
{
    gl_request r;
    cr_assert_eq(gl_request_decode(m->data, m->len, &r), GL_OK);
    gl_request_digest(&r, out);
}

Test(request, digest_ignores_timestamp_and_request_id)
{
    gl_buf a, b;
    sample_request(&a, 1, 1700000000000, 100);
    sample_request(&b, 999, 1700000099999, 100); /* a retry, re-signed later */
    uint8_t da[32], db[32];
    digest_of(&a, da);
    digest_of(&b, db);
    cr_expect_arr_eq(da, db, 32);
    cr_expect_arr_neq(a.data, b.data, a.len, "the envelopes themselves differ");
    gl_buf_free(&a);
    gl_buf_free(&b);
}

Test(request, digest_depends_on_body_kind_and_tenant)
{
    gl_buf a, b;
    sample_request(&a, 1, 1, 100);
    sample_request(&b, 1, 1, 101); /* body differs in its last byte */
    uint8_t da[32], db[32];
    digest_of(&a, da);
    digest_of(&b, db);
    cr_expect_arr_neq(da, db, 32);

    gl_buf body;
    journal_body(&body, 100);
    gl_buf c;
    gl_buf_init(&c);
    cr_assert_eq(
        gl_request_encode(&c, GL_KIND_LEDGER, ledger, sk, "acme", 1, 1, body.data, body.len),
        GL_OK);
    digest_of(&c, db);
    cr_expect_arr_neq(da, db, 32, "kind is part of the digest");
    cr_assert_eq(
        gl_request_encode(&c, GL_KIND_JOURNAL, ledger, sk, "acmf", 1, 1, body.data, body.len),
        GL_OK);
    digest_of(&c, db);
    cr_expect_arr_neq(da, db, 32, "tenant is part of the digest");
    /* Tenant and body boundaries are length-prefixed: "ab"+"c..." vs "a"+"bc...". */
    uint8_t x1[32], x2[32];
    cr_assert_eq(gl_request_encode(&c, GL_KIND_POST, ledger, sk, "ab", 1, 1, "c", 1), GL_OK);
    digest_of(&c, x1);
    cr_assert_eq(gl_request_encode(&c, GL_KIND_POST, ledger, sk, "a", 1, 1, "bc", 2), GL_OK);
    digest_of(&c, x2);
    cr_expect_arr_neq(x1, x2, 32);
    gl_buf_free(&c);
    gl_buf_free(&body);
    gl_buf_free(&a);
    gl_buf_free(&b);
}

/* Known answer for the idempotency digest.  The daemon stores digests to
 * recognise retries, so CHANGING THIS VALUE BREAKS RETRIES ACROSS AN UPGRADE
 * (a protocol break).  Computed once and cross-checked with an independent
 * implementation (Python hashlib.blake2b, digest_size=32) over
 * "grandlivre/digest/v1" (no NUL) | kind u16 | tenant str8 | body_len u32 |
 * body, for kind POST, tenant "acme", body 00 01 02. */
Test(request, digest_known_answer)
{
    const uint8_t body[] = {0, 1, 2};
    gl_buf m;
    gl_buf_init(&m);
    cr_assert_eq(
        gl_request_encode(&m, GL_KIND_POST, ledger, sk, "acme", 77, 1234, body, sizeof body),
        GL_OK);
    uint8_t d[32];
    digest_of(&m, d);
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, d, sizeof d);
    cr_expect_str_eq(hex, "96047c626924c46a6229194df0b2154bec06a5821bcca6e709d2b005e9e37e9c");
    gl_buf_free(&m);
}

/* Idempotency across protocol version 2: a version 1 POST's content, sent
 * again in version 2 (entries in layout 2, empty extension areas), must
 * have the digest the upgrade gives its request record. */
static void post_body_in(gl_buf *b, int layout)
{
    const gl_line_in lines[] = {{"512", "", "", "", 'D', 5000},
                                {"756", "AUX1", "Dupont", "cotis.", 'C', 5000}};
    gl_entry_in e = {.tenant = "acme",
                     .date = 20250115,
                     .journal = "BQ",
                     .piece_ref = "R1",
                     .piece_date = 20250115,
                     .label = "Cotisation",
                     .line_count = 2,
                     .lines = lines};
    gl_buf_init(b);
    gl_put_u32(b, 2);
    cr_assert_eq(gl_entry_encode_layout(b, &e, layout), GL_OK);
    e.date = 20250116;
    cr_assert_eq(gl_entry_encode_layout(b, &e, layout), GL_OK);
}

Test(request, version_1_post_is_redigested_as_its_version_2_form)
{
    gl_buf b1, b2, m1, m2, conv;
    post_body_in(&b1, GL_LAYOUT_1);
    post_body_in(&b2, GL_LAYOUT_2);
    cr_assert_eq(b2.len, b1.len + 3 * 2 * 2, "an empty area (2 bytes) per entry and per line");
    gl_buf_init(&m1);
    gl_buf_init(&m2);
    gl_buf_init(&conv);
    cr_assert_eq(gl_request_encode_v1(&m1, GL_KIND_POST, sk, "acme", 5, 1, b1.data, b1.len), GL_OK);
    cr_assert_eq(gl_request_encode(&m2, GL_KIND_POST, ledger, sk, "acme", 5, 2, b2.data, b2.len),
                 GL_OK);
    gl_request r1, r2;
    cr_assert_eq(gl_request_decode_any(m1.data, m1.len, &r1), GL_OK);
    cr_assert_eq(gl_request_decode(m2.data, m2.len, &r2), GL_OK);
    cr_assert_eq(gl_request_body_v2(&r1, &conv), GL_OK);
    cr_assert_eq(conv.len, b2.len);
    cr_expect_arr_eq(conv.data, b2.data, b2.len);
    uint8_t d1[32], d1v2[32], d2[32], d2v2[32];
    gl_request_digest(&r1, d1);
    cr_assert_eq(gl_request_digest_v2(&r1, d1v2), GL_OK);
    gl_request_digest(&r2, d2);
    cr_assert_eq(gl_request_digest_v2(&r2, d2v2), GL_OK);
    cr_expect_arr_neq(d1, d2, 32, "the version 1 digest is over other bytes");
    cr_expect_arr_eq(d1v2, d2, 32);
    cr_expect_arr_eq(d2v2, d2, 32, "a version 2 request's digest is its own");
    /* any other kind carries the same body in both versions */
    gl_buf lock;
    gl_buf_init(&lock);
    gl_lock_q_encode(&lock, &(gl_lock_q){.through_ym = 202503, .mode = GL_LOCK_NEXT_ONLY});
    cr_assert_eq(gl_request_encode_v1(&m1, GL_KIND_LOCK, sk, "acme", 6, 1, lock.data, lock.len),
                 GL_OK);
    cr_assert_eq(gl_request_decode_any(m1.data, m1.len, &r1), GL_OK);
    gl_request_digest(&r1, d1);
    cr_assert_eq(gl_request_digest_v2(&r1, d1v2), GL_OK);
    cr_expect_arr_eq(d1, d1v2, 32);
    /* a version 1 POST body that does not decode has no version 2 form */
    cr_assert_eq(gl_request_encode_v1(&m1, GL_KIND_POST, sk, "acme", 7, 1, b2.data, b2.len), GL_OK);
    cr_assert_eq(gl_request_decode_any(m1.data, m1.len, &r1), GL_OK);
    cr_expect_neq(gl_request_digest_v2(&r1, d1v2), GL_OK);
    gl_buf_free(&lock);
    gl_buf_free(&conv);
    gl_buf_free(&m1);
    gl_buf_free(&m2);
    gl_buf_free(&b1);
    gl_buf_free(&b2);
}

/* ---- replies ---------------------------------------------------------- */

static void sample_reply(gl_buf *out)
{
    static const uint8_t body[] = {0, 0, 0, 3, 'x', 'y', 'z'};
    gl_reply r = {.status = GL_ERR_UNBALANCED,
                  .request_id = 0xfedcba9876543210ull,
                  .flags = GL_REPLY_REPLAYED,
                  .err_item = 3,
                  .err_line = 2,
                  .detail = {"d\xc3\xa9"
                             "bit \xe2\x89\xa0 cr\xc3\xa9"
                             "dit",
                             18},
                  .body = body,
                  .body_len = sizeof body};
    gl_buf_init(out);
    gl_reply_encode(out, &r);
    cr_assert(gl_buf_ok(out));
}

Test(request, reply_truncation_at_every_length)
{
    gl_buf m;
    sample_reply(&m);
    for (size_t n = 0; n < m.len; n++) {
        uint8_t *d = dup_bytes(m.data, n);
        gl_reply r;
        cr_expect_eq(gl_reply_decode(d, n, &r), GL_ERR_MALFORMED, "prefix %zu", n);
        free(d);
    }
    gl_buf_free(&m);
}

Test(request, reply_malformed)
{
    gl_buf m;
    sample_reply(&m);
    gl_reply r;
    /* wrong magic, including a request's */
    memcpy(m.data, "GLRQ", 4);
    cr_expect_eq(gl_reply_decode(m.data, m.len, &r), GL_ERR_BAD_MAGIC);
    memcpy(m.data, "GLRP", 4);
    /* version 3 and 0; versions 1 and 2 share one layout and are read */
    m.data[5] = 3;
    cr_expect_eq(gl_reply_decode(m.data, m.len, &r), GL_ERR_VERSION);
    m.data[5] = 0;
    cr_expect_eq(gl_reply_decode(m.data, m.len, &r), GL_ERR_VERSION);
    m.data[5] = 1;
    cr_assert_eq(gl_reply_decode(m.data, m.len, &r), GL_OK);
    cr_expect_eq(r.version, 1);
    m.data[5] = 2;
    cr_assert_eq(gl_reply_decode(m.data, m.len, &r), GL_OK);
    cr_expect_eq(r.version, 2);
    /* invalid detail: a control byte, then a broken UTF-8 sequence */
    const size_t off_detail = 4 + 2 + 2 + 8 + 1 + 4 + 4 + 2;
    uint8_t saved = m.data[off_detail];
    m.data[off_detail] = '\n';
    cr_expect_eq(gl_reply_decode(m.data, m.len, &r), GL_ERR_STRING_INVALID);
    m.data[off_detail] = 0xc3;
    cr_expect_eq(gl_reply_decode(m.data, m.len, &r), GL_ERR_STRING_INVALID);
    m.data[off_detail] = saved;
    /* body_len past the end */
    gl_be32(m.data + m.len - 7 - 4, 8);
    cr_expect_eq(gl_reply_decode(m.data, m.len, &r), GL_ERR_MALFORMED);
    gl_be32(m.data + m.len - 7 - 4, 7);
    /* trailing byte */
    gl_put_u8(&m, 0);
    cr_expect_eq(gl_reply_decode(m.data, m.len, &r), GL_ERR_TRAILING_BYTES);
    gl_buf_free(&m);

    /* detail longer than GL_DETAIL_MAX, hand-built */
    gl_buf_init(&m);
    gl_put_bytes(&m, "GLRP", 4);
    gl_put_u16(&m, 1);
    gl_put_u16(&m, 0);
    gl_put_u64(&m, 0);
    gl_put_u8(&m, 0);
    gl_put_u32(&m, 0);
    gl_put_u32(&m, 0);
    char text[GL_DETAIL_MAX + 1];
    memset(text, 'e', sizeof text);
    gl_put_str16(&m, text, sizeof text);
    gl_put_u32(&m, 0);
    cr_expect_eq(gl_reply_decode(m.data, m.len, &r), GL_ERR_STRING_TOO_LONG);
    gl_buf_free(&m);

    /* too large */
    size_t n = (size_t)GL_MESSAGE_MAX + 8192 + 1; /* what a client socket accepts, plus one */
    uint8_t *big = calloc(1, n);
    cr_assert_not_null(big);
    memcpy(big, "GLRP", 4);
    cr_expect_eq(gl_reply_decode(big, n, &r), GL_ERR_TOO_LARGE);
    free(big);
}

Test(request, reply_round_trip)
{
    gl_buf m;
    sample_reply(&m);
    gl_reply r;
    cr_assert_eq(gl_reply_decode(m.data, m.len, &r), GL_OK);
    cr_expect_eq(r.status, GL_ERR_UNBALANCED);
    cr_expect_eq(r.request_id, 0xfedcba9876543210ull);
    cr_expect_eq(r.flags, GL_REPLY_REPLAYED);
    cr_expect_eq(r.err_item, 3u);
    cr_expect_eq(r.err_line, 2u);
    cr_expect(gl_str_eq(r.detail,
                        "d\xc3\xa9"
                        "bit \xe2\x89\xa0 cr\xc3\xa9"
                        "dit"));
    cr_expect_eq(r.body_len, 7u);
    cr_expect_arr_eq(r.body, ((const uint8_t[]){0, 0, 0, 3, 'x', 'y', 'z'}), 7);

    /* Re-encoding the decoded reply gives the same bytes. */
    gl_buf again;
    gl_buf_init(&again);
    gl_reply_encode(&again, &r);
    cr_expect_eq(again.len, m.len);
    cr_expect_arr_eq(again.data, m.data, m.len);
    gl_buf_free(&again);

    /* An OK reply with no detail and no body. */
    gl_reply ok = {.status = GL_OK, .request_id = 5};
    gl_buf_reset(&m);
    gl_reply_encode(&m, &ok);
    cr_assert_eq(gl_reply_decode(m.data, m.len, &r), GL_OK);
    cr_expect_eq(r.status, GL_OK);
    cr_expect_eq(r.request_id, 5u);
    cr_expect_eq(r.detail.len, 0u);
    cr_expect_eq(r.body_len, 0u);
    gl_buf_free(&m);
}

Test(request, reply_encode_truncates_long_ascii_detail)
{
    char text[600];
    memset(text, 'x', sizeof text);
    gl_reply in = {.status = GL_ERR_INTERNAL, .detail = {text, sizeof text}};
    gl_buf m;
    gl_buf_init(&m);
    gl_reply_encode(&m, &in);
    gl_reply r;
    cr_assert_eq(gl_reply_decode(m.data, m.len, &r), GL_OK);
    cr_expect_eq(r.detail.len, (size_t)GL_DETAIL_MAX);
    gl_buf_free(&m);
}

/* Regression (proto/request.c, gl_reply_encode): the detail used to be cut
 * at exactly GL_DETAIL_MAX bytes, which could split a multibyte UTF-8
 * character, so the client refused the daemon's own reply with
 * STRING_INVALID.  The cut must back off to a character boundary. */
Test(request, reply_encode_truncates_detail_on_a_character_boundary)
{
    /* "a" then 300 x "é" (2 bytes): byte 512 is the middle of an "é". */
    char text[1 + 600];
    text[0] = 'a';
    for (size_t i = 0; i < 300; i++) {
        text[1 + 2 * i] = '\xc3';
        text[2 + 2 * i] = '\xa9';
    }
    cr_assert(gl_utf8_valid(text, sizeof text));
    gl_reply in = {.status = GL_ERR_BAD_ACCOUNT, .detail = {text, sizeof text}};
    gl_buf m;
    gl_buf_init(&m);
    gl_reply_encode(&m, &in);
    gl_reply r;
    cr_expect_eq(gl_reply_decode(m.data, m.len, &r), GL_OK,
                 "a reply encoded by gl_reply_encode must decode");
    cr_expect_leq(r.detail.len, (size_t)GL_DETAIL_MAX);
    cr_expect_eq(r.detail.len, (size_t)GL_DETAIL_MAX - 1);
    gl_buf_free(&m);
}

/* proto/PROTOCOL.md §11, byte for byte (also recomputed independently by
 * scripts/protocol-examples). */
static void expect_hex(const uint8_t *p, size_t n, const char *want)
{
    char *hex = malloc(2 * n + 1);
    cr_assert_not_null(hex);
    sodium_bin2hex(hex, 2 * n + 1, p, n);
    cr_expect_str_eq(hex, (char *)want);
    free(hex);
}

Test(request, protocol_md_worked_examples)
{
    uint8_t seed[32] = {0}, epk[32], esk[64];
    crypto_sign_seed_keypair(epk, esk, seed);
    static const uint8_t zero[GL_LEDGER_ID_BYTES];
    static const uint8_t example[GL_LEDGER_ID_BYTES] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55,
                                                        0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb,
                                                        0xcc, 0xdd, 0xee, 0xff};
    gl_buf m;
    gl_buf_init(&m);
    cr_assert_eq(gl_request_encode(&m, GL_KIND_PING, zero, esk, "", 1, 0, NULL, 0), GL_OK);
    expect_hex(
        m.data, m.len,
        "474c525100020001000000000000000000000000000000003b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048"
        "a18b59da29000000000000000001000000000000000000000000f72797fce32dc17a9d9831eae8c63aaa6613958d02a13898c6"
        "ecf8ff20538d055ca6b7bf18979cf7d023edda14cbfdf26670e2e1911fdbe4a0bfce493ee79c00");
    const gl_line_in ls[2] = {{"512", "", "", "", 'D', 5000}, {"756", "", "", "", 'C', 5000}};
    gl_entry_in e = {.tenant = "acme",
                     .date = 20250115,
                     .journal = "BQ",
                     .piece_ref = "R1",
                     .piece_date = 20250115,
                     .label = "Cotisation",
                     .line_count = 2,
                     .lines = ls};
    gl_buf body;
    gl_buf_init(&body);
    gl_put_u32(&body, 1);
    cr_assert_eq(gl_entry_encode(&body, &e), GL_OK);
    cr_assert_eq(gl_request_encode(&m, GL_KIND_POST, example, esk, "acme", 0xbaa5052c12c95683ull,
                                   1767225600000ll, body.data, body.len),
                 GL_OK);
    expect_hex(
        m.data, m.len,
        "474c52510002000400112233445566778899aabbccddeeff3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048"
        "a18b59da290461636d65baa5052c12c956830000019b76daa80000000051000000010461636d650134fe030242510252310134"
        "fe030a436f7469736174696f6e000000000000000000000203353132000000440000000000001388000003373536000000430"
        "0000000000013880000bb75d3f3f871dfa9a7aa2b55446a81b79b3d48f483fd498975148f599325db8adaca4f678fe1be19"
        "9592d320b99763cb1584a3638a15bb0782a390adcdd18e0e");
    gl_request r;
    uint8_t d[32];
    cr_assert_eq(gl_request_decode(m.data, m.len, &r), GL_OK);
    gl_request_digest(&r, d);
    expect_hex(d, 32, "57abae8e2baab5fa05f49309740c3657712575ac1bf869f0c786647ef5d6c38b");
    gl_buf_free(&body);
    gl_buf_free(&m);
}
