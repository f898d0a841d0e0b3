/*
 * tests/bench/pg_load.c — the PostgreSQL baseline loader of `make bench`
 * (scripts/bench): N client threads, each with its own connection, posting
 * the same entries as tests/bench/loadgen.c (tests/bench/bench_entries.h,
 * same seed, same streams) in transactions of --batch entries, into the
 * plain double-entry schema of tests/bench/pg_schema.sql.
 *
 * One transaction: for each entry one prepared statement that inserts the
 * entry and its lines (a data-modifying CTE), then one statement that adds
 * the transaction's totals per account to `balances` (accounts in sorted
 * order, so concurrent transactions lock balance rows in the same order and
 * cannot deadlock).  The statements are sent in libpq's pipeline mode and
 * end with one Sync: they run as one implicit transaction that commits at
 * the Sync (a single round trip, the fastest way libpq offers to run them),
 * and with synchronous_commit on the result arrives after the WAL fsync.
 * A transaction that fails (e.g. a serialization failure) is retried, at
 * most RETRIES_MAX times, and counted in errors.
 *
 * Prints one line of key=value pairs, the same as loadgen: mode=pg,
 * clients, batch, requests (transactions), entries, errors, seconds,
 * req_per_s, entries_per_s, p50_ms, p99_ms, max_ms, mean_ms.
 */
#include "tests/bench/bench_entries.h"

#include <getopt.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CLIENTS_MAX 256
#define BATCH_MAX 10000
#define DURATION_MAX_S 3600.0
#define SAMPLES_MAX (4u * 1024u * 1024u)
#define RETRIES_MAX 5
#define ACCOUNTS_MAX 32 /* distinct accounts bench_entries.h uses: 16 */

static const char post_sql[] =
    "WITH e AS (INSERT INTO entries (tenant, date, journal, piece, label) "
    "VALUES ($1, $2::date, $3, $4, $5) RETURNING id) "
    "INSERT INTO lines (entry_id, line_no, tenant, account, aux, date, debit, credit) "
    "SELECT e.id, u.n, $1, u.account, u.aux, $2::date, u.debit, u.credit FROM e, "
    "unnest($6::text[], $7::text[], $8::bigint[], $9::bigint[]) WITH ORDINALITY "
    "AS u(account, aux, debit, credit, n)";

static const char balances_sql[] =
    "INSERT INTO balances (tenant, account, debit, credit) "
    "SELECT $1, u.account, u.debit, u.credit FROM "
    "unnest($2::text[], $3::bigint[], $4::bigint[]) AS u(account, debit, credit) ORDER BY u.account "
    "ON CONFLICT (tenant, account) DO UPDATE SET debit = balances.debit + EXCLUDED.debit, "
    "credit = balances.credit + EXCLUDED.credit";

typedef struct opts {
    const char *conninfo, *tenant;
    int clients, batch;
    double duration_s, warmup_s;
    uint64_t requests, seed;
} opts;

typedef struct worker {
    int index;
    const opts *o;
    pthread_t thread;
    double *lat_ms;
    size_t count, cap;
    uint64_t entries, errors;
    bool failed;
} worker;

typedef struct total {
    char account[8];
    int64_t debit, credit;
} total;

static pthread_barrier_t start_barrier;
static double t_measure, t_end;

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int record(worker *w, double ms)
{
    if (w->count == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 4096;
        if (cap > SAMPLES_MAX)
            cap = SAMPLES_MAX;
        if (cap == w->cap)
            return -1;
        double *p = realloc(w->lat_ms, cap * sizeof *p);
        if (!p)
            return -1;
        w->lat_ms = p;
        w->cap = cap;
    }
    w->lat_ms[w->count++] = ms;
    return 0;
}

