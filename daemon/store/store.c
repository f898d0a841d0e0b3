/*
 * daemon/store/store.c — LMDB environment, databases and thin wrappers that
 * turn LMDB's return codes into statuses.  Opens every DBI once at start.
 */
#include "store.h"

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
    uint8_t ledger_id[STORE_LEDGER_ID_BYTES]; /* meta "ledger_id", read at open */
};

static const char *const db_names[DB_COUNT_] = {
    "meta", "tenants", "accounts", "events", "entries",
    "by_account", "balances", "daily", "requests", "envelopes",
    "keyring", "periods", "reversed", "letters", "lettered",
    "partner_daily", "partner_lines", "recharge_keys", "acct_months", "acct_days", "aux_labels",
};

/* The store in use by transactions (one per process). */
static store *current_store;

static int status_of(int rc)
{
    switch (rc) {
    case MDB_SUCCESS: return GL_OK;
    case MDB_NOTFOUND: return GL_ERR_NOT_FOUND;
    case MDB_MAP_FULL: return GL_ERR_MAP_FULL;
    case ENOSPC: return GL_ERR_MAP_FULL;
    default: return GL_ERR_STORAGE;
    }
}

static int check_schema(store *s, MDB_txn *txn, char *err, size_t err_len)
{
    static const char key[] = "schema_version";
    MDB_val k = {sizeof key - 1, (void *)key}, v;
    int rc = mdb_get(txn, s->dbi[DB_META], &k, &v);
    if (rc == MDB_NOTFOUND) {
        uint8_t be[4];
        gl_be32(be, GL_SCHEMA_VERSION);
        MDB_val nv = {4, be};
        rc = mdb_put(txn, s->dbi[DB_META], &k, &nv, 0);
        if (rc)
            snprintf(err, err_len, "cannot record schema version: %s", mdb_strerror(rc));
        return rc ? GL_ERR_STORAGE : GL_OK;
    }
    if (rc) {
        snprintf(err, err_len, "cannot read schema version: %s", mdb_strerror(rc));
        return GL_ERR_STORAGE;
    }
    uint32_t version = v.mv_size == 4 ? gl_rd32(v.mv_data) : 0;
    if (version != GL_SCHEMA_VERSION) {
        snprintf(err, err_len, "data directory has schema version %u, this daemon knows %u: refusing to open it",
                 version, GL_SCHEMA_VERSION);
        return GL_ERR_STORAGE;
    }
    return GL_OK;
}

/* The ledger's id: created (random) with the data directory, never changed.
 * (Minimal version for protocol 2's work: the schema upgrade framework
 * creates it on upgraded ledgers.) */
static int ensure_ledger_id(store *s, MDB_txn *txn, char *err, size_t err_len)
{
    static const char key[] = "ledger_id";
    MDB_val k = {sizeof key - 1, (void *)key}, v;
    int rc = mdb_get(txn, s->dbi[DB_META], &k, &v);
    if (rc == MDB_SUCCESS && v.mv_size == STORE_LEDGER_ID_BYTES) {
        memcpy(s->ledger_id, v.mv_data, STORE_LEDGER_ID_BYTES);
        return GL_OK;
    }
    if (rc == MDB_SUCCESS || rc != MDB_NOTFOUND) {
        snprintf(err, err_len, "cannot read the ledger id: %s", rc ? mdb_strerror(rc) : "wrong size");
        return GL_ERR_STORAGE;
    }
    do
        randombytes_buf(s->ledger_id, sizeof s->ledger_id);
    while (sodium_is_zero(s->ledger_id, sizeof s->ledger_id)); /* all zero is PING's "none" */
    MDB_val nv = {sizeof s->ledger_id, s->ledger_id};
    rc = mdb_put(txn, s->dbi[DB_META], &k, &nv, 0);
    if (rc)
        snprintf(err, err_len, "cannot record the ledger id: %s", mdb_strerror(rc));
    return rc ? GL_ERR_STORAGE : GL_OK;
}

int store_ledger_id(store *s, uint8_t out[STORE_LEDGER_ID_BYTES])
{
    memcpy(out, s->ledger_id, STORE_LEDGER_ID_BYTES);
    return GL_OK;
}

