/*
 * proto/kinds.c — PROTOCOL.md §5's table of request kinds in code, and the
 * body codecs' decoders adapted to one signature.  Rows in order of kind
 * number (tests/unit/test_kinds.c checks the order, the numbers' uniqueness
 * and every row against PROTOCOL.md's table).
 */
#include "kinds.h"

#include "limits.h"
#include "status.h"

#include <string.h>

int gl_body_decode_empty(const uint8_t *body, size_t len, gl_body *out, uint32_t *bad_item)
{
    (void)body, (void)out, (void)bad_item;
    return len == 0 ? GL_OK : GL_ERR_TRAILING_BYTES;
}

/* The decoders of query.h, group.h and backup.h, each into its member. */
static int dec_accounts_open(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    return gl_accounts_open_decode(b, n, &o->accounts, bad);
}
static int dec_account_label(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    return gl_account_label_decode(b, n, &o->accounts, bad);
}
static int dec_post(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    return gl_post_decode(b, n, &o->post, bad);
}
static int dec_balance(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_balance_q_decode(b, n, &o->balance);
}
static int dec_journal(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_journal_q_decode(b, n, &o->journal);
}
static int dec_ledger(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_ledger_q_decode(b, n, &o->ledger);
}
static int dec_entry_ref(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_entry_ref_decode(b, n, &o->entry_ref);
}
static int dec_lock(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_lock_q_decode(b, n, &o->lock);
}
static int dec_close(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_close_q_decode(b, n, &o->close);
}
static int dec_letter(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_letter_q_decode(b, n, &o->letter);
}
static int dec_unletter(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_unletter_q_decode(b, n, &o->unletter);
}
static int dec_carry_mode(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_carry_mode_q_decode(b, n, &o->carry_mode);
}
static int dec_chain(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_chain_q_decode(b, n, &o->chain);
}
static int dec_envelope(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_u64_body_decode(b, n, &o->envelope);
}
static int dec_backup(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_backup_q_decode(b, n, &o->backup_name);
}
static int dec_keys_set(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_keys_q_decode(b, n, &o->keys);
}
static int dec_keys_get(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_u16_body_decode(b, n, &o->keys_version);
}
static int dec_recharge(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_recharge_q_decode(b, n, &o->recharge);
}
static int dec_dues(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_dues_q_decode(b, n, &o->dues);
}
static int dec_group_balance(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_group_balance_q_decode(b, n, &o->group_balance);
}
static int dec_reminder(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_reminder_q_decode(b, n, &o->reminder);
}
static int dec_group_reconcile(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_date_body_decode(b, n, &o->at);
}
static int dec_tp_set(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    return gl_tp_set_decode(b, n, &o->tp_set, bad);
}
static int dec_tp_list(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_tp_list_decode(b, n, &o->tp_list);
}
static int dec_letter_batch(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    return gl_letter_batch_q_decode(b, n, &o->letter_batch, bad);
}
static int dec_person_code(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_person_code_decode(b, n, &o->person_code);
}
static int dec_bank_account(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_bank_account_decode(b, n, &o->bank_account);
}
static int dec_bank_import(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    return gl_bank_import_decode(b, n, &o->bank_import, bad);
}
static int dec_bank_lines(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_bank_lines_q_decode(b, n, &o->bank_lines);
}
static int dec_bank_match(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    return gl_bank_match_q_decode(b, n, &o->bank_match, bad);
}
static int dec_bank_unmatch(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_bank_unmatch_q_decode(b, n, &o->bank_unmatch);
}
static int dec_bank_recon(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_bank_recon_q_decode(b, n, &o->bank_recon);
}
static int dec_bank_matches(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_bank_matches_q_decode(b, n, &o->bank_matches);
}
static int dec_bank_rule_set(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_bank_rule_set_q_decode(b, n, &o->bank_rule_set);
}
static int dec_bank_rules(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    gl_cur c;
    gl_cur_init(&c, b, n);
    o->bank_account_name = gl_get_str8(&c, GL_ACCOUNT_MAX);
    return gl_cur_end(&c);
}
static int dec_an_axis_set(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_an_axis_set_q_decode(b, n, &o->an_axis_set);
}
static int dec_an_code_set(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_an_code_set_q_decode(b, n, &o->an_code_set);
}
static int dec_an_rule_set(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_an_rule_set_q_decode(b, n, &o->an_rule_set);
}
static int dec_an_alloc(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    return gl_an_alloc_q_decode(b, n, &o->an_alloc, bad);
}
static int dec_an_balance(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_an_balance_q_decode(b, n, &o->an_balance);
}
static int dec_an_ledger(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_an_ledger_q_decode(b, n, &o->an_ledger);
}
static int dec_timesheet_set(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    return gl_ts_set_q_decode(b, n, &o->timesheet, bad);
}
static int dec_timesheets(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_ts_list_q_decode(b, n, &o->timesheets);
}
static int dec_grant_set(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_grant_set_q_decode(b, n, &o->grant_set);
}
static int dec_budget_set(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_budget_set_q_decode(b, n, &o->budget_set);
}
static int dec_budgets(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_budgets_q_decode(b, n, &o->budgets);
}
static int dec_asset_set(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_asset_set_q_decode(b, n, &o->asset);
}
static int dec_asset_post(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_asset_post_q_decode(b, n, &o->asset_post);
}

