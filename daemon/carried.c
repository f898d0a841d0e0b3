/*
 * daemon/carried.c — see carried.h.
 */
#include "carried.h"

#include "entries.h"
#include "periods.h"

#include "proto/carry.h"
#include "proto/status.h"

#include <stdlib.h>
#include <string.h>

void carried_free(carried_set *c)
{
    free(c->v);
    *c = (carried_set){0};
}

static int origin_cmp(const void *pa, const void *pb)
{
    const carried_origin *a = pa, *b = pb;
    if (a->fy != b->fy)
        return a->fy < b->fy ? -1 : 1;
    if (a->num != b->num)
        return a->num < b->num ? -1 : 1;
    return (a->line > b->line) - (a->line < b->line);
}

/* Line `line` (1-based) of entry fy/num, read in the transaction. */
static int read_line(gl_exec *x, uint32_t tenant, uint16_t fy, uint32_t num, uint16_t line,
                     gl_line *out)
{
    gl_entry e;
    store_entry raw;
    int st = ledger_read_entry(x->txn, tenant, fy, num, &e, &raw);
    if (st != GL_OK)
        return st == GL_ERR_NOT_FOUND ? GL_ERR_STORAGE : st;
    gl_line_iter it;
    gl_line_iter_init(&it, &e);
    for (uint16_t k = 0; k < line; k++)
        if (!gl_line_next(&it, out))
            return GL_ERR_STORAGE;
    return GL_OK;
}

/* The open_item origins of account's lines in the à-nouveaux of fy+1. */
static int load(gl_exec *x, carried_set *c, uint32_t tenant, gl_str account, uint16_t fy)
{
    carried_free(c);
    c->fy = fy;
    c->account_len = account.len < sizeof c->account ? account.len : sizeof c->account - 1;
    memcpy(c->account, account.ptr, c->account_len);
    year_state ys;
    int st = periods_year(x->txn, tenant, fy, &ys);
    if (st != GL_OK || !ys.closed || !ys.opening_num)
        return st;
    gl_entry e;
    store_entry raw;
    if ((st = ledger_read_entry(x->txn, tenant, ys.opening_fy, ys.opening_num, &e, &raw)) != GL_OK)
        return st == GL_ERR_NOT_FOUND ? GL_ERR_STORAGE : st;
    c->since = e.date;
    c->v = malloc((size_t)e.line_count * sizeof *c->v + 1);
    if (!c->v)
        return GL_ERR_INTERNAL;
    gl_line_iter it;
    gl_line l;
    gl_open_item o;
    gl_line_iter_init(&it, &e);
    while (gl_line_next(&it, &l))
        if (l.account.len == account.len && !memcmp(l.account.ptr, account.ptr, account.len) &&
            gl_line_open_item(l.ext, l.ext_len, &o))
            c->v[c->n++] = (carried_origin){o.fy, o.line, o.num};
    qsort(c->v, c->n, sizeof *c->v, origin_cmp);
    return GL_OK;
}

int carried_line(gl_exec *x, carried_set *c, uint32_t tenant, gl_str account, uint16_t fy,
                 uint32_t num, uint16_t line, bool *carried, uint32_t *since)
{
    *carried = false;
    *since = 0;
    int st;
    bool same = c->fy == fy && c->account_len == account.len &&
                !memcmp(c->account, account.ptr, account.len);
    if (!same && (st = load(x, c, tenant, account, fy)) != GL_OK)
        return st;
    if (!c->n)
        return GL_OK; /* not closed, summarised, or nothing left open */
    /* the line's identity: the item it carries itself, else its own place */
    gl_line l;
    gl_open_item o;
    if ((st = read_line(x, tenant, fy, num, line, &l)) != GL_OK)
        return st;
    carried_origin key = {fy, line, num};
    if (gl_line_open_item(l.ext, l.ext_len, &o))
        key = (carried_origin){o.fy, o.line, o.num};
    *carried = bsearch(&key, c->v, c->n, sizeof *c->v, origin_cmp) != NULL;
    *since = c->since;
    return GL_OK;
}

int carried_is_item(gl_exec *x, uint32_t tenant, uint16_t fy, uint32_t num, uint16_t line,
                    bool *item)
{
    gl_line l;
    gl_open_item o;
    int st = read_line(x, tenant, fy, num, line, &l);
    *item = st == GL_OK && gl_line_open_item(l.ext, l.ext_len, &o);
    return st;
}
