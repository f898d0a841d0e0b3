/*
 * client/verify/verify_chain.c — one tenant's chain: each event checked in
 * sequence (numbering, link, hash) and handed to the replay of its type;
 * then the chain's head, and the archived trial balances compared with the
 * replayed balances.
 */
#include "verify_int.h"

#include "proto/date.h"
#include "proto/status.h"

#include <stdio.h>

static const char *type_name(uint16_t type)
{
    switch (type) {
    case GL_EVENT_ENTRY: return "entry";
    case GL_EVENT_ENTRY2: return "entry";
    case GL_EVENT_ACCOUNT_OPEN: return "account opening";
    case GL_EVENT_LOCK: return "lock";
    case GL_EVENT_CLOSE: return "year close";
    case GL_EVENT_LETTER: return "lettering";
    case GL_EVENT_UNLETTER: return "unlettering";
    case GL_EVENT_ACCOUNT_LABEL: return "label change";
    case GL_EVENT_THIRD_PARTY: return "third party";
    case GL_EVENT_CARRY_MODE: return "carry-over mode";
    case GL_EVENT_REMINDER: return "reminder";
    case GL_EVENT_FORGET: return "forgetting";
    case GL_EVENT_BANK_ACCOUNT: return "bank account";
    case GL_EVENT_BANK_STATEMENT: return "bank statement";
    case GL_EVENT_BANK_MATCH: return "bank match";
    case GL_EVENT_BANK_UNMATCH: return "bank unmatch";
    case GL_EVENT_BANK_RULE: return "bank rule";
    case GL_EVENT_ANALYTIC_AXIS: return "analytic axis";
    case GL_EVENT_ANALYTIC_CODE: return "analytic code";
    case GL_EVENT_ANALYTIC_RULE: return "analytic rule";
    case GL_EVENT_ANALYTIC_ALLOC: return "analytic allocation";
    case GL_EVENT_TIMESHEET: return "time sheet";
    case GL_EVENT_GRANT: return "grant";
    case GL_EVENT_BUDGET: return "budget";
    case GL_EVENT_ASSET: return "fixed asset";
    case GL_EVENT_ASSET_POST: return "asset post";
    default: return "event of an unknown type";
    }
}

