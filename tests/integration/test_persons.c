/*
 * tests/integration/test_persons.c — issue 17, personal data that can be
 * forgotten: the key store of natural persons (DATA_DIR/persons/, apart
 * from the ledger), PERSON_KEY (28) and FORGET (29), chain event 12, the
 * retention period ([daemon] retention_years), the backup's copy of the key
 * store, and the offline verifier after a key is destroyed.  Every refusal
 * leaves the ledger's digest unchanged, and the key store as it was.
 */
#include "tests/support/harness.h"

#include "proto/chain.h"
#include "proto/request.h"
#include "proto/seal.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <sodium.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static harness h;
static char backups[400];

/* The harness's daemon with a backup directory and extra [daemon] lines. */
static void restart_with(const char *extra)
{
    h_stop(&h);
    snprintf(h.daemon_extra, sizeof h.daemon_extra, "backup_dir = %s\n%s", backups, extra);
    h_write_config(&h);
    h_start(&h);
}

static void setup(void)
{
    h_setup(&h);
    static const char *const chart[] = {"411000", "706000", "512000"};
    h_open_accounts(&h, "alpha", chart, 3);
    snprintf(backups, sizeof backups, "%s/backups", h.dir);
    cr_assert(mkdir(backups, 0700) == 0);
    restart_with("");
}
static void teardown(void) { h_teardown(&h); }

TestSuite(persons, .init = setup, .fini = teardown, .timeout = 180);

static int call_code(enum h_key k, uint16_t kind, const char *tenant, const char *code,
                     uint64_t request_id, gl_response *r)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_person_code_encode(&b, (gl_str){code, strlen(code)});
    int st = h_call(&h, k, kind, tenant, request_id, b.data, b.len, r);
    gl_buf_free(&b);
    return st;
}

static int person_key(enum h_key k, const char *tenant, const char *code, uint8_t pk[32])
{
    gl_response r;
    int st = call_code(k, GL_KIND_PERSON_KEY, tenant, code, 0, &r);
    if (st == GL_OK) {
        cr_assert_eq(r.reply.body_len, 32);
        memcpy(pk, r.reply.body, 32);
    }
    gl_response_free(&r);
    return st;
}

static int forget(enum h_key k, const char *tenant, const char *code)
{
    gl_response r;
    int st = call_code(k, GL_KIND_FORGET, tenant, code, 0, &r);
    gl_response_free(&r);
    return st;
}

/* DATA_DIR/persons/<hex tenant>/<hex code><suffix>. */
static void key_path(char *out, size_t len, const char *tenant, const char *code,
                     const char *suffix)
{
    char t[64], c[64];
    sodium_bin2hex(t, sizeof t, (const unsigned char *)tenant, strlen(tenant));
    sodium_bin2hex(c, sizeof c, (const unsigned char *)code, strlen(code));
    snprintf(out, len, "%s/data/persons/%s/%s%s", h.dir, t, c, suffix);
}

static bool exists(const char *path)
{
    struct stat sb;
    return lstat(path, &sb) == 0;
}

/* Whether the file holds the bytes (needle, n). */
static bool file_holds(const char *path, const void *needle, size_t n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    size_t cap = 1 << 20, len = 0, got;
    char *buf = malloc(cap);
    cr_assert(buf);
    while ((got = fread(buf + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            cr_assert(buf);
        }
    }
    fclose(f);
    bool found = memmem(buf, len, needle, n) != NULL;
    free(buf);
    return found;
}

/* An invoice of alpha's user code on 411000, dated date. */
static void invoice(const char *code, uint32_t date)
{
    gl_line_in l[2];
    gl_entry_in e = h_entry2("alpha", date, "411000", "706000", 4200, l);
    l[0].aux = code;
    gl_response r;
    int st = h_post(&h, K_ACCOUNTANT, &e, 1, &r);
    cr_assert_eq(st, GL_OK, "%d %.*s", st, (int)r.reply.detail.len, r.reply.detail.ptr);
    gl_response_free(&r);
}

/* The current year (the daemon's clock is the machine's): the dates below
 * are relative to it, so that the retention periods hold every year. */
static uint32_t this_year(void)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    return (uint32_t)tm.tm_year + 1900;
}

