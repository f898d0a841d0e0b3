/*
 * tests/unit/test_keyfile.c — key files: refusals first (loose permissions,
 * every kind of malformed text, wrong or missing passphrase, tampering),
 * then what must keep working (files written by earlier versions), the
 * protected round trip, never overwriting, the fingerprint.  Protected files
 * here use Argon2id's minimum limits (gl_keyfile_format) so that the suite
 * stays fast; one test uses the real ones (gl_key_generate_protected).
 */
#include "client/lib/keyfile.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64], path[128];

static void setup(void)
{
    cr_assert(sodium_init() >= 0);
    snprintf(dir, sizeof dir, "/tmp/gl-keyfile-XXXXXX");
    cr_assert(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/k.key", dir);
}

static void cleanup(void)
{
    unlink(path);
    rmdir(dir);
}

TestSuite(keyfile, .init = setup, .fini = cleanup);

static void write_file(const char *text, size_t len, mode_t mode)
{
    unlink(path);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, text, len), (ssize_t)len);
    cr_assert(fchmod(fd, mode) == 0);
    close(fd);
}

/* A fixed seed and the unprotected text earlier versions wrote for it. */
static const uint8_t seed[32] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16,
                                 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};

static void v1_text(char *out, size_t len, uint8_t pk[32])
{
    uint8_t sk[64];
    char pk_hex[65], seed_hex[65];
    crypto_sign_seed_keypair(pk, sk, seed);
    gl_hex(pk, 32, pk_hex);
    gl_hex(seed, 32, seed_hex);
    snprintf(out, len, "grandlivre-key v1\npublic: %s\nseed: %s\n", pk_hex, seed_hex);
}

static void sealed_text(char *out, size_t len, const char *pass)
{
    char err[256];
    cr_assert_eq(gl_keyfile_format(seed, pass, strlen(pass), crypto_pwhash_OPSLIMIT_MIN,
                                   crypto_pwhash_MEMLIMIT_MIN, out, len, err, sizeof err),
                 GL_OK, "%s", err);
}

struct asker {
    const char *pass;
    int calls;
};

static int ask(void *user, const char *p, char *buf, size_t buf_len)
{
    struct asker *a = user;
    (void)p;
    a->calls++;
    if (!a->pass || strlen(a->pass) > buf_len)
        return -1;
    memcpy(buf, a->pass, strlen(a->pass));
    return (int)strlen(a->pass);
}

static int load(struct asker *a, gl_key *k, char *err, size_t err_len)
{
    return gl_key_load_protected(path, a ? ask : NULL, a, k, err, err_len);
}

Test(keyfile, loose_permissions_are_refused)
{
    char text[512], err[256];
    uint8_t pk[32];
    gl_key k;
    v1_text(text, sizeof text, pk);
    write_file(text, strlen(text), 0640);
    cr_assert_eq(load(NULL, &k, err, sizeof err), GL_ERR_KEYFILE);
    cr_assert(strstr(err, "readable by others"), "%s", err);
}