static bool verify_event(vctx *v, uint32_t i)
{
    tstate *ts = &v->ts;
    const gl_archive_tenant *at = ts->at;
    const gl_archive_event *ae = &at->events[i];
    uint64_t want = (uint64_t)i + 1;
    ts->seq = ae->seq;
    ts->what = "event";
    ts->has_entry = false;
    if (ae->seq != want) {
        ts->seq = want;
        gl_event next;
        if (ae->seq > want && gl_event_decode(ae->record, ae->record_len, &next) == GL_OK &&
            gl_event_entry_layout(next.type) && next.payload_len >= 6) {
            /* name the entry that went with the missing event, if it shows */
            uint16_t fy = gl_rd16(next.payload);
            uint32_t num = gl_rd32(next.payload + 2);
            year_state *y = vf_year_find(ts, fy);
            uint32_t expect = y ? y->next : 1;
            if (num > expect) {
                ts->has_entry = true;
                ts->fy = fy;
                ts->num = expect;
                return vf_problem(v, GL_VP_SEQUENCE,
                                  "missing: the chain goes from event %u to event %llu, and from "
                                  "entry %u/%u to %u/%u",
                                  i, (unsigned long long)ae->seq, fy, expect - 1, fy, num);
            }
        }
        if (ae->seq > want)
            return vf_problem(v, GL_VP_SEQUENCE,
                              "missing: the chain goes from event %u to event %llu", i,
                              (unsigned long long)ae->seq);
        return vf_problem(v, GL_VP_SEQUENCE,
                          "event %llu comes here: events repeated or out of order",
                          (unsigned long long)ae->seq);
    }
    gl_event ev;
    int st = gl_event_decode(ae->record, ae->record_len, &ev);
    if (st != GL_OK)
        return vf_problem(v, GL_VP_RECORD, "the record does not decode (%s)", gl_status_name(st));
    ts->what = type_name(ev.type);
    if (ev.type == GL_EVENT_ACCOUNT_OPEN && ev.payload_len >= 1 && ev.payload[0] < ev.payload_len) {
        gl_str account = {(const char *)ev.payload + 1, ev.payload[0]};
        if (gl_account_valid(account)) {
            snprintf(ts->what_buf, sizeof ts->what_buf, "account opening %.*s", (int)account.len,
                     account.ptr);
            ts->what = ts->what_buf;
        }
    }
    if (gl_event_entry_layout(ev.type) &&
        ev.payload_len >= 6) { /* name the entry in every message */
        ts->has_entry = true;
        ts->fy = gl_rd16(ev.payload);
        ts->num = gl_rd32(ev.payload + 2);
    }
    static const uint8_t zero[GL_HASH_BYTES];
    if (memcmp(ev.prev_hash, ts->prev, GL_HASH_BYTES)) {
        if (i == 0 && memcmp(ev.prev_hash, zero, GL_HASH_BYTES))
            return vf_problem(v, GL_VP_LINK,
                              "the first event must name no previous event: the start of the chain "
                              "is missing");
        return vf_problem(
            v, GL_VP_LINK,
            "its link to event %u is broken (the previous hash it names is not event %u's): "
            "an event was removed, inserted or moved",
            i, i);
    }
    if (gl_event_verify(&ev, at->id.ptr, at->id.len, want, ts->prev) != GL_OK)
        return vf_problem(v, GL_VP_HASH, "its hash does not recompute: the record was altered");
    memcpy(ts->prev, ev.hash, GL_HASH_BYTES);
    bool ok;
    switch (ev.type) {
    case GL_EVENT_ENTRY:
    case GL_EVENT_ENTRY2: ok = vf_event_entry(v, &ev, i); break;
    case GL_EVENT_ACCOUNT_OPEN: ok = vf_event_account_open(v, &ev); break;
    case GL_EVENT_LOCK: ok = vf_event_lock(v, &ev); break;
    case GL_EVENT_CLOSE: ok = vf_event_close(v, &ev); break;
    case GL_EVENT_LETTER: ok = vf_event_letter(v, &ev); break;
    case GL_EVENT_UNLETTER: ok = vf_event_unletter(v, &ev); break;
    case GL_EVENT_ACCOUNT_LABEL: ok = vf_event_account_label(v, &ev); break;
    case GL_EVENT_THIRD_PARTY: ok = vf_event_third_party(v, &ev); break;
    case GL_EVENT_CARRY_MODE: ok = vf_event_carry_mode(v, &ev); break;
    case GL_EVENT_REMINDER: ok = vf_event_reminder(v, &ev); break;
    case GL_EVENT_FORGET: ok = vf_event_forget(v, &ev); break;
    case GL_EVENT_BANK_ACCOUNT: ok = vf_event_bank_account(v, &ev); break;
    case GL_EVENT_BANK_STATEMENT: ok = vf_event_bank_statement(v, &ev); break;
    case GL_EVENT_BANK_MATCH: ok = vf_event_bank_match(v, &ev); break;
    case GL_EVENT_BANK_UNMATCH: ok = vf_event_bank_unmatch(v, &ev); break;
    case GL_EVENT_BANK_RULE: ok = vf_event_bank_rule(v, &ev); break;
    case GL_EVENT_ANALYTIC_AXIS: ok = vf_event_analytic_axis(v, &ev); break;
    case GL_EVENT_ANALYTIC_CODE: ok = vf_event_analytic_code(v, &ev); break;
    case GL_EVENT_ANALYTIC_RULE: ok = vf_event_analytic_rule(v, &ev); break;
    case GL_EVENT_ANALYTIC_ALLOC: ok = vf_event_analytic_alloc(v, &ev); break;
    case GL_EVENT_TIMESHEET: ok = vf_event_timesheet(v, &ev); break;
    case GL_EVENT_GRANT: ok = vf_event_grant(v, &ev); break;
    case GL_EVENT_BUDGET: ok = vf_event_budget(v, &ev); break;
    case GL_EVENT_ASSET: ok = vf_event_asset(v, &ev); break;
    case GL_EVENT_ASSET_POST: ok = vf_event_asset_post(v, &ev); break;
    default:
        /* unknown types are skipped, as the protocol says: their hash and
         * signature are checked, their payload is not understood */
        v->r->unknown_events++;
        ok = vf_event_request(v, &ev, ts->seq) != NULL;
        break;
    }
    if (ok && ts->ended_pending) {
        ts->ended_pending = false;
        ok = vf_end_run(v, &ts->ended);
    }
    return ok;
}

