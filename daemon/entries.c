/*
 * daemon/entries.c — the entry writer and reader (entries.h), shared by the
 * rules that write entries (POST and the group's writes through
 * post_entry, the year close) and by the readers.
 *
 * An entry is written with: its number (the next of its tenant and fiscal
 * year), its chain event, its stored value, one by_account line per line,
 * the (debit, credit) totals it moves (balances, daily, acct_months,
 * acct_days, and partner_daily with its partner_lines for intercompany
 * lines), the first label of each auxiliary account, and its tenant's year
 * totals.  Every total is capped before it is stored (the signer's caps,
 * proto/limits.h); totals go through the request's write-behind cache
 * (totals.h) when it has one.
 */
#include "entries.h"

#include "analytic_index.h"
#include "config.h"
#include "totals.h"
#include "store/keys.h"
#include "store/values.h"

#include "proto/assert.h"
#include "proto/entry.h"
#include "proto/money.h"
#include "proto/status.h"

#include <stdlib.h>
#include <string.h>

/* The cap of every total this request writes, by who signed it: a member's
 * own writes stop at GL_MEMBER_TOTAL_MAX_CENTS, the accountant's (postings,
 * recharges, dues, year closes) at GL_TOTAL_MAX_CENTS. */
static int64_t total_cap(gl_exec *x)
{
    if (!x->total_cap_cents) {
        const gl_key_cfg *k = gl_config_key(x->cfg, x->req->signer);
        x->total_cap_cents =
            !k || k->role == GL_ROLE_MEMBER ? GL_MEMBER_TOTAL_MAX_CENTS : GL_TOTAL_MAX_CENTS;
    }
    return x->total_cap_cents;
}

static const char *total_kind(enum store_db db)
{
    switch (db) {
    case DB_BALANCES: return "for the fiscal year";
    case DB_DAILY: return "for the day and auxiliary account";
    case DB_ACCT_MONTHS: return "for the month";
    case DB_ACCT_DAYS: return "for the day";
    case DB_PARTNER_DAILY: return "with the partner for the day";
    default: return "";
    }
}

/* total += cents (> 0), refused whole (TOTAL_LIMIT) if it would pass the
 * request's cap; an int64 overflow passes it too.  *total is unchanged on
 * a refusal. */
static int add_capped(gl_exec *x, int64_t *total, int64_t cents, enum store_db db, gl_str account,
                      bool debit, uint32_t item, uint32_t line)
{
    int64_t cap = total_cap(x), sum = *total;
    if (!gl_money_add(&sum, cents) || sum > cap) {
        bool member = cap == GL_MEMBER_TOTAL_MAX_CENTS;
        return exec_fail(
            x, GL_ERR_TOTAL_LIMIT, item, line,
            "entry %u line %u: the %s total of account %.*s %s would exceed 2^%d cents, the limit of %s",
            item, line, debit ? "debit" : "credit", (int)account.len, account.ptr, total_kind(db),
            member ? 52 : 56, member ? "a member's own writes" : "every total");
    }
    *total = sum;
    return GL_OK;
}

/* Add a signed amount to a (debit, credit) pair stored at key (a total of
 * account): in the request's write-behind cache when it has one.  Every
 * total is capped (add_capped). */
static int add_pair(gl_exec *x, enum store_db db, const uint8_t *key, size_t key_len,
                    int64_t signed_cents, gl_str account, uint32_t item, uint32_t line)
{
    bool debit = signed_cents > 0;
    int64_t cents = debit ? signed_cents : -signed_cents; /* a line amount is > 0: no overflow */
    if (x->totals) {
        int st;
        totals_slot *s = totals_get(x->totals, x->txn, db, key, key_len, &st);
        if (!s)
            return st;
        return add_capped(x, debit ? &s->debit : &s->credit, cents, db, account, debit, item, line);
    }
    store_val v;
    store_pair pair = {0, 0};
    int st = store_get(x->txn, db, key, key_len, &v);
    if (st == GL_OK) {
        st = store_pair_decode(v, &pair);
        GL_ASSERT(st == GL_OK);
    } else if (st != GL_ERR_NOT_FOUND) {
        return st;
    }
    if ((st = add_capped(x, debit ? &pair.debit : &pair.credit, cents, db, account, debit, item,
                         line)) != GL_OK)
        return st;
    uint8_t nv[STORE_PAIR_LEN];
    store_pair_encode(nv, pair);
    return store_put(x->txn, db, key, key_len, nv, sizeof nv);
}

