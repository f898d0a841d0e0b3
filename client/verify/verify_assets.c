/*
 * client/verify/verify_assets.c — the replay of the fixed-asset register
 * (issue 20, PROTOCOL.md §5.59-§5.61, proto/asset.h).  Events 25-26 of a
 * tenant's chain, and the entries of ASSET_POST requests:
 *   ASSET (25): its signed ASSET_SET's body byte for byte; it passes
 *     gl_asset_check (600); a new code names accounts the chain opened
 *     (405), an acquisition entry before it that debits the asset's
 *     account (603), and leaves at most GL_ASSETS_MAX assets (608); a
 *     known code keeps
 *     its terms (601) and changes its label (the daemon writes nothing
 *     for the same record);
 *   an entry of an ASSET_POST (items 1..n): the entry the register as it
 *     stands and the signed body give at that place (gl_asset_post_plan,
 *     the daemon's own code), byte for byte;
 *   ASSET_POST (26): its signed body byte for byte, as item n + 1 after
 *     exactly the n entries the plan gives (none refused); the register
 *     then moves on (gl_asset_post_apply).
 *
 * State per tenant (struct vf_assets, hung on tstate): the register's rows
 * in code order, their strings pointing into the archive's events.
 */
#include "verify_int.h"

#include "proto/asset.h"
#include "proto/chain.h"

#include <stdio.h>

struct vf_assets {
    gl_asset_state *rows;
    size_t n, cap;
};

void vf_assets_free(struct vf_assets *a)
{
    if (!a)
        return;
    free(a->rows);
    free(a);
}

static struct vf_assets *state(vctx *v)
{
    if (!v->ts.assets && !(v->ts.assets = calloc(1, sizeof *v->ts.assets)))
        vf_out_of_memory(v);
    return v->ts.assets;
}

#define S_(s) (int)(s).len, (s).ptr

/* The place of code in the register (code order: bytes, shorter first). */
static size_t place(const struct vf_assets *s, gl_str code, bool *found)
{
    size_t i = 0;
    *found = false;
    for (; i < s->n; i++) {
        int c = str_cmp(s->rows[i].asset.code, code);
        if (c >= 0) {
            *found = c == 0;
            break;
        }
    }
    return i;
}

static bool account_opened(vctx *v, gl_str account, const gl_asset *a)
{
    acct_key ak = vf_make_acct_key(account);
    acct_val *val = vf_map_get(&v->ts.accounts, &ak, false, &v->nomem);
    if (!val || !val->opened)
        return vf_problem(v, GL_VP_RULE,
                          "asset %.*s: its account %.*s is not an open account (405)", S_(a->code),
                          S_(account));
    return true;
}

/* The acquisition entry named comes before, debiting the asset's account
 * (603). */
static bool acquisition(vctx *v, const gl_asset *a)
{
    if (!a->acq_fy)
        return true;
    num_key nk = vf_make_num_key(a->acq_fy, a->acq_num);
    num_val *nv = vf_map_get(&v->ts.numbers, &nk, false, &v->nomem);
    gl_entry e;
    uint16_t fy;
    uint32_t num;
    bool debits = false;
    if (nv && vf_entry_of(v, v->ts.at, nv->event, &e, &fy, &num)) {
        gl_line_iter it;
        gl_line l;
        gl_line_iter_init(&it, &e);
        while (gl_line_next(&it, &l))
            debits |= l.side == GL_SIDE_DEBIT && str_eq(l.account, a->account);
    }
    return debits ? true
                  : vf_problem(v, GL_VP_RULE,
                               "asset %.*s: entry %u/%u is not its acquisition before it (603)",
                               S_(a->code), (unsigned)a->acq_fy, (unsigned)a->acq_num);
}

static bool insert(vctx *v, struct vf_assets *s, size_t i, const gl_asset *a)
{
    if (!account_opened(v, a->account, a) ||
        (a->grant_cents > 0 && !account_opened(v, a->grant_account, a)) || !acquisition(v, a))
        return false;
    if (s->n >= GL_ASSETS_MAX)
        return vf_problem(v, GL_VP_RULE, "asset %.*s: more than %u assets (608)", S_(a->code),
                          (unsigned)GL_ASSETS_MAX);
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        gl_asset_state *r = realloc(s->rows, cap * sizeof *r);
        if (!r)
            return vf_out_of_memory(v);
        s->rows = r;
        s->cap = cap;
    }
    memmove(s->rows + i + 1, s->rows + i, (s->n - i) * sizeof *s->rows);
    s->rows[i] = (gl_asset_state){.asset = *a};
    s->n++;
    return true;
}

