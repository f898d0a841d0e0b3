/*
 * tests/bench/bench_entries.h — the synthetic entries both benchmark loaders
 * post: tests/bench/loadgen.c (to grandlivred) and tests/bench/pg_load.c (to
 * the PostgreSQL baseline).  Sharing this one generator is what makes the
 * two throughput columns comparable: the same entries, the same accounts,
 * the same batch sizes.
 *
 * Each entry is one of five shapes an association's books are made of, on
 * accounts of the standard chart that scripts/sandbox opens in every tenant:
 *   supplier invoice   D 60x/61x/62x        C 401000 (aux FOURNnn)
 *   user invoice       D 411000 (aux Unnnnn) C 706000
 *   payroll            D 641100  C 421000  C 431000   (three lines)
 *   supplier payment   D 401000 (aux FOURNnn) C 512000
 *   user receipt       D 512000  C 411000 (aux Unnnnn)
 * amounts in integer cents, always balanced; 2,000 user and 20 supplier
 * auxiliary accounts.  Dates are those of a ledger in use: within a window of
 * seven days of 2025 (an open period of the sandbox) that moves forward one
 * day every 64 entries of a stream, not spread at random over the year
 * (which would make every posting touch a cold page of every date-ordered
 * index, in grandlivred and PostgreSQL alike).  Deterministic from (seed,
 * stream): thread k of a run draws stream k, so a rerun posts the same
 * entries.
 *
 * Header-only, no allocation, no library: a bounded struct per entry.
 */
#ifndef GL_BENCH_ENTRIES_H
#define GL_BENCH_ENTRIES_H

#include <stdint.h>
#include <stdio.h>

#define BENCH_LINES_MAX 3
#define BENCH_YEAR 2025

typedef struct bench_line {
    char account[8];
    char aux[12];
    char side; /* 'D' or 'C' */
    int64_t amount_cents;
} bench_line;

typedef struct bench_entry {
    uint32_t date; /* YYYYMMDD */
    char journal[4];
    char piece[32];
    char label[64];
    int line_count;
    bench_line lines[BENCH_LINES_MAX];
} bench_entry;

typedef struct bench_rng {
    uint64_t s;
} bench_rng;

static inline void bench_rng_init(bench_rng *r, uint64_t seed, uint64_t stream)
{
    r->s = seed * 0x9E3779B97F4A7C15ull ^ (stream + 1) * 0xD1B54A32D192ED03ull;
    if (!r->s)
        r->s = 1;
}

/* xorshift64*: fast, good enough to pick shapes, days and amounts. */
static inline uint64_t bench_next(bench_rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 0x2545F4914F6CDD1Dull;
}

static inline uint32_t bench_below(bench_rng *r, uint32_t n)
{
    return (uint32_t)(bench_next(r) % n);
}

static inline uint32_t bench_day_of_year(int yday)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int m = 0;
    while (m < 11 && yday >= mdays[m])
        yday -= mdays[m++];
    return (uint32_t)(BENCH_YEAR * 10000 + (m + 1) * 100 + yday + 1);
}

static inline void bench_line_set(bench_line *l, const char *account, const char *aux, char side,
                                  int64_t cents)
{
    snprintf(l->account, sizeof l->account, "%s", account);
    snprintf(l->aux, sizeof l->aux, "%s", aux);
    l->side = side;
    l->amount_cents = cents;
}

/* The seq-th entry of a stream (0, 1, 2...); piece_no names its piece. */
static inline void bench_entry_make(bench_rng *r, uint64_t piece_no, uint64_t seq, bench_entry *e)
{
    static const char *const charges[] = {"606100", "606300", "606400", "613200", "615600",
                                          "616000", "622600", "625100", "626000"};
    char fourn[12], user[12];
    snprintf(fourn, sizeof fourn, "FOURN%02u", 1 + bench_below(r, 20));
    snprintf(user, sizeof user, "U%05u", 1 + bench_below(r, 2000));
    e->date = bench_day_of_year((int)((seq / 64 + bench_below(r, 7)) % 365));
    int64_t cents = 100 + (int64_t)bench_below(r, 250000);
    uint32_t shape = bench_below(r, 100);
    if (shape < 35) {
        snprintf(e->journal, sizeof e->journal, "AC");
        snprintf(e->label, sizeof e->label, "Facture fournisseur %s", fourn);
        e->line_count = 2;
        bench_line_set(&e->lines[0], charges[bench_below(r, 9)], "", 'D', cents);
        bench_line_set(&e->lines[1], "401000", fourn, 'C', cents);
    } else if (shape < 60) {
        snprintf(e->journal, sizeof e->journal, "VT");
        snprintf(e->label, sizeof e->label, "Facture usager %s", user);
        e->line_count = 2;
        bench_line_set(&e->lines[0], "411000", user, 'D', cents);
        bench_line_set(&e->lines[1], "706000", "", 'C', cents);
    } else if (shape < 70) {
        int64_t gross = 180000 + (int64_t)bench_below(r, 200000);
        int64_t net = gross * 78 / 100;
        snprintf(e->journal, sizeof e->journal, "SA");
        snprintf(e->label, sizeof e->label, "Paie salarié %u", 1 + bench_below(r, 200));
        e->line_count = 3;
        bench_line_set(&e->lines[0], "641100", "", 'D', gross);
        bench_line_set(&e->lines[1], "421000", "", 'C', net);
        bench_line_set(&e->lines[2], "431000", "", 'C', gross - net);
    } else if (shape < 85) {
        snprintf(e->journal, sizeof e->journal, "BQ");
        snprintf(e->label, sizeof e->label, "Règlement %s", fourn);
        e->line_count = 2;
        bench_line_set(&e->lines[0], "401000", fourn, 'D', cents);
        bench_line_set(&e->lines[1], "512000", "", 'C', cents);
    } else {
        snprintf(e->journal, sizeof e->journal, "BQ");
        snprintf(e->label, sizeof e->label, "Encaissement %s", user);
        e->line_count = 2;
        bench_line_set(&e->lines[0], "512000", "", 'D', cents);
        bench_line_set(&e->lines[1], "411000", user, 'C', cents);
    }
    snprintf(e->piece, sizeof e->piece, "B%s-%llu", e->journal, (unsigned long long)piece_no);
}

#endif
