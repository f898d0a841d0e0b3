/*
 * proto/kinds.h — the table of request kinds: PROTOCOL.md §5's table in
 * code, one row per kind.  A row says who handles the kind (the writer, the
 * reader or the transport thread), who may send it (per role, §4.2), what
 * its header tenant means, and how its body is decoded.
 *
 * The daemon admits a request by this table (daemon/admit.c: role and
 * tenant checks, the body decoded once into a gl_body that travels with the
 * request) and keeps its own table of handlers beside it
 * (daemon/handlers.c).  gl_kind_name, gl_kind_known and gl_kind_writes
 * (request.h) read it.  Adding a kind: its number in enum gl_kind, a row
 * here, its body's codec and union member, its handler, its PROTOCOL.md
 * section and row.
 *
 * The table is constant data; decoding never allocates: a decoded body
 * points into the bytes it was decoded from, which must outlive it.
 */
#ifndef GL_KINDS_H
#define GL_KINDS_H

#include "analytic.h"
#include "asset.h"
#include "backup.h"
#include "bank.h"
#include "bank_match.h"
#include "bank_rule.h"
#include "budget.h"
#include "carry.h"
#include "grant.h"
#include "group.h"
#include "query.h"
#include "reminder.h"
#include "request.h"
#include "third_party.h"
#include "seal.h"
#include "timesheet.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The thread that answers a kind (PROTOCOL.md §4.1). */
typedef enum gl_thread {
    GL_THREAD_WRITER = 1, /* changes the ledger: idempotent, group commit (§4.3, §4.4) */
    GL_THREAD_READER,     /* reads one snapshot */
    GL_THREAD_TRANSPORT,  /* answered at admission (STATS) */
} gl_thread;

/* What a member key may send (§4.2); 301 (forbidden_role) when NO. */
typedef enum gl_member_rule {
    GL_MEMBER_NO = 0,         /* "301" */
    GL_MEMBER_YES,            /* "yes": any header tenant rule applies as for the others */
    GL_MEMBER_OWN,            /* "own": its own tenant only (300 otherwise) */
    GL_MEMBER_OWN_EACH_ENTRY, /* "own (each entry)": and each entry's tenant (POST) */
    GL_MEMBER_OWN_SIGNED,     /* "own signed": only requests it signed (ENVELOPE's reader) */
} gl_member_rule;

/* What the header tenant means (§5). */
typedef enum gl_tenant_rule {
    GL_TENANT_USED = 1,         /* "used": names the books; allowed (300) and configured (302) */
    GL_TENANT_CHECKED,          /* "checked, not used": the same check, the body's tenants decide */
    GL_TENANT_IGNORED,          /* "ignored": any valid tenant, not checked */
    GL_TENANT_IGNORED_IF_EMPTY, /* "ignored if empty, else checked" */
} gl_tenant_rule;

/* A request body decoded by its kind's codec: one member per body layout
 * (the structs of query.h, group.h, backup.h).  Views point into the body
 * bytes. */
