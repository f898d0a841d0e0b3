/*
 * client/verify/archive.h — the offline verification archive: everything an
 * auditor needs to check a ledger without its daemon, in one file.
 *
 * What it holds: the tenants (identity as the daemon's configuration gives
 * it), and for each archived tenant its whole hash chain (every event record
 * exactly as stored, with its sequence number), the chain head the daemon
 * reported, and the trial balance of each fiscal year as the daemon computed
 * it (BALANCE at the year's last day, after closing); every signed request
 * an event names (its envelope), each once, as received; the keyring's
 * history (which public key was valid when, with which role and tenant).
 * Nothing in it is trusted by itself: the verifier (verify.h) recomputes
 * every hash and checks every signature; the stored trial balances are
 * compared with the ones recomputed from the entries.
 *
 * Format (version 2), all integers big-endian as in the protocol, strings
 * str8 (u8 length, UTF-8 without control bytes):
 *
 *   magic "GLARCHV1" | version u16 (2) | flags u16 (0) | created_ms i64 |
 *   ledger_id[16] (the daemon's: every version 2 request must carry it) |
 *   umbrella str8 ("" without a group) |
 *   tenant_count u16 | tenant* (ids strictly ascending, bytewise)
 *     tenant = id str8 | name str8 | siren str8 | first_month u8 (1-12) |
 *              code str8 | has_chain u8 (0 identity only, 1 archived)
 *              [has_chain 1:] head_seq u64 | head_hash[32] |
 *              event_count u32 | (seq u64 | record_len u32 | record)* |
 *              balance_count u16 | (fy u16 | at u32 | row_count u32 |
 *                 (account str8 | debit i64 | credit i64)*)*
 *              (fiscal years strictly ascending; accounts strictly
 *              ascending within a year; totals >= 0)
 *   envelope_count u32 | (number u64 | len u32 | signed request bytes)*
 *              (numbers strictly ascending, each at most once)
 *   key_count u32 | (signer[32] | since_ms u64 | record_len u16 | record)*
 *              ((signer, since_ms) strictly ascending; record as in
 *              daemon/store/store.h "keyring": format u8 (1) |
 *              until_ms i64 (0 open) | end u8 (0-3) | role u8 (1 member,
 *              2 accountant, 3 auditor) | tenant str8 | name str8)
 *   digest[32] = BLAKE2b-256("grandlivre/archive/v1\0" | every byte before)
 * Version 1 (archives written before protocol version 2) is the same
 * without ledger_id; it is still read (has_ledger_id false: it can only
 * hold version 1 requests, and a version 2 one in it fails verification).
 *
 * Every ordering rule makes the encoding canonical: one archive value, one
 * byte string.  Events are kept in the order given and not checked here
 * (the verifier reports a missing, repeated or misplaced event by name).
 * The digest only detects damage and truncation: anyone can recompute it,
 * so it proves nothing about who wrote the file (the signatures do).
 *
 * Reading (gl_archive_read) is total: any byte string gives a parsed archive
 * or an error naming the section and byte offset, never a read past the end;
 * counts are checked against the bytes left before anything is allocated.
 * The parsed archive points into the input, which must outlive it.  A
 * digest that does not match is not a read error: digest_ok is false and the
 * verifier reports it (after naming any altered entry it finds).
 */
#ifndef GL_ARCHIVE_H
#define GL_ARCHIVE_H

#include "proto/chain.h"
#include "proto/limits.h"
#include "proto/wire.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GL_ARCHIVE_MAGIC "GLARCHV1"
#define GL_ARCHIVE_MAGIC_LEN 8
#define GL_ARCHIVE_VERSION 2
#define GL_ARCHIVE_VERSION_1 \
    1 /* no ledger id: still read, and written for an archive without one */
#define GL_ARCHIVE_TAG "grandlivre/archive/v1"
#define GL_ARCHIVE_DIGEST_BYTES 32
#define GL_ARCHIVE_NAME_MAX 255 /* tenant names, SIRENs, key names: str8 */

enum { GL_KEY_ROLE_MEMBER = 1, GL_KEY_ROLE_ACCOUNTANT = 2, GL_KEY_ROLE_AUDITOR = 3 };

