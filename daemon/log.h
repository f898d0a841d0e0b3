/*
 * daemon/log.h — grandlivred's log: one line on stderr per event, laid out
 * by proto/log.h ("[time level component] grandlivred: message").  Used for
 * what the running daemon tells its operator; the answers of a command
 * (-n's `file:line: message` errors and "configuration ok", --upgrade's
 * report, --print-*) are its output, printed as they are.
 */
#ifndef GL_DAEMON_LOG_H
#define GL_DAEMON_LOG_H

#include "proto/log.h"

/* One line at level (GL_LOG_ERROR, GL_LOG_WARN, GL_LOG_INFO) from
 * component ("main", "transport", "zap", "keyring", "writer", "store"),
 * written with one call so that the threads' lines never interleave. */
void log_line(int level, const char *component, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
