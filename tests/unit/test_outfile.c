/*
 * tests/unit/test_outfile.c — client/cli/outfile.c, the atomic output
 * writer, on a fresh directory per test: refusals first (an existing file
 * without force, a symbolic link — to a file, dangling, to a directory —
 * even with force, a directory, names with no file in them), each leaving
 * the destination, the link's target and the directory as they were; then
 * creation (content, mode), replacement with force (a new inode: the old
 * file is never truncated in place), a file or link appearing between
 * open and commit, and failures in the middle (the file size limit, a
 * directory removed) that leave no temporary file behind.
 */
#include "client/cli/outfile.h"
#include "proto/status.h"

#include <criterion/criterion.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];
static char err[512];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/gl-outfile-XXXXXX");
    cr_assert(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(outfile, .init = setup, .fini = teardown, .timeout = 20);

static const char *at(const char *name)
{
    static char paths[8][256];
    static int next;
    char *p = paths[next++ % 8];
    snprintf(p, 256, "%s/%s", dir, name);
    return p;
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert(f, "%s: %s", path, strerror(errno));
    fputs(text, f);
    cr_assert_eq(fclose(f), 0);
}

/* The whole file, or NULL if it does not exist (the caller frees). */
static char *get(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *buf = calloc(1, 1 << 16);
    cr_assert(buf);
    size_t n = fread(buf, 1, (1 << 16) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void expect_content(const char *path, const char *want)
{
    char *got = get(path);
    cr_assert(got, "%s is missing", path);
    cr_expect_str_eq(got, want, "%s", path);
    free(got);
}

/* The names in dir, sorted, joined with spaces ("" if empty). */
static void listing(char *out, size_t out_len)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    cr_assert_geq(n, 0);
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, "..")) {
            if (out[0])
                strncat(out, " ", out_len - strlen(out) - 1);
            strncat(out, names[i]->d_name, out_len - strlen(out) - 1);
        }
        free(names[i]);
    }
    free(names);
}

static void expect_listing(const char *want)
{
    char got[1024];
    listing(got, sizeof got);
    cr_expect_str_eq(got, want, "the directory holds [%s], want [%s]", got, want);
}

static bool is_link(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
}

/* ------------------------------------------------------------------ */
/* Refusals                                                            */
/* ------------------------------------------------------------------ */

Test(outfile, an_existing_file_is_refused_without_force_and_left_as_it_was)
{
    put(at("out.csv"), "KEEP\n");
    cr_assert_eq(outfile_check(at("out.csv"), false, err, sizeof err), GL_ERR_OUTPUT_EXISTS);
    cr_expect(strstr(err, "exists; --force replaces it"), "%s", err);
    outfile o;
    cr_assert_eq(outfile_open(&o, at("out.csv"), OUTFILE_MODE_PUBLIC, false, err, sizeof err),
                 GL_ERR_OUTPUT_EXISTS);
    cr_assert_null(o.f);
    cr_assert_eq(
        outfile_write(at("out.csv"), "NEW\n", 4, OUTFILE_MODE_PUBLIC, false, err, sizeof err),
        GL_ERR_OUTPUT_EXISTS);
    expect_content(at("out.csv"), "KEEP\n");
    expect_listing("out.csv");
}

/* A link to a file elsewhere: the target is never written, the link never
 * replaced, with or without force. */
