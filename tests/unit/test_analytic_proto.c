/*
 * tests/unit/test_analytic_proto.c — proto/analytic (issue 19): the names,
 * the line item (round trip, every malformed shape refused as
 * bad_extension), its sort, the shares' sum (483 in gl_entry_check), the
 * weights (3 x 33.33 % of 100.00 sums exactly), the AXIS/CODE/RULE_SET and
 * ALLOC bodies and the AXES reply.
 */
#include "proto/analytic.h"
#include "proto/entry.h"
#include "proto/limits.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

/* action: FSE-2026 (the whole line); financeur: FSE 60, VILLE 40. */
static gl_analytic sample(int64_t amount_cents)
{
    gl_analytic a = {.naxes = 2};
    a.axes[0] = (gl_an_split){.axis = S("action"), .count = 1};
    a.axes[0].shares[0] = (gl_an_share){S("FSE-2026"), amount_cents};
    a.axes[1] = (gl_an_split){.axis = S("financeur"), .count = 2};
    a.axes[1].shares[0] = (gl_an_share){S("FSE"), amount_cents * 6 / 10};
    a.axes[1].shares[1] = (gl_an_share){S("VILLE"), amount_cents - amount_cents * 6 / 10};
    return a;
}

/* Decode from an exact-size copy (ASan sees any over-read). */
static int decode(const uint8_t *p, size_t n, bool allow_empty, gl_analytic *out)
{
    uint8_t *d = malloc(n ? n : 1);
    cr_assert_not_null(d);
    if (n)
        memcpy(d, p, n);
    int st = gl_analytic_decode(d, n, allow_empty, out);
    free(d);
    return st;
}

static int decode_a(const gl_analytic *a, bool allow_empty)
{
    uint8_t v[GL_AN_ITEM_MAX];
    size_t n = 0;
    cr_assert_eq(gl_analytic_encode(a, v, &n), GL_OK);
    gl_analytic d;
    return decode(v, n, allow_empty, &d);
}

Test(analytic_proto, names_follow_their_syntax)
{
    cr_expect(gl_an_axis_valid(S("action")));
    cr_expect(gl_an_axis_valid(S("fin_2-x9")));
    cr_expect(gl_an_axis_valid(S("abcdefghijklmnop")));
    cr_expect_not(gl_an_axis_valid(S("abcdefghijklmnopq")), "17 bytes");
    cr_expect_not(gl_an_axis_valid(S("")));
    cr_expect_not(gl_an_axis_valid(S("Action")));
    cr_expect_not(gl_an_axis_valid(S("ac tion")));
    cr_expect_not(gl_an_axis_valid(S("axe.1")));
    cr_expect(gl_an_code_valid(S("FSE-2026")));
    cr_expect(gl_an_code_valid(S("SUBV.VILLE")));
    cr_expect(gl_an_code_valid(S("0_A")));
    cr_expect(gl_an_code_valid(S("ABCDEFGHIJKLMNOP")));
    cr_expect_not(gl_an_code_valid(S("ABCDEFGHIJKLMNOPQ")), "17 bytes");
    cr_expect_not(gl_an_code_valid(S("")));
    cr_expect_not(gl_an_code_valid(S("-FSE")));
    cr_expect_not(gl_an_code_valid(S(".FSE")));
    cr_expect_not(gl_an_code_valid(S("fse")));
    cr_expect_not(gl_an_code_valid(S("FSE 2026")));
    cr_expect_not(gl_an_code_valid(S("É")));
}

