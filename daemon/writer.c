/*
 * daemon/writer.c — the writer's batch (its thread is in daemon/workers.c):
 * group commit with one nested transaction per request, idempotent replays,
 * envelopes stored as received; the journal record that acknowledges a
 * batch and LMDB's commits behind it (workers.h).
 */
#include "workers.h"

#include "handlers.h"
#include "job.h"
#include "log.h"
#include "keyring.h"
#include "stats.h"
#include "totals.h"
#include "ledger.h"
#include "store/keys.h"

#include "proto/assert.h"
#include "proto/status.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define REPLY_FLAGS_OFFSET 16 /* "GLRP" | version u16 | status u16 | request_id u64 */
#define REPLY_STATUS_OFFSET 6

/* A seen request id: the stored reply (same content) or a refusal. */
static int replay_check(store_txn *t, job *j, const uint8_t digest[32], bool *replayed)
{
    uint8_t k[KEY_REQUESTS_LEN];
    store_val v;
    *replayed = false;
    key_requests(k, j->req.signer, j->req.request_id);
    int st = store_get(t, DB_REQUESTS, k, sizeof k, &v);
    if (st == GL_ERR_NOT_FOUND)
        return GL_OK;
    if (st != GL_OK)
        return st;
    store_request seen;
    st = store_request_decode(v, &seen);
    GL_ASSERT(st == GL_OK && seen.reply_len > REPLY_FLAGS_OFFSET);
    if (memcmp(seen.digest, digest, 32) != 0)
        return GL_ERR_REQUEST_ID_REUSED;
    gl_buf_reset(&j->reply);
    gl_put_bytes(&j->reply, seen.reply, seen.reply_len);
    if (gl_buf_ok(&j->reply))
        j->reply.data[REPLY_FLAGS_OFFSET] |= GL_REPLY_REPLAYED;
    *replayed = true;
    return GL_OK;
}

static int store_envelope(store_txn *t, job *j, uint64_t *envelope)
{
    uint64_t last;
    int st = envelope_last(t, &last);
    *envelope = last + 1;
    if (st != GL_OK)
        return st;
    uint8_t key[KEY_ENVELOPES_LEN];
    key_envelopes(key, *envelope);
    return store_put(t, DB_ENVELOPES, key, sizeof key, j->msg, j->msg_len);
}

/* The kind's handler (daemon/handlers.c), with the body decoded at
 * admission. */
static int run_handler(gl_exec *x, const job *j)
{
    const handler_info *h = handler_of(j->req.kind);
    return h ? h->run(x, &j->body) : GL_ERR_INTERNAL;
}

/* Apply one request inside parent. Returns true if it wrote (needs the
 * parent's commit before its reply may be sent). */
static bool apply_one(worker *w, store_txn *parent, job *j, int64_t now_ms)
{
    uint8_t digest[32];
    gl_request_digest(&j->req, digest);
    store_txn *t;
    int st = store_begin(w->st, parent, false, &t);
    if (st != GL_OK) {
        job_reply(j, st, 0, 0, 0, NULL, NULL);
        return false;
    }
    bool replayed;
    st = replay_check(t, j, digest, &replayed);
    j->replayed = st == GL_OK && replayed;
    if (st != GL_OK || replayed) {
        store_abort(t);
        if (st != GL_OK)
            job_reply(j, st, 0, 0, 0, NULL, NULL);
        return false;
    }
    gl_buf body;
    gl_buf_init(&body);
    gl_exec x = {.txn = t,
                 .cfg = j->cfg,
                 .req = &j->req,
                 .key = j->key,
                 .ledger_id = j->ledger_id,
                 .now_ms = now_ms,
                 .body = &body,
                 .totals = &w->totals};
    st = store_envelope(t, j, &x.envelope);
    if (st == GL_OK)
        st = run_handler(&x, j);
    if (st == GL_OK)
        st = totals_flush(&w->totals, t);
    else
        totals_discard(&w->totals);
    if (st == GL_OK && !gl_buf_ok(&body))
        st = GL_ERR_INTERNAL;
    char warning[GL_DETAIL_MAX];
    exec_warning_text(&x, warning, sizeof warning);
    job_reply(j, st, 0, x.err_item, x.err_line, st == GL_OK ? warning : x.detail, &body);
    gl_buf_free(&body);
    if (st == GL_OK && gl_buf_ok(&j->reply)) {
        gl_buf rec;
        gl_buf_init(&rec);
        store_request_encode(&rec, digest, j->reply.data, j->reply.len);
        uint8_t k[KEY_REQUESTS_LEN];
        key_requests(k, j->req.signer, j->req.request_id);
        st = gl_buf_ok(&rec) ? store_put(t, DB_REQUESTS, k, sizeof k, rec.data, rec.len)
                             : GL_ERR_INTERNAL;
        gl_buf_free(&rec);
        if (st == GL_OK)
            st = store_commit(t);
        else
            store_abort(t);
        if (st != GL_OK)
            job_reply(j, st, 0, 0, 0, NULL, NULL);
        return st == GL_OK;
    }
    store_abort(t);
    return false;
}

