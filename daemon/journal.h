/*
 * daemon/journal.h — the redo journal (schema 4): DIR/journal.glj, the
 * writer's acknowledging flush.
 *
 * After the writer applies a batch inside its long-lived LMDB write
 * transaction, the batch's key/value operations (store.h's operation log:
 * what the handlers decided, the signed envelopes among them) are appended
 * as ONE record and flushed ONCE (pwrite into a preallocated file, then
 * fdatasync: no metadata moves); only then do the replies leave.  LMDB
 * commits behind it, durably, every commit_interval_ms; each commit stores
 * in meta "journal_seq" the seq of the last record it holds, and the
 * journal is then rewound to offset 0.
 *
 * A record: magic "GLJ1" | seq u64 | payload_len u32 | payload |
 * checksum[16] (crypto_generichash over everything before it), big-endian.
 * Recovery reads records from offset 0 while each has the magic, the seq
 * expected next (journal_seq + 1, + 2, ...) and its checksum: the first
 * that does not (a torn write, a stale record of an earlier round, zeros)
 * ends the journal.  Replaying applies the recorded puts and deletes —
 * effects, not requests — so it depends on nothing but the records (not
 * the configuration, the keyring or the clock).
 */
#ifndef GL_JOURNAL_H
#define GL_JOURNAL_H

#include "proto/limits.h"
#include "proto/wire.h"
#include "store/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JOURNAL_FILE "journal.glj"
#define JOURNAL_HEAD_BYTES 16 /* magic[4] | seq u64 | payload_len u32 */
#define JOURNAL_SUM_BYTES 16
#define JOURNAL_PAYLOAD_MAX (1u << 30)

/* The record for payload into out (appended).  Its checksum is keyed with
 * the ledger's id (key): a journal left beside another ledger (a data.mdb
 * deleted or replaced, the journal kept) holds no record of this one. */
void journal_record_encode(gl_buf *out, const uint8_t key[GL_LEDGER_ID_BYTES], uint64_t seq,
                           const uint8_t *payload, size_t len);
/* The record at p (avail bytes) if it is whole, sound, of the ledger key
 * and numbered seq: true with its payload and its length in *rec_len. */
bool journal_record_parse(const uint8_t *p, size_t avail, const uint8_t key[GL_LEDGER_ID_BYTES],
                          uint64_t seq, const uint8_t **payload, size_t *payload_len,
                          size_t *rec_len);
/* Apply a payload's operations in t.  GL_OK, GL_ERR_INPUT (malformed),
 * or the store's status. */
int journal_payload_apply(store_txn *t, const uint8_t *p, size_t len);

typedef struct journal {
    int fd;
    uint64_t offset_bytes;    /* where the next record goes */
    uint64_t allocated_bytes; /* the file's size, zeros past the records */
    uint64_t next_seq;
    uint8_t key[GL_LEDGER_ID_BYTES]; /* the ledger's id: keys each record's checksum */
} journal;

/* Open (create, preallocate) DIR/journal.glj and lock it (flock, for the
 * journal's life: recovery refuses a journal in use); the next record is
 * numbered next_seq and written at offset 0.  0, or -1 with err. */
int journal_open(journal *j, const char *dir, const uint8_t key[GL_LEDGER_ID_BYTES],
                 uint64_t next_seq, char *err, size_t err_len);
/* Append one record and flush it, with an end mark after it (a zero head,
 * in the same flush: recovery stops there, never reading on into what an
 * earlier round left in the file): 0 (durable), -1 with errno (the record
 * unwritten: its head zeroed and flushed), or -2 when even that failed (a
 * sound record may remain: the caller must not refuse its batch and serve
 * on). */
int journal_append(journal *j, const uint8_t *payload, size_t len);
/* Every record is in LMDB's last commit: the next goes at offset 0. */
void journal_rewind(journal *j);
void journal_close(journal *j);

/* 0 if no process holds DIR's journal (or there is none), else -1 with
 * err: check it before opening the store (a daemon's open write
 * transaction would make the open wait). */
int journal_check_free(const char *dir, char *err, size_t err_len);
/* Replay DIR's journal into s: the records after meta journal_seq in one
 * durable transaction that also sets journal_seq; refused (GL_ERR_STORAGE)
 * while a daemon holds the journal.  GL_OK with the number
 * of records replayed in *records (no journal file: 0); a status and a
 * sentence in err otherwise. */
int journal_recover(store *s, const char *dir, uint64_t *records, char *err, size_t err_len);

#endif
