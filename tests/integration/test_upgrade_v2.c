/*
 * tests/integration/test_upgrade_v2.c — a ledger written under protocol
 * version 1, by the previous release's own code (tests/fixtures/ledger-v1,
 * made by tests/fixtures/make-ledger-v1 with grandlivred at 1c04aa3), served
 * by today's daemon:
 *
 *   - its history is never rewritten: chains keep their ENTRY (layout 1)
 *     events, and readers present those entries in layout 2;
 *   - it verifies offline, before and after version 2 entries (posted,
 *     and built by the daemon: a recharge) join the same chains;
 *   - the request records of its version 1 requests are carried over by
 *     store_upgrade_redigest_v1 (the upgrade step), after which every one
 *     of those requests sent again in version 2 — same key, request id and
 *     content — is answered as a replay with its original reply (before
 *     the step a POST's record holds a digest its version 2 form does not
 *     have: it would be refused request_id_reused); the version 1 bytes
 *     themselves are refused unsupported_version.  Nothing of this changes
 *     the ledger (h_digest).
 *
 * Every test runs the upgrade on the stopped daemon's data before starting
 * it: upgrade() is the one place that knows how (here the store's step
 * itself; with the schema upgrade framework, `grandlivred --upgrade`).
 */
#include "tests/support/harness.h"

#include "daemon/store/redigest.h"
#include "daemon/store/store.h"
#include "proto/chain.h"
#include "proto/entry.h"
#include "proto/query.h"
#include "proto/request.h"
#include "proto/status.h"
#include "tests/crash/torture.h"

#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define FIXTURE "tests/fixtures/ledger-v1"

static harness h;
static const enum h_key fixture_keys[] = {K_ALPHA, K_BETA, K_ACCOUNTANT, K_AUDITOR};
static const char *const fixture_names[] = {"alpha", "beta", "accountant", "auditor"};

static void copy_file(const char *from, const char *to, mode_t mode)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    cr_assert(in, "cannot read %s (run the tests from the repository's root)", from);
    cr_assert(out, "cannot write %s", to);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        cr_assert_eq(fwrite(buf, 1, n, out), n);
    cr_assert(fclose(in) == 0 && fclose(out) == 0);
    cr_assert(chmod(to, mode) == 0);
}

/* The fixture's data and keys in place of the fresh daemon's. */
static void install_fixture(void)
{
    h_setup(&h);
    h_stop(&h);
    char path[400], from[400];
    snprintf(path, sizeof path, "%s/data/data.mdb", h.dir);
    copy_file(FIXTURE "/data.mdb", path, 0600);
    snprintf(path, sizeof path, "%s/data/lock.mdb", h.dir);
    unlink(path);
    for (size_t i = 0; i < sizeof fixture_keys / sizeof fixture_keys[0]; i++) {
        char err[256];
        snprintf(from, sizeof from, FIXTURE "/%s.key", fixture_names[i]);
        copy_file(from, h.key_path[fixture_keys[i]], 0600);
        cr_assert_eq(
            gl_key_load(h.key_path[fixture_keys[i]], &h.keys[fixture_keys[i]], err, sizeof err),
            GL_OK, "%s", err);
    }
    h_write_config(&h); /* the daemon is started by each test, after upgrade() */
}

static void teardown(void) { h_teardown(&h); }

TestSuite(upgrade_v2, .init = install_fixture, .fini = teardown, .timeout = 120);

/* The store's carrying over of request records, on the stopped daemon's
 * data; its summary in msg. */
static void redigest(char *msg, size_t msg_len)
{
    bool running = h.pid != 0;
    h_stop(&h);
    char dir[400], err[512];
    snprintf(dir, sizeof dir, "%s/data", h.dir);
    store *s;
    cr_assert_eq(store_open(&s, dir, 64u << 20, err, sizeof err), GL_OK, "%s", err);
    int st = store_upgrade_redigest_v1(s, msg, msg_len);
    store_close(s);
    cr_assert_eq(st, GL_OK, "%s", msg);
    if (running)
        h_start(&h);
}

/* The upgrade of the fixture to protocol 2 as an operator runs it
 * (`grandlivred --upgrade -c CONFIG`: its step 1 -> 2 creates the ledger id
 * and carries the request records over; its report in msg), then the
 * daemon started on it. */
static void upgrade_and_start(char *msg, size_t msg_len)
{
    if (h.pid)
        h_stop(&h);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "'%s/grandlivred' --upgrade -c '%s' 2>&1", h_build_dir(), h.config);
    FILE *p = popen(cmd, "r");
    cr_assert(p);
    size_t n = fread(msg, 1, msg_len - 1, p);
    msg[n] = 0;
    int status = pclose(p);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "grandlivred --upgrade failed:\n%s",
              msg);
    h_start(&h);
}

