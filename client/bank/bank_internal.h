/* client/bank/bank_internal.h — what the statement parsers share
 * (client/bank/parse_*.c): the one amount parser, text and charset
 * helpers, dates, the RIB form of an account, growing the statement
 * arrays, and the located refusal.  Not part of the client's API. */
#ifndef GL_BANK_INTERNAL_H
#define GL_BANK_INTERNAL_H

#include "statement.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Marks an English reason for xgettext (the CLI translates it). */
#ifndef N_
#define N_(s) (s)
#endif

/* The largest amount a file may state, in cents (10^13 euros): far above
 * any bank line, far below int64 so that sums of a year's lines are
 * checked, never wrapped. */
#define GL_BANK_AMOUNT_MAX_CENTS 1000000000000000LL

/* Biggest input accepted (a year of statements is a few MB). */
#define GL_BANK_INPUT_MAX (64u * 1024u * 1024u)

/* Fill err (format, line, reason) and return -1. */
int bank_fail(gl_bank_error *err, gl_bank_format format, uint32_t line, const char *reason);

/* Parse an amount written [+|-]digits[radix digits] in s[0..n) (no
 * surrounding space: trim first).  radix is the decimal separator
 * allowed: '.', ',' or 0 for either.  At most 2 decimals, more only
 * when they are zeros ("12.500"); a third significant decimal is refused
 * (cents cannot hold it).  0 and *cents, or -1 and *reason (msgid). */
int bank_amount(const char *s, size_t n, char radix, int64_t *cents, const char **reason);
/* CFONB's 14-character signed amount (last character {A-I or }J-R
 * carries the last digit and the sign) with `decimals` decimals. */
int bank_amount_cfonb(const char *s, unsigned decimals, int64_t *cents, const char **reason);
/* *acc += v; -1 (acc unchanged) if the result leaves +-GL_BANK_AMOUNT_MAX_CENTS*1000. */
int bank_add_cents(int64_t *acc, int64_t v);

/* A valid calendar date (years 1900-2199). */
bool bank_valid_date(uint32_t ymd);
/* The date of "YYYY-MM-DD..." (ISODate or the date part of ISODateTime,
 * as written: never shifted). 0 on a malformed or impossible date. */
uint32_t bank_iso_date(const char *s, size_t n);
/* The date of "YYYYMMDD..." (OFX). 0 on a malformed or impossible date. */
uint32_t bank_compact_date(const char *s, size_t n);

/* Copy UTF-8 text: control characters become spaces, runs of spaces
 * one, both ends trimmed, cut at a character boundary to fit cap bytes
 * (dst holds cap + 1).  Invalid UTF-8 bytes are dropped. */
void bank_text(char *dst, size_t cap, const char *src, size_t n);
/* Append " " + text to dst (as bank_text) when text is not empty. */
void bank_text_append(char *dst, size_t cap, const char *src, size_t n);
/* Latin-1 (cp1252 when windows) bytes to UTF-8: malloc'd, NUL-ended,
 * *out_len its length; NULL when out of memory. */
char *bank_to_utf8(const uint8_t *src, size_t n, bool windows, size_t *out_len);
/* s[0..n) is valid UTF-8. */
bool bank_utf8_valid(const uint8_t *s, size_t n);

/* "RIB:" + bank (5 digits) + branch (5 digits) + account (11 characters
 * [0-9A-Z]) + the RIB key computed from them (2 digits) into out.
 * -1 if a part is malformed. */
int bank_rib_id(char out[GL_BANK_ACCOUNT_ID_MAX + 1], const char *bank, const char *branch,
                const char *account);

/* A new zeroed statement at the end of s; NULL when out of memory. */
gl_bank_statement *bank_new_statement(gl_bank_statements *s);
/* A new zeroed line at the end of st; NULL when out of memory. */
gl_bank_line *bank_new_line(gl_bank_statement *st);
/* Drop st's last line (a pending CAMT entry, a zero OFX line). */
void bank_drop_line(gl_bank_statement *st);

/* The format parsers: 0, or -1 with err filled (out may hold partial
 * statements: gl_bank_parse frees them). */
int bank_parse_camt(const uint8_t *b, size_t n, gl_bank_statements *out, gl_bank_error *err,
                    gl_bank_notes *notes);
int bank_parse_cfonb(const uint8_t *b, size_t n, gl_bank_statements *out, gl_bank_error *err,
                     gl_bank_notes *notes);
int bank_parse_ofx(const uint8_t *b, size_t n, gl_bank_statements *out, gl_bank_error *err,
                   gl_bank_notes *notes);
int bank_parse_csv(const uint8_t *b, size_t n, const gl_bank_csv_mapping *m,
                   gl_bank_statements *out, gl_bank_error *err, gl_bank_notes *notes);

/* The OFX element walker (parse_ofx.c), fed by the 2.x tree walk and the
 * 1.x SGML tokenizer (ofx_sgml.c) alike. */
typedef struct ofx_walker ofx_walker;
enum ofx_event { OFX_OPEN, OFX_CLOSE, OFX_LEAF };
/* One event: an aggregate opens or closes, or a leaf (element with a
 * value) is read.  name and value are UTF-8, not NUL-ended.
 * 0, or -1 with the walker's error set. */
int ofx_event(ofx_walker *w, enum ofx_event ev, const char *name, size_t name_len,
              const char *value, size_t value_len, uint32_t line);
/* Fail the walk at line with reason (returns -1). */
int ofx_fail(ofx_walker *w, uint32_t line, const char *reason);
/* Tokenize an OFX 1.x SGML body (already UTF-8) into ofx_event calls;
 * line_base is the body's first line in the file.  0 or -1. */
int ofx_sgml_walk(ofx_walker *w, const char *body, size_t n, uint32_t line_base);

#endif
