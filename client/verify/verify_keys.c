/*
 * client/verify/verify_keys.c — the keyring and the roles: may the key
 * that signed a request write it to this tenant, at the time the daemon
 * recorded it (the archive's keyring history, and the --keys files an
 * auditor trusts, parsed here)?  Which kinds only the accountant may
 * write comes from the protocol's kind table (proto/kinds.h).
 */
#include "verify_int.h"

#include "proto/date.h"
#include "proto/kinds.h"

#include "proto/status.h"

#include <sodium.h>
#include <stdio.h>

void vf_fingerprint(const uint8_t pk[32], char out[20])
{
    uint8_t h[32];
    char hex[17];
    crypto_generichash(h, sizeof h, pk, 32, NULL, 0);
    sodium_bin2hex(hex, sizeof hex, h, 8);
    snprintf(out, 20, "%.4s-%.4s-%.4s-%.4s", hex, hex + 4, hex + 8, hex + 12);
}

void vf_iso_time(int64_t ms, char out[32])
{
    if (ms < 0 || ms >= TIME_MAX_MS)
        snprintf(out, 32, "%lld ms", (long long)ms);
    else
        gl_utc_text(ms, out);
}

static bool accountant_only(uint16_t kind)
{
    const gl_kind_info *k = gl_kind_info_of(kind); /* PROTOCOL.md §5's table, proto/kinds.c */
    return k && k->thread == GL_THREAD_WRITER && k->member == GL_MEMBER_NO;
}

static const char *role_name(uint8_t role)
{
    return role == GL_KEY_ROLE_MEMBER       ? "member"
           : role == GL_KEY_ROLE_ACCOUNTANT ? "accountant"
                                            : "auditor";
}

/* May a key of this role (and member tenant) write this kind to the
 * current tenant?  A sentence in why when not. */
static bool role_allows(vctx *v, uint8_t role, gl_str key_tenant, uint16_t kind, char *why,
                        size_t why_len)
{
    gl_str t = v->ts.at->id;
    if (role == GL_KEY_ROLE_AUDITOR) {
        snprintf(why, why_len, "an auditor's key, which may never write");
        return false;
    }
    if (role == GL_KEY_ROLE_MEMBER && !str_eq(key_tenant, t)) {
        snprintf(why, why_len, "a member key of %.*s, not valid for %.*s", (int)key_tenant.len,
                 key_tenant.ptr, (int)t.len, t.ptr);
        return false;
    }
    if (role == GL_KEY_ROLE_MEMBER && accountant_only(kind)) {
        snprintf(why, why_len, "a member key of %.*s, and only the accountant may %s",
                 (int)key_tenant.len, key_tenant.ptr, gl_kind_name(kind));
        return false;
    }
    return true;
}

/* The signer's authority over the current tenant at recorded_ms. */
bool vf_check_key(vctx *v, const gl_request *q, int64_t recorded_ms)
{
    char fp[20], when[32], why[160];
    vf_fingerprint(q->signer, fp);
    vf_iso_time(recorded_ms, when);
    const gl_verify_opts *o = v->o;
    gl_str t = v->ts.at->id;
    if (o && o->trusted) {
        bool listed = false, allowed = false;
        for (size_t i = 0; i < o->trusted_count && !allowed; i++) {
            const gl_trusted_key *k = &o->trusted[i];
            if (memcmp(k->pk, q->signer, 32))
                continue;
            listed = true;
            allowed = role_allows(v, k->role, cstr(k->tenant), q->kind, why, sizeof why);
        }
        if (!listed)
            return vf_problem(v, GL_VP_KEY,
                              "signed by key %s, which is not among the trusted keys (--keys)", fp);
        if (!allowed)
            return vf_problem(v, GL_VP_KEY, "signed by key %s, trusted (--keys) only as %s", fp,
                              why);
    }
    if (v->a->key_count == 0) {
        if (o && o->trusted)
            return true; /* no history to check times against: said in the summary */
        return vf_problem(v, GL_VP_KEY,
                          "the archive holds no keyring history and no --keys were given: "
                          "nothing says key %s may write to %.*s",
                          fp, (int)t.len, t.ptr);
    }
    const gl_archive_key *found = NULL;
    bool known = false;
    for (uint32_t i = 0; i < v->a->key_count && !found; i++) { /* keys are few */
        const gl_archive_key *k = &v->a->keys[i];
        if (memcmp(k->signer, q->signer, 32))
            continue;
        known = true;
        if (k->since_ms <= recorded_ms && (k->until_ms == 0 || recorded_ms <= k->until_ms))
            found = k;
    }
    if (!known)
        return vf_problem(v, GL_VP_KEY, "signed by key %s, which the keyring never held", fp);
    if (!found) {
        char spans[200] = "", from[32], until[32];
        size_t used = 0;
        int shown = 0;
        for (uint32_t i = 0; i < v->a->key_count && shown < 3; i++) {
            const gl_archive_key *k = &v->a->keys[i];
            if (memcmp(k->signer, q->signer, 32))
                continue;
            vf_iso_time(k->since_ms, from);
            vf_iso_time(k->until_ms, until);
            int w = snprintf(spans + used, sizeof spans - used, "%s%s to %s", shown ? ", " : "",
                             from, k->until_ms ? until : "now");
            if (w < 0 || (size_t)w >= sizeof spans - used)
                break;
            used += (size_t)w;
            shown++;
        }
        return vf_problem(
            v, GL_VP_KEY,
            "signed by key %s, which was not valid at %s, when the daemon recorded it "
            "(the keyring holds it from %s)",
            fp, when, spans);
    }
    if (!role_allows(v, found->role, found->tenant, q->kind, why, sizeof why))
        return vf_problem(v, GL_VP_KEY, "signed by key %s ('%.*s', %s), %s", fp,
                          (int)found->name.len, found->name.ptr, role_name(found->role), why);
    return true;
}

