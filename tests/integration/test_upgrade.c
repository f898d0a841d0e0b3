/*
 * tests/integration/test_upgrade.c — schema upgrades (issue 11, "lasting
 * decision: schema changes") and the ledger id.
 *
 * The fixture tests/fixtures/schema-1.tar.gz is a ledger written by the
 * previous release's own daemon and client (scripts/make-upgrade-fixture
 * 1c04aa3: tenants alpha, beta, gamma, entries of two fiscal years, a
 * reversal, a lettering, a recharge and dues, alpha's 2024 locked and
 * closed), with what that client read back (expected/).  The daemon
 * refuses to start on it and names `grandlivred --upgrade`; the upgrade
 * runs, a second one has nothing to do; the daemon then reads back exactly
 * what the previous release read, takes a new entry, and an archive of the
 * mixed history verifies offline.  A ledger newer than the program is
 * refused by the daemon and by --upgrade, and changes in neither case.  A
 * new data directory starts at the current schema with its own ledger id,
 * which backups carry.
 */
#include "tests/support/harness.h"

#include "daemon/store/store.h"
#include "proto/kinds.h"
#include "proto/reminder.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <lmdb.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static harness h;

static void teardown(void) { h_teardown(&h); }

TestSuite(upgrade, .fini = teardown, .timeout = 120);