/* The checker of tests/crash (request records against their envelopes,
 * chains against entries, every index) on the stopped daemon's data. */
static int check_offline(ck_result *r)
{
    bool running = h.pid != 0;
    h_stop(&h);
    char dir[400];
    snprintf(dir, sizeof dir, "%s/data", h.dir);
    int rc = ck_check(dir, NULL, 0, INT64_MAX, NULL, r);
    if (running)
        h_start(&h);
    return rc;
}

/* --- the fixture's version 1 requests ------------------------------------ */

typedef struct stored_request {
    uint8_t *bytes;
    size_t len;
} stored_request;

typedef struct request_list {
    stored_request r[64];
    size_t n;
} request_list;

static bool collect(const uint8_t *k, size_t kl, const uint8_t *v, size_t vl, void *user)
{
    (void)k;
    (void)kl;
    request_list *l = user;
    cr_assert(l->n < 64);
    l->r[l->n].bytes = malloc(vl);
    cr_assert(l->r[l->n].bytes);
    memcpy(l->r[l->n].bytes, v, vl);
    l->r[l->n++].len = vl;
    return true;
}

static void free_list(request_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->r[i].bytes);
}

static enum h_key key_of(const uint8_t *signer)
{
    for (size_t i = 0; i < sizeof fixture_keys / sizeof fixture_keys[0]; i++)
        if (!memcmp(h.keys[fixture_keys[i]].pk, signer, 32))
            return fixture_keys[i];
    cr_assert_fail("a request signed by a key the fixture does not hold");
    return K_ACCOUNTANT;
}

/* The same request as a version 2 client sends it again: same key, request
 * id, kind, tenant and content, for this daemon's ledger, signed now. */
static void as_version_2(const gl_request *q, gl_buf *out)
{
    uint8_t ledger[GL_LEDGER_ID_BYTES];
    h_ledger_id(&h, ledger);
    gl_buf body;
    gl_buf_init(&body);
    cr_assert_eq(gl_request_body_v2(q, &body), GL_OK);
    char tenant[GL_TENANT_MAX + 1];
    snprintf(tenant, sizeof tenant, "%.*s", (int)q->tenant.len, q->tenant.ptr);
    gl_buf_init(out);
    cr_assert_eq(gl_request_encode(out, q->kind, ledger, h.keys[key_of(q->signer)].sk, tenant,
                                   q->request_id, (int64_t)time(NULL) * 1000, body.data, body.len),
                 GL_OK);
    gl_buf_free(&body);
}

/* The reply first sent to (signer, request_id), from its request record. */
struct find_reply {
    uint8_t key[40];
    gl_buf *out;
    bool found;
};

static bool find_reply(const uint8_t *k, size_t kl, const uint8_t *v, size_t vl, void *user)
{
    struct find_reply *f = user;
    if (kl == 40 && !memcmp(k, f->key, 40) && vl > 32) {
        gl_put_bytes(f->out, v + 32, vl - 32);
        f->found = true;
        return false;
    }
    return true;
}

/* The digest of a request record (its first 32 bytes). */
static bool find_digest(const uint8_t *k, size_t kl, const uint8_t *v, size_t vl, void *user)
{
    struct find_reply *f = user;
    if (kl == 40 && !memcmp(k, f->key, 40) && vl >= 32) {
        gl_put_bytes(f->out, v, 32);
        f->found = true;
        return false;
    }
    return true;
}

static void original_reply(const gl_request *q, gl_buf *out)
{
    struct find_reply f = {.out = out};
    memcpy(f.key, q->signer, 32);
    gl_be64(f.key + 32, q->request_id);
    gl_buf_init(out);
    h_db_each(&h, "requests", find_reply, &f);
    cr_assert(f.found, "no request record for request id %llu", (unsigned long long)q->request_id);
}

/* --- the tests ----------------------------------------------------------- */

