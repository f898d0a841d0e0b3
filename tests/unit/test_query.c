/*
 * tests/unit/test_query.c — proto/query: the request bodies other than a
 * single entry.  Every decoder: refusals first (with bad_item where there is
 * one), truncation at every length, trailing bytes, then round trips.
 */
#include "proto/entry.h"
#include "proto/limits.h"
#include "proto/query.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <criterion/criterion.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Exact-size heap copy so ASan catches any over-read. */
static uint8_t *dup_bytes(const uint8_t *p, size_t n)
{
    uint8_t *d = malloc(n ? n : 1);
    cr_assert_not_null(d);
    if (n)
        memcpy(d, p, n);
    return d;
}

/* ---- ACCOUNTS_OPEN ------------------------------------------------------ */

static void open_body(gl_buf *b, uint8_t mode, uint32_t count, size_t items)
{
    static const char *const acc[] = {"512000", "756000", "411CLI", "606100"};
    static const char *const lab[] = {"Banque", "Cotisations", "Clients \xc3\xa9", ""};
    gl_buf_init(b);
    gl_put_u8(b, mode);
    gl_put_u32(b, count);
    for (size_t i = 0; i < items; i++) {
        gl_put_str8(b, acc[i % 4], strlen(acc[i % 4]));
        gl_put_str8(b, lab[i % 4], strlen(lab[i % 4]));
    }
}

static int open_decode(const gl_buf *b, size_t len, gl_accounts_open *o, uint32_t *bad)
{
    uint8_t *d = dup_bytes(b->data, len);
    *bad = 12345;
    int st = gl_accounts_open_decode(d, len, o, bad);
    free(d);
    return st;
}

Test(query, accounts_open_refusals)
{
    gl_buf b;
    gl_accounts_open o;
    uint32_t bad;

    open_body(&b, GL_OPEN_STRICT, 0, 0);
    cr_expect_eq(open_decode(&b, b.len, &o, &bad), GL_ERR_NO_ENTRIES);
    cr_expect_eq(bad, 0u);
    gl_buf_free(&b);

    open_body(&b, GL_OPEN_STRICT, GL_ACCOUNTS_MAX + 1, 1);
    cr_expect_eq(open_decode(&b, b.len, &o, &bad), GL_ERR_COUNT_LIMIT);
    cr_expect_eq(bad, 0u);
    gl_buf_free(&b);

    open_body(&b, GL_OPEN_STRICT, UINT32_MAX, 1);
    cr_expect_eq(open_decode(&b, b.len, &o, &bad), GL_ERR_COUNT_LIMIT);
    gl_buf_free(&b);

    static const uint8_t modes[] = {4, 6, 0x80, 0xff}; /* 2 and 3: with the history flag */
    for (size_t i = 0; i < sizeof modes; i++) {
        open_body(&b, modes[i], 1, 1);
        cr_expect_eq(open_decode(&b, b.len, &o, &bad), GL_ERR_MALFORMED, "mode %u",
                     (unsigned)modes[i]);
        gl_buf_free(&b);
    }

    /* The 3rd item is malformed: bad_item is 3. */
    open_body(&b, GL_OPEN_STRICT, 4, 2);
    gl_put_str8(&b, "401000", 6);
    gl_put_str8(&b, "Fournisseurs\n", 13);
    gl_put_str8(&b, "512000", 6);
    gl_put_str8(&b, "ok", 2);
    cr_expect_eq(open_decode(&b, b.len, &o, &bad), GL_ERR_STRING_INVALID);
    cr_expect_eq(bad, 3u);
    gl_buf_free(&b);

    /* An account longer than GL_ACCOUNT_MAX in the 3rd item. */
    open_body(&b, GL_OPEN_STRICT, 3, 2);
    gl_put_str8(&b, "512000000000000000000", 21);
    gl_put_str8(&b, "x", 1);
    cr_expect_eq(open_decode(&b, b.len, &o, &bad), GL_ERR_STRING_TOO_LONG);
    cr_expect_eq(bad, 3u);
    gl_buf_free(&b);

    /* Fewer items than counted: the first missing one is at fault. */
    open_body(&b, GL_OPEN_STRICT, 3, 2);
    cr_expect_eq(open_decode(&b, b.len, &o, &bad), GL_ERR_MALFORMED);
    cr_expect_eq(bad, 3u);
    gl_buf_free(&b);

    /* More items than counted: trailing bytes, no item at fault. */
    open_body(&b, GL_OPEN_STRICT, 2, 3);
    cr_expect_eq(open_decode(&b, b.len, &o, &bad), GL_ERR_TRAILING_BYTES);
    cr_expect_eq(bad, 0u);
    gl_buf_free(&b);
}

