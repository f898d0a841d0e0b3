/*
 * tests/unit/test_request_ids.c — the request ids the client draws
 * (gl_request_id_random): time-ordered, so that the daemon's idempotency
 * records (signer | request id, big-endian) are appended at the right edge
 * of their B-tree instead of landing on a random leaf; never 0; never twice
 * in one process, whatever the clock does.
 */
#include "client/lib/grandlivre.h"

#include <criterion/criterion.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The top bits are the milliseconds since GL_REQUEST_ID_EPOCH_MS. */
Test(request_ids, carry_the_time_in_their_top_bits)
{
    int64_t before = wall_ms();
    uint64_t id = gl_request_id_random();
    int64_t after = wall_ms();
    int64_t ms = (int64_t)(id >> GL_REQUEST_ID_RANDOM_BITS) + GL_REQUEST_ID_EPOCH_MS;
    cr_assert_geq(ms, before);
    /* one more than the clock if an earlier id of this process held this ms */
    cr_assert_leq(ms, after + 1);
}

/* Drawn one after another, ids increase strictly: each new idempotency
 * record goes after the previous one. */
Test(request_ids, increase_strictly_in_one_process)
{
    uint64_t last = gl_request_id_random();
    for (int i = 0; i < 200000; i++) {
        uint64_t id = gl_request_id_random();
        cr_assert_gt(id, last, "draw %d: %#llx after %#llx", i, (unsigned long long)id,
                     (unsigned long long)last);
        last = id;
    }
}

/* The pure step: a clock that goes back, or stands still for more draws
 * than the random bits could tell apart, still gives increasing ids. */
Test(request_ids, next_never_repeats_when_the_clock_steps_back)
{
    uint64_t last = 0;
    int64_t t = GL_REQUEST_ID_EPOCH_MS + 1000;
    uint64_t a = gl_request_id_next(last, t, 0x3fffff);
    uint64_t b = gl_request_id_next(a, t, 0);             /* same ms, smaller random bits */
    uint64_t c = gl_request_id_next(b, t - 500, 0x12345); /* the clock stepped back */
    cr_assert_eq(a, (uint64_t)1000 << GL_REQUEST_ID_RANDOM_BITS | 0x3fffff);
    cr_assert_eq(b, a + 1);
    cr_assert_eq(c, b + 1);
    /* a later ms takes the clock again */
    uint64_t d = gl_request_id_next(c, t + 5, 7);
    cr_assert_eq(d, (uint64_t)1005 << GL_REQUEST_ID_RANDOM_BITS | 7);
}

Test(request_ids, next_is_never_zero)
{
    /* a clock before the epoch (a machine with no time set) */
    cr_assert_neq(gl_request_id_next(0, 0, 0), 0);
    cr_assert_neq(gl_request_id_next(0, GL_REQUEST_ID_EPOCH_MS, 0), 0);
}

#define THREADS 4
#define PER_THREAD 50000

static void *draw(void *arg)
{
    uint64_t *out = arg;
    for (int i = 0; i < PER_THREAD; i++)
        out[i] = gl_request_id_random();
    return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Threads of one process (the bench's load generator) never draw the same
 * id: a collision would be a false request_id_reused, or a replay. */
Test(request_ids, unique_across_threads)
{
    uint64_t *ids = calloc(THREADS * PER_THREAD, sizeof *ids);
    cr_assert_not_null(ids);
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        cr_assert_eq(pthread_create(&t[i], NULL, draw, ids + i * PER_THREAD), 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    qsort(ids, THREADS * PER_THREAD, sizeof *ids, cmp_u64);
    for (int i = 1; i < THREADS * PER_THREAD; i++)
        cr_assert_neq(ids[i], ids[i - 1], "id %#llx drawn twice", (unsigned long long)ids[i]);
    free(ids);
}
