/*
 * tests/crash/soak.c — `gltorture soak`: a steady-rate soak of a running
 * daemon (scripts/soak).  N client threads (default 32), each with its own
 * connection and a member key of the tenant it works on, send requests on a
 * fixed schedule (open loop: a request every N/rate seconds per client, a
 * missed slot is skipped and counted late, never made up in a burst): 40%
 * POST of 1-5 entries, 30% trial balance at a random date, 15% a journal
 * page, 15% a ledger page of the bank account.  Every --interval seconds a
 * row is appended to --out (Markdown table): requests, errors, throughput,
 * latency p50/p99/max of that window, and the daemon's own resident memory
 * (RssAnon) and mapped-file memory (RssFile) from a STATS request.
 *
 * Verdict (exit status 0 when all hold; the reasons are printed):
 *   no errors (every request answered GL_OK within its timeout);
 *   throughput at least 90% of the target rate;
 *   RSS flat: after the warm-up (the first fifth of the run, at most 60 s)
 *   the daemon's own RSS never exceeds its value at the end of the warm-up
 *   by more than --rss-growth-kb (default 16384 KiB);
 *   no latency drift: the median of the windows' p99 in the last third is at
 *   most twice that of the first third after warm-up, plus 5 ms — judged
 *   only when each third holds at least DRIFT_WINDOWS_MIN windows (a short
 *   run, such as CI's 30 s, has one or two: a single spike from another job
 *   on the machine would decide it; its latencies are still reported).
 */
#include "torture.h"

#include "client/lib/grandlivre.h"
#include "proto/entry.h"
#include "proto/query.h"

#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SOAK_CLIENTS_MAX 64
#define DRIFT_WINDOWS_MIN 3 /* windows per third for the drift to be judged */
#define WINDOWS_MAX 4096

typedef struct soak_opts {
    const char *endpoint, *key_dir, *out;
    const char *tenants[8];
    int tenant_count, clients, interval_s, timeout_ms;
    double seconds, rate;
    long rss_growth_kb;
    uint64_t seed;
} soak_opts;

typedef struct sample {
    float ms;
    bool ok;
    uint16_t entries;
} sample;

typedef struct soak {
    soak_opts o;
    atomic_bool stop;
    pthread_mutex_t lock;
    sample *buf;
    size_t n, cap;
    atomic_long late, total_errors, total_requests;
    bool error_printed;
} soak;

typedef struct soak_client {
    soak *s;
    int index;
    gl_key key;
    const char *tenant;
    pthread_t thread;
    uint64_t rng;
} soak_client;

typedef struct window {
    double t_end_s, req_per_s, entries_per_s, p50, p99, max;
    long requests, errors;
    uint64_t rss_kb, rss_file_kb;
} window;

static uint32_t random_day(uint64_t *rng)
{
    static const uint32_t mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    uint32_t yday = tt_below(rng, 365), m = 0;
    while (m < 11 && yday >= mdays[m])
        yday -= mdays[m++];
    return 20250000 + (m + 1) * 100 + yday + 1;
}

static uint16_t build(soak_client *c, gl_buf *body, uint16_t *entries)
{
    gl_buf_reset(body);
    *entries = 0;
    uint32_t r = tt_below(&c->rng, 100);
    if (r < 40) {
        uint32_t n = 1 + tt_below(&c->rng, 5);
        gl_put_u32(body, n);
        for (uint32_t i = 0; i < n; i++) {
            int64_t cents = 100 + tt_below(&c->rng, 100000);
            char aux[16];
            snprintf(aux, sizeof aux, "U%04u", tt_below(&c->rng, 500));
            uint32_t date = random_day(&c->rng);
            gl_line_in l[2] = {{"512000", "", "", "", GL_SIDE_DEBIT, cents},
                               {"411000", aux, "", "", GL_SIDE_CREDIT, cents}};
            gl_entry_in e = {.tenant = c->tenant,
                             .journal = "BQ",
                             .piece_ref = "SOAK",
                             .label = "soak",
                             .date = date,
                             .piece_date = date,
                             .line_count = 2,
                             .lines = l};
            gl_entry_encode(body, &e);
        }
        *entries = (uint16_t)n;
        return GL_KIND_POST;
    }
    if (r < 70) {
        gl_balance_q q = {.at = random_day(&c->rng)};
        gl_balance_q_encode(body, &q);
        return GL_KIND_BALANCE;
    }
    if (r < 85) {
        uint32_t from = random_day(&c->rng);
        gl_journal_q q = {.from = from, .to = 20251231, .limit = 100};
        gl_journal_q_encode(body, &q);
        return GL_KIND_JOURNAL;
    }
    gl_ledger_q q = {
        .account = {"512000", 6}, .from = random_day(&c->rng), .to = 20251231, .limit = 100};
    gl_ledger_q_encode(body, &q);
    return GL_KIND_LEDGER;
}