Test(upgrade_v2, history_keeps_layout_1_and_readers_present_layout_2)
{
    char msg[2048];
    upgrade_and_start(msg, sizeof msg);
    /* the chain: the fixture's entries are ENTRY events (layout 1) */
    gl_buf b;
    gl_buf_init(&b);
    gl_chain_q_encode(&b, &(gl_chain_q){.after_seq = 0, .limit = 1000});
    gl_response r;
    cr_assert_eq(h_call(&h, K_AUDITOR, GL_KIND_CHAIN, "alpha", 0, b.data, b.len, &r), GL_OK);
    gl_cur c;
    gl_cur_init(&c, r.reply.body, r.reply.body_len);
    gl_get_u64(&c);
    gl_get_bytes(&c, 32);
    uint16_t count = gl_get_u16(&c);
    int entry_events = 0;
    for (uint16_t i = 0; i < count; i++) {
        gl_get_u64(&c);
        uint32_t len = gl_get_u32(&c);
        const uint8_t *rec = gl_get_bytes(&c, len);
        gl_event ev;
        cr_assert_eq(gl_event_decode(rec, len, &ev), GL_OK);
        cr_assert_neq(ev.type, GL_EVENT_ENTRY2, "history written in version 1 has no ENTRY2 event");
        entry_events += ev.type == GL_EVENT_ENTRY;
    }
    cr_assert_eq(gl_cur_status(&c), GL_OK);
    cr_assert_geq(entry_events, 8,
                  "the fixture's alpha entries (posts, reversal, recharge, dues, close)");
    gl_response_free(&r);
    /* JOURNAL and ENTRY_GET give every one of them in layout 2 */
    gl_buf_reset(&b);
    gl_journal_q_encode(
        &b, &(gl_journal_q){
                .from = 20240101, .to = 20251231, .limit = 1000, .flags = GL_JOURNAL_LETTERS});
    cr_assert_eq(h_call(&h, K_AUDITOR, GL_KIND_JOURNAL, "alpha", 0, b.data, b.len, &r), GL_OK);
    gl_cur_init(&c, r.reply.body, r.reply.body_len);
    gl_get_bytes(&c, 8 + 1 + 2 + 4);
    uint32_t rows = gl_get_u32(&c);
    cr_assert_eq((int)rows, entry_events);
    for (uint32_t i = 0; i < rows; i++) {
        gl_get_bytes(&c, 2 + 4 + 8 + 32);
        uint32_t len = gl_get_u32(&c);
        gl_cur ec;
        gl_entry e;
        gl_cur_init(&ec, gl_get_bytes(&c, len), len);
        gl_entry_decode(&ec, &e);
        cr_assert_eq(gl_cur_end(&ec), GL_OK, "row %u is not a layout 2 entry", i);
        cr_assert_eq(e.ext_len, 0);
        for (uint16_t l = 0; l < e.line_count; l++) {
            gl_get_str8(&c, GL_LETTER_CODE_MAX);
            gl_get_u32(&c);
        }
    }
    cr_assert_eq(gl_cur_end(&c), GL_OK);
    gl_response_free(&r);
    gl_buf_reset(&b);
    gl_entry_ref_encode(&b, &(gl_entry_ref){2024, 2});
    cr_assert_eq(h_call(&h, K_ALPHA, GL_KIND_ENTRY_GET, "alpha", 0, b.data, b.len, &r), GL_OK);
    gl_cur_init(&c, r.reply.body + 52, r.reply.body_len - 52);
    uint32_t len = gl_get_u32(&c);
    gl_cur ec;
    gl_entry e;
    gl_cur_init(&ec, gl_get_bytes(&c, len), len);
    gl_entry_decode(&ec, &e);
    cr_assert_eq(gl_cur_end(&ec), GL_OK);
    cr_assert(gl_str_eq(e.label, "Fournitures"));
    gl_response_free(&r);
    gl_buf_free(&b);
}

