/*
 * daemon/store/store.c — LMDB environment, databases and thin wrappers that
 * turn LMDB's return codes into statuses.  Opens every DBI once at start.
 * Checks the schema version at open: a new environment is stamped with the
 * current one and given its ledger id; an older or newer one is refused
 * (store/upgrade.c brings an older one up to date) without a byte changed.
 */
#include "store.h"

#include "daemon/log.h"

#include "proto/assert.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <errno.h>
#include <lmdb.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

struct store {
    MDB_env *env;
    MDB_dbi dbi[DB_COUNT_];
    bool has_ledger_id;
    uint8_t ledger_id[GL_LEDGER_ID_BYTES];
};

/* Each table's name, by its enum (designated: a merge that adds tables
 * cannot shift a name onto another table). */
static const char *const db_names[DB_COUNT_] = {
    [DB_META] = "meta",
    [DB_TENANTS] = "tenants",
    [DB_ACCOUNTS] = "accounts",
    [DB_EVENTS] = "events",
    [DB_ENTRIES] = "entries",
    [DB_BY_ACCOUNT] = "by_account",
    [DB_BALANCES] = "balances",
    [DB_DAILY] = "daily",
    [DB_REQUESTS] = "requests",
    [DB_ENVELOPES] = "envelopes",
    [DB_KEYRING] = "keyring",
    [DB_PERIODS] = "periods",
    [DB_REVERSED] = "reversed",
    [DB_LETTERS] = "letters",
    [DB_LETTERED] = "lettered",
    [DB_PARTNER_DAILY] = "partner_daily",
    [DB_PARTNER_LINES] = "partner_lines",
    [DB_RECHARGE_KEYS] = "recharge_keys",
    [DB_ACCT_MONTHS] = "acct_months",
    [DB_ACCT_DAYS] = "acct_days",
    [DB_AUX_LABELS] = "aux_labels",
    [DB_YEAR_TOTALS] = "year_totals",
    [DB_THIRD_PARTIES] = "third_parties",
    [DB_REMINDERS] = "reminders",
    [DB_CARRY_MODES] = "carry_modes",
    [DB_FORGOTTEN] = "forgotten",
    [DB_BANK_ACCOUNTS] = "bank_accounts",
    [DB_BANK_LINES] = "bank_lines",
    [DB_BANK_INDEX] = "bank_index",
    [DB_ANALYTIC] = "analytic",
    [DB_AN_TOTALS] = "an_totals",
    [DB_ASSETS] = "assets",
};

static const char schema_key[] = "schema_version";
static const char ledger_id_key[] = "ledger_id";
static const char journal_seq_key[] = "journal_seq";

/* A transaction and the store it belongs to: every call finds its
 * databases through it (several stores may be open in one process). */
struct store_txn {
    MDB_txn *txn;
    store *s;
    store_txn *parent;
    bool logging; /* puts and deletes recorded in log (store_log_enable) */
    gl_buf log;   /* STORE_OP_* records; a child's joins its parent's on commit */
    /* store_log_limit (0: none), counted with what the parents' logs held
     * at this child's begin (log_base); log_over: the log passed it, was
     * dropped, and records nothing more */
    size_t log_max, log_base;
    bool log_over;
};

/* One line on stderr for an LMDB code the callers do not expect: the
 * status they get says only "storage", the line says why. */
static void log_lmdb(const char *op, int rc)
{
    log_line(GL_LOG_ERROR, "store", "store: %s: %s", op, mdb_strerror(rc));
}

/* The status of LMDB code rc from operation op (logged unless expected:
 * success, not found, map full). */
static int status_of(const char *op, int rc)
{
    switch (rc) {
    case MDB_SUCCESS: return GL_OK;
    case MDB_NOTFOUND: return GL_ERR_NOT_FOUND;
    case MDB_MAP_FULL: return GL_ERR_MAP_FULL;
    case ENOSPC: log_lmdb(op, rc); return GL_ERR_MAP_FULL;
    default: log_lmdb(op, rc); return GL_ERR_STORAGE;
    }
}

/* status_of for operation op on database db ("put requests"). */
static int status_of_db(const char *op, enum store_db db, int rc)
{
    if (rc == MDB_SUCCESS || rc == MDB_NOTFOUND || rc == MDB_MAP_FULL)
        return status_of(op, rc);
    char what[64];
    snprintf(what, sizeof what, "%s %s", op, db < DB_COUNT_ ? db_names[db] : "?");
    return status_of(what, rc);
}

