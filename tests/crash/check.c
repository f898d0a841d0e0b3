/*
 * tests/crash/check.c — the independent ledger checker (ck_check): opens an
 * LMDB environment read-only and verifies, from the bytes alone, with none
 * of the daemon's code (only proto/ decoders and the layouts documented in
 * daemon/store/store.h):
 *
 *   chains     every tenant's events numbered 1..chain_seq, each hash
 *              recomputed and linked to the previous, the last one equal to
 *              the head stored in `tenants`;
 *   entries    every ENTRY/ENTRY2 event has its `entries` record (same sequence,
 *              envelope, time, signer and canonical bytes) and every record
 *              its event; each entry decodes, belongs to its tenant and
 *              balances; numbers run 1, 2, 3... per tenant and fiscal year;
 *   indexes    `by_account` holds exactly one row per line with its amount
 *              and envelope; `balances`, `daily`, `acct_months`, `acct_days`
 *              equal the sums recomputed from the entries, row for row;
 *              `partner_lines` rows match their entry line and
 *              `partner_daily` equals their sums;
 *   requests   envelopes are numbered 1..N; each decodes, has its request
 *              record (same digest, a success reply with its request id),
 *              and every request record has its envelope; a POST, recharge
 *              or dues envelope has exactly the entries its reply lists, all
 *              pointing back to it — so no request is ever half-applied
 *              (a recharge with one side, an entry without its totals);
 *   acks       every acknowledged request (received before the cutoff) has
 *              its request record with the same reply, and every entry its
 *              reply named is there, signed by the same key under the same
 *              request id; no request id has two envelopes and no marked
 *              piece reference appears twice (exactly once).
 */
#include "torture.h"

#include "proto/chain.h"
#include "proto/entry.h"
#include "proto/query.h"
#include "proto/request.h"
#include "proto/wire.h"

#include <lmdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CK_TENANTS_MAX 64
#define ACCT_W 20
#define AUX_W 20
#define ENTRY_HEAD 56           /* event_seq u64 | envelope u64 | recorded_ms i64 | signer[32] */
#define ENTRY_LAYOUT2_MARK 0xF2 /* then, for an entry in layout 2 (store.h); layout 1 has none */
#define CLOSING_DAY UINT32_MAX

enum { TAG_BALANCES = 1, TAG_DAILY, TAG_MONTHS, TAG_DAYS, TAG_PARTNER, TAG_COUNT_ };

typedef struct tenant {
    char id[17];
    size_t len;
    uint32_t number;
    uint64_t chain_seq;
    uint8_t head[32];
    long entry_events, entries;
} tenant;

typedef struct ck {
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi tenants, events, entries, by_account, balances, daily, months, days, requests,
        envelopes, partner_daily, partner_lines;
    tenant t[CK_TENANTS_MAX];
    int nt;
    ck_result *r;
    tt_map totals;   /* tag u8 | stored key -> debit, credit */
    tt_map entry_ev; /* T u32 | fy u16 | num u32 -> event seq (mark: record seen) */
    tt_map env_ent;  /* envelope u64 -> entries pointing to it (mark: envelope exists) */
    tt_map req_env;  /* signer | request_id -> envelopes */
    tt_map pieces;   /* T u32 | piece -> count */
} ck;

static void fail(ck *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(ck *c, const char *fmt, ...)
{
    if (c->r->failures++ == 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->r->first_failure, sizeof c->r->first_failure, fmt, ap);
        va_end(ap);
    }
}

static tenant *tenant_by_number(ck *c, uint32_t n)
{
    for (int i = 0; i < c->nt; i++)
        if (c->t[i].number == n)
            return &c->t[i];
    return NULL;
}

static tenant *tenant_by_id(ck *c, const char *p, size_t len)
{
    for (int i = 0; i < c->nt; i++)
        if (c->t[i].len == len && !memcmp(c->t[i].id, p, len))
            return &c->t[i];
    return NULL;
}

static void pad(uint8_t *dst, gl_str s, size_t w)
{
    memset(dst, 0, w);
    memcpy(dst, s.ptr, s.len < w ? s.len : w);
}

static int get(ck *c, MDB_dbi dbi, const void *k, size_t klen, MDB_val *v)
{
    MDB_val key = {klen, (void *)k};
    return mdb_get(c->txn, dbi, &key, v);
}

