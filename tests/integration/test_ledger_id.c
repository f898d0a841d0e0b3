/*
 * tests/integration/test_ledger_id.c — protocol version 2 against a real
 * daemon: every request is signed for one ledger (its random id, created
 * with the data directory), version 1 requests are refused, PING alone may
 * name no ledger and tells the id, and the extension areas of entries and
 * lines accept only their one canonical empty form today.  Every refusal
 * leaves the ledger byte for byte as it was (h_digest).
 */
#include "tests/support/harness.h"

#include "proto/entry.h"
#include "proto/query.h"
#include "proto/reply.h"
#include "proto/request.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

static harness h;
static harness other; /* a second daemon, for one test; torn down even when it fails */
static bool other_running;
static uint8_t digest_before[32];

static void setup(void)
{
    h_setup(&h);
    static const char *const accounts[] = {"512000", "606100"};
    h_open_accounts(&h, "alpha", accounts, 2);
    h_digest(&h, digest_before);
}

/* Every test ends with the ledger unchanged since setup (or rebase). */
/* At the end of each test's body (RTest, tests/support/harness.h). */
static void unchanged(void)
{
    uint8_t after[32];
    h_digest(&h, after);
    cr_assert(!memcmp(digest_before, after, 32), "a refused request changed the ledger");
    cr_assert_gt(h_verify_chains(&h), 0);
}

static void teardown(void)
{
    h_teardown(&h);
    if (other_running)
        h_teardown(&other);
    other_running = false;
}

static void rebase(void) { h_digest(&h, digest_before); }

static int64_t now_ms(void) { return (int64_t)time(NULL) * 1000; }

static void post_body(gl_buf *body, int64_t cents)
{
    gl_line_in l[2];
    gl_entry_in e = h_entry2("alpha", 20250301, "606100", "512000", cents, l);
    h_post_body(body, &e, 1);
}

/* A POST by alpha's key signed for ledger (NULL: this daemon's). */
static void signed_post(gl_buf *req, const uint8_t *ledger, uint64_t id)
{
    uint8_t own[GL_LEDGER_ID_BYTES];
    if (!ledger) {
        h_ledger_id(&h, own);
        ledger = own;
    }
    gl_buf body;
    post_body(&body, 5);
    gl_buf_init(req);
    cr_assert_eq(gl_request_encode(req, GL_KIND_POST, ledger, h.keys[K_ALPHA].sk, "alpha", id,
                                   now_ms(), body.data, body.len),
                 GL_OK);
    gl_buf_free(&body);
}

#define EXPECT_STATUS(call, want)                                                   \
    do {                                                                            \
        gl_response r_;                                                             \
        int st_ = (call);                                                           \
        cr_assert_eq(st_, (want), "got %s (%d), want %s", gl_status_name(st_), st_, \
                     gl_status_name(want));                                         \
        gl_response_free(&r_);                                                      \
    } while (0)

/* The ledger id as stored in the meta database, read directly. */
struct meta_find {
    uint8_t id[GL_LEDGER_ID_BYTES];
    bool found;
};

static bool find_ledger_id(const uint8_t *k, size_t kl, const uint8_t *v, size_t vl, void *user)
{
    struct meta_find *m = user;
    if (kl == 9 && !memcmp(k, "ledger_id", 9) && vl == GL_LEDGER_ID_BYTES) {
        memcpy(m->id, v, GL_LEDGER_ID_BYTES);
        m->found = true;
    }
    return true;
}

TestSuite(ledger_id, .init = setup, .fini = teardown, .timeout = 60);

