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
 * and B's positions cancel out (A + B = 0): the reconciliation's status.
 *
 * Eliminations are line by line (issue 20): each intercompany line of A
 * with B is paired with a line of B with A of the same category and the
 * opposite amount, first one with the same piece reference (a recharge's or
 * dues' two entries, an invoice booked under the issuer's number), then any
 * left of the opposite amount; the paired lines are eliminated on the
 * accounts each side used, the unpaired ones stay in the combined column and
 * are reported apart, per account, as the reciprocal-flow differences
 * (écarts de réciprocité), and listed by the reconciliation.  Both sides of
 * a pair cancel out, so the eliminations never change the combined result.
 * Combined = sum of the entities + eliminations + adjustments, the last the
 * combination ledger's balances ([group] combination: the accountant's
 * entries of the combined accounts alone, never an entity).
 * Positions are summed exactly (128 bits): they add up many accounts' totals,
 * which the caps on totals bound one by one but not together.
 *
 * The combined trial balance is paged (rows of the accounts after a cursor,
 * at most `limit` of them) and every page shows the group as it stood at
 * the first page's watermark (the last envelope number then): the totals
 * hold everything committed since, so what entries written after the
 * watermark added (read back from each tenant's chain, newest first, and
 * their intercompany lines from partner_lines) is taken off again, both
 * from the rows and from the positions that decide which pairs match.
 * Each page costs one walk of the positions plus what was written since the
 * first page.
 */
#include "asof.h"
#include "handlers.h"
#include "entries.h"
#include "ledger.h"
#include "store/keys.h"
#include "store/values.h"

#include "proto/assert.h"
#include "proto/date.h"
#include "proto/group.h"
#include "proto/money.h"
#include "proto/reply_group.h"
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
    entity e[ENTITIES_MAX + 1]; /* the entities, then the combination ledger if any */
    size_t count;               /* entities */
    size_t all;                 /* + 1 with a combination ledger */
    uint32_t at;
    __int128 pos[ENTITIES_MAX][ENTITIES_MAX][3]; /* [A][B][category], exact */
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

static int load_entity(gl_exec *x, group_view *g, entity *e, const gl_tenant_cfg *t)
{
    e->cfg = t;
    e->fy = gl_fiscal_year(g->at, t->first_month);
    return tenant_load(x->txn, (gl_str){t->id, strlen(t->id)}, &e->rec);
}

/* The umbrella first, then the members in configuration order, then the
 * combination ledger (no entity). */