/* --- the journal and LMDB's commits behind it -------------------------- */

static char commit_token;
void *const writer_commit_token = &commit_token;
static _Atomic uint64_t acked_seq, committed_seq;

uint64_t writer_acked_seq(void) { return acked_seq; }
uint64_t writer_committed_seq(void) { return committed_seq; }

/* A storage failure after acknowledgements: the journal holds them, the
 * next start replays it; serving on would answer from a state that
 * disagrees with what was acknowledged. */
static _Noreturn void writer_fatal(const char *what, int st)
{
    log_line(GL_LOG_ERROR, "writer", "%s (%s): stopping; the next start replays the journal", what,
             st ? gl_status_name(st) : strerror(errno));
    _exit(70);
}

int writer_journal_open(worker *w, const char *data_dir, char *err, size_t err_len)
{
    store_txn *t;
    uint64_t seq = 0;
    int st = store_begin(w->st, NULL, true, &t);
    if (st == GL_OK) {
        st = store_journal_seq_get(t, &seq);
        store_abort(t);
    }
    if (st != GL_OK) {
        snprintf(err, err_len, "cannot read meta journal_seq (%s)", gl_status_name(st));
        return -1;
    }
    acked_seq = committed_seq = seq;
    uint8_t key[GL_LEDGER_ID_BYTES];
    if ((st = store_ledger_id(w->st, key)) != GL_OK) {
        snprintf(err, err_len, "cannot read the ledger id (%s)", gl_status_name(st));
        return -1;
    }
    return journal_open(&w->jr, data_dir, key, seq + 1, err, err_len);
}

void writer_commit(worker *w)
{
    if (!w->open)
        return;
    if (!w->open_since_ns) { /* nothing acknowledged in it */
        store_abort(w->open);
        w->open = NULL;
        return;
    }
    uint64_t last = w->jr.next_seq - 1;
    int st = store_journal_seq_put(w->open, last);
    if (st == GL_OK)
        st = store_commit(w->open);
    else
        store_abort(w->open);
    w->open = NULL;
    w->open_since_ns = 0;
    if (st != GL_OK)
        writer_fatal("LMDB commit of acknowledged writes failed", st);
    journal_rewind(&w->jr);
    committed_seq = last;
}

/* Refuse the batch's writes (nothing of them kept), and its replays: a
 * retry that found its original earlier in this same batch must not say
 * "done" for a write that is being dropped (one replayed from an earlier,
 * durable batch is refused too: its client's next retry gets the truth). */
static void refuse_written(job **batch, size_t n, int st, const char *detail)
{
    for (size_t i = 0; i < n; i++)
        if (batch[i]->wrote || batch[i]->replayed)
            job_reply(batch[i], st, 0, 0, 0, detail, NULL);
}

/* A commit that failed: logged (at most one line per 10 s), the batch's
 * writes refused (nothing of them kept). */
static void commit_failed(job **batch, size_t n, int st)
{
    static int64_t last_log_ns;
    if (stats_now_ns() - last_log_ns > 10ll * 1000000000ll) {
        log_line(GL_LOG_ERROR, "writer", "commit failed (%s): %s", gl_status_name(st),
                 gl_status_message(st));
        last_log_ns = stats_now_ns();
    }
    refuse_written(batch, n, st, "the commit failed; nothing of this request was kept");
}

/* Journal what the batch wrote into w->open (one record, one flush), then
 * commit LMDB if it is due.  A batch refused here keeps nothing. */
