/*
 * tests/crash/iolog.c — libgliolog.so, an LD_PRELOAD shim that records every
 * write and flush a process makes to the files of a data directory its
 * durability depends on — the LMDB data file and the journal-first
 * writer's journal — for the power-loss crash images (tests/crash/images.c,
 * imgbuild.c), in the spirit of SQLite's crash-test VFS and Linux's
 * dm-log-writes.
 *
 * Environment:
 *   GLIOLOG_DIR   the data directory: its data.mdb (file 0) and journal.glj
 *                 (file 1) are watched (unset: the shim only passes calls
 *                 through)
 *   GLIOLOG_LOG   the log file (appended)
 *   GLIOLOG_MODE  "safe" (default): flushes happen and are logged;
 *                 "unsafe": fsync/fdatasync on the file return 0 without
 *                 flushing and O_DSYNC is stripped at open (RWF_DSYNC
 *                 from pwritev2's flags), on both files, and none of it is
 *                 logged — a daemon that acknowledges before its data is on
 *                 disk, which the image test must catch;
 *                 "unsafe-journal": the same for journal.glj only (LMDB's
 *                 flushes happen): a journal-first daemon that acknowledges
 *                 before its journal is on disk.  A mode of the shim, not of
 *                 the daemon: the shipped daemon has no way to skip a flush.
 *   GLIOLOG_FAIL_ONCE  a file name: while it exists, the next flush of a
 *                 watched file fails with EIO (and the shim removes it), as
 *                 a failing disk would (tests/integration/test_persons_forget.c)
 *
 * LMDB 0.9.24 writes pages with pwrite (one page) or lseek + writev (a run),
 * its meta pages with pwrite on a second descriptor opened O_DSYNC, and
 * flushes with fdatasync; the journal may be written with write, pwrite or
 * pwritev2 and flushed with fdatasync, O_DSYNC or RWF_DSYNC: all covered.
 * Intercepted: open, open64, openat, openat64, __open_2, __open64_2, close,
 * dup, dup2, dup3 (the copy is watched as the original: dd(1) does that),
 * write, pwrite, pwrite64, writev, pwritev, pwritev64, pwritev2,
 * pwritev64v2, fsync, fdatasync, ftruncate.  Not intercepted (a daemon
 * that starts using them needs them added here): mmap writes (msync),
 * fcntl(F_DUPFD), fallocate (the images grow the file by the writes
 * alone), rename onto a watched name (a descriptor opened under another
 * name is not watched).
 * Every call on a watched descriptor runs under one mutex together with its
 * log record, so the log order is the order of the calls.
 *
 * Log record (native byte order, same machine):
 *   magic u32 "GLIO" | type u8 | file u8 | pad[2] | len u32 | off u64 | t_ns i64 | data[len]
 * file: 0 data.mdb, 1 journal.glj (logs from before the journal have 0:
 * data.mdb).  types: 1 WRITE (len bytes at off, as far as the call wrote),
 * 2 FLUSH (every earlier write of that file is durable: fsync/fdatasync
 * returned 0), 3 DSYNC (the previous WRITE, made on an O_DSYNC descriptor
 * or with RWF_DSYNC, is durable), 4 TRUNCATE (size off).  t_ns is CLOCK_MONOTONIC when the call returned, comparable
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
    uint8_t type, file, pad[2];
    uint32_t len;
    uint64_t off;
    int64_t t_ns;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
enum { WATCHED = 2 }; /* 0 data.mdb, 1 journal.glj (the log's file field) */
static const char *const watched_names[WATCHED] = {"data.mdb", "journal.glj"};
static char watched[WATCHED][PATH_MAX]; /* realpath of GLIOLOG_DIR + "/" + name */
static bool active;
static unsigned unsafe_files; /* bit f: file f's flushes and O_DSYNC dropped */
static int log_fd = -1;
static const char *fail_once; /* GLIOLOG_FAIL_ONCE */
/* per descriptor: 0 not watched, else T_ON | T_DSYNC? | file << 4 */
enum { T_ON = 1, T_DSYNC = 2 };
static uint8_t tracked[FD_MAX];

