/*
 * proto/bank_rule.h — the rules of recurring bank-only lines (issue 18;
 * PROTOCOL.md §5.42, §5.43): bank fees to 627000, the social charges'
 * direct debit to 431000, interest to 768000...  A rule belongs to one
 * registered bank account; `bank match` proposes the entry a rule gives
 * for a statement line not in the books, posted only when the user
 * confirms (an ordinary POST, signed by the user, then a BANK_MATCH).
 *
 *   rule: name str8 (1..GL_BANK_RULE_NAME_MAX of [a-z0-9_-]) |
 *         pattern str8 (1..GL_BANK_RULE_PATTERN_MAX, the text rule; not
 *           only '*' and spaces: a rule for every line is a mistake) |
 *         min i64 | max i64 (the line's signed amount within [min, max];
 *           min = max = 0: any amount; else min <= max, not 0 both) |
 *         counterpart str8 (an account number: open in the chart when set)
 *         | journal str8 (GL_JOURNAL_MAX; "" means "BQ") |
 *         label str8 (the entry's label; "" means the line's label)
 *   BANK_RULE_SET (42) body, and BANK_RULE event (17) payload:
 *         account str8 | op u8 (1 set: add or replace by name; 2 delete:
 *         only the name counts, the rest empty or 0) | rule.  Reply: empty
 *         (the same rule again: nothing written, no event).
 *   BANK_RULES (43) body: account str8.  Reply: count u32 | rule*count,
 *         in name order (at most GL_BANK_RULES_MAX per bank account).
 *
 * Matching a line (gl_bank_rule_applies, the same for the CLI and the web):
 * the pattern is a case- and accent-insensitive match of the line's label
 * (folded as gl_text_fold does, proto/textfold.h), where '*' stands for any run of characters and
 * the pattern need only match a part of the label; then the amount range.
 */
#ifndef GL_PROTO_BANK_RULE_H
#define GL_PROTO_BANK_RULE_H

#include "bank.h"
#include "wire.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GL_BANK_RULE_NAME_MAX 32
#define GL_BANK_RULE_PATTERN_MAX 64
#define GL_BANK_RULES_MAX 200
#define GL_BANK_RULE_SET_OP 1
#define GL_BANK_RULE_DELETE_OP 2

typedef struct gl_bank_rule {
    gl_str name, pattern;
    int64_t min_cents, max_cents;
    gl_str counterpart, journal, label;
} gl_bank_rule;
void gl_bank_rule_put(gl_buf *b, const gl_bank_rule *r);
int gl_bank_rule_get(gl_cur *c, gl_bank_rule *out);
/* The rule's own field rules (not the chart): GL_OK, or *field names the
 * field at fault. */
bool gl_bank_rule_check(const gl_bank_rule *r, const char **field);

typedef struct gl_bank_rule_set_q {
    gl_str account;
    uint8_t op;
    gl_bank_rule rule;
} gl_bank_rule_set_q;
void gl_bank_rule_set_q_encode(gl_buf *b, const gl_bank_rule_set_q *q);
int gl_bank_rule_set_q_decode(const uint8_t *body, size_t len, gl_bank_rule_set_q *out);

/* Does the rule give an entry for this line? */
bool gl_bank_rule_applies(const gl_bank_rule *r, const gl_bank_line_w *l);

#endif