Test(query, accounts_open_truncation)
{
    gl_buf b;
    open_body(&b, GL_OPEN_SKIP_EXISTING, 3, 3);
    for (size_t n = 0; n < b.len; n++) {
        gl_accounts_open o;
        uint32_t bad;
        cr_expect_eq(open_decode(&b, n, &o, &bad), GL_ERR_MALFORMED, "prefix %zu", n);
    }
    gl_buf_free(&b);
}

Test(query, accounts_open_round_trip)
{
    gl_buf b;
    open_body(&b, GL_OPEN_SKIP_EXISTING, 4, 4);
    gl_accounts_open o;
    uint32_t bad;
    cr_assert_eq(gl_accounts_open_decode(b.data, b.len, &o, &bad), GL_OK);
    cr_expect_eq(bad, 0u);
    cr_expect_eq(o.mode, GL_OPEN_SKIP_EXISTING);
    cr_expect_eq(o.count, 4u);
    cr_expect_eq(o.items, b.data + 5);
    cr_expect_eq(o.items_len, b.len - 5);
    gl_item_iter it;
    gl_account_item a;
    gl_account_iter_init(&it, &o);
    cr_assert(gl_account_next(&it, &a));
    cr_expect(gl_str_eq(a.account, "512000"));
    cr_expect(gl_str_eq(a.label, "Banque"));
    cr_assert(gl_account_next(&it, &a));
    cr_assert(gl_account_next(&it, &a));
    cr_expect(gl_str_eq(a.label, "Clients \xc3\xa9"));
    cr_assert(gl_account_next(&it, &a));
    cr_expect(gl_str_eq(a.account, "606100"));
    cr_expect(gl_str_eq(a.label, ""));
    cr_expect(!gl_account_next(&it, &a));
    gl_buf_free(&b);
}

/* ---- POST ---------------------------------------------------------------- */

static void put_entry(gl_buf *b, uint32_t date, uint8_t side2)
{
    gl_line_in ls[] = {
        {.account = "512000",
         .aux = "",
         .aux_label = "",
         .label = "",
         .side = 'D',
         .amount_cents = 5000},
        {.account = "756000",
         .aux = "",
         .aux_label = "",
         .label = "Cotisation",
         .side = side2,
         .amount_cents = 5000},
    };
    gl_entry_in e = {.tenant = "acme",
                     .journal = "BQ",
                     .piece_ref = "R1",
                     .label = "Adh",
                     .date = date,
                     .piece_date = date,
                     .line_count = 2,
                     .lines = ls};
    cr_assert_eq(gl_entry_encode(b, &e), GL_OK);
}

static int post_decode(const gl_buf *b, size_t len, gl_post *p, uint32_t *bad)
{
    uint8_t *d = dup_bytes(b->data, len);
    *bad = 12345;
    int st = gl_post_decode(d, len, p, bad);
    free(d);
    return st;
}