Test(analytic_proto, an_item_round_trips)
{
    gl_analytic a = sample(150000), d;
    uint8_t item[2 + GL_AN_ITEM_MAX];
    size_t n = gl_analytic_item_put(item, &a);
    cr_assert_gt(n, 2);
    cr_expect_eq(item[0], GL_EXT_ANALYTIC);
    cr_expect_eq(item[1], n - 2);
    cr_assert_eq(gl_analytic_decode(item + 2, n - 2, false, &d), GL_OK); /* views into item */
    cr_assert_eq(d.naxes, 2);
    cr_expect(gl_str_eq(d.axes[0].axis, "action") && d.axes[0].count == 1);
    cr_expect(gl_str_eq(d.axes[0].shares[0].code, "FSE-2026"));
    cr_expect_eq(d.axes[0].shares[0].amount_cents, 150000);
    cr_expect(gl_str_eq(d.axes[1].axis, "financeur") && d.axes[1].count == 2);
    cr_expect(gl_str_eq(d.axes[1].shares[0].code, "FSE"));
    cr_expect_eq(d.axes[1].shares[0].amount_cents, 90000);
    cr_expect(gl_str_eq(d.axes[1].shares[1].code, "VILLE"));
    cr_expect_eq(d.axes[1].shares[1].amount_cents, 60000);
    size_t bad = 99;
    cr_expect_eq(gl_analytic_check_sum(&d, 150000, &bad), GL_OK);
    cr_expect_eq(gl_analytic_check_sum(&d, 150001, &bad), GL_ERR_ANALYTIC_SPLIT_SUM);
    cr_expect_eq(bad, 0);
    cr_expect_eq(gl_ext_check(item, n, GL_EXT_AREA_LINE), GL_OK);
    cr_expect_eq(gl_ext_check(item, n, GL_EXT_AREA_ENTRY), GL_ERR_RESERVED_NONZERO,
                 "type 2 is a line's");
    gl_analytic l;
    cr_expect(gl_line_analytic(item, n, &l));
    cr_expect_eq(l.naxes, 2);
    cr_expect_not(gl_line_analytic(NULL, 0, &l));
}

Test(analytic_proto, the_shares_of_the_wrong_axis_are_named)
{
    gl_analytic a = sample(1000);
    a.axes[1].shares[1].amount_cents += 1;
    size_t bad = 99;
    cr_expect_eq(gl_analytic_check_sum(&a, 1000, &bad), GL_ERR_ANALYTIC_SPLIT_SUM);
    cr_expect_eq(bad, 1);
    a.axes[1].shares[0].amount_cents = INT64_MAX;
    cr_expect_eq(gl_analytic_check_sum(&a, 1000, &bad), GL_ERR_ANALYTIC_SPLIT_SUM, "overflow");
    a.axes[1].count = 0; /* an ALLOC removal is skipped */
    cr_expect_eq(gl_analytic_check_sum(&a, 1000, &bad), GL_OK);
}

/* Mutations of a good item, each a shape out of the rules. */
Test(analytic_proto, every_malformed_shape_is_bad_extension)
{
    gl_analytic a;
    cr_expect_eq(decode_a(&(gl_analytic){.naxes = 0}, false), GL_ERR_BAD_EXTENSION, "empty");
    a = sample(100);
    a.axes[0].axis = S("Action");
    cr_expect_eq(decode_a(&a, false), GL_ERR_BAD_EXTENSION, "axis syntax");
    a = sample(100);
    a.axes[0].axis = S("");
    cr_expect_eq(decode_a(&a, false), GL_ERR_BAD_EXTENSION, "empty axis");
    a = sample(100);
    a.axes[1].shares[0].code = S("fse");
    cr_expect_eq(decode_a(&a, false), GL_ERR_BAD_EXTENSION, "code syntax");
    a = sample(100);
    a.axes[1].shares[0].code = S("ZZZ");
    cr_expect_eq(decode_a(&a, false), GL_ERR_BAD_EXTENSION, "codes out of order");
    a = sample(100);
    a.axes[1].shares[1].code = S("FSE");
    cr_expect_eq(decode_a(&a, false), GL_ERR_BAD_EXTENSION, "a code twice");
    a = sample(100);
    a.axes[1].axis = S("action");
    cr_expect_eq(decode_a(&a, false), GL_ERR_BAD_EXTENSION, "an axis twice");
    a = sample(100);
    a.axes[0].axis = S("zone");
    cr_expect_eq(decode_a(&a, false), GL_ERR_BAD_EXTENSION, "axes out of order");
    a = sample(100);
    a.axes[1].shares[0].amount_cents = 0;
    cr_expect_eq(decode_a(&a, false), GL_ERR_BAD_EXTENSION, "amount 0");
    a = sample(100);
    a.axes[1].shares[0].amount_cents = -60;
    cr_expect_eq(decode_a(&a, false), GL_ERR_BAD_EXTENSION, "amount < 0");
    a = sample(100);
    a.axes[1].count = 0;
    cr_expect_eq(decode_a(&a, false), GL_ERR_BAD_EXTENSION, "count 0 in an entry");
    cr_expect_eq(decode_a(&a, true), GL_OK, "count 0 in an allocation");
}

