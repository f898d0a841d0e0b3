/*
 * client/fec/spool.c — the external sort; see spool.h.
 *
 * A record in memory and in a run is [u32 key_len][u32 val_len][key][val]
 * (host order: the file never outlives the process).  Runs follow each
 * other in one temporary file; each run reader keeps a window of the file
 * (pread) and the current record.  Few runs are expected (a million-entry
 * FEC makes a few dozen of 8 MiB), so the smallest head is found by a
 * linear scan rather than a heap.
 */
#include "spool.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HEAD 8u

/* A record held in memory: its offset, and its key's first eight bytes
 * (big-endian, zero-padded) that decide most comparisons of the sort
 * without reaching the record (the FEC's keys differ early: journal and
 * number, or a file line). */
typedef struct held {
    uint64_t prefix;
    size_t off;
} held;

typedef struct run_reader {
    uint64_t pos, end; /* file offsets: the next byte to fetch, the run's end */
    uint8_t *win;      /* a window of SPOOL_READ_BUF bytes of the run */
    size_t win_at, win_len;
    uint8_t *rec; /* the current record, head included */
    size_t rec_cap;
    bool live; /* rec holds a record not yet returned */
} run_reader;

struct gl_spool {
    size_t run_bytes;
    uint8_t *mem; /* records held, back to back */
    size_t mem_len, mem_cap;
    held *at; /* the records held, sorted at the end of a run */
    size_t at_count, at_cap;
    size_t next_at; /* reading from memory: the next record */
    int fd;         /* the temporary file, -1 until the first run */
    uint64_t file_len;
    uint64_t *run_start; /* run i is [run_start[i], run_start[i + 1]) */
    size_t runs;
    run_reader *readers;
    int last; /* the reader returned last (advanced on the next call), -1 none */
    bool sorted;
    uint64_t count;
};

int gl_spool_tmpfd(void)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/grandlivre-spool-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd >= 0)
        unlink(path); /* gone with the process, whatever happens */
    return fd;
}

gl_spool *gl_spool_new(size_t run_bytes)
{
    gl_spool *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->run_bytes = run_bytes ? run_bytes : 1;
    s->fd = -1;
    s->last = -1;
    return s;
}

void gl_spool_free(gl_spool *s)
{
    if (!s)
        return;
    for (size_t i = 0; s->readers && i < s->runs; i++) {
        free(s->readers[i].win);
        free(s->readers[i].rec);
    }
    free(s->readers);
    free(s->run_start);
    free(s->mem);
    free(s->at);
    if (s->fd >= 0)
        close(s->fd);
    free(s);
}

static uint32_t get32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static int cmp_records(const uint8_t *a, const uint8_t *b)
{
    uint32_t ka = get32(a), kb = get32(b);
    int d = memcmp(a + HEAD, b + HEAD, ka < kb ? ka : kb);
    return d ? d : (ka > kb) - (ka < kb);
}

/* Order of two held records; equal keys in the order added (offsets).
 * Prefixes that differ decide as the whole keys would: the first byte
 * that differs is within both keys, or a key ends before it (its padding
 * 0 against the other's byte, not 0 since they differ) and is then a
 * prefix of the other, which sorts it first. */
static int cmp_at(const void *x, const void *y, void *user)
{
    const uint8_t *mem = user;
    const held *a = x, *b = y;
    if (a->prefix != b->prefix)
        return a->prefix < b->prefix ? -1 : 1;
    int d = cmp_records(mem + a->off, mem + b->off);
    return d ? d : (a->off > b->off) - (a->off < b->off);
}

static uint64_t key_prefix(const uint8_t *key, size_t key_len)
{
    uint64_t v = 0;
    for (size_t i = 0; i < 8; i++)
        v = v << 8 | (i < key_len ? key[i] : 0);
    return v;
}

static int write_all(int fd, const void *p, size_t n, uint64_t off)
{
    const uint8_t *b = p;
    while (n) {
        ssize_t k = pwrite(fd, b, n, (off_t)off);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        b += k;
        n -= (size_t)k;
        off += (uint64_t)k;
    }
    return 0;
}

/* The records held, sorted, as one more run at the end of the file. */
static int spill(gl_spool *s)
{
    if (s->fd < 0 && (s->fd = gl_spool_tmpfd()) < 0)
        return -1;
    uint64_t *rs = realloc(s->run_start, (s->runs + 2) * sizeof *rs);
    if (!rs)
        return -1;
    s->run_start = rs;
    qsort_r(s->at, s->at_count, sizeof *s->at, cmp_at, s->mem);
    rs[s->runs] = s->file_len;
    /* through one buffer of up to SPOOL_READ_BUF: fewer system calls */
    uint8_t *out = malloc(SPOOL_READ_BUF);
    size_t out_len = 0;
    int rc = out ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < s->at_count; i++) {
        const uint8_t *r = s->mem + s->at[i].off;
        size_t n = HEAD + get32(r) + get32(r + 4);
        if (out_len + n > SPOOL_READ_BUF) {
            rc = write_all(s->fd, out, out_len, s->file_len);
            s->file_len += out_len;
            out_len = 0;
        }
        if (rc == 0 && n > SPOOL_READ_BUF) {
            rc = write_all(s->fd, r, n, s->file_len);
            s->file_len += n;
        } else if (rc == 0) {
            memcpy(out + out_len, r, n);
            out_len += n;
        }
    }
    if (rc == 0 && out_len) {
        rc = write_all(s->fd, out, out_len, s->file_len);
        s->file_len += out_len;
    }
    free(out);
    if (rc != 0)
        return -1;
    s->runs++;
    rs[s->runs] = s->file_len;
    s->mem_len = 0;
    s->at_count = 0;
    return 0;
}

