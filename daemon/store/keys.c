/*
 * daemon/store/keys.c — composite key builders and parsers; see keys.h.
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

/* A parser's start: k is of the shape's length; p emptied. */
static bool parse_init(store_val k, size_t len, key_parts *p)
{
    memset(p, 0, sizeof *p);
    return k.len == len;
}

void key_tenant(uint8_t k[KEY_TENANT_PREFIX_LEN], uint32_t tenant) { gl_be32(k, tenant); }

void key_tenant_fy(uint8_t k[KEY_TENANT_FY_PREFIX_LEN], uint32_t tenant, uint16_t fy)
{
    gl_be32(k, tenant);
    gl_be16(k + 4, fy);
}

void key_accounts(uint8_t k[KEY_ACCOUNTS_LEN], uint32_t tenant, gl_str account)
{
    gl_be32(k, tenant);
    key_pad(k + 4, account, KEY_ACCOUNT_W);
}

bool key_accounts_parse(store_val k, key_parts *p)
{
    if (!parse_init(k, KEY_ACCOUNTS_LEN, p))
        return false;
    p->tenant = gl_rd32(k.ptr);
    p->account = k.ptr + 4;
    return true;
}

void key_events(uint8_t k[KEY_EVENTS_LEN], uint32_t tenant, uint64_t seq)
{
    gl_be32(k, tenant);
    gl_be64(k + 4, seq);
}

bool key_events_parse(store_val k, key_parts *p)
{
    if (!parse_init(k, KEY_EVENTS_LEN, p))
        return false;
    p->tenant = gl_rd32(k.ptr);
    p->seq = gl_rd64(k.ptr + 4);
    return true;
}

void key_entries(uint8_t k[KEY_ENTRIES_LEN], uint32_t tenant, uint16_t fy, uint32_t num)
{
    gl_be32(k, tenant);
    gl_be16(k + 4, fy);
    gl_be32(k + 6, num);
}

bool key_entries_parse(store_val k, key_parts *p)
{
    if (!parse_init(k, KEY_ENTRIES_LEN, p))
        return false;
    p->tenant = gl_rd32(k.ptr);
    p->fy = gl_rd16(k.ptr + 4);
    p->num = gl_rd32(k.ptr + 6);
    return true;
}

void key_by_account(uint8_t k[KEY_BY_ACCOUNT_LEN], uint32_t tenant, gl_str account, uint32_t date,
                    uint16_t fy, uint32_t num, uint16_t line)
{
    gl_be32(k, tenant);
    key_pad(k + 4, account, KEY_ACCOUNT_W);
    uint8_t *p = k + 4 + KEY_ACCOUNT_W;
    gl_be32(p, date);
    gl_be16(p + 4, fy);
    gl_be32(p + 6, num);
    gl_be16(p + 10, line);
}

bool key_by_account_parse(store_val k, key_parts *p)
{
    if (!parse_init(k, KEY_BY_ACCOUNT_LEN, p))
        return false;
    p->tenant = gl_rd32(k.ptr);
    p->account = k.ptr + 4;
    const uint8_t *q = k.ptr + 4 + KEY_ACCOUNT_W;
    p->date = gl_rd32(q);
    p->fy = gl_rd16(q + 4);
    p->num = gl_rd32(q + 6);
    p->line = gl_rd16(q + 10);
    return true;
}

void key_balances(uint8_t k[KEY_BALANCES_LEN], uint32_t tenant, uint16_t fy, gl_str account)
{
    key_tenant_fy(k, tenant, fy);
    key_pad(k + 6, account, KEY_ACCOUNT_W);
}

bool key_balances_parse(store_val k, key_parts *p)
{
    if (!parse_init(k, KEY_BALANCES_LEN, p))
        return false;
    p->tenant = gl_rd32(k.ptr);
    p->fy = gl_rd16(k.ptr + 4);
    p->account = k.ptr + 6;
    return true;
}

