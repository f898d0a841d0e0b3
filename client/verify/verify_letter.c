/*
 * client/verify/verify_letter.c — the replay of lettering: each lettering
 * takes the account's next code (gl_letter_code, the daemon's own), is dated
 * by the daemon's rule, and letters lines that exist, on that account, not
 * already lettered, summing to zero; an unlettering frees its lines.
 */
#include "verify_int.h"

#include "proto/date.h"

#include <stdio.h>

/* The lettering an event's request asked for: a LETTER's (item 1), or set
 * `item` of a LETTER_BATCH (the daemon gives each set's event its index). */
static int letter_of_event(const env_state *es, uint32_t item, gl_letter_q *q)
{
    if (es->req.kind == GL_KIND_LETTER)
        return item == 1 ? vf_letter_decode(&es->req, q) : GL_ERR_MALFORMED;
    gl_letter_batch_q b;
    int st = vf_letter_batch_decode(&es->req, &b);
    size_t pos = 0;
    for (uint32_t i = 1; st == GL_OK && gl_letter_batch_next(&b, &pos, q); i++)
        if (i == item)
            return GL_OK;
    return st == GL_OK ? GL_ERR_NOT_FOUND : st;
}

bool vf_event_letter(vctx *v, const gl_event *ev)
{
    tstate *ts = &v->ts;
    /* account str8 | aux str8 | code str8 | date u32 | count u16 | refs, as
     * proto/chain.h documents it; daemons before that documentation was
     * followed wrote the aux again after the date: both are read */
    gl_str account, aux, code, aux2;
    uint32_t date;
    uint16_t count;
    const uint8_t *refs;
    bool ok = false;
    for (int legacy = 0; legacy < 2 && !ok; legacy++) {
        gl_cur c;
        gl_cur_init_stored(&c, ev->payload, ev->payload_len);
        account = gl_get_str8(&c, GL_ACCOUNT_MAX);
        aux = gl_get_str8(&c, GL_AUX_MAX);
        code = gl_get_str8(&c, GL_LETTER_CODE_MAX);
        date = gl_get_u32(&c);
        aux2 = legacy ? gl_get_str8(&c, GL_AUX_MAX) : aux;
        count = gl_get_u16(&c);
        refs = gl_get_bytes(&c, (size_t)count * 8);
        ok = gl_cur_end(&c) == GL_OK;
    }
    if (!ok)
        return vf_problem(v, GL_VP_RECORD, "the lettering does not decode");
    env_state *es = vf_event_request(v, ev, ts->seq);
    if (!es || !vf_expect_kind(v, es,
                               es->req.kind == GL_KIND_LETTER_BATCH ? GL_KIND_LETTER_BATCH
                                                                    : GL_KIND_LETTER))
        return false;
    gl_letter_q q;
    if (letter_of_event(es, ev->head.item, &q) != GL_OK || !str_eq(q.account, account) || !str_eq(q.aux, aux) || !str_eq(aux2, aux) ||
        q.count != count || memcmp(q.refs, refs, (size_t)count * 8))
        return vf_problem(v, GL_VP_REQUEST, "not the lettering its signed request asked for");
    acct_key ak = vf_make_acct_key(account);
    acct_val *a = vf_map_get(&ts->accounts, &ak, false, &v->nomem);
    if (!a || !a->opened)
        return vf_problem(v, GL_VP_RULE, "letters account %.*s, which was not opened",
                          (int)account.len, account.ptr);
    char want[GL_LETTER_CODE_MAX + 1];
    if (!gl_letter_code(a->next_letter + 1, want) || !str_eq(code, cstr(want)))
        return vf_problem(v, GL_VP_RULE,
                          "letter code '%.*s' on account %.*s, where the next code was '%s'",
                          (int)code.len, code.ptr, (int)account.len, account.ptr, want);
    a->next_letter++;
    /* the day it was recorded, or the date the request gave, not after it */
    if (q.date ? date != q.date || date > gl_date_paris(ev->head.recorded_ms)
               : date != gl_date_paris(ev->head.recorded_ms))
        return vf_problem(v, GL_VP_RULE, "lettered on %u, not the day it was recorded%s", date,
                          q.date ? " nor, before it, the date its request gave" : "");
    int64_t sum = 0;
    for (uint16_t i = 0; i < count; i++) {
        gl_line_ref r = gl_letter_ref(&q, i);
        num_key nk = vf_make_num_key(r.fy, r.num);
        num_val *nv = vf_map_get(&ts->numbers, &nk, false, &v->nomem);
        gl_entry e;
        uint16_t fy;
        uint32_t num;
        if (!nv || !vf_entry_of(v, ts->at, nv->event, &e, &fy, &num) || r.line == 0 ||
            r.line > e.line_count)
            return vf_problem(v, GL_VP_RULE, "letters line %u/%u:%u, which comes nowhere before it",
                              r.fy, r.num, r.line);
        gl_line_iter it;
        gl_line l;
        gl_line_iter_init(&it, &e);
        for (uint16_t k = 0; k < r.line; k++)
            gl_line_next(&it, &l);
        if (!str_eq(l.account, account) || !str_eq(l.aux, aux))
            return vf_problem(v, GL_VP_RULE, "letters line %u/%u:%u, which is on account %.*s",
                              r.fy, r.num, r.line, (int)l.account.len, l.account.ptr);
        line_key lk = {r.num, r.fy, r.line};
        line_val *lv = vf_map_get(&ts->lines, &lk, true, &v->nomem);
        if (!lv)
            return false;
        if (lv->lettered)
            return vf_problem(v, GL_VP_RULE, "letters line %u/%u:%u, which is already lettered",
                              r.fy, r.num, r.line);
        lv->lettered = 1;
        if (!gl_money_add(&sum, signed_amount(&l)))
            return vf_problem(v, GL_VP_RULE, "the lettered lines' sum overflows");
    }
    if (sum != 0) {
        char m[GL_MONEY_TEXT_MAX];
        return vf_problem(v, GL_VP_RULE, "the lettered lines sum to %s, not zero", money(sum, m));
    }
    letter_key lk;
    memset(&lk, 0, sizeof lk);
    lk.alen = (uint8_t)account.len;
    copy_bytes(lk.account, account.ptr, account.len);
    copy_bytes(lk.code, code.ptr, code.len);
    letter_val *lv = vf_map_get(&ts->letters, &lk, true, &v->nomem);
    if (!lv)
        return false;
    *lv = (letter_val){refs, count, 1};
    return true;
}

