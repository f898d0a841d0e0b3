/*
 * tests/integration/test_backup_dir.c — BACKUP writes only into the
 * configured `[daemon] backup_dir` (issue 11, item 1).  Before, the request
 * carried an absolute path and the daemon created that file anywhere its
 * user could, with bytes a member controls.  Now the request names one file:
 * every name that is not one plain file name — an absolute path, "../x",
 * "a/b", ".hidden", "", one over 64 bytes, one holding a NUL or a non-ASCII
 * character — is refused with its status, changes nothing and creates
 * nothing, neither in backup_dir nor where the old exploit wrote; a symlink
 * planted under the name is not followed and an existing file is never
 * replaced (505); without backup_dir the daemon answers 504; a copy that
 * fails leaves no partial file; and a good backup lands in backup_dir, says
 * where, restores and verifies.
 */
#include "tests/crash/torture.h"
#include "tests/support/harness.h"

#include "proto/backup.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static harness h;
static char backups[400]; /* h.dir/backups, the configured backup_dir */

/* The harness's daemon, restarted with backup_dir = h.dir/backups. */
static void setup(void)
{
    h_setup(&h);
    static const char *const chart[] = {"401000", "512000", "606100"};
    h_open_accounts(&h, "alpha", chart, 3);
    snprintf(backups, sizeof backups, "%s/backups", h.dir);
    cr_assert(mkdir(backups, 0700) == 0);
    h_stop(&h);
    snprintf(h.daemon_extra, sizeof h.daemon_extra, "backup_dir = %s\n", backups);
    h_write_config(&h);
    h_start(&h);
}
static void teardown(void) { h_teardown(&h); }

TestSuite(backup_dir, .init = setup, .fini = teardown, .timeout = 120);

static int backup_raw(enum h_key k, const char *name, size_t len, gl_response *r)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_backup_q_encode(&b, name, len);
    int st = h_call(&h, k, GL_KIND_BACKUP, "", 0, b.data, b.len, r);
    gl_buf_free(&b);
    return st;
}

static int backup(const char *name, gl_response *r)
{
    return backup_raw(K_ACCOUNTANT, name, strlen(name), r);
}

static int entries_in(const char *dir)
{
    DIR *d = opendir(dir);
    cr_assert(d, "cannot list %s", dir);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

Test(backup_dir, a_name_that_is_not_one_plain_file_name_is_refused_and_creates_nothing)
{
    char exploit[128], parent_x[420], over[GL_BACKUP_NAME_MAX + 2];
    snprintf(exploit, sizeof exploit, "/tmp/gl-backup-exploit-%ld.mdb", (long)getpid());
    snprintf(parent_x, sizeof parent_x, "%s/x", h.dir);
    memset(over, 'a', sizeof over - 1);
    over[sizeof over - 1] = '\0';
    unlink(exploit);
    static const char nul_name[] = "a\0b.mdb";
    struct {
        const char *name;
        size_t len;
        int status;
    } cases[] = {
        {exploit, strlen(exploit), GL_ERR_BAD_FILE_NAME}, /* the old exploit: an absolute path */
        {"../x", 4, GL_ERR_BAD_FILE_NAME},
        {"a/b", 3, GL_ERR_BAD_FILE_NAME},
        {".hidden", 7, GL_ERR_BAD_FILE_NAME},
        {".", 1, GL_ERR_BAD_FILE_NAME},
        {"..", 2, GL_ERR_BAD_FILE_NAME},
        {"", 0, GL_ERR_BAD_FILE_NAME},
        {"a b", 3, GL_ERR_BAD_FILE_NAME},
        {"caf\xc3\xa9.mdb", 9, GL_ERR_BAD_FILE_NAME}, /* non-ASCII (valid UTF-8) */
        {"a\\b", 3, GL_ERR_BAD_FILE_NAME},
        {"*.mdb", 5, GL_ERR_BAD_FILE_NAME},
        {over, GL_BACKUP_NAME_MAX + 1, GL_ERR_STRING_TOO_LONG},
        {nul_name, sizeof nul_name - 1, GL_ERR_STRING_INVALID}, /* the text rule comes first */
        {"a\nb", 3, GL_ERR_STRING_INVALID},
        {"\xe2\x80\xae"
         "bdm.x",
         8, GL_ERR_STRING_INVALID},             /* U+202E */
        {"\xff.mdb", 5, GL_ERR_STRING_INVALID}, /* not UTF-8 */
    };
    uint8_t before[32], after[32];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        h_digest(&h, before);
        gl_response r;
        int st = backup_raw(K_ACCOUNTANT, cases[i].name, cases[i].len, &r);
        cr_expect_eq(st, cases[i].status, "case %zu '%.*s': %s (%d), want %s", i, (int)cases[i].len,
                     cases[i].name, gl_status_name(st), st, gl_status_name(cases[i].status));
        gl_response_free(&r);
        h_digest(&h, after);
        cr_expect(!memcmp(before, after, 32), "case %zu: the ledger changed", i);
        cr_expect_eq(entries_in(backups), 0, "case %zu: something was created in backup_dir", i);
    }
    cr_assert(!exists(exploit), "%s was written: the old exploit still works", exploit);
    cr_assert(!exists(parent_x), "%s was written", parent_x);
    /* The limit itself is a good name. */
    gl_response r;
    over[GL_BACKUP_NAME_MAX] = '\0';
    cr_assert_eq(backup(over, &r), GL_OK);
    gl_response_free(&r);
}

