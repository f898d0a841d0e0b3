/*
 * tests/unit/test_crash_images.c — the power-loss image builder of the
 * crash tests (tests/crash/imgbuild.c) on tiny synthetic write logs of two
 * files, data.mdb and the journal: a flush makes durable only the writes of
 * its own file; the unflushed file's writes are sometimes kept, sometimes
 * dropped, sometimes torn at 512 bytes; an O_DSYNC write is always kept; a
 * file with no base is an empty file, a file the log never names is not
 * created; logs from before the journal read as data.mdb.
 */
#include "tests/crash/torture.h"

#include <criterion/criterion.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char work[64], log_path[128], out[IMG_FILES][128];

static void setup(void)
{
    snprintf(work, sizeof work, "/tmp/gl-imgtest-XXXXXX");
    cr_assert(mkdtemp(work));
    snprintf(log_path, sizeof log_path, "%s/io.log", work);
    snprintf(out[IMG_DATA], sizeof out[0], "%s/data.mdb", work);
    snprintf(out[IMG_JOURNAL], sizeof out[0], "%s/journal.glj", work);
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", work);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(crash_images, .init = setup, .fini = teardown);

/* One record of the shim's format (iolog.c) appended to the log: len bytes
 * of fill (0 for none). */
static void add(uint8_t type, uint8_t file, uint64_t off, uint32_t len, char fill)
{
    struct {
        uint32_t magic;
        uint8_t type, file, pad[2];
        uint32_t len;
        uint64_t off;
        int64_t t_ns;
    } h = {0x4f494c47u, type, file, {0, 0}, len, off, 0};
    int fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, &h, sizeof h), (ssize_t)sizeof h);
    char *data = malloc(len ? len : 1);
    memset(data, fill, len);
    cr_assert_eq(write(fd, data, len), (ssize_t)len);
    free(data);
    close(fd);
}

/* What an image's file holds in [off, off+len): 'w' all fill, '0' all
 * absent (zero or beyond the end), 't' a mix (torn). */
static char state(const char *path, uint64_t off, uint32_t len, char fill)
{
    int fd = open(path, O_RDONLY);
    cr_assert(fd >= 0, "%s exists", path);
    char *buf = calloc(1, len);
    ssize_t n = pread(fd, buf, len, (off_t)off);
    close(fd);
    cr_assert(n >= 0);
    uint32_t filled = 0;
    for (uint32_t i = 0; i < len; i++) {
        cr_assert(buf[i] == fill || buf[i] == 0, "only whole sectors of the write or nothing");
        filled += buf[i] == fill;
    }
    free(buf);
    return filled == len ? 'w' : filled == 0 ? '0' : 't';
}

/* Builds images at record p with seeds 1..count; counts the states of file
 * f's range. */
static void tally(const char *const bases[IMG_FILES], size_t p, int count, int f, uint64_t off,
                  uint32_t len, char fill, int *whole, int *absent, int *torn)
{
    img_log log;
    img_builder b;
    cr_assert_eq(img_log_read(log_path, &log), 0);
    cr_assert_eq(img_builder_init(&b, &log, bases, work), 0);
    const char *const outs[IMG_FILES] = {out[0], out[1]};
    *whole = *absent = *torn = 0;
    for (int i = 1; i <= count; i++) {
        uint64_t rng = (uint64_t)i * 0x9E3779B97F4A7C15ull;
        cr_assert_eq(img_builder_image(&b, p, outs, &rng), 0);
        char s = state(out[f], off, len, fill);
        *whole += s == 'w';
        *absent += s == '0';
        *torn += s == 't';
    }
    img_builder_free(&b);
    img_log_free(&log);
}

static const char *const no_bases[IMG_FILES] = {NULL, NULL};

Test(crash_images, flush_of_data_file_leaves_journal_writes_to_chance)
{
    add(IMG_WRITE, IMG_JOURNAL, 0, 2048, 'J');
    add(IMG_WRITE, IMG_DATA, 0, 512, 'D');
    add(IMG_FLUSH, IMG_DATA, 0, 0, 0);
    int whole, absent, torn;
    tally(no_bases, 2, 200, IMG_DATA, 0, 512, 'D', &whole, &absent, &torn);
    cr_expect_eq(whole, 200, "the flushed write of data.mdb is in every image");
    tally(no_bases, 2, 200, IMG_JOURNAL, 0, 2048, 'J', &whole, &absent, &torn);
    cr_expect(whole > 0 && absent > 0 && torn > 0,
              "the journal's unflushed write: whole %d, absent %d, torn %d in 200 images", whole,
              absent, torn);
}

Test(crash_images, flush_of_journal_leaves_data_writes_to_chance)
{
    add(IMG_WRITE, IMG_JOURNAL, 0, 512, 'J');
    add(IMG_FLUSH, IMG_JOURNAL, 0, 0, 0);
    add(IMG_WRITE, IMG_DATA, 4096, 512, 'D');
    add(IMG_FLUSH, IMG_DATA, 0, 0, 0); /* after the crash point: does not count */
    int whole, absent, torn;
    tally(no_bases, 2, 200, IMG_JOURNAL, 0, 512, 'J', &whole, &absent, &torn);
    cr_expect_eq(whole, 200, "the flushed journal write is in every image");
    tally(no_bases, 2, 200, IMG_DATA, 4096, 512, 'D', &whole, &absent, &torn);
    cr_expect(whole > 0 && absent > 0, "data.mdb's unflushed write: whole %d, absent %d", whole,
              absent);
}

