/*
 * client/cli/outfile.c — the atomic output writer (outfile.h): a temporary
 * file beside the destination, fsync, rename; no file replaced without
 * force, no symbolic link followed or replaced, nothing left on failure.
 *
 * Every step after the directory is opened is relative to its descriptor
 * (openat, fstatat, renameat2, linkat, unlinkat), so that the directory
 * the checks looked at is the one written, even if a path component is
 * swapped meanwhile.  Used by every command that writes a file; the key
 * files of `keygen` are written by the client library (keyfile.c, mode
 * 0600, O_EXCL|O_NOFOLLOW, never replaced) and do not come here.
 */
#include "outfile.h"

#include "proto/status.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Temporary names tried before giving up (each is random: a collision
 * means someone else is creating files of our pattern). */
#define TMP_TRIES 16
/* Bytes of the destination's name kept in the temporary name, so that
 * ".NAME.XXXXXXXX" fits NAME_MAX. */
#define TMP_NAME_KEPT 200

/* Split path into its directory (written to dir, "." when there is none)
 * and its last component (name).  GL_OK or GL_ERR_USAGE. */
static int split_path(const char *path, char *dir, size_t dir_len, char *name, size_t name_len,
                      char *err, size_t err_len)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t base_len = strlen(base);
    if (!base_len || !strcmp(base, ".") || !strcmp(base, "..")) {
        snprintf(err, err_len, "%s: not a file name", path);
        return GL_ERR_USAGE;
    }
    if (base_len >= name_len) {
        snprintf(err, err_len, "%s: the file name is too long", path);
        return GL_ERR_USAGE;
    }
    int n = slash ? snprintf(dir, dir_len, "%.*s", slash == path ? 1 : (int)(slash - path), path)
                  : snprintf(dir, dir_len, ".");
    if (n < 0 || (size_t)n >= dir_len) {
        snprintf(err, err_len, "%s: the directory name is too long", path);
        return GL_ERR_USAGE;
    }
    memcpy(name, base, base_len + 1);
    return GL_OK;
}

/* What is at name in dir_fd, not following a link: GL_OK if nothing is
 * there or (with force) a regular file. */
static int check_destination(int dir_fd, const char *name, const char *path, bool force, char *err,
                             size_t err_len)
{
    struct stat st;
    if (fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT)
            return GL_OK;
        snprintf(err, err_len, "cannot check %s: %s", path, strerror(errno));
        return GL_ERR_IO;
    }
    if (S_ISLNK(st.st_mode)) {
        snprintf(
            err, err_len,
            "%s is a symbolic link: an output is never written through a link nor replaces one (even with "
            "--force); remove it or choose another name",
            path);
        return GL_ERR_OUTPUT_NOT_FILE;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, err_len, "%s exists and is not a regular file: it is never replaced", path);
        return GL_ERR_OUTPUT_NOT_FILE;
    }
    if (!force) {
        snprintf(err, err_len, "%s exists; --force replaces it", path);
        return GL_ERR_OUTPUT_EXISTS;
    }
    return GL_OK;
}

/* Open path's directory and check the destination; *dir_fd is then open
 * (the caller closes it) on GL_OK only. */
static int prepare(const char *path, bool force, int *dir_fd, char *name, size_t name_len,
                   char *err, size_t err_len)
{
    char dir[PATH_MAX];
    int st = split_path(path, dir, sizeof dir, name, name_len, err, err_len);
    if (st != GL_OK)
        return st;
    *dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (*dir_fd < 0) {
        snprintf(err, err_len, "cannot write %s: directory %s: %s", path, dir, strerror(errno));
        return GL_ERR_IO;
    }
    st = check_destination(*dir_fd, name, path, force, err, err_len);
    if (st != GL_OK) {
        close(*dir_fd);
        *dir_fd = -1;
    }
    return st;
}

int outfile_check(const char *path, bool force, char *err, size_t err_len)
{
    char name[NAME_MAX + 1];
    int dir_fd = -1;
    int st = prepare(path, force, &dir_fd, name, sizeof name, err, err_len);
    if (st == GL_OK)
        close(dir_fd);
    return st;
}

/* Eight random letters and digits (getrandom; the clock and the pid if it
 * is unavailable: the name only has to be unlikely, O_EXCL decides). */
