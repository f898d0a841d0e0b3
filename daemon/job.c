/*
 * daemon/job.c — reply building and read-only query dispatch for jobs (by
 * the handler table, daemon/handlers.c), and BACKUP's handler.
 */
#include "job.h"

#include "handlers.h"
#include "persons.h"

#include "stats.h"

#include "proto/assert.h"
#include "proto/backup.h"
#include "proto/limits.h"
#include "proto/reply_group.h"
#include "proto/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t gl_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void job_reply(job *j, int status, uint8_t flags, uint32_t err_item, uint32_t err_line,
               const char *detail, const gl_buf *body)
{
    char too_large[GL_DETAIL_MAX];
    if (status == GL_OK && body && body->len > GL_REPLY_BODY_MAX) {
        /* a client would drop the connection: refuse by name instead */
        snprintf(too_large, sizeof too_large,
                 "the %s reply would be %zu bytes; at most %u are sent", gl_kind_name(j->req.kind),
                 body->len, (unsigned)GL_REPLY_BODY_MAX);
        status = GL_ERR_REPLY_TOO_LARGE;
        detail = too_large;
        err_item = err_line = 0;
    }
    gl_reply r = {
        .status = (uint16_t)status,
        .request_id = j->req.request_id,
        .flags = flags,
        .err_item = err_item,
        .err_line = err_line,
        .detail = {detail ? detail : "", detail ? strlen(detail) : 0},
        .body = status == GL_OK && body ? body->data : NULL,
        .body_len = status == GL_OK && body ? (uint32_t)body->len : 0,
    };
    gl_buf_reset(&j->reply);
    gl_reply_encode(&j->reply, &r);
}

void job_free(job *j)
{
    if (!j)
        return;
    free(j->msg);
    gl_buf_free(&j->reply);
    free(j);
}

/* BACKUP: a compacted copy taken from its own read snapshot (LMDB opens
 * it), to a new file of the configured backup directory — the request only
 * names the file (admission checked it is one plain name).  The reply body
 * is the file's full path. */
int query_backup(gl_exec *x, const gl_body *rq)
{
    const gl_config *cfg = x->cfg;
    store *s = x->snapshot_store;
    gl_buf *body = x->body;
    char *detail = x->detail;
    size_t detail_len = sizeof x->detail;
    gl_str name = rq->backup_name;
    int st;
    if (!cfg->backup_dir[0]) {
        snprintf(detail, detail_len, "the daemon's configuration names no backup_dir");
        return GL_ERR_BACKUP_DISABLED;
    }
    char n[GL_BACKUP_NAME_MAX + 1], path[sizeof cfg->backup_dir + GL_BACKUP_NAME_MAX + 2];
    memcpy(n, name.ptr, name.len);
    n[name.len] = '\0';
    int path_len = snprintf(path, sizeof path, "%s/%s", cfg->backup_dir, n);
    GL_ASSERT(path_len > 0 && (size_t)path_len < sizeof path && path_len <= UINT16_MAX);
    if ((st = store_backup(s, cfg->backup_dir, n, detail, detail_len)) != GL_OK)
        return st;
    /* The accountant's backup holds the key store of natural persons too,
     * beside the ledger's copy (daemon/persons.h): NAME.persons/. */
    char keys[sizeof path + 8];
    snprintf(keys, sizeof keys, "%s.persons", path);
    if ((st = persons_backup(cfg->data_dir, keys, detail, detail_len)) != GL_OK)
        return st;
    gl_reply_backup_encode(body, &(gl_reply_backup){.path = {path, (size_t)path_len}});
    return GL_OK;
}

void job_run_query(job *j, store *s)
{
    j->exec_start_ns = stats_now_ns();
    gl_buf body;
    gl_buf_init(&body);
    gl_exec x = {.cfg = j->cfg,
                 .req = &j->req,
                 .key = j->key,
                 .ledger_id = j->ledger_id,
                 .now_ms = gl_now_ms(),
                 .body = &body};
    const handler_info *h = handler_of(j->req.kind);
    int st = h ? GL_OK : GL_ERR_INTERNAL;
    if (st == GL_OK && h->own_snapshot) {
        x.snapshot_store = s;
        st = h->run(&x, &j->body);
    } else if (st == GL_OK && (st = store_begin(s, NULL, true, &x.txn)) == GL_OK) {
        st = h->run(&x, &j->body);
        store_abort(x.txn);
    }
    if (st == GL_OK && !gl_buf_ok(&body))
        st = GL_ERR_INTERNAL;
    job_reply(j, st, 0, x.err_item, x.err_line, x.detail, &body);
    gl_buf_free(&body);
    j->exec_end_ns = stats_now_ns();
}