/* A (debit, credit) pair of year_totals (store.h) being updated: in the
 * request's write-behind cache when it has one, else a copy written back
 * by year_pair_put (the year close, which reads its totals back). */
typedef struct year_pair {
    uint8_t key[KEY_YEAR_TOTALS_LEN];
    int64_t copy[2];
    int64_t *debit, *credit;
} year_pair;

static int year_pair_get(gl_exec *x, year_pair *p, uint32_t tenant, uint16_t fy)
{
    key_year_totals(p->key, tenant, fy);
    if (x->totals) {
        int st;
        totals_slot *s = totals_get(x->totals, x->txn, DB_YEAR_TOTALS, p->key, sizeof p->key, &st);
        if (!s)
            return st;
        p->debit = &s->debit;
        p->credit = &s->credit;
        return GL_OK;
    }
    p->debit = &p->copy[0];
    p->credit = &p->copy[1];
    p->copy[0] = p->copy[1] = 0;
    store_val v;
    store_pair pair;
    int st = store_get(x->txn, DB_YEAR_TOTALS, p->key, sizeof p->key, &v);
    if (st == GL_OK && (st = store_pair_decode(v, &pair)) == GL_OK) {
        p->copy[0] = pair.debit;
        p->copy[1] = pair.credit;
    }
    return st == GL_ERR_NOT_FOUND ? GL_OK : st;
}

/* Fiscal year fy's pair and the open books' (fy 0): an entry adds to both,
 * the year close takes the first out of the second. */
static int year_and_open_get(gl_exec *x, year_pair *year, year_pair *open, uint32_t tenant,
                             uint16_t fy)
{
    int st = year_pair_get(x, year, tenant, fy);
    return st == GL_OK ? year_pair_get(x, open, tenant, 0) : st;
}

static int year_pair_put(gl_exec *x, const year_pair *p)
{
    if (x->totals)
        return GL_OK; /* flushed with the request's other totals */
    uint8_t v[STORE_PAIR_LEN];
    store_pair_encode(v, (store_pair){*p->debit, *p->credit});
    return store_put(x->txn, DB_YEAR_TOTALS, p->key, sizeof p->key, v, sizeof v);
}

/* Add an entry of fiscal year fy to its tenant's year_totals: the year's
 * and the open books' (fy 0).  A client's entry is refused whole
 * (YEAR_TOTAL_LIMIT, at the first line whose side's running sum passes)
 * if it would take the open books above the signer's cap; an entry of the
 * year close, if it would take its year above GL_CLOSED_YEAR_TOTAL_MAX_CENTS
 * (only on a ledger already above the caps: proto/limits.h).  One pair of
 * cached totals per entry, whatever its number of lines. */
static int add_year_totals(gl_exec *x, const gl_entry *e, const entry_lines *lines,
                           gl_str tenant_id, uint32_t tenant, uint16_t fy, uint32_t item)
{
    year_pair year, open;
    int st = year_and_open_get(x, &year, &open, tenant, fy);
    if (st != GL_OK)
        return st;
    bool closing = e->flags != 0, member = total_cap(x) == GL_MEMBER_TOTAL_MAX_CENTS;
    int64_t cap = closing  ? GL_CLOSED_YEAR_TOTAL_MAX_CENTS
                  : member ? GL_MEMBER_YEAR_TOTAL_MAX_CENTS
                           : GL_YEAR_TOTAL_MAX_CENTS;
    /* [0] debit, [1] credit: of the year, of the open books */
    int64_t y[2] = {*year.debit, *year.credit}, o[2] = {*open.debit, *open.credit};
    for (uint32_t n = 1; n <= lines->n; n++) {
        const gl_line *l = &lines->v[n - 1];
        int side = l->side == GL_SIDE_DEBIT ? 0 : 1;
        bool ok =
            gl_money_add(&y[side], l->amount_cents) && gl_money_add(&o[side], l->amount_cents);
        if (ok && (closing ? y[side] : o[side]) <= cap)
            continue;
        if (closing)
            return exec_fail(
                x, GL_ERR_YEAR_TOTAL_LIMIT, 0, 0,
                "the %s written in fiscal year %u of %.*s would exceed 2^56 cents, the limit of a "
                "closed year's total (the ledger holds more than the caps allow)",
                side ? "credits" : "debits", fy, (int)tenant_id.len, tenant_id.ptr);
        return exec_fail(
            x, GL_ERR_YEAR_TOTAL_LIMIT, item, n,
            "entry %u line %u: the %s written in %.*s's fiscal years not yet closed (fiscal year %u "
            "and any other open one) would exceed 2^%d cents, the limit of %s",
            item, n, side ? "credits" : "debits", (int)tenant_id.len, tenant_id.ptr, fy,
            member ? 53 : 55, member ? "a member's own writes" : "the open books");
    }
    *year.debit = y[0];
    *year.credit = y[1];
    *open.debit = o[0];
    *open.credit = o[1];
    st = year_pair_put(x, &year);
    return st == GL_OK ? year_pair_put(x, &open) : st;
}

