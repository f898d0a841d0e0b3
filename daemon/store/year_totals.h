/*
 * daemon/store/year_totals.h — the schema upgrade 2 -> 3: a tenant's debits
 * and credits per fiscal year and over its open books (`year_totals`,
 * store.h), computed for a ledger written before they were stored.
 */
#ifndef GL_YEAR_TOTALS_H
#define GL_YEAR_TOTALS_H

#include "store.h"

#include <stddef.h>

/* In t: for every tenant and fiscal year of `balances`, the sums of its
 * accounts' debit and credit totals into year_totals (tenant, fy), and the
 * sums over the fiscal years that `periods` does not mark closed into
 * year_totals (tenant, 0).  A sum past the int64 range (a ledger written
 * before any cap) is stored as INT64_MAX, so that the caps refuse every
 * further write to those books rather than wrap.  Every row is written
 * whole, so running it again writes the same.  GL_OK, or a store status
 * with a sentence in err. */
int store_year_totals_compute(store_txn *t, char *err, size_t err_len);

#endif
