/*
 * proto/reply.h — the reply bodies of the tenant kinds (1-15, 18): one
 * typed struct, one encoder (the daemon) and one decoder (the clients) per
 * body, so that each layout is written once.  The group's replies and
 * STATS, BACKUP, KEYRING, TENANTS are in proto/reply_group.h.
 *
 *   PING           §5.1   version | now_ms | ledger_id | role | tenant | key_name
 *   ACCOUNTS_OPEN  §5.2   opened u32 | skipped u32
 *   ACCOUNTS_LIST  §5.3   count u32 | (account | label | state u8)*
 *   POST           §5.4   count u32 | (fy u16 | num u32)*
 *   BALANCE        §5.5   fy | from | at | count u32 | (account | aux | label | debit | credit
 *                         [| aux_label with request flag 0x04])*
 *   JOURNAL        §5.6   watermark | more | next_fy | next_num | count u32 |
 *                         (fy | num | recorded_ms | signer | entry_len | entry [| letters])*
 *   LEDGER         §5.7   watermark | more | next_date | next_fy | next_num | next_line |
 *                         opening | count u32 | (date | fy | num | line | journal |
 *                         piece_ref | label | aux | amount | letter)*
 *   ENTRY_GET      §5.8   fy | num | recorded_ms | signer | reversed_by | entry_len |
 *                         entry | line_count u16 | code*
 *   LOCK           §5.9   previous u32 | through u32
 *   CLOSE_YEAR     §5.10  result_fy | result_num | opening_fy | opening_num | result_cents
 *   LETTER         §5.11  code str8 | date u32
 *   UNLETTER       §5.12  count u16
 *   PERIODS        §5.13  name | siren | first_month | code | locked_through |
 *                         count u16 | row(33)* [| overdue_from | overdue_through]
 *   CHAIN          §5.14  chain_seq | head_hash | count u16 | (seq | record_len | record)*
 *   ENVELOPE       §5.15  the signed request bytes, whole
 *   ACCOUNT_LABEL  §5.17a changed u32 | unchanged u32
 *
 * Decoding (`gl_reply_X_decode(body, &out)`) is total: any bytes give
 * GL_OK or a proto status (MALFORMED for a short body, STRING_* for bad
 * text), never a read past the body.  Text fields are views into the body,
 * read under the stored-text rule (gl_cur_init_stored: labels written
 * before the bidi rule stay readable), at most 255 bytes; PING keeps the
 * strict rule of a key's own text.  Reply bodies grow only by fields
 * appended at their end (PROTOCOL.md §3): a decoder reads the fields it
 * knows, in order, and ignores whatever follows them.
 *
 * Lists: the decoder validates every row up front, then keeps a view of the
 * rows (`rows`) and their `count`; gl_reply_X_next() returns 1 (a row in
 * *row), 0 (the end), or minus a status (only for a struct that did not
 * come from a successful decode).  Entries inside JOURNAL and ENTRY_GET
 * rows are decoded by proto/entry.h (layout 2); CHAIN records are given
 * as stored, for proto/chain.h.
 *
 * Encoding: gl_reply_X_encode() writes a whole body from the struct (rows
 * taken from the `rows` view, already encoded).  A daemon that learns the
 * count only at the end writes gl_reply_X_begin() (the fields before the
 * rows, count 0), the rows with gl_reply_X_put_row(), then
 * gl_reply_X_end() (the count patched in, and any field after the rows).
 */
#ifndef GL_REPLY_H
#define GL_REPLY_H

#include "entry.h"
#include "query.h"
#include "wire.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A reply body as the decoders take it. */
static inline gl_str gl_reply_view(const void *body, size_t len)
{
    return (gl_str){(const char *)body, len};
}

/* The common iterator over a decoded list's rows. */
typedef struct gl_reply_iter {
    gl_cur cur;
    uint32_t left;
    bool letters; /* JOURNAL rows carry their lines' letters */
} gl_reply_iter;

/* --- PING (§5.1) --- */
#define GL_PING_TEXT_MAX 255
typedef struct gl_reply_ping {
    gl_str version;
    int64_t now_ms;
    const uint8_t *ledger_id; /* GL_LEDGER_ID_BYTES */
    uint8_t role;             /* 1 member, 2 accountant, 3 auditor (as KEYRING) */
    gl_str tenant;            /* the member's tenant, "" for the other roles */
    gl_str key_name;          /* the key's [key NAME] */
} gl_reply_ping;
int gl_reply_ping_decode(gl_str body, gl_reply_ping *out);
void gl_reply_ping_encode(gl_buf *b, const gl_reply_ping *r);

