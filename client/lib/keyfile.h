/*
 * client/lib/keyfile.h — internal to the client library (and its tests and
 * fuzzer): the key file's text, parsed and formatted without I/O.
 *
 * A key file is text, one "name: value" field a line after its first line:
 *
 *   grandlivre-key v1               grandlivre-key v1
 *   public: <64 hex>                public: <64 hex>
 *   seed: <64 hex>                  kdf: argon2id13
 *                                   opslimit: <decimal>
 *                                   memlimit: <decimal bytes>
 *                                   salt: <32 hex>
 *                                   nonce: <48 hex>
 *                                   sealed-seed: <96 hex>
 *
 * The left form (unprotected) is the one every earlier version wrote, and
 * stays valid.  The right form (protected) seals the Ed25519 seed with
 * crypto_secretbox under a key derived from a passphrase with Argon2id
 * (crypto_pwhash), with the limits the file names (bounded on reading, so a
 * hostile file cannot ask for unbounded memory).  The parser is strict:
 * every field of its form exactly once, nothing else, hex of the exact
 * length, no NUL or CR, at most GL_KEYFILE_MAX bytes; blank lines and a
 * missing final newline are tolerated.
 */
#ifndef GL_KEYFILE_H
#define GL_KEYFILE_H

#include "grandlivre.h"

#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GL_KEYFILE_MAX 4096
#define GL_KEYFILE_MAGIC "grandlivre-key v1"
#define GL_KEYFILE_KDF "argon2id13"

typedef struct gl_keyfile {
    uint8_t pk[32];
    bool sealed;
    uint8_t seed[32];            /* unprotected files */
    unsigned long long opslimit; /* protected files: */
    size_t memlimit;
    uint8_t salt[crypto_pwhash_SALTBYTES];
    uint8_t nonce[crypto_secretbox_NONCEBYTES];
    uint8_t box[32 + crypto_secretbox_MACBYTES];
} gl_keyfile;

/* Parse len bytes of text. GL_OK or GL_ERR_KEYFILE with a sentence in err. */
int gl_keyfile_parse(const char *text, size_t len, gl_keyfile *out, char *err, size_t err_len);
/* The key pair of a parsed file; pass is read only for protected files.
 * Checks that the public key matches.  GL_OK or GL_ERR_KEYFILE. */
int gl_keyfile_open(const gl_keyfile *kf, const char *pass, size_t pass_len, gl_key *out, char *err,
                    size_t err_len);
/* The text of a file for seed: unprotected if pass is NULL, else sealed
 * with the given Argon2id limits.  out gets at most GL_KEYFILE_MAX bytes
 * and a NUL.  GL_OK or GL_ERR_KEYFILE. */
int gl_keyfile_format(const uint8_t seed[32], const char *pass, size_t pass_len,
                      unsigned long long opslimit, size_t memlimit, char *out, size_t out_len,
                      char *err, size_t err_len);
void gl_keyfile_wipe(gl_keyfile *kf);

#endif
