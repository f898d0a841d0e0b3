/*
 * proto/log.c — the layout of a log line (proto/log.h): formatting only.
 */
#include "proto/log.h"

#include "proto/date.h"

#include <stdio.h>

const char *gl_log_level_name(int level)
{
    switch (level) {
    case GL_LOG_ERROR: return "error";
    case GL_LOG_WARN: return "warning";
    case GL_LOG_INFO: return "info";
    default: return "unknown";
    }
}

/* Add what snprintf says it wrote (or needed) to used; at and room give
 * where the next part goes and the room left (none once out is full). */
static void advance(size_t *used, int wrote)
{
    if (wrote > 0)
        *used += (size_t)wrote;
}

static char *at(char *out, size_t out_len, size_t used)
{
    return used < out_len ? out + used : NULL;
}
static size_t room(size_t out_len, size_t used) { return used < out_len ? out_len - used : 0; }

size_t gl_log_head(char *out, size_t out_len, int style, const char *program, int64_t time_ms,
                   int level, const char *component)
{
    size_t used = 0;
    if (out_len)
        out[0] = '\0';
    if (style == GL_LOG_FULL) {
        char when[GL_UTC_TEXT_MAX];
        gl_utc_text(time_ms, when);
        advance(&used,
                snprintf(out, out_len, "[%s %s %s] ", when, gl_log_level_name(level), component));
    }
    advance(&used, snprintf(at(out, out_len, used), room(out_len, used), "%s: %s", program,
                            style == GL_LOG_BARE && level == GL_LOG_WARN ? "warning: " : ""));
    return used;
}

size_t gl_log_vformat(char *out, size_t out_len, int style, const char *program, int64_t time_ms,
                      int level, const char *component, const char *fmt, va_list ap)
{
    size_t used = gl_log_head(out, out_len, style, program, time_ms, level, component);
    advance(&used, vsnprintf(at(out, out_len, used), room(out_len, used), fmt, ap));
    advance(&used, snprintf(at(out, out_len, used), room(out_len, used), "\n"));
    return used;
}

size_t gl_log_format(char *out, size_t out_len, int style, const char *program, int64_t time_ms,
                     int level, const char *component, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t n = gl_log_vformat(out, out_len, style, program, time_ms, level, component, fmt, ap);
    va_end(ap);
    return n;
}
