/*
 * daemon/rules/third_party.h — POST's collective rule (PROTOCOL.md §5.4
 * step 13b), from the registry of third parties (rules/third_party.c).
 */
#ifndef GL_RULES_THIRD_PARTY_H
#define GL_RULES_THIRD_PARTY_H

#include "daemon/config.h"
#include "daemon/ledger.h"

#include "proto/entry.h"

#include <stdbool.h>
#include <stdint.h>

/* A collective account: its number starts with 401, 411, 416, 421 or 441
 * (suppliers, customers and users, doubtful customers, employees,
 * funders). */
bool third_party_collective(gl_str account);
/* When tc requires it (third_parties = required), every line of e (its n
 * decoded lines) on a collective account names a third party of the
 * tenant's registry or a group entity; else 444 unknown_third_party with
 * the entry (item) and the line.  A reversal is exempt. */
int third_party_check_lines(gl_exec *x, const gl_entry *e, const gl_line *lines, uint32_t n,
                            const gl_tenant_cfg *tc, uint32_t tenant, uint32_t item);

#endif
