/*
 * tests/unit/test_wire.c — proto/wire: the bounded big-endian cursor, its
 * sticky error, length-prefixed strings, the UTF-8 validator and the
 * growable buffer.
 */
#include "proto/status.h"
#include "proto/wire.h"

#include <criterion/criterion.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- short input: every getter gives MALFORMED, sticky ---------------- */

enum getter { G_U8, G_U16, G_U32, G_U64, G_I64, G_BYTES5, G_STR8, G_STR16 };

static const struct {
    enum getter g;
    const char *name;
    size_t need; /* bytes needed for a successful read of the sample below */
} getters[] = {
    {G_U8, "u8", 1},   {G_U16, "u16", 2},         {G_U32, "u32", 4},   {G_U64, "u64", 8},
    {G_I64, "i64", 8}, {G_BYTES5, "bytes(5)", 5}, {G_STR8, "str8", 4}, {G_STR16, "str16", 5},
};

/* Call one getter; returns whether it reported a zero/empty value. */
static bool call_getter(gl_cur *c, enum getter g)
{
    switch (g) {
    case G_U8: return gl_get_u8(c) == 0;
    case G_U16: return gl_get_u16(c) == 0;
    case G_U32: return gl_get_u32(c) == 0;
    case G_U64: return gl_get_u64(c) == 0;
    case G_I64: return gl_get_i64(c) == 0;
    case G_BYTES5: return gl_get_bytes(c, 5) == NULL;
    case G_STR8: return gl_get_str8(c, 255).len == 0;
    case G_STR16: return gl_get_str16(c, 65535).len == 0;
    }
    return false;
}

/* Input that every getter reads successfully when given `need` bytes:
 * str8 "abc" (03 'a' 'b' 'c'), str16 "abc" (00 03 'a' 'b' 'c'). */
static void sample_for(enum getter g, uint8_t buf[8])
{
    static const uint8_t s8[] = {3, 'a', 'b', 'c'};
    static const uint8_t s16[] = {0, 3, 'a', 'b', 'c'};
    memset(buf, 0xff, 8);
    if (g == G_STR8)
        memcpy(buf, s8, sizeof s8);
    else if (g == G_STR16)
        memcpy(buf, s16, sizeof s16);
}

Test(wire, every_getter_on_short_input_is_malformed_and_sticky)
{
    for (size_t k = 0; k < sizeof getters / sizeof getters[0]; k++) {
        uint8_t buf[8];
        sample_for(getters[k].g, buf);
        for (size_t len = 0; len < getters[k].need; len++) {
            gl_cur c;
            gl_cur_init(&c, buf, len);
            cr_expect(call_getter(&c, getters[k].g), "%s on %zu bytes returned data",
                      getters[k].name, len);
            cr_expect_eq(gl_cur_status(&c), GL_ERR_MALFORMED, "%s on %zu bytes", getters[k].name,
                         len);
            cr_expect_eq(gl_cur_left(&c), 0u, "%s: a failed cursor has nothing left",
                         getters[k].name);
            /* Sticky: every later getter fails and keeps the first status. */
            for (size_t j = 0; j < sizeof getters / sizeof getters[0]; j++) {
                cr_expect(call_getter(&c, getters[j].g));
                cr_expect_eq(gl_cur_status(&c), GL_ERR_MALFORMED);
            }
            cr_expect_eq(gl_cur_end(&c), GL_ERR_MALFORMED);
        }
        /* ...and with exactly the bytes it needs, it succeeds and ends. */
        gl_cur c;
        gl_cur_init(&c, buf, getters[k].need);
        (void)call_getter(&c, getters[k].g);
        cr_expect_eq(gl_cur_status(&c), GL_OK, "%s on exact input", getters[k].name);
        cr_expect_eq(gl_cur_end(&c), GL_OK, "%s on exact input", getters[k].name);
    }
}

Test(wire, failure_after_success_is_sticky_too)
{
    const uint8_t buf[] = {0x12, 0x34, 0x56};
    gl_cur c;
    gl_cur_init(&c, buf, sizeof buf);
    cr_expect_eq(gl_get_u16(&c), 0x1234);
    cr_expect_eq(gl_get_u16(&c), 0); /* one byte left */
    cr_expect_eq(gl_cur_status(&c), GL_ERR_MALFORMED);
    cr_expect_eq(gl_get_u8(&c), 0, "the remaining byte must not be readable after a failure");
    cr_expect_eq(gl_cur_status(&c), GL_ERR_MALFORMED);
}

