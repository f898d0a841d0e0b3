/*
 * daemon/store/store.h — the only door to LMDB.  One environment in the
 * data directory, one named database per concept, big-endian composite keys
 * (daemon/store/keys.h) so that LMDB's order is the useful order.
 *
 *   meta       "schema_version" -> u32 (GL_SCHEMA_VERSION; see upgrade.h)
 *              "journal_seq" -> u64: the last journal record this commit
 *              holds (schema 4; absent: 0)
 *              "ledger_id" -> 16 random bytes, created with the data
 *              directory (schema 2), never changed; carried by backups
 *   tenants    tenant id -> number u32 | chain_seq u64 | head_hash[32]
 *   accounts   tenant u32 | account[20] -> state u8 (1 open) | label str8 |
 *              whatever a later version appends (kept by a relabelling)
 *   events     tenant u32 | seq u64 -> event record (proto/chain.h)
 *   entries    tenant u32 | fy u16 | num u32 -> event_seq u64 | envelope u64 |
 *              recorded_ms i64 | signer[32] | canonical entry bytes: from
 *              protocol version 2 on, the mark 0xF2 then the entry in layout
 *              2; before, the layout-1 bytes right after the head (they
 *              start with their tenant's length, 0-16, never the mark).
 *              Nothing stored is ever rewritten.
 *   by_account tenant u32 | account[20] | date u32 | fy u16 | num u32 | line u16
 *              -> amount i64 (debit > 0) | envelope u64
 *   balances   tenant u32 | fy u16 | account[20] -> debit i64 | credit i64
 *   daily      tenant u32 | fy u16 | account[20] | aux[20] | date u32
 *              -> debit i64 | credit i64
 *   requests   signer[32] | request_id u64 -> digest[32] | reply bytes (the
 *              whole reply as first sent)
 *   envelopes  envelope u64 -> the signed request bytes as received
 *   keyring    signer[32] | since_ms u64 -> format u8 (1) | until_ms i64 (0: open) |
 *              end u8 (0 open, 1 revoked, 2 removed, 3 changed) | role u8
 *              (1 member, 2 accountant, 3 auditor) | tenant str8 | name str8
 *              One record per interval during which a key was valid with a
 *              role and tenant (daemon time); only a key's last record may
 *              be open, and a revoked key never gets a new one.  An entry
 *              signed by a key is authentic when its recorded_ms falls in
 *              [since_ms, until_ms] of one of the key's records (inclusive:
 *              requests admitted before a reload may be committed in the
 *              same batch as its sync, at the same daemon time; until 0:
 *              no end; since 0: from before the history began, on a
 *              ledger written by a version without it).  Written only by
 *              keyring syncs (daemon/keyring.c), at start and on reload.
 *   periods    tenant u32 | fy u16 = 0 -> locked through YYYYMM u32 (0: none)
 *              tenant u32 | fy u16 > 0 -> closed u8 | result_num u32 |
 *              opening_fy u16 | opening_num u32 | result_cents i64 |
 *              closed_ms i64 (no record: the year is open)
 *   reversed   tenant u32 | fy u16 | num u32 -> the reversing entry fy u16 | num u32
 *   letters    tenant u32 | account[20] | code[4] -> date u32 | aux str8 |
 *              count u16 | (fy u16 | num u32 | line u16)*count: a lettering
 *              of lines; code 0000 -> the account's next code index u32
 *   lettered   tenant u32 | fy u16 | num u32 | line u16 -> code[4] | date u32
 *   partner_daily  tenant u32 | fy u16 | partner u32 | account[20] | date u32
 *              -> debit i64 | credit i64 (intercompany lines only)
 *   partner_lines  tenant u32 | partner u32 | fy u16 | date u32 | num u32 |
 *              line u16 -> account[20] | amount i64 (debit > 0)
 *   recharge_keys  version u16 -> used u8 | version u16 | count u16 | (tenant str8 | weight u32)*
 *              (after used: the KEYS_SET body as given, proto/group.h)
 *   acct_months tenant u32 | fy u16 | account[20] | month u32 (YYYYMM) -> debit | credit
 *   acct_days  tenant u32 | fy u16 | account[20] | date u32 -> debit | credit
 *   aux_labels tenant u32 | aux[20] -> label str8 (the first label given to an
 *              auxiliary account, carried into the à-nouveaux)
 *              (per-account totals: a balance as of any date reads at most
 *              12 month rows and 31 day rows per account, never the entries)
 *   year_totals tenant u32 | fy u16 -> debit i64 | credit i64 (schema 3): the
 *              sums of every debit and every credit written in the tenant's
 *              fiscal year fy (equal: every entry balances), the year close's
 *              two entries included (the result entry in fy, the à-nouveaux in
 *              fy + 1); fy 0 (as in periods): the open books, the same sums
 *              over the tenant's fiscal years not yet closed.  Capped
 *              (proto/limits.h GL_YEAR_TOTAL_MAX_CENTS, daemon/entries.c); the
 *              close moves its year out of fy 0 (rules/close.c)
 *   third_parties tenant u32 | code[20] -> the third party's record, its
 *              canonical bytes (proto/third_party.h; schema 5)
 *   carry_modes tenant u32 | account[20] -> mode u8 (schema 7): how the
 *              account is carried over at a close (store/carry_store.h)
 *   forgotten  tenant u32 | aux[20] -> date u32: a natural person forgotten
 *              (FORGET, rules/persons.c; schema 8): its key is destroyed in
 *              the key store, which lives apart (daemon/persons.h)
 *   bank_accounts bank_lines bank_index (schema 9, issue 18): the bank
 *              accounts and their statement lines, keyed as
 *              store/bank_store.h says; in bank_index since schema 10 the
 *              matches (tags 3-5, store/bank_match_store.h), the day
 *              index (tag 6) and the bank rules (tag 7,
 *              store/bank_rule_store.h)
 *   analytic an_totals (schema 11, issue 19): store/analytic_store.h and
 *              daemon/analytic_index.h; tag 6 of analytic, the time
 *              sheets (store/timesheet_store.h)
 *              daemon/analytic_index.h; in analytic the grants (tag 7,
 *              store/grant_store.h) and budgets (tag 8,
 *              store/budget_store.h)
 *   assets     tenant u32 | code (1..16 bytes) -> the register's row
 *              (schema 12, issue 20; proto/asset.h gl_asset_state_put:
 *              the record, through, disposed, proceeds; store/asset_store.h)
 *
 * Keys and values are built and read only by the codecs of this folder
 * (keys.h for every key shape above, values.h for every value, and
 * keyring_store.h for the keyring): no file outside daemon/store/ reads a
 * stored byte by its offset.
 *
 * Every function returns a gl_status: GL_OK, GL_ERR_NOT_FOUND (get/seek
 * found nothing), GL_ERR_MAP_FULL, GL_ERR_STORAGE.  An LMDB code other than
 * success, not found and map full is logged on stderr with LMDB's words
 * ("grandlivred: store: <operation>: <mdb_strerror>") before it becomes
 * GL_ERR_STORAGE (GL_ERR_MAP_FULL for ENOSPC).  Transactions are
 * durable on commit (no NOSYNC flags, ever).  Read transactions may be used
 * from any thread (MDB_NOTLS).
 */