void key_daily(uint8_t k[KEY_DAILY_LEN], uint32_t tenant, uint16_t fy, gl_str account, gl_str aux,
               uint32_t date)
{
    key_tenant_fy(k, tenant, fy);
    key_pad(k + 6, account, KEY_ACCOUNT_W);
    key_pad(k + 6 + KEY_ACCOUNT_W, aux, KEY_AUX_W);
    gl_be32(k + 6 + KEY_ACCOUNT_W + KEY_AUX_W, date);
}

bool key_daily_parse(store_val k, key_parts *p)
{
    if (!parse_init(k, KEY_DAILY_LEN, p))
        return false;
    p->tenant = gl_rd32(k.ptr);
    p->fy = gl_rd16(k.ptr + 4);
    p->account = k.ptr + 6;
    p->aux = k.ptr + 6 + KEY_ACCOUNT_W;
    p->date = gl_rd32(k.ptr + 6 + KEY_ACCOUNT_W + KEY_AUX_W);
    return true;
}

void key_requests(uint8_t k[KEY_REQUESTS_LEN], const uint8_t signer[32], uint64_t request_id)
{
    memcpy(k, signer, 32);
    gl_be64(k + 32, request_id);
}

bool key_requests_parse(store_val k, key_parts *p)
{
    if (!parse_init(k, KEY_REQUESTS_LEN, p))
        return false;
    p->signer = k.ptr;
    p->request_id = gl_rd64(k.ptr + 32);
    return true;
}

void key_envelopes(uint8_t k[KEY_ENVELOPES_LEN], uint64_t envelope) { gl_be64(k, envelope); }

bool key_envelopes_parse(store_val k, key_parts *p)
{
    if (!parse_init(k, KEY_ENVELOPES_LEN, p))
        return false;
    p->envelope = gl_rd64(k.ptr);
    return true;
}

void key_periods(uint8_t k[KEY_PERIODS_LEN], uint32_t tenant, uint16_t fy)
{
    key_tenant_fy(k, tenant, fy);
}

static bool parse_tenant_fy(store_val k, key_parts *p)
{
    if (!parse_init(k, KEY_TENANT_FY_PREFIX_LEN, p))
        return false;
    p->tenant = gl_rd32(k.ptr);
    p->fy = gl_rd16(k.ptr + 4);
    return true;
}

bool key_periods_parse(store_val k, key_parts *p) { return parse_tenant_fy(k, p); }

void key_reversed(uint8_t k[KEY_REVERSED_LEN], uint32_t tenant, uint16_t fy, uint32_t num)
{
    key_entries(k, tenant, fy, num);
}

bool key_reversed_parse(store_val k, key_parts *p) { return key_entries_parse(k, p); }

void key_letters(uint8_t k[KEY_LETTERS_LEN], uint32_t tenant, gl_str account, gl_str code)
{
    gl_be32(k, tenant);
    key_pad(k + 4, account, KEY_ACCOUNT_W);
    key_pad(k + 4 + KEY_ACCOUNT_W, code, KEY_CODE_W);
}

bool key_letters_parse(store_val k, key_parts *p)
{
    if (!parse_init(k, KEY_LETTERS_LEN, p))
        return false;
    p->tenant = gl_rd32(k.ptr);
    p->account = k.ptr + 4;
    p->code = k.ptr + 4 + KEY_ACCOUNT_W;
    return true;
}

void key_lettered(uint8_t k[KEY_LETTERED_LEN], uint32_t tenant, uint16_t fy, uint32_t num,
                  uint16_t line)
{
    key_entries(k, tenant, fy, num);
    gl_be16(k + 10, line);
}

bool key_lettered_parse(store_val k, key_parts *p)
{
    if (!parse_init(k, KEY_LETTERED_LEN, p))
        return false;
    p->tenant = gl_rd32(k.ptr);
    p->fy = gl_rd16(k.ptr + 4);
    p->num = gl_rd32(k.ptr + 6);
    p->line = gl_rd16(k.ptr + 10);
    return true;
}

