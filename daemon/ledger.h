/*
 * daemon/ledger.h — what the request handlers share: the execution context
 * of one request, tenant records and the per-tenant hash chain.
 *
 * Handlers (daemon/handlers.h: daemon/rules/ for writes, daemon/reader.c
 * for reads) take a decoded, authenticated, authorised request and a
 * transaction, do no I/O besides the transaction, and return a status; on a
 * refusal they set err_item/err_line/detail and the caller aborts their
 * nested transaction.
 */
#ifndef GL_LEDGER_H
#define GL_LEDGER_H

#include "config.h"
#include "store/store.h"
#include "store/values.h"

#include "proto/chain.h"
#include "proto/entry.h"
#include "proto/limits.h"
#include "proto/request.h"
#include "proto/wire.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct gl_exec {
    store_txn *txn;
    const gl_config *cfg;
    const gl_request *req;
    const gl_key_cfg *key;    /* its signer's key, as admitted */
    const uint8_t *ledger_id; /* the daemon's (GL_LEDGER_ID_BYTES) */
    store *snapshot_store;    /* set only for a read that takes its own snapshot (BACKUP) */
    uint64_t envelope;        /* writes: this request's envelope number */
    int64_t now_ms;
    gl_buf *body; /* reply body */
    uint32_t err_item, err_line;
    char detail[GL_DETAIL_MAX];
    /* A success may carry a warning for the person (PROTOCOL §3): the first
     * one, and how many were raised (exec_warn). */
    char warning[GL_DETAIL_MAX];
    uint32_t warnings;
    struct totals_cache *totals; /* write-behind totals (NULL: write through) */
    int64_t total_cap_cents;     /* 0 until the first total: then the signer's cap */
    /* The last entry number given in this request, per (tenant, fy). */
    uint32_t last_tenant;
    uint16_t last_fy;
    uint32_t last_num;
    /* Per-request memos of the POST rules (rules/post.c, issue 16): the
     * day's calendar limits, computed once, and the accounts found open and
     * not abolished (accounts are never removed, so a hit stays true for
     * the rest of the request). */
    bool day_known;
    uint32_t today;           /* gl_date_paris(now_ms) */
    uint32_t last_due_ym;     /* calendar_last_due_month(now_ms) */
    const void *last_date_of; /* the tenant configuration last_date is for */
    uint32_t last_date;       /* its calendar_last_entry_date */
    struct account_memo {
        uint32_t tenant, fy_start;
        uint8_t len; /* 0: empty */
        char account[GL_ACCOUNT_MAX];
    } accounts_ok[64];
    /* rules/analytic_post.c: whether tenant an_tenant has any analytic
     * axis (an_axes 0: not looked up in this request, 1: none, 2: some). */
    uint32_t an_tenant;
    uint8_t an_axes;
    /* ...and whether its rules and the codes found open in this request
     * are in that file's per-thread memo (loaded once per request, not per
     * entry: a POST changes neither). */
    bool an_memo;
} gl_exec;

/* tenant_rec: a tenant's record (store/values.h). */
int tenant_load(store_txn *t, gl_str id, tenant_rec *rec);
int tenant_save(store_txn *t, gl_str id, const tenant_rec *rec);
/* The request's tenant's record; a refusal with its status's message if it
 * cannot be loaded (UNKNOWN_TENANT, or the store's status). */
int exec_tenant_load(gl_exec *x, tenant_rec *rec);

/* The number of the last envelope stored (0 if there is none, or if its
 * key cannot be read): GL_OK or the store's status. */
int envelope_last(store_txn *t, uint64_t *last);
/* The watermark of a paged read: the one asked for, or on a first page
 * (0) the last envelope stored (0 if it cannot be read). */
uint64_t page_watermark(gl_exec *x, uint64_t asked);
/* The label of tenant's account ("" if it is not open or its record is
 * damaged); valid until the transaction ends. */
gl_str account_label(store_txn *t, uint32_t tenant, gl_str account);

/* Append an event (type, body) to tenant's chain, updating and saving rec.
 * *seq_out gets its sequence number. */
int chain_append(store_txn *t, gl_str tenant_id, tenant_rec *rec, uint16_t type,
                 const uint8_t *body, size_t body_len, uint64_t *seq_out);

/* Set the refusal detail (printf-style). Returns status. */
int exec_fail(gl_exec *x, int status, uint32_t item, uint32_t line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Raise a warning: the first one's text is kept, the others counted.  The
 * writer sends it as the detail of a successful reply (never of a
 * refusal, which has its own). */
void exec_warn(gl_exec *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A warning is already held: count this one (without formatting it, which
 * exec_warn would not keep) and return true; else false. */
bool exec_warn_more(gl_exec *x);
/* The detail of a successful reply into out: "" or the first warning,
 * with the count of the others. */
void exec_warning_text(const gl_exec *x, char *out, size_t out_len);

/* Check and write one client entry (every POST rule); item names it in
 * refusals. */
int post_entry(gl_exec *x, const gl_entry *e, uint32_t item, uint16_t *fy_out, uint32_t *num_out);

/* account_abolished (430) if the chart of the fiscal year starting on
 * fy_start abolished account (proto/chart_rules.h), with a detail naming
 * "entry ITEM line LINE" (or "item ITEM" when line is 0) and the
 * replacement; GL_OK otherwise (daemon/rules/accounts.c). */
int chart_check_abolished(gl_exec *x, gl_str account, uint32_t fy_start, uint32_t item,
                          uint32_t line);

/* Store an account's record (key, val) in the accounts database and append
 * its chain event (event_type, ev) to the request's tenant; both buffers
 * are freed.  GL_OK, GL_ERR_INTERNAL (a buffer could not be built), or the
 * store's status (daemon/rules/accounts.c). */
int account_write(gl_exec *x, tenant_rec *rec, const uint8_t *key, size_t key_len, gl_buf *val,
                  uint16_t event_type, gl_buf *ev);

/* The entry writer and reader: entries.h. */

/* Classes 8 and 9 (daemon/rules/classes.c): an entry of fiscal year fy
 * whose class 8 or class 9 lines do not sum to zero is refused
 * (class_entry_unbalanced, err_item = item) unless it repairs the year's
 * class net (proto/rules.h); a lock from locked_ym to through_ym that
 * reaches the last month of a fiscal year whose class 8 or 9 does not sum
 * to zero is refused (class_year_unbalanced).  Both may flush the
 * request's totals cache into its transaction. */
int classes_check_entry(gl_exec *x, const gl_entry *e, uint32_t tenant, uint16_t fy, uint32_t item);
int classes_check_lock(gl_exec *x, uint32_t tenant, unsigned first_month, uint32_t locked_ym,
                       uint32_t through_ym);

/* Copy a view into a NUL-terminated buffer (truncating). */
void str_copy(char *dst, size_t dst_len, gl_str s);

#endif
