/*
 * tests/unit/test_verify.c — client/verify: the archive format (round trip,
 * canonical bytes, the reader refusing every truncation, garbage, trailing
 * bytes and broken ordering rules, the digest) and the verifier on a small
 * ledger built here by hand with real Ed25519 signatures and real hash
 * chains (proto/): tenant alpha, a member key and the accountant's, an
 * account opening request, two posts, a lock, the close of 2024 (result
 * entry, à-nouveaux, close event) as the daemon writes them, a lettering
 * and its removal.  The good
 * ledger verifies; each variant breaks one thing, with the chain's hashes
 * recomputed around it, and must be reported as that problem, located.
 *
 * With GL_WRITE_SEEDS=DIR set, the `archive_seeds` test writes the fuzz
 * seeds of tests/fuzz/corpus/fuzz_archive/ into DIR (how they were made).
 */
#include "client/verify/archive.h"
#include "client/verify/verify.h"
#include "proto/chain.h"
#include "proto/date.h"
#include "proto/entry.h"
#include "proto/query.h"
#include "proto/request.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <sodium.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void init(void) { cr_assert_geq(sodium_init(), 0); }

TestSuite(archive, .init = init);
TestSuite(verify_offline, .init = init);

/* ------------------------------------------------------------------ */
/* A small ledger, built as the daemon builds it                       */
/* ------------------------------------------------------------------ */

enum variant {
    GOOD,
    RESIGNED_BY_BETA,   /* alpha's post signed by beta's member key */
    KEY_EXPIRED,        /* alpha's key valid only until before its post */
    AUDITOR_WRITES,     /* the accountant's lock signed by the auditor */
    WRONG_RESULT,       /* the result entry moves 10.00 too few */
    NUMBER_GAP,         /* the second entry numbered 3 */
    UNBALANCED,         /* alpha signs an unbalanced entry */
    LOCKED_PERIOD,      /* an entry dated in a locked period, after the lock */
    NOT_OPENED,         /* an entry on an account never opened */
    ALTERED_ENTRY,      /* the entry in the chain differs from the signed one */
    ENTRY_DROPPED,      /* the second entry of a post left out of the chain */
    BALANCE_ALTERED,    /* the stored trial balance differs */
    HEAD_AHEAD,         /* the head names an event the archive lacks */
    LETTER_WRONG,       /* a lettering of lines on two accounts */
    LOCK_AHEAD,         /* a lock beyond the month (French time) it was recorded in */
    HISTORY_V1,         /* every request version 1 (entries in layout 1), archive of format 2 */
    MIXED,              /* chart and posts in version 1, lock, close and lettering in version 2 */
    ARCHIVE_V1,         /* all version 1, in an archive of format 1 (no ledger id) */
    OTHER_LEDGER,       /* version 2 requests signed for another ledger than the archive's */
    ARCHIVE_V1_WITH_V2, /* version 2 requests in an archive of format 1 */
    LAYOUT_SWAPPED,     /* a version 2 post whose entry the chain holds in layout 1 */
    LOCK_AHEAD_V1,      /* LOCK_AHEAD by a version 1 request (chart, posts and lock in version 1) */
    BIDI_V1,            /* RIGHT-TO-LEFT OVERRIDEs in an account label and a post, all version 1 */
    BIDI_V2,            /* a RIGHT-TO-LEFT OVERRIDE in the label of a version 2 post */
};

#define RLO "\xe2\x80\xae" /* U+202E RIGHT-TO-LEFT OVERRIDE */

/* The ledger id of the archive, and another ledger's. */
static const uint8_t LEDGER[GL_LEDGER_ID_BYTES] = {0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8,
                                                   0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf, 0xb0};
static const uint8_t OTHER[GL_LEDGER_ID_BYTES] = {0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8,
                                                  0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf, 0xb1};

#define T0 1740000000000LL /* recorded time of every event: 2025-02-19 22:20 in France */
#define MAX_EVENTS 32
#define MAX_ENVELOPES 16

typedef struct mini {
    uint8_t pk[4][32], sk[4][64]; /* alpha member, accountant, beta member, auditor */
    gl_buf env[MAX_ENVELOPES];
    size_t env_n;
    gl_buf rec[MAX_EVENTS];
    size_t rec_n;
    uint8_t prev[GL_HASH_BYTES];
    gl_buf keyrec[4];
    gl_archive_key keys[4];
    gl_archive_event events[MAX_EVENTS];
    gl_archive_envelope envelopes[MAX_ENVELOPES];
    gl_archive_tenant tenants[2];
    gl_archive_balance balances[2];
    gl_archive_row rows[2][8];
    gl_archive a;
    size_t v1_until;       /* envelopes 1..v1_until are version 1 requests (history) */
    const uint8_t *ledger; /* what version 2 requests are signed for */
    bool layout_swapped;   /* LAYOUT_SWAPPED */
} mini;

/* The entry layout of envelope env's request. */
static int layout_of(const mini *m, uint64_t env)
{
    return env <= m->v1_until ? GL_LAYOUT_1 : GL_LAYOUT_2;
}

enum { K_ALPHA, K_ACCT, K_BETA, K_AUDIT };

static uint64_t request(mini *m, uint16_t kind, int key, const char *tenant, const gl_buf *body)
{
    cr_assert(m->env_n < MAX_ENVELOPES);
    gl_buf *b = &m->env[m->env_n++];
    gl_buf_init(b);
    if (layout_of(m, m->env_n) == GL_LAYOUT_1)
        cr_assert_eq(gl_request_encode_v1(b, kind, m->sk[key], tenant, 1000 + m->env_n, T0 - 5,
                                          body->data, body->len),
                     GL_OK);
    else
        cr_assert_eq(gl_request_encode(b, kind, m->ledger, m->sk[key], tenant, 1000 + m->env_n,
                                       T0 - 5, body->data, body->len),
                     GL_OK);
    return m->env_n; /* envelope numbers 1, 2, 3 ... */
}

