/*
 * tests/crash/images.c — `gltorture images`: the power-loss approximation.
 * SIGKILL leaves the page cache intact, so it cannot show that an
 * acknowledgement waits for a real flush; this can.  Input: the data file
 * as it was before the daemon started (--base), the shim's log of every
 * write and flush the daemon then made to it (--log, tests/crash/iolog.c),
 * and the clients' acknowledgements with their times (--acks).
 *
 * For each of --count crash points p (log records drawn at random, in log
 * order, plus some right on a flush) it builds the file a power cut at p
 * could leave: every write before the last flush at or before p, every
 * O_DSYNC write completed by p, and a random subset of the other writes up
 * to p — each kept whole, dropped, or torn (a random subset of its 512-byte
 * sectors); in three images in ten the subset is every write up to a random
 * record q and none after (an in-order write-back that stopped at q), in
 * three in ten every write up to q then a random subset.  Then, in a child
 * process (a broken image may crash the reader:
 * that counts as unopenable), LMDB opens the image and the checker runs:
 * every invariant (check.c), and every request acknowledged before p's time
 * present with its original reply.
 *
 * Prints one line:
 *   powerloss: mode=M images=N ok=N unopenable=U inconsistent=I lost_images=L
 *              lost_entries=E ...
 * Exit status: 0 if every image passed; with --expect-loss (the shim's
 * unsafe mode), 0 only if some image lost acknowledged requests or broke —
 * the test caught the missing flushes — and 1 if all passed.
 */
#include "torture.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

enum { R_WRITE = 1, R_FLUSH = 2, R_DSYNC = 3, R_TRUNCATE = 4 };

struct rec_head {
    uint32_t magic;
    uint8_t type, pad[3];
    uint32_t len;
    uint64_t off;
    int64_t t_ns;
};

typedef struct rec {
    uint8_t type;
    uint32_t len;
    uint64_t off;
    int64_t t_ns;
    const uint8_t *data;
} rec;

typedef struct img_opts {
    const char *base, *log, *acks, *work, *mode;
    int count;
    uint64_t seed;
    bool expect_loss, verbose;
} img_opts;

static int copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY | O_CLOEXEC),
        out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int rc = in >= 0 && out >= 0 ? 0 : -1;
    static uint8_t buf[1 << 20];
    ssize_t n;
    while (rc == 0 && (n = read(in, buf, sizeof buf)) != 0) {
        if (n < 0 || write(out, buf, (size_t)n) != n)
            rc = -1;
    }
    if (in >= 0)
        close(in);
    if (out >= 0 && close(out) != 0)
        rc = -1;
    return rc;
}

static int apply(int fd, const rec *r, const uint8_t *mask_sectors)
{
    if (r->type == R_TRUNCATE)
        return ftruncate(fd, (off_t)r->off);
    if (r->type != R_WRITE)
        return 0;
    if (!mask_sectors)
        return pwrite(fd, r->data, r->len, (off_t)r->off) == (ssize_t)r->len ? 0 : -1;
    for (uint32_t s = 0; s * 512 < r->len; s++) {
        if (!mask_sectors[s])
            continue;
        uint32_t n = r->len - s * 512 < 512 ? r->len - s * 512 : 512;
        if (pwrite(fd, r->data + s * 512, n, (off_t)(r->off + s * 512)) != (ssize_t)n)
            return -1;
    }
    return 0;
}

static int read_log(const char *path, rec **out, size_t *n, void **map, size_t *map_len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        perror(path);
        return -1;
    }
    *map_len = (size_t)sb.st_size;
    *map = *map_len ? mmap(NULL, *map_len, PROT_READ, MAP_PRIVATE, fd, 0) : NULL;
    close(fd);
    if (*map_len && *map == MAP_FAILED)
        return -1;
    size_t cap = 1024, count = 0, pos = 0;
    rec *recs = malloc(cap * sizeof *recs);
    while (recs && pos + sizeof(struct rec_head) <= *map_len) {
        struct rec_head h;
        memcpy(&h, (const uint8_t *)*map + pos, sizeof h);
        if (h.magic != 0x4f494c47u || pos + sizeof h + h.len > *map_len)
            break; /* a torn tail (the daemon was killed mid-record) */
        if (count == cap) {
            cap *= 2;
            rec *p = realloc(recs, cap * sizeof *p);
            if (!p)
                break;
            recs = p;
        }
        recs[count++] = (rec){h.type, h.len, h.off, h.t_ns, (const uint8_t *)*map + pos + sizeof h};
        pos += sizeof h + h.len;
    }
    *out = recs;
    *n = count;
    return recs ? 0 : -1;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* Check one image in a child; 0 ok, 1 inconsistent or lost, 2 unopenable. */
