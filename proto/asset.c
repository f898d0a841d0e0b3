/*
 * proto/asset.c — the fixed-asset register on the wire and the entries of
 * its depreciation and disposal (issue 20, proto/asset.h).  Decoders are
 * total: every malformed shape is a status, never a read past the input.
 */
#include "asset.h"

#include "analytic.h"
#include "chart_rules.h"
#include "date.h"
#include "money.h"
#include "rules.h"
#include "status.h"

#include <stdio.h>
#include <string.h>

void gl_asset_put(gl_buf *b, const gl_asset *a)
{
    gl_put_str8(b, a->code.ptr, a->code.len);
    gl_put_str8(b, a->account.ptr, a->account.len);
    gl_put_str8(b, a->label.ptr, a->label.len);
    gl_put_u32(b, a->acquired);
    gl_put_i64(b, a->cost_cents);
    gl_put_u8(b, a->method);
    gl_put_u16(b, a->life_months);
    gl_put_u32(b, a->start);
    gl_put_i64(b, a->residual_cents);
    gl_put_str8(b, a->grant_account.ptr, a->grant_account.len);
    gl_put_i64(b, a->grant_cents);
    gl_put_u16(b, a->acq_fy);
    gl_put_u32(b, a->acq_num);
}

int gl_asset_get(gl_cur *c, gl_asset *out)
{
    out->code = gl_get_str8(c, GL_ASSET_CODE_MAX);
    out->account = gl_get_str8(c, GL_ACCOUNT_MAX);
    out->label = gl_get_str8(c, GL_LABEL_MAX);
    out->acquired = gl_get_u32(c);
    out->cost_cents = gl_get_i64(c);
    out->method = gl_get_u8(c);
    out->life_months = gl_get_u16(c);
    out->start = gl_get_u32(c);
    out->residual_cents = gl_get_i64(c);
    out->grant_account = gl_get_str8(c, GL_ACCOUNT_MAX);
    out->grant_cents = gl_get_i64(c);
    out->acq_fy = gl_get_u16(c);
    out->acq_num = gl_get_u32(c);
    return gl_cur_status(c);
}

void gl_asset_state_put(gl_buf *b, const gl_asset_state *s)
{
    gl_asset_put(b, &s->asset);
    gl_put_u32(b, s->through);
    gl_put_u32(b, s->disposed);
    gl_put_i64(b, s->proceeds_cents);
}

int gl_asset_state_get(gl_cur *c, gl_asset_state *out)
{
    gl_asset_get(c, &out->asset);
    out->through = gl_get_u32(c);
    out->disposed = gl_get_u32(c);
    out->proceeds_cents = gl_get_i64(c);
    return gl_cur_status(c);
}

int gl_asset_set_q_decode(const uint8_t *body, size_t len, gl_asset *out)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    gl_asset_get(&c, out);
    return gl_cur_end(&c);
}

/* A fixed asset's account: class 2, not its depreciations (28) or
 * impairments (29). */
static bool asset_account(gl_str a)
{
    return gl_account_valid(a) && a.len >= 3 && a.ptr[0] == '2' && a.ptr[1] != '8' &&
           a.ptr[1] != '9';
}

static bool grant_account(gl_str a)
{
    return gl_account_valid(a) && a.len >= 3 && a.ptr[0] == '1' && a.ptr[1] == '3' &&
           a.ptr[2] != '9';
}

static const char *grant_field(const gl_asset *a)
{
    if (a->grant_cents < 0 || a->grant_cents > a->cost_cents)
        return "grant";
    if (a->grant_cents == 0 ? a->grant_account.len != 0 : !grant_account(a->grant_account))
        return "grant_account";
    return NULL;
}

bool gl_asset_check(const gl_asset *a, const char **field)
{
    const char *f = NULL;
    if (!gl_an_code_valid(a->code) || a->code.len > GL_ASSET_CODE_MAX)
        f = "code";
    else if (!asset_account(a->account))
        f = "account";
    else if (a->label.len == 0 || gl_text_blank(a->label))
        f = "label";
    else if (!gl_date_valid(a->acquired))
        f = "acquired";
    else if (a->cost_cents <= 0 || a->cost_cents > GL_TOTAL_MAX_CENTS)
        f = "cost";
    else if (a->method != GL_DEP_STRAIGHT && a->method != GL_DEP_DECLINING)
        f = "method";
    else if (a->life_months < 1 || a->life_months > 1200)
        f = "life";
    else if (!gl_date_valid(a->start) || a->start < a->acquired)
        f = "start";
    else if (a->residual_cents < 0 || a->residual_cents >= a->cost_cents)
        f = "residual";
    else if ((f = grant_field(a)) != NULL)
        ;
    else if ((a->acq_fy == 0) != (a->acq_num == 0))
        f = "acquisition";
    else {
        gl_dep_asset d = gl_asset_dep(a, 1, 0);
        if (!gl_dep_valid(&d))
            f = "plan";
    }
    *field = f;
    return f == NULL;
}

