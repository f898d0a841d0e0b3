/*
 * tests/fuzz/fuzz_bodies.c — libFuzzer target: every request body that
 * carries a date, a month, a fiscal year or a count, decoded alone.
 *
 * Input: one byte choosing the kind (its number if it is one of the table
 * below, else the table's entry modulo its size), then the body.
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

static const uint16_t kinds[] = {
    GL_KIND_BALANCE,  GL_KIND_JOURNAL,  GL_KIND_LEDGER,   GL_KIND_ENTRY_GET,     GL_KIND_LOCK,
    GL_KIND_CLOSE_YEAR, GL_KIND_LETTER, GL_KIND_UNLETTER, GL_KIND_CHAIN,         GL_KIND_ENVELOPE,
    GL_KIND_KEYS_SET, GL_KIND_KEYS_GET, GL_KIND_RECHARGE, GL_KIND_DUES,          GL_KIND_GROUP_BALANCE,
    GL_KIND_GROUP_RECONCILE,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t n = sizeof kinds / sizeof kinds[0];
    uint16_t kind = kinds[data[0] % n];
    for (size_t i = 0; i < n; i++)
        if (kinds[i] == data[0])
            kind = kinds[i];
    if (data[0] == GL_KIND_ACCOUNT_LABEL) /* by number only: the table's order keeps the corpus's meaning */
        kind = GL_KIND_ACCOUNT_LABEL;
    body_check(kind, data + 1, size - 1);
    return 0;
}
