/*
 * daemon/rules/post.c — POST: a batch of entries, all or none; and
 * post_entry, every POST rule, shared with the group's writes.
 *
 * For each entry, in order: ledger-free checks (proto gl_entry_check), no
 * daemon-only flags, a piece reference and a label that are not blank
 * (proto/rules.h), the tenant exists, every account number follows the
 * numbering rule (but in a reversal, whose lines must be those of a stored
 * entry), the date is not in a locked period (a month unlocked after its
 * closing deadline gives a warning) nor after the tenant's last allowed date
 * (daemon/calendar.h), every account is open in the tenant's chart and not
 * abolished by the chart of the entry's fiscal year (430,
 * proto/chart_rules.h), a reversal is the exact opposite of an existing
 * entry not yet reversed and not dated before it, the lines' analytic
 * codes are open and the tenant's analytic rules met (analytic_post.c),
 * classes 8 and 9 balance (classes.c); then the entry gets the
 * next number of its tenant and fiscal year and is written with its chain
 * event, its per-account lines, its balances and its daily deltas, every sum
 * checked for overflow before it is stored.  Any refusal returns with the
 * entry (1-based) and line at fault; the writer aborts the request's nested
 * transaction, so nothing of the batch remains.  The entry writer and
 * reader are in daemon/entries.c.
 */
#include "daemon/calendar.h"
#include "daemon/entries.h"
#include "daemon/handlers.h"
#include "daemon/ledger.h"
#include "daemon/periods.h"
#include "daemon/rules/after.h"
#include "daemon/rules/analytic.h"
#include "daemon/rules/third_party.h"
#include "daemon/store/keys.h"
#include "daemon/store/values.h"
#include "daemon/totals.h"

#include "proto/assert.h"
#include "proto/carry.h"
#include "proto/date.h"
#include "proto/entry.h"
#include "proto/money.h"
#include "proto/query.h"
#include "proto/reply.h"
#include "proto/rules.h"
#include "proto/status.h"

#include <string.h>

/* The request's memo of (tenant, fiscal year start, account) found open
 * and not abolished: a slot per hash of the three, the last one kept. */
static struct account_memo *account_memo_slot(gl_exec *x, uint32_t tenant, uint32_t fy_start,
                                              gl_str account)
{
    uint32_t h = tenant * 0x9e3779b1u ^ fy_start;
    for (size_t i = 0; i < account.len; i++)
        h = (h ^ (uint8_t)account.ptr[i]) * 0x01000193u;
    return &x->accounts_ok[(h ^ h >> 16) % (sizeof x->accounts_ok / sizeof x->accounts_ok[0])];
}

static bool account_memo_has(const struct account_memo *m, uint32_t tenant, uint32_t fy_start,
                             gl_str account)
{
    return m->len && m->len == account.len && m->tenant == tenant && m->fy_start == fy_start &&
           !memcmp(m->account, account.ptr, account.len);
}

/* Every line's account is open, and not abolished by the chart of the
 * entry's fiscal year (which starts on fy_start).  Accounts are never
 * removed and the chart is fixed: an account found good once in the
 * request is looked up no more. */
static int check_accounts(gl_exec *x, const gl_entry *e, const entry_lines *lines, uint32_t tenant,
                          uint32_t fy_start, uint32_t item)
{
    for (uint32_t n = 1; n <= lines->n; n++) {
        const gl_line l = lines->v[n - 1];
        struct account_memo *m = account_memo_slot(x, tenant, fy_start, l.account);
        if (account_memo_has(m, tenant, fy_start, l.account))
            continue;
        uint8_t key[KEY_ACCOUNTS_LEN];
        store_val v;
        key_accounts(key, tenant, l.account);
        int st = store_get(x->txn, DB_ACCOUNTS, key, sizeof key, &v);
        if (st == GL_ERR_NOT_FOUND) /* the value, and what to do (issue 14) */
            return exec_fail(x, GL_ERR_UNKNOWN_ACCOUNT, item, n,
                             "entry %u line %u: account %.*s is not open for %.*s: grandlivre "
                             "accounts open --tenant %.*s %.*s \"label\", or load the chart with "
                             "grandlivre accounts load-chart --tenant %.*s",
                             item, n, (int)l.account.len, l.account.ptr, (int)e->tenant.len,
                             e->tenant.ptr, (int)e->tenant.len, e->tenant.ptr, (int)l.account.len,
                             l.account.ptr, (int)e->tenant.len, e->tenant.ptr);
        if (st != GL_OK)
            return st;
        if ((st = chart_check_abolished(x, l.account, fy_start, item, n)) != GL_OK)
            return st;
        if (l.account.len <= sizeof m->account) { /* gl_entry_check: always */
            *m = (struct account_memo){
                .tenant = tenant, .fy_start = fy_start, .len = (uint8_t)l.account.len};
            memcpy(m->account, l.account.ptr, l.account.len);
        }
    }
    return GL_OK;
}

