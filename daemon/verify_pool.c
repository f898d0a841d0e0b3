/*
 * daemon/verify_pool.c — see verify_pool.h.  Each thread owns one end of
 * an inproc PAIR socket; a NULL pointer asks it to stop (it answers with
 * NULL, as the workers do).
 */
#include "verify_pool.h"

#include "job.h"
#include "workers.h"

#include "proto/assert.h"
#include "proto/request.h"

#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <zmq.h>

#define VERIFY_ENDPOINT "inproc://gl-verify-%u"

static void endpoint_of(unsigned i, char *out, size_t out_len)
{
    snprintf(out, out_len, VERIFY_ENDPOINT, i);
}

static void *verify_main(void *arg)
{
    const struct verify_thread_arg *a = arg;
    char endpoint[64];
    endpoint_of(a->index, endpoint, sizeof endpoint);
    /* The transport bound the other end before starting the thread, so a
     * failure here is a programmer error (as for the workers). */
    void *sock = zmq_socket(a->zctx, ZMQ_PAIR);
    GL_ASSERT(sock);
    int connected = zmq_connect(sock, endpoint);
    GL_ASSERT(connected == 0);
    char name[16];
    snprintf(name, sizeof name, "gl-verify-%u", a->index);
    pthread_setname_np(pthread_self(), name);
    for (;;) {
        int rc;
        job *j = job_ptr_recv(sock, 0, &rc);
        if (rc != 0)
            continue; /* EINTR */
        if (!j)
            break;
        j->sig_status = gl_request_verify(&j->req);
        j->sig_checked = true;
        job_ptr_send(sock, j);
    }
    job_ptr_send(sock, NULL);
    zmq_close(sock);
    return NULL;
}

unsigned verify_pool_size(unsigned configured)
{
    long cores = configured ? (long)configured : sysconf(_SC_NPROCESSORS_ONLN);
    if (cores < 1)
        cores = 1;
    return cores > VERIFY_POOL_MAX ? VERIFY_POOL_MAX : (unsigned)cores;
}

int verify_pool_start(verify_pool *p, void *zctx, unsigned threads)
{
    *p = (verify_pool){.threads = threads};
    sigset_t block, old;
    sigfillset(&block);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    int rc = 0;
    for (unsigned i = 0; i < threads && rc == 0; i++) {
        char endpoint[64];
        endpoint_of(i, endpoint, sizeof endpoint);
        p->socks[i] = zmq_socket(zctx, ZMQ_PAIR);
        p->args[i] = (struct verify_thread_arg){.zctx = zctx, .index = i};
        rc = p->socks[i] && zmq_bind(p->socks[i], endpoint) == 0 &&
                     pthread_create(&p->tids[i], NULL, verify_main, &p->args[i]) == 0
                 ? 0
                 : -1;
        if (rc == 0)
            p->started++;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0)
        verify_pool_stop(p);
    return rc;
}

int verify_pool_submit(verify_pool *p, job *j)
{
    unsigned best = 0;
    for (unsigned i = 1; i < p->started; i++)
        if (p->in_flight[i] < p->in_flight[best])
            best = i;
    if (p->started == 0 || job_ptr_send(p->socks[best], j) != 0)
        return -1;
    p->in_flight[best]++;
    return 0;
}

job *verify_pool_take(verify_pool *p, unsigned i)
{
    int rc;
    job *j = job_ptr_recv(p->socks[i], ZMQ_DONTWAIT, &rc);
    if (rc != 0 || !j)
        return NULL;
    p->in_flight[i]--;
    return j;
}

void verify_pool_stop(verify_pool *p)
{
    for (unsigned i = 0; i < p->started; i++) {
        job_ptr_send(p->socks[i], NULL);
        for (;;) { /* jobs still in its queue come back first: the caller has none left */
            int rc;
            job *j = job_ptr_recv(p->socks[i], 0, &rc);
            if (rc == 0 && !j)
                break;
        }
        pthread_join(p->tids[i], NULL);
    }
    for (unsigned i = 0; i < p->threads; i++)
        if (p->socks[i])
            zmq_close(p->socks[i]);
    *p = (verify_pool){0};
}
