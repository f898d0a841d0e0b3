/*
 * tests/integration/test_verify_persons.c — the offline verifier replays
 * what the daemon refuses about third parties and persons (wave 11, helper
 * H): a code forgotten twice, a third party whose collective account is
 * not an open class 4 account (446), a line naming a natural person of the
 * registry with a clear aux label (462), a reminder request with a third
 * party twice (454).  Each bad chain is made from a real one: the request
 * is signed again (the test holds the keys) with a few bytes changed, the
 * event's payload changed the same way, and every hash recomputed, so that
 * only the replay of the rule can find it.  Each failed before its fix.
 */
#include "tests/support/harness.h"

#include "client/verify/archive.h"
#include "proto/chain.h"
#include "proto/reminder.h"
#include "proto/request.h"
#include "proto/seal.h"
#include "proto/status.h"
#include "proto/third_party.h"

#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static harness h;
static void setup(void)
{
    h_setup(&h);
    static const char *const accounts[] = {"411000", "401000", "512000", "706000"};
    h_open_accounts(&h, "alpha", accounts, 4);
    h_stop(&h);
    snprintf(h.daemon_extra, sizeof h.daemon_extra, "retention_years = 1\n");
    h_write_config(&h);
    h_start(&h);
}
static void teardown(void) { h_teardown(&h); }
TestSuite(verify_persons, .init = setup, .fini = teardown, .timeout = 120);

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

static int code_call(enum h_key k, uint16_t kind, const char *code)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_person_code_encode(&b, S(code));
    gl_response r;
    int st = h_call(&h, k, kind, "alpha", 0, b.data, b.len, &r);
    gl_response_free(&r);
    gl_buf_free(&b);
    return st;
}

static gl_third_party tp(const char *code, const char *collective, const char *name, uint8_t flags)
{
    return (gl_third_party){.code = S(code),
                            .kind = GL_TP_CUSTOMER,
                            .collective = S(collective),
                            .siren = S(""),
                            .name = S(name),
                            .address = S(""),
                            .email = S(""),
                            .iban = S(""),
                            .flags = flags,
                            .terms_days = 30};
}

static void set_tp(const gl_third_party *r)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_put_u8(&b, GL_TP_MODE_SET);
    gl_put_u16(&b, 1);
    gl_third_party_encode(&b, r);
    gl_response resp;
    int st = h_call(&h, K_ACCOUNTANT, GL_KIND_THIRD_PARTY_SET, "alpha", 0, b.data, b.len, &resp);
    cr_assert_eq(st, GL_OK, "%d %.*s", st, (int)resp.reply.detail.len, resp.reply.detail.ptr);
    gl_response_free(&resp);
    gl_buf_free(&b);
}

