/*
 * daemon/carried.h — the lines a detailed close carried over (issue 17,
 * PROTOCOL §5.10 "settled by the close"): once fiscal year fy is closed
 * with an account carried detailed, each of fy's lines on that account
 * left open at the close is continued by an à-nouveaux line of fy+1 (its
 * open_item naming it), and the line itself is settled by the close.  The
 * open items after the close are the carried lines, never both (LEDGER's
 * OPEN_ITEMS and OPEN_AT filters, reader.c), and a settled line is not
 * lettered again (LETTER, 463 letter_carried_line).
 *
 * Nothing new is stored: the à-nouveaux entry of fy+1 (year_state's
 * opening entry) says which lines it carries.
 */
#ifndef GL_CARRIED_H
#define GL_CARRIED_H

#include "ledger.h"

#include "proto/entry.h"
#include "proto/limits.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct carried_origin {
    uint16_t fy, line;
    uint32_t num;
} carried_origin;

/* The origins the close of one fiscal year carried on one account: read
 * once per fiscal year and account (a ledger's rows come in date order,
 * so in fiscal year order; a lettering's lines are of one account).  Zero it before its first use; carried_free after. */
typedef struct carried_set {
    uint16_t fy;                      /* the year these are of; 0: none read yet */
    char account[GL_ACCOUNT_MAX + 1]; /* and the account */
    size_t account_len;
    uint32_t since;    /* the date of the à-nouveaux (fy+1's first day), 0 if fy is not closed */
    carried_origin *v; /* sorted */
    size_t n;
} carried_set;

void carried_free(carried_set *c);

/* Is line `line` of entry fy/num, on `account`, settled by fy's close (a
 * line the à-nouveaux of fy+1 carry)?  *since = the date from which it is
 * (the à-nouveaux' date), when *carried. */
int carried_line(gl_exec *x, carried_set *c, uint32_t tenant, gl_str account, uint16_t fy,
                 uint32_t num, uint16_t line, bool *carried, uint32_t *since);

/* Does the line carry an open_item (an à-nouveaux line of a detailed
 * account, not a balance)? */
int carried_is_item(gl_exec *x, uint32_t tenant, uint16_t fy, uint32_t num, uint16_t line,
                    bool *item);

#endif