static void add_total(total *t, int *n, const bench_line *l)
{
    int i = 0;
    while (i < *n && strcmp(t[i].account, l->account))
        i++;
    if (i == *n) {
        if (*n == ACCOUNTS_MAX)
            abort(); /* bench_entries.h uses 16 accounts */
        snprintf(t[i].account, sizeof t[i].account, "%s", l->account);
        t[i].debit = t[i].credit = 0;
        (*n)++;
    }
    if (l->side == 'D')
        t[i].debit += l->amount_cents;
    else
        t[i].credit += l->amount_cents;
}

static int cmp_total(const void *a, const void *b)
{
    return strcmp(((const total *)a)->account, ((const total *)b)->account);
}

/* Send one entry's statement (pipeline mode). */
static int send_entry(PGconn *c, const char *tenant, const bench_entry *e)
{
    char date[11], accounts[128], auxes[128], debits[128], credits[128];
    snprintf(date, sizeof date, "%04u-%02u-%02u", e->date / 10000, e->date / 100 % 100,
             e->date % 100);
    size_t a = 0, x = 0, d = 0, k = 0;
    for (int i = 0; i < e->line_count; i++) {
        const bench_line *l = &e->lines[i];
        const char *sep = i ? "," : "{";
        a += (size_t)snprintf(accounts + a, sizeof accounts - a, "%s\"%s\"", sep, l->account);
        x += (size_t)snprintf(auxes + x, sizeof auxes - x, "%s\"%s\"", sep, l->aux);
        d += (size_t)snprintf(debits + d, sizeof debits - d, "%s%lld", sep,
                              (long long)(l->side == 'D' ? l->amount_cents : 0));
        k += (size_t)snprintf(credits + k, sizeof credits - k, "%s%lld", sep,
                              (long long)(l->side == 'C' ? l->amount_cents : 0));
    }
    snprintf(accounts + a, sizeof accounts - a, "}");
    snprintf(auxes + x, sizeof auxes - x, "}");
    snprintf(debits + d, sizeof debits - d, "}");
    snprintf(credits + k, sizeof credits - k, "}");
    const char *v[9] = {tenant,   date,  e->journal, e->piece, e->label,
                        accounts, auxes, debits,     credits};
    return PQsendQueryPrepared(c, "post_entry", 9, v, NULL, NULL, 0) ? 0 : -1;
}

static int send_balances(PGconn *c, const char *tenant, total *t, int n)
{
    qsort(t, (size_t)n, sizeof *t, cmp_total);
    char accounts[512], debits[1024], credits[1024];
    size_t a = 0, d = 0, k = 0;
    for (int i = 0; i < n; i++) {
        const char *sep = i ? "," : "{";
        a += (size_t)snprintf(accounts + a, sizeof accounts - a, "%s\"%s\"", sep, t[i].account);
        d += (size_t)snprintf(debits + d, sizeof debits - d, "%s%lld", sep, (long long)t[i].debit);
        k += (size_t)snprintf(credits + k, sizeof credits - k, "%s%lld", sep,
                              (long long)t[i].credit);
    }
    snprintf(accounts + a, sizeof accounts - a, "}");
    snprintf(debits + d, sizeof debits - d, "}");
    snprintf(credits + k, sizeof credits - k, "}");
    const char *v[4] = {tenant, accounts, debits, credits};
    return PQsendQueryPrepared(c, "add_balances", 4, v, NULL, NULL, 0) ? 0 : -1;
}

/* Read every result up to the Sync; 0 if all succeeded. */
static int read_results(PGconn *c, int statements, char *err, size_t err_len)
{
    int failed = 0;
    for (int i = 0; i < statements; i++) {
        PGresult *r;
        while ((r = PQgetResult(c)) != NULL) {
            ExecStatusType s = PQresultStatus(r);
            if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
                if (!failed && s != PGRES_PIPELINE_ABORTED)
                    snprintf(err, err_len, "%s", PQresultErrorMessage(r));
                failed = 1;
            }
            PQclear(r);
        }
    }
    PGresult *r = PQgetResult(c); /* the Sync */
    if (!r || PQresultStatus(r) != PGRES_PIPELINE_SYNC) {
        if (!failed)
            snprintf(err, err_len, "no pipeline sync: %s", PQerrorMessage(c));
        failed = 1;
    }
    PQclear(r);
    return failed ? -1 : 0;
}