/* One account's recomputed totals for a year. */
typedef struct tb_row {
    gl_str account;
    int64_t debit, credit;
} tb_row;

static int tb_cmp(const void *pa, const void *pb)
{
    const tb_row *a = pa, *b = pb;
    return str_cmp(a->account, b->account);
}

static bool compare_trial_balance(vctx *v, uint16_t fy, const gl_archive_balance *stored)
{
    tstate *ts = &v->ts;
    map *m = &ts->balances;
    tb_row *rows = calloc(m->count + 1, sizeof *rows);
    if (!rows)
        return vf_out_of_memory(v);
    size_t n = 0;
    const bal_key *k;
    const bal_val *bv;
    for (size_t i = 0; vf_next_balance(m, &i, &k, &bv);)
        if (k->fy == fy)
            rows[n++] = (tb_row){{k->account, k->alen}, bv->debit, bv->credit};
    sort_items(rows, n, sizeof *rows, tb_cmp);
    size_t out = 0; /* merge the auxiliary accounts of each account */
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) {
        if (out && str_eq(rows[out - 1].account, rows[i].account)) {
            if (!gl_money_add(&rows[out - 1].debit, rows[i].debit) ||
                !gl_money_add(&rows[out - 1].credit, rows[i].credit))
                ok = vf_problem(v, GL_VP_TRIAL_BALANCE,
                                "trial balance %u: account %.*s's totals overflow", fy,
                                (int)rows[i].account.len, rows[i].account.ptr);
        } else {
            rows[out++] = rows[i];
        }
    }
    n = out;
    char a[GL_MONEY_TEXT_MAX], b[GL_MONEY_TEXT_MAX], c[GL_MONEY_TEXT_MAX], d[GL_MONEY_TEXT_MAX];
    if (ok && !stored && n)
        ok = vf_problem(v, GL_VP_TRIAL_BALANCE,
                        "trial balance %u: not in the archive, yet the year has entries", fy);
    if (ok && stored && stored->at != gl_fiscal_year_end(fy, ts->at->first_month))
        ok =
            vf_problem(v, GL_VP_TRIAL_BALANCE,
                       "trial balance %u: taken on %u, not on the year's last day", fy, stored->at);
    size_t sn = stored ? stored->row_count : 0;
    for (size_t i = 0, j = 0; ok && (i < n || j < sn);) {
        const gl_archive_row *s = j < sn ? &stored->rows[j] : NULL;
        int cmp = i >= n ? 1 : !s ? -1 : str_cmp(rows[i].account, s->account);
        ts->fy = fy;
        if (cmp < 0)
            ok = vf_problem(v, GL_VP_TRIAL_BALANCE,
                            "trial balance %u, account %.*s: the entries give debit %s, credit "
                            "%s; the archive's trial balance has no such account",
                            fy, (int)rows[i].account.len, rows[i].account.ptr,
                            money(rows[i].debit, a), money(rows[i].credit, b));
        else if (cmp > 0)
            ok = vf_problem(v, GL_VP_TRIAL_BALANCE,
                            "trial balance %u, account %.*s: the archive's trial balance says "
                            "debit %s, credit %s; no entry moves it",
                            fy, (int)s->account.len, s->account.ptr, money(s->debit_cents, a),
                            money(s->credit_cents, b));
        else if (rows[i].debit != s->debit_cents || rows[i].credit != s->credit_cents)
            ok = vf_problem(v, GL_VP_TRIAL_BALANCE,
                            "trial balance %u, account %.*s: the archive's trial balance says "
                            "debit %s, credit %s; the entries give debit %s, credit %s",
                            fy, (int)s->account.len, s->account.ptr, money(s->debit_cents, a),
                            money(s->credit_cents, b), money(rows[i].debit, c),
                            money(rows[i].credit, d));
        if (cmp <= 0)
            i++;
        if (cmp >= 0)
            j++;
    }
    free(rows);
    return ok;
}

