/*
 * proto/limits.h — every limit of the protocol in one place.  A message that
 * exceeds one is refused whole with the status named beside it.
 */
#ifndef GL_LIMITS_H
#define GL_LIMITS_H

#define GL_PROTOCOL_VERSION 2   /* the only version the daemon accepts */
#define GL_PROTOCOL_VERSION_1 1 /* history: verified offline, refused by the daemon (102) */
#define GL_LEDGER_ID_BYTES 16   /* a ledger's random id, inside every signed request */
#define GL_MESSAGE_MAX (16u * 1024u * 1024u) /* whole request bytes: TOO_LARGE */
#define GL_TENANT_MAX 16                     /* tenant id bytes [a-z0-9_-] */
#define GL_ACCOUNT_MAX 20                    /* account number bytes [0-9A-Z], first 1-9 */
#define GL_AUX_MAX 20                        /* auxiliary account bytes */
#define GL_JOURNAL_MAX 8                     /* journal code bytes [A-Z0-9] */
#define GL_PIECE_MAX 64                      /* piece reference bytes */
#define GL_LABEL_MAX 200                     /* labels (entry, line, account, aux) bytes */
#define GL_LINES_MAX 1000                    /* lines per entry: COUNT_LIMIT */
#define GL_CLOSE_LINES_MAX 65535             /* lines of an entry written by a year close */
#define GL_LETTER_LINES_MAX 1000             /* lines lettered together */
#define GL_LETTER_BATCH_MAX 10000            /* sets in one LETTER_BATCH */
#define GL_ENTRIES_MAX 10000                 /* entries per post request: COUNT_LIMIT */
#define GL_ACCOUNTS_MAX 10000                /* accounts per open request: COUNT_LIMIT */
#define GL_PAGE_MAX 1000                     /* rows per journal/ledger page */
#define GL_DETAIL_MAX 512                    /* error detail text in a reply */
#define GL_REPLY_BODY_MAX GL_MESSAGE_MAX     /* reply body bytes: REPLY_TOO_LARGE */

/* Caps on every stored debit or credit total of an account (per fiscal
 * year, per auxiliary and day, per month, per day, per partner): no write
 * takes one above GL_TOTAL_MAX_CENTS, and a member's own writes not above
 * GL_MEMBER_TOTAL_MAX_CENTS, so that the accountant always has room to post
 * on a member's accounts and the sum of up to 65 entities' nets (each
 * within +-2^56) never leaves the int64 range.  TOTAL_LIMIT. */
#define GL_TOTAL_MAX_CENTS ((int64_t)1 << 56)        /* 720 575 940 379 279.36 */
#define GL_MEMBER_TOTAL_MAX_CENTS ((int64_t)1 << 52) /* 45 035 996 273 704.96 */

/* Caps on a tenant's open books: the sum of every debit written in its
 * fiscal years not yet closed (equal to the sum of their credits, every
 * entry balancing).  No write takes it above GL_YEAR_TOTAL_MAX_CENTS, and a
 * member's own writes not above GL_MEMBER_YEAR_TOTAL_MAX_CENTS (room for
 * two accounts filled to the member's per-account cap; the accountant keeps
 * 3/4 of the books' room).  YEAR_TOTAL_LIMIT.  Why the open books and not
 * each year alone: the year close carries the balance sheet into the next
 * year (à-nouveaux), so a cap on each year's own writes would let the
 * carried balances grow year after year; a close never makes the open books
 * larger (below), so nothing accumulates.
 *
 * Let D(fy) be the debits written in fy (stored per year, PROTOCOL.md §9),
 * S the sum of D over the open years; every write other than a close keeps
 * S <= 2^55 (only open years take entries: a closed year is locked).
 * Closing fy, with D = D(fy) <= S <= 2^55 before the close:
 *  - the result entry debits max(charges, produits) of the class 6-7 nets
 *    (zeroing the credit balances, plus 129000 for a deficit), each <= the
 *    debits of class 6-7 lines, so <= D: fy ends with D(fy) <= 2^56;
 *  - the à-nouveaux debit the positive class 1-5 balances after the result
 *    entry, <= the debits of classes 1-7 <= D; they go into fy + 1, which
 *    leaves S' = S - D + AN <= S <= 2^55: the open books never grow by a
 *    close, and D(fy + 1) <= S' stays <= 2^55.
 * So D(fy) <= 2^56 for every year, closed or open, and then:
 *  - every account's debit or credit total of a year is <= D(fy) <= 2^56,
 *    the accountant's per-account cap: the close's lines never pass it;
 *  - every balance, statement heading or total (a sum of balances of some
 *    accounts of one year lies in [-D, +D]: the positive balances add up to
 *    at most D, the negative ones to at least -D) and every trial-balance
 *    debit or credit column is within +-2^56;
 *  - the combined group column of up to 64 tenants (65 entities with the
 *    umbrella) is within +-65 * 2^56 < 2^63: no int64 overflow.
 * The year close itself is checked against 2^56 per year (a ledger written
 * before these caps may already be above them: the close is then refused
 * with YEAR_TOTAL_LIMIT rather than store a total that breaks the bounds). */
#define GL_YEAR_TOTAL_MAX_CENTS ((int64_t)1 << 55)        /* 360 287 970 189 639.68 */
#define GL_MEMBER_YEAR_TOTAL_MAX_CENTS ((int64_t)1 << 53) /* 90 071 992 547 409.92 */
#define GL_CLOSED_YEAR_TOTAL_MAX_CENTS GL_TOTAL_MAX_CENTS /* D(fy) after its close */

#define GL_EXT_ENTRY_MAX 1024 /* extension area bytes of an entry: BAD_EXTENSION */
#define GL_EXT_LINE_MAX 256   /* extension area bytes of a line: BAD_EXTENSION */

#endif
