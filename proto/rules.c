/*
 * proto/rules.c — the guard rails on what may be written (see rules.h):
 * blank text, mandatory entry fields, account numbering, class 8/9 nets
 * and what counts as a repair.  Pure: no allocation, no I/O.
 */
#include "rules.h"

#include "assert.h"
#include "status.h"

/* The next code point of s at *i (advancing), or -1 if the bytes there are
 * not a well-formed sequence. */
static int32_t next_code_point(gl_str s, size_t *i)
{
    const unsigned char *p = (const unsigned char *)s.ptr + *i;
    size_t left = s.len - *i;
    int32_t cp;
    size_t n;
    if (p[0] < 0x80) {
        cp = p[0];
        n = 1;
    } else if (p[0] >= 0xC2 && p[0] < 0xE0) {
        cp = p[0] & 0x1F;
        n = 2;
    } else if (p[0] >= 0xE0 && p[0] < 0xF0) {
        cp = p[0] & 0x0F;
        n = 3;
    } else if (p[0] >= 0xF0 && p[0] < 0xF5) {
        cp = p[0] & 0x07;
        n = 4;
    } else {
        return -1;
    }
    if (left < n)
        return -1;
    for (size_t k = 1; k < n; k++) {
        if ((p[k] & 0xC0) != 0x80)
            return -1;
        cp = cp << 6 | (p[k] & 0x3F);
    }
    *i += n;
    return cp;
}

static bool invisible(int32_t cp)
{
    return cp <= 0x20 || (cp >= 0x7F && cp <= 0xA0) || cp == 0xAD || cp == 0x34F || cp == 0x61C ||
           cp == 0x1680 || cp == 0x180E || (cp >= 0x2000 && cp <= 0x200F) || cp == 0x2028 ||
           cp == 0x2029 || cp == 0x202F || (cp >= 0x205F && cp <= 0x2064) || cp == 0x3000 ||
           cp == 0xFEFF;
}

bool gl_text_blank(gl_str s)
{
    for (size_t i = 0; i < s.len;) {
        int32_t cp = next_code_point(s, &i);
        if (cp < 0 || !invisible(cp))
            return false;
    }
    return true;
}

int gl_entry_fields_check(const gl_entry *e, const char **field)
{
    *field = NULL;
    if (gl_text_blank(e->piece_ref))
        *field = "piece reference";
    else if (gl_text_blank(e->label))
        *field = "label";
    return *field ? GL_ERR_FIELD_REQUIRED : GL_OK;
}

bool gl_account_number_valid(gl_str a, bool class9)
{
    if (!gl_account_valid(a) || a.len < 3)
        return false;
    for (size_t i = 0; i < 3; i++)
        if (a.ptr[i] < '0' || a.ptr[i] > '9')
            return false;
    return a.ptr[0] >= '1' && (a.ptr[0] <= '8' || (class9 && a.ptr[0] == '9'));
}

void gl_entry_class_nets(const gl_entry *e, int64_t nets[2])
{
    int64_t debit[2] = {0, 0}, credit[2] = {0, 0};
    gl_line_iter it;
    gl_line l;
    gl_line_iter_init(&it, e);
    while (gl_line_next(&it, &l)) {
        if (l.account.len == 0 || (l.account.ptr[0] != '8' && l.account.ptr[0] != '9'))
            continue;
        int c = l.account.ptr[0] - '8';
        /* each part is at most the entry's debit or credit total, which
         * gl_entry_check found to fit */
        GL_ASSERT(l.amount_cents > 0);
        int64_t *acc = l.side == GL_SIDE_DEBIT ? &debit[c] : &credit[c];
        GL_ASSERT(*acc <= INT64_MAX - l.amount_cents);
        *acc += l.amount_cents;
    }
    nets[0] = debit[0] - credit[0];
    nets[1] = debit[1] - credit[1];
}

bool gl_class_repairs(int64_t before, int64_t after)
{
    if (before > 0)
        return after >= 0 && after < before;
    if (before < 0)
        return after <= 0 && after > before;
    return false;
}
