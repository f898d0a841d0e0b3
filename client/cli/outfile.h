/*
 * client/cli/outfile.h — the one way the CLI writes a file a person named
 * (`statements -o`, `export hledger -o`, `fec export -o DIR`, `archive -o`).
 *
 * The bytes go to a new temporary file in the destination's directory
 * (".NAME.XXXXXXXX", created O_CREAT|O_EXCL|O_NOFOLLOW, so never through
 * a link nor over anything), are flushed and fsync'ed, and the file is
 * renamed into place, then the directory is fsync'ed.  A reader sees no
 * file or the whole file, never a part; on any failure the temporary file
 * is removed and the destination is as it was.
 *
 * The destination, its last component only:
 *   - absent: created;
 *   - a regular file: refused (GL_ERR_OUTPUT_EXISTS) unless force, which
 *     replaces it by the rename (a new inode: whoever has the old one open
 *     keeps reading the old bytes);
 *   - a symbolic link (dangling or not), a directory or anything else:
 *     refused, even with force (GL_ERR_OUTPUT_NOT_FILE).  A link is never
 *     followed, so a link planted where a file is expected cannot make us
 *     write elsewhere; nor is it replaced: the person removes it.
 * The check is made when the file is opened (before any work) and again
 * at the rename.  Without force the rename itself refuses to replace
 * (renameat2 RENAME_NOREPLACE, or link + unlink where the file system
 * lacks it), so a file created meanwhile is never overwritten; with force a
 * link slipped in between the check and the rename is replaced, never
 * followed (a rename never follows).  Directories on the way may be links.
 *
 * Functions report into err (a sentence naming the path) and return a
 * status of proto/status.h: GL_OK; GL_ERR_OUTPUT_EXISTS;
 * GL_ERR_OUTPUT_NOT_FILE; GL_ERR_USAGE (a path with no file name: empty,
 * ".", "..", ending in '/', or too long); GL_ERR_IO (the directory cannot
 * be opened, a write, fsync or rename failed).  They never print or exit.
 */
#ifndef GL_OUTFILE_H
#define GL_OUTFILE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Modes of the created file (the umask applies too). */
#define OUTFILE_MODE_PUBLIC 0644 /* exports, statements, archives */
#define OUTFILE_MODE_SECRET 0600 /* anything holding a secret */

typedef struct outfile {
    FILE *f;    /* the temporary file, open for writing */
    int dir_fd; /* the destination's directory; -1 when closed */
    bool force;
    char path[PATH_MAX];     /* as given, for messages */
    char name[NAME_MAX + 1]; /* the destination's last component */
    char tmp[NAME_MAX + 1];  /* the temporary file's name in dir_fd */
} outfile;

/* May path be written (the rules above), without creating anything?  For
 * commands that check before they fetch what they will write. */
int outfile_check(const char *path, bool force, char *err, size_t err_len);

/* Check path and create the temporary file; o->f is then open.  On
 * failure nothing was created and o needs no outfile_abort. */
int outfile_open(outfile *o, const char *path, unsigned mode, bool force, char *err,
                 size_t err_len);

/* Flush, fsync, close and rename into place; then fsync the directory.
 * On failure the temporary file is removed.  Either way o is closed. */
int outfile_commit(outfile *o, char *err, size_t err_len);

/* Close and remove the temporary file (nothing is written).  Does nothing
 * on an outfile that is not open (f NULL: zeroed, failed to open, already
 * committed or aborted). */
void outfile_abort(outfile *o);

/* outfile_open + the bytes + outfile_commit. */
int outfile_write(const char *path, const void *data, size_t len, unsigned mode, bool force,
                  char *err, size_t err_len);

#endif