static int open_env(ck *c, const char *dir)
{
    int rc = mdb_env_create(&c->env);
    if (!rc)
        rc = mdb_env_set_maxdbs(c->env, 64);
    if (!rc)
        rc = mdb_env_open(c->env, dir, MDB_RDONLY | MDB_NOTLS, 0600);
    if (!rc)
        rc = mdb_txn_begin(c->env, NULL, MDB_RDONLY, &c->txn);
    struct {
        const char *name;
        MDB_dbi *dbi;
    } dbs[] = {{"tenants", &c->tenants},
               {"events", &c->events},
               {"entries", &c->entries},
               {"by_account", &c->by_account},
               {"balances", &c->balances},
               {"daily", &c->daily},
               {"acct_months", &c->months},
               {"acct_days", &c->days},
               {"requests", &c->requests},
               {"envelopes", &c->envelopes},
               {"partner_daily", &c->partner_daily},
               {"partner_lines", &c->partner_lines}};
    for (size_t i = 0; !rc && i < sizeof dbs / sizeof dbs[0]; i++) {
        rc = mdb_dbi_open(c->txn, dbs[i].name, 0, dbs[i].dbi);
        if (rc)
            snprintf(c->r->first_failure, sizeof c->r->first_failure, "cannot open database %s: %s",
                     dbs[i].name, mdb_strerror(rc));
    }
    if (rc && !c->r->first_failure[0])
        snprintf(c->r->first_failure, sizeof c->r->first_failure,
                 "cannot open the environment in %s: %s", dir, mdb_strerror(rc));
    return rc;
}

static void close_env(ck *c)
{
    if (c->txn)
        mdb_txn_abort(c->txn);
    if (c->env)
        mdb_env_close(c->env);
    c->txn = NULL;
    c->env = NULL;
}

static void load_tenants(ck *c)
{
    MDB_cursor *cur;
    MDB_val k, v;
    mdb_cursor_open(c->txn, c->tenants, &cur);
    while (mdb_cursor_get(cur, &k, &v, MDB_NEXT) == 0) {
        if (c->nt == CK_TENANTS_MAX || k.mv_size == 0 || k.mv_size > 16 || v.mv_size != 44) {
            fail(c, "tenants: malformed record");
            continue;
        }
        tenant *t = &c->t[c->nt++];
        memset(t, 0, sizeof *t);
        memcpy(t->id, k.mv_data, k.mv_size);
        t->len = k.mv_size;
        t->number = gl_rd32(v.mv_data);
        t->chain_seq = gl_rd64((const uint8_t *)v.mv_data + 4);
        memcpy(t->head, (const uint8_t *)v.mv_data + 12, 32);
    }
    mdb_cursor_close(cur);
    c->r->tenants = c->nt;
}

/* The canonical entry of an `entries` value (longer than ENTRY_HEAD) and
 * its layout. */
static const uint8_t *entry_bytes(const MDB_val *v, int *layout, size_t *len)
{
    const uint8_t *p = (const uint8_t *)v->mv_data + ENTRY_HEAD;
    bool marked = p[0] == ENTRY_LAYOUT2_MARK;
    *layout = marked ? GL_LAYOUT_2 : GL_LAYOUT_1;
    *len = v->mv_size - ENTRY_HEAD - marked;
    return p + marked;
}

/* An ENTRY or ENTRY2 event against its `entries` record. */
static void check_entry_event(ck *c, tenant *t, uint64_t seq, const gl_event *ev)
{
    if (ev->payload_len < 6) {
        fail(c, "%s event %llu: entry payload too short", t->id, (unsigned long long)seq);
        return;
    }
    uint16_t fy = gl_rd16(ev->payload);
    uint32_t num = gl_rd32(ev->payload + 2);
    uint8_t k[10];
    gl_be32(k, t->number);
    gl_be16(k + 4, fy);
    gl_be32(k + 6, num);
    tt_slot *s = tt_map_get(&c->entry_ev, k, sizeof k, true);
    if (s->a) {
        fail(c, "%s %u/%u: two chain events", t->id, fy, num);
        return;
    }
    s->a = (int64_t)seq;
    t->entry_events++;
    MDB_val v;
    if (get(c, c->entries, k, sizeof k, &v) != 0) {
        fail(c, "%s %u/%u: chain event %llu but no entry record", t->id, fy, num,
             (unsigned long long)seq);
        return;
    }
    const uint8_t *p = v.mv_data;
    size_t blen = ev->payload_len - 6, elen = 0;
    int layout = 0;
    const uint8_t *entry = v.mv_size > ENTRY_HEAD ? entry_bytes(&v, &layout, &elen) : NULL;
    if (!entry || elen != blen || layout != gl_event_entry_layout(ev->type) || gl_rd64(p) != seq ||
        gl_rd64(p + 8) != ev->head.envelope || (int64_t)gl_rd64(p + 16) != ev->head.recorded_ms ||
        memcmp(p + 24, ev->head.signer, 32) || memcmp(entry, ev->payload + 6, blen))
        fail(c, "%s %u/%u: entry record differs from its chain event", t->id, fy, num);
}

