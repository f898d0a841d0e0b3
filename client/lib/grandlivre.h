/*
 * grandlivre.h — the Grand Livre client library: key files, connecting to
 * grandlivred, signing and sending requests, waiting for replies.  The
 * command-line client `grandlivre` is a thin layer over it; an association's
 * own software can link it too (pkg-config grandlivre).
 *
 * Every function returns a gl_status (proto/status.h): GL_OK, or a code
 * whose name and message gl_status_name/gl_status_message give, with a
 * sentence in the caller's err buffer where there is one.  Nothing here
 * prints, exits or keeps global state besides libsodium's.
 *
 * Security: every connection is encrypted and authenticated with ZeroMQ
 * CURVE.  The client's CURVE key pair is derived from its Ed25519 key
 * (crypto_sign_ed25519_*_to_curve25519), so one key file serves both; the
 * daemon's CURVE public key is pinned by the caller (from grandlivred
 * --print-server-key).  A daemon that does not know the key, or a server
 * that is not the pinned daemon, makes a call fail at once with an error,
 * never a hang and never a request sent in clear.  Secrets are wiped with
 * sodium_memzero once used.
 *
 * Ledger id (protocol version 2): every request is signed for one ledger,
 * named by the 16-byte id the daemon created with its data directory.  A
 * client learns it once per gl_client, with a PING signed for the all-zero
 * id (the only request the daemon takes that way), before its first other
 * call; or the caller pins it (gl_client_pin_ledger, or
 * GRANDLIVRE_LEDGER_ID for gl_client_open), and then a daemon keeping
 * another ledger refuses every request (GL_ERR_WRONG_LEDGER, 206).  So the
 * first call of a gl_client that has no pinned id makes two round trips
 * (each bounded by the timeout).
 *
 * Changes in 0.3: requests are protocol version 2 (ledger id); gl_call
 * learns the ledger id by itself; gl_client_pin_ledger, gl_client_ledger_id,
 * gl_client_whoami and gl_ledger_id_parse are new.  No existing signature
 * changed.
 *
 * Changes in 0.2: gl_client_open takes the daemon's key from the
 * environment (GRANDLIVRE_SERVER_KEY) and gl_client_open_pinned takes it as
 * an argument; key files may be protected by a passphrase
 * (gl_key_generate_protected, gl_key_load_protected); gl_client_error and
 * gl_fingerprint are new.  No existing signature changed.
 */
#ifndef GRANDLIVRE_H
#define GRANDLIVRE_H

#include "proto/request.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <stddef.h>
#include <stdint.h>

/* One user's Ed25519 key pair (libsodium layout: sk = seed | pk). */
typedef struct gl_key {
    uint8_t sk[64];
    uint8_t pk[32];
} gl_key;

#define GL_PASSPHRASE_MAX 1024 /* bytes */

/* Create a key file at path (mode 0600, never overwriting). The public key
 * is written to pk_out. GL_OK, GL_ERR_KEYFILE (exists, cannot write). */
int gl_key_generate(const char *path, uint8_t pk_out[32], char *err, size_t err_len);
/* The same, the seed sealed with a key derived from passphrase (Argon2id,
 * crypto_pwhash interactive limits; XSalsa20-Poly1305, crypto_secretbox).
 * passphrase NULL: an unprotected file, as gl_key_generate.  An empty
 * passphrase or one over GL_PASSPHRASE_MAX bytes is refused (GL_ERR_KEYFILE). */
int gl_key_generate_protected(const char *path, const char *passphrase, uint8_t pk_out[32],
                              char *err, size_t err_len);
/* Load a key file; refuses files readable by group or others, and
 * protected files (use gl_key_load_protected). */
int gl_key_load(const char *path, gl_key *out, char *err, size_t err_len);
/* Asks for the passphrase of a protected key file: writes it (not
 * NUL-terminated) into buf and returns its length, or -1 to give up.  The
 * library wipes buf after use. */
typedef int (*gl_passphrase_fn)(void *user, const char *path, char *buf, size_t buf_len);
/* Load a key file, calling ask (only) if the file is protected.  A wrong
 * passphrase or a tampered file: GL_ERR_KEYFILE ("wrong passphrase or
 * damaged file"). */
int gl_key_load_protected(const char *path, gl_passphrase_fn ask, void *user, gl_key *out,
                          char *err, size_t err_len);
/* Wipe a key from memory. */
void gl_key_wipe(gl_key *key);
/* Lower-case hex of n bytes into out (2n+1 bytes). */
void gl_hex(const uint8_t *p, size_t n, char *out);
/* A short fingerprint of a public key for people to compare by eye:
 * "xxxx-xxxx-xxxx-xxxx" (the first 8 bytes of its BLAKE2b-256 in hex). */
#define GL_FINGERPRINT_LEN 20 /* with the NUL */
void gl_fingerprint(const uint8_t pk[32], char out[GL_FINGERPRINT_LEN]);
/* Parse a daemon's public key given as 64 hex digits. GL_OK or GL_ERR_USAGE. */
int gl_server_key_parse(const char *text, uint8_t out[32]);

typedef struct gl_client gl_client;

/* Connect to endpoint (ipc://… or tcp://…) with key, over CURVE to the
 * daemon whose public key is server_key (32 bytes).  server_key NULL
 * connects without encryption, which only a daemon configured with
 * `curve = off` (ipc:// only, for tests) accepts.  timeout_ms bounds each
 * call.  The key is copied (and wiped on close).  GL_OK, GL_ERR_CONNECT. */
int gl_client_open_pinned(gl_client **out, const char *endpoint, const gl_key *key,
                          const uint8_t *server_key, int timeout_ms, char *err, size_t err_len);
