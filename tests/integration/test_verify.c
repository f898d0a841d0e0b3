/*
 * tests/integration/test_verify.c — offline verification against the real
 * daemon: a ledger with a batch of entries, lettering, a lock, a year close
 * (result, à-nouveaux, class 8), a reversal, a multi-tenant batch, dues and
 * a recharge across the group (umbrella alpha, members beta and gamma),
 * archived with `grandlivre archive --all` and verified with `grandlivre
 * verify`.  Then the archive file is tampered with, in each of the ways the
 * issue names (one byte of any entry flipped, an entry removed, two entries
 * swapped, an amount changed in both the entry and its stored trial balance,
 * a request re-signed with a key not valid for that tenant at that time),
 * each with and without the hash chain rebuilt around the change so that the
 * deeper checks are reached, and every case must be detected, exit 1, and
 * name the entry.  A --keys file missing a signer, or trusting a key for the
 * wrong tenant, fails; a member's archive says what the daemon withheld.
 * The tampering goes through the archive API (client/verify/archive.h),
 * which re-encodes the file with a fresh digest: the verifier must find the
 * change itself, not the digest.
 */
#include "tests/support/harness.h"

#include "client/verify/archive.h"
#include "client/verify/verify.h"
#include "proto/chain.h"
#include "proto/group.h"
#include "proto/query.h"
#include "proto/request.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static harness h;

static void setup(void)
{
    h_setup(&h);
    for (const char *const *t = (const char *const[]){"alpha", "beta", "gamma", NULL}; *t; t++)
        cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "accounts load-chart --tenant %s", *t), 0);
}
static void teardown(void) { h_teardown(&h); }

TestSuite(verify, .init = setup, .fini = teardown, .timeout = 240);

/* ------------------------------------------------------------------ */
/* The ledger                                                          */
/* ------------------------------------------------------------------ */

static char *cli_err(void)
{
    static char buf[1 << 16];
    char path[400];
    snprintf(path, sizeof path, "%s/cli.err", h.dir);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    buf[n] = '\0';
    if (f)
        fclose(f);
    return buf;
}

static void call_ok(enum h_key k, uint16_t kind, const char *tenant, const gl_buf *b)
{
    gl_response r;
    int st = h_call(&h, k, kind, tenant, 0, b ? b->data : NULL, b ? b->len : 0, &r);
    cr_assert_eq(st, GL_OK, "%s: %s %.*s", gl_kind_name(kind), gl_status_name(st),
                 (int)r.reply.detail.len, r.reply.detail.ptr);
    gl_response_free(&r);
}

/* Post entries with key k; their numbers into fy[] and num[]. */
static void post(enum h_key k, const gl_entry_in *e, size_t n, uint16_t *fy, uint32_t *num)
{
    gl_response r;
    int st = h_post(&h, k, e, n, &r);
    cr_assert_eq(st, GL_OK, "post: %s %.*s", gl_status_name(st), (int)r.reply.detail.len,
                 r.reply.detail.ptr);
    gl_cur c;
    gl_cur_init(&c, r.reply.body, r.reply.body_len);
    cr_assert_eq(gl_get_u32(&c), n);
    for (size_t i = 0; i < n; i++) {
        uint16_t f = gl_get_u16(&c);
        uint32_t m = gl_get_u32(&c);
        if (fy)
            fy[i] = f;
        if (num)
            num[i] = m;
    }
    cr_assert_eq(gl_cur_end(&c), GL_OK);
    gl_response_free(&r);
}

/* Numbers worth remembering from the scenario. */
static struct {
    uint32_t batch[3];    /* alpha 2024: capital, supplies, invoice (one request) */
    uint32_t payment;     /* alpha 2024, alone in its request */
    uint32_t gamma_alone; /* gamma, posted alone by the accountant */
} n;

