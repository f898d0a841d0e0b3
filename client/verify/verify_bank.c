/*
 * client/verify/verify_bank.c — the bank events (issue 18): BANK_ACCOUNT
 * (13) is its signed BANK_ACCOUNT_SET request's body byte for byte, a
 * record within its rules on an account the chain opened; BANK_STATEMENT
 * (14) names the lines of its signed BANK_IMPORT request the daemon
 * stored, which the replay re-derives: the lines of the request minus
 * those already stored by the chain's earlier statement events (the same
 * bank reference; a reference recognised as a line of the same day,
 * amount and label that no reference of its file's format covers yet; or
 * the n-th identical line of a day when there is none: PROTOCOL.md §5.37
 * step 7),
 * with the ids (bank account, seq) following on.  The statement's account
 * must be the registered one (IBAN, or a French RIB of it).
 *
 * State per tenant (struct vf_bank, hung on tstate): the registered bank
 * accounts, the references stored and the count of lines per (account,
 * day, amount, label), with how many of them a reference of each file
 * format covers.
 */
#include "verify_int.h"

#include "proto/bank.h"
#include "proto/chain.h"

#include <stdio.h>

typedef struct bank_reg {
    uint8_t alen, ilen;
    char account[GL_ACCOUNT_MAX];
    char iban[GL_BANK_IBAN_MAX];
    uint32_t lines; /* the last id given */
} bank_reg;

typedef struct ref_key {
    uint8_t alen, rlen;
    char account[GL_ACCOUNT_MAX];
    char ref[GL_BANK_REF_LEN_MAX];
} ref_key;

typedef struct day_key {
    int64_t amount;
    uint32_t date;
    uint8_t alen, llen;
    char account[GL_ACCOUNT_MAX];
    char label[GL_BANK_TEXT_MAX];
} day_key;

/* A day_key and a file format (PROTOCOL.md §5.37: each format's
 * references name its movements its own way). */
typedef struct cover_key {
    day_key day;
    uint8_t format;
} cover_key;

struct vf_bank {
    bank_reg *regs;
    size_t n, cap;
    map refs;    /* ref_key -> uint32 seq */
    map days;    /* day_key -> uint32 count */
    map covered; /* cover_key -> uint32: those of them a reference of a format covers */
};

void vf_bank_free(struct vf_bank *b)
{
    if (!b)
        return;
    free(b->regs);
    vf_map_free(&b->refs);
    vf_map_free(&b->days);
    vf_map_free(&b->covered);
    free(b);
}

static struct vf_bank *state(vctx *v)
{
    if (!v->ts.bank) {
        v->ts.bank = calloc(1, sizeof *v->ts.bank);
        if (!v->ts.bank)
            return NULL;
        vf_map_init(&v->ts.bank->refs, sizeof(ref_key), sizeof(uint32_t));
        vf_map_init(&v->ts.bank->days, sizeof(day_key), sizeof(uint32_t));
        vf_map_init(&v->ts.bank->covered, sizeof(cover_key), sizeof(uint32_t));
    }
    return v->ts.bank;
}

static bank_reg *reg_find(struct vf_bank *b, gl_str account)
{
    for (size_t i = 0; i < b->n; i++)
        if (str_eq((gl_str){b->regs[i].account, b->regs[i].alen}, account))
            return &b->regs[i];
    return NULL;
}

bool vf_bank_registered(vctx *v, gl_str account)
{
    const bank_reg *r = v->ts.bank ? reg_find(v->ts.bank, account) : NULL;
    return r && r->ilen;
}

static bank_reg *reg_get(vctx *v, struct vf_bank *b, gl_str account)
{
    bank_reg *r = reg_find(b, account);
    if (r)
        return r;
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4;
        bank_reg *regs = realloc(b->regs, cap * sizeof *regs);
        if (!regs) {
            vf_out_of_memory(v);
            return NULL;
        }
        b->regs = regs;
        b->cap = cap;
    }
    r = &b->regs[b->n++];
    memset(r, 0, sizeof *r);
    r->alen = (uint8_t)account.len;
    copy_bytes(r->account, account.ptr, account.len);
    return r;
}

