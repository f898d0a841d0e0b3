/*
 * tests/integration/forge_support.c — forged archives for the offline
 * verifier's rule replays (forge_support.h).
 */
#include "tests/integration/forge_support.h"

#include "client/verify/archive.h"
#include "proto/chain.h"
#include "proto/request.h"
#include "proto/status.h"

#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

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

/* Replace the first `from` (len bytes) by `to` in buf: found? */
static bool replace(uint8_t *buf, size_t n, const void *from, const void *to, size_t len)
{
    uint8_t *at = memmem(buf, n, from, len);
    if (at)
        memcpy(at, to, len);
    return at != NULL;
}

/* The request of envelope env in a, its body's first `from` made `to`
 * and signed again by the accountant (into *out, which then holds it). */
static void resign(const harness *h, gl_archive *a, uint64_t env, const void *from, const void *to,
                   size_t len, gl_buf *out)
{
    gl_archive_envelope *e = (gl_archive_envelope *)gl_archive_envelope_find(a, env);
    cr_assert(e, "envelope %llu", (unsigned long long)env);
    gl_request q;
    cr_assert_eq(gl_request_decode(e->bytes, e->len, &q), GL_OK);
    uint8_t *body = malloc(q.body_len + 1);
    cr_assert(body);
    memcpy(body, q.body, q.body_len);
    cr_assert(replace(body, q.body_len, from, to, len), "not in the signed request");
    char tenant[64];
    snprintf(tenant, sizeof tenant, "%.*s", (int)q.tenant.len, q.tenant.ptr);
    cr_assert_eq(gl_request_encode(out, q.kind, a->ledger_id, h->keys[K_ACCOUNTANT].sk, tenant,
                                   q.request_id, q.timestamp_ms, body, q.body_len),
                 GL_OK);
    free(body);
    e->bytes = out->data;
    e->len = (uint32_t)out->len;
}

/* The archive of every tenant, written to path. */
void fg_archive_to(harness *h, const char *path)
{
    unlink(path);
    cr_assert_eq(h_cli(h, K_AUDITOR, NULL, 0, "archive --all -o '%s'", path), 0);
}

/* alpha's events rebuilt from a, the which-th of type `type` (and its
 * signed request) with from made to; every hash after it recomputed. */
static void forge_events(const harness *h, const char *tenant, gl_archive *a, gl_buf *arena,
                         gl_buf *request, uint16_t type, int which, const void *from,
                         const void *to, size_t len)
{
    gl_archive_tenant *t = (gl_archive_tenant *)gl_archive_tenant_find(a, S(tenant));
    cr_assert(t && t->has_chain);
    uint8_t prev[GL_HASH_BYTES] = {0};
    int seen = 0;
    for (uint32_t k = 0; k < t->event_count; k++) {
        gl_event ev;
        cr_assert_eq(gl_event_decode(t->events[k].record, t->events[k].record_len, &ev), GL_OK);
        gl_buf copy;
        gl_buf_init(&copy);
        gl_put_bytes(&copy, ev.body, ev.body_len);
        if (ev.type == type && ++seen == which) {
            cr_assert(
                replace(copy.data + (ev.body_len - ev.payload_len), ev.payload_len, from, to, len),
                "not in the event's payload");
            resign(h, a, ev.head.envelope, from, to, len, request);
        }
        gl_buf_init(&arena[k]);
        gl_event_encode(&arena[k], t->id.ptr, t->id.len, k + 1, prev, ev.type, copy.data,
                        (uint32_t)copy.len);
        gl_buf_free(&copy);
        cr_assert(gl_buf_ok(&arena[k]));
        memcpy(prev, arena[k].data + arena[k].len - GL_HASH_BYTES, GL_HASH_BYTES);
        t->events[k] = (gl_archive_event){k + 1, arena[k].data, (uint32_t)arena[k].len};
    }
    cr_assert_geq(seen, which, "no event %d of type %u in %s's chain", which, type, tenant);
    memcpy(t->head_hash, prev, GL_HASH_BYTES);
}

/* Verify alpha's archive forged as forge_events says: verify's exit
 * status; its output in out. */
int fg_verify_forged(harness *h, const char *tenant, uint16_t type, int which, const void *from,
                     const void *to, size_t len, char *out, size_t out_len)
{
    char path[400], bad[400], err[256];
    snprintf(path, sizeof path, "%s/all.glar", h->dir);
    snprintf(bad, sizeof bad, "%s/forged.glar", h->dir);
    fg_archive_to(h, path);
    size_t n;
    char *bytes = read_all(path, &n);
    gl_archive a;
    cr_assert_eq(gl_archive_read((const uint8_t *)bytes, n, &a, err, sizeof err), GL_OK, "%s", err);
    const gl_archive_tenant *t = gl_archive_tenant_find(&a, S(tenant));
    cr_assert(t);
    uint32_t events = t->event_count;
    gl_buf *arena = calloc(events + 1, sizeof *arena), request;
    cr_assert(arena);
    gl_buf_init(&request);
    forge_events(h, tenant, &a, arena, &request, type, which, from, to, len);
    gl_buf enc;
    gl_buf_init(&enc);
    cr_assert_eq(gl_archive_encode(&enc, &a, err, sizeof err), GL_OK, "%s", err);
    FILE *f = fopen(bad, "wb");
    cr_assert(f);
    cr_assert_eq(fwrite(enc.data, 1, enc.len, f), enc.len);
    fclose(f);
    int rc = h_cli(h, K_AUDITOR, out, out_len, "verify '%s'", bad);
    gl_buf_free(&enc);
    gl_buf_free(&request);
    for (uint32_t i = 0; i < events; i++)
        gl_buf_free(&arena[i]);
    free(arena);
    gl_archive_free(&a);
    free(bytes);
    return rc;
}

void fg_expect_found(int rc, const char *out, const char *says)
{
    cr_expect_eq(rc, 1, "verify exited %d:\n%s", rc, out);
    cr_expect(strstr(out, says), "'%s' not in:\n%s", says, out);
}
