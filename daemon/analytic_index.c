/*
 * daemon/analytic_index.c — the analytic indexes (analytic_index.h): each
 * share of a line on an axis adds its amount to the (debit, credit) pair
 * of its (fiscal year, axis, code, account) for its month and for its day
 * in an_totals, and one row to the code's analytic ledger (analytic tag
 * 5).  Taking a share away (sign -1, an allocation replaced) subtracts it
 * and deletes the row.  In the writer, both go to the request's totals
 * cache as deferred slots (totals.h): never read back in the request,
 * written at its flush sorted by key through one cursor a table (a batch's
 * shares fall on one leaf per code and per day: LMDB then finds each next
 * key in the leaf it is on; docs/benchmarks.md, "Analytic balance").  A
 * share taken away is checked at once against the store (and the request's
 * own deferred sum), a row to delete must be there at once: the refusal
 * names its line.  Without a cache (the year close) they are written
 * through.
 *
 * A share is at most its line's amount and a line counts once per axis
 * (in its entry, or by its latest allocation), so a code's total for an
 * account and a period never passes that account's own total, which the
 * entry writer caps: the checks below guard the index, they do not stand
 * in for the cap.  A total going below zero, or a row to delete that is
 * not there, is an index out of step with the chain: storage (500).
 */
#include "analytic_index.h"

#include "totals.h"
#include "store/analytic_keys.h"
#include "store/values.h"

#include "proto/assert.h"
#include "proto/money.h"
#include "proto/status.h"

#include <string.h>

static int total_over(gl_exec *x, const an_line_ref *ref)
{
    return exec_fail(x, GL_ERR_TOTAL_LIMIT, 0, ref->line,
                     "entry %u/%u line %u: an analytic total of account %.*s would exceed the "
                     "64-bit cent range",
                     ref->fy, ref->num, ref->line, (int)ref->account.len, ref->account.ptr);
}

/* The pair's side += delta_cents (either sign), checked: an overflow or a
 * total below zero leaves it unchanged. */
static int side_add(gl_exec *x, const an_line_ref *ref, int64_t *side, int64_t delta_cents)
{
    int64_t sum = *side;
    if (!gl_money_add(&sum, delta_cents))
        return total_over(x, ref);
    if (sum < 0)
        return exec_fail(x, GL_ERR_STORAGE, 0, ref->line,
                         "entry %u/%u line %u: the analytic index of account %.*s is out of step "
                         "with the chain",
                         ref->fy, ref->num, ref->line, (int)ref->account.len, ref->account.ptr);
    *side = sum;
    return GL_OK;
}

/* What the store holds at key for the pair's side: debit or credit (0 if
 * absent). */
static int stored_side(gl_exec *x, const uint8_t *key, bool debit, int64_t *out)
{
    store_val v;
    store_pair pair = {0, 0};
    int st = store_get(x->txn, DB_AN_TOTALS, key, KEY_AN_TOTALS_LEN, &v);
    if (st == GL_OK && store_pair_decode(v, &pair) != GL_OK)
        st = GL_ERR_STORAGE;
    *out = debit ? pair.debit : pair.credit;
    return st == GL_ERR_NOT_FOUND ? GL_OK : st;
}

/* Through the request's cache: the delta joins the key's deferred sum,
 * added to the stored pair at the flush (totals.h).  A share taken away
 * is checked now against what the store holds, so that an index out of
 * step names its line. */
static int pair_defer(gl_exec *x, const an_line_ref *ref, const uint8_t *key, bool debit,
                      int64_t delta)
{
    bool fresh;
    int st;
    totals_slot *s = totals_deferred(x->totals, DB_AN_TOTALS, key, KEY_AN_TOTALS_LEN, &fresh, &st);
    if (!s)
        return st;
    if (fresh) {
        s->kind = TOTALS_DELTA;
        s->debit = s->credit = 0;
    }
    int64_t *side = debit ? &s->debit : &s->credit;
    if (delta < 0) {
        int64_t stored, sum;
        if ((st = stored_side(x, key, debit, &stored)) != GL_OK)
            return st;
        sum = *side + delta; /* |both| < 2^63, opposite signs or delta alone: no overflow */
        if ((st = side_add(x, ref, &stored, sum)) != GL_OK)
            return st;
        *side = sum;
        return GL_OK;
    }
    if (!gl_money_add(side, delta)) /* the deferred sum may be below 0: only its range counts */
        return total_over(x, ref);
    return GL_OK;
}

/* Add a share (signed_cents, debit > 0; sign +1 or -1) to the pair at key. */
static int pair_add(gl_exec *x, const an_line_ref *ref, const uint8_t *key, int64_t signed_cents,
                    int sign)
{
    bool debit = signed_cents > 0;
    int64_t delta = (debit ? signed_cents : -signed_cents) * sign; /* |share| < 2^63 */
    if (x->totals)
        return pair_defer(x, ref, key, debit, delta);
    store_val v;
    store_pair pair = {0, 0};
    int st = store_get(x->txn, DB_AN_TOTALS, key, KEY_AN_TOTALS_LEN, &v);
    if (st == GL_OK && store_pair_decode(v, &pair) != GL_OK)
        st = GL_ERR_STORAGE;
    if (st != GL_OK && st != GL_ERR_NOT_FOUND)
        return st;
    if ((st = side_add(x, ref, debit ? &pair.debit : &pair.credit, delta)) != GL_OK)
        return st;
    uint8_t nv[STORE_PAIR_LEN];
    store_pair_encode(nv, pair);
    return store_put(x->txn, DB_AN_TOTALS, key, KEY_AN_TOTALS_LEN, nv, sizeof nv);
}

