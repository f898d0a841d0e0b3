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
 *                  date u32 (0: the last day of the period) [| accounts]
 *   DUES           year u16 | date u32 (0: 31 January of year) | count u16 |
 *                  (tenant str8 | amount i64)* [| accounts]
 *   RECHARGE_ADJUST year u16 | date u32 (0: 31 December of year) | count u16 |
 *                  (tenant str8 | amount i64, signed, never 0)* | accounts
 *   accounts       receivable str8 | revenue str8 | expense str8 | payable str8
 *                  (issue 20: the group's own accounts; a RECHARGE or DUES
 *                  body without the block is the old form, written with
 *                  proto/accounts.h's 411000/706100/628000/401000 and
 *                  411000/756100/628100/401000 and one piece for all members;
 *                  with it, one piece per member: GL_GROUP_PIECE_MEMBER)
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

/* The four accounts of a group request: the umbrella's receivable (41...)
 * and revenue (7...), the member's expense (6...) and payable (40...).
 * Decode: each a valid account number (gl_account_valid) of its class, else
 * GL_ERR_GROUP_ACCOUNT_CLASS. */
typedef struct gl_group_accounts {
    bool carried; /* the body holds the block (the new form) */
    gl_str receivable, revenue, expense, payable;
} gl_group_accounts;
void gl_group_accounts_encode(gl_buf *out, const gl_group_accounts *a);
/* The accounts a body gives: its own, or the old form's defaults for kind
 * (RECHARGE or DUES). */
gl_group_accounts gl_group_accounts_or_default(const gl_group_accounts *a, uint16_t kind);

typedef struct gl_recharge_q {
    uint32_t period_ym;
    int64_t amount_cents;
    uint16_t version;
    uint32_t date; /* 0: last day of the period */
    gl_group_accounts accounts;
} gl_recharge_q;
int gl_recharge_q_decode(const uint8_t *body, size_t len, gl_recharge_q *out);
void gl_recharge_q_encode(gl_buf *out, const gl_recharge_q *q);

typedef struct gl_dues_q {
    uint16_t year;
    uint32_t date; /* 0: 31 January of year */
    uint16_t count;
    gl_group_item items[GL_GROUP_MEMBERS_MAX];
    gl_group_accounts accounts;
} gl_dues_q;
int gl_dues_q_decode(const uint8_t *body, size_t len, gl_dues_q *out);
/* The same under the stored-text rule (see gl_post_decode_layout_stored). */
int gl_dues_q_decode_stored(const uint8_t *body, size_t len, gl_dues_q *out);
void gl_dues_q_encode(gl_buf *out, const gl_dues_q *q);

/* RECHARGE_ADJUST (62, issue 20): the year's true-up of the recharges, per
 * member a signed amount (> 0: an invoice, < 0: a credit note), never 0
 * (GL_ERR_ADJUST_ZERO); the accounts block required
 * (GL_ERR_ADJUST_NO_ACCOUNTS when absent). */
typedef struct gl_recharge_adjust_q {
    uint16_t year;
    uint32_t date; /* 0: 31 December of year */
    uint16_t count;
    gl_group_item items[GL_GROUP_MEMBERS_MAX];
    gl_group_accounts accounts;
} gl_recharge_adjust_q;
int gl_recharge_adjust_q_decode(const uint8_t *body, size_t len, gl_recharge_adjust_q *out);
/* The same under the stored-text rule (see gl_post_decode_layout_stored). */
int gl_recharge_adjust_q_decode_stored(const uint8_t *body, size_t len, gl_recharge_adjust_q *out);
void gl_recharge_adjust_q_encode(gl_buf *out, const gl_recharge_adjust_q *q);

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
