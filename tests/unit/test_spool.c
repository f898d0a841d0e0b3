/*
 * tests/unit/test_spool.c — client/fec/spool.c, the external sort behind
 * fec import's bounded memory: records come back in key order (memcmp, a
 * prefix first, equal keys in the order added), whether they stayed in
 * memory or were spilled as many runs into the temporary file; records
 * larger than the read window; an empty spool.
 */
#include "client/fec/spool.h"

#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* n records with pseudo-random 4-byte keys and their index as value, read
 * back in order; returns the runs written. */
static size_t sort_check(size_t n, size_t run_bytes)
{
    gl_spool *s = gl_spool_new(run_bytes);
    cr_assert(s);
    uint32_t x = 12345;
    for (uint32_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        uint8_t key[4] = {(uint8_t)(x >> 24), (uint8_t)(x >> 16), (uint8_t)(x >> 8 & 0x3), 0};
        cr_assert_eq(gl_spool_add(s, key, sizeof key, &i, sizeof i), 0);
    }
    cr_assert_eq(gl_spool_sort(s), 0);
    uint8_t prev[4] = {0};
    uint32_t prev_i = 0;
    size_t seen = 0;
    const uint8_t *k, *v;
    size_t kl, vl;
    int rc;
    while ((rc = gl_spool_next(s, &k, &kl, &v, &vl)) == 1) {
        uint32_t i;
        cr_assert_eq(kl, 4);
        cr_assert_eq(vl, 4);
        memcpy(&i, v, 4);
        int d = memcmp(prev, k, 4);
        cr_assert(seen == 0 || d < 0 || (d == 0 && prev_i < i), "out of order at %zu", seen);
        memcpy(prev, k, 4);
        prev_i = i;
        seen++;
    }
    cr_assert_eq(rc, 0);
    cr_assert_eq(seen, n);
    cr_assert_eq(gl_spool_count(s), n);
    size_t runs = gl_spool_runs(s);
    gl_spool_free(s);
    return runs;
}

Test(spool, in_memory_records_come_back_in_key_order_equal_keys_as_added)
{
    cr_assert_eq(sort_check(5000, 1 << 20), 0);
}

Test(spool, spilled_runs_are_merged_in_key_order_equal_keys_as_added)
{
    cr_assert_gt(sort_check(100000, 64 * 1024), 10);
}

Test(spool, a_prefix_sorts_first_and_large_records_cross_the_read_window)
{
    gl_spool *s = gl_spool_new(1000);
    cr_assert(s);
    size_t big = 3 * SPOOL_READ_BUF + 17;
    char *val = malloc(big);
    cr_assert(val);
    memset(val, 'v', big);
    cr_assert_eq(gl_spool_add(s, "AB", 2, val, big), 0);
    cr_assert_eq(gl_spool_add(s, "A", 1, "1", 1), 0);
    cr_assert_eq(gl_spool_add(s, "", 0, "", 0), 0);
    cr_assert_eq(gl_spool_add(s, "A\0", 2, "2", 1), 0);
    cr_assert_gt(gl_spool_runs(s), 0);
    const uint8_t *k, *v;
    size_t kl, vl;
    cr_assert_eq(gl_spool_next(s, &k, &kl, &v, &vl), 1);
    cr_assert_eq(kl, 0);
    cr_assert_eq(gl_spool_next(s, &k, &kl, &v, &vl), 1);
    cr_assert(kl == 1 && v[0] == '1');
    cr_assert_eq(gl_spool_next(s, &k, &kl, &v, &vl), 1);
    cr_assert(kl == 2 && k[1] == 0 && v[0] == '2');
    cr_assert_eq(gl_spool_next(s, &k, &kl, &v, &vl), 1);
    cr_assert(kl == 2 && vl == big && !memcmp(v, val, big));
    cr_assert_eq(gl_spool_next(s, &k, &kl, &v, &vl), 0);
    free(val);
    gl_spool_free(s);
}

Test(spool, an_empty_spool_reads_nothing)
{
    gl_spool *s = gl_spool_new(100);
    const uint8_t *k, *v;
    size_t kl, vl;
    cr_assert_eq(gl_spool_next(s, &k, &kl, &v, &vl), 0);
    cr_assert_eq(gl_spool_add(s, "x", 1, "", 0), -1); /* no adding after reading */
    gl_spool_free(s);
}