static void digest_unchanged(const uint8_t before[32], const char *what)
{
    uint8_t after[32];
    h_digest(&h, after);
    cr_assert_eq(memcmp(before, after, 32), 0, "%s changed the ledger", what);
}

Test(persons, a_key_is_made_once_kept_apart_from_the_ledger_and_survives_kill9)
{
    uint8_t pk[32], again[32];
    cr_assert_eq(person_key(K_ALPHA, "alpha", "U0001", pk), GL_OK);
    cr_assert_eq(person_key(K_ACCOUNTANT, "alpha", "U0001", again), GL_OK);
    cr_assert_eq(memcmp(pk, again, 32), 0, "a second request made another key");
    char path[600];
    key_path(path, sizeof path, "alpha", "U0001", ".key");
    cr_assert(file_holds(path, pk, 32), "the key is not in %s", path);
    h_kill9(&h); /* the key was handed out: it must have been durable */
    h_start(&h);
    cr_assert_eq(person_key(K_ALPHA, "alpha", "U0001", again), GL_OK);
    cr_assert_eq(memcmp(pk, again, 32), 0, "the key changed across kill -9");
    /* the secret key never in the ledger nor its journal (the public key
     * is, in PERSON_KEY's idempotency record: it is no secret) */
    uint8_t file[69];
    FILE *f = fopen(path, "rb");
    cr_assert(f);
    cr_assert_eq(fread(file, 1, sizeof file, f), sizeof file);
    fclose(f);
    cr_assert_eq(memcmp(file + 5, pk, 32), 0);
    char mdb[600], journal[600];
    snprintf(mdb, sizeof mdb, "%s/data/data.mdb", h.dir);
    snprintf(journal, sizeof journal, "%s/data/journal.glj", h.dir);
    cr_assert(!file_holds(mdb, file + 37, 32), "the secret key is in data.mdb");
    cr_assert(!file_holds(journal, file + 37, 32), "the secret key is in the journal");
    /* another tenant's person of the same code has its own key */
    cr_assert_eq(person_key(K_BETA, "beta", "U0001", again), GL_OK);
    cr_assert_neq(memcmp(pk, again, 32), 0);
}

Test(persons, who_may_ask_a_key_and_who_may_forget)
{
    uint8_t pk[32], before[32];
    cr_assert_eq(person_key(K_ALPHA, "alpha", "U0002", pk), GL_OK);
    h_digest(&h, before);
    cr_assert_eq(person_key(K_ALPHA, "beta", "U0002", pk), GL_ERR_FORBIDDEN_TENANT);
    cr_assert_eq(person_key(K_AUDITOR, "alpha", "U0002", pk), GL_ERR_FORBIDDEN_ROLE);
    cr_assert_eq(forget(K_ALPHA, "alpha", "U0002"), GL_ERR_FORBIDDEN_ROLE);
    cr_assert_eq(forget(K_AUDITOR, "alpha", "U0002"), GL_ERR_FORBIDDEN_ROLE);
    digest_unchanged(before, "a refused FORGET or PERSON_KEY");
    char path[600];
    key_path(path, sizeof path, "alpha", "U0002", ".key");
    cr_assert(exists(path), "a refused FORGET destroyed the key");
    char beta[600];
    key_path(beta, sizeof beta, "beta", "U0002", ".key");
    cr_assert(!exists(beta), "a refused PERSON_KEY made a key");
}

Test(persons, forget_is_refused_within_the_retention_period)
{
    uint8_t pk[32], before[32];
    cr_assert_eq(person_key(K_ACCOUNTANT, "alpha", "U0003", pk), GL_OK);
    uint32_t y = this_year();
    invoice("U0003", (y - 10) * 10000 + 310); /* kept until the end of this year */
    h_digest(&h, before);
    gl_response r;
    cr_assert_eq(call_code(K_ACCOUNTANT, GL_KIND_FORGET, "alpha", "U0003", 0, &r),
                 GL_ERR_RETENTION_NOT_EXPIRED);
    char until[16];
    snprintf(until, sizeof until, "%u1231", y);
    cr_assert(memmem(r.reply.detail.ptr, r.reply.detail.len, until, 8), "%.*s",
              (int)r.reply.detail.len, r.reply.detail.ptr);
    gl_response_free(&r);
    digest_unchanged(before, "a FORGET within the retention period");
    char path[600];
    key_path(path, sizeof path, "alpha", "U0003", ".key");
    cr_assert(exists(path), "a refused FORGET destroyed the key");
    /* a shorter configured period lets it go */
    restart_with("retention_years = 9\n");
    cr_assert_eq(forget(K_ACCOUNTANT, "alpha", "U0003"), GL_OK);
    cr_assert(!exists(path));
}

