/*
 * daemon/stats.c — per-kind service-time histograms; see stats.h.
 */
#include "stats.h"

#include "proto/request.h"
#include "proto/reply_group.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Every kind of the kind table (proto/kinds.h) has its histogram. */
_Static_assert(GL_KIND_MAX_ < STATS_KINDS, "a kind number beyond the statistics' table");

int64_t stats_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void stats_record(gl_stats *s, uint16_t kind, uint64_t ns)
{
    if (kind >= STATS_KINDS)
        return;
    unsigned b = 0;
    while (b + 1 < STATS_BUCKETS && (ns >> (b + 1)))
        b++;
    s->count[kind]++;
    s->bucket[kind][b]++;
    if (ns > s->max_ns[kind])
        s->max_ns[kind] = ns;
}

static uint64_t percentile(const gl_stats *s, unsigned kind, uint64_t per_mille)
{
    uint64_t want = (s->count[kind] * per_mille + 999) / 1000, seen = 0;
    for (unsigned b = 0; b < STATS_BUCKETS; b++) {
        seen += s->bucket[kind][b];
        if (seen >= want && seen)
            return (uint64_t)2 << b; /* the bucket's upper bound */
    }
    return s->max_ns[kind];
}

/* A "Name:   123 kB" field of /proc/self/status, 0 if absent. */
static uint64_t status_kb(const char *name)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    unsigned long long kb = 0;
    size_t n = strlen(name);
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, name, n) && line[n] == ':' && sscanf(line + n + 1, "%llu", &kb) == 1)
            break;
    if (f)
        fclose(f);
    return kb;
}

uint64_t stats_rss_kb(void) { return status_kb("RssAnon"); }
uint64_t stats_rss_file_kb(void) { return status_kb("RssFile"); }

void stats_encode(const gl_stats *s, gl_buf *out)
{
    uint16_t kinds = 0;
    for (unsigned k = 0; k < STATS_KINDS; k++)
        kinds += s->count[k] > 0;
    gl_reply_stats_encode(out, &(gl_reply_stats){.rss_anon_kb = stats_rss_kb(),
                                                 .rss_file_kb = stats_rss_file_kb(),
                                                 .count = kinds});
    for (unsigned k = 0; k < STATS_KINDS; k++) {
        if (!s->count[k])
            continue;
        gl_reply_stats_row row = {(uint16_t)k, s->count[k], percentile(s, k, 500),
                                  percentile(s, k, 990), s->max_ns[k]};
        gl_reply_stats_put_row(out, &row);
    }
}
