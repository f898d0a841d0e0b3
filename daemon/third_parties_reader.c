/*
 * daemon/third_parties_reader.c — THIRD_PARTIES (PROTOCOL.md §5.23): a
 * tenant's registry of third parties, by code, from a prefix and after a
 * code (pages of GL_TP_PAGE_MAX records); the first page also carries the
 * group entities the configuration gives the tenant (the umbrella for a
 * member, each member for the umbrella), marked as such.
 */
#include "daemon/handlers.h"
#include "daemon/ledger.h"
#include "daemon/persons.h"
#include "daemon/store/keys.h"

#include "proto/status.h"
#include "proto/third_party.h"

#include <string.h>

static bool has_prefix(gl_str s, gl_str prefix)
{
    return s.len >= prefix.len && !memcmp(s.ptr, prefix.ptr, prefix.len);
}

/* The group entities tc sees, as records of kind group (collective 451000,
 * the PCG's group entities); *count grows by each. */
static void put_group_entities(gl_exec *x, const gl_tenant_cfg *tc, gl_str prefix, uint32_t *count)
{
    const gl_config *cfg = x->cfg;
    if (!cfg->umbrella[0])
        return;
    /* the umbrella and the combination ledger see every entity */
    bool umbrella = !strcmp(tc->id, cfg->umbrella) || gl_config_is_combination(cfg, tc->id);
    for (size_t i = 0; i < cfg->tenant_count; i++) {
        const gl_tenant_cfg *p = &cfg->tenants[i];
        gl_str code = {p->code, strlen(p->code)};
        if (p == tc || !code.len || (!umbrella && strcmp(p->id, cfg->umbrella)) ||
            gl_config_is_combination(cfg, p->id) || !has_prefix(code, prefix))
            continue;
        gl_third_party r = {.code = code,
                            .kind = GL_TP_GROUP,
                            .collective = {"451000", 6},
                            .siren = {p->siren, strlen(p->siren)},
                            .name = {p->name, strlen(p->name)}};
        gl_put_u8(x->body, GL_TP_FROM_CONFIG);
        gl_third_party_encode(x->body, &r);
        (*count)++;
    }
}

int registry_row_damaged(gl_exec *x, gl_str code)
{
    return exec_fail(x, GL_ERR_STORAGE, 0, 0,
                     "the registry row of third party %.*s is damaged (it does not decode): "
                     "record it again (third-parties set) or restore the ledger from a backup",
                     (int)code.len, code.ptr);
}

int query_third_parties(gl_exec *x, const gl_body *rq)
{
    gl_tp_list_q q = rq->tp_list;
    const gl_tenant_cfg *tc = gl_config_tenant(x->cfg, x->req->tenant.ptr, x->req->tenant.len);
    tenant_rec rec;
    int st = tc ? tenant_load(x->txn, x->req->tenant, &rec) : GL_ERR_UNKNOWN_TENANT;
    bool empty = st == GL_ERR_UNKNOWN_TENANT && tc; /* configured, nothing written yet */
    if (st != GL_OK && !empty)
        return exec_fail(x, st, 0, 0, "%s", gl_status_message(st));
    size_t count_at = x->body->len;
    gl_put_u32(x->body, 0);
    gl_put_u8(x->body, 0);
    uint32_t count = 0;
    if (!q.after.len)
        put_group_entities(x, tc, q.prefix, &count);
    bool more = false;
    if (!empty) {
        uint8_t start[KEY_THIRD_PARTIES_LEN];
        gl_str from = q.after.len ? q.after : q.prefix;
        key_third_parties(start, rec.number, from);
        store_scan s;
        st = store_scan_begin(&s, x->txn, DB_THIRD_PARTIES, start, sizeof start,
                              KEY_TENANT_PREFIX_LEN);
        uint32_t own = 0;
        while (st == GL_OK && store_scan_next(&s)) {
            gl_cur c;
            gl_third_party r;
            gl_cur_init_stored(&c, s.v.ptr, s.v.len);
            if (gl_third_party_get(&c, &r) != GL_OK || gl_cur_end(&c) != GL_OK) {
                st = registry_row_damaged(x, key_unpad(s.k.ptr + KEY_TENANT_PREFIX_LEN, KEY_AUX_W));
                break;
            }
            if (q.after.len && r.code.len == q.after.len &&
                !memcmp(r.code.ptr, q.after.ptr, r.code.len))
                continue;
            if (!has_prefix(r.code, q.prefix))
                break; /* keys in code order: past the prefix */
            if (own == GL_TP_PAGE_MAX) {
                more = true;
                break;
            }
            gl_put_u8(x->body, GL_TP_FROM_REGISTRY);
            if ((st = persons_record_put(x->cfg->data_dir, x->req->tenant, &r, x->body)) != GL_OK)
                break; /* a natural person's block opened with its key (persons.h) */
            own++;
            count++;
        }
        if ((st = store_scan_close(&s, st)) != GL_OK)
            return st;
    }
    if (!gl_buf_ok(x->body))
        return GL_ERR_INTERNAL;
    gl_be32(x->body->data + count_at, count);
    x->body->data[count_at + 4] = more;
    return GL_OK;
}
