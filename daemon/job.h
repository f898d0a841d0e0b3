/*
 * daemon/job.h — one request in flight inside the daemon: the bytes as
 * received, their decoded envelope and body, who sent it, and the reply
 * being built.
 * Created by the transport (main thread) after authentication and
 * authorisation, handed by pointer over inproc sockets to the writer or the
 * reader thread, handed back with its reply, and freed by the transport.
 */
#ifndef GL_JOB_H
#define GL_JOB_H

#include "config.h"
#include "ledger.h"

#include "proto/kinds.h"
#include "proto/request.h"
#include "proto/wire.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct job {
    uint8_t peer[256]; /* ZeroMQ routing id */
    size_t peer_len;
    uint8_t *msg; /* owned copy of the request bytes */
    size_t msg_len;
    gl_request req;       /* points into msg */
    gl_body body;         /* req's body, decoded once at admission (points into msg) */
    const gl_config *cfg; /* the configuration it was admitted under */
    const gl_key_cfg *key;
    /* The transport's authenticated peer key (CURVE User-Id), when the
     * connection has one: the request must be signed by the same user. */
    uint8_t peer_curve_key[32];
    bool has_peer_curve_key;
    /* The daemon's ledger id (GL_LEDGER_ID_BYTES), set before admission:
     * the request must be signed for it (PING: or for none). */
    const uint8_t *ledger_id;
    gl_buf reply;  /* encoded reply, filled by the handler's thread */
    bool wrote;    /* writer: its changes await the batch commit */
    bool replayed; /* writer: answered with a stored reply (possibly of this very batch) */
    /* Set by a signature thread (daemon/verify_pool.h); admission then
     * takes sig_status instead of checking the signature itself. */
    int sig_status;
    bool sig_checked;
    /* The transport's queue of received requests, kept in arrival order
     * until their signatures are known (daemon/transport.c). */
    struct job *next_received;
    int received_status;                /* a refusal already due at reception, or GL_OK */
    bool ready;                         /* signature known (or not needed): may be admitted */
    int64_t exec_start_ns, exec_end_ns; /* the handler's service time */
} job;

/* Build the reply envelope into j->reply from a status and a body. */
void job_reply(job *j, int status, uint8_t flags, uint32_t err_item, uint32_t err_line,
               const char *detail, const gl_buf *body);
void job_free(job *j);

/* Authenticate and authorise a decoded request.  GL_OK, or the status
 * (BAD_SIGNATURE, WRONG_LEDGER, UNKNOWN_KEY, FORBIDDEN_ROLE, FORBIDDEN_TENANT,
 * UNKNOWN_TENANT, or a body decode error) with a detail in detail[]. */
int job_admit(job *j, const gl_config *cfg, char *detail, size_t detail_len, uint32_t *err_item);

int64_t gl_now_ms(void);

/* Run a read-only query in its own read transaction. */
void job_run_query(job *j, store *s);

#endif