static int check_reversal(gl_exec *x, const gl_entry *e, uint32_t tenant, uint32_t item)
{
    if (e->reverses_fy == 0)
        return GL_OK;
    gl_entry target;
    store_entry raw;
    int st = ledger_read_entry(x->txn, tenant, e->reverses_fy, e->reverses_num, &target, &raw);
    if (st == GL_ERR_NOT_FOUND)
        return exec_fail(x, GL_ERR_NOT_FOUND, item, 0,
                         "entry %u reverses %u/%u, which does not exist", item, e->reverses_fy,
                         e->reverses_num);
    if (st != GL_OK)
        return st;
    if (target.flags)
        return exec_fail(x, GL_ERR_NOT_REVERSIBLE, item, 0,
                         "entry %u: %u/%u was written by a year close", item, e->reverses_fy,
                         e->reverses_num);
    uint8_t k[KEY_REVERSED_LEN];
    store_val v;
    store_reversed by;
    key_reversed(k, tenant, e->reverses_fy, e->reverses_num);
    st = store_get(x->txn, DB_REVERSED, k, sizeof k, &v);
    if (st == GL_OK && (st = store_reversed_decode(v, &by)) == GL_OK)
        return exec_fail(x, GL_ERR_ALREADY_REVERSED, item, 0,
                         "entry %u: %u/%u was already reversed by %u/%u", item, e->reverses_fy,
                         e->reverses_num, by.fy, by.num);
    if (st != GL_ERR_NOT_FOUND)
        return st;
    static _Thread_local uint16_t pair[GL_LINES_MAX];
    if (!gl_entry_opposite_pairs(e, &target, pair))
        return exec_fail(x, GL_ERR_NOT_OPPOSITE, item, 0, "entry %u: %s", item,
                         gl_status_message(GL_ERR_NOT_OPPOSITE));
    if (e->date < target.date) {
        char d[11], t[11];
        return exec_fail(x, GL_ERR_REVERSAL_EARLY, item, 0,
                         "entry %u: dated %s, before %u/%u, which it reverses (%s)", item,
                         gl_date_format(e->date, d), e->reverses_fy, e->reverses_num,
                         gl_date_format(target.date, t));
    }
    return GL_OK;
}

static int record_reversal(gl_exec *x, const gl_entry *e, uint32_t tenant, uint16_t fy,
                           uint32_t num)
{
    if (e->reverses_fy == 0)
        return GL_OK;
    uint8_t k[KEY_REVERSED_LEN], v[STORE_REVERSED_LEN];
    key_reversed(k, tenant, e->reverses_fy, e->reverses_num);
    store_reversed_encode(v, (store_reversed){fy, num});
    return store_put(x->txn, DB_REVERSED, k, sizeof k, v, sizeof v);
}

/* The day's calendar limits, computed once per request (x->now_ms is the
 * request's time). */
static void day_limits(gl_exec *x)
{
    if (x->day_known)
        return;
    x->today = gl_date_paris(x->now_ms);
    x->last_due_ym = calendar_last_due_month(x->now_ms);
    x->day_known = true;
}

/* Not after the last day the tenant's future_years allows (the end of the
 * fiscal year that many years after the current one, French time): a date
 * typed years ahead would otherwise stay in the books for ever. */
