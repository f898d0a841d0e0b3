/*
 * daemon/store/analytic_keys.h — the keys and values of the analytic
 * indexes (issue 19, schema 11; daemon/analytic_index.h writes them,
 * daemon/analytic_reader.c reads them):
 *
 *   an_totals  tenant u32 | tag u8 (AN_TOTALS_MONTH 1, AN_TOTALS_DAY 2) |
 *              fy u16 | axis[16] | period u32 (YYYYMM for tag 1, YYYYMMDD
 *              for tag 2) | code[16] | account[20] -> debit i64 | credit
 *              i64 (store_pair): the shares of the fiscal year's lines a
 *              code carries on an axis, per account and month, and per
 *              day, as acct_months/acct_days hold an account's totals.
 *              The period leads: a batch of entries of a few days writes a
 *              few leaf pages of each (not one per (code, account) pair),
 *              and a balance reads the months before its date's month and
 *              half a month of days in two scans, without a seek per pair
 *   analytic   tenant u32 | 5 (AN_TAG_LINES) | axis[16] | code[16] |
 *              date u32 | fy u16 | num u32 | line u16 -> amount i64 (the
 *              code's share, debit > 0) | source u8 (GL_AN_SOURCE_ENTRY 1,
 *              GL_AN_SOURCE_ALLOC 2): the analytic ledger of a code
 *
 * Names are NUL-padded to their width (keys.h), so that keys sort by
 * axis, code and account as their bytes do ("A" before "A1").  Tags 1-4
 * and 6 of the analytic table are the axes, codes, rules, allocations
 * (store/analytic_store.h) and time sheets.  Pure functions.
 */
#ifndef GL_ANALYTIC_KEYS_H
#define GL_ANALYTIC_KEYS_H

#include "keys.h"
#include "store.h"

#include "proto/analytic.h"
#include "proto/wire.h"

#include <stdbool.h>
#include <stdint.h>

#define KEY_AN_AXIS_W GL_AN_AXIS_MAX
#define KEY_AN_CODE_W GL_AN_CODE_MAX
#define AN_TOTALS_MONTH 1
#define AN_TOTALS_DAY 2
#define AN_TAG_LINES 5

enum {
    KEY_AN_TOTALS_LEN = 4 + 1 + 2 + KEY_AN_AXIS_W + KEY_AN_CODE_W + KEY_ACCOUNT_W + 4,
    KEY_AN_TOTALS_AXIS_PREFIX_LEN = 4 + 1 + 2 + KEY_AN_AXIS_W, /* one axis's year */
    KEY_AN_TOTALS_PAIR_LEN = KEY_AN_CODE_W + KEY_ACCOUNT_W,    /* code[16] | account[20] */
    KEY_AN_LINES_LEN = 4 + 1 + KEY_AN_AXIS_W + KEY_AN_CODE_W + 4 + 2 + 4 + 2,
    KEY_AN_LINES_CODE_PREFIX_LEN = 4 + 1 + KEY_AN_AXIS_W + KEY_AN_CODE_W, /* one code's lines */
    STORE_AN_LINE_LEN = 8 + 1,
};
_Static_assert(KEY_AN_TOTALS_LEN == 63 && KEY_AN_LINES_LEN == 49 && STORE_AN_LINE_LEN == 9,
               "analytic key sizes (PROTOCOL.md §9)");
_Static_assert(KEY_AN_TOTALS_LEN <= STORE_KEY_MAX, "an_totals keys fit a scan's start");

/* A parsed key of either shape (the fields it holds; padded names are
 * views into the key, key_unpad gives their text; pair: code[16] |
 * account[20], KEY_AN_TOTALS_PAIR_LEN bytes). */
typedef struct an_key_parts {
    uint32_t tenant;
    uint8_t tag;
    uint16_t fy;
    const uint8_t *axis, *code, *account, *pair;
    uint32_t period; /* an_totals: YYYYMM or YYYYMMDD */
    uint32_t date;   /* lines */
    uint32_t num;
    uint16_t line;
} an_key_parts;

/* tag AN_TOTALS_MONTH (period YYYYMM) or AN_TOTALS_DAY (period the
 * date). */
void key_an_totals(uint8_t k[KEY_AN_TOTALS_LEN], uint32_t tenant, uint8_t tag, uint16_t fy,
                   gl_str axis, gl_str code, gl_str account, uint32_t period);
/* false if k is not an an_totals key (length, tag). */
bool key_an_totals_parse(store_val k, an_key_parts *p);

void key_an_lines(uint8_t k[KEY_AN_LINES_LEN], uint32_t tenant, gl_str axis, gl_str code,
                  uint32_t date, uint16_t fy, uint32_t num, uint16_t line);
/* false if k is not a line key of the analytic table (length, tag 5). */
bool key_an_lines_parse(store_val k, an_key_parts *p);

typedef struct store_an_line {
    int64_t amount_cents; /* the code's share, debit > 0, never 0 */
    uint8_t source;       /* GL_AN_SOURCE_ENTRY or GL_AN_SOURCE_ALLOC */
} store_an_line;
void store_an_line_encode(uint8_t v[STORE_AN_LINE_LEN], store_an_line l);
/* GL_OK, or GL_ERR_STORAGE for a value of another length or out of range. */
int store_an_line_decode(store_val v, store_an_line *out);

#endif