static void finish_chain(ck *c, tenant *t, uint64_t last, const uint8_t *hash)
{
    static const uint8_t zero[32];
    if (last != t->chain_seq)
        fail(c, "%s: chain has %llu events, tenant record says %llu", t->id,
             (unsigned long long)last, (unsigned long long)t->chain_seq);
    else if (memcmp(last ? hash : zero, t->head, 32))
        fail(c, "%s: chain head differs from the tenant record", t->id);
}

static void check_chains(ck *c)
{
    MDB_cursor *cur;
    MDB_val k, v;
    mdb_cursor_open(c->txn, c->events, &cur);
    tenant *t = NULL;
    uint64_t last = 0;
    uint8_t prev[32] = {0};
    bool seen[CK_TENANTS_MAX] = {false};
    while (mdb_cursor_get(cur, &k, &v, MDB_NEXT) == 0) {
        c->r->events++;
        if (k.mv_size != 12) {
            fail(c, "events: malformed key");
            continue;
        }
        uint32_t number = gl_rd32(k.mv_data);
        uint64_t seq = gl_rd64((const uint8_t *)k.mv_data + 4);
        if (!t || t->number != number) {
            if (t)
                finish_chain(c, t, last, prev);
            t = tenant_by_number(c, number);
            if (!t) {
                fail(c, "events of unknown tenant number %u", number);
                continue;
            }
            seen[t - c->t] = true;
            last = 0;
            memset(prev, 0, sizeof prev);
        }
        gl_event ev;
        if (seq != last + 1) {
            fail(c, "%s: event %llu follows %llu", t->id, (unsigned long long)seq,
                 (unsigned long long)last);
            last = seq;
            continue;
        }
        if (gl_event_decode(v.mv_data, v.mv_size, &ev) != 0 ||
            gl_event_verify(&ev, t->id, t->len, seq, prev) != 0) {
            fail(c, "%s: event %llu does not verify (hash or link)", t->id,
                 (unsigned long long)seq);
            last = seq;
            continue;
        }
        if (gl_event_entry_layout(ev.type))
            check_entry_event(c, t, seq, &ev);
        memcpy(prev, ev.hash, 32);
        last = seq;
    }
    if (t)
        finish_chain(c, t, last, prev);
    mdb_cursor_close(cur);
    for (int i = 0; i < c->nt; i++)
        if (!seen[i] && c->t[i].chain_seq != 0)
            fail(c, "%s: tenant record says %llu events, there are none", c->t[i].id,
                 (unsigned long long)c->t[i].chain_seq);
}

static void add_total(ck *c, uint8_t tag, const uint8_t *key, size_t len, int64_t amount)
{
    uint8_t k[1 + TT_KEY_MAX - 1];
    k[0] = tag;
    memcpy(k + 1, key, len);
    tt_slot *s = tt_map_get(&c->totals, k, 1 + len, true);
    if (amount > 0)
        s->a += amount;
    else
        s->b -= amount;
}

static void check_lines(ck *c, tenant *t, uint16_t fy, uint32_t num, uint64_t envelope,
                        const gl_entry *e)
{
    uint32_t day = e->flags & GL_ENTRY_RESULT_CLOSING ? CLOSING_DAY : e->date;
    gl_line_iter it;
    gl_line l;
    uint16_t n = 0;
    gl_line_iter_init(&it, e);
    while (gl_line_next(&it, &l)) {
        n++;
        c->r->lines++;
        int64_t amount = gl_line_signed(&l);
        uint8_t kb[4 + ACCT_W + 4 + 2 + 4 + 2];
        gl_be32(kb, t->number);
        pad(kb + 4, l.account, ACCT_W);
        gl_be32(kb + 24, e->date);
        gl_be16(kb + 28, fy);
        gl_be32(kb + 30, num);
        gl_be16(kb + 34, n);
        MDB_val v;
        if (get(c, c->by_account, kb, sizeof kb, &v) != 0 || v.mv_size != 16 ||
            (int64_t)gl_rd64(v.mv_data) != amount ||
            gl_rd64((const uint8_t *)v.mv_data + 8) != envelope)
            fail(c, "%s %u/%u line %u: by_account row missing or different", t->id, fy, num, n);
        uint8_t k[4 + 2 + ACCT_W + AUX_W + 4];
        gl_be32(k, t->number);
        gl_be16(k + 4, fy);
        pad(k + 6, l.account, ACCT_W);
        add_total(c, TAG_BALANCES, k, 6 + ACCT_W, amount);
        gl_be32(k + 6 + ACCT_W, day / 100);
        add_total(c, TAG_MONTHS, k, 10 + ACCT_W, amount);
        gl_be32(k + 6 + ACCT_W, day);
        add_total(c, TAG_DAYS, k, 10 + ACCT_W, amount);
        pad(k + 6 + ACCT_W, l.aux, AUX_W);
        gl_be32(k + 6 + ACCT_W + AUX_W, day);
        add_total(c, TAG_DAILY, k, sizeof k, amount);
    }
}

