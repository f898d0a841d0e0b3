/*
 * client/verify/verify_entries.c — the replay of entries: each entry event
 * checked against its signed request (byte for byte for a POST), numbered
 * without gaps per fiscal year, dated in its year, balanced, in an open
 * period, on opened accounts, reversing an entry at most once; then added
 * to the balances.  The line comparisons the close and reversals use are
 * here too.
 */
#include "verify_int.h"

#include "proto/analytic.h"
#include "proto/carry.h"
#include "proto/date.h"
#include "proto/status.h"

#include <stdio.h>

static bool apply_entry(vctx *v, uint16_t fy, uint32_t num, uint32_t event, const gl_entry *e)
{
    tstate *ts = &v->ts;
    gl_line_iter it;
    gl_line l;
    gl_line_iter_init(&it, e);
    year_state *y = vf_year_get(v, fy);
    if (!y)
        return false;
    while (gl_line_next(&it, &l)) {
        bal_key k = vf_make_bal_key(fy, l.account, l.aux);
        bal_val *b = vf_map_get(&ts->balances, &k, true, &v->nomem);
        if (!b)
            return false;
        int64_t *side = l.side == GL_SIDE_DEBIT ? &b->debit : &b->credit;
        int64_t *total = l.side == GL_SIDE_DEBIT ? &y->sum.debit_cents : &y->sum.credit_cents;
        if (!gl_money_add(side, l.amount_cents) || !gl_money_add(total, l.amount_cents))
            return vf_problem(v, GL_VP_UNBALANCED,
                              "account %.*s's total for %u exceeds the 64-bit cent range",
                              (int)l.account.len, l.account.ptr, fy);
        if (l.aux.len && l.aux_label.len) {
            acct_key ak = vf_make_acct_key(l.aux);
            gl_str *label = vf_map_get(&ts->aux_labels, &ak, true, &v->nomem);
            if (!label)
                return false;
            if (!label->ptr)
                *label = l.aux_label;
        }
    }
    num_key nk = vf_make_num_key(fy, num);
    num_val *n = vf_map_get(&ts->numbers, &nk, true, &v->nomem);
    if (!n)
        return false;
    n->event = event;
    y->sum.entries++;
    ts->entries++;
    return true;
}

int vf_cline_cmp(const void *pa, const void *pb)
{
    const cline *a = pa, *b = pb;
    int c = str_cmp(a->account, b->account);
    if (!c)
        c = str_cmp(a->aux, b->aux);
    if (!c)
        c = (int)a->side - (int)b->side;
    if (!c)
        c = a->amount < b->amount ? -1 : a->amount > b->amount;
    if (!c)
        c = str_cmp(a->analytic, b->analytic);
    return c;
}

static void cline_text(const cline *l, char *out, size_t out_len)
{
    char m[GL_MONEY_TEXT_MAX];
    snprintf(out, out_len, "%.*s%s%.*s %s %s", (int)l->account.len, l->account.ptr,
             l->aux.len ? "/" : "", (int)l->aux.len, l->aux.ptr,
             l->side == GL_SIDE_DEBIT ? "debit" : "credit", money(l->amount, m));
    if (l->analytic.len) {
        size_t used = strlen(out);
        snprintf(out + used, out_len - used, " (with analytic codes)");
    }
}

/* Compare an entry's lines with the expected ones (both sorted here). */
bool vf_same_lines(vctx *v, int kind, const char *what, const gl_entry *e, cline *want,
                   size_t want_n)
{
    cline *got = calloc(e->line_count ? e->line_count : 1, sizeof *got);
    if (!got)
        return vf_out_of_memory(v);
    gl_line_iter it;
    gl_line l;
    size_t n = 0;
    gl_line_iter_init(&it, e);
    while (gl_line_next(&it, &l))
        got[n++] = (cline){l.account, l.aux, l.side, l.amount_cents,
                           gl_line_analytic_bytes(l.ext, l.ext_len)};
    sort_items(got, n, sizeof *got, vf_cline_cmp);
    sort_items(want, want_n, sizeof *want, vf_cline_cmp);
    bool ok = true;
    char a[128], b[128];
    for (size_t i = 0; ok && (i < n || i < want_n); i++) {
        if (i < n && i < want_n && vf_cline_cmp(&got[i], &want[i]) == 0)
            continue;
        if (i < want_n && (i >= n || vf_cline_cmp(&want[i], &got[i]) < 0)) {
            cline_text(&want[i], a, sizeof a);
            ok = vf_problem(v, kind, "%s: the line %s is missing", what, a);
        } else if (i < want_n) {
            cline_text(&got[i], a, sizeof a);
            cline_text(&want[i], b, sizeof b);
            ok = vf_problem(v, kind, "%s: the line %s should be %s", what, a, b);
        } else {
            cline_text(&got[i], a, sizeof a);
            ok = vf_problem(v, kind, "%s: the line %s should not be there", what, a);
        }
    }
    free(got);
    return ok;
}

/* Net balances of fiscal year fy whose class is in [lo, hi], as lines:
 * on the balance's side (same_side) or the opposite one. */
