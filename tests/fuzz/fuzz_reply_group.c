/*
 * tests/fuzz/fuzz_reply_group.c — libFuzzer target: the reply codecs of
 * proto/reply_group.h round-trip.
 *
 * The first byte picks the reply (STATS, BACKUP, KEYRING, TENANTS,
 * KEYS_SET, KEYS_GET, RECHARGE/DUES, GROUP_BALANCE, GROUP_RECONCILE), the
 * rest is its body.  Whatever the decoder accepts is encoded again from
 * the decoded struct and its rows (the iterator must give exactly `count`
 * rows, never fail): the result must be exactly the bytes the decoder said
 * it read (the body's prefix; what follows is ignored, PROTOCOL.md §3),
 * and decoding that again must accept it whole and encode it to the same
 * bytes (so the same fields).  Any difference aborts; a decoder reading
 * past its input shows under ASan.
 * Seeds: tests/fuzz/corpus/fuzz_reply_group/ (first byte, then a body).
 */
#include "proto/reply_group.h"

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

/* Each: decode body; on success encode it again into out and set *len to
 * the bytes the decoder read.  false if the decoder refused the body. */
typedef bool (*reencode_fn)(gl_str body, gl_buf *out, size_t *len);

static bool stats(gl_str body, gl_buf *out, size_t *len)
{
    gl_reply_stats r;
    if (gl_reply_stats_decode(body, &r) != GL_OK)
        return false;
    gl_reply_stats_encode(out, &r);
    gl_reply_stats_iter it;
    gl_reply_stats_row row;
    uint32_t n = 0;
    int got;
    gl_reply_stats_iter_init(&it, &r);
    while ((got = gl_reply_stats_next(&it, &row)) == 1 && ++n)
        gl_reply_stats_put_row(out, &row);
    CHECK(got == 0 && n == r.count);
    *len = r.len;
    return true;
}

static bool backup(gl_str body, gl_buf *out, size_t *len)
{
    gl_reply_backup r;
    if (gl_reply_backup_decode(body, &r) != GL_OK)
        return false;
    gl_reply_backup_encode(out, &r);
    *len = r.len;
    return true;
}

static bool keyring(gl_str body, gl_buf *out, size_t *len)
{
    gl_reply_keyring r;
    if (gl_reply_keyring_decode(body, &r) != GL_OK)
        return false;
    size_t at = gl_reply_keyring_encode(out, &(gl_reply_keyring){0});
    gl_reply_keyring_iter it;
    gl_reply_keyring_row row;
    uint32_t n = 0;
    int got;
    gl_reply_keyring_iter_init(&it, &r);
    while ((got = gl_reply_keyring_next(&it, &row)) == 1 && ++n)
        gl_reply_keyring_put_row(out, &row);
    CHECK(got == 0 && n == r.count);
    gl_reply_keyring_set_count(out, at, n); /* the way the daemon writes it */
    *len = r.len;
    return true;
}

static bool tenants(gl_str body, gl_buf *out, size_t *len)
{
    gl_reply_tenants r;
    if (gl_reply_tenants_decode(body, &r) != GL_OK)
        return false;
    gl_reply_tenants_encode(out, &r);
    gl_reply_tenants_iter it;
    gl_reply_tenants_row row;
    uint32_t n = 0;
    int got;
    gl_reply_tenants_iter_init(&it, &r);
    while ((got = gl_reply_tenants_next(&it, &row)) == 1 && ++n)
        gl_reply_tenants_put_row(out, &row);
    CHECK(got == 0 && n == r.count);
    gl_reply_tenants_end(out, &r);
    /* an older daemon's reply ends after the umbrella (no combination
     * ledger): written again as it wrote it */
    if (r.combination.len == 0 && out->len == r.len + 1)
        out->len--;
    *len = r.len;
    return true;
}

static bool keys_set(gl_str body, gl_buf *out, size_t *len)
{
    gl_reply_keys_set r;
    if (gl_reply_keys_set_decode(body, &r) != GL_OK)
        return false;
    gl_reply_keys_set_encode(out, &r);
    *len = r.len;
    return true;
}

static bool keys_get(gl_str body, gl_buf *out, size_t *len)
{
    gl_reply_keys_get r;
    if (gl_reply_keys_get_decode(body, &r) != GL_OK)
        return false;
    gl_reply_keys_get_encode(out, &r);
    gl_reply_keys_get_iter it;
    gl_reply_keys_row row;
    uint32_t n = 0;
    int got;
    gl_reply_keys_get_iter_init(&it, &r);
    while ((got = gl_reply_keys_get_next(&it, &row)) == 1 && ++n)
        gl_reply_keys_get_put_row(out, &row);
    CHECK(got == 0 && n == r.count);
    *len = r.len;
    return true;
}