Test(query, post_refusals)
{
    gl_buf b;
    gl_post p;
    uint32_t bad;

    /* empty post */
    gl_buf_init(&b);
    gl_put_u32(&b, 0);
    cr_expect_eq(post_decode(&b, b.len, &p, &bad), GL_ERR_NO_ENTRIES);
    cr_expect_eq(bad, 0u);
    /* count over the limit (checked before the entries are read) */
    gl_buf_reset(&b);
    gl_put_u32(&b, GL_ENTRIES_MAX + 1);
    put_entry(&b, 20240101, 'C');
    cr_expect_eq(post_decode(&b, b.len, &p, &bad), GL_ERR_COUNT_LIMIT);
    cr_expect_eq(bad, 0u);
    gl_buf_reset(&b);
    gl_put_u32(&b, UINT32_MAX);
    cr_expect_eq(post_decode(&b, b.len, &p, &bad), GL_ERR_COUNT_LIMIT);

    /* the 3rd entry has a bad side: bad_item 3, status BAD_SIDE */
    gl_buf_reset(&b);
    gl_put_u32(&b, 4);
    put_entry(&b, 20240101, 'C');
    put_entry(&b, 20240102, 'C');
    put_entry(&b, 20240103, 'x');
    put_entry(&b, 20240104, 'C');
    cr_expect_eq(post_decode(&b, b.len, &p, &bad), GL_ERR_BAD_SIDE);
    cr_expect_eq(bad, 3u);

    /* the 3rd entry has a bad date */
    gl_buf_reset(&b);
    gl_put_u32(&b, 3);
    put_entry(&b, 20240101, 'C');
    put_entry(&b, 20240102, 'C');
    put_entry(&b, 20240230, 'C');
    cr_expect_eq(post_decode(&b, b.len, &p, &bad), GL_ERR_BAD_DATE);
    cr_expect_eq(bad, 3u);

    /* the 3rd entry is missing */
    gl_buf_reset(&b);
    gl_put_u32(&b, 3);
    put_entry(&b, 20240101, 'C');
    put_entry(&b, 20240102, 'C');
    cr_expect_eq(post_decode(&b, b.len, &p, &bad), GL_ERR_MALFORMED);
    cr_expect_eq(bad, 3u);

    /* trailing bytes after the last counted entry */
    gl_buf_reset(&b);
    gl_put_u32(&b, 1);
    put_entry(&b, 20240101, 'C');
    gl_put_u8(&b, 0);
    cr_expect_eq(post_decode(&b, b.len, &p, &bad), GL_ERR_TRAILING_BYTES);
    cr_expect_eq(bad, 0u);
    gl_buf_free(&b);
}

Test(query, post_truncation)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_put_u32(&b, 2);
    put_entry(&b, 20240101, 'C');
    size_t first_end = b.len;
    put_entry(&b, 20240102, 'C');
    for (size_t n = 0; n < b.len; n++) {
        gl_post p;
        uint32_t bad;
        cr_expect_eq(post_decode(&b, n, &p, &bad), GL_ERR_MALFORMED, "prefix %zu", n);
        cr_expect_eq(bad, n < 4 ? 0u : n < first_end ? 1u : 2u, "prefix %zu", n);
    }
    gl_buf_free(&b);
}

Test(query, post_round_trip)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_put_u32(&b, 3);
    put_entry(&b, 20240101, 'C');
    put_entry(&b, 20240615, 'C');
    put_entry(&b, 20241231, 'C');
    gl_post p;
    uint32_t bad;
    cr_assert_eq(gl_post_decode(b.data, b.len, &p, &bad), GL_OK);
    cr_expect_eq(bad, 0u);
    cr_expect_eq(p.count, 3u);
    cr_expect_eq(p.entries, b.data + 4);
    cr_expect_eq(p.entries_len, b.len - 4);
    gl_item_iter it;
    gl_entry e;
    static const uint32_t dates[] = {20240101, 20240615, 20241231};
    gl_post_iter_init(&it, &p);
    size_t total = 0;
    for (size_t i = 0; i < 3; i++) {
        cr_assert(gl_post_next(&it, &e));
        cr_expect_eq(e.date, dates[i]);
        cr_expect_eq(e.raw, p.entries + total);
        total += e.raw_len;
        uint32_t bl;
        cr_expect_eq(gl_entry_check(&e, &bl), GL_OK);
    }
    cr_expect_eq(total, p.entries_len);
    cr_expect(!gl_post_next(&it, &e));
    gl_buf_free(&b);
}

/* ---- BALANCE -------------------------------------------------------------- */

static int balance_decode(const gl_buf *b, size_t len, gl_balance_q *q)
{
    uint8_t *d = dup_bytes(b->data, len);
    int st = gl_balance_q_decode(d, len, q);
    free(d);
    return st;
}

