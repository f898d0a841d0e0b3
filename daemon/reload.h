/*
 * daemon/reload.h — what a SIGHUP reload may not change: the settings that
 * say how stored records are read.
 *
 * A tenant's entries are numbered and totalled per fiscal year (from its
 * first_month), filed under its SIREN, and its intercompany lines were
 * totalled per partner by the partner's code under the group's umbrella.
 * Once a tenant holds anything (any event in its chain: an account, an
 * entry, a lock, a lettering…), a configuration that changes its
 * first_month or siren, or leaves it out, would silently re-read those
 * records (entries dropping out of the trial balances); once any tenant
 * holds anything, so would one that changes the umbrella or a code.  Such
 * a reload is refused and the running configuration kept.  Names, new
 * tenants, new, changed or revoked keys, and tenants that hold nothing yet
 * may change.
 */
#ifndef GL_RELOAD_H
#define GL_RELOAD_H

#include "config.h"
#include "store/store.h"

#include <stddef.h>

/* Whether next may replace running, on the ledger as t holds it.  GL_OK;
 * GL_ERR_INPUT with every reason, joined by "; ", in why; or a storage
 * status. */
int reload_check(store_txn *t, const gl_config *running, const gl_config *next, char *why,
                 size_t why_len);

#endif
