/*
 * tests/integration/test_grants_verify.c — the offline verifier replays
 * grants and budgets (issue 19, client/verify/verify_grants.c).  Suite
 * grants_verify: a real daemon writes alpha's axes, codes, two grants (one
 * deleted) and three versions of budgets; the archive verifies.  Then each
 * forged archive (one event and its signed request changed the same way,
 * the request signed again with the accountant's key, every hash after it
 * recomputed: only the replay of the rule can find it) fails for its
 * reason: a grant's funder not open, a delete of a grant never set, a
 * budget's groups out of order, a grant's flat rate out of its rule, a
 * budget of a closed action, a version repeating the latest.  Without verify_grants.c the verifier
 * skipped events 23 and 24 (their signatures only): each passed.
 */
#include "tests/integration/an_book.h"
#include "tests/integration/grant_support.h"

#include "client/verify/archive.h"
#include "proto/chain.h"
#include "proto/request.h"
#include "proto/status.h"

#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static harness h;

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

static void book(void)
{
    anb_axis(&h, "action", GL_AN_OPEN, "Actions");
    anb_axis(&h, "financeur", GL_AN_OPEN, "Financeurs");
    anb_code(&h, "action", "AGIIE", GL_AN_OPEN, "Insertion");
    anb_code(&h, "action", "MOBIL", GL_AN_OPEN, "Mobilite");
    anb_code(&h, "action", "OLD25", GL_AN_OPEN, "Ancienne");
    anb_code(&h, "action", "OLD25", GL_AN_CLOSED, "");
    anb_code(&h, "financeur", "FSE", GL_AN_OPEN, "FSE");
    anb_code(&h, "financeur", "VILLE", GL_AN_OPEN, "Ville");
    anb_code(&h, "financeur", "GONE", GL_AN_OPEN, "Parti");
    anb_code(&h, "financeur", "GONE", GL_AN_CLOSED, "");
    gl_grant g = gr_sample();
    cr_assert_eq(gr_set(&h, K_ACCOUNTANT, "alpha", GL_GRANT_SET_OP, &g), GL_OK, "%s", gr_detail);
    gl_grant v = g;
    v.code = S("VILLE-2026");
    v.funder = S("VILLE");
    v.flags = 0;
    v.flat_rate = 0;
    cr_assert_eq(gr_set(&h, K_ACCOUNTANT, "alpha", GL_GRANT_SET_OP, &v), GL_OK, "%s", gr_detail);
    gl_grant d = {.code = S("VILLE-2026")};
    cr_assert_eq(gr_set(&h, K_ACCOUNTANT, "alpha", GL_GRANT_DELETE_OP, &d), GL_OK, "%s", gr_detail);
    const char *v1[] = {"60=1200000", "641=4500000"};
    const char *v2[] = {"60=1300000", "641=4500000"};
    cr_assert_eq(gr_budget(&h, K_ACCOUNTANT, "alpha", "AGIIE", 2026, v1, 2), GL_OK, "%s",
                 gr_detail);
    cr_assert_eq(gr_budget(&h, K_ACCOUNTANT, "alpha", "AGIIE", 2026, v2, 2), GL_OK, "%s",
                 gr_detail);
    cr_assert_eq(gr_budget(&h, K_ACCOUNTANT, "alpha", "MOBIL", 2026, v2, 2), GL_OK, "%s",
                 gr_detail);
}

static void setup(void)
{
    h_setup(&h);
    static const char *const accounts[] = {"512000", "606000", "741700"};
    h_open_accounts(&h, "alpha", accounts, 3);
    book();
}
static void teardown(void) { h_teardown(&h); }
TestSuite(grants_verify, .init = setup, .fini = teardown, .timeout = 240);

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
static void resign(gl_archive *a, uint64_t env, const void *from, const void *to, size_t len,
                   gl_buf *out)
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
    cr_assert_eq(gl_request_encode(out, q.kind, a->ledger_id, h.keys[K_ACCOUNTANT].sk, tenant,
                                   q.request_id, q.timestamp_ms, body, q.body_len),
                 GL_OK);
    free(body);
    e->bytes = out->data;
    e->len = (uint32_t)out->len;
}

/* The archive of every tenant, written to path. */
static void archive_to(const char *path)
{
    unlink(path);
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "archive --all -o '%s'", path), 0);
}

/* alpha's events rebuilt from a, the which-th of type `type` (and its
 * signed request) with from made to; every hash after it recomputed. */
static void forge_events(gl_archive *a, gl_buf *arena, gl_buf *request, uint16_t type, int which,
                         const void *from, const void *to, size_t len)
{
    gl_archive_tenant *t = (gl_archive_tenant *)gl_archive_tenant_find(a, S("alpha"));
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
            resign(a, ev.head.envelope, from, to, len, request);
        }
        gl_buf_init(&arena[k]);
        gl_event_encode(&arena[k], t->id.ptr, t->id.len, k + 1, prev, ev.type, copy.data,
                        (uint32_t)copy.len);
        gl_buf_free(&copy);
        cr_assert(gl_buf_ok(&arena[k]));
        memcpy(prev, arena[k].data + arena[k].len - GL_HASH_BYTES, GL_HASH_BYTES);
        t->events[k] = (gl_archive_event){k + 1, arena[k].data, (uint32_t)arena[k].len};
    }
    cr_assert_geq(seen, which, "no event %d of type %u in alpha's chain", which, type);
    memcpy(t->head_hash, prev, GL_HASH_BYTES);
}

