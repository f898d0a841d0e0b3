/*
 * tests/unit/test_hash.c — proto/hash: the one FNV-1a (64-bit) helper that
 * the in-memory hash tables use.  The published test vectors (offset basis
 * 0xcbf29ce484222325, prime 0x100000001b3), then the continued form that
 * hashes a key in pieces; the wrong offset some copies used
 * (1469598103934665603, a digit short) must not come back.
 */
#include "proto/hash.h"

#include <criterion/criterion.h>

#include <string.h>

Test(hash, fnv1a64_published_vectors)
{
    cr_assert_eq(gl_fnv1a64("", 0), 0xcbf29ce484222325ull);
    cr_assert_eq(gl_fnv1a64("a", 1), 0xaf63dc4c8601ec8cull);
    cr_assert_eq(gl_fnv1a64("foobar", 6), 0x85944171f73967e8ull);
}

Test(hash, fnv1a64_offset_is_the_standard_one)
{
    cr_assert_eq(GL_FNV1A64_OFFSET, 14695981039346656037ull);
    cr_assert_neq(GL_FNV1A64_OFFSET, 1469598103934665603ull);
    cr_assert_eq(GL_FNV1A64_PRIME, 1099511628211ull);
}

Test(hash, fnv1a64_in_pieces_equals_in_one)
{
    static const char key[] = "ab\0cd"; /* two strings and their separator */
    uint64_t h = gl_fnv1a64_more(GL_FNV1A64_OFFSET, "ab", 2);
    h = gl_fnv1a64_more(h, "", 1);
    h = gl_fnv1a64_more(h, "cd", 2);
    cr_assert_eq(h, gl_fnv1a64(key, 5));
    cr_assert_eq(h, 0xad22232f536d9d19ull);
    cr_assert_eq(gl_fnv1a64_more(h, NULL, 0), h);
}
