/*
 * client/verify/verify_index.c — lookups into what was replayed or
 * archived: a tenant's fiscal years, an entry event by index, and the index
 * of every tenant's entry events by (envelope, item), built once before the
 * chains are replayed, in which the other half of a recharge or of dues is
 * found.
 */
#include "verify_int.h"

year_state *vf_year_get(vctx *v, uint16_t fy)
{
    tstate *ts = &v->ts;
    for (size_t i = 0; i < ts->year_count; i++)
        if (ts->years[i].fy == fy)
            return &ts->years[i];
    if (ts->year_count == ts->year_cap) {
        size_t cap = ts->year_cap ? ts->year_cap * 2 : 8;
        year_state *n = realloc(ts->years, cap * sizeof *n);
        if (!n) {
            vf_out_of_memory(v);
            return NULL;
        }
        ts->years = n;
        ts->year_cap = cap;
    }
    year_state *y = &ts->years[ts->year_count++];
    memset(y, 0, sizeof *y);
    y->fy = fy;
    y->next = 1;
    y->sum.fy = fy;
    return y;
}

year_state *vf_year_find(tstate *ts, uint16_t fy)
{
    for (size_t i = 0; i < ts->year_count; i++)
        if (ts->years[i].fy == fy)
            return &ts->years[i];
    return NULL;
}

/* The entry of event i of tenant t (which was decoded once already). */
bool vf_entry_of(const vctx *v, const gl_archive_tenant *t, uint32_t i, gl_entry *e, uint16_t *fy,
                 uint32_t *num)
{
    gl_event ev;
    if (i >= t->event_count ||
        gl_event_decode(t->events[i].record, t->events[i].record_len, &ev) != GL_OK ||
        !gl_event_entry_layout(ev.type))
        return false;
    (void)v;
    return entry_payload(&ev, fy, num, e) == GL_OK;
}

static int index_cmp(const void *pa, const void *pb)
{
    const index_row *a = pa, *b = pb;
    if (a->envelope != b->envelope)
        return a->envelope < b->envelope ? -1 : 1;
    if (a->item != b->item)
        return a->item < b->item ? -1 : 1;
    if (a->tenant != b->tenant)
        return a->tenant < b->tenant ? -1 : 1;
    return a->event < b->event ? -1 : a->event > b->event;
}

bool vf_build_index(vctx *v)
{
    size_t n = 0;
    for (uint16_t t = 0; t < v->a->tenant_count; t++)
        n += v->a->tenants[t].has_chain ? v->a->tenants[t].event_count : 0;
    v->index = calloc(n ? n : 1, sizeof *v->index);
    if (!v->index)
        return vf_out_of_memory(v);
    for (uint16_t t = 0; t < v->a->tenant_count; t++) {
        const gl_archive_tenant *at = &v->a->tenants[t];
        for (uint32_t i = 0; at->has_chain && i < at->event_count; i++) {
            gl_event ev;
            if (gl_event_decode(at->events[i].record, at->events[i].record_len, &ev) != GL_OK ||
                !gl_event_entry_layout(ev.type))
                continue;
            v->index[v->index_count++] = (index_row){ev.head.envelope, ev.head.item, t, i};
        }
    }
    sort_items(v->index, v->index_count, sizeof *v->index, index_cmp);
    return true;
}

/* The entry event (envelope, item) in tenant t's chain, or NULL. */
const index_row *vf_index_find(const vctx *v, uint64_t envelope, uint32_t item, uint16_t t)
{
    index_row key = {envelope, item, t, 0};
    size_t lo = 0, hi = v->index_count;
    while (lo < hi) { /* the first row >= key */
        size_t mid = lo + (hi - lo) / 2;
        if (index_cmp(&v->index[mid], &key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < v->index_count && v->index[lo].envelope == envelope && v->index[lo].item == item &&
        v->index[lo].tenant == t)
        return &v->index[lo];
    return NULL;
}

int vf_tenant_index(const vctx *v, const gl_archive_tenant *t) { return (int)(t - v->a->tenants); }

/* The tenant whose group code is code (NULL if none). */
const gl_archive_tenant *vf_tenant_by_code(const vctx *v, gl_str code)
{
    for (uint16_t i = 0; i < v->a->tenant_count; i++)
        if (code.len && str_eq(v->a->tenants[i].code, code))
            return &v->a->tenants[i];
    return NULL;
}
