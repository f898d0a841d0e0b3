/*
 * daemon/verify_pool.h — the threads that check request signatures
 * (Ed25519, about 70 µs each: the transport thread's largest cost per
 * request when it checked them alone).
 *
 * The transport hands each decoded request to one of the pool's threads
 * (job pointers over an inproc PAIR socket per thread, like the workers)
 * and gets it back with job->sig_status set.  The pool checks nothing else:
 * every other admission stage (ledger id, keyring, freshness, role,
 * tenants) still runs on the transport thread, in the order requests were
 * received, under the configuration in force (daemon/transport.c keeps the
 * requests in that order until their signatures are known).
 */
#ifndef GL_VERIFY_POOL_H
#define GL_VERIFY_POOL_H

#include <pthread.h>
#include <stddef.h>

#define VERIFY_POOL_MAX 64 /* threads at most, whatever the core count says */

struct job;

struct verify_thread_arg {
    void *zctx;
    unsigned index;
};

typedef struct verify_pool {
    unsigned threads;
    struct verify_thread_arg args[VERIFY_POOL_MAX]; /* what each thread starts from */
    void *socks[VERIFY_POOL_MAX];                   /* the transport's ends, one per thread */
    unsigned in_flight[VERIFY_POOL_MAX];
    pthread_t tids[VERIFY_POOL_MAX];
    unsigned started;
} verify_pool;

/* The thread count for a configured value: n itself, or when 0 the
 * online cores (at least 1), capped at VERIFY_POOL_MAX. */
unsigned verify_pool_size(unsigned configured);

/* Bind the sockets (inproc, in zctx) and start threads threads, with the
 * daemon's signals blocked in them.  0, or -1 (what was started is
 * stopped). */
int verify_pool_start(verify_pool *p, void *zctx, unsigned threads);

/* Send j to the least busy thread.  0, or -1 (j not sent). */
int verify_pool_submit(verify_pool *p, struct job *j);

/* A job whose signature was checked, from thread i's socket (NULL if none
 * waits). */
struct job *verify_pool_take(verify_pool *p, unsigned i);

/* Stop the threads (each finishes the job it holds) and close the sockets. */
void verify_pool_stop(verify_pool *p);

#endif