static void add_sample(soak *s, float ms, bool ok, uint16_t entries)
{
    pthread_mutex_lock(&s->lock);
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4096;
        sample *p = realloc(s->buf, cap * sizeof *p);
        if (!p) {
            pthread_mutex_unlock(&s->lock);
            return;
        }
        s->buf = p;
        s->cap = cap;
    }
    s->buf[s->n++] = (sample){ms, ok, entries};
    pthread_mutex_unlock(&s->lock);
}

static void *client_main(void *arg)
{
    soak_client *c = arg;
    soak *s = c->s;
    gl_client *conn = NULL;
    char err[256];
    gl_buf body;
    gl_buf_init(&body);
    int64_t period = (int64_t)(1e9 * s->o.clients / s->o.rate);
    int64_t next = tt_now_ns() + (int64_t)tt_below(&c->rng, (uint32_t)(period / 1000)) * 1000;
    while (!atomic_load(&s->stop)) {
        int64_t now = tt_now_ns();
        if (now < next) {
            tt_sleep_ms((next - now) / 1000000 > 50 ? 50 : (next - now + 999999) / 1000000);
            continue;
        }
        next += period;
        if (now > next) { /* behind by a whole period: skip, never burst */
            atomic_fetch_add(&s->late, (long)((now - next) / period) + 1);
            next = now + period;
        }
        if (!conn && gl_client_open(&conn, s->o.endpoint, &c->key, s->o.timeout_ms, err,
                                    sizeof err) != GL_OK) {
            conn = NULL;
            atomic_fetch_add(&s->total_errors, 1);
            add_sample(s, 0, false, 0);
            continue;
        }
        uint16_t entries;
        uint16_t kind = build(c, &body, &entries);
        gl_response r;
        int64_t t0 = tt_now_ns();
        int st = gl_call(conn, kind, c->tenant, gl_request_id_random(), body.data, body.len, &r);
        float ms = (float)((double)(tt_now_ns() - t0) / 1e6);
        bool ok = st == GL_OK && r.reply.status == GL_OK;
        atomic_fetch_add(&s->total_requests, 1);
        if (!ok) {
            atomic_fetch_add(&s->total_errors, 1);
            pthread_mutex_lock(&s->lock);
            if (!s->error_printed) {
                s->error_printed = true;
                fprintf(stderr, "soak: client %d: %s: %s\n", c->index, gl_kind_name(kind),
                        gl_status_name(st != GL_OK ? st : r.reply.status));
            }
            pthread_mutex_unlock(&s->lock);
        }
        if (st != GL_OK) {
            gl_client_close(conn);
            conn = NULL;
        }
        gl_response_free(&r);
        add_sample(s, ms, ok, ok ? entries : 0);
    }
    gl_client_close(conn);
    gl_buf_free(&body);
    return NULL;
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return x < y ? -1 : x > y;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static bool daemon_rss(const soak_opts *o, const gl_key *key, uint64_t *rss, uint64_t *rss_file)
{
    gl_client *c;
    char err[256];
    *rss = *rss_file = 0;
    if (gl_client_open(&c, o->endpoint, key, o->timeout_ms, err, sizeof err) != GL_OK)
        return false;
    gl_response r;
    bool ok = gl_call(c, GL_KIND_STATS, "", 0, NULL, 0, &r) == GL_OK && r.reply.status == GL_OK;
    if (ok) {
        gl_cur cur;
        gl_cur_init(&cur, r.reply.body, r.reply.body_len);
        *rss = gl_get_u64(&cur);
        *rss_file = gl_get_u64(&cur);
        ok = gl_cur_status(&cur) == GL_OK;
    }
    gl_response_free(&r);
    gl_client_close(c);
    return ok;
}

static double median(double *v, size_t n)
{
    if (!n)
        return 0;
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void usage(void)
{
    fprintf(
        stderr,
        "usage: gltorture soak --keys DIR --out FILE [--endpoint EP] [--seconds S] [--clients N]\n"
        "                      [--rate REQ_PER_S] [--interval S] [--rss-growth-kb KB]\n"
        "                      [--tenants a,b,c] [--seed S]\n");
}

int cmd_soak(int argc, char **argv)
{
    static const struct option opts[] = {
        {"keys", 1, NULL, 'k'},     {"out", 1, NULL, 'o'},
        {"endpoint", 1, NULL, 'e'}, {"seconds", 1, NULL, 't'},
        {"clients", 1, NULL, 'C'},  {"rate", 1, NULL, 'r'},
        {"interval", 1, NULL, 'i'}, {"rss-growth-kb", 1, NULL, 'g'},
        {"tenants", 1, NULL, 'T'},  {"seed", 1, NULL, 's'},
        {NULL, 0, NULL, 0}};
    soak_opts o = {.endpoint = getenv("GRANDLIVRE_ENDPOINT"),
                   .clients = 32,
                   .interval_s = 5,
                   .timeout_ms = 10000,
                   .seconds = 600,
                   .rate = 200,
                   .rss_growth_kb = 16384,
                   .seed = 1};
    char tenants[256] = "gessa,agiie,proxim,vital,vsm";
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'k': o.key_dir = optarg; break;
        case 'o': o.out = optarg; break;
        case 'e': o.endpoint = optarg; break;
        case 't': o.seconds = atof(optarg); break;
        case 'C': o.clients = atoi(optarg); break;
        case 'r': o.rate = atof(optarg); break;
        case 'i': o.interval_s = atoi(optarg); break;
        case 'g': o.rss_growth_kb = atol(optarg); break;
        case 'T': snprintf(tenants, sizeof tenants, "%s", optarg); break;
        case 's': o.seed = strtoull(optarg, NULL, 10); break;
        default: usage(); return 2;
        }
    }
    for (char *save = NULL, *t = strtok_r(tenants, ",", &save); t && o.tenant_count < 8;
         t = strtok_r(NULL, ",", &save))
        o.tenants[o.tenant_count++] = t;
    if (!o.key_dir || !o.out || !o.endpoint || !o.tenant_count || o.clients < 1 ||
        o.clients > SOAK_CLIENTS_MAX || o.seconds < 1 || o.seconds > 86400 || o.rate <= 0 ||
        o.rate > 100000 || o.interval_s < 1) {
        usage();
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    static soak s;
    s.o = o;
    pthread_mutex_init(&s.lock, NULL);
    static soak_client clients[SOAK_CLIENTS_MAX];
    gl_key stats_key;
    char path[600], err[256];
    snprintf(path, sizeof path, "%s/auditor.key", o.key_dir);
    if (gl_key_load(path, &stats_key, err, sizeof err) != GL_OK) {
        fprintf(stderr, "soak: %s\n", err);
        return 2;
    }
    for (int i = 0; i < o.clients; i++) {
        soak_client *cl = &clients[i];
        cl->s = &s;
        cl->index = i;
        cl->tenant = o.tenants[i % o.tenant_count];
        cl->rng = o.seed * 0x9E3779B97F4A7C15ull + (uint64_t)i * 7919 + 1;
        snprintf(path, sizeof path, "%s/%s.key", o.key_dir, cl->tenant);
        if (gl_key_load(path, &cl->key, err, sizeof err) != GL_OK) {
            fprintf(stderr, "soak: %s\n", err);
            return 2;
        }
    }
    FILE *out = fopen(o.out, "w");
    if (!out) {
        perror(o.out);
        return 2;
    }
    fprintf(
        out,
        "| t (s) | requests | errors | req/s | entries/s | p50 ms | p99 ms | max ms | RSS own KiB | RSS files KiB |\n"
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    fflush(out);
    int64_t t_start = tt_now_ns();
    int started = 0;
    for (int i = 0; i < o.clients; i++)
        if (pthread_create(&clients[i].thread, NULL, client_main, &clients[i]) == 0)
            started++;
    static window w[WINDOWS_MAX];
    int nw = 0;
    int64_t t_end = t_start + (int64_t)(o.seconds * 1e9);
    int64_t next = t_start + (int64_t)o.interval_s * 1000000000;
    int64_t last = t_start;
    while (nw < WINDOWS_MAX) {
        int64_t now = tt_now_ns();
        if (now < next) {
            tt_sleep_ms((next - now) / 1000000 + 1);
            continue;
        }
        bool final = next >= t_end;
        pthread_mutex_lock(&s.lock);
        sample *taken = s.buf;
        size_t n = s.n;
        s.buf = NULL;
        s.n = s.cap = 0;
        pthread_mutex_unlock(&s.lock);
        now = tt_now_ns();
        double secs = (double)(now - last) / 1e9;
        last = now;
        window *cw = &w[nw++];
        memset(cw, 0, sizeof *cw);
        float *lat = malloc((n ? n : 1) * sizeof *lat);
        size_t m = 0;
        long entries = 0;
        for (size_t i = 0; i < n; i++) {
            cw->requests++;
            if (!taken[i].ok)
                cw->errors++;
            else
                lat[m++] = taken[i].ms;
            entries += taken[i].entries;
        }
        free(taken);
        if (lat && m) {
            qsort(lat, m, sizeof *lat, cmp_float);
            cw->p50 = lat[m / 2];
            cw->p99 = lat[(size_t)((double)(m - 1) * 0.99)];
            cw->max = lat[m - 1];
        }
        free(lat);
        cw->t_end_s = (double)(now - t_start) / 1e9;
        cw->req_per_s = secs > 0 ? (double)cw->requests / secs : 0;
        cw->entries_per_s = secs > 0 ? (double)entries / secs : 0;
        if (!daemon_rss(&o, &stats_key, &cw->rss_kb, &cw->rss_file_kb))
            cw->errors++;
        fprintf(out, "| %.0f | %ld | %ld | %.1f | %.1f | %.2f | %.2f | %.2f | %llu | %llu |\n",
                cw->t_end_s, cw->requests, cw->errors, cw->req_per_s, cw->entries_per_s, cw->p50,
                cw->p99, cw->max, (unsigned long long)cw->rss_kb,
                (unsigned long long)cw->rss_file_kb);
        fflush(out);
        fprintf(stderr, "soak: t=%.0fs %.1f req/s p99 %.2f ms rss %llu KiB errors %ld\n",
                cw->t_end_s, cw->req_per_s, cw->p99, (unsigned long long)cw->rss_kb, cw->errors);
        if (final)
            break;
        next += (int64_t)o.interval_s * 1000000000;
        if (next > t_end)
            next = t_end;
    }
    atomic_store(&s.stop, true);
    for (int i = 0; i < started; i++)
        pthread_join(clients[i].thread, NULL);
    fclose(out);
    /* Verdict. */
    double run_s = (double)(tt_now_ns() - t_start) / 1e9;
    int warm = nw / 5;
    if ((double)warm * o.interval_s > 60)
        warm = 60 / o.interval_s;
    if (warm < 1 && nw > 1)
        warm = 1;
    long errors = atomic_load(&s.total_errors), requests = atomic_load(&s.total_requests);
    long stats_failures = 0;
    for (int i = 0; i < nw; i++)
        stats_failures += w[i].rss_kb == 0;
    uint64_t rss_base = warm > 0 ? w[warm - 1].rss_kb : w[0].rss_kb, rss_max = rss_base,
             rss_end = w[nw - 1].rss_kb;
    for (int i = warm; i < nw; i++)
        if (w[i].rss_kb > rss_max)
            rss_max = w[i].rss_kb;
    int rest = nw - warm, third = rest / 3 > 0 ? rest / 3 : 1;
    double first_p99[WINDOWS_MAX], last_p99[WINDOWS_MAX];
    int nf = 0, nl = 0;
    for (int i = warm; i < warm + third && i < nw; i++)
        first_p99[nf++] = w[i].p99;
    for (int i = nw - third; i < nw; i++)
        if (i >= warm)
            last_p99[nl++] = w[i].p99;
    double p99_first = median(first_p99, (size_t)nf), p99_last = median(last_p99, (size_t)nl);
    double achieved = (double)requests / run_s;
    bool ok_errors = errors == 0 && stats_failures == 0;
    bool ok_rate = achieved >= 0.9 * o.rate;
    bool ok_rss = rss_max <= rss_base + (uint64_t)o.rss_growth_kb;
    bool drift_judged = third >= DRIFT_WINDOWS_MIN;
    bool ok_drift = !drift_judged || p99_last <= 2 * p99_first + 5;
    printf(
        "soak: seconds=%.0f clients=%d target_rate=%.0f achieved_rate=%.1f requests=%ld errors=%ld late=%ld "
        "p99_first_third_ms=%.2f p99_last_third_ms=%.2f rss_after_warmup_kib=%llu rss_max_kib=%llu "
        "rss_end_kib=%llu rss_growth_kib=%lld bound_kib=%ld -> %s%s%s%s%s\n",
        run_s, o.clients, o.rate, achieved, requests, errors, atomic_load(&s.late), p99_first,
        p99_last, (unsigned long long)rss_base, (unsigned long long)rss_max,
        (unsigned long long)rss_end, (long long)rss_max - (long long)rss_base, o.rss_growth_kb,
        ok_errors && ok_rate && ok_rss && ok_drift ? "ok" : "FAILED", ok_errors ? "" : " (errors)",
        ok_rate ? "" : " (throughput below 90% of the target)",
        ok_rss ? "" : " (RSS grew beyond the bound)",
        ok_drift ? (drift_judged ? "" : " (latency drift not judged: too few windows)")
                 : " (p99 latency drifted)");
    gl_key_wipe(&stats_key);
    for (int i = 0; i < o.clients; i++)
        gl_key_wipe(&clients[i].key);
    free(s.buf);
    return ok_errors && ok_rate && ok_rss && ok_drift ? 0 : 1;
}
