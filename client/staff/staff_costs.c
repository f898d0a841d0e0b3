/*
 * client/staff/staff_costs.c — the staff costs of a year by employee and
 * action (staff_costs.h).  Sorted arrays grown on demand; every sum of
 * cents is checked; the rate and the splits in 128-bit integers.
 */
#include "staff_costs.h"

#include "proto/group.h"
#include "proto/status.h"

#include <stdlib.h>
#include <string.h>

#define YEAR_HOURS_PER_MILLE ((__int128)GL_TS_YEAR_HOURS * GL_TS_BASIS_FULL)

void sc_year_free(sc_year *y)
{
    for (size_t i = 0; i < y->n; i++)
        free(y->v[i].actions);
    free(y->v);
    memset(y, 0, sizeof *y);
}

/* Grow an array of n elements of size sz to hold one more. */
static bool room(void **v, size_t n, size_t *cap, size_t sz)
{
    if (n < *cap)
        return true;
    size_t c = *cap ? *cap * 2 : 8;
    void *p = realloc(*v, c * sz);
    if (!p)
        return false;
    *v = p;
    *cap = c;
    return true;
}

/* The index where code is or would go, in an array of structs whose first
 * member is the code. */
static size_t where(const void *v, size_t n, size_t sz, const char *code, bool *found)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int cmp = strcmp((const char *)v + mid * sz, code);
        if (cmp == 0) {
            *found = true;
            return mid;
        }
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = false;
    return lo;
}

sc_employee *sc_employee_of(sc_year *y, const char *code)
{
    bool found;
    size_t i = where(y->v, y->n, sizeof *y->v, code, &found);
    if (found)
        return &y->v[i];
    if (strlen(code) > GL_AN_CODE_MAX || !room((void **)&y->v, y->n, &y->cap, sizeof *y->v))
        return NULL;
    memmove(&y->v[i + 1], &y->v[i], (y->n - i) * sizeof *y->v);
    y->n++;
    memset(&y->v[i], 0, sizeof y->v[i]);
    strcpy(y->v[i].code, code);
    return &y->v[i];
}

const sc_employee *sc_employee_find(const sc_year *y, const char *code)
{
    bool found;
    size_t i = where(y->v, y->n, sizeof *y->v, code, &found);
    return found ? &y->v[i] : NULL;
}

static sc_action *action_of(sc_employee *e, gl_str code)
{
    char c[GL_AN_CODE_MAX + 1];
    if (code.len > GL_AN_CODE_MAX)
        return NULL;
    memcpy(c, code.ptr, code.len);
    c[code.len] = '\0';
    bool found;
    size_t i = where(e->actions, e->n, sizeof *e->actions, c, &found);
    if (found)
        return &e->actions[i];
    if (!room((void **)&e->actions, e->n, &e->cap, sizeof *e->actions))
        return NULL;
    memmove(&e->actions[i + 1], &e->actions[i], (e->n - i) * sizeof *e->actions);
    e->n++;
    memset(&e->actions[i], 0, sizeof e->actions[i]);
    strcpy(e->actions[i].code, c);
    return &e->actions[i];
}

int sc_add_sheet(sc_year *y, const gl_timesheet *s)
{
    char code[GL_AN_CODE_MAX + 1];
    if (s->employee.len > GL_AN_CODE_MAX)
        return GL_ERR_BAD_REPLY;
    memcpy(code, s->employee.ptr, s->employee.len);
    code[s->employee.len] = '\0';
    sc_employee *e = sc_employee_of(y, code);
    if (!e)
        return GL_ERR_NOMEM;
    e->basis_sum += s->basis_per_mille; /* 12 × 1000 at most */
    e->months++;
    e->basis_per_mille = (uint16_t)((2u * e->basis_sum + e->months) / (2u * e->months));
    size_t pos = 0;
    gl_ts_row r;
    while (gl_ts_rows_next(s, &pos, &r)) {
        sc_action *a = action_of(e, r.action);
        if (!a)
            return GL_ERR_NOMEM;
        a->minutes += r.minutes; /* 12 months of 64 rows of u32: no overflow */
        e->minutes += r.minutes;
    }
    return GL_OK;
}

bool sc_staff_account(const char *account)
{
    return !strncmp(account, "641", 3) || !strncmp(account, "645", 3);
}

int sc_add_costs(sc_year *y, const char *code, const char *account, int64_t debit_cents,
                 int64_t credit_cents)
{
    if (!code[0] || !sc_staff_account(account))
        return GL_OK;
    sc_employee *e = sc_employee_of(y, code);
    if (!e)
        return GL_ERR_NOMEM;
    int64_t net;
    if (__builtin_sub_overflow(debit_cents, credit_cents, &net) ||
        __builtin_add_overflow(e->costs_cents, net, &e->costs_cents))
        return GL_ERR_SUM_OVERFLOW;
    return GL_OK;
}

