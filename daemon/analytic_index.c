/*
 * daemon/analytic_index.c — the analytic indexes (analytic_index.h).
 * A stub until the index is written: nothing indexed.
 */
#include "analytic_index.h"

#include "proto/status.h"

int analytic_index_split(gl_exec *x, const an_line_ref *ref, const gl_an_split *split, int sign,
                         uint8_t source)
{
    (void)x, (void)ref, (void)split, (void)sign, (void)source;
    return GL_OK;
}