Test(backup_dir, members_and_auditors_may_not_back_up)
{
    gl_response r;
    cr_expect_eq(backup_raw(K_ALPHA, "m.mdb", 5, &r), GL_ERR_FORBIDDEN_ROLE);
    gl_response_free(&r);
    cr_expect_eq(backup_raw(K_AUDITOR, "a.mdb", 5, &r), GL_ERR_FORBIDDEN_ROLE);
    gl_response_free(&r);
    cr_expect_eq(entries_in(backups), 0);
}

Test(backup_dir, a_symlink_planted_at_the_name_is_not_followed)
{
    char link[420], target[420], existing[420];
    snprintf(link, sizeof link, "%s/evil.mdb", backups);
    snprintf(target, sizeof target, "%s/target-of-link", h.dir);
    cr_assert(symlink(target, link) == 0);
    uint8_t before[32], after[32];
    h_digest(&h, before);
    gl_response r;
    int st = backup("evil.mdb", &r);
    cr_expect_eq(st, GL_ERR_BACKUP_EXISTS, "dangling symlink: %s", gl_status_name(st));
    gl_response_free(&r);
    cr_expect(!exists(target), "the daemon followed the symlink and created its target");
    /* A symlink to an existing file: refused, the file untouched. */
    snprintf(existing, sizeof existing, "%s/precious", h.dir);
    FILE *f = fopen(existing, "w");
    cr_assert(f);
    fputs("precious\n", f);
    cr_assert(fclose(f) == 0);
    cr_assert(unlink(link) == 0 && symlink(existing, link) == 0);
    st = backup("evil.mdb", &r);
    cr_expect_eq(st, GL_ERR_BACKUP_EXISTS, "symlink to a file: %s", gl_status_name(st));
    gl_response_free(&r);
    struct stat sb;
    cr_assert(stat(existing, &sb) == 0);
    cr_expect_eq(sb.st_size, 9, "the symlink's target was written");
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32), "the ledger changed");
}

Test(backup_dir, an_existing_file_is_never_replaced)
{
    gl_response r;
    cr_assert_eq(backup("once.mdb", &r), GL_OK);
    gl_response_free(&r);
    char path[420];
    snprintf(path, sizeof path, "%s/once.mdb", backups);
    struct stat first, second;
    cr_assert(stat(path, &first) == 0);
    cr_assert_eq(backup("once.mdb", &r), GL_ERR_BACKUP_EXISTS);
    char want[480];
    snprintf(want, sizeof want, "%s already exists", path);
    cr_expect(r.reply.detail.len && strstr(r.reply.detail.ptr, want) != NULL, "detail: %.*s",
              (int)r.reply.detail.len, r.reply.detail.ptr);
    gl_response_free(&r);
    cr_assert(stat(path, &second) == 0);
    cr_expect(first.st_ino == second.st_ino && first.st_mtim.tv_nsec == second.st_mtim.tv_nsec &&
                  first.st_mtim.tv_sec == second.st_mtim.tv_sec,
              "the backup was replaced");
    cr_expect_eq(entries_in(backups), 1);
}

Test(backup_dir, without_backup_dir_backups_are_disabled)
{
    h_stop(&h);
    h.daemon_extra[0] = '\0';
    h_write_config(&h);
    h_start(&h);
    uint8_t before[32], after[32];
    h_digest(&h, before);
    gl_response r;
    int st = backup("nowhere.mdb", &r);
    cr_expect_eq(st, GL_ERR_BACKUP_DISABLED, "%s", gl_status_name(st));
    gl_response_free(&r);
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32));
    cr_expect_eq(entries_in(backups), 0);
    char cwd_file[PATH_MAX + 32];
    cr_assert(getcwd(cwd_file, PATH_MAX));
    strcat(cwd_file, "/nowhere.mdb");
    cr_expect(!exists(cwd_file), "written in the working directory");
}

