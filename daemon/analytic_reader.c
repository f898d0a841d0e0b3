/*
 * daemon/analytic_reader.c — ANALYTIC_BALANCE (51) and ANALYTIC_LEDGER
 * (52), on the reader thread, from the analytic indexes
 * (analytic_index.h, store/analytic_keys.h), never a scan of entries.
 *
 * ANALYTIC_BALANCE at a date of a fiscal year: per (code, account) pair
 * of the axis, its months before the date's month (an_totals tag 1, one
 * scan month by month, each month's rows merged into the sorted pairs),
 * then the days of that month (tag 2, one scan, each day row added to
 * its pair, found by walking the sorted pairs forward): up
 * to the date when it falls in the month's first half, or the whole month
 * less the days after the date in the second half (at most 16 days of
 * rows); none when the date ends its month.  Then the "not allocated"
 * rows (code ""): per account of classes 6 and 7, the general balance at
 * the date (asof.c) minus what the axis's codes hold of that account.
 * Cost: the axis's month rows of the year, at most half a month of its
 * day rows, the classes 6-7 accounts' totals; never a seek per pair.
 *
 * ANALYTIC_LEDGER: a page of the code's rows (analytic tag 5) in (date,
 * fy, num, line) order, each completed from its stored entry (journal,
 * piece, the line's account and label).
 */
#include "asof.h"
#include "config.h"
#include "entries.h"
#include "handlers.h"
#include "ledger.h"
#include "store/analytic_keys.h"
#include "store/analytic_store.h"
#include "store/keys.h"
#include "store/values.h"

#include "proto/analytic.h"
#include "proto/assert.h"
#include "proto/date.h"
#include "proto/entry.h"
#include "proto/money.h"
#include "proto/status.h"

#include <stdlib.h>
#include <string.h>

/* What an axis's codes hold of one account (the not-allocated rows). */
typedef struct an_acc {
    uint8_t account[KEY_ACCOUNT_W];
    int64_t debit, credit;
} an_acc;

/* One (code, account) pair of the axis: its debits and credits so far. */
typedef struct an_pair {
    uint8_t pair[KEY_AN_TOTALS_PAIR_LEN]; /* code[16] | account[20] */
    int64_t debit, credit;
} an_pair;

typedef struct an_balance {
    gl_exec *x;
    uint32_t tenant, at;
    uint16_t fy;
    gl_str axis;
    bool month_whole; /* at is its month's last day: no day rows to read */
    bool late;        /* at is in its month's second half: the month less its days after at */
    uint32_t month_end;
    uint32_t count; /* rows written */
    an_pair *pairs; /* sorted by (code, account) */
    size_t npairs, pairs_cap;
    an_pair *run; /* the month being read, sorted as its keys */
    size_t nrun, run_cap;
    an_acc *alloc; /* classes 6-7, sorted by account once the pairs are read */
    size_t nalloc, cap;
} an_balance;

/* The request's tenant and its axis: 484 unless the tenant has the axis,
 * open or closed (a closed axis keeps its history). */
static int axis_tenant(gl_exec *x, gl_str axis, tenant_rec *rec, const gl_tenant_cfg **tc)
{
    *tc = gl_config_tenant(x->cfg, x->req->tenant.ptr, x->req->tenant.len);
    int st = *tc ? tenant_load(x->txn, x->req->tenant, rec) : GL_ERR_UNKNOWN_TENANT;
    an_axis_rec axis_rec;
    if (st == GL_ERR_UNKNOWN_TENANT && *tc)
        st = GL_ERR_NOT_FOUND; /* nothing written yet: no axis either */
    if (st == GL_OK)
        st = axis.len <= GL_AN_AXIS_MAX ? store_an_axis_get(x->txn, rec->number, axis, &axis_rec)
                                        : GL_ERR_NOT_FOUND;
    if (st == GL_ERR_NOT_FOUND)
        return exec_fail(x, GL_ERR_ANALYTIC_AXIS_UNKNOWN, 0, 0, "no analytic axis %.*s",
                         (int)axis.len, axis.ptr);
    return st == GL_OK ? GL_OK : exec_fail(x, st, 0, 0, "%s", gl_status_message(st));
}

