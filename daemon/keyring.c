/*
 * daemon/keyring.c — see keyring.h.  Invariants kept in DB_KEYRING: a key's
 * records never overlap and are in time order; at most its last record is
 * open; after a record ending KEYRING_REVOKED the key gets no other record.
 * Daemon time may step backwards (NTP): new bounds are clamped so that the
 * order still holds.
 */
#include "keyring.h"

#include "ledger.h"
#include "log.h"
#include "reload.h"
#include "store/keyring_store.h"

#include "proto/assert.h"
#include "proto/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The configuration refuses a key name the keyring could not record
 * (daemon/config.c), so that -n and the daemon's start agree. */
_Static_assert(GL_KEY_NAME_MAX == KEYRING_NAME_MAX,
               "a configured key name must fit a keyring record");
_Static_assert(sizeof((gl_key_cfg *)0)->name == sizeof((keyring_rec *)0)->name, "key name buffers");

static void iso_time(int64_t ms, char *out, size_t out_len)
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    strftime(out, out_len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int keyring_mark_revoked(store *s, gl_config *cfg)
{
    store_txn *t;
    int st = store_begin(s, NULL, true, &t);
    if (st != GL_OK)
        return st;
    for (size_t i = 0; st == GL_OK && i < cfg->key_count; i++) {
        gl_key_cfg *k = &cfg->keys[i];
        keyring_rec r;
        if (k->has_pub != 1 || k->revoked)
            continue;
        st = keyring_rec_latest(t, k->pub, &r);
        if (st == GL_OK && r.end == KEYRING_REVOKED) {
            char when[32];
            iso_time(r.until_ms, when, sizeof when);
            log_line(GL_LOG_WARN, "keyring",
                     "%s:%d: key '%s' was revoked at %s and stays revoked "
                     "(give its owner a new key)",
                     cfg->path, k->line, k->name, when);
            k->revoked = true;
        }
        if (st == GL_ERR_NOT_FOUND)
            st = GL_OK;
    }
    store_abort(t);
    return st;
}

static uint32_t count_tenants(store_txn *t, int *st)
{
    store_scan s;
    uint32_t n = 0;
    *st = store_scan_begin(&s, t, DB_TENANTS, "", 0, 0);
    while (*st == GL_OK && store_scan_next(&s))
        n++;
    *st = store_scan_close(&s, *st);
    return n;
}

/* A record for each configured tenant that has none (numbers in order). */
static int sync_tenants(store_txn *t, const gl_config *cfg)
{
    int st;
    uint32_t count = count_tenants(t, &st);
    for (size_t i = 0; st == GL_OK && i < cfg->tenant_count; i++) {
        gl_str id = {cfg->tenants[i].id, strlen(cfg->tenants[i].id)};
        tenant_rec rec;
        st = tenant_load(t, id, &rec);
        if (st == GL_ERR_UNKNOWN_TENANT) {
            memset(&rec, 0, sizeof rec);
            rec.number = ++count;
            st = tenant_save(t, id, &rec);
        }
    }
    return st;
}

static void rec_of_key(const gl_key_cfg *k, keyring_rec *r)
{
    memset(r, 0, sizeof *r);
    memcpy(r->pub, k->pub, 32);
    r->role = (uint8_t)k->role;
    snprintf(r->tenant, sizeof r->tenant, "%s", k->tenant);
    snprintf(r->name, sizeof r->name, "%s", k->name);
}

static bool same_grant(const keyring_rec *a, const keyring_rec *b)
{
    return a->role == b->role && !strcmp(a->tenant, b->tenant) && !strcmp(a->name, b->name);
}

/* End the open record r at now (never before it began). */
static int close_rec(store_txn *t, keyring_rec *r, uint8_t end, int64_t now_ms)
{
    GL_ASSERT(r->end == KEYRING_OPEN && end != KEYRING_OPEN);
    r->until_ms = now_ms > r->since_ms ? now_ms : r->since_ms; /* maybe empty: [t, t) */
    r->end = end;
    return keyring_rec_put(t, r);
}

/* Open a record for key k from since_ms (after the key's previous record),
 * ended at now_ms unless end is KEYRING_OPEN. */
static int open_rec(store_txn *t, const gl_key_cfg *k, const keyring_rec *prev, bool have_prev,
                    int64_t since_ms, int64_t now_ms, uint8_t end)
{
    keyring_rec r;
    rec_of_key(k, &r);
    r.since_ms = since_ms;
    if (have_prev && r.since_ms < prev->until_ms)
        r.since_ms = prev->until_ms;
    if (have_prev && r.since_ms <= prev->since_ms)
        r.since_ms = prev->since_ms + 1;
    if (end != KEYRING_OPEN)
        return close_rec(t, &r, end, now_ms);
    return keyring_rec_put(t, &r);
}

/* since_ms: when new records begin (now, or 0 on a ledger older than its
 * history); now_ms: when records end. */
static int sync_key(store_txn *t, const gl_key_cfg *k, int64_t since_ms, int64_t now_ms)
{
    keyring_rec latest, want;
    int st = keyring_rec_latest(t, k->pub, &latest);
    bool have = st == GL_OK;
    if (st != GL_OK && st != GL_ERR_NOT_FOUND)
        return st;
    if (have && latest.end == KEYRING_REVOKED)
        return GL_OK; /* revoked for ever, whatever the configuration says */
    bool open = have && latest.end == KEYRING_OPEN;
    if (k->revoked)
        return open ? close_rec(t, &latest, KEYRING_REVOKED, now_ms)
                    : open_rec(t, k, &latest, have, since_ms, now_ms, KEYRING_REVOKED);
    rec_of_key(k, &want);
    if (open && same_grant(&latest, &want))
        return GL_OK;
    if (open && (st = close_rec(t, &latest, KEYRING_CHANGED, now_ms)) != GL_OK)
        return st;
    return open_rec(t, k, &latest, have, since_ms, now_ms, KEYRING_OPEN);
}

struct removed {
    const gl_config *cfg;
    keyring_rec *recs;
    size_t count, cap;
};

static int collect_removed(const keyring_rec *r, void *user)
{
    struct removed *rm = user;
    if (r->end != KEYRING_OPEN || gl_config_key(rm->cfg, r->pub))
        return GL_OK;
    if (rm->count == rm->cap) {
        size_t cap = rm->cap ? 2 * rm->cap : 16;
        keyring_rec *n = realloc(rm->recs, cap * sizeof *n);
        if (!n)
            return GL_ERR_INTERNAL;
        rm->recs = n;
        rm->cap = cap;
    }
    rm->recs[rm->count++] = *r;
    return GL_OK;
}

/* End the open records of keys no longer in the configuration. */
static int sync_removed(store_txn *t, const gl_config *cfg, int64_t now_ms)
{
    struct removed rm = {.cfg = cfg};
    int st = keyring_rec_each(t, collect_removed, &rm);
    for (size_t i = 0; st == GL_OK && i < rm.count; i++)
        st = close_rec(t, &rm.recs[i], KEYRING_REMOVED, now_ms);
    free(rm.recs);
    return st;
}

static bool db_empty(store_txn *t, enum store_db db, int *st)
{
    store_scan s;
    bool empty = false;
    if ((*st = store_scan_begin(&s, t, db, "", 0, 0)) == GL_OK)
        empty = !store_scan_next(&s);
    *st = store_scan_close(&s, *st);
    return empty && *st == GL_OK;
}

int keyring_sync(store_txn *t, const gl_config *cfg, int64_t now_ms)
{
    GL_ASSERT(now_ms > 0);
    int st = sync_tenants(t, cfg);
    /* A ledger written before it kept a keyring history: the keys of its
     * first configuration with one were valid "since the beginning" (0),
     * so that the entries they signed earlier still verify. */
    int64_t since_ms = now_ms;
    if (st == GL_OK && db_empty(t, DB_KEYRING, &st) && st == GL_OK &&
        !db_empty(t, DB_ENVELOPES, &st))
        since_ms = 0;
    for (size_t i = 0; st == GL_OK && i < cfg->key_count; i++)
        if (cfg->keys[i].has_pub == 1)
            st = sync_key(t, &cfg->keys[i], since_ms, now_ms);
    if (st == GL_OK)
        st = sync_removed(t, cfg, now_ms);
    return st;
}

int keyring_sync_now(store *s, const gl_config *cfg, int64_t now_ms)
{
    store_txn *t;
    int st = store_begin(s, NULL, false, &t);
    if (st != GL_OK)
        return st;
    st = keyring_sync(t, cfg, now_ms);
    if (st != GL_OK) {
        store_abort(t);
        return st;
    }
    return store_commit(t);
}

/* A sync job carries the configuration it would replace, for the reload
 * check (daemon/reload.c); job_free frees it whole (j is its first member). */
struct keyring_job {
    job j;
    const gl_config *running;
};

job *keyring_job_new(const gl_config *cfg, const gl_config *running)
{
    struct keyring_job *kj = calloc(1, sizeof *kj);
    if (!kj)
        return NULL;
    kj->j.req.kind = KEYRING_JOB_KIND;
    kj->j.cfg = cfg;
    kj->running = running;
    return &kj->j;
}

bool keyring_job_is(const job *j) { return j && j->req.kind == KEYRING_JOB_KIND && !j->msg; }

bool keyring_job_apply(store *s, store_txn *parent, job *j, int64_t now_ms)
{
    GL_ASSERT(keyring_job_is(j));
    const gl_config *running = ((struct keyring_job *)j)->running;
    char why[GL_DETAIL_MAX];
    store_txn *t;
    int st = store_begin(s, parent, false, &t);
    if (st == GL_OK) {
        st = running ? reload_check(t, running, j->cfg, why, sizeof why) : GL_OK;
        if (st == GL_OK)
            st = keyring_sync(t, j->cfg, now_ms);
        if (st == GL_OK)
            st = store_commit(t);
        else
            store_abort(t);
    }
    job_reply(j, st, 0, 0, 0,
              st == GL_OK          ? NULL
              : st == GL_ERR_INPUT ? why
                                   : "cannot record the keyring in the ledger",
              NULL);
    return st == GL_OK;
}

int keyring_job_status(const job *j, char *detail, size_t detail_len)
{
    gl_reply r;
    detail[0] = '\0';
    if (!gl_buf_ok(&j->reply) || gl_reply_decode(j->reply.data, j->reply.len, &r) != GL_OK) {
        snprintf(detail, detail_len, "out of memory");
        return GL_ERR_INTERNAL;
    }
    if (r.status == GL_ERR_INPUT) /* the reload check's reasons, as they are */
        snprintf(detail, detail_len, "%.*s", (int)r.detail.len, r.detail.ptr);
    else if (r.status != GL_OK)
        snprintf(detail, detail_len, "%s: %.*s", gl_status_name(r.status), (int)r.detail.len,
                 r.detail.ptr);
    return r.status;
}
