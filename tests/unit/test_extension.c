/*
 * tests/unit/test_extension.c — proto/entry: the extension areas of layout
 * 2 (one per entry, one per line) and the two entry layouts.  An area has
 * one canonical encoding: item types 1-255 strictly increasing, items
 * filling it exactly, within its size limit (else bad_extension, 207); a
 * well-formed item of a type not defined for its area is reserved_nonzero
 * (111; the one defined type, the entry's validation date, is tested in
 * test_valid_date.c).  Layout 1 (the history)
 * decodes and converts both ways.
 */
#include "proto/chain.h"
#include "proto/entry.h"
#include "proto/limits.h"
#include "proto/query.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <criterion/criterion.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const gl_line_in two_lines[] = {{"512000", "", "", "", 'D', 5000},
                                       {"756000", "AUX", "Dupont", "x", 'C', 5000}};

static gl_entry_in sample(void)
{
    return (gl_entry_in){.tenant = "acme",
                         .journal = "BQ",
                         .piece_ref = "R1",
                         .label = "Cotisation",
                         .date = 20250115,
                         .piece_date = 20250115,
                         .line_count = 2,
                         .lines = two_lines};
}

/* Decode from an exact-size copy (ASan sees any over-read). */
static int decode_layout(const uint8_t *p, size_t n, int layout, gl_entry *e)
{
    uint8_t *d = malloc(n ? n : 1);
    cr_assert_not_null(d);
    memcpy(d, p, n);
    gl_cur c;
    gl_cur_init(&c, d, n);
    gl_entry_decode_layout(&c, e, layout);
    int st = gl_cur_end(&c);
    free(d);
    return st;
}

/* The status of an entry whose own area (or line `line`'s, 1-based) holds
 * items[0..len). */
static int entry_with_area(const uint8_t *items, size_t len, int line)
{
    gl_entry_in e = sample();
    gl_ext_in lines[2] = {{0}};
    if (line)
        lines[line - 1] = (gl_ext_in){items, len};
    else
        e.ext = (gl_ext_in){items, len};
    e.line_ext = lines;
    gl_buf b;
    gl_buf_init(&b);
    int st = gl_entry_encode(&b, &e);
    if (st == GL_OK) {
        gl_entry d;
        st = decode_layout(b.data, b.len, GL_LAYOUT_2, &d);
    }
    gl_buf_free(&b);
    return st;
}

Test(extension, empty_areas_are_two_zero_bytes_and_accepted)
{
    gl_entry_in e = sample();
    gl_buf b1, b2;
    gl_buf_init(&b1);
    gl_buf_init(&b2);
    cr_assert_eq(gl_entry_encode_layout(&b1, &e, GL_LAYOUT_1), GL_OK);
    cr_assert_eq(gl_entry_encode(&b2, &e), GL_OK);
    cr_assert_eq(b2.len, b1.len + 3 * 2, "an empty area per entry and per line");
    gl_entry d;
    cr_assert_eq(decode_layout(b2.data, b2.len, GL_LAYOUT_2, &d), GL_OK);
    gl_cur c; /* decode_layout's copy is gone: decode in place to look at the lines */
    gl_cur_init(&c, b2.data, b2.len);
    gl_entry_decode(&c, &d);
    cr_assert_eq(gl_cur_end(&c), GL_OK);
    cr_expect_eq(d.layout, GL_LAYOUT_2);
    cr_expect_eq(d.ext_len, 0);
    gl_line_iter it;
    gl_line l;
    gl_line_iter_init(&it, &d);
    while (gl_line_next(&it, &l))
        cr_expect_eq(l.ext_len, 0);
    /* where the entry's area sits: after flags, before line_count */
    size_t flags_at = 1 + 4 + 4 + 1 + 2 + 1 + 2 + 4 + 1 + 10 + 2 + 4;
    cr_expect_eq(b2.data[flags_at], 0);
    cr_expect_eq(gl_rd16(b2.data + flags_at + 1), 0, "entry ext_len");
    cr_expect_eq(gl_rd16(b2.data + flags_at + 3), 2, "line_count");
    /* and a line's: after its amount */
    cr_expect_eq(gl_rd16(b2.data + b2.len - 2), 0);
    gl_buf_free(&b1);
    gl_buf_free(&b2);
    cr_expect_eq(entry_with_area(NULL, 0, 0), GL_OK);
}

Test(extension, non_canonical_areas_are_refused_with_bad_extension)
{
    static const struct {
        const char *what;
        uint8_t bytes[8];
        size_t len;
    } bad[] = {
        {"types out of order", {2, 0, 1, 0}, 4},
        {"a type repeated", {3, 1, 'x', 3, 1, 'y'}, 6},
        {"type 0", {0, 0}, 2},
        {"an item header cut by the area's end", {1}, 1},
        {"a value running past the area", {1, 5, 'a', 'b'}, 4},
        {"a second item cut", {1, 0, 2}, 3},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_expect_eq(gl_ext_check(bad[i].bytes, bad[i].len, GL_EXT_AREA_ENTRY),
                     GL_ERR_BAD_EXTENSION, "%s", bad[i].what);
        for (int line = 0; line <= 2; line++)
            cr_expect_eq(entry_with_area(bad[i].bytes, bad[i].len, line), GL_ERR_BAD_EXTENSION,
                         "%s (line %d)", bad[i].what, line);
    }
}