static int check_date_ahead(gl_exec *x, const gl_entry *e, const gl_tenant_cfg *tc, uint32_t item)
{
    if (x->last_date_of != tc) { /* one tenant per request but for the group's writes */
        x->last_date = calendar_last_entry_date(x->now_ms, tc->first_month, tc->future_years);
        x->last_date_of = tc;
    }
    uint32_t last = x->last_date;
    if (!last || e->date <= last)
        return GL_OK;
    char d[11], l[11];
    return exec_fail(
        x, GL_ERR_DATE_AHEAD, item, 0,
        "entry %u: %s is after %s, the last day allowed (the end of fiscal year %u: the current one "
        "plus future_years = %u)",
        item, gl_date_format(e->date, d), gl_date_format(last, l),
        gl_fiscal_year(last, tc->first_month), tc->future_years);
}

/* A month still unlocked after its closing deadline (the end of the
 * following month) may still be posted into, with a warning. */
static void check_overdue(gl_exec *x, const gl_entry *e, uint32_t locked_ym, uint32_t item)
{
    uint32_t ym = e->date / 100;
    day_limits(x);
    if (ym <= locked_ym || ym > x->last_due_ym || exec_warn_more(x))
        return;
    uint32_t following = calendar_month_add(ym, 1);
    char d[11], deadline[11];
    exec_warn(
        x,
        "clôture en retard: entry %u is dated %s, and %04u-%02u is still unlocked after its closing "
        "deadline %s (each month is locked by the end of the following one)",
        item, gl_date_format(e->date, d), ym / 100, ym % 100,
        gl_date_format(following * 100 +
                           (uint32_t)gl_days_in_month(following / 100, following % 100),
                       deadline));
}

/* Every line's account follows the numbering rule of new entries.  A
 * reversal is exempt: step 14 makes its lines those of a stored entry, so
 * it can only undo a posting made before the rule, never add one. */
static int check_numbers(gl_exec *x, const gl_entry *e, const entry_lines *lines,
                         const gl_tenant_cfg *tc, uint32_t item)
{
    if (e->reverses_fy)
        return GL_OK;
    for (uint32_t n = 1; n <= lines->n; n++) {
        const gl_line l = lines->v[n - 1];
        if (!gl_account_number_valid(l.account, tc->analytic_class9))
            return exec_fail(x, GL_ERR_BAD_ACCOUNT, item, n, "entry %u line %u: %.*s: %s", item, n,
                             (int)l.account.len, l.account.ptr, GL_ACCOUNT_RULE);
    }
    return GL_OK;
}

static int check_fields(gl_exec *x, const gl_entry *e, uint32_t item)
{
    const char *field;
    int st = gl_entry_fields_check(e, &field);
    if (st != GL_OK)
        return exec_fail(x, st, item, 0,
                         "entry %u: the %s is empty or blank; it is mandatory (FEC %s)", item,
                         field, strcmp(field, "label") ? "PieceRef" : "EcritureLib");
    return GL_OK;
}

static int check_period(gl_exec *x, const gl_entry *e, uint32_t tenant, uint32_t item)
{
    uint32_t locked_ym;
    int st = periods_locked_through(x->txn, tenant, &locked_ym);
    if (st != GL_OK)
        return st;
    if (e->date / 100 <= locked_ym) {
        char d[11];
        return exec_fail(x, GL_ERR_PERIOD_LOCKED, item, 0,
                         "entry %u: %s is in a locked period (locked through %04u-%02u)", item,
                         gl_date_format(e->date, d), locked_ym / 100, locked_ym % 100);
    }
    check_overdue(x, e, locked_ym, item);
    return GL_OK;
}

/* An entry's validation date (extension type 1, a FEC's ValidDate) says
 * when it was validated in the books it came from: never after the day,
 * in France, that the daemon records it (a date typed ahead would claim a
 * validation that has not happened).  The offline verifier replays it. */
static int check_valid_date(gl_exec *x, const gl_entry *e, uint32_t item)
{
    uint32_t valid = gl_entry_valid_date(e);
    if (!valid)
        return GL_OK;
    day_limits(x);
    uint32_t today = x->today;
    if (valid <= today)
        return GL_OK;
    char v[11], t[11];
    return exec_fail(x, GL_ERR_VALID_DATE_AHEAD, item, 0,
                     "entry %u: validation date %s is after today (%s)", item,
                     gl_date_format(valid, v), gl_date_format(today, t));
}

