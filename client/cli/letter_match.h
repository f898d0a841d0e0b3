/*
 * client/cli/letter_match.h — automatic lettering (`grandlivre letter
 * --auto`): which open lines of third-party accounts to letter together.
 * Pure: no I/O, no daemon; the CLI feeds it the open lines LEDGER returns
 * and sends the sets it finds as one LETTER_BATCH (PROTOCOL §5.11a).
 *
 * Lines are matched only within one account and one auxiliary account (a
 * third party; lines without one are never matched: nothing says whose they
 * are), and every set sums to zero exactly, as LETTER requires.  Per third
 * party, in this order, each rule over the lines the previous ones left:
 *   1. piece: the lines sharing one non-empty piece reference, when they
 *      sum to zero (an invoice and its payment under the invoice's number);
 *   2. pair: one debit and one credit of the same amount, each line with the
 *      earliest line of the opposite amount (order: date, then entry, then
 *      line), whatever the dates;
 *   3. subset: the smallest set of lines summing to zero whose dates lie
 *      within `window_days` of its earliest line, searched from the
 *      earliest line on among at most LM_SUBSET_CANDIDATES lines of that
 *      window, sets of at most LM_SUBSET_MAX lines (at most
 *      C(15, 5) = 3 003 sets tried per line: the search cannot explode).
 * Lines of amount 0 are left alone.  The result is deterministic: the same
 * lines in any order give the same sets.
 *
 * Partial payments (lm_remaining): what remains open of each line once the
 * third party's unmatched lines of the other side are applied to its
 * oldest items first, the read-time view of a partly paid invoice
 * (nothing is stored, no line is split).
 */
#ifndef GL_LETTER_MATCH_H
#define GL_LETTER_MATCH_H

#include "proto/entry.h"
#include "proto/limits.h"
#include "proto/query.h"

#include <stddef.h>
#include <stdint.h>

#define LM_SUBSET_CANDIDATES 16 /* lines of one window searched together */
#define LM_SUBSET_MAX 6         /* lines in a set the subset rule finds */
#define LM_WINDOW_DAYS 60       /* --window's default */

typedef struct lm_line {
    char account[GL_ACCOUNT_MAX + 1];
    char aux[GL_AUX_MAX + 1];
    char piece[GL_PIECE_MAX + 1];
    gl_line_ref ref;
    uint32_t date;
    int64_t amount; /* debit > 0, credit < 0 (cents) */
} lm_line;

typedef enum lm_rule { LM_PIECE = 1, LM_PAIR, LM_SUBSET } lm_rule;

typedef struct lm_set {
    lm_rule rule;
    size_t first; /* into lm_result.idx */
    uint16_t count;
    int64_t amount; /* the debits of the set (= its credits) */
} lm_set;

typedef struct lm_result {
    lm_set *sets;
    size_t set_count;
    size_t *idx; /* indexes into the lines given, set after set */
    size_t idx_count;
} lm_result;

/* Find the sets among n lines. 0, or -1 out of memory (*out then empty).
 * Free with lm_result_free. */
int lm_match(const lm_line *lines, size_t n, uint32_t window_days, lm_result *out);
void lm_result_free(lm_result *r);
/* The rule's name for people (English msgid: the CLI translates it). */
const char *lm_rule_name(lm_rule r);

/* remaining[i] for each of n lines: the part of line i still open (signed
 * as the line) when, per account and third party, the lines of the side
 * opposite to the third party's balance are applied to the others, oldest
 * first; 0 for lines wholly applied; a line without aux, its amount (no
 * third party to net it with). 0, or -1 out of memory. */
int lm_remaining(const lm_line *lines, size_t n, int64_t *remaining);

#endif