static bool posted(gl_str body, gl_buf *out, size_t *len)
{
    gl_reply_posted r;
    if (gl_reply_posted_decode(body, &r) != GL_OK)
        return false;
    size_t at = gl_reply_posted_encode(out, &(gl_reply_posted){0});
    gl_reply_posted_iter it;
    gl_reply_posted_row row;
    uint32_t n = 0;
    int got;
    gl_reply_posted_iter_init(&it, &r);
    while ((got = gl_reply_posted_next(&it, &row)) == 1 && ++n)
        gl_reply_posted_put_row(out, &row);
    CHECK(got == 0 && n == r.count);
    gl_reply_posted_set_count(out, at, n);
    *len = r.len;
    return true;
}

static gl_reply_group_balance gb; /* 6 KiB: kept off the stack */

static bool group_balance(gl_str body, gl_buf *out, size_t *len)
{
    if (gl_reply_group_balance_decode(body, &gb) != GL_OK)
        return false;
    uint32_t count = gb.count;
    gb.count = 0;
    size_t at = gl_reply_group_balance_encode(out, &gb);
    gb.count = count;
    gl_reply_group_balance_iter it;
    gl_reply_group_balance_row row;
    uint32_t n = 0;
    int got;
    gl_reply_group_balance_iter_init(&it, &gb);
    static int64_t extras[2 * 65536];
    bool keep = gb.count <= 65536;
    while ((got = gl_reply_group_balance_next(&it, &row)) == 1 && ++n) {
        gl_reply_group_balance_put_row(out, gb.n, &row);
        if (keep) {
            extras[2 * (n - 1)] = row.gap;
            extras[2 * (n - 1) + 1] = row.adj;
        }
        CHECK(gb.has_tail || (row.gap == 0 && row.adj == 0));
    }
    CHECK(got == 0 && n == gb.count);
    gl_reply_group_balance_set_count(out, at, n);
    if (gb.has_tail) { /* issue 20: the combination ledger, then per row gap and adj */
        CHECK(keep);
        gl_reply_group_balance_put_tail(
            out, &(gl_reply_group_balance_tail){gb.combination, gb.combination_fy});
        for (uint32_t i = 0; i < n; i++)
            gl_reply_group_balance_put_extra(out, extras[2 * i], extras[2 * i + 1]);
    }
    *len = gb.len;
    return true;
}

static bool reconcile(gl_str body, gl_buf *out, size_t *len)
{
    gl_reply_reconcile r;
    if (gl_reply_reconcile_decode(body, &r) != GL_OK)
        return false;
    gl_reply_reconcile_encode(out, &r);
    gl_reply_reconcile_iter it, lines;
    gl_reply_reconcile_pair pair;
    gl_reply_reconcile_line line;
    uint32_t n = 0;
    int got;
    gl_reply_reconcile_iter_init(&it, &r);
    while ((got = gl_reply_reconcile_next(&it, &pair)) == 1 && ++n) {
        uint16_t unmatched = pair.unmatched;
        pair.unmatched = 0;
        size_t at = gl_reply_reconcile_put_pair(out, &pair);
        pair.unmatched = unmatched;
        uint32_t m = 0;
        int lgot;
        gl_reply_reconcile_lines_init(&lines, &pair);
        while ((lgot = gl_reply_reconcile_line_next(&lines, &line)) == 1 && ++m)
            gl_reply_reconcile_put_line(out, &line);
        CHECK(lgot == 0 && m == unmatched);
        gl_reply_reconcile_set_unmatched(out, at, (uint16_t)m);
    }
    CHECK(got == 0 && n == r.pairs);
    *len = r.len;
    return true;
}

static const reencode_fn replies[] = {stats,    backup, keyring,       tenants,  keys_set,
                                      keys_get, posted, group_balance, reconcile};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    reencode_fn f = replies[data[0] % (sizeof replies / sizeof replies[0])];
    gl_str body = {(const char *)data + 1, size - 1};
    gl_buf once, twice;
    gl_buf_init(&once);
    gl_buf_init(&twice);
    size_t len = 0, len2 = 0;
    if (f(body, &once, &len)) {
        CHECK(gl_buf_ok(&once));
        CHECK(len <= body.len);
        CHECK(once.len == len && (len == 0 || memcmp(once.data, body.ptr, len) == 0));
        CHECK(f((gl_str){(const char *)once.data, once.len}, &twice, &len2));
        CHECK(gl_buf_ok(&twice));
        CHECK(len2 == once.len && twice.len == once.len &&
              (once.len == 0 || !memcmp(twice.data, once.data, once.len)));
    }
    gl_buf_free(&once);
    gl_buf_free(&twice);
    return 0;
}
