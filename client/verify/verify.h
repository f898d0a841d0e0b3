/*
 * client/verify/verify.h — offline verification of an archive (archive.h):
 * no daemon, no I/O besides an optional progress callback, no trust in
 * anything but public keys.
 *
 * The keys trusted are either those the auditor obtained directly from each
 * association and the accountant (gl_trusted_keys_parse, `--keys FILE`), or,
 * failing that, the archive's own keyring history (and the report says so).
 * With --keys, a signer must be trusted by the file for that tenant (or as
 * the accountant) and, when the archive holds a keyring, also valid in it at
 * the moment the event was recorded.
 *
 * What is checked, tenant by tenant, event by event, stopping at the first
 * problem (reported with its tenant, event sequence number and, for an
 * entry, its number, e.g. "agiie: event 57 (entry 2025/41): ..."):
 *  1. the chain: events numbered 1, 2, 3 … without gap or repeat, each
 *     record decodes, names the previous event's hash, and its own hash
 *     recomputes (BLAKE2b, proto/chain.h); the last one is the head the
 *     daemon reported;
 *  2. signatures and authority: the event names an envelope that is in the
 *     archive, decodes, is a write request whose Ed25519 signature verifies
 *     (proto/request.h: a version 1 request of the history under version
 *     1's tag; a version 2 one under version 2's, and it must name the
 *     archive's ledger id), whose signer and request id are the event's; the
 *     signer was valid at the event's recorded time (keyring interval
 *     [since, until], until inclusive: the daemon stamps a whole commit
 *     batch with one time) and may write that tenant (a member key only its
 *     own tenant and never lock, close, recharge or post dues; an auditor
 *     never; the accountant any); the events of one request are contiguous
 *     in a chain, in item order, with one recorded time, and requests follow
 *     each other in envelope order;
 *  3. each event against its request: every entry is in its request's
 *     layout (ENTRY events for version 1 requests, ENTRY2 for version 2);
 *     an entry of a POST is byte for byte the item-th entry of the signed
 *     body, and every entry the body holds for that tenant is in the
 *     chain; an account opening, a lock, a
 *     lettering is what the request asked; the entries of a recharge or of
 *     dues are rebuilt from the request (piece, label, accounts, the
 *     partner's code) and compared byte for byte, dues amounts as signed,
 *     recharge shares summing to the amount signed; the entries of a year
 *     close are recomputed: the result entry zeroes every class 6-7 balance
 *     (per account and auxiliary account) into 120000 / 129000, the
 *     à-nouveaux carry every class 1-5 balance of the closed year, classes
 *     8-9 balance, and the close event states the same numbers and result;
 *  4. numbering: continuous per fiscal year (1, 2, 3 … in chain order), the
 *     fiscal year the one of the entry's date;
 *  5. every entry passes the ledger-free rules (gl_entry_check: balanced,
 *     positive amounts, valid accounts and journal) and the ledger rules an
 *     archive allows to replay: not dated in a period locked at that point,
 *     accounts opened earlier in the chain, a reversal the exact opposite of
 *     an earlier entry not yet reversed, lettered lines on the right account
 *     summing to zero, no lock beyond the month (in France) of the time the
 *     daemon recorded it (version 2 requests only: that rule came with
 *     them), a year closed only when all its months are locked and the
 *     previous year (if it has entries) is closed.  A version 1 request's
 *     body is read under the stored-text rule (gl_cur_init_stored: text
 *     signed before the bidirectional controls were refused), a version 2
 *     one's as admission reads it; chain events always as stored text;
 *  5b. analytic accounting (verify_analytic.c): axes, codes and rules as
 *     the chain stood at each point; a POSTed line's codes open and its
 *     shares summing to the line, the axes rules require carried; each
 *     allocation of an existing line, not of an axis its entry carries,
 *     with open codes and exact sums;
 *  6. the trial balance of each fiscal year, recomputed from the entries,
 *     equals the one the daemon gave when the archive was made;
 *  7. every envelope in the archive is named by some event; and the
 *     archive's digest matches (reported last: any altered entry is named
 *     first).
 * What it cannot check: anything signed by a trusted key that lied (a valid
 * key posting a false entry is a valid entry); how a recharge was split (the
 * allocation keys are not in any chain: only that the shares sum to the
 * amount); a chain shortened at its end together with its head by someone
 * able to rewrite the archive (compare the printed heads with ones obtained
 * from the associations); that recorded times are true (they are the
 * daemon's, unsigned).
 */
#ifndef GL_VERIFY_H
#define GL_VERIFY_H

#include "archive.h"

