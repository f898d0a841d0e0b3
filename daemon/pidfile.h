/*
 * daemon/pidfile.h — `--pidfile FILE`: a pid file that is also a lock.
 *
 * The file is opened without following a symbolic link (O_NOFOLLOW: a link
 * at the path is refused, never written through), must be a regular file,
 * and is locked with flock for the daemon's whole life, first thing at
 * start; once the daemon serves, the locked file is truncated and the pid
 * written into it (until then it keeps what it held: a script that wrote
 * the pid it spawned, scripts/sandbox, still finds it there).  A second
 * daemon on the same file finds it locked and refuses to start, naming the
 * pid inside; a file left by a daemon killed with SIGKILL holds no lock
 * (the kernel dropped it) and is taken over.  At a clean stop the file is
 * removed while still locked.
 */
#ifndef GL_PIDFILE_H
#define GL_PIDFILE_H

#include <stddef.h>

typedef struct pidfile {
    const char *path;
    int fd; /* -1: none */
} pidfile;

/* Open and lock path.  0, or -1 with a sentence in err (another daemon
 * holds it, a symbolic link, not a regular file, a system error). */
int pidfile_lock(pidfile *p, const char *path, char *err, size_t err_len);
/* Truncate the locked file and write this process's pid.  0 or -1 (errno). */
int pidfile_write(pidfile *p);
/* Remove the file and release the lock (nothing if none is held). */
void pidfile_release(pidfile *p);

#endif