RTest(ledger_id, version_1_requests_are_refused_and_change_nothing)
{
    /* a genuine version 1 POST (layout 1 entries, version 1 tag) by a known key */
    gl_line_in l[2];
    gl_entry_in e = h_entry2("alpha", 20250301, "606100", "512000", 5, l);
    gl_buf body, req;
    gl_buf_init(&body);
    gl_put_u32(&body, 1);
    cr_assert_eq(gl_entry_encode_layout(&body, &e, GL_LAYOUT_1), GL_OK);
    gl_buf_init(&req);
    cr_assert_eq(gl_request_encode_v1(&req, GL_KIND_POST, h.keys[K_ALPHA].sk, "alpha", 77, now_ms(),
                                      body.data, body.len),
                 GL_OK);
    gl_response r;
    cr_assert_eq(h_send_raw_as(&h, K_ALPHA, req.data, req.len, &r), GL_ERR_VERSION);
    cr_assert_eq(r.reply.request_id, 0, "refused before decoding: request id 0");
    cr_assert_eq(r.reply.version, GL_PROTOCOL_VERSION);
    gl_response_free(&r);
    /* and a version 1 PING */
    cr_assert_eq(
        gl_request_encode_v1(&req, GL_KIND_PING, h.keys[K_ALPHA].sk, "", 78, now_ms(), NULL, 0),
        GL_OK);
    EXPECT_STATUS(h_send_raw_as(&h, K_ALPHA, req.data, req.len, &r_), GL_ERR_VERSION);
    gl_buf_free(&req);
    gl_buf_free(&body);
}

RTest(ledger_id, a_request_signed_for_another_ledger_is_refused)
{
    /* daemon B: another data directory, trusting the same keys */
    h_setup(&other);
    other_running = true;
    memcpy(other.keys, h.keys, sizeof other.keys);
    memcpy(other.key_path, h.key_path, sizeof other.key_path);
    h_write_config(&other);
    h_stop(&other);
    h_start(&other);
    static const char *const accounts[] = {"512000", "606100"};
    h_open_accounts(&other, "alpha", accounts, 2);
    uint8_t ledger_a[GL_LEDGER_ID_BYTES], ledger_b[GL_LEDGER_ID_BYTES];
    h_ledger_id(&h, ledger_a);
    h_ledger_id(&other, ledger_b);
    cr_assert(memcmp(ledger_a, ledger_b, GL_LEDGER_ID_BYTES),
              "two data directories, two ledger ids");
    /* a POST signed for B, sent to A: refused, A unchanged */
    gl_buf req;
    signed_post(&req, ledger_b, 41);
    gl_response r;
    cr_assert_eq(h_send_raw_as(&h, K_ALPHA, req.data, req.len, &r), GL_ERR_WRONG_LEDGER);
    cr_assert_eq(r.reply.request_id, 41);
    cr_assert(memmem(r.reply.detail.ptr, r.reply.detail.len, "signed for ledger", 17), "%.*s",
              (int)r.reply.detail.len, r.reply.detail.ptr);
    gl_response_free(&r);
    /* the same bytes are a valid request on B: it was B's, not garbage */
    cr_assert_eq(h_send_raw_as(&other, K_ALPHA, req.data, req.len, &r), GL_OK);
    gl_response_free(&r);
    /* and a read signed for B is refused by A too */
    cr_assert_eq(gl_request_encode(&req, GL_KIND_ACCOUNTS_LIST, ledger_b, h.keys[K_ALPHA].sk,
                                   "alpha", 42, now_ms(), NULL, 0),
                 GL_OK);
    EXPECT_STATUS(h_send_raw_as(&h, K_ALPHA, req.data, req.len, &r_), GL_ERR_WRONG_LEDGER);
    gl_buf_free(&req);
}