/* Byte for byte (an empty view may have no pointer). */
static bool str_same(gl_str a, gl_str b)
{
    if (a.len != b.len)
        return false;
    return !a.len || !memcmp(a.ptr, b.ptr, a.len);
}

bool gl_asset_same_terms(const gl_asset *a, const gl_asset *b)
{
    return str_same(a->code, b->code) && str_same(a->account, b->account) &&
           a->acquired == b->acquired && a->cost_cents == b->cost_cents && a->method == b->method &&
           a->life_months == b->life_months && a->start == b->start &&
           a->residual_cents == b->residual_cents && str_same(a->grant_account, b->grant_account) &&
           a->grant_cents == b->grant_cents && a->acq_fy == b->acq_fy && a->acq_num == b->acq_num;
}

bool gl_asset_same(const gl_asset *a, const gl_asset *b)
{
    return gl_asset_same_terms(a, b) && str_same(a->label, b->label);
}

gl_dep_asset gl_asset_dep(const gl_asset *a, uint8_t first_month, uint32_t disposal)
{
    return (gl_dep_asset){.cost_cents = a->cost_cents,
                          .residual_cents = a->residual_cents,
                          .grant_cents = a->grant_cents,
                          .start = a->start,
                          .disposal = disposal,
                          .life_months = a->life_months,
                          .method = a->method,
                          .first_month = first_month};
}

int gl_assets_reply_begin(const uint8_t *body, size_t len, gl_assets_iter *it)
{
    gl_cur_init_stored(&it->cur, body, len);
    it->left = gl_get_u16(&it->cur);
    if (gl_cur_status(&it->cur) == GL_OK && it->left > GL_ASSETS_MAX)
        gl_cur_fail(&it->cur, GL_ERR_MALFORMED);
    return gl_cur_status(&it->cur);
}

int gl_assets_reply_next(gl_assets_iter *it, gl_asset_state *out)
{
    int st = gl_cur_status(&it->cur);
    if (st == GL_OK && !it->left) /* the last read: nothing may follow */
        return (st = gl_cur_end(&it->cur)) == GL_OK ? GL_ERR_NOT_FOUND : st;
    if (st == GL_OK) {
        it->left--;
        st = gl_asset_state_get(&it->cur, out);
    }
    return st;
}

void gl_asset_post_q_encode(gl_buf *b, const gl_asset_post_q *q)
{
    gl_put_u8(b, q->op);
    gl_put_u32(b, q->through);
    gl_put_str8(b, q->code.ptr, q->code.len);
    gl_put_u32(b, q->date);
    gl_put_i64(b, q->proceeds_cents);
    gl_put_str8(b, q->proceeds_account.ptr, q->proceeds_account.len);
}

int gl_asset_post_q_decode(const uint8_t *body, size_t len, gl_asset_post_q *out)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    out->op = gl_get_u8(&c);
    out->through = gl_get_u32(&c);
    out->code = gl_get_str8(&c, GL_ASSET_CODE_MAX);
    out->date = gl_get_u32(&c);
    out->proceeds_cents = gl_get_i64(&c);
    out->proceeds_account = gl_get_str8(&c, GL_ACCOUNT_MAX);
    return gl_cur_end(&c);
}

/* Cash (512x), a receivable on the sale (462x), or the account the price
 * received was first booked to (467x). */
static bool proceeds_account(gl_str a)
{
    return gl_account_valid(a) && a.len >= 3 &&
           (!memcmp(a.ptr, "512", 3) || !memcmp(a.ptr, "462", 3) || !memcmp(a.ptr, "467", 3));
}

