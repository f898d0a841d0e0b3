/*
 * client/verify/verify_group.c — the replay of recharges and dues: each
 * entry rebuilt from its signed request as the daemon writes it (accounts
 * and texts from proto/accounts.h) and compared byte for byte; the other
 * half, in the other tenant's chain, compared once every chain was checked
 * on its own.
 */
#include "verify_int.h"

#include "proto/accounts.h"
#include "proto/date.h"

#include <stdio.h>

/* Recharge and dues entries, rebuilt from the request and compared byte
 * for byte. */
bool vf_check_group_entry(vctx *v, const env_state *es, const gl_event *ev, const gl_entry *e)
{
    const gl_archive_tenant *u = v->umbrella, *m = NULL;
    gl_str t = v->ts.at->id;
    uint32_t item = ev->head.item;
    bool invoice = item % 2 == 1;
    if (!u)
        return vf_problem(
            v, GL_VP_GROUP,
            "the archive does not name the group's umbrella: its %s entries cannot be "
            "checked",
            gl_kind_name(es->req.kind));
    if (invoice != str_eq(u->id, t))
        return vf_problem(v, GL_VP_GROUP, "item %u of a %s is %s entry, not %.*s's", item,
                          gl_kind_name(es->req.kind), invoice ? "the umbrella's" : "a member's",
                          (int)t.len, t.ptr);
    int64_t amount = 0;
    uint32_t date;
    char piece[GL_PIECE_MAX + 1], what[80], label[160];
    gl_group_accounts carried = {0};
    bool credit = false;
    gl_line first = {0};
    if (e->line_count >= 1) {
        gl_line_iter it;
        gl_line_iter_init(&it, e);
        gl_line_next(&it, &first);
    }
    if (es->req.kind == GL_KIND_DUES || es->req.kind == GL_KIND_RECHARGE_ADJUST) {
        gl_dues_q d;
        gl_recharge_adjust_q a;
        bool dues = es->req.kind == GL_KIND_DUES;
        if (dues ? vf_dues_decode(&es->req, &d) != GL_OK : vf_adjust_decode(&es->req, &a) != GL_OK)
            return vf_problem(v, GL_VP_REQUEST, "its %s request's body does not decode",
                              gl_kind_name(es->req.kind));
        uint16_t count = dues ? d.count : a.count, year = dues ? d.year : a.year;
        const gl_group_item *items = dues ? d.items : a.items;
        uint32_t i = (item - 1) / 2, qdate = dues ? d.date : a.date;
        if (item == 0 || i >= count)
            return vf_problem(v, GL_VP_GROUP, "the %s request has no item %u",
                              gl_kind_name(es->req.kind), item);
        m = gl_archive_tenant_find(v->a, items[i].tenant);
        amount = items[i].value;
        credit = amount < 0;
        amount = credit ? -amount : amount; /* decode refuses INT64_MIN */
        carried = dues ? d.accounts : a.accounts;
        if (dues) {
            date = qdate ? qdate : GL_DUES_DATE_DEFAULT(year);
            snprintf(piece, sizeof piece, GL_DUES_PIECE, year);
            snprintf(what, sizeof what, GL_DUES_TEXT, year);
        } else {
            date = qdate ? qdate : GL_ADJUST_DATE_DEFAULT(year);
            snprintf(piece, sizeof piece, GL_ADJUST_PIECE, year);
            snprintf(what, sizeof what, credit ? GL_ADJUST_CREDIT_TEXT : GL_ADJUST_TEXT, year);
        }
    } else {
        gl_recharge_q q;
        if (gl_recharge_q_decode(es->req.body, es->req.body_len, &q) != GL_OK)
            return vf_problem(v, GL_VP_REQUEST, "its recharge request's body does not decode");
        carried = q.accounts;
        /* the invoice's first line is the receivable's, its aux the member */
        m = invoice ? vf_tenant_by_code(v, first.aux) : v->ts.at;
        amount = first.amount_cents;
        unsigned y = q.period_ym / 100, mo = q.period_ym % 100;
        date = q.date ? q.date : gl_month_last_day(q.period_ym);
        snprintf(piece, sizeof piece, GL_RECHARGE_PIECE, y, mo, q.version);
        snprintf(what, sizeof what, GL_RECHARGE_TEXT, y, mo);
        if (amount <= 0 || amount > q.amount_cents)
            return vf_problem(v, GL_VP_GROUP,
                              "a share of a recharge must be from 0.01 to the amount signed");
        if (invoice && !gl_money_add(&v->ts.cur.invoice_sum, amount))
            return vf_problem(v, GL_VP_GROUP, "the recharge's shares overflow");
    }
    if (!m || m == u)
        return vf_problem(v, GL_VP_GROUP,
                          "the %s names a member that is not in the archive's group",
                          gl_kind_name(es->req.kind));
    /* the accounts the signed body carries (issue 20), or the old form's */
    gl_group_accounts ac = gl_group_accounts_or_default(&carried, es->req.kind);
    char recv[GL_ACCOUNT_MAX + 1], rev[GL_ACCOUNT_MAX + 1], exp[GL_ACCOUNT_MAX + 1],
        pay[GL_ACCOUNT_MAX + 1];
    snprintf(recv, sizeof recv, "%.*s", (int)ac.receivable.len, ac.receivable.ptr);
    snprintf(rev, sizeof rev, "%.*s", (int)ac.revenue.len, ac.revenue.ptr);
    snprintf(exp, sizeof exp, "%.*s", (int)ac.expense.len, ac.expense.ptr);
    snprintf(pay, sizeof pay, "%.*s", (int)ac.payable.len, ac.payable.ptr);
    char tenant[GL_TENANT_MAX + 1], mcode[GL_AUX_MAX + 1], ucode[GL_AUX_MAX + 1];
    const gl_archive_tenant *owner = invoice ? u : m;
    snprintf(tenant, sizeof tenant, "%.*s", (int)owner->id.len, owner->id.ptr);
    snprintf(mcode, sizeof mcode, "%.*s", (int)m->code.len, m->code.ptr);
    snprintf(ucode, sizeof ucode, "%.*s", (int)u->code.len, u->code.ptr);
    snprintf(label, sizeof label, GL_GROUP_LABEL, what, invoice ? mcode : ucode);
    if (carried.carried) { /* one piece per member */
        char request_piece[sizeof piece];
        snprintf(request_piece, sizeof request_piece, "%s", piece);
        snprintf(piece, sizeof piece, GL_GROUP_PIECE_MEMBER, request_piece, mcode);
    }
    gl_line_in lines[2];
    if (invoice) {
        lines[0] = (gl_line_in){recv, mcode, "", "", GL_SIDE_DEBIT, amount};
        lines[1] = (gl_line_in){rev, "", "", "", GL_SIDE_CREDIT, amount};
    } else {
        lines[0] = (gl_line_in){exp, "", "", "", GL_SIDE_DEBIT, amount};
        lines[1] = (gl_line_in){pay, ucode, "", "", GL_SIDE_CREDIT, amount};
    }
    if (credit) { /* a true-up's credit note: the same pair, sides reversed */
        gl_line_in l0 = lines[0];
        lines[0] = lines[1];
        lines[1] = l0;
        lines[0].side = GL_SIDE_DEBIT;
        lines[1].side = GL_SIDE_CREDIT;
    }
    gl_entry_in in = {.tenant = tenant,
                      .journal = invoice ? GL_GROUP_INVOICE_JOURNAL : GL_GROUP_EXPENSE_JOURNAL,
                      .piece_ref = piece,
                      .label = label,
                      .date = date,
                      .piece_date = date,
                      .line_count = 2,
                      .lines = lines};
    gl_buf b;
    gl_buf_init(&b);
    int st = gl_entry_encode_layout(&b, &in, request_layout(&es->req));
    bool same = st == GL_OK && b.len == e->raw_len && !memcmp(b.data, e->raw, b.len);
    gl_buf_free(&b);
    if (st == GL_ERR_NOMEM)
        return vf_out_of_memory(v);
    if (!same)
        return vf_problem(v, GL_VP_GROUP,
                          "not the entry its signed %s request (envelope %llu) gives for item %u",
                          gl_kind_name(es->req.kind), (unsigned long long)ev->head.envelope, item);
    /* the other half, in the other tenant's chain when it is archived */
    const gl_archive_tenant *other = invoice ? m : u;
    if (!other->has_chain)
        return true;
    if (v->cross_count == v->cross_cap) {
        size_t cap = v->cross_cap ? v->cross_cap * 2 : 64;
        cross_check *nc = realloc(v->cross, cap * sizeof *nc);
        if (!nc)
            return vf_out_of_memory(v);
        v->cross = nc;
        v->cross_cap = cap;
    }
    v->cross[v->cross_count++] = (cross_check){
        v->ts.t,           (uint16_t)vf_tenant_index(v, other), v->ts.seq, v->ts.fy, v->ts.num,
        ev->head.envelope, invoice ? item + 1 : item - 1,       amount};
    return true;
}

