/*
 * proto/money.h — exact money: int64 cents, checked arithmetic, decimal
 * text in and out.  No floating point anywhere.
 *
 * Parsing accepts an optional sign, digits, and at most two decimals after
 * one '.' or ',' ("1234", "1234.5", "-0,01").  A third decimal, thousands
 * separators, spaces, exponents or a value outside int64 cents are refused.
 * Checked helpers return false on overflow and leave the target unchanged.
 */
#ifndef GL_MONEY_H
#define GL_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parse s[0..len) into *cents. Returns false (and leaves *cents unchanged)
 * on any syntax error or overflow. */
bool gl_money_parse(const char *s, size_t len, int64_t *cents);

/* Checked *acc += v / *acc -= v. False on overflow, *acc unchanged. */
bool gl_money_add(int64_t *acc, int64_t v);
bool gl_money_sub(int64_t *acc, int64_t v);

enum gl_money_style {
    GL_MONEY_PLAIN,  /* "-1234.56" (CSV, machine) */
    GL_MONEY_COMMA,  /* "-1234,56" (FEC) */
    GL_MONEY_FRENCH, /* "-1 234,56" (tables for people; narrow no-break space not used) */
};

/* Longest output: sign, 17 digits, separators, comma, 2 decimals, NUL. */
#define GL_MONEY_TEXT_MAX 32

/* Format cents into out (at least GL_MONEY_TEXT_MAX bytes). Always succeeds,
 * including for INT64_MIN. Returns out. */
char *gl_money_format(int64_t cents, enum gl_money_style style, char *out);

#endif
