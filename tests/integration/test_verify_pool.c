/*
 * tests/integration/test_verify_pool.c — signatures checked on several
 * threads (daemon/verify_pool.h): the threads the configuration asks for,
 * and many clients sending at once, valid and forged signatures mixed,
 * each getting the right reply, the requests of one connection admitted
 * in the order sent (its writes answered in that order, its refusals too),
 * and a burst of forged requests changing nothing.
 */
#include "tests/support/harness.h"
#include "proto/kinds.h"
#include "proto/request.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

static harness h;

#define CONNS 8
#define PER_CONN 60

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Threads of the daemon named gl-verify-N (verify_pool.c names them). */
static int verify_threads(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/task", (long)pid);
    DIR *d = opendir(path);
    cr_assert(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        char comm_path[128], comm[32] = "";
        snprintf(comm_path, sizeof comm_path, "%s/%s/comm", path, e->d_name);
        FILE *f = fopen(comm_path, "r");
        if (!f)
            continue;
        if (fgets(comm, sizeof comm, f) && !strncmp(comm, "gl-verify-", 10))
            n++;
        fclose(f);
    }
    closedir(d);
    return n;
}

Test(verify_pool, threads_as_configured)
{
    h_setup_opts(&h, &(h_opts){.daemon_extra = "verify_threads = 3"});
    cr_assert_eq(verify_threads(h.pid), 3);
    cr_assert_gt(h_log_count(&h, "checking signatures on 3 threads"), 0);
    h_teardown(&h);
}

Test(verify_pool, one_thread_per_core_by_default)
{
    h_setup(&h);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    cr_assert_eq(verify_threads(h.pid), cores < 1 ? 1 : cores > 64 ? 64 : (int)cores);
    h_teardown(&h);
}

/* One connection's requests, signed beforehand, and what came back. */
struct conn {
    void *sock;
    gl_buf req[PER_CONN];
    bool forged[PER_CONN];
    uint64_t id[PER_CONN];
    uint64_t got_id[PER_CONN];
    int got_status[PER_CONN];
    int received;
};

static void *conn_main(void *arg)
{
    struct conn *c = arg;
    for (int i = 0; i < PER_CONN; i++)
        if (zmq_send(c->sock, c->req[i].data, c->req[i].len, 0) != (int)c->req[i].len)
            return NULL;
    for (; c->received < PER_CONN; c->received++) {
        zmq_msg_t m;
        zmq_msg_init(&m);
        if (zmq_msg_recv(&m, c->sock, 0) < 0) {
            zmq_msg_close(&m);
            break;
        }
        gl_reply r;
        int st = gl_reply_decode(zmq_msg_data(&m), zmq_msg_size(&m), &r);
        c->got_status[c->received] = st == GL_OK ? r.status : -1;
        c->got_id[c->received] = st == GL_OK ? r.request_id : 0;
        zmq_msg_close(&m);
    }
    return NULL;
}

static const enum h_key conn_keys[CONNS] = {K_ALPHA,      K_BETA, K_ACCOUNTANT, K_ALPHA,
                                            K_ACCOUNTANT, K_BETA, K_ALPHA,      K_ACCOUNTANT};

/* Sign each connection's requests: a POST into the key's books (the
 * accountant's alternate), every forge_every-th one with a bit of its
 * signature flipped (forge_every 1: all forged). */
static void sign_all(struct conn *cs, int forge_every, int *valid_alpha, int *valid_beta)
{
    uint8_t ledger[GL_LEDGER_ID_BYTES];
    h_ledger_id(&h, ledger);
    *valid_alpha = *valid_beta = 0;
    for (int c = 0; c < CONNS; c++) {
        for (int i = 0; i < PER_CONN; i++) {
            const char *tenant = conn_keys[c] == K_BETA                        ? "beta"
                                 : conn_keys[c] == K_ALPHA || (i + c) % 2 == 0 ? "alpha"
                                                                               : "beta";
            gl_line_in l[2];
            gl_entry_in e = h_entry2(tenant, 20250110, "606100", "512000", 100 + i, l);
            gl_buf body;
            gl_buf_init(&body);
            h_post_body(&body, &e, 1);
            cs[c].id[i] = 1000000u * (uint64_t)(c + 1) + (uint64_t)i + 1;
            gl_buf_init(&cs[c].req[i]);
            cr_assert_eq(gl_request_encode(&cs[c].req[i], GL_KIND_POST, ledger,
                                           h.keys[conn_keys[c]].sk, tenant, cs[c].id[i], now_ms(),
                                           body.data, body.len),
                         GL_OK);
            gl_buf_free(&body);
            cs[c].forged[i] = i % forge_every == 0;
            if (cs[c].forged[i])
                cs[c].req[i].data[cs[c].req[i].len - 10] ^= 0x04;
            else if (!strcmp(tenant, "alpha"))
                (*valid_alpha)++;
            else
                (*valid_beta)++;
        }
    }
}

