/*
 * client/funders/funders.c — what the funders' reports share: exact
 * roundings, ledger lines, funder shares and totals by key (funders.h).
 */
#include "funders.h"

#include "proto/group.h"
#include "proto/status.h"

#include <stdlib.h>
#include <string.h>

/* num / den rounded half away from zero (den > 0); false out of int64. */
static bool div_half_up(__int128 num, __int128 den, int64_t *out)
{
    __int128 mag = num < 0 ? -num : num;
    __int128 q = mag / den;
    if (2 * (mag % den) >= den) /* the remainder < den: no overflow */
        q++;
    __int128 r = num < 0 ? -q : q;
    if (r > INT64_MAX || r < INT64_MIN)
        return false;
    *out = (int64_t)r;
    return true;
}

bool fr_minutes_cost(uint64_t minutes, int64_t rate_cents, int64_t *cost_cents)
{
    return div_half_up((__int128)minutes * rate_cents, 60, cost_cents);
}

bool fr_percent_of(int64_t cents, unsigned pct, int64_t *out_cents)
{
    return div_half_up((__int128)cents * pct, 100, out_cents);
}

bool fr_ratio_tenths(int64_t actual_cents, int64_t planned_cents, int64_t *tenths)
{
    if (planned_cents == 0)
        return false;
    __int128 num = (__int128)actual_cents * 1000, den = planned_cents;
    if (den < 0) {
        num = -num;
        den = -den;
    }
    return div_half_up(num, den, tenths);
}

bool fr_prefix(const char *account, const char *prefix)
{
    return !strncmp(account, prefix, strlen(prefix));
}

/* Grow an array of *cap elements of size to hold n + 1. */
static bool grow(void **v, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return true;
    size_t c = *cap ? *cap * 2 : 16;
    void *p = realloc(*v, c * size);
    if (!p)
        return false;
    *v = p;
    *cap = c;
    return true;
}

void fr_lines_free(fr_lines *l)
{
    free(l->v);
    memset(l, 0, sizeof *l);
}

int fr_lines_add(fr_lines *l, const fr_line *x)
{
    if (!grow((void **)&l->v, &l->cap, l->n, sizeof *l->v))
        return GL_ERR_NOMEM;
    l->v[l->n++] = *x;
    return GL_OK;
}

void fr_fshares_free(fr_fshares *s)
{
    free(s->v);
    memset(s, 0, sizeof *s);
}

int fr_fshares_add(fr_fshares *s, const fr_fshare *x)
{
    if (!grow((void **)&s->v, &s->cap, s->n, sizeof *s->v))
        return GL_ERR_NOMEM;
    s->v[s->n++] = *x;
    return GL_OK;
}

static int line_cmp(uint16_t fa, uint32_t na, uint16_t la, uint16_t fb, uint32_t nb, uint16_t lb)
{
    if (fa != fb)
        return fa < fb ? -1 : 1;
    if (na != nb)
        return na < nb ? -1 : 1;
    return la < lb ? -1 : la > lb;
}

static int fshare_cmp(const void *a, const void *b)
{
    const fr_fshare *x = a, *y = b;
    int c = line_cmp(x->fy, x->num, x->line, y->fy, y->num, y->line);
    return c ? c : strcmp(x->funder, y->funder);
}

void fr_fshares_sort(fr_fshares *s)
{
    if (s->n)
        qsort(s->v, s->n, sizeof *s->v, fshare_cmp);
}

/* The first share of line (fy, num, line) in s, or s->n. */
static size_t fshare_first(const fr_fshares *s, const fr_line *p)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const fr_fshare *m = &s->v[mid];
        if (line_cmp(m->fy, m->num, m->line, p->fy, p->num, p->line) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* One product line split over the funders s->v[first..end). */
static int split_line(const fr_line *p, const fr_fshares *s, size_t first, size_t end,
                      fr_lines *out)
{
    size_t n = end - first;
    int64_t *w = malloc(n * sizeof *w), *sh = malloc(n * sizeof *sh);
    int st = w && sh ? GL_OK : GL_ERR_NOMEM;
    for (size_t i = 0; st == GL_OK && i < n; i++) {
        int64_t a = s->v[first + i].amount_cents;
        w[i] = a < 0 ? -a : a; /* a product's credit: the ledger's amount is < 0 */
        if (w[i] <= 0)
            st = GL_ERR_SUM_OVERFLOW; /* a zero share: no weight (not from the daemon) */
    }
    if (st == GL_OK && !gl_shares(p->amount_cents, w, n, sh))
        st = GL_ERR_SUM_OVERFLOW;
    for (size_t i = 0; st == GL_OK && i < n; i++) {
        fr_line x = *p;
        memcpy(x.funder, s->v[first + i].funder, sizeof x.funder);
        x.amount_cents = sh[i];
        st = fr_lines_add(out, &x);
    }
    free(w);
    free(sh);
    return st;
}

int fr_split_by_funder(const fr_lines *products, const fr_fshares *s, fr_lines *out)
{
    int st = GL_OK;
    for (size_t i = 0; st == GL_OK && i < products->n; i++) {
        const fr_line *p = &products->v[i];
        size_t first = fshare_first(s, p), end = first;
        while (end < s->n &&
               !line_cmp(s->v[end].fy, s->v[end].num, s->v[end].line, p->fy, p->num, p->line))
            end++;
        if (end == first) {
            fr_line x = *p;
            x.funder[0] = '\0';
            st = fr_lines_add(out, &x);
        } else {
            st = split_line(p, s, first, end, out);
        }
    }
    return st;
}

void fr_totals_free(fr_totals *t)
{
    free(t->v);
    memset(t, 0, sizeof *t);
}

const fr_total *fr_totals_find(const fr_totals *t, const char *key)
{
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(t->v[i].key, key))
            return &t->v[i];
    return NULL;
}

int fr_totals_add(fr_totals *t, const char *key, int64_t cents)
{
    fr_total *x = (fr_total *)fr_totals_find(t, key);
    if (!x) {
        if (!grow((void **)&t->v, &t->cap, t->n, sizeof *t->v))
            return GL_ERR_NOMEM;
        x = &t->v[t->n++];
        memset(x, 0, sizeof *x);
        strncpy(x->key, key, sizeof x->key - 1);
    }
    return __builtin_add_overflow(x->cents, cents, &x->cents) ? GL_ERR_SUM_OVERFLOW : GL_OK;
}

static int total_cmp(const void *a, const void *b)
{
    return strcmp(((const fr_total *)a)->key, ((const fr_total *)b)->key);
}

void fr_totals_sort(fr_totals *t)
{
    if (t->n)
        qsort(t->v, t->n, sizeof *t->v, total_cmp);
}