bool vf_year_lines(vctx *v, uint16_t fy, char lo, char hi, bool same_side, cline **out, size_t *n,
                   int64_t *net_sum)
{
    map *m = &v->ts.balances;
    *out = calloc(m->count + 1, sizeof **out);
    *n = 0;
    *net_sum = 0;
    if (!*out)
        return vf_out_of_memory(v);
    const bal_key *k;
    const bal_val *b;
    for (size_t i = 0; vf_next_balance(m, &i, &k, &b);) {
        if (k->fy != fy || k->alen == 0 || k->account[0] < lo || k->account[0] > hi)
            continue;
        int64_t net = b->debit - b->credit; /* both >= 0: cannot overflow */
        if (net == 0)
            continue;
        if (!gl_money_add(net_sum, net)) {
            free(*out);
            *out = NULL;
            return vf_problem(v, GL_VP_CLOSING, "the year's balances overflow");
        }
        uint8_t side = (net > 0) == same_side ? GL_SIDE_DEBIT : GL_SIDE_CREDIT;
        (*out)[(*n)++] =
            (cline){{k->account, k->alen}, {k->aux, k->xlen}, side, net > 0 ? net : -net, {"", 0}};
    }
    return true;
}

/* Ledger rules a replay can check: the validation date, locked periods,
 * opened accounts, reversals. */
static bool check_rules(vctx *v, const gl_entry *e, int64_t recorded_ms)
{
    tstate *ts = &v->ts;
    char d[11];
    /* the daemon's rule (441): no validation date after the French day of
     * the time it recorded the entry; no ledger holds one from before it */
    uint32_t valid = gl_entry_valid_date(e);
    if (valid && valid > gl_date_paris(recorded_ms)) {
        char r[11];
        return vf_problem(v, GL_VP_RULE, "validated on %s, after the day it was recorded (%s)",
                          gl_date_format(valid, d), gl_date_format(gl_date_paris(recorded_ms), r));
    }
    if (!e->flags && e->date / 100 <= ts->locked_through)
        return vf_problem(v, GL_VP_RULE, "dated %s, in a period already locked (through %04u-%02u)",
                          gl_date_format(e->date, d), ts->locked_through / 100,
                          ts->locked_through % 100);
    gl_line_iter it;
    gl_line l;
    uint32_t n = 0;
    gl_line_iter_init(&it, e);
    while (gl_line_next(&it, &l)) {
        n++;
        gl_open_item oi; /* the daemon's rule (456): only its close carries one */
        if (!e->flags && gl_line_open_item(l.ext, l.ext_len, &oi))
            return vf_problem(v, GL_VP_RULE,
                              "line %u carries an open item, which only a close writes", n);
        acct_key k = vf_make_acct_key(l.account);
        acct_val *a = vf_map_get(&ts->accounts, &k, false, &v->nomem);
        if (!a || !a->opened)
            return vf_problem(
                v, GL_VP_RULE, "line %u: account %.*s was not opened in %.*s's chart before", n,
                (int)l.account.len, l.account.ptr, (int)ts->at->id.len, ts->at->id.ptr);
    }
    if (!e->reverses_fy)
        return true;
    num_key nk = vf_make_num_key(e->reverses_fy, e->reverses_num);
    num_val *target = vf_map_get(&ts->numbers, &nk, false, &v->nomem);
    gl_entry te;
    uint16_t tfy;
    uint32_t tnum;
    if (!target || !vf_entry_of(v, ts->at, target->event, &te, &tfy, &tnum))
        return vf_problem(v, GL_VP_RULE, "reverses entry %u/%u, which comes nowhere before it",
                          e->reverses_fy, e->reverses_num);
    if (te.flags)
        return vf_problem(v, GL_VP_RULE, "reverses entry %u/%u, which a year close wrote",
                          e->reverses_fy, e->reverses_num);
    if (target->reversed)
        return vf_problem(v, GL_VP_RULE, "reverses entry %u/%u, which was already reversed",
                          e->reverses_fy, e->reverses_num);
    /* the same lines, sides swapped, in any order */
    cline *want = calloc(te.line_count ? te.line_count : 1, sizeof *want);
    if (!want)
        return vf_out_of_memory(v);
    size_t k = 0;
    gl_line_iter_init(&it, &te);
    while (gl_line_next(&it, &l))
        want[k++] =
            (cline){l.account, l.aux, l.side == GL_SIDE_DEBIT ? GL_SIDE_CREDIT : GL_SIDE_DEBIT,
                    l.amount_cents, gl_line_analytic_bytes(l.ext, l.ext_len)};
    char what[80];
    snprintf(what, sizeof what, "not the exact opposite of entry %u/%u, which it reverses",
             e->reverses_fy, e->reverses_num);
    bool ok = vf_same_lines(v, GL_VP_RULE, what, e, want, k);
    free(want);
    if (ok)
        target->reversed = 1;
    return ok;
}