int store_open(store **out, const char *dir, uint64_t map_size_bytes, char *err, size_t err_len)
{
    *out = NULL;
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, err_len, "cannot create %s: %s", dir, strerror(errno));
        return GL_ERR_STORAGE;
    }
    store *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, err_len, "out of memory");
        return GL_ERR_STORAGE;
    }
    MDB_txn *txn = NULL;
    int rc = mdb_env_create(&s->env);
    if (!rc) rc = mdb_env_set_maxdbs(s->env, DB_COUNT_ + 4);
    if (!rc) rc = mdb_env_set_maxreaders(s->env, 256);
    if (!rc) rc = mdb_env_set_mapsize(s->env, (size_t)map_size_bytes);
    if (!rc) rc = mdb_env_open(s->env, dir, MDB_NOTLS, 0600);
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
    if (check_schema(s, txn, err, err_len) != GL_OK || ensure_ledger_id(s, txn, err, err_len) != GL_OK)
        goto fail;
    rc = mdb_txn_commit(txn);
    txn = NULL;
    if (rc) {
        snprintf(err, err_len, "cannot commit: %s", mdb_strerror(rc));
        goto fail;
    }
    current_store = s;
    *out = s;
    return GL_OK;
fail:
    if (txn)
        mdb_txn_abort(txn);
    if (s->env)
        mdb_env_close(s->env);
    free(s);
    return GL_ERR_STORAGE;
}

void store_close(store *s)
{
    if (!s)
        return;
    mdb_env_close(s->env);
    if (current_store == s)
        current_store = NULL;
    free(s);
}

int store_backup(store *s, const char *path, char *err, size_t err_len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        snprintf(err, err_len, "cannot create %s: %s", path, strerror(errno));
        return GL_ERR_STORAGE;
    }
    int rc = mdb_env_copyfd2(s->env, fd, MDB_CP_COMPACT);
    if (rc == 0 && fsync(fd) != 0)
        rc = errno;
    if (close(fd) != 0 && rc == 0)
        rc = errno;
    if (rc != 0) {
        unlink(path);
        snprintf(err, err_len, "backup to %s failed: %s", path, mdb_strerror(rc));
        return GL_ERR_STORAGE;
    }
    return GL_OK;
}

int store_reader_check(store *s)
{
    int dead = 0;
    mdb_reader_check(s->env, &dead);
    return dead;
}

int store_begin(store *s, store_txn *parent, bool read_only, store_txn **out)
{
    return status_of(mdb_txn_begin(s->env, parent, read_only ? MDB_RDONLY : 0, out));
}

int store_commit(store_txn *t) { return status_of(mdb_txn_commit(t)); }
void store_abort(store_txn *t) { mdb_txn_abort(t); }

static MDB_dbi dbi_of(enum store_db db)
{
    GL_ASSERT(current_store && db < DB_COUNT_);
    return current_store->dbi[db];
}

int store_get(store_txn *t, enum store_db db, const void *key, size_t key_len, store_val *val)
{
    MDB_val k = {key_len, (void *)key}, v;
    int rc = mdb_get(t, dbi_of(db), &k, &v);
    if (rc == MDB_SUCCESS) {
        val->ptr = v.mv_data;
        val->len = v.mv_size;
    }
    return status_of(rc);
}

int store_put(store_txn *t, enum store_db db, const void *key, size_t key_len,
              const void *val, size_t val_len)
{
    MDB_val k = {key_len, (void *)key}, v = {val_len, (void *)val};
    return status_of(mdb_put(t, dbi_of(db), &k, &v, 0));
}

int store_del(store_txn *t, enum store_db db, const void *key, size_t key_len)
{
    MDB_val k = {key_len, (void *)key};
    return status_of(mdb_del(t, dbi_of(db), &k, NULL));
}

int store_cursor_open(store_txn *t, enum store_db db, store_cursor **out)
{
    return status_of(mdb_cursor_open(t, dbi_of(db), out));
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
    return status_of(rc);
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

int store_seek_before(store_cursor *c, const void *key, size_t key_len, store_val *ko, store_val *vo)
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

bool store_has_prefix(store_val k, const void *prefix, size_t prefix_len)
{
    return k.len >= prefix_len && memcmp(k.ptr, prefix, prefix_len) == 0;
}
