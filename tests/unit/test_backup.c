/*
 * tests/unit/test_backup.c — the BACKUP body (proto/backup.c): one plain
 * file name, each other kind of name refused with its status; and the
 * daemon's `[daemon] backup_dir` setting (daemon/config.c): a directory
 * that exists, not a symlink, relative paths taken from the configuration
 * file's directory, every mistake reported at its line.
 */
#include "daemon/config.h"
#include "proto/backup.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int decode(const char *name, size_t len)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_backup_q_encode(&b, name, len);
    gl_str got;
    int st = gl_backup_q_decode(b.data, b.len, &got);
    if (st == GL_OK)
        cr_expect(got.len == len && !memcmp(got.ptr, name, len));
    gl_buf_free(&b);
    return st;
}

Test(backup, names_that_are_not_one_plain_file_name_are_refused)
{
    char over[GL_BACKUP_NAME_MAX + 2];
    memset(over, 'x', sizeof over);
    struct {
        const char *name;
        size_t len;
        int status;
    } cases[] = {
        {"/tmp/x.mdb", 10, GL_ERR_BAD_FILE_NAME},
        {"../x", 4, GL_ERR_BAD_FILE_NAME},
        {"a/b", 3, GL_ERR_BAD_FILE_NAME},
        {".hidden", 7, GL_ERR_BAD_FILE_NAME},
        {".", 1, GL_ERR_BAD_FILE_NAME},
        {"..", 2, GL_ERR_BAD_FILE_NAME},
        {"", 0, GL_ERR_BAD_FILE_NAME},
        {"caf\xc3\xa9", 5, GL_ERR_BAD_FILE_NAME},
        {"a b", 3, GL_ERR_BAD_FILE_NAME},
        {"a:b", 3, GL_ERR_BAD_FILE_NAME},
        {"a\0b", 3, GL_ERR_STRING_INVALID},
        {"a\tb", 3, GL_ERR_STRING_INVALID},
        {"\xe2\x81\xa6x", 4, GL_ERR_STRING_INVALID},
        {over, GL_BACKUP_NAME_MAX + 1, GL_ERR_STRING_TOO_LONG},
        {over, GL_BACKUP_NAME_MAX, GL_OK},
        {"ledger-2025-12-31.mdb", 21, GL_OK},
        {"A.b_c-9", 7, GL_OK},
        {"x", 1, GL_OK},
        {"x.", 2, GL_OK},
        {"-x", 2, GL_OK},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int st = decode(cases[i].name, cases[i].len);
        cr_expect_eq(st, cases[i].status, "'%.*s': %s, want %s", (int)cases[i].len, cases[i].name,
                     gl_status_name(st), gl_status_name(cases[i].status));
    }
}

Test(backup, body_must_be_exactly_one_str16)
{
    gl_str name;
    static const uint8_t trailing[] = {0, 1, 'x', 0};
    static const uint8_t short_len[] = {0, 5, 'x'};
    cr_expect_eq(gl_backup_q_decode(trailing, sizeof trailing, &name), GL_ERR_TRAILING_BYTES);
    cr_expect_eq(gl_backup_q_decode(short_len, sizeof short_len, &name), GL_ERR_MALFORMED);
    cr_expect_eq(gl_backup_q_decode(NULL, 0, &name), GL_ERR_MALFORMED);
}

/* ---- the configuration's backup_dir ------------------------------------- */

static char dir[64], path[128];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/gl-backup-XXXXXX");
    cr_assert(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/g.conf", dir);
}

static void cleanup(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert(system(cmd) == 0);
}

/* Load a configuration whose [daemon] holds `backup_dir = value` (line 3). */
static int load(const char *value, gl_config *c)
{
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fprintf(f, "[daemon]\ndata_dir = d\nbackup_dir = %s\n", value);
    cr_assert(fclose(f) == 0);
    return gl_config_load(path, c);
}

static void refused(const char *value, const char *needle)
{
    gl_config c;
    cr_expect_eq(load(value, &c), 1, "backup_dir = %s accepted", value);
    char want[200];
    snprintf(want, sizeof want, "%s:3: backup_dir", path);
    cr_expect(c.error_count == 1 && !strncmp(c.errors[0], want, strlen(want)) &&
                  strstr(c.errors[0], needle),
              "backup_dir = %s: %s", value, c.error_count ? c.errors[0] : "(no error)");
    gl_config_free(&c);
}

Test(backup, config_backup_dir_must_be_an_existing_directory, .init = make_dir, .fini = cleanup)
{
    char p[200];
    snprintf(p, sizeof p, "%s/missing", dir);
    refused(p, "does not exist");
    snprintf(p, sizeof p, "%s/file", dir);
    FILE *f = fopen(p, "w");
    cr_assert(f && fclose(f) == 0);
    refused(p, "not a directory");
    char target[200];
    snprintf(target, sizeof target, "%s/real", dir);
    cr_assert(mkdir(target, 0700) == 0);
    snprintf(p, sizeof p, "%s/link", dir);
    cr_assert(symlink(target, p) == 0);
    refused(p, "symbolic link");
    refused("", "empty");
}

Test(backup, config_backup_dir_absolute_or_relative_to_the_file, .init = make_dir, .fini = cleanup)
{
    char p[200], want[200];
    snprintf(p, sizeof p, "%s/bk", dir);
    cr_assert(mkdir(p, 0700) == 0);
    gl_config c;
    cr_expect_eq(load(p, &c), 0, "%s", c.error_count ? c.errors[0] : "");
    cr_expect_str_eq(c.backup_dir, p);
    gl_config_free(&c);
    cr_expect_eq(load("bk", &c), 0, "%s", c.error_count ? c.errors[0] : "");
    snprintf(want, sizeof want, "%s/bk", dir);
    cr_expect_str_eq(c.backup_dir, want);
    gl_config_free(&c);
    /* Not set: backups are disabled, and that is no error. */
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs("[daemon]\ndata_dir = d\n", f);
    cr_assert(fclose(f) == 0);
    cr_expect_eq(gl_config_load(path, &c), 0);
    cr_expect_str_empty(c.backup_dir);
    gl_config_free(&c);
}