int ledger_year_totals_close(gl_exec *x, uint32_t tenant, uint16_t fy)
{
    year_pair year, open;
    int st = year_and_open_get(x, &year, &open, tenant, fy);
    if (st != GL_OK)
        return st;
    /* the open books held the year's totals: they cannot go below zero but
     * on a damaged store */
    if (!gl_money_sub(open.debit, *year.debit) || !gl_money_sub(open.credit, *year.credit) ||
        *open.debit < 0 || *open.credit < 0)
        return exec_fail(x, GL_ERR_STORAGE, 0, 0,
                         "the open books' totals are damaged (below fiscal year %u's)", fy);
    return year_pair_put(x, &open);
}

static int next_number(gl_exec *x, uint32_t tenant, uint16_t fy, uint32_t *num)
{
    if (x->last_num && x->last_tenant == tenant && x->last_fy == fy) {
        *num = x->last_num + 1; /* this request wrote the last one */
        return GL_OK;
    }
    uint8_t hi[KEY_ENTRIES_LEN];
    key_entries(hi, tenant, (uint16_t)(fy + 1), 0);
    store_cursor *c;
    store_val k, v;
    int st = store_cursor_open(x->txn, DB_ENTRIES, &c);
    if (st != GL_OK)
        return st;
    st = store_seek_before(c, hi, sizeof hi, &k, &v);
    *num = 1;
    key_parts kp;
    if (st == GL_OK && key_entries_parse(k, &kp) && kp.tenant == tenant && kp.fy == fy)
        *num = kp.num + 1;
    store_cursor_close(c);
    return st == GL_OK || st == GL_ERR_NOT_FOUND ? GL_OK : st;
}

/* The group partner a line's auxiliary account names (tenant number), or 0:
 * only class 4, 6 and 7 lines are intercompany, never a tenant with itself. */
static int aux_partner(gl_exec *x, const gl_entry *e, const gl_line *l, uint32_t *partner)
{
    *partner = 0;
    char cls = l->account.ptr[0];
    if (cls != '4' && cls != '6' && cls != '7')
        return GL_OK;
    const gl_tenant_cfg *p = gl_config_partner(x->cfg, l->aux.ptr, l->aux.len);
    if (!p || gl_str_eq(e->tenant, p->id))
        return GL_OK;
    tenant_rec rec;
    int st = tenant_load(x->txn, (gl_str){p->id, strlen(p->id)}, &rec);
    if (st == GL_OK)
        *partner = rec.number;
    return st == GL_ERR_UNKNOWN_TENANT ? GL_OK : st;
}

/* The one partner named by the entry's class 4 lines, 0 if none or several:
 * a revenue or expense line without auxiliary account takes it (as an
 * invoice exported with the third party on its receivable line only). */
static int entry_partner(gl_exec *x, const gl_entry *e, const entry_lines *lines, uint32_t *partner)
{
    *partner = 0;
    bool several = false;
    for (uint32_t i = 0; i < lines->n; i++) {
        uint32_t p;
        int st = aux_partner(x, e, &lines->v[i], &p);
        if (st != GL_OK)
            return st;
        if (p && lines->v[i].account.ptr[0] == '4') {
            several |= *partner && *partner != p;
            *partner = p;
        }
    }
    if (several)
        *partner = 0;
    return GL_OK;
}

