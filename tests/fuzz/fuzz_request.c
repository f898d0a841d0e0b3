/*
 * tests/fuzz/fuzz_request.c — libFuzzer target for the request envelope and
 * every body decoder reachable from it, plus the reply envelope.
 *
 * Any byte string: gl_request_decode (version 2) and gl_request_decode_any
 * (version 1 history too) must return a status without reading past the
 * input.  When it decodes, the decoded views must lie inside the input, the
 * signature is checked (a fuzzer cannot forge one, but the verifier must not
 * crash), both digests computed, and the body decoded with the decoder of
 * its kind, POST entries in the layout of the request's version; a body that
 * decodes is iterated whole (iteration asserts it cannot fail) and every
 * entry is checked with gl_entry_check, whose OK must mean "balanced,
 * positive, valid accounts"; its extension areas are empty (no type is
 * defined), and re-encoding it (gl_entry_put) in its own layout gives its
 * bytes, in the other layout bytes that convert back to them.  The same
 * bytes are also decoded as a reply (which must re-encode to the input,
 * version aside) and as a PING reply.  The bodies of the other kinds go through body_checks.h
 * (dates, months, years in range).  Seeds: tests/fuzz/corpus/fuzz_request/.
 */
#include "proto/backup.h"
#include "tests/fuzz/body_checks.h"

#include "proto/date.h"
#include "proto/entry.h"
#include "proto/limits.h"
#include "proto/query.h"
#include "proto/reply.h"
#include "proto/request.h"
#include "proto/status.h"
#include "proto/textfold.h"
#include "proto/wire.h"

#include <sodium.h>

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

static bool inside(const uint8_t *p, size_t n, const uint8_t *base, size_t len)
{
    return p >= base && (size_t)(p - base) <= len && n <= len - (size_t)(p - base);
}

static void check_entry(const gl_entry *e)
{
    uint32_t bad_line;
    int st = gl_entry_check(e, &bad_line);
    CHECK(bad_line <= e->line_count);
    gl_line_iter it;
    gl_line l;
    uint16_t n = 0;
    int64_t sum = 0;
    bool sum_ok = true;
    gl_line_iter_init(&it, e);
    while (gl_line_next(&it, &l)) {
        n++;
        CHECK(l.side == GL_SIDE_DEBIT || l.side == GL_SIDE_CREDIT);
        if (st == GL_OK) {
            CHECK(l.amount_cents > 0);
            CHECK(gl_account_valid(l.account));
            int64_t s = gl_line_signed(&l);
            if (__builtin_add_overflow(sum, s, &sum))
                sum_ok = false;
        }
    }
    CHECK(n == e->line_count);
    if (st == GL_OK) {
        CHECK(e->line_count >= 2);
        CHECK(gl_journal_valid(e->journal));
        CHECK(sum_ok && sum == 0);
    }
    /* One extension type is defined, the entry's validation date: an
     * entry's area is empty or holds just that item; a line's is empty. */
    CHECK(e->ext_len == 0 ||
          (e->ext_len == 2 + GL_EXT_VALID_DATE_LEN && gl_entry_valid_date(e) != 0));
    gl_line_iter_init(&it, e);
    while (gl_line_next(&it, &l))
        CHECK(l.ext_len == 0);
    if (e->ext_len)
        return; /* no layout 1 form (below) */
    /* Its own layout re-encodes to its bytes; the other one converts back. */
    gl_buf own, other, back;
    gl_buf_init(&own);
    gl_buf_init(&other);
    gl_buf_init(&back);
    int other_layout = e->layout == GL_LAYOUT_1 ? GL_LAYOUT_2 : GL_LAYOUT_1;
    CHECK(gl_entry_put(&own, e, e->layout) == GL_OK);
    CHECK(own.len == e->raw_len && memcmp(own.data, e->raw, own.len) == 0);
    CHECK(gl_entry_put(&other, e, other_layout) == GL_OK);
    gl_cur c;
    gl_entry o;
    gl_cur_init(&c, other.data, other.len);
    gl_entry_decode_layout(&c, &o, other_layout);
    CHECK(gl_cur_end(&c) == GL_OK);
    CHECK(gl_entry_put(&back, &o, e->layout) == GL_OK);
    CHECK(back.len == e->raw_len && memcmp(back.data, e->raw, back.len) == 0);
    gl_buf_free(&own);
    gl_buf_free(&other);
    gl_buf_free(&back);
}

/* A decoded filter block keeps its rule (§5.6.1): present only with the
 * flag, never a field the kind refuses, every field given within bounds;
 * and searching its text cannot fail. */
