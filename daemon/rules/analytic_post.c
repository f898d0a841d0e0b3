/*
 * daemon/rules/analytic_post.c — the analytic rules of a posted entry
 * (issue 19, PROTOCOL.md §5.4.1 line type 2): each line's codes name axes
 * and codes open for the tenant (484, 485), and each line of a POST on an
 * account a mandatory rule names carries the rule's axis (486).  The
 * entries a group write builds (RECHARGE, DUES) carry no codes and are
 * not held to the rules: they are allocated afterwards (ANALYTIC_ALLOC).
 * Once a reversal is written, its lines take the allocations of the lines
 * they reverse (analytic_reversal_allocs).
 *
 * Posting may not slow down for the tenants that do not use analytic
 * accounting: whether the tenant has any axis is looked up once per
 * request (x->an_tenant, x->an_axes); without one, a line carrying codes
 * is refused and nothing else is read.  With axes, the rules and the codes
 * found open are read once per request too (x->an_memo), not per line.
 */
#include "analytic.h"

#include "daemon/analytic_index.h"
#include "daemon/store/analytic_store.h"

#include "proto/money.h"
#include "proto/request.h"
#include "proto/status.h"

#include <stdio.h>
#include <string.h>

static int rule_add(void *user, gl_str axis, gl_str prefix)
{
    an_rules *r = user;
    if (r->n >= GL_AN_RULES_MAX || axis.len > GL_AN_AXIS_MAX || prefix.len > GL_ACCOUNT_MAX)
        return GL_ERR_STORAGE;
    an_rule *o = &r->v[r->n++];
    o->axis_len = (uint8_t)axis.len;
    o->prefix_len = (uint8_t)prefix.len;
    memcpy(o->axis, axis.ptr, axis.len);
    memcpy(o->prefix, prefix.ptr, prefix.len);
    return GL_OK;
}

int an_rules_load(gl_exec *x, uint32_t tenant, an_rules *out)
{
    uint32_t count;
    out->n = 0;
    return store_an_rules_each(x->txn, tenant, (gl_str){"", 0}, rule_add, out, &count);
}

const an_rule *an_rules_requiring(const an_rules *r, gl_str account, gl_str axis)
{
    for (uint32_t i = 0; i < r->n; i++) {
        const an_rule *o = &r->v[i];
        if (o->prefix_len > account.len || memcmp(o->prefix, account.ptr, o->prefix_len))
            continue;
        if (!axis.len || (axis.len == o->axis_len && !memcmp(axis.ptr, o->axis, axis.len)))
            return o;
    }
    return NULL;
}

static int axis_refused(gl_exec *x, gl_str axis, uint32_t item, uint32_t line, const char *where)
{
    return exec_fail(x, GL_ERR_ANALYTIC_AXIS_UNKNOWN, item, line,
                     "%s: analytic axis %.*s is not open", where, (int)axis.len, axis.ptr);
}

int an_axis_known(gl_exec *x, uint32_t tenant, gl_str axis, uint32_t item, uint32_t line,
                  const char *where)
{
    an_axis_rec ax;
    int st = store_an_axis_get(x->txn, tenant, axis, &ax);
    return st == GL_ERR_NOT_FOUND ? axis_refused(x, axis, item, line, where) : st;
}

int an_split_open(gl_exec *x, uint32_t tenant, const gl_an_split *s, uint32_t item, uint32_t line,
                  const char *where)
{
    an_axis_rec ax;
    int st = store_an_axis_get(x->txn, tenant, s->axis, &ax);
    if (st == GL_ERR_NOT_FOUND || (st == GL_OK && ax.state != GL_AN_OPEN))
        return axis_refused(x, s->axis, item, line, where);
    for (uint8_t i = 0; st == GL_OK && i < s->count; i++) {
        an_code_rec c;
        gl_str code = s->shares[i].code;
        st = store_an_code_get(x->txn, tenant, s->axis, code, &c);
        if (st == GL_ERR_NOT_FOUND || (st == GL_OK && c.state != GL_AN_OPEN))
            return exec_fail(x, GL_ERR_ANALYTIC_CODE_UNKNOWN, item, line,
                             "%s: code %.*s is not open on analytic axis %.*s", where,
                             (int)code.len, code.ptr, (int)s->axis.len, s->axis.ptr);
    }
    return st;
}

/* Does the tenant use analytic accounting (any axis)?  Once per request
 * and tenant. */
static int tenant_has_axes(gl_exec *x, uint32_t tenant, bool *has)
{
    if (x->an_axes && x->an_tenant == tenant) {
        *has = x->an_axes == 2;
        return GL_OK;
    }
    int st = store_an_any_axis(x->txn, tenant, has);
    if (st == GL_OK) {
        x->an_tenant = tenant;
        x->an_axes = *has ? 2 : 1;
    }
    return st;
}