Test(wire, cur_fail_keeps_the_first_status)
{
    const uint8_t buf[] = {1, 2, 3, 4};
    gl_cur c;
    gl_cur_init(&c, buf, sizeof buf);
    cr_expect_eq(gl_cur_fail(&c, GL_ERR_BAD_DATE), GL_ERR_BAD_DATE);
    cr_expect_eq(gl_cur_left(&c), 0u);
    cr_expect_eq(gl_cur_fail(&c, GL_ERR_BAD_SIDE), GL_ERR_BAD_DATE);
    cr_expect_eq(gl_get_u8(&c), 0);
    cr_expect_eq(gl_cur_status(&c), GL_ERR_BAD_DATE);
    cr_expect_eq(gl_cur_end(&c), GL_ERR_BAD_DATE);
}

/* An empty input may come as (NULL, 0) — e.g. an absent optional body.
 * Decoders must treat it as zero bytes.  proto/wire.c gl_cur_init computes
 * `c->pos + len` on the NULL pointer, which is undefined behaviour in C even
 * for len 0: clang's UBSan reports "applying zero offset to null pointer"
 * (gcc's does not), so this test only fails in a clang -fsanitize=undefined
 * build.  Fix: `c->end = len ? c->pos + len : c->pos;`. */
Test(wire, null_empty_input_is_zero_bytes)
{
    gl_cur c;
    gl_cur_init(&c, NULL, 0);
    cr_expect_eq(gl_cur_left(&c), 0u);
    cr_expect_eq(gl_cur_end(&c), GL_OK);
    cr_expect_eq(gl_get_u8(&c), 0);
    cr_expect_eq(gl_cur_status(&c), GL_ERR_MALFORMED);
    cr_expect(gl_utf8_valid(NULL, 0), "zero bytes are valid UTF-8");
}

Test(wire, get_bytes_huge_count_does_not_wrap)
{
    const uint8_t buf[4] = {0};
    gl_cur c;
    gl_cur_init(&c, buf, sizeof buf);
    cr_expect_null(gl_get_bytes(&c, SIZE_MAX));
    cr_expect_eq(gl_cur_status(&c), GL_ERR_MALFORMED);
    gl_cur_init(&c, buf + 1, 3);
    cr_expect_null(gl_get_bytes(&c, SIZE_MAX - 1));
    cr_expect_eq(gl_cur_status(&c), GL_ERR_MALFORMED);
}

/* ---- trailing bytes --------------------------------------------------- */

Test(wire, trailing_bytes_detected_by_cur_end)
{
    const uint8_t buf[] = {0, 1, 2};
    gl_cur c;
    gl_cur_init(&c, buf, sizeof buf);
    cr_expect_eq(gl_get_u16(&c), 1);
    cr_expect_eq(gl_cur_status(&c), GL_OK);
    cr_expect_eq(gl_cur_left(&c), 1u);
    cr_expect_eq(gl_cur_end(&c), GL_ERR_TRAILING_BYTES);
    cr_expect_eq(gl_cur_status(&c), GL_ERR_TRAILING_BYTES, "end records the failure");

    gl_cur_init(&c, buf, 0);
    cr_expect_eq(gl_cur_end(&c), GL_OK, "empty input fully consumed");
    gl_cur_init(&c, buf, sizeof buf);
    (void)gl_get_bytes(&c, 3);
    cr_expect_eq(gl_cur_end(&c), GL_OK);
    (void)gl_get_bytes(&c, 0);
    cr_expect_eq(gl_cur_end(&c), GL_OK, "a zero-length read at the end is fine");
}

/* ---- strings ---------------------------------------------------------- */

Test(wire, str8_too_long)
{
    const uint8_t buf[] = {4, 'a', 'b', 'c', 'd'};
    gl_cur c;
    gl_cur_init(&c, buf, sizeof buf);
    gl_str s = gl_get_str8(&c, 3);
    cr_expect_eq(s.len, 0u);
    cr_expect_eq(gl_cur_status(&c), GL_ERR_STRING_TOO_LONG);
    cr_expect_eq(gl_cur_end(&c), GL_ERR_STRING_TOO_LONG);

    gl_cur_init(&c, buf, sizeof buf);
    s = gl_get_str8(&c, 4);
    cr_expect_eq(gl_cur_end(&c), GL_OK);
    cr_expect(gl_str_eq(s, "abcd"));
}

