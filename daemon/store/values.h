/*
 * daemon/store/values.h — typed codecs of the values whose layout store.h
 * describes (the one description), one struct, encoder and decoder per
 * value shape (keyring records: see keyring_store.h; events:
 * proto/chain.h; envelopes hold the signed request as received).  Pure
 * functions.
 *
 * Decoders check the length of what they read and return GL_OK or
 * GL_ERR_STORAGE (a damaged record is never trusted); what they return of
 * text and bytes are views into the stored value, valid until the
 * transaction writes or ends.  Encoders of fixed-size values write into a
 * caller's array of the shape's *_LEN; those of variable size append to a
 * gl_buf (check gl_buf_ok).
 */
#ifndef GL_VALUES_H
#define GL_VALUES_H

#include "keys.h"
#include "store.h"

#include "proto/chain.h"
#include "proto/limits.h"
#include "proto/wire.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* tenants */
typedef struct tenant_rec {
    uint32_t number;
    uint64_t chain_seq;
    uint8_t head[GL_HASH_BYTES];
} tenant_rec;
#define STORE_TENANT_LEN (4 + 8 + GL_HASH_BYTES)
void store_tenant_encode(uint8_t v[STORE_TENANT_LEN], const tenant_rec *r);
int store_tenant_decode(store_val v, tenant_rec *r);

/* accounts: what follows the label is kept in rest. */
typedef struct store_account {
    uint8_t state; /* 1: open */
    gl_str label;
    const uint8_t *rest;
    size_t rest_len;
} store_account;
void store_account_encode(gl_buf *out, const store_account *a);
int store_account_decode(store_val v, store_account *a);

/* entries: the head, then the entry in its layout (the mark: layout 2). */
#define STORE_ENTRY_HEAD_LEN (8 + 8 + 8 + 32)
#define STORE_ENTRY_LAYOUT2_MARK 0xF2
typedef struct store_entry {
    uint64_t event_seq, envelope;
    int64_t recorded_ms;
    const uint8_t *signer; /* 32 bytes */
    int layout;            /* GL_LAYOUT_1 or GL_LAYOUT_2 */
    const uint8_t *entry;  /* the canonical entry in its layout */
    size_t entry_len;
} store_entry;
void store_entry_encode(gl_buf *out, const store_entry *e);
int store_entry_decode(store_val v, store_entry *e);
/* The date of a decoded stored entry without decoding the entry: it
 * follows the tenant str8 in both layouts (proto/entry.h). */
uint32_t store_entry_date(const store_entry *e);

/* balances, daily, acct_months, acct_days, partner_daily, year_totals:
 * the (debit, credit) pair. */
typedef struct store_pair {
    int64_t debit, credit;
} store_pair;
#define STORE_PAIR_LEN (8 + 8)
void store_pair_encode(uint8_t v[STORE_PAIR_LEN], store_pair p);
int store_pair_decode(store_val v, store_pair *p);
/* The next row of a scan over daily (store.h store_scan), its key parsed
 * (keys.h) and its pair decoded: false at the end of the range, or on a
 * damaged row with *st = GL_ERR_STORAGE. */
bool store_scan_next_daily(store_scan *s, key_parts *kp, store_pair *p, int *st);

/* by_account */
typedef struct store_line {
    int64_t amount;
    uint64_t envelope;
} store_line;
#define STORE_LINE_LEN (8 + 8)
void store_line_encode(uint8_t v[STORE_LINE_LEN], store_line l);
int store_line_decode(store_val v, store_line *l);

/* periods, fy 0: the tenant's lock. */
#define STORE_LOCK_LEN 4
void store_lock_encode(uint8_t v[STORE_LOCK_LEN], uint32_t locked_ym);
int store_lock_decode(store_val v, uint32_t *locked_ym);

/* periods, fy > 0: a fiscal year's state. */
typedef struct year_state {
    bool closed;
    uint32_t result_num; /* the result-closing entry, 0 if none was needed */
    uint16_t opening_fy;
    uint32_t opening_num; /* the à-nouveaux entry, 0 if none was needed */
    int64_t result_cents; /* surplus > 0, deficit < 0 */
    int64_t closed_ms;
} year_state;
#define STORE_YEAR_STATE_LEN (1 + 4 + 2 + 4 + 8 + 8)
void store_year_state_encode(uint8_t v[STORE_YEAR_STATE_LEN], const year_state *s);
int store_year_state_decode(store_val v, year_state *s);

