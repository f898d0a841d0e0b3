/*
 * tests/unit/test_letter_match.c — automatic lettering's matching
 * (client/cli/letter_match.c): each rule, its order, the window, the third
 * parties kept apart, determinism, the partial payments' remaining amounts,
 * and a property over random invoices and payments (fixed seed): every set
 * sums to zero exactly and lies within one account and one third party.
 * Also the LETTER_BATCH body codec (proto/query.c).
 */
#include "client/cli/letter_match.h"
#include "proto/kinds.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static lm_line L(const char *account, const char *aux, const char *piece, uint32_t num,
                 uint32_t date, int64_t amount)
{
    lm_line l;
    memset(&l, 0, sizeof l);
    snprintf(l.account, sizeof l.account, "%s", account);
    snprintf(l.aux, sizeof l.aux, "%s", aux);
    snprintf(l.piece, sizeof l.piece, "%s", piece);
    l.ref = (gl_line_ref){2025, num, 1};
    l.date = date;
    l.amount = amount;
    return l;
}

/* The set's lines' nums, sorted, as "n1,n2,…" */
static void set_nums(const lm_line *lines, const lm_result *r, size_t s, char *out, size_t cap)
{
    uint32_t nums[LM_SUBSET_MAX + 8];
    size_t n = r->sets[s].count;
    cr_assert_leq(n, sizeof nums / sizeof nums[0]);
    for (size_t i = 0; i < n; i++)
        nums[i] = lines[r->idx[r->sets[s].first + i]].ref.num;
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && nums[j - 1] > nums[j]; j--) {
            uint32_t t = nums[j];
            nums[j] = nums[j - 1];
            nums[j - 1] = t;
        }
    size_t used = 0;
    out[0] = 0;
    for (size_t i = 0; i < n; i++)
        used += (size_t)snprintf(out + used, cap - used, "%s%u", i ? "," : "", nums[i]);
}

Test(letter_match, same_piece_first_then_pairs)
{
    lm_line l[] = {
        L("411000", "U1", "F1", 1, 20250110, 10000), /* invoice F1 */
        L("411000", "U1", "F2", 2, 20250111, 10000), /* invoice F2, same amount */
        L("411000", "U1", "F2", 3, 20250120, -10000), /* F2's payment, under F2 */
        L("411000", "U1", "R9", 4, 20250125, -10000), /* a payment of the same amount */
    };
    lm_result r;
    cr_assert_eq(lm_match(l, 4, 60, &r), 0);
    cr_assert_eq(r.set_count, 2);
    char s[64];
    set_nums(l, &r, 0, s, sizeof s);
    cr_expect_str_eq(s, "2,3"); /* F2 with its own payment, not the older F1 */
    cr_expect_eq(r.sets[0].rule, LM_PIECE);
    set_nums(l, &r, 1, s, sizeof s);
    cr_expect_str_eq(s, "1,4");
    cr_expect_eq(r.sets[1].rule, LM_PAIR);
    cr_expect_eq(r.sets[1].amount, 10000);
    lm_result_free(&r);
}

Test(letter_match, pairs_take_the_earliest_line_of_the_opposite_amount)
{
    lm_line l[] = {
        L("411000", "U1", "", 5, 20250301, -5000), L("411000", "U1", "", 1, 20250101, 5000),
        L("411000", "U1", "", 2, 20250201, 5000),  L("411000", "U1", "", 6, 20250302, -5000),
        L("411000", "U1", "", 3, 20250210, 7000),
    };
    lm_result r;
    cr_assert_eq(lm_match(l, 5, 60, &r), 0);
    cr_assert_eq(r.set_count, 2);
    char s[64];
    set_nums(l, &r, 0, s, sizeof s);
    cr_expect_str_eq(s, "1,5");
    set_nums(l, &r, 1, s, sizeof s);
    cr_expect_str_eq(s, "2,6");
    lm_result_free(&r);
}

Test(letter_match, a_subset_within_the_window_and_not_beyond)
{
    /* two invoices paid by one transfer 20 days later: a subset of 3 */
    lm_line l[] = {
        L("411000", "U1", "", 1, 20250105, 3000),
        L("411000", "U1", "", 2, 20250110, 4500),
        L("411000", "U1", "", 3, 20250125, -7500),
        /* U2: the same shape, the payment 90 days later */
        L("411000", "U2", "", 4, 20250105, 3000),
        L("411000", "U2", "", 5, 20250110, 4500),
        L("411000", "U2", "", 6, 20250405, -7500),
    };
    lm_result r;
    cr_assert_eq(lm_match(l, 6, 60, &r), 0);
    cr_assert_eq(r.set_count, 1, "U2's payment is beyond the 60-day window");
    char s[64];
    set_nums(l, &r, 0, s, sizeof s);
    cr_expect_str_eq(s, "1,2,3");
    cr_expect_eq(r.sets[0].rule, LM_SUBSET);
    lm_result_free(&r);
    cr_assert_eq(lm_match(l, 6, 120, &r), 0);
    cr_expect_eq(r.set_count, 2, "a 120-day window takes U2's too");
    lm_result_free(&r);
}

