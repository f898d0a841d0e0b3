/*
 * client/funds/funds.c — the fonds dédiés of each dedicated grant for a
 * fiscal year, and the entries that record them (the rules: funds.h).
 *
 * The inputs are small: the grants of one tenant (at most FD_GRANTS_MAX),
 * the year's analytic balance on `action` (a row per code and account) and
 * the few 6894/7894 lines of the grants' actions.  Every lookup is a plain
 * scan; every sum is checked.
 */
#include "funds.h"

#include "proto/money.h"

#include <stdio.h>
#include <string.h>

static bool same(const char *a, const char *b) { return strcmp(a, b) == 0; }

static bool starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }

bool fd_history_account(const char *account)
{
    return starts(account, FD_PREFIX_REPORT) || starts(account, FD_PREFIX_USE);
}

static void label_for(const char *code, char out[FD_LABEL_MAX + 1])
{
    snprintf(out, FD_LABEL_MAX + 1, "Fonds dédiés %s", code);
}

/* The net credit of (action, account) in the year, or of the action's
 * charges (account NULL: class 6 without 689, net debit); *out >= 0. */
static bool net_of(const fd_balance_row *b, size_t n, const char *action, const char *account,
                   int64_t *out)
{
    int64_t net = 0;
    for (size_t i = 0; i < n; i++) {
        const fd_balance_row *r = &b[i];
        if (!same(r->code, action))
            continue;
        bool take = account ? same(r->account, account)
                            : r->account[0] == '6' && !starts(r->account, "689");
        if (take &&
            !(account ? gl_money_add(&net, r->credit_cents) && gl_money_sub(&net, r->debit_cents)
                      : gl_money_add(&net, r->debit_cents) && gl_money_sub(&net, r->credit_cents)))
            return false;
    }
    *out = net > 0 ? net : 0;
    return true;
}

/* Grant i's part of the product of its (action, account): the grants
 * sharing them take it in code order, each up to its amount, the last
 * the rest. */
static int64_t allot(const fd_grant *g, size_t n, size_t i, int64_t product)
{
    int64_t left = product;
    size_t last = i;
    for (size_t j = i + 1; j < n; j++)
        if (same(g[j].action, g[i].action) && same(g[j].account, g[i].account))
            last = j;
    for (size_t j = 0; j <= i; j++) {
        if (!same(g[j].action, g[i].action) || !same(g[j].account, g[i].account))
            continue;
        int64_t take = j == last ? left : min64(left, g[j].amount_cents);
        if (j == i)
            return take;
        left -= take;
    }
    return 0;
}

/* The grant a history line belongs to: the one of its action its label
 * names, else the action's first; -1 when no grant has that action. */
static long owner(const fd_grant *g, size_t n, const fd_history_row *h)
{
    long first = -1;
    char label[FD_LABEL_MAX + 1];
    for (size_t i = 0; i < n; i++) {
        if (!same(g[i].action, h->code))
            continue;
        if (first < 0)
            first = (long)i;
        label_for(g[i].code, label);
        if (same(label, h->label))
            return (long)i;
    }
    return first;
}

/* One history line into its grant's opening (before the year) or booked
 * amounts (in the year). */
static bool history_add(const fd_year *y, const fd_history_row *h, fd_result *r)
{
    if (h->date < y->from)
        return gl_money_add(&r->opening_cents, h->amount_cents);
    if (h->date > y->to)
        return true;
    if (!r->booked) {
        r->booked = true;
        r->booked_fy = h->fy;
        r->booked_num = h->num;
    }
    return starts(h->account, FD_PREFIX_REPORT)
               ? gl_money_add(&r->booked_reported_cents, h->amount_cents)
               : gl_money_sub(&r->booked_used_cents, h->amount_cents);
}

/* The grants of the action of grant `first` (its first): the year's
 * charges used by their new grants, then by their openings. */
static bool use_action(const fd_grant *g, size_t n, size_t first, int64_t charges, fd_result *out)
{
    int64_t left = charges;
    for (size_t pass = 0; pass < 2; pass++)
        for (size_t i = first; i < n; i++) {
            if (!same(g[i].action, g[first].action))
                continue;
            fd_result *r = &out[i];
            r->charges_cents = charges;
            if (pass == 0) {
                r->used_new_cents = min64(r->granted_cents, left);
                r->reported_cents = r->granted_cents - r->used_new_cents;
                left -= r->used_new_cents;
            } else {
                r->used_old_cents = min64(r->opening_cents > 0 ? r->opening_cents : 0, left);
                left -= r->used_old_cents;
                r->closing_cents = r->opening_cents;
                if (!gl_money_add(&r->closing_cents, r->reported_cents) ||
                    !gl_money_sub(&r->closing_cents, r->used_old_cents))
                    return false;
                r->differs = r->booked && (r->booked_reported_cents != r->reported_cents ||
                                           r->booked_used_cents != r->used_old_cents);
            }
        }
    return true;
}

static bool first_of_action(const fd_grant *g, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (same(g[j].action, g[i].action))
            return false;
    return true;
}

