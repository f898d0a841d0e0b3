/*
 * proto/group.h — the group's request bodies (the umbrella and its members):
 * allocation keys, cost recharges, dues, combined balance, reconciliation.
 * Written by the accountant (keys, recharge, dues) and read by the
 * accountant and auditors (combined balance, reconciliation); members are
 * refused.  The header tenant of these requests is empty.
 *
 *   KEYS_SET       version u16 | count u16 | (tenant str8 | weight u32)*
 *   KEYS_GET       version u16
 *   RECHARGE       period u32 (YYYYMM) | amount i64 (cents > 0) | version u16 |
 *                  date u32 (0: the last day of the period)
 *   DUES           year u16 | date u32 (0: 31 January of year) | count u16 |
 *                  (tenant str8 | amount i64)*
 *   GROUP_BALANCE  at u32 | watermark u64 | after str8 (account, "" first) |
 *                  limit u16 (1..GL_PAGE_MAX): one page, as JOURNAL pages
 *   GROUP_RECONCILE at u32
 */
#ifndef GL_GROUP_H
#define GL_GROUP_H

#include "wire.h"

#include <stdint.h>

#define GL_GROUP_MEMBERS_MAX 64

typedef struct gl_group_item {
    gl_str tenant;
    int64_t value; /* weight (keys) or amount in cents (dues) */
} gl_group_item;

typedef struct gl_keys_q {
    uint16_t version;
    uint16_t count;
    gl_group_item items[GL_GROUP_MEMBERS_MAX];
} gl_keys_q;
int gl_keys_q_decode(const uint8_t *body, size_t len, gl_keys_q *out);
void gl_keys_q_encode(gl_buf *out, const gl_keys_q *q);

typedef struct gl_recharge_q {
    uint32_t period_ym;
    int64_t amount_cents;
    uint16_t version;
    uint32_t date; /* 0: last day of the period */
} gl_recharge_q;
int gl_recharge_q_decode(const uint8_t *body, size_t len, gl_recharge_q *out);
void gl_recharge_q_encode(gl_buf *out, const gl_recharge_q *q);

typedef struct gl_dues_q {
    uint16_t year;
    uint32_t date; /* 0: 31 January of year */
    uint16_t count;
    gl_group_item items[GL_GROUP_MEMBERS_MAX];
} gl_dues_q;
int gl_dues_q_decode(const uint8_t *body, size_t len, gl_dues_q *out);
/* The same under the stored-text rule (see gl_post_decode_layout_stored). */
int gl_dues_q_decode_stored(const uint8_t *body, size_t len, gl_dues_q *out);
void gl_dues_q_encode(gl_buf *out, const gl_dues_q *q);

/* GROUP_BALANCE, one page of the combined trial balance: rows of the
 * accounts after `after` (byte order; "" on the first page), at most `limit`
 * of them, as the ledger stood at `watermark` (0 on the first page: the
 * daemon takes the last envelope number and returns it).  Decode: at a valid
 * date (BAD_DATE), after at most GL_ACCOUNT_MAX bytes of text, limit
 * 1..GL_PAGE_MAX (COUNT_LIMIT). */
typedef struct gl_group_balance_q {
    uint32_t at;
    uint64_t watermark;
    gl_str after;
    uint16_t limit;
} gl_group_balance_q;
int gl_group_balance_q_decode(const uint8_t *body, size_t len, gl_group_balance_q *out);
void gl_group_balance_q_encode(gl_buf *out, const gl_group_balance_q *q);

/* KEYS_GET: version u16; GROUP_RECONCILE: at u32. */
int gl_u16_body_decode(const uint8_t *body, size_t len, uint16_t *out);
int gl_date_body_decode(const uint8_t *body, size_t len, uint32_t *out);

/* Shares of amount_cents by weights: share_i = floor(amount * w_i / W), the
 * remainder to the largest weight (the first of equals).  Exact: the shares
 * always sum to amount_cents.  Returns false if the total weight is 0 or the
 * arithmetic would overflow (amount * weight beyond 128 bits cannot happen:
 * checked in 128-bit integers). */
bool gl_shares(int64_t amount_cents, const int64_t *weights, size_t n, int64_t *shares);

#endif
