/*
 * client/bank/match_engine.c — the reconciliation's proposals and the
 * entries of the rules (client/bank/match.h).
 *
 * Three passes over the lines still free, each line in at most one
 * proposal:
 *   1. REFERENCE: a bank line's bank_ref, end_to_end, or a cheque number in
 *      its label (a run of 3 or more digits in a label that says "chq" or
 *      "cheque") equals a ledger line's piece, both normalised (spaces left
 *      out, upper case, leading zeros left out), and the amounts are equal;
 *      no date window (a cheque written in December may be cashed in
 *      February).  Among several, the nearest date.
 *   2. EXACT: equal amounts, dates at most window_days apart; each bank
 *      line (oldest first) takes the free ledger line nearest in date.
 *   3. GROUP: one bank line = the sum of 2..max_lines ledger lines of its
 *      sign within the window (a deposit of cheques, a payroll batch),
 *      then one ledger line = the sum of several bank lines.  The
 *      GROUP_CANDIDATES nearest lines in date are searched (pruned
 *      depth-first, larger amounts first), at most GROUP_STEPS steps.
 * A proposal is sure when it is the only one either way: in 1 and 2 each
 * line has the other as its only candidate; in 3 exactly one subset was
 * found and the search was not cut short.
 *
 * Every order is total (date, then the bank's seq or the ledger line's
 * reference), so the proposals do not depend on the order of the input.
 */
#include "match.h"
#include "recon_render.h" /* recon_cstr */

#include "proto/assert.h"
#include "proto/limits.h"
#include "proto/textfold.h"

#include "client/cli/aging.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define GROUP_CANDIDATES 24
#define GROUP_STEPS 20000
#define LABEL_KEYS 4 /* cheque numbers read in one label */
#define KEY_MAX 72   /* a normalised reference, with its NUL */

/* One side's lines as the passes see them. */
typedef struct side {
    size_t n;
    int64_t *amount, *day;
    uint64_t *tie; /* the bank's seq, or the ledger line's fy|num|line */
    bool *used;
    uint32_t *by_date;   /* indexes, by (day, tie) */
    uint32_t *by_amount; /* indexes, by (amount, day, tie) */
} side;

typedef struct engine {
    side s[2]; /* 0 the bank, 1 the books */
    uint32_t window;
    unsigned max_lines;
    gl_match_prop *props;
    size_t n, cap;
} engine;

enum { BANK = 0, BOOK = 1 };

/* ---- orders ---- */

static const side *sort_side; /* qsort has no user pointer */
static bool sort_by_amount;

static int cmp64(int64_t a, int64_t b) { return (a > b) - (a < b); }

static int cmp_lines(const void *pa, const void *pb)
{
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
    const side *s = sort_side;
    int c = sort_by_amount ? cmp64(s->amount[a], s->amount[b]) : 0;
    if (!c)
        c = cmp64(s->day[a], s->day[b]);
    if (!c)
        c = (s->tie[a] > s->tie[b]) - (s->tie[a] < s->tie[b]);
    return c ? c : (a > b) - (a < b);
}

static void sort_idx(const side *s, uint32_t *idx, size_t n, bool by_amount)
{
    sort_side = s;
    sort_by_amount = by_amount;
    qsort(idx, n, sizeof *idx, cmp_lines);
}

/* A line the engine may propose: not 0, within the protocol's bounds (so
 * that no sum of GROUP_CANDIDATES of them overflows). */
static bool usable(int64_t cents)
{
    return cents != 0 && cents <= GL_TOTAL_MAX_CENTS && cents >= -GL_TOTAL_MAX_CENTS;
}

static int side_init(side *s, size_t n)
{
    s->n = n;
    size_t m = n ? n : 1;
    s->amount = calloc(m, sizeof *s->amount);
    s->day = calloc(m, sizeof *s->day);
    s->tie = calloc(m, sizeof *s->tie);
    s->used = calloc(m, sizeof *s->used);
    s->by_date = calloc(m, sizeof *s->by_date);
    s->by_amount = calloc(m, sizeof *s->by_amount);
    return s->amount && s->day && s->tie && s->used && s->by_date && s->by_amount ? 0 : -1;
}