static void scenario(void)
{
    gl_line_in l1[2], l2[2], l3[2], l4[2], l5[2], l6[2], l7[2], l8[2], l9[2];
    gl_entry_in batch[3] = {h_entry2("alpha", 20240115, "512000", "102000", 1000000, l1),
                            h_entry2("alpha", 20240310, "606100", "512000", 12050, l2),
                            h_entry2("alpha", 20240502, "411000", "706000", 50000, l3)};
    l3[0].aux = "CLI01";
    l3[0].aux_label = "Client un";
    uint16_t fy[3];
    post(K_ALPHA, batch, 3, fy, n.batch);
    cr_assert_eq(fy[0], 2024);
    gl_entry_in pay = h_entry2("alpha", 20240601, "512000", "411000", 50000, l4);
    l4[1].aux = "CLI01";
    post(K_ALPHA, &pay, 1, NULL, &n.payment);
    gl_entry_in vol = h_entry2("alpha", 20240701, "864000", "875000", 5000, l5);
    post(K_ALPHA, &vol, 1, NULL, NULL);

    /* lettering of the invoice and its payment */
    gl_line_ref refs[2] = {{2024, n.batch[2], 1}, {2024, n.payment, 2}};
    gl_buf b;
    gl_buf_init(&b);
    gl_letter_q_encode(&b, (gl_str){"411000", 6}, (gl_str){"CLI01", 5}, refs, 2);
    call_ok(K_ALPHA, GL_KIND_LETTER, "alpha", &b);

    /* lock and close 2024: result entry, à-nouveaux of 2025 */
    gl_buf_reset(&b);
    gl_lock_q lq = {202412, GL_LOCK_THROUGH};
    gl_lock_q_encode(&b, &lq);
    call_ok(K_ACCOUNTANT, GL_KIND_LOCK, "alpha", &b);
    gl_buf_reset(&b);
    gl_close_q cq = {2024};
    gl_close_q_encode(&b, &cq);
    call_ok(K_ACCOUNTANT, GL_KIND_CLOSE_YEAR, "alpha", &b);

    /* an entry of 2025 and its reversal */
    gl_entry_in e25 = h_entry2("alpha", 20250201, "606100", "512000", 8000, l6);
    uint32_t num25;
    post(K_ACCOUNTANT, &e25, 1, NULL, &num25);
    gl_entry_in rev = h_entry2("alpha", 20250202, "512000", "606100", 8000, l7);
    rev.reverses_fy = 2025;
    rev.reverses_num = num25;
    post(K_ACCOUNTANT, &rev, 1, NULL, NULL);

    /* the group: dues and a recharge */
    gl_buf_reset(&b);
    gl_dues_q dq = {
        .year = 2025, .count = 2, .items = {{{"beta", 4}, 50000}, {{"gamma", 5}, 30000}}};
    gl_dues_q_encode(&b, &dq);
    call_ok(K_ACCOUNTANT, GL_KIND_DUES, "", &b);
    gl_buf_reset(&b);
    gl_keys_q kq = {.version = 2025, .count = 2, .items = {{{"beta", 4}, 3}, {{"gamma", 5}, 2}}};
    gl_keys_q_encode(&b, &kq);
    call_ok(K_ACCOUNTANT, GL_KIND_KEYS_SET, "", &b);
    gl_buf_reset(&b);
    gl_recharge_q rq = {202503, 100001, 2025, 0, {0}};
    gl_recharge_q_encode(&b, &rq);
    call_ok(K_ACCOUNTANT, GL_KIND_RECHARGE, "", &b);
    gl_buf_free(&b);

    /* a member's own entry; one request for two tenants; gamma alone */
    gl_entry_in eb = h_entry2("beta", 20250401, "606100", "512000", 2500, l8);
    post(K_BETA, &eb, 1, NULL, NULL);
    gl_line_in l10[2], l11[2];
    gl_entry_in two[2] = {h_entry2("gamma", 20250415, "606100", "512000", 700, l10),
                          h_entry2("beta", 20250415, "606100", "512000", 900, l11)};
    post(K_ACCOUNTANT, two, 2, NULL, NULL);
    gl_entry_in eg = h_entry2("gamma", 20250501, "606100", "512000", 1100, l9);
    post(K_ACCOUNTANT, &eg, 1, NULL, &n.gamma_alone);

    /* a key that appears only now: it was never valid for what came before */
    h.absent[K_STRANGER] = false; /* a member of gamma */
    cr_assert(h_reload(&h));
}

/* ------------------------------------------------------------------ */
/* Archives                                                            */
/* ------------------------------------------------------------------ */

