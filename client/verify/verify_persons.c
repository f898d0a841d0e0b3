/*
 * client/verify/verify_persons.c — FORGET's events (type 12, PROTOCOL.md
 * §5.29): re-derived from their signed request (the code) and their
 * recorded time (the date).  Nothing here needs a person's key: the sealed
 * blocks the chain holds are verified as bytes, forgotten or not.
 */
#include "verify_int.h"

#include "proto/date.h"
#include "proto/limits.h"
#include "proto/seal.h"

bool vf_event_forget(vctx *v, const gl_event *ev)
{
    gl_forget_ev f;
    if (gl_forget_ev_decode(ev->payload, ev->payload_len, &f) != GL_OK)
        return vf_problem(v, GL_VP_RECORD, "the forgetting does not decode");
    env_state *es = vf_event_request(v, ev, v->ts.seq);
    if (!es || !vf_expect_kind(v, es, GL_KIND_FORGET))
        return false;
    gl_str code;
    if (gl_person_code_decode(es->req.body, es->req.body_len, &code) != GL_OK ||
        ev->head.item != 1 || !str_eq(code, f.code))
        return vf_problem(v, GL_VP_REQUEST, "not the forgetting its signed request asked for");
    if (f.date != gl_date_paris(ev->head.recorded_ms))
        return vf_problem(v, GL_VP_RULE,
                          "the forgetting of %.*s is dated %08u, not the day it "
                          "was recorded",
                          (int)f.code.len, f.code.ptr, f.date);
    /* as the daemon rules (461): a key is destroyed once */
    acct_key k = vf_make_acct_key(f.code);
    if (vf_map_get(&v->ts.forgotten, &k, false, &v->nomem))
        return vf_problem(v, GL_VP_RULE, "%.*s was forgotten already: a code is forgotten once",
                          (int)f.code.len, f.code.ptr);
    uint8_t *gone = vf_map_get(&v->ts.forgotten, &k, true, &v->nomem);
    if (!gone)
        return vf_out_of_memory(v);
    *gone = 1;
    return true;
}

bool vf_person_record(vctx *v, const gl_third_party *r)
{
    acct_key k = vf_make_acct_key(r->code);
    if (vf_map_get(&v->ts.forgotten, &k, false, &v->nomem))
        return vf_problem(v, GL_VP_RULE,
                          "third party %.*s was forgotten: its record is never written again",
                          (int)r->code.len, r->code.ptr);
    uint8_t *flags = vf_map_get(&v->ts.registry, &k, true, &v->nomem);
    if (!flags)
        return vf_out_of_memory(v);
    *flags = r->flags;
    return true;
}

bool vf_check_person_lines(vctx *v, const gl_entry *e, uint32_t item)
{
    if (e->reverses_fy)
        return true; /* undoes a stored entry: its labels were written before */
    gl_line_iter it;
    gl_line l;
    gl_line_iter_init(&it, e);
    for (uint32_t i = 1; gl_line_next(&it, &l); i++) {
        if (!l.aux.len || !l.aux_label.len || l.aux.len > GL_AUX_MAX)
            continue;
        acct_key k = vf_make_acct_key(l.aux);
        const uint8_t *flags = vf_map_get(&v->ts.registry, &k, false, &v->nomem);
        if (flags && (*flags & GL_TP_NATURAL_PERSON))
            return vf_problem(v, GL_VP_RULE,
                              "entry %u line %u: %.*s is a natural person of the registry: its "
                              "name is never written in clear (the daemon refuses it: 462)",
                              item, i, (int)l.aux.len, l.aux.ptr);
    }
    return true;
}
