/*
 * tests/crash/images.c — `gltorture images`: the power-loss approximation.
 * SIGKILL leaves the page cache intact, so it cannot show that an
 * acknowledgement waits for a real flush; this can.  Input: the files as
 * they were before the daemon started (--base data.mdb, --journal-base
 * journal.glj: may be absent), the shim's log of every write and flush the
 * daemon then made to them (--log, tests/crash/iolog.c), and the clients'
 * acknowledgements with their times (--acks).
 *
 * For each of --count crash points p (log records drawn at random, in log
 * order, a quarter of them right on a flush) it builds the files a power
 * cut at p could leave (imgbuild.c), per file: every write before that
 * file's last flush at or before p, every O_DSYNC write completed by p,
 * and a random subset of the file's other writes up to p — each kept
 * whole, dropped, or torn (a random subset of its 512-byte sectors); in
 * three images in ten the subset is every write up to a random record q
 * and none after (an in-order write-back that stopped at q), in three in
 * ten every write up to q then a random subset.  When the image holds a
 * journal, `grandlivred --recover` (--daemon) replays it into the image's
 * data.mdb first, as the daemon's start would: a recovery that fails counts
 * as an unopenable image.  Then, in a child process (a broken image may
 * crash the reader: that counts as unopenable), LMDB opens the image and
 * the checker runs: every invariant (check.c), and every request
 * acknowledged before p's time present with its original reply.
 *
 * Prints one line:
 *   powerloss: mode=M images=N ok=N unopenable=U inconsistent=I lost_images=L
 *              lost_entries=E ... recovered_images=R recovered_records=K ...
 * (recovered_images: images whose journal replayed records — the
 * acknowledged requests only the journal held at the cut.)
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

typedef struct img_opts {
    const char *base, *journal_base, *log, *acks, *work, *mode, *daemon;
    int count;
    uint64_t seed;
    bool expect_loss, verbose;
} img_opts;

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* Check one image in a child; 0 ok, 1 inconsistent or lost, 2 unopenable. */
/* Recover then check one image; 0 ok, 1 inconsistent or lost, 2
 * unopenable (or its recovery failed).  *records: what the recovery
 * replayed (-1: no journal). */