typedef union gl_body {
    gl_accounts_open accounts;            /* ACCOUNTS_OPEN, ACCOUNT_LABEL */
    gl_post post;                         /* POST */
    gl_balance_q balance;                 /* BALANCE */
    gl_journal_q journal;                 /* JOURNAL */
    gl_ledger_q ledger;                   /* LEDGER */
    gl_entry_ref entry_ref;               /* ENTRY_GET */
    gl_lock_q lock;                       /* LOCK */
    gl_close_q close;                     /* CLOSE_YEAR */
    gl_letter_q letter;                   /* LETTER */
    gl_unletter_q unletter;               /* UNLETTER */
    gl_carry_mode_q carry_mode;           /* CARRY_MODE_SET */
    gl_chain_q chain;                     /* CHAIN */
    uint64_t envelope;                    /* ENVELOPE */
    gl_str backup_name;                   /* BACKUP */
    gl_keys_q keys;                       /* KEYS_SET */
    uint16_t keys_version;                /* KEYS_GET */
    gl_recharge_q recharge;               /* RECHARGE */
    gl_dues_q dues;                       /* DUES */
    gl_group_balance_q group_balance;     /* GROUP_BALANCE */
    uint32_t at;                          /* GROUP_RECONCILE */
    gl_tp_set_q tp_set;                   /* THIRD_PARTY_SET */
    gl_tp_list_q tp_list;                 /* THIRD_PARTIES */
    gl_letter_batch_q letter_batch;       /* LETTER_BATCH */
    gl_reminder_q reminder;               /* REMINDER_RECORD */
    gl_str person_code;                   /* PERSON_KEY, FORGET */
    gl_bank_account bank_account;         /* BANK_ACCOUNT_SET */
    gl_bank_import_q bank_import;         /* BANK_IMPORT */
    gl_bank_lines_q bank_lines;           /* BANK_LINES */
    gl_bank_match_q bank_match;           /* BANK_MATCH */
    gl_bank_unmatch_q bank_unmatch;       /* BANK_UNMATCH */
    gl_bank_recon_q bank_recon;           /* BANK_RECON */
    gl_bank_matches_q bank_matches;       /* BANK_MATCHES */
    gl_bank_rule_set_q bank_rule_set;     /* BANK_RULE_SET */
    gl_str bank_account_name;             /* BANK_RULES: the ledger account */
    gl_an_axis_set_q an_axis_set;         /* ANALYTIC_AXIS_SET */
    gl_an_code_set_q an_code_set;         /* ANALYTIC_CODE_SET */
    gl_an_rule_set_q an_rule_set;         /* ANALYTIC_RULE_SET */
    gl_an_alloc_q an_alloc;               /* ANALYTIC_ALLOC */
    gl_an_balance_q an_balance;           /* ANALYTIC_BALANCE */
    gl_an_ledger_q an_ledger;             /* ANALYTIC_LEDGER */
    gl_timesheet timesheet;               /* TIMESHEET_SET */
    gl_ts_list_q timesheets;              /* TIMESHEETS */
    gl_grant_set_q grant_set;             /* GRANT_SET */
    gl_budget_set_q budget_set;           /* BUDGET_SET */
    gl_recharge_adjust_q recharge_adjust; /* RECHARGE_ADJUST */
    gl_budgets_q budgets;                 /* BUDGETS */
    gl_asset asset;                       /* ASSET_SET */
    gl_asset_post_q asset_post;           /* ASSET_POST */
} gl_body;

/* A body codec's decoder: GL_OK and *out filled, or the first error (with
 * *bad_item the 1-based item at fault for POST and the account lists, else
 * 0).  Never allocates. */
typedef int (*gl_body_decoder)(const uint8_t *body, size_t len, gl_body *out, uint32_t *bad_item);

typedef struct gl_kind_info {
    uint16_t kind;    /* its number (enum gl_kind) */
    const char *name; /* lower case, as in logs, details and statistics */
    gl_thread thread;
    gl_member_rule member;
    bool accountant; /* may the accountant send it (every kind today) */
    bool auditor;    /* may an auditor send it (301 otherwise) */
    gl_tenant_rule tenant;
    bool group;             /* a group request (§5.20) */
    gl_body_decoder decode; /* gl_body_decode_empty for an empty body */
} gl_kind_info;

/* The row of kind, or NULL if the protocol does not define it. */
const gl_kind_info *gl_kind_info_of(uint16_t kind);
/* The rows in order of kind number: *count gets their number. */
const gl_kind_info *gl_kind_table(size_t *count);

/* Decode a body of kind into out (zeroed first).  UNKNOWN_KIND for a kind
 * outside the table, else its decoder's status. */
int gl_body_decode(uint16_t kind, const uint8_t *body, size_t len, gl_body *out,
                   uint32_t *bad_item);
/* The codec of the empty bodies: GL_OK for no byte, TRAILING_BYTES else. */
int gl_body_decode_empty(const uint8_t *body, size_t len, gl_body *out, uint32_t *bad_item);

#endif