/* gl_client_open_pinned with the daemon's key read from the environment
 * variable GRANDLIVRE_SERVER_KEY (64 hex digits); GL_ERR_CONNECT if it is
 * unset or malformed. */
int gl_client_open(gl_client **out, const char *endpoint, const gl_key *key, int timeout_ms,
                   char *err, size_t err_len);
void gl_client_close(gl_client *c);

/* Parse a ledger id given as 32 hex digits. GL_OK or GL_ERR_USAGE. */
int gl_ledger_id_parse(const char *text, uint8_t out[GL_LEDGER_ID_BYTES]);
/* Sign every request of c for ledger id (instead of asking the daemon). */
void gl_client_pin_ledger(gl_client *c, const uint8_t id[GL_LEDGER_ID_BYTES]);
/* The ledger id c signs with: the pinned one, or the daemon's (one PING,
 * the first time).  GL_OK; a gl_call error; or the PING's refusal status
 * (e.g. GL_ERR_UNKNOWN_KEY) when the daemon refused it. */
int gl_client_ledger_id(gl_client *c, uint8_t out[GL_LEDGER_ID_BYTES]);

/* What the daemon says of the key (PING): its ledger id, role (1 member,
 * 2 accountant, 3 auditor), tenant ("" unless a member), the key's name in
 * its configuration, its version text and clock. */
typedef struct gl_whoami {
    uint8_t ledger_id[GL_LEDGER_ID_BYTES];
    uint8_t role;
    char tenant[GL_TENANT_MAX + 1];
    char key_name[256];
    char version[256];
    int64_t now_ms;
} gl_whoami;
/* One PING.  GL_OK and *out, a gl_call error, or the daemon's refusal
 * status (its detail in gl_client_error). */
int gl_client_whoami(gl_client *c, gl_whoami *out);
/* A sentence on the last local failure of a call ("" if none). */
const char *gl_client_error(const gl_client *c);

typedef struct gl_response {
    gl_buf raw;     /* the reply bytes; reply points into them */
    gl_reply reply; /* reply.status is the daemon's verdict */
} gl_response;

/* Sign and send one request, wait for its reply.  Returns GL_OK when a
 * reply arrived (check resp->reply.status), or without one:
 *   GL_ERR_TIMEOUT   none came within the timeout;
 *   GL_ERR_CONNECT   the connection failed or closed before the reply (the
 *                    handshake failed: wrong server key, or a daemon without
 *                    CURVE; or the daemon dropped the connection, as it does
 *                    for a message over its size limit);
 *   GL_ERR_NO_DAEMON every connection attempt was refused for a second
 *                    (nothing listens at the endpoint);
 *   GL_ERR_SERVER_KEY the handshake failed as it does with a peer holding
 *                    another key than the pinned one;
 *   GL_ERR_UNKNOWN_KEY  the daemon refused this key when connecting (not in
 *                    its keyring, or revoked);
 *   GL_ERR_TOO_LARGE the request would exceed GL_MESSAGE_MAX (not sent);
 *   or another local error.  gl_client_error says more.  Retrying with the
 * same request_id is safe after any of them.  resp must be freed with
 * gl_response_free either way. */
int gl_call(gl_client *c, uint16_t kind, const char *tenant, uint64_t request_id, const void *body,
            size_t body_len, gl_response *resp);
void gl_response_free(gl_response *resp);

/* gl_call in three steps, so that a caller prepares its next request while
 * one is in flight (fec import): gl_sign_request signs a request into req
 * (learning the ledger id first if needed, with a PING: call it then with
 * no reply outstanding); gl_send_signed queues req's bytes (waiting, within
 * the timeout, for a connection); gl_recv waits for the reply to
 * request_id, at most the timeout from its call.  A reply to another id
 * that arrives meanwhile is discarded as late, so one request at a time is
 * outstanding.  The statuses are gl_call's; resp must be freed either way.
 * (0.4: new.) */
int gl_sign_request(gl_client *c, uint16_t kind, const char *tenant, uint64_t request_id,
                    const void *body, size_t body_len, gl_buf *req);
int gl_send_signed(gl_client *c, const gl_buf *req);
int gl_recv(gl_client *c, uint64_t request_id, gl_response *resp);

/* A request id derived from the content (key, kind, tenant, body): sending
 * the same content again is recognised by the daemon as a retry.  A POST
 * whose extension areas are all empty is hashed in its layout-1 form: the
 * id a protocol 1 client derived for the same content, so that the same
 * command run again after the upgrade to version 2 is a retry too. */
uint64_t gl_request_id_for(const gl_key *key, uint16_t kind, const char *tenant, const void *body,
                           size_t body_len, uint64_t salt);
/* A fresh request id (never 0), time-ordered: the milliseconds since
 * GL_REQUEST_ID_EPOCH_MS in the top 42 bits (until 2164), 22 random bits
 * below; strictly increasing in one process (all threads), whatever the
 * clock does.  The daemon's idempotency records, keyed signer | id
 * big-endian, are then appended instead of landing on a random leaf of a
 * large B-tree (proto/PROTOCOL.md §4.3).  Thread-safe. */
uint64_t gl_request_id_random(void);
#define GL_REQUEST_ID_EPOCH_MS INT64_C(1735689600000) /* 2025-01-01T00:00:00Z */
#define GL_REQUEST_ID_RANDOM_BITS 22
/* The step behind it, pure: the id after last for the time now_ms and
 * random bits rnd (only the low GL_REQUEST_ID_RANDOM_BITS are used). */
uint64_t gl_request_id_next(uint64_t last, int64_t now_ms, uint32_t rnd);

#endif