Test(persons, forget_without_a_key_or_twice_is_refused_and_a_forgotten_key_never_returns)
{
    uint8_t pk[32], before[32];
    h_digest(&h, before);
    cr_assert_eq(forget(K_ACCOUNTANT, "alpha", "U0404"), GL_ERR_NO_PERSON_KEY);
    digest_unchanged(before, "a FORGET of a code without a key");
    cr_assert_eq(person_key(K_ALPHA, "alpha", "U0004", pk), GL_OK);
    cr_assert_eq(forget(K_ACCOUNTANT, "alpha", "U0004"), GL_OK); /* never named: no retention */
    h_digest(&h, before);
    cr_assert_eq(forget(K_ACCOUNTANT, "alpha", "U0004"), GL_ERR_PERSON_FORGOTTEN);
    cr_assert_eq(person_key(K_ALPHA, "alpha", "U0004", pk), GL_ERR_PERSON_FORGOTTEN);
    digest_unchanged(before, "a second FORGET or a PERSON_KEY after it");
    char path[600];
    key_path(path, sizeof path, "alpha", "U0004", ".key");
    cr_assert(!exists(path));
    key_path(path, sizeof path, "alpha", "U0004", ".gone");
    cr_assert(exists(path));
}

Test(persons, forget_destroys_the_key_and_the_archive_still_verifies)
{
    restart_with("retention_years = 1\n");
    uint8_t pk[32];
    cr_assert_eq(person_key(K_ACCOUNTANT, "alpha", "U0005", pk), GL_OK);
    char path[600];
    key_path(path, sizeof path, "alpha", "U0005", ".key");
    FILE *f = fopen(path, "rb");
    cr_assert(f);
    uint8_t file[69];
    cr_assert_eq(fread(file, 1, sizeof file, f), sizeof file);
    fclose(f);
    const uint8_t *sk = file + 37;
    /* a block sealed to the person opens with its key, before */
    static const char block[] = "\x0dJeanne Dupont";
    gl_buf sealed, open;
    gl_buf_init(&sealed);
    gl_buf_init(&open);
    cr_assert_eq(gl_identity_seal(pk, (const uint8_t *)block, 14, &sealed), GL_OK);
    cr_assert(gl_identity_open(pk, sk, sealed.data, sealed.len, &open));
    invoice("U0005", (this_year() - 2) * 10000 + 115); /* kept until last year's end */
    cr_assert_eq(forget(K_ACCOUNTANT, "alpha", "U0005"), GL_OK);
    cr_assert(!exists(path), "the key file is still there");
    cr_assert_gt(h_verify_chains(&h), 0);
    char archive[600], out[16384];
    snprintf(archive, sizeof archive, "%s/all.glar", h.dir);
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "archive --all -o '%s'", archive), 0);
    int rc = h_cli(&h, K_AUDITOR, out, sizeof out, "verify '%s'", archive);
    cr_assert_eq(rc, 0, "verify exited %d:\n%s", rc, out);
    cr_assert_null(strstr(out, "do not know"), "verify skipped the FORGET event:\n%s", out);
    cr_assert(!file_holds(archive, sk, 32), "the archive holds the secret key");
    /* the key is gone from the key store, and from the ledger it never was */
    char mdb[600];
    snprintf(mdb, sizeof mdb, "%s/data/data.mdb", h.dir);
    cr_assert(!file_holds(mdb, sk, 32));
    gl_buf_free(&sealed);
    gl_buf_free(&open);
}

