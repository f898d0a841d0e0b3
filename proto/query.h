/*
 * proto/query.h — request bodies other than entries, decoded by the daemon,
 * encoded by the client.  Reply bodies are listed in PROTOCOL.md; they are
 * written and read through proto/reply.h (PING's included).
 *
 *   ACCOUNTS_OPEN  mode u8 (0 strict, 1 skip existing; | 0x02 history) | count u32 |
 *                  (account str8 | label str8)*
 *   POST           count u32 | entry*
 *   BALANCE        at u32 | flags u8 (bit 0: per auxiliary account; bit 1:
 *                  include a closed year's result-closing entry)
 *   JOURNAL        from u32 | to u32 | watermark u64 | after_fy u16 |
 *                  after_num u32 | limit u16 [| filter block]
 *   LEDGER         account str8 | from u32 | to u32 | watermark u64 |
 *                  after_date u32 | after_fy u16 | after_num u32 |
 *                  after_line u16 | limit u16 | flags u8 (bit 0: open items)
 *                  [| filter block]
 *   ENTRY_GET      fy u16 | num u32
 *   LOCK           through u32 (YYYYMM) | mode u8 (0 through, 1 next only)
 *   CLOSE_YEAR     fy u16
 *   LETTER         account str8 | aux str8 | count u16 |
 *                  (fy u16 | num u32 | line u16)* [| date u32]
 *   UNLETTER       account str8 | code str8
 *   CHAIN          after_seq u64 | limit u16  (the tenant's events after a sequence)
 *   ENVELOPE       envelope u64               (a signed request as received)
 *   BACKUP         name str16 (a file of the daemon's backup_dir: proto/backup.h)
 *   KEYRING        empty: the keyring's history (every key and when it was valid)
 *   TENANTS        empty: the tenants the key may read
 *   PING, ACCOUNTS_LIST, PERIODS: empty body
 * JOURNAL's last byte is flags (bit 0: each row also carries the letter
 * code and date of each line).  JOURNAL and LEDGER flag bit 1 (FILTER):
 * a filter block follows the flags (gl_filter, PROTOCOL.md §5.6.1).
 */
#ifndef GL_QUERY_H
#define GL_QUERY_H

#include "entry.h"
#include "wire.h"

#include <stddef.h>
#include <stdint.h>

#define GL_OPEN_STRICT 0
#define GL_OPEN_SKIP_EXISTING 1
/* Flag on the ACCOUNTS_OPEN mode: open accounts for the books of fiscal
 * years opened before 2025-01-01, even those the 2025 chart abolished
 * (posting to them from 2025 on stays refused: proto/chart_rules.h). */
#define GL_OPEN_HISTORY 0x02
#define GL_BALANCE_AUX 0x01
#define GL_BALANCE_AFTER_CLOSING 0x02
/* Each BALANCE row ends with its auxiliary account's name (PROTOCOL.md §5.5). */
#define GL_BALANCE_AUX_LABELS 0x04
#define GL_LEDGER_OPEN_ITEMS 0x01
#define GL_LEDGER_FILTER 0x02
#define GL_LOCK_THROUGH 0
#define GL_LOCK_NEXT_ONLY 1

typedef struct gl_accounts_open {
    uint8_t mode;
    uint32_t count;
    const uint8_t *items;
    size_t items_len;
} gl_accounts_open;

typedef struct gl_account_item {
    gl_str account;
    gl_str label;
} gl_account_item;

/* On error *bad_item is the 1-based item at fault (0 if none). */
int gl_accounts_open_decode(const uint8_t *body, size_t len, gl_accounts_open *out,
                            uint32_t *bad_item);
/* The same under the stored-text rule (see gl_post_decode_layout_stored). */
int gl_accounts_open_decode_stored(const uint8_t *body, size_t len, gl_accounts_open *out,
                                   uint32_t *bad_item);
typedef struct gl_item_iter {
    gl_cur cur;
    uint32_t left;
    uint8_t layout; /* POST entries: GL_LAYOUT_* */
} gl_item_iter;
void gl_account_iter_init(gl_item_iter *it, const gl_accounts_open *o);
bool gl_account_next(gl_item_iter *it, gl_account_item *out);

/* ACCOUNT_LABEL: count u32 | (account str8 | label str8)*count, count
 * 1..GL_LABELS_MAX.  Decoded into a gl_accounts_open (mode 0) so that the
 * account iterator reads it.  A blank label is refused by the handler
 * (field_required), not here: the bytes are well formed. */
#define GL_LABELS_MAX 1000
int gl_account_label_decode(const uint8_t *body, size_t len, gl_accounts_open *out,
                            uint32_t *bad_item);
int gl_account_label_decode_stored(const uint8_t *body, size_t len, gl_accounts_open *out,
                                   uint32_t *bad_item);

