/*
 * client/lib/keyfile.c — key files.  Format (text, one field a line):
 *   grandlivre-key v1
 *   public: <64 hex>
 *   seed: <64 hex>
 * The seed is the Ed25519 seed; the secret key is derived from it and the
 * public key checked against it.  Files are created 0600 with O_EXCL and
 * refused when readable by group or others.  Secrets are wiped after use.
 */
#include "grandlivre.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_MAGIC "grandlivre-key v1"

void gl_hex(const uint8_t *p, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 15];
    }
    out[2 * n] = '\0';
}

static int unhex(const char *s, uint8_t *out, size_t n)
{
    size_t bin_len;
    if (strlen(s) != 2 * n || sodium_hex2bin(out, n, s, 2 * n, NULL, &bin_len, NULL) != 0 || bin_len != n)
        return -1;
    return 0;
}

int gl_key_generate(const char *path, uint8_t pk_out[32], char *err, size_t err_len)
{
    uint8_t seed[32], pk[32], sk[64];
    char seed_hex[65], pk_hex[65];
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        snprintf(err, err_len, "cannot create %s: %s", path, strerror(errno));
        return GL_ERR_KEYFILE;
    }
    randombytes_buf(seed, sizeof seed);
    crypto_sign_seed_keypair(pk, sk, seed);
    gl_hex(seed, 32, seed_hex);
    gl_hex(pk, 32, pk_hex);
    char text[256];
    int n = snprintf(text, sizeof text, "%s\npublic: %s\nseed: %s\n", KEY_MAGIC, pk_hex, seed_hex);
    bool ok = n > 0 && write(fd, text, (size_t)n) == n && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    sodium_memzero(seed, sizeof seed);
    sodium_memzero(sk, sizeof sk);
    sodium_memzero(seed_hex, sizeof seed_hex);
    sodium_memzero(text, sizeof text);
    if (!ok) {
        unlink(path);
        snprintf(err, err_len, "cannot write %s", path);
        return GL_ERR_KEYFILE;
    }
    memcpy(pk_out, pk, 32);
    return GL_OK;
}

static int parse_key_text(char *text, gl_key *out, const char *path, char *err, size_t err_len)
{
    char pub_hex[80] = "", seed_hex[80] = "";
    uint8_t seed[32], pk_file[32];
    char *save = NULL;
    char *line = strtok_r(text, "\n", &save);
    if (!line || strcmp(line, KEY_MAGIC) != 0) {
        snprintf(err, err_len, "%s is not a grandlivre key file", path);
        return GL_ERR_KEYFILE;
    }
    while ((line = strtok_r(NULL, "\n", &save))) {
        if (!strncmp(line, "public: ", 8))
            snprintf(pub_hex, sizeof pub_hex, "%s", line + 8);
        else if (!strncmp(line, "seed: ", 6))
            snprintf(seed_hex, sizeof seed_hex, "%s", line + 6);
    }
    int st = GL_OK;
    if (unhex(pub_hex, pk_file, 32) || unhex(seed_hex, seed, 32)) {
        snprintf(err, err_len, "%s: malformed public or seed field", path);
        st = GL_ERR_KEYFILE;
    } else {
        crypto_sign_seed_keypair(out->pk, out->sk, seed);
        if (memcmp(out->pk, pk_file, 32) != 0) {
            snprintf(err, err_len, "%s: the public key does not match the seed", path);
            st = GL_ERR_KEYFILE;
        }
    }
    sodium_memzero(seed, sizeof seed);
    sodium_memzero(seed_hex, sizeof seed_hex);
    if (st != GL_OK)
        gl_key_wipe(out);
    return st;
}

int gl_key_load(const char *path, gl_key *out, char *err, size_t err_len)
{
    memset(out, 0, sizeof *out);
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        snprintf(err, err_len, "cannot open key file %s: %s", path, strerror(errno));
        return GL_ERR_KEYFILE;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || (sb.st_mode & 077)) {
        close(fd);
        snprintf(err, err_len, "key file %s is readable by others (mode %03o): run chmod 600 %s", path,
                 (unsigned)(sb.st_mode & 0777), path);
        return GL_ERR_KEYFILE;
    }
    char text[1024];
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n <= 0) {
        snprintf(err, err_len, "cannot read key file %s", path);
        return GL_ERR_KEYFILE;
    }
    text[n] = '\0';
    int st = parse_key_text(text, out, path, err, err_len);
    sodium_memzero(text, sizeof text);
    return st;
}

void gl_key_wipe(gl_key *key) { sodium_memzero(key, sizeof *key); }