Test(analytic_proto, counts_and_lengths_have_their_limits)
{
    static const char *const names[] = {"a", "b", "c", "d", "e", "f", "g", "h", "i"};
    gl_analytic a = {.naxes = GL_AN_LINE_AXES_MAX};
    for (size_t i = 0; i < GL_AN_LINE_AXES_MAX; i++) {
        a.axes[i] = (gl_an_split){.axis = S(names[i]), .count = 1};
        a.axes[i].shares[0] = (gl_an_share){S("X"), 5};
    }
    cr_expect_eq(decode_a(&a, false), GL_OK, "8 axes");
    /* a ninth axis: built by hand after the eight */
    uint8_t v[GL_AN_ITEM_MAX + 16];
    size_t n = 0;
    cr_assert_eq(gl_analytic_encode(&a, v, &n), GL_OK);
    static const uint8_t ninth[] = {1, 'i', 1, 1, 'X', 0, 0, 0, 0, 0, 0, 0, 5};
    memcpy(v + n, ninth, sizeof ninth);
    gl_analytic d;
    cr_expect_eq(decode(v, n + sizeof ninth, false, &d), GL_ERR_BAD_EXTENSION, "9 axes");
    /* 17 codes on one axis */
    uint8_t w[GL_AN_ITEM_MAX];
    size_t m = 0;
    w[m++] = 1;
    w[m++] = 'a';
    w[m++] = GL_AN_SPLIT_MAX + 1;
    for (int i = 0; i < GL_AN_SPLIT_MAX + 1; i++) {
        w[m++] = 1;
        w[m++] = (uint8_t)('A' + i);
        memset(w + m, 0, 7);
        w[m + 7] = 1;
        m += 8;
    }
    cr_expect_eq(decode(w, m, false, &d), GL_ERR_BAD_EXTENSION, "17 codes");
    w[2] = GL_AN_SPLIT_MAX;
    cr_expect_eq(decode(w, m - 10, false, &d), GL_OK, "16 codes");
    cr_expect_eq(decode(w, m - 11, false, &d), GL_ERR_BAD_EXTENSION, "cut");
    cr_expect_eq(decode(w, 1, false, &d), GL_ERR_BAD_EXTENSION, "cut in a name");
    cr_expect_eq(decode(w, 0, false, &d), GL_ERR_BAD_EXTENSION, "empty");
    uint8_t big[GL_AN_ITEM_MAX + 1] = {0};
    cr_expect_eq(decode(big, sizeof big, false, &d), GL_ERR_BAD_EXTENSION, "over the max");
}

Test(analytic_proto, an_item_too_long_is_not_encoded)
{
    gl_analytic a = {.naxes = 1};
    a.axes[0] = (gl_an_split){.axis = S("action"), .count = GL_AN_SPLIT_MAX};
    static char codes[GL_AN_SPLIT_MAX][GL_AN_CODE_MAX + 1];
    for (int i = 0; i < GL_AN_SPLIT_MAX; i++) {
        memset(codes[i], 'A' + i, GL_AN_CODE_MAX);
        a.axes[0].shares[i] = (gl_an_share){S(codes[i]), 1};
    }
    uint8_t v[GL_AN_ITEM_MAX], item[2 + GL_AN_ITEM_MAX];
    size_t n = 0;
    cr_expect_eq(gl_analytic_encode(&a, v, &n), GL_ERR_BAD_EXTENSION);
    cr_expect_eq(gl_analytic_item_put(item, &a), 0);
}