static void path_of(char *out, size_t len, const char *name)
{
    snprintf(out, len, "%s/%s", h.dir, name);
}

/* grandlivre verify PATH [extra]: the exit status and standard output. */
static int verify_cli(const char *name, const char *extra, char *out, size_t out_len)
{
    char path[400];
    path_of(path, sizeof path, name);
    return h_cli(&h, K_AUDITOR, out, out_len, "verify '%s' %s", path, extra ? extra : "");
}

typedef struct loaded {
    uint8_t *bytes;
    size_t len;
    gl_archive a;
    gl_buf **arena; /* records and envelopes made while tampering */
    size_t arena_n, arena_cap;
} loaded;

static void load(loaded *l, const char *name)
{
    char path[400];
    path_of(path, sizeof path, name);
    memset(l, 0, sizeof *l);
    FILE *f = fopen(path, "rb");
    cr_assert(f, "cannot open %s", path);
    cr_assert(fseek(f, 0, SEEK_END) == 0);
    long size = ftell(f);
    cr_assert(size > 0);
    rewind(f);
    l->bytes = malloc((size_t)size);
    cr_assert(l->bytes);
    cr_assert_eq(fread(l->bytes, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    l->len = (size_t)size;
    char err[256];
    cr_assert_eq(gl_archive_read(l->bytes, l->len, &l->a, err, sizeof err), GL_OK, "%s", err);
    cr_assert(l->a.digest_ok);
}

static gl_buf *arena_new(loaded *l)
{
    if (l->arena_n == l->arena_cap) {
        l->arena_cap = l->arena_cap ? l->arena_cap * 2 : 256;
        l->arena = realloc(l->arena, l->arena_cap * sizeof *l->arena);
        cr_assert(l->arena);
    }
    gl_buf *b = malloc(sizeof *b);
    cr_assert(b);
    gl_buf_init(b);
    l->arena[l->arena_n++] = b;
    return b;
}

static void unload(loaded *l)
{
    gl_archive_free(&l->a);
    for (size_t i = 0; i < l->arena_n; i++) {
        gl_buf_free(l->arena[i]);
        free(l->arena[i]);
    }
    free(l->arena);
    free(l->bytes);
    memset(l, 0, sizeof *l);
}

static void save(const loaded *l, const char *name)
{
    gl_buf out;
    gl_buf_init(&out);
    char err[256], path[400];
    cr_assert_eq(gl_archive_encode(&out, &l->a, err, sizeof err), GL_OK, "%s", err);
    path_of(path, sizeof path, name);
    FILE *f = fopen(path, "wb");
    cr_assert(f);
    cr_assert_eq(fwrite(out.data, 1, out.len, f), out.len);
    cr_assert(fclose(f) == 0);
    gl_buf_free(&out);
}

static gl_archive_tenant *tenant(loaded *l, const char *id)
{
    const gl_archive_tenant *t = gl_archive_tenant_find(&l->a, (gl_str){id, strlen(id)});
    cr_assert(t && t->has_chain, "no chain of %s in the archive", id);
    return (gl_archive_tenant *)t;
}

/* The event index of entry fy/num in t's chain. */
static uint32_t entry_event(const gl_archive_tenant *t, uint16_t fy, uint32_t num)
{
    for (uint32_t i = 0; i < t->event_count; i++) {
        gl_event ev;
        cr_assert_eq(gl_event_decode(t->events[i].record, t->events[i].record_len, &ev), GL_OK);
        if (gl_event_entry_layout(ev.type) && gl_rd16(ev.payload) == fy &&
            gl_rd32(ev.payload + 2) == num)
            return i;
    }
    cr_assert_fail("no entry %u/%u", fy, num);
    return 0;
}

/* Recompute every hash of t's chain (and its head) from its bodies: what
 * someone rewriting history would do so that only the deeper checks can
 * find it. */
static void rebuild_chain(loaded *l, gl_archive_tenant *t)
{
    uint8_t prev[GL_HASH_BYTES] = {0};
    for (uint32_t i = 0; i < t->event_count; i++) {
        gl_event ev;
        cr_assert_eq(gl_event_decode(t->events[i].record, t->events[i].record_len, &ev), GL_OK);
        gl_buf *b = arena_new(l);
        gl_event_encode(b, t->id.ptr, t->id.len, i + 1, prev, ev.type, ev.body, ev.body_len);
        cr_assert(gl_buf_ok(b));
        memcpy(prev, b->data + b->len - GL_HASH_BYTES, GL_HASH_BYTES);
        t->events[i] = (gl_archive_event){i + 1, b->data, (uint32_t)b->len};
    }
    t->head_seq = t->event_count;
    memcpy(t->head_hash, prev, GL_HASH_BYTES);
}

/* A private, writable copy of event i's record. */
static uint8_t *own_record(loaded *l, gl_archive_tenant *t, uint32_t i)
{
    gl_buf *b = arena_new(l);
    gl_put_bytes(b, t->events[i].record, t->events[i].record_len);
    cr_assert(gl_buf_ok(b));
    t->events[i].record = b->data;
    return b->data;
}

static void remove_event(gl_archive_tenant *t, uint32_t i)
{
    memmove(&t->events[i], &t->events[i + 1], (t->event_count - i - 1) * sizeof *t->events);
    t->event_count--;
}

static void swap_events(gl_archive_tenant *t, uint32_t i, uint32_t j)
{
    gl_archive_event x = t->events[i];
    t->events[i].record = t->events[j].record;
    t->events[i].record_len = t->events[j].record_len;
    t->events[j].record = x.record;
    t->events[j].record_len = x.record_len;
}

/* The offset, within an ENTRY record, of its canonical entry bytes. */
#define ENTRY_AT (6 + 60 + 6)

/* Each case: the file fails, exit 1, and the output names what it must. */
#define EXPECT_FAILS(name, extra, ...)                                                        \
    do {                                                                                      \
        char out_[8192];                                                                      \
        int rc_ = verify_cli(name, extra, out_, sizeof out_);                                 \
        cr_assert_eq(rc_, 1, "%s: verify exited %d:\n%s\n%s", name, rc_, out_, cli_err());    \
        cr_log_info("%s: %s", name, out_);                                                    \
        const char *const needles_[] = {__VA_ARGS__};                                         \
        for (size_t i_ = 0; i_ < sizeof needles_ / sizeof needles_[0]; i_++)                  \
            cr_assert(strstr(out_, needles_[i_]), "%s: '%s' not in:\n%s", name, needles_[i_], \
                      out_);                                                                  \
    } while (0)

static void archive_all(const char *name)
{
    char path[400];
    path_of(path, sizeof path, name);
    int rc = h_cli(&h, K_AUDITOR, NULL, 0, "archive --all -o '%s'", path);
    cr_assert_eq(rc, 0, "archive exited %d: %s", rc, cli_err());
}

static void entry_name(char *out, size_t len, const char *tenant_id, uint16_t fy, uint32_t num)
{
    snprintf(out, len, "(entry %u/%u)", fy, num);
    (void)tenant_id;
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */
/* ------------------------------------------------------------------ */

Test(verify, a_good_archive_verifies_and_every_tampering_is_named)
{
    scenario();
    archive_all("all.glar");
    char out[16384], want[64];
    int rc = verify_cli("all.glar", NULL, out, sizeof out);
    cr_assert_eq(rc, 0, "verify exited %d:\n%s\n%s", rc, out, cli_err());
    cr_assert(strstr(out, "verified: 3 tenants"), "%s", out);
    cr_assert(strstr(out, "trusting the archive's own keyring"), "%s", out);
    cr_assert(strstr(out, "2024: "), "%s", out);
    cr_assert(strstr(out, "closed, result"), "%s", out);
    /* an archive is not overwritten without --force */
    char path[400];
    path_of(path, sizeof path, "all.glar");
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "archive --all -o '%s'", path), 2);
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "archive --all -o '%s' --force", path), 0);

    loaded l;
    uint32_t i;
    gl_archive_tenant *alpha;
    const uint32_t supplies = n.batch[1];
    entry_name(want, sizeof want, "alpha", 2024, supplies);

    /* 1. one byte of an entry flipped, in the file itself */
    load(&l, "all.glar");
    alpha = tenant(&l, "alpha");
    i = entry_event(alpha, 2024, supplies);
    uint8_t *rec = own_record(&l, alpha, i);
    rec[alpha->events[i].record_len - 2 * GL_HASH_BYTES - 2 - 1] ^=
        0x01; /* the last line's amount, before its empty extension area */
    save(&l, "flip.glar");
    unload(&l);
    EXPECT_FAILS("flip.glar", NULL, "alpha: event", want, "hash does not recompute");
    /* the same, hashes rebuilt: the signed request no longer matches */
    load(&l, "all.glar");
    alpha = tenant(&l, "alpha");
    i = entry_event(alpha, 2024, supplies);
    rec = own_record(&l, alpha, i);
    rec[alpha->events[i].record_len - 2 * GL_HASH_BYTES - 2 - 1] ^=
        0x01; /* the last line's amount, before its empty extension area */
    rebuild_chain(&l, alpha);
    save(&l, "flip-rebuilt.glar");
    unload(&l);
    EXPECT_FAILS("flip-rebuilt.glar", NULL, want, "not the entry its signed request holds");

    /* 2. an entry removed */
    load(&l, "all.glar");
    alpha = tenant(&l, "alpha");
    remove_event(alpha, entry_event(alpha, 2024, supplies));
    save(&l, "removed.glar");
    unload(&l);
    EXPECT_FAILS("removed.glar", NULL, want, "missing");
    load(&l, "all.glar");
    alpha = tenant(&l, "alpha");
    remove_event(alpha, entry_event(alpha, 2024, supplies));
    rebuild_chain(&l, alpha);
    save(&l, "removed-rebuilt.glar");
    unload(&l);
    snprintf(want, sizeof want, "entry 2024/%u is missing", supplies);
    EXPECT_FAILS("removed-rebuilt.glar", NULL, want);

    /* 3. two entries swapped: within one request, and across two */
    entry_name(want, sizeof want, "alpha", 2024, supplies);
    load(&l, "all.glar");
    alpha = tenant(&l, "alpha");
    swap_events(alpha, entry_event(alpha, 2024, n.batch[0]), entry_event(alpha, 2024, supplies));
    save(&l, "swapped.glar");
    unload(&l);
    EXPECT_FAILS("swapped.glar", NULL, want, "link to event");
    load(&l, "all.glar");
    alpha = tenant(&l, "alpha");
    swap_events(alpha, entry_event(alpha, 2024, n.batch[0]), entry_event(alpha, 2024, supplies));
    rebuild_chain(&l, alpha);
    save(&l, "swapped-rebuilt.glar");
    unload(&l);
    char missing[64];
    snprintf(missing, sizeof missing, "entry 2024/%u is missing here (removed or moved)",
             n.batch[0]);
    EXPECT_FAILS("swapped-rebuilt.glar", NULL, want, missing);
    load(&l, "all.glar");
    alpha = tenant(&l, "alpha");
    swap_events(alpha, entry_event(alpha, 2024, n.batch[2]), entry_event(alpha, 2024, n.payment));
    rebuild_chain(&l, alpha);
    save(&l, "swapped-requests.glar");
    unload(&l);
    entry_name(want, sizeof want, "alpha", 2024, n.payment);
    snprintf(missing, sizeof missing, "entry 2024/%u is missing here (removed or moved)",
             n.batch[2]);
    EXPECT_FAILS("swapped-requests.glar", NULL, want, missing);

    /* 4. an amount changed in both the entry and its stored trial balance */
    entry_name(want, sizeof want, "alpha", 2024, supplies);
    for (int rebuilt = 0; rebuilt < 2; rebuilt++) {
        load(&l, "all.glar");
        alpha = tenant(&l, "alpha");
        i = entry_event(alpha, 2024, supplies);
        rec = own_record(&l, alpha, i);
        gl_event ev;
        cr_assert_eq(gl_event_decode(rec, alpha->events[i].record_len, &ev), GL_OK);
        gl_cur c;
        gl_entry e;
        gl_cur_init(&c, ev.payload + 6, ev.payload_len - 6);
        gl_entry_decode_layout(&c, &e, gl_event_entry_layout(ev.type));
        cr_assert_eq(gl_cur_end(&c), GL_OK);
        /* each line's amount is its last 8 bytes: 12050 -> 13050 cents */
        gl_line_iter it;
        gl_line line;
        gl_line_iter_init(&it, &e);
        int patched = 0;
        while (gl_line_next(&it, &line)) {
            uint8_t *amount = (uint8_t *)line.label.ptr + line.label.len + 1; /* after side */
            cr_assert_eq((int64_t)gl_rd64(amount), 12050);
            gl_be64(amount, 13050);
            patched++;
        }
        cr_assert_eq(patched, 2);
        for (uint16_t y = 0; y < alpha->balance_count; y++)
            for (uint32_t r = 0; alpha->balances[y].fy == 2024 && r < alpha->balances[y].row_count;
                 r++) {
                gl_archive_row *row = &alpha->balances[y].rows[r];
                if (gl_str_eq(row->account, "606100"))
                    row->debit_cents += 1000;
                if (gl_str_eq(row->account, "512000"))
                    row->credit_cents += 1000;
            }
        if (rebuilt)
            rebuild_chain(&l, alpha);
        save(&l, "amount.glar");
        unload(&l);
        if (rebuilt)
            EXPECT_FAILS("amount.glar", NULL, want, "not the entry its signed request holds");
        else
            EXPECT_FAILS("amount.glar", NULL, want, "hash does not recompute");
    }
    /* the stored trial balance alone */
    load(&l, "all.glar");
    alpha = tenant(&l, "alpha");
    alpha->balances[0].rows[0].credit_cents += 1;
    save(&l, "balance.glar");
    unload(&l);
    EXPECT_FAILS("balance.glar", NULL, "alpha: trial balance 2024, account",
                 "the archive's trial balance says");

    /* 5. re-signed with a key not valid for that tenant at that time */
    struct {
        const char *tenant;
        uint16_t fy;
        uint32_t num;
        enum h_key key;
        const char *why;
    } resign[] = {{"alpha", 2024, n.payment, K_BETA, "a member key of beta, not valid for alpha"},
                  {"gamma", 2025, n.gamma_alone, K_STRANGER, "which was not valid at"},
                  {"alpha", 2024, n.payment, K_AUDITOR, "an auditor's key, which may never write"}};
    for (size_t k = 0; k < sizeof resign / sizeof resign[0]; k++) {
        load(&l, "all.glar");
        gl_archive_tenant *t = tenant(&l, resign[k].tenant);
        i = entry_event(t, resign[k].fy, resign[k].num);
        rec = own_record(&l, t, i);
        gl_event ev;
        cr_assert_eq(gl_event_decode(rec, t->events[i].record_len, &ev), GL_OK);
        gl_archive_envelope *env =
            (gl_archive_envelope *)gl_archive_envelope_find(&l.a, ev.head.envelope);
        cr_assert(env);
        gl_request q;
        cr_assert_eq(gl_request_decode(env->bytes, env->len, &q), GL_OK);
        char qt[GL_TENANT_MAX + 1];
        snprintf(qt, sizeof qt, "%.*s", (int)q.tenant.len, q.tenant.ptr);
        gl_buf *nb = arena_new(&l);
        cr_assert_eq(gl_request_encode(nb, q.kind, q.ledger_id, h.keys[resign[k].key].sk, qt,
                                       q.request_id, q.timestamp_ms, q.body, q.body_len),
                     GL_OK);
        env->bytes = nb->data;
        env->len = (uint32_t)nb->len;
        memcpy(rec + 6 + 12, h.keys[resign[k].key].pk, 32); /* the event's signer */
        rebuild_chain(&l, t);
        save(&l, "resigned.glar");
        unload(&l);
        entry_name(want, sizeof want, resign[k].tenant, resign[k].fy, resign[k].num);
        EXPECT_FAILS("resigned.glar", NULL, want, "signed by key", resign[k].why);
    }
    /* re-signed without changing the event: the signer does not match */
    load(&l, "all.glar");
    alpha = tenant(&l, "alpha");
    {
        i = entry_event(alpha, 2024, n.payment);
        gl_event ev;
        cr_assert_eq(gl_event_decode(alpha->events[i].record, alpha->events[i].record_len, &ev),
                     GL_OK);
        gl_archive_envelope *env =
            (gl_archive_envelope *)gl_archive_envelope_find(&l.a, ev.head.envelope);
        gl_buf *nb = arena_new(&l);
        gl_put_bytes(nb, env->bytes, env->len);
        nb->data[nb->len - 1] ^= 0x80; /* the signature's last byte */
        env->bytes = nb->data;
        save(&l, "badsig.glar");
    }
    unload(&l);
    entry_name(want, sizeof want, "alpha", 2024, n.payment);
    EXPECT_FAILS("badsig.glar", NULL, want, "signature of its request", "does not verify");

    /* a truncated file is not an archive */
    load(&l, "all.glar");
    path_of(path, sizeof path, "truncated.glar");
    FILE *f = fopen(path, "wb");
    cr_assert(f);
    cr_assert_eq(fwrite(l.bytes, 1, l.len - 1, f), l.len - 1);
    fclose(f);
    unload(&l);
    EXPECT_FAILS("truncated.glar", NULL, "is not a valid archive");
}

