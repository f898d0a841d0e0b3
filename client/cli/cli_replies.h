/*
 * client/cli/cli_replies.h — requests several commands make for the same
 * reply, decoded once (proto/reply.h).
 */
#ifndef GL_CLI_REPLIES_H
#define GL_CLI_REPLIES_H

#include "client/cli/cli.h"
#include "proto/query.h"
#include "proto/reply.h"

/* PERIODS of tenant, decoded into *out (views into *resp, which the caller
 * frees in every case).  A reply that does not decode or names no first
 * month 1-12: "cannot read the daemon's reply (periods of TENANT)",
 * EXIT_REFUSED.  0 or an exit code. */
int cli_periods(cli *c, const char *tenant, gl_response *resp, gl_reply_periods *out);

/* The earliest fiscal year holding entries in p (its first row), 0 if
 * none: where `grandlivre lock` and the web's lock start when nothing is
 * locked. */
uint16_t cli_periods_first_fy(const gl_reply_periods *p);

/* The first month (1-12) of the fiscal years of the tenant of c. */
int cli_first_month(cli *c, unsigned *first_month);

/* Every row of the JOURNAL of tenant asked with *q, page after page (the
 * cursor carried in q, PROTOCOL.md §6; each page asked for before the one
 * before it goes to fn, so the daemon reads while fn writes), to fn, which
 * returns 0 to go on or an exit code that stops the walk.  Returns 0, an exit code (fn's, or
 * cli_call's after it reported the refusal, or EXIT_NOMEM), or -1 for a
 * page that does not decode: the caller says so. */
typedef int (*cli_journal_fn)(void *user, const gl_reply_journal_row *row);
int cli_journal(cli *c, const char *tenant, gl_journal_q *q, cli_journal_fn fn, void *user);

/* The months from a to b (YYYYMM, a <= b), both counted (cmd_lock.c). */
uint32_t cli_months_between(uint32_t a, uint32_t b);
/* The entries of tenant in each month from..through (YYYYMM), JOURNAL
 * read page after page, added to counts[0 .. months) and *entries: what
 * `grandlivre lock` and the web's lock page show before a lock
 * (cmd_lock.c).  cli_journal's return. */
int cli_count_months(cli *c, const char *tenant, uint32_t from, uint32_t through, uint32_t *counts,
                     uint64_t *entries);

#endif
