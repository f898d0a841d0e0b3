/*
 * daemon/admit.c — the authenticate and authorise stages, run on the
 * transport thread before a request reaches the writer or a reader:
 * signature over the canonical bytes, signed for this ledger, key known in
 * the keyring, role allowed
 * for the kind, and every tenant the request touches (its header tenant and,
 * for a post, each entry's tenant) allowed for the key.  The body is decoded
 * here too, so that handlers downstream only see well-formed bodies.
 */
#include "job.h"

#include "proto/backup.h"
#include "proto/assert.h"
#include "proto/group.h"
#include "proto/query.h"
#include "proto/status.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static int decode_body(const gl_request *r, uint32_t *bad_item)
{
    const uint8_t *b = r->body;
    size_t n = r->body_len;
    *bad_item = 0;
    switch (r->kind) {
    case GL_KIND_PING:
    case GL_KIND_STATS:
    case GL_KIND_KEYRING:
    case GL_KIND_TENANTS:
    case GL_KIND_ACCOUNTS_LIST:
        return n == 0 ? GL_OK : GL_ERR_TRAILING_BYTES;
    case GL_KIND_ACCOUNTS_OPEN: {
        gl_accounts_open o;
        return gl_accounts_open_decode(b, n, &o, bad_item);
    }
    case GL_KIND_ACCOUNT_LABEL: {
        gl_accounts_open o;
        return gl_account_label_decode(b, n, &o, bad_item);
    }
    case GL_KIND_POST: {
        gl_post p;
        return gl_post_decode(b, n, &p, bad_item);
    }
    case GL_KIND_BALANCE: {
        gl_balance_q q;
        return gl_balance_q_decode(b, n, &q);
    }
    case GL_KIND_JOURNAL: {
        gl_journal_q q;
        return gl_journal_q_decode(b, n, &q);
    }
    case GL_KIND_LEDGER: {
        gl_ledger_q q;
        return gl_ledger_q_decode(b, n, &q);
    }
    case GL_KIND_ENTRY_GET: {
        gl_entry_ref q;
        return gl_entry_ref_decode(b, n, &q);
    }
    case GL_KIND_LOCK: {
        gl_lock_q q;
        return gl_lock_q_decode(b, n, &q);
    }
    case GL_KIND_CLOSE_YEAR: {
        gl_close_q q;
        return gl_close_q_decode(b, n, &q);
    }
    case GL_KIND_LETTER: {
        gl_letter_q q;
        return gl_letter_q_decode(b, n, &q);
    }
    case GL_KIND_UNLETTER: {
        gl_unletter_q q;
        return gl_unletter_q_decode(b, n, &q);
    }
    case GL_KIND_PERIODS:
        return n == 0 ? GL_OK : GL_ERR_TRAILING_BYTES;
    case GL_KIND_BACKUP: {
        gl_str name;
        return gl_backup_q_decode(b, n, &name);
    }
    case GL_KIND_CHAIN: {
        gl_chain_q q;
        return gl_chain_q_decode(b, n, &q);
    }
    case GL_KIND_ENVELOPE: {
        uint64_t e;
        return gl_u64_body_decode(b, n, &e);
    }
    case GL_KIND_KEYS_SET: {
        gl_keys_q q;
        return gl_keys_q_decode(b, n, &q);
    }
    case GL_KIND_KEYS_GET: {
        uint16_t v;
        return gl_u16_body_decode(b, n, &v);
    }
    case GL_KIND_RECHARGE: {
        gl_recharge_q q;
        return gl_recharge_q_decode(b, n, &q);
    }
    case GL_KIND_DUES: {
        gl_dues_q q;
        return gl_dues_q_decode(b, n, &q);
    }
    case GL_KIND_GROUP_BALANCE: {
        gl_group_balance_q q;
        return gl_group_balance_q_decode(b, n, &q);
    }
    case GL_KIND_GROUP_RECONCILE: {
        uint32_t at;
        return gl_date_body_decode(b, n, &at);
    }
    default:
        return GL_ERR_UNKNOWN_KIND;
    }
}