/* A line's open_item (PROTOCOL §5.4.1, line type 1) names the invoice or
 * payment an à-nouveaux line carries: only the daemon's close writes it, so
 * that an open item always is what the closed year left open (step 7c). */
static int check_no_open_item(gl_exec *x, const gl_entry *e, uint32_t item)
{
    gl_line_iter it;
    gl_line l;
    gl_open_item o;
    uint32_t n = 0;
    gl_line_iter_init(&it, e);
    while (gl_line_next(&it, &l)) {
        n++;
        if (gl_line_open_item(l.ext, l.ext_len, &o))
            return exec_fail(x, GL_ERR_OPEN_ITEM_RESERVED, item, n,
                             "entry %u line %u: an open item is carried by a year close only", item,
                             n);
    }
    return GL_OK;
}

/* An unbalanced entry's refusal shows both totals and the difference, as
 * `post --dry-run` does (issue 14). */
static int unbalanced(gl_exec *x, const gl_entry *e, uint32_t item)
{
    int64_t debit = 0, credit = 0;
    gl_line_iter it;
    gl_line l;
    bool fits = true;
    gl_line_iter_init(&it, e);
    while (gl_line_next(&it, &l))
        fits &= gl_money_add(l.side == GL_SIDE_DEBIT ? &debit : &credit, l.amount_cents);
    if (!fits) /* gl_entry_check says overflow first; kept safe all the same */
        return exec_fail(x, GL_ERR_UNBALANCED, item, 0, "entry %u: %s", item,
                         gl_status_message(GL_ERR_UNBALANCED));
    char d[GL_MONEY_TEXT_MAX], c[GL_MONEY_TEXT_MAX], diff[GL_MONEY_TEXT_MAX];
    return exec_fail(
        x, GL_ERR_UNBALANCED, item, 0, "entry %u: unbalanced: debits %s, credits %s, difference %s",
        item, gl_money_format(debit, GL_MONEY_PLAIN, d), gl_money_format(credit, GL_MONEY_PLAIN, c),
        gl_money_format(debit - credit, GL_MONEY_PLAIN, diff));
}

/* gl_entry_check's other refusals, with the values at fault: the line's
 * account, side and amount, the journal, the number of lines. */
static int check_failed(gl_exec *x, const gl_entry *e, uint32_t item, int st, uint32_t bad_line)
{
    gl_line_iter it;
    gl_line l;
    uint32_t n = 0;
    gl_line_iter_init(&it, e);
    while (bad_line && n < bad_line && gl_line_next(&it, &l))
        n++;
    char a[GL_MONEY_TEXT_MAX];
    if (bad_line && n == bad_line)
        return exec_fail(x, st, item, bad_line, "entry %u line %u (%.*s %s %s): %s", item, bad_line,
                         (int)l.account.len, l.account.ptr,
                         l.side == GL_SIDE_DEBIT ? "debit" : "credit",
                         gl_money_format(l.amount_cents, GL_MONEY_PLAIN, a), gl_status_message(st));
    if (st == GL_ERR_BAD_JOURNAL)
        return exec_fail(x, st, item, 0, "entry %u: journal \"%.*s\": %s", item,
                         (int)e->journal.len, e->journal.ptr, gl_status_message(st));
    if (st == GL_ERR_TOO_FEW_LINES)
        return exec_fail(x, st, item, 0, "entry %u: %u line%s: %s", item, e->line_count,
                         e->line_count == 1 ? "" : "s", gl_status_message(st));
    return exec_fail(x, st, item, bad_line, "entry %u%s%.0u: %s", item, bad_line ? " line " : "",
                     bad_line, gl_status_message(st));
}

