/*
 * tests/fuzz/fuzz_roundtrip.c — libFuzzer target: "exactly one byte string
 * encodes each request body".
 *
 * The input is tried as every request body.  Whatever gl_post_decode
 * accepts, in either entry layout (2 today, 1 the history), must re-encode
 * — count, then entry by entry through gl_entry_encode_layout from the
 * decoded fields and extension areas — to exactly the input bytes, and
 * each entry alone to exactly its raw bytes.  Whatever the BALANCE, JOURNAL
 * and LEDGER decoders accept must re-encode through their _encode functions
 * to exactly the input; ACCOUNTS_OPEN (no encoder in proto) is re-encoded
 * with gl_put_*.  Any difference aborts.
 * Seeds: tests/fuzz/corpus/fuzz_roundtrip/.
 */
#include "proto/entry.h"
#include "proto/limits.h"
#include "proto/query.h"
#include "proto/status.h"
#include "proto/wire.h"

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

/* NUL-terminated copies of the decoded strings (they hold no NUL: the
 * decoder refuses control bytes). */
struct line_text {
    char account[GL_ACCOUNT_MAX + 1], aux[GL_AUX_MAX + 1];
    char aux_label[GL_LABEL_MAX + 1], label[GL_LABEL_MAX + 1];
};

static struct line_text line_texts[GL_LINES_MAX];
static gl_line_in lines_in[GL_LINES_MAX];
static gl_ext_in line_ext[GL_LINES_MAX];

static const char *cstr(gl_str s, char *out, size_t cap)
{
    CHECK(s.len < cap);
    if (s.len)
        memcpy(out, s.ptr, s.len);
    out[s.len] = '\0';
    CHECK(strlen(out) == s.len);
    return out;
}

static bool entry_reencode(gl_buf *out, const gl_entry *e)
{
    char tenant[GL_TENANT_MAX + 1], journal[GL_JOURNAL_MAX + 1];
    char piece[GL_PIECE_MAX + 1], label[GL_LABEL_MAX + 1];
    gl_entry_in in = {
        .tenant = cstr(e->tenant, tenant, sizeof tenant),
        .journal = cstr(e->journal, journal, sizeof journal),
        .piece_ref = cstr(e->piece_ref, piece, sizeof piece),
        .label = cstr(e->label, label, sizeof label),
        .date = e->date,
        .piece_date = e->piece_date,
        .reverses_fy = e->reverses_fy,
        .reverses_num = e->reverses_num,
        .flags = e->flags,
        .line_count = e->line_count,
        .lines = lines_in,
        .ext = {e->ext, e->ext_len},
        .line_ext = line_ext,
    };
    CHECK(e->line_count <= GL_LINES_MAX);
    gl_line_iter it;
    gl_line l;
    size_t n = 0;
    gl_line_iter_init(&it, e);
    while (gl_line_next(&it, &l)) {
        struct line_text *t = &line_texts[n];
        lines_in[n] = (gl_line_in){
            .account = cstr(l.account, t->account, sizeof t->account),
            .aux = cstr(l.aux, t->aux, sizeof t->aux),
            .aux_label = cstr(l.aux_label, t->aux_label, sizeof t->aux_label),
            .label = cstr(l.label, t->label, sizeof t->label),
            .side = l.side,
            .amount_cents = l.amount_cents,
        };
        line_ext[n] = (gl_ext_in){l.ext, l.ext_len};
        n++;
    }
    CHECK(n == e->line_count);
    return gl_entry_encode_layout(out, &in, e->layout) == GL_OK;
}

static void same(const gl_buf *b, const uint8_t *data, size_t size)
{
    CHECK(gl_buf_ok(b));
    CHECK(b->len == size);
    CHECK(size == 0 || memcmp(b->data, data, size) == 0);
}

static void post(const uint8_t *data, size_t size, int layout)
{
    gl_post p;
    uint32_t bad_item;
    if (gl_post_decode_layout(data, size, layout, &p, &bad_item) != GL_OK)
        return;
    gl_buf all, one;
    gl_buf_init(&all);
    gl_buf_init(&one);
    gl_put_u32(&all, p.count);
    gl_item_iter it;
    gl_entry e;
    gl_post_iter_init(&it, &p);
    while (gl_post_next(&it, &e)) {
        CHECK(entry_reencode(&all, &e));
        gl_buf_reset(&one);
        CHECK(entry_reencode(&one, &e));
        same(&one, e.raw, e.raw_len);
    }
    if (p.follows) /* the optional request id the POST follows (PROTOCOL §5.4) */
        gl_put_u64(&all, p.follows);
    same(&all, data, size);
    gl_buf_free(&one);
    gl_buf_free(&all);
}

static void accounts_open(const uint8_t *data, size_t size)
{
    gl_accounts_open o;
    uint32_t bad_item;
    if (gl_accounts_open_decode(data, size, &o, &bad_item) != GL_OK)
        return;
    gl_buf b;
    gl_buf_init(&b);
    gl_put_u8(&b, o.mode);
    gl_put_u32(&b, o.count);
    gl_item_iter it;
    gl_account_item a;
    gl_account_iter_init(&it, &o);
    while (gl_account_next(&it, &a)) {
        gl_put_str8(&b, a.account.ptr, a.account.len);
        gl_put_str8(&b, a.label.ptr, a.label.len);
    }
    same(&b, data, size);
    gl_buf_free(&b);
}

/* ACCOUNT_LABEL: the same items without the mode byte. */
static void account_label(const uint8_t *data, size_t size)
{
    gl_accounts_open o;
    uint32_t bad_item;
    if (gl_account_label_decode(data, size, &o, &bad_item) != GL_OK)
        return;
    gl_buf b;
    gl_buf_init(&b);
    gl_put_u32(&b, o.count);
    gl_item_iter it;
    gl_account_item a;
    gl_account_iter_init(&it, &o);
    while (gl_account_next(&it, &a)) {
        gl_put_str8(&b, a.account.ptr, a.account.len);
        gl_put_str8(&b, a.label.ptr, a.label.len);
    }
    same(&b, data, size);
    gl_buf_free(&b);
}

static void queries(const uint8_t *data, size_t size)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_balance_q bq;
    if (gl_balance_q_decode(data, size, &bq) == GL_OK) {
        gl_balance_q_encode(&b, &bq);
        same(&b, data, size);
    }
    gl_journal_q jq;
    if (gl_journal_q_decode(data, size, &jq) == GL_OK) {
        gl_buf_reset(&b);
        gl_journal_q_encode(&b, &jq);
        same(&b, data, size);
    }
    gl_ledger_q lq;
    if (gl_ledger_q_decode(data, size, &lq) == GL_OK) {
        gl_buf_reset(&b);
        gl_ledger_q_encode(&b, &lq);
        same(&b, data, size);
    }
    gl_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    post(data, size, GL_LAYOUT_2);
    post(data, size, GL_LAYOUT_1);
    accounts_open(data, size);
    account_label(data, size);
    queries(data, size);
    /* A single entry on its own (the bytes kept in the ledger), in both layouts. */
    for (int layout = GL_LAYOUT_1; layout <= GL_LAYOUT_2; layout++) {
        gl_cur c;
        gl_entry e;
        gl_cur_init(&c, data, size);
        gl_entry_decode_layout(&c, &e, layout);
        if (gl_cur_end(&c) == GL_OK) {
            gl_buf b;
            gl_buf_init(&b);
            CHECK(entry_reencode(&b, &e));
            same(&b, data, size);
            gl_buf_free(&b);
        }
    }
    return 0;
}