/* debit, credit += sign * the pair stored in v (sign +1 or -1). */
static int pair_add(int64_t *debit, int64_t *credit, store_val v, int sign)
{
    store_pair p;
    if (store_pair_decode(v, &p) != GL_OK)
        return GL_ERR_STORAGE;
    return gl_money_add(debit, sign * p.debit) && gl_money_add(credit, sign * p.credit)
               ? GL_OK
               : GL_ERR_OVERFLOW;
}

/* Room for n more pairs in the run (b->run), after b->nrun. */
static int run_room(an_balance *b, size_t n)
{
    if (b->nrun + n <= b->run_cap)
        return GL_OK;
    size_t cap = b->run_cap ? b->run_cap * 2 : 256;
    while (cap < b->nrun + n)
        cap *= 2;
    an_pair *r = realloc(b->run, cap * sizeof *r);
    if (!r)
        return GL_ERR_INTERNAL;
    b->run = r, b->run_cap = cap;
    return GL_OK;
}

/* Merge the month just read (b->run, sorted by pair as its keys are) into
 * the pairs so far (sorted): one linear pass; a pair in both is summed
 * (checked), a pair new to the year inserted in its place. */
static int run_merge(an_balance *b)
{
    size_t n = b->npairs + b->nrun, i = b->npairs, j = b->nrun, k = 0;
    if (n > b->pairs_cap) {
        an_pair *p = realloc(b->pairs, n * sizeof *p);
        if (!p)
            return GL_ERR_INTERNAL;
        b->pairs = p, b->pairs_cap = n;
    }
    /* from the end, so that the merge writes in place */
    an_pair *out = b->pairs;
    size_t w = n;
    while (j > 0) {
        int c = i > 0 ? memcmp(out[i - 1].pair, b->run[j - 1].pair, KEY_AN_TOTALS_PAIR_LEN) : -1;
        if (c > 0)
            out[--w] = out[--i];
        else if (c < 0)
            out[--w] = b->run[--j];
        else {
            an_pair sum = out[--i];
            const an_pair *r = &b->run[--j];
            if (!gl_money_add(&sum.debit, r->debit) || !gl_money_add(&sum.credit, r->credit))
                return GL_ERR_OVERFLOW;
            out[--w] = sum;
            k++;
        }
    }
    /* the pairs below i are in place; close the gap the equal pairs left */
    if (k)
        memmove(out + i, out + w, (n - w) * sizeof *out);
    b->npairs = n - k;
    b->nrun = 0;
    return GL_OK;
}

/* One month row into the run: its pair, with its totals when the month
 * counts (before at's month, or at's month when late or whole), else 0
 * (the pair is known, for the day rows of at's month). */
static int run_add(an_balance *b, const an_key_parts *kp, store_val v, bool counts)
{
    int st = run_room(b, 1);
    if (st != GL_OK)
        return st;
    an_pair *p = &b->run[b->nrun++];
    memcpy(p->pair, kp->pair, KEY_AN_TOTALS_PAIR_LEN);
    p->debit = p->credit = 0;
    return counts ? pair_add(&p->debit, &p->credit, v, 1) : GL_OK;
}

/* The months of the year up to at's (one scan, month by month, each
 * month's rows in pair order merged into the pairs). */
static int months_walk(an_balance *b)
{
    uint8_t start[KEY_AN_TOTALS_LEN];
    key_an_totals(start, b->tenant, AN_TOTALS_MONTH, b->fy, b->axis, (gl_str){"", 0},
                  (gl_str){"", 0}, 0);
    store_scan s;
    int st = store_scan_begin(&s, b->x->txn, DB_AN_TOTALS, start, sizeof start,
                              KEY_AN_TOTALS_AXIS_PREFIX_LEN);
    uint32_t at_ym = b->at / 100, month = 0;
    while (st == GL_OK && store_scan_next(&s)) {
        an_key_parts kp;
        if (!key_an_totals_parse(s.k, &kp) || kp.tag != AN_TOTALS_MONTH) {
            st = GL_ERR_STORAGE;
            break;
        }
        if (kp.period > at_ym)
            break;
        if (kp.period != month && b->nrun && (st = run_merge(b)) != GL_OK)
            break;
        month = kp.period;
        st = run_add(b, &kp, s.v, month < at_ym || b->late || b->month_whole);
    }
    if (st == GL_OK && b->nrun)
        st = run_merge(b);
    return store_scan_close(&s, st);
}

