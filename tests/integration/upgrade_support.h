/*
 * tests/integration/upgrade_support.h — what the schema upgrade suites
 * (test_upgrade_*.c) share: a data directory rolled back to an older
 * schema, and `grandlivred` run on it as an operator would.
 */
#ifndef GL_TEST_UPGRADE_SUPPORT_H
#define GL_TEST_UPGRADE_SUPPORT_H

#include "tests/support/harness.h"

#include <stddef.h>
#include <stdint.h>

/* h's data directory (its daemon stopped) as schema `version` left it:
 * the n tables of `drop` deleted, meta's schema_version set. */
void up_roll_back(harness *h, const char *const *drop, size_t n, uint32_t version);

/* `grandlivred ARGS -c CONFIG` on h's configuration: what it printed
 * (standard output and error) into out; its status as pclose gives it. */
int up_daemon(harness *h, const char *args, char *out, size_t cap);

#endif
