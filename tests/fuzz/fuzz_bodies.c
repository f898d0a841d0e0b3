/*
 * tests/fuzz/fuzz_bodies.c — libFuzzer target: every request body of the
 * kind table decoded alone, checked where it carries a date, a month, a
 * fiscal year or a count.
 *
 * Input: one byte choosing the kind (its number if it is a kind of the
 * kind table, proto/kinds.h, else the table's row modulo its size), then
 * the body.
 * What must hold for each kind is in body_checks.h: decoded values in range
 * (months checked on their parts, issue 11), what the daemon derives from
 * them in range, the entries the recharge and dues builders write from them
 * decodable, and exactly one encoding.  Seeds (tests/fuzz/corpus/
 * fuzz_bodies/, from make_seeds.c) put every date and month field of every
 * body at its limits: the first and last valid values, one past each, 0,
 * UINT32_MAX, and months that wrap to a valid date when multiplied by 100.
 */
#include "tests/fuzz/body_checks.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t n;
    const gl_kind_info *kinds = gl_kind_table(&n);
    uint16_t kind = gl_kind_known(data[0]) ? data[0] : kinds[data[0] % n].kind;
    body_check(kind, data + 1, size - 1);
    return 0;
}