Test(letter_match, the_smallest_subset_is_taken)
{
    lm_line l[] = {
        L("411000", "U1", "", 1, 20250105, 1000), L("411000", "U1", "", 2, 20250106, 2000),
        L("411000", "U1", "", 3, 20250107, 3000), L("411000", "U1", "", 4, 20250108, -3000),
        L("411000", "U1", "", 5, 20250109, -1500), L("411000", "U1", "", 6, 20250110, -1500),
    };
    lm_result r;
    cr_assert_eq(lm_match(l, 6, 60, &r), 0);
    /* 3 with 4 is a pair; then 1+2 = 5+6 (4 lines), nothing smaller */
    cr_assert_eq(r.set_count, 2);
    char s[64];
    set_nums(l, &r, 0, s, sizeof s);
    cr_expect_str_eq(s, "3,4");
    set_nums(l, &r, 1, s, sizeof s);
    cr_expect_str_eq(s, "1,2,5,6");
    lm_result_free(&r);
}

Test(letter_match, never_across_third_parties_or_accounts_nor_without_aux)
{
    lm_line l[] = {
        L("411000", "U1", "F1", 1, 20250105, 1000), L("411000", "U2", "F1", 2, 20250106, -1000),
        L("401000", "U1", "F1", 3, 20250107, -1000), L("411000", "", "F1", 4, 20250108, 1000),
        L("411000", "", "F1", 5, 20250109, -1000),
    };
    lm_result r;
    cr_assert_eq(lm_match(l, 5, 60, &r), 0);
    cr_expect_eq(r.set_count, 0);
    lm_result_free(&r);
}

Test(letter_match, the_same_lines_in_any_order_give_the_same_sets)
{
    lm_line l[] = {
        L("411000", "U1", "", 1, 20250105, 1000), L("411000", "U1", "", 2, 20250106, 2000),
        L("411000", "U1", "", 3, 20250107, -3000), L("411000", "U1", "", 4, 20250108, 1000),
        L("411000", "U1", "", 5, 20250109, -1000),
    };
    lm_line rev[5];
    for (int i = 0; i < 5; i++)
        rev[i] = l[4 - i];
    lm_result a, b;
    cr_assert_eq(lm_match(l, 5, 60, &a), 0);
    cr_assert_eq(lm_match(rev, 5, 60, &b), 0);
    cr_assert_eq(a.set_count, b.set_count);
    for (size_t s = 0; s < a.set_count; s++) {
        char x[64], y[64];
        set_nums(l, &a, s, x, sizeof x);
        set_nums(rev, &b, s, y, sizeof y);
        cr_expect_str_eq(x, y);
    }
    lm_result_free(&a);
    lm_result_free(&b);
}

Test(letter_match, a_partly_paid_invoice_keeps_its_remaining_amount)
{
    lm_line l[] = {
        L("411000", "U1", "", 1, 20250105, 10000), /* invoice 100 € */
        L("411000", "U1", "", 2, 20250201, 8000),  /* invoice 80 € */
        L("411000", "U1", "", 3, 20250210, -12000), /* paid 120 € */
        L("401000", "S1", "", 4, 20250110, -5000), /* a supplier's invoice */
        L("401000", "S1", "", 5, 20250120, 2000),  /* paid 20 € */
        L("411000", "U2", "", 6, 20250105, 3000),  /* U2: settled, not lettered */
        L("411000", "U2", "", 7, 20250106, -3000),
    };
    int64_t rem[7];
    cr_assert_eq(lm_remaining(l, 7, rem), 0);
    cr_expect_eq(rem[0], 0, "the oldest invoice is paid first");
    cr_expect_eq(rem[1], 6000, "80 € - the 20 € left of the payment");
    cr_expect_eq(rem[2], 0);
    cr_expect_eq(rem[3], -3000, "the supplier's 50 € less the 20 € paid, still a credit");
    cr_expect_eq(rem[4], 0);
    cr_expect_eq(rem[5], 0);
    cr_expect_eq(rem[6], 0);
}

/* Property: random invoices and (partial, grouped, exact) payments of a few
 * third parties on two accounts: every set has at least 2 lines, sums to
 * zero exactly, lies within one account and one non-empty aux, and no line
 * is in two sets. */
