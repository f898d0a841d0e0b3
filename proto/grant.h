/*
 * proto/grant.h — grants (subventions) on the wire (issue 19; PROTOCOL.md
 * §5.55, §5.56): what a funder granted for an action (an operation or a
 * project, a code of the analytic axis `action`), on which product
 * account, for which period, and whether fonds dédiés or the European
 * Social Fund's rules apply.  The budgets the grants pay for are
 * proto/budget.h.
 *
 *   grant record: code str8 (1..GL_GRANT_CODE_MAX of [A-Z0-9_.-], first
 *     A-Z or 0-9, as an analytic code: "FSE-2026", "CD59-AGIIE-2026") |
 *     label str8 (not blank) | funder str8 (a code of the axis
 *     `financeur`) | action str8 (a code of the axis `action`) |
 *     account str8 (a class 7 account: 741700, 747000) |
 *     amount_cents i64 (1..GL_TOTAL_MAX_CENTS, granted) | from u32 |
 *     to u32 (the grant's period, YYYYMMDD, from <= to) | flags u8
 *     (GL_GRANT_DEDICATED, GL_GRANT_FSE; other bits 0) | flat_rate u8
 *     (0 none; 15: indirect costs at 15 % of direct staff costs, Reg. (EU)
 *     2021/1060 art. 54(b); 40: every other cost at 40 % of direct staff
 *     costs, art. 56)
 *   GRANT_SET (55) body, and GL_EVENT_GRANT (23) payload:
 *     code str8 | op u8 (GL_GRANT_SET_OP 1: add or replace;
 *     GL_GRANT_DELETE_OP 2: only the code counts, every other field empty
 *     or 0) | the record's other fields.  Reply: empty (the same record
 *     again: nothing written, no event).
 *   GRANTS (56) body: empty.  Reply: count u16 | record*count, in code
 *     order (at most GL_GRANTS_MAX per tenant).
 *
 * The field rules here are the record's own (gl_grant_check: 496
 * grant_invalid, the detail naming the field); the daemon then checks the
 * funder and the action open on their axes (484, 485) and the account
 * open in the chart.  Pure: no allocation; decoded strings point into the
 * bytes.
 */
#ifndef GL_PROTO_GRANT_H
#define GL_PROTO_GRANT_H

#include "wire.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GL_GRANT_CODE_MAX 16
#define GL_GRANTS_MAX 1000 /* grants per tenant: 490 analytic_full */
#define GL_GRANT_SET_OP 1
#define GL_GRANT_DELETE_OP 2
#define GL_GRANT_DEDICATED 0x01 /* earmarked by the funder: fonds dédiés apply */
#define GL_GRANT_FSE 0x02       /* a European Social Fund operation */
#define GL_GRANT_FLAGS_ALL (GL_GRANT_DEDICATED | GL_GRANT_FSE)
#define GL_GRANT_FLAT_15 15 /* art. 54(b): indirect costs, 15 % of direct staff costs */
#define GL_GRANT_FLAT_40 40 /* art. 56: the remaining costs, 40 % of direct staff costs */
#define GL_GRANT_FUNDER_AXIS "financeur"
#define GL_GRANT_ACTION_AXIS "action"

typedef struct gl_grant {
    gl_str code, label, funder, action, account;
    int64_t amount_cents;
    uint32_t from, to;
    uint8_t flags;
    uint8_t flat_rate;
} gl_grant;

/* The record as GRANTS gives it (no op byte). */
void gl_grant_put(gl_buf *b, const gl_grant *g);
/* One record from c: the cursor's status (MALFORMED, STRING_*). */
int gl_grant_get(gl_cur *c, gl_grant *out);

/* The record's own field rules for op: true, or false and *field names
 * the first field at fault ("code", "op", "label", "funder", "action",
 * "account", "amount", "from", "to", "period", "flags", "flat_rate"). */
bool gl_grant_check(uint8_t op, const gl_grant *g, const char **field);
/* Two records the same, byte for byte. */
bool gl_grant_same(const gl_grant *a, const gl_grant *b);

typedef struct gl_grant_set_q {
    uint8_t op;
    gl_grant grant;
} gl_grant_set_q;
void gl_grant_set_q_encode(gl_buf *b, const gl_grant_set_q *q);
/* MALFORMED, TRAILING_BYTES, STRING_*: structure only (gl_grant_check for
 * the field rules). */
int gl_grant_set_q_decode(const uint8_t *body, size_t len, gl_grant_set_q *out);

/* GRANTS reply, read record by record. */
typedef struct gl_grants_iter {
    gl_cur cur;
    uint16_t left;
} gl_grants_iter;
int gl_grants_reply_begin(const uint8_t *body, size_t len, gl_grants_iter *it);
/* GL_OK and *out, GL_ERR_NOT_FOUND after the last (and the reply then
 * consumed exactly: TRAILING_BYTES otherwise), or MALFORMED/STRING_*. */
int gl_grants_reply_next(gl_grants_iter *it, gl_grant *out);

#endif