/* Run a shell command, its stdout and stderr into out; its exit status. */
static int run(char *out, size_t out_len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int run(char *out, size_t out_len, const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    strncat(cmd, " 2>&1", sizeof cmd - strlen(cmd) - 1);
    FILE *p = popen(cmd, "r");
    cr_assert(p);
    size_t n = fread(out, 1, out_len - 1, p);
    out[n] = '\0';
    int status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* grandlivred ARGS -c CONFIG (a daemon that wrongly starts is stopped by
 * timeout: exit 124). */
static int daemon_run(char *out, size_t out_len, const char *args)
{
    return run(out, out_len, "timeout 10 '%s/grandlivred' %s -c '%s'", h_build_dir(), args,
               h.config);
}

static void fixture_path(char *out, size_t out_len)
{
    static const char rel[] = "tests/fixtures/schema-1.tar.gz";
    struct stat sb;
    snprintf(out, out_len, "%s", rel);
    if (stat(out, &sb) != 0) /* run from elsewhere: the tree above the build directory */
        snprintf(out, out_len, "%s/../%s", h_build_dir(), rel);
    cr_assert(stat(out, &sb) == 0, "no fixture %s", rel);
}

/* h on a copy of the fixture, its daemon not started. */
static void fixture_setup(void)
{
    static const char *const names[] = {"alpha", "beta", "accountant", "auditor"};
    memset(&h, 0, sizeof h);
    cr_assert(sodium_init() >= 0);
    snprintf(h.dir, sizeof h.dir, "/tmp/gl-test-XXXXXX");
    cr_assert(mkdtemp(h.dir));
    char fixture[512], out[4096];
    fixture_path(fixture, sizeof fixture);
    cr_assert_eq(run(out, sizeof out, "tar -xzf '%s' -C '%s'", fixture, h.dir), 0, "%s", out);
    char dir[sizeof h.dir]; /* not h itself: snprintf's source and destination stay apart */
    memcpy(dir, h.dir, sizeof dir);
    snprintf(h.config, sizeof h.config, "%s/grandlivred.conf", dir);
    snprintf(h.endpoint, sizeof h.endpoint, "ipc://%s/data/grandlivred.sock", dir);
    h.opts.endpoint = h.endpoint;
    h.opts.daemon_extra = h.daemon_extra;
    for (int i = 0; i < 4; i++) {
        char err[256];
        snprintf(h.key_path[i], sizeof h.key_path[i], "%s/keys/%s.key", dir, names[i]);
        cr_assert(gl_key_load(h.key_path[i], &h.keys[i], err, sizeof err) == GL_OK, "%s", err);
    }
    h.absent[K_STRANGER] = true;
}

/* A meta value read directly from the environment; its length, or -1. */
static long meta_get(const char *key, uint8_t *out, size_t out_len)
{
    char dir[400];
    snprintf(dir, sizeof dir, "%s/data", h.dir);
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    cr_assert(mdb_env_create(&env) == 0 && mdb_env_set_maxdbs(env, 64) == 0);
    cr_assert(mdb_env_open(env, dir, MDB_RDONLY | MDB_NOTLS, 0600) == 0);
    cr_assert(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn) == 0);
    cr_assert(mdb_dbi_open(txn, "meta", 0, &dbi) == 0);
    MDB_val k = {strlen(key), (void *)key}, v;
    long len = -1;
    if (mdb_get(txn, dbi, &k, &v) == 0 && v.mv_size <= out_len) {
        memcpy(out, v.mv_data, v.mv_size);
        len = (long)v.mv_size;
    }
    mdb_txn_abort(txn);
    mdb_env_close(env);
    return len;
}

static void set_schema_version(uint32_t version)
{
    char dir[400];
    snprintf(dir, sizeof dir, "%s/data", h.dir);
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    cr_assert(mdb_env_create(&env) == 0 && mdb_env_set_maxdbs(env, 64) == 0);
    cr_assert(mdb_env_open(env, dir, MDB_NOTLS, 0600) == 0);
    cr_assert(mdb_txn_begin(env, NULL, 0, &txn) == 0);
    cr_assert(mdb_dbi_open(txn, "meta", 0, &dbi) == 0);
    uint8_t be[4];
    gl_be32(be, version);
    MDB_val k = {14, "schema_version"}, v = {4, be};
    cr_assert(mdb_put(txn, dbi, &k, &v, 0) == 0);
    cr_assert(mdb_txn_commit(txn) == 0);
    mdb_env_close(env);
}

static uint32_t schema_version(void)
{
    uint8_t v[8];
    cr_assert_eq(meta_get("schema_version", v, sizeof v), 4);
    return gl_rd32(v);
}

/* `grandlivred --print-ledger-id`: 32 lowercase hex digits, into hex. */
static void print_ledger_id(char hex[33])
{
    char out[4096];
    cr_assert_eq(daemon_run(out, sizeof out, "--print-ledger-id"), 0, "%s", out);
    cr_assert_eq(strlen(out), 33, "not one line of 32 digits: '%s'", out);
    cr_assert_eq(out[32], '\n');
    for (int i = 0; i < 32; i++)
        cr_assert((out[i] >= '0' && out[i] <= '9') || (out[i] >= 'a' && out[i] <= 'f'), "'%s'",
                  out);
    memcpy(hex, out, 32);
    hex[32] = '\0';
}

/* The stored ledger id, in hex. */
static void stored_ledger_id(char hex[33])
{
    uint8_t id[32];
    cr_assert_eq(meta_get("ledger_id", id, sizeof id), 16, "no 16-byte ledger_id in meta");
    gl_hex(id, 16, hex);
}

static void read_file(const char *path, char *out, size_t out_len)
{
    FILE *f = fopen(path, "r");
    cr_assert(f, "cannot read %s", path);
    size_t n = fread(out, 1, out_len - 1, f);
    out[n] = '\0';
    fclose(f);
}

/* Fields added to the JSON since the previous release (issue 13: the
 * overdue months of PERIODS) are left out of the comparison, and so is each
 * line's trailing comma: the rest must read exactly as it did. */
static void normalise_json(char *s)
{
    char *out = s;
    for (char *line = s; *line;) {
        char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        /* fields added since: PERIODS' overdue months, the line
         * reference of every journal and ledger row (issue 14), the
         * group balance's adjustments and differences (issue 20) */
        bool added = memmem(line, len, "\"overdue\":", 10) != NULL ||
                     memmem(line, len, "\"ref\":", 6) != NULL ||
                     memmem(line, len, "\"provisional_result\":", 21) != NULL ||
                     memmem(line, len, "\"adjustments\":", 14) != NULL ||
                     memmem(line, len, "\"differences\":", 14) != NULL;
        if (!added) {
            size_t keep = len;
            if (keep && line[keep - 1] == ',')
                keep--;
            memmove(out, line, keep);
            out += keep;
            *out++ = '\n';
        }
        line += len + (end ? 1 : 0);
    }
    *out = 0;
}

/* The CLI reads back what the previous release's client read. */
static void expect_same(const char *expected, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void expect_same(const char *expected, const char *fmt, ...)
{
    char args[1024], path[600], want[65536], got[65536];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(path, sizeof path, "%s/expected/%s", h.dir, expected);
    read_file(path, want, sizeof want);
    cr_assert_gt(strlen(want), 2, "%s is empty", path);
    cr_assert_eq(h_cli(&h, K_AUDITOR, got, sizeof got, "%s --format json", args), 0,
                 "grandlivre %s failed", args);
    normalise_json(want);
    normalise_json(got);
    cr_assert_str_eq(got, want, "grandlivre %s reads otherwise than the previous release", args);
}

/* The same for `entry --format json`, which the previous release printed
 * as the array of the entry's lines and this one as the whole entry (issue
 * 14): its "lines" hold every key of the old lines with the same value. */
static void expect_same_lines(const char *expected, const char *args)
{
    char path[600], want[65536], got[65536];
    snprintf(path, sizeof path, "%s/expected/%s", h.dir, expected);
    read_file(path, want, sizeof want);
    cr_assert_eq(h_cli(&h, K_AUDITOR, got, sizeof got, "%s --format json", args), 0,
                 "grandlivre %s failed", args);
    json_error_t e;
    json_t *old = json_loads(want, 0, &e), *now = json_loads(got, 0, &e);
    cr_assert(json_is_array(old), "%s is no array", path);
    cr_assert(json_is_object(now), "grandlivre %s --format json: %s", args, got);
    json_t *lines = json_object_get(now, "lines");
    cr_assert_eq(json_array_size(lines), json_array_size(old), "%s: %s", args, got);
    size_t i;
    json_t *line;
    json_array_foreach(old, i, line)
    {
        const char *key;
        json_t *value;
        json_object_foreach(line, key, value)
        {
            cr_assert(
                json_equal(value, json_object_get(json_array_get(lines, i), key)),
                "grandlivre %s: line %zu \"%s\" reads otherwise than the previous release\n%s",
                args, i + 1, key, got);
        }
    }
    json_decref(old);
    json_decref(now);
}

Test(upgrade, a_ledger_of_the_previous_release_is_upgraded_read_back_and_verified)
{
    fixture_setup();
    cr_assert_eq(schema_version(), 1, "the fixture is not a schema 1 ledger");
    uint8_t d0[32], d1[32];
    h_digest(&h, d0);

    /* The daemon refuses the old schema and names the command. */
    char out[8192], want[600];
    cr_assert_eq(daemon_run(out, sizeof out, ""), 1, "the daemon started on schema 1:\n%s", out);
    snprintf(want, sizeof want, "run 'grandlivred --upgrade -c %s' after a backup", h.config);
    cr_assert(strstr(out, "schema version 1") && strstr(out, want), "no clear message:\n%s", out);
    cr_assert_eq(daemon_run(out, sizeof out, "--print-ledger-id"), 1, "%s", out);
    cr_assert(strstr(out, want), "%s", out);
    h_digest(&h, d1);
    cr_assert(!memcmp(d0, d1, 32), "a refused start changed the ledger");

    /* The upgrade, then nothing more to do. */
    cr_assert_eq(daemon_run(out, sizeof out, "--upgrade"), 0, "%s", out);
    cr_assert(strstr(out, "schema 1 -> 2") && strstr(out, "ledger id"),
              "the upgrade does not say what it did:\n%s", out);
    cr_assert_eq(schema_version(), GL_SCHEMA_VERSION);
    char id[33], id2[33];
    stored_ledger_id(id);
    h_digest(&h, d0);
    cr_assert_eq(daemon_run(out, sizeof out, "--upgrade"), 0, "%s", out);
    cr_assert(strstr(out, "nothing to do"), "%s", out);
    h_digest(&h, d1);
    cr_assert(!memcmp(d0, d1, 32), "a second upgrade changed the ledger");
    print_ledger_id(id2);
    cr_assert_str_eq(id2, id);

    /* The daemon serves it, and reads back what the previous release read. */
    h_start(&h);
    cr_assert_gt(h_verify_chains(&h), 0, "chains broken by the upgrade");
    for (const char *const *t = (const char *const[]){"alpha", "beta", NULL}; *t; t++)
        for (const char *const *at = (const char *const[]){"2024-12-31", "2025-12-31", NULL}; *at;
             at++) {
            char name[128];
            snprintf(name, sizeof name, "balance-%s-%s.json", *t, *at);
            expect_same(name, "balance --tenant %s --at %s", *t, *at);
        }
    expect_same("balance-alpha-2024-12-31-after-closing.json",
                "balance --tenant alpha --at 2024-12-31 --after-closing");
    expect_same("balance-gamma-2025-06-30.json", "balance --tenant gamma --at 2025-06-30");
    expect_same("balance-gamma-2026-06-30.json", "balance --tenant gamma --at 2026-06-30");
    for (const char *const *t = (const char *const[]){"alpha", "beta", "gamma", NULL}; *t; t++) {
        char name[128];
        snprintf(name, sizeof name, "journal-%s-2024.json", *t);
        expect_same(name, "journal --tenant %s --from 2023-07-01 --to 2024-12-31", *t);
        snprintf(name, sizeof name, "journal-%s-2025.json", *t);
        expect_same(name, "journal --tenant %s --from 2025-01-01 --to 2026-06-30", *t);
        snprintf(name, sizeof name, "periods-%s.json", *t);
        expect_same(name, "periods --tenant %s", *t);
    }
    expect_same("group-balance-2024-12-31.json", "group balance --at 2024-12-31");
    expect_same_lines("entry-alpha-2024-2.json", "entry --tenant alpha 2024/2");
    expect_same("ledger-alpha-411000-2024.json",
                "ledger --tenant alpha --account 411000 --from 2024-01-01 --to 2024-12-31");

    /* A new entry posts on the upgraded ledger, after the old ones. */
    int64_t bank = h_balance(&h, "alpha", "512000", 20251231);
    gl_line_in lines[2];
    gl_entry_in e = h_entry2("alpha", 20250301, "512000", "706000", 4321, lines);
    gl_response resp;
    cr_assert_eq(h_post(&h, K_ALPHA, &e, 1, &resp), GL_OK);
    gl_response_free(&resp);
    cr_assert_eq(h_balance(&h, "alpha", "512000", 20251231), bank + 4321);

    /* The mixed history verifies offline. */
    char archive[400];
    snprintf(archive, sizeof archive, "%s/all.glarchive", h.dir);
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "archive --all -o '%s'", archive), 0,
                 "archive failed");
    cr_assert_eq(run(out, sizeof out, "'%s/grandlivre' verify '%s'", h_build_dir(), archive), 0,
                 "the upgraded ledger's archive does not verify:\n%s", out);
    cr_assert_gt(h_verify_chains(&h), 0);
    /* The ledger id the daemon serves with is the upgrade's. */
    h_stop(&h);
    print_ledger_id(id2);
    cr_assert_str_eq(id2, id);
}

