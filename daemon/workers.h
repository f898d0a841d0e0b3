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
 * batch_max), applies each in its own nested transaction inside one write
 * transaction (a refused request rolls back alone), commits once (fsync: the
 * acknowledgement point) and only then hands the replies back.
 */
#ifndef GL_WORKERS_H
#define GL_WORKERS_H

#include "config.h"
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
} worker;

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