/* How an environment is opened: to serve (created if new; only at the
 * current schema), or to upgrade (only an existing ledger, any schema up
 * to the current one). */
enum open_mode { OPEN_SERVE, OPEN_UPGRADE };

/* The stored schema version into *version (0: none recorded). */
static int schema_get(store *s, MDB_txn *txn, uint32_t *version, char *err, size_t err_len)
{
    MDB_val k = {sizeof schema_key - 1, (void *)schema_key}, v;
    int rc = mdb_get(txn, s->dbi[DB_META], &k, &v);
    *version = 0;
    if (rc == MDB_NOTFOUND)
        return GL_OK;
    if (rc) {
        snprintf(err, err_len, "cannot read schema version: %s", mdb_strerror(rc));
        return GL_ERR_STORAGE;
    }
    if (v.mv_size != 4 || gl_rd32(v.mv_data) == 0) {
        snprintf(err, err_len, "the schema version record is damaged");
        return GL_ERR_STORAGE;
    }
    *version = gl_rd32(v.mv_data);
    return GL_OK;
}

static int schema_put(store *s, MDB_txn *txn, uint32_t version)
{
    uint8_t be[4];
    gl_be32(be, version);
    MDB_val k = {sizeof schema_key - 1, (void *)schema_key}, v = {4, be};
    return status_of("put schema_version", mdb_put(txn, s->dbi[DB_META], &k, &v, 0));
}

/* Put a new random ledger id into meta unless there is one. */
static int ledger_id_create(store *s, MDB_txn *txn)
{
    MDB_val k = {sizeof ledger_id_key - 1, (void *)ledger_id_key}, v;
    int rc = mdb_get(txn, s->dbi[DB_META], &k, &v);
    if (rc == MDB_SUCCESS && v.mv_size == GL_LEDGER_ID_BYTES)
        return GL_OK;
    if (rc != MDB_SUCCESS && rc != MDB_NOTFOUND)
        return status_of("get ledger_id", rc);
    uint8_t id[GL_LEDGER_ID_BYTES];
    randombytes_buf(id, sizeof id);
    MDB_val nv = {sizeof id, id};
    return status_of("put ledger_id", mdb_put(txn, s->dbi[DB_META], &k, &nv, 0));
}

static int ledger_id_load(store *s, MDB_txn *txn)
{
    MDB_val k = {sizeof ledger_id_key - 1, (void *)ledger_id_key}, v;
    int rc = mdb_get(txn, s->dbi[DB_META], &k, &v);
    if (rc != MDB_SUCCESS || v.mv_size != GL_LEDGER_ID_BYTES)
        return GL_ERR_STORAGE;
    memcpy(s->ledger_id, v.mv_data, GL_LEDGER_ID_BYTES);
    s->has_ledger_id = true;
    return GL_OK;
}

/* A new environment (no schema version): the current schema, a ledger
 * id.  One that holds tenants without a version is not a ledger of ours
 * (or is damaged): refused rather than stamped. */
static int init_new(store *s, MDB_txn *txn, const char *dir, char *err, size_t err_len)
{
    MDB_cursor *c;
    MDB_val k, v;
    int rc = mdb_cursor_open(txn, s->dbi[DB_TENANTS], &c);
    if (!rc) {
        rc = mdb_cursor_get(c, &k, &v, MDB_FIRST);
        mdb_cursor_close(c);
    }
    if (rc != MDB_NOTFOUND) {
        snprintf(
            err, err_len,
            "%s holds data but no schema version: not a grandlivred ledger, refusing to open it",
            dir);
        return GL_ERR_STORAGE;
    }
    int st = schema_put(s, txn, GL_SCHEMA_VERSION);
    if (st == GL_OK)
        st = ledger_id_create(s, txn);
    if (st != GL_OK)
        snprintf(err, err_len, "cannot record the schema version and ledger id in %s", dir);
    return st;
}