/* The deferred comparisons of the two halves of recharges and dues. */
void vf_check_cross(vctx *v)
{
    for (size_t i = 0; i < v->cross_count && !stopped(v); i++) {
        const cross_check *x = &v->cross[i];
        const gl_archive_tenant *other = &v->a->tenants[x->other];
        tstate *ts = &v->ts;
        ts->active = true;
        ts->at = &v->a->tenants[x->tenant];
        ts->seq = x->seq;
        ts->has_entry = true;
        ts->fy = x->fy;
        ts->num = x->num;
        const index_row *ir = vf_index_find(v, x->envelope, x->other_item, x->other);
        gl_entry oe;
        uint16_t ofy;
        uint32_t onum;
        if (!ir || !vf_entry_of(v, other, ir->event, &oe, &ofy, &onum)) {
            vf_problem(
                v, GL_VP_GROUP, "its counterpart (item %u of envelope %llu) is not in %.*s's chain",
                x->other_item, (unsigned long long)x->envelope, (int)other->id.len, other->id.ptr);
            break;
        }
        gl_line ol = {0};
        gl_line_iter it;
        gl_line_iter_init(&it, &oe);
        if (!gl_line_next(&it, &ol) || ol.amount_cents != x->amount)
            vf_problem(v, GL_VP_GROUP,
                       "its counterpart in %.*s's chain (entry %u/%u) is for another amount",
                       (int)other->id.len, other->id.ptr, ofy, onum);
    }
    v->ts.active = false;
}
