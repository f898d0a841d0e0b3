/*
 * client/verify/verify.c — offline verification of an archive (what is
 * checked, and what cannot be, is in verify.h).
 *
 * The work is one pass over each archived tenant's chain in sequence order,
 * replaying what the daemon did with what the archive holds: a balance per
 * (fiscal year, account, auxiliary account), the accounts opened, the
 * periods locked, the years closed, the entries by number (for reversals and
 * lettering), the lines lettered.  Before it, one pass indexes every entry
 * event of every tenant by (envelope, item), so that the two halves of a
 * recharge or of dues, which live in two tenants' chains, can be compared.
 * Signed requests are decoded and their signatures verified once each
 * (a batch of 10,000 entries is one signature), and the items of a POST or
 * ACCOUNTS_OPEN body are located once.
 *
 * Nothing here trusts the archive: every count and string comes through a
 * bounded decoder, amounts are summed with overflow checks, and the proto
 * helpers that assert their inputs (gl_line_signed, gl_date_paris on absurd
 * times) are only called on values already checked.  Verification stops at
 * the first problem; its message names the tenant, the event and the entry.
 * Memory: a few words per event and per (year, account, aux) balance.
 */
#include "verify.h"

#include "proto/accounts.h"
#include "proto/date.h"
#include "proto/entry.h"
#include "proto/group.h"
#include "proto/hash.h"
#include "proto/money.h"
#include "proto/query.h"
#include "proto/request.h"
#include "proto/rules.h"
#include "proto/status.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RECHARGE_REVENUE GL_ACCOUNT_RECHARGE_REVENUE
#define RECHARGE_EXPENSE GL_ACCOUNT_RECHARGE_EXPENSE
#define DUES_REVENUE GL_ACCOUNT_DUES_REVENUE
#define DUES_EXPENSE GL_ACCOUNT_DUES_EXPENSE
#define RECEIVABLE GL_ACCOUNT_RECEIVABLE
#define PAYABLE GL_ACCOUNT_PAYABLE
#define RESULT_SURPLUS GL_ACCOUNT_RESULT_SURPLUS
#define RESULT_DEFICIT GL_ACCOUNT_RESULT_DEFICIT

/* Recorded times outside [1970, 3000) are refused before any date is
 * computed from them. */
#define TIME_MAX_MS 32503680000000LL

const char *gl_verify_problem_name(int p)
{
    switch (p) {
    case GL_VP_NONE: return "none";
    case GL_VP_ARCHIVE: return "archive";
    case GL_VP_SEQUENCE: return "sequence";
    case GL_VP_RECORD: return "record";
    case GL_VP_LINK: return "link";
    case GL_VP_HASH: return "hash";
    case GL_VP_HEAD: return "head";
    case GL_VP_ENVELOPE: return "envelope";
    case GL_VP_SIGNATURE: return "signature";
    case GL_VP_KEY: return "key";
    case GL_VP_REQUEST: return "request";
    case GL_VP_NUMBERING: return "numbering";
    case GL_VP_UNBALANCED: return "unbalanced";
    case GL_VP_RULE: return "rule";
    case GL_VP_CLOSING: return "closing";
    case GL_VP_GROUP: return "group";
    case GL_VP_TRIAL_BALANCE: return "trial_balance";
    default: return "unknown";
    }
}

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

static int str_cmp(gl_str a, gl_str b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    int c = n ? memcmp(a.ptr, b.ptr, n) : 0;
    if (c)
        return c;
    return a.len < b.len ? -1 : a.len > b.len;
}

/* qsort and memcpy that accept an empty (maybe NULL) array. */
static void sort_items(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(base, n, size, cmp);
}

static void copy_bytes(void *dst, const void *src, size_t n)
{
    if (n)
        memcpy(dst, src, n);
}

static bool str_eq(gl_str a, gl_str b) { return a.len == b.len && (a.len == 0 || !memcmp(a.ptr, b.ptr, a.len)); }
static gl_str cstr(const char *s) { return (gl_str){s, strlen(s)}; }

static int64_t signed_amount(const gl_line *l) { return l->side == GL_SIDE_DEBIT ? l->amount_cents : -l->amount_cents; }

static void fingerprint(const uint8_t pk[32], char out[20])
{
    uint8_t h[32];
    char hex[17];
    crypto_generichash(h, sizeof h, pk, 32, NULL, 0);
    sodium_bin2hex(hex, sizeof hex, h, 8);
    snprintf(out, 20, "%.4s-%.4s-%.4s-%.4s", hex, hex + 4, hex + 8, hex + 12);
}

