/*
 * client/verify/verify_persons.c — FORGET's events (type 12, PROTOCOL.md
 * §5.29): re-derived from their signed request (the code) and their
 * recorded time (the date).  Nothing here needs a person's key: the sealed
 * blocks the chain holds are verified as bytes, forgotten or not.
 */
#include "verify_int.h"

#include "proto/date.h"
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
    return true;
}
