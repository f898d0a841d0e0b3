/*
 * daemon/rules/persons.c — personal data that can be forgotten (issue 17,
 * PROTOCOL.md §5.28-§5.29).
 *
 * PERSON_KEY hands out the public key of a natural person (created on the
 * first request, durably, in the key store of daemon/persons.h, apart from
 * the ledger).  It writes nothing to the ledger and no chain event: a key
 * is not accounting data, and the chain must not depend on a secret that
 * FORGET destroys; what the chain covers is the sealed bytes a client
 * records with the key (THIRD_PARTY_SET).
 *
 * FORGET destroys the key once the legal retention of the entries naming
 * the person has run out (Code de commerce L123-22: ten years, [daemon]
 * retention_years, after the end of the last fiscal year holding a line
 * with that auxiliary code), and records it: the table forgotten and the
 * chain event 12 (code and date, never the data).  The key goes only once
 * the FORGET is durable (rules_forget_acked, after the batch's journal
 * record or LMDB commit): a request refused at any point, its commit
 * included, leaves the key whole; a kill between the commit and the
 * shredding leaves a committed row beside a live key, which the next start
 * destroys (persons_sweep_forgotten).  A key destroyed with no row (a
 * daemon before this order) is recorded by the same request sent again.
 */
#include "daemon/config.h"
#include "daemon/handlers.h"
#include "daemon/ledger.h"
#include "daemon/persons.h"
#include "daemon/store/keys.h"

#include "proto/chain.h"
#include "proto/date.h"
#include "proto/seal.h"
#include "proto/status.h"
#include "proto/third_party.h"

#include <string.h>

static int refuse_forgotten(gl_exec *x, gl_str code)
{
    return exec_fail(x, GL_ERR_PERSON_FORGOTTEN, 0, 0,
                     "%.*s was forgotten: its key is destroyed and never made again", (int)code.len,
                     code.ptr);
}

/* The tenant's record into rec and whether the ledger holds code's FORGET
 * row: GL_OK (it does), GL_ERR_NOT_FOUND (it does not), or a failure. */
static int forgotten_row(gl_exec *x, gl_str code, tenant_rec *rec)
{
    int st = exec_tenant_load(x, rec);
    if (st != GL_OK)
        return st == GL_ERR_NOT_FOUND ? GL_ERR_INTERNAL : st;
    uint8_t key[KEY_AUX_LABELS_LEN];
    key_aux_labels(key, rec->number, code);
    store_val v;
    return store_get(x->txn, DB_FORGOTTEN, key, sizeof key, &v);
}

/* person_forgotten if the ledger holds code's FORGET row: its key may
 * still be on disk until the FORGET's batch is durable (the same batch). */
static int forgotten_in_ledger(gl_exec *x, gl_str code)
{
    tenant_rec rec;
    int st = forgotten_row(x, code, &rec);
    if (st == GL_OK)
        return refuse_forgotten(x, code);
    return st == GL_ERR_NOT_FOUND ? GL_OK : st;
}

/* person_keys_full if code has no key yet and the tenant holds
 * [daemon] person_keys_max live keys: the key store is one file per
 * person, and a signed member must not fill the disk with them.  A code
 * that has a key always gets it again (idempotent), past the cap too. */
static int check_key_cap(gl_exec *x, gl_str code)
{
    enum person_state state;
    size_t n;
    if (persons_state(x->cfg->data_dir, x->req->tenant, code, &state, NULL) != GL_OK ||
        (state == PERSON_NONE && persons_count(x->cfg->data_dir, x->req->tenant, &n) != GL_OK))
        return exec_fail(x, GL_ERR_STORAGE, 0, 0, "cannot read the key store of persons");
    if (state != PERSON_NONE || n < x->cfg->person_keys_max)
        return GL_OK;
    return exec_fail(x, GL_ERR_PERSON_KEYS_FULL, 0, 0,
                     "tenant %.*s holds %zu person keys, the most [daemon] person_keys_max "
                     "allows: no key made for %.*s",
                     (int)x->req->tenant.len, x->req->tenant.ptr, n, (int)code.len, code.ptr);
}

int rules_person_key(gl_exec *x, const gl_body *rq)
{
    gl_str code = rq->person_code;
    uint8_t pk[GL_PERSON_PK_BYTES];
    int st = forgotten_in_ledger(x, code);
    if (st == GL_OK)
        st = check_key_cap(x, code);
    if (st != GL_OK)
        return st;
    st = persons_get_or_create(x->cfg->data_dir, x->req->tenant, code, pk, x->detail,
                               sizeof x->detail);
    if (st == GL_ERR_NOT_FOUND)
        return refuse_forgotten(x, code);
    if (st != GL_OK)
        return st;
    gl_put_bytes(x->body, pk, sizeof pk);
    return gl_buf_ok(x->body) ? GL_OK : GL_ERR_INTERNAL;
}

/* The latest fiscal year of tenant with a line naming aux (0: none), from
 * the daily totals (tenant | fy | account | aux | date): FORGET is rare,
 * one pass over the tenant's rows is its cost. */