static void event(mini *m, uint16_t type, uint64_t envelope, uint32_t item, int key,
                  const gl_buf *payload)
{
    cr_assert(m->rec_n < MAX_EVENTS);
    gl_buf body;
    gl_buf_init(&body);
    gl_event_head head = {envelope, item, m->pk[key], 1000 + envelope, T0};
    gl_event_head_encode(&body, &head);
    gl_put_bytes(&body, payload->data, payload->len);
    gl_buf *r = &m->rec[m->rec_n++];
    gl_buf_init(r);
    gl_event_encode(r, "alpha", 5, m->rec_n, m->prev, type, body.data, (uint32_t)body.len);
    cr_assert(gl_buf_ok(r) && gl_buf_ok(&body));
    memcpy(m->prev, r->data + r->len - GL_HASH_BYTES, GL_HASH_BYTES);
    gl_buf_free(&body);
}

static gl_entry_in entry2(uint32_t date, const char *debit, const char *credit, int64_t cents,
                          gl_line_in l[2])
{
    l[0] = (gl_line_in){debit, "", "", "", GL_SIDE_DEBIT, cents};
    l[1] = (gl_line_in){credit, "", "", "", GL_SIDE_CREDIT, cents};
    return (gl_entry_in){.tenant = "alpha",
                         .journal = "OD",
                         .piece_ref = "P",
                         .label = "test",
                         .date = date,
                         .piece_date = date,
                         .line_count = 2,
                         .lines = l};
}

/* A POST of entries by key; events for those in `in_chain` (NULL: all),
 * numbered from nums[]. */
static void post(mini *m, int key, const gl_entry_in *e, size_t n, const uint32_t *nums,
                 const bool *in_chain, const gl_entry_in *as_stored)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_put_u32(&body, (uint32_t)n);
    int layout = layout_of(m, m->env_n + 1);
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(gl_entry_encode_layout(&body, &e[i], layout), GL_OK);
    uint64_t env = request(m, GL_KIND_POST, key, "", &body);
    if (m->layout_swapped) { /* what a version 1 request would have written */
        layout = GL_LAYOUT_1;
        m->layout_swapped = false;
    }
    for (size_t i = 0; i < n; i++) {
        if (in_chain && !in_chain[i])
            continue;
        gl_buf p;
        gl_buf_init(&p);
        gl_put_u16(&p, 2024);
        gl_put_u32(&p, nums[i]);
        cr_assert_eq(gl_entry_encode_layout(&p, as_stored ? &as_stored[i] : &e[i], layout), GL_OK);
        event(m, gl_event_entry_type(layout), env, (uint32_t)i + 1, key, &p);
        gl_buf_free(&p);
    }
    gl_buf_free(&body);
}

static void keyring(mini *m, int i, int key, int64_t until, uint8_t role, const char *tenant,
                    const char *name)
{
    gl_buf *b = &m->keyrec[i];
    gl_buf_init(b);
    gl_put_u8(b, 1);
    gl_put_i64(b, until);
    gl_put_u8(b, until ? 1 : 0);
    gl_put_u8(b, role);
    gl_put_str8(b, tenant, strlen(tenant));
    gl_put_str8(b, name, strlen(name));
    m->keys[i] = (gl_archive_key){.signer = m->pk[key],
                                  .since_ms = T0 - 86400000,
                                  .record = b->data,
                                  .record_len = (uint16_t)b->len};
    cr_assert_eq(gl_archive_key_decode(b->data, b->len, &m->keys[i]), GL_OK);
}

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