Test(wire, str16_too_long_and_length_prefix_past_end)
{
    const uint8_t big[] = {0x01, 0x00, 'a'}; /* claims 256 bytes */
    gl_cur c;
    gl_cur_init(&c, big, sizeof big);
    (void)gl_get_str16(&c, 255);
    cr_expect_eq(gl_cur_status(&c), GL_ERR_STRING_TOO_LONG);
    gl_cur_init(&c, big, sizeof big);
    (void)gl_get_str16(&c, 256);
    cr_expect_eq(gl_cur_status(&c), GL_ERR_MALFORMED, "length within limit but past end");

    const uint8_t short8[] = {5, 'a', 'b'};
    gl_cur_init(&c, short8, sizeof short8);
    (void)gl_get_str8(&c, 255);
    cr_expect_eq(gl_cur_status(&c), GL_ERR_MALFORMED);
}

Test(wire, str8_invalid_content)
{
    const uint8_t ctl[] = {3, 'a', '\n', 'b'};
    const uint8_t nul[] = {3, 'a', 0, 'b'};
    const uint8_t bad[] = {2, 0xc3, 0x28};
    const uint8_t *cases[] = {ctl, nul, bad};
    size_t lens[] = {sizeof ctl, sizeof nul, sizeof bad};
    for (size_t i = 0; i < 3; i++) {
        gl_cur c;
        gl_cur_init(&c, cases[i], lens[i]);
        gl_str s = gl_get_str8(&c, 255);
        cr_expect_eq(s.len, 0u);
        cr_expect_eq(gl_cur_status(&c), GL_ERR_STRING_INVALID, "case %zu", i);
    }
}

Test(wire, empty_string_is_valid)
{
    const uint8_t buf[] = {0, 0, 0};
    gl_cur c;
    gl_cur_init(&c, buf, sizeof buf);
    gl_str a = gl_get_str8(&c, 0);
    gl_str b = gl_get_str16(&c, 0);
    cr_expect_eq(gl_cur_end(&c), GL_OK);
    cr_expect_eq(a.len, 0u);
    cr_expect_eq(b.len, 0u);
    cr_expect(gl_str_eq(a, ""));
}

/* ---- UTF-8 validator table -------------------------------------------- */

