/*
 * proto/status.c — names and messages of every status code.
 * The table is the single source for the client's error output and for
 * the error code list in proto/PROTOCOL.md; keep the two in step.
 */
#include "status.h"

#include <stddef.h>

struct status_text {
    int code;
    const char *name;
    const char *message;
};

static const struct status_text status_texts[] = {
    {GL_OK, "ok", "success"},
    {GL_ERR_MALFORMED, "malformed", "the message is truncated or structurally invalid"},
    {GL_ERR_BAD_MAGIC, "bad_magic", "the message does not start with the Grand Livre magic bytes"},
    {GL_ERR_VERSION, "unsupported_version", "the protocol version is not supported"},
    {GL_ERR_UNKNOWN_KIND, "unknown_kind", "the request kind is unknown"},
    {GL_ERR_TRAILING_BYTES, "trailing_bytes", "bytes remain after the end of the message"},
    {GL_ERR_STRING_TOO_LONG, "string_too_long", "a string is longer than its limit"},
    {GL_ERR_STRING_INVALID, "string_invalid",
     "a string is not valid UTF-8, holds a control byte, or breaks its character rules"},
    {GL_ERR_COUNT_LIMIT, "count_limit", "a count is zero where forbidden or above its limit"},
    {GL_ERR_TOO_LARGE, "too_large", "the message is larger than the protocol allows"},
    {GL_ERR_BAD_DATE, "bad_date", "a date is not a valid calendar date"},
    {GL_ERR_BAD_SIDE, "bad_side", "a line side is neither debit nor credit"},
    {GL_ERR_RESERVED_NONZERO, "reserved_nonzero", "a reserved field is not zero"},
    {GL_ERR_BAD_FILE_NAME, "bad_file_name",
     "a backup is named by one file name: 1-64 characters A-Z a-z 0-9 . _ -, not starting with a dot"},
    {GL_ERR_BAD_SIGNATURE, "bad_signature", "the signature does not verify"},
    {GL_ERR_UNKNOWN_KEY, "unknown_key", "the signing key is not in the keyring"},
    {GL_ERR_REQUEST_ID_REUSED, "request_id_reused",
     "this request id was already used by this key for a different request"},
    {GL_ERR_STALE_TIMESTAMP, "stale_timestamp",
     "the request timestamp is outside the accepted window (check the clock)"},
    {GL_ERR_KEY_MISMATCH, "key_mismatch",
     "the request is signed by a key other than the connection's"},
    {GL_ERR_KEY_REVOKED, "key_revoked", "the signing key has been revoked"},
    {GL_ERR_WRONG_LEDGER, "wrong_ledger",
     "the request is signed for another ledger (its ledger id is not this daemon's)"},
    {GL_ERR_BAD_EXTENSION, "bad_extension",
     "an extension area is malformed: item types must be 1-255 and strictly increasing, items must fill the area exactly, within its size limit"},
    {GL_ERR_FORBIDDEN_TENANT, "forbidden_tenant", "this key may not touch that tenant's books"},
    {GL_ERR_FORBIDDEN_ROLE, "forbidden_role", "this key's role may not make this request"},
    {GL_ERR_UNKNOWN_TENANT, "unknown_tenant", "no such tenant"},
    {GL_ERR_NO_ENTRIES, "no_entries", "the request holds no entries or items"},
    {GL_ERR_TOO_FEW_LINES, "too_few_lines", "an entry needs at least two lines"},
    {GL_ERR_AMOUNT_NOT_POSITIVE, "amount_not_positive",
     "a line amount must be a positive number of cents"},
    {GL_ERR_UNBALANCED, "unbalanced", "total debits do not equal total credits"},
    {GL_ERR_OVERFLOW, "overflow", "an amount or a total exceeds the 64-bit cent range"},
    {GL_ERR_UNKNOWN_ACCOUNT, "unknown_account", "the account is not open in this tenant's chart"},
    {GL_ERR_ACCOUNT_EXISTS, "account_exists", "the account is already open"},
    {GL_ERR_BAD_ACCOUNT, "bad_account",
     "an account number must be 1-20 characters A-Z 0-9, starting with a class digit 1-9"},
    {GL_ERR_BAD_JOURNAL, "bad_journal", "a journal code must be 1-8 characters A-Z 0-9"},
    {GL_ERR_DATE_RANGE, "date_range", "the date range is empty or reversed"},
    {GL_ERR_NOT_FOUND, "not_found", "no such item"},
    {GL_ERR_PERIOD_LOCKED, "period_locked", "the period of that date is locked"},
    {GL_ERR_ALREADY_LOCKED, "already_locked",
     "that period is already locked; a locked period never reopens"},
    {GL_ERR_LOCK_ORDER, "lock_order",
     "periods lock in order: the period right after the last locked one comes next"},
    {GL_ERR_YEAR_CLOSED, "year_closed",
     "that fiscal year is already closed; a closed year never reopens"},
    {GL_ERR_PERIOD_OPEN, "period_open",
     "every period of the fiscal year must be locked before it is closed"},
    {GL_ERR_PREVIOUS_YEAR_OPEN, "previous_year_open",
     "the previous fiscal year must be closed first"},
    {GL_ERR_ALREADY_REVERSED, "already_reversed", "that entry has already been reversed"},
    {GL_ERR_NOT_OPPOSITE, "not_opposite",
     "a reversal must carry the reversed entry's lines with debit and credit swapped"},
    {GL_ERR_NOT_REVERSIBLE, "not_reversible", "entries written by a year close cannot be reversed"},
    {GL_ERR_LETTER_MISMATCH, "letter_mismatch",
     "a line to letter is not on that account and auxiliary account, or is listed twice"},
    {GL_ERR_ALREADY_LETTERED, "already_lettered", "a line to letter is already lettered"},
    {GL_ERR_LETTER_UNBALANCED, "letter_unbalanced", "lettered lines must sum to zero"},
    {GL_ERR_CLASS_UNBALANCED, "class_unbalanced",
     "accounts outside classes 1-7 do not balance among themselves; the year cannot be carried forward"},
    {GL_ERR_KEYS_IN_USE, "keys_in_use",
     "that version of the allocation keys has been used and never changes"},
    {GL_ERR_NO_GROUP, "no_group", "no group is configured (a [group] section names the umbrella)"},
    {GL_ERR_NOT_MEMBER, "not_member", "that tenant is not a member of the group"},
    {GL_ERR_TOTAL_LIMIT, "total_limit",
     "a debit or credit total of an account would exceed its limit: 2^56 cents, or 2^52 cents by a member's own writes"},
    {GL_ERR_REPLY_TOO_LARGE, "reply_too_large",
     "the reply would exceed the largest message; ask for less (pages, a narrower request)"},
    {GL_ERR_ACCOUNT_ABOLISHED, "account_abolished",
     "the chart of that fiscal year (opened on or after 2025-01-01) abolished this account; the detail names its replacement"},
    {GL_ERR_CLASS_ENTRY_UNBALANCED, "class_entry_unbalanced",
     "an entry's class 8 lines, and its class 9 lines, must each sum to zero (unless it brings its fiscal year's class total closer to zero)"},
    {GL_ERR_FIELD_REQUIRED, "field_required",
     "an entry needs a piece reference and a label that are not blank"},
    {GL_ERR_CLASS_YEAR_UNBALANCED, "class_year_unbalanced",
     "class 8 or class 9 of that fiscal year does not sum to zero: its last month cannot be locked until an entry repairs it"},
    {GL_ERR_YEAR_TOTAL_LIMIT, "year_total_limit",
     "the debits of a tenant's fiscal years not yet closed would exceed their limit: 2^55 cents, or 2^53 cents by a member's own writes"},
    {GL_ERR_LOCK_AHEAD, "lock_ahead",
     "periods lock only up to the current month (French time) of the daemon's clock"},
    {GL_ERR_DATE_AHEAD, "date_ahead",
     "the entry is dated after the end of the fiscal year following the current one (the tenant's future_years)"},
    {GL_ERR_REVERSAL_EARLY, "reversal_early",
     "a reversal cannot be dated before the entry it reverses"},
    {GL_ERR_VALID_DATE_AHEAD, "valid_date_ahead",
     "an entry's validation date cannot be after the day it is recorded (French time)"},
    {GL_ERR_LETTER_DATE_AHEAD, "letter_date_ahead",
     "a lettering date cannot be after the day it is recorded (French time)"},
    {GL_ERR_BAD_FILTER, "bad_filter",
     "a search filter is empty, unknown to that request, or out of its rule"},
    {GL_ERR_UNKNOWN_THIRD_PARTY, "unknown_third_party",
     "a line on a collective account must name a third party of the tenant's registry"},
    {GL_ERR_BAD_THIRD_PARTY, "bad_third_party",
     "a third party's field is out of its rule (code, kind, SIRET, name, e-mail, IBAN, terms)"},
    {GL_ERR_THIRD_PARTY_COLLECTIVE, "third_party_collective",
     "a third party's collective account must be an open class 4 account of the tenant"},
    {GL_ERR_THIRD_PARTY_EXISTS, "third_party_exists",
     "that third party is already in the registry; set changes it"},
    {GL_ERR_PREDECESSOR_NOT_APPLIED, "predecessor_not_applied",
     "the request this one follows was not applied; nothing of this one was"},
    {GL_ERR_RETENTION_NOT_EXPIRED, "retention_not_expired",
     "the legal retention period of the entries naming that person has not expired (10 years "
     "after the end of their last fiscal year, Code de commerce L123-22); nothing was erased"},
    {GL_ERR_NO_PERSON_KEY, "no_person_key",
     "that code has no person key: nothing was sealed to it, nothing to forget"},
    {GL_ERR_PERSON_FORGOTTEN, "person_forgotten",
     "that person was forgotten: the key is destroyed and is never made again"},
    {GL_ERR_PERSON_IN_CLEAR, "person_in_clear",
     "a natural person's name is never written in clear: leave the line's aux label empty, "
     "the registry of third parties gives it"},
    {GL_ERR_STORAGE, "storage", "the daemon's storage failed; nothing was changed"},
    {GL_ERR_MAP_FULL, "storage_full",
     "no space: the ledger reached its configured maximum size (map_size_mb) or the disk is full; nothing was changed"},
    {GL_ERR_INTERNAL, "internal", "internal error; nothing was changed"},
    {GL_ERR_SHUTTING_DOWN, "shutting_down",
     "the daemon is stopping; retry later with the same request id"},
    {GL_ERR_BACKUP_DISABLED, "backup_disabled",
     "backups are disabled: the daemon's configuration names no backup_dir"},
    {GL_ERR_BACKUP_EXISTS, "backup_exists",
     "a file of that name already exists in the backup directory; it is never replaced"},
    {GL_ERR_TIMEOUT, "timeout",
     "no answer from the daemon within the timeout; a retry with the same request id is safe"},
    {GL_ERR_CONNECT, "connect", "cannot set up the connection to the daemon"},
    {GL_ERR_KEYFILE, "keyfile", "the key file is missing, unreadable or invalid"},
    {GL_ERR_USAGE, "usage", "invalid command-line usage"},
    {GL_ERR_INPUT, "input", "the input file is invalid"},
    {GL_ERR_NOMEM, "nomem", "out of memory"},
    {GL_ERR_IO, "io", "an input/output operation failed"},
    {GL_ERR_ANSWER_TOO_LARGE, "answer_too_large",
     "the daemon's answer holds more rows or pages than this client accepts"},
    {GL_ERR_SUM_OVERFLOW, "sum_overflow",
     "a sum computed by the client exceeds the 64-bit cent range"},
    {GL_ERR_BAD_REPLY, "bad_reply",
     "the daemon's reply cannot be decoded (truncated, inconsistent, or from another protocol version)"},
    {GL_ERR_OUTPUT_EXISTS, "output_exists", "the output file exists; --force replaces it"},
    {GL_ERR_OUTPUT_NOT_FILE, "output_not_file",
     "the output path is a symbolic link or not a regular file; it is never followed nor replaced"},
    {GL_ERR_CONFIG_INVALID, "config_invalid", "the client configuration file is invalid"},
    {GL_ERR_PROFILE_EXISTS, "profile_exists",
     "that profile exists in the client configuration file; --force replaces it"},
    {GL_ERR_NO_PROFILE, "no_profile", "no such profile in the client configuration file"},
    {GL_ERR_SPOOL, "spool",
     "a temporary file could not be written or read (set TMPDIR to a directory with room)"},
    {GL_ERR_THIRD_PARTY_CSV, "third_party_csv",
     "a row of the third-parties file is invalid; nothing was imported"},
    {GL_ERR_NO_THIRD_PARTY, "no_third_party", "no third party of that code in the registry"},
    {GL_ERR_NO_DAEMON, "no_daemon", "no daemon answering at the endpoint (nothing listens there)"},
    {GL_ERR_SERVER_KEY, "server_key", "the daemon's key is not the pinned server key"},
    {GL_ERR_BAD_DATE_TEXT, "bad_date_text",
     "a date (YYYY, YYYY-MM or YYYY-MM-DD) that does not exist"},
    {GL_ERR_EMPTY_RANGE, "empty_range", "the dates given hold no day: the start is after the end"},
    {GL_ERR_FORMAT_UNSUPPORTED, "format_unsupported",
     "this command has no output in that --format"},
};

static const struct status_text *status_find(int status)
{
    for (size_t i = 0; i < sizeof status_texts / sizeof status_texts[0]; i++)
        if (status_texts[i].code == status)
            return &status_texts[i];
    return NULL;
}

const char *gl_status_name(int status)
{
    const struct status_text *t = status_find(status);
    return t ? t->name : "unknown";
}

const char *gl_status_message(int status)
{
    const struct status_text *t = status_find(status);
    return t ? t->message : "unknown status code";
}
