/*
 * client/verify/verify_int.h — what the files of the offline verifier share
 * (private: the public API is verify.h).  The replay's state (one context
 * per verification, one per tenant's chain, one per envelope and per run of
 * a request's events), the hash map that holds the replayed ledger, small
 * helpers, and the functions one file of the verifier calls in another,
 * prefixed vf_ and listed by the file that holds them.
 */
#ifndef GL_VERIFY_INT_H
#define GL_VERIFY_INT_H

#include "verify.h"

#include "proto/entry.h"
#include "proto/group.h"
#include "proto/money.h"
#include "proto/query.h"
#include "proto/request.h"
#include "proto/status.h"
#include "proto/third_party.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Recorded times outside [1970, 3000) are refused before any date is
 * computed from them. */
#define TIME_MAX_MS 32503680000000LL

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

static inline int str_cmp(gl_str a, gl_str b) { return gl_archive_str_cmp(a, b); }

/* qsort and memcpy that accept an empty (maybe NULL) array. */
static inline void sort_items(void *base, size_t n, size_t size,
                              int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(base, n, size, cmp);
}

static inline void copy_bytes(void *dst, const void *src, size_t n)
{
    if (n)
        memcpy(dst, src, n);
}

static inline bool str_eq(gl_str a, gl_str b)
{
    return a.len == b.len && (a.len == 0 || !memcmp(a.ptr, b.ptr, a.len));
}
static inline gl_str cstr(const char *s) { return (gl_str){s, strlen(s)}; }

static inline int64_t signed_amount(const gl_line *l)
{
    return l->side == GL_SIDE_DEBIT ? l->amount_cents : -l->amount_cents;
}

static inline const char *money(int64_t cents, char out[GL_MONEY_TEXT_MAX])
{
    return gl_money_format(cents, GL_MONEY_PLAIN, out);
}

/* Decode the payload of an ENTRY (layout 1) or ENTRY2 (layout 2) event. */
static inline int entry_payload(const gl_event *ev, uint16_t *fy, uint32_t *num, gl_entry *e)
{
    return gl_event_entry(ev, fy, num, e);
}

/* The entry layout of a request's version: a version 1 request's entries
 * (posted, or written by the daemon for it) are in layout 1, for ever. */
static inline int request_layout(const gl_request *q)
{
    return q->version == GL_PROTOCOL_VERSION_1 ? GL_LAYOUT_1 : GL_LAYOUT_2;
}

/* A version 1 request is history: signed under the rules of its time, it
 * is judged by them.  Rules added with version 2 (the bidirectional
 * controls refused in text, issue 11 item 11b; locks no further than the
 * month they are recorded in, issue 13 item 4) apply to version 2 requests
 * only, every request made since: a ledger written before them still
 * verifies (nothing stored is rejected after the fact). */
static inline bool history(const gl_request *q) { return q->version == GL_PROTOCOL_VERSION_1; }

/* ------------------------------------------------------------------ */
/* An open-addressing hash map of fixed-size keys and values (verify_map.c) */
/* ------------------------------------------------------------------ */

typedef struct map {
    uint8_t *slots;
    size_t cap, count;
    size_t key_len;                    /* the key's own size */
    size_t key_size, val_size, stride; /* sizes rounded up to 8 */
} map;

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
    uint8_t label_len;  /* the label as the chain stands: opening, then ACCOUNT_LABEL events */
    uint8_t carry_mode; /* proto/carry.h, as CARRY_MODE events set it */
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
    bool saw_asset_post; /* ASSET_POST: its event 26 after its entries */
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
    map balances;   /* bal_key -> bal_val */
    map accounts;   /* acct_key -> acct_val */
    map numbers;    /* num_key -> num_val */
    map lines;      /* line_key -> line_val */
    map letters;    /* letter_key -> letter_val */
    map aux_labels; /* acct_key (the aux) -> gl_str: its first label */
    map registry;   /* acct_key (a third party's code) -> uint8_t: its flags (type 9) */
    map forgotten;  /* acct_key (a code) -> uint8_t: 1 once forgotten (type 12) */
    year_state *years;
    size_t year_count, year_cap;
    uint32_t locked_through;
    uint32_t detailed_accounts; /* accounts whose carry_mode is detailed */
    uint64_t last_envelope;
    uint64_t entries;
    run cur;
    run ended; /* the previous request's run, checked after the next event */
    bool ended_pending;
    struct vf_bank *bank;             /* verify_bank.c: bank accounts and lines (NULL: none yet) */
    struct vf_bank_rules *bank_rules; /* verify_bank_rules.c (NULL: none yet) */
    struct vf_analytic *analytic;     /* verify_analytic.c (NULL: none yet) */
    struct vf_grants *grants;         /* verify_grants.c (NULL: none yet) */
    struct vf_timesheets *timesheets; /* verify_timesheet.c (NULL: none yet) */
    struct vf_assets *assets;         /* verify_assets.c (NULL: none yet) */
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