static int check_schema(store *s, MDB_txn *txn, const char *dir, enum open_mode mode,
                        uint32_t *version, char *err, size_t err_len)
{
    int st = schema_get(s, txn, version, err, err_len);
    if (st != GL_OK)
        return st;
    if (*version == 0 && mode == OPEN_SERVE) {
        *version = GL_SCHEMA_VERSION;
        return init_new(s, txn, dir, err, err_len);
    }
    if (*version == 0) {
        snprintf(err, err_len, "%s holds no schema version: not a grandlivred ledger", dir);
        return GL_ERR_STORAGE;
    }
    if (*version > GL_SCHEMA_VERSION) {
        snprintf(err, err_len,
                 "data directory %s has schema version %u, newer than this grandlivred (%u): "
                 "refusing to open it (use a grandlivred of that version or later)",
                 dir, *version, GL_SCHEMA_VERSION);
        return GL_ERR_STORAGE;
    }
    if (*version < GL_SCHEMA_VERSION && mode == OPEN_SERVE) {
        snprintf(err, err_len,
                 "data directory %s has schema version %u, older than this grandlivred's (%u)", dir,
                 *version, GL_SCHEMA_VERSION);
        return GL_ERR_VERSION;
    }
    return GL_OK;
}

static int open_env(store **out, const char *dir, uint64_t map_size_bytes, enum open_mode mode,
                    uint32_t *version, char *err, size_t err_len)
{
    *out = NULL;
    if (mode == OPEN_UPGRADE) {
        char path[4096];
        struct stat sb;
        snprintf(path, sizeof path, "%s/data.mdb", dir);
        if (stat(path, &sb) != 0) {
            snprintf(err, err_len, "%s holds no ledger", dir);
            return GL_ERR_NOT_FOUND;
        }
    } else if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, err_len, "cannot create %s: %s", dir, strerror(errno));
        return GL_ERR_STORAGE;
    }
    store *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, err_len, "out of memory");
        return GL_ERR_STORAGE;
    }
    MDB_txn *txn = NULL;
    int st = GL_ERR_STORAGE;
    int rc = mdb_env_create(&s->env);
    if (!rc)
        rc = mdb_env_set_maxdbs(s->env, DB_COUNT_ + 4);
    if (!rc)
        rc = mdb_env_set_maxreaders(s->env, 256);
    if (!rc)
        rc = mdb_env_set_mapsize(s->env, (size_t)map_size_bytes);
    if (!rc)
        rc = mdb_env_open(s->env, dir, MDB_NOTLS, 0600);
    if (rc) {
        snprintf(err, err_len, "cannot open LMDB environment in %s: %s", dir, mdb_strerror(rc));
        goto fail;
    }
    int dead = 0;
    mdb_reader_check(s->env, &dead);
    mdb_env_sync(s->env, 1); /* a new data.mdb is on disk before anything relies on it */
    rc = mdb_txn_begin(s->env, NULL, 0, &txn);
    for (int i = 0; !rc && i < DB_COUNT_; i++)
        rc = mdb_dbi_open(txn, db_names[i], MDB_CREATE, &s->dbi[i]);
    if (rc) {
        snprintf(err, err_len, "cannot open databases: %s", mdb_strerror(rc));
        goto fail;
    }
    if ((st = check_schema(s, txn, dir, mode, version, err, err_len)) != GL_OK)
        goto fail;
    if (mode == OPEN_SERVE && ledger_id_load(s, txn) != GL_OK) {
        snprintf(err, err_len, "data directory %s has schema version %u but no ledger id: damaged",
                 dir, *version);
        st = GL_ERR_STORAGE;
        goto fail;
    }
    rc = mdb_txn_commit(txn);
    txn = NULL;
    if (rc) {
        snprintf(err, err_len, "cannot commit: %s", mdb_strerror(rc));
        st = GL_ERR_STORAGE;
        goto fail;
    }
    *out = s;
    return GL_OK;
fail:
    if (txn)
        mdb_txn_abort(txn);
    if (s->env)
        mdb_env_close(s->env);
    free(s);
    return st;
}

int store_open(store **out, const char *dir, uint64_t map_size_bytes, char *err, size_t err_len)
{
    uint32_t version;
    return open_env(out, dir, map_size_bytes, OPEN_SERVE, &version, err, err_len);
}

int store_open_existing(store **out, const char *dir, uint64_t map_size_bytes, uint32_t *version,
                        char *err, size_t err_len)
{
    return open_env(out, dir, map_size_bytes, OPEN_UPGRADE, version, err, err_len);
}

int store_schema_put(store_txn *t, uint32_t version)
{
    GL_ASSERT(version >= 1 && version <= GL_SCHEMA_VERSION);
    return schema_put(t->s, t->txn, version);
}

int store_ledger_id_create(store_txn *t) { return ledger_id_create(t->s, t->txn); }