Test(query, balance_refusals)
{
    gl_buf b;
    gl_balance_q q;
    gl_buf_init(&b);
    static const uint32_t bad_dates[] = {0, 20240230, 20241301, 18991231, 30000101};
    for (size_t i = 0; i < sizeof bad_dates / sizeof bad_dates[0]; i++) {
        gl_buf_reset(&b);
        gl_balance_q_encode(&b, &(gl_balance_q){.at = bad_dates[i], .flags = 0});
        cr_expect_eq(balance_decode(&b, b.len, &q), GL_ERR_BAD_DATE, "%u", (unsigned)bad_dates[i]);
    }
    /* Bits 4-7 are reserved (bits 0-3 are, or may become, defined flags). */
    static const uint8_t flags[] = {0x10, 0x20, 0x40, 0x80, 0xf0, 0xff, 0x81};
    for (size_t i = 0; i < sizeof flags; i++) {
        gl_buf_reset(&b);
        gl_balance_q_encode(&b, &(gl_balance_q){.at = 20240101, .flags = flags[i]});
        cr_expect_eq(balance_decode(&b, b.len, &q), GL_ERR_RESERVED_NONZERO, "flags 0x%02x",
                     (unsigned)flags[i]);
    }
    gl_buf_reset(&b);
    gl_balance_q_encode(&b, &(gl_balance_q){.at = 20240101, .flags = 1});
    for (size_t n = 0; n < b.len; n++)
        cr_expect_eq(balance_decode(&b, n, &q), GL_ERR_MALFORMED, "prefix %zu", n);
    gl_put_u8(&b, 0);
    cr_expect_eq(balance_decode(&b, b.len, &q), GL_ERR_TRAILING_BYTES);
    gl_buf_free(&b);
}

Test(query, balance_round_trip)
{
    static const gl_balance_q qs[] = {
        {20240229, 0}, {29991231, GL_BALANCE_AUX | GL_BALANCE_AUX_LABELS}, {19000101, 0}};
    for (size_t i = 0; i < 3; i++) {
        gl_buf b;
        gl_buf_init(&b);
        gl_balance_q_encode(&b, &qs[i]);
        cr_expect_eq(b.len, 5u);
        gl_balance_q q;
        cr_assert_eq(balance_decode(&b, b.len, &q), GL_OK);
        cr_expect_eq(q.at, qs[i].at);
        cr_expect_eq(q.flags, qs[i].flags);
        gl_buf_free(&b);
    }
}

/* ---- JOURNAL ---------------------------------------------------------------- */

static const gl_journal_q journal_ok = {.from = 20240101,
                                        .to = 20241231,
                                        .watermark = 0x0102030405060708ull,
                                        .after_fy = 0x0A0B,
                                        .after_num = 0x11223344u,
                                        .limit = GL_PAGE_MAX};

static int journal_decode(const gl_journal_q *in, size_t cut, bool trailing, gl_journal_q *out)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_journal_q_encode(&b, in);
    if (trailing)
        gl_put_u8(&b, 0);
    size_t len = cut < b.len ? cut : b.len;
    uint8_t *d = dup_bytes(b.data, len);
    int st = gl_journal_q_decode(d, len, out);
    free(d);
    gl_buf_free(&b);
    return st;
}

Test(query, journal_refusals)
{
    gl_journal_q q, out;
    q = journal_ok;
    q.from = 20241231;
    q.to = 20240101;
    cr_expect_eq(journal_decode(&q, SIZE_MAX, false, &out), GL_ERR_DATE_RANGE);
    q = journal_ok;
    q.from = 20240102;
    q.to = 20240101; /* by one day */
    cr_expect_eq(journal_decode(&q, SIZE_MAX, false, &out), GL_ERR_DATE_RANGE);
    q = journal_ok;
    q.limit = 0;
    cr_expect_eq(journal_decode(&q, SIZE_MAX, false, &out), GL_ERR_COUNT_LIMIT);
    q.limit = GL_PAGE_MAX + 1;
    cr_expect_eq(journal_decode(&q, SIZE_MAX, false, &out), GL_ERR_COUNT_LIMIT);
    q.limit = UINT16_MAX;
    cr_expect_eq(journal_decode(&q, SIZE_MAX, false, &out), GL_ERR_COUNT_LIMIT);
    q = journal_ok;
    q.from = 0;
    cr_expect_eq(journal_decode(&q, SIZE_MAX, false, &out), GL_ERR_BAD_DATE);
    q = journal_ok;
    q.to = 20240230;
    cr_expect_eq(journal_decode(&q, SIZE_MAX, false, &out), GL_ERR_BAD_DATE);
    q.to = 0;
    q.limit = 0; /* the first fault wins */
    cr_expect_eq(journal_decode(&q, SIZE_MAX, false, &out), GL_ERR_BAD_DATE);
    cr_expect_eq(journal_decode(&journal_ok, SIZE_MAX, true, &out), GL_ERR_TRAILING_BYTES);
    for (size_t n = 0; n < 24; n++)
        cr_expect_eq(journal_decode(&journal_ok, n, false, &out), GL_ERR_MALFORMED, "prefix %zu",
                     n);
}