int gl_spool_add(gl_spool *s, const void *key, size_t key_len, const void *val, size_t val_len)
{
    if (s->sorted || key_len > UINT32_MAX || val_len > UINT32_MAX - key_len - HEAD) {
        errno = EINVAL;
        return -1;
    }
    size_t n = HEAD + key_len + val_len;
    if (s->at_count && s->mem_len + n > s->run_bytes && spill(s) != 0)
        return -1;
    if (s->mem_len + n > s->mem_cap) {
        size_t cap = s->mem_cap ? s->mem_cap : 4096;
        while (cap < s->mem_len + n)
            cap *= 2;
        uint8_t *m = realloc(s->mem, cap);
        if (!m)
            return -1;
        s->mem = m;
        s->mem_cap = cap;
    }
    if (s->at_count == s->at_cap) {
        size_t cap = s->at_cap ? s->at_cap * 2 : 256;
        held *a = realloc(s->at, cap * sizeof *a);
        if (!a)
            return -1;
        s->at = a;
        s->at_cap = cap;
    }
    uint8_t *r = s->mem + s->mem_len;
    uint32_t k32 = (uint32_t)key_len, v32 = (uint32_t)val_len;
    memcpy(r, &k32, 4);
    memcpy(r + 4, &v32, 4);
    if (key_len)
        memcpy(r + HEAD, key, key_len);
    if (val_len)
        memcpy(r + HEAD + key_len, val, val_len);
    s->at[s->at_count++] = (held){key_prefix(key, key_len), s->mem_len};
    s->mem_len += n;
    s->count++;
    return 0;
}

/* n bytes of reader r's run into r->rec at offset `at`. 0, or -1. */
static int fetch(gl_spool *s, run_reader *r, size_t at, size_t n)
{
    if (at + n > r->rec_cap) {
        size_t cap = r->rec_cap ? r->rec_cap : 256;
        while (cap < at + n)
            cap *= 2;
        uint8_t *rec = realloc(r->rec, cap);
        if (!rec)
            return -1;
        r->rec = rec;
        r->rec_cap = cap;
    }
    while (n) {
        if (r->win_at == r->win_len) {
            uint64_t left = r->end - r->pos;
            size_t want = left < SPOOL_READ_BUF ? (size_t)left : SPOOL_READ_BUF;
            if (want == 0) {
                errno = EIO; /* a run cut short: never written so */
                return -1;
            }
            ssize_t k = pread(s->fd, r->win, want, (off_t)r->pos);
            if (k < 0 && errno == EINTR)
                continue;
            if (k <= 0) {
                if (k == 0)
                    errno = EIO;
                return -1;
            }
            r->pos += (uint64_t)k;
            r->win_at = 0;
            r->win_len = (size_t)k;
        }
        size_t take = r->win_len - r->win_at < n ? r->win_len - r->win_at : n;
        memcpy(r->rec + at, r->win + r->win_at, take);
        r->win_at += take;
        at += take;
        n -= take;
    }
    return 0;
}

/* The next record of reader r into r->rec (r->live), or none at its end. */
static int advance(gl_spool *s, run_reader *r)
{
    r->live = false;
    if (r->pos == r->end && r->win_at == r->win_len)
        return 0;
    if (fetch(s, r, 0, HEAD) != 0 ||
        fetch(s, r, HEAD, (size_t)get32(r->rec) + get32(r->rec + 4)) != 0)
        return -1;
    r->live = true;
    return 0;
}

int gl_spool_sort(gl_spool *s)
{
    if (s->sorted)
        return 0;
    s->sorted = true;
    if (s->runs == 0) { /* everything in memory (qsort_r takes no NULL, even for none) */
        if (s->at_count)
            qsort_r(s->at, s->at_count, sizeof *s->at, cmp_at, s->mem);
        return 0;
    }
    if (s->at_count && spill(s) != 0)
        return -1;
    free(s->mem);
    free(s->at);
    s->mem = NULL;
    s->at = NULL;
    s->mem_cap = s->at_cap = 0;
    s->readers = calloc(s->runs, sizeof *s->readers);
    if (!s->readers)
        return -1;
    for (size_t i = 0; i < s->runs; i++) {
        run_reader *r = &s->readers[i];
        r->pos = s->run_start[i];
        r->end = s->run_start[i + 1];
        if (!(r->win = malloc(SPOOL_READ_BUF)) || advance(s, r) != 0)
            return -1;
    }
    return 0;
}

int gl_spool_next(gl_spool *s, const uint8_t **key, size_t *key_len, const uint8_t **val,
                  size_t *val_len)
{
    const uint8_t *r = NULL;
    if (!s->sorted && gl_spool_sort(s) != 0)
        return -1;
    if (s->runs == 0) {
        if (s->next_at == s->at_count)
            return 0;
        r = s->mem + s->at[s->next_at++].off;
    } else {
        if (s->last >= 0 && advance(s, &s->readers[s->last]) != 0)
            return -1;
        s->last = -1;
        /* equal keys: the earlier run first (it was added first) */
        for (size_t i = 0; i < s->runs; i++)
            if (s->readers[i].live &&
                (s->last < 0 || cmp_records(s->readers[i].rec, s->readers[s->last].rec) < 0))
                s->last = (int)i;
        if (s->last < 0)
            return 0;
        r = s->readers[s->last].rec;
    }
    *key_len = get32(r);
    *val_len = get32(r + 4);
    *key = r + HEAD;
    *val = r + HEAD + *key_len;
    return 1;
}

uint64_t gl_spool_count(const gl_spool *s) { return s->count; }

size_t gl_spool_runs(const gl_spool *s) { return s->runs; }
