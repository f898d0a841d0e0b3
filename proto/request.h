/*
 * proto/request.h — the signed request envelope and the reply envelope.
 *
 * Request, version 2 (all integers big-endian):
 *   "GLRQ" | version u16 (2) | kind u16 | ledger_id[16] | signer[32] |
 *   tenant str8 | request_id u64 | timestamp_ms i64 | body_len u32 | body |
 *   signature[64]
 * The Ed25519 signature covers GL_SIGN_TAG (with its NUL) followed by every
 * byte before the signature.  ledger_id names the one ledger the request is
 * meant for (the daemon refuses another's: WRONG_LEDGER); it may be all
 * zero only in a PING, which is how a client learns it.  Exactly one byte
 * string encodes each request.
 *
 * Version 1 (the history: still verified offline, refused by the daemon) is
 * the same without ledger_id, signed under GL_SIGN_TAG_1, and its POST
 * entries have layout 1 (entry.h).
 *
 * Reply (version 2; the same layout as version 1):
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

#define GL_SIGN_TAG "grandlivre/request/v2"
#define GL_SIGN_TAG_1 "grandlivre/request/v1" /* version 1 (history) */
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
    GL_KIND_ACCOUNT_LABEL = 18,
    GL_KIND_KEYRING = 20,
    GL_KIND_TENANTS = 21,
    GL_KIND_THIRD_PARTY_SET = 22,
    GL_KIND_THIRD_PARTIES = 23,
    GL_KIND_LETTER_BATCH = 24, /* several LETTER sets, all or nothing (issue 17) */
    GL_KIND_REMINDER_RECORD = 25,
    GL_KIND_REMINDERS = 26,
    GL_KIND_CARRY_MODE_SET = 27,
    GL_KIND_PERSON_KEY = 28,
    GL_KIND_FORGET = 29,
    GL_KIND_KEYS_SET = 30,
    GL_KIND_KEYS_GET = 31,
    GL_KIND_RECHARGE = 32,
    GL_KIND_DUES = 33,
    GL_KIND_GROUP_BALANCE = 34,
    GL_KIND_GROUP_RECONCILE = 35,
    GL_KIND_BANK_ACCOUNT_SET = 36, /* issue 18: register a bank account */
    GL_KIND_BANK_IMPORT = 37,      /* issue 18: a bank statement's lines */
    GL_KIND_BANK_LINES = 38,
    GL_KIND_BANK_ACCOUNTS = 39,
    GL_KIND_BANK_MATCH = 40,    /* issue 18: statement lines matched with ledger lines */
    GL_KIND_BANK_UNMATCH = 41,  /* issue 18: a match undone */
    GL_KIND_BANK_RULE_SET = 42, /* issue 18: a rule of recurring bank-only lines */
    GL_KIND_BANK_RULES = 43,
    GL_KIND_BANK_RECON = 44,        /* issue 18: the reconciliation at a date */
    GL_KIND_BANK_MATCHES = 45,      /* issue 18: the matches of a bank account */
    GL_KIND_ANALYTIC_AXIS_SET = 46, /* issue 19: an analytic axis opened, relabelled, closed */
    GL_KIND_ANALYTIC_CODE_SET = 47, /* issue 19: a code of an axis */
    GL_KIND_ANALYTIC_RULE_SET = 48, /* issue 19: an axis required on accounts */
    GL_KIND_ANALYTIC_AXES = 49,     /* issue 19: the axes, codes and rules */
    GL_KIND_ANALYTIC_ALLOC = 50,    /* issue 19: codes given to lines already posted */
    GL_KIND_ANALYTIC_BALANCE = 51,  /* issue 19: per code and account, at a date */
    GL_KIND_ANALYTIC_LEDGER = 52,   /* issue 19: the lines of a code */
    GL_KIND_TIMESHEET_SET = 53,     /* issue 19: an employee's month of time sheet */
    GL_KIND_TIMESHEETS = 54,        /* issue 19: the time sheets of a fiscal year */
    GL_KIND_GRANT_SET = 55,         /* issue 19: a grant of a funder for an action */
    GL_KIND_GRANTS = 56,            /* issue 19: the tenant's grants */
    GL_KIND_BUDGET_SET = 57,        /* issue 19: a new version of an action's budget */
    GL_KIND_BUDGETS = 58,           /* issue 19: the latest version of each budget */
    GL_KIND_ASSET_SET = 59,         /* issue 20: a fixed asset registered or relabelled */
    GL_KIND_ASSETS = 60,            /* issue 20: the register and each asset's state */
    GL_KIND_ASSET_POST = 61,        /* issue 20: depreciation through a month, or a disposal */
    GL_KIND_RECHARGE_ADJUST = 62,   /* issue 20: the year's true-up of the recharges */
    GL_KIND_MAX_ = 62,
};

/* True for kinds that change the ledger (handled by the writer).  These
 * three read the kind table (kinds.h). */
