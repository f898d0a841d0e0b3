/*
 * daemon/group_reader.c — the group's reads, each from ONE read snapshot
 * across every tenant (a recharge is never seen half-written): the stored
 * allocation keys, the combined trial balance with its eliminations, and the
 * intercompany reconciliation.
 *
 * Positions: for each ordered pair (A, B) and category — 1: receivables and
 * payables (class 4), 2: revenues and expenses (classes 6 and 7) — the net
 * (debit - credit) of A's intercompany lines with partner B, from the first
 * day of A's fiscal year to the date.  A pair's category matches when A's
 * and B's positions cancel out (A + B = 0).  Combined = sum of the entities
 * + eliminations, where the eliminations remove exactly the intercompany
 * amounts of the matching pairs (never written into anyone's books); what
 * does not match stays in and is listed by the reconciliation, with the
 * lines that find no counterpart of the same amount on the other side.
 */
#include "asof.h"
#include "ledger.h"
#include "store/keys.h"

#include "proto/assert.h"
#include "proto/date.h"
#include "proto/group.h"
#include "proto/money.h"
#include "proto/status.h"

#include <stdlib.h>
#include <string.h>

#define ENTITIES_MAX (GL_GROUP_MEMBERS_MAX + 1)
#define UNMATCHED_MAX 200

typedef struct entity {
    const gl_tenant_cfg *cfg;
    tenant_rec rec;
    uint16_t fy;
} entity;

typedef struct group_view {
    entity e[ENTITIES_MAX];
    size_t count;
    uint32_t at;
    int64_t pos[ENTITIES_MAX][ENTITIES_MAX][3]; /* [A][B][category] */
} group_view;

static int category(const uint8_t *account)
{
    return account[0] == '4' ? 1 : (account[0] == '6' || account[0] == '7') ? 2 : 0;
}

static int need_group(gl_exec *x)
{
    if (!x->cfg->umbrella[0])
        return exec_fail(x, GL_ERR_NO_GROUP, 0, 0, "%s", gl_status_message(GL_ERR_NO_GROUP));
    return GL_OK;
}

/* The umbrella first, then the members in configuration order. */
static int load_entities(gl_exec *x, group_view *g)
{
    const gl_config *cfg = x->cfg;
    g->count = 0;
    const gl_tenant_cfg *u = gl_config_tenant(cfg, cfg->umbrella, strlen(cfg->umbrella));
    GL_ASSERT(u);
    for (size_t pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < cfg->tenant_count && g->count < ENTITIES_MAX; i++) {
            const gl_tenant_cfg *t = &cfg->tenants[i];
            if ((pass == 0) != (t == u))
                continue;
            entity *e = &g->e[g->count];
            e->cfg = t;
            e->fy = gl_fiscal_year(g->at, t->first_month);
            int st = tenant_load(x->txn, (gl_str){t->id, strlen(t->id)}, &e->rec);
            if (st != GL_OK)
                return st;
            g->count++;
        }
    return GL_OK;
}

static int entity_of_number(const group_view *g, uint32_t number)
{
    for (size_t i = 0; i < g->count; i++)
        if (g->e[i].rec.number == number)
            return (int)i;
    return -1;
}

/* Visit every intercompany per-account total of entity i up to the date:
 * fn(partner index, account, net). */
typedef int (*partner_fn)(void *user, size_t a, int b, const uint8_t *account, int64_t net);

static int scan_partner_daily(gl_exec *x, group_view *g, size_t a, partner_fn fn, void *user)
{
    uint8_t prefix[6];
    gl_be32(prefix, g->e[a].rec.number);
    gl_be16(prefix + 4, g->e[a].fy);
    store_cursor *c;
    store_val k, v;
    int st = store_cursor_open(x->txn, DB_PARTNER_DAILY, &c);
    if (st != GL_OK)
        return st;
    for (st = store_seek(c, prefix, 6, &k, &v); st == GL_OK && store_has_prefix(k, prefix, 6);
         st = store_next(c, &k, &v)) {
        const uint8_t *account = k.ptr + 10;
        uint32_t date = gl_rd32(account + KEY_ACCOUNT_W);
        int b = entity_of_number(g, gl_rd32(k.ptr + 6));
        if (date > g->at || b < 0)
            continue;
        int64_t net = (int64_t)gl_rd64(v.ptr);
        if (!gl_money_sub(&net, (int64_t)gl_rd64(v.ptr + 8)) || (st = fn(user, a, b, account, net)) != GL_OK) {
            st = st == GL_OK ? GL_ERR_OVERFLOW : st;
            break;
        }
    }
    store_cursor_close(c);
    return st == GL_ERR_NOT_FOUND ? GL_OK : st;
}

