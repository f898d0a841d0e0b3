/*
 * client/verify/verify_requests.c — the signed requests behind the
 * events: their bodies decoded under the text rule of their version, each
 * envelope decoded and its signature verified once, and the runs (the
 * events one request wrote to one chain), whose start checks the signer's
 * authority (verify_keys.c) and whose end checks that everything the
 * request should have written to the chain is there.
 */
#include "verify_int.h"

#include "proto/reminder.h"

#include "proto/status.h"

#include <sodium.h>
#include <stdio.h>

/* The request bodies, decoded under the text rule of their version: the
 * stored-text rule for history, the daemon's admission rule otherwise.
 * (The chain's records are the daemon's own: always stored text.) */
int vf_post_decode(const gl_request *q, gl_post *p, uint32_t *bad)
{
    return history(q)
               ? gl_post_decode_layout_stored(q->body, q->body_len, request_layout(q), p, bad)
               : gl_post_decode_layout(q->body, q->body_len, request_layout(q), p, bad);
}

int vf_accounts_open_decode(const gl_request *q, gl_accounts_open *o, uint32_t *bad)
{
    return history(q) ? gl_accounts_open_decode_stored(q->body, q->body_len, o, bad)
                      : gl_accounts_open_decode(q->body, q->body_len, o, bad);
}

int vf_account_label_decode(const gl_request *q, gl_accounts_open *o, uint32_t *bad)
{
    return history(q) ? gl_account_label_decode_stored(q->body, q->body_len, o, bad)
                      : gl_account_label_decode(q->body, q->body_len, o, bad);
}

int vf_dues_decode(const gl_request *q, gl_dues_q *d)
{
    return history(q) ? gl_dues_q_decode_stored(q->body, q->body_len, d)
                      : gl_dues_q_decode(q->body, q->body_len, d);
}

int vf_adjust_decode(const gl_request *q, gl_recharge_adjust_q *d)
{
    return history(q) ? gl_recharge_adjust_q_decode_stored(q->body, q->body_len, d)
                      : gl_recharge_adjust_q_decode(q->body, q->body_len, d);
}

/* DUES and RECHARGE_ADJUST as one: the members listed, in order. */
static int given_items_decode(const gl_request *q, gl_dues_q *d)
{
    if (q->kind == GL_KIND_DUES)
        return vf_dues_decode(q, d);
    gl_recharge_adjust_q a;
    int st = vf_adjust_decode(q, &a);
    if (st == GL_OK) {
        d->count = a.count;
        memcpy(d->items, a.items, a.count * sizeof a.items[0]);
    }
    return st;
}

int vf_letter_decode(const gl_request *q, gl_letter_q *l)
{
    return history(q) ? gl_letter_q_decode_stored(q->body, q->body_len, l)
                      : gl_letter_q_decode(q->body, q->body_len, l);
}

int vf_letter_batch_decode(const gl_request *q, gl_letter_batch_q *b)
{
    uint32_t bad;
    return history(q) ? gl_letter_batch_q_decode_stored(q->body, q->body_len, b, &bad)
                      : gl_letter_batch_q_decode(q->body, q->body_len, b, &bad);
}

int vf_unletter_decode(const gl_request *q, gl_unletter_q *u)
{
    return history(q) ? gl_unletter_q_decode_stored(q->body, q->body_len, u)
                      : gl_unletter_q_decode(q->body, q->body_len, u);
}

static bool env_items(vctx *v, env_state *es)
{
    if (es->items_ready)
        return true;
    const gl_request *q = &es->req;
    uint32_t bad;
    if (q->kind == GL_KIND_POST) {
        gl_post p;
        int st = vf_post_decode(q, &p, &bad);
        if (st != GL_OK)
            return vf_problem(v, GL_VP_REQUEST,
                              "its signed request's body does not decode (entry %u: %s)", bad,
                              gl_status_name(st));
        es->item_ptr = calloc(p.count, sizeof *es->item_ptr);
        es->item_len = calloc(p.count, sizeof *es->item_len);
        if (!es->item_ptr || !es->item_len)
            return vf_out_of_memory(v);
        gl_item_iter it;
        gl_entry e;
        gl_post_iter_init(&it, &p);
        while (gl_post_next(&it, &e)) {
            es->item_ptr[es->item_count] = e.raw;
            es->item_len[es->item_count++] = (uint32_t)e.raw_len;
        }
    } else if (q->kind == GL_KIND_ACCOUNTS_OPEN || q->kind == GL_KIND_ACCOUNT_LABEL) {
        gl_accounts_open o;
        int st = q->kind == GL_KIND_ACCOUNTS_OPEN ? vf_accounts_open_decode(q, &o, &bad)
                                                  : vf_account_label_decode(q, &o, &bad);
        if (st != GL_OK)
            return vf_problem(v, GL_VP_REQUEST,
                              "its signed request's body does not decode (item %u: %s)", bad,
                              gl_status_name(st));
        es->accounts = calloc(o.count, sizeof *es->accounts);
        if (!es->accounts)
            return vf_out_of_memory(v);
        gl_item_iter it;
        gl_account_iter_init(&it, &o);
        while (gl_account_next(&it, &es->accounts[es->item_count]))
            es->item_count++;
    }
    es->items_ready = true;
    return true;
}