/* The days of at's month in one scan (every pair's, by date): those up to
 * at added, or when late those after at taken from the whole month.  A
 * day's rows come in pair order, as the pairs are: each found by walking
 * the pairs forward from the previous row's, back to the first at each
 * new day (no binary search per row). */
static int days_walk(an_balance *b)
{
    if (b->month_whole)
        return GL_OK;
    uint32_t from = b->late ? b->at + 1 : b->at / 100 * 100, to = b->late ? b->month_end : b->at;
    int sign = b->late ? -1 : 1;
    uint8_t start[KEY_AN_TOTALS_LEN];
    key_an_totals(start, b->tenant, AN_TOTALS_DAY, b->fy, b->axis, (gl_str){"", 0}, (gl_str){"", 0},
                  from);
    store_scan s;
    int st = store_scan_begin(&s, b->x->txn, DB_AN_TOTALS, start, sizeof start,
                              KEY_AN_TOTALS_AXIS_PREFIX_LEN);
    uint32_t day = 0;
    size_t j = 0;
    while (st == GL_OK && store_scan_next(&s)) {
        an_key_parts kp;
        if (!key_an_totals_parse(s.k, &kp) || kp.tag != AN_TOTALS_DAY) {
            st = GL_ERR_STORAGE;
            break;
        }
        if (kp.period > to)
            break;
        if (kp.period != day)
            day = kp.period, j = 0;
        int c = -1;
        while (j < b->npairs && (c = memcmp(b->pairs[j].pair, kp.pair, KEY_AN_TOTALS_PAIR_LEN)) < 0)
            j++;
        if (c != 0)
            st = GL_ERR_STORAGE; /* a day without its month: the index is damaged */
        else
            st = pair_add(&b->pairs[j].debit, &b->pairs[j].credit, s.v, sign);
    }
    return store_scan_close(&s, st);
}

static int alloc_note(an_balance *b, const uint8_t *account, int64_t debit, int64_t credit)
{
    if (account[0] != '6' && account[0] != '7')
        return GL_OK;
    if (b->nalloc == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        an_acc *n = realloc(b->alloc, cap * sizeof *n);
        if (!n)
            return GL_ERR_INTERNAL;
        b->alloc = n, b->cap = cap;
    }
    an_acc *a = &b->alloc[b->nalloc++];
    memcpy(a->account, account, KEY_ACCOUNT_W);
    a->debit = debit, a->credit = credit;
    return GL_OK;
}

static void row_put(an_balance *b, gl_str code, const uint8_t *account, int64_t debit,
                    int64_t credit)
{
    gl_an_balance_row r = {code, key_unpad(account, KEY_ACCOUNT_W), debit, credit};
    gl_an_balance_row_put(b->x->body, &r);
    b->count++;
}

/* The rows with a code: every pair but those of 0 and 0. */
static int pairs_emit(an_balance *b)
{
    int st = GL_OK;
    for (size_t i = 0; st == GL_OK && i < b->npairs; i++) {
        const an_pair *p = &b->pairs[i];
        if (p->debit < 0 || p->credit < 0)
            return GL_ERR_STORAGE; /* days beyond their month's total: the index is damaged */
        if (!p->debit && !p->credit)
            continue;
        const uint8_t *account = p->pair + KEY_AN_CODE_W;
        row_put(b, key_unpad(p->pair, KEY_AN_CODE_W), account, p->debit, p->credit);
        st = alloc_note(b, account, p->debit, p->credit);
    }
    return st;
}

static int acc_cmp(const void *a, const void *b)
{
    return memcmp(((const an_acc *)a)->account, ((const an_acc *)b)->account, KEY_ACCOUNT_W);
}

