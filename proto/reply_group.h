/*
 * proto/reply_group.h — the reply bodies of the daemon's own requests and
 * of the group: a typed struct, an encoder and a decoder for each, used by
 * the daemon to write them and by the client to read them (the tenant
 * kinds' replies are in reply.h).
 *
 *   STATS           §5.16   gl_reply_stats      rows: kind and service times
 *   BACKUP          §5.17   gl_reply_backup     the file's full path
 *   KEYRING         §5.18   gl_reply_keyring    rows: key, since_ms, record
 *   TENANTS         §5.19   gl_reply_tenants    rows: identities; umbrella
 *   KEYS_SET        §5.21   gl_reply_keys_set   version and count
 *   KEYS_GET        §5.22   gl_reply_keys_get   used, version; rows: weights
 *   RECHARGE, DUES  §5.23-24 gl_reply_posted    rows: the entries written
 *   GROUP_BALANCE   §5.25   gl_reply_group_balance  one page; rows: nets
 *   GROUP_RECONCILE §5.26   gl_reply_reconcile  rows: pairs, each with lines
 *
 * Decoding is total: any bytes give a reply or a status of the wire cursor
 * (GL_ERR_MALFORMED when the body stops short, GL_ERR_STRING_TOO_LONG,
 * GL_ERR_STRING_INVALID), never a read past the body.  Text is read under
 * the stored-text rule (gl_cur_init_stored): the daemon serves text as its
 * ledger holds it.  Strings are views into the body, never copies; decoders
 * never allocate.  A decoder checks every row before it returns GL_OK, so
 * that the iterator over the rows of a decoded reply cannot fail.  Bodies
 * may grow only by fields appended at their end (PROTOCOL.md §3): a decoder
 * reads the fields it knows, in order, and ignores what follows them;
 * `len` says how many bytes it read.
 *
 * Encoders write exactly the bytes of PROTOCOL.md.  A list is written as
 * its header (gl_reply_X_encode, which returns where the count sits), then
 * one gl_reply_X_put_row per row; when the count is known only at the end,
 * gl_reply_X_set_count patches it.  The buffer's sticky failure
 * (gl_buf_ok) covers every encoder.
 */
#ifndef GL_REPLY_GROUP_H
#define GL_REPLY_GROUP_H

#include "reply.h" /* gl_reply_view */
#include "wire.h"

#include <stddef.h>
#include <stdint.h>

/* --- STATS (§5.16) ------------------------------------------------------- */

typedef struct gl_reply_stats_row {
    uint16_t kind;
    uint64_t count, p50_ns, p99_ns, max_ns;
} gl_reply_stats_row;

typedef struct gl_reply_stats {
    uint64_t rss_anon_kb, rss_file_kb;
    uint16_t count;
    gl_str rows; /* decoded: the count rows, checked */
    size_t len;  /* decoded: bytes read */
} gl_reply_stats;

typedef struct gl_reply_stats_iter {
    gl_cur c;
    uint32_t left;
} gl_reply_stats_iter;

size_t gl_reply_stats_encode(gl_buf *b, const gl_reply_stats *r);
void gl_reply_stats_put_row(gl_buf *b, const gl_reply_stats_row *row);
int gl_reply_stats_decode(gl_str body, gl_reply_stats *out);
void gl_reply_stats_iter_init(gl_reply_stats_iter *it, const gl_reply_stats *r);
/* Every _next: 1 and *row, the next row; 0, no more rows; -1, the rows do
 * not decode (never after the reply's decoder returned GL_OK). */
int gl_reply_stats_next(gl_reply_stats_iter *it, gl_reply_stats_row *row);

/* --- BACKUP (§5.17) ------------------------------------------------------ */

typedef struct gl_reply_backup {
    gl_str path; /* str16: at most UINT16_MAX bytes (asserted) */
    size_t len;
} gl_reply_backup;

void gl_reply_backup_encode(gl_buf *b, const gl_reply_backup *r);
int gl_reply_backup_decode(gl_str body, gl_reply_backup *out);

/* --- KEYRING (§5.18) ----------------------------------------------------- */

#define GL_REPLY_KEY_BYTES 32

typedef struct gl_reply_keyring_row {
    const uint8_t *public_key; /* GL_REPLY_KEY_BYTES bytes */
    uint64_t since_ms;
    /* the stored record, binary: format u8 | until_ms i64 | end u8 | role u8
     * | tenant str8 | name str8 */
    gl_str record;
} gl_reply_keyring_row;

typedef struct gl_reply_keyring {
    uint32_t count;
    gl_str rows;
    size_t len;
} gl_reply_keyring;

typedef struct gl_reply_keyring_iter {
    gl_cur c;
    uint32_t left;
} gl_reply_keyring_iter;

