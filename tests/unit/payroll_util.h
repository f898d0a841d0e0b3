/* tests/unit/payroll_util.h — the payroll samples of tests/data/payroll/
 * (the tests run from the top of the tree) read with their mapping, for
 * the test_payroll_*.c suites. */
#ifndef GL_TEST_PAYROLL_UTIL_H
#define GL_TEST_PAYROLL_UTIL_H

#include "client/payroll/payroll.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The whole file tests/data/payroll/name (malloc'd, NUL-ended, *len bytes). */
static inline uint8_t *payroll_file(const char *name, size_t *len)
{
    char path[256];
    snprintf(path, sizeof path, "tests/data/payroll/%s", name);
    FILE *f = fopen(path, "rb");
    cr_assert(f, "cannot open %s (run from the top of the tree)", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc((size_t)(n > 0 ? n : 0) + 1);
    cr_assert(b && fread(b, 1, (size_t)n, f) == (size_t)n);
    fclose(f);
    b[n] = '\0';
    *len = (size_t)n;
    return b;
}

/* The samples' mapping, read from tests/data/payroll/mapping.ini. */
static inline gl_payroll_mapping payroll_sample_mapping(void)
{
    size_t len;
    char *text = (char *)payroll_file("mapping.ini", &len);
    gl_payroll_mapping m;
    unsigned line;
    const char *reason = NULL;
    cr_assert_eq(gl_payroll_mapping_parse(text, &m, &line, &reason), 0, "mapping.ini:%u: %s", line,
                 reason);
    free(text);
    return m;
}

/* Parse a sample: its return code, *out and *err. */
static inline int payroll_parse_sample(const char *name, gl_payroll_file *out,
                                       gl_payroll_error *err)
{
    gl_payroll_mapping m = payroll_sample_mapping();
    size_t len;
    uint8_t *b = payroll_file(name, &len);
    int rc = gl_payroll_parse(b, len, &m, out, err);
    free(b);
    return rc;
}

#endif