static void side_free(side *s)
{
    free(s->amount);
    free(s->day);
    free(s->tie);
    free(s->used);
    free(s->by_date);
    free(s->by_amount);
}

static void side_sort(side *s)
{
    for (size_t i = 0; i < s->n; i++) {
        s->by_date[i] = (uint32_t)i;
        s->by_amount[i] = (uint32_t)i;
        s->used[i] = !usable(s->amount[i]);
    }
    sort_idx(s, s->by_date, s->n, false);
    sort_idx(s, s->by_amount, s->n, true);
}

static int engine_init(engine *e, const gl_recon_bank *bank, size_t nbank,
                       const gl_recon_book *book, size_t nbook)
{
    if (side_init(&e->s[BANK], nbank) || side_init(&e->s[BOOK], nbook))
        return -1;
    for (size_t i = 0; i < nbank; i++) {
        e->s[BANK].amount[i] = bank[i].line.amount_cents;
        e->s[BANK].day[i] = aging_day_number(bank[i].line.booking);
        e->s[BANK].tie[i] = bank[i].seq;
    }
    for (size_t i = 0; i < nbook; i++) {
        e->s[BOOK].amount[i] = book[i].amount_cents;
        e->s[BOOK].day[i] = aging_day_number(book[i].date);
        e->s[BOOK].tie[i] =
            (uint64_t)book[i].ref.fy << 48 | (uint64_t)book[i].ref.num << 16 | book[i].ref.line;
    }
    side_sort(&e->s[BANK]);
    side_sort(&e->s[BOOK]);
    e->cap = nbank < nbook ? nbank : nbook;
    e->props = calloc(e->cap ? e->cap : 1, sizeof *e->props);
    return e->props ? 0 : -1;
}

/* ---- proposals ---- */

/* Record a proposal of lines a (on side sa) and b (the other side). */
static void emit(engine *e, gl_match_why why, bool sure, int sa, const uint32_t *a, size_t na,
                 const uint32_t *b, size_t nb)
{
    GL_ASSERT(e->n < e->cap && na >= 1 && nb >= 1 && na <= GL_BANK_MATCH_SIDE_MAX &&
              nb <= GL_BANK_MATCH_SIDE_MAX);
    gl_match_prop *p = &e->props[e->n++];
    p->why = why;
    p->sure = sure;
    const uint32_t *bank = sa == BANK ? a : b, *book = sa == BANK ? b : a;
    p->nbank = (uint8_t)(sa == BANK ? na : nb);
    p->nbook = (uint8_t)(sa == BANK ? nb : na);
    memcpy(p->bank, bank, p->nbank * sizeof *bank);
    memcpy(p->book, book, p->nbook * sizeof *book);
    for (size_t i = 0; i < na; i++)
        e->s[sa].used[a[i]] = true;
    for (size_t i = 0; i < nb; i++)
        e->s[!sa].used[b[i]] = true;
    sort_idx(&e->s[BANK], p->bank, p->nbank, false);
    sort_idx(&e->s[BOOK], p->book, p->nbook, false);
}

static int64_t distance(const engine *e, uint32_t bank, uint32_t book)
{
    int64_t d = e->s[BANK].day[bank] - e->s[BOOK].day[book];
    return d < 0 ? -d : d;
}

/* ---- 1. REFERENCE ---- */

/* Spaces out, ASCII upper case, leading zeros out; false when nothing is left. */
static bool normalise(const char *s, size_t len, char out[KEY_MAX])
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < KEY_MAX; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == ' ' || ch == '\t' || (ch == '0' && n == 0))
            continue;
        out[n++] = (char)toupper(ch);
    }
    out[n] = '\0';
    return n > 0;
}

