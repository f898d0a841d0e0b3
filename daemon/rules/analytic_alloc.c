/*
 * daemon/rules/analytic_alloc.c — ANALYTIC_ALLOC (issue 19, PROTOCOL.md
 * §5.50): codes given to lines already posted, never an edit of the
 * entry.  Each row names a line (fy, num, line) and, per axis, its codes
 * and shares (count 0: that allocation removed).  Refused: a line that
 * does not exist, of an à-nouveaux or result-closing entry, or the same
 * line and axis twice (488); an axis the entry's own line carries (487);
 * an axis or code not open (484, 485); shares not summing to the line
 * (483); the removal of an axis a rule requires on the line's account
 * (486).  Locked periods and closed years are allowed: an allocation
 * changes the analysis, never the accounts.  All rows or none; the
 * request is an ANALYTIC_ALLOC event (21) holding the signed body, none
 * if every row was already so.  For each (line, axis) the analytic index
 * takes the replaced allocation away and adds the new one.
 */
#include "analytic.h"

#include "daemon/analytic_index.h"
#include "daemon/handlers.h"
#include "daemon/store/analytic_store.h"

#include "proto/chain.h"
#include "proto/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One (line, axis) of the request, for the twice check. */
typedef struct alloc_pair {
    uint16_t fy;
    uint32_t num;
    uint16_t line;
    uint8_t axis_len;
    char axis[GL_AN_AXIS_MAX];
    uint32_t row;
} alloc_pair;

static int pair_cmp(const void *pa, const void *pb)
{
    const alloc_pair *a = pa, *b = pb;
    if (a->fy != b->fy)
        return a->fy < b->fy ? -1 : 1;
    if (a->num != b->num)
        return a->num < b->num ? -1 : 1;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if (a->axis_len != b->axis_len)
        return a->axis_len < b->axis_len ? -1 : 1;
    int c = memcmp(a->axis, b->axis, a->axis_len);
    if (c)
        return c;
    return a->row < b->row ? -1 : a->row > b->row;
}

static bool same_pair(const alloc_pair *a, const alloc_pair *b)
{
    return a->fy == b->fy && a->num == b->num && a->line == b->line && a->axis_len == b->axis_len &&
           !memcmp(a->axis, b->axis, a->axis_len);
}

/* No (line, axis) twice in the request (488, naming the later row). */
static int no_twice(gl_exec *x, const gl_an_alloc_q *q)
{
    size_t cap = (size_t)q->count * GL_AN_LINE_AXES_MAX, n = 0;
    alloc_pair *v = malloc(cap * sizeof *v);
    if (!v)
        return GL_ERR_NOMEM;
    gl_an_alloc_iter it;
    gl_an_alloc_row row;
    uint32_t r = 0;
    gl_an_alloc_iter_init(&it, q);
    while (gl_an_alloc_next(&it, &row)) {
        r++;
        for (uint8_t i = 0; i < row.codes.naxes; i++) {
            alloc_pair *p = &v[n++];
            gl_str a = row.codes.axes[i].axis;
            *p = (alloc_pair){row.fy, row.num, row.line, (uint8_t)a.len, {0}, r};
            memcpy(p->axis, a.ptr, a.len);
        }
    }
    qsort(v, n, sizeof *v, pair_cmp);
    int st = GL_OK;
    for (size_t i = 1; i < n && st == GL_OK; i++)
        if (same_pair(&v[i - 1], &v[i]))
            st = exec_fail(x, GL_ERR_ANALYTIC_LINE_UNKNOWN, v[i].row, 0,
                           "row %u: line %u of entry %u/%u is allocated on axis %.*s twice "
                           "(rows %u and %u)",
                           v[i].row, v[i].line, v[i].fy, v[i].num, (int)v[i].axis_len, v[i].axis,
                           v[i - 1].row, v[i].row);
    free(v);
    return st;
}

/* The line a row names, read from its stored entry: its ref (account
 * copied into account_buf) and the codes its entry gives it. */
typedef struct alloc_line {
    an_line_ref ref;
    char account_buf[GL_ACCOUNT_MAX];
    gl_analytic own;
} alloc_line;

static int line_unknown(gl_exec *x, uint32_t r, const gl_an_alloc_row *row, const char *why)
{
    return exec_fail(x, GL_ERR_ANALYTIC_LINE_UNKNOWN, r, 0, "row %u: line %u of entry %u/%u %s", r,
                     row->line, row->fy, row->num, why);
}

static int read_line(gl_exec *x, uint32_t tenant, uint32_t r, const gl_an_alloc_row *row,
                     alloc_line *out)
{
    gl_entry e;
    store_entry raw;
    int st = ledger_read_entry(x->txn, tenant, row->fy, row->num, &e, &raw);
    if (st == GL_ERR_NOT_FOUND)
        return line_unknown(x, r, row, "does not exist: no such entry");
    if (st != GL_OK)
        return st;
    if (e.flags)
        return line_unknown(x, r, row,
                            "is of an entry written by a year close (à-nouveaux or result)");
    if (row->line < 1 || row->line > e.line_count)
        return line_unknown(x, r, row, "does not exist");
    gl_line_iter it;
    gl_line l;
    gl_line_iter_init(&it, &e);
    for (uint16_t n = 0; n < row->line; n++)
        gl_line_next(&it, &l);
    memcpy(out->account_buf, l.account.ptr, l.account.len);
    out->ref = (an_line_ref){tenant,
                             row->fy,
                             row->num,
                             row->line,
                             e.date,
                             {out->account_buf, l.account.len},
                             gl_line_signed(&l)};
    if (!gl_line_analytic(l.ext, l.ext_len, &out->own))
        out->own.naxes = 0;
    return GL_OK;
}