/* A version 2 request is signed for one ledger: the archive's.  (Version 1
 * requests named none: they verify under version 1 rules.) */
static bool for_this_ledger(vctx *v, const gl_request *q, uint64_t number)
{
    char got[2 * GL_LEDGER_ID_BYTES + 1], want[2 * GL_LEDGER_ID_BYTES + 1];
    sodium_bin2hex(got, sizeof got, q->ledger_id, GL_LEDGER_ID_BYTES);
    if (!v->a->has_ledger_id)
        return vf_problem(v, GL_VP_ENVELOPE,
                          "its signed request (envelope %llu) is signed for ledger %s, and this "
                          "archive (format %u) names no ledger to check it against",
                          (unsigned long long)number, got, GL_ARCHIVE_VERSION_1);
    if (memcmp(q->ledger_id, v->a->ledger_id, GL_LEDGER_ID_BYTES)) {
        sodium_bin2hex(want, sizeof want, v->a->ledger_id, GL_LEDGER_ID_BYTES);
        return vf_problem(v, GL_VP_ENVELOPE,
                          "its signed request (envelope %llu) is signed for ledger %s, not this "
                          "archive's ledger %s: a request made for another ledger",
                          (unsigned long long)number, got, want);
    }
    return true;
}

/* Decode and verify the envelope an event names (once per envelope). */
static env_state *open_envelope(vctx *v, uint64_t number, size_t *idx)
{
    const gl_archive_envelope *e = gl_archive_envelope_find(v->a, number);
    if (!e) {
        vf_problem(v, GL_VP_ENVELOPE, "its signed request (envelope %llu) is not in the archive",
                   (unsigned long long)number);
        return NULL;
    }
    *idx = (size_t)(e - v->a->envelopes);
    env_state *es = &v->env[*idx];
    es->referenced = true;
    if (!es->decoded) {
        int st = gl_request_decode_any(e->bytes, e->len, &es->req);
        if (st != GL_OK) {
            vf_problem(v, GL_VP_ENVELOPE, "its signed request (envelope %llu) does not decode: %s",
                       (unsigned long long)number, gl_status_name(st));
            return NULL;
        }
        es->decoded = true;
    }
    if (!es->signature_ok) {
        if (gl_request_verify(&es->req) != GL_OK) {
            vf_problem(v, GL_VP_SIGNATURE,
                       "the signature of its request (envelope %llu) does not verify",
                       (unsigned long long)number);
            return NULL;
        }
        es->signature_ok = true;
    }
    if (es->req.version != GL_PROTOCOL_VERSION_1 && !for_this_ledger(v, &es->req, number))
        return NULL;
    return es;
}

static bool run_push(vctx *v, run *r, uint32_t item)
{
    if (r->item_count == r->item_cap) {
        size_t cap = r->item_cap ? r->item_cap * 2 : 16;
        uint32_t *n = realloc(r->items, cap * sizeof *n);
        if (!n)
            return vf_out_of_memory(v);
        r->items = n;
        r->item_cap = cap;
    }
    r->items[r->item_count++] = item;
    return true;
}

static gl_str entry_tenant_of(const uint8_t *raw, uint32_t len)
{
    gl_cur c;
    gl_cur_init_stored(&c, raw, len); /* an entry its request's decoder checked */
    gl_str t = gl_get_str8(&c, GL_TENANT_MAX);
    return gl_cur_status(&c) == GL_OK ? t : (gl_str){"", 0};
}

/* Everything a request should have written to this chain is there.  The
 * run's end is checked after the event that follows it, so that an entry
 * moved out of its request is named where it lands first. */