static inline bool stopped(const vctx *v) { return v->r->problem != GL_VP_NONE || v->nomem; }

/* One line of an entry, for comparisons independent of line order. */
typedef struct cline {
    gl_str account, aux;
    uint8_t side;
    int64_t amount;
    gl_str analytic; /* the line's analytic item bytes ("" or {0}: none) */
} cline;

/* ------------------------------------------------------------------ */
/* Functions shared between the files, by the file that holds them     */
/* ------------------------------------------------------------------ */

/* verify.c */
/* Record the first problem (message prefixed with where the replay is);
 * always false, so that a check can return it. */
bool vf_problem(vctx *v, int kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
bool vf_out_of_memory(vctx *v); /* false too */
/* verify_map.c */
void vf_map_init(map *m, size_t key_size, size_t val_size);
void vf_map_free(map *m);
void *vf_map_get(map *m, const void *key, bool create, bool *nomem);
bal_key vf_make_bal_key(uint16_t fy, gl_str account, gl_str aux);
acct_key vf_make_acct_key(gl_str account);
num_key vf_make_num_key(uint16_t fy, uint32_t num);
/* The next balance of a map of balances (bal_key -> bal_val) at or after
 * slot *i, *i moved past it; false when none is left. */
bool vf_next_balance(const map *m, size_t *i, const bal_key **k, const bal_val **b);
/* verify_index.c */
year_state *vf_year_get(vctx *v, uint16_t fy);
year_state *vf_year_find(tstate *ts, uint16_t fy);
bool vf_entry_of(const vctx *v, const gl_archive_tenant *t, uint32_t i, gl_entry *e, uint16_t *fy,
                 uint32_t *num);
bool vf_build_index(vctx *v);
const index_row *vf_index_find(const vctx *v, uint64_t envelope, uint32_t item, uint16_t t);
const gl_archive_tenant *vf_tenant_by_code(const vctx *v, gl_str code);
int vf_tenant_index(const vctx *v, const gl_archive_tenant *t);
/* verify_requests.c */
int vf_post_decode(const gl_request *q, gl_post *p, uint32_t *bad);
int vf_accounts_open_decode(const gl_request *q, gl_accounts_open *o, uint32_t *bad);
int vf_account_label_decode(const gl_request *q, gl_accounts_open *o, uint32_t *bad);
int vf_dues_decode(const gl_request *q, gl_dues_q *d);
int vf_adjust_decode(const gl_request *q, gl_recharge_adjust_q *d);
int vf_letter_decode(const gl_request *q, gl_letter_q *l);
int vf_unletter_decode(const gl_request *q, gl_unletter_q *u);
int vf_letter_batch_decode(const gl_request *q, gl_letter_batch_q *b);
env_state *vf_event_request(vctx *v, const gl_event *ev, uint64_t seq);
bool vf_end_run(vctx *v, run *r);
bool vf_header_tenant(vctx *v, const env_state *es);
bool vf_expect_kind(vctx *v, const env_state *es, uint16_t kind);
/* verify_keys.c */
bool vf_check_key(vctx *v, const gl_request *q, int64_t recorded_ms);
void vf_fingerprint(const uint8_t pk[32], char out[20]);
void vf_iso_time(int64_t ms, char out[32]);
/* verify_entries.c */
int vf_cline_cmp(const void *pa, const void *pb);
bool vf_same_lines(vctx *v, int kind, const char *what, const gl_entry *e, cline *want,
                   size_t want_n);
bool vf_year_lines(vctx *v, uint16_t fy, char lo, char hi, bool same_side, cline **out, size_t *n,
                   int64_t *net_sum);
bool vf_event_entry(vctx *v, const gl_event *ev, uint32_t event_index);
/* verify_close.c */
bool vf_check_close_entry(vctx *v, const env_state *es, const gl_event *ev, uint16_t fy,
                          uint32_t num, const gl_entry *e);
bool vf_event_lock(vctx *v, const gl_event *ev);
bool vf_event_close(vctx *v, const gl_event *ev);
/* verify_group.c */
bool vf_check_group_entry(vctx *v, const env_state *es, const gl_event *ev, const gl_entry *e);
void vf_check_cross(vctx *v);
/* verify_accounts.c */
bool vf_event_account_open(vctx *v, const gl_event *ev);
bool vf_event_account_label(vctx *v, const gl_event *ev);
bool vf_event_third_party(vctx *v, const gl_event *ev);
/* verify_letter.c */
bool vf_event_letter(vctx *v, const gl_event *ev);
bool vf_event_unletter(vctx *v, const gl_event *ev);
/* verify_carry.c */
bool vf_event_carry_mode(vctx *v, const gl_event *ev);
bool vf_any_detailed(vctx *v);
/* The à-nouveaux of the close of fy when some account is detailed: its
 * lines and line areas in the daemon's order (freed by the caller). */
bool vf_opening_lines(vctx *v, uint16_t fy, gl_line_in **lines, gl_ext_in **ext, void **keep,
                      size_t *n);
/* verify_reminder.c */
bool vf_event_reminder(vctx *v, const gl_event *ev);
/* verify_persons.c */
bool vf_event_forget(vctx *v, const gl_event *ev);
/* The registry's side of a third party recorded (type 9): never a
 * forgotten code again (461), its flags kept for the lines. */
bool vf_person_record(vctx *v, const gl_third_party *r);
/* A POST's entry naming a natural person of the registry with a clear
 * aux label (462), but in a reversal, as the daemon refuses it. */
bool vf_check_person_lines(vctx *v, const gl_entry *e, uint32_t item);
/* verify_bank.c */
bool vf_event_bank_account(vctx *v, const gl_event *ev);
bool vf_event_bank_statement(vctx *v, const gl_event *ev);
/* verify_bank_match.c */
bool vf_event_bank_match(vctx *v, const gl_event *ev);
bool vf_event_bank_unmatch(vctx *v, const gl_event *ev);
void vf_bank_free(struct vf_bank *b);
/* Has the chain registered a bank account on account? */
bool vf_bank_registered(vctx *v, gl_str account);
/* verify_bank_rules.c */
bool vf_event_bank_rule(vctx *v, const gl_event *ev);
void vf_bank_rules_free(struct vf_bank_rules *b);
/* verify_analytic.c */
bool vf_event_analytic_axis(vctx *v, const gl_event *ev);
bool vf_event_analytic_code(vctx *v, const gl_event *ev);
bool vf_event_analytic_rule(vctx *v, const gl_event *ev);
bool vf_event_analytic_alloc(vctx *v, const gl_event *ev);
/* The analytic rules on a POSTed entry's lines (after gl_entry_check,
 * which checks their sums, and check_rules, which checks a reversal's
 * lines): codes open, required axes carried; a reversal's lines are only
 * counted, and take their reversed lines' allocations (fy/num: the
 * entry's number). */
bool vf_analytic_entry(vctx *v, const gl_entry *e, uint16_t fy, uint32_t num);
void vf_analytic_summary(const tstate *ts, gl_verify_analytic *out);
void vf_analytic_free(struct vf_analytic *a);
/* verify_timesheet.c */
bool vf_event_timesheet(vctx *v, const gl_event *ev);
void vf_timesheets_free(struct vf_timesheets *t);
/* The event is its signed request's body, byte for byte, as item 1 (a
 * problem of `what` otherwise): the analytic, grant and budget events. */
bool vf_event_signed_body(vctx *v, const gl_event *ev, uint16_t kind, const char *what);
/* Is code open on axis at this point (484, 485 reported as a problem of
 * `where`, else true)?  For the grants and budgets. */
bool vf_analytic_code_open(vctx *v, const char *where, gl_str axis, gl_str code);
/* verify_grants.c */
bool vf_event_grant(vctx *v, const gl_event *ev);
bool vf_event_budget(vctx *v, const gl_event *ev);
void vf_grants_free(struct vf_grants *g);
/* verify_assets.c */
bool vf_event_asset(vctx *v, const gl_event *ev);
bool vf_event_asset_post(vctx *v, const gl_event *ev);
/* An ASSET_POST's entry: the one the register and the signed body give at
 * its place. */
bool vf_check_asset_entry(vctx *v, const env_state *es, const gl_event *ev, const gl_entry *e);
void vf_assets_free(struct vf_assets *a);
/* verify_chain.c */
bool vf_verify_tenant(vctx *v, uint16_t t, gl_verify_tenant *sum);
void vf_tstate_free(tstate *ts);

#endif
