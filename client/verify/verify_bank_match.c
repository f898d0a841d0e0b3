/*
 * client/verify/verify_bank_match.c — the replay of the pointage (issue
 * 18): a BANK_MATCH event (15) holds its signed request's sets, numbered
 * from the bank account's next match id; each set's statement lines were
 * stored on that bank account by an earlier BANK_STATEMENT, its ledger
 * lines exist on the bank account's ledger account and are not à-nouveaux
 * lines (journal AN), no line is in two active matches, and the two sums
 * are equal.  A BANK_UNMATCH event (16) is its signed body and undoes an
 * active match, freeing its lines.
 */
#include "verify_bank.h"

#include "proto/bank_match.h"
#include "proto/chain.h"

#include <stdio.h>

seq_key vf_seq_key(gl_str account, uint32_t seq)
{
    seq_key k;
    memset(&k, 0, sizeof k);
    k.seq = seq;
    k.alen = (uint8_t)account.len;
    copy_bytes(k.account, account.ptr, account.len);
    return k;
}

typedef struct set_check {
    gl_str account;
    uint32_t id;
    int64_t bank_cents, book_cents;
} set_check;

static bool check_seq(vctx *v, struct vf_bank *b, set_check *c, uint32_t seq)
{
    seq_key k = vf_seq_key(c->account, seq);
    seq_val *l = vf_map_get(&b->seqs, &k, false, &v->nomem);
    if (!l)
        return vf_problem(v, GL_VP_RULE, "match %u: statement line %u was never stored on %.*s",
                          c->id, seq, (int)c->account.len, c->account.ptr);
    if (l->match)
        return vf_problem(v, GL_VP_RULE, "match %u: statement line %u is already in match %u",
                          c->id, seq, l->match);
    l->match = c->id;
    if (!gl_money_add(&c->bank_cents, l->amount))
        return vf_problem(v, GL_VP_RULE, "match %u: the sum overflows", c->id);
    return true;
}

/* Ledger line r as of this point of the chain: false (and a problem) if
 * it comes nowhere before. */
static bool book_line(vctx *v, const set_check *c, gl_line_ref r, gl_entry *e, gl_line *l)
{
    num_key nk = vf_make_num_key(r.fy, r.num);
    num_val *nv = vf_map_get(&v->ts.numbers, &nk, false, &v->nomem);
    uint16_t fy;
    uint32_t num;
    uint16_t n = 0;
    if (nv && vf_entry_of(v, v->ts.at, nv->event, e, &fy, &num)) {
        gl_line_iter it;
        gl_line_iter_init(&it, e);
        while (n < r.line && gl_line_next(&it, l))
            n++;
    }
    return n == r.line && r.line ? true
                                 : vf_problem(v, GL_VP_RULE,
                                              "match %u: ledger line %u/%u:%u comes nowhere "
                                              "before it",
                                              c->id, r.fy, r.num, r.line);
}

static bool check_ref(vctx *v, struct vf_bank *b, set_check *c, gl_line_ref r)
{
    gl_entry e;
    gl_line l;
    if (!book_line(v, c, r, &e, &l))
        return false;
    if (!str_eq(l.account, c->account) || gl_str_eq(e.journal, "AN"))
        return vf_problem(v, GL_VP_RULE,
                          "match %u: ledger line %u/%u:%u is %s, not a line of %.*s's books", c->id,
                          r.fy, r.num, r.line,
                          str_eq(l.account, c->account) ? "an opening (AN) line"
                                                        : "on another "
                                                          "account",
                          (int)c->account.len, c->account.ptr);
    line_key lk = {r.num, r.fy, r.line};
    uint32_t *m = vf_map_get(&b->books, &lk, true, &v->nomem);
    if (!m)
        return vf_out_of_memory(v);
    if (*m)
        return vf_problem(v, GL_VP_RULE, "match %u: ledger line %u/%u:%u is already in match %u",
                          c->id, r.fy, r.num, r.line, *m);
    *m = c->id;
    if (!gl_money_add(&c->book_cents, signed_amount(&l)))
        return vf_problem(v, GL_VP_RULE, "match %u: the sum overflows", c->id);
    return true;
}

/* Mark (id) or free (0) every line of set s. */
static void mark(struct vf_bank *b, vctx *v, gl_str account, const gl_bank_match_set *s,
                 uint32_t id)
{
    for (uint8_t i = 0; i < s->nbank; i++) {
        seq_key k = vf_seq_key(account, gl_bank_match_seq(s, i));
        seq_val *l = vf_map_get(&b->seqs, &k, false, &v->nomem);
        if (l)
            l->match = id;
    }
    for (uint8_t i = 0; i < s->nbook; i++) {
        gl_line_ref r = gl_bank_match_ref(s, i);
        line_key lk = {r.num, r.fy, r.line};
        uint32_t *m = vf_map_get(&b->books, &lk, false, &v->nomem);
        if (m)
            *m = id;
    }
}