void key_partner_daily(uint8_t k[KEY_PARTNER_DAILY_LEN], uint32_t tenant, uint16_t fy,
                       uint32_t partner, gl_str account, uint32_t date)
{
    key_tenant_fy(k, tenant, fy);
    gl_be32(k + 6, partner);
    key_pad(k + 10, account, KEY_ACCOUNT_W);
    gl_be32(k + 10 + KEY_ACCOUNT_W, date);
}

bool key_partner_daily_parse(store_val k, key_parts *p)
{
    if (!parse_init(k, KEY_PARTNER_DAILY_LEN, p))
        return false;
    p->tenant = gl_rd32(k.ptr);
    p->fy = gl_rd16(k.ptr + 4);
    p->partner = gl_rd32(k.ptr + 6);
    p->account = k.ptr + 10;
    p->date = gl_rd32(k.ptr + 10 + KEY_ACCOUNT_W);
    return true;
}

void key_partner_lines(uint8_t k[KEY_PARTNER_LINES_LEN], uint32_t tenant, uint32_t partner,
                       uint16_t fy, uint32_t date, uint32_t num, uint16_t line)
{
    gl_be32(k, tenant);
    gl_be32(k + 4, partner);
    gl_be16(k + 8, fy);
    gl_be32(k + 10, date);
    gl_be32(k + 14, num);
    gl_be16(k + 18, line);
}

bool key_partner_lines_parse(store_val k, key_parts *p)
{
    if (!parse_init(k, KEY_PARTNER_LINES_LEN, p))
        return false;
    p->tenant = gl_rd32(k.ptr);
    p->partner = gl_rd32(k.ptr + 4);
    p->fy = gl_rd16(k.ptr + 8);
    p->date = gl_rd32(k.ptr + 10);
    p->num = gl_rd32(k.ptr + 14);
    p->line = gl_rd16(k.ptr + 18);
    return true;
}

void key_recharge_keys(uint8_t k[KEY_RECHARGE_KEYS_LEN], uint16_t version) { gl_be16(k, version); }

bool key_recharge_keys_parse(store_val k, key_parts *p)
{
    if (!parse_init(k, KEY_RECHARGE_KEYS_LEN, p))
        return false;
    p->version = gl_rd16(k.ptr);
    return true;
}

void key_acct_period(uint8_t k[KEY_ACCT_PERIOD_LEN], uint32_t tenant, uint16_t fy, gl_str account,
                     uint32_t period)
{
    key_tenant_fy(k, tenant, fy);
    key_pad(k + 6, account, KEY_ACCOUNT_W);
    gl_be32(k + 6 + KEY_ACCOUNT_W, period);
}

bool key_acct_period_parse(store_val k, key_parts *p)
{
    if (!parse_init(k, KEY_ACCT_PERIOD_LEN, p))
        return false;
    p->tenant = gl_rd32(k.ptr);
    p->fy = gl_rd16(k.ptr + 4);
    p->account = k.ptr + 6;
    p->period = gl_rd32(k.ptr + 6 + KEY_ACCOUNT_W);
    return true;
}

void key_aux_labels(uint8_t k[KEY_AUX_LABELS_LEN], uint32_t tenant, gl_str aux)
{
    gl_be32(k, tenant);
    key_pad(k + 4, aux, KEY_AUX_W);
}

bool key_aux_labels_parse(store_val k, key_parts *p)
{
    if (!parse_init(k, KEY_AUX_LABELS_LEN, p))
        return false;
    p->tenant = gl_rd32(k.ptr);
    p->aux = k.ptr + 4;
    return true;
}

void key_year_totals(uint8_t k[KEY_YEAR_TOTALS_LEN], uint32_t tenant, uint16_t fy)
{
    key_tenant_fy(k, tenant, fy);
}

bool key_year_totals_parse(store_val k, key_parts *p) { return parse_tenant_fy(k, p); }
