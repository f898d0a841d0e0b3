/* tests/unit/bank_parse_util.h — reading the hand-written statement files
 * of tests/data/bank/ (the tests run from the top of the tree) and
 * parsing them, for the test_bank_parse_*.c suites. */
#ifndef GL_TEST_BANK_PARSE_UTIL_H
#define GL_TEST_BANK_PARSE_UTIL_H

#include "client/bank/statement.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The whole file tests/data/bank/name (malloc'd, exactly *len bytes). */
static inline uint8_t *bank_file(const char *name, size_t *len)
{
    char path[256];
    snprintf(path, sizeof path, "tests/data/bank/%s", name);
    FILE *f = fopen(path, "rb");
    cr_assert(f, "cannot open %s (run from the top of the tree)", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc(n > 0 ? (size_t)n : 1);
    cr_assert(b && fread(b, 1, (size_t)n, f) == (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return b;
}

/* Parse the file; expect success. */
static inline void bank_parse_ok(const char *name, gl_bank_format f, const gl_bank_csv_mapping *m,
                                 gl_bank_statements *out, gl_bank_notes *notes)
{
    size_t len;
    uint8_t *b = bank_file(name, &len);
    gl_bank_error err;
    int rc = gl_bank_parse_noted(b, len, f, m, out, &err, notes);
    free(b);
    cr_assert_eq(rc, 0, "%s refused: line %u: %s", name, err.line, err.reason);
}

/* Parse bytes; expect a refusal at line with a reason containing `why`. */
static inline void bank_refused_bytes(const uint8_t *b, size_t len, gl_bank_format f,
                                      const gl_bank_csv_mapping *m, uint32_t line, const char *why)
{
    gl_bank_statements out;
    gl_bank_error err;
    int rc = gl_bank_parse(b, len, f, m, &out, &err);
    cr_assert_eq(rc, -1, "accepted, expected: %s", why);
    cr_assert_eq(out.n, 0);
    cr_assert_null(out.items);
    cr_expect_eq(err.line, line, "line %u, expected %u (%s)", err.line, line, err.reason);
    cr_expect(strstr(err.reason, why), "reason '%s', expected '%s'", err.reason, why);
}

static inline void bank_refused(const char *name, gl_bank_format f, uint32_t line, const char *why)
{
    size_t len;
    uint8_t *b = bank_file(name, &len);
    bank_refused_bytes(b, len, f, NULL, line, why);
    free(b);
}

/* One line's fields, exactly. */
static inline void bank_expect_line(const gl_bank_line *l, uint32_t src, uint32_t booked,
                                    uint32_t value, int64_t cents, const char *label,
                                    const char *ref, const char *e2e, const char *party)
{
    cr_expect_eq(l->source_line, src, "source line %u, expected %u", l->source_line, src);
    cr_expect_eq(l->booking_date, booked, "line %u: booked %u", src, l->booking_date);
    cr_expect_eq(l->value_date, value, "line %u: value date %u", src, l->value_date);
    cr_expect_eq(l->amount_cents, cents, "line %u: %lld cents", src, (long long)l->amount_cents);
    cr_expect_str_eq(l->label, label);
    cr_expect_str_eq(l->bank_ref, ref);
    cr_expect_str_eq(l->end_to_end_id, e2e);
    cr_expect_str_eq(l->counterparty, party);
}

#endif