static int (*real_open)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_close)(int);
static int (*real_dup)(int);
static int (*real_dup2)(int, int);
static int (*real_dup3)(int, int, int);
static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_writev)(int, const struct iovec *, int);
static ssize_t (*real_pwritev)(int, const struct iovec *, int, off_t);
static ssize_t (*real_pwritev2)(int, const struct iovec *, int, off_t, int);
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
    real_dup = sym("dup");
    real_dup2 = sym("dup2");
    real_dup3 = sym("dup3");
    real_write = sym("write");
    real_pwrite = sym("pwrite");
    real_writev = sym("writev");
    real_pwritev = sym("pwritev");
    real_pwritev2 = sym("pwritev2");
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
    if (!dir || !log || !realpath(dir, real_dir) || strlen(real_dir) + 16 >= sizeof watched[0])
        return;
    for (int f = 0; f < WATCHED; f++)
        snprintf(watched[f], sizeof watched[f], "%s/%s", real_dir, watched_names[f]);
    unsafe_files = !mode                             ? 0
                   : !strcmp(mode, "unsafe")         ? (1u << WATCHED) - 1
                   : !strcmp(mode, "unsafe-journal") ? 1u << 1
                                                     : 0;
    fail_once = getenv("GLIOLOG_FAIL_ONCE");
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

/* One record of the watched file of descriptor fd; data may come in
 * pieces (writev). */
static void log_rec(int fd, uint8_t type, uint64_t off, const struct iovec *iov, int cnt,
                    size_t len)
{
    int saved = errno;
    struct rec r;
    memset(&r, 0, sizeof r); /* the 4 bytes of padding before off too: they are written out */
    r.magic = 0x4f494c47u;
    r.type = type;
    r.file = (uint8_t)(tracked[fd] >> 4);
    r.len = (uint32_t)len;
    r.off = off;
    r.t_ns = now_ns();
    put(&r, sizeof r);
    for (int i = 0; i < cnt && len > 0; i++) {
        size_t n = iov[i].iov_len < len ? iov[i].iov_len : len;
        put(iov[i].iov_base, n);
        len -= n;
    }
    errno = saved;
}

static bool is_tracked(int fd) { return active && fd >= 0 && fd < FD_MAX && tracked[fd]; }

/* Whether the (watched) file of fd has its flushes dropped. */
static bool unsafe(int fd) { return unsafe_files >> (tracked[fd] >> 4) & 1; }

/* The watched file a resolved path names, or -1. */
static int watched_file(const char *real)
{
    for (int f = 0; f < WATCHED; f++)
        if (!strcmp(real, watched[f]))
            return f;
    return -1;
}

static void note_open(int fd, int flags)
{
    char p[PATH_MAX], link[64];
    if (!active || fd < 0 || fd >= FD_MAX)
        return;
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    int f = realpath(link, p) ? watched_file(p) : -1;
    if (f < 0)
        return;
    pthread_mutex_lock(&mu);
    tracked[fd] = (uint8_t)(T_ON | ((flags & O_DSYNC) ? T_DSYNC : 0) | f << 4);
    pthread_mutex_unlock(&mu);
}

/* The absolute path open(dirfd, path) names, whether the file exists yet
 * or not (O_CREAT: its directory does).  false if it cannot be told. */
static bool resolve_path(int dirfd, const char *path, char *out)
{
    char joined[PATH_MAX], parent[PATH_MAX];
    if (path[0] != '/' && dirfd != AT_FDCWD) {
        char link[64], base_dir[PATH_MAX];
        snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd);
        ssize_t n = readlink(link, base_dir, sizeof base_dir - 1);
        if (n <= 0)
            return false;
        base_dir[n] = 0;
        if ((size_t)snprintf(joined, sizeof joined, "%s/%s", base_dir, path) >= sizeof joined)
            return false;
        path = joined;
    }
    if (realpath(path, out))
        return true;
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    size_t dir_len = slash ? (size_t)(slash - path) : 0;
    if (dir_len >= sizeof parent)
        return false;
    if (!slash)
        strcpy(parent, ".");
    else if (dir_len == 0)
        strcpy(parent, "/"); /* "/name" */
    else {
        memcpy(parent, path, dir_len);
        parent[dir_len] = 0;
    }
    char real_parent[PATH_MAX];
    return realpath(parent, real_parent) &&
           (size_t)snprintf(out, PATH_MAX, "%s/%s", real_parent, name) < PATH_MAX;
}

/* A watched file's flags as the process will really open it (the file may
 * not exist yet: O_CREAT|O_DSYNC). */
static int adjust_flags(int dirfd, const char *path, int flags)
{
    if (!active || !unsafe_files || !(flags & O_DSYNC))
        return flags;
    char p[PATH_MAX];
    int f = resolve_path(dirfd, path, p) ? watched_file(p) : -1;
    if (f >= 0 && (unsafe_files >> f & 1))
        flags &= ~(O_DSYNC | O_SYNC);
    return flags;
}