static bool check_set(vctx *v, struct vf_bank *b, set_check *c, const gl_bank_match_set *s)
{
    c->bank_cents = c->book_cents = 0;
    bool ok = true;
    for (uint8_t i = 0; ok && i < s->nbank; i++)
        ok = check_seq(v, b, c, gl_bank_match_seq(s, i));
    for (uint8_t i = 0; ok && i < s->nbook; i++)
        ok = check_ref(v, b, c, gl_bank_match_ref(s, i));
    if (ok && c->bank_cents != c->book_cents) {
        char m1[GL_MONEY_TEXT_MAX], m2[GL_MONEY_TEXT_MAX];
        return vf_problem(v, GL_VP_RULE,
                          "match %u: the statement lines sum to %s, the ledger lines to %s", c->id,
                          money(c->bank_cents, m1), money(c->book_cents, m2));
    }
    if (!ok)
        return false;
    seq_key mk = vf_seq_key(c->account, c->id);
    match_val *mv = vf_map_get(&b->matches, &mk, true, &v->nomem);
    if (!mv)
        return vf_out_of_memory(v);
    *mv = (match_val){s->seqs - 1, (size_t)s->nbank * 4 + 2 + (size_t)s->nbook * 8, 1};
    return true;
}

/* The event's account registered, its signed request the same sets. */
static bank_reg *match_request(vctx *v, const gl_event *ev, const gl_bank_match_q *e)
{
    env_state *es = vf_event_request(v, ev, v->ts.seq);
    if (!es || !vf_expect_kind(v, es, GL_KIND_BANK_MATCH))
        return NULL;
    gl_bank_match_q q;
    uint32_t bad;
    if (gl_bank_match_q_decode(es->req.body, es->req.body_len, &q, &bad) != GL_OK ||
        ev->head.item != 1 || !str_eq(q.account, e->account) || q.len != e->len ||
        memcmp(q.sets, e->sets, q.len)) {
        vf_problem(v, GL_VP_REQUEST, "not the matches its signed request asked for");
        return NULL;
    }
    struct vf_bank *b = vf_bank_state(v);
    bank_reg *r = b ? vf_bank_reg(b, e->account) : NULL;
    if (!b)
        vf_out_of_memory(v);
    else if (!r || !r->ilen)
        vf_problem(v, GL_VP_RULE, "matches on %.*s, which has no bank account", (int)e->account.len,
                   e->account.ptr);
    return r && r->ilen ? r : NULL;
}

bool vf_event_bank_match(vctx *v, const gl_event *ev)
{
    uint32_t first;
    gl_bank_match_q e;
    if (gl_bank_match_event_decode(ev->payload, ev->payload_len, &first, &e) != GL_OK)
        return vf_problem(v, GL_VP_RECORD, "the matches' record does not decode");
    bank_reg *r = match_request(v, ev, &e);
    if (!r)
        return false;
    if (first != r->matches + 1)
        return vf_problem(v, GL_VP_RULE, "matches on %.*s numbered from %u, where the next was %u",
                          (int)e.account.len, e.account.ptr, first, r->matches + 1);
    struct vf_bank *b = vf_bank_state(v);
    set_check c = {e.account, first, 0, 0};
    size_t pos = 0;
    gl_bank_match_set s;
    for (; gl_bank_match_next(&e, &pos, &s); c.id++)
        if (!check_set(v, b, &c, &s))
            return false;
    r->matches += e.count;
    return true;
}

bool vf_event_bank_unmatch(vctx *v, const gl_event *ev)
{
    gl_bank_unmatch_q u;
    if (gl_bank_unmatch_q_decode(ev->payload, ev->payload_len, &u) != GL_OK)
        return vf_problem(v, GL_VP_RECORD, "the unmatching does not decode");
    env_state *es = vf_event_request(v, ev, v->ts.seq);
    if (!es || !vf_expect_kind(v, es, GL_KIND_BANK_UNMATCH))
        return false;
    if (ev->head.item != 1 || es->req.body_len != ev->payload_len ||
        memcmp(es->req.body, ev->payload, ev->payload_len))
        return vf_problem(v, GL_VP_REQUEST, "not the unmatching its signed request asked for");
    struct vf_bank *b = vf_bank_state(v);
    if (!b)
        return vf_out_of_memory(v);
    seq_key mk = vf_seq_key(u.account, u.match);
    match_val *mv = vf_map_get(&b->matches, &mk, false, &v->nomem);
    if (!mv || !mv->active)
        return vf_problem(v, GL_VP_RULE, "undoes match %u of %.*s, which is not an active match",
                          u.match, (int)u.account.len, u.account.ptr);
    gl_cur c;
    gl_bank_match_set s;
    gl_cur_init_stored(&c, mv->set, mv->len);
    if (gl_bank_match_set_get(&c, &s) != GL_OK)
        return vf_problem(v, GL_VP_RECORD, "match %u does not decode", u.match);
    mark(b, v, u.account, &s, 0);
    mv->active = 0;
    return true;
}
