/*
 * client/verify/verify_analytic.c — the replay of analytic accounting
 * (issue 19, PROTOCOL.md §5.46-§5.50, proto/analytic.h).  Events 18-21 of a
 * tenant's chain, in order, rebuild the axes, their codes and the rules
 * as they stood at each point:
 *   ANALYTIC_AXIS (18): its signed ANALYTIC_AXIS_SET's body byte for byte;
 *     a valid name, a known state, a label when opened, at most
 *     GL_AN_AXES_MAX axes, a close only of an axis opened before;
 *   ANALYTIC_CODE (19): likewise, on an axis open at that point, at most
 *     GL_AN_CODES_MAX codes per axis;
 *   ANALYTIC_RULE (20): a valid account prefix, a required axis open, at
 *     most GL_AN_RULES_MAX rules;
 *   ANALYTIC_ALLOC (21): every row names a line of an entry before it
 *     (not of an à-nouveaux or result-closing entry), not an axis that
 *     line carries in its entry, each line and axis once; the axes and
 *     codes it gives open, their shares summing to the line; an axis
 *     taken away only where no rule requires it.
 * A POSTed reversal's lines take the allocations of the lines they
 * reverse as they stand (the daemon's POST step 17), so that a later
 * allocation of the reversal's lines is replayed against them.
 * And every line of a POSTed entry (vf_analytic_entry, called by the
 * replay of entries) that carries the analytic item had its axes and codes
 * open when it was written (its shares summing to the line is a
 * ledger-free rule, gl_entry_check's 483, replayed with the entry), and
 * each line on an account a rule covers carries the rule's axis.  A
 * reversal is held to neither: it undoes a line that was accepted,
 * whatever was closed or required since (more lenient than the daemon,
 * which holds a reversal to the rules of the day: a chain it wrote always
 * passes).
 *
 * State per tenant (struct vf_analytic, hung on tstate, made by the first
 * analytic event or coded line): maps of axes, codes and allocated (line,
 * axis) pairs, the rules in force (an array: at most GL_AN_RULES_MAX), and
 * the counts the summary prints.
 */
#include "verify_int.h"

#include "proto/analytic.h"
#include "proto/chain.h"
#include "proto/rules.h"

#include <stdio.h>

typedef struct axis_key {
    uint8_t len;
    char name[GL_AN_AXIS_MAX];
} axis_key;
typedef struct axis_val {
    uint8_t state;  /* GL_AN_OPEN, GL_AN_CLOSED */
    uint32_t codes; /* codes ever opened on it */
} axis_val;
typedef struct code_key {
    uint8_t alen, clen;
    char axis[GL_AN_AXIS_MAX];
    char code[GL_AN_CODE_MAX];
} code_key;
typedef struct alloc_key {
    uint32_t num;
    uint16_t fy, line;
    uint8_t alen;
    char axis[GL_AN_AXIS_MAX];
} alloc_key;
typedef struct alloc_val {
    uint64_t event;    /* the allocation event that last named it (a->sum.events) */
    uint8_t allocated; /* 1 while the line has codes of that axis by allocation */
} alloc_val;
typedef struct an_rule {
    axis_key axis;
    acct_key prefix;
} an_rule;

struct vf_analytic {
    map axes;                            /* axis_key -> axis_val */
    map codes;                           /* code_key -> uint8_t: its state */
    map allocs;                          /* alloc_key -> alloc_val */
    axis_key axis_order[GL_AN_AXES_MAX]; /* the axes as opened (sum.axes of them) */
    an_rule rules[GL_AN_RULES_MAX];
    size_t rule_count;
    gl_verify_analytic sum;
};

void vf_analytic_free(struct vf_analytic *a)
{
    if (!a)
        return;
    vf_map_free(&a->axes);
    vf_map_free(&a->codes);
    vf_map_free(&a->allocs);
    free(a);
}

void vf_analytic_summary(const tstate *ts, gl_verify_analytic *out)
{
    memset(out, 0, sizeof *out);
    if (ts->analytic) {
        *out = ts->analytic->sum;
        out->rules = (uint32_t)ts->analytic->rule_count;
    }
}