Test(letter_match, every_set_sums_to_zero_within_one_third_party)
{
    srand(17);
    enum { N = 600 };
    lm_line *l = calloc(N, sizeof *l);
    cr_assert(l);
    static const char *const auxes[] = {"U1", "U2", "U3", "U4", "U5", ""};
    static const char *const accounts[] = {"411000", "401000"};
    size_t n = 0;
    while (n + 3 < N) {
        const char *acct = accounts[rand() % 2], *aux = auxes[rand() % 6];
        uint32_t date = 20250101 + (uint32_t)(rand() % 12) * 100 + (uint32_t)(rand() % 28);
        int64_t amount = 100 * (1 + rand() % 50) + rand() % 100;
        char piece[16];
        snprintf(piece, sizeof piece, "F%zu", n);
        l[n] = L(acct, aux, piece, (uint32_t)n + 1, date, amount);
        n++;
        switch (rand() % 4) {
        case 0: /* paid exactly, under its piece or not */
            l[n] = L(acct, aux, rand() % 2 ? piece : "", (uint32_t)n + 1, date, -amount);
            n++;
            break;
        case 1: /* paid in two parts */
            l[n] = L(acct, aux, "", (uint32_t)n + 1, date, -(amount / 3));
            n++;
            l[n] = L(acct, aux, "", (uint32_t)n + 1, date, -(amount - amount / 3));
            n++;
            break;
        case 2: /* partly paid */
            l[n] = L(acct, aux, "", (uint32_t)n + 1, date, -(amount / 2));
            n++;
            break;
        default: break; /* unpaid */
        }
    }
    lm_result r;
    cr_assert_eq(lm_match(l, n, 60, &r), 0);
    cr_assert_gt(r.set_count, 50);
    bool *seen = calloc(n, sizeof *seen);
    cr_assert(seen);
    for (size_t s = 0; s < r.set_count; s++) {
        const lm_set *set = &r.sets[s];
        cr_assert_geq(set->count, 2);
        const lm_line *first = &l[r.idx[set->first]];
        cr_assert(first->aux[0], "a set without a third party");
        int64_t sum = 0;
        for (size_t i = 0; i < set->count; i++) {
            size_t k = r.idx[set->first + i];
            cr_assert(!seen[k], "line %zu in two sets", k);
            seen[k] = true;
            cr_assert_str_eq(l[k].account, first->account);
            cr_assert_str_eq(l[k].aux, first->aux);
            sum += l[k].amount;
        }
        cr_assert_eq(sum, 0, "set %zu sums to %lld", s, (long long)sum);
    }
    free(seen);
    lm_result_free(&r);
    free(l);
}

static void batch_of(gl_buf *b, uint16_t sets, bool bad_second)
{
    gl_line_ref refs[2] = {{2025, 1, 1}, {2025, 2, 1}};
    gl_put_u16(b, 0);
    for (uint16_t i = 0; i < sets; i++) {
        gl_buf one;
        gl_buf_init(&one);
        gl_letter_q_encode(&one, (gl_str){"411000", 6}, (gl_str){"U1", 2}, refs,
                           bad_second && i == 1 ? 1 : 2);
        gl_letter_batch_put(b, &one);
        gl_buf_free(&one);
    }
    gl_letter_batch_count(b, sets);
}

Test(letter_match, letter_batch_body_round_trip_and_the_set_at_fault)
{
    gl_buf b;
    gl_buf_init(&b);
    batch_of(&b, 3, false);
    gl_body body;
    uint32_t bad = 0;
    cr_assert_eq(gl_body_decode(GL_KIND_LETTER_BATCH, b.data, b.len, &body, &bad), GL_OK);
    cr_assert_eq(body.letter_batch.count, 3);
    size_t pos = 0, n = 0;
    gl_letter_q q;
    while (gl_letter_batch_next(&body.letter_batch, &pos, &q)) {
        n++;
        cr_expect_eq(q.count, 2);
        cr_expect_eq(gl_letter_ref(&q, 1).num, 2);
    }
    cr_expect_eq(n, 3);
    gl_buf_reset(&b);
    batch_of(&b, 3, true);
    cr_expect_eq(gl_body_decode(GL_KIND_LETTER_BATCH, b.data, b.len, &body, &bad),
                 GL_ERR_NO_ENTRIES);
    cr_expect_eq(bad, 2, "the second set is at fault");
    gl_buf_reset(&b);
    batch_of(&b, 0, false);
    cr_expect_eq(gl_body_decode(GL_KIND_LETTER_BATCH, b.data, b.len, &body, &bad),
                 GL_ERR_NO_ENTRIES);
    gl_buf_reset(&b);
    batch_of(&b, 2, false);
    gl_put_u16(&b, 0); /* a count that says 2, a third set's length */
    cr_expect_eq(gl_body_decode(GL_KIND_LETTER_BATCH, b.data, b.len, &body, &bad),
                 GL_ERR_TRAILING_BYTES);
    gl_buf_reset(&b);
    batch_of(&b, 2, false);
    b.len -= 3; /* the last set cut short */
    cr_expect_neq(gl_body_decode(GL_KIND_LETTER_BATCH, b.data, b.len, &body, &bad), GL_OK);
    cr_expect_eq(bad, 2);
    gl_buf_free(&b);
}
