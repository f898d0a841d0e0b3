/*
 * proto/chain.h — each tenant's history as one hash chain of typed events.
 *
 * Event record (the value stored per tenant and sequence number):
 *   type u16 | body_len u32 | body | prev_hash[32] | hash[32]
 * Event body, common head for every type:
 *   envelope u64 | item u32 | signer[32] | request_id u64 | recorded_ms i64 |
 *   payload (type-specific, the rest of the body)
 * Payloads:
 *   GL_EVENT_ENTRY (1):        fy u16 | num u32 | canonical entry bytes, layout 1
 *                              (written before protocol version 2; never again)
 *   GL_EVENT_ENTRY2 (7):       fy u16 | num u32 | canonical entry bytes, layout 2
 *                              (entry.h: with extension areas)
 *   GL_EVENT_ACCOUNT_OPEN (2): account str8 | label str8
 *   GL_EVENT_LOCK (3):         from_ym u32 | through_ym u32 (months YYYYMM newly locked)
 *   GL_EVENT_CLOSE (4):        fy u16 | result_fy u16 | result_num u32 |
 *                              opening_fy u16 | opening_num u32 | result_cents i64
 *                              (0 where no such entry was needed; the two
 *                              entries are ENTRY events just before it)
 *   GL_EVENT_LETTER (5):       account str8 | aux str8 | code str8 | date u32 |
 *                              count u16 | (fy u16 | num u32 | line u16)*
 *   GL_EVENT_UNLETTER (6):     account str8 | code str8
 *   GL_EVENT_ACCOUNT_LABEL (8): account str8 | old_label str8 | new_label str8
 *   GL_EVENT_THIRD_PARTY (9):  the third party's record (proto/third_party.h)
 *   GL_EVENT_CARRY_MODE (11):  account str8 | mode u8 (proto/carry.h; effective for closes after it)
 *                              (one per account whose label changed; item is
 *                              the request's 1-based item)
 *   GL_EVENT_REMINDER (10):    aux str8 | level u8 | date u32 (one per third
 *                              party of a REMINDER_RECORD; item is its
 *                              1-based place in the request)
 *   GL_EVENT_FORGET (12):      code str8 | date u32 (a person's key destroyed,
 *                              proto/seal.h: never the data)
 *   GL_EVENT_BANK_ACCOUNT (13): account str8 | iban str8 | bic str8 | label str8
 *                              (proto/bank.h; BANK_ACCOUNT_SET's body as signed)
 *   GL_EVENT_BANK_STATEMENT (14): account str8 | first_seq u32 | count u16 |
 *                              index u16*count (BANK_IMPORT's lines stored,
 *                              by their place in the signed request)
 *   GL_EVENT_BANK_MATCH (15):  account str8 | first_match u32 | count u16 |
 *                              set*count (proto/bank_match.h; the sets as signed)
 *   GL_EVENT_BANK_UNMATCH (16): account str8 | match u32 (BANK_UNMATCH's body)
 *   GL_EVENT_BANK_RULE (17):   account str8 | op u8 | rule (proto/bank_rule.h;
 *                              BANK_RULE_SET's body as signed)
 *   GL_EVENT_ANALYTIC_AXIS (18), _CODE (19), _RULE (20), _ALLOC (21): the
 *                              body of ANALYTIC_AXIS_SET, _CODE_SET,
 *                              _RULE_SET, _ALLOC as signed (proto/analytic.h)
 *   GL_EVENT_TIMESHEET (22):   TIMESHEET_SET's body as signed (proto/timesheet.h)
 *   GL_EVENT_GRANT (23):       GRANT_SET's body as signed (proto/grant.h)
 *   GL_EVENT_BUDGET (24):      BUDGET_SET's body as signed (proto/budget.h);
 *                              its place among the (action, fy)'s events is
 *                              its version
 *   GL_EVENT_ASSET (25):       ASSET_SET's body as signed (proto/asset.h)
 *   GL_EVENT_ASSET_POST (26):  ASSET_POST's body as signed, after the
 *                              entries it wrote (items 1..n; the event n + 1)
 * Later types (locks, closes, lettering, key changes) add payloads; readers
 * skip types they do not know, so no migration is ever needed.
 *
 * hash = BLAKE2b-256( "grandlivre/chain/v1\0" | tenant str8 | seq u64 |
 *                     prev_hash | type u16 | body_len u32 | body )
 * The first event of a tenant (seq 1) has prev_hash all zeros.
 */
#ifndef GL_CHAIN_H
#define GL_CHAIN_H

#include "entry.h"
#include "wire.h"

#include <stdint.h>

#define GL_HASH_BYTES 32
#define GL_CHAIN_TAG "grandlivre/chain/v1"