#ifndef GL_STORE_H
#define GL_STORE_H

#include "proto/limits.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The version of what is stored.  Every change to what is stored raises
 * it and adds a step to the table in store/upgrade.c (`grandlivred
 * --upgrade`); PROTOCOL.md §9 says what each version stores.
 *   1  the first release's ledger
 *   2  meta "ledger_id" (GL_LEDGER_ID_BYTES, proto/limits.h); protocol 2:
 *      ENTRY2 events and entries marked 0xF2 (layout 2), idempotency
 *      digests of version 1 requests re-derived in version 2 (redigest.c)
 *   3  year_totals: the debits and credits per tenant and fiscal year and
 *      of each tenant's open books, computed for existing ledgers from the
 *      per-account balances (the step 2 -> 3)
 *   4  meta "journal_seq" and the redo journal DIR/journal.glj
 *      (daemon/journal.h): acknowledged writes not yet in LMDB's last
 *      commit; the step 3 -> 4 converts nothing (no journal: seq 0)
 *   5  third_parties: the registry of third parties (issue 17); the step
 *      4 -> 5 leaves it empty
 *   6  reminders: per tenant and third party, the last reminder recorded
 *      (REMINDER_RECORD); the step 5 -> 6 creates the table empty
 *   7  carry_modes (store/carry_store.h): each account's carry-over mode at
 *      a close (issue 17); the step 6 -> 7 creates it empty (every account
 *      summarised, as before)
 *   8  forgotten, and the key store of natural persons DATA_DIR/persons/
 *      (daemon/persons.h, apart from the ledger); the step creates both
 *      empty
 *   9  bank_accounts, bank_lines, bank_index (store/bank_store.h, issue
 *      18): the bank accounts and their statement lines; the step creates
 *      them empty
 *  10  bank_index gains tag 6, the day index (store/bank_store.h): per
 *      bank account, (booking day, amount, label hash) -> the lines
 *      stored and, per file format, those a bank reference covers, so
 *      that BANK_IMPORT finds a line's duplicates in one lookup (not a
 *      scan of its day) and recognises a line imported from a CSV or an
 *      OFX then a CAMT.053; tag 7, the bank rules
 *      (store/bank_rule_store.h); tags 3-5, helper A1's matches.  The
 *      step builds tag 6 from the stored lines (each one's format read
 *      from its signed BANK_IMPORT)
 *  11  analytic (issue 19; store/analytic_store.h): per tenant the
 *      analytic axes, codes, mandatory rules and allocations, the
 *      lines of each code (the analytic ledger) and the time sheets
 *      (tag 6, store/timesheet_store.h); an_totals
 *      (daemon/analytic_index.h): the debits and credits per axis, code,
 *      account and month, and per day, from which ANALYTIC_BALANCE reads.
 *      No entry carried a code before: the step creates both empty */
