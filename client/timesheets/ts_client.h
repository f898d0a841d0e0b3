/*
 * client/timesheets/ts_client.h — the time-sheet requests (PROTOCOL.md
 * §5.53, §5.54) as `timesheets` and `staff-costs` need them: TIMESHEETS
 * read into owned sheets (ts_batch, with each stored basis), and one
 * sheet sent.  Through the CLI's calls (refusals reported there).
 */
#ifndef GL_TS_CLIENT_H
#define GL_TS_CLIENT_H

#include "ts_input.h"

#include "client/cli/cli.h"

/* The sheets of fiscal year `year` (employee "" for all) added to out.
 * 0 or an exit code (reported). */
int ts_fetch(cli *c, uint16_t year, const char *employee, ts_batch *out);
/* One TIMESHEET_SET of s with basis (a fresh request id).  0 or an exit
 * code (the refusal reported). */
int ts_send(cli *c, const ts_sheet *s, uint16_t basis_per_mille);
/* The stored sheet of (employee, month) in b, or NULL. */
const ts_sheet *ts_find(const ts_batch *b, const char *employee, uint32_t month);
/* The basis of employee's sheet nearest month in b: the latest before
 * it, else the earliest after; 0 if b has none of that employee. */
uint16_t ts_basis_near(const ts_batch *b, const char *employee, uint32_t month);

/* The sheets of fiscal year `year` into b and the staff costs, rates and
 * allocations of that year into y, as `staff-costs` shows them
 * (cmd_staff_costs.c; also the FSE report's rates).  0 or an exit code
 * (reported). */
struct sc_year;
struct gl_an_call;
int staff_year_load(cli *c, struct gl_an_call *k, uint16_t year, ts_batch *b, struct sc_year *y);

#endif