/* Record an intercompany line: per-partner daily totals and the line. */
static int write_partner_line(gl_exec *x, uint32_t tenant, uint32_t partner, uint16_t fy,
                              uint32_t day, const gl_entry *e, uint32_t num, uint16_t n,
                              const gl_line *l, int64_t amount, uint32_t item)
{
    uint8_t kd[KEY_PARTNER_DAILY_LEN];
    key_partner_daily(kd, tenant, fy, partner, l->account, day);
    int st = add_pair(x, DB_PARTNER_DAILY, kd, sizeof kd, amount, l->account, item, n);
    uint8_t kl[KEY_PARTNER_LINES_LEN], v[STORE_PARTNER_LINE_LEN];
    key_partner_lines(kl, tenant, partner, fy, e->date, num, n);
    store_partner_line_encode(v, l->account, amount);
    if (st == GL_OK)
        st = store_put(x->txn, DB_PARTNER_LINES, kl, sizeof kl, v, sizeof v);
    return st;
}

/* Remember the first label given to an auxiliary account. */
static int note_aux_label(gl_exec *x, uint32_t tenant, const gl_line *l)
{
    if (!l->aux.len || !l->aux_label.len)
        return GL_OK;
    uint8_t k[KEY_AUX_LABELS_LEN];
    store_val v;
    key_aux_labels(k, tenant, l->aux);
    int st = store_get(x->txn, DB_AUX_LABELS, k, sizeof k, &v);
    if (st != GL_ERR_NOT_FOUND)
        return st;
    uint8_t val[STORE_AUX_LABEL_MAX];
    size_t len;
    store_aux_label_encode(val, l->aux_label, &len);
    return store_put(x->txn, DB_AUX_LABELS, k, sizeof k, val, len);
}

static int write_lines(gl_exec *x, const gl_entry *e, const entry_lines *lines, uint32_t tenant,
                       uint16_t fy, uint32_t num, uint32_t item)
{
    uint32_t day = e->flags & GL_ENTRY_RESULT_CLOSING ? GL_CLOSING_DAY : e->date;
    uint32_t implied_partner;
    int pst = entry_partner(x, e, lines, &implied_partner);
    if (pst != GL_OK)
        return pst;
    for (uint16_t n = 1; n <= lines->n; n++) {
        const gl_line l = lines->v[n - 1];
        int64_t amount = gl_line_signed(&l);
        uint8_t kb[KEY_BY_ACCOUNT_LEN], v[STORE_LINE_LEN];
        key_by_account(kb, tenant, l.account, e->date, fy, num, n);
        store_line_encode(v, (store_line){amount, x->envelope});
        int st = store_put(x->txn, DB_BY_ACCOUNT, kb, sizeof kb, v, sizeof v);
        uint8_t kbal[KEY_BALANCES_LEN], kd[KEY_DAILY_LEN];
        key_balances(kbal, tenant, fy, l.account);
        if (st == GL_OK)
            st = add_pair(x, DB_BALANCES, kbal, sizeof kbal, amount, l.account, item, n);
        key_daily(kd, tenant, fy, l.account, l.aux, day);
        if (st == GL_OK)
            st = add_pair(x, DB_DAILY, kd, sizeof kd, amount, l.account, item, n);
        uint8_t ka[KEY_ACCT_PERIOD_LEN];
        key_acct_period(ka, tenant, fy, l.account, day / 100);
        if (st == GL_OK)
            st = add_pair(x, DB_ACCT_MONTHS, ka, sizeof ka, amount, l.account, item, n);
        key_acct_period(ka, tenant, fy, l.account, day);
        if (st == GL_OK)
            st = add_pair(x, DB_ACCT_DAYS, ka, sizeof ka, amount, l.account, item, n);
        if (st == GL_OK)
            st = note_aux_label(x, tenant, &l);
        uint32_t partner = 0;
        if (st == GL_OK)
            st = aux_partner(x, e, &l, &partner);
        if (st == GL_OK && !partner && l.aux.len == 0 &&
            (l.account.ptr[0] == '6' || l.account.ptr[0] == '7'))
            partner = implied_partner;
        if (st == GL_OK && partner)
            st = write_partner_line(x, tenant, partner, fy, day, e, num, n, &l, amount, item);
        if (st == GL_OK && l.ext_len) {
            an_line_ref ref = {tenant, fy, num, n, e->date, l.account, amount};
            st = analytic_index_line(x, &ref, l.ext, l.ext_len);
        }
        if (st != GL_OK)
            return st;
    }
    return GL_OK;
}