Test(keyfile, malformed_texts_are_refused)
{
    char good[512], hex[65];
    uint8_t pk[32];
    v1_text(good, sizeof good, pk);
    gl_hex(pk, 32, hex);
    char seed_hex[65];
    gl_hex(seed, 32, seed_hex);
    char cases[20][700];
    int n = 0;
    snprintf(cases[n++], 700, "%s", "");
    snprintf(cases[n++], 700, "grandlivre-key v2\npublic: %s\nseed: %s\n", hex, seed_hex);
    snprintf(cases[n++], 700, "grandlivre-key v1x\npublic: %s\nseed: %s\n", hex, seed_hex);
    snprintf(cases[n++], 700, "grandlivre-key v1\npublic: %s\nseed: %s\nseed: %s\n", hex, seed_hex,
             seed_hex);
    snprintf(cases[n++], 700, "grandlivre-key v1\npublic: %s\nseed: %s\ncolour: blue\n", hex,
             seed_hex);
    snprintf(cases[n++], 700, "grandlivre-key v1\npublic: %.63s\nseed: %s\n", hex, seed_hex);
    snprintf(cases[n++], 700, "grandlivre-key v1\npublic: %.63sg\nseed: %s\n", hex, seed_hex);
    snprintf(cases[n++], 700, "grandlivre-key v1\npublic:%s\nseed: %s\n", hex, seed_hex);
    snprintf(cases[n++], 700, "grandlivre-key v1\npublic: %s\n", hex);
    snprintf(cases[n++], 700, "grandlivre-key v1\npublic: %s\r\nseed: %s\r\n", hex, seed_hex);
    snprintf(cases[n++], 700, "grandlivre-key v1\npublic: %s\nseed: %s\nsalt: %032d\n", hex,
             seed_hex, 0);
    snprintf(cases[n++], 700,
             "grandlivre-key v1\npublic: %s\nkdf: scrypt\nopslimit: 2\nmemlimit: 67108864\n"
             "salt: %032d\nnonce: %048d\nsealed-seed: %096d\n",
             hex, 0, 0, 0);
    snprintf(cases[n++], 700,
             "grandlivre-key v1\npublic: %s\nkdf: argon2id13\nopslimit: 0\nmemlimit: 67108864\n"
             "salt: %032d\nnonce: %048d\nsealed-seed: %096d\n",
             hex, 0, 0, 0);
    snprintf(
        cases[n++], 700,
        "grandlivre-key v1\npublic: %s\nkdf: argon2id13\nopslimit: 2\nmemlimit: 99999999999999\n"
        "salt: %032d\nnonce: %048d\nsealed-seed: %096d\n",
        hex, 0, 0, 0);
    snprintf(cases[n++], 700,
             "grandlivre-key v1\npublic: %s\nkdf: argon2id13\nopslimit: 2\nmemlimit: 67108864\n"
             "salt: %032d\nnonce: %048d\n",
             hex, 0, 0);
    for (int i = 0; i < n; i++) {
        gl_keyfile kf;
        char err[256];
        cr_expect_eq(gl_keyfile_parse(cases[i], strlen(cases[i]), &kf, err, sizeof err),
                     GL_ERR_KEYFILE, "case %d accepted:\n%s", i, cases[i]);
    }
    /* a NUL byte inside, and a file over the size limit */
    char nul[512];
    memcpy(nul, good, strlen(good));
    nul[20] = '\0';
    gl_keyfile kf;
    char err[256];
    cr_expect_eq(gl_keyfile_parse(nul, strlen(good), &kf, err, sizeof err), GL_ERR_KEYFILE);
    static char big[GL_KEYFILE_MAX + 2];
    memset(big, '\n', sizeof big);
    memcpy(big, good, strlen(good));
    cr_expect_eq(gl_keyfile_parse(big, sizeof big, &kf, err, sizeof err), GL_ERR_KEYFILE);
}

Test(keyfile, public_key_that_does_not_match_the_seed_is_refused)
{
    char text[512], err[256];
    uint8_t pk[32];
    gl_key k;
    v1_text(text, sizeof text, pk);
    char *p = strstr(text, "public: ") + 8;
    *p = *p == '0' ? '1' : '0';
    write_file(text, strlen(text), 0600);
    cr_assert_eq(load(NULL, &k, err, sizeof err), GL_ERR_KEYFILE);
    cr_assert(strstr(err, "does not match"), "%s", err);
}

Test(keyfile, protected_file_without_a_passphrase_is_refused)
{
    char text[GL_KEYFILE_MAX], err[256];
    gl_key k;
    sealed_text(text, sizeof text, "correct horse");
    write_file(text, strlen(text), 0600);
    cr_assert_eq(load(NULL, &k, err, sizeof err), GL_ERR_KEYFILE);
    cr_assert(strstr(err, "passphrase"), "%s", err);
    struct asker none = {NULL, 0};
    cr_assert_eq(load(&none, &k, err, sizeof err), GL_ERR_KEYFILE);
    cr_assert_eq(none.calls, 1);
}

Test(keyfile, wrong_passphrase_is_refused)
{
    char text[GL_KEYFILE_MAX], err[256];
    gl_key k;
    sealed_text(text, sizeof text, "correct horse");
    write_file(text, strlen(text), 0600);
    struct asker wrong = {"correct horsf", 0};
    cr_assert_eq(load(&wrong, &k, err, sizeof err), GL_ERR_KEYFILE);
    cr_assert(strstr(err, "wrong passphrase"), "%s", err);
    for (size_t i = 0; i < sizeof k; i++)
        cr_assert_eq(((uint8_t *)&k)[i], 0, "the key was not wiped");
}