int store_ledger_id(store *s, uint8_t out[GL_LEDGER_ID_BYTES])
{
    if (!s->has_ledger_id) {
        MDB_txn *txn;
        if (mdb_txn_begin(s->env, NULL, MDB_RDONLY, &txn) != 0)
            return GL_ERR_STORAGE;
        int st = ledger_id_load(s, txn);
        mdb_txn_abort(txn);
        if (st != GL_OK)
            return st;
    }
    memcpy(out, s->ledger_id, GL_LEDGER_ID_BYTES);
    return GL_OK;
}

void store_close(store *s)
{
    if (!s)
        return;
    mdb_env_close(s->env);
    free(s);
}

int store_backup(store *s, const char *dir, const char *name, char *err, size_t err_len)
{
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd < 0) {
        snprintf(err, err_len, "cannot open the backup directory %s: %s", dir, strerror(errno));
        return GL_ERR_STORAGE;
    }
    /* O_EXCL: a name already taken — even by a symlink, dangling or not —
     * is refused, never written through. */
    int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        int e = errno;
        snprintf(err, err_len, e == EEXIST ? "%s/%s already exists" : "cannot create %s/%s: %s",
                 dir, name, strerror(e));
        close(dfd);
        return e == EEXIST ? GL_ERR_BACKUP_EXISTS : GL_ERR_STORAGE;
    }
    int rc = mdb_env_copyfd2(s->env, fd, MDB_CP_COMPACT);
    if (rc == 0 && fsync(fd) != 0)
        rc = errno;
    if (close(fd) != 0 && rc == 0)
        rc = errno;
    if (rc == 0 && fsync(dfd) != 0) /* the new name is durable too */
        rc = errno;
    if (rc != 0) {
        unlinkat(dfd, name, 0);
        snprintf(err, err_len, "backup to %s/%s failed: %s", dir, name, mdb_strerror(rc));
    }
    close(dfd);
    return rc == 0 ? GL_OK : GL_ERR_STORAGE;
}

int store_reader_check(store *s)
{
    int dead = 0;
    mdb_reader_check(s->env, &dead);
    return dead;
}

int store_begin(store *s, store_txn *parent, bool read_only, store_txn **out)
{
    *out = NULL;
    store_txn *t = malloc(sizeof *t);
    if (!t) {
        log_line(GL_LOG_ERROR, "store", "store: begin: out of memory");
        return GL_ERR_STORAGE;
    }
    t->s = s;
    t->parent = parent;
    t->logging = parent && parent->logging;
    gl_buf_init(&t->log);
    t->log_max = parent ? parent->log_max : 0;
    t->log_base = parent ? parent->log_base + parent->log.len : 0;
    t->log_over = parent && parent->log_over;
    int st = status_of("begin", mdb_txn_begin(s->env, parent ? parent->txn : NULL,
                                              read_only ? MDB_RDONLY : 0, &t->txn));
    if (st != GL_OK) {
        free(t);
        return st;
    }
    *out = t;
    return GL_OK;
}

int store_commit(store_txn *t)
{
    int st = status_of("commit", mdb_txn_commit(t->txn));
    if (st == GL_OK && t->logging && t->parent && t->log_over) {
        t->parent->log_over = true;
        gl_buf_free(&t->parent->log);
    } else if (st == GL_OK && t->logging && t->parent && !gl_buf_ok(&t->log))
        t->parent->log.failed =
            true; /* out of memory: the batch is refused, never journaled cut off */
    else if (st == GL_OK && t->logging && t->parent && t->log.len) {
        if (t->parent->log.len == 0) { /* moved, not copied: a batch's log may be megabytes */
            gl_buf empty = t->parent->log;
            t->parent->log = t->log;
            t->log = empty;
        } else {
            gl_put_bytes(&t->parent->log, t->log.data, t->log.len);
        }
    }
    gl_buf_free(&t->log);
    free(t);
    return st;
}

void store_abort(store_txn *t)
{
    mdb_txn_abort(t->txn);
    gl_buf_free(&t->log);
    free(t);
}

void store_log_enable(store_txn *t)
{
    GL_ASSERT(!t->parent);
    t->logging = true;
}

const uint8_t *store_log_data(const store_txn *t, size_t *len, bool *ok)
{
    *len = t->log.len;
    *ok = gl_buf_ok(&t->log);
    return t->log.data;
}

/* Emptied; a log grown past 1 MiB (a large batch) gives its memory back. */
void store_log_reset(store_txn *t)
{
    if (t->log.cap > (1u << 20))
        gl_buf_free(&t->log);
    gl_buf_reset(&t->log);
    t->log_over = false;
}

