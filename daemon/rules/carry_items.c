/*
 * daemon/rules/carry_items.c — the open items of a detailed account at a
 * year's close: every line of the year on the account that is not lettered
 * when the close runs, read in the account's line order (by_account), each
 * with the open_item naming its origin (PROTOCOL §5.10, step 2).
 */
#include "carry.h"

#include "daemon/entries.h"
#include "daemon/store/keys.h"
#include "daemon/store/values.h"

#include "proto/assert.h"
#include "proto/status.h"

#include <stdlib.h>
#include <string.h>

static int item_push(carry_items *c, carry_item **out)
{
    if (c->count == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        carry_item *n = realloc(c->items, cap * sizeof *n);
        if (!n)
            return GL_ERR_INTERNAL;
        c->items = n;
        c->cap = cap;
    }
    *out = &c->items[c->count];
    (*out)->seq = c->count++;
    return GL_OK;
}

/* The line (fy, num, line) as an open item, pushed to out. */
static int item_of_line(gl_exec *x, uint32_t tenant, const key_parts *kp, carry_items *out)
{
    gl_entry e;
    store_entry raw;
    int st = ledger_read_entry(x->txn, tenant, kp->fy, kp->num, &e, &raw);
    if (st != GL_OK)
        return st == GL_ERR_NOT_FOUND ? GL_ERR_STORAGE : st;
    gl_line_iter it;
    gl_line l;
    gl_line_iter_init(&it, &e);
    for (uint16_t k = 0; k < kp->line; k++)
        if (!gl_line_next(&it, &l))
            return GL_ERR_STORAGE;
    carry_item *c;
    if ((st = item_push(out, &c)) != GL_OK)
        return st;
    memcpy(c->aux, l.aux.ptr, l.aux.len);
    c->aux[l.aux.len] = '\0';
    c->side = l.side;
    c->amount = l.amount_cents;
    gl_open_item o;
    if (!gl_line_open_item(l.ext, l.ext_len, &o)) /* else an earlier close's: kept */
        o = (gl_open_item){e.piece_ref, e.piece_date, kp->fy, kp->num, kp->line};
    c->ext_len = gl_open_item_put(c->ext, &o);
    return GL_OK;
}

int carry_items_collect(gl_exec *x, uint32_t tenant, uint16_t fy, uint32_t fy_start,
                        uint32_t fy_end, gl_str account, carry_items *out)
{
    uint8_t start[KEY_BY_ACCOUNT_LEN];
    key_by_account(start, tenant, account, fy_start, 0, 0, 0);
    store_scan s;
    int st =
        store_scan_begin(&s, x->txn, DB_BY_ACCOUNT, start, sizeof start, KEY_BY_ACCOUNT_PREFIX_LEN);
    while (st == GL_OK && store_scan_next(&s)) {
        key_parts kp;
        if (!key_by_account_parse(s.k, &kp)) {
            st = GL_ERR_STORAGE;
            break;
        }
        if (kp.date > fy_end)
            break;
        if (kp.fy != fy)
            continue;
        uint8_t k[KEY_LETTERED_LEN];
        store_val v;
        key_lettered(k, tenant, kp.fy, kp.num, kp.line);
        int got = store_get(x->txn, DB_LETTERED, k, sizeof k, &v);
        if (got == GL_OK)
            continue; /* lettered: closed */
        if (got != GL_ERR_NOT_FOUND)
            st = got;
        else
            st = item_of_line(x, tenant, &kp, out);
    }
    return store_scan_close(&s, st);
}