static int load_entities(gl_exec *x, group_view *g)
{
    const gl_config *cfg = x->cfg;
    g->count = 0;
    const gl_tenant_cfg *u = gl_config_tenant(cfg, cfg->umbrella, strlen(cfg->umbrella));
    GL_ASSERT(u);
    for (size_t pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < cfg->tenant_count && g->count < ENTITIES_MAX; i++) {
            const gl_tenant_cfg *t = &cfg->tenants[i];
            if ((pass == 0) != (t == u) || gl_config_is_combination(cfg, t->id))
                continue;
            int st = load_entity(x, g, &g->e[g->count], t);
            if (st != GL_OK)
                return st;
            g->count++;
        }
    g->all = g->count;
    const gl_tenant_cfg *c = gl_config_tenant(cfg, cfg->combination, strlen(cfg->combination));
    if (cfg->combination[0] && c) {
        int st = load_entity(x, g, &g->e[g->all], c);
        if (st != GL_OK)
            return st;
        g->all++;
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
    uint8_t prefix[KEY_TENANT_FY_PREFIX_LEN];
    key_tenant_fy(prefix, g->e[a].rec.number, g->e[a].fy);
    store_scan s;
    int st = store_scan_begin(&s, x->txn, DB_PARTNER_DAILY, prefix, sizeof prefix, sizeof prefix);
    while (st == GL_OK && store_scan_next(&s)) {
        key_parts kp;
        store_pair p;
        if (!key_partner_daily_parse(s.k, &kp) || store_pair_decode(s.v, &p) != GL_OK) {
            st = GL_ERR_STORAGE;
            break;
        }
        const uint8_t *account = kp.account;
        uint32_t date = kp.date;
        int b = entity_of_number(g, kp.partner);
        if (date > g->at || b < 0)
            continue;
        int64_t net = p.debit;
        if (!gl_money_sub(&net, p.credit) || (st = fn(user, a, b, account, net)) != GL_OK) {
            st = st == GL_OK ? GL_ERR_OVERFLOW : st;
            break;
        }
    }
    return store_scan_close(&s, st);
}

static int add_position(void *user, size_t a, int b, const uint8_t *account, int64_t net)
{
    group_view *g = user;
    int cat = category(account);
    if (cat)
        g->pos[a][b][cat] += net; /* at most one i64 per stored row: no overflow in 128 bits */
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

/* The entities and their positions as of the snapshot, at date `at`. */
static int view_open(gl_exec *x, group_view *g, uint32_t at)
{
    g->at = at;
    int st = need_group(x);
    if (st == GL_OK)
        st = load_entities(x, g);
    if (st == GL_OK)
        st = load_positions(x, g);
    return st == GL_ERR_OVERFLOW ? exec_fail(x, st, 0, 0, "an intercompany total overflows") : st;
}

/* --- what was written after the watermark --- */

/* An entry counted in an entity's totals (its fiscal year, dated up to `at`,
 * not a result-closing entry) but written after the watermark. */
typedef struct late_entry {
    size_t entity;
    uint16_t fy;
    uint32_t num;
    gl_entry e; /* views into the read snapshot */
} late_entry;

/* An intercompany line of a late entry: entity a's line with partner b. */
typedef struct late_line {
    size_t a, b;
    uint8_t account[KEY_ACCOUNT_W];
    int64_t amount; /* debit > 0 */
} late_line;

typedef struct late_set {
    late_entry *entries;
    size_t count, cap;
    late_line *lines;
    size_t line_count, line_cap;
} late_set;

static void late_free(late_set *l)
{
    free(l->entries);
    free(l->lines);
    memset(l, 0, sizeof *l);
}

static bool grow(void **v, size_t *cap, size_t count, size_t size)
{
    if (count < *cap)
        return true;
    size_t n = *cap ? *cap * 2 : 64;
    void *p = realloc(*v, n * size);
    if (!p)
        return false;
    *v = p;
    *cap = n;
    return true;
}

/* Entity a's chain from its head back to the watermark: the entries that
 * its totals as of `at` hold and the watermark does not. */
static int late_entries(gl_exec *x, const group_view *g, size_t a, uint64_t watermark,
                        late_set *out)
{
    const entity *en = &g->e[a];
    for (uint64_t seq = en->rec.chain_seq; seq >= 1; seq--) {
        uint8_t k[KEY_EVENTS_LEN];
        store_val v;
        gl_event ev;
        key_events(k, en->rec.number, seq);
        int st = store_get(x->txn, DB_EVENTS, k, sizeof k, &v);
        if (st != GL_OK)
            return st == GL_ERR_NOT_FOUND ? GL_ERR_STORAGE : st;
        if (gl_event_decode(v.ptr, v.len, &ev) != GL_OK)
            return GL_ERR_STORAGE;
        if (ev.head.envelope <= watermark)
            break; /* envelope numbers only grow along a chain */
        if (!gl_event_entry_layout(ev.type))
            continue;
        late_entry le = {.entity = a};
        if (gl_event_entry(&ev, &le.fy, &le.num, &le.e) !=
            GL_OK) /* stored text (gl_cur_init_stored) */
            return GL_ERR_STORAGE;
        if (le.fy != en->fy || (le.e.flags & GL_ENTRY_RESULT_CLOSING) || le.e.date > g->at)
            continue;
        if (!grow((void **)&out->entries, &out->cap, out->count, sizeof *out->entries))
            return GL_ERR_INTERNAL;
        out->entries[out->count++] = le;
    }
    return GL_OK;
}

/* The intercompany lines of a late entry, as the writer recorded them. */
static int late_lines(gl_exec *x, const group_view *g, const late_entry *le, late_set *out)
{
    for (size_t b = 0; b < g->count; b++) {
        if (b == le->entity)
            continue;
        uint8_t start[KEY_PARTNER_LINES_LEN];
        key_partner_lines(start, g->e[le->entity].rec.number, g->e[b].rec.number, le->fy,
                          le->e.date, le->num, 0);
        store_scan s;
        int st = store_scan_begin(&s, x->txn, DB_PARTNER_LINES, start,
                                  KEY_PARTNER_LINES_ENTRY_PREFIX_LEN,
                                  KEY_PARTNER_LINES_ENTRY_PREFIX_LEN);
        while (st == GL_OK && store_scan_next(&s)) {
            store_partner_line pl;
            if (store_partner_line_decode(s.v, &pl) != GL_OK) {
                st = GL_ERR_STORAGE;
                break;
            }
            if (!grow((void **)&out->lines, &out->line_cap, out->line_count, sizeof *out->lines)) {
                st = GL_ERR_INTERNAL;
                break;
            }
            late_line *l = &out->lines[out->line_count++];
            l->a = le->entity;
            l->b = b;
            memcpy(l->account, pl.account, KEY_ACCOUNT_W);
            l->amount = pl.amount;
        }
        if ((st = store_scan_close(&s, st)) != GL_OK)
            return st;
    }
    return GL_OK;
}

/* Everything written after the watermark, taken off the positions. */
static int load_late(gl_exec *x, group_view *g, uint64_t watermark, late_set *late)
{
    int st = GL_OK;
    for (size_t a = 0; a < g->all && st == GL_OK; a++)
        st = late_entries(x, g, a, watermark, late);
    for (size_t i = 0; i < late->count && st == GL_OK; i++)
        if (late->entries[i].entity < g->count) /* the combination ledger is no partner */
            st = late_lines(x, g, &late->entries[i], late);
    for (size_t i = 0; i < late->line_count && st == GL_OK; i++) {
        const late_line *l = &late->lines[i];
        int cat = category(l->account);
        if (cat)
            g->pos[l->a][l->b][cat] -= l->amount;
    }
    return st;
}

/* --- combined trial balance, one page --- */

typedef struct page_row {
    uint8_t account[KEY_ACCOUNT_W];
    int64_t debit[ENTITIES_MAX + 1], credit[ENTITIES_MAX + 1]; /* + the combination ledger */
    int64_t elim, gap;
} page_row;

typedef struct page {
    group_view *g;
    const uint8_t *after; /* NULL on the first page */
    uint8_t (*keys)[KEY_ACCOUNT_W];
    size_t key_count, key_cap, taken, take_max;
    page_row *rows; /* the page's accounts, in order */
    size_t count;
    size_t entity;
    bool overflow;
} page;

/* Phase 1: the first take_max accounts of one entity after the cursor. */
static int collect_key(void *user, const uint8_t *account, int64_t debit, int64_t credit)
{
    (void)debit;
    (void)credit;
    page *p = user;
    if (!grow((void **)&p->keys, &p->key_cap, p->key_count, sizeof *p->keys))
        return GL_ERR_INTERNAL;
    memcpy(p->keys[p->key_count++], account, KEY_ACCOUNT_W);
    return ++p->taken == p->take_max ? ASOF_STOP : GL_OK;
}

static int key_cmp(const void *a, const void *b) { return memcmp(a, b, KEY_ACCOUNT_W); }

static page_row *page_find(page *p, const uint8_t *account)
{
    size_t lo = 0, hi = p->count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int cmp = memcmp(p->rows[mid].account, account, KEY_ACCOUNT_W);
        if (cmp == 0)
            return &p->rows[mid];
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Phase 2: an entity's totals of the page's accounts. */
static int fill_row(void *user, const uint8_t *account, int64_t debit, int64_t credit)
{
    page *p = user;
    page_row *r = page_find(p, account);
    if (!r)
        return ASOF_STOP; /* past the page's last account */
    r->debit[p->entity] = debit;
    r->credit[p->entity] = credit;
    return GL_OK;
}

/* The page's accounts: the `limit` first after the cursor among every
 * entity's (each entity gives at most limit + 1, so that one more than the
 * page tells whether another page follows). */
static int page_accounts(gl_exec *x, page *p, uint16_t limit, bool *more)
{
    group_view *g = p->g;
    for (size_t i = 0; i < g->all; i++) {
        p->taken = 0;
        p->take_max = (size_t)limit + 1;
        int st = asof_accounts_after(x->txn, g->e[i].rec.number, g->e[i].fy, g->at, p->after,
                                     collect_key, p);
        if (st != GL_OK)
            return st;
    }
    if (p->key_count)
        qsort(p->keys, p->key_count, sizeof *p->keys, key_cmp);
    size_t n = 0;
    for (size_t i = 0; i < p->key_count; i++)
        if (n == 0 || memcmp(p->keys[n - 1], p->keys[i], KEY_ACCOUNT_W))
            memcpy(p->keys[n++], p->keys[i], KEY_ACCOUNT_W);
    *more = n > limit;
    p->count = *more ? limit : n;
    p->rows = calloc(p->count ? p->count : 1, sizeof *p->rows);
    if (!p->rows)
        return GL_ERR_INTERNAL;
    for (size_t i = 0; i < p->count; i++)
        memcpy(p->rows[i].account, p->keys[i], KEY_ACCOUNT_W);
    for (p->entity = 0; p->entity < g->all; p->entity++) {
        int st = asof_accounts_after(x->txn, g->e[p->entity].rec.number, g->e[p->entity].fy, g->at,
                                     p->after, fill_row, p);
        if (st != GL_OK)
            return st;
    }
    return GL_OK;
}

/* Take the late entries' lines off the page's rows. */
static int page_unwrite(gl_exec *x, page *p, const late_set *late)
{
    for (size_t i = 0; i < late->count; i++) {
        const late_entry *le = &late->entries[i];
        gl_line_iter it;
        gl_line l;
        gl_line_iter_init(&it, &le->e);
        while (gl_line_next(&it, &l)) {
            uint8_t account[KEY_ACCOUNT_W];
            key_pad(account, l.account, KEY_ACCOUNT_W);
            page_row *r = page_find(p, account);
            if (!r)
                continue;
            int64_t *total =
                l.side == GL_SIDE_DEBIT ? &r->debit[le->entity] : &r->credit[le->entity];
            if (*total < l.amount_cents)
                return exec_fail(x, GL_ERR_INTERNAL, 0, 0,
                                 "the totals of %s do not hold entry %u/%u",
                                 p->g->e[le->entity].cfg->id, le->fy, le->num);
            *total -= l.amount_cents;
        }
    }
    return GL_OK;
}

/* --- line matching: the eliminations, line by line --- */

typedef struct ic_line {
    uint16_t fy;
    uint32_t num;
    uint32_t date;
    uint8_t account[KEY_ACCOUNT_W];
    int64_t amount;
    int64_t key; /* the amount on A's side, its opposite on B's: pairs have equal keys */
    gl_str piece;
    size_t order; /* load order: (date, num, line) */
    bool matched;
} ic_line;

typedef struct ic_lines {
    ic_line *v;
    size_t count, cap;
} ic_lines;

static bool is_late(const late_set *late, size_t a, uint16_t fy, uint32_t num)
{
    for (size_t i = 0; late && i < late->count; i++)
        if (late->entries[i].entity == a && late->entries[i].num == num &&
            late->entries[i].fy == fy)
            return true;
    return false;
}

/* A's intercompany lines with B of one category, up to the date, but those
 * of entries written after the watermark (late, NULL: none). */
static int load_lines(gl_exec *x, const group_view *g, size_t a, size_t b, int cat,
                      const late_set *late, bool b_side, ic_lines *out)
{
    uint8_t start[KEY_PARTNER_LINES_LEN];
    key_partner_lines(start, g->e[a].rec.number, g->e[b].rec.number, g->e[a].fy, 0, 0, 0);
    store_scan s;
    int st = store_scan_begin(&s, x->txn, DB_PARTNER_LINES, start,
                              KEY_PARTNER_LINES_YEAR_PREFIX_LEN, KEY_PARTNER_LINES_YEAR_PREFIX_LEN);
    while (st == GL_OK && store_scan_next(&s)) {
        key_parts kp;
        store_partner_line pl;
        if (!key_partner_lines_parse(s.k, &kp) || store_partner_line_decode(s.v, &pl) != GL_OK ||
            pl.amount == INT64_MIN) {
            st = GL_ERR_STORAGE;
            break;
        }
        if (kp.date > g->at)
            break;
        if (category(pl.account) != cat || is_late(late, a, kp.fy, kp.num))
            continue;
        if (!grow((void **)&out->v, &out->cap, out->count, sizeof *out->v)) {
            st = GL_ERR_INTERNAL;
            break;
        }
        gl_entry e;
        store_entry raw;
        ic_line *l = &out->v[out->count];
        *l = (ic_line){.fy = kp.fy,
                       .num = kp.num,
                       .date = kp.date,
                       .amount = pl.amount,
                       .key = b_side ? -pl.amount : pl.amount,
                       .order = out->count};
        memcpy(l->account, pl.account, KEY_ACCOUNT_W);
        if (ledger_read_entry(x->txn, g->e[a].rec.number, kp.fy, kp.num, &e, &raw) == GL_OK)
            l->piece = e.piece_ref; /* a view into the read snapshot */
        out->count++;
    }
    return store_scan_close(&s, st);
}

static int cmp_str(gl_str a, gl_str b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    int c = n ? memcmp(a.ptr, b.ptr, n) : 0; /* a line whose entry was not read has no piece */
    return c ? c : (a.len > b.len) - (a.len < b.len);
}

static int cmp_key(const void *pa, const void *pb)
{
    const ic_line *a = *(ic_line *const *)pa, *b = *(ic_line *const *)pb;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (a->order > b->order) - (a->order < b->order);
}

static int cmp_piece_key(const void *pa, const void *pb)
{
    const ic_line *a = *(ic_line *const *)pa, *b = *(ic_line *const *)pb;
    int c = cmp_str(a->piece, b->piece);
    return c ? c : cmp_key(pa, pb);
}

static ic_line **unmatched_of(ic_lines *l, size_t *n)
{
    ic_line **v = malloc((l->count ? l->count : 1) * sizeof *v);
    *n = 0;
    for (size_t i = 0; v && i < l->count; i++)
        if (!l->v[i].matched)
            v[(*n)++] = &l->v[i];
    return v;
}

/* One pass: sort both sides' unpaired lines by (piece,) key and order, then
 * pair equal keys in order (the earliest with the earliest). */
static int match_pass(ic_lines *a, ic_lines *b, bool piece)
{
    size_t na, nb;
    ic_line **va = unmatched_of(a, &na), **vb = unmatched_of(b, &nb);
    if (!va || !vb) {
        free(va);
        free(vb);
        return GL_ERR_INTERNAL;
    }
    int (*cmp)(const void *, const void *) = piece ? cmp_piece_key : cmp_key;
    qsort(va, na, sizeof *va, cmp);
    qsort(vb, nb, sizeof *vb, cmp);
    for (size_t i = 0, j = 0; i < na && j < nb;) {
        ic_line *la = va[i], *lb = vb[j];
        int c = piece ? cmp_str(la->piece, lb->piece) : 0;
        if (!c)
            c = la->key < lb->key ? -1 : la->key > lb->key;
        if (c == 0) {
            la->matched = lb->matched = true;
            i++, j++;
        } else if (c < 0) {
            i++;
        } else {
            j++;
        }
    }
    free(va);
    free(vb);
    return GL_OK;
}

/* A's lines with B and B's with A of one category, each marked paired or
 * not (freed by the caller). */
static int match_pair(gl_exec *x, const group_view *g, size_t a, size_t b, int cat,
                      const late_set *late, ic_lines *la, ic_lines *lb)
{
    int st = load_lines(x, g, a, b, cat, late, false, la);
    if (st == GL_OK)
        st = load_lines(x, g, b, a, cat, late, true, lb);
    if (st == GL_OK && la->count && lb->count)
        st = match_pass(la, lb, true);
    if (st == GL_OK && la->count && lb->count)
        st = match_pass(la, lb, false);
    return st;
}

/* The paired lines eliminated, the unpaired ones counted as differences,
 * on the page's rows. */
static void page_lines(page *p, const ic_lines *l)
{
    for (size_t i = 0; i < l->count; i++) {
        page_row *r = page_find(p, l->v[i].account);
        if (r)
            p->overflow |= l->v[i].matched ? !gl_money_sub(&r->elim, l->v[i].amount)
                                           : !gl_money_add(&r->gap, l->v[i].amount);
    }
}

/* The eliminations and differences of the page's rows, as of the
 * watermark: every pair of entities, both categories. */
static int page_eliminations(gl_exec *x, page *p, const late_set *late)
{
    const group_view *g = p->g;
    int st = GL_OK;
    for (size_t a = 0; a < g->count && st == GL_OK; a++)
        for (size_t b = a + 1; b < g->count && st == GL_OK; b++)
            for (int cat = 1; cat <= 2 && st == GL_OK; cat++) {
                ic_lines la = {0}, lb = {0};
                st = match_pair(x, g, a, b, cat, late, &la, &lb);
                if (st == GL_OK) {
                    page_lines(p, &la);
                    page_lines(p, &lb);
                }
                free(la.v);
                free(lb.v);
            }
    return st;
}

/* Does the row hold a movement (some entity's or the combination ledger's)
 * as of the watermark?  first: the first that moves it (its chart's label). */
static bool row_moves(const group_view *g, const page_row *row, size_t *first)
{
    for (size_t i = 0; i < g->all; i++)
        if (row->debit[i] || row->credit[i]) {
            *first = i;
            return true;
        }
    return false;
}

/* watermark u64 | more u8 | next str8 | at u32 | n u8 | (tenant str8 | fy u16)*n |
 * count u32 | (account str8 | label str8 | net i64 * n | elim i64)*count |
 * combination str8 | fy u16 | (gap i64 | adj i64)*count */
static int page_put(gl_exec *x, page *p, uint64_t watermark, bool more)
{
    group_view *g = p->g;
    gl_str next =
        p->count ? key_unpad(p->rows[p->count - 1].account, KEY_ACCOUNT_W) : (gl_str){"", 0};
    _Static_assert(ENTITIES_MAX <= GL_REPLY_ENTITIES_MAX, "n is a u8 on the wire");
    gl_reply_group_balance h = {
        .watermark = watermark, .more = more, .next = next, .at = g->at, .n = (uint8_t)g->count};
    for (size_t i = 0; i < g->count; i++)
        h.entities[i] = (gl_reply_entity){{g->e[i].cfg->id, strlen(g->e[i].cfg->id)}, g->e[i].fy};
    size_t count_at = gl_reply_group_balance_encode(x->body, &h);
    for (size_t r = 0; r < p->count; r++) {
        page_row *row = &p->rows[r];
        size_t first;
        gl_reply_group_balance_row out = {.elim = row->elim};
        for (size_t i = 0; i < g->count; i++) {
            out.net[i] = row->debit[i];
            p->overflow |= !gl_money_sub(&out.net[i], row->credit[i]);
        }
        if (!row_moves(g, row, &first))
            continue; /* moved only after the watermark */
        out.account = key_unpad(row->account, KEY_ACCOUNT_W);
        out.label = account_label(x->txn, g->e[first].rec.number, out.account);
        gl_reply_group_balance_put_row(x->body, h.n, &out);
        h.count++;
    }
    bool comb = g->all > g->count;
    gl_reply_group_balance_tail tail = {
        .combination = comb ? (gl_str){g->e[g->count].cfg->id, strlen(g->e[g->count].cfg->id)}
                            : (gl_str){"", 0},
        .fy = comb ? g->e[g->count].fy : 0};
    gl_reply_group_balance_put_tail(x->body, &tail);
    for (size_t r = 0; r < p->count; r++) {
        page_row *row = &p->rows[r];
        size_t first;
        if (!row_moves(g, row, &first))
            continue;
        int64_t adj = comb ? row->debit[g->count] : 0;
        p->overflow |= comb && !gl_money_sub(&adj, row->credit[g->count]);
        gl_reply_group_balance_put_extra(x->body, row->gap, adj);
    }
    if (p->overflow)
        return exec_fail(x, GL_ERR_OVERFLOW, 0, 0, "a combined total overflows");
    if (!gl_buf_ok(x->body))
        return GL_ERR_INTERNAL;
    gl_reply_group_balance_set_count(x->body, count_at, h.count);
    return GL_OK;
}

int query_group_balance(gl_exec *x, const gl_body *rq)
{
    gl_group_balance_q q = rq->group_balance;
    int st;
    uint8_t after[KEY_ACCOUNT_W];
    key_pad(after, q.after, KEY_ACCOUNT_W);
    group_view *g = calloc(1, sizeof *g);
    page p = {.g = g, .after = q.after.len ? after : NULL};
    late_set late = {0};
    uint64_t watermark = page_watermark(x, q.watermark);
    bool more = false;
    st = g ? view_open(x, g, q.at) : GL_ERR_INTERNAL;
    if (st == GL_OK)
        st = load_late(x, g, watermark, &late);
    if (st == GL_OK)
        st = page_accounts(x, &p, q.limit, &more);
    if (st == GL_OK)
        st = page_unwrite(x, &p, &late);
    if (st == GL_OK)
        st = page_eliminations(x, &p, &late);
    if (st == GL_ERR_OVERFLOW)
        st = exec_fail(x, st, 0, 0, "an intercompany total overflows");
    if (st == GL_OK)
        st = page_put(x, &p, watermark, more);
    late_free(&late);
    free(p.keys);
    free(p.rows);
    free(g);
    return st;
}

/* --- reconciliation --- */

static void put_unmatched(gl_exec *x, const group_view *g, size_t who, const ic_lines *l,
                          uint16_t *n)
{
    for (size_t i = 0; i < l->count && *n < UNMATCHED_MAX; i++) {
        if (l->v[i].matched)
            continue;
        gl_entry e;
        store_entry raw;
        gl_str label = {"", 0};
        if (ledger_read_entry(x->txn, g->e[who].rec.number, l->v[i].fy, l->v[i].num, &e, &raw) ==
            GL_OK)
            label = e.label;
        gl_reply_reconcile_line line = {{g->e[who].cfg->id, strlen(g->e[who].cfg->id)},
                                        l->v[i].fy,
                                        l->v[i].num,
                                        l->v[i].date,
                                        key_unpad(l->v[i].account, KEY_ACCOUNT_W),
                                        l->v[i].amount,
                                        label};
        gl_reply_reconcile_put_line(x->body, &line);
        (*n)++;
    }
}

enum { PAIR_MATCHED = 0, PAIR_MISMATCHED = 1, PAIR_ONE_SIDED = 2 };

/* A position on the wire: clamped to the i64 range (it sums many totals). */
static int64_t clamp64(__int128 v)
{
    return v > INT64_MAX ? INT64_MAX : v < INT64_MIN ? INT64_MIN : (int64_t)v;
}

static int reconcile_pair(gl_exec *x, const group_view *g, size_t a, size_t b, int cat)
{
    __int128 pa = g->pos[a][b][cat], pb = g->pos[b][a][cat], diff = pa + pb;
    bool ok = diff == clamp64(diff);
    uint8_t status = diff == 0              ? PAIR_MATCHED
                     : (pa == 0 || pb == 0) ? PAIR_ONE_SIDED
                                            : PAIR_MISMATCHED;
    gl_reply_reconcile_pair pair = {{g->e[a].cfg->id, strlen(g->e[a].cfg->id)},
                                    {g->e[b].cfg->id, strlen(g->e[b].cfg->id)},
                                    (uint8_t)cat,
                                    clamp64(pa),
                                    clamp64(pb),
                                    status,
                                    ok ? (int64_t)diff : 0,
                                    0,
                                    {"", 0}};
    size_t n_at = gl_reply_reconcile_put_pair(x->body, &pair);
    uint16_t n = 0;
    ic_lines la = {0}, lb = {0};
    int st = match_pair(x, g, a, b, cat, NULL, &la, &lb);
    if (st == GL_OK) {
        put_unmatched(x, g, a, &la, &n);
        put_unmatched(x, g, b, &lb, &n);
        gl_reply_reconcile_set_unmatched(x->body, n_at, n);
    }
    free(la.v);
    free(lb.v);
    return st;
}

int query_group_reconcile(gl_exec *x, const gl_body *rq)
{
    uint32_t at = rq->at;
    int st;
    group_view *g = calloc(1, sizeof *g);
    st = g ? view_open(x, g, at) : GL_ERR_INTERNAL;
    if (st == GL_OK) {
        size_t count_at = gl_reply_reconcile_encode(x->body, &(gl_reply_reconcile){.at = g->at});
        uint16_t pairs = 0;
        for (size_t a = 0; a < g->count && st == GL_OK; a++)
            for (size_t b = a + 1; b < g->count && st == GL_OK; b++)
                for (int cat = 1; cat <= 2 && st == GL_OK; cat++) {
                    if (g->pos[a][b][cat] == 0 && g->pos[b][a][cat] == 0)
                        continue;
                    st = reconcile_pair(x, g, a, b, cat);
                    pairs++;
                }
        if (st == GL_OK)
            gl_reply_reconcile_set_count(x->body, count_at, pairs);
        st = st == GL_OK && !gl_buf_ok(x->body) ? GL_ERR_INTERNAL : st;
    }
    free(g);
    return st;
}

int query_keys(gl_exec *x, const gl_body *rq)
{
    uint16_t version = rq->keys_version;
    int st;
    uint8_t k[KEY_RECHARGE_KEYS_LEN];
    store_val v;
    key_recharge_keys(k, version);
    st = store_get(x->txn, DB_RECHARGE_KEYS, k, sizeof k, &v);
    if (st == GL_ERR_NOT_FOUND)
        return exec_fail(x, st, 0, 0, "no allocation keys version %u", version);
    if (st != GL_OK)
        return st;
    /* the record is kept in the reply's layout: used u8 | version u16 | count u16 | items */
    gl_reply_keys_get r;
    if (gl_reply_keys_get_decode((gl_str){(const char *)v.ptr, v.len}, &r) != GL_OK)
        return GL_ERR_STORAGE;
    gl_reply_keys_get_encode(x->body, &r);
    gl_reply_keys_get_iter it;
    gl_reply_keys_row row;
    gl_reply_keys_get_iter_init(&it, &r);
    while (gl_reply_keys_get_next(&it, &row) == 1)
        gl_reply_keys_get_put_row(x->body, &row);
    return gl_buf_ok(x->body) ? GL_OK : GL_ERR_INTERNAL;
}