/* Sort the allocated sums by account and merge each account's codes. */
static int alloc_merge(an_balance *b)
{
    if (b->nalloc)
        qsort(b->alloc, b->nalloc, sizeof *b->alloc, acc_cmp);
    size_t n = 0;
    for (size_t i = 0; i < b->nalloc; i++) {
        if (n && !acc_cmp(&b->alloc[n - 1], &b->alloc[i])) {
            if (!gl_money_add(&b->alloc[n - 1].debit, b->alloc[i].debit) ||
                !gl_money_add(&b->alloc[n - 1].credit, b->alloc[i].credit))
                return GL_ERR_OVERFLOW;
        } else {
            b->alloc[n++] = b->alloc[i];
        }
    }
    b->nalloc = n;
    return GL_OK;
}

/* asof_fn: one account's general balance at the date, less its allocated
 * sums; accounts of classes 6 and 7 only. */
static int not_allocated(void *user, const uint8_t *account, int64_t debit, int64_t credit)
{
    an_balance *b = user;
    if (account[0] > '7')
        return ASOF_STOP;
    an_acc key, *a;
    memcpy(key.account, account, KEY_ACCOUNT_W);
    a = b->nalloc ? bsearch(&key, b->alloc, b->nalloc, sizeof *b->alloc, acc_cmp) : NULL;
    if (a)
        debit -= a->debit, credit -= a->credit; /* both sides >= 0: no overflow */
    if (debit < 0 || credit < 0)
        return exec_fail(b->x, GL_ERR_STORAGE, 0, 0,
                         "the analytic totals of account %.*s exceed its general totals",
                         (int)key_unpad(account, KEY_ACCOUNT_W).len, (const char *)account);
    if (debit || credit)
        row_put(b, (gl_str){"", 0}, account, debit, credit);
    return GL_OK;
}

/* The general balances from the first account of class 6 on. */
static int not_allocated_walk(an_balance *b)
{
    uint8_t after[KEY_ACCOUNT_W];
    memset(after, 0xFF, sizeof after);
    after[0] = '5'; /* every account of classes 1-5 sorts on or before it */
    return asof_accounts_after(b->x->txn, b->tenant, b->fy, b->at, after, not_allocated, b);
}

/* The fiscal year's date asked: at, or the year's last day for 0. */
static int balance_date(gl_exec *x, const gl_an_balance_q *q, unsigned first_month, uint32_t *at)
{
    *at = q->at ? q->at : gl_fiscal_year_end(q->fy, first_month);
    if (gl_fiscal_year(*at, first_month) != q->fy)
        return exec_fail(x, GL_ERR_BAD_DATE, 0, 0, "%u is not a date of fiscal year %u", *at,
                         q->fy);
    return GL_OK;
}

static int balance_rows(an_balance *b)
{
    int st = months_walk(b);
    if (st == GL_OK)
        st = days_walk(b);
    if (st == GL_OK)
        st = pairs_emit(b);
    if (st == GL_OK)
        st = alloc_merge(b);
    if (st == GL_OK)
        st = not_allocated_walk(b);
    return st;
}

int query_analytic_balance(gl_exec *x, const gl_body *rq)
{
    gl_an_balance_q q = rq->an_balance;
    tenant_rec rec;
    const gl_tenant_cfg *tc;
    int st = axis_tenant(x, q.axis, &rec, &tc);
    an_balance b = {.x = x, .tenant = rec.number, .fy = q.fy, .axis = q.axis};
    if (st == GL_OK)
        st = balance_date(x, &q, tc->first_month, &b.at);
    if (st != GL_OK)
        return st;
    unsigned y = b.at / 10000, m = b.at / 100 % 100;
    unsigned days = (unsigned)gl_days_in_month(y, m);
    b.month_end = b.at / 100 * 100 + days;
    b.month_whole = b.at == b.month_end;
    b.late = b.at % 100 * 2 > days;
    gl_put_u32(x->body, b.at);
    size_t count_at = x->body->len;
    gl_put_u32(x->body, 0);
    st = balance_rows(&b);
    free(b.alloc);
    free(b.pairs);
    free(b.run);
    if (st == GL_ERR_OVERFLOW)
        return exec_fail(x, st, 0, 0, "a total exceeds the 64-bit cent range");
    if (st != GL_OK)
        return st;
    if (!gl_buf_ok(x->body))
        return GL_ERR_INTERNAL;
    gl_be32(x->body->data + count_at, b.count);
    return GL_OK;
}