Test(upgrade, a_ledger_newer_than_the_program_is_refused_by_the_daemon_and_by_upgrade)
{
    h_setup(&h);
    h_stop(&h);
    set_schema_version(GL_SCHEMA_VERSION + 1);
    uint8_t d0[32], d1[32];
    h_digest(&h, d0);
    char out[8192], want[200];
    snprintf(want, sizeof want, "schema version %d, newer than this grandlivred (%d)",
             GL_SCHEMA_VERSION + 1, GL_SCHEMA_VERSION);
    cr_assert_eq(daemon_run(out, sizeof out, ""), 1, "the daemon started on a newer schema:\n%s",
                 out);
    cr_assert(strstr(out, want), "no clear message:\n%s", out);
    cr_assert_eq(daemon_run(out, sizeof out, "--upgrade"), 1,
                 "--upgrade ran on a newer schema:\n%s", out);
    cr_assert(strstr(out, want), "no clear message:\n%s", out);
    cr_assert_eq(daemon_run(out, sizeof out, "--print-ledger-id"), 1, "%s", out);
    h_digest(&h, d1);
    cr_assert(!memcmp(d0, d1, 32), "the ledger changed");
    set_schema_version(GL_SCHEMA_VERSION); /* and it opens again */
    h_start(&h);
    cr_assert_eq(h_balance(&h, "alpha", "512000", 20251231), 0);
}