typedef struct gl_post {
    uint32_t count;
    uint8_t layout; /* of its entries: GL_LAYOUT_2, or GL_LAYOUT_1 in a version 1 request */
    const uint8_t *entries;
    size_t entries_len;
    /* The request id (same signer) this POST follows: applied only if that
     * one was (PROTOCOL.md §5.4, predecessor_not_applied); 0: none.  An
     * optional u64 after the entries, in layout 2 only; 0 there is
     * malformed, so that each body has one encoding. */
    uint64_t follows;
} gl_post;
/* A POST body of today's protocol (entries in layout 2). */
int gl_post_decode(const uint8_t *body, size_t len, gl_post *out, uint32_t *bad_item);
/* The same in a given entry layout (GL_LAYOUT_1: a version 1 request's). */
int gl_post_decode_layout(const uint8_t *body, size_t len, int layout, gl_post *out,
                          uint32_t *bad_item);
/* The same under the stored-text rule (gl_cur_init_stored: text may hold
 * the bidirectional controls refused since), for a request a ledger holds
 * that was signed before that rule: a version 1 request, read by the
 * offline verifier.  Admission uses the decoders without _stored.  The
 * iterators work after either. */
int gl_post_decode_layout_stored(const uint8_t *body, size_t len, int layout, gl_post *out,
                                 uint32_t *bad_item);
void gl_post_iter_init(gl_item_iter *it, const gl_post *p);
bool gl_post_next(gl_item_iter *it, gl_entry *out);

typedef struct gl_balance_q {
    uint32_t at;
    uint8_t flags;
} gl_balance_q;
int gl_balance_q_decode(const uint8_t *body, size_t len, gl_balance_q *out);
void gl_balance_q_encode(gl_buf *out, const gl_balance_q *q);

/* The filter block of JOURNAL and LEDGER (flag bit 1, §5.6.1):
 *   fields u8 | account str8 | aux str8 | text str8 | journal str8 |
 *   amount i64 | open_at u32
 * each field present only when its bit of `fields` is set, in that order.
 * A field given is never empty: account a prefix of 1–20 bytes [0-9A-Z],
 * aux 1–GL_AUX_MAX bytes, text 1–GL_LABEL_MAX bytes, journal a code
 * (1–8 [A-Z0-9]), amount 1..2^62 cents, open_at a valid date.  Any other
 * value, no field, an unknown field bit, or a field the kind does not take
 * (JOURNAL: open_at; LEDGER: account, which is its own) → bad_filter (443);
 * a block cut short → malformed (100). */
#define GL_FILTER_ACCOUNT 0x01 /* a line's account starts with it */
#define GL_FILTER_AUX 0x02     /* a line's auxiliary account is it */
#define GL_FILTER_TEXT 0x04    /* in the entry label, a line label or the piece (folded) */
#define GL_FILTER_JOURNAL 0x08 /* the entry's journal code is it */
#define GL_FILTER_AMOUNT 0x10  /* a line's amount (either side) is it, in cents */
#define GL_FILTER_OPEN_AT 0x20 /* LEDGER: open at that date (§5.7) */
#define GL_FILTER_ALL 0x3F
#define GL_FILTER_AMOUNT_MAX ((int64_t)1 << 62)
typedef struct gl_filter {
    uint8_t fields; /* 0: no filter block */
    gl_str account, aux, text, journal;
    int64_t amount;
    uint32_t open_at;
} gl_filter;
/* Read a filter block from c (its status set on failure); `allowed` is the
 * kind's set of field bits. */
void gl_filter_decode(gl_cur *c, gl_filter *out, uint8_t allowed);
void gl_filter_encode(gl_buf *out, const gl_filter *f);

typedef struct gl_journal_q {
    uint32_t from, to;
    uint64_t watermark;
    uint16_t after_fy;
    uint32_t after_num;
    uint16_t limit;
    uint8_t flags;
    gl_filter filter; /* with GL_JOURNAL_FILTER */
} gl_journal_q;
#define GL_JOURNAL_LETTERS 0x01
#define GL_JOURNAL_FILTER 0x02
int gl_journal_q_decode(const uint8_t *body, size_t len, gl_journal_q *out);
void gl_journal_q_encode(gl_buf *out, const gl_journal_q *q);

typedef struct gl_ledger_q {
    gl_str account;
    uint32_t from, to;
    uint64_t watermark;
    uint32_t after_date;
    uint16_t after_fy;
    uint32_t after_num;
    uint16_t after_line;
    uint16_t limit;
    uint8_t flags;
    gl_filter filter; /* with GL_LEDGER_FILTER */
} gl_ledger_q;
int gl_ledger_q_decode(const uint8_t *body, size_t len, gl_ledger_q *out);
void gl_ledger_q_encode(gl_buf *out, const gl_ledger_q *q);