static const char *dispose_field(const gl_asset_post_q *q)
{
    if (q->through)
        return "through";
    if (!gl_an_code_valid(q->code))
        return "code";
    if (!gl_date_valid(q->date))
        return "date";
    if (q->proceeds_cents < 0 || q->proceeds_cents > GL_TOTAL_MAX_CENTS)
        return "proceeds";
    if (q->proceeds_cents == 0 ? q->proceeds_account.len != 0
                               : !proceeds_account(q->proceeds_account))
        return "proceeds_account";
    return NULL;
}

bool gl_asset_post_check(const gl_asset_post_q *q, const char **field)
{
    const char *f = NULL;
    if (q->op == GL_ASSET_DEPRECIATE) {
        if (!gl_month_valid(q->through))
            f = "through";
        else if (q->code.len)
            f = "code";
        else if (q->date)
            f = "date";
        else if (q->proceeds_cents)
            f = "proceeds";
        else if (q->proceeds_account.len)
            f = "proceeds_account";
    } else if (q->op == GL_ASSET_DISPOSE) {
        f = dispose_field(q);
    } else {
        f = "op";
    }
    *field = f;
    return f == NULL;
}

void gl_asset_account(char out[GL_ACCOUNT_MAX + 1], const char *prefix, gl_str base, size_t skip)
{
    size_t n = strlen(prefix);
    if (n > GL_ACCOUNT_MAX)
        n = GL_ACCOUNT_MAX;
    memcpy(out, prefix, n);
    for (size_t i = skip; i < base.len && n < GL_ACCOUNT_MAX; i++)
        out[n++] = base.ptr[i];
    size_t keep = strlen(prefix);
    while (n > keep && out[n - 1] == '0')
        n--;
    while (n < base.len && n < GL_ACCOUNT_MAX)
        out[n++] = '0';
    out[n] = '\0';
}

/* The post being planned: where its entries go. */
typedef struct plan {
    const gl_asset_state *s;
    size_t n;
    uint8_t first_month;
    const char *tenant;
    gl_asset_entry_fn fn;
    void *user;
} plan;

static int emit(const plan *p, size_t i, const char *piece, const char *label, uint32_t date,
                const gl_line_in *lines, size_t count)
{
    if (count == 0 || !p->fn)
        return GL_OK;
    gl_entry_in e = {.tenant = p->tenant,
                     .journal = GL_ASSET_JOURNAL,
                     .piece_ref = piece,
                     .label = label,
                     .date = date,
                     .piece_date = date,
                     .line_count = count,
                     .lines = lines};
    return p->fn(p->user, &e, i);
}

/* A pair of lines D debit / C credit of cents, left out when 0. */
static size_t pair(gl_line_in *l, size_t k, const char *debit, const char *credit, int64_t cents)
{
    if (cents <= 0)
        return k;
    l[k++] = (gl_line_in){debit, "", "", "", GL_SIDE_DEBIT, cents};
    l[k++] = (gl_line_in){credit, "", "", "", GL_SIDE_CREDIT, cents};
    return k;
}

typedef struct asset_accounts {
    char charge[GL_ACCOUNT_MAX + 1], depr[GL_ACCOUNT_MAX + 1], taken[GL_ACCOUNT_MAX + 1],
        income[GL_ACCOUNT_MAX + 1], nbv[GL_ACCOUNT_MAX + 1], proceeds[GL_ACCOUNT_MAX + 1],
        asset[GL_ACCOUNT_MAX + 1], grant[GL_ACCOUNT_MAX + 1];
} asset_accounts;

/* The accounts of a's entries in a fiscal year of the chart edition
 * (2018 or 2025). */
static void accounts_of(const gl_asset *a, unsigned edition, asset_accounts *o)
{
    bool new_chart = edition >= 2025;
    gl_asset_account(o->charge, GL_ASSET_CHARGE, a->account, a->account.len);
    gl_asset_account(o->depr, GL_ASSET_DEPR, a->account, 1);
    /* 131 -> 1391, 138 -> 1398 (empty without a grant) */
    gl_asset_account(o->taken, GL_ASSET_GRANT_TAKEN, a->grant_account, 2);
    gl_asset_account(o->income, new_chart ? GL_ASSET_GRANT_INCOME_2025 : GL_ASSET_GRANT_INCOME,
                     a->account, a->account.len);
    gl_asset_account(o->nbv, new_chart ? GL_ASSET_NBV_2025 : GL_ASSET_NBV, a->account,
                     a->account.len);
    gl_asset_account(o->proceeds, new_chart ? GL_ASSET_PROCEEDS_2025 : GL_ASSET_PROCEEDS,
                     a->account, a->account.len);
    snprintf(o->asset, sizeof o->asset, "%.*s", (int)a->account.len, a->account.ptr);
    snprintf(o->grant, sizeof o->grant, "%.*s", (int)a->grant_account.len, a->grant_account.ptr);
}