bool vf_event_bank_account(vctx *v, const gl_event *ev)
{
    gl_bank_account got;
    if (gl_bank_account_decode(ev->payload, ev->payload_len, &got) != GL_OK)
        return vf_problem(v, GL_VP_RECORD, "the bank account's record does not decode");
    env_state *es = vf_event_request(v, ev, v->ts.seq);
    if (!es || !vf_expect_kind(v, es, GL_KIND_BANK_ACCOUNT_SET))
        return false;
    if (ev->head.item != 1 || es->req.body_len != ev->payload_len ||
        memcmp(es->req.body, ev->payload, ev->payload_len))
        return vf_problem(v, GL_VP_REQUEST,
                          "bank account %.*s is not the one its signed request registers",
                          (int)got.account.len, got.account.ptr);
    const char *field;
    if (!gl_bank_account_check(&got, &field))
        return vf_problem(v, GL_VP_RULE, "bank account %.*s: its %s is out of its rule",
                          (int)got.account.len, got.account.ptr, field);
    acct_key k = vf_make_acct_key(got.account);
    acct_val *a = vf_map_get(&v->ts.accounts, &k, false, &v->nomem);
    if (!a || !a->opened)
        return vf_problem(v, GL_VP_RULE, "bank account on %.*s, which is not open",
                          (int)got.account.len, got.account.ptr);
    struct vf_bank *b = state(v);
    for (size_t i = 0; b && i < b->n; i++)
        if (str_eq((gl_str){b->regs[i].iban, b->regs[i].ilen}, got.iban) &&
            !str_eq((gl_str){b->regs[i].account, b->regs[i].alen}, got.account))
            return vf_problem(v, GL_VP_RULE,
                              "bank account %.*s: its IBAN is already the bank account of %.*s "
                              "(473)",
                              (int)got.account.len, got.account.ptr, (int)b->regs[i].alen,
                              b->regs[i].account);
    bank_reg *r = b ? reg_get(v, b, got.account) : NULL;
    if (!r)
        return vf_out_of_memory(v);
    r->ilen = (uint8_t)got.iban.len;
    copy_bytes(r->iban, got.iban.ptr, got.iban.len);
    return true;
}

static day_key make_day(gl_str account, const gl_bank_line_w *l)
{
    day_key k;
    memset(&k, 0, sizeof k);
    k.amount = l->amount_cents;
    k.date = l->booking;
    k.alen = (uint8_t)account.len;
    k.llen = (uint8_t)l->label.len;
    copy_bytes(k.account, account.ptr, account.len);
    copy_bytes(k.label, l->label.ptr, l->label.len);
    return k;
}

static ref_key make_ref(gl_str account, gl_str ref)
{
    ref_key k;
    memset(&k, 0, sizeof k);
    k.alen = (uint8_t)account.len;
    k.rlen = (uint8_t)ref.len;
    copy_bytes(k.account, account.ptr, account.len);
    copy_bytes(k.ref, ref.ptr, ref.len);
    return k;
}

static cover_key make_cover(const day_key *dk, uint8_t format)
{
    cover_key k;
    memset(&k, 0, sizeof k);
    k.day = *dk;
    k.format = format;
    return k;
}

/* A count of m (0 when absent). */
static uint32_t count_of(vctx *v, map *m, const void *key)
{
    uint32_t *c = vf_map_get(m, key, false, &v->nomem);
    return c ? *c : 0;
}

/* Add n to the count of key in m. */
static bool count_add(vctx *v, map *m, const void *key, uint32_t n)
{
    uint32_t *c = vf_map_get(m, key, true, &v->nomem);
    if (!c)
        return vf_out_of_memory(v);
    *c += n;
    return true;
}

/* This request's counts per day_key: the lines without a reference so
 * far, the references recognised. */
typedef struct req_counts {
    uint32_t refless, claimed;
} req_counts;

/* Is l, of a file of format, already stored?  The daemon's rule
 * (daemon/rules/bank_dedup.h): its reference known (a reference twice in
 * one request is stored once); else a reference recognised as a line of
 * its day, amount and label stored by an earlier request that no
 * reference of that format covers yet; a line without reference, the
 * n-th of its day, amount and label in the request, when earlier
 * requests stored at least n of them. */
static bool line_dup(vctx *v, struct vf_bank *b, gl_str account, uint8_t format,
                     const gl_bank_line_w *l, map *here, bool *dup)
{
    day_key dk = make_day(account, l);
    cover_key ck = make_cover(&dk, format);
    req_counts *rc = vf_map_get(here, &dk, true, &v->nomem);
    if (!rc)
        return vf_out_of_memory(v);
    uint32_t stored = count_of(v, &b->days, &dk), covered = count_of(v, &b->covered, &ck);
    if (!l->bank_ref.len) {
        *dup = ++rc->refless <= stored;
        return true;
    }
    ref_key rk = make_ref(account, l->bank_ref);
    uint32_t *seq = vf_map_get(&b->refs, &rk, true, &v->nomem);
    if (!seq)
        return vf_out_of_memory(v);
    *dup = *seq != 0;
    if (!*dup && covered < stored && rc->claimed < stored - covered) {
        rc->claimed++;
        *dup = true;
    }
    *seq = 1;
    return true;
}

