/*
 * daemon/handlers.h — the request handlers and the daemon's table of them
 * (daemon/handlers.c), beside the kind table of proto/kinds.h: a kind's row
 * there says who may send it and how its body decodes, its row here which
 * function answers it.
 *
 * Every handler has one signature: the execution context of its request
 * (ledger.h: the transaction, the configuration, the request, the signer's
 * key, the reply body) and the body as admission decoded it (rq: read the
 * kind's member of gl_body, proto/kinds.h; a handler never decodes it
 * again).  It does no I/O besides the transaction and returns a
 * status; on a refusal it sets err_item/err_line/detail and the caller
 * aborts its transaction.  Writes live in daemon/rules/, reads in
 * daemon/reader.c and daemon/group_reader.c, BACKUP in daemon/job.c.
 */
#ifndef GL_HANDLERS_H
#define GL_HANDLERS_H

#include "ledger.h"

#include "proto/kinds.h"

#include <stdbool.h>
#include <stdint.h>

typedef int (*handler_fn)(gl_exec *x, const gl_body *rq);

typedef struct handler_info {
    uint16_t kind;
    handler_fn run;
    /* Reads: true if the handler takes its own snapshot (x->txn is NULL,
     * x->snapshot_store is the store): BACKUP's copy opens its own. */
    bool own_snapshot;
} handler_info;

/* The handler of kind, or NULL for a kind no worker answers (STATS, which
 * the transport thread answers, and unknown kinds). */
const handler_info *handler_of(uint16_t kind);

/* Writes (daemon/rules/). */
int rules_post(gl_exec *x, const gl_body *rq);
int rules_accounts_open(gl_exec *x, const gl_body *rq);
int rules_account_label(gl_exec *x, const gl_body *rq);
int rules_lock(gl_exec *x, const gl_body *rq);
int rules_close_year(gl_exec *x, const gl_body *rq);
int rules_letter(gl_exec *x, const gl_body *rq);
int rules_unletter(gl_exec *x, const gl_body *rq);
int rules_letter_batch(gl_exec *x, const gl_body *rq);
int rules_keys_set(gl_exec *x, const gl_body *rq);
int rules_recharge(gl_exec *x, const gl_body *rq);
/* An entry the daemon writes by itself (rules/group.c): encoded, decoded
 * and posted as item of the request (every POST rule applies), its row
 * added to the reply (proto/reply_group.h's posted rows); a refusal's
 * detail names the tenant. */
int rules_entry_write(gl_exec *x, uint32_t item, const gl_entry_in *in);
int rules_dues(gl_exec *x, const gl_body *rq);
int rules_recharge_adjust(gl_exec *x, const gl_body *rq);
int rules_third_party_set(gl_exec *x, const gl_body *rq);
int rules_carry_mode_set(gl_exec *x, const gl_body *rq);
int rules_reminder_record(gl_exec *x, const gl_body *rq); /* daemon/rules/reminder.c */
int rules_person_key(gl_exec *x, const gl_body *rq);
int rules_forget(gl_exec *x, const gl_body *rq);
int rules_bank_account_set(gl_exec *x, const gl_body *rq); /* daemon/rules/bank.c */
int rules_bank_import(gl_exec *x, const gl_body *rq);
int rules_bank_match(gl_exec *x, const gl_body *rq); /* daemon/rules/bank_match.c */
int rules_bank_unmatch(gl_exec *x, const gl_body *rq);
/* The event of type whose payload is the request's signed body, item 1
 * (BANK_ACCOUNT, BANK_RULE). */
int bank_event_signed_body(gl_exec *x, tenant_rec *rec, uint16_t type);
/* The same as item `item` (ASSET_POST's event after its entries). */
int event_signed_body_item(gl_exec *x, tenant_rec *rec, uint16_t type, uint32_t item);
/* Is account open in tenant's chart (*open)?  GL_OK or the store's status. */
int bank_account_open(gl_exec *x, uint32_t tenant, gl_str account, bool *open);
int rules_bank_rule_set(gl_exec *x, const gl_body *rq);     /* daemon/rules/bank_rules.c */
int rules_analytic_axis_set(gl_exec *x, const gl_body *rq); /* daemon/rules/analytic.c */
int rules_analytic_code_set(gl_exec *x, const gl_body *rq);
int rules_analytic_rule_set(gl_exec *x, const gl_body *rq);
int rules_analytic_alloc(gl_exec *x, const gl_body *rq); /* daemon/rules/analytic_alloc.c */
int rules_grant_set(gl_exec *x, const gl_body *rq);      /* daemon/rules/grant.c */
int rules_budget_set(gl_exec *x, const gl_body *rq);     /* daemon/rules/budget.c */
/* POST (rules/persons.c): person_in_clear (462) for a line, but in a
 * reversal, whose aux is a natural person of the tenant's registry and
 * whose aux label is not empty. */
