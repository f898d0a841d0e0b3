/*
 * tests/fuzz/fuzz_keyfile.c — libFuzzer target for the key file parser
 * (client/lib/keyfile.c, gl_keyfile_parse).  Any byte string is either
 * refused, with the parsed fields wiped, or parsed into one of the two
 * forms; an unprotected file that opens must give the key pair its seed
 * derives, and formatting that seed again must parse back to the same
 * public key.  A protected file's limits must be within the bounds the
 * parser promises; when they are cheap, opening it with a guessed
 * passphrase runs the KDF and must fail cleanly (the MAC).
 * Seeds: tests/fuzz/corpus/fuzz_keyfile/.
 */
#include "client/lib/keyfile.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_plain(const gl_keyfile *kf)
{
    gl_key key;
    char err[256], text[GL_KEYFILE_MAX + 1];
    if (gl_keyfile_open(kf, NULL, 0, &key, err, sizeof err) != GL_OK)
        return; /* a public key that does not match its seed */
    if (memcmp(key.pk, kf->pk, 32) != 0)
        abort();
    if (gl_keyfile_format(kf->seed, NULL, 0, 0, 0, text, sizeof text, err, sizeof err) != GL_OK)
        abort();
    gl_keyfile again;
    if (gl_keyfile_parse(text, strlen(text), &again, err, sizeof err) != GL_OK || again.sealed ||
        memcmp(again.pk, kf->pk, 32) != 0)
        abort();
    gl_key_wipe(&key);
    gl_keyfile_wipe(&again);
}

static void check_sealed(const gl_keyfile *kf)
{
    if (kf->opslimit < crypto_pwhash_OPSLIMIT_MIN ||
        kf->opslimit > crypto_pwhash_OPSLIMIT_SENSITIVE ||
        kf->memlimit < crypto_pwhash_MEMLIMIT_MIN ||
        kf->memlimit > crypto_pwhash_MEMLIMIT_SENSITIVE)
        abort();
    if (kf->opslimit > 1 || kf->memlimit > 65536)
        return; /* too slow to try on every input */
    gl_key key;
    char err[256];
    int st = gl_keyfile_open(kf, "guess", 5, &key, err, sizeof err);
    if (st == GL_OK && memcmp(key.pk, kf->pk, 32) != 0)
        abort();
    gl_key_wipe(&key);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready && sodium_init() < 0)
        abort();
    ready = 1;
    gl_keyfile kf;
    char err[256];
    int st = gl_keyfile_parse((const char *)data, size, &kf, err, sizeof err);
    if (st != GL_OK) {
        static const gl_keyfile zero;
        if (st != GL_ERR_KEYFILE || memcmp(&kf, &zero, sizeof kf) != 0 || !err[0])
            abort();
        return 0;
    }
    if (kf.sealed)
        check_sealed(&kf);
    else
        check_plain(&kf);
    gl_keyfile_wipe(&kf);
    return 0;
}