/* The cheque numbers of a label that names a cheque. */
static size_t cheque_numbers(gl_str label, char keys[][KEY_MAX], size_t cap)
{
    char folded[GL_BANK_TEXT_MAX + 1];
    size_t len = label.len < GL_BANK_TEXT_MAX ? label.len : GL_BANK_TEXT_MAX;
    len = gl_text_fold(label.ptr, len, folded);
    folded[len] = '\0';
    if (!strstr(folded, "chq") && !strstr(folded, "cheque"))
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < len && n < cap;) {
        size_t run = strspn(folded + i, "0123456789");
        if (run >= 3 && normalise(folded + i, run, keys[n]))
            n++;
        i += run ? run : 1;
    }
    return n;
}

static size_t bank_keys(const gl_recon_bank *b, char keys[][KEY_MAX])
{
    size_t n = 0;
    if (normalise(b->line.bank_ref.ptr, b->line.bank_ref.len, keys[n]))
        n++;
    if (normalise(b->line.end_to_end.ptr, b->line.end_to_end.len, keys[n]))
        n++;
    return n + cheque_numbers(b->line.label, keys + n, LABEL_KEYS);
}

typedef struct ref_pass {
    engine *e;
    const gl_recon_bank *bank;
    char (*piece)[KEY_MAX]; /* per ledger line, "" when none */
    uint32_t *nbank_of;     /* per ledger line: bank lines naming it */
    uint32_t *nbook_of;     /* per bank line: ledger lines it names */
    uint32_t *cand;         /* scratch: one bank line's candidates */
} ref_pass;

/* The free ledger lines of the bank line's amount whose piece is one of
 * its keys, into r->cand; their count. */
static size_t ref_candidates(ref_pass *r, uint32_t bi)
{
    char keys[2 + LABEL_KEYS][KEY_MAX];
    size_t nk = bank_keys(&r->bank[bi], keys), nc = 0;
    const side *k = &r->e->s[BOOK];
    int64_t amount = r->e->s[BANK].amount[bi];
    size_t lo = 0, hi = k->n;
    while (lo < hi) { /* the first ledger line of this amount */
        size_t mid = lo + (hi - lo) / 2;
        if (k->amount[k->by_amount[mid]] < amount)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t p = lo; p < k->n && k->amount[k->by_amount[p]] == amount; p++) {
        uint32_t ki = k->by_amount[p];
        for (size_t j = 0; !k->used[ki] && r->piece[ki][0] && j < nk; j++)
            if (!strcmp(keys[j], r->piece[ki])) {
                r->cand[nc++] = ki;
                break;
            }
    }
    return nc;
}

static void ref_assign(ref_pass *r)
{
    engine *e = r->e;
    const side *b = &e->s[BANK];
    for (size_t i = 0; i < b->n; i++) {
        uint32_t bi = b->by_date[i];
        if (b->used[bi])
            continue;
        size_t nc = ref_candidates(r, bi);
        if (!nc)
            continue;
        uint32_t best = r->cand[0];
        for (size_t j = 1; j < nc; j++)
            if (distance(e, bi, r->cand[j]) < distance(e, bi, best))
                best = r->cand[j];
        bool sure = r->nbook_of[bi] == 1 && r->nbank_of[best] == 1;
        emit(e, GL_MATCH_REFERENCE, sure, BANK, &bi, 1, &best, 1);
    }
}

