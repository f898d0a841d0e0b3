/*
 * daemon/rules/post.c — POST: a batch of entries, all or none; and the entry
 * writer shared with the year close.
 *
 * For each entry, in order: ledger-free checks (proto gl_entry_check), no
 * daemon-only flags, a piece reference and a label that are not blank
 * (proto/rules.h), the tenant exists, every account number follows the
 * numbering rule (but in a reversal, whose lines must be those of a stored
 * entry), the date is not in a locked period (a month unlocked after its
 * closing deadline gives a warning) nor after the tenant's last allowed date
 * (daemon/calendar.h), every account is open in the tenant's chart and not
 * abolished by the chart of the entry's fiscal year (430,
 * proto/chart_rules.h), a reversal is the exact opposite of an existing
 * entry not yet reversed and not dated before it, classes 8 and 9 balance
 * (classes.c); then the entry gets the
 * next number of its tenant and fiscal year and is written with its chain
 * event, its per-account lines, its balances and its daily deltas, every sum
 * checked for overflow before it is stored.  Any refusal returns with the
 * entry (1-based) and line at fault; the writer aborts the request's nested
 * transaction, so nothing of the batch remains.
 */
#include "daemon/calendar.h"
#include "daemon/ledger.h"
#include "daemon/periods.h"
#include "daemon/store/keys.h"
#include "daemon/totals.h"

#include "proto/assert.h"
#include "proto/date.h"
#include "proto/entry.h"
#include "proto/money.h"
#include "proto/query.h"
#include "proto/reply.h"
#include "proto/rules.h"
#include "proto/status.h"

#include <string.h>

/* The cap of every total this request writes, by who signed it: a member's
 * own writes stop at GL_MEMBER_TOTAL_MAX_CENTS, the accountant's (postings,
 * recharges, dues, year closes) at GL_TOTAL_MAX_CENTS. */