bool vf_event_asset(vctx *v, const gl_event *ev)
{
    gl_asset a;
    if (gl_asset_set_q_decode(ev->payload, ev->payload_len, &a) != GL_OK)
        return vf_problem(v, GL_VP_RECORD, "the asset's record does not decode");
    if (!vf_event_signed_body(v, ev, GL_KIND_ASSET_SET, "asset"))
        return false;
    const char *field;
    if (!gl_asset_check(&a, &field))
        return vf_problem(v, GL_VP_RULE, "asset %.*s: its %s is out of its rule (600)", S_(a.code),
                          field);
    struct vf_assets *s = state(v);
    if (!s)
        return false;
    bool found;
    size_t i = place(s, a.code, &found);
    if (!found)
        return insert(v, s, i, &a);
    if (gl_asset_same(&s->rows[i].asset, &a))
        return vf_problem(v, GL_VP_RULE,
                          "asset %.*s registered again as it stood: the daemon writes nothing then",
                          S_(a.code));
    if (!gl_asset_same_terms(&s->rows[i].asset, &a))
        return vf_problem(v, GL_VP_RULE, "asset %.*s: its terms changed (601)", S_(a.code));
    s->rows[i].asset = a;
    return true;
}

/* The plan's entries, counted; the one at place `want` encoded. */
typedef struct pick {
    uint32_t count, want;
    int layout;
    gl_buf *out;
    int st;
} pick;

static int pick_one(void *user, const gl_entry_in *e, size_t asset)
{
    (void)asset;
    pick *p = user;
    if (++p->count == p->want)
        p->st = gl_entry_encode_layout(p->out, e, p->layout);
    return GL_OK;
}

static int plan(vctx *v, const env_state *es, pick *p, gl_asset_post_q *q)
{
    if (gl_asset_post_q_decode(es->req.body, es->req.body_len, q) != GL_OK)
        return GL_ERR_MALFORMED;
    const char *field;
    if (!gl_asset_post_check(q, &field))
        return GL_ERR_ASSET_POST_INVALID;
    struct vf_assets *s = v->ts.assets;
    char tenant[GL_TENANT_MAX + 1];
    snprintf(tenant, sizeof tenant, "%.*s", S_(v->ts.at->id));
    gl_asset_refusal why;
    return gl_asset_post_plan(q, s ? s->rows : NULL, s ? s->n : 0, v->ts.at->first_month, tenant,
                              pick_one, p, &why);
}

bool vf_check_asset_entry(vctx *v, const env_state *es, const gl_event *ev, const gl_entry *e)
{
    if (!vf_header_tenant(v, es))
        return false;
    gl_buf b;
    gl_buf_init(&b);
    pick p = {0, ev->head.item, request_layout(&es->req), &b, GL_ERR_NOT_FOUND};
    gl_asset_post_q q;
    int st = plan(v, es, &p, &q);
    bool same =
        st == GL_OK && p.st == GL_OK && b.len == e->raw_len && !memcmp(b.data, e->raw, b.len);
    gl_buf_free(&b);
    if (p.st == GL_ERR_NOMEM)
        return vf_out_of_memory(v);
    if (st != GL_OK)
        return vf_problem(v, GL_VP_RULE,
                          "the asset post (envelope %llu) is refused by the register as it "
                          "stands (%s): it writes no entry",
                          (unsigned long long)ev->head.envelope, gl_status_name(st));
    if (!same)
        return vf_problem(v, GL_VP_REQUEST,
                          "not the entry its signed asset post (envelope %llu) gives for item %u",
                          (unsigned long long)ev->head.envelope, ev->head.item);
    return true;
}

bool vf_event_asset_post(vctx *v, const gl_event *ev)
{
    env_state *es = vf_event_request(v, ev, v->ts.seq);
    if (!es || !vf_expect_kind(v, es, GL_KIND_ASSET_POST))
        return false;
    if (es->req.body_len != ev->payload_len || memcmp(es->req.body, ev->payload, ev->payload_len))
        return vf_problem(v, GL_VP_REQUEST, "not the asset post its signed request asked for");
    pick p = {0, 0, 0, NULL, GL_OK};
    gl_asset_post_q q;
    int st = plan(v, es, &p, &q);
    if (st != GL_OK)
        return vf_problem(v, GL_VP_RULE,
                          "the asset post is refused by the register as it "
                          "stands (%s)",
                          gl_status_name(st));
    run *r = &v->ts.cur;
    if (ev->head.item != p.count + 1 || r->item_count != p.count + 1)
        return vf_problem(v, GL_VP_REQUEST,
                          "the asset post writes %u entries, the chain holds %zu before its event",
                          p.count, r->item_count - 1);
    r->saw_asset_post = true; /* vf_end_run checks it */
    struct vf_assets *s = state(v);
    if (s)
        gl_asset_post_apply(&q, s->rows, s->n);
    return s != NULL;
}
