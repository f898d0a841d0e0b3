/*
 * proto/bank_rule.c — the rules of recurring bank-only lines (issue 18,
 * proto/bank_rule.h): the codecs, the rule's own field rules and the
 * matching of a statement line.  Decoders are total; matching is pure.
 */
#include "bank_rule.h"

#include "entry.h"
#include "limits.h"
#include "rules.h"
#include "status.h"
#include "textfold.h"

#include <string.h>

void gl_bank_rule_put(gl_buf *b, const gl_bank_rule *r)
{
    gl_put_str8(b, r->name.ptr, r->name.len);
    gl_put_str8(b, r->pattern.ptr, r->pattern.len);
    gl_put_i64(b, r->min_cents);
    gl_put_i64(b, r->max_cents);
    gl_put_str8(b, r->counterpart.ptr, r->counterpart.len);
    gl_put_str8(b, r->journal.ptr, r->journal.len);
    gl_put_str8(b, r->label.ptr, r->label.len);
}

int gl_bank_rule_get(gl_cur *c, gl_bank_rule *out)
{
    out->name = gl_get_str8(c, GL_BANK_RULE_NAME_MAX);
    out->pattern = gl_get_str8(c, GL_BANK_RULE_PATTERN_MAX);
    out->min_cents = gl_get_i64(c);
    out->max_cents = gl_get_i64(c);
    out->counterpart = gl_get_str8(c, GL_ACCOUNT_MAX);
    out->journal = gl_get_str8(c, GL_JOURNAL_MAX);
    out->label = gl_get_str8(c, GL_LABEL_MAX);
    return gl_cur_status(c);
}

/* 1..GL_BANK_RULE_NAME_MAX of [a-z0-9_-]. */
static bool name_valid(gl_str n)
{
    if (n.len < 1 || n.len > GL_BANK_RULE_NAME_MAX)
        return false;
    for (size_t i = 0; i < n.len; i++) {
        char ch = n.ptr[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
            return false;
    }
    return true;
}

/* 1..GL_BANK_RULE_PATTERN_MAX bytes with at least one character that is
 * neither '*' nor a space: a pattern that every label matches is a
 * mistake, not a rule. */
static bool pattern_valid(gl_str p)
{
    if (p.len < 1 || p.len > GL_BANK_RULE_PATTERN_MAX)
        return false;
    for (size_t i = 0; i < p.len; i++)
        if (p.ptr[i] != '*' && p.ptr[i] != ' ')
            return true;
    return false;
}

/* Both 0 (any amount), or min <= max within ±GL_TOTAL_MAX_CENTS. */
static bool range_valid(int64_t min, int64_t max)
{
    if (min == 0 && max == 0)
        return true;
    return min >= -GL_TOTAL_MAX_CENTS && max <= GL_TOTAL_MAX_CENTS && min <= max;
}

bool gl_bank_rule_check(const gl_bank_rule *r, const char **field)
{
    *field = NULL;
    if (!name_valid(r->name))
        *field = "name";
    else if (!pattern_valid(r->pattern))
        *field = "pattern";
    else if (!range_valid(r->min_cents, r->max_cents))
        *field = "amount range";
    else if (!gl_account_valid(r->counterpart))
        *field = "counterpart";
    else if (r->journal.len && !gl_journal_valid(r->journal))
        *field = "journal";
    else if (r->label.len > GL_LABEL_MAX || (r->label.len && gl_text_blank(r->label)))
        *field = "label";
    return *field == NULL;
}

void gl_bank_rule_set_q_encode(gl_buf *b, const gl_bank_rule_set_q *q)
{
    gl_put_str8(b, q->account.ptr, q->account.len);
    gl_put_u8(b, q->op);
    gl_bank_rule_put(b, &q->rule);
}

int gl_bank_rule_set_q_decode(const uint8_t *body, size_t len, gl_bank_rule_set_q *out)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    out->account = gl_get_str8(&c, GL_ACCOUNT_MAX);
    out->op = gl_get_u8(&c);
    gl_bank_rule_get(&c, &out->rule);
    return gl_cur_end(&c);
}

/* Where the folded needle [n, n+nl) first occurs in [h, h+hl) from `from`,
 * or SIZE_MAX. */
static size_t find_from(const char *h, size_t hl, size_t from, const char *n, size_t nl)
{
    for (size_t i = from; i + nl <= hl; i++)
        if (memcmp(h + i, n, nl) == 0)
            return i;
    return SIZE_MAX;
}

/* Does the folded pattern occur in the folded label, each '*' standing
 * for any run of characters?  Its pieces between stars are found in
 * order, each at its first place after the previous one: for a pattern
 * that need only match a part of the label, the first place is never
 * worse than a later one. */
static bool glob_contains(const char *h, size_t hl, const char *p, size_t pl)
{
    size_t at = 0, i = 0;
    while (i < pl) {
        const char *star = memchr(p + i, '*', pl - i);
        size_t piece = star ? (size_t)(star - (p + i)) : pl - i;
        if (piece) {
            size_t found = find_from(h, hl, at, p + i, piece);
            if (found == SIZE_MAX)
                return false;
            at = found + piece;
        }
        i += piece + 1;
    }
    return true;
}

static bool amount_in_range(const gl_bank_rule *r, int64_t amount_cents)
{
    if (r->min_cents == 0 && r->max_cents == 0)
        return true;
    return amount_cents >= r->min_cents && amount_cents <= r->max_cents;
}

bool gl_bank_rule_applies(const gl_bank_rule *r, const gl_bank_line_w *l)
{
    if (r->pattern.len > GL_BANK_RULE_PATTERN_MAX || !amount_in_range(r, l->amount_cents))
        return false;
    size_t label_len = l->label.len > GL_TEXT_FOLD_MAX ? GL_TEXT_FOLD_MAX : l->label.len;
    char label[GL_TEXT_FOLD_MAX], pattern[GL_BANK_RULE_PATTERN_MAX];
    size_t hl = gl_text_fold(l->label.ptr, label_len, label);
    size_t pl = gl_text_fold(r->pattern.ptr, r->pattern.len, pattern);
    return glob_contains(label, hl, pattern, pl);
}
