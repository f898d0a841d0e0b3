/*
 * client/analytic/an_client.h — the analytic requests (PROTOCOL.md §5.46
 * to §5.52) as the commands need them, on the client library: the axes
 * decoded into owned memory, the writes (axis, code, rule, allocation),
 * the analytic balance whole, the analytic ledger of a code page after
 * page with a callback per row, and the amounts of an entry's lines (for
 * percentages in allocations).
 *
 * Every call goes through a gl_an_call, which keeps the last reply so that
 * the caller reports a refusal its own way (the CLI: cli_reply with
 * call_status, last_id and resp).  Each function returns GL_OK when the
 * daemon answered GL_OK and its reply was read; otherwise the library's
 * status (a transport failure: call_status says so too), the daemon's
 * refusal (resp.reply.status, its detail and err_item in resp), or
 * GL_ERR_BAD_REPLY / GL_ERR_NOMEM.  Writes take a fresh request id each
 * (unless request_id is given), because the same content may be
 * sent again on purpose (open, close, open again); a daemon that already
 * holds a state answers without writing.
 */
#ifndef GL_AN_CLIENT_H
#define GL_AN_CLIENT_H

#include "client/lib/grandlivre.h"

#include "proto/analytic.h"
#include "proto/limits.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct gl_an_call {
    gl_client *client;
    const char *tenant;
    uint64_t request_id; /* of the writes (--request-id); 0: a fresh one per request */
    uint64_t last_id;    /* the id of the last request sent */
    int call_status;     /* gl_call's status of the last request */
    gl_response resp;    /* the last reply (freed by the next call and gl_an_call_done) */
} gl_an_call;

/* One request of kind with body (freed here; the previous reply freed):
 * GL_OK when the daemon answered GL_OK, its reply in k->resp (the
 * fixed-asset commands, client/cli/cmd_assets.c). */
int gl_an_send(gl_an_call *k, uint16_t kind, gl_buf *body);
void gl_an_call_init(gl_an_call *k, gl_client *client, const char *tenant, uint64_t request_id);
void gl_an_call_done(gl_an_call *k);
/* Whether the last call failed at the daemon or on the way (not in the
 * reading of a good reply): the caller reports it from call_status and
 * resp. */
bool gl_an_call_refused(const gl_an_call *k);

/* ANALYTIC_AXES decoded: every string copied. */
typedef struct gl_an_code_info {
    char code[GL_AN_CODE_MAX + 1];
    uint8_t state;
    char label[GL_LABEL_MAX + 1];
} gl_an_code_info;
typedef struct gl_an_axis_info {
    char axis[GL_AN_AXIS_MAX + 1];
    uint8_t state;
    char label[GL_LABEL_MAX + 1];
    size_t ncodes, nrules;
    gl_an_code_info *codes;            /* by code */
    char (*rules)[GL_ACCOUNT_MAX + 1]; /* required account prefixes, in byte order */
} gl_an_axis_info;
typedef struct gl_an_axes {
    size_t n;
    gl_an_axis_info *axes; /* by name */
} gl_an_axes;

int gl_an_axes_get(gl_an_call *k, gl_an_axes *out);
void gl_an_axes_free(gl_an_axes *a);
const gl_an_axis_info *gl_an_axes_find(const gl_an_axes *a, const char *axis);
const gl_an_code_info *gl_an_axis_code_find(const gl_an_axis_info *x, const char *code);

/* ANALYTIC_AXIS_SET, _CODE_SET, _RULE_SET. */
int gl_an_axis_set(gl_an_call *k, const gl_an_axis_set_q *q);
int gl_an_code_set(gl_an_call *k, const gl_an_code_set_q *q);
int gl_an_rule_set(gl_an_call *k, const gl_an_rule_set_q *q);

/* ANALYTIC_ALLOC of rows[0..n) in one request (n 1..GL_AN_ALLOC_MAX:
 * GL_ERR_COUNT_LIMIT otherwise, nothing sent): all or nothing; a
 * refusal's resp.reply.err_item is the 1-based row at fault. */
int gl_an_alloc_send(gl_an_call *k, const gl_an_alloc_row *rows, size_t n);

/* ANALYTIC_BALANCE whole, strings copied. */
typedef struct gl_an_balance_line {
    char code[GL_AN_CODE_MAX + 1]; /* "": not allocated */
    char account[GL_ACCOUNT_MAX + 1];
    int64_t debit_cents, credit_cents;
} gl_an_balance_line;
typedef struct gl_an_balance {
    uint32_t at; /* the date the daemon answered for */
    size_t n;
    gl_an_balance_line *rows; /* by code then account; code "" last */
} gl_an_balance;
int gl_an_balance_get(gl_an_call *k, const gl_an_balance_q *q, gl_an_balance *out);
void gl_an_balance_free(gl_an_balance *b);

/* ANALYTIC_LEDGER of q (its cursor fields and limit are set here), every
 * page: fn for each row (the row's strings are views valid during the
 * call).  fn returning non-zero stops there: that value is returned. */
typedef int (*gl_an_ledger_fn)(void *user, const gl_an_ledger_row *row);
int gl_an_ledger_each(gl_an_call *k, const gl_an_ledger_q *q, gl_an_ledger_fn fn, void *user);

/* The amounts of entry fy/num's lines (ENTRY_GET): *n lines into
 * amounts_cents (GL_LINES_MAX of them at most), and whether the entry is
 * an à-nouveaux or closing one is not said here (the daemon refuses). */
int gl_an_entry_amounts(gl_an_call *k, uint16_t fy, uint32_t num, int64_t *amounts_cents,
                        size_t *n);

#endif
