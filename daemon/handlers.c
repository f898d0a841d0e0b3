/*
 * daemon/handlers.c — the daemon's table of handlers, one row per kind the
 * writer or the reader answers (proto/kinds.c says which thread that is;
 * tests/unit/test_kinds.c checks that every such kind has its row here).
 */
#include "handlers.h"

#include "bank_recon.h"

#include <stddef.h>

static const handler_info handlers[] = {
    {GL_KIND_PING, query_ping, false},
    {GL_KIND_ACCOUNTS_OPEN, rules_accounts_open, false},
    {GL_KIND_ACCOUNTS_LIST, query_accounts, false},
    {GL_KIND_POST, rules_post, false},
    {GL_KIND_BALANCE, query_balance, false},
    {GL_KIND_JOURNAL, query_journal, false},
    {GL_KIND_LEDGER, query_ledger, false},
    {GL_KIND_ENTRY_GET, query_entry, false},
    {GL_KIND_LOCK, rules_lock, false},
    {GL_KIND_CLOSE_YEAR, rules_close_year, false},
    {GL_KIND_LETTER, rules_letter, false},
    {GL_KIND_UNLETTER, rules_unletter, false},
    {GL_KIND_PERIODS, query_periods, false},
    {GL_KIND_CHAIN, query_chain, false},
    {GL_KIND_ENVELOPE, query_envelope, false},
    {GL_KIND_BACKUP, query_backup, true},
    {GL_KIND_ACCOUNT_LABEL, rules_account_label, false},
    {GL_KIND_KEYRING, query_keyring, false},
    {GL_KIND_TENANTS, query_tenants, false},
    {GL_KIND_THIRD_PARTY_SET, rules_third_party_set, false},
    {GL_KIND_THIRD_PARTIES, query_third_parties, false},
    {GL_KIND_CARRY_MODE_SET, rules_carry_mode_set, false},
    {GL_KIND_REMINDER_RECORD, rules_reminder_record, false},
    {GL_KIND_REMINDERS, query_reminders, false},
    {GL_KIND_KEYS_SET, rules_keys_set, false},
    {GL_KIND_KEYS_GET, query_keys, false},
    {GL_KIND_RECHARGE, rules_recharge, false},
    {GL_KIND_DUES, rules_dues, false},
    {GL_KIND_RECHARGE_ADJUST, rules_recharge_adjust, false},
    {GL_KIND_GROUP_BALANCE, query_group_balance, false},
    {GL_KIND_GROUP_RECONCILE, query_group_reconcile, false},
    {GL_KIND_LETTER_BATCH, rules_letter_batch, false},
    {GL_KIND_PERSON_KEY, rules_person_key, false},
    {GL_KIND_FORGET, rules_forget, false},
    {GL_KIND_BANK_ACCOUNT_SET, rules_bank_account_set, false},
    {GL_KIND_BANK_IMPORT, rules_bank_import, false},
    {GL_KIND_BANK_LINES, query_bank_lines, false},
    {GL_KIND_BANK_ACCOUNTS, query_bank_accounts, false},
    {GL_KIND_BANK_MATCH, rules_bank_match, false},
    {GL_KIND_BANK_UNMATCH, rules_bank_unmatch, false},
    {GL_KIND_BANK_RULE_SET, rules_bank_rule_set, false},
    {GL_KIND_BANK_RULES, query_bank_rules, false},
    {GL_KIND_BANK_RECON, query_bank_recon, false},
    {GL_KIND_BANK_MATCHES, query_bank_matches, false},
    {GL_KIND_ANALYTIC_AXIS_SET, rules_analytic_axis_set, false},
    {GL_KIND_ANALYTIC_CODE_SET, rules_analytic_code_set, false},
    {GL_KIND_ANALYTIC_RULE_SET, rules_analytic_rule_set, false},
    {GL_KIND_ANALYTIC_AXES, query_analytic_axes, false},
    {GL_KIND_ANALYTIC_ALLOC, rules_analytic_alloc, false},
    {GL_KIND_ANALYTIC_BALANCE, query_analytic_balance, false},
    {GL_KIND_ANALYTIC_LEDGER, query_analytic_ledger, false},
    {GL_KIND_GRANT_SET, rules_grant_set, false},
    {GL_KIND_GRANTS, query_grants, false},
    {GL_KIND_BUDGET_SET, rules_budget_set, false},
    {GL_KIND_BUDGETS, query_budgets, false},
    {GL_KIND_ASSET_SET, rules_asset_set, false},
    {GL_KIND_ASSETS, query_assets, false},
    {GL_KIND_ASSET_POST, rules_asset_post, false},
    {GL_KIND_BANK_RULE_SET, rules_bank_rule_set, false},
    {GL_KIND_BANK_RULES, query_bank_rules, false},
    {GL_KIND_TIMESHEET_SET, rules_timesheet_set, false},
    {GL_KIND_TIMESHEETS, query_timesheets, false},
};

const handler_info *handler_of(uint16_t kind)
{
    for (size_t i = 0; i < sizeof handlers / sizeof handlers[0]; i++)
        if (handlers[i].kind == kind)
            return &handlers[i];
    return NULL;
}