static int check_image(const char *dir, const tt_ack *acks, size_t n, int64_t cutoff, ck_result *r)
{
    int pfd[2];
    if (pipe(pfd) != 0)
        return 2;
    pid_t pid = fork();
    if (pid == 0) {
        close(pfd[0]);
        alarm(60);                          /* a corrupt tree could loop */
        if (!getenv("GLTORTURE_VERBOSE")) { /* LMDB's own assertion messages on broken images */
            int null = open("/dev/null", O_WRONLY);
            if (null >= 0)
                dup2(null, 2);
        }
        ck_result res;
        int rc = ck_check(dir, acks, n, cutoff, LD_MARKER, &res);
        ssize_t w = write(pfd[1], &res, sizeof res);
        _exit(w == (ssize_t)sizeof res ? rc : 2);
    }
    close(pfd[1]);
    memset(r, 0, sizeof *r);
    ssize_t got = pid > 0 ? read(pfd[0], r, sizeof *r) : -1;
    close(pfd[0]);
    int status = 0;
    if (pid > 0)
        waitpid(pid, &status, 0);
    if (pid < 0 || got != (ssize_t)sizeof *r || !WIFEXITED(status)) {
        snprintf(r->first_failure, sizeof r->first_failure,
                 "the checker died (%s %d) reading the image",
                 WIFSIGNALED(status) ? "signal" : "status",
                 WIFSIGNALED(status) ? WTERMSIG(status) : status);
        return 2;
    }
    return WEXITSTATUS(status);
}