#define GL_SCHEMA_VERSION_THIRD_PARTIES 5 /* the integrator renumbers at merges */
#define GL_SCHEMA_VERSION_PERSONS 8
#define GL_SCHEMA_VERSION_BANK 9
#define GL_SCHEMA_VERSION_BANK_DAYS 10
#define GL_SCHEMA_VERSION_ANALYTIC 11
#define GL_SCHEMA_VERSION_ASSETS 12
#define GL_SCHEMA_VERSION GL_SCHEMA_VERSION_ASSETS

enum store_db {
    DB_META,
    DB_TENANTS,
    DB_ACCOUNTS,
    DB_EVENTS,
    DB_ENTRIES,
    DB_BY_ACCOUNT,
    DB_BALANCES,
    DB_DAILY,
    DB_REQUESTS,
    DB_ENVELOPES,
    DB_KEYRING,
    DB_PERIODS,
    DB_REVERSED,
    DB_LETTERS,
    DB_LETTERED,
    DB_PARTNER_DAILY,
    DB_PARTNER_LINES,
    DB_RECHARGE_KEYS,
    DB_ACCT_MONTHS,
    DB_ACCT_DAYS,
    DB_AUX_LABELS,
    DB_YEAR_TOTALS,
    DB_THIRD_PARTIES,
    DB_REMINDERS,
    DB_CARRY_MODES,
    DB_FORGOTTEN,
    DB_BANK_ACCOUNTS,
    DB_BANK_LINES,
    DB_BANK_INDEX,
    DB_ANALYTIC,
    DB_AN_TOTALS,
    DB_ASSETS,
    DB_COUNT_
};

typedef struct store store;
/* A transaction of one store: it carries the store it was begun on, so
 * that several stores may be open in one process (tests, --upgrade). */
typedef struct store_txn store_txn;
typedef struct MDB_cursor store_cursor;

typedef struct store_val {
    const uint8_t *ptr;
    size_t len;
} store_val;