/* grandlivred -n on a configuration (h.config rewritten first); returns its
 * exit status, its standard error in err. */
static int check_config(char *err, size_t err_len)
{
    h_write_config(&h);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "'%s/grandlivred' -c '%s' -n 2>&1", h_build_dir(), h.config);
    FILE *p = popen(cmd, "r");
    cr_assert(p);
    size_t n = fread(err, 1, err_len - 1, p);
    err[n] = '\0';
    int status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

Test(backup_dir, a_backup_dir_that_is_not_a_directory_fails_the_check_and_the_start)
{
    char err[2048], file[420], link[420];
    snprintf(file, sizeof file, "%s/a-file", h.dir);
    FILE *f = fopen(file, "w");
    cr_assert(f && fclose(f) == 0);
    snprintf(link, sizeof link, "%s/link-to-backups", h.dir);
    cr_assert(symlink(backups, link) == 0);
    const char *bad[] = {"/nonexistent/gl-backups", file, link};
    for (size_t i = 0; i < 3; i++) {
        snprintf(h.daemon_extra, sizeof h.daemon_extra, "backup_dir = %s\n", bad[i]);
        cr_expect_eq(check_config(err, sizeof err), 1, "-n accepted backup_dir = %s", bad[i]);
        cr_expect(strstr(err, "backup_dir") != NULL, "-n: %s", err);
    }
    /* The daemon refuses to start on the last one, as -n said. */
    h_stop(&h);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "'%s/grandlivred' -c '%s' 2>/dev/null", h_build_dir(), h.config);
    int status = system(cmd);
    cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 1,
              "the daemon started with backup_dir = %s", link);
    snprintf(h.daemon_extra, sizeof h.daemon_extra, "backup_dir = %s\n", backups);
    cr_expect_eq(check_config(err, sizeof err), 0, "-n: %s", err);
    h_start(&h);
}

Test(backup_dir, a_good_backup_lands_in_backup_dir_says_where_and_verifies)
{
    for (int i = 0; i < 20; i++) {
        gl_line_in l[2];
        gl_entry_in e =
            h_entry2("alpha", 20250301 + (uint32_t)(i % 28), "606100", "512000", 100 + i, l);
        gl_response r;
        cr_assert_eq(h_post(&h, K_ALPHA, &e, 1, &r), GL_OK);
        gl_response_free(&r);
    }
    gl_response r;
    cr_assert_eq(backup("ledger-2025.mdb", &r), GL_OK);
    gl_cur c;
    gl_cur_init(&c, r.reply.body, r.reply.body_len);
    gl_str where = gl_get_str16(&c, 4096);
    cr_assert_eq(gl_cur_end(&c), GL_OK);
    char path[420];
    snprintf(path, sizeof path, "%s/ledger-2025.mdb", backups);
    cr_expect_eq(where.len, strlen(path));
    cr_expect(!memcmp(where.ptr, path, where.len), "reply path %.*s, want %s", (int)where.len,
              where.ptr, path);
    gl_response_free(&r);
    struct stat sb;
    cr_assert(stat(path, &sb) == 0);
    cr_expect_eq(sb.st_mode & 0777, 0600, "mode %o", sb.st_mode & 0777);

    /* The CLI says where the file went. */
    char out[1024];
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, out, sizeof out, "backup cli.mdb"), 0);
    char want[480];
    snprintf(want, sizeof want, "%s/cli.mdb\n", backups);
    cr_expect_str_eq(out, want);

    /* Restored as a data directory, it verifies and holds the same chains. */
    char restored[420], cmd[1400];
    snprintf(restored, sizeof restored, "%s/restored", h.dir);
    snprintf(cmd, sizeof cmd, "install -d -m 0700 '%s' && install -m 0600 '%s' '%s/data.mdb'",
             restored, path, restored);
    cr_assert(system(cmd) == 0);
    ck_result res;
    int rc = ck_check(restored, NULL, 0, INT64_MAX, NULL, &res);
    cr_assert_eq(rc, 0, "the backup does not verify: %s", res.first_failure);
    h_stop(&h);
    char data[420];
    snprintf(data, sizeof data, "%s/data", h.dir);
    ck_chain_head live[8], copy[8];
    int n_live = ck_chain_heads(data, live, 8), n_copy = ck_chain_heads(restored, copy, 8);
    cr_assert_eq(n_live, n_copy);
    for (int i = 0; i < n_live; i++) {
        cr_expect_str_eq(live[i].tenant, copy[i].tenant);
        cr_expect_eq(live[i].seq, copy[i].seq);
        cr_expect(!memcmp(live[i].hash, copy[i].hash, 32), "%s: heads differ", live[i].tenant);
    }
    h_start(&h);
}