Test(analytic_proto, sort_orders_axes_and_codes_and_finds_twins)
{
    gl_analytic a = {.naxes = 2};
    a.axes[0] = (gl_an_split){.axis = S("financeur"), .count = 3};
    a.axes[0].shares[0] = (gl_an_share){S("VILLE"), 1};
    a.axes[0].shares[1] = (gl_an_share){S("FSE"), 2};
    a.axes[0].shares[2] = (gl_an_share){S("FS"), 3};
    a.axes[1] = (gl_an_split){.axis = S("action"), .count = 1};
    a.axes[1].shares[0] = (gl_an_share){S("A1"), 6};
    cr_assert(gl_analytic_sort(&a));
    cr_expect(gl_str_eq(a.axes[0].axis, "action"));
    cr_expect(gl_str_eq(a.axes[1].shares[0].code, "FS"));
    cr_expect(gl_str_eq(a.axes[1].shares[1].code, "FSE"));
    cr_expect(gl_str_eq(a.axes[1].shares[2].code, "VILLE"));
    cr_expect_eq(a.axes[1].shares[2].amount_cents, 1, "amounts follow their codes");
    cr_expect_eq(decode_a(&a, false), GL_OK);
    a.axes[1].shares[0].code = S("FSE");
    cr_expect_not(gl_analytic_sort(&a), "a code twice");
    a = sample(10);
    a.axes[1].axis = S("action");
    cr_expect_not(gl_analytic_sort(&a), "an axis twice");
}

Test(analytic_proto, weights_split_exactly)
{
    int64_t thirds[] = {333300, 333300, 333400}, s[3];
    cr_assert(gl_an_split_weights(10000, thirds, 3, s));
    cr_expect_eq(s[0] + s[1] + s[2], 10000);
    cr_expect_eq(s[0], 3333);
    cr_expect_eq(s[1], 3333);
    cr_expect_eq(s[2], 3334);
    int64_t equal[] = {333333, 333333, 333334};
    cr_assert(gl_an_split_weights(10000, equal, 3, s));
    cr_expect_eq(s[0] + s[1] + s[2], 10000);
    int64_t same[] = {1, 1, 1};
    cr_assert(gl_an_split_weights(10000, same, 3, s));
    cr_expect_eq(s[0], 3334, "the remainder to the first of equals");
    cr_expect_eq(s[1] + s[2], 6666);
    int64_t sixty[] = {600000, 400000}, t[2];
    cr_assert(gl_an_split_weights(123457, sixty, 2, t));
    cr_expect_eq(t[0], 74074 + 1);
    cr_expect_eq(t[1], 49382);
    for (int64_t amount = 1; amount < 500; amount += 7) {
        int64_t w[] = {125000, 250000, 625000}, r[3];
        if (amount >= 3 && gl_an_split_weights(amount, w, 3, r))
            cr_expect_eq(r[0] + r[1] + r[2], amount, "%lld", (long long)amount);
    }
    int64_t zero[] = {0, 100}, neg[] = {-1, 100};
    cr_expect_not(gl_an_split_weights(100, zero, 2, t), "a weight 0");
    cr_expect_not(gl_an_split_weights(100, neg, 2, t), "a weight < 0");
    cr_expect_not(gl_an_split_weights(100, sixty, 0, t), "no weights");
    int64_t tiny[] = {1, 999999};
    cr_expect_not(gl_an_split_weights(100, tiny, 2, t), "a code that gets 0");
    int64_t huge[] = {INT64_MAX, INT64_MAX};
    cr_expect(gl_an_split_weights(INT64_MAX, huge, 2, t), "no overflow");
    cr_expect_eq(t[0], INT64_MAX - t[1]);
}

/* An entry of two lines of 1,500.00, the first carrying item[0..n). */
static int entry_status(const uint8_t *item, size_t n, uint32_t *bad_line)
{
    static const gl_line_in lines[] = {{"606000", "", "", "", 'D', 150000},
                                       {"512000", "", "", "", 'C', 150000}};
    gl_ext_in ext[2] = {{item, n}, {0}};
    gl_entry_in in = {.tenant = "acme",
                      .journal = "AC",
                      .piece_ref = "F1",
                      .label = "Fournitures",
                      .date = 20260115,
                      .piece_date = 20260115,
                      .line_count = 2,
                      .lines = lines,
                      .line_ext = ext};
    gl_buf b;
    gl_buf_init(&b);
    cr_assert_eq(gl_entry_encode(&b, &in), GL_OK);
    gl_cur c;
    gl_cur_init(&c, b.data, b.len);
    gl_entry e;
    gl_entry_decode(&c, &e);
    int st = gl_cur_end(&c);
    if (st == GL_OK)
        st = gl_entry_check(&e, bad_line);
    gl_buf_free(&b);
    return st;
}