typedef struct gl_chain_q {
    uint64_t after_seq;
    uint16_t limit;
} gl_chain_q;
int gl_chain_q_decode(const uint8_t *body, size_t len, gl_chain_q *out);
/* A page's row limit (JOURNAL, LEDGER, CHAIN, GROUP_BALANCE) is
 * 1..GL_PAGE_MAX: COUNT_LIMIT otherwise, if the cursor c is still OK. */
void gl_page_limit_check(gl_cur *c, uint16_t limit);
void gl_chain_q_encode(gl_buf *out, const gl_chain_q *q);
int gl_u64_body_decode(const uint8_t *body, size_t len, uint64_t *out);

typedef struct gl_entry_ref {
    uint16_t fy;
    uint32_t num;
} gl_entry_ref;
int gl_entry_ref_decode(const uint8_t *body, size_t len, gl_entry_ref *out);
void gl_entry_ref_encode(gl_buf *out, const gl_entry_ref *r);

typedef struct gl_lock_q {
    uint32_t through_ym; /* YYYYMM */
    uint8_t mode;
} gl_lock_q;
int gl_lock_q_decode(const uint8_t *body, size_t len, gl_lock_q *out);
void gl_lock_q_encode(gl_buf *out, const gl_lock_q *q);

typedef struct gl_close_q {
    uint16_t fy;
} gl_close_q;
int gl_close_q_decode(const uint8_t *body, size_t len, gl_close_q *out);
void gl_close_q_encode(gl_buf *out, const gl_close_q *q);

typedef struct gl_line_ref {
    uint16_t fy;
    uint32_t num;
    uint16_t line; /* 1-based */
} gl_line_ref;

typedef struct gl_letter_q {
    gl_str account;
    gl_str aux;
    uint16_t count;
    const uint8_t *refs; /* count * 8 bytes */
    uint32_t date;       /* the optional trailing lettering date; 0 if absent */
} gl_letter_q;
int gl_letter_q_decode(const uint8_t *body, size_t len, gl_letter_q *out);
/* The same under the stored-text rule (see gl_post_decode_layout_stored). */
int gl_letter_q_decode_stored(const uint8_t *body, size_t len, gl_letter_q *out);
gl_line_ref gl_letter_ref(const gl_letter_q *q, uint16_t i);
void gl_letter_q_encode(gl_buf *out, gl_str account, gl_str aux, const gl_line_ref *refs,
                        uint16_t count);
/* The same with a lettering date (a FEC's DateLet), appended when not 0. */
void gl_letter_q_encode_dated(gl_buf *out, gl_str account, gl_str aux, const gl_line_ref *refs,
                              uint16_t count, uint32_t date);

/* LETTER_BATCH (§5.11a): count u16 (1–GL_LETTER_BATCH_MAX) then count sets,
 * each len u16 | a LETTER body of len bytes (its optional date included).
 * Decoding checks every set as LETTER's decoder does; *bad_item gets the
 * 1-based set at fault. */
typedef struct gl_letter_batch_q {
    uint16_t count;
    const uint8_t *sets; /* the bytes after count */
    size_t len;
} gl_letter_batch_q;
int gl_letter_batch_q_decode(const uint8_t *body, size_t len, gl_letter_batch_q *out,
                             uint32_t *bad_item);
int gl_letter_batch_q_decode_stored(const uint8_t *body, size_t len, gl_letter_batch_q *out,
                                    uint32_t *bad_item);
/* Walk the sets of a decoded batch: *pos starts at 0; false after the last. */
bool gl_letter_batch_next(const gl_letter_batch_q *q, size_t *pos, gl_letter_q *set);
/* Append one set (a LETTER body) to a batch being built: the caller writes
 * the count first (gl_put_u16) and fixes it with gl_letter_batch_count. */
void gl_letter_batch_put(gl_buf *out, const gl_buf *letter_body);
void gl_letter_batch_count(gl_buf *out, uint16_t count);

typedef struct gl_unletter_q {
    gl_str account;
    gl_str code;
} gl_unletter_q;
int gl_unletter_q_decode(const uint8_t *body, size_t len, gl_unletter_q *out);
/* The same under the stored-text rule (see gl_post_decode_layout_stored). */
int gl_unletter_q_decode_stored(const uint8_t *body, size_t len, gl_unletter_q *out);
void gl_unletter_q_encode(gl_buf *out, const gl_unletter_q *q);

#define GL_LETTER_CODE_MAX 4
/* The letter code the daemon gives the index-th lettering of an account
 * (1 -> A, 26 -> Z, 27 -> AA, …: bijective base 26), which the offline
 * verifier checks: written once here for both.  Returns its length, or 0
 * (out empty) when index is 0 or needs more than GL_LETTER_CODE_MAX letters. */
size_t gl_letter_code(uint32_t index, char out[GL_LETTER_CODE_MAX + 1]);

#endif