/* --- ACCOUNTS_OPEN (§5.2) --- */
typedef struct gl_reply_accounts_open {
    uint32_t opened, skipped;
} gl_reply_accounts_open;
int gl_reply_accounts_open_decode(gl_str body, gl_reply_accounts_open *out);
void gl_reply_accounts_open_encode(gl_buf *b, const gl_reply_accounts_open *r);

/* --- ACCOUNT_LABEL (§5.17a) --- */
typedef struct gl_reply_account_label {
    uint32_t changed, unchanged;
} gl_reply_account_label;
int gl_reply_account_label_decode(gl_str body, gl_reply_account_label *out);
void gl_reply_account_label_encode(gl_buf *b, const gl_reply_account_label *r);

/* --- ACCOUNTS_LIST (§5.3), rows in account order --- */
typedef struct gl_reply_accounts_list {
    uint32_t count;
    gl_str rows;
} gl_reply_accounts_list;
typedef struct gl_reply_accounts_list_row {
    gl_str account, label;
    uint8_t state; /* 1 open */
} gl_reply_accounts_list_row;
typedef gl_reply_iter gl_reply_accounts_list_iter;
int gl_reply_accounts_list_decode(gl_str body, gl_reply_accounts_list *out);
void gl_reply_accounts_list_iter_init(gl_reply_accounts_list_iter *it,
                                      const gl_reply_accounts_list *r);
int gl_reply_accounts_list_next(gl_reply_accounts_list_iter *it, gl_reply_accounts_list_row *row);
void gl_reply_accounts_list_encode(gl_buf *b, const gl_reply_accounts_list *r);
size_t gl_reply_accounts_list_begin(gl_buf *b);
void gl_reply_accounts_list_put_row(gl_buf *b, const gl_reply_accounts_list_row *row);
void gl_reply_accounts_list_end(gl_buf *b, size_t count_at, uint32_t count);

/* --- POST (§5.4): the number of each entry, in request order --- */
typedef struct gl_reply_post {
    uint32_t count;
    gl_str rows;
} gl_reply_post;
typedef struct gl_reply_post_row {
    uint16_t fy;
    uint32_t num;
} gl_reply_post_row;
typedef gl_reply_iter gl_reply_post_iter;
int gl_reply_post_decode(gl_str body, gl_reply_post *out);
void gl_reply_post_iter_init(gl_reply_post_iter *it, const gl_reply_post *r);
int gl_reply_post_next(gl_reply_post_iter *it, gl_reply_post_row *row);
void gl_reply_post_encode(gl_buf *b, const gl_reply_post *r);
/* The count first (known), then count rows. */
void gl_reply_post_begin(gl_buf *b, uint32_t count);
void gl_reply_post_put_row(gl_buf *b, const gl_reply_post_row *row);

/* --- BALANCE (§5.5) --- */
typedef struct gl_reply_balance {
    uint16_t fy;
    uint32_t from, at;
    uint32_t count;
    gl_str rows;
    bool aux_labels; /* rows end with aux_label: the request's flag 0x04 */
} gl_reply_balance;
typedef struct gl_reply_balance_row {
    gl_str account, aux, label;
    int64_t debit, credit;
    gl_str aux_label; /* "" unless the rows carry it */
} gl_reply_balance_row;
typedef gl_reply_iter gl_reply_balance_iter;
/* The rows' layout depends on the request: gl_reply_balance_decode reads the
 * reply to a request without GL_BALANCE_AUX_LABELS, _decode_flags the reply to
 * a request with the given flags. */
int gl_reply_balance_decode(gl_str body, gl_reply_balance *out);
int gl_reply_balance_decode_flags(gl_str body, uint8_t request_flags, gl_reply_balance *out);
void gl_reply_balance_iter_init(gl_reply_balance_iter *it, const gl_reply_balance *r);
int gl_reply_balance_next(gl_reply_balance_iter *it, gl_reply_balance_row *row);
void gl_reply_balance_encode(gl_buf *b, const gl_reply_balance *r);
size_t gl_reply_balance_begin(gl_buf *b, const gl_reply_balance *head);
void gl_reply_balance_put_row(gl_buf *b, const gl_reply_balance_row *row);
/* A row of a reply to a request with GL_BALANCE_AUX_LABELS. */
void gl_reply_balance_put_row_named(gl_buf *b, const gl_reply_balance_row *row);
void gl_reply_balance_end(gl_buf *b, size_t count_at, uint32_t count);

