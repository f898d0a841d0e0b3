/*
 * tests/crash/iolog.c — libgliolog.so, an LD_PRELOAD shim that records every
 * write and flush a process makes to one LMDB data file, for the power-loss
 * crash images (tests/crash/images.c), in the spirit of SQLite's crash-test
 * VFS and Linux's dm-log-writes.
 *
 * Environment:
 *   GLIOLOG_DIR   the data directory: its data.mdb is watched (unset: the
 *                 shim only passes calls through)
 *   GLIOLOG_LOG   the log file (appended)
 *   GLIOLOG_MODE  "safe" (default): flushes happen and are logged;
 *                 "unsafe": fsync/fdatasync on the file return 0 without
 *                 flushing and O_DSYNC is stripped at open, and none of it is
 *                 logged — a daemon that acknowledges before its data is on
 *                 disk, which the image test must catch.  A mode of the shim,
 *                 not of the daemon: the shipped daemon has no way to skip a
 *                 flush.
 *
 * LMDB 0.9.24 writes pages with pwrite (one page) or lseek + writev (a run),
 * its meta pages with pwrite on a second descriptor opened O_DSYNC, and
 * flushes with fdatasync.  Intercepted: open, open64, openat, openat64,
 * __open_2, __open64_2, close, write, pwrite, pwrite64, writev, pwritev,
 * pwritev64, fsync, fdatasync, ftruncate.  Every call on a watched
 * descriptor runs under one mutex together with its log record, so the log
 * order is the order of the calls.
 *
 * Log record (native byte order, same machine):
 *   magic u32 "GLIO" | type u8 | pad[3] | len u32 | off u64 | t_ns i64 | data[len]
 * types: 1 WRITE (len bytes at off, as far as the call wrote), 2 FLUSH (every
 * earlier write is durable: fsync/fdatasync returned 0), 3 DSYNC (the
 * previous WRITE, made on an O_DSYNC descriptor, is durable), 4 TRUNCATE
 * (size off).  t_ns is CLOCK_MONOTONIC when the call returned, comparable
 * with the clients' acknowledgement times.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);

#define FD_MAX 65536
enum { R_WRITE = 1, R_FLUSH = 2, R_DSYNC = 3, R_TRUNCATE = 4 };

struct rec {
    uint32_t magic;
    uint8_t type, pad[3];
    uint32_t len;
    uint64_t off;
    int64_t t_ns;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static char watched[PATH_MAX]; /* realpath of GLIOLOG_DIR + "/data.mdb" */
static bool active, unsafe_mode;
static int log_fd = -1;
static uint8_t tracked[FD_MAX]; /* 0 no, 1 yes, 2 yes with O_DSYNC */

static int (*real_open)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_close)(int);
static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_writev)(int, const struct iovec *, int);
static ssize_t (*real_pwritev)(int, const struct iovec *, int, off_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_ftruncate)(int, off_t);
static off_t (*real_lseek)(int, off_t, int);

static void *sym(const char *name)
{
    void *p = dlsym(RTLD_NEXT, name);
    if (!p) {
        static const char msg[] = "gliolog: a libc symbol is missing\n";
        ssize_t n = write(2, msg, sizeof msg - 1);
        (void)n;
        abort();
    }
    return p;
}

static void resolve(void)
{
    if (real_open)
        return;
    real_openat = sym("openat");
    real_close = sym("close");
    real_write = sym("write");
    real_pwrite = sym("pwrite");
    real_writev = sym("writev");
    real_pwritev = sym("pwritev");
    real_fsync = sym("fsync");
    real_fdatasync = sym("fdatasync");
    real_ftruncate = sym("ftruncate");
    real_lseek = sym("lseek");
    real_open = sym("open");
}