static const struct {
    const char *bytes;
    size_t len;
    bool valid;
    const char *what;
} utf8_table[] = {
    /* invalid first */
    {"\xc0\x80", 2, false, "overlong NUL (2 bytes)"},
    {"\xc1\xbf", 2, false, "overlong U+007F"},
    {"\xc0\xaf", 2, false, "overlong '/'"},
    {"\xe0\x80\xaf", 3, false, "overlong '/' (3 bytes)"},
    {"\xe0\x9f\xbf", 3, false, "overlong U+07FF"},
    {"\xf0\x80\x80\xaf", 4, false, "overlong '/' (4 bytes)"},
    {"\xf0\x8f\xbf\xbf", 4, false, "overlong U+FFFF"},
    {"\xed\xa0\x80", 3, false, "surrogate U+D800"},
    {"\xed\xbf\xbf", 3, false, "surrogate U+DFFF"},
    {"\xed\xb0\x80", 3, false, "low surrogate U+DC00"},
    {"\xf4\x90\x80\x80", 4, false, "U+110000"},
    {"\xf5\x80\x80\x80", 4, false, "lead F5"},
    {"\xf7\xbf\xbf\xbf", 4, false, "U+1FFFFF"},
    {"\xf8\x88\x80\x80\x80", 5, false, "5-byte form"},
    {"\xfc\x84\x80\x80\x80\x80", 6, false, "6-byte form"},
    {"\xfe", 1, false, "byte FE"},
    {"\xff", 1, false, "byte FF"},
    {"\x80", 1, false, "lone continuation"},
    {"\xbf", 1, false, "lone continuation BF"},
    {"a\x80", 2, false, "continuation after ASCII"},
    {"\xc3", 1, false, "truncated 2-byte"},
    {"\xe2\x82", 2, false, "truncated 3-byte"},
    {"\xe2", 1, false, "truncated 3-byte (lead only)"},
    {"\xf0\x9f\x98", 3, false, "truncated 4-byte"},
    {"\xf0\x9f", 2, false, "truncated 4-byte (2 of 4)"},
    {"abc\xc3", 4, false, "truncated at end after ASCII"},
    {"\xc3\x28", 2, false, "bad continuation"},
    {"\xe2\x28\xa1", 3, false, "bad 2nd byte of 3"},
    {"\xe2\x82\x28", 3, false, "bad 3rd byte of 3"},
    {"\xf0\x9f\x98\x28", 4, false, "bad 4th byte of 4"},
    {"\xc3\xc3\xa9", 3, false, "lead followed by lead"},
    {"\x00", 1, false, "NUL"},
    {"a\x00"
     "b",
     3, false, "embedded NUL"},
    {"\x01", 1, false, "C0 SOH"},
    {"\t", 1, false, "C0 TAB"},
    {"\n", 1, false, "C0 LF"},
    {"\r", 1, false, "C0 CR"},
    {"\x1b", 1, false, "C0 ESC"},
    {"\x1f", 1, false, "C0 US"},
    {"\x7f", 1, false, "DEL"},
    {"\xc2\x80", 2, false, "C1 U+0080"},
    {"\xc2\x85", 2, false, "C1 NEL U+0085"},
    {"\xc2\x9f", 2, false, "C1 U+009F"},
    /* valid */
    {"", 0, true, "empty"},
    {" ", 1, true, "space U+0020"},
    {"~", 1, true, "tilde U+007E"},
    {"Compte 512000", 13, true, "ASCII"},
    {"\xc2\xa0", 2, true, "U+00A0 (first after C1)"},
    {"\xc3\xa9", 2, true, "e acute (2 bytes)"},
    {"\xdf\xbf", 2, true, "U+07FF (last 2-byte)"},
    {"\xe0\xa0\x80", 3, true, "U+0800 (first 3-byte)"},
    {"\xe2\x82\xac", 3, true, "euro sign (3 bytes)"},
    {"\xed\x9f\xbf", 3, true, "U+D7FF (before surrogates)"},
    {"\xee\x80\x80", 3, true, "U+E000 (after surrogates)"},
    {"\xef\xbf\xbd", 3, true, "U+FFFD"},
    {"\xef\xbf\xbf", 3, true, "U+FFFF"},
    {"\xf0\x90\x80\x80", 4, true, "U+10000 (first 4-byte)"},
    {"\xf0\x9f\x98\x80", 4, true, "emoji (4 bytes)"},
    {"\xf4\x8f\xbf\xbf", 4, true, "U+10FFFF (last)"},
    {"Soci\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 18, true, "mixed"},
};

Test(wire, utf8_validator_table)
{
    for (size_t i = 0; i < sizeof utf8_table / sizeof utf8_table[0]; i++) {
        cr_expect_eq(gl_utf8_valid(utf8_table[i].bytes, utf8_table[i].len), utf8_table[i].valid,
                     "%s: expected %s", utf8_table[i].what,
                     utf8_table[i].valid ? "valid" : "invalid");
    }
}

Test(wire, utf8_truncation_never_reads_past_len)
{
    /* Every strict prefix of a multibyte sequence is refused; the byte
     * after len is never looked at (ASan in the asan build). */
    static const char *const seqs[] = {"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80"};
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(seqs[i]);
        for (size_t cut = 1; cut < n; cut++) {
            char *copy = malloc(cut);
            cr_assert_not_null(copy);
            memcpy(copy, seqs[i], cut);
            cr_expect(!gl_utf8_valid(copy, cut), "seq %zu cut at %zu", i, cut);
            free(copy);
        }
    }
}

/* ---- buffer put/get round trips ---------------------------------------- */