static bool carries(const gl_analytic *a, const an_rule *r)
{
    for (uint8_t i = 0; i < a->naxes; i++)
        if (a->axes[i].axis.len == r->axis_len &&
            !memcmp(a->axes[i].axis.ptr, r->axis, r->axis_len))
            return true;
    return false;
}

/* Every rule on the line's account is met by the axes it carries. */
static int line_rules(gl_exec *x, const an_rules *rules, const gl_line *l, const gl_analytic *a,
                      uint32_t item, uint32_t n)
{
    for (uint32_t i = 0; i < rules->n; i++) {
        const an_rule *r = &rules->v[i];
        if (r->prefix_len > l->account.len || memcmp(r->prefix, l->account.ptr, r->prefix_len) ||
            carries(a, r))
            continue;
        return exec_fail(x, GL_ERR_ANALYTIC_REQUIRED, item, n,
                         "entry %u line %u: account %.*s must carry analytic axis %.*s (rule: "
                         "accounts %.*s...)",
                         item, n, (int)l->account.len, l->account.ptr, (int)r->axis_len, r->axis,
                         (int)r->prefix_len, r->prefix);
    }
    return GL_OK;
}

/* Without any axis: a line carrying codes names an axis not open. */
static int no_axis_lines(gl_exec *x, const entry_lines *lines, uint32_t item)
{
    for (uint32_t n = 1; n <= lines->n; n++) {
        gl_analytic a;
        if (!gl_line_analytic(lines->v[n - 1].ext, lines->v[n - 1].ext_len, &a))
            continue;
        char where[48];
        snprintf(where, sizeof where, "entry %u line %u", item, n);
        return axis_refused(x, a.axes[0].axis, item, n, where);
    }
    return GL_OK;
}

/* The per-request memo of the writer thread (x->an_memo says it holds
 * this request's tenant): the tenant's rules, and the (axis, code) pairs
 * found open, so that a batch of entries reads them once, not per line. */
#define AN_MEMO_CODES 64
typedef struct an_memo {
    uint32_t tenant;
    an_rules rules;
    uint32_t ncodes;
    struct {
        uint8_t axis_len, code_len;
        char axis[GL_AN_AXIS_MAX], code[GL_AN_CODE_MAX];
    } codes[AN_MEMO_CODES];
} an_memo;

static bool memo_has(const an_memo *m, gl_str axis, gl_str code)
{
    for (uint32_t i = 0; i < m->ncodes; i++)
        if (m->codes[i].code_len == code.len && m->codes[i].axis_len == axis.len &&
            !memcmp(m->codes[i].code, code.ptr, code.len) &&
            !memcmp(m->codes[i].axis, axis.ptr, axis.len))
            return true;
    return false;
}

static void memo_add(an_memo *m, gl_str axis, gl_str code)
{
    if (m->ncodes == AN_MEMO_CODES || memo_has(m, axis, code))
        return; /* full: the others are looked up each time */
    m->codes[m->ncodes].axis_len = (uint8_t)axis.len;
    m->codes[m->ncodes].code_len = (uint8_t)code.len;
    memcpy(m->codes[m->ncodes].axis, axis.ptr, axis.len);
    memcpy(m->codes[m->ncodes].code, code.ptr, code.len);
    m->ncodes++;
}

/* Every code of the split is open (an_split_open), from the memo when it
 * has them all. */
static int split_open_memo(gl_exec *x, an_memo *m, uint32_t tenant, const gl_an_split *s,
                           uint32_t item, uint32_t n)
{
    uint8_t i = 0;
    while (i < s->count && memo_has(m, s->axis, s->shares[i].code))
        i++;
    if (i == s->count)
        return GL_OK;
    char where[48];
    snprintf(where, sizeof where, "entry %u line %u", item, n);
    int st = an_split_open(x, tenant, s, item, n, where);
    for (i = 0; st == GL_OK && i < s->count; i++)
        memo_add(m, s->axis, s->shares[i].code);
    return st;
}

int analytic_check_entry(gl_exec *x, const gl_entry *e, const entry_lines *lines, uint32_t tenant,
                         uint32_t item)
{
    if (e->reverses_fy) /* its codes are its reversed entry's (check_reversal), */
        return GL_OK;   /* checked when that was posted: open, rules met */
    bool has;
    int st = tenant_has_axes(x, tenant, &has);
    if (st != GL_OK || !has)
        return st != GL_OK ? st : no_axis_lines(x, lines, item);
    static _Thread_local an_memo memo; /* the writer's; this request's when x->an_memo */
    if (!x->an_memo || memo.tenant != tenant) {
        memo.tenant = tenant;
        memo.rules.n = 0;
        memo.ncodes = 0;
        if (x->req->kind == GL_KIND_POST && (st = an_rules_load(x, tenant, &memo.rules)) != GL_OK)
            return st;
        x->an_memo = true;
    }
    for (uint32_t n = 1; n <= lines->n; n++) {
        const gl_line *l = &lines->v[n - 1];
        gl_analytic a;
        if (!gl_line_analytic(l->ext, l->ext_len, &a))
            a.naxes = 0;
        for (uint8_t i = 0; st == GL_OK && i < a.naxes; i++)
            st = split_open_memo(x, &memo, tenant, &a.axes[i], item, n);
        if (st == GL_OK)
            st = line_rules(x, &memo.rules, l, &a, item, n);
        if (st != GL_OK)
            return st;
    }
    return GL_OK;
}