Test(upgrade_v2, v1_history_and_v2_entries_verify_offline_together)
{
    char dir[400], out[8192];
    upgrade_and_start(out, sizeof out);
    snprintf(dir, sizeof dir, "%s/before.glar", h.dir);
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "archive --all -o '%s'", dir), 0);
    cr_assert_eq(h_cli(&h, K_AUDITOR, out, sizeof out, "verify '%s'", dir), 0, "%s", out);
    /* version 2 joins the same chains: posts by a member and the accountant,
     * a recharge (entries the daemon builds), a lock and a lettering */
    gl_line_in l[2];
    gl_entry_in e = h_entry2("alpha", 20250110, "606100", "512000", 1234, l);
    gl_response r;
    cr_assert_eq(h_post(&h, K_ALPHA, &e, 1, &r), GL_OK);
    gl_response_free(&r);
    e = h_entry2("beta", 20240701, "606400", "512000", 99, l);
    cr_assert_eq(h_post(&h, K_ACCOUNTANT, &e, 1, &r), GL_OK);
    gl_response_free(&r);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0,
                       "recharge --period 2025-01 --amount 40.00 --keys-version 1"),
                 0);
    /* a version 2 reversal of a version 1 entry (beta's invoice 2024/1) */
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "reverse --tenant beta 2024/1 --date 2024-08-01"),
                 0);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "reverse --tenant beta 2024/1 --date 2024-08-02"),
                 1, "reversed once only, across the layouts");
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "lock --yes --tenant beta --through 2024-03"), 0);
    cr_assert_eq(h_cli(&h, K_BETA, NULL, 0,
                       "letter --tenant beta --account 411000 --aux CLI01 2024/1:1 2024/2:2"),
                 0);
    cr_assert_gt(h_verify_chains(&h), 0);
    snprintf(dir, sizeof dir, "%s/after.glar", h.dir);
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "archive --all -o '%s'", dir), 0);
    cr_assert_eq(h_cli(&h, K_AUDITOR, out, sizeof out, "verify '%s'", dir), 0, "%s", out);
    cr_assert(strstr(out, "ledger: "), "%s", out);
    /* the archive names this daemon's ledger */
    uint8_t ledger[GL_LEDGER_ID_BYTES];
    char hex[2 * GL_LEDGER_ID_BYTES + 1];
    h_ledger_id(&h, ledger);
    gl_hex(ledger, sizeof ledger, hex);
    cr_assert(strstr(out, hex), "%s", out);
}

/* The request records of the fixture as the previous release left them. */
struct record_check {
    const request_list *l;
    size_t v1_digests, posts_differ;
};

static void check_records_before(struct record_check *c)
{
    for (size_t i = 0; i < c->l->n; i++) {
        gl_request q;
        cr_assert_eq(gl_request_decode_any(c->l->r[i].bytes, c->l->r[i].len, &q), GL_OK);
        cr_assert_eq(q.version, GL_PROTOCOL_VERSION_1);
        uint8_t d1[32], d2[32];
        gl_request_digest(&q, d1);
        cr_assert_eq(gl_request_digest_v2(&q, d2), GL_OK);
        gl_buf rec;
        struct find_reply f = {.out = &rec};
        memcpy(f.key, q.signer, 32);
        gl_be64(f.key + 32, q.request_id);
        gl_buf_init(&rec);
        /* the record's digest: the 32 bytes before the reply */
        h_db_each(&h, "requests", find_digest, &f);
        cr_assert(f.found);
        c->v1_digests += !memcmp(rec.data, d1, 32);
        c->posts_differ += q.kind == GL_KIND_POST && memcmp(d1, d2, 32) != 0;
        gl_buf_free(&rec);
    }
}

Test(upgrade_v2, v1_requests_sent_again_in_v2_replay_after_the_upgrade)
{
    request_list l = {0};
    h_db_each(&h, "envelopes", collect, &l);
    cr_assert_geq(l.n, 15, "the fixture's version 1 requests");
    /* before: every record holds its request's version 1 digest, and a
     * POST's version 2 form has another one (sent again without the step,
     * it would be refused request_id_reused) */
    struct record_check c = {.l = &l};
    check_records_before(&c);
    cr_assert_eq(c.v1_digests, l.n);
    cr_assert_geq(c.posts_differ, 4);
    ck_result cr;
    cr_assert_eq(check_offline(&cr), 1,
                 "the checker must see the version 1 digests before the step");

    char msg[2048];
    upgrade_and_start(msg, sizeof msg);
    cr_log_info("%s", msg);
    cr_assert(strstr(msg, " 0 kept") && strstr(msg, " 0 without"), "%s", msg);
    cr_assert_eq(check_offline(&cr), 0, "%s", cr.first_failure);
    uint8_t before[32], after[32];
    h_digest(&h, before);
    /* after it: every version 1 write request sent again in version 2 is a
     * replay, answered with its original reply (now stamped version 2); its
     * version 1 bytes are refused */
    for (size_t i = 0; i < l.n; i++) {
        gl_request q;
        cr_assert_eq(gl_request_decode_any(l.r[i].bytes, l.r[i].len, &q), GL_OK);
        gl_response r;
        cr_assert_eq(h_send_raw_as(&h, key_of(q.signer), l.r[i].bytes, l.r[i].len, &r),
                     GL_ERR_VERSION);
        gl_response_free(&r);
        gl_buf v2, orig;
        as_version_2(&q, &v2);
        original_reply(&q, &orig);
        int st = h_send_raw_as(&h, key_of(q.signer), v2.data, v2.len, &r);
        cr_assert_eq(st, GL_OK, "%s (request %llu): %s", gl_kind_name(q.kind),
                     (unsigned long long)q.request_id, gl_status_name(st));
        cr_assert(r.reply.flags & GL_REPLY_REPLAYED, "%s not a replay", gl_kind_name(q.kind));
        cr_assert_eq(r.reply.version, GL_PROTOCOL_VERSION);
        cr_assert_eq(r.raw.len, orig.len);
        cr_assert(!memcmp(r.raw.data + 6, orig.data + 6, 10) &&
                      !memcmp(r.raw.data + 17, orig.data + 17, orig.len - 17),
                  "%s: not the original reply", gl_kind_name(q.kind));
        gl_response_free(&r);
        gl_buf_free(&v2);
        gl_buf_free(&orig);
    }
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32), "a replay or a refusal changed the ledger");
    /* the step again: nothing left to carry over */
    redigest(msg, sizeof msg);
    cr_assert(strstr(msg, ": 0 version 1 request records carried over"), "%s", msg);
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32), "running the step twice changed the ledger");
    free_list(&l);
}