/* Open the environment in dir, creating it (and dir) if needed: a new
 * environment starts at GL_SCHEMA_VERSION with a new random ledger id.  On
 * failure returns a status and writes a sentence into err: GL_ERR_VERSION
 * when the ledger's schema is older than GL_SCHEMA_VERSION (bring it up to
 * date with store_upgrade, upgrade.h), GL_ERR_STORAGE when it is newer or
 * the environment cannot be opened.  A refused open changes nothing. */
int store_open(store **out, const char *dir, uint64_t map_size_bytes, char *err, size_t err_len);
void store_close(store *s);
/* A consistent compacted copy of the whole environment into a new file
 * `name` (one path component, checked by the caller) of the directory dir,
 * taken from one read snapshot while writers go on: restore it by placing
 * it as data.mdb in an empty data directory.  Neither dir nor name is
 * followed if it is a symlink; the file is created 0600 and never replaces
 * anything; a copy that fails removes it.  GL_OK, GL_ERR_BACKUP_EXISTS (the
 * name is taken, by a file, a directory or a symlink), GL_ERR_STORAGE;
 * a message in err on failure. */
int store_backup(store *s, const char *dir, const char *name, char *err, size_t err_len);
/* The ledger's id (meta "ledger_id"): 16 random bytes made with the data
 * directory, or by the upgrade to schema 2, and kept in every backup.
 * GL_OK, or GL_ERR_STORAGE if the ledger has none (never after store_open
 * succeeded). */
int store_ledger_id(store *s, uint8_t out[GL_LEDGER_ID_BYTES]);
/* Run mdb_reader_check; returns the number of stale readers cleared. */
int store_reader_check(store *s);

int store_begin(store *s, store_txn *parent, bool read_only, store_txn **out);
int store_commit(store_txn *t);
void store_abort(store_txn *t);

int store_get(store_txn *t, enum store_db db, const void *key, size_t key_len, store_val *val);
int store_put(store_txn *t, enum store_db db, const void *key, size_t key_len, const void *val,
              size_t val_len);
/* Delete a key (GL_ERR_NOT_FOUND if absent). */
int store_del(store_txn *t, enum store_db db, const void *key, size_t key_len);

int store_cursor_open(store_txn *t, enum store_db db, store_cursor **out);
void store_cursor_close(store_cursor *c);
/* Position at the first key >= key. */
int store_seek(store_cursor *c, const void *key, size_t key_len, store_val *k, store_val *v);
int store_next(store_cursor *c, store_val *k, store_val *v);
/* Position at the last key < key (NOT_FOUND if none). */
int store_seek_before(store_cursor *c, const void *key, size_t key_len, store_val *k, store_val *v);
/* Last key of the database. */
int store_last(store_cursor *c, store_val *k, store_val *v);

bool store_has_prefix(store_val k, const void *prefix, size_t prefix_len);

/* Writes through a cursor of t on db, logged as store_put and store_del
 * are.  Keys written in order through one cursor are found without a
 * descent from the root while they fall in the leaf the cursor is on
 * (LMDB's mdb_cursor_set): the way to write many keys of one table.
 * store_cursor_find positions at key exactly (GL_ERR_NOT_FOUND if absent)
 * and gives its value; store_cursor_put writes key (current: key is the
 * one the cursor is on, found just before: replaced in place);
 * store_cursor_del deletes the key the cursor is on (key: its bytes, for
 * the log). */
int store_cursor_find(store_cursor *c, const void *key, size_t key_len, store_val *v);
int store_cursor_put(store_txn *t, store_cursor *c, enum store_db db, const void *key,
                     size_t key_len, const void *val, size_t val_len, bool current);
int store_cursor_del(store_txn *t, store_cursor *c, enum store_db db, const void *key,
                     size_t key_len);

/* The longest start key a scan takes (every key shape of keys.h fits). */
#define STORE_KEY_MAX 64

