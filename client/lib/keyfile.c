/*
 * client/lib/keyfile.c — key files (format in keyfile.h).  The seed is the
 * Ed25519 seed; the secret key is derived from it and the public key
 * checked against it.  Files are created 0600 with O_EXCL (never
 * overwritten) and refused when readable by group or others.  Secrets
 * (seed, derived keys, passphrases, the file's text) are wiped with
 * sodium_memzero on every way out.
 */
#include "keyfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void gl_hex(const uint8_t *p, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 15];
    }
    out[2 * n] = '\0';
}

void gl_key_wipe(gl_key *key) { sodium_memzero(key, sizeof *key); }
void gl_keyfile_wipe(gl_keyfile *kf) { sodium_memzero(kf, sizeof *kf); }

/* --- parsing ----------------------------------------------------------- */

enum field { F_PUBLIC, F_SEED, F_KDF, F_OPSLIMIT, F_MEMLIMIT, F_SALT, F_NONCE, F_SEALED, F_COUNT };
static const char *const field_names[F_COUNT] = {"public",   "seed", "kdf",   "opslimit",
                                                 "memlimit", "salt", "nonce", "sealed-seed"};
#define PLAIN_FIELDS (1u << F_PUBLIC | 1u << F_SEED)
#define SEALED_FIELDS                                                                    \
    (1u << F_PUBLIC | 1u << F_KDF | 1u << F_OPSLIMIT | 1u << F_MEMLIMIT | 1u << F_SALT | \
     1u << F_NONCE | 1u << F_SEALED)

static int unhex(const char *s, size_t len, uint8_t *out, size_t n)
{
    size_t bin_len;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
              (s[i] >= 'A' && s[i] <= 'F')))
            return -1;
    if (len != 2 * n || sodium_hex2bin(out, n, s, len, NULL, &bin_len, NULL) != 0 || bin_len != n)
        return -1;
    return 0;
}

