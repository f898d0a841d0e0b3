/*
 * tests/fuzz/fuzz_depreciation.c — libFuzzer target for proto/depreciation:
 * any asset fields (little-endian: cost, residual, grant as int64; start,
 * disposal as u32; life as u16; method, first month as u8) and two dates d1,
 * d2 (u32) are either refused by gl_dep_valid, every function then giving 0
 * or false, or give a plan within its bounds: cumulated in [0, cost -
 * residual] and not decreasing from d1 to d2, the charge of [d1, d2] the
 * difference of the cumulated, the grant's part within [0, grant], and a
 * disposal's split adding up to the cost.  Never a crash nor an overflow
 * (UBSan).  Seeds: tests/fuzz/corpus/fuzz_depreciation/.
 */
#include "proto/date.h"
#include "proto/depreciation.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t le(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

#define INPUT_SIZE 44

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < INPUT_SIZE)
        return 0;
    gl_dep_asset a = {
        .cost_cents = (int64_t)le(data, 8),
        .residual_cents = (int64_t)le(data + 8, 8),
        .grant_cents = (int64_t)le(data + 16, 8),
        .start = (uint32_t)le(data + 24, 4),
        .disposal = (uint32_t)le(data + 28, 4),
        .life_months = (uint16_t)le(data + 32, 2),
        .method = data[34],
        .first_month = data[35],
    };
    uint32_t d1 = (uint32_t)le(data + 36, 4), d2 = (uint32_t)le(data + 40, 4);
    (void)gl_days360(d1, d2);
    gl_dep_disposal split;
    if (!gl_dep_valid(&a)) {
        if (gl_dep_cumulated(&a, d2) || gl_dep_charge(&a, d1, d2) ||
            gl_dep_grant_cumulated(&a, d2) || gl_dep_disposal_split(&a, &split))
            abort();
        return 0;
    }
    int64_t base = a.cost_cents - a.residual_cents;
    int64_t c1 = gl_dep_cumulated(&a, d1), c2 = gl_dep_cumulated(&a, d2);
    if (c1 < 0 || c1 > base || c2 < 0 || c2 > base)
        abort();
    if (gl_date_valid(d1) && gl_date_valid(d2) && d1 <= d2) {
        if (c2 < c1)
            abort();
        int64_t before = d1 > a.start ? gl_dep_cumulated(&a, gl_date_prev(d1)) : 0;
        if (gl_dep_charge(&a, d1, d2) != c2 - before)
            abort();
    }
    int64_t g = gl_dep_grant_cumulated(&a, d2);
    if (g < 0 || g > a.grant_cents)
        abort();
    if (gl_dep_disposal_split(&a, &split)) {
        if (!a.disposal || split.accumulated_cents + split.net_book_cents != a.cost_cents ||
            split.grant_remaining_cents < 0 || split.grant_remaining_cents > a.grant_cents)
            abort();
    } else if (a.disposal) {
        abort();
    }
    return 0;
}