int cmd_images(int argc, char **argv)
{
    static const struct option opts[] = {{"base", 1, NULL, 'b'},        {"log", 1, NULL, 'l'},
                                         {"acks", 1, NULL, 'a'},        {"work", 1, NULL, 'w'},
                                         {"count", 1, NULL, 'n'},       {"seed", 1, NULL, 's'},
                                         {"expect-loss", 0, NULL, 'x'}, {"mode", 1, NULL, 'm'},
                                         {"verbose", 0, NULL, 'v'},     {NULL, 0, NULL, 0}};
    img_opts o = {.count = 50, .seed = 1, .mode = "safe"};
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'b': o.base = optarg; break;
        case 'l': o.log = optarg; break;
        case 'a': o.acks = optarg; break;
        case 'w': o.work = optarg; break;
        case 'n': o.count = atoi(optarg); break;
        case 's': o.seed = strtoull(optarg, NULL, 10); break;
        case 'x': o.expect_loss = true; break;
        case 'm': o.mode = optarg; break;
        case 'v': o.verbose = true; break;
        default: return 2;
        }
    }
    if (!o.base || !o.log || !o.acks || !o.work || o.count < 1 || o.count > 100000) {
        fprintf(
            stderr,
            "usage: gltorture images --base FILE --log FILE --acks FILE --work DIR [--count N]\n"
            "                        [--seed S] [--mode LABEL] [--expect-loss] [--verbose]\n");
        return 2;
    }
    rec *recs;
    size_t nrec, map_len;
    void *map;
    tt_ack *acks;
    size_t nacks;
    if (read_log(o.log, &recs, &nrec, &map, &map_len) != 0 ||
        tt_ack_read_all(o.acks, &acks, &nacks) != 0) {
        fprintf(stderr, "gltorture: cannot read %s or %s\n", o.log, o.acks);
        return 2;
    }
    size_t writes = 0, flushes = 0, dsyncs = 0;
    for (size_t i = 0; i < nrec; i++) {
        writes += recs[i].type == R_WRITE;
        flushes += recs[i].type == R_FLUSH;
        dsyncs += recs[i].type == R_DSYNC;
    }
    if (!nrec) {
        fprintf(stderr, "gltorture: the write log %s is empty\n", o.log);
        return 2;
    }
    /* Crash points: random records, a quarter of them exactly on a flush. */
    uint64_t rng = o.seed * 0x9E3779B97F4A7C15ull + 3;
    size_t *points = malloc((size_t)o.count * sizeof *points);
    for (int i = 0; points && i < o.count; i++) {
        size_t p = tt_below(&rng, (uint32_t)nrec);
        if (flushes && i % 4 == 0)
            for (size_t k = p; k < nrec; k++)
                if (recs[k].type == R_FLUSH) {
                    p = k;
                    break;
                }
        points[i] = p;
    }
    if (!points)
        return 2;
    qsort(points, (size_t)o.count, sizeof *points, cmp_size);

    char durable[600], imgdir[600], img[700], lock[700];
    snprintf(durable, sizeof durable, "%s/durable.mdb", o.work);
    snprintf(imgdir, sizeof imgdir, "%s/image", o.work);
    snprintf(img, sizeof img, "%s/data.mdb", imgdir);
    snprintf(lock, sizeof lock, "%s/lock.mdb", imgdir);
    mkdir(o.work, 0700);
    mkdir(imgdir, 0700);
    if (copy_file(o.base, durable) != 0) {
        fprintf(stderr, "gltorture: cannot copy %s\n", o.base);
        return 2;
    }
    int dfd = open(durable, O_WRONLY | O_CLOEXEC);
    size_t applied = 0; /* records applied to the durable file */
    long ok = 0, unopenable = 0, inconsistent = 0, lost_images = 0, lost_entries = 0, torn = 0,
         dropped = 0, acked_checked = 0;
    char first[700] = "";
    uint8_t *mask = malloc(1 << 16);
    int64_t t0 = tt_now_ns();
    for (int i = 0; i < o.count && dfd >= 0 && mask; i++) {
        size_t p = points[i];
        size_t last_flush = SIZE_MAX;
        for (size_t k = p + 1; k-- > 0;)
            if (recs[k].type == R_FLUSH) {
                last_flush = k;
                break;
            }
        size_t upto = last_flush == SIZE_MAX ? 0 : last_flush + 1;
        for (; applied < upto; applied++)
            if (apply(dfd, &recs[applied], NULL) != 0) {
                fprintf(stderr, "gltorture: cannot write %s: %s\n", durable, strerror(errno));
                return 2;
            }
        unlink(lock);
        if (copy_file(durable, img) != 0) {
            fprintf(stderr, "gltorture: cannot copy %s\n", durable);
            return 2;
        }
        /* Which of the later writes reached the disk: (a) each at random;
         * (b) those up to a random record q, in order, and none after (a
         * write-back that went in order and stopped); (c) those up to q, then
         * each at random. */
        uint32_t style = tt_below(&rng, 10);
        size_t q = upto + tt_below(&rng, (uint32_t)(p + 1 - upto));
        if (style < 4)
            q = upto;
        int ifd = open(img, O_WRONLY | O_CLOEXEC);
        for (size_t k = upto; ifd >= 0 && k <= p; k++) {
            const rec *r = &recs[k];
            if (r->type != R_WRITE && r->type != R_TRUNCATE)
                continue;
            bool synced = r->type == R_WRITE && k + 1 <= p && recs[k + 1].type == R_DSYNC;
            uint32_t roll = k < q ? 0 : style >= 4 && style < 7 ? 2 : tt_below(&rng, 4);
            if (synced || r->type == R_TRUNCATE || roll < 2) {
                apply(ifd, r, NULL);
            } else if (roll == 2) {
                dropped++;
            } else {
                uint32_t sectors = (r->len + 511) / 512;
                if (sectors > (1 << 16))
                    sectors = 1 << 16;
                for (uint32_t s = 0; s < sectors; s++)
                    mask[s] = (uint8_t)tt_below(&rng, 2);
                apply(ifd, r, mask);
                torn++;
            }
        }
        if (ifd >= 0)
            close(ifd);
        ck_result res;
        int rc = check_image(imgdir, acks, nacks, recs[p].t_ns, &res);
        acked_checked += res.acked_entries;
        if (rc == 0) {
            ok++;
        } else {
            if (rc == 2)
                unopenable++;
            else if (res.failures)
                inconsistent++;
            if (res.lost_entries || res.lost_requests) {
                lost_images++;
                lost_entries += res.lost_entries;
            }
            if (!first[0])
                snprintf(first, sizeof first,
                         "record %zu of %zu: %s (lost %ld acknowledged entries)", p, nrec,
                         res.first_failure[0] ? res.first_failure : "acknowledged requests missing",
                         res.lost_entries);
            if (o.verbose)
                ck_print(stderr, "image", &res);
        }
    }
    int64_t t1 = tt_now_ns();
    bool caught = unopenable + inconsistent + lost_images > 0;
    printf(
        "powerloss: mode=%s images=%d ok=%ld unopenable=%ld inconsistent=%ld lost_images=%ld lost_entries=%ld "
        "(records=%zu writes=%zu flushes=%zu dsync_writes=%zu acks=%zu acked_entries_checked=%ld "
        "torn_writes=%ld dropped_writes=%ld seconds=%.1f)%s%s\n",
        o.mode, o.count, ok, unopenable, inconsistent, lost_images, lost_entries, nrec, writes,
        flushes, dsyncs, nacks, acked_checked, torn, dropped, (double)(t1 - t0) / 1e9,
        first[0] ? " first: " : "", first);
    fflush(stdout);
    if (dfd >= 0)
        close(dfd);
    free(mask);
    free(points);
    free(recs);
    for (size_t i = 0; i < nacks; i++)
        tt_ack_free(&acks[i]);
    free(acks);
    if (map_len)
        munmap(map, map_len);
    if (o.expect_loss)
        return caught ? 0 : 1;
    return caught || ok != o.count ? 1 : 0;
}
