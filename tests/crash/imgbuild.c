/*
 * tests/crash/imgbuild.c — the power-loss image builder (`gltorture images`,
 * images.c): reads the shim's write log (iolog.c) and rebuilds every watched
 * file — data.mdb and the journal journal.glj — as a power cut at a given
 * record could have left it.  The rules are per file, since a flush of one
 * file makes nothing of another durable: a file's writes before its own
 * last flush are on disk, an O_DSYNC write that completed is on disk, and
 * each later write of it may have reached the disk whole, not at all, or in
 * part (512-byte sectors).  Pure file work, no LMDB: unit-tested by
 * tests/unit/test_crash_images.c.
 */
#include "torture.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOG_MAGIC 0x4f494c47u /* "GLIO" */
#define SECTOR 512
#define MASK_MAX (1u << 16) /* sectors of one write a tear decides */

struct log_head {
    uint32_t magic;
    uint8_t type, file, pad[2];
    uint32_t len;
    uint64_t off;
    int64_t t_ns;
};

int img_log_read(const char *path, img_log *log)
{
    memset(log, 0, sizeof *log);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        perror(path);
        if (fd >= 0)
            close(fd);
        return -1;
    }
    log->map_len = (size_t)sb.st_size;
    log->map = log->map_len ? mmap(NULL, log->map_len, PROT_READ, MAP_PRIVATE, fd, 0) : NULL;
    close(fd);
    if (log->map_len && log->map == MAP_FAILED) {
        log->map = NULL;
        log->map_len = 0;
        return -1;
    }
    size_t cap = 1024, pos = 0;
    log->recs = malloc(cap * sizeof *log->recs);
    while (log->recs && pos + sizeof(struct log_head) <= log->map_len) {
        struct log_head h;
        memcpy(&h, (const uint8_t *)log->map + pos, sizeof h);
        if (h.magic != LOG_MAGIC || log->map_len - pos - sizeof h < h.len)
            break; /* a torn tail (the daemon was killed mid-record) */
        if (h.file >= IMG_FILES) {
            fprintf(stderr, "gltorture: %s: record of unknown file %u\n", path, h.file);
            img_log_free(log);
            return -1;
        }
        if (log->n == cap) {
            cap *= 2;
            img_rec *p = realloc(log->recs, cap * sizeof *p);
            if (!p) {
                img_log_free(log);
                return -1;
            }
            log->recs = p;
        }
        log->recs[log->n++] = (img_rec){h.type, h.file, h.len,
                                        h.off,  h.t_ns, (const uint8_t *)log->map + pos + sizeof h};
        pos += sizeof h + h.len;
    }
    if (!log->recs) {
        img_log_free(log);
        return -1;
    }
    return 0;
}

void img_log_free(img_log *log)
{
    free(log->recs);
    if (log->map_len)
        munmap(log->map, log->map_len);
    memset(log, 0, sizeof *log);
}

/* The device sectors a write touches (a write that starts mid-sector — the
 * journal appends records of any length — tears at the device's 512-byte
 * boundaries, not at multiples of 512 from its start). */
static uint32_t sectors_of(const img_rec *r)
{
    uint64_t n = r->len ? (r->off + r->len - 1) / SECTOR - r->off / SECTOR + 1 : 0;
    return n < MASK_MAX ? (uint32_t)n : MASK_MAX;
}

/* One record applied to fd: whole, or only the device sectors mask marks
 * (mask[0]: the sector holding the write's first byte). */
static int apply(int fd, const img_rec *r, const uint8_t *mask)
{
    if (r->type == IMG_TRUNCATE)
        return ftruncate(fd, (off_t)r->off);
    if (r->type != IMG_WRITE)
        return 0;
    if (!mask)
        return pwrite(fd, r->data, r->len, (off_t)r->off) == (ssize_t)r->len ? 0 : -1;
    uint64_t first = r->off / SECTOR, end = r->off + r->len;
    for (uint32_t s = 0; s < sectors_of(r); s++) {
        uint64_t from = (first + s) * SECTOR, to = from + SECTOR;
        from = from < r->off ? r->off : from;
        to = to > end ? end : to;
        if (mask[s] &&
            pwrite(fd, r->data + (from - r->off), to - from, (off_t)from) != (ssize_t)(to - from))
            return -1;
    }
    return 0;
}

