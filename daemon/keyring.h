/*
 * daemon/keyring.h — the keyring's history in the ledger, kept in step with
 * the configuration.
 *
 * The configuration says which keys are valid now; the LMDB database
 * DB_KEYRING (format in store/store.h) remembers when each key was valid,
 * so that entries a key signed before it was revoked or removed still
 * verify years later, and so that a revoked key stays revoked even if a
 * later configuration forgets to say so.
 *
 * A sync records the configuration: tenant records for new tenants, a new
 * history record for each new or changed key, and the end of the interval
 * of each key revoked, changed or removed.  At start it runs in its own
 * transaction before the worker threads exist (keyring_sync_now); on
 * SIGHUP it runs on the writer thread as an internal job (keyring_job_*),
 * inside the writer's batch transaction like any write, so that it never
 * competes with the writer for LMDB's single write lock and is ordered with
 * the requests around it.  The transport swaps in the new configuration
 * only when that job comes back committed.
 */
#ifndef GL_KEYRING_H
#define GL_KEYRING_H

#include "config.h"
#include "job.h"
#include "store/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The kind of the internal sync job: never a wire kind (gl_kind_known). */
#define KEYRING_JOB_KIND 0xffffu

/* Mark revoked every key of cfg whose history says it was revoked (a read
 * transaction), with a warning on stderr for each that the configuration
 * still lists as valid.  GL_OK or a storage status (cfg then unchanged). */
int keyring_mark_revoked(store *s, gl_config *cfg);

/* Record cfg's tenants and keyring in t at daemon time now_ms.  GL_OK or a
 * storage status (t must then be aborted). */
int keyring_sync(store_txn *t, const gl_config *cfg, int64_t now_ms);
/* keyring_sync in its own write transaction, committed.  Only while no
 * other thread writes (at start). */
int keyring_sync_now(store *s, const gl_config *cfg, int64_t now_ms);

/* A sync job for the writer, carrying cfg and, on a reload, the running
 * configuration it is to replace (NULL when out of memory). */
job *keyring_job_new(const gl_config *cfg, const gl_config *running);
bool keyring_job_is(const job *j);
/* On the writer thread: apply j's sync in a transaction nested in parent
 * and set j's reply status — GL_ERR_INPUT, writing nothing, when the
 * reload may not replace the running configuration (daemon/reload.h).
 * Returns true if it wrote (the parent's commit decides). */
bool keyring_job_apply(store *s, store_txn *parent, job *j, int64_t now_ms);
/* The outcome of an applied sync job: GL_OK or the status, with a
 * sentence in detail (for GL_ERR_INPUT, the reasons the reload is
 * refused). */
int keyring_job_status(const job *j, char *detail, size_t detail_len);

#endif