bool vf_end_run(vctx *v, run *r)
{
    tstate *ts = &v->ts;
    if (!r->active || stopped(v))
        return !stopped(v);
    r->active = false;
    env_state *es = &v->env[r->env];
    uint64_t number = v->a->envelopes[r->env].number;
    ts->seq = r->last_seq;
    ts->has_entry = r->last_has_entry;
    ts->fy = r->last_fy;
    ts->num = r->last_num;
    gl_str t = ts->at->id;
    bool is_umbrella = v->umbrella && str_eq(v->umbrella->id, t);
    if (r->kind == GL_KIND_POST) {
        size_t k = 0;
        for (uint32_t i = 0; i < es->item_count; i++) {
            if (!str_eq(entry_tenant_of(es->item_ptr[i], es->item_len[i]), t))
                continue;
            if (k < r->item_count && r->items[k] == i + 1) {
                k++;
                continue;
            }
            return vf_problem(v, GL_VP_REQUEST,
                              "its signed request (envelope %llu) posts entry %u to %.*s, which "
                              "is not in the chain",
                              (unsigned long long)number, i + 1, (int)t.len, t.ptr);
        }
    } else if (r->kind == GL_KIND_ASSET_POST) {
        if (!r->saw_asset_post)
            return vf_problem(v, GL_VP_REQUEST,
                              "the asset post (envelope %llu) has no asset post event after its "
                              "entries",
                              (unsigned long long)number);
    } else if (r->kind == GL_KIND_CLOSE_YEAR) {
        if (!r->saw_close)
            return vf_problem(v, GL_VP_CLOSING, "the year close (envelope %llu) has no close event",
                              (unsigned long long)number);
    } else if (r->kind == GL_KIND_DUES || r->kind == GL_KIND_RECHARGE_ADJUST) {
        gl_dues_q q;
        if (given_items_decode(&es->req, &q) != GL_OK)
            return vf_problem(v, GL_VP_GROUP, "the %s request's body does not decode",
                              gl_kind_name(r->kind));
        for (uint16_t i = 0; i < q.count; i++) {
            uint32_t item = is_umbrella                    ? 2u * i + 1
                            : str_eq(q.items[i].tenant, t) ? 2u * i + 2
                                                           : 0;
            bool seen = false;
            for (size_t k = 0; item && k < r->item_count && !seen; k++)
                seen = r->items[k] == item;
            if (item && !seen)
                return vf_problem(v, GL_VP_GROUP,
                                  "the %s request (envelope %llu) wrote entry %u to %.*s, which is "
                                  "not in the chain",
                                  gl_kind_name(r->kind), (unsigned long long)number, item,
                                  (int)t.len, t.ptr);
        }
    } else if (r->kind == GL_KIND_LETTER_BATCH) {
        /* items rise (vf_event_request) and each names a set: all there */
        gl_letter_batch_q b;
        if (vf_letter_batch_decode(&es->req, &b) != GL_OK || r->item_count != b.count)
            return vf_problem(v, GL_VP_REQUEST,
                              "the lettering batch (envelope %llu) letters %zu sets, its signed "
                              "request %u",
                              (unsigned long long)number, r->item_count,
                              vf_letter_batch_decode(&es->req, &b) == GL_OK ? b.count : 0u);
    } else if (r->kind == GL_KIND_REMINDER_RECORD) {
        /* items rise (vf_event_request): as many events as items, all there */
        gl_reminder_q q;
        if (gl_reminder_q_decode_stored(es->req.body, es->req.body_len, &q) != GL_OK ||
            r->item_count != q.count)
            return vf_problem(v, GL_VP_REQUEST,
                              "the reminders (envelope %llu) record %zu third parties, their "
                              "signed request %u",
                              (unsigned long long)number, r->item_count,
                              gl_reminder_q_decode_stored(es->req.body, es->req.body_len, &q) ==
                                      GL_OK
                                  ? (unsigned)q.count
                                  : 0u);
    } else if (r->kind == GL_KIND_RECHARGE && is_umbrella) {
        gl_recharge_q q;
        if (gl_recharge_q_decode(es->req.body, es->req.body_len, &q) != GL_OK)
            return vf_problem(v, GL_VP_GROUP, "the recharge request's body does not decode");
        if (r->last_item != 2 * r->item_count - 1)
            return vf_problem(v, GL_VP_GROUP,
                              "the recharge (envelope %llu) invoices are not items 1, 3, 5 …: one "
                              "is missing",
                              (unsigned long long)number);
        if (r->invoice_sum != q.amount_cents) {
            char a[GL_MONEY_TEXT_MAX], b[GL_MONEY_TEXT_MAX];
            return vf_problem(v, GL_VP_GROUP,
                              "the recharge's shares sum to %s, its signed request says %s",
                              money(r->invoice_sum, a), money(q.amount_cents, b));
        }
    }
    return true;
}