static void check_entries(ck *c, const char *marker)
{
    MDB_cursor *cur;
    MDB_val k, v;
    mdb_cursor_open(c->txn, c->entries, &cur);
    uint32_t last_t = 0, last_num = 0;
    uint16_t last_fy = 0;
    size_t mlen = marker ? strlen(marker) : 0;
    while (mdb_cursor_get(cur, &k, &v, MDB_NEXT) == 0) {
        c->r->entries++;
        if (k.mv_size != 10 || v.mv_size <= ENTRY_HEAD) {
            fail(c, "entries: malformed record");
            continue;
        }
        const uint8_t *kp = k.mv_data, *vp = v.mv_data;
        uint32_t number = gl_rd32(kp), num = gl_rd32(kp + 6);
        uint16_t fy = gl_rd16(kp + 4);
        tenant *t = tenant_by_number(c, number);
        if (!t) {
            fail(c, "entry of unknown tenant number %u", number);
            continue;
        }
        t->entries++;
        uint32_t want = number == last_t && fy == last_fy ? last_num + 1 : 1;
        if (num != want)
            fail(c, "%s fiscal year %u: entry %u where %u was due (numbering broken)", t->id, fy,
                 num, want);
        last_t = number;
        last_fy = fy;
        last_num = num;
        tt_slot *s = tt_map_get(&c->entry_ev, kp, 10, false);
        if (!s)
            fail(c, "%s %u/%u: entry record without chain event", t->id, fy, num);
        else
            s->mark = true;
        uint64_t envelope = gl_rd64(vp + 8);
        uint8_t ek[8];
        gl_be64(ek, envelope);
        tt_map_get(&c->env_ent, ek, 8, true)->a++;
        gl_cur ec;
        gl_entry e;
        uint32_t bad;
        int layout;
        size_t elen;
        const uint8_t *entry = entry_bytes(&v, &layout, &elen);
        gl_cur_init(&ec, entry, elen);
        gl_entry_decode_layout(&ec, &e, layout);
        if (gl_cur_end(&ec) != 0) {
            fail(c, "%s %u/%u: entry bytes do not decode", t->id, fy, num);
            continue;
        }
        if (e.tenant.len != t->len || memcmp(e.tenant.ptr, t->id, t->len))
            fail(c, "%s %u/%u: entry names tenant %.*s", t->id, fy, num, (int)e.tenant.len,
                 e.tenant.ptr);
        if (gl_entry_check(&e, &bad) != 0)
            fail(c, "%s %u/%u: entry does not balance or is invalid (line %u)", t->id, fy, num,
                 bad);
        if (mlen && e.piece_ref.len >= mlen && !memcmp(e.piece_ref.ptr, marker, mlen)) {
            uint8_t pk[4 + 64];
            gl_be32(pk, number);
            memcpy(pk + 4, e.piece_ref.ptr, e.piece_ref.len);
            tt_slot *p = tt_map_get(&c->pieces, pk, 4 + e.piece_ref.len, true);
            if (p->a++ == 1)
                fail(c, "%s: piece %.*s posted twice", t->id, (int)e.piece_ref.len,
                     e.piece_ref.ptr);
            if (p->a > 1)
                c->r->duplicated++;
        }
        check_lines(c, t, fy, num, envelope, &e);
    }
    mdb_cursor_close(cur);
    for (size_t i = 0; i < c->entry_ev.cap; i++)
        if (c->entry_ev.slots[i].used && !c->entry_ev.slots[i].mark)
            fail(c, "an entry chain event has no entry record");
    for (int i = 0; i < c->nt; i++)
        if (c->t[i].entries != c->t[i].entry_events)
            fail(c, "%s: %ld entry records, %ld entry events", c->t[i].id, c->t[i].entries,
                 c->t[i].entry_events);
}