typedef struct gl_archive_event {
    uint64_t seq;
    const uint8_t *record; /* type u16 | body_len u32 | body | prev_hash | hash */
    uint32_t record_len;
} gl_archive_event;

typedef struct gl_archive_row {
    gl_str account;
    int64_t debit_cents, credit_cents;
} gl_archive_row;

/* A trial balance of one fiscal year, as the daemon gave it. */
typedef struct gl_archive_balance {
    uint16_t fy;
    uint32_t at; /* the date asked (the fiscal year's last day) */
    gl_archive_row *rows;
    uint32_t row_count;
} gl_archive_balance;

typedef struct gl_archive_tenant {
    gl_str id, name, siren, code;
    uint8_t first_month;
    bool has_chain;
    uint64_t head_seq;
    uint8_t head_hash[GL_HASH_BYTES];
    gl_archive_event *events;
    uint32_t event_count;
    gl_archive_balance *balances;
    uint16_t balance_count;
} gl_archive_tenant;

typedef struct gl_archive_envelope {
    uint64_t number;
    const uint8_t *bytes; /* the signed request as the daemon received it */
    uint32_t len;
} gl_archive_envelope;

/* One interval of the keyring's history: the raw record and its fields. */
typedef struct gl_archive_key {
    const uint8_t *signer; /* 32 bytes */
    int64_t since_ms;
    const uint8_t *record;
    uint16_t record_len;
    /* decoded from record */
    int64_t until_ms; /* 0: still open */
    uint8_t end;      /* 0 open, 1 revoked, 2 removed, 3 changed */
    uint8_t role;     /* GL_KEY_ROLE_* */
    gl_str tenant;    /* members' tenant, else "" */
    gl_str name;
} gl_archive_key;

typedef struct gl_archive {
    int64_t created_ms;
    bool has_ledger_id; /* false: a version 1 archive */
    uint8_t ledger_id[GL_LEDGER_ID_BYTES];
    gl_str umbrella;
    gl_archive_tenant *tenants;
    uint16_t tenant_count;
    gl_archive_envelope *envelopes;
    uint32_t envelope_count;
    gl_archive_key *keys;
    uint32_t key_count;
    bool digest_ok; /* set by gl_archive_read */
} gl_archive;

/* Encode a into out (appending; out is reset first) with its digest: in
 * version 2 (version 1 if a has no ledger id, as one read from a version 1
 * file).
 * Checks every rule of the format first: GL_OK, GL_ERR_INPUT (a rule
 * broken, with a sentence in err: e.g. envelopes out of order, a string
 * over its limit), GL_ERR_NOMEM.  The keys' decoded fields are ignored:
 * their records are written as they are (and must decode). */
int gl_archive_encode(gl_buf *out, const gl_archive *a, char *err, size_t err_len);

/* Parse data[0..len) into out (views into data; arrays allocated).  GL_OK,
 * GL_ERR_MALFORMED (with "section at byte N: what" in err), GL_ERR_NOMEM.
 * On error out is empty (nothing to free).  Success does not mean the
 * digest matched: see out->digest_ok. */
int gl_archive_read(const uint8_t *data, size_t len, gl_archive *out, char *err, size_t err_len);

/* Free the arrays of an archive returned by gl_archive_read (not the
 * bytes it points into).  Safe on a zeroed archive. */
void gl_archive_free(gl_archive *a);

/* Decode a keyring record (format above) into k's decoded fields.  GL_OK or
 * GL_ERR_MALFORMED. */
int gl_archive_key_decode(const uint8_t *record, size_t len, gl_archive_key *k);

/* The tenant with id (NULL if none). */
const gl_archive_tenant *gl_archive_tenant_find(const gl_archive *a, gl_str id);
/* The envelope numbered n (NULL if none): binary search. */
const gl_archive_envelope *gl_archive_envelope_find(const gl_archive *a, uint64_t n);

/* Bytewise order of two strings (a proper prefix first): the order of the
 * archive's tenants and trial balance rows, which the verifier follows. */
int gl_archive_str_cmp(gl_str a, gl_str b);

#endif
