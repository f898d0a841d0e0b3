/*
 * daemon/workers.c — the writer thread and the reader thread (workers.h):
 * each takes job pointers from its inproc socket, runs them (the writer a
 * batch at a time, daemon/writer.c; the reader one query at a time,
 * daemon/job.c) and hands them back with their replies.  The writer also
 * commits LMDB behind its journal: when the interval is due (it wakes up
 * for it), when the transport's commit token asks, and at stop.
 */
#include "workers.h"
#include "log.h"

#include "job.h"
#include "stats.h"

#include "proto/assert.h"

#include <stdio.h>
#include <stdlib.h>
#include <zmq.h>

#define READER_CHECK_NS (60ull * 1000000000ull) /* how often stale readers are cleared */

int job_ptr_send(void *sock, void *ptr)
{
    return zmq_send(sock, &ptr, sizeof ptr, 0) == (int)sizeof ptr ? 0 : -1;
}

void *job_ptr_recv(void *sock, int flags, int *rc)
{
    void *ptr = NULL;
    int n = zmq_recv(sock, &ptr, sizeof ptr, flags);
    *rc = n == (int)sizeof ptr ? 0 : -1;
    return ptr;
}

/* The worker's end of its inproc pair with the transport thread.  The
 * transport bound the other end before starting the thread, so a failure
 * here is a programmer error. */
static void *worker_socket(const worker *w)
{
    void *sock = zmq_socket(w->zctx, ZMQ_PAIR);
    GL_ASSERT(sock);
    int connected = zmq_connect(sock, w->endpoint);
    GL_ASSERT(connected == 0);
    return sock;
}

/* How long the writer may wait for work: until the open transaction's
 * commit is due, or the stale-reader check's wake-up. */
static int writer_wait_ms(const worker *w)
{
    if (!w->open_since_ns)
        return 5000;
    int64_t due_ns = w->open_since_ns + (int64_t)w->commit_interval_ms * 1000000 - stats_now_ns();
    return due_ns <= 0 ? 0 : (int)((due_ns + 999999) / 1000000);
}

static bool commit_due(const worker *w)
{
    return w->open_since_ns &&
           stats_now_ns() - w->open_since_ns >= (int64_t)w->commit_interval_ms * 1000000;
}

/* Take one message: a job into the batch, the commit token, or the stop. */
static void writer_take(job *j, job **batch, size_t *n, bool *stop, bool *asked)
{
    if (!j)
        *stop = true;
    else if ((void *)j == writer_commit_token)
        *asked = true;
    else
        batch[(*n)++] = j;
}

static void *writer_main(void *arg)
{
    worker *w = arg;
    void *sock = worker_socket(w);
    pthread_setname_np(pthread_self(), "gl-writer"); /* per-thread CPU in scripts/bench-write */
    job **batch = calloc(w->batch_max, sizeof *batch);
    GL_ASSERT(batch);
    /* Wake up at least every few seconds to clear stale readers (a reader
     * process that crashed would otherwise pin old pages for ever). */
    int64_t last_check_ns = stats_now_ns();
    bool stop = false;
    while (!stop) {
        size_t n = 0;
        bool asked = false;
        int rc;
        if (stats_now_ns() - last_check_ns > (int64_t)READER_CHECK_NS) {
            int cleared = store_reader_check(w->st);
            if (cleared > 0)
                log_line(GL_LOG_WARN, "writer", "cleared %d stale LMDB reader slot(s)", cleared);
            last_check_ns = stats_now_ns();
        }
        zmq_pollitem_t item = {sock, 0, ZMQ_POLLIN, 0};
        if (zmq_poll(&item, 1, writer_wait_ms(w)) < 0 || !(item.revents & ZMQ_POLLIN)) {
            if (commit_due(w))
                writer_commit(w);
            continue; /* EINTR or the wake-up */
        }
        size_t batch_bytes = 0;
        while (!stop && n < w->batch_max && batch_bytes < WRITER_BATCH_CAP_BYTES) {
            job *j = job_ptr_recv(sock, ZMQ_DONTWAIT, &rc);
            if (rc != 0)
                break;
            writer_take(j, batch, &n, &stop, &asked);
            if (n && batch[n - 1] == j)
                batch_bytes += j->msg_len;
        }
        if (n)
            writer_apply_batch(w, batch, n);
        if (asked || stop || commit_due(w))
            writer_commit(w);
        for (size_t i = 0; i < n; i++)
            job_ptr_send(sock, batch[i]);
        if (asked)
            job_ptr_send(sock, writer_commit_token);
    }
    writer_commit(w);
    journal_close(&w->jr);
    job_ptr_send(sock, NULL);
    free(batch);
    totals_free(&w->totals);
    zmq_close(sock);
    return NULL;
}

static void *reader_main(void *arg)
{
    worker *w = arg;
    void *sock = worker_socket(w);
    pthread_setname_np(pthread_self(), "gl-reader");
    for (;;) {
        int rc;
        job *j = job_ptr_recv(sock, 0, &rc);
        if (rc != 0)
            continue;
        if (!j)
            break;
        job_run_query(j, w->st);
        job_ptr_send(sock, j);
    }
    job_ptr_send(sock, NULL);
    zmq_close(sock);
    return NULL;
}

int writer_start(worker *w) { return pthread_create(&w->thread, NULL, writer_main, w); }
int reader_start(worker *w) { return pthread_create(&w->thread, NULL, reader_main, w); }
void worker_join(worker *w) { pthread_join(w->thread, NULL); }
