/*
 * daemon/admit.c — the authenticate and authorise stages, run on the
 * transport thread before a request reaches the writer or a reader:
 * signature over the canonical bytes, signed for this ledger, key known in
 * the keyring, role allowed
 * for the kind, and every tenant the request touches (its header tenant and,
 * for a post, each entry's tenant) allowed for the key.  The body is decoded
 * here too, once, into the job (j->body), so that handlers downstream only
 * see well-formed bodies.  Which role may send a kind, what its header
 * tenant means and how its body decodes are the kind table's
 * (proto/kinds.h, PROTOCOL.md §5).
 */
#include "job.h"

#include "proto/assert.h"
#include "proto/kinds.h"
#include "proto/query.h"
#include "proto/status.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

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
        snprintf(detail, detail_len, "signed for no ledger (only a ping may be); this ledger is %s",
                 want);
    else
        snprintf(detail, detail_len, "signed for ledger %s; this ledger is %s", got, want);
    return GL_ERR_WRONG_LEDGER;
}

/* The X25519 form of a signing key, remembered: the conversion checks the
 * point's subgroup (a scalar multiplication, about 40 us, as much as the
 * signature check) and a daemon sees the same few keys over and over.  A
 * key is only remembered once converted; the cache is the calling
 * thread's, direct-mapped on the key's first byte. */
#define CURVE_CACHE_SLOTS 64
static int signer_curve_key(const uint8_t signer[32], uint8_t curve[32])
{
    static _Thread_local struct {
        bool used;
        uint8_t signer[32], curve[32];
    } cache[CURVE_CACHE_SLOTS];
    unsigned slot = (unsigned)(signer[0] ^ signer[31]) % CURVE_CACHE_SLOTS;
    if (cache[slot].used && memcmp(cache[slot].signer, signer, 32) == 0) {
        memcpy(curve, cache[slot].curve, 32);
        return 0;
    }
    if (crypto_sign_ed25519_pk_to_curve25519(curve, signer) != 0)
        return -1;
    cache[slot].used = true;
    memcpy(cache[slot].signer, signer, 32);
    memcpy(cache[slot].curve, curve, 32);
    return 0;
}

/* A request arriving over an authenticated connection must be signed by
 * the connection's own user (its CURVE key derives from the signing key). */
static int peer_matches(const job *j, char *detail, size_t detail_len)
{
    if (!j->has_peer_curve_key)
        return GL_OK;
    uint8_t curve[32];
    if (signer_curve_key(j->req.signer, curve) != 0 ||
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
    if (j->req.timestamp_ms < 0 ||
        __builtin_sub_overflow(j->req.timestamp_ms, gl_now_ms(), &skew_ms)) {
        snprintf(detail, detail_len, "request time is before 1970");
        return GL_ERR_STALE_TIMESTAMP;
    }
    if (skew_ms > max_ms || skew_ms < -max_ms) {
        snprintf(detail, detail_len,
                 "request time is %lld s away from the daemon's clock (at most %u s accepted)",
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
static int tenant_allowed(const gl_key_cfg *key, const gl_config *cfg, gl_str tenant, char *detail,
                          size_t detail_len)
{
    if (key->role == GL_ROLE_MEMBER && !gl_str_eq(tenant, key->tenant)) {
        snprintf(detail, detail_len, "key '%s' may touch only the books of '%s'", key->name,
                 key->tenant);
        return GL_ERR_FORBIDDEN_TENANT;
    }
    if (!gl_config_tenant(cfg, tenant.ptr, tenant.len)) {
        snprintf(detail, detail_len, "unknown tenant '%.*s'", (int)tenant.len, tenant.ptr);
        return GL_ERR_UNKNOWN_TENANT;
    }
    return GL_OK;
}

static int post_tenants_allowed(const job *j, const gl_config *cfg, char *detail, size_t detail_len,
                                uint32_t *err_item)
{
    int st;
    gl_item_iter it;
    gl_entry e;
    uint32_t item = 0;
    gl_post_iter_init(&it, &j->body.post);
    while (gl_post_next(&it, &e)) {
        item++;
        if ((st = tenant_allowed(j->key, cfg, e.tenant, detail, detail_len)) != GL_OK) {
            *err_item = item;
            return st;
        }
    }
    return GL_OK;
}

/* May the key's role send the kind (the table's member, accountant and
 * auditor columns)?  The refusal's detail says why in the words operators
 * know: an auditor does not write, a kind only the accountant sends, the
 * group's requests and the daemon's own are not a member's. */
static int role_allowed(const gl_key_cfg *key, const gl_kind_info *k, char *detail,
                        size_t detail_len)
{
    bool allowed = key->role == GL_ROLE_ACCOUNTANT ? k->accountant
                   : key->role == GL_ROLE_AUDITOR  ? k->auditor
                   : key->role == GL_ROLE_MEMBER   ? k->member != GL_MEMBER_NO
                                                   : false;
    if (allowed)
        return GL_OK;
    if (key->role == GL_ROLE_AUDITOR && k->thread == GL_THREAD_WRITER)
        snprintf(detail, detail_len, "auditor key '%s' may not %s", key->name, k->name);
    else if (key->role != GL_ROLE_MEMBER || !k->auditor)
        snprintf(detail, detail_len, "only the accountant may %s", k->name);
    else if (k->group)
        snprintf(detail, detail_len, "group requests are for the accountant and auditors");
    else
        snprintf(detail, detail_len, "the daemon's statistics are for the accountant and auditors");
    return GL_ERR_FORBIDDEN_ROLE;
}

/* Must the header tenant name books the key may touch (the table's header
 * tenant column)?  ENVELOPE's is ignored: its reader checks who signed it. */
static bool header_tenant_checked(const gl_kind_info *k, gl_str tenant)
{
    return k->tenant == GL_TENANT_USED || k->tenant == GL_TENANT_CHECKED ||
           (k->tenant == GL_TENANT_IGNORED_IF_EMPTY && tenant.len != 0);
}

int job_admit(job *j, const gl_config *cfg, char *detail, size_t detail_len, uint32_t *err_item)
{
    *err_item = 0;
    detail[0] = '\0';
    j->cfg = cfg;
    int st = j->sig_checked ? j->sig_status : gl_request_verify(&j->req);
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
    const gl_kind_info *k = gl_kind_info_of(j->req.kind);
    GL_ASSERT(k); /* the envelope's decoder refuses unknown kinds */
    if ((st = k->decode(j->req.body, j->req.body_len, &j->body, err_item)) != GL_OK) {
        if (*err_item)
            snprintf(detail, detail_len, "item %u: %s", *err_item, gl_status_name(st));
        return st;
    }
    if ((st = role_allowed(j->key, k, detail, detail_len)) != GL_OK)
        return st;
    if (!header_tenant_checked(k, j->req.tenant))
        return GL_OK;
    if ((st = tenant_allowed(j->key, cfg, j->req.tenant, detail, detail_len)) != GL_OK)
        return st;
    if (k->member == GL_MEMBER_OWN_EACH_ENTRY) /* POST: each entry's tenant, for every role */
        return post_tenants_allowed(j, cfg, detail, detail_len, err_item);
    return GL_OK;
}