/* Every row of dbi equals its recomputed total, and every total has its row. */
static void compare_totals(ck *c, MDB_dbi dbi, uint8_t tag, const char *name)
{
    MDB_cursor *cur;
    MDB_val k, v;
    mdb_cursor_open(c->txn, dbi, &cur);
    while (mdb_cursor_get(cur, &k, &v, MDB_NEXT) == 0) {
        uint8_t key[TT_KEY_MAX];
        if (k.mv_size + 1 > TT_KEY_MAX || v.mv_size != 16) {
            fail(c, "%s: malformed row", name);
            continue;
        }
        key[0] = tag;
        memcpy(key + 1, k.mv_data, k.mv_size);
        tt_slot *s = tt_map_get(&c->totals, key, 1 + k.mv_size, false);
        int64_t d = (int64_t)gl_rd64(v.mv_data),
                cr = (int64_t)gl_rd64((const uint8_t *)v.mv_data + 8);
        if (!s)
            fail(c, "%s: a stored total (%lld, %lld) no entry accounts for", name, (long long)d,
                 (long long)cr);
        else if (s->a != d || s->b != cr)
            fail(c, "%s: stored (%lld, %lld), recomputed from the entries (%lld, %lld)", name,
                 (long long)d, (long long)cr, (long long)s->a, (long long)s->b);
        if (s)
            s->mark = true;
    }
    mdb_cursor_close(cur);
    for (size_t i = 0; i < c->totals.cap; i++) {
        tt_slot *s = &c->totals.slots[i];
        if (s->used && s->key[0] == tag && !s->mark)
            fail(c, "%s: a total of the entries (%lld, %lld) is not stored", name, (long long)s->a,
                 (long long)s->b);
    }
}

static void check_indexes(ck *c)
{
    MDB_stat st;
    if (mdb_stat(c->txn, c->by_account, &st) == 0 && (long)st.ms_entries != c->r->lines)
        fail(c, "by_account: %zu rows for %ld lines", st.ms_entries, c->r->lines);
    compare_totals(c, c->balances, TAG_BALANCES, "balances");
    compare_totals(c, c->daily, TAG_DAILY, "daily");
    compare_totals(c, c->months, TAG_MONTHS, "acct_months");
    compare_totals(c, c->days, TAG_DAYS, "acct_days");
    /* partner_lines: T | P | fy | date | num | line -> account[20] | amount */
    MDB_cursor *cur;
    MDB_val k, v;
    mdb_cursor_open(c->txn, c->partner_lines, &cur);
    while (mdb_cursor_get(cur, &k, &v, MDB_NEXT) == 0) {
        const uint8_t *kp = k.mv_data, *vp = v.mv_data;
        if (k.mv_size != 20 || v.mv_size != ACCT_W + 8) {
            fail(c, "partner_lines: malformed row");
            continue;
        }
        uint8_t ek[10], pd[4 + 2 + 4 + ACCT_W + 4];
        memcpy(ek, kp, 4);
        memcpy(ek + 4, kp + 8, 2);
        memcpy(ek + 6, kp + 14, 4);
        uint16_t line = gl_rd16(kp + 18);
        MDB_val ev;
        bool ok = false;
        uint32_t day = gl_rd32(kp + 10);
        if (get(c, c->entries, ek, sizeof ek, &ev) == 0 && ev.mv_size > ENTRY_HEAD) {
            gl_cur ec;
            gl_entry e;
            int layout;
            size_t elen;
            const uint8_t *entry = entry_bytes(&ev, &layout, &elen);
            gl_cur_init(&ec, entry, elen);
            gl_entry_decode_layout(&ec, &e, layout);
            gl_line_iter it;
            gl_line l;
            gl_line_iter_init(&it, &e);
            for (uint16_t n = 1; gl_cur_end(&ec) == 0 && gl_line_next(&it, &l); n++)
                if (n == line) {
                    uint8_t acct[ACCT_W];
                    pad(acct, l.account, ACCT_W);
                    ok = !memcmp(acct, vp, ACCT_W) &&
                         (int64_t)gl_rd64(vp + ACCT_W) == gl_line_signed(&l) &&
                         e.date == gl_rd32(kp + 10);
                    if (e.flags & GL_ENTRY_RESULT_CLOSING)
                        day = CLOSING_DAY;
                }
        }
        if (!ok)
            fail(c, "partner_lines: a row without its entry line");
        memcpy(pd, kp, 4);         /* T */
        memcpy(pd + 4, kp + 8, 2); /* fy */
        memcpy(pd + 6, kp + 4, 4); /* partner */
        memcpy(pd + 10, vp, ACCT_W);
        gl_be32(pd + 10 + ACCT_W, day);
        add_total(c, TAG_PARTNER, pd, sizeof pd, (int64_t)gl_rd64(vp + ACCT_W));
    }
    mdb_cursor_close(cur);
    compare_totals(c, c->partner_daily, TAG_PARTNER, "partner_daily");
}

