/*
 * daemon/store/keys.c — composite key builders; see keys.h.
 */
#include "keys.h"

#include "proto/assert.h"

#include <string.h>

void key_pad(uint8_t *dst, gl_str s, size_t width)
{
    GL_ASSERT(s.len <= width);
    memset(dst, 0, width);
    if (s.len)
        memcpy(dst, s.ptr, s.len);
}

gl_str key_unpad(const uint8_t *p, size_t width)
{
    size_t n = 0;
    while (n < width && p[n])
        n++;
    return (gl_str){(const char *)p, n};
}

void key_accounts(uint8_t k[KEY_ACCOUNTS_LEN], uint32_t tenant, gl_str account)
{
    gl_be32(k, tenant);
    key_pad(k + 4, account, KEY_ACCOUNT_W);
}

void key_events(uint8_t k[KEY_EVENTS_LEN], uint32_t tenant, uint64_t seq)
{
    gl_be32(k, tenant);
    gl_be64(k + 4, seq);
}

void key_entries(uint8_t k[KEY_ENTRIES_LEN], uint32_t tenant, uint16_t fy, uint32_t num)
{
    gl_be32(k, tenant);
    gl_be16(k + 4, fy);
    gl_be32(k + 6, num);
}

void key_by_account(uint8_t k[KEY_BY_ACCOUNT_LEN], uint32_t tenant, gl_str account,
                    uint32_t date, uint16_t fy, uint32_t num, uint16_t line)
{
    gl_be32(k, tenant);
    key_pad(k + 4, account, KEY_ACCOUNT_W);
    uint8_t *p = k + 4 + KEY_ACCOUNT_W;
    gl_be32(p, date);
    gl_be16(p + 4, fy);
    gl_be32(p + 6, num);
    gl_be16(p + 10, line);
}

void key_balances(uint8_t k[KEY_BALANCES_LEN], uint32_t tenant, uint16_t fy, gl_str account)
{
    gl_be32(k, tenant);
    gl_be16(k + 4, fy);
    key_pad(k + 6, account, KEY_ACCOUNT_W);
}

void key_daily(uint8_t k[KEY_DAILY_LEN], uint32_t tenant, uint16_t fy, gl_str account,
               gl_str aux, uint32_t date)
{
    gl_be32(k, tenant);
    gl_be16(k + 4, fy);
    key_pad(k + 6, account, KEY_ACCOUNT_W);
    key_pad(k + 6 + KEY_ACCOUNT_W, aux, KEY_AUX_W);
    gl_be32(k + 6 + KEY_ACCOUNT_W + KEY_AUX_W, date);
}

void key_requests(uint8_t k[KEY_REQUESTS_LEN], const uint8_t signer[32], uint64_t request_id)
{
    memcpy(k, signer, 32);
    gl_be64(k + 32, request_id);
}

void key_acct_period(uint8_t k[KEY_ACCT_PERIOD_LEN], uint32_t tenant, uint16_t fy, gl_str account,
                     uint32_t period)
{
    gl_be32(k, tenant);
    gl_be16(k + 4, fy);
    key_pad(k + 6, account, KEY_ACCOUNT_W);
    gl_be32(k + 6 + KEY_ACCOUNT_W, period);
}

void key_lettered(uint8_t k[KEY_LETTERED_LEN], uint32_t tenant, uint16_t fy, uint32_t num, uint16_t line)
{
    gl_be32(k, tenant);
    gl_be16(k + 4, fy);
    gl_be32(k + 6, num);
    gl_be16(k + 10, line);
}