Test(persons, forget_is_replay_safe)
{
    uint8_t pk[32];
    cr_assert_eq(person_key(K_ACCOUNTANT, "alpha", "U0006", pk), GL_OK);
    uint64_t id = gl_request_id_random();
    gl_response r;
    cr_assert_eq(call_code(K_ACCOUNTANT, GL_KIND_FORGET, "alpha", "U0006", id, &r), GL_OK);
    gl_response_free(&r);
    uint8_t before[32];
    h_digest(&h, before);
    cr_assert_eq(call_code(K_ACCOUNTANT, GL_KIND_FORGET, "alpha", "U0006", id, &r), GL_OK,
                 "the same request sent again is not answered as the first time");
    gl_response_free(&r);
    digest_unchanged(before, "a FORGET sent again");
    /* a key destroyed by a FORGET whose commit was lost (the key store
     * says gone, the ledger has no record): the request sent again records it */
    cr_assert_eq(person_key(K_ACCOUNTANT, "alpha", "U0007", pk), GL_OK);
    h_stop(&h);
    char key[600], gone[600];
    key_path(key, sizeof key, "alpha", "U0007", ".key");
    key_path(gone, sizeof gone, "alpha", "U0007", ".gone");
    FILE *f = fopen(gone, "wb");
    cr_assert(f);
    fwrite("GLPG\x01\x01\x34\x5e\x3d", 1, 9, f);
    fclose(f);
    cr_assert_eq(unlink(key), 0);
    h_start(&h);
    long events = h_verify_chains(&h);
    cr_assert_eq(forget(K_ACCOUNTANT, "alpha", "U0007"), GL_OK);
    cr_assert_eq(h_verify_chains(&h), events + 1, "no FORGET event was recorded");
    cr_assert_eq(forget(K_ACCOUNTANT, "alpha", "U0007"), GL_ERR_PERSON_FORGOTTEN);
}

Test(persons, the_accountants_backup_holds_the_key_store_and_a_later_one_not_the_forgotten_key)
{
    uint8_t pk[32];
    cr_assert_eq(person_key(K_ACCOUNTANT, "alpha", "U0008", pk), GL_OK);
    gl_buf b;
    gl_buf_init(&b);
    gl_put_str16(&b, "one.mdb", 7);
    gl_response r;
    cr_assert_eq(h_call(&h, K_ACCOUNTANT, GL_KIND_BACKUP, "", 0, b.data, b.len, &r), GL_OK);
    gl_response_free(&r);
    char path[900], t[64], c[64];
    sodium_bin2hex(t, sizeof t, (const unsigned char *)"alpha", 5);
    sodium_bin2hex(c, sizeof c, (const unsigned char *)"U0008", 5);
    snprintf(path, sizeof path, "%s/one.mdb.persons/%s/%s.key", backups, t, c);
    cr_assert(file_holds(path, pk, 32), "the backup has no copy of the key");
    uint8_t file[69];
    FILE *f = fopen(path, "rb");
    cr_assert(f);
    cr_assert_eq(fread(file, 1, sizeof file, f), sizeof file);
    fclose(f);
    snprintf(path, sizeof path, "%s/one.mdb", backups);
    cr_assert(!file_holds(path, file + 37, 32), "the ledger's copy holds the secret key");
    cr_assert_eq(forget(K_ACCOUNTANT, "alpha", "U0008"), GL_OK);
    gl_buf_reset(&b);
    gl_put_str16(&b, "two.mdb", 7);
    cr_assert_eq(h_call(&h, K_ACCOUNTANT, GL_KIND_BACKUP, "", 0, b.data, b.len, &r), GL_OK);
    gl_response_free(&r);
    gl_buf_free(&b);
    snprintf(path, sizeof path, "%s/two.mdb.persons/%s/%s.key", backups, t, c);
    cr_assert(!exists(path), "a backup after FORGET holds the key");
    snprintf(path, sizeof path, "%s/two.mdb.persons/%s/%s.gone", backups, t, c);
    cr_assert(exists(path));
    /* the key store survives a restart: another person's key is kept */
    uint8_t pk9[32], again[32];
    cr_assert_eq(person_key(K_ACCOUNTANT, "alpha", "U0009", pk9), GL_OK);
    h_stop(&h);
    h_start(&h);
    cr_assert_eq(person_key(K_ACCOUNTANT, "alpha", "U0009", again), GL_OK);
    cr_assert_eq(memcmp(pk9, again, 32), 0);
}

/* Issue 17 end to end: a natural person recorded through the CLI is
 * sealed, the daemon opens it for the registry's readers, its name is never
 * stored in clear (a clear aux label refused), and once forgotten it is
 * gone from every output while `verify` still passes. */
