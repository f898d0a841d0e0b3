/*
 * daemon/asof.h — every account's totals of a fiscal year up to a date,
 * without scanning entries or days: the months before the date's month from
 * acct_months, then that month's days up to the date from acct_days.  At
 * most 12 + 31 rows and one seek per account.
 */
#ifndef GL_ASOF_H
#define GL_ASOF_H

#include "store/store.h"

#include <stdint.h>

/* fn(user, account (padded, KEY_ACCOUNT_W bytes), debit, credit); a nonzero
 * return stops the walk and is returned, except ASOF_STOP, which ends it
 * early with GL_OK. */
typedef int (*asof_fn)(void *user, const uint8_t *account, int64_t debit, int64_t credit);
#define ASOF_STOP (-1)

/* Accounts with a movement up to `at` inclusive, in account order.  `at` may
 * be GL_CLOSING_DAY to include a year's result-closing entry.  GL_OK,
 * GL_ERR_OVERFLOW, or a storage status. */
int asof_accounts(store_txn *t, uint32_t tenant, uint16_t fy, uint32_t at, asof_fn fn, void *user);
/* The same, from the account after `after` (padded, KEY_ACCOUNT_W bytes;
 * NULL: from the first), for paging. */
int asof_accounts_after(store_txn *t, uint32_t tenant, uint16_t fy, uint32_t at,
                        const uint8_t *after, asof_fn fn, void *user);

#endif
