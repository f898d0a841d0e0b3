/*
 * tests/crash/load.c — the crash tests' client workload.  Each thread has its
 * own connection and plays one part:
 *   client 0      the accountant's cost recharges (RECHARGE: the umbrella's
 *                 invoice and each member's expense, across every tenant, in
 *                 one request);
 *   client 1      the accountant's cross-tenant batches (2-10 entries over
 *                 several tenants in one POST, some intercompany);
 *   clients 2..   members posting in their own tenant: mostly one entry, a
 *                 quarter batches of 2-20, one in fifty 50-150.
 * Every entry has a unique piece reference (LD_MARKER "CT-c<client>-r<seq>-
 * e<item>") so a duplicate is visible in the ledger itself.  A request whose
 * call fails (timeout, lost connection: the daemon was killed) is sent again
 * with the same request id, on a new connection, until a reply comes; the
 * first reply is recorded as the acknowledgement (time, signer, id, the
 * entries it names, its body).  Now and then a client re-sends one of its
 * acknowledged requests and checks that the answer is the original reply,
 * marked replayed, byte for byte.
 */
#include "torture.h"

#include "client/lib/grandlivre.h"
#include "proto/entry.h"
#include "proto/group.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RING 32

typedef struct sent {
    uint64_t rid;
    uint16_t kind;
    char tenant[17];
    gl_buf body;
    gl_buf reply_body;
} sent;

typedef struct client {
    struct ld_run *run;
    int index;
    gl_key key;
    pthread_t thread;
    uint64_t rng;
    sent ring[RING];
    size_t ring_n;
} client;

struct ld_run {
    ld_opts o;
    ld_stats stats;
    atomic_bool stop;
    int64_t stop_deadline_ns;
    client clients[LD_CLIENTS_MAX];
    int started;
    pthread_mutex_t lock;
    tt_ack *acks;
    size_t n_acks, cap_acks;
    bool refusal_printed;
};

static const char *const journals[] = {"AC", "VT", "SA", "BQ", "BQ"};

static uint32_t day_of_2025(uint32_t yday)
{
    static const uint32_t mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    uint32_t m = 0;
    while (m < 11 && yday >= mdays[m])
        yday -= mdays[m++];
    return 20250000 + (m + 1) * 100 + yday + 1;
}

static char *upper(const char *s, char *out, size_t n)
{
    size_t i = 0;
    for (; s[i] && i + 1 < n; i++)
        out[i] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 32 : s[i]);
    out[i] = '\0';
    return out;
}

/* One entry of tenant into body; partner: another tenant for an
 * intercompany expense (NULL: an ordinary shape). */
