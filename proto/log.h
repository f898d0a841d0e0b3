/*
 * proto/log.h — the layout of a log line, for both programs: the pure
 * formatting (no I/O, no clock: the caller gives the time); the writing is
 * the program's (daemon/log.h for grandlivred; client/cli/cli.c for
 * grandlivre's warnings and errors).
 *
 * A daemon log line (GL_LOG_FULL):
 *
 *     [2026-12-05T03:45:17Z info transport] grandlivred: reload: applied
 *
 * a bracketed head (UTC time to the second, level, component), then the
 * line as it always was: the program's prefix and the message, so that
 * what operators, scripts and tests look for ("grandlivred: stopped",
 * "reload: applied") reads the same.  A command's line for a person at a
 * terminal (GL_LOG_BARE) is the prefix and the message alone, with
 * "warning: " before a warning's message:
 *
 *     grandlivre: warning: the period 2026-03 is overdue
 */
#ifndef GL_LOG_H
#define GL_LOG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

enum gl_log_level {
    GL_LOG_ERROR = 0, /* something failed: an operator should look */
    GL_LOG_WARN = 1,  /* something is off, the program goes on */
    GL_LOG_INFO = 2,  /* the program's life: start, reload, stop */
};

enum gl_log_style {
    GL_LOG_FULL = 0, /* head, prefix, message: the daemon's log */
    GL_LOG_BARE = 1, /* prefix and message: a command's messages */
};

/* "error", "warning", "info" ("unknown" for any other value). */
const char *gl_log_level_name(int level);

/* The head of a line, everything before the message, into out[0..out_len)
 * (terminated when out_len > 0): "[time level component] program: " (FULL)
 * or "program: " and, for a warning, "warning: " (BARE).  Returns the
 * length it needs, as snprintf does; 128 bytes hold any head whose
 * program and component names are under 40 bytes each. */
size_t gl_log_head(char *out, size_t out_len, int style, const char *program, int64_t time_ms,
                   int level, const char *component);

/* One log line with its '\n' into out[0..out_len) (always terminated when
 * out_len > 0, cut short if it does not fit); returns the length the whole
 * line needs, without the terminator, as snprintf does.  program is the
 * prefix ("grandlivred"), time_ms milliseconds since 1970 UTC (times
 * before 1970 or from year 10000 on are written as a count of ms),
 * component a short name ("main", "transport"). */
size_t gl_log_vformat(char *out, size_t out_len, int style, const char *program, int64_t time_ms,
                      int level, const char *component, const char *fmt, va_list ap)
    __attribute__((format(printf, 8, 0)));
size_t gl_log_format(char *out, size_t out_len, int style, const char *program, int64_t time_ms,
                     int level, const char *component, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));

#endif