Test(wire, buffer_integer_round_trip_boundaries)
{
    gl_buf b;
    gl_buf_init(&b);
    static const uint64_t u64s[] = {0, 1, 0x0102030405060708ull, UINT64_MAX};
    static const int64_t i64s[] = {0, 1, -1, INT64_MAX, INT64_MIN};
    gl_put_u8(&b, 0);
    gl_put_u8(&b, UINT8_MAX);
    gl_put_u16(&b, 0);
    gl_put_u16(&b, UINT16_MAX);
    gl_put_u16(&b, 0x0102);
    gl_put_u32(&b, 0);
    gl_put_u32(&b, UINT32_MAX);
    gl_put_u32(&b, 0x01020304u);
    for (size_t i = 0; i < 4; i++)
        gl_put_u64(&b, u64s[i]);
    for (size_t i = 0; i < 5; i++)
        gl_put_i64(&b, i64s[i]);
    cr_assert(gl_buf_ok(&b));
    cr_assert_eq(b.len, 2 + 6 + 12 + 32 + 40);
    /* Big-endian on the wire. */
    cr_expect_eq(b.data[6], 0x01);
    cr_expect_eq(b.data[7], 0x02);
    const uint8_t be64[] = {1, 2, 3, 4, 5, 6, 7, 8};
    cr_expect_arr_eq(b.data + 20 + 16, be64, 8);

    gl_cur c;
    gl_cur_init(&c, b.data, b.len);
    cr_expect_eq(gl_get_u8(&c), 0);
    cr_expect_eq(gl_get_u8(&c), UINT8_MAX);
    cr_expect_eq(gl_get_u16(&c), 0);
    cr_expect_eq(gl_get_u16(&c), UINT16_MAX);
    cr_expect_eq(gl_get_u16(&c), 0x0102);
    cr_expect_eq(gl_get_u32(&c), 0);
    cr_expect_eq(gl_get_u32(&c), UINT32_MAX);
    cr_expect_eq(gl_get_u32(&c), 0x01020304u);
    for (size_t i = 0; i < 4; i++)
        cr_expect_eq(gl_get_u64(&c), u64s[i]);
    for (size_t i = 0; i < 5; i++)
        cr_expect_eq(gl_get_i64(&c), i64s[i]);
    cr_expect_eq(gl_cur_end(&c), GL_OK);
    gl_buf_free(&b);
}

Test(wire, buffer_string_round_trip_and_growth)
{
    gl_buf b;
    gl_buf_init(&b);
    char big[300];
    memset(big, 'x', sizeof big);
    gl_put_str8(&b, "", 0);
    gl_put_str8(&b, "Soci\xc3\xa9t\xc3\xa9", 9);
    gl_put_str8(&b, big, 255);
    gl_put_str16(&b, big, sizeof big);
    /* Growth past the first allocation keeps earlier bytes. */
    for (int i = 0; i < 1000; i++)
        gl_put_u32(&b, (uint32_t)i);
    cr_assert(gl_buf_ok(&b));

    gl_cur c;
    gl_cur_init(&c, b.data, b.len);
    cr_expect(gl_str_eq(gl_get_str8(&c, 0), ""));
    cr_expect(gl_str_eq(gl_get_str8(&c, 9), "Soci\xc3\xa9t\xc3\xa9"));
    gl_str s = gl_get_str8(&c, 255);
    cr_expect_eq(s.len, 255u);
    cr_expect_arr_eq(s.ptr, big, 255);
    s = gl_get_str16(&c, 300);
    cr_expect_eq(s.len, 300u);
    cr_expect_arr_eq(s.ptr, big, 300);
    for (int i = 0; i < 1000; i++)
        cr_expect_eq(gl_get_u32(&c), (uint32_t)i);
    cr_expect_eq(gl_cur_end(&c), GL_OK);

    gl_buf_reset(&b);
    cr_expect_eq(b.len, 0u);
    cr_expect(gl_buf_ok(&b));
    gl_put_bytes(&b, NULL, 0);
    cr_expect_eq(b.len, 0u);
    gl_buf_free(&b);
    cr_expect_null(b.data);
    cr_expect_eq(b.len, 0u);
}

Test(wire, raw_big_endian_helpers)
{
    uint8_t p[8];
    gl_be16(p, 0xa1b2);
    cr_expect_eq(p[0], 0xa1);
    cr_expect_eq(gl_rd16(p), 0xa1b2);
    gl_be32(p, 0xa1b2c3d4u);
    cr_expect_eq(p[0], 0xa1);
    cr_expect_eq(p[3], 0xd4);
    cr_expect_eq(gl_rd32(p), 0xa1b2c3d4u);
    gl_be64(p, 0xa1b2c3d4e5f60718ull);
    cr_expect_eq(p[0], 0xa1);
    cr_expect_eq(p[7], 0x18);
    cr_expect_eq(gl_rd64(p), 0xa1b2c3d4e5f60718ull);
    gl_be64(p, UINT64_MAX);
    cr_expect_eq(gl_rd64(p), UINT64_MAX);
}

Test(wire, str_eq)
{
    gl_str s = {"abc", 3};
    gl_str e = {NULL, 0};
    cr_expect(gl_str_eq(s, "abc"));
    cr_expect(!gl_str_eq(s, "ab"));
    cr_expect(!gl_str_eq(s, "abcd"));
    cr_expect(!gl_str_eq(s, "abd"));
    cr_expect(gl_str_eq(e, ""));
    cr_expect(!gl_str_eq(e, "a"));
}
