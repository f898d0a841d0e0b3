/*
 * daemon/store/timesheet_store.h — the time sheets (issue 19, PROTOCOL.md
 * §5.53-§5.54, §9; schema 11), in the table analytic under tag 6:
 *
 *   analytic tenant u32 | 6 | employee[16] (NUL-padded) | month u32
 *            -> the sheet (proto/timesheet.h: the TIMESHEET_SET body
 *               as signed; never one of 0 rows: clearing a month deletes)
 *
 * NUL padding sorts "EMP1" before "EMP10", as the codes' byte order does:
 * a scan gives the sheets in (employee, month) order, and one employee's
 * months of a fiscal year are one range of keys.
 */
#ifndef GL_TIMESHEET_STORE_H
#define GL_TIMESHEET_STORE_H

#include "store.h"

#include "proto/timesheet.h"

#include <stdint.h>

/* The sheet of (employee, month): GL_OK (its views point into the stored
 * value: valid until the transaction writes), GL_ERR_NOT_FOUND,
 * GL_ERR_STORAGE (a value that does not decode). */
int store_ts_get(store_txn *t, uint32_t tenant, gl_str employee, uint32_t month, gl_timesheet *out);
/* Store s (count > 0) under its employee and month, replacing any. */
int store_ts_put(store_txn *t, uint32_t tenant, const gl_timesheet *s);
/* Delete the sheet of (employee, month): GL_OK or GL_ERR_NOT_FOUND. */
int store_ts_delete(store_txn *t, uint32_t tenant, gl_str employee, uint32_t month);

/* The sheets of months from..to (inclusive) of one employee, or of every
 * employee when employee is "", in (employee, month) order: fn(user,
 * sheet) for each (its views valid during the call); a status other than
 * GL_OK from fn stops the walk and is returned.  Each employee's months
 * are one seek: the walk reads only the sheets of the range. */
typedef int (*store_ts_fn)(void *user, const gl_timesheet *s);
int store_ts_each(store_txn *t, uint32_t tenant, gl_str employee, uint32_t from, uint32_t to,
                  store_ts_fn fn, void *user);

#endif
