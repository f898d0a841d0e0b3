/*
 * client/verify/verify_accounts.c — the replay of the chart: accounts
 * opened (each once, as its signed request lists it) and relabelled (from
 * the label the chain last gave it).
 */
#include "verify_int.h"

#include "proto/rules.h"
#include "proto/third_party.h"

#include <string.h>

bool vf_event_account_open(vctx *v, const gl_event *ev)
{
    gl_cur c;
    gl_cur_init_stored(&c, ev->payload, ev->payload_len);
    gl_str account = gl_get_str8(&c, GL_ACCOUNT_MAX);
    gl_str label = gl_get_str8(&c, GL_LABEL_MAX);
    if (gl_cur_end(&c) != GL_OK)
        return vf_problem(v, GL_VP_RECORD, "the account opening does not decode");
    env_state *es = vf_event_request(v, ev, v->ts.seq);
    if (!es || !vf_expect_kind(v, es, GL_KIND_ACCOUNTS_OPEN))
        return false;
    uint32_t item = ev->head.item;
    if (item == 0 || item > es->item_count || !str_eq(es->accounts[item - 1].account, account) ||
        !str_eq(es->accounts[item - 1].label, label))
        return vf_problem(v, GL_VP_REQUEST, "account %.*s is not item %u of its signed request",
                          (int)account.len, account.ptr, item);
    if (!gl_account_valid(account))
        return vf_problem(v, GL_VP_RULE, "'%.*s' is not an account number", (int)account.len,
                          account.ptr);
    acct_key k = vf_make_acct_key(account);
    acct_val *a = vf_map_get(&v->ts.accounts, &k, true, &v->nomem);
    if (!a)
        return false;
    if (a->opened)
        return vf_problem(v, GL_VP_RULE, "account %.*s is opened a second time", (int)account.len,
                          account.ptr);
    a->opened = 1;
    a->label_len = (uint8_t)label.len;
    memcpy(a->label, label.ptr, label.len);
    return true;
}

/* An account's label changed: the change its signed request asked for,
 * from the label the chain last gave the account to another one. */
bool vf_event_account_label(vctx *v, const gl_event *ev)
{
    gl_cur c;
    gl_cur_init_stored(&c, ev->payload, ev->payload_len);
    gl_str account = gl_get_str8(&c, GL_ACCOUNT_MAX);
    gl_str old = gl_get_str8(&c, GL_LABEL_MAX);
    gl_str label = gl_get_str8(&c, GL_LABEL_MAX);
    if (gl_cur_end(&c) != GL_OK)
        return vf_problem(v, GL_VP_RECORD, "the label change does not decode");
    env_state *es = vf_event_request(v, ev, v->ts.seq);
    if (!es || !vf_expect_kind(v, es, GL_KIND_ACCOUNT_LABEL))
        return false;
    uint32_t item = ev->head.item;
    if (item == 0 || item > es->item_count || !str_eq(es->accounts[item - 1].account, account) ||
        !str_eq(es->accounts[item - 1].label, label))
        return vf_problem(v, GL_VP_REQUEST,
                          "the label of %.*s is not item %u of its signed request",
                          (int)account.len, account.ptr, item);
    acct_key k = vf_make_acct_key(account);
    acct_val *a = vf_map_get(&v->ts.accounts, &k, false, &v->nomem);
    if (!a || !a->opened)
        return vf_problem(v, GL_VP_RULE, "account %.*s is relabelled before it is opened",
                          (int)account.len, account.ptr);
    if (old.len != a->label_len || memcmp(old.ptr, a->label, old.len))
        return vf_problem(
            v, GL_VP_RULE, "the label change of %.*s starts from \"%.*s\", not its label \"%.*s\"",
            (int)account.len, account.ptr, (int)old.len, old.ptr, (int)a->label_len, a->label);
    if (gl_text_blank(label) || str_eq(old, label))
        return vf_problem(v, GL_VP_RULE,
                          "the label change of %.*s changes nothing or leaves it blank",
                          (int)account.len, account.ptr);
    a->label_len = (uint8_t)label.len;
    memcpy(a->label, label.ptr, label.len);
    return true;
}

/* A third party recorded (type 9): its payload is item `item` of its signed
 * THIRD_PARTY_SET request, byte for byte, and a record within its rules. */
bool vf_event_third_party(vctx *v, const gl_event *ev)
{
    gl_cur c;
    gl_third_party got;
    gl_cur_init_stored(&c, ev->payload, ev->payload_len);
    if (gl_third_party_get(&c, &got) != GL_OK || gl_cur_end(&c) != GL_OK)
        return vf_problem(v, GL_VP_RECORD, "the third party's record does not decode");
    env_state *es = vf_event_request(v, ev, v->ts.seq);
    if (!es || !vf_expect_kind(v, es, GL_KIND_THIRD_PARTY_SET))
        return false;
    gl_tp_set_q q;
    uint32_t bad = 0;
    if (gl_tp_set_decode(es->req.body, es->req.body_len, &q, &bad) != GL_OK)
        return vf_problem(v, GL_VP_REQUEST, "its signed request's body does not decode (item %u)",
                          bad);
    gl_cur it;
    gl_third_party want = {0};
    gl_tp_set_iter(&q, &it);
    for (uint32_t i = 1; i <= ev->head.item && i <= q.count; i++)
        gl_third_party_get(&it, &want);
    if (ev->head.item == 0 || ev->head.item > q.count || want.raw_len != got.raw_len ||
        memcmp(want.raw, got.raw, got.raw_len))
        return vf_problem(v, GL_VP_REQUEST, "third party %.*s is not item %u of its signed request",
                          (int)got.code.len, got.code.ptr, ev->head.item);
    const char *field;
    if (gl_third_party_check(&got, &field) != GL_OK)
        return vf_problem(v, GL_VP_RULE, "third party %.*s: its %s is out of its rule",
                          (int)got.code.len, got.code.ptr, field);
    /* as the daemon rules (446): an open class 4 account of the tenant */
    acct_key k = vf_make_acct_key(got.collective);
    acct_val *a = got.collective.len && got.collective.ptr[0] == '4'
                      ? vf_map_get(&v->ts.accounts, &k, false, &v->nomem)
                      : NULL;
    if (!a || !a->opened)
        return vf_problem(v, GL_VP_RULE,
                          "third party %.*s: collective account %.*s is not an open class 4 "
                          "account of the tenant",
                          (int)got.code.len, got.code.ptr, (int)got.collective.len,
                          got.collective.ptr);
    return vf_person_record(v, &got);
}