static void build(mini *m, enum variant v)
{
    memset(m, 0, sizeof *m);
    m->ledger = v == OTHER_LEDGER ? OTHER : LEDGER;
    m->v1_until = v == HISTORY_V1 || v == ARCHIVE_V1 || v == BIDI_V1 ? MAX_ENVELOPES
                  : v == MIXED                                       ? 3
                  : v == LOCK_AHEAD_V1 ? 4 /* the lock is envelope 4 */
                                       : 0;
    m->layout_swapped = v == LAYOUT_SWAPPED;
    for (int k = 0; k < 4; k++) {
        uint8_t seed[32];
        memset(seed, k + 1, sizeof seed);
        crypto_sign_seed_keypair(m->pk[k], m->sk[k], seed);
    }
    /* 1. the accountant opens the chart */
    static const char *const chart[] = {"102000", "120000", "129000", "512000", "606100", "706000"};
    const char *label = v == BIDI_V1 ? "Compte " RLO "etsop" : "Compte";
    gl_buf body, p;
    gl_buf_init(&body);
    gl_put_u8(&body, GL_OPEN_STRICT);
    gl_put_u32(&body, 6);
    for (int i = 0; i < 6; i++) {
        gl_put_str8(&body, chart[i], 6);
        gl_put_str8(&body, label, strlen(label));
    }
    uint64_t env = request(m, GL_KIND_ACCOUNTS_OPEN, K_ACCT, "alpha", &body);
    for (int i = 0; i < 6; i++) {
        gl_buf_init(&p);
        gl_put_str8(&p, chart[i], 6);
        gl_put_str8(&p, label, strlen(label));
        event(m, GL_EVENT_ACCOUNT_OPEN, env, (uint32_t)i + 1, K_ACCT, &p);
        gl_buf_free(&p);
    }
    gl_buf_free(&body);

    /* 2. alpha posts two entries; 3. the accountant a third */
    gl_line_in l1[2], l2[2], l3[2], l4[2];
    gl_entry_in e[2] = {entry2(20240110, "512000", "102000", 100000, l1),
                        entry2(20240201, "606100", "512000", 20000, l2)};
    if (v == UNBALANCED)
        l2[1].amount_cents = 19999;
    if (v == NOT_OPENED)
        l2[0].account = "606200";
    if (v == BIDI_V1 || v == BIDI_V2) { /* RLO "00.0001 uçeR" prints as "Reçu 1000.00" */
        e[0].label = RLO
            "00.0001 u\xc3\xa7"
            "eR";
        l1[0].label = "Banque " RLO "ksid";
    }
    uint32_t nums[2] = {1, v == NUMBER_GAP ? 3 : 2};
    bool chain[2] = {true, v != ENTRY_DROPPED};
    gl_line_in s2[2];
    gl_entry_in stored[2] = {e[0], entry2(20240201, "606100", "512000", 20000, s2)};
    if (v == ALTERED_ENTRY)
        s2[0].amount_cents = s2[1].amount_cents = 21000;
    post(m, v == RESIGNED_BY_BETA ? K_BETA : K_ALPHA, e, 2, nums, chain,
         v == ALTERED_ENTRY ? stored : NULL);
    uint32_t next = v == ENTRY_DROPPED ? 2 : v == NUMBER_GAP ? 4 : 3;
    gl_entry_in e3 = entry2(20240301, "512000", "706000", 30000, l3);
    post(m, K_ACCT, &e3, 1, &next, NULL, NULL);
    next++;

    /* 4. lock through 2024-12 */
    gl_buf_init(&body);
    gl_lock_q lq = {v == LOCK_AHEAD || v == LOCK_AHEAD_V1 ? 202503 : 202412, GL_LOCK_THROUGH};
    gl_lock_q_encode(&body, &lq);
    env = request(m, GL_KIND_LOCK, v == AUDITOR_WRITES ? K_AUDIT : K_ACCT, "alpha", &body);
    gl_buf_init(&p);
    gl_put_u32(&p, 0);
    gl_put_u32(&p, lq.through_ym);
    event(m, GL_EVENT_LOCK, env, 1, v == AUDITOR_WRITES ? K_AUDIT : K_ACCT, &p);
    gl_buf_free(&p);
    gl_buf_free(&body);
    if (v == LOCKED_PERIOD) {
        gl_entry_in late = entry2(20240615, "606100", "512000", 100, l4);
        post(m, K_ACCT, &late, 1, &next, NULL, NULL);
        next++;
    }

    /* 5. close 2024: the result entry, the à-nouveaux of 2025, the close */
    int64_t charges = v == ENTRY_DROPPED ? 0 : 20000, produits = 30000;
    if (v == LOCKED_PERIOD)
        charges += 100;
    int64_t result = produits - charges;
    gl_buf_init(&body);
    gl_close_q cq = {2024};
    gl_close_q_encode(&body, &cq);
    env = request(m, GL_KIND_CLOSE_YEAR, K_ACCT, "alpha", &body);
    gl_buf_free(&body);
    gl_line_in rl[3];
    size_t rn = 0;
    if (charges)
        rl[rn++] = (gl_line_in){
            "606100", "", "", "", GL_SIDE_CREDIT, v == WRONG_RESULT ? charges - 1000 : charges};
    rl[rn++] = (gl_line_in){"706000", "", "", "", GL_SIDE_DEBIT, produits};
    rl[rn++] = (gl_line_in){
        "120000", "", "", "", GL_SIDE_CREDIT, v == WRONG_RESULT ? result + 1000 : result};
    gl_entry_in re = {.tenant = "alpha",
                      .journal = "CL",
                      .piece_ref = "CLOTURE-2024",
                      .label = "Détermination du résultat 2024",
                      .date = 20241231,
                      .piece_date = 20241231,
                      .flags = GL_ENTRY_RESULT_CLOSING,
                      .line_count = rn,
                      .lines = rl};
    uint32_t result_num = next;
    int close_layout =
        layout_of(m, env); /* the daemon writes a close's entries in its request's layout */
    gl_buf_init(&p);
    gl_put_u16(&p, 2024);
    gl_put_u32(&p, result_num);
    cr_assert_eq(gl_entry_encode_layout(&p, &re, close_layout), GL_OK);
    event(m, gl_event_entry_type(close_layout), env, 1, K_ACCT, &p);
    gl_buf_free(&p);
    int64_t bank = 100000 - charges + produits;
    gl_line_in ol[3] = {
        {"102000", "", "", "", GL_SIDE_CREDIT, 100000},
        {"120000", "", "", "", GL_SIDE_CREDIT, v == WRONG_RESULT ? result + 1000 : result},
        {"512000", "", "", "", GL_SIDE_DEBIT, bank}};
    if (v == WRONG_RESULT)
        ol[0].amount_cents -= 1000; /* an opening that balances, with the wrong result */
    gl_entry_in oe = {.tenant = "alpha",
                      .journal = "AN",
                      .piece_ref = "AN-2025",
                      .label = "À-nouveaux 2025",
                      .date = 20250101,
                      .piece_date = 20250101,
                      .flags = GL_ENTRY_OPENING,
                      .line_count = 3,
                      .lines = ol};
    gl_buf_init(&p);
    gl_put_u16(&p, 2025);
    gl_put_u32(&p, 1);
    cr_assert_eq(gl_entry_encode_layout(&p, &oe, close_layout), GL_OK);
    event(m, gl_event_entry_type(close_layout), env, 2, K_ACCT, &p);
    gl_buf_free(&p);
    gl_buf_init(&p);
    gl_put_u16(&p, 2024);
    gl_put_u16(&p, 2024);
    gl_put_u32(&p, result_num);
    gl_put_u16(&p, 2025);
    gl_put_u32(&p, 1);
    gl_put_i64(&p, result);
    event(m, GL_EVENT_CLOSE, env, 3, K_ACCT, &p);
    gl_buf_free(&p);

    /* 6. alpha letters 606100: the supplies and the result entry's line;
     * then removes that lettering */
    gl_line_ref refs[2] = {{2024, 2, 1}, {2024, result_num, 1}};
    if (v == LETTER_WRONG)
        refs[1] = (gl_line_ref){2024, 3, 1};
    gl_buf_init(&body);
    gl_letter_q_encode(&body, S("606100"), S(""), refs, 2);
    env = request(m, GL_KIND_LETTER, K_ALPHA, "alpha", &body);
    gl_buf_init(&p);
    gl_put_str8(&p, "606100", 6);
    gl_put_str8(&p, "", 0);
    gl_put_str8(&p, "A", 1);
    gl_put_u32(&p, gl_date_paris(T0));
    gl_put_u16(&p, 2);
    gl_put_bytes(&p, body.data + 1 + 6 + 1 + 2, 16); /* the request's refs */
    event(m, GL_EVENT_LETTER, env, 1, K_ALPHA, &p);
    gl_buf_free(&p);
    gl_buf_free(&body);
    gl_buf_init(&body);
    gl_unletter_q uq = {S("606100"), S("A")};
    gl_unletter_q_encode(&body, &uq);
    env = request(m, GL_KIND_UNLETTER, K_ALPHA, "alpha", &body);
    gl_buf_init(&p);
    gl_put_str8(&p, "606100", 6);
    gl_put_str8(&p, "A", 1);
    event(m, GL_EVENT_UNLETTER, env, 1, K_ALPHA, &p);
    gl_buf_free(&p);
    gl_buf_free(&body);

    /* the keyring: alpha's member key, the accountant, beta's member key, the auditor */
    keyring(m, 0, K_ALPHA, v == KEY_EXPIRED ? T0 - 1000 : 0, GL_KEY_ROLE_MEMBER, "alpha",
            "alpha-treasurer");
    keyring(m, 1, K_ACCT, 0, GL_KEY_ROLE_ACCOUNTANT, "", "accountant");
    keyring(m, 2, K_BETA, 0, GL_KEY_ROLE_MEMBER, "beta", "beta-treasurer");
    keyring(m, 3, K_AUDIT, 0, GL_KEY_ROLE_AUDITOR, "", "auditor");
    /* sorted by public key, as the daemon's keyring is */
    for (int i = 1; i < 4; i++)
        for (int j = i; j > 0 && memcmp(m->keys[j - 1].signer, m->keys[j].signer, 32) > 0; j--) {
            gl_archive_key t = m->keys[j];
            m->keys[j] = m->keys[j - 1];
            m->keys[j - 1] = t;
        }

    /* the trial balances the daemon would give */
    gl_archive_row *r24 = m->rows[0], *r25 = m->rows[1];
    size_t n24 = 0;
    r24[n24++] = (gl_archive_row){S("102000"), 0, 100000};
    r24[n24++] = (gl_archive_row){S("120000"), 0, result};
    r24[n24++] = (gl_archive_row){S("512000"), 130000, charges};
    if (charges)
        r24[n24++] = (gl_archive_row){S("606100"), charges, charges};
    r24[n24++] = (gl_archive_row){S("706000"), produits, produits};
    if (v == BALANCE_ALTERED)
        r24[2].debit_cents += 1;
    r25[0] = (gl_archive_row){S("102000"), 0, 100000};
    r25[1] = (gl_archive_row){S("120000"), 0, result};
    r25[2] = (gl_archive_row){S("512000"), bank, 0};
    m->balances[0] = (gl_archive_balance){2024, 20241231, r24, (uint32_t)n24};
    m->balances[1] = (gl_archive_balance){2025, 20251231, r25, 3};

    for (size_t i = 0; i < m->rec_n; i++)
        m->events[i] = (gl_archive_event){i + 1, m->rec[i].data, (uint32_t)m->rec[i].len};
    for (size_t i = 0; i < m->env_n; i++)
        m->envelopes[i] = (gl_archive_envelope){i + 1, m->env[i].data, (uint32_t)m->env[i].len};
    gl_archive_tenant *t = &m->tenants[0];
    *t = (gl_archive_tenant){.id = S("alpha"),
                             .name = S("Alpha"),
                             .siren = S("111111111"),
                             .first_month = 1,
                             .code = S("ALPHA"),
                             .has_chain = true,
                             .head_seq = m->rec_n + (v == HEAD_AHEAD),
                             .events = m->events,
                             .event_count = (uint32_t)m->rec_n,
                             .balances = m->balances,
                             .balance_count = 2};
    memcpy(t->head_hash, m->prev, GL_HASH_BYTES);
    m->tenants[1] = (gl_archive_tenant){.id = S("beta"),
                                        .name = S("Beta"),
                                        .siren = S("222222222"),
                                        .first_month = 7,
                                        .code = S("BETA")};
    m->a = (gl_archive){.created_ms = T0 + 1000,
                        .umbrella = S("alpha"),
                        .tenants = m->tenants,
                        .tenant_count = 2,
                        .envelopes = m->envelopes,
                        .envelope_count = (uint32_t)m->env_n,
                        .keys = m->keys,
                        .key_count = 4,
                        .digest_ok = true,
                        .has_ledger_id = v != ARCHIVE_V1 && v != ARCHIVE_V1_WITH_V2};
    memcpy(m->a.ledger_id, LEDGER, GL_LEDGER_ID_BYTES);
}