static int year_cmp(const void *pa, const void *pb)
{
    const year_state *a = pa, *b = pb;
    return (int)a->fy - (int)b->fy;
}

void vf_tstate_free(tstate *ts)
{
    vf_map_free(&ts->balances);
    vf_map_free(&ts->accounts);
    vf_map_free(&ts->numbers);
    vf_map_free(&ts->lines);
    vf_map_free(&ts->letters);
    vf_map_free(&ts->aux_labels);
    vf_map_free(&ts->registry);
    vf_map_free(&ts->forgotten);
    free(ts->years);
    free(ts->cur.items);
    free(ts->ended.items);
    vf_bank_free(ts->bank);
    vf_bank_rules_free(ts->bank_rules);
    vf_analytic_free(ts->analytic);
    vf_grants_free(ts->grants);
    vf_timesheets_free(ts->timesheets);
    vf_assets_free(ts->assets);
    memset(ts, 0, sizeof *ts);
}

bool vf_verify_tenant(vctx *v, uint16_t t, gl_verify_tenant *sum)
{
    tstate *ts = &v->ts;
    memset(ts, 0, sizeof *ts);
    ts->active = true;
    ts->t = t;
    ts->at = &v->a->tenants[t];
    vf_map_init(&ts->balances, sizeof(bal_key), sizeof(bal_val));
    vf_map_init(&ts->accounts, sizeof(acct_key), sizeof(acct_val));
    vf_map_init(&ts->numbers, sizeof(num_key), sizeof(num_val));
    vf_map_init(&ts->lines, sizeof(line_key), sizeof(line_val));
    vf_map_init(&ts->letters, sizeof(letter_key), sizeof(letter_val));
    vf_map_init(&ts->aux_labels, sizeof(acct_key), sizeof(gl_str));
    vf_map_init(&ts->registry, sizeof(acct_key), sizeof(uint8_t));
    vf_map_init(&ts->forgotten, sizeof(acct_key), sizeof(uint8_t));
    const gl_archive_tenant *at = ts->at;
    snprintf(sum->id, sizeof sum->id, "%.*s", (int)at->id.len, at->id.ptr);
    for (uint32_t i = 0; i < at->event_count && !stopped(v); i++) {
        verify_event(v, i);
        v->done++;
        if (v->o && v->o->progress)
            v->o->progress(v->o->user, v->done, v->total);
    }
    vf_end_run(v, &ts->cur);
    ts->seq = 0;
    ts->has_entry = false;
    if (!stopped(v) &&
        (at->head_seq != at->event_count || memcmp(at->head_hash, ts->prev, GL_HASH_BYTES)))
        vf_problem(v, GL_VP_HEAD,
                   "the chain ends at event %u, but the daemon reported its head at event %llu%s",
                   at->event_count, (unsigned long long)at->head_seq,
                   at->head_seq == at->event_count ? " with another hash"
                                                   : ": events are missing at the end");
    for (uint16_t i = 0; i < at->balance_count && !stopped(v); i++)
        if (!vf_year_find(ts, at->balances[i].fy))
            compare_trial_balance(v, at->balances[i].fy, &at->balances[i]);
    sort_items(ts->years, ts->year_count, sizeof *ts->years, year_cmp);
    for (size_t i = 0; i < ts->year_count && !stopped(v); i++) {
        const gl_archive_balance *stored = NULL;
        for (uint16_t k = 0; k < at->balance_count; k++)
            if (at->balances[k].fy == ts->years[i].fy)
                stored = &at->balances[k];
        compare_trial_balance(v, ts->years[i].fy, stored);
    }
    sum->events = at->event_count;
    sum->entries = ts->entries;
    sum->head_seq = at->head_seq;
    memcpy(sum->head_hash, at->head_hash, GL_HASH_BYTES);
    sum->locked_through = ts->locked_through;
    vf_analytic_summary(ts, &sum->analytic);
    sum->years = calloc(ts->year_count ? ts->year_count : 1, sizeof *sum->years);
    if (!sum->years)
        vf_out_of_memory(v);
    for (size_t i = 0; sum->years && i < ts->year_count; i++)
        sum->years[sum->year_count++] = ts->years[i].sum;
    v->r->entries += ts->entries;
    v->r->events += at->event_count;
    vf_tstate_free(ts);
    return !stopped(v);
}