enum gl_event_type {
    GL_EVENT_ENTRY = 1,
    GL_EVENT_ACCOUNT_OPEN = 2,
    GL_EVENT_LOCK = 3,
    GL_EVENT_CLOSE = 4,
    GL_EVENT_LETTER = 5,
    GL_EVENT_UNLETTER = 6,
    GL_EVENT_ENTRY2 = 7,
    GL_EVENT_ACCOUNT_LABEL = 8,
    GL_EVENT_THIRD_PARTY = 9,
    GL_EVENT_REMINDER = 10,
    GL_EVENT_CARRY_MODE = 11,
    GL_EVENT_FORGET = 12,
    GL_EVENT_BANK_ACCOUNT = 13,   /* proto/bank.h: the bank account's record */
    GL_EVENT_BANK_STATEMENT = 14, /* proto/bank.h: the lines of a BANK_IMPORT stored */
    GL_EVENT_BANK_MATCH = 15,     /* proto/bank_match.h: matches recorded */
    GL_EVENT_BANK_UNMATCH = 16,   /* proto/bank_match.h: a match undone */
    GL_EVENT_BANK_RULE = 17,      /* proto/bank_rule.h: a rule set or deleted */
    GL_EVENT_ANALYTIC_AXIS = 18,  /* proto/analytic.h: ANALYTIC_AXIS_SET's body */
    GL_EVENT_ANALYTIC_CODE = 19,  /* proto/analytic.h: ANALYTIC_CODE_SET's body */
    GL_EVENT_ANALYTIC_RULE = 20,  /* proto/analytic.h: ANALYTIC_RULE_SET's body */
    GL_EVENT_ANALYTIC_ALLOC = 21, /* proto/analytic.h: ANALYTIC_ALLOC's body */
    GL_EVENT_TIMESHEET = 22,      /* proto/timesheet.h: TIMESHEET_SET's body */
    GL_EVENT_GRANT = 23,          /* proto/grant.h: GRANT_SET's body */
    GL_EVENT_BUDGET = 24,         /* proto/budget.h: BUDGET_SET's body (a new version) */
    GL_EVENT_ASSET = 25,          /* proto/asset.h: ASSET_SET's body */
    GL_EVENT_ASSET_POST = 26,     /* proto/asset.h: ASSET_POST's body, after its entries */
};

typedef struct gl_event_head {
    uint64_t envelope;
    uint32_t item;
    const uint8_t *signer;
    uint64_t request_id;
    int64_t recorded_ms;
} gl_event_head;

typedef struct gl_event {
    uint16_t type;
    const uint8_t *body;
    uint32_t body_len;
    const uint8_t *prev_hash;
    const uint8_t *hash;
    gl_event_head head;
    const uint8_t *payload;
    size_t payload_len;
} gl_event;

void gl_chain_hash(const char *tenant, size_t tenant_len, uint64_t seq,
                   const uint8_t prev_hash[GL_HASH_BYTES], uint16_t type, const uint8_t *body,
                   uint32_t body_len, uint8_t out[GL_HASH_BYTES]);

/* Append the common head of an event body. */
void gl_event_head_encode(gl_buf *out, const gl_event_head *h);

/* Append a full event record (computes the hash). */
void gl_event_encode(gl_buf *out, const char *tenant, size_t tenant_len, uint64_t seq,
                     const uint8_t prev_hash[GL_HASH_BYTES], uint16_t type, const uint8_t *body,
                     uint32_t body_len);

/* Decode a stored event record. GL_OK or MALFORMED/TRAILING_BYTES. Does not
 * check the hash (see gl_event_verify). */
int gl_event_decode(const void *data, size_t len, gl_event *ev);

/* The entry layout of an entry event type: GL_LAYOUT_1 (ENTRY),
 * GL_LAYOUT_2 (ENTRY2), 0 for any other type. */
int gl_event_entry_layout(uint16_t type);
/* The event type that records an entry of that layout. */
uint16_t gl_event_entry_type(int layout);
/* Decode an entry event's payload (fy, num, the entry in its layout),
 * under the stored-text rule (gl_cur_init_stored: the chain may hold text
 * written before the bidirectional controls were refused).
 * GL_OK, or the decode status (NOT_FOUND if ev is no entry event). */
int gl_event_entry(const gl_event *ev, uint16_t *fy, uint32_t *num, gl_entry *e);

/* GL_OK if ev's prev_hash equals expected_prev and its hash recomputes. */
int gl_event_verify(const gl_event *ev, const char *tenant, size_t tenant_len, uint64_t seq,
                    const uint8_t expected_prev[GL_HASH_BYTES]);

#endif
