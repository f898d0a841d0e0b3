/*
 * proto/seal.h — personal data that can be forgotten (issue 17,
 * PROTOCOL.md §5.28-§5.29): the identifying block of a natural person's
 * third-party record, sealed by the client to the person's own public key
 * (libsodium crypto_box_seal, X25519) that the daemon creates on request
 * (PERSON_KEY, 28) and destroys on FORGET (29).  The chain and the
 * signatures cover the sealed bytes: once the secret key is destroyed they
 * open with nothing, and `verify` still checks every byte (crypto-shredding).
 *
 * The identifying block (the same layout as proto/third_party.h's ident):
 *   name str8 (<= GL_LABEL_MAX) | address str16 (<= GL_SEAL_ADDRESS_MAX) |
 *   email str8 (<= GL_SEAL_EMAIL_MAX) | iban str8 (<= GL_SEAL_IBAN_MAX)
 * Its sealed form: crypto_box_seal(block, pk), block + GL_SEAL_OVERHEAD
 * bytes (an ephemeral public key and a MAC; nothing else).
 *
 * The bodies of PERSON_KEY and FORGET: code str8 (an auxiliary code,
 * 1..GL_AUX_MAX bytes).  PERSON_KEY's reply: the public key, 32 bytes.
 * The chain event GL_EVENT_FORGET (12): code str8 | date u32 (YYYYMMDD,
 * Paris, of the event's recorded_ms): what was forgotten and when, never
 * the data.
 * Pure but for libsodium; no allocation beyond gl_buf.
 */
#ifndef GL_SEAL_H
#define GL_SEAL_H

#include "wire.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GL_PERSON_PK_BYTES 32 /* crypto_box_PUBLICKEYBYTES */
#define GL_PERSON_SK_BYTES 32 /* crypto_box_SECRETKEYBYTES */
#define GL_SEAL_OVERHEAD 48   /* crypto_box_SEALBYTES */
/* The block's fields' maxima (proto/third_party.h's GL_TP_*_MAX). */
#define GL_SEAL_ADDRESS_MAX 400
#define GL_SEAL_EMAIL_MAX 254
#define GL_SEAL_IBAN_MAX 34

typedef struct gl_identity {
    gl_str name, address, email, iban;
} gl_identity;

/* The block's bytes (the caller keeps the fields within their maxima). */
void gl_identity_encode(gl_buf *b, const gl_identity *id);
/* A block back (views into it): GL_OK or the cursor's status. */
int gl_identity_decode(const uint8_t *block, size_t len, gl_identity *out);

/* crypto_box_seal(block) to pk, appended to out (block_len +
 * GL_SEAL_OVERHEAD bytes): GL_OK, or GL_ERR_INTERNAL (out failed). */
int gl_identity_seal(const uint8_t pk[GL_PERSON_PK_BYTES], const uint8_t *block, size_t block_len,
                     gl_buf *out);
/* Open sealed with the key pair into out (sealed_len - GL_SEAL_OVERHEAD
 * bytes): true if it opened (it was sealed to pk and is intact). */
bool gl_identity_open(const uint8_t pk[GL_PERSON_PK_BYTES], const uint8_t sk[GL_PERSON_SK_BYTES],
                      const uint8_t *sealed, size_t sealed_len, gl_buf *out);

/* PERSON_KEY's and FORGET's body: code str8, 1..GL_AUX_MAX bytes of text. */
int gl_person_code_decode(const uint8_t *body, size_t len, gl_str *code);
void gl_person_code_encode(gl_buf *b, gl_str code);

/* GL_EVENT_FORGET's payload. */
typedef struct gl_forget_ev {
    gl_str code;
    uint32_t date; /* YYYYMMDD */
} gl_forget_ev;
void gl_forget_ev_encode(gl_buf *b, const gl_forget_ev *e);
int gl_forget_ev_decode(const uint8_t *p, size_t len, gl_forget_ev *out);

#endif