Test(keyfile, tampered_sealed_seed_is_refused)
{
    char text[GL_KEYFILE_MAX], err[256];
    gl_key k;
    sealed_text(text, sizeof text, "correct horse");
    char *p = strstr(text, "sealed-seed: ") + 13 + 10;
    *p = *p == 'a' ? 'b' : 'a';
    write_file(text, strlen(text), 0600);
    struct asker right = {"correct horse", 0};
    cr_assert_eq(load(&right, &k, err, sizeof err), GL_ERR_KEYFILE);
}

Test(keyfile, empty_passphrase_is_refused_when_creating)
{
    char err[256];
    uint8_t pk[32];
    cr_assert_eq(gl_key_generate_protected(path, "", pk, err, sizeof err), GL_ERR_KEYFILE);
    cr_assert(access(path, F_OK) != 0, "a file was left behind");
}

Test(keyfile, existing_file_is_never_overwritten)
{
    char err[256];
    uint8_t pk[32];
    write_file("mine", 4, 0600);
    cr_assert_eq(gl_key_generate(path, pk, err, sizeof err), GL_ERR_KEYFILE);
    char buf[8] = "";
    FILE *f = fopen(path, "r");
    cr_assert(f && fread(buf, 1, sizeof buf, f) == 4);
    fclose(f);
    cr_assert(!memcmp(buf, "mine", 4));
}

Test(keyfile, files_of_earlier_versions_still_load)
{
    char text[512], err[256];
    uint8_t pk[32];
    gl_key k;
    v1_text(text, sizeof text, pk);
    write_file(text, strlen(text), 0600);
    struct asker never = {"unused", 0};
    cr_assert_eq(load(&never, &k, err, sizeof err), GL_OK, "%s", err);
    cr_assert(!memcmp(k.pk, pk, 32));
    cr_assert_eq(never.calls, 0, "asked for a passphrase an unprotected file does not need");
    /* without the final newline, and with a blank line, too */
    text[strlen(text) - 1] = '\0';
    write_file(text, strlen(text), 0600);
    cr_assert_eq(load(NULL, &k, err, sizeof err), GL_OK, "%s", err);
    char *nl = strchr(text, '\n');
    char blank[600];
    snprintf(blank, sizeof blank, "%.*s\n%s\n", (int)(nl - text), text, nl);
    write_file(blank, strlen(blank), 0600);
    cr_assert_eq(load(NULL, &k, err, sizeof err), GL_OK, "%s", err);
    gl_key_wipe(&k);
}

Test(keyfile, protected_file_round_trip)
{
    char text[GL_KEYFILE_MAX], err[256];
    uint8_t pk[32];
    gl_key k;
    char plain[512];
    v1_text(plain, sizeof plain, pk);
    sealed_text(text, sizeof text, "correct horse");
    cr_assert_null(strstr(text, "\nseed: "), "the seed is in clear");
    write_file(text, strlen(text), 0600);
    struct asker right = {"correct horse", 0};
    cr_assert_eq(load(&right, &k, err, sizeof err), GL_OK, "%s", err);
    cr_assert(!memcmp(k.pk, pk, 32));
    gl_key_wipe(&k);
}

Test(keyfile, generated_protected_file_loads_with_its_passphrase)
{
    char err[256];
    uint8_t pk[32];
    gl_key k;
    cr_assert_eq(gl_key_generate_protected(path, "une phrase de passe", pk, err, sizeof err), GL_OK,
                 "%s", err);
    struct stat sb;
    cr_assert(stat(path, &sb) == 0);
    cr_assert_eq(sb.st_mode & 0777, 0600);
    struct asker right = {"une phrase de passe", 0};
    cr_assert_eq(load(&right, &k, err, sizeof err), GL_OK, "%s", err);
    cr_assert(!memcmp(k.pk, pk, 32));
    gl_key_wipe(&k);
}

Test(keyfile, fingerprint_is_short_and_stable)
{
    uint8_t pk[32] = {0};
    char a[GL_FINGERPRINT_LEN], b[GL_FINGERPRINT_LEN];
    gl_fingerprint(pk, a);
    gl_fingerprint(pk, b);
    cr_assert_str_eq(a, b);
    cr_assert_eq(strlen(a), 19);
    cr_assert(a[4] == '-' && a[9] == '-' && a[14] == '-');
    pk[31] = 1;
    gl_fingerprint(pk, b);
    cr_assert_str_neq(a, b);
}