/* A request is signed for one ledger: this daemon's.  PING alone may name
 * none (all zero): it reads nothing of a ledger, and its reply is how a
 * client learns the id.  Checked right after the signature, so that the id
 * compared is the one the signer meant. */
static int for_this_ledger(const job *j, char *detail, size_t detail_len)
{
    GL_ASSERT(j->ledger_id && j->req.ledger_id);
    if (sodium_memcmp(j->req.ledger_id, j->ledger_id, GL_LEDGER_ID_BYTES) == 0)
        return GL_OK;
    if (j->req.kind == GL_KIND_PING && gl_ledger_id_is_zero(j->req.ledger_id))
        return GL_OK;
    char want[2 * GL_LEDGER_ID_BYTES + 1], got[2 * GL_LEDGER_ID_BYTES + 1];
    sodium_bin2hex(want, sizeof want, j->ledger_id, GL_LEDGER_ID_BYTES);
    sodium_bin2hex(got, sizeof got, j->req.ledger_id, GL_LEDGER_ID_BYTES);
    if (gl_ledger_id_is_zero(j->req.ledger_id))
        snprintf(detail, detail_len, "signed for no ledger (only a ping may be); this ledger is %s", want);
    else
        snprintf(detail, detail_len, "signed for ledger %s; this ledger is %s", got, want);
    return GL_ERR_WRONG_LEDGER;
}

/* A request arriving over an authenticated connection must be signed by
 * the connection's own user (its CURVE key derives from the signing key). */
static int peer_matches(const job *j, char *detail, size_t detail_len)
{
    if (!j->has_peer_curve_key)
        return GL_OK;
    uint8_t curve[32];
    if (crypto_sign_ed25519_pk_to_curve25519(curve, j->req.signer) != 0 ||
        sodium_memcmp(curve, j->peer_curve_key, 32) != 0) {
        snprintf(detail, detail_len, "signed by one key, sent over another key's connection");
        return GL_ERR_KEY_MISMATCH;
    }
    return GL_OK;
}

/* Refuse requests whose timestamp is outside the accepted window (replays
 * of old captured traffic, or a badly wrong clock). */
static int fresh(const job *j, const gl_config *cfg, char *detail, size_t detail_len)
{
    int64_t skew_ms;
    int64_t max_ms = (int64_t)cfg->clock_skew_max_s * 1000;
    if (j->req.timestamp_ms < 0 || __builtin_sub_overflow(j->req.timestamp_ms, gl_now_ms(), &skew_ms)) {
        snprintf(detail, detail_len, "request time is before 1970");
        return GL_ERR_STALE_TIMESTAMP;
    }
    if (skew_ms > max_ms || skew_ms < -max_ms) {
        snprintf(detail, detail_len, "request time is %lld s away from the daemon's clock (at most %u s accepted)",
                 (long long)(skew_ms / 1000), cfg->clock_skew_max_s);
        return GL_ERR_STALE_TIMESTAMP;
    }
    return GL_OK;
}

/* May key touch tenant?  A member is checked against its own tenant
 * first, and its refusal neither depends on nor echoes the tenant named:
 * a tenant that does not exist and one it may not see get the same answer,
 * so that a member cannot learn which tenant ids exist (302 is for the
 * accountant and the auditors, who may see every tenant). */
static int tenant_allowed(const gl_key_cfg *key, const gl_config *cfg, gl_str tenant,
                          char *detail, size_t detail_len)
{
    if (key->role == GL_ROLE_MEMBER && !gl_str_eq(tenant, key->tenant)) {
        snprintf(detail, detail_len, "key '%s' may touch only the books of '%s'", key->name, key->tenant);
        return GL_ERR_FORBIDDEN_TENANT;
    }
    if (!gl_config_tenant(cfg, tenant.ptr, tenant.len)) {
        snprintf(detail, detail_len, "unknown tenant '%.*s'", (int)tenant.len, tenant.ptr);
        return GL_ERR_UNKNOWN_TENANT;
    }
    return GL_OK;
}