static void random_suffix(char out[9])
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    uint8_t bytes[8];
    if (getrandom(bytes, sizeof bytes, GRND_NONBLOCK) != (ssize_t)sizeof bytes) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        uint64_t x = (uint64_t)ts.tv_nsec * 0x9E3779B97F4A7C15u ^ (uint64_t)getpid() << 32 ^
                     (uint64_t)ts.tv_sec;
        for (size_t i = 0; i < sizeof bytes; i++, x >>= 8)
            bytes[i] = (uint8_t)x;
    }
    for (size_t i = 0; i < 8; i++)
        out[i] = alphabet[bytes[i] % (sizeof alphabet - 1)];
    out[8] = '\0';
}

int outfile_open(outfile *o, const char *path, unsigned mode, bool force, char *err, size_t err_len)
{
    memset(o, 0, sizeof *o);
    o->dir_fd = -1;
    o->force = force;
    if (strlen(path) >= sizeof o->path) {
        snprintf(err, err_len, "%.64s...: the path is too long", path);
        return GL_ERR_USAGE;
    }
    snprintf(o->path, sizeof o->path, "%s", path);
    int st = prepare(path, force, &o->dir_fd, o->name, sizeof o->name, err, err_len);
    if (st != GL_OK)
        return st;
    int fd = -1;
    for (int i = 0; i < TMP_TRIES && fd < 0; i++) {
        char suffix[9];
        random_suffix(suffix);
        snprintf(o->tmp, sizeof o->tmp, ".%.*s.%s", TMP_NAME_KEPT, o->name, suffix);
        fd = openat(o->dir_fd, o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                    (mode_t)mode);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
        snprintf(err, err_len, "cannot write %s: %s", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlinkat(o->dir_fd, o->tmp, 0);
        }
        close(o->dir_fd);
        o->dir_fd = -1;
        return GL_ERR_IO;
    }
    return GL_OK;
}

void outfile_abort(outfile *o)
{
    if (!o->f)
        return;
    fclose(o->f);
    o->f = NULL;
    unlinkat(o->dir_fd, o->tmp, 0);
    close(o->dir_fd);
    o->dir_fd = -1;
}

/* Rename tmp to name in dir_fd without replacing anything: renameat2's
 * RENAME_NOREPLACE, or where the file system lacks it a hard link (which
 * refuses an existing name too) and the temporary name's removal.  0 or -1
 * with errno (EEXIST: something is there). */
static int rename_noreplace(int dir_fd, const char *tmp, const char *name)
{
    if (renameat2(dir_fd, tmp, dir_fd, name, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
        return -1;
    if (linkat(dir_fd, tmp, dir_fd, name, 0) != 0)
        return -1;
    unlinkat(dir_fd, tmp, 0);
    return 0;
}

int outfile_commit(outfile *o, char *err, size_t err_len)
{
    FILE *f = o->f;
    if (!f) {
        snprintf(err, err_len, "%s: not open", o->path);
        return GL_ERR_IO;
    }
    o->f = NULL;
    bool failed = fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0;
    int saved = errno;
    if (fclose(f) != 0 && !failed) {
        failed = true;
        saved = errno;
    }
    int st = GL_OK;
    if (failed) {
        snprintf(err, err_len, "cannot write %s: %s", o->path, strerror(saved));
        st = GL_ERR_IO;
    }
    /* Looked at again: with force, a link or a directory put there since
     * the open is refused rather than replaced. */
    if (st == GL_OK)
        st = check_destination(o->dir_fd, o->name, o->path, o->force, err, err_len);
    if (st == GL_OK) {
        int rc = o->force ? renameat(o->dir_fd, o->tmp, o->dir_fd, o->name)
                          : rename_noreplace(o->dir_fd, o->tmp, o->name);
        if (rc != 0 && errno == EEXIST) {
            snprintf(err, err_len, "%s exists; --force replaces it", o->path);
            st = GL_ERR_OUTPUT_EXISTS;
        } else if (rc != 0) {
            snprintf(err, err_len, "cannot create %s: %s", o->path, strerror(errno));
            st = GL_ERR_IO;
        }
    }
    if (st != GL_OK)
        unlinkat(o->dir_fd, o->tmp, 0);
    else
        (void)fsync(o->dir_fd); /* the rename itself durable; not every file system can */
    close(o->dir_fd);
    o->dir_fd = -1;
    return st;
}

int outfile_write(const char *path, const void *data, size_t len, unsigned mode, bool force,
                  char *err, size_t err_len)
{
    outfile o;
    int st = outfile_open(&o, path, mode, force, err, err_len);
    if (st != GL_OK)
        return st;
    if (len && fwrite(data, 1, len, o.f) != len) {
        snprintf(err, err_len, "cannot write %s: %s", path, strerror(errno));
        outfile_abort(&o);
        return GL_ERR_IO;
    }
    return outfile_commit(&o, err, err_len);
}
