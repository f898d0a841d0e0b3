/*
 * tests/integration/test_persons_forget.c — the order of a FORGET (wave 11,
 * helper H): the person's key is destroyed only once the FORGET is durable
 * (a FORGET refused by a failed commit leaves it whole), a key left beside
 * a committed FORGET row is shredded at the next start, and the key store
 * of a tenant has a cap ([daemon] person_keys_max, 465 person_keys_full).
 * Each failed before its fix.
 *
 * A failed commit is provoked with the crash tests' write shim
 * (tests/crash/iolog.c, GLIOLOG_FAIL_ONCE): the daemon's next flush of its
 * data file fails once with EIO, as a failing disk would; the shipped
 * daemon has no such switch.
 */
#include "tests/support/harness.h"

#include "proto/request.h"
#include "proto/seal.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <sodium.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static harness h;
static void setup(void)
{
    h_setup(&h);
    static const char *const chart[] = {"411000", "706000", "512000"};
    h_open_accounts(&h, "alpha", chart, 3);
}
static void teardown(void) { h_teardown(&h); }
TestSuite(persons_forget, .init = setup, .fini = teardown, .timeout = 120);

static int code_call(enum h_key k, uint16_t kind, const char *code, gl_response *r)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_person_code_encode(&b, (gl_str){code, strlen(code)});
    int st = h_call(&h, k, kind, "alpha", 0, b.data, b.len, r);
    gl_buf_free(&b);
    return st;
}

static int person_key(const char *code, uint8_t pk[32])
{
    gl_response r;
    int st = code_call(K_ALPHA, GL_KIND_PERSON_KEY, code, &r);
    if (st == GL_OK) {
        cr_assert_eq(r.reply.body_len, 32);
        memcpy(pk, r.reply.body, 32);
    }
    gl_response_free(&r);
    return st;
}

static int forget(const char *code, char *detail, size_t detail_len)
{
    gl_response r;
    int st = code_call(K_ACCOUNTANT, GL_KIND_FORGET, code, &r);
    if (detail)
        snprintf(detail, detail_len, "%.*s", (int)r.reply.detail.len, r.reply.detail.ptr);
    gl_response_free(&r);
    return st;
}

/* DATA_DIR/persons/<hex alpha>/<hex code><suffix>. */
static void key_path(char *out, size_t len, const char *code, const char *suffix)
{
    char t[64], c[64];
    sodium_bin2hex(t, sizeof t, (const unsigned char *)"alpha", 5);
    sodium_bin2hex(c, sizeof c, (const unsigned char *)code, strlen(code));
    snprintf(out, len, "%s/data/persons/%s/%s%s", h.dir, t, c, suffix);
}

static bool exists(const char *path)
{
    struct stat sb;
    return lstat(path, &sb) == 0;
}

static size_t read_file(const char *path, uint8_t *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "cannot open %s", path);
    size_t n = fread(buf, 1, cap, f);
    fclose(f);
    return n;
}

static void write_file(const char *path, const uint8_t *buf, size_t n)
{
    FILE *f = fopen(path, "wb");
    cr_assert(f, "cannot create %s", path);
    cr_assert_eq(fwrite(buf, 1, n, f), n);
    cr_assert_eq(fclose(f), 0);
}

/* Restart the daemon under the write shim, armed by the file flag: while
 * it exists, the daemon's next flush of data.mdb fails (and removes it). */
static void start_under_shim(const char *flag)
{
    h_stop(&h);
    char lib[400], dir[400], log[400], asan[600];
    snprintf(lib, sizeof lib, "%s/libgliolog.so", h_build_dir());
    cr_assert(exists(lib), "%s: make it first", lib);
    snprintf(dir, sizeof dir, "%s/data", h.dir);
    snprintf(log, sizeof log, "%s/io.log", h.dir);
    const char *was = getenv("ASAN_OPTIONS");
    /* a sanitized daemon accepts a preloaded library that is not */
    snprintf(asan, sizeof asan, "%s%sverify_asan_link_order=0", was ? was : "", was ? ":" : "");
    char *saved_asan = was ? strdup(was) : NULL;
    setenv("ASAN_OPTIONS", asan, 1);
    setenv("GLIOLOG_DIR", dir, 1);
    setenv("GLIOLOG_LOG", log, 1);
    setenv("GLIOLOG_FAIL_ONCE", flag, 1);
    setenv("LD_PRELOAD", lib, 1);
    h_start(&h);
    unsetenv("LD_PRELOAD");
    unsetenv("GLIOLOG_FAIL_ONCE");
    unsetenv("GLIOLOG_LOG");
    unsetenv("GLIOLOG_DIR");
    if (saved_asan)
        setenv("ASAN_OPTIONS", saved_asan, 1);
    else
        unsetenv("ASAN_OPTIONS");
    free(saved_asan);
}