static int check_image(const char *daemon, const char *dir, const tt_ack *acks, size_t n,
                       int64_t cutoff, ck_result *r, long *records)
{
    char msg[600];
    memset(r, 0, sizeof *r);
    if (tt_recover(daemon, dir, records, msg, sizeof msg) != 0) {
        snprintf(r->first_failure, sizeof r->first_failure, "%s", msg);
        return 2;
    }
    int pfd[2];
    if (pipe(pfd) != 0)
        return 2;
    pid_t pid = fork();
    if (pid == 0) {
        close(pfd[0]);
        alarm(TT_RECOVER_SECONDS);          /* a corrupt tree could loop */
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

/* Crash points: random records, a quarter of them exactly on a flush (of
 * either file), in log order (the builder only moves forward). */
static size_t *crash_points(const img_log *log, int count, uint64_t *rng)
{
    size_t flushes = 0;
    for (size_t i = 0; i < log->n; i++)
        flushes += log->recs[i].type == IMG_FLUSH;
    size_t *points = malloc((size_t)count * sizeof *points);
    for (int i = 0; points && i < count; i++) {
        size_t p = tt_below(rng, (uint32_t)log->n);
        if (flushes && i % 4 == 0)
            for (size_t k = p; k < log->n; k++)
                if (log->recs[k].type == IMG_FLUSH) {
                    p = k;
                    break;
                }
        points[i] = p;
    }
    if (points)
        qsort(points, (size_t)count, sizeof *points, cmp_size);
    return points;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: gltorture images --base FILE --log FILE --acks FILE --work DIR [--count N]\n"
            "                        [--journal-base FILE] [--daemon BIN] [--seed S]\n"
            "                        [--mode LABEL] [--expect-loss] [--verbose]\n");
}

int cmd_images(int argc, char **argv)
{
    static const struct option opts[] = {
        {"base", 1, NULL, 'b'},   {"log", 1, NULL, 'l'},          {"acks", 1, NULL, 'a'},
        {"work", 1, NULL, 'w'},   {"count", 1, NULL, 'n'},        {"seed", 1, NULL, 's'},
        {"mode", 1, NULL, 'm'},   {"expect-loss", 0, NULL, 'x'},  {"verbose", 0, NULL, 'v'},
        {"daemon", 1, NULL, 'd'}, {"journal-base", 1, NULL, 'j'}, {NULL, 0, NULL, 0}};
    char daemon_buf[600];
    img_opts o = {.count = 50, .seed = 1, .mode = "safe"};
    o.daemon = tt_default_daemon(daemon_buf, sizeof daemon_buf);
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'b': o.base = optarg; break;
        case 'j': o.journal_base = optarg; break;
        case 'l': o.log = optarg; break;
        case 'a': o.acks = optarg; break;
        case 'w': o.work = optarg; break;
        case 'n': o.count = atoi(optarg); break;
        case 's': o.seed = strtoull(optarg, NULL, 10); break;
        case 'x': o.expect_loss = true; break;
        case 'm': o.mode = optarg; break;
        case 'v': o.verbose = true; break;
        case 'd': o.daemon = optarg; break;
        default: usage(); return 2;
        }
    }
    if (!o.base || !o.log || !o.acks || !o.work || o.count < 1 || o.count > 100000) {
        usage();
        return 2;
    }
    img_log log;
    tt_ack *acks;
    size_t nacks;
    if (img_log_read(o.log, &log) != 0 || tt_ack_read_all(o.acks, &acks, &nacks) != 0) {
        fprintf(stderr, "gltorture: cannot read %s or %s\n", o.log, o.acks);
        return 2;
    }
    size_t writes[IMG_FILES] = {0}, flushes[IMG_FILES] = {0}, dsyncs = 0;
    for (size_t i = 0; i < log.n; i++) {
        writes[log.recs[i].file] += log.recs[i].type == IMG_WRITE;
        flushes[log.recs[i].file] += log.recs[i].type == IMG_FLUSH;
        dsyncs += log.recs[i].type == IMG_DSYNC;
    }
    if (!log.n) {
        fprintf(stderr, "gltorture: the write log %s is empty\n", o.log);
        return 2;
    }
    uint64_t rng = o.seed * 0x9E3779B97F4A7C15ull + 3;
    size_t *points = crash_points(&log, o.count, &rng);
    char imgdir[600], img[IMG_FILES][700], lock[700];
    snprintf(imgdir, sizeof imgdir, "%s/image", o.work);
    snprintf(img[IMG_DATA], sizeof img[IMG_DATA], "%s/data.mdb", imgdir);
    snprintf(img[IMG_JOURNAL], sizeof img[IMG_JOURNAL], "%s/%s", imgdir, TT_JOURNAL_FILE);
    snprintf(lock, sizeof lock, "%s/lock.mdb", imgdir);
    mkdir(o.work, 0700);
    mkdir(imgdir, 0700);
    img_builder b;
    const char *const bases[IMG_FILES] = {o.base, o.journal_base};
    const char *const outs[IMG_FILES] = {img[IMG_DATA], img[IMG_JOURNAL]};
    if (!points || img_builder_init(&b, &log, bases, o.work) != 0)
        return 2;
    long ok = 0, unopenable = 0, inconsistent = 0, lost_images = 0, lost_entries = 0,
         acked_checked = 0, recovered_images = 0, recovered_records = 0;
    char first[700] = "";
    int64_t t0 = tt_now_ns();
    for (int i = 0; i < o.count; i++) {
        size_t p = points[i];
        unlink(lock);
        if (img_builder_image(&b, p, outs, &rng) != 0)
            return 2;
        ck_result res;
        long records;
        int rc = check_image(o.daemon, imgdir, acks, nacks, log.recs[p].t_ns, &res, &records);
        acked_checked += res.acked_entries;
        recovered_images += records > 0;
        recovered_records += records > 0 ? records : 0;
        if (rc == 0) {
            ok++;
            continue;
        }
        if (rc == 2)
            unopenable++;
        else if (res.failures)
            inconsistent++;
        if (res.lost_entries || res.lost_requests) {
            lost_images++;
            lost_entries += res.lost_entries;
        }
        if (!first[0])
            snprintf(first, sizeof first, "record %zu of %zu: %s (lost %ld acknowledged entries)",
                     p, log.n,
                     res.first_failure[0] ? res.first_failure : "acknowledged requests missing",
                     res.lost_entries);
        if (o.verbose)
            ck_print(stderr, "image", &res);
    }
    int64_t t1 = tt_now_ns();
    bool caught = unopenable + inconsistent + lost_images > 0;
    printf(
        "powerloss: mode=%s images=%d ok=%ld unopenable=%ld inconsistent=%ld lost_images=%ld lost_entries=%ld "
        "(records=%zu writes=%zu flushes=%zu dsync_writes=%zu journal_writes=%zu journal_flushes=%zu "
        "recovered_images=%ld recovered_records=%ld acks=%zu acked_entries_checked=%ld "
        "torn_writes=%ld dropped_writes=%ld seconds=%.1f)%s%s\n",
        o.mode, o.count, ok, unopenable, inconsistent, lost_images, lost_entries, log.n,
        writes[IMG_DATA], flushes[IMG_DATA], dsyncs, writes[IMG_JOURNAL], flushes[IMG_JOURNAL],
        recovered_images, recovered_records, nacks, acked_checked, b.torn, b.dropped,
        (double)(t1 - t0) / 1e9, first[0] ? " first: " : "", first);
    fflush(stdout);
    img_builder_free(&b);
    free(points);
    img_log_free(&log);
    for (size_t i = 0; i < nacks; i++)
        tt_ack_free(&acks[i]);
    free(acks);
    if (o.expect_loss)
        return caught ? 0 : 1;
    return caught || ok != o.count ? 1 : 0;
}
