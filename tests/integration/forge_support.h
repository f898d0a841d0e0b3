/*
 * tests/integration/forge_support.h — forged archives for the offline
 * verifier's rule replays (issue 19): one event of a tenant's chain and
 * its signed request changed the same way, the request signed again with
 * the accountant's key, every hash after it recomputed, so that only the
 * replay of a rule can find it.
 */
#ifndef GL_TEST_FORGE_SUPPORT_H
#define GL_TEST_FORGE_SUPPORT_H

#include "tests/support/harness.h"

#include <stddef.h>
#include <stdint.h>

/* Every tenant's archive, written to path by the auditor. */
void fg_archive_to(harness *h, const char *path);
/* Verify the archive with the which-th event of `type` of tenant's chain
 * (and its signed request) holding `to` where it held `from` (len bytes,
 * the first occurrence in each): verify's exit status, its output in
 * out. */
int fg_verify_forged(harness *h, const char *tenant, uint16_t type, int which, const void *from,
                     const void *to, size_t len, char *out, size_t out_len);
/* verify found it (exit 1) and says `says`. */
void fg_expect_found(int rc, const char *out, const char *says);

#endif