Test(persons_forget, a_forget_whose_commit_fails_leaves_the_key)
{
    uint8_t pk[32], again[32];
    cr_assert_eq(person_key("U0600", pk), GL_OK);
    char flag[400], key[700], gone[700];
    snprintf(flag, sizeof flag, "%s/fail-next-flush", h.dir);
    start_under_shim(flag);
    key_path(key, sizeof key, "U0600", ".key");
    key_path(gone, sizeof gone, "U0600", ".gone");
    uint8_t d0[32], d1[32];
    h_digest(&h, d0);
    write_file(flag, (const uint8_t *)"1", 1);
    char detail[600];
    int st = forget("U0600", detail, sizeof detail);
    cr_assert_neq(st, GL_OK, "the flush did not fail: the test proves nothing");
    cr_expect(!exists(flag), "the shim's flag is still there");
    h_digest(&h, d1);
    cr_assert(!memcmp(d0, d1, 32), "the ledger changed after a refusal");
    cr_expect(exists(key), "a FORGET that was not kept (%d: %s) destroyed the key", st, detail);
    cr_expect(!exists(gone), "a FORGET that was not kept left a .gone mark");
    /* the key still opens what was sealed to it, before and after a restart */
    cr_assert_eq(person_key("U0600", again), GL_OK);
    cr_expect(!memcmp(pk, again, 32), "a new key for a person who was not forgotten");
    h_stop(&h);
    h_start(&h);
    cr_expect(exists(key), "the start destroyed the key of a person who was not forgotten");
    cr_assert_eq(person_key("U0600", again), GL_OK);
    cr_expect(!memcmp(pk, again, 32));
    /* and the FORGET sent again is kept, and destroys it */
    cr_assert_eq(forget("U0600", NULL, 0), GL_OK);
    cr_expect(!exists(key), "the key outlived an acknowledged FORGET");
    cr_expect(exists(gone));
}

Test(persons_forget, a_key_left_beside_a_committed_forget_is_shredded_at_start)
{
    uint8_t pk[32];
    cr_assert_eq(person_key("U0700", pk), GL_OK);
    char key[700], gone[700];
    key_path(key, sizeof key, "U0700", ".key");
    key_path(gone, sizeof gone, "U0700", ".gone");
    uint8_t bytes[128];
    size_t n = read_file(key, bytes, sizeof bytes);
    cr_assert_eq(forget("U0700", NULL, 0), GL_OK);
    cr_assert(!exists(key));
    /* what a kill -9 between the FORGET's commit and its shredding leaves:
     * the committed row, the key whole, no mark */
    h_kill9(&h);
    write_file(key, bytes, n);
    cr_assert_eq(chmod(key, 0600), 0);
    cr_assert_eq(unlink(gone), 0);
    h_start(&h);
    cr_expect(!exists(key), "the key of a person forgotten in the ledger is still on disk");
    cr_expect(exists(gone), "no .gone mark for a person forgotten in the ledger");
    uint8_t again[32];
    cr_expect_eq(person_key("U0700", again), GL_ERR_PERSON_FORGOTTEN);
}

Test(persons_forget, person_keys_are_capped_per_tenant_and_a_code_gets_its_key_again)
{
    h_stop(&h);
    snprintf(h.daemon_extra, sizeof h.daemon_extra, "person_keys_max = 2\n");
    h_write_config(&h);
    h_start(&h);
    uint8_t a[32], b[32], again[32];
    cr_assert_eq(person_key("U0801", a), GL_OK);
    cr_assert_eq(person_key("U0802", b), GL_OK);
    char key[700];
    key_path(key, sizeof key, "U0803", ".key");
    uint8_t d0[32], d1[32];
    h_digest(&h, d0);
    gl_response r;
    int st = code_call(K_ALPHA, GL_KIND_PERSON_KEY, "U0803", &r);
    cr_expect_eq(st, GL_ERR_PERSON_KEYS_FULL, "a third key past person_keys_max = 2: %d", st);
    cr_expect(strstr(r.reply.detail.ptr ? r.reply.detail.ptr : "", "person_keys_max") != NULL,
              "the refusal does not name the setting: %.*s", (int)r.reply.detail.len,
              r.reply.detail.ptr);
    gl_response_free(&r);
    h_digest(&h, d1);
    cr_assert(!memcmp(d0, d1, 32), "the ledger changed after a refusal");
    cr_expect(!exists(key), "a refused PERSON_KEY made a key file");
    /* a code that has its key gets the same one again, past the cap too */
    cr_assert_eq(person_key("U0801", again), GL_OK);
    cr_expect(!memcmp(a, again, 32), "a second PERSON_KEY for one code made a second key");
    /* the cap is per tenant */
    gl_buf q;
    gl_buf_init(&q);
    gl_person_code_encode(&q, (gl_str){"U0803", 5});
    st = h_call(&h, K_BETA, GL_KIND_PERSON_KEY, "beta", 0, q.data, q.len, &r);
    gl_buf_free(&q);
    gl_response_free(&r);
    cr_expect_eq(st, GL_OK, "beta refused for alpha's keys: %d", st);
    /* forgetting frees a place */
    cr_assert_eq(forget("U0802", NULL, 0), GL_OK);
    cr_expect_eq(person_key("U0803", again), GL_OK);
}

/* commit_interval_ms > 0: a FORGET is acknowledged by the journal's record
 * alone; its key goes then, and the ledger that a kill -9 leaves (the
 * journal replayed at start) says so. */
Test(persons_forget, a_forget_kept_by_the_journal_alone_destroys_the_key)
{
    h_stop(&h);
    snprintf(h.daemon_extra, sizeof h.daemon_extra, "commit_interval_ms = 60000\n");
    h_write_config(&h);
    h_start(&h);
    uint8_t pk[32];
    cr_assert_eq(person_key("U0990", pk), GL_OK);
    char key[700];
    key_path(key, sizeof key, "U0990", ".key");
    cr_assert(exists(key));
    cr_assert_eq(forget("U0990", NULL, 0), GL_OK);
    cr_expect(!exists(key), "the key outlived a FORGET acknowledged by the journal");
    h_kill9(&h);
    h_start(&h);
    cr_expect(!exists(key));
    cr_expect_eq(person_key("U0990", pk), GL_ERR_PERSON_FORGOTTEN);
    char detail[600];
    cr_expect_eq(forget("U0990", detail, sizeof detail), GL_ERR_PERSON_FORGOTTEN,
                 "the FORGET was lost with LMDB's commit: %s", detail);
}
