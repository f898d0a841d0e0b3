/*
 * client/cli/third_party_terms.c — what the aged balance, the reminders and
 * the impairment take from the registry of third parties (issue 17): each
 * third party's payment terms and name.  rcv_collect loads the tenant's
 * registry once (THIRD_PARTIES, every page); a code the registry lacks, or
 * a record with terms of 0 days (none given), has the command's --terms
 * (default 30 days).
 */
#include "receivables.h"
#include "third_parties.h"

#include <stdio.h>
#include <string.h>

static tp_list registry;
static bool registry_loaded;

int third_party_registry_load(cli *c)
{
    if (registry_loaded)
        return 0;
    int rc = tp_list_fetch(c, "", &registry);
    registry_loaded = rc == 0;
    return rc;
}

void third_party_registry_forget(void)
{
    if (registry_loaded)
        tp_list_free(&registry);
    registry_loaded = false;
}

/* The record of aux, if the loaded registry holds it. */
static bool find(const char *aux, gl_third_party *r)
{
    if (!registry_loaded)
        return false;
    gl_cur cur;
    uint8_t source;
    size_t len = strlen(aux);
    tp_list_iter(&registry, &cur);
    while (tp_list_next(&registry, &cur, &source, r))
        if (r->code.len == len && !memcmp(r->code.ptr, aux, len))
            return true;
    return false;
}

unsigned third_party_terms_days(const char *aux, unsigned default_days)
{
    gl_third_party r;
    return find(aux, &r) && r.terms_days ? r.terms_days : default_days;
}

const char *third_party_name(const char *aux, char *buf, size_t cap)
{
    gl_third_party r;
    if (!find(aux, &r) || !r.name.len)
        return NULL;
    snprintf(buf, cap, "%.*s", (int)r.name.len, r.name.ptr);
    return buf;
}