#include "proto/limits.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What kind of problem was found first. */
enum gl_verify_problem {
    GL_VP_NONE = 0,
    GL_VP_ARCHIVE,  /* the archive itself: empty, digest, unreferenced envelope */
    GL_VP_SEQUENCE, /* an event missing, repeated or out of order; requests out of order */
    GL_VP_RECORD,   /* an event record or payload that does not decode */
    GL_VP_LINK,     /* the previous hash an event names is not the previous event's */
    GL_VP_HASH,     /* an event's hash does not recompute */
    GL_VP_HEAD,     /* the chain does not end at the head the daemon reported */
    /* the signed request is missing, does not decode, or does not match the event */
    GL_VP_ENVELOPE,
    GL_VP_SIGNATURE,  /* the Ed25519 signature does not verify */
    GL_VP_KEY,        /* the signer was not valid, or not trusted, for that tenant at that time */
    GL_VP_REQUEST,    /* the event is not what its signed request asked */
    GL_VP_NUMBERING,  /* entry numbers not continuous per fiscal year */
    GL_VP_UNBALANCED, /* an entry fails gl_entry_check (unbalanced, bad amount, account...) */
    GL_VP_RULE,       /* locked period, account not opened, reversal, lettering */
    GL_VP_CLOSING,    /* a year close inconsistent with the year's balances */
    GL_VP_GROUP,      /* recharge / dues entries inconsistent with their request */
    GL_VP_TRIAL_BALANCE, /* the stored trial balance differs from the entries */
};

const char *gl_verify_problem_name(int problem);

/* A key the auditor trusts: a member key of one tenant, the accountant's,
 * or an auditor's (which may never write). */
typedef struct gl_trusted_key {
    uint8_t pk[32];
    uint8_t role; /* GL_KEY_ROLE_* (archive.h) */
    char tenant[GL_TENANT_MAX + 1];
} gl_trusted_key;

/* Parse a --keys file: one `TENANT-OR-ROLE PUBLIC-KEY-HEX` per line
 * (`accountant`, `auditor`, or a tenant id for its member keys; 64 hex
 * digits); blank lines and lines starting with '#' are skipped.  GL_OK with
 * *out (free it) and *count, or GL_ERR_INPUT with "line N: ..." in err,
 * GL_ERR_NOMEM. */
int gl_trusted_keys_parse(const char *text, size_t len, gl_trusted_key **out, size_t *count,
                          char *err, size_t err_len);

typedef void (*gl_verify_progress_fn)(void *user, uint64_t done, uint64_t total);

typedef struct gl_verify_opts {
    const gl_trusted_key *trusted; /* NULL: trust the archive's own keyring */
    size_t trusted_count;
    gl_verify_progress_fn progress; /* may be NULL; called after each event */
    void *user;
} gl_verify_opts;

typedef struct gl_verify_year {
    uint16_t fy;
    uint32_t entries;
    int64_t debit_cents, credit_cents; /* the year's totals (equal when verified) */
    bool closed;
    int64_t result_cents; /* of the close, when closed */
} gl_verify_year;

/* Analytic accounting replayed (events 18-21, lines carrying codes). */
typedef struct gl_verify_analytic {
    uint32_t axes, codes, rules; /* axes and codes ever opened; rules in force at the end */
    uint64_t events;             /* events 18-21 */
    uint64_t lines;              /* entry lines carrying codes */
    uint64_t allocated;          /* lines allocated afterwards (ALLOC rows) */
} gl_verify_analytic;

typedef struct gl_verify_tenant {
    char id[GL_TENANT_MAX + 1];
    uint64_t events;
    uint64_t entries;
    uint64_t head_seq;
    uint8_t head_hash[32];
    uint32_t locked_through; /* YYYYMM, 0 if none */
    gl_verify_year *years;
    size_t year_count;
    gl_verify_analytic analytic;
} gl_verify_tenant;

typedef struct gl_verify_result {
    int problem;                    /* GL_VP_NONE: everything verified */
    char message[768];              /* the first problem, located, without a trailing newline */
    char tenant[GL_TENANT_MAX + 1]; /* where: tenant, event seq, entry fy/num (0 if n/a) */
    uint64_t seq;
    uint16_t fy;
    uint32_t num;
    /* what was verified (complete only when problem is GL_VP_NONE) */
    gl_verify_tenant *tenants;
    size_t tenant_count;
    uint64_t events, entries, unknown_events;
    uint32_t envelopes, signers, key_records;
    bool trusted_keys;      /* --keys given */
    bool key_times_checked; /* the archive holds a keyring history */
} gl_verify_result;

/* Verify a parsed archive.  Returns GL_OK when the verification ran (the
 * verdict is r->problem), GL_ERR_NOMEM if it could not.  Free r with
 * gl_verify_result_free either way. */
int gl_verify(const gl_archive *a, const gl_verify_opts *o, gl_verify_result *r);
void gl_verify_result_free(gl_verify_result *r);

#endif