static void check_filter(const gl_filter *f, bool flagged, uint8_t refused)
{
    CHECK(flagged ? f->fields != 0 : f->fields == 0);
    CHECK((f->fields & ~GL_FILTER_ALL) == 0 && (f->fields & refused) == 0);
    if (f->fields & GL_FILTER_ACCOUNT)
        CHECK(gl_account_valid(f->account));
    if (f->fields & GL_FILTER_AUX)
        CHECK(f->aux.len >= 1 && f->aux.len <= GL_AUX_MAX);
    if (f->fields & GL_FILTER_TEXT) {
        CHECK(f->text.len >= 1 && f->text.len <= GL_LABEL_MAX);
        CHECK(gl_text_contains(f->text.ptr, f->text.len, f->text.ptr, f->text.len));
    }
    if (f->fields & GL_FILTER_JOURNAL)
        CHECK(gl_journal_valid(f->journal));
    if (f->fields & GL_FILTER_AMOUNT)
        CHECK(f->amount > 0 && f->amount <= GL_FILTER_AMOUNT_MAX);
    if (f->fields & GL_FILTER_OPEN_AT)
        CHECK(gl_date_valid(f->open_at));
}

static void decode_body(const gl_request *r)
{
    uint32_t bad_item = 0;
    int st;
    /* what the daemon decodes at admission (the kind table): the same
     * status and item as the codec below */
    gl_body tb;
    uint32_t table_bad;
    int table_st = gl_body_decode(r->kind, r->body, r->body_len, &tb, &table_bad);
    CHECK(table_st != GL_ERR_UNKNOWN_KIND); /* the envelope refused unknown kinds */
    switch (r->kind) {
    case GL_KIND_ACCOUNTS_OPEN: {
        gl_accounts_open o;
        st = gl_accounts_open_decode(r->body, r->body_len, &o, &bad_item);
        CHECK(bad_item == 0 || (st != GL_OK && bad_item <= GL_ACCOUNTS_MAX));
        CHECK(st == table_st && bad_item == table_bad);
        if (st == GL_OK) {
            gl_item_iter it;
            gl_account_item a;
            uint32_t n = 0;
            gl_account_iter_init(&it, &o);
            while (gl_account_next(&it, &a))
                n++;
            CHECK(n == o.count && n >= 1);
        }
        break;
    }
    case GL_KIND_ACCOUNT_LABEL: {
        gl_accounts_open o;
        st = gl_account_label_decode(r->body, r->body_len, &o, &bad_item);
        CHECK(bad_item == 0 || (st != GL_OK && bad_item <= GL_LABELS_MAX));
        CHECK(st == table_st && bad_item == table_bad);
        if (st == GL_OK) {
            gl_item_iter it;
            gl_account_item a;
            uint32_t n = 0;
            gl_account_iter_init(&it, &o);
            while (gl_account_next(&it, &a))
                n++;
            CHECK(n == o.count && n >= 1 && n <= GL_LABELS_MAX);
        }
        break;
    }
    case GL_KIND_POST: {
        gl_post p;
        int layout = r->version == GL_PROTOCOL_VERSION_1 ? GL_LAYOUT_1 : GL_LAYOUT_2;
        st = gl_post_decode_layout(r->body, r->body_len, layout, &p, &bad_item);
        CHECK(bad_item == 0 || (st != GL_OK && bad_item <= GL_ENTRIES_MAX));
        CHECK(layout == GL_LAYOUT_1 || (st == table_st && bad_item == table_bad));
        if (st == GL_OK) {
            gl_item_iter it;
            gl_entry e;
            uint32_t n = 0;
            size_t total = 0;
            gl_post_iter_init(&it, &p);
            while (gl_post_next(&it, &e)) {
                n++;
                total += e.raw_len;
                check_entry(&e);
            }
            CHECK(n == p.count && total == p.entries_len);
            CHECK(4 + p.entries_len == r->body_len);
        }
        break;
    }
    case GL_KIND_BALANCE: {
        gl_balance_q q;
        if (gl_balance_q_decode(r->body, r->body_len, &q) == GL_OK)
            CHECK(r->body_len == 5 && gl_date_valid(q.at));
        break;
    }
    case GL_KIND_JOURNAL: {
        gl_journal_q q;
        if (gl_journal_q_decode(r->body, r->body_len, &q) == GL_OK) {
            CHECK(q.from <= q.to && q.limit >= 1 && q.limit <= GL_PAGE_MAX);
            check_filter(&q.filter, (q.flags & GL_JOURNAL_FILTER) != 0, GL_FILTER_OPEN_AT);
        }
        break;
    }
    case GL_KIND_LEDGER: {
        gl_ledger_q q;
        if (gl_ledger_q_decode(r->body, r->body_len, &q) == GL_OK) {
            CHECK(q.from <= q.to && q.limit >= 1 && q.limit <= GL_PAGE_MAX &&
                  q.account.len <= GL_ACCOUNT_MAX);
            check_filter(&q.filter, (q.flags & GL_LEDGER_FILTER) != 0, GL_FILTER_ACCOUNT);
        }
        break;
    }
    case GL_KIND_BACKUP: {
        gl_str name;
        if (gl_backup_q_decode(r->body, r->body_len, &name) == GL_OK)
            CHECK(gl_backup_name_valid(name) && name.len >= 1 && name.len <= GL_BACKUP_NAME_MAX &&
                  name.ptr[0] != '.' && !memchr(name.ptr, '/', name.len));
        break;
    }
    default: /* the other kinds: body_checks.h (PING, ACCOUNTS_LIST: empty) */
        body_check(r->kind, r->body, r->body_len);
        break;
    }
}

