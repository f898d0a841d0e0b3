/*
 * proto/status.h — the one status enum of Grand Livre.
 *
 * Every refusal the daemon or the client can report has its own code here,
 * sent on the wire as a big-endian u16 and printed by the client as its name
 * and message.  Codes are grouped by the pipeline stage that produces them:
 *   1xx decode (malformed bytes), 2xx authenticate, 3xx authorise,
 *   4xx accounting rules, 5xx the daemon's own operating errors,
 *   6xx accounting rules continued (4xx is full; issue 20 on),
 *   9xx produced by the client locally (never sent by the daemon).
 * A code, once published, never changes meaning (proto/PROTOCOL.md lists them).
 */
#ifndef GL_STATUS_H
#define GL_STATUS_H

typedef enum gl_status {
    GL_OK = 0,

    /* 1xx: decode */
    GL_ERR_MALFORMED = 100, /* truncated or structurally wrong bytes */
    GL_ERR_BAD_MAGIC = 101,
    GL_ERR_VERSION = 102,
    GL_ERR_UNKNOWN_KIND = 103,
    GL_ERR_TRAILING_BYTES = 104,
    GL_ERR_STRING_TOO_LONG = 105,
    GL_ERR_STRING_INVALID = 106, /* not UTF-8, NUL or control byte, bad charset */
    GL_ERR_COUNT_LIMIT = 107,    /* more entries/lines/items than allowed */
    GL_ERR_TOO_LARGE = 108,      /* message larger than GL_MESSAGE_MAX */
    GL_ERR_BAD_DATE = 109,
    GL_ERR_BAD_SIDE = 110,
    GL_ERR_RESERVED_NONZERO = 111,
    GL_ERR_BAD_FILE_NAME = 112, /* BACKUP: not one plain file name */

    /* 2xx: authenticate */
    GL_ERR_BAD_SIGNATURE = 200,
    GL_ERR_UNKNOWN_KEY = 201,
    GL_ERR_REQUEST_ID_REUSED = 202,
    GL_ERR_STALE_TIMESTAMP = 203,
    GL_ERR_KEY_MISMATCH = 204, /* signer differs from the connection's key */
    GL_ERR_KEY_REVOKED = 205,
    GL_ERR_WRONG_LEDGER = 206, /* signed for another ledger (ledger id) */
    /* 207 is a body decode error: it sits here because protocol version 2
     * took the codes 206-207 together */
    GL_ERR_BAD_EXTENSION = 207, /* an extension area not in its one canonical form */

    /* 3xx: authorise */
    GL_ERR_FORBIDDEN_TENANT = 300,
    GL_ERR_FORBIDDEN_ROLE = 301,
    GL_ERR_UNKNOWN_TENANT = 302,

    /* 4xx: accounting rules */
    GL_ERR_NO_ENTRIES = 400,
    GL_ERR_TOO_FEW_LINES = 401,
    GL_ERR_AMOUNT_NOT_POSITIVE = 402,
    GL_ERR_UNBALANCED = 403,
    GL_ERR_OVERFLOW = 404,
    GL_ERR_UNKNOWN_ACCOUNT = 405,
    GL_ERR_ACCOUNT_EXISTS = 406,
    GL_ERR_BAD_ACCOUNT = 407,
    GL_ERR_BAD_JOURNAL = 408,
    GL_ERR_DATE_RANGE = 409,
    GL_ERR_NOT_FOUND = 410,
    GL_ERR_PERIOD_LOCKED = 411,
    GL_ERR_ALREADY_LOCKED = 412,
    GL_ERR_LOCK_ORDER = 413,
    GL_ERR_YEAR_CLOSED = 414,
    GL_ERR_PERIOD_OPEN = 415,
    GL_ERR_PREVIOUS_YEAR_OPEN = 416,
    GL_ERR_ALREADY_REVERSED = 417,
    GL_ERR_NOT_OPPOSITE = 418,
    GL_ERR_NOT_REVERSIBLE = 419,
    GL_ERR_LETTER_MISMATCH = 420,
    GL_ERR_ALREADY_LETTERED = 421,
    GL_ERR_LETTER_UNBALANCED = 422,
    GL_ERR_CLASS_UNBALANCED = 423,
    GL_ERR_KEYS_IN_USE = 424,
    GL_ERR_NO_GROUP = 425,
    GL_ERR_NOT_MEMBER = 426,
    GL_ERR_TOTAL_LIMIT =
        427, /* a debit or credit total would pass its cap (2^56; 2^52 for a member) */
    /* 428 reserved (issue 11, item 3) */
    GL_ERR_REPLY_TOO_LARGE = 429, /* a reply body would exceed GL_REPLY_BODY_MAX */
    GL_ERR_ACCOUNT_ABOLISHED = 430,
    /* 433-437: accounting guard rails (issue 13 items 1-3) */
    GL_ERR_CLASS_ENTRY_UNBALANCED = 433,
    GL_ERR_FIELD_REQUIRED = 434,
    GL_ERR_CLASS_YEAR_UNBALANCED = 435,
    GL_ERR_YEAR_TOTAL_LIMIT =
        436, /* a tenant's open books would pass their cap (2^55; 2^53 for a member) */
    GL_ERR_LOCK_AHEAD = 438, /* a lock beyond the daemon's current (French) month */
    GL_ERR_DATE_AHEAD = 439, /* an entry after the end of the fiscal year after the current one */
    GL_ERR_REVERSAL_EARLY = 440, /* a reversal dated before the entry it reverses */
    GL_ERR_VALID_DATE_AHEAD =
        441, /* a validation date after the day the daemon records the entry */
    GL_ERR_LETTER_DATE_AHEAD = 442, /* a lettering date after the day the daemon records it */
    GL_ERR_BAD_FILTER = 443,        /* a JOURNAL/LEDGER filter block with a field out of its rule */
    GL_ERR_UNKNOWN_THIRD_PARTY =
        444,                      /* a line on a collective account names no known third party */
    GL_ERR_BAD_THIRD_PARTY = 445, /* a third party's field out of its rule (SIRET, IBAN, ...) */
    GL_ERR_THIRD_PARTY_COLLECTIVE = 446, /* its collective account is not an open class 4 account */
    GL_ERR_THIRD_PARTY_EXISTS = 447,     /* THIRD_PARTY_SET add only: that code is registered */
    GL_ERR_PREDECESSOR_NOT_APPLIED =
        451, /* a POST naming the request it follows, which was not applied (fec import) */
    GL_ERR_REMINDER_LEVEL = 453,      /* a reminder level other than 1, 2 or 3 */
    GL_ERR_REMINDER_TWICE = 454,      /* one third party twice in one REMINDER_RECORD */
    GL_ERR_REMINDER_DATE_AHEAD = 455, /* a reminder dated after the day it is recorded */
    GL_ERR_OPEN_ITEM_RESERVED = 456,  /* a posted line carrying open_item: only a close writes it */
    GL_ERR_CARRY_MODE_UNCHANGED = 457,  /* CARRY_MODE_SET to the mode the account already has */
    GL_ERR_CARRY_MODE_CLASS = 458,      /* CARRY_MODE_SET on an account outside classes 1-5 */
    GL_ERR_RETENTION_NOT_EXPIRED = 459, /* FORGET before the person's records may be erased */
    GL_ERR_NO_PERSON_KEY = 460,         /* FORGET: that code never had a person key */
    GL_ERR_PERSON_FORGOTTEN = 461,      /* that person's key was destroyed (FORGET) */
    GL_ERR_PERSON_IN_CLEAR = 462,       /* POST: a natural person's name as a line's aux label */
    GL_ERR_LETTER_CARRIED_LINE = 463,   /* LETTER: a line a detailed close carried over */
    GL_ERR_PERSON_KEYS_FULL = 465,      /* PERSON_KEY: the tenant holds person_keys_max keys */
    GL_ERR_BANK_ACCOUNT_CLASS = 468, /* a bank account's ledger account is not an open 51 account */
    GL_ERR_BAD_BANK_ID = 469,        /* an IBAN (MOD 97-10) or BIC out of its rule */
    GL_ERR_BANK_NOT_REGISTERED = 470, /* BANK_IMPORT/BANK_LINES on an account never registered */
    GL_ERR_BANK_OTHER_ACCOUNT = 471,  /* a statement of another account than the registered one */
    GL_ERR_BANK_CURRENCY = 472,       /* a statement in another currency than the euro */
    GL_ERR_BANK_IBAN_TAKEN = 473,     /* an IBAN already registered on another ledger account */
    GL_ERR_BANK_LINE_UNKNOWN = 474,   /* BANK_MATCH: a seq not stored on that bank account */
    GL_ERR_BANK_LINE_MATCHED = 475,   /* a bank line in an active match, or twice in the request */
    GL_ERR_BANK_BOOK_LINE = 476,      /* a ledger line missing, on another account, or AN */
    GL_ERR_BANK_BOOK_MATCHED = 477,   /* a ledger line in an active match, or twice */
    GL_ERR_BANK_MATCH_UNBALANCED = 478, /* Σ bank amounts ≠ Σ ledger debit - credit */
    GL_ERR_BANK_MATCH_UNKNOWN = 479,    /* BANK_UNMATCH of a match not active */
    GL_ERR_BANK_RULE_INVALID =
        480, /* BANK_RULE_SET: a field out of its rule (the detail names it) */
    GL_ERR_BANK_RULE_UNKNOWN = 481, /* BANK_RULE_SET delete: no rule of that name */
    GL_ERR_BANK_RULES_FULL = 482, /* BANK_RULE_SET: GL_BANK_RULES_MAX rules on that bank account */
    GL_ERR_ANALYTIC_SPLIT_SUM = 483,    /* a line's shares on an axis do not sum to its amount */
    GL_ERR_ANALYTIC_AXIS_UNKNOWN = 484, /* an analytic axis not open for the tenant */
    GL_ERR_ANALYTIC_CODE_UNKNOWN = 485, /* an analytic code not open on its axis */
    GL_ERR_ANALYTIC_REQUIRED = 486,     /* a line without the axis a rule requires on its account */
    GL_ERR_ANALYTIC_IN_ENTRY = 487,     /* ANALYTIC_ALLOC of an axis the entry's line carries */
    GL_ERR_ANALYTIC_LINE_UNKNOWN = 488, /* ANALYTIC_ALLOC: no such line, an AN line, or twice */
    GL_ERR_ANALYTIC_INVALID = 489,      /* AXIS/CODE/RULE_SET: a field out of its rule */
    GL_ERR_ANALYTIC_FULL = 490,         /* as many axes, codes or rules as allowed */
    GL_ERR_TIMESHEET_HOURS_OVER = 491,  /* a year's hours beyond basis x 1,720 h (art. 55(3)) */
    GL_ERR_TIMESHEET_MONTH_OVER = 492,  /* a month's hours beyond what a month holds */
    GL_ERR_TIMESHEET_BASIS = 493,       /* TIMESHEET_SET: basis_per_mille out of 1..1000 */
    GL_ERR_TIMESHEET_YEAR_CLOSED = 494, /* TIMESHEET_SET: a month of a closed fiscal year */
    GL_ERR_TIMESHEET_INVALID = 495,     /* TIMESHEET_SET/TIMESHEETS: a field out of its rule */
    GL_ERR_GRANT_INVALID = 496,  /* GRANT_SET: a field out of its rule (the detail names it) */
    GL_ERR_GRANT_UNKNOWN = 497,  /* GRANT_SET delete: no grant of that code */
    GL_ERR_BUDGET_INVALID = 498, /* BUDGET_SET/BUDGETS: a field or row out of its rule */
    GL_ERR_BUDGET_FULL = 499,    /* as many budgets, or versions of one, as allowed */

    /* 6xx: accounting rules continued (issue 20 on) */
    GL_ERR_ASSET_INVALID = 600,       /* ASSET_SET: a field out of its rule (the detail names it) */
    GL_ERR_ASSET_EXISTS = 601,        /* ASSET_SET: the code is registered with other terms */
    GL_ERR_ASSET_UNKNOWN = 602,       /* ASSET_POST dispose: no asset of that code */
    GL_ERR_ASSET_ACQUISITION = 603,   /* ASSET_SET: the acquisition entry is not there or does
                                         not debit the asset's account */
    GL_ERR_ASSET_POSTED = 604,        /* ASSET_POST depreciate: that month is already posted */
    GL_ERR_ASSET_NOTHING = 605,       /* ASSET_POST depreciate: no asset in service by then */
    GL_ERR_ASSET_DISPOSED = 606,      /* ASSET_POST dispose: the asset is already disposed of */
    GL_ERR_ASSET_DISPOSAL_DATE = 607, /* ASSET_POST dispose: before its start or in a month
                                         already depreciated */
    GL_ERR_ASSET_FULL = 608,          /* ASSET_SET: the tenant holds GL_ASSETS_MAX assets */
    GL_ERR_ASSET_POST_INVALID = 609,  /* ASSET_POST: a field out of its rule */

    /* 5xx: the daemon's operating errors */
    GL_ERR_STORAGE = 500,
    GL_ERR_MAP_FULL = 501,
    GL_ERR_INTERNAL = 502,
    GL_ERR_SHUTTING_DOWN = 503,
    GL_ERR_BACKUP_DISABLED = 504, /* no [daemon] backup_dir */
    GL_ERR_BACKUP_EXISTS = 505,   /* the backup's name is taken */

    /* 6xx: accounting rules continued (issue 20 on) */
    GL_ERR_GROUP_ACCOUNT_CLASS = 610,  /* RECHARGE/DUES/ADJUST: an account not of its class */
    GL_ERR_GROUP_ACCOUNT_CLOSED = 611, /* RECHARGE/DUES/ADJUST: an account not open where written */
    GL_ERR_ADJUST_ZERO = 612,          /* RECHARGE_ADJUST: a member's true-up of 0 */
    GL_ERR_ADJUST_NO_ACCOUNTS = 613,   /* RECHARGE_ADJUST: the accounts block is missing */
    GL_ERR_ASSET_POST_LARGE = 614,     /* ASSET_POST: more entries than GL_ENTRIES_MAX */

    /* 9xx: client-side only */
    GL_ERR_TIMEOUT = 900,
    GL_ERR_CONNECT = 901,
    GL_ERR_KEYFILE = 902,
    GL_ERR_USAGE = 903,
    GL_ERR_INPUT = 904,
    GL_ERR_NOMEM = 905,
    GL_ERR_IO = 906,
    GL_ERR_ANSWER_TOO_LARGE = 950, /* more rows or pages than the client holds */
    GL_ERR_SUM_OVERFLOW = 951,     /* a sum the client computes leaves the int64 range */
    GL_ERR_BAD_REPLY = 952,        /* a reply the client cannot decode */
    GL_ERR_OUTPUT_EXISTS = 955,
    GL_ERR_OUTPUT_NOT_FILE = 956,
    GL_ERR_CONFIG_INVALID = 960,  /* the client's configuration file (file:line) */
    GL_ERR_PROFILE_EXISTS = 961,  /* config init: that profile exists; --force */
    GL_ERR_NO_PROFILE = 962,      /* --profile / GRANDLIVRE_PROFILE names no profile */
    GL_ERR_SPOOL = 963,           /* fec import: its temporary files ($TMPDIR) failed */
    GL_ERR_THIRD_PARTY_CSV = 964, /* third-parties import: a row of the CSV file out of its rule */
    GL_ERR_NO_THIRD_PARTY = 965,  /* third-parties show: no such code in the registry */
    GL_ERR_ANALYTIC_FILE = 966,   /* analytic codes import / allocate: a row out of its rule */
    GL_ERR_NO_DAEMON = 967,       /* nothing listens at the endpoint */
    GL_ERR_SERVER_KEY = 968,      /* the peer's CURVE key is not the pinned one */
    GL_ERR_BAD_DATE_TEXT = 969,   /* a command-line date (maybe partial) that does not exist */
    GL_ERR_EMPTY_RANGE = 970,     /* a command-line date range that holds no day */
    GL_ERR_RECON_OVERFLOW = 971,  /* bank report/status: a total beyond the 64-bit cent range */
    GL_ERR_PAYROLL_FILE_INVALID = 972, /* payroll import: a row of the file (line, column) */
    GL_ERR_PAYROLL_UNBALANCED = 973,   /* payroll import: the month's debits and credits differ */
    GL_ERR_PAYROLL_MONTHS = 974,       /* payroll import: rows of several months in one file */
    GL_ERR_FORMAT_UNSUPPORTED = 975,   /* --format F on a command with nothing to print in F */
    GL_ERR_BAD_CARRY_MODE = 976,       /* accounts carry-mode: neither detailed nor summarised */
    GL_ERR_TIMESHEET_CSV = 977,        /* timesheets import: a row of the CSV out of its rule */
    GL_ERR_HOURS_TEXT = 978,           /* timesheets set: hours not a number to the minute */
    GL_ERR_PAYROLL_POSTED = 982,     /* payroll import: the month's entry stands with other lines */
    GL_ERR_RECHARGE_PLAN_FILE = 985, /* recharge plan/check: a line of the plan out of its rule */
    GL_ERR_RECHARGE_MARGIN = 986,    /* recharge check: recharges exceed the cost base */
    GL_ERR_RECHARGE_DOUBLE = 987,    /* recharge check: recharges + funding exceed the costs */
    GL_ERR_ASSETS_FILE = 988,        /* assets import: the file or one of its assets */
    GL_ERR_NOT_CONFIRMED = 989,      /* depreciation / assets dispose: not confirmed */
} gl_status;

/* Short stable name, e.g. "unbalanced". Unknown codes give "unknown". */
const char *gl_status_name(int status);
/* One-sentence message for a person. Unknown codes give a generic text. */
const char *gl_status_message(int status);

#endif