static bool same_split(const gl_an_split *a, const gl_an_split *b)
{
    if (a->count != b->count)
        return false;
    for (uint8_t i = 0; i < a->count; i++)
        if (a->shares[i].amount_cents != b->shares[i].amount_cents ||
            a->shares[i].code.len != b->shares[i].code.len ||
            memcmp(a->shares[i].code.ptr, b->shares[i].code.ptr, a->shares[i].code.len))
            return false;
    return true;
}

/* The checks of one axis of a row, before anything is written. */
static int check_split(gl_exec *x, const an_rules *rules, const alloc_line *ln,
                       const gl_an_split *s, uint32_t r, const char *where)
{
    for (uint8_t i = 0; i < ln->own.naxes; i++)
        if (ln->own.axes[i].axis.len == s->axis.len &&
            !memcmp(ln->own.axes[i].axis.ptr, s->axis.ptr, s->axis.len))
            return exec_fail(x, GL_ERR_ANALYTIC_IN_ENTRY, r, 0,
                             "%s: the entry's line carries axis %.*s itself: correct it with a "
                             "reversal",
                             where, (int)s->axis.len, s->axis.ptr);
    if (s->count == 0) {
        int st = an_axis_known(x, ln->ref.tenant, s->axis, r, 0, where);
        if (st == GL_OK && an_rules_requiring(rules, ln->ref.account, s->axis))
            return exec_fail(x, GL_ERR_ANALYTIC_REQUIRED, r, 0,
                             "%s: account %.*s must carry analytic axis %.*s: its allocation may "
                             "be replaced, not removed",
                             where, (int)ln->ref.account.len, ln->ref.account.ptr, (int)s->axis.len,
                             s->axis.ptr);
        return st;
    }
    int st = an_split_open(x, ln->ref.tenant, s, r, 0, where);
    gl_analytic one = {.naxes = 1};
    one.axes[0] = *s;
    size_t bad;
    int64_t amount = ln->ref.signed_cents < 0 ? -ln->ref.signed_cents : ln->ref.signed_cents;
    if (st == GL_OK && gl_analytic_check_sum(&one, amount, &bad) != GL_OK)
        return exec_fail(x, GL_ERR_ANALYTIC_SPLIT_SUM, r, 0,
                         "%s: the shares of axis %.*s do not sum to the line's amount", where,
                         (int)s->axis.len, s->axis.ptr);
    return st;
}

/* The allocation of (line, axis) replaced by s: the index moved, the
 * record written.  *changed if it was not already so. */
static int replace(gl_exec *x, const alloc_line *ln, const gl_an_split *s, bool *changed)
{
    an_alloc_key k = {ln->ref.tenant, ln->ref.fy, ln->ref.num, ln->ref.line};
    uint8_t buf[AN_ALLOC_VALUE_MAX];
    gl_an_split old;
    int st = store_an_alloc_get(x->txn, &k, s->axis, buf, &old);
    bool had = st == GL_OK;
    if (st != GL_OK && st != GL_ERR_NOT_FOUND)
        return st;
    if ((had && s->count && same_split(&old, s)) || (!had && !s->count))
        return GL_OK;
    *changed = true;
    if (had && (st = analytic_index_split(x, &ln->ref, &old, -1, GL_AN_SOURCE_ALLOC)) != GL_OK)
        return st;
    if (!s->count)
        return store_an_alloc_del(x->txn, &k, s->axis);
    if ((st = analytic_index_split(x, &ln->ref, s, +1, GL_AN_SOURCE_ALLOC)) != GL_OK)
        return st;
    return store_an_alloc_put(x->txn, &k, s);
}

static int alloc_row(gl_exec *x, uint32_t tenant, const an_rules *rules, uint32_t r,
                     const gl_an_alloc_row *row, bool *changed)
{
    static _Thread_local alloc_line ln;
    int st = read_line(x, tenant, r, row, &ln);
    if (st != GL_OK)
        return st;
    char where[64];
    snprintf(where, sizeof where, "row %u (entry %u/%u line %u)", r, row->fy, row->num, row->line);
    for (uint8_t i = 0; st == GL_OK && i < row->codes.naxes; i++)
        st = check_split(x, rules, &ln, &row->codes.axes[i], r, where);
    for (uint8_t i = 0; st == GL_OK && i < row->codes.naxes; i++)
        st = replace(x, &ln, &row->codes.axes[i], changed);
    return st;
}

int rules_analytic_alloc(gl_exec *x, const gl_body *rq)
{
    const gl_an_alloc_q *q = &rq->an_alloc;
    tenant_rec rec;
    int st = exec_tenant_load(x, &rec);
    if (st != GL_OK || (st = no_twice(x, q)) != GL_OK)
        return st;
    static _Thread_local an_rules rules;
    if ((st = an_rules_load(x, rec.number, &rules)) != GL_OK)
        return st;
    gl_an_alloc_iter it;
    gl_an_alloc_row row;
    uint32_t r = 0;
    bool changed = false;
    gl_an_alloc_iter_init(&it, q);
    while (st == GL_OK && gl_an_alloc_next(&it, &row))
        st = alloc_row(x, rec.number, &rules, ++r, &row, &changed);
    if (st == GL_OK && changed)
        st = bank_event_signed_body(x, &rec, GL_EVENT_ANALYTIC_ALLOC);
    return st;
}