static int by_reference(engine *e, const gl_recon_bank *bank, const gl_recon_book *book)
{
    size_t nk = e->s[BOOK].n, m = nk ? nk : 1, nb = e->s[BANK].n ? e->s[BANK].n : 1;
    ref_pass r = {e,
                  bank,
                  calloc(m, KEY_MAX),
                  calloc(m, sizeof(uint32_t)),
                  calloc(nb, sizeof(uint32_t)),
                  calloc(m, sizeof(uint32_t))};
    int rc = r.piece && r.nbank_of && r.nbook_of && r.cand ? 0 : -1;
    for (size_t i = 0; !rc && i < nk; i++)
        if (!normalise(book[i].piece.ptr, book[i].piece.len, r.piece[i]))
            r.piece[i][0] = '\0';
    for (size_t bi = 0; !rc && bi < e->s[BANK].n; bi++) {
        if (e->s[BANK].used[bi])
            continue;
        size_t nc = ref_candidates(&r, (uint32_t)bi);
        r.nbook_of[bi] = (uint32_t)nc;
        for (size_t j = 0; j < nc; j++)
            r.nbank_of[r.cand[j]]++;
    }
    if (!rc)
        ref_assign(&r);
    free(r.piece);
    free(r.nbank_of);
    free(r.nbook_of);
    free(r.cand);
    return rc;
}

/* ---- 2. EXACT ---- */

/* In the other side's by_amount order: the first position not before
 * (amount, day). */
static size_t lower(const side *s, int64_t amount, int64_t day)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint32_t i = s->by_amount[mid];
        if (s->amount[i] < amount || (s->amount[i] == amount && s->day[i] < day))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Free lines of side o with line i's amount (side s) within the window:
 * their count, and the range [*lo, *hi) of o's by_amount holding them. */
static size_t in_window(const engine *e, int s, uint32_t i, size_t *lo, size_t *hi)
{
    const side *o = &e->s[!s];
    int64_t amount = e->s[s].amount[i], day = e->s[s].day[i];
    *lo = lower(o, amount, day - (int64_t)e->window);
    *hi = lower(o, amount, day + (int64_t)e->window + 1);
    size_t n = 0;
    for (size_t p = *lo; p < *hi; p++)
        n += !o->used[o->by_amount[p]];
    return n;
}

/* How many candidates each line has on the other side as the pass starts
 * (sure: 1 both ways); per side, cnt[side][line]. */
static int window_counts(const engine *e, uint32_t *cnt[2])
{
    for (int s = BANK; s <= BOOK; s++) {
        cnt[s] = calloc(e->s[s].n ? e->s[s].n : 1, sizeof *cnt[s]);
        if (!cnt[s])
            return -1;
        for (size_t i = 0; i < e->s[s].n; i++) {
            size_t lo, hi;
            cnt[s][i] = e->s[s].used[i] ? 0 : (uint32_t)in_window(e, s, (uint32_t)i, &lo, &hi);
        }
    }
    return 0;
}

static int by_amount(engine *e)
{
    uint32_t *cnt[2] = {NULL, NULL};
    int rc = window_counts(e, cnt);
    const side *b = &e->s[BANK], *k = &e->s[BOOK];
    for (size_t i = 0; !rc && i < b->n; i++) {
        uint32_t bi = b->by_date[i];
        size_t lo, hi;
        if (b->used[bi] || !in_window(e, BANK, bi, &lo, &hi))
            continue;
        uint32_t best = UINT32_MAX;
        for (size_t p = lo; p < hi; p++) {
            uint32_t ki = k->by_amount[p];
            if (!k->used[ki] && (best == UINT32_MAX || distance(e, bi, ki) < distance(e, bi, best)))
                best = ki;
        }
        emit(e, GL_MATCH_EXACT, cnt[BANK][bi] == 1 && cnt[BOOK][best] == 1, BANK, &bi, 1, &best, 1);
    }
    free(cnt[BANK]);
    free(cnt[BOOK]);
    return rc;
}

/* ---- 3. GROUP ---- */

typedef struct cand {
    uint32_t idx;
    int64_t abs_cents, dist;
} cand;

/* Nearest first (then the line's own order). */
static int cmp_near(const void *pa, const void *pb)
{
    const cand *a = pa, *b = pb;
    int c = cmp64(a->dist, b->dist);
    return c ? c : cmp_lines(&a->idx, &b->idx);
}