__attribute__((constructor)) static void init(void)
{
    resolve();
    const char *dir = getenv("GLIOLOG_DIR"), *log = getenv("GLIOLOG_LOG"),
               *mode = getenv("GLIOLOG_MODE");
    char real_dir[PATH_MAX];
    if (!dir || !log || !realpath(dir, real_dir) || strlen(real_dir) + 10 >= sizeof watched)
        return;
    snprintf(watched, sizeof watched, "%s/data.mdb", real_dir);
    unsafe_mode = mode && !strcmp(mode, "unsafe");
    log_fd = real_open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    active = log_fd >= 0;
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void put(const void *p, size_t n)
{
    const uint8_t *b = p;
    while (n > 0) {
        ssize_t w = real_write(log_fd, b, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            static const char msg[] = "gliolog: cannot write the log\n";
            ssize_t k = real_write(2, msg, sizeof msg - 1);
            (void)k;
            abort();
        }
        b += w;
        n -= (size_t)w;
    }
}

/* One record; data may come in pieces (writev). */
static void log_rec(uint8_t type, uint64_t off, const struct iovec *iov, int cnt, size_t len)
{
    int saved = errno;
    struct rec r = {0x4f494c47u, type, {0, 0, 0}, (uint32_t)len, off, now_ns()};
    put(&r, sizeof r);
    for (int i = 0; i < cnt && len > 0; i++) {
        size_t n = iov[i].iov_len < len ? iov[i].iov_len : len;
        put(iov[i].iov_base, n);
        len -= n;
    }
    errno = saved;
}

static bool is_tracked(int fd) { return active && fd >= 0 && fd < FD_MAX && tracked[fd]; }

static void note_open(int fd, int flags)
{
    char p[PATH_MAX], link[64];
    if (!active || fd < 0 || fd >= FD_MAX)
        return;
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    if (!realpath(link, p) || strcmp(p, watched))
        return;
    pthread_mutex_lock(&mu);
    tracked[fd] = (flags & O_DSYNC) ? 2 : 1;
    pthread_mutex_unlock(&mu);
}

/* The watched file's flags as the process will really open it. */
static int adjust_flags(const char *path, int flags)
{
    if (!active || !unsafe_mode || !(flags & O_DSYNC))
        return flags;
    char p[PATH_MAX];
    if (realpath(path, p) && !strcmp(p, watched))
        flags &= ~(O_DSYNC | O_SYNC);
    return flags;
}

static int do_open(int dirfd, const char *path, int flags, mode_t mode)
{
    resolve();
    int real_flags = adjust_flags(path, flags);
    int fd = dirfd == AT_FDCWD ? real_open(path, real_flags, mode)
                               : real_openat(dirfd, path, real_flags, mode);
    note_open(fd, real_flags);
    return fd;
}

static mode_t mode_arg(int flags, va_list ap)
{
    return (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(ap, int) : 0;
}

int open(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t m = mode_arg(flags, ap);
    va_end(ap);
    return do_open(AT_FDCWD, path, flags, m);
}

int open64(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t m = mode_arg(flags, ap);
    va_end(ap);
    return do_open(AT_FDCWD, path, flags, m);
}

int openat(int dirfd, const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t m = mode_arg(flags, ap);
    va_end(ap);
    return do_open(dirfd, path, flags, m);
}

int openat64(int dirfd, const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t m = mode_arg(flags, ap);
    va_end(ap);
    return do_open(dirfd, path, flags, m);
}

int __open_2(const char *path, int flags) { return do_open(AT_FDCWD, path, flags, 0); }
int __open64_2(const char *path, int flags) { return do_open(AT_FDCWD, path, flags, 0); }

int close(int fd)
{
    resolve();
    if (is_tracked(fd)) {
        pthread_mutex_lock(&mu);
        tracked[fd] = 0;
        pthread_mutex_unlock(&mu);
    }
    return real_close(fd);
}

/* A write at off of the first n bytes of iov (after the call). */
static void logged_write(int fd, uint64_t off, const struct iovec *iov, int cnt, ssize_t n)
{
    if (n <= 0)
        return;
    log_rec(R_WRITE, off, iov, cnt, (size_t)n);
    if (tracked[fd] == 2)
        log_rec(R_DSYNC, off, NULL, 0, 0);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    resolve();
    if (!is_tracked(fd))
        return real_pwrite(fd, buf, n, off);
    pthread_mutex_lock(&mu);
    ssize_t r = real_pwrite(fd, buf, n, off);
    struct iovec v = {(void *)buf, n};
    logged_write(fd, (uint64_t)off, &v, 1, r);
    pthread_mutex_unlock(&mu);
    return r;
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off) { return pwrite(fd, buf, n, off); }

ssize_t write(int fd, const void *buf, size_t n)
{
    resolve();
    if (!is_tracked(fd))
        return real_write(fd, buf, n);
    pthread_mutex_lock(&mu);
    off_t off = real_lseek(fd, 0, SEEK_CUR);
    ssize_t r = real_write(fd, buf, n);
    struct iovec v = {(void *)buf, n};
    logged_write(fd, (uint64_t)off, &v, 1, r);
    pthread_mutex_unlock(&mu);
    return r;
}

ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
    resolve();
    if (!is_tracked(fd))
        return real_writev(fd, iov, cnt);
    pthread_mutex_lock(&mu);
    off_t off = real_lseek(fd, 0, SEEK_CUR);
    ssize_t r = real_writev(fd, iov, cnt);
    logged_write(fd, (uint64_t)off, iov, cnt, r);
    pthread_mutex_unlock(&mu);
    return r;
}

ssize_t pwritev(int fd, const struct iovec *iov, int cnt, off_t off)
{
    resolve();
    if (!is_tracked(fd))
        return real_pwritev(fd, iov, cnt, off);
    pthread_mutex_lock(&mu);
    ssize_t r = real_pwritev(fd, iov, cnt, off);
    logged_write(fd, (uint64_t)off, iov, cnt, r);
    pthread_mutex_unlock(&mu);
    return r;
}

ssize_t pwritev64(int fd, const struct iovec *iov, int cnt, off_t off)
{
    return pwritev(fd, iov, cnt, off);
}

static int flush(int fd, int (*real)(int))
{
    resolve();
    if (!is_tracked(fd))
        return real(fd);
    if (unsafe_mode)
        return 0; /* pretend: nothing reached the disk */
    pthread_mutex_lock(&mu);
    int r = real(fd);
    if (r == 0)
        log_rec(R_FLUSH, 0, NULL, 0, 0);
    pthread_mutex_unlock(&mu);
    return r;
}

int fsync(int fd) { return flush(fd, real_fsync ? real_fsync : (resolve(), real_fsync)); }
int fdatasync(int fd)
{
    return flush(fd, real_fdatasync ? real_fdatasync : (resolve(), real_fdatasync));
}

int ftruncate(int fd, off_t len)
{
    resolve();
    if (!is_tracked(fd))
        return real_ftruncate(fd, len);
    pthread_mutex_lock(&mu);
    int r = real_ftruncate(fd, len);
    if (r == 0)
        log_rec(R_TRUNCATE, (uint64_t)len, NULL, 0, 0);
    pthread_mutex_unlock(&mu);
    return r;
}