static int do_open(int dirfd, const char *path, int flags, mode_t mode)
{
    resolve();
    int real_flags = adjust_flags(dirfd, path, flags);
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

/* newfd now names what oldfd names (or the call failed: r < 0). */
static int note_dup(int oldfd, int r)
{
    if (!active || r < 0 || r >= FD_MAX)
        return r;
    pthread_mutex_lock(&mu);
    tracked[r] = oldfd >= 0 && oldfd < FD_MAX ? tracked[oldfd] : 0;
    pthread_mutex_unlock(&mu);
    return r;
}

int dup(int fd)
{
    resolve();
    return note_dup(fd, real_dup(fd));
}

int dup2(int fd, int to)
{
    resolve();
    return note_dup(fd, real_dup2(fd, to));
}

int dup3(int fd, int to, int flags)
{
    resolve();
    return note_dup(fd, real_dup3(fd, to, flags));
}

/* A write at off of the first n bytes of iov (after the call); durable
 * when made on an O_DSYNC descriptor or with RWF_DSYNC. */
static void logged_write(int fd, uint64_t off, const struct iovec *iov, int cnt, ssize_t n,
                         bool dsync)
{
    if (n <= 0)
        return;
    log_rec(fd, R_WRITE, off, iov, cnt, (size_t)n);
    if (dsync || (tracked[fd] & T_DSYNC))
        log_rec(fd, R_DSYNC, off, NULL, 0, 0);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    resolve();
    if (!is_tracked(fd))
        return real_pwrite(fd, buf, n, off);
    pthread_mutex_lock(&mu);
    ssize_t r = real_pwrite(fd, buf, n, off);
    struct iovec v = {(void *)buf, n};
    logged_write(fd, (uint64_t)off, &v, 1, r, false);
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
    ssize_t r = real_write(fd, buf, n);
    /* where it wrote: the offset after the call, less what it wrote (so
     * that O_APPEND, which writes at the end, is right too) */
    off_t off = r > 0 ? real_lseek(fd, 0, SEEK_CUR) - r : 0;
    struct iovec v = {(void *)buf, n};
    logged_write(fd, (uint64_t)off, &v, 1, r, false);
    pthread_mutex_unlock(&mu);
    return r;
}

ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
    resolve();
    if (!is_tracked(fd))
        return real_writev(fd, iov, cnt);
    pthread_mutex_lock(&mu);
    ssize_t r = real_writev(fd, iov, cnt);
    off_t off = r > 0 ? real_lseek(fd, 0, SEEK_CUR) - r : 0; /* as write() */
    logged_write(fd, (uint64_t)off, iov, cnt, r, false);
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
    logged_write(fd, (uint64_t)off, iov, cnt, r, false);
    pthread_mutex_unlock(&mu);
    return r;
}

ssize_t pwritev64(int fd, const struct iovec *iov, int cnt, off_t off)
{
    return pwritev(fd, iov, cnt, off);
}

/* pwritev2: off -1 writes at the current offset; RWF_DSYNC / RWF_SYNC make
 * this one write durable (dropped in unsafe mode, like O_DSYNC). */
ssize_t pwritev2(int fd, const struct iovec *iov, int cnt, off_t off, int flags)
{
    resolve();
    if (!is_tracked(fd))
        return real_pwritev2(fd, iov, cnt, off, flags);
    bool dsync = flags & (RWF_DSYNC | RWF_SYNC);
    if (unsafe(fd)) {
        flags &= ~(RWF_DSYNC | RWF_SYNC);
        dsync = false;
    }
    pthread_mutex_lock(&mu);
    ssize_t r = real_pwritev2(fd, iov, cnt, off, flags);
    off_t at = off;
    if (off == -1)
        at = r > 0 ? real_lseek(fd, 0, SEEK_CUR) - r : 0;
    logged_write(fd, (uint64_t)at, iov, cnt, r, dsync);
    pthread_mutex_unlock(&mu);
    return r;
}

ssize_t pwritev64v2(int fd, const struct iovec *iov, int cnt, off_t off, int flags)
{
    return pwritev2(fd, iov, cnt, off, flags);
}

static int flush(int fd, int (*real)(int))
{
    resolve();
    if (!is_tracked(fd))
        return real(fd);
    if (fail_once && unlink(fail_once) == 0) {
        errno = EIO; /* armed: this flush fails, the next ones do not */
        return -1;
    }
    if (unsafe(fd))
        return 0; /* pretend: nothing reached the disk */
    pthread_mutex_lock(&mu);
    int r = real(fd);
    if (r == 0)
        log_rec(fd, R_FLUSH, 0, NULL, 0, 0);
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
        log_rec(fd, R_TRUNCATE, (uint64_t)len, NULL, 0, 0);
    pthread_mutex_unlock(&mu);
    return r;
}