static void unbuild(mini *m)
{
    for (size_t i = 0; i < m->env_n; i++)
        gl_buf_free(&m->env[i]);
    for (size_t i = 0; i < m->rec_n; i++)
        gl_buf_free(&m->rec[i]);
    for (int i = 0; i < 4; i++)
        gl_buf_free(&m->keyrec[i]);
}

static void encode(const gl_archive *a, gl_buf *out)
{
    char err[256];
    gl_buf_init(out);
    cr_assert_eq(gl_archive_encode(out, a, err, sizeof err), GL_OK, "%s", err);
}

/* ------------------------------------------------------------------ */
/* The archive format                                                  */
/* ------------------------------------------------------------------ */

Test(archive, round_trip_is_exact_and_canonical)
{
    mini m;
    build(&m, GOOD);
    gl_buf b1, b2;
    encode(&m.a, &b1);
    cr_assert(!memcmp(b1.data, GL_ARCHIVE_MAGIC, 8));
    gl_archive r;
    char err[256];
    cr_assert_eq(gl_archive_read(b1.data, b1.len, &r, err, sizeof err), GL_OK, "%s", err);
    cr_assert(r.digest_ok);
    cr_assert_eq(r.created_ms, m.a.created_ms);
    cr_assert(gl_str_eq(r.umbrella, "alpha"));
    cr_assert_eq(r.tenant_count, 2);
    cr_assert(gl_str_eq(r.tenants[0].id, "alpha") && gl_str_eq(r.tenants[1].name, "Beta"));
    cr_assert(r.tenants[0].has_chain && !r.tenants[1].has_chain);
    cr_assert_eq(r.tenants[1].first_month, 7);
    cr_assert_eq(r.tenants[0].event_count, m.rec_n);
    for (size_t i = 0; i < m.rec_n; i++) {
        cr_assert_eq(r.tenants[0].events[i].seq, i + 1);
        cr_assert_eq(r.tenants[0].events[i].record_len, m.rec[i].len);
        cr_assert(!memcmp(r.tenants[0].events[i].record, m.rec[i].data, m.rec[i].len));
    }
    cr_assert(!memcmp(r.tenants[0].head_hash, m.prev, GL_HASH_BYTES));
    cr_assert_eq(r.tenants[0].balance_count, 2);
    cr_assert_eq(r.tenants[0].balances[0].rows[2].debit_cents, 130000);
    cr_assert_eq(r.envelope_count, m.env_n);
    cr_assert_eq(r.key_count, 4);
    const gl_archive_key *k = NULL;
    for (uint32_t i = 0; i < r.key_count; i++)
        if (!memcmp(r.keys[i].signer, m.pk[K_BETA], 32))
            k = &r.keys[i];
    cr_assert(k && k->role == GL_KEY_ROLE_MEMBER && gl_str_eq(k->tenant, "beta") &&
              k->until_ms == 0);
    cr_assert_eq(gl_archive_envelope_find(&r, 3)->len, m.env[2].len);
    cr_assert_null(gl_archive_envelope_find(&r, 99));
    /* what was read encodes to the same bytes */
    encode(&r, &b2);
    cr_assert_eq(b1.len, b2.len);
    cr_assert(!memcmp(b1.data, b2.data, b1.len));
    gl_archive_free(&r);
    gl_archive_free(&r); /* safe twice */
    gl_buf_free(&b1);
    gl_buf_free(&b2);
    unbuild(&m);
}