/* --- letters: JOURNAL rows with LETTERS (code | date), ENTRY_GET (code) --- */
typedef struct gl_reply_letter {
    gl_str code;   /* "" if not lettered */
    uint32_t date; /* 0 if not lettered; always 0 in ENTRY_GET */
} gl_reply_letter;
typedef struct gl_reply_letter_iter {
    gl_cur cur;
    uint16_t left;
    bool dated;
} gl_reply_letter_iter;
int gl_reply_letter_next(gl_reply_letter_iter *it, gl_reply_letter *out);
void gl_reply_letter_put(gl_buf *b, const gl_reply_letter *l, bool dated);

/* --- JOURNAL (§5.6) --- */
typedef struct gl_reply_journal {
    uint64_t watermark;
    uint8_t more;
    uint16_t next_fy;
    uint32_t next_num;
    uint32_t count;
    gl_str rows;
    bool letters; /* the request's GL_JOURNAL_LETTERS flag: rows carry letters */
} gl_reply_journal;
typedef struct gl_reply_journal_row {
    uint16_t fy;
    uint32_t num;
    int64_t recorded_ms;
    const uint8_t *signer; /* 32 bytes */
    gl_entry entry;        /* layout 2 */
    gl_str letters;        /* with letters: entry.line_count (code | date) */
} gl_reply_journal_row;
typedef gl_reply_iter gl_reply_journal_iter;
/* The body alone does not say whether rows carry letters: the caller
 * passes its request's flag. */
int gl_reply_journal_decode(gl_str body, bool letters, gl_reply_journal *out);
void gl_reply_journal_iter_init(gl_reply_journal_iter *it, const gl_reply_journal *r);
int gl_reply_journal_next(gl_reply_journal_iter *it, gl_reply_journal_row *row);
void gl_reply_journal_letters(const gl_reply_journal_row *row, gl_reply_letter_iter *it);
/* One page of the JOURNAL asked with q: decoded (letters as q's flags
 * say), its rows' iterator in *it, and its cursor carried into q for the
 * next page (PROTOCOL.md §6: watermark, after_fy, after_num).  GL_OK or the
 * decoder's status (q unchanged). */
int gl_reply_journal_page(gl_str body, gl_journal_q *q, gl_reply_journal *out,
                          gl_reply_journal_iter *it);
void gl_reply_journal_encode(gl_buf *b, const gl_reply_journal *r);
/* fy | num | recorded_ms | signer | entry_len | entry in layout 2 (a
 * layout 1 entry with empty areas; a layout 2 one needs only raw and
 * layout set).  The letters, when asked, follow: gl_reply_letter_put.
 * GL_OK or NOMEM. */
int gl_reply_journal_put_row(gl_buf *b, const gl_reply_journal_row *row);

/* --- LEDGER (§5.7) --- */
typedef struct gl_reply_ledger {
    uint64_t watermark;
    uint8_t more;
    uint32_t next_date;
    uint16_t next_fy;
    uint32_t next_num;
    uint16_t next_line;
    int64_t opening;
    uint32_t count;
    gl_str rows;
} gl_reply_ledger;
typedef struct gl_reply_ledger_row {
    uint32_t date;
    uint16_t fy;
    uint32_t num;
    uint16_t line;
    gl_str journal, piece_ref, label, aux;
    int64_t amount; /* debit > 0, credit < 0 */
    gl_str letter;
} gl_reply_ledger_row;
typedef gl_reply_iter gl_reply_ledger_iter;
int gl_reply_ledger_decode(gl_str body, gl_reply_ledger *out);
void gl_reply_ledger_iter_init(gl_reply_ledger_iter *it, const gl_reply_ledger *r);
int gl_reply_ledger_next(gl_reply_ledger_iter *it, gl_reply_ledger_row *row);
void gl_reply_ledger_encode(gl_buf *b, const gl_reply_ledger *r);
void gl_reply_ledger_put_row(gl_buf *b, const gl_reply_ledger_row *row);

/* --- ENTRY_GET (§5.8) --- */
typedef struct gl_reply_entry_get {
    uint16_t fy;
    uint32_t num;
    int64_t recorded_ms;
    const uint8_t *signer; /* 32 bytes */
    uint16_t reversed_by_fy;
    uint32_t reversed_by_num;
    gl_entry entry; /* layout 2 */
    uint16_t code_count;
    gl_str codes; /* code_count letter codes str8 */
} gl_reply_entry_get;
int gl_reply_entry_get_decode(gl_str body, gl_reply_entry_get *out);
void gl_reply_entry_get_codes(const gl_reply_entry_get *r, gl_reply_letter_iter *it);
void gl_reply_entry_get_encode(gl_buf *b, const gl_reply_entry_get *r);
/* Everything up to line_count (= entry.line_count) included; the codes
 * follow, one gl_reply_letter_put(…, false) per line.  GL_OK or NOMEM. */
int gl_reply_entry_get_begin(gl_buf *b, const gl_reply_entry_get *head);

