/*
 * client/analytic/grant_client.h — the grants and budgets requests
 * (PROTOCOL.md §5.55 to §5.58) as the commands need them, on the client
 * library: the grants and the budgets decoded into owned memory, and the
 * writes (a grant set or deleted, a budget's new version).
 *
 * Every call goes through a gl_an_call (an_client.h), which keeps the
 * last reply so that the caller reports a refusal its own way (the CLI:
 * cli_reply with call_status, last_id and resp).  Each function returns
 * GL_OK when the daemon answered GL_OK and its reply was read; otherwise
 * the library's status (a transport failure: call_status says so too),
 * the daemon's refusal (resp.reply.status, its detail in resp), or
 * GL_ERR_BAD_REPLY / GL_ERR_NOMEM.
 */
#ifndef GL_GRANT_CLIENT_H
#define GL_GRANT_CLIENT_H

#include "client/analytic/an_client.h"

#include "proto/analytic.h"
#include "proto/budget.h"
#include "proto/grant.h"
#include "proto/limits.h"

#include <stddef.h>
#include <stdint.h>

/* A grant, every string copied. */
typedef struct gl_grant_info {
    char code[GL_GRANT_CODE_MAX + 1];
    char label[GL_LABEL_MAX + 1];
    char funder[GL_AN_CODE_MAX + 1];
    char action[GL_AN_CODE_MAX + 1];
    char account[GL_ACCOUNT_MAX + 1];
    int64_t amount_cents;
    uint32_t from, to; /* YYYYMMDD */
    uint8_t flags;     /* GL_GRANT_DEDICATED, GL_GRANT_FSE */
    uint8_t flat_rate; /* 0, GL_GRANT_FLAT_15, GL_GRANT_FLAT_40 */
} gl_grant_info;
typedef struct gl_grant_list {
    size_t n;
    gl_grant_info *grants; /* by code */
} gl_grant_list;

/* GRANTS whole. */
int gl_grants_get(gl_an_call *k, gl_grant_list *out);
void gl_grant_list_free(gl_grant_list *l);
const gl_grant_info *gl_grant_list_find(const gl_grant_list *l, const char *code);
/* The grants of one action and/or one funder (NULL: any): how many, and
 * their sum in *sum_cents; false if the sum leaves the int64 range (each
 * grant is within 2^56, a thousand of them may not be). */
bool gl_grant_list_sum(const gl_grant_list *l, const char *action, const char *funder,
                       size_t *count, int64_t *sum_cents);

/* GRANT_SET of g (op GL_GRANT_SET_OP), or the delete of a code. */
int gl_grant_set(gl_an_call *k, const gl_grant *g);
int gl_grant_delete(gl_an_call *k, const char *code);
/* A gl_grant viewing info's strings (for gl_grant_set). */
gl_grant gl_grant_view(const gl_grant_info *info);

/* A budget's row, and a budget's latest version, strings copied. */
typedef struct gl_budget_line {
    char group[GL_ACCOUNT_MAX + 1];
    int64_t amount_cents;
} gl_budget_line;
typedef struct gl_budget_info {
    char action[GL_AN_CODE_MAX + 1];
    uint16_t fy;
    uint16_t version;
    int64_t recorded_ms;  /* when the daemon recorded that version */
    size_t nrows;         /* 0: withdrawn */
    gl_budget_line *rows; /* by group */
} gl_budget_info;
typedef struct gl_budget_list {
    size_t n;
    gl_budget_info *budgets; /* by action, then fiscal year */
} gl_budget_list;

/* BUDGETS of fiscal year fy (0: every year) and action (NULL or "":
 * every action). */
int gl_budgets_get(gl_an_call *k, uint16_t fy, const char *action, gl_budget_list *out);
void gl_budget_list_free(gl_budget_list *l);
const gl_budget_info *gl_budget_list_find(const gl_budget_list *l, const char *action, uint16_t fy);

/* Sort rows by group (byte order, as the daemon wants them); false if a
 * group is there twice. */
bool gl_budget_lines_sort(gl_budget_line *rows, size_t n);
/* BUDGET_SET: a new version of (action, fy) with rows[0..n) (n 0: the
 * budget withdrawn; above GL_BUDGET_ROWS_MAX: GL_ERR_COUNT_LIMIT, nothing
 * sent).  The rows are sent in the order given: sort them first. */
int gl_budget_set(gl_an_call *k, const char *action, uint16_t fy, const gl_budget_line *rows,
                  size_t n);

#endif
