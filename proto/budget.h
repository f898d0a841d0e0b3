/*
 * proto/budget.h — budgets (budgets prévisionnels) on the wire (issue 19;
 * PROTOCOL.md §5.57, §5.58): what an action (a code of the analytic axis
 * `action`) plans to spend and to receive in a fiscal year, by group of
 * accounts, versioned.  The grants that pay for it are proto/grant.h.
 *
 *   row: group str8 (an account prefix: 1..GL_ACCOUNT_MAX of [0-9], the
 *     first 6 or 7: "60", "64", "641", "74", "7417") | amount_cents i64
 *     (0..GL_TOTAL_MAX_CENTS: a charge for a group of class 6, a product
 *     for class 7)
 *   BUDGET_SET (57) body, and GL_EVENT_BUDGET (24) payload:
 *     action str8 | fy u16 (1900..2999) | count u16 (0..GL_BUDGET_ROWS_MAX)
 *     | row*count — groups strictly increasing in byte order, no group a
 *     prefix of another, the amounts summing to at most
 *     GL_TOTAL_MAX_CENTS.  Each BUDGET_SET of (action, fy) is a new
 *     version (1, 2, ...): nothing is replaced in the chain, the latest
 *     version is the budget; count 0 is a version that withdraws it (of
 *     a budget never set: nothing written, as for the latest's rows).
 *     Reply: empty.
 *   BUDGETS (58) body: fy u16 (0: every year) | action str8 ("": every
 *     action).  Reply: count u16 | version*count, in (action, fy) order:
 *     version: action str8 | fy u16 | version u16 | recorded_ms i64 (the
 *     writer's batch time of that version) | rows u16 | row*rows — the
 *     latest version of each budget.
 *
 * The field rules here are the body's own (gl_budget_check: 498
 * budget_invalid, the detail naming the row and the field); the daemon
 * then checks the action open (484, 485).  Pure: no allocation; decoded
 * strings point into the bytes.
 */
#ifndef GL_PROTO_BUDGET_H
#define GL_PROTO_BUDGET_H

#include "wire.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A BUDGETS reply holds at most GL_BUDGETS_MAX versions of
 * GL_BUDGET_ROWS_MAX rows of 29 bytes: 14.5 MB, within GL_MESSAGE_MAX. */
#define GL_BUDGET_ROWS_MAX 500      /* rows of one version */
#define GL_BUDGETS_MAX 1000         /* (action, fy) budgets per tenant: 499 budget_full */
#define GL_BUDGET_VERSIONS_MAX 1000 /* versions of one (action, fy): 499 budget_full */

typedef struct gl_budget_row {
    gl_str group;
    int64_t amount_cents;
} gl_budget_row;
void gl_budget_row_put(gl_buf *b, const gl_budget_row *r);

/* Rows of a body or of a reply's version, read one by one (checked by the
 * decoder that gave them). */
typedef struct gl_budget_rows {
    const uint8_t *rows;
    size_t rows_len;
    uint16_t count;
} gl_budget_rows;
typedef struct gl_budget_iter {
    gl_cur cur;
    uint16_t left;
} gl_budget_iter;
void gl_budget_iter_init(gl_budget_iter *it, const gl_budget_rows *r);
/* false after the last row. */
bool gl_budget_next(gl_budget_iter *it, gl_budget_row *out);

typedef struct gl_budget_set_q {
    gl_str action;
    uint16_t fy;
    gl_budget_rows rows;
} gl_budget_set_q;
/* Encode the head; the caller then puts count rows. */
void gl_budget_set_q_head(gl_buf *b, gl_str action, uint16_t fy, uint16_t count);
/* MALFORMED, TRAILING_BYTES, STRING_*, COUNT_LIMIT (count above
 * GL_BUDGET_ROWS_MAX): structure only (gl_budget_check for the rules). */
int gl_budget_set_q_decode(const uint8_t *body, size_t len, gl_budget_set_q *out);
/* The body's field rules: true, or false with *field naming the field
 * ("action", "fy", "group", "amount", "order": a group not after the
 * previous one or starting with it, "total": the amounts sum above
 * GL_TOTAL_MAX_CENTS) and *bad_row its 1-based row (0: the head). */
bool gl_budget_check(const gl_budget_set_q *q, const char **field, uint32_t *bad_row);
/* A group's own syntax: 1..GL_ACCOUNT_MAX digits, the first 6 or 7. */
bool gl_budget_group_valid(gl_str group);

typedef struct gl_budgets_q {
    uint16_t fy;   /* 0: every year */
    gl_str action; /* "": every action */
} gl_budgets_q;
void gl_budgets_q_encode(gl_buf *b, const gl_budgets_q *q);
int gl_budgets_q_decode(const uint8_t *body, size_t len, gl_budgets_q *out);

/* One budget of the BUDGETS reply (its latest version). */
typedef struct gl_budget_version {
    gl_str action;
    uint16_t fy;
    uint16_t version;
    int64_t recorded_ms;
    gl_budget_rows rows;
} gl_budget_version;
/* The daemon's writer: count, then each version's head and its rows. */
void gl_budget_version_head_put(gl_buf *b, gl_str action, uint16_t fy, uint16_t version,
                                int64_t recorded_ms, uint16_t rows);
typedef struct gl_budgets_iter {
    gl_cur cur;
    uint16_t left;
} gl_budgets_iter;
int gl_budgets_reply_begin(const uint8_t *body, size_t len, gl_budgets_iter *it);
/* GL_OK and *out (its rows checked in structure), GL_ERR_NOT_FOUND after
 * the last (the reply then consumed exactly: TRAILING_BYTES otherwise),
 * or MALFORMED/STRING_*. */
int gl_budgets_reply_next(gl_budgets_iter *it, gl_budget_version *out);

#endif
