/*
 * daemon/rules/third_party.c — the registry of third parties (issue 17,
 * PROTOCOL.md §5.22): THIRD_PARTY_SET adds or replaces records, each
 * change an event of the tenant's chain (type 9, the record's canonical
 * bytes) so that the offline verifier replays the registry; a record
 * identical to the stored one writes nothing.  THIRD_PARTIES lists the
 * registry and the group entities of the configuration.  And POST's
 * collective rule (§5.4 step 13b): a line on a collective account names a
 * known third party, when the tenant's configuration requires it.
 */
#include "daemon/handlers.h"
#include "daemon/ledger.h"
#include "daemon/persons.h"
#include "daemon/rules/third_party.h"
#include "daemon/store/keys.h"

#include "proto/chain.h"
#include "proto/reply.h"
#include "proto/status.h"
#include "proto/third_party.h"

#include <sodium.h>
#include <string.h>

/* The collective account is an open class 4 account of the tenant. */
static int check_collective(gl_exec *x, uint32_t tenant, const gl_third_party *r, uint32_t item)
{
    uint8_t key[KEY_ACCOUNTS_LEN];
    store_val v;
    int st = GL_ERR_NOT_FOUND;
    if (r->collective.ptr[0] == '4') {
        key_accounts(key, tenant, r->collective);
        st = store_get(x->txn, DB_ACCOUNTS, key, sizeof key, &v);
    }
    if (st == GL_ERR_NOT_FOUND)
        return exec_fail(x, GL_ERR_THIRD_PARTY_COLLECTIVE, item, 0,
                         "item %u: third party %.*s: collective account %.*s is not an open class "
                         "4 account of the tenant",
                         item, (int)r->code.len, r->code.ptr, (int)r->collective.len,
                         r->collective.ptr);
    return st;
}

/* A forgotten person's code is never written again (its name would come
 * back in clear); a sealed block must open with the person's key, so that
 * every reader can show it (PROTOCOL §5.19a). */
static int check_person(gl_exec *x, const gl_third_party *r, uint32_t item)
{
    enum person_state state;
    int st = persons_state(x->cfg->data_dir, x->req->tenant, r->code, &state, NULL);
    if (st != GL_OK)
        return st;
    if (state == PERSON_FORGOTTEN)
        return exec_fail(x, GL_ERR_PERSON_FORGOTTEN, item, 0,
                         "item %u: third party %.*s was forgotten: its record is never written "
                         "again",
                         item, (int)r->code.len, r->code.ptr);
    if (!(r->flags & GL_TP_SEALED))
        return GL_OK;
    gl_buf block;
    gl_buf_init(&block);
    st = persons_open_sealed(x->cfg->data_dir, x->req->tenant, r->code,
                             (const uint8_t *)r->ident.ptr, r->ident.len, &block);
    gl_identity id;
    bool opens = st == GL_OK && gl_identity_decode(block.data, block.len, &id) == GL_OK;
    sodium_memzero(block.data, block.len);
    gl_buf_free(&block);
    if (!opens)
        return exec_fail(x, GL_ERR_BAD_THIRD_PARTY, item, 0,
                         "item %u: third party %.*s: its sealed block does not open with the "
                         "person's key (PERSON_KEY gives it)",
                         item, (int)r->code.len, r->code.ptr);
    return GL_OK;
}

