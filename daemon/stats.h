/*
 * daemon/stats.h — service-time statistics per request kind, measured
 * inside the daemon (from the handler's start to its reply being ready,
 * the writer's commit included for writes), in log2 buckets of
 * nanoseconds, plus the process's resident memory.  Updated only by the
 * transport thread when a job comes back; read by the STATS request.
 */
#ifndef GL_STATS_H
#define GL_STATS_H

#include "proto/wire.h"

#include <stdint.h>

#define STATS_KINDS 64
#define STATS_BUCKETS 48

typedef struct gl_stats {
    uint64_t count[STATS_KINDS];
    uint64_t max_ns[STATS_KINDS];
    uint64_t bucket[STATS_KINDS][STATS_BUCKETS]; /* bucket b: [2^b, 2^(b+1)) ns */
} gl_stats;

void stats_record(gl_stats *s, uint16_t kind, uint64_t ns);
/* Append: rss_anon_kb u64 | rss_file_kb u64 | count u16 | (kind u16 | count u64 | p50_ns u64 |
 * p99_ns u64 | max_ns u64)* — percentiles are bucket upper bounds. */
void stats_encode(const gl_stats *s, gl_buf *out);
/* Resident memory of our own (anonymous) pages, and of mapped files (LMDB's
 * pages, shared libraries), in KiB. */
uint64_t stats_rss_kb(void);
uint64_t stats_rss_file_kb(void);
int64_t stats_now_ns(void);

#endif
