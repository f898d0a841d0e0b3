/*
 * daemon/store/keys.h — builders and parsers for the big-endian composite
 * keys listed in store.h, one pair per key shape (keyring keys: see
 * keyring_store.h; tenants are keyed by their id's bytes, meta by a
 * name).  Fixed-width text fields (accounts, aux, letter codes) are
 * NUL-padded so that "411" sorts before "4110".  Pure functions.
 *
 * A parser checks the key's length (false if it is not the shape's) and
 * fills the fields of key_parts the shape holds; padded fields are views
 * into the key (key_unpad gives their text).  The *_PREFIX_LEN constants
 * are the leading bytes of a shape shared by the keys a scan walks
 * (store_scan): build a full key as the start and scan its first
 * PREFIX_LEN bytes.
 */
#ifndef GL_KEYS_H
#define GL_KEYS_H

#include "store.h"

#include "proto/limits.h"
#include "proto/query.h"
#include "proto/wire.h"

#include <stdbool.h>
#include <stdint.h>

#define KEY_ACCOUNT_W GL_ACCOUNT_MAX
#define KEY_AUX_W GL_AUX_MAX
#define KEY_CODE_W GL_LETTER_CODE_MAX

enum {
    KEY_TENANT_PREFIX_LEN = 4,        /* tenant u32: one tenant's keys */
    KEY_TENANT_FY_PREFIX_LEN = 4 + 2, /* tenant u32 | fy u16: one fiscal year's */
    KEY_ACCOUNTS_LEN = 4 + KEY_ACCOUNT_W,
    KEY_EVENTS_LEN = 4 + 8,
    KEY_ENTRIES_LEN = 4 + 2 + 4,
    KEY_BY_ACCOUNT_LEN = 4 + KEY_ACCOUNT_W + 4 + 2 + 4 + 2,
    KEY_BY_ACCOUNT_PREFIX_LEN = 4 + KEY_ACCOUNT_W, /* one account's lines */
    KEY_BALANCES_LEN = 4 + 2 + KEY_ACCOUNT_W,
    KEY_DAILY_LEN = 4 + 2 + KEY_ACCOUNT_W + KEY_AUX_W + 4,
    KEY_YEAR_ACCOUNT_PREFIX_LEN = 4 + 2 + KEY_ACCOUNT_W, /* daily, acct_*: one account's year */
    KEY_REQUESTS_LEN = 32 + 8,
    KEY_ENVELOPES_LEN = 8,
    KEY_PERIODS_LEN = 4 + 2,
    KEY_REVERSED_LEN = 4 + 2 + 4,
    KEY_LETTERS_LEN = 4 + KEY_ACCOUNT_W + KEY_CODE_W,
    KEY_LETTERED_LEN = 4 + 2 + 4 + 2,
    KEY_PARTNER_DAILY_LEN = 4 + 2 + 4 + KEY_ACCOUNT_W + 4,
    KEY_PARTNER_LINES_LEN = 4 + 4 + 2 + 4 + 4 + 2,
    KEY_PARTNER_LINES_YEAR_PREFIX_LEN = 4 + 4 + 2,          /* tenant | partner | fy */
    KEY_PARTNER_LINES_ENTRY_PREFIX_LEN = 4 + 4 + 2 + 4 + 4, /* ... | date | num: one entry's */
    KEY_RECHARGE_KEYS_LEN = 2,
    KEY_ACCT_PERIOD_LEN = 4 + 2 + KEY_ACCOUNT_W + 4,
    KEY_AUX_LABELS_LEN = 4 + KEY_AUX_W,
    KEY_YEAR_TOTALS_LEN = 4 + 2,
};

/* What is stored: these sizes are the layout of store.h (a change is a
 * schema change, store/upgrade.c). */
_Static_assert(KEY_ACCOUNTS_LEN == 24 && KEY_EVENTS_LEN == 12 && KEY_ENTRIES_LEN == 10,
               "store.h key sizes");
_Static_assert(KEY_BY_ACCOUNT_LEN == 36 && KEY_BALANCES_LEN == 26 && KEY_DAILY_LEN == 50,
               "store.h key sizes");
_Static_assert(KEY_REQUESTS_LEN == 40 && KEY_ENVELOPES_LEN == 8 && KEY_PERIODS_LEN == 6,
               "store.h key sizes");
_Static_assert(KEY_REVERSED_LEN == 10 && KEY_LETTERS_LEN == 28 && KEY_LETTERED_LEN == 12,
               "store.h key sizes");
_Static_assert(KEY_PARTNER_DAILY_LEN == 34 && KEY_PARTNER_LINES_LEN == 20, "store.h key sizes");
_Static_assert(KEY_RECHARGE_KEYS_LEN == 2 && KEY_ACCT_PERIOD_LEN == 30, "store.h key sizes");
_Static_assert(KEY_AUX_LABELS_LEN == 24 && KEY_YEAR_TOTALS_LEN == 6, "store.h key sizes");
_Static_assert(KEY_DAILY_LEN <= STORE_KEY_MAX, "every key fits a scan's start");