/* The request an event belongs to: start a new run when it changes. */
env_state *vf_event_request(vctx *v, const gl_event *ev, uint64_t seq)
{
    tstate *ts = &v->ts;
    run *r = &ts->cur;
    if (!r->active || v->a->envelopes[r->env].number != ev->head.envelope) {
        if (r->active) { /* its end is checked once this event is */
            run ended = ts->ended;
            ts->ended = *r;
            *r = ended;
            ts->ended_pending = true;
        }
        if (ev->head.envelope <= ts->last_envelope)
            return vf_problem(v, GL_VP_SEQUENCE,
                              "its request (envelope %llu) comes after envelope %llu in the chain: "
                              "the events are out of order",
                              (unsigned long long)ev->head.envelope,
                              (unsigned long long)ts->last_envelope),
                   NULL;
        size_t idx;
        env_state *es = open_envelope(v, ev->head.envelope, &idx);
        if (!es)
            return NULL;
        if (!gl_kind_writes(es->req.kind))
            return vf_problem(v, GL_VP_REQUEST,
                              "its request (envelope %llu) is a %s request, which writes nothing",
                              (unsigned long long)ev->head.envelope, gl_kind_name(es->req.kind)),
                   NULL;
        if (!env_items(v, es))
            return NULL;
        uint32_t *items = r->items;
        size_t cap = r->item_cap;
        memset(r, 0, sizeof *r);
        r->items = items;
        r->item_cap = cap;
        r->active = true;
        r->env = idx;
        r->kind = es->req.kind;
        ts->last_envelope = ev->head.envelope;
    }
    env_state *es = &v->env[r->env];
    char a[20], b[20];
    if (memcmp(ev->head.signer, es->req.signer, 32)) {
        vf_fingerprint(ev->head.signer, a);
        vf_fingerprint(es->req.signer, b);
        return vf_problem(v, GL_VP_ENVELOPE,
                          "the event names signer %s, its request (envelope %llu) was signed by %s",
                          a, (unsigned long long)ev->head.envelope, b),
               NULL;
    }
    if (ev->head.request_id != es->req.request_id)
        return vf_problem(v, GL_VP_ENVELOPE,
                          "the event names request id %llu, its request (envelope %llu) has %llu",
                          (unsigned long long)ev->head.request_id,
                          (unsigned long long)ev->head.envelope,
                          (unsigned long long)es->req.request_id),
               NULL;
    if (ev->head.recorded_ms < 0 || ev->head.recorded_ms >= TIME_MAX_MS)
        return vf_problem(v, GL_VP_RECORD, "recorded at an impossible time (%lld ms)",
                          (long long)ev->head.recorded_ms),
               NULL;
    if (!es->recorded_set) {
        es->recorded_ms = ev->head.recorded_ms;
        es->recorded_set = true;
    } else if (es->recorded_ms != ev->head.recorded_ms) {
        char t1[32], t2[32];
        vf_iso_time(ev->head.recorded_ms, t1);
        vf_iso_time(es->recorded_ms, t2);
        return vf_problem(v, GL_VP_ENVELOPE,
                          "recorded at %s, the other events of its request (envelope %llu) at %s",
                          t1, (unsigned long long)ev->head.envelope, t2),
               NULL;
    }
    if (r->item_count > 0 && ev->head.item <= r->last_item)
        return vf_problem(v, GL_VP_SEQUENCE,
                          "item %u of its request comes after item %u: the events are out of order "
                          "or repeated",
                          ev->head.item, r->last_item),
               NULL;
    if (r->item_count == 0 && !vf_check_key(v, &es->req, ev->head.recorded_ms))
        return NULL;
    if (!run_push(v, r, ev->head.item))
        return NULL;
    r->last_item = ev->head.item;
    r->last_seq = seq;
    r->last_has_entry = ts->has_entry;
    r->last_fy = ts->fy;
    r->last_num = ts->num;
    return es;
}

bool vf_header_tenant(vctx *v, const env_state *es)
{
    if (!str_eq(es->req.tenant, v->ts.at->id))
        return vf_problem(v, GL_VP_REQUEST, "its signed request is for tenant '%.*s'",
                          (int)es->req.tenant.len, es->req.tenant.ptr);
    return true;
}

bool vf_expect_kind(vctx *v, const env_state *es, uint16_t kind)
{
    if (es->req.kind != kind)
        return vf_problem(v, GL_VP_REQUEST, "this event cannot come from a %s request",
                          gl_kind_name(es->req.kind));
    return vf_header_tenant(v, es);
}