static void fuzz_reply(const uint8_t *data, size_t size)
{
    gl_reply rp;
    if (gl_reply_decode(data, size, &rp) != GL_OK)
        return;
    CHECK(rp.detail.len <= GL_DETAIL_MAX);
    CHECK(gl_utf8_valid(rp.detail.ptr, rp.detail.len));
    CHECK(inside(rp.body, rp.body_len, data, size));
    CHECK(rp.version == GL_PROTOCOL_VERSION || rp.version == GL_PROTOCOL_VERSION_1);
    gl_buf b;
    gl_buf_init(&b);
    gl_reply_encode(&b, &rp);
    CHECK(gl_buf_ok(&b));
    /* the same bytes, but for the version: always today's when encoding */
    CHECK(b.len == size && memcmp(b.data, data, 4) == 0 &&
          memcmp(b.data + 6, data + 6, size - 6) == 0);
    CHECK(gl_rd16(b.data + 4) == GL_PROTOCOL_VERSION);
    gl_buf_free(&b);
}

static void fuzz_ping_reply(const uint8_t *data, size_t size)
{
    gl_reply_ping p;
    if (gl_reply_ping_decode(gl_reply_view(data, size), &p) != GL_OK)
        return;
    CHECK(inside(p.ledger_id, GL_LEDGER_ID_BYTES, data, size));
    CHECK(p.tenant.len <= GL_TENANT_MAX);
    gl_buf b;
    gl_buf_init(&b);
    gl_reply_ping_encode(&b, &p);
    CHECK(gl_buf_ok(&b) && b.len <= size &&
          memcmp(b.data, data, b.len) == 0); /* trailing bytes ignored */
    gl_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool ready;
    if (!ready) {
        CHECK(sodium_init() >= 0);
        ready = true;
    }
    gl_request r, any;
    int st = gl_request_decode(data, size, &r);
    int st_any = gl_request_decode_any(data, size, &any);
    /* the two decoders differ only on version 1 */
    CHECK(st == st_any || (st == GL_ERR_VERSION && any.version == GL_PROTOCOL_VERSION_1));
    if (st_any == GL_OK) {
        CHECK(any.raw == data && any.raw_len == size);
        CHECK(any.version == GL_PROTOCOL_VERSION || any.version == GL_PROTOCOL_VERSION_1);
        CHECK((any.ledger_id == NULL) == (any.version == GL_PROTOCOL_VERSION_1));
        CHECK(!any.ledger_id || inside(any.ledger_id, GL_LEDGER_ID_BYTES, data, size));
        CHECK(any.kind >= 1 && any.kind <= GL_KIND_MAX_);
        CHECK(any.tenant.len <= GL_TENANT_MAX);
        CHECK(inside(any.signer, GL_PUBKEY_BYTES, data, size));
        CHECK(inside(any.body, any.body_len, data, size));
        CHECK(any.signature == data + size - GL_SIG_BYTES);
        int vs = gl_request_verify(&any);
        CHECK(vs == GL_OK || vs == GL_ERR_BAD_SIGNATURE);
        uint8_t digest[32], digest_v2[32];
        gl_request_digest(&any, digest);
        if (gl_request_digest_v2(&any, digest_v2) == GL_OK && any.version == GL_PROTOCOL_VERSION)
            CHECK(memcmp(digest, digest_v2, 32) == 0);
        decode_body(&any);
    }
    fuzz_reply(data, size);
    fuzz_ping_reply(data, size);
    return 0;
}
