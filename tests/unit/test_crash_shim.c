/*
 * tests/unit/test_crash_shim.c — the crash tests' write-logging shim
 * (tests/crash/iolog.c, build/libgliolog.so) on a real process, dd(1):
 * writes to the data directory's data.mdb and journal.glj are logged with
 * their file's index, flushes (fdatasync) and O_DSYNC writes with them;
 * other files are not logged; the unsafe mode drops the flushes and the
 * O_DSYNC of both files (nothing durable is logged).
 */
#include "tests/crash/torture.h"

#include <criterion/criterion.h>

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64], shim[PATH_MAX];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/gl-shimtest-XXXXXX");
    cr_assert(mkdtemp(dir));
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    cr_assert(n > 0);
    exe[n] = 0;
    snprintf(shim, sizeof shim, "%s/libgliolog.so", dirname(exe)); /* beside test_unit */
    cr_assert_eq(access(shim, R_OK), 0, "%s is built with test_unit", shim);
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(crash_shim, .init = setup, .fini = teardown);

/* dd writes 2 x 700 bytes to the journal through an O_DSYNC descriptor,
 * 4096 bytes to data.mdb then fdatasync, 512 bytes to another file; under
 * the shim in mode; the log read back. */
static void run_dd(const char *mode, img_log *log)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && export LD_PRELOAD='%s' GLIOLOG_DIR='%s' GLIOLOG_LOG='%s/io.log' "
             "GLIOLOG_MODE=%s && "
             "dd if=/dev/zero of=journal.glj bs=700 count=2 oflag=dsync status=none && "
             "dd if=/dev/zero of=data.mdb bs=4096 count=1 conv=fdatasync status=none && "
             "dd if=/dev/zero of=other bs=512 count=1 conv=fdatasync status=none",
             dir, shim, dir, dir, mode);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    char path[128];
    snprintf(path, sizeof path, "%s/io.log", dir);
    cr_assert_eq(img_log_read(path, log), 0);
}

static size_t count(const img_log *log, uint8_t type, uint8_t file)
{
    size_t n = 0;
    for (size_t i = 0; i < log->n; i++)
        n += log->recs[i].type == type && log->recs[i].file == file;
    return n;
}

Test(crash_shim, logs_both_files_with_their_index)
{
    img_log log;
    run_dd("safe", &log);
    cr_expect_eq(count(&log, IMG_WRITE, IMG_JOURNAL), 2);
    cr_expect_eq(count(&log, IMG_DSYNC, IMG_JOURNAL), 2, "O_DSYNC writes of the journal");
    cr_expect_eq(count(&log, IMG_WRITE, IMG_DATA), 1);
    cr_expect_eq(count(&log, IMG_FLUSH, IMG_DATA), 1);
    cr_expect_eq(count(&log, IMG_FLUSH, IMG_JOURNAL), 0);
    size_t bytes = 0;
    for (size_t i = 0; i < log.n; i++)
        if (log.recs[i].type == IMG_WRITE && log.recs[i].file == IMG_JOURNAL) {
            cr_expect_eq(log.recs[i].off, bytes, "the journal's writes at their offsets");
            bytes += log.recs[i].len;
        }
    cr_expect_eq(bytes, 1400);
    cr_expect_eq(log.n, 6, "nothing of the other file");
    img_log_free(&log);
}

Test(crash_shim, unsafe_mode_drops_flushes_of_both_files)
{
    img_log log;
    run_dd("unsafe", &log);
    cr_expect_eq(count(&log, IMG_WRITE, IMG_JOURNAL), 2);
    cr_expect_eq(count(&log, IMG_WRITE, IMG_DATA), 1);
    for (size_t i = 0; i < log.n; i++)
        cr_expect_eq(log.recs[i].type, IMG_WRITE, "record %zu: only writes, nothing durable", i);
    img_log_free(&log);
}

/* The journal-only control: a daemon that acknowledges before its journal
 * is on disk while LMDB's own flushes still happen. */
Test(crash_shim, unsafe_journal_mode_drops_only_the_journals)
{
    img_log log;
    run_dd("unsafe-journal", &log);
    cr_expect_eq(count(&log, IMG_WRITE, IMG_JOURNAL), 2);
    cr_expect_eq(count(&log, IMG_DSYNC, IMG_JOURNAL), 0, "the journal's O_DSYNC dropped");
    cr_expect_eq(count(&log, IMG_WRITE, IMG_DATA), 1);
    cr_expect_eq(count(&log, IMG_FLUSH, IMG_DATA), 1, "data.mdb's flush kept");
    img_log_free(&log);
}