/* --- LOCK (§5.9) --- */
typedef struct gl_reply_lock {
    uint32_t previous, through; /* YYYYMM; previous 0 if nothing was locked */
} gl_reply_lock;
int gl_reply_lock_decode(gl_str body, gl_reply_lock *out);
void gl_reply_lock_encode(gl_buf *b, const gl_reply_lock *r);

/* --- CLOSE_YEAR (§5.10) --- */
typedef struct gl_reply_close_year {
    uint16_t result_fy;
    uint32_t result_num;
    uint16_t opening_fy;
    uint32_t opening_num;
    int64_t result_cents;
} gl_reply_close_year;
int gl_reply_close_year_decode(gl_str body, gl_reply_close_year *out);
void gl_reply_close_year_encode(gl_buf *b, const gl_reply_close_year *r);

/* --- LETTER (§5.11) --- */
typedef struct gl_reply_letter_done {
    gl_str code;
    uint32_t date;
} gl_reply_letter_done;
int gl_reply_letter_done_decode(gl_str body, gl_reply_letter_done *out);
void gl_reply_letter_done_encode(gl_buf *b, const gl_reply_letter_done *r);

/* --- UNLETTER (§5.12) --- */
typedef struct gl_reply_unletter {
    uint16_t count; /* lines unlettered */
} gl_reply_unletter;
int gl_reply_unletter_decode(gl_str body, gl_reply_unletter *out);
void gl_reply_unletter_encode(gl_buf *b, const gl_reply_unletter *r);

/* --- PERIODS (§5.13) --- */
typedef struct gl_reply_periods {
    gl_str name, siren;
    uint8_t first_month;
    gl_str code;
    uint32_t locked_through;
    uint16_t count;
    gl_str rows;
    /* Appended after the rows: absent from a daemon written before them
     * (has_overdue false, both 0). */
    bool has_overdue;
    uint32_t overdue_from, overdue_through;
} gl_reply_periods;
typedef struct gl_reply_periods_row {
    uint16_t fy;
    uint32_t start, end;
    uint32_t last_num;
    uint8_t closed;
    uint32_t result_num;
    uint16_t opening_fy;
    uint32_t opening_num;
    int64_t result_cents;
} gl_reply_periods_row;
#define GL_REPLY_PERIODS_ROW_BYTES 33
typedef gl_reply_iter gl_reply_periods_iter;
int gl_reply_periods_decode(gl_str body, gl_reply_periods *out);
void gl_reply_periods_iter_init(gl_reply_periods_iter *it, const gl_reply_periods *r);
int gl_reply_periods_next(gl_reply_periods_iter *it, gl_reply_periods_row *row);
void gl_reply_periods_encode(gl_buf *b, const gl_reply_periods *r);
size_t gl_reply_periods_begin(gl_buf *b, const gl_reply_periods *head);
void gl_reply_periods_put_row(gl_buf *b, const gl_reply_periods_row *row);
/* Patches the count and appends the overdue months (when has_overdue). */
void gl_reply_periods_end(gl_buf *b, size_t count_at, const gl_reply_periods *r);

/* --- CHAIN (§5.14) --- */
typedef struct gl_reply_chain {
    uint64_t chain_seq;
    const uint8_t *head_hash; /* 32 bytes */
    uint16_t count;
    gl_str rows;
} gl_reply_chain;
typedef struct gl_reply_chain_row {
    uint64_t seq;
    const uint8_t *record; /* the stored event record (§7.1): gl_event_decode */
    uint32_t record_len;
} gl_reply_chain_row;
typedef gl_reply_iter gl_reply_chain_iter;
int gl_reply_chain_decode(gl_str body, gl_reply_chain *out);
void gl_reply_chain_iter_init(gl_reply_chain_iter *it, const gl_reply_chain *r);
int gl_reply_chain_next(gl_reply_chain_iter *it, gl_reply_chain_row *row);
void gl_reply_chain_encode(gl_buf *b, const gl_reply_chain *r);
size_t gl_reply_chain_begin(gl_buf *b, const gl_reply_chain *head);
void gl_reply_chain_put_row(gl_buf *b, const gl_reply_chain_row *row);
void gl_reply_chain_end(gl_buf *b, size_t count_at, uint16_t count);

/* --- ENVELOPE (§5.15): the body is the signed request, whole (no field
 * follows it: the request decoder judges its bytes). --- */
typedef struct gl_reply_envelope {
    gl_str request;
} gl_reply_envelope;
int gl_reply_envelope_decode(gl_str body, gl_reply_envelope *out);
void gl_reply_envelope_encode(gl_buf *b, const gl_reply_envelope *r);

#endif