/* The chart edition of the fiscal year of date. */
static unsigned edition(const plan *p, uint32_t date)
{
    return gl_chart_edition(
        gl_fiscal_year_start(gl_fiscal_year(date, p->first_month), p->first_month));
}

/* The depreciation of asset i over [from, to], one entry per fiscal year;
 * piece NULL: DOT-YYYY-MM of each entry's date. */
static int depreciate(const plan *p, size_t i, const gl_dep_asset *d, uint32_t from, uint32_t to,
                      const char *piece)
{
    const gl_asset *a = &p->s[i].asset;
    asset_accounts ac;
    char label[GL_LABEL_MAX + 1], pc[GL_PIECE_MAX + 1];
    char code[GL_ASSET_CODE_MAX + 1];
    snprintf(code, sizeof code, "%.*s", (int)a->code.len, a->code.ptr);
    snprintf(label, sizeof label, GL_ASSET_DEP_LABEL, code);
    int st = GL_OK;
    for (uint32_t cur = from; st == GL_OK && cur && cur <= to;) {
        uint16_t fy = gl_fiscal_year(cur, p->first_month);
        uint32_t end = gl_fiscal_year_end(fy, p->first_month);
        if (end > to)
            end = to;
        accounts_of(a, edition(p, cur), &ac);
        int64_t charge = gl_dep_charge(d, cur, end);
        int64_t taken =
            gl_dep_grant_cumulated(d, end) - gl_dep_grant_cumulated(d, gl_date_prev(cur));
        gl_line_in l[4];
        size_t k = pair(l, 0, ac.charge, ac.depr, charge);
        k = pair(l, k, ac.taken, ac.income, taken);
        if (piece)
            snprintf(pc, sizeof pc, "%s", piece);
        else
            snprintf(pc, sizeof pc, GL_ASSET_DEP_PIECE, end / 10000, end / 100 % 100);
        st = emit(p, i, pc, label, end, l, k);
        cur = gl_date_next(end);
    }
    return st;
}

/* The first day not yet depreciated of a held asset. */
static uint32_t first_open_day(const gl_asset_state *s)
{
    uint32_t from = s->through ? gl_date_next(gl_month_last_day(s->through)) : s->asset.start;
    return from > s->asset.start ? from : s->asset.start;
}

static int refuse(gl_asset_refusal *why, int status, size_t i)
{
    if (why) {
        why->status = status;
        why->asset = i;
    }
    return status;
}

static int plan_depreciate(const plan *p, uint32_t through, gl_asset_refusal *why)
{
    uint32_t to = gl_month_last_day(through);
    size_t in_service = 0;
    for (size_t i = 0; i < p->n; i++)
        if (!p->s[i].disposed && p->s[i].through >= through)
            return refuse(why, GL_ERR_ASSET_POSTED, i);
    for (size_t i = 0; i < p->n; i++)
        in_service += !p->s[i].disposed && p->s[i].asset.start <= to;
    if (!in_service)
        return refuse(why, GL_ERR_ASSET_NOTHING, p->n);
    int st = GL_OK;
    for (size_t i = 0; i < p->n && st == GL_OK; i++) {
        const gl_asset_state *s = &p->s[i];
        if (s->disposed || s->asset.start > to)
            continue;
        gl_dep_asset d = gl_asset_dep(&s->asset, p->first_month, 0);
        st = depreciate(p, i, &d, first_open_day(s), to, NULL);
    }
    return st;
}

static size_t find(const plan *p, gl_str code)
{
    size_t i = 0;
    while (i < p->n && !str_same(p->s[i].asset.code, code))
        i++;
    return i;
}

