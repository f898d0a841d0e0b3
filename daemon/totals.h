/*
 * daemon/totals.h — a write-behind cache of the (debit, credit) totals a
 * request updates (balances, daily, per-account month and day totals,
 * per-partner totals, and its tenants' year and open-books totals).  A
 * batch of entries touches the same few keys again and again (the same
 * accounts on the same days): each key is read once,
 * updated in memory with every sum checked for overflow at the line that
 * causes it, and written once when the request's handler has finished,
 * before its nested transaction commits.  Nothing in a request reads these
 * databases back before the flush, except the year close, which does not
 * use the cache, and the class 8/9 checks (rules/classes.c), which flush it
 * into the request's transaction first (totals_flush may run any number of
 * times in a request).
 */
#ifndef GL_TOTALS_H
#define GL_TOTALS_H

#include "store/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TOTALS_KEY_MAX 64

typedef struct totals_slot {
    uint8_t key[TOTALS_KEY_MAX];
    uint8_t key_len;
    uint8_t db;
    bool used;
    int64_t debit, credit;
} totals_slot;

typedef struct totals_cache {
    totals_slot *slots;
    size_t cap, count;
} totals_cache;

void totals_init(totals_cache *c);
void totals_free(totals_cache *c);
/* The slot of (db, key), loaded from the store on first use. NULL with
 * *st set on a storage error or out of memory. */
totals_slot *totals_get(totals_cache *c, store_txn *t, enum store_db db, const uint8_t *key,
                        size_t key_len, int *st);
/* Write every slot and empty the cache. GL_OK or a storage status. */
int totals_flush(totals_cache *c, store_txn *t);
/* Forget every slot (the request was refused). */
void totals_discard(totals_cache *c);

#endif