void store_log_limit(store_txn *t, size_t max_bytes) { t->log_max = max_bytes; }

bool store_log_over(const store_txn *t) { return t->log_over; }

/* One operation into t's log: op u8 | db u8 | key_len u16 | val_len u32 |
 * key | value (journal.h's payload). */
static void log_op(store_txn *t, uint8_t op, enum store_db db, const void *key, size_t key_len,
                   const void *val, size_t val_len)
{
    if (!t->logging || t->log_over)
        return;
    GL_ASSERT(key_len <= UINT16_MAX && val_len <= UINT32_MAX);
    size_t op_len = 8 + key_len + val_len;
    if (t->log_max && t->log_base + t->log.len + op_len > t->log_max) {
        t->log_over = true; /* committed to LMDB, never journaled: the log is not needed */
        gl_buf_free(&t->log);
        return;
    }
    gl_put_u8(&t->log, op);
    gl_put_u8(&t->log, (uint8_t)db);
    gl_put_u16(&t->log, (uint16_t)key_len);
    gl_put_u32(&t->log, (uint32_t)val_len);
    gl_put_bytes(&t->log, key, key_len);
    if (val_len)
        gl_put_bytes(&t->log, val, val_len);
}

int store_journal_seq_get(store_txn *t, uint64_t *seq)
{
    MDB_val k = {sizeof journal_seq_key - 1, (void *)journal_seq_key}, v;
    int rc = mdb_get(t->txn, t->s->dbi[DB_META], &k, &v);
    *seq = 0;
    if (rc == MDB_NOTFOUND)
        return GL_OK;
    if (rc == MDB_SUCCESS && v.mv_size != 8)
        return GL_ERR_STORAGE;
    if (rc == MDB_SUCCESS)
        *seq = gl_rd64(v.mv_data);
    return status_of("get journal_seq", rc);
}

int store_journal_seq_put(store_txn *t, uint64_t seq)
{
    uint8_t be[8];
    gl_be64(be, seq);
    MDB_val k = {sizeof journal_seq_key - 1, (void *)journal_seq_key}, v = {8, be};
    return status_of("put journal_seq", mdb_put(t->txn, t->s->dbi[DB_META], &k, &v, 0));
}

static MDB_dbi dbi_of(store_txn *t, enum store_db db)
{
    GL_ASSERT(t && db < DB_COUNT_);
    return t->s->dbi[db];
}

int store_get(store_txn *t, enum store_db db, const void *key, size_t key_len, store_val *val)
{
    MDB_val k = {key_len, (void *)key}, v;
    int rc = mdb_get(t->txn, dbi_of(t, db), &k, &v);
    if (rc == MDB_SUCCESS) {
        val->ptr = v.mv_data;
        val->len = v.mv_size;
    }
    return status_of_db("get", db, rc);
}

int store_put(store_txn *t, enum store_db db, const void *key, size_t key_len, const void *val,
              size_t val_len)
{
    MDB_val k = {key_len, (void *)key}, v = {val_len, (void *)val};
    int st = status_of_db("put", db, mdb_put(t->txn, dbi_of(t, db), &k, &v, 0));
    if (st == GL_OK)
        log_op(t, STORE_OP_PUT, db, key, key_len, val, val_len);
    return st;
}

int store_del(store_txn *t, enum store_db db, const void *key, size_t key_len)
{
    MDB_val k = {key_len, (void *)key};
    int st = status_of_db("del", db, mdb_del(t->txn, dbi_of(t, db), &k, NULL));
    if (st == GL_OK)
        log_op(t, STORE_OP_DEL, db, key, key_len, NULL, 0);
    return st;
}

int store_cursor_open(store_txn *t, enum store_db db, store_cursor **out)
{
    return status_of_db("cursor open", db, mdb_cursor_open(t->txn, dbi_of(t, db), out));
}

void store_cursor_close(store_cursor *c) { mdb_cursor_close(c); }

static int cursor_op(store_cursor *c, MDB_val *k, MDB_cursor_op op, store_val *ko, store_val *vo)
{
    MDB_val v;
    int rc = mdb_cursor_get(c, k, &v, op);
    if (rc == MDB_SUCCESS) {
        ko->ptr = k->mv_data;
        ko->len = k->mv_size;
        vo->ptr = v.mv_data;
        vo->len = v.mv_size;
    }
    return status_of("cursor get", rc);
}