static void *run_worker(void *arg)
{
    worker *w = arg;
    const opts *o = w->o;
    PGconn *c = PQconnectdb(o->conninfo);
    char err[512] = "";
    bool ok = PQstatus(c) == CONNECTION_OK;
    if (ok) {
        PGresult *r1 = PQprepare(c, "post_entry", post_sql, 0, NULL);
        PGresult *r2 = PQprepare(c, "add_balances", balances_sql, 0, NULL);
        ok = PQresultStatus(r1) == PGRES_COMMAND_OK && PQresultStatus(r2) == PGRES_COMMAND_OK;
        if (!ok)
            snprintf(err, sizeof err, "%s", PQerrorMessage(c));
        PQclear(r1);
        PQclear(r2);
    } else {
        snprintf(err, sizeof err, "%s", PQerrorMessage(c));
    }
    if (ok && !PQenterPipelineMode(c)) {
        ok = false;
        snprintf(err, sizeof err, "cannot enter pipeline mode");
    }
    if (!ok) {
        fprintf(stderr, "pg_load: client %d: %s", w->index, err);
        w->failed = true;
    }
    pthread_barrier_wait(&start_barrier);
    if (!ok) {
        PQfinish(c);
        return NULL;
    }
    bench_rng rng;
    bench_rng_init(&rng, o->seed, (uint64_t)w->index);
    uint64_t seq = 0; /* entries drawn by this client */
    bench_entry *batch = calloc((size_t)o->batch, sizeof *batch);
    if (!batch) {
        w->failed = true;
        PQfinish(c);
        return NULL;
    }
    for (uint64_t i = 0; !o->requests || i < o->requests; i++) {
        total t[ACCOUNTS_MAX];
        int nt = 0;
        for (int k = 0; k < o->batch; k++) {
            bench_entry_make(&rng, ((uint64_t)w->index << 40) + seq, seq, &batch[k]);
            seq++;
            for (int l = 0; l < batch[k].line_count; l++)
                add_total(t, &nt, &batch[k].lines[l]);
        }
        double t0 = mono_s();
        if (t0 >= t_end)
            break;
        int attempt = 0, rc = -1;
        while (rc != 0 && attempt++ <= RETRIES_MAX) {
            bool sent = true;
            for (int k = 0; k < o->batch && sent; k++)
                sent = send_entry(c, o->tenant, &batch[k]) == 0;
            sent = sent && send_balances(c, o->tenant, t, nt) == 0 && PQpipelineSync(c);
            if (!sent) {
                fprintf(stderr, "pg_load: client %d: send failed: %s", w->index, PQerrorMessage(c));
                w->failed = true;
                break;
            }
            rc = read_results(c, o->batch + 1, err, sizeof err);
            if (rc != 0 && !w->errors++)
                fprintf(stderr, "pg_load: client %d: transaction failed (retried): %s", w->index,
                        err);
        }
        if (rc != 0)
            break;
        double t1 = mono_s();
        if (t0 >= t_measure) {
            w->entries += (uint64_t)o->batch;
            if (record(w, (t1 - t0) * 1e3) != 0)
                break;
        }
    }
    free(batch);
    PQfinish(c);
    return NULL;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void usage(FILE *f)
{
    fputs(
        "usage: pg_load --conninfo STR [--tenant T] [--clients N] [--batch B] [--duration S]\n"
        "               [--warmup S] [--requests R (per client)] [--seed S]\n",
        f);
}

static int parse(int argc, char **argv, opts *o)
{
    static const struct option lo[] = {
        {"conninfo", required_argument, NULL, 'c'}, {"tenant", required_argument, NULL, 't'},
        {"clients", required_argument, NULL, 'n'},  {"batch", required_argument, NULL, 'b'},
        {"duration", required_argument, NULL, 'd'}, {"warmup", required_argument, NULL, 'w'},
        {"requests", required_argument, NULL, 'r'}, {"seed", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0},
    };
    *o = (opts){.tenant = "agiie", .clients = 1, .batch = 1, .duration_s = 5, .seed = 1};
    int ch;
    while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        char *end = NULL;
        switch (ch) {
        case 'c': o->conninfo = optarg; break;
        case 't': o->tenant = optarg; break;
        case 'n': {
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > CLIENTS_MAX)
                return -1;
            o->clients = (int)v;
            break;
        }
        case 'b': {
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > BATCH_MAX)
                return -1;
            o->batch = (int)v;
            break;
        }
        case 'r': {
            unsigned long long v = strtoull(optarg, &end, 10);
            if (*end || v < 1 || v > SAMPLES_MAX)
                return -1;
            o->requests = v;
            break;
        }
        case 's':
            o->seed = strtoull(optarg, &end, 10);
            if (*end)
                return -1;
            break;
        case 'd':
        case 'w': {
            double d = strtod(optarg, &end);
            if (*end || d < 0 || d > DURATION_MAX_S)
                return -1;
            if (ch == 'd')
                o->duration_s = d;
            else
                o->warmup_s = d;
            break;
        }
        case 'h': usage(stdout); exit(0);
        default: return -1;
        }
    }
    return optind == argc && o->conninfo && o->duration_s > 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    opts o;
    if (parse(argc, argv, &o) != 0) {
        usage(stderr);
        return 2;
    }
    worker *w = calloc((size_t)o.clients, sizeof *w);
    if (!w || pthread_barrier_init(&start_barrier, NULL, (unsigned)o.clients + 1) != 0)
        return 2;
    t_end = 1e18;
    for (int i = 0; i < o.clients; i++) {
        w[i] = (worker){.index = i, .o = &o};
        if (pthread_create(&w[i].thread, NULL, run_worker, &w[i]) != 0) {
            fprintf(stderr, "pg_load: cannot start thread %d\n", i);
            return 2;
        }
    }
    t_measure = mono_s() + o.warmup_s;
    t_end = t_measure + o.duration_s;
    pthread_barrier_wait(&start_barrier);
    for (int i = 0; i < o.clients; i++)
        pthread_join(w[i].thread, NULL);
    double finished = mono_s();
    double measured_s =
        o.requests ? finished - t_measure : (finished < t_end ? finished : t_end) - t_measure;
    if (measured_s <= 0)
        measured_s = 1e-9;
    size_t total_n = 0;
    uint64_t entries = 0, errors = 0;
    bool failed = false;
    for (int i = 0; i < o.clients; i++) {
        total_n += w[i].count;
        entries += w[i].entries;
        errors += w[i].errors;
        failed |= w[i].failed;
    }
    double *all = malloc((total_n ? total_n : 1) * sizeof *all), sum = 0;
    if (!all)
        return 2;
    size_t k = 0;
    for (int i = 0; i < o.clients; i++)
        for (size_t j = 0; j < w[i].count; j++) {
            all[k++] = w[i].lat_ms[j];
            sum += w[i].lat_ms[j];
        }
    qsort(all, total_n, sizeof *all, cmp_double);
    printf(
        "mode=pg clients=%d batch=%d requests=%zu entries=%llu errors=%llu seconds=%.3f "
        "req_per_s=%.1f entries_per_s=%.1f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f mean_ms=%.3f\n",
        o.clients, o.batch, total_n, (unsigned long long)entries, (unsigned long long)errors,
        measured_s, (double)total_n / measured_s, (double)entries / measured_s,
        total_n ? all[(total_n - 1) / 2] : 0,
        total_n ? all[(size_t)((double)(total_n - 1) * 0.99 + 0.5)] : 0,
        total_n ? all[total_n - 1] : 0, total_n ? sum / (double)total_n : 0);
    for (int i = 0; i < o.clients; i++)
        free(w[i].lat_ms);
    free(all);
    free(w);
    return failed ? 1 : 0;
}
