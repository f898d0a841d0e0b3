/*
 * daemon/fileio.h — opening the daemon's own files for reading: never
 * through a symbolic link, with their status, one message per failure.
 */
#ifndef GL_DAEMON_FILEIO_H
#define GL_DAEMON_FILEIO_H

#include <stddef.h>
#include <sys/stat.h>

#define FILE_ABSENT (-2)

/* path opened read-only (O_NOFOLLOW, O_CLOEXEC) and its status into *sb:
 * the descriptor, FILE_ABSENT if there is no such file, or -1 with err set
 * ("cannot open PATH: reason"). */
int file_open_read(const char *path, struct stat *sb, char *err, size_t err_len);

#endif