size_t gl_reply_keyring_encode(gl_buf *b, const gl_reply_keyring *r);
/* record.len at most UINT16_MAX (asserted). */
void gl_reply_keyring_put_row(gl_buf *b, const gl_reply_keyring_row *row);
void gl_reply_keyring_set_count(gl_buf *b, size_t count_at, uint32_t count);
int gl_reply_keyring_decode(gl_str body, gl_reply_keyring *out);
void gl_reply_keyring_iter_init(gl_reply_keyring_iter *it, const gl_reply_keyring *r);
int gl_reply_keyring_next(gl_reply_keyring_iter *it, gl_reply_keyring_row *row);

/* --- TENANTS (§5.19) ----------------------------------------------------- */

typedef struct gl_reply_tenants_row {
    gl_str id, name, siren;
    uint8_t first_month;
    gl_str code;
} gl_reply_tenants_row;

typedef struct gl_reply_tenants {
    uint16_t count;
    gl_str rows;
    gl_str umbrella;    /* after the rows; "" without a group */
    gl_str combination; /* after it (issue 20); "" without one, or from an older daemon */
    size_t len;
} gl_reply_tenants;

typedef struct gl_reply_tenants_iter {
    gl_cur c;
    uint32_t left;
} gl_reply_tenants_iter;

/* The count; then the rows; then gl_reply_tenants_end (the umbrella). */
size_t gl_reply_tenants_encode(gl_buf *b, const gl_reply_tenants *r);
void gl_reply_tenants_put_row(gl_buf *b, const gl_reply_tenants_row *row);
void gl_reply_tenants_end(gl_buf *b, const gl_reply_tenants *r);
void gl_reply_tenants_set_count(gl_buf *b, size_t count_at, uint16_t count);
int gl_reply_tenants_decode(gl_str body, gl_reply_tenants *out);
void gl_reply_tenants_iter_init(gl_reply_tenants_iter *it, const gl_reply_tenants *r);
int gl_reply_tenants_next(gl_reply_tenants_iter *it, gl_reply_tenants_row *row);

/* --- KEYS_SET (§5.21) and KEYS_GET (§5.22) ------------------------------- */

typedef struct gl_reply_keys_set {
    uint16_t version, count;
    size_t len;
} gl_reply_keys_set;

void gl_reply_keys_set_encode(gl_buf *b, const gl_reply_keys_set *r);
int gl_reply_keys_set_decode(gl_str body, gl_reply_keys_set *out);

/* The stored record of a keys version (the daemon keeps it in this layout). */
typedef struct gl_reply_keys_row {
    gl_str tenant;
    uint32_t weight;
} gl_reply_keys_row;

typedef struct gl_reply_keys_get {
    uint8_t used; /* 1: used by a recharge, frozen */
    uint16_t version, count;
    gl_str rows;
    size_t len;
} gl_reply_keys_get;

typedef struct gl_reply_keys_get_iter {
    gl_cur c;
    uint32_t left;
} gl_reply_keys_get_iter;

size_t gl_reply_keys_get_encode(gl_buf *b, const gl_reply_keys_get *r);
void gl_reply_keys_get_put_row(gl_buf *b, const gl_reply_keys_row *row);
int gl_reply_keys_get_decode(gl_str body, gl_reply_keys_get *out);
void gl_reply_keys_get_iter_init(gl_reply_keys_get_iter *it, const gl_reply_keys_get *r);
int gl_reply_keys_get_next(gl_reply_keys_get_iter *it, gl_reply_keys_row *row);

/* --- RECHARGE (§5.23) and DUES (§5.24): the entries written -------------- */

typedef struct gl_reply_posted_row {
    gl_str tenant;
    uint16_t fy;
    uint32_t num;
} gl_reply_posted_row;

typedef struct gl_reply_posted {
    uint32_t count;
    gl_str rows;
    size_t len;
} gl_reply_posted;

typedef struct gl_reply_posted_iter {
    gl_cur c;
    uint32_t left;
} gl_reply_posted_iter;

size_t gl_reply_posted_encode(gl_buf *b, const gl_reply_posted *r);
void gl_reply_posted_put_row(gl_buf *b, const gl_reply_posted_row *row);
void gl_reply_posted_set_count(gl_buf *b, size_t count_at, uint32_t count);
int gl_reply_posted_decode(gl_str body, gl_reply_posted *out);
void gl_reply_posted_iter_init(gl_reply_posted_iter *it, const gl_reply_posted *r);
int gl_reply_posted_next(gl_reply_posted_iter *it, gl_reply_posted_row *row);

/* --- GROUP_BALANCE (§5.25), one page ------------------------------------- */

#define GL_REPLY_ENTITIES_MAX 255 /* n is a u8 */

typedef struct gl_reply_entity {
    gl_str tenant;
    uint16_t fy;
} gl_reply_entity;

