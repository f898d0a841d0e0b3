/*
 * daemon/periods.h — a tenant's period locks and fiscal-year states.
 *
 * Locks: one "locked through" month per tenant (YYYYMM, 0 = nothing locked);
 * every month up to it is locked, so periods lock in order and never reopen.
 * Stored in the periods database under tenant u32 | fy u16 = 0.
 *
 * Year states (year_state, store/values.h): under tenant u32 | fy u16.  A
 * year with no record is open.
 */
#ifndef GL_PERIODS_H
#define GL_PERIODS_H

#include "store/store.h"
#include "store/values.h"

#include <stdbool.h>
#include <stdint.h>

int periods_locked_through(store_txn *t, uint32_t tenant, uint32_t *ym);
int periods_set_locked_through(store_txn *t, uint32_t tenant, uint32_t ym);
int periods_year(store_txn *t, uint32_t tenant, uint16_t fy, year_state *out);
int periods_set_year(store_txn *t, uint32_t tenant, uint16_t fy, const year_state *st);
/* Does the tenant have any entry in a fiscal year before fy? */
int periods_has_entries_before(store_txn *t, uint32_t tenant, uint16_t fy, bool *out);
/* The month after ym (YYYYMM), by gl_month_next: 0 if ym is not a valid
 * month (a locked-through month is one: LOCK checks it at decode). */
uint32_t periods_next_month(uint32_t ym);

#endif