int img_builder_init(img_builder *b, const img_log *log, const char *const bases[IMG_FILES],
                     const char *work)
{
    memset(b, 0, sizeof *b);
    b->recs = log->recs;
    b->n = log->n;
    static const char *const names[IMG_FILES] = {"durable.mdb", "durable.glj"};
    for (int f = 0; f < IMG_FILES; f++)
        b->dfd[f] = -1;
    for (size_t k = 0; k < log->n; k++)
        b->present[log->recs[k].file] = true;
    for (int f = 0; f < IMG_FILES; f++) {
        snprintf(b->durable[f], sizeof b->durable[f], "%s/%s", work, names[f]);
        struct stat sb;
        bool has_base = bases[f] && stat(bases[f], &sb) == 0;
        b->present[f] |= has_base;
        if (has_base && tt_copy_file(bases[f], b->durable[f]) != 0) {
            fprintf(stderr, "gltorture: cannot copy %s\n", bases[f]);
            return -1;
        }
        /* no base: the file did not exist yet (an empty durable copy) */
        b->dfd[f] =
            open(b->durable[f], O_WRONLY | O_CLOEXEC | (has_base ? 0 : O_CREAT | O_TRUNC), 0600);
        if (b->dfd[f] < 0) {
            perror(b->durable[f]);
            return -1;
        }
    }
    return 0;
}

void img_builder_free(img_builder *b)
{
    for (int f = 0; f < IMG_FILES; f++)
        if (b->dfd[f] >= 0) {
            close(b->dfd[f]);
            b->dfd[f] = -1;
        }
}

/* Whether recs[k] (a write) was made durable by its O_DSYNC descriptor by
 * record p: the shim logs the DSYNC right after the write, same file. */
static bool dsynced(const img_builder *b, size_t k, size_t p)
{
    return k + 1 <= p && b->recs[k + 1].type == IMG_DSYNC && b->recs[k + 1].file == b->recs[k].file;
}

/* File f of the image at crash point p, written to fd (a copy of its
 * durable state); upto = the first record after f's last flush. */
static int unflushed_writes(img_builder *b, int f, int fd, size_t upto, size_t p, uint64_t *rng,
                            uint8_t *mask)
{
    /* Which later writes reached the disk: (a) each at random; (b) those up
     * to a random record q, in order, and none after (a write-back that
     * went in order and stopped); (c) those up to q, then each at random. */
    uint32_t style = tt_below(rng, 10);
    size_t q = upto + tt_below(rng, (uint32_t)(p + 1 - upto));
    if (style < 4)
        q = upto;
    for (size_t k = upto; k <= p; k++) {
        const img_rec *r = &b->recs[k];
        if (r->file != f || (r->type != IMG_WRITE && r->type != IMG_TRUNCATE))
            continue;
        uint32_t roll = k < q ? 0 : style >= 4 && style < 7 ? 2 : tt_below(rng, 4);
        int rc = 0;
        if (r->type == IMG_TRUNCATE || dsynced(b, k, p) || roll < 2) {
            rc = apply(fd, r, NULL);
            b->kept_unflushed += r->type == IMG_WRITE;
        } else if (roll == 2) {
            b->dropped++;
        } else {
            for (uint32_t s = 0; s < sectors_of(r); s++)
                mask[s] = (uint8_t)tt_below(rng, 2);
            rc = apply(fd, r, mask);
            b->torn++;
        }
        if (rc != 0)
            return -1;
    }
    return 0;
}

int img_builder_image(img_builder *b, size_t p, const char *const out[IMG_FILES], uint64_t *rng)
{
    static uint8_t mask[MASK_MAX];
    if (p >= b->n)
        return -1;
    for (int f = 0; f < IMG_FILES; f++) {
        if (!b->present[f]) {
            unlink(out[f]);
            continue;
        }
        size_t upto = 0;
        for (size_t k = p + 1; k-- > 0;)
            if (b->recs[k].type == IMG_FLUSH && b->recs[k].file == f) {
                upto = k + 1;
                break;
            }
        for (; b->applied[f] < upto; b->applied[f]++) {
            const img_rec *r = &b->recs[b->applied[f]];
            if (r->file == f && apply(b->dfd[f], r, NULL) != 0) {
                fprintf(stderr, "gltorture: cannot write %s: %s\n", b->durable[f], strerror(errno));
                return -1;
            }
        }
        if (tt_copy_file(b->durable[f], out[f]) != 0) {
            fprintf(stderr, "gltorture: cannot copy %s to %s\n", b->durable[f], out[f]);
            return -1;
        }
        int fd = open(out[f], O_WRONLY | O_CLOEXEC);
        int rc = fd >= 0 ? unflushed_writes(b, f, fd, upto, p, rng, mask) : -1;
        if (fd >= 0 && close(fd) != 0)
            rc = -1;
        if (rc != 0)
            return -1;
    }
    return 0;
}