/* The record's canonical bytes into out. */
static void raw_of(const gl_third_party *r, gl_buf *out)
{
    gl_buf_init(out);
    gl_third_party_encode(out, r);
    cr_assert(gl_buf_ok(out));
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "%s", path);
    char *buf = malloc(1 << 22);
    cr_assert(buf);
    *len = fread(buf, 1, (1 << 22) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

static const uint8_t *key_sk(enum h_key k) { return h.keys[k].sk; }

/* Replace the first `from` (len bytes) by `to` in buf (len kept): found? */
static bool replace(uint8_t *buf, size_t n, const void *from, const void *to, size_t len)
{
    uint8_t *at = memmem(buf, n, from, len);
    if (at)
        memcpy(at, to, len);
    return at != NULL;
}

/* The archive of alpha with, in the `which`-th event (from 1) of type
 * `type`, and in its signed request (signed again by signer), the bytes
 * from replaced by to (to NULL: that event left out); every hash after it
 * recomputed.  verify's exit code,
 * its output in out. */
static int verify_tampered(uint16_t type, int which, enum h_key signer, const void *from,
                           const void *to, size_t len, char *out, size_t out_len)
{
    char path[400], bad[400];
    snprintf(path, sizeof path, "%s/all.glar", h.dir);
    snprintf(bad, sizeof bad, "%s/bad.glar", h.dir);
    unlink(path);
    unlink(bad);
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "archive --all -o '%s'", path), 0);
    int rc = h_cli(&h, K_AUDITOR, out, out_len, "verify '%s'", path);
    cr_assert_eq(rc, 0, "the chain as the daemon wrote it does not verify (%d):\n%s", rc, out);
    size_t n;
    char *bytes = read_all(path, &n);
    gl_archive a;
    char err[256];
    cr_assert_eq(gl_archive_read((const uint8_t *)bytes, n, &a, err, sizeof err), GL_OK, "%s", err);
    gl_archive_tenant *t = (gl_archive_tenant *)gl_archive_tenant_find(&a, S("alpha"));
    cr_assert(t && t->has_chain);
    gl_buf *arena = calloc(t->event_count + 1, sizeof *arena), request;
    cr_assert(arena);
    gl_buf_init(&request);
    uint8_t prev[GL_HASH_BYTES] = {0};
    int seen = 0;
    uint32_t kept = t->event_count, n_in = t->event_count;
    for (uint32_t k = 0, out_k = 0; k < n_in; k++) {
        gl_event ev;
        cr_assert_eq(gl_event_decode(t->events[k].record, t->events[k].record_len, &ev), GL_OK);
        gl_buf copy;
        gl_buf_init(&copy);
        gl_put_bytes(&copy, ev.body, ev.body_len);
        if (ev.type == type && ++seen == which && !to) {
            kept--; /* dropped: the next events move up */
            gl_buf_free(&copy);
            continue;
        }
        if (ev.type == type && seen == which) {
            cr_assert(replace(copy.data, copy.len, from, to, len), "not in the event's payload");
            uint64_t env = ev.head.envelope;
            gl_archive_envelope *e = NULL;
            for (uint32_t i = 0; i < a.envelope_count && !e; i++)
                if (a.envelopes[i].number == env)
                    e = &a.envelopes[i];
            cr_assert(e, "envelope %llu", (unsigned long long)env);
            gl_request q;
            cr_assert_eq(gl_request_decode(e->bytes, e->len, &q), GL_OK);
            uint8_t *body = malloc(q.body_len + 1);
            cr_assert(body);
            memcpy(body, q.body, q.body_len);
            cr_assert(replace(body, q.body_len, from, to, len), "not in the signed request");
            char tenant[64];
            snprintf(tenant, sizeof tenant, "%.*s", (int)q.tenant.len, q.tenant.ptr);
            cr_assert_eq(gl_request_encode(&request, q.kind, a.ledger_id, key_sk(signer), tenant,
                                           q.request_id, q.timestamp_ms, body, q.body_len),
                         GL_OK);
            free(body);
            e->bytes = request.data;
            e->len = (uint32_t)request.len;
        }
        gl_buf *out_ev = &arena[out_k];
        gl_buf_init(out_ev);
        gl_event_encode(out_ev, t->id.ptr, t->id.len, out_k + 1, prev, ev.type, copy.data,
                        (uint32_t)copy.len);
        gl_buf_free(&copy);
        cr_assert(gl_buf_ok(out_ev));
        memcpy(prev, out_ev->data + out_ev->len - GL_HASH_BYTES, GL_HASH_BYTES);
        t->events[out_k] = (gl_archive_event){out_k + 1, out_ev->data, (uint32_t)out_ev->len};
        out_k++;
    }
    t->event_count = kept;
    t->head_seq = kept;
    cr_assert_eq(seen >= which, true, "no event %d of type %u in alpha's chain", which, type);
    memcpy(t->head_hash, prev, GL_HASH_BYTES);
    gl_buf enc;
    gl_buf_init(&enc);
    cr_assert_eq(gl_archive_encode(&enc, &a, err, sizeof err), GL_OK, "%s", err);
    FILE *f = fopen(bad, "wb");
    cr_assert(f);
    cr_assert_eq(fwrite(enc.data, 1, enc.len, f), enc.len);
    fclose(f);
    rc = h_cli(&h, K_AUDITOR, out, out_len, "verify '%s'", bad);
    gl_buf_free(&enc);
    gl_buf_free(&request);
    for (uint32_t i = 0; i < n_in; i++)
        gl_buf_free(&arena[i]);
    free(arena);
    gl_archive_free(&a);
    free(bytes);
    return rc;
}

Test(verify_persons, a_code_forgotten_twice_is_found)
{
    cr_assert_eq(code_call(K_ALPHA, GL_KIND_PERSON_KEY, "U0901"), GL_OK);
    cr_assert_eq(code_call(K_ALPHA, GL_KIND_PERSON_KEY, "U0902"), GL_OK);
    cr_assert_eq(code_call(K_ACCOUNTANT, GL_KIND_FORGET, "U0901"), GL_OK);
    cr_assert_eq(code_call(K_ACCOUNTANT, GL_KIND_FORGET, "U0902"), GL_OK);
    char out[16384];
    int rc =
        verify_tampered(GL_EVENT_FORGET, 2, K_ACCOUNTANT, "U0902", "U0901", 5, out, sizeof out);
    cr_expect_neq(rc, 0, "a chain forgetting U0901 twice verified:\n%s", out);
    cr_expect(strstr(out, "U0901 was forgotten already"), "%s", out);
}