static int add_position(void *user, size_t a, int b, const uint8_t *account, int64_t net)
{
    group_view *g = user;
    int cat = category(account);
    if (cat && !gl_money_add(&g->pos[a][b][cat], net))
        return GL_ERR_OVERFLOW;
    return GL_OK;
}

static int load_positions(gl_exec *x, group_view *g)
{
    memset(g->pos, 0, sizeof g->pos);
    for (size_t a = 0; a < g->count; a++) {
        int st = scan_partner_daily(x, g, a, add_position, g);
        if (st != GL_OK)
            return st;
    }
    return GL_OK;
}

static bool pair_matches(const group_view *g, size_t a, size_t b, int cat)
{
    return g->pos[a][b][cat] + g->pos[b][a][cat] == 0;
}

static int view_open(gl_exec *x, group_view *g)
{
    int st = need_group(x);
    if (st == GL_OK)
        st = gl_date_body_decode(x->req->body, x->req->body_len, &g->at);
    GL_ASSERT(st == GL_OK || st == GL_ERR_NO_GROUP);
    if (st == GL_OK)
        st = load_entities(x, g);
    if (st == GL_OK)
        st = load_positions(x, g);
    return st == GL_ERR_OVERFLOW ? exec_fail(x, st, 0, 0, "an intercompany position overflows") : st;
}

/* --- combined trial balance --- */

typedef struct combined_row {
    uint8_t account[KEY_ACCOUNT_W];
    int64_t net[ENTITIES_MAX];
    int64_t elim;
    size_t first_entity;
} combined_row;

typedef struct combined {
    combined_row *rows;
    size_t count, cap;
    bool overflow;
    group_view *g;
} combined;

static combined_row *row_for(combined *c, const uint8_t *account, size_t entity_index)
{
    size_t lo = 0, hi = c->count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int cmp = memcmp(c->rows[mid].account, account, KEY_ACCOUNT_W);
        if (cmp == 0)
            return &c->rows[mid];
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (c->count == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        combined_row *n = realloc(c->rows, cap * sizeof *n);
        if (!n)
            return NULL;
        c->rows = n;
        c->cap = cap;
    }
    memmove(&c->rows[lo + 1], &c->rows[lo], (c->count - lo) * sizeof *c->rows);
    c->count++;
    memset(&c->rows[lo], 0, sizeof c->rows[lo]);
    memcpy(c->rows[lo].account, account, KEY_ACCOUNT_W);
    c->rows[lo].first_entity = entity_index;
    return &c->rows[lo];
}

struct entity_walk {
    combined *c;
    size_t i;
};

static int add_entity_account(void *user, const uint8_t *account, int64_t debit, int64_t credit)
{
    struct entity_walk *w = user;
    combined_row *r = row_for(w->c, account, w->i);
    if (!r)
        return GL_ERR_INTERNAL;
    w->c->overflow |= !gl_money_add(&r->net[w->i], debit) || !gl_money_sub(&r->net[w->i], credit);
    return GL_OK;
}

static int entity_balances(gl_exec *x, combined *c, size_t i)
{
    struct entity_walk w = {c, i};
    int st = asof_accounts(x->txn, c->g->e[i].rec.number, c->g->e[i].fy, c->g->at, add_entity_account, &w);
    return st == GL_ERR_OVERFLOW ? (c->overflow = true, GL_OK) : st;
}

static int eliminate(void *user, size_t a, int b, const uint8_t *account, int64_t net)
{
    combined *c = user;
    int cat = category(account);
    if (!cat || !pair_matches(c->g, a, (size_t)b, cat))
        return GL_OK;
    combined_row *r = row_for(c, account, a);
    if (!r)
        return GL_ERR_INTERNAL;
    c->overflow |= !gl_money_sub(&r->elim, net);
    return GL_OK;
}

static gl_str label_of(gl_exec *x, uint32_t tenant, const uint8_t *account)
{
    uint8_t k[KEY_ACCOUNTS_LEN];
    store_val v;
    gl_be32(k, tenant);
    memcpy(k + 4, account, KEY_ACCOUNT_W);
    if (store_get(x->txn, DB_ACCOUNTS, k, sizeof k, &v) != GL_OK || v.len < 2 || v.ptr[1] > v.len - 2)
        return (gl_str){"", 0};
    return (gl_str){(const char *)v.ptr + 2, v.ptr[1]};
}