Test(upgrade, a_new_data_directory_starts_at_the_current_schema_with_its_own_ledger_id)
{
    /* --print-ledger-id on a data directory not yet created: it creates
     * what the daemon would (the ledger), nothing else. */
    fixture_setup();
    char cmd[600], out[4096], id[33], again[33], stored[33];
    snprintf(cmd, sizeof cmd, "rm -rf '%s/data'", h.dir);
    cr_assert(system(cmd) == 0);
    print_ledger_id(id);
    cr_assert_eq(schema_version(), GL_SCHEMA_VERSION);
    stored_ledger_id(stored);
    cr_assert_str_eq(id, stored);
    struct stat sb;
    snprintf(cmd, sizeof cmd, "%s/data/server.key", h.dir);
    cr_assert(stat(cmd, &sb) != 0, "--print-ledger-id created the server key");
    cr_assert_eq(daemon_run(out, sizeof out, "--upgrade"), 0, "%s", out);
    cr_assert(strstr(out, "nothing to do"), "%s", out);
    h_start(&h);
    h_stop(&h);
    print_ledger_id(again);
    cr_assert_str_eq(again, id, "the ledger id changed over a start");
    h_teardown(&h);
    /* Another data directory, another id. */
    h_setup(&h);
    h_stop(&h);
    print_ledger_id(again);
    cr_assert_str_neq(again, id);
    cr_assert_eq(schema_version(), GL_SCHEMA_VERSION);
}

