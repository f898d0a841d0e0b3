/*
 * daemon/persons.h — the key store of natural persons (issue 17,
 * PROTOCOL.md §9.2): one X25519 key pair per (tenant, third-party code),
 * to which clients seal a person's identifying block (proto/seal.h).  It
 * lives apart from the ledger, in files of its own under DATA_DIR/persons/,
 * never in data.mdb nor in the journal: destroying a key (FORGET) must be
 * possible while the ledger, which never forgets, keeps every sealed byte.
 *
 *   DATA_DIR/persons/<hex tenant id>/<hex code>.key   magic "GLPK" | 1 |
 *                                                     pk[32] | sk[32]
 *   DATA_DIR/persons/<hex tenant id>/<hex code>.gone  magic "GLPG" | 1 |
 *                                                     date u32 (YYYYMMDD)
 * A key file is written to a temporary name, synced, renamed and its
 * directory synced before the function returns: a key handed to a client
 * survives kill -9.  Destroying writes the .gone mark first (synced), then
 * overwrites the key file's bytes with zeros in place (synced) and unlinks
 * it (directory synced); a .gone mark wins over any .key left by a crash.
 * Every copy of a secret key in memory is wiped (sodium_memzero).
 *
 * Only the writer thread creates and destroys; readers (BACKUP, opening a
 * sealed block) only read, and see a key either whole or not at all.
 * Functions return a gl_status: GL_OK, GL_ERR_NOT_FOUND, GL_ERR_STORAGE
 * (with a sentence in err).
 */
#ifndef GL_DAEMON_PERSONS_H
#define GL_DAEMON_PERSONS_H

#include "proto/seal.h"
#include "proto/wire.h"

#include <stddef.h>
#include <stdint.h>

enum person_state {
    PERSON_NONE = 0,  /* never given a key */
    PERSON_KEY = 1,   /* a live key pair */
    PERSON_FORGOTTEN, /* its key was destroyed */
};

/* The state of (tenant, code)'s key, with *gone_date the date of its
 * destruction when PERSON_FORGOTTEN (may be NULL). */
int persons_state(const char *data_dir, gl_str tenant, gl_str code, enum person_state *out,
                  uint32_t *gone_date);
/* The public key of (tenant, code), created (durably) if it has none:
 * GL_OK; GL_ERR_NOT_FOUND if its key was destroyed (never made again). */
int persons_get_or_create(const char *data_dir, gl_str tenant, gl_str code,
                          uint8_t pk[GL_PERSON_PK_BYTES], char *err, size_t err_len);
/* The number of live keys of tenant into *n (0 if it has none): GL_OK or
 * GL_ERR_STORAGE. */
int persons_count(const char *data_dir, gl_str tenant, size_t *n);
/* Open a block sealed to (tenant, code) into out: GL_OK;
 * GL_ERR_NOT_FOUND if it has no live key; GL_ERR_STORAGE if the bytes do
 * not open with it. */
int persons_open_sealed(const char *data_dir, gl_str tenant, gl_str code, const uint8_t *sealed,
                        size_t sealed_len, gl_buf *out);
/* Destroy (tenant, code)'s key, marking it forgotten on date: GL_OK (also
 * when it was already destroyed); GL_ERR_NOT_FOUND if it never had one. */
int persons_destroy(const char *data_dir, gl_str tenant, gl_str code, uint32_t date, char *err,
                    size_t err_len);
/* Append r's canonical bytes to out as a reader shows them: a record
 * sealed to a live key opened (its ident in clear, GL_TP_SEALED cleared);
 * any other as stored (a forgotten person's stays sealed: nothing opens
 * it).  GL_OK, or GL_ERR_STORAGE (a sealed block its key does not open). */
struct gl_third_party;
int persons_record_put(const char *data_dir, gl_str tenant, const struct gl_third_party *r,
                       gl_buf *out);
/* Copy the whole key store into the new directory dest (0700; its files
 * 0600, synced): the accountant's backup beside the ledger's copy.  No
 * store yet (no person ever had a key): nothing is created, GL_OK.
 * GL_ERR_BACKUP_EXISTS if dest exists; GL_ERR_STORAGE otherwise on failure
 * (what was copied stays, named in err). */
int persons_backup(const char *data_dir, const char *dest, char *err, size_t err_len);
/* At start, before the writer: shred every key left beside its .gone mark
 * (a FORGET cut off between the two), so that no secret key of a forgotten
 * person stays on disk.  GL_OK or GL_ERR_STORAGE (err). */
int persons_sweep(const char *data_dir, char *err, size_t err_len);

#endif