/* reversed: the reversing entry */
typedef struct store_reversed {
    uint16_t fy;
    uint32_t num;
} store_reversed;
#define STORE_REVERSED_LEN (2 + 4)
void store_reversed_encode(uint8_t v[STORE_REVERSED_LEN], store_reversed r);
int store_reversed_decode(store_val v, store_reversed *r);

/* letters, code "": the account's next code index */
#define STORE_LETTER_NEXT_LEN 4
void store_letter_next_encode(uint8_t v[STORE_LETTER_NEXT_LEN], uint32_t index);
int store_letter_next_decode(store_val v, uint32_t *index);

/* letters, a code: a lettering, its refs as LETTER gave them. */
typedef struct store_lettering {
    uint32_t date;
    gl_str aux;
    uint16_t count;
    const uint8_t *refs; /* count * 8 bytes */
} store_lettering;
#define STORE_LETTER_REF_LEN (2 + 4 + 2)
void store_lettering_encode(gl_buf *out, const store_lettering *l);
int store_lettering_decode(store_val v, store_lettering *l);
/* The i-th reference of refs. */
void store_lettering_ref(const uint8_t *refs, uint16_t i, uint16_t *fy, uint32_t *num,
                         uint16_t *line);

/* lettered */
typedef struct store_lettered {
    gl_str code;
    uint32_t date;
} store_lettered;
#define STORE_LETTERED_LEN (KEY_CODE_W + 4)
void store_lettered_encode(uint8_t v[STORE_LETTERED_LEN], gl_str code, uint32_t date);
int store_lettered_decode(store_val v, store_lettered *l);

/* partner_lines */
typedef struct store_partner_line {
    const uint8_t *account; /* KEY_ACCOUNT_W padded bytes */
    int64_t amount;
} store_partner_line;
#define STORE_PARTNER_LINE_LEN (KEY_ACCOUNT_W + 8)
void store_partner_line_encode(uint8_t v[STORE_PARTNER_LINE_LEN], gl_str account, int64_t amount);
int store_partner_line_decode(store_val v, store_partner_line *l);

/* recharge_keys */
typedef struct store_recharge_keys {
    bool used;
    const uint8_t *keys; /* the body: gl_keys_q_decode */
    size_t keys_len;
} store_recharge_keys;
void store_recharge_keys_encode(gl_buf *out, const store_recharge_keys *r);
int store_recharge_keys_decode(store_val v, store_recharge_keys *r);

/* aux_labels */
#define STORE_AUX_LABEL_MAX (1 + GL_LABEL_MAX)
/* The value's length into *len. */
void store_aux_label_encode(uint8_t v[STORE_AUX_LABEL_MAX], gl_str label, size_t *len);
int store_aux_label_decode(store_val v, gl_str *label);

/* requests */
typedef struct store_request {
    const uint8_t *digest; /* 32 bytes */
    const uint8_t *reply;
    size_t reply_len;
} store_request;
void store_request_encode(gl_buf *out, const uint8_t digest[32], const uint8_t *reply,
                          size_t reply_len);
int store_request_decode(store_val v, store_request *r);

/* What is stored: these sizes are the layout of store.h. */
_Static_assert(STORE_TENANT_LEN == 44 && STORE_ENTRY_HEAD_LEN == 56, "store.h value sizes");
_Static_assert(STORE_PAIR_LEN == 16 && STORE_LINE_LEN == 16 && STORE_LOCK_LEN == 4,
               "store.h value sizes");
_Static_assert(STORE_YEAR_STATE_LEN == 27 && STORE_REVERSED_LEN == 6, "store.h value sizes");
_Static_assert(STORE_LETTER_NEXT_LEN == 4 && STORE_LETTER_REF_LEN == 8, "store.h value sizes");
_Static_assert(STORE_LETTERED_LEN == 8 && STORE_PARTNER_LINE_LEN == 28, "store.h value sizes");

#endif