bool gl_kind_writes(uint16_t kind);
/* True for the kinds this version of the protocol defines. */
bool gl_kind_known(uint16_t kind);
/* Its lower-case name, "unknown" for a kind outside the table. */
const char *gl_kind_name(uint16_t kind);

typedef struct gl_request {
    uint16_t version;
    uint16_t kind;
    const uint8_t *ledger_id; /* GL_LEDGER_ID_BYTES; NULL in a version 1 request */
    const uint8_t *signer;    /* GL_PUBKEY_BYTES */
    gl_str tenant;
    uint64_t request_id;
    int64_t timestamp_ms;
    const uint8_t *body;
    uint32_t body_len;
    const uint8_t *signature; /* GL_SIG_BYTES */
    const uint8_t *raw;       /* the whole message */
    size_t raw_len;
} gl_request;

/* True if t holds only the characters of a tenant id, [a-z0-9_-] (the
 * empty string too, as PING names no tenant: a length rule is the
 * caller's, e.g. 1..GL_TENANT_MAX where a tenant is required). */
bool gl_tenant_id_chars_ok(gl_str t);

/* Decode a version 2 envelope (not the body). Returns GL_OK or the first
 * error: TOO_LARGE, MALFORMED, BAD_MAGIC, VERSION (any other version, 1
 * included), UNKNOWN_KIND, STRING_*, TRAILING_BYTES. Does not verify the
 * signature. */
int gl_request_decode(const void *data, size_t len, gl_request *out);
/* The same accepting version 1 too: for the requests stored before version 2
 * (the offline verifier, the upgrade), never for what arrives. */
int gl_request_decode_any(const void *data, size_t len, gl_request *out);
/* GL_OK if the signature verifies under req->signer (with its version's
 * tag), else BAD_SIGNATURE. */
int gl_request_verify(const gl_request *req);

/* True if the id is all zero (the one PING may be signed with). */
bool gl_ledger_id_is_zero(const uint8_t id[GL_LEDGER_ID_BYTES]);

/* Build a signed version 2 request for the ledger ledger_id into out (reset
 * first).  secret_key is libsodium's 64-byte Ed25519 secret key, whose last
 * 32 bytes are the public key.  Returns GL_OK, NOMEM, or
 * STRING_TOO_LONG/TOO_LARGE for bad arguments. */
int gl_request_encode(gl_buf *out, uint16_t kind, const uint8_t ledger_id[GL_LEDGER_ID_BYTES],
                      const uint8_t *secret_key, const char *tenant, uint64_t request_id,
                      int64_t timestamp_ms, const void *body, size_t body_len);
/* A version 1 request (no ledger id, the version 1 tag): only to build
 * history in tests and tools; the daemon refuses it (VERSION).  The body
 * is taken as given (a POST body must then hold layout-1 entries). */
int gl_request_encode_v1(gl_buf *out, uint16_t kind, const uint8_t *secret_key, const char *tenant,
                         uint64_t request_id, int64_t timestamp_ms, const void *body,
                         size_t body_len);

/* Digest identifying a request's content for idempotency: BLAKE2b-256 over
 * "grandlivre/digest/v1", kind, tenant and body (not timestamp, not
 * signature, not ledger id), so that a retry re-signed later is recognised
 * as the same request.  gl_request_digest takes the request's own body (for
 * a version 1 request: the digest recorded when it was accepted). */
void gl_digest(uint16_t kind, gl_str tenant, const uint8_t *body, size_t body_len, uint8_t out[32]);
void gl_request_digest(const gl_request *req, uint8_t out[32]);
/* The body a version 2 request with the same content carries, appended to
 * out: a version 2 body, or a version 1 body of any kind but POST, as it
 * is; a version 1 POST body with its entries re-encoded in layout 2 (empty
 * extension areas).  GL_OK, the body's decode status, or NOMEM. */
int gl_request_body_v2(const gl_request *req, gl_buf *out);
/* The digest of that body: what the daemon computes for the same request
 * sent again in version 2 (used to carry version 1 request records over). */
int gl_request_digest_v2(const gl_request *req, uint8_t out[32]);

#define GL_REPLY_REPLAYED 0x01 /* flags: the original reply of a retried request */

typedef struct gl_reply {
    uint16_t version; /* decoded: 1 or 2 (same layout); encoded: always GL_PROTOCOL_VERSION */
    uint16_t status;
    uint64_t request_id;
    uint8_t flags;
    uint32_t err_item; /* 1-based entry/item at fault, 0 if none */
    uint32_t err_line; /* 1-based line at fault, 0 if none */
    gl_str detail;
    const uint8_t *body;
    uint32_t body_len;
} gl_reply;

/* Accepts versions 1 and 2 (a version 1 daemon's refusal of a version 2
 * request is then read, not dropped). */
int gl_reply_decode(const void *data, size_t len, gl_reply *out);
void gl_reply_encode(gl_buf *out, const gl_reply *r);

#endif
