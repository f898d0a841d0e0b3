/*
 * client/cli/cli_tenant_hint.h — after a refusal naming a tenant the key
 * cannot use, say which tenants it may see (issue 14: refusals say what to
 * do).  Only what the daemon tells this key: a member's own tenant (PING),
 * the tenants an accountant's or auditor's key may read (TENANTS); never
 * anything another key would see.
 */
#ifndef GL_CLI_TENANT_HINT_H
#define GL_CLI_TENANT_HINT_H

#include "cli.h"

/* status: the refusal's; prints a line on stderr when it is about the
 * tenant asked for (302 unknown_tenant, or 300 for a member's key, which
 * the daemon answers alike for a tenant absent and another's). */
void cli_tenant_hint(cli *c, unsigned status, const char *asked);
/* The tenants of TENANTS (those the key may read) as "a, b, c" into out;
 * false (out empty) if none or the daemon does not say. */
bool cli_tenants_list(cli *c, char *out, size_t out_len);
/* Each row of TENANTS to row_fn until it returns false; nothing when the
 * daemon refuses or does not answer (the caller shows what it has). */
struct gl_reply_tenants_row;
void cli_tenants_each(cli *c, bool (*row_fn)(void *user, const struct gl_reply_tenants_row *row),
                      void *user);

#endif
