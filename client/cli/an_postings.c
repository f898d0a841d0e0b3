/*
 * client/cli/an_postings.c — a line cut into segments of one code per axis
 * (an_postings.h).  A merge: each axis keeps the share it is in and what
 * is left of it; the next segment is the smallest of those remainders,
 * after which every axis whose share is used up moves to its next.  Sums
 * are checked first, so the walk ends exactly at the line's amount.
 */
#include "an_postings.h"

#include "proto/money.h"

static bool sums_to(const gl_an_split *s, int64_t amount_cents)
{
    int64_t sum = 0;
    if (s->count == 0 || s->count > GL_AN_SPLIT_MAX)
        return false;
    for (uint8_t i = 0; i < s->count; i++)
        if (s->shares[i].amount_cents <= 0 || !gl_money_add(&sum, s->shares[i].amount_cents))
            return false;
    return sum == amount_cents;
}

size_t an_segments(const gl_an_split *axes, size_t n, int64_t amount_cents,
                   an_segment out[AN_SEGMENTS_MAX])
{
    if (n == 0 || n > AN_POSTING_AXES_MAX || amount_cents <= 0)
        return 0;
    int64_t left[AN_POSTING_AXES_MAX];
    uint8_t at[AN_POSTING_AXES_MAX];
    for (size_t a = 0; a < n; a++) {
        if (!sums_to(&axes[a], amount_cents))
            return 0;
        at[a] = 0;
        left[a] = axes[a].shares[0].amount_cents;
    }
    size_t count = 0;
    for (int64_t done = 0; done < amount_cents && count < AN_SEGMENTS_MAX;) {
        int64_t step = left[0];
        for (size_t a = 1; a < n; a++)
            step = left[a] < step ? left[a] : step;
        an_segment *s = &out[count++];
        s->cents = step;
        for (size_t a = 0; a < n; a++) {
            s->code[a] = at[a];
            left[a] -= step;
            if (left[a] == 0 && at[a] + 1 < axes[a].count)
                left[a] = axes[a].shares[++at[a]].amount_cents;
        }
        done += step;
    }
    return count;
}