int ledger_read_entry(store_txn *t, uint32_t tenant, uint16_t fy, uint32_t num, gl_entry *e,
                      store_entry *raw)
{
    uint8_t k[KEY_ENTRIES_LEN];
    store_val v;
    key_entries(k, tenant, fy, num);
    int st = store_get(t, DB_ENTRIES, k, sizeof k, &v);
    if (st != GL_OK)
        return st;
    st = store_entry_decode(v, raw);
    GL_ASSERT(st == GL_OK);
    gl_cur c;
    gl_cur_init_stored(&c, raw->entry, raw->entry_len);
    gl_entry_decode_layout(&c, e, raw->layout);
    GL_ASSERT(gl_cur_end(&c) == GL_OK);
    return GL_OK;
}

/* One buffer per thread for a client's entry (GL_LINES_MAX lines of about
 * 100 bytes): only the writer thread writes entries, one at a time.  A
 * year close's entries (up to GL_CLOSE_LINES_MAX lines) take the heap. */
static _Thread_local gl_line line_buf[GL_LINES_MAX];

int entry_lines_decode(const gl_entry *e, entry_lines *out)
{
    gl_line *v = line_buf;
    out->own = NULL;
    if (e->line_count > GL_LINES_MAX && !(v = out->own = malloc(e->line_count * sizeof *v)))
        return GL_ERR_INTERNAL;
    gl_line_iter it;
    uint32_t n = 0;
    gl_line_iter_init(&it, e);
    while (n < e->line_count && gl_line_next(&it, &v[n]))
        n++;
    GL_ASSERT(n == e->line_count); /* gl_entry_check counted them */
    out->v = v;
    out->n = n;
    return GL_OK;
}

void entry_lines_free(entry_lines *lines)
{
    free(lines->own);
    lines->own = NULL;
}

bool entry_lines_class89(const entry_lines *lines)
{
    for (uint32_t i = 0; i < lines->n; i++)
        if (lines->v[i].account.len &&
            (lines->v[i].account.ptr[0] == '8' || lines->v[i].account.ptr[0] == '9'))
            return true;
    return false;
}

int ledger_write_entry(gl_exec *x, const gl_entry *e, gl_str tenant_id, tenant_rec *rec,
                       uint16_t fy, uint32_t item, uint32_t *num_out)
{
    entry_lines lines;
    int st = entry_lines_decode(e, &lines);
    if (st != GL_OK)
        return st;
    st = ledger_write_entry_lines(x, e, &lines, tenant_id, rec, fy, item, num_out);
    entry_lines_free(&lines);
    return st;
}

int ledger_write_entry_lines(gl_exec *x, const gl_entry *e, const entry_lines *lines,
                             gl_str tenant_id, tenant_rec *rec, uint16_t fy, uint32_t item,
                             uint32_t *num_out)
{
    uint32_t num;
    int st = next_number(x, rec->number, fy, &num);
    if (st != GL_OK)
        return st;
    gl_buf ev;
    gl_buf_init(&ev);
    gl_event_head head = {x->envelope, item, x->req->signer, x->req->request_id, x->now_ms};
    gl_event_head_encode(&ev, &head);
    gl_put_u16(&ev, fy);
    gl_put_u32(&ev, num);
    gl_put_bytes(&ev, e->raw, e->raw_len);
    uint64_t seq = 0;
    /* Everything written since protocol version 2 is in layout 2. */
    GL_ASSERT(e->layout == GL_LAYOUT_2);
    st = gl_buf_ok(&ev)
             ? chain_append(x->txn, tenant_id, rec, GL_EVENT_ENTRY2, ev.data, ev.len, &seq)
             : GL_ERR_INTERNAL;
    gl_buf_free(&ev);
    if (st != GL_OK)
        return st;
    gl_buf val;
    gl_buf_init(&val);
    store_entry stored = {seq,         x->envelope, x->now_ms, x->req->signer,
                          GL_LAYOUT_2, e->raw,      e->raw_len};
    store_entry_encode(&val, &stored);
    uint8_t k[KEY_ENTRIES_LEN];
    key_entries(k, rec->number, fy, num);
    st = gl_buf_ok(&val) ? store_put(x->txn, DB_ENTRIES, k, sizeof k, val.data, val.len)
                         : GL_ERR_INTERNAL;
    gl_buf_free(&val);
    if (st == GL_OK)
        st = write_lines(x, e, lines, rec->number, fy, num, item);
    if (st == GL_OK)
        st = add_year_totals(x, e, lines, tenant_id, rec->number, fy, item);
    *num_out = num;
    x->last_tenant = rec->number;
    x->last_fy = fy;
    x->last_num = num;
    return st;
}