/* The fields of a parsed key (those its shape holds). */
typedef struct key_parts {
    uint32_t tenant, partner, num, date, period;
    uint16_t fy, line, version;
    uint64_t seq, envelope, request_id;
    const uint8_t *account; /* KEY_ACCOUNT_W padded bytes */
    const uint8_t *aux;     /* KEY_AUX_W padded bytes */
    const uint8_t *code;    /* KEY_CODE_W padded bytes */
    const uint8_t *signer;  /* 32 bytes */
} key_parts;

void key_pad(uint8_t *dst, gl_str s, size_t width);
/* Text of a padded field (up to the first NUL) as a view into p. */
gl_str key_unpad(const uint8_t *p, size_t width);

/* tenant u32 (KEY_TENANT_PREFIX_LEN) and tenant u32 | fy u16
 * (KEY_TENANT_FY_PREFIX_LEN): the start of a tenant's or a year's keys. */
void key_tenant(uint8_t k[KEY_TENANT_PREFIX_LEN], uint32_t tenant);
void key_tenant_fy(uint8_t k[KEY_TENANT_FY_PREFIX_LEN], uint32_t tenant, uint16_t fy);

void key_accounts(uint8_t k[KEY_ACCOUNTS_LEN], uint32_t tenant, gl_str account);
bool key_accounts_parse(store_val k, key_parts *p);
void key_events(uint8_t k[KEY_EVENTS_LEN], uint32_t tenant, uint64_t seq);
bool key_events_parse(store_val k, key_parts *p);
void key_entries(uint8_t k[KEY_ENTRIES_LEN], uint32_t tenant, uint16_t fy, uint32_t num);
bool key_entries_parse(store_val k, key_parts *p);
void key_by_account(uint8_t k[KEY_BY_ACCOUNT_LEN], uint32_t tenant, gl_str account, uint32_t date,
                    uint16_t fy, uint32_t num, uint16_t line);
bool key_by_account_parse(store_val k, key_parts *p);
void key_balances(uint8_t k[KEY_BALANCES_LEN], uint32_t tenant, uint16_t fy, gl_str account);
bool key_balances_parse(store_val k, key_parts *p);
void key_daily(uint8_t k[KEY_DAILY_LEN], uint32_t tenant, uint16_t fy, gl_str account, gl_str aux,
               uint32_t date);
bool key_daily_parse(store_val k, key_parts *p);
void key_requests(uint8_t k[KEY_REQUESTS_LEN], const uint8_t signer[32], uint64_t request_id);
bool key_requests_parse(store_val k, key_parts *p);
void key_envelopes(uint8_t k[KEY_ENVELOPES_LEN], uint64_t envelope);
bool key_envelopes_parse(store_val k, key_parts *p);
/* periods: fy 0 holds the tenant's lock, any other fy its year state. */
void key_periods(uint8_t k[KEY_PERIODS_LEN], uint32_t tenant, uint16_t fy);
bool key_periods_parse(store_val k, key_parts *p);
/* reversed: the entry (fy, num) that was reversed. */
void key_reversed(uint8_t k[KEY_REVERSED_LEN], uint32_t tenant, uint16_t fy, uint32_t num);
bool key_reversed_parse(store_val k, key_parts *p);
/* letters: a lettering of account under code; code "" holds the account's
 * next code index. */
void key_letters(uint8_t k[KEY_LETTERS_LEN], uint32_t tenant, gl_str account, gl_str code);
bool key_letters_parse(store_val k, key_parts *p);
/* lettered: the letter code of one line of one entry. */
void key_lettered(uint8_t k[KEY_LETTERED_LEN], uint32_t tenant, uint16_t fy, uint32_t num,
                  uint16_t line);
bool key_lettered_parse(store_val k, key_parts *p);
void key_partner_daily(uint8_t k[KEY_PARTNER_DAILY_LEN], uint32_t tenant, uint16_t fy,
                       uint32_t partner, gl_str account, uint32_t date);
bool key_partner_daily_parse(store_val k, key_parts *p);
void key_partner_lines(uint8_t k[KEY_PARTNER_LINES_LEN], uint32_t tenant, uint32_t partner,
                       uint16_t fy, uint32_t date, uint32_t num, uint16_t line);
bool key_partner_lines_parse(store_val k, key_parts *p);
void key_recharge_keys(uint8_t k[KEY_RECHARGE_KEYS_LEN], uint16_t version);
bool key_recharge_keys_parse(store_val k, key_parts *p);
/* acct_months (period = YYYYMM) and acct_days (period = YYYYMMDD). */
void key_acct_period(uint8_t k[KEY_ACCT_PERIOD_LEN], uint32_t tenant, uint16_t fy, gl_str account,
                     uint32_t period);
bool key_acct_period_parse(store_val k, key_parts *p);
void key_aux_labels(uint8_t k[KEY_AUX_LABELS_LEN], uint32_t tenant, gl_str aux);
bool key_aux_labels_parse(store_val k, key_parts *p);
/* third_parties: the same shape as aux_labels (tenant u32 | code[20]). */
#define key_third_parties key_aux_labels
#define KEY_THIRD_PARTIES_LEN KEY_AUX_LABELS_LEN
void key_year_totals(uint8_t k[KEY_YEAR_TOTALS_LEN], uint32_t tenant, uint16_t fy);
bool key_year_totals_parse(store_val k, key_parts *p);

#endif