/* The entries a POST / RECHARGE / DUES reply lists, each pointing back at
 * envelope; returns how many it lists (-1 if the reply does not decode). */
static long check_listed(ck *c, uint64_t envelope, const gl_request *req, const gl_reply *rep)
{
    gl_cur rc;
    gl_cur_init(&rc, rep->body, rep->body_len);
    uint32_t count = gl_get_u32(&rc);
    gl_post post;
    gl_item_iter it;
    uint32_t bad;
    bool is_post = req->kind == GL_KIND_POST;
    if (is_post) {
        int layout = req->version == GL_PROTOCOL_VERSION_1 ? GL_LAYOUT_1 : GL_LAYOUT_2;
        if (gl_post_decode_layout(req->body, req->body_len, layout, &post, &bad) != 0 ||
            post.count != count)
            return -1;
        gl_post_iter_init(&it, &post);
    }
    for (uint32_t i = 0; i < count; i++) {
        gl_str tid;
        if (is_post) {
            gl_entry e;
            if (!gl_post_next(&it, &e))
                return -1;
            tid = e.tenant;
        } else {
            tid = gl_get_str8(&rc, 16);
        }
        uint16_t fy = gl_get_u16(&rc);
        uint32_t num = gl_get_u32(&rc);
        if (gl_cur_status(&rc) != 0)
            return -1;
        tenant *t = tenant_by_id(c, tid.ptr, tid.len);
        uint8_t k[10];
        MDB_val v;
        if (t) {
            gl_be32(k, t->number);
            gl_be16(k + 4, fy);
            gl_be32(k + 6, num);
        }
        if (!t || get(c, c->entries, k, sizeof k, &v) != 0 || v.mv_size <= ENTRY_HEAD ||
            gl_rd64((const uint8_t *)v.mv_data + 8) != envelope)
            fail(c, "envelope %llu: its reply lists %.*s %u/%u, which is missing or not its own",
                 (unsigned long long)envelope, (int)tid.len, tid.ptr, fy, num);
    }
    return gl_cur_end(&rc) == 0 ? (long)count : -1;
}

static void check_requests(ck *c)
{
    MDB_cursor *cur;
    MDB_val k, v;
    mdb_cursor_open(c->txn, c->envelopes, &cur);
    uint64_t last = 0;
    while (mdb_cursor_get(cur, &k, &v, MDB_NEXT) == 0) {
        c->r->envelopes++;
        if (k.mv_size != 8) {
            fail(c, "envelopes: malformed key");
            continue;
        }
        uint64_t e = gl_rd64(k.mv_data);
        if (e != last + 1)
            fail(c, "envelope %llu follows %llu", (unsigned long long)e, (unsigned long long)last);
        last = e;
        tt_slot *es = tt_map_get(&c->env_ent, k.mv_data, 8, false);
        if (es)
            es->mark = true;
        long pointing = es ? es->a : 0;
        gl_request req;
        if (gl_request_decode_any(v.mv_data, v.mv_size, &req) != 0) {
            fail(c, "envelope %llu does not decode", (unsigned long long)e);
            continue;
        }
        uint8_t rk[40], digest[32];
        memcpy(rk, req.signer, 32);
        gl_be64(rk + 32, req.request_id);
        tt_slot *rs = tt_map_get(&c->req_env, rk, sizeof rk, true);
        if (rs->a++ >= 1) {
            if (rs->a == 2)
                fail(c, "request id %llu has two envelopes (applied twice)",
                     (unsigned long long)req.request_id);
            c->r->duplicated++;
        }
        MDB_val rv;
        gl_reply rep;
        /* version 1 requests' records were carried over to the version 2
         * digest by the upgrade (store_upgrade_redigest_v1) */
        if (gl_request_digest_v2(&req, digest) != 0) {
            fail(c, "envelope %llu: its body does not decode", (unsigned long long)e);
            continue;
        }
        if (get(c, c->requests, rk, sizeof rk, &rv) != 0 || rv.mv_size < 32) {
            fail(c, "envelope %llu (%s): no request record", (unsigned long long)e,
                 gl_kind_name(req.kind));
            continue;
        }
        if (memcmp(rv.mv_data, digest, 32))
            fail(c, "envelope %llu: request record digest differs", (unsigned long long)e);
        if (gl_reply_decode((const uint8_t *)rv.mv_data + 32, rv.mv_size - 32, &rep) != 0 ||
            rep.status != 0 || rep.request_id != req.request_id) {
            fail(c, "envelope %llu: stored reply is not a success for its request",
                 (unsigned long long)e);
            continue;
        }
        if (req.kind == GL_KIND_POST || req.kind == GL_KIND_RECHARGE || req.kind == GL_KIND_DUES) {
            long listed = check_listed(c, e, &req, &rep);
            if (listed < 0)
                fail(c, "envelope %llu: reply body does not decode", (unsigned long long)e);
            else if (listed != pointing)
                fail(c,
                     "envelope %llu (%s): reply lists %ld entries, %ld are stored (half-applied)",
                     (unsigned long long)e, gl_kind_name(req.kind), listed, pointing);
        }
    }
    mdb_cursor_close(cur);
    for (size_t i = 0; i < c->env_ent.cap; i++)
        if (c->env_ent.slots[i].used && !c->env_ent.slots[i].mark)
            fail(c, "entries point to envelope %llu, which is missing",
                 (unsigned long long)gl_rd64(c->env_ent.slots[i].key));
    MDB_stat st;
    if (mdb_stat(c->txn, c->requests, &st) == 0) {
        c->r->requests = (long)st.ms_entries;
        if ((long)st.ms_entries != c->r->envelopes)
            fail(c, "%zu request records for %ld envelopes", st.ms_entries, c->r->envelopes);
    }
}