RTest(ledger_id, ping_may_name_no_ledger_and_tells_the_id_role_and_tenant)
{
    static const uint8_t zero[GL_LEDGER_ID_BYTES];
    struct meta_find m = {0};
    h_db_each(&h, "meta", find_ledger_id, &m);
    cr_assert(m.found, "the ledger id is in the meta database");
    cr_assert_not(gl_ledger_id_is_zero(m.id));
    static const struct {
        enum h_key key;
        uint8_t role;
        const char *tenant, *name;
    } who[] = {{K_ALPHA, 1, "alpha", "alpha"},
               {K_ACCOUNTANT, 2, "", "accountant"},
               {K_AUDITOR, 3, "", "auditor"}};
    for (size_t i = 0; i < sizeof who / sizeof who[0]; i++) {
        gl_buf req;
        gl_buf_init(&req);
        cr_assert_eq(gl_request_encode(&req, GL_KIND_PING, zero, h.keys[who[i].key].sk, "", 50 + i,
                                       now_ms(), NULL, 0),
                     GL_OK);
        gl_response r;
        cr_assert_eq(h_send_raw_as(&h, who[i].key, req.data, req.len, &r), GL_OK);
        gl_reply_ping p;
        cr_assert_eq(gl_reply_ping_decode(gl_reply_view(r.reply.body, r.reply.body_len), &p),
                     GL_OK);
        cr_assert_arr_eq(p.ledger_id, m.id, GL_LEDGER_ID_BYTES);
        cr_assert_eq(p.role, who[i].role);
        cr_assert(gl_str_eq(p.tenant, who[i].tenant));
        cr_assert(gl_str_eq(p.key_name, who[i].name));
        gl_response_free(&r);
        /* signed for the right ledger: the same answer */
        cr_assert_eq(gl_request_encode(&req, GL_KIND_PING, m.id, h.keys[who[i].key].sk, "", 60 + i,
                                       now_ms(), NULL, 0),
                     GL_OK);
        EXPECT_STATUS(h_send_raw_as(&h, who[i].key, req.data, req.len, &r_), GL_OK);
        gl_buf_free(&req);
    }
    /* the library learns it the same way */
    uint8_t got[GL_LEDGER_ID_BYTES];
    h_ledger_id(&h, got);
    cr_assert_arr_eq(got, m.id, GL_LEDGER_ID_BYTES);
}

RTest(ledger_id, only_ping_may_name_no_ledger)
{
    static const uint8_t zero[GL_LEDGER_ID_BYTES];
    gl_buf req, body;
    signed_post(&req, zero, 71);
    gl_response r;
    cr_assert_eq(h_send_raw_as(&h, K_ALPHA, req.data, req.len, &r), GL_ERR_WRONG_LEDGER);
    cr_assert(memmem(r.reply.detail.ptr, r.reply.detail.len, "only a ping", 11), "%.*s",
              (int)r.reply.detail.len, r.reply.detail.ptr);
    gl_response_free(&r);
    cr_assert_eq(gl_request_encode(&req, GL_KIND_ACCOUNTS_LIST, zero, h.keys[K_ALPHA].sk, "alpha",
                                   72, now_ms(), NULL, 0),
                 GL_OK);
    EXPECT_STATUS(h_send_raw_as(&h, K_ALPHA, req.data, req.len, &r_), GL_ERR_WRONG_LEDGER);
    gl_buf_init(&body);
    gl_lock_q_encode(&body, &(gl_lock_q){.through_ym = 202501, .mode = GL_LOCK_THROUGH});
    cr_assert_eq(gl_request_encode(&req, GL_KIND_LOCK, zero, h.keys[K_ACCOUNTANT].sk, "alpha", 73,
                                   now_ms(), body.data, body.len),
                 GL_OK);
    EXPECT_STATUS(h_send_raw_as(&h, K_ACCOUNTANT, req.data, req.len, &r_), GL_ERR_WRONG_LEDGER);
    gl_buf_free(&body);
    gl_buf_free(&req);
}

/* Each of the 128 bits of the ledger id: flipped in a signed POST, the
 * signature breaks (200); flipped and signed again, it names another
 * ledger (206).  Either way nothing is written. */
