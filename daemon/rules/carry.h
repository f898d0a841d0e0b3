/*
 * daemon/rules/carry.h — the open items of a detailed account that a close
 * carries over (issue 17; rules/carry_items.c, used by rules/close.c).
 */
#ifndef GL_RULES_CARRY_H
#define GL_RULES_CARRY_H

#include "daemon/ledger.h"

#include "proto/carry.h"
#include "proto/limits.h"

#include <stddef.h>
#include <stdint.h>

/* One line of the closed year still open at its end: its aux, side and
 * amount, and the open_item the à-nouveaux carry for it (the line's own
 * when it is itself an à-nouveaux line: the origin stays the invoice). */
typedef struct carry_item {
    char aux[GL_AUX_MAX + 1];
    uint8_t side;
    int64_t amount;
    uint8_t ext[GL_OPEN_ITEM_ITEM_MAX]; /* the line area's items */
    size_t ext_len;
    size_t seq; /* its place in the account's line order */
} carry_item;

typedef struct carry_items {
    carry_item *items;
    size_t count, cap;
} carry_items;

/* The unlettered lines of account in fiscal year fy, in the account's line
 * order (date, number, line); appended to *out (freed by the caller). */
int carry_items_collect(gl_exec *x, uint32_t tenant, uint16_t fy, uint32_t fy_start,
                        uint32_t fy_end, gl_str account, carry_items *out);

#endif