Test(outfile, a_symbolic_link_is_never_followed_nor_replaced_even_with_force)
{
    cr_assert_eq(mkdir(at("elsewhere"), 0700), 0);
    put(at("elsewhere/target"), "TARGET\n");
    cr_assert_eq(symlink("elsewhere/target", at("out.csv")), 0);
    for (int force = 0; force <= 1; force++) {
        cr_assert_eq(outfile_check(at("out.csv"), force, err, sizeof err), GL_ERR_OUTPUT_NOT_FILE);
        cr_expect(strstr(err, "symbolic link"), "%s", err);
        outfile o;
        cr_assert_eq(outfile_open(&o, at("out.csv"), OUTFILE_MODE_PUBLIC, force, err, sizeof err),
                     GL_ERR_OUTPUT_NOT_FILE);
        cr_assert_eq(
            outfile_write(at("out.csv"), "EVIL\n", 5, OUTFILE_MODE_PUBLIC, force, err, sizeof err),
            GL_ERR_OUTPUT_NOT_FILE);
    }
    expect_content(at("elsewhere/target"), "TARGET\n");
    cr_expect(is_link(at("out.csv")));
    expect_listing("elsewhere out.csv");
}

/* A dangling link: the classic way to make a program create a file where
 * the link points (~/.ssh/authorized_keys...).  Nothing is created. */
Test(outfile, a_dangling_link_creates_nothing_where_it_points)
{
    cr_assert_eq(symlink("planted", at("out.csv")), 0);
    for (int force = 0; force <= 1; force++)
        cr_assert_eq(
            outfile_write(at("out.csv"), "EVIL\n", 5, OUTFILE_MODE_PUBLIC, force, err, sizeof err),
            GL_ERR_OUTPUT_NOT_FILE);
    cr_expect_null(get(at("planted")));
    expect_listing("out.csv");
}

Test(outfile, a_directory_or_a_link_to_one_is_refused)
{
    cr_assert_eq(mkdir(at("sub"), 0700), 0);
    cr_assert_eq(symlink("sub", at("link")), 0);
    cr_assert_eq(outfile_write(at("sub"), "x", 1, OUTFILE_MODE_PUBLIC, true, err, sizeof err),
                 GL_ERR_OUTPUT_NOT_FILE);
    cr_expect(strstr(err, "not a regular file"), "%s", err);
    cr_assert_eq(outfile_write(at("link"), "x", 1, OUTFILE_MODE_PUBLIC, true, err, sizeof err),
                 GL_ERR_OUTPUT_NOT_FILE);
    /* nothing went into the directory through the link */
    cr_assert_eq(outfile_write(at("link/"), "x", 1, OUTFILE_MODE_PUBLIC, true, err, sizeof err),
                 GL_ERR_USAGE);
    expect_listing("link sub");
    char inner[1024];
    snprintf(inner, sizeof inner, "ls -A '%s/sub' | wc -l | grep -qx 0", dir);
    cr_expect_eq(system(inner), 0, "the directory behind the link was written");
}