static int put_entry(client *c, gl_buf *body, const char *tenant, const char *partner, uint64_t seq,
                     uint32_t item)
{
    char piece[64], aux[24], code[24];
    snprintf(piece, sizeof piece, "%sc%02d-r%06llu-e%03u", LD_MARKER, c->index,
             (unsigned long long)seq, item);
    int64_t cents = 100 + (int64_t)tt_below(&c->rng, 500000);
    uint32_t shape = partner ? 5 : tt_below(&c->rng, 5), date = day_of_2025(tt_below(&c->rng, 365));
    static const char *const expense[] = {"606100", "606400", "626000"};
    gl_line_in l[3];
    size_t n = 2;
    switch (shape) {
    case 0:
        snprintf(aux, sizeof aux, "FOURN%02u", tt_below(&c->rng, 20));
        l[0] = (gl_line_in){expense[tt_below(&c->rng, 3)], "", "", "", GL_SIDE_DEBIT, cents};
        l[1] = (gl_line_in){"401000", aux, "Fournisseur", "", GL_SIDE_CREDIT, cents};
        break;
    case 1:
        snprintf(aux, sizeof aux, "U%05u", tt_below(&c->rng, 2000));
        l[0] = (gl_line_in){"411000", aux, "Usager", "", GL_SIDE_DEBIT, cents};
        l[1] = (gl_line_in){"706000", "", "", "", GL_SIDE_CREDIT, cents};
        break;
    case 2: {
        int64_t part = cents / 3 + 1;
        l[0] = (gl_line_in){"641100", "", "", "Salaires", GL_SIDE_DEBIT, cents};
        l[1] = (gl_line_in){"421000", "", "", "", GL_SIDE_CREDIT, cents - part};
        l[2] = (gl_line_in){"431000", "", "", "", GL_SIDE_CREDIT, part};
        n = 3;
        break;
    }
    case 3:
        snprintf(aux, sizeof aux, "FOURN%02u", tt_below(&c->rng, 20));
        l[0] = (gl_line_in){"401000", aux, "", "", GL_SIDE_DEBIT, cents};
        l[1] = (gl_line_in){"512000", "", "", "", GL_SIDE_CREDIT, cents};
        break;
    case 4:
        snprintf(aux, sizeof aux, "U%05u", tt_below(&c->rng, 2000));
        l[0] = (gl_line_in){"512000", "", "", "", GL_SIDE_DEBIT, cents};
        l[1] = (gl_line_in){"411000", aux, "", "", GL_SIDE_CREDIT, cents};
        break;
    default: /* an intercompany expense: the partner's code as auxiliary account */
        l[0] = (gl_line_in){"628000", "", "", "", GL_SIDE_DEBIT, cents};
        l[1] = (gl_line_in){"401000", upper(partner, code, sizeof code), "", "", GL_SIDE_CREDIT,
                            cents};
        break;
    }
    gl_entry_in e = {.tenant = tenant,
                     .journal = journals[shape % 5],
                     .piece_ref = piece,
                     .label = "crash test",
                     .date = date,
                     .piece_date = date,
                     .line_count = n,
                     .lines = l};
    return gl_entry_encode(body, &e);
}

static const char *tenant_of(const ld_opts *o, uint32_t i)
{
    return i == 0 ? o->umbrella : o->members[(i - 1) % (uint32_t)o->member_count];
}

/* The request of client c number seq: its kind, header tenant, body, and
 * the tenant of each entry (POST). */
static uint16_t build(client *c, uint64_t seq, gl_buf *body, char tenants[][17], uint32_t *count,
                      char *htenant)
{
    const ld_opts *o = &c->run->o;
    gl_buf_reset(body);
    *count = 0;
    htenant[0] = '\0';
    if (c->index == 0) {
        gl_recharge_q q = {.period_ym = 202501 + tt_below(&c->rng, 12),
                           .amount_cents = 1000 + tt_below(&c->rng, 9000000),
                           .version = 1,
                           .date = 0};
        gl_recharge_q_encode(body, &q);
        return GL_KIND_RECHARGE;
    }
    uint32_t n, r = tt_below(&c->rng, 100);
    if (c->index == 1)
        n = 2 + tt_below(&c->rng, 9);
    else
        n = r < 70 ? 1 : r < 98 ? 2 + tt_below(&c->rng, 19) : 50 + tt_below(&c->rng, 101);
    gl_put_u32(body, n);
    const char *own = tenant_of(o, (uint32_t)(c->index - 2) % (uint32_t)(o->member_count + 1));
    for (uint32_t i = 0; i < n; i++) {
        const char *t = own, *partner = NULL;
        if (c->index == 1) {
            t = tenant_of(o, tt_below(&c->rng, (uint32_t)o->member_count + 1));
            if (tt_below(&c->rng, 4) == 0) {
                partner = tenant_of(o, tt_below(&c->rng, (uint32_t)o->member_count + 1));
                if (!strcmp(partner, t))
                    partner = NULL;
            }
        }
        snprintf(tenants[i], 17, "%s", t);
        if (put_entry(c, body, t, partner, seq, i + 1) != GL_OK)
            return 0;
    }
    *count = n;
    snprintf(htenant, 17, "%s", own);
    return GL_KIND_POST;
}

