/*
 * client/staff/staff_post.c — the lines `staff-costs --post` allocates
 * (staff_post.h).
 */
#include "staff_post.h"

#include "proto/status.h"

#include <stdlib.h>
#include <string.h>

void sp_lines_free(sp_lines *l)
{
    free(l->v);
    memset(l, 0, sizeof *l);
}

int sp_add(sp_lines *l, uint16_t fy, uint32_t num, uint16_t line, gl_str employee,
           int64_t amount_cents)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        sp_share *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return GL_ERR_NOMEM;
        l->v = v;
        l->cap = cap;
    }
    sp_share *s = &l->v[l->n++];
    memset(s, 0, sizeof *s);
    s->fy = fy;
    s->num = num;
    s->line = line;
    size_t n = employee.len < GL_AN_CODE_MAX ? employee.len : GL_AN_CODE_MAX;
    memcpy(s->employee, employee.ptr, n);
    s->amount_cents = amount_cents < 0 ? -amount_cents : amount_cents;
    return GL_OK;
}

/* (fy, num, line) as one number: 16 + 32 + 16 bits, in that order. */
static uint64_t line_key(const sp_share *s)
{
    return (uint64_t)s->fy << 48 | (uint64_t)s->num << 16 | s->line;
}

static int cmp_share(const void *pa, const void *pb)
{
    const sp_share *a = pa, *b = pb;
    uint64_t ka = line_key(a), kb = line_key(b);
    return ka != kb ? (ka < kb ? -1 : 1) : strcmp(a->employee, b->employee);
}

void sp_sort(sp_lines *l)
{
    if (l->n)
        qsort(l->v, l->n, sizeof *l->v, cmp_share);
}

bool sp_next_line(const sp_lines *l, size_t pos, size_t *end)
{
    if (pos >= l->n)
        return false;
    size_t e = pos + 1;
    while (e < l->n && line_key(&l->v[e]) == line_key(&l->v[pos]))
        e++;
    *end = e;
    return true;
}