Test(archive, every_truncation_and_extension_is_refused)
{
    mini m;
    build(&m, GOOD);
    gl_buf b;
    encode(&m.a, &b);
    char err[256];
    gl_archive r;
    for (size_t len = 0; len < b.len; len++) {
        uint8_t *copy = malloc(len ? len : 1); /* exactly len bytes: ASan sees any over-read */
        cr_assert(copy);
        memcpy(copy, b.data, len);
        cr_assert_neq(gl_archive_read(copy, len, &r, err, sizeof err), GL_OK,
                      "a prefix of %zu bytes was read", len);
        cr_assert(err[0], "no message for %zu bytes", len);
        free(copy);
    }
    gl_buf longer;
    gl_buf_init(&longer);
    gl_put_bytes(&longer, b.data, b.len);
    gl_put_u8(&longer, 0);
    cr_assert_neq(gl_archive_read(longer.data, longer.len, &r, err, sizeof err), GL_OK);
    cr_assert(strstr(err, "bytes after the keyring") || strstr(err, "at byte"), "%s", err);
    gl_buf_free(&longer);
    gl_buf_free(&b);
    unbuild(&m);
}

Test(archive, garbage_and_broken_rules_are_refused)
{
    char err[256];
    gl_archive r;
    uint8_t junk[4096];
    for (int round = 0; round < 200; round++) {
        randombytes_buf(junk, sizeof junk);
        size_t len = randombytes_uniform(sizeof junk);
        if (round % 2)
            memcpy(junk, GL_ARCHIVE_MAGIC, 8); /* past the magic, still garbage */
        if (gl_archive_read(junk, len, &r, err, sizeof err) == GL_OK)
            gl_archive_free(&r); /* possible in theory; never a crash */
    }
    cr_assert_neq(gl_archive_read((const uint8_t *)"GLARCHV2", 8, &r, err, sizeof err), GL_OK);
    mini m;
    build(&m, GOOD);
    gl_buf b;
    encode(&m.a, &b);
    /* another version */
    b.data[9] = 3;
    cr_assert_neq(gl_archive_read(b.data, b.len, &r, err, sizeof err), GL_OK);
    cr_assert(strstr(err, "version"), "%s", err);
    b.data[9] = 2;
    /* a count far beyond the bytes left: refused before any allocation */
    size_t off = 8 + 2 + 2 + 8 + GL_LEDGER_ID_BYTES + 1 + 5; /* the tenant count */
    cr_assert_eq(gl_rd16(b.data + off), 2);
    gl_be16(b.data + off, 0xffff);
    cr_assert_neq(gl_archive_read(b.data, b.len, &r, err, sizeof err), GL_OK);
    gl_be16(b.data + off, 2);
    /* a byte changed where the structure does not notice: the digest does */
    b.data[12] ^= 0x01; /* created_ms */
    cr_assert_eq(gl_archive_read(b.data, b.len, &r, err, sizeof err), GL_OK, "%s", err);
    cr_assert_not(r.digest_ok);
    gl_verify_result v;
    cr_assert_eq(gl_verify(&r, NULL, &v), GL_OK);
    cr_assert_eq(v.problem, GL_VP_ARCHIVE, "%s", v.message);
    cr_assert(strstr(v.message, "digest"), "%s", v.message);
    gl_verify_result_free(&v);
    gl_archive_free(&r);
    gl_buf_free(&b);

    /* the encoder keeps the rules: envelopes in order, tenants in order */
    gl_archive_envelope e = m.envelopes[0];
    m.envelopes[0] = m.envelopes[1];
    m.envelopes[1] = e;
    gl_buf_init(&b);
    cr_assert_eq(gl_archive_encode(&b, &m.a, err, sizeof err), GL_ERR_INPUT);
    cr_assert(strstr(err, "envelope"), "%s", err);
    m.envelopes[1] = m.envelopes[0];
    m.envelopes[0] = e;
    gl_archive_tenant t = m.tenants[0];
    m.tenants[0] = m.tenants[1];
    m.tenants[1] = t;
    cr_assert_eq(gl_archive_encode(&b, &m.a, err, sizeof err), GL_ERR_INPUT);
    m.tenants[1] = m.tenants[0];
    m.tenants[0] = t;
    m.tenants[1].first_month = 13;
    cr_assert_eq(gl_archive_encode(&b, &m.a, err, sizeof err), GL_ERR_INPUT);
    gl_buf_free(&b);
    unbuild(&m);
}