static void check_acks(ck *c, const tt_ack *acks, size_t n, int64_t cutoff)
{
    for (size_t i = 0; i < n; i++) {
        const tt_ack *a = &acks[i];
        if (a->t_ns >= cutoff)
            continue;
        c->r->acked_requests++;
        c->r->acked_entries += a->ref_count;
        uint8_t rk[40];
        memcpy(rk, a->signer, 32);
        gl_be64(rk + 32, a->request_id);
        MDB_val rv;
        gl_reply rep;
        if (get(c, c->requests, rk, sizeof rk, &rv) != 0 || rv.mv_size < 32) {
            c->r->lost_requests++;
            c->r->lost_entries += a->ref_count;
            continue;
        }
        if (gl_reply_decode((const uint8_t *)rv.mv_data + 32, rv.mv_size - 32, &rep) != 0 ||
            rep.body_len != a->body_len || memcmp(rep.body, a->body, a->body_len))
            c->r->reply_mismatch++;
        for (uint32_t j = 0; j < a->ref_count; j++) {
            const tt_ref *ref = &a->refs[j];
            tenant *t = tenant_by_id(c, ref->tenant, strlen(ref->tenant));
            uint8_t k[10];
            MDB_val v, ev;
            bool ok = false;
            if (t) {
                gl_be32(k, t->number);
                gl_be16(k + 4, ref->fy);
                gl_be32(k + 6, ref->num);
            }
            if (t && get(c, c->entries, k, sizeof k, &v) == 0 && v.mv_size > ENTRY_HEAD &&
                !memcmp((const uint8_t *)v.mv_data + 24, a->signer, 32)) {
                uint8_t evk[12];
                gl_be32(evk, t->number);
                memcpy(evk + 4, v.mv_data, 8);
                gl_event e;
                ok = get(c, c->events, evk, sizeof evk, &ev) == 0 &&
                     gl_event_decode(ev.mv_data, ev.mv_size, &e) == 0 &&
                     e.head.request_id == a->request_id;
            }
            if (ok)
                c->r->verified_entries++;
            else
                c->r->lost_entries++;
        }
    }
}

int ck_check(const char *dir, const tt_ack *acks, size_t n_acks, int64_t cutoff_ns,
             const char *marker, ck_result *r)
{
    memset(r, 0, sizeof *r);
    ck c;
    memset(&c, 0, sizeof c);
    c.r = r;
    if (open_env(&c, dir) != 0) {
        close_env(&c);
        return 2;
    }
    tt_map_init(&c.totals);
    tt_map_init(&c.entry_ev);
    tt_map_init(&c.env_ent);
    tt_map_init(&c.req_env);
    tt_map_init(&c.pieces);
    load_tenants(&c);
    check_chains(&c);
    check_entries(&c, marker);
    check_indexes(&c);
    check_requests(&c);
    check_acks(&c, acks, n_acks, cutoff_ns);
    tt_map_free(&c.totals);
    tt_map_free(&c.entry_ev);
    tt_map_free(&c.env_ent);
    tt_map_free(&c.req_env);
    tt_map_free(&c.pieces);
    close_env(&c);
    return r->failures || r->lost_entries || r->lost_requests || r->duplicated || r->reply_mismatch
               ? 1
               : 0;
}

