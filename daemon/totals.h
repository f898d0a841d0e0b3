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
#define TOTALS_ROW_MAX 16

/* What a slot holds.  TOTALS_LOADED: the stored pair, read at first use,
 * updated in memory, written back as it is.  The deferred kinds are never
 * read before the flush, which applies them in key order through one
 * cursor a table (LMDB then finds the next key in the leaf it is on, not
 * from the root, and no total is read before it is written: the analytic
 * indexes, whose keys a batch of entries scatters over one leaf per code
 * and per day; docs/benchmarks.md, "Analytic balance"): TOTALS_DELTA adds
 * (debit, credit) to the stored pair
 * (absent: 0, 0), each side checked (GL_ERR_TOTAL_LIMIT past the 64-bit
 * cent range, GL_ERR_STORAGE below 0); TOTALS_ROW_PUT writes the value
 * row[row_len]; TOTALS_ROW_DEL deletes the key, which must be there unless
 * must_exist is false (a row this request put, then took away). */
enum { TOTALS_LOADED, TOTALS_DELTA, TOTALS_ROW_PUT, TOTALS_ROW_DEL };

typedef struct totals_slot {
    uint8_t key[TOTALS_KEY_MAX];
    uint8_t key_len;
    uint8_t db;
    bool used;
    uint8_t kind;
    bool must_exist; /* TOTALS_ROW_DEL */
    uint8_t row_len; /* TOTALS_ROW_PUT */
    union {
        struct {
            int64_t debit, credit;
        };
        uint8_t row[TOTALS_ROW_MAX];
    };
} totals_slot;

typedef struct totals_cache {
    totals_slot *slots;
    size_t cap, count;
    totals_slot **deferred; /* the flush's sorted deferred slots */
    size_t deferred_cap;
} totals_cache;

void totals_init(totals_cache *c);
void totals_free(totals_cache *c);
/* The slot of (db, key), loaded from the store on first use. NULL with
 * *st set on a storage error or out of memory. */
totals_slot *totals_get(totals_cache *c, store_txn *t, enum store_db db, const uint8_t *key,
                        size_t key_len, int *st);
/* The deferred slot of (db, key): the one this request already has (its
 * kind says which), or a new one (*fresh true: the caller sets its kind
 * and value).  NULL with *st set when out of memory. */
totals_slot *totals_deferred(totals_cache *c, enum store_db db, const uint8_t *key, size_t key_len,
                             bool *fresh, int *st);
/* Write every slot and empty the cache. GL_OK or a storage status. */
int totals_flush(totals_cache *c, store_txn *t);
/* Forget every slot (the request was refused). */
void totals_discard(totals_cache *c);

#endif