static int last_year_naming(gl_exec *x, uint32_t tenant, gl_str aux, uint16_t *fy)
{
    uint8_t start[KEY_TENANT_PREFIX_LEN];
    key_tenant(start, tenant);
    store_scan s;
    *fy = 0;
    int st = store_scan_begin(&s, x->txn, DB_DAILY, start, sizeof start, sizeof start);
    while (st == GL_OK && store_scan_next(&s)) {
        key_parts p;
        if (!key_daily_parse(s.k, &p)) {
            st = GL_ERR_STORAGE;
            continue;
        }
        gl_str a = key_unpad(p.aux, KEY_AUX_W);
        if (p.fy > *fy && a.len == aux.len && !memcmp(a.ptr, aux.ptr, aux.len))
            *fy = p.fy;
    }
    return store_scan_close(&s, st);
}

/* retention_not_expired unless today is after the end of the last fiscal
 * year naming code plus the retention period. */
static int check_retention(gl_exec *x, uint32_t tenant, gl_str code, uint32_t today)
{
    const gl_tenant_cfg *tc = gl_config_tenant(x->cfg, x->req->tenant.ptr, x->req->tenant.len);
    uint16_t fy;
    int st = tc ? last_year_naming(x, tenant, code, &fy) : GL_ERR_INTERNAL;
    if (st != GL_OK || fy == 0)
        return st;
    uint32_t end = gl_fiscal_year_end(fy, tc->first_month);
    uint32_t until = end + x->cfg->retention_years * 10000u; /* YYYYMMDD: years move by 10000 */
    if (today > until)
        return GL_OK;
    return exec_fail(x, GL_ERR_RETENTION_NOT_EXPIRED, 0, 0,
                     "%.*s is named in fiscal year %u (ending %08u): its entries are kept %u "
                     "years, until %08u; it can be forgotten from the day after",
                     (int)code.len, code.ptr, fy, end, x->cfg->retention_years, until);
}

static int record_forget(gl_exec *x, tenant_rec *rec, gl_str code, uint32_t today)
{
    uint8_t key[KEY_AUX_LABELS_LEN]; /* the same shape: tenant u32 | aux[20] */
    key_aux_labels(key, rec->number, code);
    uint8_t date[4];
    gl_be32(date, today);
    int st = store_put(x->txn, DB_FORGOTTEN, key, sizeof key, date, sizeof date);
    if (st != GL_OK)
        return st;
    gl_buf ev;
    gl_buf_init(&ev);
    gl_event_head head = {x->envelope, 1, x->req->signer, x->req->request_id, x->now_ms};
    gl_event_head_encode(&ev, &head);
    gl_forget_ev_encode(&ev, &(gl_forget_ev){code, today});
    uint64_t seq;
    st = gl_buf_ok(&ev)
             ? chain_append(x->txn, x->req->tenant, rec, GL_EVENT_FORGET, ev.data, ev.len, &seq)
             : GL_ERR_INTERNAL;
    gl_buf_free(&ev);
    return st;
}

int rules_forget(gl_exec *x, const gl_body *rq)
{
    gl_str code = rq->person_code;
    tenant_rec rec;
    int st = forgotten_row(x, code, &rec);
    if (st == GL_OK)
        return exec_fail(x, GL_ERR_PERSON_FORGOTTEN, 0, 0, "%.*s was forgotten already",
                         (int)code.len, code.ptr);
    if (st != GL_ERR_NOT_FOUND)
        return st;
    enum person_state state;
    if (persons_state(x->cfg->data_dir, x->req->tenant, code, &state, NULL) != GL_OK)
        return exec_fail(x, GL_ERR_STORAGE, 0, 0, "cannot read the key store of persons");
    if (state == PERSON_NONE)
        return exec_fail(x, GL_ERR_NO_PERSON_KEY, 0, 0,
                         "%.*s has no person key: nothing was sealed to it", (int)code.len,
                         code.ptr);
    uint32_t today = gl_date_paris(x->now_ms);
    if ((st = check_retention(x, rec.number, code, today)) != GL_OK)
        return st;
    return record_forget(x, &rec, code, today); /* the key goes once this is durable */
}

int persons_check_lines(gl_exec *x, const gl_entry *e, const gl_line *lines, uint32_t n,
                        uint32_t tenant, uint32_t item)
{
    if (e->reverses_fy)
        return GL_OK; /* undoes a stored entry: its labels were written before */
    for (uint32_t i = 1; i <= n; i++) {
        const gl_line *l = &lines[i - 1];
        if (!l->aux.len || !l->aux_label.len)
            continue;
        uint8_t key[KEY_THIRD_PARTIES_LEN];
        store_val v;
        key_third_parties(key, tenant, l->aux);
        int st = store_get(x->txn, DB_THIRD_PARTIES, key, sizeof key, &v);
        if (st == GL_ERR_NOT_FOUND)
            continue;
        gl_cur c;
        gl_third_party r;
        gl_cur_init_stored(&c, v.ptr, v.len);
        if (st == GL_OK && gl_third_party_get(&c, &r) != GL_OK)
            st = registry_row_damaged(x, l->aux);
        if (st != GL_OK)
            return st;
        if (r.flags & GL_TP_NATURAL_PERSON)
            return exec_fail(x, GL_ERR_PERSON_IN_CLEAR, item, i,
                             "entry %u line %u: %.*s is a natural person: its name is never "
                             "written in clear; leave the aux label empty",
                             item, i, (int)l->aux.len, l->aux.ptr);
    }
    return GL_OK;
}
