/*
 * daemon/workers.h — the writer thread and the reader thread
 * (daemon/workers.c), and the writer's batch (daemon/writer.c).
 *
 * Each worker owns one end of an inproc PAIR socket; the transport sends it
 * job pointers (8-byte messages) and gets them back with their replies.  A
 * NULL pointer asks the worker to finish what it has and stop; it answers
 * with a NULL pointer when it has.
 *
 * The writer applies requests in batches: it takes every job waiting (up to
 * batch_max), applies each in its own nested transaction inside one
 * long-lived write transaction (a refused request rolls back alone),
 * appends what the batch wrote to the journal as one record flushed once
 * (daemon/journal.h: the acknowledgement point) and only then hands the
 * replies back.  The write transaction is committed (LMDB's two flushes)
 * commit_interval_ms after its first acknowledged batch (0: after every
 * batch), when the journal passes WRITER_JOURNAL_CAP_BYTES, when the
 * transport sends writer_commit_token (a read waits for acknowledged
 * writes: the writer commits, then sends the token back), and at stop.
 */
#ifndef GL_WORKERS_H
#define GL_WORKERS_H

#include "config.h"
#include "journal.h"
#include "store/store.h"
#include "totals.h"

#include <pthread.h>

typedef struct worker {
    void *zctx;
    const char *endpoint; /* inproc address the transport bound */
    store *st;
    unsigned batch_max;
    pthread_t thread;
    totals_cache totals; /* the writer's write-behind totals, one request at a time */
    /* the writer's journal and the write transaction LMDB has not committed */
    journal jr;
    store_txn *open;       /* NULL: none */
    int64_t open_since_ns; /* its first acknowledged batch (0: none yet) */
    unsigned commit_interval_ms;
} worker;

/* The journal's size past which the writer commits LMDB at once (bounds
 * the write transaction's dirty pages: the daemon stays < 64 MiB). */
#define WRITER_JOURNAL_CAP_BYTES (1u << 20)

/* A batch that wrote this much is committed to LMDB at once, not journaled
 * (with the batches journaled before it): its pages dominate the commit,
 * and a journal record would add a flush, not save one. */
#define WRITER_DIRECT_BYTES (512u << 10)

/* A batch takes no more requests once those it holds reach this many bytes
 * (the first is always taken): two imports' batches of 10,000 entries are
 * applied and journaled one after the other, not together, so that the
 * journal record and the write transaction hold one at a time. */
#define WRITER_BATCH_CAP_BYTES (1u << 20)

/* Sent to the writer instead of a job: commit what is acknowledged, then
 * send it back. */
extern void *const writer_commit_token;
/* The seq of the last journal record acknowledged, and of the last one in
 * LMDB's committed state (a read admitted after a write's reply sees it
 * once committed >= the acknowledged seq read at its admission). */
uint64_t writer_acked_seq(void);
uint64_t writer_committed_seq(void);
/* Open the writer's journal after recovery (journal_recover): w->st at
 * meta journal_seq.  0, or -1 with err. */
int writer_journal_open(worker *w, const char *data_dir, char *err, size_t err_len);
/* Commit the open write transaction, if any acknowledged batch is in it.
 * A failure exits the process (the journal holds what was acknowledged). */
void writer_commit(worker *w);

struct job;

int writer_start(worker *w);
int reader_start(worker *w);
void worker_join(worker *w);

/* Apply a batch of n write jobs (and keyring sync jobs) in one write
 * transaction, each in its own nested one, and commit once; every job gets
 * its reply (daemon/writer.c). */
void writer_apply_batch(worker *w, struct job **batch, size_t n);

/* Send / receive a job pointer over an inproc socket. */
int job_ptr_send(void *sock, void *ptr);
void *job_ptr_recv(void *sock, int flags, int *rc);

#endif