/* Larger amounts first, then nearest. */
static int cmp_large(const void *pa, const void *pb)
{
    const cand *a = pa, *b = pb;
    int c = cmp64(b->abs_cents, a->abs_cents);
    return c ? c : cmp_near(pa, pb);
}

typedef struct search {
    const cand *c;
    size_t n;
    int64_t rest[GROUP_CANDIDATES + 1]; /* Σ c[i..n) */
    unsigned max_pick, npick, found;
    long steps;
    uint32_t pick[GL_BANK_MATCH_SIDE_MAX], first[GL_BANK_MATCH_SIDE_MAX];
    unsigned nfirst;
} search;

/* Subsets of c[from..n) summing to left (all positive): stops at the
 * second found, or when the steps run out. */
static void dfs(search *s, size_t from, int64_t left)
{
    if (left == 0) {
        if (s->found++ == 0) {
            memcpy(s->first, s->pick, s->npick * sizeof *s->pick);
            s->nfirst = s->npick;
        }
        return;
    }
    for (size_t i = from; i < s->n && s->npick < s->max_pick; i++) {
        if (s->found >= 2 || --s->steps <= 0 || s->rest[i] < left)
            return;
        if (s->c[i].abs_cents > left)
            continue;
        s->pick[s->npick++] = s->c[i].idx;
        dfs(s, i + 1, left - s->c[i].abs_cents);
        s->npick--;
    }
}

/* The free lines of side o of the sign of the amount, smaller, within the
 * window of day: the GROUP_CANDIDATES nearest into c; their count. */
static size_t group_candidates(const engine *e, int o, int64_t amount, int64_t day, cand *c,
                               size_t cap)
{
    const side *s = &e->s[o];
    size_t n = 0, lo = 0, hi = s->n;
    while (lo < hi) { /* the first line of the window */
        size_t mid = lo + (hi - lo) / 2;
        if (s->day[s->by_date[mid]] < day - (int64_t)e->window)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t p = lo; p < s->n; p++) {
        uint32_t i = s->by_date[p];
        int64_t dist = s->day[i] - day;
        if (dist > (int64_t)e->window)
            break;
        if (s->used[i] || (s->amount[i] > 0) != (amount > 0))
            continue;
        int64_t abs_cents = s->amount[i] < 0 ? -s->amount[i] : s->amount[i];
        if (abs_cents >= (amount < 0 ? -amount : amount))
            continue;
        c[n++] = (cand){i, abs_cents, dist < 0 ? -dist : dist};
    }
    sort_side = s;
    sort_by_amount = false;
    qsort(c, n, sizeof *c, cmp_near);
    if (n > cap)
        n = cap;
    qsort(c, n, sizeof *c, cmp_large);
    return n;
}

/* Each free line of side one (oldest first) as the sum of several free
 * lines of the other side. */
static void by_group(engine *e, int one, cand *scratch)
{
    const side *s = &e->s[one];
    for (size_t p = 0; p < s->n && e->max_lines >= 2; p++) {
        uint32_t i = s->by_date[p];
        if (s->used[i])
            continue;
        int64_t amount = s->amount[i];
        size_t n = group_candidates(e, !one, amount, s->day[i], scratch, GROUP_CANDIDATES);
        search q = {.c = scratch, .n = n, .max_pick = e->max_lines, .steps = GROUP_STEPS};
        q.rest[n] = 0;
        for (size_t j = n; j-- > 0;)
            q.rest[j] = q.rest[j + 1] + scratch[j].abs_cents;
        dfs(&q, 0, amount < 0 ? -amount : amount);
        if (q.found)
            emit(e, GL_MATCH_GROUP, q.found == 1 && q.steps > 0, one, &i, 1, q.first, q.nfirst);
    }
}

/* ---- the result ---- */

