/*
 * tests/bench/loadgen.c — the load generator of `make bench`
 * (scripts/bench): N client threads, each with its own gl_client (ZeroMQ
 * sockets are per thread) and its own copy of a key, sending signed
 * requests to grandlivred in a closed loop (one request in flight per
 * client) for a duration or a count, and recording each request's latency
 * (monotonic clock, send to reply) into per-thread arrays.
 *
 * Modes:
 *   post     POST of --batch entries per request (tests/bench/bench_entries.h:
 *            balanced two- and three-line entries dated in 2025); every
 *            request has a random request id, so none is a replay
 *   balance  trial balance of --tenant as of --at, or of a random day of
 *            2025 with --random-at (--aux: per auxiliary account)
 *   group    the group's combined trial balance as of --at (or --random-at)
 *   ledger   one page (--limit rows) of --account from --from (or from a
 *            random day of 2025 with --random-from)
 *   ping     the smallest round trip
 *   an-open  (issue 19) open the analytic axis --axis and its --codes codes
 *            A001, A002... (kinds 46, 47), one request each, one client
 *   an-balance  ANALYTIC_BALANCE of --axis, fiscal year 2025, as of --at
 *            (or --random-at)
 * With --analytic, post mode's lines on accounts of classes 6 and 7 carry
 * codes of --axis (proto/analytic.h): one code of the --codes, or every
 * third entry a 60 %/40 % distribution over two; chosen from the entry's
 * number, so that the entries posted are the same as without codes.
 *
 * Prints one line of key=value pairs on stdout: mode, clients, batch,
 * requests, entries, errors, seconds, req_per_s, entries_per_s, p50_ms,
 * p99_ms, max_ms, mean_ms.  Exit status 0 if every request got GL_OK, 1 if
 * some were refused or timed out (the first refusal is printed on stderr),
 * 2 on a usage error.
 *
 * Bounded everywhere: at most CLIENTS_MAX threads, a duration of at most
 * DURATION_MAX_S, at most SAMPLES_MAX latencies per thread (the run stops
 * for a thread that reaches it), each call bounded by --timeout-ms.
 */
#include "client/lib/grandlivre.h"
#include "proto/analytic.h"
#include "proto/entry.h"
#include "proto/group.h"
#include "proto/query.h"
#include "tests/bench/bench_entries.h"

#include <getopt.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CLIENTS_MAX 256
#define DURATION_MAX_S 3600.0
#define SAMPLES_MAX (4u * 1024u * 1024u)

enum mode {
    MODE_POST,
    MODE_BALANCE,
    MODE_GROUP,
    MODE_LEDGER,
    MODE_PING,
    MODE_AN_OPEN,
    MODE_AN_BALANCE
};

typedef struct opts {
    enum mode mode;
    const char *endpoint, *key_path, *tenant, *account, *axis;
    int clients, batch, timeout_ms, limit, codes;
    bool analytic;
    double duration_s, warmup_s;
    uint64_t requests; /* per client; 0: by duration only */
    uint64_t seed;
    uint32_t at, from;
    bool aux, random_from, random_at;
} opts;

typedef struct worker {
    int index;
    const opts *o;
    gl_key key;
    pthread_t thread;
    double *lat_ms;
    size_t count, cap;
    uint64_t entries, errors;
    int first_error;
    char first_detail[256];
    int open_status;
} worker;

static pthread_barrier_t start_barrier;
static double t_measure, t_end; /* monotonic seconds, set before the barrier */

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

static gl_str str_of(const char *s) { return (gl_str){s, strlen(s)}; }

/* The analytic item of a class 6/7 line of entry seq (--analytic). */
static size_t an_item(const opts *o, uint64_t seq, int64_t cents, char names[2][8],
                      uint8_t item[2 + GL_AN_ITEM_MAX])
{
    gl_analytic a = {.naxes = 1};
    gl_an_split *s = &a.axes[0];
    s->axis = str_of(o->axis);
    uint32_t c = (uint32_t)(seq * 7919u % (uint64_t)o->codes);
    snprintf(names[0], 8, "A%03u", c + 1);
    snprintf(names[1], 8, "A%03u", (c + 1) % (uint32_t)o->codes + 1);
    int64_t w[2] = {600000, 400000}, shares[2];
    if (seq % 3 == 0 && o->codes > 1 && gl_an_split_weights(cents, w, 2, shares)) {
        s->count = 2;
        s->shares[0] = (gl_an_share){str_of(names[0]), shares[0]};
        s->shares[1] = (gl_an_share){str_of(names[1]), shares[1]};
    } else {
        s->count = 1;
        s->shares[0] = (gl_an_share){str_of(names[0]), cents};
    }
    gl_analytic_sort(&a);
    return gl_analytic_item_put(item, &a);
}

