/*
 * tests/fuzz/fuzz_archive.c — libFuzzer target for the offline verification
 * archive reader (client/verify/archive.c) and the verifier
 * (client/verify/verify.c) behind it.
 *
 * Any byte string: gl_archive_read returns a status without reading past
 * the input (the replay main gives it an exact-size heap block) and with a
 * message when it refuses.  An archive it accepts must re-encode
 * (gl_archive_encode) to the same bytes, digest included when the digest
 * matched, all but the digest otherwise: the reader accepts exactly what
 * the encoder writes, and nothing has two encodings.  Then gl_verify runs
 * on it, trusting its own keyring and then a --keys list (the seeds'
 * member and accountant keys), and must
 * give a verdict (a problem with a located message, or none) without
 * crashing, leaking or asserting.  A third run acts as a forger holding the
 * seeds' keys: every request they signed re-signed and every chain's hashes
 * recomputed, so that mutations reach the checks behind the signatures and
 * the hashes.  Seeds: tests/fuzz/corpus/fuzz_archive/,
 * small archives of tests/unit/test_verify.c's hand-built ledger (written by
 * `GL_WRITE_SEEDS=DIR build/test_unit --filter archive/seeds`): a good one,
 * three tampered ones and a truncated one.
 */
#include "client/verify/archive.h"
#include "client/verify/verify.h"
#include "proto/chain.h"
#include "proto/limits.h"
#include "proto/request.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <sodium.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)  \
    do {             \
        if (!(cond)) \
            abort(); \
    } while (0)

static void verdict(const gl_archive *a, const gl_verify_opts *o)
{
    gl_verify_result r;
    int st = gl_verify(a, o, &r);
    CHECK(st == GL_OK || st == GL_ERR_NOMEM);
    if (st == GL_OK) {
        CHECK(r.message[sizeof r.message - 1] == '\0' || memchr(r.message, 0, sizeof r.message));
        CHECK((r.problem == GL_VP_NONE) == (r.message[0] == '\0'));
        if (r.problem == GL_VP_NONE)
            CHECK(a->digest_ok && r.tenant_count > 0);
    }
    gl_verify_result_free(&r);
}

/* The seeds' keys: alpha's member, the accountant, beta's member, the
 * auditor (tests/unit/test_verify.c). */
static uint8_t seed_pk[4][32], seed_sk[4][64];

/* What a forger holding the seeds' keys would do: re-sign every request
 * signed by one of them and recompute every chain's hashes and head, so
 * that a mutation reaches the checks behind the signatures and the hashes
 * (entries against requests, numbering, closing, lettering, balances). */
