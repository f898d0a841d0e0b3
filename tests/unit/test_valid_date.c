/*
 * tests/unit/test_valid_date.c — proto/entry: the first extension type,
 * an entry's validation date (type 1 of the entry's area, u32 YYYYMMDD;
 * PROTOCOL.md §5.4.1).  A good one decodes and is read back; a value of
 * another length is bad_extension (207), a date that is not a date
 * bad_date (109); in a line's area type 1 is not defined (111); other
 * types stay refused.
 */
#include "proto/entry.h"
#include "proto/limits.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <criterion/criterion.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const gl_line_in lines2[] = {{"512000", "", "", "", 'D', 5000},
                                    {"756000", "", "", "", 'C', 5000}};

/* Encode an entry whose own area (line 0) or line `line`'s holds the
 * items, decode it from an exact-size copy; the status, and the validation
 * date read back when it decodes. */
static int with_items(const uint8_t *items, size_t len, int line, uint32_t *valid_out)
{
    gl_entry_in e = {.tenant = "acme",
                     .journal = "BQ",
                     .piece_ref = "R1",
                     .label = "Cotisation",
                     .date = 20250115,
                     .piece_date = 20250115,
                     .line_count = 2,
                     .lines = lines2};
    gl_ext_in lx[2] = {{0}};
    if (line)
        lx[line - 1] = (gl_ext_in){items, len};
    else
        e.ext = (gl_ext_in){items, len};
    e.line_ext = lx;
    gl_buf b;
    gl_buf_init(&b);
    cr_assert_eq(gl_entry_encode(&b, &e), GL_OK);
    uint8_t *copy = malloc(b.len);
    cr_assert_not_null(copy);
    memcpy(copy, b.data, b.len);
    gl_cur c;
    gl_cur_init(&c, copy, b.len);
    gl_entry d;
    gl_entry_decode(&c, &d);
    int st = gl_cur_end(&c);
    if (st == GL_OK && valid_out)
        *valid_out = gl_entry_valid_date(&d);
    free(copy);
    gl_buf_free(&b);
    return st;
}

Test(valid_date, a_validation_date_is_kept_in_the_entry_area_and_read_back)
{
    uint8_t items[6];
    size_t n = gl_ext_valid_date_put(items, 20250228);
    cr_assert_eq(n, 6u);
    static const uint8_t want[] = {0x01, 0x04, 0x01, 0x34, 0xfe, 0x74}; /* 20250228 = 0x0134fe74 */
    cr_expect_arr_eq(items, want, 6);
    uint32_t got = 0;
    cr_assert_eq(with_items(items, n, 0, &got), GL_OK);
    cr_expect_eq(got, 20250228u);
    cr_expect_eq(gl_ext_check(items, n, GL_EXT_AREA_ENTRY), GL_OK);
    /* no date: no item, an empty area, read back as 0 */
    cr_expect_eq(gl_ext_valid_date_put(items, 0), 0u);
    got = 1;
    cr_assert_eq(with_items(NULL, 0, 0, &got), GL_OK);
    cr_expect_eq(got, 0u);
}

Test(valid_date, a_value_of_another_length_is_bad_extension)
{
    static const uint8_t short3[] = {1, 3, 0x01, 0x34, 0xfe},
                         long5[] = {1, 5, 0x01, 0x34, 0xfe, 0x74, 0}, empty[] = {1, 0};
    cr_expect_eq(with_items(short3, sizeof short3, 0, NULL), GL_ERR_BAD_EXTENSION);
    cr_expect_eq(with_items(long5, sizeof long5, 0, NULL), GL_ERR_BAD_EXTENSION);
    cr_expect_eq(with_items(empty, sizeof empty, 0, NULL), GL_ERR_BAD_EXTENSION);
}

Test(valid_date, a_value_that_is_not_a_date_is_bad_date)
{
    static const uint32_t bad[] = {0,        20250230, 20251301,   18991231,
                                   30000101, 20250100, 0xFFFFFFFFu};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint8_t items[6] = {1, 4};
        gl_be32(items + 2, bad[i]);
        cr_expect_eq(with_items(items, 6, 0, NULL), GL_ERR_BAD_DATE, "%u", bad[i]);
        cr_expect_eq(gl_ext_check(items, 6, GL_EXT_AREA_ENTRY), GL_ERR_BAD_DATE, "%u", bad[i]);
    }
}

Test(valid_date, type_1_of_a_line_area_is_open_item_and_other_types_stay_refused)
{
    uint8_t items[6];
    size_t n = gl_ext_valid_date_put(items, 20250228);
    /* a line's type 1 is open_item (issue 17): 4 bytes are not one */
    cr_expect_eq(with_items(items, n, 1, NULL), GL_ERR_BAD_EXTENSION);
    cr_expect_eq(with_items(items, n, 2, NULL), GL_ERR_BAD_EXTENSION);
    items[0] = 2; /* a line's type 2 is its analytic codes (issue 19): not these bytes */
    cr_expect_eq(with_items(items, n, 1, NULL), GL_ERR_BAD_EXTENSION);
    items[0] = 3; /* an undefined type of a line */
    cr_expect_eq(with_items(items, n, 1, NULL), GL_ERR_RESERVED_NONZERO);
    items[0] = 1;
    /* the date followed by an undefined type: refused on the second item */
    uint8_t two[8];
    memcpy(two, items, 6);
    two[6] = 2;
    two[7] = 0;
    cr_expect_eq(with_items(two, 8, 0, NULL), GL_ERR_RESERVED_NONZERO);
    /* the structure rule comes first: a cut item after the date is 207 */
    two[7] = 5;
    cr_expect_eq(gl_ext_check(two, 8, GL_EXT_AREA_ENTRY), GL_ERR_BAD_EXTENSION);
}

Test(valid_date, an_entry_with_a_validation_date_has_no_layout_1_form)
{
    uint8_t items[6];
    size_t n = gl_ext_valid_date_put(items, 20250228);
    gl_entry_in e = {.tenant = "acme",
                     .journal = "BQ",
                     .piece_ref = "R1",
                     .label = "Cotisation",
                     .date = 20250115,
                     .piece_date = 20250115,
                     .line_count = 2,
                     .lines = lines2,
                     .ext = {items, n}};
    gl_buf b, one;
    gl_buf_init(&b);
    gl_buf_init(&one);
    cr_assert_eq(gl_entry_encode(&b, &e), GL_OK);
    gl_cur c;
    gl_cur_init(&c, b.data, b.len);
    gl_entry d;
    gl_entry_decode(&c, &d);
    cr_assert_eq(gl_cur_end(&c), GL_OK);
    cr_expect_eq(gl_entry_put(&one, &d, GL_LAYOUT_1), GL_ERR_BAD_EXTENSION);
    gl_buf_free(&b);
    gl_buf_free(&one);
}
