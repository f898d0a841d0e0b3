/*
 * client/verify/verify.c — offline verification of an archive (what is
 * checked, and what cannot be, is in verify.h): the entry point, gl_verify,
 * and the report it fills (the first problem, named where it was found, and
 * the summary of what was checked).
 *
 * The work is one pass over each archived tenant's chain in sequence order
 * (verify_chain.c), replaying what the daemon did with what the archive
 * holds: a balance per (fiscal year, account, auxiliary account), the
 * accounts opened, the periods locked, the years closed, the entries by
 * number (for reversals and lettering), the lines lettered.  Before it, one
 * pass indexes every entry event of every tenant by (envelope, item)
 * (verify_index.c), so that the two halves of a recharge or of dues, which
 * live in two tenants' chains, can be compared (verify_group.c).  Signed
 * requests are decoded and their signatures verified once each (a batch of
 * 10,000 entries is one signature), and the items of a POST or
 * ACCOUNTS_OPEN body are located once (verify_requests.c).
 *
 * Nothing here trusts the archive: every count and string comes through a
 * bounded decoder, amounts are summed with overflow checks, and the proto
 * helpers that assert their inputs (gl_line_signed, gl_date_paris on absurd
 * times) are only called on values already checked.  Verification stops at
 * the first problem; its message names the tenant, the event and the entry.
 * Memory: a few words per event and per (year, account, aux) balance.
 * The files of the verifier, one line each, are in README.md.
 */
#include "verify_int.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>

const char *gl_verify_problem_name(int p)
{
    switch (p) {
    case GL_VP_NONE: return "none";
    case GL_VP_ARCHIVE: return "archive";
    case GL_VP_SEQUENCE: return "sequence";
    case GL_VP_RECORD: return "record";
    case GL_VP_LINK: return "link";
    case GL_VP_HASH: return "hash";
    case GL_VP_HEAD: return "head";
    case GL_VP_ENVELOPE: return "envelope";
    case GL_VP_SIGNATURE: return "signature";
    case GL_VP_KEY: return "key";
    case GL_VP_REQUEST: return "request";
    case GL_VP_NUMBERING: return "numbering";
    case GL_VP_UNBALANCED: return "unbalanced";
    case GL_VP_RULE: return "rule";
    case GL_VP_CLOSING: return "closing";
    case GL_VP_GROUP: return "group";
    case GL_VP_TRIAL_BALANCE: return "trial_balance";
    default: return "unknown";
    }
}

bool vf_problem(vctx *v, int kind, const char *fmt, ...)
{
    gl_verify_result *r = v->r;
    if (stopped(v))
        return false;
    char what[600], where[128] = "";
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    const tstate *ts = &v->ts;
    if (ts->active) {
        const gl_str id = ts->at->id;
        if (ts->seq && ts->has_entry)
            snprintf(where, sizeof where, "%.*s: event %llu (entry %u/%u): ", (int)id.len, id.ptr,
                     (unsigned long long)ts->seq, ts->fy, ts->num);
        else if (ts->seq)
            snprintf(where, sizeof where, "%.*s: event %llu (%s): ", (int)id.len, id.ptr,
                     (unsigned long long)ts->seq, ts->what ? ts->what : "event");
        else
            snprintf(where, sizeof where, "%.*s: ", (int)id.len, id.ptr);
        snprintf(r->tenant, sizeof r->tenant, "%.*s", (int)id.len, id.ptr);
        r->seq = ts->seq;
        r->fy = ts->has_entry ? ts->fy : 0;
        r->num = ts->has_entry ? ts->num : 0;
    }
    snprintf(r->message, sizeof r->message, "%s%s", where, what);
    r->problem = kind;
    return false;
}

bool vf_out_of_memory(vctx *v)
{
    v->nomem = true;
    return false;
}

static int pk_cmp(const void *a, const void *b) { return memcmp(a, b, 32); }

static void count_signers(vctx *v)
{
    uint8_t(*pks)[32] = calloc(v->a->envelope_count + 1, 32);
    if (!pks) {
        vf_out_of_memory(v);
        return;
    }
    size_t n = 0;
    for (uint32_t i = 0; i < v->a->envelope_count; i++)
        if (v->env[i].decoded)
            memcpy(pks[n++], v->env[i].req.signer, 32);
    sort_items(pks, n, 32, pk_cmp);
    uint32_t distinct = 0;
    for (size_t i = 0; i < n; i++)
        distinct += i == 0 || memcmp(pks[i - 1], pks[i], 32);
    v->r->signers = distinct;
    free(pks);
}

int gl_verify(const gl_archive *a, const gl_verify_opts *o, gl_verify_result *r)
{
    memset(r, 0, sizeof *r);
    vctx v = {.a = a, .o = o, .r = r};
    r->trusted_keys = o && o->trusted;
    r->key_times_checked = a->key_count > 0;
    r->key_records = a->key_count;
    r->envelopes = a->envelope_count;
    if (a->umbrella.len)
        v.umbrella = gl_archive_tenant_find(a, a->umbrella);
    size_t chains = 0;
    for (uint16_t t = 0; t < a->tenant_count; t++)
        if (a->tenants[t].has_chain) {
            chains++;
            v.total += a->tenants[t].event_count;
        }
    v.env = calloc(a->envelope_count + 1, sizeof *v.env);
    r->tenants = calloc(chains + 1, sizeof *r->tenants);
    if (!v.env || !r->tenants)
        v.nomem = true;
    if (!v.nomem && chains == 0)
        vf_problem(&v, GL_VP_ARCHIVE, "the archive holds no tenant's chain: nothing to verify");
    if (!stopped(&v))
        vf_build_index(&v);
    for (uint16_t t = 0; t < a->tenant_count && !stopped(&v); t++)
        if (a->tenants[t].has_chain)
            vf_verify_tenant(&v, t, &r->tenants[r->tenant_count++]);
    v.ts.active = false;
    if (!stopped(&v))
        vf_check_cross(&v);
    for (uint32_t i = 0; i < a->envelope_count && !stopped(&v); i++)
        if (!v.env[i].referenced)
            vf_problem(
                &v, GL_VP_ARCHIVE,
                "envelope %llu is in the archive, but no event names it: the events it wrote "
                "were removed",
                (unsigned long long)a->envelopes[i].number);
    if (!stopped(&v) && !a->digest_ok)
        vf_problem(&v, GL_VP_ARCHIVE,
                   "the archive's digest does not match its content: the file was changed after it "
                   "was written");
    if (!v.nomem)
        count_signers(&v);
    for (uint32_t i = 0; v.env && i < a->envelope_count; i++) {
        free(v.env[i].item_ptr);
        free(v.env[i].item_len);
        free(v.env[i].accounts);
    }
    free(v.env);
    free(v.index);
    free(v.cross);
    if (v.ts.active)
        vf_tstate_free(&v.ts);
    return v.nomem ? GL_ERR_NOMEM : GL_OK;
}

void gl_verify_result_free(gl_verify_result *r)
{
    for (size_t i = 0; r->tenants && i < r->tenant_count; i++)
        free(r->tenants[i].years);
    free(r->tenants);
    r->tenants = NULL;
    r->tenant_count = 0;
}