Test(query, journal_round_trip)
{
    gl_journal_q out;
    cr_assert_eq(journal_decode(&journal_ok, SIZE_MAX, false, &out), GL_OK);
    cr_expect_eq(out.from, journal_ok.from);
    cr_expect_eq(out.to, journal_ok.to);
    cr_expect_eq(out.watermark, journal_ok.watermark);
    cr_expect_eq(out.after_fy, journal_ok.after_fy);
    cr_expect_eq(out.after_num, journal_ok.after_num);
    cr_expect_eq(out.limit, journal_ok.limit);
    /* The byte layout of query.h: from | to | watermark | after_fy |
     * after_num | limit | flags, big-endian. */
    gl_buf b;
    gl_buf_init(&b);
    gl_journal_q_encode(&b, &journal_ok);
    static const uint8_t want[] = {0x01, 0x34, 0xd6, 0xe5, 0x01, 0x34, 0xdb, 0x4f, 1,
                                   2,    3,    4,    5,    6,    7,    8,    0x0a, 0x0b,
                                   0x11, 0x22, 0x33, 0x44, 0x03, 0xe8, 0x00};
    cr_assert_eq(b.len, sizeof want);
    cr_expect_arr_eq(b.data, want, sizeof want);
    gl_buf_free(&b);
    /* one-day range, limit 1, zero cursor */
    gl_journal_q q = {.from = 20240229, .to = 20240229, .limit = 1};
    cr_assert_eq(journal_decode(&q, SIZE_MAX, false, &out), GL_OK);
    cr_expect_eq(out.limit, 1);
    cr_expect_eq(out.watermark, 0u);
}

/* ---- LEDGER ------------------------------------------------------------------- */

/* Every multi-byte field has all its bytes non-zero, so that a field
 * encoded at the wrong width or in the wrong order cannot round-trip. */
static const gl_ledger_q ledger_ok = {.account = {"512000", 6},
                                      .from = 20240101,
                                      .to = 20241231,
                                      .watermark = 0x0102030405060708ull,
                                      .after_date = 20240315,
                                      .after_fy = 0x0A0B,
                                      .after_num = 0x11223344u,
                                      .after_line = 0x0C0D,
                                      .limit = 999};

static int ledger_decode(const gl_ledger_q *in, size_t cut, bool trailing, gl_ledger_q *out,
                         gl_buf *keep)
{
    gl_buf_init(keep);
    gl_ledger_q_encode(keep, in);
    if (trailing)
        gl_put_u8(keep, 0);
    size_t len = cut < keep->len ? cut : keep->len;
    /* decode straight from keep (exact length known) so out's strings stay valid */
    return gl_ledger_q_decode(keep->data, len, out);
}