/* Every entry of every tenant: one byte flipped in place is found and the
 * entry named; with the chain rebuilt, still found and named. */
Test(verify, any_entry_flipped_is_named)
{
    scenario();
    archive_all("all.glar");
    loaded l;
    load(&l, "all.glar");
    size_t checked = 0;
    for (uint16_t t = 0; t < l.a.tenant_count; t++) {
        gl_archive_tenant *at = &l.a.tenants[t];
        for (uint32_t i = 0; i < at->event_count; i++) {
            gl_event ev;
            cr_assert_eq(gl_event_decode(at->events[i].record, at->events[i].record_len, &ev),
                         GL_OK);
            if (!gl_event_entry_layout(ev.type))
                continue;
            uint16_t fy = gl_rd16(ev.payload);
            uint32_t num = gl_rd32(ev.payload + 2);
            size_t entry_len = ev.payload_len - 6;
            for (int rebuilt = 0; rebuilt < 2; rebuilt++) {
                for (size_t at_byte = 0; at_byte < entry_len; at_byte += entry_len / 3 + 1) {
                    const uint8_t *orig = at->events[i].record;
                    uint8_t *copy = malloc(at->events[i].record_len);
                    cr_assert(copy);
                    memcpy(copy, orig, at->events[i].record_len);
                    copy[ENTRY_AT + at_byte] ^= 0x01;
                    at->events[i].record = copy;
                    gl_archive_event *saved = NULL;
                    uint64_t head_seq = at->head_seq;
                    uint8_t head[GL_HASH_BYTES];
                    memcpy(head, at->head_hash, GL_HASH_BYTES);
                    if (rebuilt) {
                        saved = malloc(at->event_count * sizeof *saved);
                        cr_assert(saved);
                        memcpy(saved, at->events, at->event_count * sizeof *saved);
                        saved[i].record = orig;
                        rebuild_chain(&l, at);
                    }
                    gl_verify_result r;
                    cr_assert_eq(gl_verify(&l.a, NULL, &r), GL_OK);
                    cr_assert_neq(r.problem, GL_VP_NONE, "%.*s %u/%u byte %zu not detected",
                                  (int)at->id.len, at->id.ptr, fy, num, at_byte);
                    if (!rebuilt)
                        cr_assert_eq(r.problem, GL_VP_HASH, "%s", r.message);
                    cr_assert(r.fy == fy && r.num == num && gl_str_eq(at->id, r.tenant),
                              "%.*s %u/%u byte %zu: named otherwise: %s", (int)at->id.len,
                              at->id.ptr, fy, num, at_byte, r.message);
                    gl_verify_result_free(&r);
                    if (rebuilt) {
                        memcpy(at->events, saved, at->event_count * sizeof *saved);
                        free(saved);
                        /* the arena's buffers stay until unload; drop them now */
                        for (size_t k = 0; k < l.arena_n; k++) {
                            gl_buf_free(l.arena[k]);
                            free(l.arena[k]);
                        }
                        l.arena_n = 0;
                    } else {
                        at->events[i].record = orig;
                    }
                    at->head_seq = head_seq;
                    memcpy(at->head_hash, head, GL_HASH_BYTES);
                    free(copy);
                }
            }
            checked++;
        }
    }
    cr_assert_geq(checked, 15, "only %zu entries", checked);
    /* untouched, it still verifies */
    gl_verify_result r;
    cr_assert_eq(gl_verify(&l.a, NULL, &r), GL_OK);
    cr_assert_eq(r.problem, GL_VP_NONE, "%s", r.message);
    gl_verify_result_free(&r);
    unload(&l);
}

