/*
 * daemon/ledger.c — tenant records and the chain append shared by every
 * write handler; the last envelope and an account's label, read by the
 * writer and the readers.
 */
#include "ledger.h"

#include "proto/assert.h"
#include "proto/status.h"
#include "store/keys.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int tenant_load(store_txn *t, gl_str id, tenant_rec *rec)
{
    store_val v;
    int st = store_get(t, DB_TENANTS, id.ptr, id.len, &v);
    if (st != GL_OK)
        return st == GL_ERR_NOT_FOUND ? GL_ERR_UNKNOWN_TENANT : st;
    return store_tenant_decode(v, rec);
}

int tenant_save(store_txn *t, gl_str id, const tenant_rec *rec)
{
    uint8_t v[STORE_TENANT_LEN];
    store_tenant_encode(v, rec);
    return store_put(t, DB_TENANTS, id.ptr, id.len, v, sizeof v);
}

int exec_tenant_load(gl_exec *x, tenant_rec *rec)
{
    int st = tenant_load(x->txn, x->req->tenant, rec);
    if (st != GL_OK)
        return exec_fail(x, st, 0, 0, "%s", gl_status_message(st));
    return GL_OK;
}

int envelope_last(store_txn *t, uint64_t *last)
{
    store_cursor *c;
    store_val k, v;
    *last = 0;
    int st = store_cursor_open(t, DB_ENVELOPES, &c);
    if (st != GL_OK)
        return st;
    key_parts kp;
    st = store_last(c, &k, &v);
    if (st == GL_OK && key_envelopes_parse(k, &kp))
        *last = kp.envelope;
    store_cursor_close(c);
    return st == GL_ERR_NOT_FOUND ? GL_OK : st;
}

uint64_t page_watermark(gl_exec *x, uint64_t asked)
{
    uint64_t last;
    if (asked)
        return asked;
    envelope_last(x->txn, &last);
    return last;
}

gl_str account_label(store_txn *t, uint32_t tenant, gl_str account)
{
    uint8_t k[KEY_ACCOUNTS_LEN];
    store_val v;
    store_account a;
    key_accounts(k, tenant, account);
    if (store_get(t, DB_ACCOUNTS, k, sizeof k, &v) != GL_OK || store_account_decode(v, &a) != GL_OK)
        return (gl_str){"", 0};
    return a.label;
}

int chain_append(store_txn *t, gl_str tenant_id, tenant_rec *rec, uint16_t type,
                 const uint8_t *body, size_t body_len, uint64_t *seq_out)
{
    GL_ASSERT(body_len <= UINT32_MAX);
    uint64_t seq = rec->chain_seq + 1;
    gl_buf ev;
    gl_buf_init(&ev);
    gl_event_encode(&ev, tenant_id.ptr, tenant_id.len, seq, rec->head, type, body,
                    (uint32_t)body_len);
    if (!gl_buf_ok(&ev)) {
        gl_buf_free(&ev);
        return GL_ERR_INTERNAL;
    }
    uint8_t key[KEY_EVENTS_LEN];
    key_events(key, rec->number, seq);
    int st = store_put(t, DB_EVENTS, key, sizeof key, ev.data, ev.len);
    if (st == GL_OK) {
        memcpy(rec->head, ev.data + ev.len - GL_HASH_BYTES, GL_HASH_BYTES);
        rec->chain_seq = seq;
        st = tenant_save(t, tenant_id, rec);
    }
    gl_buf_free(&ev);
    *seq_out = seq;
    return st;
}

int exec_fail(gl_exec *x, int status, uint32_t item, uint32_t line, const char *fmt, ...)
{
    x->err_item = item;
    x->err_line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->detail, sizeof x->detail, fmt, ap);
    va_end(ap);
    return status;
}

void exec_warn(gl_exec *x, const char *fmt, ...)
{
    if (x->warnings++)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->warning, sizeof x->warning, fmt, ap);
    va_end(ap);
}

bool exec_warn_more(gl_exec *x)
{
    if (!x->warnings)
        return false;
    x->warnings++;
    return true;
}

void exec_warning_text(const gl_exec *x, char *out, size_t out_len)
{
    if (!x->warnings)
        snprintf(out, out_len, "%s", "");
    else if (x->warnings == 1)
        snprintf(out, out_len, "%s", x->warning);
    else
        snprintf(out, out_len, "%s (and %u more such warnings in this request)", x->warning,
                 x->warnings - 1);
}

void str_copy(char *dst, size_t dst_len, gl_str s)
{
    size_t n = s.len < dst_len - 1 ? s.len : dst_len - 1;
    if (n)
        memcpy(dst, s.ptr, n);
    dst[n] = '\0';
}
