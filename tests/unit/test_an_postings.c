/*
 * tests/unit/test_an_postings.c — a line analysed on several axes cut into
 * segments of one code per axis (client/cli/an_postings.c), the postings
 * `export hledger` writes: the segments sum to the line, and per axis each
 * code's segments sum exactly to its share — checked against a model (sums
 * recomputed here) on fixed cases and on random distributions.
 */
#include "client/cli/an_postings.h"

#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

static gl_an_split split(const char *axis, size_t n, const int64_t *cents)
{
    static const char *const names[] = {"A", "B", "C", "D", "E", "F", "G", "H",
                                        "I", "J", "K", "L", "M", "N", "O", "P"};
    gl_an_split s = {.axis = {axis, strlen(axis)}, .count = (uint8_t)n};
    for (size_t i = 0; i < n; i++)
        s.shares[i] = (gl_an_share){{names[i], 1}, cents[i]};
    return s;
}

/* Every code's segments sum to its share, the segments to the line. */
static void check(const gl_an_split *axes, size_t n, int64_t amount, const an_segment *seg,
                  size_t count)
{
    cr_assert_gt(count, 0);
    size_t bound = 1;
    for (size_t a = 0; a < n; a++)
        bound += axes[a].count - 1u;
    cr_assert_leq(count, bound);
    int64_t total = 0;
    for (size_t i = 0; i < count; i++) {
        cr_assert_gt(seg[i].cents, 0);
        total += seg[i].cents;
    }
    cr_assert_eq(total, amount);
    for (size_t a = 0; a < n; a++)
        for (uint8_t k = 0; k < axes[a].count; k++) {
            int64_t sum = 0;
            for (size_t i = 0; i < count; i++)
                if (seg[i].code[a] == k)
                    sum += seg[i].cents;
            cr_assert_eq(sum, axes[a].shares[k].amount_cents, "axis %zu code %u: %lld, not %lld", a,
                         k, (long long)sum, (long long)axes[a].shares[k].amount_cents);
        }
}

Test(an_postings, one_code_per_axis_is_one_segment)
{
    gl_an_split axes[2] = {split("action", 1, (const int64_t[]){10000}),
                           split("financeur", 1, (const int64_t[]){10000})};
    an_segment seg[AN_SEGMENTS_MAX];
    size_t n = an_segments(axes, 2, 10000, seg);
    cr_assert_eq(n, 1);
    cr_assert_eq(seg[0].cents, 10000);
    cr_assert_eq(seg[0].code[0], 0);
    cr_assert_eq(seg[0].code[1], 0);
}

Test(an_postings, two_distributions_are_cut_where_either_changes)
{
    /* action 60.00 / 40.00, financeur 30.00 / 70.00: 30 A-A, 30 A-B, 40 B-B */
    gl_an_split axes[2] = {split("action", 2, (const int64_t[]){6000, 4000}),
                           split("financeur", 2, (const int64_t[]){3000, 7000})};
    an_segment seg[AN_SEGMENTS_MAX];
    size_t n = an_segments(axes, 2, 10000, seg);
    cr_assert_eq(n, 3);
    cr_assert_eq(seg[0].cents, 3000);
    cr_assert_eq(seg[1].cents, 3000);
    cr_assert_eq(seg[2].cents, 4000);
    cr_assert(seg[1].code[0] == 0 && seg[1].code[1] == 1);
    check(axes, 2, 10000, seg, n);
}

Test(an_postings, shares_not_summing_to_the_line_give_nothing)
{
    gl_an_split axes[2] = {split("action", 2, (const int64_t[]){6000, 3999}),
                           split("financeur", 1, (const int64_t[]){9999})};
    an_segment seg[AN_SEGMENTS_MAX];
    cr_assert_eq(an_segments(axes, 2, 9999, seg), 2); /* both sum to 99.99 */
    cr_assert_eq(an_segments(axes, 2, 10000, seg), 0);
    cr_assert_eq(an_segments(axes, 1, 10000, seg), 0);
    cr_assert_eq(an_segments(axes, 0, 10000, seg), 0);
    cr_assert_eq(an_segments(axes, AN_POSTING_AXES_MAX + 1, 9999, seg), 0);
}

Test(an_postings, random_distributions_keep_every_share)
{
    srand(19);
    an_segment seg[AN_SEGMENTS_MAX];
    for (int round = 0; round < 2000; round++) {
        size_t naxes = 1 + (size_t)rand() % AN_POSTING_AXES_MAX;
        int64_t amount = GL_AN_SPLIT_MAX + rand() % 1000000;
        if (round % 10 == 0)
            amount = INT64_MAX / 2 + rand(); /* large amounts: no overflow */
        gl_an_split axes[AN_POSTING_AXES_MAX];
        for (size_t a = 0; a < naxes; a++) {
            size_t k = 1 + (size_t)rand() % GL_AN_SPLIT_MAX;
            int64_t cents[GL_AN_SPLIT_MAX], left = amount;
            for (size_t i = 0; i + 1 < k; i++) {
                int64_t room = left - (int64_t)(k - 1 - i); /* each later share keeps 1 cent */
                cents[i] = 1 + (room > 1 ? (int64_t)rand() % (room / 2 + 1) : 0);
                left -= cents[i];
            }
            cents[k - 1] = left;
            axes[a] = split(a % 2 ? "financeur" : "action", k, cents);
        }
        size_t n = an_segments(axes, naxes, amount, seg);
        check(axes, naxes, amount, seg, n);
    }
}