Test(analytic_proto, an_entry_checks_its_lines_shares)
{
    uint8_t item[2 + GL_AN_ITEM_MAX];
    uint32_t bad = 0;
    gl_analytic a = sample(150000);
    size_t n = gl_analytic_item_put(item, &a);
    cr_expect_eq(entry_status(item, n, &bad), GL_OK);
    a.axes[1].shares[1].amount_cents -= 1;
    n = gl_analytic_item_put(item, &a);
    cr_expect_eq(entry_status(item, n, &bad), GL_ERR_ANALYTIC_SPLIT_SUM);
    cr_expect_eq(bad, 1);
    a = sample(150000);
    a.axes[0].shares[0].amount_cents = 100; /* one code: the whole line */
    n = gl_analytic_item_put(item, &a);
    cr_expect_eq(entry_status(item, n, &bad), GL_ERR_ANALYTIC_SPLIT_SUM);
    a.axes[0].shares[0].code = S("bad");
    n = gl_analytic_item_put(item, &a);
    cr_expect_eq(entry_status(item, n, &bad), GL_ERR_BAD_EXTENSION, "structure first");
}

Test(analytic_proto, set_bodies_round_trip)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_an_axis_set_q ax = {S("action"), GL_AN_OPEN, S("Opérations")}, axd;
    gl_an_axis_set_q_encode(&b, &ax);
    cr_assert_eq(gl_an_axis_set_q_decode(b.data, b.len, &axd), GL_OK);
    cr_expect(gl_str_eq(axd.axis, "action") && axd.state == GL_AN_OPEN);
    cr_expect(gl_str_eq(axd.label, "Opérations"));
    cr_expect_eq(gl_an_axis_set_q_decode(b.data, b.len - 1, &axd), GL_ERR_MALFORMED);
    gl_put_u8(&b, 0);
    cr_expect_eq(gl_an_axis_set_q_decode(b.data, b.len, &axd), GL_ERR_TRAILING_BYTES);
    gl_buf_reset(&b);
    gl_an_code_set_q co = {S("action"), S("FSE-2026"), GL_AN_CLOSED, S("")}, cod;
    gl_an_code_set_q_encode(&b, &co);
    cr_assert_eq(gl_an_code_set_q_decode(b.data, b.len, &cod), GL_OK);
    cr_expect(gl_str_eq(cod.axis, "action") && gl_str_eq(cod.code, "FSE-2026"));
    cr_expect(cod.state == GL_AN_CLOSED && cod.label.len == 0);
    cr_expect_eq(gl_an_code_set_q_decode(b.data, b.len - 1, &cod), GL_ERR_MALFORMED);
    gl_buf_reset(&b);
    gl_an_rule_set_q ru = {S("action"), S("6"), 1}, rud;
    gl_an_rule_set_q_encode(&b, &ru);
    cr_assert_eq(gl_an_rule_set_q_decode(b.data, b.len, &rud), GL_OK);
    cr_expect(gl_str_eq(rud.axis, "action") && gl_str_eq(rud.prefix, "6") && rud.required == 1);
    gl_put_u8(&b, 0);
    cr_expect_eq(gl_an_rule_set_q_decode(b.data, b.len, &rud), GL_ERR_TRAILING_BYTES);
    gl_buf_reset(&b);
    ax.axis = S("abcdefghijklmnopq");
    gl_an_axis_set_q_encode(&b, &ax);
    cr_expect_eq(gl_an_axis_set_q_decode(b.data, b.len, &axd), GL_ERR_STRING_TOO_LONG);
    gl_buf_free(&b);
}

static void alloc_body(gl_buf *b, uint16_t count, const gl_an_alloc_row *rows, size_t n)
{
    gl_buf_init(b);
    gl_put_u16(b, count);
    for (size_t i = 0; i < n; i++)
        gl_an_alloc_row_put(b, &rows[i]);
}