static int set_one(gl_exec *x, tenant_rec *rec, const gl_third_party *r, uint8_t mode,
                   uint32_t item, uint32_t *changed, uint32_t *unchanged)
{
    const char *field;
    int st = gl_third_party_check(r, &field);
    if (st != GL_OK)
        return exec_fail(x, st, item, 0, "item %u: third party %.*s: its %s is out of its rule",
                         item, (int)r->code.len, r->code.ptr, field);
    if ((st = check_collective(x, rec->number, r, item)) != GL_OK ||
        (st = check_person(x, r, item)) != GL_OK)
        return st;
    uint8_t key[KEY_THIRD_PARTIES_LEN];
    store_val v;
    key_third_parties(key, rec->number, r->code);
    st = store_get(x->txn, DB_THIRD_PARTIES, key, sizeof key, &v);
    if (st == GL_OK && mode == GL_TP_MODE_ADD)
        return exec_fail(x, GL_ERR_THIRD_PARTY_EXISTS, item, 0,
                         "item %u: third party %.*s is already in the registry", item,
                         (int)r->code.len, r->code.ptr);
    if (st == GL_OK && v.len == r->raw_len && !memcmp(v.ptr, r->raw, v.len)) {
        (*unchanged)++;
        return GL_OK;
    }
    if (st != GL_OK && st != GL_ERR_NOT_FOUND)
        return st;
    if ((st = store_put(x->txn, DB_THIRD_PARTIES, key, sizeof key, r->raw, r->raw_len)) != GL_OK)
        return st;
    gl_buf ev;
    gl_buf_init(&ev);
    gl_event_head head = {x->envelope, item, x->req->signer, x->req->request_id, x->now_ms};
    gl_event_head_encode(&ev, &head);
    gl_put_bytes(&ev, r->raw, r->raw_len);
    uint64_t seq;
    st = gl_buf_ok(&ev) ? chain_append(x->txn, x->req->tenant, rec, GL_EVENT_THIRD_PARTY, ev.data,
                                       ev.len, &seq)
                        : GL_ERR_INTERNAL;
    gl_buf_free(&ev);
    if (st == GL_OK)
        (*changed)++;
    return st;
}

int rules_third_party_set(gl_exec *x, const gl_body *rq)
{
    gl_tp_set_q q = rq->tp_set;
    int st;
    tenant_rec rec;
    if ((st = exec_tenant_load(x, &rec)) != GL_OK)
        return st;
    uint32_t changed = 0, unchanged = 0;
    gl_cur it;
    gl_tp_set_iter(&q, &it);
    for (uint32_t item = 1; item <= q.count; item++) {
        gl_third_party r;
        if (gl_third_party_get(&it, &r) != GL_OK) /* decoded at admission */
            return GL_ERR_INTERNAL;
        if ((st = set_one(x, &rec, &r, q.mode, item, &changed, &unchanged)) != GL_OK)
            return st;
    }
    gl_reply_account_label r = {changed, unchanged};
    gl_reply_account_label_encode(x->body, &r);
    return gl_buf_ok(x->body) ? GL_OK : GL_ERR_INTERNAL;
}

bool third_party_collective(gl_str account)
{
    static const char *const prefixes[] = {"401", "411", "416", "421", "441"};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (account.len >= 3 && !memcmp(account.ptr, prefixes[i], 3))
            return true;
    return false;
}

/* Is code a group entity the tenant sees (the umbrella for a member, each
 * member for the umbrella, every entity for the combination ledger; the
 * combination ledger is no entity)? */
static bool group_entity(const gl_config *cfg, const gl_tenant_cfg *self, gl_str code)
{
    const gl_tenant_cfg *p = gl_config_partner(cfg, code.ptr, code.len);
    if (!p || p == self || gl_config_is_combination(cfg, p->id))
        return false;
    return gl_config_is_combination(cfg, self->id) || !strcmp(self->id, cfg->umbrella) ||
           !strcmp(p->id, cfg->umbrella);
}

int third_party_check_lines(gl_exec *x, const gl_entry *e, const gl_line *lines, uint32_t n,
                            const gl_tenant_cfg *tc, uint32_t tenant, uint32_t item)
{
    if (!tc->third_parties_required || e->reverses_fy)
        return GL_OK; /* a reversal undoes a stored entry, never adds a posting */
    for (uint32_t i = 1; i <= n; i++) {
        const gl_line *l = &lines[i - 1];
        if (!third_party_collective(l->account))
            continue;
        if (l->aux.len && group_entity(x->cfg, tc, l->aux))
            continue;
        uint8_t key[KEY_THIRD_PARTIES_LEN];
        store_val v;
        int st = GL_ERR_NOT_FOUND;
        if (l->aux.len) {
            key_third_parties(key, tenant, l->aux);
            st = store_get(x->txn, DB_THIRD_PARTIES, key, sizeof key, &v);
        }
        if (st == GL_ERR_NOT_FOUND)
            return exec_fail(x, GL_ERR_UNKNOWN_THIRD_PARTY, item, i,
                             "entry %u line %u: account %.*s is collective: its auxiliary code "
                             "'%.*s' must be in the registry (grandlivre third-parties add)",
                             item, i, (int)l->account.len, l->account.ptr, (int)l->aux.len,
                             l->aux.ptr);
        if (st != GL_OK)
            return st;
    }
    return GL_OK;
}