Test(verify, keys_files_and_member_archives)
{
    scenario();
    archive_all("all.glar");
    char hex[K_COUNT][65], path[400], out[16384];
    for (int k = 0; k < K_COUNT; k++)
        gl_hex(h.keys[k].pk, 32, hex[k]);
    /* every signer trusted: verifies, and says whose keys it trusted */
    path_of(path, sizeof path, "keys-all.txt");
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fprintf(f, "# obtained from each association\nalpha %s\nbeta %s\n\naccountant %s\n",
            hex[K_ALPHA], hex[K_BETA], hex[K_ACCOUNTANT]);
    fclose(f);
    char extra[500];
    snprintf(extra, sizeof extra, "--keys '%s'", path);
    int rc = verify_cli("all.glar", extra, out, sizeof out);
    cr_assert_eq(rc, 0, "verify exited %d:\n%s\n%s", rc, out, cli_err());
    cr_assert(strstr(out, "trusting only the 3 keys"), "%s", out);
    /* the accountant missing */
    path_of(path, sizeof path, "keys-no-accountant.txt");
    f = fopen(path, "w");
    cr_assert(f);
    fprintf(f, "alpha %s\nbeta %s\n", hex[K_ALPHA], hex[K_BETA]);
    fclose(f);
    snprintf(extra, sizeof extra, "--keys '%s'", path);
    EXPECT_FAILS("all.glar", extra, "event", "not among the trusted keys (--keys)");
    /* alpha's key trusted, but for beta only */
    path_of(path, sizeof path, "keys-wrong-tenant.txt");
    f = fopen(path, "w");
    cr_assert(f);
    fprintf(f, "beta %s\nbeta %s\naccountant %s\n", hex[K_ALPHA], hex[K_BETA], hex[K_ACCOUNTANT]);
    fclose(f);
    snprintf(extra, sizeof extra, "--keys '%s'", path);
    char want[64];
    snprintf(want, sizeof want, "(entry 2024/%u)", n.batch[0]);
    EXPECT_FAILS("all.glar", extra, want,
                 "trusted (--keys) only as a member key of beta, not valid for alpha");
    /* a malformed keys file is a usage error */
    path_of(path, sizeof path, "keys-bad.txt");
    f = fopen(path, "w");
    cr_assert(f);
    fprintf(f, "alpha 1234\n");
    fclose(f);
    snprintf(extra, sizeof extra, "--keys '%s'", path);
    cr_assert_eq(verify_cli("all.glar", extra, out, sizeof out), 2);

    /* one tenant archived by the auditor: verifies on its own */
    path_of(path, sizeof path, "alpha.glar");
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "archive --tenant alpha -o '%s'", path), 0, "%s",
                 cli_err());
    rc = verify_cli("alpha.glar", NULL, out, sizeof out);
    cr_assert_eq(rc, 0, "verify exited %d:\n%s\n%s", rc, out, cli_err());
    cr_assert(strstr(out, "verified: 1 tenants"), "%s", out);

    /* a member archives its own tenant: the daemon withholds the keyring and
     * the accountant's requests, and the archive says so; verify fails */
    path_of(path, sizeof path, "member.glar");
    cr_assert_eq(h_cli(&h, K_ALPHA, NULL, 0, "archive --tenant alpha -o '%s'", path), 0, "%s",
                 cli_err());
    cr_assert(strstr(cli_err(), "withheld"), "%s", cli_err());
    EXPECT_FAILS("member.glar", NULL, "alpha: event 1", "is not in the archive");
    cr_assert_eq(h_cli(&h, K_BETA, NULL, 0, "archive --tenant alpha -o '%s/x.glar'", h.dir), 2);
    /* no daemon is needed to verify */
    h_stop(&h);
    rc = verify_cli("all.glar", NULL, out, sizeof out);
    cr_assert_eq(rc, 0, "verify exited %d:\n%s\n%s", rc, out, cli_err());
    h_start(&h);
}