Test(analytic_proto, an_allocation_round_trips_row_by_row)
{
    gl_an_alloc_row rows[2] = {{.fy = 2026, .num = 123, .line = 1, .codes = sample(1000)},
                               {.fy = 2025, .num = 9, .line = 2, .codes = sample(500)}};
    rows[1].codes.axes[1].count = 0; /* financeur removed */
    gl_buf b;
    alloc_body(&b, 2, rows, 2);
    gl_an_alloc_q q;
    uint32_t bad = 99;
    cr_assert_eq(gl_an_alloc_q_decode(b.data, b.len, &q, &bad), GL_OK);
    cr_expect_eq(q.count, 2);
    cr_expect_eq(bad, 0);
    gl_an_alloc_iter it;
    gl_an_alloc_row r;
    gl_an_alloc_iter_init(&it, &q);
    cr_assert(gl_an_alloc_next(&it, &r));
    cr_expect(r.fy == 2026 && r.num == 123 && r.line == 1 && r.codes.naxes == 2);
    cr_expect_eq(r.codes.axes[1].shares[1].amount_cents, 400);
    cr_assert(gl_an_alloc_next(&it, &r));
    cr_expect(r.fy == 2025 && r.num == 9 && r.line == 2);
    cr_expect_eq(r.codes.axes[1].count, 0);
    cr_expect_not(gl_an_alloc_next(&it, &r));
    cr_expect_eq(gl_an_alloc_q_decode(b.data, b.len - 1, &q, &bad), GL_ERR_MALFORMED);
    gl_put_u8(&b, 0);
    cr_expect_eq(gl_an_alloc_q_decode(b.data, b.len, &q, &bad), GL_ERR_TRAILING_BYTES);
    gl_buf_free(&b);
}

Test(analytic_proto, an_allocation_names_its_bad_row)
{
    gl_an_alloc_row rows[3] = {{.fy = 2026, .num = 1, .line = 1, .codes = sample(1000)},
                               {.fy = 2026, .num = 2, .line = 1, .codes = sample(1000)},
                               {.fy = 2026, .num = 3, .line = 1, .codes = sample(1000)}};
    rows[1].codes.axes[1].shares[0].code = S("zzz");
    gl_buf b;
    alloc_body(&b, 3, rows, 3);
    gl_an_alloc_q q;
    uint32_t bad = 0;
    cr_expect_eq(gl_an_alloc_q_decode(b.data, b.len, &q, &bad), GL_ERR_BAD_EXTENSION);
    cr_expect_eq(bad, 2);
    gl_buf_free(&b);
    alloc_body(&b, 0, rows, 0);
    cr_expect_eq(gl_an_alloc_q_decode(b.data, b.len, &q, &bad), GL_ERR_COUNT_LIMIT, "0 rows");
    gl_buf_free(&b);
    alloc_body(&b, GL_AN_ALLOC_MAX + 1, rows, 1);
    cr_expect_eq(gl_an_alloc_q_decode(b.data, b.len, &q, &bad), GL_ERR_COUNT_LIMIT, "too many");
    gl_buf_free(&b);
    alloc_body(&b, 2, rows, 1);
    cr_expect_eq(gl_an_alloc_q_decode(b.data, b.len, &q, &bad), GL_ERR_MALFORMED, "a row missing");
    gl_buf_free(&b);
    /* an empty item */
    gl_buf_init(&b);
    gl_put_u16(&b, 1);
    gl_put_u16(&b, 2026);
    gl_put_u32(&b, 1);
    gl_put_u16(&b, 1);
    gl_put_u8(&b, 0);
    cr_expect_eq(gl_an_alloc_q_decode(b.data, b.len, &q, &bad), GL_ERR_BAD_EXTENSION);
    cr_expect_eq(bad, 1);
    gl_buf_free(&b);
}