static void repair_and_verify(gl_archive *a)
{
    gl_buf *bufs = calloc((size_t)a->envelope_count + 1, sizeof *bufs);
    gl_archive_envelope *envs = calloc((size_t)a->envelope_count + 1, sizeof *envs);
    size_t events = 0;
    for (uint16_t t = 0; t < a->tenant_count; t++)
        events += a->tenants[t].event_count;
    gl_buf *recs = calloc(events + 1, sizeof *recs);
    gl_archive_event **saved = calloc((size_t)a->tenant_count + 1, sizeof *saved);
    CHECK(bufs && envs && recs && saved);
    gl_archive_envelope *orig_envs = a->envelopes;
    for (uint32_t i = 0; i < a->envelope_count; i++) {
        envs[i] = a->envelopes[i];
        gl_buf_init(&bufs[i]);
        gl_request q;
        if (gl_request_decode_any(envs[i].bytes, envs[i].len, &q) != GL_OK)
            continue;
        for (int k = 0; k < 4; k++) {
            char tenant[GL_TENANT_MAX + 1];
            if (memcmp(q.signer, seed_pk[k], 32) || q.tenant.len > GL_TENANT_MAX)
                continue;
            memcpy(tenant, q.tenant.ptr, q.tenant.len);
            tenant[q.tenant.len] = '\0';
            int st = q.version == GL_PROTOCOL_VERSION_1
                         ? gl_request_encode_v1(&bufs[i], q.kind, seed_sk[k], tenant, q.request_id,
                                                q.timestamp_ms, q.body, q.body_len)
                         : gl_request_encode(&bufs[i], q.kind, q.ledger_id, seed_sk[k], tenant,
                                             q.request_id, q.timestamp_ms, q.body, q.body_len);
            if (st == GL_OK)
                envs[i] =
                    (gl_archive_envelope){envs[i].number, bufs[i].data, (uint32_t)bufs[i].len};
        }
    }
    a->envelopes = envs;
    size_t r = 0;
    for (uint16_t t = 0; t < a->tenant_count; t++) {
        gl_archive_tenant *at = &a->tenants[t];
        saved[t] = at->events;
        if (!at->has_chain)
            continue;
        gl_archive_event *ev = calloc((size_t)at->event_count + 1, sizeof *ev);
        CHECK(ev);
        uint8_t prev[GL_HASH_BYTES] = {0};
        for (uint32_t i = 0; i < at->event_count; i++) {
            ev[i] = at->events[i];
            gl_event e;
            gl_buf_init(&recs[r]);
            if (gl_event_decode(ev[i].record, ev[i].record_len, &e) != GL_OK)
                continue;
            gl_event_encode(&recs[r], at->id.ptr, at->id.len, ev[i].seq, prev, e.type, e.body,
                            e.body_len);
            CHECK(gl_buf_ok(&recs[r]));
            memcpy(prev, recs[r].data + recs[r].len - GL_HASH_BYTES, GL_HASH_BYTES);
            ev[i].record = recs[r].data;
            ev[i].record_len = (uint32_t)recs[r].len;
            r++;
        }
        at->events = ev;
        memcpy(at->head_hash, prev, GL_HASH_BYTES);
    }
    verdict(a, NULL);
    for (uint16_t t = 0; t < a->tenant_count; t++) {
        if (a->tenants[t].has_chain)
            free(a->tenants[t].events);
        a->tenants[t].events = saved[t];
    }
    a->envelopes = orig_envs;
    for (size_t i = 0; i < r; i++)
        gl_buf_free(&recs[i]);
    for (uint32_t i = 0; i < a->envelope_count; i++)
        gl_buf_free(&bufs[i]);
    free(recs);
    free(saved);
    free(envs);
    free(bufs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool ready;
    static gl_trusted_key keys[2] = {{.role = GL_KEY_ROLE_MEMBER, .tenant = "alpha"},
                                     {.role = GL_KEY_ROLE_ACCOUNTANT}};
    static gl_verify_opts trusted = {.trusted = keys, .trusted_count = 2};
    if (!ready) {
        CHECK(sodium_init() >= 0);
        /* the seeds' keys (tests/unit/test_verify.c) */
        for (int k = 0; k < 4; k++) {
            uint8_t seed[32];
            memset(seed, k + 1, sizeof seed);
            crypto_sign_seed_keypair(seed_pk[k], seed_sk[k], seed);
        }
        memcpy(keys[0].pk, seed_pk[0], 32);
        memcpy(keys[1].pk, seed_pk[1], 32);
        ready = true;
    }
    gl_archive a;
    char err[256];
    int st = gl_archive_read(data, size, &a, err, sizeof err);
    if (st != GL_OK) {
        CHECK(st == GL_ERR_MALFORMED || st == GL_ERR_NOMEM);
        CHECK(err[0] != '\0');
        return 0;
    }
    gl_buf b;
    gl_buf_init(&b);
    st = gl_archive_encode(&b, &a, err, sizeof err);
    CHECK(st == GL_OK || st == GL_ERR_NOMEM);
    if (st == GL_OK) {
        CHECK(b.len == size);
        CHECK(memcmp(b.data, data, size - GL_ARCHIVE_DIGEST_BYTES) == 0);
        CHECK((memcmp(b.data, data, size) == 0) == a.digest_ok);
    }
    gl_buf_free(&b);

    verdict(&a, NULL);
    verdict(&a, &trusted);
    repair_and_verify(&a);
    gl_archive_free(&a);
    return 0;
}