/* The axes one line is allocated on, copied before anything is written. */
typedef struct line_axes {
    uint8_t n;
    uint8_t len[GL_AN_AXES_MAX];
    char name[GL_AN_AXES_MAX][GL_AN_AXIS_MAX];
} line_axes;

static int axis_collect(void *user, gl_str axis)
{
    line_axes *a = user;
    if (a->n >= GL_AN_AXES_MAX || axis.len > GL_AN_AXIS_MAX)
        return GL_ERR_STORAGE;
    memcpy(a->name[a->n], axis.ptr, axis.len);
    a->len[a->n++] = (uint8_t)axis.len;
    return GL_OK;
}

/* The reversal's line `to` takes every allocation of the reversed line
 * `from`, the same shares (the lines' amounts are equal), indexed as
 * allocations. */
static int carry_line(gl_exec *x, const an_alloc_key *from, const an_line_ref *to)
{
    line_axes axes = {0};
    int st = store_an_allocs_each(x->txn, from, axis_collect, &axes);
    an_alloc_key k = {to->tenant, to->fy, to->num, to->line};
    for (uint8_t i = 0; st == GL_OK && i < axes.n; i++) {
        uint8_t buf[AN_ALLOC_VALUE_MAX];
        gl_an_split s;
        st = store_an_alloc_get(x->txn, from, (gl_str){axes.name[i], axes.len[i]}, buf, &s);
        if (st == GL_OK)
            st = analytic_index_split(x, to, &s, +1, GL_AN_SOURCE_ALLOC);
        if (st == GL_OK)
            st = store_an_alloc_put(x->txn, &k, &s);
    }
    return st;
}

int analytic_reversal_allocs(gl_exec *x, const gl_entry *e, const entry_lines *lines,
                             uint32_t tenant, uint16_t fy, uint32_t num)
{
    if (!e->reverses_fy)
        return GL_OK;
    bool has;
    int st = tenant_has_axes(x, tenant, &has);
    if (st != GL_OK || !has) /* no axis: no allocation either */
        return st;
    gl_entry target;
    store_entry raw;
    if ((st = ledger_read_entry(x->txn, tenant, e->reverses_fy, e->reverses_num, &target, &raw)) !=
        GL_OK)
        return st;
    static _Thread_local uint16_t pair[GL_LINES_MAX];
    if (!gl_entry_opposite_pairs(e, &target, pair)) /* check_reversal found them */
        return GL_ERR_INTERNAL;
    for (uint16_t n = 1; st == GL_OK && n <= lines->n; n++) {
        const gl_line *l = &lines->v[n - 1];
        an_line_ref to = {tenant, fy, num, n, e->date, l->account, gl_line_signed(l)};
        an_alloc_key from = {tenant, e->reverses_fy, e->reverses_num, pair[n - 1]};
        st = carry_line(x, &from, &to);
    }
    return st;
}

int analytic_split_failed(gl_exec *x, const gl_entry *e, uint32_t item, uint32_t line)
{
    gl_line_iter it;
    gl_line l = {0};
    gl_line_iter_init(&it, e);
    for (uint32_t n = 0; n < line && gl_line_next(&it, &l); n++)
        ;
    static _Thread_local gl_analytic a;
    size_t bad = 0;
    if (!gl_line_analytic(l.ext, l.ext_len, &a) ||
        gl_analytic_check_sum(&a, l.amount_cents, &bad) == GL_OK)
        return exec_fail(x, GL_ERR_ANALYTIC_SPLIT_SUM, item, line, "entry %u line %u: %s", item,
                         line, gl_status_message(GL_ERR_ANALYTIC_SPLIT_SUM));
    const gl_an_split *s = &a.axes[bad];
    int64_t sum = 0;
    bool fits = true;
    for (uint8_t i = 0; i < s->count; i++)
        fits &= gl_money_add(&sum, s->shares[i].amount_cents);
    char got[GL_MONEY_TEXT_MAX], want[GL_MONEY_TEXT_MAX];
    return exec_fail(x, GL_ERR_ANALYTIC_SPLIT_SUM, item, line,
                     "entry %u line %u (%.*s): the shares of analytic axis %.*s sum to %s, not "
                     "the line's %s",
                     item, line, (int)l.account.len, l.account.ptr, (int)s->axis.len, s->axis.ptr,
                     fits ? gl_money_format(sum, GL_MONEY_PLAIN, got) : "more than any amount",
                     gl_money_format(l.amount_cents, GL_MONEY_PLAIN, want));
}