/* Seeds for tests/fuzz/corpus/fuzz_archive (written only when asked). */
Test(archive, seeds)
{
    const char *dir = getenv("GL_WRITE_SEEDS");
    if (!dir)
        return;
    static const struct {
        enum variant v;
        const char *name;
    } seeds[] = {{GOOD, "valid_small_ledger"},         {WRONG_RESULT, "valid_wrong_result"},
                 {RESIGNED_BY_BETA, "valid_resigned"}, {ENTRY_DROPPED, "valid_entry_dropped"},
                 {MIXED, "valid_mixed_history"},       {ARCHIVE_V1, "valid_format1_history"}};
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        mini m;
        build(&m, seeds[i].v);
        gl_buf b;
        encode(&m.a, &b);
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, seeds[i].name);
        FILE *f = fopen(path, "wb");
        cr_assert(f);
        fwrite(b.data, 1, b.len, f);
        fclose(f);
        if (i == 0) {
            snprintf(path, sizeof path, "%s/invalid_truncated", dir);
            f = fopen(path, "wb");
            cr_assert(f);
            fwrite(b.data, 1, b.len / 2, f);
            fclose(f);
        }
        gl_buf_free(&b);
        unbuild(&m);
    }
}

/* ------------------------------------------------------------------ */
/* Verification                                                        */
/* ------------------------------------------------------------------ */

static gl_verify_result run(enum variant v, const gl_verify_opts *o)
{
    mini m;
    build(&m, v);
    /* through the file format, as the command does */
    gl_buf b;
    encode(&m.a, &b);
    gl_archive a;
    char err[256];
    cr_assert_eq(gl_archive_read(b.data, b.len, &a, err, sizeof err), GL_OK, "%s", err);
    gl_verify_result r;
    cr_assert_eq(gl_verify(&a, o, &r), GL_OK);
    gl_archive_free(&a);
    gl_buf_free(&b);
    unbuild(&m);
    return r;
}

Test(verify_offline, the_good_ledger_verifies)
{
    gl_verify_result r = run(GOOD, NULL);
    cr_assert_eq(r.problem, GL_VP_NONE, "%s", r.message);
    cr_assert_eq(r.tenant_count, 1);
    cr_assert_eq(r.events, 15);
    cr_assert_eq(r.entries, 5);
    cr_assert_eq(r.signers, 2);
    cr_assert_not(r.trusted_keys);
    const gl_verify_tenant *t = &r.tenants[0];
    cr_assert_str_eq(t->id, "alpha");
    cr_assert_eq(t->locked_through, 202412);
    cr_assert_eq(t->year_count, 2);
    cr_assert_eq(t->years[0].fy, 2024);
    cr_assert_eq(t->years[0].entries, 4);
    cr_assert(t->years[0].closed);
    cr_assert_eq(t->years[0].result_cents, 10000);
    cr_assert_eq(t->years[0].debit_cents, t->years[0].credit_cents);
    cr_assert_eq(t->years[1].fy, 2025);
    cr_assert_eq(t->years[1].debit_cents, 110000);
    gl_verify_result_free(&r);
}

