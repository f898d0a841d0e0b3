/*
 * daemon/pidfile.c — see pidfile.h.  The lock is flock(2) on the file's
 * open description: it lasts until the descriptor is closed or the process
 * dies, whatever other descriptors the process opens and closes (unlike
 * fcntl locks).  Between our open and our lock, the daemon that held the
 * file may have removed it at its stop; we would then hold a lock on a
 * file nobody can find, so the lock is taken again on what the path names
 * now (bounded: a path that keeps changing is an error).
 */
#include "pidfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define PIDFILE_ATTEMPTS 3

/* The pid written in a file another daemon holds, as text ("?" if none). */
static void holder(int fd, char *out, size_t out_len)
{
    char text[24];
    ssize_t n = pread(fd, text, sizeof text - 1, 0);
    size_t len = 0;
    while (n > 0 && len < (size_t)n && text[len] >= '0' && text[len] <= '9')
        len++;
    snprintf(out, out_len, "%.*s", (int)len, len ? text : "?");
}

/* One attempt: 0 locked, 1 the path changed meanwhile, -1 error. */
static int lock_once(pidfile *p, char *err, size_t err_len)
{
    int fd = open(p->path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0644);
    if (fd < 0) {
        if (errno == ELOOP)
            snprintf(err, err_len, "pid file %s is a symbolic link: refusing to follow it",
                     p->path);
        else
            snprintf(err, err_len, "cannot open pid file %s: %s", p->path, strerror(errno));
        return -1;
    }
    struct stat sb, now;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        snprintf(err, err_len, "pid file %s is not a regular file", p->path);
        close(fd);
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        char pid[24];
        holder(fd, pid, sizeof pid);
        if (errno == EWOULDBLOCK)
            snprintf(err, err_len,
                     "pid file %s is locked by another grandlivred (pid %s): refusing to start",
                     p->path, pid);
        else
            snprintf(err, err_len, "cannot lock pid file %s: %s", p->path, strerror(errno));
        close(fd);
        return -1;
    }
    if (lstat(p->path, &now) != 0 || now.st_dev != sb.st_dev || now.st_ino != sb.st_ino) {
        close(fd);
        return 1;
    }
    p->fd = fd;
    return 0;
}

int pidfile_lock(pidfile *p, const char *path, char *err, size_t err_len)
{
    p->path = path;
    p->fd = -1;
    for (int i = 0; i < PIDFILE_ATTEMPTS; i++) {
        int rc = lock_once(p, err, err_len);
        if (rc <= 0)
            return rc;
    }
    snprintf(err, err_len, "pid file %s keeps being replaced: refusing to start", path);
    return -1;
}

int pidfile_write(pidfile *p)
{
    char text[24];
    int n = snprintf(text, sizeof text, "%ld\n", (long)getpid());
    if (p->fd < 0 || ftruncate(p->fd, 0) != 0 || pwrite(p->fd, text, (size_t)n, 0) != n)
        return -1;
    return 0;
}

void pidfile_release(pidfile *p)
{
    if (p->fd < 0)
        return;
    struct stat sb, now; /* remove only our own file, never one put in its place */
    if (fstat(p->fd, &sb) == 0 && lstat(p->path, &now) == 0 && now.st_dev == sb.st_dev &&
        now.st_ino == sb.st_ino)
        unlink(p->path);
    close(p->fd);
    p->fd = -1;
}
