/*
 * client/cli/an_shares.c — every analytic share of a tenant's lines in a
 * date range (an_shares.h), read through client/analytic/an_client.h.
 */
#include "an_shares.h"

#include "group_balance.h"

#include "client/analytic/an_client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct gather {
    an_shares *out;
    const char *axis, *code;
    unsigned sources;
};

static void copy_text(char *dst, size_t size, gl_str s)
{
    snprintf(dst, size, "%.*s", (int)s.len, s.ptr);
}

static int gather_row(void *user, const gl_an_ledger_row *r)
{
    struct gather *g = user;
    if (!(g->sources & (1u << r->source)))
        return 0;
    an_shares *s = g->out;
    if (s->count == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 1024;
        an_share *rows = realloc(s->rows, cap * sizeof *rows);
        if (!rows)
            return GL_ERR_NOMEM;
        s->rows = rows;
        s->cap = cap;
    }
    an_share *x = &s->rows[s->count++];
    *x = (an_share){.fy = r->fy,
                    .num = r->num,
                    .line = r->line,
                    .date = r->date,
                    .source = r->source,
                    .signed_cents = r->amount_cents};
    copy_text(x->journal, sizeof x->journal, r->journal);
    copy_text(x->account, sizeof x->account, r->account);
    snprintf(x->axis, sizeof x->axis, "%s", g->axis);
    snprintf(x->code, sizeof x->code, "%s", g->code);
    return 0;
}

/* A line's place in the FEC's order, as one number. */
static uint64_t line_rank(uint16_t fy, uint32_t num, uint16_t line)
{
    return (uint64_t)fy << 48 | (uint64_t)num << 16 | line;
}

static int share_cmp(const void *pa, const void *pb)
{
    const an_share *a = pa, *b = pb;
    uint64_t x = line_rank(a->fy, a->num, a->line), y = line_rank(b->fy, b->num, b->line);
    if (x != y)
        return x < y ? -1 : 1;
    int c = strcmp(a->axis, b->axis);
    return c ? c : strcmp(a->code, b->code);
}

/* The ledger of every code of every axis into out. */
static int gather_all(gl_an_call *k, const gl_an_axes *axes, uint32_t from, uint32_t to,
                      unsigned sources, an_shares *out)
{
    int st = GL_OK;
    for (size_t i = 0; st == GL_OK && i < axes->n; i++) {
        const gl_an_axis_info *x = &axes->axes[i];
        for (size_t j = 0; st == GL_OK && j < x->ncodes; j++) {
            struct gather g = {out, x->axis, x->codes[j].code, sources};
            gl_an_ledger_q q = {.axis = {x->axis, strlen(x->axis)},
                                .code = {x->codes[j].code, strlen(x->codes[j].code)},
                                .from = from,
                                .to = to};
            st = gl_an_ledger_each(k, &q, gather_row, &g);
        }
    }
    return st;
}

int an_shares_fetch(cli *c, const char *tenant, uint32_t from, uint32_t to, unsigned sources,
                    an_shares *out)
{
    memset(out, 0, sizeof *out);
    gl_an_call k;
    gl_an_axes axes = {0};
    gl_an_call_init(&k, c->client, tenant, 0);
    int st = gl_an_axes_get(&k, &axes);
    if (st == GL_OK)
        st = gather_all(&k, &axes, from, to, sources, out);
    int rc = 0;
    if (st != GL_OK && gl_an_call_refused(&k))
        rc = cli_reply(c, k.call_status, k.last_id, tenant, &k.resp);
    else if (st == GL_ERR_NOMEM)
        rc = cli_nomem("the analytic ledger");
    else if (st != GL_OK)
        rc = cli_local_error(st, "the analytic ledger");
    gl_an_axes_free(&axes);
    gl_an_call_done(&k);
    if (rc) {
        an_shares_free(out);
        return rc;
    }
    if (out->count > 1)
        qsort(out->rows, out->count, sizeof *out->rows, share_cmp);
    return 0;
}

const an_share *an_shares_of_line(const an_shares *s, uint16_t fy, uint32_t num, uint16_t line,
                                  size_t *n)
{
    uint64_t want = line_rank(fy, num, line);
    size_t lo = 0, hi = s->count;
    while (lo < hi) { /* the first row not before the line */
        size_t mid = lo + (hi - lo) / 2;
        const an_share *m = &s->rows[mid];
        if (line_rank(m->fy, m->num, m->line) < want)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < s->count &&
           line_rank(s->rows[end].fy, s->rows[end].num, s->rows[end].line) == want)
        end++;
    *n = end - lo;
    return *n ? &s->rows[lo] : NULL;
}

void an_shares_free(an_shares *s)
{
    free(s->rows);
    memset(s, 0, sizeof *s);
}
