/*
 * client/verify/verify_carry.c — the replay of carry-over modes (CARRY_MODE
 * events, issue 17) and the à-nouveaux of a close when some account is
 * detailed: a line per open item (an unlettered line of the closed year,
 * with the open_item naming its origin) and the rest of its balance, in
 * the order the daemon writes them (rules/close.c).
 */
#include "verify_int.h"

#include "proto/carry.h"

#include <stdio.h>

bool vf_event_carry_mode(vctx *v, const gl_event *ev)
{
    /* the payload has the request body's layout: account str8 | mode u8 */
    gl_carry_mode_q got;
    if (gl_carry_mode_q_decode_stored(ev->payload, ev->payload_len, &got) != GL_OK)
        return vf_problem(v, GL_VP_RECORD, "the carry-over mode does not decode");
    tstate *ts = &v->ts;
    gl_str account = got.account;
    uint8_t mode = got.mode;
    env_state *es = vf_event_request(v, ev, ts->seq);
    if (!es || !vf_expect_kind(v, es, GL_KIND_CARRY_MODE_SET) || !vf_header_tenant(v, es))
        return false;
    gl_carry_mode_q q;
    if (gl_carry_mode_q_decode_stored(es->req.body, es->req.body_len, &q) != GL_OK ||
        ev->head.item != 1 || !str_eq(q.account, account) || q.mode != mode)
        return vf_problem(v, GL_VP_REQUEST, "not the carry-over mode its signed request asked for");
    acct_key k = vf_make_acct_key(account);
    acct_val *a = vf_map_get(&ts->accounts, &k, false, &v->nomem);
    if (!a || !a->opened)
        return vf_problem(v, GL_VP_RULE,
                          "sets the carry-over of account %.*s, which was not opened",
                          (int)account.len, account.ptr);
    if (account.ptr[0] < '1' || account.ptr[0] > '5' || a->carry_mode == mode)
        return vf_problem(
            v, GL_VP_RULE,
            "sets account %.*s's carry-over to the mode it has, or outside classes 1-5",
            (int)account.len, account.ptr);
    a->carry_mode = mode;
    if (mode == GL_CARRY_DETAILED)
        ts->detailed_accounts++;
    else
        ts->detailed_accounts--;
    return true;
}

bool vf_any_detailed(vctx *v) { return v->ts.detailed_accounts > 0; }

/* One line of the à-nouveaux being rebuilt. */
typedef struct vline {
    char account[GL_ACCOUNT_MAX + 1], aux[GL_AUX_MAX + 1], aux_label[GL_LABEL_MAX + 1];
    int64_t net; /* signed: debit > 0 */
    uint8_t ext[GL_OPEN_ITEM_ITEM_MAX];
    size_t ext_len;
    uint32_t date, num;
    uint16_t line;
    uint8_t rest; /* 1: the (account, aux) balance, after its items */
} vline;

typedef struct vlines {
    vline *l;
    size_t n, cap;
} vlines;

static vline *vline_push(vctx *v, vlines *a, gl_str account, gl_str aux)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 64;
        vline *n = realloc(a->l, cap * sizeof *n);
        if (!n) {
            vf_out_of_memory(v);
            return NULL;
        }
        a->l = n;
        a->cap = cap;
    }
    vline *l = &a->l[a->n++];
    memset(l, 0, sizeof *l);
    snprintf(l->account, sizeof l->account, "%.*s", (int)account.len, account.ptr);
    snprintf(l->aux, sizeof l->aux, "%.*s", (int)aux.len, aux.ptr);
    return l;
}

static int vline_cmp(const void *pa, const void *pb)
{
    const vline *a = pa, *b = pb;
    int c = str_cmp(cstr(a->account), cstr(b->account));
    if (!c)
        c = str_cmp(cstr(a->aux), cstr(b->aux));
    if (!c)
        c = (int)a->rest - (int)b->rest;
    if (!c)
        c = a->date != b->date ? (a->date > b->date ? 1 : -1)
            : a->num != b->num ? (a->num > b->num ? 1 : -1)
                               : (int)a->line - (int)b->line;
    return c;
}

static bool detailed(vctx *v, gl_str account)
{
    acct_key k = vf_make_acct_key(account);
    acct_val *a = vf_map_get(&v->ts.accounts, &k, false, &v->nomem);
    return a && a->carry_mode == GL_CARRY_DETAILED;
}

/* The balances of fy: every class 1-5 one of a summarised account that is
 * not zero, and every one of a detailed account (its rest line). */
