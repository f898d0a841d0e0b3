/*
 * proto/hash.c — FNV-1a, 64 bits (hash.h).
 */
#include "hash.h"

uint64_t gl_fnv1a64_more(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * GL_FNV1A64_PRIME;
    return h;
}

uint64_t gl_fnv1a64(const void *p, size_t n) { return gl_fnv1a64_more(GL_FNV1A64_OFFSET, p, n); }