RTest(ledger_id, every_ledger_id_bit_flipped_is_refused)
{
    gl_buf req;
    signed_post(&req, NULL, 81);
    void *ctx = zmq_ctx_new(), *s = h_raw_socket(&h, ctx, K_ALPHA);
    int signature = 0, wrong = 0;
    for (int bit = 0; bit < 8 * GL_LEDGER_ID_BYTES; bit++) {
        for (int resigned = 0; resigned < 2; resigned++) {
            req.data[8 + bit / 8] ^= (uint8_t)(1u << (bit % 8));
            if (resigned) {
                gl_buf m;
                gl_buf_init(&m);
                gl_put_bytes(&m, GL_SIGN_TAG, sizeof GL_SIGN_TAG);
                gl_put_bytes(&m, req.data, req.len - GL_SIG_BYTES);
                crypto_sign_detached(req.data + req.len - GL_SIG_BYTES, NULL, m.data, m.len,
                                     h.keys[K_ALPHA].sk);
                gl_buf_free(&m);
            }
            cr_assert_eq(zmq_send(s, req.data, req.len, 0), (int)req.len);
            zmq_msg_t msg;
            zmq_msg_init(&msg);
            cr_assert(zmq_msg_recv(&msg, s, 0) >= 0, "no reply");
            gl_reply rep;
            cr_assert_eq(gl_reply_decode(zmq_msg_data(&msg), zmq_msg_size(&msg), &rep), GL_OK);
            int want = resigned ? GL_ERR_WRONG_LEDGER : GL_ERR_BAD_SIGNATURE;
            cr_assert_eq(rep.status, want, "bit %d%s: %s", bit, resigned ? " (signed again)" : "",
                         gl_status_name(rep.status));
            signature += rep.status == GL_ERR_BAD_SIGNATURE;
            wrong += rep.status == GL_ERR_WRONG_LEDGER;
            zmq_msg_close(&msg);
            req.data[8 + bit / 8] ^= (uint8_t)(1u << (bit % 8));
        }
    }
    cr_assert_eq(signature, 128);
    cr_assert_eq(wrong, 128);
    zmq_close(s);
    zmq_ctx_term(ctx);
    gl_buf_free(&req);
}

RTest(ledger_id, a_pinned_ledger_id_is_signed_into_every_request)
{
    uint8_t own[GL_LEDGER_ID_BYTES], foreign[GL_LEDGER_ID_BYTES];
    h_ledger_id(&h, own);
    memcpy(foreign, own, sizeof foreign);
    foreign[0] ^= 0x80;
    /* the library, pinned to another ledger: the daemon refuses, nothing written */
    gl_client *c;
    char err[256];
    cr_assert_eq(gl_client_open_pinned(&c, h.endpoint, &h.keys[K_ALPHA], h.server_pk, 10000, err,
                                       sizeof err),
                 GL_OK);
    gl_client_pin_ledger(c, foreign);
    gl_buf body;
    post_body(&body, 5);
    gl_response r;
    cr_assert_eq(gl_call(c, GL_KIND_POST, "alpha", 0, body.data, body.len, &r), GL_OK);
    cr_assert_eq(r.reply.status, GL_ERR_WRONG_LEDGER);
    gl_response_free(&r);
    cr_assert_eq(gl_call(c, GL_KIND_PING, "", 0, NULL, 0, &r), GL_OK);
    cr_assert_eq(r.reply.status, GL_ERR_WRONG_LEDGER, "a pinned id is checked even by a ping");
    gl_response_free(&r);
    /* pinned to its own: served */
    gl_client_pin_ledger(c, own);
    cr_assert_eq(gl_call(c, GL_KIND_ACCOUNTS_LIST, "alpha", 0, NULL, 0, &r), GL_OK);
    cr_assert_eq(r.reply.status, GL_OK);
    gl_response_free(&r);
    gl_client_close(c);
    gl_buf_free(&body);
    /* the command line, with GRANDLIVRE_LEDGER_ID */
    char hex[2 * GL_LEDGER_ID_BYTES + 1], out[4096];
    gl_hex(foreign, sizeof foreign, hex);
    setenv("GRANDLIVRE_LEDGER_ID", hex, 1);
    cr_assert_eq(
        h_cli(&h, K_ACCOUNTANT, out, sizeof out, "accounts open --tenant alpha 706000 Ventes"), 1);
    setenv("GRANDLIVRE_LEDGER_ID", "not hex", 1);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, out, sizeof out, "accounts list --tenant alpha"), 2);
    gl_hex(own, sizeof own, hex);
    setenv("GRANDLIVRE_LEDGER_ID", hex, 1);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, out, sizeof out, "accounts list --tenant alpha"), 0);
    unsetenv("GRANDLIVRE_LEDGER_ID");
}