Test(query, ledger_refusals)
{
    gl_ledger_q q, out;
    gl_buf b;
    q = ledger_ok;
    q.from = 20250101;
    cr_expect_eq(ledger_decode(&q, SIZE_MAX, false, &out, &b), GL_ERR_DATE_RANGE);
    gl_buf_free(&b);
    q = ledger_ok;
    q.limit = 0;
    cr_expect_eq(ledger_decode(&q, SIZE_MAX, false, &out, &b), GL_ERR_COUNT_LIMIT);
    gl_buf_free(&b);
    q.limit = GL_PAGE_MAX + 1;
    cr_expect_eq(ledger_decode(&q, SIZE_MAX, false, &out, &b), GL_ERR_COUNT_LIMIT);
    gl_buf_free(&b);
    q = ledger_ok;
    q.from = 19000100;
    cr_expect_eq(ledger_decode(&q, SIZE_MAX, false, &out, &b), GL_ERR_BAD_DATE);
    gl_buf_free(&b);
    q = ledger_ok;
    q.after_date = 20240431; /* after_date may be 0, but not invalid */
    cr_expect_eq(ledger_decode(&q, SIZE_MAX, false, &out, &b), GL_ERR_BAD_DATE);
    gl_buf_free(&b);
    q = ledger_ok;
    q.account = (gl_str){"512000000000000000000", 21};
    cr_expect_eq(ledger_decode(&q, SIZE_MAX, false, &out, &b), GL_ERR_STRING_TOO_LONG);
    gl_buf_free(&b);
    q = ledger_ok;
    q.account = (gl_str){"512\x01", 4};
    cr_expect_eq(ledger_decode(&q, SIZE_MAX, false, &out, &b), GL_ERR_STRING_INVALID);
    gl_buf_free(&b);
    cr_expect_eq(ledger_decode(&ledger_ok, SIZE_MAX, true, &out, &b), GL_ERR_TRAILING_BYTES);
    gl_buf_free(&b);
    gl_buf_init(&b);
    gl_ledger_q_encode(&b, &ledger_ok);
    size_t full = b.len;
    gl_buf_free(&b);
    for (size_t n = 0; n < full; n++) {
        gl_buf k;
        gl_buf_init(&k);
        gl_ledger_q_encode(&k, &ledger_ok);
        uint8_t *d = dup_bytes(k.data, n);
        cr_expect_eq(gl_ledger_q_decode(d, n, &out), GL_ERR_MALFORMED, "prefix %zu", n);
        free(d);
        gl_buf_free(&k);
    }
}

Test(query, ledger_round_trip)
{
    gl_ledger_q out;
    gl_buf b;
    cr_assert_eq(ledger_decode(&ledger_ok, SIZE_MAX, false, &out, &b), GL_OK);
    cr_expect(gl_str_eq(out.account, "512000"));
    cr_expect_eq(out.from, ledger_ok.from);
    cr_expect_eq(out.to, ledger_ok.to);
    cr_expect_eq(out.watermark, ledger_ok.watermark);
    cr_expect_eq(out.after_date, ledger_ok.after_date);
    cr_expect_eq(out.after_fy, ledger_ok.after_fy);
    cr_expect_eq(out.after_num, ledger_ok.after_num);
    cr_expect_eq(out.after_line, ledger_ok.after_line);
    cr_expect_eq(out.limit, ledger_ok.limit);
    /* re-encoding gives the same bytes */
    gl_buf again;
    gl_buf_init(&again);
    gl_ledger_q_encode(&again, &out);
    cr_expect_eq(again.len, b.len);
    cr_expect_arr_eq(again.data, b.data, b.len);
    gl_buf_free(&again);
    gl_buf_free(&b);
    /* first page: after_date 0 is allowed */
    gl_ledger_q q = ledger_ok;
    q.after_date = 0;
    q.after_fy = 0;
    q.after_num = 0;
    q.after_line = 0;
    cr_expect_eq(ledger_decode(&q, SIZE_MAX, false, &out, &b), GL_OK);
    cr_expect_eq(out.after_date, 0u);
    gl_buf_free(&b);
}

/* The letter-code format the daemon writes and the verifier checks, at its
 * boundaries (bijective base 26, at most GL_LETTER_CODE_MAX letters). */
Test(query, letter_codes_at_their_boundaries)
{
    static const struct {
        uint32_t index;
        const char *code;
    } cases[] = {{1, "A"},     {26, "Z"},    {27, "AA"},      {52, "AZ"},      {53, "BA"},
                 {702, "ZZ"},  {703, "AAA"}, {18278, "ZZZ"},  {18279, "AAAA"}, {475254, "ZZZZ"},
                 {475255, ""}, {0, ""},      {UINT32_MAX, ""}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[GL_LETTER_CODE_MAX + 1] = "x";
        size_t n = gl_letter_code(cases[i].index, out);
        cr_assert_str_eq(out, cases[i].code, "index %u", cases[i].index);
        cr_assert_eq(n, strlen(cases[i].code), "index %u", cases[i].index);
    }
}