Test(persons, a_natural_person_is_sealed_shown_then_forgotten_and_verify_still_passes)
{
    restart_with("retention_years = 1\n");
    static const char dupont[] = "Dupont";
    char out[16384], err[4096];
    int rc = h_cli(&h, K_ACCOUNTANT, out, sizeof out,
                   "third-parties add --tenant alpha U0100 --name 'Jeanne Dupont' --kind user "
                   "--collective 411000 --email jeanne@example.fr --natural-person yes");
    h_cli_err(&h, err, sizeof err);
    cr_assert_eq(rc, 0, "%s", err);
    rc = h_cli(&h, K_AUDITOR, out, sizeof out,
               "third-parties show --tenant alpha U0100 --format csv");
    cr_assert_eq(rc, 0);
    cr_assert(strstr(out, "Jeanne Dupont") && strstr(out, "jeanne@example.fr"),
              "the daemon did not open the sealed block:\n%s", out);
    /* a line naming the person carries no name in clear */
    uint8_t before[32];
    h_digest(&h, before);
    gl_line_in l[2];
    gl_entry_in e = h_entry2("alpha", (this_year() - 2) * 10000 + 115, "411000", "706000", 4200, l);
    l[0].aux = "U0100";
    l[0].aux_label = "Jeanne Dupont";
    gl_response r;
    cr_assert_eq(h_post(&h, K_ACCOUNTANT, &e, 1, &r), GL_ERR_PERSON_IN_CLEAR);
    cr_expect_eq(r.reply.err_line, 1);
    gl_response_free(&r);
    digest_unchanged(before, "a refused clear aux label");
    l[0].aux_label = "";
    cr_assert_eq(h_post(&h, K_ACCOUNTANT, &e, 1, &r), GL_OK);
    gl_response_free(&r);
    char mdb[600], journal[600];
    snprintf(mdb, sizeof mdb, "%s/data/data.mdb", h.dir);
    snprintf(journal, sizeof journal, "%s/data/journal.glj", h.dir);
    h_stop(&h); /* LMDB has every write, the journal what it held */
    cr_assert(!file_holds(mdb, dupont, 6), "the name is in clear in data.mdb");
    cr_assert(!file_holds(journal, dupont, 6), "the name is in clear in the journal");
    h_start(&h);

    rc =
        h_cli(&h, K_ACCOUNTANT, out, sizeof out, "third-parties forget U0100 --tenant alpha --yes");
    h_cli_err(&h, err, sizeof err);
    cr_assert_eq(rc, 0, "%s", err);
    rc = h_cli(&h, K_AUDITOR, out, sizeof out,
               "third-parties show --tenant alpha U0100 --format csv");
    cr_assert_eq(rc, 0);
    cr_assert(strstr(out, "U0100") && !strstr(out, dupont) && !strstr(out, "jeanne@"),
              "forgotten, still shown:\n%s", out);
    cr_assert(strstr(out, "U0100,(forgotten)"), "the forgotten person is not marked:\n%s", out);
    rc = h_cli(&h, K_AUDITOR, out, sizeof out, "ledger --tenant alpha --account 411000");
    cr_assert_eq(rc, 0);
    cr_assert(!strstr(out, dupont), "%s", out);
    gl_buf b;
    gl_buf_init(&b);
    gl_put_str16(&b, "after.mdb", 9);
    cr_assert_eq(h_call(&h, K_ACCOUNTANT, GL_KIND_BACKUP, "", 0, b.data, b.len, &r), GL_OK);
    gl_response_free(&r);
    gl_buf_free(&b);
    char path[700];
    snprintf(path, sizeof path, "%s/after.mdb", backups);
    cr_assert(!file_holds(path, dupont, 6), "the backup holds the name in clear");
    char archive[600];
    snprintf(archive, sizeof archive, "%s/after.glar", h.dir);
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "archive --all -o '%s'", archive), 0);
    cr_assert(!file_holds(archive, dupont, 6), "the archive holds the name in clear");
    rc = h_cli(&h, K_AUDITOR, out, sizeof out, "verify '%s'", archive);
    cr_assert_eq(rc, 0, "verify exited %d after the forgetting:\n%s", rc, out);
}
