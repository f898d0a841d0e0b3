/*
 * daemon/rules/persons_forgotten.c — the second half of FORGET (issue 17,
 * wave 11): the person's key is destroyed only once the FORGET is durable,
 * never before, so that no key is ever gone without its signed FORGET
 * event in the chain (rules/persons.c records it; daemon/persons.c
 * destroys).  A kill between the two leaves a committed row beside a live
 * key: the next start destroys it, after the journal's replay, before the
 * writer serves (persons_sweep_forgotten).
 */
#include "daemon/config.h"
#include "daemon/handlers.h"
#include "daemon/ledger.h"
#include "daemon/log.h"
#include "daemon/persons.h"
#include "daemon/store/keys.h"
#include "daemon/store/values.h"

#include "proto/date.h"
#include "proto/status.h"

#include <stdio.h>

void rules_forget_acked(const gl_config *cfg, gl_str tenant, const gl_body *rq, int64_t now_ms)
{
    char err[512] = "";
    int st = persons_destroy(cfg->data_dir, tenant, rq->person_code, gl_date_paris(now_ms), err,
                             sizeof err);
    if (st != GL_OK && st != GL_ERR_NOT_FOUND)
        log_line(GL_LOG_ERROR, "persons",
                 "FORGET of %.*s is recorded but its key is not yet destroyed (%s); the next "
                 "start destroys it",
                 (int)rq->person_code.len, rq->person_code.ptr, err);
}

/* Destroy the key of each code forgotten in the ledger by tenant (id,
 * number) that still has one. */
static int sweep_tenant_rows(store_txn *t, const char *data_dir, gl_str id, uint32_t number,
                             char *err, size_t err_len)
{
    uint8_t start[KEY_TENANT_PREFIX_LEN];
    key_tenant(start, number);
    store_scan s;
    int st = store_scan_begin(&s, t, DB_FORGOTTEN, start, sizeof start, sizeof start);
    while (st == GL_OK && store_scan_next(&s)) {
        if (s.k.len != KEY_AUX_LABELS_LEN || s.v.len != 4) {
            snprintf(err, err_len, "a row of the table forgotten is malformed");
            st = GL_ERR_STORAGE;
            continue;
        }
        gl_str code = key_unpad((const uint8_t *)s.k.ptr + 4, KEY_AUX_W);
        enum person_state state;
        st = persons_state(data_dir, id, code, &state, NULL);
        if (st != GL_OK)
            snprintf(err, err_len, "cannot read the state of a person's key");
        else if (state == PERSON_KEY) {
            st = persons_destroy(data_dir, id, code, gl_rd32(s.v.ptr), err, err_len);
            if (st == GL_OK)
                log_line(GL_LOG_INFO, "main",
                         "persons: destroyed the key of %.*s (tenant %.*s), forgotten in the "
                         "ledger",
                         (int)code.len, code.ptr, (int)id.len, id.ptr);
        }
    }
    return store_scan_close(&s, st);
}

int persons_sweep_forgotten(store *sto, const char *data_dir, char *err, size_t err_len)
{
    store_txn *t;
    int st = store_begin(sto, NULL, true, &t);
    if (st != GL_OK) {
        snprintf(err, err_len, "cannot read the ledger (%s)", gl_status_name(st));
        return st;
    }
    store_scan s;
    uint8_t from = 0; /* the first tenant id: an empty start */
    snprintf(err, err_len, "cannot read the tenants");
    st = store_scan_begin(&s, t, DB_TENANTS, &from, 0, 0);
    while (st == GL_OK && store_scan_next(&s)) {
        tenant_rec rec;
        gl_str id = {(const char *)s.k.ptr, s.k.len};
        st = store_tenant_decode(s.v, &rec);
        if (st == GL_OK)
            st = sweep_tenant_rows(t, data_dir, id, rec.number, err, err_len);
    }
    st = store_scan_close(&s, st);
    store_abort(t);
    return st;
}