RTest(ledger_id, whoami_shows_the_key_the_daemon_and_the_ledger)
{
    uint8_t own[GL_LEDGER_ID_BYTES];
    char hex[2 * GL_LEDGER_ID_BYTES + 1], fp[GL_FINGERPRINT_LEN], sfp[GL_FINGERPRINT_LEN],
        out[4096];
    h_ledger_id(&h, own);
    gl_hex(own, sizeof own, hex);
    gl_fingerprint(h.keys[K_ALPHA].pk, fp);
    gl_fingerprint(h.server_pk, sfp);
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, "whoami"), 0);
    cr_assert(strstr(out, hex), "%s", out);
    cr_assert(strstr(out, fp), "%s", out);
    cr_assert(strstr(out, sfp), "%s", out);
    cr_assert(strstr(out, "member of alpha"), "%s", out);
    cr_assert(strstr(out, h.endpoint), "%s", out);
    cr_assert_eq(h_cli(&h, K_AUDITOR, out, sizeof out, "whoami"), 0);
    cr_assert(strstr(out, "auditor (every tenant)"), "%s", out);
    /* an unknown key: refused, exit 1 */
    h.absent[K_STRANGER] = false;
    cr_assert_eq(h_cli(&h, K_STRANGER, out, sizeof out, "whoami"), 1);
}

/* ===================================================================== */
/* extension areas through the daemon                                    */
/* ===================================================================== */

TestSuite(extension_area, .init = setup, .fini = teardown, .timeout = 60);

/* POST one entry whose own area (line 0) or line `line`'s holds items, of
 * any length (built by hand: the encoder refuses an area over its limit). */
static int post_with_area(const uint8_t *items, size_t len, int line, gl_response *r)
{
    gl_line_in l[2];
    gl_entry_in e = h_entry2("alpha", 20250301, "606100", "512000", 5, l);
    gl_buf plain;
    gl_buf_init(&plain);
    cr_assert_eq(gl_entry_encode(&plain, &e), GL_OK);
    gl_cur c;
    gl_entry d;
    gl_cur_init(&c, plain.data, plain.len);
    gl_entry_decode(&c, &d);
    cr_assert_eq(gl_cur_end(&c), GL_OK);
    /* where the empty area goes: the entry's before line_count, a line's after its amount */
    size_t at = (size_t)(d.lines - plain.data) - 4;
    if (line) {
        gl_line_iter it;
        gl_line ln;
        gl_line_iter_init(&it, &d);
        for (int i = 0; i < line; i++)
            cr_assert(gl_line_next(&it, &ln));
        at = (size_t)((const uint8_t *)ln.label.ptr - plain.data) + ln.label.len + 1 + 8;
    }
    cr_assert_eq(gl_rd16(plain.data + at), 0);
    gl_buf body;
    gl_buf_init(&body);
    gl_put_u32(&body, 1);
    gl_put_bytes(&body, plain.data, at);
    gl_put_u16(&body, (uint16_t)len);
    gl_put_bytes(&body, items, len);
    gl_put_bytes(&body, plain.data + at + 2, plain.len - at - 2);
    int st = h_call(&h, K_ALPHA, GL_KIND_POST, "alpha", 0, body.data, body.len, r);
    gl_buf_free(&body);
    gl_buf_free(&plain);
    return st;
}