int query_group_balance(gl_exec *x)
{
    group_view *g = calloc(1, sizeof *g);
    combined c = {.g = g};
    int st = g ? view_open(x, g) : GL_ERR_INTERNAL;
    for (size_t i = 0; st == GL_OK && i < g->count; i++)
        st = entity_balances(x, &c, i);
    for (size_t i = 0; st == GL_OK && i < g->count; i++)
        st = scan_partner_daily(x, g, i, eliminate, &c);
    if (st == GL_OK && c.overflow)
        st = exec_fail(x, GL_ERR_OVERFLOW, 0, 0, "a combined total overflows");
    if (st == GL_OK) {
        gl_put_u32(x->body, g->at);
        gl_put_u8(x->body, (uint8_t)g->count);
        for (size_t i = 0; i < g->count; i++) {
            gl_put_str8(x->body, g->e[i].cfg->id, strlen(g->e[i].cfg->id));
            gl_put_u16(x->body, g->e[i].fy);
        }
        gl_put_u32(x->body, (uint32_t)c.count);
        for (size_t r = 0; r < c.count; r++) {
            combined_row *row = &c.rows[r];
            gl_str account = key_unpad(row->account, KEY_ACCOUNT_W);
            gl_str label = label_of(x, g->e[row->first_entity].rec.number, row->account);
            gl_put_str8(x->body, account.ptr, account.len);
            gl_put_str8(x->body, label.ptr, label.len);
            for (size_t i = 0; i < g->count; i++)
                gl_put_i64(x->body, row->net[i]);
            gl_put_i64(x->body, row->elim);
        }
        st = gl_buf_ok(x->body) ? GL_OK : GL_ERR_INTERNAL;
    }
    free(c.rows);
    free(g);
    return st;
}

/* --- reconciliation --- */

typedef struct ic_line {
    uint16_t fy;
    uint32_t num;
    uint32_t date;
    uint8_t account[KEY_ACCOUNT_W];
    int64_t amount;
    bool matched;
} ic_line;

typedef struct ic_lines {
    ic_line *v;
    size_t count, cap;
} ic_lines;

/* A's intercompany lines with B of one category, up to the date. */
static int load_lines(gl_exec *x, const group_view *g, size_t a, size_t b, int cat, ic_lines *out)
{
    uint8_t prefix[10];
    gl_be32(prefix, g->e[a].rec.number);
    gl_be32(prefix + 4, g->e[b].rec.number);
    gl_be16(prefix + 8, g->e[a].fy);
    store_cursor *c;
    store_val k, v;
    int st = store_cursor_open(x->txn, DB_PARTNER_LINES, &c);
    if (st != GL_OK)
        return st;
    for (st = store_seek(c, prefix, 10, &k, &v); st == GL_OK && store_has_prefix(k, prefix, 10);
         st = store_next(c, &k, &v)) {
        uint32_t date = gl_rd32(k.ptr + 10);
        if (date > g->at)
            break;
        if (category(v.ptr) != cat)
            continue;
        if (out->count == out->cap) {
            size_t cap = out->cap ? out->cap * 2 : 64;
            ic_line *n = realloc(out->v, cap * sizeof *n);
            if (!n) {
                st = GL_ERR_INTERNAL;
                break;
            }
            out->v = n;
            out->cap = cap;
        }
        ic_line *l = &out->v[out->count++];
        l->fy = gl_rd16(k.ptr + 8);
        l->date = date;
        l->num = gl_rd32(k.ptr + 14);
        memcpy(l->account, v.ptr, KEY_ACCOUNT_W);
        l->amount = (int64_t)gl_rd64(v.ptr + KEY_ACCOUNT_W);
        l->matched = false;
    }
    store_cursor_close(c);
    return st == GL_ERR_NOT_FOUND ? GL_OK : st;
}

/* Pair each line of one side with an unmatched line of the other side of
 * the opposite amount. */
static void match_lines(ic_lines *a, ic_lines *b)
{
    for (size_t i = 0; i < a->count; i++)
        for (size_t j = 0; j < b->count; j++)
            if (!b->v[j].matched && b->v[j].amount == -a->v[i].amount) {
                a->v[i].matched = b->v[j].matched = true;
                break;
            }
}