int gl_trusted_keys_parse(const char *text, size_t len, gl_trusted_key **out, size_t *count,
                          char *err, size_t err_len)
{
    *out = NULL;
    *count = 0;
    size_t cap = 0, line_no = 0;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        line_no++;
        const char *s = p, *e = eol;
        p = eol < end ? eol + 1 : end;
        while (s < e && (*s == ' ' || *s == '\t'))
            s++;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
            e--;
        if (s == e || *s == '#')
            continue;
        const char *w1 = s;
        while (s < e && *s != ' ' && *s != '\t')
            s++;
        size_t w1_len = (size_t)(s - w1);
        while (s < e && (*s == ' ' || *s == '\t'))
            s++;
        const char *w2 = s;
        size_t w2_len = (size_t)(e - s);
        gl_trusted_key k;
        memset(&k, 0, sizeof k);
        size_t pk_len = 0;
        const char *hex_end = NULL; /* 64 hex digits, nothing else */
        bool ok = w2_len == 64 && sodium_hex2bin(k.pk, 32, w2, 64, NULL, &pk_len, &hex_end) == 0 &&
                  pk_len == 32 && hex_end == w2 + 64;
        if (!ok) {
            snprintf(err, err_len,
                     "line %zu: expected 'TENANT-OR-ROLE PUBLIC-KEY' with 64 hex digits", line_no);
            free(*out);
            *out = NULL;
            *count = 0;
            return GL_ERR_INPUT;
        }
        gl_str w = {w1, w1_len};
        if (gl_str_eq(w, "accountant")) {
            k.role = GL_KEY_ROLE_ACCOUNTANT;
        } else if (gl_str_eq(w, "auditor")) {
            k.role = GL_KEY_ROLE_AUDITOR;
        } else {
            bool id = w1_len >= 1 && w1_len <= GL_TENANT_MAX;
            for (size_t i = 0; id && i < w1_len; i++)
                id = (w1[i] >= 'a' && w1[i] <= 'z') || (w1[i] >= '0' && w1[i] <= '9') ||
                     w1[i] == '_' || w1[i] == '-';
            if (!id) {
                snprintf(err, err_len,
                         "line %zu: '%.*s' is neither 'accountant', 'auditor' nor a tenant id",
                         line_no, (int)(w1_len > 40 ? 40 : w1_len), w1);
                free(*out);
                *out = NULL;
                *count = 0;
                return GL_ERR_INPUT;
            }
            k.role = GL_KEY_ROLE_MEMBER;
            memcpy(k.tenant, w1, w1_len);
        }
        if (*count == cap) {
            cap = cap ? cap * 2 : 16;
            gl_trusted_key *n = realloc(*out, cap * sizeof *n);
            if (!n) {
                free(*out);
                *out = NULL;
                *count = 0;
                return GL_ERR_NOMEM;
            }
            *out = n;
        }
        (*out)[(*count)++] = k;
    }
    return GL_OK;
}