RTest(extension_area, the_empty_area_is_accepted_and_kept)
{
    gl_response r;
    cr_assert_eq(post_with_area(NULL, 0, 0, &r), GL_OK);
    gl_response_free(&r);
    rebase();
    /* stored as sent: an ENTRY2 event with the two zero bytes of each area */
    gl_line_in l[2];
    gl_entry_in e = h_entry2("alpha", 20250301, "606100", "512000", 5, l);
    gl_buf want;
    gl_buf_init(&want);
    cr_assert_eq(gl_entry_encode(&want, &e), GL_OK);
    cr_assert(h_entries_contain(&h, want.data, want.len));
    gl_buf_free(&want);
}

RTest(extension_area, non_canonical_areas_are_refused_with_bad_extension)
{
    static const struct {
        const char *what;
        uint8_t bytes[8];
        size_t len;
    } bad[] = {
        {"types out of order", {2, 0, 1, 0}, 4},
        {"a type repeated", {3, 1, 'x', 3, 1, 'y'}, 6},
        {"type 0", {0, 0}, 2},
        {"an item header cut", {1}, 1},
        {"a value past the area", {1, 5, 'a', 'b'}, 4},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        for (int line = 0; line <= 2; line++) {
            gl_response r;
            int st = post_with_area(bad[i].bytes, bad[i].len, line, &r);
            cr_assert_eq(st, GL_ERR_BAD_EXTENSION, "%s (line %d): %s", bad[i].what, line,
                         gl_status_name(st));
            cr_assert_eq(r.reply.err_item, 1);
            gl_response_free(&r);
        }
    /* over their size limit (well-formed items, so that only the length decides) */
    static uint8_t items[GL_EXT_ENTRY_MAX + 2];
    size_t n = 0;
    for (unsigned type = 1; n + 2 + 200 <= sizeof items - 3; type++, n += 202) {
        items[n] = (uint8_t)type;
        items[n + 1] = 200;
    }
    items[n] = 200; /* the last item fills the area to GL_EXT_ENTRY_MAX + 1 bytes */
    items[n + 1] = (uint8_t)(GL_EXT_ENTRY_MAX + 1 - n - 2);
    gl_response r;
    cr_assert_eq(post_with_area(items, GL_EXT_ENTRY_MAX + 1, 0, &r), GL_ERR_BAD_EXTENSION);
    gl_response_free(&r);
    /* the line's: 257 bytes (items of 200 and 55 bytes of value) */
    static const uint8_t head[] = {1, 200};
    uint8_t line_items[GL_EXT_LINE_MAX + 1] = {0};
    memcpy(line_items, head, 2);
    line_items[202] = 2;
    line_items[203] = GL_EXT_LINE_MAX + 1 - 204;
    cr_assert_eq(post_with_area(line_items, GL_EXT_LINE_MAX + 1, 2, &r), GL_ERR_BAD_EXTENSION);
    gl_response_free(&r);
}

RTest(extension_area, items_of_undefined_types_are_refused_reserved)
{
    /* type 1 is the entry's valid_date (test_fec_keeps.c) and a line's
     * open_item, type 2 a line's analytic codes (test_analytic_proto.c):
     * types 3 and up */
    static const uint8_t one[] = {3, 3, 'A', 'N', '1'}, two[] = {3, 0, 255, 2, 'o', 'k'};
    for (int line = 0; line <= 2; line++) {
        gl_response r;
        cr_assert_eq(post_with_area(one, sizeof one, line, &r), GL_ERR_RESERVED_NONZERO, "line %d",
                     line);
        gl_response_free(&r);
        cr_assert_eq(post_with_area(two, sizeof two, line, &r), GL_ERR_RESERVED_NONZERO, "line %d",
                     line);
        gl_response_free(&r);
    }
}