Test(upgrade, upgrade_of_a_directory_without_a_ledger_creates_nothing)
{
    fixture_setup();
    char cmd[600], out[4096];
    snprintf(cmd, sizeof cmd, "rm -rf '%s/data'", h.dir);
    cr_assert(system(cmd) == 0);
    cr_assert_eq(daemon_run(out, sizeof out, "--upgrade"), 0, "%s", out);
    cr_assert(strstr(out, "no ledger"), "%s", out);
    struct stat sb;
    snprintf(cmd, sizeof cmd, "%s/data", h.dir);
    cr_assert(stat(cmd, &sb) != 0, "--upgrade created %s", cmd);
}

Test(upgrade, the_ledger_id_travels_in_backups)
{
    h_setup(&h);
    char id[33], copy[33], backup[400], cmd[1400];
    stored_ledger_id(id);
    /* Backups go only into the configured backup_dir (h.dir/backups). */
    snprintf(backup, sizeof backup, "%s/backups", h.dir);
    cr_assert(mkdir(backup, 0700) == 0);
    h_stop(&h);
    snprintf(h.daemon_extra, sizeof h.daemon_extra, "backup_dir = %s\n", backup);
    h_write_config(&h);
    h_start(&h);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "backup backup.mdb"), 0,
                 "grandlivre backup failed");
    h_stop(&h);
    /* Restored in place of the data directory, as the backup's help says. */
    snprintf(
        cmd, sizeof cmd,
        "cd '%s' && mv data data.orig && mkdir -m 700 data && mv backups/backup.mdb data/data.mdb && "
        "cp -p data.orig/server.key data/",
        h.dir);
    cr_assert(system(cmd) == 0);
    stored_ledger_id(copy);
    cr_assert_str_eq(copy, id, "the backup holds another ledger id");
    print_ledger_id(copy);
    cr_assert_str_eq(copy, id);
    h_start(&h);
}

