/*
 * daemon/store/keyring_store.h — the keyring's history in the LMDB database
 * DB_KEYRING (record format in store.h): one record per interval during
 * which a public key was valid with a given role and tenant.  A key's
 * records are contiguous (the key begins with the public key) and in time
 * order (then since_ms, big-endian); only the last one may be open
 * (until_ms 0).  daemon/keyring.c decides what to write; this file only
 * encodes, decodes, reads and writes records.
 *
 * Functions return a gl_status: GL_OK, GL_ERR_NOT_FOUND (no record),
 * GL_ERR_STORAGE (a record that does not decode), or a store status.
 */
#ifndef GL_KEYRING_STORE_H
#define GL_KEYRING_STORE_H

#include "store.h"

#include "proto/limits.h"
#include "proto/wire.h"

#include <stdint.h>

#define KEYRING_REC_FORMAT 1
#define KEYRING_KEY_LEN (32 + 8)
#define KEYRING_NAME_MAX 63

/* Why an interval ended (end): */
enum keyring_end {
    KEYRING_OPEN = 0,    /* still valid (until_ms 0) */
    KEYRING_REVOKED = 1, /* revoked: the key never becomes valid again */
    KEYRING_REMOVED = 2, /* its section left the configuration */
    KEYRING_CHANGED = 3, /* its role, tenant or name changed: the next record follows */
};

typedef struct keyring_rec {
    uint8_t pub[32];  /* the Ed25519 public key */
    int64_t since_ms; /* daemon time the interval began */
    int64_t until_ms; /* daemon time it ended; 0 while open */
    uint8_t end;      /* enum keyring_end */
    uint8_t role;     /* enum gl_role: 1 member, 2 accountant, 3 auditor */
    char tenant[GL_TENANT_MAX + 1];
    char name[KEYRING_NAME_MAX + 1];
} keyring_rec;

/* Encode r's key (KEYRING_KEY_LEN bytes) and value into out (reset first). */
void keyring_rec_key(const keyring_rec *r, uint8_t key[KEYRING_KEY_LEN]);
void keyring_rec_value(const keyring_rec *r, gl_buf *out);
/* The signer and since_ms of a stored key; false if it has another length. */
bool keyring_key_parse(const uint8_t *key, size_t key_len, const uint8_t **signer,
                       uint64_t *since_ms);
/* Decode a stored key and value. GL_OK or GL_ERR_STORAGE. */
int keyring_rec_decode(const uint8_t *key, size_t key_len, const uint8_t *val, size_t val_len,
                       keyring_rec *out);

/* The last record of pub. GL_OK, GL_ERR_NOT_FOUND or a storage status. */
int keyring_rec_latest(store_txn *t, const uint8_t pub[32], keyring_rec *out);
/* Write r (replacing the record with the same key and since_ms). */
int keyring_rec_put(store_txn *t, const keyring_rec *r);
/* Call fn on every record in key order; stops at the first status other
 * than GL_OK that fn returns, and returns it. */
int keyring_rec_each(store_txn *t, int (*fn)(const keyring_rec *r, void *user), void *user);

#endif
