/*
 * daemon/fileio.c — opening the daemon's own files for reading (fileio.h).
 */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int file_open_read(const char *path, struct stat *sb, char *err, size_t err_len)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT)
        return FILE_ABSENT;
    if (fd < 0 || fstat(fd, sb) != 0) {
        snprintf(err, err_len, "cannot open %s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}