Test(verify_persons, a_collective_account_outside_class_4_is_found)
{
    gl_third_party r = tp("C0100", "411000", "Mairie de Lyon", 0);
    set_tp(&r);
    gl_buf want, got;
    raw_of(&r, &want);
    r.collective = S("706000"); /* open, but class 7: the daemon refuses it (446) */
    raw_of(&r, &got);
    cr_assert_eq(want.len, got.len);
    char out[16384];
    int rc = verify_tampered(GL_EVENT_THIRD_PARTY, 1, K_ACCOUNTANT, want.data, got.data, want.len,
                             out, sizeof out);
    cr_expect_neq(rc, 0, "a third party on collective account 706000 verified:\n%s", out);
    cr_expect(strstr(out, "collective account 706000 is not an open class 4 account"), "%s", out);
    gl_buf_free(&want);
    gl_buf_free(&got);
}

Test(verify_persons, a_natural_person_named_in_clear_in_an_entry_is_found)
{
    gl_third_party r = tp("U0950", "411000", "Jean Martin", 0);
    set_tp(&r);
    gl_line_in l[2];
    gl_entry_in e = h_entry2("alpha", 20250105, "411000", "706000", 4200, l);
    l[0].aux = "U0950";
    l[0].aux_label = "Jean Martin";
    gl_response resp;
    int st = h_post(&h, K_ACCOUNTANT, &e, 1, &resp);
    cr_assert_eq(st, GL_OK, "%d %.*s", st, (int)resp.reply.detail.len, resp.reply.detail.ptr);
    gl_response_free(&resp);
    gl_buf legal, natural;
    raw_of(&r, &legal);
    r.flags = GL_TP_NATURAL_PERSON; /* recorded in clear: what an older client sent */
    raw_of(&r, &natural);
    cr_assert_eq(legal.len, natural.len);
    char out[16384];
    int rc = verify_tampered(GL_EVENT_THIRD_PARTY, 1, K_ACCOUNTANT, legal.data, natural.data,
                             legal.len, out, sizeof out);
    cr_expect_neq(rc, 0, "an entry naming natural person U0950 in clear verified:\n%s", out);
    cr_expect(strstr(out, "U0950 is a natural person"), "%s", out);
    gl_buf_free(&legal);
    gl_buf_free(&natural);
}

Test(verify_persons, a_reminder_request_naming_a_third_party_twice_is_found)
{
    gl_buf b;
    gl_buf_init(&b);
    const gl_reminder_item items[] = {{S("C0201"), 1}, {S("C0202"), 1}};
    gl_reminder_q_encode(&b, 20250110, items, 2);
    gl_response resp;
    int st = h_call(&h, K_ACCOUNTANT, GL_KIND_REMINDER_RECORD, "alpha", 0, b.data, b.len, &resp);
    cr_assert_eq(st, GL_OK, "%d %.*s", st, (int)resp.reply.detail.len, resp.reply.detail.ptr);
    gl_response_free(&resp);
    gl_buf_free(&b);
    char out[16384];
    int rc =
        verify_tampered(GL_EVENT_REMINDER, 2, K_ACCOUNTANT, "C0202", "C0201", 5, out, sizeof out);
    cr_expect_neq(rc, 0, "a reminder request naming C0201 twice verified:\n%s", out);
    cr_expect(strstr(out, "C0201 twice"), "%s", out);
}

Test(verify_persons, a_reminder_left_out_of_the_chain_is_found)
{
    gl_buf b;
    gl_buf_init(&b);
    const gl_reminder_item items[] = {{S("C0301"), 1}, {S("C0302"), 2}};
    gl_reminder_q_encode(&b, 20250110, items, 2);
    gl_response resp;
    int st = h_call(&h, K_ACCOUNTANT, GL_KIND_REMINDER_RECORD, "alpha", 0, b.data, b.len, &resp);
    cr_assert_eq(st, GL_OK, "%d %.*s", st, (int)resp.reply.detail.len, resp.reply.detail.ptr);
    gl_response_free(&resp);
    gl_buf_free(&b);
    char out[16384];
    int rc = verify_tampered(GL_EVENT_REMINDER, 2, K_ACCOUNTANT, NULL, NULL, 0, out, sizeof out);
    cr_expect_neq(rc, 0, "a chain without the second reminder of its request verified:\n%s", out);
    cr_expect(strstr(out, "record 1 third parties, their signed request 2"), "%s", out);
}

Test(verify_persons, a_forgotten_code_registered_again_is_found)
{
    cr_assert_eq(code_call(K_ALPHA, GL_KIND_PERSON_KEY, "U0961"), GL_OK);
    cr_assert_eq(code_call(K_ACCOUNTANT, GL_KIND_FORGET, "U0961"), GL_OK);
    gl_third_party r = tp("U0962", "411000", "Paul Durand", 0);
    set_tp(&r);
    char out[16384];
    int rc = verify_tampered(GL_EVENT_THIRD_PARTY, 1, K_ACCOUNTANT, "U0962", "U0961", 5, out,
                             sizeof out);
    cr_expect_neq(rc, 0, "a forgotten code registered again verified:\n%s", out);
    cr_expect(strstr(out, "third party U0961 was forgotten"), "%s", out);
}