/* AN_OPEN's request seq: the axis (0), then code seq. */
static uint16_t an_open_body(const opts *o, uint64_t seq, gl_buf *body)
{
    if (seq == 0) {
        gl_an_axis_set_q q = {str_of(o->axis), GL_AN_OPEN, str_of("Axe du banc d'essai")};
        gl_an_axis_set_q_encode(body, &q);
        return GL_KIND_ANALYTIC_AXIS_SET;
    }
    char code[8];
    snprintf(code, sizeof code, "A%03u", (unsigned)seq);
    gl_an_code_set_q q = {str_of(o->axis), str_of(code), GL_AN_OPEN, str_of("Action")};
    gl_an_code_set_q_encode(body, &q);
    return GL_KIND_ANALYTIC_CODE_SET;
}

/* The request body of one call; returns the entries it carries. */
static uint32_t build_body(worker *w, bench_rng *rng, uint64_t *seq, gl_buf *body)
{
    const opts *o = w->o;
    gl_buf_reset(body);
    switch (o->mode) {
    case MODE_POST: {
        gl_put_u32(body, (uint32_t)o->batch);
        for (int i = 0; i < o->batch; i++) {
            bench_entry be;
            bench_entry_make(rng, ((uint64_t)w->index << 40) + *seq, *seq, &be);
            (*seq)++;
            gl_line_in lines[BENCH_LINES_MAX];
            uint8_t items[BENCH_LINES_MAX][2 + GL_AN_ITEM_MAX];
            char names[BENCH_LINES_MAX][2][8];
            gl_ext_in ext[BENCH_LINES_MAX] = {{0}};
            bool coded = false;
            for (int k = 0; k < be.line_count && o->analytic; k++)
                if (be.lines[k].account[0] == '6' || be.lines[k].account[0] == '7') {
                    ext[k] = (gl_ext_in){
                        items[k], an_item(o, *seq, be.lines[k].amount_cents, names[k], items[k])};
                    coded = true;
                }
            for (int k = 0; k < be.line_count; k++)
                lines[k] = (gl_line_in){.account = be.lines[k].account,
                                        .aux = be.lines[k].aux,
                                        .aux_label = "",
                                        .label = "",
                                        .side = (uint8_t)be.lines[k].side,
                                        .amount_cents = be.lines[k].amount_cents};
            gl_entry_in e = {.tenant = o->tenant,
                             .journal = be.journal,
                             .piece_ref = be.piece,
                             .label = be.label,
                             .date = be.date,
                             .piece_date = be.date,
                             .line_count = (size_t)be.line_count,
                             .lines = lines,
                             .line_ext = coded ? ext : NULL};
            if (gl_entry_encode(body, &e) != GL_OK)
                return 0;
        }
        return (uint32_t)o->batch;
    }
    case MODE_BALANCE: {
        uint32_t at = o->random_at ? bench_day_of_year((int)bench_below(rng, 365)) : o->at;
        gl_balance_q q = {.at = at, .flags = o->aux ? GL_BALANCE_AUX : 0};
        gl_balance_q_encode(body, &q);
        return 0;
    }
    case MODE_GROUP: { /* the first page (all of a chart under 1 000 accounts) */
        gl_group_balance_q q = {.at = o->random_at ? bench_day_of_year((int)bench_below(rng, 365))
                                                   : o->at,
                                .limit = GL_PAGE_MAX};
        gl_group_balance_q_encode(body, &q);
        return 0;
    }
    case MODE_LEDGER: {
        uint32_t from = o->random_from ? bench_day_of_year((int)bench_below(rng, 365)) : o->from;
        gl_ledger_q q = {.account = {o->account, strlen(o->account)},
                         .from = from,
                         .to = BENCH_YEAR * 10000 + 1231,
                         .limit = (uint16_t)o->limit};
        gl_ledger_q_encode(body, &q);
        return 0;
    }
    case MODE_PING: return 0;
    case MODE_AN_OPEN: an_open_body(o, (*seq)++, body); return 0;
    case MODE_AN_BALANCE: {
        gl_an_balance_q q = {str_of(o->axis), BENCH_YEAR,
                             o->random_at ? bench_day_of_year((int)bench_below(rng, 365)) : o->at};
        gl_an_balance_q_encode(body, &q);
        return 0;
    }
    }
    return 0;
}