/* Verify alpha's archive forged as forge_events says: verify's exit
 * status; its output in out. */
static int verify_forged(uint16_t type, int which, const void *from, const void *to, size_t len,
                         char *out, size_t out_len)
{
    char path[400], bad[400], err[256];
    snprintf(path, sizeof path, "%s/all.glar", h.dir);
    snprintf(bad, sizeof bad, "%s/forged.glar", h.dir);
    archive_to(path);
    size_t n;
    char *bytes = read_all(path, &n);
    gl_archive a;
    cr_assert_eq(gl_archive_read((const uint8_t *)bytes, n, &a, err, sizeof err), GL_OK, "%s", err);
    const gl_archive_tenant *t = gl_archive_tenant_find(&a, S("alpha"));
    cr_assert(t);
    uint32_t events = t->event_count;
    gl_buf *arena = calloc(events + 1, sizeof *arena), request;
    cr_assert(arena);
    gl_buf_init(&request);
    forge_events(&a, arena, &request, type, which, from, to, len);
    gl_buf enc;
    gl_buf_init(&enc);
    cr_assert_eq(gl_archive_encode(&enc, &a, err, sizeof err), GL_OK, "%s", err);
    FILE *f = fopen(bad, "wb");
    cr_assert(f);
    cr_assert_eq(fwrite(enc.data, 1, enc.len, f), enc.len);
    fclose(f);
    int rc = h_cli(&h, K_AUDITOR, out, out_len, "verify '%s'", bad);
    gl_buf_free(&enc);
    gl_buf_free(&request);
    for (uint32_t i = 0; i < events; i++)
        gl_buf_free(&arena[i]);
    free(arena);
    gl_archive_free(&a);
    free(bytes);
    return rc;
}

static void expect_found(int rc, const char *out, const char *says)
{
    cr_expect_eq(rc, 1, "verify exited %d:\n%s", rc, out);
    cr_expect(strstr(out, says), "'%s' not in:\n%s", says, out);
}

Test(grants_verify, a_good_archive_verifies)
{
    char path[400], out[16384];
    snprintf(path, sizeof path, "%s/all.glar", h.dir);
    archive_to(path);
    int rc = h_cli(&h, K_AUDITOR, out, sizeof out, "verify '%s'", path);
    cr_assert_eq(rc, 0, "the archive does not verify (%d):\n%s", rc, out);
}

Test(grants_verify, a_grant_of_a_funder_not_open_is_found)
{
    char out[16384];
    int rc = verify_forged(GL_EVENT_GRANT, 1,
                           "\x03"
                           "FSE",
                           "\x03"
                           "XYZ",
                           4, out, sizeof out);
    expect_found(rc, out, "grant's funder: analytic code XYZ of axis financeur is not open");
    rc = verify_forged(GL_EVENT_GRANT, 2, "\x05VILLE", "\x05GONE.", 6, out, sizeof out);
    expect_found(rc, out, "grant's funder: analytic code GONE. of axis financeur is not open");
}

Test(grants_verify, a_delete_of_a_grant_never_set_is_found)
{
    char out[16384];
    int rc =
        verify_forged(GL_EVENT_GRANT, 3, "\x0aVILLE-2026", "\x0aVILLE-2027", 11, out, sizeof out);
    expect_found(rc, out, "grant VILLE-2027 deleted, but not set at that point (497)");
}

Test(grants_verify, a_flat_rate_out_of_its_rule_is_found)
{
    /* FSE-2026's flags 3 and flat rate 15 end its record */
    char out[16384];
    int rc = verify_forged(GL_EVENT_GRANT, 1, "\x03\x0f", "\x03\x14", 2, out, sizeof out);
    expect_found(rc, out, "grant FSE-2026: its flat_rate is out of its rule (496)");
}

Test(grants_verify, a_budget_out_of_order_or_of_a_closed_action_is_found)
{
    char out[16384];
    int rc = verify_forged(GL_EVENT_BUDGET, 1,
                           "\x03"
                           "641",
                           "\x03"
                           "600",
                           4, out, sizeof out);
    expect_found(rc, out, "budget of AGIIE for 2026: row 2: its order is out of its rule (498)");
    rc = verify_forged(GL_EVENT_BUDGET, 3, "\x05MOBIL", "\x05OLD25", 6, out, sizeof out);
    expect_found(rc, out, "budget's action: analytic code OLD25 of axis action is closed");
}

Test(grants_verify, a_version_repeating_the_latest_is_found)
{
    /* AGIIE's second version differs from its first by 60's amount only */
    uint8_t from[3 + 8] =
        "\x02"
        "60",
                     to[3 + 8] =
                         "\x02"
                         "60";
    gl_be64(from + 3, 1300000);
    gl_be64(to + 3, 1200000);
    char out[16384];
    int rc = verify_forged(GL_EVENT_BUDGET, 2, from, to, sizeof from, out, sizeof out);
    expect_found(rc, out, "budget of AGIIE for 2026: version 2 repeats version 1");
}