static void iso_time(int64_t ms, char out[32])
{
    if (ms < 0 || ms >= TIME_MAX_MS) {
        snprintf(out, 32, "%lld ms", (long long)ms);
        return;
    }
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static const char *money(int64_t cents, char out[GL_MONEY_TEXT_MAX])
{
    return gl_money_format(cents, GL_MONEY_PLAIN, out);
}

static bool accountant_only(uint16_t kind)
{
    return kind == GL_KIND_LOCK || kind == GL_KIND_CLOSE_YEAR || kind == GL_KIND_RECHARGE || kind == GL_KIND_DUES ||
           kind == GL_KIND_KEYS_SET;
}


/* ------------------------------------------------------------------ */
/* An open-addressing hash map of fixed-size keys and values          */
/* ------------------------------------------------------------------ */

typedef struct map {
    uint8_t *slots;
    size_t cap, count;
    size_t key_len;                    /* the key's own size */
    size_t key_size, val_size, stride; /* sizes rounded up to 8 */
} map;

static void map_init(map *m, size_t key_size, size_t val_size)
{
    memset(m, 0, sizeof *m);
    m->key_len = key_size;
    m->key_size = (key_size + 7) & ~(size_t)7;
    m->val_size = (val_size + 7) & ~(size_t)7;
    m->stride = 8 + m->key_size + m->val_size;
}

static void map_free(map *m)
{
    free(m->slots);
    m->slots = NULL;
    m->cap = m->count = 0;
}

static uint64_t hash_key(const void *key, size_t n)
{
    uint64_t h = gl_fnv1a64(key, n);
    return h ^ (h >> 29);
}

static uint8_t *slot_at(const map *m, size_t i) { return m->slots + i * m->stride; }

static bool map_grow(map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    if (cap > SIZE_MAX / m->stride)
        return false;
    uint8_t *slots = calloc(cap, m->stride);
    if (!slots)
        return false;
    map old = *m;
    m->slots = slots;
    m->cap = cap;
    for (size_t i = 0; i < old.cap; i++) {
        uint8_t *s = slot_at(&old, i);
        if (!s[0])
            continue;
        size_t j = hash_key(s + 8, m->key_len) & (cap - 1);
        while (slot_at(m, j)[0])
            j = (j + 1) & (cap - 1);
        memcpy(slot_at(m, j), s, m->stride);
    }
    free(old.slots);
    return true;
}

/* The value of key (zeroed when created); NULL if absent and !create, or
 * when memory ran out (*nomem set).  key must be key_size bytes with any
 * padding zeroed. */
static void *map_get(map *m, const void *key, bool create, bool *nomem)
{
    if (create && (m->count + 1) * 2 > m->cap && !map_grow(m)) {
        *nomem = true;
        return NULL;
    }
    if (!m->cap)
        return NULL;
    size_t j = hash_key(key, m->key_len) & (m->cap - 1);
    for (;;) {
        uint8_t *s = slot_at(m, j);
        if (!s[0])
            break;
        if (!memcmp(s + 8, key, m->key_len))
            return s + 8 + m->key_size;
        j = (j + 1) & (m->cap - 1);
    }
    if (!create)
        return NULL;
    uint8_t *s = slot_at(m, j);
    s[0] = 1;
    memcpy(s + 8, key, m->key_len);
    m->count++;
    return s + 8 + m->key_size;
}

/* Keys and values of the maps (padding zeroed with memset before use). */
typedef struct bal_key {
    uint16_t fy;
    uint8_t alen, xlen;
    char account[GL_ACCOUNT_MAX];
    char aux[GL_AUX_MAX];
} bal_key;
typedef struct bal_val {
    int64_t debit, credit;
} bal_val;
typedef struct acct_key {
    uint8_t len;
    char account[GL_ACCOUNT_MAX];
} acct_key;
typedef struct acct_val {
    uint32_t next_letter; /* the last letter index used */
    uint8_t opened;
    uint8_t label_len; /* the label as the chain stands: opening, then ACCOUNT_LABEL events */
    char label[GL_LABEL_MAX];
} acct_val;
typedef struct num_key {
    uint32_t num;
    uint16_t fy;
    uint16_t zero;
} num_key;
typedef struct num_val {
    uint32_t event; /* index in the tenant's events */
    uint8_t reversed;
} num_val;
typedef struct line_key {
    uint32_t num;
    uint16_t fy;
    uint16_t line;
} line_key;
typedef struct line_val {
    uint8_t lettered;
} line_val;
typedef struct letter_key {
    uint8_t alen;
    char account[GL_ACCOUNT_MAX];
    char code[GL_LETTER_CODE_MAX + 1];
} letter_key;
typedef struct letter_val {
    const uint8_t *refs;
    uint16_t count;
    uint8_t active;
} letter_val;

static bal_key make_bal_key(uint16_t fy, gl_str account, gl_str aux)
{
    bal_key k;
    memset(&k, 0, sizeof k);
    k.fy = fy;
    k.alen = (uint8_t)account.len;
    k.xlen = (uint8_t)aux.len;
    copy_bytes(k.account, account.ptr, account.len); /* lengths bounded by the decoder */
    copy_bytes(k.aux, aux.ptr, aux.len);
    return k;
}

static acct_key make_acct_key(gl_str account)
{
    acct_key k;
    memset(&k, 0, sizeof k);
    k.len = (uint8_t)account.len;
    copy_bytes(k.account, account.ptr, account.len);
    return k;
}

static num_key make_num_key(uint16_t fy, uint32_t num)
{
    num_key k;
    memset(&k, 0, sizeof k);
    k.fy = fy;
    k.num = num;
    return k;
}

/* ------------------------------------------------------------------ */
/* State                                                               */
/* ------------------------------------------------------------------ */

/* What is known of one envelope (parallel to archive->envelopes). */
typedef struct env_state {
    bool decoded, signature_ok, referenced, recorded_set;
    gl_request req;
    int64_t recorded_ms;
    /* POST: each entry's bytes; ACCOUNTS_OPEN: each item */
    const uint8_t **item_ptr;
    uint32_t *item_len;
    gl_account_item *accounts;
    uint32_t item_count;
    bool items_ready;
} env_state;

/* An entry event of some tenant, for lookups by (envelope, item). */
typedef struct index_row {
    uint64_t envelope;
    uint32_t item;
    uint16_t tenant;
    uint32_t event;
} index_row;

/* The events of one request within the current tenant's chain. */
typedef struct run {
    bool active;
    size_t env;
    uint16_t kind;
    uint32_t last_item;
    uint64_t last_seq;
    bool last_has_entry;
    uint16_t last_fy;
    uint32_t last_num;
    uint32_t *items;
    size_t item_count, item_cap;
    int64_t invoice_sum;
    bool saw_result, saw_opening, saw_close;
    uint16_t result_fy, opening_fy;
    uint32_t result_num, opening_num;
    int64_t result_cents;
} run;

typedef struct year_state {
    uint16_t fy;
    uint32_t next;
    gl_verify_year sum;
} year_state;

typedef struct tstate {
    bool active;
    uint16_t t;
    const gl_archive_tenant *at;
    uint8_t prev[GL_HASH_BYTES];
    /* where we are, for messages */
    uint64_t seq;
    const char *what;
    char what_buf[64];
    bool has_entry;
    uint16_t fy;
    uint32_t num;
    /* replayed ledger */
    map balances; /* bal_key -> bal_val */
    map accounts; /* acct_key -> acct_val */
    map numbers;  /* num_key -> num_val */
    map lines;    /* line_key -> line_val */
    map letters;  /* letter_key -> letter_val */
    map aux_labels; /* acct_key (the aux) -> gl_str: its first label */
    year_state *years;
    size_t year_count, year_cap;
    uint32_t locked_through;
    uint64_t last_envelope;
    uint64_t entries;
    run cur;
    run ended; /* the previous request's run, checked after the next event */
    bool ended_pending;
} tstate;

/* A recharge or dues entry whose other half, in another tenant's chain, is
 * compared once every chain has been checked on its own (so that an entry
 * altered in its own chain is named there first). */
typedef struct cross_check {
    uint16_t tenant, other;
    uint64_t seq;
    uint16_t fy;
    uint32_t num;
    uint64_t envelope;
    uint32_t other_item;
    int64_t amount;
} cross_check;

typedef struct vctx {
    const gl_archive *a;
    const gl_verify_opts *o;
    gl_verify_result *r;
    env_state *env;
    index_row *index;
    size_t index_count;
    uint64_t done, total;
    bool nomem;
    const gl_archive_tenant *umbrella;
    cross_check *cross;
    size_t cross_count, cross_cap;
    tstate ts;
} vctx;

static bool stopped(const vctx *v) { return v->r->problem != GL_VP_NONE || v->nomem; }

static bool problem(vctx *v, int kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool problem(vctx *v, int kind, const char *fmt, ...)
{
    gl_verify_result *r = v->r;
    if (stopped(v))
        return false;
    char what[600], where[128] = "";
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    const tstate *ts = &v->ts;
    if (ts->active) {
        const gl_str id = ts->at->id;
        if (ts->seq && ts->has_entry)
            snprintf(where, sizeof where, "%.*s: event %llu (entry %u/%u): ", (int)id.len, id.ptr,
                     (unsigned long long)ts->seq, ts->fy, ts->num);
        else if (ts->seq)
            snprintf(where, sizeof where, "%.*s: event %llu (%s): ", (int)id.len, id.ptr, (unsigned long long)ts->seq,
                     ts->what ? ts->what : "event");
        else
            snprintf(where, sizeof where, "%.*s: ", (int)id.len, id.ptr);
        snprintf(r->tenant, sizeof r->tenant, "%.*s", (int)id.len, id.ptr);
        r->seq = ts->seq;
        r->fy = ts->has_entry ? ts->fy : 0;
        r->num = ts->has_entry ? ts->num : 0;
    }
    snprintf(r->message, sizeof r->message, "%s%s", where, what);
    r->problem = kind;
    return false;
}

static bool out_of_memory(vctx *v)
{
    v->nomem = true;
    return false;
}

static year_state *year_get(vctx *v, uint16_t fy)
{
    tstate *ts = &v->ts;
    for (size_t i = 0; i < ts->year_count; i++)
        if (ts->years[i].fy == fy)
            return &ts->years[i];
    if (ts->year_count == ts->year_cap) {
        size_t cap = ts->year_cap ? ts->year_cap * 2 : 8;
        year_state *n = realloc(ts->years, cap * sizeof *n);
        if (!n) {
            out_of_memory(v);
            return NULL;
        }
        ts->years = n;
        ts->year_cap = cap;
    }
    year_state *y = &ts->years[ts->year_count++];
    memset(y, 0, sizeof *y);
    y->fy = fy;
    y->next = 1;
    y->sum.fy = fy;
    return y;
}

static year_state *year_find(tstate *ts, uint16_t fy)
{
    for (size_t i = 0; i < ts->year_count; i++)
        if (ts->years[i].fy == fy)
            return &ts->years[i];
    return NULL;
}

/* Decode the payload of an ENTRY (layout 1) or ENTRY2 (layout 2) event. */
static int entry_payload(const gl_event *ev, uint16_t *fy, uint32_t *num, gl_entry *e)
{
    return gl_event_entry(ev, fy, num, e);
}

/* The entry layout of a request's version: a version 1 request's entries
 * (posted, or written by the daemon for it) are in layout 1, for ever. */
static int request_layout(const gl_request *q)
{
    return q->version == GL_PROTOCOL_VERSION_1 ? GL_LAYOUT_1 : GL_LAYOUT_2;
}

/* A version 1 request is history: signed under the rules of its time, it
 * is judged by them.  Rules added with version 2 (the bidirectional
 * controls refused in text, issue 11 item 11b; locks no further than the
 * month they are recorded in, issue 13 item 4) apply to version 2 requests
 * only, every request made since: a ledger written before them still
 * verifies (nothing stored is rejected after the fact). */
static bool history(const gl_request *q) { return q->version == GL_PROTOCOL_VERSION_1; }

/* The request bodies, decoded under the text rule of their version: the
 * stored-text rule for history, the daemon's admission rule otherwise.
 * (The chain's records are the daemon's own: always stored text.) */
static int post_decode(const gl_request *q, gl_post *p, uint32_t *bad)
{
    return history(q) ? gl_post_decode_layout_stored(q->body, q->body_len, request_layout(q), p, bad)
                      : gl_post_decode_layout(q->body, q->body_len, request_layout(q), p, bad);
}

static int accounts_open_decode(const gl_request *q, gl_accounts_open *o, uint32_t *bad)
{
    return history(q) ? gl_accounts_open_decode_stored(q->body, q->body_len, o, bad)
                      : gl_accounts_open_decode(q->body, q->body_len, o, bad);
}

static int account_label_decode(const gl_request *q, gl_accounts_open *o, uint32_t *bad)
{
    return history(q) ? gl_account_label_decode_stored(q->body, q->body_len, o, bad)
                      : gl_account_label_decode(q->body, q->body_len, o, bad);
}

static int dues_decode(const gl_request *q, gl_dues_q *d)
{
    return history(q) ? gl_dues_q_decode_stored(q->body, q->body_len, d) : gl_dues_q_decode(q->body, q->body_len, d);
}

static int letter_decode(const gl_request *q, gl_letter_q *l)
{
    return history(q) ? gl_letter_q_decode_stored(q->body, q->body_len, l)
                      : gl_letter_q_decode(q->body, q->body_len, l);
}

static int unletter_decode(const gl_request *q, gl_unletter_q *u)
{
    return history(q) ? gl_unletter_q_decode_stored(q->body, q->body_len, u)
                      : gl_unletter_q_decode(q->body, q->body_len, u);
}

/* The entry of event i of tenant t (which was decoded once already). */
static bool entry_of(const vctx *v, const gl_archive_tenant *t, uint32_t i, gl_entry *e, uint16_t *fy, uint32_t *num)
{
    gl_event ev;
    if (i >= t->event_count || gl_event_decode(t->events[i].record, t->events[i].record_len, &ev) != GL_OK ||
        !gl_event_entry_layout(ev.type))
        return false;
    (void)v;
    return entry_payload(&ev, fy, num, e) == GL_OK;
}

/* ------------------------------------------------------------------ */
/* The entry index (every tenant, by envelope and item)               */
/* ------------------------------------------------------------------ */

static int index_cmp(const void *pa, const void *pb)
{
    const index_row *a = pa, *b = pb;
    if (a->envelope != b->envelope)
        return a->envelope < b->envelope ? -1 : 1;
    if (a->item != b->item)
        return a->item < b->item ? -1 : 1;
    if (a->tenant != b->tenant)
        return a->tenant < b->tenant ? -1 : 1;
    return a->event < b->event ? -1 : a->event > b->event;
}

static bool build_index(vctx *v)
{
    size_t n = 0;
    for (uint16_t t = 0; t < v->a->tenant_count; t++)
        n += v->a->tenants[t].has_chain ? v->a->tenants[t].event_count : 0;
    v->index = calloc(n ? n : 1, sizeof *v->index);
    if (!v->index)
        return out_of_memory(v);
    for (uint16_t t = 0; t < v->a->tenant_count; t++) {
        const gl_archive_tenant *at = &v->a->tenants[t];
        for (uint32_t i = 0; at->has_chain && i < at->event_count; i++) {
            gl_event ev;
            if (gl_event_decode(at->events[i].record, at->events[i].record_len, &ev) != GL_OK ||
                !gl_event_entry_layout(ev.type))
                continue;
            v->index[v->index_count++] = (index_row){ev.head.envelope, ev.head.item, t, i};
        }
    }
    sort_items(v->index, v->index_count, sizeof *v->index, index_cmp);
    return true;
}

/* The entry event (envelope, item) in tenant t's chain, or NULL. */
static const index_row *index_find(const vctx *v, uint64_t envelope, uint32_t item, uint16_t t)
{
    index_row key = {envelope, item, t, 0};
    size_t lo = 0, hi = v->index_count;
    while (lo < hi) { /* the first row >= key */
        size_t mid = lo + (hi - lo) / 2;
        if (index_cmp(&v->index[mid], &key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < v->index_count && v->index[lo].envelope == envelope && v->index[lo].item == item &&
        v->index[lo].tenant == t)
        return &v->index[lo];
    return NULL;
}

static int tenant_index(const vctx *v, const gl_archive_tenant *t) { return (int)(t - v->a->tenants); }

/* The tenant whose group code is code (NULL if none). */
static const gl_archive_tenant *tenant_by_code(const vctx *v, gl_str code)
{
    for (uint16_t i = 0; i < v->a->tenant_count; i++)
        if (code.len && str_eq(v->a->tenants[i].code, code))
            return &v->a->tenants[i];
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Envelopes, signatures and keys                                      */
/* ------------------------------------------------------------------ */

static bool env_items(vctx *v, env_state *es)
{
    if (es->items_ready)
        return true;
    const gl_request *q = &es->req;
    uint32_t bad;
    if (q->kind == GL_KIND_POST) {
        gl_post p;
        int st = post_decode(q, &p, &bad);
        if (st != GL_OK)
            return problem(v, GL_VP_REQUEST, "its signed request's body does not decode (entry %u: %s)", bad,
                           gl_status_name(st));
        es->item_ptr = calloc(p.count, sizeof *es->item_ptr);
        es->item_len = calloc(p.count, sizeof *es->item_len);
        if (!es->item_ptr || !es->item_len)
            return out_of_memory(v);
        gl_item_iter it;
        gl_entry e;
        gl_post_iter_init(&it, &p);
        while (gl_post_next(&it, &e)) {
            es->item_ptr[es->item_count] = e.raw;
            es->item_len[es->item_count++] = (uint32_t)e.raw_len;
        }
    } else if (q->kind == GL_KIND_ACCOUNTS_OPEN || q->kind == GL_KIND_ACCOUNT_LABEL) {
        gl_accounts_open o;
        int st = q->kind == GL_KIND_ACCOUNTS_OPEN ? accounts_open_decode(q, &o, &bad)
                                                  : account_label_decode(q, &o, &bad);
        if (st != GL_OK)
            return problem(v, GL_VP_REQUEST, "its signed request's body does not decode (item %u: %s)", bad,
                           gl_status_name(st));
        es->accounts = calloc(o.count, sizeof *es->accounts);
        if (!es->accounts)
            return out_of_memory(v);
        gl_item_iter it;
        gl_account_iter_init(&it, &o);
        while (gl_account_next(&it, &es->accounts[es->item_count]))
            es->item_count++;
    }
    es->items_ready = true;
    return true;
}

/* A version 2 request is signed for one ledger: the archive's.  (Version 1
 * requests named none: they verify under version 1 rules.) */
static bool for_this_ledger(vctx *v, const gl_request *q, uint64_t number)
{
    char got[2 * GL_LEDGER_ID_BYTES + 1], want[2 * GL_LEDGER_ID_BYTES + 1];
    sodium_bin2hex(got, sizeof got, q->ledger_id, GL_LEDGER_ID_BYTES);
    if (!v->a->has_ledger_id)
        return problem(v, GL_VP_ENVELOPE, "its signed request (envelope %llu) is signed for ledger %s, and this "
                       "archive (format %u) names no ledger to check it against", (unsigned long long)number, got,
                       GL_ARCHIVE_VERSION_1);
    if (memcmp(q->ledger_id, v->a->ledger_id, GL_LEDGER_ID_BYTES)) {
        sodium_bin2hex(want, sizeof want, v->a->ledger_id, GL_LEDGER_ID_BYTES);
        return problem(v, GL_VP_ENVELOPE, "its signed request (envelope %llu) is signed for ledger %s, not this "
                       "archive's ledger %s: a request made for another ledger", (unsigned long long)number, got,
                       want);
    }
    return true;
}

/* Decode and verify the envelope an event names (once per envelope). */
static env_state *open_envelope(vctx *v, uint64_t number, size_t *idx)
{
    const gl_archive_envelope *e = gl_archive_envelope_find(v->a, number);
    if (!e) {
        problem(v, GL_VP_ENVELOPE, "its signed request (envelope %llu) is not in the archive",
                (unsigned long long)number);
        return NULL;
    }
    *idx = (size_t)(e - v->a->envelopes);
    env_state *es = &v->env[*idx];
    es->referenced = true;
    if (!es->decoded) {
        int st = gl_request_decode_any(e->bytes, e->len, &es->req);
        if (st != GL_OK) {
            problem(v, GL_VP_ENVELOPE, "its signed request (envelope %llu) does not decode: %s",
                    (unsigned long long)number, gl_status_name(st));
            return NULL;
        }
        es->decoded = true;
    }
    if (!es->signature_ok) {
        if (gl_request_verify(&es->req) != GL_OK) {
            problem(v, GL_VP_SIGNATURE, "the signature of its request (envelope %llu) does not verify",
                    (unsigned long long)number);
            return NULL;
        }
        es->signature_ok = true;
    }
    if (es->req.version != GL_PROTOCOL_VERSION_1 && !for_this_ledger(v, &es->req, number))
        return NULL;
    return es;
}

static const char *role_name(uint8_t role)
{
    return role == GL_KEY_ROLE_MEMBER ? "member" : role == GL_KEY_ROLE_ACCOUNTANT ? "accountant" : "auditor";
}

/* May a key of this role (and member tenant) write this kind to the
 * current tenant?  A sentence in why when not. */
static bool role_allows(vctx *v, uint8_t role, gl_str key_tenant, uint16_t kind, char *why, size_t why_len)
{
    gl_str t = v->ts.at->id;
    if (role == GL_KEY_ROLE_AUDITOR) {
        snprintf(why, why_len, "an auditor's key, which may never write");
        return false;
    }
    if (role == GL_KEY_ROLE_MEMBER && !str_eq(key_tenant, t)) {
        snprintf(why, why_len, "a member key of %.*s, not valid for %.*s", (int)key_tenant.len, key_tenant.ptr,
                 (int)t.len, t.ptr);
        return false;
    }
    if (role == GL_KEY_ROLE_MEMBER && accountant_only(kind)) {
        snprintf(why, why_len, "a member key of %.*s, and only the accountant may %s", (int)key_tenant.len,
                 key_tenant.ptr, gl_kind_name(kind));
        return false;
    }
    return true;
}

/* The signer's authority over the current tenant at recorded_ms. */
static bool check_key(vctx *v, const gl_request *q, int64_t recorded_ms)
{
    char fp[20], when[32], why[160];
    fingerprint(q->signer, fp);
    iso_time(recorded_ms, when);
    const gl_verify_opts *o = v->o;
    gl_str t = v->ts.at->id;
    if (o && o->trusted) {
        bool listed = false, allowed = false;
        for (size_t i = 0; i < o->trusted_count && !allowed; i++) {
            const gl_trusted_key *k = &o->trusted[i];
            if (memcmp(k->pk, q->signer, 32))
                continue;
            listed = true;
            allowed = role_allows(v, k->role, cstr(k->tenant), q->kind, why, sizeof why);
        }
        if (!listed)
            return problem(v, GL_VP_KEY, "signed by key %s, which is not among the trusted keys (--keys)", fp);
        if (!allowed)
            return problem(v, GL_VP_KEY, "signed by key %s, trusted (--keys) only as %s", fp, why);
    }
    if (v->a->key_count == 0) {
        if (o && o->trusted)
            return true; /* no history to check times against: said in the summary */
        return problem(v, GL_VP_KEY, "the archive holds no keyring history and no --keys were given: "
                       "nothing says key %s may write to %.*s", fp, (int)t.len, t.ptr);
    }
    const gl_archive_key *found = NULL;
    bool known = false;
    for (uint32_t i = 0; i < v->a->key_count && !found; i++) { /* keys are few */
        const gl_archive_key *k = &v->a->keys[i];
        if (memcmp(k->signer, q->signer, 32))
            continue;
        known = true;
        if (k->since_ms <= recorded_ms && (k->until_ms == 0 || recorded_ms <= k->until_ms))
            found = k;
    }
    if (!known)
        return problem(v, GL_VP_KEY, "signed by key %s, which the keyring never held", fp);
    if (!found) {
        char spans[200] = "", from[32], until[32];
        size_t used = 0;
        int shown = 0;
        for (uint32_t i = 0; i < v->a->key_count && shown < 3; i++) {
            const gl_archive_key *k = &v->a->keys[i];
            if (memcmp(k->signer, q->signer, 32))
                continue;
            iso_time(k->since_ms, from);
            iso_time(k->until_ms, until);
            int w = snprintf(spans + used, sizeof spans - used, "%s%s to %s", shown ? ", " : "", from,
                             k->until_ms ? until : "now");
            if (w < 0 || (size_t)w >= sizeof spans - used)
                break;
            used += (size_t)w;
            shown++;
        }
        return problem(v, GL_VP_KEY, "signed by key %s, which was not valid at %s, when the daemon recorded it "
                       "(the keyring holds it from %s)", fp, when, spans);
    }
    if (!role_allows(v, found->role, found->tenant, q->kind, why, sizeof why))
        return problem(v, GL_VP_KEY, "signed by key %s ('%.*s', %s), %s", fp, (int)found->name.len, found->name.ptr,
                       role_name(found->role), why);
    return true;
}

/* ------------------------------------------------------------------ */
/* Runs: the events of one request in one chain                        */
/* ------------------------------------------------------------------ */

static bool run_push(vctx *v, run *r, uint32_t item)
{
    if (r->item_count == r->item_cap) {
        size_t cap = r->item_cap ? r->item_cap * 2 : 16;
        uint32_t *n = realloc(r->items, cap * sizeof *n);
        if (!n)
            return out_of_memory(v);
        r->items = n;
        r->item_cap = cap;
    }
    r->items[r->item_count++] = item;
    return true;
}

static gl_str entry_tenant_of(const uint8_t *raw, uint32_t len)
{
    gl_cur c;
    gl_cur_init_stored(&c, raw, len); /* an entry its request's decoder checked */
    gl_str t = gl_get_str8(&c, GL_TENANT_MAX);
    return gl_cur_status(&c) == GL_OK ? t : (gl_str){"", 0};
}

/* Everything a request should have written to this chain is there.  The
 * run's end is checked after the event that follows it, so that an entry
 * moved out of its request is named where it lands first. */
static bool end_run(vctx *v, run *r)
{
    tstate *ts = &v->ts;
    if (!r->active || stopped(v))
        return !stopped(v);
    r->active = false;
    env_state *es = &v->env[r->env];
    uint64_t number = v->a->envelopes[r->env].number;
    ts->seq = r->last_seq;
    ts->has_entry = r->last_has_entry;
    ts->fy = r->last_fy;
    ts->num = r->last_num;
    gl_str t = ts->at->id;
    bool is_umbrella = v->umbrella && str_eq(v->umbrella->id, t);
    if (r->kind == GL_KIND_POST) {
        size_t k = 0;
        for (uint32_t i = 0; i < es->item_count; i++) {
            if (!str_eq(entry_tenant_of(es->item_ptr[i], es->item_len[i]), t))
                continue;
            if (k < r->item_count && r->items[k] == i + 1) {
                k++;
                continue;
            }
            return problem(v, GL_VP_REQUEST, "its signed request (envelope %llu) posts entry %u to %.*s, which "
                           "is not in the chain", (unsigned long long)number, i + 1, (int)t.len, t.ptr);
        }
    } else if (r->kind == GL_KIND_CLOSE_YEAR) {
        if (!r->saw_close)
            return problem(v, GL_VP_CLOSING, "the year close (envelope %llu) has no close event",
                           (unsigned long long)number);
    } else if (r->kind == GL_KIND_DUES) {
        gl_dues_q q;
        if (dues_decode(&es->req, &q) != GL_OK)
            return problem(v, GL_VP_GROUP, "the dues request's body does not decode");
        for (uint16_t i = 0; i < q.count; i++) {
            uint32_t item = is_umbrella ? 2u * i + 1 : str_eq(q.items[i].tenant, t) ? 2u * i + 2 : 0;
            bool seen = false;
            for (size_t k = 0; item && k < r->item_count && !seen; k++)
                seen = r->items[k] == item;
            if (item && !seen)
                return problem(v, GL_VP_GROUP, "the dues request (envelope %llu) wrote entry %u to %.*s, which is "
                               "not in the chain", (unsigned long long)number, item, (int)t.len, t.ptr);
        }
    } else if (r->kind == GL_KIND_RECHARGE && is_umbrella) {
        gl_recharge_q q;
        if (gl_recharge_q_decode(es->req.body, es->req.body_len, &q) != GL_OK)
            return problem(v, GL_VP_GROUP, "the recharge request's body does not decode");
        if (r->last_item != 2 * r->item_count - 1)
            return problem(v, GL_VP_GROUP, "the recharge (envelope %llu) invoices are not items 1, 3, 5 …: one "
                           "is missing", (unsigned long long)number);
        if (r->invoice_sum != q.amount_cents) {
            char a[GL_MONEY_TEXT_MAX], b[GL_MONEY_TEXT_MAX];
            return problem(v, GL_VP_GROUP, "the recharge's shares sum to %s, its signed request says %s",
                           money(r->invoice_sum, a), money(q.amount_cents, b));
        }
    }
    return true;
}

/* The request an event belongs to: start a new run when it changes. */
static env_state *event_request(vctx *v, const gl_event *ev, uint64_t seq)
{
    tstate *ts = &v->ts;
    run *r = &ts->cur;
    if (!r->active || v->a->envelopes[r->env].number != ev->head.envelope) {
        if (r->active) { /* its end is checked once this event is */
            run ended = ts->ended;
            ts->ended = *r;
            *r = ended;
            ts->ended_pending = true;
        }
        if (ev->head.envelope <= ts->last_envelope)
            return problem(v, GL_VP_SEQUENCE, "its request (envelope %llu) comes after envelope %llu in the chain: "
                           "the events are out of order", (unsigned long long)ev->head.envelope,
                           (unsigned long long)ts->last_envelope), NULL;
        size_t idx;
        env_state *es = open_envelope(v, ev->head.envelope, &idx);
        if (!es)
            return NULL;
        if (!gl_kind_writes(es->req.kind))
            return problem(v, GL_VP_REQUEST, "its request (envelope %llu) is a %s request, which writes nothing",
                           (unsigned long long)ev->head.envelope, gl_kind_name(es->req.kind)), NULL;
        if (!env_items(v, es))
            return NULL;
        uint32_t *items = r->items;
        size_t cap = r->item_cap;
        memset(r, 0, sizeof *r);
        r->items = items;
        r->item_cap = cap;
        r->active = true;
        r->env = idx;
        r->kind = es->req.kind;
        ts->last_envelope = ev->head.envelope;
    }
    env_state *es = &v->env[r->env];
    char a[20], b[20];
    if (memcmp(ev->head.signer, es->req.signer, 32)) {
        fingerprint(ev->head.signer, a);
        fingerprint(es->req.signer, b);
        return problem(v, GL_VP_ENVELOPE, "the event names signer %s, its request (envelope %llu) was signed by %s", a,
                       (unsigned long long)ev->head.envelope, b), NULL;
    }
    if (ev->head.request_id != es->req.request_id)
        return problem(v, GL_VP_ENVELOPE, "the event names request id %llu, its request (envelope %llu) has %llu",
                       (unsigned long long)ev->head.request_id, (unsigned long long)ev->head.envelope,
                       (unsigned long long)es->req.request_id), NULL;
    if (ev->head.recorded_ms < 0 || ev->head.recorded_ms >= TIME_MAX_MS)
        return problem(v, GL_VP_RECORD, "recorded at an impossible time (%lld ms)", (long long)ev->head.recorded_ms),
               NULL;
    if (!es->recorded_set) {
        es->recorded_ms = ev->head.recorded_ms;
        es->recorded_set = true;
    } else if (es->recorded_ms != ev->head.recorded_ms) {
        char t1[32], t2[32];
        iso_time(ev->head.recorded_ms, t1);
        iso_time(es->recorded_ms, t2);
        return problem(v, GL_VP_ENVELOPE, "recorded at %s, the other events of its request (envelope %llu) at %s", t1,
                       (unsigned long long)ev->head.envelope, t2), NULL;
    }
    if (r->item_count > 0 && ev->head.item <= r->last_item)
        return problem(v, GL_VP_SEQUENCE, "item %u of its request comes after item %u: the events are out of order "
                       "or repeated", ev->head.item, r->last_item), NULL;
    if (r->item_count == 0 && !check_key(v, &es->req, ev->head.recorded_ms))
        return NULL;
    if (!run_push(v, r, ev->head.item))
        return NULL;
    r->last_item = ev->head.item;
    r->last_seq = seq;
    r->last_has_entry = ts->has_entry;
    r->last_fy = ts->fy;
    r->last_num = ts->num;
    return es;
}

/* ------------------------------------------------------------------ */
/* Balances and entries                                                */
/* ------------------------------------------------------------------ */

static bool apply_entry(vctx *v, uint16_t fy, uint32_t num, uint32_t event, const gl_entry *e)
{
    tstate *ts = &v->ts;
    gl_line_iter it;
    gl_line l;
    gl_line_iter_init(&it, e);
    year_state *y = year_get(v, fy);
    if (!y)
        return false;
    while (gl_line_next(&it, &l)) {
        bal_key k = make_bal_key(fy, l.account, l.aux);
        bal_val *b = map_get(&ts->balances, &k, true, &v->nomem);
        if (!b)
            return false;
        int64_t *side = l.side == GL_SIDE_DEBIT ? &b->debit : &b->credit;
        int64_t *total = l.side == GL_SIDE_DEBIT ? &y->sum.debit_cents : &y->sum.credit_cents;
        if (!gl_money_add(side, l.amount_cents) || !gl_money_add(total, l.amount_cents))
            return problem(v, GL_VP_UNBALANCED, "account %.*s's total for %u exceeds the 64-bit cent range",
                           (int)l.account.len, l.account.ptr, fy);
        if (l.aux.len && l.aux_label.len) {
            acct_key ak = make_acct_key(l.aux);
            gl_str *label = map_get(&ts->aux_labels, &ak, true, &v->nomem);
            if (!label)
                return false;
            if (!label->ptr)
                *label = l.aux_label;
        }
    }
    num_key nk = make_num_key(fy, num);
    num_val *n = map_get(&ts->numbers, &nk, true, &v->nomem);
    if (!n)
        return false;
    n->event = event;
    y->sum.entries++;
    ts->entries++;
    return true;
}

/* One line of an entry, for comparisons independent of line order. */
typedef struct cline {
    gl_str account, aux;
    uint8_t side;
    int64_t amount;
} cline;

static int cline_cmp(const void *pa, const void *pb)
{
    const cline *a = pa, *b = pb;
    int c = str_cmp(a->account, b->account);
    if (!c)
        c = str_cmp(a->aux, b->aux);
    if (!c)
        c = (int)a->side - (int)b->side;
    if (!c)
        c = a->amount < b->amount ? -1 : a->amount > b->amount;
    return c;
}

static void cline_text(const cline *l, char *out, size_t out_len)
{
    char m[GL_MONEY_TEXT_MAX];
    snprintf(out, out_len, "%.*s%s%.*s %s %s", (int)l->account.len, l->account.ptr, l->aux.len ? "/" : "",
             (int)l->aux.len, l->aux.ptr, l->side == GL_SIDE_DEBIT ? "debit" : "credit", money(l->amount, m));
}

/* Compare an entry's lines with the expected ones (both sorted here). */
static bool same_lines(vctx *v, int kind, const char *what, const gl_entry *e, cline *want, size_t want_n)
{
    cline *got = calloc(e->line_count ? e->line_count : 1, sizeof *got);
    if (!got)
        return out_of_memory(v);
    gl_line_iter it;
    gl_line l;
    size_t n = 0;
    gl_line_iter_init(&it, e);
    while (gl_line_next(&it, &l))
        got[n++] = (cline){l.account, l.aux, l.side, l.amount_cents};
    sort_items(got, n, sizeof *got, cline_cmp);
    sort_items(want, want_n, sizeof *want, cline_cmp);
    bool ok = true;
    char a[128], b[128];
    for (size_t i = 0; ok && (i < n || i < want_n); i++) {
        if (i < n && i < want_n && cline_cmp(&got[i], &want[i]) == 0)
            continue;
        if (i < want_n && (i >= n || cline_cmp(&want[i], &got[i]) < 0)) {
            cline_text(&want[i], a, sizeof a);
            ok = problem(v, kind, "%s: the line %s is missing", what, a);
        } else if (i < want_n) {
            cline_text(&got[i], a, sizeof a);
            cline_text(&want[i], b, sizeof b);
            ok = problem(v, kind, "%s: the line %s should be %s", what, a, b);
        } else {
            cline_text(&got[i], a, sizeof a);
            ok = problem(v, kind, "%s: the line %s should not be there", what, a);
        }
    }
    free(got);
    return ok;
}

/* Net balances of fiscal year fy whose class is in [lo, hi], as lines:
 * on the balance's side (same_side) or the opposite one. */
static bool year_lines(vctx *v, uint16_t fy, char lo, char hi, bool same_side, cline **out, size_t *n,
                       int64_t *net_sum)
{
    map *m = &v->ts.balances;
    *out = calloc(m->count + 1, sizeof **out);
    *n = 0;
    *net_sum = 0;
    if (!*out)
        return out_of_memory(v);
    for (size_t i = 0; i < m->cap; i++) {
        uint8_t *s = slot_at(m, i);
        if (!s[0])
            continue;
        const bal_key *k = (const bal_key *)(s + 8);
        const bal_val *b = (const bal_val *)(s + 8 + m->key_size);
        if (k->fy != fy || k->alen == 0 || k->account[0] < lo || k->account[0] > hi)
            continue;
        int64_t net = b->debit - b->credit; /* both >= 0: cannot overflow */
        if (net == 0)
            continue;
        if (!gl_money_add(net_sum, net)) {
            free(*out);
            *out = NULL;
            return problem(v, GL_VP_CLOSING, "the year's balances overflow");
        }
        uint8_t side = (net > 0) == same_side ? GL_SIDE_DEBIT : GL_SIDE_CREDIT;
        (*out)[(*n)++] = (cline){{k->account, k->alen}, {k->aux, k->xlen}, side, net > 0 ? net : -net};
    }
    return true;
}

/* The result entry of a close: every class 6-7 balance zeroed into
 * 120000 (surplus) or 129000 (deficit). */
/* The text of one line of an entry the daemon builds. */
typedef struct line_text {
    char account[GL_ACCOUNT_MAX + 1], aux[GL_AUX_MAX + 1], aux_label[GL_LABEL_MAX + 1];
} line_text;

/* The first label an auxiliary account was given in this chain (the one
 * the daemon carries into the à-nouveaux), "" if none. */
static gl_str aux_label_of(vctx *v, gl_str aux)
{
    acct_key k = make_acct_key(aux);
    const gl_str *label = map_get(&v->ts.aux_labels, &k, false, &v->nomem);
    return label ? *label : (gl_str){"", 0};
}

/* Is e, byte for byte, the entry the daemon's close writes with these
 * lines (in this order) and texts?  -1 when memory ran out. */
static int same_close_entry(vctx *v, const gl_entry *e, const cline *lines, size_t n, const char *journal,
                            const char *piece, const char *label, uint32_t date, uint8_t flags, bool aux_labels)
{
    line_text *text = calloc(n ? n : 1, sizeof *text);
    gl_line_in *in = calloc(n ? n : 1, sizeof *in);
    int same = -1;
    if (text && in) {
        for (size_t i = 0; i < n; i++) {
            gl_str al = aux_labels ? aux_label_of(v, lines[i].aux) : (gl_str){"", 0};
            snprintf(text[i].account, sizeof text[i].account, "%.*s", (int)lines[i].account.len, lines[i].account.ptr);
            snprintf(text[i].aux, sizeof text[i].aux, "%.*s", (int)lines[i].aux.len, lines[i].aux.ptr);
            snprintf(text[i].aux_label, sizeof text[i].aux_label, "%.*s", (int)al.len, al.ptr);
            in[i] = (gl_line_in){text[i].account, text[i].aux, text[i].aux_label, "", lines[i].side, lines[i].amount};
        }
        char tenant[GL_TENANT_MAX + 1];
        snprintf(tenant, sizeof tenant, "%.*s", (int)v->ts.at->id.len, v->ts.at->id.ptr);
        gl_entry_in want = {.tenant = tenant, .journal = journal, .piece_ref = piece, .label = label, .date = date,
                            .piece_date = date, .flags = flags, .line_count = n, .lines = in};
        gl_buf b;
        gl_buf_init(&b);
        int st = gl_entry_encode_layout(&b, &want, e->layout); /* the request's (checked by event_entry) */
        if (st != GL_ERR_NOMEM)
            same = st == GL_OK && b.len == e->raw_len && !memcmp(b.data, e->raw, b.len);
        gl_buf_free(&b);
    }
    free(text);
    free(in);
    return same;
}

/* The result entry of a close: every class 6-7 balance (per account and
 * auxiliary account, in that order) zeroed into 120000 (surplus) or 129000
 * (deficit), last; journal CL, dated the year's last day. */
static bool check_result_entry(vctx *v, uint16_t fy, const gl_entry *e, int64_t *result)
{
    cline *want;
    size_t n;
    int64_t net67;
    if (!year_lines(v, fy, '6', '7', false, &want, &n, &net67))
        return false;
    if (net67 == INT64_MIN) {
        free(want);
        return problem(v, GL_VP_CLOSING, "the year's result overflows");
    }
    sort_items(want, n, sizeof *want, cline_cmp);
    *result = -net67;
    if (*result > 0)
        want[n++] = (cline){cstr(RESULT_SURPLUS), {"", 0}, GL_SIDE_CREDIT, *result};
    else if (*result < 0)
        want[n++] = (cline){cstr(RESULT_DEFICIT), {"", 0}, GL_SIDE_DEBIT, -*result};
    char piece[32], label[64];
    snprintf(piece, sizeof piece, "CLOTURE-%u", fy);
    snprintf(label, sizeof label, "Détermination du résultat %u", fy);
    int same = same_close_entry(v, e, want, n, "CL", piece, label, gl_fiscal_year_end(fy, v->ts.at->first_month),
                                GL_ENTRY_RESULT_CLOSING, false);
    bool ok = same > 0;
    if (same < 0)
        ok = out_of_memory(v);
    else if (!same && same_lines(v, GL_VP_CLOSING, "the result entry does not zero the year's class 6-7 balances", e,
                                 want, n))
        ok = problem(v, GL_VP_CLOSING, "the result entry is not the one the close writes (its piece, labels or "
                     "line order differ)");
    free(want);
    return ok;
}

/* The à-nouveaux of a close of fy: every class 1-5 balance of fy, per
 * account and auxiliary account (with its first label); journal AN, dated
 * the next year's first day. */
static bool check_opening_entry(vctx *v, uint16_t fy, const gl_entry *e)
{
    cline *want;
    size_t n;
    int64_t sum;
    if (!year_lines(v, fy, '1', '5', true, &want, &n, &sum))
        return false;
    sort_items(want, n, sizeof *want, cline_cmp);
    uint16_t next = (uint16_t)(fy + 1);
    char piece[32], label[64];
    snprintf(piece, sizeof piece, "AN-%u", next);
    snprintf(label, sizeof label, "À-nouveaux %u", next);
    int same = same_close_entry(v, e, want, n, "AN", piece, label, gl_fiscal_year_start(next, v->ts.at->first_month),
                                GL_ENTRY_OPENING, true);
    bool ok = same > 0;
    if (same < 0)
        ok = out_of_memory(v);
    else if (!same && same_lines(v, GL_VP_CLOSING, "the à-nouveaux do not carry the closed year's class 1-5 balances",
                                 e, want, n))
        ok = problem(v, GL_VP_CLOSING, "the à-nouveaux are not the ones the close writes (their piece, labels or "
                     "line order differ)");
    free(want);
    return ok;
}

static bool header_tenant(vctx *v, const env_state *es);

/* An entry a close wrote: is it what the close of the signed year gives? */
static bool check_close_entry(vctx *v, const env_state *es, const gl_event *ev, uint16_t fy, uint32_t num,
                              const gl_entry *e)
{
    run *r = &v->ts.cur;
    gl_close_q q;
    unsigned fm = v->ts.at->first_month;
    if (gl_close_q_decode(es->req.body, es->req.body_len, &q) != GL_OK)
        return problem(v, GL_VP_REQUEST, "its year-close request's body does not decode");
    if (!header_tenant(v, es))
        return false;
    if (e->flags == GL_ENTRY_RESULT_CLOSING && ev->head.item == 1) {
        if (fy != q.fy || e->date != gl_fiscal_year_end(q.fy, fm) || !gl_str_eq(e->journal, "CL") ||
            e->reverses_fy)
            return problem(v, GL_VP_CLOSING, "the result entry of the close of %u must be journal CL, dated the "
                           "year's last day, in that year", q.fy);
        int64_t result = 0;
        if (!check_result_entry(v, fy, e, &result))
            return false;
        r->saw_result = true;
        r->result_fy = fy;
        r->result_num = num;
        r->result_cents = result;
        return true;
    }
    if (e->flags == GL_ENTRY_OPENING && ev->head.item == 2) {
        uint16_t next = (uint16_t)(q.fy + 1);
        if (fy != next || e->date != gl_fiscal_year_start(next, fm) || !gl_str_eq(e->journal, "AN") || e->reverses_fy)
            return problem(v, GL_VP_CLOSING, "the à-nouveaux of the close of %u must be journal AN, dated the next "
                           "year's first day, in that year", q.fy);
        if (!check_opening_entry(v, q.fy, e))
            return false;
        r->saw_opening = true;
        r->opening_fy = fy;
        r->opening_num = num;
        return true;
    }
    return problem(v, GL_VP_CLOSING, "a year close writes its result entry as item 1 and its à-nouveaux as item 2; "
                   "this is item %u with flags %u", ev->head.item, e->flags);
}

/* Recharge and dues entries, rebuilt from the request and compared byte
 * for byte. */
static bool check_group_entry(vctx *v, const env_state *es, const gl_event *ev, const gl_entry *e)
{
    const gl_archive_tenant *u = v->umbrella, *m = NULL;
    gl_str t = v->ts.at->id;
    uint32_t item = ev->head.item;
    bool invoice = item % 2 == 1;
    if (!u)
        return problem(v, GL_VP_GROUP, "the archive does not name the group's umbrella: its %s entries cannot be "
                       "checked", gl_kind_name(es->req.kind));
    if (invoice != str_eq(u->id, t))
        return problem(v, GL_VP_GROUP, "item %u of a %s is %s entry, not %.*s's", item, gl_kind_name(es->req.kind),
                       invoice ? "the umbrella's" : "a member's", (int)t.len, t.ptr);
    int64_t amount = 0;
    uint32_t date;
    char piece[32], what[64], label[160];
    const char *revenue, *expense;
    gl_line first = {0};
    if (e->line_count >= 1) {
        gl_line_iter it;
        gl_line_iter_init(&it, e);
        gl_line_next(&it, &first);
    }
    if (es->req.kind == GL_KIND_DUES) {
        gl_dues_q q;
        if (dues_decode(&es->req, &q) != GL_OK)
            return problem(v, GL_VP_REQUEST, "its dues request's body does not decode");
        uint32_t i = (item - 1) / 2;
        if (item == 0 || i >= q.count)
            return problem(v, GL_VP_GROUP, "the dues request has no item %u", item);
        m = gl_archive_tenant_find(v->a, q.items[i].tenant);
        amount = q.items[i].value;
        date = q.date ? q.date : (uint32_t)q.year * 10000 + 131;
        snprintf(piece, sizeof piece, "COT-%u", q.year);
        snprintf(what, sizeof what, "Cotisation annuelle %u", q.year);
        revenue = DUES_REVENUE;
        expense = DUES_EXPENSE;
    } else {
        gl_recharge_q q;
        if (gl_recharge_q_decode(es->req.body, es->req.body_len, &q) != GL_OK)
            return problem(v, GL_VP_REQUEST, "its recharge request's body does not decode");
        m = invoice ? tenant_by_code(v, first.aux) : v->ts.at;
        amount = first.amount_cents;
        unsigned y = q.period_ym / 100, mo = q.period_ym % 100;
        date = q.date ? q.date : gl_month_last_day(q.period_ym);
        snprintf(piece, sizeof piece, "RCH-%04u-%02u-V%u", y, mo, q.version);
        snprintf(what, sizeof what, "Refacturation des frais %04u-%02u", y, mo);
        revenue = RECHARGE_REVENUE;
        expense = RECHARGE_EXPENSE;
        if (amount <= 0 || amount > q.amount_cents)
            return problem(v, GL_VP_GROUP, "a share of a recharge must be from 0.01 to the amount signed");
        if (invoice && !gl_money_add(&v->ts.cur.invoice_sum, amount))
            return problem(v, GL_VP_GROUP, "the recharge's shares overflow");
    }
    if (!m || m == u)
        return problem(v, GL_VP_GROUP, "the %s names a member that is not in the archive's group",
                       gl_kind_name(es->req.kind));
    char tenant[GL_TENANT_MAX + 1], mcode[GL_AUX_MAX + 1], ucode[GL_AUX_MAX + 1];
    const gl_archive_tenant *owner = invoice ? u : m;
    snprintf(tenant, sizeof tenant, "%.*s", (int)owner->id.len, owner->id.ptr);
    snprintf(mcode, sizeof mcode, "%.*s", (int)m->code.len, m->code.ptr);
    snprintf(ucode, sizeof ucode, "%.*s", (int)u->code.len, u->code.ptr);
    snprintf(label, sizeof label, "%s %s", what, invoice ? mcode : ucode);
    gl_line_in lines[2];
    if (invoice) {
        lines[0] = (gl_line_in){RECEIVABLE, mcode, "", "", GL_SIDE_DEBIT, amount};
        lines[1] = (gl_line_in){revenue, "", "", "", GL_SIDE_CREDIT, amount};
    } else {
        lines[0] = (gl_line_in){expense, "", "", "", GL_SIDE_DEBIT, amount};
        lines[1] = (gl_line_in){PAYABLE, ucode, "", "", GL_SIDE_CREDIT, amount};
    }
    gl_entry_in in = {.tenant = tenant, .journal = invoice ? "VT" : "AC", .piece_ref = piece, .label = label,
                      .date = date, .piece_date = date, .line_count = 2, .lines = lines};
    gl_buf b;
    gl_buf_init(&b);
    int st = gl_entry_encode_layout(&b, &in, request_layout(&es->req));
    bool same = st == GL_OK && b.len == e->raw_len && !memcmp(b.data, e->raw, b.len);
    gl_buf_free(&b);
    if (st == GL_ERR_NOMEM)
        return out_of_memory(v);
    if (!same)
        return problem(v, GL_VP_GROUP, "not the entry its signed %s request (envelope %llu) gives for item %u",
                       gl_kind_name(es->req.kind), (unsigned long long)ev->head.envelope, item);
    /* the other half, in the other tenant's chain when it is archived */
    const gl_archive_tenant *other = invoice ? m : u;
    if (!other->has_chain)
        return true;
    if (v->cross_count == v->cross_cap) {
        size_t cap = v->cross_cap ? v->cross_cap * 2 : 64;
        cross_check *nc = realloc(v->cross, cap * sizeof *nc);
        if (!nc)
            return out_of_memory(v);
        v->cross = nc;
        v->cross_cap = cap;
    }
    v->cross[v->cross_count++] = (cross_check){v->ts.t, (uint16_t)tenant_index(v, other), v->ts.seq, v->ts.fy,
                                               v->ts.num, ev->head.envelope, invoice ? item + 1 : item - 1, amount};
    return true;
}

/* The deferred comparisons of the two halves of recharges and dues. */
static void check_cross(vctx *v)
{
    for (size_t i = 0; i < v->cross_count && !stopped(v); i++) {
        const cross_check *x = &v->cross[i];
        const gl_archive_tenant *other = &v->a->tenants[x->other];
        tstate *ts = &v->ts;
        ts->active = true;
        ts->at = &v->a->tenants[x->tenant];
        ts->seq = x->seq;
        ts->has_entry = true;
        ts->fy = x->fy;
        ts->num = x->num;
        const index_row *ir = index_find(v, x->envelope, x->other_item, x->other);
        gl_entry oe;
        uint16_t ofy;
        uint32_t onum;
        if (!ir || !entry_of(v, other, ir->event, &oe, &ofy, &onum)) {
            problem(v, GL_VP_GROUP, "its counterpart (item %u of envelope %llu) is not in %.*s's chain", x->other_item,
                    (unsigned long long)x->envelope, (int)other->id.len, other->id.ptr);
            break;
        }
        gl_line ol = {0};
        gl_line_iter it;
        gl_line_iter_init(&it, &oe);
        if (!gl_line_next(&it, &ol) || ol.amount_cents != x->amount)
            problem(v, GL_VP_GROUP, "its counterpart in %.*s's chain (entry %u/%u) is for another amount",
                    (int)other->id.len, other->id.ptr, ofy, onum);
    }
    v->ts.active = false;
}

/* Ledger rules a replay can check: the validation date, locked periods,
 * opened accounts, reversals. */
static bool check_rules(vctx *v, const gl_entry *e, int64_t recorded_ms)
{
    tstate *ts = &v->ts;
    char d[11];
    /* the daemon's rule (441): no validation date after the French day of
     * the time it recorded the entry; no ledger holds one from before it */
    uint32_t valid = gl_entry_valid_date(e);
    if (valid && valid > gl_date_paris(recorded_ms)) {
        char r[11];
        return problem(v, GL_VP_RULE, "validated on %s, after the day it was recorded (%s)",
                       gl_date_format(valid, d), gl_date_format(gl_date_paris(recorded_ms), r));
    }
    if (!e->flags && e->date / 100 <= ts->locked_through)
        return problem(v, GL_VP_RULE, "dated %s, in a period already locked (through %04u-%02u)",
                       gl_date_format(e->date, d), ts->locked_through / 100, ts->locked_through % 100);
    gl_line_iter it;
    gl_line l;
    uint32_t n = 0;
    gl_line_iter_init(&it, e);
    while (gl_line_next(&it, &l)) {
        n++;
        acct_key k = make_acct_key(l.account);
        acct_val *a = map_get(&ts->accounts, &k, false, &v->nomem);
        if (!a || !a->opened)
            return problem(v, GL_VP_RULE, "line %u: account %.*s was not opened in %.*s's chart before", n,
                           (int)l.account.len, l.account.ptr, (int)ts->at->id.len, ts->at->id.ptr);
    }
    if (!e->reverses_fy)
        return true;
    num_key nk = make_num_key(e->reverses_fy, e->reverses_num);
    num_val *target = map_get(&ts->numbers, &nk, false, &v->nomem);
    gl_entry te;
    uint16_t tfy;
    uint32_t tnum;
    if (!target || !entry_of(v, ts->at, target->event, &te, &tfy, &tnum))
        return problem(v, GL_VP_RULE, "reverses entry %u/%u, which comes nowhere before it", e->reverses_fy,
                       e->reverses_num);
    if (te.flags)
        return problem(v, GL_VP_RULE, "reverses entry %u/%u, which a year close wrote", e->reverses_fy,
                       e->reverses_num);
    if (target->reversed)
        return problem(v, GL_VP_RULE, "reverses entry %u/%u, which was already reversed", e->reverses_fy,
                       e->reverses_num);
    /* the same lines, sides swapped, in any order */
    cline *want = calloc(te.line_count ? te.line_count : 1, sizeof *want);
    if (!want)
        return out_of_memory(v);
    size_t k = 0;
    gl_line_iter_init(&it, &te);
    while (gl_line_next(&it, &l))
        want[k++] = (cline){l.account, l.aux, l.side == GL_SIDE_DEBIT ? GL_SIDE_CREDIT : GL_SIDE_DEBIT, l.amount_cents};
    char what[80];
    snprintf(what, sizeof what, "not the exact opposite of entry %u/%u, which it reverses", e->reverses_fy,
             e->reverses_num);
    bool ok = same_lines(v, GL_VP_RULE, what, e, want, k);
    free(want);
    if (ok)
        target->reversed = 1;
    return ok;
}

static bool event_entry(vctx *v, const gl_event *ev, uint32_t event_index)
{
    tstate *ts = &v->ts;
    uint16_t fy;
    uint32_t num;
    gl_entry e;
    int st = entry_payload(ev, &fy, &num, &e);
    if (st != GL_OK)
        return problem(v, GL_VP_RECORD, "the entry does not decode (%s)", gl_status_name(st));
    env_state *es = event_request(v, ev, ts->seq);
    if (!es)
        return false;
    uint16_t kind = es->req.kind;
    if (kind != GL_KIND_POST && kind != GL_KIND_CLOSE_YEAR && kind != GL_KIND_RECHARGE && kind != GL_KIND_DUES)
        return problem(v, GL_VP_REQUEST, "an entry cannot come from a %s request (envelope %llu)", gl_kind_name(kind),
                       (unsigned long long)ev->head.envelope);
    if (e.layout != request_layout(&es->req))
        return problem(v, GL_VP_REQUEST, "an entry in layout %u cannot come from a version %u request (envelope "
                       "%llu): a version 1 request writes layout 1 entries, a version 2 request layout 2",
                       e.layout, es->req.version, (unsigned long long)ev->head.envelope);
    if (!str_eq(e.tenant, ts->at->id))
        return problem(v, GL_VP_RECORD, "the entry belongs to tenant '%.*s'", (int)e.tenant.len, e.tenant.ptr);
    if (e.flags && kind != GL_KIND_CLOSE_YEAR)
        return problem(v, GL_VP_REQUEST, "a result or opening entry must come from a year close, not a %s request",
                       gl_kind_name(kind));
    if (!e.flags && kind == GL_KIND_CLOSE_YEAR)
        return problem(v, GL_VP_REQUEST, "a year close writes only its result entry and its à-nouveaux");
    if (kind == GL_KIND_POST) {
        uint32_t item = ev->head.item;
        if (item == 0 || item > es->item_count)
            return problem(v, GL_VP_REQUEST, "its signed request (envelope %llu) has no entry %u",
                           (unsigned long long)ev->head.envelope, item);
        if (es->item_len[item - 1] != e.raw_len || memcmp(es->item_ptr[item - 1], e.raw, e.raw_len))
            return problem(v, GL_VP_REQUEST, "not the entry its signed request holds (envelope %llu, entry %u): "
                           "altered after it was signed", (unsigned long long)ev->head.envelope, item);
    }
    year_state *y = year_get(v, fy);
    if (!y)
        return false;
    if (num != y->next) {
        if (num > y->next && y->next == 1)
            return problem(v, GL_VP_NUMBERING, "entry %u/1 is missing here (removed or moved): the year's numbering "
                           "starts at %u/%u", fy, fy, num);
        if (num > y->next)
            return problem(v, GL_VP_NUMBERING, "entry %u/%u is missing here (removed or moved): the numbering goes "
                           "from %u/%u to %u/%u", fy, y->next, fy, y->next - 1, fy, num);
        return problem(v, GL_VP_NUMBERING, "numbered again or out of order: the next number of %u was %u/%u", fy,
                       fy, y->next);
    }
    y->next = num + 1;
    if (gl_fiscal_year(e.date, ts->at->first_month) != fy) {
        char d[11];
        return problem(v, GL_VP_NUMBERING, "dated %s, which is not in fiscal year %u", gl_date_format(e.date, d), fy);
    }
    uint32_t bad_line;
    st = gl_entry_check(&e, &bad_line);
    if (st == GL_ERR_UNBALANCED) {
        int64_t debit = 0, credit = 0;
        gl_line_iter it;
        gl_line l;
        gl_line_iter_init(&it, &e);
        while (gl_line_next(&it, &l))
            gl_money_add(l.side == GL_SIDE_DEBIT ? &debit : &credit, l.amount_cents);
        char a[GL_MONEY_TEXT_MAX], b[GL_MONEY_TEXT_MAX];
        return problem(v, GL_VP_UNBALANCED, "unbalanced: debits %s, credits %s", money(debit, a), money(credit, b));
    }
    if (st != GL_OK)
        return problem(v, GL_VP_UNBALANCED, "%s%.0u: %s", bad_line ? "line " : "invalid entry", bad_line,
                       gl_status_message(st));
    if (kind == GL_KIND_CLOSE_YEAR && !check_close_entry(v, es, ev, fy, num, &e))
        return false;
    if ((kind == GL_KIND_RECHARGE || kind == GL_KIND_DUES) && !check_group_entry(v, es, ev, &e))
        return false;
    if (!check_rules(v, &e, ev->head.recorded_ms))
        return false;
    return apply_entry(v, fy, num, event_index, &e);
}

/* ------------------------------------------------------------------ */
/* The other event types                                               */
/* ------------------------------------------------------------------ */

static bool header_tenant(vctx *v, const env_state *es)
{
    if (!str_eq(es->req.tenant, v->ts.at->id))
        return problem(v, GL_VP_REQUEST, "its signed request is for tenant '%.*s'", (int)es->req.tenant.len,
                       es->req.tenant.ptr);
    return true;
}

static bool expect_kind(vctx *v, const env_state *es, uint16_t kind)
{
    if (es->req.kind != kind)
        return problem(v, GL_VP_REQUEST, "this event cannot come from a %s request", gl_kind_name(es->req.kind));
    return header_tenant(v, es);
}

static bool event_account_open(vctx *v, const gl_event *ev)
{
    gl_cur c;
    gl_cur_init_stored(&c, ev->payload, ev->payload_len);
    gl_str account = gl_get_str8(&c, GL_ACCOUNT_MAX);
    gl_str label = gl_get_str8(&c, GL_LABEL_MAX);
    if (gl_cur_end(&c) != GL_OK)
        return problem(v, GL_VP_RECORD, "the account opening does not decode");
    env_state *es = event_request(v, ev, v->ts.seq);
    if (!es || !expect_kind(v, es, GL_KIND_ACCOUNTS_OPEN))
        return false;
    uint32_t item = ev->head.item;
    if (item == 0 || item > es->item_count || !str_eq(es->accounts[item - 1].account, account) ||
        !str_eq(es->accounts[item - 1].label, label))
        return problem(v, GL_VP_REQUEST, "account %.*s is not item %u of its signed request", (int)account.len,
                       account.ptr, item);
    if (!gl_account_valid(account))
        return problem(v, GL_VP_RULE, "'%.*s' is not an account number", (int)account.len, account.ptr);
    acct_key k = make_acct_key(account);
    acct_val *a = map_get(&v->ts.accounts, &k, true, &v->nomem);
    if (!a)
        return false;
    if (a->opened)
        return problem(v, GL_VP_RULE, "account %.*s is opened a second time", (int)account.len, account.ptr);
    a->opened = 1;
    a->label_len = (uint8_t)label.len;
    memcpy(a->label, label.ptr, label.len);
    return true;
}

/* An account's label changed: the change its signed request asked for,
 * from the label the chain last gave the account to another one. */
static bool event_account_label(vctx *v, const gl_event *ev)
{
    gl_cur c;
    gl_cur_init_stored(&c, ev->payload, ev->payload_len);
    gl_str account = gl_get_str8(&c, GL_ACCOUNT_MAX);
    gl_str old = gl_get_str8(&c, GL_LABEL_MAX);
    gl_str label = gl_get_str8(&c, GL_LABEL_MAX);
    if (gl_cur_end(&c) != GL_OK)
        return problem(v, GL_VP_RECORD, "the label change does not decode");
    env_state *es = event_request(v, ev, v->ts.seq);
    if (!es || !expect_kind(v, es, GL_KIND_ACCOUNT_LABEL))
        return false;
    uint32_t item = ev->head.item;
    if (item == 0 || item > es->item_count || !str_eq(es->accounts[item - 1].account, account) ||
        !str_eq(es->accounts[item - 1].label, label))
        return problem(v, GL_VP_REQUEST, "the label of %.*s is not item %u of its signed request", (int)account.len,
                       account.ptr, item);
    acct_key k = make_acct_key(account);
    acct_val *a = map_get(&v->ts.accounts, &k, false, &v->nomem);
    if (!a || !a->opened)
        return problem(v, GL_VP_RULE, "account %.*s is relabelled before it is opened", (int)account.len,
                       account.ptr);
    if (old.len != a->label_len || memcmp(old.ptr, a->label, old.len))
        return problem(v, GL_VP_RULE, "the label change of %.*s starts from \"%.*s\", not its label \"%.*s\"",
                       (int)account.len, account.ptr, (int)old.len, old.ptr, (int)a->label_len, a->label);
    if (gl_text_blank(label) || str_eq(old, label))
        return problem(v, GL_VP_RULE, "the label change of %.*s changes nothing or leaves it blank",
                       (int)account.len, account.ptr);
    a->label_len = (uint8_t)label.len;
    memcpy(a->label, label.ptr, label.len);
    return true;
}

static uint32_t next_month(uint32_t ym) { return ym % 100 == 12 ? (ym / 100 + 1) * 100 + 1 : ym + 1; }

static bool event_lock(vctx *v, const gl_event *ev)
{
    tstate *ts = &v->ts;
    gl_cur c;
    gl_cur_init(&c, ev->payload, ev->payload_len);
    uint32_t from = gl_get_u32(&c), through = gl_get_u32(&c);
    if (gl_cur_end(&c) != GL_OK)
        return problem(v, GL_VP_RECORD, "the lock does not decode");
    env_state *es = event_request(v, ev, ts->seq);
    if (!es || !expect_kind(v, es, GL_KIND_LOCK))
        return false;
    gl_lock_q q;
    if (gl_lock_q_decode(es->req.body, es->req.body_len, &q) != GL_OK || ev->head.item != 1 ||
        q.through_ym != through)
        return problem(v, GL_VP_REQUEST, "not the lock its signed request asked for");
    uint32_t want_from = ts->locked_through ? next_month(ts->locked_through) : 0;
    if (through <= ts->locked_through || from != want_from ||
        (q.mode == GL_LOCK_NEXT_ONLY && ts->locked_through && through != want_from))
        return problem(v, GL_VP_RULE, "locks %04u-%02u to %04u-%02u after periods were locked through %04u-%02u",
                       from / 100, from % 100, through / 100, through % 100, ts->locked_through / 100,
                       ts->locked_through % 100);
    /* the daemon's rule since version 2: no lock beyond the French month of
     * the time it recorded (event_request checked that time is plausible);
     * a version 1 lock was taken before the rule (see history) */
    uint32_t recorded_ym = gl_date_paris(ev->head.recorded_ms) / 100;
    if (!history(&es->req) && through > recorded_ym)
        return problem(v, GL_VP_RULE, "locks through %04u-%02u, beyond %04u-%02u, the month it was recorded in",
                       through / 100, through % 100, recorded_ym / 100, recorded_ym % 100);
    ts->locked_through = through;
    return true;
}

static bool event_close(vctx *v, const gl_event *ev)
{
    tstate *ts = &v->ts;
    run *r = &ts->cur;
    gl_cur c;
    gl_cur_init(&c, ev->payload, ev->payload_len);
    uint16_t fy = gl_get_u16(&c), result_fy = gl_get_u16(&c);
    uint32_t result_num = gl_get_u32(&c);
    uint16_t opening_fy = gl_get_u16(&c);
    uint32_t opening_num = gl_get_u32(&c);
    int64_t result_cents = gl_get_i64(&c);
    if (gl_cur_end(&c) != GL_OK)
        return problem(v, GL_VP_RECORD, "the close does not decode");
    env_state *es = event_request(v, ev, ts->seq);
    if (!es || !expect_kind(v, es, GL_KIND_CLOSE_YEAR))
        return false;
    gl_close_q q;
    if (gl_close_q_decode(es->req.body, es->req.body_len, &q) != GL_OK || q.fy != fy || ev->head.item != 3)
        return problem(v, GL_VP_REQUEST, "not the close its signed request asked for");
    unsigned fm = ts->at->first_month;
    uint32_t last_ym = gl_fiscal_year_end(fy, fm) / 100;
    if (ts->locked_through < last_ym)
        return problem(v, GL_VP_CLOSING, "closes %u while its periods were locked only through %04u-%02u", fy,
                       ts->locked_through / 100, ts->locked_through % 100);
    year_state *y = year_find(ts, fy);
    if (y && y->sum.closed)
        return problem(v, GL_VP_CLOSING, "closes %u a second time", fy);
    year_state *prev = year_find(ts, (uint16_t)(fy - 1));
    bool earlier = false;
    for (size_t i = 0; i < ts->year_count; i++)
        earlier |= ts->years[i].fy < fy && ts->years[i].sum.entries > 0;
    if (earlier && !(prev && prev->sum.closed))
        return problem(v, GL_VP_CLOSING, "closes %u before %u was closed", fy, fy - 1);
    /* after the result entry, nothing of classes 6-7 is left; 8-9 balance */
    cline *lines;
    size_t n;
    int64_t net;
    if (!year_lines(v, fy, '6', '7', true, &lines, &n, &net))
        return false;
    free(lines);
    if (n)
        return problem(v, GL_VP_CLOSING, "the year %u is closed with class 6-7 balances left (no result entry)", fy);
    if (!year_lines(v, fy, '8', '9', true, &lines, &n, &net))
        return false;
    free(lines);
    if (net) {
        char m[GL_MONEY_TEXT_MAX];
        return problem(v, GL_VP_CLOSING, "classes 8-9 of %u are off by %s: the year could not be closed", fy,
                       money(net, m));
    }
    if (!r->saw_opening) {
        if (!year_lines(v, fy, '1', '5', true, &lines, &n, &net))
            return false;
        free(lines);
        if (n)
            return problem(v, GL_VP_CLOSING, "the close of %u has no à-nouveaux, yet the year has class 1-5 balances",
                           fy);
    }
    if (result_fy != (r->saw_result ? r->result_fy : 0) || result_num != (r->saw_result ? r->result_num : 0) ||
        opening_fy != (r->saw_opening ? r->opening_fy : 0) || opening_num != (r->saw_opening ? r->opening_num : 0) ||
        result_cents != (r->saw_result ? r->result_cents : 0)) {
        char m[GL_MONEY_TEXT_MAX];
        return problem(v, GL_VP_CLOSING, "the close event names result %u/%u, à-nouveaux %u/%u and a result of %s: "
                       "not the entries the close wrote", result_fy, result_num, opening_fy, opening_num,
                       money(result_cents, m));
    }
    if (!(y = year_get(v, fy)))
        return false;
    y->sum.closed = true;
    y->sum.result_cents = result_cents;
    r->saw_close = true;
    return true;
}

static bool event_letter(vctx *v, const gl_event *ev)
{
    tstate *ts = &v->ts;
    /* account str8 | aux str8 | code str8 | date u32 | count u16 | refs, as
     * proto/chain.h documents it; daemons before that documentation was
     * followed wrote the aux again after the date: both are read */
    gl_str account, aux, code, aux2;
    uint32_t date;
    uint16_t count;
    const uint8_t *refs;
    bool ok = false;
    for (int legacy = 0; legacy < 2 && !ok; legacy++) {
        gl_cur c;
        gl_cur_init_stored(&c, ev->payload, ev->payload_len);
        account = gl_get_str8(&c, GL_ACCOUNT_MAX);
        aux = gl_get_str8(&c, GL_AUX_MAX);
        code = gl_get_str8(&c, GL_LETTER_CODE_MAX);
        date = gl_get_u32(&c);
        aux2 = legacy ? gl_get_str8(&c, GL_AUX_MAX) : aux;
        count = gl_get_u16(&c);
        refs = gl_get_bytes(&c, (size_t)count * 8);
        ok = gl_cur_end(&c) == GL_OK;
    }
    if (!ok)
        return problem(v, GL_VP_RECORD, "the lettering does not decode");
    env_state *es = event_request(v, ev, ts->seq);
    if (!es || !expect_kind(v, es, GL_KIND_LETTER))
        return false;
    gl_letter_q q;
    if (letter_decode(&es->req, &q) != GL_OK || ev->head.item != 1 ||
        !str_eq(q.account, account) || !str_eq(q.aux, aux) || !str_eq(aux2, aux) || q.count != count ||
        memcmp(q.refs, refs, (size_t)count * 8))
        return problem(v, GL_VP_REQUEST, "not the lettering its signed request asked for");
    acct_key ak = make_acct_key(account);
    acct_val *a = map_get(&ts->accounts, &ak, false, &v->nomem);
    if (!a || !a->opened)
        return problem(v, GL_VP_RULE, "letters account %.*s, which was not opened", (int)account.len, account.ptr);
    char want[GL_LETTER_CODE_MAX + 1];
    if (!gl_letter_code(a->next_letter + 1, want) || !str_eq(code, cstr(want)))
        return problem(v, GL_VP_RULE, "letter code '%.*s' on account %.*s, where the next code was '%s'",
                       (int)code.len, code.ptr, (int)account.len, account.ptr, want);
    a->next_letter++;
    /* the day it was recorded, or the date the request gave, not after it */
    if (q.date ? date != q.date || date > gl_date_paris(ev->head.recorded_ms)
               : date != gl_date_paris(ev->head.recorded_ms))
        return problem(v, GL_VP_RULE, "lettered on %u, not the day it was recorded%s", date,
                       q.date ? " nor, before it, the date its request gave" : "");
    int64_t sum = 0;
    for (uint16_t i = 0; i < count; i++) {
        gl_line_ref r = gl_letter_ref(&q, i);
        num_key nk = make_num_key(r.fy, r.num);
        num_val *nv = map_get(&ts->numbers, &nk, false, &v->nomem);
        gl_entry e;
        uint16_t fy;
        uint32_t num;
        if (!nv || !entry_of(v, ts->at, nv->event, &e, &fy, &num) || r.line == 0 || r.line > e.line_count)
            return problem(v, GL_VP_RULE, "letters line %u/%u:%u, which comes nowhere before it", r.fy, r.num, r.line);
        gl_line_iter it;
        gl_line l;
        gl_line_iter_init(&it, &e);
        for (uint16_t k = 0; k < r.line; k++)
            gl_line_next(&it, &l);
        if (!str_eq(l.account, account) || !str_eq(l.aux, aux))
            return problem(v, GL_VP_RULE, "letters line %u/%u:%u, which is on account %.*s", r.fy, r.num, r.line,
                           (int)l.account.len, l.account.ptr);
        line_key lk = {r.num, r.fy, r.line};
        line_val *lv = map_get(&ts->lines, &lk, true, &v->nomem);
        if (!lv)
            return false;
        if (lv->lettered)
            return problem(v, GL_VP_RULE, "letters line %u/%u:%u, which is already lettered", r.fy, r.num, r.line);
        lv->lettered = 1;
        if (!gl_money_add(&sum, signed_amount(&l)))
            return problem(v, GL_VP_RULE, "the lettered lines' sum overflows");
    }
    if (sum != 0) {
        char m[GL_MONEY_TEXT_MAX];
        return problem(v, GL_VP_RULE, "the lettered lines sum to %s, not zero", money(sum, m));
    }
    letter_key lk;
    memset(&lk, 0, sizeof lk);
    lk.alen = (uint8_t)account.len;
    copy_bytes(lk.account, account.ptr, account.len);
    copy_bytes(lk.code, code.ptr, code.len);
    letter_val *lv = map_get(&ts->letters, &lk, true, &v->nomem);
    if (!lv)
        return false;
    *lv = (letter_val){refs, count, 1};
    return true;
}

static bool event_unletter(vctx *v, const gl_event *ev)
{
    tstate *ts = &v->ts;
    gl_cur c;
    gl_cur_init_stored(&c, ev->payload, ev->payload_len);
    gl_str account = gl_get_str8(&c, GL_ACCOUNT_MAX);
    gl_str code = gl_get_str8(&c, GL_LETTER_CODE_MAX);
    if (gl_cur_end(&c) != GL_OK)
        return problem(v, GL_VP_RECORD, "the unlettering does not decode");
    env_state *es = event_request(v, ev, ts->seq);
    if (!es || !expect_kind(v, es, GL_KIND_UNLETTER))
        return false;
    gl_unletter_q q;
    if (unletter_decode(&es->req, &q) != GL_OK || ev->head.item != 1 ||
        !str_eq(q.account, account) || !str_eq(q.code, code))
        return problem(v, GL_VP_REQUEST, "not the unlettering its signed request asked for");
    letter_key lk;
    memset(&lk, 0, sizeof lk);
    lk.alen = (uint8_t)account.len;
    copy_bytes(lk.account, account.ptr, account.len);
    copy_bytes(lk.code, code.ptr, code.len);
    letter_val *lv = map_get(&ts->letters, &lk, false, &v->nomem);
    if (!lv || !lv->active)
        return problem(v, GL_VP_RULE, "removes lettering '%.*s' of account %.*s, which does not exist", (int)code.len,
                       code.ptr, (int)account.len, account.ptr);
    for (uint16_t i = 0; i < lv->count; i++) {
        const uint8_t *p = lv->refs + (size_t)i * 8;
        line_key k = {gl_rd32(p + 2), gl_rd16(p), gl_rd16(p + 6)};
        line_val *l = map_get(&ts->lines, &k, false, &v->nomem);
        if (l)
            l->lettered = 0;
    }
    lv->active = 0;
    return true;
}

/* ------------------------------------------------------------------ */
/* A tenant's chain                                                    */
/* ------------------------------------------------------------------ */

static const char *type_name(uint16_t type)
{
    switch (type) {
    case GL_EVENT_ENTRY: return "entry";
    case GL_EVENT_ENTRY2: return "entry";
    case GL_EVENT_ACCOUNT_OPEN: return "account opening";
    case GL_EVENT_LOCK: return "lock";
    case GL_EVENT_CLOSE: return "year close";
    case GL_EVENT_LETTER: return "lettering";
    case GL_EVENT_UNLETTER: return "unlettering";
    case GL_EVENT_ACCOUNT_LABEL: return "label change";
    default: return "event of an unknown type";
    }
}

static bool verify_event(vctx *v, uint32_t i)
{
    tstate *ts = &v->ts;
    const gl_archive_tenant *at = ts->at;
    const gl_archive_event *ae = &at->events[i];
    uint64_t want = (uint64_t)i + 1;
    ts->seq = ae->seq;
    ts->what = "event";
    ts->has_entry = false;
    if (ae->seq != want) {
        ts->seq = want;
        gl_event next;
        if (ae->seq > want && gl_event_decode(ae->record, ae->record_len, &next) == GL_OK &&
            gl_event_entry_layout(next.type) && next.payload_len >= 6) {
            /* name the entry that went with the missing event, if it shows */
            uint16_t fy = gl_rd16(next.payload);
            uint32_t num = gl_rd32(next.payload + 2);
            year_state *y = year_find(ts, fy);
            uint32_t expect = y ? y->next : 1;
            if (num > expect) {
                ts->has_entry = true;
                ts->fy = fy;
                ts->num = expect;
                return problem(v, GL_VP_SEQUENCE, "missing: the chain goes from event %u to event %llu, and from "
                               "entry %u/%u to %u/%u", i, (unsigned long long)ae->seq, fy, expect - 1, fy, num);
            }
        }
        if (ae->seq > want)
            return problem(v, GL_VP_SEQUENCE, "missing: the chain goes from event %u to event %llu", i,
                           (unsigned long long)ae->seq);
        return problem(v, GL_VP_SEQUENCE, "event %llu comes here: events repeated or out of order",
                       (unsigned long long)ae->seq);
    }
    gl_event ev;
    int st = gl_event_decode(ae->record, ae->record_len, &ev);
    if (st != GL_OK)
        return problem(v, GL_VP_RECORD, "the record does not decode (%s)", gl_status_name(st));
    ts->what = type_name(ev.type);
    if (ev.type == GL_EVENT_ACCOUNT_OPEN && ev.payload_len >= 1 && ev.payload[0] < ev.payload_len) {
        gl_str account = {(const char *)ev.payload + 1, ev.payload[0]};
        if (gl_account_valid(account)) {
            snprintf(ts->what_buf, sizeof ts->what_buf, "account opening %.*s", (int)account.len, account.ptr);
            ts->what = ts->what_buf;
        }
    }
    if (gl_event_entry_layout(ev.type) && ev.payload_len >= 6) { /* name the entry in every message */
        ts->has_entry = true;
        ts->fy = gl_rd16(ev.payload);
        ts->num = gl_rd32(ev.payload + 2);
    }
    static const uint8_t zero[GL_HASH_BYTES];
    if (memcmp(ev.prev_hash, ts->prev, GL_HASH_BYTES)) {
        if (i == 0 && memcmp(ev.prev_hash, zero, GL_HASH_BYTES))
            return problem(v, GL_VP_LINK, "the first event must name no previous event: the start of the chain "
                           "is missing");
        return problem(v, GL_VP_LINK, "its link to event %u is broken (the previous hash it names is not event %u's): "
                       "an event was removed, inserted or moved", i, i);
    }
    if (gl_event_verify(&ev, at->id.ptr, at->id.len, want, ts->prev) != GL_OK)
        return problem(v, GL_VP_HASH, "its hash does not recompute: the record was altered");
    memcpy(ts->prev, ev.hash, GL_HASH_BYTES);
    bool ok;
    switch (ev.type) {
    case GL_EVENT_ENTRY:
    case GL_EVENT_ENTRY2: ok = event_entry(v, &ev, i); break;
    case GL_EVENT_ACCOUNT_OPEN: ok = event_account_open(v, &ev); break;
    case GL_EVENT_LOCK: ok = event_lock(v, &ev); break;
    case GL_EVENT_CLOSE: ok = event_close(v, &ev); break;
    case GL_EVENT_LETTER: ok = event_letter(v, &ev); break;
    case GL_EVENT_UNLETTER: ok = event_unletter(v, &ev); break;
    case GL_EVENT_ACCOUNT_LABEL: ok = event_account_label(v, &ev); break;
    default:
        /* unknown types are skipped, as the protocol says: their hash and
         * signature are checked, their payload is not understood */
        v->r->unknown_events++;
        ok = event_request(v, &ev, ts->seq) != NULL;
        break;
    }
    if (ok && ts->ended_pending) {
        ts->ended_pending = false;
        ok = end_run(v, &ts->ended);
    }
    return ok;
}

/* One account's recomputed totals for a year. */
typedef struct tb_row {
    gl_str account;
    int64_t debit, credit;
} tb_row;

static int tb_cmp(const void *pa, const void *pb)
{
    const tb_row *a = pa, *b = pb;
    return str_cmp(a->account, b->account);
}

static bool compare_trial_balance(vctx *v, uint16_t fy, const gl_archive_balance *stored)
{
    tstate *ts = &v->ts;
    map *m = &ts->balances;
    tb_row *rows = calloc(m->count + 1, sizeof *rows);
    if (!rows)
        return out_of_memory(v);
    size_t n = 0;
    for (size_t i = 0; i < m->cap; i++) {
        uint8_t *s = slot_at(m, i);
        if (!s[0])
            continue;
        const bal_key *k = (const bal_key *)(s + 8);
        const bal_val *b = (const bal_val *)(s + 8 + m->key_size);
        if (k->fy == fy)
            rows[n++] = (tb_row){{k->account, k->alen}, b->debit, b->credit};
    }
    sort_items(rows, n, sizeof *rows, tb_cmp);
    size_t out = 0; /* merge the auxiliary accounts of each account */
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) {
        if (out && str_eq(rows[out - 1].account, rows[i].account)) {
            if (!gl_money_add(&rows[out - 1].debit, rows[i].debit) || !gl_money_add(&rows[out - 1].credit, rows[i].credit))
                ok = problem(v, GL_VP_TRIAL_BALANCE, "trial balance %u: account %.*s's totals overflow", fy,
                             (int)rows[i].account.len, rows[i].account.ptr);
        } else {
            rows[out++] = rows[i];
        }
    }
    n = out;
    char a[GL_MONEY_TEXT_MAX], b[GL_MONEY_TEXT_MAX], c[GL_MONEY_TEXT_MAX], d[GL_MONEY_TEXT_MAX];
    if (ok && !stored && n)
        ok = problem(v, GL_VP_TRIAL_BALANCE, "trial balance %u: not in the archive, yet the year has entries", fy);
    if (ok && stored && stored->at != gl_fiscal_year_end(fy, ts->at->first_month))
        ok = problem(v, GL_VP_TRIAL_BALANCE, "trial balance %u: taken on %u, not on the year's last day", fy,
                     stored->at);
    size_t sn = stored ? stored->row_count : 0;
    for (size_t i = 0, j = 0; ok && (i < n || j < sn);) {
        const gl_archive_row *s = j < sn ? &stored->rows[j] : NULL;
        int cmp = i >= n ? 1 : !s ? -1 : str_cmp(rows[i].account, s->account);
        ts->fy = fy;
        if (cmp < 0)
            ok = problem(v, GL_VP_TRIAL_BALANCE, "trial balance %u, account %.*s: the entries give debit %s, credit "
                         "%s; the archive's trial balance has no such account", fy, (int)rows[i].account.len,
                         rows[i].account.ptr, money(rows[i].debit, a), money(rows[i].credit, b));
        else if (cmp > 0)
            ok = problem(v, GL_VP_TRIAL_BALANCE, "trial balance %u, account %.*s: the archive's trial balance says "
                         "debit %s, credit %s; no entry moves it", fy, (int)s->account.len, s->account.ptr,
                         money(s->debit_cents, a), money(s->credit_cents, b));
        else if (rows[i].debit != s->debit_cents || rows[i].credit != s->credit_cents)
            ok = problem(v, GL_VP_TRIAL_BALANCE, "trial balance %u, account %.*s: the archive's trial balance says "
                         "debit %s, credit %s; the entries give debit %s, credit %s", fy, (int)s->account.len,
                         s->account.ptr, money(s->debit_cents, a), money(s->credit_cents, b),
                         money(rows[i].debit, c), money(rows[i].credit, d));
        if (cmp <= 0)
            i++;
        if (cmp >= 0)
            j++;
    }
    free(rows);
    return ok;
}

static int year_cmp(const void *pa, const void *pb)
{
    const year_state *a = pa, *b = pb;
    return (int)a->fy - (int)b->fy;
}

static void tstate_free(tstate *ts)
{
    map_free(&ts->balances);
    map_free(&ts->accounts);
    map_free(&ts->numbers);
    map_free(&ts->lines);
    map_free(&ts->letters);
    map_free(&ts->aux_labels);
    free(ts->years);
    free(ts->cur.items);
    free(ts->ended.items);
    memset(ts, 0, sizeof *ts);
}

static bool verify_tenant(vctx *v, uint16_t t, gl_verify_tenant *sum)
{
    tstate *ts = &v->ts;
    memset(ts, 0, sizeof *ts);
    ts->active = true;
    ts->t = t;
    ts->at = &v->a->tenants[t];
    map_init(&ts->balances, sizeof(bal_key), sizeof(bal_val));
    map_init(&ts->accounts, sizeof(acct_key), sizeof(acct_val));
    map_init(&ts->numbers, sizeof(num_key), sizeof(num_val));
    map_init(&ts->lines, sizeof(line_key), sizeof(line_val));
    map_init(&ts->letters, sizeof(letter_key), sizeof(letter_val));
    map_init(&ts->aux_labels, sizeof(acct_key), sizeof(gl_str));
    const gl_archive_tenant *at = ts->at;
    snprintf(sum->id, sizeof sum->id, "%.*s", (int)at->id.len, at->id.ptr);
    for (uint32_t i = 0; i < at->event_count && !stopped(v); i++) {
        verify_event(v, i);
        v->done++;
        if (v->o && v->o->progress)
            v->o->progress(v->o->user, v->done, v->total);
    }
    end_run(v, &ts->cur);
    ts->seq = 0;
    ts->has_entry = false;
    if (!stopped(v) && (at->head_seq != at->event_count || memcmp(at->head_hash, ts->prev, GL_HASH_BYTES)))
        problem(v, GL_VP_HEAD, "the chain ends at event %u, but the daemon reported its head at event %llu%s",
                at->event_count, (unsigned long long)at->head_seq,
                at->head_seq == at->event_count ? " with another hash" : ": events are missing at the end");
    for (uint16_t i = 0; i < at->balance_count && !stopped(v); i++)
        if (!year_find(ts, at->balances[i].fy))
            compare_trial_balance(v, at->balances[i].fy, &at->balances[i]);
    sort_items(ts->years, ts->year_count, sizeof *ts->years, year_cmp);
    for (size_t i = 0; i < ts->year_count && !stopped(v); i++) {
        const gl_archive_balance *stored = NULL;
        for (uint16_t k = 0; k < at->balance_count; k++)
            if (at->balances[k].fy == ts->years[i].fy)
                stored = &at->balances[k];
        compare_trial_balance(v, ts->years[i].fy, stored);
    }
    sum->events = at->event_count;
    sum->entries = ts->entries;
    sum->head_seq = at->head_seq;
    memcpy(sum->head_hash, at->head_hash, GL_HASH_BYTES);
    sum->locked_through = ts->locked_through;
    sum->years = calloc(ts->year_count ? ts->year_count : 1, sizeof *sum->years);
    if (!sum->years)
        out_of_memory(v);
    for (size_t i = 0; sum->years && i < ts->year_count; i++)
        sum->years[sum->year_count++] = ts->years[i].sum;
    v->r->entries += ts->entries;
    v->r->events += at->event_count;
    tstate_free(ts);
    return !stopped(v);
}

/* ------------------------------------------------------------------ */
/* The whole archive                                                   */
/* ------------------------------------------------------------------ */

static int pk_cmp(const void *a, const void *b) { return memcmp(a, b, 32); }

static void count_signers(vctx *v)
{
    uint8_t(*pks)[32] = calloc(v->a->envelope_count + 1, 32);
    if (!pks) {
        out_of_memory(v);
        return;
    }
    size_t n = 0;
    for (uint32_t i = 0; i < v->a->envelope_count; i++)
        if (v->env[i].decoded)
            memcpy(pks[n++], v->env[i].req.signer, 32);
    sort_items(pks, n, 32, pk_cmp);
    uint32_t distinct = 0;
    for (size_t i = 0; i < n; i++)
        distinct += i == 0 || memcmp(pks[i - 1], pks[i], 32);
    v->r->signers = distinct;
    free(pks);
}

int gl_verify(const gl_archive *a, const gl_verify_opts *o, gl_verify_result *r)
{
    memset(r, 0, sizeof *r);
    vctx v = {.a = a, .o = o, .r = r};
    r->trusted_keys = o && o->trusted;
    r->key_times_checked = a->key_count > 0;
    r->key_records = a->key_count;
    r->envelopes = a->envelope_count;
    if (a->umbrella.len)
        v.umbrella = gl_archive_tenant_find(a, a->umbrella);
    size_t chains = 0;
    for (uint16_t t = 0; t < a->tenant_count; t++)
        if (a->tenants[t].has_chain) {
            chains++;
            v.total += a->tenants[t].event_count;
        }
    v.env = calloc(a->envelope_count + 1, sizeof *v.env);
    r->tenants = calloc(chains + 1, sizeof *r->tenants);
    if (!v.env || !r->tenants)
        v.nomem = true;
    if (!v.nomem && chains == 0)
        problem(&v, GL_VP_ARCHIVE, "the archive holds no tenant's chain: nothing to verify");
    if (!stopped(&v))
        build_index(&v);
    for (uint16_t t = 0; t < a->tenant_count && !stopped(&v); t++)
        if (a->tenants[t].has_chain)
            verify_tenant(&v, t, &r->tenants[r->tenant_count++]);
    v.ts.active = false;
    if (!stopped(&v))
        check_cross(&v);
    for (uint32_t i = 0; i < a->envelope_count && !stopped(&v); i++)
        if (!v.env[i].referenced)
            problem(&v, GL_VP_ARCHIVE, "envelope %llu is in the archive, but no event names it: the events it wrote "
                    "were removed", (unsigned long long)a->envelopes[i].number);
    if (!stopped(&v) && !a->digest_ok)
        problem(&v, GL_VP_ARCHIVE, "the archive's digest does not match its content: the file was changed after it "
                "was written");
    if (!v.nomem)
        count_signers(&v);
    for (uint32_t i = 0; v.env && i < a->envelope_count; i++) {
        free(v.env[i].item_ptr);
        free(v.env[i].item_len);
        free(v.env[i].accounts);
    }
    free(v.env);
    free(v.index);
    free(v.cross);
    if (v.ts.active)
        tstate_free(&v.ts);
    return v.nomem ? GL_ERR_NOMEM : GL_OK;
}

void gl_verify_result_free(gl_verify_result *r)
{
    for (size_t i = 0; r->tenants && i < r->tenant_count; i++)
        free(r->tenants[i].years);
    free(r->tenants);
    r->tenants = NULL;
    r->tenant_count = 0;
}

/* ------------------------------------------------------------------ */
/* --keys files                                                        */
/* ------------------------------------------------------------------ */

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int gl_trusted_keys_parse(const char *text, size_t len, gl_trusted_key **out, size_t *count, char *err,
                          size_t err_len)
{
    *out = NULL;
    *count = 0;
    size_t cap = 0, line_no = 0;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        line_no++;
        const char *s = p, *e = eol;
        p = eol < end ? eol + 1 : end;
        while (s < e && (*s == ' ' || *s == '\t'))
            s++;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
            e--;
        if (s == e || *s == '#')
            continue;
        const char *w1 = s;
        while (s < e && *s != ' ' && *s != '\t')
            s++;
        size_t w1_len = (size_t)(s - w1);
        while (s < e && (*s == ' ' || *s == '\t'))
            s++;
        const char *w2 = s;
        size_t w2_len = (size_t)(e - s);
        gl_trusted_key k;
        memset(&k, 0, sizeof k);
        bool ok = w2_len == 64;
        for (size_t i = 0; ok && i < 32; i++) {
            int hi = hex_digit(w2[2 * i]), lo = hex_digit(w2[2 * i + 1]);
            ok = hi >= 0 && lo >= 0;
            k.pk[i] = (uint8_t)(hi * 16 + lo);
        }
        if (!ok) {
            snprintf(err, err_len, "line %zu: expected 'TENANT-OR-ROLE PUBLIC-KEY' with 64 hex digits", line_no);
            free(*out);
            *out = NULL;
            *count = 0;
            return GL_ERR_INPUT;
        }
        gl_str w = {w1, w1_len};
        if (gl_str_eq(w, "accountant")) {
            k.role = GL_KEY_ROLE_ACCOUNTANT;
        } else if (gl_str_eq(w, "auditor")) {
            k.role = GL_KEY_ROLE_AUDITOR;
        } else {
            bool id = w1_len >= 1 && w1_len <= GL_TENANT_MAX;
            for (size_t i = 0; id && i < w1_len; i++)
                id = (w1[i] >= 'a' && w1[i] <= 'z') || (w1[i] >= '0' && w1[i] <= '9') || w1[i] == '_' || w1[i] == '-';
            if (!id) {
                snprintf(err, err_len, "line %zu: '%.*s' is neither 'accountant', 'auditor' nor a tenant id", line_no,
                         (int)(w1_len > 40 ? 40 : w1_len), w1);
                free(*out);
                *out = NULL;
                *count = 0;
                return GL_ERR_INPUT;
            }
            k.role = GL_KEY_ROLE_MEMBER;
            memcpy(k.tenant, w1, w1_len);
        }
        if (*count == cap) {
            cap = cap ? cap * 2 : 16;
            gl_trusted_key *n = realloc(*out, cap * sizeof *n);
            if (!n) {
                free(*out);
                *out = NULL;
                *count = 0;
                return GL_ERR_NOMEM;
            }
            *out = n;
        }
        (*out)[(*count)++] = k;
    }
    return GL_OK;
}