/* Kind, then the first bank line's date and seq. */
static int cmp_props(const void *pa, const void *pb)
{
    const gl_match_prop *a = pa, *b = pb;
    if (a->why != b->why)
        return a->why < b->why ? -1 : 1;
    return cmp_lines(&a->bank[0], &b->bank[0]);
}

static void finish(engine *e)
{
    sort_side = &e->s[BANK];
    sort_by_amount = false;
    qsort(e->props, e->n, sizeof *e->props, cmp_props);
}

int gl_match_propose(const gl_recon_bank *bank, size_t nbank, const gl_recon_book *book,
                     size_t nbook, const gl_match_opts *opts, gl_match_prop **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    engine e = {.window = opts ? opts->window_days : GL_MATCH_WINDOW_DAYS_DEFAULT,
                .max_lines = opts ? opts->max_lines : GL_MATCH_MAX_LINES_DEFAULT};
    if (e.max_lines > GL_BANK_MATCH_SIDE_MAX)
        e.max_lines = GL_BANK_MATCH_SIDE_MAX;
    if (e.window > 3660) /* ten years: day arithmetic stays small */
        e.window = 3660;
    cand *scratch = calloc((nbank > nbook ? nbank : nbook) + 1, sizeof *scratch);
    int rc = scratch && !engine_init(&e, bank, nbank, book, nbook) ? 0 : -1;
    if (!rc)
        rc = by_reference(&e, bank, book);
    if (!rc)
        rc = by_amount(&e);
    if (!rc) {
        by_group(&e, BANK, scratch);
        by_group(&e, BOOK, scratch);
        finish(&e);
        *out = e.props;
        *n = e.n;
    } else {
        free(e.props);
    }
    free(scratch);
    side_free(&e.s[BANK]);
    side_free(&e.s[BOOK]);
    return rc;
}

/* ---- rules ---- */

/* Copy s into out (cap bytes with the NUL), cut at a UTF-8 boundary. */
static void copy_cut(char *out, size_t cap, const char *s, size_t len)
{
    recon_cstr((gl_str){s, len}, out, cap);
}

static void rule_entry(gl_rule_entry *r, const gl_recon_bank *b, const gl_bank_rule *rule,
                       gl_str bank_account)
{
    r->date = b->line.booking;
    r->amount_cents = b->line.amount_cents;
    if (rule->journal.len)
        copy_cut(r->journal, sizeof r->journal, rule->journal.ptr, rule->journal.len);
    else
        strcpy(r->journal, "BQ");
    if (b->line.bank_ref.len)
        copy_cut(r->piece, sizeof r->piece, b->line.bank_ref.ptr, b->line.bank_ref.len);
    else
        snprintf(r->piece, sizeof r->piece, "BQ-%u", (unsigned)b->seq);
    gl_str label = rule->label.len ? rule->label : b->line.label;
    copy_cut(r->label, sizeof r->label, label.ptr, label.len);
    copy_cut(r->bank_account, sizeof r->bank_account, bank_account.ptr, bank_account.len);
    copy_cut(r->counterpart, sizeof r->counterpart, rule->counterpart.ptr, rule->counterpart.len);
}

int gl_match_rules(const gl_recon_bank *bank, size_t nbank, const bool *taken,
                   const gl_bank_rule *rules, size_t nrules, gl_str bank_account,
                   gl_rule_entry **out, size_t *n)
{
    *n = 0;
    *out = calloc(nbank ? nbank : 1, sizeof **out);
    if (!*out)
        return -1;
    for (size_t i = 0; i < nbank; i++) {
        if ((taken && taken[i]) || !usable(bank[i].line.amount_cents))
            continue;
        for (size_t j = 0; j < nrules; j++) {
            if (!gl_bank_rule_applies(&rules[j], &bank[i].line))
                continue;
            gl_rule_entry *r = &(*out)[(*n)++];
            r->bank_index = (uint32_t)i;
            r->rule_index = (uint32_t)j;
            rule_entry(r, &bank[i], &rules[j], bank_account);
            break;
        }
    }
    return 0;
}