Test(extension, well_formed_items_of_undefined_types_are_reserved)
{
    /* types 1 and 2 are defined (test_valid_date.c, test_analytic_proto.c) */
    static const uint8_t one[] = {3, 0}, two[] = {3, 2, 'a', 'b', 200, 0}, last[] = {255, 1, 0};
    cr_expect_eq(gl_ext_check(one, sizeof one, GL_EXT_AREA_ENTRY), GL_ERR_RESERVED_NONZERO);
    cr_expect_eq(gl_ext_check(two, sizeof two, GL_EXT_AREA_ENTRY), GL_ERR_RESERVED_NONZERO);
    cr_expect_eq(gl_ext_check(last, sizeof last, GL_EXT_AREA_LINE), GL_ERR_RESERVED_NONZERO);
    for (int line = 0; line <= 2; line++) {
        cr_expect_eq(entry_with_area(one, sizeof one, line), GL_ERR_RESERVED_NONZERO, "line %d",
                     line);
        cr_expect_eq(entry_with_area(two, sizeof two, line), GL_ERR_RESERVED_NONZERO, "line %d",
                     line);
    }
}

/* The limits: an entry's area at most 1024 bytes, a line's 256.  Built by
 * hand (the encoder refuses longer), with well-formed items, so that the
 * length alone decides. */
static void fill_items(uint8_t *p, size_t len)
{
    size_t pos = 0;
    unsigned type = 3; /* 1 and 2 are defined (validation date, analytic codes) */
    while (pos < len) {
        size_t v = len - pos - 2 > 255 ? 255 : len - pos - 2;
        if (len - pos - 2 > 255 && len - pos - 2 - 255 < 2)
            v = 250; /* leave room for one more item header */
        p[pos] = (uint8_t)type++;
        p[pos + 1] = (uint8_t)v;
        memset(p + pos + 2, 'v', v);
        pos += 2 + v;
    }
}

static void area_bytes(gl_buf *b, size_t entry_ext, size_t line_ext)
{
    static uint8_t items[2048];
    gl_buf_init(b);
    gl_put_str8(b, "acme", 4);
    gl_put_u32(b, 20250115);
    gl_put_str8(b, "BQ", 2);
    gl_put_str8(b, "R1", 2);
    gl_put_u32(b, 20250115);
    gl_put_str8(b, "x", 1);
    gl_put_u16(b, 0);
    gl_put_u32(b, 0);
    gl_put_u8(b, 0);
    fill_items(items, entry_ext);
    gl_put_u16(b, (uint16_t)entry_ext);
    gl_put_bytes(b, items, entry_ext);
    gl_put_u16(b, 2);
    for (int i = 0; i < 2; i++) {
        gl_put_str8(b, i ? "756000" : "512000", 6);
        gl_put_u8(b, 0);
        gl_put_u8(b, 0);
        gl_put_u8(b, 0);
        gl_put_u8(b, i ? 'C' : 'D');
        gl_put_i64(b, 100);
        size_t n = i ? line_ext : 0;
        fill_items(items, n);
        gl_put_u16(b, (uint16_t)n);
        gl_put_bytes(b, items, n);
    }
}

