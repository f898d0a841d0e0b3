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
 *     the daemon's own code, planned once per envelope), byte for byte;
 *     a plan of more than GL_ENTRIES_MAX entries is refused (614);
 *   ASSET_POST (26): its signed body byte for byte, as item n + 1 after
 *     exactly the n entries the plan gives (none refused); the register
 *     then moves on (gl_asset_post_apply).
 *
 * State per tenant (struct vf_assets, hung on tstate): the register's rows
 * in code order, their strings pointing into the archive's events, and the
 * plan of the ASSET_POST being replayed.
 */
#include "verify_int.h"

#include "proto/asset.h"
#include "proto/chain.h"

#include <stdio.h>

/* The plan of one ASSET_POST envelope, computed once for its entries and
 * its event (not once per entry: a post may write 10,000 entries), and
 * dropped whenever the register changes: the plan is a function of the
 * register, the signed body and the tenant alone, so the entries checked
 * against it are those a replay at each place would give. */
typedef struct planned {
    bool ready;
    uint64_t envelope;
    int st;            /* the plan's status (GL_OK: written as planned) */
    int encode_st;     /* the first entry that does not encode */
    gl_asset_post_q q; /* its strings point into the signed body */
    int layout;
    gl_buf bytes; /* the entries encoded one after the other */
    size_t *ends; /* entry i (0-based) ends at ends[i] in bytes */
    uint32_t count, cap;
} planned;

struct vf_assets {
    gl_asset_state *rows;
    size_t n, cap;
    planned plan;
};

void vf_assets_free(struct vf_assets *a)
{
    if (!a)
        return;
    gl_buf_free(&a->plan.bytes);
    free(a->plan.ends);
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

/* The register changed: a plan made before is stale. */
static void forget_plan(struct vf_assets *s) { s->plan.ready = false; }

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
    forget_plan(s);
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
    forget_plan(s);
    return true;
}

static int keep_one(void *user, const gl_entry_in *e, size_t asset)
{
    (void)asset;
    planned *p = user;
    if (p->count == p->cap) {
        uint32_t cap = p->cap ? p->cap * 2 : 16;
        size_t *ends = realloc(p->ends, cap * sizeof *ends);
        if (!ends)
            return GL_ERR_NOMEM;
        p->ends = ends;
        p->cap = cap;
    }
    int st = gl_entry_encode_layout(&p->bytes, e, p->layout);
    if (st == GL_OK && !gl_buf_ok(&p->bytes))
        st = GL_ERR_NOMEM;
    if (st != GL_OK && st != GL_ERR_NOMEM && p->encode_st == GL_OK)
        p->encode_st = st; /* never the daemon's: the entry differs */
    p->ends[p->count++] = p->bytes.len;
    return st == GL_ERR_NOMEM ? st : GL_OK;
}

/* The plan of es's body on the register as it stands (NULL: out of
 * memory, reported). */
static planned *plan_of(vctx *v, const env_state *es, uint64_t envelope)
{
    struct vf_assets *s = state(v);
    if (!s)
        return NULL;
    planned *p = &s->plan;
    if (p->ready && p->envelope == envelope)
        return p;
    gl_buf_free(&p->bytes);
    gl_buf_init(&p->bytes);
    p->ready = true;
    p->envelope = envelope;
    p->count = 0;
    p->encode_st = GL_OK;
    p->layout = request_layout(&es->req);
    const char *field;
    if (gl_asset_post_q_decode(es->req.body, es->req.body_len, &p->q) != GL_OK)
        p->st = GL_ERR_MALFORMED;
    else if (!gl_asset_post_check(&p->q, &field))
        p->st = GL_ERR_ASSET_POST_INVALID;
    else {
        char tenant[GL_TENANT_MAX + 1];
        snprintf(tenant, sizeof tenant, "%.*s", S_(v->ts.at->id));
        gl_asset_refusal why;
        p->st = gl_asset_post_plan(&p->q, s->rows, s->n, v->ts.at->first_month, tenant, keep_one, p,
                                   &why);
    }
    if (p->st == GL_ERR_NOMEM) {
        p->ready = false;
        vf_out_of_memory(v);
        return NULL;
    }
    return p;
}

bool vf_check_asset_entry(vctx *v, const env_state *es, const gl_event *ev, const gl_entry *e)
{
    if (!vf_header_tenant(v, es))
        return false;
    planned *p = plan_of(v, es, ev->head.envelope);
    if (!p)
        return false;
    if (p->st != GL_OK)
        return vf_problem(v, GL_VP_RULE,
                          "the asset post (envelope %llu) is refused by the register as it "
                          "stands (%s): it writes no entry",
                          (unsigned long long)ev->head.envelope, gl_status_name(p->st));
    uint32_t item = ev->head.item;
    bool same = false;
    if (item >= 1 && item <= p->count && p->encode_st == GL_OK) {
        size_t from = item > 1 ? p->ends[item - 2] : 0, len = p->ends[item - 1] - from;
        same = len == e->raw_len && !memcmp(p->bytes.data + from, e->raw, len);
    }
    if (!same)
        return vf_problem(v, GL_VP_REQUEST,
                          "not the entry its signed asset post (envelope %llu) gives for item %u",
                          (unsigned long long)ev->head.envelope, item);
    return true;
}

bool vf_event_asset_post(vctx *v, const gl_event *ev)
{
    env_state *es = vf_event_request(v, ev, v->ts.seq);
    if (!es || !vf_expect_kind(v, es, GL_KIND_ASSET_POST))
        return false;
    if (es->req.body_len != ev->payload_len || memcmp(es->req.body, ev->payload, ev->payload_len))
        return vf_problem(v, GL_VP_REQUEST, "not the asset post its signed request asked for");
    planned *p = plan_of(v, es, ev->head.envelope);
    if (!p)
        return false;
    if (p->st != GL_OK)
        return vf_problem(v, GL_VP_RULE,
                          "the asset post is refused by the register as it "
                          "stands (%s)",
                          gl_status_name(p->st));
    run *r = &v->ts.cur;
    if (ev->head.item != p->count + 1 || r->item_count != p->count + 1)
        return vf_problem(v, GL_VP_REQUEST,
                          "the asset post writes %u entries, the chain holds %zu before its event",
                          p->count, r->item_count - 1);
    r->saw_asset_post = true; /* vf_end_run checks it */
    struct vf_assets *s = v->ts.assets;
    gl_asset_post_apply(&p->q, s->rows, s->n);
    forget_plan(s);
    return true;
}
