/*
 * proto/limits.h — every limit of the protocol in one place.  A message that
 * exceeds one is refused whole with the status named beside it.
 */
#ifndef GL_LIMITS_H
#define GL_LIMITS_H

#define GL_PROTOCOL_VERSION 2    /* the only version the daemon accepts */
#define GL_PROTOCOL_VERSION_1 1  /* history: verified offline, refused by the daemon (102) */
#define GL_LEDGER_ID_BYTES 16    /* a ledger's random id, inside every signed request */
#define GL_MESSAGE_MAX (16u * 1024u * 1024u) /* whole request bytes: TOO_LARGE */
#define GL_TENANT_MAX 16     /* tenant id bytes [a-z0-9_-] */
#define GL_ACCOUNT_MAX 20    /* account number bytes [0-9A-Z], first 1-9 */
#define GL_AUX_MAX 20        /* auxiliary account bytes */
#define GL_JOURNAL_MAX 8     /* journal code bytes [A-Z0-9] */
#define GL_PIECE_MAX 64      /* piece reference bytes */
#define GL_LABEL_MAX 200     /* labels (entry, line, account, aux) bytes */
#define GL_LINES_MAX 1000    /* lines per entry: COUNT_LIMIT */
#define GL_CLOSE_LINES_MAX 65535 /* lines of an entry written by a year close */
#define GL_LETTER_LINES_MAX 1000 /* lines lettered together */
#define GL_ENTRIES_MAX 10000 /* entries per post request: COUNT_LIMIT */
#define GL_ACCOUNTS_MAX 10000 /* accounts per open request: COUNT_LIMIT */
#define GL_PAGE_MAX 1000     /* rows per journal/ledger page */
#define GL_DETAIL_MAX 512    /* error detail text in a reply */
#define GL_REPLY_BODY_MAX GL_MESSAGE_MAX /* reply body bytes: REPLY_TOO_LARGE */

/* Caps on every stored debit or credit total of an account (per fiscal
 * year, per auxiliary and day, per month, per day, per partner): no write
 * takes one above GL_TOTAL_MAX_CENTS, and a member's own writes not above
 * GL_MEMBER_TOTAL_MAX_CENTS, so that the accountant always has room to post
 * on a member's accounts and the sum of up to 65 entities' nets (each
 * within +-2^56) never leaves the int64 range.  TOTAL_LIMIT. */
#define GL_TOTAL_MAX_CENTS ((int64_t)1 << 56)        /* 720 575 940 379 279.36 */
#define GL_MEMBER_TOTAL_MAX_CENTS ((int64_t)1 << 52) /* 45 035 996 273 704.96 */

#define GL_EXT_ENTRY_MAX 1024 /* extension area bytes of an entry: BAD_EXTENSION */
#define GL_EXT_LINE_MAX 256   /* extension area bytes of a line: BAD_EXTENSION */

#endif