static void put_unmatched(gl_exec *x, const group_view *g, size_t who, const ic_lines *l, uint16_t *n)
{
    for (size_t i = 0; i < l->count && *n < UNMATCHED_MAX; i++) {
        if (l->v[i].matched)
            continue;
        gl_entry e;
        store_val raw;
        gl_str label = {"", 0};
        if (ledger_read_entry(x->txn, g->e[who].rec.number, l->v[i].fy, l->v[i].num, &e, &raw) == GL_OK)
            label = e.label;
        gl_str account = key_unpad(l->v[i].account, KEY_ACCOUNT_W);
        gl_put_str8(x->body, g->e[who].cfg->id, strlen(g->e[who].cfg->id));
        gl_put_u16(x->body, l->v[i].fy);
        gl_put_u32(x->body, l->v[i].num);
        gl_put_u32(x->body, l->v[i].date);
        gl_put_str8(x->body, account.ptr, account.len);
        gl_put_i64(x->body, l->v[i].amount);
        gl_put_str8(x->body, label.ptr, label.len);
        (*n)++;
    }
}

enum { PAIR_MATCHED = 0, PAIR_MISMATCHED = 1, PAIR_ONE_SIDED = 2 };

static int reconcile_pair(gl_exec *x, const group_view *g, size_t a, size_t b, int cat)
{
    int64_t pa = g->pos[a][b][cat], pb = g->pos[b][a][cat], diff = pa;
    bool ok = gl_money_add(&diff, pb);
    uint8_t status = diff == 0 && ok ? PAIR_MATCHED : (pa == 0 || pb == 0) ? PAIR_ONE_SIDED : PAIR_MISMATCHED;
    gl_put_str8(x->body, g->e[a].cfg->id, strlen(g->e[a].cfg->id));
    gl_put_str8(x->body, g->e[b].cfg->id, strlen(g->e[b].cfg->id));
    gl_put_u8(x->body, (uint8_t)cat);
    gl_put_i64(x->body, pa);
    gl_put_i64(x->body, pb);
    gl_put_u8(x->body, status);
    gl_put_i64(x->body, ok ? diff : 0);
    size_t n_at = x->body->len;
    uint16_t n = 0;
    gl_put_u16(x->body, 0);
    if (status == PAIR_MATCHED)
        return GL_OK;
    ic_lines la = {0}, lb = {0};
    int st = load_lines(x, g, a, b, cat, &la);
    if (st == GL_OK)
        st = load_lines(x, g, b, a, cat, &lb);
    if (st == GL_OK) {
        match_lines(&la, &lb);
        put_unmatched(x, g, a, &la, &n);
        put_unmatched(x, g, b, &lb, &n);
        if (gl_buf_ok(x->body))
            gl_be16(x->body->data + n_at, n);
    }
    free(la.v);
    free(lb.v);
    return st;
}

int query_group_reconcile(gl_exec *x)
{
    group_view *g = calloc(1, sizeof *g);
    int st = g ? view_open(x, g) : GL_ERR_INTERNAL;
    if (st == GL_OK) {
        gl_put_u32(x->body, g->at);
        size_t count_at = x->body->len;
        uint16_t pairs = 0;
        gl_put_u16(x->body, 0);
        for (size_t a = 0; a < g->count && st == GL_OK; a++)
            for (size_t b = a + 1; b < g->count && st == GL_OK; b++)
                for (int cat = 1; cat <= 2 && st == GL_OK; cat++) {
                    if (g->pos[a][b][cat] == 0 && g->pos[b][a][cat] == 0)
                        continue;
                    st = reconcile_pair(x, g, a, b, cat);
                    pairs++;
                }
        if (st == GL_OK && gl_buf_ok(x->body))
            gl_be16(x->body->data + count_at, pairs);
        st = st == GL_OK && !gl_buf_ok(x->body) ? GL_ERR_INTERNAL : st;
    }
    free(g);
    return st;
}

int query_keys(gl_exec *x)
{
    uint16_t version;
    int st = gl_u16_body_decode(x->req->body, x->req->body_len, &version);
    GL_ASSERT(st == GL_OK);
    uint8_t k[2];
    store_val v;
    gl_be16(k, version);
    st = store_get(x->txn, DB_RECHARGE_KEYS, k, sizeof k, &v);
    if (st == GL_ERR_NOT_FOUND)
        return exec_fail(x, st, 0, 0, "no allocation keys version %u", version);
    if (st != GL_OK)
        return st;
    gl_put_bytes(x->body, v.ptr, v.len); /* used u8 | version u16 | count u16 | items */
    return gl_buf_ok(x->body) ? GL_OK : GL_ERR_INTERNAL;
}
