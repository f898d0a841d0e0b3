/*
 * daemon/reload.c — see reload.h.  Runs on the writer thread inside the
 * reload's own transaction (daemon/keyring.c), after every request admitted
 * before the SIGHUP: what it reads is exactly what the new configuration
 * would apply to, with no request in between.
 */
#include "reload.h"

#include "ledger.h"

#include "proto/status.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct reasons {
    char *text;
    size_t len, used;
};

static void add(struct reasons *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct reasons *r, const char *fmt, ...)
{
    if (r->used && r->used + 2 < r->len)
        r->used += (size_t)snprintf(r->text + r->used, r->len - r->used, "; ");
    if (r->used + 1 >= r->len)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(r->text + r->used, r->len - r->used, fmt, ap);
    va_end(ap);
    r->used = n < 0 ? r->used : r->used + (size_t)n < r->len ? r->used + (size_t)n : r->len - 1;
}

/* Whether tenant id holds any record (an event in its chain). */
static int holds_records(store_txn *t, const char *id, bool *holds)
{
    tenant_rec rec;
    int st = tenant_load(t, (gl_str){id, strlen(id)}, &rec);
    *holds = st == GL_OK && rec.chain_seq > 0;
    return st == GL_ERR_UNKNOWN_TENANT ? GL_OK : st;
}

static const char *or_none(const char *s) { return s[0] ? s : "none"; }

int reload_check(store_txn *t, const gl_config *running, const gl_config *next, char *why,
                 size_t why_len)
{
    struct reasons r = {why, why_len, 0};
    why[0] = '\0';
    bool any = false;
    for (size_t i = 0; i < running->tenant_count; i++) {
        const gl_tenant_cfg *old = &running->tenants[i];
        const gl_tenant_cfg *now = gl_config_tenant(next, old->id, strlen(old->id));
        bool holds;
        int st = holds_records(t, old->id, &holds);
        if (st != GL_OK)
            return st;
        any = any || holds;
        if (!holds)
            continue;
        if (!now) {
            add(&r, "tenant '%s' holds records: it cannot leave the configuration", old->id);
            continue;
        }
        if (now->first_month != old->first_month)
            add(&r, "tenant '%s' holds records: its first_month cannot change (%u -> %u)", old->id,
                old->first_month, now->first_month);
        if (strcmp(now->siren, old->siren))
            add(&r, "tenant '%s' holds records: its siren cannot change (%s -> %s)", old->id,
                old->siren, now->siren);
    }
    if (any) {
        if (strcmp(running->umbrella, next->umbrella))
            add(&r, "the ledger holds records: the group's umbrella cannot change (%s -> %s)",
                or_none(running->umbrella), or_none(next->umbrella));
        if (strcmp(running->combination, next->combination))
            add(&r,
                "the ledger holds records: the group's combination ledger cannot change (%s -> %s)",
                or_none(running->combination), or_none(next->combination));
        for (size_t i = 0; i < running->tenant_count; i++) {
            const gl_tenant_cfg *old = &running->tenants[i];
            const gl_tenant_cfg *now = gl_config_tenant(next, old->id, strlen(old->id));
            if (now && strcmp(now->code, old->code))
                add(&r, "the ledger holds records: tenant '%s''s code cannot change (%s -> %s)",
                    old->id, old->code, now->code);
        }
    }
    return r.used ? GL_ERR_INPUT : GL_OK;
}
