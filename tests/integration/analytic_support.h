/*
 * tests/integration/analytic_support.h — what the analytic tests share
 * (issue 19): a body of each kind 46-52 that decodes (the suites that send
 * every kind: member_view, authz), and requests of kinds 46-50 built and
 * sent through the harness.
 */
#ifndef GL_TEST_ANALYTIC_SUPPORT_H
#define GL_TEST_ANALYTIC_SUPPORT_H

#include "tests/support/harness.h"

#include "proto/analytic.h"
#include "proto/entry.h"
#include "proto/request.h"
#include "proto/status.h"

/* A body of kind 46-52 that decodes. */
void an_any_body(uint16_t kind, gl_buf *b);

/* The last refusal's detail (an_* calls below). */
extern char an_detail[512];

/* ANALYTIC_AXIS_SET, _CODE_SET, _RULE_SET: the reply's status. */
int an_axis(harness *h, enum h_key k, const char *tenant, const char *axis, uint8_t state,
            const char *label);
int an_code(harness *h, enum h_key k, const char *tenant, const char *axis, const char *code,
            uint8_t state, const char *label);
int an_rule(harness *h, enum h_key k, const char *tenant, const char *axis, const char *prefix,
            uint8_t required);
/* ANALYTIC_ALLOC of rows (their codes already sorted). */
int an_alloc(harness *h, enum h_key k, const char *tenant, const gl_an_alloc_row *rows, size_t n);

/* One axis of one code for a whole line, or of two codes (a then b). */
gl_an_split an_one(const char *axis, const char *code, int64_t cents);
gl_an_split an_two(const char *axis, const char *a, int64_t a_cents, const char *b,
                   int64_t b_cents);

/* Post one two-line entry (debit, credit, cents) whose debit line carries
 * the axes given (naxes may be 0): the reply's status; *fy_num gets the
 * entry's number on success. */
int an_post(harness *h, enum h_key k, const char *tenant, uint32_t date, const char *debit,
            const char *credit, int64_t cents, const gl_an_split *axes, size_t naxes,
            uint32_t *num);

/* ANALYTIC_AXES as "axis:state:label[code:state:label,...](prefix,...);". */
void an_axes_text(harness *h, enum h_key k, const char *tenant, char *out, size_t cap);

#endif
