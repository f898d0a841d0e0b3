/*
 * client/cli/letter_match.c — automatic lettering's matching (see
 * letter_match.h for the rules and their bounds).
 */
#include "letter_match.h"

#include "i18n.h" /* N_: the rule names are translated where printed */

#include "proto/money.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Days since 1970-01-01 of a valid YYYYMMDD date (the civil-from-days
 * inverse, H. Hinnant's algorithm): for the window, in whole days. */
static int64_t day_number(uint32_t ymd)
{
    int64_t y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static const lm_line *sort_lines; /* qsort has no user pointer */

static int cmp_ref(const lm_line *a, const lm_line *b)
{
    if (a->date != b->date)
        return a->date < b->date ? -1 : 1;
    if (a->ref.fy != b->ref.fy)
        return a->ref.fy < b->ref.fy ? -1 : 1;
    if (a->ref.num != b->ref.num)
        return a->ref.num < b->ref.num ? -1 : 1;
    return (a->ref.line > b->ref.line) - (a->ref.line < b->ref.line);
}

/* Third party (account, aux), then date and reference: each third party's
 * lines together, oldest first. */
static int cmp_lines(const void *pa, const void *pb)
{
    const lm_line *a = &sort_lines[*(const size_t *)pa], *b = &sort_lines[*(const size_t *)pb];
    int c = strcmp(a->account, b->account);
    if (!c)
        c = strcmp(a->aux, b->aux);
    return c ? c : cmp_ref(a, b);
}

static bool same_party(const lm_line *a, const lm_line *b)
{
    return !strcmp(a->account, b->account) && !strcmp(a->aux, b->aux);
}

/* The matching of one third party's lines (order[0..n), oldest first). */
typedef struct party {
    const lm_line *lines;
    const size_t *order;
    size_t n;
    bool *used; /* per position in order */
    uint32_t window_days;
    lm_result *out;
    size_t idx_cap, set_cap;
} party;

static int emit(party *p, lm_rule rule, const size_t *pos, size_t count)
{
    lm_result *r = p->out;
    if (r->set_count == p->set_cap) {
        size_t cap = p->set_cap ? p->set_cap * 2 : 16;
        lm_set *s = realloc(r->sets, cap * sizeof *s);
        if (!s)
            return -1;
        r->sets = s;
        p->set_cap = cap;
    }
    if (r->idx_count + count > p->idx_cap) {
        size_t cap = p->idx_cap ? p->idx_cap * 2 : 64;
        while (cap < r->idx_count + count)
            cap *= 2;
        size_t *x = realloc(r->idx, cap * sizeof *x);
        if (!x)
            return -1;
        r->idx = x;
        p->idx_cap = cap;
    }
    lm_set *s = &r->sets[r->set_count++];
    *s = (lm_set){rule, r->idx_count, (uint16_t)count, 0};
    for (size_t i = 0; i < count; i++) {
        p->used[pos[i]] = true;
        int64_t a = p->lines[p->order[pos[i]]].amount;
        if (a > 0 && !gl_money_add(&s->amount, a))
            s->amount = INT64_MAX; /* shown only: the daemon checks the sum */
        r->idx[r->idx_count++] = p->order[pos[i]];
    }
    return 0;
}

static const lm_line *at(const party *p, size_t pos) { return &p->lines[p->order[pos]]; }

/* Rule 1: the lines of one piece reference, when they sum to zero. */
static int by_piece(party *p)
{
    size_t *pos = malloc((p->n + 1) * sizeof *pos);
    if (!pos)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < p->n && rc == 0; i++) {
        if (p->used[i] || !at(p, i)->piece[0] || !at(p, i)->amount)
            continue;
        size_t count = 0;
        int64_t sum = 0;
        bool ok = true;
        for (size_t j = i; j < p->n; j++)
            if (!p->used[j] && at(p, j)->amount && !strcmp(at(p, j)->piece, at(p, i)->piece)) {
                pos[count++] = j;
                ok &= gl_money_add(&sum, at(p, j)->amount);
            }
        if (ok && sum == 0 && count >= 2 && count <= GL_LETTER_LINES_MAX)
            rc = emit(p, LM_PIECE, pos, count);
    }
    free(pos);
    return rc;
}

/* Rule 2: each line, oldest first, with the oldest line of the opposite
 * amount. */
static int by_pair(party *p)
{
    for (size_t i = 0; i < p->n; i++) {
        if (p->used[i] || !at(p, i)->amount || at(p, i)->amount == INT64_MIN)
            continue;
        for (size_t j = 0; j < p->n; j++)
            if (j != i && !p->used[j] && at(p, j)->amount == -at(p, i)->amount) {
                size_t pos[2] = {i < j ? i : j, i < j ? j : i};
                if (emit(p, LM_PAIR, pos, 2))
                    return -1;
                break;
            }
    }
    return 0;
}

/* Rule 3's search: a set of `want` more lines among cand[from..nc) that
 * brings sum to zero; the first in lexicographic order. */