/* The places of q's lines that are not stored yet, as the daemon decides:
 * *n of them in want (q->count places).  The references go into the state
 * as found; the day counts after the whole request (the daemon counts
 * only the lines of earlier requests). */
static bool rederive(vctx *v, struct vf_bank *b, const gl_bank_import_q *q, uint16_t *want,
                     uint16_t *n)
{
    map here; /* day_key -> req_counts */
    vf_map_init(&here, sizeof(day_key), sizeof(req_counts));
    size_t pos = 0;
    gl_bank_line_w l;
    *n = 0;
    bool ok = true;
    for (uint16_t i = 1; ok && gl_bank_import_next(q, &pos, &l); i++) {
        bool dup = false;
        ok = line_dup(v, b, q->account, q->format, &l, &here, &dup);
        if (ok && !dup)
            want[(*n)++] = i;
    }
    pos = 0;
    for (uint16_t i = 1, k = 0; ok && gl_bank_import_next(q, &pos, &l); i++) {
        bool stored = k < *n && want[k] == i;
        k += stored;
        day_key dk = make_day(q->account, &l);
        cover_key ck = make_cover(&dk, q->format);
        req_counts *rc = vf_map_get(&here, &dk, false, &v->nomem);
        ok = count_add(v, &b->days, &dk, stored) &&
             count_add(v, &b->covered, &ck, (stored && l.bank_ref.len) + (rc ? rc->claimed : 0));
        if (rc)
            rc->claimed = 0; /* counted once */
    }
    vf_map_free(&here);
    return ok;
}

static bool check_statement(vctx *v, const gl_bank_import_q *q, const bank_reg *r)
{
    if (!r || !r->ilen)
        return vf_problem(v, GL_VP_RULE, "lines imported into %.*s, which has no bank account",
                          (int)q->account.len, q->account.ptr);
    if (q->account_id.len && !gl_bank_account_id_matches(q->account_id, (gl_str){r->iban, r->ilen}))
        return vf_problem(v, GL_VP_RULE, "a statement of %.*s imported into %.*s (%.*s)",
                          (int)q->account_id.len, q->account_id.ptr, (int)q->account.len,
                          q->account.ptr, (int)r->ilen, r->iban);
    if (q->currency.len && !gl_str_eq(q->currency, "EUR"))
        return vf_problem(v, GL_VP_RULE, "a statement in %.*s", (int)q->currency.len,
                          q->currency.ptr);
    return true;
}

bool vf_event_bank_statement(vctx *v, const gl_event *ev)
{
    gl_str account;
    uint32_t first_seq;
    const uint8_t *index;
    uint16_t count;
    if (gl_bank_statement_event_decode(ev->payload, ev->payload_len, &account, &first_seq, &index,
                                       &count) != GL_OK)
        return vf_problem(v, GL_VP_RECORD, "the statement's record does not decode");
    env_state *es = vf_event_request(v, ev, v->ts.seq);
    if (!es || !vf_expect_kind(v, es, GL_KIND_BANK_IMPORT))
        return false;
    gl_bank_import_q q;
    uint32_t bad;
    if (gl_bank_import_decode(es->req.body, es->req.body_len, &q, &bad) != GL_OK)
        return vf_problem(v, GL_VP_REQUEST, "its signed request's body does not decode (line %u)",
                          bad);
    if (ev->head.item != 1 || !str_eq(account, q.account))
        return vf_problem(v, GL_VP_REQUEST, "not the account its signed request names");
    struct vf_bank *b = state(v);
    if (!b)
        return vf_out_of_memory(v);
    bank_reg *r = reg_find(b, account);
    if (!check_statement(v, &q, r))
        return false;
    uint16_t *want = malloc(sizeof *want * q.count), n = 0;
    if (!want)
        return vf_out_of_memory(v);
    bool ok = rederive(v, b, &q, want, &n);
    bool same = ok && n == count && first_seq == (n ? r->lines + 1 : 0);
    for (uint16_t i = 0; same && i < n; i++)
        same = gl_rd16(index + 2 * i) == want[i];
    free(want);
    if (ok && !same)
        return vf_problem(v, GL_VP_REQUEST,
                          "account %.*s: the lines it stores (%u from id %u) are not those its "
                          "signed request adds (%u from id %u)",
                          (int)account.len, account.ptr, count, first_seq, n, n ? r->lines + 1 : 0);
    r->lines += n;
    return ok;
}