static void record_ack(client *c, uint64_t rid, uint16_t kind, char tenants[][17],
                       const gl_reply *rep)
{
    struct ld_run *run = c->run;
    tt_ack a = {.t_ns = tt_now_ns(), .request_id = rid, .kind = kind, .body_len = rep->body_len};
    memcpy(a.signer, c->key.pk, 32);
    gl_cur cur;
    gl_cur_init(&cur, rep->body, rep->body_len);
    uint32_t n = gl_get_u32(&cur);
    a.refs = calloc(n ? n : 1, sizeof *a.refs);
    a.body = malloc(rep->body_len ? rep->body_len : 1);
    if (!a.refs || !a.body || n > 100000) {
        fprintf(stderr, "gltorture: out of memory\n");
        abort();
    }
    memcpy(a.body, rep->body, rep->body_len);
    for (uint32_t i = 0; i < n; i++) {
        if (kind == GL_KIND_POST) {
            snprintf(a.refs[i].tenant, sizeof a.refs[i].tenant, "%s", tenants[i]);
        } else {
            gl_str t = gl_get_str8(&cur, 16);
            if (t.ptr)
                memcpy(a.refs[i].tenant, t.ptr, t.len);
        }
        a.refs[i].fy = gl_get_u16(&cur);
        a.refs[i].num = gl_get_u32(&cur);
    }
    a.ref_count = n;
    atomic_store(&run->stats.last_ack_ns, a.t_ns);
    atomic_fetch_add(&run->stats.requests, 1);
    atomic_fetch_add(&run->stats.entries, (long)n);
    if (kind == GL_KIND_RECHARGE)
        atomic_fetch_add(&run->stats.recharges, 1);
    pthread_mutex_lock(&run->lock);
    if (run->o.ack_fd >= 0 && tt_ack_write(run->o.ack_fd, &a) != 0)
        fprintf(stderr, "gltorture: cannot write an acknowledgement\n");
    if (run->n_acks == run->cap_acks) {
        run->cap_acks = run->cap_acks ? run->cap_acks * 2 : 4096;
        tt_ack *p = realloc(run->acks, run->cap_acks * sizeof *p);
        if (!p) {
            fprintf(stderr, "gltorture: out of memory\n");
            abort();
        }
        run->acks = p;
    }
    run->acks[run->n_acks++] = a;
    pthread_mutex_unlock(&run->lock);
}

/* Send until a reply comes (same request id every time).  Returns the
 * reply status, or -1 if abandoned (stopping and past the deadline). */
static int call_until_answered(client *c, gl_client **conn, uint16_t kind, const char *tenant,
                               uint64_t rid, const gl_buf *body, gl_response *resp)
{
    struct ld_run *run = c->run;
    for (unsigned attempt = 0;; attempt++) {
        if (atomic_load(&run->stop) && tt_now_ns() > run->stop_deadline_ns)
            return -1;
        char err[256];
        if (!*conn && gl_client_open(conn, run->o.endpoint, &c->key, run->o.timeout_ms, err,
                                     sizeof err) != GL_OK) {
            *conn = NULL;
            tt_sleep_ms(20);
            continue;
        }
        int st = gl_call(*conn, kind, tenant, rid, body->data, body->len, resp);
        if (st == GL_OK && resp->reply.status != GL_ERR_SHUTTING_DOWN)
            return resp->reply.status;
        gl_response_free(resp);
        atomic_fetch_add(&run->stats.retries, 1);
        gl_client_close(*conn); /* a new connection for the retry */
        *conn = NULL;
        tt_sleep_ms(10 + (attempt < 10 ? attempt * 5 : 50));
    }
}

static void refused(client *c, uint16_t kind, const gl_response *resp)
{
    atomic_fetch_add(&c->run->stats.refusals, 1);
    pthread_mutex_lock(&c->run->lock);
    if (!c->run->refusal_printed) {
        c->run->refusal_printed = true;
        fprintf(stderr, "gltorture: client %d: %s refused: %u %s: %.*s\n", c->index,
                gl_kind_name(kind), resp->reply.status, gl_status_name(resp->reply.status),
                (int)resp->reply.detail.len, resp->reply.detail.ptr ? resp->reply.detail.ptr : "");
    }
    pthread_mutex_unlock(&c->run->lock);
}

