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
 * (a valid key file the daemon does not know, until a test adds it to the
 * configuration: then a member of gamma).
 *
 * Like real clients, every connection uses CURVE with the daemon's public
 * key, read with `grandlivred --print-server-key` (which creates it) before
 * the daemon starts; GRANDLIVRE_SERVER_KEY is set to it in the test process
 * too, for code that calls gl_client_open.  h_setup_opts starts a daemon
 * configured otherwise (tcp endpoint, curve = off, extra [daemon] settings,
 * a lower open-files limit).  $GL_DAEMON_WRAPPER (e.g. "valgrind -q
 * --error-exitcode=99") runs the daemon under a tool; waits then allow 6x
 * longer.
 */
#ifndef GL_HARNESS_H
#define GL_HARNESS_H

#include "client/lib/grandlivre.h"
#include "proto/entry.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

enum h_key { K_ALPHA, K_BETA, K_ACCOUNTANT, K_AUDITOR, K_STRANGER, K_COUNT };

typedef struct h_opts {
    const char *endpoint;     /* NULL: ipc://DIR/sock */
    const char *daemon_extra; /* lines added to [daemon] */
    bool curve_off;           /* `curve = off`: clients connect in clear */
    unsigned nofile;          /* the daemon's RLIMIT_NOFILE (0: inherited) */
} h_opts;

typedef struct harness {
    char dir[256];
    char endpoint[320];
    char config[320];
    pid_t pid;
    gl_key keys[K_COUNT];
    char key_path[K_COUNT][320];
    gl_client *clients[K_COUNT];
    h_opts opts;
    char daemon_extra[512];
    uint8_t server_pk[32];   /* the daemon's CURVE public key */
    bool revoked[K_COUNT];   /* written `revoked = yes` */
    bool absent[K_COUNT];    /* left out of the configuration (stranger) */
    char extra_config[2048]; /* appended to the configuration */
    char group_extra[128];   /* lines added to [group] (e.g. combination = ...) */
    size_t cli_err_seen;     /* bytes of cli.err already given by h_cli_err */
} harness;

/* Create the directory, keys and configuration and start the daemon. */
void h_setup(harness *h);
void h_setup_opts(harness *h, const h_opts *o);
/* Write the configuration from h (keys, revocations, extra_config). */
void h_write_config(harness *h);
/* Write the configuration, send SIGHUP and wait for the daemon's verdict
 * ("reload: applied" or "reload: refused" in its log). True if applied. */
bool h_reload(harness *h);
/* Occurrences of needle in the daemon's log. */
int h_log_count(harness *h, const char *needle);
/* Stop the daemon (SIGTERM) and remove the directory. */
void h_teardown(harness *h);
void h_start(harness *h);
void h_stop(harness *h);  /* SIGTERM, wait */
void h_kill9(harness *h); /* SIGKILL, wait */
gl_client *h_client(harness *h, enum h_key k);
/* The daemon's ledger id (asked with PING once per client). */
void h_ledger_id(harness *h, uint8_t out[GL_LEDGER_ID_BYTES]);

/* Call and return the reply status (asserting a reply arrived, or that the
 * daemon refused the key when connecting: then the library's 2xx status). */
int h_call(harness *h, enum h_key k, uint16_t kind, const char *tenant, uint64_t request_id,
           const void *body, size_t body_len, gl_response *resp);
/* Send raw bytes over a new connection and return the reply status: the
 * connection is that of the key that signed the bytes if it is one of the
 * daemon's (signer field), else the accountant's. */
int h_send_raw(harness *h, const void *bytes, size_t len, gl_response *resp);
/* The same over key k's connection. */
int h_send_raw_as(harness *h, enum h_key k, const void *bytes, size_t len, gl_response *resp);
/* A DEALER socket of ctx connected to the daemon with key k's CURVE
 * identity (in clear if the daemon runs with curve = off). */
void *h_raw_socket(harness *h, void *ctx, enum h_key k);
/* A monitor on sock (a PAIR socket of ctx receiving its events). */
void *h_monitor(void *ctx, void *sock);
/* Wait up to timeout_ms for an event in mask; returns it (0 if none came)
 * and its value in *value (may be NULL). */
int h_next_event(void *monitor, int mask, int timeout_ms, uint32_t *value);
/* A TCP port on 127.0.0.1 that was free a moment ago. */
int h_free_port(void);

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
/* True if some stored entry's bytes contain [bytes, bytes+len) (read
 * directly). */
bool h_entries_contain(harness *h, const void *bytes, size_t len);
/* Call fn on every record of the database named db (read directly), in key
 * order, until it returns false. */
typedef bool (*h_record_fn)(const uint8_t *k, size_t k_len, const uint8_t *v, size_t v_len,
                            void *user);
void h_db_each(harness *h, const char *db, h_record_fn fn, void *user);

/* Run the CLI with args (a shell command tail), capturing stdout into out
 * (if not NULL); its standard input is /dev/null (never the terminal the
 * tests run from) unless args redirect it.  Returns the exit status. The
 * environment points it at this daemon with key k; XDG_CONFIG_HOME is the
 * test's directory (no client configuration file unless a test writes one). */
int h_cli(harness *h, enum h_key k, char *out, size_t out_len, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* What h_cli's runs wrote on stderr (the test directory's cli.err, which
 * they append to) since the last call, into out (NUL-terminated). */
void h_cli_err(harness *h, char *out, size_t len);

const char *h_build_dir(void);

/* Criterion ignores what fails in a suite's .fini (an assertion there,
 * even an abort, leaves the test passing: checked with Criterion 2.4).  A
 * suite whose every test must end with a check — the ledger unchanged by
 * a refusal, its chains verifying — defines `static void unchanged(void)`
 * and declares its tests with RTest instead of Test: the check then runs
 * at the end of each test's body, where a failure counts. */
#define RTest(suite, name, ...)              \
    static void suite##_##name##_body(void); \
    Test(suite, name, ##__VA_ARGS__)         \
    {                                        \
        suite##_##name##_body();             \
        unchanged();                         \
    }                                        \
    static void suite##_##name##_body(void)

#endif