static uint16_t mode_kind(enum mode m)
{
    switch (m) {
    case MODE_POST: return GL_KIND_POST;
    case MODE_BALANCE: return GL_KIND_BALANCE;
    case MODE_GROUP: return GL_KIND_GROUP_BALANCE;
    case MODE_LEDGER: return GL_KIND_LEDGER;
    case MODE_PING: return GL_KIND_PING;
    case MODE_AN_OPEN: return GL_KIND_ANALYTIC_AXIS_SET;
    case MODE_AN_BALANCE: return GL_KIND_ANALYTIC_BALANCE;
    }
    return GL_KIND_PING;
}

static void *run_worker(void *arg)
{
    worker *w = arg;
    const opts *o = w->o;
    gl_client *c = NULL;
    char err[256];
    w->open_status = gl_client_open(&c, o->endpoint, &w->key, o->timeout_ms, err, sizeof err);
    if (w->open_status == GL_OK) { /* connect before the clock starts */
        gl_response r;
        int st = gl_call(c, GL_KIND_PING, "", gl_request_id_random(), NULL, 0, &r);
        if (st != GL_OK || r.reply.status != GL_OK)
            w->open_status = st != GL_OK ? st : r.reply.status;
        gl_response_free(&r);
    }
    if (w->open_status != GL_OK)
        fprintf(stderr, "loadgen: client %d: cannot connect: %s\n", w->index,
                gl_status_name(w->open_status));
    pthread_barrier_wait(&start_barrier);
    if (w->open_status != GL_OK) {
        gl_client_close(c);
        return NULL;
    }
    bench_rng rng;
    bench_rng_init(&rng, o->seed, (uint64_t)w->index);
    uint64_t seq = 0; /* entries drawn by this client */
    gl_buf body;
    gl_buf_init(&body);
    const char *tenant = o->mode == MODE_GROUP || o->mode == MODE_PING ? "" : o->tenant;
    uint16_t kind = mode_kind(o->mode);
    for (uint64_t i = 0; !o->requests || i < o->requests; i++) {
        if (o->mode == MODE_AN_OPEN)
            kind = seq ? GL_KIND_ANALYTIC_CODE_SET : GL_KIND_ANALYTIC_AXIS_SET;
        uint32_t entries = build_body(w, &rng, &seq, &body);
        if (!gl_buf_ok(&body) || (o->mode == MODE_POST && !entries)) {
            w->errors++;
            break;
        }
        double t0 = mono_s();
        if (t0 >= t_end)
            break;
        gl_response r;
        int st = gl_call(c, kind, tenant, gl_request_id_random(), body.data, body.len, &r);
        double t1 = mono_s();
        int verdict = st != GL_OK ? st : r.reply.status;
        if (verdict != GL_OK) {
            if (!w->errors++) {
                w->first_error = verdict;
                snprintf(w->first_detail, sizeof w->first_detail, "%.*s",
                         st == GL_OK ? (int)r.reply.detail.len : 0,
                         st == GL_OK ? r.reply.detail.ptr : "");
            }
        } else if (t0 >= t_measure) {
            w->entries += entries;
            if (record(w, (t1 - t0) * 1e3) != 0) {
                gl_response_free(&r);
                break;
            }
        }
        gl_response_free(&r);
        if (st == GL_ERR_TIMEOUT || st == GL_ERR_CONNECT)
            break; /* the daemon is gone or stuck: stop this client */
    }
    gl_buf_free(&body);
    gl_client_close(c);
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
        "usage: loadgen --endpoint E --key FILE --mode post|balance|group|ledger|ping\n"
        "               [--tenant T] [--clients N] [--batch B] [--duration S] [--warmup S]\n"
        "               [--requests R (per client)] [--at YYYYMMDD | --random-at] [--aux]\n"
        "               [--account A] [--from YYYYMMDD] [--random-from] [--limit L]\n"
        "               [--seed S] [--timeout-ms MS]\n"
        "               [--analytic] [--axis AXIS] [--codes N]   (modes an-open, an-balance)\n",
        f);
}