int store_seek(store_cursor *c, const void *key, size_t key_len, store_val *ko, store_val *vo)
{
    MDB_val k = {key_len, (void *)key};
    return cursor_op(c, &k, key_len ? MDB_SET_RANGE : MDB_FIRST, ko, vo);
}

int store_next(store_cursor *c, store_val *ko, store_val *vo)
{
    MDB_val k;
    return cursor_op(c, &k, MDB_NEXT, ko, vo);
}

int store_last(store_cursor *c, store_val *ko, store_val *vo)
{
    MDB_val k;
    return cursor_op(c, &k, MDB_LAST, ko, vo);
}

int store_seek_before(store_cursor *c, const void *key, size_t key_len, store_val *ko,
                      store_val *vo)
{
    store_val k2, v2;
    int st = store_seek(c, key, key_len, &k2, &v2);
    MDB_val k;
    if (st == GL_ERR_NOT_FOUND)
        return cursor_op(c, &k, MDB_LAST, ko, vo);
    if (st != GL_OK)
        return st;
    return cursor_op(c, &k, MDB_PREV, ko, vo);
}

int store_cursor_find(store_cursor *c, const void *key, size_t key_len, store_val *vo)
{
    MDB_val k = {key_len, (void *)key}, v;
    int rc = mdb_cursor_get(c, &k, &v, MDB_SET_KEY);
    if (rc == MDB_SUCCESS) {
        vo->ptr = v.mv_data;
        vo->len = v.mv_size;
    }
    return status_of("cursor get", rc);
}

int store_cursor_put(store_txn *t, store_cursor *c, enum store_db db, const void *key,
                     size_t key_len, const void *val, size_t val_len, bool current)
{
    MDB_val k = {key_len, (void *)key}, v = {val_len, (void *)val};
    int st = status_of_db("put", db, mdb_cursor_put(c, &k, &v, current ? MDB_CURRENT : 0));
    if (st == GL_OK)
        log_op(t, STORE_OP_PUT, db, key, key_len, val, val_len);
    return st;
}

int store_cursor_del(store_txn *t, store_cursor *c, enum store_db db, const void *key,
                     size_t key_len)
{
    int st = status_of_db("del", db, mdb_cursor_del(c, 0));
    if (st == GL_OK)
        log_op(t, STORE_OP_DEL, db, key, key_len, NULL, 0);
    return st;
}

bool store_has_prefix(store_val k, const void *prefix, size_t prefix_len)
{
    return k.len >= prefix_len && memcmp(k.ptr, prefix, prefix_len) == 0;
}

int store_scan_open(store_scan *s, store_txn *t, enum store_db db)
{
    memset(s, 0, sizeof *s);
    s->st = store_cursor_open(t, db, &s->c);
    if (s->st != GL_OK)
        s->c = NULL;
    return s->st;
}

void store_scan_seek(store_scan *s, const void *start, size_t start_len, size_t prefix_len)
{
    GL_ASSERT(start_len <= STORE_KEY_MAX && prefix_len <= start_len);
    if (s->st != GL_OK && s->st != GL_ERR_NOT_FOUND)
        return; /* a failed scan stays failed */
    if (start_len)
        memcpy(s->start, start, start_len);
    s->start_len = start_len;
    s->prefix_len = prefix_len;
    s->started = false;
    s->st = GL_OK;
}

int store_scan_begin(store_scan *s, store_txn *t, enum store_db db, const void *start,
                     size_t start_len, size_t prefix_len)
{
    if (store_scan_open(s, t, db) == GL_OK)
        store_scan_seek(s, start, start_len, prefix_len);
    return s->st;
}

bool store_scan_next(store_scan *s)
{
    if (s->st != GL_OK || !s->c)
        return false;
    int st = s->started ? store_next(s->c, &s->k, &s->v)
                        : store_seek(s->c, s->start, s->start_len, &s->k, &s->v);
    s->started = true;
    if (st == GL_OK && !store_has_prefix(s->k, s->start, s->prefix_len))
        st = GL_ERR_NOT_FOUND;
    s->st = st;
    return st == GL_OK;
}

int store_scan_close(store_scan *s, int st)
{
    if (s->c)
        store_cursor_close(s->c);
    s->c = NULL;
    if (st != GL_OK)
        return st;
    return s->st == GL_ERR_NOT_FOUND ? GL_OK : s->st;
}

const char *store_lmdb_version(void) { return mdb_version(NULL, NULL, NULL); }