/* A decimal from min to max, digits only. */
static int decimal(const char *s, size_t len, unsigned long long min, unsigned long long max,
                   unsigned long long *out)
{
    unsigned long long v = 0;
    if (len == 0 || len > 20)
        return -1;
    for (size_t i = 0; i < len; i++) {
        unsigned d = (unsigned)(s[i] - '0');
        if (s[i] < '0' || s[i] > '9' || d > max || v > (max - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    if (v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static int set_field(gl_keyfile *kf, enum field f, const char *v, size_t n)
{
    unsigned long long x;
    switch (f) {
    case F_PUBLIC: return unhex(v, n, kf->pk, sizeof kf->pk);
    case F_SEED: return unhex(v, n, kf->seed, sizeof kf->seed);
    case F_KDF: return n == strlen(GL_KEYFILE_KDF) && !memcmp(v, GL_KEYFILE_KDF, n) ? 0 : -1;
    case F_OPSLIMIT:
        return decimal(v, n, crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_OPSLIMIT_SENSITIVE,
                       &kf->opslimit);
    case F_MEMLIMIT:
        if (decimal(v, n, crypto_pwhash_MEMLIMIT_MIN, crypto_pwhash_MEMLIMIT_SENSITIVE, &x) != 0)
            return -1;
        kf->memlimit = (size_t)x;
        return 0;
    case F_SALT: return unhex(v, n, kf->salt, sizeof kf->salt);
    case F_NONCE: return unhex(v, n, kf->nonce, sizeof kf->nonce);
    case F_SEALED: return unhex(v, n, kf->box, sizeof kf->box);
    default: return -1;
    }
}

/* One "name: value" line. */
static int parse_line(const char *line, size_t n, gl_keyfile *kf, unsigned *seen, char *err,
                      size_t err_len)
{
    const char *colon = memchr(line, ':', n);
    if (!colon || colon + 1 == line + n || colon[1] != ' ') {
        snprintf(err, err_len, "a line is not 'name: value'");
        return GL_ERR_KEYFILE;
    }
    size_t name_len = (size_t)(colon - line);
    for (int f = 0; f < F_COUNT; f++) {
        if (strlen(field_names[f]) != name_len || memcmp(line, field_names[f], name_len))
            continue;
        if (*seen & (1u << f)) {
            snprintf(err, err_len, "field '%s' appears twice", field_names[f]);
            return GL_ERR_KEYFILE;
        }
        *seen |= 1u << f;
        if (set_field(kf, (enum field)f, colon + 2, n - name_len - 2) != 0) {
            snprintf(err, err_len, "field '%s' is malformed or out of range", field_names[f]);
            return GL_ERR_KEYFILE;
        }
        return GL_OK;
    }
    snprintf(err, err_len, "unknown field '%.*s'", (int)(name_len < 32 ? name_len : 32), line);
    return GL_ERR_KEYFILE;
}

int gl_keyfile_parse(const char *text, size_t len, gl_keyfile *out, char *err, size_t err_len)
{
    memset(out, 0, sizeof *out);
    size_t magic_len = strlen(GL_KEYFILE_MAGIC);
    if (len > GL_KEYFILE_MAX || memchr(text, '\0', len) || memchr(text, '\r', len)) {
        snprintf(err, err_len, "not a grandlivre key file (too long, or NUL or CR bytes)");
        return GL_ERR_KEYFILE;
    }
    if (len < magic_len || memcmp(text, GL_KEYFILE_MAGIC, magic_len) ||
        (len > magic_len && text[magic_len] != '\n')) {
        snprintf(err, err_len, "not a grandlivre key file (its first line is not '%s')",
                 GL_KEYFILE_MAGIC);
        return GL_ERR_KEYFILE;
    }
    unsigned seen = 0;
    int st = GL_OK;
    for (size_t pos = magic_len + 1; st == GL_OK && pos < len;) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
        if (n)
            st = parse_line(text + pos, n, out, &seen, err, err_len);
        pos += n + 1;
    }
    if (st == GL_OK && seen != PLAIN_FIELDS && seen != SEALED_FIELDS) {
        snprintf(err, err_len,
                 "fields missing or mixed (want public and seed, or public and the sealed fields)");
        st = GL_ERR_KEYFILE;
    }
    out->sealed = seen == SEALED_FIELDS;
    if (st != GL_OK)
        gl_keyfile_wipe(out);
    return st;
}

static int derive(uint8_t key[32], const char *pass, size_t pass_len, const uint8_t *salt,
                  unsigned long long opslimit, size_t memlimit)
{
    return crypto_pwhash(key, 32, pass, pass_len, salt, opslimit, memlimit,
                         crypto_pwhash_ALG_ARGON2ID13);
}

int gl_keyfile_open(const gl_keyfile *kf, const char *pass, size_t pass_len, gl_key *out, char *err,
                    size_t err_len)
{
    uint8_t seed[32], key[32];
    int st = GL_OK;
    memset(out, 0, sizeof *out);
    if (!kf->sealed) {
        memcpy(seed, kf->seed, 32);
    } else if (!pass || pass_len == 0 || pass_len > GL_PASSPHRASE_MAX) {
        snprintf(err, err_len, "this key file is protected by a passphrase");
        st = GL_ERR_KEYFILE;
    } else if (derive(key, pass, pass_len, kf->salt, kf->opslimit, kf->memlimit) != 0) {
        snprintf(err, err_len, "cannot derive the key from the passphrase (out of memory?)");
        st = GL_ERR_KEYFILE;
    } else if (crypto_secretbox_open_easy(seed, kf->box, sizeof kf->box, kf->nonce, key) != 0) {
        snprintf(err, err_len, "wrong passphrase or damaged file");
        st = GL_ERR_KEYFILE;
    }
    if (st == GL_OK) {
        crypto_sign_seed_keypair(out->pk, out->sk, seed);
        if (sodium_memcmp(out->pk, kf->pk, 32) != 0) {
            snprintf(err, err_len, "the public key does not match the seed");
            st = GL_ERR_KEYFILE;
        }
    }
    sodium_memzero(seed, sizeof seed);
    sodium_memzero(key, sizeof key);
    if (st != GL_OK)
        gl_key_wipe(out);
    return st;
}

/* --- formatting and files ---------------------------------------------- */

static int format_sealed(const uint8_t seed[32], const uint8_t pk[32], const char *pass,
                         size_t pass_len, unsigned long long opslimit, size_t memlimit, char *out,
                         size_t out_len)
{
    uint8_t salt[crypto_pwhash_SALTBYTES], nonce[crypto_secretbox_NONCEBYTES], key[32];
    uint8_t box[32 + crypto_secretbox_MACBYTES];
    char pk_hex[65], salt_hex[2 * sizeof salt + 1], nonce_hex[2 * sizeof nonce + 1],
        box_hex[2 * sizeof box + 1];
    randombytes_buf(salt, sizeof salt);
    randombytes_buf(nonce, sizeof nonce);
    if (derive(key, pass, pass_len, salt, opslimit, memlimit) != 0)
        return -1;
    crypto_secretbox_easy(box, seed, 32, nonce, key);
    sodium_memzero(key, sizeof key);
    gl_hex(pk, 32, pk_hex);
    gl_hex(salt, sizeof salt, salt_hex);
    gl_hex(nonce, sizeof nonce, nonce_hex);
    gl_hex(box, sizeof box, box_hex);
    int n = snprintf(
        out, out_len,
        "%s\npublic: %s\nkdf: %s\nopslimit: %llu\nmemlimit: %zu\nsalt: %s\nnonce: %s\nsealed-seed: %s\n",
        GL_KEYFILE_MAGIC, pk_hex, GL_KEYFILE_KDF, opslimit, memlimit, salt_hex, nonce_hex, box_hex);
    return n > 0 && (size_t)n < out_len ? 0 : -1;
}

int gl_keyfile_format(const uint8_t seed[32], const char *pass, size_t pass_len,
                      unsigned long long opslimit, size_t memlimit, char *out, size_t out_len,
                      char *err, size_t err_len)
{
    uint8_t pk[32], sk[64];
    char pk_hex[65], seed_hex[65];
    crypto_sign_seed_keypair(pk, sk, seed);
    sodium_memzero(sk, sizeof sk);
    int rc;
    if (pass && (pass_len == 0 || pass_len > GL_PASSPHRASE_MAX)) {
        snprintf(err, err_len, "a passphrase must be 1 to %d bytes", GL_PASSPHRASE_MAX);
        return GL_ERR_KEYFILE;
    }
    if (pass) {
        rc = format_sealed(seed, pk, pass, pass_len, opslimit, memlimit, out, out_len);
    } else {
        gl_hex(pk, 32, pk_hex);
        gl_hex(seed, 32, seed_hex);
        int n = snprintf(out, out_len, "%s\npublic: %s\nseed: %s\n", GL_KEYFILE_MAGIC, pk_hex,
                         seed_hex);
        rc = n > 0 && (size_t)n < out_len ? 0 : -1;
        sodium_memzero(seed_hex, sizeof seed_hex);
    }
    if (rc != 0) {
        snprintf(err, err_len, "cannot format the key file (out of memory?)");
        return GL_ERR_KEYFILE;
    }
    return GL_OK;
}

static int write_new_file(const char *path, const char *text, size_t len, char *err, size_t err_len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(err, err_len, "cannot create %s: %s", path, strerror(errno));
        return GL_ERR_KEYFILE;
    }
    bool ok = write(fd, text, len) == (ssize_t)len && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok) {
        unlink(path);
        snprintf(err, err_len, "cannot write %s", path);
        return GL_ERR_KEYFILE;
    }
    return GL_OK;
}

int gl_key_generate_protected(const char *path, const char *passphrase, uint8_t pk_out[32],
                              char *err, size_t err_len)
{
    uint8_t seed[32], sk[64];
    char text[GL_KEYFILE_MAX + 1];
    randombytes_buf(seed, sizeof seed);
    int st = gl_keyfile_format(seed, passphrase, passphrase ? strlen(passphrase) : 0,
                               crypto_pwhash_OPSLIMIT_INTERACTIVE,
                               crypto_pwhash_MEMLIMIT_INTERACTIVE, text, sizeof text, err, err_len);
    if (st == GL_OK)
        st = write_new_file(path, text, strlen(text), err, err_len);
    if (st == GL_OK)
        crypto_sign_seed_keypair(pk_out, sk, seed);
    sodium_memzero(seed, sizeof seed);
    sodium_memzero(sk, sizeof sk);
    sodium_memzero(text, sizeof text);
    return st;
}

int gl_key_generate(const char *path, uint8_t pk_out[32], char *err, size_t err_len)
{
    return gl_key_generate_protected(path, NULL, pk_out, err, err_len);
}

/* Read at most GL_KEYFILE_MAX bytes of a private file into text. */
static int read_private(const char *path, char *text, size_t *len, char *err, size_t err_len)
{
    /* O_NONBLOCK: opening a FIFO for reading would wait for a writer, and
     * reading a device might never end; neither is a key file, and both are
     * refused before any read. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        snprintf(err, err_len, "cannot open key file %s: %s", path, strerror(errno));
        return GL_ERR_KEYFILE;
    }
    struct stat sb;
    if (fstat(fd, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        close(fd);
        snprintf(err, err_len, "key file %s is not a regular file (a %s): give the key file itself",
                 path,
                 S_ISFIFO(sb.st_mode)                         ? "FIFO"
                 : S_ISDIR(sb.st_mode)                        ? "directory"
                 : S_ISCHR(sb.st_mode) || S_ISBLK(sb.st_mode) ? "device"
                                                              : "socket or other special file");
        return GL_ERR_KEYFILE;
    }
    if (fstat(fd, &sb) != 0 || (sb.st_mode & 077)) {
        close(fd);
        snprintf(err, err_len, "key file %s is readable by others (mode %03o): run chmod 600 %s",
                 path, (unsigned)(sb.st_mode & 0777), path);
        return GL_ERR_KEYFILE;
    }
    size_t n = 0;
    ssize_t r;
    while (n <= GL_KEYFILE_MAX && (r = read(fd, text + n, GL_KEYFILE_MAX + 1 - n)) > 0)
        n += (size_t)r;
    close(fd);
    if (n == 0 || n > GL_KEYFILE_MAX) {
        snprintf(err, err_len, "cannot read key file %s (empty, unreadable or over %d bytes)", path,
                 GL_KEYFILE_MAX);
        return GL_ERR_KEYFILE;
    }
    *len = n;
    return GL_OK;
}

int gl_key_load_protected(const char *path, gl_passphrase_fn ask, void *user, gl_key *out,
                          char *err, size_t err_len)
{
    char text[GL_KEYFILE_MAX + 1], pass[GL_PASSPHRASE_MAX], why[256];
    size_t len = 0;
    gl_keyfile kf;
    int pass_len = 0;
    memset(out, 0, sizeof *out);
    int st = read_private(path, text, &len, err, err_len);
    if (st == GL_OK && (st = gl_keyfile_parse(text, len, &kf, why, sizeof why)) != GL_OK)
        snprintf(err, err_len, "%s: %s", path, why);
    sodium_memzero(text, sizeof text);
    if (st != GL_OK)
        return st;
    if (kf.sealed && ask)
        pass_len = ask(user, path, pass, sizeof pass);
    if (kf.sealed && pass_len <= 0) {
        snprintf(err, err_len, "%s is protected by a passphrase and none was given", path);
        st = GL_ERR_KEYFILE;
    } else if ((st = gl_keyfile_open(&kf, pass, (size_t)pass_len, out, why, sizeof why)) != GL_OK) {
        snprintf(err, err_len, "%s: %s", path, why);
    }
    sodium_memzero(pass, sizeof pass);
    gl_keyfile_wipe(&kf);
    return st;
}

int gl_key_load(const char *path, gl_key *out, char *err, size_t err_len)
{
    return gl_key_load_protected(path, NULL, NULL, out, err, err_len);
}