static int no_row(gl_exec *x, const an_line_ref *ref, gl_str code)
{
    return exec_fail(x, GL_ERR_STORAGE, 0, ref->line,
                     "entry %u/%u line %u: no analytic ledger row for code %.*s", ref->fy, ref->num,
                     ref->line, (int)code.len, code.ptr);
}

/* The row through the request's cache (written or deleted at the flush,
 * in key order); a row to delete must be there now. */
static int row_defer(gl_exec *x, const an_line_ref *ref, gl_str code, const uint8_t *k,
                     const uint8_t v[STORE_AN_LINE_LEN], int sign)
{
    bool fresh;
    int st;
    totals_slot *s = totals_deferred(x->totals, DB_ANALYTIC, k, KEY_AN_LINES_LEN, &fresh, &st);
    if (!s)
        return st;
    if (sign > 0) {
        s->kind = TOTALS_ROW_PUT;
        s->row_len = STORE_AN_LINE_LEN;
        memcpy(s->row, v, STORE_AN_LINE_LEN);
        return GL_OK;
    }
    bool was_put = !fresh && s->kind == TOTALS_ROW_PUT;
    s->kind = TOTALS_ROW_DEL;
    s->must_exist = !was_put; /* put by this request: maybe not in the store */
    if (was_put)
        return GL_OK;
    if (!fresh) /* deleted already */
        return no_row(x, ref, code);
    store_val old;
    st = store_get(x->txn, DB_ANALYTIC, k, KEY_AN_LINES_LEN, &old);
    return st == GL_ERR_NOT_FOUND ? no_row(x, ref, code) : st;
}

/* The code's row in the analytic ledger: written (sign +1) or deleted. */
static int line_row(gl_exec *x, const an_line_ref *ref, gl_str axis, gl_str code,
                    int64_t signed_cents, int sign, uint8_t source)
{
    uint8_t k[KEY_AN_LINES_LEN];
    key_an_lines(k, ref->tenant, axis, code, ref->date, ref->fy, ref->num, ref->line);
    uint8_t v[STORE_AN_LINE_LEN];
    store_an_line_encode(v, (store_an_line){signed_cents, source});
    if (x->totals)
        return row_defer(x, ref, code, k, v, sign);
    if (sign < 0) {
        int st = store_del(x->txn, DB_ANALYTIC, k, sizeof k);
        return st == GL_ERR_NOT_FOUND ? no_row(x, ref, code) : st;
    }
    return store_put(x->txn, DB_ANALYTIC, k, sizeof k, v, sizeof v);
}

static int share_index(gl_exec *x, const an_line_ref *ref, gl_str axis, const gl_an_share *sh,
                       int sign, uint8_t source)
{
    GL_ASSERT(sh->amount_cents > 0 && ref->signed_cents != 0);
    int64_t signed_cents = ref->signed_cents > 0 ? sh->amount_cents : -sh->amount_cents;
    uint8_t k[KEY_AN_TOTALS_LEN];
    key_an_totals(k, ref->tenant, AN_TOTALS_MONTH, ref->fy, axis, sh->code, ref->account,
                  ref->date / 100);
    int st = pair_add(x, ref, k, signed_cents, sign);
    key_an_totals(k, ref->tenant, AN_TOTALS_DAY, ref->fy, axis, sh->code, ref->account, ref->date);
    if (st == GL_OK)
        st = pair_add(x, ref, k, signed_cents, sign);
    if (st == GL_OK)
        st = line_row(x, ref, axis, sh->code, signed_cents, sign, source);
    return st;
}

int analytic_index_split(gl_exec *x, const an_line_ref *ref, const gl_an_split *split, int sign,
                         uint8_t source)
{
    GL_ASSERT(sign == 1 || sign == -1);
    GL_ASSERT(source == GL_AN_SOURCE_ENTRY || source == GL_AN_SOURCE_ALLOC);
    int st = GL_OK;
    for (uint8_t i = 0; st == GL_OK && i < split->count; i++)
        st = share_index(x, ref, split->axis, &split->shares[i], sign, source);
    return st;
}

int analytic_index_line(gl_exec *x, const an_line_ref *ref, const uint8_t *ext, size_t ext_len)
{
    gl_analytic a;
    if (!gl_line_analytic(ext, ext_len, &a))
        return GL_OK;
    int st = GL_OK;
    for (uint8_t i = 0; st == GL_OK && i < a.naxes; i++)
        st = analytic_index_split(x, ref, &a.axes[i], 1, GL_AN_SOURCE_ENTRY);
    return st;
}
