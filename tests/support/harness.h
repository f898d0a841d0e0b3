/*
 * tests/support/harness.h — a real grandlivred on a fresh temporary data
 * directory, real key files, real ZeroMQ clients, and independent checks
 * that read the LMDB environment directly (digest of every database, hash
 * chain verification).  Used by the integration tests; no mocks.
 *
 * The daemon binary is $GL_BUILD/grandlivred (the Makefile sets GL_BUILD).
 * Tenants: "alpha" and "beta" (calendar years), "gamma" (fiscal year from
 * July); they form a group whose umbrella is alpha (codes ALPHA, BETA,
 * GAMMA).  Keys: alpha, beta (members), accountant, auditor, and "stranger"
 * (a valid key file the daemon does not know).
 */
#ifndef GL_HARNESS_H
#define GL_HARNESS_H

#include "client/lib/grandlivre.h"
#include "proto/entry.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

enum h_key { K_ALPHA, K_BETA, K_ACCOUNTANT, K_AUDITOR, K_STRANGER, K_COUNT };

typedef struct harness {
    char dir[256];
    char endpoint[320];
    char config[320];
    pid_t pid;
    gl_key keys[K_COUNT];
    char key_path[K_COUNT][320];
    gl_client *clients[K_COUNT];
} harness;

/* Create the directory, keys and configuration and start the daemon. */
void h_setup(harness *h);
/* Stop the daemon (SIGTERM) and remove the directory. */
void h_teardown(harness *h);
void h_start(harness *h);
void h_stop(harness *h);      /* SIGTERM, wait */
void h_kill9(harness *h);     /* SIGKILL, wait */
gl_client *h_client(harness *h, enum h_key k);

/* Call and return the reply status (asserting a reply arrived). */
int h_call(harness *h, enum h_key k, uint16_t kind, const char *tenant, uint64_t request_id,
           const void *body, size_t body_len, gl_response *resp);
/* Send raw bytes with key k's connection and return the reply status. */
int h_send_raw(harness *h, const void *bytes, size_t len, gl_response *resp);

/* Open accounts (strict) in tenant with the accountant key; asserts success. */
void h_open_accounts(harness *h, const char *tenant, const char *const *accounts, size_t n);

/* A two-line entry: debit `debit_account`, credit `credit_account`. */
gl_entry_in h_entry2(const char *tenant, uint32_t date, const char *debit_account,
                     const char *credit_account, int64_t cents, gl_line_in lines[2]);
/* Encode a POST body from entries. */
void h_post_body(gl_buf *body, const gl_entry_in *entries, size_t n);
/* Post entries with key k and a random id; returns the status. */
int h_post(harness *h, enum h_key k, const gl_entry_in *entries, size_t n, gl_response *resp);

/* Balance of one account (debit - credit) as of date, via the daemon. */
int64_t h_balance(harness *h, const char *tenant, const char *account, uint32_t at);

/* BLAKE2b digest of every database in the environment, read directly. */
void h_digest(harness *h, uint8_t out[32]);
/* Verify every tenant's hash chain and that every entry is balanced;
 * returns the number of events checked, or -1 (with a message) on failure. */
long h_verify_chains(harness *h);
/* Number of entries stored for tenant (read directly). */
long h_entry_count(harness *h, const char *tenant);

/* Run the CLI with args (a shell command tail), capturing stdout into out
 * (if not NULL). Returns the exit status. The environment points it at this
 * daemon with key k. */
int h_cli(harness *h, enum h_key k, char *out, size_t out_len, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

const char *h_build_dir(void);

#endif