bool vf_event_entry(vctx *v, const gl_event *ev, uint32_t event_index)
{
    tstate *ts = &v->ts;
    uint16_t fy;
    uint32_t num;
    gl_entry e;
    int st = entry_payload(ev, &fy, &num, &e);
    if (st != GL_OK)
        return vf_problem(v, GL_VP_RECORD, "the entry does not decode (%s)", gl_status_name(st));
    env_state *es = vf_event_request(v, ev, ts->seq);
    if (!es)
        return false;
    uint16_t kind = es->req.kind;
    if (kind != GL_KIND_POST && kind != GL_KIND_CLOSE_YEAR && kind != GL_KIND_RECHARGE &&
        kind != GL_KIND_DUES && kind != GL_KIND_RECHARGE_ADJUST && kind != GL_KIND_ASSET_POST)
        return vf_problem(v, GL_VP_REQUEST,
                          "an entry cannot come from a %s request (envelope %llu)",
                          gl_kind_name(kind), (unsigned long long)ev->head.envelope);
    if (e.layout != request_layout(&es->req))
        return vf_problem(
            v, GL_VP_REQUEST,
            "an entry in layout %u cannot come from a version %u request (envelope "
            "%llu): a version 1 request writes layout 1 entries, a version 2 request layout 2",
            e.layout, es->req.version, (unsigned long long)ev->head.envelope);
    if (!str_eq(e.tenant, ts->at->id))
        return vf_problem(v, GL_VP_RECORD, "the entry belongs to tenant '%.*s'", (int)e.tenant.len,
                          e.tenant.ptr);
    if (e.flags && kind != GL_KIND_CLOSE_YEAR)
        return vf_problem(v, GL_VP_REQUEST,
                          "a result or opening entry must come from a year close, not a %s request",
                          gl_kind_name(kind));
    if (!e.flags && kind == GL_KIND_CLOSE_YEAR)
        return vf_problem(v, GL_VP_REQUEST,
                          "a year close writes only its result entry and its à-nouveaux");
    if (kind == GL_KIND_POST) {
        uint32_t item = ev->head.item;
        if (item == 0 || item > es->item_count)
            return vf_problem(v, GL_VP_REQUEST,
                              "its signed request (envelope %llu) has no entry %u",
                              (unsigned long long)ev->head.envelope, item);
        if (es->item_len[item - 1] != e.raw_len || memcmp(es->item_ptr[item - 1], e.raw, e.raw_len))
            return vf_problem(v, GL_VP_REQUEST,
                              "not the entry its signed request holds (envelope %llu, entry %u): "
                              "altered after it was signed",
                              (unsigned long long)ev->head.envelope, item);
        if (!history(&es->req) && !vf_check_person_lines(v, &e, item))
            return false;
    }
    year_state *y = vf_year_get(v, fy);
    if (!y)
        return false;
    if (num != y->next) {
        if (num > y->next && y->next == 1)
            return vf_problem(v, GL_VP_NUMBERING,
                              "entry %u/1 is missing here (removed or moved): the year's numbering "
                              "starts at %u/%u",
                              fy, fy, num);
        if (num > y->next)
            return vf_problem(v, GL_VP_NUMBERING,
                              "entry %u/%u is missing here (removed or moved): the numbering goes "
                              "from %u/%u to %u/%u",
                              fy, y->next, fy, y->next - 1, fy, num);
        return vf_problem(v, GL_VP_NUMBERING,
                          "numbered again or out of order: the next number of %u was %u/%u", fy, fy,
                          y->next);
    }
    y->next = num + 1;
    if (gl_fiscal_year(e.date, ts->at->first_month) != fy) {
        char d[11];
        return vf_problem(v, GL_VP_NUMBERING, "dated %s, which is not in fiscal year %u",
                          gl_date_format(e.date, d), fy);
    }
    uint32_t bad_line;
    st = gl_entry_check(&e, &bad_line);
    if (st == GL_ERR_UNBALANCED) {
        int64_t debit = 0, credit = 0;
        gl_line_iter it;
        gl_line l;
        gl_line_iter_init(&it, &e);
        while (gl_line_next(&it, &l))
            gl_money_add(l.side == GL_SIDE_DEBIT ? &debit : &credit, l.amount_cents);
        char a[GL_MONEY_TEXT_MAX], b[GL_MONEY_TEXT_MAX];
        return vf_problem(v, GL_VP_UNBALANCED, "unbalanced: debits %s, credits %s", money(debit, a),
                          money(credit, b));
    }
    if (st != GL_OK)
        return vf_problem(v, GL_VP_UNBALANCED, "%s%.0u: %s", bad_line ? "line " : "invalid entry",
                          bad_line, gl_status_message(st));
    if (kind == GL_KIND_CLOSE_YEAR && !vf_check_close_entry(v, es, ev, fy, num, &e))
        return false;
    if ((kind == GL_KIND_RECHARGE || kind == GL_KIND_DUES || kind == GL_KIND_RECHARGE_ADJUST) &&
        !vf_check_group_entry(v, es, ev, &e))
        return false;
    if (kind == GL_KIND_ASSET_POST && !vf_check_asset_entry(v, es, ev, &e))
        return false;
    if (!check_rules(v, &e, ev->head.recorded_ms))
        return false;
    if (kind == GL_KIND_POST && !vf_analytic_entry(v, &e, fy, num))
        return false;
    return apply_entry(v, fy, num, event_index, &e);
}