/* Re-send an acknowledged request: the original reply must come back. */
static void replay_one(client *c, gl_client **conn)
{
    sent *s = &c->ring[tt_below(&c->rng, (uint32_t)c->ring_n)];
    gl_response resp;
    int st = call_until_answered(c, conn, s->kind, s->tenant, s->rid, &s->body, &resp);
    if (st < 0)
        return;
    bool same = st == GL_OK && (resp.reply.flags & GL_REPLY_REPLAYED) &&
                resp.reply.body_len == s->reply_body.len &&
                !memcmp(resp.reply.body, s->reply_body.data, s->reply_body.len);
    atomic_fetch_add(same ? &c->run->stats.replays_checked : &c->run->stats.replay_mismatch, 1);
    if (!same)
        fprintf(
            stderr,
            "gltorture: client %d: request %llu re-sent: status %d, flags %u: not the original reply\n",
            c->index, (unsigned long long)s->rid, st, resp.reply.flags);
    gl_response_free(&resp);
}

static void remember(client *c, uint64_t rid, uint16_t kind, const char *tenant, const gl_buf *body,
                     const gl_reply *rep)
{
    sent *s = &c->ring[c->ring_n < RING ? c->ring_n++ : tt_below(&c->rng, RING)];
    s->rid = rid;
    s->kind = kind;
    snprintf(s->tenant, sizeof s->tenant, "%s", tenant);
    gl_buf_reset(&s->body);
    gl_put_bytes(&s->body, body->data, body->len);
    gl_buf_reset(&s->reply_body);
    gl_put_bytes(&s->reply_body, rep->body, rep->body_len);
}

static void *client_main(void *arg)
{
    client *c = arg;
    struct ld_run *run = c->run;
    gl_client *conn = NULL;
    gl_buf body;
    gl_buf_init(&body);
    static _Thread_local char tenants[256][17]; /* a request has at most 200 entries */
    for (uint64_t seq = 1; !atomic_load(&run->stop); seq++) {
        uint64_t rid = (run->o.seed & 0xffff) << 48 | (uint64_t)c->index << 40 | seq;
        uint32_t count;
        char htenant[17];
        uint16_t kind = build(c, seq, &body, tenants, &count, htenant);
        if (!kind || !gl_buf_ok(&body)) {
            fprintf(stderr, "gltorture: client %d: cannot build a request\n", c->index);
            break;
        }
        gl_response resp;
        int st = call_until_answered(c, &conn, kind, htenant, rid, &body, &resp);
        if (st < 0)
            break;
        if (st == GL_OK) {
            record_ack(c, rid, kind, tenants, &resp.reply);
            remember(c, rid, kind, htenant, &body, &resp.reply);
        } else {
            refused(c, kind, &resp);
        }
        gl_response_free(&resp);
        if (c->ring_n && tt_below(&c->rng, 20) == 0)
            replay_one(c, &conn);
        if (run->o.pace_ms)
            tt_sleep_ms(run->o.pace_ms / 2 + tt_below(&c->rng, (uint32_t)run->o.pace_ms + 1));
    }
    gl_client_close(conn);
    gl_buf_free(&body);
    return NULL;
}

static int load_key(const ld_opts *o, const char *name, gl_key *key)
{
    char path[512], err[256];
    snprintf(path, sizeof path, "%s/%s.key", o->key_dir, name);
    if (gl_key_load(path, key, err, sizeof err) != GL_OK) {
        fprintf(stderr, "gltorture: %s\n", err);
        return -1;
    }
    return 0;
}

/* Allocation keys version 1 for the recharges (a replay if already set). */
static int set_keys(struct ld_run *run)
{
    client *c = &run->clients[0];
    gl_keys_q q = {.version = 1, .count = (uint16_t)run->o.member_count};
    static const int64_t weights[] = {61, 25, 9, 5, 17, 3, 7, 11};
    for (int i = 0; i < run->o.member_count; i++)
        q.items[i] = (gl_group_item){{run->o.members[i], strlen(run->o.members[i])}, weights[i]};
    gl_buf body;
    gl_buf_init(&body);
    gl_keys_q_encode(&body, &q);
    gl_client *conn = NULL;
    gl_response resp;
    run->stop_deadline_ns = tt_now_ns() + 30ll * 1000000000;
    atomic_store(&run->stop, true); /* bounds call_until_answered to 30 s */
    int st = call_until_answered(c, &conn, GL_KIND_KEYS_SET, "", 0x4b455953ull, &body, &resp);
    atomic_store(&run->stop, false);
    if (st != GL_OK)
        fprintf(stderr, "gltorture: cannot set the allocation keys: status %d\n", st);
    if (st >= 0)
        gl_response_free(&resp);
    gl_client_close(conn);
    gl_buf_free(&body);
    return st == GL_OK ? 0 : -1;
}

