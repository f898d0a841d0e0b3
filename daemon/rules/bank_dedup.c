/*
 * daemon/rules/bank_dedup.c — the duplicates of a BANK_IMPORT (see
 * bank_dedup.h): an open-addressing table of the request's (day, amount,
 * label hash), each with the counts earlier requests left in the day index
 * (read at its first line) and this request's own.
 */
#include "bank_dedup.h"

#include "daemon/store/bank_store.h"

#include "proto/status.h"

#include <stdlib.h>
#include <string.h>

typedef struct day_slot {
    bool used;
    uint32_t booking;
    int64_t amount_cents;
    uint8_t hash[BANK_LABEL_HASH_LEN];
    bank_day before;  /* stored by earlier requests */
    uint32_t refless; /* this request's lines without a reference so far */
    uint32_t claimed; /* this request's references recognised */
} day_slot;

struct bank_dedup {
    uint32_t tenant;
    gl_str account;
    uint8_t format; /* the file's (BANK_IMPORT's format) */
    uint32_t recognised;
    size_t mask;
    day_slot slots[];
};

bank_dedup *bank_dedup_new(uint16_t lines, uint32_t tenant, gl_str account, uint8_t format)
{
    size_t cap = 16;
    while (cap < 2 * (size_t)lines)
        cap *= 2;
    bank_dedup *d = calloc(1, sizeof *d + cap * sizeof d->slots[0]);
    if (d)
        *d = (bank_dedup){tenant, account, format, 0, cap - 1};
    return d;
}

void bank_dedup_free(bank_dedup *d) { free(d); }

uint32_t bank_dedup_recognised(const bank_dedup *d) { return d->recognised; }

/* l's slot, read from the day index the first time. */
static int slot_of(bank_dedup *d, store_txn *t, const gl_bank_line_w *l, day_slot **out)
{
    uint8_t hash[BANK_LABEL_HASH_LEN];
    bank_label_hash(l->label, hash);
    uint64_t h;
    memcpy(&h, hash, sizeof h);
    for (size_t i = (size_t)(h ^ l->booking ^ (uint64_t)l->amount_cents) & d->mask;;
         i = (i + 1) & d->mask) {
        day_slot *s = &d->slots[i];
        if (s->used && s->booking == l->booking && s->amount_cents == l->amount_cents &&
            !memcmp(s->hash, hash, sizeof hash)) {
            *out = s;
            return GL_OK;
        }
        if (!s->used) { /* at most one slot per line, half the table: never full */
            *s = (day_slot){.used = true, .booking = l->booking, .amount_cents = l->amount_cents};
            memcpy(s->hash, hash, sizeof hash);
            *out = s;
            return store_bank_day_get(t, d->tenant, d->account, l, &s->before);
        }
    }
}

int bank_dedup_line(bank_dedup *d, store_txn *t, const gl_bank_line_w *l, bool *already)
{
    day_slot *s;
    int st = slot_of(d, t, l, &s);
    *already = false;
    if (st != GL_OK)
        return st;
    if (!l->bank_ref.len) {
        *already = ++s->refless <= s->before.count;
    } else {
        uint32_t seq;
        st = store_bank_ref_get(t, d->tenant, d->account, l->bank_ref, &seq);
        if (st != GL_ERR_NOT_FOUND) {
            *already = st == GL_OK;
            return st;
        }
        if (s->claimed < s->before.count - s->before.covered[d->format]) {
            s->claimed++;
            d->recognised++;
            *already = true;
            return store_bank_ref_claim(t, d->tenant, d->account, l, d->format);
        }
    }
    return *already ? GL_OK : store_bank_day_count_line(t, d->tenant, d->account, l, d->format);
}