bool sc_rate_cents(int64_t costs_cents, uint16_t basis_per_mille, int64_t *rate_cents)
{
    return sc_rate_mean_cents(costs_cents, basis_per_mille, 1, rate_cents);
}

bool sc_rate_mean_cents(int64_t costs_cents, uint32_t basis_sum, uint32_t n, int64_t *rate_cents)
{
    if (basis_sum == 0 || n == 0)
        return false;
    __int128 num = (__int128)costs_cents * GL_TS_BASIS_FULL * n;
    __int128 den = YEAR_HOURS_PER_MILLE / GL_TS_BASIS_FULL * basis_sum;
    __int128 mag = num < 0 ? -num : num;
    __int128 q = (2 * mag + den) / (2 * den); /* half up */
    __int128 r = num < 0 ? -q : q;
    if (r > INT64_MAX || r < INT64_MIN)
        return false;
    *rate_cents = (int64_t)r;
    return true;
}

static int allocate(sc_employee *e)
{
    for (size_t i = 0; i < e->n; i++)
        e->actions[i].amount_cents = 0;
    if (e->n == 0 || e->minutes == 0)
        return GL_OK;
    int64_t *w = malloc(e->n * sizeof *w), *s = malloc(e->n * sizeof *s);
    int st = w && s ? GL_OK : GL_ERR_NOMEM;
    for (size_t i = 0; st == GL_OK && i < e->n; i++)
        w[i] = (int64_t)e->actions[i].minutes;
    if (st == GL_OK && !gl_shares(e->costs_cents, w, e->n, s))
        st = GL_ERR_SUM_OVERFLOW;
    for (size_t i = 0; st == GL_OK && i < e->n; i++)
        e->actions[i].amount_cents = s[i];
    free(w);
    free(s);
    return st;
}

int sc_compute(sc_year *y)
{
    for (size_t i = 0; i < y->n; i++) {
        sc_employee *e = &y->v[i];
        e->has_rate = sc_rate_mean_cents(e->costs_cents, e->basis_sum, e->months, &e->rate_cents);
        int st = allocate(e);
        if (st != GL_OK)
            return st;
    }
    return GL_OK;
}

/* Add amount to the action code in out (codes kept in byte order). */
static int split_add(gl_an_split *out, const sc_action *a, int64_t amount)
{
    gl_str code = {a->code, strlen(a->code)};
    size_t i = 0;
    while (i < out->count) {
        gl_str c = out->shares[i].code;
        size_t n = c.len < code.len ? c.len : code.len;
        int cmp = memcmp(c.ptr, code.ptr, n);
        if (cmp == 0 && c.len == code.len) {
            if (__builtin_add_overflow(out->shares[i].amount_cents, amount,
                                       &out->shares[i].amount_cents))
                return GL_ERR_SUM_OVERFLOW;
            return GL_OK;
        }
        if (cmp > 0 || (cmp == 0 && c.len > code.len))
            break;
        i++;
    }
    if (out->count >= GL_AN_SPLIT_MAX)
        return GL_ERR_COUNT_LIMIT;
    memmove(&out->shares[i + 1], &out->shares[i], (out->count - i) * sizeof out->shares[0]);
    out->shares[i] = (gl_an_share){code, amount};
    out->count++;
    return GL_OK;
}

static int split_share(const sc_employee *e, int64_t amount, gl_an_split *out)
{
    int64_t w[GL_AN_SPLIT_MAX * 4], s[GL_AN_SPLIT_MAX * 4];
    if (e->n > sizeof w / sizeof w[0])
        return GL_ERR_COUNT_LIMIT;
    for (size_t i = 0; i < e->n; i++)
        w[i] = (int64_t)e->actions[i].minutes;
    if (!gl_shares(amount, w, e->n, s))
        return GL_ERR_SUM_OVERFLOW;
    int st = GL_OK;
    for (size_t i = 0; st == GL_OK && i < e->n; i++)
        if (s[i] > 0)
            st = split_add(out, &e->actions[i], s[i]);
    return st;
}

int sc_line_split(const sc_year *y, const gl_an_share *shares, size_t n, gl_an_split *out,
                  gl_str *who)
{
    memset(out, 0, sizeof *out);
    out->axis = (gl_str){GL_TS_AXIS_ACTION, strlen(GL_TS_AXIS_ACTION)};
    *who = (gl_str){"", 0};
    for (size_t i = 0; i < n; i++) {
        char code[GL_AN_CODE_MAX + 1];
        size_t len = shares[i].code.len < GL_AN_CODE_MAX ? shares[i].code.len : GL_AN_CODE_MAX;
        memcpy(code, shares[i].code.ptr, len);
        code[len] = '\0';
        const sc_employee *e = sc_employee_find(y, code);
        *who = shares[i].code;
        if (!e || e->minutes == 0)
            return GL_ERR_NOT_FOUND;
        int st = split_share(e, shares[i].amount_cents, out);
        if (st != GL_OK)
            return st;
    }
    *who = (gl_str){"", 0};
    return GL_OK;
}