Test(verify_offline, each_fault_is_found_and_located)
{
    static const struct {
        enum variant v;
        int problem;
        uint64_t seq; /* 0: not checked */
        uint16_t fy;
        uint32_t num;
        const char *words;
    } cases[] = {
        {RESIGNED_BY_BETA, GL_VP_KEY, 7, 2024, 1, "a member key of beta, not valid for alpha"},
        {KEY_EXPIRED, GL_VP_KEY, 7, 2024, 1, "which was not valid at"},
        {AUDITOR_WRITES, GL_VP_KEY, 10, 0, 0, "an auditor's key, which may never write"},
        {WRONG_RESULT, GL_VP_CLOSING, 11, 2024, 4, "the result entry does not zero"},
        {NUMBER_GAP, GL_VP_NUMBERING, 8, 2024, 3, "entry 2024/2 is missing here"},
        {UNBALANCED, GL_VP_UNBALANCED, 8, 2024, 2, "debits 200.00, credits 199.99"},
        {LOCKED_PERIOD, GL_VP_RULE, 11, 2024, 4, "locked"},
        {NOT_OPENED, GL_VP_RULE, 8, 2024, 2, "account 606200 was not opened"},
        {ALTERED_ENTRY, GL_VP_REQUEST, 8, 2024, 2, "not the entry its signed request holds"},
        {ENTRY_DROPPED, GL_VP_REQUEST, 7, 2024, 1,
         "posts entry 2 to alpha, which is not in the chain"},
        {BALANCE_ALTERED, GL_VP_TRIAL_BALANCE, 0, 0, 0, "trial balance 2024, account 512000"},
        {HEAD_AHEAD, GL_VP_HEAD, 0, 0, 0, "events are missing at the end"},
        {LETTER_WRONG, GL_VP_RULE, 14, 0, 0, "letters line 2024/3:1, which is on account 512000"},
        {LOCK_AHEAD, GL_VP_RULE, 10, 0, 0, "beyond 2025-02, the month it was recorded in"},
        {OTHER_LEDGER, GL_VP_ENVELOPE, 1, 0, 0, "a request made for another ledger"},
        {ARCHIVE_V1_WITH_V2, GL_VP_ENVELOPE, 1, 0, 0, "names no ledger to check it against"},
        {LAYOUT_SWAPPED, GL_VP_REQUEST, 7, 2024, 1,
         "an entry in layout 1 cannot come from a version 2 request"},
        {BIDI_V2, GL_VP_REQUEST, 7, 2024, 1, "does not decode (entry 1: string_invalid)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gl_verify_result r = run(cases[i].v, NULL);
        cr_assert_eq(r.problem, cases[i].problem, "case %zu: %s (%s)", i,
                     gl_verify_problem_name(r.problem), r.message);
        cr_assert(strstr(r.message, cases[i].words), "case %zu: '%s' not in '%s'", i,
                  cases[i].words, r.message);
        cr_assert(!strncmp(r.message, "alpha: ", 7), "case %zu: %s", i, r.message);
        cr_assert_str_eq(r.tenant, "alpha");
        if (cases[i].seq)
            cr_assert_eq(r.seq, cases[i].seq, "case %zu: %s", i, r.message);
        if (cases[i].fy) {
            cr_assert(r.fy == cases[i].fy && r.num == cases[i].num, "case %zu: %s", i, r.message);
            char entry[32];
            snprintf(entry, sizeof entry, "(entry %u/%u)", cases[i].fy, cases[i].num);
            cr_assert(strstr(r.message, entry), "case %zu: %s", i, r.message);
        }
        gl_verify_result_free(&r);
    }
}

/* History written before protocol version 2 stays verifiable for ever:
 * version 1 requests under version 1 rules (their tag, no ledger id,
 * layout 1 entries), alone or followed by version 2 requests in the same
 * chains, in archives of either format. */
Test(verify_offline, version_1_history_and_mixed_chains_verify)
{
    static const enum variant ok[] = {HISTORY_V1, MIXED, ARCHIVE_V1};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        gl_verify_result r = run(ok[i], NULL);
        cr_assert_eq(r.problem, GL_VP_NONE, "variant %d: %s", ok[i], r.message);
        cr_assert_eq(r.events, 15);
        cr_assert_eq(r.entries, 5);
        cr_assert_eq(r.tenants[0].years[0].result_cents, 10000);
        gl_verify_result_free(&r);
    }
    /* a version 1 entry altered is still caught as such */
    mini m;
    build(&m, MIXED);
    cr_assert_eq(m.env[1].data[5], 1, "envelope 2 (alpha's post) is version 1");
    cr_assert_eq(m.env[3].data[5], 2, "envelope 4 (the lock) is version 2");
    unbuild(&m);
}

Test(archive, format_1_is_read_and_written_back)
{
    mini m;
    build(&m, ARCHIVE_V1);
    gl_buf b1, b2;
    encode(&m.a, &b1);
    cr_assert_eq(gl_rd16(b1.data + 8), GL_ARCHIVE_VERSION_1);
    gl_archive r;
    char err[256];
    cr_assert_eq(gl_archive_read(b1.data, b1.len, &r, err, sizeof err), GL_OK, "%s", err);
    cr_assert(r.digest_ok);
    cr_assert_not(r.has_ledger_id);
    cr_assert(gl_str_eq(r.umbrella, "alpha"));
    encode(&r, &b2);
    cr_assert_eq(b1.len, b2.len);
    cr_assert(!memcmp(b1.data, b2.data, b1.len));
    gl_archive_free(&r);
    gl_buf_free(&b2);
    /* format 2 carries the ledger id right after created_ms */
    m.a.has_ledger_id = true;
    encode(&m.a, &b2);
    cr_assert_eq(gl_rd16(b2.data + 8), GL_ARCHIVE_VERSION);
    cr_assert_eq(b2.len, b1.len + GL_LEDGER_ID_BYTES);
    cr_assert(!memcmp(b2.data + 20, LEDGER, GL_LEDGER_ID_BYTES));
    cr_assert_eq(gl_archive_read(b2.data, b2.len, &r, err, sizeof err), GL_OK, "%s", err);
    cr_assert(r.has_ledger_id && !memcmp(r.ledger_id, LEDGER, GL_LEDGER_ID_BYTES));
    gl_archive_free(&r);
    gl_buf_free(&b1);
    gl_buf_free(&b2);
    unbuild(&m);
}

