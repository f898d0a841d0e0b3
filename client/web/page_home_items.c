/*
 * client/web/page_home_items.c — the parts of Accueil after the bank and
 * cash: the result of the same period last year, the open customer and
 * supplier items per third party, the months not yet locked.
 *
 * Open items come from LEDGER with OPEN_ITEMS (as `grandlivre ledger
 * --open`), one walk per 401/411 account of this year's balance or of last
 * year's (a year not closed yet: once closed, its open items are in the
 * new year's à-nouveaux, hence in this year's balance): the daemon
 * sends only the unlettered lines, each with its date, so the count, the
 * amount and the oldest date of each third party are exact.  BALANCE by
 * third party would be one request, but it nets lettered and unlettered
 * lines and says neither how many items are open nor since when.
 */
#include "web.h"
#include "web_util.h"

#include "client/cli/i18n.h"
#include "client/cli/plural.h"
#include "proto/money.h"
#include "proto/query.h"
#include "proto/reply.h"
#include "proto/status.h"

#include <stdio.h>
#include <string.h>

void web_home_tp_add(web_home_tp *tp, gl_str account)
{
    bool customer = account.len >= 3 && !memcmp(account.ptr, "411", 3);
    bool supplier = account.len >= 3 && !memcmp(account.ptr, "401", 3);
    if ((!customer && !supplier) || tp->count >= WEB_HOME_TP_ACCOUNTS ||
        account.len > GL_ACCOUNT_MAX)
        return;
    for (size_t i = 0; i < tp->count; i++)
        if (strlen(tp->account[i]) == account.len &&
            !memcmp(tp->account[i], account.ptr, account.len))
            return;
    memcpy(tp->account[tp->count], account.ptr, account.len);
    tp->account[tp->count][account.len] = '\0';
    tp->count++;
}

/* The same day a year before (29 February: the 28th). */
static uint32_t year_before(uint32_t ymd)
{
    uint32_t md = ymd % 10000;
    return (ymd / 10000 - 1) * 10000 + (md == 229 ? 228 : md);
}

/* The result (income less expenses) of a BALANCE at `at`, quietly: false
 * when the daemon has no such year (no banner: the card says so).  Its
 * third-party accounts join tp. */
static bool result_at(web_req *r, uint32_t at, int64_t *result, uint16_t *fy, uint32_t *from,
                      web_home_tp *tp)
{
    gl_balance_q q = {.at = at};
    gl_response resp;
    if (web_balance_quiet(r, &q, &resp) != GL_OK)
        return false;
    gl_reply_balance rep;
    bool ok = resp.reply.status == GL_OK &&
              gl_reply_balance_decode_flags(gl_reply_view(resp.reply.body, resp.reply.body_len), 0,
                                            &rep) == GL_OK;
    *result = 0;
    if (ok) {
        *fy = rep.fy;
        *from = rep.from;
        gl_reply_balance_iter it;
        gl_reply_balance_row row;
        gl_reply_balance_iter_init(&it, &rep);
        while (ok && gl_reply_balance_next(&it, &row) == 1) {
            char cls = row.account.len ? row.account.ptr[0] : '0';
            int64_t balance = row.debit;
            ok = gl_money_sub(&balance, row.credit);
            if (ok && (cls == '6' || cls == '7'))
                ok = gl_money_sub(result, balance);
            web_home_tp_add(tp, row.account);
        }
    }
    gl_response_free(&resp);
    return ok;
}

void web_home_last_year(web_req *r, gl_buf *b, uint32_t today, web_home_tp *tp)
{
    int64_t result;
    uint16_t fy;
    uint32_t from, at = year_before(today);
    web_raw(b, "<div class=\"card\" id=\"last-year\"><div>");
    web_esc(b, _("Result, same period last year"));
    web_raw(b, "</div>");
    if (result_at(r, at, &result, &fy, &from, tp)) {
        web_raw(b, "<div class=\"amount\">");
        web_money(b, result);
        web_raw(b, "</div><div>");
        web_escf(b, _("fiscal year %u, "), fy);
        web_date(b, from);
        web_raw(b, " – ");
        web_date(b, at);
    } else {
        web_raw(b, "<div class=\"amount\">—</div><div>");
        web_esc(b, _("no fiscal year a year ago"));
    }
    web_raw(b, "</div></div>\n");
}

/* One third party's open items. */
typedef struct tp_open {
    char account[GL_ACCOUNT_MAX + 1], aux[GL_AUX_MAX + 1];
    uint32_t count, oldest;
    int64_t amount; /* debit less credit */
} tp_open;

#define TP_ROWS_MAX 200 /* third parties shown per table; more are counted */
/* Pages of open lines read per account (1,000 lines each): Accueil stays
 * quick on books with years of unlettered lines; beyond, a banner. */
#define OPEN_PAGES_MAX 20

typedef struct tp_table {
    tp_open row[TP_ROWS_MAX];
    size_t count, dropped;
    bool overflow;
} tp_table;

