/*
 * daemon/job.c — reply building and read-only query dispatch for jobs.
 */
#include "job.h"

#include "stats.h"

#include "proto/status.h"

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
 * it), to a new file on the daemon's machine. */
static int run_backup(job *j, store *s, char *detail, size_t detail_len)
{
    gl_cur c;
    gl_cur_init(&c, j->req.body, j->req.body_len);
    gl_str path = gl_get_str16(&c, 4096);
    int st = gl_cur_end(&c);
    if (st != GL_OK)
        return st;
    char p[4097];
    memcpy(p, path.ptr, path.len);
    p[path.len] = '\0';
    return store_backup(s, p, detail, detail_len);
}

void job_run_query(job *j, store *s)
{
    j->exec_start_ns = stats_now_ns();
    gl_buf body;
    gl_buf_init(&body);
    if (j->req.kind == GL_KIND_BACKUP) {
        char detail[GL_DETAIL_MAX] = "";
        int st = run_backup(j, s, detail, sizeof detail);
        job_reply(j, st, 0, 0, 0, detail, &body);
        gl_buf_free(&body);
        j->exec_end_ns = stats_now_ns();
        return;
    }
    gl_exec x = {.cfg = j->cfg, .req = &j->req, .now_ms = gl_now_ms(), .body = &body};
    int st = store_begin(s, NULL, true, &x.txn);
    if (st == GL_OK) {
        switch (j->req.kind) {
        case GL_KIND_PING: st = query_ping(&x, j->key, j->ledger_id); break;
        case GL_KIND_ACCOUNTS_LIST: st = query_accounts(&x); break;
        case GL_KIND_BALANCE: st = query_balance(&x); break;
        case GL_KIND_JOURNAL: st = query_journal(&x); break;
        case GL_KIND_LEDGER: st = query_ledger(&x); break;
        case GL_KIND_ENTRY_GET: st = query_entry(&x); break;
        case GL_KIND_PERIODS: st = query_periods(&x); break;
        case GL_KIND_KEYS_GET: st = query_keys(&x); break;
        case GL_KIND_CHAIN: st = query_chain(&x); break;
        case GL_KIND_KEYRING: st = query_keyring(&x); break;
        case GL_KIND_TENANTS: st = query_tenants(&x, j->key); break;
        case GL_KIND_ENVELOPE: st = query_envelope(&x, j->req.signer, j->key->role != GL_ROLE_MEMBER); break;
        case GL_KIND_GROUP_BALANCE: st = query_group_balance(&x); break;
        case GL_KIND_GROUP_RECONCILE: st = query_group_reconcile(&x); break;
        default: st = GL_ERR_INTERNAL; break;
        }
        store_abort(x.txn);
    }
    if (st == GL_OK && !gl_buf_ok(&body))
        st = GL_ERR_INTERNAL;
    job_reply(j, st, 0, x.err_item, x.err_line, x.detail, &body);
    gl_buf_free(&body);
    j->exec_end_ns = stats_now_ns();
}
