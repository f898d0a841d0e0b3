/*
 * tests/integration/asset_support.h — what the fixed-asset tests share
 * (issue 20): a body of each kind 59-61 that decodes (the suites that send
 * every kind: member_view, authz), and requests built and sent through the
 * harness.
 */
#ifndef GL_TEST_ASSET_SUPPORT_H
#define GL_TEST_ASSET_SUPPORT_H

#include "tests/support/harness.h"

#include "proto/asset.h"
#include "proto/request.h"
#include "proto/status.h"

/* A body of kind 59-61 that decodes. */
void as_any_body(uint16_t kind, gl_buf *b);

/* The last reply's detail (as_* calls below). */
extern char as_detail[512];

/* ORDI-1: a computer on 218300, bought 2025-07-01 for 3,600.00, straight
 * line over 36 months, no residual, no grant. */
gl_asset as_sample(void);
/* The accounts the samples' entries use in the 2025 chart, opened in
 * tenant (218300, 281830, 681100, 131000, 139100, 747000, 652000, 757000,
 * 512000, 404000). */
void as_open_accounts(harness *h, const char *tenant);
/* ASSET_SET: the reply's status. */
int as_set(harness *h, enum h_key k, const char *tenant, const gl_asset *a);
/* ASSET_POST: the reply's status; *entries (may be NULL) the entries
 * written. */
int as_post(harness *h, enum h_key k, const char *tenant, const gl_asset_post_q *q,
            uint32_t *entries);
int as_depreciate(harness *h, enum h_key k, const char *tenant, uint32_t through,
                  uint32_t *entries);
/* ASSETS as "code:through:disposed:proceeds;". */
int as_list_text(harness *h, enum h_key k, const char *tenant, char *out, size_t cap);

#endif