static int dec_recharge_adjust(const uint8_t *b, size_t n, gl_body *o, uint32_t *bad)
{
    (void)bad;
    return gl_recharge_adjust_q_decode(b, n, &o->recharge_adjust);
}

#define W GL_THREAD_WRITER
#define R GL_THREAD_READER
#define T GL_THREAD_TRANSPORT
#define NO GL_MEMBER_NO
#define YES GL_MEMBER_YES
#define OWN GL_MEMBER_OWN
#define OWN_EACH GL_MEMBER_OWN_EACH_ENTRY
#define OWN_SIGNED GL_MEMBER_OWN_SIGNED
#define USED GL_TENANT_USED
#define CHECKED GL_TENANT_CHECKED
#define IGNORED GL_TENANT_IGNORED
#define IGNORED_IF_EMPTY GL_TENANT_IGNORED_IF_EMPTY
#define EMPTY gl_body_decode_empty

/* PROTOCOL.md §5: kind, name, thread, member, accountant, auditor, header
 * tenant, group (§5.20), body. */
static const gl_kind_info kinds[] = {
    {GL_KIND_PING, "ping", R, YES, true, true, IGNORED, false, EMPTY},
    {GL_KIND_ACCOUNTS_OPEN, "accounts_open", W, OWN, true, false, USED, false, dec_accounts_open},
    {GL_KIND_ACCOUNTS_LIST, "accounts_list", R, OWN, true, true, USED, false, EMPTY},
    {GL_KIND_POST, "post", W, OWN_EACH, true, false, CHECKED, false, dec_post},
    {GL_KIND_BALANCE, "balance", R, OWN, true, true, USED, false, dec_balance},
    {GL_KIND_JOURNAL, "journal", R, OWN, true, true, USED, false, dec_journal},
    {GL_KIND_LEDGER, "ledger", R, OWN, true, true, USED, false, dec_ledger},
    {GL_KIND_ENTRY_GET, "entry_get", R, OWN, true, true, USED, false, dec_entry_ref},
    {GL_KIND_LOCK, "lock", W, NO, true, false, USED, false, dec_lock},
    {GL_KIND_CLOSE_YEAR, "close_year", W, NO, true, false, USED, false, dec_close},
    {GL_KIND_LETTER, "letter", W, OWN, true, false, USED, false, dec_letter},
    {GL_KIND_UNLETTER, "unletter", W, OWN, true, false, USED, false, dec_unletter},
    {GL_KIND_PERIODS, "periods", R, OWN, true, true, USED, false, EMPTY},
    {GL_KIND_CHAIN, "chain", R, OWN, true, true, USED, false, dec_chain},
    {GL_KIND_ENVELOPE, "envelope", R, OWN_SIGNED, true, true, IGNORED, false, dec_envelope},
    {GL_KIND_STATS, "stats", T, NO, true, true, IGNORED, false, EMPTY},
    {GL_KIND_BACKUP, "backup", R, NO, true, false, IGNORED, false, dec_backup},
    {GL_KIND_ACCOUNT_LABEL, "account_label", W, OWN, true, false, USED, false, dec_account_label},
    {GL_KIND_KEYRING, "keyring", R, NO, true, true, IGNORED, false, EMPTY},
    {GL_KIND_TENANTS, "tenants", R, YES, true, true, IGNORED_IF_EMPTY, false, EMPTY},
    {GL_KIND_THIRD_PARTY_SET, "third_party_set", W, OWN, true, false, USED, false, dec_tp_set},
    {GL_KIND_THIRD_PARTIES, "third_parties", R, OWN, true, true, USED, false, dec_tp_list},
    {GL_KIND_LETTER_BATCH, "letter_batch", W, OWN, true, false, USED, false, dec_letter_batch},
    {GL_KIND_REMINDER_RECORD, "reminder_record", W, OWN, true, false, USED, false, dec_reminder},
    {GL_KIND_REMINDERS, "reminders", R, OWN, true, true, USED, false, EMPTY},
    {GL_KIND_CARRY_MODE_SET, "carry_mode_set", W, NO, true, false, USED, false, dec_carry_mode},
    {GL_KIND_PERSON_KEY, "person_key", W, OWN, true, false, USED, false, dec_person_code},
    {GL_KIND_FORGET, "forget", W, NO, true, false, USED, false, dec_person_code},
    {GL_KIND_KEYS_SET, "keys_set", W, NO, true, false, IGNORED, true, dec_keys_set},
    {GL_KIND_KEYS_GET, "keys_get", R, NO, true, true, IGNORED, true, dec_keys_get},
    {GL_KIND_RECHARGE, "recharge", W, NO, true, false, IGNORED, true, dec_recharge},
    {GL_KIND_DUES, "dues", W, NO, true, false, IGNORED, true, dec_dues},
    {GL_KIND_GROUP_BALANCE, "group_balance", R, NO, true, true, IGNORED, true, dec_group_balance},
    {GL_KIND_GROUP_RECONCILE, "group_reconcile", R, NO, true, true, IGNORED, true,
     dec_group_reconcile},
    {GL_KIND_BANK_ACCOUNT_SET, "bank_account_set", W, OWN, true, false, USED, false,
     dec_bank_account},
    {GL_KIND_BANK_IMPORT, "bank_import", W, OWN, true, false, USED, false, dec_bank_import},
    {GL_KIND_BANK_LINES, "bank_lines", R, OWN, true, true, USED, false, dec_bank_lines},
    {GL_KIND_BANK_ACCOUNTS, "bank_accounts", R, OWN, true, true, USED, false, EMPTY},
    {GL_KIND_BANK_MATCH, "bank_match", W, OWN, true, false, USED, false, dec_bank_match},
    {GL_KIND_BANK_UNMATCH, "bank_unmatch", W, OWN, true, false, USED, false, dec_bank_unmatch},
    {GL_KIND_BANK_RULE_SET, "bank_rule_set", W, OWN, true, false, USED, false, dec_bank_rule_set},
    {GL_KIND_BANK_RULES, "bank_rules", R, OWN, true, true, USED, false, dec_bank_rules},
    {GL_KIND_BANK_RECON, "bank_recon", R, OWN, true, true, USED, false, dec_bank_recon},
    {GL_KIND_BANK_MATCHES, "bank_matches", R, OWN, true, true, USED, false, dec_bank_matches},
    {GL_KIND_ANALYTIC_AXIS_SET, "analytic_axis_set", W, OWN, true, false, USED, false,
     dec_an_axis_set},
    {GL_KIND_ANALYTIC_CODE_SET, "analytic_code_set", W, OWN, true, false, USED, false,
     dec_an_code_set},
    {GL_KIND_ANALYTIC_RULE_SET, "analytic_rule_set", W, OWN, true, false, USED, false,
     dec_an_rule_set},
    {GL_KIND_ANALYTIC_AXES, "analytic_axes", R, OWN, true, true, USED, false, EMPTY},
    {GL_KIND_ANALYTIC_ALLOC, "analytic_alloc", W, OWN, true, false, USED, false, dec_an_alloc},
    {GL_KIND_ANALYTIC_BALANCE, "analytic_balance", R, OWN, true, true, USED, false, dec_an_balance},
    {GL_KIND_ANALYTIC_LEDGER, "analytic_ledger", R, OWN, true, true, USED, false, dec_an_ledger},
    {GL_KIND_TIMESHEET_SET, "timesheet_set", W, OWN, true, false, USED, false, dec_timesheet_set},
    {GL_KIND_TIMESHEETS, "timesheets", R, OWN, true, true, USED, false, dec_timesheets},
    {GL_KIND_GRANT_SET, "grant_set", W, OWN, true, false, USED, false, dec_grant_set},
    {GL_KIND_GRANTS, "grants", R, OWN, true, true, USED, false, EMPTY},
    {GL_KIND_BUDGET_SET, "budget_set", W, OWN, true, false, USED, false, dec_budget_set},
    {GL_KIND_BUDGETS, "budgets", R, OWN, true, true, USED, false, dec_budgets},
    {GL_KIND_ASSET_SET, "asset_set", W, OWN, true, false, USED, false, dec_asset_set},
    {GL_KIND_ASSETS, "assets", R, OWN, true, true, USED, false, EMPTY},
    {GL_KIND_ASSET_POST, "asset_post", W, OWN, true, false, USED, false, dec_asset_post},
    {GL_KIND_RECHARGE_ADJUST, "recharge_adjust", W, NO, true, false, IGNORED, true,
     dec_recharge_adjust},
};

const gl_kind_info *gl_kind_table(size_t *count)
{
    *count = sizeof kinds / sizeof kinds[0];
    return kinds;
}

const gl_kind_info *gl_kind_info_of(uint16_t kind)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (kinds[i].kind == kind)
            return &kinds[i];
    return NULL;
}

int gl_body_decode(uint16_t kind, const uint8_t *body, size_t len, gl_body *out, uint32_t *bad_item)
{
    memset(out, 0, sizeof *out);
    *bad_item = 0;
    const gl_kind_info *k = gl_kind_info_of(kind);
    return k ? k->decode(body, len, out, bad_item) : GL_ERR_UNKNOWN_KIND;
}