void ck_print(FILE *out, const char *label, const ck_result *r)
{
    fprintf(
        out,
        "%s: tenants=%ld events=%ld entries=%ld lines=%ld envelopes=%ld acked_requests=%ld "
        "acked_entries=%ld verified=%ld lost=%ld lost_requests=%ld duplicated=%ld reply_mismatch=%ld "
        "failures=%ld%s%s\n",
        label, r->tenants, r->events, r->entries, r->lines, r->envelopes, r->acked_requests,
        r->acked_entries, r->verified_entries, r->lost_entries, r->lost_requests, r->duplicated,
        r->reply_mismatch, r->failures, r->first_failure[0] ? " first: " : "", r->first_failure);
}

/* --- prefix comparisons ------------------------------------------------- */

static int open_quick(const char *dir, MDB_env **env, MDB_txn **txn)
{
    int rc = mdb_env_create(env);
    if (!rc)
        rc = mdb_env_set_maxdbs(*env, 64);
    if (!rc)
        rc = mdb_env_open(*env, dir, MDB_RDONLY | MDB_NOTLS, 0600);
    if (!rc)
        rc = mdb_txn_begin(*env, NULL, MDB_RDONLY, txn);
    if (rc && *env) {
        mdb_env_close(*env);
        *env = NULL;
    }
    return rc;
}

bool ck_event_hash(const char *dir, const char *tenant_id, uint64_t seq, uint8_t out[32])
{
    MDB_env *env = NULL;
    MDB_txn *txn;
    MDB_dbi tenants, events;
    if (open_quick(dir, &env, &txn))
        return false;
    bool ok = false;
    MDB_val k = {strlen(tenant_id), (void *)tenant_id}, v;
    if (!mdb_dbi_open(txn, "tenants", 0, &tenants) && !mdb_dbi_open(txn, "events", 0, &events) &&
        !mdb_get(txn, tenants, &k, &v) && v.mv_size == 44) {
        uint8_t ek[12];
        memcpy(ek, v.mv_data, 4);
        gl_be64(ek + 4, seq);
        MDB_val key = {12, ek};
        gl_event ev;
        if (!mdb_get(txn, events, &key, &v) && gl_event_decode(v.mv_data, v.mv_size, &ev) == 0) {
            memcpy(out, ev.hash, 32);
            ok = true;
        }
    }
    mdb_txn_abort(txn);
    mdb_env_close(env);
    return ok;
}

int ck_chain_heads(const char *dir, ck_chain_head *out, int max)
{
    MDB_env *env = NULL;
    MDB_txn *txn;
    MDB_dbi tenants;
    if (open_quick(dir, &env, &txn))
        return -1;
    int n = -1;
    MDB_cursor *cur;
    MDB_val k, v;
    if (!mdb_dbi_open(txn, "tenants", 0, &tenants) && !mdb_cursor_open(txn, tenants, &cur)) {
        n = 0;
        while (n < max && mdb_cursor_get(cur, &k, &v, MDB_NEXT) == 0 && v.mv_size == 44 &&
               k.mv_size <= 16) {
            memset(&out[n], 0, sizeof out[n]);
            memcpy(out[n].tenant, k.mv_data, k.mv_size);
            out[n].seq = gl_rd64((const uint8_t *)v.mv_data + 4);
            memcpy(out[n].hash, (const uint8_t *)v.mv_data + 12, 32);
            n++;
        }
        mdb_cursor_close(cur);
    }
    mdb_txn_abort(txn);
    mdb_env_close(env);
    return n;
}

int64_t ck_last_envelope(const char *dir)
{
    MDB_env *env = NULL;
    MDB_txn *txn;
    MDB_dbi dbi;
    if (open_quick(dir, &env, &txn))
        return -1;
    int64_t last = -1;
    MDB_cursor *cur;
    MDB_val k, v;
    if (!mdb_dbi_open(txn, "envelopes", 0, &dbi) && !mdb_cursor_open(txn, dbi, &cur)) {
        last = mdb_cursor_get(cur, &k, &v, MDB_LAST) == 0 && k.mv_size == 8
                   ? (int64_t)gl_rd64(k.mv_data)
                   : 0;
        mdb_cursor_close(cur);
    }
    mdb_txn_abort(txn);
    mdb_env_close(env);
    return last;
}