/* A copy that fails (backup_dir on a 64 KiB tmpfs, the ledger larger) is
 * answered 500 and leaves no partial file.  Skipped where mounting is not
 * permitted. */
Test(backup_dir, a_failed_copy_leaves_no_partial_file)
{
    char small[420], cmd[600];
    snprintf(small, sizeof small, "%s/small", h.dir);
    cr_assert(mkdir(small, 0700) == 0);
    snprintf(cmd, sizeof cmd, "mount -t tmpfs -o size=64k,mode=0700 tmpfs '%s' 2>/dev/null", small);
    if (system(cmd) != 0) {
        cr_log_warn("cannot mount a tmpfs here: the failed-copy case is not checked");
        return;
    }
    h_stop(&h);
    snprintf(h.daemon_extra, sizeof h.daemon_extra, "backup_dir = %s\n", small);
    h_write_config(&h);
    h_start(&h);
    for (int i = 0; i < 30; i++) { /* well over 64 KiB of ledger */
        gl_buf body;
        gl_buf_init(&body);
        gl_put_u32(&body, 50);
        for (int k = 0; k < 50; k++) {
            char label[200];
            snprintf(label, sizeof label, "%0150d", i * 50 + k);
            gl_line_in l[2] = {{"606100", "", "", "", GL_SIDE_DEBIT, 100},
                               {"512000", "", "", "", GL_SIDE_CREDIT, 100}};
            gl_entry_in e = {.tenant = "alpha",
                             .journal = "OD",
                             .piece_ref = "P",
                             .label = label,
                             .date = 20250301,
                             .piece_date = 20250301,
                             .line_count = 2,
                             .lines = l};
            cr_assert_eq(gl_entry_encode(&body, &e), GL_OK);
        }
        gl_response r;
        cr_assert_eq(h_call(&h, K_ALPHA, GL_KIND_POST, "alpha", gl_request_id_random(), body.data,
                            body.len, &r),
                     GL_OK);
        gl_response_free(&r);
        gl_buf_free(&body);
    }
    uint8_t before[32], after[32];
    h_digest(&h, before);
    gl_response r;
    int st = backup("too-big.mdb", &r);
    cr_expect_eq(st, GL_ERR_STORAGE, "%s", gl_status_name(st));
    gl_response_free(&r);
    h_digest(&h, after);
    cr_expect(!memcmp(before, after, 32));
    cr_expect_eq(entries_in(small), 0, "a partial backup was left behind");
    cr_assert_eq(backup("x", &r), GL_ERR_STORAGE, "the daemon still serves"); /* and again */
    gl_response_free(&r);
    h_stop(&h);
    snprintf(cmd, sizeof cmd, "umount '%s'", small);
    cr_expect(system(cmd) == 0);
    snprintf(h.daemon_extra, sizeof h.daemon_extra, "backup_dir = %s\n", backups);
    h_write_config(&h);
    h_start(&h);
}

/* backup_dir applies on a reload (SIGHUP); one that fails the check is
 * refused and the running one kept. */
Test(backup_dir, a_reload_moves_backup_dir_or_keeps_the_running_one)
{
    char other[420];
    snprintf(other, sizeof other, "%s/other", h.dir);
    cr_assert(mkdir(other, 0700) == 0);
    snprintf(h.daemon_extra, sizeof h.daemon_extra, "backup_dir = %s\n", other);
    cr_assert(h_reload(&h), "a reload with a new backup_dir was refused");
    gl_response r;
    cr_assert_eq(backup("moved.mdb", &r), GL_OK);
    gl_response_free(&r);
    cr_expect_eq(entries_in(other), 1);
    cr_expect_eq(entries_in(backups), 0);
    snprintf(h.daemon_extra, sizeof h.daemon_extra, "backup_dir = %s/missing\n", h.dir);
    cr_assert(!h_reload(&h), "a reload with a missing backup_dir was applied");
    cr_assert_eq(backup("kept.mdb", &r), GL_OK);
    gl_response_free(&r);
    cr_expect_eq(entries_in(other), 2);
}