static void tp_add(tp_table *t, const char *account, const gl_reply_ledger_row *line)
{
    size_t aux_len = line->aux.len > GL_AUX_MAX ? GL_AUX_MAX : line->aux.len;
    tp_open *o = NULL;
    for (size_t i = 0; i < t->count && !o; i++)
        if (!strcmp(t->row[i].account, account) && strlen(t->row[i].aux) == aux_len &&
            !memcmp(t->row[i].aux, line->aux.ptr, aux_len))
            o = &t->row[i];
    if (!o) {
        if (t->count == TP_ROWS_MAX) {
            t->dropped++;
            return;
        }
        o = &t->row[t->count++];
        memset(o, 0, sizeof *o);
        snprintf(o->account, sizeof o->account, "%s", account);
        memcpy(o->aux, line->aux.ptr, aux_len);
        o->oldest = line->date;
    }
    o->count++;
    if (line->date < o->oldest)
        o->oldest = line->date;
    t->overflow |= !gl_money_add(&o->amount, line->amount);
}

/* Every open line of account, into t.  false after a banner. */
static bool open_lines(web_req *r, gl_buf *b, const char *account, uint32_t today, tp_table *t)
{
    gl_ledger_q q = {.account = {account, strlen(account)},
                     .from = 19000101,
                     .to = today,
                     .limit = GL_PAGE_MAX,
                     .flags = GL_LEDGER_OPEN_ITEMS};
    bool more = true;
    for (int pages = 0; more && pages < OPEN_PAGES_MAX; pages++) {
        gl_buf body;
        gl_buf_init(&body);
        gl_ledger_q_encode(&body, &q);
        gl_response resp;
        int rc = web_call(r, b, GL_KIND_LEDGER, body.data, body.len, &resp);
        gl_buf_free(&body);
        if (rc)
            return false;
        gl_reply_ledger rep;
        if (gl_reply_ledger_decode(gl_reply_view(resp.reply.body, resp.reply.body_len), &rep) !=
            GL_OK) {
            web_banner(b, _("Cannot read the daemon's reply."), true);
            gl_response_free(&resp);
            return false;
        }
        gl_reply_ledger_iter it;
        gl_reply_ledger_row row;
        gl_reply_ledger_iter_init(&it, &rep);
        while (gl_reply_ledger_next(&it, &row) == 1)
            tp_add(t, account, &row);
        more = rep.more;
        q.watermark = rep.watermark;
        q.after_date = rep.next_date;
        q.after_fy = rep.next_fy;
        q.after_num = rep.next_num;
        q.after_line = rep.next_line;
        gl_response_free(&resp);
    }
    if (more) {
        char text[200];
        snprintf(text, sizeof text,
                 _("Account %s has more than %d open lines: only the first are counted (the "
                   "grand livre shows them all)."),
                 account, OPEN_PAGES_MAX * GL_PAGE_MAX);
        web_banner(b, text, false);
    }
    return true;
}

/* ?account=A&aux=X&from=OLDEST: the third party's lines since its oldest
 * open item.  account is [0-9A-Z]; aux is percent-encoded. */
static void tp_link(gl_buf *b, const web_req *r, const tp_open *o)
{
    web_raw(b, "<a href=\"/ledger?account=");
    web_esc(b, o->account);
    if (o->aux[0]) {
        web_raw(b, "&amp;aux=");
        web_aux_pct(b, o->aux, strlen(o->aux));
    }
    web_escf(b, "&from=%04u-%02u-%02u", o->oldest / 10000, o->oldest / 100 % 100, o->oldest % 100);
    web_tenant_arg(b, r, "&amp;");
    web_raw(b, "\">");
    web_esc(b, o->account);
    if (o->aux[0]) {
        web_raw(b, " ");
        web_esc(b, o->aux);
    }
    web_raw(b, "</a>");
}