static int64_t total_cap(gl_exec *x)
{
    if (!x->total_cap_cents) {
        const gl_key_cfg *k = gl_config_key(x->cfg, x->req->signer);
        x->total_cap_cents = !k || k->role == GL_ROLE_MEMBER ? GL_MEMBER_TOTAL_MAX_CENTS : GL_TOTAL_MAX_CENTS;
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
static int add_capped(gl_exec *x, int64_t *total, int64_t cents, enum store_db db, gl_str account, bool debit,
                      uint32_t item, uint32_t line)
{
    int64_t cap = total_cap(x), sum = *total;
    if (!gl_money_add(&sum, cents) || sum > cap) {
        bool member = cap == GL_MEMBER_TOTAL_MAX_CENTS;
        return exec_fail(x, GL_ERR_TOTAL_LIMIT, item, line,
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
static int add_pair(gl_exec *x, enum store_db db, const uint8_t *key, size_t key_len, int64_t signed_cents,
                    gl_str account, uint32_t item, uint32_t line)
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
    int64_t pair[2] = {0, 0}; /* debit, credit */
    int st = store_get(x->txn, db, key, key_len, &v);
    if (st == GL_OK) {
        GL_ASSERT(v.len == 16);
        pair[0] = (int64_t)gl_rd64(v.ptr);
        pair[1] = (int64_t)gl_rd64(v.ptr + 8);
    } else if (st != GL_ERR_NOT_FOUND) {
        return st;
    }
    if ((st = add_capped(x, &pair[debit ? 0 : 1], cents, db, account, debit, item, line)) != GL_OK)
        return st;
    uint8_t nv[16];
    gl_be64(nv, (uint64_t)pair[0]);
    gl_be64(nv + 8, (uint64_t)pair[1]);
    return store_put(x->txn, db, key, key_len, nv, sizeof nv);
}

/* A (debit, credit) pair of year_totals (store.h) being updated: in the
 * request's write-behind cache when it has one, else a copy written back
 * by year_pair_put (the year close, which reads its totals back). */
typedef struct year_pair {
    uint8_t key[6];
    int64_t copy[2];
    int64_t *debit, *credit;
} year_pair;

static int year_pair_get(gl_exec *x, year_pair *p, uint32_t tenant, uint16_t fy)
{
    gl_be32(p->key, tenant);
    gl_be16(p->key + 4, fy);
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
    int st = store_get(x->txn, DB_YEAR_TOTALS, p->key, sizeof p->key, &v);
    if (st == GL_OK && v.len == 16) {
        p->copy[0] = (int64_t)gl_rd64(v.ptr);
        p->copy[1] = (int64_t)gl_rd64(v.ptr + 8);
    }
    return st == GL_OK && v.len != 16 ? GL_ERR_STORAGE : st == GL_ERR_NOT_FOUND ? GL_OK : st;
}

static int year_pair_put(gl_exec *x, const year_pair *p)
{
    if (x->totals)
        return GL_OK; /* flushed with the request's other totals */
    uint8_t v[16];
    gl_be64(v, (uint64_t)*p->debit);
    gl_be64(v + 8, (uint64_t)*p->credit);
    return store_put(x->txn, DB_YEAR_TOTALS, p->key, sizeof p->key, v, sizeof v);
}

/* Add an entry of fiscal year fy to its tenant's year_totals: the year's
 * and the open books' (fy 0).  A client's entry is refused whole
 * (YEAR_TOTAL_LIMIT, at the first line whose side's running sum passes)
 * if it would take the open books above the signer's cap; an entry of the
 * year close, if it would take its year above GL_CLOSED_YEAR_TOTAL_MAX_CENTS
 * (only on a ledger already above the caps: proto/limits.h).  One pair of
 * cached totals per entry, whatever its number of lines. */
static int add_year_totals(gl_exec *x, const gl_entry *e, gl_str tenant_id, uint32_t tenant, uint16_t fy,
                           uint32_t item)
{
    year_pair year, open;
    int st = year_pair_get(x, &year, tenant, fy);
    if (st == GL_OK)
        st = year_pair_get(x, &open, tenant, 0);
    if (st != GL_OK)
        return st;
    bool closing = e->flags != 0, member = total_cap(x) == GL_MEMBER_TOTAL_MAX_CENTS;
    int64_t cap = closing ? GL_CLOSED_YEAR_TOTAL_MAX_CENTS
                          : member ? GL_MEMBER_YEAR_TOTAL_MAX_CENTS : GL_YEAR_TOTAL_MAX_CENTS;
    /* [0] debit, [1] credit: of the year, of the open books */
    int64_t y[2] = {*year.debit, *year.credit}, o[2] = {*open.debit, *open.credit};
    gl_line_iter it;
    gl_line l;
    uint32_t n = 0;
    gl_line_iter_init(&it, e);
    while (gl_line_next(&it, &l)) {
        n++;
        int side = l.side == GL_SIDE_DEBIT ? 0 : 1;
        bool ok = gl_money_add(&y[side], l.amount_cents) && gl_money_add(&o[side], l.amount_cents);
        if (ok && (closing ? y[side] : o[side]) <= cap)
            continue;
        if (closing)
            return exec_fail(x, GL_ERR_YEAR_TOTAL_LIMIT, 0, 0,
                             "the %s written in fiscal year %u of %.*s would exceed 2^56 cents, the limit of a "
                             "closed year's total (the ledger holds more than the caps allow)",
                             side ? "credits" : "debits", fy, (int)tenant_id.len, tenant_id.ptr);
        return exec_fail(x, GL_ERR_YEAR_TOTAL_LIMIT, item, n,
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
    int st = year_pair_get(x, &year, tenant, fy);
    if (st == GL_OK)
        st = year_pair_get(x, &open, tenant, 0);
    if (st != GL_OK)
        return st;
    /* the open books held the year's totals: they cannot go below zero but
     * on a damaged store */
    if (!gl_money_sub(open.debit, *year.debit) || !gl_money_sub(open.credit, *year.credit) || *open.debit < 0 ||
        *open.credit < 0)
        return exec_fail(x, GL_ERR_STORAGE, 0, 0, "the open books' totals are damaged (below fiscal year %u's)", fy);
    return year_pair_put(x, &open);
}

/* Every line's account is open, and not abolished by the chart of the
 * entry's fiscal year (which starts on fy_start). */
static int check_accounts(gl_exec *x, const gl_entry *e, uint32_t tenant, uint32_t fy_start, uint32_t item)
{
    gl_line_iter it;
    gl_line l;
    uint32_t n = 0;
    gl_line_iter_init(&it, e);
    while (gl_line_next(&it, &l)) {
        n++;
        uint8_t key[KEY_ACCOUNTS_LEN];
        store_val v;
        key_accounts(key, tenant, l.account);
        int st = store_get(x->txn, DB_ACCOUNTS, key, sizeof key, &v);
        if (st == GL_ERR_NOT_FOUND)
            return exec_fail(x, GL_ERR_UNKNOWN_ACCOUNT, item, n, "entry %u line %u: account %.*s is not open",
                             item, n, (int)l.account.len, l.account.ptr);
        if (st != GL_OK)
            return st;
        if ((st = chart_check_abolished(x, l.account, fy_start, item, n)) != GL_OK)
            return st;
    }
    return GL_OK;
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
    if (st == GL_OK && k.len == KEY_ENTRIES_LEN && gl_rd32(k.ptr) == tenant && gl_rd16(k.ptr + 4) == fy)
        *num = gl_rd32(k.ptr + 6) + 1;
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
static int entry_partner(gl_exec *x, const gl_entry *e, uint32_t *partner)
{
    gl_line_iter it;
    gl_line l;
    *partner = 0;
    bool several = false;
    gl_line_iter_init(&it, e);
    while (gl_line_next(&it, &l)) {
        uint32_t p;
        int st = aux_partner(x, e, &l, &p);
        if (st != GL_OK)
            return st;
        if (p && l.account.ptr[0] == '4') {
            several |= *partner && *partner != p;
            *partner = p;
        }
    }
    if (several)
        *partner = 0;
    return GL_OK;
}

/* Record an intercompany line: per-partner daily totals and the line. */
static int write_partner_line(gl_exec *x, uint32_t tenant, uint32_t partner, uint16_t fy, uint32_t day,
                              const gl_entry *e, uint32_t num, uint16_t n, const gl_line *l,
                              int64_t amount, uint32_t item)
{
    uint8_t kd[4 + 2 + 4 + KEY_ACCOUNT_W + 4];
    gl_be32(kd, tenant);
    gl_be16(kd + 4, fy);
    gl_be32(kd + 6, partner);
    key_pad(kd + 10, l->account, KEY_ACCOUNT_W);
    gl_be32(kd + 10 + KEY_ACCOUNT_W, day);
    int st = add_pair(x, DB_PARTNER_DAILY, kd, sizeof kd, amount, l->account, item, n);
    uint8_t kl[4 + 4 + 2 + 4 + 4 + 2], v[KEY_ACCOUNT_W + 8];
    gl_be32(kl, tenant);
    gl_be32(kl + 4, partner);
    gl_be16(kl + 8, fy);
    gl_be32(kl + 10, e->date);
    gl_be32(kl + 14, num);
    gl_be16(kl + 18, n);
    key_pad(v, l->account, KEY_ACCOUNT_W);
    gl_be64(v + KEY_ACCOUNT_W, (uint64_t)amount);
    if (st == GL_OK)
        st = store_put(x->txn, DB_PARTNER_LINES, kl, sizeof kl, v, sizeof v);
    return st;
}

/* Remember the first label given to an auxiliary account. */
static int note_aux_label(gl_exec *x, uint32_t tenant, const gl_line *l)
{
    if (!l->aux.len || !l->aux_label.len)
        return GL_OK;
    uint8_t k[4 + KEY_AUX_W];
    store_val v;
    gl_be32(k, tenant);
    key_pad(k + 4, l->aux, KEY_AUX_W);
    int st = store_get(x->txn, DB_AUX_LABELS, k, sizeof k, &v);
    if (st != GL_ERR_NOT_FOUND)
        return st;
    uint8_t val[1 + GL_LABEL_MAX];
    val[0] = (uint8_t)l->aux_label.len;
    memcpy(val + 1, l->aux_label.ptr, l->aux_label.len);
    return store_put(x->txn, DB_AUX_LABELS, k, sizeof k, val, 1 + l->aux_label.len);
}

static int write_lines(gl_exec *x, const gl_entry *e, uint32_t tenant, uint16_t fy,
                       uint32_t num, uint32_t item)
{
    uint32_t day = e->flags & GL_ENTRY_RESULT_CLOSING ? GL_CLOSING_DAY : e->date;
    uint32_t implied_partner;
    int pst = entry_partner(x, e, &implied_partner);
    if (pst != GL_OK)
        return pst;
    gl_line_iter it;
    gl_line l;
    uint16_t n = 0;
    gl_line_iter_init(&it, e);
    while (gl_line_next(&it, &l)) {
        n++;
        int64_t amount = gl_line_signed(&l);
        uint8_t kb[KEY_BY_ACCOUNT_LEN], v[16];
        key_by_account(kb, tenant, l.account, e->date, fy, num, n);
        gl_be64(v, (uint64_t)amount);
        gl_be64(v + 8, x->envelope);
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
        if (st == GL_OK && !partner && l.aux.len == 0 && (l.account.ptr[0] == '6' || l.account.ptr[0] == '7'))
            partner = implied_partner;
        if (st == GL_OK && partner)
            st = write_partner_line(x, tenant, partner, fy, day, e, num, n, &l, amount, item);
        if (st != GL_OK)
            return st;
    }
    return GL_OK;
}

void ledger_entry_bytes(store_val v, int *layout, const uint8_t **entry, size_t *entry_len)
{
    GL_ASSERT(v.len > ENTRY_VAL_HEAD + 1);
    bool marked = v.ptr[ENTRY_VAL_HEAD] == ENTRY_LAYOUT2_MARK;
    *layout = marked ? GL_LAYOUT_2 : GL_LAYOUT_1;
    *entry = v.ptr + ENTRY_VAL_HEAD + marked;
    *entry_len = v.len - ENTRY_VAL_HEAD - marked;
}

int ledger_read_entry(store_txn *t, uint32_t tenant, uint16_t fy, uint32_t num, gl_entry *e,
                      store_val *raw)
{
    uint8_t k[KEY_ENTRIES_LEN];
    key_entries(k, tenant, fy, num);
    int st = store_get(t, DB_ENTRIES, k, sizeof k, raw);
    if (st != GL_OK)
        return st;
    int layout;
    const uint8_t *entry;
    size_t entry_len;
    ledger_entry_bytes(*raw, &layout, &entry, &entry_len);
    gl_cur c;
    gl_cur_init_stored(&c, entry, entry_len);
    gl_entry_decode_layout(&c, e, layout);
    GL_ASSERT(gl_cur_end(&c) == GL_OK);
    return GL_OK;
}

static bool lines_opposite(const gl_line *a, const gl_line *b)
{
    return a->amount_cents == b->amount_cents && a->side != b->side && a->account.len == b->account.len &&
           !memcmp(a->account.ptr, b->account.ptr, a->account.len) && a->aux.len == b->aux.len &&
           (a->aux.len == 0 || !memcmp(a->aux.ptr, b->aux.ptr, a->aux.len));
}

/* The same lines with sides swapped, in any order: every line of a pairs
 * with a distinct opposite line of b (at most GL_LINES_MAX lines each). */
static bool is_opposite(const gl_entry *a, const gl_entry *b)
{
    if (a->line_count != b->line_count)
        return false;
    static _Thread_local bool used[GL_LINES_MAX];
    memset(used, 0, sizeof used);
    gl_line_iter ia, ib;
    gl_line la, lb;
    gl_line_iter_init(&ia, a);
    while (gl_line_next(&ia, &la)) {
        bool found = false;
        uint16_t k = 0;
        gl_line_iter_init(&ib, b);
        for (; !found && gl_line_next(&ib, &lb); k++)
            if (k < GL_LINES_MAX && !used[k] && lines_opposite(&la, &lb))
                found = used[k] = true;
        if (!found)
            return false;
    }
    return true;
}

static void key_reversed(uint8_t k[KEY_ENTRIES_LEN], uint32_t tenant, uint16_t fy, uint32_t num)
{
    key_entries(k, tenant, fy, num);
}

static int check_reversal(gl_exec *x, const gl_entry *e, uint32_t tenant, uint32_t item)
{
    if (e->reverses_fy == 0)
        return GL_OK;
    gl_entry target;
    store_val raw;
    int st = ledger_read_entry(x->txn, tenant, e->reverses_fy, e->reverses_num, &target, &raw);
    if (st == GL_ERR_NOT_FOUND)
        return exec_fail(x, GL_ERR_NOT_FOUND, item, 0, "entry %u reverses %u/%u, which does not exist",
                         item, e->reverses_fy, e->reverses_num);
    if (st != GL_OK)
        return st;
    if (target.flags)
        return exec_fail(x, GL_ERR_NOT_REVERSIBLE, item, 0, "entry %u: %u/%u was written by a year close",
                         item, e->reverses_fy, e->reverses_num);
    uint8_t k[KEY_ENTRIES_LEN];
    store_val v;
    key_reversed(k, tenant, e->reverses_fy, e->reverses_num);
    st = store_get(x->txn, DB_REVERSED, k, sizeof k, &v);
    if (st == GL_OK)
        return exec_fail(x, GL_ERR_ALREADY_REVERSED, item, 0, "entry %u: %u/%u was already reversed by %u/%u",
                         item, e->reverses_fy, e->reverses_num, gl_rd16(v.ptr), gl_rd32(v.ptr + 2));
    if (st != GL_ERR_NOT_FOUND)
        return st;
    if (!is_opposite(e, &target))
        return exec_fail(x, GL_ERR_NOT_OPPOSITE, item, 0, "entry %u: %s", item, gl_status_message(GL_ERR_NOT_OPPOSITE));
    if (e->date < target.date) {
        char d[11], t[11];
        return exec_fail(x, GL_ERR_REVERSAL_EARLY, item, 0, "entry %u: dated %s, before %u/%u, which it reverses (%s)",
                         item, gl_date_format(e->date, d), e->reverses_fy, e->reverses_num,
                         gl_date_format(target.date, t));
    }
    return GL_OK;
}

static int record_reversal(gl_exec *x, const gl_entry *e, uint32_t tenant, uint16_t fy, uint32_t num)
{
    if (e->reverses_fy == 0)
        return GL_OK;
    uint8_t k[KEY_ENTRIES_LEN], v[6];
    key_reversed(k, tenant, e->reverses_fy, e->reverses_num);
    gl_be16(v, fy);
    gl_be32(v + 2, num);
    return store_put(x->txn, DB_REVERSED, k, sizeof k, v, sizeof v);
}

int ledger_write_entry(gl_exec *x, const gl_entry *e, gl_str tenant_id, tenant_rec *rec,
                       uint16_t fy, uint32_t item, uint32_t *num_out)
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
    st = gl_buf_ok(&ev) ? chain_append(x->txn, tenant_id, rec, GL_EVENT_ENTRY2, ev.data, ev.len, &seq)
                        : GL_ERR_INTERNAL;
    gl_buf_free(&ev);
    if (st != GL_OK)
        return st;
    gl_buf val;
    gl_buf_init(&val);
    gl_put_u64(&val, seq);
    gl_put_u64(&val, x->envelope);
    gl_put_i64(&val, x->now_ms);
    gl_put_bytes(&val, x->req->signer, 32);
    gl_put_u8(&val, ENTRY_LAYOUT2_MARK);
    gl_put_bytes(&val, e->raw, e->raw_len);
    uint8_t k[KEY_ENTRIES_LEN];
    key_entries(k, rec->number, fy, num);
    st = gl_buf_ok(&val) ? store_put(x->txn, DB_ENTRIES, k, sizeof k, val.data, val.len) : GL_ERR_INTERNAL;
    gl_buf_free(&val);
    if (st == GL_OK)
        st = write_lines(x, e, rec->number, fy, num, item);
    if (st == GL_OK)
        st = add_year_totals(x, e, tenant_id, rec->number, fy, item);
    *num_out = num;
    x->last_tenant = rec->number;
    x->last_fy = fy;
    x->last_num = num;
    return st;
}

/* Not after the last day the tenant's future_years allows (the end of the
 * fiscal year that many years after the current one, French time): a date
 * typed years ahead would otherwise stay in the books for ever. */
static int check_date_ahead(gl_exec *x, const gl_entry *e, const gl_tenant_cfg *tc, uint32_t item)
{
    uint32_t last = calendar_last_entry_date(x->now_ms, tc->first_month, tc->future_years);
    if (!last || e->date <= last)
        return GL_OK;
    char d[11], l[11];
    return exec_fail(x, GL_ERR_DATE_AHEAD, item, 0,
                     "entry %u: %s is after %s, the last day allowed (the end of fiscal year %u: the current one "
                     "plus future_years = %u)",
                     item, gl_date_format(e->date, d), gl_date_format(last, l),
                     gl_fiscal_year(last, tc->first_month), tc->future_years);
}

/* A month still unlocked after its closing deadline (the end of the
 * following month) may still be posted into, with a warning. */
static void check_overdue(gl_exec *x, const gl_entry *e, uint32_t locked_ym, uint32_t item)
{
    uint32_t ym = e->date / 100;
    if (ym <= locked_ym || ym > calendar_last_due_month(x->now_ms))
        return;
    uint32_t following = calendar_month_add(ym, 1);
    char d[11], deadline[11];
    exec_warn(x, "clôture en retard: entry %u is dated %s, and %04u-%02u is still unlocked after its closing "
                 "deadline %s (each month is locked by the end of the following one)",
              item, gl_date_format(e->date, d), ym / 100, ym % 100,
              gl_date_format(following * 100 + (uint32_t)gl_days_in_month(following / 100, following % 100), deadline));
}

/* Every line's account follows the numbering rule of new entries.  A
 * reversal is exempt: step 14 makes its lines those of a stored entry, so
 * it can only undo a posting made before the rule, never add one. */
static int check_numbers(gl_exec *x, const gl_entry *e, const gl_tenant_cfg *tc, uint32_t item)
{
    if (e->reverses_fy)
        return GL_OK;
    gl_line_iter it;
    gl_line l;
    uint32_t n = 0;
    gl_line_iter_init(&it, e);
    while (gl_line_next(&it, &l)) {
        n++;
        if (!gl_account_number_valid(l.account, tc->analytic_class9))
            return exec_fail(x, GL_ERR_BAD_ACCOUNT, item, n, "entry %u line %u: %.*s: %s", item, n,
                             (int)l.account.len, l.account.ptr, GL_ACCOUNT_RULE);
    }
    return GL_OK;
}

static int check_fields(gl_exec *x, const gl_entry *e, uint32_t item)
{
    const char *field;
    int st = gl_entry_fields_check(e, &field);
    if (st != GL_OK)
        return exec_fail(x, st, item, 0, "entry %u: the %s is empty or blank; it is mandatory (FEC %s)", item, field,
                         strcmp(field, "label") ? "PieceRef" : "EcritureLib");
    return GL_OK;
}

static int check_period(gl_exec *x, const gl_entry *e, uint32_t tenant, uint32_t item)
{
    uint32_t locked_ym;
    int st = periods_locked_through(x->txn, tenant, &locked_ym);
    if (st != GL_OK)
        return st;
    if (e->date / 100 <= locked_ym) {
        char d[11];
        return exec_fail(x, GL_ERR_PERIOD_LOCKED, item, 0, "entry %u: %s is in a locked period (locked through %04u-%02u)",
                         item, gl_date_format(e->date, d), locked_ym / 100, locked_ym % 100);
    }
    check_overdue(x, e, locked_ym, item);
    return GL_OK;
}

/* An entry's validation date (extension type 1, a FEC's ValidDate) says
 * when it was validated in the books it came from: never after the day,
 * in France, that the daemon records it (a date typed ahead would claim a
 * validation that has not happened).  The offline verifier replays it. */
static int check_valid_date(gl_exec *x, const gl_entry *e, uint32_t item)
{
    uint32_t valid = gl_entry_valid_date(e), today = gl_date_paris(x->now_ms);
    if (!valid || valid <= today)
        return GL_OK;
    char v[11], t[11];
    return exec_fail(x, GL_ERR_VALID_DATE_AHEAD, item, 0, "entry %u: validation date %s is after today (%s)", item,
                     gl_date_format(valid, v), gl_date_format(today, t));
}

int post_entry(gl_exec *x, const gl_entry *e, uint32_t item, uint16_t *fy_out, uint32_t *num_out)
{
    uint32_t bad_line;
    int st = gl_entry_check(e, &bad_line);
    if (st != GL_OK)
        return exec_fail(x, st, item, bad_line, "entry %u%s%.0u: %s", item,
                         bad_line ? " line " : "", bad_line, gl_status_message(st));
    if (e->flags)
        return exec_fail(x, GL_ERR_RESERVED_NONZERO, item, 0,
                         "entry %u: closing and opening entries are written by the daemon's year close only", item);
    if ((st = check_fields(x, e, item)) != GL_OK)
        return st;
    if ((st = check_valid_date(x, e, item)) != GL_OK)
        return st;
    const gl_tenant_cfg *tc = gl_config_tenant(x->cfg, e->tenant.ptr, e->tenant.len);
    tenant_rec rec;
    if (!tc || (st = tenant_load(x->txn, e->tenant, &rec)) == GL_ERR_UNKNOWN_TENANT)
        return exec_fail(x, GL_ERR_UNKNOWN_TENANT, item, 0, "entry %u: unknown tenant", item);
    if (st != GL_OK)
        return st;
    if ((st = check_numbers(x, e, tc, item)) != GL_OK)
        return st;
    if ((st = check_period(x, e, rec.number, item)) != GL_OK)
        return st;
    if ((st = check_date_ahead(x, e, tc, item)) != GL_OK)
        return st;
    uint16_t fy = gl_fiscal_year(e->date, tc->first_month);
    if ((st = check_accounts(x, e, rec.number, gl_fiscal_year_start(fy, tc->first_month), item)) != GL_OK)
        return st;
    if ((st = check_reversal(x, e, rec.number, item)) != GL_OK)
        return st;
    if ((st = classes_check_entry(x, e, rec.number, fy, item)) != GL_OK)
        return st;
    uint32_t num;
    if ((st = ledger_write_entry(x, e, e->tenant, &rec, fy, item, &num)) != GL_OK)
        return st;
    if ((st = record_reversal(x, e, rec.number, fy, num)) != GL_OK)
        return st;
    *fy_out = fy;
    *num_out = num;
    return GL_OK;
}

int rules_post(gl_exec *x)
{
    gl_post p;
    uint32_t bad_item;
    int st = gl_post_decode(x->req->body, x->req->body_len, &p, &bad_item);
    GL_ASSERT(st == GL_OK); /* decoded and authorised upstream */
    GL_ASSERT(x->totals); /* the writer gives every request a cache */
    gl_reply_post_begin(x->body, p.count);
    gl_item_iter it;
    gl_entry e;
    uint32_t item = 0;
    gl_post_iter_init(&it, &p);
    while (gl_post_next(&it, &e)) {
        item++;
        uint16_t fy;
        uint32_t num;
        if ((st = post_entry(x, &e, item, &fy, &num)) != GL_OK)
            return st;
        gl_reply_post_row row = {fy, num};
        gl_reply_post_put_row(x->body, &row);
    }
    return gl_buf_ok(x->body) ? GL_OK : GL_ERR_INTERNAL;
}