static int post_tenants_allowed(const job *j, const gl_config *cfg, char *detail,
                                size_t detail_len, uint32_t *err_item)
{
    gl_post p;
    uint32_t bad;
    int st = gl_post_decode(j->req.body, j->req.body_len, &p, &bad);
    if (st != GL_OK)
        return st;
    gl_item_iter it;
    gl_entry e;
    uint32_t item = 0;
    gl_post_iter_init(&it, &p);
    while (gl_post_next(&it, &e)) {
        item++;
        if ((st = tenant_allowed(j->key, cfg, e.tenant, detail, detail_len)) != GL_OK) {
            *err_item = item;
            return st;
        }
    }
    return GL_OK;
}

int job_admit(job *j, const gl_config *cfg, char *detail, size_t detail_len, uint32_t *err_item)
{
    *err_item = 0;
    detail[0] = '\0';
    j->cfg = cfg;
    int st = gl_request_verify(&j->req);
    if (st != GL_OK)
        return st;
    if ((st = for_this_ledger(j, detail, detail_len)) != GL_OK)
        return st;
    j->key = gl_config_key(cfg, j->req.signer);
    if (!j->key)
        return GL_ERR_UNKNOWN_KEY;
    if (j->key->revoked) {
        snprintf(detail, detail_len, "key '%s' is revoked", j->key->name);
        return GL_ERR_KEY_REVOKED;
    }
    if ((st = peer_matches(j, detail, detail_len)) != GL_OK)
        return st;
    if ((st = fresh(j, cfg, detail, detail_len)) != GL_OK)
        return st;
    if ((st = decode_body(&j->req, err_item)) != GL_OK) {
        if (*err_item)
            snprintf(detail, detail_len, "item %u: %s", *err_item, gl_status_name(st));
        return st;
    }
    if (gl_kind_writes(j->req.kind) && j->key->role == GL_ROLE_AUDITOR) {
        snprintf(detail, detail_len, "auditor key '%s' may not %s", j->key->name, gl_kind_name(j->req.kind));
        return GL_ERR_FORBIDDEN_ROLE;
    }
    uint16_t k = j->req.kind;
    bool accountant_only = k == GL_KIND_LOCK || k == GL_KIND_CLOSE_YEAR || k == GL_KIND_KEYS_SET ||
                           k == GL_KIND_RECHARGE || k == GL_KIND_DUES || k == GL_KIND_BACKUP;
    bool group_wide = k == GL_KIND_KEYS_SET || k == GL_KIND_KEYS_GET || k == GL_KIND_RECHARGE ||
                      k == GL_KIND_DUES || k == GL_KIND_GROUP_BALANCE || k == GL_KIND_GROUP_RECONCILE;
    if (accountant_only && j->key->role != GL_ROLE_ACCOUNTANT) {
        snprintf(detail, detail_len, "only the accountant may %s", gl_kind_name(k));
        return GL_ERR_FORBIDDEN_ROLE;
    }
    if (group_wide && j->key->role == GL_ROLE_MEMBER) {
        snprintf(detail, detail_len, "group requests are for the accountant and auditors");
        return GL_ERR_FORBIDDEN_ROLE;
    }
    if ((k == GL_KIND_STATS || k == GL_KIND_KEYRING) && j->key->role == GL_ROLE_MEMBER) {
        snprintf(detail, detail_len, "the daemon's statistics are for the accountant and auditors");
        return GL_ERR_FORBIDDEN_ROLE;
    }
    if (k == GL_KIND_PING || k == GL_KIND_STATS || k == GL_KIND_BACKUP || group_wide || k == GL_KIND_ENVELOPE ||
        k == GL_KIND_KEYRING || (k == GL_KIND_TENANTS && j->req.tenant.len == 0))
        return GL_OK; /* ENVELOPE: its reader checks who signed it */
    if ((st = tenant_allowed(j->key, cfg, j->req.tenant, detail, detail_len)) != GL_OK)
        return st;
    if (j->req.kind == GL_KIND_POST)
        return post_tenants_allowed(j, cfg, detail, detail_len, err_item);
    return GL_OK;
}