static bool balance_lines(vctx *v, uint16_t fy, vlines *out)
{
    const bal_key *k;
    const bal_val *b;
    for (size_t i = 0; vf_next_balance(&v->ts.balances, &i, &k, &b);) {
        gl_str account = {k->account, k->alen}, aux = {k->aux, k->xlen};
        if (k->fy != fy || k->alen == 0 || k->account[0] < '1' || k->account[0] > '5')
            continue;
        int64_t net = b->debit - b->credit; /* both >= 0: cannot overflow */
        if (!net && !detailed(v, account))
            continue;
        vline *l = vline_push(v, out, account, aux);
        if (!l)
            return false;
        l->net = net;
        l->rest = 1;
    }
    return true;
}

/* The unlettered lines of fy on detailed accounts, with their open_item. */
static bool item_lines(vctx *v, uint16_t fy, vlines *out)
{
    tstate *ts = &v->ts;
    year_state *y = vf_year_find(ts, fy);
    for (uint32_t num = 1; y && num < y->next; num++) {
        num_key nk = vf_make_num_key(fy, num);
        num_val *nv = vf_map_get(&ts->numbers, &nk, false, &v->nomem);
        gl_entry e;
        uint16_t efy;
        uint32_t enum_;
        if (!nv || !vf_entry_of(v, ts->at, nv->event, &e, &efy, &enum_))
            continue;
        gl_line_iter it;
        gl_line l;
        uint16_t n = 0;
        gl_line_iter_init(&it, &e);
        while (gl_line_next(&it, &l)) {
            n++;
            line_key lk = {num, fy, n};
            line_val *lv = vf_map_get(&ts->lines, &lk, false, &v->nomem);
            if (l.account.len == 0 || l.account.ptr[0] < '1' || l.account.ptr[0] > '5' ||
                (lv && lv->lettered) || !detailed(v, l.account))
                continue;
            vline *o = vline_push(v, out, l.account, l.aux);
            if (!o)
                return false;
            o->net = signed_amount(&l);
            o->date = e.date;
            o->num = num;
            o->line = n;
            gl_open_item oi;
            if (!gl_line_open_item(l.ext, l.ext_len, &oi))
                oi = (gl_open_item){e.piece_ref, e.piece_date, fy, num, n};
            o->ext_len = gl_open_item_put(o->ext, &oi);
        }
    }
    return !v->nomem;
}

/* Each rest line takes its balance less its items; zero ones are dropped. */
static size_t settle(vlines *a)
{
    size_t kept = 0;
    int64_t items = 0;
    for (size_t i = 0; i < a->n; i++) {
        vline *l = &a->l[i];
        if (!l->rest) {
            items += l->net; /* bounded by the balances, checked by the daemon's close */
            a->l[kept++] = *l;
            continue;
        }
        l->net -= items;
        items = 0;
        if (l->net)
            a->l[kept++] = *l;
    }
    return kept;
}

bool vf_opening_lines(vctx *v, uint16_t fy, gl_line_in **lines, gl_ext_in **ext, void **keep,
                      size_t *n)
{
    vlines a = {0};
    *lines = NULL;
    *ext = NULL;
    *keep = NULL;
    *n = 0;
    if (!balance_lines(v, fy, &a) || !item_lines(v, fy, &a)) {
        free(a.l);
        return false;
    }
    sort_items(a.l, a.n, sizeof *a.l, vline_cmp);
    size_t count = settle(&a);
    *lines = calloc(count ? count : 1, sizeof **lines);
    *ext = calloc(count ? count : 1, sizeof **ext);
    if (!*lines || !*ext) {
        free(a.l);
        return vf_out_of_memory(v);
    }
    for (size_t i = 0; i < count; i++) {
        vline *l = &a.l[i];
        acct_key k = vf_make_acct_key(cstr(l->aux));
        const gl_str *label =
            l->aux[0] ? vf_map_get(&v->ts.aux_labels, &k, false, &v->nomem) : NULL;
        if (label)
            snprintf(l->aux_label, sizeof l->aux_label, "%.*s", (int)label->len, label->ptr);
        (*lines)[i] = (gl_line_in){l->account,
                                   l->aux,
                                   l->aux_label,
                                   "",
                                   l->net > 0 ? GL_SIDE_DEBIT : GL_SIDE_CREDIT,
                                   l->net > 0 ? l->net : -l->net};
        (*ext)[i] = (gl_ext_in){l->ext, l->ext_len};
    }
    *keep = a.l;
    *n = count;
    return true;
}
