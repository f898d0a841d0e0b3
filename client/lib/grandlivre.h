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

/* Create a key file at path (mode 0600, never overwriting). The public key
 * is written to pk_out. GL_OK, GL_ERR_KEYFILE (exists, cannot write). */
int gl_key_generate(const char *path, uint8_t pk_out[32], char *err, size_t err_len);
/* Load a key file; refuses files readable by group or others. */
int gl_key_load(const char *path, gl_key *out, char *err, size_t err_len);
/* Wipe a key from memory. */
void gl_key_wipe(gl_key *key);
/* Lower-case hex of n bytes into out (2n+1 bytes). */
void gl_hex(const uint8_t *p, size_t n, char *out);

typedef struct gl_client gl_client;

/* Connect to endpoint (ipc://… or tcp://…) with key.  timeout_ms bounds each
 * call. The key is copied (and wiped on close). */
int gl_client_open(gl_client **out, const char *endpoint, const gl_key *key, int timeout_ms,
                   char *err, size_t err_len);
void gl_client_close(gl_client *c);

typedef struct gl_response {
    gl_buf raw;      /* the reply bytes; reply points into them */
    gl_reply reply;  /* reply.status is the daemon's verdict */
} gl_response;

/* Sign and send one request, wait for its reply.  Returns GL_OK when a
 * reply arrived (check resp->reply.status), GL_ERR_TIMEOUT when none came
 * within the timeout (retrying with the same request_id is safe), or a local
 * error.  resp must be freed with gl_response_free either way. */
int gl_call(gl_client *c, uint16_t kind, const char *tenant, uint64_t request_id,
            const void *body, size_t body_len, gl_response *resp);
void gl_response_free(gl_response *resp);

/* A request id derived from the content (key, kind, tenant, body): sending
 * the same content again is recognised by the daemon as a retry. */
uint64_t gl_request_id_for(const gl_key *key, uint16_t kind, const char *tenant,
                           const void *body, size_t body_len, uint64_t salt);
/* A random request id (never 0). */
uint64_t gl_request_id_random(void);

#endif
