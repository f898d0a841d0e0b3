/*
 * proto/assert.h — always-on assertions for programmer errors (never for
 * anything a client can cause: those are statuses).  Not tied to NDEBUG.
 */
#ifndef GL_ASSERT_H
#define GL_ASSERT_H

#include <stdio.h>
#include <stdlib.h>

#define GL_ASSERT(cond)                                                                  \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            fprintf(stderr, "%s:%d: assertion failed: %s\n", __FILE__, __LINE__, #cond); \
            abort();                                                                     \
        }                                                                                \
    } while (0)

#endif