/* --- ANALYTIC_LEDGER --- */

/* The row's entry fields and its line (1-based); storage (500) if the
 * index names a line its entry does not have. */
static int ledger_row_fill(gl_exec *x, uint32_t tenant, gl_an_ledger_row *r)
{
    gl_entry e;
    store_entry raw;
    int st = ledger_read_entry(x->txn, tenant, r->fy, r->num, &e, &raw);
    if (st == GL_ERR_NOT_FOUND)
        st = GL_ERR_STORAGE;
    if (st != GL_OK)
        return exec_fail(x, st, 0, 0, "entry %u/%u of the analytic ledger: %s", r->fy, r->num,
                         gl_status_message(st));
    r->journal = e.journal, r->piece_ref = e.piece_ref;
    gl_line_iter it;
    gl_line l;
    gl_line_iter_init(&it, &e);
    for (uint16_t n = 1; gl_line_next(&it, &l); n++)
        if (n == r->line) {
            r->account = l.account, r->label = l.label.len ? l.label : e.label;
            return GL_OK;
        }
    return exec_fail(x, GL_ERR_STORAGE, 0, 0, "entry %u/%u has no line %u", r->fy, r->num, r->line);
}

/* The first key of the page: after the last row of the previous page, or
 * from the first date asked. */
static void ledger_start(const gl_an_ledger_q *q, uint32_t tenant, uint8_t k[KEY_AN_LINES_LEN],
                         bool *skip_first)
{
    bool after = q->after_date || q->after_fy || q->after_num || q->after_line;
    *skip_first = after && q->after_date >= q->from;
    if (*skip_first)
        key_an_lines(k, tenant, q->axis, q->code, q->after_date, q->after_fy, q->after_num,
                     q->after_line);
    else
        key_an_lines(k, tenant, q->axis, q->code, q->from, 0, 0, 0);
}

int query_analytic_ledger(gl_exec *x, const gl_body *rq)
{
    gl_an_ledger_q q = rq->an_ledger;
    tenant_rec rec;
    const gl_tenant_cfg *tc;
    int st = axis_tenant(x, q.axis, &rec, &tc);
    if (st != GL_OK)
        return st;
    uint8_t k[KEY_AN_LINES_LEN];
    bool skip_first;
    ledger_start(&q, rec.number, k, &skip_first);
    size_t count_at = x->body->len;
    gl_put_u16(x->body, 0);
    uint16_t count = 0;
    uint8_t more = 0;
    store_scan s;
    st = store_scan_begin(&s, x->txn, DB_ANALYTIC, k, sizeof k, KEY_AN_LINES_CODE_PREFIX_LEN);
    while (st == GL_OK && store_scan_next(&s)) {
        if (skip_first && s.k.len == sizeof k && !memcmp(s.k.ptr, k, sizeof k))
            continue;
        an_key_parts kp;
        store_an_line v;
        if (!key_an_lines_parse(s.k, &kp) || store_an_line_decode(s.v, &v) != GL_OK) {
            st = GL_ERR_STORAGE;
            break;
        }
        if (q.to && kp.date > q.to)
            break;
        if (count == q.limit) {
            more = 1;
            break;
        }
        gl_an_ledger_row r = {
            kp.date, kp.fy, kp.num, kp.line, .amount_cents = v.amount_cents, .source = v.source};
        if ((st = ledger_row_fill(x, rec.number, &r)) == GL_OK)
            gl_an_ledger_row_put(x->body, &r), count++;
    }
    st = store_scan_close(&s, st);
    if (st != GL_OK)
        return st;
    gl_put_u8(x->body, more);
    if (!gl_buf_ok(x->body))
        return GL_ERR_INTERNAL;
    gl_be16(x->body->data + count_at, count);
    return GL_OK;
}