Test(outfile, a_path_without_a_file_name_is_refused)
{
    static const char *const bad[] = {"", ".", "..", "/", "x/", "x/.", "x/.."};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_expect_eq(outfile_check(bad[i], true, err, sizeof err), GL_ERR_USAGE, "[%s]", bad[i]);
    char long_name[300];
    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    cr_expect_eq(outfile_check(long_name, true, err, sizeof err), GL_ERR_USAGE);
    /* a missing directory: an I/O refusal naming it, nothing created */
    cr_assert_eq(
        outfile_write(at("missing/out.csv"), "x", 1, OUTFILE_MODE_PUBLIC, false, err, sizeof err),
        GL_ERR_IO);
    cr_expect(strstr(err, "missing"), "%s", err);
    expect_listing("");
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */
/* ------------------------------------------------------------------ */

Test(outfile, a_new_file_gets_the_bytes_and_its_mode_and_nothing_else_is_left)
{
    mode_t old = umask(022);
    cr_assert_eq(
        outfile_write(at("public.txt"), "abc\n", 4, OUTFILE_MODE_PUBLIC, false, err, sizeof err),
        GL_OK, "%s", err);
    cr_assert_eq(
        outfile_write(at("secret.txt"), "s\n", 2, OUTFILE_MODE_SECRET, false, err, sizeof err),
        GL_OK, "%s", err);
    umask(old);
    expect_content(at("public.txt"), "abc\n");
    expect_content(at("secret.txt"), "s\n");
    struct stat st;
    cr_assert_eq(stat(at("public.txt"), &st), 0);
    cr_expect_eq(st.st_mode & 07777, 0644);
    cr_assert_eq(stat(at("secret.txt"), &st), 0);
    cr_expect_eq(st.st_mode & 07777, 0600);
    expect_listing("public.txt secret.txt");
    /* a relative path: the current directory */
    char cwd[4096];
    cr_assert(getcwd(cwd, sizeof cwd));
    cr_assert_eq(chdir(dir), 0);
    cr_assert_eq(outfile_write("here.txt", "h", 1, OUTFILE_MODE_PUBLIC, false, err, sizeof err),
                 GL_OK, "%s", err);
    cr_assert_eq(chdir(cwd), 0);
    expect_content(at("here.txt"), "h");
}

/* Until the commit the destination does not exist; the bytes live in a
 * hidden temporary file beside it, which the commit renames. */
Test(outfile, the_destination_appears_whole_at_the_commit)
{
    outfile o;
    cr_assert_eq(outfile_open(&o, at("out.csv"), OUTFILE_MODE_PUBLIC, false, err, sizeof err),
                 GL_OK, "%s", err);
    cr_assert(o.f);
    fputs("half", o.f);
    cr_assert_eq(fflush(o.f), 0);
    cr_expect_null(get(at("out.csv")));
    char names[1024];
    listing(names, sizeof names);
    cr_expect(!strncmp(names, ".out.csv.", 9) && !strchr(names, ' '), "[%s]", names);
    fputs(" and the rest\n", o.f);
    cr_assert_eq(outfile_commit(&o, err, sizeof err), GL_OK, "%s", err);
    cr_assert_null(o.f);
    expect_content(at("out.csv"), "half and the rest\n");
    expect_listing("out.csv");
}

Test(outfile, an_abort_leaves_nothing)
{
    outfile o;
    cr_assert_eq(outfile_open(&o, at("out.csv"), OUTFILE_MODE_PUBLIC, false, err, sizeof err),
                 GL_OK, "%s", err);
    fputs("never", o.f);
    outfile_abort(&o);
    outfile_abort(&o); /* twice is harmless */
    expect_listing("");
}

/* --force replaces a regular file by a rename: a new inode, and a reader
 * holding the old file still reads the old bytes (never truncated). */
Test(outfile, force_replaces_a_file_by_rename)
{
    put(at("out.csv"), "OLD\n");
    struct stat before, after;
    cr_assert_eq(stat(at("out.csv"), &before), 0);
    FILE *reader = fopen(at("out.csv"), "r");
    cr_assert(reader);
    cr_assert_eq(
        outfile_write(at("out.csv"), "NEW\n", 4, OUTFILE_MODE_PUBLIC, true, err, sizeof err), GL_OK,
        "%s", err);
    cr_assert_eq(stat(at("out.csv"), &after), 0);
    cr_expect_neq(before.st_ino, after.st_ino, "the file was rewritten in place");
    expect_content(at("out.csv"), "NEW\n");
    char old[16] = "";
    cr_assert(fgets(old, sizeof old, reader));
    cr_expect_str_eq(old, "OLD\n");
    fclose(reader);
    expect_listing("out.csv");
}

/* A file created by someone else between the open and the commit is not
 * overwritten without force (the rename itself refuses). */
Test(outfile, a_file_appearing_before_the_commit_is_not_overwritten)
{
    outfile o;
    cr_assert_eq(outfile_open(&o, at("out.csv"), OUTFILE_MODE_PUBLIC, false, err, sizeof err),
                 GL_OK, "%s", err);
    fputs("mine\n", o.f);
    put(at("out.csv"), "THEIRS\n");
    cr_assert_eq(outfile_commit(&o, err, sizeof err), GL_ERR_OUTPUT_EXISTS);
    cr_expect(strstr(err, "exists"), "%s", err);
    expect_content(at("out.csv"), "THEIRS\n");
    expect_listing("out.csv");
}

/* A link planted between the open and the commit: refused at the commit
 * even with force; its target untouched, no temporary file left. */
Test(outfile, a_link_appearing_before_the_commit_is_refused)
{
    put(at("target"), "TARGET\n");
    for (int force = 0; force <= 1; force++) {
        outfile o;
        cr_assert_eq(outfile_open(&o, at("out.csv"), OUTFILE_MODE_PUBLIC, force, err, sizeof err),
                     GL_OK, "%s", err);
        fputs("EVIL\n", o.f);
        cr_assert_eq(symlink("target", at("out.csv")), 0);
        int st = outfile_commit(&o, err, sizeof err);
        cr_expect(st == GL_ERR_OUTPUT_NOT_FILE || st == GL_ERR_OUTPUT_EXISTS, "force %d: %d", force,
                  st);
        cr_expect(is_link(at("out.csv")));
        expect_content(at("target"), "TARGET\n");
        expect_listing("out.csv target");
        cr_assert_eq(unlink(at("out.csv")), 0);
    }
}

/* A write that fails (the file size limit: EFBIG, the signal ignored as a
 * shell's `trap '' XFSZ` does) fails the commit and leaves no temporary
 * file.  Criterion runs each test in its own process: the limit stays
 * here. */
Test(outfile, a_failed_write_leaves_no_temporary_file)
{
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit lim = {.rlim_cur = 4096, .rlim_max = RLIM_INFINITY};
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
    static char big[1 << 16];
    memset(big, 'x', sizeof big);
    cr_assert_eq(
        outfile_write(at("big.csv"), big, sizeof big, OUTFILE_MODE_PUBLIC, false, err, sizeof err),
        GL_ERR_IO);
    cr_expect(strstr(err, "big.csv"), "%s", err);
    expect_listing("");
    /* the same through the stream, over an existing file with force */
    put(at("big.csv"), "OLD\n");
    outfile o;
    cr_assert_eq(outfile_open(&o, at("big.csv"), OUTFILE_MODE_PUBLIC, true, err, sizeof err), GL_OK,
                 "%s", err);
    for (int i = 0; i < 4; i++)
        fwrite(big, 1, sizeof big, o.f);
    cr_assert_eq(outfile_commit(&o, err, sizeof err), GL_ERR_IO);
    expect_content(at("big.csv"), "OLD\n");
    expect_listing("big.csv");
}

/* The directory removed under an open outfile: the commit fails cleanly
 * (nothing to leave behind, no crash). */
Test(outfile, a_directory_removed_before_the_commit_fails_cleanly)
{
    cr_assert_eq(mkdir(at("sub"), 0700), 0);
    outfile o;
    cr_assert_eq(outfile_open(&o, at("sub/out.csv"), OUTFILE_MODE_PUBLIC, false, err, sizeof err),
                 GL_OK, "%s", err);
    fputs("x\n", o.f);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s/sub'", dir);
    cr_assert_eq(system(cmd), 0);
    cr_assert_eq(outfile_commit(&o, err, sizeof err), GL_ERR_IO);
    expect_listing("");
}

/* Not root: a directory without write permission refuses the temporary
 * file, and nothing is created. */
Test(outfile, a_directory_without_write_permission_refuses)
{
    if (geteuid() == 0) {
        teardown(); /* a skipped test's .fini does not run */
        cr_skip_test(
            "root writes in any directory (a_failed_write_leaves_no_temporary_file covers the cleanup)");
    }
    cr_assert_eq(mkdir(at("ro"), 0500), 0);
    cr_assert_eq(
        outfile_write(at("ro/out.csv"), "x", 1, OUTFILE_MODE_PUBLIC, false, err, sizeof err),
        GL_ERR_IO);
    cr_expect(strstr(err, "ro"), "%s", err);
    chmod(at("ro"), 0700);
    expect_listing("ro");
}