static int plan_dispose(const plan *p, const gl_asset_post_q *q, gl_asset_refusal *why)
{
    size_t i = find(p, q->code);
    if (i == p->n)
        return refuse(why, GL_ERR_ASSET_UNKNOWN, i);
    const gl_asset_state *s = &p->s[i];
    if (s->disposed)
        return refuse(why, GL_ERR_ASSET_DISPOSED, i);
    if (q->date < s->asset.start || (s->through && q->date <= gl_month_last_day(s->through)))
        return refuse(why, GL_ERR_ASSET_DISPOSAL_DATE, i);
    gl_dep_asset d = gl_asset_dep(&s->asset, p->first_month, q->date);
    gl_dep_disposal out;
    if (!gl_dep_disposal_split(&d, &out))
        return refuse(why, GL_ERR_ASSET_DISPOSAL_DATE, i);
    char piece[GL_PIECE_MAX + 1], code[GL_ASSET_CODE_MAX + 1], label[GL_LABEL_MAX + 1];
    snprintf(code, sizeof code, "%.*s", (int)s->asset.code.len, s->asset.code.ptr);
    snprintf(piece, sizeof piece, GL_ASSET_DISPOSAL_PIECE, code);
    int st = depreciate(p, i, &d, first_open_day(s), q->date, piece);
    if (st != GL_OK)
        return st;
    asset_accounts ac;
    accounts_of(&s->asset, edition(p, q->date), &ac);
    char pa[GL_ACCOUNT_MAX + 1];
    snprintf(pa, sizeof pa, "%.*s", (int)q->proceeds_account.len, q->proceeds_account.ptr);
    gl_line_in l[8];
    size_t k = 0;
    if (out.accumulated_cents > 0)
        l[k++] = (gl_line_in){ac.depr, "", "", "", GL_SIDE_DEBIT, out.accumulated_cents};
    if (out.net_book_cents > 0)
        l[k++] = (gl_line_in){ac.nbv, "", "", "", GL_SIDE_DEBIT, out.net_book_cents};
    l[k++] = (gl_line_in){ac.asset, "", "", "", GL_SIDE_CREDIT, s->asset.cost_cents};
    /* the grant's accounts closed: D 13x the whole grant / C 139x what the
     * plan took to income / C 777 the rest */
    if (s->asset.grant_cents > 0)
        l[k++] = (gl_line_in){ac.grant, "", "", "", GL_SIDE_DEBIT, s->asset.grant_cents};
    if (out.grant_released_cents > 0)
        l[k++] = (gl_line_in){ac.taken, "", "", "", GL_SIDE_CREDIT, out.grant_released_cents};
    if (out.grant_remaining_cents > 0)
        l[k++] = (gl_line_in){ac.income, "", "", "", GL_SIDE_CREDIT, out.grant_remaining_cents};
    k = pair(l, k, pa, ac.proceeds, q->proceeds_cents);
    snprintf(label, sizeof label, GL_ASSET_DISPOSAL_LABEL, code);
    return emit(p, i, piece, label, q->date, l, k);
}

static int plan_run(const plan *p, const gl_asset_post_q *q, gl_asset_refusal *why)
{
    return q->op == GL_ASSET_DEPRECIATE ? plan_depreciate(p, q->through, why)
                                        : plan_dispose(p, q, why);
}

/* The first pass: the entries counted, the plan stopped at one too many. */
static int count_one(void *user, const gl_entry_in *e, size_t asset)
{
    (void)e;
    (void)asset;
    size_t *count = user;
    return ++*count > GL_ENTRIES_MAX ? GL_ERR_ASSET_POST_LARGE : GL_OK;
}

int gl_asset_post_plan(const gl_asset_post_q *q, const gl_asset_state *s, size_t n,
                       uint8_t first_month, const char *tenant, gl_asset_entry_fn fn, void *user,
                       gl_asset_refusal *why)
{
    size_t count = 0;
    plan p = {s, n, first_month, tenant, count_one, &count};
    int st = plan_run(&p, q, why);
    if (st == GL_ERR_ASSET_POST_LARGE)
        return refuse(why, st, n);
    if (st != GL_OK || !fn)
        return st;
    p.fn = fn;
    p.user = user;
    return plan_run(&p, q, why);
}

size_t gl_asset_post_apply(const gl_asset_post_q *q, gl_asset_state *s, size_t n)
{
    size_t changed = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i].disposed)
            continue;
        if (q->op == GL_ASSET_DEPRECIATE) {
            if (s[i].asset.start <= gl_month_last_day(q->through)) {
                s[i].through = q->through;
                changed++;
            }
        } else if (str_same(s[i].asset.code, q->code)) {
            s[i].disposed = q->date;
            s[i].proceeds_cents = q->proceeds_cents;
            s[i].through = q->date / 100;
            changed++;
        }
    }
    return changed;
}