static void journal_batch(worker *w, job **batch, size_t n)
{
    bool first = w->open_since_ns == 0; /* only this batch is in w->open */
    size_t len;
    bool ok;
    const uint8_t *ops = store_log_data(w->open, &len, &ok);
    bool over = store_log_over(w->open); /* past WRITER_DIRECT_BYTES: no log kept */
    if (!over && ok && len == 0)
        return; /* nothing changed (a keyring reload that found nothing new): no record, no flush */
    if (over || (ok && (w->commit_interval_ms == 0 || len >= WRITER_DIRECT_BYTES))) {
        /* A large batch (or no interval): LMDB's own durable commit, now,
         * acknowledges it and every batch journaled before it, without a
         * record of its own (two flushes, not three; the journal's copy of
         * a large batch would save no flush). */
        uint64_t last = w->jr.next_seq - 1;
        int st = store_journal_seq_put(w->open, last);
        st = st == GL_OK ? store_commit(w->open) : (store_abort(w->open), st);
        w->open = NULL;
        w->open_since_ns = 0;
        if (st != GL_OK && !first)
            writer_fatal("LMDB commit of acknowledged writes failed", st);
        if (st != GL_OK) {
            commit_failed(batch, n, st);
            return;
        }
        journal_rewind(&w->jr);
        acked_seq = committed_seq = last;
        return;
    }
    int appended = ok ? journal_append(&w->jr, ops, len) : -1;
    if (appended == -2)
        writer_fatal("journal write failed and its record could not be unwritten", 0);
    if (appended != 0) {
        if (!first)
            writer_fatal(ok ? "journal write failed" : "journal record: out of memory", 0);
        log_line(GL_LOG_ERROR, "writer", "journal write failed: %s",
                 ok ? strerror(errno) : "out of memory");
        store_abort(w->open);
        w->open = NULL;
        refuse_written(batch, n, GL_ERR_STORAGE,
                       "the journal write failed; nothing of this request was kept");
        return;
    }
    store_log_reset(w->open);
    if (first)
        w->open_since_ns = stats_now_ns();
    if (w->jr.offset_bytes < WRITER_JOURNAL_CAP_BYTES) {
        acked_seq = w->jr.next_seq - 1;
        return;
    }
    /* Past the cap: LMDB commits now, this batch with those journaled
     * before it (never a first batch: under WRITER_DIRECT_BYTES its record
     * stays under the cap; interval 0 took the direct path above). */
    writer_commit(w);
    acked_seq = committed_seq;
}

/* Whether j's reply is a success (not refused with its batch). */
static bool acknowledged(const job *j)
{
    return j->reply.len > REPLY_STATUS_OFFSET + 2 &&
           gl_rd16(j->reply.data + REPLY_STATUS_OFFSET) == GL_OK;
}

/* What a write does only once it is durable: FORGET destroys the key. */
static void after_ack(const job *j, int64_t now_ms)
{
    if (j->req.kind == GL_KIND_FORGET)
        rules_forget_acked(j->cfg, j->req.tenant, &j->body, now_ms);
}

void writer_apply_batch(worker *w, job **batch, size_t n)
{
    int st = GL_OK;
    if (!w->open && (st = store_begin(w->st, NULL, false, &w->open)) == GL_OK) {
        store_log_enable(w->open);
        store_log_limit(w->open, WRITER_DIRECT_BYTES); /* larger: committed, not journaled */
    }
    if (st != GL_OK) {
        w->open = NULL;
        for (size_t i = 0; i < n; i++)
            job_reply(batch[i], st, 0, 0, 0, NULL, NULL);
        return;
    }
    store_txn *parent = w->open;
    int64_t now_ms = gl_now_ms();
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        batch[i]->exec_start_ns = stats_now_ns();
        batch[i]->wrote = keyring_job_is(batch[i])
                              ? keyring_job_apply(w->st, parent, batch[i], now_ms)
                              : apply_one(w, parent, batch[i], now_ms);
        any |= batch[i]->wrote;
    }
    if (any)
        journal_batch(w, batch, n);
    else if (!w->open_since_ns)
        writer_commit(w); /* nothing written: the transaction is dropped */
    for (size_t i = 0; i < n; i++)
        if (batch[i]->wrote && acknowledged(batch[i]))
            after_ack(batch[i], now_ms);
    int64_t committed_ns = stats_now_ns();
    for (size_t i = 0; i < n; i++)
        batch[i]->exec_end_ns = committed_ns;
}