Test(extension, areas_over_their_limit_are_refused)
{
    gl_buf b;
    gl_entry d;
    uint8_t items[2048];
    fill_items(items, GL_EXT_ENTRY_MAX);
    cr_assert_eq(gl_ext_check(items, GL_EXT_ENTRY_MAX, GL_EXT_AREA_ENTRY), GL_ERR_RESERVED_NONZERO,
                 "at the limit: well-formed");
    area_bytes(&b, GL_EXT_ENTRY_MAX, 0);
    cr_expect_eq(decode_layout(b.data, b.len, GL_LAYOUT_2, &d), GL_ERR_RESERVED_NONZERO,
                 "entry area at its limit");
    gl_buf_free(&b);
    area_bytes(&b, GL_EXT_ENTRY_MAX + 1, 0);
    cr_expect_eq(decode_layout(b.data, b.len, GL_LAYOUT_2, &d), GL_ERR_BAD_EXTENSION,
                 "entry area one over");
    gl_buf_free(&b);
    area_bytes(&b, 0, GL_EXT_LINE_MAX);
    cr_expect_eq(decode_layout(b.data, b.len, GL_LAYOUT_2, &d), GL_ERR_RESERVED_NONZERO,
                 "line area at its limit");
    gl_buf_free(&b);
    area_bytes(&b, 0, GL_EXT_LINE_MAX + 1);
    cr_expect_eq(decode_layout(b.data, b.len, GL_LAYOUT_2, &d), GL_ERR_BAD_EXTENSION,
                 "line area one over");
    gl_buf_free(&b);
    /* an area length running past the entry: truncated */
    area_bytes(&b, 0, 0);
    gl_be16(b.data + 1 + 4 + 4 + 1 + 2 + 1 + 2 + 4 + 1 + 1 + 2 + 4 + 1, 900);
    cr_expect_eq(decode_layout(b.data, b.len, GL_LAYOUT_2, &d), GL_ERR_MALFORMED);
    gl_buf_free(&b);
    /* the encoder refuses what it could not write */
    gl_entry_in e = sample();
    e.ext = (gl_ext_in){items, GL_EXT_ENTRY_MAX + 1};
    gl_buf_init(&b);
    cr_expect_eq(gl_entry_encode(&b, &e), GL_ERR_BAD_EXTENSION);
    cr_expect_eq(b.len, 0u);
    e.ext = (gl_ext_in){items, 2};
    cr_expect_eq(gl_entry_encode_layout(&b, &e, GL_LAYOUT_1), GL_ERR_BAD_EXTENSION,
                 "layout 1 has no areas");
    gl_ext_in lines[2] = {{0}, {items, GL_EXT_LINE_MAX + 1}};
    e = sample();
    e.line_ext = lines;
    cr_expect_eq(gl_entry_encode(&b, &e), GL_ERR_BAD_EXTENSION);
    cr_expect_eq(b.len, 0u);
    gl_buf_free(&b);
}

Test(extension, layout_1_decodes_and_converts_both_ways)
{
    gl_entry_in e = sample();
    gl_buf b1, b2, conv;
    gl_buf_init(&b1);
    gl_buf_init(&b2);
    gl_buf_init(&conv);
    cr_assert_eq(gl_entry_encode_layout(&b1, &e, GL_LAYOUT_1), GL_OK);
    cr_assert_eq(gl_entry_encode(&b2, &e), GL_OK);
    gl_entry d1, d2;
    cr_assert_eq(decode_layout(b1.data, b1.len, GL_LAYOUT_1, &d1), GL_OK);
    cr_expect_eq(d1.layout, GL_LAYOUT_1);
    /* each layout's bytes are not the other's */
    cr_expect_neq(decode_layout(b1.data, b1.len, GL_LAYOUT_2, &d2), GL_OK);
    cr_expect_neq(decode_layout(b2.data, b2.len, GL_LAYOUT_1, &d2), GL_OK);
    /* layout 1 to 2: the same fields with empty areas */
    gl_cur c;
    gl_cur_init(&c, b1.data, b1.len);
    gl_entry_decode_layout(&c, &d1, GL_LAYOUT_1);
    cr_assert_eq(gl_cur_end(&c), GL_OK);
    cr_assert_eq(gl_entry_put(&conv, &d1, GL_LAYOUT_2), GL_OK);
    cr_assert_eq(conv.len, b2.len);
    cr_expect_arr_eq(conv.data, b2.data, b2.len);
    /* and back */
    gl_cur_init(&c, b2.data, b2.len);
    gl_entry_decode(&c, &d2);
    cr_assert_eq(gl_cur_end(&c), GL_OK);
    gl_buf_reset(&conv);
    cr_assert_eq(gl_entry_put(&conv, &d2, GL_LAYOUT_1), GL_OK);
    cr_assert_eq(conv.len, b1.len);
    cr_expect_arr_eq(conv.data, b1.data, b1.len);
    /* its own layout: a copy */
    gl_buf_reset(&conv);
    cr_assert_eq(gl_entry_put(&conv, &d2, GL_LAYOUT_2), GL_OK);
    cr_expect_arr_eq(conv.data, b2.data, b2.len);
    /* a POST body in layout 1 */
    gl_buf post;
    gl_buf_init(&post);
    gl_put_u32(&post, 1);
    gl_put_bytes(&post, b1.data, b1.len);
    gl_post p;
    uint32_t bad;
    cr_expect_eq(gl_post_decode_layout(post.data, post.len, GL_LAYOUT_1, &p, &bad), GL_OK);
    cr_expect_neq(gl_post_decode(post.data, post.len, &p, &bad), GL_OK);
    gl_buf_free(&post);
    gl_buf_free(&b1);
    gl_buf_free(&b2);
    gl_buf_free(&conv);
}

Test(extension, entry_event_types_name_their_layout)
{
    cr_expect_eq(gl_event_entry_layout(GL_EVENT_ENTRY), GL_LAYOUT_1);
    cr_expect_eq(gl_event_entry_layout(GL_EVENT_ENTRY2), GL_LAYOUT_2);
    cr_expect_eq(gl_event_entry_layout(GL_EVENT_LOCK), 0);
    cr_expect_eq(gl_event_entry_type(GL_LAYOUT_1), GL_EVENT_ENTRY);
    cr_expect_eq(gl_event_entry_type(GL_LAYOUT_2), GL_EVENT_ENTRY2);
}