static bool count_record(const uint8_t *k, size_t k_len, const uint8_t *v, size_t v_len, void *user)
{
    (void)k, (void)k_len, (void)v, (void)v_len;
    (*(long *)user)++;
    return true;
}

/* Issue 17 (branch w10e): the step to schema 7 creates carry_modes empty,
 * every account summarised as before; CARRY_MODE_SET then writes it. */
Test(upgrade, the_step_to_schema_7_creates_carry_modes_empty)
{
    fixture_setup();
    char out[8192];
    cr_assert_eq(daemon_run(out, sizeof out, "--upgrade"), 0, "%s", out);
    cr_assert(strstr(out, "schema 6 -> 7") && strstr(out, "carry-over modes"), "%s", out);
    cr_assert_eq(schema_version(), GL_SCHEMA_VERSION);
    long n = 0;
    h_db_each(&h, "carry_modes", count_record, &n);
    cr_assert_eq(n, 0);
    h_start(&h);
    gl_buf b;
    gl_buf_init(&b);
    gl_put_str8(&b, "411000", 6);
    gl_put_u8(&b, 1); /* detailed */
    gl_response r;
    cr_assert_eq(h_call(&h, K_ACCOUNTANT, GL_KIND_CARRY_MODE_SET, "alpha", 0, b.data, b.len, &r),
                 GL_OK);
    gl_response_free(&r);
    gl_buf_free(&b);
    h_stop(&h);
    h_db_each(&h, "carry_modes", count_record, &n);
    cr_assert_eq(n, 1);
}

/* Issue 17 (reminders): schema 5 -> 6 adds the table of reminders, empty;
 * the upgraded ledger records and reads them. */
Test(upgrade, schema_6_brings_an_empty_table_of_reminders)
{
    fixture_setup();
    char out[8192];
    cr_assert_eq(daemon_run(out, sizeof out, "--upgrade"), 0, "%s", out);
    cr_expect(strstr(out, "schema 5 -> 6") && strstr(out, "reminders"), "%s", out);
    cr_assert_eq(schema_version(), GL_SCHEMA_VERSION);
    h_start(&h);
    gl_response r;
    uint32_t count = 99;
    cr_assert_eq(h_call(&h, K_ALPHA, GL_KIND_REMINDERS, "alpha", 0, NULL, 0, &r), GL_OK);
    cr_expect_eq(gl_reminders_reply_count(r.reply.body, r.reply.body_len, &count), GL_OK);
    cr_expect_eq(count, 0u, "no reminder before the upgrade");
    gl_response_free(&r);
    gl_reminder_item it = {{"CLI01", 5}, 2};
    gl_buf body;
    gl_buf_init(&body);
    gl_reminder_q_encode(&body, 20250630, &it, 1);
    cr_assert_eq(h_call(&h, K_ALPHA, GL_KIND_REMINDER_RECORD, "alpha", 0, body.data, body.len, &r),
                 GL_OK);
    gl_response_free(&r);
    gl_buf_free(&body);
    cr_assert_eq(h_call(&h, K_ALPHA, GL_KIND_REMINDERS, "alpha", 0, NULL, 0, &r), GL_OK);
    cr_expect_eq(gl_reminders_reply_count(r.reply.body, r.reply.body_len, &count), GL_OK);
    cr_expect_eq(count, 1u);
    gl_response_free(&r);
    cr_assert_gt(h_verify_chains(&h), 0);
    h_stop(&h);
}
