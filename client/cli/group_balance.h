/*
 * client/cli/group_balance.h — the group's combined trial balance read
 * whole, page after page (GROUP_BALANCE, proto/group.h), for `group
 * balance|statements`, `statements --group` and `export --group`.
 *
 * Every page after the first sends back the first page's watermark, so all
 * of them show the group as it stood then.  Each row has one column per
 * entity (the umbrella first), the eliminations, the adjustments (the
 * combination ledger's balances, [group] combination), and the combined total,
 * summed here with checked arithmetic: the daemon's caps on totals keep it
 * in range, and a reply that breaks that is named, never misread.
 *
 * Client-local statuses (never on the wire, proto/status.h):
 *   answer_too_large (950)  more rows than GROUP_ROWS_MAX or pages than
 *                           GROUP_PAGES_MAX
 *   sum_overflow (951)      a combined total (or a column total) leaves the
 *                           int64 range
 *   bad_reply (952)         a page does not decode, changes its watermark,
 *                           date or entities, or does not move forward
 */
#ifndef GL_GROUP_BALANCE_H
#define GL_GROUP_BALANCE_H

#include "cli.h"

#include "client/statements/statements.h"
#include "proto/limits.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* + eliminations, adjustments, combined, previous year */
#define GROUP_ENTITIES_MAX (STMT_COLS_MAX - 4)
#define GROUP_ROWS_MAX 10000000
#define GROUP_PAGES_MAX 100000

typedef struct group_balance {
    uint32_t at;
    uint64_t watermark;
    size_t entities, pages;
    char ids[GROUP_ENTITIES_MAX][GL_TENANT_MAX + 1];
    uint16_t fy[GROUP_ENTITIES_MAX];
    /* net[0 .. entities-1] per entity, net[GROUP_ELIM(g)] the eliminations,
     * net[GROUP_ADJ(g)] the adjustments, net[GROUP_COMBINED(g)] the
     * combined total */
    stmt_account *rows;
    /* per row: the intercompany lines left unpaired on the account (the
     * reciprocal-flow differences, écarts de réciprocité: in the combined
     * total, reported apart) */
    int64_t *gaps;
    char combination[GL_TENANT_MAX + 1]; /* the combination ledger, "" if none */
    uint16_t combination_fy;
    char (*accounts)[GL_ACCOUNT_MAX + 1];
    char (*labels)[GL_LABEL_MAX + 1];
    size_t count, cap;
    bool more;                     /* after the last page decoded */
    char next[GL_ACCOUNT_MAX + 1]; /* the cursor for the next page */
    char last[GL_ACCOUNT_MAX + 1]; /* the last account decoded ("" if none) */
    char why[160];                 /* what a client-local status is about */
} group_balance;

#define GROUP_ELIM(g) ((g)->entities)
#define GROUP_ADJ(g) ((g)->entities + 1)
#define GROUP_COMBINED(g) ((g)->entities + 2)
#define GROUP_COLS(g) ((g)->entities + 3)

/* The reciprocal-flow differences of g: [1] receivables and payables
 * (class 4), [2] revenues and expenses (classes 6-7), summed exactly. */
void group_balance_gaps(const group_balance *g, __int128 gaps[3]);
/* A sum of differences for printing: clamped to the int64 range. */
int64_t group_gap_i64(__int128 v);
/* The warning (stderr) when the differences are not zero. */
void group_gaps_warn(void);

/* Decode one page into g (rows appended, cursor and watermark updated; the
 * first page sets the date and entities).  GL_OK, GL_ERR_ANSWER_TOO_LARGE,
 * GL_ERR_SUM_OVERFLOW or GL_ERR_BAD_REPLY (g->why says more; the rows
 * already decoded stay). */
int group_balance_page(group_balance *g, const uint8_t *body, size_t len);
/* Point rows[i].account at accounts[i] (after the last page: the arrays
 * move while they grow). */
void group_balance_seal(group_balance *g);
void group_balance_free(group_balance *g);

/* The GROUP_BALANCE request at `at` of g's next page (the first while g
 * is zeroed) into body, initialised here and freed by the caller: the one
 * cursor both `grandlivre group balance` and the web's Groupe send. */
void group_balance_request(const group_balance *g, uint32_t at, gl_buf *body);
/* Read every page at date `at` into g (zeroed first).  0, or an exit code
 * after printing the refusal or the client-local status. */
int cli_group_balance(cli *c, uint32_t at, group_balance *g);

/* Print "grandlivre: error N name: message — why" for a client-local
 * status; returns EXIT_REFUSED. */
int cli_local_error(int status, const char *why);

#endif