static struct vf_analytic *state(vctx *v)
{
    if (!v->ts.analytic) {
        struct vf_analytic *a = calloc(1, sizeof *a);
        if (!a) {
            vf_out_of_memory(v);
            return NULL;
        }
        vf_map_init(&a->axes, sizeof(axis_key), sizeof(axis_val));
        vf_map_init(&a->codes, sizeof(code_key), sizeof(uint8_t));
        vf_map_init(&a->allocs, sizeof(alloc_key), sizeof(alloc_val));
        v->ts.analytic = a;
    }
    return v->ts.analytic;
}

/* Keys (names longer than their field never reach here: the decoders
 * and the name checks bound them; cut anyway rather than overflow). */
static axis_key make_axis_key(gl_str axis)
{
    axis_key k;
    memset(&k, 0, sizeof k);
    k.len = (uint8_t)(axis.len < GL_AN_AXIS_MAX ? axis.len : GL_AN_AXIS_MAX);
    copy_bytes(k.name, axis.ptr, k.len);
    return k;
}

static code_key make_code_key(gl_str axis, gl_str code)
{
    code_key k;
    memset(&k, 0, sizeof k);
    k.alen = (uint8_t)(axis.len < GL_AN_AXIS_MAX ? axis.len : GL_AN_AXIS_MAX);
    k.clen = (uint8_t)(code.len < GL_AN_CODE_MAX ? code.len : GL_AN_CODE_MAX);
    copy_bytes(k.axis, axis.ptr, k.alen);
    copy_bytes(k.code, code.ptr, k.clen);
    return k;
}

static alloc_key make_alloc_key(uint16_t fy, uint32_t num, uint16_t line, gl_str axis)
{
    alloc_key k;
    memset(&k, 0, sizeof k);
    k.num = num;
    k.fy = fy;
    k.line = line;
    k.alen = (uint8_t)(axis.len < GL_AN_AXIS_MAX ? axis.len : GL_AN_AXIS_MAX);
    copy_bytes(k.axis, axis.ptr, k.alen);
    return k;
}

#define S_(s) (int)(s).len, (s).ptr

bool vf_event_signed_body(vctx *v, const gl_event *ev, uint16_t kind, const char *what)
{
    env_state *es = vf_event_request(v, ev, v->ts.seq);
    if (!es || !vf_expect_kind(v, es, kind))
        return false;
    if (ev->head.item != 1 || es->req.body_len != ev->payload_len ||
        memcmp(es->req.body, ev->payload, ev->payload_len))
        return vf_problem(v, GL_VP_REQUEST, "not the %s its signed request asked for", what);
    return true;
}

/* The daemon's rule on a label (check_state_label): not blank when
 * opening; when closing, empty (the label kept) or not blank. */
static bool label_ok(uint8_t state, gl_str label)
{
    return state == GL_AN_OPEN ? !gl_text_blank(label) : !label.len || !gl_text_blank(label);
}

/* An account prefix: 1..GL_ACCOUNT_MAX of [0-9A-Z], the first 1-9 (a NUL
 * byte stops strspn short: refused). */