static void axis_row(gl_buf *b, const char *axis, uint8_t state, const char *label, int ncodes,
                     const char *const *rules, int nrules)
{
    gl_put_str8(b, axis, strlen(axis));
    gl_put_u8(b, state);
    gl_put_str8(b, label, strlen(label));
    gl_put_u16(b, (uint16_t)ncodes);
    for (int i = 0; i < ncodes; i++) {
        char code[8];
        snprintf(code, sizeof code, "C%d", i);
        gl_put_str8(b, code, strlen(code));
        gl_put_u8(b, i % 2 ? GL_AN_CLOSED : GL_AN_OPEN);
        gl_put_str8(b, "Code", 4);
    }
    gl_put_u16(b, (uint16_t)nrules);
    for (int i = 0; i < nrules; i++)
        gl_put_str8(b, rules[i], strlen(rules[i]));
}

Test(analytic_proto, the_axes_reply_reads_axis_by_axis)
{
    static const char *const rules[] = {"6", "7"};
    gl_buf b;
    gl_buf_init(&b);
    gl_put_u16(&b, 2);
    axis_row(&b, "action", GL_AN_OPEN, "Actions", 3, rules, 2);
    axis_row(&b, "financeur", GL_AN_CLOSED, "Financeurs", 0, NULL, 0);
    gl_an_axes_iter it;
    gl_an_axis_row row;
    cr_assert_eq(gl_an_axes_reply_begin(b.data, b.len, &it), GL_OK);
    cr_assert_eq(gl_an_axes_reply_next(&it, &row), GL_OK);
    cr_expect(gl_str_eq(row.axis, "action") && row.state == GL_AN_OPEN);
    cr_expect(gl_str_eq(row.label, "Actions") && row.ncodes == 3 && row.nrules == 2);
    gl_cur c;
    gl_an_code_row code;
    gl_cur_init(&c, row.codes, row.codes_len);
    int n = 0;
    while (gl_an_axis_code_next(&c, &code)) {
        cr_expect_eq(code.state, n % 2 ? GL_AN_CLOSED : GL_AN_OPEN);
        n++;
    }
    cr_expect_eq(n, 3);
    gl_str prefix;
    gl_cur_init(&c, row.rules, row.rules_len);
    cr_expect(gl_an_axis_rule_next(&c, &prefix) && gl_str_eq(prefix, "6"));
    cr_expect(gl_an_axis_rule_next(&c, &prefix) && gl_str_eq(prefix, "7"));
    cr_expect_not(gl_an_axis_rule_next(&c, &prefix));
    cr_assert_eq(gl_an_axes_reply_next(&it, &row), GL_OK);
    cr_expect(gl_str_eq(row.axis, "financeur") && row.ncodes == 0 && row.codes_len == 0);
    cr_expect_eq(gl_an_axes_reply_next(&it, &row), GL_ERR_NOT_FOUND);
    /* cut anywhere: MALFORMED, never a read past the end */
    for (size_t cut = 2; cut < b.len; cut++) {
        uint8_t *d = malloc(cut);
        memcpy(d, b.data, cut);
        int st = gl_an_axes_reply_begin(d, cut, &it);
        while (st == GL_OK)
            st = gl_an_axes_reply_next(&it, &row);
        cr_expect(st == GL_ERR_MALFORMED || st == GL_ERR_NOT_FOUND, "cut %zu", cut);
        free(d);
    }
    gl_buf_free(&b);
}

/* PROTOCOL.md §5.4.1's example, byte for byte. */
Test(analytic_proto, the_protocols_example_item)
{
    static const uint8_t want[] = {
        0x02, 0x3e, 6,   'a', 'c', 't', 'i', 'o', 'n',  1,    8,    'F', 'S', 'E', '-',  '2',
        '0',  '2',  '6', 0,   0,   0,   0,   0,   0x02, 0x49, 0xf0, 9,   'f', 'i', 'n',  'a',
        'n',  'c',  'e', 'u', 'r', 2,   3,   'F', 'S',  'E',  0,    0,   0,   0,   0,    0x01,
        0x5f, 0x90, 5,   'V', 'I', 'L', 'L', 'E', 0,    0,    0,    0,   0,   0,   0xea, 0x60};
    gl_analytic a = sample(150000);
    uint8_t item[2 + GL_AN_ITEM_MAX];
    size_t n = gl_analytic_item_put(item, &a);
    cr_assert_eq(n, sizeof want);
    cr_expect_eq(memcmp(item, want, n), 0);
}