static bool parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (!*s || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static int parse(int argc, char **argv, opts *o)
{
    static const struct option lo[] = {
        {"endpoint", required_argument, NULL, 'e'},
        {"key", required_argument, NULL, 'k'},
        {"mode", required_argument, NULL, 'm'},
        {"tenant", required_argument, NULL, 't'},
        {"clients", required_argument, NULL, 'c'},
        {"batch", required_argument, NULL, 'b'},
        {"duration", required_argument, NULL, 'd'},
        {"warmup", required_argument, NULL, 'w'},
        {"requests", required_argument, NULL, 'r'},
        {"at", required_argument, NULL, 'a'},
        {"aux", no_argument, NULL, 'x'},
        {"account", required_argument, NULL, 'A'},
        {"random-at", no_argument, NULL, 'Z'},
        {"from", required_argument, NULL, 'f'},
        {"random-from", no_argument, NULL, 'R'},
        {"limit", required_argument, NULL, 'l'},
        {"seed", required_argument, NULL, 's'},
        {"timeout-ms", required_argument, NULL, 'T'},
        {"analytic", no_argument, NULL, 'N'},
        {"axis", required_argument, NULL, 'X'},
        {"codes", required_argument, NULL, 'C'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    *o = (opts){.mode = MODE_POST,
                .tenant = "agiie",
                .account = "512000",
                .clients = 1,
                .batch = 1,
                .timeout_ms = 30000,
                .limit = 100,
                .axis = "action",
                .codes = 40,
                .duration_s = 5,
                .warmup_s = 0,
                .seed = 1,
                .at = 20251231,
                .from = 20250101};
    int c;
    uint64_t v;
    while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        switch (c) {
        case 'e': o->endpoint = optarg; break;
        case 'k': o->key_path = optarg; break;
        case 't': o->tenant = optarg; break;
        case 'A': o->account = optarg; break;
        case 'x': o->aux = true; break;
        case 'R': o->random_from = true; break;
        case 'Z': o->random_at = true; break;
        case 'N': o->analytic = true; break;
        case 'X': o->axis = optarg; break;
        case 'C':
            if (!parse_u64(optarg, 1, 999, &v))
                return -1;
            o->codes = (int)v;
            break;
        case 'm':
            if (!strcmp(optarg, "post"))
                o->mode = MODE_POST;
            else if (!strcmp(optarg, "balance"))
                o->mode = MODE_BALANCE;
            else if (!strcmp(optarg, "group"))
                o->mode = MODE_GROUP;
            else if (!strcmp(optarg, "ledger"))
                o->mode = MODE_LEDGER;
            else if (!strcmp(optarg, "ping"))
                o->mode = MODE_PING;
            else if (!strcmp(optarg, "an-open"))
                o->mode = MODE_AN_OPEN;
            else if (!strcmp(optarg, "an-balance"))
                o->mode = MODE_AN_BALANCE;
            else
                return -1;
            break;
        case 'c':
            if (!parse_u64(optarg, 1, CLIENTS_MAX, &v))
                return -1;
            o->clients = (int)v;
            break;
        case 'b':
            if (!parse_u64(optarg, 1, GL_ENTRIES_MAX, &v))
                return -1;
            o->batch = (int)v;
            break;
        case 'l':
            if (!parse_u64(optarg, 1, GL_PAGE_MAX, &v))
                return -1;
            o->limit = (int)v;
            break;
        case 'r':
            if (!parse_u64(optarg, 1, SAMPLES_MAX, &v))
                return -1;
            o->requests = v;
            break;
        case 's':
            if (!parse_u64(optarg, 0, UINT64_MAX, &v))
                return -1;
            o->seed = v;
            break;
        case 'T':
            if (!parse_u64(optarg, 1, 600000, &v))
                return -1;
            o->timeout_ms = (int)v;
            break;
        case 'a':
            if (!parse_u64(optarg, 19000101, 29991231, &v))
                return -1;
            o->at = (uint32_t)v;
            break;
        case 'f':
            if (!parse_u64(optarg, 19000101, 29991231, &v))
                return -1;
            o->from = (uint32_t)v;
            break;
        case 'd':
        case 'w': {
            char *end;
            double d = strtod(optarg, &end);
            if (!*optarg || *end || d < 0 || d > DURATION_MAX_S)
                return -1;
            if (c == 'd')
                o->duration_s = d;
            else
                o->warmup_s = d;
            break;
        }
        case 'h': usage(stdout); exit(0);
        default: return -1;
        }
    }
    if (optind != argc || !o->endpoint || !o->key_path || o->duration_s <= 0)
        return -1;
    if (strlen(o->axis) > GL_AN_AXIS_MAX)
        return -1;
    if (o->mode == MODE_AN_OPEN) /* one client, the axis then each code */
        o->clients = 1, o->requests = (uint64_t)o->codes + 1;
    return 0;
}

int main(int argc, char **argv)
{
    opts o;
    if (parse(argc, argv, &o) != 0) {
        usage(stderr);
        return 2;
    }
    gl_key key;
    char err[256];
    if (gl_key_load(o.key_path, &key, err, sizeof err) != GL_OK) {
        fprintf(stderr, "loadgen: %s\n", err);
        return 2;
    }
    worker *w = calloc((size_t)o.clients, sizeof *w);
    if (!w || pthread_barrier_init(&start_barrier, NULL, (unsigned)o.clients + 1) != 0) {
        fprintf(stderr, "loadgen: out of memory\n");
        return 2;
    }
    t_end = 1e18; /* until the barrier: no thread sends before it */
    int started = 0;
    for (int i = 0; i < o.clients; i++) {
        w[i] = (worker){.index = i, .o = &o, .key = key};
        if (pthread_create(&w[i].thread, NULL, run_worker, &w[i]) != 0) {
            fprintf(stderr, "loadgen: cannot start thread %d\n", i);
            return 2; /* the started threads wait on the barrier for ever: exit */
        }
        started++;
    }
    gl_key_wipe(&key);
    t_measure = mono_s() + o.warmup_s;
    t_end = t_measure + o.duration_s;
    pthread_barrier_wait(&start_barrier); /* threads read t_measure/t_end after it */
    for (int i = 0; i < started; i++)
        pthread_join(w[i].thread, NULL);
    double finished = mono_s();
    double measured_s = (finished < t_end ? finished : t_end) - t_measure;
    if (o.requests) /* a count-bounded run: from the start of measurement to the last reply */
        measured_s = finished - t_measure;
    if (measured_s <= 0)
        measured_s = 1e-9;

    size_t total = 0;
    uint64_t entries = 0, errors = 0;
    int connect_failures = 0;
    for (int i = 0; i < started; i++) {
        total += w[i].count;
        entries += w[i].entries;
        errors += w[i].errors;
        connect_failures += w[i].open_status != GL_OK;
        if (w[i].errors && errors == w[i].errors)
            fprintf(stderr, "loadgen: first refusal: %s (%d) %s\n",
                    gl_status_name(w[i].first_error), w[i].first_error, w[i].first_detail);
    }
    double *all = malloc((total ? total : 1) * sizeof *all);
    if (!all) {
        fprintf(stderr, "loadgen: out of memory\n");
        return 2;
    }
    size_t k = 0;
    double sum = 0;
    for (int i = 0; i < started; i++)
        for (size_t j = 0; j < w[i].count; j++) {
            all[k++] = w[i].lat_ms[j];
            sum += w[i].lat_ms[j];
        }
    qsort(all, total, sizeof *all, cmp_double);
    double p50 = total ? all[(total - 1) / 2] : 0;
    double p99 = total ? all[(size_t)((double)(total - 1) * 0.99 + 0.5)] : 0;
    double max = total ? all[total - 1] : 0;
    static const char *const names[] = {"post", "balance", "group",     "ledger",
                                        "ping", "an-open", "an-balance"};
    printf(
        "mode=%s clients=%d batch=%d requests=%zu entries=%llu errors=%llu seconds=%.3f "
        "req_per_s=%.1f entries_per_s=%.1f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f mean_ms=%.3f\n",
        names[o.mode], o.clients, o.mode == MODE_POST ? o.batch : 0, total,
        (unsigned long long)entries, (unsigned long long)(errors + (uint64_t)connect_failures),
        measured_s, (double)total / measured_s, (double)entries / measured_s, p50, p99, max,
        total ? sum / (double)total : 0);
    for (int i = 0; i < started; i++)
        free(w[i].lat_ms);
    free(all);
    free(w);
    return errors || connect_failures ? 1 : 0;
}