bool vf_event_unletter(vctx *v, const gl_event *ev)
{
    tstate *ts = &v->ts;
    gl_cur c;
    gl_cur_init_stored(&c, ev->payload, ev->payload_len);
    gl_str account = gl_get_str8(&c, GL_ACCOUNT_MAX);
    gl_str code = gl_get_str8(&c, GL_LETTER_CODE_MAX);
    if (gl_cur_end(&c) != GL_OK)
        return vf_problem(v, GL_VP_RECORD, "the unlettering does not decode");
    env_state *es = vf_event_request(v, ev, ts->seq);
    if (!es || !vf_expect_kind(v, es, GL_KIND_UNLETTER))
        return false;
    gl_unletter_q q;
    if (vf_unletter_decode(&es->req, &q) != GL_OK || ev->head.item != 1 ||
        !str_eq(q.account, account) || !str_eq(q.code, code))
        return vf_problem(v, GL_VP_REQUEST, "not the unlettering its signed request asked for");
    letter_key lk;
    memset(&lk, 0, sizeof lk);
    lk.alen = (uint8_t)account.len;
    copy_bytes(lk.account, account.ptr, account.len);
    copy_bytes(lk.code, code.ptr, code.len);
    letter_val *lv = vf_map_get(&ts->letters, &lk, false, &v->nomem);
    if (!lv || !lv->active)
        return vf_problem(v, GL_VP_RULE,
                          "removes lettering '%.*s' of account %.*s, which does not exist",
                          (int)code.len, code.ptr, (int)account.len, account.ptr);
    for (uint16_t i = 0; i < lv->count; i++) {
        const uint8_t *p = lv->refs + (size_t)i * 8;
        line_key k = {gl_rd32(p + 2), gl_rd16(p), gl_rd16(p + 6)};
        line_val *l = vf_map_get(&ts->lines, &k, false, &v->nomem);
        if (l)
            l->lettered = 0;
    }
    lv->active = 0;
    return true;
}