static bool prefix_valid(gl_str p)
{
    char text[GL_ACCOUNT_MAX + 1];
    if (p.len == 0 || p.len >= sizeof text)
        return false;
    memcpy(text, p.ptr, p.len);
    text[p.len] = '\0';
    return strchr("123456789", text[0]) &&
           strspn(text, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") == p.len;
}

static bool starts_with(gl_str account, const acct_key *prefix)
{
    return account.len >= prefix->len && !memcmp(account.ptr, prefix->account, prefix->len);
}

/* ------------------------------------------------------------------ */
/* Axes, codes, rules                                                  */
/* ------------------------------------------------------------------ */

bool vf_event_analytic_axis(vctx *v, const gl_event *ev)
{
    gl_an_axis_set_q q;
    if (gl_an_axis_set_q_decode(ev->payload, ev->payload_len, &q) != GL_OK)
        return vf_problem(v, GL_VP_RECORD, "the analytic axis's record does not decode");
    if (!vf_event_signed_body(v, ev, GL_KIND_ANALYTIC_AXIS_SET, "analytic axis"))
        return false;
    struct vf_analytic *a = state(v);
    if (!a)
        return false;
    a->sum.events++;
    if (!gl_an_axis_valid(q.axis) || (q.state != GL_AN_OPEN && q.state != GL_AN_CLOSED) ||
        !label_ok(q.state, q.label))
        return vf_problem(v, GL_VP_RULE,
                          "analytic axis %.*s: its name, state (%u) or label is out of its rule "
                          "(489)",
                          S_(q.axis), (unsigned)q.state);
    axis_key k = make_axis_key(q.axis);
    axis_val *ax = vf_map_get(&a->axes, &k, false, &v->nomem);
    if (!ax && q.state == GL_AN_CLOSED)
        return vf_problem(v, GL_VP_RULE, "analytic axis %.*s closed, but never opened (484)",
                          S_(q.axis));
    if (!ax && a->sum.axes >= GL_AN_AXES_MAX)
        return vf_problem(v, GL_VP_RULE, "analytic axis %.*s: more than %u axes (490)", S_(q.axis),
                          (unsigned)GL_AN_AXES_MAX);
    if (!ax) {
        ax = vf_map_get(&a->axes, &k, true, &v->nomem);
        if (!ax)
            return vf_out_of_memory(v);
        a->axis_order[a->sum.axes++] = k;
    }
    ax->state = q.state;
    return true;
}

bool vf_event_analytic_code(vctx *v, const gl_event *ev)
{
    gl_an_code_set_q q;
    if (gl_an_code_set_q_decode(ev->payload, ev->payload_len, &q) != GL_OK)
        return vf_problem(v, GL_VP_RECORD, "the analytic code's record does not decode");
    if (!vf_event_signed_body(v, ev, GL_KIND_ANALYTIC_CODE_SET, "analytic code"))
        return false;
    struct vf_analytic *a = state(v);
    if (!a)
        return false;
    a->sum.events++;
    axis_key ak = make_axis_key(q.axis);
    axis_val *ax = vf_map_get(&a->axes, &ak, false, &v->nomem);
    if (!ax || ax->state != GL_AN_OPEN)
        return vf_problem(v, GL_VP_RULE, "analytic code %.*s on axis %.*s, which is %s (484)",
                          S_(q.code), S_(q.axis), ax ? "closed" : "not open");
    if (!gl_an_code_valid(q.code) || (q.state != GL_AN_OPEN && q.state != GL_AN_CLOSED) ||
        !label_ok(q.state, q.label))
        return vf_problem(v, GL_VP_RULE,
                          "analytic code %.*s of axis %.*s: its name, state (%u) or label is out "
                          "of its rule (489)",
                          S_(q.code), S_(q.axis), (unsigned)q.state);
    code_key ck = make_code_key(q.axis, q.code);
    uint8_t *st = vf_map_get(&a->codes, &ck, false, &v->nomem);
    if (!st && q.state == GL_AN_CLOSED)
        return vf_problem(v, GL_VP_RULE,
                          "analytic code %.*s of axis %.*s closed, but never opened (485)",
                          S_(q.code), S_(q.axis));
    if (!st && ax->codes >= GL_AN_CODES_MAX)
        return vf_problem(v, GL_VP_RULE, "analytic axis %.*s: more than %u codes (490)", S_(q.axis),
                          (unsigned)GL_AN_CODES_MAX);
    if (!st) {
        st = vf_map_get(&a->codes, &ck, true, &v->nomem);
        if (!st)
            return vf_out_of_memory(v);
        ax->codes++;
        a->sum.codes++;
    }
    *st = q.state;
    return true;
}

bool vf_event_analytic_rule(vctx *v, const gl_event *ev)
{
    gl_an_rule_set_q q;
    if (gl_an_rule_set_q_decode(ev->payload, ev->payload_len, &q) != GL_OK)
        return vf_problem(v, GL_VP_RECORD, "the analytic rule's record does not decode");
    if (!vf_event_signed_body(v, ev, GL_KIND_ANALYTIC_RULE_SET, "analytic rule"))
        return false;
    struct vf_analytic *a = state(v);
    if (!a)
        return false;
    a->sum.events++;
    if (!gl_an_axis_valid(q.axis) || !prefix_valid(q.prefix) || q.required > 1)
        return vf_problem(v, GL_VP_RULE,
                          "analytic rule %.*s on %.*s: a field is out of its rule (489)",
                          S_(q.axis), S_(q.prefix));
    axis_key ak = make_axis_key(q.axis);
    acct_key pk = vf_make_acct_key(q.prefix);
    axis_val *ax = vf_map_get(&a->axes, &ak, false, &v->nomem);
    if (!ax)
        return vf_problem(v, GL_VP_RULE, "analytic rule on %.*s: axis %.*s was never opened (484)",
                          S_(q.prefix), S_(q.axis));
    size_t i = 0;
    while (i < a->rule_count && !(!memcmp(&a->rules[i].axis, &ak, sizeof ak) &&
                                  !memcmp(&a->rules[i].prefix, &pk, sizeof pk)))
        i++;
    if (!q.required) {
        if (i < a->rule_count)
            a->rules[i] = a->rules[--a->rule_count];
        return true;
    }
    if (ax->state != GL_AN_OPEN)
        return vf_problem(v, GL_VP_RULE,
                          "analytic rule: axis %.*s, required on %.*s, is closed (484)", S_(q.axis),
                          S_(q.prefix));
    if (i == a->rule_count && a->rule_count >= GL_AN_RULES_MAX)
        return vf_problem(v, GL_VP_RULE, "analytic rule %.*s on %.*s: more than %u rules (490)",
                          S_(q.axis), S_(q.prefix), (unsigned)GL_AN_RULES_MAX);
    if (i == a->rule_count)
        a->rules[a->rule_count++] = (an_rule){ak, pk};
    return true;
}

/* ------------------------------------------------------------------ */
/* Codes on lines                                                      */
/* ------------------------------------------------------------------ */

/* The axis of s and each of its codes open at this point. */
static bool split_open(vctx *v, struct vf_analytic *a, const char *where, const gl_an_split *s)
{
    axis_key ak = make_axis_key(s->axis);
    axis_val *ax = vf_map_get(&a->axes, &ak, false, &v->nomem);
    if (!ax || ax->state != GL_AN_OPEN)
        return vf_problem(v, GL_VP_RULE, "%s: analytic axis %.*s is %s at this point (484)", where,
                          S_(s->axis), ax ? "closed" : "not open");
    for (uint8_t i = 0; i < s->count; i++) {
        code_key ck = make_code_key(s->axis, s->shares[i].code);
        uint8_t *st = vf_map_get(&a->codes, &ck, false, &v->nomem);
        if (!st || *st != GL_AN_OPEN)
            return vf_problem(
                v, GL_VP_RULE, "%s: analytic code %.*s of axis %.*s is %s at this point (485)",
                where, S_(s->shares[i].code), S_(s->axis), st ? "closed" : "not open");
    }
    return true;
}

bool vf_analytic_code_open(vctx *v, const char *where, gl_str axis, gl_str code)
{
    struct vf_analytic *a = state(v);
    if (!a)
        return false;
    gl_an_split s = {.axis = axis, .count = 1};
    s.shares[0] = (gl_an_share){code, 1};
    return split_open(v, a, where, &s);
}

/* The shares of every axis of c sum to the line's amount. */
static bool split_sums(vctx *v, const char *where, const gl_analytic *c, int64_t amount_cents)
{
    size_t bad = 0;
    if (gl_analytic_check_sum(c, amount_cents, &bad) == GL_OK)
        return true;
    const gl_an_split *s = &c->axes[bad < c->naxes ? bad : 0];
    int64_t sum = 0;
    for (uint8_t i = 0; i < s->count; i++)
        if (!gl_money_add(&sum, s->shares[i].amount_cents))
            break;
    char m1[GL_MONEY_TEXT_MAX], m2[GL_MONEY_TEXT_MAX];
    return vf_problem(v, GL_VP_RULE,
                      "%s: the shares of analytic axis %.*s sum to %s, not to the line's %s (483)",
                      where, S_(s->axis), money(sum, m1), money(amount_cents, m2));
}

static bool carries(const gl_analytic *c, const axis_key *axis)
{
    for (uint8_t i = 0; i < c->naxes; i++)
        if (c->axes[i].count && c->axes[i].axis.len == axis->len &&
            !memcmp(c->axes[i].axis.ptr, axis->name, axis->len))
            return true;
    return false;
}

/* The rule in force that requires an axis c lacks on account (NULL: none). */
static const an_rule *rule_broken(const struct vf_analytic *a, gl_str account, const gl_analytic *c)
{
    for (size_t i = 0; i < a->rule_count; i++)
        if (starts_with(account, &a->rules[i].prefix) && !carries(c, &a->rules[i].axis))
            return &a->rules[i];
    return NULL;
}

/* The daemon's step 17 (§5.4, §5.50): each line of reversal e (fy/num)
 * takes the allocations of the reversed line it pairs with, as they stand
 * (the same pairing as the daemon's, gl_entry_opposite_pairs).  check_rules
 * found the reversed entry and the pairing before. */
static bool reversal_allocs(vctx *v, struct vf_analytic *a, const gl_entry *e, uint16_t fy,
                            uint32_t num)
{
    num_key nk = vf_make_num_key(e->reverses_fy, e->reverses_num);
    num_val *target = vf_map_get(&v->ts.numbers, &nk, false, &v->nomem);
    gl_entry te;
    uint16_t tfy;
    uint32_t tnum;
    uint16_t pair[GL_LINES_MAX];
    if (!target || !vf_entry_of(v, v->ts.at, target->event, &te, &tfy, &tnum) ||
        !gl_entry_opposite_pairs(e, &te, pair))
        return vf_problem(v, GL_VP_RULE, "reverses entry %u/%u, whose lines it does not pair with",
                          e->reverses_fy, e->reverses_num);
    for (uint16_t n = 1; n <= e->line_count; n++)
        for (size_t i = 0; i < a->sum.axes && i < GL_AN_AXES_MAX; i++) {
            gl_str axis = {a->axis_order[i].name, a->axis_order[i].len};
            alloc_key from = make_alloc_key(e->reverses_fy, e->reverses_num, pair[n - 1], axis);
            alloc_val *f = vf_map_get(&a->allocs, &from, false, &v->nomem);
            if (!f || !f->allocated)
                continue;
            alloc_key to = make_alloc_key(fy, num, n, axis);
            alloc_val *t = vf_map_get(&a->allocs, &to, true, &v->nomem);
            if (!t)
                return vf_out_of_memory(v);
            *t = (alloc_val){0, 1}; /* event 0: named by no allocation event */
        }
    return true;
}

bool vf_analytic_entry(vctx *v, const gl_entry *e, uint16_t fy, uint32_t num)
{
    struct vf_analytic *a = v->ts.analytic;
    gl_line_iter it;
    gl_line l;
    gl_line_iter_init(&it, e);
    for (uint32_t n = 1; gl_line_next(&it, &l); n++) {
        gl_analytic c;
        memset(&c, 0, sizeof c);
        bool coded = l.ext_len && gl_line_analytic(l.ext, l.ext_len, &c);
        if (!coded && (!a || !a->rule_count))
            continue;
        if (!a && !(a = state(v)))
            return false;
        char where[64];
        snprintf(where, sizeof where, "line %u (%.*s)", n, S_(l.account));
        a->sum.lines += coded; /* their sums: gl_entry_check (483), already */
        if (e->reverses_fy)    /* undoing an accepted line: its codes as they were */
            continue;
        for (uint8_t i = 0; i < c.naxes; i++)
            if (!split_open(v, a, where, &c.axes[i]))
                return false;
        const an_rule *r = rule_broken(a, l.account, &c);
        if (r)
            return vf_problem(v, GL_VP_RULE,
                              "%s: carries no code of analytic axis %.*s, which a rule requires "
                              "on accounts %.*s (486)",
                              where, (int)r->axis.len, r->axis.name, (int)r->prefix.len,
                              r->prefix.account);
    }
    if (e->reverses_fy && a && a->allocs.count)
        return reversal_allocs(v, a, e, fy, num);
    return true;
}

/* ------------------------------------------------------------------ */
/* Allocations                                                         */
/* ------------------------------------------------------------------ */

/* Line row->line of entry row->fy/num as this point of the chain: its
 * entry's flags, the line and its own codes.  false (and a problem) if
 * there is none. */
static bool alloc_line(vctx *v, const gl_an_alloc_row *row, const char *where, gl_line *l,
                       gl_analytic *own)
{
    num_key nk = vf_make_num_key(row->fy, row->num);
    num_val *nv = vf_map_get(&v->ts.numbers, &nk, false, &v->nomem);
    gl_entry e;
    uint16_t fy, n = 0;
    uint32_t num;
    if (nv && vf_entry_of(v, v->ts.at, nv->event, &e, &fy, &num)) {
        gl_line_iter it;
        gl_line_iter_init(&it, &e);
        while (n < row->line && gl_line_next(&it, l))
            n++;
    }
    if (!row->line || n != row->line)
        return vf_problem(v, GL_VP_RULE, "%s: no such line comes before it (488)", where);
    if (e.flags)
        return vf_problem(v, GL_VP_RULE,
                          "%s: a line of %s entry, which no allocation may name (488)", where,
                          e.flags & GL_ENTRY_OPENING ? "an à-nouveaux" : "a result-closing");
    memset(own, 0, sizeof *own);
    if (l->ext_len)
        gl_line_analytic(l->ext, l->ext_len, own);
    return true;
}

/* One axis of one row: not carried by the line's entry, once in the
 * request, its codes open and summing to the line, or taken away where
 * no rule requires it; then recorded. */
static bool alloc_axis(vctx *v, struct vf_analytic *a, const gl_an_alloc_row *row,
                       const char *where, const gl_line *l, const gl_analytic *own, size_t k)
{
    const gl_an_split *s = &row->codes.axes[k];
    axis_key ak = make_axis_key(s->axis);
    if (carries(own, &ak))
        return vf_problem(v, GL_VP_RULE,
                          "%s: allocates analytic axis %.*s, which the line carries in its entry "
                          "(487)",
                          where, S_(s->axis));
    alloc_key key = make_alloc_key(row->fy, row->num, row->line, s->axis);
    alloc_val *st = vf_map_get(&a->allocs, &key, true, &v->nomem);
    if (!st)
        return vf_out_of_memory(v);
    if (st->event == a->sum.events)
        return vf_problem(v, GL_VP_RULE, "%s: names analytic axis %.*s of that line twice (488)",
                          where, S_(s->axis));
    if (s->count) {
        if (!split_open(v, a, where, s))
            return false;
        gl_analytic one = {.naxes = 1};
        one.axes[0] = *s;
        if (!split_sums(v, where, &one, l->amount_cents))
            return false;
    } else {
        if (!vf_map_get(&a->axes, &ak, false, &v->nomem))
            return vf_problem(v, GL_VP_RULE,
                              "%s: takes away analytic axis %.*s, which was never opened (484)",
                              where, S_(s->axis));
        for (size_t i = 0; i < a->rule_count; i++)
            if (starts_with(l->account, &a->rules[i].prefix) &&
                !memcmp(&a->rules[i].axis, &ak, sizeof ak))
                return vf_problem(v, GL_VP_RULE,
                                  "%s: takes away analytic axis %.*s, which a rule requires on "
                                  "accounts %.*s (486)",
                                  where, S_(s->axis), (int)a->rules[i].prefix.len,
                                  a->rules[i].prefix.account);
    }
    st->event = a->sum.events;
    st->allocated = s->count ? 1 : 0;
    return true;
}

bool vf_event_analytic_alloc(vctx *v, const gl_event *ev)
{
    gl_an_alloc_q q;
    uint32_t bad = 0;
    if (gl_an_alloc_q_decode(ev->payload, ev->payload_len, &q, &bad) != GL_OK)
        return vf_problem(v, GL_VP_RECORD, "the analytic allocation does not decode (row %u)", bad);
    if (!vf_event_signed_body(v, ev, GL_KIND_ANALYTIC_ALLOC, "allocation"))
        return false;
    struct vf_analytic *a = state(v);
    if (!a)
        return false;
    a->sum.events++; /* numbers this event's rows in a->allocs: a pair named twice */
    gl_an_alloc_iter it;
    gl_an_alloc_row row;
    gl_an_alloc_iter_init(&it, &q);
    for (uint32_t r = 1; gl_an_alloc_next(&it, &row); r++) {
        char where[80];
        snprintf(where, sizeof where, "allocation row %u, line %u/%u:%u", r, row.fy, row.num,
                 row.line);
        gl_line l;
        gl_analytic own;
        if (!alloc_line(v, &row, where, &l, &own))
            return false;
        for (size_t k = 0; k < row.codes.naxes; k++)
            if (!alloc_axis(v, a, &row, where, &l, &own, k))
                return false;
        a->sum.allocated++;
    }
    return true;
}