static bool subset(const party *p, const size_t *cand, size_t nc, size_t from, size_t want,
                   int64_t sum, size_t *chosen, size_t depth)
{
    if (want == 0)
        return sum == 0;
    for (size_t k = from; k + want <= nc; k++) {
        int64_t s = sum;
        if (!gl_money_add(&s, at(p, cand[k])->amount))
            continue;
        chosen[depth] = cand[k];
        if (subset(p, cand, nc, k + 1, want - 1, s, chosen, depth + 1))
            return true;
    }
    return false;
}

/* Rule 3: from the oldest open line on, the smallest set with it that sums
 * to zero among the next lines of its window. */
static int by_subset(party *p)
{
    for (size_t i = 0; i < p->n; i++) {
        if (p->used[i] || !at(p, i)->amount)
            continue;
        size_t cand[LM_SUBSET_CANDIDATES], nc = 0;
        int64_t first_day = day_number(at(p, i)->date);
        for (size_t j = i + 1; j < p->n && nc < LM_SUBSET_CANDIDATES; j++) {
            if (day_number(at(p, j)->date) - first_day > (int64_t)p->window_days)
                break;
            if (!p->used[j] && at(p, j)->amount)
                cand[nc++] = j;
        }
        size_t chosen[LM_SUBSET_MAX];
        chosen[0] = i;
        for (size_t size = 2; size <= LM_SUBSET_MAX; size++)
            if (subset(p, cand, nc, 0, size - 1, at(p, i)->amount, chosen, 1)) {
                if (emit(p, LM_SUBSET, chosen, size))
                    return -1;
                break;
            }
    }
    return 0;
}

static int match_party(party *p)
{
    if (by_piece(p) || by_pair(p) || by_subset(p))
        return -1;
    return 0;
}

/* The lines sorted by third party then age, in *order (n entries). */
static size_t *sorted(const lm_line *lines, size_t n)
{
    size_t *order = malloc((n + 1) * sizeof *order);
    if (!order)
        return NULL;
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    sort_lines = lines;
    qsort(order, n, sizeof *order, cmp_lines);
    return order;
}

int lm_match(const lm_line *lines, size_t n, uint32_t window_days, lm_result *out)
{
    memset(out, 0, sizeof *out);
    size_t *order = sorted(lines, n);
    bool *used = calloc(n + 1, sizeof *used);
    int rc = order && used ? 0 : -1;
    party p = {lines, order, 0, used, window_days, out, 0, 0};
    for (size_t start = 0, end; rc == 0 && start < n; start = end) {
        for (end = start + 1; end < n && same_party(&lines[order[start]], &lines[order[end]]);)
            end++;
        if (!lines[order[start]].aux[0])
            continue; /* no third party named: never matched */
        p.order = order + start;
        p.used = used + start;
        p.n = end - start;
        rc = match_party(&p);
    }
    free(order);
    free(used);
    if (rc)
        lm_result_free(out);
    return rc;
}

void lm_result_free(lm_result *r)
{
    free(r->sets);
    free(r->idx);
    memset(r, 0, sizeof *r);
}

const char *lm_rule_name(lm_rule r)
{
    switch (r) {
    case LM_PIECE: return N_("same piece");
    case LM_PAIR: return N_("same amount");
    case LM_SUBSET: return N_("sum within window");
    }
    return "";
}

/* One third party's remaining amounts: the lines on the side of its
 * balance are its open items; the others are applied to them oldest
 * first. */
static void remaining_party(const lm_line *lines, const size_t *order, size_t n, int64_t *rem)
{
    int64_t balance = 0, applied = 0;
    bool ok = true;
    for (size_t i = 0; i < n; i++)
        ok &= gl_money_add(&balance, lines[order[i]].amount);
    for (size_t i = 0; i < n; i++) {
        int64_t a = lines[order[i]].amount;
        bool item = ok && balance != 0 && (a > 0) == (balance > 0) && a != 0;
        rem[order[i]] = item ? a : 0;
        if (!item)
            ok &= gl_money_add(&applied, a < 0 ? -a : a);
    }
    for (size_t i = 0; ok && i < n && applied > 0; i++) {
        int64_t *r = &rem[order[i]];
        int64_t mag = *r < 0 ? -*r : *r, take = mag < applied ? mag : applied;
        applied -= take;
        *r += *r > 0 ? -take : take;
    }
    if (!ok) /* beyond int64: shown as they stand */
        for (size_t i = 0; i < n; i++)
            rem[order[i]] = lines[order[i]].amount;
}

int lm_remaining(const lm_line *lines, size_t n, int64_t *remaining)
{
    size_t *order = sorted(lines, n);
    if (!order)
        return -1;
    for (size_t start = 0, end; start < n; start = end) {
        for (end = start + 1; end < n && same_party(&lines[order[start]], &lines[order[end]]);)
            end++;
        if (lines[order[start]].aux[0])
            remaining_party(lines, order + start, end - start, remaining);
        else /* no third party: each line stands alone */
            for (size_t i = start; i < end; i++)
                remaining[order[i]] = lines[order[i]].amount;
    }
    free(order);
    return 0;
}
