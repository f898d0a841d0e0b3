/*
 * proto/request.h — the signed request envelope and the reply envelope.
 *
 * Request (all integers big-endian):
 *   "GLRQ" | version u16 | kind u16 | signer[32] | tenant str8 |
 *   request_id u64 | timestamp_ms i64 | body_len u32 | body | signature[64]
 * The Ed25519 signature covers GL_SIGN_TAG (with its NUL) followed by every
 * byte before the signature.  Exactly one byte string encodes each request.
 *
 * Reply:
 *   "GLRP" | version u16 | status u16 | request_id u64 | flags u8 |
 *   err_item u32 | err_line u32 | detail str16 | body_len u32 | body
 *
 * Decoding never allocates: the decoded request points into the input,
 * which must outlive it.  Body contents are decoded per kind (entry.h,
 * query.h).
 */
#ifndef GL_REQUEST_H
#define GL_REQUEST_H

#include "limits.h"
#include "wire.h"

#include <stdbool.h>
#include <stdint.h>

#define GL_SIGN_TAG "grandlivre/request/v1"
#define GL_PUBKEY_BYTES 32
#define GL_SECKEY_BYTES 64
#define GL_SIG_BYTES 64

enum gl_kind {
    GL_KIND_PING = 1,
    GL_KIND_ACCOUNTS_OPEN = 2,
    GL_KIND_ACCOUNTS_LIST = 3,
    GL_KIND_POST = 4,
    GL_KIND_BALANCE = 5,
    GL_KIND_JOURNAL = 6,
    GL_KIND_LEDGER = 7,
    GL_KIND_ENTRY_GET = 8,
    GL_KIND_LOCK = 9,
    GL_KIND_CLOSE_YEAR = 10,
    GL_KIND_LETTER = 11,
    GL_KIND_UNLETTER = 12,
    GL_KIND_PERIODS = 13,
    GL_KIND_CHAIN = 14,
    GL_KIND_ENVELOPE = 15,
    GL_KIND_STATS = 16,
    GL_KIND_BACKUP = 17,
    GL_KIND_KEYRING = 20,
    GL_KIND_TENANTS = 21,
    GL_KIND_KEYS_SET = 30,
    GL_KIND_KEYS_GET = 31,
    GL_KIND_RECHARGE = 32,
    GL_KIND_DUES = 33,
    GL_KIND_GROUP_BALANCE = 34,
    GL_KIND_GROUP_RECONCILE = 35,
    GL_KIND_MAX_ = 35,
};

/* True for kinds that change the ledger (handled by the writer). */
bool gl_kind_writes(uint16_t kind);
/* True for the kinds this version of the protocol defines. */
bool gl_kind_known(uint16_t kind);
const char *gl_kind_name(uint16_t kind);

typedef struct gl_request {
    uint16_t version;
    uint16_t kind;
    const uint8_t *signer; /* GL_PUBKEY_BYTES */
    gl_str tenant;
    uint64_t request_id;
    int64_t timestamp_ms;
    const uint8_t *body;
    uint32_t body_len;
    const uint8_t *signature; /* GL_SIG_BYTES */
    const uint8_t *raw;       /* the whole message */
    size_t raw_len;
} gl_request;

/* Decode the envelope (not the body). Returns GL_OK or the first error:
 * TOO_LARGE, MALFORMED, BAD_MAGIC, VERSION, UNKNOWN_KIND, STRING_*,
 * TRAILING_BYTES. Does not verify the signature. */
int gl_request_decode(const void *data, size_t len, gl_request *out);
/* GL_OK if the signature verifies under req->signer, else BAD_SIGNATURE. */
int gl_request_verify(const gl_request *req);

/* Build a signed request into out (reset first).  secret_key is libsodium's
 * 64-byte Ed25519 secret key, whose last 32 bytes are the public key.
 * Returns GL_OK, NOMEM, or STRING_TOO_LONG/TOO_LARGE for bad arguments. */
int gl_request_encode(gl_buf *out, uint16_t kind, const uint8_t *secret_key,
                      const char *tenant, uint64_t request_id, int64_t timestamp_ms,
                      const void *body, size_t body_len);

/* Digest identifying a request's content for idempotency: BLAKE2b-256 over
 * kind, tenant and body (not timestamp, not signature), so that a retry
 * re-signed later is recognised as the same request. */
void gl_request_digest(const gl_request *req, uint8_t out[32]);

#define GL_REPLY_REPLAYED 0x01 /* flags: the original reply of a retried request */

typedef struct gl_reply {
    uint16_t status;
    uint64_t request_id;
    uint8_t flags;
    uint32_t err_item; /* 1-based entry/item at fault, 0 if none */
    uint32_t err_line; /* 1-based line at fault, 0 if none */
    gl_str detail;
    const uint8_t *body;
    uint32_t body_len;
} gl_reply;

int gl_reply_decode(const void *data, size_t len, gl_reply *out);
void gl_reply_encode(gl_buf *out, const gl_reply *r);

#endif
