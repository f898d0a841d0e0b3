/*
 * daemon/log.c — grandlivred's log lines, written to stderr (daemon/log.h).
 */
#include "daemon/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void log_line(int level, const char *component, const char *fmt, ...)
{
    char small[512];
    int64_t now = wall_ms();
    va_list ap, again;
    va_start(ap, fmt);
    va_copy(again, ap);
    size_t n = gl_log_vformat(small, sizeof small, GL_LOG_FULL, "grandlivred", now, level,
                              component, fmt, ap);
    char *line = n < sizeof small ? small : malloc(n + 1);
    if (line && line != small)
        gl_log_vformat(line, n + 1, GL_LOG_FULL, "grandlivred", now, level, component, fmt, again);
    va_end(again);
    va_end(ap);
    /* out of memory for a long line: the first sizeof small bytes, cut */
    fputs(line ? line : small, stderr);
    if (!line)
        fputs("\n", stderr);
    if (line != small)
        free(line);
}