typedef struct gl_reply_group_balance {
    uint64_t watermark;
    uint8_t more;
    gl_str next;
    uint32_t at;
    uint8_t n; /* entities */
    gl_reply_entity entities[GL_REPLY_ENTITIES_MAX];
    uint32_t count;
    gl_str rows;
    /* the tail after the rows (issue 20; absent from an older daemon's
     * pages: has_tail 0, every gap and adjustment 0) */
    uint8_t has_tail;
    gl_str combination; /* the combination ledger, "" if none */
    uint16_t combination_fy;
    gl_str extras; /* (gap i64 | adj i64)*count, checked */
    size_t len;
} gl_reply_group_balance;

typedef struct gl_reply_group_balance_row {
    gl_str account, label;
    int64_t net[GL_REPLY_ENTITIES_MAX]; /* the n entities' nets, in entity order */
    int64_t elim;                       /* the paired intercompany lines taken off */
    int64_t gap; /* the unpaired intercompany lines left in (écarts de réciprocité) */
    int64_t adj; /* the combination ledger's net */
} gl_reply_group_balance_row;

typedef struct gl_reply_group_balance_iter {
    gl_cur c, extras;
    uint32_t left;
    uint8_t n;
    uint8_t has_tail;
} gl_reply_group_balance_iter;

/* The tail after the rows: the combination ledger and its fiscal year, then
 * one gl_reply_group_balance_put_extra per row, in the rows' order. */
typedef struct gl_reply_group_balance_tail {
    gl_str combination;
    uint16_t fy;
} gl_reply_group_balance_tail;
void gl_reply_group_balance_put_tail(gl_buf *b, const gl_reply_group_balance_tail *t);
void gl_reply_group_balance_put_extra(gl_buf *b, int64_t gap, int64_t adj);

size_t gl_reply_group_balance_encode(gl_buf *b, const gl_reply_group_balance *r);
/* n: the page's entity count (r->n of the header). */
void gl_reply_group_balance_put_row(gl_buf *b, uint8_t n, const gl_reply_group_balance_row *row);
void gl_reply_group_balance_set_count(gl_buf *b, size_t count_at, uint32_t count);
int gl_reply_group_balance_decode(gl_str body, gl_reply_group_balance *out);
void gl_reply_group_balance_iter_init(gl_reply_group_balance_iter *it,
                                      const gl_reply_group_balance *r);
int gl_reply_group_balance_next(gl_reply_group_balance_iter *it, gl_reply_group_balance_row *row);

/* --- GROUP_RECONCILE (§5.26): pairs, each with its unmatched lines ------- */

typedef struct gl_reply_reconcile_line {
    gl_str tenant;
    uint16_t fy;
    uint32_t num, date;
    gl_str account;
    int64_t amount;
    gl_str label;
} gl_reply_reconcile_line;

typedef struct gl_reply_reconcile_pair {
    gl_str tenant_a, tenant_b;
    uint8_t category; /* 1 class 4, 2 classes 6-7 */
    int64_t pos_a, pos_b;
    uint8_t status; /* 0 matched, 1 mismatched, 2 one-sided */
    int64_t diff;
    uint16_t unmatched;
    gl_str lines; /* decoded: the unmatched lines, checked */
} gl_reply_reconcile_pair;

typedef struct gl_reply_reconcile {
    uint32_t at;
    uint16_t pairs;
    gl_str rows;
    size_t len;
} gl_reply_reconcile;

typedef struct gl_reply_reconcile_iter {
    gl_cur c;
    uint32_t left;
} gl_reply_reconcile_iter;

size_t gl_reply_reconcile_encode(gl_buf *b, const gl_reply_reconcile *r);
void gl_reply_reconcile_set_count(gl_buf *b, size_t count_at, uint16_t pairs);
/* A pair's fields and its `unmatched` count; returns where that count sits
 * (patched by gl_reply_reconcile_set_unmatched after its lines). */
size_t gl_reply_reconcile_put_pair(gl_buf *b, const gl_reply_reconcile_pair *pair);
void gl_reply_reconcile_put_line(gl_buf *b, const gl_reply_reconcile_line *line);
void gl_reply_reconcile_set_unmatched(gl_buf *b, size_t unmatched_at, uint16_t unmatched);
int gl_reply_reconcile_decode(gl_str body, gl_reply_reconcile *out);
void gl_reply_reconcile_iter_init(gl_reply_reconcile_iter *it, const gl_reply_reconcile *r);
int gl_reply_reconcile_next(gl_reply_reconcile_iter *it, gl_reply_reconcile_pair *pair);
/* The lines of a pair returned by gl_reply_reconcile_next. */
void gl_reply_reconcile_lines_init(gl_reply_reconcile_iter *it,
                                   const gl_reply_reconcile_pair *pair);
int gl_reply_reconcile_line_next(gl_reply_reconcile_iter *it, gl_reply_reconcile_line *line);

#endif