ld_run *ld_start(const ld_opts *o)
{
    struct ld_run *run = calloc(1, sizeof *run);
    if (!run || o->clients < 2 || o->clients > LD_CLIENTS_MAX || o->member_count < 1 ||
        o->member_count > 8) {
        fprintf(stderr, "gltorture: bad workload options\n");
        free(run);
        return NULL;
    }
    run->o = *o;
    pthread_mutex_init(&run->lock, NULL);
    for (int i = 0; i < o->clients; i++) {
        client *c = &run->clients[i];
        c->run = run;
        c->index = i;
        c->rng = o->seed * 0x9E3779B97F4A7C15ull + (uint64_t)i * 0xD1B54A32D192ED03ull + 1;
        for (int k = 0; k < RING; k++) {
            gl_buf_init(&c->ring[k].body);
            gl_buf_init(&c->ring[k].reply_body);
        }
        const char *keyname =
            i < 2 ? "accountant"
                  : tenant_of(o, (uint32_t)(i - 2) % (uint32_t)(o->member_count + 1));
        if (load_key(o, keyname, &c->key) != 0) {
            ld_free(run);
            return NULL;
        }
    }
    if (set_keys(run) != 0) {
        ld_free(run);
        return NULL;
    }
    for (int i = 0; i < o->clients; i++) {
        if (pthread_create(&run->clients[i].thread, NULL, client_main, &run->clients[i]) != 0) {
            fprintf(stderr, "gltorture: cannot start a client thread\n");
            ld_stop(run, 0);
            ld_free(run);
            return NULL;
        }
        run->started++;
    }
    return run;
}

void ld_stop(ld_run *run, int64_t timeout_ms)
{
    run->stop_deadline_ns = tt_now_ns() + timeout_ms * 1000000;
    atomic_store(&run->stop, true);
    for (int i = 0; i < run->started; i++)
        pthread_join(run->clients[i].thread, NULL);
    run->started = 0;
}

const ld_stats *ld_stats_of(ld_run *r) { return &r->stats; }

void ld_acks(ld_run *run, tt_ack **out, size_t *n)
{
    pthread_mutex_lock(&run->lock);
    *n = run->n_acks;
    *out = calloc(*n ? *n : 1, sizeof **out);
    for (size_t i = 0; *out && i < *n; i++) {
        tt_ack *a = &(*out)[i];
        *a = run->acks[i];
        a->refs = malloc((a->ref_count ? a->ref_count : 1) * sizeof *a->refs);
        a->body = malloc(a->body_len ? a->body_len : 1);
        if (!a->refs || !a->body) {
            fprintf(stderr, "gltorture: out of memory\n");
            abort();
        }
        memcpy(a->refs, run->acks[i].refs, a->ref_count * sizeof *a->refs);
        memcpy(a->body, run->acks[i].body, a->body_len);
    }
    pthread_mutex_unlock(&run->lock);
}

void ld_free(ld_run *run)
{
    if (!run)
        return;
    for (int i = 0; i < LD_CLIENTS_MAX; i++) {
        gl_key_wipe(&run->clients[i].key);
        for (int k = 0; k < RING; k++) {
            gl_buf_free(&run->clients[i].ring[k].body);
            gl_buf_free(&run->clients[i].ring[k].reply_body);
        }
    }
    for (size_t i = 0; i < run->n_acks; i++)
        tt_ack_free(&run->acks[i]);
    free(run->acks);
    pthread_mutex_destroy(&run->lock);
    free(run);
}
