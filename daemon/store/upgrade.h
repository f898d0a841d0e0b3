/*
 * daemon/store/upgrade.h — `grandlivred --upgrade`: bring a ledger written
 * by an earlier release up to the current schema (GL_SCHEMA_VERSION).
 *
 * Every change to what is stored raises GL_SCHEMA_VERSION and adds one step
 * to the table in upgrade.c; the daemon refuses to serve a ledger of
 * another schema (store_open).  The upgrade applies the steps from the
 * stored version up to the current one, each in its own write transaction
 * together with the new version number, so that an interrupted upgrade
 * leaves the ledger at a version it names and running it again resumes
 * there; on a current ledger it does nothing; on a newer one it refuses.
 * Run it with the daemon stopped, after a backup.
 */
#ifndef GL_STORE_UPGRADE_H
#define GL_STORE_UPGRADE_H

#include <stddef.h>
#include <stdint.h>

/* Told after each step is committed: from -> from + 1, and what it did. */
typedef void (*store_upgrade_report_fn)(void *user, uint32_t from, uint32_t to, const char *what);

/* Upgrade the ledger in dir.  *from gets the version found.  GL_OK (also
 * when *from is already GL_SCHEMA_VERSION: nothing done); GL_ERR_NOT_FOUND
 * if dir holds no ledger (nothing created); GL_ERR_STORAGE (a sentence in
 * err) if the ledger is newer than this program, cannot be opened, or a
 * step failed (the steps before it stay committed); GL_ERR_MAP_FULL. */
int store_upgrade(const char *dir, uint64_t map_size_bytes, uint32_t *from,
                  store_upgrade_report_fn report, void *user, char *err, size_t err_len);

#endif