Test(verify_offline, trusted_keys)
{
    mini m;
    build(&m, GOOD);
    char hex[4][65], text[1024], err[256];
    for (int k = 0; k < 4; k++)
        sodium_bin2hex(hex[k], sizeof hex[k], m.pk[k], 32);
    unbuild(&m);
    gl_trusted_key *keys;
    size_t n;
    /* every signer trusted */
    snprintf(text, sizeof text, "# keys\n  alpha %s \r\naccountant\t%s\n\n", hex[K_ALPHA],
             hex[K_ACCT]);
    cr_assert_eq(gl_trusted_keys_parse(text, strlen(text), &keys, &n, err, sizeof err), GL_OK, "%s",
                 err);
    cr_assert_eq(n, 2);
    cr_assert_eq(keys[0].role, GL_KEY_ROLE_MEMBER);
    cr_assert_str_eq(keys[0].tenant, "alpha");
    cr_assert_eq(keys[1].role, GL_KEY_ROLE_ACCOUNTANT);
    gl_verify_opts o = {.trusted = keys, .trusted_count = n};
    gl_verify_result r = run(GOOD, &o);
    cr_assert_eq(r.problem, GL_VP_NONE, "%s", r.message);
    cr_assert(r.trusted_keys);
    gl_verify_result_free(&r);
    free(keys);
    /* the accountant missing */
    snprintf(text, sizeof text, "alpha %s\n", hex[K_ALPHA]);
    cr_assert_eq(gl_trusted_keys_parse(text, strlen(text), &keys, &n, err, sizeof err), GL_OK);
    o = (gl_verify_opts){.trusted = keys, .trusted_count = n};
    r = run(GOOD, &o);
    cr_assert_eq(r.problem, GL_VP_KEY);
    cr_assert(strstr(r.message, "alpha: event 1 (account opening 102000): signed by key"), "%s",
              r.message);
    cr_assert(strstr(r.message, "not among the trusted keys"), "%s", r.message);
    gl_verify_result_free(&r);
    free(keys);
    /* alpha's key trusted for beta only */
    snprintf(text, sizeof text, "beta %s\naccountant %s\n", hex[K_ALPHA], hex[K_ACCT]);
    cr_assert_eq(gl_trusted_keys_parse(text, strlen(text), &keys, &n, err, sizeof err), GL_OK);
    o = (gl_verify_opts){.trusted = keys, .trusted_count = n};
    r = run(GOOD, &o);
    cr_assert_eq(r.problem, GL_VP_KEY);
    cr_assert(strstr(r.message, "(entry 2024/1)") &&
                  strstr(r.message, "only as a member key of beta"),
              "%s", r.message);
    gl_verify_result_free(&r);
    free(keys);
    /* malformed files: named by line */
    static const char *const bad[] = {"alpha 1234\n", "Alpha 00\n", "alpha\n", "# ok\nwho?! %s\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(text, sizeof text, bad[i], hex[0]);
        cr_assert_eq(gl_trusted_keys_parse(text, strlen(text), &keys, &n, err, sizeof err),
                     GL_ERR_INPUT, "%s", text);
        cr_assert(!strncmp(err, "line ", 5), "%s", err);
        cr_assert_null(keys);
    }
}

Test(verify_offline, an_archive_without_a_chain_or_keyring)
{
    mini m;
    build(&m, GOOD);
    m.a.key_count = 0;
    gl_verify_result r;
    cr_assert_eq(gl_verify(&m.a, NULL, &r), GL_OK);
    cr_assert_eq(r.problem, GL_VP_KEY);
    cr_assert(strstr(r.message, "no keyring history and no --keys"), "%s", r.message);
    gl_verify_result_free(&r);
    m.tenants[0].has_chain = false;
    m.a.envelope_count = 0;
    cr_assert_eq(gl_verify(&m.a, NULL, &r), GL_OK);
    cr_assert_eq(r.problem, GL_VP_ARCHIVE);
    gl_verify_result_free(&r);
    unbuild(&m);
}

/* Rules added after a ledger's history was written judge only the
 * requests made under them: a lock beyond the month it was recorded in
 * (status 438, lock_ahead) is refused in a version 2 request (the
 * LOCK_AHEAD case above) and verifies in a version 1 one, whose daemon
 * took it; the version 2 requests after it in the same chain verify too. */
Test(verify_offline, a_version_1_lock_ahead_verifies)
{
    gl_verify_result r = run(LOCK_AHEAD_V1, NULL);
    cr_assert_eq(r.problem, GL_VP_NONE, "%s", r.message);
    cr_assert_eq(r.events, 15);
    cr_assert_eq(r.tenants[0].locked_through, 202503);
    gl_verify_result_free(&r);
    mini m;
    build(&m, LOCK_AHEAD_V1);
    cr_assert_eq(m.env[3].data[5], 1, "envelope 4 (the lock) is version 1");
    cr_assert_eq(m.env[4].data[5], 2, "envelope 5 (the close) is version 2");
    unbuild(&m);
    r = run(LOCK_AHEAD, NULL);
    cr_assert_eq(r.problem, GL_VP_RULE, "%s", r.message);
    gl_verify_result_free(&r);
}

/* Text signed before the bidirectional controls were refused (issue 11
 * item 11b) verifies: a version 1 request's body and the events it wrote
 * are read under the stored-text rule (gl_cur_init_stored), as the daemon
 * reads its own records.  A version 2 request holding one was refused at
 * admission: one in a chain is reported (BIDI_V2 in each_fault_...). */
Test(verify_offline, version_1_text_with_bidi_controls_verifies)
{
    gl_verify_result r = run(BIDI_V1, NULL);
    cr_assert_eq(r.problem, GL_VP_NONE, "%s", r.message);
    cr_assert_eq(r.events, 15);
    cr_assert_eq(r.entries, 5);
    cr_assert_eq(r.tenants[0].years[0].result_cents, 10000);
    gl_verify_result_free(&r);
    /* what the test is about: the daemon's admission refuses these bodies */
    mini m;
    build(&m, BIDI_V1);
    gl_request q;
    gl_post p;
    gl_accounts_open o;
    uint32_t bad;
    cr_assert_eq(gl_request_decode_any(m.env[0].data, m.env[0].len, &q), GL_OK);
    cr_assert_eq(gl_accounts_open_decode(q.body, q.body_len, &o, &bad), GL_ERR_STRING_INVALID);
    cr_assert_eq(gl_request_decode_any(m.env[1].data, m.env[1].len, &q), GL_OK);
    cr_assert_eq(gl_post_decode_layout(q.body, q.body_len, GL_LAYOUT_1, &p, &bad),
                 GL_ERR_STRING_INVALID);
    unbuild(&m);
}