int fd_compute(const fd_year *y, const fd_grant *grants, size_t ngrants,
               const fd_balance_row *balance, size_t nbalance, const fd_history_row *history,
               size_t nhistory, fd_result *out)
{
    if (ngrants > FD_GRANTS_MAX)
        return FD_TOO_MANY;
    for (size_t i = 0; i < ngrants; i++) {
        int64_t product;
        out[i] = (fd_result){.grant = &grants[i]};
        if (!net_of(balance, nbalance, grants[i].action, grants[i].account, &product))
            return FD_OVERFLOW;
        out[i].granted_cents = allot(grants, ngrants, i, product);
    }
    for (size_t k = 0; k < nhistory; k++) {
        long o = fd_history_account(history[k].account) ? owner(grants, ngrants, &history[k]) : -1;
        if (o >= 0 && !history_add(y, &history[k], &out[o]))
            return FD_OVERFLOW;
    }
    for (size_t i = 0; i < ngrants; i++) {
        int64_t charges;
        if (!first_of_action(grants, i))
            continue;
        if (!net_of(balance, nbalance, grants[i].action, NULL, &charges) ||
            !use_action(grants, ngrants, i, charges, out))
            return FD_OVERFLOW;
    }
    return FD_OK;
}

int64_t fd_annexe_reports(const fd_result *r)
{
    return r->booked ? r->booked_reported_cents : r->reported_cents;
}

int64_t fd_annexe_uses(const fd_result *r)
{
    return r->booked ? r->booked_used_cents : r->used_old_cents;
}

int64_t fd_annexe_closing(const fd_result *r)
{
    if (!r->booked)
        return r->closing_cents;
    int64_t c = r->opening_cents;
    /* the booked amounts were summed with checks: their net fits unless
     * both are near the limits, which fd_totals_sum then reports */
    if (!gl_money_add(&c, r->booked_reported_cents) || !gl_money_sub(&c, r->booked_used_cents))
        return INT64_MIN;
    return c;
}

static bool first_result_of_action(const fd_result *r, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (same(r[j].grant->action, r[i].grant->action))
            return false;
    return true;
}

int fd_totals_sum(const fd_result *r, size_t n, fd_totals *t)
{
    *t = (fd_totals){0};
    for (size_t i = 0; i < n; i++) {
        int64_t closing = fd_annexe_closing(&r[i]);
        int64_t charges = first_result_of_action(r, i) ? r[i].charges_cents : 0;
        if (closing == INT64_MIN || !gl_money_add(&t->granted_cents, r[i].granted_cents) ||
            !gl_money_add(&t->charges_cents, charges) ||
            !gl_money_add(&t->used_new_cents, r[i].used_new_cents) ||
            !gl_money_add(&t->opening_cents, r[i].opening_cents) ||
            !gl_money_add(&t->reports_cents, fd_annexe_reports(&r[i])) ||
            !gl_money_add(&t->uses_cents, fd_annexe_uses(&r[i])) ||
            !gl_money_add(&t->transfers_cents, r[i].transfers_cents) ||
            !gl_money_add(&t->closing_cents, closing))
            return FD_OVERFLOW;
    }
    return FD_OK;
}

/* The lines' item: the action code and the funder, each the whole line. */
static void entry_item(fd_entry *e, const fd_grant *g)
{
    gl_analytic a = {0};
    a.axes[a.naxes++] = (gl_an_split){{FD_ACTION_AXIS, strlen(FD_ACTION_AXIS)},
                                      1,
                                      {{{g->action, strlen(g->action)}, e->amount_cents}}};
    if (g->funder[0])
        a.axes[a.naxes++] = (gl_an_split){{FD_FUNDER_AXIS, strlen(FD_FUNDER_AXIS)},
                                          1,
                                          {{{g->funder, strlen(g->funder)}, e->amount_cents}}};
    gl_analytic_sort(&a);
    e->item_len = gl_analytic_item_put(e->item, &a);
}

static fd_entry *entry_put(const fd_year *y, const fd_result *r, enum fd_entry_kind kind,
                           fd_entry *e)
{
    *e = (fd_entry){.kind = kind, .result = r, .date = y->to};
    snprintf(e->piece, sizeof e->piece, "FD-%u", (unsigned)y->fy);
    label_for(r->grant->code, e->label);
    if (kind == FD_ENTRY_REPORT) {
        e->debit_account = FD_ACCOUNT_REPORT;
        e->credit_account = FD_ACCOUNT_FUND;
        e->amount_cents = r->reported_cents;
    } else {
        e->debit_account = FD_ACCOUNT_FUND;
        e->credit_account = FD_ACCOUNT_USE;
        e->amount_cents = r->used_old_cents;
    }
    entry_item(e, r->grant);
    return e + 1;
}

size_t fd_entries(const fd_year *y, const fd_result *r, size_t n, fd_entry *out)
{
    fd_entry *e = out;
    for (size_t i = 0; i < n; i++) {
        if (r[i].booked)
            continue;
        if (r[i].reported_cents > 0)
            e = entry_put(y, &r[i], FD_ENTRY_REPORT, e);
        if (r[i].used_old_cents > 0)
            e = entry_put(y, &r[i], FD_ENTRY_USE, e);
    }
    return (size_t)(e - out);
}
