/*
 * tests/integration/an_book.h — what helper C's analytic suites share
 * (analytic_verify, analytic_export): axes, codes, rules and allocations
 * sent through the harness with the accountant's key (each must succeed),
 * an entry posted with its debit line's codes, and a line's codes built
 * in memory.
 */
#ifndef GL_TEST_AN_BOOK_H
#define GL_TEST_AN_BOOK_H

#include "tests/support/harness.h"

#include "proto/analytic.h"

#include <stddef.h>
#include <stdint.h>

void anb_axis(harness *h, const char *axis, uint8_t state, const char *label);
void anb_code(harness *h, const char *axis, const char *code, uint8_t state, const char *label);
void anb_rule(harness *h, const char *axis, const char *prefix);
void anb_alloc(harness *h, const gl_an_alloc_row *rows, size_t n);
/* One axis with n codes and their amounts, added to a (names are views:
 * string literals). */
void anb_split(gl_analytic *a, const char *axis, size_t n, const char *const *codes,
               const int64_t *cents);
/* Post on alpha debit/credit of cents, the debit line carrying codes (NULL:
 * none); the entry's number. */
uint32_t anb_post(harness *h, uint32_t date, const char *debit, const char *credit, int64_t cents,
                  gl_analytic *codes);

#endif