/* post_entry past the checks of the entry alone, its lines decoded once. */
static int post_checked(gl_exec *x, const gl_entry *e, const entry_lines *lines, uint32_t item,
                        uint16_t *fy_out, uint32_t *num_out)
{
    int st;
    const gl_tenant_cfg *tc = gl_config_tenant(x->cfg, e->tenant.ptr, e->tenant.len);
    tenant_rec rec;
    if (!tc || (st = tenant_load(x->txn, e->tenant, &rec)) == GL_ERR_UNKNOWN_TENANT)
        return exec_fail(x, GL_ERR_UNKNOWN_TENANT, item, 0, "entry %u: unknown tenant %.*s", item,
                         (int)e->tenant.len, e->tenant.ptr);
    if (st != GL_OK)
        return st;
    if ((st = check_numbers(x, e, lines, tc, item)) != GL_OK)
        return st;
    if ((st = check_period(x, e, rec.number, item)) != GL_OK)
        return st;
    if ((st = check_date_ahead(x, e, tc, item)) != GL_OK)
        return st;
    uint16_t fy = gl_fiscal_year(e->date, tc->first_month);
    if ((st = check_accounts(x, e, lines, rec.number, gl_fiscal_year_start(fy, tc->first_month),
                             item)) != GL_OK)
        return st;
    if ((st = check_reversal(x, e, rec.number, item)) != GL_OK)
        return st;
    if ((st = third_party_check_lines(x, e, lines->v, lines->n, tc, rec.number, item)) != GL_OK)
        return st;
    if ((st = persons_check_lines(x, e, lines->v, lines->n, rec.number, item)) != GL_OK)
        return st;
    if ((st = analytic_check_entry(x, e, lines, rec.number, item)) != GL_OK)
        return st;
    /* without class 8 or 9 lines, the check has nothing to sum */
    if (entry_lines_class89(lines) &&
        (st = classes_check_entry(x, e, rec.number, fy, item)) != GL_OK)
        return st;
    uint32_t num;
    if ((st = ledger_write_entry_lines(x, e, lines, e->tenant, &rec, fy, item, &num)) != GL_OK)
        return st;
    if ((st = record_reversal(x, e, rec.number, fy, num)) != GL_OK)
        return st;
    if ((st = analytic_reversal_allocs(x, e, lines, rec.number, fy, num)) != GL_OK)
        return st;
    *fy_out = fy;
    *num_out = num;
    return GL_OK;
}

int post_entry(gl_exec *x, const gl_entry *e, uint32_t item, uint16_t *fy_out, uint32_t *num_out)
{
    uint32_t bad_line;
    int st = gl_entry_check(e, &bad_line);
    if (st == GL_ERR_UNBALANCED)
        return unbalanced(x, e, item);
    if (st == GL_ERR_ANALYTIC_SPLIT_SUM)
        return analytic_split_failed(x, e, item, bad_line);
    if (st != GL_OK)
        return check_failed(x, e, item, st, bad_line);
    if (e->flags)
        return exec_fail(
            x, GL_ERR_RESERVED_NONZERO, item, 0,
            "entry %u: closing and opening entries are written by the daemon's year close only",
            item);
    if ((st = check_fields(x, e, item)) != GL_OK)
        return st;
    if ((st = check_valid_date(x, e, item)) != GL_OK)
        return st;
    if ((st = check_no_open_item(x, e, item)) != GL_OK)
        return st;
    entry_lines lines;
    if ((st = entry_lines_decode(e, &lines)) != GL_OK)
        return st;
    st = post_checked(x, e, &lines, item, fy_out, num_out);
    entry_lines_free(&lines);
    return st;
}

int rules_post(gl_exec *x, const gl_body *rq)
{
    gl_post p = rq->post; /* decoded and authorised upstream */
    int st;
    GL_ASSERT(x->totals);                          /* the writer gives every request a cache */
    if ((st = rules_after(x, p.follows)) != GL_OK) /* fec import's batches sent ahead */
        return st;
    gl_reply_post_begin(x->body, p.count);
    gl_item_iter it;
    gl_entry e;
    uint32_t item = 0;
    gl_post_iter_init(&it, &p);
    while (gl_post_next(&it, &e)) {
        item++;
        uint16_t fy;
        uint32_t num;
        if ((st = post_entry(x, &e, item, &fy, &num)) != GL_OK)
            return st;
        gl_reply_post_row row = {fy, num};
        gl_reply_post_put_row(x->body, &row);
    }
    return gl_buf_ok(x->body) ? GL_OK : GL_ERR_INTERNAL;
}
