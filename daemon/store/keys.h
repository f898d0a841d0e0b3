/*
 * daemon/store/keys.h — builders for the big-endian composite keys listed in
 * store.h.  Fixed-width text fields (accounts, aux) are NUL-padded so that
 * "411" sorts before "4110".  Pure functions.
 */
#ifndef GL_KEYS_H
#define GL_KEYS_H

#include "proto/limits.h"
#include "proto/wire.h"

#include <stdint.h>

#define KEY_ACCOUNT_W GL_ACCOUNT_MAX
#define KEY_AUX_W GL_AUX_MAX

enum {
    KEY_ACCOUNTS_LEN = 4 + KEY_ACCOUNT_W,
    KEY_EVENTS_LEN = 4 + 8,
    KEY_ENTRIES_LEN = 4 + 2 + 4,
    KEY_BY_ACCOUNT_LEN = 4 + KEY_ACCOUNT_W + 4 + 2 + 4 + 2,
    KEY_BALANCES_LEN = 4 + 2 + KEY_ACCOUNT_W,
    KEY_DAILY_LEN = 4 + 2 + KEY_ACCOUNT_W + KEY_AUX_W + 4,
    KEY_REQUESTS_LEN = 32 + 8,
    KEY_ACCT_PERIOD_LEN = 4 + 2 + KEY_ACCOUNT_W + 4,
    KEY_LETTERED_LEN = 4 + 2 + 4 + 2,
};

void key_pad(uint8_t *dst, gl_str s, size_t width);
/* Text of a padded field (up to the first NUL) as a view into p. */
gl_str key_unpad(const uint8_t *p, size_t width);

void key_accounts(uint8_t k[KEY_ACCOUNTS_LEN], uint32_t tenant, gl_str account);
void key_events(uint8_t k[KEY_EVENTS_LEN], uint32_t tenant, uint64_t seq);
void key_entries(uint8_t k[KEY_ENTRIES_LEN], uint32_t tenant, uint16_t fy, uint32_t num);
void key_by_account(uint8_t k[KEY_BY_ACCOUNT_LEN], uint32_t tenant, gl_str account,
                    uint32_t date, uint16_t fy, uint32_t num, uint16_t line);
void key_balances(uint8_t k[KEY_BALANCES_LEN], uint32_t tenant, uint16_t fy, gl_str account);
void key_daily(uint8_t k[KEY_DAILY_LEN], uint32_t tenant, uint16_t fy, gl_str account,
               gl_str aux, uint32_t date);
/* acct_months (period = YYYYMM) and acct_days (period = YYYYMMDD). */
void key_acct_period(uint8_t k[KEY_ACCT_PERIOD_LEN], uint32_t tenant, uint16_t fy, gl_str account,
                     uint32_t period);
/* lettered: the letter code of one line of one entry. */
void key_lettered(uint8_t k[KEY_LETTERED_LEN], uint32_t tenant, uint16_t fy, uint32_t num, uint16_t line);
void key_requests(uint8_t k[KEY_REQUESTS_LEN], const uint8_t signer[32], uint64_t request_id);

#endif
