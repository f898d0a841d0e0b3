/*
 * proto/find.c — the filter rules of JOURNAL and LEDGER (see find.h).
 */
#include "find.h"

#include "textfold.h"

#include <string.h>

static bool str_eq(gl_str a, gl_str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static bool has(const gl_filter *f, uint8_t field) { return (f->fields & field) != 0; }

static bool text_in(const gl_filter *f, gl_str s)
{
    return gl_text_contains(s.ptr, s.len, f->text.ptr, f->text.len);
}

/* The fields of one line: account prefix, aux, amount. */
static bool line_fields(const gl_filter *f, const gl_line *l, bool account)
{
    if (account && has(f, GL_FILTER_ACCOUNT) &&
        (l->account.len < f->account.len ||
         memcmp(l->account.ptr, f->account.ptr, f->account.len) != 0))
        return false;
    if (has(f, GL_FILTER_AUX) && !str_eq(l->aux, f->aux))
        return false;
    if (has(f, GL_FILTER_AMOUNT) && l->amount_cents != f->amount)
        return false;
    return true;
}

static bool entry_fields(const gl_filter *f, const gl_entry *e)
{
    return !has(f, GL_FILTER_JOURNAL) || str_eq(e->journal, f->journal);
}

bool gl_find_entry(const gl_filter *f, const gl_entry *e)
{
    if (!entry_fields(f, e))
        return false;
    bool want_text = has(f, GL_FILTER_TEXT);
    bool text = !want_text || text_in(f, e->label) || text_in(f, e->piece_ref);
    bool line_match = false;
    gl_line_iter it;
    gl_line l;
    gl_line_iter_init(&it, e);
    while (gl_line_next(&it, &l) && !(text && line_match)) {
        if (!text && text_in(f, l.label))
            text = true;
        if (!line_match && line_fields(f, &l, true))
            line_match = true;
    }
    return text && line_match;
}

bool gl_find_line(const gl_filter *f, const gl_entry *e, const gl_line *l)
{
    if (!entry_fields(f, e) || !line_fields(f, l, false))
        return false;
    return !has(f, GL_FILTER_TEXT) || text_in(f, e->label) || text_in(f, e->piece_ref) ||
           text_in(f, l->label);
}