int persons_check_lines(gl_exec *x, const gl_entry *e, const gl_line *lines, uint32_t n,
                        uint32_t tenant, uint32_t item);
/* FORGET's second half (rules/persons_forgotten.c): once the batch holding
 * an acknowledged FORGET is durable, destroy the person's key (a failure
 * is logged; the next start finishes it). */
void rules_forget_acked(const gl_config *cfg, gl_str tenant, const gl_body *rq, int64_t now_ms);
/* At start, after the journal's replay: destroy the key of every person
 * whose FORGET row is committed (a kill between the commit and the
 * shredding).  GL_OK or a status with a sentence in err. */
int persons_sweep_forgotten(store *st, const char *data_dir, char *err, size_t err_len);
/* storage (500) naming a registry row that does not decode, as every
 * request reading it is refused (third_parties_reader.c). */
int registry_row_damaged(gl_exec *x, gl_str code);

/* Reads (daemon/reader.c, daemon/group_reader.c, daemon/job.c). */
int query_ping(gl_exec *x, const gl_body *rq);
int query_accounts(gl_exec *x, const gl_body *rq);
int query_balance(gl_exec *x, const gl_body *rq);
int query_journal(gl_exec *x, const gl_body *rq);
int query_ledger(gl_exec *x, const gl_body *rq);
int query_entry(gl_exec *x, const gl_body *rq);
int query_periods(gl_exec *x, const gl_body *rq);
int query_chain(gl_exec *x, const gl_body *rq);
int query_envelope(gl_exec *x, const gl_body *rq);
int query_backup(gl_exec *x, const gl_body *rq);
int query_keyring(gl_exec *x, const gl_body *rq);
int query_tenants(gl_exec *x, const gl_body *rq);
int query_keys(gl_exec *x, const gl_body *rq);
int query_group_balance(gl_exec *x, const gl_body *rq);
int query_group_reconcile(gl_exec *x, const gl_body *rq);
int query_third_parties(gl_exec *x, const gl_body *rq);
int query_reminders(gl_exec *x, const gl_body *rq); /* daemon/rules/reminder.c */
/* daemon/rules/bank.c */
int query_bank_lines(gl_exec *x, const gl_body *rq);
int query_bank_accounts(gl_exec *x, const gl_body *rq);
/* The reads' tenant: GL_ERR_NOT_FOUND when it is configured but nothing
 * was written for it yet (an empty answer). */
int bank_read_tenant(gl_exec *x, tenant_rec *rec);
/* 470 unless account has a registered bank account (rules/bank.c). */
int bank_registered(gl_exec *x, uint32_t tenant, gl_str account);
int query_bank_rules(gl_exec *x, const gl_body *rq);    /* daemon/rules/bank_rules.c */
int query_analytic_axes(gl_exec *x, const gl_body *rq); /* daemon/rules/analytic.c */
/* daemon/rules/timesheet.c */
int rules_timesheet_set(gl_exec *x, const gl_body *rq);
int query_timesheets(gl_exec *x, const gl_body *rq);
/* daemon/analytic_reader.c */
int query_analytic_balance(gl_exec *x, const gl_body *rq);
int query_analytic_ledger(gl_exec *x, const gl_body *rq);
int query_grants(gl_exec *x, const gl_body *rq);  /* daemon/rules/grant.c */
int query_budgets(gl_exec *x, const gl_body *rq); /* daemon/rules/budget.c */
/* daemon/rules/asset.c */
int rules_asset_set(gl_exec *x, const gl_body *rq);
int rules_asset_post(gl_exec *x, const gl_body *rq);
int query_assets(gl_exec *x, const gl_body *rq);

#endif