/* A walk over the keys of one database that begin with a prefix, in key
 * order:
 *
 *     store_scan s;
 *     int st = store_scan_begin(&s, t, DB_BALANCES, start, start_len, prefix_len);
 *     while (st == GL_OK && store_scan_next(&s)) {
 *         ... s.k, s.v (borrowed until the transaction writes or ends) ...
 *         (a failure: st = status; break, or `continue` with st set)
 *     }
 *     st = store_scan_close(&s, st);
 *
 * It starts at the first key >= start (start_len bytes; 0: the first key)
 * and stops before the first key whose first prefix_len bytes are not
 * start's.  store_scan_close closes the cursor and returns st if it is not
 * GL_OK, else the scan's own status: GL_OK at the end of the keys or of
 * the prefix, the store's status on a failure.  store_scan_seek starts a
 * new range on the same cursor (store_scan_begin = open + seek). */
typedef struct store_scan {
    store_cursor *c;
    store_val k, v;
    int st;
    bool started;
    uint8_t start[STORE_KEY_MAX];
    size_t start_len, prefix_len;
} store_scan;

int store_scan_open(store_scan *s, store_txn *t, enum store_db db);
void store_scan_seek(store_scan *s, const void *start, size_t start_len, size_t prefix_len);
int store_scan_begin(store_scan *s, store_txn *t, enum store_db db, const void *start,
                     size_t start_len, size_t prefix_len);
bool store_scan_next(store_scan *s);
int store_scan_close(store_scan *s, int st);

/* For store/upgrade.c only.  store_open_existing opens the environment in
 * dir as it is, whatever its schema: GL_ERR_NOT_FOUND (nothing created)
 * when dir holds no ledger; GL_ERR_STORAGE when it cannot be opened or its
 * schema is newer than GL_SCHEMA_VERSION; else GL_OK with the stored
 * version in *version.  The meta accessors read and write in t; a new
 * ledger id is put only where there is none (GL_OK either way). */
int store_open_existing(store **out, const char *dir, uint64_t map_size_bytes, uint32_t *version,
                        char *err, size_t err_len);
int store_schema_put(store_txn *t, uint32_t version);
int store_ledger_id_create(store_txn *t);

/* The operation log (the journal's payload, daemon/journal.h).  A root
 * write transaction with logging enabled records every successful
 * store_put and store_del, its children's included: a child's operations
 * join its parent's log when it commits and are dropped when it aborts.
 * Each operation: op u8 (STORE_OP_PUT, STORE_OP_DEL) | db u8 (enum
 * store_db) | key_len u16 | val_len u32 (0 for a delete) | key | value,
 * big-endian.  store_log_data gives the log so far (ok false: it ran out of
 * memory: the log is incomplete, the transaction must not be
 * acknowledged); store_log_reset empties it (once journalled). */
enum { STORE_OP_PUT = 1, STORE_OP_DEL = 2 };
void store_log_enable(store_txn *t);
const uint8_t *store_log_data(const store_txn *t, size_t *len, bool *ok);
void store_log_reset(store_txn *t);
/* A log that would pass max_bytes (0: no limit), its children's included,
 * is dropped as it does, its memory freed, and records nothing more:
 * store_log_over is then true (in the child and, once it commits, in its
 * parent), and the transaction must be committed to LMDB, never journaled.
 * The writer limits its log to WRITER_DIRECT_BYTES, past which it commits
 * directly anyway: an FEC batch's 12 MB log was held to the commit for
 * nothing (docs/benchmarks.md, "Issue 17, memory").  A child inherits its
 * parent's limit; store_log_reset clears the mark. */
void store_log_limit(store_txn *t, size_t max_bytes);
bool store_log_over(const store_txn *t);
/* meta "journal_seq" (schema 4): the seq of the last journal record that
 * the committed ledger holds (0: none).  Written outside the log. */
int store_journal_seq_get(store_txn *t, uint64_t *seq);
int store_journal_seq_put(store_txn *t, uint64_t seq);

/* The LMDB library's version text ("LMDB 0.9.x: (date)"), for --version. */
const char *store_lmdb_version(void);

#endif