static void run_all(struct conn *cs)
{
    void *ctx = zmq_ctx_new();
    pthread_t tids[CONNS];
    for (int c = 0; c < CONNS; c++)
        cs[c].sock = h_raw_socket(&h, ctx, conn_keys[c]);
    for (int c = 0; c < CONNS; c++)
        cr_assert_eq(pthread_create(&tids[c], NULL, conn_main, &cs[c]), 0);
    for (int c = 0; c < CONNS; c++)
        pthread_join(tids[c], NULL);
    for (int c = 0; c < CONNS; c++)
        zmq_close(cs[c].sock);
    zmq_ctx_term(ctx);
}

/* Every reply is its request's (right status), and per connection the
 * accepted writes and the refusals each came back in the order sent. */
static void check_replies(struct conn *cs)
{
    for (int c = 0; c < CONNS; c++) {
        cr_assert_eq(cs[c].received, PER_CONN, "connection %d: %d replies", c, cs[c].received);
        uint64_t last_ok = 0, last_refused = 0;
        for (int k = 0; k < PER_CONN; k++) {
            uint64_t id = cs[c].got_id[k];
            int i = (int)(id % 1000000u) - 1;
            cr_assert(id / 1000000u == (uint64_t)c + 1 && i >= 0 && i < PER_CONN,
                      "connection %d: reply %d has request id %llu", c, k, (unsigned long long)id);
            int want = cs[c].forged[i] ? GL_ERR_BAD_SIGNATURE : GL_OK;
            cr_assert_eq(cs[c].got_status[k], want, "connection %d request %d: %d, want %d", c, i,
                         cs[c].got_status[k], want);
            uint64_t *last = cs[c].forged[i] ? &last_refused : &last_ok;
            cr_assert_gt(id, *last, "connection %d: request %d answered out of order", c, i);
            *last = id;
        }
    }
}

static void free_all(struct conn *cs)
{
    for (int c = 0; c < CONNS; c++)
        for (int i = 0; i < PER_CONN; i++)
            gl_buf_free(&cs[c].req[i]);
}

static void open_books(void)
{
    static const char *const accounts[] = {"512000", "606100"};
    h_open_accounts(&h, "alpha", accounts, 2);
    h_open_accounts(&h, "beta", accounts, 2);
}

Test(verify_pool, many_clients_valid_and_forged_each_reply_right_in_order)
{
    h_setup(&h);
    open_books();
    static struct conn cs[CONNS];
    memset(cs, 0, sizeof cs);
    int valid_alpha, valid_beta;
    sign_all(cs, 3, &valid_alpha, &valid_beta);
    long alpha0 = h_entry_count(&h, "alpha"), beta0 = h_entry_count(&h, "beta");
    run_all(cs);
    check_replies(cs);
    cr_assert_eq(h_entry_count(&h, "alpha") - alpha0, valid_alpha);
    cr_assert_eq(h_entry_count(&h, "beta") - beta0, valid_beta);
    cr_assert_gt(h_verify_chains(&h), 0);
    free_all(cs);
    h_teardown(&h);
}

Test(verify_pool, burst_of_forged_requests_changes_nothing)
{
    h_setup(&h);
    open_books();
    static struct conn cs[CONNS];
    memset(cs, 0, sizeof cs);
    int valid_alpha, valid_beta;
    sign_all(cs, 1, &valid_alpha, &valid_beta);
    cr_assert_eq(valid_alpha + valid_beta, 0);
    uint8_t before[32], after[32];
    h_digest(&h, before);
    run_all(cs);
    check_replies(cs);
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32), "the ledger changed");
    free_all(cs);
    h_teardown(&h);
}