/* One table: customers (sign +1: debit is owed to us) or suppliers (-1). */
static void tp_render(gl_buf *b, const web_req *r, const tp_table *t, const char *title,
                      const char *id, int sign)
{
    web_raw(b, "<h3 id=\"");
    web_raw(b, id);
    web_raw(b, "\">");
    web_esc(b, title);
    web_raw(b, "</h3>\n");
    if (!t->count) {
        web_raw(b, "<p>");
        web_esc(b, _("No open item."));
        web_raw(b, "</p>\n");
        return;
    }
    web_raw(b, "<table class=\"open-items\"><thead><tr><th>");
    web_esc(b, _("Third party"));
    web_raw(b, "</th><th class=\"num\">");
    web_esc(b, _("Open items"));
    web_raw(b, "</th><th class=\"num\">");
    web_esc(b, sign > 0 ? _("Owed to us") : _("Owed by us"));
    web_raw(b, "</th><th>");
    web_esc(b, _("Oldest"));
    web_raw(b, "</th></tr></thead><tbody>\n");
    int64_t total = 0;
    uint32_t items = 0;
    bool overflow = t->overflow;
    for (size_t i = 0; i < t->count; i++) {
        const tp_open *o = &t->row[i];
        int64_t owed = sign > 0 ? o->amount : -o->amount; /* |amount| < 2^62 per line sum */
        overflow |= !gl_money_add(&total, owed);
        items += o->count;
        web_raw(b, "<tr><td>");
        tp_link(b, r, o);
        web_raw(b, "</td><td class=\"num\">");
        web_escf(b, "%u", o->count);
        web_raw(b, "</td><td class=\"num\">");
        web_money(b, owed);
        web_raw(b, "</td><td>");
        web_date(b, o->oldest);
        web_raw(b, "</td></tr>\n");
    }
    web_raw(b, "<tr class=\"total\"><td>");
    web_esc(b, _("Total"));
    web_raw(b, "</td><td class=\"num\">");
    web_escf(b, "%u", items);
    web_raw(b, "</td><td class=\"num\">");
    web_money(b, total);
    web_raw(b, "</td><td></td></tr></tbody></table>\n");
    if (t->dropped) {
        char text[160];
        snprintf(text, sizeof text, _("%zu more third parties are not shown."), t->dropped);
        web_banner(b, text, false);
    }
    if (overflow)
        web_banner(b, _("The totals overflow."), true);
}

void web_home_open_items(web_req *r, gl_buf *b, const web_home_tp *tp, uint32_t today)
{
    static tp_table customers, suppliers; /* one request at a time (web.h) */
    customers.count = customers.dropped = suppliers.count = suppliers.dropped = 0;
    customers.overflow = suppliers.overflow = false;
    web_raw(b, "<h2>");
    web_esc(b, _("Open customer and supplier items"));
    web_raw(b, "</h2>\n");
    for (size_t i = 0; i < tp->count; i++) {
        bool customer = !strncmp(tp->account[i], "411", 3);
        if (!open_lines(r, b, tp->account[i], today, customer ? &customers : &suppliers))
            return;
    }
    tp_render(b, r, &customers, _("Customers (411)"), "customers", 1);
    tp_render(b, r, &suppliers, _("Suppliers (401)"), "suppliers", -1);
}

/* A month yyyymm as "03/2025". */
static void month(gl_buf *b, uint32_t ym) { web_escf(b, "%02u/%04u", ym % 100, ym / 100); }

static uint32_t months_between(uint32_t from_ym, uint32_t to_ym)
{
    return (to_ym / 100 - from_ym / 100) * 12 + to_ym % 100 - from_ym % 100 + 1;
}

void web_home_unlocked(web_req *r, gl_buf *b, uint32_t today)
{
    gl_response resp;
    if (web_call(r, b, GL_KIND_PERIODS, NULL, 0, &resp))
        return;
    gl_reply_periods p;
    if (gl_reply_periods_decode(gl_reply_view(resp.reply.body, resp.reply.body_len), &p) != GL_OK) {
        web_banner(b, _("Cannot read the daemon's reply."), true);
        gl_response_free(&resp);
        return;
    }
    /* the first month not locked: after the lock, else the first month of
     * the earliest fiscal year; through the current month */
    uint32_t first = 0, now = today / 100;
    if (p.locked_through)
        first = p.locked_through % 100 == 12 ? (p.locked_through / 100 + 1) * 100 + 1
                                             : p.locked_through + 1;
    else {
        gl_reply_periods_iter it;
        gl_reply_periods_row row;
        gl_reply_periods_iter_init(&it, &p);
        while (gl_reply_periods_next(&it, &row) == 1)
            if (!first || row.start / 100 < first)
                first = row.start / 100;
    }
    web_raw(b, "<h2 id=\"unlocked\">");
    web_esc(b, _("Months not yet locked"));
    web_raw(b, "</h2>\n<p>");
    if (!first || first > now)
        web_esc(b, _("Every month is locked."));
    else {
        month(b, first);
        if (first != now) {
            web_raw(b, " – ");
            month(b, now);
        }
        web_raw(b, " (");
        uint32_t n = months_between(first, now);
        web_escf(b, PLURAL(n, "%u month", "%u months"), n);
        web_raw(b, ")");
        if (p.has_overdue && p.overdue_from) {
            web_raw(b, "</p>\n<p class=\"overdue\">");
            web_esc(b, _("Past their closing deadline:"));
            web_raw(b, " ");
            month(b, p.overdue_from);
            if (p.overdue_through != p.overdue_from) {
                web_raw(b, " – ");
                month(b, p.overdue_through);
            }
        }
    }
    web_raw(b, "</p>\n");
    /* locking and closing are the accountant's (a member's key is refused) */
    if (web_role(r->app) == WEB_ROLE_ACCOUNTANT) {
        web_raw(b, "<p><a href=\"/periods");
        web_tenant_arg(b, r, "?");
        web_raw(b, "\">");
        web_esc(b, _("Periods: lock months, close a year"));
        web_raw(b, " →</a></p>\n");
    }
    gl_response_free(&resp);
}