/* The commands that wrote the fixture, run again by today's client after
 * the upgrade step: every one is recognised as a retry and writes nothing
 * (content-derived request ids are the same as protocol 1's, file-derived
 * ones depend only on the file). */
Test(upgrade_v2, the_same_commands_run_again_after_the_upgrade_write_nothing)
{
    char msg[2048], out[4096];
    upgrade_and_start(msg, sizeof msg);
    uint8_t before[32], after[32];
    h_digest(&h, before);
    static const struct {
        enum h_key key;
        const char *args;
    } again[] = {
        {K_ALPHA, "post '" FIXTURE "/alpha.json'"},
        {K_BETA, "post '" FIXTURE "/beta.json'"},
        {K_ACCOUNTANT, "post --tenant alpha '" FIXTURE "/both.json'"},
        {K_ALPHA, "reverse --tenant alpha 2024/4 --date 2024-03-06"},
        {K_ALPHA, "letter --tenant alpha --account 401000 --aux FOURN01 2024/2:2 2024/3:1"},
        {K_ACCOUNTANT, "recharge --period 2024-06 --amount 100.00 --keys-version 1"},
        {K_ACCOUNTANT, "dues --year 2024 --file '" FIXTURE "/dues.csv'"},
        {K_ACCOUNTANT, "lock --yes --tenant alpha --through 2024-12"},
        {K_ACCOUNTANT, "close-year --tenant alpha --year 2024"},
    };
    for (size_t i = 0; i < sizeof again / sizeof again[0]; i++) {
        int rc = h_cli(&h, again[i].key, out, sizeof out, "%s", again[i].args);
        cr_assert_eq(rc, 0, "grandlivre %s: exit %d (see %s/cli.err)", again[i].args, rc, h.dir);
        h_digest(&h, after);
        cr_assert(!memcmp(before, after, 32), "grandlivre %s wrote again", again[i].args);
    }
}

/* ENVELOPE gives the history's requests as received, in version 1, to the
 * member who signed them as to the auditors. */
Test(upgrade_v2, a_member_fetches_its_own_version_1_requests)
{
    char msg[2048];
    upgrade_and_start(msg, sizeof msg);
    request_list l = {0};
    h_db_each(&h, "envelopes", collect, &l);
    size_t own = 0;
    for (size_t i = 0; i < l.n; i++) {
        gl_request q;
        cr_assert_eq(gl_request_decode_any(l.r[i].bytes, l.r[i].len, &q), GL_OK);
        gl_buf b;
        gl_buf_init(&b);
        gl_put_u64(&b, i + 1);
        gl_response r;
        bool alphas = !memcmp(q.signer, h.keys[K_ALPHA].pk, 32);
        int st = h_call(&h, K_ALPHA, GL_KIND_ENVELOPE, "", 0, b.data, b.len, &r);
        cr_assert_eq(st, alphas ? GL_OK : GL_ERR_NOT_FOUND, "envelope %zu: %s", i + 1,
                     gl_status_name(st));
        if (alphas) {
            cr_assert_eq(r.reply.body_len, l.r[i].len);
            cr_assert(!memcmp(r.reply.body, l.r[i].bytes, l.r[i].len));
            own++;
        }
        gl_response_free(&r);
        cr_assert_eq(h_call(&h, K_AUDITOR, GL_KIND_ENVELOPE, "", 0, b.data, b.len, &r), GL_OK);
        gl_response_free(&r);
        gl_buf_free(&b);
    }
    cr_assert_geq(own, 4, "alpha's post, reversal, letterings");
    free_list(&l);
}