Test(crash_images, dsync_write_always_kept)
{
    add(IMG_WRITE, IMG_JOURNAL, 0, 1024, 'J');
    add(IMG_DSYNC, IMG_JOURNAL, 0, 0, 0);
    add(IMG_WRITE, IMG_DATA, 0, 512, 'D');
    int whole, absent, torn;
    tally(no_bases, 2, 100, IMG_JOURNAL, 0, 1024, 'J', &whole, &absent, &torn);
    cr_expect_eq(whole, 100);
    /* at the write itself, before its DSYNC returned: to chance */
    tally(no_bases, 0, 100, IMG_JOURNAL, 0, 1024, 'J', &whole, &absent, &torn);
    cr_expect(absent > 0, "a write whose O_DSYNC had not returned may be lost");
}

Test(crash_images, journal_without_base_is_empty_and_unnamed_file_absent)
{
    add(IMG_WRITE, IMG_DATA, 0, 512, 'D');
    add(IMG_FLUSH, IMG_DATA, 0, 0, 0);
    int whole, absent, torn;
    tally(no_bases, 1, 3, IMG_DATA, 0, 512, 'D', &whole, &absent, &torn);
    struct stat sb;
    cr_expect_neq(stat(out[IMG_JOURNAL], &sb), 0, "a file neither based nor logged is not created");
    /* with an (empty) journal base: an empty journal */
    char base[160];
    snprintf(base, sizeof base, "%s/base.glj", work);
    close(open(base, O_WRONLY | O_CREAT, 0600));
    const char *const bases[IMG_FILES] = {NULL, base};
    tally(bases, 1, 3, IMG_DATA, 0, 512, 'D', &whole, &absent, &torn);
    cr_assert_eq(stat(out[IMG_JOURNAL], &sb), 0);
    cr_expect_eq(sb.st_size, 0);
}

Test(crash_images, base_then_flushed_rewrite)
{
    /* the journal's base holds old records; a rewind rewrites offset 0 and
     * flushes: the image holds the new bytes at 0, the base's beyond */
    char base[160];
    snprintf(base, sizeof base, "%s/base.glj", work);
    int fd = open(base, O_WRONLY | O_CREAT, 0600);
    char old[1024];
    memset(old, 'o', sizeof old);
    cr_assert_eq(write(fd, old, sizeof old), (ssize_t)sizeof old);
    close(fd);
    add(IMG_WRITE, IMG_JOURNAL, 0, 512, 'n');
    add(IMG_FLUSH, IMG_JOURNAL, 0, 0, 0);
    const char *const bases[IMG_FILES] = {NULL, base};
    int whole, absent, torn;
    tally(bases, 1, 5, IMG_JOURNAL, 0, 512, 'n', &whole, &absent, &torn);
    cr_expect_eq(whole, 5);
    fd = open(out[IMG_JOURNAL], O_RDONLY);
    char c = 0;
    cr_assert_eq(pread(fd, &c, 1, 700), 1);
    close(fd);
    cr_expect_eq(c, 'o');
}

Test(crash_images, old_log_reads_as_data_file_unknown_file_refused)
{
    add(IMG_WRITE, 0, 0, 16, 'x'); /* a log from before the journal: pad 0 */
    img_log log;
    cr_assert_eq(img_log_read(log_path, &log), 0);
    cr_assert_eq(log.n, 1);
    cr_expect_eq(log.recs[0].file, IMG_DATA);
    img_log_free(&log);
    add(IMG_WRITE, 7, 0, 16, 'x');
    cr_expect_neq(img_log_read(log_path, &log), 0);
}

/* A disk writes whole 512-byte sectors of the device: a write that starts
 * mid-sector (the journal appends records of any length) tears at the
 * device's sector boundaries, not at multiples of 512 from its start. */
Test(crash_images, torn_at_device_sectors)
{
    add(IMG_WRITE, IMG_JOURNAL, 300, 1000, 'J'); /* sectors: [300,512) [512,1024) [1024,1300) */
    int whole, absent, torn;
    tally(no_bases, 0, 200, IMG_JOURNAL, 300, 1000, 'J', &whole, &absent, &torn);
    cr_assert(torn > 0);
    img_log log;
    img_builder b;
    cr_assert_eq(img_log_read(log_path, &log), 0);
    cr_assert_eq(img_builder_init(&b, &log, no_bases, work), 0);
    const char *const outs[IMG_FILES] = {out[0], out[1]};
    for (int i = 1; i <= 200; i++) {
        uint64_t rng = (uint64_t)i * 0x9E3779B97F4A7C15ull;
        cr_assert_eq(img_builder_image(&b, 0, outs, &rng), 0);
        static const uint32_t from[] = {300, 512, 1024}, to[] = {512, 1024, 1300};
        for (int s = 0; s < 3; s++) {
            char st = state(out[IMG_JOURNAL], from[s], to[s] - from[s], 'J');
            cr_assert(st != 't', "image %d: device sector %d written in part", i, s);
        }
    }
    img_builder_free(&b);
    img_log_free(&log);
}
